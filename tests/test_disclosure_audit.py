"""Tests of the last-line disclosure audit on small, deliberately leaky staging folders."""

from __future__ import annotations

import logging
from pathlib import Path

import nbformat
import pandas as pd
import plotly.graph_objects as go
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from edi_analysis.disclosure.audit import (
    DisclosureAuditError,
    Finding,
    audit_run,
    check_run,
    format_findings,
    is_count_column,
    is_identifier_column,
)
from edi_analysis.report.display import figure_bundle


# --------------------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------------------
def _staff(n: int = 30) -> pd.DataFrame:
    bands = ["Band 5", "Band 6", "Band 7"]
    return pd.DataFrame(
        {
            "employee_id": [f"TST-SYN-{i:05d}" for i in range(1, n + 1)],
            "pay_band": [bands[i % 3] for i in range(n)],
            "sex": ["Female" if i % 4 else "Male" for i in range(n)],
            "ethnic_category": ["A" if i % 5 else "H" for i in range(n)],
            "disability": ["No" if i % 7 else "Yes" for i in range(n)],
            "hourly_pay": [15.0 + 0.37 * i for i in range(n)],
            "data_label": "SYNTHETIC",
        }
    )


@pytest.fixture
def inputs() -> dict[str, pd.DataFrame | None]:
    return {
        "staff_records": _staff(),
        "births": pd.DataFrame({"baby_id": ["TST-BABY-000001", "1234"], "year": ["2024", "2024"]}),
        "survey_results": pd.DataFrame({"question": ["q1"], "n_respondents": [120]}),
        "survey_responses": None,
    }


def _write_stage(
    root: Path,
    tables: dict[str, pd.DataFrame] | None = None,
    cells: list | None = None,
    report: str | None = None,
) -> Path:
    stage = root / "stage"
    # tables outside processed/tables: rules 1-4 read every CSV; rule 5 (the model) only
    # the published tables, which must be declared (tested apart below)
    (stage / "processed" / "other").mkdir(parents=True)
    (stage / "notebooks").mkdir()
    for name, frame in (tables or {}).items():
        frame.to_csv(stage / "processed" / "other" / f"{name}.csv", index=False)
    nb = new_notebook(cells=cells or [])
    nbformat.write(nb, stage / "notebooks" / "section.ipynb")
    if report is not None:
        (stage / "_report").mkdir()
        (stage / "_report" / "report.html").write_text(report, encoding="utf-8")
    return stage


def _display_cell(label: str, data: dict[str, str]) -> nbformat.NotebookNode:
    cell = new_code_cell(f"#| label: {label}\nshow()")
    cell.outputs = [new_output("display_data", data=data)]
    return cell


def _clean_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "pay_band": ["Band 5", "Band 6", "Band 7", "Total"],
            "count": [10, "<5", "*", 30],
            "share_pct": [33.3, None, None, 100.0],
        }
    )


def _bar(text: list[str], y: list[float], name: str = "Staff (count)") -> go.Figure:
    return go.Figure(go.Bar(x=["Band 5", "Band 6"], y=y, text=text, name=name))


def _checks(findings: list[Finding]) -> list[str]:
    return sorted(f.check for f in findings)


# --------------------------------------------------------------------------------------
# a clean run
# --------------------------------------------------------------------------------------
def test_clean_stage_has_no_findings(tmp_path, inputs):
    fig = _bar(["10", "25"], [10, 25])
    bundle = figure_bundle(
        fig, "Staff by band", data=pd.DataFrame({"band": ["5", "6"], "count": [10, 25]})
    )
    cells = [
        new_markdown_cell("# Workforce"),
        _display_cell("fig-bands", {"text/html": bundle.html(), "text/plain": "Staff by band"}),
        _display_cell("txt-summary", {"text/markdown": "- 120 staff responded in 2024-25."}),
    ]
    report = f'<html><body><figure id="fig-bands">{bundle.html()}</figure></body></html>'
    stage = _write_stage(tmp_path, {"bands": _clean_table()}, cells, report)
    assert audit_run(stage, inputs, "standard") == []
    check_run(stage, inputs, "standard")  # does not raise


