"""English Indices of Deprivation (IMD 2019 on LSOA 2011, IMD 2025 on LSOA 2021) by LSOA.

Quintile 1 is always the **most** deprived fifth. National quintiles follow MHCLG's
deciles (quintile = ceil(decile / 2)); local quintiles re-rank an area's own LSOAs. Rows
whose LSOA cannot be matched are kept, with a missing quintile and a reason in
``imd_match``; :func:`unmatched_lsoas` counts them.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from functools import lru_cache
from typing import Literal

import numpy as np
import pandas as pd

from edi_analysis.census import _lsoa_ethnicity_5
from edi_analysis.errors import InputError, InputProblem
from edi_analysis.geography import Area, Org, _lsoa_population, _raw, resolve_area, resolve_org

__all__ = [
    "IMD_VERSIONS",
    "MATCHED",
    "assign_imd_quintile",
    "icb_imd_summary",
    "imd_by_lsoa",
    "local_imd_quintiles",
    "population_by_ethnicity_and_imd",
    "unmatched_lsoas",
]

IMD_VERSIONS: tuple[str, ...] = ("2025", "2019")
MATCHED = "matched"

_FILES = {
    "2025": (
        "deprivation/imd2025_lsoa21.csv.gz",
        {
            "lsoa21_code": "lsoa_code",
            "lsoa21_name": "lsoa_name",
            "ltla24_code": "ltla_code",
            "ltla24_name": "ltla_name",
            "IMD_score": "imd_score",
            "IMD_rank": "imd_rank",
            "IMD_decile": "imd_decile",
        },
    ),
    "2019": (
        "deprivation/imd2019_lsoa11.csv.gz",
        {
            "lsoa11_code": "lsoa_code",
            "lsoa11_name": "lsoa_name",
            "ltla19_code": "ltla_code",
            "ltla19_name": "ltla_name",
            "imd_score": "imd_score",
            "imd_rank": "imd_rank",
            "imd_decile": "imd_decile",
        },
    ),
}
_OUT_COLS = ("imd_decile", "imd_quintile", "imd_version", "imd_match")


def _check_version(version: object, allow_auto: bool) -> str:
    v = str(version)
    allowed = (*IMD_VERSIONS, "auto") if allow_auto else IMD_VERSIONS
    if v not in allowed:
        raise ValueError(f"unknown IMD version {version!r}; expected one of {', '.join(allowed)}")
    return v


@lru_cache(maxsize=2)
def _imd(version: str) -> pd.DataFrame:
    file, columns = _FILES[version]
    path = _raw(file)
    df = pd.read_csv(path, usecols=list(columns)).rename(columns=columns)
    bad = df[~df["imd_decile"].between(1, 10)]
    if not bad.empty:
        raise InputError.single(path, "deciles 1-10", column="imd_decile", value=bad.iloc[0, 0])
    if df["lsoa_code"].duplicated().any():
        raise InputError.single(path, "one row per LSOA", column="lsoa_code")
    df["imd_quintile"] = (df["imd_decile"] + 1) // 2
    cols = ["lsoa_code", "lsoa_name", "ltla_code", "ltla_name"]
    cols += ["imd_score", "imd_rank", "imd_decile", "imd_quintile"]
    return df[cols]


def imd_by_lsoa(version: Literal["2025", "2019"] = "2025") -> pd.DataFrame:
    """Return the Index of Multiple Deprivation for every LSOA in England.

    Parameters
    ----------
    version : {"2025", "2019"}, default "2025"
        IMD 2025 is on LSOA 2021 codes (33,755 LSOAs); IMD 2019 on LSOA 2011 (32,844).

    Returns
    -------
    pandas.DataFrame
        Columns ``lsoa_code``, ``lsoa_name``, ``ltla_code``, ``ltla_name`` (LAD 2024 for
        2025, LAD 2019 for 2019), ``imd_score``, ``imd_rank`` (1 = most deprived),
        ``imd_decile`` (1 = most deprived 10%) and ``imd_quintile`` (1 = most deprived 20%,
        ``ceil(decile / 2)``).

    Raises
    ------
    ValueError
        Unknown version.

    References
    ----------
    MHCLG, English Indices of Deprivation 2025 and 2019, File 7 (all ranks, scores and
    deciles), https://www.gov.uk/government/collections/english-indices-of-deprivation.
    """
    return _imd(_check_version(version, allow_auto=False)).copy()


def _match_reason(code: object, version: str) -> str:
    """Explain why an LSOA code has no IMD value (code already normalised)."""
    if code is None or code is pd.NA or (isinstance(code, float) and np.isnan(code)):
        return "missing LSOA code"
    codes25 = _codes("2025")
    codes19 = _codes("2019")
    if str(code).startswith("W01"):
        return "Welsh LSOA (the English IMD covers England only)"
    if version == "2025" and code in codes19:
        return "LSOA 2011 code, not in IMD 2025 (LSOA 2021); use version='2019' or 'auto'"
    if version == "2019" and code in codes25:
        return "LSOA 2021 code, not in IMD 2019 (LSOA 2011); use version='2025' or 'auto'"
    return "unknown LSOA code"


@lru_cache(maxsize=2)
def _codes(version: str) -> frozenset[str]:
    return frozenset(_imd(version)["lsoa_code"])


@lru_cache(maxsize=2)
def _decile_lookup(version: str) -> tuple[pd.Index, np.ndarray]:
    """LSOA codes as a plain-object index (C hash look-ups) and their deciles, in order.

    ``Series.isin`` / ``map`` on pandas' Arrow-backed string dtype iterate in Python
    (about 0.2 s per call on the 33,755 codes); an object index hashes in C.
    """
    imd = _imd(version)
    index = pd.Index(imd["lsoa_code"].to_numpy(dtype=object), dtype=object)
    return index, imd["imd_decile"].to_numpy(dtype="int64")


def _normalise_codes(values: pd.Series) -> pd.Series:
    codes = values.astype("string").str.strip().str.upper()
    return codes.mask(codes == "", pd.NA)


def _detect_version(codes: pd.Series) -> str:
    """Dataset-level vintage: 2019 if any code is only LSOA 2011 and none only LSOA 2021."""
    present = set(codes.dropna())
    only11 = present & (_codes("2019") - _codes("2025"))
    only21 = present & (_codes("2025") - _codes("2019"))
    if only11 and not only21:
        return "2019"
    if only11 and only21:
        return "mixed"
    return "2025"


def _decile_problems(values: pd.Series, column: str) -> tuple[pd.Series, list[InputProblem]]:
    numeric = pd.to_numeric(values, errors="coerce")
    bad = values.notna() & (numeric.isna() | ~numeric.between(1, 10) | (numeric.fillna(0) % 1 != 0))
    problems = [
        InputProblem("<DataFrame>", column, i + 2, str(v), "an IMD decile 1-10 (1 = most deprived)")
        for i, v in zip(np.flatnonzero(bad.to_numpy()), values[bad], strict=True)
    ]
    return numeric.astype("Float64").round().astype("Int64"), problems


def assign_imd_quintile(
    df: pd.DataFrame,
    lsoa_col: str = "lsoa_code",
    decile_col: str | None = None,
    version: Literal["auto", "2025", "2019"] = "auto",
    quintiles: Literal["national", "local"] = "national",
    area: str | Org | Area | Iterable[str] | None = None,
    weighting: Literal["population", "lsoa"] = "population",
) -> pd.DataFrame:
    """Add IMD decile and quintile to a table of records with an LSOA code or an IMD decile.

    Parameters
    ----------
    df : pandas.DataFrame
        The records (e.g. one row per birth or per staff member). Not modified.
    lsoa_col : str, default "lsoa_code"
        Column of LSOA codes (2011 or 2021). Ignored when ``decile_col`` is given.
    decile_col : str, optional
        Column of IMD deciles 1-10 (1 = most deprived) already on the records; the quintile
        is then ``ceil(decile / 2)`` and no LSOA look-up is made.
    version : {"auto", "2025", "2019"}, default "auto"
        Which IMD to use. ``"2025"`` matches LSOA 2021 codes only; ``"2019"`` LSOA 2011 codes
        only. ``"auto"`` decides from the codes: most codes exist in both vintages, so the
        codes that exist in one vintage only decide. If some codes are LSOA 2011-only and none
        LSOA 2021-only the whole table gets IMD 2019; otherwise IMD 2025 (the newest is
        preferred when every code is in both). If both kinds occur, each row gets the index of
        its own code (2025 for codes in both) and ``imd_version`` says which.
    quintiles : {"national", "local"}, default "national"
        ``"national"``: MHCLG's national quintiles. ``"local"``: quintiles of the ``area``'s own
        LSOAs (see :func:`local_imd_quintiles`); IMD 2025 only; rows outside the area get NA.
    area : str, Org, Area or iterable of str, optional
        Required for local quintiles: an ICB, ``"England"`` or LAD 2022 codes.
    weighting : {"population", "lsoa"}, default "population"
        Local quintiles only: equal Census 2021 population (the OHID convention) or equal
        numbers of LSOAs per quintile.

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` with, added, ``imd_decile`` (Int64; national decile), ``imd_quintile``
        (Int64, 1 = most deprived), ``imd_version`` (``"2025"``, ``"2019"`` or ``"supplied"``
        when taken from ``decile_col`` with ``version="auto"``) and ``imd_match``
        (``"matched"`` or why not). Every input row is returned, in order.

    Raises
    ------
    ValueError
        Bad arguments, or ``df`` already has one of the output columns.
    InputError
        The named column is missing, or a supplied decile is not an integer 1-10 (every bad
        row is listed).

    Warns
    -----
    UserWarning
        When some rows get no quintile (see :func:`unmatched_lsoas`).

    Notes
    -----
    Unmatched rows (missing, Welsh, unknown, wrong-vintage or out-of-area codes) keep a
    missing quintile and are never dropped, so denominators stay complete; report them as
    "IMD not known". LSOA codes are compared after trimming spaces and upper-casing.

    References
    ----------
    MHCLG, English Indices of Deprivation 2019 and 2025, File 7.
    """
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"assign_imd_quintile: df must be a DataFrame, got {type(df).__name__}")
    version = _check_version(version, allow_auto=True)  # type: ignore[assignment]
    if quintiles not in {"national", "local"}:
        raise ValueError(f"quintiles must be 'national' or 'local', got {quintiles!r}")
    if weighting not in {"population", "lsoa"}:
        raise ValueError(f"weighting must be 'population' or 'lsoa', got {weighting!r}")
    if quintiles == "local":
        if area is None:
            raise ValueError("quintiles='local' needs an area (an ICB, 'England' or LAD codes)")
        if decile_col is not None:
            raise ValueError(
                "quintiles='local' needs LSOA codes (ranks within the area), not a decile column"
            )
        if version == "2019":
            raise ValueError(
                "local quintiles use IMD 2025: LSOA 2021 is the geography of the Census 2021 "
                "population and of the ICB lookup; use version='2025' or 'auto'"
            )
    elif area is not None:
        raise ValueError("area is only used with quintiles='local'")
    source_col = decile_col if decile_col is not None else lsoa_col
    if source_col not in df.columns:
        raise InputError.single(
            "<DataFrame>",
            f"a column named {source_col!r} (columns found: {', '.join(map(str, df.columns))})",
            column=source_col,
        )
    clash = [c for c in _OUT_COLS if c in df.columns and c != decile_col]
    if clash:
        raise ValueError(
            f"assign_imd_quintile: df already has column(s) {', '.join(clash)}; rename or drop "
            "them first"
        )
    out = df.copy()

    if decile_col is not None:
        deciles, problems = _decile_problems(df[decile_col], decile_col)
        if problems:
            raise InputError(problems)
        out["imd_decile"] = deciles
        out["imd_quintile"] = (deciles + 1) // 2
        out["imd_version"] = pd.array(
            np.where(deciles.isna(), None, "supplied" if version == "auto" else version),
            dtype="string",
        )
        out["imd_match"] = pd.array(
            np.where(deciles.isna(), f"missing {decile_col}", MATCHED), dtype="string"
        )
        _warn_unmatched(out)
        return _order(out)

    codes = _normalise_codes(df[lsoa_col])
    use = _detect_version(codes) if version == "auto" else version
    if quintiles == "local":
        use = "2025"
    row_version = pd.Series(pd.NA, index=df.index, dtype="string")
    deciles = pd.Series(pd.NA, index=df.index, dtype="Int64")
    plain = codes.to_numpy(dtype=object, na_value=None)
    for v in ("2025", "2019") if use == "mixed" else (use,):
        index, table_deciles = _decile_lookup(v)
        pos = index.get_indexer(plain)
        todo = row_version.isna().to_numpy() & (pos >= 0)
        deciles[todo] = table_deciles[pos[todo]]
        row_version[todo] = v
    out["imd_decile"] = deciles
    out["imd_version"] = row_version
    reasons = pd.Series(MATCHED, index=df.index, dtype="string")
    nomatch = row_version.isna()
    reason_version = "2025" if use == "mixed" else use
    reasons[nomatch] = [_match_reason(c, reason_version) for c in codes[nomatch]]

    if quintiles == "local":
        local = local_imd_quintiles(area, weighting=weighting).set_index("lsoa_code")
        quint = codes.map(local["local_quintile"]).astype("Int64")
        outside = ~nomatch & quint.isna()
        reasons[outside] = f"LSOA outside {resolve_area(area).name}"
        out["imd_quintile"] = quint
    else:
        out["imd_quintile"] = (deciles + 1) // 2
    out["imd_match"] = reasons
    _warn_unmatched(out)
    return _order(out)


def _order(out: pd.DataFrame) -> pd.DataFrame:
    return out[[*(c for c in out.columns if c not in _OUT_COLS), *_OUT_COLS]]


def _warn_unmatched(out: pd.DataFrame) -> None:
    n = int((out["imd_match"] != MATCHED).sum())
    if n:
        warnings.warn(
            f"{n} of {len(out)} rows have no IMD quintile (kept, with imd_quintile missing); "
            "see deprivation.unmatched_lsoas() for the reasons",
            UserWarning,
            stacklevel=3,
        )


def unmatched_lsoas(assigned: pd.DataFrame, lsoa_col: str | None = "lsoa_code") -> pd.DataFrame:
    """Count the rows that :func:`assign_imd_quintile` could not give a quintile, by reason.

    Parameters
    ----------
    assigned : pandas.DataFrame
        The output of :func:`assign_imd_quintile`.
    lsoa_col : str or None, default "lsoa_code"
        The LSOA column, to count distinct codes and show examples (None to skip).

    Returns
    -------
    pandas.DataFrame
        Columns ``imd_match`` (the reason), ``rows``, and when ``lsoa_col`` is present
        ``distinct_codes`` and ``examples`` (up to 5 codes), sorted by ``rows`` descending.
        Empty (with these columns) when every row matched.

    Raises
    ------
    ValueError
        If ``assigned`` has no ``imd_match`` column.
    """
    if "imd_match" not in assigned.columns:
        raise ValueError("unmatched_lsoas: expected the output of assign_imd_quintile()")
    bad = assigned[assigned["imd_match"] != MATCHED]
    has_codes = lsoa_col is not None and lsoa_col in assigned.columns
    cols = ["imd_match", "rows", *(["distinct_codes", "examples"] if has_codes else [])]
    if bad.empty:
        return pd.DataFrame(columns=cols)
    grouped = bad.groupby("imd_match", sort=False)
    out = grouped.size().rename("rows").reset_index()
    if has_codes:
        out["distinct_codes"] = out["imd_match"].map(grouped[lsoa_col].nunique()).to_numpy()
        out["examples"] = (
            out["imd_match"]
            .map(grouped[lsoa_col].agg(lambda s: ", ".join(map(str, s.dropna().unique()[:5]))))
            .to_numpy()
        )
    return out.sort_values("rows", ascending=False, ignore_index=True)[cols]


def local_imd_quintiles(
    area: str | Org | Area | Iterable[str],
    weighting: Literal["population", "lsoa"] = "population",
) -> pd.DataFrame:
    """Return local IMD 2025 quintiles: an area's own LSOAs cut into fifths by IMD rank.

    Parameters
    ----------
    area : str, Org, Area or iterable of str
        An ICB, ``"England"`` or LAD 2022 codes (see
        :func:`edi_analysis.geography.resolve_area`).
    weighting : {"population", "lsoa"}, default "population"
        ``"population"``: fifths of near-equal Census 2021 usual-resident population (the
        PHE/OHID convention for local quintiles); ``"lsoa"``: fifths of near-equal LSOA count.

    Returns
    -------
    pandas.DataFrame
        One row per LSOA 2021 of the area: ``lsoa_code``, ``imd_rank`` (national),
        ``imd_decile`` (national), ``population`` (Census 2021 usual residents),
        ``local_quintile`` (1 = most deprived fifth of the area), sorted by ``imd_rank``.

    Notes
    -----
    The LSOAs are sorted by national IMD 2025 rank (most deprived first). Each LSOA goes to
    the fifth in which the midpoint of its weight falls on the cumulative scale:
    ``quintile = floor(5 * (W_before + w / 2) / W_total) + 1``. LSOAs are not split, so the
    fifths differ from exactly equal by less than one LSOA's weight.

    References
    ----------
    MHCLG, English Indices of Deprivation 2025, File 7; ONS Census 2021 TS021 (LSOA usual
    residents); OHID Fingertips, "local deprivation quintiles" methodology.
    """
    if weighting not in {"population", "lsoa"}:
        raise ValueError(f"weighting must be 'population' or 'lsoa', got {weighting!r}")
    geo = resolve_area(area)
    imd = _imd("2025").set_index("lsoa_code")
    codes = pd.Index(geo.lsoa21_codes)
    missing = codes.difference(imd.index)
    if len(missing):
        raise InputError.single(
            _FILES["2025"][0],
            f"an IMD 2025 row for every LSOA in {geo.name}",
            value=f"{len(missing)} missing, e.g. {missing[0]}",
        )
    out = imd.loc[codes, ["imd_rank", "imd_decile"]].rename_axis("lsoa_code").reset_index()
    out["population"] = out["lsoa_code"].map(_lsoa_population()).astype("int64")
    out = out.sort_values("imd_rank", ignore_index=True)
    w = (
        out["population"].astype(float)
        if weighting == "population"
        else pd.Series(1.0, index=out.index)
    )
    before = w.cumsum() - w
    q = np.floor(5 * (before + w / 2) / w.sum()).astype(int) + 1
    out["local_quintile"] = q.clip(1, 5).astype("int64")
    return out


_GROUP_ORDER = ["Asian", "Black", "Mixed", "White", "Other", "All"]


def population_by_ethnicity_and_imd(
    area: str | Org | Area | Iterable[str],
    quintiles: Literal["national", "local"] = "national",
) -> pd.DataFrame:
    """Return Census 2021 population by broad ethnic group and IMD 2025 quintile of residence.

    Parameters
    ----------
    area : str, Org, Area or iterable of str
        An ICB, ``"England"`` or LAD 2022 codes.
    quintiles : {"national", "local"}, default "national"
        National IMD 2025 quintiles, or the area's population-weighted local quintiles.

    Returns
    -------
    pandas.DataFrame
        One row per ethnic group (Asian, Black, Mixed, White, Other, and All) and quintile
        (1 = most deprived) with ``count`` (usual residents), ``share_of_group`` (0-1: the
        share of the group living in that quintile; sums to 1 over quintiles within a group:
        the layout of the seed report's "ethnicity and deprivation" table) and
        ``share_of_quintile`` (0-1: the share of the quintile's residents in the group; sums
        to 1 over the five groups within a quintile). Also ``area_code``.

    Notes
    -----
    Each LSOA's Census 2021 usual residents (TS021, 5 broad groups) are given the IMD 2025
    quintile of the LSOA. The seed report's table used NHS patient registers (GP
    registrations), so its figures will differ from these Census-based ones.

    References
    ----------
    ONS Census 2021 TS021 (LSOA); MHCLG English Indices of Deprivation 2025, File 7.
    """
    if quintiles not in {"national", "local"}:
        raise ValueError(f"quintiles must be 'national' or 'local', got {quintiles!r}")
    geo = resolve_area(area)
    eth = _lsoa_ethnicity_5().loc[list(geo.lsoa21_codes)]
    if quintiles == "local":
        q = local_imd_quintiles(geo).set_index("lsoa_code")["local_quintile"]
    else:
        q = _imd("2025").set_index("lsoa_code")["imd_quintile"]
    quint = eth.index.map(q)
    if quint.isna().any():
        raise InputError.single(
            _FILES["2025"][0],
            f"an IMD 2025 row for every LSOA in {geo.name}",
            value=f"{int(quint.isna().sum())} LSOAs missing",
        )
    eth = eth.assign(All=eth.sum(axis=1))
    by_q = eth.groupby(quint.astype(int).to_numpy()).sum().reindex(range(1, 6), fill_value=0)
    by_q.index.name = "imd_quintile"
    long = by_q.reset_index().melt(
        id_vars="imd_quintile", var_name="ethnic_group", value_name="count"
    )
    long["count"] = long["count"].astype("int64")
    group_tot = long.groupby("ethnic_group")["count"].transform("sum")
    long["share_of_group"] = long["count"] / group_tot
    quint_tot = long["imd_quintile"].map(by_q["All"])
    long["share_of_quintile"] = long["count"] / quint_tot
    long["ethnic_group"] = pd.Categorical(long["ethnic_group"], _GROUP_ORDER, ordered=True)
    long = long.sort_values(["ethnic_group", "imd_quintile"], ignore_index=True)
    long["ethnic_group"] = long["ethnic_group"].astype(str)
    long.insert(0, "area_code", geo.code)
    return long[
        [
            "area_code",
            "ethnic_group",
            "imd_quintile",
            "count",
            "share_of_group",
            "share_of_quintile",
        ]
    ]


@lru_cache(maxsize=1)
def _icb_summary() -> pd.DataFrame:
    return pd.read_csv(_raw("deprivation/imd2025_icb24_summary.csv"))


def icb_imd_summary(icb: str | Org) -> pd.DataFrame:
    """Return MHCLG's IMD 2025 summary measures for one ICB.

    Parameters
    ----------
    icb : str or Org
        Anything :func:`edi_analysis.geography.resolve_org` accepts.

    Returns
    -------
    pandas.DataFrame
        One row: ``icb24_code``, ``icb24_name`` and MHCLG's measures for the IMD and each
        domain: average rank and score, proportion of LSOAs in the most deprived 10%
        nationally (0-1), extent, local concentration, and the rank of each among the 42
        ICBs (1 = most deprived).

    References
    ----------
    MHCLG, English Indices of Deprivation 2025, File 13 "Integrated Care Board summaries".
    """
    org = resolve_org(icb)
    s = _icb_summary()
    row = s[s["icb24_code"] == org.code]
    if len(row) != 1:
        raise InputError.single(
            "deprivation/imd2025_icb24_summary.csv",
            "one row per ICB",
            column="icb24_code",
            value=f"{org.code}: {len(row)} rows",
        )
    return row.reset_index(drop=True).copy()
