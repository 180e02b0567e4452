"""Tests for edi_analysis.staff_survey (hand-worked expected values)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from edi_analysis import staff_survey as ss
from edi_analysis.disclosure import Release, get_policy
from edi_analysis.errors import InputError

# Hand-worked reference values (Wilson 1927; Newcombe 1998 method 10; pooled z test), with
# z = 1.959964 for 95%:
#   30/50: Wilson (0.461814, 0.723916).
#   30/50 vs the rest 330/450: pooled p = 0.72, z = -1.99205, two-sided p = 0.046366;
#   Newcombe interval of the difference -0.133333: (-0.276851, -0.002264).
WILSON_30_50 = (46.18143774758936, 72.39161026974346)
P_30_50_VS_330_450 = 0.04636582643784507
NEWCOMBE_30_50_VS_330_450 = (-27.685133825013386, -0.2264111842165628)


def rows(year: int, question: str, breakdown: str, groups: dict[str, tuple[int, float]]):
    return [
        {
            "year": year,
            "question": question,
            "breakdown": breakdown,
            "subgroup": g,
            "n_respondents": n,
            "pct_positive": p,
        }
        for g, (n, p) in groups.items()
    ]


def results(*parts: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([r for part in parts for r in part])


def counts(year: int, question: str, breakdown: str, groups: dict[str, tuple[int, int]],
           not_answered: tuple[int, int] = (0, 0)) -> list[dict]:
    """Rows of one breakdown from whole numbers (n, positive) and its Overall row; the
    ``not_answered`` respondents (n, positive) count in the Overall only."""
    out = [{"year": year, "question": question, "breakdown": breakdown, "subgroup": g,
            "n_respondents": n, "pct_positive": 100 * x / n if n else None}
           for g, (n, x) in groups.items()]
    total_n = sum(n for n, _ in groups.values()) + not_answered[0]
    total_x = sum(x for _, x in groups.values()) + not_answered[1]
    return out + overall(year, question, total_n, 100 * total_x / total_n)


def overall(year: int, question: str, n: int, pct: float) -> list[dict]:
    return rows(year, question, "Overall", {"Organisation": (n, pct)})


def one(comp: pd.DataFrame, **where) -> pd.Series:
    mask = np.ones(len(comp), dtype=bool)
    for col, value in where.items():
        mask &= (comp[col] == value).to_numpy()
    assert mask.sum() == 1, where
    return comp[mask].iloc[0]


# --------------------------------------------------------------------------------------
# catalogue
# --------------------------------------------------------------------------------------
def test_catalogue_codes_directions_and_standards():
    cat = ss.load_catalogue().set_index("code")
    assert {
        "q4b",
        "q11e",
        "q14a",
        "q14b",
        "q14c",
        "q14bc",
        "q14d",
        "q15",
        "q16a",
        "q16b",
        "q17b",
        "q21",
        "q31b",
    } <= set(cat.index)
    assert not cat.loc[
        ["q11e", "q14a", "q14b", "q14c", "q16a", "q16b", "q17b"], "higher_is_better"
    ].any()
    assert cat.loc[["q4b", "q14d", "q15", "q21", "q31b"], "higher_is_better"].all()
    wres = cat[cat["wres_indicator"] != ""]["wres_indicator"].to_dict()
    assert wres == {"q14a": "5", "q14bc": "6", "q15": "7", "q16b": "8"}
    wdes = cat[cat["wdes_metric"] != ""]["wdes_metric"].to_dict()
    assert wdes == {
        "q4b": "7",
        "q11e": "6",
        "q14a": "4a(i)",
        "q14b": "4a(ii)",
        "q14c": "4a(iii)",
        "q14d": "4b",
        "q15": "5",
        "q31b": "8",
        "engagement": "9a",
    }
    assert {v["question"] for v in ss.WRES_INDICATORS.values()} == set(wres)
    assert {v["question"] for v in ss.WDES_METRICS.values()} == set(wdes) - {"engagement"}


def test_catalogue_records_what_was_verified_and_marks_the_rest():
    cat = ss.load_catalogue().set_index("code")
    assert (cat["source"].str.len() > 20).all()
    # verified against a published People Promise question mapping (load_catalogue refs)
    for code in ("q4b", "q15", "q16a", "q16b", "q21", "q25c"):
        assert "verified: BM24" in cat.at[code, "source"], code
    # verified against code that reads the survey's official spreadsheets
    for code in ("q13a", "q13b", "q13c", "q14a", "q14b", "q14c", "q14d", "q17a", "q17b",
                 "q25e"):
        assert "Number verified: NSSXLS" in cat.at[code, "source"], code
    for code in ("q11e", "q31b"):
        assert "UNVERIFIED" in cat.at[code, "source"], code
    assert cat.at["engagement", "measure"] == "score"
    assert set(cat["measure"]) == {"percent", "score"}


# --------------------------------------------------------------------------------------
# rating boundaries
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("difference", "higher_is_better", "expected"),
    [
        (3.0, True, "Green"),
        (-3.0, True, "Red"),
        (2.9, True, "Amber"),
        (-2.9, True, "Amber"),
        (0.0, True, "Amber"),
        (3.0, False, "Red"),
        (-3.0, False, "Green"),
        (64.1 - 61.1, True, "Green"),  # float 2.999999999999993
        (1.1 - 4.1, True, "Red"),  # float -2.9999999999999996
        (75.3 - 72.3, True, "Green"),
        (float("nan"), True, None),
    ],
)
def test_rag_rating_boundaries(difference, higher_is_better, expected):
    assert ss.rag_rating([difference], higher_is_better, 3.0)[0] == expected


def test_rag_rating_threshold_is_a_parameter():
    assert list(ss.rag_rating([4.9, 5.0, -5.0], True, threshold=5)) == ["Amber", "Green", "Red"]
    with pytest.raises(ValueError, match="threshold"):
        ss.rag_rating([1.0], True, threshold=0)


def test_compare_boundaries_from_one_decimal_inputs():
    # groups of 1,000 so that one-decimal percentages are whole numbers of answers
    data = results(
        counts(2025, "q15", "Sex", {"Female": (1000, 641), "Male": (1000, 581),
                                    "Prefer not to say": (1000, 611)}),  # org 61.1
        counts(2025, "q4b", "Sex", {"Female": (1000, 753), "Male": (1000, 694),
                                    "Prefer not to say": (1000, 722)}),  # org 72.3
    )
    comp = ss.compare_to_overall(data)
    assert one(comp, question="q15", subgroup="Female")["rating"] == "Green"  # +3.0
    assert one(comp, question="q15", subgroup="Male")["rating"] == "Red"  # -3.0
    assert one(comp, question="q15", subgroup="Prefer not to say")["rating"] == "Amber"
    assert one(comp, question="q4b", subgroup="Female")["rating"] == "Green"  # 75.3 - 72.3
    assert one(comp, question="q4b", subgroup="Male")["rating"] == "Amber"  # -2.9
    assert one(comp, question="q4b", subgroup="Female")["difference_pts"] == pytest.approx(3.0)
    assert pd.isna(one(comp, breakdown="Overall", question="q4b")["rating"])


def test_compare_is_direction_aware_for_harassment():
    data = results(  # organisation 104 of 400 = 26.0%
        counts(2025, "q14a", "Age", {"16-30": (200, 60), "31-50": (150, 30), "51+": (50, 14)}),
    )
    comp = ss.compare_to_overall(data)
    young = one(comp, subgroup="16-30")
    assert young["difference_pts"] == pytest.approx(4.0)
    assert young["better_pts"] == pytest.approx(-4.0)
    assert young["rating"] == "Red"
    assert one(comp, subgroup="31-50")["rating"] == "Green"  # 20.0: 6 points better
    assert one(comp, subgroup="51+")["rating"] == "Amber"  # 28.0


# --------------------------------------------------------------------------------------
# suppression
# --------------------------------------------------------------------------------------
def test_a_small_group_is_hidden_with_a_figure_that_protects_it():
    # 8 men, 200 women, nobody else: the organisation minus the women gives the men
    data = results(counts(2025, "q15", "Sex", {"Female": (200, 121), "Male": (8, 4)}))
    comp = ss.compare_to_overall(data)
    male = one(comp, subgroup="Male")
    assert male["suppressed"] and male["suppression_reason"] == "primary"
    assert pd.isna(male["n_respondents"]) and male["n_respondents_symbol"] == "*"
    # one more figure goes: the women's (hiding the organisation's would not do: a reader
    # is taken to know how many answered the question)
    female = one(comp, subgroup="Female")
    assert female["suppression_reason"] == "complementary"
    assert not one(comp, breakdown="Overall")["suppressed"]
    for row in (male, female):
        assert pd.isna(row["pct_positive"]) and pd.isna(row["rating"])
        assert pd.isna(row["lower_pct"]) and pd.isna(row["p_value"])
        assert not row["reliable"]


def test_respondents_who_skipped_the_question_give_cover_and_are_not_a_group():
    # the same, with 12 respondents who did not say their sex: Overall - Female is now
    # the 8 men and those 12, so nothing else needs hiding
    data = results(counts(2025, "q15", "Sex", {"Female": (200, 121), "Male": (8, 4)},
                          not_answered=(12, 7)))
    comp = ss.compare_to_overall(data)
    assert set(comp.loc[comp["suppressed"], "subgroup"]) == {"Male"}
    # 5 who did not say, whose answers Overall - Female - Male gives: not a published
    # group (as in the NHS Staff Survey's breakdown reports), so nothing is hidden ...
    data = results(counts(2025, "q15", "Sex", {"Female": (200, 121), "Male": (100, 50)},
                          not_answered=(5, 2)))
    assert not ss.compare_to_overall(data)["suppressed"].any()
    # ... unless the policy makes them a group to protect
    strict = ss.compare_to_overall(data, run_policy=get_policy("standard",
                                                               protect_non_respondents=True))
    assert strict["suppressed"].any()


def test_small_group_complement_is_next_smallest_and_threshold_presets():
    groups = {
        "White": (300, 60.0),
        "Asian": (100, 55.0),
        "Black": (40, 50.0),
        "Mixed": (12, 50.0),
        "Arab": (10, 40.0),
    }
    data = results(overall(2025, "q15", 462, 58.1), rows(2025, "q15", "Ethnicity", groups))
    comp = ss.compare_to_overall(data)  # threshold 10: nothing hidden
    assert not comp["suppressed"].any()
    national = ss.compare_to_overall(data, min_responses=None, policy="national_survey")
    hidden = set(national.loc[national["suppressed"], "subgroup"])
    assert hidden == {"Arab", "Mixed"}  # Arab (10 < 11) and the next smallest
    assert one(national, subgroup="Arab")["suppression_reason"] == "primary"
    assert one(national, subgroup="Mixed")["suppression_reason"] == "complementary"
    custom = ss.compare_to_overall(data, min_responses=13)
    assert set(custom.loc[custom["suppressed"], "subgroup"]) == {"Arab", "Mixed"}


def test_survey_policy_takes_the_runs_protection_and_flags():
    run = get_policy("standard", protection_level=2, survey_strict=True)
    pol = ss.survey_policy("national_survey", None, run)
    assert (pol.min_count, pol.max_suppressed, pol.survey_min_respondents) == (11, 10, 11)
    assert pol.protection_level == 2 and pol.survey_strict
    assert not pol.protect_non_respondents
    assert ss.survey_policy("staff_survey", 12).survey_min_respondents == 12


def test_withheld_notes_name_the_headline_groups_withheld():
    data = results(counts(2025, "q15", "Sex", {"Female": (200, 121), "Male": (8, 4)}))
    notes = ss.withheld_notes(ss.compare_to_overall(data))
    assert notes == [
        "No organisation result is withheld.",
        "Withheld because fewer than the threshold responded: Male staff (2025 q15).",
        "Withheld so that a hidden group cannot be worked out: Female staff (2025 q15)."]


def test_suppression_threshold():
    assert ss.suppression_threshold("staff_survey", 10) == 10
    assert ss.suppression_threshold("national_survey", None) == 11
    assert ss.suppression_threshold("national_survey", 20) == 20
    with pytest.raises(ValueError, match="min_responses"):
        ss.suppression_threshold("staff_survey", 0)


def test_blank_at_source_is_protected_too():
    data = results(
        overall(2025, "q15", 230, 60.0),
        rows(2025, "q15", "Sex", {"Female": (200, 61.0), "Male": (30, None)}),
    )
    comp = ss.compare_to_overall(data)
    assert one(comp, subgroup="Male")["suppression_reason"] == "source"
    # the men's result would be the organisation's minus the women's
    assert one(comp, subgroup="Female")["suppressed"] or \
        one(comp, breakdown="Overall")["suppressed"]


# --------------------------------------------------------------------------------------
# interval and test
# --------------------------------------------------------------------------------------
def test_wilson_interval_and_test_against_rest_of_organisation():
    data = results(
        overall(2025, "q15", 500, 72.0),
        rows(2025, "q15", "Disability", {"Yes": (50, 60.0), "No": (450, 73.3)}),
    )
    comp = ss.compare_to_overall(data)
    yes = one(comp, subgroup="Yes")
    # every figure as published: percentages to one decimal, p to three
    assert (yes["lower_pct"], yes["upper_pct"]) == tuple(round(v, 1) for v in WILSON_30_50)
    assert yes["rest_pct"] == round(330 / 450 * 100, 1)
    assert yes["diff_vs_rest_pts"] == round(-40 / 3, 1)
    assert yes["p_value"] == round(P_30_50_VS_330_450, 3)
    assert (yes["diff_vs_rest_lower_pts"], yes["diff_vs_rest_upper_pts"]) == tuple(
        round(v, 1) for v in NEWCOMBE_30_50_VS_330_450)
    assert yes["rating"] == "Red" and yes["significant"] and yes["reliable"]
    no = one(comp, subgroup="No")
    assert no["rating"] == "Amber" and not no["reliable"]


def test_red_rating_in_a_small_group_is_not_reliable():
    data = results(
        overall(2025, "q15", 500, 72.0),
        rows(2025, "q15", "Religion", {"Buddhism": (12, 58.3), "Other": (488, 72.3)}),
    )
    row = one(ss.compare_to_overall(data), subgroup="Buddhism")
    assert row["rating"] == "Red"
    assert row["p_value"] > 0.05 and not row["reliable"]


# --------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------
def test_missing_overall_is_an_input_error():
    data = results(rows(2025, "q15", "Sex", {"Female": (20, 50.0)}))
    with pytest.raises(InputError, match="'Overall'"):
        ss.compare_to_overall(data)


def test_questions_outside_the_catalogue_are_ignored_with_a_warning():
    data = results(
        overall(2025, "q15", 20, 50.0),
        overall(2025, "q99z", 20, 50.0),
        rows(2025, "q99z", "Sex", {"Female": (20, 50.0)}),
    )
    with pytest.warns(UserWarning, match="q99z"):
        comp = ss.compare_to_overall(data)
    assert set(comp["question"]) == {"q15"}


def test_duplicate_rows_are_reported_with_their_spreadsheet_row():
    data = results(overall(2025, "q15", 20, 50.0), overall(2025, "q15", 20, 50.0))
    with pytest.raises(InputError, match="row 3"):
        ss.compare_to_overall(data)


def test_missing_column_and_bad_percentage():
    with pytest.raises(InputError, match="pct_positive"):
        ss.compare_to_overall(pd.DataFrame({"year": [2025]}))
    bad = results(overall(2025, "q15", 20, 150.0))
    with pytest.raises(InputError, match="0 to 100"):
        ss.compare_to_overall(bad)


# --------------------------------------------------------------------------------------
# trends
# --------------------------------------------------------------------------------------
def test_trend_table_changes_and_suppressed_years():
    data = results(
        counts(2023, "q14a", "Sex", {"Female": (300, 93), "Male": (100, 27)}),  # 30.0
        # 2024: 28.0% of 525, of whom 25 did not say their sex
        counts(2024, "q14a", "Sex", {"Female": (495, 139), "Male": (5, 1)},
               not_answered=(25, 7)),
        counts(2025, "q14a", "Sex", {"Female": (300, 78), "Male": (100, 32)}),  # 27.5
    )
    trend = ss.trend_table(data)
    org = trend[trend["breakdown"] == "Overall"].set_index("year")
    assert org.loc[2024, "change_pts"] == pytest.approx(-2.0)
    assert org.loc[2024, "change_better_pts"] == pytest.approx(2.0)  # less harassment
    assert org.loc[2025, "change_since_first_pts"] == pytest.approx(-2.5)
    assert pd.isna(org.loc[2023, "change_pts"])
    male = trend[(trend["subgroup"] == "Male")].set_index("year")
    assert male.loc[2024, "suppressed"] and pd.isna(male.loc[2024, "pct_positive"])
    assert pd.isna(male.loc[2025, "change_pts"])  # previous published year is hidden
    assert male.loc[2025, "change_since_first_pts"] == pytest.approx(32.0 - 27.0)
    female = trend[(trend["subgroup"] == "Female")].set_index("year")
    assert not female.loc[2024, "suppressed"]  # the 25 who did not say give cover
    assert female.loc[2024, "change_pts"] == pytest.approx(28.1 - 31.0)


# --------------------------------------------------------------------------------------
# WRES / WDES
# --------------------------------------------------------------------------------------
def ethnicity_case(extra: dict[str, tuple[int, int]] | None = None) -> pd.DataFrame:
    groups = {
        "White": (400, 100),
        "Asian / Asian British": (100, 30),
        "Black / African / Caribbean / Black British": (50, 20),
        "Mixed / Multiple ethnic groups": (20, 7),
        "Prefer not to say": (30, 6),
    }
    groups.update(extra or {})
    parts = []
    for q in ("q14a", "q14bc", "q15", "q16b"):
        parts += counts(2025, q, "Ethnicity", groups)
    return results(parts)


def test_wres_combines_bme_groups_weighted_by_respondents():
    wres = ss.wres_survey_indicators(ethnicity_case())
    five = one(wres, indicator="5")
    # BME: 30 + 20 + 7 = 57 of 170 = 33.529%, published as 0.335; White 100/400 = 25%.
    assert five["bme_respondents"] == 170 and "bme_numerator" not in wres.columns
    assert five["bme_value"] == 0.335
    assert five["white_value"] == 0.25
    assert five["difference_pts"] == 8.5
    assert five["worse_for"] == "BME"  # harassment: higher is worse
    # the test, from the published figures (0.335 of 170 is 57 people)
    pooled = 157 / 570
    z = (57 / 170 - 0.25) / math.sqrt(pooled * (1 - pooled) * (1 / 170 + 1 / 400))
    assert five["p_value"] == round(2 * (1 - 0.5 * (1 + math.erf(abs(z) / 2**0.5))), 3)
    seven = one(wres, indicator="7")  # q15, higher is better: BME higher is better
    assert seven["worse_for"] == "White"
    assert set(wres["indicator"]) == {"5", "6", "7", "8"}


def test_wres_shows_bme_and_hides_a_detail_group_instead():
    # Chinese (4) is hidden; BME minus Asian would give it, so Asian (a detail group) is
    # hidden too, not the BME figure (a headline comparison)
    groups = {"White": (20, 5), "Asian": (300, 90), "Chinese": (4, 2)}
    parts = []
    for q in ("q14a", "q14bc", "q15", "q16b"):
        parts += counts(2025, q, "Ethnicity", groups)
    data = results(parts)
    five = one(ss.wres_survey_indicators(data), indicator="5")
    assert five["bme_respondents"] == 304 and not five["bme_suppressed"]
    assert five["white_value"] == 0.25 and five["note"] is None
    comp = ss.compare_to_overall(data)
    hidden = comp.loc[comp["suppressed"] & (comp["question"] == "q14a"), "subgroup"]
    assert set(hidden) == {"Chinese", "Asian"}
    assert one(comp, question="q14a", subgroup="Asian")["suppression_reason"] == \
        "complementary"


def test_wres_bme_adds_up_its_groups_whatever_is_hidden_in_the_breakdown():
    wres = ss.wres_survey_indicators(ethnicity_case({"Arab": (5, 2)}), min_responses=10)
    five = one(wres, indicator="5")
    # BME = Asian + Black + Mixed + Arab (Arab hidden in the breakdown): 59 of 175
    assert five["bme_respondents"] == 175
    assert five["bme_value"] == round(59 / 175, 3)


def test_wdes_metrics_disabled_vs_non_disabled():
    parts = []
    for q in ("q4b", "q11e", "q14a", "q14b", "q14c", "q14d", "q15", "q31b"):
        parts += overall(2025, q, 500, 50.0) + rows(
            2025,
            q,
            "Disability",
            {"Yes": (100, 40.0), "No": (380, 52.6), "Prefer not to say": (20, 50.0)},
        )
    wdes = ss.wdes_survey_metrics(results(parts))
    assert list(wdes["metric"]) == ["4a(i)", "4a(ii)", "4a(iii)", "4b", "5", "6", "7", "8"]
    seven = one(wdes, metric="7")
    assert seven["disabled_value"] == pytest.approx(0.40)
    assert seven["non_disabled_value"] == 0.526  # round(0.526 * 380) = 199.88 -> 200
    assert seven["difference_pts"] == round((0.40 - 0.526) * 100, 1)
    assert seven["worse_for"] == "Disabled"
    six = one(wdes, metric="6")  # pressure to work unwell: higher is worse
    assert six["worse_for"] == "Non-disabled"
    eight = one(wdes, metric="8")
    assert eight["disabled_value"] == pytest.approx(0.40)
    assert pd.isna(eight["non_disabled_value"]) and pd.isna(eight["difference_pts"])


def test_classifiers():
    assert ss.classify_ethnicity("White - British") == "White"
    assert ss.classify_ethnicity("Black / African / Caribbean / Black British") == "BME"
    assert ss.classify_ethnicity("Prefer not to say") is None
    assert ss.classify_disability("Yes") == "Disabled"
    assert ss.classify_disability("No") == "Non-disabled"
    assert ss.classify_disability("Prefer not to say") is None


# --------------------------------------------------------------------------------------
# key findings
# --------------------------------------------------------------------------------------
def test_key_findings_wording_and_suppressed_groups():
    parts = []
    for q, white, black, arab, chinese in (
        ("q15", 260, 55, 3, 2),
        ("q4b", 160, 33, 2, 1),
        ("q21", 280, 77, 4, 3),
        ("q14a", 100, 33, 2, 1),
    ):
        parts += counts(2025, q, "Ethnicity", {"White": (400, white), "Black": (110, black),
                                               "Arab": (6, arab), "Chinese": (4, chinese)})
    comp = ss.compare_to_overall(results(parts))
    findings = ss.key_findings(comp)
    black = [s for s in findings if "Black" in s]
    assert len(black) == 1
    assert black[0].startswith(
        "Ethnicity: Staff from the Black ethnic group reported a poorer experience than the "
        "organisation as a whole (at least 3 points worse) on 3 of 4 questions, the largest "
        "gaps being on q15 (organisation acts fairly on career progression/promotion"
    )
    # q15: 55/110 vs the rest 265/410 (p = 0.005); q4b: 33/110 vs 163/410 (p = 0.061);
    # q14a: 33/110 vs 103/410 (p = 0.30)
    assert black[0].endswith(
        "q4b and q14a. For 1 of these the difference from the rest of the organisation is "
        "statistically significant."
    )
    hidden = [s for s in findings if "not reported" in s]
    assert hidden == [
        "Ethnicity: results for the Arab and Chinese groups are not reported, to protect "
        "the confidentiality of small groups."
    ]
    assert not any(ch.isdigit() for ch in hidden[0])


def test_key_findings_summarise_groups_with_few_red_ratings():
    parts = []
    for q, org, female, male in (("q15", 60.0, 61.0, 56.0), ("q4b", 40.0, 40.5, 39.0)):
        parts += overall(2025, q, 300, org) + rows(
            2025, q, "Sex", {"Female": (200, female), "Male": (100, male)})
    findings = ss.key_findings(ss.compare_to_overall(results(parts)))
    assert findings == ["Sex: Male staff scored at least 3 points worse than the organisation "
                        "on at most 2 questions, none statistically significant."]


def test_indicator_findings_wres():
    wres = ss.wres_survey_indicators(ethnicity_case())
    five = ss.indicator_findings(wres, "wres")[0]
    assert five == (
        "WRES indicator 5 (harassment, bullying or abuse from patients, relatives or the "
        "public in the last 12 months, q14a): 25.0% of White staff compared with 33.5% of "
        "BME staff; BME staff report the poorer experience, a difference of 8.5 points that "
        "is statistically significant.")


def test_indicator_findings_never_give_withheld_numbers():
    groups = {"White": (8, 2), "Chinese": (4, 2)}
    parts = []
    for q in ("q14a", "q14bc", "q15", "q16b"):
        parts += counts(2025, q, "Ethnicity", groups)
    text = ss.indicator_findings(ss.wres_survey_indicators(results(parts)), "wres")[0]
    assert text.endswith(": not reported (too few responses).")
    assert "%" not in text


def test_key_findings_when_no_group_is_worse():
    data = results(
        overall(2025, "q15", 300, 60.0),
        rows(2025, "q15", "Sex", {"Female": (200, 61.0), "Male": (100, 58.0)}),
    )
    findings = ss.key_findings(ss.compare_to_overall(data))
    assert findings == [
        "Sex: no group reported an experience at least 3 points worse than "
        "the organisation as a whole on any question."
    ]


# --------------------------------------------------------------------------------------
# respondent-level data
# --------------------------------------------------------------------------------------
def test_aggregate_responses_counts_bases_and_derived_measure():
    responses = pd.DataFrame(
        {
            "respondent_id": [f"r{i}" for i in range(6)],
            "year": 2025,
            "q14b": ["Never", "1-2", "Never", None, "3-5", "Never"],
            "q14c": ["Never", "Never", "More than 10", "Never", None, "never"],
            "q31b": ["Yes", "No", "No adjustment required", None, "Yes", "yes"],
            "sex": ["Female", "Female", "Male", "Male", None, "Female"],
        }
    )
    agg = ss.aggregate_responses(responses, breakdowns={"Sex": "sex"})
    org = agg[agg["breakdown"] == "Overall"].set_index("question")
    assert org.loc["q14b", "n_respondents"] == 5
    assert org.loc["q14b", "pct_positive"] == pytest.approx(40.0)
    assert org.loc["q14bc", "n_respondents"] == 6
    assert org.loc["q14bc", "pct_positive"] == pytest.approx(50.0)
    assert org.loc["q31b", "n_respondents"] == 4  # "No adjustment required" excluded
    assert org.loc["q31b", "pct_positive"] == pytest.approx(75.0)
    sex = agg[(agg["breakdown"] == "Sex") & (agg["question"] == "q14bc")].set_index("subgroup")
    assert sex.loc["Female", "n_respondents"] == 3
    assert sex.loc["Not stated", "n_respondents"] == 1
    # the aggregated shape feeds the comparison (where every group here is suppressed)
    comp = ss.compare_to_overall(agg)
    sex = comp[(comp["breakdown"] == "Sex") & (comp["n_respondents"].fillna(1) != 0)]
    assert sex["suppressed"].all()


def test_select_results_prefers_aggregated_and_falls_back_to_responses():
    agg = results(overall(2024, "q15", 20, 50.0), overall(2025, "q15", 30, 60.0))
    picked = ss.select_results({"survey_results": agg, "survey_responses": None}, [2025])
    assert picked["year"].tolist() == [2025]
    responses = pd.DataFrame({"respondent_id": ["a", "b"], "year": 2025,
                              "q15": ["Yes", "No"]})
    made = ss.select_results({"survey_results": None, "survey_responses": responses})
    assert made["pct_positive"].tolist() == [50.0]
    with pytest.raises(InputError, match="survey_results or survey_responses"):
        ss.select_results({"survey_results": None, "survey_responses": None})
    with pytest.raises(InputError, match="2030"):
        ss.select_results({"survey_results": agg}, [2030])


def test_aggregate_responses_requires_questions():
    with pytest.raises(InputError, match="question column"):
        ss.aggregate_responses(pd.DataFrame({"respondent_id": ["a"], "year": [2025]}))


# --------------------------------------------------------------------------------------
# respondent-level data: numeric answer codes
# --------------------------------------------------------------------------------------
def test_aggregate_responses_translates_likert_and_frequency_codes():
    # q21 Likert 1-5 (4 agree, 5 strongly agree count): codes 5, 4, 3, 1, 4, blank -> 3 of 5
    # q14b/q14c frequency 1 = never ... 5 = more than 10: as the text test above, in codes
    responses = pd.DataFrame(
        {
            "respondent_id": [f"r{i}" for i in range(6)],
            "year": 2025,
            "q21": [5, 4, 3, 1, 4, None],
            "q14b": ["1", "2", "1", None, "3", "1"],
            "q14c": ["1.0", "1", "5", "1", None, "1"],
            "q31b": [1, 2, 3, None, 1, 1],
        }
    )
    org = ss.aggregate_responses(responses, breakdowns={}).set_index("question")
    assert org.loc["q21", "n_respondents"] == 5
    assert org.loc["q21", "pct_positive"] == pytest.approx(60.0)
    assert org.loc["q14b", "pct_positive"] == pytest.approx(40.0)  # 2 of 5
    assert org.loc["q14bc", "n_respondents"] == 6
    assert org.loc["q14bc", "pct_positive"] == pytest.approx(50.0)  # r1, r2, r4
    assert org.loc["q31b", "n_respondents"] == 4  # 3 = no adjustment required, excluded
    assert org.loc["q31b", "pct_positive"] == pytest.approx(75.0)


def test_aggregate_responses_codes_and_texts_give_the_same_result():
    texts = pd.DataFrame({"respondent_id": ["a", "b", "c", "d"], "year": 2025,
                          "q4b": ["Very satisfied", "Dissatisfied", "Satisfied", None]})
    codes = texts.assign(q4b=[5, 2, 4, None])
    pd.testing.assert_frame_equal(ss.aggregate_responses(texts, breakdowns={}),
                                  ss.aggregate_responses(codes, breakdowns={}))


def test_aggregate_responses_keeps_number_like_texts_as_texts_in_auto_mode():
    # q17 answers such as "1" (once) and "2-5" are texts: the column is not all codes
    responses = pd.DataFrame({"respondent_id": ["a", "b", "c"], "year": 2025,
                              "q17b": ["1", "2-5", "Never"]})
    org = ss.aggregate_responses(responses, breakdowns={}).set_index("question")
    assert org.loc["q17b", "pct_positive"] == pytest.approx(200 / 3)
    forced = ss.aggregate_responses(responses.assign(q17b=["1", "Never", "Never"]),
                                    breakdowns={}, answers="text").set_index("question")
    assert forced.loc["q17b", "pct_positive"] == pytest.approx(100 / 3)


def test_aggregate_responses_uses_the_catalogues_own_coding():
    cat = ss.load_catalogue()
    cat.loc[cat["code"] == "q15", "answer_codes"] = "0=No;1=Yes;9=Don't know"
    responses = pd.DataFrame({"respondent_id": list("abcd"), "year": 2025,
                              "q15": [1, 0, 9, 1]})
    org = ss.aggregate_responses(responses, cat, breakdowns={}).set_index("question")
    assert org.loc["q15", "pct_positive"] == pytest.approx(50.0)


def test_aggregate_responses_rejects_unknown_codes_naming_cell_and_coding():
    responses = pd.DataFrame({"respondent_id": ["a", "b", "c"], "year": 2025,
                              "q21": [4, 7, 2]})
    with pytest.raises(InputError, match=r"q21.*row 3.*'7'.*5 \(strongly agree\)") as err:
        ss.aggregate_responses(responses, breakdowns={})
    assert len(err.value.problems) == 1
    with pytest.raises(InputError, match="Agree"):  # forced codes: a text is not a code
        ss.aggregate_responses(responses.assign(q21=["4", "Agree", "2"]), breakdowns={},
                               answers="codes")
    cat = ss.load_catalogue()
    cat.loc[cat["code"] == "q21", "answer_codes"] = ""
    with pytest.raises(InputError, match="no answer_codes for q21"):
        ss.aggregate_responses(responses.assign(q21=[4, 5, 2]), cat, breakdowns={})
    with pytest.raises(ValueError, match="answers must be"):
        ss.aggregate_responses(responses, breakdowns={}, answers="numbers")
    cat.loc[cat["code"] == "q21", "answer_codes"] = "4=Agree;five"
    with pytest.raises(ValueError, match="code=answer"):
        ss.aggregate_responses(responses.assign(q21=[4, 4, 4]), cat, breakdowns={})


def test_catalogue_answer_codes_put_the_most_negative_answer_first():
    cat = ss.load_catalogue().set_index("code")
    assert cat.at["q21", "answer_codes"].startswith("1=Strongly disagree;")
    assert cat.at["q21", "answer_codes"].endswith(";5=Strongly agree")
    assert cat.at["q14a", "answer_codes"] == "1=Never;2=1-2;3=3-5;4=6-10;5=More than 10"
    percent = cat[cat["measure"] == "percent"]
    derived = percent["components"] != ""
    assert (percent.loc[~derived, "answer_codes"] != "").all()


# --------------------------------------------------------------------------------------
# WRES indicator 6 without the combined q14bc figure
# --------------------------------------------------------------------------------------
def _wres_parts(questions) -> list[dict]:
    parts: list[dict] = []
    for q in questions:
        parts += overall(2025, q, 500, 20.0) + rows(
            2025, q, "Ethnicity", {"White": (300, 18.0), "Asian": (150, 24.0),
                                   "Black": (50, 20.0)})
    return parts


def test_wres_indicator_6_is_not_available_without_q14bc():
    data = results(_wres_parts(["q14a", "q14b", "q14c", "q15", "q16b"]))
    wres = ss.wres_survey_indicators(data)
    six = one(wres, indicator="6")
    assert not six["available"]
    assert pd.isna(six["white_value"]) and pd.isna(six["bme_value"])
    assert not six["white_suppressed"] and not six["bme_suppressed"]
    assert "survey contractor" in six["note"] and "cannot be worked out" in six["note"]
    assert one(wres, indicator="5")["available"]
    text = ss.indicator_findings(wres, "wres")[1]
    assert text.startswith("WRES indicator 6 (")
    assert "is not available: indicator 6 needs the combined figure" in text
    assert "%" not in text


def test_wres_indicator_6_uses_q14bc_when_supplied():
    data = results(_wres_parts(["q14a", "q14bc", "q15", "q16b"]))
    six = one(ss.wres_survey_indicators(data), indicator="6")
    assert six["available"] and six["note"] is None
    assert six["white_value"] == pytest.approx(0.18)
    assert six["bme_value"] == pytest.approx((36 + 10) / 200)


def test_wdes_metric_not_in_results_is_marked_not_available():
    data = results(overall(2025, "q15", 300, 60.0),
                   rows(2025, "q15", "Disability", {"Yes": (100, 50.0), "No": (200, 65.0)}))
    wdes = ss.wdes_survey_metrics(data)
    assert one(wdes, metric="5")["available"]
    seven = one(wdes, metric="7")
    assert not seven["available"]
    assert seven["note"] == "not available: question q4b by disability is not in the results"


# --------------------------------------------------------------------------------------
# WDES metric 9a: engagement score
# --------------------------------------------------------------------------------------
def engagement_rows(year: int, groups: dict[str, tuple], sd: bool = True) -> list[dict]:
    out = []
    for g, (n, score, s) in groups.items():
        breakdown = "Overall" if g == "Organisation" else "Disability"
        row = {"year": year, "question": "engagement", "breakdown": breakdown, "subgroup": g,
               "n_respondents": n, "pct_positive": score}
        if sd:
            row["score_sd"] = s
        out.append(row)
    return out


def test_engagement_metric_welch_interval_matches_scipy():
    from scipy import stats as sps

    data = results(engagement_rows(2025, {
        "Organisation": (500, 6.88, 1.5), "Yes": (100, 6.5, 1.6), "No": (380, 7.0, 1.4),
        "Prefer not to say": (20, 6.9, 1.5)}))
    eng = ss.wdes_engagement_metric(data)
    row = one(eng, year=2025)
    assert row["available"] and row["metric"] == "9a"
    assert row["disabled_score"] == pytest.approx(6.5)
    assert row["non_disabled_score"] == pytest.approx(7.0)
    assert row["difference"] == pytest.approx(-0.5)
    ref = sps.ttest_ind_from_stats(6.5, 1.6, 100, 7.0, 1.4, 380, equal_var=False)
    assert row["p_value"] == round(ref.pvalue, 3)  # published to three decimals
    # hand-worked: se = sqrt(1.6^2/100 + 1.4^2/380) = 0.175380; Welch df = 141.94;
    # t(0.975, 141.94) = 1.97683 -> -0.5 +/- 0.34670, published to two decimals
    assert row["lower"] == -0.85
    assert row["upper"] == -0.15
    # independently: shifting the difference to either bound makes scipy's Welch test
    # p = 0.05 (within the rounding of the published bounds)
    for bound in (row["lower"], row["upper"]):
        shifted = sps.ttest_ind_from_stats(6.5 - bound, 1.6, 100, 7.0, 1.4, 380,
                                           equal_var=False)
        assert shifted.pvalue == pytest.approx(0.05, abs=0.005)
    # mean +/- t(0.975, 99) * 1.6 / 10 = 6.5 +/- 0.31747
    assert row["disabled_lower"] == round(6.5 - 0.31747, 2)
    assert row["significant"] and row["worse_for"] == "Disabled"
    assert ss.engagement_findings(eng) == [
        "WDES metric 9a (staff engagement score, 0-10): 6.50 for disabled staff compared "
        "with 7.00 for non-disabled staff, a difference of -0.50 points that is "
        "statistically significant."]


def test_engagement_metric_without_sd_gives_the_point_difference_only():
    data = results(engagement_rows(2025, {
        "Organisation": (400, 6.9, None), "Yes": (100, 6.4, None), "No": (300, 7.0, None)},
        sd=False))
    row = one(ss.wdes_engagement_metric(data), year=2025)
    assert row["difference"] == pytest.approx(-0.6)
    assert pd.isna(row["lower"]) and pd.isna(row["p_value"]) and not row["significant"]
    assert row["method"] == "point difference (no standard deviation supplied)"
    assert "precision cannot be assessed" in ss.engagement_findings(
        ss.wdes_engagement_metric(data))[0]


def test_engagement_metric_combines_subgroups_with_pooled_sd():
    # two "disabled" subgroups: n 30 mean 6 sd 1, n 20 mean 7 sd 2 -> mean 6.4;
    # SS = 29*1 + 19*4 + 30*0.16 + 20*0.36 = 117, sd = sqrt(117/49)
    data = results(engagement_rows(2025, {
        "Organisation": (250, 6.8, 1.5), "Yes, physical": (30, 6.0, 1.0),
        "Yes, mental health": (20, 7.0, 2.0), "No": (200, 6.9, 1.4)}))
    row = one(ss.wdes_engagement_metric(data), year=2025)
    assert row["disabled_respondents"] == 50
    assert row["disabled_score"] == pytest.approx(6.4)
    assert row["disabled_sd"] == round(math.sqrt(117 / 49), 2)


def test_engagement_metric_suppresses_small_groups():
    data = results(engagement_rows(2025, {
        "Organisation": (208, 6.9, 1.5), "Yes": (8, 5.0, 1.0), "No": (200, 7.0, 1.4)}))
    row = one(ss.wdes_engagement_metric(data), year=2025)
    assert row["disabled_suppressed"] and pd.isna(row["disabled_score"])
    assert pd.isna(row["disabled_respondents"]) and row["disabled_respondents_symbol"] == "*"
    # the chapter does not publish the organisation's number of engagement respondents,
    # so the non-disabled group does not reveal the disabled one
    assert not row["non_disabled_suppressed"] and row["non_disabled_score"] == 7.0
    assert pd.isna(row["difference"])
    text = ss.engagement_findings(ss.wdes_engagement_metric(data))[0]
    assert "not reported" in text and "5.0" not in text and "7.0" not in text


def test_engagement_metric_not_available_and_kept_out_of_percent_analyses():
    pct = results(overall(2025, "q15", 300, 60.0),
                  rows(2025, "q15", "Disability", {"Yes": (100, 50.0), "No": (200, 65.0)}))
    absent = ss.wdes_engagement_metric(pct)
    assert list(absent["available"]) == [False]
    assert "not in the results" in absent["note"].iloc[0]
    assert "not available" in ss.engagement_findings(absent)[0]
    both = pd.concat([pct, results(engagement_rows(2025, {
        "Organisation": (300, 6.9, 1.5), "Yes": (100, 6.5, 1.6), "No": (200, 7.1, 1.4)}))])
    comp = ss.compare_to_overall(both)
    assert set(comp["question"]) == {"q15"}  # scores are never rated as percentages
    assert set(ss.trend_table(both)["question"]) == {"q15"}
    picked = ss.select_results({"survey_results": both})
    assert "score_sd" in picked.columns
    assert one(ss.wdes_engagement_metric(picked), year=2025)["available"]


def test_engagement_metric_prefers_score_column_and_validates():
    data = results(engagement_rows(2025, {
        "Organisation": (300, None, 1.5), "Yes": (100, None, 1.6), "No": (200, None, 1.4)}))
    data["score"] = [6.9, 6.5, 7.1]
    assert one(ss.wdes_engagement_metric(data), year=2025)["disabled_score"] == 6.5
    bad = data.assign(score=[6.9, 11.0, 7.1])
    with pytest.raises(InputError, match="0 to 10"):
        ss.wdes_engagement_metric(bad)
    with pytest.raises(InputError, match="standard deviation"):
        ss.wdes_engagement_metric(data.assign(score_sd=[1.5, -1.0, 1.4]))


def test_numeric_codes_survive_the_validating_reader(tmp_path):
    from edi_analysis.io import read_survey_responses

    path = tmp_path / "survey_responses.csv"
    path.write_text("Respondent ID,Year,Q21,Q14b\nr1,2025,5,1\nr2,2025,2,3\nr3,2025,,1\n"
                    "r4,2025,4,\n")
    org = ss.aggregate_responses(read_survey_responses(path), breakdowns={})
    org = org.set_index("question")
    assert org.loc["q21", "pct_positive"] == pytest.approx(200 / 3)  # 5 and 4 of 5, 2, 4
    assert org.loc["q14b", "pct_positive"] == pytest.approx(100 / 3)  # code 3 = "3-5"


# --------------------------------------------------------------------------------------
# nested breakdowns (Directorate within Division)
# --------------------------------------------------------------------------------------
DIRECTORATES = {  # name: (division, n, % positive)
    "Finance": ("Corporate", 30, 50.0), "CEO": ("Corporate", 6, 50.0),
    "Comms": ("Corporate", 20, 40.0), "Nursing": ("Clinical", 25, 60.0),
    "Medical": ("Clinical", 15, 60.0),
}  # fmt: skip


def nested_case(extra_division_n: dict[str, int] | None = None) -> pd.DataFrame:
    """Directorates and their divisions; ``extra_division_n`` adds respondents to a
    division that are in none of its directorate rows (all answering positively)."""
    extra = extra_division_n or {}
    divisions: dict[str, list[float]] = {}
    for div, n, pct in DIRECTORATES.values():
        d = divisions.setdefault(div, [0, 0.0])
        d[0] += n
        d[1] += n * pct / 100
    for div, k in extra.items():
        divisions[div][0] += k
        divisions[div][1] += k
    total_n = sum(d[0] for d in divisions.values())
    total_x = sum(d[1] for d in divisions.values())
    return results(
        overall(2025, "q21", total_n, round(100 * total_x / total_n, 1)),
        rows(2025, "q21", "Directorate", {k: (n, p) for k, (_, n, p) in DIRECTORATES.items()}),
        rows(2025, "q21", "Division",
             {k: (int(n), round(100 * x / n, 1)) for k, (n, x) in divisions.items()}),
    )


def nesting() -> pd.DataFrame:
    return pd.DataFrame({"breakdown": "Directorate", "subgroup": list(DIRECTORATES),
                         "parent_breakdown": "Division",
                         "parent_subgroup": [v[0] for v in DIRECTORATES.values()]})


def worked_out(comp: pd.DataFrame) -> dict[str, float]:
    """What a reader can work out about each hidden directorate's positive answers by
    adding and subtracting published numbers: the exact count where it follows from the
    published figures (units: the five directorates)."""
    units = list(DIRECTORATES)
    shown_rows, shown_x = [], []
    for _, r in comp.iterrows():
        if r["breakdown"] == "Directorate":
            members = {r["subgroup"]}
        elif r["breakdown"] == "Division":
            members = {k for k, v in DIRECTORATES.items() if v[0] == r["subgroup"]}
        else:
            members = set(units)
        if pd.notna(r["pct_positive"]):
            shown_rows.append([1.0 if u in members else 0.0 for u in units])
            shown_x.append(r["pct_positive"] / 100 * r["n_respondents"])
    a, b = np.array(shown_rows), np.array(shown_x)
    found = {}
    for i, u in enumerate(units):
        target = np.eye(len(units))[i]
        coef, *_ = np.linalg.lstsq(a.T, target, rcond=None)
        if np.allclose(a.T @ coef, target, atol=1e-8):
            found[u] = float(coef @ b)
    return found


def test_without_nesting_a_hidden_directorate_is_its_division_minus_the_others():
    comp = ss.compare_to_overall(nested_case())
    assert one(comp, subgroup="CEO")["suppressed"]
    leaked = worked_out(comp)
    # the attack the nesting closes: Corporate - Finance - Comms = CEO (3 of 6 positive)
    assert leaked["CEO"] == pytest.approx(3.0, abs=0.05)


def test_nesting_hides_enough_that_no_hidden_directorate_can_be_worked_out():
    comp = ss.compare_to_overall(nested_case(), nesting=nesting())
    hidden = set(comp.loc[comp["suppressed"], "subgroup"])
    assert "CEO" in hidden and len(hidden & {"Finance", "Comms"}) >= 1
    assert not set(worked_out(comp)) & hidden
    # hidden by the nesting rule are marked complementary, the small group primary
    assert one(comp, subgroup="CEO")["suppression_reason"] == "primary"
    assert set(comp.loc[comp["suppressed"] & (comp["subgroup"] != "CEO"),
                        "suppression_reason"]) == {"complementary"}
    # divisions and the organisation stay published
    assert comp.loc[comp["breakdown"] != "Directorate", "pct_positive"].notna().all()


def test_a_divisions_respondents_in_no_directorate_are_not_a_group():
    # Clinical has 4 respondents in no directorate row: Clinical - Nursing - Medical gives
    # those 4 people's answers. Like respondents who skip a demographic question they are
    # not a published group (their "Not answered (Clinical)" category is not protected),
    # so nothing is hidden for them ...
    case = nested_case({"Clinical": 4})
    comp = ss.compare_to_overall(case, nesting=nesting())
    assert not comp.loc[comp["subgroup"].isin(["Nursing", "Medical"]), "suppressed"].any()
    # ... unless the policy says so
    strict = ss.compare_to_overall(case, nesting=nesting(), run_policy=get_policy(
        "standard", protect_non_respondents=True))
    clinical = strict[strict["subgroup"].isin(["Clinical", "Nursing", "Medical"])]
    assert clinical["suppressed"].any()


def test_nesting_makes_a_division_the_set_of_its_directorates():
    data = nested_case({"Clinical": 4})
    release = Release("standard")
    survey = ss.SurveyRelease(release, data, nesting=nesting())
    sq = survey.questions[(2025, "q21")]
    attr, cats = sq.where[("Division", "Clinical")]
    assert attr == "Directorate"
    assert cats == {"Nursing", "Medical", "Not answered (Clinical)"}
    assert sq.where[("Directorate", "CEO")] == ("Directorate", frozenset({"CEO"}))
    assert sq.population.not_sensitive == {
        "Directorate": {"Not answered", "Not answered (Clinical)"}}


def test_nesting_flows_into_trends():
    case = pd.concat([nested_case(), nested_case().assign(year=2024)], ignore_index=True)
    trends = ss.trend_table(case, nesting=nesting())
    comp = ss.compare_to_overall(case, nesting=nesting())
    hidden = comp.loc[comp["suppressed"], ["year", "subgroup"]]
    for _, h in hidden.iterrows():
        t = trends[(trends["year"] == h["year"]) & (trends["subgroup"] == h["subgroup"])]
        assert t["pct_positive"].isna().all()


def test_nesting_that_does_not_add_up_is_an_input_error():
    case = nested_case()
    case.loc[(case["breakdown"] == "Division") & (case["subgroup"] == "Clinical"),
             "n_respondents"] = 30  # fewer than its directorates' 40
    with pytest.raises(InputError, match="Clinical"):
        ss.compare_to_overall(case, nesting=nesting())
    orphan = nesting().iloc[1:]  # Finance has no parent
    with pytest.raises(InputError, match="Finance"):
        ss.compare_to_overall(nested_case(), nesting=orphan)


def test_nesting_table_checks():
    ok = ss.nesting_table(nesting())
    assert list(ok.columns) == ss.NESTING_COLUMNS
    two_parents = pd.concat([nesting(), nesting().iloc[[0]].assign(parent_subgroup="X")])
    with pytest.raises(InputError, match="one parent subgroup"):
        ss.nesting_table(two_parents)
    two_children = pd.concat([nesting(), nesting().assign(breakdown="Team")])
    with pytest.raises(InputError, match="at most one breakdown nested"):
        ss.nesting_table(two_children)
    blank = nesting().assign(parent_subgroup=[None, "Corporate", "Corporate", "Clinical",
                                              "Clinical"])
    with pytest.raises(InputError) as err:
        ss.nesting_table(blank)
    assert err.value.problems[0].row == 2
    with pytest.raises(InputError, match="parent_breakdown"):
        ss.nesting_table(nesting().drop(columns="parent_breakdown"))


def test_nesting_from_responses_finds_directorate_within_division():
    responses = pd.DataFrame({
        "respondent_id": [f"r{i}" for i in range(8)], "year": 2025,
        "q21": ["Agree"] * 8,
        "directorate": ["Fin", "Fin", "CEO", "Nurs", "Nurs", "Med", "Med", "Fin"],
        "division": ["Corp", "Corp", "Corp", "Clin", "Clin", "Clin", "Clin", "Corp"],
        "sex": ["Female", "Male"] * 4,
    })
    found = ss.nesting_from_responses(responses).sort_values("subgroup")
    assert set(found["breakdown"]) == {"Directorate"}
    assert dict(zip(found["subgroup"], found["parent_subgroup"], strict=True)) == {
        "CEO": "Corp", "Fin": "Corp", "Med": "Clin", "Nurs": "Clin"}
    # sex is not nested in division (both sexes in each), nor the reverse
    assert ss.nesting_from_responses(responses.drop(columns="directorate")).empty


# --------------------------------------------------------------------------------------
# an analyst's own catalogue
# --------------------------------------------------------------------------------------
def test_own_catalogue_renumbers_a_wres_question(tmp_path):
    # a future questionnaire moves "harassment from the public" from q14a to q15a
    cat = ss.load_catalogue()
    cat = cat[cat["code"] != "q15"]  # free the number before reusing it
    cat.loc[cat["code"] == "q14a", "code"] = "q15a"
    path = tmp_path / "my_catalogue.csv"
    cat.to_csv(path, index=False)
    own = ss.load_catalogue(path)
    assert "q15a" in set(own["code"]) and "q14a" not in set(own["code"])
    data = results(_wres_parts(["q15a", "q16b"]))
    five = one(ss.wres_survey_indicators(data, catalogue=own), indicator="5")
    assert five["question"] == "q15a" and five["available"]
    assert five["white_value"] == pytest.approx(0.18)
    # the bundled catalogue does not know q15a: indicator 5 is then not available
    with pytest.warns(UserWarning, match="q15a"):
        bundled = ss.wres_survey_indicators(data)
    assert not one(bundled, indicator="5")["available"]


def test_own_catalogue_errors_name_file_column_and_row(tmp_path):
    cat = ss.load_catalogue()
    cat["higher_is_better"] = cat["higher_is_better"].astype(object)
    cat.loc[2, "higher_is_better"] = "maybe"
    path = tmp_path / "bad.csv"
    cat.to_csv(path, index=False)
    with pytest.raises(InputError) as err:
        ss.load_catalogue(path)
    problem = err.value.problems[0]
    assert (problem.column, problem.row, problem.value) == ("higher_is_better", 4, "maybe")
    assert problem.file == str(path)
    cat2 = ss.load_catalogue().drop(columns="measure")
    cat2.to_csv(path, index=False)
    with pytest.raises(InputError, match="measure"):
        ss.load_catalogue(path)
