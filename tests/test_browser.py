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
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright
from pypdf import PdfReader

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

#: A4 (210 x 297 mm) inside report.css's ``@page { margin: 16mm 14mm }``, in CSS pixels.
A4_CONTENT_WIDTH = round((210 - 2 * 14) / 25.4 * 96)  # 688
A4_CONTENT_HEIGHT = round((297 - 2 * 16) / 25.4 * 96)  # 1002

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
        """() => [...document.querySelectorAll('main section > h1')].map(h => ({
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
    [("Table", ".edi-table-block", ".edi-table-block > .edi-caption"),
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
        """(pageHeight) => {
          const name = e => (e.closest('.edi-embed') || e).id || e.tagName.toLowerCase();
          const width = document.documentElement.clientWidth;
          const out = {};
          const clipped = [];
          for (const e of document.querySelectorAll('main *')) {
            if (!e.getClientRects().length || clipped.some(c => c.contains(e))) continue;
            const s = getComputedStyle(e);
            const scrolls = s.overflowX !== 'visible' || s.overflowY !== 'visible';
            if (scrolls && e.scrollWidth > e.clientWidth + 1) {
              clipped.push(e);
              out[name(e)] = `cut off: ${e.scrollWidth - e.clientWidth}px too wide`;
            } else if (e.getBoundingClientRect().right > width + 1 && !(name(e) in out)) {
              out[name(e)] = `${Math.round(e.getBoundingClientRect().right - width)}px `
                             + 'beyond the page: the whole PDF is shrunk';
            }
          }
          for (const f of document.querySelectorAll('figure.edi-figure-block')) {
            const h = f.getBoundingClientRect().height;
            if (h > pageHeight) out[f.id] = `${Math.round(h)}px tall, more than a page`;
          }
          return out;
        }""",
        A4_CONTENT_HEIGHT,
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
            "main section > h1, main section > h2, main section > h3, main section > h4"
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
