"""Tests for edi_analysis.wres: WRES workforce indicators worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from edi_analysis import wres
from tests.helpers import clustered_staff


def _rows(**columns: list) -> pd.DataFrame:
    data = {}
    for name, spec in columns.items():
        data[name] = [v for v, k in spec for _ in range(k)]
    return pd.DataFrame(data)


def test_bme_is_every_group_but_white_and_not_stated_is_apart() -> None:
    codes = pd.Series(["A", "B", "C", "D", "H", "R", "S", "Z", "99", None, " n "])
    assert wres.ethnicity_group(codes).tolist() == [
        "White", "White", "White", "BME", "BME", "BME", "BME", "Not stated", "Not stated",
        "Not stated", "BME"]


def test_workforce_type_splits_non_clinical_clinical_and_medical() -> None:
    staff = pd.DataFrame({
        "pay_band": ["Band 5", "Band 5", "Medical - Consultant", "Band 6"],
        "staff_group": ["Administrative and Clerical", "Nursing and Midwifery Registered",
                        "Medical and Dental", "Estates and Ancillary"],
    })
    assert wres.workforce_type(staff).tolist() == [
        "Non-clinical", "Clinical", "Medical and dental", "Non-clinical"]


def test_indicator_2_relative_likelihood_by_hand() -> None:
    # White: 10 appointed of 40 shortlisted (0.25); BME: 5 of 50 (0.10) -> 2.5
    rec = _rows(ethnic_category=[("A", 40), ("H", 50), ("Z", 7)],
                appointed=[(True, 10), (False, 30), (True, 5), (False, 45), (True, 7)])
    row = wres.wres_indicator_2(rec).iloc[0]
    assert row["value_a"] == pytest.approx(0.25)
    assert row["value_b"] == pytest.approx(0.10)
    assert row["value"] == pytest.approx(2.5)
    assert row["denominator_a"] == 40 and row["denominator_b"] == 50  # not stated left out
    assert not row["non_adverse"]
    assert row["reference"] == "White" and row["comparison"] == "BME"


def test_missing_input_gives_a_not_available_row() -> None:
    row = wres.wres_indicator_2(None).iloc[0]
    assert not row["available"]
    assert row["note"] == "not available: no recruitment file supplied"
    assert list(wres.wres_indicator_2(None).columns) == wres.RESULT_COLUMNS


def test_indicator_3_uses_a_two_year_rolling_average() -> None:
    # 2023: 4 BME, 2 White; 2024: 2 BME, 4 White; 2022 (outside the window): 10 BME.
    # Averages 3 and 3; headcount BME 100, White 300 -> (3/100) / (3/300) = 3.0
    disc = _rows(ethnic_category=[("H", 4), ("A", 2), ("H", 2), ("A", 4), ("H", 10)],
                 year=[(2023, 6), (2024, 6), (2022, 10)])
    staff = _rows(ethnic_category=[("H", 100), ("A", 300), ("Z", 50)])
    row = wres.wres_indicator_3(staff, disc).iloc[0]
    assert row["numerator_a"] == pytest.approx(3.0)
    assert row["numerator_b"] == pytest.approx(3.0)
    assert row["value"] == pytest.approx(3.0)
    assert row["reference"] == "BME"
    assert "two-year rolling average of 2023 and 2024" in row["note"]


def test_indicator_3_single_year_says_so() -> None:
    disc = _rows(ethnic_category=[("H", 2), ("A", 2)])
    staff = _rows(ethnic_category=[("H", 100), ("A", 100)])
    row = wres.wres_indicator_3(staff, disc).iloc[0]
    assert row["value"] == pytest.approx(1.0)
    assert "two-year average" in row["note"]


def test_indicator_3_from_aggregated_counts() -> None:
    counts = pd.DataFrame({"group_type": ["Ethnicity", "Ethnicity", "Disability"],
                           "group": ["White", "BME", "Yes"], "cases": [2, 4, 1]})
    staff = _rows(ethnic_category=[("H", 100), ("A", 200)])
    row = wres.wres_indicator_3(staff, None, counts).iloc[0]
    assert row["value"] == pytest.approx((4 / 100) / (2 / 200))


def test_indicator_4_training_by_hand() -> None:
    training = _rows(ethnic_category=[("A", 10), ("H", 10)],
                     accessed=[(True, 6), (False, 4), (True, 3), (False, 7)])
    staff = _rows(ethnic_category=[("A", 10), ("H", 10)])
    row = wres.wres_indicator_4(staff, training).iloc[0]
    assert row["value"] == pytest.approx(2.0)


def test_indicator_9_board_minus_workforce_in_points() -> None:
    board = pd.DataFrame({
        "ethnic_category": ["H", "N", "A", "A", "A", "A", "A", "A", "A", "Z"],
        "voting": [True] * 8 + [False, False],
        "executive": [True, False, True, False, True, False, True, False, True, False],
    })
    staff = _rows(ethnic_category=[("H", 30), ("A", 70)])
    out = wres.wres_indicator_9(staff, board).set_index("breakdown")
    # total board: 2 BME of 9 known = 22.2%; workforce 30% -> -7.78 points
    assert out.at["Total board", "value"] == pytest.approx((2 / 9 - 0.3) * 100)
    # voting members: 2 of 8 = 25% -> -5 points
    assert out.at["Voting members", "value"] == pytest.approx(-5.0)
    assert out.at["Executive members", "denominator_a"] == 5
    assert (out["unit"] == "percentage points").all()


def test_indicator_1_counts_by_band_with_overall_row() -> None:
    staff = pd.DataFrame({
        "pay_band": ["Band 5"] * 4 + ["Band 8a"] * 2,
        "staff_group": ["Administrative and Clerical"] * 6,
        "ethnic_category": ["A", "A", "H", "Z", "A", "H"],
    })
    t = wres.wres_indicator_1(staff)
    b5 = t[(t["band"] == "Band 5")].iloc[0]
    assert (b5["White"], b5["BME"], b5["Not stated"], b5["total"]) == (2, 1, 1, 4)
    assert b5["BME_share"] == pytest.approx(1 / 3)
    overall = t[t["workforce"] == "Overall workforce"].iloc[0]
    assert overall["total"] == 6


def test_publish_indicator_hides_ratios_built_on_small_counts() -> None:
    rec = _rows(ethnic_category=[("A", 40), ("H", 50)],
                appointed=[(True, 10), (False, 30), (True, 2), (False, 48)])
    out = wres.publish_indicator(wres.wres_indicator_2(rec), "standard").iloc[0]
    assert out["suppressed"]
    assert math.isnan(out["numerator_b"])
    assert math.isnan(out["value"]) and math.isnan(out["value_b"])
    assert out["symbol"] == "<5"


def test_publish_indicator_keeps_large_counts() -> None:
    rec = _rows(ethnic_category=[("A", 40), ("H", 50)],
                appointed=[(True, 10), (False, 30), (True, 10), (False, 40)])
    out = wres.publish_indicator(wres.wres_indicator_2(rec), "standard").iloc[0]
    assert not out["suppressed"]
    assert out["value"] == pytest.approx(1.25)


def test_publish_by_band_leaves_no_line_with_one_hidden_cell() -> None:
    staff = pd.DataFrame({
        "pay_band": ["Band 5"] * 20 + ["Band 6"] * 20 + ["Band 7"] * 3,
        "staff_group": ["Administrative and Clerical"] * 43,
        "ethnic_category": ["A"] * 12 + ["H"] * 8 + ["A"] * 10 + ["H"] * 10 + ["H"] * 3,
    })
    out = wres.publish_by_band(wres.wres_indicator_1(staff), ["White", "BME"], "Not stated")
    block = out[out["workforce"] == "Non-clinical"].set_index("band")
    hidden = block[["White", "BME", "Not stated", "total"]].isna()
    assert block.at["Band 7", "BME_symbol"] == "<5"
    zero = block[["White", "BME", "Not stated"]] == 0
    body = hidden[["White", "BME", "Not stated"]] & ~zero
    assert ((body.sum(axis=1) != 1) | hidden["total"]).all()
    assert (hidden.drop(index="Total")[["White", "BME"]].sum(axis=0) != 1).all()


def test_summary_lists_every_indicator_and_sentences_explain_gaps() -> None:
    staff = _rows(ethnic_category=[("A", 10)])
    summary = wres.wres_summary({"staff_records": staff})
    assert summary["indicator"].tolist() == ["2", "3", "4", "9"]
    assert not summary["available"].any()
    text = wres.indicator_sentences(summary)
    assert "WRES indicator 2 is not available: no recruitment file supplied." in text


def test_rolling_counts_without_years() -> None:
    events = pd.DataFrame({"x": [1, 2, 3]})
    counts, note = wres.rolling_counts(events, pd.Series(["White", "BME", "BME"]),
                                       ["White", "BME"])
    np.testing.assert_allclose(counts.to_numpy(), [1.0, 2.0])
    assert "one year only" in note


def test_indicator_3_window_ends_at_the_report_period() -> None:
    # 2023-24: 10 BME (outside the window); 2024-25: 4 BME, 2 White; 2025-26: 2 BME, 4 White.
    disc = _rows(ethnic_category=[("H", 10), ("H", 4), ("A", 2), ("H", 2), ("A", 4)],
                 year=[("2023-24", 10), ("2024-25", 6), ("2025-26", 6)])
    staff = _rows(ethnic_category=[("H", 100), ("A", 300)])
    row = wres.wres_indicator_3(staff, disc, period="2025-26").iloc[0]
    assert (row["numerator_a"], row["numerator_b"]) == (pytest.approx(3.0), pytest.approx(3.0))
    assert "two-year rolling average of 2024-25 and 2025-26" in row["note"]
    # a report a year earlier averages 2023-24 and 2024-25: BME (10 + 4) / 2 = 7, White 1
    early = wres.wres_indicator_3(staff, disc, period="2024-25").iloc[0]
    assert (early["numerator_a"], early["numerator_b"]) == (pytest.approx(7.0),
                                                            pytest.approx(1.0))
    assert early["value"] == pytest.approx((7 / 100) / (1 / 300))


def test_indicator_3_counts_a_year_without_cases_as_zero() -> None:
    disc = _rows(ethnic_category=[("H", 4), ("A", 2)], year=[("2023-24", 2), ("2025-26", 4)])
    staff = _rows(ethnic_category=[("H", 100), ("A", 100)])
    row = wres.wres_indicator_3(staff, disc, period="2025-26").iloc[0]
    # rows: 2023-24 H H (outside); 2025-26 H H A A; 2024-25 none -> BME 2 / 2 = 1, White 1
    assert row["numerator_a"] == pytest.approx(1.0)
    assert row["numerator_b"] == pytest.approx(1.0)
    assert "no cases recorded in 2024-25" in row["note"]


def test_indicator_3_from_counts_by_year() -> None:
    counts = pd.DataFrame({"group_type": ["Ethnicity"] * 4 + ["Disability"],
                           "group": ["White", "BME", "White", "BME", "Yes"],
                           "cases": [2, 3, 4, 5, 9],
                           "year": ["2024-25", "2024-25", "2025-26", "2025-26", "2025-26"]})
    staff = _rows(ethnic_category=[("H", 100), ("A", 300)])
    via_counts = wres.wres_indicator_3(staff, None, counts, period="2025-26").iloc[0]
    # averages: BME (3 + 5) / 2 = 4, White (2 + 4) / 2 = 3 -> (4/100) / (3/300) = 4.0
    assert via_counts["value"] == pytest.approx(4.0)
    # the loader puts an aggregated file under "disciplinary": read the same way
    via_slot = wres.wres_summary({"staff_records": staff, "disciplinary": counts},
                                 period="2025-26")
    assert via_slot.set_index("indicator").at["3", "value"] == pytest.approx(4.0)


def test_indicator_3_counts_without_ethnicity_rows_is_not_available() -> None:
    counts = pd.DataFrame({"group_type": ["Disability"], "group": ["Yes"], "cases": [2]})
    row = wres.wres_indicator_3(_rows(ethnic_category=[("A", 5)]), counts).iloc[0]
    assert not row["available"] and "no ethnicity rows" in row["note"]


def test_previous_year_of_each_form() -> None:
    assert wres.previous_year("2000-01") == "1999-00"
    assert wres.previous_year(2025) == 2024
    assert wres.previous_year("2025") == "2024"
    assert wres.previous_year("last year") is None


def test_a_fractional_rolling_average_is_suppressed_not_read_as_zero() -> None:
    # One case in two years is a rolling average of 0.5: it must be hidden, not shown.
    result = pd.DataFrame([{
        "indicator": "3", "available": True, "numerator_a": 0.5, "denominator_a": 40.0,
        "numerator_b": 6.0, "denominator_b": 200.0, "value_a": 0.5 / 40, "value_b": 0.03,
        "value": 0.4, "lower": 0.1, "upper": 2.0, "non_adverse": False,
    }])
    out = wres.publish_indicator(result, "standard")
    assert bool(out.at[0, "suppressed"])
    assert pd.isna(out.at[0, "numerator_a"]) and pd.isna(out.at[0, "value"])


# --------------------------------------------------------------------------------------
# WRES 1 published beside the cluster tables: the differencing attacker
# --------------------------------------------------------------------------------------
def _band_attacker(
    by_band: pd.DataFrame, cols: list[str], clusters: list[pd.DataFrame],
    category_group: dict[str, str], band_cluster: dict[str, str],
) -> list[tuple[str, str, str]]:
    """Hidden cells of ``by_band`` a reader can work out from all the published frames.

    Unknowns are the body counts (staff type x band x group). Every shown figure of the
    per-band table and of the cluster tables (a category's staff in a cluster, "Total"
    for all) is an equation over them; a hidden figure is recoverable when adding it to
    the shown equations does not raise their rank. Written from the published frames
    only, independently of the module.
    """
    body = [(w, b, g) for w, b in zip(by_band["workforce"], by_band["band"], strict=True)
            if w != "Overall workforce" and b != "Total" for g in cols]

    def row(match) -> np.ndarray:
        return np.array([1.0 if match(w, b, g) else 0.0 for w, b, g in body])

    shown, hidden = [], []
    for _, r in by_band.iterrows():
        for c in [*cols, "total"]:
            v = row(lambda w, b, g, r=r, c=c: r["workforce"] in ("Overall workforce", w)
                    and r["band"] in ("Total", b) and c in ("total", g))
            (hidden if np.isnan(r[c]) else shown).append(((r["workforce"], r["band"], c), v))
    for table in clusters:
        for _, r in table[~table["suppressed"].astype(bool)].iterrows():
            group = category_group.get(r["category"], "all" if r["category"] == "Total"
                                       else None)
            if group is None:
                continue
            v = row(lambda w, b, g, r=r, group=group: group in ("all", g)
                    and r["cluster"] in ("Total", band_cluster[b]))
            shown.append((None, v))
    known = np.vstack([v for _, v in shown])
    rank = np.linalg.matrix_rank(known)
    return [label for label, v in hidden
            if v.any() and np.linalg.matrix_rank(np.vstack([known, v])) == rank]


def _seed_section(staff: pd.DataFrame):
    from types import SimpleNamespace

    from edi_analysis import workforce

    return SimpleNamespace(
        clusters=workforce.band_clusters("seed"),
        profiles={"ethnic_group": workforce.publish_profile(staff, "ethnic_group", "seed")},
        progression={"bme": workforce.publish_progression(staff, "bme", "seed")},
    )


def test_without_links_a_hidden_band_is_the_cluster_minus_the_shown_bands() -> None:
    staff = clustered_staff()
    section = _seed_section(staff)
    alone = wres.publish_by_band(wres.wres_indicator_1(staff), ["White", "BME"], "Not stated")
    clin = alone[alone["workforce"] == "Clinical"].set_index("band")
    assert np.isnan(clin.at["Band 6", "White"]) and clin.at["Band 6", "White_symbol"] == "<5"
    head = section.profiles["ethnic_group"].headcount
    cluster = head[(head["category"] == "White") & (head["cluster"] == "Band 5-7")]
    assert not cluster["suppressed"].item()
    recovered = cluster["count"].item() - clin.at["Band 5", "White"] - clin.at["Band 7", "White"]
    assert recovered == 3  # the true count: the attack works on the unlinked tables
    found = _band_attacker(alone, ["White", "BME", "Not stated"],
                           [head, section.progression["bme"]],
                           {"White": "White", "Asian": "BME", "Not stated": "Not stated",
                            "BME": "BME"}, {"Band 4": "Band 1-4", "Band 5": "Band 5-7",
                                            "Band 6": "Band 5-7", "Band 7": "Band 5-7"})
    assert ("Clinical", "Band 6", "White") in found


def test_linked_publication_leaves_nothing_recoverable_from_both_tables() -> None:
    staff = clustered_staff()
    section = _seed_section(staff)
    out = wres.publish_by_band(wres.wres_indicator_1(staff), ["White", "BME"], "Not stated",
                               linked=wres.indicator_1_links(staff, section))
    clin = out[out["workforce"] == "Clinical"].set_index("band")
    assert np.isnan(clin.at["Band 6", "White"]) and clin.at["Band 6", "White_symbol"] == "<5"
    # a further band of the same cluster is hidden, shown with the complementary symbol
    in_cluster = clin.loc[["Band 5", "Band 7"], "White"]
    assert in_cluster.isna().any()
    assert (clin.loc[["Band 5", "Band 7"], "White_symbol"][in_cluster.isna()] == "*").all()
    head = section.profiles["ethnic_group"].headcount
    found = _band_attacker(out, ["White", "BME", "Not stated"],
                           [head, section.progression["bme"]],
                           {"White": "White", "Asian": "BME", "Not stated": "Not stated",
                            "BME": "BME"}, {"Band 4": "Band 1-4", "Band 5": "Band 5-7",
                                            "Band 6": "Band 5-7", "Band 7": "Band 5-7"})
    assert found == []
    # the headcount is still published and shares come from published counts only
    overall = out[out["workforce"] == "Overall workforce"].iloc[0]
    assert overall["total"] == len(staff)
    assert out["suppressed"].equals(out[["White", "BME", "Not stated", "total"]].isna()
                                    .any(axis=1))


def test_links_must_describe_the_same_staff() -> None:
    staff = clustered_staff()
    section = _seed_section(staff)
    other = staff.iloc[:-1]
    with pytest.raises(ValueError, match="same staff"):
        wres.publish_by_band(wres.wres_indicator_1(other), ["White", "BME"], "Not stated",
                             linked=wres.indicator_1_links(staff, section))


def _unit_attacker(by_band, cols, keys, tables) -> list[tuple[str, str, str]]:
    """Like :func:`_band_attacker`, over employees' units so clusters may cut bands.

    ``keys`` holds each employee's ``workforce``, ``band`` and ``group`` plus one
    (category, cluster) column pair per published cluster table in ``tables``.
    """
    units = keys.drop_duplicates().reset_index(drop=True)

    def vec(mask: pd.Series) -> np.ndarray:
        return mask.to_numpy(dtype=float)

    anyone = pd.Series(True, index=units.index)
    shown, hidden = [], []
    for _, r in by_band.iterrows():
        sel = anyone
        if r["workforce"] != "Overall workforce":
            sel = sel & (units["workforce"] == r["workforce"])
        if r["band"] != "Total":
            sel = sel & (units["band"] == r["band"])
        for c in [*cols, "total"]:
            v = vec(sel if c == "total" else sel & (units["group"] == c))
            (hidden if np.isnan(r[c]) else shown).append(((r["workforce"], r["band"], c), v))
    for k, table in enumerate(tables):
        for _, r in table[~table["suppressed"].astype(bool)].iterrows():
            sel = anyone
            if r["category"] != "Total":
                sel = sel & (units[f"cat{k}"] == str(r["category"]))
            if r["cluster"] != "Total":
                sel = sel & (units[f"clu{k}"] == str(r["cluster"]))
            shown.append((None, vec(sel)))
    known = np.vstack([v for _, v in shown])
    rank = np.linalg.matrix_rank(known)
    return [label for label, v in hidden
            if v.any() and np.linalg.matrix_rank(np.vstack([known, v])) == rank]


@pytest.mark.parametrize("clusters", ["seed", "wdes"])
def test_demo_wres_1_and_wdes_1_resist_differencing_with_the_cluster_tables(
    clusters: str,
) -> None:
    from edi_analysis import wdes, workforce
    from edi_analysis.inputs import org_inputs

    staff = org_inputs("QK1", "2025-26", None)["staff_records"]
    section = workforce.build_section(staff, "QK1", clusters=clusters)
    clus = workforce.assign_clusters(staff, clusters).astype(str)
    kind = wres.workforce_type(staff)
    cases = [
        (wres.wres_indicator_1(staff), ["White", "BME", "Not stated"],
         wres.indicator_1_links(staff, section), staff["pay_band"],
         wres.ethnicity_group(staff["ethnic_category"]),
         [("ethnic_group", section.profiles["ethnic_group"].headcount),
          ("bme", section.progression["bme"])]),
        (wdes.wdes_metric_1(staff), ["Disabled", "Non-disabled", "Unknown"],
         wdes.metric_1_links(staff, section), workforce.assign_clusters(staff, "wdes"),
         wdes.disability_group(staff["disability"]),
         [("disability", section.profiles["disability"].headcount),
          ("disability", section.progression["disability"])]),
    ]
    for table, cols, links, band, group, published in cases:
        keys = pd.DataFrame({"workforce": kind, "band": band.astype(str), "group": group})
        for k, (key, _) in enumerate(published):
            keys[f"cat{k}"] = workforce.characteristic_values(staff, key).astype(str)
            keys[f"clu{k}"] = clus
        tables = [t for _, t in published]
        out = wres.publish_by_band(table, cols[:2], cols[2], linked=links)
        found = _unit_attacker(out, cols, keys, tables)
        # Whatever is still recoverable is given away by the cluster tables alone: the
        # per-band table's shown figures add nothing. (The headcount and progression
        # tables are protected jointly by build_section, so on the demo data they give
        # nothing away between themselves either: nothing is recoverable.)
        alone = out.copy()
        alone[[*cols, "total"]] = np.nan
        assert set(found) <= set(_unit_attacker(alone, cols, keys, tables))
        assert found == []
        # and the demo data do need it: protected on its own, the table gives cells away
        unlinked = wres.publish_by_band(table, cols[:2], cols[2])
        assert set(_unit_attacker(unlinked, cols, keys, tables)) - \
            set(_unit_attacker(alone, cols, keys, tables))


def _likelihood_long(senior: pd.DataFrame, reference: str) -> pd.DataFrame:
    """The published senior / AfC + VSM counts of one likelihood row as a long frame."""
    r = senior[senior["reference"] == reference].iloc[0]
    return pd.DataFrame({
        "category": [r["reference"], r["reference"], r["comparison"], r["comparison"]],
        "cluster": ["senior", "Total", "senior", "Total"],
        "suppressed": [bool(np.isnan(r[c])) for c in ("numerator_a", "denominator_a",
                                                       "numerator_b", "denominator_b")],
    })


@pytest.mark.parametrize("clusters", ["seed", "wdes"])
def test_demo_wres_1_and_wdes_1_resist_differencing_with_the_likelihood_counts(
    clusters: str,
) -> None:

    from edi_analysis import schemas, wdes, workforce
    from edi_analysis.inputs import org_inputs

    staff = org_inputs("QK1", "2025-26", None)["staff_records"]
    section = workforce.build_section(staff, "QK1", clusters=clusters)
    clus = workforce.assign_clusters(staff, clusters).astype(str)
    kind = wres.workforce_type(staff)
    # public definitions: the likelihood counts are AfC + VSM staff of a group, and those
    # of them in Band 8a and above
    eligible = staff["pay_band"].isin([*schemas.AFC_BANDS, "VSM"])
    senior = staff["pay_band"].isin(list(workforce.SENIOR_BANDS)).map(
        {True: "senior", False: "not senior"})
    cases = [
        (wres.wres_indicator_1(staff), ["White", "BME", "Not stated"],
         wres.indicator_1_links(staff, section), staff["pay_band"],
         wres.ethnicity_group(staff["ethnic_category"]), "ethnic_group", "bme", "White"),
        (wdes.wdes_metric_1(staff), ["Disabled", "Non-disabled", "Unknown"],
         wdes.metric_1_links(staff, section), workforce.assign_clusters(staff, "wdes"),
         wdes.disability_group(staff["disability"]), "disability", "disability", "No"),
    ]
    left = []
    for table, cols, links, band, group, head_key, key, reference in cases:
        keys = pd.DataFrame({"workforce": kind, "band": band.astype(str), "group": group})
        keys["cat0"] = workforce.characteristic_values(staff, head_key).astype(str)
        keys["cat1"] = workforce.characteristic_values(staff, key).astype(str)
        keys["clu0"] = keys["clu1"] = clus
        keys["cat2"] = keys["cat1"].where(eligible, "-")
        keys["clu2"] = senior
        tables = [section.profiles[head_key].headcount, section.progression[key],
                  _likelihood_long(section.senior, reference)]
        # the three cluster tables (WRES 1 also lists the small WDES cluster totals)
        assert len(links.tables) >= 3
        out = wres.publish_by_band(table, cols[:2], cols[2], linked=links)
        found = _unit_attacker(out, cols, keys, tables)
        # what is left the workforce tables give away by themselves: no suppression of
        # the per-band table can protect it
        alone = out.copy()
        alone[[*cols, "total"]] = np.nan
        assert set(found) <= set(_unit_attacker(alone, cols, keys, tables))
        left += found
    # The White Band 8a+ count of the likelihood table less White "Band 8a-9" of the
    # headcount table would be White VSM (3 on the demo); publish_senior_likelihood hides
    # a senior count whose part outside the all-senior clusters is small, so nothing is left.
    assert left == []
