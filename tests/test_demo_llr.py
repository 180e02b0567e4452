"""The default demo, NHS Leicester, Leicestershire and Rutland ICB, as `make report` builds it.

Opened in the real Chromium with the network blocked: every chapter populated, every chart
drawn, the Census comparator the published LLR figures, and a PDF.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from .test_browser import CHAPTERS, LAUNCH_ARGS, Browsing

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.xdist_group("e2e")]


@pytest.fixture(scope="module")
def llr_build(tmp_path_factory: pytest.TempPathFactory, browser: str):
    from edi_analysis.geography import resolve_org
    from edi_analysis.pipeline import RunConfig, build_report

    tmp = tmp_path_factory.mktemp("llr")
    org = resolve_org("LLR")
    config = RunConfig(org=org.nhs_code, org_name=org.name, period="2025-26",
                       output_dir=str(tmp / "published"), processed_dir=str(tmp / "processed"),
                       renderer="embedded", pdf=True)
    return build_report(config, build_root=tmp / "build")


@pytest.fixture(scope="module")
def page(llr_build, browser: str) -> Iterator[tuple[Any, Browsing]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=browser, args=LAUNCH_ARGS)
        context = chromium.new_context(service_workers="block")
        state = Browsing(context=context, html=Path(llr_build.html))
        context.route("**/*", state._route)
        try:
            yield state.open({"width": 1280, "height": 900}, media="screen"), state
        finally:
            chromium.close()


def test_llr_report_opens_offline_with_every_chapter_populated(page) -> None:
    view, state = page
    assert state.blocked == [] and state.console_errors == [] and state.page_errors == []
    counts = view.evaluate(
        """() => [...document.querySelectorAll('main > section.level2')].map(s => [
               s.querySelector('h2').innerText,
               s.querySelectorAll('.edi-table-block table').length,
               s.querySelectorAll('figure.edi-figure-block .js-plotly-plot .main-svg').length])"""
    )
    by_title = {" ".join(t.split()): (tables, charts) for t, tables, charts in counts}
    for chapter in CHAPTERS:
        (title,) = [t for t in by_title if t.endswith(chapter)]
        assert by_title[title][0] > 0, f"{chapter} has no table"
    for chapter in ("Workforce", "NHS Staff Survey", "Maternity and service inequalities"):
        (title,) = [t for t in by_title if t.endswith(chapter)]
        assert by_title[title][1] > 0, f"{chapter} has no drawn chart"


def test_llr_census_comparator_is_the_published_llr_population(page) -> None:
    view, _ = page
    rows = view.evaluate(
        """() => [...document.querySelectorAll('#tbl-population-context tr')]
               .map(r => [...r.querySelectorAll('td,th')].map(c => c.innerText.trim()))"""
    )
    shares = {r[0]: r[-1] for r in rows if len(r) == 3}
    # The LLR EDI annual report 2025-26: "72.5% of the population are White, 19.5% Asian".
    assert shares["White"] == "72.5%" and shares["Asian"] == "19.5%"


def test_llr_pdf_exists_with_every_chapter(llr_build) -> None:
    reader = PdfReader(str(llr_build.pdf))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert len(reader.pages) > 20
    for chapter in CHAPTERS:
        assert chapter in text
