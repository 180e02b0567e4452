"""Maternity outcomes by ethnic group and deprivation: measure definitions on the engine.

Birth records (one row per baby, ``docs/DESIGN.md`` "Births") are given flags for each
measure's numerator and denominator by :func:`prepare_births`; the general engine
(:mod:`edi_analysis.inequalities`) then computes counts, rates, intervals, comparisons,
ratios and disclosure control. Pre-aggregated counts (what LMNS dashboards export) go
through :func:`indicators_from_counts` to the same output.

Measures (:data:`MEASURES`)
---------------------------
* ``stillbirth``: babies born with no signs of life at or after 24+0 weeks of gestation,
  terminations of pregnancy excluded (MBRRACE-UK), per 1,000 total births (live births
  plus those stillbirths, terminations excluded).
* ``preterm_37`` / ``preterm_28``: live births before 37+0 / 28+0 weeks per 1,000 live
  births with a recorded gestation.
* ``emergency_caesarean``: emergency caesarean births as a proportion of total births
  with a known delivery method.
* ``language_recorded``: births whose mother's language was recorded, as a proportion of
  total births.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from edi_analysis import census, deprivation, inequalities
from edi_analysis.errors import InputError, InputProblem

__all__ = [
    "ETHNIC_GROUPS",
    "GROUPINGS",
    "MEASURES",
    "MaternityMeasure",
    "NATIONAL_COMPARATORS",
    "QUINTILE_LABELS",
    "births_by_group",
    "change_by_group",
    "comparator_notes",
    "describe_population",
    "describe_years",
    "report_years",
    "data_quality_summary",
    "describe_change_measure",
    "describe_gradient_measure",
    "describe_measure",
    "group_name",
    "gradient_by_quintile",
    "indicators_from_counts",
    "maternity_counts",
    "maternity_indicators",
    "pooled_label",
    "population_context",
    "prepare_births",
]

#: Broad ethnic groups in report order (NHS codes grouped as in census.ETHNIC_CATEGORIES).
ETHNIC_GROUPS: list[str] = ["Asian", "Black", "Mixed", "White", "Other", inequalities.UNKNOWN_LABEL]

#: Display labels of IMD quintiles (1 = most deprived).
QUINTILE_LABELS: dict[object, str] = {
    1: "1 (most deprived)",
    2: "2",
    3: "3",
    4: "4",
    5: "5 (least deprived)",
    inequalities.UNKNOWN_LABEL: "Not known",
    inequalities.OVERALL_LABEL: "All",
}

#: Grouping names used in pre-aggregated counts -> column name on prepared births.
GROUPINGS: dict[str, str] = {"Ethnicity": "ethnic_group", "IMD quintile": "imd_quintile"}


@dataclass(frozen=True)
class MaternityMeasure:
    """Definition of one maternity indicator.

    Attributes
    ----------
    key : str
        Short name, the ``measure`` value in pre-aggregated counts.
    label : str
        Title, e.g. "Stillbirth rate".
    numerator, denominator : str
        Flag columns added by :func:`prepare_births`.
    measure : {"rate", "proportion"}
    multiplier : float
        Rates are per this many (1 for proportions).
    events : str
        Plural noun for the numerator ("stillbirths").
    per : str
        Plural noun for the denominator ("total births").
    definition : str
        The definition printed under tables.
    phrase : str
        The measure in a sentence ("the stillbirth rate").
    """

    key: str
    label: str
    numerator: str
    denominator: str
    measure: str
    multiplier: float
    events: str
    per: str
    definition: str
    phrase: str

    @property
    def unit(self) -> str:
        """Unit of ``value`` in words."""
        if self.measure == "proportion":
            return f"% of {self.per}"
        return f"per {self.multiplier:,.0f} {self.per}"


MEASURES: dict[str, MaternityMeasure] = {
    m.key: m
    for m in (
        MaternityMeasure(
            "stillbirth",
            "Stillbirth rate",
            "is_stillbirth",
            "is_total_birth",
            "rate",
            1000,
            "stillbirths",
            "total births",
            "Stillbirths: babies born with no signs of life at or after 24+0 weeks of "
            "gestation, terminations of pregnancy excluded (MBRRACE-UK definition), per "
            "1,000 total births (live births and stillbirths, terminations excluded).",
            "the stillbirth rate",
        ),
        MaternityMeasure(
            "preterm_37",
            "Preterm births (under 37 weeks)",
            "is_preterm_37",
            "is_live_birth_known_gestation",
            "rate",
            1000,
            "preterm births",
            "live births",
            "Live births before 37+0 weeks of gestation per 1,000 live births with a "
            "recorded gestation.",
            "the preterm birth rate",
        ),
        MaternityMeasure(
            "preterm_28",
            "Extremely preterm births (under 28 weeks)",
            "is_preterm_28",
            "is_live_birth_known_gestation",
            "rate",
            1000,
            "extremely preterm births",
            "live births",
            "Live births before 28+0 weeks of gestation per 1,000 live births with a "
            "recorded gestation.",
            "the extremely preterm birth rate",
        ),
        MaternityMeasure(
            "emergency_caesarean",
            "Emergency caesarean births",
            "is_emergency_caesarean",
            "is_delivery_known",
            "proportion",
            1,
            "emergency caesarean births",
            "births",
            "Emergency caesarean births as a percentage of total births with a known "
            "delivery method.",
            "the percentage of births by emergency caesarean",
        ),
        MaternityMeasure(
            "language_recorded",
            "Mother's language recorded",
            "is_language_recorded",
            "is_total_birth",
            "proportion",
            1,
            "births with the language recorded",
            "births",
            "Births whose mother's first language was recorded, as a percentage of total births.",
            "the percentage of births with the mother's language recorded",
        ),
    )
}

#: National comparators. Empty on purpose: a figure may be added only with its source and
#: method, e.g. ``{"stillbirth": {"value": ..., "source": "MBRRACE-UK Perinatal
#: Mortality Surveillance, births in 2023", "method": "..."}}``. MBRRACE-UK groups
#: deprivation by its own quintiles (IMD of the mother's postcode, UK-wide ranks), which are
#: not the IMD 2025 national quintiles used here: never set them side by side unlabelled.
NATIONAL_COMPARATORS: dict[str, dict[str, object]] = {}

_REQUIRED = ["year", "mother_ethnic_category", "outcome"]
_SOURCE = "births"


# --------------------------------------------------------------------------------------
# preparation
# --------------------------------------------------------------------------------------
def _ethnic_group(codes: pd.Series) -> pd.Series:
    table = census.ETHNIC_CATEGORIES
    mapping = {str(c): str(g) for c, g in zip(table["code"], table["group_5"], strict=True)}
    groups = codes.astype("object").map(
        lambda c: mapping.get(str(c).strip().upper()) if pd.notna(c) else None
    )
    known = set(ETHNIC_GROUPS[:-1])
    return groups.map(lambda g: g if g in known else inequalities.UNKNOWN_LABEL)


def _flag(births: pd.DataFrame, column: str, default: bool) -> pd.Series:
    if column not in births.columns:
        return pd.Series(default, index=births.index)
    raw = births[column]
    return raw.astype("boolean").fillna(default).astype(bool)


def _imd(births: pd.DataFrame, quintiles: str, area: object, version: str) -> pd.DataFrame:
    """IMD quintile from the LSOA, else from a supplied decile (national quintiles only)."""
    has_lsoa = "lsoa_code" in births.columns
    has_decile = "imd_decile" in births.columns
    base = births.drop(columns=[c for c in ("imd_decile",) if c in births.columns])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        if has_lsoa:
            out = deprivation.assign_imd_quintile(
                base,
                lsoa_col="lsoa_code",
                version=version,
                quintiles=quintiles,
                area=area if quintiles == "local" else None,
            )
        else:
            out = base.assign(
                imd_decile=pd.NA,
                imd_quintile=pd.NA,
                imd_version=pd.NA,
                imd_match="missing lsoa_code",
            )
            out["imd_quintile"] = out["imd_quintile"].astype("Int64")
        if has_decile and quintiles == "national":
            supplied = deprivation.assign_imd_quintile(
                births[["imd_decile"]], decile_col="imd_decile"
            )
            fill = out["imd_quintile"].isna() & supplied["imd_quintile"].notna()
            out.loc[fill, "imd_quintile"] = supplied.loc[fill, "imd_quintile"]
            out.loc[fill, "imd_match"] = "supplied decile"
    return out


def prepare_births(
    births: pd.DataFrame,
    imd_quintiles: str = "national",
    area: object | None = None,
    imd_version: str = "auto",
) -> pd.DataFrame:
    """Add ethnic group, IMD quintile and every measure's flags to birth records.

    Parameters
    ----------
    births : DataFrame
        One row per baby, as returned by :func:`edi_analysis.io.read_births` or
        :func:`edi_analysis.demo.demo_births`.
    imd_quintiles : {"national", "local"}, default "national"
        National IMD quintiles, or quintiles of the ICB's own LSOAs (needs ``area``).
    area : str or Org, optional
        The ICB, for local quintiles.
    imd_version : {"auto", "2025", "2019"}, default "auto"
        Passed to :func:`edi_analysis.deprivation.assign_imd_quintile`.

    Returns
    -------
    DataFrame
        A copy with ``ethnic_group`` (Asian, Black, Mixed, White, Other, Not known),
        ``imd_quintile`` (1 = most deprived; missing when the LSOA is missing or
        unmatched), ``imd_match`` and bool flags ``is_termination``,
        ``is_live_birth``, ``is_stillbirth``, ``is_late_fetal_loss`` (no signs of life
        before 24 weeks: excluded), ``is_total_birth``,
        ``is_live_birth_known_gestation``, ``is_preterm_37``, ``is_preterm_28``,
        ``is_delivery_known``, ``is_emergency_caesarean``, ``is_language_recorded``.

    Raises
    ------
    InputError
        If a required column is missing or an outcome is not "Live birth"/"Stillbirth".

    Notes
    -----
    A record flagged as a termination is excluded from every numerator and denominator.
    A stillbirth is counted when born with no signs of life at 24+0 weeks or later; a
    stillbirth with no recorded gestation is counted (registration as a stillbirth in
    England requires 24 weeks; :func:`data_quality_summary` counts these). Live births
    count at any gestation. Language is recorded when ``language_recorded`` is True, or,
    without that column, when ``mother_language`` is not blank.

    References
    ----------
    .. [1] MBRRACE-UK (2024). *Perinatal Mortality Surveillance: UK Perinatal Deaths of
       Babies Born in 2022*, definitions.
    """
    if not isinstance(births, pd.DataFrame):
        raise ValueError(f"births must be a DataFrame, got {type(births).__name__}.")
    missing = [c for c in _REQUIRED if c not in births.columns]
    if missing:
        raise InputError(
            [InputProblem(_SOURCE, c, None, None, "this column to be present") for c in missing]
        )
    bad = ~births["outcome"].isin(["Live birth", "Stillbirth"])
    if bad.any():
        raise InputError(
            [
                InputProblem(
                    _SOURCE,
                    "outcome",
                    int(i) + 2,
                    str(births["outcome"].iloc[i]),
                    "'Live birth' or 'Stillbirth'",
                )
                for i in np.flatnonzero(bad.to_numpy())
            ]
        )
    out = _imd(births, imd_quintiles, area, imd_version)
    out["year"] = out["year"].astype(str)
    out["ethnic_group"] = _ethnic_group(out["mother_ethnic_category"])
    gest = (
        pd.to_numeric(out["gestation_weeks"], errors="coerce").astype(float)
        if "gestation_weeks" in out.columns
        else pd.Series(np.nan, index=out.index)
    )
    termination = _flag(out, "termination", False)
    live = (out["outcome"] == "Live birth") & ~termination
    no_life = (out["outcome"] == "Stillbirth") & ~termination
    still = no_life & (gest.isna() | (gest >= 24))
    out["is_termination"] = termination
    out["is_live_birth"] = live
    out["is_stillbirth"] = still
    out["is_late_fetal_loss"] = no_life & (gest < 24)
    out["is_total_birth"] = live | still
    out["is_live_birth_known_gestation"] = live & gest.notna()
    out["is_preterm_37"] = live & (gest < 37)
    out["is_preterm_28"] = live & (gest < 28)
    method = (
        out["delivery_method"].astype("object")
        if "delivery_method" in out.columns
        else pd.Series(None, index=out.index, dtype="object")
    )
    known_method = method.notna() & (method != "Not known")
    out["is_delivery_known"] = out["is_total_birth"] & known_method
    out["is_emergency_caesarean"] = out["is_delivery_known"] & (method == "Emergency caesarean")
    if "language_recorded" in out.columns:
        recorded = _flag(out, "language_recorded", False)
    elif "mother_language" in out.columns:
        lang = out["mother_language"].astype("object")
        recorded = lang.notna() & (lang.astype(str).str.strip() != "")
    else:
        recorded = pd.Series(False, index=out.index)
    out["is_language_recorded"] = out["is_total_birth"] & recorded
    return out


# --------------------------------------------------------------------------------------
# indicators
# --------------------------------------------------------------------------------------
def _measures(measures: Iterable[str] | None) -> list[MaternityMeasure]:
    keys = list(MEASURES) if measures is None else list(measures)
    unknown = [k for k in keys if k not in MEASURES]
    if unknown:
        raise ValueError(f"Unknown measure(s) {unknown}; choose from {list(MEASURES)}.")
    return [MEASURES[k] for k in keys]


def _orders() -> dict[str, list]:
    return {
        "ethnic_group": ETHNIC_GROUPS,
        "imd_quintile": [1, 2, 3, 4, 5, inequalities.UNKNOWN_LABEL],
    }


def _reference_for(
    by: list[str], reference_ethnicity: str | None, reference_quintile: int | None
) -> dict[str, object] | None:
    ref: dict[str, object] = {}
    if "ethnic_group" in by and reference_ethnicity is not None:
        ref["ethnic_group"] = reference_ethnicity
    elif "imd_quintile" in by and reference_quintile is not None:
        ref["imd_quintile"] = reference_quintile
    return ref or None


def pooled_label(years: Iterable[str]) -> str:
    """Label of a stratum pooling several years, e.g. "2024-25 to 2025-26 (pooled)"."""
    ys = sorted({str(y) for y in years})
    if not ys:
        raise ValueError("No years to pool.")
    return ys[0] if len(ys) == 1 else f"{ys[0]} to {ys[-1]} (pooled)"


def maternity_indicators(
    births: pd.DataFrame,
    by: str | Sequence[str] = "ethnic_group",
    measures: Iterable[str] | None = None,
    years: Iterable[str] | None = None,
    reference_ethnicity: str | None = "White",
    reference_quintile: int | None = 5,
    confidence: float = 0.95,
    suppression_policy: str = "standard",
    pooled: bool = False,
) -> pd.DataFrame:
    """Every maternity measure by group and year, with intervals, ratios and suppression.

    Parameters
    ----------
    births : DataFrame
        Output of :func:`prepare_births`.
    by : str or sequence of str, default "ethnic_group"
        ``"ethnic_group"``, ``"imd_quintile"`` or both.
    measures : iterable of str, optional
        Keys of :data:`MEASURES`; default all.
    years : iterable of str, optional
        Years to keep; default all present.
    reference_ethnicity : str or None, default "White"
        Reference group for ratios by ethnic group (within quintile when ``by`` has both).
    reference_quintile : int or None, default 5
        Reference quintile for ratios by quintile (5 = least deprived).
    confidence : float, default 0.95
    suppression_policy : str, default "standard"
    pooled : bool, default False
        Add a stratum pooling all the years (``year`` = :func:`pooled_label`), as
        MBRRACE-UK and local reports do for rare outcomes such as stillbirth.

    Returns
    -------
    DataFrame
        :func:`edi_analysis.inequalities.indicator_by_group` output per measure, stacked,
        with ``indicator`` (measure key) and ``indicator_label`` first and ``year`` as
        the stratum.

    Raises
    ------
    ValueError
        For an unknown measure, or births without the prepared flag columns.
    """
    by_cols = [by] if isinstance(by, str) else list(by)
    if "is_total_birth" not in births.columns:
        raise ValueError("births lacks the measure flags: pass it through prepare_births().")
    data = births if years is None else births[births["year"].isin(list(years))]
    if pooled:
        data = pd.concat([data, data.assign(year=pooled_label(data["year"]))], ignore_index=True)
    reference = _reference_for(by_cols, reference_ethnicity, reference_quintile)
    frames = [
        _measure_by_group(data, m, m.numerator, m.denominator, by_cols, reference, confidence,
                          suppression_policy)
        for m in _measures(measures)
    ]
    return pd.concat(frames, ignore_index=True)


def change_by_group(
    births: pd.DataFrame,
    by: str = "ethnic_group",
    measures: Iterable[str] | None = None,
    from_year: str | None = None,
    to_year: str | None = None,
    confidence: float = 0.95,
    suppression_policy: str = "standard",
) -> pd.DataFrame:
    """Change in each measure between two years, by group (see
    :func:`edi_analysis.inequalities.change_between_periods`), stacked with
    ``indicator`` and ``indicator_label``."""
    frames = []
    for m in _measures(measures):
        res = inequalities.change_between_periods(
            births,
            m.numerator,
            m.denominator,
            by=by,
            period="year",
            from_period=from_year,
            to_period=to_year,
            measure=m.measure,
            multiplier=m.multiplier,
            confidence=confidence,
            suppression_policy=suppression_policy,
            order=_orders(),
        )
        res.insert(0, "indicator_label", m.label)
        res.insert(0, "indicator", m.key)
        frames.append(res)
    return pd.concat(frames, ignore_index=True)


def gradient_by_quintile(
    by_quintile: pd.DataFrame, confidence: float = 0.95, method: str = "simulation"
) -> pd.DataFrame:
    """SII and RII across IMD quintiles for each measure and year.

    Parameters
    ----------
    by_quintile : DataFrame
        :func:`maternity_indicators` output with ``by="imd_quintile"``.

    Returns
    -------
    DataFrame
        ``indicator``, ``indicator_label``, ``year`` and the columns of
        :func:`edi_analysis.inequalities.inequality_gradient`.
    """
    frames = []
    for (key, label), part in by_quintile.groupby(["indicator", "indicator_label"], sort=False):
        res = inequalities.inequality_gradient(
            part, "imd_quintile", within="year", confidence=confidence, method=method
        )
        res.insert(0, "indicator_label", label)
        res.insert(0, "indicator", key)
        frames.append(res)
    return pd.concat(frames, ignore_index=True)


def maternity_counts(births: pd.DataFrame, measures: Iterable[str] | None = None) -> pd.DataFrame:
    """Pre-aggregated counts (year x grouping x group x measure) from prepared births.

    Returns the ``BIRTH_COUNTS`` layout: ``year``, ``group_type``, ``group``,
    ``measure``, ``events``, ``denominator`` (exact counts: internal, never publish).
    """
    frames = []
    for group_type, col in GROUPINGS.items():
        groups = births[col].astype("object").where(births[col].notna(), inequalities.UNKNOWN_LABEL)
        for m in _measures(measures):
            agg = (
                pd.DataFrame(
                    {
                        "year": births["year"],
                        "group": groups,
                        "events": births[m.numerator].astype(int),
                        "denominator": births[m.denominator].astype(int),
                    }
                )
                .groupby(["year", "group"], sort=False)[["events", "denominator"]]
                .sum()
                .reset_index()
            )
            agg.insert(1, "group_type", group_type)
            agg.insert(3, "measure", m.key)
            frames.append(agg)
    out = pd.concat(frames, ignore_index=True)
    out["group"] = out["group"].astype(str)
    return out


def indicators_from_counts(
    counts: pd.DataFrame,
    group_type: str = "Ethnicity",
    measures: Iterable[str] | None = None,
    reference: object | None = None,
    confidence: float = 0.95,
    suppression_policy: str = "standard",
) -> pd.DataFrame:
    """The same indicators from pre-aggregated counts (LMNS dashboard exports).

    Parameters
    ----------
    counts : DataFrame
        ``year``, ``group_type``, ``group``, ``measure``, ``events``, ``denominator``
        (see :func:`edi_analysis.io.read_birth_counts`).
    group_type : str, default "Ethnicity"
        Which grouping to compute ("Ethnicity" or "IMD quintile"); the result's group
        column is named as in :data:`GROUPINGS` (quintiles as whole numbers).
    measures : iterable of str, optional
        Measure keys; default those present that are in :data:`MEASURES`.
    reference : optional
        Reference group; default "White" for ethnicity and 5 for quintiles.

    Returns
    -------
    DataFrame
        As :func:`maternity_indicators`.
    """
    col = GROUPINGS.get(group_type)
    if col is None:
        raise ValueError(f"group_type must be one of {list(GROUPINGS)}, got {group_type!r}.")
    sub = counts[counts["group_type"] == group_type].copy()
    if sub.empty:
        raise ValueError(f"No rows with group_type {group_type!r} in the counts.")
    groups = sub["group"].astype("object")
    if col == "imd_quintile":
        as_num = pd.to_numeric(groups, errors="coerce")
        groups = groups.where(as_num.isna(), as_num.astype("Int64").astype("object"))
    sub[col] = groups.replace({"Not stated": inequalities.UNKNOWN_LABEL})
    if reference is None:
        reference = "White" if col == "ethnic_group" else 5
    keys = measures if measures is not None else [k for k in MEASURES if k in set(sub["measure"])]
    frames = [
        _measure_by_group(sub[sub["measure"] == m.key], m, "events", "denominator", col,
                          reference, confidence, suppression_policy)
        for m in _measures(keys)
    ]
    return pd.concat(frames, ignore_index=True)


def _measure_by_group(data, m, numerator, denominator, by, reference, confidence,
                      suppression_policy) -> pd.DataFrame:
    """One measure through the engine, per year, labelled with the measure's key and label."""
    res = inequalities.indicator_by_group(
        data, numerator, denominator, by=by, measure=m.measure, multiplier=m.multiplier,
        reference=reference, confidence=confidence, suppression_policy=suppression_policy,
        within="year", order=_orders(),
    )
    res.insert(0, "indicator_label", m.label)
    res.insert(0, "indicator", m.key)
    return res


