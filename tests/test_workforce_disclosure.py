"""Cross-table re-check of the published workforce tables (audit rule 6)."""

from __future__ import annotations

import dataclasses
import logging

import numpy as np
import pandas as pd
import pytest

from edi_analysis import suppression, wdes, workforce, wres
from edi_analysis import workforce_disclosure as wd
from edi_analysis.disclosure_audit import audit_run
from edi_analysis.inputs import org_inputs
from tests.helpers import clustered_staff


def _small_section_tables(linked: bool) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    from types import SimpleNamespace

    staff = clustered_staff()
    profile = workforce.publish_profile(staff, "ethnic_group", "seed")
    section = SimpleNamespace(clusters=workforce.band_clusters("seed"),
                              profiles={"ethnic_group": profile}, progression={})
    links = wres.indicator_1_links(staff, section) if linked else None
    wres_1 = wres.publish_by_band(wres.wres_indicator_1(staff), ["White", "BME"],
                                  "Not stated", linked=links)
    return wd.as_published({"workforce_headcount": profile.headcount,
                       "wres_indicator_1": wres_1}), staff


def test_a_band_hidden_in_wres_1_is_found_through_the_cluster_table() -> None:
    tables, staff = _small_section_tables(linked=False)
    result = wd.check_tables(tables, staff)
    assert result.unmodelled.empty
    found = result.disclosive
    row = tables["wres_indicator_1"].query("band == 'Band 6' and workforce == 'Clinical'")
    hit = found[(found["table"] == "wres_indicator_1") & (found["column"] == "White")
                & (found["row"] == row.index[0] + 1)]
    assert len(hit) == 1
    assert hit["true_value"].item() == 3
    # the sum a reader would do: the cluster figure less the shown bands
    assert "workforce_headcount" in hit["witness"].item()
    assert "wres_indicator_1" in hit["witness"].item()


def test_the_jointly_published_tables_pass() -> None:
    tables, staff = _small_section_tables(linked=True)
    result = wd.check_tables(tables, staff)
    assert result.unmodelled.empty
    assert result.disclosive.empty
    assert result.figures["hidden"].any()  # there was something to protect


def test_a_shown_cell_the_records_do_not_give_is_left_out() -> None:
    tables, staff = _small_section_tables(linked=True)
    head = tables["workforce_headcount"].copy()
    i = head.index[(head["category"] == "White") & (head["cluster"] == "Total")][0]
    head.at[i, "count"] = "999.0"
    tables["workforce_headcount"] = head
    result = wd.check_tables(tables, staff)
    wrong = result.unmodelled
    assert ((wrong["table"] == "workforce_headcount") & (wrong["row"] == i + 1)
            & (wrong["column"] == "count")).any()
    assert wrong.loc[wrong["row"] == i + 1, "true_value"].iloc[0] == 63


def test_other_clusters_than_the_run_used_leave_cells_unmodelled(caplog) -> None:
    tables, staff = _small_section_tables(linked=True)
    with caplog.at_level(logging.WARNING):
        result = wd.check_tables(tables, staff, clusters="band")
    assert len(result.unmodelled) > 0
    assert "do not match the staff records" in caplog.text


def test_a_hidden_count_with_its_share_shown_is_reported() -> None:
    tables, staff = _small_section_tables(linked=True)
    head = tables["workforce_headcount"].copy()
    i = head.index[(head["category"] == "White") & (head["cluster"] == "Band 1-4")][0]
    head.at[i, "count"] = ""
    head.at[i, "share"] = "0.5"
    tables["workforce_headcount"] = head
    shares = wd.check_tables(tables, staff).hidden_shares
    assert shares[["table", "row", "column", "share_column"]].values.tolist() == [
        ["workforce_headcount", i + 1, "count", "share"]]


