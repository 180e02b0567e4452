"""Gender pay gap: the six statutory measures for public authorities, peers and other gaps.

The measures follow the Equality Act 2010 (Specific Duties and Public Authorities)
Regulations 2017, Schedule 1 (snapshot date 31 March) and the Government Equalities
Office statutory guidance. The same arithmetic is offered for other binary comparisons
(White vs BME staff, non-disabled vs disabled staff), which are not statutory but are
computed the same way so that they can be read side by side.

All gaps are percentages 0-100 (columns ``*_pct``) of the reference group's pay:
positive means the reference group (men) is paid more.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from edi_analysis.errors import InputError
from edi_analysis.paths import raw_data_dir

__all__ = [
    "QUARTER_LABELS",
    "PEER_FILE",
    "pay_gap",
    "quarter_sizes",
    "not_ranked_bounds",
    "pay_quarters",
    "pay_quarter_of",
    "bonus_measures",
    "gender_pay_gap",
    "gap_change",
    "load_peer_returns",
    "peer_comparison",
    "peer_returns_for",
    "pay_gap_by_group",
    "GenderPayGapSection",
    "gap_sentences",
]

QUARTER_LABELS: list[str] = ["Lower", "Lower middle", "Upper middle", "Upper"]

#: Path of the NHS bodies' returns, relative to :func:`edi_analysis.paths.raw_data_dir`.
PEER_FILE = Path("gender_pay_gap") / "gpg_nhs_bodies_2019_2024.csv"

_SOURCE = "<staff records>"


def _require(frame: pd.DataFrame, columns: list[str], file: str = _SOURCE) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError.single(
            file, f"columns {', '.join(missing)} (needed for the gender pay gap)",
            column=missing[0],
        )


def _full_pay(staff: pd.DataFrame) -> pd.Series:
    if "full_pay_relevant" in staff.columns:
        return staff["full_pay_relevant"].fillna(True).astype(bool)
    return pd.Series(True, index=staff.index)


def pay_gap(
    reference: pd.Series | np.ndarray,
    comparison: pd.Series | np.ndarray,
    statistic: str = "mean",
) -> float:
    """Return the pay gap of ``comparison`` relative to ``reference``, in percent.

    Parameters
    ----------
    reference, comparison : array-like of float
        Hourly (or bonus) pay of the reference group (men) and the comparison group
        (women). Missing values are ignored.
    statistic : {"mean", "median"}
        Average used.

    Returns
    -------
    float
        ``(A - B) / A * 100`` where A and B are the averages of the reference and
        comparison groups; NaN when either group is empty or A is 0.

    Raises
    ------
    ValueError
        If ``statistic`` is not "mean" or "median".

    Notes
    -----
    Schedule 1, paragraphs 8-11 of the 2017 Regulations: the difference between the mean
    (median) of men's and women's pay, expressed as a percentage of men's mean (median).
    The median of an even number of values is the mean of the two middle values (GEO
    guidance).

    References
    ----------
    .. [1] The Equality Act 2010 (Specific Duties and Public Authorities) Regulations 2017,
       SI 2017/353, Schedule 1. https://www.legislation.gov.uk/uksi/2017/353/schedule/1
    """
    if statistic not in ("mean", "median"):
        raise ValueError(f"statistic must be 'mean' or 'median', not {statistic!r}.")
    a = pd.Series(reference, dtype=float).dropna()
    b = pd.Series(comparison, dtype=float).dropna()
    if a.empty or b.empty:
        return float("nan")
    avg_a = a.mean() if statistic == "mean" else a.median()
    avg_b = b.mean() if statistic == "mean" else b.median()
    if avg_a == 0:
        return float("nan")
    return float((avg_a - avg_b) / avg_a * 100.0)


def quarter_sizes(n: int) -> list[int]:
    """Return the sizes of the lower, lower middle, upper middle and upper pay quarters.

    Parameters
    ----------
    n : int
        Number of full-pay relevant employees (>= 0).

    Returns
    -------
    list of int
        Four sizes summing to ``n``.

    Raises
    ------
    ValueError
        If ``n`` is negative.

    Notes
    -----
    The Regulations (Schedule 1 paragraph 13, Step 2) divide the ranked employees into
    four sections "each comprising (so far as possible) an equal number of employees".
    The GEO guidance "Making your calculations" says how to place the remainder when
    ``n`` is not divisible by 4: one left over goes to the lower quarter; two go to the
    lower and upper middle quarters; three go to the lower, lower middle and upper middle
    quarters.

    References
    ----------
    .. [1] SI 2017/353, Schedule 1, paragraph 13.
    .. [2] Government Equalities Office, "Gender pay gap reporting: make your
       calculations" (statutory guidance, GOV.UK).
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, not {n}.")
    q, r = divmod(int(n), 4)
    return [q + (r >= 1), q + (r >= 3), q + (r >= 2), q]


