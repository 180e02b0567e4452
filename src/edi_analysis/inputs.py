"""The organisation's inputs for one run: the analyst's files, or synthetic demo data.

Demo data goes through exactly the same path as real data: it is written to files in the
real formats and read back through the validating readers of :mod:`edi_analysis.io`.

Reading and validating is the slowest step of a notebook, and every notebook of a run
reads the same files, so validated inputs are cached. The cache is content-addressed: its
key is a hash of every input file's bytes and of the package code that reads and
validates them, so an edited file or a changed reader can never be served stale data.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from pathlib import Path

import pandas as pd

import edi_analysis
from edi_analysis import demo, io
from edi_analysis.geography import resolve_org

__all__ = ["cache_dir", "org_inputs", "write_demo_inputs_for"]

_CODE_FILES = ("io.py", "schemas.py", "demo.py", "census.py", "geography.py", "deprivation.py",
               "inputs.py", "spreadsheets.py", "errors.py", "input_headers.py",
               "input_values.py")


def cache_dir() -> Path:
    """Return the cache folder (``EDI_CACHE_DIR``, default ``~/.cache/edi-report``)."""
    return Path(os.environ.get("EDI_CACHE_DIR", Path.home() / ".cache" / "edi-report"))


def _code_fingerprint() -> str:
    digest = hashlib.sha256(edi_analysis.__version__.encode())
    package = Path(edi_analysis.__file__).parent
    for name in _CODE_FILES:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()[:16]


def write_demo_inputs_for(org: str, period: str, out_dir: str | Path) -> list[Path]:
    """Write the SYNTHETIC demo input files of an organisation and period.

    Parameters
    ----------
    org : str
        ICB code or name.
    period : str
        Financial year, e.g. ``"2025-26"``.
    out_dir : str or Path
        Folder to write to (created if needed).

    Returns
    -------
    list of Path
        The files written.
    """
    organisation = resolve_org(org)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return list(demo.write_demo_inputs(organisation.nhs_code, folder, period=period))


def _demo_folder(org: str, period: str) -> Path:
    """Return a folder of demo files for org and period, written once per code version."""
    folder = cache_dir() / "demo" / _code_fingerprint() / org / period
    if not (folder / ".complete").exists():
        folder.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".writing-", dir=folder.parent))
        write_demo_inputs_for(org, period, scratch)
        (scratch / ".complete").touch()
        try:
            scratch.rename(folder)
        except OSError:  # another process finished first: use its identical copy
            shutil.rmtree(scratch, ignore_errors=True)
    return folder


def _inputs_key(folder: Path, required: tuple[str, ...]) -> str:
    digest = hashlib.sha256(_code_fingerprint().encode())
    digest.update(repr(sorted(required)).encode())
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def org_inputs(
    org: str,
    period: str,
    data_dir: str | Path | None = None,
    required: tuple[str, ...] = ("staff_records",),
    use_cache: bool = True,
) -> dict[str, pd.DataFrame | None]:
    """Return the validated inputs of a run, keyed by file stem.

    Parameters
    ----------
    org : str
        ICB code or name.
    period : str
        Financial year, e.g. ``"2025-26"``.
    data_dir : str, Path or None
        Folder of the organisation's files (see :func:`edi_analysis.io.load_org_inputs`
        for names); None uses SYNTHETIC demo data for ``org`` and ``period``.
    required : tuple of str
        File stems that must be present.
    use_cache : bool
        Reuse validated inputs read earlier from identical files (see module notes).

    Returns
    -------
    dict
        Stem (``staff_records``, ``previous_staff_records``, ``survey_results``, ``births``,
        ``recruitment``, ...) to a validated DataFrame, or None when an optional file is absent.

    Raises
    ------
    edi_analysis.errors.InputError
        If a required file is missing or any file breaks its contract (every problem listed).
        Invalid inputs are never cached.
    """
    if data_dir is None:
        folder = _demo_folder(resolve_org(org).nhs_code, period)
    else:
        folder = Path(data_dir)
    if not use_cache or not folder.is_dir():
        return io.load_org_inputs(folder, required=required)
    cached = cache_dir() / "validated" / f"{_inputs_key(folder, required)}.pickle"
    if cached.exists():
        with cached.open("rb") as fh:
            return pickle.load(fh)
    inputs = io.load_org_inputs(folder, required=required)
    cached.parent.mkdir(parents=True, exist_ok=True)
    fd, scratch = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        pickle.dump(inputs, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(scratch, cached)
    return inputs
