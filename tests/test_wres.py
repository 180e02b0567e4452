"""Tests for edi_analysis.wres: WRES workforce indicators worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from edi_analysis import wres


def _rows(**columns: list) -> pd.DataFrame:
    data = {}
    for name, spec in columns.items():
        data[name] = [v for v, k in spec for _ in range(k)]
    return pd.DataFrame(data)


def test_bme_is_every_group_but_white_and_not_stated_is_apart() -> None:
    codes = pd.Series(["A", "B", "C", "D", "H", "R", "S", "Z", "99", None, " n "])
    assert wres.ethnicity_group(codes).tolist() == [
        "White", "White", "White", "BME", "BME", "BME", "BME", "Not stated", "Not stated",
        "Not stated", "BME"]


def test_workforce_type_splits_non_clinical_clinical_and_medical() -> None:
    staff = pd.DataFrame({
        "pay_band": ["Band 5", "Band 5", "Medical - Consultant", "Band 6"],
        "staff_group": ["Administrative and Clerical", "Nursing and Midwifery Registered",
                        "Medical and Dental", "Estates and Ancillary"],
    })
    assert wres.workforce_type(staff).tolist() == [
        "Non-clinical", "Clinical", "Medical and dental", "Non-clinical"]


def test_indicator_2_relative_likelihood_by_hand() -> None:
    # White: 10 appointed of 40 shortlisted (0.25); BME: 5 of 50 (0.10) -> 2.5
    rec = _rows(ethnic_category=[("A", 40), ("H", 50), ("Z", 7)],
                appointed=[(True, 10), (False, 30), (True, 5), (False, 45), (True, 7)])
    row = wres.wres_indicator_2(rec).iloc[0]
    assert row["value_a"] == pytest.approx(0.25)
    assert row["value_b"] == pytest.approx(0.10)
    assert row["value"] == pytest.approx(2.5)
    assert row["denominator_a"] == 40 and row["denominator_b"] == 50  # not stated left out
    assert not row["non_adverse"]
    assert row["reference"] == "White" and row["comparison"] == "BME"


def test_missing_input_gives_a_not_available_row() -> None:
    row = wres.wres_indicator_2(None).iloc[0]
    assert not row["available"]
    assert row["note"] == "not available: no recruitment file supplied"
    assert list(wres.wres_indicator_2(None).columns) == wres.RESULT_COLUMNS


def test_indicator_3_uses_a_two_year_rolling_average() -> None:
    # 2023: 4 BME, 2 White; 2024: 2 BME, 4 White; 2022 (outside the window): 10 BME.
    # Averages 3 and 3; headcount BME 100, White 300 -> (3/100) / (3/300) = 3.0
    disc = _rows(ethnic_category=[("H", 4), ("A", 2), ("H", 2), ("A", 4), ("H", 10)],
                 year=[(2023, 6), (2024, 6), (2022, 10)])
    staff = _rows(ethnic_category=[("H", 100), ("A", 300), ("Z", 50)])
    row = wres.wres_indicator_3(staff, disc).iloc[0]
    assert row["numerator_a"] == pytest.approx(3.0)
    assert row["numerator_b"] == pytest.approx(3.0)
    assert row["value"] == pytest.approx(3.0)
    assert row["reference"] == "BME"
    assert "two-year rolling average of 2023 and 2024" in row["note"]


def test_indicator_3_single_year_says_so() -> None:
    disc = _rows(ethnic_category=[("H", 2), ("A", 2)])
    staff = _rows(ethnic_category=[("H", 100), ("A", 100)])
    row = wres.wres_indicator_3(staff, disc).iloc[0]
    assert row["value"] == pytest.approx(1.0)
    assert "two-year average" in row["note"]


def test_indicator_3_from_aggregated_counts() -> None:
    counts = pd.DataFrame({"group_type": ["Ethnicity", "Ethnicity", "Disability"],
                           "group": ["White", "BME", "Yes"], "cases": [2, 4, 1]})
    staff = _rows(ethnic_category=[("H", 100), ("A", 200)])
    row = wres.wres_indicator_3(staff, None, counts).iloc[0]
    assert row["value"] == pytest.approx((4 / 100) / (2 / 200))


def test_indicator_4_training_by_hand() -> None:
    training = _rows(ethnic_category=[("A", 10), ("H", 10)],
                     accessed=[(True, 6), (False, 4), (True, 3), (False, 7)])
    staff = _rows(ethnic_category=[("A", 10), ("H", 10)])
    row = wres.wres_indicator_4(staff, training).iloc[0]
    assert row["value"] == pytest.approx(2.0)


def test_indicator_9_board_minus_workforce_in_points() -> None:
    board = pd.DataFrame({
        "ethnic_category": ["H", "N", "A", "A", "A", "A", "A", "A", "A", "Z"],
        "voting": [True] * 8 + [False, False],
        "executive": [True, False, True, False, True, False, True, False, True, False],
    })
    staff = _rows(ethnic_category=[("H", 30), ("A", 70)])
    out = wres.wres_indicator_9(staff, board).set_index("breakdown")
    # total board: 2 BME of 9 known = 22.2%; workforce 30% -> -7.78 points
    assert out.at["Total board", "value"] == pytest.approx((2 / 9 - 0.3) * 100)
    # voting members: 2 of 8 = 25% -> -5 points
    assert out.at["Voting members", "value"] == pytest.approx(-5.0)
    assert out.at["Executive members", "denominator_a"] == 5
    assert (out["unit"] == "percentage points").all()


def test_indicator_1_counts_by_band_with_overall_row() -> None:
    staff = pd.DataFrame({
        "pay_band": ["Band 5"] * 4 + ["Band 8a"] * 2,
        "staff_group": ["Administrative and Clerical"] * 6,
        "ethnic_category": ["A", "A", "H", "Z", "A", "H"],
    })
    t = wres.wres_indicator_1(staff)
    b5 = t[(t["band"] == "Band 5")].iloc[0]
    assert (b5["White"], b5["BME"], b5["Not stated"], b5["total"]) == (2, 1, 1, 4)
    assert b5["BME_share"] == pytest.approx(1 / 3)
    overall = t[t["workforce"] == "Overall workforce"].iloc[0]
    assert overall["total"] == 6


def test_publish_indicator_hides_ratios_built_on_small_counts() -> None:
    rec = _rows(ethnic_category=[("A", 40), ("H", 50)],
                appointed=[(True, 10), (False, 30), (True, 2), (False, 48)])
    out = wres.publish_indicator(wres.wres_indicator_2(rec), "standard").iloc[0]
    assert out["suppressed"]
    assert math.isnan(out["numerator_b"])
    assert math.isnan(out["value"]) and math.isnan(out["value_b"])
    assert out["symbol"] == "<5"


def test_publish_indicator_keeps_large_counts() -> None:
    rec = _rows(ethnic_category=[("A", 40), ("H", 50)],
                appointed=[(True, 10), (False, 30), (True, 10), (False, 40)])
    out = wres.publish_indicator(wres.wres_indicator_2(rec), "standard").iloc[0]
    assert not out["suppressed"]
    assert out["value"] == pytest.approx(1.25)


def test_publish_by_band_leaves_no_line_with_one_hidden_cell() -> None:
    staff = pd.DataFrame({
        "pay_band": ["Band 5"] * 20 + ["Band 6"] * 20 + ["Band 7"] * 3,
        "staff_group": ["Administrative and Clerical"] * 43,
        "ethnic_category": ["A"] * 12 + ["H"] * 8 + ["A"] * 10 + ["H"] * 10 + ["H"] * 3,
    })
    out = wres.publish_by_band(wres.wres_indicator_1(staff), ["White", "BME"], "Not stated")
    block = out[out["workforce"] == "Non-clinical"].set_index("band")
    hidden = block[["White", "BME", "Not stated", "total"]].isna()
    assert block.at["Band 7", "BME_symbol"] == "<5"
    zero = block[["White", "BME", "Not stated"]] == 0
    body = hidden[["White", "BME", "Not stated"]] & ~zero
    assert ((body.sum(axis=1) != 1) | hidden["total"]).all()
    assert (hidden.drop(index="Total")[["White", "BME"]].sum(axis=0) != 1).all()


def test_summary_lists_every_indicator_and_sentences_explain_gaps() -> None:
    staff = _rows(ethnic_category=[("A", 10)])
    summary = wres.wres_summary({"staff_records": staff})
    assert summary["indicator"].tolist() == ["2", "3", "4", "9"]
    assert not summary["available"].any()
    text = wres.indicator_sentences(summary)
    assert "WRES indicator 2 is not available: no recruitment file supplied." in text


def test_rolling_counts_without_years() -> None:
    events = pd.DataFrame({"x": [1, 2, 3]})
    counts, note = wres.rolling_counts(events, pd.Series(["White", "BME", "BME"]),
                                       ["White", "BME"])
    np.testing.assert_allclose(counts.to_numpy(), [1.0, 2.0])
    assert "one year only" in note


def test_indicator_3_window_ends_at_the_report_period() -> None:
    # 2023-24: 10 BME (outside the window); 2024-25: 4 BME, 2 White; 2025-26: 2 BME, 4 White.
    disc = _rows(ethnic_category=[("H", 10), ("H", 4), ("A", 2), ("H", 2), ("A", 4)],
                 year=[("2023-24", 10), ("2024-25", 6), ("2025-26", 6)])
    staff = _rows(ethnic_category=[("H", 100), ("A", 300)])
    row = wres.wres_indicator_3(staff, disc, period="2025-26").iloc[0]
    assert (row["numerator_a"], row["numerator_b"]) == (pytest.approx(3.0), pytest.approx(3.0))
    assert "two-year rolling average of 2024-25 and 2025-26" in row["note"]
    # a report a year earlier averages 2023-24 and 2024-25: BME (10 + 4) / 2 = 7, White 1
    early = wres.wres_indicator_3(staff, disc, period="2024-25").iloc[0]
    assert (early["numerator_a"], early["numerator_b"]) == (pytest.approx(7.0),
                                                            pytest.approx(1.0))
    assert early["value"] == pytest.approx((7 / 100) / (1 / 300))


def test_indicator_3_counts_a_year_without_cases_as_zero() -> None:
    disc = _rows(ethnic_category=[("H", 4), ("A", 2)], year=[("2023-24", 2), ("2025-26", 4)])
    staff = _rows(ethnic_category=[("H", 100), ("A", 100)])
    row = wres.wres_indicator_3(staff, disc, period="2025-26").iloc[0]
    # rows: 2023-24 H H (outside); 2025-26 H H A A; 2024-25 none -> BME 2 / 2 = 1, White 1
    assert row["numerator_a"] == pytest.approx(1.0)
    assert row["numerator_b"] == pytest.approx(1.0)
    assert "no cases recorded in 2024-25" in row["note"]


def test_indicator_3_from_counts_by_year() -> None:
    counts = pd.DataFrame({"group_type": ["Ethnicity"] * 4 + ["Disability"],
                           "group": ["White", "BME", "White", "BME", "Yes"],
                           "cases": [2, 3, 4, 5, 9],
                           "year": ["2024-25", "2024-25", "2025-26", "2025-26", "2025-26"]})
    staff = _rows(ethnic_category=[("H", 100), ("A", 300)])
    via_counts = wres.wres_indicator_3(staff, None, counts, period="2025-26").iloc[0]
    # averages: BME (3 + 5) / 2 = 4, White (2 + 4) / 2 = 3 -> (4/100) / (3/300) = 4.0
    assert via_counts["value"] == pytest.approx(4.0)
    # the loader puts an aggregated file under "disciplinary": read the same way
    via_slot = wres.wres_summary({"staff_records": staff, "disciplinary": counts},
                                 period="2025-26")
    assert via_slot.set_index("indicator").at["3", "value"] == pytest.approx(4.0)


def test_indicator_3_counts_without_ethnicity_rows_is_not_available() -> None:
    counts = pd.DataFrame({"group_type": ["Disability"], "group": ["Yes"], "cases": [2]})
    row = wres.wres_indicator_3(_rows(ethnic_category=[("A", 5)]), counts).iloc[0]
    assert not row["available"] and "no ethnicity rows" in row["note"]


def test_previous_year_of_each_form() -> None:
    assert wres.previous_year("2000-01") == "1999-00"
    assert wres.previous_year(2025) == 2024
    assert wres.previous_year("2025") == "2024"
    assert wres.previous_year("last year") is None


def test_a_fractional_rolling_average_is_suppressed_not_read_as_zero() -> None:
    # One case in two years is a rolling average of 0.5: it must be hidden, not shown.
    result = pd.DataFrame([{
        "indicator": "3", "available": True, "numerator_a": 0.5, "denominator_a": 40.0,
        "numerator_b": 6.0, "denominator_b": 200.0, "value_a": 0.5 / 40, "value_b": 0.03,
        "value": 0.4, "lower": 0.1, "upper": 2.0, "non_adverse": False,
    }])
    out = wres.publish_indicator(result, "standard")
    assert bool(out.at[0, "suppressed"])
    assert pd.isna(out.at[0, "numerator_a"]) and pd.isna(out.at[0, "value"])
