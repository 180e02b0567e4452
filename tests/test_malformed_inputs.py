"""The malformed-input corpus: files a new user brings, each refused (or accepted with a
warning) before any notebook runs, and never at the cost of a published report.

Each case starts from the SYNTHETIC demo inputs of QK1 for 2025-26 (births thinned to one
record in eight, to keep the corpus quick) and breaks one thing. For every refused case,
``edi-report validate --org --period`` and ``edi-report build`` both exit with code 2 and a
message naming the file and what was expected; the build fails before any notebook runs
(the notebook executor is replaced by one that records calls), within the time it takes to
read the files, and a report published earlier (HTML, PDF, run file, ledger and tables) is
unchanged, byte for byte. Accepted oddities exit 0 from ``validate`` and are named in a
warning.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from edi_analysis import pipeline
from edi_analysis.cli import app
from edi_analysis.geography import icb_lsoas
from edi_analysis.inputs import write_demo_inputs_for

ORG, PERIOD = "QK1", "2025-26"
FIXTURES = Path(__file__).parent / "fixtures"
#: Time a refused build may take: reading and checking the files, never a notebook (the
#: notebooks took 1.5 to 8 minutes before failing). Generous for a loaded 2-core machine.
MAX_SECONDS_TO_FAIL = 60.0

runner = CliRunner()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo inputs as a user would name them (no ``synthetic_`` prefix), births thinned."""
    written = tmp_path_factory.mktemp("demo-written")
    write_demo_inputs_for(ORG, PERIOD, written)
    folder = tmp_path_factory.mktemp("base")
    for path in written.glob("synthetic_*"):
        shutil.copy(path, folder / path.name.removeprefix("synthetic_"))
    births = _frame(folder, "births")
    _write(folder, "births", births.iloc[::8])
    recruitment = pd.read_excel(folder / "recruitment.xlsx", dtype=str).fillna("")
    (folder / "recruitment.xlsx").unlink()
    _write(folder, "recruitment", recruitment)
    return folder


