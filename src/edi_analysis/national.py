"""National files split once into one folder of input files per organisation.

National extracts hold every organisation at once: an ESR staff extract for all of
England (about 1.5 million rows), three years of birth records (about 1.8 million), the
Staff Survey's results for every organisation. Reading such a file once per organisation
makes every build as slow as the whole country. :func:`split_national` reads each file
once (pyarrow, multithreaded), assigns each row to its organisation, and writes one CSV per
organisation and file, in the folder layout ``edi-report batch --data-root`` reads, so each
build reads only its own slice and takes as long whatever the size of the national files.

A row's organisation comes from an organisation column (ESR ``Org Code``, the survey's
organisation code; any code or name :func:`edi_analysis.geography.resolve_org` accepts)
or, for records without one (MSDS births), from the LSOA of residence through the ONS
LSOA-to-ICB lookup: an ICB's maternity profile is its residents' births.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv
import pyarrow.parquet as pq

from edi_analysis.errors import InputError
from edi_analysis.geography import lsoa_icb_codes, resolve_org

__all__ = ["ORG_COLUMNS", "SplitSummary", "split_national"]

#: Headers recognised as the organisation of a row (first found wins).
ORG_COLUMNS = ("org_code", "Org Code", "Organisation Code", "organisation_code", "org",
               "ICB Code", "icb_code", "Trust Code")
#: Headers recognised as the LSOA of residence (used when there is no organisation column).
LSOA_COLUMNS = ("lsoa_code", "LSOA", "LSOA Code", "lsoa21_code", "LSOA of Residence")
#: Folder (under the output) for rows no organisation could be found for.
UNASSIGNED = "_unassigned"


@dataclass
class SplitSummary:
    """What a split wrote: rows per organisation and file, and rows left unassigned."""

    rows: dict[str, dict[str, int]] = field(default_factory=dict)
    unassigned: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)


def _read(path: Path) -> pa.Table:
    """Read a national file (CSV, optionally gzipped, or parquet) as text columns."""
    try:
        if path.suffix == ".parquet":
            return pq.read_table(path)
        # every column as text: codes such as "01" keep their zeros, and the per-organisation
        # files are then read and checked by the usual input contracts
        with pv.open_csv(path) as stream:  # reads only the first block
            header = stream.schema.names
        return pv.read_csv(path, convert_options=pv.ConvertOptions(
            column_types={name: pa.string() for name in header},
            strings_can_be_null=False))
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError.single(str(path.name), "a CSV or parquet file", column=None,
                                value=str(exc).splitlines()[0]) from exc


def _org_of_rows(table: pa.Table, name: str) -> pa.Array:
    """The NHS code of each row's organisation (null where none could be found)."""
    column = next((c for c in ORG_COLUMNS if c in table.column_names), None)
    if column is not None:
        values = pc.cast(table[column], pa.string())
        codes = {}
        for value in pc.unique(values).to_pylist():
            if value is None or not str(value).strip():
                continue
            try:
                codes[value] = resolve_org(str(value).strip()).nhs_code
            except ValueError:
                codes[value] = None  # not an ICB: reported as unassigned
        keys = pa.array(list(codes), pa.string())
        mapped = pa.array(list(codes.values()), pa.string())
        return pc.take(mapped, pc.index_in(values, value_set=keys))
    lsoa = next((c for c in LSOA_COLUMNS if c in table.column_names), None)
    if lsoa is None:
        raise InputError.single(
            name, f"an organisation column ({', '.join(ORG_COLUMNS[:3])} ...) or an LSOA "
            f"column ({', '.join(LSOA_COLUMNS[:3])} ...)", column="(organisation)",
            value="neither")
    lookup = lsoa_icb_codes()
    keys = pa.array(lookup.index.to_numpy(), pa.string())
    mapped = pa.array(lookup.to_numpy(), pa.string())
    return pc.take(mapped, pc.index_in(pc.cast(table[lsoa], pa.string()), value_set=keys))


def split_national(files: Mapping[str, str | Path], out: str | Path) -> SplitSummary:
    """Write one folder of input files per organisation from national files.

    Parameters
    ----------
    files : mapping of str to path
        Input stem (``staff_records``, ``previous_staff_records``, ``survey_results``,
        ``births``, ...; the names :func:`edi_analysis.io.load_org_inputs` reads) to the
        national file (CSV, ``.csv.gz`` or parquet).
    out : path
        Output folder: ``out/<NHS code>/<stem>.csv`` per organisation, and
        ``out/_unassigned/<stem>.csv`` for rows whose organisation was not found.

    Returns
    -------
    SplitSummary

    Raises
    ------
    edi_analysis.errors.InputError
        If a file cannot be read, or has neither an organisation nor an LSOA column.

    Notes
    -----
    Method: each file is read once (pyarrow's multithreaded CSV reader, every column as
    text), the organisation of every row is found with one vectorised lookup
    (``pyarrow.compute.index_in``), the table is sorted by organisation once, and each
    organisation's contiguous slice is written with pyarrow's CSV writer. Time and memory
    grow with the national file; each organisation's build then reads only its slice.
    The organisation column is dropped from the per-organisation files.
    """
    out = Path(out)
    summary = SplitSummary()
    for stem, source in files.items():
        path = Path(source)
        table = _read(path)
        org = _org_of_rows(table, path.name)
        table = table.drop_columns([c for c in ORG_COLUMNS if c in table.column_names])
        missing = pc.is_null(org)
        n_missing = pc.sum(pc.cast(missing, pa.int64())).as_py() or 0
        if n_missing:
            summary.unassigned[stem] = n_missing
            target = out / UNASSIGNED / f"{stem}.csv"
            target.parent.mkdir(parents=True, exist_ok=True)
            pv.write_csv(table.filter(missing), target)
            summary.files.append(target)
        keep = pc.invert(missing)
        table, org = table.filter(keep), pc.filter(org, keep)
        order = pc.sort_indices(org)
        table, org = table.take(order), pc.take(org, order)
        codes = pc.unique(org).to_pylist()
        # the first row of each organisation in the sorted table
        starts = [pc.index(org, code).as_py() for code in codes] + [len(org)]
        for code, start, stop in zip(codes, starts[:-1], starts[1:], strict=True):
            target = out / code / f"{stem}.csv"
            target.parent.mkdir(parents=True, exist_ok=True)
            scratch = target.with_suffix(".csv.writing")
            pv.write_csv(table.slice(start, stop - start), scratch)
            scratch.replace(target)
            summary.rows.setdefault(code, {})[stem] = stop - start
            summary.files.append(target)
    return summary
