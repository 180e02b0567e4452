"""The built report in a real browser: offline, complete, accessible and printable.

The report of the second ICB (built once per session by the ``demo_build`` fixture) is
opened from ``file://`` in the system Chromium, driven by Playwright, with every network
request blocked and recorded. Two pages share one browser context: ``report`` is the
published page on screen (a desktop window; plotly.js loaded from ``assets/`` beside it)
and ``printed`` is the page the build prints to PDF, in the print view (print media, laid
out at the width of an A4 page inside the stylesheet's ``@page`` margins). Each is loaded
once for the whole module.
"""

from __future__ import annotations

import base64
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from edi_analysis.report.pdf import outline_pages

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

#: The report's top-level chapters, in order (section numbers are stripped before matching).
CHAPTERS = (
    "About this report",
    "Workforce",
    "NHS Staff Survey",
    "Maternity and service inequalities",
    "Data sources and methods",
)

#: Same isolation as the PDF printer (edi_analysis.report.pdf), no background traffic.
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-quic", "--no-first-run",
]

#: The width of a phone held upright (an iPhone 12 to 15), in CSS pixels.
PHONE_WIDTH = 390

#: axe-core impacts the report must not have (WCAG 2.2 AA): only "minor" may remain.
BLOCKING_IMPACTS = ("critical", "serious", "moderate")

#: A4 (210 x 297 mm) inside report.css's ``@page { margin: 16mm 14mm }``, in CSS pixels.
A4_CONTENT_WIDTH = round((210 - 2 * 14) / 25.4 * 96)  # 688
A4_CONTENT_HEIGHT = round((297 - 2 * 16) / 25.4 * 96)  # 1002
#: A4 landscape inside ``@page edi-landscape { margin: 14mm 16mm }`` (the widest tables).
A4_LANDSCAPE_CONTENT_WIDTH = round((297 - 2 * 16) / 25.4 * 96)  # 1002

_SECTION_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*\s*")
_LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
_ALL_FIGURES_DRAWN = (
    "() => [...document.querySelectorAll('figure.edi-figure-block')]"
    ".every(f => f.querySelector('.js-plotly-plot .main-svg'))"
)


#: How long a browser step may take before the test fails (a limit, not a wait).
_PATIENCE_MS = 300_000


@dataclass
class Browsing:
    """One browser context with the network blocked, and what its pages reported."""

    context: Any
    html: Path
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def open(self, viewport: dict[str, int], media: str, html: Path | None = None) -> Any:
        """Open the report (or ``html``) in a new page and wait until every chart is drawn."""
        page = self.context.new_page()
        page.set_viewport_size(viewport)
        page.emulate_media(media=media)
        page.on("request", self._record_request)
        page.on("websocket", lambda ws: self.blocked.append(ws.url))
        page.on("console", lambda msg: self.console_errors.append(f"{msg.text} ({media})")
                if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.page_errors.append(f"{exc} ({media})"))
        # generous limits: on a loaded 2-core machine a large page can take minutes; the
        # waits end as soon as the page's own signal (every figure drawn) is there
        page.set_default_timeout(_PATIENCE_MS)
        page.goto((html or self.html).as_uri(), wait_until="load")
        page.wait_for_function(_ALL_FIGURES_DRAWN, timeout=_PATIENCE_MS)
        page.wait_for_load_state("networkidle")
        return page

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(_LOCAL_SCHEMES):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _record_request(self, request: Any) -> None:
        # Anything that escaped routing (nothing should) is still recorded.
        if not request.url.startswith(_LOCAL_SCHEMES) and request.url not in self.blocked:
            self.blocked.append(request.url)


@pytest.fixture(scope="module")
def chromium(browser: str) -> Iterator[Any]:
    """One headless Chromium for the module: the system one, never a downloaded build."""
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=browser, args=LAUNCH_ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture(scope="module")
def browsing(chromium: Any, demo_build: Any) -> Iterator[Browsing]:
    """A browser context for the built report, every non-local request aborted."""
    context = chromium.new_context(service_workers="block")
    state = Browsing(context=context, html=Path(demo_build.html))
    context.route("**/*", state._route)
    try:
        yield state
    finally:
        context.close()


