"""Read an organisation's input files, map them to the canonical contract, validate.

Forgiving about format, strict about content:

* CSV (UTF-8 with or without BOM, falling back to Windows-1252; comma, semicolon, tab or
  pipe separated) and Excel (.xlsx/.xls; first sheet or a named sheet). Title rows above the
  header, as in ESR report exports, are skipped: the header is the first row (of the first
  20) that holds the most recognised column names.
* Headers are matched to the canonical snake_case names through alias maps of common ESR,
  NHS Staff Survey and MSDS export headers, ignoring case, spaces and punctuation.
* Values are matched to the allowed values ignoring case, spaces and punctuation, with the
  usual synonyms ("F" -> "Female", "Band 8A" -> "Band 8a", "A White - British" -> "A").
* Blank protected characteristics are kept and recoded to the explicit unknown value
  ("99" for ethnic category, "Not declared", "Unspecified", "Unknown"), never dropped.
* Everything else that does not meet the contract (:mod:`edi_analysis.schemas`) is
  collected, every problem, not the first, into one :class:`~edi_analysis.errors.InputError`
  giving the file, column, spreadsheet row number (header = row 1), the value found and
  what was expected in plain words.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from edi_analysis import schemas, staff_survey
from edi_analysis.errors import InputError, InputProblem, InputWarning
from edi_analysis.input_headers import HEADER_ALIASES, normalise_header
from edi_analysis.input_headers import alias_index as _alias_index
from edi_analysis.input_headers import norm as _norm
from edi_analysis.input_headers import question_code as _question_code
from edi_analysis.input_values import BOOL_DEFAULTS as _BOOL_DEFAULTS
from edi_analysis.input_values import CATEGORICAL as _CATEGORICAL
from edi_analysis.input_values import SUPPRESSED_MARKS as _SUPPRESSED_MARKS
from edi_analysis.input_values import bool_value as _bool_value
from edi_analysis.spreadsheets import Grid, column_letter, read_grids

__all__ = [
    "HEADER_ALIASES",
    "TEXT_DTYPE",
    "INPUT_FILES",
    "OrgInputs",
    "load_org_inputs",
    "normalise_header",
    "read_birth_counts",
    "read_births",
    "read_board",
    "read_capability",
    "read_disciplinary",
    "read_recruitment",
    "read_service_activity",
    "read_staff_records",
    "read_survey_nesting",
    "read_survey_responses",
    "read_survey_results",
    "read_table",
    "read_training",
    "warnings_of",
]

PathOrFrame = str | os.PathLike | pd.DataFrame

TEXT_DTYPE = "str" if int(pd.__version__.split(".")[0]) >= 3 else object
"""Dtype of text columns: pandas 3's string dtype (missing stays missing), else object."""

_MAX_HEADER_SCAN = 20

# --------------------------------------------------------------------------------------
# Reading tables
# --------------------------------------------------------------------------------------
def _blank_to_na(df: pd.DataFrame) -> pd.DataFrame:
    """Strip text cells and turn empty strings (and None) into missing values."""
    out = pd.DataFrame(index=df.index)
    for i in range(df.shape[1]):
        series = df.iloc[:, i].astype(object)
        is_text = series.map(type).eq(str)
        if is_text.any():
            series = series.where(~is_text, series[is_text].str.strip())
        blank = series.isna() | (is_text & (series == ""))
        out[i] = series.where(~blank, np.nan)
    out.columns = df.columns
    return out


def _header_position(cells: pd.DataFrame, known: set[str]) -> tuple[int, int]:
    """(position, score) of the row among the first rows holding most known headers."""
    header_pos, best = 0, -1
    for pos in range(min(_MAX_HEADER_SCAN, len(cells))):
        names = [normalise_header(v) for v in cells.iloc[pos] if isinstance(v, str)]
        score = sum(c in known or _question_code(c) is not None for c in names)
        if score > best:
            header_pos, best = pos, score
    return header_pos, best


def _choose_sheet(path: Path, grids: dict, sheet: str | int | None, known: set[str]) -> Grid:
    names = list(grids)
    if sheet is not None:
        if isinstance(sheet, int) and 0 <= sheet < len(names):
            return grids[names[sheet]]
        if sheet in grids:
            return grids[sheet]
        raise InputError.single(path.name, "a sheet named " + repr(sheet) + " (the workbook "
                                "has " + ", ".join(repr(n) for n in names) + ")", value=sheet)
    scores = {name: _header_position(_blank_to_na(g.cells), known)[1] if not g.cells.empty
              else 0 for name, g in grids.items()}
    first = names[0]
    best = max(names, key=lambda n: (scores[n], -names.index(n)))
    if scores[best] > scores[first]:
        listed = ", ".join(f"'{n}'" for n in names)
        raise InputError.single(
            path.name, f"the data on the first sheet; the workbook has sheets {listed}, and "
            f"sheet '{best}' looks like the data ({scores[best]} recognised column names, "
            f"against {max(scores[first], 0)} on the first sheet '{first}'): move it first, "
            "or delete the other sheets", value=f"sheet '{first}' first")
    chosen = grids[first]
    if len(names) > 1:
        chosen.notes.append(f"has {len(names)} sheets; read the first, '{first}' (others: "
                            + ", ".join(f"'{n}'" for n in names[1:]) + ")")
    return chosen


