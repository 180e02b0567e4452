"""Tests for the workforce chapter's presentation: great-tables, plotly charts, the
notebook and the chapter file."""

from __future__ import annotations

import re

import nbformat
import pandas as pd
import plotly.graph_objects as go
import pytest
from great_tables import GT

from edi_analysis import gender_pay_gap as gpg
from edi_analysis import workforce as wf
from edi_analysis import wres
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
    return pd.DataFrame(rows, columns=["pay_band", "ethnic_category", "sex", "disability"])


def _comparator() -> pd.DataFrame:
    return pd.DataFrame({"category": ["Asian", "Black", "Mixed", "White", "Other"],
                         "count": [200.0, 40.0, 20.0, 700.0, 40.0],
                         "base": "Usual residents aged 16 and over"})


@pytest.fixture(scope="module")
def profile() -> wf.PublishedProfile:
    return wf.publish_profile(_staff(), "ethnic_group", "seed", _comparator(), "standard")


def _html(table: GT) -> str:
    return table.as_raw_html()


def test_headcount_table_has_clusters_census_column_and_symbols(profile) -> None:
    notes = tables.source_notes("Counts of 1 to 4 are shown as <5.", True,
                                "Usual residents aged 16 and over")
    html = _html(tables.headcount_table(profile, _comparator(), notes))
    for text in ("Band 1-4", "Non-AfC", "Census 2021 %", "70.0%", "&lt;5",
                 "ESR extract (synthetic demo data)", "Census 2021, ONS",
                 "Open Government Licence v3.0", "Disclosure control"):
        assert text in html, text
    # the single Black member of staff in Non-AfC: never shown as a number
    assert "Black" in html
    black_row = re.search(r"Black</th>(.*?)</tr>", html, re.S).group(1)
    assert "1" not in re.sub(r"<[^>]+>", "", black_row).replace("&lt;", "")


def test_representation_table_shows_interval_and_assessment(profile) -> None:
    html = _html(tables.representation_table(profile.representation, "<5", ["Source: x"]))
    assert "95% interval" in html and "Assessment" in html
    assert "Under-represented" in html or "Over-represented" in html or "Similar" in html


def test_declaration_and_progression_tables_render() -> None:
    staff = _staff()
    section_decl = wf.publish_profile(staff, "disability").declaration
    html = _html(tables.declaration_table(section_decl, "*", ["Source: x"]))
    assert "% not declared by pay band cluster" in html
    prog = wf.publish_progression(staff, "bme")
    assert "Staff (n)" in _html(tables.progression_table(prog, "<5"))


def test_indicator_table_shows_not_available_reason() -> None:
    results = wres.publish_indicator(wres.wres_summary({"staff_records": _staff()}))
    html = _html(tables.indicator_table(results, ["Source: x"]))
    assert "not available: no recruitment file supplied" in html


def test_band_table_groups_by_staff_type() -> None:
    staff = _staff().assign(staff_group="Administrative and Clerical")
    pub = wres.publish_by_band(wres.wres_indicator_1(staff), ["White", "BME"], "Not stated")
    html = _html(tables.band_table(pub, ["White", "BME"], "Not stated", "<5"))
    assert "Non-clinical" in html and "% BME" in html


def test_gender_pay_gap_tables_render() -> None:
    staff = pd.DataFrame({"sex": ["Male"] * 20 + ["Female"] * 20,
                          "hourly_pay": [20.0 + i for i in range(20)] + [15.0 + i for i in
                                                                         range(20)],
                          "bonus_pay": 0.0})
    measures = gpg.publish_measures(gpg.gap_change(gpg.gender_pay_gap(staff), None))
    assert "Mean hourly pay gap" in _html(tables.gpg_measures_table(measures, "<5"))
    quarters = gpg.publish_quarters(gpg.pay_quarters(staff))
    assert "Women %" in _html(tables.gpg_quarters_table(quarters, "<5"))


def test_representation_chart_draws_only_published_values(profile) -> None:
    chart = charts.representation_chart(profile.representation, "<5")
    assert isinstance(chart.figure, go.Figure)
    assert "Asian" in chart.alt_text
    bars = chart.figure.data[0]
    assert "Black" not in list(bars.y)  # hidden: no bar
    assert "Black" not in chart.alt_text
    assert "<5" in chart.data.to_string() or "*" in chart.data.to_string()


def test_composition_chart_groups_hidden_cells(profile) -> None:
    chart = charts.composition_chart(profile)
    names = [t.name for t in chart.figure.data]
    assert "Hidden (small numbers)" in names
    assert chart.alt_text.startswith("Stacked bar chart")


def test_age_pyramid_and_declaration_chart() -> None:
    staff = _staff().assign(age=[30 + (i % 30) for i in range(60)])
    chart = charts.age_pyramid(wf.age_sex_table(staff), "<5")
    assert chart.alt_text and len(chart.data) == 12
    decl = wf.publish_profile(staff, "disability").declaration
    assert "not declared" in charts.declaration_chart(decl, "*").alt_text


def test_gpg_peer_chart_marks_the_organisation() -> None:
    peers = gpg.load_peer_returns()
    pool = gpg.peer_returns_for("2022-23", peers)
    chart = charts.gpg_peer_chart(pool, 11.2, "2022-23")
    assert "11.2%" in chart.alt_text
    assert chart.data.iloc[0, 1] == str(len(pool["median_hourly_gap_pct"].dropna()))


# --------------------------------------------------------------------------- notebook
def test_notebook_is_thin_and_committed_without_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for name in ("org", "period", "data_dir", "output_dir", "suppression_policy",
                 "band_clusters", "population", "previous_snapshot"):
        assert re.search(rf"^{name} = ", tagged[0].source, re.M), name
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_every_chapter_embed_exists_in_the_notebook() -> None:
    labels = set(labelled_cells(NOTEBOOK))
    used = set(re.findall(r"workforce\.ipynb#([\w-]+)", CHAPTER.read_text()))
    assert used and used <= labels
    assert labels <= used  # nothing computed and left out
    assert all(re.match(r"^(tbl|fig|txt)-wf-", label) for label in labels)


def test_detailed_ethnicity_table_marks_census_only_rows_and_is_embedded() -> None:
    from edi_analysis import census

    cats = [c for c in dict.fromkeys(census.ETHNIC_CATEGORIES["census_19"].dropna())
            if c != "Not stated"] + list(wf.CENSUS_ONLY_ETHNIC_CATEGORIES)
    comp = pd.DataFrame({"category": cats, "count": 1000.0})
    html = tables.representation_table(
        wf.publish_detailed_ethnicity(_staff(), comp), "<5",
        [wf.DETAILED_ETHNICITY_NOTE]).as_raw_html()
    assert "White: Roma (kept apart)" in html
    assert "White: Other White (incl. Gypsy or Irish Traveller, Roma)" in html
    assert "do not record Gypsy or Irish Traveller, Roma or Arab apart" in html
    # the one Black African member of staff is hidden
    row = re.search(r"Caribbean or African: African</th>(.*?)</tr>", html, flags=re.S)
    assert row is not None and "&lt;5" in row.group(1)
    assert "tbl-wf-ethnicity-detailed" in labelled_cells(NOTEBOOK)
    assert "{{< embed notebooks/workforce.ipynb#tbl-wf-ethnicity-detailed >}}" in \
        CHAPTER.read_text()
