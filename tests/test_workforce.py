"""Tests for edi_analysis.workforce: headcount, representation, declaration, progression
and the disclosure control of the published tables (adversarial cases included)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from edi_analysis import schemas
from edi_analysis import workforce as wf
from edi_analysis.errors import InputError


def _staff(n: int, **columns: list) -> pd.DataFrame:
    """Staff records: every column given as a list of (value, count) pairs in order."""
    data = {}
    for name, spec in columns.items():
        values = [v for v, k in spec for _ in range(k)]
        assert len(values) == n, name
        data[name] = values
    return pd.DataFrame(data)


def _wilson(x: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


# --------------------------------------------------------------------------- clusters
def test_seed_preset_has_the_four_seed_clusters() -> None:
    clusters = wf.band_clusters("seed")
    assert list(clusters) == ["Band 1-4", "Band 5-7", "Band 8a-9", "Non-AfC"]
    assert "VSM" in clusters["Non-AfC"] and "Band 9" in clusters["Band 8a-9"]


def test_wdes_preset_splits_8a_8b_from_8c_9_vsm_and_medical_grades() -> None:
    clusters = wf.band_clusters("wdes")
    assert clusters["Band 8a-8b"] == ["Band 8a", "Band 8b"]
    assert clusters["Band 8c-9 & VSM"] == ["Band 8c", "Band 8d", "Band 9", "VSM"]
    assert clusters["Medical consultant"] == ["Medical - Consultant"]


def test_custom_mapping_is_validated() -> None:
    with pytest.raises(ValueError, match="is in clusters"):
        wf.band_clusters({"A": ["Band 1"], "B": ["Band 1"]})
    with pytest.raises(ValueError, match="not a pay band"):
        wf.band_clusters({"A": ["Band 10"]})
    with pytest.raises(ValueError, match="Unknown band cluster preset"):
        wf.band_clusters("nope")


def test_band_outside_the_clusters_is_an_input_error() -> None:
    staff = pd.DataFrame({"pay_band": ["Band 5", "VSM"]})
    with pytest.raises(InputError, match="pay band covered"):
        wf.assign_clusters(staff, {"Mid": ["Band 5"]})


# --------------------------------------------------------------------------- labels
def test_ethnic_codes_become_census_groups_with_not_stated_last() -> None:
    staff = pd.DataFrame({"ethnic_category": ["A", "H", "R", "Z", "99", None, "n"]})
    values = wf.characteristic_values(staff, "ethnic_group")
    assert values.tolist() == ["White", "Asian", "Asian", "Not stated", "Not stated",
                               "Not stated", "Black"]
    assert list(values.cat.categories)[-1] == "Not stated"
    assert wf.characteristic_values(staff, "bme").tolist()[:3] == ["White", "BME", "BME"]


def test_age_band_is_derived_from_age_when_absent() -> None:
    staff = pd.DataFrame({"age": [19, 44, 70]})
    assert wf.characteristic_values(staff, "age_band").tolist() == ["16-19", "40-44", "70+"]


def test_unknown_characteristic_is_rejected() -> None:
    with pytest.raises(ValueError, match="Unknown characteristic"):
        wf.characteristic_values(pd.DataFrame({"x": [1]}), "height")


# --------------------------------------------------------------------------- headcount
def test_headcount_table_counts_and_cluster_shares() -> None:
    staff = _staff(10, pay_band=[("Band 3", 4), ("Band 6", 6)],
                   sex=[("Female", 3), ("Male", 1), ("Female", 2), ("Male", 4)])
    t = wf.headcount_table(staff, "sex", "seed").set_index(["category", "cluster"])
    assert t.at[("Female", "Band 1-4"), "count"] == 3
    assert t.at[("Female", "Band 1-4"), "share"] == pytest.approx(0.75)
    assert t.at[("Male", "Band 5-7"), "share"] == pytest.approx(4 / 6)
    assert t.at[("Female", "Total"), "count"] == 5
    assert t.at[("Total", "Total"), "count"] == 10
    assert t.at[("Male", "Band 8a-9"), "count"] == 0  # empty clusters are kept
    assert math.isnan(t.at[("Male", "Band 8a-9"), "share"])


def test_headcount_wide_pivots_in_order() -> None:
    staff = _staff(4, pay_band=[("Band 3", 2), ("Band 6", 2)], sex=[("Female", 2), ("Male", 2)])
    wide = wf.headcount_wide(wf.headcount_table(staff, "sex"))
    assert list(wide.columns) == ["Band 1-4", "Band 5-7", "Band 8a-9", "Non-AfC", "Total"]
    assert list(wide.index) == ["Female", "Male", "Total"]


# --------------------------------------------------------------------------- representation
def _comparator(**counts: float) -> pd.DataFrame:
    return pd.DataFrame({"category": list(counts), "count": list(counts.values())})


def test_representation_shares_interval_and_flags_by_hand() -> None:
    staff = _staff(100, ethnic_category=[("A", 80), ("H", 20)])
    comp = _comparator(Asian=300.0, Black=0.0, Mixed=0.0, White=500.0, Other=200.0)
    rep = wf.representation_table(staff, comp, "ethnic_group").set_index("category")
    lo, hi = _wilson(80, 100)
    assert rep.at["White", "workforce_share"] == pytest.approx(0.8)
    assert rep.at["White", "lower"] == pytest.approx(lo)
    assert rep.at["White", "upper"] == pytest.approx(hi)
    assert rep.at["White", "population_share"] == pytest.approx(0.5)
    assert rep.at["White", "difference_pts"] == pytest.approx(30.0)
    assert rep.at["White", "representation_ratio"] == pytest.approx(1.6)
    assert rep.at["White", "flag"] == "Over-represented"  # 0.5 below the interval
    assert rep.at["Asian", "flag"] == "Under-represented"  # 0.3 above (0.133, 0.289)
    assert rep.at["Other", "flag"] == "Under-represented"


def test_population_share_inside_the_interval_is_similar() -> None:
    staff = _staff(90, ethnic_category=[("A", 60), ("H", 30)])
    comp = _comparator(Asian=300.0, White=700.0)
    rep = wf.representation_table(staff, comp, "ethnic_group").set_index("category")
    assert rep.at["White", "flag"] == "Similar"  # 0.70 within (0.564, 0.755)


def test_not_stated_is_kept_apart_and_out_of_the_base() -> None:
    staff = _staff(100, ethnic_category=[("A", 60), ("H", 30), ("Z", 10)])
    comp = _comparator(Asian=250.0, White=750.0)
    rep = wf.representation_table(staff, comp, "ethnic_group").set_index("category")
    assert rep.at["White", "workforce_base"] == 90
    assert rep.at["White", "workforce_share"] == pytest.approx(60 / 90)
    assert not rep.at["Not stated", "compared"]
    assert rep.at["Not stated", "workforce_share"] == pytest.approx(0.10)  # of all staff
    assert rep.at["Not stated", "flag"] == ""


def test_esr_values_are_harmonised_to_census_wording() -> None:
    staff = _staff(10, religion_belief=[("Jainism", 2), ("Other", 3), ("Atheism", 5)])
    comp = _comparator(**{"No religion": 50.0, "Other religion": 10.0, "Not answered": 5.0})
    rep = wf.representation_table(staff, comp, "religion_belief").set_index("category")
    assert rep.at["Other religion", "workforce_n"] == 5  # Jainism + Other
    assert rep.at["No religion", "workforce_n"] == 5  # Atheism


def test_comparator_without_counts_is_rejected() -> None:
    with pytest.raises(ValueError, match="count"):
        wf.representation_table(pd.DataFrame({"ethnic_category": ["A"]}),
                                pd.DataFrame({"category": ["White"]}), "ethnic_group")


# --------------------------------------------------------------------------- declaration
def test_declaration_rates_by_cluster() -> None:
    staff = _staff(10, pay_band=[("Band 3", 4), ("Band 6", 6)],
                   disability=[("Not declared", 1), ("No", 3), ("Prefer not to answer", 2),
                               ("Yes", 4)])
    d = wf.declaration_rates(staff, ["disability"]).set_index("cluster")
    assert d.at["Band 1-4", "not_declared_n"] == 1
    assert d.at["Band 5-7", "not_declared_share"] == pytest.approx(2 / 6)
    assert d.at["Total", "not_declared_share"] == pytest.approx(0.3)


def test_declaration_change_in_points() -> None:
    cur = pd.DataFrame({"characteristic": ["ethnic_group"], "cluster": ["Total"],
                        "not_declared_share": [0.096], "headcount": [323]})
    prev = cur.assign(not_declared_share=[0.124])
    out = wf.declaration_change(cur, prev)
    assert out["change_pts"].iloc[0] == pytest.approx(-2.8)


def test_declaration_of_a_characteristic_without_not_stated_is_rejected() -> None:
    with pytest.raises(ValueError, match="no not-stated"):
        wf.declaration_rates(pd.DataFrame({"sex": ["Male"], "pay_band": ["Band 5"]}), ["sex"])


# --------------------------------------------------------------------------- progression
def test_progression_shares_sum_to_one_per_group() -> None:
    staff = _staff(6, pay_band=[("Band 3", 2), ("Band 8a", 4)],
                   ethnic_category=[("A", 1), ("H", 1), ("A", 3), ("H", 1)])
    t = wf.progression_table(staff, "bme")
    sums = t.groupby("category")["share_of_group"].sum()
    assert sums["White"] == pytest.approx(1.0) and sums["BME"] == pytest.approx(1.0)


def test_senior_likelihood_by_hand() -> None:
    # White: 10 of 20 in 8a+; BME: 5 of 20 -> relative likelihood 2.0
    staff = _staff(
        40,
        pay_band=[("Band 8a", 10), ("Band 5", 10), ("VSM", 5), ("Band 6", 15)],
        ethnic_category=[("A", 10), ("A", 10), ("H", 5), ("H", 15)],
    )
    rl = wf.senior_likelihood(staff).iloc[0]
    assert rl["value_a"] == pytest.approx(0.5)
    assert rl["value_b"] == pytest.approx(0.25)
    assert rl["value"] == pytest.approx(2.0)
    assert not rl["non_adverse"]


# --------------------------------------------------------------------------- disclosure
def _hidden_lines(profile: wf.PublishedProfile) -> tuple[pd.Series, pd.Series]:
    mask = wf.headcount_wide(profile.headcount, "suppressed").astype(bool)
    return mask.sum(axis=1), mask.sum(axis=0)


def test_single_person_in_a_band_cannot_be_recovered_from_totals() -> None:
    # one man in Non-AfC: his cell is hidden, and so is another cell in his row and in his
    # column, so that "band total minus the others" gives nothing away
    staff = _staff(
        41,
        pay_band=[("Band 3", 20), ("Band 6", 20), ("VSM", 1)],
        sex=[("Female", 10), ("Male", 10), ("Female", 12), ("Male", 8), ("Male", 1)],
    )
    profile = wf.publish_profile(staff, "sex", "seed", None, "standard")
    head = profile.headcount.set_index(["category", "cluster"])
    assert head.at[("Male", "Non-AfC"), "suppressed"]
    assert math.isnan(head.at[("Male", "Non-AfC"), "count"])
    rows, cols = _hidden_lines(profile)
    assert (rows != 1).all() and (cols != 1).all()
    # the percentage built from a hidden count is hidden too
    assert math.isnan(head.at[("Male", "Non-AfC"), "share"])


def test_derived_census_category_does_not_reveal_a_hidden_row() -> None:
    # Jainism (2) is hidden in the headcount table; "Other religion" = Jainism + Other
    # would give it back (12 - 10), so it must be hidden in the representation table
    staff = _staff(
        60,
        pay_band=[("Band 6", 60)],
        religion_belief=[("Jainism", 2), ("Other", 10), ("Christianity", 20), ("Atheism", 28)],
    )
    comp = _comparator(**{"No religion": 40.0, "Christian": 40.0, "Other religion": 10.0,
                          "Not answered": 10.0})
    profile = wf.publish_profile(staff, "religion_belief", "seed", comp, "standard")
    head = profile.headcount.set_index(["category", "cluster"])
    assert head.at[("Jainism", "Total"), "suppressed"]
    rep = profile.representation.set_index("category")
    shown_other = rep.at["Other religion", "workforce_n"]
    shown_jain_total = head.at[("Other", "Total"), "count"]
    assert math.isnan(shown_other) or math.isnan(shown_jain_total)


def test_not_declared_total_is_hidden_when_it_would_reveal_a_small_category() -> None:
    # Prefer not to answer = 1; publishing "not declared" = 1 + 30 would reveal it if
    # "Not declared" (30) were shown
    staff = _staff(
        100,
        pay_band=[("Band 6", 100)],
        disability=[("Prefer not to answer", 1), ("Not declared", 30), ("Yes", 19),
                    ("No", 50)],
    )
    profile = wf.publish_profile(staff, "disability", "seed", None, "standard")
    head = profile.headcount.set_index(["category", "cluster"])
    total_nd = profile.declaration.set_index("cluster").at["Total", "not_declared_n"]
    shown_nd = head.at[("Not declared", "Total"), "count"]
    assert head.at[("Prefer not to answer", "Total"), "suppressed"]
    if not math.isnan(total_nd) and not math.isnan(shown_nd):
        pytest.fail("not-declared total and 'Not declared' both shown: reveals the 1")


def test_under_5_percent_policy_hides_small_shares_like_the_seed() -> None:
    staff = _staff(100, pay_band=[("Band 6", 100)],
                   sex=[("Female", 96), ("Male", 4)])
    profile = wf.publish_profile(staff, "sex", "seed", None, "under_5_percent")
    head = profile.headcount.set_index(["category", "cluster"])
    assert head.at[("Male", "Band 5-7"), "suppressed"]
    assert head.at[("Male", "Band 5-7"), "symbol"] == "Under 5%"


def test_nhs_digital_policy_rounds_counts_and_computes_shares_from_them() -> None:
    staff = _staff(23, pay_band=[("Band 6", 23)], sex=[("Female", 12), ("Male", 11)])
    profile = wf.publish_profile(staff, "sex", "seed", None, "nhs_digital")
    head = profile.headcount.set_index(["category", "cluster"])
    assert head.at[("Female", "Band 5-7"), "count"] == 10
    assert head.at[("Female", "Band 5-7"), "share"] == pytest.approx(10 / 25)


def test_published_representation_blanks_derived_figures_of_hidden_rows() -> None:
    staff = _staff(50, pay_band=[("Band 6", 50)],
                   ethnic_category=[("A", 40), ("H", 7), ("N", 3)])
    comp = _comparator(Asian=200.0, Black=50.0, Mixed=0.0, White=700.0, Other=50.0)
    profile = wf.publish_profile(staff, "ethnic_group", "seed", comp, "standard")
    rep = profile.representation.set_index("category")
    assert rep.at["Black", "suppressed"]
    assert rep.loc["Black", ["workforce_share", "lower", "upper",
                             "representation_ratio"]].isna().all()
    assert rep.at["Black", "flag"] == ""


# --------------------------------------------------------------------------- narrative
def test_sentences_quote_the_table_and_never_a_suppressed_row() -> None:
    table = pd.DataFrame({
        "characteristic": "ethnic_group",
        "category": ["White", "Black", "Not stated"],
        "workforce_n": [60.0, 3.0, 10.0],
        "workforce_base": [63.0, 63.0, 73.0],
        "workforce_share": [60 / 63, 3 / 63, 10 / 73],
        "lower": [0.868, 0.016, np.nan],
        "upper": [0.984, 0.131, np.nan],
        "population_n": [725.0, 30.0, np.nan],
        "population_share": [0.725, 0.030, np.nan],
        "difference_pts": [2.0, 1.0, np.nan],
        "representation_ratio": [1.3, 1.6, np.nan],
        "flag": ["Over-represented", "Similar", ""],
        "compared": [True, True, False],
        "share_base": "staff who stated",
    })
    hidden = pd.Series([False, True, False])
    text = " ".join(wf.representation_sentences(table, suppressed=hidden))
    assert "95.2% identify as White, compared with 72.5% of the local population aged 16-64" \
        in text
    assert "over-represented" in text
    assert "Black" not in text
    assert "13.7% of staff have not stated their ethnic group." in text


def test_declaration_sentence_skips_hidden_rates() -> None:
    table = pd.DataFrame({"characteristic": ["disability", "ethnic_group"],
                          "cluster": ["Total", "Total"], "not_declared_share": [np.nan, 0.096],
                          "suppressed": [True, False],
                          "previous_not_declared_share": [np.nan, 0.124]})
    assert wf.declaration_sentences(table) == [
        "9.6% of staff have not declared their ethnic group (12.4% in the previous snapshot)."]


def test_published_tables_stack_profiles() -> None:
    staff = _staff(20, pay_band=[("Band 6", 20)], sex=[("Female", 10), ("Male", 10)],
                   contract_status=[("Full-Time", 15), ("Part-Time", 5)])
    profiles = [wf.publish_profile(staff, k) for k in ("sex", "contract_status")]
    out = wf.published_tables(profiles)
    assert set(out["workforce_headcount"]["characteristic"]) == {"sex", "contract_status"}
    pdt.assert_index_equal(out["workforce_headcount"].columns, pd.Index(
        ["characteristic", "category", "cluster", "count", "cluster_total", "share",
         "suppressed", "symbol"]))


# ------------------------------------------------------------- detailed ethnicity (19 groups)
def _census_19(counts: dict[str, float] | None = None) -> pd.DataFrame:
    """A Census 2021 19-group comparator: 1,000 people in each category unless given."""
    from edi_analysis import census

    cats = list(dict.fromkeys(census.ETHNIC_CATEGORIES["census_19"].dropna().astype(str)))
    cats = [c for c in cats if c != "Not stated"] + list(wf.CENSUS_ONLY_ETHNIC_CATEGORIES)
    counts = counts or {}
    return pd.DataFrame({"category": cats, "count": [counts.get(c, 1000.0) for c in cats]})


def test_detailed_ethnicity_harmonises_census_only_groups() -> None:
    # 60 White British (A), 20 Other White (C), 10 Indian (H), 10 any other (S), 5 Z
    staff = _staff(105, ethnic_category=[("A", 60), ("C", 20), ("H", 10), ("S", 10), ("Z", 5)])
    comp = _census_19({"White: Other White": 3000.0, "White: Roma": 500.0,
                       "White: Gypsy or Irish Traveller": 500.0,
                       "Other ethnic group: Arab": 1000.0})
    out = wf.publish_detailed_ethnicity(staff, comp).set_index("category")
    other_white = out.loc["White: Other White (incl. Gypsy or Irish Traveller, Roma)"]
    # compared with Other White + Roma + Gypsy or Irish Traveller = 4,000 of 20,000 people
    # (15 other categories x 1,000 + Other White 3,000 + Roma 500 + Gypsy 500 + Arab 1,000)
    total_pop = 15 * 1000.0 + 3000.0 + 500.0 + 500.0 + 1000.0
    assert other_white["population_n"] == 4000.0
    assert other_white["population_share"] == pytest.approx(4000.0 / total_pop)
    assert other_white["workforce_share"] == pytest.approx(20 / 100)  # of 100 who stated
    lo, hi = _wilson(20, 100)
    assert (other_white["lower"], other_white["upper"]) == (pytest.approx(lo), pytest.approx(hi))
    anyother = out.loc["Other ethnic group: Any other ethnic group (incl. Arab)"]
    assert anyother["population_n"] == 2000.0
    for cat in wf.CENSUS_ONLY_ETHNIC_CATEGORIES:
        row = out.loc[cat]
        assert not row["compared"] and row["flag"] == "" and math.isnan(row["workforce_n"])
        assert row["symbol"] == wf.NOT_RECORDED and not row["suppressed"]
    assert "White: Other White" not in out.index
    assert out.at["Not stated", "workforce_n"] == 5 and not out.at["Not stated", "compared"]
    assert out.loc[out["compared"], "workforce_base"].eq(100).all()


def test_detailed_ethnicity_cannot_be_recovered_from_the_five_group_totals() -> None:
    # Mixed: 6 White and Black Caribbean (D), 2 White and Asian (F). The 5-group table
    # publishes Mixed = 8, so hiding only the 2 would let a reader compute it as 8 - 6.
    staff = _staff(108, ethnic_category=[("A", 90), ("D", 6), ("F", 2), ("H", 10)])
    out = wf.publish_detailed_ethnicity(staff, _census_19()).set_index("category")
    d = "Mixed or Multiple ethnic groups: White and Black Caribbean"
    f = "Mixed or Multiple ethnic groups: White and Asian"
    assert math.isnan(out.at[f, "workforce_n"]) and out.at[f, "symbol"] == "<5"
    assert math.isnan(out.at[d, "workforce_n"]) and out.at[d, "symbol"] == "*"
    assert math.isnan(out.at[d, "workforce_share"]) and out.at[d, "flag"] == ""
    # zeros and large groups are shown
    assert out.at["Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups",
                  "workforce_n"] == 0
    assert out.at["Asian, Asian British or Asian Welsh: Indian", "workforce_n"] == 10


def test_detailed_ethnicity_hides_the_base_when_not_stated_is_small() -> None:
    staff = _staff(103, ethnic_category=[("A", 90), ("H", 10), ("Z", 3)])
    out = wf.publish_detailed_ethnicity(staff, _census_19()).set_index("category")
    assert math.isnan(out.at["Not stated", "workforce_n"])
    assert out.at["Not stated", "symbol"] == "<5"
    # shares are then of all staff, so 103 - 100 cannot be read off the table
    assert out.loc[out["compared"], "workforce_base"].eq(103).all()
    assert (out.loc[out["compared"], "share_base"] == "all staff").all()


def test_section_publishes_the_detailed_ethnicity_table() -> None:
    from edi_analysis import demo

    staff = demo.demo_staff_records("QK1")
    section = wf.build_section(staff, "QK1", characteristics=("ethnic_group",))
    detailed = section.detailed_ethnicity
    assert detailed is not None and "workforce_ethnicity_detailed" in section.tables()
    assert section.comparators["ethnic_category"]["category"].nunique() == 19
    assert len(detailed) == 16 + 3 + 1  # compared, Census-only, not stated
    shown = detailed["workforce_n"].dropna()
    assert not ((shown > 0) & (shown < 5)).any()


def test_detailed_ethnicity_sentences_quote_published_rows_and_count_hidden_ones() -> None:
    # 300 staff: 200 White British (A), 80 Indian (H), 15 Pakistani (J), 3 Chinese (R),
    # 2 Black African (N); every Census group 1,000 people (Indian 1 in 20 of the
    # population, far below 80 of 300 staff)
    staff = _staff(300, ethnic_category=[("A", 200), ("H", 80), ("J", 15), ("R", 3),
                                         ("N", 2)])
    out = wf.publish_detailed_ethnicity(staff, _census_19())
    text = wf.detailed_ethnicity_sentences(out, "the local population (all ages)",
                                           max_groups=2)
    compared = out[out["compared"] & ~out["suppressed"]]
    indian = out.set_index("category").loc["Asian, Asian British or Asian Welsh: Indian"]
    assert indian["flag"] == "Over-represented"
    n_differ = int(compared["flag"].isin(["Under-represented", "Over-represented"]).sum())
    assert text[0].startswith(f"Of the {len(compared)} detailed ethnic groups with a "
                              f"published staff figure, {n_differ} differ from the local "
                              "population (all ages)")
    # the largest difference first, with the table's own numbers
    white = out.set_index("category").loc[
        "White: English, Welsh, Scottish, Northern Irish or British"]
    biggest = max((indian, white), key=lambda r: abs(r["difference_pts"]))
    assert f"{biggest['workforce_share'] * 100:.1f}% of staff who stated" in text[1]
    assert f"{biggest['population_share'] * 100:.1f}% of the population" in text[1]
    # the two hidden groups (3 and 2 staff) are counted, not quoted
    hidden = int((out["compared"] & out["suppressed"]).sum())
    assert hidden >= 2 and text[-1].startswith(f"{hidden} detailed groups are not compared")
    joined = " ".join(text)
    assert "Chinese" not in joined and "African" not in joined
    assert wf.detailed_ethnicity_sentences(out.iloc[:0]) == []


# ------------------------------------------- progression protected with the headcount
def _mixed_leak_staff() -> pd.DataFrame:
    # Non-AfC: White 20, Asian 8, Mixed 1, not stated 6 (no Black or Other staff). Mixed 1
    # is hidden in the headcount table; protected on its own, the White / BME progression
    # table shows BME 9, and 9 - Asian 8 - Black 0 - Other 0 gives Mixed back.
    spec = [("Band 3", "A", 40), ("Band 3", "H", 30), ("Band 3", "D", 10), ("Band 3", "M", 12),
            ("Band 3", "S", 6), ("Band 3", "Z", 9),
            ("Band 6", "A", 50), ("Band 6", "H", 25), ("Band 6", "D", 7), ("Band 6", "M", 9),
            ("Band 6", "S", 8), ("Band 6", "Z", 12),
            ("Band 8a", "A", 10), ("Band 8a", "H", 7),
            ("Non-AfC", "A", 20), ("Non-AfC", "H", 8), ("Non-AfC", "D", 1), ("Non-AfC", "Z", 6)]
    return pd.DataFrame({
        "pay_band": [b for b, _, k in spec for _ in range(k)],
        "ethnic_category": [c for _, c, k in spec for _ in range(k)],
        "disability": ["No"] * sum(k for *_, k in spec),
    })


def _count(table: pd.DataFrame, category: str, cluster: str) -> float:
    row = table[(table["category"] == category) & (table["cluster"] == cluster)]
    return float(row["count"].item())


def _public_attacker(
    cluster_tables: list[tuple[pd.DataFrame, dict[str, str]]], clusters: dict[str, list[str]],
    senior: pd.DataFrame | None = None, senior_map: dict[str, str] | None = None,
) -> list[tuple[int, str, str]]:
    """Hidden figures a reader can work out from the published frames only.

    Units are (group of the first table, pay band); each other table's categories are
    given as groups of those (public definitions: BME is every stated non-White group),
    each cluster as its bands. A hidden figure is recoverable when its 0/1 row over the
    units lies in the span of the shown figures' rows (adding and subtracting).
    """
    groups = [c for c in cluster_tables[0][0]["category"].unique() if c != "Total"]
    bands = [b for bs in clusters.values() for b in bs]
    units = [(g, b) for g in groups for b in bands]

    def vec(test_group, test_band) -> np.ndarray:
        return np.array([float(test_group(g) and test_band(b)) for g, b in units])

    shown, hidden = [], []
    for k, (table, to_group) in enumerate(cluster_tables):
        for _, r in table.iterrows():
            cat, clu = str(r["category"]), str(r["cluster"])
            v = vec(lambda g, cat=cat, m=to_group: cat == "Total" or m.get(g, g) == cat,
                    lambda b, clu=clu: clu == "Total" or b in clusters[clu])
            (hidden if np.isnan(r["count"]) else shown).append(((k, cat, clu), v))
    if senior is not None:
        eligible = [*schemas.AFC_BANDS, "VSM"]
        for _, r in senior.iterrows():
            for col, grp, top in (("numerator_a", r["reference"], True),
                                  ("denominator_a", r["reference"], False),
                                  ("numerator_b", r["comparison"], True),
                                  ("denominator_b", r["comparison"], False)):
                v = vec(lambda g, grp=grp: senior_map.get(g, g) == grp,
                        lambda b, top=top: b in eligible and (not top or b in wf.SENIOR_BANDS))
                (hidden if np.isnan(r[col]) else shown).append(((9, col, str(grp)), v))
    known = np.vstack([v for _, v in shown])
    rank = np.linalg.matrix_rank(known)
    return [label for label, v in hidden
            if v.any() and np.linalg.matrix_rank(np.vstack([known, v])) == rank]


_TO_BME = {"White": "White", "Not stated": "Not stated", "Asian": "BME", "Black": "BME",
           "Mixed": "BME", "Other": "BME"}


def test_unlinked_progression_gives_a_hidden_headcount_cell_back() -> None:
    staff = _mixed_leak_staff()
    head = wf.publish_profile(staff, "ethnic_group", "seed").headcount
    prog = wf.publish_progression(staff, "bme", "seed")
    assert np.isnan(_count(head, "Mixed", "Non-AfC"))
    # the attacker, from the published frames only
    recovered = _count(prog, "BME", "Non-AfC") - sum(
        _count(head, g, "Non-AfC") for g in ("Asian", "Black", "Other"))
    assert recovered == 1  # the true count
    found = _public_attacker([(head, {}), (prog, _TO_BME)], wf.band_clusters("seed"))
    assert (0, "Mixed", "Non-AfC") in found


def test_linked_progression_leaves_nothing_recoverable_from_both_tables() -> None:
    staff = _mixed_leak_staff()
    profile = wf.publish_profile(staff, "ethnic_group", "seed")
    head = profile.headcount
    prog = wf.publish_progression(staff, "bme", "seed", linked=[profile])
    assert np.isnan(_count(prog, "BME", "Non-AfC"))
    assert prog.loc[prog["category"] == "BME", "symbol"].isin(["", "*"]).all()
    assert _public_attacker([(head, {}), (prog, _TO_BME)], wf.band_clusters("seed")) == []
    # the headcount table is untouched and shares come from published counts only
    pdt.assert_frame_equal(head, wf.publish_profile(staff, "ethnic_group", "seed").headcount)
    hidden_total = prog["category"].map(
        prog[prog["cluster"] == "Total"].set_index("category")["count"]).isna()
    assert prog.loc[prog["count"].isna() | hidden_total, "share_of_group"].isna().all()
    assert prog["suppressed"].equals(prog["count"].isna())
    assert (prog.loc[prog["category"] == "Total", "count"].to_numpy() ==
            [107, 111, 17, 35, 270]).all()


def test_linked_senior_likelihood_resists_differencing_with_the_cluster_tables() -> None:
    staff = _mixed_leak_staff()
    profile = wf.publish_profile(staff, "ethnic_group", "seed")
    prog = wf.publish_progression(staff, "bme", "seed", linked=[profile])
    senior = wf.publish_senior_likelihood(staff, "bme", "White", "BME", "seed",
                                          linked=[profile, prog])
    found = _public_attacker([(profile.headcount, {}), (prog, _TO_BME)],
                             wf.band_clusters("seed"), senior, _TO_BME)
    assert found == []
    from edi_analysis import wres

    alone = wres.publish_indicator(wf.senior_likelihood(staff))
    assert (0, "Mixed", "Non-AfC") in _public_attacker(
        [(profile.headcount, {}), (prog, _TO_BME)], wf.band_clusters("seed"), alone, _TO_BME)
    row = senior.iloc[0]
    if row[["numerator_a", "denominator_a", "numerator_b", "denominator_b"]].isna().any():
        assert bool(row["suppressed"]) and row[["value_a", "value_b", "value", "lower",
                                                "upper"]].isna().all()
    # without links it is a plain publish_indicator row
    plain = wf.publish_senior_likelihood(staff, "bme", "White", "BME", "seed")
    pdt.assert_frame_equal(plain, wres.publish_indicator(wf.senior_likelihood(staff)))


def test_linked_tables_must_describe_the_same_staff() -> None:
    staff = _mixed_leak_staff()
    profile = wf.publish_profile(staff, "ethnic_group", "seed")
    with pytest.raises(ValueError, match="lacks column"):
        wf.publish_progression(staff, "bme", "seed", linked=[profile.headcount.drop(
            columns="suppressed")])
    with pytest.raises(ValueError, match="same staff"):
        wf.publish_progression(staff.iloc[:-1], "bme", "seed", linked=[profile])
    with pytest.raises(ValueError, match="same staff"):
        wf.publish_senior_likelihood(staff.iloc[:-1], linked=[profile])


@pytest.mark.parametrize(("policy", "preset"), [("standard", "seed"), ("nhs_digital", "seed"),
                                               ("standard", "wdes")])
def test_demo_progression_and_headcount_leave_nothing_recoverable(
    policy: str, preset: str,
) -> None:
    from edi_analysis.inputs import org_inputs

    staff = org_inputs("QK1", "2025-26")["staff_records"]
    section = wf.build_section(staff, "QK1", clusters=preset, policy=policy)
    clusters = wf.band_clusters(preset)
    head = section.profiles["ethnic_group"].headcount
    prog = section.progression["bme"]
    senior = section.senior
    # the leak of the unlinked tables (standard policy): Mixed in Non-AfC is BME - Asian
    unlinked = wf.publish_progression(staff, "bme", preset, policy)
    if (policy, preset) == ("standard", "seed"):
        assert (0, "Mixed", "Non-AfC") in _public_attacker(
            [(head, {}), (unlinked, _TO_BME)], clusters)
    assert _public_attacker([(head, {}), (prog, _TO_BME)], clusters) == []
    assert _public_attacker([(head, {}), (prog, _TO_BME)], clusters,
                            senior[senior["reference"] == "White"], _TO_BME) == []
    if (policy, preset) == ("standard", "seed"):
        # the likelihood counts need it too: protected on their own (WRES rule), the
        # senior / AfC+VSM counts with the cluster tables give Mixed in Non-AfC back
        from edi_analysis import wres

        alone = wres.publish_indicator(wf.senior_likelihood(staff), policy)
        assert (0, "Mixed", "Non-AfC") in _public_attacker(
            [(head, {}), (prog, _TO_BME)], clusters, alone, _TO_BME)
    dis = section.profiles["disability"].headcount
    assert _public_attacker([(dis, {}), (section.progression["disability"], {})],
                            clusters, senior[senior["reference"] == "No"], {}) == []
    for table in (prog, section.progression["disability"]):
        assert table["suppressed"].equals(table["count"].isna())


def test_senior_count_is_hidden_when_it_would_give_away_a_small_vsm_group() -> None:
    # 6 White staff in Band 8a (cluster "Band 8a-9") and 2 White VSM (inside "Non-AfC"):
    # senior 8 less the published Band 8a-9 figure 6 would reveal the 2 VSM.
    bands = ["Band 8a"] * 6 + ["VSM"] * 2 + ["Band 5"] * 20 + ["Band 8a"] * 6 + ["Band 5"] * 20
    codes = ["A"] * 28 + ["H"] * 26
    staff = pd.DataFrame({"employee_id": [f"E{i}" for i in range(len(bands))],
                          "pay_band": bands, "ethnic_category": codes,
                          "staff_group": "Administrative and Clerical"})
    plain = wf.publish_senior_likelihood(staff)
    headcount = wf.publish_profile(staff, "ethnic_group").headcount
    linked = wf.publish_senior_likelihood(staff, linked=[headcount])
    assert plain.at[0, "numerator_a"] == 8  # unlinked, the row shows White senior = 8
    assert pd.isna(linked.at[0, "numerator_a"]) and pd.isna(linked.at[0, "value"])
