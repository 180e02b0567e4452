"""The organisation's inputs for one run: the analyst's files, or synthetic demo data.

Demo data goes through exactly the same path as real data: it is written to files in the
real formats and read back through the validating readers of :mod:`edi_analysis.io`.
"""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

import pandas as pd

from edi_analysis import demo, io
from edi_analysis.geography import resolve_org

__all__ = ["org_inputs", "write_demo_inputs_for"]


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


@lru_cache(maxsize=8)
def _demo_folder(org: str, period: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=f"edi-demo-{org}-{period}-"))
    write_demo_inputs_for(org, period, folder)
    return folder


def org_inputs(
    org: str,
    period: str,
    data_dir: str | Path | None = None,
    required: tuple[str, ...] = ("staff_records",),
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

    Returns
    -------
    dict
        Stem (``staff_records``, ``previous_staff_records``, ``survey_results``, ``births``,
        ``recruitment``, ...) to a validated DataFrame, or None when an optional file is absent.

    Raises
    ------
    edi_analysis.errors.InputError
        If a required file is missing or any file breaks its contract (every problem listed).
    """
    if data_dir is None:
        folder = _demo_folder(resolve_org(org).nhs_code, period)
    else:
        folder = Path(data_dir)
    return io.load_org_inputs(folder, required=required)