@pytest.fixture(scope="module")
def report(browsing: Browsing) -> Any:
    """The report on screen, in a 1280 x 900 window, loaded once."""
    return browsing.open({"width": 1280, "height": 900}, media="screen")


@pytest.fixture(scope="module")
def phone(browsing: Browsing) -> Any:
    """The report on a phone-sized screen (390 x 844 CSS pixels), loaded once."""
    return browsing.open({"width": PHONE_WIDTH, "height": 844}, media="screen")


@pytest.fixture(scope="module")
def axe_script() -> str:
    """axe-core, as vendored by the axe-playwright-python package (a dev dependency).

    Fails in CI (``CI=true``: `make setup` installs the dev dependencies), skips with the
    reason elsewhere if the package is missing.
    """
    try:
        from axe_playwright_python.base import AXE_SCRIPT
    except ImportError:
        message = "axe-core is not installed (pip install axe-playwright-python)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE_SCRIPT


def _axe(page: Any, script: str) -> list[dict[str, Any]]:
    """Run every axe-core rule on the page; return the violations (id, impact, nodes)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(script)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"],
             "nodes": [" ".join(n["target"][:1]) for n in v["nodes"]][:5],
             "count": len(v["nodes"])} for v in result["violations"]]


@pytest.fixture(scope="module")
def printed(browsing: Browsing, demo_build: Any) -> Any:
    """The page the build prints to PDF, with print media, at the printed A4 page's width.

    It is the published report plus each chart's static image (``img.print-only``);
    the published page leaves the images out (they would more than double its weight).
    """
    return browsing.open({"width": A4_CONTENT_WIDTH, "height": A4_CONTENT_HEIGHT},
                         media="print", html=demo_build.build_dir / "_print" / "report.html")


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _image_count(reader: PdfReader) -> int:
    """Count the image XObjects drawn on the pages (in nested forms too), without decoding."""

    def images_in(resources: Any) -> int:
        resources = resources.get_object() if resources is not None else {}
        xobjects = resources.get("/XObject")
        count = 0
        for ref in (xobjects.get_object() if xobjects is not None else {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Image":
                count += 1
            elif xobject.get("/Subtype") == "/Form":
                count += images_in(xobject.get("/Resources"))
        return count

    return sum(images_in(page.get("/Resources")) for page in reader.pages)


@dataclass
class PdfContent:
    """Each page's text (lines with whitespace collapsed) and the images drawn."""

    pages: list[str]
    images: int


@pytest.fixture(scope="module")
def built_pdf(browser: str, demo_build: Any) -> PdfContent:
    """The PDF the build printed, read once."""
    assert demo_build.pdf is not None, "the build made no PDF although a browser exists"
    reader = PdfReader(demo_build.pdf)
    pages = [
        "\n".join(_collapse(line) for line in (page.extract_text() or "").splitlines()
                  if line.strip())
        for page in reader.pages
    ]
    return PdfContent(pages=pages, images=_image_count(reader))


# --- 1. Offline -----------------------------------------------------------------------


def test_report_opens_offline_without_errors(browsing: Browsing, report: Any,
                                             printed: Any) -> None:
    assert report.url.startswith("file://")
    assert browsing.blocked == [], f"external requests attempted: {browsing.blocked}"
    assert browsing.console_errors == [], f"console errors: {browsing.console_errors}"
    assert browsing.page_errors == [], f"page errors: {browsing.page_errors}"
    assert report.evaluate("typeof window.Plotly") == "object", "plotly.js did not run"


# --- 2. Every chapter populated, every chart drawn ------------------------------------


def test_every_chapter_is_present_in_order_with_a_table(report: Any) -> None:
    found = report.evaluate(
        """() => [...document.querySelectorAll('main > section > h2')].map(h => ({
              heading: h.textContent.replace(/\\s+/g, ' ').trim(),
              tables: h.parentElement.querySelectorAll('.edi-table-block table').length}))"""
    )
    sections = {_SECTION_NUMBER.sub("", s["heading"]): s["tables"] for s in found}
    missing = [c for c in CHAPTERS if c not in sections]
    assert not missing, f"chapters missing: {missing}; top-level headings: {list(sections)}"
    assert [h for h in sections if h in CHAPTERS] == list(CHAPTERS), "chapters out of order"
    empty = [c for c in CHAPTERS if sections[c] == 0]
    assert not empty, f"chapters without a table: {empty}"


