"""Where the project's data lives.

The reference data in ``data/raw/`` ships with the repository. Its location can be
overridden with the ``EDI_RAW_DATA`` environment variable (e.g. for an installed,
non-editable copy of the package).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["project_root", "public_run_file_text", "raw_data_dir", "processed_data_dir"]


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
