"""Tests for edi_analysis.deprivation: IMD deciles/quintiles, local quintiles, ethnicity x IMD."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest

from edi_analysis import deprivation as dep
from edi_analysis.errors import InputError
from edi_analysis.geography import icb_lsoas, icb_table
from edi_analysis.paths import raw_data_dir

DEP = raw_data_dir() / "deprivation"


@cache
def raw_imd(version: str) -> pd.DataFrame:
    if version == "2025":
        df = pd.read_csv(DEP / "imd2025_lsoa21.csv.gz")
        return df.rename(columns={"lsoa21_code": "code", "IMD_decile": "decile"})
    df = pd.read_csv(DEP / "imd2019_lsoa11.csv.gz")
    return df.rename(columns={"lsoa11_code": "code", "imd_decile": "decile"})


@cache
def vintage_only_codes() -> tuple[str, str]:
    """One LSOA code that exists only in 2011 and one only in 2021."""
    c19, c25 = set(raw_imd("2019")["code"]), set(raw_imd("2025")["code"])
    return sorted(c19 - c25)[0], sorted(c25 - c19)[0]


def decile_of(version: str, code: str) -> int:
    return int(raw_imd(version).set_index("code").loc[code, "decile"])


# ---------------------------------------------------------------- national tables
def test_imd_2025_quintiles_have_a_fifth_of_lsoas_each():
    imd = dep.imd_by_lsoa("2025")
    assert len(imd) == 33_755 and imd["lsoa_code"].is_unique
    assert imd.groupby("imd_quintile").size().to_dict() == {q: 6_751 for q in range(1, 6)}
    assert imd.groupby("imd_decile").size().between(3_375, 3_376).all()
    np.testing.assert_array_equal(imd["imd_quintile"], np.ceil(imd["imd_decile"] / 2))


def test_imd_2019_quintiles():
    imd = dep.imd_by_lsoa("2019")
    assert len(imd) == 32_844
    assert imd.groupby("imd_quintile").size().between(6_568, 6_569).all()
    np.testing.assert_array_equal(
        imd["imd_quintile"], raw_imd("2019")["imd_quintile"]
    )  # the published derived column agrees


def test_quintile_1_is_most_deprived():
    imd = dep.imd_by_lsoa("2025").sort_values("imd_rank")
    assert imd["imd_decile"].iloc[0] == 1 and imd["imd_quintile"].iloc[0] == 1
    assert imd["imd_quintile"].iloc[-1] == 5
    assert imd["imd_score"].iloc[0] > imd["imd_score"].iloc[-1]


def test_imd_by_lsoa_rejects_unknown_version():
    with pytest.raises(ValueError, match="unknown IMD version '2015'"):
        dep.imd_by_lsoa("2015")


# ---------------------------------------------------------------- assign_imd_quintile
def test_lsoa_2011_code_gets_the_2019_decile():
    code11, _ = vintage_only_codes()
    shared = "E01000001"
    df = pd.DataFrame({"lsoa_code": [code11, shared]})
    out = dep.assign_imd_quintile(df)  # auto: a 2011-only code makes the table IMD 2019
    assert list(out["imd_version"]) == ["2019", "2019"]
    assert out["imd_decile"].tolist() == [decile_of("2019", code11), decile_of("2019", shared)]
    assert out["imd_quintile"].tolist() == [
        int(np.ceil(decile_of("2019", c) / 2)) for c in (code11, shared)
    ]


def test_lsoa_2021_codes_get_the_2025_decile_and_shared_codes_prefer_2025():
    _, code21 = vintage_only_codes()
    out = dep.assign_imd_quintile(pd.DataFrame({"lsoa_code": ["E01000001", code21]}))
    assert list(out["imd_version"]) == ["2025", "2025"]
    assert out["imd_decile"].tolist() == [decile_of("2025", "E01000001"), decile_of("2025", code21)]


def test_mixed_vintages_are_matched_row_by_row():
    code11, code21 = vintage_only_codes()
    with pytest.warns(UserWarning, match="1 of 4 rows"):
        out = dep.assign_imd_quintile(
            pd.DataFrame({"lsoa_code": [code11, code21, "E01000001", "E01999999"]})
        )
    assert out["imd_version"].tolist()[:3] == ["2019", "2025", "2025"]
    assert out["imd_decile"].iloc[0] == decile_of("2019", code11)


def test_explicit_version_does_not_fall_back_to_the_other_vintage():
    code11, _ = vintage_only_codes()
    with pytest.warns(UserWarning):
        out = dep.assign_imd_quintile(pd.DataFrame({"lsoa_code": [code11]}), version="2025")
    assert out["imd_quintile"].isna().all()
    assert "LSOA 2011 code" in out["imd_match"].iloc[0]


def test_unknown_and_missing_codes_are_kept_and_counted():
    df = pd.DataFrame(
        {
            "baby_id": ["a", "b", "c", "d", "e", "f"],
            "lsoa_code": ["E01000001", "E01999999", None, " e01000002 ", "W01000001", ""],
        }
    )
    with pytest.warns(UserWarning, match="4 of 6 rows have no IMD quintile"):
        out = dep.assign_imd_quintile(df, version="2025")
    assert len(out) == len(df) and list(out["baby_id"]) == list(df["baby_id"])
    pd.testing.assert_frame_equal(out[df.columns], df)  # input columns untouched
    assert out["imd_quintile"].isna().tolist() == [False, True, True, False, True, True]
    assert str(out["imd_quintile"].dtype) == "Int64"
    summary = dep.unmatched_lsoas(out).set_index("imd_match")
    assert summary["rows"].sum() == 4
    assert summary.loc["missing LSOA code", "rows"] == 2
    assert summary.loc["unknown LSOA code", "examples"] == "E01999999"
    assert summary.loc["Welsh LSOA (the English IMD covers England only)", "rows"] == 1


def test_unmatched_lsoas_is_empty_when_all_match():
    out = dep.assign_imd_quintile(pd.DataFrame({"lsoa_code": ["E01000001"]}))
    assert dep.unmatched_lsoas(out).empty
    with pytest.raises(ValueError, match="output of assign_imd_quintile"):
        dep.unmatched_lsoas(pd.DataFrame({"lsoa_code": ["E01000001"]}))


def test_existing_decile_column_gives_ceil_half():
    df = pd.DataFrame({"imd_decile": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, None]})
    with pytest.warns(UserWarning, match="1 of 11"):
        out = dep.assign_imd_quintile(df, decile_col="imd_decile")
    expected = pd.array([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, None], dtype="Int64")
    pd.testing.assert_extension_array_equal(out["imd_quintile"].array, expected)
    assert out["imd_version"].iloc[0] == "supplied"


def test_bad_deciles_are_all_listed():
    df = pd.DataFrame({"dec": [1, 0, 11, "x", 2.5, 3]})
    with pytest.raises(InputError) as err:
        dep.assign_imd_quintile(df, decile_col="dec")
    assert len(err.value.problems) == 4
    assert [p.row for p in err.value.problems] == [3, 4, 5, 6]
    assert "an IMD decile 1-10" in str(err.value)


def test_argument_errors():
    df = pd.DataFrame({"lsoa_code": ["E01000001"]})
    with pytest.raises(InputError, match="a column named 'lsoa'"):
        dep.assign_imd_quintile(df, lsoa_col="lsoa")
    with pytest.raises(ValueError, match="needs an area"):
        dep.assign_imd_quintile(df, quintiles="local")
    with pytest.raises(ValueError, match="local quintiles use IMD 2025"):
        dep.assign_imd_quintile(df, quintiles="local", area="QK1", version="2019")
    with pytest.raises(ValueError, match="area is only used"):
        dep.assign_imd_quintile(df, area="QK1")
    with pytest.raises(ValueError, match="already has column"):
        dep.assign_imd_quintile(df.assign(imd_quintile=1))
    with pytest.raises(ValueError, match="unknown IMD version"):
        dep.assign_imd_quintile(df, version="2010")


# ---------------------------------------------------------------- local quintiles
def test_local_quintiles_have_near_equal_population():
    local = dep.local_imd_quintiles("QK1")
    lsoas = icb_lsoas("QK1")
    assert set(local["lsoa_code"]) == set(lsoas["lsoa21_code"])
    pop = local.groupby("local_quintile")["population"].sum()
    assert list(pop.index) == [1, 2, 3, 4, 5]
    total = lsoas["population"].sum()
    assert pop.sum() == total
    assert (pop - total / 5).abs().max() <= local["population"].max()
    # most deprived first: ranks never go down from one quintile to the next
    by_q = local.groupby("local_quintile")["imd_rank"]
    assert (by_q.max().iloc[:-1].to_numpy() < by_q.min().iloc[1:].to_numpy()).all()


def test_local_quintiles_by_lsoa_count():
    local = dep.local_imd_quintiles("QK1", weighting="lsoa")
    n = local.groupby("local_quintile").size()
    assert n.max() - n.min() <= 1


def test_assign_local_quintiles_marks_rows_outside_the_area():
    inside = icb_lsoas("QK1")["lsoa21_code"].iloc[0]
    outside = "E01000001"  # City of London
    with pytest.warns(UserWarning, match="1 of 2"):
        out = dep.assign_imd_quintile(
            pd.DataFrame({"lsoa_code": [inside, outside]}), quintiles="local", area="LLR"
        )
    expected = dep.local_imd_quintiles("QK1").set_index("lsoa_code").loc[inside, "local_quintile"]
    assert out["imd_quintile"].iloc[0] == expected
    assert pd.isna(out["imd_quintile"].iloc[1])
    assert out["imd_match"].iloc[1].startswith("LSOA outside NHS Leicester")


# ---------------------------------------------------------------- ethnicity x IMD
def test_population_by_ethnicity_and_imd_llr():
    table = dep.population_by_ethnicity_and_imd("QK1")
    assert list(table["ethnic_group"].unique()) == [
        "Asian",
        "Black",
        "Mixed",
        "White",
        "Other",
        "All",
    ]
    everyone = table[table["ethnic_group"] == "All"].set_index("imd_quintile")["count"]
    assert everyone.sum() == icb_table().set_index("icb24_code_nhs").loc["QK1", "population"]
    # independent: LSOA populations summed by their national IMD 2025 quintile
    lsoas = icb_lsoas("QK1").merge(
        raw_imd("2025")[["code", "IMD_quintile"]], left_on="lsoa21_code", right_on="code"
    )
    expected = lsoas.groupby("IMD_quintile")["population"].sum()
    np.testing.assert_array_equal(everyone.to_numpy(), expected.to_numpy())
    assert table.groupby("ethnic_group")["share_of_group"].sum().to_numpy() == pytest.approx(1.0)
    groups = table[table["ethnic_group"] != "All"]
    assert groups.groupby("imd_quintile")["share_of_quintile"].sum().to_numpy() == pytest.approx(
        1.0
    )


def test_population_by_ethnicity_and_imd_local_fifths():
    table = dep.population_by_ethnicity_and_imd("QK1", quintiles="local")
    everyone = table[table["ethnic_group"] == "All"]["share_of_group"]
    assert everyone.to_numpy() == pytest.approx(0.2, abs=0.01)


def test_icb_imd_summary():
    row = dep.icb_imd_summary("LLR")
    assert len(row) == 1 and row["icb24_code"].iloc[0] == "E54000015"
    assert 1 <= row["imd_rank_of_average_score"].iloc[0] <= 42