# --------------------------------------------------------------------------------------
# 1. identifiers
# --------------------------------------------------------------------------------------
def test_employee_id_in_plotly_hover_text_is_found(tmp_path, inputs):
    fig = _bar(["10", "25"], [10, 25])
    fig.update_traces(
        customdata=[["TST-SYN-00007"], ["x"]], hovertemplate="%{x}: %{y}<extra></extra>"
    )
    cells = [_display_cell("fig-bands", {"text/html": figure_bundle(fig, "alt").html()})]
    stage = _write_stage(tmp_path, cells=cells)
    findings = audit_run(stage, inputs)
    assert findings, "an employee id in customdata must be found"
    assert {f.check for f in findings} == {"identifier"}
    assert all(f.value == "TST-SYN-00007" for f in findings)
    assert any("cell 0 (fig-bands)" in f.location and "customdata" in f.location for f in findings)
    assert all(f.file == "notebooks/section.ipynb" for f in findings)


def test_numeric_identifier_in_typed_array_is_found(tmp_path):
    staff = _staff()
    staff["employee_id"] = [str(10_000_000 + i) for i in range(len(staff))]
    fig = go.Figure(go.Bar(x=["a", "b"], y=[10, 20], customdata=pd.Series([10_000_003, 1])))
    cells = [_display_cell("fig-x", {"text/html": figure_bundle(fig, "alt").html()})]
    stage = _write_stage(tmp_path, cells=cells)
    findings = audit_run(stage, {"staff_records": staff})
    assert [f.value for f in findings] == ["10000003"]


def test_identifier_in_csv_stream_and_report_is_located(tmp_path, inputs):
    table = pd.DataFrame({"note": ["ok", "see tst-baby-000001"], "count": [10, 12]})
    cell = new_code_cell("print(x)")
    cell.outputs = [new_output("stream", name="stdout", text="row TST-SYN-00003\n")]
    report = '<div id="tbl-x"><p>\nbaby (TST-BABY-000001)</p></div>'
    stage = _write_stage(tmp_path, {"notes": table}, [cell], report)
    where = {f.where for f in audit_run(stage, inputs) if f.check == "identifier"}
    assert where == {
        "processed/other/notes.csv: column 'note', row 2",
        "notebooks/section.ipynb: cell 0, output 0 stdout",
        "_report/report.html: near #tbl-x, line 2",
    }


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("id 1234.", "1234"),
        ('"1234",', "1234"),
        ("1234.0", "1234.0"),  # pandas writes an integer column with gaps like this
        ("ID:1234/", "1234"),
        ("12345", None),
        ("2012-34", None),
        ("A1234", None),
        ("1234-56", None),
        ("0.1234", None),
        ("1234.5", None),
        ("x_1234", None),
    ],
)
def test_identifiers_match_whole_tokens_only(tmp_path, inputs, text, found):
    stage = _write_stage(tmp_path, {"t": pd.DataFrame({"label": [text]})})
    values = [f.value for f in audit_run(stage, inputs)]
    assert values == ([found] if found else [])


def test_short_identifiers_are_skipped_with_a_warning(tmp_path, caplog):
    staff = _staff(5)
    staff["employee_id"] = ["1", "2", "12", "123", "A1"]
    stage = _write_stage(tmp_path, {"t": pd.DataFrame({"label": ["2012", "12"]})})
    with caplog.at_level(logging.WARNING, logger="edi_analysis.disclosure_audit"):
        assert audit_run(stage, {"staff_records": staff}) == []
    assert "5 value(s) of staff_records.employee_id" in caplog.text
    # With a lower bound they are searched for, and "12" is found as a whole token only.
    findings = audit_run(stage, {"staff_records": staff}, min_id_length=2)
    assert [f.value for f in findings] == ["12"]


