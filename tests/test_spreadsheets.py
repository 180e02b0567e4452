"""Reading grids: Excel error cells kept, sheets named, encodings said, .xls read."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from edi_analysis.errors import InputError
from edi_analysis.spreadsheets import column_letter, read_grids

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(("position", "letter"), [(0, "A"), (13, "N"), (25, "Z"), (26, "AA"),
                                                  (27, "AB"), (701, "ZZ"), (702, "AAA")])
def test_column_letters_are_those_of_a_spreadsheet(position: int, letter: str) -> None:
    assert column_letter(position) == letter


def test_excel_error_cells_are_kept_with_their_position_not_blanked(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Staff"
    sheet.append(["employee_id", "hourly_pay"])
    sheet.append(["a", 12.5])
    sheet.append(["b", None])
    sheet["B3"] = "#DIV/0!"
    sheet["B3"].data_type = "e"
    workbook.save(tmp_path / "staff.xlsx")

    grid = read_grids(tmp_path / "staff.xlsx")["Staff"]

    assert grid.sheet == "Staff"
    assert grid.errors == [(2, 1, "#DIV/0!")]
    assert grid.cells.iloc[1, 1] == "12.5"
    assert grid.cells.iloc[2, 1] is None


def test_whole_numbers_and_dates_read_as_a_user_typed_them(tmp_path: Path) -> None:
    import datetime as dt

    workbook = openpyxl.Workbook()
    workbook.active.append([51, 16.53, dt.datetime(2025, 3, 31), True])
    workbook.save(tmp_path / "w.xlsx")
    cells = next(iter(read_grids(tmp_path / "w.xlsx").values())).cells
    assert cells.iloc[0].tolist() == ["51", "16.53", "2025-03-31", "True"]


def test_every_sheet_is_read_in_workbook_order(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Read me"
    workbook.create_sheet("Data").append(["x"])
    workbook.save(tmp_path / "w.xlsx")
    assert list(read_grids(tmp_path / "w.xlsx")) == ["Read me", "Data"]


def test_xls_workbooks_are_read_with_their_error_cells() -> None:
    grids = read_grids(FIXTURES / "staff_records_error_cell.xls")
    grid = grids["Staff"]
    assert grid.errors == [(3, 13, "#DIV/0!")]
    assert grid.cells.iloc[0, 0] == "employee_id"
    assert grid.cells.iloc[1, 2] == "51"  # an age stored as a float, read as typed


def test_a_bom_and_windows_1252_are_read_and_said(tmp_path: Path) -> None:
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbfa,b\n1,2\n")
    (tmp_path / "ansi.csv").write_bytes("a,pay\n1,£12.50\n".encode("cp1252"))
    bom = read_grids(tmp_path / "bom.csv")[None]
    ansi = read_grids(tmp_path / "ansi.csv")[None]
    assert bom.cells.iloc[0, 0] == "a" and "byte-order mark" in bom.notes[0]
    assert ansi.cells.iloc[1, 1] == "£12.50" and "Windows-1252" in ansi.notes[0]


def test_utf8_without_bom_is_read_without_a_note(tmp_path: Path) -> None:
    (tmp_path / "plain.csv").write_text("a;b\n1;£2\n", encoding="utf-8")
    grid = read_grids(tmp_path / "plain.csv")[None]
    assert grid.notes == [] and grid.cells.iloc[1, 1] == "£2"


@pytest.mark.parametrize("content", [b"not a workbook", b"PK\x03\x04broken", b""])
def test_an_unreadable_workbook_is_an_input_error_naming_the_file(tmp_path: Path,
                                                                  content: bytes) -> None:
    (tmp_path / "staff.xlsx").write_bytes(content)
    with pytest.raises(InputError, match="file staff.xlsx: .*a readable Excel workbook"):
        read_grids(tmp_path / "staff.xlsx")


def test_an_unknown_file_type_is_refused(tmp_path: Path) -> None:
    (tmp_path / "staff.ods").write_bytes(b"x")
    with pytest.raises(InputError, match=r"a \.csv, \.xlsx or \.xls file"):
        read_grids(tmp_path / "staff.ods")
