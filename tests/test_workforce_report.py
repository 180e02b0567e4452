"""Tests for the workforce chapter's presentation: great-tables, plotly charts, the
notebook and the chapter file.

The tables and charts are drawn from what the chapter publishes
(:func:`edi_analysis.workforce_publication.build_chapter` on a small organisation,
built once for the module), so they show only published figures.
"""

from __future__ import annotations

import re

import nbformat
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from great_tables import GT

from edi_analysis import gender_pay_gap as gpg
from edi_analysis import workforce as wf
from edi_analysis import workforce_publication
from edi_analysis.disclosure import Release
from edi_analysis.paths import project_root
from edi_analysis.report import workforce_charts as charts
from edi_analysis.report import workforce_tables as tables
from edi_analysis.report.notebooks import labelled_cells

ROOT = project_root()
NOTEBOOK = ROOT / "notebooks" / "workforce.ipynb"
CHAPTER = ROOT / "chapters" / "_workforce.qmd"


def _staff() -> pd.DataFrame:
    """60 staff; one Black member of staff in Non-AfC (must be hidden everywhere)."""
    rows = (
        [("Band 3", "A", "Female", "No")] * 12
        + [("Band 3", "H", "Male", "No")] * 8
        + [("Band 6", "A", "Female", "Yes")] * 10
        + [("Band 6", "H", "Female", "No")] * 10
        + [("Band 8a", "A", "Male", "No")] * 9
        + [("VSM", "A", "Male", "Not declared")] * 10
        + [("VSM", "N", "Female", "No")]
    )
    staff = pd.DataFrame(rows, columns=["pay_band", "ethnic_category", "sex", "disability"])
    n = len(staff)
    return staff.assign(
        employee_id=[f"T{i:03d}" for i in range(n)],
        staff_group="Administrative and Clerical",
        age=[25 + (i * 7) % 40 for i in range(n)],
        hourly_pay=np.round(14.0 + np.arange(n) * 0.37, 2),
        bonus_pay=0.0,
        full_pay_relevant=True,
    )


@pytest.fixture(scope="module")
def chapter() -> workforce_publication.WorkforceChapter:
    release = Release("standard", label="workforce", previous=[])
    return workforce_publication.build_chapter(
        {"staff_records": _staff()}, "QK1", "2025-26", release,
        characteristics=("ethnic_group", "disability", "sex"))


@pytest.fixture(scope="module")
def profile(chapter) -> wf.PublishedProfile:
    return chapter.section.profiles["ethnic_group"]


def _html(table: GT) -> str:
    return table.as_raw_html()


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).replace("&lt;", "<")


