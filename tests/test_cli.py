"""The edi-report command line: help, list-orgs, init-run, and exit codes on bad input."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from edi_analysis.cli import app

runner = CliRunner()


def test_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("build", "list-orgs", "init-run", "demo-data", "validate"):
        assert command in result.output


def test_build_help_explains_org_period_and_data() -> None:
    result = runner.invoke(app, ["build", "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert "--org" in result.output and "--period" in result.output
    assert "synthetic demo data" in result.output


def test_list_orgs_lists_the_42_icbs_from_the_lookup() -> None:
    result = runner.invoke(app, ["list-orgs"])
    assert result.exit_code == 0
    assert "42 ICBs" in result.output
    assert "QK1" in result.output
    assert "NHS Leicester, Leicestershire and Rutland Integrated Care Board" in result.output


def test_init_run_writes_a_run_file_for_a_named_org(tmp_path: Path) -> None:
    out = tmp_path / "run.yml"
    result = runner.invoke(
        app, ["init-run", "--org", "Leicester", "--period", "2025-26", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text())
    assert data["org"] == "QK1" and data["period"] == "2025-26" and data["data_dir"] is None


def test_unknown_org_exits_2_with_suggestions() -> None:
    result = runner.invoke(
        app, ["init-run", "--org", "Leicestre", "--period", "2025-26", "-o", "x.yml"]
    )
    assert result.exit_code == 2
    assert "Leicester" in result.output


def test_bad_period_exits_2() -> None:
    result = runner.invoke(app, ["build", "--org", "QK1", "--period", "2025"])
    assert result.exit_code == 2
    assert "financial year" in result.output


def test_build_with_bad_input_files_exits_2_before_running(tmp_path: Path) -> None:
    (tmp_path / "staff_records.csv").write_text("employee_id,pay_band\n1,Band 10\n")
    result = runner.invoke(
        app, ["build", "--org", "QK1", "--period", "2025-26", "--data", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "staff_records.csv" in result.output
    assert "nothing was built" in result.output


def _boom(*args, **kwargs):
    raise KeyError("a bug in edi-report")


def test_an_internal_fault_exits_1_in_one_line_without_a_traceback(tmp_path: Path,
                                                                   monkeypatch) -> None:
    import edi_analysis.input_checks as input_checks

    monkeypatch.setattr(input_checks, "checked_inputs", _boom)
    result = runner.invoke(app, ["validate", "--data", str(tmp_path), "--org", "QK1",
                                 "--period", "2025-26"])
    assert result.exit_code == 1
    assert "Internal error (KeyError: 'a bug in edi-report')" in result.output
    assert "--debug" in result.output and "Traceback" not in result.output


def test_debug_shows_the_traceback(tmp_path: Path, monkeypatch) -> None:
    import edi_analysis.input_checks as input_checks

    monkeypatch.setattr(input_checks, "checked_inputs", _boom)
    result = runner.invoke(app, ["validate", "--data", str(tmp_path), "--org", "QK1",
                                 "--period", "2025-26", "--debug"])
    assert result.exit_code == 1
    assert "Traceback" in result.output and "_boom" in result.output


def test_validate_needs_org_and_period_together(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", "--data", str(tmp_path), "--org", "QK1"])
    assert result.exit_code == 2
    assert "Give both --org and --period" in result.output


def test_validate_with_org_and_period_checks_the_files_against_the_report(
        tmp_path: Path) -> None:
    from edi_analysis.inputs import write_demo_inputs_for

    write_demo_inputs_for("QK1", "2025-26", tmp_path)
    ok = runner.invoke(app, ["validate", "--data", str(tmp_path), "--org", "QK1",
                             "--period", "2025-26"])
    assert ok.exit_code == 0, ok.output
    later = runner.invoke(app, ["validate", "--data", str(tmp_path), "--org", "QK1",
                                "--period", "2027-28"])
    assert later.exit_code == 2
    assert "expected results for 2027, the staff survey year of the 2027-28 report" in \
        later.output
