"""The staff survey chapter against the independent attacker (issue 11).

Every test publishes through :class:`edi_analysis.staff_survey.SurveyRelease`, writes
the CSV files and the manifest, and lets the attacker of the audit
(:func:`edi_analysis.disclosure.audit.attack_published`) read them back as a reader
would. The regression tests rebuild the publication patterns of the old hand protection
that leaked and show that the attacker catches them.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edi_analysis import staff_survey as ss
from edi_analysis.disclosure import Release, get_policy, write_release
from edi_analysis.disclosure.audit import attack_published


def counts(year: int, question: str, breakdowns: dict[str, dict[str, tuple[int, int]]],
           not_answered: dict[str, tuple[int, int]] | None = None) -> list[dict]:
    """Rows of whole numbers (n, positive) per breakdown and group, and the Overall row.

    Every breakdown must count the same respondents: a breakdown's groups plus its
    ``not_answered`` (n, positive) make the organisation, which the first breakdown sets.
    """
    not_answered = not_answered or {}
    out = []
    totals = []
    for breakdown, groups in breakdowns.items():
        na = not_answered.get(breakdown, (0, 0))
        totals.append((sum(n for n, _ in groups.values()) + na[0],
                       sum(x for _, x in groups.values()) + na[1]))
        out += [{"year": year, "question": question, "breakdown": breakdown, "subgroup": g,
                 "n_respondents": n, "pct_positive": 100 * x / n if n else None}
                for g, (n, x) in groups.items()]
    n, x = totals[0]
    assert all(t == (n, x) for t in totals), totals
    out.append({"year": year, "question": question, "breakdown": "Overall",
                "subgroup": "Organisation", "n_respondents": n, "pct_positive": 100 * x / n})
    return out


def publish(data: pd.DataFrame, folder: Path, run_policy="standard", **options):
    """Protect and write the chapter; return the survey and the attacker's findings."""
    release = Release(run_policy, label="staff_survey")
    survey = ss.SurveyRelease(release, data, **options)
    release.protect()
    frames = {"comparison": survey.comparison(), "trends": survey.trends(),
              "wres": survey.wres(), "wdes": survey.wdes(),
              "engagement": survey.engagement()}
    return survey, frames, attack(release, folder)


def attack(release: Release, folder: Path) -> list:
    write_release(release, folder / "tables", folder / "disclosure")
    findings, _ = attack_published(folder / "disclosure", folder / "tables")
    return findings


def show_all_but(survey: ss.SurveyRelease, hidden: dict[tuple[str, str], bool]) -> None:
    """Rewrite the published comparison as the old hand protection did.

    ``hidden`` maps (breakdown, subgroup) to whether its number of respondents stayed
    published (True: only the % was hidden, as for the old complementary suppression).
    Every other row shows its exact figures.
    """
    release = survey.release
    comp = release.finished[ss.COMPARISON_TABLE].copy()
    exact = survey.comparison_rows
    for i in range(len(comp)):
        where = (comp.at[i, "breakdown"], comp.at[i, "subgroup"])
        n, x = exact.at[i, "n_respondents"], exact.at[i, "x"]
        if where in hidden:
            comp.at[i, "n_respondents"] = n if hidden[where] else pd.NA
            comp.at[i, "n_respondents_symbol"] = "" if hidden[where] else "*"
            comp.at[i, "pct_positive"] = np.nan
        else:
            comp.at[i, "n_respondents"] = n
            comp.at[i, "n_respondents_symbol"] = ""
            comp.at[i, "pct_positive"] = round(100 * x / n, 1) if n else np.nan
    release.finished[ss.COMPARISON_TABLE] = comp


# --------------------------------------------------------------------------------------
# regressions: the leaks of the old publication
# --------------------------------------------------------------------------------------
def test_a_single_hidden_ethnic_group_beside_a_shown_bme_total_is_caught(tmp_path):
    # Chinese (4) hidden on its own in the breakdown, BME (Asian + Chinese) published by
    # WRES indicator 5: BME - Asian gives the 4 Chinese respondents and their answers
    data = pd.DataFrame(counts(2025, "q14a", {"Ethnicity": {
        "White": (100, 20), "Asian": (50, 10), "Chinese": (4, 1),
        "Prefer not to say": (20, 4)}}, not_answered={"Ethnicity": (10, 2)}))
    survey, frames, findings = publish(data, tmp_path / "new")
    assert findings == []
    wres = frames["wres"].set_index("indicator")
    assert not wres.loc["5", "bme_suppressed"] and wres.loc["5", "bme_respondents"] == 54
    show_all_but(survey, {("Ethnicity", "Chinese"): False})
    old = attack(survey.release, tmp_path / "old")
    assert old and any("Chinese" in f.location or "Chinese" in f.what for f in old)


