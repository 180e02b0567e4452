"""Tests for edi_analysis.geography: ICBs, organisation resolution, LSOA/LAD membership."""

from __future__ import annotations

from functools import cache

import pandas as pd
import pytest

from edi_analysis import geography as geo
from edi_analysis.paths import raw_data_dir

LLR_LADS = {
    "E06000016",  # Leicester
    "E06000017",  # Rutland
    "E07000129",  # Blaby
    "E07000130",  # Charnwood
    "E07000131",  # Harborough
    "E07000132",  # Hinckley and Bosworth
    "E07000133",  # Melton
    "E07000134",  # North West Leicestershire
    "E07000135",  # Oadby and Wigston
}


@cache
def raw_lsoa_population() -> pd.Series:
    df = pd.read_csv(raw_data_dir() / "census2021" / "ethnic_group_broad_lsoa.csv.gz")
    return df.set_index("lsoa21_code")["total_usual_residents"]


def test_icb_table_has_the_42_icbs_covering_england():
    icbs = geo.icb_table()
    assert len(icbs) == 42
    assert icbs["icb24_code"].is_unique and icbs["icb24_code_nhs"].is_unique
    assert icbs["icb24_code"].str.match(r"^E54\d{6}$").all()
    assert icbs["n_lsoa"].sum() == 33_755
    english = raw_lsoa_population()[lambda s: s.index.str.startswith("E")]
    assert icbs["population"].sum() == english.sum() == 56_490_108


def test_icb_table_llr_row():
    row = geo.icb_table().set_index("icb24_code_nhs").loc["QK1"]
    assert row["icb24_code"] == "E54000015"
    assert row["icb24_name"] == "NHS Leicester, Leicestershire and Rutland Integrated Care Board"
    assert row["short_name"] == "Leicester, Leicestershire and Rutland"
    assert row["slug"] == "qk1-leicester-leicestershire-and-rutland"


@pytest.mark.parametrize(
    "query",
    [
        "E54000015",
        "e54000015",
        "QK1",
        "qk1",
        "NHS Leicester, Leicestershire and Rutland Integrated Care Board",
        "Leicester, Leicestershire & Rutland",
        "leicester leicestershire and rutland icb",
        "Leicester",
        "Rutland",
        "LLR",
        "llr",
    ],
)
def test_resolve_org_accepts_codes_names_parts_and_aliases(query):
    org = geo.resolve_org(query)
    assert (org.code, org.nhs_code) == ("E54000015", "QK1")
    assert org.short_name == "Leicester, Leicestershire and Rutland"
    assert geo.resolve_org(org) is org


def test_every_alias_points_at_an_icb_whose_initials_fit():
    icbs = geo.icb_table().set_index("icb24_code_nhs")
    for alias, code in geo.ICB_ALIASES.items():
        assert code in icbs.index, alias
        assert geo.resolve_org(alias).nhs_code == code


def test_resolve_org_prefers_whole_words():
    assert geo.resolve_org("Norfolk").nhs_code == "QMM"
    assert geo.resolve_org("Black Country").nhs_code == "QUA"


def test_resolve_org_ambiguous_lists_the_matches():
    with pytest.raises(ValueError, match=r"matches 3 ICBs.*Mid and South Essex"):
        geo.resolve_org("Essex")
    with pytest.raises(ValueError, match="matches 5 ICBs"):
        geo.resolve_org("London")


def test_resolve_org_unknown_suggests_close_matches():
    with pytest.raises(ValueError, match=r"no ICB matches 'Glocestershire'.*Gloucestershire"):
        geo.resolve_org("Glocestershire")
    with pytest.raises(ValueError, match=r"'Leicestre'.*Close matches: Leicester, Leic"):
        geo.resolve_org("Leicestre")
    with pytest.raises(ValueError, match=r"Close matches: Birmingham and Solihull\."):
        geo.resolve_org("Birmingam and Solihul")
    with pytest.raises(ValueError, match="no ICB matches 'QZZ'"):
        geo.resolve_org("QZZ")


