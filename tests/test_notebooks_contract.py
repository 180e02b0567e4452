"""The contract between report.qmd, the chapters and the notebooks.

Every label the report embeds must exist in the notebooks; notebooks are thin (a tagged
parameters cell, package calls, no logic) and committed without outputs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from edi_analysis.paths import project_root
from edi_analysis.pipeline import NOTEBOOKS
from edi_analysis.report.notebooks import cell_options, labelled_cells
from edi_analysis.report.qmd import embed_targets, read_document

ROOT = project_root()
LOGIC = (
    ast.FunctionDef,
    ast.Lambda,
    ast.ClassDef,
    ast.For,
    ast.While,
    ast.ListComp,
    ast.DictComp,
    ast.SetComp,
    ast.GeneratorExp,
)
NOTEBOOK_PATHS = [ROOT / "notebooks" / f"{name}.ipynb" for name in NOTEBOOKS]


def test_every_label_the_report_embeds_exists_in_the_notebooks() -> None:
    doc = read_document(ROOT / "report.qmd")
    targets = embed_targets(doc.body)
    assert targets, "report.qmd embeds nothing"
    missing = [f"{nb}#{label}" for nb, label in targets if label not in labelled_cells(ROOT / nb)]
    assert missing == []


def test_every_chapter_is_included_and_every_notebook_embedded() -> None:
    doc = read_document(ROOT / "report.qmd")
    embedded = {Path(nb).stem for nb, _ in embed_targets(doc.body)}
    assert embedded == set(NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    with_outputs = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.outputs or c.execution_count)
    ]
    assert with_outputs == []


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_notebook_has_one_parameters_cell_with_literal_defaults(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    tree = ast.parse(tagged[0].source)
    for node in tree.body:
        assert isinstance(node, ast.Assign), "only assignments in the parameters cell"
        ast.literal_eval(node.value)  # nothing derived: papermill replaces this cell
    names = {t.id for n in tree.body for t in n.targets}
    assert {"org", "period", "data_dir", "output_dir"} <= names


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_notebook_holds_no_logic(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, LOGIC), f"logic in {path.name}:\n{cell.source}"
            if isinstance(node, ast.Attribute):
                assert node.attr not in {"groupby", "pivot_table", "apply", "merge"}, (
                    f"{node.attr} in {path.name}: move it into the package"
                )


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_reportable_cells_have_captions_and_alt_text(path: Path) -> None:
    for label, cell in labelled_cells(path).items():
        if label.startswith("tbl-"):
            assert cell.options.get("tbl-cap"), f"{path.name}#{label} has no tbl-cap"
        if label.startswith("fig-"):
            assert cell.options.get("fig-cap"), f"{path.name}#{label} has no fig-cap"
            assert cell.options.get("fig-alt"), f"{path.name}#{label} has no fig-alt"


def test_labels_are_unique_across_notebooks() -> None:
    seen: dict[str, str] = {}
    for path in NOTEBOOK_PATHS:
        for label in labelled_cells(path):
            assert label not in seen, f"{label} in {path.name} and {seen[label]}"
            seen[label] = path.name


def test_cell_options_parser_matches_quarto_yaml() -> None:
    assert cell_options("#| fig-alt: 'A: b'\n#| label: fig-x\nx") == {
        "fig-alt": "A: b",
        "label": "fig-x",
    }