def read_table(
    path: str | os.PathLike,
    sheet: str | int | None = None,
    kind: str | None = None,
) -> pd.DataFrame:
    """Read a CSV or Excel table as text, keeping spreadsheet row numbers.

    Parameters
    ----------
    path : str or path-like
        A ``.csv`` (or ``.txt``/``.tsv``) or ``.xlsx``/``.xls`` file.
    sheet : str or int, optional
        Excel sheet name or 0-based position; default the first sheet. When another sheet
        looks more like the data than the first, the file is refused, naming the sheets.
    kind : str, optional
        Input kind (a key of :data:`HEADER_ALIASES`) used to recognise the header row.
        Without it, any known alias counts.

    Returns
    -------
    pandas.DataFrame
        All cells as stripped text, blanks as missing. The index (named ``source_row``)
        holds spreadsheet row numbers as the analyst sees them (header row = row 1 when the
        header is on the first line). Completely blank rows are dropped.
        ``attrs``: ``source`` (file name), ``sheet`` (sheet name or None), ``letters``
        (column name -> spreadsheet column letter), ``excel_errors`` (``(row, column,
        letter, error value)`` of every Excel error cell among the data, left blank in the
        frame), ``notes`` (oddities accepted: encoding, title rows, sheets) and ``titles``
        (the text of the title rows above the header).

    Raises
    ------
    InputError
        If the file is missing, of an unknown type, unreadable, empty, has no header row,
        or keeps its data on another sheet than the first.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError.single(str(path), "an existing file", value=str(path))
    known = (
        set(_alias_index(kind)) if kind else {h for k in HEADER_ALIASES for h in _alias_index(k)}
    )
    grids = read_grids(path)
    chosen = _choose_sheet(path, grids, sheet, known)
    grid = _blank_to_na(chosen.cells)
    grid = grid.loc[:, grid.notna().any(axis=0)]
    if grid.empty:
        raise InputError.single(path.name, "a header row followed by data rows", value="(empty)")
    header_pos, _ = _header_position(grid, known)
    header = grid.iloc[header_pos]
    names: list[str] = []
    for i, value in enumerate(header):
        name = str(value) if isinstance(value, str) else f"Unnamed: {i}"
        while name in names:
            name = f"{name}.1"
        names.append(name)
    letters = {name: column_letter(int(pos)) for name, pos in zip(names, grid.columns, strict=True)}
    by_position = dict(zip(grid.columns, names, strict=True))
    data = grid.iloc[header_pos + 1 :].copy()
    data.columns = names
    data.index = pd.Index(np.arange(len(data)) + header_pos + 2, name="source_row")
    errors = [(r + 1, by_position[c], column_letter(c), v) for r, c, v in chosen.errors
              if r > header_pos and c in by_position]
    error_rows = {r for r, *_ in errors}
    data = data.loc[data.notna().any(axis=1) | data.index.isin(error_rows)]
    notes = list(chosen.notes)
    titles = [str(v) for v in grid.iloc[:header_pos].to_numpy().ravel() if isinstance(v, str)]
    if header_pos > 0:
        notes.append(f"the header is on row {header_pos + 1}; the {header_pos} row"
                     f"{'s' if header_pos > 1 else ''} above it (titles) were skipped")
    data.attrs.update(source=path.name, sheet=chosen.sheet, letters=letters,
                      excel_errors=errors, notes=notes, titles=titles)
    return data


def _as_frame(source: PathOrFrame, kind: str, sheet: str | int | None) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        if source.index.name == "source_row" and "letters" in source.attrs:
            return source  # read by read_table: keep its rows, sheet and notes
        df = _blank_to_na(source.reset_index(drop=True))
        df.columns = [str(c) for c in df.columns]
        df.index = pd.Index(np.arange(len(df)) + 2, name="source_row")
        df.attrs["source"] = source.attrs.get("source", "<DataFrame>")
        return df
    return read_table(source, sheet=sheet, kind=kind)


# --------------------------------------------------------------------------------------
# The shared reader
# --------------------------------------------------------------------------------------
def _as_text(series: pd.Series) -> pd.Series:
    """Text column with missing values kept missing (pandas string dtype)."""
    text = _by_unique(series, str).where(series.notna())
    return text.astype(TEXT_DTYPE) if TEXT_DTYPE == "str" else text.astype(object)


class _Collector:
    def __init__(self, source: str, sheet: str | None = None,
                 letters: dict[str, str] | None = None) -> None:
        self.source = source
        self.sheet = sheet
        self.letters = letters or {}
        self.problems: list[InputProblem] = []
        self.warnings: list[InputWarning] = []
        self.titles: list[str] = []

    def add(self, column, row, value, expected) -> None:
        shown = None if value is None or (not isinstance(value, str) and pd.isna(value)) else value
        letter = self.letters.get(column) if column is not None else None
        self.problems.append(
            InputProblem(
                self.source,
                column,
                None if row is None else int(row),
                None if shown is None else str(shown),
                expected,
                sheet=self.sheet,
                cell=f"{letter}{int(row)}" if letter and row is not None else None,
            )
        )

    def warn(self, message: str, public: str | None = None) -> None:
        """Record an accepted oddity; ``public``: the report's wording, without counts."""
        self.warnings.append(InputWarning(
            self.source, message, None if public is None else f"{self.source}: {public}"))