# --------------------------------------------------------------------------------------
# data quality, population context, narrative
# --------------------------------------------------------------------------------------
def data_quality_summary(
    births: pd.DataFrame, suppression_policy: str = "standard"
) -> pd.DataFrame:
    """Count the records that are excluded, or whose group is not known, by year.

    Parameters
    ----------
    births : DataFrame
        Output of :func:`prepare_births`.
    suppression_policy : str, default "standard"
        Applied to the counts (each item against the year's records).

    Returns
    -------
    DataFrame
        One row per year and item: ``year``, ``item``, ``count``, ``share_pct``
        (percentage 0-100 of the year's records), ``treatment`` (what the analysis does
        with these records), ``suppressed``, ``count_display``. Items: all records,
        terminations excluded, no signs of life before 24 weeks excluded, stillbirths
        with no gestation (counted), ethnic group not known, LSOA missing, LSOA not
        matched to the IMD, IMD quintile not known, gestation missing (live births),
        delivery method not known, language not recorded.

    Notes
    -----
    Records with an unknown ethnic group or IMD quintile stay in every total and are
    shown as their own "Not known" group; nothing is dropped silently.
    """
    if "is_total_birth" not in births.columns:
        raise ValueError("births lacks the measure flags: pass it through prepare_births().")
    lsoa = (
        births["lsoa_code"].astype("object")
        if "lsoa_code" in births.columns
        else pd.Series(None, index=births.index, dtype="object")
    )
    lsoa_missing = lsoa.isna() | (lsoa.astype(str).str.strip() == "")
    match = births.get("imd_match", pd.Series("matched", index=births.index)).astype("object")
    gest = (
        pd.to_numeric(births["gestation_weeks"], errors="coerce").astype(float)
        if "gestation_weeks" in births.columns
        else pd.Series(np.nan, index=births.index)
    )
    items = [
        ("All birth records", pd.Series(True, index=births.index), "Reported"),
        ("Terminations of pregnancy", births["is_termination"], "Excluded from every measure"),
        (
            "No signs of life before 24 weeks",
            births["is_late_fetal_loss"],
            "Excluded (not a stillbirth under the MBRRACE-UK definition)",
        ),
        (
            "Stillbirths with no gestation recorded",
            births["is_stillbirth"] & gest.isna(),
            "Counted as stillbirths (registered stillbirths are 24 weeks or more)",
        ),
        (
            "Ethnic group not known or not stated",
            births["ethnic_group"] == inequalities.UNKNOWN_LABEL,
            "Kept and shown as 'Not known'",
        ),
        ("LSOA of residence missing", lsoa_missing, "Kept; IMD quintile 'Not known'"),
        (
            "LSOA given but not matched to the IMD (or outside the area)",
            ~lsoa_missing & ~match.isin(["matched", "supplied decile"]),
            "Kept; IMD quintile 'Not known'",
        ),
        ("IMD quintile not known", births["imd_quintile"].isna(), "Kept and shown as 'Not known'"),
        (
            "Live births with no gestation recorded",
            births["is_live_birth"] & gest.isna(),
            "Excluded from the preterm denominators",
        ),
        (
            "Delivery method not known",
            births["is_total_birth"] & ~births["is_delivery_known"],
            "Excluded from the emergency caesarean denominator",
        ),
        (
            "Mother's language not recorded",
            births["is_total_birth"] & ~births["is_language_recorded"],
            "Counted in the language-recorded denominator",
        ),
    ]
    frames = []
    for label, flag, treatment in items:
        part = (
            pd.DataFrame({"year": births["year"].astype(str), "count": flag.astype(int)})
            .groupby("year", sort=True)["count"]
            .sum()
            .reset_index()
        )
        part["item"] = label
        part["treatment"] = treatment
        frames.append(part)
    out = pd.concat(frames, ignore_index=True)
    totals = out[out["item"] == "All birth records"].set_index("year")["count"]
    out["share_pct"] = out["count"] / out["year"].map(totals) * 100
    from edi_analysis import suppression

    res = suppression.suppress_long(
        out,
        "count",
        group_cols=["year", "item"],
        policy=suppression_policy,
        value_cols=["share_pct"],
    )
    res["count_display"] = res["count"].map(lambda v: "" if pd.isna(v) else f"{v:,.0f}")
    res.loc[res["suppressed"], "count_display"] = res.loc[res["suppressed"], "suppression_symbol"]
    order = {label: i for i, (label, _, _) in enumerate(items)}
    res = res.sort_values(
        ["year", "item"],
        key=lambda s: s.map(order) if s.name == "item" else s,
        kind="stable",
        ignore_index=True,
    )
    return res[["year", "item", "count", "share_pct", "treatment", "suppressed", "count_display"]]


