"""Nested breakdowns: which subgroup of one breakdown lies within which of another.

A nesting table says, for example, that each Directorate lies within one Division.
Nesting matters for disclosure: a hidden Directorate's result could otherwise be worked
out from its Division's result minus the Division's other Directorates. This module
checks a declared table (:func:`nesting_table`), finds one in respondent-level data
(:func:`nesting_from_responses`), picks a run's (:func:`select_nesting`) and orders the
breakdowns into chains (:func:`breakdown_chains`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from edi_analysis.errors import InputError, InputProblem
from edi_analysis.staff_survey.results import BREAKDOWN_COLUMNS, OVERALL

__all__ = [
    "NESTING_COLUMNS",
    "breakdown_chains",
    "nesting_from_responses",
    "nesting_table",
    "select_nesting",
]


NESTING_COLUMNS = ["breakdown", "subgroup", "parent_breakdown", "parent_subgroup"]


def nesting_table(nesting: pd.DataFrame | None,
                  source: str = "survey_nesting") -> pd.DataFrame:
    """Check a nesting table: which subgroup of one breakdown lies within which of another.

    Parameters
    ----------
    nesting : DataFrame or None
        One row per subgroup of a nested breakdown: ``breakdown`` and ``subgroup`` (e.g.
        "Directorate", "Finance"), ``parent_breakdown`` and ``parent_subgroup`` (e.g.
        "Division", "Corporate"). None gives an empty table.
    source : str, default "survey_nesting"
        The file named in error messages.

    Returns
    -------
    DataFrame
        The four :data:`NESTING_COLUMNS` as text, duplicates dropped.

    Raises
    ------
    InputError
        If a column is missing or blank, a subgroup has two parents, a breakdown is
        nested in itself or in two breakdowns, or a breakdown has two nested
        breakdowns (each breakdown may hold at most one finer breakdown, as in
        Division > Directorate > Team).
    """
    if nesting is None:
        return pd.DataFrame(columns=NESTING_COLUMNS, dtype=object)
    where = source
    missing = [c for c in NESTING_COLUMNS if c not in nesting.columns]
    if missing:
        raise InputError.single(where, f"the columns {NESTING_COLUMNS}",
                                column=", ".join(missing), value="(missing)")
    table = nesting[NESTING_COLUMNS].astype("string").apply(lambda s: s.str.strip())
    problems = []
    for col in NESTING_COLUMNS:
        for row in np.flatnonzero(table[col].isna() | table[col].eq("")):
            problems.append(InputProblem(where, col, int(row) + 2, "(blank)", "a name"))
    if problems:
        raise InputError(problems)
    table = table.astype(object).drop_duplicates().reset_index(drop=True)
    twice = table[table.duplicated(["breakdown", "subgroup"], keep=False)]
    if len(twice):
        first = twice.iloc[0]
        raise InputError.single(
            where, "one parent subgroup per subgroup", column="parent_subgroup",
            value=f"{first['breakdown']} '{first['subgroup']}' has parents "
                  + ", ".join(sorted(twice.loc[twice["subgroup"] == first["subgroup"],
                                               "parent_subgroup"])))
    pairs = table[["breakdown", "parent_breakdown"]].drop_duplicates()
    checks = [
        (pairs["breakdown"] == pairs["parent_breakdown"], "breakdown",
         "a breakdown nested in a different breakdown"),
        (pairs.duplicated("breakdown", keep=False), "parent_breakdown",
         "each breakdown nested in one breakdown only"),
        (pairs.duplicated("parent_breakdown", keep=False), "breakdown",
         "at most one breakdown nested in each breakdown (a chain such as Division > "
         "Directorate > Team)"),
    ]
    for bad, column, expected in checks:
        if bad.any():
            raise InputError.single(where, expected, column=column,
                                    value=", ".join(sorted(set(pairs.loc[bad, column]))))
    return table


def nesting_from_responses(responses: pd.DataFrame,
                           breakdowns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Find breakdowns of respondent-level data whose groups lie within another's.

    Parameters
    ----------
    responses : DataFrame
        Respondent-level survey data as for :func:`aggregate_responses`.
    breakdowns : mapping of str to str, optional
        Breakdown name to column (default :data:`BREAKDOWN_COLUMNS`, those present).

    Returns
    -------
    DataFrame
        A nesting table (:func:`nesting_table`): breakdown A is nested in B when A has
        more groups than B and every respondent's A group determines their B group
        (e.g. a Team column within a Directorate column). Each breakdown gets its
        closest parent (the candidate with most groups); a breakdown that would be the
        parent of two is kept for the finer one only.

    Notes
    -----
    Nesting matters for disclosure: a Directorate result hidden as a small group can be
    worked out from its Division's result minus the Division's other Directorates.
    Blank characteristics count as one more group ("Not stated"), as in
    :func:`aggregate_responses`.
    """
    cols = {b: c for b, c in (breakdowns or BREAKDOWN_COLUMNS).items()
            if c in responses.columns}
    frame = pd.DataFrame({b: responses[c].astype("string").fillna("Not stated")
                          for b, c in cols.items()})
    groups = {b: frame[b].nunique() for b in frame.columns}
    parents: dict[str, str] = {}
    for child in frame.columns:
        candidates = [p for p in frame.columns if p != child and groups[p] < groups[child]
                      and (frame.groupby(child)[p].nunique() == 1).all()]
        if candidates:
            parents[child] = max(candidates, key=lambda p: (groups[p], p))
    kept: dict[str, str] = {}
    for child, parent in sorted(parents.items(), key=lambda kv: -groups[kv[0]]):
        if parent not in kept.values():
            kept[child] = parent
    rows = [frame[[child, parent]].drop_duplicates().set_axis(
                ["subgroup", "parent_subgroup"], axis=1).assign(
                breakdown=child, parent_breakdown=parent)
            for child, parent in kept.items()]
    if not rows:
        return nesting_table(None)
    return nesting_table(pd.concat(rows, ignore_index=True)[NESTING_COLUMNS])


