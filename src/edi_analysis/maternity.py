"""Maternity outcomes by ethnic group and deprivation: measure definitions on the engine.

Birth records (one row per baby, ``docs/DESIGN.md`` "Births") are given flags for each
measure's numerator and denominator by :func:`prepare_births`; the general engine
(:mod:`edi_analysis.inequalities`) then computes counts, rates, intervals, comparisons
and ratios. Pre-aggregated counts (what LMNS dashboards export) go through
:func:`indicators_from_counts` to the same output. These functions return **exact**
figures, for analysis only.

Publication
-----------
The chapter publishes the same births many times: per year and pooled, by ethnic
group, by IMD quintile and by both, in change tables and in the data quality table.
Every published count is a cell of one population, ``"births"``, whose units are the
birth records of the report's years with the attributes of :data:`BIRTH_ATTRIBUTES`;
each measure's numerator and denominator are conditions on them
(:attr:`MaternityMeasure.numerator_condition`). :func:`declare_chapter` declares every
table to the notebook's :class:`~edi_analysis.disclosure.Release`, which protects them
all at once (``docs/DISCLOSURE.md``), and :func:`publish_chapter` recomputes every
rate, interval, ratio, comparison, change and slope index from the published counts.
Nothing here hides a cell by hand.

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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from edi_analysis import census, deprivation, inequalities
from edi_analysis.disclosure import CellKey, Population, Release, Role, SuppressionPolicy
from edi_analysis.errors import InputError, InputProblem

__all__ = [
    "BIRTH_ATTRIBUTES",
    "ETHNIC_GROUPS",
    "MaternityChapter",
    "GROUPINGS",
    "MEASURES",
    "MaternityMeasure",
    "NATIONAL_COMPARATORS",
    "QUINTILE_LABELS",
    "birth_units",
    "births_by_group",
    "births_population",
    "change_by_group",
    "comparator_notes",
    "describe_population",
    "describe_years",
    "report_years",
    "data_quality_summary",
    "declare_chapter",
    "declare_counts",
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
    "publish_chapter",
    "publish_counts",
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
    numerator_condition, denominator_condition : dict
        The numerator and denominator as conditions on the attributes of
        :func:`birth_units` (attribute -> categories): the cells they publish.
    cross_pooled : bool
        The ethnicity by quintile table is published pooled over the report's years
        only, as MBRRACE-UK does for rare outcomes (stillbirths, extremely preterm
        births) and for preterm births, whose cells by group, quintile and year are
        mostly small; that of a common outcome is published by year only (publishing
        both would pin any cell with one event in each year).
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
    numerator_condition: dict[str, tuple[str, ...]] = field(default_factory=dict)
    denominator_condition: dict[str, tuple[str, ...]] = field(default_factory=dict)
    cross_pooled: bool = False

    @property
    def unit(self) -> str:
        """Unit of ``value`` in words."""
        if self.measure == "proportion":
            return f"% of {self.per}"
        return f"per {self.multiplier:,.0f} {self.per}"


# Categories of the birth attributes (:func:`birth_units`).
_LIVE, _STILL, _LATE_LOSS, _TERMINATION = ("Live birth", "Stillbirth", "Late fetal loss",
                                           "Termination")
_TOTAL = (_LIVE, _STILL)
_UNDER_28, _WEEKS_28_36, _WEEKS_37, _NOT_KNOWN = ("Under 28 weeks", "28 to 36 weeks",
                                                  "37 weeks or more", "Not known")
_KNOWN_GESTATION = (_UNDER_28, _WEEKS_28_36, _WEEKS_37)
_EMCS, _OTHER_METHOD = "Emergency caesarean", "Other method"
_RECORDED, _NOT_RECORDED = "Recorded", "Not recorded"
_LSOA_MATCHED, _LSOA_MISSING, _LSOA_UNMATCHED = "Matched", "Missing", "Not matched"
#: A year category no unit has: a pooled stratum names its years, so it stays the same
#: cell in a later release whose population holds other years.
OTHER_YEARS = "Other years"

#: Attributes of a birth record that published cells condition on, with their categories.
BIRTH_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "year": (),
    "ethnic_group": (),
    "imd_quintile": ("1", "2", "3", "4", "5", _NOT_KNOWN),
    "outcome": (_LIVE, _STILL, _LATE_LOSS, _TERMINATION),
    "gestation": (*_KNOWN_GESTATION, _NOT_KNOWN),
    "delivery": (_EMCS, _OTHER_METHOD, _NOT_KNOWN),
    "language": (_RECORDED, _NOT_RECORDED),
    "lsoa": (_LSOA_MATCHED, _LSOA_MISSING, _LSOA_UNMATCHED),
}

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
            {"outcome": ("Stillbirth",)},
            {"outcome": _TOTAL},
            True,
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
            {"outcome": ("Live birth",), "gestation": (_UNDER_28, _WEEKS_28_36)},
            {"outcome": ("Live birth",), "gestation": _KNOWN_GESTATION},
            True,
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
            {"outcome": ("Live birth",), "gestation": (_UNDER_28,)},
            {"outcome": ("Live birth",), "gestation": _KNOWN_GESTATION},
            True,
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
            {"outcome": _TOTAL, "delivery": (_EMCS,)},
            {"outcome": _TOTAL, "delivery": (_EMCS, _OTHER_METHOD)},
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
            {"outcome": _TOTAL, "language": (_RECORDED,)},
            {"outcome": _TOTAL},
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
# the births population
# --------------------------------------------------------------------------------------
def _gestation_band(births: pd.DataFrame) -> np.ndarray:
    gest = (pd.to_numeric(births["gestation_weeks"], errors="coerce").astype(float)
            if "gestation_weeks" in births.columns else pd.Series(np.nan, index=births.index))
    return np.select([gest.isna(), gest < 28, gest < 37], [_NOT_KNOWN, _UNDER_28, _WEEKS_28_36],
                     _WEEKS_37)


def _lsoa_status(births: pd.DataFrame) -> np.ndarray:
    lsoa = (births["lsoa_code"].astype("object") if "lsoa_code" in births.columns
            else pd.Series(None, index=births.index, dtype="object"))
    missing = lsoa.isna() | (lsoa.astype(str).str.strip() == "")
    match = births.get("imd_match", pd.Series("matched", index=births.index)).astype("object")
    return np.select([missing, match.isin(["matched", "supplied decile"])],
                     [_LSOA_MISSING, _LSOA_MATCHED], _LSOA_UNMATCHED)


def birth_units(births: pd.DataFrame) -> pd.DataFrame:
    """One row per birth record with the attributes published cells condition on.

    Parameters
    ----------
    births : DataFrame
        Output of :func:`prepare_births`.

    Returns
    -------
    DataFrame
        Columns of :data:`BIRTH_ATTRIBUTES`, as text: ``year``; ``ethnic_group``;
        ``imd_quintile`` ("1" to "5", "Not known"); ``outcome`` ("Live birth",
        "Stillbirth" (MBRRACE-UK), "Late fetal loss" (no signs of life before 24
        weeks), "Termination"); ``gestation`` (under 28 weeks, 28 to 36, 37 or more,
        not known); ``delivery`` (emergency caesarean, other method, not known);
        ``language`` (recorded or not); ``lsoa`` (matched to the IMD, missing, not
        matched). Every numerator and denominator of :data:`MEASURES` and every item of
        :func:`data_quality_summary` is a condition on these.
    """
    if "is_total_birth" not in births.columns:
        raise ValueError("births lacks the measure flags: pass it through prepare_births().")
    outcome = np.select(
        [births["is_termination"], births["is_late_fetal_loss"], births["is_stillbirth"],
         births["is_live_birth"]], [_TERMINATION, _LATE_LOSS, _STILL, _LIVE], _LATE_LOSS)
    quintile = births["imd_quintile"].astype("object").map(
        lambda q: _NOT_KNOWN if pd.isna(q) else str(int(q)))
    method = births.get("delivery_method", pd.Series(None, index=births.index)).astype(object)
    known = method.notna() & (method != "Not known")
    delivery = np.where(method == "Emergency caesarean", _EMCS,
                        np.where(known, _OTHER_METHOD, _NOT_KNOWN))
    language = np.where(_recorded(births), _RECORDED, _NOT_RECORDED)
    return pd.DataFrame({
        "year": births["year"].astype(str).to_numpy(),
        "ethnic_group": births["ethnic_group"].astype(str).to_numpy(),
        "imd_quintile": quintile.to_numpy(),
        "outcome": outcome,
        "gestation": _gestation_band(births),
        "delivery": delivery,
        "language": language,
        "lsoa": _lsoa_status(births),
    }, index=births.index)


def _recorded(births: pd.DataFrame) -> pd.Series:
    if "language_recorded" in births.columns:
        return _flag(births, "language_recorded", False)
    if "mother_language" in births.columns:
        lang = births["mother_language"].astype("object")
        return lang.notna() & (lang.astype(str).str.strip() != "")
    return pd.Series(False, index=births.index)


#: Categories that say a field was not recorded: not a group of people to protect (see
#: Notes of :func:`births_population`).
NOT_RECORDED: dict[str, list[str]] = {
    "ethnic_group": [inequalities.UNKNOWN_LABEL], "imd_quintile": [_NOT_KNOWN],
    "gestation": [_NOT_KNOWN], "delivery": [_NOT_KNOWN], "language": [_NOT_RECORDED],
    "lsoa": [_LSOA_MISSING, _LSOA_UNMATCHED],
}


def _not_sensitive(policy: SuppressionPolicy) -> dict[str, list[str]]:
    return {} if policy.protect_non_respondents else dict(NOT_RECORDED)


def births_population(births: pd.DataFrame, policy: str | SuppressionPolicy = "standard",
                      name: str = "births") -> Population:
    """The births population of a release: every record of the report's years.

    Parameters
    ----------
    births : DataFrame
        Output of :func:`prepare_births`, limited to the report's years.
    policy : str or SuppressionPolicy, default "standard"
        The release's policy (for ``protect_non_respondents``).
    name : str, default "births"
        The population's name. Cells of two releases with the same name and condition
        are the same figure, so keep the default: each cell names its years.

    Returns
    -------
    Population
        Units from :func:`birth_units`; the year's domain also holds
        :data:`OTHER_YEARS`, so a cell pooling the report's years keeps its condition
        on the year and is not read as "all births" by a later release.

    Notes
    -----
    Records whose mother's ethnic group is not stated, whose area of residence is not
    known, or that lack a gestation, delivery method or language, are shown as "Not
    known" (or counted in the data quality table) and kept in every total. A missing
    field is not a characteristic of a group of people, so these records are not
    treated as a group to protect (:data:`NOT_RECORDED`), as the NHS Staff Survey does
    not treat respondents who skip a demographic question as a published group: their
    small counts are still hidden, but may be left derivable from the totals (which is
    what lets a table show all five quintiles and the overall figure). The policy flag
    ``protect_non_respondents`` protects them too.
    """
    from edi_analysis.disclosure import get_policy

    pol = get_policy(policy)
    units = birth_units(births)
    years = sorted(units["year"].unique())
    domains = dict(BIRTH_ATTRIBUTES)
    domains["year"] = (*years, OTHER_YEARS)
    domains["ethnic_group"] = tuple(ETHNIC_GROUPS)
    return Population(name, units=units, domains=domains, not_sensitive=_not_sensitive(pol))


def count_units(units: pd.DataFrame, condition: Mapping[str, object]) -> int:
    """Number of units meeting a condition (attribute -> category or categories)."""
    keep = np.ones(len(units), dtype=bool)
    for attr, vals in condition.items():
        vals = [vals] if isinstance(vals, str) else list(vals)
        keep &= units[attr].isin([str(v) for v in vals]).to_numpy()
    return int(keep.sum())


# --------------------------------------------------------------------------------------
# indicators (exact)
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


def _present(births: pd.DataFrame, col: str, value: object) -> object | None:
    """The reference group when the data has it (no ratios otherwise)."""
    if value is None or col not in births.columns:
        return value
    return value if (births[col].astype(object) == value).any() else None


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
    pooled: bool = False,
) -> pd.DataFrame:
    """Every maternity measure by group and year, with intervals and ratios (exact).

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
    pooled : bool, default False
        Add a stratum pooling all the years (``year`` = :func:`pooled_label`), as
        MBRRACE-UK and local reports do for rare outcomes such as stillbirth.

    Returns
    -------
    DataFrame
        :func:`edi_analysis.inequalities.indicator_by_group` output per measure, stacked,
        with ``indicator`` (measure key) and ``indicator_label`` first and ``year`` as
        the stratum. Exact: publish through :func:`declare_chapter`.

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
    reference = _reference_for(by_cols, _present(data, "ethnic_group", reference_ethnicity),
                               _present(data, "imd_quintile", reference_quintile))
    frames = [
        _measure_by_group(data, m, m.numerator, m.denominator, by_cols, reference, confidence)
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
) -> pd.DataFrame:
    """Change in each measure between two years, by group (exact; see
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
            order=_orders(),
        )
        res.insert(0, "indicator_label", m.label)
        res.insert(0, "indicator", m.key)
        frames.append(res.assign(measure=m.measure, multiplier=m.multiplier))
    return pd.concat(frames, ignore_index=True)


def gradient_by_quintile(
    by_quintile: pd.DataFrame, confidence: float = 0.95, method: str = "simulation"
) -> pd.DataFrame:
    """SII and RII across IMD quintiles for each measure and year.

    Parameters
    ----------
    by_quintile : DataFrame
        :func:`maternity_indicators` output with ``by="imd_quintile"`` (exact, or as
        published: a hidden quintile leaves the index blank).

    Returns
    -------
    DataFrame
        ``indicator``, ``indicator_label``, ``year``, ``measure`` and the columns of
        :func:`edi_analysis.inequalities.inequality_gradient`.
    """
    frames = []
    for (key, label), part in by_quintile.groupby(["indicator", "indicator_label"], sort=False):
        res = inequalities.inequality_gradient(
            part, "imd_quintile", within="year", confidence=confidence, method=method
        )
        res.insert(0, "indicator_label", label)
        res.insert(0, "indicator", key)
        frames.append(res.assign(measure=MEASURES[key].measure if key in MEASURES
                                 else str(part["measure"].iloc[0])))
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


def _counts_of(counts: pd.DataFrame, group_type: str) -> tuple[pd.DataFrame, str]:
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
    sub["year"] = sub["year"].astype(str)
    return sub, col


def indicators_from_counts(
    counts: pd.DataFrame,
    group_type: str = "Ethnicity",
    measures: Iterable[str] | None = None,
    reference: object | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """The same indicators from pre-aggregated counts (LMNS dashboard exports), exact.

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
        As :func:`maternity_indicators`. Publish with :func:`declare_counts`.
    """
    sub, col = _counts_of(counts, group_type)
    if reference is None:
        reference = "White" if col == "ethnic_group" else 5
    reference = _present(sub, col, reference)
    keys = measures if measures is not None else [k for k in MEASURES if k in set(sub["measure"])]
    frames = [
        _measure_by_group(sub[sub["measure"] == m.key], m, "events", "denominator", col,
                          reference, confidence)
        for m in _measures(keys)
    ]
    return pd.concat(frames, ignore_index=True)


def _measure_by_group(data, m, numerator, denominator, by, reference, confidence
                      ) -> pd.DataFrame:
    """One measure through the engine, per year, labelled with the measure's key and label."""
    res = inequalities.indicator_by_group(
        data, numerator, denominator, by=by, measure=m.measure, multiplier=m.multiplier,
        reference=reference, confidence=confidence, within="year", order=_orders(),
    )
    res.insert(0, "indicator_label", m.label)
    res.insert(0, "indicator", m.key)
    return res


