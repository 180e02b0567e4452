"""A general engine for count-based indicators by group (service and outcome inequalities).

Give it records (one row per person or event, with a numerator flag and a denominator
flag or weight) or pre-aggregated counts, plus the columns to group by, and it returns
one tidy frame: counts, value, confidence interval, the comparison with the overall
value and the ratio to a reference group with its interval. Maternity outcomes
(:mod:`edi_analysis.maternity`) are definitions on top of it; so are service indicators
such as Talking Therapies recovery by place and deprivation, read from the
``service_activity`` input (:func:`service_section`;
:func:`edi_analysis.demo.demo_service_activity` makes a SYNTHETIC example).

The contract with disclosure control
------------------------------------
:func:`indicator_by_group` and :func:`change_between_periods` return **exact** results:
for analysis only, never to publish. Publishing goes through a
:class:`edi_analysis.disclosure.Release`, which protects every table of a report
together (``docs/DISCLOSURE.md``):

1. declare each table with the cell of every count (:func:`indicator_keys` builds the
   keys of an indicator table from a :class:`~edi_analysis.disclosure.Population` and
   the numerator's and denominator's conditions; :func:`declare_indicator` declares it);
2. ``release.protect()`` once, after every table of the notebook is declared;
3. :func:`publish_indicator` (or :func:`derive_indicator` on
   ``release.published_table(name)``) recomputes every value, interval, comparison and
   ratio from the **published** counts only (rounded ones under ``nhs_digital``), and
   ``release.finish`` rounds them as the report shows them.

A figure whose count is hidden is blank, and so is every figure derived from it: a
ratio to a hidden reference group, a comparison with a hidden overall value, a slope
index that lacks a quintile. Nothing here hides a cell by hand.

Every interval, ratio and inequality index comes from :mod:`edi_analysis.stats`.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import pandas as pd

from edi_analysis import stats
from edi_analysis.disclosure import CellKey, Population, Release, Role, SuppressionPolicy
from edi_analysis.errors import InputError, InputProblem

__all__ = [
    "COMPARISON_LABELS",
    "NO_SERVICE_DATA",
    "OVERALL_LABEL",
    "ServiceSection",
    "UNKNOWN_LABEL",
    "change_between_periods",
    "count_text",
    "declare_indicator",
    "declare_service",
    "derive_change",
    "derive_indicator",
    "describe_change",
    "describe_gradient",
    "describe_groups",
    "describe_service",
    "indicator_by_group",
    "indicator_keys",
    "indicator_kinds",
    "inequality_gradient",
    "prepare_service_activity",
    "publish_indicator",
    "publish_service",
    "round_by_measure",
    "service_indicators",
    "service_section",
]

#: Label of the all-groups row added to every result.
OVERALL_LABEL = "All"
#: Label given to missing group values (kept as their own row, never dropped).
UNKNOWN_LABEL = "Not known"

#: Plain-English meaning of the ``comparison`` codes.
COMPARISON_LABELS: dict[str, str] = {
    "higher": "Significantly higher than overall",
    "lower": "Significantly lower than overall",
    "similar": "Not significantly different from overall",
    "not compared": "Not compared (suppressed or no denominator)",
    "overall": "Overall",
}

Measure = Literal["rate", "proportion"]

_SOURCE = "<DataFrame>"
#: Columns of a derived figure, in the indicator's unit (rate per multiplier, or 0-1).
VALUE_COLUMNS = ("value", "lower", "upper")
RATIO_COLUMNS = ("ratio", "ratio_lower", "ratio_upper")


# --------------------------------------------------------------------------------------
# validation and aggregation
# --------------------------------------------------------------------------------------
def _as_list(cols: str | Sequence[str] | None) -> list[str]:
    if cols is None:
        return []
    if isinstance(cols, str):
        return [cols]
    return list(cols)


def _check_arguments(
    data: object,
    numerator: str,
    denominator: str | None,
    by: list[str],
    within: list[str],
    measure: str,
    multiplier: float,
) -> None:
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"data must be a pandas DataFrame, got {type(data).__name__}.")
    _check_measure(measure, multiplier)
    if not by:
        raise ValueError("by must name at least one group column.")
    overlap = set(by) & set(within)
    if overlap:
        raise ValueError(f"Columns {sorted(overlap)} are in both by and within.")
    needed = [numerator, *([denominator] if denominator else []), *by, *within]
    missing = [c for c in needed if c not in data.columns]
    if missing:
        raise InputError(
            [InputProblem(_SOURCE, c, None, None, "this column to be present") for c in missing]
        )


def _check_measure(measure: str, multiplier: float) -> None:
    if measure not in ("rate", "proportion"):
        raise ValueError(f"measure must be 'rate' or 'proportion', got {measure!r}.")
    try:
        ok = float(multiplier) > 0 and np.isfinite(float(multiplier))
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"multiplier must be a positive number, got {multiplier!r}.")


def _count_column(data: pd.DataFrame, column: str) -> pd.Series:
    """Return a flag/weight/count column as floats, raising InputError on bad rows."""
    raw = data[column]
    if raw.dtype == bool:
        return raw.astype(float)
    values = pd.to_numeric(raw.astype("object").replace({True: 1, False: 0}), errors="coerce")
    bad = values.isna() | (values < 0) | ~np.isfinite(values.fillna(0))
    if bad.any():
        problems = [
            InputProblem(
                _SOURCE,
                column,
                int(pos) + 2,
                str(raw.iloc[pos]),
                "a non-negative number or a True/False flag",
            )
            for pos in np.flatnonzero(bad.to_numpy())
        ]
        raise InputError(problems)
    return values.astype(float)


def _group_values(col: pd.Series, unknown_label: str) -> pd.Series:
    """Missing or blank group values become ``unknown_label`` (kept, never dropped)."""
    out = col.astype("object")
    text = col.astype("string").str.strip()
    blank = col.isna().to_numpy() | (text == "").fillna(False).to_numpy(dtype=bool)
    return out.where(~blank, unknown_label)


def _sort_key(values: pd.Series, unknown_label: str, order: Sequence | None) -> pd.Series:
    """Sort groups in ``order`` (if given), else naturally; unknown and overall last."""
    if order is not None:
        pos = {v: i for i, v in enumerate(order)}
        return values.map(lambda v: pos.get(v, len(pos) + (v == unknown_label)
                                            + 2 * (v == OVERALL_LABEL)))

    def key(v: object) -> tuple:
        if v == OVERALL_LABEL:
            return (3, "")
        if v == unknown_label:
            return (2, "")
        if isinstance(v, int | float | np.integer | np.floating):
            return (0, float(v))
        return (1, str(v))

    return values.map(key)


def _aggregate(
    data: pd.DataFrame,
    numerator: str,
    denominator: str | None,
    by: list[str],
    within: list[str],
    unknown_label: str,
) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "numerator": _count_column(data, numerator),
            "denominator": (
                _count_column(data, denominator) if denominator else pd.Series(1.0, data.index)
            ),
        }
    )
    for col in [*within, *by]:
        frame[col] = _group_values(data[col], unknown_label)
    keys = [*within, *by]
    agg = frame.groupby(keys, dropna=False, sort=False)[["numerator", "denominator"]].sum()
    agg = agg.reset_index()
    agg["is_overall"] = False
    if within:
        tot = (
            frame.groupby(within, dropna=False, sort=False)[["numerator", "denominator"]]
            .sum()
            .reset_index()
        )
    else:
        tot = pd.DataFrame(
            {"numerator": [frame["numerator"].sum()], "denominator": [frame["denominator"].sum()]}
        )
    for col in by:
        tot[col] = OVERALL_LABEL
    tot["is_overall"] = True
    return pd.concat([agg, tot[agg.columns]], ignore_index=True)


def _sorted(
    frame: pd.DataFrame, cols: list[str], unknown_label: str, orders: Mapping[str, Sequence] | None
) -> pd.DataFrame:
    orders = orders or {}
    keys = pd.DataFrame(
        {c: _sort_key(frame[c], unknown_label, orders.get(c)) for c in cols}, index=frame.index
    )
    idx = keys.sort_values(cols, kind="stable").index
    return frame.loc[idx].reset_index(drop=True)


# --------------------------------------------------------------------------------------
# statistics (all from edi_analysis.stats)
# --------------------------------------------------------------------------------------
def _intervals(
    num: pd.Series,
    den: pd.Series,
    measure: str,
    multiplier: float,
    confidence: float,
    rate_method: str,
) -> pd.DataFrame:
    """Value and interval of every row; NaN where a count is missing (hidden)."""
    out = pd.DataFrame(
        {"value": np.nan, "lower": np.nan, "upper": np.nan, "confidence": float(confidence),
         "method": "wilson" if measure == "proportion" else rate_method,
         "multiplier": 1.0 if measure == "proportion" else float(multiplier)},
        index=num.index,
    )
    ok = num.notna() & den.notna()
    if not ok.any():
        return out
    n, d = num[ok].to_numpy(dtype=float), den[ok].to_numpy(dtype=float)
    if measure == "rate":
        res = stats.rate_ci(n, d, multiplier=multiplier, confidence=confidence,
                            method=rate_method)
    else:
        res = stats.proportion_ci(n, d, confidence=confidence)
    for col in VALUE_COLUMNS:
        out.loc[ok, col] = res[col].to_numpy(dtype=float)
    out.loc[ok, "method"] = res["method"].to_numpy()
    return out


def _compare_with_overall(frame: pd.DataFrame, within: list[str]) -> pd.Series:
    """PHE/Fingertips convention: the group's interval against the overall *value*."""
    overall = frame.loc[frame["is_overall"], [*within, "value"]].rename(
        columns={"value": "_overall_value"}
    )
    if within:
        ref = frame[within].merge(overall, on=within, how="left")["_overall_value"]
        ref.index = frame.index
    elif len(overall):
        ref = pd.Series(overall["_overall_value"].iloc[0], index=frame.index)
    else:
        ref = pd.Series(np.nan, index=frame.index)
    result = pd.Series("similar", index=frame.index, dtype="object")
    result[frame["lower"] > ref] = "higher"
    result[frame["upper"] < ref] = "lower"
    result[frame["value"].isna() | ref.isna()] = "not compared"
    result[frame["is_overall"].astype(bool)] = "overall"
    return result


