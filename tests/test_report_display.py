"""Figure bundles (HTML + PNG + alt text), narrative, and writing published tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from bs4 import BeautifulSoup

from edi_analysis.outputs import write_tables
from edi_analysis.report.display import chart_name, data_table_html, figure_bundle, narrative


def test_figure_bundle_html_has_accessible_name_and_data_table() -> None:
    data = pd.DataFrame({"group": ["White", "Asian"], "share_pct": [57.0, 29.1]})
    bundle = figure_bundle(
        go.Figure(go.Bar(x=data.group, y=data.share_pct)),
        "Bar chart of staff by ethnic group",
        data=data,
    )
    mime = bundle._repr_mimebundle_()
    assert mime["text/plain"] == "Bar chart of staff by ethnic group"
    soup = BeautifulSoup(mime["text/html"], "html.parser")
    wrapper = soup.find(attrs={"role": "img"})
    assert wrapper["aria-label"] == "Bar chart of staff by ethnic group"
    assert "cdn.plot.ly" not in mime["text/html"]
    cells = [td.text for td in soup.find("details").find_all(["th", "td"])]
    assert cells == ["group", "share_pct", "White", "57.0", "Asian", "29.1"]


def test_published_charts_have_no_modebar_and_no_cloud_upload() -> None:
    html = figure_bundle(go.Figure(go.Bar(x=["a"], y=[1])), "One bar").html()
    assert '"displayModeBar": false' in html
    assert '"showSendToCloud": false' in html
    assert "sendDataToCloud" not in html


def test_data_behind_a_chart_is_a_captioned_table_with_row_and_column_headers() -> None:
    data = pd.DataFrame({"group": ["White", "<b>Asian</b>"], "share_pct": [57.0, None]})
    fig = go.Figure(go.Bar(x=data.group, y=data.share_pct),
                    layout={"title": {"text": "Most staff are White<br><sup>% of staff</sup>"}})
    soup = BeautifulSoup(figure_bundle(fig, "Bars.", data=data).html(), "html.parser")
    details = soup.find("details")
    assert details.find("summary").text == "Data behind this chart: Most staff are White % of staff"
    table = details.find("table")
    assert table.find("caption").text == "Data behind the chart: Most staff are White % of staff"
    assert [th.get("scope") for th in table.find("thead").find_all("th")] == ["col", "col"]
    rows = table.find("tbody").find_all("tr")
    assert [(r.th["scope"], r.th.text) for r in rows] == [("row", "White"), ("row", "<b>Asian</b>")]
    assert [[td.text for td in r.find_all("td")] for r in rows] == [["57.0"], [""]]


def test_a_heatmap_scrolls_in_its_own_keyboard_region_and_a_bar_chart_does_not() -> None:
    heat = BeautifulSoup(figure_bundle(go.Figure(go.Heatmap(z=[[1, 2]])), "Heat.").html(),
                         "html.parser")
    region = heat.find(class_="edi-figure-scroll")
    assert region["role"] == "region" and region["tabindex"] == "0"
    assert region["aria-label"].startswith("Chart, scrolls sideways: Heat")
    assert region.find(attrs={"role": "img"}) is not None
    bars = figure_bundle(go.Figure(go.Bar(x=["a"], y=[1])), "Bars.").html()
    assert "edi-figure-scroll" not in bars


def test_chart_name_falls_back_to_the_first_sentence_of_the_alt_text() -> None:
    assert chart_name(go.Figure(), "Bar chart of x; more. Then y.") == "Bar chart of x"
    assert chart_name(go.Figure(layout={"title": {"text": "A <b>b</b>"}}), "x") == "A b"


def test_data_table_needs_columns_and_a_caption() -> None:
    with pytest.raises(ValueError, match="caption"):
        data_table_html(pd.DataFrame({"a": [1]}), " ")
    with pytest.raises(ValueError, match="no columns"):
        data_table_html(pd.DataFrame(index=[0]), "x")


@pytest.mark.browser
def test_figure_bundle_includes_png_when_a_browser_exists(browser: str) -> None:
    import base64

    mime = figure_bundle(go.Figure(go.Bar(x=["a"], y=[1])), "One bar")._repr_mimebundle_()
    assert base64.b64decode(mime["image/png"]).startswith(b"\x89PNG")


def test_figure_bundle_requires_alt_text() -> None:
    with pytest.raises(ValueError, match="alt text"):
        figure_bundle(go.Figure(), "  ")


def test_narrative_makes_bullets_and_says_when_empty() -> None:
    assert narrative(["One.", " ", "Two."]).data == "- One.\n- Two."
    assert "No findings" in narrative([]).data


def test_write_tables_writes_csv_and_refuses_unsafe_names(tmp_path: Path) -> None:
    frame = pd.DataFrame({"group": ["A"], "count": [pd.NA]})
    (path,) = write_tables(tmp_path, {"wf_ethnicity": frame})
    assert path == tmp_path / "tables" / "wf_ethnicity.csv"
    assert path.read_text() == "group,count\nA,\n"
    with pytest.raises(ValueError, match="lower-case"):
        write_tables(tmp_path, {"../escape": frame})
    with pytest.raises(ValueError, match="not a DataFrame"):
        write_tables(tmp_path, {"x": [1, 2]})


def test_tables_and_charts_get_the_same_html_in_every_build() -> None:
    """great-tables and plotly ids were random, so two builds of the same inputs differed
    in hundreds of places; a table or chart now renders to the same bytes in any process,
    and a repeated element gets a distinct id."""
    import subprocess
    import sys

    script = (
        "import pandas as pd, plotly.graph_objects as go\n"
        "from great_tables import GT\n"
        "from edi_analysis.report.display import figure_bundle\n"
        "from edi_analysis.report.theme import style_table\n"
        "fig = go.Figure(go.Bar(x=['a', 'b'], y=[1, 2]))\n"
        "t = style_table(GT(pd.DataFrame({'a': [1, 2]})), source_notes=['n'])\n"
        "print(t.as_raw_html(), figure_bundle(fig, 'alt').html(),"
        " figure_bundle(fig, 'alt').html())\n")
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True).stdout for _ in range(2)]
    assert runs[0] == runs[1]
    import re

    ids = re.findall(r'id="((?:gt|fig)-[0-9a-f]{12}(?:-\d+)?)"', runs[0])
    assert len(ids) == 3 and len(set(ids)) == 3, ids
