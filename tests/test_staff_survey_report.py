"""Tests for the staff survey tables and charts (report/staff_survey_*.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from edi_analysis import staff_survey as ss
from edi_analysis.report import staff_survey_charts as charts
from edi_analysis.report import staff_survey_tables as tables
from edi_analysis.report.theme import RAG_FILLS
from edi_analysis.report.titles import TITLE_NAME

ETHNICITY = {"White": 300, "Asian": 120, "Black": 60, "Mixed": 15, "Arab": 4}
# question -> positive answers in the order White, Asian, Black, Mixed, Arab (2025; in 2024
# White has 6 more); Arab (4) is suppressed. Whole numbers, so that the breakdowns add up.
POSITIVES = {
    "q14a": (72, 33, 21, 6, 2),    # Black 35.0%, organisation 26.9%
    "q14bc": (54, 26, 17, 3, 1),
    "q15": (174, 64, 24, 9, 1),    # White 58.0%, Black 40.0%, organisation 54.5%
    "q16b": (18, 11, 9, 2, 1),
    "q4b": (122, 47, 23, 7, 1),
}


@pytest.fixture(scope="module")
def results() -> pd.DataFrame:
    records = []
    for year, shift in ((2024, 6), (2025, 0)):
        for q, groups in POSITIVES.items():
            groups = (groups[0] + shift, *groups[1:])
            total = sum(groups)
            records.append((year, q, "Overall", "Organisation", 499, 100 * total / 499))
            for (g, n), x in zip(ETHNICITY.items(), groups, strict=True):
                records.append((year, q, "Ethnicity", g, n, 100 * x / n))
            male = round(total * 99 / 499) - 2
            records.append((year, q, "Sex", "Female", 400, 100 * (total - male) / 400))
            records.append((year, q, "Sex", "Male", 99, 100 * male / 99))
    return pd.DataFrame(records, columns=ss.RESULT_COLUMNS)


@pytest.fixture(scope="module")
def comparison(results) -> pd.DataFrame:
    return ss.compare_to_overall(results)


def test_breakdown_table_labels_fills_and_key(comparison):
    gt = tables.breakdown_table(comparison, "Ethnicity", source="Synthetic test data")
    html = gt.as_raw_html()
    assert "n=300" in html and "n not shown" in html  # Arab (4) is primary suppressed
    assert "35.0 (R)" in html  # Black on q14a: 9 points more harassment -> Red
    assert "58.0 (G)" in html  # White on q15
    assert RAG_FILLS["Red"].lower() in html.lower()
    assert RAG_FILLS["Green"].lower() in html.lower()
    assert "fewer than 10 responses" in html and "Synthetic test data" in html
    assert "50.0" not in html  # the suppressed Arab result never appears


def test_breakdown_table_data_cells(comparison):
    text, ratings, labels = tables.breakdown_table_data(comparison, "Ethnicity")
    assert list(labels.values())[0] == "Organisation (n=499)"
    arab = [k for k, v in labels.items() if v.startswith("Arab")][0]
    assert set(text[arab]) == {"*"}
    assert ratings[arab].isna().all()
    black = [k for k, v in labels.items() if v.startswith("Black")][0]
    q15 = text.index[text["question"] == "q15"][0]
    assert text.at[q15, black].startswith("40.0 (R)")
    assert text["question"].tolist() == ["q4b", "q14a", "q14bc", "q15", "q16b"]


def test_reliable_marker(comparison):
    text, _, labels = tables.breakdown_table_data(comparison, "Ethnicity")
    black = [k for k, v in labels.items() if v.startswith("Black")][0]
    q15 = text.index[text["question"] == "q15"][0]
    # 24/60 vs the rest 250/439 (56.9%): p < 0.05
    assert text.at[q15, black] == "40.0 (R)†"


def test_missing_breakdown_gives_a_note_table(comparison):
    html = tables.breakdown_table(comparison, "Directorate").as_raw_html()
    assert "No results by directorate" in html


def test_the_published_comparison_carries_no_figures_of_hidden_groups(comparison):
    arab = comparison[comparison["subgroup"] == "Arab"]
    assert arab["pct_positive"].isna().all() and arab["n_respondents"].isna().all()
    assert set(arab["n_respondents_symbol"]) == {"*"}
    assert arab["rating"].isna().all() and not arab["reliable"].any()
    # no more digits than the report shows
    for col in ("pct_positive", "lower_pct", "difference_pts", "diff_vs_rest_pts"):
        values = comparison[col].dropna()
        assert (values == values.round(1)).all()
    assert (comparison["p_value"].dropna() == comparison["p_value"].dropna().round(3)).all()


def test_the_published_indicators_carry_no_numerators(results):
    wres = ss.wres_survey_indicators(results)
    assert not [c for c in wres.columns if c.endswith("_numerator")]
    assert {"white_respondents", "bme_respondents", "white_value"} <= set(wres.columns)
    assert (wres["white_value"] == wres["white_value"].round(3)).all()


def test_earlier_published_helpers_still_work(comparison):
    assert tables.published_comparison(comparison).equals(comparison)
    old = pd.DataFrame({"bme_numerator": [3.0], "bme_denominator": [30.0], "bme_value": [0.1]})
    assert list(tables.published_indicators(old).columns) == ["bme_respondents", "bme_value"]


def test_difference_heatmap(comparison):
    chart = charts.difference_heatmap(comparison, "Ethnicity")
    heat = chart.figure.data[0]
    z = np.asarray(heat.z, dtype=float)
    text = np.asarray(heat.text)
    col = list(heat.x).index("Arab")
    assert (z[:, col] == 3).all()  # the "no rating" fill
    assert set(text[:, col]) == {"*"}
    assert "Ethnicity".lower() in chart.alt_text and "suppressed" in chart.alt_text
    assert chart.data.loc[chart.data["subgroup"] == "Arab", "group_pct"].isna().all()


def test_heatmap_uses_the_tables_rag_rating_with_words(comparison):
    # the same rating, fill and letter as the breakdown table, cell by cell (issue 13)
    chart = charts.difference_heatmap(comparison, "Ethnicity")
    heat = chart.figure.data[0]
    z, text = np.asarray(heat.z, dtype=float), np.asarray(heat.text)
    _, ratings, labels = tables.breakdown_table_data(comparison, "Ethnicity")
    groups = [labels[c].split(" (n")[0] for c in ratings.columns[1:]]
    code = {"Red": 0, "Amber": 1, "Green": 2}
    for j, group in enumerate(groups):
        k = list(heat.x).index(group)
        for i, rating in enumerate(ratings.iloc[:, j + 1]):
            if isinstance(rating, str):
                assert z[i, k] == code[rating]
                assert text[i, k].endswith(f"({rating[0]})")
    scale = dict((round(x, 3), c) for x, c in heat.colorscale)
    assert scale[0.0] == RAG_FILLS["Red"] and scale[1.0] == charts.HEATMAP_FILLS["none"]
    assert any("(R) Red" in a.text for a in chart.figure.layout.annotations)
    title = [a.text for a in chart.figure.layout.annotations if a.name == TITLE_NAME]
    assert title == ["4 results at least 3 points worse than the organisation (red), 1 at"
                     "<br>least 3 points better (green)"]


def test_heatmap_labels_meet_wcag_contrast():
    # WCAG 2.2 SC 1.4.3: 4.5:1. Reference values of the formula: black on white 21:1,
    # #777777 on white 4.48:1 (the usual "just fails" grey).
    assert charts.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert charts.contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    for fill in charts.HEATMAP_FILLS.values():
        assert charts.contrast_ratio(charts.HEATMAP_TEXT, fill) >= 4.5


def test_question_labels_stay_distinguishable_when_shortened():
    wordings = ["Experienced harassment, bullying or abuse from managers",
                "Experienced harassment, bullying or abuse from other colleagues",
                "Experienced harassment, bullying or abuse from patients/service users, "
                "relatives or the public", "Short one"]
    out = charts.distinct_labels(wordings, 30)
    assert len(set(out)) == 4
    assert all(len(line) <= 30 for x in out for line in x.split("<br>"))
    assert all(x.count("<br>") <= 1 for x in out)
    assert out[0].endswith("from managers") and out[3] == "Short one"
    # every wording of the catalogue stays distinct, at the widths the charts use
    catalogue = ss.load_catalogue()
    for width in (36, 44):
        short = charts.distinct_labels(list(catalogue["short_wording"]), width)
        assert len(set(short)) == catalogue["short_wording"].nunique()


def test_change_words_agree_with_the_sign():
    # a harassment question falling 0.6 points is an improvement; the old table showed
    # "▲ -0.6", and "▼ +0.0" for a change that rounds to zero
    assert tables.change_words(-0.6, 0.6) == "\u22120.6, improved"
    assert tables.change_words(0.04, -0.04) == "0.0, no change"
    assert tables.change_words(1.25, -1.25, significant=True) == "+1.2, worsened\u2020"
    assert tables.change_words(2.0, 2.0) == "+2.0, improved"


def test_heatmap_for_a_missing_breakdown_says_so(comparison):
    chart = charts.difference_heatmap(comparison, "Directorate")
    assert chart.alt_text == "No staff survey results by directorate for 2025."
    assert chart.data.empty


def test_trend_table_and_charts(results):
    trends = ss.trend_table(results)
    html = tables.trend_table_gt(trends, source="Synthetic").as_raw_html()
    q15 = trends[(trends["breakdown"] == "Overall") & (trends["question"] == "q15")]
    assert q15["change_pts"].iloc[-1] == pytest.approx(54.5 - 55.7)  # 6 fewer of 499
    # q15 (higher is better) fell 1.2 points: the sign and the word agree (issue 13)
    assert "2024" in html and "2025" in html and "\u22121.2, worsened" in html
    chart = charts.trend_chart(trends)
    assert len(chart.figure.data) == len(POSITIVES)
    assert "2024 to 2025" in chart.alt_text
    one = charts.question_trend_chart(trends, "q14a", "Ethnicity")
    names = [t.name for t in one.figure.data]
    assert "Organisation" in names and "Black" in names
    arab = next(t for t in one.figure.data if t.name == "Arab")
    assert all(pd.isna(v) for v in arab.y)


def test_two_group_table_and_chart(results):
    wres = ss.wres_survey_indicators(results)
    html = tables.two_group_table(wres, "wres").as_raw_html()
    assert "BME % (95% CI)" in html and "WRES indicator" in html
    chart = charts.two_group_chart(wres, "wres")
    assert [t.name for t in chart.figure.data] == ["White", "BME"]
    assert "95% confidence intervals" in chart.alt_text
    with pytest.raises(ValueError, match="kind"):
        tables.two_group_table(wres, "other")


def test_two_group_chart_marks_a_hidden_group_in_place(results):
    # Figure 21 showed no BME bars at all when BME results were hidden (issue 13)
    wres = ss.wres_survey_indicators(results).copy()
    row = wres.index[(wres["indicator"].astype(str) == "5")
                     & (wres["year"] == wres["year"].max())][0]
    wres.loc[row, ["bme_value", "bme_lower", "bme_upper", "difference_pts"]] = np.nan
    wres["bme_suppressed"] = wres.index == row
    chart = charts.two_group_chart(wres, "wres")
    # marked in the BME bar's own place (its offset group), not over the White bar
    marks = [(t.offsetgroup, list(t.x), list(t.text)) for t in chart.figure.data
             if not t.showlegend and t.showlegend is not None]
    assert marks == [("bme", ["WRES indicator 5"], ["not shown: too few"])]
    assert chart.data.loc[chart.data["indicator"].astype(str) == "5", "BME %"].item() == "*"
    assert "marked on the chart" in chart.alt_text


def test_wres_table_and_chart_say_not_available_without_q14bc(results):
    wres = ss.wres_survey_indicators(results[results["question"] != "q14bc"])
    table = tables.two_group_table(wres, "wres").as_raw_html()
    assert table.count(">not available<") == 3  # White, BME and the gap of indicator 6
    assert "survey contractor" in table
    chart = charts.two_group_chart(wres, "wres")
    assert [a.text for a in chart.figure.layout.annotations
            if a.name != TITLE_NAME] == ["not available"]
    assert "Not available (not in the results): WRES indicator 6." in chart.alt_text
    assert "missing (suppressed" not in chart.alt_text  # indicator 6 is not "suppressed"


def _engagement(sd: float | None = 1.5, yes_n: int = 100) -> pd.DataFrame:
    return pd.DataFrame({
        "year": 2025, "question": "engagement",
        "breakdown": ["Overall", "Disability", "Disability"],
        "subgroup": ["Organisation", "Yes", "No"],
        "n_respondents": [yes_n + 380, yes_n, 380], "pct_positive": [6.9, 6.5, 7.0],
        "score_sd": [sd, sd, sd],
    })


def test_engagement_table_shows_scores_intervals_and_gap():
    html = tables.engagement_table(ss.wdes_engagement_metric(_engagement()),
                                   source="Synthetic").as_raw_html()
    assert "Disabled score" in html and "Non-disabled score" in html
    assert "6.50 (6.20–6.80)" in html  # 6.5 +/- t(0.975, 99) * 1.5 / 10 = 0.2976
    assert "-0.50 (" in html and "†" in html
    no_sd = ss.wdes_engagement_metric(_engagement(sd=None))
    html = tables.engagement_table(no_sd).as_raw_html()
    assert ">6.50<" in html and ">-0.50<" in html


def test_engagement_table_not_available_and_suppressed():
    absent = ss.wdes_engagement_metric(_engagement().assign(question="q15", pct_positive=50.0))
    html = tables.engagement_table(absent).as_raw_html()
    assert html.count(">not available<") == 3 and "not in the results" in html
    small = ss.wdes_engagement_metric(_engagement(yes_n=6))
    html = tables.engagement_table(small).as_raw_html()
    assert "6.50" not in html and ">*<" in html
    assert "7.00" in html  # the organisation's engagement n is not published
    empty = tables.engagement_table(absent.iloc[0:0]).as_raw_html()
    assert "not available" in empty