def test_cells_are_read_with_totals_as_any_and_census_only_rows_skipped() -> None:
    tables = {
        "workforce_headcount": pd.DataFrame({
            "characteristic": ["sex", "sex"], "category": ["Female", "Total"],
            "cluster": ["Band 1-4", "Total"], "count": ["<5", "40.0"],
            "cluster_total": ["", "40.0"]}),
        "workforce_ethnicity_detailed": pd.DataFrame({
            "characteristic": ["ethnic_category"], "category": ["White: Roma"],
            "workforce_n": [workforce.NOT_RECORDED], "workforce_base": ["40.0"],
            "share_base": ["all staff"]}),
    }
    figs = wd.published_figures(tables)
    by_key = {(f.table, f.row, f.column): f for f in figs}
    assert by_key[("workforce_headcount", 1, "count")].hidden
    assert by_key[("workforce_headcount", 1, "count")].condition == (
        ("sex", ("Female",)), ("cluster", ("Band 1-4",)))
    assert by_key[("workforce_headcount", 2, "count")].condition == ()
    assert by_key[("workforce_headcount", 2, "count")].value == 40
    assert ("workforce_ethnicity_detailed", 1, "workforce_n") not in by_key
    assert by_key[("workforce_ethnicity_detailed", 1, "workforce_base")].condition == ()


def _linked_counts(pub: pd.DataFrame, cat: pd.Series, clu: pd.Series) -> list[int]:
    out = []
    for c, b in pub[["category", "cluster"]].itertuples(index=False):
        sel = pd.Series(True, index=cat.index)
        if c != "Total":
            sel &= cat == c
        if b != "Total":
            sel &= clu == b
        out.append(int(sel.sum()))
    return out


def test_published_wres_1_as_links_gives_its_own_counts_and_hidden_cells() -> None:
    staff = org_inputs("QK1", "2025-26", None)["staff_records"]
    exact = wres.wres_indicator_1(staff)
    published = wres.publish_by_band(exact, ["White", "BME"], "Not stated")
    groups = ["White", "BME", "Not stated"]
    totals, cells, whole = wres.published_band_links(
        published, staff, wres.ethnicity_group(staff["ethnic_category"]), groups)
    assert _linked_counts(*totals) == exact["total"].tolist()
    assert totals[0]["suppressed"].tolist() == published["total"].isna().tolist()
    by_type = exact["workforce"] != "Overall workforce"
    assert _linked_counts(*cells) == [v for g in groups for v in exact.loc[by_type, g]]
    assert cells[0]["suppressed"].tolist() == [
        h for g in groups for h in published.loc[by_type, g].isna()]
    assert _linked_counts(*whole) == exact.loc[~by_type, groups].iloc[0].tolist()


def _demo_tables(org: str, clusters: str, trim: bool = False):
    inputs = org_inputs(org, "2025-26", None)
    staff = inputs["staff_records"]
    pol = suppression.get_policy("standard")
    section = workforce.build_section(staff, org, clusters=clusters, policy=pol,
                                      previous=inputs.get("previous_staff_records"))
    if trim:  # the publication before WRES 1 and WDES 1 were protected together
        links = wres.indicator_1_links(staff, section)
        links = dataclasses.replace(links, tables=links.tables[:3])
        wres_1 = wres.publish_by_band(wres.wres_indicator_1(staff), ["White", "BME"],
                                      "Not stated", pol, linked=links)
        wdes_1 = wres.publish_by_band(wdes.wdes_metric_1(staff), ["Disabled", "Non-disabled"],
                                      "Unknown", pol, linked=wdes.metric_1_links(staff, section))
    else:
        wres_1, wdes_1 = wdes.published_indicator_1_tables(staff, section, pol)
    frames = section.tables()
    frames["wres_indicator_1"] = wres_1
    frames["wdes_metric_1"] = wdes_1
    return wd.as_published(frames), staff


def test_wres_1_and_wdes_1_published_apart_let_a_small_cluster_through() -> None:
    # QK1 demo: clinical Band 8c-9 & VSM has 4 staff. With WDES 1 protected only with the
    # disability tables, its total is the clinical total less Band 5-7 less Band 8a-8b,
    # and WRES 1 shows Bands 8a and 8b.
    tables, staff = _demo_tables("QK1", "seed", trim=True)
    found = wd.check_tables(tables, staff).disclosive
    assert (found["table"] == "wdes_metric_1").any()
    assert (found["true_value"] <= 4).all()