def population_context(area: object, quintiles: str = "national") -> pd.DataFrame:
    """Resident population by broad ethnic group and IMD quintile (Census 2021, IMD 2025).

    A thin wrapper of :func:`edi_analysis.deprivation.population_by_ethnicity_and_imd`
    (see it for the method), with the population counts passed through the standard
    suppression rule is unnecessary: Census counts are already published by ONS.

    Returns
    -------
    DataFrame
        ``ethnic_group``, ``imd_quintile``, ``count``, ``share_of_group`` (0-1),
        ``share_of_quintile`` (0-1).
    """
    out = deprivation.population_by_ethnicity_and_imd(area, quintiles=quintiles)
    return out.drop(columns=["area_code"])


def group_name(by: str):
    """Function naming a group in a sentence ("Black mothers", "quintile 1 (most deprived)")."""
    unknown = inequalities.UNKNOWN_LABEL

    def ethnic(g: object) -> str:
        return "mothers whose ethnic group is not known" if g == unknown else f"{g} mothers"

    def quintile(g: object) -> str:
        if g == unknown:
            return "mothers whose IMD quintile is not known"
        return f"mothers living in IMD quintile {QUINTILE_LABELS.get(g, g)}"

    if by == "ethnic_group":
        return ethnic
    if by == "imd_quintile":
        return quintile
    return lambda g: str(g)


