"""One spreadsheet per report, laid out as the Analysis Function's guidance asks.

The guidance "Releasing statistics in spreadsheets" (Government Analysis Function,
2021) and its checklist "Making spreadsheets accessible" ask for: a cover sheet, a
contents sheet and a notes sheet; one table per worksheet, its title in cell A1 and the
table starting in column A; tables marked up as tables with one header row of unique
names; no merged cells, no blank rows or columns inside a table; no meaning carried by
colour or formatting alone; symbols explained in notes. Numbers are stored as numbers.

The workbook is built only from the report's published CSV files (the tables the
disclosure control protected and the audit read) and carries exactly their cells: a
number keeps the decimals it is published with, a symbol stays a symbol, a blank stays
blank. :func:`check_spreadsheet` reads a workbook back and proves it.

References
----------
Government Analysis Function, "Releasing statistics in spreadsheets" and "Making
spreadsheets accessible: a brief checklist of the basics" (policy store, 2021);
"Using symbols and shorthand in tables" (2022).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.writer.excel import ExcelWriter

from edi_analysis.publishing.downloads import PublishedTable

__all__ = [
    "SpreadsheetInfo",
    "SpreadsheetMismatchError",
    "check_spreadsheet",
    "read_csv_cells",
    "sheet_name",
    "write_spreadsheet",
]

_NUMBER = re.compile(r"^-?(?:0|[1-9]\d*)(?:\.(?P<decimals>\d+))?$")
_CELL_REF = re.compile(r"^[A-Za-z]{1,3}\d+$|^[Rr]\d*[Cc]\d*$")
_NOT_RECORDED = "–"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_TITLE = Font(bold=True, size=16)
_WRAP = Alignment(wrap_text=True, vertical="top")


class SpreadsheetMismatchError(ValueError):
    """A workbook's table differs from the published CSV it was made from."""


@dataclass(frozen=True)
class SpreadsheetInfo:
    """What the cover and notes sheets say about a report.

    Attributes
    ----------
    org_name : str
        The organisation's name.
    org : str
        Its NHS code.
    period : str
        Reporting year, e.g. ``2025-26``.
    data_notice : str
        The report's sentence on where its figures come from (synthetic or own data).
    policy_keys : sequence of (str, str)
        ``(tables it applies to, key text)`` of each disclosure policy in the report:
        the sentence printed under the report's tables saying what each symbol means.
        Tables are named by the start of their file name (``staff_survey_``) or ``*``
        (every table no other entry names).
    """

    org_name: str
    org: str
    period: str
    data_notice: str = ""
    policy_keys: Sequence[tuple[str, str]] = field(default_factory=tuple)


def sheet_name(index: int) -> str:
    """Return the worksheet name of the ``index``-th table (1-based): ``Table_1``."""
    if index < 1:
        raise ValueError(f"sheet_name: index starts at 1, got {index}")
    return f"Table_{index}"


def read_csv_cells(path: str | Path) -> tuple[list[str], list[list[str]]]:
    """Return the header and rows of a published CSV file as the text it holds."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        raise ValueError(f"{Path(path).name}: empty CSV file (no header row)")
    return rows[0], rows[1:]


def _value(text: str) -> tuple[object, str | None]:
    """A CSV cell as a spreadsheet value and number format (None: text or blank)."""
    if text == "":
        return None, None
    match = _NUMBER.match(text)
    if match is None or float(text) == 0 and text.startswith("-"):
        return text, None  # a published "-0.0" cannot be shown by a number
    decimals = match.group("decimals")
    if decimals is None:
        return int(text), "0"
    return float(text), "0." + "0" * len(decimals)


def _shown(value: object, number_format: str | None) -> str:
    """The text a spreadsheet cell shows (the inverse of :func:`_value`)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    decimals = len(number_format.partition(".")[2]) if number_format else 0
    return f"{value:.{decimals}f}"


def _table_name(name: str, used: set[str]) -> str:
    clean = re.sub(r"[^A-Za-z0-9_]", "_", name)
    if not clean[:1].isalpha() or _CELL_REF.match(clean):
        clean = f"table_{clean}"
    candidate, n = clean[:250], 2
    while candidate.lower() in used:
        candidate, n = f"{clean[:245]}_{n}", n + 1
    used.add(candidate.lower())
    return candidate


def _notes_of(table: PublishedTable, header: list[str], rows: list[list[str]],
              keys: Sequence[tuple[str, str]]) -> list[str]:
    """Note ids (``note 1`` ...) that apply to a table, in notes-sheet order."""
    symbols = any(cell and (("symbol" in col) or cell.startswith("<") or cell == "*")
                  for row in rows for col, cell in zip(header, row, strict=False))
    notes = []
    if symbols:
        for i, (applies_to, _) in enumerate(keys, start=1):
            if _policy_applies(applies_to, table.name):
                notes.append(f"note {i}")
    n = len(keys)
    if any(cell == "" for row in rows for cell in row):
        notes.append(f"note {n + 1}")
    if any(cell == _NOT_RECORDED for row in rows for cell in row):
        notes.append(f"note {n + 2}")
    return notes