def _reference_mapping(by: list[str], reference: Hashable | Mapping[str, Hashable] | None
                       ) -> dict[str, Hashable] | None:
    if reference is None:
        return None
    if not isinstance(reference, Mapping):
        if len(by) != 1:
            raise ValueError(
                "With more than one group column, give reference as a mapping "
                "{column: value}, e.g. {'ethnic_group': 'White'}."
            )
        return {by[0]: reference}
    unknown = [c for c in reference if c not in by]
    if unknown:
        raise ValueError(f"reference names {unknown}, which are not group columns {by}.")
    return dict(reference)


def _reference_rows(
    frame: pd.DataFrame,
    by: list[str],
    within: list[str],
    reference: Hashable | Mapping[str, Hashable] | None,
) -> tuple[pd.Series, pd.DataFrame | None]:
    """Flag reference rows and return, per row, the reference row's counts.

    ``reference`` names a value of the (single) group column, or maps some group
    columns to values; the other group columns and ``within`` are matched, so
    ``{"ethnic_group": "White"}`` with ``by=["ethnic_group", "imd_quintile"]`` compares
    each ethnic group with White people in the same quintile.
    """
    ref = _reference_mapping(by, reference)
    if ref is None:
        return pd.Series(False, index=frame.index), None
    is_ref = ~frame["is_overall"].astype(bool)
    for col, val in ref.items():
        matches = frame[col] == val
        if not matches.any():
            present = sorted(map(str, frame[col].unique()))
            raise ValueError(
                f"reference value {val!r} for column {col!r} is not in the data; found {present}."
            )
        is_ref &= matches
    match_on = [*within, *[c for c in by if c not in ref]]
    refs = frame.loc[is_ref, [*match_on, "numerator", "denominator"]].rename(
        columns={"numerator": "ref_numerator", "denominator": "ref_denominator"}
    )
    if match_on:
        merged = frame[match_on].merge(refs, on=match_on, how="left")
    else:
        merged = pd.DataFrame(
            {
                "ref_numerator": refs["ref_numerator"].iloc[0],
                "ref_denominator": refs["ref_denominator"].iloc[0],
            },
            index=range(len(frame)),
        )
    merged.index = frame.index
    return is_ref, merged[["ref_numerator", "ref_denominator"]]


def _ratios(
    frame: pd.DataFrame, refs: pd.DataFrame, measure: str, confidence: float
) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "ratio": np.nan,
            "ratio_lower": np.nan,
            "ratio_upper": np.nan,
            "ratio_method": pd.Series(pd.NA, index=frame.index, dtype="object"),
        },
        index=frame.index,
    )
    ok = (refs["ref_denominator"].notna() & refs["ref_numerator"].notna()
          & frame["numerator"].notna() & frame["denominator"].notna()
          & ~frame["is_overall"].astype(bool))
    if not ok.any():
        return out
    sub = frame.loc[ok]
    rr = _ratio(
        measure,
        sub["numerator"].to_numpy(dtype=float),
        sub["denominator"].to_numpy(dtype=float),
        refs.loc[ok, "ref_numerator"].to_numpy(dtype=float),
        refs.loc[ok, "ref_denominator"].to_numpy(dtype=float),
        confidence,
    )
    out.loc[ok, "ratio"] = rr["value"].to_numpy()
    out.loc[ok, "ratio_lower"] = rr["lower"].to_numpy()
    out.loc[ok, "ratio_upper"] = rr["upper"].to_numpy()
    out.loc[ok, "ratio_method"] = rr["method"].to_numpy()
    # The reference group against itself: ratio 1 by definition, no interval.
    is_self = ok & frame["is_reference"].astype(bool)
    out.loc[is_self, ["ratio_lower", "ratio_upper"]] = np.nan
    out.loc[is_self, "ratio"] = 1.0
    out.loc[is_self, "ratio_method"] = "reference"
    return out


def _ratio(measure: str, num_a, den_a, num_b, den_b, confidence: float) -> pd.DataFrame:
    """Rate ratio (rates) or ratio of proportions (proportions), a over b."""
    if measure == "rate":
        return stats.rate_ratio(num_a, den_a, num_b, den_b, confidence=confidence)
    return stats.relative_likelihood(num_a, den_a, num_b, den_b, confidence=confidence)


def derive_indicator(
    counts: pd.DataFrame,
    by: str | Sequence[str],
    within: str | Sequence[str] | None = None,
    measure: Measure = "rate",
    multiplier: float = 1000,
    reference: Hashable | Mapping[str, Hashable] | None = None,
    confidence: float = 0.95,
    rate_method: Literal["fingertips", "byar", "exact"] = "fingertips",
) -> pd.DataFrame:
    """Every figure an indicator table derives from its counts.

    Parameters
    ----------
    counts : DataFrame
        One row per ``within`` x group with ``numerator``, ``denominator`` (NaN where
        a count is not published) and ``is_overall``; e.g. the output of
        :meth:`edi_analysis.disclosure.Release.published_table` for a table declared
        with :func:`declare_indicator`. Other columns are kept.
    by, within, measure, multiplier, reference, confidence, rate_method
        As in :func:`indicator_by_group`.

    Returns
    -------
    DataFrame
        ``counts`` with ``value``, ``lower``, ``upper``, ``confidence``, ``method``,
        ``multiplier``, ``measure``, ``comparison``, ``is_reference``, ``ratio``,
        ``ratio_lower``, ``ratio_upper`` and ``ratio_method`` (re)computed. A figure
        needing a missing count is NaN: the value of a row with a hidden count, the
        ratio to a hidden reference, the comparison with a hidden overall value.
    """
    by_cols, within_cols = _as_list(by), _as_list(within)
    _check_measure(measure, multiplier)
    frame = counts.drop(columns=[c for c in (*VALUE_COLUMNS, "confidence", "method",
                                             "multiplier", "measure", "comparison",
                                             "is_reference", *RATIO_COLUMNS, "ratio_method")
                                 if c in counts.columns])
    frame = frame.assign(numerator=pd.to_numeric(frame["numerator"]).astype(float),
                         denominator=pd.to_numeric(frame["denominator"]).astype(float),
                         is_overall=frame["is_overall"].astype(bool))
    frame = pd.concat([frame, _intervals(frame["numerator"], frame["denominator"], measure,
                                         float(multiplier), confidence, rate_method)], axis=1)
    frame["measure"] = measure
    frame["comparison"] = _compare_with_overall(frame, within_cols)
    is_ref, refs = _reference_rows(frame, by_cols, within_cols, reference)
    frame["is_reference"] = is_ref.astype(bool)
    if refs is not None:
        frame = pd.concat([frame, _ratios(frame, refs, measure, confidence)], axis=1)
    else:
        frame = frame.assign(ratio=np.nan, ratio_lower=np.nan, ratio_upper=np.nan,
                             ratio_method=pd.Series(pd.NA, index=frame.index, dtype="object"))
    return frame