def test_percentages_to_fifteen_digits_are_caught(tmp_path):
    data = pd.DataFrame(counts(2025, "q15", {"Sex": {
        "Female": (130, 61), "Male": (47, 22), "Prefer not to say": (3, 1)}},
        not_answered={"Sex": (7, 3)}))
    survey, frames, findings = publish(data, tmp_path / "new")
    assert findings == []
    comp = frames["comparison"]
    assert (comp["pct_positive"].dropna() == comp["pct_positive"].dropna().round(1)).all()
    # the old CSV: pct_positive as computed, about 15 significant digits
    old = survey.release.finished[ss.COMPARISON_TABLE].copy()
    exact = survey.comparison_rows
    shown = old["pct_positive"].notna()
    old.loc[shown, "pct_positive"] = 100 * exact.loc[shown, "x"] / exact.loc[
        shown, "n_respondents"]
    survey.release.finished[ss.COMPARISON_TABLE] = old
    found = attack(survey.release, tmp_path / "old")
    assert any("more decimals than the report shows" in f.what for f in found)


def test_overall_minus_shown_groups_giving_a_hidden_group_at_zero_percent_is_caught(
        tmp_path):
    # a rare experience (2 of 125): the 5 respondents aged 66+ answered no, and so did the
    # 30 aged 21-30 that the old rule hid with them (showing their n)
    data = pd.DataFrame(counts(2025, "q13a", {"Age": {
        "21-30": (30, 0), "31-40": (40, 1), "41-50": (50, 1), "66+": (5, 0)}}))
    survey, frames, findings = publish(data, tmp_path / "new")
    assert findings == []
    comp = frames["comparison"].set_index("subgroup")
    assert comp.loc["66+", "suppression_reason"] == "primary"
    show_all_but(survey, {("Age", "66+"): False, ("Age", "21-30"): True})
    old = attack(survey.release, tmp_path / "old")
    # both the 5 respondents and their result (0 of them) are pinned
    assert any("66+" in f.location and "answer=positive" in f.location for f in old)
    assert any("66+" in f.location and "answer" not in f.location for f in old)


# --------------------------------------------------------------------------------------
# the headline comparisons are published
# --------------------------------------------------------------------------------------
def headline_case() -> pd.DataFrame:
    """21 BME and 74 disabled respondents, with small groups and non-respondents."""
    parts = []
    ethnicity = {"White": (120, 30), "Asian": (15, 4), "Black": (4, 1), "Mixed": (2, 0),
                 "Prefer not to say": (10, 2)}
    disability = {"Yes": (74, 20), "No": (74, 14), "Prefer not to say": (3, 1)}
    for q in ("q14a", "q14bc", "q15", "q16b", "q14d", "q11e"):
        parts += counts(2025, q, {"Ethnicity": ethnicity, "Disability": disability},
                        not_answered={"Ethnicity": (12, 3), "Disability": (12, 5)})
    return pd.DataFrame(parts)


def test_bme_and_disabled_are_shown_with_ten_or_more_respondents(tmp_path):
    survey, frames, findings = publish(headline_case(), tmp_path)
    assert findings == []
    wres, wdes = frames["wres"], frames["wdes"]
    assert not wres["bme_suppressed"].any() and set(wres["bme_respondents"]) == {21}
    assert not wres["white_suppressed"].any()
    shown = wdes[wdes["available"]]
    assert not shown["disabled_suppressed"].any()
    assert set(shown.loc[shown["metric"].isin(["4b", "6"]), "disabled_respondents"]) == {74}
    # the small groups are hidden in the breakdown, and so is what would give them away
    comp = frames["comparison"]
    hidden = set(comp.loc[comp["suppressed"], "subgroup"])
    assert {"Black", "Mixed"} <= hidden


def test_national_survey_rule_hides_groups_under_eleven(tmp_path):
    data = pd.DataFrame(counts(2025, "q15", {"Sex": {
        "Female": (130, 61), "Male": (10, 4)}}, not_answered={"Sex": (20, 7)}))
    _, frames, findings = publish(data, tmp_path, policy="national_survey",
                                  min_responses=None)
    assert findings == []
    male = frames["comparison"].set_index("subgroup").loc["Male"]
    assert male["suppression_reason"] == "primary"
    _, frames, _ = publish(data, tmp_path / "local")
    assert not frames["comparison"].set_index("subgroup").loc["Male", "suppressed"]


def test_strict_option_hides_results_that_reveal_a_few_people(tmp_path):
    # 2 of 40 men answered positively: shown under the NHS rule, hidden under the strict
    # option (with what would give it away)
    data = pd.DataFrame(counts(2025, "q16b", {"Sex": {
        "Female": (130, 20), "Male": (40, 2)}}, not_answered={"Sex": (20, 3)}))
    _, frames, findings = publish(data, tmp_path / "plain")
    assert findings == [] and not frames["comparison"]["suppressed"].any()
    strict = get_policy("standard", survey_strict=True)
    _, frames, findings = publish(data, tmp_path / "strict", run_policy=strict)
    assert findings == []
    male = frames["comparison"].set_index("subgroup").loc["Male"]
    assert male["suppressed"] and male["suppression_reason"] == "primary"