def _rename_columns(df: pd.DataFrame, kind: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rename recognised headers to canonical names; returns (frame, canonical -> original)."""
    index = _alias_index(kind)
    best: dict[str, tuple[int, str]] = {}
    for col in df.columns:
        hit = index.get(normalise_header(col))
        if hit is None and kind == "survey_responses":
            code = _question_code(col)
            if code is not None and code not in best:
                best[code] = (0, col)
            continue
        if hit is None:
            continue
        canonical, priority = hit
        if canonical not in best or priority < best[canonical][0]:
            best[canonical] = (priority, col)
    rename = {orig: canonical for canonical, (_, orig) in best.items()}
    # Unrecognised columns keep their names unless they clash with a canonical one.
    extra = {
        c: f"{c} (original)" for c in df.columns if c not in rename and c in set(rename.values())
    }
    out = df.rename(columns={**extra, **rename})
    return out, {canonical: orig for canonical, (_, orig) in best.items()}


def _accepted_headers(kind: str, column: str) -> str:
    aliases = HEADER_ALIASES[kind].get(column, [])
    shown = ", ".join(f"'{a}'" for a in [column, *aliases][:8])
    return f"a column named '{column}' (accepted headers include {shown})"


#: Numbers larger than this are refused as implausible before any range check (they
#: would overflow whole-number columns).
_MAX_MAGNITUDE = 1e12
_DECIMAL_COMMA = re.compile(r"^[-+]?(\d+,\d{1,2}|\d+,\d{4,}|\d{1,3}(\.\d{3})+,\d+)$")
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")
DECIMAL_COMMA_HINT = "; this looks like a decimal comma: write the number with a decimal point"
TOO_LARGE_HINT = "; this number is far too large to be right"


def _parse_number(text: object) -> float | None:
    number, _ = _number_and_reason(text)
    return number


def _number_and_reason(text: object) -> tuple[float | None, str | None]:
    """The number in a cell, or None and why not ("" when it is just not a number).

    Commas are read as thousands separators only in the 1,234,567.89 pattern; "9,50" is
    a decimal comma and is refused rather than read as 950.
    """
    if isinstance(text, int | float | np.integer | np.floating):
        number = float(text)
    else:
        t = re.sub(r"[\s\u00a0£%]", "", str(text))
        if t.startswith("(") and t.endswith(")"):
            t = "-" + t[1:-1]
        if "," in t:
            if _DECIMAL_COMMA.match(t):
                return None, DECIMAL_COMMA_HINT
            if not _THOUSANDS.match(t):
                return None, ""
            t = t.replace(",", "")
        try:
            number = float(t)
        except ValueError:
            return None, ""
    if not np.isfinite(number) or abs(number) > _MAX_MAGNITUDE:
        return None, TOO_LARGE_HINT
    return number, None


def _by_unique(series: pd.Series, func: Callable[[object], object]) -> pd.Series:
    """Apply ``func`` once per distinct non-missing value (fast for long files)."""
    present = series.dropna()
    mapping = {v: func(v) for v in pd.unique(present)}
    return series.map(mapping)


def _coerce_numeric(df, column, col_schema, collector, *, allow_suppressed=False) -> None:
    integer = str(col_schema.dtype) in {"int64", "Int64"}
    raw = df[column]

    reasons: dict[object, str] = {}

    def parse(value: object) -> float | None:
        if allow_suppressed and _norm(value) in _SUPPRESSED_MARKS:
            return np.nan
        number, reason = _number_and_reason(value)
        if number is None or (integer and not float(number).is_integer()):
            reasons[value] = reason or ""
            return None
        return number

    results = {v: parse(v) for v in pd.unique(raw.dropna())}
    bad = raw.isin([v for v, r in results.items() if r is None])
    for row, value in raw[bad].items():
        collector.add(column, row, value, col_schema.description + reasons.get(value, ""))
    numbers = {v: (np.nan if r is None else r) for v, r in results.items()}
    series = pd.to_numeric(raw.map(numbers), errors="coerce").astype("float64")
    if not col_schema.nullable:
        for row in series.index[raw.isna()]:
            collector.add(column, row, None, col_schema.description + " (blank found)")
    if str(col_schema.dtype) == "int64":
        df[column] = series.fillna(0).astype("int64")
    elif integer:
        df[column] = series.astype("Int64")
    else:
        df[column] = series


def _coerce_bool(df, column, default, collector, description) -> None:
    raw = df[column]
    results = {v: _bool_value(column, v) for v in pd.unique(raw.dropna())}
    if default is None:
        for row in raw.index[raw.isna()]:
            collector.add(column, row, None, description + " (blank found)")
    bad = raw.isin([v for v, r in results.items() if r is None])
    for row, value in raw[bad].items():
        collector.add(column, row, value, description)
    values = {v: bool(r) for v, r in results.items()}
    fill = bool(default) if default is not None else False
    df[column] = raw.map(values).astype(object).where(raw.notna(), fill).astype(bool)


def _expected_for(schema: pa.DataFrameSchema, column: str | None, check: str) -> str:
    if column is not None and column in schema.columns:
        desc = schema.columns[column].description
        if check == "field_uniqueness":
            return f"{desc}; this value appears more than once" if desc else "a unique value"
        if check == "not_nullable":
            return f"{desc} (blank found)"
        return desc or check
    if "exceed the denominator" in check or check.startswith("events_le_denominator"):
        return "events not more than the denominator"
    if "uniqueness" in check or check.startswith("unique"):
        return "one row per " + " x ".join(schema.unique or []) + " (duplicate found)"
    return check


def _pandera_problems(
    df: pd.DataFrame, schema: pa.DataFrameSchema, collector: _Collector, reported: set,
    typed: pd.DataFrame | None = None,
) -> None:
    """Collect pandera's failures; ``typed``: the cells as the file had them (shown instead
    of the parsed value, so "5000" is not reported as "5000.0")."""
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        frame_level: dict[tuple[str, int | None], dict[str, object]] = {}
        for rec in exc.failure_cases.to_dict("records"):
            column = rec.get("column")
            column = None if column is None or pd.isna(column) else str(column)
            check = str(rec.get("check"))
            index = rec.get("index")
            row = None if index is None or pd.isna(index) else int(index)
            value = rec.get("failure_case")
            if check in {"column_in_dataframe", "column_in_schema"}:
                continue  # reported with the accepted headers already
            if check.startswith(("coerce_dtype", "dtype(")) and column in reported:
                continue
            if rec.get("schema_context") == "DataFrameSchema":
                frame_level.setdefault((check, row), {})[column or ""] = value
                continue
            expected = _expected_for(schema, column, check)
            if check == "field_uniqueness" and column in df.columns:
                rows = df.index[df[column].astype(str) == str(value)].tolist()
                expected += " (rows " + ", ".join(str(r) for r in rows) + ")"
            if (typed is not None and row is not None and column in typed.columns
                    and row in typed.index and isinstance(typed.at[row, column], str)):
                value = typed.at[row, column]
            collector.add(column, row, value, expected)
        for (check, row), values in frame_level.items():
            if check.startswith("multiple_fields_uniqueness"):
                fields = list(schema.unique or values)
                column = ", ".join(fields)
                shown = " / ".join(str(values.get(f)) for f in fields)
                expected = "one row per " + " x ".join(fields) + " (duplicate found)"
            else:
                column = ", ".join(c for c in values if c)
                shown = ", ".join(f"{c}={v}" for c, v in values.items() if c)
                expected = _expected_for(schema, None, check)
            collector.add(column, row, shown, expected)


def _note_mapped(raw: pd.Series, mapped: pd.Series, column: str, collector: _Collector,
                 shown: int = 4) -> None:
    """Warn of values read as another of the contract's values, and of blanks recoded."""
    changed = raw.notna() & mapped.notna() & (raw.astype(str) != mapped.astype(str))
    if changed.any():
        pairs = (raw[changed].astype(str) + "' as '" + mapped[changed].astype(str)).value_counts()
        listed = ", ".join(f"'{pair}' ({n:,} rows)" for pair, n in pairs.head(shown).items())
        more = f" and {len(pairs) - shown} more" if len(pairs) > shown else ""
        collector.warn(f"column '{column}': read {listed}{more}",
                       f"column '{column}': values written another way were read as the "
                       "contract's values")
    blank = raw.isna() & mapped.notna()
    if blank.any():
        collector.warn(f"column '{column}': {int(blank.sum()):,} blank cells recorded as "
                       f"'{mapped[blank].iloc[0]}'", f"column '{column}': blank cells were "
                       f"recorded as '{mapped[blank].iloc[0]}'")