# --------------------------------------------------------------------------------------
# data quality, population context, narrative
# --------------------------------------------------------------------------------------
#: Data quality items: label, condition on the birth attributes, treatment.
QUALITY_ITEMS: tuple[tuple[str, dict[str, object], str], ...] = (
    ("All birth records", {}, "Reported"),
    ("Terminations of pregnancy", {"outcome": _TERMINATION}, "Excluded from every measure"),
    ("No signs of life before 24 weeks", {"outcome": _LATE_LOSS},
     "Excluded (not a stillbirth under the MBRRACE-UK definition)"),
    ("Stillbirths with no gestation recorded", {"outcome": _STILL, "gestation": _NOT_KNOWN},
     "Counted as stillbirths (registered stillbirths are 24 weeks or more)"),
    ("Ethnic group not known or not stated", {"ethnic_group": inequalities.UNKNOWN_LABEL},
     "Kept and shown as 'Not known'"),
    ("LSOA of residence missing", {"lsoa": _LSOA_MISSING}, "Kept; IMD quintile 'Not known'"),
    ("LSOA given but not matched to the IMD (or outside the area)",
     {"lsoa": _LSOA_UNMATCHED}, "Kept; IMD quintile 'Not known'"),
    ("IMD quintile not known", {"imd_quintile": _NOT_KNOWN}, "Kept and shown as 'Not known'"),
    ("Live births with no gestation recorded", {"outcome": _LIVE, "gestation": _NOT_KNOWN},
     "Excluded from the preterm denominators"),
    ("Delivery method not known", {"outcome": _TOTAL, "delivery": _NOT_KNOWN},
     "Excluded from the emergency caesarean denominator"),
    ("Mother's language not recorded", {"outcome": _TOTAL, "language": _NOT_RECORDED},
     "Counted in the language-recorded denominator"),
)


