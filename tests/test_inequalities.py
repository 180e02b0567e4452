"""The general indicator engine: counts, intervals, comparisons, ratios, and publication
through a disclosure release (the engine itself returns exact figures).

Expected values are worked by hand from the published formulas (Byar 1987 via Breslow &
Day; Wilson 1927 with Newcombe's 1998 worked examples; Katz 1978 log-normal ratios) or
constructed so the answer is known exactly (a linear gradient for the SII).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_series_equal

from edi_analysis import inequalities
from edi_analysis.disclosure import Population, Release, Role
from edi_analysis.errors import InputError
from edi_analysis.inequalities import (
    NO_SERVICE_DATA,
    change_between_periods,
    describe_gradient,
    describe_groups,
    describe_service,
    indicator_by_group,
    inequality_gradient,
    prepare_service_activity,
    service_section,
)

Z = 1.959963984540054


def counts(rows: list[tuple], columns=("group", "events", "n")) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns))


def row(result: pd.DataFrame, col: str, value: object) -> pd.Series:
    hit = result[result[col] == value]
    assert len(hit) == 1, f"expected one row for {col}={value!r}"
    return hit.iloc[0]


# --------------------------------------------------------------------------------------
# intervals against hand calculations and published worked examples
# --------------------------------------------------------------------------------------
def test_byar_interval_for_a_stillbirth_rate_matches_the_hand_calculation() -> None:
    # 10 stillbirths in 2,500 births. Byar: O(1 - 1/9O - z/3sqrt(O))^3 = 4.78745,
    # (O+1)(1 - 1/9(O+1) + z/3sqrt(O+1))^3 = 18.39146; per 1,000 births divide by 2.5.
    data = counts([("A", 10, 2500), ("B", 20, 2500)])
    res = indicator_by_group(data, "events", "n", by="group")
    a = row(res, "group", "A")
    assert a["value"] == pytest.approx(4.0)
    assert a["lower"] == pytest.approx(1.914980, rel=1e-5)
    assert a["upper"] == pytest.approx(7.356583, rel=1e-5)
    assert a["method"] == "byar"
    assert a["multiplier"] == 1000


def test_a_group_with_fewer_than_ten_events_gets_exact_poisson_limits() -> None:
    # 4 stillbirths in 800 births: Fingertips uses the exact limits below 10 events,
    # 1.0899 and 10.2416 events (Garwood; standard Poisson tables), per 1,000 / 0.8.
    data = counts([("A", 4, 800), ("B", 20, 2500)])
    res = indicator_by_group(data, "events", "n", by="group")
    a = row(res, "group", "A")
    assert a["method"] == "exact"
    assert a["lower"] == pytest.approx(1.0899 / 0.8, abs=1e-4)
    assert a["upper"] == pytest.approx(10.2416 / 0.8, abs=1e-4)
    assert row(res, "group", "B")["method"] == "byar"


def test_narrative_names_the_confidence_level_of_the_intervals() -> None:
    data = counts([("A", 10, 2500), ("B", 40, 2500)])
    res = indicator_by_group(data, "events", "n", by="group", confidence=0.998)
    text = " ".join(describe_groups(res, "group", "the rate", "events", "births"))
    assert "99.8% confidence interval" in text
    assert "95%" not in text


def test_wilson_interval_matches_newcombes_worked_examples() -> None:
    # Newcombe (1998) Table I: 81/263 -> 0.2553 to 0.3662; 15/148 -> 0.0624 to 0.1605.
    data = counts([("A", 81, 263), ("B", 15, 148)])
    res = indicator_by_group(
        data, "events", "n", by="group", measure="proportion"
    )
    a, b = row(res, "group", "A"), row(res, "group", "B")
    assert (a["lower"], a["upper"]) == pytest.approx((0.2553, 0.3662), abs=5e-5)
    assert (b["lower"], b["upper"]) == pytest.approx((0.0624, 0.1605), abs=5e-5)
    assert a["value"] == pytest.approx(81 / 263)
    assert a["method"] == "wilson"


def test_rate_ratio_against_reference_matches_the_log_normal_hand_calculation() -> None:
    # 20/1000 vs 10/1000: RR 2, SE(ln RR) = sqrt(1/20 + 1/10).
    data = counts([("Black", 20, 1000), ("White", 10, 1000)])
    res = indicator_by_group(
        data, "events", "n", by="group", reference="White"
    )
    black = row(res, "group", "Black")
    se = math.sqrt(1 / 20 + 1 / 10)
    assert black["ratio"] == pytest.approx(2.0)
    assert black["ratio_lower"] == pytest.approx(2 * math.exp(-Z * se))
    assert black["ratio_upper"] == pytest.approx(2 * math.exp(Z * se))
    white = row(res, "group", "White")
    assert white["is_reference"] and white["ratio"] == 1.0
    assert np.isnan(white["ratio_lower"])


def test_ratio_of_proportions_uses_katz_interval() -> None:
    # 30/100 vs 20/100: RR 1.5, SE = sqrt(1/30 - 1/100 + 1/20 - 1/100) -> 0.9160 to 2.4564.
    data = counts([("A", 30, 100), ("B", 20, 100)])
    res = indicator_by_group(
        data,
        "events",
        "n",
        by="group",
        measure="proportion",
        reference="B",
    )
    a = row(res, "group", "A")
    assert a["ratio"] == pytest.approx(1.5)
    assert (a["ratio_lower"], a["ratio_upper"]) == pytest.approx((0.915961, 2.456437), rel=1e-5)


# --------------------------------------------------------------------------------------
# records and counts, unknown groups, overall, comparison
# --------------------------------------------------------------------------------------
def test_records_and_counts_give_the_same_result() -> None:
    records = pd.DataFrame(
        {
            "group": ["A"] * 50 + ["B"] * 30,
            "event": [True] * 12 + [False] * 38 + [True] * 6 + [False] * 24,
        }
    )
    from_records = indicator_by_group(
        records, "event", by="group", measure="proportion"
    )
    from_counts = indicator_by_group(
        counts([("A", 12, 50), ("B", 6, 30)]),
        "events",
        "n",
        by="group",
        measure="proportion",
    )
    for col in ("numerator", "denominator", "value", "lower", "upper"):
        assert_series_equal(from_records[col], from_counts[col])


def test_unknown_group_values_are_kept_as_their_own_row_and_counted() -> None:
    records = pd.DataFrame(
        {
            "group": ["A"] * 20 + [None] * 6 + [""] * 2,
            "event": [1] * 10 + [0] * 10 + [1] * 8,
        }
    )
    res = indicator_by_group(
        records, "event", by="group", measure="proportion"
    )
    assert list(res["group"]) == ["A", "Not known", "All"]
    unknown = row(res, "group", "Not known")
    assert (unknown["numerator"], unknown["denominator"]) == (8, 8)
    overall = row(res, "group", "All")
    assert (overall["numerator"], overall["denominator"]) == (18, 28)
    assert overall["is_overall"]


def test_comparison_with_overall_follows_the_interval_rule() -> None:
    # Overall 150/3000 = 50 per 1,000. A: 100/1000 (CI ~81-122) is above it; C: 10/1000
    # (CI ~4.8-18.4) below it; B: 40/1000 (CI ~28.6-54.5) includes 50.
    data = counts([("A", 100, 1000), ("B", 40, 1000), ("C", 10, 1000)])
    res = indicator_by_group(data, "events", "n", by="group")
    assert list(res["comparison"]) == ["higher", "similar", "lower", "overall"]


def test_within_strata_have_their_own_overall_and_reference() -> None:
    data = pd.DataFrame(
        {
            "year": ["2024"] * 2 + ["2025"] * 2,
            "group": ["A", "B"] * 2,
            "events": [10, 20, 30, 30],
            "n": [1000, 1000, 1000, 1000],
        }
    )
    res = indicator_by_group(
        data, "events", "n", by="group", within="year", reference="B"
    )
    overall = res[res["is_overall"]].set_index("year")["value"]
    assert overall.to_dict() == {"2024": pytest.approx(15.0), "2025": pytest.approx(30.0)}
    a = res[res["group"] == "A"].set_index("year")["ratio"]
    assert a.to_dict() == {"2024": pytest.approx(0.5), "2025": pytest.approx(1.0)}


def test_two_group_columns_compare_with_the_reference_in_the_same_quintile() -> None:
    data = pd.DataFrame(
        {
            "eth": ["Black", "White", "Black", "White"],
            "q": [1, 1, 5, 5],
            "events": [30, 10, 20, 20],
            "n": [1000, 1000, 1000, 1000],
        }
    )
    res = indicator_by_group(
        data, "events", "n", by=["eth", "q"], reference={"eth": "White"}
    )
    black = res[res["eth"] == "Black"].set_index("q")["ratio"]
    assert black.to_dict() == {1: pytest.approx(3.0), 5: pytest.approx(1.0)}


# --------------------------------------------------------------------------------------
# disclosure control
# --------------------------------------------------------------------------------------
def _published(data: pd.DataFrame, policy: str = "standard", reference=None,
               measure: str = "rate") -> pd.DataFrame:
    """Declare a one-table release of group counts, protect it, publish it."""
    exact = indicator_by_group(data, "events", "n", by="group", reference=reference,
                               measure=measure)
    units = pd.DataFrame({
        "group": np.repeat(data["group"].to_numpy(), data["n"].to_numpy()),
        "outcome": np.concatenate([["event"] * e + ["none"] * (n - e)
                                   for e, n in zip(data["events"], data["n"], strict=True)]),
    })
    release = Release(policy)
    pop = release.add_population(Population("people", units=units))
    num, den = inequalities.indicator_keys(exact, pop, ["group"], {"outcome": "event"})
    roles = [Role.TOTAL if o else Role.DETAIL for o in exact["is_overall"]]
    inequalities.declare_indicator(release, "t", exact, num, den, roles=roles)
    release.protect()
    return inequalities.publish_indicator(release, "t", "group", reference=reference)


def test_indicator_by_group_is_exact_and_has_no_disclosure_columns() -> None:
    data = counts([("A", 3, 500), ("B", 40, 800), ("C", 60, 900)])
    res = indicator_by_group(data, "events", "n", by="group", reference="C")
    assert row(res, "group", "A")["numerator"] == 3
    assert "suppressed" not in res.columns and "numerator_display" not in res.columns


def test_small_event_counts_are_hidden_with_their_rates() -> None:
    data = counts([("A", 3, 500), ("B", 40, 800), ("C", 60, 900)])
    res = _published(data, reference="C")
    a = row(res, "group", "A")
    assert a["suppressed"] and np.isnan(a["numerator"]) and np.isnan(a["value"])
    assert np.isnan(a["lower"]) and np.isnan(a["ratio"])
    assert a["numerator_symbol"] in ("<5", "<10")
    assert a["comparison"] == "not compared"
    assert a["denominator"] == 500  # the births are not disclosive


def test_secondary_suppression_keeps_the_total_and_hides_a_subgroup() -> None:
    # The overall (103) is published: with only A hidden, A = 103 - 40 - 60.
    data = counts([("A", 3, 500), ("B", 40, 800), ("C", 60, 900)])
    res = _published(data)
    assert row(res, "group", "All")["numerator"] == 103
    hidden = res[res["suppressed"] & ~res["is_overall"]]
    assert len(hidden) >= 2 and "A" in set(hidden["group"])


def test_ratios_are_blank_when_the_reference_is_hidden() -> None:
    data = counts([("A", 30, 500), ("B", 40, 800), ("C", 2, 900), ("D", 50, 700)])
    res = _published(data, reference="C")
    assert row(res, "group", "C")["suppressed"]
    assert res.loc[~res["is_overall"], "ratio"].isna().all()


def test_rounding_policy_computes_rates_from_rounded_counts() -> None:
    data = counts([("A", 12, 1003), ("B", 48, 2001)])
    res = _published(data, policy="nhs_digital")
    shown = res[~res["suppressed"]]
    assert len(shown)
    for _, r in shown.iterrows():
        assert r["numerator"] % 5 == 0 and r["denominator"] % 5 == 0
        assert r["value"] == pytest.approx(round(r["numerator"] / r["denominator"] * 1000, 1))


def test_published_values_are_rounded_to_the_reports_precision() -> None:
    data = counts([("A", 40, 700), ("B", 45, 800)])
    rates = _published(data)
    assert (rates["value"] * 10).round(9).eq((rates["value"] * 10).round()).all()
    props = _published(data, measure="proportion")
    assert (props["value"] * 1000).round(9).eq((props["value"] * 1000).round()).all()


# --------------------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------------------
def test_missing_column_raises_input_error_naming_it() -> None:
    with pytest.raises(InputError, match="'events'"):
        indicator_by_group(pd.DataFrame({"group": ["A"], "n": [1]}), "events", "n", by="group")


def test_negative_count_raises_input_error_with_the_row() -> None:
    data = counts([("A", 1, 10), ("B", -2, 10)])
    with pytest.raises(InputError, match="row 3"):
        indicator_by_group(data, "events", "n", by="group")


def test_proportion_numerator_above_denominator_is_refused() -> None:
    with pytest.raises(ValueError, match="exceeds the denominator"):
        indicator_by_group(counts([("A", 11, 10)]), "events", "n", by="group", measure="proportion")


def test_unknown_reference_value_is_refused() -> None:
    with pytest.raises(ValueError, match="'Purple'"):
        indicator_by_group(counts([("A", 1, 10)]), "events", "n", by="group", reference="Purple")


def test_bad_measure_is_refused() -> None:
    with pytest.raises(ValueError, match="measure"):
        indicator_by_group(counts([("A", 1, 10)]), "events", "n", by="group", measure="mean")


# --------------------------------------------------------------------------------------
# change between periods
# --------------------------------------------------------------------------------------
def test_change_between_periods_uses_the_ratio_interval() -> None:
    # 10/3000 -> 30/3000: ratio 3, SE sqrt(1/10 + 1/30); interval excludes 1.
    data = pd.DataFrame(
        {
            "year": ["2024", "2025", "2024", "2025"],
            "group": ["A", "A", "B", "B"],
            "events": [10, 30, 20, 22],
            "n": [3000, 3000, 3000, 3000],
        }
    )
    res = change_between_periods(data, "events", "n", by="group", period="year")
    a = row(res, "group", "A")
    se = math.sqrt(1 / 10 + 1 / 30)
    assert a["ratio"] == pytest.approx(3.0)
    assert (a["ratio_lower"], a["ratio_upper"]) == pytest.approx(
        (3 * math.exp(-Z * se), 3 * math.exp(Z * se))
    )
    assert a["change"] == pytest.approx(20 / 3)
    assert a["direction"] == "increased"
    assert row(res, "group", "B")["direction"] == "no significant change"
    assert (a["from_period"], a["to_period"]) == ("2024", "2025")


def test_change_is_not_compared_when_a_count_is_not_published() -> None:
    both = pd.DataFrame({"group": ["A", "B"], "numerator_from": [np.nan, 20.0],
                         "denominator_from": [3000.0, 3000.0], "numerator_to": [30.0, 22.0],
                         "denominator_to": [3000.0, 3000.0]})
    res = inequalities.derive_change(both, "rate", 1000)
    a = row(res, "group", "A")
    assert np.isnan(a["change"]) and np.isnan(a["ratio"]) and a["direction"] == "not compared"
    assert row(res, "group", "B")["direction"] == "no significant change"


def test_change_needs_two_periods() -> None:
    with pytest.raises(ValueError, match="one period"):
        change_between_periods(
            pd.DataFrame({"year": ["2024"], "group": ["A"], "events": [1], "n": [10]}),
            "events",
            "n",
            by="group",
        )


# --------------------------------------------------------------------------------------
# inequality gradient
# --------------------------------------------------------------------------------------
def _quintile_result(events: list[int], births: list[int]) -> pd.DataFrame:
    data = pd.DataFrame({"imd_quintile": [1, 2, 3, 4, 5], "events": events, "n": births})
    return indicator_by_group(data, "events", "n", by="imd_quintile")


def test_sii_recovers_the_slope_of_an_exactly_linear_gradient() -> None:
    # Equal quintiles sit at 0.1, 0.3, ..., 0.9 from the most deprived end; values
    # 10 - 5x per 1,000 -> fitted 10 at the most deprived end, 5 at the least: SII 5, RII 2.
    res = _quintile_result([95, 85, 75, 65, 55], [10_000] * 5)
    grad = inequality_gradient(res, method="analytic")
    assert grad.loc[0, "sii"] == pytest.approx(5.0)
    assert grad.loc[0, "rii"] == pytest.approx(2.0)
    assert grad.loc[0, "fitted_most_deprived"] == pytest.approx(10.0)
    assert grad.loc[0, "sii_lower"] < 5 < grad.loc[0, "sii_upper"]


def test_sii_weights_quintiles_by_their_denominators() -> None:
    # Shares .1 .2 .3 .2 .2 -> midpoints .05 .2 .45 .7 .9; values 10 - 5x per 1,000.
    res = _quintile_result([39, 72, 93, 52, 44], [4000, 8000, 12000, 8000, 8000])
    grad = inequality_gradient(res, method="analytic")
    assert grad.loc[0, "sii"] == pytest.approx(5.0)
    assert grad.loc[0, "fitted_least_deprived"] == pytest.approx(5.0)


def test_sii_is_not_calculated_when_a_quintile_is_hidden() -> None:
    data = pd.DataFrame(
        {"imd_quintile": [1, 2, 3, 4, 5], "events": [40, 30, 20, 3, 25], "n": [5000] * 5}
    )
    res = indicator_by_group(data, "events", "n", by="imd_quintile")
    res.loc[res["imd_quintile"] == 4, ["numerator", "value", "lower", "upper"]] = np.nan
    grad = inequality_gradient(res)
    assert np.isnan(grad.loc[0, "sii"])
    assert "five quintiles" in grad.loc[0, "note"]


def test_gradient_records_why_a_small_count_rii_has_no_upper_limit() -> None:
    # 12, 8, 6, 4, 2 stillbirths: the least deprived end's fitted rate may be zero, so
    # the RII (most / least deprived) has a lower limit but no finite upper one; the
    # table says so instead of printing an arbitrary number (issue 13)
    res = _quintile_result([12, 8, 6, 4, 2], [3000, 2500, 2200, 2000, 1800])
    for method in ("analytic", "simulation"):
        grad = inequality_gradient(res, method=method)
        assert grad.loc[0, "rii"] == pytest.approx(4.275, abs=1e-3)
        assert 0 < grad.loc[0, "rii_lower"] < grad.loc[0, "rii"]
        assert np.isnan(grad.loc[0, "rii_upper"])
        assert grad.loc[0, "note"].startswith("RII no finite upper limit")
        assert not np.isnan(grad.loc[0, "sii_upper"])


def test_gradient_and_change_carry_their_confidence_level() -> None:
    data = pd.DataFrame({"imd_quintile": [1, 2, 3, 4, 5], "events": [95, 85, 75, 65, 55],
                         "n": [10_000] * 5})
    res = indicator_by_group(data, "events", "n", by="imd_quintile", confidence=0.998)
    assert set(res["confidence"]) == {0.998}
    grad = inequality_gradient(res, confidence=0.998, method="analytic")
    base = inequality_gradient(indicator_by_group(data, "events", "n", by="imd_quintile"),
                               method="analytic")
    assert grad.loc[0, "confidence"] == 0.998
    assert base.loc[0, "confidence"] == 0.95
    # 99.8% limits are wider than 95% ones (z 3.09 against 1.96)
    assert (grad.loc[0, "sii_upper"] - grad.loc[0, "sii_lower"]
            > base.loc[0, "sii_upper"] - base.loc[0, "sii_lower"])
    both = pd.DataFrame({"year": ["2024", "2024", "2025", "2025"], "g": ["A", "B"] * 2,
                         "events": [10, 20, 15, 25], "n": [1000] * 4})
    change = change_between_periods(both, "events", "n", by="g", confidence=0.998)
    assert set(change["confidence"]) == {0.998}


# --------------------------------------------------------------------------------------
# narrative
# --------------------------------------------------------------------------------------
def test_narrative_never_calls_a_non_significant_difference_higher_without_saying_so() -> None:
    data = counts([("A", 7, 1000), ("B", 50, 10000), ("C", 60, 10000)])
    res = indicator_by_group(data, "events", "n", by="group", reference="C")
    text = " ".join(describe_groups(res, "group", "the rate", "events", "births"))
    assert "higher than overall, but not statistically significantly" in text
    assert "fewer than 10 events" in text and "imprecise" in text
    assert "significantly higher than overall." not in text


def test_narrative_names_suppressed_groups_without_their_numbers() -> None:
    data = counts([("A", 3, 500), ("B", 40, 800), ("C", 60, 900)])
    res = _published(data)
    hidden = sorted(res.loc[res["suppressed"] & ~res["is_overall"], "group"])
    text = " ".join(describe_groups(res, "group", "the rate", "events", "births"))
    assert "not shown to protect confidentiality" in text
    assert " and ".join(hidden) in text and " 3 events" not in text


def test_narrative_says_no_events_rather_than_a_rate_of_zero() -> None:
    data = counts([("A", 0, 400), ("B", 50, 10000), ("C", 60, 10000)])
    res = indicator_by_group(data, "events", "n", by="group")
    text = " ".join(describe_groups(res, "group", "the rate", "stillbirths", "births"))
    assert "There were no stillbirths for A" in text
    assert "A is based on fewer" not in text


# --------------------------------------------------------------------------------------
# SII direction in words
# --------------------------------------------------------------------------------------
def test_gradient_sentence_states_direction_for_an_indicator_where_higher_is_better() -> None:
    # Recovery-like proportion 0.40 + 0.20x at midpoints .1 .3 .5 .7 .9 (most -> least
    # deprived): fitted 40% at the most deprived end, 60% at the least; most minus least
    # deprived = -20 percentage points (OHID's least-minus-most would be +20).
    data = pd.DataFrame({"imd_quintile": [1, 2, 3, 4, 5],
                         "met": [4200, 4600, 5000, 5400, 5800], "n": [10_000] * 5})  # fmt: skip
    res = indicator_by_group(data, "met", "n", by="imd_quintile", measure="proportion",
                             )  # fmt: skip
    grad = inequality_gradient(res, method="analytic")
    assert grad.loc[0, "sii"] == pytest.approx(-0.20)
    text = describe_gradient(grad, "recovery", "percentage points", 100)
    assert text[0].startswith("Recovery was lower in more deprived areas")
    assert "from 40.0% at the most deprived end to 60.0% at the least deprived end" in text[0]
    assert "a gap of 20.0 percentage points" in text[0]
    assert "most deprived minus least deprived, -20.0 percentage points" in text[0]
    assert "Fingertips" in text[-1] and "opposite" in text[-1]


def test_gradient_sentence_for_a_rate_higher_in_more_deprived_areas() -> None:
    res = _quintile_result([95, 85, 75, 65, 55], [10_000] * 5)
    grad = inequality_gradient(res, method="analytic")
    text = describe_gradient(grad, "the stillbirth rate", "per 1,000 births")
    assert text[0].startswith("The stillbirth rate was higher in more deprived areas")
    assert "from 10.0 per 1,000 births at the most deprived end" in text[0]
    assert "most deprived minus least deprived, +5.0 per 1,000 births" in text[0]


def test_gradient_sentence_says_not_significant_when_the_interval_includes_zero() -> None:
    res = _quintile_result([12, 10, 11, 9, 10], [1000] * 5)
    grad = inequality_gradient(res, method="analytic")
    assert grad.loc[0, "sii_lower"] < 0 < grad.loc[0, "sii_upper"]
    text = describe_gradient(grad, "the rate", "per 1,000 births")
    assert text[0].startswith("There was no statistically significant gradient in the rate")
    assert "includes zero" in text[0]


# --------------------------------------------------------------------------------------
# service indicators (service_activity input)
# --------------------------------------------------------------------------------------
def _activity(**extra) -> pd.DataFrame:
    rows = [
        # period, indicator, place, quintile, numerator, denominator
        ("2024-25", "Screening uptake", "A", 1, 50, 100),
        ("2025-26", "Recovery", "A", 1, 30, 50),
        ("2025-26", "Recovery", "A", 2, 35, 60),
        ("2025-26", "Recovery", "B", 3, 40, 70),
        ("2025-26", "Recovery", "B", 4, 45, 75),
        ("2025-26", "Recovery", "B", 5, 50, 80),
        ("2025-26", "Recovery", "B", None, 6, 10),
        ("2024-25", "Recovery", "A", 1, 20, 40),
    ]
    df = pd.DataFrame(rows, columns=["period", "indicator", "place", "imd_quintile",
                                     "numerator", "denominator"])  # fmt: skip
    df["imd_quintile"] = df["imd_quintile"].astype("Int64")
    return df.assign(measure="proportion", multiplier=1.0, **extra)


def test_service_section_defaults_to_first_indicator_and_latest_period() -> None:
    sec = service_section(_activity(), sii_method="analytic")
    assert sec.indicator == "Recovery" and sec.indicators == ["Recovery", "Screening uptake"]
    assert sec.period == "2025-26" and sec.periods == ["2024-25", "2025-26"]
    latest = sec.by_place[sec.by_place["period"] == "2025-26"]
    assert row(latest, "place", "A")["value"] == pytest.approx(65 / 110)
    assert row(latest, "place", "B")["value"] == pytest.approx(141 / 235)
    assert row(latest, "place", "All")["value"] == pytest.approx(206 / 345)
    q = sec.by_quintile[sec.by_quintile["period"] == "2025-26"]
    assert row(q, "imd_quintile", inequalities.UNKNOWN_LABEL)["denominator"] == 10
    assert row(q, "imd_quintile", 1)["ratio"] == pytest.approx((30 / 50) / (50 / 80))
    assert list(sec.gradient["period"]) == ["2024-25", "2025-26"]
    assert not sec.synthetic and sec.available
    assert set(sec.table_names().values()) == {"service_recovery_by_place",
                                               "service_recovery_by_imd_quintile",
                                 "service_recovery_gradient"}  # fmt: skip


def test_service_section_chooses_an_indicator_and_rejects_unknown_ones() -> None:
    sec = service_section(_activity(), indicator="Screening uptake")
    assert sec.period == "2024-25"
    assert row(sec.by_place, "place", "A")["value"] == pytest.approx(0.5)
    with pytest.raises(ValueError, match=r"'Recovery', 'Screening uptake'"):
        service_section(_activity(), indicator="Recovry")
    with pytest.raises(ValueError, match="2023-24"):
        service_section(_activity(), period="2023-24")


def test_service_section_rate_uses_the_file_multiplier() -> None:
    data = _activity().assign(measure="rate", multiplier=100_000.0)
    sec = service_section(data)
    a = row(sec.by_place[sec.by_place["period"] == "2025-26"], "place", "A")
    assert a["value"] == pytest.approx(65 / 110 * 100_000)
    assert sec.measure == "rate" and sec.multiplier == 100_000


def test_service_section_without_a_file_or_a_column_says_so() -> None:
    empty = service_section(None)
    assert not empty.available and empty.table_names() == {}
    assert describe_service(empty) == [NO_SERVICE_DATA]
    assert "service_activity.csv" in NO_SERVICE_DATA
    only_place = service_section(_activity().drop(columns="imd_quintile"),
                                 )  # fmt: skip
    assert only_place.by_quintile is None and only_place.gradient is None
    assert any("no imd_quintile" in n for n in only_place.notes)
    assert any("no imd_quintile" in s for s in describe_service(only_place))


def test_record_level_activity_gets_imd_quintiles_from_lsoa_codes() -> None:
    from edi_analysis import deprivation

    imd = deprivation.imd_by_lsoa("2025").set_index("lsoa_code")
    codes = [imd.index[0], imd.index[1], "E01999999", None]
    data = pd.DataFrame({"period": "2025-26", "indicator": "Recovery", "measure": "proportion",
                         "lsoa_code": codes, "numerator": [1, 0, 1, 1],
                         "denominator": 1})  # fmt: skip
    out = prepare_service_activity(data)
    expected = [int(imd.loc[c, "imd_quintile"]) for c in codes[:2]]
    assert out["imd_quintile"].tolist()[:2] == expected
    assert out["imd_quintile"].iloc[2:].isna().all()
    assert out.attrs["imd_unmatched"] == 2
    sec = service_section(data)
    unknown = row(sec.by_quintile, "imd_quintile", inequalities.UNKNOWN_LABEL)
    assert unknown["denominator"] == 2 and unknown["numerator"] == 2
    assert any("2 records" in n for n in sec.notes)


def test_service_narrative_names_synthetic_data_and_other_indicators() -> None:
    data = _activity(data_label="SYNTHETIC")
    sec = service_section(data, sii_method="analytic")
    text = describe_service(sec)
    assert "SYNTHETIC" in text[0]
    assert "Screening uptake" in text[1] and "service_indicator" in text[1]
