"""The embedded renderer: embeds by label, numbers, cross references, self-contained HTML."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from edi_analysis.report.notebooks import cell_options, find_cell, labelled_cells
from edi_analysis.report.qmd import embed_targets, read_document
from edi_analysis.report.render import RenderError, caption_table, render_html

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\nfake").decode()


def _notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    table = nbformat.v4.new_code_cell('#| label: tbl-one\n#| tbl-cap: "First table"\nmake_table()')
    table.outputs = [
        nbformat.v4.new_output(
            "execute_result",
            data={
                "text/html": "<style>@import url('https://fonts.example/x.css');"
                "</style><table><tr><td>42.0%</td></tr></table>",
                "text/plain": "GT",
            },
            execution_count=1,
        )
    ]
    figure = nbformat.v4.new_code_cell(
        '#| label: fig-one\n#| fig-cap: "A chart"\n#| fig-alt: "Bars of shares"\nchart()'
    )
    figure.outputs = [
        nbformat.v4.new_output(
            "execute_result",
            data={
                "text/html": '<div class="plotly">chart</div>',
                "image/png": PNG,
                "text/plain": "Bars of shares, the finding",
            },
            execution_count=2,
        )
    ]
    text = nbformat.v4.new_code_cell("#| label: txt-one\nnarrative()")
    text.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/markdown": "- **57.0%** of staff are White"}
        )
    ]
    empty = nbformat.v4.new_code_cell('#| label: tbl-empty\n#| tbl-cap: "Never run"\nx')
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), table, figure, text, empty]
    nbformat.write(nb, path)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "notebooks").mkdir()
    _notebook(tmp_path / "notebooks" / "nb.ipynb")
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: default\nmetadata-files:\n  - _run.yml\ntoc: true\n"
        "number-sections: true\nformat:\n  html:\n    toc-title: Contents\n"
    )
    (tmp_path / "_run.yml").write_text("subtitle: Org X, 2025-26\norg-name: Org X\n")
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "_c.qmd").write_text(
        "# Chapter\n\nSee @fig-one.\n\n{{< embed notebooks/nb.ipynb#fig-one >}}\n"
    )
    (tmp_path / "report.qmd").write_text(
        '---\ntitle: "EDI report"\n---\n\n# Intro\n\nFor {{< meta org-name >}}; see @tbl-one.\n\n'
        "{{< embed notebooks/nb.ipynb#tbl-one >}}\n\n{{< include chapters/_c.qmd >}}\n\n"
        "{{< embed notebooks/nb.ipynb#txt-one >}}\n"
    )
    return tmp_path


def test_cell_options_reads_leading_quarto_comments() -> None:
    opts = cell_options('#| label: tbl-x\n#| tbl-cap: "A: b"\n\nx = 1\n#| label: not-this')
    assert opts == {"label": "tbl-x", "tbl-cap": "A: b"}


def test_duplicate_labels_are_refused(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("#| label: tbl-a\n1"),
        nbformat.v4.new_code_cell("#| label: tbl-a\n2"),
    ]
    nbformat.write(nb, tmp_path / "d.ipynb")
    with pytest.raises(ValueError, match="tbl-a"):
        labelled_cells(tmp_path / "d.ipynb")


def test_find_cell_lists_known_labels_when_missing(project: Path) -> None:
    with pytest.raises(KeyError, match="tbl-one"):
        find_cell(project / "notebooks" / "nb.ipynb", "tbl-nope")


def test_document_merges_project_metadata_and_expands_includes(project: Path) -> None:
    doc = read_document(project / "report.qmd")
    assert doc.metadata["title"] == "EDI report"
    assert doc.metadata["org-name"] == "Org X"
    assert embed_targets(doc.body) == [
        ("notebooks/nb.ipynb", "tbl-one"),
        ("notebooks/nb.ipynb", "fig-one"),
        ("notebooks/nb.ipynb", "txt-one"),
    ]


def test_render_embeds_numbers_and_cross_references(project: Path) -> None:
    out = render_html(project / "report.qmd", project / "out" / "report.html")
    soup = BeautifulSoup(out.read_text(), "html.parser")
    block = soup.find(id="tbl-one")
    assert block.find("table").find("caption").text == "Table 1: First table"
    assert block["role"] == "region" and block["tabindex"] == "0"
    assert soup.find(id=block["aria-labelledby"]).name == "caption"
    fig = soup.find(id="fig-one")
    assert fig.find("figcaption").text == "Figure 1: A chart"
    assert soup.find(id=fig["aria-labelledby"]).name == "figcaption"
    assert fig.find("img", class_="print-only")["alt"] == "Bars of shares, the finding"
    assert "42.0%" in soup.find(id="tbl-one").text
    assert soup.find(id="txt-one").find("strong").text == "57.0%"
    links = {a.text.replace("\xa0", " "): a["href"] for a in soup.find_all("a")}
    assert links["Table 1"] == "#tbl-one" and links["Figure 1"] == "#fig-one"
    assert "Org X" in soup.text
    assert soup.find("p", class_="subtitle").text == "Org X, 2025-26"
    assert soup.find("nav", id="TOC") is not None


def test_rendered_html_makes_no_external_requests(project: Path) -> None:
    html = render_html(project / "report.qmd", project / "r.html").read_text()
    assert "@import" not in html
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?://", html)
    assert "Plotly" in html  # plotly.js is inlined once


def test_missing_label_is_a_render_error(project: Path) -> None:
    (project / "report.qmd").write_text("{{< embed notebooks/nb.ipynb#tbl-missing >}}\n")
    with pytest.raises(RenderError, match="tbl-missing"):
        render_html(project / "report.qmd", project / "r.html")


def test_unexecuted_cell_is_a_render_error(project: Path) -> None:
    (project / "report.qmd").write_text("{{< embed notebooks/nb.ipynb#tbl-empty >}}\n")
    with pytest.raises(RenderError, match="executed"):
        render_html(project / "report.qmd", project / "r.html")


def test_dangling_cross_reference_is_a_render_error(project: Path) -> None:
    (project / "report.qmd").write_text("See @fig-nowhere.\n")
    with pytest.raises(RenderError, match="fig-nowhere"):
        render_html(project / "report.qmd", project / "r.html")


def test_section_numbers_follow_pandoc_numbering() -> None:
    from edi_analysis.report.render import section_numbers

    md = (
        "# A {#sec-a}\n\n## A1 {#sec-a1}\n\n```\n# not a heading {#sec-no}\n```\n\n"
        "# B\n\n## B1 {#sec-b1}\n\n# Annex {.unnumbered #sec-annex}\n"
    )
    assert section_numbers(md) == {"sec-a": "1", "sec-a1": "1.1", "sec-b1": "2.1", "sec-annex": ""}


def test_section_cross_reference_becomes_a_numbered_link(project: Path) -> None:
    (project / "report.qmd").write_text("# One\n\n# Two {#sec-two}\n\nSee @sec-two.\n")
    soup = BeautifulSoup(
        render_html(project / "report.qmd", project / "r.html").read_text(), "html.parser"
    )
    (link,) = [a for a in soup.find_all("a", href="#sec-two") if not a.find_parent("nav")]
    assert link.text.replace("\xa0", " ") == "Section 2"


def test_wide_tables_get_a_smaller_print_size_class(project: Path) -> None:
    nb_path = project / "notebooks" / "nb.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    wide_row = "<tr>" + "<td>1</td>" * 14 + "</tr>"
    nb.cells[1].outputs[0]["data"]["text/html"] = f"<table>{wide_row}</table>"
    nbformat.write(nb, nb_path)
    (project / "report.qmd").write_text("{{< embed notebooks/nb.ipynb#tbl-one >}}\n")
    soup = BeautifulSoup(render_html(project / "report.qmd", project / "r.html").read_text(),
                         "html.parser")
    assert "edi-wider" in soup.find(id="tbl-one")["class"]


def test_one_h1_skip_link_and_footer_landmark(project: Path) -> None:
    quarto = project / "_quarto.yml"
    quarto.write_text(quarto.read_text() + "    shift-heading-level-by: 1\n    toc-depth: 3\n")
    soup = BeautifulSoup(render_html(project / "report.qmd", project / "r.html").read_text(),
                         "html.parser")
    assert [h.text for h in soup.find_all("h1")] == ["EDI report"]
    assert [" ".join(h.text.split()) for h in soup.find("main").find_all("h2")] == [
        "1 Intro", "2 Chapter"]
    skip = soup.find("a", class_="edi-skip-link")
    assert skip is soup.body.find(True), "the skip link is the first thing in the page"
    assert soup.find(id=skip["href"][1:]).name == "main"
    assert soup.find("footer") is not None and soup.find("footer").find_parent("main") is None
    assert [a.text.replace("\xa0", " ") for a in soup.find("nav", id="TOC").find_all("a")] == [
        "1 Intro", "2 Chapter"]


def test_caption_table_refuses_a_fragment_without_a_table() -> None:
    assert caption_table("<div><table class='x'><tr><td>1</td></tr></table></div>", "T 1", "c") \
        == ("<div><table class='x'><caption class=\"edi-caption\" id=\"c\">T 1</caption>"
            "<tr><td>1</td></tr></table></div>")
    with pytest.raises(RenderError, match="No <table>"):
        caption_table("<p>no table</p>", "T 1", "c")
