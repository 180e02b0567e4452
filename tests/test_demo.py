"""Tests of the SYNTHETIC demo data generator (edi_analysis.demo)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from edi_analysis import demo, schemas

U = "U"  # the seed report's "Under 5%"
NOT_STATED_SO = "Not stated (person asked but declined to provide a response)"

# Published LLR ICB workforce profile, 30 September 2025 (seed report lines 780-1330):
# % headcount within each cluster (Band 1 - 4, Band 5 - 7, Band 8a - 9, Non-AfC).
SEED_TABLES: dict[str, dict[str, tuple]] = {
    "age_band": {
        "16-19": (0.00, 0.00, 0.00, 0.00), "20-24": (10.00, U, 0.00, U),
        "25-29": (10.00, 6.14, U, 0.00), "30-34": (15.00, 19.30, U, U),
        "35-39": (10.00, 12.28, 11.33, U), "40-44": (10.00, 11.40, 13.33, 25.64),
        "45-49": (15.00, 15.79, 23.33, 20.51), "50-54": (15.00, 12.28, 17.33, 12.82),
        "55-59": (10.00, 8.77, 15.33, 10.26), "60-64": (5.00, 11.40, 10.00, 12.82),
        "65-69": (0.00, U, U, 7.69), "70+": (0.00, 0.00, 0.00, U),
    },
    "disability": {
        "No": (75.00, 85.09, 84.00, 56.41), "Yes": (5.00, 10.53, 12.00, 0.00),
        "Not declared": (15.00, U, U, 43.59), "Prefer not to answer": (5.00, 0.00, 0.00, 0.00),
    },
    "ethnic_group": {
        "White": (50.00, 56.14, 62.67, 41.03), "Asian": (25.00, 37.72, 25.33, 20.51),
        "Not Stated": (10.00, U, 7.33, 35.90), "Black": (15.00, U, U, 0.00),
        "Mixed": (0.00, U, U, U), "Other": (0.00, 0.00, U, 0.00), "Chinese": (0.00, 0.00, U, 0.00),
    },
    "religion_belief": {
        "I do not wish to disclose my religion/belief": (30.00, 18.42, 26.67, 71.79),
        "Christianity": (20.00, 27.19, 30.67, 10.26), "Hinduism": (20.00, 16.67, 11.33, 7.69),
        "Atheism": (15.00, 10.53, 14.00, 10.26), "Islam": (10.00, 14.91, 5.33, 0.00),
        "Other": (5.00, 7.89, 6.00, 0.00), "Sikhism": (0.00, U, 6.00, 0.00),
        "Buddhism": (0.00, U, 0.00, 0.00),
    },
    "sexual_orientation": {
        "Heterosexual or Straight": (65.00, 85.96, 81.33, 30.77),
        NOT_STATED_SO: (30.00, 10.53, 15.33, 69.23),
        "Bisexual": (0.00, U, U, 0.00), "Other sexual orientation not listed": (0.00, U, U, 0.00),
        "Gay or Lesbian": (0.00, 0.00, U, 0.00), "Undecided": (5.00, 0.00, 0.00, 0.00),
    },
    "contract_status": {
        "Full-Time": (75.00, 78.95, 74.67, 17.95), "Part-Time": (25.00, 21.05, 25.33, 82.05),
    },
}  # fmt: skip

# Grand totals from the chart data (seed lines 2430-2480), as published fractions of 323.
SEED_TOTALS: dict[str, dict[str, float]] = {
    "sex": {"Female": 0.73374613003095979, "Male": 0.26625386996904027},
    "marital_status": {
        "Married": 0.65015479876160986, "Single": 0.21981424148606812,
        "Divorced": 6.5015479876160992e-2, "Unknown": 4.3343653250773995e-2,
        "Legally Separated": 9.2879256965944269e-3, "Widowed": 6.1919504643962852e-3,
        "Civil Partnership": 6.1919504643962852e-3,
    },
    "ethnic_group": {
        "White": 0.56965944272445823, "Asian": 0.29102167182662536,
        "Not Stated": 9.5975232198142413e-2, "Black": 2.1671826625386997e-2,
        "Mixed": 1.238390092879257e-2, "Other": 6.1919504643962852e-3,
        "Chinese": 3.0959752321981426e-3,
    },
    "disability": {
        "No": 0.804953560371517, "Yes": 9.5975232198142413e-2,
        "Not declared": 9.5975232198142413e-2, "Prefer not to answer": 3.0959752321981426e-3,
    },
    "contract_status": {"Full-Time": 0.69349845201238391, "Part-Time": 0.30650154798761609},
}  # fmt: skip
SEED_AGE_HEADCOUNT = dict(
    zip(schemas.AGE_BANDS, [0, 4, 13, 30, 34, 45, 64, 48, 39, 34, 11, 1], strict=True)
)
CLUSTERS = ["Band 1 - 4", "Band 5 - 7", "Band 8a - 9", "Non-AfC"]


@pytest.fixture(scope="module")
def llr() -> pd.DataFrame:
    df = demo.demo_staff_records("QK1")
    df["ethnic_group"] = df["ethnic_category"].map(demo.seed_ethnic_group)
    df["cluster"] = df["pay_band"].map(schemas.pay_band_cluster)
    return df


def test_llr_headcount_and_cluster_sizes_match_the_published_profile(llr):
    # cluster sizes derived from the published percentages: e.g. 85.09% of 114 = 97
    assert len(llr) == 323
    sizes = llr["cluster"].value_counts().reindex(CLUSTERS).tolist()
    assert sizes == [20, 114, 150, 39]


@pytest.mark.parametrize("characteristic", list(SEED_TABLES))
def test_llr_reproduces_every_published_cluster_percentage(llr, characteristic):
    table = SEED_TABLES[characteristic]
    for k, cluster in enumerate(CLUSTERS):
        sub = llr.loc[llr["cluster"] == cluster, characteristic]
        assert set(sub) <= set(table), f"{characteristic}/{cluster}: unexpected values"
        for value, row in table.items():
            published = row[k]
            pct = 100 * (sub == value).sum() / len(sub)
            if published == U:
                assert 0 < pct < 5, (characteristic, cluster, value, pct)
            else:
                assert round(pct, 2) == pytest.approx(published, abs=1e-9), (
                    characteristic,
                    cluster,
                    value,
                    pct,
                )


@pytest.mark.parametrize("characteristic", list(SEED_TOTALS))
def test_llr_reproduces_published_totals(llr, characteristic):
    shares = llr[characteristic].value_counts(normalize=True)
    for value, published in SEED_TOTALS[characteristic].items():
        assert shares.get(value, 0.0) == pytest.approx(published, abs=1e-12)


def test_llr_age_headcounts(llr):
    assert llr["age_band"].value_counts().reindex(schemas.AGE_BANDS, fill_value=0).to_dict() == (
        SEED_AGE_HEADCOUNT
    )


def test_staff_records_are_labelled_synthetic_and_pass_the_schema(llr):
    assert (llr["data_label"] == "SYNTHETIC").all()
    assert llr.attrs["data_label"] == "SYNTHETIC"
    schemas.STAFF_RECORDS_SCHEMA.validate(llr)


def test_same_seed_gives_identical_frames_and_other_seeds_differ():
    a = demo.demo_staff_records("QK1", seed=7)
    b = demo.demo_staff_records("QK1", seed=7)
    c = demo.demo_staff_records("QK1", seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert not a["ethnic_category"].equals(c["ethnic_category"])


def test_ages_lie_in_their_bands(llr):
    derived = llr["age"].map(lambda a: schemas.age_band_of(float(a)))
    assert (derived == llr["age_band"]).all()


def test_pay_follows_afc_scales_and_shows_a_gender_pay_gap(llr):
    band5 = llr.loc[llr["pay_band"] == "Band 5", "hourly_pay"]
    assert band5.between(29970 / (37.5 * 52.143) - 0.01, 36483 / (37.5 * 52.143) + 0.01).all()
    means = llr.groupby("sex")["hourly_pay"].mean()
    gap = (means["Male"] - means["Female"]) / means["Male"]
    assert 0.05 < gap < 0.35
    assert (llr.loc[~llr["pay_band"].str.startswith("Medical"), "bonus_pay"] >= 0).all()
    assert llr["bonus_pay"].gt(0).any()


def test_other_icbs_differ_and_follow_their_census_mix():
    bsol = demo.demo_staff_records("QHL")  # Birmingham and Solihull
    stw = demo.demo_staff_records("QOC")  # Shropshire, Telford and Wrekin
    assert 300 <= len(bsol) <= 600 and 300 <= len(stw) <= 600
    white = {
        name: (df["ethnic_category"].map(demo.seed_ethnic_group) == "White").mean()
        for name, df in {"bsol": bsol, "stw": stw}.items()
    }
    assert white["stw"] > white["bsol"] + 0.2
    schemas.STAFF_RECORDS_SCHEMA.validate(bsol)


def test_explicit_headcount_scales_clusters():
    df = demo.demo_staff_records("QK1", headcount=646)
    assert len(df) == 646
    sizes = df["pay_band"].map(schemas.pay_band_cluster).value_counts().reindex(CLUSTERS).tolist()
    assert sizes == [40, 228, 300, 78]


def test_bad_headcount_is_rejected():
    with pytest.raises(ValueError, match="headcount"):
        demo.demo_staff_records("QK1", headcount=3)


def test_previous_snapshot_has_the_published_2024_declaration_rates():
    prev = demo.demo_previous_snapshot("QK1")
    schemas.STAFF_RECORDS_SCHEMA.validate(prev)
    n = len(prev)
    assert prev["ethnic_category"].isin(["Z", "99"]).sum() == round(0.118 * n)
    not_stated = "Not stated (person asked but declined to provide a response)"
    assert prev["sexual_orientation"].isin([not_stated, "Unspecified"]).sum() == round(0.25 * n)
    assert prev["disability"].isin(["Not declared", "Prefer not to answer"]).sum() == round(
        0.10 * n
    )
    assert prev.attrs["snapshot"] == "2024-09-30"
    current = demo.demo_staff_records()["hourly_pay"].mean()
    assert np.isclose(prev["hourly_pay"].mean(), current / 1.036, rtol=0.05)


# -- other workforce inputs ----------------------------------------------------------------
def test_workforce_extras_pass_their_schemas_and_are_labelled(llr):
    staff = llr.drop(columns=["ethnic_group", "cluster"])
    frames = {
        "recruitment": demo.demo_recruitment(staff=staff),
        "disciplinary": demo.demo_disciplinary(staff=staff),
        "training": demo.demo_training(staff=staff),
        "board": demo.demo_board(),
    }
    for name, frame in frames.items():
        schemas.SCHEMAS[name].validate(frame)
        assert (frame["data_label"] == "SYNTHETIC").all(), name
    rec = frames["recruitment"]
    white = rec["ethnic_category"].isin(["A", "B", "C"])
    minority = ~rec["ethnic_category"].isin(["A", "B", "C", "Z", "99"])
    relative_likelihood = rec.loc[white, "appointed"].mean() / rec.loc[minority, "appointed"].mean()
    assert 1.1 < relative_likelihood < 2.5  # set at 0.18 / 0.12 = 1.5
    assert set(frames["disciplinary"]["employee_id"]) <= set(staff["employee_id"])
    assert len(frames["training"]) == len(staff)
    board = frames["board"]
    assert len(board) == 14 and board["executive"].sum() == 7 and board["voting"].sum() == 12


# -- staff survey ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return demo.demo_survey_results("QK1")


def test_survey_passes_schema_and_covers_years_questions_breakdowns(survey):
    schemas.SURVEY_RESULTS_SCHEMA.validate(survey)
    assert sorted(survey["year"].unique()) == [2023, 2024, 2025]
    assert {"q14a", "q14b", "q14c", "q15", "q16a", "q16b", "q21"} <= set(survey["question"])
    assert set(survey["breakdown"]) == {
        "Overall", "Age", "Disability", "Ethnicity", "Sex", "Sexual orientation", "Religion",
        "Division", "Directorate",
    }  # fmt: skip
    assert (survey["data_label"] == "SYNTHETIC").all()


def test_survey_overall_is_the_respondent_weighted_mean_of_a_complete_breakdown(survey):
    # Directorate comes from the sampling frame: every respondent is in one directorate.
    overall = survey[survey["breakdown"] == "Overall"].set_index(["year", "question"])
    survey = survey[survey["question"] != demo.ENGAGEMENT]  # a 0-10 score, not a percentage
    parts = survey[survey["breakdown"] == "Directorate"].assign(
        weighted=lambda d: d["n_respondents"] * d["pct_positive"]
    )
    sums = parts.groupby(["year", "question"])[["weighted", "n_respondents"]].sum()
    for (year, question), row in sums.iterrows():
        expected = overall.loc[(year, question)]
        assert row["n_respondents"] == expected["n_respondents"], (year, question)
        assert row["weighted"] / row["n_respondents"] == pytest.approx(expected["pct_positive"])


def test_survey_self_reported_breakdowns_miss_some_respondents_as_real_files_do(survey):
    overall = survey[survey["breakdown"] == "Overall"].set_index(["year", "question"])
    parts = survey[~survey["breakdown"].isin(["Overall", "Directorate"])]
    sums = parts.groupby(["year", "question", "breakdown"])["n_respondents"].sum()
    coverage = sums / overall["n_respondents"].reindex(sums.index.droplevel("breakdown")).values
    assert coverage.max() <= 1.0
    assert 0.85 < coverage.mean() < 0.97


def test_survey_response_rate_and_small_subgroups(survey):
    overall = survey[(survey["breakdown"] == "Overall") & (survey["question"] == "q21")]
    assert overall["n_respondents"].between(0.5 * 323, 0.7 * 323).all()
    assert (survey["n_respondents"] < 10).any()  # left for suppression


def test_survey_disabled_and_minority_staff_report_more_harassment_and_discrimination(survey):
    pooled = survey.assign(events=survey["n_respondents"] * survey["pct_positive"] / 100)
    pooled = pooled.groupby(["question", "breakdown", "subgroup"])[
        ["events", "n_respondents"]
    ].sum()
    rate = pooled["events"] / pooled["n_respondents"]
    assert rate["q14bc", "Disability", "Yes"] > rate["q14bc", "Disability", "No"]
    assert rate["q16b", "Ethnicity", "Asian / Asian British"] > rate["q16b", "Ethnicity", "White"]
    assert rate["q15", "Ethnicity", "Asian / Asian British"] < rate["q15", "Ethnicity", "White"]


def test_survey_is_deterministic_and_rejects_unknown_questions():
    a = demo.demo_survey_results("QK1", years=(2025,), seed=3)
    b = demo.demo_survey_results("QK1", years=(2025,), seed=3)
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(ValueError, match="unknown question"):
        demo.demo_survey_results("QK1", questions=["q999"])


# -- births ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def births() -> pd.DataFrame:
    return demo.demo_births("QK1")


def test_births_pass_schema_size_and_labels(births):
    schemas.BIRTHS_SCHEMA.validate(births)
    assert (births["data_label"] == "SYNTHETIC").all()
    per_year = births["year"].value_counts()
    # LLR: about 1.12 million residents x 10.5 per 1,000 = about 11,800 births a year
    assert per_year.between(11000, 12700).all() and set(per_year.index) == {"2023-24", "2024-25"}
    from edi_analysis.geography import icb_lsoas

    assert set(births["lsoa_code"].dropna()) <= set(icb_lsoas("QK1")["lsoa21_code"])


def test_births_rates_match_the_calibration(births):
    n = len(births)
    top = births["termination"]
    still = (births["outcome"] == "Stillbirth") & ~top
    live = births["outcome"] == "Live birth"
    # stillbirths: expected from the stated calibration over the generated covariates
    known = births["imd_decile"].notna() & ~births["mother_ethnic_category"].isin(["Z", "99"])
    k = births[known & ~top]
    group = k["mother_ethnic_category"].map(demo.seed_ethnic_group).replace({"Chinese": "Asian"})
    quintile = ((k["imd_decile"].astype(int) + 1) // 2).astype(int)
    p = (
        demo.STILLBIRTH_RATE_ENGLAND
        / 1.25
        * group.map(demo.STILLBIRTH_RR_ETHNICITY).to_numpy()
        * quintile.map(demo.STILLBIRTH_RR_IMD_QUINTILE).to_numpy()
    )
    expected, observed = p.sum(), still[known & ~top].sum()
    assert abs(observed - expected) < 4 * np.sqrt(expected)
    assert 2.5 < 1000 * still.sum() / (~top).sum() < 5.5
    preterm = (births.loc[live, "gestation_weeks"] < 37).mean()
    assert preterm == pytest.approx(demo.PRETERM_RATE, abs=0.008)
    emergency = (births["delivery_method"] == "Emergency caesarean").mean()
    assert emergency == pytest.approx(0.20, abs=0.015)
    assert births["language_recorded"].mean() == pytest.approx(0.90, abs=0.01)
    assert births["mother_ethnic_category"].isin(["Z", "99"]).mean() == pytest.approx(
        0.04, abs=0.01
    )
    assert births["lsoa_code"].isna().mean() == pytest.approx(0.015, abs=0.005)
    assert 0 < top.sum() < 0.002 * n
    assert (births.loc[top, "outcome"] == "Stillbirth").all()


def test_births_deprivation_and_ethnic_gradients(births):
    counts = demo.demo_birth_counts(births)
    schemas.BIRTH_COUNTS_SCHEMA.validate(counts)
    sb = (
        counts[counts["measure"] == "stillbirth"]
        .groupby(["group_type", "group"])[["events", "denominator"]]
        .sum()
    )
    rate = sb["events"] / sb["denominator"]
    assert rate["IMD quintile", "1"] > rate["IMD quintile", "5"]
    assert rate["Ethnicity", "Black"] > rate["Ethnicity", "White"]
    assert sb.loc[("All", "All"), "denominator"] == (~births["termination"]).sum()


def test_births_other_icb_and_scale():
    small = demo.demo_births("QHL", years=("2024-25",), scale=0.05)
    schemas.BIRTHS_SCHEMA.validate(small)
    assert 0.04 * 11000 < len(small) < 0.06 * 35000
    with pytest.raises(ValueError, match="scale"):
        demo.demo_births("QK1", scale=0)


# -- a demo folder ------------------------------------------------------------------------------
def test_write_demo_inputs_round_trips_through_load_org_inputs(tmp_path):
    from edi_analysis.io import load_org_inputs

    written = demo.write_demo_inputs("QK1", tmp_path, births_scale=0.05)
    assert [p.name for p in written if p.suffix == ".xlsx"] == ["synthetic_recruitment.xlsx"]
    assert all(p.name.startswith("synthetic_") for p in written[:-1])
    assert written[-1].name == "README.txt" and "SYNTHETIC" in written[-1].read_text()
    inputs = load_org_inputs(tmp_path)
    assert inputs["staff_records"].attrs["data_label"] == "SYNTHETIC"
    staff = demo.demo_staff_records("QK1")
    pd.testing.assert_frame_equal(
        inputs["staff_records"][staff.columns].reset_index(drop=True),
        staff.reset_index(drop=True),
        check_dtype=False,
    )
    assert inputs["recruitment"]["appointed"].dtype == bool
    for key in ("survey_results", "births", "birth_counts", "disciplinary", "training", "board",
                "previous_staff_records"):  # fmt: skip
        assert inputs[key] is not None and len(inputs[key]) > 0, key
    assert inputs["survey_responses"] is None
    assert sorted(inputs["survey_results"]["year"].unique()) == [2023, 2024, 2025]
    assert sorted(inputs["births"]["year"].unique()) == ["2024-25", "2025-26"]
    with pytest.raises(ValueError, match="financial year"):
        demo.write_demo_inputs("QK1", tmp_path, period="2025")


def test_survey_responses_aggregate_to_the_survey_results(survey):
    from edi_analysis import staff_survey
    from edi_analysis.io import read_survey_responses

    responses = demo.demo_survey_responses("QK1")
    schemas.SURVEY_RESPONSES_SCHEMA.validate(responses)
    assert (responses["data_label"] == "SYNTHETIC").all()
    assert "q14bc" not in responses.columns  # derived from q14b and q14c
    read_survey_responses(responses)
    aggregated = staff_survey.aggregate_responses(responses)
    percent = survey[survey["question"] != demo.ENGAGEMENT]  # scores are not responses
    merged = percent.merge(
        aggregated, on=["year", "question", "breakdown", "subgroup"], suffixes=("", "_agg")
    )
    assert len(merged) == len(percent)
    assert (merged["n_respondents"] == merged["n_respondents_agg"]).all()
    assert merged["pct_positive"].to_numpy() == pytest.approx(merged["pct_positive_agg"].to_numpy())


# -- formal cases over two years (WRES indicator 3, WDES metric 3) ------------------------------
def test_disciplinary_and_capability_cover_two_financial_years(llr):
    staff = llr.drop(columns=["ethnic_group", "cluster"])
    years = ("2024-25", "2025-26")
    disc = demo.demo_disciplinary(staff=staff, years=years)
    cap = demo.demo_capability(staff=staff, years=years)
    schemas.DISCIPLINARY_SCHEMA.validate(disc)
    schemas.CAPABILITY_SCHEMA.validate(cap)
    for frame in (disc, cap):
        assert (frame["data_label"] == "SYNTHETIC").all()
        assert sorted(frame["year"].unique()) == list(years)
        assert set(frame["employee_id"]) <= set(staff["employee_id"])
        assert not frame.duplicated(["employee_id", "year"]).any()
    n_year = round(0.005 * len(staff))
    assert (cap.groupby("year").size() == max(3, n_year)).all()
    with pytest.raises(ValueError, match="financial years"):
        demo.demo_capability(staff=staff, years=("2025",))


def test_demo_folder_holds_capability_cases_for_the_report_year_and_the_one_before(tmp_path):
    from edi_analysis.io import load_org_inputs

    written = demo.write_demo_inputs("QK1", tmp_path, births_scale=0.05, period="2026-27")
    assert "synthetic_capability.csv" in [p.name for p in written]
    inputs = load_org_inputs(tmp_path)
    for key in ("disciplinary", "capability"):
        assert sorted(inputs[key]["year"].unique()) == ["2025-26", "2026-27"], key


# -- service activity ----------------------------------------------------------------------
def test_service_activity_is_synthetic_reproducible_and_meets_the_contract():
    a = demo.demo_service_activity("QK1", periods=("2025-26",))
    pd.testing.assert_frame_equal(a, demo.demo_service_activity("QK1", periods=("2025-26",)))
    schemas.SERVICE_ACTIVITY_SCHEMA.validate(a)
    assert (a["data_label"] == "SYNTHETIC").all() and a.attrs["data_label"] == "SYNTHETIC"
    assert sorted(a["indicator"].unique()) == sorted(demo.SERVICE_INDICATORS)
    assert a["place"].nunique() == 3  # LLR's three sub-ICB locations
    assert set(a["imd_quintile"].dropna()) == {1, 2, 3, 4, 5}
    assert a["imd_quintile"].isna().any()  # referrals with no usable postcode
    assert (a["numerator"] <= a["denominator"]).all()
    # recovery falls with deprivation, as set: about 46% in quintile 1, 57% in quintile 5
    rec = a[a["indicator"] == "Talking Therapies recovery"].groupby("imd_quintile")[
        ["numerator", "denominator"]].sum()  # fmt: skip
    share = rec["numerator"] / rec["denominator"]
    assert share.loc[1] == pytest.approx(0.455, abs=0.03)
    assert share.loc[5] == pytest.approx(0.567, abs=0.03)


def test_demo_folder_holds_service_activity_for_the_report_year_and_the_one_before(tmp_path):
    from edi_analysis.io import load_org_inputs

    written = demo.write_demo_inputs("QK1", tmp_path, births_scale=0.05, period="2025-26")
    assert "synthetic_service_activity.csv" in [p.name for p in written]
    activity = load_org_inputs(tmp_path)["service_activity"]
    assert sorted(activity["period"].unique()) == ["2024-25", "2025-26"]
    assert activity.attrs["data_label"] == "SYNTHETIC"
    assert "synthetic_service_activity.csv" in (tmp_path / "README.txt").read_text()


def test_survey_engagement_score_rows_feed_wdes_9a(survey):
    rows = survey[survey["question"] == demo.ENGAGEMENT]
    assert set(rows["breakdown"]) == set(survey["breakdown"])
    assert rows["score"].between(0, 10).all() and rows["pct_positive"].isna().all()
    latest = rows[(rows["year"] == rows["year"].max()) & (rows["breakdown"] == "Disability")]
    by = latest.set_index("subgroup")["score"]
    assert by["Yes"] < by["No"]  # calibrated: disabled staff report lower engagement


def test_overlapping_periods_publish_the_same_figures_for_the_year_they_share():
    """Next year's demo report repeats this year's figures for the shared year: a year's
    synthetic data do not depend on the other years asked for (else the audit rightly
    refuses the second report as 'revised' data)."""
    from edi_analysis import demo as d

    def year(frame, column, value):
        part = frame[frame[column].astype(str) == str(value)]
        assert len(part) > 0, (column, value)
        return part.drop(columns=["data_label"], errors="ignore").reset_index(drop=True)

    a = d.demo_births("QK1", years=("2023-24", "2024-25"), scale=0.05)
    b = d.demo_births("QK1", years=("2024-25", "2025-26"), scale=0.05)
    pd.testing.assert_frame_equal(year(a, "year", "2024-25"), year(b, "year", "2024-25"))
    assert not year(a, "year", "2023-24").equals(year(b, "year", "2025-26"))

    staff = d.demo_staff_records("QK1", headcount=800)
    s1 = d.demo_survey_results("QK1", years=(2023, 2024, 2025), staff=staff)
    s2 = d.demo_survey_results("QK1", years=(2024, 2025, 2026), staff=staff)
    for y in (2024, 2025):
        pd.testing.assert_frame_equal(year(s1, "year", y), year(s2, "year", y))

    c1 = d.demo_disciplinary("QK1", staff=staff, years=("2023-24", "2024-25"))
    c2 = d.demo_disciplinary("QK1", staff=staff, years=("2024-25", "2025-26"))
    pd.testing.assert_frame_equal(year(c1, "year", "2024-25"), year(c2, "year", "2024-25"))

    v1 = d.demo_service_activity("QK1", periods=("2024-25", "2025-26"))
    v2 = d.demo_service_activity("QK1", periods=("2025-26", "2026-27"))
    pd.testing.assert_frame_equal(year(v1, "period", "2025-26"), year(v2, "period", "2025-26"))


def test_next_years_demo_files_repeat_this_years_for_the_years_they_share(tmp_path):
    """The demo files of 2025-26 and 2026-27 agree wherever they describe the same year:
    next year's previous staff snapshot is this year's current one, and the survey years
    and case years they share are identical (each is drawn from its own year's snapshot)."""
    from edi_analysis import demo as d

    this = {p.name: p for p in d.write_demo_inputs("QK1", tmp_path / "a", births_scale=0.02)}
    d.write_demo_inputs("QK1", tmp_path / "b", births_scale=0.02, period="2026-27")
    b = tmp_path / "b"

    def read(path, **filters):
        df = pd.read_csv(path)
        for column, value in filters.items():
            df = df[df[column].astype(str) == str(value)]
        assert len(df) > 0, (path.name, filters)
        return df.reset_index(drop=True)

    pd.testing.assert_frame_equal(read(this["synthetic_staff_records.csv"]),
                                  read(b / "synthetic_previous_staff_records.csv"))
    for year in (2024, 2025):
        pd.testing.assert_frame_equal(read(this["synthetic_survey_results.csv"], year=year),
                                      read(b / "synthetic_survey_results.csv", year=year))
    for stem in ("disciplinary", "capability"):
        name = f"synthetic_{stem}.csv"
        pd.testing.assert_frame_equal(read(this[name], year="2025-26"),
                                      read(b / name, year="2025-26"))
    current = read(b / "synthetic_staff_records.csv")
    assert not current.equals(read(this["synthetic_staff_records.csv"]))
    # a year on: the same headcount, some joiners, the stayers a year older
    assert len(current) == len(read(this["synthetic_staff_records.csv"]))
    stayers = current.merge(read(this["synthetic_staff_records.csv"]), on="employee_id")
    assert 0.85 < len(stayers) / len(current) < 0.97
    assert (stayers["age_x"] == stayers["age_y"] + 1).all()
