"""Batch builds: the jobs, build keys, resuming, per-organisation failures, and the locks
and clean-up that keep parallel or killed builds from harming each other."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from edi_analysis import batch, pipeline
from edi_analysis.geography import resolve_org

PERIOD = "2025-26"


def _config(tmp: Path, org: str = "QK1") -> pipeline.RunConfig:
    o = resolve_org(org)
    return pipeline.RunConfig(org=o.nhs_code, org_name=o.name, period=PERIOD,
                              output_dir=str(tmp / "out"), processed_dir=str(tmp / "proc"),
                              renderer="embedded", pdf=False)


# -- jobs and keys ---------------------------------------------------------------------------
def test_all_means_every_icb_and_names_are_resolved_once(tmp_path: Path) -> None:
    assert len(batch.batch_jobs("all", PERIOD, tmp_path)) == 42
    jobs = batch.batch_jobs("QK1, Leicester ,QHM", PERIOD, tmp_path, data_root=tmp_path / "d")
    assert [j.org for j in jobs] == ["QK1", "QHM"]  # "Leicester" is QK1 again
    assert jobs[1].out_dir == tmp_path / "QHM" / PERIOD
    assert jobs[1].data_dir == tmp_path / "d" / "QHM"
    assert jobs[1].log == tmp_path / "_logs" / f"QHM-{PERIOD}.log"


def test_an_unknown_organisation_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Narnia"):
        batch.batch_jobs("QK1,Narnia", PERIOD, tmp_path)


def test_build_key_follows_inputs_and_earlier_reports_only(tmp_path: Path) -> None:
    data = tmp_path / "data" / "QK1"
    data.mkdir(parents=True)
    (data / "staff_records.csv").write_text("a,b\n1,2\n")
    job = batch.batch_jobs("QK1", PERIOD, tmp_path / "out", data_root=tmp_path / "data")[0]
    key = batch.build_key(job)
    assert batch.build_key(job) == key
    (data / "staff_records.csv").write_text("a,b\n1,3\n")
    changed = batch.build_key(job)
    assert changed != key
    # last year's published ledger is part of what this year's report must agree with
    last_year = tmp_path / "out" / "QK1" / "2024-25"
    last_year.mkdir(parents=True)
    (last_year / "release-ledger.json").write_text("{}")
    assert batch.build_key(job) != changed
    # the key does not depend on where the output folder is
    moved = batch.batch_jobs("QK1", PERIOD, tmp_path / "elsewhere",
                             data_root=tmp_path / "data")[0]
    assert batch.build_key(moved) == changed


def test_a_failed_builds_message_is_its_first_problem(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_text("Building the 2025-26 report for X from y ...\n"
                   "  [    1 s] reading and checking the input files\n"
                   "Your input files need fixing; nothing was built.\n"
                   "2 problems in the input:\n"
                   "  - file staff.csv, column 'age': found 'x'; expected a number\n"
                   "  - file staff.csv, column 'sex': found '(column missing)'\n")
    message = batch._failure_message(log)
    assert message.startswith("Your input files need fixing; nothing was built. file staff.csv")
    assert message.endswith("(and 1 more in the log)")


# -- locks and leftovers -----------------------------------------------------------------
def test_a_second_build_of_the_same_org_and_period_stops_at_once(tmp_path: Path) -> None:
    config = _config(tmp_path)
    build_root = tmp_path / "build"
    lock = build_root / config.org / f"{PERIOD}.lock"
    lock.parent.mkdir(parents=True)
    import fcntl

    with lock.open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(pipeline.BuildBusyError, match=f"QK1 {PERIOD} is running"):
            pipeline.build_report(config, build_root=build_root)
    assert not list((build_root / config.org).glob("staging-*")), "nothing was staged"


def test_staging_folders_of_killed_runs_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = socket.gethostname()
    folders = {}
    for name, owner in (("killed", f"{host} {dead.pid}"), ("running", f"{host} {os.getpid()}"),
                        ("other-host", f"not-{host} {dead.pid}"), ("unmarked", None)):
        folder = tmp_path / f"staging-{PERIOD}-{name}"
        folder.mkdir()
        if owner is not None:
            (folder / pipeline.OWNER_FILE).write_text(owner)
        folders[name] = folder
    failed = tmp_path / f"staging-{PERIOD}-failed"
    failed.mkdir()
    (failed / pipeline.FAILED_MARKER).write_text("NotebookFailedError: ...")
    pipeline._remove_failed_stages(tmp_path, PERIOD)
    assert not folders["killed"].exists() and not failed.exists()
    assert folders["running"].exists() and folders["other-host"].exists()
    assert folders["unmarked"].exists()


def test_source_date_epoch_sets_the_printed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 1 January 2026, 00:00 UTC
    assert pipeline.build_date().isoformat() == "2026-01-01"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "next tuesday")
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        pipeline.build_date()


# -- a real batch --------------------------------------------------------------------------
@pytest.mark.e2e
def test_batch_builds_the_good_org_names_the_bad_one_and_resumes(tmp_path: Path) -> None:
    """QOC (good files) and QHM (a broken staff file) in one batch: QOC is published,
    QHM fails with its own log and is named in the summary and exit code; run again, QOC
    is up to date and not rebuilt."""
    from edi_analysis.inputs import write_demo_inputs_for

    data = tmp_path / "data"
    write_demo_inputs_for("QOC", PERIOD, data / "QOC")
    (data / "QHM").mkdir()
    (data / "QHM" / "staff_records.csv").write_text("employee_id,sex\n1,Female\n")
    out = tmp_path / "out"
    env = {**os.environ, "EDI_BUILD_DIR": str(tmp_path / "build"),
           "EDI_PROCESSED_DATA": str(tmp_path / "processed")}
    cmd = [sys.executable, "-m", "edi_analysis.cli", "batch", "--orgs", "QOC,QHM",
           "--period", PERIOD, "--data-root", str(data), "--out", str(out), "--workers", "2",
           "--renderer", "embedded", "--no-pdf"]
    first = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert first.returncode == 1, first.stderr
    assert "1 of 2 reports failed: QHM" in first.stderr
    report = out / "QOC" / PERIOD / "report.html"
    assert report.exists()
    assert "staff_records.csv" in (out / "_logs" / f"QHM-{PERIOD}.log").read_text()
    assert not (out / "QHM" / PERIOD / "report.html").exists()
    built_at = report.stat().st_mtime_ns

    again = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert again.returncode == 1
    assert "up to date" in again.stderr
    assert report.stat().st_mtime_ns == built_at, "an up-to-date report is not rebuilt"


# -- national files ------------------------------------------------------------------------
def test_national_files_split_by_org_column_and_by_lsoa_of_residence(tmp_path: Path) -> None:
    """Staff rows go by their organisation code (any form resolve_org accepts), birth rows
    by the ICB of the mother's LSOA; rows with neither are kept aside and counted, and
    codes keep their leading zeros."""
    import pandas as pd

    from edi_analysis.geography import icb_lsoas
    from edi_analysis.national import split_national

    staff = pd.DataFrame({"Org Code": ["QK1", "QHM", "E54000015", "XYZ", "QK1"],
                          "employee_id": ["001", "002", "003", "004", "005"]})
    staff.to_csv(tmp_path / "staff.csv", index=False)
    qk1, qhm = icb_lsoas("QK1")["lsoa21_code"][0], icb_lsoas("QHM")["lsoa21_code"][0]
    births = pd.DataFrame({"lsoa_code": [qk1, qhm, "W01000001", qk1], "outcome": list("LLLS")})
    births.to_parquet(tmp_path / "births.parquet")
    summary = split_national({"staff_records": tmp_path / "staff.csv",
                              "births": tmp_path / "births.parquet"}, tmp_path / "out")
    assert summary.rows == {"QK1": {"staff_records": 3, "births": 2},
                            "QHM": {"staff_records": 1, "births": 1}}
    assert summary.unassigned == {"staff_records": 1, "births": 1}
    mine = pd.read_csv(tmp_path / "out" / "QK1" / "staff_records.csv", dtype=str)
    assert list(mine.columns) == ["employee_id"]  # the organisation column is dropped
    assert sorted(mine["employee_id"]) == ["001", "003", "005"]
    aside = pd.read_csv(tmp_path / "out" / "_unassigned" / "births.csv")
    assert list(aside["lsoa_code"]) == ["W01000001"]


def test_a_national_file_without_an_organisation_is_refused(tmp_path: Path) -> None:
    from edi_analysis.errors import InputError
    from edi_analysis.national import split_national

    (tmp_path / "x.csv").write_text("employee_id,sex\n1,Female\n")
    with pytest.raises(InputError, match="organisation column"):
        split_national({"staff_records": tmp_path / "x.csv"}, tmp_path / "out")


def test_pdf_dates_follow_source_date_epoch_keeping_byte_offsets(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chromium stamps the printing time into the PDF, the one difference between two
    builds' PDFs; with SOURCE_DATE_EPOCH set the dates are fixed, same length."""
    pdf = tmp_path / "r.pdf"
    original = (b"%PDF-1.4\n1 0 obj\n<</Producer (Skia/PDF m156)\n"
                b"/CreationDate (D:20261203202613+00'00')\n"
                b"/ModDate (D:20261203203201+00'00')>>\nendobj\n")
    pdf.write_bytes(original)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    pipeline._stamp_pdf_dates(pdf)
    assert pdf.read_bytes() == original
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    pipeline._stamp_pdf_dates(pdf)
    fixed = pdf.read_bytes()
    assert len(fixed) == len(original)
    assert fixed.count(b"(D:20260101000000+00'00')") == 2
