"""Checks of a run's inputs against its organisation and period (input_checks)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from edi_analysis.errors import InputError, InputWarning
from edi_analysis.geography import icb_lsoas
from edi_analysis.input_checks import (
    MIN_STAFF,
    check_run_inputs,
    data_quality_sentences,
    snapshot_window,
    survey_years_for,
)

ORG, PERIOD = "QK1", "2025-26"


def staff(n: int = 30, age: int = 40, ids: str = "E") -> pd.DataFrame:
    frame = pd.DataFrame({
        "employee_id": [f"{ids}{i:03d}" for i in range(n)],
        "ethnic_category": ["A", "H"] * (n // 2) + ["A"] * (n % 2),
        "disability": "No",
        "age": pd.array([age + i % 7 for i in range(n)], dtype="Int64"),
    })
    frame.attrs["source"] = "staff_records.csv"
    frame.attrs["source_rows"] = list(range(2, n + 2))
    return frame


def births(lsoas: list[str], year: str = PERIOD, outcome: str = "Live birth") -> pd.DataFrame:
    frame = pd.DataFrame({"baby_id": [f"B{i}" for i in range(len(lsoas))], "year": year,
                          "outcome": outcome, "termination": False, "lsoa_code": lsoas})
    frame.attrs["source"] = "births.csv"
    frame.attrs["source_rows"] = list(range(2, len(lsoas) + 2))
    return frame


def survey(years: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame({"year": years, "question": "q4b", "breakdown": "Overall",
                          "subgroup": "Organisation", "n_respondents": 100,
                          "pct_positive": 60.0})
    frame.attrs["source"] = "survey_results.csv"
    return frame


@pytest.fixture(scope="module")
def local() -> list[str]:
    return icb_lsoas(ORG)["lsoa21_code"].head(40).tolist()


@pytest.fixture(scope="module")
def elsewhere() -> list[str]:
    return icb_lsoas("QHM")["lsoa21_code"].head(40).tolist()


@pytest.fixture
def inputs(local: list[str]) -> dict[str, pd.DataFrame | None]:
    return {"staff_records": staff(), "births": births(local),
            "survey_results": survey([2023, 2024, 2025])}


def problems(inputs) -> str:
    with pytest.raises(InputError) as info:
        check_run_inputs(inputs, ORG, PERIOD)
    return str(info.value)


def test_the_survey_year_of_a_financial_year_is_its_first_year() -> None:
    assert survey_years_for("2025-26") == [2023, 2024, 2025]
    assert survey_years_for("2025-26", [2025, 2021]) == [2021, 2025]


def test_a_snapshot_of_2025_26_is_dated_within_the_year_to_31_march_2026() -> None:
    assert snapshot_window("2025-26") == (dt.date(2025, 3, 31), dt.date(2026, 3, 31))


def test_complete_inputs_of_the_period_pass_without_warnings(inputs) -> None:
    assert check_run_inputs(inputs, ORG, PERIOD) == []


def test_too_few_staff_are_refused(inputs) -> None:
    inputs["staff_records"] = staff(n=1)
    assert f"1 staff record'; expected at least {MIN_STAFF} staff records" in problems(inputs)


def test_the_files_every_report_needs_are_required(inputs) -> None:
    inputs["births"] = None
    inputs["survey_results"] = None
    text = problems(inputs)
    assert "births.csv/.xlsx" in text and "the maternity chapter" in text
    assert "survey_results.csv/.xlsx or survey_responses.csv/.xlsx" in text


def test_previous_snapshot_given_as_the_current_one_is_refused(inputs) -> None:
    inputs["previous_staff_records"] = staff()
    assert "both files look like the same snapshot" in problems(inputs)


def test_a_previous_snapshot_a_year_younger_is_accepted(inputs) -> None:
    inputs["previous_staff_records"] = staff(age=39)
    assert check_run_inputs(inputs, ORG, PERIOD) == []


def test_swapped_snapshots_are_refused(inputs) -> None:
    inputs["previous_staff_records"] = staff(age=41)
    assert "look swapped" in problems(inputs)


def test_a_snapshot_date_of_another_year_is_refused_naming_rows(inputs) -> None:
    frame = staff()
    frame["snapshot_date"] = "2024-03-31"
    inputs["staff_records"] = frame
    text = problems(inputs)
    assert "column 'snapshot_date', row 2: found '2024-03-31'" in text
    assert "31 March 2025 to 31 March 2026" in text and "rows 2, 3, 4, 5, 6 and 25 more" in text


def test_survey_results_without_the_report_year_are_refused(inputs) -> None:
    inputs["survey_results"] = survey([2019, 2020])
    assert "found 'years 2019, 2020'; expected results for 2025" in problems(inputs)


def test_survey_years_the_report_does_not_show_are_a_warning(inputs) -> None:
    inputs["survey_results"] = survey([2018, 2023, 2024, 2025])
    (warning,) = check_run_inputs(inputs, ORG, PERIOD)
    assert "rows for 2018 are not used" in warning.message


def test_births_mostly_in_another_icb_are_refused(inputs, elsewhere) -> None:
    inputs["births"] = births(elsewhere)
    text = problems(inputs)
    assert "40 of 40 births with an LSOA (100%) outside NHS Leicester" in text
    assert "most lie in NHS North East and North Cumbria Integrated Care Board (QHM)" in text


def test_a_few_births_outside_the_area_are_a_warning_without_counts_in_public(
        inputs, local, elsewhere) -> None:
    inputs["births"] = births(local[:36] + elsewhere[:4])
    (warning,) = check_run_inputs(inputs, ORG, PERIOD)
    assert "4 of 40 births" in warning.message and "rows 38, 39, 40, 41" in warning.message
    assert not re.search(r"\d", warning.public_text.replace("births.csv", ""))


def test_welsh_lsoas_are_outside_the_area(inputs, local) -> None:
    inputs["births"] = births(["W01000001"] * 30 + local[:10])
    assert "they lie in Wales" in problems(inputs)


def test_a_report_year_without_live_births_is_refused(inputs, local) -> None:
    inputs["births"] = pd.concat([births(local, "2024-25"), births(local, outcome="Stillbirth")])
    assert "found 'no live births in 2025-26'" in problems(inputs)


def test_births_only_after_the_period_are_refused(inputs, local) -> None:
    inputs["births"] = births(local, "2027-28")
    assert "births in 2025-26 or earlier" in problems(inputs)


def test_more_staff_accessing_training_than_staff_is_refused_naming_the_file(inputs) -> None:
    training = pd.concat([staff(), staff(ids="X")]).assign(accessed=True)
    training.attrs["source"] = "training.csv"
    inputs["training"] = training
    text = problems(inputs)
    assert "file training.csv, column 'accessed': found '30 White staff accessed training'" in text
    assert "no more than the 15 White staff in staff_records.csv" in text


def test_cases_only_outside_the_window_are_refused(inputs) -> None:
    cases = pd.DataFrame({"employee_id": ["E001"], "ethnic_category": ["A"],
                          "disability": ["No"], "year": ["2019-20"]})
    cases.attrs["source"] = "disciplinary.csv"
    inputs["disciplinary"] = cases
    assert "cases in 2024-25 or 2025-26, the two-year window" in problems(inputs)


def test_data_quality_sentences_use_the_public_wording() -> None:
    warnings = [InputWarning("staff.csv", "column 'sex': read 'F' as 'Female' (12 rows)",
                             "staff.csv: column 'sex': values written another way were read"),
                InputWarning("births.csv", "starts with a byte-order mark")]
    assert data_quality_sentences(warnings) == [
        "staff.csv: column 'sex': values written another way were read.",
        "births.csv: starts with a byte-order mark.",
    ]
    assert data_quality_sentences([]) == [
        "The input files met their contracts without any oddity to report."]