# --------------------------------------------------------------------------------------
# public API: exact results
# --------------------------------------------------------------------------------------
def indicator_by_group(
    data: pd.DataFrame,
    numerator: str,
    denominator: str | None = None,
    by: str | Sequence[str] = (),
    measure: Measure = "rate",
    multiplier: float = 1000,
    reference: Hashable | Mapping[str, Hashable] | None = None,
    confidence: float = 0.95,
    within: str | Sequence[str] | None = None,
    rate_method: Literal["fingertips", "byar", "exact"] = "fingertips",
    unknown_label: str = UNKNOWN_LABEL,
    order: Mapping[str, Sequence] | None = None,
) -> pd.DataFrame:
    """Count-based indicator (rate or proportion) by group, with intervals and comparisons.

    The result is **exact**: for analysis, never to publish. To publish, declare the
    table to a :class:`~edi_analysis.disclosure.Release` (:func:`declare_indicator`)
    and derive the published figures after protection (:func:`publish_indicator`).

    Parameters
    ----------
    data : DataFrame
        Either records (one row per person or event) or pre-aggregated counts. The
        engine sums ``numerator`` and ``denominator`` within each group, so both work.
    numerator : str
        Column holding the event flag (bool or 0/1) or event count.
    denominator : str, optional
        Column holding the denominator flag, weight or count. None counts every row
        (records where every row is in the denominator).
    by : str or sequence of str
        Group columns (e.g. ``"ethnic_group"`` or ``["ethnic_group", "imd_quintile"]``).
        Missing or blank values become ``unknown_label`` and are kept as their own row.
    measure : {"rate", "proportion"}, default "rate"
        ``"rate"``: events per ``multiplier`` of the denominator, interval as OHID's
        Fingertips: exact Poisson below 10 events, Byar's method from 10 (see
        ``rate_method``). ``"proportion"``: value is
        a proportion 0-1 with the Wilson score interval; ``multiplier`` is ignored.
    multiplier : float, default 1000
        Rate per this many of the denominator (1000 = per 1,000 births).
    reference : value or mapping, optional
        Reference group for ratios: a value of the single group column (e.g.
        ``"White"``), or ``{column: value}`` for some of the group columns; the other
        group columns are matched, so with two group columns
        ``{"ethnic_group": "White"}`` compares with White people in the same quintile.
    confidence : float, default 0.95
        Two-sided confidence level of every interval.
    within : str or sequence of str, optional
        Strata computed separately, each with its own overall row and reference (e.g.
        ``"year"``).
    rate_method : {"fingertips", "byar", "exact"}, default "fingertips"
        Interval of a rate (:func:`edi_analysis.stats.rate_ci`): ``"fingertips"`` is
        exact below 10 events and Byar's from 10; the others use one method throughout.
    unknown_label : str, default "Not known"
    order : mapping of column to sequence, optional
        Display order of group values (unknown and overall rows always come last).

    Returns
    -------
    DataFrame
        One row per ``within`` x group plus an overall row (group values
        ``"All"``) per stratum, with columns: the ``within`` and ``by`` columns,
        ``numerator``, ``denominator``, ``value`` (rate per ``multiplier`` or proportion
        0-1), ``lower``, ``upper``, ``confidence``, ``method``, ``multiplier``,
        ``measure``, ``is_overall``, ``comparison`` (``"higher"``, ``"lower"``,
        ``"similar"``, ``"not compared"``, ``"overall"``), ``is_reference``, ``ratio``,
        ``ratio_lower``, ``ratio_upper``, ``ratio_method``. Unrounded floats; the
        ``is_reference`` rows have ratio 1 and no interval.

    Raises
    ------
    InputError
        If a column is missing or a count/flag is negative, missing or not a number.
    ValueError
        For bad arguments (unknown measure, non-positive multiplier, a reference value
        not in the data, a proportion's numerator above its denominator).

    Notes
    -----
    *Comparison with overall* follows the OHID/PHE Fingertips convention: a group is
    "significantly higher" when the lower limit of its interval is above the overall
    value, "significantly lower" when its upper limit is below it, and "similar"
    otherwise. The group is part of the overall, so this is a screening rule, not a
    formal test. *Ratios* to the reference group are rate ratios for rates and ratios
    of proportions (relative risks) for proportions, with the interval from
    :func:`edi_analysis.stats.rate_ratio`. Unknown groups are reported, never dropped,
    and are excluded from no total: the overall row is the sum of every record.

    References
    ----------
    .. [1] Public Health England (2018). *Technical Guide: Confidence intervals*, and
       *Technical Guide: Assessing the significance of differences* (Fingertips).
    .. [2] NHS England. *Core20PLUS5: an approach to reducing healthcare inequalities*.
    """
    by_cols = _as_list(by)
    within_cols = _as_list(within)
    _check_arguments(data, numerator, denominator, by_cols, within_cols, measure, multiplier)
    frame = _aggregate(data, numerator, denominator, by_cols, within_cols, unknown_label)
    frame = _sorted(frame, [*within_cols, *by_cols], unknown_label, order)
    if measure == "proportion":
        above = frame["numerator"] > frame["denominator"]
        if above.any():
            row = frame.loc[above].iloc[0]
            where = ", ".join(f"{c}={row[c]!r}" for c in [*within_cols, *by_cols])
            raise ValueError(
                f"For {where} the numerator ({row['numerator']:g}) exceeds the denominator "
                f"({row['denominator']:g}); a proportion's numerator must be part of its "
                "denominator."
            )
    frame = derive_indicator(frame, by_cols, within_cols, measure, multiplier, reference,
                             confidence, rate_method)
    return frame[_columns(within_cols, by_cols)]


def _columns(within: list[str], by: list[str]) -> list[str]:
    return [
        *within, *by, "numerator", "denominator", *VALUE_COLUMNS, "confidence", "method",
        "multiplier", "measure", "is_overall", "comparison", "is_reference", *RATIO_COLUMNS,
        "ratio_method",
    ]


def derive_change(both: pd.DataFrame, measure: Measure, multiplier: float,
                  confidence: float = 0.95, rate_method: str = "fingertips") -> pd.DataFrame:
    """Values of two periods, their change and its significance, from the counts.

    Parameters
    ----------
    both : DataFrame
        ``numerator_from``, ``denominator_from``, ``numerator_to``, ``denominator_to``
        (NaN where not published); other columns are kept.
    measure, multiplier, confidence, rate_method
        As in :func:`indicator_by_group`.

    Returns
    -------
    DataFrame
        ``both`` with ``value_from``, ``value_to``, ``change`` (``value_to -
        value_from``), ``ratio`` (``value_to / value_from``), ``ratio_lower``,
        ``ratio_upper`` and ``direction`` (``"increased"``, ``"decreased"``, ``"no
        significant change"``, ``"not compared"`` when a count is missing).
    """
    out = both.copy()
    for side in ("from", "to"):
        vals = _intervals(pd.to_numeric(out[f"numerator_{side}"]).astype(float),
                          pd.to_numeric(out[f"denominator_{side}"]).astype(float),
                          measure, float(multiplier), confidence, rate_method)
        out[f"value_{side}"] = vals["value"].to_numpy()
    out["change"] = out["value_to"] - out["value_from"]
    cols = ["numerator_to", "denominator_to", "numerator_from", "denominator_from"]
    counts = out[cols].apply(pd.to_numeric).astype(float)
    ok = counts.notna().all(axis=1).to_numpy()
    out["ratio"] = np.nan
    out["ratio_lower"] = np.nan
    out["ratio_upper"] = np.nan
    if ok.any():
        rr = _ratio(measure, *(counts.loc[ok, c].to_numpy() for c in cols), confidence)
        out.loc[ok, "ratio"] = rr["value"].to_numpy()
        out.loc[ok, "ratio_lower"] = rr["lower"].to_numpy()
        out.loc[ok, "ratio_upper"] = rr["upper"].to_numpy()
    direction = pd.Series("no significant change", index=out.index, dtype="object")
    direction[out["ratio_lower"] > 1] = "increased"
    direction[out["ratio_upper"] < 1] = "decreased"
    direction[out["ratio"].isna()] = "not compared"
    out["direction"] = direction
    out["confidence"] = float(confidence)
    return out


def change_between_periods(
    data: pd.DataFrame,
    numerator: str,
    denominator: str | None = None,
    by: str | Sequence[str] = (),
    period: str = "year",
    from_period: Hashable | None = None,
    to_period: Hashable | None = None,
    measure: Measure = "rate",
    multiplier: float = 1000,
    confidence: float = 0.95,
    rate_method: Literal["fingertips", "byar", "exact"] = "fingertips",
    unknown_label: str = UNKNOWN_LABEL,
    order: Mapping[str, Sequence] | None = None,
) -> pd.DataFrame:
    """Change in an indicator between two periods, by group, with its significance.

    Exact, like :func:`indicator_by_group`: publish the counts through a release and
    recompute with :func:`derive_change` from the published ones.

    Parameters
    ----------
    data, numerator, denominator, by, measure, multiplier, confidence, rate_method,
    unknown_label, order
        As in :func:`indicator_by_group`.
    period : str, default "year"
        Column holding the period (e.g. ``"2024-25"``).
    from_period, to_period : optional
        The two periods compared; default the second-latest and the latest present
        (periods sort as text, which orders ``"2023-24" < "2024-25"`` and years).

    Returns
    -------
    DataFrame
        One row per group (plus the overall row): the group columns, ``from_period``,
        ``to_period``, ``numerator_from``, ``denominator_from``, ``value_from``,
        ``numerator_to``, ``denominator_to``, ``value_to``, ``change`` (``value_to -
        value_from``, in the indicator's unit: rate per ``multiplier``, or proportion
        0-1), ``ratio`` (``value_to / value_from``), ``ratio_lower``, ``ratio_upper``,
        ``direction`` (``"increased"``, ``"decreased"``, ``"no significant change"``,
        ``"not compared"``), ``confidence`` (level of the ratio's interval),
        ``is_overall``.

    Raises
    ------
    ValueError
        If fewer than two periods are present or a named period is absent.

    Notes
    -----
    The change is judged significant when the interval of the ratio of the two
    periods' rates (or proportions), from :func:`edi_analysis.stats.rate_ratio`,
    excludes 1. The periods are treated as independent samples.
    """
    by_cols = _as_list(by)
    periods = (
        sorted(map(str, pd.Series(data[period]).dropna().unique()))
        if isinstance(data, pd.DataFrame) and period in data.columns
        else []
    )
    if not periods:
        raise ValueError(f"Column {period!r} is missing or empty; cannot compare periods.")
    if from_period is None or to_period is None:
        if len(periods) < 2:
            raise ValueError(f"Only one period ({periods[0]}) is present; need two to compare.")
        from_period = periods[-2] if from_period is None else from_period
        to_period = periods[-1] if to_period is None else to_period
    for p in (from_period, to_period):
        if str(p) not in periods:
            raise ValueError(f"Period {p!r} is not in column {period!r}; found {periods}.")
    subset = data[data[period].astype(str).isin([str(from_period), str(to_period)])].copy()
    subset[period] = subset[period].astype(str)
    raw = indicator_by_group(
        subset, numerator, denominator, by=by_cols, measure=measure, multiplier=multiplier,
        confidence=confidence, within=period, rate_method=rate_method,
        unknown_label=unknown_label, order=order,
    )
    keep = [*by_cols, "numerator", "denominator", "is_overall"]
    frm = raw[raw[period] == str(from_period)][keep]
    to = raw[raw[period] == str(to_period)][keep].drop(columns="is_overall")
    both = frm.merge(to, on=by_cols, how="outer", suffixes=("_from", "_to"))
    both["is_overall"] = both["is_overall"].fillna(False).astype(bool)
    for side in ("from", "to"):
        for col in ("numerator", "denominator"):
            both[f"{col}_{side}"] = both[f"{col}_{side}"].fillna(0.0)
    both.insert(len(by_cols), "from_period", str(from_period))
    both.insert(len(by_cols) + 1, "to_period", str(to_period))
    both = derive_change(both, measure, multiplier, confidence, rate_method)
    both = _sorted(both, by_cols, unknown_label, order)
    return both[[*by_cols, "from_period", "to_period", "numerator_from", "denominator_from",
                 "value_from", "numerator_to", "denominator_to", "value_to", "change",
                 "ratio", "ratio_lower", "ratio_upper", "direction", "confidence",
                 "is_overall"]]


