"""Printing to PDF: outline, page numbers on pages and in the contents (report/pdf.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from edi_analysis.report.pdf import contents_with_page_numbers, outline_pages, print_pdf
from edi_analysis.report.render import report_css

_NAV = (
    '<nav id="TOC" role="doc-toc"><ul>'
    '<li><a href="#a" id="toc-a"><span class="toc-section-number">1</span> Alpha</a><ul>'
    '<li><a href="#a1" id="toc-a1"><span class="toc-section-number">1.1</span> Same</a></li>'
    "</ul></li>"
    '<li><a href="#b" id="toc-b"><span class="toc-section-number">2</span> Beta &amp; co</a><ul>'
    '<li><a href="#b1" id="toc-b1"><span class="toc-section-number">2.1</span> Same</a></li>'
    "</ul></li></ul></nav>"
)


def test_contents_get_each_headings_page_matched_in_order() -> None:
    pages = [("Report", 1), ("Contents", 1), ("1 Alpha", 3), ("1.1 Same", 4),
             ("1.1.1 Deeper", 5), ("2 Beta & co", 7), ("2.1 Same", 9)]
    numbered = contents_with_page_numbers(f"<body>{_NAV}<main>x</main></body>", pages)
    assert [n.split("</span>")[0] for n in numbered.split('class="edi-toc-page">')[1:]] == [
        "3", "4", "7", "9"]
    assert numbered.endswith("<main>x</main></body>")
    # Numbering again replaces the numbers, never adds a second set.
    again = contents_with_page_numbers(numbered, [(t, p + 1) for t, p in pages])
    assert again.count("edi-toc-page") == 4 and 'edi-toc-page">10<' in again


def test_contents_without_a_match_or_without_contents_are_left_alone() -> None:
    page = f"<body>{_NAV}</body>"
    assert contents_with_page_numbers(page, []) == page
    assert contents_with_page_numbers("<p>no contents</p>", [("x", 1)]) == "<p>no contents</p>"


@pytest.mark.browser
def test_printed_pdf_has_outline_page_numbers_and_numbered_contents(
        browser: str, tmp_path: Path) -> None:
    filler = "".join(f"<p>Paragraph {i} of some text to fill the page.</p>" for i in range(60))
    html = tmp_path / "r.html"
    html.write_text(
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>R</title>'
        f"<style>{report_css()}</style></head><body>"
        '<header class="edi-title-block"><h1 class="title">R</h1></header>'
        f'{_NAV.replace("Beta &amp; co", "Beta")}<main>'
        '<section id="a" class="level2"><h2 id="a"><span class="header-section-number">1</span>'
        f' Alpha</h2>{filler}<section class="level3"><h3 id="a1">'
        f'<span class="header-section-number">1.1</span> Same</h3>{filler}</section></section>'
        '<section class="level2"><h2 id="b"><span class="header-section-number">2</span> Beta'
        f'</h2><section class="level3"><h3 id="b1"><span class="header-section-number">2.1'
        f"</span> Same</h3>{filler}</section></section></main></body></html>",
        encoding="utf-8",
    )
    pdf = print_pdf(html, tmp_path / "r.pdf")
    outline = outline_pages(pdf)
    titles = [" ".join(t.split()) for t, _ in outline]
    assert titles == ["R", "1 Alpha", "1.1 Same", "2 Beta", "2.1 Same"], titles
    reader = PdfReader(pdf)
    total = len(reader.pages)
    assert total >= 4
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {total}" in page.extract_text(), f"page {number} unnumbered"
    # The contents' numbers, in order, are the pages the outline gives for those headings.
    lines = reader.pages[0].extract_text().splitlines()
    printed = [int(x) for x in lines if x.strip().isdigit()]
    assert printed == [page for _, page in outline[1:]], lines
    # The published HTML keeps no print page numbers.
    assert 'class="edi-toc-page"' not in html.read_text()
