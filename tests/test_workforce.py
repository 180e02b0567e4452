"""Tests for edi_analysis.workforce: the statistics of the workforce chapter (clusters,
headcount, representation, declaration, progression, senior likelihood) and its narrative.

What is published (protected by the disclosure model) is tested in
``test_workforce_publication.py``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

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




def test_progression_table_counts_and_group_totals_by_hand() -> None:
    # White: 3 in Band 1-4, 1 in Band 8a-9; BME: 1 in Band 1-4, 1 in Band 8a-9
    staff = _staff(6, pay_band=[("Band 3", 2), ("Band 8a", 4)],
                   ethnic_category=[("A", 1), ("H", 1), ("A", 3), ("H", 1)])
    t = wf.progression_table(staff, "bme").set_index(["category", "cluster"])
    assert (t.at[("White", "Band 1-4"), "count"], t.at[("White", "Band 8a-9"), "count"]) \
        == (1, 3)
    assert t.at[("White", "Band 8a-9"), "group_total"] == 4
    assert t.at[("White", "Band 8a-9"), "share_of_group"] == pytest.approx(0.75)
    assert t.at[("BME", "Band 1-4"), "share_of_group"] == pytest.approx(0.5)
    assert t.at[("BME", "Non-AfC"), "count"] == 0
    # a group with no staff has no shares (not zero)
    assert math.isnan(t.at[("Not stated", "Band 1-4"), "share_of_group"])
    assert "Total" not in t.index.get_level_values("cluster")


def test_senior_likelihood_interval_is_katz_by_hand() -> None:
    # White 10 of 20 in 8a+, BME 5 of 20: SE(ln RL) = sqrt(1/10 - 1/20 + 1/5 - 1/20)
    staff = _staff(
        40,
        pay_band=[("Band 8a", 10), ("Band 5", 10), ("VSM", 5), ("Band 6", 15)],
        ethnic_category=[("A", 10), ("A", 10), ("H", 5), ("H", 15)],
    )
    rl = wf.senior_likelihood(staff).iloc[0]
    se = math.sqrt(1 / 10 - 1 / 20 + 1 / 5 - 1 / 20)
    z = 1.959963984540054
    assert rl["lower"] == pytest.approx(2.0 * math.exp(-z * se))  # 0.8324
    assert rl["upper"] == pytest.approx(2.0 * math.exp(z * se))  # 4.8054
    assert rl["lower"] == pytest.approx(0.8324, abs=1e-4)
    assert (rl["numerator_a"], rl["denominator_a"], rl["numerator_b"],
            rl["denominator_b"]) == (10, 20, 5, 20)
    assert list(wf.senior_likelihood(staff).columns[:4]) == ["standard", "indicator",
                                                             "description", "breakdown"]


def test_senior_likelihood_leaves_out_non_afc_and_not_stated_staff() -> None:
    # Medical and Non-AfC staff have no AfC band; "Z" is not stated: neither counts
    staff = _staff(
        14,
        pay_band=[("Band 8b", 2), ("Band 4", 2), ("Band 9", 1), ("Band 4", 3),
                  ("Medical - Consultant", 3), ("Non-AfC", 1), ("Band 8a", 2)],
        ethnic_category=[("A", 2), ("A", 2), ("H", 1), ("H", 3), ("A", 3), ("H", 1),
                         ("Z", 2)],
    )
    rl = wf.senior_likelihood(staff).iloc[0]
    assert (rl["numerator_a"], rl["denominator_a"]) == (2, 4)
    assert (rl["numerator_b"], rl["denominator_b"]) == (1, 4)
    assert rl["value"] == pytest.approx(2.0)


def test_disability_senior_likelihood_names_the_groups() -> None:
    staff = _staff(8, pay_band=[("Band 8c", 2), ("Band 5", 2), ("VSM", 1), ("Band 5", 3)],
                   disability=[("No", 4), ("Yes", 4)])
    rl = wf.senior_likelihood(staff, "disability", "No", "Yes").iloc[0]
    assert "non-disabled staff" in rl["description"] and "disabled staff" in rl["description"]
    assert rl["value"] == pytest.approx((2 / 4) / (1 / 4))


def test_declaration_rates_interval_is_wilson() -> None:
    staff = _staff(20, pay_band=[("Band 6", 20)],
                   ethnic_category=[("Z", 3), ("99", 1), ("A", 16)])
    d = wf.declaration_rates(staff, ["ethnic_group"]).set_index("cluster")
    lo, hi = _wilson(4, 20)
    assert d.at["Total", "not_declared_n"] == 4  # Z and 99 are both not declared
    assert (d.at["Total", "lower"], d.at["Total", "upper"]) == (pytest.approx(lo),
                                                                 pytest.approx(hi))
    assert d.at["Total", "declared_share"] == pytest.approx(0.8)


def test_declaration_change_without_a_previous_snapshot() -> None:
    cur = pd.DataFrame({"characteristic": ["sex"], "cluster": ["Total"],
                        "not_declared_share": [0.1], "headcount": [10]})
    out = wf.declaration_change(cur, None)
    assert out[["previous_not_declared_share", "previous_headcount",
                "change_pts"]].isna().all(axis=None)


def test_workforce_census_categories_and_label_mapping() -> None:
    staff = pd.DataFrame({"ethnic_category": [" h", "A", "Z", None],
                          "religion_belief": ["Atheism", "Jainism", "Christianity",
                                              "I do not wish to disclose my religion/belief"]})
    assert wf.workforce_census_categories(staff, "ethnic_group").tolist() == [
        "Asian", "White", "Not stated", "Not stated"]
    religion = wf.workforce_census_categories(staff, "religion_belief").tolist()
    assert religion[:3] == ["No religion", "Other religion", "Christian"]
    with pytest.raises(ValueError, match="no Census 2021 comparator"):
        wf.workforce_census_categories(pd.DataFrame({"contract_status": ["Full-Time"]}),
                                       "contract_status")
    mapping = wf.census_category_of_labels("religion_belief", ["Atheism", "Jainism"])
    assert mapping == {"Atheism": "No religion", "Jainism": "Other religion"}
    assert wf.census_category_of_labels("ethnic_group", ["Asian", "Not stated"]) == {
        "Asian": "Asian", "Not stated": "Not stated"}


def test_representation_frame_from_published_counts_leaves_hidden_rows_blank() -> None:
    # the chapter recomputes representation from published counts: a hidden (NaN) count
    # gives no share, interval or flag; the shown rows use the published base
    wf_counts = pd.Series({"White": 60.0, "Asian": np.nan, "Not stated": 10.0})
    comp = _comparator(Asian=300.0, White=700.0)
    rep = wf._representation_frame(wf_counts, comp, "ethnic_group", 0.95, base=80.0,
                                   n_all=90.0).set_index("category")
    lo, hi = _wilson(60, 80)
    assert rep.at["White", "workforce_share"] == pytest.approx(0.75)
    assert (rep.at["White", "lower"], rep.at["White", "upper"]) == (pytest.approx(lo),
                                                                   pytest.approx(hi))
    assert rep.at["White", "flag"] == "Similar"  # 0.70 within (0.645, 0.830)
    assert rep.loc["Asian", ["workforce_share", "lower", "upper",
                             "representation_ratio"]].isna().all()
    assert rep.at["Asian", "flag"] == ""
    assert rep.at["Not stated", "workforce_share"] == pytest.approx(10 / 90)
    assert not rep.at["Not stated", "compared"]


def test_published_profile_reads_its_policy() -> None:
    from edi_analysis.disclosure import get_policy

    pol = get_policy("standard")
    profile = wf.PublishedProfile("sex", pol, pd.DataFrame())
    assert (profile.symbol, profile.key_text) == ("<5", pol.key_text)
    assert profile.representation is None and profile.declaration is None


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



def test_detailed_ethnicity_sentences_quote_published_rows_and_count_hidden_ones() -> None:
    # a published detailed table: Indian over-represented, White British under, two
    # groups hidden (no staff figure), a Census-only row and not stated apart
    def row(cat, n, share, pop_share, flag, compared=True, suppressed=False):
        return {"characteristic": "ethnic_category", "category": cat, "workforce_n": n,
                "workforce_base": 300.0, "workforce_share": share,
                "lower": share - 0.05 if compared and share == share else np.nan,
                "upper": share + 0.05 if compared and share == share else np.nan,
                "population_share": pop_share,
                "difference_pts": (share - pop_share) * 100 if share == share else np.nan,
                "flag": flag, "compared": compared, "share_base": "staff who stated",
                "suppressed": suppressed, "symbol": "<5" if suppressed else ""}

    table = pd.DataFrame([
        row("White: English, Welsh, Scottish, Northern Irish or British", 200.0, 200 / 300,
            0.80, "Under-represented"),
        row("Asian, Asian British or Asian Welsh: Indian", 80.0, 80 / 300, 0.05,
            "Over-represented"),
        row("Asian, Asian British or Asian Welsh: Pakistani", 15.0, 15 / 300, 0.05,
            "Similar"),
        row("Asian, Asian British or Asian Welsh: Chinese", np.nan, np.nan, 0.05, "",
            suppressed=True),
        row("Black, Black British, Black Welsh, Caribbean or African: African", np.nan,
            np.nan, 0.05, "", suppressed=True),
        row("White: Roma", np.nan, np.nan, 0.01, "", compared=False),
    ])
    text = wf.detailed_ethnicity_sentences(table, "the local population (all ages)",
                                           max_groups=2)
    assert text[0] == ("Of the 3 detailed ethnic groups with a published staff figure, 2 "
                       "differ from the local population (all ages) (the population share "
                       "lies outside the interval of the staff share given in the table).")
    # the largest difference first (Indian +21.7 points, White British -13.3)
    assert text[1] == ("26.7% of staff who stated their ethnic group identify as Asian, "
                       "Asian British or Asian Welsh: Indian, compared with 5.0% of the "
                       "population (over-represented).")
    assert text[2].startswith("66.7% of staff who stated their ethnic group identify as "
                              "White: English")
    assert text[-1] == ("2 detailed groups are not compared: the number of staff is hidden "
                        "because it is small or would reveal a small group.")
    joined = " ".join(text)
    assert "Chinese" not in joined and "African" not in joined and "Roma" not in joined
    assert wf.detailed_ethnicity_sentences(table.iloc[:0]) == []