def test_every_figure_has_a_drawn_chart(report: Any) -> None:
    charts = report.evaluate(
        """() => [...document.querySelectorAll('figure.edi-figure-block')].map(f => {
              const gd = f.querySelector('.js-plotly-plot');
              const svg = gd && gd.querySelector('.main-svg');
              const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
              return {id: f.id, drawn: !!svg,
                      traces: gd && gd.data ? gd.data.length : 0,
                      marks: gd ? gd.querySelectorAll('.main-svg .trace, .main-svg image')
                                    .length : 0,
                      width: box.width, height: box.height};
            })"""
    )
    assert charts, "the report has no figures"
    assert [c["id"] for c in charts if not c["drawn"]] == [], "figures without a plotly chart"
    assert [c["id"] for c in charts if not (c["traces"] and c["marks"])] == [], "empty charts"
    small = [c["id"] for c in charts if c["width"] < 300 or c["height"] < 200]
    assert small == [], f"charts drawn too small to read: {small}"


_OVERLAPPING_CHART_TEXT = """() => {
  const box = e => e.getBoundingClientRect();
  const hits = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2
                      && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2;
  const texts = (gd, sel) => [...gd.querySelectorAll(sel)]
      .filter(t => t.textContent.trim() && box(t).width > 0)
      .map(t => ({text: t.textContent.trim().slice(0, 40), r: box(t)}));
  const pairs = [['legend', 'title'], ['legend', 'annotation'], ['legend', 'axistitle'],
                 ['legend', 'datalabel'], ['legend', 'legend'], ['title', 'annotation'],
                 ['datalabel', 'annotation'], ['datalabel', 'title'],
                 ['annotation', 'annotation']];
  const out = [];
  for (const f of document.querySelectorAll('figure.edi-figure-block')) {
    const gd = f.querySelector('.js-plotly-plot');
    if (!gd) continue;
    const groups = {
      legend: texts(gd, '.legend text.legendtext'),
      title: texts(gd, '.g-gtitle text'),
      annotation: texts(gd, '.annotation text'),
      axistitle: texts(gd, '[class^="g-x"][class$="title"] text, '
                           + '[class^="g-y"][class$="title"] text'),
      datalabel: texts(gd, '.textpoint text, .bartext'),
    };
    for (const [a, b] of pairs) {
      groups[a].forEach((x, i) => groups[b].forEach((y, j) => {
        if ((a !== b || j > i) && hits(x.r, y.r)) {
          out.push(`${f.id}: ${a} "${x.text}" overlaps ${b} "${y.text}"`);
        }
      }));
    }
  }
  return out;
}"""


def test_chart_text_does_not_overlap(report: Any) -> None:
    overlaps = report.evaluate(_OVERLAPPING_CHART_TEXT)
    assert overlaps == [], "unreadable charts, text drawn over text:\n" + "\n".join(overlaps)


# --- 3. Accessibility -----------------------------------------------------------------


def test_charts_have_accessible_names(report: Any) -> None:
    labels = report.evaluate(
        "() => [...document.querySelectorAll('[role=img]')]"
        ".map(e => (e.getAttribute('aria-label') || '').trim())"
    )
    figures = report.locator("figure.edi-figure-block").count()
    assert figures > 0 and len(labels) >= figures
    assert all(labels), "a role=img chart has no aria-label"
    wrapped = report.locator("figure.edi-figure-block [role=img][aria-label]").count()
    assert wrapped == figures, "a figure's chart lacks its role=img wrapper"
    assert report.locator("img.print-only").count() == 0, "PNG copies in the published page"


def test_print_images_have_alt_text(printed: Any) -> None:
    alts = printed.evaluate(
        "() => [...document.querySelectorAll('img.print-only')].map(i => i.alt.trim())"
    )
    figures = printed.locator("figure.edi-figure-block").count()
    assert len(alts) == figures > 0 and all(alts), "a figure's print image lacks alt text"


