"""``edi-report publish``: the static site, its index, links, weight and atomic swap."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from typer.testing import CliRunner

from edi_analysis.cli import app
from edi_analysis.publishing.page import PLOTLY_MARKER
from edi_analysis.publishing.site import PublishError, find_reports, publish_site
from edi_analysis.report.render import plotly_js

#: Largest published page (HTML file) allowed, in bytes.
MAX_PAGE = 3_000_000
_XML_NAMESPACES = re.compile(r"https?://www\.w3\.org/[\w/.-]*")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def site_problems(site: Path) -> list[str]:
    """Every broken link, external address and over-weight page of a site.

    A link is an ``href`` or ``src``; it must be relative, stay inside the site and
    name an existing file (and, with ``#x``, an element ``id="x"`` of a page).
    """
    problems = []
    pages = sorted(site.rglob("*.html"))
    parsed = {}
    for page in pages:
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        parsed[page.resolve()] = parser
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if page.stat().st_size >= MAX_PAGE:
            problems.append(f"{page.relative_to(site)}: {page.stat().st_size:,} bytes")
        for url in re.findall(r"(?:https?:)?//[^\s\"'<>)]+", _XML_NAMESPACES.sub("", text)):
            problems.append(f"{page.relative_to(site)}: external address {url}")
        for link in parsed[page.resolve()].links:
            parts = urlsplit(link)
            if parts.scheme == "data" or (not parts.path and not parts.fragment):
                continue
            if parts.scheme or parts.netloc or link.startswith("/"):
                problems.append(f"{page.relative_to(site)}: not a relative link {link}")
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else \
                page.resolve()
            if not target.is_relative_to(site.resolve()) or not target.is_file():
                problems.append(f"{page.relative_to(site)}: broken link {link}")
            elif parts.fragment and target.suffix == ".html" and \
                    parts.fragment not in parsed[target].ids:
                problems.append(f"{page.relative_to(site)}: no #{parts.fragment} in {link}")
    return problems


def _report(root: Path, org: str, period: str, name: str, inline: bool = False) -> Path:
    folder = root / org / period
    (folder / "tables").mkdir(parents=True)
    script = (f"<script>{plotly_js()}</script>" if inline
              else f'<script {PLOTLY_MARKER}="" src="assets/plotly.min.js"></script>')
    if not inline:
        (folder / "assets").mkdir()
        (folder / "assets" / "plotly.min.js").write_text(plotly_js(), encoding="utf-8")
    sheet = f"edi-report-{org}-{period}.xlsx"
    (folder / "report.html").write_text(
        f'<!DOCTYPE html><html lang="en-GB"><head><title>{name}</title>{script}</head><body>'
        f'<h1>{name}</h1><section id="sec-downloads"><a href="{sheet}">All</a> '
        f'<a href="tables/workforce_headcount.csv">Headcount</a> <a href="#sec-downloads">'
        "here</a></section></body></html>", encoding="utf-8")
    (folder / "report.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (folder / sheet).write_bytes(b"PK\x05\x06" + bytes(18))
    (folder / "run.yml").write_text(f"org: {org}\norg_name: {name}\nperiod: {period}\n")
    (folder / "tables" / "workforce_headcount.csv").write_text("a,b\n1,2\n")
    (folder / "release-ledger.json").write_text("{}")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("built")
    _report(root, "QK1", "2025-26", "NHS Leicester, Leicestershire and Rutland ICB")
    _report(root, "QK1", "2024-25", "NHS Leicester, Leicestershire and Rutland ICB",
            inline=True)
    _report(root, "QHM", "2025-26", "NHS Cumbria and North East ICB")
    (root / "QHM" / "2025-26.old").mkdir()  # a folder left by an interrupted swap
    return root


def test_reports_are_found_by_organisation_then_newest_period(built: Path) -> None:
    found = [(r.org, r.period) for r in find_reports(built)]
    assert found == [("QHM", "2025-26"), ("QK1", "2025-26"), ("QK1", "2024-25")]


def test_site_has_an_index_every_report_and_one_shared_plotly(built: Path,
                                                              tmp_path: Path) -> None:
    result = publish_site(built, tmp_path / "site")
    site = result.site
    index = (site / "index.html").read_text(encoding="utf-8")
    for org, period in (("QHM", "2025-26"), ("QK1", "2025-26"), ("QK1", "2024-25")):
        assert f'href="{org}/{period}/report.html"' in index
        for name in ("report.html", "report.pdf", f"edi-report-{org}-{period}.xlsx",
                     "tables/workforce_headcount.csv", "run.yml"):
            assert (site / org / period / name).is_file(), (org, period, name)
        assert not (site / org / period / "release-ledger.json").exists()
        assert not (site / org / period / "assets").exists()
    assert "NHS Cumbria and North East ICB (QHM)" in index
    assert index.index("Cumbria") < index.index("Leicester")
    (asset,) = (site / "assets").iterdir()  # the inline and the shared copy are one file
    assert asset.read_text(encoding="utf-8") == plotly_js()
    assert site_problems(site) == []
    assert set(result.page_bytes) == {"index.html", "QHM/2025-26/report.html",
                                      "QK1/2025-26/report.html", "QK1/2024-25/report.html"}
    assert not list(tmp_path.glob(".site*"))  # no staging folder left


def test_index_page_is_accessible_by_construction(built: Path, tmp_path: Path) -> None:
    site = publish_site(built, tmp_path / "site").site
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in index and index.count("<h1>") == 1
    assert "<main" in index and "<header>" in index and "<footer>" in index
    assert 'href="#main"' in index and 'id="main"' in index  # skip link
    assert "<caption>3 reports by organisation and period</caption>" in index
    assert index.count('<th scope="col">') == 4 and index.count('<th scope="row">') == 3
    # every link names its report for a screen reader listing links out of context
    for text in re.findall(r"<a href=\"[A-Z][^\"]*\">(.*?)</a>", index):
        assert re.search(r"for NHS .*, 20\d\d-\d\d", text), text
    assert "<script" not in index and "http" not in index


def test_self_contained_pages_carry_plotly_and_no_assets(built: Path, tmp_path: Path) -> None:
    site = publish_site(built, tmp_path / "site", self_contained=True).site
    assert not (site / "assets").exists()
    for page in site.glob("*/*/report.html"):
        text = page.read_text(encoding="utf-8")
        assert plotly_js() in text and PLOTLY_MARKER not in text


def test_a_failed_publish_leaves_the_old_site(built: Path, tmp_path: Path) -> None:
    site = publish_site(built, tmp_path / "site").site
    before = (site / "index.html").read_text(encoding="utf-8")
    bad = tmp_path / "bad"
    folder = _report(bad, "QK1", "2025-26", "Broken ICB")
    page = folder / "report.html"
    page.write_text(page.read_text().replace('src="assets/', 'src="../../../'))
    with pytest.raises(PublishError, match="not in its folder"):
        publish_site(bad, site)
    assert (site / "index.html").read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_nothing_to_publish_and_a_site_inside_the_reports_are_refused(built: Path,
                                                                      tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="No built report"):
        publish_site(tmp_path, tmp_path.parent / "empty-site")
    with pytest.raises(PublishError, match="outside the built reports"):
        publish_site(built, built / "site")


def test_cli_publish_prints_the_site_and_page_sizes(built: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["publish", "--from", str(built),
                                      "--out", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert "QK1 2024-25" in result.output and "3 reports" in result.output
    missing = CliRunner().invoke(app, ["publish", "--from", str(tmp_path / "none"),
                                       "--out", str(tmp_path / "s")])
    assert missing.exit_code == 2 and "No folder of built reports" in missing.output