def test_a_question_few_answered_is_not_published(tmp_path):
    # 8 answered: the number who answered is the size of the question's population,
    # which a reader is taken to know, so nothing of the question is shown
    data = pd.DataFrame(counts(2025, "q31b", {"Sex": {"Female": (6, 4), "Male": (2, 1)}}))
    survey, frames, findings = publish(data, tmp_path)
    assert findings == []
    comp = frames["comparison"]
    assert comp["suppressed"].all() and comp["n_respondents"].isna().all()
    assert set(comp["suppression_reason"]) == {"primary"}
    assert (2025, "q31b") in survey.too_few


def test_a_question_whose_small_group_answered_all_one_way_and_fills_it_is_not_published(
        tmp_path):
    # 10 answered: 9 women, all "no", and 1 man. A reader knows the 10 and that the
    # hidden men's group holds someone, so the women can be no more than 9: their 0%
    # could never be protected, whatever else is hidden
    data = pd.DataFrame(counts(2025, "q14a", {"Sex": {"Female": (9, 0), "Male": (1, 0)}}))
    survey, frames, findings = publish(data, tmp_path)
    assert findings == [] and (2025, "q14a") in survey.too_few
    # with one more respondent who did not say, there is room: the question is published
    data = pd.DataFrame(counts(2025, "q14a", {"Sex": {"Female": (9, 0), "Male": (1, 0)}},
                               not_answered={"Sex": (1, 0)}))
    survey, frames, findings = publish(data, tmp_path / "room")
    assert findings == [] and not survey.too_few


# --------------------------------------------------------------------------------------
# property: small random surveys
# --------------------------------------------------------------------------------------
@st.composite
def surveys(draw) -> pd.DataFrame:
    """One or two questions of one year: ethnic groups (with a BME total in WRES),
    optional sex, optional divisions holding directorates, and non-respondents."""

    def group(lo: int = 0, hi: int = 30) -> tuple[int, int]:
        n = draw(st.integers(lo, hi))
        return n, draw(st.integers(0, n))

    questions = draw(st.sampled_from([["q14a"], ["q15"], ["q14a", "q16b"]]))
    others = draw(st.lists(st.sampled_from(["Asian", "Black", "Mixed", "Other ethnic group",
                                            "Prefer not to say"]),
                           min_size=1, max_size=3, unique=True))
    with_sex = draw(st.booleans())
    nested = draw(st.booleans())
    parts, nesting = [], []
    for q in questions:
        ethnicity = {"White": group(5, 60), **{g: group() for g in others}}
        na = group(0, 8)
        n_total = sum(n for n, _ in ethnicity.values()) + na[0]
        x_total = sum(x for _, x in ethnicity.values()) + na[1]
        rows = counts(2025, q, {"Ethnicity": ethnicity}, {"Ethnicity": na})
        if with_sex:
            male = (draw(st.integers(0, n_total)), 0)
            male = (male[0], draw(st.integers(max(0, x_total - (n_total - male[0])),
                                              min(male[0], x_total))))
            rows = [r for r in rows if r["breakdown"] != "Overall"] + counts(
                2025, q, {"Sex": {"Male": male,
                                  "Female": (n_total - male[0], x_total - male[1])}})
        if nested:
            directorates = {"A1": group(), "A2": group(), "B1": group()}
            extra = group(0, 5)
            divisions = {
                "A": (directorates["A1"][0] + directorates["A2"][0] + extra[0],
                      directorates["A1"][1] + directorates["A2"][1] + extra[1]),
                "B": directorates["B1"]}
            rest = (n_total - divisions["A"][0] - divisions["B"][0],
                    x_total - divisions["A"][1] - divisions["B"][1])
            if rest[0] >= 0 and 0 <= rest[1] <= rest[0]:
                rows = [r for r in rows if r["breakdown"] != "Overall"] + counts(
                    2025, q, {"Division": divisions, "Directorate": directorates},
                    {"Division": rest, "Directorate": (rest[0] + extra[0],
                                                       rest[1] + extra[1])})
                nesting = [("Directorate", d, "Division", d[0]) for d in directorates]
        parts += rows
    table = pd.DataFrame(nesting, columns=ss.NESTING_COLUMNS) if nesting else None
    return pd.DataFrame(parts), table


@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(surveys())
def test_random_small_surveys_leave_the_attacker_nothing(case):
    data, nesting = case
    with tempfile.TemporaryDirectory() as tmp:
        _, frames, findings = publish(data, Path(tmp), nesting=nesting)
    assert findings == []
    comp = frames["comparison"]
    n = comp["n_respondents"].astype("Float64")
    assert not ((n > 0) & (n < 10)).fillna(False).any()  # no small group shown
    assert comp.loc[comp["suppressed"], "pct_positive"].isna().all()


@pytest.mark.parametrize("level", [1, 2])
def test_protection_level_of_the_run_applies_to_survey_groups(tmp_path, level):
    policy = get_policy("standard", protection_level=level)
    data = pd.DataFrame(counts(2025, "q14a", {"Ethnicity": {
        "White": (60, 10), "Asian": (20, 4), "Black": (3, 1), "Mixed": (6, 2)}},
        not_answered={"Ethnicity": (2, 0)}))
    survey, _, findings = publish(data, tmp_path, run_policy=policy)
    assert findings == []
    assert survey.policy.protection_level == level
    assert survey.release.policy_of("survey 2025 q14a").min_count == 10
