"""SYNTHETIC demo data: seeded, deterministic, and not about any real person.

Everything this module returns is **synthetic** (made up by a random-number generator) and
is labelled so: every frame has a ``data_label`` column holding ``"SYNTHETIC"`` and
``attrs["data_label"] == "SYNTHETIC"``; files written by :func:`write_demo_inputs` are
prefixed ``synthetic_`` and come with a README.txt saying so. The demo lets the notebooks
and the report run end to end without real data. Do not publish demo figures as facts.

Calibration
-----------
* Staff records for NHS Leicester, Leicestershire and Rutland ICB (QK1) reproduce the
  published workforce profile at 30 September 2025 (LLR ICB Equality, Diversity and
  Inclusion annual report 2025): 323 staff in four pay band clusters (Band 1-4: 20,
  Band 5-7: 114, Band 8a-9: 150, Non-AfC: 39) with, within each cluster, exactly the
  published percentage for each characteristic. Cells the report shows as "Under 5%" are
  solved from the cluster and grand totals. Characteristics are generated independently
  of each other within a cluster (the report gives no cross-tabulations), so the demo
  reproduces the margins, not real associations between characteristics.
* Other ICBs: headcount scaled to population (300-600 staff), the LLR cluster pattern, and
  an ethnic mix blending the LLR pattern with the ICB's Census 2021 ethnic mix.
* Pay: NHS Agenda for Change pay scales 2025/26 (approximate, see :data:`AFC_ANNUAL_PAY_2025`).
* Births: rates set to approximate national figures (MBRRACE-UK, ONS); an approximate
  calibration for demonstration, not data.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache, partial
from pathlib import Path

import numpy as np
import pandas as pd

from edi_analysis import schemas
from edi_analysis.io import _as_text

__all__ = [
    "AFC_ANNUAL_PAY_2025",
    "BIRTHS_PER_1000_POPULATION",
    "PRETERM_RATE",
    "STILLBIRTH_RATE_ENGLAND",
    "TERMINATION_RATE",
    "DATA_LABEL",
    "LLR_CLUSTER_COUNTS",
    "LLR_CLUSTER_SIZES",
    "SEED_ETHNIC_GROUPS",
    "SERVICE_INDICATORS",
    "STILLBIRTH_RR_ETHNICITY",
    "STILLBIRTH_RR_IMD_QUINTILE",
    "demo_birth_counts",
    "demo_births",
    "demo_board",
    "demo_capability",
    "demo_disciplinary",
    "demo_previous_snapshot",
    "demo_recruitment",
    "demo_service_activity",
    "demo_staff_records",
    "demo_survey_responses",
    "demo_survey_nesting",
    "demo_survey_results",
    "demo_training",
    "seed_ethnic_group",
    "write_demo_inputs",
]

DATA_LABEL = "SYNTHETIC"
_DEFAULT_SEED = 20250930
_LLR = "QK1"
_CLUSTERS = list(schemas.PAY_BAND_CLUSTERS)

# --------------------------------------------------------------------------------------
# The published LLR ICB profile, 30 September 2025, as whole-number counts per cluster
# (order: Band 1 - 4, Band 5 - 7, Band 8a - 9, Non-AfC). Derived from the report's
# cluster percentages x cluster sizes; "Under 5%" cells solved from the grand totals.
# Sex and marital status are published for the whole ICB only: the split between clusters
# is ours (sums match the published totals).
# --------------------------------------------------------------------------------------
LLR_CLUSTER_SIZES: dict[str, int] = {
    "Band 1 - 4": 20, "Band 5 - 7": 114, "Band 8a - 9": 150, "Non-AfC": 39,
}  # fmt: skip

LLR_CLUSTER_COUNTS: dict[str, dict[str, tuple[int, int, int, int]]] = {
    "age_band": {
        "16-19": (0, 0, 0, 0), "20-24": (2, 1, 0, 1), "25-29": (2, 7, 4, 0),
        "30-34": (3, 22, 4, 1), "35-39": (2, 14, 17, 1), "40-44": (2, 13, 20, 10),
        "45-49": (3, 18, 35, 8), "50-54": (3, 14, 26, 5), "55-59": (2, 10, 23, 4),
        "60-64": (1, 13, 15, 5), "65-69": (0, 2, 6, 3), "70+": (0, 0, 0, 1),
    },
    "disability": {
        "No": (15, 97, 126, 22), "Yes": (1, 12, 18, 0), "Not declared": (3, 5, 6, 17),
        "Prefer not to answer": (1, 0, 0, 0),
    },
    "ethnic_group": {
        "White": (10, 64, 94, 16), "Asian": (5, 43, 38, 8), "Not Stated": (2, 4, 11, 14),
        "Black": (3, 2, 2, 0), "Mixed": (0, 1, 2, 1), "Other": (0, 0, 2, 0),
        "Chinese": (0, 0, 1, 0),
    },
    "religion_belief": {
        "I do not wish to disclose my religion/belief": (6, 21, 40, 28),
        "Christianity": (4, 31, 46, 4), "Hinduism": (4, 19, 17, 3), "Atheism": (3, 12, 21, 4),
        "Islam": (2, 17, 8, 0), "Other": (1, 9, 9, 0), "Sikhism": (0, 4, 9, 0),
        "Buddhism": (0, 1, 0, 0),
    },
    "sexual_orientation": {
        "Heterosexual or Straight": (13, 98, 122, 12),
        "Not stated (person asked but declined to provide a response)": (6, 12, 23, 27),
        "Bisexual": (0, 2, 1, 0), "Other sexual orientation not listed": (0, 2, 1, 0),
        "Gay or Lesbian": (0, 0, 3, 0), "Undecided": (1, 0, 0, 0),
    },
    "contract_status": {"Full-Time": (15, 90, 112, 7), "Part-Time": (5, 24, 38, 32)},
    "sex": {"Female": (16, 90, 108, 23), "Male": (4, 24, 42, 16)},
    "marital_status": {
        "Married": (8, 66, 108, 28), "Single": (9, 32, 25, 5), "Divorced": (1, 8, 10, 2),
        "Unknown": (2, 5, 4, 3), "Legally Separated": (0, 1, 2, 0), "Widowed": (0, 0, 1, 1),
        "Civil Partnership": (0, 2, 0, 0),
    },
    "pay_band": {  # our split of each cluster into bands (not published)
        "Band 2": (1, 0, 0, 0), "Band 3": (6, 0, 0, 0), "Band 4": (13, 0, 0, 0),
        "Band 5": (0, 18, 0, 0), "Band 6": (0, 36, 0, 0), "Band 7": (0, 60, 0, 0),
        "Band 8a": (0, 0, 60, 0), "Band 8b": (0, 0, 45, 0), "Band 8c": (0, 0, 25, 0),
        "Band 8d": (0, 0, 14, 0), "Band 9": (0, 0, 6, 0),
        "VSM": (0, 0, 0, 9), "Medical - Consultant": (0, 0, 0, 5), "Non-AfC": (0, 0, 0, 25),
    },
}  # fmt: skip
"""Whole-number counts per cluster reproducing the published LLR ICB 2025 percentages."""

SEED_ETHNIC_GROUPS: list[str] = [
    "White",
    "Asian",
    "Black",
    "Mixed",
    "Other",
    "Chinese",
    "Not Stated",
]
"""Ethnic groups as the LLR report tabulates them (ESR reporting groups, Chinese apart)."""


def seed_ethnic_group(code: str) -> str:
    """Return the LLR report's ethnic group for an NHS ethnic category code.

    Census 2021 broad groups (``census.ETHNIC_CATEGORIES.group_5``), except that Chinese
    (R) is its own group and not stated / not known are "Not Stated", as in the report.
    """
    table = _ethnic_table()
    if code == "R":
        return "Chinese"
    group = table.get(code)
    return "Not Stated" if group in (None, "Not stated") else group


@lru_cache(maxsize=1)
def _ethnic_table() -> dict[str, str]:
    from edi_analysis.census import ETHNIC_CATEGORIES

    codes, groups = ETHNIC_CATEGORIES["code"], ETHNIC_CATEGORIES["group_5"]
    return {str(c): str(g) for c, g in zip(codes, groups, strict=True)}


# --------------------------------------------------------------------------------------
# Pay
# --------------------------------------------------------------------------------------
AFC_ANNUAL_PAY_2025: dict[str, tuple[int, ...]] = {
    "Band 1": (24465,), "Band 2": (24465,), "Band 3": (24937, 26598),
    "Band 4": (27485, 30162), "Band 5": (29970, 32324, 36483),
    "Band 6": (37338, 39405, 44962), "Band 7": (46148, 48526, 52809),
    "Band 8a": (53755, 54550, 60504), "Band 8b": (62215, 64429, 72293),
    "Band 8c": (74290, 76965, 85601), "Band 8d": (88168, 91342, 101677),
    "Band 9": (105385, 109185, 121271),
}  # fmt: skip
"""Approximate NHS Agenda for Change annual pay points from 1 April 2025 (£, England).

