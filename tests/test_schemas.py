"""Tests of the input contracts (edi_analysis.schemas)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

from edi_analysis import schemas


def _staff(**overrides) -> pd.DataFrame:
    row = {
        "employee_id": "E1", "pay_band": "Band 5", "age_band": "30-34", "sex": "Female",
        "ethnic_category": "A", "disability": "No", "religion_belief": "Christianity",
        "sexual_orientation": "Heterosexual or Straight", "marital_status": "Married",
        "contract_status": "Full-Time", "directorate": "Finance",
        "staff_group": "Administrative and Clerical",
    }  # fmt: skip
    row.update(overrides)
    return pd.DataFrame([row])


def test_category_lists_match_the_design_contract():
    assert schemas.PAY_BANDS[:12] == [f"Band {i}" for i in range(1, 8)] + [
        "Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9",
    ]  # fmt: skip
    assert schemas.PAY_BANDS[12:] == [
        "VSM", "Medical - Consultant", "Medical - Career grade", "Medical - Trainee", "Non-AfC",
    ]  # fmt: skip
    assert schemas.AGE_BANDS[0] == "16-19" and schemas.AGE_BANDS[-1] == "70+"
    assert len(schemas.AGE_BANDS) == 12
    assert schemas.ETHNIC_CODES == list("ABCDEFGHJKLMNPRSZ") + ["99"]
    assert schemas.DISABILITY_VALUES == ["Yes", "No", "Not declared", "Prefer not to answer"]
    assert len(schemas.RELIGION_VALUES) == 11 and len(schemas.SEXUAL_ORIENTATION_VALUES) == 7
    assert schemas.CONTRACT_STATUS_VALUES == ["Full-Time", "Part-Time"]
    assert sum(len(b) for b in schemas.PAY_BAND_CLUSTERS.values()) == len(schemas.PAY_BANDS)


@pytest.mark.parametrize(
    ("band", "cluster"),
    [("Band 1", "Band 1 - 4"), ("Band 7", "Band 5 - 7"), ("Band 9", "Band 8a - 9"),
     ("VSM", "Non-AfC"), ("Medical - Trainee", "Non-AfC"), ("Band 10", None)],
)  # fmt: skip
def test_pay_band_cluster(band, cluster):
    assert schemas.pay_band_cluster(band) == cluster


@pytest.mark.parametrize(
    ("age", "band"),
    [(16, "16-19"), (19.9, "16-19"), (20, "20-24"), (64, "60-64"), (69, "65-69"), (70, "70+"),
     (99, "70+"), (15, None), (float("nan"), None)],
)  # fmt: skip
def test_age_band_of(age, band):
    assert schemas.age_band_of(age) == band


def test_valid_staff_record_passes():
    schemas.STAFF_RECORDS_SCHEMA.validate(_staff())


def test_staff_schema_reports_every_failure_lazily():
    df = pd.concat([_staff(), _staff(pay_band="Band 10", ethnic_category="Q")])
    with pytest.raises(pa.errors.SchemaErrors) as info:
        schemas.STAFF_RECORDS_SCHEMA.validate(df, lazy=True)
    failures = info.value.failure_cases
    assert set(failures["column"]) >= {"employee_id", "pay_band", "ethnic_category"}


def test_every_column_says_what_it_expects():
    for name, schema in schemas.SCHEMAS.items():
        for column, spec in schema.columns.items():
            assert spec.description, f"{name}.{column} has no description"


def test_survey_results_unique_per_year_question_breakdown_subgroup():
    row = {"year": 2024, "question": "q14b", "breakdown": "Overall", "subgroup": "Organisation",
           "n_respondents": 100, "pct_positive": 12.5}  # fmt: skip
    schemas.SURVEY_RESULTS_SCHEMA.validate(pd.DataFrame([row]))
    with pytest.raises(pa.errors.SchemaError):
        schemas.SURVEY_RESULTS_SCHEMA.validate(pd.DataFrame([row, row]))
    with pytest.raises(pa.errors.SchemaError):
        schemas.SURVEY_RESULTS_SCHEMA.validate(pd.DataFrame([{**row, "pct_positive": 120.0}]))


def test_birth_counts_events_may_not_exceed_denominator():
    row = {"year": "2024-25", "group_type": "All", "group": "All", "measure": "stillbirth",
           "events": 5, "denominator": 4}  # fmt: skip
    with pytest.raises(pa.errors.SchemaError):
        schemas.BIRTH_COUNTS_SCHEMA.validate(pd.DataFrame([row]))


def test_survey_responses_accept_any_question_code_columns():
    df = pd.DataFrame(
        {"respondent_id": ["r1", "r2"], "year": [2024, 2024], "q14b": ["Never", None],
         "q25c": ["Agree", "Strongly agree"]}
    )  # fmt: skip
    schemas.SURVEY_RESPONSES_SCHEMA.validate(df)


# -- disciplinary and capability cases: the optional financial year ----------------------
@pytest.mark.parametrize(("value", "ok"), [
    ("2024-25", True), ("1999-00", True), ("2024-26", False), ("2024", False),
    ("2024/25", False), (2024, False), (None, False),
])  # fmt: skip
def test_financial_year_needs_consecutive_years(value, ok):
    assert schemas.is_financial_year(value) is ok


def test_disciplinary_year_is_optional_but_checked_when_given():
    schemas.DISCIPLINARY_SCHEMA.validate(pd.DataFrame({"ethnic_category": ["A", "H"]}))
    schemas.DISCIPLINARY_SCHEMA.validate(
        pd.DataFrame({"ethnic_category": ["A", "H"], "year": ["2024-25", "2025-26"]}))
    with pytest.raises(pa.errors.SchemaError):
        schemas.DISCIPLINARY_SCHEMA.validate(
            pd.DataFrame({"ethnic_category": ["A"], "year": ["2025-27"]}))


def test_capability_contract_needs_disability_and_is_registered():
    assert schemas.SCHEMAS["capability"] is schemas.CAPABILITY_SCHEMA
    schemas.CAPABILITY_SCHEMA.validate(pd.DataFrame({"disability": ["Yes", "No"],
                                                     "year": ["2025-26", "2025-26"]}))
    with pytest.raises(pa.errors.SchemaError):
        schemas.CAPABILITY_SCHEMA.validate(pd.DataFrame({"ethnic_category": ["A"]}))


def test_counts_by_year_are_one_row_per_year_and_group():
    ok = pd.DataFrame({"year": ["2024-25", "2025-26"], "group_type": ["Disability"] * 2,
                       "group": ["Yes", "Yes"], "cases": [1, 2]})
    schemas.CAPABILITY_COUNTS_BY_YEAR_SCHEMA.validate(ok)
    with pytest.raises(pa.errors.SchemaError):
        schemas.CAPABILITY_COUNTS_BY_YEAR_SCHEMA.validate(ok.assign(year="2025-26"))
