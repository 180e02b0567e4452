"""End to end: build a second ICB's report from demo data and check its headline numbers.

Every expected number is computed here, independently of the package, from the input files
an analyst would have (pandas on the CSVs) and from the raw Census files.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from edi_analysis.paths import raw_data_dir
from edi_analysis.report.qmd import embed_targets, read_document

from .conftest import E2E_ORG

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@pytest.fixture(scope="module")
def soup(demo_build) -> BeautifulSoup:
    return BeautifulSoup(demo_build.html.read_text(encoding="utf-8"), "html.parser")


def _rows(soup: BeautifulSoup, label: str) -> list[list[str]]:
    block = soup.find(id=label)
    assert block is not None, f"{label} missing from the report"
    return [[c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])]
            for tr in block.find_all("tr")]


def _row(soup: BeautifulSoup, label: str, first: str) -> list[str]:
    matches = [r for r in _rows(soup, label) if r and r[0] == first]
    assert matches, f"no row {first!r} in {label}"
    return matches[0]


def _input(folder: Path, stem: str) -> pd.DataFrame:
    (path,) = [p for p in folder.iterdir() if p.stem.removeprefix("synthetic_") == stem]
    return pd.read_csv(path) if path.suffix == ".csv" else pd.read_excel(path)


def test_every_embedded_output_is_in_the_report_and_not_empty(demo_build, soup) -> None:
    doc = read_document(demo_build.build_dir / "report.qmd")
    labels = [label for _, label in embed_targets(doc.body)]
    assert len(labels) > 100
    empty = [label for label in labels
             if soup.find(id=label) is None or not soup.find(id=label).get_text(strip=True)]
    assert empty == []
    titles = [" ".join(h.get_text(" ").split()) for h in soup.find("main").find_all("h2")]
    for chapter in ("About this report", "Workforce", "NHS Staff Survey",
                    "Maternity and service inequalities", "Data sources and methods"):
        assert any(chapter in t for t in titles), chapter


def test_title_names_the_organisation_period_and_synthetic_data(soup) -> None:
    subtitle = soup.find("p", class_="subtitle").get_text()
    assert "Shropshire, Telford and Wrekin" in subtitle and "2025-26" in subtitle
    assert "SYNTHETIC" in soup.find(class_="callout-important").get_text()


def test_population_context_is_computed_from_the_icbs_own_lsoas(soup) -> None:
    raw = raw_data_dir()
    lookup = pd.read_csv(raw / "lookups" / "lsoa21_ltla_sicbl24_icb24.csv.gz")
    lsoas = lookup.loc[lookup["icb24_code_nhs"] == E2E_ORG, "lsoa21_code"]
    eth = pd.read_csv(raw / "census2021" / "ethnic_group_broad_lsoa.csv.gz")
    mine = eth[eth["lsoa21_code"].isin(lsoas)]
    residents = mine["White"].sum()
    share = residents / mine["total_usual_residents"].sum()
    row = _row(soup, "tbl-population-context", "White")
    assert row[1:] == [f"{residents:,}", f"{100 * share:.1f}%"]


def test_workforce_headcount_matches_the_staff_file(soup, demo_inputs_dir) -> None:
    staff = _input(demo_inputs_dir, "staff_records")
    assert _row(soup, "tbl-wf-ethnicity", "Headcount")[-2] == str(len(staff))


@pytest.mark.xfail(strict=True, reason=(
    "issue 11, open: on the QOC demo data (19 BME staff of 300) the BME staff in medical "
    "grades and non-AfC posts (2 people) can be worked out from the headcount-by-cluster "
    "table with WRES 1; the optimiser's cuts find no cheaper protection than hiding the "
    "organisation's White and BME figures. Folding medical grades into the clinical block "
    "of WRES 1 (done) cut the hiding there but not this; the remedy is a cluster layout "
    "that keeps such groups apart, or better cuts"))
def test_workforce_white_share_matches_the_staff_file(soup, demo_inputs_dir) -> None:
    staff = _input(demo_inputs_dir, "staff_records")
    n = len(staff)
    white = staff["ethnic_category"].isin(["A", "B", "C"]).sum()
    assert _row(soup, "tbl-wf-ethnicity", "White")[-2] == f"{100 * white / n:.1f}%"


def test_staff_survey_organisation_score_matches_the_results_file(soup, demo_inputs_dir) -> None:
    survey = _input(demo_inputs_dir, "survey_results")
    latest = survey["year"].max()
    overall = survey[(survey["year"] == latest) & (survey["breakdown"] == "Overall")]
    q4b = overall.set_index("question").loc["q4b"]
    # the header gives the most who answered any question of the table (the engagement
    # score, published in its own table, is not one of them)
    codes = {r[0] for r in _rows(soup, "tbl-ss-ethnicity") if r}
    respondents = overall.loc[overall["question"].isin(codes), "n_respondents"].max()
    header = " ".join(" | ".join(r) for r in _rows(soup, "tbl-ss-ethnicity")[:2])
    assert f"Organisation (n={respondents})" in header
    assert _row(soup, "tbl-ss-ethnicity", "q4b")[2] == f"{q4b['pct_positive']:.1f}"


def test_stillbirth_rate_and_byar_interval_match_the_births_file(soup, demo_inputs_dir) -> None:
    births = _input(demo_inputs_dir, "births")
    year = births[(births["year"] == "2025-26") & ~births["termination"].astype(bool)]
    still = ((year["outcome"] == "Stillbirth") & (year["gestation_weeks"] >= 24)).sum()
    total = ((year["outcome"] == "Live birth")
             | ((year["outcome"] == "Stillbirth") & (year["gestation_weeks"] >= 24))).sum()
    z = 1.959963984540054  # Byar's method (Breslow and Day 1987), written out here
    lower = still * (1 - 1 / (9 * still) - z / (3 * math.sqrt(still))) ** 3 / total * 1000
    o1 = still + 1
    upper = o1 * (1 - 1 / (9 * o1) + z / (3 * math.sqrt(o1))) ** 3 / total * 1000
    row = _row(soup, "tbl-mat-stillbirth-ethnicity", "All")
    assert row[1:5] == [str(still), f"{total:,}", f"{1000 * still / total:.1f}",
                        f"{lower:.1f} to {upper:.1f}"]


def test_published_csv_counts_are_never_small(demo_build) -> None:
    count_like = re.compile(r"^(n|count|headcount|events|numerator|denominator|.*_count|n_.*)$")
    checked = 0
    for path in sorted(demo_build.tables_dir.glob("*.csv")):
        frame = pd.read_csv(path)
        for column in frame.columns:
            if not count_like.match(column):
                continue
            values = pd.to_numeric(frame[column], errors="coerce").dropna()
            small = values[(values > 0) & (values < 5)]
            assert small.empty, f"{path.name}:{column} publishes {small.tolist()}"
            checked += 1
    assert checked > 10


def test_no_record_identifier_reaches_any_output(demo_build, demo_inputs_dir) -> None:
    ids = set(_input(demo_inputs_dir, "staff_records")["employee_id"])
    ids |= set(_input(demo_inputs_dir, "births")["baby_id"].head(2000))
    outputs = [demo_build.html.read_text(encoding="utf-8")]
    outputs += [p.read_text(encoding="utf-8") for p in demo_build.tables_dir.glob("*.csv")]
    for nb_path in (demo_build.build_dir / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(nb_path, as_version=4)
        outputs += [str(c.get("outputs", "")) for c in nb.cells if c.cell_type == "code"]
    found = re.compile(r"(?:QOC-SYN-\d+|QOC-BABY-\d+)")
    leaked = {m for text in outputs for m in found.findall(text)} & ids
    assert leaked == set()


def test_methods_section_echoes_the_run_file(demo_build, soup) -> None:
    run_file = demo_build.run_file.read_text(encoding="utf-8")
    code = soup.find(id="txt-run-file").get_text()
    assert "org: QOC" in run_file and "org: QOC" in code
    assert "suppression_policy: standard" in code


def test_pdf_exists_when_a_browser_is_installed(demo_build, browser) -> None:
    assert demo_build.pdf is not None and demo_build.pdf.stat().st_size > 100_000


def test_no_path_of_the_building_machine_is_published(demo_build) -> None:
    html = demo_build.html.read_text(encoding="utf-8")
    run_file = demo_build.run_file.read_text(encoding="utf-8")  # published beside it
    for folder in {str(demo_build.html.parent), str(Path.home()), "/tmp/"}:
        assert folder not in html
        assert folder not in run_file
