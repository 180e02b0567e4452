"""Workforce profile: headcount by protected characteristic and pay band cluster,
representation against the Census 2021 population, declaration rates and progression.

Functions take the canonical staff records of :mod:`edi_analysis.schemas` (one row per
employee) and return tidy, unrounded DataFrames. Shares are proportions 0-1 in columns
named ``*_share``; differences in percentage points are in ``*_pts``. Nothing here is
suppressed: the chapter's published tables are declared to the disclosure model
(:mod:`edi_analysis.disclosure`) by :func:`edi_analysis.workforce_publication.build_chapter`,
which protects them together and recomputes every share from the published counts.
"""

from __future__ import annotations

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
    "PublishedProfile",
    "SECTION_CHARACTERISTICS",
    "WorkforceSection",
    "characteristic_sentences",
    "detailed_ethnicity_sentences",
    "overview_sentences",
    "CENSUS_ONLY_ETHNIC_CATEGORIES",
    "HARMONISED_ETHNIC_LABELS",
    "NON_RESPONSE_CATEGORIES",
    "NOT_RECORDED",
    "DETAILED_ETHNICITY_NOTE",
    "census_category_of_labels",
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
    Headcount, not full-time equivalent. Unsuppressed: the published table comes from
    :func:`edi_analysis.workforce_publication.build_chapter`.
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
    base). Rows kept apart (``compared`` False) give
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


# --------------------------------------------------------------------------------------
# published tables (built by edi_analysis.workforce_publication)
# --------------------------------------------------------------------------------------
@dataclass
class PublishedProfile:
    """The published (disclosure-controlled) tables of one characteristic.

    Built by :func:`edi_analysis.workforce_publication.build_chapter` from the tables the
    disclosure model (:mod:`edi_analysis.disclosure`) published.

    Attributes
    ----------
    characteristic : str
        Key of :data:`CHARACTERISTICS`.
    policy : edi_analysis.disclosure.SuppressionPolicy
        The policy applied.
    headcount : pandas.DataFrame
        Long table ``category`` x ``cluster`` (with ``"Total"`` rows and column):
        ``count`` (published: rounded when the policy rounds, NaN where hidden),
        ``cluster_total`` (published), ``share`` (count / cluster total, proportion 0-1,
        NaN where either is hidden), ``suppressed`` and ``symbol`` (what a hidden count
        shows).
    representation : pandas.DataFrame or None
        :func:`representation_table` recomputed from the published counts (NaN where
        hidden) with ``suppressed`` and ``symbol`` columns; None without a comparator.
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

    Built by :func:`edi_analysis.workforce_publication.build_chapter` (the part of its
    :class:`~edi_analysis.workforce_publication.WorkforceChapter` that is the profile).

    Attributes
    ----------
    org_name : str
        Organisation (area) name.
    policy : edi_analysis.disclosure.SuppressionPolicy
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
        Published :func:`progression_table` for "bme" and "disability" (``count`` NaN
        where hidden, ``share_of_group`` from published counts, ``suppressed``,
        ``symbol``).
    senior : pandas.DataFrame
        Published relative likelihoods of being Band 8a+ (White vs BME, non-disabled vs
        disabled; rows of :data:`edi_analysis.wres.RESULT_COLUMNS` with ``suppressed``
        and ``symbol``), recomputed from the published counts.
    age_sex : pandas.DataFrame
        Published headcount by ``age_band`` and ``sex`` (with "Total"): ``count``,
        ``share`` of all staff, ``suppressed`` and ``symbol``.
    headcount : int
        Number of staff records.
    detailed_ethnicity : pandas.DataFrame or None
        Published detailed ethnicity (19 Census 2021 categories; its comparator is
        ``comparators["ethnic_category"]``), or None when ``ethnic_group`` is not among
        the section's characteristics.
    confidence : float
        Level of the representation intervals (for the sentences that name it).
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
    confidence: float = 0.95

    def population_label(self, key: str) -> str:
        """Plain-words description of the comparator population of a characteristic."""
        comp = self.comparators.get(key)
        if comp is None or "base" not in comp.columns:
            return "the local population"
        base = str(comp["base"].iloc[0])
        return next((v for k, v in _POPULATION_LABELS.items() if base.startswith(k)),
                    "the local population")


def characteristic_sentences(section: WorkforceSection, key: str) -> list[str]:
    """Narrative sentences for one characteristic, from the published tables only.

    Parameters
    ----------
    section : WorkforceSection
        From :func:`edi_analysis.workforce_publication.build_chapter`.
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
        f"population share lies outside the {stats.confidence_label(section.confidence)} "
        "interval of the staff share.",
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
        (same index as ``table``, e.g. the ``suppressed`` column of a published
        representation table); those rows are never quoted.
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
        The published detailed ethnicity table (``WorkforceSection.detailed_ethnicity``;
        published figures only: hidden rows
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
            "outside the interval of the staff share given in the table).")
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
