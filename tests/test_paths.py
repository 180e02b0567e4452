"""Where a notebook writes its published tables: resolved once, from the notebook's org."""

from __future__ import annotations

import json
from pathlib import Path

import papermill as pm
import pytest

from edi_analysis.geography import resolve_org
from edi_analysis.paths import project_root, tables_dir

NOTEBOOKS = sorted((project_root() / "notebooks").glob("*.ipynb"))


def test_tables_go_under_the_run_output_folder_when_given(tmp_path: Path) -> None:
    assert tables_dir("QK1", "2025-26", tmp_path / "stage") == tmp_path / "stage" / "tables"


def test_interactive_tables_go_to_the_notebooks_own_organisation(tmp_path: Path,
                                                                  monkeypatch) -> None:
    monkeypatch.setenv("EDI_PROCESSED_DATA", str(tmp_path))
    assert tables_dir(resolve_org("QHM"), "2025-26") == tmp_path / "QHM" / "2025-26" / "tables"
    assert tables_dir("QK1", "2024-25", None) == tmp_path / "QK1" / "2024-25" / "tables"
    with pytest.raises(ValueError, match="empty"):
        tables_dir("", "2025-26")


def _sources(path: Path) -> list[str]:
    return ["".join(c["source"]) for c in json.loads(path.read_text())["cells"]
            if c["cell_type"] == "code"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_notebook_names_one_organisations_folder(notebook: Path) -> None:
    code = "\n".join(_sources(notebook))
    assert "output_dir = None" in code
    assert "output/QK1" not in code and "Path(output_dir)" not in code
    if "write_release(" in code:
        assert "write_release(release, tables_dir(organisation, period, output_dir)" in code


@pytest.mark.e2e
def test_a_notebook_run_with_another_org_writes_that_orgs_tables(tmp_path: Path,
                                                                 monkeypatch) -> None:
    """``papermill workforce.ipynb out.ipynb -p org QHM`` without ``output_dir``."""
    monkeypatch.setenv("EDI_PROCESSED_DATA", str(tmp_path / "processed"))
    pm.execute_notebook(str(project_root() / "notebooks" / "workforce.ipynb"),
                        str(tmp_path / "workforce.ipynb"), parameters={"org": "QHM"},
                        kernel_name="python3", progress_bar=False,
                        cwd=str(tmp_path))
    written = sorted(p.relative_to(tmp_path / "processed")
                     for p in (tmp_path / "processed").rglob("*.csv"))
    assert written and all(p.parts[:3] == ("QHM", "2025-26", "tables") for p in written)
    assert not (tmp_path / "processed" / "QK1").exists()