def test_identifier_columns_follow_the_naming_convention():
    assert is_identifier_column("employee_id")
    assert is_identifier_column("Respondent ID")
    assert is_identifier_column("nhs_number")
    assert not is_identifier_column("paid")
    assert not is_identifier_column("ethnic_category")


# --------------------------------------------------------------------------------------
# 2. raw records
# --------------------------------------------------------------------------------------
def test_csv_dump_of_staff_records_is_found(tmp_path, inputs):
    dump = inputs["staff_records"].drop(columns=["employee_id"])
    stage = _write_stage(tmp_path, {"staff_dump": dump})
    findings = audit_run(stage, inputs)
    assert _checks(findings) == ["raw_records"]
    assert findings[0].file == "processed/other/staff_dump.csv"
    assert "copy of the records" in findings[0].what


def test_row_level_extract_in_notebook_html_table_is_found(tmp_path, inputs):
    extract = inputs["staff_records"].loc[:9, ["pay_band", "sex", "ethnic_category"]]
    html = extract.to_html(index=False)
    stage = _write_stage(tmp_path, cells=[_display_cell("tbl-list", {"text/html": html})])
    findings = audit_run(stage, inputs)
    assert _checks(findings) == ["raw_records"]
    assert "one row per person" in findings[0].what
    assert findings[0].location.startswith("cell 0 (tbl-list), output 0 text/html, table 1")


def test_aggregate_with_counts_is_not_raw_records(tmp_path, inputs):
    staff = inputs["staff_records"]
    agg = staff.groupby(["pay_band", "sex", "ethnic_category"]).size().reset_index(name="count")
    agg = agg[agg["count"] >= 5]
    stage = _write_stage(tmp_path, {"agg": agg})
    assert audit_run(stage, inputs) == []


# --------------------------------------------------------------------------------------
# 3. small counts and rounding
# --------------------------------------------------------------------------------------
def test_count_of_three_in_csv_is_found(tmp_path, inputs):
    table = _clean_table()
    table.loc[1, "count"] = 3
    stage = _write_stage(tmp_path, {"bands": table})
    findings = audit_run(stage, inputs, "standard")
    assert [(f.where, f.check, f.value) for f in findings] == [
        ("processed/other/bands.csv: column 'count', row 2", "small_count", "3"),
        # and with only one hidden cell left, the total gives it away: 30 - 10 - 3 = 17
        ("processed/other/bands.csv: column 'count', row 3", "differencing", "*"),
    ]


def test_threshold_follows_the_policy(tmp_path, inputs):
    table = pd.DataFrame({"group": ["a", "b"], "headcount": [7, 12]})
    stage = _write_stage(tmp_path, {"staff": table})
    assert audit_run(stage, inputs, "standard") == []
    assert [f.value for f in audit_run(stage, inputs, "staff_survey")] == ["7"]


def test_respondent_counts_follow_the_survey_policy(tmp_path, inputs):
    table = pd.DataFrame({"group": ["a", "b", "c"], "n_respondents": [7, 12, 88]})
    stage = _write_stage(tmp_path, {"survey": table})
    # Fewer than 10 respondents is disclosive under the survey rule, whatever the run's
    # policy; survey counts are not rounded, so 12 and 88 pass under nhs_digital.
    for policy in ("standard", "nhs_digital"):
        findings = audit_run(stage, inputs, policy)
        assert [(f.check, f.value) for f in findings] == [("small_count", "7")], policy
        assert "'staff_survey'" in findings[0].what
    assert audit_run(stage, inputs, "standard", survey_policy=None) == []


def test_census_population_counts_are_not_checked(tmp_path, inputs):
    table = pd.DataFrame({"group": ["a", "b"], "population_n": [3, 2684], "staff_n": [21, 45]})
    census = pd.DataFrame({"ethnic_group": ["a", "b"], "count": [3, 2684]})
    stage = _write_stage(tmp_path, {"representation": table, "population_by_ethnicity": census})
    findings = audit_run(stage, inputs, "nhs_digital")
    assert [(f.where, f.check) for f in findings] == [
        ("processed/other/representation.csv: column 'staff_n', row 1", "rounding")
    ]


