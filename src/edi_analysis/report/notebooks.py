"""Reading labelled outputs from executed notebooks (the report's contract).

Every reportable output is a code cell whose source starts with Quarto cell options
(``#| label: tbl-...``, ``#| tbl-cap: ...``). Both renderers, and the tests, find
outputs by these labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import nbformat
import yaml

__all__ = ["LabelledCell", "cell_options", "labelled_cells", "find_cell"]


@dataclass(frozen=True)
class LabelledCell:
    """A labelled code cell of an executed notebook."""

    notebook: Path
    index: int
    label: str
    options: dict
    outputs: tuple

    @property
    def kind(self) -> str:
        """``"table"``, ``"figure"`` or ``"text"``, from the label prefix."""
        if self.label.startswith("tbl-"):
            return "table"
        if self.label.startswith("fig-"):
            return "figure"
        return "text"


def cell_options(source: str) -> dict:
    """Return the Quarto ``#|`` options at the top of a cell's source as a dict.

    Parameters
    ----------
    source : str
        The cell's source code.

    Returns
    -------
    dict
        Parsed YAML of the leading ``#|`` lines (empty if none).

    Raises
    ------
    ValueError
        If the option lines are not valid YAML.
    """
    lines = []
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("#|"):
            lines.append(stripped[2:].removeprefix(" "))
        elif stripped:
            break
    if not lines:
        return {}
    try:
        parsed = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as exc:
        raise ValueError(f"Cell options are not valid YAML:\n{chr(10).join(lines)}") from exc
    return parsed if isinstance(parsed, dict) else {}


@lru_cache(maxsize=32)
def _labelled_cells(path: Path, mtime: float) -> dict[str, LabelledCell]:
    nb = nbformat.read(path, as_version=4)
    cells: dict[str, LabelledCell] = {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        opts = cell_options(cell.source)
        label = opts.get("label")
        if not label:
            continue
        if label in cells:
            raise ValueError(f"{path}: label {label!r} is used by two cells.")
        cells[label] = LabelledCell(path, i, str(label), opts, tuple(cell.get("outputs", [])))
    return cells


def labelled_cells(path: str | Path) -> dict[str, LabelledCell]:
    """Return every labelled code cell of a notebook, keyed by label.

    Raises
    ------
    FileNotFoundError
        If the notebook does not exist.
    ValueError
        If two cells share a label.
    """
    p = Path(path).resolve()
    if not p.exists():
        raise FileNotFoundError(f"Notebook not found: {p}")
    return _labelled_cells(p, p.stat().st_mtime)


def find_cell(path: str | Path, label: str) -> LabelledCell:
    """Return the cell labelled ``label`` in notebook ``path``.

    Raises
    ------
    KeyError
        If no cell has that label (the message lists the labels that exist).
    """
    cells = labelled_cells(path)
    if label not in cells:
        known = ", ".join(sorted(cells)) or "none"
        raise KeyError(f"No cell labelled {label!r} in {path}. Labels there: {known}")
    return cells[label]