def breakdown_chains(table: pd.DataFrame, present: Iterable[str],
                     singles: bool = False) -> list[list[str]]:
    """Chains of nested breakdowns among those present, root first.

    Parameters
    ----------
    table : DataFrame
        Nesting table (:func:`nesting_table`; its breakdowns form chains).
    present : iterable of str
        Breakdowns in the results; absent middle levels are skipped (Division > Team
        when Directorate is absent).
    singles : bool, default False
        Also return every other present breakdown (not Overall) as a chain of one.

    Returns
    -------
    list of list of str
        E.g. ``[["Division", "Directorate"]]`` (with ``singles``: plus ``[["Age"]]``...).
    """
    present = set(present) - {OVERALL}
    child = dict(zip(table["parent_breakdown"], table["breakdown"], strict=False))
    chains = []
    for root in sorted(set(child) - set(child.values())):
        chain, node = [], root
        while node is not None:
            if node in present:
                chain.append(node)
            node = child.get(node)
        if len(chain) > 1:
            chains.append(chain)
    if singles:
        nested = {b for chain in chains for b in chain}
        chains += [[b] for b in sorted(present - nested)]
    return chains


def select_nesting(inputs: Mapping[str, pd.DataFrame | None]) -> pd.DataFrame | None:
    """The run's nested breakdowns: the ``survey_nesting`` input, else found in responses.

    Parameters
    ----------
    inputs : mapping
        The run's inputs (:func:`edi_analysis.inputs.org_inputs`).

    Returns
    -------
    DataFrame or None
        The ``survey_nesting`` table when given; otherwise, when the results come from
        respondent-level data, :func:`nesting_from_responses`; else None (aggregated
        results carry no membership, so nesting must be declared).
    """
    declared = inputs.get("survey_nesting")
    if declared is not None:
        return nesting_table(declared)
    responses = inputs.get("survey_responses")
    if inputs.get("survey_results") is None and responses is not None:
        return nesting_from_responses(responses)
    return None
