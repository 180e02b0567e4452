"""The published page: shared plotly.js, merged table styles, no local links in print."""

from __future__ import annotations

import re

from edi_analysis.publishing.page import (
    merge_table_styles,
    plotly_asset_name,
    unlink_local_files,
    use_inline_plotly,
    use_shared_plotly,
)

JS = "/**\n* plotly.js v9.9.9\n*/\nwindow.Plotly = {};"


def _gt(ident: str, colour: str = "#333333") -> str:
    css = (f"#{ident} table {{ font-family: Arial; }}\n"
           f"#{ident} .gt_table {{ color: {colour}; }}\n tr {{ background: none; }}")
    return (f'<div id="{ident}" style="overflow-x:auto;"><style>{css}</style>'
            f'<table class="gt_table"><tr><td>1</td></tr></table></div>')


def _page(body: str, head: str = "") -> str:
    return (f"<!DOCTYPE html><html><head><style>body{{}}</style>{head}</head>"
            f"<body>{body}</body></html>")


def test_identical_table_styles_become_one_with_the_same_selectors() -> None:
    page = _page(_gt("aaaaaaaaaa") + _gt("bbbbbbbbbb") + _gt("cccccccccc", "#000000"))
    merged = merge_table_styles(page)
    head, body = merged.split("</head>")
    assert "<style>" not in body
    assert head.count("<style>") == 3  # the page's own and two distinct table sheets
    assert ":is(#aaaaaaaaaa, #bbbbbbbbbb) .gt_table { color: #333333; }" in head
    assert "#cccccccccc .gt_table { color: #000000; }" in head
    # every table keeps its wrapper (the id the selectors match)
    assert all(f'<div id="{i * 10}"' in body for i in "abc")


def test_a_page_without_table_styles_is_unchanged() -> None:
    page = _page("<p>no tables</p>")
    assert merge_table_styles(page) == page
    assert merge_table_styles("<p>fragment</p>") == "<p>fragment</p>"


def test_an_id_that_is_the_start_of_another_is_not_rewritten() -> None:
    css = "#abc .x { a: b; } #abcd .y { c: d; }"
    page = _page(f'<div id="abc"><style>{css}</style></div>')
    head = merge_table_styles(page).split("</head>")[0]
    assert "#abc .x" in head and "#abcd .y" in head


def test_inline_plotly_is_replaced_by_one_shared_file_and_back() -> None:
    page = _page("<div>chart</div>", head=f'<script type="text/javascript">{JS}</script>')
    shared = use_shared_plotly(page, "../../assets/plotly-x.min.js", JS)
    assert JS not in shared
    assert shared.count('src="../../assets/plotly-x.min.js"') == 1
    # a page already shared gets the new address
    moved = use_shared_plotly(shared, "assets/plotly.min.js", JS)
    assert re.findall(r'src="([^"]+)"', moved) == ["assets/plotly.min.js"]
    inline = use_inline_plotly(moved, JS)
    assert JS in inline and "src=" not in inline


def test_a_page_without_plotly_is_unchanged() -> None:
    page = _page("<p>text</p>")
    assert use_shared_plotly(page, "assets/plotly.min.js", JS) == page


def test_asset_name_follows_the_content() -> None:
    assert plotly_asset_name(JS) == plotly_asset_name(JS)
    assert plotly_asset_name(JS) != plotly_asset_name(JS + " ")
    assert re.fullmatch(r"plotly-[0-9a-f]{12}\.min\.js", plotly_asset_name(JS))


def test_links_to_local_files_become_text_for_printing() -> None:
    page = ('<a href="tables/x.csv">X table</a> <a href="#sec-methods">methods</a> '
            '<a href="https://www.gov.uk/">GOV.UK</a> <a href="report.xlsx" id="s">All</a>'
            '<a\nhref="tables/y.csv">Y\ntable</a> <a class="c" href="z.csv">Z</a>')
    printed = unlink_local_files(page)
    assert "tables/x.csv" not in printed and "report.xlsx" not in printed
    assert "<span>X table</span>" in printed and '<span id="s">All</span>' in printed
    assert "<span>Y\ntable</span>" in printed and '<span class="c">Z</span>' in printed
    assert ".csv" not in printed
    assert '<a href="#sec-methods">' in printed and '<a href="https://www.gov.uk/">' in printed
