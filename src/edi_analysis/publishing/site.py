"""``edi-report publish``: a static site of built reports, ready to copy to a web server.

The site holds, for every report built under the source folder
(``<org>/<period>/report.html``, the layout ``edi-report build`` writes)::

    index.html                      organisations and periods, with links
    assets/plotly-<hash>.min.js     one plotly.js shared by every page
    <org>/<period>/report.html      the report (plotly.js from ../../assets/)
    <org>/<period>/report.pdf
    <org>/<period>/edi-report-<org>-<period>.xlsx
    <org>/<period>/tables/*.csv     the published tables, as built
    <org>/<period>/run.yml          the public run file

Files are copied as built, never recomputed: the CSV files and the spreadsheet are the
ones the disclosure audit passed. The site is assembled in a staging folder beside
``out`` and swapped in by renames, so a half-written site never replaces a good one.
Pages make no external requests.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from edi_analysis.publishing.page import (
    PLOTLY_MARKER,
    plotly_asset_name,
    use_inline_plotly,
    use_shared_plotly,
)

__all__ = [
    "PublishError",
    "SiteReport",
    "SiteResult",
    "find_reports",
    "index_page",
    "publish_site",
]

_PERIOD = re.compile(r"^\d{4}-\d{2}$")
_ORG = re.compile(r"^[A-Za-z0-9]{2,10}$")
_SHARED_SRC = re.compile(rf'<script {PLOTLY_MARKER}="" src="(?P<src>[^"]*)"></script>')
_PLOTLY_HEADER = "* plotly.js v"
#: Files of a report folder that the site carries (besides report.html and tables/).
COPIED = ("report.pdf", "run.yml")


class PublishError(RuntimeError):
    """The source folder holds no report, or a report cannot be published."""


@dataclass(frozen=True)
class SiteReport:
    """One built report found under the source folder."""

    org: str
    org_name: str
    period: str
    folder: Path


@dataclass
class SiteResult:
    """What :func:`publish_site` wrote."""

    site: Path
    reports: list[SiteReport]
    page_bytes: dict[str, int] = field(default_factory=dict)
    total_bytes: int = 0


def _org_name(folder: Path, org: str) -> str:
    run = folder / "run.yml"
    if run.exists():
        data = yaml.safe_load(run.read_text(encoding="utf-8")) or {}
        if isinstance(data, dict) and data.get("org_name"):
            return str(data["org_name"])
    return org


def find_reports(source: str | Path) -> list[SiteReport]:
    """Return the built reports under ``source`` (``<org>/<period>/report.html``).

    Parameters
    ----------
    source : str or Path
        Folder of built reports, e.g. the project's ``output/``.

    Returns
    -------
    list of SiteReport
        Sorted by organisation name, then period (newest first).

    Raises
    ------
    PublishError
        If ``source`` is not a folder or holds no built report.
    """
    root = Path(source)
    if not root.is_dir():
        raise PublishError(f"No folder of built reports at {root}")
    found = []
    for org_dir in sorted(p for p in root.iterdir() if p.is_dir() and _ORG.match(p.name)):
        for period_dir in sorted(p for p in org_dir.iterdir()
                                 if p.is_dir() and _PERIOD.match(p.name)):
            if (period_dir / "report.html").is_file():
                found.append(SiteReport(org_dir.name, _org_name(period_dir, org_dir.name),
                                        period_dir.name, period_dir))
    if not found:
        raise PublishError(f"No built report under {root} (expected <org>/<period>/"
                           "report.html, as edi-report build writes)")
    by_period = sorted(found, key=lambda r: r.period, reverse=True)
    return sorted(by_period, key=lambda r: r.org_name.lower())


def _plotly_of(page: str, folder: Path) -> str | None:
    """The plotly.js a page uses: inline in it, or the file its script element loads."""
    match = _SHARED_SRC.search(page)
    if match:
        path = (folder / match.group("src")).resolve()
        if not path.is_file() or not path.is_relative_to(folder.resolve()):
            raise PublishError(f"{folder / 'report.html'} loads plotly.js from "
                               f"{match.group('src')}, which is not in its folder")
        return path.read_text(encoding="utf-8")
    at = page.find(_PLOTLY_HEADER)
    if at < 0:
        return None
    start = page.rfind("<script", 0, at)
    body = page.index(">", start) + 1
    end = page.index("</script>", at)
    return page[body:end]


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{max(n // 1000, 1)} KB"


_INDEX_CSS = """
:root { color: #212b32; background: #fff; font: 1.0625rem/1.5 Arial, Helvetica, sans-serif; }
body { margin: 0; }
.skip { position: absolute; left: -999em; }
.skip:focus { left: 1rem; top: 1rem; padding: .5rem; }
header { background: #005eb8; color: #fff; padding: 1.5rem 1rem; }
header p { margin: .25rem 0 0; }
main, footer { max-width: 64rem; margin: 0 auto; padding: 1rem; }
h1 { margin: 0; font-size: 2rem; line-height: 1.2; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: bold; font-size: 1.25rem; padding: .5rem 0; }
th, td { text-align: left; vertical-align: top; padding: .5rem; border-bottom: 1px solid #768692; }
thead th { border-bottom: 2px solid #212b32; }
td.period { white-space: nowrap; }
a { color: #005eb8; text-decoration: underline; }
a:visited { color: #330072; }
a:hover { color: #7c2855; text-decoration-thickness: 3px; }
a:focus { outline: 3px solid transparent; background: #ffeb3b; color: #212b32;
  box-shadow: 0 -2px #ffeb3b, 0 4px #212b32; text-decoration: none; }
ul { margin: 0; padding-left: 1.25rem; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; margin: -1px;
  padding: 0; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); border: 0;
  white-space: nowrap; }
footer { border-top: 1px solid #768692; font-size: .9375rem; }
"""


def index_page(rows: list[dict[str, str | int | None]], title: str) -> str:
    """Return the site's index page: one table of organisations, periods and downloads.

    Parameters
    ----------
    rows : list of dict
        One per report: ``org``, ``org_name``, ``period``, ``html_bytes``, ``pdf_bytes``
        (None: no PDF), ``spreadsheet`` (file name or None), ``spreadsheet_bytes``,
        ``tables`` (number of CSV files).
    title : str
        Title of the site (the page's ``<h1>`` and ``<title>``).

    Returns
    -------
    str
        A self-contained HTML page (no scripts, no external requests) meant to meet WCAG
        2.2 AA: language, landmarks, a skip link, one ``<h1>``, a captioned table with
        row and column headers, link text that names its report, visible focus, text
        contrast of at least 4.5:1.
    """
    body = []
    for r in rows:
        folder = f"{r['org']}/{r['period']}"
        about = html.escape(f" for {r['org_name']}, {r['period']}")
        links = [f'<li><a href="{folder}/report.html">Web page<span class="visually-hidden">'
                 f'{about}</span></a> (HTML, {_size(int(r["html_bytes"]))})</li>']
        if r.get("pdf_bytes"):
            links.append(f'<li><a href="{folder}/report.pdf">PDF<span class="visually-hidden">'
                         f'{about}</span></a> ({_size(int(r["pdf_bytes"]))})</li>')
        data = []
        if r.get("spreadsheet"):
            data.append(f'<li><a href="{folder}/{html.escape(str(r["spreadsheet"]))}">'
                        f'Spreadsheet of all tables<span class="visually-hidden">{about}'
                        f'</span></a> (XLSX, {_size(int(r["spreadsheet_bytes"] or 0))})</li>')
        if r.get("tables"):
            data.append(f'<li><a href="{folder}/report.html#sec-downloads">{r["tables"]} '
                        f'tables as CSV files<span class="visually-hidden">{about}</span>'
                        "</a> (listed in the report)</li>")
        body.append(
            f'<tr><th scope="row">{html.escape(str(r["org_name"]))} '
            f'({html.escape(str(r["org"]))})</th><td class="period">{html.escape(str(r["period"]))}'
            "</td>"
            f'<td><ul>{"".join(links)}</ul></td>'
            f'<td>{"<ul>" + "".join(data) + "</ul>" if data else "None"}</td></tr>')
    count = len(rows)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{_INDEX_CSS}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the list of reports</a>
<header>
<h1>{html.escape(title)}</h1>
<p>Annual reports on the Public Sector Equality Duty (Equality Act 2010, section 149).</p>
</header>
<main id="main" tabindex="-1">
<p>Each report is published as a web page and as a PDF. Every table in it can be downloaded
as a CSV file and all of them in one spreadsheet; small numbers are hidden so that no person
can be identified.</p>
<table>
<caption>{count} report{"s" if count != 1 else ""} by organisation and period</caption>
<thead><tr><th scope="col">Organisation</th><th scope="col">Period</th>
<th scope="col">Report</th><th scope="col">Data</th></tr></thead>
<tbody>
{chr(10).join(body)}
</tbody>
</table>
</main>
<footer>
<p>Produced with edi-report, open-source software. Contains public sector information
licensed under the Open Government Licence v3.0.</p>
</footer>
</body>
</html>
"""


def _copy_report(report: SiteReport, dest: Path, assets: Path,
                 self_contained: bool) -> dict[str, str | int | None]:
    """Copy one report into the site; return its row of the index."""
    dest.mkdir(parents=True)
    page = (report.folder / "report.html").read_text(encoding="utf-8")
    js = _plotly_of(page, report.folder)
    if js is not None:
        if self_contained:
            page = use_inline_plotly(page, js)
        else:
            name = plotly_asset_name(js)
            if not (assets / name).exists():
                assets.mkdir(exist_ok=True)
                (assets / name).write_text(js, encoding="utf-8")
            page = use_shared_plotly(page, f"../../assets/{name}", js)
    (dest / "report.html").write_text(page, encoding="utf-8")
    for name in COPIED:
        if (report.folder / name).is_file():
            shutil.copy2(report.folder / name, dest / name)
    sheets = sorted(report.folder.glob("edi-report-*.xlsx"))
    for sheet in sheets:
        shutil.copy2(sheet, dest / sheet.name)
    tables = report.folder / "tables"
    n_tables = 0
    if tables.is_dir():
        shutil.copytree(tables, dest / "tables")
        n_tables = len(list(tables.glob("*.csv")))
    pdf = dest / "report.pdf"
    return {
        "org": report.org, "org_name": report.org_name, "period": report.period,
        "html_bytes": (dest / "report.html").stat().st_size,
        "pdf_bytes": pdf.stat().st_size if pdf.exists() else None,
        "spreadsheet": sheets[0].name if sheets else None,
        "spreadsheet_bytes": sheets[0].stat().st_size if sheets else None,
        "tables": n_tables,
    }


def _swap(new: Path, final: Path) -> None:
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        final.rename(old)
    new.rename(final)
    if old.exists():
        shutil.rmtree(old)


def publish_site(source: str | Path, out: str | Path, *, self_contained: bool = False,
                 title: str = "Equality, Diversity and Inclusion annual reports") -> SiteResult:
    """Assemble a static site of every report built under ``source``.

    Parameters
    ----------
    source : str or Path
        Folder of built reports (``<org>/<period>/``), e.g. the project's ``output/``.
    out : str or Path
        The site folder (replaced as a whole when everything has been written).
    self_contained : bool, default False
        Put plotly.js inside every page (each page then works alone, about 5 MB more
        each) instead of one shared ``assets/plotly-<hash>.min.js``.
    title : str
        Title of the index page.

    Returns
    -------
    SiteResult

    Raises
    ------
    PublishError
        If ``source`` holds no built report, or ``out`` is ``source`` or inside it.
    """
    src = Path(source).resolve()
    site = Path(out).resolve()
    if site == src or site.is_relative_to(src) or src.is_relative_to(site):
        raise PublishError(f"The site ({site}) must be outside the built reports ({src}), "
                           "and not contain them")
    reports = find_reports(src)
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.staging-", dir=site.parent))
    try:
        rows = [_copy_report(r, staging / r.org / r.period, staging / "assets", self_contained)
                for r in reports]
        (staging / "index.html").write_text(index_page(rows, title), encoding="utf-8")
        staging.chmod(0o755)
        _swap(staging, site)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    pages = {str(p.relative_to(site)): p.stat().st_size for p in sorted(site.rglob("*.html"))}
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return SiteResult(site, reports, pages, total)