def data_quality_summary(births: pd.DataFrame) -> pd.DataFrame:
    """Count the records that are excluded, or whose group is not known, by year (exact).

    Parameters
    ----------
    births : DataFrame
        Output of :func:`prepare_births`.

    Returns
    -------
    DataFrame
        One row per year and item (:data:`QUALITY_ITEMS`): ``year``, ``item``,
        ``count``, ``share_pct`` (percentage 0-100 of the year's records),
        ``treatment`` (what the analysis does with these records). Items: all records,
        terminations excluded, no signs of life before 24 weeks excluded, stillbirths
        with no gestation (counted), ethnic group not known, LSOA missing, LSOA not
        matched to the IMD, IMD quintile not known, gestation missing (live births),
        delivery method not known, language not recorded.

    Notes
    -----
    Records with an unknown ethnic group or IMD quintile stay in every total and are
    shown as their own "Not known" group; nothing is dropped silently.
    """
    units = birth_units(births)
    rows = []
    for year in sorted(units["year"].unique()):
        part = units[units["year"] == year]
        total = len(part)
        for label, cond, treatment in QUALITY_ITEMS:
            n = count_units(part, cond)
            rows.append({"year": year, "item": label, "count": float(n),
                         "share_pct": 100.0 * n / total if total else np.nan,
                         "treatment": treatment})
    return pd.DataFrame(rows, columns=["year", "item", "count", "share_pct", "treatment"])


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
        if str(g).startswith(COMBINED_PREFIX):
            return f"mothers of the combined groups ({str(g)[len(COMBINED_PREFIX):]})"
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