def _read(
    source: PathOrFrame,
    kind: str,
    schema: pa.DataFrameSchema,
    *,
    sheet: str | int | None = None,
    prepare: Callable[[pd.DataFrame, _Collector], None] | None = None,
) -> pd.DataFrame:
    raw = _as_frame(source, kind, sheet)
    df, original = _rename_columns(raw, kind)
    typed = df.copy() if df.index.is_unique else None
    letters = dict(raw.attrs.get("letters") or {})
    letters.update({canonical: letters[orig] for canonical, orig in original.items()
                    if orig in letters})
    collector = _Collector(raw.attrs.get("source", "<DataFrame>"), raw.attrs.get("sheet"),
                           letters)
    collector.titles = list(raw.attrs.get("titles") or [])
    for note in raw.attrs.get("notes") or []:
        collector.warn(note, "the workbook has several sheets; the first was read"
                       if note.startswith("has ") and "sheets" in note else None)
    renamed = {orig: canonical for canonical, orig in original.items()}
    for row, name, letter, value in raw.attrs.get("excel_errors") or []:
        column = renamed.get(name, name)
        collector.problems.append(InputProblem(
            collector.source, column, row, value, "a value, not an Excel error: fix the "
            "formula or type the value in", sheet=collector.sheet, cell=f"{letter}{row}"))
    if df.empty:
        collector.add(None, None, "(header only, no data rows)",
                      "data rows below the header row")
    reported: set[str] = set()

    for name, col in schema.columns.items():
        if col.regex:
            continue
        if col.required and name not in df.columns:
            if kind == "staff_records" and name == "age_band" and "age" in df.columns:
                continue
            what = _accepted_headers(kind, name)
            if kind == "staff_records" and name == "age_band":
                what = (
                    "a column 'age' (whole years; headers 'Age', 'Age in Years') or "
                    "'age_band' (headers 'Age Band', 'Age Group')"
                )
            collector.add(name, None, "(column missing)", what)
            reported.add(name)

    for name, normaliser in _CATEGORICAL.items():
        if kind == "survey_responses":
            break  # survey answers are kept as given
        if name in df.columns and name in schema.columns:
            mapped = _by_unique(df[name], normaliser)
            mapped = mapped.where(df[name].notna(), normaliser(np.nan))
            _note_mapped(df[name], mapped, name, collector)
            df[name] = _as_text(mapped)
    for name, col in schema.columns.items():
        if name not in df.columns or col.regex:
            continue
        dtype = str(col.dtype)
        if dtype in {"int64", "Int64", "float64"}:
            _coerce_numeric(df, name, col, collector, allow_suppressed=(name == "pct_positive"))
            reported.add(name)
        elif dtype == "bool":
            default = _BOOL_DEFAULTS.get(name)
            if name == "language_recorded":
                blank = df[name].isna()
                if "mother_language" in df.columns:
                    df.loc[blank, name] = df.loc[blank, "mother_language"].notna()
                default = False
            _coerce_bool(df, name, default, collector, col.description)
            reported.add(name)
        elif name not in _CATEGORICAL:
            df[name] = _as_text(df[name])

    for name, col in schema.columns.items():
        if name in df.columns or col.required or str(col.dtype) != "bool":
            continue
        if name == "language_recorded" and "mother_language" in df.columns:
            df[name] = df["mother_language"].notna().astype(bool)
        elif _BOOL_DEFAULTS.get(name) is not None:
            df[name] = bool(_BOOL_DEFAULTS[name])

    if prepare is not None:
        prepare(df, collector)
    _pandera_problems(df, schema, collector, reported, typed)
    if collector.problems:
        problems = sorted(
            collector.problems,
            key=lambda p: (p.row is not None, p.row or 0, p.column or ""),
        )
        raise InputError(problems)
    canonical = [c for c in schema.columns if c in df.columns and not schema.columns[c].regex]
    others = [c for c in df.columns if c not in canonical]
    out = df[canonical + others].reset_index(drop=True)
    out.attrs["source"] = collector.source
    out.attrs["source_rows"] = [int(r) for r in df.index]
    out.attrs["warnings"] = list(collector.warnings)
    if "data_label" in out.columns and out["data_label"].eq("SYNTHETIC").all():
        out.attrs["data_label"] = "SYNTHETIC"
    return out


# --------------------------------------------------------------------------------------
# Public readers
# --------------------------------------------------------------------------------------
def _prepare_staff(df: pd.DataFrame, collector: _Collector) -> None:
    if "contract_status" in df.columns:
        looks_like_category = df["contract_status"].notna() & df["contract_status"].map(
            lambda v: bool(re.search(r"perm|fixed|temp|bank|locum|honorary", _norm(v)))
        ).astype(bool)
        for row, value in df.loc[looks_like_category, "contract_status"].items():
            collector.add(
                "contract_status",
                row,
                value,
                "'Full-Time' or 'Part-Time'; this looks like ESR's assignment category "
                "(permanent/fixed term): give the 'Full/Part Time' column instead",
            )
        # placeholder so the same cell is not reported twice (an error is raised anyway)
        df.loc[looks_like_category, "contract_status"] = "Full-Time"
    if "snapshot_date" not in df.columns:
        dated = _title_snapshot_date(collector.titles)
        if dated is not None:
            df["snapshot_date"] = dated
            collector.warn(f"snapshot date {dated} read from the title above the header",
                           f"the snapshot date was read from the title above the header "
                           f"({dated})")
    if "snapshot_date" in df.columns:
        df["snapshot_date"] = _as_text(_by_unique(df["snapshot_date"], _iso_date))
    if "age" in df.columns:
        derived = df["age"].map(lambda a: schemas.age_band_of(float(a)) if pd.notna(a) else None)
        if "age_band" in df.columns:
            df["age_band"] = derived.where(derived.notna(), df["age_band"])
        else:
            df["age_band"] = derived
        df["age_band"] = _as_text(df["age_band"])
    if "age_band" in df.columns:
        bad = df["age_band"].notna() & ~df["age_band"].isin(schemas.AGE_BANDS)
        for row, value in df.loc[bad, "age_band"].items():
            collector.add(
                "age_band",
                row,
                value,
                schemas.STAFF_RECORDS_SCHEMA.columns["age_band"].description
                + "; if your bands differ (e.g. ESR '21-25'), give age in whole years "
                "in an 'age' column instead",
            )
        df.loc[bad, "age_band"] = None


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d-%b-%Y",
                 "%d-%b-%y", "%d/%m/%y", "%d %B %Y", "%Y-%m-%d %H:%M:%S", "%Y%m%d")


_TITLE_DATE = re.compile(
    r"(?:as at|as of|snapshot(?: date)?|in post (?:at|on)|position (?:at|on)|census date)"
    r"[:\s]+(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"\d{1,2}[ -][A-Za-z]{3,9}[ -]\d{2,4})", re.IGNORECASE)


