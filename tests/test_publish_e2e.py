"""A built report and its site: downloads beside the report, page weight, no machine paths.

Uses the session's demo build (:func:`tests.conftest.demo_build`), then publishes it.
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from pypdf import PdfReader

from edi_analysis.paths import project_root
from edi_analysis.publishing.downloads import published_tables, spreadsheet_name
from edi_analysis.publishing.site import publish_site
from edi_analysis.publishing.spreadsheet import check_spreadsheet

from .conftest import E2E_ORG, E2E_PERIOD
from .test_publishing_site import MAX_PAGE, site_problems

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@pytest.fixture(scope="module")
def report_dir(demo_build) -> Path:
    return demo_build.html.parent


@pytest.fixture(scope="module")
def site(demo_build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    built = tmp_path_factory.mktemp("built")
    shutil.copytree(demo_build.html.parent, built / E2E_ORG / E2E_PERIOD)
    return publish_site(built, tmp_path_factory.mktemp("site") / "site").site


def test_tables_and_spreadsheet_are_published_beside_the_report(demo_build,
                                                                report_dir: Path) -> None:
    assert demo_build.tables_dir == report_dir / "tables"
    csvs = sorted(p.name for p in demo_build.tables_dir.glob("*.csv"))
    assert len(csvs) > 40
    sheet = report_dir / spreadsheet_name(E2E_ORG, E2E_PERIOD)
    assert sheet.is_file()
    # the old place of the tables is not written any more
    assert not (demo_build.build_dir.parents[2] / "processed").exists()
    soup = BeautifulSoup(demo_build.html.read_text(encoding="utf-8"), "html.parser")
    section = soup.find(id="sec-downloads")
    links = {a["href"] for a in section.find_all("a")}
    assert links == {sheet.name} | {f"tables/{name}" for name in csvs}


def test_spreadsheet_is_the_published_csvs_laid_out_for_release(report_dir: Path) -> None:
    tables = published_tables(report_dir / "tables")
    sheet = report_dir / spreadsheet_name(E2E_ORG, E2E_PERIOD)
    check_spreadsheet(sheet, tables)  # every cell as shown in its CSV
    wb = load_workbook(sheet)
    assert wb.sheetnames == ["Cover", "Contents", "Notes",
                             *[f"Table_{i}" for i in range(1, len(tables) + 1)]]
    for ws in wb.worksheets:
        assert not ws.merged_cells.ranges, ws.title
        assert len(ws.tables) == (0 if ws.title == "Cover" else 1), ws.title
    cover = " ".join(str(c.value) for c in wb["Cover"]["A"])
    assert "Shropshire, Telford and Wrekin" in cover and "SYNTHETIC" in cover


def _shown_rows(soup: BeautifulSoup, label: str) -> list[list[str]]:
    block = soup.find(id=label)
    assert block is not None, label
    return [[c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])]
            for tr in block.find_all("tr")]


def test_csv_figures_are_the_figures_the_report_shows(demo_build, report_dir: Path) -> None:
    soup = BeautifulSoup(demo_build.html.read_text(encoding="utf-8"), "html.parser")
    gpg = pd.read_csv(report_dir / "tables" / "gpg_measures.csv", dtype=str,
                      keep_default_na=False)
    shown = {r[0]: r for r in _shown_rows(soup, "tbl-wf-gpg") if r}
    for row in gpg.itertuples():
        cells = shown[row.measure]
        if row.value_pct:
            assert cells[1] == f"{row.value_pct}%", (row.measure, cells)
            assert cells[2] == (f"{row.previous_pct}%" if row.previous_pct else "–"), cells
        else:
            assert row.symbol in cells, (row.measure, cells)
    wres = pd.read_csv(report_dir / "tables" / "wres_indicators.csv", dtype=str,
                       keep_default_na=False)
    text = " ".join(" ".join(r) for r in _shown_rows(soup, "tbl-wf-wres"))
    for row in wres.itertuples():
        assert (row.value or row.symbol) in text, (row.indicator, row.value, row.symbol)


def test_published_page_is_light_and_loads_plotly_beside_it(demo_build,
                                                            report_dir: Path) -> None:
    page = demo_build.html.read_text(encoding="utf-8")
    assert demo_build.html.stat().st_size < MAX_PAGE
    assert "data:image/png" not in page  # the PNG copies are for the PDF only
    assert page.count("<style") <= 3  # the report's own and the merged table styles
    assert re.findall(r'<script data-edi-plotly="" src="([^"]+)"', page) == [
        "assets/plotly.min.js"]
    assert (report_dir / "assets" / "plotly.min.js").is_file()


def test_site_links_resolve_with_no_external_address_and_light_pages(site: Path) -> None:
    assert site_problems(site) == []
    pages = sorted(site.rglob("*.html"))
    assert [p.relative_to(site).as_posix() for p in pages] == [
        f"{E2E_ORG}/{E2E_PERIOD}/report.html", "index.html"]
    assert len(list((site / "assets").glob("plotly-*.min.js"))) == 1


def _machine_paths(demo_build) -> dict[str, re.Pattern[str]]:
    places = {
        "project folder": project_root(),
        "home folder": Path.home(),
        "build folder": demo_build.build_dir,
        "temporary folder": demo_build.build_dir.parents[2],
        "working folder": Path.cwd(),
    }
    out = {name: re.compile(re.escape(str(p)) + r"(?![\w.-])") for name, p in places.items()
           if str(p) not in ("/", "")}
    out["file address"] = re.compile(r"file:/", re.IGNORECASE)
    return out


def _texts(path: Path) -> list[str]:
    """Every text a reader's software can get out of a published file."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        reader = PdfReader(path)
        texts = [data.decode("latin-1")] + [p.extract_text() or "" for p in reader.pages]
        for page in reader.pages:
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A")
                if action is not None and "/URI" in action:
                    texts.append(str(action["/URI"]))
        return texts
    if path.suffix in (".xlsx", ".ods"):
        with zipfile.ZipFile(path) as zf:
            return [zf.read(n).decode("utf-8", "replace") for n in zf.namelist()]
    return [data.decode("utf-8")]


def test_no_path_of_the_building_machine_in_any_artefact(demo_build, report_dir: Path,
                                                         site: Path) -> None:
    patterns = _machine_paths(demo_build)
    files = [p for root in (report_dir, site) for p in sorted(root.rglob("*"))
             if p.is_file() and p.suffix in (".html", ".pdf", ".csv", ".xlsx", ".yml")]
    assert {p.suffix for p in files} >= {".html", ".csv", ".xlsx", ".yml"}
    if demo_build.pdf is not None:
        assert any(p.suffix == ".pdf" for p in files)
    found = [f"{p}: {name}" for p in files for text in _texts(p)
             for name, pattern in patterns.items() if pattern.search(text)]
    assert found == []
    assert os.sep in str(demo_build.build_dir)  # the patterns are real paths