def test_rounding_policy_requires_multiples_of_the_base(tmp_path, inputs):
    table = pd.DataFrame(
        {"group": ["a", "b", "c", "d", "e"], "headcount": ["10", "*", "1,237", "0", "5"]}
    )
    stage = _write_stage(tmp_path, {"rounded": table})
    findings = audit_run(stage, inputs, "nhs_digital")
    assert [(f.location, f.check) for f in findings] == [
        ("column 'headcount', row 3", "rounding"),
        ("column 'headcount', row 5", "small_count"),  # 5 can only come from 3-7: hidden
    ]
    assert audit_run(stage, inputs, "standard") == []


def test_small_count_in_chart_and_narrative_is_found(tmp_path, inputs):
    fig = _bar(["3", "25"], [3, 25])
    cells = [
        _display_cell("fig-bands", {"text/html": figure_bundle(fig, "alt").html()}),
        _display_cell("txt-x", {"text/markdown": "- 2 staff in Band 8d declared a disability."}),
    ]
    stage = _write_stage(tmp_path, cells=cells)
    findings = audit_run(stage, inputs)
    assert ("small_count", "3") in {(f.check, f.value) for f in findings}
    assert ("narrative_small_count", "2 staff") in {(f.check, f.value) for f in findings}
    # A percentage chart with the same numbers is not a count chart.
    pct = _bar(["3%", "25%"], [3, 25], name="Share of staff (%)")
    stage2 = _write_stage(
        tmp_path / "b",
        cells=[_display_cell("fig-p", {"text/html": figure_bundle(pct, "alt").html()})],
    )
    assert audit_run(stage2, inputs) == []


def test_count_column_convention():
    for name in [
        "count",
        "n",
        "Headcount",
        "numerator_a",
        "denominator",
        "events",
        "n_respondents",
        "staff_count",
        "Number of staff",
    ]:
        assert is_count_column(name), name
    for name in ["pct_positive", "count_pct", "value", "pay_band", "year", "n_share"]:
        assert not is_count_column(name), name


# --------------------------------------------------------------------------------------
# differencing
# --------------------------------------------------------------------------------------
def test_single_hidden_cell_beside_a_total_is_found(tmp_path, inputs):
    table = pd.DataFrame({"pay_band": ["Band 5", "Band 6", "Total"], "count": [26, "<5", 30]})
    stage = _write_stage(tmp_path, {"bands": table})
    findings = audit_run(stage, inputs)
    assert [(f.check, f.location) for f in findings] == [("differencing", "column 'count', row 2")]


def test_hidden_numerator_with_published_value_is_found(tmp_path, inputs):
    table = pd.DataFrame(
        {
            "group": ["a", "b"],
            "numerator": ["<5", "12"],
            "denominator": [40, 50],
            "value": [0.075, 0.24],
        }
    )
    stage = _write_stage(tmp_path, {"rates": table})
    findings = audit_run(stage, inputs)
    assert [(f.check, f.location) for f in findings] == [
        ("differencing", "column 'numerator', row 1")
    ]


# --------------------------------------------------------------------------------------
# charts from individual values
# --------------------------------------------------------------------------------------
def test_histogram_of_individual_pay_is_found(tmp_path, inputs):
    pay = inputs["staff_records"]["hourly_pay"].iloc[:25]  # a subset: not one per record
    fig = go.Figure(go.Histogram(x=pay))
    cells = [_display_cell("fig-pay", {"text/html": figure_bundle(fig, "alt").html()})]
    stage = _write_stage(tmp_path, cells=cells)
    findings = audit_run(stage, inputs)
    assert [(f.check, f.value) for f in findings] == [
        ("chart_raw_values", "histogram of 25 values")
    ]


