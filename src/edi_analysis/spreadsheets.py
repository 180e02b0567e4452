"""Read the cells of a CSV file or an Excel sheet as text, saying what was odd about them.

The validating readers of :mod:`edi_analysis.io` work on the grids read here. A grid keeps
what a spreadsheet user needs to find a cell again: the sheet's name, row numbers and
column letters, and Excel's error values (``#DIV/0!``, ``#N/A``, ``#REF!`` ...), which
pandas would silently turn into blanks. Oddities that are accepted (a byte-order mark,
Windows-1252 text) are returned as notes, for the report's data-quality section.

Formats: CSV (``.csv``, ``.tsv``, ``.txt``; UTF-8 with or without BOM, else Windows-1252;
comma, semicolon, tab or pipe separated), Excel workbooks (``.xlsx``/``.xlsm`` through
openpyxl, ``.xls`` through xlrd).
"""

from __future__ import annotations

import csv
import datetime as dt
import io as _io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from edi_analysis.errors import InputError

__all__ = ["EXCEL_ERRORS", "Grid", "column_letter", "read_grids"]

EXCEL_ERRORS = frozenset(
    {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA",
     "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#UNKNOWN!", "#BUSY!"}
)
"""Excel's error values, as they appear in a cell that failed to calculate."""

_WORKBOOKS = {".xlsx", ".xlsm", ".xls"}
_TEXT_FILES = {".csv", ".txt", ".tsv"}


@dataclass
class Grid:
    """The cells of one CSV file or one Excel sheet.

    Attributes
    ----------
    cells : pandas.DataFrame
        Every cell as text (None for empty cells), positional row and column labels
        (row 0 is the spreadsheet's row 1, column 0 its column A).
    sheet : str or None
        The sheet's name; None for a CSV file.
    errors : list of tuple
        ``(row position, column position, error value)`` of every Excel error cell; those
        cells hold None in ``cells``.
    notes : list of str
        Oddities accepted while reading (encoding, byte-order mark).
    """

    cells: pd.DataFrame
    sheet: str | None = None
    errors: list[tuple[int, int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def column_letter(position: int) -> str:
    """Return the spreadsheet letter of a 0-based column position (0 -> A, 27 -> AB)."""
    letters = ""
    n = position + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text_of(value: object) -> str | None:
    """The text of a workbook cell value, as pandas' ``dtype=str`` would give it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    return str(value)


def _grid(rows: list[list[object]], sheet: str | None, errors, notes) -> Grid:
    width = max((len(r) for r in rows), default=0)
    cells = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows], dtype=object)
    return Grid(cells, sheet, errors, notes)


def _xlsx_grids(path: Path) -> dict[str, Grid]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        grids = {}
        for sheet in workbook.worksheets:
            rows, errors = [], []
            for r, row in enumerate(sheet.iter_rows()):
                values = []
                for c, cell in enumerate(row):
                    value = getattr(cell, "value", None)
                    if getattr(cell, "data_type", None) == "e" or (
                            isinstance(value, str) and value in EXCEL_ERRORS):
                        errors.append((r, c, str(value)))
                        value = None
                    values.append(_text_of(value))
                rows.append(values)
            grids[sheet.title] = _grid(rows, sheet.title, errors, [])
        return grids
    finally:
        workbook.close()


def _xls_grids(path: Path) -> dict[str, Grid]:
    try:
        import xlrd
    except ImportError as exc:  # pragma: no cover - xlrd is a dependency
        raise InputError.single(path.name, "a file saved as .xlsx or .csv (reading .xls "
                                "needs the xlrd package: pip install xlrd)") from exc
    book = xlrd.open_workbook(str(path), on_demand=True)
    try:
        grids = {}
        for sheet in book.sheets():
            rows, errors = [], []
            for r in range(sheet.nrows):
                values = []
                for c, cell in enumerate(sheet.row(r)):
                    if cell.ctype == xlrd.XL_CELL_ERROR:
                        errors.append((r, c, xlrd.error_text_from_code.get(cell.value, "#ERROR")))
                        values.append(None)
                    elif cell.ctype == xlrd.XL_CELL_DATE:
                        values.append(_text_of(xlrd.xldate.xldate_as_datetime(
                            cell.value, book.datemode)))
                    elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                        values.append(str(bool(cell.value)))
                    elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        values.append(None)
                    else:
                        values.append(_text_of(cell.value))
                rows.append(values)
            grids[sheet.name] = _grid(rows, sheet.name, errors, [])
        return grids
    finally:
        book.release_resources()


def _decode(raw: bytes) -> tuple[str, list[str]]:
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), [
                "starts with a byte-order mark (as Excel's 'CSV UTF-8' saves it); read as UTF-8"]
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), [
            "is not UTF-8; read as Windows-1252 (as older Excel saves CSV): check that "
            "accented letters and '£' look right"]
    except UnicodeDecodeError:
        return raw.decode("latin-1"), [
            "is neither UTF-8 nor Windows-1252; read as Latin-1: check its text"]


def _csv_grid(path: Path) -> Grid:
    text, notes = _decode(path.read_bytes())
    try:
        sep = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|").delimiter
    except csv.Error:
        sep = ","
    rows = [[v if v != "" else None for v in r]
            for r in csv.reader(_io.StringIO(text), delimiter=sep)]
    return _grid(rows, None, [], notes)


def read_grids(path: str | Path) -> dict[str | None, Grid]:
    """Read every sheet of a workbook, or the one grid of a CSV file.

    Parameters
    ----------
    path : str or Path
        A ``.csv``/``.tsv``/``.txt`` file or an ``.xlsx``/``.xlsm``/``.xls`` workbook.

    Returns
    -------
    dict
        Sheet name -> :class:`Grid`, in the workbook's order; ``{None: grid}`` for CSV.

    Raises
    ------
    InputError
        If the file is of an unknown type, or is not a readable workbook (corrupt, or a
        CSV file saved with an Excel extension), naming the file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in _TEXT_FILES:
        return {None: _csv_grid(path)}
    if suffix not in _WORKBOOKS:
        raise InputError.single(path.name, "a .csv, .xlsx or .xls file", value=path.suffix)
    try:
        return dict(_xls_grids(path) if suffix == ".xls" else _xlsx_grids(path))
    except InputError:
        raise
    except Exception as exc:  # corrupt, or a CSV saved with an Excel extension
        raise InputError.single(
            path.name, f"a readable Excel workbook ({type(exc).__name__}: {exc}); save it "
            "again from Excel as .xlsx, or as CSV", value="(unreadable workbook)"
        ) from exc
