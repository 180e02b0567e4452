"""Printing the HTML report to PDF with a headless Chromium-family browser."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["BROWSER_NAMES", "find_browser", "print_pdf", "BrowserNotFoundError"]

#: Executables tried in order; ``EDI_BROWSER`` overrides them.
BROWSER_NAMES = (
    "chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome",
    "msedge", "microsoft-edge", "microsoft-edge-stable",
)

_HOW_TO_GET_ONE = (
    "No Chromium-family browser was found, so no PDF was made (the HTML report is complete). "
    "Install one and build again: on Debian/Ubuntu `sudo apt-get install -y chromium`; "
    "elsewhere install Google Chrome or Microsoft Edge, or set EDI_BROWSER to its path. "
    "With Quarto installed, `edi-report build --renderer quarto` makes the PDF with Typst."
)


class BrowserNotFoundError(RuntimeError):
    """No Chromium-family browser is installed."""

    def __init__(self) -> None:
        super().__init__(_HOW_TO_GET_ONE)


def find_browser() -> str | None:
    """Return the path of a Chromium-family browser, or None."""
    override = os.environ.get("EDI_BROWSER")
    if override:
        return shutil.which(override) or (override if Path(override).exists() else None)
    for name in BROWSER_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def print_pdf(html_path: str | Path, pdf_path: str | Path, timeout: int = 180) -> Path:
    """Print an HTML file to PDF with headless Chromium.

    The page's print stylesheet swaps interactive charts for their static PNGs.

    Parameters
    ----------
    html_path, pdf_path : str or Path
        Input HTML and output PDF.
    timeout : int
        Seconds before the browser is stopped.

    Returns
    -------
    Path
        ``pdf_path``.

    Raises
    ------
    BrowserNotFoundError
        If no browser is installed (the message says how to get one).
    RuntimeError
        If the browser fails or writes no PDF.
    """
    browser = find_browser()
    if browser is None:
        raise BrowserNotFoundError()
    html_file = Path(html_path).resolve()
    out = Path(pdf_path).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="edi-chromium-") as profile:
        cmd = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-quic", f"--user-data-dir={profile}",
            "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
            "--virtual-time-budget=15000", f"--print-to-pdf={out}", html_file.as_uri(),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        raise RuntimeError(
            f"{browser} could not print {html_file} to PDF (exit {done.returncode}):\n"
            f"{done.stderr[-2000:]}"
        )
    return out