def test_headcount_table_has_clusters_census_column_and_symbols(chapter, profile) -> None:
    comparator = chapter.section.comparators["ethnic_group"]
    notes = tables.section_notes(chapter.section, "ethnic_group")
    html = _html(tables.headcount_table(profile, comparator, notes))
    white = comparator.groupby("category")["count"].sum()
    census_white = f"{white['White'] / comparator['count'].sum() * 100:.1f}%"
    for text in ("Band 1-4", "Non-AfC", "Census 2021 %", census_white, "&lt;5",
                 "ESR extract (synthetic demo data)", "Census 2021, ONS",
                 "Open Government Licence v3.0", "Disclosure control"):
        assert text in html, text
    # the single Black member of staff in Non-AfC: never shown as a number
    assert "Black" in html
    black_row = re.search(r"Black</th>(.*?)</tr>", html, re.S).group(1)
    cells = [_text(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", black_row, re.S)]
    staff_cells = cells[:-1]  # the last column is the Census share
    assert staff_cells[3] in ("<5", "<10", "*") and staff_cells[4] in ("<5", "<10", "*")
    assert all(c in ("0.0%", "–", "<5", "<10", "*") for c in staff_cells), staff_cells


def test_representation_table_shows_interval_and_assessment(profile) -> None:
    html = _html(tables.representation_table(profile.representation, "<5", ["Source: x"]))
    assert "95% interval" in html and "Assessment" in html
    assert "Under-represented" in html or "Over-represented" in html or "Similar" in html


def test_declaration_and_progression_tables_render(chapter) -> None:
    section = chapter.section
    html = _html(tables.declaration_table(section.declaration, "*", ["Source: x"]))
    assert "% not declared by pay band cluster" in html
    assert "Staff (n)" in _html(tables.progression_table(section.progression["bme"], "<5"))


def test_indicator_tables_show_not_available_reasons_and_the_likelihoods(chapter) -> None:
    html = _html(tables.indicator_table(chapter.wres_results, ["Source: x"]))
    assert "not available: no recruitment file supplied" in html
    html = _html(tables.indicator_table(chapter.section.senior, ["Source: x"], "<5"))
    assert "Band 8a or above" in html


def test_band_tables_group_by_staff_type(chapter) -> None:
    html = _html(tables.band_table(chapter.wres_1, ["White", "BME"], "Not stated", "<5"))
    assert "Non-clinical" in html and "% BME" in html
    html = _html(tables.band_table(chapter.wdes_1, ["Disabled", "Non-disabled"], "Unknown",
                                   "<5"))
    assert "Non-clinical" in html and "% Disabled" in html


def test_gender_pay_gap_tables_render_percentages_only(chapter) -> None:
    gap = chapter.gpg
    assert gap is not None
    assert "Mean hourly pay gap" in _html(tables.gpg_measures_table(gap.measures, "<5"))
    html = _html(tables.gpg_quarters_table(gap.quarters, "<5"))
    assert "Women %" in html and "are not published" in html
    assert "Not a statutory measure" in _html(tables.gpg_groups_table(gap.groups, "<5"))


def test_representation_chart_draws_only_published_values(profile) -> None:
    chart = charts.representation_chart(profile.representation, "<5")
    assert isinstance(chart.figure, go.Figure)
    assert "White" in chart.alt_text
    bars = chart.figure.data[0]
    assert "Black" not in list(bars.y)  # hidden: no bar
    hidden = profile.representation.loc[profile.representation["suppressed"], "category"]
    assert "Black" in set(hidden)
    # ... but marked where the bar would be, and named (without a value) in the alt text
    marks = [a.text for a in chart.figure.layout.annotations if a.y == "Black"]
    assert marks and marks[0].startswith("Staff share not shown (")
    assert "not shown (small numbers): " in chart.alt_text and "Black" in chart.alt_text


def test_composition_chart_groups_hidden_cells(profile) -> None:
    chart = charts.composition_chart(profile)
    names = [t.name for t in chart.figure.data]
    assert charts.HIDDEN_SEGMENT in names
    assert chart.alt_text.startswith("Stacked bar chart")
    # every bar whose cluster total is published adds up to 100% with the hidden part
    totals = np.sum([np.asarray(t.y, dtype=float) for t in chart.figure.data], axis=0)
    known = profile.headcount[profile.headcount["category"] == "Total"].set_index(
        "cluster")["count"].notna()
    clusters = list(chart.figure.data[0].x)
    for clu, height in zip(clusters, totals, strict=True):
        if known[clu]:
            assert height == pytest.approx(100.0, abs=0.2)
    # every series in the legend has something drawn
    for trace in chart.figure.data:
        assert np.nanmax(np.asarray(trace.y, dtype=float)) > 0


def test_age_pyramid_and_declaration_chart(chapter) -> None:
    section = chapter.section
    chart = charts.age_pyramid(section.age_sex, "<5")
    ages = section.age_sex.loc[section.age_sex["age_band"] != "Total", "age_band"].nunique()
    assert chart.alt_text and len(chart.data) == ages
    # each hidden age band x sex cell is marked in words, so it cannot read as 0 staff
    body = section.age_sex[(section.age_sex["age_band"] != "Total")
                           & (section.age_sex["sex"].isin(["Female", "Male"]))]
    n_hidden = int(body["suppressed"].astype(bool).sum())
    marks = [a.text for a in chart.figure.layout.annotations if " not shown (" in a.text]
    assert len(marks) == n_hidden
    assert "not declared" in charts.declaration_chart(section.declaration, "*").alt_text


def test_gpg_quarters_chart_draws_the_published_percentages(chapter) -> None:
    chart = charts.gpg_quarters_chart(chapter.gpg.quarters, "<5")
    assert isinstance(chart.figure, go.Figure) and chart.alt_text


def test_gpg_peer_chart_marks_the_organisation() -> None:
    peers = gpg.load_peer_returns()
    pool = gpg.peer_returns_for("2022-23", peers)
    chart = charts.gpg_peer_chart(pool, 11.2, "2022-23")
    assert "11.2%" in chart.alt_text
    assert chart.data.iloc[0, 1] == str(len(pool["median_hourly_gap_pct"].dropna()))


def test_detailed_ethnicity_table_marks_census_only_rows_and_is_embedded(chapter) -> None:
    html = tables.representation_table(
        chapter.section.detailed_ethnicity, "<5",
        [wf.DETAILED_ETHNICITY_NOTE]).as_raw_html()
    assert "White: Roma (kept apart)" in html
    assert "White: Other White (incl. Gypsy or Irish Traveller, Roma)" in html
    assert "do not record Gypsy or Irish Traveller, Roma or Arab apart" in html
    # the one Black African member of staff is hidden
    row = re.search(r"Caribbean or African: African</th>(.*?)</tr>", html, flags=re.S)
    assert row is not None and re.search(r"&lt;5|&lt;10|\*", row.group(1))
    assert "tbl-wf-ethnicity-detailed" in labelled_cells(NOTEBOOK)
    assert "{{< embed notebooks/workforce.ipynb#tbl-wf-ethnicity-detailed >}}" in \
        CHAPTER.read_text()


def test_section_notes_name_the_census_base_and_the_policy(chapter) -> None:
    notes = tables.section_notes(chapter.section, "sex")
    assert notes[0].startswith("Source: ESR extract (synthetic demo data)")
    assert any(n.startswith("Census 2021, ONS") for n in notes)
    assert notes[-1] == f"Disclosure control: {chapter.release.policy.key_text}"


# --------------------------------------------------------------------------- notebook
def test_notebook_is_thin_and_committed_without_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for name in ("org", "period", "data_dir", "output_dir", "suppression_policy",
                 "band_clusters", "population", "previous_snapshot", "previous_releases",
                 "disclosure_dir", "disclosure_costs"):
        assert re.search(rf"^{name} = ", tagged[0].source, re.M), name
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "workforce_publication.build_chapter(" in code
    assert "write_release(release" in code
    assert "suppression" not in re.sub(r"suppression_policy", "", code)
    assert not re.search(r"^\s*(def|for|while) |\.groupby\(", code, re.M)


def test_every_chapter_embed_exists_in_the_notebook() -> None:
    labels = set(labelled_cells(NOTEBOOK))
    used = set(re.findall(r"workforce\.ipynb#([\w-]+)", CHAPTER.read_text()))
    assert used and used <= labels
    assert labels <= used  # nothing computed and left out
    assert all(re.match(r"^(tbl|fig|txt)-wf-", label) for label in labels)
    assert {"tbl-wf-withheld", "txt-wf-withheld"} <= labels


def test_overview_names_the_sections_confidence_level(chapter) -> None:
    from dataclasses import replace

    assert chapter.section.confidence == 0.95
    text = " ".join(wf.overview_sentences(replace(chapter.section, confidence=0.998)))
    assert "outside the 99.8% interval" in text and "95%" not in text