def describe_change_measure(
    change: pd.DataFrame, indicator: str, by: str, include_overall: bool = True
) -> list[str]:
    """Careful sentences on the change between years for one measure (see
    :func:`edi_analysis.inequalities.describe_change`)."""
    m = _measures([indicator])[0]
    part = change[change["indicator"] == indicator]
    noun = "ethnic group" if by == "ethnic_group" else "IMD quintile"
    return inequalities.describe_change(
        part,
        by,
        m.phrase,
        group_noun=group_name(by),
        groups_noun=noun,
        include_overall=include_overall,
    )


def describe_gradient_measure(
    gradient: pd.DataFrame, indicator: str, year: str | None = None
) -> list[str]:
    """Careful sentences on the SII for one measure (the latest year by default)."""
    m = _measures([indicator])[0]
    part = gradient[gradient["indicator"] == indicator]
    if part.empty:
        return []
    year = year or sorted(part["year"].astype(str).unique())[-1]
    part = part[part["year"].astype(str) == str(year)]
    if m.measure == "proportion":
        return inequalities.describe_gradient(part, m.phrase, "percentage points", 100)
    return inequalities.describe_gradient(part, m.phrase, m.unit)


def describe_measure(
    results: pd.DataFrame,
    indicator: str,
    by: str,
    year: str | None = None,
    reference_label: str | None = None,
    include_overall: bool = True,
) -> list[str]:
    """Careful sentences for one measure, grouping and year (the latest by default).

    Parameters
    ----------
    results : DataFrame
        :func:`maternity_indicators` output with a single group column ``by``.
    indicator : str
        Measure key.
    by : {"ethnic_group", "imd_quintile"}
    year : str, optional
    reference_label : str, optional
        E.g. "White mothers"; default built from the group name.
    include_overall : bool, default True
        Start with the overall figure.

    Returns
    -------
    list of str
        See :func:`edi_analysis.inequalities.describe_groups`.
    """
    m = _measures([indicator])[0]
    part = results[results["indicator"] == indicator]
    if part.empty:
        return []
    year = year or sorted(part["year"].astype(str).unique())[-1]
    part = part[part["year"].astype(str) == str(year)]
    noun = group_name(by)
    indicator_phrase = m.phrase
    sentences = inequalities.describe_groups(
        part,
        by,
        indicator_phrase,
        m.events,
        m.per,
        group_noun=noun,
        reference_label=reference_label,
        include_overall=include_overall,
    )
    if sentences and include_overall:
        sentences[0] = f"In {year}, {sentences[0][0].lower()}{sentences[0][1:]}"
    return sentences