def _title_snapshot_date(titles: Iterable[str]) -> str | None:
    """The snapshot date an ESR title states ("Staff in post as at 31/03/2025"), or None.

    Only a date introduced as the snapshot's ("as at", "snapshot", "in post at") counts:
    a report's run date is not the snapshot's.
    """
    for text in titles:
        match = _TITLE_DATE.search(text)
        if match:
            date = _iso_date(match.group(1))
            if isinstance(date, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", date):
                return date
    return None


def _iso_date(value: object) -> object:
    """A date as ``YYYY-MM-DD`` (UK day-first formats and Excel dates), else unchanged."""
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return value


def read_staff_records(source: PathOrFrame, sheet: str | int | None = None) -> pd.DataFrame:
    """Read and validate staff records (one row per employee; ESR-style extract).

    Parameters
    ----------
    source : str, path-like or pandas.DataFrame
        A CSV/Excel file or a frame with ESR-style or canonical headers.
    sheet : str or int, optional
        Excel sheet (default the first).

    Returns
    -------
    pandas.DataFrame
        Canonical columns of :data:`edi_analysis.schemas.STAFF_RECORDS_SCHEMA` first (in
        contract order), then any other columns unchanged. ``age_band`` is derived from
        ``age`` when ages are given. Blank characteristics are recoded to their explicit
        unknown value ("99", "Not declared", "Unspecified", "Unknown"), never dropped.
        ``full_pay_relevant`` defaults to True.

    Raises
    ------
    InputError
        Listing every problem: missing columns (with the accepted headers), values not
        allowed, non-numeric numbers, duplicated ``employee_id``, each with file, column,
        spreadsheet row and the expected values.
    """
    return _read(
        source, "staff_records", schemas.STAFF_RECORDS_SCHEMA, sheet=sheet, prepare=_prepare_staff
    )


_ENGAGEMENT_NAMES = {"engagement", "staff engagement", "engagement score",
                     "staff engagement score"}


def _prepare_survey_results(df: pd.DataFrame, collector: _Collector) -> None:
    if "question" in df.columns:
        df["question"] = df["question"].map(
            lambda q: ("engagement" if _norm(q) in _ENGAGEMENT_NAMES
                       else (_question_code(q) or q)) if isinstance(q, str) else q
        )
    if "breakdown" in df.columns:
        lookup = {_norm(b): b for b in schemas.SURVEY_BREAKDOWNS}
        lookup.update(
            {
                "organisation": "Overall", "overall": "Overall", "total": "Overall",
                "gender": "Sex", "ethnic group": "Ethnicity", "ethnic background": "Ethnicity",
                "religion or belief": "Religion", "sexuality": "Sexual orientation",
                "age group": "Age", "age band": "Age", "long term condition": "Disability",
            }
        )  # fmt: skip
        df["breakdown"] = df["breakdown"].map(
            lambda b: lookup.get(_norm(b), b) if isinstance(b, str) else b
        )
        if "subgroup" in df.columns:
            overall = (df["breakdown"] == "Overall") & df["subgroup"].isna()
            df.loc[overall, "subgroup"] = "Organisation"
    if {"pct_positive", "n_respondents"} <= set(df.columns):
        _check_percentages(df, collector)


def _check_percentages(df: pd.DataFrame, collector: _Collector) -> None:
    """Refuse fractions given for percentages, and percentages of no respondents."""
    pct = df["pct_positive"]
    shown = pct.notna() & df["n_respondents"].eq(0)
    for row, value in pct[shown].items():
        collector.add("pct_positive", row, value, "a blank percentage where "
                      "n_respondents is 0 (a result of no respondents cannot be published)")
    scored = df["question"].eq("engagement") if "question" in df.columns else False
    years = df["year"] if "year" in df.columns else pd.Series(0, index=df.index)
    for year, values in pct[pct.notna() & ~scored].groupby(years[pct.notna() & ~scored]):
        if len(values) >= 2 and values.max() <= 1 and values.gt(0).any():
            example = values[values.gt(0)].index[0]
            collector.add(
                "pct_positive", None,
                f"every percentage of {year} is between 0 and 1 (row {example}: "
                f"{values[example]:g})",
                "percentages from 0 to 100 (63 for 63%), not fractions: multiply the "
                "column by 100 (or format it as a number, not as %) and save again")


def read_survey_results(source: PathOrFrame, sheet: str | int | None = None) -> pd.DataFrame:
    """Read and validate aggregated NHS Staff Survey results.

    One row per year x question x breakdown x subgroup. Question codes are normalised to
    the catalogue form ("Q14b" -> "q14b"); ``pct_positive`` accepts "45%" and treats "*",
    "-" or blank as suppressed at source (missing). A blank subgroup on an "Overall" row
    becomes "Organisation".

    Parameters
    ----------
    source : str, path-like or pandas.DataFrame
    sheet : str or int, optional

    Returns
    -------
    pandas.DataFrame
        Columns ``year, question, breakdown, subgroup, n_respondents, pct_positive``
        (``pct_positive`` in 0-100: the percentage giving the catalogue's counted answers).

    Raises
    ------
    InputError
        Listing every problem with file, column, row and expected values.
    """
    return _read(
        source, "survey_results", schemas.SURVEY_RESULTS_SCHEMA, sheet=sheet,
        prepare=_prepare_survey_results,
    )  # fmt: skip


def _prepare_survey_responses(df: pd.DataFrame, collector: _Collector) -> None:
    questions = [c for c in df.columns if re.fullmatch(schemas.SURVEY_QUESTION_PATTERN, str(c))]
    if not questions:
        collector.add(
            None, None, None,
            "at least one question column named by its code, e.g. 'q14b' or 'Q14b'",
        )  # fmt: skip
    for q in questions:
        df[q] = _as_text(df[q])
    for name in ("age_band", "sex", "ethnic_category", "disability", "sexual_orientation",
                 "religion_belief", "directorate", "division"):  # fmt: skip
        if name in df.columns:
            df[name] = _as_text(df[name])


def read_survey_nesting(source: PathOrFrame, sheet: str | int | None = None) -> pd.DataFrame:
    """Read and validate a survey nesting table (which subgroup lies within which).

    Parameters
    ----------
    source : str, path-like or pandas.DataFrame
        One row per subgroup of a nested breakdown: ``breakdown``, ``subgroup``,
        ``parent_breakdown``, ``parent_subgroup`` (e.g. Directorate "Finance" within
        Division "Corporate"), as in the survey results file.
    sheet : str or int, optional

    Returns
    -------
    pandas.DataFrame
        The checked table (:func:`edi_analysis.staff_survey.nesting_table`).

    Raises
    ------
    InputError
        For missing or blank columns, a subgroup with two parents, or breakdowns that do
        not form chains (Division > Directorate > Team).
    """
    frame = _read(source, "survey_nesting", schemas.SURVEY_NESTING_SCHEMA, sheet=sheet)
    return staff_survey.nesting_table(frame, source=frame.attrs.get("source", "survey_nesting"))


def read_survey_responses(source: PathOrFrame, sheet: str | int | None = None) -> pd.DataFrame:
    """Read and validate a respondent-level staff survey extract.

    Parameters
    ----------
    source : str, path-like or pandas.DataFrame
        One row per respondent: ``respondent_id``, ``year``, one column per question
        (headers such as "Q14b" or "q14b. Experienced harassment..." become ``q14b``)
        holding the answer text or code, and characteristic columns.
    sheet : str or int, optional

    Returns
    -------
    pandas.DataFrame
        Answers are kept as text exactly as given (blank = not answered).

    Raises
    ------
    InputError
    """
    return _read(
        source, "survey_responses", schemas.SURVEY_RESPONSES_SCHEMA, sheet=sheet,
        prepare=_prepare_survey_responses,
    )  # fmt: skip


def _prepare_births(df: pd.DataFrame, collector: _Collector) -> None:
    if "year" in df.columns:
        df["year"] = df["year"].map(_financial_year)
    if "lsoa_code" in df.columns:
        df["lsoa_code"] = df["lsoa_code"].map(lambda v: v.upper() if isinstance(v, str) else v)


def _financial_year(value: object) -> object:
    if not isinstance(value, str):
        return value
    t = value.strip()
    m = re.fullmatch(r"(\d{4})\.0", t)
    if m:
        return m.group(1)
    m = re.fullmatch(r"(?:FY\s*)?(\d{4})\s*[-/]\s*(\d{2}|\d{4})", t, flags=re.IGNORECASE)
    if m:
        start, end = int(m.group(1)), int(m.group(2)[-2:])
        if (start + 1) % 100 == end:
            return f"{start}-{end:02d}"
    return t


def read_births(source: PathOrFrame, sheet: str | int | None = None) -> pd.DataFrame:
    """Read and validate record-level births (one row per baby; MSDS-style).

    Financial years are normalised ("2024/25", "2024-2025" -> "2024-25"); delivery methods
    accept text ("Forceps", "Emergency CS") and MSDS delivery method codes 0-9 (9 "other"
    -> "Not known"); blank delivery method -> "Not known"; blank mother's ethnic category
    -> "99" (not known). ``language_recorded`` is derived from ``mother_language`` when
    absent or blank; ``termination`` defaults to False.

    Parameters
    ----------
    source : str, path-like or pandas.DataFrame
    sheet : str or int, optional

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    InputError
    """
    return _read(source, "births", schemas.BIRTHS_SCHEMA, sheet=sheet, prepare=_prepare_births)


def read_birth_counts(source: PathOrFrame, sheet: str | int | None = None) -> pd.DataFrame:
    """Read and validate pre-aggregated maternity counts.

    Columns ``year, group_type, group, measure, events, denominator``; events may not
    exceed the denominator.

    Parameters
    ----------
    source : str, path-like or pandas.DataFrame
    sheet : str or int, optional

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    InputError
    """
    return _read(
        source, "birth_counts", schemas.BIRTH_COUNTS_SCHEMA, sheet=sheet, prepare=_prepare_births
    )


def read_recruitment(source: PathOrFrame, sheet: str | int | None = None) -> pd.DataFrame:
    """Read and validate recruitment data (one row per shortlisted applicant).

    ``appointed`` accepts Yes/No, True/False, 1/0 and "Appointed"/"Not appointed".

    Parameters
    ----------
    source : str, path-like or pandas.DataFrame
    sheet : str or int, optional

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    InputError
    """
    return _read(source, "recruitment", schemas.RECRUITMENT_SCHEMA, sheet=sheet)


def _prepare_year(df: pd.DataFrame, collector: _Collector) -> None:
    if "year" in df.columns:
        df["year"] = df["year"].map(_financial_year)


def _prepare_counts(df: pd.DataFrame, collector: _Collector) -> None:
    _prepare_group_type(df, collector)
    _prepare_year(df, collector)


def _read_cases(
    source: PathOrFrame,
    sheet: str | int | None,
    kind: str,
    records_schema: pa.DataFrameSchema,
    counts_schema: pa.DataFrameSchema,
    counts_by_year_schema: pa.DataFrameSchema,
) -> pd.DataFrame:
    """Read a record-level or aggregated file of formal cases (disciplinary/capability)."""
    raw = _as_frame(source, f"{kind}_counts", sheet)
    renamed, _ = _rename_columns(raw, f"{kind}_counts")
    if "cases" in renamed.columns:
        schema = counts_by_year_schema if "year" in renamed.columns else counts_schema
        out = _read(raw, f"{kind}_counts", schema, prepare=_prepare_counts)
        out.attrs["form"] = "counts"
    else:
        out = _read(raw, kind, records_schema, prepare=_prepare_year)
        out.attrs["form"] = "records"
    out.attrs["source"] = raw.attrs.get("source", "<DataFrame>")
    return out


def read_disciplinary(source: PathOrFrame, sheet: str | int | None = None) -> pd.DataFrame:
    """Read and validate disciplinary cases, record-level or as counts.

    Record-level (one row per employee entering the formal disciplinary process, with
    ``ethnic_category``, optionally ``disability`` and ``year``) is validated against
    :data:`~edi_analysis.schemas.DISCIPLINARY_SCHEMA`. A table with a ``cases`` column
    (``group_type`` "Ethnicity"/"Disability", ``group``, ``cases``, optionally
    ``year``) is read as counts against
    :data:`~edi_analysis.schemas.DISCIPLINARY_COUNTS_SCHEMA` (or
    :data:`~edi_analysis.schemas.DISCIPLINARY_COUNTS_BY_YEAR_SCHEMA` with a year);
    ``attrs["form"]`` says which ("records" or "counts").

    ``year`` is the financial year of entry into the process; "2024/25", "2024-2025"
    and "FY2024-25" are normalised to "2024-25". It is optional (files without it are
    read as one year), but WRES indicator 3 is defined on a two-year rolling average, so
    a file holding the current and the previous year with a ``year`` column is needed
    for the official figure (:func:`edi_analysis.wres.wres_indicator_3`).

    Parameters
    ----------
    source : str, path-like or pandas.DataFrame
    sheet : str or int, optional

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    InputError
    """
    return _read_cases(source, sheet, "disciplinary", schemas.DISCIPLINARY_SCHEMA,
                       schemas.DISCIPLINARY_COUNTS_SCHEMA,
                       schemas.DISCIPLINARY_COUNTS_BY_YEAR_SCHEMA)  # fmt: skip


def read_capability(source: PathOrFrame, sheet: str | int | None = None) -> pd.DataFrame:
    """Read and validate formal capability cases (WDES metric 3), record-level or as counts.

    Record-level: one row per employee entering the formal capability process on the
    grounds of performance (not ill health), with ``disability``, optionally
    ``ethnic_category`` and ``year`` (:data:`~edi_analysis.schemas.CAPABILITY_SCHEMA`).
    Aggregated: ``group_type`` ("Disability"), ``group`` ("Yes"/"No" or
    "Disabled"/"Non-disabled"), ``cases`` and optionally ``year``
    (:data:`~edi_analysis.schemas.CAPABILITY_COUNTS_SCHEMA`). ``attrs["form"]`` says
    which; years are normalised as in :func:`read_disciplinary`.

    Parameters
    ----------
    source : str, path-like or pandas.DataFrame
    sheet : str or int, optional

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    InputError
    """
    return _read_cases(source, sheet, "capability", schemas.CAPABILITY_SCHEMA,
                       schemas.CAPABILITY_COUNTS_SCHEMA,
                       schemas.CAPABILITY_COUNTS_BY_YEAR_SCHEMA)  # fmt: skip


def _prepare_group_type(df: pd.DataFrame, collector: _Collector) -> None:
    if "group_type" in df.columns:
        lookup = {"ethnicity": "Ethnicity", "ethnic group": "Ethnicity", "race": "Ethnicity",
                  "ethnic category": "Ethnicity", "disability": "Disability"}  # fmt: skip
        df["group_type"] = df["group_type"].map(
            lambda v: lookup.get(_norm(v), v) if isinstance(v, str) else v
        )


def read_training(source: PathOrFrame, sheet: str | int | None = None) -> pd.DataFrame:
    """Read and validate non-mandatory training access (one row per employee, ``accessed``).

    Parameters
    ----------
    source : str, path-like or pandas.DataFrame
    sheet : str or int, optional

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    InputError
    """
    return _read(source, "training", schemas.TRAINING_SCHEMA, sheet=sheet)


def read_board(source: PathOrFrame, sheet: str | int | None = None) -> pd.DataFrame:
    """Read and validate board membership (one row per member; ``voting``, ``executive``).

    ``executive`` accepts "Executive"/"Non-executive" as well as Yes/No.

    Parameters
    ----------
    source : str, path-like or pandas.DataFrame
    sheet : str or int, optional

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    InputError
    """
    return _read(source, "board", schemas.BOARD_SCHEMA, sheet=sheet)


_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


def _service_period(value: object) -> object:
    """"2025/26" -> "2025-26"; "Jul-25", "July 2025", "2025-07-01" -> "2025-07"."""
    if not isinstance(value, str):
        return value
    t = value.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-\d{1,2}(?:[ T][\d:.]+)?", t)  # an Excel date
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{int(m.group(2)):02d}"
    m = re.fullmatch(r"([A-Za-z]{3})[A-Za-z]*[\s\-/]*'?(\d{2}|\d{4})", t)  # Jul-25, July 2025
    if m and m.group(1).lower() in _MONTHS:
        year = int(m.group(2)) + (2000 if len(m.group(2)) == 2 else 0)
        return f"{year}-{_MONTHS[m.group(1).lower()]:02d}"
    return _financial_year(t)


_SERVICE_MEASURES = {
    "proportion": "proportion", "percentage": "proportion", "percent": "proportion",
    "pct": "proportion", "": "proportion", "share": "proportion", "rate": "rate",
    "crude rate": "rate", "per 1000": "rate", "per 1 000": "rate", "per 100000": "rate",
    "per 100 000": "rate", "per 10000": "rate", "per 10 000": "rate", "per 100": "rate",
}  # fmt: skip


def _service_measure(value: object) -> object:
    if not isinstance(value, str):
        return value
    return _SERVICE_MEASURES.get(_norm(value.replace("%", " percent ")), value)


def _service_quintile(value: object) -> object:
    """"Q1", "Quintile 1", "1 - most deprived", "1.0" -> "1"; "Not known" -> missing."""
    if not isinstance(value, str):
        return value
    t = _norm(value)
    if t in {"not known", "unknown", "missing", "n a", "na", "not stated", "no postcode"}:
        return np.nan
    m = re.fullmatch(r"(?:imd )?(?:quintile |q)?([1-5])(?: 0)?(?: (?:most|least) deprived)?", t)
    return m.group(1) if m else value


def _prepare_service_activity(df: pd.DataFrame, collector: _Collector) -> None:
    groups = [c for c in (*schemas.SERVICE_GROUP_COLUMNS, "lsoa_code") if c in df.columns]
    if not groups:
        collector.add(
            ", ".join(schemas.SERVICE_GROUP_COLUMNS),
            None,
            "(no group column)",
            "at least one group column: 'place', 'imd_quintile' or 'ethnic_group' (or "
            "'lsoa_code' on record-level data, from which IMD quintiles are assigned)",
        )
    if "lsoa_code" in df.columns:
        df["lsoa_code"] = df["lsoa_code"].map(lambda v: v.upper() if isinstance(v, str) else v)
    if "measure" not in df.columns:
        return
    if "multiplier" not in df.columns:
        df["multiplier"] = np.nan
    rate = df["measure"].eq("rate").fillna(False).to_numpy(dtype=bool)
    df["multiplier"] = df["multiplier"].where(~(rate & df["multiplier"].isna()), 1000.0)
    df.loc[~rate, "multiplier"] = 1.0
    if "indicator" not in df.columns:
        return
    for column in ("measure", "multiplier"):
        part = df[rate] if column == "multiplier" else df
        seen = part.dropna(subset=["indicator", column]).groupby("indicator", sort=True)[column]
        for indicator, values in seen:
            if values.nunique() > 1:
                first = values.iloc[0]
                other = values[values != first]
                shown = f"{first:g}" if column == "multiplier" else f"'{first}'"
                collector.add(
                    column,
                    other.index[0],
                    f"{other.iloc[0]:g}" if column == "multiplier" else other.iloc[0],
                    f"one {column} per indicator: '{indicator}' also has {column} {shown} "
                    f"(row {values.index[0]})",
                )
        if column == "measure" and any(v.nunique() > 1 for _, v in seen):
            return


def read_service_activity(source: PathOrFrame, sheet: str | int | None = None) -> pd.DataFrame:
    """Read and validate service activity counts (e.g. Talking Therapies recovery).

    Pre-aggregated, as service dashboards export it (one row per period x indicator x
    group), or record-level (one row per person, numerator and denominator 0/1) with
    ``lsoa_code``; see :data:`edi_analysis.schemas.SERVICE_ACTIVITY_SCHEMA`.

    Periods are normalised ("2025/26" -> "2025-26"; "Jul-25", "July 2025" and Excel dates
    -> "2025-07"); ``measure`` accepts "%", "Percentage" (-> "proportion") and "Per 1,000"
    (-> "rate"); ``imd_quintile`` accepts "Q1", "Quintile 1", "1 - most deprived" and
    "Not known" (-> blank, kept and reported as not known). ``multiplier`` is filled: 1 for
    proportions, 1,000 for rates without one.

    Parameters
    ----------
    source : str, path-like or pandas.DataFrame
    sheet : str or int, optional

    Returns
    -------
    pandas.DataFrame
        Canonical columns first (``period``, ``indicator``, ``measure``, ``multiplier``, the
        group columns present, ``numerator``, ``denominator``), then any others.

    Raises
    ------
    InputError
        Every problem, with file, column, spreadsheet row and what was expected: a missing
        column, no group column, a period, measure or quintile not recognised, a count that
        is not a whole number 0 or more, a proportion's numerator above its denominator, an
        indicator given with two measures or multipliers.
    """
    raw = _as_frame(source, "service_activity", sheet)
    _, found = _rename_columns(raw, "service_activity")
    normalisers = {"period": _service_period, "measure": _service_measure,
                   "imd_quintile": _service_quintile}  # fmt: skip
    for canonical, normaliser in normalisers.items():
        if canonical in found:
            raw[found[canonical]] = _by_unique(raw[found[canonical]], normaliser)
    try:
        return _read(raw, "service_activity", schemas.SERVICE_ACTIVITY_SCHEMA,
                     prepare=_prepare_service_activity)  # fmt: skip
    except InputError as exc:  # one line for the numerator > denominator check
        check = schemas.SERVICE_ACTIVITY_SCHEMA.checks[0].error
        problems = []
        for p in exc.problems:
            column, value = p.column, p.value
            if p.expected == check:  # pandera lists every column: keep the two that matter
                pairs = [part.split("=", 1) for part in (value or "").split(", ")]
                cells = {pair[0]: pair[1] for pair in pairs if len(pair) == 2}
                column = "numerator, denominator"
                value = (f"numerator {cells.get('numerator')}, "
                         f"denominator {cells.get('denominator')}")  # fmt: skip
            problems.append(InputProblem(p.file, column, p.row, value, p.expected,
                                         sheet=p.sheet, cell=p.cell))
        raise InputError(problems) from None


# --------------------------------------------------------------------------------------
# A whole folder
# --------------------------------------------------------------------------------------
INPUT_FILES: dict[str, tuple[Callable[..., pd.DataFrame], bool]] = {
    "staff_records": (read_staff_records, True),
    "previous_staff_records": (read_staff_records, False),
    "survey_results": (read_survey_results, False),
    "survey_responses": (read_survey_responses, False),
    "survey_nesting": (read_survey_nesting, False),
    "births": (read_births, False),
    "birth_counts": (read_birth_counts, False),
    "recruitment": (read_recruitment, False),
    "disciplinary": (read_disciplinary, False),
    "capability": (read_capability, False),
    "training": (read_training, False),
    "board": (read_board, False),
    "service_activity": (read_service_activity, False),
}
"""File stem -> (reader, required by default). Files are ``<stem>.csv``, ``<stem>.xlsx`` or
``<stem>.xls`` (case-insensitive), optionally prefixed ``synthetic_`` (demo data)."""

_EXTENSIONS = (".csv", ".xlsx", ".xls")
#: Extensions of files that look like data: such a file with an unknown name is reported.
_DATA_LIKE = (".csv", ".xlsx", ".xls", ".xlsm", ".tsv", ".txt", ".ods", ".json", ".parquet")


class OrgInputs(dict):
    """The validated inputs of a folder (stem -> DataFrame or None), with its warnings.

    A plain ``dict`` for every reader of the inputs; ``warnings`` holds the folder's
    :class:`~edi_analysis.errors.InputWarning` (files not read); each frame's own are in
    its ``attrs["warnings"]`` (see :func:`warnings_of`).
    """

    def __init__(self, *args, warnings: list[InputWarning] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.warnings = list(warnings or [])


def warnings_of(inputs: dict[str, pd.DataFrame | None]) -> list[InputWarning]:
    """Every warning of a run's inputs: the folder's, then each file's, in input order."""
    out = list(getattr(inputs, "warnings", []))
    for frame in inputs.values():
        if frame is not None:
            out += list(frame.attrs.get("warnings") or [])
    return out


def _stem_of(path: Path) -> str:
    stem = path.name.lower()
    for suffix in sorted(_DATA_LIKE, key=len, reverse=True):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return stem.removeprefix("synthetic_")


def _unrecognised_files(folder: Path, found: dict[str, Path | None]
                        ) -> tuple[list[InputProblem], list[InputWarning]]:
    """Files of the folder that no input reads: a close name is an error, others a warning."""
    used = {p for p in found.values() if p is not None}
    problems, warnings = [], []
    for path in sorted(folder.iterdir()):
        name = path.name
        if (path in used or not path.is_file() or name.startswith((".", "~$"))
                or not name.lower().endswith(_DATA_LIKE) or name.lower().startswith("readme")):
            continue
        stem = _stem_of(path)
        if stem in INPUT_FILES and found.get(stem) is None:
            problems.append(InputProblem(
                str(path), None, None, path.suffix, f"a .csv, .xlsx or .xls file for "
                f"'{stem}' (save it again in one of those formats)"))
            continue
        close = difflib.get_close_matches(stem, list(INPUT_FILES), n=1, cutoff=0.6)
        if close and found.get(close[0]) is None:
            problems.append(InputProblem(
                str(path), None, None, "(file name not recognised)",
                f"a known input name: did you mean {close[0]}{path.suffix.lower()}? "
                "(rename the file; it was not read)"))
        else:
            hint = f" (it is close to {close[0]}, which was read)" if close else ""
            warnings.append(InputWarning(name, f"not read: not a known input name{hint}",
                                         "A file of the input folder was not read: its "
                                         "name is not a known input name"))
    return problems, warnings


def _find_input(folder: Path, stem: str) -> Path | None:
    pattern = re.compile(rf"^(?:synthetic_)?{re.escape(stem)}(\.csv|\.xlsx|\.xls)$", re.IGNORECASE)
    hits = sorted(p for p in folder.iterdir() if p.is_file() and pattern.match(p.name))
    if len(hits) > 1:
        names = ", ".join(p.name for p in hits)
        raise InputError.single(
            str(folder), f"only one file for '{stem}' (found several: {names})", value=names
        )
    return hits[0] if hits else None


def load_org_inputs(
    data_dir: str | os.PathLike,
    required: Iterable[str] = ("staff_records",),
) -> dict[str, pd.DataFrame | None]:
    """Find, read and validate every known input file in a folder.

    Parameters
    ----------
    data_dir : str or path-like
        Folder holding the organisation's files, named by convention (see Notes).
    required : iterable of str, default ("staff_records",)
        Stems that must be present; absent optional files give None.

    Returns
    -------
    OrgInputs
        Stem -> validated DataFrame (or None when an optional file is absent), for every
        stem in :data:`INPUT_FILES` (a ``dict``; its ``warnings`` list the files not read).

    Raises
    ------
    InputError
        If the folder or a required file is missing (naming the file expected), a file's
        name is close to an input's but not it (``birth.csv``: the closest name is
        suggested), or any file breaks its contract. Problems from all files are reported
        together.
    ValueError
        If ``required`` names an unknown input.

    Notes
    -----
    Conventional names, each ``.csv``, ``.xlsx`` or ``.xls``, optionally prefixed
    ``synthetic_``: ``staff_records``, ``previous_staff_records`` (the snapshot a year
    earlier, for trends), ``survey_results``, ``survey_responses``,
    ``births``, ``birth_counts``, ``recruitment``, ``disciplinary``, ``capability``,
    ``training``, ``board``.
    """
    required = list(required)
    unknown = [r for r in required if r not in INPUT_FILES]
    if unknown:
        raise ValueError(f"unknown input(s) {unknown}; known: {list(INPUT_FILES)}")
    folder = Path(data_dir)
    if not folder.is_dir():
        raise InputError.single(str(folder), "an existing folder of input files", value=str(folder))
    problems: list[InputProblem] = []
    out = OrgInputs()
    found: dict[str, Path | None] = {}
    for stem in INPUT_FILES:
        try:
            found[stem] = _find_input(folder, stem)
        except InputError as exc:
            problems.extend(exc.problems)
            found[stem] = None
    misnamed, out.warnings = _unrecognised_files(folder, found)
    for stem, (reader, _) in INPUT_FILES.items():
        path = found[stem]
        out[stem] = None
        if path is None:
            if stem in required and not any(stem in p.expected for p in misnamed):
                problems.append(
                    InputProblem(
                        str(folder / f"{stem}.csv"),
                        None,
                        None,
                        "(file missing)",
                        f"a file named {stem}.csv or {stem}.xlsx in {folder}",
                    )
                )
            continue
        try:
            out[stem] = reader(path)
        except InputError as exc:
            problems.extend(exc.problems)
    problems += misnamed
    if problems:
        raise InputError(problems)
    return out