@pytest.mark.parametrize(
    ("kind", "block", "caption"),
    [("Table", ".edi-table-block", ".edi-table-block caption.edi-caption"),
     ("Figure", "figure.edi-figure-block", "figure.edi-figure-block > figcaption")],
)
def test_captions_are_numbered_without_gaps(report: Any, kind: str, block: str,
                                            caption: str) -> None:
    captions = [_collapse(t) for t in report.locator(caption).all_text_contents()]
    assert captions, f"no {kind.lower()} captions"
    pattern = re.compile(rf"^{kind} (\d+): \S")
    bad = [c for c in captions if not pattern.match(c)]
    assert not bad, f"captions not of the form '{kind} N: ...': {bad}"
    assert [int(pattern.match(c).group(1)) for c in captions] == list(
        range(1, len(captions) + 1))
    assert report.locator(block).count() == len(captions), f"uncaptioned {kind.lower()}s"


def test_links_resolve_and_language_is_set(report: Any) -> None:
    assert re.fullmatch(r"en(-[A-Z]{2})?", report.evaluate("document.documentElement.lang"))
    toc = report.evaluate(
        "() => [...document.querySelectorAll('nav#TOC a')].map(a => a.getAttribute('href'))"
    )
    assert len(toc) >= len(CHAPTERS)
    internal = report.evaluate(
        "() => [...document.querySelectorAll('a[href^=\"#\"]')].map(a => a.getAttribute('href'))"
    )
    dangling = report.evaluate(
        "hrefs => hrefs.filter(h => !h || !h.startsWith('#') || h.length < 2"
        " || !document.getElementById(decodeURIComponent(h.slice(1))))",
        toc + internal,
    )
    assert dangling == [], f"links to no element: {sorted(set(dangling))}"
    toc_text = _collapse(" ".join(report.locator("nav#TOC").all_text_contents()))
    assert [c for c in CHAPTERS if c not in toc_text] == [], "chapters missing from the TOC"


@pytest.mark.parametrize("view", ["report", "phone"])
def test_axe_finds_no_critical_serious_or_moderate_violation(request: pytest.FixtureRequest,
                                                             view: str, axe_script: str) -> None:
    page = request.getfixturevalue(view)
    violations = _axe(page, axe_script)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], "axe-core violations:\n" + "\n".join(
        f"{v['impact']} {v['id']} x{v['count']}: {v['nodes']}" for v in blocking)


def test_one_h1_a_skip_link_and_landmarks(report: Any) -> None:
    state = report.evaluate(
        """() => {
          const first = document.body.querySelector('a, button, input, summary, [tabindex]');
          const target = first && document.getElementById(
              (first.getAttribute('href') || '').slice(1));
          return {h1: document.querySelectorAll('h1').length,
                  skip: first ? first.textContent.trim() : null,
                  skipTarget: target ? target.tagName.toLowerCase() : null,
                  mains: document.querySelectorAll('main').length,
                  footers: [...document.querySelectorAll('footer')]
                      .filter(f => !f.closest('main, article, section, aside, nav')).length,
                  nav: document.querySelectorAll('nav').length};
        }"""
    )
    assert state["h1"] == 1, f"{state['h1']} <h1> elements"
    assert state["skip"] and state["skip"].startswith("Skip"), state
    assert state["skipTarget"] == "main", state
    assert state["mains"] == 1 and state["footers"] == 1 and state["nav"] >= 1, state