# --------------------------------------------------------------------------------------
# publishing through a disclosure release
# --------------------------------------------------------------------------------------
def _categories(value: object) -> str:
    """A group value as the category of a population attribute (1 -> "1")."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def indicator_keys(
    frame: pd.DataFrame,
    population: Population,
    columns: Sequence[str],
    numerator: Mapping[str, object] | None,
    denominator: Mapping[str, object] | None = None,
    values: Mapping[str, Mapping[object, object]] | None = None,
) -> tuple[list[CellKey], list[CellKey]]:
    """The cells of an indicator table's numerators and denominators, row by row.

    Parameters
    ----------
    frame : DataFrame
        The table (e.g. :func:`indicator_by_group` output).
    population : Population
        Whose units the table counts; it has an attribute of each name in ``columns``.
    columns : sequence of str
        The group and stratum columns that name a row's units (``["year",
        "ethnic_group"]``). A value of :data:`OVERALL_LABEL` puts no condition on its
        attribute.
    numerator, denominator : mapping
        Attribute -> category or categories of the numerator's and the denominator's
        units (e.g. ``{"outcome": "Stillbirth"}`` and ``{"outcome": ["Live birth",
        "Stillbirth"]}``). None: no condition.
    values : mapping, optional
        Column -> {row value -> category or categories}, for values that are not the
        category's name: a pooled stratum (``{"2024-25 to 2025-26 (pooled)":
        ["2024-25", "2025-26"]}``) or a combined group.

    Returns
    -------
    (list of CellKey, list of CellKey)
        One numerator and one denominator key per row.
    """
    values = values or {}
    num_keys, den_keys = [], []
    for row in frame[list(columns)].itertuples(index=False):
        cond: dict[str, object] = {}
        for col, v in zip(columns, row, strict=True):
            if v == OVERALL_LABEL:
                continue
            mapped = values.get(col, {}).get(v, v)
            if isinstance(mapped, str) or not isinstance(mapped, Iterable):
                cond[col] = _categories(mapped)
            else:
                cond[col] = [_categories(x) for x in mapped]
        num_keys.append(population.key(**cond, **dict(numerator or {})))
        den_keys.append(population.key(**cond, **dict(denominator or {})))
    return num_keys, den_keys


def _decimals(policy: SuppressionPolicy, measure: str) -> int:
    return policy.decimals_for("proportion" if measure == "proportion" else "rate")


def indicator_kinds(policy: SuppressionPolicy, measures: Iterable[str],
                    value_columns: Sequence[str] = VALUE_COLUMNS,
                    ratio_columns: Sequence[str] = RATIO_COLUMNS) -> dict[str, str]:
    """Published kinds of an indicator table's derived columns.

    Values are rates per 1,000 (kind ``rate``) or proportions 0-1 (``proportion``, as
    many decimals as a percentage with one). A table mixing both declares the kind
    with more decimals, and :func:`round_by_measure` rounds each row to its own.
    """
    kinds = {"proportion" if m == "proportion" else "rate" for m in measures} or {"rate"}
    kind = max(kinds, key=lambda k: policy.decimals_for(k))
    out = {c: kind for c in value_columns}
    out.update({c: "ratio" for c in ratio_columns})
    out["confidence"] = "proportion"
    return out


def round_by_measure(frame: pd.DataFrame, policy: SuppressionPolicy,
                     columns: Sequence[str] = VALUE_COLUMNS) -> pd.DataFrame:
    """Round value columns row by row to the decimals the report shows for the measure.

    Rates (``measure == "rate"``) get the policy's rate decimals, proportions those of
    a proportion (a percentage with one decimal). Rows need a ``measure`` column.
    """
    out = frame.copy()
    for measure in out["measure"].dropna().unique():
        rows = out["measure"] == measure
        d = _decimals(policy, str(measure))
        for col in columns:
            if col in out.columns:
                out.loc[rows, col] = np.round(pd.to_numeric(out.loc[rows, col]).astype(float), d)
    return out


def _symbols(counts: Sequence[str]) -> dict[str, str]:
    return {c: f"{c}_symbol" for c in counts}


def declare_indicator(
    release: Release,
    name: str,
    frame: pd.DataFrame,
    numerator: Sequence[CellKey | None],
    denominator: Sequence[CellKey | None],
    roles: Sequence[Role] | Role = Role.DETAIL,
    kinds: Mapping[str, str] | None = None,
) -> None:
    """Declare an indicator table (one row per group) to a release.

    Parameters
    ----------
    release : Release
    name : str
        File name of the published CSV (without ``.csv``).
    frame : DataFrame
        The exact table (:func:`indicator_by_group` output); its ``numerator`` and
        ``denominator`` columns are the counts.
    numerator, denominator : sequence of CellKey
        The cell of each row's counts (:func:`indicator_keys`).
    roles : sequence of Role or Role
        How much each row matters (the same for its numerator and denominator):
        :attr:`Role.TOTAL` for the overall rows, :attr:`Role.REFERENCE` for the
        reference group of the ratios, :attr:`Role.CHART` for a chart's series.
    kinds : mapping, optional
        Published kinds of the derived columns; default :func:`indicator_kinds` of the
        table's measures.

    Notes
    -----
    The published table (:func:`publish_indicator`) carries ``numerator_symbol`` and
    ``denominator_symbol`` (the symbol of a hidden count) and ``suppressed`` (a count
    of the row is hidden).
    """
    n = len(frame)
    role_list = [roles] * n if isinstance(roles, Role) else list(roles)
    if kinds is None:
        kinds = indicator_kinds(release.policy, frame["measure"].unique())
    release.add_table(
        name, frame.reset_index(drop=True),
        counts={"numerator": list(numerator), "denominator": list(denominator)},
        roles={"numerator": role_list, "denominator": role_list},
        symbols=_symbols(("numerator", "denominator")), kinds=dict(kinds),
    )


def publish_indicator(
    release: Release,
    name: str,
    by: str | Sequence[str],
    within: str | Sequence[str] | None = None,
    reference: Hashable | Mapping[str, Hashable] | None = None,
    confidence: float = 0.95,
    rate_method: Literal["fingertips", "byar", "exact"] = "fingertips",
    finish: bool = True,
) -> pd.DataFrame:
    """A declared indicator table as published, every figure from the published counts.

    Parameters
    ----------
    release : Release
        Protected (``release.protect()``).
    name : str
        The table (:func:`declare_indicator`); its rows share one measure and
        multiplier (the ``measure`` and ``multiplier`` columns).
    by, within, reference, confidence, rate_method
        As in :func:`indicator_by_group`.
    finish : bool, default True
        Round and keep it as the release's published table (``release.finish``);
        False returns the unrounded derivation (to combine tables first).

    Returns
    -------
    DataFrame
        The table with counts blank where hidden (rounded under a rounding policy),
        their symbols, ``suppressed``, and every derived figure recomputed by
        :func:`derive_indicator`.
    """
    pub = release.published_table(name)
    measure = str(pub["measure"].iloc[0])
    multiplier = float(pub["multiplier"].iloc[0])
    out = derive_indicator(pub, by, within, measure, multiplier, reference, confidence,
                           rate_method)
    if not finish:
        return out
    return release.finish(name, round_by_measure(out, release.policy))


def count_text(values: pd.Series, symbols: pd.Series | None = None) -> pd.Series:
    """Counts as the report prints them: "1,234", or the symbol of a hidden count."""
    text = pd.Series(values).map(lambda v: "" if pd.isna(v) else f"{v:,.0f}")
    if symbols is None:
        return text
    sym = pd.Series(symbols, index=text.index).fillna("").astype(str)
    return text.where(sym == "", sym)


def inequality_gradient(
    by_quintile: pd.DataFrame,
    quintile_col: str = "imd_quintile",
    within: str | Sequence[str] | None = None,
    most_deprived_first: bool = True,
    confidence: float = 0.95,
    method: Literal["simulation", "analytic"] = "simulation",
) -> pd.DataFrame:
    """Slope and relative indices of inequality across deprivation quintiles.

    Parameters
    ----------
    by_quintile : DataFrame
        Output of :func:`indicator_by_group` with ``by=quintile_col``. Rows for the
        overall and the unknown quintile are ignored; quintiles must be numbered 1-5.
    quintile_col : str, default "imd_quintile"
    within : str or sequence of str, optional
        Strata (e.g. ``"year"``); one result row per stratum.
    most_deprived_first : bool, default True
        True when quintile 1 is the most deprived (the IMD convention used here).
    confidence : float, default 0.95
    method : {"simulation", "analytic"}, default "simulation"
        Interval method of :func:`edi_analysis.stats.slope_index_of_inequality` (the
        PHE Monte Carlo simulation, or its exact analytic equivalent).

    Returns
    -------
    DataFrame
        Per stratum: ``sii``, ``sii_lower``, ``sii_upper``, ``rii``, ``rii_lower``,
        ``rii_upper``, ``fitted_most_deprived``, ``fitted_least_deprived``,
        ``quintiles_used``, ``method``, ``note``, ``confidence``. The SII is **most
        deprived minus least deprived**, in the indicator's unit (rate per
        ``multiplier`` or proportion 0-1): positive when the indicator is higher in
        more deprived areas. The RII is the fitted value at the most deprived end
        divided by that at the least deprived end; it is NaN, or has no upper limit,
        with the reason in ``note`` (and a warning) when too few events make a fitted
        end zero or possibly zero (see
        :func:`edi_analysis.stats.relative_index_of_inequality`). Both are NaN with a
        note when a quintile is missing or suppressed (the index needs all five).

    Notes
    -----
    Each quintile is placed at the midpoint of its share of the denominator (births,
    people treated) on the cumulative scale from most to least deprived, and the
    values are regressed on that position weighted by the denominators (OHID method;
    :func:`edi_analysis.stats.slope_index_of_inequality` with ``reverse=True``, and
    :func:`edi_analysis.stats.relative_index_of_inequality`). Each quintile's standard
    error is taken from its own confidence interval.

    References
    ----------
    .. [1] Low A, Low A (2004). Measuring the gap: quantifying and comparing local health
       inequalities. *J Public Health* 26:388-395.
    .. [2] Public Health England (2018). *Technical Guide: Slope index of inequality*.
    """
    within_cols = _as_list(within)
    if not isinstance(by_quintile, pd.DataFrame):
        raise ValueError("by_quintile must be a DataFrame from indicator_by_group.")
    needed = [quintile_col, "value", "lower", "upper", "denominator", *within_cols]
    missing = [c for c in needed if c not in by_quintile.columns]
    if missing:
        raise ValueError(f"by_quintile lacks columns {missing}; pass indicator_by_group output.")
    rows = by_quintile[by_quintile[quintile_col].isin([1, 2, 3, 4, 5])]
    if "is_overall" in rows.columns:
        rows = rows[~rows["is_overall"].astype(bool)]
    groups = rows.groupby(within_cols, sort=True) if within_cols else [((), rows)]
    out = []
    for key, part in groups:
        record = dict(zip(within_cols, key if isinstance(key, tuple) else (key,), strict=True))
        record.update(_gradient_one(part, quintile_col, most_deprived_first, confidence, method))
        record["confidence"] = float(confidence)
        out.append(record)
    return pd.DataFrame(out)


# --------------------------------------------------------------------------------------
# narrative: sentences built from the published numbers
# --------------------------------------------------------------------------------------
#: Event counts below this make a rate "imprecise" in the narrative.
SMALL_NUMBER = 10


def _fmt_value(value: float, measure: str, multiplier: float) -> str:
    if measure == "proportion":
        return f"{value * 100:.1f}%"
    return f"{value:.1f}"


def _fmt_with_unit(value: float, measure: str, multiplier: float, per: str) -> str:
    if measure == "proportion":
        return f"{value * 100:.1f}%"
    return f"{value:.1f} per {multiplier:,.0f} {per}"


def _join(items: list[str]) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def describe_groups(
    result: pd.DataFrame,
    group_col: str,
    indicator: str,
    events: str,
    per: str,
    group_noun: str | Callable[[object], str] = "{group}",
    reference_label: str | None = None,
    small_number: int = SMALL_NUMBER,
    include_overall: bool = True,
) -> list[str]:
    """Sentences describing an :func:`indicator_by_group` result (one stratum).

    Parameters
    ----------
    result : DataFrame
        Published output of :func:`indicator_by_group` for one period, with one group
        column.
    group_col : str
        The group column.
    indicator : str
        Name of the indicator in a sentence, e.g. ``"the stillbirth rate"``.
    events : str
        Plural noun for the events, e.g. ``"stillbirths"``.
    per : str
        The denominator, e.g. ``"total births"``.
    group_noun : str or callable, default "{group}"
        Template naming a group, e.g. ``"{group} mothers"`` or ``"quintile {group}"``,
        or a function of the group value returning its name.
    reference_label : str, optional
        How to name the reference group; defaults to ``group_noun`` of it.
    small_number : int, default 10
        Groups with fewer events are described as imprecise.
    include_overall : bool, default True
        Start with the overall figure (False when another paragraph already gave it).

    Returns
    -------
    list of str
        Neutral sentences: the overall figure; groups significantly above or below
        it; groups that differ but not significantly; rate ratios whose interval
        excludes 1; groups with few events or suppressed figures.

    Notes
    -----
    Nothing is called "higher" or "lower" without "significantly" unless the sentence
    says the difference is not statistically significant. The significance rule is
    the one in :func:`indicator_by_group`.
    """
    if result.empty:
        return []
    row0 = result.iloc[0]
    measure, multiplier = str(row0["measure"]), float(row0["multiplier"])
    ci = stats.confidence_label(result)

    def name(g: object) -> str:
        return group_noun(g) if callable(group_noun) else group_noun.format(group=g)

    sentences: list[str] = []
    overall = result[result["is_overall"]]
    groups = result[~result["is_overall"]]
    if len(overall):
        o = overall.iloc[0]
        if pd.notna(o["value"]) and include_overall:
            sentences.append(
                f"Overall, {indicator} was "
                f"{_fmt_with_unit(o['value'], measure, multiplier, per)} "
                f"({ci} confidence interval {_fmt_value(o['lower'], measure, multiplier)} to "
                f"{_fmt_value(o['upper'], measure, multiplier)}; {o['numerator']:,.0f} "
                f"{events} in {o['denominator']:,.0f} {per})."
            )
        elif pd.isna(o["value"]):
            sentences.append(
                f"Overall figures for {indicator} are not shown because they are based on "
                f"very few {events}."
            )
            return sentences
        o_value = o["value"]
    else:
        o_value = np.nan
    for code, word in (("higher", "higher"), ("lower", "lower")):
        hit = groups[groups["comparison"] == code]
        if len(hit):
            parts = [
                f"{name(r[group_col])} ({_fmt_value(r['value'], measure, multiplier)}, "
                f"{ci} CI {_fmt_value(r['lower'], measure, multiplier)} to "
                f"{_fmt_value(r['upper'], measure, multiplier)})"
                for _, r in hit.iterrows()
            ]
            verb = "was" if len(parts) == 1 else "were"
            sentences.append(
                f"{indicator[0].upper() + indicator[1:]} for {_join(parts)} {verb} "
                f"significantly {word} than overall."
            )
    similar = groups[(groups["comparison"] == "similar") & groups["value"].notna()]
    above = similar[similar["value"] > o_value]
    if len(above):
        sentences.append(
            f"{indicator[0].upper() + indicator[1:]} for "
            f"{_join([name(g) for g in above[group_col]])} was higher than overall, but "
            "not statistically significantly (the confidence intervals include the "
            "overall value)."
        )
    refs = result[result["is_reference"]]
    if len(refs) and groups["ratio"].notna().any():
        ref_name = reference_label or name(refs.iloc[0][group_col])
        sig = groups[
            (~groups["is_reference"])
            & groups["ratio"].notna()
            & ((groups["ratio_lower"] > 1) | (groups["ratio_upper"] < 1))
        ]
        for _, r in sig.iterrows():
            sentences.append(
                f"{indicator[0].upper() + indicator[1:]} for {name(r[group_col])} was "
                f"{r['ratio']:.2f} times that for {ref_name} ({ci} CI "
                f"{r['ratio_lower']:.2f} to {r['ratio_upper']:.2f}), a statistically "
                "significant difference."
            )
        if sig.empty:
            sentences.append(
                f"For none of the groups shown did {indicator} differ statistically "
                f"significantly from that of {ref_name}."
            )
    zero = groups[(groups["numerator"] == 0) & groups["value"].notna()]
    if len(zero):
        sentences.append(
            f"There were no {events} for {_join([name(g) for g in zero[group_col]])}; with "
            "small numbers this can happen by chance, and the upper confidence limit shows "
            "how high the true figure could plausibly be."
        )
    few = groups[
        groups["numerator"].notna()
        & (groups["numerator"] > 0)
        & (groups["numerator"] < small_number)
        & groups["value"].notna()
    ]
    if len(few):
        one = len(few) == 1
        sentences.append(
            f"The figure{'' if one else 's'} for {_join([name(g) for g in few[group_col]])} "
            f"{'is' if one else 'are'} based on fewer than {small_number} {events}, so "
            f"{'it is' if one else 'they are'} imprecise: the confidence interval"
            f"{' is' if one else 's are'} wide."
        )
    hidden = groups[groups["suppressed"].astype(bool)] if "suppressed" in groups else groups[:0]
    if len(hidden):
        verb = "is" if len(hidden) == 1 else "are"
        sentences.append(
            f"Figures for {_join([name(g) for g in hidden[group_col]])} {verb} not shown "
            "to protect confidentiality (small numbers, or numbers that would reveal "
            "them)."
        )
    return sentences


def describe_change(
    change: pd.DataFrame,
    group_col: str,
    indicator: str,
    group_noun: str | Callable[[object], str] = "{group}",
    groups_noun: str = "group",
    include_overall: bool = True,
) -> list[str]:
    """Sentences describing :func:`change_between_periods` output.

    Only the overall change and groups whose change is statistically significant are
    named; everything else is summarised as "no statistically significant change".
    """
    if change.empty:
        return []
    first = change.iloc[0]
    frm, to = first["from_period"], first["to_period"]
    out = []
    overall = change[change[group_col] == OVERALL_LABEL]
    if include_overall and len(overall) and overall.iloc[0]["direction"] != "not compared":
        d = overall.iloc[0]["direction"]
        phrase = (
            "showed no statistically significant change"
            if d == "no significant change"
            else f"{d} significantly"
        )
        out.append(f"Overall, {indicator} {phrase} between {frm} and {to}.")
    groups = change[change[group_col] != OVERALL_LABEL]
    for d in ("increased", "decreased"):
        hit = groups[groups["direction"] == d]
        if len(hit):
            names = _join(
                [
                    group_noun(g) if callable(group_noun) else group_noun.format(group=g)
                    for g in hit[group_col]
                ]
            )
            out.append(f"Between {frm} and {to}, {indicator} {d} significantly for {names}.")
    if len(groups) and not groups["direction"].isin(["increased", "decreased"]).any():
        out.append(
            f"No {groups_noun} showed a statistically significant change in "
            f"{indicator} between {frm} and {to}."
        )
    return out


def describe_gradient(
    gradient: pd.DataFrame, indicator: str, unit: str, scale: float = 1.0
) -> list[str]:
    """Sentences describing :func:`inequality_gradient` output (one row per stratum).

    Parameters
    ----------
    gradient : DataFrame
        :func:`inequality_gradient` output.
    indicator : str
        The indicator in a sentence, e.g. ``"the recovery rate"``.
    unit : str
        The SII's unit, e.g. ``"per 1,000 births"`` or ``"percentage points"``.
    scale : float, default 1.0
        Multiplies the values for display (100 for proportions).

    Returns
    -------
    list of str
        Per stratum, the direction in words ("higher/lower in more deprived areas"), the
        fitted values at the two ends, and the SII with its sign convention spelled out;
        then one sentence on the convention when any SII was calculated.

    Notes
    -----
    The SII here is **most deprived minus least deprived** (:func:`inequality_gradient`):
    negative when the indicator is lower in more deprived areas, whatever the indicator.
    OHID's Fingertips and PHEindicatormethods (``phe_sii``) report the regression slope from
    the most to the least deprived end, i.e. least minus most deprived (the SII in life
    expectancy, about 9 years for men in England, is positive because life expectancy is
    higher in the least deprived areas), so their signs are the opposite of these. The
    sentences therefore state the direction in words and never rely on the sign: for an
    indicator where higher is better (recovery, screening uptake) "lower in more deprived
    areas" is the inequality; for one where lower is better (stillbirths) "higher in more
    deprived areas" is.

    References
    ----------
    .. [1] OHID. *Slope index of inequality (SII) and relative index of inequality (RII)*,
       Fingertips public health technical guidance.
    """
    pct = "percentage point" in unit
    cap = indicator[0].upper() + indicator[1:]

    def level(v: float) -> str:
        return f"{v * scale:.1f}%" if pct else f"{v * scale:.1f} {unit}"

    out = []
    calculated = False
    for _, r in gradient.iterrows():
        if pd.isna(r["sii"]):
            out.append(
                f"The slope index of inequality for {indicator} was not calculated: {r['note']}."
            )
            continue
        calculated = True
        sii, lo, hi = (float(r[c]) * scale for c in ("sii", "sii_lower", "sii_upper"))
        ends = (
            f"the fitted line runs from {level(r['fitted_most_deprived'])} at the most "
            f"deprived end to {level(r['fitted_least_deprived'])} at the least deprived end"
        )
        ci = stats.confidence_label(float(r["confidence"])) if "confidence" in r else \
            stats.confidence_label(gradient)
        index = (
            f"slope index of inequality, most deprived minus least deprived, {sii:+.1f} "
            f"{unit}; {ci} CI {lo:+.1f} to {hi:+.1f}"
        )
        if lo > 0 or hi < 0:
            word = "higher" if sii > 0 else "lower"
            out.append(
                f"{cap} was {word} in more deprived areas: {ends}, a gap of {abs(sii):.1f} "
                f"{unit} ({index}), a statistically significant gradient."
            )
        else:
            out.append(
                f"There was no statistically significant gradient in {indicator} across "
                f"deprivation quintiles: {ends} ({index}, an interval that includes zero)."
            )
    if calculated:
        out.append(
            "Here a negative slope index of inequality means lower values in more deprived "
            "areas and a positive one higher values; OHID's Fingertips reports the index the "
            "other way round (least minus most deprived), so its signs are the opposite."
        )
    return out


def _gradient_one(
    part: pd.DataFrame, quintile_col: str, most_deprived_first: bool, confidence: float, method: str
) -> dict[str, object]:
    empty = {
        "sii": np.nan,
        "sii_lower": np.nan,
        "sii_upper": np.nan,
        "rii": np.nan,
        "rii_lower": np.nan,
        "rii_upper": np.nan,
        "fitted_most_deprived": np.nan,
        "fitted_least_deprived": np.nan,
        "method": pd.NA,
    }
    ok = part[
        part["value"].notna()
        & part["denominator"].notna()
        & part["lower"].notna()
        & (part["denominator"] > 0)
    ]
    if ok[quintile_col].nunique() < 5:
        return {
            **empty,
            "quintiles_used": int(ok[quintile_col].nunique()),
            "note": "it needs all five quintiles, and one or more is missing or suppressed",
        }
    ok = ok.sort_values(quintile_col, ascending=most_deprived_first)
    args = dict(
        lower=ok["lower"].to_numpy(dtype=float),
        upper=ok["upper"].to_numpy(dtype=float),
        population=ok["denominator"].to_numpy(dtype=float),
        confidence=confidence,
        method=method,
        most_deprived_first=True,
        reverse=True,
    )
    sii = stats.slope_index_of_inequality(ok["value"].to_numpy(dtype=float), **args).iloc[0]
    with warnings.catch_warnings():
        # an RII that is not computed, or has no upper limit, says why in its note,
        # which the table and the narrative print; the warning would only add a
        # source path to the executed notebook
        warnings.simplefilter("ignore", RuntimeWarning)
        rii = stats.relative_index_of_inequality(ok["value"].to_numpy(dtype=float),
                                                 **args).iloc[0]
    return {
        "sii": sii["value"],
        "sii_lower": sii["lower"],
        "sii_upper": sii["upper"],
        "rii": rii["value"],
        "rii_lower": rii["lower"],
        "rii_upper": rii["upper"],
        "fitted_most_deprived": sii["fitted_most_deprived"],
        "fitted_least_deprived": sii["fitted_least_deprived"],
        "method": sii["method"],
        "quintiles_used": 5,
        "note": f"RII {rii['note']}" if rii["note"] else "",
    }


# --------------------------------------------------------------------------------------
# service indicators from the service_activity input
# --------------------------------------------------------------------------------------
#: Shown (table, chart, narrative) when no service activity file was supplied.
NO_SERVICE_DATA = (
    "No service activity file was supplied for this report, so no service indicator is "
    "shown. To add one, put a file named service_activity.csv (or .xlsx) in the data folder: "
    "columns period, indicator, measure, numerator, denominator and at least one of place, "
    "imd_quintile or ethnic_group (see docs/DESIGN.md)."
)
_GROUPINGS = {"by_place": "place", "by_quintile": "imd_quintile", "by_ethnicity": "ethnic_group"}
_TABLE_SUFFIX = {"by_place": "by_place", "by_quintile": "by_imd_quintile",
                 "by_ethnicity": "by_ethnic_group"}
_NUMERATOR, _REST = "numerator", "rest"


@dataclass
class ServiceSection:
    """One service indicator computed by place, IMD quintile and ethnic group.

    Attributes
    ----------
    indicator : str or None
        The indicator shown (None when no file was supplied).
    indicators : list of str
        Every indicator in the file, sorted.
    measure, multiplier : str, float
        As in :func:`indicator_by_group`.
    period : str or None
        The period shown (default the latest); ``periods`` lists all, sorted.
    synthetic : bool
        The data are the SYNTHETIC demo (every row labelled so).
    by_place, by_quintile, by_ethnicity : DataFrame or None
        :func:`indicator_by_group` output (``within="period"``), or None when the file
        has no such column. Exact from :func:`service_section`; as published after
        :func:`publish_service`.
    gradient : DataFrame or None
        :func:`inequality_gradient` by period (None without quintiles).
    notes : list of str
        Plain sentences on what is missing (no file, no column, unmatched LSOAs).
    reference_quintile, reference_place : optional
        The reference groups of the ratios.
    confidence : float
    published : bool
        True once the figures come from a protected release (:func:`publish_service`).
    """

    indicator: str | None = None
    indicators: list[str] = field(default_factory=list)
    measure: str = "proportion"
    multiplier: float = 1.0
    period: str | None = None
    periods: list[str] = field(default_factory=list)
    synthetic: bool = False
    by_place: pd.DataFrame | None = None
    by_quintile: pd.DataFrame | None = None
    by_ethnicity: pd.DataFrame | None = None
    gradient: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    reference_quintile: int | None = None
    reference_place: str | None = None
    confidence: float = 0.95
    published: bool = False

    @property
    def available(self) -> bool:
        """True when a file was supplied and the indicator computed."""
        return self.indicator is not None

    def table_names(self, prefix: str = "service") -> dict[str, str]:
        """Published table name of each frame (``by_place``, ..., ``gradient``)."""
        if not self.available:
            return {}
        tag = prefix if not self.synthetic else f"synthetic_{prefix}"
        slug = "_".join(re.findall(r"[a-z0-9]+", str(self.indicator).lower()))
        out = {}
        for attr, suffix in (*_TABLE_SUFFIX.items(), ("gradient", "gradient")):
            if getattr(self, attr) is not None:
                out[attr] = f"{tag}_{slug}_{suffix}"
        return out


def service_indicators(activity: pd.DataFrame | None) -> list[str]:
    """Return the indicators in a ``service_activity`` table, sorted (empty for None)."""
    if activity is None or "indicator" not in activity.columns:
        return []
    return sorted(map(str, activity["indicator"].dropna().unique()))


def prepare_service_activity(
    activity: pd.DataFrame,
    imd_quintiles: Literal["national", "local"] = "national",
    area: object = None,
    imd_version: Literal["auto", "2025", "2019"] = "auto",
) -> pd.DataFrame:
    """Give record-level service activity IMD quintiles from its LSOA codes.

    Parameters
    ----------
    activity : DataFrame
        Output of :func:`edi_analysis.io.read_service_activity`.
    imd_quintiles, area, imd_version
        As in :func:`edi_analysis.deprivation.assign_imd_quintile` (``area`` is needed for
        local quintiles).

    Returns
    -------
    DataFrame
        A copy; when ``lsoa_code`` is present, ``imd_quintile`` is filled from it where
        missing (a supplied quintile is kept). ``attrs["imd_unmatched"]`` counts rows whose
        LSOA gave no quintile (kept, reported as "Not known").

    Notes
    -----
    Supplied quintiles are used as given: the file should say whether they are national
    (the default here) or local.
    """
    from edi_analysis import deprivation

    out = activity.copy()
    out.attrs["imd_unmatched"] = 0
    if "lsoa_code" not in out.columns:
        return out
    given = out.drop(columns=["imd_quintile"]) if "imd_quintile" in out.columns else out
    given = given.drop(columns=[c for c in ("imd_decile", "imd_version", "imd_match")
                                if c in given.columns])  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        assigned = deprivation.assign_imd_quintile(
            given[["lsoa_code"]], version=imd_version, quintiles=imd_quintiles, area=area
        )
    derived = assigned["imd_quintile"].astype("Int64")
    if "imd_quintile" in out.columns:
        out["imd_quintile"] = out["imd_quintile"].astype("Int64").fillna(derived)
    else:
        out["imd_quintile"] = derived
    needed = out["lsoa_code"].notna() | ("imd_quintile" not in activity.columns)
    out.attrs["imd_unmatched"] = int((out["imd_quintile"].isna() & needed).sum())
    return out


def service_section(
    activity: pd.DataFrame | None,
    indicator: str | None = None,
    period: str | None = None,
    reference_quintile: int | None = 5,
    reference_place: str | None = None,
    confidence: float = 0.95,
    sii_method: Literal["simulation", "analytic"] = "simulation",
    imd_quintiles: Literal["national", "local"] = "national",
    area: object = None,
    imd_version: Literal["auto", "2025", "2019"] = "auto",
) -> ServiceSection:
    """Compute one service indicator by place, IMD quintile and ethnic group (exact).

    The figures are **exact** (analysis only). To publish them, declare the section to
    the notebook's release (:func:`declare_service`), protect the release, then take
    the published section (:func:`publish_service`).

    Parameters
    ----------
    activity : DataFrame or None
        The ``service_activity`` input (:func:`edi_analysis.io.read_service_activity`);
        None when no file was supplied (the section then says so).
    indicator : str, optional
        Which indicator; default the first alphabetically.
    period : str, optional
        The period the tables show; default the latest of the indicator.
    reference_quintile : int or None, default 5
        Reference IMD quintile for ratios (5 = least deprived).
    reference_place : str, optional
        Reference place for ratios (default none).
    confidence : float, default 0.95
        As in :func:`indicator_by_group`.
    sii_method : {"simulation", "analytic"}
        As in :func:`inequality_gradient`.
    imd_quintiles, area, imd_version
        For record-level files with ``lsoa_code`` (:func:`prepare_service_activity`).

    Returns
    -------
    ServiceSection

    Raises
    ------
    ValueError
        If ``indicator`` or ``period`` is not in the file (the message lists those that are).

    Notes
    -----
    Every period is computed (``within="period"``) with the measure and multiplier the file
    gives for the indicator; IMD quintile 1 is the most deprived.
    """
    if activity is None:
        return ServiceSection(notes=[NO_SERVICE_DATA])
    indicators = service_indicators(activity)
    if not indicators:
        return ServiceSection(notes=["The service activity file has no rows."])
    if indicator is None:
        indicator = indicators[0]
    if indicator not in indicators:
        raise ValueError(
            f"service_indicator {indicator!r} is not in the service activity file; it has "
            f"{indicators}."
        )
    data = activity[activity["indicator"].astype(str) == indicator]
    data = prepare_service_activity(data, imd_quintiles, area, imd_version)
    data = data.assign(period=data["period"].astype(str))
    periods = sorted(data["period"].unique())
    if period is None:
        period = periods[-1]
    if str(period) not in periods:
        raise ValueError(
            f"service_period {period!r} has no rows for {indicator!r}; periods: {periods}."
        )
    measure = str(data["measure"].iloc[0])
    multiplier = (
        float(data["multiplier"].iloc[0])
        if measure == "rate" and "multiplier" in data.columns
        else 1000.0 if measure == "rate" else 1.0
    )
    common = dict(
        numerator="numerator",
        denominator="denominator",
        measure=measure,
        multiplier=multiplier,
        within="period",
        confidence=confidence,
    )
    label = data.get("data_label", pd.Series(dtype=object))
    section = ServiceSection(
        indicator=indicator,
        indicators=indicators,
        measure=measure,
        multiplier=multiplier,
        period=str(period),
        periods=periods,
        synthetic=bool(len(label)) and bool(label.astype(str).eq("SYNTHETIC").all()),
        reference_place=reference_place,
        confidence=confidence,
    )
    if "place" in data.columns:
        section.by_place = indicator_by_group(
            data, by="place", reference=reference_place, **common
        )
    else:
        section.notes.append("The file has no place column, so there is no table by place.")
    if "imd_quintile" in data.columns:
        present = set(data["imd_quintile"].dropna().astype(int))
        ref = reference_quintile if reference_quintile in present else None
        section.reference_quintile = ref
        section.by_quintile = indicator_by_group(
            data.assign(imd_quintile=data["imd_quintile"].astype(object)),
            by="imd_quintile",
            reference=ref,
            **common,
        )
        section.gradient = inequality_gradient(
            section.by_quintile, "imd_quintile", within="period", confidence=confidence,
            method=sii_method,
        )
        if data.attrs.get("imd_unmatched"):
            section.notes.append(
                f"{data.attrs['imd_unmatched']:,} records had no LSOA code, or one that could "
                "not be given an IMD quintile; they are counted as 'Not known'."
            )
    else:
        section.notes.append(
            "The file has no imd_quintile or lsoa_code column, so there is no table by "
            "deprivation quintile."
        )
    if "ethnic_group" in data.columns:
        section.by_ethnicity = indicator_by_group(data, by="ethnic_group", **common)
    return section


def _not_sensitive(policy: SuppressionPolicy, attrs: Iterable[str]) -> dict[str, list[str]]:
    """Groups that are not a published group to protect (non-respondents, see Notes).

    Records whose group is not known (no ethnic group stated, no usable postcode) are
    reported as "Not known" but are not a group of people to protect, as the NHS Staff
    Survey treats respondents who skip a demographic question; the policy flag
    ``protect_non_respondents`` makes them one.
    """
    if policy.protect_non_respondents:
        return {}
    return {a: [UNKNOWN_LABEL] for a in attrs}


def _service_marginal(frame: pd.DataFrame, col: str, period: str, measure: str,
                      part: str | None) -> pd.DataFrame:
    rows = frame[(frame["period"] == period) & ~frame["is_overall"].astype(bool)]
    groups = rows[col].map(_categories).to_numpy()
    num = rows["numerator"].to_numpy(dtype=float)
    den = rows["denominator"].to_numpy(dtype=float)
    if measure == "proportion":
        return pd.DataFrame({col: np.concatenate([groups, groups]),
                             "outcome": [_NUMERATOR] * len(groups) + [_REST] * len(groups),
                             "count": np.concatenate([num, den - num])})
    return pd.DataFrame({col: groups, "count": num if part == "events" else den})


def declare_service(release: Release, section: ServiceSection) -> None:
    """Declare a service section's tables to the notebook's release.

    Parameters
    ----------
    release : Release
        Not yet protected.
    section : ServiceSection
        Exact, from :func:`service_section` (nothing is declared when no file was
        supplied).

    Notes
    -----
    Each period of the indicator is one population, ``"service <indicator> <period>"``,
    given by its counts: one marginal per grouping (place, IMD quintile, ethnic group),
    each with ``outcome`` "numerator" or "rest" (the denominator's other people), so
    the groupings' totals are the same people and a reader's relations between the
    tables follow from the conditions. For a rate (events per population, the
    numerator not part of the denominator) the events and the denominator are two
    populations (``"... events"`` and ``"... denominator"``). Roles: the overall rows
    are totals, the reference quintile a reference group, quintiles 1 to 5 and the
    places chart series; a "Not known" group is not protected unless the policy's
    ``protect_non_respondents`` is set.
    """
    if not section.available:
        return
    names = section.table_names()
    frames = {a: getattr(section, a) for a in _GROUPINGS if getattr(section, a) is not None}
    cols = [_GROUPINGS[a] for a in frames]
    pops: dict[tuple[str, str | None], Population] = {}
    parts = [None] if section.measure == "proportion" else ["events", "denominator"]
    for period in section.periods:
        for part in parts:
            name = f"service {section.indicator} {period}" + (f" {part}" if part else "")
            marginals = [_service_marginal(frames[a], _GROUPINGS[a], period, section.measure,
                                           part) for a in frames]
            domains = {"outcome": [_NUMERATOR, _REST]} if part is None else None
            pops[(period, part)] = release.add_population(Population(
                name, marginals=marginals, domains=domains,
                not_sensitive=_not_sensitive(release.policy, cols)))
    for attr, frame in frames.items():
        col = _GROUPINGS[attr]
        num_keys: list[CellKey] = []
        den_keys: list[CellKey] = []
        for period in section.periods:
            rows = frame[frame["period"] == period]
            if section.measure == "proportion":
                n, d = indicator_keys(rows, pops[(period, None)], [col],
                                      {"outcome": _NUMERATOR})
            else:
                n, _ = indicator_keys(rows, pops[(period, "events")], [col], None)
                _, d = indicator_keys(rows, pops[(period, "denominator")], [col], None)
            num_keys += n
            den_keys += d
        frame = frame.sort_values("period", kind="stable")
        reference = section.reference_quintile if attr == "by_quintile" else \
            section.reference_place if attr == "by_place" else None
        declare_indicator(release, names[attr], frame.assign(indicator=section.indicator),
                          num_keys, den_keys, roles=_service_roles(frame, col, reference))
        setattr(section, attr, frame.reset_index(drop=True))
    if section.gradient is not None:
        release.add_table(names["gradient"], section.gradient.assign(
            indicator=section.indicator), counts={}, flag=None,
            kinds=_gradient_kinds(release.policy, [section.measure]))


def _service_roles(frame: pd.DataFrame, col: str, reference: object) -> list[Role]:
    """The indicator's organisation figure is a headline (issue 11), the reference group
    a reference, places and quintiles a chart series, the rest detail."""
    roles = []
    for g, overall in zip(frame[col], frame["is_overall"], strict=True):
        if overall:
            roles.append(Role.HEADLINE)
        elif reference is not None and g == reference:
            roles.append(Role.REFERENCE)
        elif g == UNKNOWN_LABEL or col == "ethnic_group":
            roles.append(Role.DETAIL)
        else:
            roles.append(Role.CHART)
    return roles


def _gradient_kinds(policy: SuppressionPolicy, measures: Iterable[str]) -> dict[str, str]:
    kinds = indicator_kinds(policy, measures, value_columns=(
        "sii", "sii_lower", "sii_upper", "fitted_most_deprived", "fitted_least_deprived"),
        ratio_columns=("rii", "rii_lower", "rii_upper"))
    return kinds


def publish_service(release: Release, section: ServiceSection,
                    sii_method: Literal["simulation", "analytic"] = "simulation"
                    ) -> ServiceSection:
    """The section as published: every figure from the protected release's counts.

    Parameters
    ----------
    release : Release
        Protected, with the section declared (:func:`declare_service`).
    section : ServiceSection
        As declared.
    sii_method : {"simulation", "analytic"}
        As in :func:`inequality_gradient`.

    Returns
    -------
    ServiceSection
        A copy whose frames are the published tables (counts blank where hidden,
        rounded under a rounding policy, with symbols; values, intervals, ratios and the
        slope index recomputed from them, the index only where every quintile is shown).
    """
    if not section.available:
        return section
    names = section.table_names()
    out = replace(section, published=True)
    for attr in _GROUPINGS:
        if getattr(section, attr) is None:
            continue
        reference = section.reference_quintile if attr == "by_quintile" else \
            section.reference_place if attr == "by_place" else None
        frame = publish_indicator(release, names[attr], _GROUPINGS[attr], "period", reference,
                                  section.confidence, finish=False)
        frame = round_by_measure(frame, release.policy)
        setattr(out, attr, release.finish(names[attr], frame))
    if section.gradient is not None:
        grad = inequality_gradient(out.by_quintile, "imd_quintile", within="period",
                                   confidence=section.confidence, method=sii_method)
        grad = round_by_measure(grad.assign(indicator=section.indicator,
                                            measure=section.measure), release.policy,
                                ("sii", "sii_lower", "sii_upper", "fitted_most_deprived",
                                 "fitted_least_deprived"))
        out.gradient = release.finish(names["gradient"], grad.drop(columns="measure"))
    return out


def describe_service(section: ServiceSection, small_number: int = SMALL_NUMBER) -> list[str]:
    """Careful sentences on a :class:`ServiceSection` for its period.

    Says plainly when no file was supplied, when the data are SYNTHETIC and which
    indicators the file holds; then describes the indicator by place, by IMD quintile and
    the deprivation gradient (:func:`describe_groups`, :func:`describe_gradient`).
    """
    if not section.available:
        return list(section.notes)
    out = []
    if section.synthetic:
        out.append(
            "These figures are SYNTHETIC demonstration data and illustrate the method only; "
            "they are not real activity."
        )
    name = section.indicator
    others = [i for i in section.indicators if i != name]
    out.append(
        f"This section shows {name} for {section.period}"
        + (f"; the file also holds {_join(others)} (choose with the service_indicator "
           "parameter)." if others else ".")  # fmt: skip
    )
    phrase = name  # indicator names are titles ("Talking Therapies recovery"): keep as given
    events, per = (("people meeting the indicator", "people") if section.measure == "proportion"
                   else ("events", "of the denominator"))  # fmt: skip
    unit = "percentage points" if section.measure == "proportion" else (
        f"per {section.multiplier:,.0f}")  # fmt: skip
    scale = 100 if section.measure == "proportion" else 1
    if section.by_place is not None:
        part = section.by_place[section.by_place["period"] == section.period]
        out += describe_groups(part, "place", phrase, events, per,
                               small_number=small_number)  # fmt: skip
    if section.by_quintile is not None:
        part = section.by_quintile[section.by_quintile["period"] == section.period]
        out += describe_groups(
            part, "imd_quintile", phrase, events, per,
            group_noun=_quintile_noun, include_overall=section.by_place is None,
            small_number=small_number,
        )
        grad = section.gradient[section.gradient["period"] == section.period]
        out += describe_gradient(grad, phrase, unit, scale)
    out += [n for n in section.notes if "no place column" not in n or section.by_place is None]
    return out


def _quintile_noun(q: object) -> str:
    if q == 1:
        return "quintile 1 (most deprived)"
    if q == 5:
        return "quintile 5 (least deprived)"
    return f"quintile {q}"