def births_by_group(
    births: pd.DataFrame,
    by: str = "ethnic_group",
    years: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Total births by group and year, with each group's share of the year's births (exact).

    Parameters
    ----------
    births : DataFrame
        Output of :func:`prepare_births`.
    by : {"ethnic_group", "imd_quintile"}, default "ethnic_group"
    years : iterable of str, optional
        Years to show (e.g. last year and this year); default all.

    Returns
    -------
    DataFrame
        ``year``, the group column (every group, "Not known" included, and an "All"
        row), ``count`` (total births), ``share_pct`` (percentage 0-100 of the year's
        total births).
    """
    if "is_total_birth" not in births.columns:
        raise ValueError("births lacks the measure flags: pass it through prepare_births().")
    data = births if years is None else births[births["year"].isin(list(years))]
    res = inequalities.indicator_by_group(
        data, "is_total_birth", None, by=by, measure="proportion", within="year",
        order=_orders(),
    )
    out = res[["year", by, "numerator", "is_overall"]].rename(columns={"numerator": "count"})
    return _share_of_year(out, "count", "share_pct")


def _share_of_year(frame: pd.DataFrame, count: str, share: str) -> pd.DataFrame:
    """``share`` = ``count`` as a percentage of its year's overall row (NaN if hidden)."""
    out = frame.copy()
    totals = out[out["is_overall"]].set_index("year")[count]
    with np.errstate(divide="ignore", invalid="ignore"):
        out[share] = out[count].astype(float) / out["year"].map(totals).astype(float) * 100
    return out


# --------------------------------------------------------------------------------------
# publication: every table of the chapter declared to one release
# --------------------------------------------------------------------------------------
#: Published CSV of each frame of :class:`MaternityChapter` that is one table.
TABLES: dict[str, str] = {
    "births_ethnicity": "maternity_births_by_ethnicity",
    "births_quintile": "maternity_births_by_imd_quintile",
    "gradient": "maternity_inequality_gradient",
    "stillbirth_pooled_ethnicity": "maternity_stillbirth_pooled_by_ethnicity",
    "stillbirth_pooled_quintile": "maternity_stillbirth_pooled_by_imd_quintile",
    "stillbirth_pooled_gradient": "maternity_stillbirth_pooled_gradient",
    "quality": "maternity_data_quality",
    "population": "population_by_ethnicity_and_imd_quintile",
}
#: Frames published as one table per measure: ``maternity_<measure>_<suffix>``.
MEASURE_TABLES: dict[str, str] = {
    "by_ethnicity": "by_ethnicity",
    "by_quintile": "by_imd_quintile",
    "by_both": "by_ethnicity_and_imd_quintile",
    "change_ethnicity": "change_by_ethnicity",
    "change_quintile": "change_by_imd_quintile",
}


def measure_table(attr: str, measure: str) -> str:
    """Published table name of one measure's part of a frame (:data:`MEASURE_TABLES`)."""
    return f"maternity_{measure}_{MEASURE_TABLES[attr]}"


_GRADIENT_VALUES = ("sii", "sii_lower", "sii_upper", "fitted_most_deprived",
                    "fitted_least_deprived")
_CHANGE_VALUES = ("value_from", "value_to", "change")
_CHANGE_COUNTS = ("numerator_from", "denominator_from", "numerator_to", "denominator_to")
#: Label of the combined row of the ethnicity by quintile table.
COMBINED_PREFIX = "Combined: "


@dataclass
class MaternityChapter:
    """Every table of the maternity chapter: exact when declared, then as published.

    Attributes
    ----------
    years : list of str
        The report's years, oldest first; ``pooled`` labels the pooled stratum.
    births_ethnicity, births_quintile : DataFrame
        :func:`births_by_group` by ethnic group and by IMD quintile.
    by_ethnicity, by_quintile : DataFrame
        :func:`maternity_indicators` per year.
    by_both : DataFrame
        Every measure by ethnic group and quintile, per year and pooled; ethnic groups
        expected to have too few events are combined (``combined``).
    stillbirth_pooled_ethnicity, stillbirth_pooled_quintile : DataFrame
        Stillbirths per year and pooled.
    change_ethnicity, change_quintile : DataFrame
        :func:`change_by_group` (the same year cells again).
    gradient, stillbirth_pooled_gradient : DataFrame
        :func:`gradient_by_quintile` (from the published quintile figures once
        published: blank where a quintile is hidden).
    quality : DataFrame
        :func:`data_quality_summary`.
    population : DataFrame or None
        Census population context (public figures).
    combined : dict
        Label of each combined row of ``by_both`` -> its ethnic groups.
    published : bool
        True once the frames are the published tables (:func:`publish_chapter`).
    """

    years: list[str]
    pooled: str
    reference_ethnicity: str | None
    reference_quintile: int | None
    confidence: float
    births_ethnicity: pd.DataFrame
    births_quintile: pd.DataFrame
    by_ethnicity: pd.DataFrame
    by_quintile: pd.DataFrame
    by_both: pd.DataFrame
    stillbirth_pooled_ethnicity: pd.DataFrame
    stillbirth_pooled_quintile: pd.DataFrame
    change_ethnicity: pd.DataFrame
    change_quintile: pd.DataFrame
    gradient: pd.DataFrame
    stillbirth_pooled_gradient: pd.DataFrame
    quality: pd.DataFrame
    population: pd.DataFrame | None = None
    combined: dict[str, tuple[str, ...]] = field(default_factory=dict)
    published: bool = False


def _roles(frame: pd.DataFrame, by: str, reference: object) -> list[Role]:
    """Overall rows are headlines, the reference group a reference, the main groups a chart
    series (ethnic groups, quintiles 1 to 5), the rest (Not known, combined) detail.

    The reference group of a pooled period is a headline: pooling exists because single
    years are too small, and the pooled rate ratios and gradient are the finding a board
    reads (issue 11: the stillbirth reference quintile must not be the cell withheld),
    and the other quintiles of a pooled period cost as much as a reference group, since
    the pooled gradient needs all five.
    """
    out = []
    years = frame["year"] if "year" in frame else [""] * len(frame)
    for g, overall, year in zip(frame[by], frame["is_overall"], years, strict=True):
        if overall:
            # each indicator's organisation figure is a headline (issue 11)
            out.append(Role.HEADLINE)
        elif reference is not None and g == reference:
            out.append(Role.HEADLINE if "pooled" in str(year) else Role.REFERENCE)
        elif "pooled" in str(year) and by == "imd_quintile" and \
                g != inequalities.UNKNOWN_LABEL:
            # the pooled gradient (SII, RII) needs every quintile: dearer than a year's
            out.append(Role.REFERENCE)
        elif g == inequalities.UNKNOWN_LABEL or str(g).startswith(COMBINED_PREFIX):
            out.append(Role.DETAIL)
        else:
            out.append(Role.CHART)
    return out


def _measure_keys(frame: pd.DataFrame, pop: Population, columns: Sequence[str],
                  values: Mapping[str, Mapping[object, object]]
                  ) -> tuple[list[CellKey], list[CellKey]]:
    """Numerator and denominator keys of a stacked table, each row by its measure."""
    num: list[CellKey | None] = [None] * len(frame)
    den: list[CellKey | None] = [None] * len(frame)
    for key, idx in frame.groupby("indicator", sort=False).indices.items():
        m = MEASURES[key]
        n, d = inequalities.indicator_keys(frame.iloc[idx], pop, columns, m.numerator_condition,
                                           m.denominator_condition, values)
        for i, a, b in zip(idx, n, d, strict=True):
            num[i], den[i] = a, b
    return num, den


def _declare_measures(release: Release, attr: str | None, frame: pd.DataFrame,
                      pop: Population, by: str, reference: object, values: Mapping
                      ) -> pd.DataFrame:
    """Declare a stacked table: as one table, or (``attr`` of :data:`MEASURE_TABLES`)
    one table per measure."""
    frame = frame.reset_index(drop=True)
    parts = [(TABLES[attr], frame)] if attr in TABLES else [
        (measure_table(attr, key), frame.iloc[idx].reset_index(drop=True))
        for key, idx in frame.groupby("indicator", sort=False).indices.items()]
    for name, part in parts:
        num, den = _measure_keys(part, pop, ["year", by], values)
        inequalities.declare_indicator(release, name, part, num, den,
                                       roles=_roles(part, by, reference))
    return frame


def _combined_groups(births: pd.DataFrame, m: MaternityMeasure, strata_years: Sequence[str],
                     reference: str | None, min_expected: float, policy: SuppressionPolicy,
                     split_by: str = "imd_quintile") -> tuple[str, ...]:
    """Ethnic groups to publish combined in one stratum of a table (see Notes of
    :func:`declare_chapter`); none, or at least two.

    A group is combined when it is expected to have fewer than ``min_expected`` events
    (its denominator times the overall rate: published figures), or when its events
    are few and spread over ``split_by``: over quintiles, any small total split
    (:func:`edi_analysis.disclosure.merging.merge_sparse_rows`); over years, a small
    total whose years' own "<5" symbols pin it (one event a year:
    :func:`edi_analysis.disclosure.merging.singleton_split`).
    """
    from edi_analysis.disclosure.merging import merge_sparse_rows, singleton_split

    part = births[births["year"].isin(list(strata_years))]
    num = float(part[m.numerator].sum())
    den = part.groupby("ethnic_group")[m.denominator].sum().reindex(ETHNIC_GROUPS,
                                                                     fill_value=0)
    total = float(den.sum())
    expected = den.astype(float) * (num / total if total else 0.0)
    protect_unknown = bool(policy.protect_non_respondents)
    keep = [g for g in ETHNIC_GROUPS if g == reference
            or (not protect_unknown and g == inequalities.UNKNOWN_LABEL)]
    candidates = [g for g in ETHNIC_GROUPS if g not in keep]
    small = {g for g in candidates if 0 < expected[g] < min_expected}
    split = part.assign(_split=part[split_by].astype(object).fillna(_NOT_KNOWN).astype(str))
    cells = split[split[m.numerator]].groupby(["ethnic_group", "_split"]).size()
    columns = sorted(split["_split"].unique())
    rows = {g: [float(cells.get((g, c), 0)) for c in columns] for g in ETHNIC_GROUPS}
    if split_by == "year":
        small |= {g for g in candidates if singleton_split(rows[g], policy)}
    else:
        for members in merge_sparse_rows(rows, policy, keep=keep).values():
            small |= set(members)
    if len(small) == 1:
        others = sorted((g for g in candidates if g not in small and den[g] > 0),
                        key=lambda g: expected[g])
        small |= set(others[:1])
    return tuple(g for g in ETHNIC_GROUPS if g in small) if len(small) > 1 else ()


def _combine(data: pd.DataFrame, members: tuple[str, ...], combined: dict) -> tuple[
        pd.DataFrame, dict[str, list]]:
    """Relabel ``members`` as one combined group; the display order with it last."""
    order = _orders()
    if not members:
        return data, order
    name = COMBINED_PREFIX + ", ".join(members)
    combined[name] = members
    data = data.assign(ethnic_group=data["ethnic_group"].where(
        ~data["ethnic_group"].isin(members), name))
    order["ethnic_group"] = [g for g in ETHNIC_GROUPS if g not in members] + [name]
    return data, order


def _cross_table(births: pd.DataFrame, years: list[str], pooled: str,
                 reference: str | None, confidence: float, min_expected: float,
                 policy: SuppressionPolicy) -> tuple[pd.DataFrame, dict[str, tuple[str, ...]]]:
    strata = {y: [y] for y in years}
    if len(years) > 1:
        strata[pooled] = list(years)
    frames, combined = [], {}
    for m in MEASURES.values():
        for label, ys in strata.items():
            if len(strata) > 1 and (label == pooled) != m.cross_pooled:
                continue
            members = _combined_groups(births, m, ys, reference, min_expected, policy)
            data = births[births["year"].isin(ys)].assign(year=label)
            data, order = _combine(data, members, combined)
            ref = {"ethnic_group": reference} if reference in set(data["ethnic_group"]) else None
            res = inequalities.indicator_by_group(
                data, m.numerator, m.denominator, by=["ethnic_group", "imd_quintile"],
                measure=m.measure, multiplier=m.multiplier, reference=ref,
                confidence=confidence, within="year", order=order)
            res.insert(0, "indicator_label", m.label)
            res.insert(0, "indicator", m.key)
            frames.append(res)
    return pd.concat(frames, ignore_index=True), combined


def _pooled_by_ethnicity(births: pd.DataFrame, years: list[str], pooled: str,
                         common: Mapping, min_expected: float, policy: SuppressionPolicy,
                         combined: dict) -> pd.DataFrame:
    """Stillbirths by ethnic group per year and pooled; in the pooled stratum the groups
    whose few stillbirths fall one a year are combined (their pooled "<5" would be
    pinned by the years' own "<5")."""
    m = MEASURES["stillbirth"]
    by_year = maternity_indicators(births, "ethnic_group", measures=["stillbirth"], **common)
    members = _combined_groups(births, m, years, common["reference_ethnicity"],
                               0.0, policy, split_by="year")
    data, order = _combine(births.assign(year=pooled), members, combined)
    ref = common["reference_ethnicity"]
    res = inequalities.indicator_by_group(
        data, m.numerator, m.denominator, by="ethnic_group", measure=m.measure,
        multiplier=m.multiplier, reference=ref if ref in set(data["ethnic_group"]) else None,
        confidence=common["confidence"], within="year", order=order)
    res.insert(0, "indicator_label", m.label)
    res.insert(0, "indicator", m.key)
    return pd.concat([by_year, res], ignore_index=True)


def declare_chapter(
    release: Release,
    births: pd.DataFrame,
    years: Sequence[str] | None = None,
    reference_ethnicity: str | None = "White",
    reference_quintile: int | None = 5,
    confidence: float = 0.95,
    population: pd.DataFrame | None = None,
    min_expected: float = 10.0,
) -> MaternityChapter:
    """Declare every table of the maternity chapter to the notebook's release.

    Parameters
    ----------
    release : Release
        Not yet protected; the service section and any other table of the notebook
        are declared to it too, and it is protected once.
    births : DataFrame
        Output of :func:`prepare_births`, limited to the report's years.
    years : sequence of str, optional
        The report's years (default those present), oldest first.
    reference_ethnicity, reference_quintile, confidence
        As in :func:`maternity_indicators`.
    population : DataFrame, optional
        :func:`population_context` (Census figures: a public table).
    min_expected : float, default 10
        In the ethnicity by quintile table, ethnic groups expected to have fewer
        events than this in a year (their births times the overall rate) are shown
        together in one "Combined" row.

    Returns
    -------
    MaternityChapter
        The exact tables, as declared (never publish these: see
        :func:`publish_chapter`).

    Notes
    -----
    Every count is a cell of the population :func:`births_population`: total births
    by group and year, each measure's numerator and denominator by ethnic group, by
    quintile and by both, per year and pooled (a pooled cell is the sum of the year
    cells, a group's cell the sum of its quintile cells: the relations follow from the
    conditions), the change tables' year cells (the same cells again) and the data
    quality items. Roles set the cost of hiding: overall rows are totals, the
    reference group (White, quintile 5) a reference, every ethnic group and quintile
    1 to 5 of the one-way tables a chart series (the slope index needs all five),
    the rest detail.

    The ethnicity by quintile table combines sparse ethnic groups because, with zeros
    published as exact and "<5" meaning 1 to 4, a group whose few events fall in
    several quintiles cannot be protected: its "<5" parts add up to its own small
    total, which no hiding can make uncertain. Groups expected to have fewer than
    ``min_expected`` events (a rule on published figures: births and the overall
    rate), and groups whose small total is so split
    (:func:`edi_analysis.disclosure.merging.merge_sparse_rows`), are combined; so are,
    in the pooled stratum of the stillbirth table by ethnic group, groups with one
    stillbirth in each year. The tables say which groups are combined.
    """
    years = sorted({str(y) for y in births["year"]}) if years is None else list(years)
    births = births[births["year"].astype(str).isin(years)].assign(
        year=lambda d: d["year"].astype(str))
    pooled = pooled_label(years)
    reference_ethnicity = _present(births, "ethnic_group", reference_ethnicity)
    reference_quintile = _present(births, "imd_quintile", reference_quintile)
    pop = release.add_population(births_population(births, release.policy))
    values = {"year": {pooled: list(years)}}
    combined: dict[str, tuple[str, ...]] = {}
    common = dict(reference_ethnicity=reference_ethnicity, reference_quintile=reference_quintile,
                  confidence=confidence)
    ref_of = {"ethnic_group": reference_ethnicity, "imd_quintile": reference_quintile}
    out: dict[str, pd.DataFrame] = {}
    for attr, by in (("births_ethnicity", "ethnic_group"), ("births_quintile", "imd_quintile")):
        frame = births_by_group(births, by).reset_index(drop=True)
        keys, _ = inequalities.indicator_keys(frame, pop, ["year", by], {"outcome": _TOTAL})
        release.add_table(TABLES[attr], frame, counts={"count": keys},
                          roles={"count": _roles(frame, by, ref_of[by])},
                          symbols={"count": "count_symbol"}, kinds={"share_pct": "percent"})
        out[attr] = frame
    for attr, by, kw in (("by_ethnicity", "ethnic_group", {}),
                         ("by_quintile", "imd_quintile", {}),
                         ("stillbirth_pooled_ethnicity", "ethnic_group",
                          {"measures": ["stillbirth"], "pooled": len(years) > 1}),
                         ("stillbirth_pooled_quintile", "imd_quintile",
                          {"measures": ["stillbirth"], "pooled": len(years) > 1})):
        if attr == "stillbirth_pooled_ethnicity" and len(years) > 1:
            frame = _pooled_by_ethnicity(births, years, pooled, common, min_expected,
                                         release.policy, combined)
        else:
            frame = maternity_indicators(births, by, **common, **kw)
        out[attr] = _declare_measures(release, attr, frame, pop, by, ref_of[by],
                                      {**values, "ethnic_group": combined})
    cross, cross_combined = _cross_table(births, years, pooled, reference_ethnicity,
                                         confidence, min_expected, release.policy)
    combined.update(cross_combined)
    values_cross = {**values, "ethnic_group": dict(combined)}
    cross = cross.reset_index(drop=True)
    for key, idx in cross.groupby("indicator", sort=False).indices.items():
        part = cross.iloc[idx].reset_index(drop=True)
        num, den = _measure_keys(part, pop, ["year", "ethnic_group", "imd_quintile"],
                                 values_cross)
        roles = [Role.TOTAL if o else Role.DETAIL for o in part["is_overall"]]
        inequalities.declare_indicator(release, measure_table("by_both", key), part, num, den,
                                       roles=roles)
    out["by_both"] = cross
    for attr, by in (("change_ethnicity", "ethnic_group"), ("change_quintile", "imd_quintile")):
        if len(years) < 2:
            frame = pd.DataFrame()
        else:
            frame = change_by_group(births, by, confidence=confidence).reset_index(drop=True)
        out[attr] = frame
        if frame.empty:
            continue
        for key, idx in frame.groupby("indicator", sort=False).indices.items():
            part = frame.iloc[idx].reset_index(drop=True)
            counts: dict[str, list] = {}
            for side, year in (("from", years[-2]), ("to", years[-1])):
                n, d = _measure_keys(part.assign(year=year), pop, ["year", by], values)
                counts[f"numerator_{side}"], counts[f"denominator_{side}"] = n, d
            roles = _roles(part, by, ref_of[by])
            kinds = inequalities.indicator_kinds(release.policy, part["measure"].unique(),
                                                 value_columns=_CHANGE_VALUES)
            release.add_table(measure_table(attr, key), part, counts=counts,
                              roles={c: roles for c in counts},
                              symbols={c: f"{c}_symbol" for c in counts}, kinds=kinds)
    for attr, source in (("gradient", "by_quintile"),
                         ("stillbirth_pooled_gradient", "stillbirth_pooled_quintile")):
        frame = gradient_by_quintile(out[source], confidence=confidence, method="analytic")
        out[attr] = frame
        release.add_table(TABLES[attr], frame, counts={}, flag=None,
                          kinds=inequalities._gradient_kinds(release.policy,
                                                             frame["measure"].unique()))
    quality = data_quality_summary(births).assign(
        is_overall=lambda d: d["item"] == QUALITY_ITEMS[0][0])
    keys = [pop.key(year=y, **dict(QUALITY_ITEMS[[q[0] for q in QUALITY_ITEMS].index(i)][1]))
            for y, i in zip(quality["year"], quality["item"], strict=True)]
    release.add_table(TABLES["quality"], quality, counts={"count": keys},
                      roles={"count": [Role.TOTAL if o else Role.DETAIL
                                       for o in quality["is_overall"]]},
                      symbols={"count": "count_symbol"}, kinds={"share_pct": "percent"})
    if population is not None:
        release.add_public_table(TABLES["population"], population,
                                 kinds={"share_of_group": "proportion",
                                        "share_of_quintile": "proportion"})
    return MaternityChapter(years=list(years), pooled=pooled,
                            reference_ethnicity=reference_ethnicity,
                            reference_quintile=reference_quintile, confidence=confidence,
                            quality=quality, population=population, combined=combined, **out)


def _publish_measures(release: Release, name: str, by: str | list[str],
                      reference: object, confidence: float) -> pd.DataFrame:
    pub = release.published_table(name)
    parts = []
    for key, idx in pub.groupby("indicator", sort=False).indices.items():
        m = MEASURES[key]
        parts.append(inequalities.derive_indicator(
            pub.iloc[idx], by, "year", m.measure, m.multiplier, reference, confidence))
    out = pd.concat(parts).sort_index()
    return release.finish(name, inequalities.round_by_measure(out, release.policy))


def _publish_stacked(release: Release, attr: str, frame: pd.DataFrame, by: str | list[str],
                     reference: object, confidence: float) -> pd.DataFrame:
    """A stacked frame from its per-measure published tables (or its one table)."""
    if attr in TABLES:
        return _publish_measures(release, TABLES[attr], by, reference, confidence)
    parts = [_publish_measures(release, measure_table(attr, key), by, reference, confidence)
             for key in frame["indicator"].unique()]
    return pd.concat(parts, ignore_index=True)


def publish_chapter(release: Release, chapter: MaternityChapter,
                    sii_method: str = "simulation") -> MaternityChapter:
    """The chapter as published: every figure from the protected release's counts.

    Parameters
    ----------
    release : Release
        Protected (``release.protect()``), with the chapter declared
        (:func:`declare_chapter`).
    chapter : MaternityChapter
        As declared.
    sii_method : {"simulation", "analytic"}, default "simulation"
        Interval method of the slope index (:func:`gradient_by_quintile`).

    Returns
    -------
    MaternityChapter
        The published tables: counts blank where hidden (rounded under a rounding
        policy) with ``*_symbol`` columns and ``suppressed``; shares, rates,
        intervals, comparisons with overall, ratios to the reference group, changes
        and slope indices recomputed from the published counts (a ratio to a hidden
        reference, or an index lacking a quintile, is blank); rounded as the report
        shows them. These are what the tables, charts, narrative and CSV files use.
    """
    pol = release.policy
    c = chapter
    out: dict[str, pd.DataFrame] = {}
    for attr in ("births_ethnicity", "births_quintile"):
        pub = _share_of_year(release.published_table(TABLES[attr]), "count", "share_pct")
        out[attr] = release.finish(TABLES[attr], pub)
    ref_eth, ref_q = c.reference_ethnicity, c.reference_quintile
    for attr, by, ref in (("by_ethnicity", "ethnic_group", ref_eth),
                          ("by_quintile", "imd_quintile", ref_q),
                          ("stillbirth_pooled_ethnicity", "ethnic_group", ref_eth),
                          ("stillbirth_pooled_quintile", "imd_quintile", ref_q)):
        out[attr] = _publish_stacked(release, attr, getattr(c, attr), by, ref, c.confidence)
    out["by_both"] = _publish_stacked(
        release, "by_both", c.by_both, ["ethnic_group", "imd_quintile"],
        {"ethnic_group": ref_eth} if ref_eth is not None else None, c.confidence)
    for attr in ("change_ethnicity", "change_quintile"):
        if getattr(c, attr).empty:
            out[attr] = getattr(c, attr)
            continue
        parts = []
        for key in getattr(c, attr)["indicator"].unique():
            m, name = MEASURES[key], measure_table(attr, key)
            frame = inequalities.derive_change(release.published_table(name), m.measure,
                                               m.multiplier, c.confidence)
            frame = inequalities.round_by_measure(frame, pol, _CHANGE_VALUES)
            parts.append(release.finish(name, frame))
        out[attr] = pd.concat(parts, ignore_index=True)
    for attr, source in (("gradient", "by_quintile"),
                         ("stillbirth_pooled_gradient", "stillbirth_pooled_quintile")):
        frame = gradient_by_quintile(out[source], confidence=c.confidence, method=sii_method)
        frame = inequalities.round_by_measure(frame, pol, _GRADIENT_VALUES)
        out[attr] = release.finish(TABLES[attr], frame)
    quality = release.published_table(TABLES["quality"])
    out["quality"] = release.finish(TABLES["quality"],
                                    _share_of_year(quality, "count", "share_pct"))
    return replace(c, published=True, **out)


# --------------------------------------------------------------------------------------
# pre-aggregated counts (birth_counts)
# --------------------------------------------------------------------------------------
def _counts_populations(release: Release, counts: pd.DataFrame, measures: Sequence[str],
                        group_types: Sequence[str]) -> dict[tuple[str, str], Population]:
    """One population per measure (both groupings as marginals), or per measure and
    grouping when the groupings' year totals differ (see :func:`declare_counts`)."""
    out = {}
    for key in measures:
        margs = {}
        for gt in group_types:
            sub, col = _counts_of(counts, gt)
            sub = sub[sub["measure"] == key]
            if sub.empty:
                continue
            grp = sub.groupby(["year", col], sort=False)[["events", "denominator"]].sum()
            grp = grp.reset_index()
            groups = grp[col].map(inequalities._categories)
            margs[gt] = pd.DataFrame({
                "year": np.concatenate([grp["year"], grp["year"]]),
                col: np.concatenate([groups, groups]),
                "outcome": ["numerator"] * len(grp) + ["rest"] * len(grp),
                "count": np.concatenate([grp["events"], grp["denominator"] - grp["events"]]),
            })
        totals = {gt: m.groupby(["year", "outcome"])["count"].sum() for gt, m in margs.items()}
        same = len({tuple(t.sort_index().items()) for t in totals.values()}) <= 1
        pol = release.policy
        domains = {"outcome": ["numerator", "rest"]}
        ns = {} if pol.protect_non_respondents else {
            "ethnic_group": [inequalities.UNKNOWN_LABEL], "imd_quintile": [_NOT_KNOWN]}
        if same and margs:
            pop = release.add_population(Population(
                f"birth counts: {key}", marginals=list(margs.values()), domains=domains,
                not_sensitive={a: v for a, v in ns.items()
                               if any(a in m.columns for m in margs.values())}))
            out.update({(key, gt): pop for gt in margs})
        else:
            for gt, m in margs.items():
                out[(key, gt)] = release.add_population(Population(
                    f"birth counts: {key} by {gt}", marginals=[m], domains=domains,
                    not_sensitive={a: v for a, v in ns.items() if a in m.columns}))
    return out


def declare_counts(
    release: Release,
    counts: pd.DataFrame,
    group_types: Sequence[str] = ("Ethnicity", "IMD quintile"),
    measures: Iterable[str] | None = None,
    reference_ethnicity: str | None = "White",
    reference_quintile: int | None = 5,
    confidence: float = 0.95,
    prefix: str = "maternity_counts",
) -> dict[str, pd.DataFrame]:
    """Declare the indicators of pre-aggregated birth counts to a release.

    Parameters
    ----------
    release : Release
        Not yet protected.
    counts : DataFrame
        The ``birth_counts`` input (:func:`edi_analysis.io.read_birth_counts`).
    group_types : sequence of str
        Groupings to publish (keys of :data:`GROUPINGS` present in the file).
    measures : iterable of str, optional
        Default the keys of :data:`MEASURES` present in the file.
    reference_ethnicity, reference_quintile, confidence
        As in :func:`maternity_indicators`.
    prefix : str
        Table names are ``<prefix>_by_ethnicity`` and ``<prefix>_by_imd_quintile``.

    Returns
    -------
    dict
        Table name -> exact table (:func:`indicators_from_counts`), declared.

    Notes
    -----
    Counts give no records, so each measure is a population given by its marginals:
    (year, ethnic group, outcome) and (year, quintile, outcome), with ``outcome``
    "numerator" or "rest" (the denominator's other births). The two groupings count
    the same births, so their overall rows are one cell. When their year totals differ
    (an export whose groupings do not add up to the same births) each grouping is its
    own population. Different measures are different populations even where their
    denominators are the same births (the file does not say how the measures'
    numerators overlap), so a shared denominator is protected once per measure.
    """
    present = set(counts["measure"].astype(str))
    keys = [k for k in (measures if measures is not None else MEASURES) if k in present]
    gts = [gt for gt in group_types if (counts["group_type"] == gt).any()]
    pops = _counts_populations(release, counts, keys, gts)
    out = {}
    for gt in gts:
        col = GROUPINGS[gt]
        ref = reference_ethnicity if col == "ethnic_group" else reference_quintile
        ref = _present(_counts_of(counts, gt)[0], col, ref)
        frame = indicators_from_counts(counts, gt, keys, ref, confidence).reset_index(drop=True)
        num: list[CellKey | None] = [None] * len(frame)
        den: list[CellKey | None] = [None] * len(frame)
        for key, idx in frame.groupby("indicator", sort=False).indices.items():
            n, d = inequalities.indicator_keys(frame.iloc[idx], pops[(key, gt)], ["year", col],
                                               {"outcome": "numerator"})
            for i, a, b in zip(idx, n, d, strict=True):
                num[i], den[i] = a, b
        name = f"{prefix}_by_{'ethnicity' if col == 'ethnic_group' else 'imd_quintile'}"
        inequalities.declare_indicator(release, name, frame, num, den,
                                       roles=_roles(frame, col, ref))
        out[name] = frame.assign(_by=col, _reference=[ref] * len(frame))
    return out


def publish_counts(release: Release, declared: Mapping[str, pd.DataFrame],
                   confidence: float = 0.95) -> dict[str, pd.DataFrame]:
    """The tables of :func:`declare_counts` as published (after ``release.protect()``)."""
    out = {}
    for name, frame in declared.items():
        by, ref = frame["_by"].iloc[0], frame["_reference"].iloc[0]
        out[name] = _publish_measures(release, name, by, ref, confidence)
    return out
