"""Tests for edi_analysis.wres: WRES workforce indicators worked by hand.

What the chapter publishes of them (protected by the disclosure model, likelihoods
recomputed from published counts) is tested in ``test_workforce_publication.py``.
"""

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


def test_indicator_2_interval_is_katz_by_hand() -> None:
    # White 10 of 40, BME 5 of 50: SE(ln RL) = sqrt(1/10 - 1/40 + 1/5 - 1/50)
    rec = _rows(ethnic_category=[("A", 40), ("H", 50)],
                appointed=[(True, 10), (False, 30), (True, 5), (False, 45)])
    row = wres.wres_indicator_2(rec).iloc[0]
    se = math.sqrt(1 / 10 - 1 / 40 + 1 / 5 - 1 / 50)
    z = 1.959963984540054
    assert row["lower"] == pytest.approx(2.5 * math.exp(-z * se))
    assert row["upper"] == pytest.approx(2.5 * math.exp(z * se))
    assert (row["lower"], row["upper"]) == (pytest.approx(0.9292, abs=1e-4),
                                            pytest.approx(6.7263, abs=1e-4))


def test_relative_likelihood_indicator_without_events_is_undefined_and_says_so() -> None:
    out = wres.relative_likelihood_indicator(
        "WRES", "2", "desc", pd.Series({"White": 0.0, "BME": 3.0}),
        pd.Series({"White": 20.0, "BME": 30.0}), "White", "BME", note="n1").iloc[0]
    assert math.isnan(out["value"]) and pd.isna(out["non_adverse"])
    assert out["note"] == "n1; ratio undefined: a group has no events or no members"
    assert out["value_b"] == pytest.approx(0.1)
    assert bool(out["available"]) and out["unit"] == "ratio"


def test_non_adverse_band_is_080_to_125() -> None:
    def rl(a: float, b: float) -> object:
        return wres.relative_likelihood_indicator(
            "WRES", "4", "d", pd.Series({"White": a, "BME": b}),
            pd.Series({"White": 100.0, "BME": 100.0}), "White", "BME").iloc[0]["non_adverse"]

    assert rl(25, 20) and rl(20, 25)  # 1.25 and 0.80 are inside
    assert not rl(26, 20) and not rl(19, 25)


def test_representation_by_band_blocks_totals_and_shares() -> None:
    staff = pd.DataFrame({
        "pay_band": ["Band 5", "Band 5", "Band 5", "Band 7", "Band 7",
                     "Medical - Consultant", "Band 6", "Band 6"],
        "staff_group": ["Administrative and Clerical"] * 5
        + ["Medical and Dental", "Nursing and Midwifery Registered",
           "Nursing and Midwifery Registered"],
        "ethnic_category": ["A", "H", "Z", "A", "A", "H", "N", "Z"],
    })
    t = wres.wres_indicator_1(staff)
    assert t[["workforce", "band"]].values.tolist() == [
        ["Non-clinical", "Band 5"], ["Non-clinical", "Band 7"], ["Non-clinical", "Total"],
        ["Clinical", "Band 6"], ["Clinical", "Total"],
        ["Medical and dental", "Medical - Consultant"], ["Medical and dental", "Total"],
        ["Overall workforce", "Total"]]
    nc = t[(t["workforce"] == "Non-clinical") & (t["band"] == "Total")].iloc[0]
    assert (nc["White"], nc["BME"], nc["Not stated"], nc["total"]) == (3, 1, 1, 5)
    assert nc["White_share"] == pytest.approx(0.75)  # of staff with a known group
    clin6 = t[(t["workforce"] == "Clinical") & (t["band"] == "Band 6")].iloc[0]
    assert clin6["BME_share"] == pytest.approx(1.0)
    overall = t[t["workforce"] == "Overall workforce"].iloc[0]
    assert (overall["White"], overall["BME"], overall["Not stated"], overall["total"]) == (
        3, 3, 2, 8)
    # a band whose staff have no known group has no shares (not zero)
    only_unknown = pd.DataFrame({"pay_band": ["Band 3"], "ethnic_category": ["Z"],
                                 "staff_group": ["Administrative and Clerical"]})
    t2 = wres.wres_indicator_1(only_unknown)
    assert t2[["White_share", "BME_share"]].isna().all(axis=None)


def test_rolling_window_labels_and_notes() -> None:
    events = pd.DataFrame({"year": ["2024-25", "2025-26", "2025-26"]})
    window, note = wres.rolling_window(events, current="2025-26")
    assert window == ["2024-25", "2025-26"]
    assert note == "two-year rolling average of 2024-25 and 2025-26"
    window, note = wres.rolling_window(pd.DataFrame({"year": [2023, 2025]}), years=3)
    assert window == [2023, 2024, 2025]
    assert note == ("three-year rolling average of 2023, 2024 and 2025; no cases recorded "
                    "in 2024 (counted as zero)")
    window, note = wres.rolling_window(pd.DataFrame({"year": ["2025-26"]}))
    assert window == ["2025-26"] and note.startswith("one year only (2025-26)")
    window, note = wres.rolling_window(pd.DataFrame({"x": [1]}))
    assert window is None and "no year column" in note
    window, note = wres.rolling_window(pd.DataFrame({"year": ["2020-21", "2021-22"]}),
                                       current="2025-26")
    assert window == ["2024-25", "2025-26"] and "holds no cases for these years" in note
    with pytest.raises(ValueError, match="years must be 1 or more"):
        wres.rolling_window(events, years=0)


def test_rolling_counts_average_over_the_window_with_weights() -> None:
    events = pd.DataFrame({"year": ["2024-25", "2025-26", "2025-26", "2023-24"],
                           "cases": [3, 4, 1, 9]})
    group = pd.Series(["BME", "BME", "White", "BME"])
    counts, _ = wres.rolling_counts(events, group, ["White", "BME"], current="2025-26",
                                    weights=events["cases"])
    assert counts.to_dict() == {"White": 0.5, "BME": 3.5}


def test_board_difference_needs_voting_and_executive_columns() -> None:
    from edi_analysis.errors import InputError

    with pytest.raises(InputError, match="voting"):
        wres.board_difference(pd.DataFrame({"executive": [True]}), pd.Series(["BME"]),
                              pd.Series(["BME"]), "BME", ["White", "BME"], "WRES", "9", "d")