Source: NHS Employers, "Pay scales for 2025/26" (3.6% uplift on 2024/25). Quoted from
memory of the published table and approximate; for demo data only. Hourly pay = annual /
(37.5 hours x 52.143 weeks)."""

_AFC_HOURS_PER_YEAR = 37.5 * 52.143
_OTHER_HOURLY: dict[str, tuple[float, float]] = {
    # approximate ranges, £/hour, 2025/26
    "VSM": (62.0, 100.0),  # ICB directors, c. £120k-£195k a year
    "Medical - Consultant": (52.6, 69.7),  # consultant contract £109,725-£145,478, 40 h/week
    "Medical - Career grade": (28.4, 45.7),  # specialty doctor £59,175-£95,400
    "Medical - Trainee": (18.6, 35.5),  # resident doctors £38,831-£73,992
}


def _allocate(shares: np.ndarray, n: int) -> np.ndarray:
    """Whole numbers summing to ``n`` in proportion to ``shares`` (largest remainder)."""
    shares = np.asarray(shares, dtype=float)
    if n == 0 or shares.sum() == 0:
        return np.zeros(len(shares), dtype=int)
    exact = shares / shares.sum() * n
    base = np.floor(exact).astype(int)
    order = np.argsort(-(exact - base), kind="stable")
    base[order[: n - base.sum()]] += 1
    return base


def _resolve(org: str):
    from edi_analysis.geography import resolve_org

    return resolve_org(org)


def _census_code_shares(org) -> pd.Series:
    """Census 2021 all-ages shares by NHS ethnic code (A..S) for an ICB or LAD code."""
    from edi_analysis.census import CENSUS_19_TO_NHS_CODE, comparator

    table = comparator(org, "ethnicity_19", "all")
    codes = table["category"].map(CENSUS_19_TO_NHS_CODE)
    shares = table.groupby(codes)["count"].sum()
    return shares / shares.sum()


def _seed_group_shares(code_shares: pd.Series) -> pd.Series:
    groups = code_shares.groupby(code_shares.index.map(seed_ethnic_group)).sum()
    return groups.reindex(SEED_ETHNIC_GROUPS, fill_value=0.0)


def _cluster_counts(org_code: str, headcount: int | None) -> dict[str, dict[str, np.ndarray]]:
    """Per characteristic, per value, counts for each cluster (array over clusters)."""
    llr_sizes = np.array(list(LLR_CLUSTER_SIZES.values()))
    exact = org_code == _LLR and headcount in (None, int(llr_sizes.sum()))
    if exact:
        return {
            char: {value: np.array(c) for value, c in table.items()}
            for char, table in LLR_CLUSTER_COUNTS.items()
        }
    sizes = _allocate(llr_sizes, int(headcount))
    out: dict[str, dict[str, np.ndarray]] = {}
    for char, table in LLR_CLUSTER_COUNTS.items():
        values = list(table)
        matrix = np.array([table[v] for v in values], dtype=float)  # values x clusters
        if char == "ethnic_group" and org_code != _LLR:
            matrix = _blend_ethnicity(matrix, org_code)
        counts = np.column_stack([_allocate(matrix[:, k], sizes[k]) for k in range(4)])
        out[char] = {v: counts[i] for i, v in enumerate(values)}
    return out


def _blend_ethnicity(matrix: np.ndarray, org_code: str) -> np.ndarray:
    """LLR cluster pattern reweighted to the ICB's Census mix (70%) plus that mix (30%)."""
    groups = list(LLR_CLUSTER_COUNTS["ethnic_group"])
    llr = _seed_group_shares(_census_code_shares(_LLR)).reindex(groups).to_numpy()
    icb = _seed_group_shares(_census_code_shares(org_code)).reindex(groups).to_numpy()
    known = np.array([g != "Not Stated" for g in groups])
    out = matrix.copy()
    for k in range(matrix.shape[1]):
        col = matrix[:, k]
        total = col.sum()
        not_stated = col[~known].sum()
        mix = np.where(known, col / max(col[known].sum(), 1), 0.0)
        ratio = np.where(known & (llr > 0), icb / np.where(llr > 0, llr, 1), 0.0)
        reweighted = mix * ratio
        reweighted = reweighted / reweighted.sum() if reweighted.sum() > 0 else reweighted
        census = np.where(known, icb, 0.0)
        census = census / census.sum()
        blended = 0.7 * reweighted + 0.3 * census
        out[:, k] = np.where(known, blended * (total - not_stated), col)
    return out


def _default_headcount(org) -> int:
    from edi_analysis.geography import icb_table

    table = icb_table().set_index("icb24_code_nhs")
    ratio = table.loc[org.nhs_code, "population"] / table.loc[_LLR, "population"]
    return int(np.clip(round(323 * ratio), 300, 600))


def _label(df: pd.DataFrame, **attrs) -> pd.DataFrame:
    df["data_label"] = DATA_LABEL
    df.attrs.update({"data_label": DATA_LABEL, **attrs})
    return df


_DIRECTORATES = [
    "Chief Executive's Office", "Corporate Affairs", "Finance and Contracting",
    "Nursing and Quality", "Medical Directorate", "Strategy and Planning",
    "People and Culture", "Integration and Transformation",
    "Primary Care and Community Services", "Communications and Engagement",
    "Digital and Data",
]  # fmt: skip
_DIRECTORATE_WEIGHTS = np.array([3, 5, 14, 14, 6, 12, 7, 14, 12, 5, 8], dtype=float)
#: Demo organisational hierarchy: the division each directorate belongs to (an invented
#: structure, like the directorates, to exercise protection across nested breakdowns).
_DIVISIONS = {
    "Chief Executive's Office": "Corporate", "Corporate Affairs": "Corporate",
    "Finance and Contracting": "Corporate", "Communications and Engagement": "Corporate",
    "People and Culture": "Corporate", "Digital and Data": "Corporate",
    "Nursing and Quality": "Clinical and Quality", "Medical Directorate": "Clinical and Quality",
    "Strategy and Planning": "Strategy and Delivery",
    "Integration and Transformation": "Strategy and Delivery",
    "Primary Care and Community Services": "Strategy and Delivery",
}  # fmt: skip


def demo_staff_records(
    org: str = _LLR,
    snapshot: str = "2025-09-30",
    seed: int = _DEFAULT_SEED,
    headcount: int | None = None,
) -> pd.DataFrame:
    """Return SYNTHETIC staff records (one row per employee) for an ICB at a snapshot.

    Parameters
    ----------
    org : str, default "QK1"
        An ICB, anything :func:`edi_analysis.geography.resolve_org` accepts.
    snapshot : str, default "2025-09-30"
        Snapshot date "YYYY-MM-DD", stored in ``attrs["snapshot"]``; its year picks the
        snapshot in the organisation's chain of yearly snapshots (see Notes).
    seed : int
        Random seed; the same arguments always give the same frame.
    headcount : int, optional
        Number of staff. Default: 323 for LLR (QK1, the published profile); for other ICBs
        323 x (ICB population / LLR population), kept within 300-600.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`edi_analysis.schemas.STAFF_RECORDS_SCHEMA` plus
        ``pay_band_cluster`` and ``data_label`` ("SYNTHETIC").

    Notes
    -----
    The September 2025 snapshot is calibrated to the LLR ICB EDI report 2025 (see
    :func:`_calibrated_staff`). Every other year is one step of a chain from it, so that
    the snapshot a report calls "previous" is exactly the one the year before's report
    called "current", as with real ESR extracts: a year earlier, :func:`_year_before`
    (about 8% of staff are leavers replaced, ages one lower, pay before the AfC uplift,
    more non-declaration); a year later, :func:`_year_after` (8% leavers and joiners,
    ages one higher, pay uplifted, a tenth of non-declarations now declared).
    """
    year = _snapshot_year(snapshot)
    frame = _calibrated_staff(org, snapshot=f"{_CALIBRATED_YEAR}-09-30", seed=seed,
                              headcount=headcount)
    for later in range(_CALIBRATED_YEAR + 1, year + 1):
        frame = _year_after(frame, later, seed, headcount)
    for earlier in range(_CALIBRATED_YEAR - 1, year - 1, -1):
        frame = _year_before(frame, earlier, seed, headcount)
    frame.attrs["snapshot"] = str(snapshot)
    return frame


#: The snapshot year the synthetic staff are calibrated to (LLR ICB EDI report 2025).
_CALIBRATED_YEAR = 2025
#: AfC pay uplift applied between consecutive synthetic snapshots (2025/26 award).
_PAY_UPLIFT = 1.036
#: Share of staff who leave (and are replaced) between consecutive synthetic snapshots.
_TURNOVER = 0.08


def _snapshot_year(snapshot: str) -> int:
    m = re.fullmatch(r"(\d{4})-\d{2}-\d{2}", str(snapshot))
    if m is None:
        raise ValueError(f"snapshot must be a date 'YYYY-MM-DD', got {snapshot!r}")
    return int(m.group(1))


def _calibrated_staff(
    org: str = _LLR,
    snapshot: str = "2025-09-30",
    seed: int = _DEFAULT_SEED,
    headcount: int | None = None,
) -> pd.DataFrame:
    """Return the calibrated SYNTHETIC staff records (September 2025) for an ICB.

    Parameters and result as for :func:`demo_staff_records` (``snapshot`` is only stored
    in ``attrs["snapshot"]``).

    Notes
    -----
    For LLR at 323 staff, the counts in every pay band cluster are those in
    :data:`LLR_CLUSTER_COUNTS`, which reproduce the cluster percentages published in the
    LLR ICB EDI report 2025 to 2 decimal places. Each characteristic is shuffled
    independently within a cluster: margins are real, associations are not. Ethnic group ->
    NHS code follows the ICB's Census 2021 detailed mix within the group. For other ICBs the
    cluster percentages are LLR's, rounded to the headcount, and the ethnic mix of each
    cluster is 70% LLR's pattern reweighted by (ICB Census share / LLR Census share) and 30%
    the ICB's Census mix, keeping LLR's non-declaration rate. Hourly pay: AfC 2025/26 pay
    points (:data:`AFC_ANNUAL_PAY_2025`), women more often on the lower points (a few
    per cent gap within bands; most of the gap comes from more men in senior bands).
    Bonus pay: about half of consultants hold a clinical excellence award (£3,000-£40,000),
    and a few Non-AfC clinical leads a small award.
    """
    org_obj = _resolve(org)
    code = org_obj.nhs_code
    if headcount is not None and (not isinstance(headcount, int | np.integer) or headcount < 20):
        raise ValueError(f"headcount must be a whole number of at least 20, got {headcount!r}")
    if headcount is None and code != _LLR:
        headcount = _default_headcount(org_obj)
    rng = np.random.default_rng([seed, _stable_hash(code)])
    counts = _cluster_counts(code, headcount)
    code_shares = _census_code_shares(code)

    frames = []
    for k, cluster in enumerate(_CLUSTERS):
        size = int(sum(v[k] for v in counts["sex"].values()))
        if size == 0:
            continue
        cols: dict[str, np.ndarray] = {}
        for char, table in counts.items():
            values = np.repeat(list(table), [int(c[k]) for c in table.values()])
            cols[char] = rng.permutation(values)
        frame = pd.DataFrame(cols)
        frame["pay_band_cluster"] = cluster
        frames.append(frame)
    df = pd.concat(frames, ignore_index=True)
    n = len(df)

    # NHS codes within each seed group, by the ICB's Census detailed mix
    eth = np.empty(n, dtype=object)
    for group, idx in df.groupby("ethnic_group").groups.items():
        idx = np.asarray(idx)
        if group == "Not Stated":
            codes = np.array([schemas.ETHNIC_NOT_STATED] * len(idx), dtype=object)
        else:
            within = code_shares[[seed_ethnic_group(c) == group for c in code_shares.index]]
            codes = np.repeat(within.index.to_numpy(), _allocate(within.to_numpy(), len(idx)))
        eth[idx] = rng.permutation(codes)
    df["ethnic_category"] = eth

    low = df["age_band"].map(lambda b: 70 if b == "70+" else int(b.split("-")[0]))
    width = np.where(df["age_band"] == "70+", 5, 5)
    df["age"] = (low + np.floor(rng.random(n) * width)).astype("Int64")

    df["staff_group"], df["directorate"] = _groups_and_directorates(df["pay_band"], rng)
    df["fte"] = np.where(
        df["contract_status"] == "Full-Time",
        1.0,
        np.round(
            np.where(
                df["pay_band_cluster"] == "Non-AfC",
                rng.uniform(0.1, 0.6, n),
                rng.uniform(0.4, 0.9, n),
            ),
            2,
        ),
    )
    df["hourly_pay"], df["bonus_pay"] = _pay(df, rng)
    df["full_pay_relevant"] = rng.random(n) >= 0.03

    df = df.sample(frac=1.0, random_state=rng.integers(2**31)).reset_index(drop=True)
    df["employee_id"] = [f"{code}-SYN-{i:05d}" for i in range(1, n + 1)]
    ordered = [c for c in schemas.STAFF_RECORDS_SCHEMA.columns if c in df.columns]
    df = df[[*ordered, "pay_band_cluster"]].copy()
    for col in ordered:
        if df[col].dtype == object:
            df[col] = df[col].astype("str")
    return _label(df, org=code, snapshot=snapshot, seed=seed)


