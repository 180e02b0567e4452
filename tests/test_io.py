"""Tests of the input readers (edi_analysis.io)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from edi_analysis import io
from edi_analysis.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"


def _staff(**overrides) -> pd.DataFrame:
    row = {
        "employee_id": "E1", "pay_band": "Band 5", "age": 34, "sex": "Female",
        "ethnic_category": "A", "disability": "No", "religion_belief": "Christianity",
        "sexual_orientation": "Heterosexual or Straight", "marital_status": "Married",
        "contract_status": "Full-Time", "directorate": "Finance",
        "staff_group": "Administrative and Clerical",
    }  # fmt: skip
    row.update(overrides)
    return pd.DataFrame([row])


# -- staff records ---------------------------------------------------------------------
def test_bad_staff_file_lists_every_problem_with_file_column_row_and_expected():
    with pytest.raises(InputError) as info:
        io.read_staff_records(FIXTURES / "staff_records_bad.csv")
    err = info.value
    text = str(err)
    assert text.startswith("6 problems in the input:")
    assert (
        "file staff_records_bad.csv, column 'pay_band', row 3 (cell B3): found 'Band 10'; "
        "expected one of: 'Band 1', 'Band 2'" in text
    )
    assert ("file staff_records_bad.csv, column 'ethnic_category', row 4 (cell E4): found 'Q'"
            in text)
    assert "'Z' = not stated, '99' = not known" in text
    assert (
        "file staff_records_bad.csv, column 'contract_status': found '(column missing)'; "
        "expected a column named 'contract_status' (accepted headers include" in text
    )
    assert "'Full/Part Time'" in text
    assert (
        "column 'hourly_pay', row 4 (cell L4): found 'twenty'; expected ordinary pay per hour "
        "in pounds" in text
    )
    dup = [p for p in err.problems if p.column == "employee_id"]
    assert [(p.row, p.value) for p in dup] == [(4, "E003"), (5, "E003")]
    assert "appears more than once (rows 4, 5)" in dup[0].expected


def test_good_esr_style_file_is_mapped_to_canonical_columns_and_values():
    df = io.read_staff_records(FIXTURES / "staff_records_good.csv")
    assert list(df.columns[:5]) == ["employee_id", "pay_band", "age", "age_band", "sex"]
    assert df["pay_band"].tolist() == ["Band 5", "Band 8a", "Band 3", "Medical - Consultant"]
    assert df["sex"].tolist() == ["Female", "Male", "Female", "Male"]
    # "A White - British" -> A, blank -> 99 (kept, not dropped), "CA White English" -> C
    assert df["ethnic_category"].tolist() == ["A", "H", "99", "C"]
    assert df["age_band"].tolist() == ["30-34", "45-49", "70+", "50-54"]
    assert df["religion_belief"].tolist() == ["Christianity", "Hinduism", "Unspecified", "Islam"]
    assert df["sexual_orientation"].tolist()[1:] == [
        "Heterosexual or Straight", "Unspecified", "Gay or Lesbian",
    ]  # fmt: skip
    assert df["marital_status"].tolist()[2:] == ["Unknown", "Civil Partnership"]
    assert df["disability"].tolist() == ["No", "Yes", "Not declared", "No"]
    assert df["contract_status"].tolist() == ["Full-Time", "Part-Time", "Full-Time", "Part-Time"]
    assert df["hourly_pay"].tolist() == [18.5, 30.1, 14.2, 70.0]
    assert df["bonus_pay"].tolist()[:2] == [0.0, 0.0] and df["bonus_pay"].iloc[3] == 12000.0
    assert df["full_pay_relevant"].all()
    assert df.attrs["source"] == "staff_records_good.csv"


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("Pay Band", "pay_band"), ("Payband", "pay_band"), ("Grade", "pay_band"),
        ("Ethnic Origin", "ethnic_category"), ("Ethnicity", "ethnic_category"),
        ("Religious Belief", "religion_belief"), ("Disability Flag", "disability"),
        ("Sexual Orientation", "sexual_orientation"), ("Marital Status", "marital_status"),
        ("Assignment Category", "contract_status"), ("Full/Part Time", "contract_status"),
        ("Gender", "sex"), ("Sex", "sex"), ("Staff Group", "staff_group"),
        ("Directorate", "directorate"), ("Org L3", "directorate"), ("AGE BAND", "age_band"),
    ],
)  # fmt: skip
def test_header_aliases(header, canonical):
    df = _staff().rename(columns={canonical: header})
    if canonical == "age_band":
        df = df.drop(columns="age").assign(**{header: "30 - 34 Years Old"})
    out = io.read_staff_records(df)
    assert canonical in out.columns and header not in out.columns


@pytest.mark.parametrize(
    ("column", "given", "canonical"),
    [
        ("pay_band", "band 8A", "Band 8a"), ("pay_band", "Band 8 - Range C", "Band 8c"),
        ("pay_band", "AfC Band 7", "Band 7"), ("pay_band", "very senior manager", "VSM"),
        ("pay_band", "Non AfC", "Non-AfC"),
        ("pay_band", "Specialty Registrar", "Medical - Trainee"),
        ("pay_band", "GP Clinical Lead (sessional)", "Non-AfC"),
        ("pay_band", "Review Body Band 8 - Range B", "Band 8b"),
        ("age_band", "45 - 49 Years Old", "45-49"), ("age_band", "70 - 100 Years Old", "70+"),
        ("ethnic_category", "White - British", "A"), ("ethnic_category", "a", "A"),
        ("ethnic_category", "N Black or Black British - African", "N"),
        ("ethnic_category", "Not stated", "Z"), ("ethnic_category", "Indian", "H"),
        ("sex", "f", "Female"), ("sex", "MALE", "Male"),
        ("disability", "Not Declared", "Not declared"),
        ("disability", "Prefer Not To Answer", "Prefer not to answer"),
        ("religion_belief", "Muslim", "Islam"),
        ("sexual_orientation", "Gay Woman/Lesbian", "Gay or Lesbian"),
        ("contract_status", "part time", "Part-Time"),
        ("marital_status", "separated", "Legally Separated"),
    ],
)  # fmt: skip
def test_value_normalisation(column, given, canonical):
    df = _staff(**{column: given})
    if column == "age_band":
        df = df.drop(columns="age")
    assert io.read_staff_records(df)[column].iat[0] == canonical


def test_age_or_age_band_is_required_and_esr_bands_get_advice():
    with pytest.raises(InputError, match="a column 'age'"):
        io.read_staff_records(_staff().drop(columns="age"))
    with pytest.raises(InputError, match="give age in whole years"):
        io.read_staff_records(_staff(age_band="21-25").drop(columns="age"))
    with pytest.raises(InputError, match="a whole number of years from 16 to 100"):
        io.read_staff_records(_staff(age=120))


def test_assignment_category_values_get_specific_advice():
    with pytest.raises(InputError) as info:
        io.read_staff_records(_staff(contract_status="Permanent"))
    (problem,) = info.value.problems
    assert problem.value == "Permanent" and "give the 'Full/Part Time' column" in problem.expected


def test_missing_values_are_kept_and_recoded_not_dropped():
    df = pd.concat([_staff(), _staff(employee_id="E2", ethnic_category=None, disability="")])
    out = io.read_staff_records(df)
    assert len(out) == 2
    assert out["ethnic_category"].tolist() == ["A", "99"]
    assert out["disability"].tolist() == ["No", "Not declared"]


def test_staff_frame_problems_use_spreadsheet_rows_from_2():
    df = pd.concat([_staff(), _staff(employee_id="E2", sex="X")])
    with pytest.raises(InputError) as info:
        io.read_staff_records(df)
    (problem,) = info.value.problems
    assert (problem.file, problem.column, problem.row, problem.value) == (
        "<DataFrame>", "sex", 3, "X",
    )  # fmt: skip
    assert problem.expected == "one of: 'Female', 'Male'"


# -- tables: Excel, encodings, title rows -----------------------------------------------
def test_excel_round_trip_with_title_rows_and_named_sheet(tmp_path):
    path = tmp_path / "esr.xlsx"
    esr = _staff().rename(columns={"pay_band": "Pay Band", "ethnic_category": "Ethnic Origin"})
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="Notes", index=False)
        esr.to_excel(writer, sheet_name="Staff", index=False, startrow=2)
    out = io.read_staff_records(path, sheet="Staff")
    pd.testing.assert_frame_equal(out, io.read_staff_records(_staff()))
    assert out["pay_band"].tolist() == ["Band 5"] and out["age"].tolist() == [34]
    bad = esr.assign(**{"Pay Band": "Band 10"})
    with pd.ExcelWriter(path) as writer:
        bad.to_excel(writer, sheet_name="Staff", index=False, startrow=2)
    with pytest.raises(
        InputError,
        match=r"file esr.xlsx, sheet 'Staff', column 'pay_band', row 4 \(cell B4\): "
        r"found 'Band 10'",
    ):
        io.read_staff_records(path)


def test_cp1252_and_semicolon_csv(tmp_path):
    path = tmp_path / "staff.csv"
    text = _staff(directorate="Café Services").to_csv(index=False, sep=";")
    path.write_bytes(text.encode("cp1252"))
    out = io.read_staff_records(path)
    assert out["directorate"].iat[0] == "Café Services"


def test_read_table_keeps_spreadsheet_rows_and_drops_blank_rows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Title of report\n\nPay Band,Gender\nBand 5,F\n,\nBand 6,M\n", encoding="utf-8")
    table = io.read_table(path, kind="staff_records")
    assert list(table.columns) == ["Pay Band", "Gender"]
    assert table.index.tolist() == [4, 6]


def test_corrupt_excel_file_is_an_input_error(tmp_path):
    (tmp_path / "staff.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(InputError, match="file staff.xlsx.*a readable Excel workbook"):
        io.read_staff_records(tmp_path / "staff.xlsx")
    with pytest.raises(InputError, match="a sheet named 'Absent'"):
        io.read_table(FIXTURES / "staff_records_good.xlsx", sheet="Absent")


def test_unknown_file_type_and_missing_file(tmp_path):
    with pytest.raises(InputError, match="a .csv, .xlsx or .xls file"):
        (tmp_path / "x.json").write_text("{}")
        io.read_table(tmp_path / "x.json")
    with pytest.raises(InputError, match="an existing file"):
        io.read_table(tmp_path / "absent.csv")


# -- other inputs ------------------------------------------------------------------------
def test_survey_results_export_headers_codes_and_suppressed_marks():
    df = io.read_survey_results(FIXTURES / "survey_results_export.csv")
    assert df["question"].tolist() == ["q14b", "q14b", "q14b", "q15"]
    assert df["breakdown"].tolist() == ["Overall", "Ethnicity", "Ethnicity", "Sex"]
    assert df["subgroup"].iat[0] == "Organisation"
    assert df["n_respondents"].tolist() == [250, 180, 6, 190]
    assert df["pct_positive"].iat[0] == 11.2 and pd.isna(df["pct_positive"].iat[2])


def test_survey_results_problems():
    bad = pd.DataFrame(
        {"year": ["2024", "2024"], "question": ["q14b", "q14b"], "breakdown": ["Sex", "Sex"],
         "subgroup": ["Female", "Female"], "n_respondents": ["ten", "5"],
         "pct_positive": ["50", "150"]}
    )  # fmt: skip
    with pytest.raises(InputError) as info:
        io.read_survey_results(bad)
    text = str(info.value)
    assert "column 'n_respondents', row 2: found 'ten'; expected a whole number" in text
    assert (
        "column 'pct_positive', row 3: found '150'; expected a percentage from 0 to 100" in text
    )
    assert "one row per year x question x breakdown x subgroup" in text


def test_survey_responses_question_headers_become_codes_and_answers_are_kept():
    df = io.read_survey_responses(FIXTURES / "survey_responses.csv")
    assert {"q14b", "q25c"} <= set(df.columns)
    assert df["q14b"].tolist()[:2] == ["Never", "1-2"] and pd.isna(df["q14b"].iat[2])
    assert df["ethnic_category"].iat[1] == "Asian / Asian British"


def test_births_reader_lists_every_problem():
    with pytest.raises(InputError) as info:
        io.read_births(FIXTURES / "births_bad.csv")
    got = {(p.column, p.row, p.value) for p in info.value.problems}
    assert got == {
        ("gestation_weeks", 4, "50"),
        ("delivery_method", 5, "Teleported"),
        ("lsoa_code", 5, "NOTANLSOA"),
        ("outcome", 5, "Unknown"),
    }
    assert "an LSOA 2011 or 2021 code such as 'E01025633'" in str(info.value)


def test_births_reader_normalises_years_codes_and_methods():
    good = pd.read_csv(FIXTURES / "births_bad.csv", dtype=str).iloc[:2]
    df = io.read_births(good)
    assert df["year"].tolist() == ["2024-25", "2024-25"]
    assert df["mother_ethnic_category"].tolist() == ["A", "99"]
    assert df["lsoa_code"].tolist() == ["E01013600", "E01013601"]
    assert df["outcome"].tolist() == ["Live birth", "Stillbirth"]
    assert df["delivery_method"].tolist() == ["Spontaneous", "Emergency caesarean"]
    assert df["language_recorded"].tolist() == [True, False]
    assert not df["termination"].any()


def test_birth_counts_events_above_denominator_is_reported():
    bad = pd.DataFrame(
        {"Year": ["2024-25"], "Group Type": ["All"], "Group": ["All"], "Measure": ["stillbirth"],
         "Numerator": ["12"], "Denominator": ["10"]}
    )  # fmt: skip
    with pytest.raises(InputError) as info:
        io.read_birth_counts(bad)
    (problem,) = info.value.problems
    assert (problem.row, problem.expected) == (2, "events not more than the denominator")
    assert "events=12" in problem.value and "denominator=10" in problem.value


def test_recruitment_board_disciplinary_and_training_readers():
    rec = io.read_recruitment(FIXTURES / "recruitment_good.csv")
    assert rec["appointed"].tolist() == [True, False, False]
    assert rec["ethnic_category"].tolist() == ["A", "H", "99"]
    assert rec["pay_band"].tolist()[:2] == ["Band 5", "Band 8a"]
    board = io.read_board(FIXTURES / "board_good.csv")
    assert board["executive"].tolist() == [True, False, True]
    assert board["voting"].tolist() == [True, True, False]
    assert board["ethnic_category"].tolist() == ["A", "N", "H"]
    counts = io.read_disciplinary(FIXTURES / "disciplinary_counts.csv")
    assert counts.attrs["form"] == "counts" and counts["cases"].sum() == 6
    records = io.read_disciplinary(pd.DataFrame({"Ethnic Origin": ["A", "Z"]}))
    assert records.attrs["form"] == "records" and records["ethnic_category"].tolist() == ["A", "Z"]
    with pytest.raises(InputError, match="column 'accessed', row 3: found 'maybe'"):
        io.read_training(
            pd.DataFrame({"ethnic_category": ["A", "H"], "accessed": ["Yes", "maybe"]})
        )


# -- a whole folder ----------------------------------------------------------------------
def test_load_org_inputs_names_the_missing_required_file(tmp_path):
    with pytest.raises(
        InputError, match=r"expected a file named staff_records.csv or staff_records.xlsx"
    ):
        io.load_org_inputs(tmp_path)
    with pytest.raises(InputError, match="an existing folder"):
        io.load_org_inputs(tmp_path / "absent")
    with pytest.raises(ValueError, match="unknown input"):
        io.load_org_inputs(tmp_path, required=["staff"])


def test_load_org_inputs_reads_known_files_and_reports_all_problems(tmp_path):
    (tmp_path / "staff_records.csv").write_bytes((FIXTURES / "staff_records_good.csv").read_bytes())
    (tmp_path / "Board.CSV").write_bytes((FIXTURES / "board_good.csv").read_bytes())
    inputs = io.load_org_inputs(tmp_path)
    assert len(inputs["staff_records"]) == 4 and len(inputs["board"]) == 3
    assert inputs["births"] is None and inputs["survey_results"] is None
    (tmp_path / "births.csv").write_bytes((FIXTURES / "births_bad.csv").read_bytes())
    (tmp_path / "staff_records.xlsx").write_bytes(b"")
    with pytest.raises(InputError) as info:
        io.load_org_inputs(tmp_path)
    text = str(info.value)
    assert "only one file for 'staff_records'" in text
    assert "births_bad.csv" not in text and "file births.csv, column 'outcome'" in text


def test_excel_fixture_reads_the_same_as_the_csv():
    from_csv = io.read_staff_records(FIXTURES / "staff_records_good.csv")
    from_xlsx = io.read_staff_records(FIXTURES / "staff_records_good.xlsx")
    assert from_xlsx.attrs["source"] == "staff_records_good.xlsx"
    pd.testing.assert_frame_equal(from_xlsx, from_csv)


def test_excel_numbers_typed_as_numbers_are_read(tmp_path):
    path = tmp_path / "staff.xlsx"
    _staff(age=45, hourly_pay=21.5, fte=0.8).to_excel(path, index=False)  # real numbers in cells
    out = io.read_staff_records(path)
    assert out["age"].tolist() == [45] and out["age_band"].tolist() == ["45-49"]
    assert out["hourly_pay"].tolist() == [21.5] and out["fte"].tolist() == [0.8]


# -- disciplinary and capability cases by financial year ------------------------------------
def test_disciplinary_years_are_normalised_to_financial_years():
    out = io.read_disciplinary(pd.DataFrame({
        "Ethnic Origin": ["A", "H", "N"],
        "Financial Year": ["2024/25", "2025-2026", "FY2025-26"],
    }))
    assert out.attrs["form"] == "records"
    assert out["year"].tolist() == ["2024-25", "2025-26", "2025-26"]


def test_disciplinary_bad_years_are_listed_with_rows():
    with pytest.raises(InputError) as info:
        io.read_disciplinary(pd.DataFrame({"ethnic_category": ["A", "H", "A"],
                                           "year": ["2025-26", "2024/26", "last year"]}))
    problems = info.value.problems
    assert [(p.column, p.row, p.value) for p in problems] == [
        ("year", 3, "2024/26"), ("year", 4, "last year")]
    assert "financial year such as '2024-25'" in problems[0].expected


def test_disciplinary_counts_with_a_year_are_one_row_per_year_and_group():
    counts = io.read_disciplinary(pd.DataFrame({
        "Characteristic": ["Ethnicity"] * 4, "Group": ["White", "BME"] * 2,
        "Cases": [2, 3, 4, 1], "Year": ["2024/25", "2024/25", "2025/26", "2025/26"],
    }))
    assert counts.attrs["form"] == "counts"
    assert sorted(counts["year"].unique()) == ["2024-25", "2025-26"]
    with pytest.raises(InputError, match=r"one row per year x group_type x group"):
        io.read_disciplinary(pd.DataFrame({"group_type": ["Ethnicity"] * 2,
                                           "group": ["BME", "BME"], "cases": [1, 2],
                                           "year": ["2025-26"] * 2}))


def test_capability_reader_records_and_counts():
    rec = io.read_capability(pd.DataFrame({"Disability Flag": ["Y", "No", None],
                                           "Year": ["2025-26"] * 3}))
    assert rec.attrs["form"] == "records"
    assert rec["disability"].tolist() == ["Yes", "No", "Not declared"]
    counts = io.read_capability(pd.DataFrame({"Group Type": ["disability"] * 2,
                                              "Group": ["Yes", "No"], "Cases": [2, 5]}))
    assert counts.attrs["form"] == "counts" and counts["cases"].sum() == 7
    with pytest.raises(InputError, match="disability"):
        io.read_capability(pd.DataFrame({"ethnic_category": ["A"]}))


def test_capability_is_an_optional_input_file(tmp_path):
    assert io.INPUT_FILES["capability"] == (io.read_capability, False)
    _staff().to_csv(tmp_path / "staff_records.csv", index=False)
    assert io.load_org_inputs(tmp_path)["capability"] is None
    pd.DataFrame({"disability": ["Yes", "No"], "year": ["2025-26", "2024-25"]}).to_csv(
        tmp_path / "capability.csv", index=False)
    cap = io.load_org_inputs(tmp_path)["capability"]
    assert cap["year"].tolist() == ["2025-26", "2024-25"]


# -- service activity ------------------------------------------------------------------
def _dashboard_export() -> pd.DataFrame:
    return pd.DataFrame({
        "Month": ["Jul-25", "July 2025", "2025-07-01 00:00:00", "2025/26"],
        "Metric": ["Talking Therapies recovery"] * 4,
        "Measure": ["%", "Percentage", "proportion", "proportion"],
        "Sub-ICB Location": ["Leicester City", "West Leicestershire", None, "Rutland"],
        "IMD Quintile": ["Q1", "5 - least deprived", "Not known", "3"],
        "Numerator": ["440", "1,210", "12", "30"],
        "Denominator": [912, 2000, 25, 60],
    })  # fmt: skip


def test_service_activity_dashboard_headers_periods_and_quintiles_are_normalised():
    out = io.read_service_activity(_dashboard_export())
    assert list(out.columns[:8]) == ["period", "indicator", "measure", "multiplier", "place",
                                     "imd_quintile", "numerator", "denominator"]  # fmt: skip
    assert out["period"].tolist() == ["2025-07", "2025-07", "2025-07", "2025-26"]
    assert out["measure"].eq("proportion").all() and out["multiplier"].eq(1.0).all()
    assert out["imd_quintile"].tolist()[:2] == [1, 5] and pd.isna(out["imd_quintile"].iloc[2])
    assert out["numerator"].tolist() == [440, 1210, 12, 30]
    assert out["place"].isna().sum() == 1  # kept: reported as "Not known"


def test_service_activity_rates_get_a_default_multiplier_of_1000():
    df = _dashboard_export().assign(Measure="Per 1,000", Numerator=[5, 6, 7, 80])
    out = io.read_service_activity(df)
    assert out["measure"].eq("rate").all() and out["multiplier"].eq(1000.0).all()
    out = io.read_service_activity(df.assign(Multiplier="100,000"))
    assert out["multiplier"].eq(100_000.0).all()


def test_service_activity_problems_name_file_column_row_and_expected(tmp_path):
    df = _dashboard_export().assign(
        Month=["2025-13", "Jul-25", "Jul-25", "2025-26"],
        Numerator=["1000", "x", "12", "30"],
        **{"IMD Quintile": ["6", "Q1", "Q2", "Q3"]},
    )
    path = tmp_path / "service_activity.csv"
    path.write_text("Talking Therapies dashboard export\n" + df.to_csv(index=False))
    with pytest.raises(InputError) as info:
        io.read_service_activity(path)
    found = {(p.column, p.row) for p in info.value.problems}
    # the title row pushes the header to row 2, so the first data row is row 3
    assert found == {("period", 3), ("imd_quintile", 3), ("numerator, denominator", 3),
                     ("numerator", 4)}  # fmt: skip
    assert all(p.file == "service_activity.csv" for p in info.value.problems)
    text = str(info.value)
    assert "a month such as '2025-07'" in text
    assert "numerator 1000, denominator 912" in text
    assert "1 (most deprived) to 5 (least deprived)" in text


def test_service_activity_needs_a_group_column_and_one_measure_per_indicator():
    no_groups = _dashboard_export().drop(columns=["Sub-ICB Location", "IMD Quintile"])
    with pytest.raises(InputError, match="at least one group column"):
        io.read_service_activity(no_groups)
    io.read_service_activity(no_groups.assign(LSOA="E01025633"))  # record-level is grouped
    mixed = _dashboard_export().assign(Measure=["%", "rate", "%", "%"])
    with pytest.raises(InputError, match="one measure per indicator") as info:
        io.read_service_activity(mixed)
    assert [p.row for p in info.value.problems] == [3]
    with pytest.raises(InputError, match="a column named 'denominator'"):
        io.read_service_activity(_dashboard_export().drop(columns="Denominator"))


def test_service_activity_is_an_optional_input_file(tmp_path):
    assert io.INPUT_FILES["service_activity"] == (io.read_service_activity, False)
    _staff().to_csv(tmp_path / "staff_records.csv", index=False)
    assert io.load_org_inputs(tmp_path)["service_activity"] is None
    _dashboard_export().to_csv(tmp_path / "service_activity.csv", index=False)
    assert len(io.load_org_inputs(tmp_path)["service_activity"]) == 4


def test_survey_results_carry_the_engagement_score_for_wdes_9a(tmp_path):
    path = tmp_path / "survey_results.csv"
    path.write_text(
        "year,question,breakdown,subgroup,n_respondents,pct_positive,score,score_sd\n"
        "2025,Staff engagement,Overall,Organisation,200,,6.9,1.4\n"
        "2025,Q4b,Overall,Organisation,198,44.2,,\n"
    )
    out = io.read_survey_results(path)
    assert list(out["question"]) == ["engagement", "q4b"]
    assert out.loc[out["question"] == "engagement", "score"].item() == 6.9
    bad = tmp_path / "bad.csv"
    bad.write_text("year,question,breakdown,subgroup,n_respondents,pct_positive,score\n"
                   "2025,engagement,Overall,Organisation,200,,11\n")
    with pytest.raises(InputError, match="score"):
        io.read_survey_results(bad)


def test_an_esr_title_as_at_date_is_the_snapshot_date(tmp_path):
    staff = FIXTURES / "staff_records_good.csv"
    text = staff.read_text(encoding="utf-8")
    (tmp_path / "a.csv").write_text("Staff in Post as at 31/03/2025\nRun 02/12/2026\n" + text)
    (tmp_path / "b.csv").write_text("Report run 02/12/2026\n" + text)
    dated = io.read_staff_records(tmp_path / "a.csv")
    assert set(dated["snapshot_date"]) == {"2025-03-31"}
    assert any("read from the title" in w.message for w in dated.attrs["warnings"])
    assert "snapshot_date" not in io.read_staff_records(tmp_path / "b.csv").columns


def test_a_value_out_of_range_is_shown_as_typed_not_as_parsed():
    frame = io.read_table(FIXTURES / "staff_records_good.csv")
    frame.iloc[0, list(frame.columns).index("Hourly Rate")] = "5000"
    with pytest.raises(InputError, match="found '5000'; expected ordinary pay per hour"):
        io.read_staff_records(frame)


@pytest.mark.parametrize(("text", "number", "hint"), [
    ("1,234.5", 1234.5, None), ("£12.50", 12.5, None), ("(3)", -3.0, None),
    ("9,50", None, io.DECIMAL_COMMA_HINT), ("1.234,5", None, io.DECIMAL_COMMA_HINT),
    ("99999999999999999999", None, io.TOO_LARGE_HINT), ("1e20", None, io.TOO_LARGE_HINT),
    ("12,34,5", None, ""), ("forty", None, ""),
])
def test_numbers_are_read_or_refused_with_the_reason(text, number, hint):
    assert io._number_and_reason(text) == (number, hint)
