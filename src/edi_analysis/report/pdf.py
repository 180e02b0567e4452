"""Printing the HTML report to PDF with a headless Chromium-family browser.

The PDF a board gets has an outline (bookmarks) built by Chromium from the headings, page
numbers on every page (CSS page margin boxes in ``report.css``) and page numbers in its
contents. Chromium cannot number a contents list itself (no CSS ``target-counter``), so the
report is printed, each heading's page is read back from the outline, the numbers are
written into a copy of the page's contents list and the copy is printed again, until the
numbers stand still (the published HTML is not changed).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader

__all__ = [
    "BROWSER_NAMES",
    "BrowserNotFoundError",
    "contents_with_page_numbers",
    "find_browser",
    "outline_pages",
    "print_pdf",
]

_TOC = re.compile(r'(<nav id="TOC"[^>]*>)(.*?)(</nav>)', re.DOTALL)
_TOC_LINK = re.compile(r"(<a\b[^>]*>)(.*?)(</a>)", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
#: Print passes at most (the first, then until the contents' numbers stop moving).
_MAX_PASSES = 4

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


def outline_pages(pdf_path: str | Path) -> list[tuple[str, int]]:
    """Return the PDF's outline as ``(title, page number)`` pairs in reading order.

    Parameters
    ----------
    pdf_path : str or Path
        A PDF, e.g. one printed by :func:`print_pdf`.

    Returns
    -------
    list of (str, int)
        Every outline entry, depth first; page numbers count from 1. Empty if the PDF has
        no outline.
    """
    reader = PdfReader(pdf_path)
    found: list[tuple[str, int]] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((str(item.title), reader.get_destination_page_number(item) + 1))

    walk(reader.outline)
    return found


def _plain(fragment: str) -> str:
    """Text of an HTML fragment with all whitespace removed (for matching titles)."""
    return "".join(html.unescape(_TAG.sub("", fragment)).split())


def contents_with_page_numbers(page_html: str, pages: list[tuple[str, int]]) -> str:
    """Return the report HTML with each contents entry followed by its heading's page.

    Parameters
    ----------
    page_html : str
        The report, whose contents list is ``<nav id="TOC">`` (pandoc's).
    pages : list of (str, int)
        Headings and their pages in reading order, from :func:`outline_pages`.

    Returns
    -------
    str
        The HTML with ``<span class="edi-toc-page">N</span>`` after each contents link whose
        heading was found (matched in order, by text), and any earlier numbers replaced.
    """
    match = _TOC.search(page_html)
    if match is None:
        return page_html
    nav = re.sub(r'<span class="edi-toc-page">\d*</span>', "", match.group(2))
    keys = [(_plain(title), number) for title, number in pages]
    position = 0

    def number(link: re.Match[str]) -> str:
        nonlocal position
        key = _plain(link.group(2))
        for k in range(position, len(keys)):
            if keys[k][0] == key:
                position = k + 1
                return f'{link.group(0)}<span class="edi-toc-page">{keys[k][1]}</span>'
        return link.group(0)

    nav = _TOC_LINK.sub(number, nav)
    return page_html[:match.start(2)] + nav + page_html[match.end(2):]


def _print_once(browser: str, html_file: Path, out: Path, timeout: int) -> None:
    with tempfile.TemporaryDirectory(prefix="edi-chromium-") as profile:
        cmd = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-quic", f"--user-data-dir={profile}",
            "--no-pdf-header-footer", "--generate-pdf-document-outline",
            "--run-all-compositor-stages-before-draw",
            "--virtual-time-budget=15000", f"--print-to-pdf={out}", html_file.as_uri(),
        ]
        if out.exists():
            out.unlink()
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        raise RuntimeError(
            f"{browser} could not print {html_file.name} to PDF (exit {done.returncode}):\n"
            f"{done.stderr[-2000:]}"
        )


def print_pdf(html_path: str | Path, pdf_path: str | Path, timeout: int = 180) -> Path:
    """Print an HTML file to PDF with headless Chromium, with outline and page numbers.

    The page's print stylesheet swaps interactive charts for their static PNGs and puts
    a page number on every page. Chromium builds the outline (bookmarks) from the
    headings. The contents list gets page numbers by printing again (module docstring).

    Parameters
    ----------
    html_path, pdf_path : str or Path
        Input HTML and output PDF.
    timeout : int
        Seconds before the browser is stopped, per print.

    Returns
    -------
    Path
        ``pdf_path``.

    Raises
    ------
    BrowserNotFoundError
        If no browser is installed (the message says how to get one).
    RuntimeError
        If the browser fails or writes no PDF, or the contents' page numbers do not settle.
    """
    browser = find_browser()
    if browser is None:
        raise BrowserNotFoundError()
    html_file = Path(html_path).resolve()
    out = Path(pdf_path).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    _print_once(browser, html_file, out, timeout)
    source = html_file.read_text(encoding="utf-8")
    if _TOC.search(source) is None:
        return out
    pages = outline_pages(out)
    with tempfile.TemporaryDirectory(prefix="edi-print-") as work:
        copy = Path(work) / html_file.name
        for _ in range(_MAX_PASSES - 1):
            copy.write_text(contents_with_page_numbers(source, pages), encoding="utf-8")
            _print_once(browser, copy, out, timeout)
            printed = outline_pages(out)
            if printed == pages:
                return out
            pages = printed
    raise RuntimeError(
        f"The contents' page numbers of {html_file.name} did not settle after "
        f"{_MAX_PASSES} prints."
    )