def _policy_applies(applies_to: str, name: str) -> bool:
    if applies_to == "*":
        return not name.startswith("staff_survey_")
    return name.startswith(applies_to)


def _note_texts(keys: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    texts = []
    for i, (applies_to, key) in enumerate(keys, start=1):
        where = ("Symbols in the staff survey tables" if applies_to == "staff_survey_"
                 else "Symbols in the other tables" if len(keys) > 1 else "Symbols")
        texts.append((f"[note {i}]", f"{where}: {key}"))
    n = len(keys)
    texts.append((f"[note {n + 1}]", "A blank cell holds no published figure: either the "
                  "figure is hidden (the symbol column beside it, such as symbol or "
                  "count_symbol, shows why) or it does not apply (for example a ratio "
                  "of the reference group to itself, or a change with no earlier "
                  "figure)."))
    texts.append((f"[note {n + 2}]", f"{_NOT_RECORDED} means no figure exists: NHS staff "
                  "records do not hold that category, so only the Census figure is shown."))
    return texts


def _write_lines(ws, lines: Sequence[str], title: str) -> int:
    ws.cell(row=1, column=1, value=title).font = _TITLE
    for i, line in enumerate(lines, start=2):
        ws.cell(row=i, column=1, value=line)
    return len(lines) + 2


def _write_table(ws, start_row: int, header: list[str], rows: list[list[object]],
                 formats: list[list[str | None]] | None, name: str, used: set[str]) -> None:
    for j, col in enumerate(header, start=1):
        cell = ws.cell(row=start_row, column=j, value=col)
        cell.alignment = _WRAP
    for i, row in enumerate(rows, start=start_row + 1):
        for j, value in enumerate(row, start=1):
            cell = ws.cell(row=i, column=j, value=value)
            fmt = formats[i - start_row - 1][j - 1] if formats else None
            if fmt:
                cell.number_format = fmt
    widths = [len(str(h)) for h in header]
    for row in rows:
        for j, value in enumerate(row):
            widths[j] = max(widths[j], len(str(value)) if value is not None else 0)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 10), 60)
    end = f"{get_column_letter(len(header))}{start_row + max(len(rows), 1)}"
    table = Table(displayName=_table_name(name, used), ref=f"A{start_row}:{end}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False,
                                          showColumnStripes=False)
    ws.add_table(table)


def _build(tables: Sequence[PublishedTable], info: SpreadsheetInfo) -> Workbook:
    wb = Workbook()
    cover = wb.active
    cover.title = "Cover"
    contents = wb.create_sheet("Contents")
    notes = wb.create_sheet("Notes")
    keys = list(info.policy_keys)
    used: set[str] = set()

    cover_lines = [
        f"{info.org_name}, {info.period}",
        "This spreadsheet holds every table published with the organisation's Equality, "
        "Diversity and Inclusion annual report, one table per worksheet.",
        "The figures are exactly the published ones: small numbers are hidden and "
        "figures are rounded as in the report. The same tables are published as CSV "
        "files beside the report.",
    ]
    if info.data_notice:
        cover_lines.append(info.data_notice)
    cover_lines += [
        f"Contents: the Contents worksheet lists the {len(tables)} tables.",
        "Notes: the Notes worksheet explains the symbols and the blank cells; each table "
        "says which notes apply to it.",
        "Methods: the report's 'Data sources and methods' section says how every figure "
        "was computed and protected.",
        "Produced by edi-report, open-source software, from the organisation's records, "
        "Census 2021 (Office for National Statistics) and the English Indices of "
        "Deprivation (Ministry of Housing, Communities and Local Government).",
        "Contains public sector information licensed under the Open Government Licence "
        "v3.0.",
    ]
    _write_lines(cover, cover_lines,
                 "Equality, Diversity and Inclusion annual report: data tables")
    cover.column_dimensions["A"].width = 120

    contents_rows: list[list[object]] = []
    for i, table in enumerate(tables, start=1):
        header, rows = read_csv_cells(table.path)
        values = [[_value(c)[0] for c in row] for row in rows]
        formats = [[_value(c)[1] for c in row] for row in rows]
        applied = _notes_of(table, header, rows, keys)
        ws = wb.create_sheet(sheet_name(i))
        statement = ("Notes that apply to this table: " + ", ".join(f"[{n}]" for n in applied)
                     + " (see the Notes worksheet)." if applied
                     else "No notes apply to this table.")
        start = _write_lines(ws, [
            "This worksheet contains one table.",
            f"Chapter of the report: {table.chapter}.",
            statement,
            f"The same table is published as the CSV file tables/{table.name}.csv.",
            f"Source: {info.org_name}, {info.period}, Equality, Diversity and Inclusion "
            "annual report.",
        ], f"Table {i}: {table.title}")
        if rows:
            _write_table(ws, start, header, values, formats, table.name, used)
        else:
            ws.cell(row=start, column=1, value="This table has no rows.")
        contents_rows.append([sheet_name(i), table.title, table.chapter,
                              f"tables/{table.name}.csv",
                              ", ".join(f"[{n}]" for n in applied) or "None"])

    start = _write_lines(contents, [
        "This worksheet contains one table. Each worksheet name links to its worksheet."],
        "Contents")
    _write_table(contents, start, ["Worksheet name", "Table title", "Chapter", "CSV file",
                                   "Notes"], contents_rows, None, "contents", used)
    for i in range(len(contents_rows)):
        cell = contents.cell(row=start + 1 + i, column=1)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{cell.value}'!A1",
                                   display=str(cell.value))
        cell.font = Font(underline="single")

    start = _write_lines(notes, [
        "This worksheet contains one table. Each table's worksheet lists the notes that "
        "apply to it."], "Notes")
    _write_table(notes, start, ["Note number", "Note text"],
                 [list(t) for t in _note_texts(keys)], None, "notes", used)
    notes.column_dimensions["B"].width = 100
    for row in notes.iter_rows(min_row=start + 1, min_col=2, max_col=2):
        row[0].alignment = _WRAP
    return wb


