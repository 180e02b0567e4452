"""Public-health indicator statistics: proportions, rates, ratios and inequality indices.

Every indicator function is vectorised (scalars, lists, NumPy arrays or pandas Series,
broadcast together) and returns a tidy :class:`pandas.DataFrame` with, at least, the
shared output shape of ``docs/DESIGN.md``::

    numerator, denominator, value, lower, upper, confidence, method

Comparison functions (two groups ``a`` and ``b``) return ``numerator_a``,
``denominator_a``, ``numerator_b``, ``denominator_b`` instead of ``numerator`` and
``denominator``, plus ``value_a`` and ``value_b``. Values are unrounded; rounding
happens at display time. When the first count argument is a Series, its index is kept.

Conventions
-----------
* A zero denominator gives NaN value and interval, never an error (a group with no
  members has no rate).
* Negative counts, non-finite counts, or a numerator above its denominator (for
  proportions) raise :class:`ValueError` naming the first offending position.
* ``confidence`` is a two-sided level strictly between 0 and 1 (0.95 or 0.998 are the
  levels Fingertips uses).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

__all__ = [
    "EXACT_BELOW",
    "WRES_NON_ADVERSE_RANGE",
    "byar_interval",
    "confidence_label",
    "exact_poisson_interval",
    "proportion_ci",
    "proportion_difference",
    "rate_ci",
    "rate_ratio",
    "relative_index_of_inequality",
    "relative_likelihood",
    "slope_index_of_inequality",
    "two_proportion_test",
]

#: Below this many events :func:`rate_ci` uses exact Poisson limits, from it Byar's
#: approximation (OHID Fingertips).
EXACT_BELOW: int = 10

#: Band of relative likelihoods NHS England treats as "non-adverse" in WRES reports.
WRES_NON_ADVERSE_RANGE: tuple[float, float] = (0.80, 1.25)

ArrayLike = float | int | Sequence[float] | np.ndarray | pd.Series


# --------------------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------------------
def _check_confidence(confidence: float) -> float:
    try:
        level = float(confidence)
    except (TypeError, ValueError):
        raise ValueError(
            f"confidence must be a number between 0 and 1, got {confidence!r}."
        ) from None
    if not 0 < level < 1:
        raise ValueError(
            f"confidence must be strictly between 0 and 1 (e.g. 0.95), got {confidence!r}."
        )
    return level


def confidence_label(confidence: float | pd.DataFrame) -> str:
    """The confidence level as the report names it: ``"95%"``, ``"99.8%"``.

    Parameters
    ----------
    confidence : float or DataFrame
        A level (0.95), or a result table whose ``confidence`` column holds one level.

    Returns
    -------
    str
        The level in per cent, without trailing zeros.

    Raises
    ------
    ValueError
        If the level is invalid, or a table has no ``confidence`` column or more than one
        level in it: a label never falls back to 95% silently.
    """
    if isinstance(confidence, pd.DataFrame):
        if "confidence" not in confidence.columns:
            raise ValueError("The table has no confidence column; pass the level itself.")
        levels = pd.to_numeric(confidence["confidence"], errors="coerce").dropna().unique()
        if len(levels) != 1:
            raise ValueError(f"The table's confidence column holds {len(levels)} levels "
                             f"({sorted(levels.tolist())}); expected exactly one.")
        confidence = float(levels[0])
    level = _check_confidence(confidence)
    return f"{round(level * 100, 6):g}%"


def _z(confidence: float) -> float:
    return float(sps.norm.ppf(1 - (1 - confidence) / 2))


def _index_of(*args: object) -> pd.Index | None:
    for arg in args:
        if isinstance(arg, pd.Series):
            return arg.index
    return None


def _counts(name: str, values: ArrayLike) -> np.ndarray:
    """Convert to a 1-D float array and check counts are finite and non-negative."""
    if isinstance(values, pd.Series):
        arr = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        bad_text = values.notna().to_numpy() & np.isnan(arr)
        if bad_text.any():
            pos = int(np.flatnonzero(bad_text)[0])
            raise ValueError(f"{name}[{pos}] is {values.iloc[pos]!r}; expected a number.")
    else:
        try:
            arr = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be numeric, got {values!r}.") from None
    arr = np.atleast_1d(arr).astype(float)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}.")
    not_finite = ~np.isfinite(arr)
    if not_finite.any():
        pos = int(np.flatnonzero(not_finite)[0])
        raise ValueError(f"{name}[{pos}] is {arr[pos]}; counts must be finite numbers.")
    negative = arr < 0
    if negative.any():
        pos = int(np.flatnonzero(negative)[0])
        raise ValueError(f"{name}[{pos}] is {arr[pos]:g}; counts cannot be negative.")
    return arr


def _broadcast(**named: ArrayLike) -> dict[str, np.ndarray]:
    arrays = {name: _counts(name, value) for name, value in named.items()}
    lengths = {name: len(a) for name, a in arrays.items()}
    target = max(lengths.values())
    for name, n in lengths.items():
        if n not in (1, target):
            detail = ", ".join(f"{k}={v}" for k, v in lengths.items())
            raise ValueError(f"Inputs have different lengths ({detail}); {name} cannot broadcast.")
    return {name: np.broadcast_to(a, (target,)).copy() for name, a in arrays.items()}


def _check_not_above(num: np.ndarray, den: np.ndarray, num_name: str, den_name: str) -> None:
    above = num > den
    if above.any():
        pos = int(np.flatnonzero(above)[0])
        raise ValueError(
            f"{num_name}[{pos}] = {num[pos]:g} is greater than {den_name}[{pos}] = "
            f"{den[pos]:g}; a proportion's numerator cannot exceed its denominator."
        )


def _frame(index: pd.Index | None, n: int, columns: dict[str, object]) -> pd.DataFrame:
    if index is not None and len(index) == n:
        return pd.DataFrame(columns, index=index)
    return pd.DataFrame(columns)


def _wilson(num: np.ndarray, den: np.ndarray, confidence: float) -> tuple[np.ndarray, ...]:
    """Wilson score value and interval; NaN where the denominator is 0."""
    value = np.full(num.shape, np.nan)
    lower = np.full(num.shape, np.nan)
    upper = np.full(num.shape, np.nan)
    ok = den > 0
    if ok.any():
        lo, hi = proportion_confint(num[ok], den[ok], alpha=1 - confidence, method="wilson")
        value[ok] = num[ok] / den[ok]
        lower[ok] = np.clip(lo, 0.0, 1.0)
        upper[ok] = np.clip(hi, 0.0, 1.0)
        # statsmodels returns tiny negative/positive rounding error at 0 and n.
        lower[ok & (num == 0)] = 0.0
        upper[ok & (num == den)] = 1.0
    return value, lower, upper


# --------------------------------------------------------------------------------------
# proportions
# --------------------------------------------------------------------------------------
def proportion_ci(
    numerator: ArrayLike,
    denominator: ArrayLike,
    confidence: float = 0.95,
    method: Literal["wilson", "exact", "jeffreys", "agresti_coull"] = "wilson",
) -> pd.DataFrame:
    """Proportion with its confidence interval (Wilson score by default).

    Parameters
    ----------
    numerator, denominator : array-like of counts
        Events and population at risk (``0 <= numerator <= denominator``); broadcast
        together. A Series' index is kept in the result.
    confidence : float, default 0.95
        Two-sided confidence level.
    method : {"wilson", "exact", "jeffreys", "agresti_coull"}, default "wilson"
        ``"wilson"`` is the Wilson score interval used by OHID/Fingertips; ``"exact"``
        is Clopper-Pearson ("beta" in statsmodels). Others as in statsmodels.

    Returns
    -------
    DataFrame
        ``numerator``, ``denominator``, ``value`` (proportion 0-1), ``lower``,
        ``upper``, ``confidence``, ``method``.

    Raises
    ------
    ValueError
        If a count is negative or not finite, a numerator exceeds its denominator, the
        lengths do not broadcast, or ``confidence``/``method`` is invalid.

    Notes
    -----
    The Wilson score interval is

    .. math:: \\frac{2np + z^2 \\pm z\\sqrt{z^2 + 4np(1-p)}}{2(n + z^2)}

    with :math:`z` the standard normal quantile for the confidence level. It stays
    inside [0, 1] and has good coverage for small counts and for proportions at 0 or 1,
    which is why OHID (formerly PHE/APHO) use it for all proportions. Computed with
    :func:`statsmodels.stats.proportion.proportion_confint`. A zero denominator gives
    NaN value and limits.

    References
    ----------
    .. [1] Wilson EB (1927). Probable inference, the law of succession, and statistical
       inference. *J Am Stat Assoc* 22:209-212.
    .. [2] Newcombe RG (1998). Two-sided confidence intervals for the single proportion:
       comparison of seven methods. *Stat Med* 17:857-872.
    .. [3] Public Health England (2018). *Technical Guide: Confidence intervals*
       (APHO/Fingertips technical guidance), section on proportions.
    """
    confidence = _check_confidence(confidence)
    methods = {"wilson": "wilson", "exact": "beta", "jeffreys": "jeffreys",
               "agresti_coull": "agresti_coull"}
    if method not in methods:
        raise ValueError(f"method must be one of {sorted(methods)}, got {method!r}.")
    a = _broadcast(numerator=numerator, denominator=denominator)
    num, den = a["numerator"], a["denominator"]
    _check_not_above(num, den, "numerator", "denominator")
    if method == "wilson":
        value, lower, upper = _wilson(num, den, confidence)
    else:
        value = np.full(num.shape, np.nan)
        lower = np.full(num.shape, np.nan)
        upper = np.full(num.shape, np.nan)
        ok = den > 0
        if ok.any():
            lo, hi = proportion_confint(
                num[ok], den[ok], alpha=1 - confidence, method=methods[method]
            )
            value[ok] = num[ok] / den[ok]
            lower[ok] = np.clip(lo, 0.0, 1.0)
            upper[ok] = np.clip(hi, 0.0, 1.0)
    return _frame(
        _index_of(numerator, denominator),
        len(num),
        {
            "numerator": num,
            "denominator": den,
            "value": value,
            "lower": lower,
            "upper": upper,
            "confidence": confidence,
            "method": method,
        },
    )


# --------------------------------------------------------------------------------------
# counts and rates
# --------------------------------------------------------------------------------------
def byar_interval(count: ArrayLike, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Byar's approximate confidence interval for a Poisson count.

    Parameters
    ----------
    count : array-like
        Observed counts (non-negative).
    confidence : float, default 0.95
        Two-sided confidence level.

    Returns
    -------
    lower, upper : ndarray
        Limits for the expected count. For a count of 0 the lower limit is 0.

    Raises
    ------
    ValueError
        If a count is negative or not finite, or ``confidence`` is invalid.

    Notes
    -----
    For an observed count :math:`O` and normal quantile :math:`z`,

    .. math::
        O_L = O\\left(1 - \\frac{1}{9O} - \\frac{z}{3\\sqrt{O}}\\right)^3, \\qquad
        O_U = (O+1)\\left(1 - \\frac{1}{9(O+1)} + \\frac{z}{3\\sqrt{O+1}}\\right)^3.

    It approximates the exact Poisson limits well from about 10 events, but not below:
    at 1 event and 95% its lower limit is 0.0131 against the exact 0.0253 (48% lower).
    OHID's Fingertips therefore use it only for 10 or more events and the exact limits
    (:func:`exact_poisson_interval`) below; :func:`rate_ci` does the same by default
    (``method="fingertips"``).

    References
    ----------
    .. [1] Breslow NE, Day NE (1987). *Statistical Methods in Cancer Research, Vol. II:
       The Design and Analysis of Cohort Studies*. IARC Scientific Publications 82,
       p. 69.
    .. [2] Public Health England (2018). *Technical Guide: Confidence intervals*
       (APHO/Fingertips), Byar's method for counts and rates.
    """
    confidence = _check_confidence(confidence)
    o = _counts("count", count)
    z = _z(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = np.where(o > 0, o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3, 0.0)
    o1 = o + 1
    upper = o1 * (1 - 1 / (9 * o1) + z / (3 * np.sqrt(o1))) ** 3
    return np.maximum(lower, 0.0), upper


def exact_poisson_interval(
    count: ArrayLike, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) Poisson confidence interval for a count, via the chi-square.

    Parameters
    ----------
    count : array-like
        Observed counts (non-negative).
    confidence : float, default 0.95
        Two-sided confidence level.

    Returns
    -------
    lower, upper : ndarray
        :math:`\\chi^2_{\\alpha/2}(2O)/2` and :math:`\\chi^2_{1-\\alpha/2}(2O+2)/2`; the
        lower limit is 0 when the count is 0 (e.g. upper 3.689 for 0 events at 95%).

    Raises
    ------
    ValueError
        If a count is negative or not finite, or ``confidence`` is invalid.

    References
    ----------
    Notes
    -----
    The limits are the Poisson means for which the observed count is at the
    :math:`1-\alpha/2` (lower) or :math:`\alpha/2` (upper) tail, found through the
    chi-square quantiles (:func:`scipy.stats.chi2.ppf`). OHID's Fingertips use them for
    counts below 10, where Byar's approximation is poor.

    References
    ----------
    .. [1] Garwood F (1936). Fiducial limits for the Poisson distribution.
       *Biometrika* 28:437-442.
    .. [2] Public Health England (2018). *Technical Guide: Confidence intervals*
       (APHO/Fingertips): exact limits for fewer than 10 events.
    """
    confidence = _check_confidence(confidence)
    o = _counts("count", count)
    alpha = 1 - confidence
    with np.errstate(invalid="ignore"):
        lower = np.where(o > 0, sps.chi2.ppf(alpha / 2, 2 * o) / 2, 0.0)
    upper = sps.chi2.ppf(1 - alpha / 2, 2 * o + 2) / 2
    return lower, upper


def rate_ci(
    events: ArrayLike,
    denominator: ArrayLike,
    multiplier: float = 1000,
    confidence: float = 0.95,
    method: Literal["fingertips", "byar", "exact"] = "fingertips",
) -> pd.DataFrame:
    """Crude rate per ``multiplier`` with a Poisson confidence interval (OHID method).

    Parameters
    ----------
    events : array-like of counts
        Observed events (e.g. stillbirths), non-negative.
    denominator : array-like
        Population or births at risk (non-negative; 0 gives NaN).
    multiplier : float, default 1000
        Rate is per ``multiplier`` (1000 for per 1,000 births, 100000 for per 100,000).
    confidence : float, default 0.95
        Two-sided confidence level (Fingertips publishes 0.95 and 0.998).
    method : {"fingertips", "byar", "exact"}, default "fingertips"
        ``"fingertips"``: exact Poisson limits for fewer than :data:`EXACT_BELOW` (10)
        events and Byar's approximation from 10 events, as OHID's Fingertips do.
        ``"byar"`` or ``"exact"`` use one method at every count.

    Returns
    -------
    DataFrame
        ``numerator`` (events), ``denominator``, ``value`` (rate per ``multiplier``),
        ``lower``, ``upper``, ``confidence``, ``method`` (per row, the method used:
        ``"exact"`` or ``"byar"``), ``multiplier``.

    Raises
    ------
    ValueError
        For negative or non-finite counts, lengths that do not broadcast, a
        non-positive ``multiplier`` or an unknown ``method``/``confidence``.

    Notes
    -----
    The interval for the count (:func:`exact_poisson_interval` below 10 events,
    :func:`byar_interval` from 10) is divided by the denominator and multiplied by
    ``multiplier``, treating the denominator as fixed. For 0 events the lower limit is
    0 and the exact upper limit is 3.689 events at 95%. Events are allowed to exceed
    the denominator (e.g. admissions per person). Byar's lower limit at 1 event is
    48% below the exact one, which is why the switch exists.

    References
    ----------
    .. [1] Public Health England (2018). *Technical Guide: Confidence intervals*
       (APHO/Fingertips): crude rates and counts, exact method for fewer than 10
       events, Byar's method otherwise.
    .. [2] Office for Health Improvement and Disparities. *Fingertips: methods of
       calculating confidence intervals* (public health profiles technical guidance).
    .. [3] Breslow NE, Day NE (1987). *Statistical Methods in Cancer Research, Vol. II*.
       IARC Scientific Publications 82.
    """
    confidence = _check_confidence(confidence)
    if method not in ("fingertips", "byar", "exact"):
        raise ValueError(f"method must be 'fingertips', 'byar' or 'exact', got {method!r}.")
    try:
        multiplier = float(multiplier)
    except (TypeError, ValueError):
        raise ValueError(f"multiplier must be a positive number, got {multiplier!r}.") from None
    if not (np.isfinite(multiplier) and multiplier > 0):
        raise ValueError(f"multiplier must be a positive number, got {multiplier!r}.")
    a = _broadcast(events=events, denominator=denominator)
    o, den = a["events"], a["denominator"]
    exact = np.full(o.shape, method == "exact") if method != "fingertips" else o < EXACT_BELOW
    lo_b, hi_b = byar_interval(o, confidence)
    lo_e, hi_e = exact_poisson_interval(o, confidence)
    lo, hi = np.where(exact, lo_e, lo_b), np.where(exact, hi_e, hi_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(den > 0, multiplier / np.where(den > 0, den, 1.0), np.nan)
    return _frame(
        _index_of(events, denominator),
        len(o),
        {
            "numerator": o,
            "denominator": den,
            "value": o * scale,
            "lower": lo * scale,
            "upper": hi * scale,
            "confidence": confidence,
            "method": np.where(exact, "exact", "byar").astype(object),
            "multiplier": multiplier,
        },
    )


# --------------------------------------------------------------------------------------
# comparisons of two groups
# --------------------------------------------------------------------------------------
def _two_groups(
    events_a: ArrayLike, n_a: ArrayLike, events_b: ArrayLike, n_b: ArrayLike, proportions: bool
) -> tuple[np.ndarray, ...]:
    a = _broadcast(numerator_a=events_a, denominator_a=n_a, numerator_b=events_b,
                   denominator_b=n_b)
    if proportions:
        _check_not_above(a["numerator_a"], a["denominator_a"], "numerator_a", "denominator_a")
        _check_not_above(a["numerator_b"], a["denominator_b"], "numerator_b", "denominator_b")
    return a["numerator_a"], a["denominator_a"], a["numerator_b"], a["denominator_b"]


def _ratio_frame(
    index: pd.Index | None,
    xa: np.ndarray, na: np.ndarray, xb: np.ndarray, nb: np.ndarray,
    va: np.ndarray, vb: np.ndarray, value: np.ndarray, lower: np.ndarray, upper: np.ndarray,
    confidence: float, method: str,
) -> pd.DataFrame:
    return _frame(
        index,
        len(xa),
        {
            "numerator_a": xa,
            "denominator_a": na,
            "numerator_b": xb,
            "denominator_b": nb,
            "value_a": va,
            "value_b": vb,
            "value": value,
            "lower": lower,
            "upper": upper,
            "confidence": confidence,
            "method": method,
        },
    )


def _safe_div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def rate_ratio(
    events_a: ArrayLike,
    denom_a: ArrayLike,
    events_b: ArrayLike,
    denom_b: ArrayLike,
    confidence: float = 0.95,
    zero_correction: bool = False,
) -> pd.DataFrame:
    """Ratio of two rates (group a / group b) with a log-normal confidence interval.

    Parameters
    ----------
    events_a, denom_a : array-like
        Events and population (or person-time, births) in group a (the comparison).
    events_b, denom_b : array-like
        The same for group b (the reference).
    confidence : float, default 0.95
    zero_correction : bool, default False
        Add 0.5 to both event counts where either is 0 (Haldane-Anscombe), giving a
        finite but approximate ratio; by default such ratios are NaN.

    Returns
    -------
    DataFrame
        ``numerator_a``, ``denominator_a``, ``numerator_b``, ``denominator_b``,
        ``value_a``, ``value_b`` (crude rates per 1 unit of denominator), ``value``
        (the rate ratio), ``lower``, ``upper``, ``confidence``, ``method``
        (``"log-normal"`` or ``"log-normal, 0.5 added"``).

    Raises
    ------
    ValueError
        For negative or non-finite counts, lengths that do not broadcast or a bad
        ``confidence``.

    Notes
    -----
    :math:`RR = (O_a/N_a)/(O_b/N_b)` with
    :math:`SE(\\ln RR) = \\sqrt{1/O_a + 1/O_b}` (events as Poisson counts, denominators
    fixed) and limits :math:`\\exp(\\ln RR \\pm z\\,SE)`. The interval is undefined
    when either count is 0: the value, lower and upper are NaN (or the 0.5
    correction is applied when ``zero_correction``). A zero denominator gives NaN.

    References
    ----------
    .. [1] Katz D, Baptista J, Azen SP, Pike MC (1978). Obtaining confidence intervals
       for the risk ratio in cohort studies. *Biometrics* 34:469-474.
    .. [2] Rothman KJ, Greenland S, Lash TL (2008). *Modern Epidemiology*, 3rd ed.,
       chapter 14 (rate ratio, person-time data).
    .. [3] Public Health England (2018). *Technical Guide: Confidence intervals*.
    """
    confidence = _check_confidence(confidence)
    xa, na, xb, nb = _two_groups(events_a, denom_a, events_b, denom_b, proportions=False)
    z = _z(confidence)
    ca, cb = xa.copy(), xb.copy()
    method = np.full(xa.shape, "log-normal", dtype=object)
    if zero_correction:
        fix = ((xa == 0) | (xb == 0)) & (na > 0) & (nb > 0)
        ca[fix] += 0.5
        cb[fix] += 0.5
        method[fix] = "log-normal, 0.5 added"
    ok = (ca > 0) & (cb > 0) & (na > 0) & (nb > 0)
    value = np.full(xa.shape, np.nan)
    lower = np.full(xa.shape, np.nan)
    upper = np.full(xa.shape, np.nan)
    rr = (ca[ok] / na[ok]) / (cb[ok] / nb[ok])
    se = np.sqrt(1 / ca[ok] + 1 / cb[ok])
    value[ok] = rr
    lower[ok] = np.exp(np.log(rr) - z * se)
    upper[ok] = np.exp(np.log(rr) + z * se)
    return _ratio_frame(
        _index_of(events_a, denom_a, events_b, denom_b), xa, na, xb, nb,
        _safe_div(xa, na), _safe_div(xb, nb), value, lower, upper, confidence, method,
    )


def relative_likelihood(
    events_a: ArrayLike,
    n_a: ArrayLike,
    events_b: ArrayLike,
    n_b: ArrayLike,
    confidence: float = 0.95,
    zero_correction: bool = False,
) -> pd.DataFrame:
    """Relative likelihood (ratio of two proportions), as in WRES indicators 2, 3 and 4.

    Parameters
    ----------
    events_a, n_a : array-like
        Group a: e.g. White applicants appointed from shortlisting, and White applicants
        shortlisted (WRES indicator 2 divides the White likelihood by the BME one).
    events_b, n_b : array-like
        Group b, the comparator.
    confidence : float, default 0.95
    zero_correction : bool, default False
        Add 0.5 to every cell of the 2x2 table (events +0.5, denominators +1) where
        either event count or non-event count is 0; by default ratios with a 0 event
        count are NaN.

    Returns
    -------
    DataFrame
        ``numerator_a``, ``denominator_a``, ``numerator_b``, ``denominator_b``,
        ``value_a``, ``value_b`` (the two likelihoods, proportions 0-1), ``value``
        (``value_a / value_b``), ``lower``, ``upper``, ``confidence``, ``method``, and
        ``non_adverse`` (nullable boolean: ``0.80 <= value <= 1.25``; NA when the value
        is NaN).

    Raises
    ------
    ValueError
        For negative or non-finite counts, events above their denominator, lengths that
        do not broadcast or a bad ``confidence``.

    Notes
    -----
    The relative likelihood is the risk ratio :math:`RL = (a/n_a)/(b/n_b)`. Its
    interval is log-normal (Katz):
    :math:`SE(\\ln RL) = \\sqrt{1/a - 1/n_a + 1/b - 1/n_b}`. A value of 1 means equal
    likelihood. NHS England's WRES reports treat a relative likelihood between 0.80 and
    1.25 as "non-adverse" (a band derived from the "four-fifths rule" used in US
    employment law); the band is descriptive and says nothing about statistical
    significance, so report the interval too.

    References
    ----------
    .. [1] NHS England (2023). *Workforce Race Equality Standard: technical guidance*
       and *WRES data analysis report for NHS trusts* (indicators 2-4; relative
       likelihoods between 0.80 and 1.25 regarded as non-adverse).
    .. [2] Katz D, Baptista J, Azen SP, Pike MC (1978). Obtaining confidence intervals
       for the risk ratio in cohort studies. *Biometrics* 34:469-474.
    .. [3] US Equal Employment Opportunity Commission (1978). *Uniform Guidelines on
       Employee Selection Procedures*, 29 CFR 1607.4(D) ("four-fifths rule").
    """
    confidence = _check_confidence(confidence)
    xa, na, xb, nb = _two_groups(events_a, n_a, events_b, n_b, proportions=True)
    z = _z(confidence)
    ca, cna, cb, cnb = xa.copy(), na.copy(), xb.copy(), nb.copy()
    method = np.full(xa.shape, "log-normal (Katz)", dtype=object)
    if zero_correction:
        fix = ((xa == 0) | (xb == 0) | (xa == na) | (xb == nb)) & (na > 0) & (nb > 0)
        ca[fix] += 0.5
        cb[fix] += 0.5
        cna[fix] += 1.0
        cnb[fix] += 1.0
        method[fix] = "log-normal (Katz), 0.5 added"
    ok = (ca > 0) & (cb > 0) & (cna > 0) & (cnb > 0)
    value = np.full(xa.shape, np.nan)
    lower = np.full(xa.shape, np.nan)
    upper = np.full(xa.shape, np.nan)
    rl = (ca[ok] / cna[ok]) / (cb[ok] / cnb[ok])
    se = np.sqrt(np.maximum(1 / ca[ok] - 1 / cna[ok] + 1 / cb[ok] - 1 / cnb[ok], 0.0))
    value[ok] = rl
    lower[ok] = np.exp(np.log(rl) - z * se)
    upper[ok] = np.exp(np.log(rl) + z * se)
    out = _ratio_frame(
        _index_of(events_a, n_a, events_b, n_b), xa, na, xb, nb,
        _safe_div(xa, na), _safe_div(xb, nb), value, lower, upper, confidence, method,
    )
    lo, hi = WRES_NON_ADVERSE_RANGE
    flag = pd.array((value >= lo - 1e-12) & (value <= hi + 1e-12), dtype="boolean")
    flag[np.isnan(value)] = pd.NA
    out["non_adverse"] = flag
    return out


def proportion_difference(
    numerator_a: ArrayLike,
    denominator_a: ArrayLike,
    numerator_b: ArrayLike,
    denominator_b: ArrayLike,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Difference between two independent proportions (a - b), Newcombe's hybrid score CI.

    Parameters
    ----------
    numerator_a, denominator_a : array-like
        Group a (e.g. positive answers and respondents in one subgroup).
    numerator_b, denominator_b : array-like
        Group b (e.g. the rest of the organisation, or last year).
    confidence : float, default 0.95

    Returns
    -------
    DataFrame
        ``numerator_a``, ``denominator_a``, ``numerator_b``, ``denominator_b``,
        ``value_a``, ``value_b`` (proportions 0-1), ``value``, ``lower``, ``upper``
        (the difference as a proportion, -1 to 1), ``value_pts``, ``lower_pts``,
        ``upper_pts`` (the same in percentage points, -100 to 100), ``confidence``,
        ``method``. NaN where either denominator is 0.

    Raises
    ------
    ValueError
        For negative or non-finite counts, numerators above denominators, lengths that
        do not broadcast or a bad ``confidence``.

    Notes
    -----
    Newcombe's method 10 combines the Wilson score limits
    :math:`(l_a, u_a)`, :math:`(l_b, u_b)` of each proportion:

    .. math::
        L = d - \\sqrt{(p_a - l_a)^2 + (u_b - p_b)^2}, \\qquad
        U = d + \\sqrt{(u_a - p_a)^2 + (p_b - l_b)^2}

    with :math:`d = p_a - p_b`. It has good coverage for small samples and for
    proportions near 0 or 1, unlike the Wald interval. ``value`` follows the DESIGN
    convention of proportions; multiply by 100 (or use ``*_pts``) for percentage
    points, as the staff survey reports.

    References
    ----------
    .. [1] Newcombe RG (1998). Interval estimation for the difference between
       independent proportions: comparison of eleven methods. *Stat Med* 17:873-890
       (method 10).
    .. [2] Wilson EB (1927). *J Am Stat Assoc* 22:209-212.
    """
    confidence = _check_confidence(confidence)
    xa, na, xb, nb = _two_groups(numerator_a, denominator_a, numerator_b, denominator_b,
                                 proportions=True)
    pa, la, ua = _wilson(xa, na, confidence)
    pb, lb, ub = _wilson(xb, nb, confidence)
    d = pa - pb
    lower = d - np.sqrt((pa - la) ** 2 + (ub - pb) ** 2)
    upper = d + np.sqrt((ua - pa) ** 2 + (pb - lb) ** 2)
    out = _ratio_frame(
        _index_of(numerator_a, denominator_a, numerator_b, denominator_b), xa, na, xb, nb,
        pa, pb, d, lower, upper, confidence, "Newcombe hybrid score (method 10)",
    )
    for col in ("value", "lower", "upper"):
        out.insert(out.columns.get_loc("confidence"), f"{col}_pts", out[col] * 100)
    return out


def two_proportion_test(
    x1: ArrayLike,
    n1: ArrayLike,
    x2: ArrayLike,
    n2: ArrayLike,
    method: Literal["z", "fisher", "auto"] = "z",
    alternative: Literal["two-sided", "larger", "smaller"] = "two-sided",
) -> pd.DataFrame:
    """Test whether two independent proportions differ.

    Parameters
    ----------
    x1, n1 : array-like
        Events and trials in group 1.
    x2, n2 : array-like
        Events and trials in group 2.
    method : {"z", "fisher", "auto"}, default "z"
        ``"z"``: pooled two-proportion z test (statsmodels ``proportions_ztest``).
        ``"fisher"``: Fisher's exact test (scipy ``fisher_exact``). ``"auto"``: z test,
        but Fisher's exact test where any expected count is below 5.
    alternative : {"two-sided", "larger", "smaller"}, default "two-sided"
        ``"larger"`` tests p1 > p2.

    Returns
    -------
    DataFrame
        ``numerator_a``, ``denominator_a``, ``numerator_b``, ``denominator_b``,
        ``value_a``, ``value_b`` (proportions), ``statistic`` (z, or the sample odds
        ratio for Fisher), ``p_value``, ``small_expected`` (any expected count under
        the null below 5: the z test is then unreliable), ``method``. NaN where a
        denominator is 0, or where both groups are all events or all non-events
        (nothing to test).

    Raises
    ------
    ValueError
        For invalid counts, ``method`` or ``alternative``.

    Notes
    -----
    The pooled z statistic is
    :math:`z = (p_1 - p_2)/\\sqrt{\\bar p(1-\\bar p)(1/n_1 + 1/n_2)}`, with
    :math:`\\bar p = (x_1 + x_2)/(n_1 + n_2)`; it is equivalent to the Pearson
    chi-square test without continuity correction. The normal approximation needs
    expected counts of at least 5 in each cell (Cochran's rule); below that, use
    Fisher's exact test.

    References
    ----------
    .. [1] Altman DG (1991). *Practical Statistics for Medical Research*. Chapman &
       Hall, section 10.7.
    .. [2] Cochran WG (1954). Some methods for strengthening the common chi-square
       tests. *Biometrics* 10:417-451.
    .. [3] Fisher RA (1935). The logic of inductive inference. *J R Stat Soc* 98:39-82.
    """
    if method not in ("z", "fisher", "auto"):
        raise ValueError(f"method must be 'z', 'fisher' or 'auto', got {method!r}.")
    if alternative not in ("two-sided", "larger", "smaller"):
        raise ValueError(
            f"alternative must be 'two-sided', 'larger' or 'smaller', got {alternative!r}."
        )
    xa, na, xb, nb = _two_groups(x1, n1, x2, n2, proportions=True)
    n = len(xa)
    stat = np.full(n, np.nan)
    pval = np.full(n, np.nan)
    used = np.full(n, "", dtype=object)
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (xa + xb) / (na + nb)
        expected = np.vstack([na * pooled, na * (1 - pooled), nb * pooled, nb * (1 - pooled)])
    small = np.any(expected < 5, axis=0) & (na > 0) & (nb > 0)
    fisher_alt = {"two-sided": "two-sided", "larger": "greater", "smaller": "less"}
    for i in range(n):
        if na[i] == 0 or nb[i] == 0:
            continue
        use_fisher = method == "fisher" or (method == "auto" and small[i])
        if use_fisher:
            table = [[xa[i], na[i] - xa[i]], [xb[i], nb[i] - xb[i]]]
            res = sps.fisher_exact(np.asarray(table, dtype=int),
                                   alternative=fisher_alt[alternative])
            stat[i], pval[i] = float(res.statistic), float(res.pvalue)
            used[i] = "Fisher's exact test"
        else:
            used[i] = "pooled z test"
            if pooled[i] in (0.0, 1.0):
                continue
            z, p = proportions_ztest(
                np.array([xa[i], xb[i]]), np.array([na[i], nb[i]]), alternative=alternative
            )
            stat[i], pval[i] = float(z), float(p)
    out = _frame(
        _index_of(x1, n1, x2, n2),
        n,
        {
            "numerator_a": xa,
            "denominator_a": na,
            "numerator_b": xb,
            "denominator_b": nb,
            "value_a": _safe_div(xa, na),
            "value_b": _safe_div(xb, nb),
            "statistic": stat,
            "p_value": pval,
            "small_expected": small,
            "method": used,
        },
    )
    return out


# --------------------------------------------------------------------------------------
# inequality indices
# --------------------------------------------------------------------------------------
_VALUE_NAMES = ("rate", "value")
_POP_NAMES = ("population", "population_share", "denominator")


def _gradient_inputs(
    rates: ArrayLike | pd.DataFrame,
    lower: ArrayLike | None,
    upper: ArrayLike | None,
    population: ArrayLike | None,
    se: ArrayLike | None,
    quintile: ArrayLike | None,
    confidence: float,
    most_deprived_first: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (values, standard errors, population shares) ordered most -> least deprived."""
    if isinstance(rates, pd.DataFrame):
        frame = rates
        value_col = next((c for c in _VALUE_NAMES if c in frame.columns), None)
        pop_col = next((c for c in _POP_NAMES if c in frame.columns), None)
        if value_col is None or pop_col is None:
            raise ValueError(
                "The table needs a value column (one of "
                f"{list(_VALUE_NAMES)}) and a population column (one of {list(_POP_NAMES)}); "
                f"it has {list(frame.columns)}."
            )
        values = frame[value_col]
        population = frame[pop_col] if population is None else population
        if se is None and "se" in frame.columns:
            se = frame["se"]
        if se is None and lower is None and {"lower", "upper"} <= set(frame.columns):
            lower, upper = frame["lower"], frame["upper"]
        if quintile is None:
            for name in ("quintile", "imd_quintile", "decile", "imd_decile", "quantile"):
                if name in frame.columns:
                    quintile = frame[name]
                    break
    else:
        values = rates
    if population is None:
        raise ValueError("population (counts or shares for each group) is required.")
    y = np.atleast_1d(np.asarray(values, dtype=float))
    pop = np.atleast_1d(np.asarray(population, dtype=float))
    k = len(y)
    if k < 2:
        raise ValueError(f"At least two deprivation groups are needed, got {k}.")
    if len(pop) != k:
        raise ValueError(f"population has {len(pop)} values but there are {k} rates.")
    for name, arr in (("rates", y), ("population", pop)):
        bad = ~np.isfinite(arr)
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            raise ValueError(f"{name}[{pos}] is missing or not finite; every group needs one.")
    if np.any(pop <= 0):
        pos = int(np.flatnonzero(pop <= 0)[0])
        raise ValueError(f"population[{pos}] is {pop[pos]:g}; each group needs people.")
    if se is not None:
        s = np.atleast_1d(np.asarray(se, dtype=float))
    elif lower is not None and upper is not None:
        lo = np.atleast_1d(np.asarray(lower, dtype=float))
        hi = np.atleast_1d(np.asarray(upper, dtype=float))
        if len(lo) != k or len(hi) != k:
            raise ValueError("lower and upper need one value per group.")
        if np.any(lo > y + 1e-12) or np.any(hi < y - 1e-12):
            pos = int(np.flatnonzero((lo > y + 1e-12) | (hi < y - 1e-12))[0])
            raise ValueError(f"Group {pos}: the rate {y[pos]:g} is outside its interval.")
        s = (hi - lo) / (2 * _z(confidence))
    else:
        raise ValueError("Give the groups' standard errors (se) or their lower and upper limits.")
    if len(s) != k:
        raise ValueError(f"se has {len(s)} values but there are {k} rates.")
    bad = ~np.isfinite(s) | (s < 0)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise ValueError(f"Standard error of group {pos} is {s[pos]}; expected a number >= 0.")
    order = np.arange(k)
    if quintile is not None:
        q = np.atleast_1d(np.asarray(quintile))
        if len(q) != k or len(set(q.tolist())) != k:
            raise ValueError("quintile must label each group once.")
        order = np.argsort(q, kind="stable")
    if not most_deprived_first:
        order = order[::-1]
    return y[order], s[order], pop[order] / pop.sum()


def _gradient_weights(share: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Linear weights giving the fitted values at x=0 and x=1 from the group values.

    Weighted least squares of y on the ridit midpoint x with weights = population
    share; both fitted values are linear in y.
    """
    x = np.cumsum(share) - share / 2
    xbar = np.sum(share * x)
    sxx = np.sum(share * (x - xbar) ** 2)
    slope_w = share * (x - xbar) / sxx  # slope = slope_w @ y
    mean_w = share  # weighted mean of y = share @ y
    at0 = mean_w - xbar * slope_w
    at1 = at0 + slope_w
    return at0, at1


#: Note of an RII that is not computed because a fitted end of the gradient is not positive.
RII_UNDEFINED = (
    "not computed: the fitted value at one end of the gradient is zero or below, so the "
    "ratio of the two ends is not a ratio of rates (too few events in the end groups)"
)

#: Note of an RII whose upper limit is unbounded: the end in the denominator may be zero.
RII_UNBOUNDED = (
    "no finite upper limit: the fitted value at the reference end is so uncertain that it "
    "may be zero, so the ratio could be arbitrarily large (too few events in the end groups)"
)


def _ratio_percentiles(num: np.ndarray, den: np.ndarray, alpha: float
                       ) -> tuple[float, float, str]:
    """Percentile limits of simulated ratios ``num / den`` of two positive quantities.

    A draw with the denominator at or below zero is an unboundedly large ratio (+inf)
    and one with the numerator at or below zero a ratio of 0 (the ratio is monotone in
    each); draws with both are dropped. When more than ``alpha / 2`` of the draws are
    unbounded the upper limit is NaN and a note says why, instead of the meaningless
    percentile of ratios whose denominator crosses zero.
    """
    ok = ~((den <= 0) & (num <= 0))
    num, den = num[ok], den[ok]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(den <= 0, np.inf, np.where(num <= 0, 0.0, num / den))
    share_unbounded = float(np.mean(np.isinf(ratio)))
    with np.errstate(invalid="ignore"):
        lo = float(np.quantile(ratio, alpha / 2))
        hi = float(np.quantile(ratio, 1 - alpha / 2)) if share_unbounded <= alpha / 2 \
            else np.inf
    if not np.isfinite(hi):
        return float(lo), np.nan, RII_UNBOUNDED
    return float(lo), float(hi), ""


def _fieller(num: float, den: float, v_num: float, v_den: float, cov: float, z: float
             ) -> tuple[float, float, str]:
    """Fieller's confidence limits for the ratio ``num / den`` of two normal estimates.

    The limits are the roots of
    :math:`(n - R d)^2 = z^2 (v_n - 2 R c + R^2 v_d)`, i.e.
    :math:`a R^2 - 2 b R + c_0 = 0` with :math:`a = d^2 - z^2 v_d`,
    :math:`b = n d - z^2 c`, :math:`c_0 = n^2 - z^2 v_n`. When :math:`a > 0` (the
    denominator is significantly above zero) the set is the interval between the roots.
    Otherwise it is unbounded: the part holding the estimate is returned with a NaN
    upper limit and :data:`RII_UNBOUNDED` (or two NaN when it is the whole line).

    References
    ----------
    .. [1] Fieller EC (1954). Some problems in interval estimation. *J R Stat Soc B*
       16:175-185.
    """
    a = den**2 - z**2 * v_den
    b = num * den - z**2 * cov
    c0 = num**2 - z**2 * v_num
    disc = b**2 - a * c0
    if a > 0 and disc >= 0:
        root = float(np.sqrt(disc))
        return (b - root) / a, (b + root) / a, ""
    if disc < 0:
        return np.nan, np.nan, RII_UNBOUNDED
    root = float(np.sqrt(disc))
    r1, r2 = sorted(((b - root) / a, (b + root) / a))
    estimate = num / den
    if estimate >= r2:
        return max(r2, 0.0), np.nan, RII_UNBOUNDED
    return np.nan, np.nan, RII_UNBOUNDED


def _inequality_index(
    kind: str,
    rates: ArrayLike | pd.DataFrame,
    lower: ArrayLike | None,
    upper: ArrayLike | None,
    population: ArrayLike | None,
    se: ArrayLike | None,
    quintile: ArrayLike | None,
    confidence: float,
    method: str,
    reps: int,
    seed: int | None,
    most_deprived_first: bool,
    reverse: bool,
) -> pd.DataFrame:
    confidence = _check_confidence(confidence)
    if method not in ("simulation", "analytic"):
        raise ValueError(f"method must be 'simulation' or 'analytic', got {method!r}.")
    if int(reps) != reps or reps < 1000:
        raise ValueError(f"reps must be a whole number of at least 1000, got {reps!r}.")
    y, s, share = _gradient_inputs(rates, lower, upper, population, se, quintile, confidence,
                                   most_deprived_first)
    at0, at1 = _gradient_weights(share)
    if reverse:
        at0, at1 = at1, at0
    f0, f1 = float(at0 @ y), float(at1 @ y)  # f0: most deprived end (unless reverse)
    alpha = 1 - confidence
    note = ""
    if kind == "SII":
        value = f1 - f0
    elif f0 <= 0 or f1 <= 0:
        # a ratio of fitted values is only a ratio of rates when both are positive
        value = np.nan
        note = RII_UNDEFINED
    else:
        value = f1 / f0
    if method == "simulation":
        rng = np.random.default_rng(seed)
        sims = rng.normal(loc=y, scale=s, size=(int(reps), len(y)))
        g0, g1 = sims @ at0, sims @ at1
        if kind == "SII":
            draws = g1 - g0
            lo, hi = np.nanquantile(draws, [alpha / 2, 1 - alpha / 2])
        elif note:
            lo = hi = np.nan
        else:
            lo, hi, note = _ratio_percentiles(g1, g0, alpha)
        label = f"simulation ({int(reps):,} draws)"
    else:
        z = _z(confidence)
        cov = np.diag(s**2)
        if kind == "SII":
            d = at1 - at0
            half = z * float(np.sqrt(d @ cov @ d))
            lo, hi = value - half, value + half
        elif note:
            lo = hi = np.nan
        else:
            lo, hi, note = _fieller(f1, f0, float(at1 @ cov @ at1), float(at0 @ cov @ at0),
                                    float(at1 @ cov @ at0), z)
        label = ("analytic (weighted least squares, exact variance)" if kind == "SII" else
                 "analytic (weighted least squares, Fieller's theorem)")
    if note:
        warnings.warn(f"Relative index of inequality: {note}", RuntimeWarning, stacklevel=3)
    return pd.DataFrame(
        {
            "indicator": [kind],
            "value": [value],
            "lower": [float(lo)],
            "upper": [float(hi)],
            "confidence": [confidence],
            "method": [label],
            "fitted_most_deprived": [f1 if reverse else f0],
            "fitted_least_deprived": [f0 if reverse else f1],
            "n_groups": [len(y)],
            "note": [note],
        }
    )


def slope_index_of_inequality(
    rates: ArrayLike | pd.DataFrame,
    lower: ArrayLike | None = None,
    upper: ArrayLike | None = None,
    population: ArrayLike | None = None,
    *,
    se: ArrayLike | None = None,
    quintile: ArrayLike | None = None,
    confidence: float = 0.95,
    method: Literal["simulation", "analytic"] = "simulation",
    reps: int = 100_000,
    seed: int | None = 1,
    most_deprived_first: bool = True,
    reverse: bool = False,
) -> pd.DataFrame:
    """Slope index of inequality (SII) across deprivation groups (OHID/PHE method).

    Parameters
    ----------
    rates : array-like or DataFrame
        The indicator value in each deprivation group (e.g. IMD quintile), or a small
        table with columns ``rate`` (or ``value``), ``population`` (or
        ``population_share``/``denominator``), ``se`` or ``lower``/``upper``, and
        optionally ``quintile`` (or ``imd_quintile``/``decile``) used to order rows.
    lower, upper : array-like, optional
        Confidence limits of each group's value at level ``confidence``; the standard
        error is taken as ``(upper - lower) / (2 z)``.
    population : array-like
        Population (or population shares) of each group; the weights.
    se : array-like, optional
        Standard errors, instead of ``lower``/``upper``.
    quintile : array-like, optional
        Group labels sorted ascending from most to least deprived (IMD quintile 1 is the
        most deprived). Without it the input order is used.
    confidence : float, default 0.95
    method : {"simulation", "analytic"}, default "simulation"
        ``"simulation"``: the PHE Monte Carlo method, each group's value drawn from
        Normal(value, se) ``reps`` times and the SII recomputed; limits are the
        percentiles. ``"analytic"``: the SII is a linear combination of the group
        values, so its variance is exactly :math:`\\sum c_i^2 se_i^2` (what the
        simulation approximates).
    reps : int, default 100000
        Simulation draws (at least 1000).
    seed : int or None, default 1
        Random seed, so a report reproduces exactly.
    most_deprived_first : bool, default True
        Set False when groups are ordered least deprived first.
    reverse : bool, default False
        Report most deprived minus least deprived instead.

    Returns
    -------
    DataFrame
        One row: ``indicator`` ("SII"), ``value``, ``lower``, ``upper``, ``confidence``,
        ``method``, ``fitted_most_deprived``, ``fitted_least_deprived``, ``n_groups``,
        ``note`` (always empty for the SII). (No numerator/denominator: the index is
        not a ratio of counts.)

    Raises
    ------
    ValueError
        For missing values, non-positive populations, negative standard errors, values
        outside their intervals, fewer than two groups, or bad arguments.

    Notes
    -----
    Groups are ordered from most deprived to least deprived. Each group is placed at
    the midpoint of its range on the cumulative population share (its ridit),
    :math:`x_i = \\sum_{j<i} a_j + a_i/2`, so the most deprived end of the population
    is at :math:`x = 0` and the least deprived at :math:`x = 1`. A straight line is
    fitted to the values by least squares weighted by population share :math:`a_i`
    (equivalently, ordinary least squares of :math:`y_i\\sqrt{a_i}` on
    :math:`\\sqrt{a_i}` and :math:`x_i\\sqrt{a_i}`, Low & Low 2004). The SII is the
    difference between the fitted values at the two extremes, **least deprived minus
    most deprived** (``reverse=True`` for the opposite), i.e. the slope: negative when
    the value (e.g. mortality) is higher in more deprived areas, positive for e.g.
    life expectancy.

    References
    ----------
    .. [1] Office for Health Improvement and Disparities. *Calculating the slope index
       of inequality* (Fingertips technical guidance; formerly PHE/APHO Technical
       Briefing 3 and "Slope index of inequality (SII) tool").
    .. [2] Low A, Low A (2004). Measuring the gap: quantifying and comparing local
       health inequalities. *J Public Health* 26:388-395.
    .. [3] Mackenbach JP, Kunst AE (1997). Measuring the magnitude of socio-economic
       inequalities in health. *Soc Sci Med* 44:757-771.
    """
    return _inequality_index("SII", rates, lower, upper, population, se, quintile,
                             confidence, method, reps, seed, most_deprived_first, reverse)


def relative_index_of_inequality(
    rates: ArrayLike | pd.DataFrame,
    lower: ArrayLike | None = None,
    upper: ArrayLike | None = None,
    population: ArrayLike | None = None,
    *,
    se: ArrayLike | None = None,
    quintile: ArrayLike | None = None,
    confidence: float = 0.95,
    method: Literal["simulation", "analytic"] = "simulation",
    reps: int = 100_000,
    seed: int | None = 1,
    most_deprived_first: bool = True,
    reverse: bool = False,
) -> pd.DataFrame:
    """Relative index of inequality (RII): ratio of the fitted values at the extremes.

    Parameters
    ----------
    rates, lower, upper, population, se, quintile, confidence, method, reps, seed,
    most_deprived_first, reverse
        As for :func:`slope_index_of_inequality`.

    Returns
    -------
    DataFrame
        One row: ``indicator`` ("RII"), ``value``, ``lower``, ``upper``, ``confidence``,
        ``method``, ``fitted_most_deprived``, ``fitted_least_deprived``, ``n_groups``,
        ``note`` (empty, or why the index or its upper limit is not given).

    Raises
    ------
    ValueError
        As for :func:`slope_index_of_inequality`.

    Notes
    -----
    From the same population-weighted regression as the SII, the RII is the fitted
    value at the least deprived end (:math:`x = 1`) divided by the fitted value at the
    most deprived end (:math:`x = 0`); ``reverse=True`` gives most / least deprived
    (e.g. "mortality is 2.1 times as high at the most deprived end").

    Small counts. The RII is a ratio of two fitted values, so it is only defined when
    both are positive: when a fitted end is zero or below (few events, a steep line),
    ``value``, ``lower`` and ``upper`` are NaN, ``note`` says why and a
    :class:`RuntimeWarning` is issued. When the fitted value in the denominator is
    positive but so uncertain that zero lies inside its own interval, the ratio has
    no finite upper limit: ``upper`` is NaN and ``note`` says so. Both methods agree on
    this:

    * ``method="analytic"``: Fieller's theorem for the ratio of the two fitted values
      (correlated, with variances from the weighted regression), which is exact for
      normally distributed group values and bounded only when the denominator is
      significantly above zero. (A log-normal delta-method interval would instead give
      a finite but far too narrow interval here.)
    * ``method="simulation"``: percentiles of the simulated ratio, a draw whose
      denominator is zero or below counting as an unboundedly large ratio. (Taking
      percentiles of the raw ratio, as before, gave negative lower limits and
      arbitrary upper ones whenever the denominator's draws crossed zero, e.g. -44.8
      to 49.1 for an RII of 4.3 from 12, 8, 6, 4 and 2 events in quintiles of 3,000
      to 1,800 births.)

    Some OHID products instead
    define the RII as the SII divided by the population-weighted mean; that equals
    ``(ratio - 1)`` scaled differently, so state which is used.

    References
    ----------
    .. [1] Office for Health Improvement and Disparities. *Calculating the slope index
       of inequality* (Fingertips technical guidance).
    .. [2] Mackenbach JP, Kunst AE (1997). *Soc Sci Med* 44:757-771.
    .. [3] Fieller EC (1954). Some problems in interval estimation. *J R Stat Soc B*
       16:175-185.
    """
    return _inequality_index("RII", rates, lower, upper, population, se, quintile,
                             confidence, method, reps, seed, most_deprived_first, reverse)