def test_every_table_has_a_caption_and_chart_data_tables_have_headers(report: Any) -> None:
    tables = report.evaluate(
        """() => [...document.querySelectorAll('table')].map(t => ({
              caption: t.caption ? t.caption.textContent.replace(/\\s+/g, ' ').trim() : '',
              data: t.classList.contains('edi-data-table'),
              colScopes: [...t.querySelectorAll('thead th')].every(th => th.scope === 'col'),
              rowHeaders: [...t.tBodies].flatMap(b => [...b.rows])
                  .every(r => r.cells[0] && r.cells[0].tagName === 'TH'
                              && r.cells[0].scope === 'row'),
              summary: t.closest('details') ? t.closest('details')
                  .querySelector('summary').textContent.trim() : null}))"""
    )
    report_tables = [t for t in tables if not t["data"]]
    data_tables = [t for t in tables if t["data"]]
    assert report_tables and data_tables
    assert [t for t in tables if not t["caption"]] == [], "tables without a caption"
    assert all(re.match(r"^Table \d+: \S", t["caption"]) for t in report_tables)
    assert [t["caption"] for t in data_tables if not (t["colScopes"] and t["rowHeaders"])] == []
    summaries = [t["summary"] for t in data_tables]
    assert all(summaries) and len(set(summaries)) == len(summaries), "summaries not distinct"
    figures = report.locator("figure.edi-figure-block").count()
    assert len(data_tables) == figures


def test_charts_hold_no_focusable_control_and_offer_no_cloud_upload(report: Any) -> None:
    state = report.evaluate(
        """() => ({
          modebar: document.querySelectorAll('.modebar, .modebar-btn').length,
          share: [...document.querySelectorAll('a, button')]
              .filter(e => /share chart|chart studio|plotly cloud/i.test(
                  (e.getAttribute('data-title') || '') + e.textContent)).length,
          nested: [...document.querySelectorAll('[role=img]')].map(img =>
              [...img.querySelectorAll('a[href], button, input, select, textarea, '
                                       + '[tabindex], [contenteditable]')]
                  .filter(e => e.tabIndex >= 0).length).reduce((a, b) => a + b, 0),
          stops: [...document.querySelectorAll(
              'a[href], button, input, select, textarea, summary, [tabindex]')]
              .filter(e => e.tabIndex >= 0 && e.getClientRects().length).length,
        })"""
    )
    assert state["modebar"] == 0 and state["share"] == 0 and state["nested"] == 0, state
    # Each chart is passed over in one Tab: the stops are links, table regions and the
    # "Data behind this chart" summaries, far fewer than the 356 of plotly's modebars.
    assert state["stops"] < 356, state


def test_the_report_reads_on_a_phone_without_sideways_page_scrolling(phone: Any) -> None:
    state = phone.evaluate(
        """(width) => {
          const blocks = [...document.querySelectorAll('.edi-table-block')];
          const scrolling = blocks.filter(b => b.scrollWidth > b.clientWidth + 1);
          const narrow = blocks.filter(b => {
              const t = b.querySelector('table');
              return t && Math.max(...[...t.rows].map(r => r.cells.length)) <= 4;
          });
          return {page: document.documentElement.scrollWidth, width,
                  blocks: blocks.length, scrolling: scrolling.map(b => b.id),
                  narrowScrolling: narrow.filter(b => scrolling.includes(b)).map(b => b.id),
                  unreachable: scrolling.filter(b => b.tabIndex < 0).map(b => b.id),
                  charts: [...document.querySelectorAll('figure.edi-figure-block .main-svg')]
                      .filter(s => s.getBoundingClientRect().width > width
                                   && !s.closest('.edi-figure-scroll[tabindex="0"]')).length};
        }""",
        PHONE_WIDTH,
    )
    assert state["page"] <= PHONE_WIDTH, f"the page scrolls sideways at {PHONE_WIDTH}px"
    assert state["charts"] == 0, "charts wider than the phone outside a scroll region"
    assert state["unreachable"] == [], "tables that scroll but cannot be reached by keyboard"
    assert state["narrowScrolling"] == [], "tables of up to 4 columns scroll sideways"
    # The widest tables may scroll inside their own region; nine in ten must fit.
    assert len(state["scrolling"]) * 10 <= state["blocks"], state["scrolling"]


# --- 4. Print -------------------------------------------------------------------------