def _stable_hash(text: str) -> int:
    return int.from_bytes(text.encode(), "little") % (2**31)


def _groups_and_directorates(pay_band: pd.Series, rng) -> tuple[np.ndarray, np.ndarray]:
    n = len(pay_band)
    staff_group = np.full(n, "Administrative and Clerical", dtype=object)
    u = rng.random(n)
    afc_57 = pay_band.isin(["Band 5", "Band 6", "Band 7"]).to_numpy()
    afc_89 = pay_band.isin(schemas.PAY_BAND_CLUSTERS["Band 8a - 9"]).to_numpy()
    staff_group[afc_57 & (u < 0.15)] = "Nursing and Midwifery Registered"
    staff_group[afc_57 & (u >= 0.15) & (u < 0.20)] = "Professional Scientific and Technical"
    staff_group[afc_57 & (u >= 0.20) & (u < 0.23)] = "Allied Health Professionals"
    staff_group[afc_57 & (u >= 0.23) & (u < 0.25)] = (
        "Additional Professional Scientific and Technical"
    )
    staff_group[afc_89 & (u < 0.12)] = "Nursing and Midwifery Registered"
    staff_group[afc_89 & (u >= 0.12) & (u < 0.18)] = "Professional Scientific and Technical"
    staff_group[afc_89 & (u >= 0.18) & (u < 0.20)] = "Allied Health Professionals"
    medical = pay_band.str.startswith("Medical").to_numpy()
    staff_group[medical] = "Medical and Dental"
    non_afc = (pay_band == "Non-AfC").to_numpy()
    staff_group[non_afc & (u < 0.6)] = "Medical and Dental"

    weights = _DIRECTORATE_WEIGHTS / _DIRECTORATE_WEIGHTS.sum()
    directorate = rng.choice(_DIRECTORATES, size=n, p=weights).astype(object)
    v = rng.random(n)
    clinical_med = staff_group == "Medical and Dental"
    directorate[clinical_med & (v < 0.7)] = "Medical Directorate"
    nursing = staff_group == "Nursing and Midwifery Registered"
    directorate[nursing & (v < 0.8)] = "Nursing and Quality"
    pst = staff_group == "Professional Scientific and Technical"
    directorate[pst & (v < 0.7)] = "Medical Directorate"
    return staff_group, directorate


def _pay(df: pd.DataFrame, rng) -> tuple[np.ndarray, np.ndarray]:
    n = len(df)
    female = (df["sex"] == "Female").to_numpy()
    # position within the band: women skewed a little lower
    position = np.where(female, rng.beta(1.6, 1.5, n), rng.beta(1.9, 1.2, n))
    hourly = np.zeros(n)
    bonus = np.zeros(n)
    for i, band in enumerate(df["pay_band"].to_numpy()):
        if band in AFC_ANNUAL_PAY_2025:
            points = AFC_ANNUAL_PAY_2025[band]
            annual = points[min(int(position[i] * len(points)), len(points) - 1)]
            hourly[i] = annual / _AFC_HOURS_PER_YEAR
        elif band in _OTHER_HOURLY:
            lo, hi = _OTHER_HOURLY[band]
            hourly[i] = lo + position[i] * (hi - lo)
        else:  # Non-AfC: sessional GP clinical leads and other local-pay roles
            clinical = df["staff_group"].iat[i] == "Medical and Dental"
            lo, hi = (85.0, 110.0) if clinical else (30.0, 60.0)
            hourly[i] = lo + position[i] * (hi - lo)
            if clinical and rng.random() < 0.15:
                bonus[i] = float(np.round(rng.uniform(500, 3000), -1))
        if band == "Medical - Consultant" and rng.random() < 0.5:
            bonus[i] = float(np.round(rng.uniform(3000, 40000), -1))
    return np.round(hourly, 2), bonus


def demo_previous_snapshot(
    org: str = _LLR,
    snapshot: str = "2024-09-30",
    seed: int = _DEFAULT_SEED,
    headcount: int | None = None,
) -> pd.DataFrame:
    """Return the SYNTHETIC staff snapshot a year before :func:`demo_staff_records`'s default.

    The same as ``demo_staff_records(org, snapshot, seed, headcount)``: one chain of
    yearly snapshots serves as "current" in one report and "previous" in the next.

    Parameters
    ----------
    org, seed, headcount
        As for :func:`demo_staff_records`.
    snapshot : str, default "2024-09-30"

    Returns
    -------
    pandas.DataFrame
        Same columns as :func:`demo_staff_records`.
    """
    return demo_staff_records(org, snapshot=snapshot, seed=seed, headcount=headcount)


#: Non-declaration shares the LLR report gives for September 2024 (ethnicity, sexual
#: orientation, disability), and how much higher each was a year before that (the 2024 to
#: 2025 fall, assumed for earlier years too).
_NOT_DECLARED_2024 = (0.118, 0.25, 0.10)
_NOT_DECLARED_YEARLY_FALL = (0.022, 0.04, 0.004)
_NOT_STATED_SO = "Not stated (person asked but declined to provide a response)"
_UNDECLARED = (
    ("ethnic_category", [schemas.ETHNIC_NOT_STATED, schemas.ETHNIC_NOT_KNOWN],
     schemas.ETHNIC_NOT_STATED),
    ("sexual_orientation", [_NOT_STATED_SO, "Unspecified"], _NOT_STATED_SO),
    ("disability", ["Not declared", "Prefer not to answer"], "Not declared"),
)  # fmt: skip


def _as_staff_frame(df: pd.DataFrame, like: pd.DataFrame, snapshot: str, seed: int):
    df = df.astype({"age": "Int64", "fte": float, "bonus_pay": float, "full_pay_relevant": bool})
    for col in df.columns:
        if df[col].dtype == object:
            df[col] = df[col].astype("str")
    return _label(df, org=like.attrs["org"], snapshot=snapshot, seed=seed)


def _year_before(later: pd.DataFrame, year: int, seed: int, headcount: int | None):
    """The synthetic snapshot of September ``year``, one step back from the next one.

    About 8% of staff are replaced by other synthetic staff (leavers since, joiners since);
    ages one lower (age bands recomputed); pay divided by 1.036 (the 2025/26 AfC uplift).
    Declared values are turned back into non-declaration until the shares are those the
    LLR report gives for September 2024 (ethnicity not stated 11.8%, 9.6% in 2025; sexual
    orientation 25%, 21%; disability not declared 10%, 9.6%), and that year's fall more
    for each year before.
    """
    rng = np.random.default_rng([seed, year])
    n = len(later)
    other = _calibrated_staff(later.attrs["org"], seed=seed + (_CALIBRATED_YEAR - year),
                              headcount=headcount)
    replace = rng.choice(n, size=int(round(_TURNOVER * n)), replace=False)
    df = later.copy()
    df.iloc[replace] = other.iloc[replace].to_numpy()
    df["employee_id"] = later["employee_id"]
    df.loc[replace, "employee_id"] = [f"{i}-L" for i in later["employee_id"].iloc[replace]]
    df["age"] = (df["age"].astype(int) - 1).clip(lower=16).astype("Int64")
    df["age_band"] = df["age"].map(lambda a: schemas.age_band_of(float(a))).astype("str")
    df["hourly_pay"] = np.round(df["hourly_pay"].astype(float) / _PAY_UPLIFT, 2)
    steps = 2024 - year
    for (column, undeclared, value), share, fall in zip(
        _UNDECLARED, _NOT_DECLARED_2024, _NOT_DECLARED_YEARLY_FALL, strict=True
    ):
        is_undeclared = df[column].isin(undeclared).to_numpy()
        need = int(round((share + steps * fall) * n)) - int(is_undeclared.sum())
        if need > 0:
            flip = rng.choice(np.flatnonzero(~is_undeclared), size=need, replace=False)
            df.loc[flip, column] = value
    return _as_staff_frame(df, later, f"{year}-09-30", seed)


