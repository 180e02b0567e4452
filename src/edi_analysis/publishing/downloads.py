"""The report's data downloads: which files, under which titles, in which section.

Every published table of a report is a CSV file in the report's ``tables/`` folder,
exactly as the disclosure control and the audit left it; the spreadsheet carries the
same cells. The report links to them from a "Data downloads" section that the build
writes into the run's build folder (``chapters/_downloads.qmd``), so Quarto and the
embedded renderer include the same Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CHAPTERS",
    "DOWNLOADS_CHAPTER",
    "PublishedTable",
    "downloads_markdown",
    "published_tables",
    "spreadsheet_name",
    "table_title",
]

#: The report chapter each table belongs to, by the start of its file name.
CHAPTERS: tuple[tuple[str, str], ...] = (
    ("workforce_", "Workforce"),
    ("wres_", "Workforce"),
    ("wdes_", "Workforce"),
    ("gpg_", "Workforce"),
    ("staff_survey_", "NHS Staff Survey"),
    ("maternity_", "Maternity and service inequalities"),
    ("population_", "Maternity and service inequalities"),
    ("service_", "Maternity and service inequalities"),
    ("synthetic_service_", "Maternity and service inequalities"),
)
#: Where the build writes the section (relative to the build folder).
DOWNLOADS_CHAPTER = Path("chapters") / "_downloads.qmd"
_WORDS = {"wres": "WRES", "wdes": "WDES", "gpg": "Gender pay gap", "imd": "IMD",
          "emcs": "EMCS", "pct": "per cent", "bme": "BME"}


@dataclass(frozen=True)
class PublishedTable:
    """One published table of a report.

    Attributes
    ----------
    name : str
        File stem, e.g. ``workforce_headcount``.
    title : str
        Readable title, e.g. ``Workforce headcount``.
    chapter : str
        Report chapter the table belongs to.
    path : Path
        The CSV file.
    """

    name: str
    title: str
    chapter: str
    path: Path


def table_title(name: str) -> str:
    """Return a readable title for a table file name.

    Examples
    --------
    >>> table_title("wres_indicator_1")
    'WRES indicator 1'
    >>> table_title("maternity_stillbirth_by_imd_quintile")
    'Maternity stillbirth by IMD quintile'
    """
    words = [_WORDS.get(w, w) for w in name.replace("-", "_").split("_") if w]
    if not words:
        raise ValueError("table_title: empty table name")
    first = words[0]
    words[0] = first if first[:1].isupper() else first[:1].upper() + first[1:]
    return " ".join(words)


def _chapter(name: str) -> str:
    return next((title for prefix, title in CHAPTERS if name.startswith(prefix)),
                "Other tables")


def published_tables(tables_dir: str | Path) -> list[PublishedTable]:
    """Return the report's published tables, in chapter order then by name.

    Parameters
    ----------
    tables_dir : str or Path
        The report's ``tables/`` folder (missing: no tables).

    Returns
    -------
    list of PublishedTable
    """
    folder = Path(tables_dir)
    if not folder.is_dir():
        return []
    order = {title: i for i, (_, title) in enumerate(CHAPTERS)}
    found = [PublishedTable(p.stem, table_title(p.stem), _chapter(p.stem), p)
             for p in folder.glob("*.csv")]
    return sorted(found, key=lambda t: (order.get(t.chapter, len(order)), t.name))


def spreadsheet_name(org: str, period: str, suffix: str = "xlsx") -> str:
    """Return the file name of a report's spreadsheet, e.g. ``edi-report-QK1-2025-26.xlsx``."""
    return f"edi-report-{org}-{period}.{suffix}"


def downloads_markdown(tables: list[PublishedTable], spreadsheet: str | None) -> str:
    """Return the "Data downloads" section of the report (Markdown, relative links).

    Parameters
    ----------
    tables : list of PublishedTable
        The report's published tables (:func:`published_tables`).
    spreadsheet : str or None
        File name of the report's spreadsheet, beside the report; None if there is none.

    Returns
    -------
    str
        A level-1 section ``{#sec-downloads}``; empty when there is nothing to download.
    """
    if not tables:
        return ""
    lines = [
        "# Data downloads {#sec-downloads}",
        "",
        "Every table behind this report can be downloaded. The figures are the published "
        "ones: small numbers are hidden and every figure is rounded exactly as in the "
        "report (the methods section explains how); a symbol column beside a figure says "
        "why a cell is empty.",
        "",
    ]
    if spreadsheet:
        lines += [f"- [All {len(tables)} tables in one spreadsheet ({spreadsheet})]"
                  f"({spreadsheet}), with a cover sheet, contents and notes", ""]
    chapter = None
    for table in tables:
        if table.chapter != chapter:
            chapter = table.chapter
            slug = "-".join(chapter.lower().split())
            lines += ["", f"## {chapter}: CSV files {{#downloads-{slug} .unnumbered .unlisted}}",
                      ""]
        lines.append(f"- [{table.title}](tables/{table.name}.csv)")
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"