def test_scatter_with_one_point_per_person_is_found(tmp_path, inputs):
    staff = inputs["staff_records"]
    fig = go.Figure(go.Scatter(x=staff["pay_band"], y=staff["hourly_pay"], mode="markers"))
    cells = [_display_cell("fig-pay", {"text/html": figure_bundle(fig, "alt").html()})]
    stage = _write_stage(tmp_path, cells=cells)
    findings = audit_run(stage, inputs)
    assert [(f.check, f.value) for f in findings] == [("chart_raw_values", "30 points")]
    assert "one point per record of input 'staff_records'" in findings[0].what


# --------------------------------------------------------------------------------------
# the gate and the message
# --------------------------------------------------------------------------------------
def test_check_run_raises_with_a_message_naming_file_cell_and_value(tmp_path, inputs):
    table = _clean_table()
    table.loc[0, "count"] = 2
    stage = _write_stage(tmp_path, {"bands": table})
    with pytest.raises(DisclosureAuditError) as err:
        check_run(stage, inputs)
    message = str(err.value)
    assert "nothing was published" in message
    assert "processed/other/bands.csv:" in message
    assert "column 'count', row 1 [small_count]" in message
    assert "value '2'" in message
    assert err.value.findings[0].value == "2"


def test_format_findings_of_nothing_is_a_pass():
    assert format_findings([]) == "Disclosure audit passed: no findings."


def test_missing_stage_and_bad_arguments_raise(tmp_path, inputs):
    with pytest.raises(FileNotFoundError, match="Staging folder not found"):
        audit_run(tmp_path / "nope", inputs)
    stage = _write_stage(tmp_path)
    with pytest.raises(ValueError, match="min_id_length"):
        audit_run(stage, inputs, min_id_length=0)
    with pytest.raises(ValueError, match="Unknown suppression policy"):
        audit_run(stage, inputs, "lenient")


def test_count_columns_of_things_other_than_people_are_not_checked():
    for name in [
        "n_quintiles",
        "n_peers",
        "Peers (n)",
        "n_groups",
        "% of total",
        "Staff %",
        "Per 1,000 births",
        "total_pay",
    ]:
        assert not is_count_column(name), name
    for name in ["Reference group (n)", "Total births", "People recovered", "cluster_total"]:
        assert is_count_column(name), name


def test_wide_table_with_symbol_columns_is_checked(tmp_path, inputs):
    table = pd.DataFrame(
        {"band": ["Band 5", "Band 6"], "Disabled": [3, 12], "Disabled_symbol": ["", ""]}
    )
    stage = _write_stage(tmp_path, {"wdes": table})
    findings = audit_run(stage, inputs)
    assert [(f.location, f.value) for f in findings] == [("column 'Disabled', row 1", "3")]


def test_great_tables_spanners_and_stub_head_are_laid_out(tmp_path, inputs):
    from great_tables import GT

    frame = pd.DataFrame(
        {
            "group": ["Asian", "Black"],
            "n_2024": [12, 3],
            "pct_2024": ["80%", "20%"],
            "n_2025": [10, 6],
            "pct_2025": ["62.5%", "37.5%"],
        }
    )
    gt = (
        GT(frame, rowname_col="group")
        .tab_stubhead("Ethnic group")
        .tab_spanner("2024", ["n_2024", "pct_2024"])
        .tab_spanner("2025", ["n_2025", "pct_2025"])
        .cols_label(n_2024="Births", pct_2024="% of total", n_2025="Births", pct_2025="% of total")
        .tab_header("Births by ethnic group")
    )
    cells = [_display_cell("tbl-births", {"text/html": gt.as_raw_html()})]
    stage = _write_stage(tmp_path, cells=cells)
    findings = audit_run(stage, inputs)
    assert [(f.location, f.value) for f in findings] == [
        ("cell 0 (tbl-births), output 0 text/html, table 1, column 'Births', row 2", "3")
    ]


