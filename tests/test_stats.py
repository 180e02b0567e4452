"""Tests for edi_analysis.stats against published or hand-worked reference values.

Every expected value is either quoted from a publication (cited next to it) or computed
here from the textbook formula with plain arithmetic, never copied from the code's own
output.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from edi_analysis import stats

Z95 = 1.959963984540054  # standard normal 97.5th percentile


def wilson_by_hand(x: float, n: float, z: float = Z95) -> tuple[float, float]:
    p = x / n
    centre = (2 * n * p + z**2) / (2 * (n + z**2))
    half = z * math.sqrt(z**2 + 4 * n * p * (1 - p)) / (2 * (n + z**2))
    return centre - half, centre + half


# --------------------------------------------------------------------------------------
# proportion_ci
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("x", "n", "lower", "upper"),
    [
        # Newcombe (1998) Stat Med 17:857-872, Table II, method 3 (Wilson score).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe_1998_published_limits(x, n, lower, upper):
    out = stats.proportion_ci(x, n)
    assert out.loc[0, "lower"] == pytest.approx(lower, abs=5e-5)
    assert out.loc[0, "upper"] == pytest.approx(upper, abs=5e-5)
    assert out.loc[0, "value"] == pytest.approx(x / n)


def test_wilson_at_zero_and_at_n_matches_hand_formula():
    out = stats.proportion_ci([0, 10], [10, 10])
    # 0/10: lower 0, upper z^2 / (n + z^2); 10/10 is its mirror image.
    upper_0 = Z95**2 / (10 + Z95**2)
    assert out["lower"].tolist() == [0.0, pytest.approx(1 - upper_0)]
    assert out["upper"].tolist() == [pytest.approx(upper_0), 1.0]
    assert upper_0 == pytest.approx(0.2775, abs=5e-5)  # Newcombe (1998) 0/10


def test_wilson_vectorised_over_series_keeps_index_and_matches_hand_formula():
    num = pd.Series([3, 45, 120], index=["Asian", "Black", "White"])
    den = pd.Series([40, 300, 900], index=num.index)
    out = stats.proportion_ci(num, den, confidence=0.99)
    z99 = 2.5758293035489004
    expected = pd.DataFrame(
        {
            "numerator": [3.0, 45.0, 120.0],
            "denominator": [40.0, 300.0, 900.0],
            "value": [3 / 40, 45 / 300, 120 / 900],
            "lower": [wilson_by_hand(x, n, z99)[0] for x, n in [(3, 40), (45, 300), (120, 900)]],
            "upper": [wilson_by_hand(x, n, z99)[1] for x, n in [(3, 40), (45, 300), (120, 900)]],
            "confidence": 0.99,
            "method": "wilson",
        },
        index=num.index,
    )
    pd.testing.assert_frame_equal(out, expected, rtol=1e-9)


def test_zero_denominator_gives_nan_not_error():
    out = stats.proportion_ci([0, 5], [0, 10])
    assert out.loc[0, ["value", "lower", "upper"]].isna().all()
    assert out.loc[1, "value"] == pytest.approx(0.5)


def test_numerator_above_denominator_names_the_position():
    with pytest.raises(ValueError, match=r"numerator\[2\] = 12 is greater than denominator\[2\]"):
        stats.proportion_ci([1, 2, 12], [10, 10, 10])


def test_negative_count_names_the_position():
    with pytest.raises(ValueError, match=r"denominator\[1\] is -3"):
        stats.proportion_ci([1, 2], [10, -3])


@pytest.mark.parametrize("confidence", [0, 1, 95, -0.5, "high"])
def test_bad_confidence_is_rejected(confidence):
    with pytest.raises(ValueError, match="confidence"):
        stats.proportion_ci(1, 10, confidence=confidence)


def test_unbroadcastable_lengths_are_rejected():
    with pytest.raises(ValueError, match="different lengths"):
        stats.proportion_ci([1, 2, 3], [10, 10])


def test_exact_method_is_clopper_pearson():
    # Clopper-Pearson 0/10 upper limit = 1 - (alpha/2)^(1/n) (closed form at x = 0).
    out = stats.proportion_ci(0, 10, method="exact")
    assert out.loc[0, "upper"] == pytest.approx(1 - 0.025 ** (1 / 10), rel=1e-9)
    assert out.loc[0, "method"] == "exact"


# --------------------------------------------------------------------------------------
# counts and rates
# --------------------------------------------------------------------------------------
def byar_by_hand(o: float, z: float = Z95) -> tuple[float, float]:
    lower = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3 if o > 0 else 0.0
    upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))) ** 3
    return lower, upper


def test_byar_interval_for_ten_events_matches_breslow_day_formula():
    lower, upper = stats.byar_interval(10)
    hand = byar_by_hand(10)
    assert lower[0] == pytest.approx(hand[0], rel=1e-12)
    assert upper[0] == pytest.approx(hand[1], rel=1e-12)
    # and it is close to the exact Poisson limits 4.795 and 18.390 for 10 events
    assert lower[0] == pytest.approx(4.795, abs=0.01)
    assert upper[0] == pytest.approx(18.390, abs=0.01)


def test_exact_poisson_limits_match_published_tables():
    # Exact Poisson limits (e.g. Breslow & Day 1987, Table 2.10; Garwood 1936):
    # 0 events -> (0, 3.689); 10 events -> (4.795, 18.390).
    lower, upper = stats.exact_poisson_interval([0, 10])
    assert lower.tolist() == [0.0, pytest.approx(4.7954, abs=5e-4)]
    assert upper.tolist() == [pytest.approx(3.6889, abs=5e-4), pytest.approx(18.3904, abs=5e-4)]


def test_rate_ci_scales_byar_limits_by_denominator_and_multiplier():
    out = stats.rate_ci([10, 0], [2000, 500], multiplier=1000, method="byar")
    lo10, hi10 = byar_by_hand(10)
    lo0, hi0 = byar_by_hand(0)
    assert out["value"].tolist() == [pytest.approx(5.0), 0.0]
    assert out.loc[0, "lower"] == pytest.approx(lo10 / 2000 * 1000)
    assert out.loc[0, "upper"] == pytest.approx(hi10 / 2000 * 1000)
    assert out.loc[1, "lower"] == 0.0
    assert out.loc[1, "upper"] == pytest.approx(hi0 / 500 * 1000)
    assert list(out.columns[:7]) == [
        "numerator",
        "denominator",
        "value",
        "lower",
        "upper",
        "confidence",
        "method",
    ]


def test_byar_lower_limit_at_one_event_is_48_percent_below_the_exact_limit():
    # the reason for the Fingertips switch: exact lower limit for 1 event is 0.0253
    # (Breslow & Day 1987, Table 2.10), Byar's formula gives 0.0131
    lower, _ = stats.byar_interval(1)
    assert lower[0] == pytest.approx(byar_by_hand(1)[0], rel=1e-12)
    assert lower[0] == pytest.approx(0.0131, abs=5e-4)
    assert 1 - lower[0] / 0.0253 == pytest.approx(0.48, abs=0.01)


def test_rate_ci_default_is_exact_below_ten_events_and_byar_from_ten():
    # OHID Fingertips (PHE Technical Guide: Confidence intervals): exact Poisson limits
    # for fewer than 10 events, Byar's method for 10 or more. Published exact limits
    # (Breslow & Day 1987, Table 2.10): 1 -> (0.0253, 5.572), 9 -> (4.115, 17.085).
    out = stats.rate_ci([1, 9, 10], [1000, 1000, 1000], multiplier=1000)
    assert out["method"].tolist() == ["exact", "exact", "byar"]
    assert out.loc[0, ["lower", "upper"]].tolist() == [
        pytest.approx(0.0253, abs=5e-4), pytest.approx(5.572, abs=5e-4)]
    assert out.loc[1, ["lower", "upper"]].tolist() == [
        pytest.approx(4.115, abs=5e-4), pytest.approx(17.085, abs=5e-4)]
    lo10, hi10 = byar_by_hand(10)
    assert out.loc[2, ["lower", "upper"]].tolist() == [pytest.approx(lo10, rel=1e-12),
                                                        pytest.approx(hi10, rel=1e-12)]


def test_rate_ci_at_99_8_percent_matches_closed_form_exact_limits():
    # For 0 events the exact upper limit solves exp(-mu) = alpha/2, for 1 event the
    # lower limit solves 1 - exp(-mu) = alpha/2: closed forms, worked by hand.
    out = stats.rate_ci([0, 1], [1, 1], multiplier=1, confidence=0.998)
    assert out["confidence"].tolist() == [0.998, 0.998]
    assert out.loc[0, "upper"] == pytest.approx(-math.log(0.001), rel=1e-9)  # 6.9078
    assert out.loc[1, "lower"] == pytest.approx(-math.log(0.999), rel=1e-9)  # 0.0010005
    # 95% is narrower: 3.689 for 0 events (Garwood 1936)
    assert stats.rate_ci(0, 1, multiplier=1).loc[0, "upper"] == pytest.approx(
        -math.log(0.025), rel=1e-9)


def test_rate_ci_exact_zero_events_upper_is_3_689_over_denominator():
    out = stats.rate_ci(0, 1000, multiplier=1000, method="exact")
    assert out.loc[0, "lower"] == 0.0
    assert out.loc[0, "upper"] == pytest.approx(3.689, abs=5e-4)


def test_rate_ci_zero_denominator_is_nan_and_bad_arguments_raise():
    out = stats.rate_ci([3], [0])
    assert out.loc[0, ["value", "lower", "upper"]].isna().all()
    with pytest.raises(ValueError, match="method"):
        stats.rate_ci(3, 10, method="wald")
    with pytest.raises(ValueError, match="multiplier"):
        stats.rate_ci(3, 10, multiplier=0)
    with pytest.raises(ValueError, match=r"events\[0\] is -1"):
        stats.rate_ci(-1, 10)


# --------------------------------------------------------------------------------------
# rate ratio and relative likelihood
# --------------------------------------------------------------------------------------
def test_rate_ratio_log_normal_interval_by_hand():
    out = stats.rate_ratio(10, 1000, 20, 1000)
    se = math.sqrt(1 / 10 + 1 / 20)
    assert out.loc[0, "value"] == pytest.approx(0.5)
    assert out.loc[0, "lower"] == pytest.approx(0.5 * math.exp(-Z95 * se))
    assert out.loc[0, "upper"] == pytest.approx(0.5 * math.exp(Z95 * se))
    assert out.loc[0, "lower"] == pytest.approx(0.2341, abs=1e-4)


def test_rate_ratio_with_a_zero_count_is_nan_unless_corrected():
    plain = stats.rate_ratio([0], [1000], [5], [1000])
    assert plain.loc[0, ["value", "lower", "upper"]].isna().all()
    fixed = stats.rate_ratio([0], [1000], [5], [1000], zero_correction=True)
    assert fixed.loc[0, "value"] == pytest.approx(0.5 / 5.5)
    se = math.sqrt(1 / 0.5 + 1 / 5.5)
    assert fixed.loc[0, "upper"] == pytest.approx(0.5 / 5.5 * math.exp(Z95 * se))
    assert "0.5 added" in fixed.loc[0, "method"]


def test_relative_likelihood_wres_indicator_2_by_hand():
    # 30 of 200 shortlisted White applicants appointed; 20 of 250 BME applicants.
    out = stats.relative_likelihood(30, 200, 20, 250)
    rl = (30 / 200) / (20 / 250)
    se = math.sqrt(1 / 30 - 1 / 200 + 1 / 20 - 1 / 250)
    assert out.loc[0, "value"] == pytest.approx(1.875)
    assert out.loc[0, "value"] == pytest.approx(rl)
    assert out.loc[0, "lower"] == pytest.approx(rl * math.exp(-Z95 * se))
    assert out.loc[0, "upper"] == pytest.approx(rl * math.exp(Z95 * se))
    assert out.loc[0, "non_adverse"] is np.False_ or out.loc[0, "non_adverse"] is False


def test_relative_likelihood_non_adverse_band_is_inclusive_and_na_for_undefined():
    out = stats.relative_likelihood([80, 125, 79, 0], [200] * 4, [100, 100, 100, 10], [200] * 4)
    # ratios 0.80, 1.25, 0.79, undefined (0 events)
    assert out["value"].iloc[:3].tolist() == pytest.approx([0.80, 1.25, 0.79])
    assert out["non_adverse"].tolist()[:3] == [True, True, False]
    assert pd.isna(out["non_adverse"].iloc[3])


# --------------------------------------------------------------------------------------
# difference of proportions and the test
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("xa", "na", "xb", "nb", "lower", "upper"),
    [
        # Newcombe (1998) Stat Med 17:873-890, Table II, method 10.
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (5, 56, 0, 29, -0.0381, 0.1926),
        (0, 10, 0, 20, -0.1611, 0.2775),
    ],
)
def test_newcombe_difference_matches_published_examples(xa, na, xb, nb, lower, upper):
    out = stats.proportion_difference(xa, na, xb, nb)
    assert out.loc[0, "value"] == pytest.approx(xa / na - xb / nb)
    assert out.loc[0, "lower"] == pytest.approx(lower, abs=5e-5)
    assert out.loc[0, "upper"] == pytest.approx(upper, abs=5e-5)
    assert out.loc[0, "lower_pts"] == pytest.approx(100 * lower, abs=5e-3)


def test_newcombe_difference_equals_hand_formula_from_wilson_limits():
    la, ua = wilson_by_hand(30, 120)
    lb, ub = wilson_by_hand(50, 140)
    pa, pb = 30 / 120, 50 / 140
    out = stats.proportion_difference(30, 120, 50, 140)
    assert out.loc[0, "lower"] == pytest.approx(pa - pb - math.hypot(pa - la, ub - pb))
    assert out.loc[0, "upper"] == pytest.approx(pa - pb + math.hypot(ua - pa, pb - lb))


def test_two_proportion_z_test_by_hand():
    out = stats.two_proportion_test(56, 70, 48, 80)
    pooled = 104 / 150
    z = (56 / 70 - 48 / 80) / math.sqrt(pooled * (1 - pooled) * (1 / 70 + 1 / 80))
    p = math.erfc(abs(z) / math.sqrt(2))
    assert out.loc[0, "statistic"] == pytest.approx(z)
    assert out.loc[0, "p_value"] == pytest.approx(p)
    assert not out.loc[0, "small_expected"]


def test_fisher_exact_matches_the_lady_tasting_tea():
    # Fisher (1935): 3 of 4 correct vs 1 of 4; two-sided p = 34/70 = 0.4857.
    out = stats.two_proportion_test(3, 4, 1, 4, method="fisher")
    assert out.loc[0, "p_value"] == pytest.approx(34 / 70)
    assert out.loc[0, "small_expected"]


def test_auto_switches_to_fisher_only_when_expected_counts_are_small():
    out = stats.two_proportion_test([56, 3], [70, 4], [48, 1], [80, 4], method="auto")
    assert out["method"].tolist() == ["pooled z test", "Fisher's exact test"]


def test_two_proportion_test_zero_denominator_is_nan():
    out = stats.two_proportion_test([0], [0], [3], [10])
    assert np.isnan(out.loc[0, "p_value"])


# --------------------------------------------------------------------------------------
# slope and relative index of inequality
# --------------------------------------------------------------------------------------
def quintiles(rates, se=1.0, population=(100, 100, 100, 100, 100)):
    return pd.DataFrame(
        {"quintile": [1, 2, 3, 4, 5], "rate": rates, "se": se, "population": population}
    )


def test_sii_of_a_straight_line_is_its_slope_with_analytic_variance():
    # Equal quintiles sit at x = .1,.3,.5,.7,.9; the rates lie on y = 11 - 10x.
    out = stats.slope_index_of_inequality(quintiles([10, 8, 6, 4, 2]), method="analytic")
    assert out.loc[0, "value"] == pytest.approx(-10.0)
    assert out.loc[0, "fitted_most_deprived"] == pytest.approx(11.0)
    assert out.loc[0, "fitted_least_deprived"] == pytest.approx(1.0)
    # slope weights a(x - xbar)/sum a(x - xbar)^2 = (-1, -.5, 0, .5, 1): var = 2.5 se^2
    half = Z95 * math.sqrt(2.5)
    assert out.loc[0, "lower"] == pytest.approx(-10 - half)
    assert out.loc[0, "upper"] == pytest.approx(-10 + half)


def test_sii_simulation_agrees_with_analytic_interval():
    data = quintiles([10, 8, 6, 4, 2], se=[1.0, 0.8, 0.6, 0.5, 0.4])
    sim = stats.slope_index_of_inequality(data, method="simulation", reps=200_000, seed=7)
    ana = stats.slope_index_of_inequality(data, method="analytic")
    assert sim.loc[0, "lower"] == pytest.approx(ana.loc[0, "lower"], abs=0.05)
    assert sim.loc[0, "upper"] == pytest.approx(ana.loc[0, "upper"], abs=0.05)


def test_sii_with_unequal_populations_matches_statsmodels_wls():
    pops = np.array([300.0, 150.0, 200.0, 100.0, 250.0])
    rates = np.array([14.0, 9.0, 10.0, 6.0, 5.0])
    share = pops / pops.sum()
    x = np.cumsum(share) - share / 2
    fit = sm.WLS(rates, sm.add_constant(x), weights=share).fit()
    out = stats.slope_index_of_inequality(rates, population=pops, se=np.ones(5), method="analytic")
    assert out.loc[0, "value"] == pytest.approx(fit.params[1])
    rii = stats.relative_index_of_inequality(
        rates, population=pops, se=np.ones(5), method="analytic"
    )
    assert rii.loc[0, "value"] == pytest.approx((fit.params[0] + fit.params[1]) / fit.params[0])


def test_sii_orders_by_quintile_and_converts_limits_to_se():
    z = Z95
    data = pd.DataFrame(
        {
            "quintile": [5, 3, 1, 4, 2],
            "rate": [2.0, 6.0, 10.0, 4.0, 8.0],
            "lower": [2.0 - z, 6.0 - z, 10.0 - z, 4.0 - z, 8.0 - z],
            "upper": [2.0 + z, 6.0 + z, 10.0 + z, 4.0 + z, 8.0 + z],
            "population": [100] * 5,
        }
    )
    out = stats.slope_index_of_inequality(data, method="analytic")
    assert out.loc[0, "value"] == pytest.approx(-10.0)
    assert out.loc[0, "upper"] - out.loc[0, "value"] == pytest.approx(z * math.sqrt(2.5))
    rev = stats.slope_index_of_inequality(data, method="analytic", reverse=True)
    assert rev.loc[0, "value"] == pytest.approx(10.0)


def fieller_by_hand(n, d, vn, vd, c, z=Z95):
    # roots of (n - R d)^2 = z^2 (vn - 2 R c + R^2 vd)
    a, b, c0 = d * d - z * z * vd, n * d - z * z * c, n * n - z * z * vn
    root = math.sqrt(b * b - a * c0)
    return (b - root) / a, (b + root) / a


def test_rii_is_ratio_of_fitted_extremes_with_fieller_limits():
    # Rates 10, 8, 6, 4, 2 in equal quintiles lie on y = 11 - 10x: fitted 11 at the most
    # deprived end, 1 at the least. Fitted-end weights (worked by hand from the WLS):
    # x=0: (.7, .45, .2, -.05, -.3), x=1: (-.3, -.05, .2, .45, .7), so each end has
    # variance .825 se^2 and their covariance is -.425 se^2.
    out = stats.relative_index_of_inequality(
        quintiles([10, 8, 6, 4, 2], se=0.1), method="analytic", reverse=True
    )
    assert out.loc[0, "value"] == pytest.approx(11.0)  # most / least deprived
    lo, hi = fieller_by_hand(11.0, 1.0, 0.00825, 0.00825, -0.00425)
    assert out.loc[0, "lower"] == pytest.approx(lo, rel=1e-9)
    assert out.loc[0, "upper"] == pytest.approx(hi, rel=1e-9)
    assert out.loc[0, "note"] == ""
    assert "Fieller" in out.loc[0, "method"]


def test_rii_without_a_finite_upper_limit_says_so_in_both_methods():
    # se = 1: the least deprived end (1.0, sd sqrt(.825) = .91) may well be zero, so the
    # ratio most / least has no finite upper limit (Fieller: d^2 < z^2 vd).
    for method in ("analytic", "simulation"):
        with pytest.warns(RuntimeWarning, match="no finite upper limit"):
            out = stats.relative_index_of_inequality(
                quintiles([10, 8, 6, 4, 2]), method=method, reverse=True, reps=20_000)
        assert out.loc[0, "value"] == pytest.approx(11.0)
        assert np.isnan(out.loc[0, "upper"])
        assert out.loc[0, "lower"] > 0
        assert out.loc[0, "note"].startswith("no finite upper limit")
    # the two methods agree on the lower limit (Fieller root vs simulated percentile)
    with pytest.warns(RuntimeWarning):
        a = stats.relative_index_of_inequality(quintiles([10, 8, 6, 4, 2]),
                                               method="analytic", reverse=True)
        s = stats.relative_index_of_inequality(quintiles([10, 8, 6, 4, 2]),
                                               method="simulation", reverse=True)
    assert s.loc[0, "lower"] == pytest.approx(a.loc[0, "lower"], rel=0.03)


def test_rii_is_not_computed_when_a_fitted_end_is_not_positive():
    # rates 2, 0, 0, 1, 8: the fitted line is below zero at the most deprived end
    with pytest.warns(RuntimeWarning, match="not computed"):
        out = stats.relative_index_of_inequality(quintiles([2, 0, 0, 1, 8]),
                                                 method="analytic")
    assert out.loc[0, ["value", "lower", "upper"]].isna().all()
    assert out.loc[0, "note"].startswith("not computed")
    assert out.loc[0, "fitted_most_deprived"] < 0


def test_rii_simulation_agrees_with_fieller_for_large_counts():
    # 300, 250, 200, 150, 100 events in 3000 ... 1800 births: precise ends, so the
    # simulated percentiles and Fieller's limits agree closely.
    births = np.array([3000, 2500, 2200, 2000, 1800.0])
    r = stats.rate_ci([300, 250, 200, 150, 100], births)
    args = (r["value"].to_numpy(), r["lower"].to_numpy(), r["upper"].to_numpy(), births)
    a = stats.relative_index_of_inequality(*args, method="analytic", reverse=True)
    s = stats.relative_index_of_inequality(*args, method="simulation", reverse=True)
    for col in ("lower", "upper"):
        assert s.loc[0, col] == pytest.approx(a.loc[0, col], rel=0.01)
    assert a.loc[0, "lower"] > 1  # a significant gradient


def test_sii_rejects_missing_values_and_bad_inputs():
    with pytest.raises(ValueError, match=r"rates\[2\] is missing"):
        stats.slope_index_of_inequality([1, 2, np.nan, 4, 5], population=[1] * 5, se=[1] * 5)
    with pytest.raises(ValueError, match="se"):
        stats.slope_index_of_inequality([1, 2, 3], population=[1, 1, 1])
    with pytest.raises(ValueError, match="population"):
        stats.slope_index_of_inequality([1, 2, 3], population=[1, 0, 1], se=[1, 1, 1])
    with pytest.raises(ValueError, match="method"):
        stats.slope_index_of_inequality(quintiles([1, 2, 3, 4, 5]), method="bootstrap")


def test_rate_ci_keeps_series_index_and_exact_matches_chi_square_formula():
    events = pd.Series([4, 25], index=["Black", "White"])
    births = pd.Series([800, 5000], index=events.index)
    out = stats.rate_ci(events, births, method="exact")
    assert list(out.index) == ["Black", "White"]
    # exact limits for 4 events: 1.0899 and 10.2416 (Garwood; standard Poisson tables)
    assert out.loc["Black", "lower"] == pytest.approx(1.0899 / 800 * 1000, abs=1e-4)
    assert out.loc["Black", "upper"] == pytest.approx(10.2416 / 800 * 1000, abs=1e-4)


def test_unknown_proportion_method_is_rejected():
    with pytest.raises(ValueError, match="method must be one of"):
        stats.proportion_ci(1, 10, method="wald")
