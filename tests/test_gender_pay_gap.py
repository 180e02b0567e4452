"""Tests for edi_analysis.gender_pay_gap: statutory measures worked by hand.

What the chapter publishes of them (percentages only, protected by the disclosure model)
is tested in ``test_workforce_publication.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from edi_analysis import gender_pay_gap as gpg
from edi_analysis.errors import InputError


def _staff(rows: list[tuple[str, float, float]], full_pay: list[bool] | None = None):
    frame = pd.DataFrame(rows, columns=["sex", "hourly_pay", "bonus_pay"])
    if full_pay is not None:
        frame["full_pay_relevant"] = full_pay
    return frame


# --------------------------------------------------------------------------- pay_gap
def test_mean_gap_is_difference_as_percentage_of_mens_mean() -> None:
    # men mean 15, women mean 12: (15 - 12) / 15 = 20%
    assert gpg.pay_gap([10.0, 20.0], [12.0], "mean") == pytest.approx(20.0)


def test_median_gap_uses_mean_of_middle_two_for_even_counts() -> None:
    # men median 20; women median (10 + 20) / 2 = 15: (20 - 15) / 20 = 25%
    assert gpg.pay_gap([10.0, 20.0, 30.0], [10.0, 20.0], "median") == pytest.approx(25.0)


def test_negative_gap_when_women_paid_more() -> None:
    assert gpg.pay_gap([10.0], [12.0]) == pytest.approx(-20.0)


def test_gap_is_nan_for_an_empty_group() -> None:
    assert np.isnan(gpg.pay_gap([], [10.0]))


def test_unknown_statistic_is_rejected() -> None:
    with pytest.raises(ValueError, match="mean' or 'median"):
        gpg.pay_gap([1.0], [1.0], "mode")


# --------------------------------------------------------------------------- quarters
@pytest.mark.parametrize(
    ("n", "sizes"),
    [
        (8, [2, 2, 2, 2]),
        (9, [3, 2, 2, 2]),  # one left over -> lower quarter
        (10, [3, 2, 3, 2]),  # two -> lower and upper middle
        (11, [3, 3, 3, 2]),  # three -> lower, lower middle, upper middle
        (0, [0, 0, 0, 0]),
    ],
)
def test_quarter_sizes_follow_the_statutory_guidance(n: int, sizes: list[int]) -> None:
    assert gpg.quarter_sizes(n) == sizes


def test_negative_quarter_size_is_rejected() -> None:
    with pytest.raises(ValueError):
        gpg.quarter_sizes(-1)


def test_quarters_without_ties_are_counted_by_rank() -> None:
    staff = _staff([("Female", 10, 0), ("Female", 11, 0), ("Male", 12, 0), ("Female", 13, 0),
                    ("Male", 14, 0), ("Female", 15, 0), ("Male", 16, 0), ("Male", 17, 0)])
    q = gpg.pay_quarters(staff)
    assert q["male_n"].tolist() == [0, 1, 1, 2]
    assert q["female_n"].tolist() == [2, 1, 1, 0]
    assert q["female_pct"].tolist() == pytest.approx([100.0, 50.0, 50.0, 0.0])


def test_tied_rate_across_a_boundary_is_shared_in_equal_proportions() -> None:
    # Rate 20 held by 2 men and 2 women spans ranks 3-6 (lower middle and upper middle
    # quarters, 2 places each): regulation 13(2) asks for the same proportion of men and
    # women on that rate in both quarters -> 1 man + 1 woman in each. The men are listed
    # first, so ranking in input order would wrongly put both men in lower middle.
    staff = _staff([("Female", 10, 0), ("Female", 10, 0), ("Male", 20, 0), ("Male", 20, 0),
                    ("Female", 20, 0), ("Female", 20, 0), ("Male", 30, 0), ("Male", 30, 0)])
    q = gpg.pay_quarters(staff)
    assert q["male_n"].tolist() == [0, 1, 1, 2]
    assert q["female_n"].tolist() == [2, 1, 1, 0]


def test_uneven_tie_split_uses_largest_remainder() -> None:
    # 8 staff, quarters of 2. Rate 20: 1 man + 2 women at ranks 2-4 -> 1 place in lower,
    # 2 in lower middle. Men's exact shares 1/3 and 2/3: the man goes to lower middle.
    staff = _staff([("Female", 10, 0), ("Male", 20, 0), ("Female", 20, 0), ("Female", 20, 0),
                    ("Male", 30, 0), ("Female", 31, 0), ("Male", 40, 0), ("Male", 41, 0)])
    q = gpg.pay_quarters(staff)
    assert q["male_n"].tolist() == [0, 1, 1, 2]
    assert q["female_n"].tolist() == [2, 1, 1, 0]
    assert q["n"].tolist() == [2, 2, 2, 2]


def test_only_full_pay_relevant_employees_are_ranked() -> None:
    staff = _staff([("Female", 10, 0), ("Male", 20, 0), ("Female", 30, 0), ("Male", 40, 0),
                    ("Female", 1, 0)], full_pay=[True, True, True, True, False])
    q = gpg.pay_quarters(staff)
    assert q["n"].sum() == 4


def test_missing_column_raises_input_error() -> None:
    with pytest.raises(InputError, match="hourly_pay"):
        gpg.pay_quarters(pd.DataFrame({"sex": ["Male"]}))


# --------------------------------------------------------------------------- bonus
def test_bonus_measures_use_recipients_for_gaps_and_everyone_for_proportions() -> None:
    staff = _staff([("Male", 20, 100), ("Male", 20, 300), ("Male", 20, 0),
                    ("Female", 20, 100), ("Female", 20, 0), ("Female", 20, 0),
                    ("Female", 20, 0)])
    b = gpg.bonus_measures(staff)
    # men's bonus mean over recipients 200, women's 100: gap 50%
    assert b["mean_bonus_gap_pct"] == pytest.approx(50.0)
    assert b["median_bonus_gap_pct"] == pytest.approx(50.0)
    assert b["male_bonus_pct"] == pytest.approx(200 / 3)
    assert b["female_bonus_pct"] == pytest.approx(25.0)


def test_bonus_proportions_include_staff_not_on_full_pay() -> None:
    staff = _staff([("Male", 20, 100), ("Male", 20, 0)], full_pay=[False, True])
    assert gpg.bonus_measures(staff)["male_bonus_pct"] == pytest.approx(50.0)


def test_headline_measures_table() -> None:
    staff = _staff([("Male", 10, 0), ("Male", 20, 0), ("Female", 12, 0)])
    m = gpg.gender_pay_gap(staff).set_index("measure")
    assert m.at["Mean hourly pay gap", "value_pct"] == pytest.approx(20.0)
    assert m.at["Median hourly pay gap", "value_pct"] == pytest.approx(20.0)
    assert np.isnan(m.at["Mean bonus gap", "value_pct"])  # nobody was paid a bonus
    assert list(m.index) == ["Mean hourly pay gap", "Median hourly pay gap", "Mean bonus gap",
                             "Median bonus gap", "Men paid a bonus", "Women paid a bonus"]


def test_gap_change_in_points() -> None:
    cur = pd.DataFrame({"measure": ["Mean hourly pay gap"], "value_pct": [18.0],
                        "male_n": [10], "female_n": [10]})
    prev = cur.assign(value_pct=[20.5])
    out = gpg.gap_change(cur, prev)
    assert out["change_pts"].iloc[0] == pytest.approx(-2.5)
    assert np.isnan(gpg.gap_change(cur, None)["change_pts"].iloc[0])


# --------------------------------------------------------------------------- peers
def _peers() -> pd.DataFrame:
    return pd.DataFrame({
        "reporting_year": ["2022-23"] * 4 + ["2023-24"],
        "snapshot_year": [2022] * 4 + [2023],
        "file_complete": [True] * 4 + [False],
        "employer": ["A Trust", "B Trust", "C Integrated Care Board", "D Trust", "E Trust"],
        "employer_type": ["Trust", "Trust", "ICB", "Trust", "Trust"],
        "mean_hourly_gap_pct": [5.0, 10.0, 15.0, 20.0, 99.0],
        "median_hourly_gap_pct": [5.0, 10.0, 15.0, 20.0, 99.0],
        "female_upper_quarter_pct": [50.0] * 5,
    })


def test_peer_comparison_percentile_and_quartiles() -> None:
    org = {"Mean hourly pay gap": 12.0, "Median hourly pay gap": 15.0}
    out = gpg.peer_comparison(org, "2025-26", peers=_peers())
    allp = out[out["peer_group"] == "All NHS bodies"].set_index("measure")
    # incomplete 2023-24 file is skipped: 2022-23 is used
    assert (out["peer_year"] == "2022-23").all()
    assert allp.at["Mean hourly pay gap", "peer_bodies"] == 4
    assert allp.at["Mean hourly pay gap", "percentile"] == pytest.approx(50.0)
    # a tie counts half: 2 smaller + 0.5 -> 62.5%
    assert allp.at["Median hourly pay gap", "percentile"] == pytest.approx(62.5)
    assert allp.at["Mean hourly pay gap", "peer_median_pct"] == pytest.approx(12.5)
    assert set(out["peer_group"]) == {"All NHS bodies", "Trust", "ICB"}


def test_peer_comparison_without_an_earlier_year_raises() -> None:
    with pytest.raises(ValueError, match="No complete peer returns"):
        gpg.peer_comparison({"Mean hourly pay gap": 1.0}, "2019-20", peers=_peers())


def test_shipped_peer_returns_load_with_types() -> None:
    peers = gpg.load_peer_returns()
    assert {"ICB", "Trust"} <= set(peers["employer_type"])
    assert peers["reporting_year"].str.match(r"^\d{4}-\d{2}$").all()
    # UHL NHS Trust 2022-23 (PROVENANCE.md check): mean 28.4%, median 13.3%
    uhl = peers[(peers["reporting_year"] == "2022-23")
                & peers["employer"].str.contains("University Hospitals Of Leicester",
                                                 case=False)]
    assert uhl["mean_hourly_gap_pct"].tolist() == [pytest.approx(28.4)]
    assert uhl["median_hourly_gap_pct"].tolist() == [pytest.approx(13.3)]


# --------------------------------------------------------------------------- other gaps
def test_pay_gap_by_group_excludes_other_groups() -> None:
    staff = pd.DataFrame({"hourly_pay": [20.0, 20.0, 15.0, 99.0]})
    group = pd.Series(["White", "White", "BME", "Not stated"])
    out = gpg.pay_gap_by_group(staff, group, "White", "BME")
    expected = pd.DataFrame({
        "measure": ["Mean hourly pay gap", "Median hourly pay gap"],
        "value_pct": [25.0, 25.0], "reference": "White", "comparison": "BME",
        "reference_n": 2, "comparison_n": 1,
    })
    pdt.assert_frame_equal(out, expected)


def test_pay_quarter_of_places_each_employee_as_pay_quarters_counts_them() -> None:
    # 9 ranked staff (sizes 3, 2, 2, 2: the remainder goes to the lower quarters), a tie
    # at 15.0 across the Lower / Lower middle boundary; one not full-pay relevant
    staff = _staff([("Male", 10, 0), ("Female", 12, 0), ("Male", 15, 0), ("Female", 15, 0),
                    ("Female", 15, 0), ("Male", 18, 0), ("Female", 20, 0), ("Male", 25, 0),
                    ("Female", 30, 0), ("Male", 50, 0)],
                   full_pay=[True] * 9 + [False])
    q = gpg.pay_quarters(staff).set_index("quarter")
    assert q["n"].tolist() == gpg.quarter_sizes(9) == [3, 2, 2, 2]
    of = gpg.pay_quarter_of(staff)
    assert of.iloc[-1] == "Not ranked"
    placed = pd.crosstab(of[of != "Not ranked"], staff["sex"][of != "Not ranked"])
    for quarter in gpg.QUARTER_LABELS:
        assert placed.at[quarter, "Male"] == q.at[quarter, "male_n"]
        assert placed.at[quarter, "Female"] == q.at[quarter, "female_n"]
    assert of.iloc[0] == "Lower" and of.iloc[8] == "Upper"
    assert gpg.pay_quarter_of(staff, not_ranked="").iloc[-1] == ""


def test_pay_quarters_percentages_and_pay_ranges_by_hand() -> None:
    staff = _staff([("Female", 10 + i, 0) for i in range(6)]
                   + [("Male", 20 + i, 0) for i in range(2)])
    q = gpg.pay_quarters(staff).set_index("quarter")
    assert q["female_pct"].tolist() == [100.0, 100.0, 100.0, 0.0]
    assert q.at["Upper", "male_pct"] == 100.0
    assert (q.at["Lower", "min_hourly_pay"], q.at["Lower", "max_hourly_pay"]) == (10, 11)


def _published_section(peers: pd.DataFrame | None = None) -> gpg.GenderPayGapSection:
    """A section as the workforce chapter publishes it (percentages only)."""
    measures = pd.DataFrame({
        "measure": ["Mean hourly pay gap", "Median hourly pay gap", "Mean bonus gap",
                    "Median bonus gap", "Men paid a bonus", "Women paid a bonus"],
        "value_pct": [25.0, 24.0, np.nan, np.nan, np.nan, np.nan],
        "previous_pct": [26.5, np.nan, np.nan, np.nan, np.nan, np.nan],
        "change_pts": [-1.5, np.nan, np.nan, np.nan, np.nan, np.nan],
        "suppressed": [False, False, True, True, True, True],
        "symbol": ["", "", "<5", "<5", "<5", "<5"],
    })
    quarters = pd.DataFrame({"quarter": gpg.QUARTER_LABELS,
                             "female_pct": [80.0, 60.0, 45.0, 30.0],
                             "male_pct": [20.0, 40.0, 55.0, 70.0],
                             "female_symbol": "", "male_symbol": ""})
    comparison = None
    if peers is not None:
        comparison = gpg.peer_comparison({"Mean hourly pay gap": 25.0,
                                          "Median hourly pay gap": 24.0}, "2025-26",
                                         peers=peers)
    return gpg.GenderPayGapSection(measures, quarters, comparison, peers, pd.DataFrame(),
                                   "2025-26")


def test_section_properties() -> None:
    section = _published_section(_peers())
    assert section.median_gap == pytest.approx(24.0)
    assert section.peer_year == "2022-23"
    assert _published_section().peer_year == ""
    hidden = _published_section()
    hidden.measures.loc[1, "value_pct"] = np.nan
    assert np.isnan(hidden.median_gap)


def test_gap_sentences_quote_only_published_figures() -> None:
    text = gpg.gap_sentences(_published_section(_peers()))
    assert text[0] == ("The mean hourly pay gap is 25.0%: on this measure men are paid more "
                       "per hour on average (previous year 26.5%).")
    assert text[1] == ("The median hourly pay gap is 24.0%: on this measure men are paid "
                       "more per hour on average.")
    assert text[2] == ("Women make up 30.0% of the upper hourly pay quarter and 80.0% of the "
                       "lower quarter.")
    assert text[3].startswith("Among 4 NHS bodies reporting for 2022-23, the median gap was "
                              "12.5%; ")
    joined = " ".join(text).lower()
    assert "bonus" not in joined  # hidden measures are never quoted


def test_gap_sentences_skip_hidden_quarters_and_say_when_women_are_paid_more() -> None:
    section = _published_section()
    section.measures.loc[0, "value_pct"] = -3.0
    section.measures.loc[0, "previous_pct"] = np.nan
    section.measures.loc[1, "value_pct"] = 0.0
    section.quarters.loc[0, "female_pct"] = np.nan
    text = gpg.gap_sentences(section)
    assert text == ["The mean hourly pay gap is -3.0%: on this measure women are paid more "
                    "per hour on average.", "The median hourly pay gap is 0.0%."]


def test_not_ranked_bounds_pin_the_staff_on_reduced_pay_from_exact_percentages() -> None:
    # 23 staff, 20 ranked (quarters of 5): men 1, 2, 3, 4 per quarter; 3 not ranked
    # (1 man, 2 women). Headcount: 11 men, 12 women.
    male_pct = [20.0, 40.0, 60.0, 80.0]
    female_pct = [80.0, 60.0, 40.0, 20.0]
    bounds = gpg.not_ranked_bounds(male_pct, female_pct, 1, 23, 11, 12)
    assert bounds["all"][0] <= 3 <= bounds["all"][1]
    assert bounds["Male"][0] <= 1 <= bounds["Male"][1]
    # the sizes 5, 5, 5, 5 are the only ones giving multiples of 20% at 1 dp, up to 23
    assert bounds["all"] == (3, 3) and bounds["Male"] == (1, 1)


def test_not_ranked_bounds_of_withheld_percentages_are_wide() -> None:
    nan = float("nan")
    bounds = gpg.not_ranked_bounds([nan] * 4, [nan] * 4, 1, 23, 11, 12)
    assert bounds == {"all": (0, 23), "Male": (0, 11), "Female": (0, 12)}