class _FixedTimeZip(zipfile.ZipFile):
    """A zip archive whose members all carry one fixed time (byte-stable output)."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=_FIXED_TIME)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
            zinfo_or_arcname.external_attr = 0o600 << 16
        return super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        data = Path(filename).read_bytes()
        return self.writestr(arcname or Path(filename).name, data)


def _stamp() -> dt.datetime:
    """Document time: ``SOURCE_DATE_EPOCH`` when set, else a fixed time (byte-stable)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).replace(tzinfo=None)
    return dt.datetime(*_FIXED_TIME)


def write_spreadsheet(tables: Sequence[PublishedTable], info: SpreadsheetInfo,
                      path: str | Path) -> Path:
    """Write the report's published tables as one accessible spreadsheet (xlsx).

    Parameters
    ----------
    tables : sequence of PublishedTable
        The report's published CSV files
        (:func:`edi_analysis.publishing.downloads.published_tables`), in report order.
    info : SpreadsheetInfo
        Organisation, period and the symbols' meanings for the cover and notes sheets.
    path : str or Path
        The ``.xlsx`` file to write.

    Returns
    -------
    Path
        ``path``. The same tables and info give the same bytes (document times are
        ``SOURCE_DATE_EPOCH`` or fixed).

    Raises
    ------
    ValueError
        If there are no tables or a CSV file is empty.
    """
    if not tables:
        raise ValueError("write_spreadsheet: no published tables to write")
    wb = _build(tables, info)
    wb.properties.creator = "edi-report"
    wb.properties.title = f"Equality, Diversity and Inclusion data tables: {info.org_name}, " \
                          f"{info.period}"
    wb.properties.language = "en-GB"
    wb.properties.created = wb.properties.modified = _stamp()
    buffer = io.BytesIO()
    with _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(buffer.getvalue())
    return out


def check_spreadsheet(path: str | Path, tables: Sequence[PublishedTable]) -> None:
    """Check that every table sheet of a workbook shows exactly its published CSV.

    The disclosure audit reads the CSV files; this proves the spreadsheet publishes
    nothing they do not: each ``Table_n`` sheet's marked-up table, cell by cell as
    shown (value and decimals), equals ``tables[n-1]``.

    Raises
    ------
    SpreadsheetMismatchError
        Naming the sheet, cell and both values at the first difference, or a missing
        or extra table sheet.
    """
    wb = load_workbook(path)
    sheets = [n for n in wb.sheetnames if n.startswith("Table_")]
    if len(sheets) != len(tables):
        raise SpreadsheetMismatchError(
            f"{Path(path).name}: {len(sheets)} table sheets for {len(tables)} CSV files")
    for i, table in enumerate(tables, start=1):
        ws = wb[sheet_name(i)]
        header, rows = read_csv_cells(table.path)
        if not rows:
            continue
        (ref,) = [t.ref for t in ws.tables.values()]
        grid = ws[ref]
        shown = [[_shown(c.value, c.number_format if c.number_format != "General" else None)
                  for c in line] for line in grid]
        expected = [header, *rows]
        if len(shown) != len(expected):
            raise SpreadsheetMismatchError(
                f"{ws.title}: {len(shown) - 1} rows, tables/{table.name}.csv has {len(rows)}")
        for r, (got, want) in enumerate(zip(shown, expected, strict=True)):
            if got != want:
                col = next(j for j in range(max(len(got), len(want)))
                           if j >= len(got) or j >= len(want) or got[j] != want[j])
                raise SpreadsheetMismatchError(
                    f"{ws.title} row {r + 1} column {col + 1}: spreadsheet shows "
                    f"{got[col] if col < len(got) else None!r}, tables/{table.name}.csv has "
                    f"{want[col] if col < len(want) else None!r}")
