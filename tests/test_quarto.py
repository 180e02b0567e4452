"""The real-Quarto path: same report source rendered by `quarto render` (HTML and Typst PDF).

They run wherever `quarto` is on PATH: in CI, `.ci/run` installs a real Quarto 1.11 from the
source harness first; elsewhere they are skipped with the reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from edi_analysis.report.quarto import quarto_path

pytestmark = [
    pytest.mark.quarto,
    pytest.mark.e2e,
    pytest.mark.skipif(quarto_path() is None, reason="quarto is not on PATH"),
]


@pytest.fixture(scope="module")
def quarto_build(tmp_path_factory: pytest.TempPathFactory):
    from edi_analysis.geography import resolve_org
    from edi_analysis.pipeline import RunConfig, build_report

    tmp = tmp_path_factory.mktemp("quarto")
    org = resolve_org("QK1")
    config = RunConfig(org=org.nhs_code, org_name=org.name, period="2025-26",
                       output_dir=str(tmp / "out"), processed_dir=str(tmp / "tables"),
                       renderer="quarto", pdf=True)
    return build_report(config, build_root=tmp / "build")


def test_quarto_html_has_every_chapter_and_embedded_table(quarto_build) -> None:
    soup = BeautifulSoup(Path(quarto_build.html).read_text(encoding="utf-8"), "html.parser")
    text = " ".join(soup.get_text(" ").split())
    for chapter in ("About this report", "Workforce", "NHS Staff Survey",
                    "Maternity and service inequalities", "Data sources and methods"):
        assert chapter in text
    assert soup.find(id="tbl-wf-ethnicity") is not None
    assert "Unable to display output" not in text


def test_quarto_typst_pdf_is_made(quarto_build) -> None:
    assert quarto_build.renderer == "quarto"
    assert quarto_build.pdf is not None and quarto_build.pdf.stat().st_size > 100_000
