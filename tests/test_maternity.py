"""Maternity measure definitions: MBRRACE-UK stillbirths, preterm, caesarean, language.

Each test builds a small set of birth records whose answer is worked by hand.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from edi_analysis import maternity
from edi_analysis.disclosure import Release
from edi_analysis.errors import InputError

LSOA_Q4 = "E01000001"  # City of London 001A: IMD 2025 decile 8 -> quintile 4


def births(rows: list[dict]) -> pd.DataFrame:
    """Birth records; no LSOA column unless a row gives one (the IMD look-up is slow)."""
    base = {
        "year": "2025-26",
        "mother_ethnic_category": "A",
        "gestation_weeks": 40,
        "outcome": "Live birth",
        "termination": False,
        "delivery_method": "Spontaneous",
        "language_recorded": True,
    }
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame.insert(0, "baby_id", [f"b{i}" for i in range(len(frame))])
    frame["gestation_weeks"] = frame["gestation_weeks"].astype("Int64")
    return frame


def prepared(rows: list[dict]) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return maternity.prepare_births(births(rows))


def many(n: int, **fields) -> list[dict]:
    return [dict(fields) for _ in range(n)]


# --------------------------------------------------------------------------------------
# definitions
# --------------------------------------------------------------------------------------
def test_stillbirth_needs_24_completed_weeks() -> None:
    p = prepared(
        [
            {"outcome": "Stillbirth", "gestation_weeks": 23},
            {"outcome": "Stillbirth", "gestation_weeks": 24},
            {"outcome": "Stillbirth", "gestation_weeks": None},
            {"outcome": "Live birth", "gestation_weeks": 23},
        ]
    )
    assert list(p["is_stillbirth"]) == [False, True, True, False]
    assert list(p["is_late_fetal_loss"]) == [True, False, False, False]
    # Live births count at any gestation; the 23-week loss is in no denominator.
    assert list(p["is_total_birth"]) == [False, True, True, True]


def test_terminations_are_excluded_from_stillbirths_and_every_denominator() -> None:
    p = prepared(
        [
            {"outcome": "Stillbirth", "gestation_weeks": 30, "termination": True},
            {"outcome": "Live birth", "termination": True},
            {"outcome": "Stillbirth", "gestation_weeks": 30},
        ]
    )
    assert list(p["is_stillbirth"]) == [False, False, True]
    assert list(p["is_total_birth"]) == [False, False, True]
    assert (
        not p.loc[0:1, ["is_live_birth", "is_delivery_known", "is_language_recorded"]].any().any()
    )


def test_preterm_cut_offs_and_missing_gestation() -> None:
    p = prepared(
        [
            {"gestation_weeks": 27},
            {"gestation_weeks": 28},
            {"gestation_weeks": 36},
            {"gestation_weeks": 37},
            {"gestation_weeks": None},
            {"outcome": "Stillbirth", "gestation_weeks": 30},
        ]
    )
    assert list(p["is_preterm_37"]) == [True, True, True, False, False, False]
    assert list(p["is_preterm_28"]) == [True, False, False, False, False, False]
    assert list(p["is_live_birth_known_gestation"]) == [True, True, True, True, False, False]


def test_emergency_caesarean_denominator_excludes_unknown_delivery_method() -> None:
    p = prepared(
        [
            {"delivery_method": "Emergency caesarean"},
            {"delivery_method": "Elective caesarean"},
            {"delivery_method": "Not known"},
        ]
    )
    assert list(p["is_emergency_caesarean"]) == [True, False, False]
    assert list(p["is_delivery_known"]) == [True, True, False]


def test_language_recorded_falls_back_to_the_language_column() -> None:
    raw = births([{}, {}]).drop(columns="language_recorded")
    raw["mother_language"] = ["Polish", None]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = maternity.prepare_births(raw)
    assert list(p["is_language_recorded"]) == [True, False]


def test_ethnic_codes_group_to_five_groups_and_unknown() -> None:
    p = prepared(
        [
            {"mother_ethnic_category": c}
            for c in ["A", "H", "R", "N", "D", "S", "Z", "99", None, "Q"]
        ]
    )
    assert list(p["ethnic_group"]) == [
        "White",
        "Asian",
        "Asian",
        "Black",
        "Mixed",
        "Other",
        "Not known",
        "Not known",
        "Not known",
        "Not known",
    ]


def test_imd_quintile_from_lsoa_or_supplied_decile_and_missing_kept() -> None:
    p = prepared(
        [
            {"lsoa_code": LSOA_Q4},
            {"lsoa_code": None},
            {"lsoa_code": None, "imd_decile": 1},
            {"lsoa_code": "E01999999"},
        ]
    )
    q = p["imd_quintile"]
    assert q[0] == 4 and q[2] == 1
    assert pd.isna(q[1]) and pd.isna(q[3])
    assert p["imd_match"][2] == "supplied decile"
    assert len(p) == 4


def test_local_quintiles_leave_births_outside_the_icb_unknown() -> None:
    from edi_analysis.geography import icb_lsoas

    inside = icb_lsoas("QK1")["lsoa21_code"].iloc[0]
    raw = births([{"lsoa_code": inside}] + many(5, lsoa_code=LSOA_Q4))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = maternity.prepare_births(raw, imd_quintiles="local", area="QK1")
    assert p["imd_quintile"][0] in {1, 2, 3, 4, 5}
    assert pd.isna(p["imd_quintile"][1])
    dq = maternity.data_quality_summary(p).set_index("item")["count"]
    assert dq["LSOA given but not matched to the IMD (or outside the area)"] == 5


def test_bad_outcome_raises_input_error_with_the_row() -> None:
    with pytest.raises(InputError, match="row 3"):
        maternity.prepare_births(births([{}, {"outcome": "Miscarriage"}]))


# --------------------------------------------------------------------------------------
# indicators
# --------------------------------------------------------------------------------------
def test_stillbirth_rate_by_ethnic_group_is_per_1000_total_births_with_byar_interval() -> None:
    rows = (
        many(10, outcome="Stillbirth", gestation_weeks=30, mother_ethnic_category="N")
        + many(2490, mother_ethnic_category="N")
        + many(20, outcome="Stillbirth", gestation_weeks=30)
        + many(7980)
        + many(
            3,
            outcome="Stillbirth",
            gestation_weeks=30,
            termination=True,
            mother_ethnic_category="N",
        )
    )
    res = maternity.maternity_indicators(prepared(rows), "ethnic_group", measures=["stillbirth"])
    black = res[res["ethnic_group"] == "Black"].iloc[0]
    assert (black["numerator"], black["denominator"]) == (10, 2500)
    assert black["value"] == pytest.approx(4.0)
    assert (black["lower"], black["upper"]) == pytest.approx((1.914980, 7.356583), rel=1e-5)
    assert black["ratio"] == pytest.approx(4.0 / 2.5)
    overall = res[res["is_overall"]].iloc[0]
    assert (overall["numerator"], overall["denominator"]) == (30, 10500)


def test_unknown_ethnicity_and_missing_lsoa_are_counted_and_shown() -> None:
    rows = (
        many(30, lsoa_code=LSOA_Q4)
        + many(12, mother_ethnic_category="99", lsoa_code=LSOA_Q4)
        + many(8, lsoa_code=None)
    )
    p = prepared(rows)
    by_eth = maternity.births_by_group(p, "ethnic_group")
    assert by_eth.set_index("ethnic_group")["count"].to_dict() == {
        "White": 38,
        "Not known": 12,
        "All": 50,
    }
    by_q = maternity.births_by_group(p, "imd_quintile")
    assert by_q.set_index("imd_quintile")["count"].to_dict() == {4: 42, "Not known": 8, "All": 50}
    dq = maternity.data_quality_summary(p).set_index("item")["count"]
    assert dq["Ethnic group not known or not stated"] == 12
    assert dq["LSOA of residence missing"] == 8
    assert dq["All birth records"] == 50


def test_data_quality_counts_exclusions() -> None:
    rows = many(20) + many(6, termination=True) + many(5, outcome="Stillbirth", gestation_weeks=22)
    dq = maternity.data_quality_summary(prepared(rows)).set_index("item")
    assert dq.loc["Terminations of pregnancy", "count"] == 6
    assert dq.loc["No signs of life before 24 weeks", "count"] == 5
    assert dq.loc["No signs of life before 24 weeks", "share_pct"] == pytest.approx(5 / 31 * 100)


def published(p: pd.DataFrame, policy: str = "standard") -> maternity.MaternityChapter:
    """Every table of the chapter declared to one release, protected and published."""
    release = Release(policy)
    chapter = maternity.declare_chapter(release, p)
    release.protect()
    return maternity.publish_chapter(release, chapter, sii_method="analytic")


def test_data_quality_hides_small_counts() -> None:
    dq = published(prepared(many(20) + many(2, termination=True))).quality
    term = dq.set_index("item").loc["Terminations of pregnancy"]
    assert term["suppressed"] and term["count_symbol"] in ("<5", "<10")
    assert np.isnan(term["count"]) and np.isnan(term["share_pct"])


def test_small_stillbirth_counts_are_hidden() -> None:
    rows = (
        many(3, outcome="Stillbirth", gestation_weeks=30, mother_ethnic_category="N")
        + many(500, mother_ethnic_category="N")
        + many(20, outcome="Stillbirth", gestation_weeks=30)
        + many(3000)
        + many(12, outcome="Stillbirth", gestation_weeks=30, mother_ethnic_category="H")
        + many(1500, mother_ethnic_category="H")
    )
    res = published(prepared(rows)).by_ethnicity
    res = res[res["indicator"] == "stillbirth"]
    black = res[res["ethnic_group"] == "Black"].iloc[0]
    assert black["suppressed"] and np.isnan(black["value"]) and np.isnan(black["numerator"])
    assert black["numerator_symbol"] in ("<5", "<10")
    # the figures shown are rounded as the report shows them (rates to 1 decimal)
    shown = res["value"].dropna()
    assert ((shown * 10).round(9) == (shown * 10).round()).all()


def test_measure_conditions_count_the_same_births_as_the_flags() -> None:
    rows = (many(3, outcome="Stillbirth", gestation_weeks=30)
            + many(2, outcome="Stillbirth", gestation_weeks=None)
            + many(2, outcome="Stillbirth", gestation_weeks=22)
            + many(2, termination=True) + many(4, gestation_weeks=26)
            + many(5, gestation_weeks=33) + many(3, gestation_weeks=None)
            + many(6, delivery_method="Emergency caesarean")
            + many(2, delivery_method="Not known") + many(3, language_recorded=False) + many(10))
    p = prepared(rows)
    units = maternity.birth_units(p)
    for m in maternity.MEASURES.values():
        assert maternity.count_units(units, m.numerator_condition) == p[m.numerator].sum(), m.key
        assert maternity.count_units(units, m.denominator_condition) == p[m.denominator].sum()


def test_records_and_preaggregated_counts_give_the_same_rates() -> None:
    rows = (
        many(12, outcome="Stillbirth", gestation_weeks=30)
        + many(3000)
        + many(9, outcome="Stillbirth", gestation_weeks=30, mother_ethnic_category="H")
        + many(1400, mother_ethnic_category="H")
    )
    p = prepared(rows)
    direct = maternity.maternity_indicators(p, "ethnic_group", measures=["stillbirth"])
    via_counts = maternity.indicators_from_counts(
        maternity.maternity_counts(p), "Ethnicity", measures=["stillbirth"]
    )
    for col in ("numerator", "denominator", "value", "lower", "upper", "ratio"):
        pd.testing.assert_series_equal(direct[col], via_counts[col])


def test_change_between_years_and_pooled_years() -> None:
    rows = (
        many(10, outcome="Stillbirth", gestation_weeks=30, year="2024-25")
        + many(2990, year="2024-25")
        + many(30, outcome="Stillbirth", gestation_weeks=30)
        + many(2970)
    )
    p = prepared(rows)
    change = maternity.change_by_group(p, "ethnic_group", measures=["stillbirth"])
    white = change[change["ethnic_group"] == "White"].iloc[0]
    assert white["ratio"] == pytest.approx(3.0) and white["direction"] == "increased"
    pooled = maternity.maternity_indicators(p, "ethnic_group", measures=["stillbirth"], pooled=True)
    label = maternity.pooled_label(p["year"])
    assert label == "2024-25 to 2025-26 (pooled)"
    w = pooled[(pooled["year"] == label) & (pooled["ethnic_group"] == "White")].iloc[0]
    assert (w["numerator"], w["denominator"]) == (40, 6000)


def test_report_years_end_at_the_period() -> None:
    frame = pd.DataFrame({"year": ["2023-24", "2024-25", "2025-26", "2026-27"]})
    assert maternity.report_years(frame, "2025-26") == ["2024-25", "2025-26"]
    with pytest.raises(InputError):
        maternity.report_years(frame, "2020-21")


def test_describe_measure_says_when_numbers_are_small() -> None:
    rows = (
        many(6, outcome="Stillbirth", gestation_weeks=30, mother_ethnic_category="H")
        + many(994, mother_ethnic_category="H")
        + many(30, outcome="Stillbirth", gestation_weeks=30)
        + many(9970)
    )
    res = maternity.maternity_indicators(prepared(rows), "ethnic_group", measures=["stillbirth"])
    text = " ".join(maternity.describe_measure(res, "stillbirth", "ethnic_group"))
    assert "fewer than 10 stillbirths" in text and "imprecise" in text
    assert text.startswith("In 2025-26, overall, the stillbirth rate was 3.3 per 1,000")


def test_population_context_is_census_population_by_ethnic_group_and_quintile() -> None:
    pop = maternity.population_context("QK1")
    share = pop.groupby("imd_quintile")["share_of_quintile"].sum()
    # Five groups plus "All" (share 1) in each quintile.
    assert share.to_numpy() == pytest.approx([2.0] * 5)
    assert set(pop["ethnic_group"]) == {"Asian", "Black", "Mixed", "White", "Other", "All"}


def test_no_national_comparator_is_shown_without_source_and_method() -> None:
    assert maternity.NATIONAL_COMPARATORS == {}
    assert "not directly comparable" in maternity.comparator_notes()[0]
