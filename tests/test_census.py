"""Tests for edi_analysis.census against published ONS figures and independent sums."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest

from edi_analysis import census
from edi_analysis.geography import icb_local_authorities, icb_table
from edi_analysis.paths import raw_data_dir

CENSUS = raw_data_dir() / "census2021"
LEICESTER, RUTLAND, BUCKS = "E06000016", "E06000017", "E06000060"


@cache
def raw_lookup() -> pd.DataFrame:
    return pd.read_csv(raw_data_dir() / "lookups" / "lsoa21_ltla_sicbl24_icb24.csv.gz")


@cache
def raw_sex() -> pd.DataFrame:
    return pd.read_csv(CENSUS / "sex_totals_ltla.csv").set_index("ltla21_code")


@cache
def raw_ethnic_ltla() -> pd.DataFrame:
    return pd.read_csv(CENSUS / "ethnic_group_detailed_ltla.csv").set_index("ltla21_code")


def shares(df: pd.DataFrame) -> pd.Series:
    return df.set_index("category")["share"]


def counts(df: pd.DataFrame) -> pd.Series:
    return df.set_index("category")["count"]


# ---------------------------------------------------------------- published ONS figures
def test_england_usual_residents_match_the_published_total():
    total = counts(census.comparator("England", "ethnicity_5", "all")).sum()
    # ONS: 56,489,800 (rounded); the perturbed tables give 56,490,0xx-56,490,1xx
    assert total == pytest.approx(56_490_000, abs=500)
    age_total = counts(census.comparator("England", "age_band", "all")).sum()
    assert age_total == 56_490_101  # TS007 England total


def test_england_broad_ethnic_groups_match_the_ons_bulletin():
    got = shares(census.comparator("England", "ethnicity_5", "all")).round(3)
    expected = pd.Series(
        {"Asian": 0.096, "Black": 0.042, "Mixed": 0.030, "White": 0.810, "Other": 0.022}
    )
    pd.testing.assert_series_equal(got, expected, check_names=False)


def test_leicester_asian_and_white_shares():
    got = shares(census.comparator([LEICESTER], "ethnicity_5", "all"))
    assert round(got["Asian"], 3) == 0.434
    assert round(got["White"], 3) == 0.409


def test_england_disability_and_religion_and_lgb():
    dis = shares(census.comparator("England", "disability", "all"))
    assert round(dis["Disabled"], 3) == 0.173
    rel = shares(census.comparator("England", "religion", "all")).round(3)
    assert (rel["Christian"], rel["No religion"], rel["Muslim"]) == (0.463, 0.367, 0.067)
    so = shares(census.comparator("England", "sexual_orientation_4", "16_plus"))
    assert round(so["LGB+"], 3) == 0.032


def test_england_marital_status_matches_published_counts():
    got = counts(census.comparator("England", "marital_status", "16_plus"))
    assert got["Married"] == 20_464_075
    assert got["In a registered civil partnership"] == 97_526
    assert got["Never married and never registered a civil partnership"] == 17_450_099


# ---------------------------------------------------------------- geography rules
ALL_CASES = [(c, p) for c in census.CHARACTERISTICS for p in census.POPULATIONS]


@pytest.mark.parametrize(("characteristic", "population"), ALL_CASES)
def test_shares_sum_to_one_and_categories_are_complete(characteristic, population):
    df = census.comparator("QK1", characteristic, population)
    assert df["share"].sum() == pytest.approx(1.0)
    assert list(df["category"]) == census.categories(characteristic, population)
    assert (df["count"] >= 0).all()
    assert df["base"].nunique() == 1 and df["area_code"].eq("E54000015").all()
    assert list(df.columns[:5]) == ["characteristic", "category", "count", "share", "base"]


@pytest.mark.parametrize("population", ["working_age", "all"])
def test_the_42_icbs_add_up_to_england(population):
    icbs = list(icb_table()["icb24_code"])
    for characteristic in census.CHARACTERISTICS:
        england = counts(census.comparator("England", characteristic, population))
        total = sum(counts(census.comparator(i, characteristic, population)) for i in icbs)
        np.testing.assert_allclose(total.to_numpy(), england.to_numpy(), rtol=1e-9)


def test_llr_from_its_lad_list_equals_the_icb_figure():
    lads = list(raw_lookup().loc[lambda d: d["icb24_code_nhs"] == "QK1", "ltla22_code"].unique())
    assert len(lads) == 9 and {LEICESTER, RUTLAND} <= set(lads)
    for characteristic in census.CHARACTERISTICS:
        for population in census.POPULATIONS:
            a = census.comparator("QK1", characteristic, population)
            b = census.comparator(lads, characteristic, population)
            pd.testing.assert_series_equal(counts(a), counts(b))


def test_lsoa_sum_agrees_with_lad_table_within_perturbation():
    lads = list(icb_local_authorities("QK1")["ltla22_code"])
    from_lsoas = counts(census.comparator("QK1", "ethnicity_5", "all"))
    eth = raw_ethnic_ltla().loc[lads]
    from_lads = pd.Series(
        {
            "Asian": eth["asian_total"].sum(),
            "Black": eth["black_total"].sum(),
            "Mixed": eth["mixed_total"].sum(),
            "White": eth["white_total"].sum(),
            "Other": eth["other_total"].sum(),
        }
    )
    assert (from_lsoas - from_lads).abs().max() < 100
    assert from_lsoas.sum() == pytest.approx(eth["total_usual_residents"].sum(), abs=100)


def test_split_lad_is_apportioned_by_population_share():
    bob = icb_local_authorities("QU9").set_index("ltla22_code")
    expected = (
        raw_sex()
        .loc[bob.index, ["females_16_64", "males_16_64"]]
        .mul(bob["share_of_ltla_pop"], axis=0)
        .sum()
    )
    got = census.comparator("QU9", "sex", "working_age")
    np.testing.assert_allclose(counts(got).to_numpy(), expected.to_numpy(), rtol=1e-12)
    assert "apportioned" in got["method"].iloc[0] and BUCKS in got["method"].iloc[0]
    # both parts of Buckinghamshire add back to the whole LAD
    parts = [
        raw_sex().loc[BUCKS, "total_population"]
        * icb_local_authorities(icb).set_index("ltla22_code").loc[BUCKS, "share_of_ltla_pop"]
        for icb in ("QU9", "QHG")
    ]
    whole = counts(census.comparator([BUCKS], "sex", "all")).sum()
    assert sum(parts) == pytest.approx(whole)


def test_lsoa_tables_are_exact_for_an_icb_with_a_split_lad():
    got = census.comparator("QU9", "ethnicity_5", "all")
    assert got["method"].iloc[0] == "sum of the area's LSOAs (exact)"
    assert got["count"].sum() == icb_table().set_index("icb24_code_nhs").loc["QU9", "population"]


# ---------------------------------------------------------------- population bases
def test_working_age_sex_base_is_females_plus_males_16_64():
    lads = list(icb_local_authorities("QK1")["ltla22_code"])
    got = census.comparator("QK1", "sex", "working_age")
    expected = raw_sex().loc[lads, "females_16_64"].sum() + raw_sex().loc[lads, "males_16_64"].sum()
    assert got["count"].sum() == expected
    assert got["base"].iloc[0] == census.BASE_16_64 == "Usual residents aged 16 to 64"


def test_working_age_age_bands_cover_16_to_64():
    ages = census.comparator("QK1", "age_band", "working_age")
    assert list(ages["category"])[0] == "16-19" and list(ages["category"])[-1] == "60-64"
    sex = census.comparator("QK1", "sex", "working_age")
    # TS007 vs TS009: the same population, different perturbation
    assert ages["count"].sum() == pytest.approx(sex["count"].sum(), abs=200)
    all_ages = census.comparator("QK1", "age_band", "all")
    assert list(all_ages["category"])[0] == "0-15" and list(all_ages["category"])[-1] == "70+"


@pytest.mark.parametrize(
    ("characteristic", "population", "base_start", "note"),
    [
        ("ethnicity_5", "working_age", census.BASE_16_PLUS, "not 16 to 64"),
        ("disability", "working_age", census.BASE_16_PLUS, "not 16 to 64"),
        ("religion", "16_plus", census.BASE_16_PLUS, None),
        ("marital_status", "all", census.BASE_16_PLUS, "asked only of people aged 16"),
        ("sexual_orientation", "all", census.BASE_16_PLUS, "asked only of people aged 16"),
        ("gender_identity", "working_age", census.BASE_16_64, None),
        ("sexual_orientation_4", "working_age", census.BASE_16_64, None),
        ("ethnicity_19", "working_age", census.BASE_ALL, "no 16+ table"),
        ("religion", "all", census.BASE_ALL, None),
    ],
)
def test_base_is_labelled_honestly(characteristic, population, base_start, note):
    base = census.comparator("QK1", characteristic, population)["base"].iloc[0]
    assert base.startswith(base_start)
    if note is None:
        assert base == base_start
    else:
        assert note in base


def test_16_plus_tables_agree_on_the_adult_population():
    totals = [
        census.comparator("England", c, "16_plus")["count"].sum()
        for c in ("ethnicity_5", "disability", "religion", "marital_status", "gender_identity")
    ]
    assert max(totals) - min(totals) < 200
    assert totals[0] == pytest.approx(46_007_038)


def test_not_answered_is_kept():
    rel = census.comparator("QK1", "religion", "all")
    assert rel.set_index("category").loc["Not answered", "count"] > 0
    so = census.comparator("QK1", "sexual_orientation", "working_age")
    assert "Not answered" in set(so["category"])
    assert "Does not apply" not in set(so["category"])  # all zero for 16+ bases


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError, match="unknown characteristic 'ethnicity'"):
        census.comparator("QK1", "ethnicity")
    with pytest.raises(ValueError, match="unknown population 'adults'"):
        census.comparator("QK1", "sex", "adults")
    with pytest.raises(ValueError, match="Welsh LADs"):
        census.comparator(["W06000015"], "sex")


def test_comparators_stacks_every_characteristic():
    df = census.comparators("LLR", population="all")
    assert list(df["characteristic"].unique()) == list(census.CHARACTERISTICS)
    assert df.groupby("characteristic")["share"].sum().to_numpy() == pytest.approx(1.0)


# ---------------------------------------------------------------- ESR harmonisation
def test_ethnic_categories_table():
    ec = census.ETHNIC_CATEGORIES.set_index("code")
    assert list(ec.index) == list("ABCDEFGHJKLMNPRS") + ["Z", "99"]
    assert ec.loc["A", "label"] == "A White - British"
    assert ec.loc["R", "group_5"] == "Asian"  # Census 2021 puts Chinese under Asian
    assert ec.loc["R", "nhs_group"] == "Other Ethnic Groups"
    assert ec.loc["S", "group_5"] == "Other"
    assert not ec.loc[["A", "B", "C"], "bme"].any()
    assert ec.loc[list("DEFGHJKLMNPRS"), "bme"].all()
    assert ec.loc[["Z", "99"], "bme"].isna().all()
    c19 = set(census.categories("ethnicity_19"))
    assert set(ec["census_19"]) - {"Not stated"} <= c19
    assert set(ec["group_5"]) - {"Not stated"} == set(census.categories("ethnicity_5"))


def test_every_census_19_category_has_an_nhs_code():
    mapping = census.CENSUS_19_TO_NHS_CODE
    assert set(mapping) == set(census.categories("ethnicity_19"))
    assert mapping["White: Roma"] == "C" and mapping["Other ethnic group: Arab"] == "S"
    assert mapping["Asian, Asian British or Asian Welsh: Chinese"] == "R"


ESR_VALUES = {
    "religion": [
        "Atheism",
        "Buddhism",
        "Christianity",
        "Hinduism",
        "Islam",
        "Jainism",
        "Judaism",
        "Sikhism",
        "Other",
        "I do not wish to disclose my religion/belief",
        "Unspecified",
    ],
    "sexual_orientation": [
        "Heterosexual or Straight",
        "Gay or Lesbian",
        "Bisexual",
        "Other sexual orientation not listed",
        "Undecided",
        "Not stated (person asked but declined to provide a response)",
        "Unspecified",
    ],
    "marital_status": [
        "Married",
        "Single",
        "Civil Partnership",
        "Divorced",
        "Legally Separated",
        "Widowed",
        "Unknown",
    ],
    "disability": ["Yes", "No", "Not declared", "Prefer not to answer"],
    "ethnicity_5": list("ABCDEFGHJKLMNPRS") + ["Z", "99"],
    "ethnicity_19": list("ABCDEFGHJKLMNPRS") + ["Z", "99"],
    "sex": ["Female", "Male"],
}


@pytest.mark.parametrize("characteristic", list(ESR_VALUES))
def test_esr_map_covers_every_esr_value_and_lands_on_census_categories(characteristic):
    mapping = census.esr_to_census_category(characteristic)
    assert set(mapping) == set(ESR_VALUES[characteristic])
    allowed = set(census.categories(characteristic)) | {"Not stated", "Not answered"}
    assert set(mapping.values()) <= allowed


def test_esr_map_examples():
    rel = census.esr_to_census_category("religion")
    assert rel["Christianity"] == "Christian" and rel["Islam"] == "Muslim"
    assert rel["I do not wish to disclose my religion/belief"] == "Not answered"
    so = census.esr_to_census_category("sexual_orientation")
    assert so["Heterosexual or Straight"] == "Straight or Heterosexual"
    assert so["Other sexual orientation not listed"] == "All other sexual orientations"
    ms = census.esr_to_census_category("marital_status")
    assert ms["Legally Separated"].startswith("Separated")
    assert ms["Single"].startswith("Never married")
    eth = census.esr_to_census_category("ethnicity_19")
    assert eth["A"] == "White: English, Welsh, Scottish, Northern Irish or British"
    assert eth["R"] == "Asian, Asian British or Asian Welsh: Chinese"
    with pytest.raises(ValueError, match="no ESR mapping for 'gender_identity'"):
        census.esr_to_census_category("gender_identity")
