"""Where the project's data lives.

The reference data in ``data/raw/`` ships with the repository. Its location can be
overridden with the ``EDI_RAW_DATA`` environment variable (e.g. for an installed,
non-editable copy of the package).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = [
    "project_root",
    "public_run_file_text",
    "raw_data_dir",
    "processed_data_dir",
    "tables_dir",
]


def project_root() -> Path:
    """Return the repository root (the folder holding ``pyproject.toml``)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists() and (parent / "data").is_dir():
            return parent
    return Path.cwd()


def raw_data_dir() -> Path:
    """Return the folder of shipped reference data (Census 2021, IMD, lookups)."""
    env = os.environ.get("EDI_RAW_DATA")
    return Path(env) if env else project_root() / "data" / "raw"


def processed_data_dir() -> Path:
    """Return the folder where published tables are written, per org and period."""
    env = os.environ.get("EDI_PROCESSED_DATA")
    return Path(env) if env else project_root() / "data" / "processed"


def tables_dir(org: object, period: str, output_dir: str | Path | None = None) -> Path:
    """Return the folder a notebook writes its published tables (CSV) to.

    The folder is resolved once, from the organisation the notebook has already
    resolved, and passed down to every writer: a notebook run with another ``org``
    never writes into the default organisation's folder.

    Parameters
    ----------
    org : Organisation or str
        The resolved organisation (:func:`edi_analysis.geography.resolve_org`; its NHS
        code names the folder) or that code itself (e.g. ``QHM``).
    period : str
        The report's period (``YYYY-YY``).
    output_dir : str or Path, optional
        The run's output folder. ``edi-report build`` passes the report's staging folder,
        so the tables are published beside the report. None (a notebook run
        interactively) means the working folder ``data/processed/<org>/<period>/``,
        which no published report reads.

    Returns
    -------
    Path
        ``<output_dir>/tables``.

    Raises
    ------
    ValueError
        If ``org`` is given as an empty code.
    """
    if output_dir:
        return Path(output_dir) / "tables"
    code = str(getattr(org, "nhs_code", org) or "").strip()
    if not code:
        raise ValueError("tables_dir: give the organisation (or its NHS code), not an empty one")
    return processed_data_dir() / code / period / "tables"


def public_run_file_text(text: str) -> str:
    """Return a run file's text with the building machine's folders taken out.

    A path under the project is given relative to it (``output/QK1/2025-26``, which
    ``edi-report build --run-file`` reads from the project folder); any other absolute
    path becomes ``<local folder>``. Used for every published copy of the run file
    (beside the report, and in its methods section): the public gets no local paths.
    """
    root = str(project_root()).rstrip("/") + "/"

    def public(match: re.Match) -> str:
        path = match.group(2).strip("'\"")
        shown = path[len(root):] if path.startswith(root) else "<local folder>"
        return f"{match.group(1)}{shown}"

    return re.sub(r"(:\s*)(['\"]?/[^\s'\"]*['\"]?)", public, text)