def not_ranked_bounds(
    male_pct: Sequence[float],
    female_pct: Sequence[float],
    decimals: int,
    headcount: int,
    men: int,
    women: int,
) -> dict[str, tuple[int, int]] | None:
    """What a reader can infer of the staff NOT ranked in the pay quarters.

    The ranked staff are the full-pay relevant employees with an hourly rate; the rest
    (on reduced or nil pay: sickness, maternity leave) are a small, sensitive group.
    Their number is published nowhere, but a reader who knows the statutory rule that
    sizes the quarters (:func:`quarter_sizes`), the published percentages of men and
    women in each quarter (to ``decimals`` places) and the published headcount of men
    and women can try every number of ranked staff and keep those that fit.

    Parameters
    ----------
    male_pct, female_pct : sequence of float
        Published percentages of men and of women in the lower, lower middle, upper
        middle and upper quarters (NaN where not published).
    decimals : int
        Decimal places they are published to (each is within half a unit of the truth).
    headcount, men, women : int
        Published headcount of all staff, of men and of women.

    Returns
    -------
    dict or None
        ``"all"``, ``"Male"``, ``"Female"`` -> the least and greatest number of staff
        not ranked a reader cannot rule out; None when no number of ranked staff fits
        (the figures are inconsistent).

    Notes
    -----
    Method: for each number ``N`` of ranked staff the quarter sizes are fixed; the men
    in a quarter of size ``n`` lie in a contiguous range (both percentages within half
    a unit), so their sum over the quarters does too, and with the headcount of men and
    women it bounds the men and women not ranked. The result is the union over every
    ``N`` that fits. This is the reader of the pay quarters; the general disclosure
    model cannot state "equal quarters" as a sum of cells, so the workforce chapter
    checks these bounds before choosing how precisely to publish the percentages.

    References
    ----------
    .. [1] SI 2017/353, Schedule 1, paragraph 13 (pay quarters).
    """
    h = 0.5 * 10.0 ** (-int(decimals)) + 1e-9
    pm = np.asarray(male_pct, dtype=float)
    pf = np.asarray(female_pct, dtype=float)
    lows: dict[str, int] = {}
    highs: dict[str, int] = {}
    for ranked in range(0, int(headcount) + 1):
        lo_sum = hi_sum = 0
        for i, n in enumerate(quarter_sizes(ranked)):
            lo, hi = 0, n
            if n == 0:
                if not (np.isnan(pm[i]) and np.isnan(pf[i])):
                    lo, hi = 1, 0  # an empty quarter publishes no percentage
            else:
                if not np.isnan(pm[i]):
                    lo = max(lo, math.ceil((pm[i] - h) * n / 100.0))
                    hi = min(hi, math.floor((pm[i] + h) * n / 100.0))
                if not np.isnan(pf[i]):
                    lo = max(lo, n - math.floor((pf[i] + h) * n / 100.0))
                    hi = min(hi, n - math.ceil((pf[i] - h) * n / 100.0))
            if lo > hi:
                break
            lo_sum, hi_sum = lo_sum + lo, hi_sum + hi
        else:
            # men ranked: within the quarters' range, no more than all men, and the
            # women ranked (ranked - men ranked) no more than all women
            lo_m, hi_m = max(lo_sum, ranked - int(women)), min(hi_sum, int(men))
            if lo_m > hi_m:
                continue
            for name, a, b in (("all", headcount - ranked, headcount - ranked),
                               ("Male", men - hi_m, men - lo_m),
                               ("Female", women - ranked + lo_m, women - ranked + hi_m)):
                lows[name] = min(lows.get(name, a), a)
                highs[name] = max(highs.get(name, b), b)
    if not lows:
        return None
    return {k: (int(lows[k]), int(highs[k])) for k in ("all", "Male", "Female")}


