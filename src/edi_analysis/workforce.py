"""Workforce profile: headcount by protected characteristic and pay band cluster,
representation against the Census 2021 population, declaration rates and progression.

Functions take the canonical staff records of :mod:`edi_analysis.schemas` (one row per
employee) and return tidy, unrounded DataFrames. Shares are proportions 0-1 in columns
named ``*_share``; differences in percentage points are in ``*_pts``. Nothing here is
suppressed: published tables go through :mod:`edi_analysis.suppression` (see
:func:`publish_headcount` and :func:`publish_representation`) before display or export.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from edi_analysis import census, schemas, stats
from edi_analysis.errors import InputError

__all__ = [
    "BAND_CLUSTER_PRESETS",
    "CHARACTERISTICS",
    "NOT_STATED",
    "TOTAL",
    "SENIOR_BANDS",
    "Characteristic",
    "band_clusters",
    "assign_clusters",
    "characteristic_values",
    "headcount_table",
    "headcount_wide",
    "representation_table",
    "workforce_census_categories",
    "declaration_rates",
    "declaration_change",
    "progression_table",
    "senior_likelihood",
    "publish_progression",
    "publish_senior_likelihood",
    "age_sex_table",
    "PublishedProfile",
    "SECTION_CHARACTERISTICS",
    "WorkforceSection",
    "build_section",
    "characteristic_sentences",
    "detailed_ethnicity_sentences",
    "overview_sentences",
    "publish_profile",
    "publish_detailed_ethnicity",
    "CENSUS_ONLY_ETHNIC_CATEGORIES",
    "HARMONISED_ETHNIC_LABELS",
    "NON_RESPONSE_CATEGORIES",
    "NOT_RECORDED",
    "DETAILED_ETHNICITY_NOTE",
    "census_category_of_labels",
    "published_tables",
    "representation_sentences",
    "declaration_sentences",
]

_SOURCE = "<staff records>"
TOTAL = "Total"
NOT_STATED = "Not stated"

#: Bands counted as "Band 8a and above" for progression (AfC 8a-9 and VSM).
SENIOR_BANDS: tuple[str, ...] = ("Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM")

BAND_CLUSTER_PRESETS: dict[str, dict[str, list[str]]] = {
    # The seed report's four clusters (schemas.PAY_BAND_CLUSTERS, labels without spaces).
    "seed": {
        "Band 1-4": list(schemas.PAY_BAND_CLUSTERS["Band 1 - 4"]),
        "Band 5-7": list(schemas.PAY_BAND_CLUSTERS["Band 5 - 7"]),
        "Band 8a-9": list(schemas.PAY_BAND_CLUSTERS["Band 8a - 9"]),
        "Non-AfC": list(schemas.PAY_BAND_CLUSTERS["Non-AfC"]),
    },
    # WDES metric 1 clusters (WDES technical guidance 2023, section on metric 1).
    "wdes": {
        "Band 1-4": ["Band 1", "Band 2", "Band 3", "Band 4"],
        "Band 5-7": ["Band 5", "Band 6", "Band 7"],
        "Band 8a-8b": ["Band 8a", "Band 8b"],
        "Band 8c-9 & VSM": ["Band 8c", "Band 8d", "Band 9", "VSM"],
        "Medical consultant": ["Medical - Consultant"],
        "Medical career grade": ["Medical - Career grade"],
        "Medical trainee": ["Medical - Trainee"],
        "Other non-AfC": ["Non-AfC"],
    },
    # One column per pay band.
    "band": {band: [band] for band in schemas.PAY_BANDS},
}
"""Named pay band cluster mappings: cluster label -> canonical pay bands."""


@dataclass(frozen=True)
class Characteristic:
    """How one characteristic is read from the staff records.

    Attributes
    ----------
    key : str
        Name used in function calls (``"ethnic_group"``, ``"disability"``, ...).
    label : str
        Human label ("Ethnic group").
    column : str
        Staff-record column it is derived from.
    not_stated : tuple of str
        Values meaning not stated / not declared / unknown (after labelling).
    census : str or None
        Characteristic name of the Census 2021 comparator, or None if none exists.
    """

    key: str
    label: str
    column: str
    not_stated: tuple[str, ...]
    census: str | None


CHARACTERISTICS: dict[str, Characteristic] = {
    c.key: c
    for c in (
        Characteristic("age_band", "Age band", "age_band", (), "age_band"),
        Characteristic("disability", "Disability", "disability",
                       ("Not declared", "Prefer not to answer"), "disability"),
        Characteristic("ethnic_group", "Ethnic group", "ethnic_category",
                       (NOT_STATED,), "ethnicity_5"),
        Characteristic("ethnic_category", "Ethnic category (detailed)", "ethnic_category",
                       (NOT_STATED,), "ethnicity_19"),
        Characteristic("bme", "White / BME", "ethnic_category", (NOT_STATED,), None),
        Characteristic("religion_belief", "Religion or belief", "religion_belief",
                       ("I do not wish to disclose my religion/belief", "Unspecified"),
                       "religion"),
        Characteristic("sex", "Sex", "sex", (), "sex"),
        Characteristic("sexual_orientation", "Sexual orientation", "sexual_orientation",
                       ("Not stated (person asked but declined to provide a response)",
                        "Unspecified"), "sexual_orientation"),
        Characteristic("marital_status", "Marriage and civil partnership", "marital_status",
                       ("Unknown",), "marital_status"),
        Characteristic("contract_status", "Contract status", "contract_status", (), None),
    )
}
"""The characteristics the workforce section reports, keyed by name."""

_ORDERS: dict[str, list[str]] = {
    "age_band": list(schemas.AGE_BANDS),
    "disability": ["No", "Yes", "Not declared", "Prefer not to answer"],
    "religion_belief": list(schemas.RELIGION_VALUES),
    "sex": list(schemas.SEX_VALUES),
    "sexual_orientation": list(schemas.SEXUAL_ORIENTATION_VALUES),
    "marital_status": list(schemas.MARITAL_STATUS_VALUES),
    "contract_status": list(schemas.CONTRACT_STATUS_VALUES),
    "bme": ["White", "BME", NOT_STATED],
}


# --------------------------------------------------------------------------------------
# validation and labelling
# --------------------------------------------------------------------------------------
def _require(staff: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    if not isinstance(staff, pd.DataFrame):
        raise ValueError(f"staff must be a DataFrame, got {type(staff).__name__}.")
    missing = [c for c in columns if c not in staff.columns]
    if missing:
        raise InputError.single(_SOURCE, f"a '{missing[0]}' column ({what})", column=missing[0])


def _characteristic(key: str) -> Characteristic:
    if key not in CHARACTERISTICS:
        raise ValueError(
            f"Unknown characteristic {key!r}; expected one of {', '.join(CHARACTERISTICS)}."
        )
    return CHARACTERISTICS[key]


def band_clusters(
    clusters: str | Mapping[str, Sequence[str]] = "seed",
) -> dict[str, list[str]]:
    """Return a pay band cluster mapping (cluster label -> canonical pay bands).

    Parameters
    ----------
    clusters : str or mapping
        A preset name from :data:`BAND_CLUSTER_PRESETS` ("seed", "wdes", "band") or a
        mapping of cluster label to the pay bands it holds, in display order.

    Returns
    -------
    dict of str to list of str

    Raises
    ------
    ValueError
        If the preset is unknown, a band is not a canonical pay band, or a band is in
        two clusters.

    Notes
    -----
    "seed" is the four clusters of the LLR ICB EDI report (Band 1-4, Band 5-7,
    Band 8a-9, Non-AfC: VSM, medical and other non-AfC staff). "wdes" follows the WDES
    metric 1 clusters: AfC 1-4, 5-7, 8a-8b, 8c-9 and VSM, then medical consultants,
    non-consultant career grades and trainee grades (NHS England, WDES technical
    guidance 2023).
    """
    if isinstance(clusters, str):
        if clusters not in BAND_CLUSTER_PRESETS:
            raise ValueError(
                f"Unknown band cluster preset {clusters!r}; expected one of "
                f"{', '.join(BAND_CLUSTER_PRESETS)} or a mapping."
            )
        return {k: list(v) for k, v in BAND_CLUSTER_PRESETS[clusters].items()}
    seen: dict[str, str] = {}
    out: dict[str, list[str]] = {}
    for label, bands in clusters.items():
        out[str(label)] = []
        for band in bands:
            if band not in schemas.PAY_BANDS:
                raise ValueError(f"Cluster {label!r}: {band!r} is not a pay band "
                                 f"({', '.join(schemas.PAY_BANDS)}).")
            if band in seen:
                raise ValueError(f"Pay band {band!r} is in clusters {seen[band]!r} and "
                                 f"{label!r}.")
            seen[band] = str(label)
            out[str(label)].append(band)
    return out


def assign_clusters(
    staff: pd.DataFrame, clusters: str | Mapping[str, Sequence[str]] = "seed"
) -> pd.Series:
    """Return each employee's pay band cluster as an ordered categorical Series.

    Parameters
    ----------
    staff : pandas.DataFrame
        Staff records with ``pay_band``.
    clusters : str or mapping
        See :func:`band_clusters`.

    Returns
    -------
    pandas.Series
        Ordered categorical, same index as ``staff``.

    Raises
    ------
    InputError
        If ``pay_band`` is missing or a row's band is in no cluster.
    """
    _require(staff, ["pay_band"], "the employee's pay band")
    mapping = band_clusters(clusters)
    lookup = {band: label for label, bands in mapping.items() for band in bands}
    out = staff["pay_band"].map(lookup)
    unmapped = out.isna()
    if unmapped.any():
        pos = int(np.flatnonzero(unmapped.to_numpy())[0])
        raise InputError.single(
            _SOURCE, "a pay band covered by the chosen clusters "
            f"({', '.join(lookup)})", column="pay_band", row=pos + 2,
            value=staff["pay_band"].iloc[pos],
        )
    return pd.Series(pd.Categorical(out, categories=list(mapping), ordered=True),
                     index=staff.index, name="cluster")


def _ethnic_lookup() -> pd.DataFrame:
    """NHS ethnic code -> label, group_5, census_19, bme (:data:`census.ETHNIC_CATEGORIES`)."""
    frame = census.ETHNIC_CATEGORIES.copy()
    frame["code"] = frame["code"].astype(str)
    return frame.set_index("code")


def characteristic_values(staff: pd.DataFrame, characteristic: str) -> pd.Series:
    """Return each employee's category of ``characteristic`` as an ordered categorical.

    Parameters
    ----------
    staff : pandas.DataFrame
        Canonical staff records.
    characteristic : str
        A key of :data:`CHARACTERISTICS`. ``ethnic_group`` (5 Census 2021 broad groups),
        ``ethnic_category`` (NHS detailed label, e.g. "A White - British") and ``bme``
        (White / BME) are derived from the
        NHS ethnic category code with :data:`edi_analysis.census.ETHNIC_CATEGORIES`;
        codes "Z" (not stated) and "99" (not known) become "Not stated".

    Returns
    -------
    pandas.Series
        Ordered categorical (not-stated categories last), same index as ``staff``.

    Raises
    ------
    ValueError
        If the characteristic is unknown.
    InputError
        If its column is missing.
    """
    spec = _characteristic(characteristic)
    if spec.key == "age_band" and "age_band" not in staff.columns and "age" in staff.columns:
        values = staff["age"].map(schemas.age_band_of)
    else:
        _require(staff, [spec.column], spec.label)
        values = staff[spec.column]
    if spec.column == "ethnic_category":
        lookup = _ethnic_lookup()
        column = {"ethnic_group": "group_5", "ethnic_category": "label",
                  "bme": "bme"}[spec.key]
        codes = values.astype("string").str.strip().str.upper()
        mapped = codes.map(lookup[column].to_dict())
        if spec.key == "bme":
            mapped = codes.map(
                {c: ("BME" if bool(b) else "White") for c, b in lookup["bme"].items()
                 if not pd.isna(b)}
            )
        stated = ~codes.isin([schemas.ETHNIC_NOT_STATED, schemas.ETHNIC_NOT_KNOWN]) & \
            codes.notna()
        values = mapped.where(stated, NOT_STATED).fillna(NOT_STATED)
        if spec.key == "bme":
            order = _ORDERS["bme"]
        else:
            order = [v for v in pd.unique(lookup[column].dropna()) if v != NOT_STATED]
            order.append(NOT_STATED)
    else:
        order = list(_ORDERS.get(spec.key, []))
        values = values.astype("object")
    observed = [v for v in pd.unique(values.dropna()) if v not in order]
    order = order + sorted(map(str, observed))
    stated = [c for c in order if c not in spec.not_stated]
    order = stated + [c for c in order if c in spec.not_stated]
    return pd.Series(pd.Categorical(values, categories=order, ordered=True),
                     index=staff.index, name=spec.key)


# --------------------------------------------------------------------------------------
# headcount
# --------------------------------------------------------------------------------------
def headcount_table(
    staff: pd.DataFrame,
    characteristic: str,
    clusters: str | Mapping[str, Sequence[str]] = "seed",
) -> pd.DataFrame:
    """Return headcount by category of ``characteristic`` and pay band cluster.

    Parameters
    ----------
    staff : pandas.DataFrame
        Canonical staff records (``pay_band`` and the characteristic's column).
    characteristic : str
        A key of :data:`CHARACTERISTICS`.
    clusters : str or mapping
        Pay band clusters (:func:`band_clusters`).

    Returns
    -------
    pandas.DataFrame
        Long form, one row per category x cluster including a ``"Total"`` cluster and a
        ``"Total"`` category: ``characteristic``, ``category``, ``cluster``, ``count``,
        ``cluster_total`` (headcount of the cluster) and ``share`` (count /
        cluster_total, a proportion 0-1: the seed report's "% headcount by pay band").
        Categories with no staff are kept (count 0), in reporting order.

    Notes
    -----
    Headcount, not full-time equivalent. Unsuppressed: publish with
    :func:`publish_headcount` or :mod:`edi_analysis.suppression`.
    """
    spec = _characteristic(characteristic)
    cats = characteristic_values(staff, spec.key)
    clus = assign_clusters(staff, clusters)
    counts = pd.crosstab(cats, clus, dropna=False).reindex(
        index=cats.cat.categories, columns=clus.cat.categories, fill_value=0
    )
    counts[TOTAL] = counts.sum(axis=1)
    counts.loc[TOTAL] = counts.sum(axis=0)
    long = counts.rename_axis(index="category", columns="cluster").stack().rename("count")
    out = long.reset_index()
    out["category"] = out["category"].astype(str)
    out["cluster"] = out["cluster"].astype(str)
    totals = counts.loc[TOTAL]
    out["cluster_total"] = out["cluster"].map(totals).astype(int)
    out["count"] = out["count"].astype(int)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share"] = np.where(out["cluster_total"] > 0,
                                out["count"] / out["cluster_total"].replace(0, 1), np.nan)
    out.insert(0, "characteristic", spec.key)
    return out


def headcount_wide(table: pd.DataFrame, value: str = "count") -> pd.DataFrame:
    """Pivot a :func:`headcount_table` to categories x clusters.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`headcount_table` (possibly suppressed).
    value : str
        Column to spread ("count" or "share").

    Returns
    -------
    pandas.DataFrame
        Index ``category`` in table order, one column per cluster (``"Total"`` last).
    """
    cats = list(dict.fromkeys(table["category"]))
    clus = list(dict.fromkeys(table["cluster"]))
    wide = table.pivot(index="category", columns="cluster", values=value)
    return wide.reindex(index=cats, columns=clus).rename_axis(columns=None)


# --------------------------------------------------------------------------------------
# representation against the Census
# --------------------------------------------------------------------------------------
def workforce_census_categories(staff: pd.DataFrame, characteristic: str) -> pd.Series:
    """Return each employee's category in the wording of the Census 2021 comparator.

    Parameters
    ----------
    staff : pandas.DataFrame
        Canonical staff records.
    characteristic : str
        A key of :data:`CHARACTERISTICS` with a Census comparator.

    Returns
    -------
    pandas.Series of str
        Census category per employee (``"Not stated"`` / ``"Not answered"`` for
        non-responses), same index as ``staff``.

    Raises
    ------
    ValueError
        If the characteristic has no Census comparator.

    Notes
    -----
    Uses :func:`edi_analysis.census.esr_to_census_category` (e.g. Atheism -> No
    religion, Yes -> Disabled, NHS code H -> "Asian"); values without a Census
    equivalent become "Not stated".
    """
    spec = _characteristic(characteristic)
    if spec.census is None:
        raise ValueError(f"{characteristic!r} has no Census 2021 comparator.")
    if spec.key == "age_band":
        raw = characteristic_values(staff, "age_band").astype("object")
    else:
        _require(staff, [spec.column], spec.label)
        raw = staff[spec.column].astype("object")
        if spec.column == "ethnic_category":
            raw = raw.astype("string").str.strip().str.upper().astype("object")
    mapping = census.esr_to_census_category(spec.census)
    return raw.map(lambda v: mapping.get(v, v) if isinstance(v, str) else NOT_STATED)


#: Census wording of non-response; these categories are outside the stated base.
NON_RESPONSE_CATEGORIES = (NOT_STATED, "Not answered", "Does not apply")


def representation_table(
    staff: pd.DataFrame,
    census_comparator: pd.DataFrame,
    characteristic: str,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Compare the workforce with the local population, group by group.

    Parameters
    ----------
    staff : pandas.DataFrame
        Canonical staff records.
    census_comparator : pandas.DataFrame
        Output of :func:`edi_analysis.census.comparator` for this characteristic
        (``category``, ``count``; Census wording).
    characteristic : str
        A key of :data:`CHARACTERISTICS` with a Census comparator.
    confidence : float
        Level of the Wilson interval for the workforce share.

    Returns
    -------
    pandas.DataFrame
        One row per category (Census order; workforce-only categories such as age 65+
        after them; non-response rows last): ``characteristic``, ``category``,
        ``workforce_n``, ``workforce_base``, ``workforce_share`` (proportion 0-1),
        ``lower``, ``upper`` (Wilson interval), ``population_n``, ``population_share``,
        ``difference_pts`` ((workforce - population share) x 100),
        ``representation_ratio`` (workforce share / population share) and ``flag``
        ("Under-represented", "Similar", "Over-represented"; empty where not assessed),
        plus ``compared`` (False for rows kept apart: "Not stated" / "Not answered" and
        workforce categories outside the comparator population, e.g. staff aged 65+
        against residents aged 16-64).

    Raises
    ------
    ValueError
        If the comparator lacks ``category`` or ``count`` or the characteristic has no
        Census comparator.

    Notes
    -----
    Workforce values are mapped to Census wording with
    :func:`workforce_census_categories`. Shares of stated categories are computed among
    people who stated a category, on both sides, so that a high workforce
    non-declaration rate is shown as such (in its own row) and not read as
    under-representation of every group (``share_base`` "staff who stated"; staff in
    categories outside the comparator population, e.g. aged 65+, count in the staff
    base). When publishing (:func:`publish_profile`) the stated total can itself be
    disclosive; shares are then of all staff and of the whole population
    (``share_base`` "all staff"). Rows kept apart (``compared`` False) give
    their share of **all** staff and of the whole comparator population, with no
    interval or flag.

    The flag is decided by the interval, not by eye: "Under-represented" when the
    population share is above the upper limit of the workforce share's Wilson interval
    (:func:`edi_analysis.stats.proportion_ci`), "Over-represented" when it is below the
    lower limit, otherwise "Similar". The population share is treated as fixed (Census
    counts are a near-complete enumeration). The representation ratio is descriptive;
    judge it with the interval.

    References
    ----------
    .. [1] Newcombe RG (1998). Two-sided confidence intervals for the single proportion.
       *Stat Med* 17:857-872.
    .. [2] ONS Census 2021 (see :func:`edi_analysis.census.comparator`).
    """
    spec = _characteristic(characteristic)
    for col in ("category", "count"):
        if col not in census_comparator.columns:
            raise ValueError(f"census_comparator has no {col!r} column.")
    cats = workforce_census_categories(staff, spec.key)
    return _representation_frame(cats.value_counts().astype(float), census_comparator,
                                 spec.key, confidence)


def _representation_frame(
    wf: pd.Series, census_comparator: pd.DataFrame, key: str, confidence: float,
    base: float | None = None, n_all: float | None = None,
    share_base: str = "staff who stated",
) -> pd.DataFrame:
    """Representation rows from workforce counts by Census category (NaN = hidden).

    ``base`` (staff who stated a category) and ``n_all`` (all staff) default to sums of
    ``wf``. With ``share_base="all staff"`` the shares of both sides are of everyone
    (non-response included).
    """
    spec = _characteristic(key)
    pop = census_comparator.groupby("category", sort=False)["count"].sum()
    is_nr_pop = pop.index.isin(NON_RESPONSE_CATEGORIES)
    pop_stated = pop[~is_nr_pop]
    stated_order = list(pop_stated.index)
    wf_stated = pd.Series([float(wf[c]) if c in wf.index else 0.0 for c in stated_order],
                          index=stated_order, dtype=float)
    outside = sorted(c for c in wf.index if c not in pop.index and c not in NON_RESPONSE_CATEGORIES)
    if base is None:
        base = float(wf_stated.sum(skipna=False)) + float(wf.reindex(outside).sum(skipna=False))
    shown = wf_stated.notna().to_numpy() & bool(np.isfinite(base))
    value = np.full(len(stated_order), np.nan)
    lower = value.copy()
    upper = value.copy()
    if shown.any() and base > 0:
        ci = stats.proportion_ci(wf_stated.to_numpy(dtype=float)[shown], base,
                                 confidence=confidence)
        value[shown] = ci["value"].to_numpy()
        lower[shown] = ci["lower"].to_numpy()
        upper[shown] = ci["upper"].to_numpy()
    pop_base = float(pop.sum()) if share_base == "all staff" else float(pop_stated.sum())
    pop_n = pop_stated.reindex(stated_order).to_numpy(dtype=float)
    out = pd.DataFrame(
        {
            "category": stated_order,
            "workforce_n": wf_stated.to_numpy(dtype=float),
            "workforce_base": base,
            "workforce_share": value,
            "lower": lower,
            "upper": upper,
            "population_n": pop_n,
            "population_share": pop_n / pop_base if pop_base > 0 else np.nan,
        }
    )
    out["difference_pts"] = (out["workforce_share"] - out["population_share"]) * 100.0
    out["representation_ratio"] = out["workforce_share"] / out["population_share"].where(
        out["population_share"] > 0)
    out["flag"] = np.select(
        [out["population_share"] > out["upper"], out["population_share"] < out["lower"],
         out["population_share"].notna() & out["lower"].notna()],
        ["Under-represented", "Over-represented", "Similar"],
        default="",
    )
    out["compared"] = True
    out["share_base"] = share_base
    nr_order = list(dict.fromkeys([*outside, *pop.index[is_nr_pop],
                                   *[c for c in wf.index if c in NON_RESPONSE_CATEGORIES]]))
    if spec.not_stated and NOT_STATED not in nr_order and "Not answered" not in nr_order:
        nr_order.append(NOT_STATED)
    if n_all is None:
        n_all = float(wf.sum(skipna=False))
    pop_all = float(pop.sum())
    rows = []
    for cat in nr_order:
        n = float(wf.get(cat, 0.0))
        p = float(pop[cat]) if cat in pop.index else np.nan
        rows.append({
            "category": cat, "workforce_n": n, "workforce_base": n_all,
            "workforce_share": n / n_all if n_all > 0 else np.nan,
            "lower": np.nan, "upper": np.nan, "population_n": p,
            "population_share": p / pop_all if pop_all > 0 else np.nan,
            "difference_pts": np.nan, "representation_ratio": np.nan, "flag": "",
            "compared": False, "share_base": "all staff",
        })
    if rows:
        out = pd.concat([out, pd.DataFrame(rows)], ignore_index=True)
    out.insert(0, "characteristic", spec.key)
    return out


# --------------------------------------------------------------------------------------
# declaration rates
# --------------------------------------------------------------------------------------
def declaration_rates(
    staff: pd.DataFrame,
    characteristics: Sequence[str] = ("ethnic_group", "disability", "religion_belief",
                                      "sexual_orientation"),
    clusters: str | Mapping[str, Sequence[str]] = "seed",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Return the share of staff with no stated category, by characteristic and cluster.

    Parameters
    ----------
    staff : pandas.DataFrame
        Canonical staff records.
    characteristics : sequence of str
        Keys of :data:`CHARACTERISTICS` that have not-stated categories.
    clusters : str or mapping
        Pay band clusters (a ``"Total"`` cluster is added).
    confidence : float
        Level of the Wilson interval of the not-declared share.

    Returns
    -------
    pandas.DataFrame
        ``characteristic``, ``cluster``, ``not_declared_n``, ``headcount``,
        ``not_declared_share`` (proportion 0-1), ``lower``, ``upper``,
        ``declared_share`` (1 - not declared).

    Notes
    -----
    "Not declared" covers every non-response category of the characteristic ("Not
    declared" and "Prefer not to answer" for disability; "Z" not stated and "99" not
    known for ethnicity; "I do not wish to disclose" and "Unspecified" for religion;
    "Not stated" and "Unspecified" for sexual orientation; "Unknown" marital status).
    """
    frames = []
    for key in characteristics:
        spec = _characteristic(key)
        if not spec.not_stated:
            raise ValueError(f"{key!r} has no not-stated category; no declaration rate.")
        table = headcount_table(staff, key, clusters)
        table = table[table["category"] != TOTAL]
        nd = table[table["category"].isin(spec.not_stated)].groupby(
            "cluster", sort=False)["count"].sum()
        heads = table.groupby("cluster", sort=False)["count"].sum()
        ci = stats.proportion_ci(nd.reindex(heads.index).to_numpy(), heads.to_numpy(),
                                 confidence=confidence)
        frames.append(
            pd.DataFrame(
                {
                    "characteristic": key,
                    "cluster": heads.index.astype(str),
                    "not_declared_n": nd.reindex(heads.index).to_numpy(dtype=int),
                    "headcount": heads.to_numpy(dtype=int),
                    "not_declared_share": ci["value"].to_numpy(),
                    "lower": ci["lower"].to_numpy(),
                    "upper": ci["upper"].to_numpy(),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out["declared_share"] = 1.0 - out["not_declared_share"]
    return out


def declaration_change(current: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """Add the previous snapshot's not-declared share and the change in points.

    Parameters
    ----------
    current, previous : pandas.DataFrame
        Outputs of :func:`declaration_rates` for this and the previous snapshot
        (``previous`` may be None: the added columns are then NaN).

    Returns
    -------
    pandas.DataFrame
        ``current`` with ``previous_not_declared_share``, ``previous_headcount`` and
        ``change_pts`` ((current - previous) x 100; negative means fewer staff
        undeclared).
    """
    out = current.copy()
    if previous is None:
        out["previous_not_declared_share"] = np.nan
        out["previous_headcount"] = np.nan
    else:
        prev = previous.set_index(["characteristic", "cluster"])
        key = pd.MultiIndex.from_frame(out[["characteristic", "cluster"]])
        out["previous_not_declared_share"] = prev["not_declared_share"].reindex(key).to_numpy()
        out["previous_headcount"] = prev["headcount"].reindex(key).to_numpy()
    out["change_pts"] = (out["not_declared_share"] - out["previous_not_declared_share"]) * 100
    return out


# --------------------------------------------------------------------------------------
# progression
# --------------------------------------------------------------------------------------
def progression_table(
    staff: pd.DataFrame,
    characteristic: str = "bme",
    clusters: str | Mapping[str, Sequence[str]] = "seed",
) -> pd.DataFrame:
    """Return how each group is spread across the pay band clusters.

    Parameters
    ----------
    staff : pandas.DataFrame
        Canonical staff records.
    characteristic : str
        Usually "bme", "ethnic_group" or "disability".
    clusters : str or mapping
        Pay band clusters.

    Returns
    -------
    pandas.DataFrame
        ``characteristic``, ``category``, ``cluster``, ``count``, ``group_total`` and
        ``share_of_group`` (proportion 0-1 of the group's staff in that cluster; the
        shares of a group sum to 1 across clusters).
    """
    table = headcount_table(staff, characteristic, clusters)
    table = table[(table["cluster"] != TOTAL)].copy()
    totals = table.groupby("category", sort=False)["count"].transform("sum")
    table["group_total"] = totals.astype(int)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["share_of_group"] = np.where(totals > 0, table["count"] / totals.replace(0, 1),
                                           np.nan)
    return table[["characteristic", "category", "cluster", "count", "group_total",
                  "share_of_group"]].reset_index(drop=True)


def senior_likelihood(
    staff: pd.DataFrame,
    characteristic: str = "bme",
    reference: str = "White",
    comparison: str = "BME",
    senior_bands: Sequence[str] = SENIOR_BANDS,
    eligible_bands: Sequence[str] | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Relative likelihood of ``reference`` vs ``comparison`` staff being Band 8a or above.

    Parameters
    ----------
    staff : pandas.DataFrame
        Canonical staff records.
    characteristic : str
        "bme" (White vs BME) or "disability" (reference "No", comparison "Yes").
    reference, comparison : str
        Categories compared (labels of :func:`characteristic_values`). The ratio is
        P(senior | reference) / P(senior | comparison), the WRES convention: above 1
        means the reference group is more likely to be in a senior band.
    senior_bands : sequence of str
        Pay bands counted as senior (default AfC 8a-9 and VSM).
    eligible_bands : sequence of str, optional
        Bands forming the denominator; default AfC bands and VSM (medical and other
        non-AfC staff have no AfC band and are left out).
    confidence : float
        Confidence level of the interval.

    Returns
    -------
    pandas.DataFrame
        One row of :data:`edi_analysis.wres.RESULT_COLUMNS` (counts of both groups,
        likelihoods ``value_a``/``value_b``, ``value``, ``lower``, ``upper``,
        ``non_adverse``), from :func:`edi_analysis.stats.relative_likelihood`.

    Notes
    -----
    Staff whose category is not stated are excluded from numerator and denominator, as
    in the WRES. The 0.80-1.25 "non-adverse" band is NHS England's reading of relative
    likelihoods; the interval says how precisely the ratio is known.
    """
    from edi_analysis import wres

    _require(staff, ["pay_band"], "the employee's pay band")
    eligible = list(eligible_bands) if eligible_bands is not None else \
        [*schemas.AFC_BANDS, "VSM"]
    group = characteristic_values(staff, characteristic).astype("object")
    in_scope = staff["pay_band"].isin(eligible)
    senior = staff["pay_band"].isin(list(senior_bands))
    groups = [reference, comparison]
    events = group[in_scope & senior].value_counts().reindex(groups, fill_value=0)
    heads = group[in_scope].value_counts().reindex(groups, fill_value=0)
    names = {"No": "non-disabled", "Yes": "disabled"}
    ref_name, cmp_name = names.get(reference, reference), names.get(comparison, comparison)
    return wres.relative_likelihood_indicator(
        "Progression", "8a+", f"Relative likelihood of {ref_name} staff being in Band 8a "
        f"or above (AfC and VSM) compared to {cmp_name} staff",
        events, heads, reference, comparison, confidence=confidence)


def publish_progression(
    staff: pd.DataFrame,
    characteristic: str = "bme",
    clusters: str | Mapping[str, Sequence[str]] = "seed",
    policy: str | object = "standard",
    *,
    linked: Sequence[pd.DataFrame | PublishedProfile] | None = None,
) -> pd.DataFrame:
    """Publish :func:`progression_table` under a disclosure-control policy.

    Parameters
    ----------
    staff : pandas.DataFrame
        Canonical staff records.
    characteristic : str
        Usually "bme" or "disability".
    clusters : str or mapping
        Pay band clusters.
    policy : str or SuppressionPolicy
        Disclosure-control policy.
    linked : sequence of DataFrame or PublishedProfile, optional
        Tables on the same staff and clusters already published beside this one (e.g.
        ``profiles["ethnic_group"]`` for "bme", ``profiles["disability"]`` for
        "disability"): long frames with ``characteristic``, ``category``, ``cluster``
        ("Total" marking totals) and ``suppressed``. Without it the table is protected
        on its own, and a hidden headcount cell can be a progression figure minus shown
        ones (BME minus Asian, Black and Other gives Mixed).

    Returns
    -------
    pandas.DataFrame
        ``characteristic``, ``category``, ``cluster`` (with "Total"), ``count``,
        ``share_of_group`` (proportion 0-1 of the group's staff, from published counts)
        and ``suppressed``; hidden cells are NaN.

    Notes
    -----
    The group x cluster table is protected with
    :func:`edi_analysis.suppression.suppress_table` using row shares, with the group
    totals and the cluster totals published. With ``linked``, every figure of this
    table and of the linked tables is written as a sum of the same units (pay band x
    cluster x each characteristic's category) and
    :func:`edi_analysis.suppression.protect_with_constraints` hides more cells of this
    table (never of the linked ones) until no hidden figure of any of them is a linear
    combination of shown figures; a cell the linked tables already publish is shown
    (unless small). Shares are recomputed from the published counts, so a share whose
    count or group total is hidden is hidden too.
    """
    from edi_analysis import suppression

    cats = characteristic_values(staff, characteristic)
    clus = assign_clusters(staff, clusters)
    counts = pd.crosstab(cats, clus, dropna=False).reindex(
        index=cats.cat.categories, columns=clus.cat.categories, fill_value=0)
    counts.index = counts.index.astype(str)
    counts.columns = counts.columns.astype(str)
    table = suppression.suppress_table(counts, policy, share_of="row", total_label=TOTAL)
    out = table.counts.rename_axis(index="category", columns="cluster").stack(
        future_stack=True).rename("count").reset_index()
    out["share_of_group"] = table.shares.stack(future_stack=True).to_numpy()
    out["suppressed"] = table.mask.stack(future_stack=True).to_numpy()
    out["symbol"] = _symbols(out["suppressed"].to_numpy(),
                             table.primary.stack(future_stack=True).to_numpy(), table.policy)
    out.insert(0, "characteristic", characteristic)
    tables = _linked_tables(linked)
    if tables:
        pol = table.policy
        units = _units(staff, [characteristic, *(t["characteristic"].iloc[0] for t in tables)],
                       clusters)
        exact_long = _with_totals(counts).stack(future_stack=True)
        exact = exact_long.reindex(pd.MultiIndex.from_frame(out[["category", "cluster"]]))
        before = out["suppressed"].to_numpy(dtype=bool)
        after = _joint_mask(
            units, _cluster_cells(units, characteristic, out), exact.to_numpy(dtype=float),
            before, ((out["category"] != TOTAL) & (out["cluster"] != TOTAL)).to_numpy(),
            tables, pol)
        for k in np.flatnonzero(after != before):
            i = out.index[k]
            if after[k]:
                out.at[i, "count"] = np.nan
                out.at[i, "symbol"] = pol.complement_symbol
            else:  # the linked tables already publish it
                value = float(exact.iloc[k])
                out.at[i, "count"] = float(pol.round_counts(np.array([value]))[0]) \
                    if pol.rounding_base is not None else value
                out.at[i, "symbol"] = ""
            out.at[i, "suppressed"] = bool(after[k])
        group_total = out["category"].map(
            out.loc[out["cluster"] == TOTAL].set_index("category")["count"])
        out["share_of_group"] = out["count"] / group_total
    return out


def publish_senior_likelihood(
    staff: pd.DataFrame,
    characteristic: str = "bme",
    reference: str = "White",
    comparison: str = "BME",
    clusters: str | Mapping[str, Sequence[str]] = "seed",
    policy: str | object = "standard",
    confidence: float = 0.95,
    *,
    linked: Sequence[pd.DataFrame | PublishedProfile] | None = None,
) -> pd.DataFrame:
    """Publish :func:`senior_likelihood` under a disclosure-control policy.

    Parameters
    ----------
    staff : pandas.DataFrame
        Canonical staff records.
    characteristic, reference, comparison : str
        As in :func:`senior_likelihood`.
    clusters : str or mapping
        Pay band clusters of the linked tables.
    policy : str or SuppressionPolicy
        Disclosure-control policy.
    confidence : float
        Interval level.
    linked : sequence of DataFrame or PublishedProfile, optional
        Cluster tables already published beside this one (the headcount profile and
        the published progression table of the characteristic), as in
        :func:`publish_progression`.

    Returns
    -------
    pandas.DataFrame
        :func:`edi_analysis.wres.publish_indicator` of the one-row result.

    Notes
    -----
    The counts (senior staff and AfC + VSM staff of each group) are sums of the same
    staff as the cluster tables: e.g. the senior count less the "Band 8a-9" cluster
    figure is the group's VSM count, and the eligible count less the senior count is
    the group's Band 1-7 count. With ``linked``, they are protected jointly with those
    tables (:func:`edi_analysis.suppression.protect_with_constraints`): more counts of
    this row are hidden until no hidden figure of any table can be worked out, and if
    any count is hidden the likelihoods, ratio, interval and assessment are hidden.
    """
    from edi_analysis import suppression, wres

    pol = suppression.get_policy(policy)
    raw = senior_likelihood(staff, characteristic, reference, comparison,
                            confidence=confidence)
    out = wres.publish_indicator(raw, pol)
    tables = _linked_tables(linked)
    i = out.index[0]
    if not tables or not bool(raw.at[i, "available"]) or pd.isna(raw.at[i, "denominator_a"]):
        return out
    units = _units(staff, [characteristic, *(t["characteristic"].iloc[0] for t in tables)],
                   clusters)
    eligible = units["_band"].isin([*schemas.AFC_BANDS, "VSM"]).to_numpy()
    senior = units["_band"].isin(list(SENIOR_BANDS)).to_numpy()
    cols = {"numerator_a": (reference, True), "denominator_a": (reference, False),
            "numerator_b": (comparison, True), "denominator_b": (comparison, False)}
    rows = np.vstack([eligible & (units[characteristic] == g).to_numpy() & (senior | ~num)
                      for g, num in cols.values()])
    values = raw.loc[i, list(cols)].to_numpy(dtype=float)
    before = out.loc[i, list(cols)].isna().to_numpy(dtype=bool)
    start = before | _mixed_cluster_part_is_small(units, characteristic, cols, pol)
    after = _joint_mask(units, rows, values, start,
                        np.array([True, False, True, False]), tables, pol)
    if np.array_equal(after, before):
        return out
    for col, hide, value in zip(cols, after, values, strict=True):
        out.at[i, col] = np.nan if hide else (
            float(pol.round_counts(np.array([value]))[0]) if pol.rounding_base is not None
            else value)
    if after.any():
        for col in ("value_a", "value_b", "value", "lower", "upper"):
            out.at[i, col] = np.nan
        out.at[i, "non_adverse"] = pd.NA
        if not bool(out.at[i, "suppressed"]):
            out.at[i, "symbol"] = pol.complement_symbol
        out.at[i, "suppressed"] = True
    else:  # the linked tables already publish every count
        for col in ("value_a", "value_b", "value", "lower", "upper", "non_adverse"):
            out.at[i, col] = raw.at[i, col]
        out.at[i, "suppressed"] = False
        out.at[i, "symbol"] = ""
    return out


def _linked_tables(
    linked: Sequence[pd.DataFrame | PublishedProfile] | None,
) -> list[pd.DataFrame]:
    """The linked tables as long frames, checked."""
    out = []
    for k, item in enumerate(linked or ()):
        frame = item.headcount if isinstance(item, PublishedProfile) else item
        missing = [c for c in ("characteristic", "category", "cluster", "suppressed")
                   if c not in frame.columns]
        if missing:
            raise ValueError(f"Linked table {k} lacks column(s) {missing}; it has "
                             f"{list(frame.columns)}.")
        if len(frame):
            out.append(frame)
    return out


def _mixed_cluster_part_is_small(
    units: pd.DataFrame, characteristic: str, cols: Mapping[str, tuple[str, bool]],
    pol: object,
) -> np.ndarray:
    """Which senior-likelihood counts must be hidden because they give away a small group.

    A count less the clusters made only of its bands is the group's staff of those bands
    in mixed clusters: the senior count less "Band 8a-9" is the group's VSM staff inside
    "Non-AfC"; the eligible (AfC + VSM) count less "Band 1-4", "Band 5-7" and "Band 8a-9"
    is the same VSM staff. No published cell holds that figure, so the joint check
    cannot see it: when it is 1 to ``max_suppressed`` people, the count itself is hidden
    (and then protected jointly as usual).
    """
    limit = getattr(pol, "max_suppressed", 0) or 0
    hide = []
    for group, is_numerator in cols.values():
        bands = list(SENIOR_BANDS) if is_numerator else [*schemas.AFC_BANDS, "VSM"]
        inside = units["_band"].isin(bands)
        pure = {c for c in units["_cluster"].unique() if inside[units["_cluster"] == c].all()}
        mixed = inside & ~units["_cluster"].isin(pure)
        n = int(units.loc[mixed & (units[characteristic] == group), "n"].sum())
        hide.append(bool(1 <= n <= limit))
    return np.array(hide, dtype=bool)


def _units(
    staff: pd.DataFrame, keys: Iterable[str], clusters: str | Mapping[str, Sequence[str]],
) -> pd.DataFrame:
    """Staff counted by pay band x cluster x category of each characteristic (``n``)."""
    frame = {"_band": staff["pay_band"].astype(object).astype(str),
             "_cluster": assign_clusters(staff, clusters).astype(object).astype(str)}
    for key in dict.fromkeys(keys):
        frame[key] = characteristic_values(staff, key).astype(object).astype(str)
    return pd.DataFrame(frame, index=staff.index).value_counts(dropna=False).rename(
        "n").reset_index()


def _cluster_cells(units: pd.DataFrame, key: str, table: pd.DataFrame) -> np.ndarray:
    """0/1 row over ``units`` of each (category, cluster) figure of a long table."""
    rows = []
    for cat, clu in zip(table["category"].astype(str), table["cluster"].astype(str),
                        strict=True):
        cell = np.ones(len(units), dtype=bool)
        if cat != TOTAL:
            cell &= (units[key] == cat).to_numpy()
        if clu != TOTAL:
            cell &= (units["_cluster"] == clu).to_numpy()
        rows.append(cell)
    return np.vstack(rows) if rows else np.zeros((0, len(units)), dtype=bool)


def _joint_mask(
    units: pd.DataFrame, rows: np.ndarray, values: np.ndarray, hidden: np.ndarray,
    prefer: np.ndarray, linked: Sequence[pd.DataFrame], pol: object,
) -> np.ndarray:
    """Hidden figures of one table protected jointly with the linked (fixed) tables."""
    from edi_analysis import suppression

    n = units["n"].to_numpy(dtype=float)
    own = np.asarray(rows, dtype=float)
    if not np.allclose(own @ n, values):
        raise ValueError("The staff records do not give the table's counts: pass the "
                         "same staff records the table was built from.")
    fixed = [_cluster_cells(units, str(t["characteristic"].iloc[0]), t) for t in linked]
    for t, cells in zip(linked, fixed, strict=True):
        shown = ~t["suppressed"].to_numpy(dtype=bool)
        expected = cells.astype(float) @ n
        if pol.rounding_base is not None:
            expected = np.asarray(pol.round_counts(expected), dtype=float)
        if not np.allclose(t["count"].to_numpy(dtype=float)[shown], expected[shown]):
            raise ValueError(f"The staff records do not give the counts of the linked "
                             f"{t['characteristic'].iloc[0]!r} table: pass the same staff "
                             f"and clusters it was published from.")
    design = np.vstack([own, *fixed]).astype(float)
    k = own.shape[0]
    free = np.arange(design.shape[0]) < k
    before = np.concatenate([np.asarray(hidden, dtype=bool),
                             *(t["suppressed"].to_numpy(dtype=bool) for t in linked)])
    pref = np.concatenate([np.asarray(prefer, dtype=bool),
                           np.zeros(design.shape[0] - k, dtype=bool)])
    after = suppression.protect_with_constraints(design, design @ n, before, free, pol,
                                                 prefer=pref)
    return after[:k]


def age_sex_table(staff: pd.DataFrame, policy: str | object = "standard") -> pd.DataFrame:
    """Publish headcount by age band and sex (the data of the age pyramid).

    Parameters
    ----------
    staff : pandas.DataFrame
        Canonical staff records (``age_band`` or ``age``, ``sex``).
    policy : str or SuppressionPolicy
        Disclosure-control policy.

    Returns
    -------
    pandas.DataFrame
        ``age_band`` (with "Total"), ``sex`` (with "Total"), ``count`` (published; NaN
        where hidden), ``share`` (proportion 0-1 of all staff, from published counts)
        and ``suppressed``.
    """
    from edi_analysis import suppression

    age = characteristic_values(staff, "age_band")
    sex = characteristic_values(staff, "sex")
    counts = pd.crosstab(age, sex, dropna=False).reindex(
        index=age.cat.categories, columns=sex.cat.categories, fill_value=0)
    counts.index = counts.index.astype(str)
    counts.columns = counts.columns.astype(str)
    table = suppression.suppress_table(counts, policy, share_of="column", total_label=TOTAL)
    out = table.counts.rename_axis(index="age_band", columns="sex").stack(
        future_stack=True).rename("count").reset_index()
    grand = float(table.counts.at[TOTAL, TOTAL])
    out["share"] = out["count"] / grand if grand > 0 else np.nan
    out["suppressed"] = table.mask.stack(future_stack=True).to_numpy()
    out["symbol"] = _symbols(out["suppressed"].to_numpy(),
                             table.primary.stack(future_stack=True).to_numpy(), table.policy)
    return out


# --------------------------------------------------------------------------------------
# publication (disclosure control)
# --------------------------------------------------------------------------------------
@dataclass
class PublishedProfile:
    """The published (disclosure-controlled) tables of one characteristic.

    Attributes
    ----------
    characteristic : str
        Key of :data:`CHARACTERISTICS`.
    policy : edi_analysis.suppression.SuppressionPolicy
        The policy applied.
    headcount : pandas.DataFrame
        Long table ``category`` x ``cluster`` (with ``"Total"`` rows and column):
        ``count`` (published: rounded when the policy rounds, NaN where hidden),
        ``cluster_total`` (published), ``share`` (count / cluster total, proportion 0-1,
        NaN where either is hidden) and ``suppressed``.
    representation : pandas.DataFrame or None
        :func:`representation_table` recomputed from the published counts (NaN where
        hidden) with a ``suppressed`` column; None without a comparator.
    declaration : pandas.DataFrame or None
        Per cluster (and ``"Total"``): ``not_declared_n``, ``headcount``,
        ``not_declared_share`` (0-1), ``suppressed``; None when the characteristic has
        no not-stated category.
    """

    characteristic: str
    policy: object
    headcount: pd.DataFrame
    representation: pd.DataFrame | None = None
    declaration: pd.DataFrame | None = None

    @property
    def symbol(self) -> str:
        """What a hidden cell shows under the policy."""
        return self.policy.symbol

    @property
    def key_text(self) -> str:
        """The suppression key to print under the tables."""
        return self.policy.key_text


def census_category_of_labels(key: str, labels: Sequence[str]) -> dict[str, str]:
    """Map the labels of :func:`characteristic_values` to Census comparator wording.

    Parameters
    ----------
    key : str
        A key of :data:`CHARACTERISTICS` with a Census comparator.
    labels : sequence of str
        Workforce category labels.

    Returns
    -------
    dict of str to str
        Label -> Census category ("Not stated" for non-responses without one).
    """
    spec = _characteristic(key)
    if spec.column == "ethnic_category":
        lookup = census.ETHNIC_CATEGORIES
        source = "group_5" if key == "ethnic_group" else "label"
        target = "group_5" if key == "ethnic_group" else "census_19"
        mapping = {str(a): str(b) for a, b in zip(lookup[source], lookup[target], strict=True)}
    else:
        mapping = census.esr_to_census_category(spec.census)
    return {lab: mapping.get(lab, NOT_STATED if lab in spec.not_stated else lab)
            for lab in labels}


def _symbols(hidden: np.ndarray, primary: np.ndarray, pol: object) -> np.ndarray:
    """Display symbol per cell: the policy's symbol (primary), complement or ""."""
    return np.where(primary & hidden, pol.symbol,
                    np.where(hidden, pol.complement_symbol, ""))


def _with_totals(counts: pd.DataFrame) -> pd.DataFrame:
    """Exact counts with a "Total" column and row."""
    out = counts.astype(float).copy()
    out[TOTAL] = out.sum(axis=1)
    out.loc[TOTAL] = out.sum(axis=0)
    return out


def _safe_sum(
    members: Sequence[str], exact: pd.Series, hidden: pd.Series, line_hidden: set[str],
    pol: object, total_shown: bool = True,
) -> float:
    """Published value of a sum of cells of one line, or NaN if it would disclose.

    A sum is safe when none of its cells is hidden, or when its hidden cells are all the
    hidden cells of the line and the line's total is shown (their sum is then already
    the total minus the shown cells). With the total hidden, that sum is not
    published anywhere, so it is hidden.
    """
    hid = {m for m in members if bool(hidden.get(m, False))}
    if hid and (hid != line_hidden or not total_shown):
        return np.nan
    total = float(exact.reindex(list(members)).fillna(0).sum())
    return float(pol.round_counts(total)) if pol.rounding_base is not None else total


def publish_profile(
    staff: pd.DataFrame,
    characteristic: str,
    clusters: str | Mapping[str, Sequence[str]] = "seed",
    census_comparator: pd.DataFrame | None = None,
    policy: str | object = "standard",
    confidence: float = 0.95,
    *,
    hidden_clusters: Sequence[str] = (),
) -> PublishedProfile:
    """Protect the headcount table and publish it with the tables derived from it.

    Parameters
    ----------
    staff : pandas.DataFrame
        Canonical staff records.
    characteristic : str
        A key of :data:`CHARACTERISTICS`.
    clusters : str or mapping
        Pay band clusters (:func:`band_clusters`).
    census_comparator : pandas.DataFrame, optional
        :func:`edi_analysis.census.comparator` output for the characteristic; when
        given, the representation table is published too.
    policy : str or SuppressionPolicy
        Disclosure-control policy (:data:`edi_analysis.suppression.POLICIES`).
    confidence : float
        Level of the Wilson interval of the representation table.
    hidden_clusters : sequence of str
        Cluster totals to hide whatever their count: the cluster totals are the same
        figures in every characteristic's table, so :func:`build_section` makes all
        profiles hide the same ones (one table showing a total another hides would
        undo its protection).

    Returns
    -------
    PublishedProfile

    Notes
    -----
    The category x cluster table, with its category totals ("Total" column), cluster
    totals and grand total, is protected by :func:`edi_analysis.suppression.suppress_table`
    (primary and secondary suppression, shares of the cluster column). The
    representation and declaration tables are sums of cells of that table (a Census
    category can hold several ESR categories, e.g. Jainism and Other -> "Other
    religion"; "not declared" is "Not declared" + "Prefer not to answer"). Each such sum
    is published only if it reveals nothing beyond the published table: when none of
    its cells is hidden, or when its hidden cells are exactly all the hidden cells of
    its line (their sum can already be read as the total minus the shown cells).
    Otherwise it is hidden, and so are the shares that use it. The stated total (the
    denominator of the representation shares) obeys the same rule. Shares are computed
    from published (rounded, under ``nhs_digital``) counts.
    """
    from edi_analysis import suppression  # local import: keeps module import light

    spec = _characteristic(characteristic)
    pol = suppression.get_policy(policy)
    cats = characteristic_values(staff, spec.key)
    clus = assign_clusters(staff, clusters)
    counts = pd.crosstab(cats, clus, dropna=False).reindex(
        index=cats.cat.categories, columns=clus.cat.categories, fill_value=0)
    counts.index = counts.index.astype(str)
    counts.columns = counts.columns.astype(str)
    # Non-response rows go first for the protection only: when two cells tie as the
    # complementary cell, the engine takes the first, so a "not stated" count is hidden
    # rather than a stated group's (same protection, more useful table).
    nr_first = [c for c in counts.index if c in spec.not_stated] + \
        [c for c in counts.index if c not in spec.not_stated]
    # the cluster totals are published by every characteristic's table: hide the ones
    # the section hides, and choose other complementary cells before any other total
    totals = pd.DataFrame(False, index=[TOTAL], columns=counts.columns)
    force = totals.copy()
    force.loc[TOTAL, [c for c in hidden_clusters if c in force.columns]] = True
    table = suppression.suppress_table(counts.loc[nr_first], pol, share_of="column",
                                       total_label=TOTAL, force=force,
                                       avoid=~totals)
    display = [*counts.index, TOTAL]
    table = dataclasses.replace(table, **{
        name: getattr(table, name).loc[display]
        for name in ("counts", "mask", "shares", "share_mask", "primary")})
    long_counts = table.counts.rename_axis(index="category", columns="cluster").stack(
        future_stack=True)
    head = long_counts.rename("count").reset_index()
    head["share"] = table.shares.stack(future_stack=True).to_numpy()
    head["suppressed"] = table.mask.stack(future_stack=True).to_numpy()
    head["symbol"] = _symbols(table.mask.stack(future_stack=True).to_numpy(),
                              table.primary.stack(future_stack=True).to_numpy(), pol)
    totals_row = table.counts.loc[TOTAL]
    head["cluster_total"] = head["cluster"].map(totals_row)
    head.insert(0, "characteristic", spec.key)
    head = head[["characteristic", "category", "cluster", "count", "cluster_total", "share",
                 "suppressed", "symbol"]]

    exact = _with_totals(counts)
    mask = table.mask
    declaration = None
    if spec.not_stated:
        ns = [c for c in counts.index if c in spec.not_stated]
        rows = []
        for clu in [*counts.columns, TOTAL]:
            col_hidden = {c for c in counts.index if bool(mask.at[c, clu])}
            nd = _safe_sum(ns, exact[clu], mask[clu], col_hidden, pol,
                           total_shown=not bool(mask.at[TOTAL, clu]))
            heads = float(table.counts.at[TOTAL, clu])
            rows.append({"characteristic": spec.key, "cluster": clu,
                         "not_declared_n": nd, "headcount": heads,
                         "not_declared_share": nd / heads if heads > 0 else np.nan})
        declaration = pd.DataFrame(rows)
        declaration["suppressed"] = declaration["not_declared_share"].isna() & \
            (declaration["headcount"].isna() | (declaration["headcount"] > 0))
        declaration["symbol"] = np.where(declaration["suppressed"], pol.complement_symbol, "")

    representation = None
    if census_comparator is not None and spec.census is not None:
        to_census = census_category_of_labels(spec.key, list(counts.index))
        total_col = exact[TOTAL].drop(TOTAL)
        hidden_col = mask[TOTAL].drop(TOTAL)
        line_hidden = {c for c, h in hidden_col.items() if h}
        grand_shown = not bool(mask.at[TOTAL, TOTAL])
        groups: dict[str, list[str]] = {}
        for lab in counts.index:
            groups.setdefault(to_census[lab], []).append(lab)
        published = pd.Series(
            {cat: _safe_sum(members, total_col, hidden_col, line_hidden, pol, grand_shown)
             for cat, members in groups.items()}, dtype=float)
        stated_members = [lab for cat, m in groups.items() if cat not in NON_RESPONSE_CATEGORIES
                          for lab in m]
        base = _safe_sum(stated_members, total_col, hidden_col, line_hidden, pol, grand_shown)
        n_all = float(table.counts.at[TOTAL, TOTAL])
        share_base = "staff who stated"
        if np.isnan(base):
            base, share_base = n_all, "all staff"
        representation = _representation_frame(
            published, census_comparator, spec.key, confidence, base=base, n_all=n_all,
            share_base=share_base)
        representation["suppressed"] = representation["workforce_n"].isna() | (
            representation["compared"] & representation["workforce_share"].isna())
        representation["symbol"] = np.where(representation["suppressed"],
                                            pol.complement_symbol, "")
    return PublishedProfile(spec.key, pol, head.reset_index(drop=True), representation,
                            declaration)


def published_tables(profiles: Iterable[PublishedProfile]) -> dict[str, pd.DataFrame]:
    """Return the CSV-ready published tables of several characteristics.

    Parameters
    ----------
    profiles : iterable of PublishedProfile
        From :func:`publish_profile`.

    Returns
    -------
    dict of str to DataFrame
        ``workforce_headcount``, ``workforce_representation`` and
        ``workforce_declaration`` (profiles stacked), ready for
        :func:`edi_analysis.outputs.write_tables`. Hidden cells are empty.
    """
    profiles = list(profiles)
    out = {"workforce_headcount": pd.concat([p.headcount for p in profiles],
                                            ignore_index=True)}
    reps = [p.representation for p in profiles if p.representation is not None]
    if reps:
        out["workforce_representation"] = pd.concat(reps, ignore_index=True)
    decs = [p.declaration for p in profiles if p.declaration is not None]
    if decs:
        out["workforce_declaration"] = pd.concat(decs, ignore_index=True)
    return out


# --------------------------------------------------------------------------------------
# detailed ethnicity (the 19 Census 2021 categories)
# --------------------------------------------------------------------------------------
#: Census 2021 19-group categories that NHS ethnic category codes do not record apart, and
#: the category (of an NHS code) that holds them: code C "any other White background"
#: holds Gypsy or Irish Traveller and Roma, code S "any other ethnic group" holds Arab.
CENSUS_ONLY_ETHNIC_CATEGORIES: dict[str, str] = {
    "White: Gypsy or Irish Traveller": "White: Other White",
    "White: Roma": "White: Other White",
    "Other ethnic group: Arab": "Other ethnic group: Any other ethnic group",
}

#: Wording of the two rows compared with combined Census categories.
HARMONISED_ETHNIC_LABELS = {
    "White: Other White": "White: Other White (incl. Gypsy or Irish Traveller, Roma)",
    "Other ethnic group: Any other ethnic group":
        "Other ethnic group: Any other ethnic group (incl. Arab)",
}

#: What the staff cells of the Census-only rows show (no ESR figure exists).
NOT_RECORDED = "–"

#: Source note of the detailed ethnicity table (what the harmonised rows mean).
DETAILED_ETHNICITY_NOTE = (
    "NHS ethnic categories do not record Gypsy or Irish Traveller, Roma or Arab apart: "
    "staff of those groups are recorded as any other White background or any other "
    "ethnic group, so those two rows are compared with the Census groups combined. The "
    "three Census groups are listed apart, with their population share, and no staff "
    "figure (–)."
)


def publish_detailed_ethnicity(
    staff: pd.DataFrame,
    census_comparator: pd.DataFrame,
    policy: str | object = "standard",
    confidence: float = 0.95,
    broad: PublishedProfile | None = None,
) -> pd.DataFrame:
    """Staff by the 19 Census 2021 ethnic groups against the Census, disclosure-controlled.

    Parameters
    ----------
    staff : pandas.DataFrame
        Canonical staff records (``ethnic_category``, NHS codes).
    census_comparator : pandas.DataFrame
        :func:`edi_analysis.census.comparator` output for ``"ethnicity_19"``.
    policy : str or SuppressionPolicy
        Disclosure-control policy.
    confidence : float
        Level of the Wilson interval of the staff shares.
    broad : PublishedProfile, optional
        The published 5-group profile (``"ethnic_group"``) shown beside this table; its
        choice of share base is reused so that the two tables publish the same
        denominator. Default: decided here by the same rule.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`representation_table` (``characteristic``
        "ethnic_category") plus ``suppressed`` and ``symbol``: one row per category an
        NHS code records (Census 2021 wording), then the Census-only categories
        (``compared`` False, no staff figure, ``symbol`` :data:`NOT_RECORDED`), then
        "Not stated".

    Notes
    -----
    NHS ethnic category codes map to the 19 Census 2021 categories through
    :data:`edi_analysis.census.ETHNIC_CATEGORIES` (``census_19``). Three Census
    categories have no NHS code (:data:`CENSUS_ONLY_ETHNIC_CATEGORIES`): staff of those
    groups are recorded as "any other White background" (C) or "any other ethnic group"
    (S). Those two rows are therefore compared with the Census categories combined
    (e.g. Other White + Gypsy or Irish Traveller + Roma) and relabelled to say so; the
    three Census categories are listed apart, with their population share, for
    information. Comparing them with zero staff would be wrong.

    Disclosure control: the detailed counts are published beside the 5-group table,
    whose group totals are published, so each group's detailed categories are protected
    as a column whose total is published (:func:`edi_analysis.suppression.suppression_mask`,
    primary and secondary suppression): a reader cannot recover a hidden detailed count
    by subtracting the shown ones from the 5-group total. Only category totals are
    published (no pay band split). Shares and intervals use the same denominator as the
    5-group table (staff who stated an ethnic group, or all staff when that number
    would reveal a hidden not-stated count).
    """
    from edi_analysis import suppression

    for col in ("category", "count"):
        if col not in census_comparator.columns:
            raise ValueError(f"census_comparator has no {col!r} column.")
    pol = suppression.get_policy(policy)
    cats = workforce_census_categories(staff, "ethnic_category")
    exact = cats.value_counts().astype(float)
    lookup = census.ETHNIC_CATEGORIES.dropna(subset=["census_19"])
    broad_of = {str(c): str(g) for c, g in zip(lookup["census_19"], lookup["group_5"],
                                                strict=True)}
    recorded = [c for c in dict.fromkeys(lookup["census_19"].astype(str))
                if c not in NON_RESPONSE_CATEGORIES]
    exact = exact.reindex([*recorded, NOT_STATED], fill_value=0.0)
    published = pd.Series(np.nan, index=exact.index, dtype=float)
    symbols = pd.Series("", index=exact.index, dtype=object)
    for group in dict.fromkeys(broad_of[c] for c in recorded):
        members = [c for c in recorded if broad_of[c] == group]
        body = exact[members]
        mask = suppression.suppression_mask(body, pol, row_totals=False, col_totals=True)
        primary = mask & pd.Series(pol.is_small_count(body.to_numpy()), index=body.index)
        shown = body.where(~mask)
        published[members] = pol.round_counts(shown) if pol.rounding_base else shown
        symbols[members] = np.where(primary, pol.symbol, np.where(mask, pol.complement_symbol,
                                                                  ""))
    n_all = float(exact.sum())
    ns = float(exact[NOT_STATED])
    ns_hidden = bool(pol.is_small_count(np.array([ns]))[0])
    if broad is not None and broad.representation is not None:
        stated_rows = broad.representation[broad.representation["compared"]]
        use_all = bool((stated_rows["share_base"] == "all staff").any())
        ns_hidden = ns_hidden or use_all
    published[NOT_STATED] = np.nan if ns_hidden else (
        float(pol.round_counts(np.array([ns]))[0]) if pol.rounding_base else ns)
    symbols[NOT_STATED] = (pol.symbol if bool(pol.is_small_count(np.array([ns]))[0])
                           else pol.complement_symbol) if ns_hidden else ""
    def shown(value: float) -> float:
        return float(pol.round_counts(np.array([value]))[0]) if pol.rounding_base else value

    n_pub = shown(n_all)
    base, share_base = (n_pub, "all staff") if ns_hidden else (shown(n_all - ns),
                                                                "staff who stated")

    comp = census_comparator.copy()
    comp["category"] = comp["category"].astype(str)
    census_only = comp[comp["category"].isin(CENSUS_ONLY_ETHNIC_CATEGORIES)]
    merged = comp["category"].map(lambda c: CENSUS_ONLY_ETHNIC_CATEGORIES.get(c, c))
    harmonised = comp.assign(category=merged).groupby("category", sort=False,
                                                      as_index=False)["count"].sum()
    harmonised["category"] = harmonised["category"].map(
        lambda c: HARMONISED_ETHNIC_LABELS.get(c, c))
    wf = published.rename(index=lambda c: HARMONISED_ETHNIC_LABELS.get(c, c))
    out = _representation_frame(wf, harmonised, "ethnic_category", confidence, base=base,
                                n_all=n_pub, share_base=share_base)
    out["symbol"] = out["category"].map(
        {HARMONISED_ETHNIC_LABELS.get(c, c): v for c, v in symbols.items()}).fillna("")
    pop_all = float(comp["count"].sum())
    extra = pd.DataFrame({
        "characteristic": "ethnic_category", "category": census_only["category"].to_numpy(),
        "workforce_n": np.nan, "workforce_base": n_pub, "workforce_share": np.nan,
        "lower": np.nan, "upper": np.nan,
        "population_n": census_only["count"].to_numpy(dtype=float),
        "population_share": census_only["count"].to_numpy(dtype=float) / pop_all
        if pop_all > 0 else np.nan,
        "difference_pts": np.nan, "representation_ratio": np.nan, "flag": "",
        "compared": False, "share_base": "all staff", "symbol": NOT_RECORDED,
    })
    stated = out[out["compared"]]
    rest = out[~out["compared"]]
    out = pd.concat([stated, extra, rest], ignore_index=True)
    out["suppressed"] = (out["workforce_n"].isna() & (out["symbol"] != NOT_RECORDED)) | (
        out["compared"] & out["workforce_share"].isna())
    out.loc[out["suppressed"] & (out["symbol"] == ""), "symbol"] = pol.complement_symbol
    return out


# --------------------------------------------------------------------------------------
# the whole section
# --------------------------------------------------------------------------------------
#: Characteristics of the workforce section, in report order.
SECTION_CHARACTERISTICS: tuple[str, ...] = (
    "age_band", "disability", "ethnic_group", "religion_belief", "sex",
    "sexual_orientation", "marital_status", "contract_status",
)

_POPULATION_LABELS = {
    "Usual residents aged 16 to 64": "the local population aged 16-64",
    "Usual residents aged 16 and over": "the local population aged 16 and over",
    "All usual residents": "the local population (all ages)",
}


@dataclass
class WorkforceSection:
    """Everything the workforce chapter publishes, already disclosure-controlled.

    Attributes
    ----------
    org_name : str
        Organisation (area) name.
    policy : SuppressionPolicy
        Disclosure-control policy applied.
    clusters : dict
        Pay band cluster mapping used.
    population : str
        Census comparator population ("working_age", "16_plus", "all").
    is_demo : bool
        True when the staff records are synthetic demo data.
    profiles : dict of str to PublishedProfile
        One per characteristic of :data:`SECTION_CHARACTERISTICS`.
    comparators : dict of str to DataFrame
        Census 2021 comparators by characteristic (where one exists).
    declaration : pandas.DataFrame
        Published declaration rates of every characteristic with a not-stated category,
        with the previous snapshot and the change (:func:`declaration_change`).
    progression : dict of str to DataFrame
        :func:`publish_progression` for "bme" and "disability", each protected jointly
        with the headcount table of ``profiles`` it aggregates ("ethnic_group",
        "disability").
    senior : pandas.DataFrame
        Published relative likelihoods of being Band 8a+ (White vs BME, non-disabled vs
        disabled), :func:`publish_senior_likelihood` protected jointly with the same
        headcount table and the progression table.
    age_sex : pandas.DataFrame
        :func:`age_sex_table`.
    headcount : int
        Number of staff records.
    detailed_ethnicity : pandas.DataFrame or None
        :func:`publish_detailed_ethnicity` (19 Census 2021 categories; its comparator is
        ``comparators["ethnic_category"]``), or None when ``ethnic_group`` is not among
        the section's characteristics.
    """

    org_name: str
    policy: object
    clusters: dict[str, list[str]]
    population: str
    is_demo: bool
    profiles: dict[str, PublishedProfile]
    comparators: dict[str, pd.DataFrame]
    declaration: pd.DataFrame
    progression: dict[str, pd.DataFrame]
    senior: pd.DataFrame
    age_sex: pd.DataFrame
    headcount: int
    detailed_ethnicity: pd.DataFrame | None = None

    def population_label(self, key: str) -> str:
        """Plain-words description of the comparator population of a characteristic."""
        comp = self.comparators.get(key)
        if comp is None or "base" not in comp.columns:
            return "the local population"
        base = str(comp["base"].iloc[0])
        return next((v for k, v in _POPULATION_LABELS.items() if base.startswith(k)),
                    "the local population")

    def tables(self) -> dict[str, pd.DataFrame]:
        """The published tables as CSV-ready frames (for :func:`outputs.write_tables`)."""
        out = published_tables(self.profiles.values())
        out["workforce_declaration"] = self.declaration
        out["workforce_progression"] = pd.concat(self.progression.values(),
                                                 ignore_index=True)
        out["workforce_senior_likelihood"] = self.senior
        out["workforce_age_sex"] = self.age_sex
        if self.detailed_ethnicity is not None:
            out["workforce_ethnicity_detailed"] = self.detailed_ethnicity
        return out


def build_section(
    staff: pd.DataFrame,
    org: str,
    clusters: str | Mapping[str, Sequence[str]] = "seed",
    population: str = "working_age",
    policy: str | object = "standard",
    previous: pd.DataFrame | None = None,
    is_demo: bool = True,
    characteristics: Sequence[str] = SECTION_CHARACTERISTICS,
    confidence: float = 0.95,
) -> WorkforceSection:
    """Compute and publish every table of the workforce profile.

    Parameters
    ----------
    staff : pandas.DataFrame
        Canonical staff records.
    org : str
        ICB code or name, or a list of LAD codes (anything
        :func:`edi_analysis.census.comparator` accepts) for the Census comparators.
    clusters : str or mapping
        Pay band clusters (:func:`band_clusters`).
    population : {"working_age", "16_plus", "all"}
        Census comparator population.
    policy : str or SuppressionPolicy
        Disclosure-control policy.
    previous : pandas.DataFrame, optional
        Staff records of the previous snapshot (for declaration-rate changes).
    is_demo : bool
        Whether ``staff`` is synthetic demo data (for source notes).
    characteristics : sequence of str
        Characteristics to publish.
    confidence : float
        Interval level.

    Returns
    -------
    WorkforceSection
    """
    from edi_analysis import suppression
    from edi_analysis.geography import resolve_area

    pol = suppression.get_policy(policy)
    area = resolve_area(org)
    comparators = {
        key: census.comparator(area, CHARACTERISTICS[key].census, population)
        for key in characteristics if CHARACTERISTICS[key].census is not None
    }
    profiles = _consistent_profiles(staff, characteristics, clusters, comparators, pol,
                                    confidence)
    decl_keys = [k for k in characteristics if CHARACTERISTICS[k].not_stated]
    current = pd.concat([profiles[k].declaration for k in decl_keys], ignore_index=True)
    prev = None
    if previous is not None and len(previous):
        prev = pd.concat([publish_profile(previous, k, clusters, None, pol).declaration
                          for k in decl_keys], ignore_index=True)
    declaration = declaration_change(current, prev)
    detailed = None
    if "ethnic_group" in characteristics:
        comparators["ethnic_category"] = census.comparator(
            area, CHARACTERISTICS["ethnic_category"].census, population)
        detailed = publish_detailed_ethnicity(staff, comparators["ethnic_category"], pol,
                                              confidence, broad=profiles["ethnic_group"])
    # the progression and likelihood tables are protected jointly with the headcount
    # tables above (BME is the sum of the non-White groups; disability is the same split)
    heads = {"bme": "ethnic_group", "disability": "disability"}
    progression = {}
    senior_rows = []
    for key, ref, cmp in (("bme", "White", "BME"), ("disability", "No", "Yes")):
        linked = [profiles[heads[key]]] if heads[key] in profiles else []
        progression[key] = publish_progression(staff, key, clusters, pol, linked=linked)
        senior_rows.append(publish_senior_likelihood(
            staff, key, ref, cmp, clusters, pol, confidence,
            linked=[*linked, progression[key]]))
    senior = pd.concat(senior_rows, ignore_index=True)
    return WorkforceSection(
        org_name=area.name,
        policy=pol,
        clusters=band_clusters(clusters),
        population=population,
        is_demo=is_demo,
        profiles=profiles,
        comparators=comparators,
        declaration=declaration,
        progression=progression,
        senior=senior,
        age_sex=age_sex_table(staff, pol),
        headcount=len(staff),
        detailed_ethnicity=detailed,
    )


def _hidden_cluster_totals(profile: PublishedProfile) -> set[str]:
    head = profile.headcount
    rows = head[(head["category"] == TOTAL) & (head["cluster"] != TOTAL)]
    return set(rows.loc[rows["suppressed"].astype(bool), "cluster"].astype(str))


def _consistent_profiles(
    staff: pd.DataFrame, characteristics: Sequence[str],
    clusters: str | Mapping[str, Sequence[str]], comparators: Mapping[str, pd.DataFrame],
    pol: object, confidence: float,
) -> dict[str, PublishedProfile]:
    """Publish every profile hiding the same cluster totals (the union, to a fixed point).

    Each characteristic's table publishes the cluster totals. Protected one by one, the
    tables can hide different totals (a small Band 1 total protected by hiding Band 2
    in one table, Band 3 in another), and a reader then takes each hidden total from a
    table that shows it. Hiding the union everywhere, and repeating while a table adds
    to it, gives one set of hidden totals.
    """
    hidden: set[str] = set()
    while True:
        profiles = {key: publish_profile(staff, key, clusters, comparators.get(key), pol,
                                         confidence, hidden_clusters=sorted(hidden))
                    for key in characteristics}
        union = set().union(*(_hidden_cluster_totals(p) for p in profiles.values()))
        if union <= hidden:
            return profiles
        hidden |= union


def characteristic_sentences(section: WorkforceSection, key: str) -> list[str]:
    """Narrative sentences for one characteristic, from the published tables only.

    Parameters
    ----------
    section : WorkforceSection
        From :func:`build_section`.
    key : str
        Characteristic.

    Returns
    -------
    list of str
        Representation sentences (:func:`representation_sentences`) and, where the
        characteristic has a not-stated category and a previous snapshot was given, the
        change in the share not declared.
    """
    profile = section.profiles[key]
    out: list[str] = []
    if profile.representation is not None:
        rep = profile.representation
        out += representation_sentences(rep, section.population_label(key),
                                         suppressed=rep["suppressed"])
    else:
        head = profile.headcount
        tot = head[(head["cluster"] == TOTAL) & (head["category"] != TOTAL)
                   & ~head["suppressed"] & (head["count"] > 0)]
        for _, row in tot.sort_values("count", ascending=False).head(3).iterrows():
            out.append(f"{_pct(row['share'])} of staff are {str(row['category']).lower()}.")
    decl = section.declaration
    row = decl[(decl["characteristic"] == key) & (decl["cluster"] == TOTAL)]
    if len(row) and not pd.isna(row["change_pts"].iloc[0]) and not row["suppressed"].iloc[0]:
        r = row.iloc[0]
        direction = "down" if r["change_pts"] < 0 else "up" if r["change_pts"] > 0 else \
            "unchanged"
        noun = _NOUNS.get(key, CHARACTERISTICS[key].label.lower())
        out.append(
            f"The share of staff who have not declared their {noun} is "
            f"{_pct(r['not_declared_share'])}, {direction} from "
            f"{_pct(r['previous_not_declared_share'])} at the previous snapshot."
        )
    return out


def overview_sentences(section: WorkforceSection) -> list[str]:
    """Opening sentences of the chapter (headcount, clusters, comparator)."""
    head = section.profiles[next(iter(section.profiles))].headcount
    totals = head[(head["category"] == TOTAL) & (head["cluster"] != TOTAL)]
    parts = [f"{c} {int(n):,}" if not pd.isna(n) else f"{c} {section.policy.symbol}"
             for c, n in zip(totals["cluster"], totals["count"], strict=True)]
    return [
        f"The workforce profile covers {section.headcount:,} staff of "
        f"{section.org_name}; by pay band cluster: {'; '.join(parts)}.",
        "Each group's share of staff is compared with the Census 2021 population of the "
        "organisation's area; a group is called under- or over-represented only when the "
        "population share lies outside the 95% interval of the staff share.",
    ]


# --------------------------------------------------------------------------------------
# narrative
# --------------------------------------------------------------------------------------
_PHRASES: dict[str, str] = {
    "ethnic_group": "identify as {category}",
    "ethnic_category": "identify as {category}",
    "religion_belief": "record their religion or belief as {category}",
    "sexual_orientation": "record their sexual orientation as {category}",
    "marital_status": "record their marital status as {category}",
    "disability": "are recorded as {lower}",
    "sex": "are {lower}",
    "age_band": "are aged {category}",
}


_NOUNS: dict[str, str] = {
    "marital_status": "marital or civil partnership status",
    "disability": "disability status",
    "age_band": "age",
}


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def representation_sentences(
    table: pd.DataFrame,
    population_label: str = "the local population aged 16-64",
    suppressed: pd.Series | None = None,
    max_groups: int = 3,
) -> list[str]:
    """Return neutral sentences comparing workforce and population shares.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`representation_table`.
    population_label : str
        How the comparator population is described.
    suppressed : pandas.Series of bool, optional
        True for rows whose workforce count is hidden under the publication policy
        (same index as ``table``, e.g. the ``suppressed`` column of
        :func:`publish_representation`); those rows are never quoted.
    max_groups : int
        At most this many compared groups (largest workforce counts first).

    Returns
    -------
    list of str
        E.g. "Of staff who stated their ethnic group, 63.0% identify as White, compared
        with 74.4% of the local population aged 16-64 (under-represented: the population
        share is above the 95% interval 57.0% to 68.8%)." and a sentence on the share
        not stated.

    Notes
    -----
    Every number comes from ``table``; the wording only states the direction given by
    the interval-based flag.
    """
    if table.empty:
        return []
    key = str(table["characteristic"].iloc[0])
    spec = _characteristic(key)
    hidden = (suppressed if suppressed is not None
              else pd.Series(False, index=table.index)).reindex(table.index, fill_value=True)
    noun = _NOUNS.get(key, spec.label.lower())
    compared = table[table["compared"] & ~hidden & (table["workforce_n"] > 0)]
    compared = compared.sort_values("workforce_n", ascending=False, kind="stable")
    if key == "disability":
        compared = compared[compared["category"] == "Disabled"]
    template = _PHRASES.get(key, "are in the group {category}")
    sentences = []
    for _, row in compared.head(max_groups).iterrows():
        what = template.format(category=row["category"], lower=str(row["category"]).lower())
        if row.get("share_base", "staff who stated") == "all staff" or not spec.not_stated:
            lead = f"{_pct(row['workforce_share'])} of staff {what}"
        else:
            lead = f"Of staff who stated their {noun}, {_pct(row['workforce_share'])} {what}"
        if pd.isna(row["population_share"]) or not row["flag"]:
            sentences.append(lead + ".")
            continue
        where = {"Similar": "within", "Under-represented": "above",
                 "Over-represented": "below"}[row["flag"]]
        sentences.append(
            f"{lead}, compared with {_pct(row['population_share'])} of {population_label} "
            f"({row['flag'].lower()}: the population share is {where} the "
            f"{_pct(row['lower'])} to {_pct(row['upper'])} interval for staff)."
        )
    apart = table[~table["compared"] & ~hidden & (table["workforce_n"] > 0)
                  & table["category"].isin(NON_RESPONSE_CATEGORIES)]
    if len(apart):
        share = float(apart["workforce_n"].sum()) / float(apart["workforce_base"].iloc[0])
        sentences.append(f"{_pct(share)} of staff have not stated their {noun}.")
    return sentences


def detailed_ethnicity_sentences(
    table: pd.DataFrame,
    population_label: str = "the local population (all ages)",
    max_groups: int = 3,
) -> list[str]:
    """Return neutral sentences on the detailed (19-group) ethnicity comparison.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`publish_detailed_ethnicity` (published figures only: hidden rows
        have ``suppressed`` True and no staff figure).
    population_label : str
        How the comparator population is described.
    max_groups : int
        At most this many groups quoted (largest differences in points first).

    Returns
    -------
    list of str
        A count of the detailed groups whose staff share is published and how many of
        them differ from the population (by the interval-based flag); the groups that
        differ most, each with its staff and population shares; and how many groups
        are not compared because their staff numbers are too small to publish.

    Notes
    -----
    Every number comes from ``table``; hidden rows are only counted, never quoted.
    """
    if table.empty:
        return []
    compared = table[table["compared"] & ~table["suppressed"].astype(bool)
                     & table["workforce_share"].notna()]
    hidden = int((table["compared"] & table["suppressed"].astype(bool)).sum())
    differ = compared[compared["flag"].isin(["Under-represented", "Over-represented"])]
    base = ("all staff" if compared["share_base"].eq("all staff").any()
            else "staff who stated their ethnic group")
    out = []
    if len(compared):
        out.append(
            f"Of the {len(compared)} detailed ethnic groups with a published staff figure, "
            f"{len(differ)} differ from {population_label} (the population share lies "
            "outside the 95% interval of the staff share).")
    top = differ.assign(_gap=differ["difference_pts"].abs()).sort_values(
        "_gap", ascending=False, kind="stable").head(max_groups)
    for _, row in top.iterrows():
        out.append(
            f"{_pct(row['workforce_share'])} of {base} identify as {row['category']}, "
            f"compared with {_pct(row['population_share'])} of the population "
            f"({row['flag'].lower()}).")
    if hidden:
        out.append(
            f"{hidden} detailed group{'s are' if hidden != 1 else ' is'} not compared: the "
            "number of staff is hidden because it is small or would reveal a small group.")
    return out


def declaration_sentences(table: pd.DataFrame, cluster: str = TOTAL) -> list[str]:
    """Return sentences on the overall not-declared share and its change.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`declaration_change` (or :func:`declaration_rates`).
    cluster : str
        Cluster described (default the whole workforce).

    Returns
    -------
    list of str
        One sentence per characteristic, e.g. "9.6% of staff have not declared their
        ethnic group (11.5% in the previous snapshot)."
    """
    rows = table[table["cluster"] == cluster]
    if "suppressed" in rows.columns:
        rows = rows[~rows["suppressed"].astype(bool)]
    rows = rows[rows["not_declared_share"].notna()]
    out = []
    for _, row in rows.iterrows():
        key = row["characteristic"]
        noun = _NOUNS.get(key, _characteristic(key).label.lower())
        text = f"{_pct(row['not_declared_share'])} of staff have not declared their {noun}"
        prev = row.get("previous_not_declared_share", np.nan)
        if prev is not None and not pd.isna(prev):
            text += f" ({_pct(prev)} in the previous snapshot)"
        out.append(text + ".")
    return out