@pytest.mark.parametrize(("org", "clusters"), [
    ("QK1", "seed"), ("QHM", "seed"), ("QE1", "seed"), ("QK1", "wdes"), ("QK1", "band"),
    ("QHM", "band"),
])
def test_demo_workforce_tables_resist_differencing_across_tables(org, clusters) -> None:
    tables, staff = _demo_tables(org, clusters)
    result = wd.check_tables(tables, staff, "standard", clusters)
    assert result.unmodelled.empty
    assert result.hidden_shares.empty
    assert result.disclosive.empty, result.disclosive[["table", "row", "column", "witness"]]


def test_every_profile_hides_the_same_cluster_totals_and_no_small_declaration_sum() -> None:
    staff = org_inputs("QK1", "2025-26", None)["staff_records"]
    section = workforce.build_section(staff, "QK1", clusters="band")
    hidden = []
    for p in section.profiles.values():
        head = p.headcount
        rows = head[(head["category"] == "Total") & (head["cluster"] != "Total")]
        hidden.append(frozenset(rows.loc[rows["suppressed"], "cluster"]))
    assert len(set(hidden)) == 1 and hidden[0]
    shown = section.declaration["not_declared_n"].dropna()
    assert not ((shown >= 1) & (shown <= 4)).any()


def test_the_audit_reports_a_cross_table_leak_and_passes_the_protected_tables(tmp_path):
    for linked, expect in ((False, True), (True, False)):
        stage = tmp_path / f"stage_{linked}"
        folder = stage / "processed" / "tables"
        folder.mkdir(parents=True)
        tables, staff = _small_section_tables(linked)
        for name, frame in tables.items():
            frame.to_csv(folder / f"{name}.csv", index=False)
        findings = [f for f in audit_run(stage, {"staff_records": staff})
                    if "across the workforce tables" in f.what]
        assert bool(findings) is expect
        if expect:
            assert findings[0].check == "differencing"
            assert findings[0].file.endswith("wres_indicator_1.csv")


def test_force_hides_a_total_without_calling_it_small() -> None:
    counts = pd.DataFrame({"A": [20, 30], "B": [25, 35], "C": [40, 45]}, index=["x", "y"])
    force = pd.DataFrame(False, index=["Total"], columns=counts.columns)
    force.loc["Total", "A"] = True
    table = suppression.suppress_table(counts, force=force)
    assert table.mask.at["Total", "A"] and not table.primary.at["Total", "A"]
    # one hidden total in the total row would be the grand total less the others
    assert table.mask.loc["Total", ["B", "C"]].any()


def test_totals_hidden_by_the_greedy_search_are_shown_again_when_they_protect_nothing():
    # the QHM demo's marital status x cluster table: the search hid the Band 1-4 and
    # Non-AfC totals, which every other characteristic's table publishes
    counts = pd.DataFrame(
        [[15, 123, 201, 52], [16, 59, 46, 9], [0, 4, 0, 0], [2, 15, 19, 4], [0, 2, 4, 0],
         [0, 0, 2, 2], [4, 9, 7, 5]],
        index=["Married", "Single", "Civil", "Divorced", "Separated", "Widowed", "Unknown"],
        columns=["Band 1-4", "Band 5-7", "Band 8a-9", "Non-AfC"])
    plain = suppression.suppress_table(counts)
    assert plain.mask.loc["Total"].any()  # what the search alone does
    totals = pd.DataFrame(True, index=["Total"], columns=counts.columns)
    table = suppression.suppress_table(counts, avoid=totals)
    assert not table.mask.loc["Total"].any()
    # and nothing hidden can be worked out (every body cell and total as sums of cells)
    body = counts.to_numpy().ravel()
    n_r, n_c = counts.shape
    rows = [np.eye(body.size)[k] for k in range(body.size)]
    rows += [np.kron(np.eye(n_r)[i], np.ones(n_c)) for i in range(n_r)]
    rows += [np.kron(np.ones(n_r), np.eye(n_c)[j]) for j in range(n_c)]
    rows.append(np.ones(body.size))
    mask = table.mask
    hidden = np.concatenate([mask.loc[counts.index, counts.columns].to_numpy().ravel(),
                             mask.loc[counts.index, "Total"].to_numpy(),
                             mask.loc["Total", counts.columns].to_numpy(),
                             [mask.at["Total", "Total"]]])
    assert not suppression.recoverable_figures(np.vstack(rows), hidden).any()
