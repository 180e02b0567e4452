"""Run inputs: demo data through the real readers, and the content-addressed cache."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from edi_analysis import inputs
from edi_analysis.errors import InputError


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EDI_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _staff_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    inputs.write_demo_inputs_for("QK1", "2025-26", folder)
    for extra in folder.iterdir():
        if "staff_records" not in extra.name:
            extra.unlink()
    return folder


def test_cached_read_equals_fresh_read(tmp_path: Path) -> None:
    folder = _staff_folder(tmp_path)
    fresh = inputs.org_inputs("QK1", "2025-26", folder, use_cache=False)
    first = inputs.org_inputs("QK1", "2025-26", folder)
    second = inputs.org_inputs("QK1", "2025-26", folder)
    pd.testing.assert_frame_equal(first["staff_records"], fresh["staff_records"])
    pd.testing.assert_frame_equal(second["staff_records"], fresh["staff_records"])


def test_edited_file_is_read_again_not_served_from_cache(tmp_path: Path) -> None:
    folder = _staff_folder(tmp_path)
    before = inputs.org_inputs("QK1", "2025-26", folder)["staff_records"]
    path = folder / "synthetic_staff_records.csv"
    frame = pd.read_csv(path)
    frame = frame.iloc[:-1]
    frame.to_csv(path, index=False)
    after = inputs.org_inputs("QK1", "2025-26", folder)["staff_records"]
    assert len(after) == len(before) - 1


def test_invalid_files_raise_every_time_and_are_not_cached(tmp_path: Path,
                                                           private_cache: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "staff_records.csv").write_text("employee_id,pay_band\n1,Band 10\n")
    for _ in range(2):
        with pytest.raises(InputError, match="Band 10"):
            inputs.org_inputs("QK1", "2025-26", folder)
    assert not list((private_cache / "validated").glob("*.pickle"))


def test_demo_inputs_are_synthetic_and_complete() -> None:
    data = inputs.org_inputs("QK1", "2025-26")
    assert len(data["staff_records"]) == 323
    assert (data["staff_records"]["data_label"] == "SYNTHETIC").all()
    for stem in ("previous_staff_records", "survey_results", "births", "recruitment"):
        assert data[stem] is not None and len(data[stem]) > 0
