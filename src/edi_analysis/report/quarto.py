"""Rendering the report with real Quarto, when it is installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

__all__ = ["quarto_path", "render_with_quarto"]


def quarto_path() -> str | None:
    """Return the ``quarto`` executable on PATH, or None."""
    return shutil.which("quarto")


def render_with_quarto(build_dir: str | Path, formats: tuple[str, ...] = ("html", "typst"),
                       timeout: int = 900) -> dict[str, Path]:
    """Run ``quarto render report.qmd --to FORMAT`` in a build folder.

    Quarto embeds the outputs of the executed notebooks by label; it does not execute
    them again.

    Parameters
    ----------
    build_dir : str or Path
        A build folder holding ``report.qmd``, ``_quarto.yml`` and ``notebooks/``.
    formats : tuple of str
        Quarto output formats (``html``, ``typst``; ``pdf`` needs a LaTeX install).
    timeout : int
        Seconds allowed per format.

    Returns
    -------
    dict
        Format to the file written (``report.html``, ``report.pdf``).

    Raises
    ------
    RuntimeError
        If Quarto is missing or a render fails (with Quarto's own message).
    """
    exe = quarto_path()
    if exe is None:
        raise RuntimeError("Quarto is not on PATH; use the embedded renderer instead.")
    build = Path(build_dir)
    written: dict[str, Path] = {}
    for fmt in formats:
        done = subprocess.run(
            [exe, "render", "report.qmd", "--to", fmt], cwd=build, capture_output=True,
            text=True, timeout=timeout, check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"quarto render --to {fmt} failed:\n{done.stderr[-4000:]}")
        suffix = ".html" if fmt == "html" else ".pdf"
        candidates = [build / "_output" / f"report{suffix}", build / f"report{suffix}"]
        found = next((p for p in candidates if p.exists()), None)
        if found is None:
            raise RuntimeError(f"quarto render --to {fmt} wrote no report{suffix}")
        written[fmt] = found
    return written