def test_print_media_swaps_charts_for_images(printed: Any) -> None:
    state = printed.evaluate(
        """() => [...document.querySelectorAll('figure.edi-figure-block')].map(f => {
              const shown = e => !!e && e.getClientRects().length > 0;
              const img = f.querySelector('img.print-only');
              return {id: f.id, chart: shown(f.querySelector('.edi-figure')),
                      details: [...f.querySelectorAll('details')].some(shown),
                      img: shown(img), naturalWidth: img ? img.naturalWidth : 0};
            })"""
    )
    assert state, "the report has no figures"
    assert [s["id"] for s in state if s["chart"]] == [], "interactive charts shown in print"
    assert [s["id"] for s in state if s["details"]] == [], "chart data tables shown in print"
    assert [s["id"] for s in state if not s["img"]] == [], "figures without a print image"
    assert [s["id"] for s in state if s["naturalWidth"] == 0] == [], "print images not decoded"


def test_printed_report_fits_the_a4_page(printed: Any) -> None:
    """Nothing is cut off at the page edge: paper cannot scroll.

    Chromium clips a scroll container (``overflow: auto``) at the page edge, and shrinks the
    whole document when plain content is wider than the page, so both are failures.
    """
    problems = printed.evaluate(
        """([pageHeight, landscapeWidth]) => {
          const name = e => (e.closest('.edi-embed') || e).id || e.tagName.toLowerCase();
          const width = document.documentElement.clientWidth;
          // Blocks set on the stylesheet's landscape pages have the landscape width.
          const landscape = e => {
            const block = e.closest('.edi-embed');
            return !!block && getComputedStyle(block).page === 'edi-landscape';
          };
          const out = {};
          const clipped = [];
          for (const e of document.querySelectorAll('main *')) {
            if (!e.getClientRects().length || clipped.some(c => c.contains(e))) continue;
            const s = getComputedStyle(e);
            const scrolls = s.overflowX !== 'visible' || s.overflowY !== 'visible';
            const room = landscape(e) ? landscapeWidth : e.clientWidth;
            const right = landscape(e) ? landscapeWidth : width;
            if (scrolls && e.scrollWidth > room + 1) {
              clipped.push(e);
              out[name(e)] = `cut off: ${e.scrollWidth - room}px too wide`;
            } else if (e.getBoundingClientRect().right > right + 1 && !(name(e) in out)) {
              out[name(e)] = `${Math.round(e.getBoundingClientRect().right - right)}px `
                             + 'beyond the page: the whole PDF is shrunk';
            }
          }
          for (const f of document.querySelectorAll('figure.edi-figure-block')) {
            const h = f.getBoundingClientRect().height;
            if (h > pageHeight) out[f.id] = `${Math.round(h)}px tall, more than a page`;
          }
          return out;
        }""",
        [A4_CONTENT_HEIGHT, A4_LANDSCAPE_CONTENT_WIDTH],
    )
    assert problems == {}, "does not fit an A4 page:\n" + "\n".join(
        f"{k}: {v}" for k, v in problems.items())


def test_page_pdf_prints_charts_as_images(printed: Any, tmp_path: Path) -> None:
    pdf = tmp_path / "printed-by-playwright.pdf"
    pdf.write_bytes(printed.pdf(format="A4", print_background=True))
    reader = PdfReader(pdf)
    images = _image_count(reader)
    figures = printed.locator("figure.edi-figure-block").count()
    assert len(reader.pages) > 5
    assert images >= figures > 0, f"{images} images for {figures} figures"


def test_built_pdf_has_chapters_captions_and_charts(report: Any, built_pdf: PdfContent) -> None:
    text = _collapse(" ".join(built_pdf.pages))
    assert len(built_pdf.pages) > 5
    missing = [c for c in CHAPTERS if c not in text]
    assert not missing, f"chapter titles missing from the PDF text: {missing}"
    assert re.search(r"Table 1: \S", text), "no table caption in the PDF"
    assert re.search(r"Figure 1: \S", text), "no figure caption in the PDF"
    figures = report.locator("figure.edi-figure-block").count()
    assert built_pdf.images >= figures > 0, (
        f"the PDF embeds {built_pdf.images} images for {figures} charts"
    )


