"""Re-check the published workforce tables together against the staff records.

Each workforce table is protected when it is published, and the tables that share
staff are protected jointly (:func:`edi_analysis.suppression.protect_with_constraints`).
This module does not trust that. It reads the tables as published (CSV text) and
works out, for every count cell, which staff it counts: a conjunction of conditions
on attributes of a person (ethnic group, pay band, pay band cluster, staff type...).
With the staff records this gives every cell as a sum of disjoint units of staff, so
the whole set of published tables becomes one linear system. A hidden cell whose
units are a linear combination of published cells can be worked out by a reader
(adding and subtracting published numbers, in any tables), and is reported when its
true value is a count the policy hides. This is how per-band WRES indicator 1 is
checked against the cluster tables, WDES metric 1 against the disability tables, the
age pyramid against the age and sex tables, and so on.

Tables read (by file name, without ``.csv``), and the people each count cell counts:

==================================  ===================================================
``workforce_headcount``             characteristic = category, cluster (``Total`` =
                                    any); ``cluster_total``: the cluster
``workforce_representation``,       Census category of the characteristic;
``workforce_ethnicity_detailed``    ``workforce_base``: staff who stated a category
                                    (or all staff, by ``share_base``)
``wres_indicator_1``                pay band x staff type x White/BME/Not stated
``wdes_metric_1``                   WDES cluster x staff type x disability group
``workforce_progression``           group x cluster
``workforce_senior_likelihood``     group in Band 8a+ (numerator), group in AfC or VSM
                                    (denominator)
``workforce_declaration``           not-stated categories x cluster; ``headcount``
``workforce_age_sex``               age band x sex
==================================  ===================================================

Every shown cell is first checked against the staff records: a cell the records do
not give (another cluster mapping, other staff) is left out of the system and
reported by :func:`check_tables` as unmodelled, so the audit never relies on a
figure it cannot reproduce.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from edi_analysis import schemas, wdes, workforce, wres
from edi_analysis.errors import InputError
from edi_analysis.suppression import SuppressionPolicy, get_policy, recoverable_figures

__all__ = [
    "TABLES",
    "as_published",
    "CellFigure",
    "TableCheck",
    "check_tables",
    "person_attributes",
    "published_figures",
]

log = logging.getLogger(__name__)

#: Attribute of a person that a table cell can condition on -> how it is derived.
_STANDARD_ATTRIBUTES = ("pay_band", "cluster", "wdes_cluster", "workforce_type",
                        "wres_group", "wdes_group")
_CENSUS_PREFIX = "census:"
_STATED_PREFIX = "stated:"
_UNMODELLED_COLUMNS = ["table", "row", "column", "text", "true_value"]
_ELIGIBLE_FOR_SENIOR = (*schemas.AFC_BANDS, "VSM")


@dataclass(frozen=True)
class CellFigure:
    """One count cell of a published table, as the people it counts.

    Attributes
    ----------
    table : str
        File name without ``.csv``.
    row : int
        Row number in the file, 1 = first row under the header.
    column : str
        Column name.
    condition : tuple of (str, tuple of str)
        Attribute name and the values it must take; a person is counted when every
        attribute matches. Empty: everyone.
    text : str
        The cell as published.
    value : float or None
        The published number; None when the cell is hidden (empty or a symbol).
    """

    table: str
    row: int
    column: str
    condition: tuple[tuple[str, tuple[str, ...]], ...]
    text: str
    value: float | None

    @property
    def hidden(self) -> bool:
        """True when the cell shows no number."""
        return self.value is None


@dataclass
class TableCheck:
    """What :func:`check_tables` found.

    Attributes
    ----------
    figures : pandas.DataFrame
        One row per modelled count cell: ``table``, ``row``, ``column``, ``text``,
        ``hidden``, ``true_value`` (from the staff records), ``recoverable`` (a hidden
        cell a reader can work out), ``disclosive`` (recoverable and a count the
        policy hides) and ``witness`` (for disclosive cells: the tables whose published
        cells give it, as a signed sum, e.g. ``"workforce_headcount row 4 count (54) -
        wres_indicator_1 row 3 total (27) - ..."``).
    unmodelled : pandas.DataFrame
        Shown cells whose published number the staff records do not give (``table``,
        ``row``, ``column``, ``text``, ``true_value``), and cells whose attribute
        could not be derived (``true_value`` NaN). Left out of the system.
    hidden_shares : pandas.DataFrame
        Rows where a count is hidden but the share computed from it is shown
        (``table``, ``row``, ``column``, ``share_column``, ``text``).
    """

    figures: pd.DataFrame
    unmodelled: pd.DataFrame
    hidden_shares: pd.DataFrame

    @property
    def disclosive(self) -> pd.DataFrame:
        """The figures a reader can work out that the policy hides."""
        return self.figures[self.figures["disclosive"]]


# --------------------------------------------------------------------------------------
# people
# --------------------------------------------------------------------------------------
def _attribute(staff: pd.DataFrame, name: str,
               clusters: str | Mapping[str, Sequence[str]]) -> pd.Series:
    if name == "pay_band":
        return staff["pay_band"]
    if name == "cluster":
        return workforce.assign_clusters(staff, clusters)
    if name == "wdes_cluster":
        return workforce.assign_clusters(staff, "wdes")
    if name == "workforce_type":
        return wres.workforce_type(staff)
    if name == "wres_group":
        return wres.ethnicity_group(staff["ethnic_category"])
    if name == "wdes_group":
        return wdes.disability_group(staff["disability"])
    if name.startswith(_STATED_PREFIX):  # stated a category (the representation base)
        census_category = _attribute(staff, name[len(_STATED_PREFIX):], clusters)
        return ~census_category.isin(workforce.NON_RESPONSE_CATEGORIES)
    if name.startswith(_CENSUS_PREFIX):
        key = name[len(_CENSUS_PREFIX):]
        labels = workforce.characteristic_values(staff, key).astype(object).astype(str)
        mapping = workforce.census_category_of_labels(key, list(pd.unique(labels)))
        out = labels.map(mapping)
        if key == "ethnic_category":
            out = out.map(lambda c: workforce.HARMONISED_ETHNIC_LABELS.get(c, c))
        return out
    return workforce.characteristic_values(staff, name)


def person_attributes(
    staff: pd.DataFrame,
    names: Sequence[str],
    clusters: str | Mapping[str, Sequence[str]] = "seed",
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Each person's value of every attribute a published cell can condition on.

    Parameters
    ----------
    staff : pandas.DataFrame
        Canonical staff records (:mod:`edi_analysis.schemas`).
    names : sequence of str
        Attributes wanted: a key of :data:`edi_analysis.workforce.CHARACTERISTICS`
        (its category labels), ``"census:<key>"`` (its Census 2021 category, as in the
        representation tables), ``"stated:census:<key>"`` ("True" when that category is
        not a non-response), ``"pay_band"``, ``"cluster"`` (the run's clusters),
        ``"wdes_cluster"``, ``"workforce_type"`` (non-clinical / clinical / medical and
        dental), ``"wres_group"`` (White / BME / Not stated), ``"wdes_group"``.
    clusters : str or mapping
        The run's pay band clusters (:func:`edi_analysis.workforce.band_clusters`).

    Returns
    -------
    (pandas.DataFrame, dict)
        One string column per attribute that could be derived, on the index of
        ``staff``; and attribute -> reason for each that could not (a missing column).
    """
    columns: dict[str, pd.Series] = {}
    failed: dict[str, str] = {}
    for name in dict.fromkeys(names):
        try:
            columns[name] = _attribute(staff, name, clusters).astype(object).astype(str)
        except (InputError, KeyError, ValueError) as exc:
            failed[name] = str(exc).splitlines()[0]
    return pd.DataFrame(columns, index=staff.index), failed


# --------------------------------------------------------------------------------------
# published tables -> cells
# --------------------------------------------------------------------------------------
def _number(text: str) -> float | None:
    try:
        return float(str(text).replace(",", "").strip())
    except ValueError:
        return None


def _when(**conditions: str | Sequence[str] | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A condition; ``"Total"``/None values mean "any" and are dropped."""
    out = []
    for attr, values in conditions.items():
        if values is None or values == workforce.TOTAL:
            continue
        vals = (values,) if isinstance(values, str) else tuple(values)
        out.append((attr, vals))
    return tuple(out)


_Row = Mapping[str, str]
_Cells = Iterator[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]]


def _headcount_cells(row: _Row) -> _Cells:
    key, clu = row["characteristic"], row["cluster"]
    yield "count", _when(**{key: row["category"]}, cluster=clu)
    yield "cluster_total", _when(cluster=clu)


def _representation_cells(row: _Row) -> _Cells:
    attr = _CENSUS_PREFIX + row["characteristic"]
    yield "workforce_n", _when(**{attr: row["category"]})
    if row.get("share_base") == "staff who stated":
        yield "workforce_base", ((_STATED_PREFIX + attr, ("True",)),)
    else:
        yield "workforce_base", ()


def _by_band_cells(band_attr: str, group_attr: str, groups: Sequence[str]) -> Callable:
    def cells(row: _Row) -> _Cells:
        kind = row["workforce"]
        base = _when(**{band_attr: row["band"]},
                     workforce_type=None if kind == "Overall workforce" else kind)
        for g in groups:
            if g in row:
                yield g, (*base, (group_attr, (g,)))
        yield "total", base
    return cells


def _progression_cells(row: _Row) -> _Cells:
    yield "count", _when(**{row["characteristic"]: row["category"]}, cluster=row["cluster"])


def _senior_cells(row: _Row) -> _Cells:
    key = "bme" if {row["reference"], row["comparison"]} <= {"White", "BME"} else "disability"
    for side, group in (("a", row["reference"]), ("b", row["comparison"])):
        yield f"numerator_{side}", _when(**{key: group}, pay_band=workforce.SENIOR_BANDS)
        yield f"denominator_{side}", _when(**{key: group}, pay_band=_ELIGIBLE_FOR_SENIOR)


def _declaration_cells(row: _Row) -> _Cells:
    key = row["characteristic"]
    spec = workforce.CHARACTERISTICS.get(key)
    if spec is not None:
        yield "not_declared_n", _when(**{key: spec.not_stated}, cluster=row["cluster"])
    yield "headcount", _when(cluster=row["cluster"])


def _age_sex_cells(row: _Row) -> _Cells:
    yield "count", _when(age_band=row["age_band"], sex=row["sex"])


#: Published workforce tables re-checked together -> how a row's cells are read.
TABLES: dict[str, Callable[[_Row], _Cells]] = {
    "workforce_headcount": _headcount_cells,
    "workforce_representation": _representation_cells,
    "workforce_ethnicity_detailed": _representation_cells,
    "wres_indicator_1": _by_band_cells("pay_band", "wres_group",
                                       (wres.WHITE, wres.BME, wres.UNKNOWN)),
    "wdes_metric_1": _by_band_cells("wdes_cluster", "wdes_group",
                                    (wdes.DISABLED, wdes.NON_DISABLED, wdes.UNKNOWN)),
    "workforce_progression": _progression_cells,
    "workforce_senior_likelihood": _senior_cells,
    "workforce_declaration": _declaration_cells,
    "workforce_age_sex": _age_sex_cells,
}

#: Count column -> the share column computed from it, per table.
_SHARES: dict[str, tuple[tuple[str, str], ...]] = {
    "workforce_headcount": (("count", "share"),),
    "workforce_representation": (("workforce_n", "workforce_share"),),
    "workforce_ethnicity_detailed": (("workforce_n", "workforce_share"),),
    "wres_indicator_1": ((wres.WHITE, f"{wres.WHITE}_share"), (wres.BME, f"{wres.BME}_share")),
    "wdes_metric_1": ((wdes.DISABLED, f"{wdes.DISABLED}_share"),
                      (wdes.NON_DISABLED, f"{wdes.NON_DISABLED}_share")),
    "workforce_progression": (("count", "share_of_group"),),
    "workforce_senior_likelihood": (("numerator_a", "value_a"), ("numerator_b", "value_b")),
    "workforce_declaration": (("not_declared_n", "not_declared_share"),),
    "workforce_age_sex": (("count", "share"),),
}


def as_published(frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables as a reader gets them: written as CSV and read back as text.

    Parameters
    ----------
    frames : mapping of str to DataFrame
        Tables as the package publishes them (e.g. ``WorkforceSection.tables()``), by
        file name without ``.csv``.

    Returns
    -------
    dict of str to DataFrame
        Same names; every cell a string, hidden cells empty (what
        :func:`edi_analysis.outputs.write_tables` writes), for :func:`check_tables`.
    """
    out = {}
    for name, frame in frames.items():
        buf = io.StringIO()
        frame.to_csv(buf, index=False)
        buf.seek(0)
        out[name] = pd.read_csv(buf, dtype=str, keep_default_na=False)
    return out


def published_figures(tables: Mapping[str, pd.DataFrame]) -> list[CellFigure]:
    """Every count cell of the published workforce tables, as the people it counts.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Published tables by file name without ``.csv`` (as text: read with
        ``dtype=str, keep_default_na=False``). Names not in :data:`TABLES` are ignored.

    Returns
    -------
    list of CellFigure
        Cells showing :data:`edi_analysis.workforce.NOT_RECORDED` (no staff figure
        exists, e.g. Census-only ethnic groups) are left out.
    """
    out = []
    for name, frame in tables.items():
        reader = TABLES.get(name)
        if reader is None:
            continue
        for i, row in enumerate(frame.astype(str).to_dict("records"), start=1):
            try:
                cells = list(reader(row))
            except KeyError as exc:  # a table without the expected columns: not modelled
                log.warning("Table %s row %d lacks column %s; not re-checked.", name, i, exc)
                continue
            for column, condition in cells:
                if column not in row:
                    continue
                text = row[column].strip()
                if text == workforce.NOT_RECORDED:
                    continue
                out.append(CellFigure(name, i, column, condition, text, _number(text)))
    return out


def _hidden_shares(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    rows = []
    for name, pairs in _SHARES.items():
        frame = tables.get(name)
        if frame is None:
            continue
        for count_col, share_col in pairs:
            if count_col not in frame.columns or share_col not in frame.columns:
                continue
            counts = frame[count_col].astype(str).str.strip()
            shares = frame[share_col].astype(str).str.strip()
            for i in np.flatnonzero(counts.map(_number).isna().to_numpy()
                                    & (counts != workforce.NOT_RECORDED).to_numpy()
                                    & shares.map(_number).notna().to_numpy()):
                rows.append({"table": name, "row": int(i) + 1, "column": count_col,
                             "share_column": share_col, "text": counts.iloc[i]})
    return pd.DataFrame(rows, columns=["table", "row", "column", "share_column", "text"])


# --------------------------------------------------------------------------------------
# the check
# --------------------------------------------------------------------------------------
def _unit_matrix(figures: Sequence[CellFigure], people: pd.DataFrame) -> tuple[np.ndarray,
                                                                               np.ndarray]:
    """0/1 design (figures x units) and the number of people in each unit."""
    units = people.value_counts(dropna=False).rename("n").reset_index()
    rows = np.ones((len(figures), len(units)), dtype=bool)
    for k, fig in enumerate(figures):
        for attr, values in fig.condition:
            rows[k] &= units[attr].isin(values).to_numpy()
    # merge units that every figure counts together: same answer, smaller system
    merged, inverse = np.unique(rows.T, axis=0, return_inverse=True)
    n = np.bincount(inverse.ravel(), weights=units["n"].to_numpy(dtype=float),
                    minlength=len(merged))
    return merged.T.astype(float), n


def _witness(design: np.ndarray, shown: np.ndarray, target: int,
             figures: Sequence[CellFigure]) -> str:
    """The published cells that give the target, as few as a linear program finds.

    Minimises the sum of absolute coefficients (a sparse combination: the sum a reader
    would do) with :func:`scipy.optimize.linprog`; falls back to least squares.
    """
    from scipy.optimize import linprog

    idx = np.flatnonzero(shown)
    a = design[idx].T
    m = len(idx)
    res = linprog(np.ones(2 * m), A_eq=np.hstack([a, -a]), b_eq=design[target],
                  bounds=(0, None), method="highs")
    if res.status == 0:
        coef = res.x[:m] - res.x[m:]
    else:
        coef, *_ = np.linalg.lstsq(a, design[target], rcond=None)
    parts = []
    for j, c in zip(idx, coef, strict=True):
        if abs(c) > 1e-6:
            f = figures[j]
            sign = "+" if c > 0 else "-"
            times = "" if abs(abs(c) - 1) < 1e-6 else f"{abs(c):g} x "
            parts.append(f"{sign} {times}{f.table} row {f.row} {f.column} ({f.text})")
    return " ".join(parts).lstrip("+ ")


def check_tables(
    tables: Mapping[str, pd.DataFrame],
    staff: pd.DataFrame,
    policy: str | SuppressionPolicy = "standard",
    clusters: str | Mapping[str, Sequence[str]] = "seed",
) -> TableCheck:
    """Find hidden workforce counts that a reader can work out across tables.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Published tables by file name without ``.csv``, as text
        (:func:`published_figures`).
    staff : pandas.DataFrame
        The staff records the tables were published from.
    policy : str or SuppressionPolicy
        The run's policy: a recoverable hidden count is disclosive when the policy
        would hide it (:meth:`~edi_analysis.suppression.SuppressionPolicy.is_small_count`).
    clusters : str or mapping
        The run's pay band clusters.

    Returns
    -------
    TableCheck

    Notes
    -----
    Each count cell is the number of people meeting its condition; the people are
    grouped into units (people alike on every attribute any cell conditions on), so
    each cell is a sum of units. A hidden cell is recoverable when its row of the
    unit matrix lies in the row space of the shown cells
    (:func:`edi_analysis.suppression.recoverable_figures`): a reader with every
    published table can then compute it exactly by adding and subtracting published
    numbers, ignoring that counts are non-negative (so bounds from non-negativity are
    not searched for). Under a rounding policy shown counts are not exact and nothing
    is recoverable this way, so only the share check runs.
    """
    pol = get_policy(policy)
    figures = published_figures(tables)
    hidden_shares = _hidden_shares(tables)
    people, failed = person_attributes(
        staff, [attr for f in figures for attr, _ in f.condition], clusters)
    usable = [f for f in figures if all(a in people.columns for a, _ in f.condition)]
    skipped = [f for f in figures if f not in usable]
    for attr, why in failed.items():
        log.warning("Workforce cells on %r not re-checked: %s", attr, why)
    unmodelled = [{"table": f.table, "row": f.row, "column": f.column, "text": f.text,
                   "true_value": np.nan} for f in skipped]
    columns = ["table", "row", "column", "text", "hidden", "true_value", "recoverable",
               "disclosive", "witness"]
    if not usable or people.empty:
        return TableCheck(pd.DataFrame(columns=columns),
                          pd.DataFrame(unmodelled, columns=_UNMODELLED_COLUMNS),
                          hidden_shares)
    used_attrs = list(dict.fromkeys(a for f in usable for a, _ in f.condition))
    if not used_attrs:
        used_attrs = [people.columns[0]]
    design, n = _unit_matrix(usable, people[used_attrs])
    truth = design @ n
    hidden = np.array([f.hidden for f in usable])
    published = np.array([np.nan if f.hidden else f.value for f in usable], dtype=float)
    wrong = ~hidden & ~np.isclose(published, truth, atol=1e-6)
    for k in np.flatnonzero(wrong):
        f = usable[k]
        unmodelled.append({"table": f.table, "row": f.row, "column": f.column,
                           "text": f.text, "true_value": truth[k]})
    keep = ~wrong
    recoverable = np.zeros(len(usable), dtype=bool)
    if pol.rounding_base is None:
        recoverable[keep] = recoverable_figures(design[keep], hidden[keep])
    disclosive = recoverable & pol.is_small_count(truth)
    witness = [""] * len(usable)
    shown_kept = keep & ~hidden
    for k in np.flatnonzero(disclosive):
        witness[k] = _witness(design, shown_kept, k, usable)
    out = pd.DataFrame({
        "table": [f.table for f in usable], "row": [f.row for f in usable],
        "column": [f.column for f in usable], "text": [f.text for f in usable],
        "hidden": hidden, "true_value": truth, "recoverable": recoverable,
        "disclosive": disclosive, "witness": witness,
    })
    if len(unmodelled):
        log.warning("%d published workforce cell(s) do not match the staff records and "
                    "were not re-checked across tables.", len(unmodelled))
    return TableCheck(out, pd.DataFrame(unmodelled, columns=_UNMODELLED_COLUMNS),
                      hidden_shares)
