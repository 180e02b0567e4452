"""Tests for edi_analysis.wdes: WDES workforce metrics worked by hand.

What the chapter publishes of them (protected by the disclosure model) is tested in
``test_workforce_publication.py``.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from edi_analysis import wdes


def _rows(**columns: list) -> pd.DataFrame:
    return pd.DataFrame({name: [v for v, k in spec for _ in range(k)]
                         for name, spec in columns.items()})


def test_disability_groups() -> None:
    values = pd.Series(["Yes", "No", "Not declared", "Prefer not to answer", None])
    assert wdes.disability_group(values).tolist() == [
        "Disabled", "Non-disabled", "Unknown", "Unknown", "Unknown"]


def test_metric_2_non_disabled_vs_disabled_by_hand() -> None:
    # non-disabled: 30 of 100 appointed (0.30); disabled: 3 of 20 (0.15) -> 2.0
    rec = _rows(disability=[("No", 100), ("Yes", 20), ("Not declared", 5)],
                appointed=[(True, 30), (False, 70), (True, 3), (False, 17), (True, 5)])
    row = wdes.wdes_metric_2(rec).iloc[0]
    assert row["value"] == pytest.approx(2.0)
    assert row["reference"] == "Non-disabled"
    assert row["denominator_b"] == 20


def test_metric_3_capability_with_rolling_average() -> None:
    cap = _rows(disability=[("Yes", 2), ("No", 2), ("Yes", 0), ("No", 4)],
                year=[("2023-24", 4), ("2024-25", 4)])
    staff = _rows(disability=[("Yes", 50), ("No", 300)])
    row = wdes.wdes_metric_3(staff, cap).iloc[0]
    # averages: disabled 1, non-disabled 3 -> (1/50) / (3/300) = 2.0
    assert row["value"] == pytest.approx(2.0)
    assert row["reference"] == "Disabled"


def test_metric_3_without_a_file_is_not_available() -> None:
    row = wdes.wdes_metric_3(_rows(disability=[("Yes", 1)]), None).iloc[0]
    assert not row["available"]
    assert "no capability file" in row["note"]


def test_metric_10_board_vs_workforce() -> None:
    board = pd.DataFrame({"disability": ["Yes", "No", "No", "No", "Not declared"],
                          "voting": [True, True, True, False, True],
                          "executive": [False, True, True, False, False]})
    staff = _rows(disability=[("Yes", 10), ("No", 90), ("Not declared", 20)])
    out = wdes.wdes_metric_10(staff, board).set_index("breakdown")
    # board: 1 of 4 known = 25%; workforce 10 of 100 = 10% -> +15 points
    assert out.at["Total board", "value"] == pytest.approx(15.0)
    assert out.at["Executive members", "value"] == pytest.approx(-10.0)


def test_metric_1_uses_wdes_clusters() -> None:
    staff = pd.DataFrame({
        "pay_band": ["Band 8a", "Band 8c", "VSM", "Medical - Consultant"],
        "staff_group": ["Administrative and Clerical"] * 3 + ["Medical and Dental"],
        "disability": ["Yes", "No", "No", "Not declared"],
    })
    t = wdes.wdes_metric_1(staff)
    assert set(t["band"]) >= {"Band 8a-8b", "Band 8c-9 & VSM", "Medical consultant"}
    row = t[(t["workforce"] == "Non-clinical") & (t["band"] == "Band 8c-9 & VSM")].iloc[0]
    assert row["Non-disabled"] == 2


def test_summary_reads_capability_rows_from_the_disciplinary_file() -> None:
    staff = _rows(disability=[("Yes", 50), ("No", 300)])
    disc = _rows(disability=[("Yes", 2), ("No", 3)],
                 process=[("Capability", 2), ("Disciplinary", 3)])
    out = wdes.wdes_summary({"staff_records": staff, "disciplinary": disc})
    m3 = out[out["indicator"] == "3"].iloc[0]
    assert m3["available"]
    assert m3["numerator_a"] == 2 and m3["numerator_b"] == 0


def test_metric_3_window_ends_at_the_report_period() -> None:
    cap = _rows(disability=[("Yes", 9), ("Yes", 2), ("No", 6)],
                year=[("2023-24", 9), ("2025-26", 8)])
    staff = _rows(disability=[("Yes", 50), ("No", 300)])
    row = wdes.wdes_metric_3(staff, cap, period="2025-26").iloc[0]
    # 2024-25 has no cases: disabled 2 / 2 = 1, non-disabled 6 / 2 = 3 -> 2.0
    assert row["value"] == pytest.approx(2.0)
    assert "no cases recorded in 2024-25" in row["note"]


def test_metric_3_from_counts_by_year() -> None:
    counts = pd.DataFrame({"group_type": ["Disability"] * 5,
                           "group": ["Yes", "No", "Disabled", "Non-disabled", "Not declared"],
                           "cases": [1, 2, 3, 4, 7],
                           "year": ["2024-25", "2024-25", "2025-26", "2025-26", "2025-26"]})
    staff = _rows(disability=[("Yes", 40), ("No", 300)])
    row = wdes.wdes_metric_3(staff, counts, period="2025-26").iloc[0]
    # disabled (1 + 3) / 2 = 2 of 40; non-disabled (2 + 4) / 2 = 3 of 300 -> 5.0
    assert row["numerator_a"] == pytest.approx(2.0)
    assert row["value"] == pytest.approx((2 / 40) / (3 / 300))


def test_summary_prefers_the_capability_file_and_ignores_disciplinary_cases() -> None:
    staff = _rows(disability=[("Yes", 50), ("No", 300)])
    disc = _rows(disability=[("Yes", 20), ("No", 3)], ethnic_category=[("A", 23)])
    cap = _rows(disability=[("Yes", 1), ("No", 6)], year=[("2025-26", 7)])
    out = wdes.wdes_summary({"staff_records": staff, "disciplinary": disc, "capability": cap},
                            period="2025-26").set_index("indicator")
    assert out.at["3", "available"]
    assert (out.at["3", "numerator_a"], out.at["3", "numerator_b"]) == (1, 6)
    assert "one year only (2025-26)" in out.at["3", "note"]
    # a disciplinary file alone (no capability rows) does not stand in for metric 3
    alone = wdes.wdes_summary({"staff_records": staff, "disciplinary": disc})
    assert not alone.set_index("indicator").at["3", "available"]


def test_metric_1_counts_and_shares_by_hand() -> None:
    # Non-clinical: Band 2 (cluster "Band 1-4") 2 disabled, 6 non-disabled, 1 unknown;
    # Band 8d (cluster "Band 8c-9 & VSM") 1 disabled, 3 non-disabled; clinical Band 6
    # ("Band 5-7") 5 disabled, 15 non-disabled, 2 unknown
    staff = _rows(
        pay_band=[("Band 2", 9), ("Band 8d", 4), ("Band 6", 22)],
        staff_group=[("Administrative and Clerical", 13),
                     ("Nursing and Midwifery Registered", 22)],
        disability=[("Yes", 2), ("No", 6), ("Prefer not to answer", 1), ("Yes", 1),
                    ("No", 3), ("Yes", 5), ("No", 15), ("Not declared", 2)])
    t = wdes.wdes_metric_1(staff).set_index(["workforce", "band"])
    row = t.loc[("Non-clinical", "Band 1-4")]
    assert (row["Disabled"], row["Non-disabled"], row["Unknown"], row["total"]) == (2, 6, 1, 9)
    assert row["Disabled_share"] == pytest.approx(0.25)  # of staff with a known status
    top = t.loc[("Non-clinical", "Band 8c-9 & VSM")]
    assert top["Non-disabled_share"] == pytest.approx(0.75)
    clin = t.loc[("Clinical", "Band 5-7")]
    assert clin["Disabled_share"] == pytest.approx(0.25)
    overall = t.loc[("Overall workforce", "Total")]
    assert (overall["Disabled"], overall["Non-disabled"], overall["Unknown"],
            overall["total"]) == (8, 24, 3, 35)
    assert overall["Disabled_share"] == pytest.approx(8 / 32)
    # the WDES clusters, in order, before the "Total" row of each block
    nonclin = [b for w, b in t.index if w == "Non-clinical"]
    assert nonclin == ["Band 1-4", "Band 8c-9 & VSM", "Total"]


def test_metric_2_interval_is_katz_by_hand() -> None:
    rec = _rows(disability=[("No", 100), ("Yes", 20)],
                appointed=[(True, 30), (False, 70), (True, 3), (False, 17)])
    row = wdes.wdes_metric_2(rec).iloc[0]
    se = math.sqrt(1 / 30 - 1 / 100 + 1 / 3 - 1 / 20)
    z = 1.959963984540054
    assert row["lower"] == pytest.approx(2.0 * math.exp(-z * se))
    assert row["upper"] == pytest.approx(2.0 * math.exp(z * se))
    assert not row["non_adverse"]


def test_metric_10_without_a_board_file_is_not_available() -> None:
    row = wdes.wdes_metric_10(_rows(disability=[("Yes", 1)]), None).iloc[0]
    assert not row["available"] and row["standard"] == "WDES"
