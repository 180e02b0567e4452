"""Tests for edi_analysis.wdes: WDES workforce metrics worked by hand."""

from __future__ import annotations

import numpy as np
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


def _disability_staff() -> pd.DataFrame:
    # (staff group, band, disability, n). Clinical disabled staff in Bands 5-7: 3 (hidden).
    # Inside WDES metric 1 its partners are the clinical Bands 1-4 and non-disabled
    # cells; the non-clinical disabled Bands 5-7 (20) are shown, so the cluster table's
    # "Yes" x "Band 5-7" (23) minus 20 gives the 3 back unless the tables are linked.
    spec = [("Administrative and Clerical", "Band 3", "Yes", 15),
            ("Administrative and Clerical", "Band 3", "No", 30),
            ("Administrative and Clerical", "Band 6", "Yes", 20),
            ("Administrative and Clerical", "Band 6", "No", 30),
            ("Nursing and Midwifery Registered", "Band 3", "Yes", 10),
            ("Nursing and Midwifery Registered", "Band 3", "No", 40),
            ("Nursing and Midwifery Registered", "Band 6", "Yes", 3),
            ("Nursing and Midwifery Registered", "Band 6", "No", 50)]
    return pd.DataFrame({
        "staff_group": [g for g, _, _, k in spec for _ in range(k)],
        "pay_band": [b for _, b, _, k in spec for _ in range(k)],
        "disability": [d for _, _, d, k in spec for _ in range(k)],
    })


def test_metric_1_linked_to_the_cluster_tables_resists_differencing() -> None:
    from types import SimpleNamespace

    from edi_analysis import workforce, wres

    from .test_wres import _band_attacker

    staff = _disability_staff()
    section = SimpleNamespace(
        clusters=workforce.band_clusters("seed"),
        profiles={"disability": workforce.publish_profile(staff, "disability", "seed")},
        progression={"disability": workforce.publish_progression(staff, "disability",
                                                                 "seed")},
    )
    cols = ["Disabled", "Non-disabled", "Unknown"]
    groups = {"Yes": "Disabled", "No": "Non-disabled", "Not declared": "Unknown",
              "Prefer not to answer": "Unknown"}
    same = {"Band 1-4": "Band 1-4", "Band 5-7": "Band 5-7"}  # seed and WDES agree here
    tables = [section.profiles["disability"].headcount, section.progression["disability"]]
    metric = wdes.wdes_metric_1(staff)
    alone = wres.publish_by_band(metric, cols[:2], "Unknown")
    clin = alone[alone["workforce"] == "Clinical"].set_index("band")
    nonclin = alone[alone["workforce"] == "Non-clinical"].set_index("band")
    head = section.profiles["disability"].headcount
    yes_57 = head[(head["category"] == "Yes") & (head["cluster"] == "Band 5-7")]
    assert np.isnan(clin.at["Band 5-7", "Disabled"])
    assert yes_57["count"].item() - nonclin.at["Band 5-7", "Disabled"] == 3  # recovered
    assert ("Clinical", "Band 5-7", "Disabled") in _band_attacker(alone, cols, tables,
                                                                  groups, same)
    linked = wres.publish_by_band(metric, cols[:2], "Unknown",
                                  linked=wdes.metric_1_links(staff, section))
    assert _band_attacker(linked, cols, tables, groups, same) == []
    clin = linked[linked["workforce"] == "Clinical"].set_index("band")
    assert clin.at["Band 5-7", "Disabled_symbol"] == "<5"