def _frame(folder: Path, stem: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{stem}.csv", dtype=str, keep_default_na=False)


def _write(folder: Path, stem: str, frame: pd.DataFrame, name: str | None = None) -> None:
    frame.to_csv(folder / (name or f"{stem}.csv"), index=False)


def _copy(base: Path, folder: Path, *but: str) -> None:
    """Copy the demo inputs into ``folder``, all but ``but`` (stems)."""
    for path in base.glob("*.csv"):
        if path.stem not in but:
            shutil.copy(path, folder / path.name)


@dataclass(frozen=True)
class Case:
    """One malformed input: how to make it, and what the analyst must be told."""

    name: str
    make: Callable[[Path, Path], None]
    fragments: tuple[str, ...]
    code: int = 2


def edit(stem: str, change: Callable[[pd.DataFrame], pd.DataFrame | None]
         ) -> Callable[[Path, Path], None]:
    """A case maker: the demo files, with ``change`` applied to ``stem``'s frame."""

    def make(base: Path, folder: Path) -> None:
        _copy(base, folder)
        frame = _frame(base, stem)
        changed = change(frame)
        _write(folder, stem, frame if changed is None else changed)

    return make


def cell(column: str, position: int, value: str) -> Callable[[pd.DataFrame], None]:
    def change(frame: pd.DataFrame) -> None:
        frame.loc[position, column] = value

    return change


def column(name: str, values: Callable[[pd.Series], pd.Series]) -> Callable:
    def change(frame: pd.DataFrame) -> None:
        frame[name] = values(frame[name])

    return change


def raw_staff(data: bytes, name: str = "staff_records.csv") -> Callable[[Path, Path], None]:
    def make(base: Path, folder: Path) -> None:
        _copy(base, folder, "staff_records")
        (folder / name).write_bytes(data)

    return make


def staff_text(transform: Callable[[str], bytes], name: str = "staff_records.csv"):
    def make(base: Path, folder: Path) -> None:
        _copy(base, folder, "staff_records")
        text = (base / "staff_records.csv").read_text(encoding="utf-8")
        (folder / name).write_bytes(transform(text))

    return make


def staff_workbook(fill: Callable[[openpyxl.Workbook, pd.DataFrame], None]):
    def make(base: Path, folder: Path) -> None:
        _copy(base, folder, "staff_records")
        staff = _frame(base, "staff_records")
        workbook = openpyxl.Workbook()
        fill(workbook, staff)
        workbook.save(folder / "staff_records.xlsx")

    return make


def _sheet_of(sheet, staff: pd.DataFrame) -> None:
    sheet.append(list(staff.columns))
    for row in staff.itertuples(index=False):
        sheet.append(list(row))


def error_cells(workbook: openpyxl.Workbook, staff: pd.DataFrame) -> None:
    sheet = workbook.active
    sheet.title = "Staff"
    _sheet_of(sheet, staff)
    pay = list(staff.columns).index("hourly_pay") + 1
    ethnic = list(staff.columns).index("ethnic_category") + 1
    for row, col, error in ((3, pay, "#DIV/0!"), (5, ethnic, "#N/A"), (6, pay, "#REF!")):
        sheet.cell(row=row, column=col).value = error
        sheet.cell(row=row, column=col).data_type = "e"


def second_sheet(workbook: openpyxl.Workbook, staff: pd.DataFrame) -> None:
    notes = workbook.active
    notes.title = "Read me"
    notes.append(["Staff extract for the EDI report"])
    notes.append(["Produced by the workforce team"])
    _sheet_of(workbook.create_sheet("Staff"), staff)


def copy_fixture(fixture: str, name: str) -> Callable[[Path, Path], None]:
    """The demo files with a fixture's 25 staff instead of the 323 (and no training file,
    which names the 323)."""

    def make(base: Path, folder: Path) -> None:
        _copy(base, folder, "staff_records", "training")
        shutil.copy(FIXTURES / fixture, folder / name)

    return make


def both(*makers: Callable[[Path, Path], None]) -> Callable[[Path, Path], None]:
    def make(base: Path, folder: Path) -> None:
        for maker in makers:
            maker(base, folder)

    return make


def renamed(stem: str, name: str) -> Callable[[Path, Path], None]:
    def make(base: Path, folder: Path) -> None:
        _copy(base, folder, stem)
        shutil.copy(base / f"{stem}.csv", folder / name)

    return make


def previous_as_current(base: Path, folder: Path) -> None:
    _copy(base, folder, "staff_records")
    shutil.copy(base / "previous_staff_records.csv", folder / "staff_records.csv")
    shutil.copy(base / "previous_staff_records.csv", folder / "previous_staff_records.csv")


def swapped(base: Path, folder: Path) -> None:
    _copy(base, folder, "staff_records", "previous_staff_records")
    shutil.copy(base / "previous_staff_records.csv", folder / "staff_records.csv")
    shutil.copy(base / "staff_records.csv", folder / "previous_staff_records.csv")


def other_icb_lsoas(frame: pd.DataFrame) -> None:
    other = icb_lsoas("QHM")["lsoa21_code"].tolist()
    frame["lsoa_code"] = [other[i % len(other)] for i in range(len(frame))]


def some_out_of_area(frame: pd.DataFrame) -> None:
    other = icb_lsoas("QHM")["lsoa21_code"].tolist()
    frame.loc[frame.index[::20], "lsoa_code"] = other[0]


def stillbirths_only(frame: pd.DataFrame) -> None:
    frame.loc[frame["year"] == PERIOD, "outcome"] = "Stillbirth"


def more_accessors(frame: pd.DataFrame) -> pd.DataFrame:
    extra = frame.copy()
    extra["employee_id"] = extra["employee_id"] + "-X"
    out = pd.concat([frame, extra, extra.assign(employee_id=extra["employee_id"] + "Y")])
    out["accessed"] = "True"
    return out


def fractions(frame: pd.DataFrame) -> None:
    numbers = pd.to_numeric(frame["pct_positive"], errors="coerce")
    scored = frame["question"].eq("engagement")
    frame.loc[~scored & numbers.notna(), "pct_positive"] = (numbers / 100).astype(str)


def zero_respondents(frame: pd.DataFrame) -> None:
    frame.loc[0, "n_respondents"] = "0"
    frame.loc[0, "pct_positive"] = "50"


CASES = [
    # ---- staff records: columns, codes, identifiers --------------------------------------
    Case("staff_missing_column", edit("staff_records", lambda f: f.drop(columns=["sex"])),
         ("staff_records.csv", "column 'sex'", "(column missing)")),
    Case("staff_renamed_column", edit("staff_records", lambda f: f.rename(
        columns={"ethnic_category": "Ethnicity Description"})),
         ("column 'ethnic_category'", "accepted headers include")),
    Case("staff_unknown_pay_band", edit("staff_records", cell("pay_band", 3, "Band 10")),
         ("row 5 (cell B5)", "'Band 10'", "'Band 8a'")),
    Case("staff_unknown_ethnic_code", edit("staff_records", cell("ethnic_category", 0, "X9")),
         ("row 2", "'X9'", "NHS ethnic category code")),
    Case("staff_duplicate_id", edit("staff_records", cell("employee_id", 1, "QK1-SYN-00001")),
         ("employee_id", "appears more than once", "rows 2, 3")),
    # ---- staff records: numbers ----------------------------------------------------------
    Case("staff_negative_age", edit("staff_records", cell("age", 4, "-5")),
         ("row 6", "'-5'", "16 to 100")),
    Case("staff_non_numeric_age", edit("staff_records", cell("age", 4, "forty")),
         ("'forty'", "whole number of years")),
    Case("staff_age_of_twenty_digits",
         edit("staff_records", cell("age", 4, "99999999999999999999")),
         ("'99999999999999999999'", "far too large")),
    Case("staff_age_out_of_range", edit("staff_records", cell("age", 4, "150")),
         ("'150'", "16 to 100")),
    Case("staff_pay_with_decimal_comma", edit("staff_records", cell("hourly_pay", 2, "9,50")),
         ("'9,50'", "decimal comma", "column 'hourly_pay', row 4")),
    Case("staff_pay_out_of_range", edit("staff_records", cell("hourly_pay", 2, "5000")),
         ("'5000'", "from 0 to 1000")),
    Case("staff_bonus_of_10_to_the_20",
         edit("staff_records", cell("bonus_pay", 2, "100000000000000000000")),
         ("bonus_pay", "far too large")),
    Case("staff_pay_not_a_number", edit("staff_records", cell("hourly_pay", 2, "n/k")),
         ("'n/k'", "ordinary pay per hour")),
    # ---- staff records: size and period --------------------------------------------------
    Case("staff_header_only", edit("staff_records", lambda f: f.iloc[:0]),
         ("staff_records.csv", "header only", "data rows")),
    Case("staff_one_person", edit("staff_records", lambda f: f.iloc[:1]),
         ("1 staff record", f"at least {20} staff records")),
    Case("staff_empty_file", raw_staff(b""), ("staff_records.csv", "(empty)")),
    Case("staff_previous_snapshot_given_for_the_period", previous_as_current,
         ("same snapshot", "previous_staff_records")),
    Case("staff_snapshots_swapped", swapped, ("swapped",)),
    Case("staff_snapshot_date_of_another_year",
         edit("staff_records", lambda f: f.assign(**{"Snapshot Date": "31/03/2024"})),
         ("snapshot_date", "2024-03-31", "another year's extract")),
    Case("staff_titled_as_at_the_previous_snapshot", staff_text(
        lambda t: ("ESR Staff in Post as at 31/03/2024\nReport run 02/12/2026\n" + t).encode()),
         ("snapshot_date", "2024-03-31", "another year's extract")),
    # ---- staff records: workbooks and files ----------------------------------------------
    Case("staff_excel_error_cells", staff_workbook(error_cells),
         ("sheet 'Staff'", "(cell N3)", "'#DIV/0!'", "'#N/A'", "'#REF!'",
          "not an Excel error")),
    Case("staff_xls_error_cell", copy_fixture("staff_records_error_cell.xls",
                                              "staff_records.xls"),
         ("staff_records.xls", "(cell N4)", "'#DIV/0!'")),
    Case("staff_data_on_second_sheet", staff_workbook(second_sheet),
         ("sheet 'Staff' looks like the data", "'Read me'")),
    Case("staff_corrupt_workbook", raw_staff(b"PK\x03\x04 not really a zip", "staff_records.xlsx"),
         ("staff_records.xlsx", "a readable Excel workbook")),
    Case("staff_csv_saved_as_xlsx",
         staff_text(lambda t: t.encode(), "staff_records.xlsx"),
         ("staff_records.xlsx", "a readable Excel workbook")),
    Case("staff_misnamed_file", renamed("staff_records", "staff_record.csv"),
         ("staff_record.csv", "did you mean staff_records.csv")),
    Case("staff_unsupported_format", both(
        lambda b, f: _copy(b, f, "staff_records"),
        lambda b, f: shutil.copy(b / "staff_records.csv", f / "staff_records.ods")),
         ("staff_records.ods", "a .csv, .xlsx or .xls file")),
    Case("no_staff_file", lambda b, f: _copy(b, f, "staff_records"),
         ("(file missing)", "staff_records.csv")),
    # ---- staff survey --------------------------------------------------------------------
    Case("survey_fractions_for_percentages", edit("survey_results", fractions),
         ("pct_positive", "not fractions", "multiply")),
    Case("survey_percentage_over_100", edit("survey_results", cell("pct_positive", 0, "163")),
         ("'163'", "0 to 100")),
    Case("survey_zero_respondents_with_a_percentage",
         edit("survey_results", zero_respondents), ("n_respondents is 0", "row 2")),
    Case("survey_other_years", edit("survey_results", column(
        "year", lambda y: (y.astype(int) - 4).astype(str))),
         ("results for 2025", "years 2019, 2020, 2021")),
    Case("survey_count_of_10_to_the_20",
         edit("survey_results", cell("n_respondents", 0, "100000000000000000000")),
         ("n_respondents", "far too large")),
    Case("survey_negative_respondents", edit("survey_results", cell("n_respondents", 0, "-3")),
         ("'-3'", "from 0 to 1,500,000")),
    Case("survey_decimal_comma", edit("survey_results", cell("pct_positive", 0, "63,5")),
         ("'63,5'", "decimal comma")),
    Case("survey_unknown_question", edit("survey_results", cell("question", 0, "xyz")),
         ("'xyz'", "question code")),
    # ---- births --------------------------------------------------------------------------
    Case("births_of_another_icb", edit("births", other_icb_lsoas),
         ("lsoa_code", "outside NHS Leicester", "most lie in", "another area")),
    Case("births_after_the_period", edit("births", column("year", lambda y: "2027-28" + y * 0)),
         ("years 2027-28", "births in 2025-26 or earlier")),
    Case("births_year_without_live_births", edit("births", stillbirths_only),
         ("no live births in 2025-26",)),
    Case("births_misnamed_file", renamed("births", "birth.csv"),
         ("birth.csv", "did you mean births.csv")),
    Case("births_gestation_out_of_range", edit("births", cell("gestation_weeks", 0, "99")),
         ("'99'", "20 to 45")),
    Case("births_duplicate_baby_id", edit("births", lambda f: pd.concat([f, f.iloc[:1]])),
         ("baby_id", "appears more than once")),
    Case("births_malformed_lsoa", edit("births", cell("lsoa_code", 0, "E0X123")),
         ("lsoa_code", "'E0X123'")),
    Case("birth_counts_of_10_to_the_20",
         edit("birth_counts", cell("events", 0, "100000000000000000000")),
         ("events", "far too large")),
    # ---- WRES / WDES inputs --------------------------------------------------------------
    Case("training_more_accessors_than_staff", edit("training", more_accessors),
         ("training.csv", "accessed training", "no more than")),
    Case("disciplinary_other_years", edit("disciplinary", column(
        "year", lambda y: "2018-19" + y * 0)), ("2018-19", "two-year window")),
    Case("recruitment_unknown_outcome", edit("recruitment", cell("appointed", 0, "maybe")),
         ("appointed", "'maybe'")),
    Case("service_numerator_over_denominator",
         edit("service_activity", cell("numerator", 0, "500")),
         ("service_activity.csv", "numerator", "not more than")),
    # ---- accepted, with a warning --------------------------------------------------------
    Case("staff_xls_workbook", copy_fixture("staff_records_25.xls", "staff_records.xls"),
         ("25 rows, valid",), code=0),
    Case("staff_with_bom", staff_text(lambda t: b"\xef\xbb\xbf" + t.encode()),
         ("byte-order mark",), code=0),
    Case("staff_windows_1252_pound", staff_text(
        lambda t: t.replace(",16.53,", ",£16.53,").encode("cp1252")),
         ("Windows-1252", "323 rows, valid"), code=0),
    Case("staff_title_rows", staff_text(
        lambda t: ("Staff in post at 31 March 2025\nESR BI report\n" + t).encode()),
         ("the header is on row 3", "were skipped",
          "snapshot date 2025-03-31 read from the title"), code=0),
    Case("staff_codes_mapped", edit("staff_records", column(
        "sex", lambda s: s.str[0])), ("'F' as 'Female'",), code=0),
    Case("births_some_out_of_area", edit("births", some_out_of_area),
         ("outside NHS Leicester", "most lie in NHS North East and North Cumbria"), code=0),
    Case("no_births_file", lambda b, f: _copy(b, f, "births"),
         ("births.csv/.xlsx", "(file missing)", "the maternity chapter")),
    Case("no_survey_file", lambda b, f: _copy(b, f, "survey_results"),
         ("survey_results.csv/.xlsx or survey_responses.csv/.xlsx", "staff survey chapter")),
    Case("unrecognised_extra_file", both(
        lambda b, f: _copy(b, f),
        lambda b, f: (f / "notes for finance.csv").write_text("a,b\n1,2\n")),
         ("notes for finance.csv", "not read"), code=0),
]


def test_the_corpus_holds_at_least_40_malformed_inputs() -> None:
    names = [c.name for c in CASES]
    assert len(set(names)) == len(names)
    assert sum(c.code == 2 for c in CASES) >= 40


def _published(tmp_path: Path) -> tuple[Path, Path]:
    """A report published earlier: its folder and its tables, with distinctive bytes."""
    out, tables = tmp_path / "site" / "edi" / PERIOD, tmp_path / "processed" / ORG / PERIOD
    (tables / "tables").mkdir(parents=True)
    out.mkdir(parents=True)
    (out / "report.html").write_text("<html>last year's good report</html>\n")
    (out / "report.pdf").write_bytes(b"%PDF-1.7 good report\n")
    (out / "run.yml").write_text("org: QK1\n")
    (out / "release-ledger.json").write_text("{}\n")
    (tables / "tables" / "workforce.csv").write_text("group,count\nAll,323\n")
    return out, tables


def _snapshot(*folders: Path) -> dict[str, bytes]:
    """Every file and folder beside and below ``folders`` (a swap renames beside them)."""
    found = {}
    for folder in folders:
        for path in sorted(folder.parent.rglob("*")):
            if path.is_file():
                found[str(path)] = path.read_bytes()
            else:
                found[str(path)] = b"<dir>"
    return found


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_malformed_input(case: Case, base: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("EDI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("EDI_BUILD_DIR", str(tmp_path / "build"))
    data = tmp_path / "inputs"
    data.mkdir()
    case.make(base, data)

    checked = runner.invoke(app, ["validate", "--org", ORG, "--period", PERIOD,
                                  "--data", str(data)])
    assert checked.exit_code == case.code, checked.output
    assert "Traceback" not in checked.output
    for fragment in case.fragments:
        assert fragment in checked.output, (fragment, checked.output)
    if case.code != 2:
        return

    executed: list[object] = []
    monkeypatch.setattr(pipeline, "_execute_all", lambda *a, **k: executed.append(a))
    out, tables = _published(tmp_path)
    before = _snapshot(out, tables)
    run_file = tmp_path / "run.yml"
    run_file.write_text(yaml.safe_dump({
        "org": ORG, "org_name": "NHS Leicester, Leicestershire and Rutland ICB",
        "period": PERIOD, "data_dir": str(data), "output_dir": str(out),
        "processed_dir": str(tables), "pdf": False}))
    started = time.perf_counter()
    built = runner.invoke(app, ["build", "--run-file", str(run_file)])
    seconds = time.perf_counter() - started

    assert built.exit_code == 2, built.output
    assert "nothing was built" in built.output
    assert "Traceback" not in built.output
    for fragment in case.fragments:
        assert fragment in built.output, (fragment, built.output)
    assert executed == [], "a notebook ran on bad input"
    assert seconds < MAX_SECONDS_TO_FAIL
    assert not (tmp_path / "build").exists() or not any((tmp_path / "build").rglob("*.ipynb"))
    assert _snapshot(out, tables) == before