def births_by_group(
    births: pd.DataFrame,
    by: str = "ethnic_group",
    years: Iterable[str] | None = None,
    suppression_policy: str = "standard",
) -> pd.DataFrame:
    """Total births by group and year, with each group's share of the year's births.

    Parameters
    ----------
    births : DataFrame
        Output of :func:`prepare_births`.
    by : {"ethnic_group", "imd_quintile"}, default "ethnic_group"
    years : iterable of str, optional
        Years to show (e.g. last year and this year); default all.
    suppression_policy : str, default "standard"

    Returns
    -------
    DataFrame
        ``year``, the group column (every group, "Not known" included, and an "All"
        row), ``count`` (total births; rounded when the policy rounds, NaN when
        suppressed), ``share_pct`` (percentage 0-100 of the year's total births,
        from the published counts), ``suppressed``, ``count_display``.
    """
    if "is_total_birth" not in births.columns:
        raise ValueError("births lacks the measure flags: pass it through prepare_births().")
    data = births if years is None else births[births["year"].isin(list(years))]
    res = inequalities.indicator_by_group(
        data,
        "is_total_birth",
        None,
        by=by,
        measure="proportion",
        within="year",
        suppression_policy=suppression_policy,
        order=_orders(),
    )
    out = res[["year", by, "numerator", "suppressed", "numerator_display"]].rename(
        columns={"numerator": "count", "numerator_display": "count_display"}
    )
    totals = out[out[by] == inequalities.OVERALL_LABEL].set_index("year")["count"]
    out["share_pct"] = out["count"] / out["year"].map(totals) * 100
    return out[["year", by, "count", "share_pct", "suppressed", "count_display"]]