def test_small_n_in_a_column_header_is_found(tmp_path, inputs):
    html = pd.DataFrame({"Code": ["q1"], "Female(n=136)": ["55.0"], "Male(n=3)": ["100.0"]})
    cells = [_display_cell("tbl-ss", {"text/html": html.to_html(index=False)})]
    stage = _write_stage(tmp_path, cells=cells)
    findings = audit_run(stage, inputs)
    assert [(f.check, f.value) for f in findings] == [("small_count", "Male(n=3)")]


def test_single_hidden_cell_in_a_row_with_a_total_column_is_found(tmp_path, inputs):
    table = pd.DataFrame(
        {
            "band": ["Band 5", "Band 6"],
            "White": [20, ""],
            "BME": ["", ""],
            "total": [23, 9],
            "White_symbol": ["", "*"],
            "BME_symbol": ["<5", "<5"],
        }
    )
    stage = _write_stage(tmp_path, {"wres": table})
    findings = audit_run(stage, inputs)
    # Row 1: BME = 23 - 20 = 3. Row 2 hides two cells, so neither can be worked out.
    assert [(f.check, f.location) for f in findings] == [("differencing", "column 'BME', row 1")]


def test_embedded_images_and_plotly_library_are_not_searched(tmp_path, inputs):
    # "1234" is an identifier (births.baby_id); inside base64 or plotly.js it is noise.
    report = (
        '<html><head><script>var plotly={v:"x 1234 y"};</script></head><body>'
        '<img src="data:image/png;base64,AAAA/1234+BBBB==" alt="chart"></body></html>'
    )
    stage = _write_stage(tmp_path, report=report)
    assert audit_run(stage, inputs) == []
    leaky = report.replace("</body>", "<p>baby 1234</p></body>")
    (stage / "_report" / "report.html").write_text(leaky, encoding="utf-8")
    assert [f.value for f in audit_run(stage, inputs)] == ["1234"]


# --------------------------------------------------------------------------------------
# 5. the model: every published table declared, read back and attacked
# --------------------------------------------------------------------------------------
def test_an_undeclared_published_table_is_a_finding(tmp_path, inputs):
    stage = _write_stage(tmp_path)
    (stage / "processed" / "tables").mkdir()
    _clean_table().to_csv(stage / "processed" / "tables" / "mystery.csv", index=False)
    findings = audit_run(stage, inputs)
    assert [f.check for f in findings] == ["unmodelled"]
    assert "mystery.csv" in findings[0].file


def _release_stage(tmp_path, tamper=None):
    from edi_analysis.disclosure import Population, Release, Role, write_release

    staff = _staff()
    units = pd.DataFrame({"band": staff["pay_band"], "sex": staff["sex"]})
    release = Release("standard", label="t")
    pop = release.add_population(Population("staff", units))
    rows = [(b, x) for b in ["Band 5", "Band 6", "Band 7", "Total"]
            for x in ["Female", "Male", "Total"]]
    keys = [pop.key(band=None if b == "Total" else b, sex=None if x == "Total" else x)
            for b, x in rows]
    frame = pd.DataFrame(rows, columns=["band", "sex"]).assign(count=0.0, share=0.0,
                                                               symbol="")
    release.add_table("by_band", frame, {"count": keys},
                      virtual={"all": [pop.key()] * len(rows)},
                      shares={"share": ("count", "all", "proportion", 1.0)},
                      roles={"count": [Role.DETAIL] * len(rows)}, symbols={"count": "symbol"})
    release.protect()
    pub = release.published_table("by_band")
    if tamper:
        pub = tamper(pub, release)
    release.finish("by_band", pub)
    stage = _write_stage(tmp_path)
    write_release(release, stage / "processed" / "tables", stage / "disclosure")
    return stage


def test_a_protected_release_passes_the_attacker(tmp_path, inputs):
    assert audit_run(_release_stage(tmp_path), inputs) == []