def _year_after(earlier: pd.DataFrame, year: int, seed: int, headcount: int | None):
    """The synthetic snapshot of September ``year``, one step on from the year before.

    About 8% of staff leave and are replaced by new synthetic joiners (new employee ids);
    the others are a year older and paid 3.6% more (the 2025/26 AfC uplift, assumed again);
    a tenth of each non-declaration is now declared, with a value drawn from those declared.
    """
    rng = np.random.default_rng([seed, year])
    n = len(earlier)
    joiners = _calibrated_staff(earlier.attrs["org"], seed=seed + 1000 + year,
                                headcount=headcount)
    df = earlier.copy()
    df["age"] = (df["age"].astype(int) + 1).astype("Int64")
    df["hourly_pay"] = np.round(df["hourly_pay"].astype(float) * _PAY_UPLIFT, 2)
    replace = rng.choice(n, size=int(round(_TURNOVER * n)), replace=False)
    df.iloc[replace] = joiners.iloc[replace].to_numpy()
    uplift = _PAY_UPLIFT ** (year - _CALIBRATED_YEAR)
    df.loc[replace, "hourly_pay"] = np.round(
        joiners["hourly_pay"].iloc[replace].astype(float).to_numpy() * uplift, 2)
    code = earlier.attrs["org"]
    df.loc[replace, "employee_id"] = [f"{code}-SYN-J{year}-{i:05d}" for i in range(len(replace))]
    df["age_band"] = df["age"].map(lambda a: schemas.age_band_of(float(a))).astype("str")
    for column, undeclared, _value in _UNDECLARED:
        is_undeclared = df[column].isin(undeclared).to_numpy()
        declared = df.loc[~is_undeclared, column].to_numpy()
        flip = np.flatnonzero(is_undeclared & (rng.random(n) < 0.1))
        if len(flip) and len(declared):
            df.loc[flip, column] = rng.choice(declared, size=len(flip))
    return _as_staff_frame(df, earlier, f"{year}-09-30", seed)


# --------------------------------------------------------------------------------------
# Other workforce inputs (WRES / WDES)
# --------------------------------------------------------------------------------------
def _bme(codes: pd.Series) -> np.ndarray:
    """True for ethnic minority codes, False for White (A/B/C), NaN-free (unknown = False)."""
    return ~codes.isin(
        ["A", "B", "C", schemas.ETHNIC_NOT_STATED, schemas.ETHNIC_NOT_KNOWN]
    ).to_numpy()