@pytest.mark.parametrize("bad", ["", "   ", None, 42])
def test_resolve_org_rejects_empty_or_non_text(bad):
    with pytest.raises(ValueError, match="expected an ICB code or name"):
        geo.resolve_org(bad)


def test_icb_lsoas_llr():
    lsoas = geo.icb_lsoas("QK1")
    icb = geo.icb_table().set_index("icb24_code_nhs").loc["QK1"]
    assert len(lsoas) == icb["n_lsoa"]
    assert lsoas["lsoa21_code"].is_unique
    assert set(lsoas["ltla22_code"]) == LLR_LADS
    assert lsoas["population"].sum() == icb["population"]
    expected_pop = raw_lsoa_population().loc[lsoas["lsoa21_code"]].sum()
    assert lsoas["population"].sum() == expected_pop


def test_icb_local_authorities_whole_lads():
    lads = geo.icb_local_authorities("LLR")
    assert set(lads["ltla22_code"]) == LLR_LADS
    assert (lads["share_of_ltla_pop"] == 1.0).all()
    assert not lads["split"].any()
    assert lads["share_of_icb_pop"].sum() == pytest.approx(1.0, abs=1e-5)
    leicester = lads.set_index("ltla22_code").loc["E06000016"]
    assert leicester["ltla22_name"] == "Leicester"


def test_icb_local_authorities_split_lad_buckinghamshire():
    bob = geo.icb_local_authorities("QU9").set_index("ltla22_code")
    blmk = geo.icb_local_authorities("QHG").set_index("ltla22_code")
    bucks_bob, bucks_blmk = bob.loc["E06000060"], blmk.loc["E06000060"]
    assert bucks_bob["split"] and bucks_blmk["split"]
    assert bucks_bob["share_of_ltla_pop"] + bucks_blmk["share_of_ltla_pop"] == pytest.approx(1.0)
    # population shares computed from the LSOAs in each part
    lk = pd.read_csv(raw_data_dir() / "lookups" / "lsoa21_ltla_sicbl24_icb24.csv.gz")
    bucks = lk[lk["ltla22_code"] == "E06000060"]
    pop = raw_lsoa_population()
    in_bob = pop.loc[bucks.loc[bucks["icb24_code_nhs"] == "QU9", "lsoa21_code"]].sum()
    assert bucks_bob["population"] == in_bob
    assert bucks_bob["share_of_ltla_pop"] == pytest.approx(
        in_bob / pop.loc[bucks["lsoa21_code"]].sum(), abs=1e-6
    )


def test_eleven_lads_are_split():
    lads = geo.lad_table()
    assert len(lads) == 309
    assert (lads["n_icb"] == 2).sum() == 11


def test_resolve_area_england_icb_and_lads():
    eng = geo.resolve_area("England")
    assert eng.kind == "england" and len(eng.lsoa21_codes) == 33_755
    assert len(eng.ltla_weights) == 309 and not eng.apportioned
    icb = geo.resolve_area("QU9")
    assert icb.kind == "icb" and icb.org is not None and icb.apportioned
    lads = geo.resolve_area([" e06000016", "E06000017"])
    assert lads.kind == "lads" and lads.code == "E06000016+E06000017"
    assert lads.name == "Leicester, Rutland"
    single = geo.resolve_area("E06000016")
    assert single.kind == "lads" and single.ltla_weights == (("E06000016", 1.0),)


def test_resolve_area_rejects_bad_lad_lists():
    with pytest.raises(ValueError, match="Welsh LADs are not supported.*W06000015"):
        geo.resolve_area(["E06000016", "W06000015"])
    with pytest.raises(ValueError, match="not English LAD 2022 codes.*E07000999"):
        geo.resolve_area(["E07000999"])
    with pytest.raises(ValueError, match="duplicated: E06000016"):
        geo.resolve_area(["E06000016", "E06000016"])
    with pytest.raises(ValueError, match="empty"):
        geo.resolve_area([])


def test_missing_reference_file_is_reported(monkeypatch, tmp_path):
    monkeypatch.setenv("EDI_RAW_DATA", str(tmp_path))
    with pytest.raises(ValueError, match="file not found"):
        geo._raw(geo.LOOKUP_FILE)
