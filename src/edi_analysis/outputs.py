"""Writing published tables to the run's output folder."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

__all__ = ["write_tables"]

_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


def write_published_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """Write one published table as CSV, exactly as the report shows it.

    ``-0.0`` (a small negative change rounded) would read as a different figure from the
    report's 0.0; adding 0.0 turns it into 0.0 and leaves every other value as it is.
    """
    frame = frame.apply(lambda c: c + 0.0 if c.dtype.kind == "f" else c)
    frame.to_csv(path, index=False)


def write_tables(output_dir: str | Path, tables: Mapping[str, pd.DataFrame]) -> list[Path]:
    """Write published tables as CSV into ``output_dir/tables/``.

    Parameters
    ----------
    output_dir : str or Path
        The run's output folder (e.g. ``data/processed/QK1/2025-26``).
    tables : mapping of str to DataFrame
        Table name (lower case, digits, ``_`` or ``-``) to the **published** table:
        it must already have been through :mod:`edi_analysis.suppression`. Suppressed
        cells are written empty.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    ValueError
        If a name is not a safe file name or a value is not a DataFrame.
    """
    folder = Path(output_dir) / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        if not _SAFE_NAME.match(name):
            raise ValueError(f"Table name {name!r}: use lower-case letters, digits, _ or -.")
        if not isinstance(frame, pd.DataFrame):
            raise ValueError(f"Table {name!r} is a {type(frame).__name__}, not a DataFrame.")
        path = folder / f"{name}.csv"
        write_published_csv(frame, path)
        written.append(path)
    return written