def demo_recruitment(
    org: str = _LLR, seed: int = _DEFAULT_SEED, staff: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return SYNTHETIC recruitment data: one row per shortlisted applicant.

    Parameters
    ----------
    org : str, default "QK1"
    seed : int
    staff : pandas.DataFrame, optional
        Staff records to base the applicant mix on (default :func:`demo_staff_records`).

    Returns
    -------
    pandas.DataFrame
        ``applicant_id, ethnic_category, disability, appointed, pay_band, data_label``.

    Notes
    -----
    About two shortlisted applicants per member of staff a year; applicants' ethnic mix is
    the staff mix with ethnic minority groups up-weighted by 1.4; 4% not stated. Appointment
    probability 18% for White, 12% for ethnic minority applicants (a relative likelihood
    of about 1.5, typical of WRES indicator 2 results), 15% for disabled and 16% for
    non-disabled applicants.
    """
    code = _resolve(org).nhs_code
    staff = demo_staff_records(org, seed=seed) if staff is None else staff
    rng = np.random.default_rng([seed, 2])
    n = 2 * len(staff)
    declared = staff.loc[~staff["ethnic_category"].isin(["Z", "99"]), "ethnic_category"]
    weights = np.where(_bme(declared), 1.4, 1.0)
    eth = rng.choice(declared.to_numpy(), size=n, p=weights / weights.sum()).astype(object)
    eth[rng.random(n) < 0.04] = schemas.ETHNIC_NOT_STATED
    disability = rng.choice(["Yes", "No", "Not declared"], size=n, p=[0.09, 0.87, 0.04])
    bme = _bme(pd.Series(eth))
    p = np.where(bme, 0.12, 0.18) * np.where(disability == "Yes", 15 / 16, 1.0)
    appointed = rng.random(n) < p
    bands = rng.choice(staff["pay_band"].to_numpy(), size=n)
    df = pd.DataFrame(
        {
            "applicant_id": [f"{code}-APP-{i:05d}" for i in range(1, n + 1)],
            "ethnic_category": pd.Series(eth, dtype="str"),
            "disability": pd.Series(disability, dtype="str"),
            "appointed": appointed,
            "pay_band": pd.Series(bands, dtype="str"),
        }
    )
    return _label(df, org=code, seed=seed)


_CASE_YEARS = ("2024-25", "2025-26")


def _demo_cases(
    staff: pd.DataFrame, years: tuple[str, ...], rate: float, minimum: int,
    weights: np.ndarray, stream: list[int],
) -> pd.DataFrame:
    """Draw, for each year, staff entering a formal process (weighted, no repeats in a year).

    Each year has its own random stream (``stream`` plus the year), so a year's cases do
    not depend on which other years are asked for.
    """
    for year in years:
        if not schemas.is_financial_year(year):
            raise ValueError(f"years must be financial years such as '2025-26', got {year!r}.")
    n = min(len(staff), max(minimum, int(round(rate * len(staff)))))
    parts = []
    for year in years:
        rng = np.random.default_rng([*stream, int(year[:4])])
        pick = rng.choice(len(staff), size=n, replace=False, p=weights / weights.sum())
        part = staff.iloc[np.sort(pick)][["employee_id", "ethnic_category", "disability"]]
        parts.append(part.assign(year=pd.Series(year, index=part.index, dtype="str")))
    return pd.concat(parts, ignore_index=True)


def demo_disciplinary(
    org: str = _LLR, seed: int = _DEFAULT_SEED, staff: pd.DataFrame | None = None,
    years: tuple[str, ...] = _CASE_YEARS,
) -> pd.DataFrame:
    """Return SYNTHETIC disciplinary cases: one row per employee entering the formal process.

    Parameters
    ----------
    org : str
    seed : int
    staff : pandas.DataFrame, optional
        Staff records to draw from (default :func:`demo_staff_records`).
    years : tuple of str
        Financial years to simulate (default the report year and the year before, as
        WRES indicator 3's two-year rolling average needs).

    Notes
    -----
    About 1.5% of staff a year (at least 3 cases), ethnic minority staff twice as likely to
    be drawn, as in many WRES indicator 3 returns.

    Returns
    -------
    pandas.DataFrame
        ``employee_id, ethnic_category, disability, year, data_label``.
    """
    staff = demo_staff_records(org, seed=seed) if staff is None else staff
    weights = np.where(_bme(staff["ethnic_category"]), 2.0, 1.0)
    df = _demo_cases(staff, tuple(years), 0.015, 3, weights, [seed, 3])
    return _label(df, org=staff.attrs.get("org", org), seed=seed)


def demo_capability(
    org: str = _LLR, seed: int = _DEFAULT_SEED, staff: pd.DataFrame | None = None,
    years: tuple[str, ...] = _CASE_YEARS,
) -> pd.DataFrame:
    """Return SYNTHETIC capability cases: staff entering the formal capability process.

    One row per employee entering the formal capability process on the grounds of
    performance (WDES metric 3), for each of ``years``.

    Parameters
    ----------
    org : str
    seed : int
    staff : pandas.DataFrame, optional
        Staff records to draw from (default :func:`demo_staff_records`).
    years : tuple of str
        Financial years to simulate.

    Notes
    -----
    About 0.5% of staff a year (at least 3 cases), disabled staff twice as likely to be
    drawn (NHS England's WDES reports have found disabled staff more likely to enter
    the capability process). The numbers are invented.

    Returns
    -------
    pandas.DataFrame
        ``employee_id, ethnic_category, disability, year, data_label``.
    """
    staff = demo_staff_records(org, seed=seed) if staff is None else staff
    weights = np.where(staff["disability"].to_numpy() == "Yes", 2.0, 1.0)
    df = _demo_cases(staff, tuple(years), 0.005, 3, weights, [seed, 6])
    return _label(df, org=staff.attrs.get("org", org), seed=seed)


def demo_training(
    org: str = _LLR, seed: int = _DEFAULT_SEED, staff: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return SYNTHETIC non-mandatory training access: one row per employee.

    Notes
    -----
    Accessed with probability 60% (White), 55% (ethnic minority), 45% (not stated).

    Returns
    -------
    pandas.DataFrame
        ``employee_id, ethnic_category, disability, accessed, data_label``.
    """
    staff = demo_staff_records(org, seed=seed) if staff is None else staff
    rng = np.random.default_rng([seed, 4])
    unknown = staff["ethnic_category"].isin(["Z", "99"]).to_numpy()
    p = np.where(unknown, 0.45, np.where(_bme(staff["ethnic_category"]), 0.55, 0.60))
    df = staff[["employee_id", "ethnic_category", "disability"]].copy()
    df["accessed"] = rng.random(len(df)) < p
    return _label(df.reset_index(drop=True), org=staff.attrs.get("org", org), seed=seed)


def demo_board(org: str = _LLR, seed: int = _DEFAULT_SEED) -> pd.DataFrame:
    """Return SYNTHETIC board membership (14 members: 7 executive, 7 non-executive).

    Returns
    -------
    pandas.DataFrame
        ``member_id, ethnic_category, disability, voting, executive, sex, data_label``.
        Five of the seven executives and all non-executives vote.
    """
    code = _resolve(org).nhs_code
    rng = np.random.default_rng([seed, 5])
    eth = rng.permutation(["A"] * 10 + ["C", "H", "H", "N"])
    df = pd.DataFrame(
        {
            "member_id": [f"{code}-BRD-{i:02d}" for i in range(1, 15)],
            "ethnic_category": pd.Series(eth, dtype="str"),
            "disability": pd.Series(
                rng.permutation(["Yes"] + ["No"] * 12 + ["Not declared"]), dtype="str"
            ),
            "voting": [True] * 5 + [False] * 2 + [True] * 7,
            "executive": [True] * 7 + [False] * 7,
            "sex": pd.Series(rng.permutation(["Female"] * 7 + ["Male"] * 7), dtype="str"),
        }
    )
    return _label(df, org=code, seed=seed)


# --------------------------------------------------------------------------------------
# Staff survey
# --------------------------------------------------------------------------------------
_SURVEY_BASE: dict[str, float] = {
    # approximate % giving the catalogue's counted answers (NHS Staff Survey 2024, all
    # organisations; patient-facing items set lower for an ICB's largely office-based staff)
    "q4b": 52, "q11e": 20, "q13a": 2, "q13b": 0.5, "q13c": 1, "q14a": 7, "q14b": 9,
    "q14c": 12, "q14d": 50, "q15": 58, "q16a": 3, "q16b": 7, "q17a": 1, "q17b": 1.5,
    "q21": 74, "q25c": 62, "q25e": 66, "q31b": 75,
}  # fmt: skip
_DEFAULT_QUESTIONS = [
    "q4b",
    "q14a",
    "q14b",
    "q14c",
    "q15",
    "q16a",
    "q16b",
    "q17b",
    "q21",
    "q23a",
    "q24a",
]

_SURVEY_ETHNIC = {
    "White": "White", "Mixed": "Mixed / Multiple ethnic background",
    "Asian": "Asian / Asian British", "Black": "Black / African / Caribbean / Black British",
    "Other": "Other ethnic group",
}  # fmt: skip
_SURVEY_RELIGION = {
    "Atheism": "No religion", "Christianity": "Christian", "Buddhism": "Buddhist",
    "Hinduism": "Hindu", "Judaism": "Jewish", "Islam": "Muslim", "Sikhism": "Sikh",
    "Jainism": "Any other religion", "Other": "Any other religion",
}  # fmt: skip
_SURVEY_SO = {
    "Heterosexual or Straight": "Heterosexual or straight", "Gay or Lesbian": "Gay or lesbian",
    "Bisexual": "Bisexual", "Other sexual orientation not listed": "Other",
}  # fmt: skip
_PNS = "Prefer not to say"


def _survey_questions() -> pd.DataFrame:
    from importlib import resources

    try:
        path = resources.files("edi_analysis") / "catalogue" / "staff_survey_questions.csv"
        with resources.as_file(path) as p:
            cat = pd.read_csv(p, dtype=str)
        cat["higher_is_better"] = cat["higher_is_better"].str.lower().eq("true")
        if "measure" in cat.columns:
            # mean scores (the engagement score, WDES 9a) are not simulated as answers
            cat = cat[cat["measure"].fillna("percent") != "score"].reset_index(drop=True)
        return cat
    except (FileNotFoundError, KeyError):  # pragma: no cover - catalogue absent
        return pd.DataFrame(
            {"code": _DEFAULT_QUESTIONS, "higher_is_better": [True] * len(_DEFAULT_QUESTIONS)}
        )


def _survey_age(age: pd.Series) -> pd.Series:
    bins = [0, 20, 30, 40, 50, 65, 200]
    labels = ["16-20", "21-30", "31-40", "41-50", "51-65", "66+"]
    return pd.cut(age.astype(float), bins=bins, labels=labels).astype(str)


def _respondents(staff: pd.DataFrame, rng, response_rate: float) -> pd.DataFrame:
    take = rng.random(len(staff)) < response_rate
    r = staff.loc[take].reset_index(drop=True)
    n = len(r)
    groups = r["ethnic_category"].map(seed_ethnic_group).replace({"Chinese": "Asian"})
    out = pd.DataFrame(
        {
            "Age": _survey_age(r["age"]),
            "Disability": np.where(
                r["disability"] == "Yes", "Yes",
                np.where(rng.random(n) < 0.12, "Yes", "No"),
            ),
            "Ethnicity": groups.map(_SURVEY_ETHNIC).fillna(_PNS).to_numpy(),
            "Sex": r["sex"].to_numpy(),
            "Sexual orientation": r["sexual_orientation"].map(_SURVEY_SO).fillna(_PNS).to_numpy(),
            "Religion": r["religion_belief"].map(_SURVEY_RELIGION).fillna(_PNS).to_numpy(),
            "Division": r["directorate"].map(_DIVISIONS).to_numpy(),
            "Directorate": r["directorate"].to_numpy(),
        }
    )  # fmt: skip
    out.loc[rng.random(n) < 0.03, "Disability"] = _PNS
    out.loc[rng.random(n) < 0.02, "Sex"] = _PNS
    # Some respondents skip each self-reported demographic question: they count in the
    # Overall but in no subgroup of that breakdown, as in the national survey's files.
    # Directorate comes from the sampling frame, so it is always known.
    for column in _SELF_REPORTED:
        out.loc[rng.random(n) < _DEMOGRAPHIC_NON_RESPONSE, column] = None
    return out


#: Share of respondents who skip each self-reported demographic question (about 5-8% in
#: NHS Staff Survey organisation files; an approximate calibration, not data).
_DEMOGRAPHIC_NON_RESPONSE = 0.06
_SELF_REPORTED = ["Age", "Disability", "Ethnicity", "Sex", "Sexual orientation", "Religion"]


_SURVEY_BREAKDOWNS = [
    "Age", "Disability", "Ethnicity", "Sex", "Sexual orientation", "Religion", "Division",
    "Directorate",
]  # fmt: skip


#: The survey year from which the synthetic results drift (slightly) year by year.
_FIRST_SURVEY_YEAR = 2023


def _simulate_survey(
    staff: pd.DataFrame,
    years: tuple[int, ...],
    seed: int,
    response_rate: float,
    questions: list[str] | None,
) -> tuple[list[str], list[tuple[int, pd.DataFrame]]]:
    """Simulated respondents per year: characteristics + 1/0/NaN per question code."""
    if not 0 < response_rate <= 1:
        raise ValueError(f"response_rate must be in (0, 1], got {response_rate!r}")
    catalogue = _survey_questions().set_index("code")
    codes = list(catalogue.index) if questions is None else list(questions)
    unknown = [q for q in codes if q not in catalogue.index and q not in _SURVEY_BASE]
    if unknown:
        raise ValueError(f"unknown question code(s) {unknown}; known: {list(catalogue.index)}")
    out = []
    for year in years:
        # one stream per survey year: a year's results do not depend on which other years
        # are asked for, so two reports whose windows overlap publish the same figures
        rng = np.random.default_rng([seed, 6, int(year)])
        resp = _respondents(staff, rng, response_rate)
        n = len(resp)
        disabled = (resp["Disability"] == "Yes").to_numpy()
        minority = ~resp["Ethnicity"].isin(["White", _PNS]).to_numpy()
        lgb = resp["Sexual orientation"].isin(["Gay or lesbian", "Bisexual", "Other"]).to_numpy()
        pns = (resp[["Ethnicity", "Sexual orientation", "Disability"]] == _PNS).any(axis=1)
        answers: dict[str, np.ndarray] = {}
        for q in codes:
            if q in catalogue.index and isinstance(catalogue.at[q, "components"], str):
                continue  # composite questions are computed after their components
            good = bool(catalogue.at[q, "higher_is_better"]) if q in catalogue.index else True
            base = _SURVEY_BASE.get(q, 60.0) / 100
            sign = -1.0 if good else 1.0
            eth_effect = {"q16b": 0.9, "q16a": 0.6, "q15": 0.6}.get(q, 0.3 if not good else 0.25)
            logit = (
                np.log(base / (1 - base))
                + sign * (0.5 if not good else 0.35) * disabled
                + sign * eth_effect * minority
                + sign * 0.3 * (lgb | pns.to_numpy())
                - sign * 0.05 * (int(year) - _FIRST_SURVEY_YEAR)
                + rng.normal(0, 0.05)
            )
            p = 1 / (1 + np.exp(-logit))
            value = (rng.random(n) < p).astype(float)
            value[rng.random(n) < 0.03] = np.nan  # item non-response
            if q == "q31b":
                value[~disabled] = np.nan
            elif q == "q11e":
                value[rng.random(n) < 0.5] = np.nan
            answers[q] = value
        harassed = np.nanmax(
            np.vstack(
                [np.nan_to_num(answers.get(c, np.zeros(n))) for c in ("q14a", "q14b", "q14c")]
            ),
            axis=0,
        )
        if "q14d" in answers:
            answers["q14d"][harassed == 0] = np.nan
        for q in codes:
            if q in answers:
                continue
            parts = str(catalogue.at[q, "components"]).split(";")
            stack = np.vstack([answers[c] for c in parts if c in answers])
            answers[q] = np.where(
                np.isnan(stack).all(axis=0),
                np.nan,
                np.nanmax(np.where(np.isnan(stack), -1, stack), axis=0),
            )
        out.append((year, resp.join(pd.DataFrame({q: answers[q] for q in codes}))))
    return codes, out


def demo_survey_results(
    org: str = _LLR,
    years: tuple[int, ...] = (2023, 2024, 2025),
    seed: int = _DEFAULT_SEED,
    staff: pd.DataFrame | None = None,
    response_rate: float = 0.6,
    questions: list[str] | None = None,
) -> pd.DataFrame:
    """Return SYNTHETIC aggregated NHS Staff Survey results.

    Parameters
    ----------
    org : str, default "QK1"
    years : tuple of int, default (2023, 2024, 2025)
    seed : int
    staff : pandas.DataFrame, optional
        Staff records the respondents are drawn from (default :func:`demo_staff_records`).
    response_rate : float, default 0.6
    questions : list of str, optional
        Question codes; default every code in the question catalogue
        (``catalogue/staff_survey_questions.csv``).

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`edi_analysis.schemas.SURVEY_RESULTS_SCHEMA` plus
        ``data_label``: one row per year x question x breakdown ("Overall", "Age",
        "Disability", "Ethnicity", "Sex", "Sexual orientation", "Religion", "Division",
        "Directorate") x subgroup with at least one respondent. ``pct_positive`` (0-100)
        is the percentage giving the catalogue's counted answers (e.g. % experiencing
        harassment for q14b).

    Notes
    -----
    Respondents are simulated, not results: each year about ``response_rate`` of the staff
    respond; each answers each question (97% item response) with a probability set on the
    logit scale from an approximate national 2024 level plus subgroup effects: disabled
    (+0.5 on harm items, -0.35 on favourable ones), ethnic minority (+0.3/-0.25; +0.9 on
    discrimination by colleagues, q16b, and -0.6 on career progression, q15, as in national
    WRES results), LGB+ and "prefer not to say" (+0.3/-0.3), a small improvement each year.
    Conditional questions are asked only of their population (q14d of those harassed, q31b
    of disabled respondents, q11e of about half). Aggregating the simulated answers makes
    every breakdown's subgroups add up: the Overall percentage is the respondent-weighted
    mean of the subgroups in every breakdown. Small subgroups (under 10) occur and are left
    for the suppression step.
    """
    staff = demo_staff_records(org, seed=seed) if staff is None else staff
    codes, simulated = _simulate_survey(staff, years, seed, response_rate, questions)
    rows = []
    for year, frame in simulated:
        long = frame.assign(Overall="Organisation").melt(
            id_vars=["Overall", *_SURVEY_BREAKDOWNS], value_vars=codes, var_name="question"
        )
        long = long.loc[long["value"].notna()]
        for breakdown in ["Overall", *_SURVEY_BREAKDOWNS]:
            agg = long.groupby(["question", breakdown], observed=True)["value"].agg(
                ["count", "mean"]
            )
            agg = agg.reset_index().rename(columns={breakdown: "subgroup"})
            agg["breakdown"] = breakdown
            agg["year"] = year
            rows.append(agg)
        rows.extend(_engagement_rows(frame, year, seed))
    df = pd.concat(rows, ignore_index=True).rename(columns={"count": "n_respondents"})
    df["pct_positive"] = 100.0 * df.pop("mean")
    df["question"] = pd.Categorical(df["question"], categories=[*codes, ENGAGEMENT])
    df = df.sort_values(["year", "question", "breakdown"], kind="stable").reset_index(drop=True)
    df["question"] = df["question"].astype(str)
    df["n_respondents"] = df["n_respondents"].astype("int64")
    df = df[["year", "question", "breakdown", "subgroup", "n_respondents", "pct_positive",
             "score", "score_sd"]]
    df = df.astype({"question": "str", "breakdown": "str", "subgroup": "str"})
    return _label(df, org=staff.attrs.get("org", org), seed=seed, response_rate=response_rate)


ENGAGEMENT = "engagement"
#: Approximate national staff engagement score (0-10) and its spread between respondents;
#: calibration, not data (NHS Staff Survey national results are near 6.9).
_ENGAGEMENT_MEAN, _ENGAGEMENT_SD = 6.9, 1.4


def _engagement_rows(frame: pd.DataFrame, year: int, seed: int) -> list[pd.DataFrame]:
    """Engagement-score rows (question "engagement": n, mean ``score``, ``score_sd``).

    Each simulated respondent gets a 0-10 score, lower for disabled (-0.4) and ethnic
    minority (-0.2) respondents, as in national WDES/WRES results (approximate).
    """
    rng = np.random.default_rng([seed, 9, int(year)])
    disabled = (frame["Disability"] == "Yes").to_numpy()
    minority = (~frame["Ethnicity"].isin(["White", _PNS]) & frame["Ethnicity"].notna())
    score = rng.normal(_ENGAGEMENT_MEAN - 0.4 * disabled - 0.2 * minority.to_numpy(),
                       _ENGAGEMENT_SD)
    scored = frame.assign(Overall="Organisation", value=np.clip(score, 0, 10))
    out = []
    for breakdown in ["Overall", *_SURVEY_BREAKDOWNS]:
        agg = scored.groupby(breakdown, observed=True)["value"].agg(["count", "mean", "std"])
        agg = agg.reset_index().rename(columns={breakdown: "subgroup", "mean": "score",
                                                "std": "score_sd"})
        out.append(agg.assign(question=ENGAGEMENT, breakdown=breakdown, year=year,
                              mean=np.nan))
    return out


def _answer_texts(counted: str) -> tuple[list[str], list[str]]:
    """(counted answers, other answers) for a catalogue ``counted_answers`` entry."""
    yes = [a for a in str(counted).split(";") if a]
    first = yes[0].lower() if yes else ""
    if "agree" in first:
        other = ["Neither agree nor disagree", "Disagree", "Strongly disagree"]
    elif "satisfied" in first:
        other = ["Neither satisfied nor dissatisfied", "Dissatisfied", "Very dissatisfied"]
    elif first[:1].isdigit():
        other = ["Never"]
    else:
        other = ["No"]
    return yes or ["Yes"], other


def demo_survey_responses(
    org: str = _LLR,
    years: tuple[int, ...] = (2023, 2024, 2025),
    seed: int = _DEFAULT_SEED,
    staff: pd.DataFrame | None = None,
    response_rate: float = 0.6,
    questions: list[str] | None = None,
) -> pd.DataFrame:
    """Return SYNTHETIC respondent-level staff survey answers (e.g. a local pulse survey).

    The same simulated respondents as :func:`demo_survey_results` (same arguments), with
    answers written as text: a counted answer from the catalogue's ``counted_answers`` for
    a "positive" (counted) simulated answer, otherwise a plausible other answer ("Never",
    "No", "Disagree", ...). Composite questions (``components``, e.g. q14bc) are left out:
    they are derived from their components.

    Returns
    -------
    pandas.DataFrame
        ``respondent_id``, ``year``, one column per question code (blank = not answered),
        and ``age_band``, ``disability``, ``ethnic_category`` (survey group wording),
        ``sex``, ``sexual_orientation``, ``religion_belief``, ``directorate``, plus
        ``data_label``; passes :data:`edi_analysis.schemas.SURVEY_RESPONSES_SCHEMA`.
    """
    staff = demo_staff_records(org, seed=seed) if staff is None else staff
    codes, simulated = _simulate_survey(staff, years, seed, response_rate, questions)
    catalogue = _survey_questions().set_index("code")
    rng = np.random.default_rng([seed, 8])
    names = {
        "Age": "age_band", "Disability": "disability", "Ethnicity": "ethnic_category",
        "Sex": "sex", "Sexual orientation": "sexual_orientation", "Religion": "religion_belief",
        "Division": "division", "Directorate": "directorate",
    }  # fmt: skip
    frames = []
    for year, frame in simulated:
        out = pd.DataFrame(
            {"respondent_id": [f"R{year}-{i:05d}" for i in range(1, len(frame) + 1)],
             "year": year}
        )  # fmt: skip
        for q in codes:
            if q in catalogue.index and isinstance(catalogue.at[q, "components"], str):
                continue
            counted = catalogue.at[q, "counted_answers"] if q in catalogue.index else "Yes"
            yes, other = _answer_texts(counted)
            value = frame[q].to_numpy()
            text = np.where(
                value == 1, rng.choice(yes, size=len(value)), rng.choice(other, size=len(value))
            ).astype(object)
            text[np.isnan(value)] = None
            out[q] = _as_text(pd.Series(text))
        for breakdown, column in names.items():
            out[column] = _as_text(frame[breakdown].reset_index(drop=True))
        frames.append(out)
    df = pd.concat(frames, ignore_index=True)
    return _label(df, org=staff.attrs.get("org", org), seed=seed, response_rate=response_rate)


# --------------------------------------------------------------------------------------
# Births
# --------------------------------------------------------------------------------------
BIRTHS_PER_1000_POPULATION = 10.5
"""Approximate crude birth rate, England 2023 (ONS births in England and Wales: about
10 births per 1,000 population); LLR ~1.1 million residents -> about 12,000 births a year."""

STILLBIRTH_RATE_ENGLAND = 3.3 / 1000
"""Approximate stillbirths per total births (excluding terminations), UK 2023 (MBRRACE-UK
Perinatal Mortality Surveillance, births 2023: about 3.3 per 1,000)."""

STILLBIRTH_RR_ETHNICITY: dict[str, float] = {
    "White": 1.0, "Mixed": 1.2, "Asian": 1.5, "Black": 2.0, "Other": 1.3, "Not stated": 1.0,
}  # fmt: skip
"""Approximate stillbirth rate ratios by mother's ethnic group (Census broad group) relative
to White, after MBRRACE-UK 2023 (Black about twice, Asian about one and a half times)."""

STILLBIRTH_RR_IMD_QUINTILE: dict[int, float] = {1: 1.5, 2: 1.25, 3: 1.05, 4: 0.9, 5: 0.8}
"""Approximate stillbirth rate ratios by IMD quintile of residence (1 = most deprived),
after the MBRRACE-UK deprivation gradient (most vs least deprived about 1.9 times)."""

_STILLBIRTH_MEAN_MULTIPLIER_ENGLAND = 1.25
"""Mean of ethnic x deprivation multipliers over England's births (approximate): the base
rate is STILLBIRTH_RATE_ENGLAND / 1.25, so England's mix gives about 3.3 per 1,000."""

TERMINATION_RATE = 0.5 / 1000
"""Terminations of pregnancy at 24 weeks or later, flagged, per total births (approximate)."""

PRETERM_RATE = 0.075
"""Preterm (under 37 weeks) share of live births, England (approximate, ONS/NHS Digital)."""

_PRETERM_RR_ETHNICITY = {"White": 1.0, "Mixed": 1.05, "Asian": 1.1, "Black": 1.25, "Other": 1.05,
                         "Not stated": 1.0}  # fmt: skip
_PRETERM_RR_IMD = {1: 1.2, 2: 1.1, 3: 1.0, 4: 0.9, 5: 0.85}
_DELIVERY_LIVE = {"Spontaneous": 0.51, "Instrumental": 0.115, "Elective caesarean": 0.165,
                  "Emergency caesarean": 0.20, "Not known": 0.01}  # fmt: skip
_DELIVERY_STILL = {"Spontaneous": 0.80, "Instrumental": 0.03, "Elective caesarean": 0.05,
                   "Emergency caesarean": 0.10, "Not known": 0.02}  # fmt: skip
_FERTILITY = {"J": 1.6, "K": 1.6, "N": 1.4, "S": 1.3, "C": 1.2, "A": 0.9}
_LANGUAGES: dict[str, dict[str, float]] = {
    "C": {"Polish": 0.35, "Romanian": 0.25, "English": 0.25, "Lithuanian": 0.05,
          "Portuguese": 0.05, "Bulgarian": 0.05},
    "H": {"English": 0.5, "Gujarati": 0.3, "Punjabi": 0.15, "Hindi": 0.05},
    "J": {"English": 0.5, "Urdu": 0.35, "Punjabi": 0.15},
    "K": {"English": 0.5, "Bengali": 0.3, "Sylheti": 0.2},
    "L": {"English": 0.5, "Tamil": 0.2, "Nepali": 0.15, "Malayalam": 0.15},
    "N": {"English": 0.55, "Somali": 0.2, "Arabic": 0.1, "French": 0.1, "Tigrinya": 0.05},
    "R": {"English": 0.5, "Mandarin": 0.3, "Cantonese": 0.2},
    "S": {"English": 0.4, "Arabic": 0.4, "Kurdish": 0.2},
}  # fmt: skip


def _group5(codes: np.ndarray) -> np.ndarray:
    table = _ethnic_table()
    return np.array([table.get(c, "Not stated") for c in codes], dtype=object)


def _choice(rng, table: dict, size: int) -> np.ndarray:
    keys = list(table)
    p = np.array([table[k] for k in keys], dtype=float)
    return rng.choice(np.array(keys, dtype=object), size=size, p=p / p.sum())


#: The financial year (its first calendar year) from which synthetic births fall 1% a year.
_FIRST_BIRTHS_YEAR = 2023


def demo_births(
    org: str = _LLR,
    years: tuple[str, ...] = ("2023-24", "2024-25"),
    seed: int = _DEFAULT_SEED,
    scale: float = 1.0,
) -> pd.DataFrame:
    """Return SYNTHETIC record-level births (one row per baby) for an ICB.

    Parameters
    ----------
    org : str, default "QK1"
    years : tuple of str, default ("2023-24", "2024-25")
        Financial years.
    seed : int
    scale : float, default 1.0
        Fraction of the ICB's births to generate (e.g. 0.1 for quick tests).

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`edi_analysis.schemas.BIRTHS_SCHEMA` plus ``data_label``.

    Notes
    -----
    An approximate calibration for demonstration, not data. About
    :data:`BIRTHS_PER_1000_POPULATION` births per 1,000 residents a year (1% fewer each
    year). Each baby's LSOA 2021 is drawn from the ICB's LSOAs weighted by Census 2021
    population; the mother's ethnic category from her LAD's Census 2021 detailed mix
    weighted by approximate relative fertility (Pakistani, Bangladeshi, African and other
    groups higher); IMD 2025 decile from the LSOA. Stillbirth probability = base x
    :data:`STILLBIRTH_RR_ETHNICITY` x :data:`STILLBIRTH_RR_IMD_QUINTILE`, base =
    :data:`STILLBIRTH_RATE_ENGLAND` / 1.25 so that England's mix gives about 3.3 per 1,000.
    Terminations at 24+ weeks (:data:`TERMINATION_RATE`) are outcome "Stillbirth" with
    ``termination`` True. Preterm about 7.5% of live births (higher for Black and Asian
    mothers and in deprived areas, mean held at 7.5%); emergency caesarean about 20%;
    language recorded for about 90%; about 3% ethnicity not known ("99") and 1% not stated
    ("Z") and 1.5% LSOA missing, all kept.

    References
    ----------
    MBRRACE-UK, Perinatal Mortality Surveillance: UK Perinatal Deaths of Babies Born in 2023.
    ONS, Births in England and Wales: 2023.
    """
    from edi_analysis.census import CENSUS_19_TO_NHS_CODE, comparator
    from edi_analysis.deprivation import imd_by_lsoa
    from edi_analysis.geography import icb_lsoas, icb_table

    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale!r}")
    org_obj = _resolve(org)
    lsoas = icb_lsoas(org_obj)
    population = float(icb_table().set_index("icb24_code_nhs").loc[org_obj.nhs_code, "population"])
    imd = imd_by_lsoa("2025").set_index("lsoa_code")["imd_decile"]
    lad_mix: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for lad in lsoas["ltla22_code"].unique():
        table = comparator(lad, "ethnicity_19", "all")
        counts = table.groupby(table["category"].map(CENSUS_19_TO_NHS_CODE))["count"].sum()
        weights = counts * counts.index.map(lambda c: _FERTILITY.get(c, 1.0)).to_numpy()
        lad_mix[lad] = (counts.index.to_numpy(dtype=object), (weights / weights.sum()).to_numpy())

    frames = []
    for year in years:
        # one stream per financial year: a year's births do not depend on which other
        # years are asked for, so overlapping reports publish the same figures
        start = int(str(year)[:4])
        rng = np.random.default_rng([seed, 7, _stable_hash(org_obj.nhs_code), start])
        n = int(rng.poisson(population * BIRTHS_PER_1000_POPULATION / 1000
                            * 0.99 ** (start - _FIRST_BIRTHS_YEAR) * scale))
        pick = rng.choice(
            len(lsoas),
            size=n,
            p=(lsoas["population"] / lsoas["population"].sum()).to_numpy(dtype=float),
        )
        lsoa = lsoas["lsoa21_code"].to_numpy(dtype=object)[pick]
        lad = lsoas["ltla22_code"].to_numpy(dtype=object)[pick]
        eth = np.empty(n, dtype=object)
        for code, (cats, p) in lad_mix.items():
            idx = np.flatnonzero(lad == code)
            eth[idx] = rng.choice(cats, size=len(idx), p=p)
        decile = pd.Series(lsoa).map(imd).to_numpy(dtype=float)
        quintile = np.ceil(decile / 2).astype(int)
        group = _group5(eth)

        base = STILLBIRTH_RATE_ENGLAND / _STILLBIRTH_MEAN_MULTIPLIER_ENGLAND
        p_still = (
            base
            * np.array([STILLBIRTH_RR_ETHNICITY[g] for g in group])
            * np.array([STILLBIRTH_RR_IMD_QUINTILE[q] for q in quintile])
        )
        termination = rng.random(n) < TERMINATION_RATE
        still = (rng.random(n) < p_still) | termination
        rr_pre = np.array([_PRETERM_RR_ETHNICITY[g] for g in group]) * np.array(
            [_PRETERM_RR_IMD[q] for q in quintile]
        )
        preterm = rng.random(n) < PRETERM_RATE * rr_pre / rr_pre.mean()
        gestation = np.where(
            preterm,
            rng.choice(np.arange(24, 37), size=n, p=_norm_weights(np.arange(24, 37) - 20.0)),
            rng.choice(np.arange(37, 43), size=n, p=_norm_weights([5, 15, 30, 30, 17, 3])),
        )
        gestation = np.where(still, rng.integers(24, 42, size=n), gestation)
        gestation = np.where(termination, rng.integers(24, 31, size=n), gestation)
        delivery = np.where(
            still, _choice(rng, _DELIVERY_STILL, n), _choice(rng, _DELIVERY_LIVE, n)
        )
        language = np.array(
            ["English" if c not in _LANGUAGES else None for c in eth],
            dtype=object,
        )
        for code, table in _LANGUAGES.items():
            idx = np.flatnonzero(eth == code)
            language[idx] = _choice(rng, table, len(idx))
        recorded = rng.random(n) < 0.90
        language = np.where(recorded, language, None)

        u = rng.random(n)
        eth = np.where(
            u < 0.03, schemas.ETHNIC_NOT_KNOWN, np.where(u < 0.04, schemas.ETHNIC_NOT_STATED, eth)
        )
        no_lsoa = rng.random(n) < 0.015
        frame = pd.DataFrame(
            {
                "year": year,
                "mother_ethnic_category": eth,
                "lsoa_code": np.where(no_lsoa, None, lsoa),
                "imd_decile": pd.array(np.where(no_lsoa, np.nan, decile), dtype="Int64"),
                "gestation_weeks": pd.array(gestation, dtype="Int64"),
                "outcome": np.where(still, "Stillbirth", "Live birth"),
                "termination": termination,
                "delivery_method": delivery,
                "mother_language": language,
                "language_recorded": recorded,
            }
        )
        frames.append(frame)
    df = pd.concat(frames, ignore_index=True)
    # the same baby keeps its identifier in every extract that includes its year
    number = df.groupby("year").cumcount() + 1
    df.insert(0, "baby_id", [f"{org_obj.nhs_code}-BABY-{str(y)[:4]}{i:06d}"
                             for y, i in zip(df["year"], number, strict=True)])
    for col in ("baby_id", "year", "mother_ethnic_category", "lsoa_code", "outcome",
                "delivery_method", "mother_language"):  # fmt: skip
        df[col] = _as_text(df[col])
    return _label(df, org=org_obj.nhs_code, seed=seed, scale=scale)


def _norm_weights(weights) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


def demo_birth_counts(births: pd.DataFrame | None = None, **kwargs) -> pd.DataFrame:
    """Return SYNTHETIC pre-aggregated maternity counts, from :func:`demo_births`.

    Parameters
    ----------
    births : pandas.DataFrame, optional
        Record-level births (default ``demo_births(**kwargs)``).

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`edi_analysis.schemas.BIRTH_COUNTS_SCHEMA` plus ``data_label``:
        by year, ``group_type`` ("All", "Ethnicity" (Census broad group of the mother's
        code, "Not stated" for Z/99), "IMD quintile" ("1".."5", "Not known")) and measure:
        ``stillbirth`` (per total births excluding terminations), ``preterm`` (live births
        under 37 weeks, per live births with a gestation) and ``emergency_caesarean`` (per
        births with a known delivery method).
    """
    births = demo_births(**kwargs) if births is None else births
    b = births.copy()
    b["All"] = "All"
    b["Ethnicity"] = _group5(b["mother_ethnic_category"].to_numpy())
    b["IMD quintile"] = (
        np.ceil(b["imd_decile"].astype(float) / 2)
        .map(lambda q: "Not known" if pd.isna(q) else str(int(q)))
        .astype(str)
    )
    not_top = ~b["termination"]
    live = (b["outcome"] == "Live birth") & b["gestation_weeks"].notna()
    known_method = b["delivery_method"] != "Not known"
    measures = {
        "stillbirth": (not_top, (b["outcome"] == "Stillbirth") & not_top),
        "preterm": (live, live & (b["gestation_weeks"].astype(float) < 37)),
        "emergency_caesarean": (known_method, b["delivery_method"] == "Emergency caesarean"),
    }
    rows = []
    for group_type in ("All", "Ethnicity", "IMD quintile"):
        for measure, (denominator, event) in measures.items():
            agg = (
                pd.DataFrame(
                    {
                        "year": b["year"],
                        "group": b[group_type],
                        "denominator": denominator.astype(int),
                        "events": (event & denominator).astype(int),
                    }
                )  # fmt: skip
                .groupby(["year", "group"], observed=True)[["events", "denominator"]]
                .sum()
                .reset_index()
            )
            agg["group_type"] = group_type
            agg["measure"] = measure
            rows.append(agg)
    df = pd.concat(rows, ignore_index=True)[
        ["year", "group_type", "group", "measure", "events", "denominator"]
    ]
    df = df.astype({"year": "str", "group_type": "str", "group": "str", "measure": "str",
                    "events": "int64", "denominator": "int64"})  # fmt: skip
    return _label(df, org=births.attrs.get("org"), seed=births.attrs.get("seed"))


# --------------------------------------------------------------------------------------
# Service activity (Talking Therapies) by place and deprivation
# --------------------------------------------------------------------------------------
SERVICE_INDICATORS: dict[str, tuple[float, float]] = {
    "Talking Therapies recovery": (0.455, 0.028),
    "Talking Therapies reliable improvement": (0.640, 0.016),
    "Talking Therapies reliable recovery": (0.420, 0.026),
}
"""SYNTHETIC demo indicators: (share in IMD quintile 1, added per quintile less deprived).
Recovery runs from about 46% in the most deprived quintile to 57% in the least, the pattern
NHS Talking Therapies reports nationally and the LLR seed report shows by place."""


def _place_labels(lsoas: pd.DataFrame) -> pd.Series:
    """Sub-ICB location code with its local authorities, e.g. "04C (Leicester)"."""
    pop = lsoas.groupby(["sicbl24_code_nhs", "ltla22_name"])["population"].sum().reset_index()
    pop = pop.sort_values("population", ascending=False)
    names = {}
    for code, part in pop.groupby("sicbl24_code_nhs", sort=False):
        lads = list(part["ltla22_name"])
        text = ", ".join(lads[:2]) + (f" and {len(lads) - 2} more" if len(lads) > 2 else "")
        names[code] = f"{code} ({text})"
    return lsoas["sicbl24_code_nhs"].map(names)


def demo_service_activity(
    org: str = _LLR,
    periods: tuple[str, ...] | list[str] = ("2024-25", "2025-26"),
    completion_rate: float = 0.009,
    seed: int | None = None,
) -> pd.DataFrame:
    """SYNTHETIC NHS Talking Therapies outcomes by place and IMD quintile (service activity).

    Parameters
    ----------
    org : str, default "QK1"
        An ICB (anything :func:`edi_analysis.geography.resolve_org` accepts).
    periods : sequence of str, default ("2024-25", "2025-26")
    completion_rate : float, default 0.009
        Completed courses of treatment per resident per year (about 1% nationally).
    seed : int, optional
        Random seed; default derived from the ICB code, so runs are reproducible.

    Returns
    -------
    pandas.DataFrame
        The service activity contract (:data:`edi_analysis.schemas.SERVICE_ACTIVITY_SCHEMA`),
        pre-aggregated: one row per period x indicator (:data:`SERVICE_INDICATORS`) x place
        (sub-ICB location, named after its most populous local authorities) x IMD quintile
        (1 = most deprived; blank for referrals with no usable postcode): ``period``,
        ``indicator``, ``measure`` ("proportion"), ``multiplier`` (1), ``place``,
        ``imd_quintile``, ``numerator`` (people who met the indicator), ``denominator``
        (people who completed a course of treatment), ``data_label`` ("SYNTHETIC").

    Notes
    -----
    SYNTHETIC. The places and their IMD 2025 quintile populations are real (Census 2021
    usual residents of the ICB's LSOAs, :func:`edi_analysis.geography.icb_lsoas` and
    :func:`edi_analysis.deprivation.assign_imd_quintile`); the activity is simulated:
    completions in proportion to population, outcomes falling with deprivation as set in
    :data:`SERVICE_INDICATORS` (improving by one point a year). Each indicator's
    numerator is drawn from the same completions, so the denominators agree.
    """
    from edi_analysis import deprivation, geography

    if not 0 < completion_rate < 1:
        raise ValueError(f"completion_rate must be between 0 and 1, got {completion_rate!r}.")
    if not periods:
        raise ValueError("periods must name at least one period.")
    org_obj = geography.resolve_org(org)
    lsoas = geography.icb_lsoas(org_obj)
    lsoas["place"] = _place_labels(lsoas)
    lsoas = deprivation.assign_imd_quintile(lsoas, lsoa_col="lsoa21_code", version="2025")
    pop = lsoas.groupby(["place", "imd_quintile"])["population"].sum().astype(float).reset_index()
    places = pop.groupby("place", sort=True)["population"].sum()
    base_seed = seed if seed is not None else _stable_hash(org_obj.code)
    rows = []
    for period in periods:
        # one stream per period, and the yearly drift counted from a fixed year: a
        # period's figures do not depend on which other periods are asked for
        start = int(str(period)[:4])
        t = start - _FIRST_BIRTHS_YEAR - 1
        rng = np.random.default_rng([base_seed, start])
        cells = [(r["place"], int(r["imd_quintile"]), r["population"]) for _, r in pop.iterrows()]
        cells += [(place, None, total * 0.02) for place, total in places.items()]
        for place, quintile, population in cells:
            completed = int(rng.poisson(population * completion_rate))
            for indicator, (base, step) in SERVICE_INDICATORS.items():
                p = (base + step * 2 if quintile is None else base + step * (quintile - 1))
                met = int(rng.binomial(completed, min(p + 0.01 * t, 0.99)))
                rows.append((period, indicator, place, quintile, met, completed))
    out = pd.DataFrame(
        rows, columns=["period", "indicator", "place", "imd_quintile", "numerator", "denominator"]
    )
    out.insert(2, "measure", "proportion")
    out.insert(3, "multiplier", 1.0)
    out["imd_quintile"] = out["imd_quintile"].astype("Int64")
    out = out.astype({"period": "str", "indicator": "str", "measure": "str", "place": "str",
                      "numerator": "int64", "denominator": "int64"})  # fmt: skip
    return _label(out, org=org_obj.code, seed=seed)


# --------------------------------------------------------------------------------------
# Writing a demo input folder
# --------------------------------------------------------------------------------------
_README = """SYNTHETIC DEMO DATA - NOT REAL
==============================

Every file in this folder was made up by edi_analysis.demo (seed {seed}) for
{org}. No row describes a real person, baby, applicant or survey respondent.
The staff records reproduce the published 2025 workforce profile of NHS Leicester,
Leicestershire and Rutland ICB cluster by cluster (for LLR) or a scaled pattern (other
ICBs); everything else is simulated with approximate national rates. Do not publish
figures from these files as facts about any organisation.

Files (names follow edi_analysis.io.load_org_inputs, prefixed "synthetic_"):
{files}
"""


def _period_start(period: str) -> int:

    m = re.fullmatch(r"(\d{4})-(\d{2})", str(period))
    if m is None or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise ValueError(f"period must be a financial year such as '2025-26', got {period!r}")
    return int(m.group(1))


def demo_survey_nesting() -> pd.DataFrame:
    """Return the SYNTHETIC demo hierarchy: each Directorate's Division.

    Returns
    -------
    pandas.DataFrame
        ``breakdown`` ("Directorate"), ``subgroup``, ``parent_breakdown`` ("Division"),
        ``parent_subgroup``, ``data_label``: the ``survey_nesting`` input
        (:func:`edi_analysis.staff_survey.nesting_table`).
    """
    df = pd.DataFrame({"breakdown": "Directorate", "subgroup": list(_DIVISIONS),
                       "parent_breakdown": "Division",
                       "parent_subgroup": list(_DIVISIONS.values())})
    return _label(df)


def write_demo_inputs(
    org: str = _LLR,
    out_dir: str | os.PathLike = ".",
    seed: int = _DEFAULT_SEED,
    births_scale: float = 1.0,
    period: str = "2025-26",
) -> list[Path]:
    """Write a folder of SYNTHETIC input files that :func:`edi_analysis.io.load_org_inputs` reads.

    Parameters
    ----------
    org : str, default "QK1"
    out_dir : str or path-like
        Folder to write into (created if absent).
    seed : int
    births_scale : float, default 1.0
        Passed to :func:`demo_births` as ``scale``.
    period : str, default "2025-26"
        Reporting financial year "YYYY-YY": staff snapshot 30 September YYYY (previous
        snapshot a year earlier), staff survey years YYYY-2..YYYY, births in the
        report's financial year and the year before. Each survey year and each year of
        disciplinary and capability cases is drawn from that year's staff snapshot, so two
        reports whose years overlap are given the same data for the years they share.

    Returns
    -------
    list of Path
        The files written, README.txt last.

    Notes
    -----
    Files: ``synthetic_staff_records.csv``, ``synthetic_previous_staff_records.csv``
    (a year earlier), ``synthetic_survey_results.csv``, ``synthetic_survey_nesting.csv``
    (Directorate within Division), ``synthetic_births.csv``,
    ``synthetic_birth_counts.csv``, ``synthetic_recruitment.xlsx`` (Excel, to exercise that
    path), ``synthetic_disciplinary.csv`` and ``synthetic_capability.csv`` (the report
    year and the year before), ``synthetic_training.csv``,
    ``synthetic_board.csv``, ``synthetic_service_activity.csv`` (Talking Therapies outcomes
    by place and IMD quintile) and ``README.txt`` saying the data are synthetic.
    """
    start = _period_start(period)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    code = _resolve(org).nhs_code
    staff = demo_staff_records(code, snapshot=f"{start}-09-30", seed=seed)
    births_years = (f"{start - 1}-{start % 100:02d}", f"{start}-{(start + 1) % 100:02d}")
    births = demo_births(code, years=births_years, seed=seed, scale=births_scale)

    def staff_in(year: int) -> pd.DataFrame:
        return demo_staff_records(code, snapshot=f"{year}-09-30", seed=seed)

    def by_year(make, years) -> pd.DataFrame:
        # each year drawn from that year's snapshot, so a year's figures are the same in
        # every report that publishes it (this one, and next year's)
        parts = [make(years=(y,), staff=staff_in(int(str(y)[:4]))) for y in years]
        return _label(pd.concat(parts, ignore_index=True), **parts[-1].attrs)

    frames = {
        "staff_records": staff,
        "previous_staff_records": staff_in(start - 1),
        "survey_results": by_year(partial(demo_survey_results, code, seed=seed),
                                  (start - 2, start - 1, start)),
        "survey_nesting": demo_survey_nesting(),
        "births": births,
        "birth_counts": demo_birth_counts(births),
        "recruitment": demo_recruitment(code, seed=seed, staff=staff),
        "disciplinary": by_year(partial(demo_disciplinary, code, seed=seed), births_years),
        "capability": by_year(partial(demo_capability, code, seed=seed), births_years),
        "training": demo_training(code, seed=seed, staff=staff),
        "board": demo_board(code, seed=seed),
        "service_activity": demo_service_activity(code, periods=births_years),
    }
    written: dict[str, Path] = {}
    for stem, frame in frames.items():
        if stem == "recruitment":
            path = out / f"synthetic_{stem}.xlsx"
            frame.to_excel(path, index=False, sheet_name="SYNTHETIC recruitment")
        else:
            path = out / f"synthetic_{stem}.csv"
            frame.to_csv(path, index=False)
        written[stem] = path
    readme = out / "README.txt"
    listing = "\n".join(f"  {p.name}" for p in written.values())
    readme.write_text(_README.format(seed=seed, org=code, files=listing), encoding="utf-8")
    return [*written.values(), readme]
