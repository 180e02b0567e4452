"""Publishing a report: destinations checked before any work, all artefacts or none."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from edi_analysis.errors import InputError
from edi_analysis.paths import project_root
from edi_analysis.pipeline import (
    OutputNotWritableError,
    _parameters_for,
    build_report,
    check_destinations,
    publish_folders,
)
from tests.test_pipeline import _config, _mini_project


def _tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative path) -> SHA-256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """Make ``folder`` unwritable for this process: chmod for a user, ``chattr +i`` for root.

    Root ignores permission bits, so as root the folder is made immutable (ext4 and most
    Linux file systems); where that is impossible the test is skipped with the reason.
    """
    if os.geteuid() != 0:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(mode)
        return
    chattr = shutil.which("chattr")
    done = chattr and subprocess.run([chattr, "+i", str(folder)],
                                     capture_output=True).returncode == 0
    if not done:
        pytest.skip("running as root and cannot make a folder immutable (chattr +i)")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


def _published(tmp_path: Path) -> Path:
    """A previously published report folder with a few artefacts."""
    out = tmp_path / "published"
    out.mkdir()
    (out / "report.html").write_text("<html>last year's good report</html>")
    (out / "report.pdf").write_bytes(b"%PDF-1.7 old")
    (out / "run.yml").write_text("org: QK1\n")
    return out


def test_a_read_only_out_folder_is_refused_before_any_work(tmp_path: Path) -> None:
    root = _mini_project(tmp_path / "proj")
    out = _published(tmp_path)
    before = _tree_digest(out)
    with _read_only(out), pytest.raises(OutputNotWritableError, match=str(out)):
        build_report(_config(tmp_path), root=root, build_root=tmp_path / "build")
    assert _tree_digest(out) == before
    assert not (tmp_path / "build").exists()  # nothing staged, no notebook executed
    assert not (tmp_path / "tables").exists()


def test_an_out_folder_in_a_read_only_parent_is_refused(tmp_path: Path) -> None:
    parent = tmp_path / "site"
    parent.mkdir()
    config = _config(tmp_path, output_dir=str(parent / "edi-2025-26"))
    with _read_only(parent), pytest.raises(OutputNotWritableError, match="edi-2025-26"):
        check_destinations(config, tmp_path / "build")
    assert not (parent / "edi-2025-26").exists()


def test_an_out_folder_through_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    config = _config(tmp_path, output_dir=str(tmp_path / "notes.txt" / "report"))
    with pytest.raises(OutputNotWritableError, match="is a file, not a folder"):
        check_destinations(config, tmp_path / "build")


def test_writable_destinations_pass_and_leave_nothing_behind(tmp_path: Path) -> None:
    _published(tmp_path)
    check_destinations(_config(tmp_path), tmp_path / "build")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["published"]
    assert sorted(p.name for p in (tmp_path / "published").iterdir()) == [
        "report.html", "report.pdf", "run.yml"]


def _three_moves(tmp_path: Path) -> tuple[list[tuple[Path, Path]], dict[Path, dict]]:
    """New folders for tables, report and build, each replacing a published one."""
    moves = []
    for name in ("tables", "report", "build"):
        new = tmp_path / "stage" / name
        new.mkdir(parents=True)
        (new / f"{name}.txt").write_text(f"new {name}")
        final = tmp_path / "final" / name
        final.mkdir(parents=True)
        (final / f"{name}.txt").write_text(f"old {name}")
        moves.append((new, final))
    digests = {p: _tree_digest(p) for pair in moves for p in pair}
    return moves, digests


def test_publish_replaces_every_folder_and_removes_the_old_ones(tmp_path: Path) -> None:
    moves, _ = _three_moves(tmp_path)
    publish_folders(moves)
    for new, final in moves:
        assert not new.exists()
        assert (final / f"{final.name}.txt").read_text() == f"new {final.name}"
    assert sorted(p.name for p in (tmp_path / "final").iterdir()) == [
        "build", "report", "tables"]  # no hidden leftovers


@pytest.mark.parametrize("failing", ["report", "build"])
def test_a_failed_publish_publishes_nothing(tmp_path: Path, monkeypatch, failing: str) -> None:
    moves, digests = _three_moves(tmp_path)
    real_rename = Path.rename
    failed: list[Path] = []

    def rename(self: Path, target):
        if Path(target) == tmp_path / "final" / failing and not failed:  # this swap fails
            failed.append(Path(target))
            raise PermissionError(errno.EACCES, "Permission denied", str(target))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(PermissionError):
        publish_folders(moves)
    for path, digest in digests.items():  # published and new folders exactly as before
        assert _tree_digest(path) == digest
    assert sorted(p.name for p in (tmp_path / "final").iterdir()) == [
        "build", "report", "tables"]


def test_publish_across_file_systems_copies(tmp_path: Path, monkeypatch) -> None:
    moves, _ = _three_moves(tmp_path)
    real_rename = Path.rename

    def rename(self: Path, target):
        if self.parent == tmp_path / "stage":  # stage and destination on different devices
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    publish_folders(moves)
    for new, final in moves:
        assert not new.exists()
        assert (final / f"{final.name}.txt").read_text() == f"new {final.name}"


def test_inputs_that_do_not_fit_the_period_stop_the_build_before_any_notebook(
        tmp_path: Path) -> None:
    from edi_analysis.inputs import write_demo_inputs_for

    data = tmp_path / "data"
    write_demo_inputs_for("QK1", "2025-26", data)
    staff = data / "synthetic_staff_records.csv"
    pd.read_csv(staff, dtype=str).head(3).to_csv(staff, index=False)  # a test extract
    root = _mini_project(tmp_path / "proj")
    out = _published(tmp_path)
    before = _tree_digest(out)
    with pytest.raises(InputError, match="staff_records"):
        build_report(_config(tmp_path, data_dir=str(data)), root=root,
                     build_root=tmp_path / "build")
    assert _tree_digest(out) == before
    stages = list((tmp_path / "build" / "QK1").glob("staging-2025-26-*"))
    assert len(stages) == 1 and not list((stages[0] / "notebooks").iterdir())


@pytest.mark.parametrize(("period", "sections", "years"), [
    ("2025-26", {}, [2023, 2024, 2025]),
    ("2026-27", {}, [2024, 2025, 2026]),
    ("2026-27", {"staff_survey": {"years": [2025, 2026]}}, [2025, 2026]),
])
def test_the_staff_survey_notebook_gets_the_period_s_survey_years(
        tmp_path: Path, period: str, sections: dict, years: list[int]) -> None:
    config = _config(tmp_path, period=period, sections=sections)
    params = _parameters_for("staff_survey", config, project_root(), tmp_path / "stage",
                             tmp_path / "processed")
    assert params["years"] == years


def test_edi_report_build_to_a_read_only_out_exits_2_in_one_line(tmp_path: Path,
                                                                  monkeypatch) -> None:
    from typer.testing import CliRunner

    from edi_analysis.cli import app

    monkeypatch.setenv("EDI_BUILD_DIR", str(tmp_path / "build"))
    out = _published(tmp_path)
    before = _tree_digest(out)
    with _read_only(out):
        result = CliRunner().invoke(app, ["build", "--org", "QK1", "--period", "2025-26",
                                          "--out", str(out), "--no-pdf"])
    assert result.exit_code == 2
    assert f"{out} is not writable" in result.output
    assert "Traceback" not in result.output
    assert _tree_digest(out) == before
    assert not (tmp_path / "build").exists()
