"""Adversarial tests for edi_analysis.suppression.

The central check is an *attacker*: given the published table (hidden cells unknown,
totals published unless hidden), it tries every row and column subtraction, and also
solves the whole system of row/column equations, and fails the test if any hidden
count can be worked out exactly. It is written here independently of the module.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from edi_analysis.errors import InputError
from edi_analysis.suppression import (
    POLICIES,
    SuppressionPolicy,
    get_policy,
    protect_with_constraints,
    published_counts_frame,
    published_numeric_frame,
    recoverable_figures,
    suppress_long,
    suppress_small_groups,
    suppress_table,
    suppression_mask,
)


# --------------------------------------------------------------------------------------
# the attacker
# --------------------------------------------------------------------------------------
def _lines(n_rows: int, n_cols: int) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    """Equations of a table with a total column (index n_cols) and total row (n_rows)."""
    lines = []
    for i in range(n_rows + 1):  # each row, and the total row, adds up to its total
        lines.append(([(i, j) for j in range(n_cols)], (i, n_cols)))
    for j in range(n_cols + 1):  # each column, and the total column
        lines.append(([(i, j) for i in range(n_rows)], (n_rows, j)))
    return lines


def attack(counts: pd.DataFrame, hidden_with_totals: pd.DataFrame, small: int = 4) -> list[str]:
    """Everything a reader can work out from a published table with all totals.

    Returns descriptions of the leaks found (empty list = safe).
    """
    body = counts.to_numpy(dtype=float)
    R, C = body.shape
    full = np.zeros((R + 1, C + 1))
    full[:R, :C] = body
    full[:R, C] = body.sum(axis=1)
    full[R, :C] = body.sum(axis=0)
    full[R, C] = body.sum()
    hidden = hidden_with_totals.to_numpy(dtype=bool)
    assert hidden.shape == full.shape
    leaks = []
    lines = _lines(R, C)
    # 1. single subtractions, and small sums of hidden cells, line by line
    for members, total in lines:
        unknown = [c for c in [*members, total] if hidden[c]]
        if len(unknown) == 1:
            leaks.append(f"{unknown[0]} = total - others in line ending {total}")
        if not hidden[total] and len(unknown) >= 2:
            s = sum(full[c] for c in unknown)
            if 0 < s <= small:
                leaks.append(f"hidden cells {unknown} sum to {s:g}")
    # 2. any combination of equations (linear algebra over the hidden cells)
    cells = [(int(i), int(j)) for i, j in np.argwhere(hidden)]
    if cells:
        pos = {c: k for k, c in enumerate(cells)}
        rows = []
        for members, total in lines:
            row = np.zeros(len(cells))
            for c in members:
                if c in pos:
                    row[pos[c]] += 1
            if total in pos:
                row[pos[total]] -= 1
            rows.append(row)
        A = np.array(rows)
        rank = np.linalg.matrix_rank(A)
        for c, k in pos.items():
            e = np.zeros(len(cells))
            e[k] = 1
            if np.linalg.matrix_rank(np.vstack([A, e])) == rank:
                leaks.append(f"{c} is determined by combining rows and columns")
    return leaks


def table(rows: list[list[int]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        index=[f"r{i}" for i in range(len(rows))],
        columns=[f"c{j}" for j in range(len(rows[0]))],
    )


# --------------------------------------------------------------------------------------
# policies
# --------------------------------------------------------------------------------------
def test_presets_have_the_documented_thresholds_and_symbols():
    assert (POLICIES["standard"].max_suppressed, POLICIES["standard"].symbol) == (4, "<5")
    nhsd = POLICIES["nhs_digital"]
    assert (nhsd.max_suppressed, nhsd.rounding_base, nhsd.symbol) == (7, 5, "*")
    u5 = POLICIES["under_5_percent"]
    assert (u5.min_share, u5.symbol, u5.suppress_zeros) == (0.05, "Under 5%", False)
    assert POLICIES["staff_survey"].min_count == 10
    assert "fewer than 10 responses" in POLICIES["staff_survey"].key_text
    assert POLICIES["national_survey"].min_count == 11
    assert all(p.key_text for p in POLICIES.values())


def test_get_policy_overrides_rederive_the_other_threshold():
    p = get_policy("standard", min_count=10)
    assert (p.min_count, p.max_suppressed, p.symbol) == (10, 9, "<5")
    assert get_policy(p) is p
    assert get_policy("NHS_Digital").name == "nhs_digital"


def test_get_policy_rejects_unknown_names_and_fields():
    with pytest.raises(ValueError, match="Unknown suppression policy 'strict'"):
        get_policy("strict")
    with pytest.raises(ValueError, match="Unknown policy field"):
        get_policy("standard", threshold=3)
    with pytest.raises(ValueError, match="max_suppressed"):
        SuppressionPolicy("odd", min_count=5, max_suppressed=2)


# --------------------------------------------------------------------------------------
# primary and secondary suppression on cross-tabulations
# --------------------------------------------------------------------------------------
def test_single_person_in_a_band_is_hidden_with_the_band_total():
    counts = table([[1, 0, 0], [40, 25, 30], [22, 18, 35]])
    hidden = suppression_mask(counts, with_totals=True)
    assert hidden.loc["r0", "c0"]
    assert hidden.loc["r0", "Total"]  # the band total of 1 would reveal it
    assert not hidden.loc["r0", "c1"]  # zeros stay visible
    assert attack(counts, hidden) == []


def test_band_total_minus_other_rows_cannot_recover_a_hidden_cell():
    counts = table([[3, 40, 51], [60, 45, 38], [70, 52, 49]])
    hidden = suppression_mask(counts, with_totals=True)
    assert hidden.loc["r0", "c0"]
    assert hidden.sum().sum() >= 4  # a lone small cell needs a rectangle of four
    assert attack(counts, hidden) == []


def test_two_hidden_cells_summing_to_a_small_number_force_a_third():
    counts = table([[1, 2, 50, 60]])
    hidden = suppression_mask(counts, col_totals=False, with_totals=True)
    assert hidden.loc["r0", ["c0", "c1"]].all()
    assert hidden.loc["r0", "c2"]  # 1 + 2 = 3 would be disclosive; smallest other is 50
    assert not hidden.loc["r0", "c3"]


def test_two_by_two_with_one_small_cell_hides_all_four():
    counts = table([[3, 10], [12, 20]])
    hidden = suppression_mask(counts)
    assert hidden.to_numpy().all()
    assert attack(counts, suppression_mask(counts, with_totals=True)) == []


def test_zeros_are_shown_and_never_used_as_complementary_cells():
    counts = table([[0, 3, 0], [0, 50, 20], [0, 30, 40]])
    hidden = suppression_mask(counts, with_totals=True)
    assert not hidden["c0"].any()
    assert hidden.loc["r0", "c1"]
    assert attack(counts, hidden) == []


def test_no_small_cells_means_nothing_hidden():
    counts = table([[10, 20], [30, 40]])
    assert not suppression_mask(counts).to_numpy().any()


def test_chained_suppression_cannot_be_undone_by_combining_rows_and_columns():
    # Nine cells of 3 form two rectangles joined by one cell (r1, c2). Every row and
    # column then has at least two hidden cells, each summing to 6 or more, yet
    # rows r0 + r1 minus columns c0 + c1 isolate (r1, c2). The audit must catch it.
    big = 60
    rows = [[big] * 5 for _ in range(5)]
    for i, j in [(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 2), (2, 3), (3, 2), (3, 3)]:
        rows[i][j] = 3
    counts = table(rows)
    hidden = suppression_mask(counts, with_totals=True)
    assert hidden.iloc[:5, :5].to_numpy().sum() > 9
    assert attack(counts, hidden) == []


@pytest.mark.parametrize("seed", range(60))
def test_random_tables_never_leak(seed):
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(2, 7)), int(rng.integers(2, 6)))
    # mix of zeros, small counts and larger counts
    body = rng.choice(
        [0, 1, 2, 3, 4, 5, 6, 9, 15, 40, 120],
        size=shape,
        p=[0.12, 0.1, 0.1, 0.08, 0.08, 0.07, 0.07, 0.08, 0.1, 0.1, 0.1],
    )
    counts = table(body.tolist())
    hidden = suppression_mask(counts, with_totals=True)
    assert attack(counts, hidden) == []
    # every primary cell (1-4, totals included) is hidden
    body_hidden = hidden.iloc[:-1, :-1].to_numpy()
    assert body_hidden[(body >= 1) & (body <= 4)].all()


def test_body_mask_matches_mask_with_totals_and_keeps_labels():
    counts = table([[3, 40, 51], [60, 45, 38]])
    body = suppression_mask(counts)
    full = suppression_mask(counts, with_totals=True)
    pd.testing.assert_frame_equal(body, full.loc[counts.index, counts.columns])


def test_series_with_a_total():
    s = pd.Series([2, 40, 55, 0], index=["a", "b", "c", "d"], name="n")
    hidden = suppression_mask(s, with_totals=True)
    assert hidden.tolist() == [True, True, False, False, False]
    assert list(hidden.index) == ["a", "b", "c", "d", "Total"]
    no_total = suppression_mask(s, col_totals=False)
    assert no_total.tolist() == [True, False, False, False]


def test_bad_counts_raise_input_error_listing_every_problem():
    counts = pd.DataFrame({"a": [1, -2], "b": [2.5, np.nan]}, index=["x", "y"])
    with pytest.raises(InputError) as err:
        suppression_mask(counts)
    text = str(err.value)
    assert "3 problems" in text
    assert "column 'a'" in text and "-2" in text
    assert "whole number" in text


# --------------------------------------------------------------------------------------
# published tables
# --------------------------------------------------------------------------------------
def test_suppress_table_standard_counts_shares_and_display():
    counts = table([[1, 10, 40], [20, 12, 3], [30, 0, 60]])
    st = suppress_table(counts)
    assert attack(counts, st.mask) == []
    # shares use the column totals; hidden counts give hidden shares
    assert st.shares.loc["r2", "c0"] == pytest.approx(30 / 51)
    assert np.isnan(st.shares.loc["r0", "c0"])
    assert st.shares.loc["Total", "c1"] == pytest.approx(1.0)
    text = published_counts_frame(st)
    assert text.loc["r0", "c0"] == "<5"  # primary
    assert text.loc["r2", "c1"] == "0"
    secondary = st.mask & ~st.primary
    assert (text[secondary] == "*").sum().sum() == secondary.sum().sum() > 0
    assert st.display("shares").loc["r2", "c0"] == f"{100 * 30 / 51:.1f}%"
    assert st.key_text == POLICIES["standard"].key_text


def test_nhs_digital_rounds_to_nearest_five_and_shares_use_rounded_counts():
    counts = pd.DataFrame({"A": [12, 13, 40], "B": [7, 6, 100]}, index=["x", "y", "z"])
    st = suppress_table(counts, "nhs_digital", row_totals=False)
    assert st.counts.loc["x", "A"] == 10  # 12 -> 10
    assert st.counts.loc["y", "A"] == 15  # 13 -> 15
    assert np.isnan(st.counts.loc["x", "B"])  # 7 -> suppressed
    assert np.isnan(st.counts.loc["y", "B"])  # 6 -> suppressed (and 7 + 6 = 13 > 7)
    assert st.counts.loc["Total", "A"] == 65  # totals rounded independently
    assert st.counts.loc["Total", "B"] == 115  # 113 -> 115
    assert st.shares.loc["x", "A"] == pytest.approx(10 / 65)  # not 12 / 65
    assert st.shares.loc["z", "B"] == pytest.approx(100 / 115)
    assert published_counts_frame(st).loc["x", "B"] == "*"
    assert "Total" not in st.counts.columns


def test_nhs_digital_counts_of_eight_are_shown_rounded():
    st = suppress_table(pd.Series([8, 9, 50], index=list("abc")), "nhs_digital")
    assert st.counts["count"].tolist() == [10, 10, 50, 65]


def test_under_5_percent_rule_on_the_seed_age_column():
    # One column like the seed report's workforce table: 323 staff by age band.
    ages = [
        "16-19",
        "20-24",
        "25-29",
        "30-34",
        "35-39",
        "40-44",
        "45-49",
        "50-54",
        "55-59",
        "60-64",
        "65-69",
        "70+",
    ]
    n = pd.Series([0, 4, 13, 30, 34, 45, 64, 48, 39, 34, 11, 1], index=ages, name="staff")
    assert n.sum() == 323
    st = suppress_table(n, "under_5_percent")
    shares = st.display("shares", decimals=2)["staff"]
    assert shares["70+"] == "Under 5%"  # 1/323 = 0.31%
    assert shares["20-24"] == "Under 5%"  # 1.24%
    assert shares["65-69"] == "Under 5%"  # 3.41%
    assert shares["25-29"] == "Under 5%"  # 4.02%
    assert shares["16-19"] == "0.00%"  # zeros shown as 0%
    assert shares["45-49"] == f"{100 * 64 / 323:.2f}%"
    assert shares["Total"] == "100.00%"
    # the four hidden shares add up to 29/323 = 9.0%, not itself under 5%: no more hidden
    assert st.mask["staff"].sum() == 4


def test_under_5_percent_exactly_five_percent_is_shown_and_small_sums_are_protected():
    st = suppress_table(pd.Series([1, 19], index=["a", "b"]), "under_5_percent")
    assert not st.mask["count"].any()  # 1/20 = 5.00% is not under 5%
    st = suppress_table(pd.Series([1, 3, 40, 50], index=list("abcd")), "under_5_percent")
    text = st.display("shares")["count"]
    # 1/94 and 3/94 are under 5%; together 4.3%, still under 5%, so 40 is hidden too,
    # and shown as "*" because "Under 5%" would be false for it.
    assert text.tolist() == ["Under 5%", "Under 5%", "*", f"{100 * 50 / 94:.1f}%", "100.0%"]


# --------------------------------------------------------------------------------------
# long tables
# --------------------------------------------------------------------------------------
def test_suppress_long_matches_the_cross_tab_and_blanks_value_columns():
    counts = table([[3, 40, 51], [60, 45, 38], [70, 52, 49]])
    long = counts.stack().rename("n").reset_index()
    long.columns = ["group", "band", "n"]
    long["rate"] = long["n"] / 10
    out, totals = suppress_long(
        long, "n", total_by=["band", "group"], value_cols=["rate"], return_totals=True
    )
    wide = out.pivot(index="group", columns="band", values="suppressed")
    pd.testing.assert_frame_equal(
        wide, suppression_mask(counts), check_names=False, check_dtype=False
    )
    assert out.loc[out["suppressed"], ["n", "rate"]].isna().all().all()
    assert out.loc[~out["suppressed"], "rate"].notna().all()
    assert set(out["suppression_reason"].dropna()) == {"primary", "complementary"}
    assert set(totals["dimension"]) == {"band", "group", "(all)"}
    assert not totals["suppressed"].any()


def test_suppress_long_treats_each_table_separately_and_rounds():
    long = pd.DataFrame(
        {
            "year": [2024] * 3 + [2025] * 3,
            "group": ["a", "b", "c"] * 2,
            "n": [5, 60, 70, 12, 13, 40],
        }
    )
    out = suppress_long(long, "n", group_cols="year", total_by="year", policy="nhs_digital")
    assert out["suppressed"].tolist() == [True, True, False, False, False, False]
    assert out["n"].tolist()[2:] == [70, 10, 15, 40]
    assert out["suppression_symbol"].tolist()[:2] == ["*", "*"]


def test_suppress_long_validates_columns():
    with pytest.raises(ValueError, match="not in the table"):
        suppress_long(pd.DataFrame({"n": [1]}), "n", total_by=["band"])


# --------------------------------------------------------------------------------------
# staff survey subgroups
# --------------------------------------------------------------------------------------
def survey(rows):
    return pd.DataFrame(
        rows, columns=["year", "question", "breakdown", "subgroup", "n_respondents", "pct_positive"]
    )


def test_two_group_breakdown_with_one_small_group_hides_the_pair():
    df = survey(
        [
            (2025, "q1", "Overall", "Organisation", 100, 60.0),
            (2025, "q1", "Disability", "Yes", 7, 40.0),
            (2025, "q1", "Disability", "No", 93, 61.5),
        ]
    )
    out = suppress_small_groups(df)
    assert out["suppressed"].tolist() == [False, True, True]
    assert out["pct_positive"].isna().tolist() == [False, True, True]
    assert out["suppression_reason"].tolist() == [None, "primary", "complementary"]
    assert out["n_respondents"].tolist() == [100, 7, 93]


def test_next_smallest_group_is_hidden_in_a_larger_breakdown():
    df = survey(
        [
            (2025, "q1", "Overall", "Organisation", 200, 60.0),
            (2025, "q1", "Age", "16-30", 5, 40.0),
            (2025, "q1", "Age", "31-50", 80, 61.0),
            (2025, "q1", "Age", "51-65", 115, 62.0),
        ]
    )
    out = suppress_small_groups(df)
    assert out["suppressed"].tolist() == [False, True, True, False]


def test_unpublished_remainder_counts_as_a_hidden_group():
    # 'Prefer not to say' (3 people) is left out of the file; with every other group
    # shown, the overall result would give it away.
    df = survey(
        [
            (2025, "q1", "Overall", "Organisation", 100, 60.0),
            (2025, "q1", "Sex", "Female", 60, 62.0),
            (2025, "q1", "Sex", "Male", 37, 58.0),
        ]
    )
    out = suppress_small_groups(df)
    assert out["suppressed"].tolist() == [False, False, True]


def test_non_partition_breakdowns_get_primary_suppression_only():
    df = survey(
        [
            (2025, "q1", "Overall", "Organisation", 100, 60.0),
            (2025, "q1", "Caring", "Children", 6, 50.0),
            (2025, "q1", "Caring", "Adults", 94, 60.0),
            (2024, "q1", "Overall", "Organisation", 100, 60.0),
            (2024, "q1", "Caring", "Children", 6, 50.0),
            (2024, "q1", "Caring", "Adults", 94, 60.0),
        ]
    )
    out = suppress_small_groups(df, not_partitions=["Caring"])
    assert out["suppressed"].tolist() == [False, True, False] * 2
    assert suppress_small_groups(df)["suppressed"].tolist() == [False, True, True] * 2


def test_threshold_override_and_national_policy():
    df = survey(
        [
            (2025, "q1", "Overall", "Organisation", 100, 60.0),
            (2025, "q1", "Sex", "Female", 10, 62.0),
            (2025, "q1", "Sex", "Male", 90, 58.0),
        ]
    )
    assert not suppress_small_groups(df)["suppressed"].any()  # 10 is not fewer than 10
    assert suppress_small_groups(df, policy="national_survey")["suppressed"].tolist() == [
        False,
        True,
        True,
    ]
    assert suppress_small_groups(df, threshold=5)["suppressed"].sum() == 0


def test_the_attacker_itself_finds_leaks_in_primary_only_masks():
    # Guard against a vacuous checker: without secondary suppression it must find leaks.
    counts = table([[3, 40, 51], [60, 45, 38], [70, 52, 49]])
    primary_only = suppression_mask(
        counts, get_policy("standard", secondary=False), with_totals=True
    )
    assert "(0, 0) = total - others in line ending (0, 3)" in attack(counts, primary_only)
    # the bridge case: every line has two or more hidden cells, only algebra finds it
    rows = [[60] * 5 for _ in range(5)]
    for i, j in [(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 2), (2, 3), (3, 2), (3, 3)]:
        rows[i][j] = 3
    counts = table(rows)
    primary_only = suppression_mask(
        counts, get_policy("standard", secondary=False), with_totals=True
    )
    assert attack(counts, primary_only) == ["(1, 2) is determined by combining rows and columns"]


def test_hidden_total_hides_the_shares_that_use_it_and_corner_stays_blank():
    counts = pd.DataFrame({"A": [1, 20, 30], "B": [1, 0, 0], "C": [40, 3, 60]},
                          index=["x", "y", "z"])
    st = suppress_table(counts, row_totals=False, col_totals=True)
    assert st.mask.loc["Total", "B"]  # a column of one person
    assert st.share_mask["B"].all()  # every share in B would reveal its total
    assert published_counts_frame(st).loc["Total", "B"] == "<5"
    both = suppress_table(counts)
    assert attack(counts, both.mask) == []
    numeric = published_numeric_frame(both)
    values, hidden = numeric.to_numpy(), both.mask.to_numpy()
    assert np.isnan(values[hidden]).all()
    assert not np.isnan(values[~hidden]).any()


def test_long_totals_are_rounded_and_blanked_like_the_body():
    long = pd.DataFrame({"group": ["a", "b", "c"], "n": [3, 61, 72]})
    long["all"] = "All"
    out, totals = suppress_long(long, "n", total_by="all", policy="nhs_digital",
                                return_totals=True)
    assert out["n"].isna().tolist() == [True, True, False]
    assert out["n"].iloc[2] == 70
    assert totals[totals["dimension"] == "(all)"]["n"].iloc[0] == 135  # 136 -> 135


def test_without_published_totals_only_primary_suppression_applies():
    counts = table([[3, 40], [60, 45]])
    hidden = suppression_mask(counts, row_totals=False, col_totals=False)
    assert hidden.to_numpy().tolist() == [[True, False], [False, False]]


def test_suppress_long_under_5_percent_uses_the_first_total_dimension_as_column():
    long = pd.DataFrame(
        {
            "band": ["1-4"] * 3 + ["5-7"] * 3,
            "age": ["<30", "30-49", "50+"] * 2,
            "n": [1, 30, 29, 10, 40, 50],
        }
    )
    out = suppress_long(long, "n", total_by="band", policy="under_5_percent",
                        grand_total=False)
    # 1/60 = 1.7% of its band is hidden (with the band's smallest other cell, 29);
    # 10/100 = 10% is not
    assert out["suppressed"].tolist() == [True, False, True, False, False, False]
    assert out["suppression_symbol"].tolist()[:3] == ["Under 5%", "", "*"]


# --------------------------------------------------------------------------------------
# several tables published together (a per-band table and its cluster figure)
# --------------------------------------------------------------------------------------
# Units: White staff in Band 5, 6 and 7. Figures 0-2 are the per-band table's cells
# (20, 3, 30); figure 3 is the cluster table's "Band 5-7" figure (53), published.
_BANDS = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], dtype=float)
_VALUES = np.array([20.0, 3.0, 30.0, 53.0])
_FREE = np.array([True, True, True, False])


def test_a_band_hidden_alone_is_the_cluster_minus_the_other_bands() -> None:
    hidden = np.array([False, True, False, False])
    # by hand: Band 6 = 53 - 20 - 30 = 3
    assert _VALUES[3] - _VALUES[0] - _VALUES[2] == _VALUES[1]
    assert recoverable_figures(_BANDS, hidden).tolist() == [False, True, False, False]


def test_protect_with_constraints_hides_a_second_band_of_the_cluster() -> None:
    hidden = np.array([False, True, False, False])
    out = protect_with_constraints(_BANDS, _VALUES, hidden, _FREE, "standard")
    # the smallest other band of the cluster (20) goes with it; the cluster stays shown
    assert out.tolist() == [True, True, False, False]
    assert not recoverable_figures(_BANDS, out).any()
    # attacker: with two bands hidden the cluster gives only their sum
    shown = _BANDS[~out]
    for k in np.flatnonzero(out):
        stacked = np.vstack([shown, _BANDS[k]])
        assert np.linalg.matrix_rank(stacked) > np.linalg.matrix_rank(shown)


def test_protect_with_constraints_also_protects_a_hidden_cluster_figure() -> None:
    # the cluster table hides its figure; the per-band table must not give it back
    hidden = np.array([False, False, False, True])
    out = protect_with_constraints(_BANDS, _VALUES, hidden, _FREE, "standard")
    assert out[3] and out[:3].sum() == 1 and out[1]  # the smallest band (3) is hidden
    assert not recoverable_figures(_BANDS, out).any()


def test_protect_with_constraints_leaves_what_other_tables_give_away() -> None:
    # figure 4 repeats figure 3 in another (already published) table, shown there: the
    # hidden figure 3 is recoverable whatever the per-band table does, so nothing more
    # is hidden for it (and the loop ends).
    design = np.vstack([_BANDS, _BANDS[3]])
    values = np.append(_VALUES, 53.0)
    hidden = np.array([False, False, False, True, False])
    free = np.append(_FREE, False)
    out = protect_with_constraints(design, values, hidden, free, "standard")
    assert out.tolist() == hidden.tolist()


def test_protect_with_constraints_off_without_secondary_and_checks_shapes() -> None:
    hidden = np.array([False, True, False, False])
    off = get_policy("standard", secondary=False)
    assert protect_with_constraints(_BANDS, _VALUES, hidden, _FREE, off).tolist() == \
        hidden.tolist()
    with pytest.raises(ValueError, match="4 figures"):
        protect_with_constraints(_BANDS, _VALUES[:3], hidden, _FREE)
