"""The report's spreadsheet, read back with openpyxl against the Analysis Function's layout."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from edi_analysis.publishing.downloads import (
    downloads_markdown,
    published_tables,
    table_title,
)
from edi_analysis.publishing.spreadsheet import (
    SpreadsheetInfo,
    SpreadsheetMismatchError,
    check_spreadsheet,
    write_spreadsheet,
)

INFO = SpreadsheetInfo(
    "NHS Test ICB", "QK1", "2025-26", "SYNTHETIC demo data.",
    (("*", "Counts of 1 to 4 are shown as <5."), ("staff_survey_", "* fewer than 10.")))


def _tables(folder: Path) -> Path:
    tables = folder / "tables"
    tables.mkdir(parents=True)
    (tables / "workforce_headcount.csv").write_text(
        "characteristic,category,count,share,symbol,suppressed\n"
        "sex,Female,120.0,0.812,,False\n"
        "sex,Male,,,<5,True\n"
        "sex,All,148,1.000,,False\n", encoding="utf-8")
    (tables / "staff_survey_wres.csv").write_text(
        'year,question,pct_positive,n_symbol,note\n'
        '2025,q14a,30.6,,"pressure, from manager"\n'
        '2025,q14b,,*,\n', encoding="utf-8")
    (tables / "gpg_measures.csv").write_text(
        "measure,change_pts,code\nMean,-0.0,007\nMedian,2.50,E01\n", encoding="utf-8")
    return tables


@pytest.fixture
def workbook(tmp_path: Path):
    tables = published_tables(_tables(tmp_path))
    path = write_spreadsheet(tables, INFO, tmp_path / "out.xlsx")
    return path, tables


def test_sheets_are_cover_contents_notes_then_one_table_each(workbook) -> None:
    path, tables = workbook
    wb = load_workbook(path)
    assert wb.sheetnames == ["Cover", "Contents", "Notes", "Table_1", "Table_2", "Table_3"]
    # tables in report chapter order: workforce first, then the staff survey
    assert [t.name for t in tables] == ["gpg_measures", "workforce_headcount",
                                        "staff_survey_wres"]
    for ws in wb.worksheets:
        assert ws.merged_cells.ranges == set(), ws.title  # no merged cells anywhere
        assert isinstance(ws["A1"].value, str) and ws["A1"].font.bold, ws.title
    cover = [c.value for c in wb["Cover"]["A"]]
    assert "NHS Test ICB, 2025-26" in cover and "SYNTHETIC demo data." in cover
    assert all(v for v in cover)  # no blank rows on the cover
    assert wb["Cover"].max_column == 1


def _table_cells(ws):
    (table,) = ws.tables.values()
    return table, [[c.value for c in row] for row in ws[table.ref]]


def test_each_table_sheet_has_one_marked_up_table_from_column_a(workbook) -> None:
    path, tables = workbook
    wb = load_workbook(path)
    names = set()
    for i, table_file in enumerate(tables, start=1):
        ws = wb[f"Table_{i}"]
        table, cells = _table_cells(ws)
        names.add(table.displayName)
        assert table.ref.startswith("A") and table.headerRowCount == 1
        header = cells[0]
        assert all(isinstance(h, str) and h for h in header)
        assert len(set(header)) == len(header)
        assert ws["A1"].value == f"Table {i}: {table_title(table_file.name)}"
        # the table is the last thing on the sheet, with nothing beside it
        first, last = (int("".join(filter(str.isdigit, x))) for x in table.ref.split(":"))
        assert last == ws.max_row and last - first + 1 == len(cells)
        assert ws.max_column == len(header)
        # the lines above it are in column A, one per row, none blank
        assert all(ws.cell(row=r, column=1).value for r in range(1, first))
        assert all(any(v is not None for v in row) for row in cells)  # no blank rows
    assert len(names) == len(tables)


def test_cells_are_exactly_the_published_csv_numbers_as_numbers(workbook) -> None:
    path, _ = workbook
    wb = load_workbook(path)
    _, cells = _table_cells(wb["Table_2"])  # workforce_headcount
    assert cells[1] == ["sex", "Female", 120.0, 0.812, None, "False"]
    assert cells[2] == ["sex", "Male", None, None, "<5", "True"]
    ws = wb["Table_2"]
    (table,) = ws.tables.values()
    first = int(table.ref.split(":")[0][1:])
    assert ws.cell(row=first + 1, column=3).number_format == "0.0"
    assert ws.cell(row=first + 1, column=4).number_format == "0.000"
    assert ws.cell(row=first + 3, column=3).value == 148
    _, gpg = _table_cells(wb["Table_1"])
    # "-0.0" cannot be a number that shows its sign; "007" is a code, not 7
    assert gpg[1] == ["Mean", "-0.0", "007"] and gpg[2] == ["Median", 2.5, "E01"]
    check_spreadsheet(path, published_tables(path.parent / "tables"))


def test_symbols_blank_cells_and_notes_are_explained(workbook) -> None:
    path, _ = workbook
    wb = load_workbook(path)
    _, notes = _table_cells(wb["Notes"])
    assert notes[0] == ["Note number", "Note text"]
    texts = dict(notes[1:])
    assert "<5" in texts["[note 1]"] and "fewer than 10" in texts["[note 2]"]
    assert "blank cell" in texts["[note 3]"].lower()
    sheet_text = " ".join(str(c.value) for c in wb["Table_2"]["A"][:6])
    assert "[note 1]" in sheet_text and "[note 3]" in sheet_text
    assert "[note 2]" not in sheet_text  # the survey's rule is not this table's
    survey_text = " ".join(str(c.value) for c in wb["Table_3"]["A"][:6])
    assert "[note 2]" in survey_text and "[note 1]" not in survey_text
    _, contents = _table_cells(wb["Contents"])
    assert contents[0] == ["Worksheet name", "Table title", "Chapter", "CSV file", "Notes"]
    assert [r[0] for r in contents[1:]] == ["Table_1", "Table_2", "Table_3"]
    table, _ = _table_cells(wb["Contents"])
    first = int(table.ref.split(":")[0][1:])
    links = [wb["Contents"].cell(row=first + i, column=1).hyperlink for i in (1, 2, 3)]
    assert [link.location for link in links] == [f"'Table_{i}'!A1" for i in (1, 2, 3)]


def test_no_meaning_in_colour_alone(workbook) -> None:
    path, _ = workbook
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.fill.fill_type is None, (ws.title, cell.coordinate)
        assert not ws.conditional_formatting, ws.title


def test_the_same_tables_give_the_same_bytes(tmp_path: Path, workbook) -> None:
    path, tables = workbook
    again = write_spreadsheet(tables, INFO, tmp_path / "again.xlsx")
    assert hashlib.sha256(path.read_bytes()).digest() == \
        hashlib.sha256(again.read_bytes()).digest()


def test_a_cell_that_differs_from_its_csv_is_found(tmp_path: Path, workbook) -> None:
    path, tables = workbook
    csv = tables[1].path
    csv.write_text(csv.read_text(encoding="utf-8").replace("120.0", "121.0"), encoding="utf-8")
    with pytest.raises(SpreadsheetMismatchError, match=r"Table_2 row 2 column 3.*'121\.0'"):
        check_spreadsheet(path, tables)


def test_no_tables_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no published tables"):
        write_spreadsheet([], INFO, tmp_path / "x.xlsx")


def test_downloads_section_links_every_table_and_the_spreadsheet(tmp_path: Path) -> None:
    tables = published_tables(_tables(tmp_path))
    text = downloads_markdown(tables, "edi-report-QK1-2025-26.xlsx")
    assert text.startswith("# Data downloads {#sec-downloads}")
    assert "](edi-report-QK1-2025-26.xlsx)" in text
    for t in tables:
        assert f"](tables/{t.name}.csv)" in text
    assert downloads_markdown([], None) == ""


def test_published_csvs_never_carry_negative_zero(tmp_path) -> None:
    """A change of -0.04 points rounds to -0.0; the report shows 0.0, so must the CSV."""
    import pandas as pd

    from edi_analysis.outputs import write_tables

    frame = pd.DataFrame({"measure": ["a", "b"], "change_pts": [round(-0.04, 1), -1.5]})
    (path,) = write_tables(tmp_path, {"gpg_measures": frame})
    assert path.read_text().splitlines()[1:] == ["a,0.0", "b,-1.5"]