def test_built_pdf_keeps_headings_with_their_content(report: Any, built_pdf: PdfContent) -> None:
    headings = {
        _collapse(h) for h in report.locator(
            "main section > h2, main section > h3, main section > h4, main section > h5"
        ).all_text_contents()
    }
    pages = built_pdf.pages
    last_toc_entry = _collapse(report.locator("nav#TOC a").last.text_content())
    toc_end = next(i for i, p in enumerate(pages) if last_toc_entry in p.splitlines())
    stranded = [
        f"page {i + 1}: {p.splitlines()[-1]!r}"
        for i, p in enumerate(pages) if i > toc_end and p and p.splitlines()[-1] in headings
    ]
    assert stranded == [], "headings left alone at the foot of a page:\n" + "\n".join(stranded)


@pytest.fixture(scope="module")
def pdf_reader(browser: str, demo_build: Any) -> PdfReader:
    """The PDF the build printed, opened with pypdf."""
    assert demo_build.pdf is not None, "the build made no PDF although a browser exists"
    return PdfReader(demo_build.pdf)


@dataclass
class PdfRow:
    """One table row of a tagged PDF: its cells' types and the pages its content is on."""

    cells: list[str] = field(default_factory=list)
    pages: set[int] = field(default_factory=set)

    @property
    def is_body(self) -> bool:
        """A data row: a row header and data cells (not a heading, title or note row)."""
        return len(self.cells) > 1 and "/TD" in self.cells


def _structure(reader: PdfReader) -> tuple[list[tuple[str | None, set[int]]], list[list[PdfRow]]]:
    """Read the structure tree: Figures (alt text, pages) and tables (rows), in order."""
    numbers = {page.indirect_reference.idnum: i + 1 for i, page in enumerate(reader.pages)}
    figures: list[tuple[str | None, set[int]]] = []
    tables: list[list[PdfRow]] = []

    def walk(node: Any, page: int | None, row: PdfRow | None) -> set[int]:
        obj = node.get_object() if isinstance(node, IndirectObject) else node
        if isinstance(obj, list):
            return set().union(*(walk(k, page, row) for k in obj)) if obj else set()
        if isinstance(obj, int):
            return {page} if page else set()
        if not isinstance(obj, dict):
            return set()
        if "/Pg" in obj:
            page = numbers.get(obj.raw_get("/Pg").idnum, page)
        if "/MCID" in obj:
            return {page} if page else set()
        kind = str(obj.get("/S", ""))
        if kind == "/Table":
            tables.append([])
        if kind == "/TR" and tables:
            row = PdfRow()
            tables[-1].append(row)
        pages = walk(obj.raw_get("/K") if "/K" in obj else [], page, row)
        if kind in ("/TH", "/TD") and row is not None:
            row.cells.append(kind)
        if kind == "/TR" and row is not None:
            row.pages = pages
        if kind == "/Figure":
            figures.append((obj.get("/Alt"), pages))
        return pages

    walk(reader.trailer["/Root"]["/StructTreeRoot"].raw_get("/K"), None, None)
    return figures, tables


def _text_sizes(reader: PdfReader) -> dict[float, list[tuple[int, str]]]:
    """Effective size in points of every piece of text drawn, with page and text."""
    sizes: dict[float, list[tuple[int, str]]] = {}
    for number, page in enumerate(reader.pages, start=1):
        def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float,
                  number: int = number) -> None:
            if text.strip():
                scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
                sizes.setdefault(round(size * scale, 1), []).append((number, text.strip()))
        page.extract_text(visitor_text=visit)
    return sizes


def test_built_pdf_outline_mirrors_the_headings(printed: Any, demo_build: Any) -> None:
    headings = printed.evaluate(
        """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
              .filter(h => h.getClientRects().length)
              .map(h => h.textContent.replace(/\\s+/g, ''))"""
    )
    outline = [(" ".join(title.split()), page) for title, page in outline_pages(demo_build.pdf)]
    assert len(outline) >= len(CHAPTERS) * 3
    assert ["".join(title.split()) for title, _ in outline] == headings
    assert [page for _, page in outline] == sorted(page for _, page in outline)
    chapters = [t for t, _ in outline if _SECTION_NUMBER.sub("", t) in CHAPTERS]
    assert len(chapters) == len(CHAPTERS), outline