def report_years(births: pd.DataFrame, period: str, n: int = 2) -> list[str]:
    """The report's years: up to ``n`` years present in the data, ending at ``period``.

    Parameters
    ----------
    births : DataFrame
        Birth records (raw or prepared) with a ``year`` column.
    period : str
        The report period, e.g. ``"2025-26"``. When it is not in the data, the latest
        years before it are used (and the narrative says which years are shown).
    n : int, default 2
        This year and last.

    Returns
    -------
    list of str
        Sorted oldest first.

    Raises
    ------
    InputError
        If no year in the data is at or before ``period``.
    """
    years = sorted(births["year"].astype(str).unique())
    eligible = [y for y in years if y <= str(period)]
    if not eligible:
        raise InputError.single(
            _SOURCE,
            f"births in {period} or earlier",
            column="year",
            value=", ".join(years) or "no rows",
        )
    return eligible[-n:]


def describe_years(years: Sequence[str], period: str) -> list[str]:
    """Say which years the section covers, and whether the report period is among them."""
    shown = " and ".join(years)
    out = [f"This section covers births in {shown}."]
    if str(period) not in years:
        out.append(
            f"Birth records for {period} are not in the data supplied, so the latest "
            "years available are shown."
        )
    return out


def describe_population(population: pd.DataFrame) -> list[str]:
    """Sentences on where each ethnic group lives by deprivation (Census 2021, IMD 2025).

    States, for each group, the share of its residents in the most deprived quintile,
    against the area's overall share; descriptive figures from a census (no intervals).
    """
    q1 = population[population["imd_quintile"] == 1].set_index("ethnic_group")
    if q1.empty or "All" not in q1.index:
        return []
    overall = float(q1.loc["All", "share_of_group"])
    parts = [
        f"{g} residents {q1.loc[g, 'share_of_group'] * 100:.0f}%"
        for g in ["Asian", "Black", "Mixed", "White", "Other"]
        if g in q1.index
    ]
    return [
        f"Across the area, {overall * 100:.0f}% of residents live in neighbourhoods in the "
        "most deprived fifth of England (IMD 2025 quintile 1).",
        "The share living in those neighbourhoods differs by ethnic group: "
        + "; ".join(parts)
        + ".",
        "Because ethnic group and deprivation overlap, differences in outcomes by ethnic "
        "group and by deprivation should be read together (see the ethnicity by "
        "deprivation table).",
    ]


def comparator_notes() -> list[str]:
    """What national comparators are shown, with their source and method (or why none)."""
    if not NATIONAL_COMPARATORS:
        return [
            "No national comparator is shown beside these local figures. MBRRACE-UK "
            "publishes national stillbirth rates by ethnic group and by deprivation, but "
            "its deprivation quintiles are not the IMD 2025 quintiles used here, so the "
            "figures are not directly comparable; a comparator can be added to the "
            "package with its source and method.",
        ]
    out = []
    for key, c in NATIONAL_COMPARATORS.items():
        m = MEASURES.get(key)
        label = m.label if m else key
        out.append(
            f"{label}: national comparator {c.get('value')} ({c.get('source')}; {c.get('method')})."
        )
    return out