def test_a_figure_put_back_is_pinned_and_named(tmp_path, inputs):
    def show_all(pub, release):
        spec = release.tables["by_band"]
        for i, k in enumerate(spec.counts["count"]):
            c = release.cell(k)
            if c.hidden and not c.primary:
                pub.at[i, "count"], pub.at[i, "symbol"] = c.true, ""
        return pub

    stage = _release_stage(tmp_path, show_all)
    found = [f for f in audit_run(stage, inputs) if f.check == "differencing"]
    assert found
    assert "pinned by tables/by_band.csv" in found[0].what


def test_extra_decimals_in_a_published_share_are_a_finding(tmp_path, inputs):
    def precise(pub, release):
        return pub.assign(share=pub["share"] + 1e-6)

    stage = _release_stage(tmp_path, precise)
    # finish() rounds declared kinds: write an unrounded copy over the CSV
    path = stage / "processed" / "tables" / "by_band.csv"
    frame = pd.read_csv(path)
    frame["share"] = frame["share"] + 1e-6
    frame.to_csv(path, index=False)
    found = [f for f in audit_run(stage, inputs) if f.check == "unmodelled"]
    assert found and "more decimals" in found[0].what


def test_a_false_symbol_is_a_finding(tmp_path, inputs):
    def lie(pub, release):
        i = pub.index[pub["count"].notna() & (pub["count"] > 4)][0]
        pub.at[i, "count"], pub.at[i, "symbol"] = float("nan"), "<5"
        return pub

    stage = _release_stage(tmp_path, lie)
    found = [f for f in audit_run(stage, inputs) if f.check == "unmodelled"]
    assert found and "false interval" in found[0].what


def test_a_not_known_group_left_derivable_is_not_a_differencing_finding(tmp_path, inputs):
    # "Not known" is not a group of people to protect (Population.not_sensitive): its
    # small count is hidden but may be left derivable from the total, which keeps every
    # real group shown. The exact attacker knows that; the table-by-table heuristic,
    # which does not, is not applied to declared tables.
    from edi_analysis.disclosure import Population, Release, Role, write_release

    units = pd.DataFrame({"eth": ["White"] * 25 + ["BME"] * 8 + ["Not known"] * 2})
    release = Release("standard", label="t")
    pop = release.add_population(Population("people", units,
                                            not_sensitive={"eth": ["Not known"]}))
    cats = ["White", "BME", "Not known", "Total"]
    keys = [pop.key(eth=None if c == "Total" else c) for c in cats]
    frame = pd.DataFrame({"eth": cats, "count": 0.0, "symbol": ""})
    release.add_table("by_eth", frame, {"count": keys}, roles={"count": [Role.DETAIL] * 4},
                      symbols={"count": "symbol"})
    release.protect()
    pub = release.finish("by_eth", release.published_table("by_eth"))
    assert pub["count"].tolist()[:2] == [25.0, 8.0] and pub["count"].iloc[3] == 35.0
    assert pub["symbol"].iloc[2] == "<5"
    stage = _write_stage(tmp_path)
    write_release(release, stage / "processed" / "tables", stage / "disclosure")
    assert audit_run(stage, inputs) == []


def test_a_figure_revised_since_last_years_report_is_a_finding(tmp_path, inputs):
    # last year's ledger says another number for the same people (revised data, or two
    # reports from different extracts): a reader could difference the two figures
    import json

    from edi_analysis.disclosure.audit import attack_published
    from edi_analysis.disclosure.manifest import write_ledger

    stage = _release_stage(tmp_path)
    findings, published = attack_published(stage / "disclosure", stage / "processed" / "tables")
    assert findings == []
    ledger = write_ledger(tmp_path / "release-ledger.json", "2024-25", published)
    data = json.loads(ledger.read_text("utf-8"))
    exact = next(o for o in data["observations"] if o["low"] == o["high"] and o["low"] > 0)
    exact["low"] = exact["high"] = exact["low"] + 1.0
    ledger.write_text(json.dumps(data), "utf-8")
    found = audit_run(stage, inputs, previous_ledgers=[ledger])
    assert [f.check for f in found] == ["revised"]
    assert "last year's report published" in found[0].what