def test_built_pdf_numbers_its_pages_and_its_contents(report: Any, demo_build: Any,
                                                      built_pdf: PdfContent) -> None:
    total = len(built_pdf.pages)
    unnumbered = [i for i, text in enumerate(built_pdf.pages, start=1)
                  if f"Page {i} of {total}" not in text.splitlines()]
    assert unnumbered == [], f"pages without their number: {unnumbered}"
    toc = [_collapse(a) for a in report.locator("nav#TOC a").all_text_contents()]
    outline = {"".join(t.split()): p for t, p in outline_pages(demo_build.pdf)}
    expected = [outline["".join(entry.split())] for entry in toc]
    toc_pages = [p for p in built_pdf.pages[:4] if "Contents" in p or any(
        line.isdigit() for line in p.splitlines())]
    printed = [int(line) for page in toc_pages for line in page.splitlines() if line.isdigit()]
    assert printed[:len(expected)] == expected, "contents' page numbers are not the headings'"


def test_built_pdf_figures_carry_their_findings_as_alt_text(report: Any,
                                                           pdf_reader: PdfReader) -> None:
    findings = [_collapse(a) for a in report.evaluate(
        "() => [...document.querySelectorAll('figure.edi-figure-block [role=img]')]"
        ".map(e => e.getAttribute('aria-label'))")]
    figures, _ = _structure(pdf_reader)
    assert [pages for alt, pages in figures if not (alt and alt.strip())] == [], (
        "Figure tags without alternative text (pages listed)")
    assert [_collapse(alt) for alt, _ in figures] == findings


def test_built_pdf_sets_no_text_under_8pt(pdf_reader: PdfReader) -> None:
    sizes = _text_sizes(pdf_reader)
    small = {size: places[:3] for size, places in sizes.items() if size < 8}
    assert small == {}, f"text under 8 pt (size: [(page, text)]): {small}"


def test_built_pdf_splits_no_row_and_orphans_none(pdf_reader: PdfReader) -> None:
    """No data row is split by a page break, and a table that runs over a page break has at
    least two of its data rows on each of its pages (so never a lone row, nor a page with
    only its repeated header)."""
    _, tables = _structure(pdf_reader)
    assert len(tables) > 30
    split, orphaned = [], []
    for k, rows in enumerate(tables, start=1):
        body = [r for r in rows if r.is_body]
        split += [(k, sorted(r.pages)) for r in body if len(r.pages) > 1]
        pages = set().union(*(r.pages for r in rows)) if rows else set()
        if len(pages) > 1:
            per_page = {p: sum(1 for r in body if r.pages == {p}) for p in sorted(pages)}
            orphaned += [(k, per_page) for p, n in per_page.items() if n < 2]
    assert split == [], f"data rows split across pages (table, pages): {split}"
    assert orphaned == [], f"pages with fewer than two rows of a table: {orphaned}"


# --- 5. Screenshots -------------------------------------------------------------------

_DISTINCT_COLOURS = """async (b64) => {
  const img = new Image();
  img.src = 'data:image/png;base64,' + b64;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const seen = new Set();
  for (let i = 0; i < px.length; i += 4 * 7) seen.add((px[i] << 16) | (px[i+1] << 8) | px[i+2]);
  return {width: canvas.width, height: canvas.height, colours: seen.size};
}"""


def test_screenshots_of_first_screen_and_first_figure(report: Any, tmp_path: Path) -> None:
    report.evaluate("window.scrollTo(0, 0)")
    first_screen = tmp_path / "first-screen.png"
    report.screenshot(path=str(first_screen))
    title = report.locator("header.edi-title-block")
    assert title.is_visible() and title.bounding_box()["y"] < 50, "title block not on top"
    figure = report.locator("figure.edi-figure-block").first
    figure.scroll_into_view_if_needed()
    first_figure = tmp_path / "first-figure.png"
    figure.screenshot(path=str(first_figure))
    for shot in (first_screen, first_figure):
        data = shot.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        # Measured in the browser itself: a blank or single-colour shot means nothing drew.
        stats = report.evaluate(_DISTINCT_COLOURS, base64.b64encode(data).decode("ascii"))
        assert stats["width"] > 300 and stats["height"] > 200, stats
        assert stats["colours"] > 20, f"{shot.name} looks blank: {stats}"