def _largest_remainder(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (integers, largest remainder)."""
    w = np.asarray(weights, dtype=float)
    if total == 0 or w.sum() == 0:
        return [0] * len(weights)
    exact = total * w / w.sum()
    base = np.floor(exact).astype(int)
    short = total - int(base.sum())
    order = np.argsort(-(exact - base), kind="stable")
    base[order[:short]] += 1
    return base.tolist()


def pay_quarters(
    staff: pd.DataFrame,
    pay_col: str = "hourly_pay",
    sex_col: str = "sex",
    reference: str = "Male",
    comparison: str = "Female",
) -> pd.DataFrame:
    """Return the number and percentage of men and women in each hourly pay quarter.

    Parameters
    ----------
    staff : pandas.DataFrame
        One row per employee with ``pay_col``, ``sex_col`` and optionally
        ``full_pay_relevant`` (default True). Only full-pay relevant employees with a
        non-missing hourly rate and a sex of ``reference`` or ``comparison`` are ranked.
    pay_col, sex_col : str
        Column names.
    reference, comparison : str
        The two values of ``sex_col`` compared.

    Returns
    -------
    pandas.DataFrame
        One row per quarter (``quarter`` in :data:`QUARTER_LABELS` order) with
        ``n``, ``male_n``, ``female_n``, ``male_pct``, ``female_pct`` (0-100),
        ``min_hourly_pay`` and ``max_hourly_pay``.

    Raises
    ------
    InputError
        If a needed column is missing.

    Notes
    -----
    Schedule 1 paragraph 13: rank full-pay relevant employees by hourly rate of pay
    (Step 1), divide them into four equal sections (Step 2, remainder placed as in
    :func:`quarter_sizes`) and express men and women as a percentage of each section.
    Paragraph 13(2): where employees on the same hourly rate fall in more than one
    quarter, the ranking must, so far as possible, give the same relative proportion of
    men and women on that rate in each of those quarters. Here the men of such a tie
    group are shared between the quarters it spans in proportion to the places it has
    in each (largest-remainder rounding); women fill the remaining places.

    References
    ----------
    .. [1] SI 2017/353, Schedule 1, paragraph 13.
    .. [2] Government Equalities Office, "Gender pay gap reporting: make your
       calculations" (statutory guidance, GOV.UK).
    """
    _require(staff, [pay_col, sex_col])
    keep = (
        _full_pay(staff)
        & staff[pay_col].notna()
        & staff[sex_col].isin([reference, comparison])
    )
    ranked = staff.loc[keep, [pay_col, sex_col]].sort_values(pay_col, kind="stable")
    sizes = quarter_sizes(len(ranked))
    bounds = np.cumsum([0, *sizes])
    male = np.zeros(4, dtype=int)
    female = np.zeros(4, dtype=int)
    lo = np.full(4, np.nan)
    hi = np.full(4, np.nan)
    start = 0
    for rate, group in ranked.groupby(pay_col, sort=True):
        n_g = len(group)
        end = start + n_g
        places = [max(0, min(end, bounds[j + 1]) - max(start, bounds[j])) for j in range(4)]
        n_male = int((group[sex_col] == reference).sum())
        men = _largest_remainder(n_male, places)
        for j in range(4):
            if places[j]:
                male[j] += men[j]
                female[j] += places[j] - men[j]
                lo[j] = rate if np.isnan(lo[j]) else min(lo[j], rate)
                hi[j] = rate if np.isnan(hi[j]) else max(hi[j], rate)
        start = end
    n = np.asarray(sizes)
    with np.errstate(invalid="ignore", divide="ignore"):
        male_pct = np.where(n > 0, male / np.where(n > 0, n, 1) * 100.0, np.nan)
        female_pct = np.where(n > 0, female / np.where(n > 0, n, 1) * 100.0, np.nan)
    return pd.DataFrame(
        {
            "quarter": QUARTER_LABELS,
            "n": n,
            "male_n": male,
            "female_n": female,
            "male_pct": male_pct,
            "female_pct": female_pct,
            "min_hourly_pay": lo,
            "max_hourly_pay": hi,
        }
    )


def pay_quarter_of(
    staff: pd.DataFrame,
    pay_col: str = "hourly_pay",
    sex_col: str = "sex",
    reference: str = "Male",
    comparison: str = "Female",
    not_ranked: str = "Not ranked",
) -> pd.Series:
    """Each employee's hourly pay quarter, as :func:`pay_quarters` counts them.

    Parameters
    ----------
    staff : pandas.DataFrame
        As for :func:`pay_quarters`.
    pay_col, sex_col, reference, comparison : str
        As for :func:`pay_quarters`.
    not_ranked : str
        Label of employees who are not ranked (not full-pay relevant, no hourly rate,
        or a sex other than the two compared).

    Returns
    -------
    pandas.Series of str
        One of :data:`QUARTER_LABELS` or ``not_ranked``, same index as ``staff``. Within
        a group of employees on the same rate that spans two quarters, men and women
        are placed so that each quarter holds the numbers of each sex that
        :func:`pay_quarters` reports (paragraph 13(2) of Schedule 1); which of them is
        placed where does not change any published count.
    """
    _require(staff, [pay_col, sex_col])
    out = pd.Series(not_ranked, index=staff.index, dtype=object)
    keep = (_full_pay(staff) & staff[pay_col].notna()
            & staff[sex_col].isin([reference, comparison]))
    ranked = staff.loc[keep, [pay_col, sex_col]].sort_values(pay_col, kind="stable")
    bounds = np.cumsum([0, *quarter_sizes(len(ranked))])
    start = 0
    for _, group in ranked.groupby(pay_col, sort=True):
        end = start + len(group)
        places = [max(0, min(end, bounds[j + 1]) - max(start, bounds[j])) for j in range(4)]
        is_man = (group[sex_col] == reference).to_numpy()
        men = _largest_remainder(int(is_man.sum()), places)
        men_idx = list(group.index[is_man])
        women_idx = list(group.index[~is_man])
        for j in range(4):
            for _ in range(men[j]):
                out.at[men_idx.pop(0)] = QUARTER_LABELS[j]
            for _ in range(places[j] - men[j]):
                out.at[women_idx.pop(0)] = QUARTER_LABELS[j]
        start = end
    return out


def bonus_measures(
    staff: pd.DataFrame,
    bonus_col: str = "bonus_pay",
    sex_col: str = "sex",
    reference: str = "Male",
    comparison: str = "Female",
) -> dict[str, float]:
    """Return the mean and median bonus gaps and the proportions paid a bonus.

    Parameters
    ----------
    staff : pandas.DataFrame
        One row per relevant employee (all employees on the snapshot date, including
        those not on full pay) with ``bonus_col`` (bonus paid in the 12 months to the
        snapshot date; 0 or missing if none) and ``sex_col``.
    bonus_col, sex_col, reference, comparison : str
        Column names and the two compared values.

    Returns
    -------
    dict
        ``mean_bonus_gap_pct``, ``median_bonus_gap_pct`` (percent of men's bonus; NaN
        when either sex had no bonus), ``male_bonus_pct``, ``female_bonus_pct``
        (0-100), and the counts ``male_n``, ``female_n``, ``male_bonus_n``,
        ``female_bonus_n``.

    Notes
    -----
    Schedule 1 paragraphs 10-11: the mean (median) bonus pay of men and of women who
    were paid bonus pay in the 12 months ending with the snapshot date; the gap is the
    difference as a percentage of men's. Paragraph 12: the proportion of male (female)
    relevant employees who were paid bonus pay, as a percentage of all male (female)
    relevant employees.

    References
    ----------
    .. [1] SI 2017/353, Schedule 1, paragraphs 10-12.
    """
    _require(staff, [bonus_col, sex_col])
    bonus = staff[bonus_col].fillna(0).astype(float)
    paid = bonus > 0
    men = staff[sex_col] == reference
    women = staff[sex_col] == comparison
    out = {
        "mean_bonus_gap_pct": pay_gap(bonus[men & paid], bonus[women & paid], "mean"),
        "median_bonus_gap_pct": pay_gap(bonus[men & paid], bonus[women & paid], "median"),
        "male_n": int(men.sum()),
        "female_n": int(women.sum()),
        "male_bonus_n": int((men & paid).sum()),
        "female_bonus_n": int((women & paid).sum()),
    }
    out["male_bonus_pct"] = (
        out["male_bonus_n"] / out["male_n"] * 100.0 if out["male_n"] else float("nan")
    )
    out["female_bonus_pct"] = (
        out["female_bonus_n"] / out["female_n"] * 100.0 if out["female_n"] else float("nan")
    )
    return out


def gender_pay_gap(
    staff: pd.DataFrame,
    pay_col: str = "hourly_pay",
    bonus_col: str = "bonus_pay",
    sex_col: str = "sex",
) -> pd.DataFrame:
    """Return the headline statutory gender pay gap measures (one row per measure).

    Parameters
    ----------
    staff : pandas.DataFrame
        Staff records with ``hourly_pay``, ``sex``, optionally ``bonus_pay`` and
        ``full_pay_relevant``.
    pay_col, bonus_col, sex_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Columns ``measure``, ``value_pct`` (percent), ``male_n``, ``female_n`` (the
        employees each measure is based on: full-pay relevant employees for hourly pay,
        bonus recipients for the bonus gaps and for the proportions paid a bonus, whose
        disclosure depends on how many were paid one). Measures: "Mean hourly pay gap",
        "Median hourly pay gap", "Mean bonus gap", "Median bonus gap",
        "Men paid a bonus", "Women paid a bonus". The quarter measure is
        :func:`pay_quarters`.

    Raises
    ------
    InputError
        If ``hourly_pay`` or ``sex`` is missing.

    Notes
    -----
    Hourly pay gaps use full-pay relevant employees only (Schedule 1 paragraphs 8-9);
    bonus measures use all relevant employees (paragraphs 10-12). If the extract has no
    ``bonus_pay`` column the bonus rows are NaN.

    References
    ----------
    .. [1] SI 2017/353, Schedule 1, paragraph 2(1)(a)-(f).
    .. [2] Acas and Government Equalities Office, "Managing gender pay reporting" (2019).
    """
    _require(staff, [pay_col, sex_col])
    full = staff[_full_pay(staff) & staff[pay_col].notna()]
    men = full.loc[full[sex_col] == "Male", pay_col]
    women = full.loc[full[sex_col] == "Female", pay_col]
    rows = [
        ("Mean hourly pay gap", pay_gap(men, women, "mean"), len(men), len(women)),
        ("Median hourly pay gap", pay_gap(men, women, "median"), len(men), len(women)),
    ]
    if bonus_col in staff.columns:
        b = bonus_measures(staff, bonus_col, sex_col)
        rows += [
            ("Mean bonus gap", b["mean_bonus_gap_pct"], b["male_bonus_n"], b["female_bonus_n"]),
            ("Median bonus gap", b["median_bonus_gap_pct"], b["male_bonus_n"],
             b["female_bonus_n"]),
            ("Men paid a bonus", b["male_bonus_pct"], b["male_bonus_n"], b["female_bonus_n"]),
            ("Women paid a bonus", b["female_bonus_pct"], b["male_bonus_n"],
             b["female_bonus_n"]),
        ]
    else:
        nan = float("nan")
        rows += [(m, nan, 0, 0) for m in ("Mean bonus gap", "Median bonus gap",
                                          "Men paid a bonus", "Women paid a bonus")]
    return pd.DataFrame(rows, columns=["measure", "value_pct", "male_n", "female_n"])


def gap_change(current: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """Return ``current`` measures with the previous value and the change in points.

    Parameters
    ----------
    current, previous : pandas.DataFrame
        Outputs of :func:`gender_pay_gap` for this year and the year before (``previous``
        may be None).

    Returns
    -------
    pandas.DataFrame
        ``current`` plus ``previous_pct`` and ``change_pts`` (current minus previous, in
        percentage points; negative means the gap narrowed when the gap is positive).
    """
    out = current.copy()
    if previous is None:
        out["previous_pct"] = np.nan
    else:
        prev = previous.set_index("measure")["value_pct"]
        out["previous_pct"] = out["measure"].map(prev).astype(float)
    out["change_pts"] = out["value_pct"] - out["previous_pct"]
    return out


def _employer_type(name: str) -> str:
    low = name.lower()
    if "integrated care board" in low:
        return "ICB"
    if "clinical commissioning group" in low or " ccg" in low:
        return "CCG"
    if "ambulance" in low:
        return "Ambulance trust"
    if "trust" in low:
        return "Trust"
    return "Other NHS body"


def load_peer_returns(path: str | Path | None = None) -> pd.DataFrame:
    """Return NHS bodies' gender pay gap returns to the government service.

    Parameters
    ----------
    path : str or Path, optional
        CSV in the gender pay gap service's download format with ``reporting_year``
        added; default ``raw_data_dir() / PEER_FILE``.

    Returns
    -------
    pandas.DataFrame
        Columns ``reporting_year`` (e.g. "2022-23"), ``snapshot_year`` (int, the year of
        the 31 March snapshot), ``file_complete``, ``employer``, ``employer_type``
        ("ICB", "CCG", "Trust", "Ambulance trust", "Other NHS body"),
        ``mean_hourly_gap_pct``, ``median_hourly_gap_pct``, ``female_upper_quarter_pct``.

    Raises
    ------
    InputError
        If the file is missing or lacks the expected columns.

    Notes
    -----
    In the service's files a reporting year "2022_23" holds public-sector returns for
    the snapshot of 31 March 2022. Names are free text; the employer type is inferred
    from the name.

    References
    ----------
    .. [1] Government Equalities Office, gender pay gap service data downloads
       (https://gender-pay-gap.service.gov.uk/), Open Government Licence v3.0.
    """
    file = Path(path) if path is not None else raw_data_dir() / PEER_FILE
    if not file.exists():
        raise InputError.single(str(file), "the gender pay gap returns of NHS bodies")
    raw = pd.read_csv(file)
    need = ["reporting_year", "EmployerName", "DiffMeanHourlyPercent",
            "DiffMedianHourlyPercent", "FemaleTopQuartile"]
    _require(raw, need, str(file))
    year = raw["reporting_year"].astype(str)
    out = pd.DataFrame(
        {
            "reporting_year": year.str.replace("_", "-", regex=False),
            "snapshot_year": year.str.slice(0, 4).astype(int),
            "file_complete": raw.get("file_complete", True),
            "employer": raw["EmployerName"].astype(str).str.strip(),
            "mean_hourly_gap_pct": pd.to_numeric(raw["DiffMeanHourlyPercent"],
                                                 errors="coerce"),
            "median_hourly_gap_pct": pd.to_numeric(raw["DiffMedianHourlyPercent"],
                                                   errors="coerce"),
            "female_upper_quarter_pct": pd.to_numeric(raw["FemaleTopQuartile"],
                                                      errors="coerce"),
        }
    )
    out["employer_type"] = out["employer"].map(_employer_type)
    return out


def peer_comparison(
    gaps: pd.DataFrame | Mapping[str, float],
    reporting_year: str,
    peers: pd.DataFrame | None = None,
    employer_types: tuple[str, ...] = ("ICB", "CCG", "Trust", "Ambulance trust"),
) -> pd.DataFrame:
    """Place the organisation's hourly pay gaps among NHS bodies' published returns.

    Parameters
    ----------
    gaps : DataFrame or mapping
        Output of :func:`gender_pay_gap` or a mapping with "Mean hourly pay gap" and
        "Median hourly pay gap" (percent).
    reporting_year : str
        GEO reporting year such as "2022-23" (snapshot 31 March 2022). If that year has
        no complete file, the latest complete year before it is used; the row's
        ``peer_year`` says which.
    peers : pandas.DataFrame, optional
        Output of :func:`load_peer_returns` (loaded when None).
    employer_types : tuple of str
        Peer types kept.

    Returns
    -------
    pandas.DataFrame
        One row per measure ("Mean hourly pay gap", "Median hourly pay gap") x peer group
        ("All NHS bodies" and each type present) with ``org_pct``, ``peer_year``,
        ``peer_bodies``, ``peer_median_pct``, ``peer_q1_pct``, ``peer_q3_pct`` and
        ``percentile`` (0-100: share of peers whose gap is smaller than the
        organisation's, ties counted half).

    Raises
    ------
    ValueError
        If ``reporting_year`` is not like "2022-23" or no peer year is available.
    """
    if isinstance(gaps, pd.DataFrame):
        org = gaps.set_index("measure")["value_pct"].to_dict()
    else:
        org = dict(gaps)
    pool = peer_returns_for(reporting_year, peers, employer_types)
    peer_year = str(pool["reporting_year"].iloc[0])
    rows = []
    measures = {"Mean hourly pay gap": "mean_hourly_gap_pct",
                "Median hourly pay gap": "median_hourly_gap_pct"}
    groups = [("All NHS bodies", pool)] + [
        (t, pool[pool["employer_type"] == t]) for t in employer_types
        if (pool["employer_type"] == t).any()
    ]
    for measure, col in measures.items():
        value = float(org.get(measure, np.nan))
        for label, frame in groups:
            x = frame[col].dropna().to_numpy(dtype=float)
            if len(x) and not np.isnan(value):
                pct = ((x < value).sum() + 0.5 * (x == value).sum()) / len(x) * 100.0
            else:
                pct = np.nan
            rows.append(
                {
                    "measure": measure,
                    "peer_group": label,
                    "org_pct": value,
                    "peer_year": peer_year,
                    "peer_bodies": int(len(x)),
                    "peer_median_pct": float(np.median(x)) if len(x) else np.nan,
                    "peer_q1_pct": float(np.quantile(x, 0.25)) if len(x) else np.nan,
                    "peer_q3_pct": float(np.quantile(x, 0.75)) if len(x) else np.nan,
                    "percentile": pct,
                }
            )
    return pd.DataFrame(rows)


def peer_returns_for(
    reporting_year: str,
    peers: pd.DataFrame | None = None,
    employer_types: tuple[str, ...] = ("ICB", "CCG", "Trust", "Ambulance trust"),
) -> pd.DataFrame:
    """Return the NHS bodies' returns used as peers for a reporting year.

    Parameters
    ----------
    reporting_year : str
        GEO reporting year such as "2022-23" (snapshot 31 March 2022). If that year has
        no complete file, the latest complete year before it is used (see the
        ``reporting_year`` column of the result).
    peers : pandas.DataFrame, optional
        Output of :func:`load_peer_returns` (loaded when None).
    employer_types : tuple of str
        Peer types kept.

    Returns
    -------
    pandas.DataFrame
        Rows of :func:`load_peer_returns` for one complete reporting year.

    Raises
    ------
    ValueError
        If ``reporting_year`` is not like "2022-23" or no complete year is available.
    """
    try:
        start = int(str(reporting_year)[:4])
    except ValueError as exc:
        raise ValueError(f"reporting_year must look like '2022-23', not {reporting_year!r}.") \
            from exc
    if peers is None:
        peers = load_peer_returns()
    complete = peers[peers["file_complete"].astype(bool)] if "file_complete" in peers else peers
    complete = complete[complete["employer_type"].isin(employer_types)]
    years = sorted(y for y in complete["snapshot_year"].unique() if y <= start)
    if not years:
        raise ValueError(f"No complete peer returns for {reporting_year} or earlier.")
    return complete[complete["snapshot_year"] == years[-1]].reset_index(drop=True)


def pay_gap_by_group(
    staff: pd.DataFrame,
    group: pd.Series,
    reference: str,
    comparison: str,
    pay_col: str = "hourly_pay",
) -> pd.DataFrame:
    """Return mean and median hourly pay gaps between two groups of full-pay staff.

    Parameters
    ----------
    staff : pandas.DataFrame
        Staff records with ``pay_col`` and optionally ``full_pay_relevant``.
    group : pandas.Series
        Group label per row of ``staff`` (same index), e.g. "White" / "BME" /
        "Not stated"; rows in neither ``reference`` nor ``comparison`` are left out.
    reference, comparison : str
        The groups compared; the gap is a percentage of the reference group's pay.
    pay_col : str
        Hourly pay column.

    Returns
    -------
    pandas.DataFrame
        Rows "Mean hourly pay gap" and "Median hourly pay gap" with ``value_pct``,
        ``reference``, ``comparison``, ``reference_n`` and ``comparison_n``.

    Notes
    -----
    Ethnicity and disability pay gaps are not statutory. This uses the gender pay gap
    method (Schedule 1 paragraphs 8-9) with the groups in place of men and women, as in
    the Department for Business and Trade's 2023 guidance "Ethnicity pay reporting:
    guidance for employers", which also advises excluding "not stated" from both groups.

    References
    ----------
    .. [1] Department for Business and Trade, "Ethnicity pay reporting: guidance for
       employers" (April 2023), GOV.UK.
    """
    _require(staff, [pay_col])
    if not group.index.equals(staff.index):
        raise ValueError("group must have the same index as staff.")
    full = _full_pay(staff) & staff[pay_col].notna()
    a = staff.loc[full & (group == reference), pay_col]
    b = staff.loc[full & (group == comparison), pay_col]
    return pd.DataFrame(
        {
            "measure": ["Mean hourly pay gap", "Median hourly pay gap"],
            "value_pct": [pay_gap(a, b, "mean"), pay_gap(a, b, "median")],
            "reference": reference,
            "comparison": comparison,
            "reference_n": len(a),
            "comparison_n": len(b),
        }
    )


@dataclass
class GenderPayGapSection:
    """The published gender pay gap tables of the workforce chapter.

    Built by :func:`edi_analysis.workforce_publication.build_chapter`: the statutory
    measures are published as percentages only (no counts of full-pay-relevant staff,
    which with the headcount would give away staff on reduced or nil pay).

    Attributes
    ----------
    measures : pandas.DataFrame
        Published :func:`gap_change` rows (statutory measures and change; ``value_pct``
        NaN where hidden, ``suppressed``, ``symbol``; no counts).
    quarters : pandas.DataFrame
        Published pay quarters: ``quarter``, ``female_pct``, ``male_pct`` (0-100 of the
        quarter) and their ``female_symbol``, ``male_symbol`` (no counts).
    peers : pandas.DataFrame or None
        :func:`peer_comparison` (None if no peer year is available).
    peer_returns : pandas.DataFrame or None
        The peers' returns (:func:`peer_returns_for`).
    groups : pandas.DataFrame
        Published ethnicity (White vs BME) and disability (non-disabled vs disabled)
        hourly pay gaps.
    reporting_year : str
        The organisation's reporting year.
    """

    measures: pd.DataFrame
    quarters: pd.DataFrame
    peers: pd.DataFrame | None
    peer_returns: pd.DataFrame | None
    groups: pd.DataFrame
    reporting_year: str

    @property
    def median_gap(self) -> float:
        """The published median hourly pay gap (NaN if hidden)."""
        m = self.measures.set_index("measure")["value_pct"]
        return float(m.get("Median hourly pay gap", np.nan))

    @property
    def peer_year(self) -> str:
        """The peers' reporting year ("" when there are no peers)."""
        return "" if self.peers is None else str(self.peers["peer_year"].iloc[0])


def gap_sentences(section: GenderPayGapSection) -> list[str]:
    """Neutral sentences on the published gender pay gap figures.

    Parameters
    ----------
    section : GenderPayGapSection

    Returns
    -------
    list of str
        Mean and median gaps (and change), the upper quarter's share of women, and the
        position among peers. Hidden figures are never quoted.
    """
    out = []
    m = section.measures.set_index("measure")
    for name in ("Mean hourly pay gap", "Median hourly pay gap"):
        v = m.at[name, "value_pct"]
        if pd.isna(v):
            continue
        who = "men" if v > 0 else "women"
        text = (f"The {name.lower()} is {v:.1f}%: on this measure {who} are paid more per "
                f"hour on average" if v != 0 else f"The {name.lower()} is 0.0%")
        prev = m.at[name, "previous_pct"] if "previous_pct" in m.columns else np.nan
        if not pd.isna(prev):
            text += f" (previous year {prev:.1f}%)"
        out.append(text + ".")
    q = section.quarters.set_index("quarter")
    if not pd.isna(q.at["Upper", "female_pct"]) and not pd.isna(q.at["Lower", "female_pct"]):
        out.append(f"Women make up {q.at['Upper', 'female_pct']:.1f}% of the upper hourly pay "
                   f"quarter and {q.at['Lower', 'female_pct']:.1f}% of the lower quarter.")
    if section.peers is not None:
        p = section.peers[(section.peers["measure"] == "Median hourly pay gap")
                          & (section.peers["peer_group"] == "All NHS bodies")]
        if len(p) and not pd.isna(p["percentile"].iloc[0]):
            r = p.iloc[0]
            out.append(f"Among {int(r['peer_bodies'])} NHS bodies reporting for {r['peer_year']}, "
                       f"the median gap was {r['peer_median_pct']:.1f}%; "
                       f"{r['percentile']:.0f}% of them reported a smaller median gap than "
                       "this organisation's.")
    return out
