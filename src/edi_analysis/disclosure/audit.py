"""Last-line-of-defence disclosure audit of a staged report run, before it is published.

Every published number should already have been through :mod:`edi_analysis.suppression`.
This module does not trust that: it reads what a run is about to publish (the CSV
tables, the executed notebooks and the rendered report) and looks for anything that
could identify a person. The pipeline calls :func:`check_run` (or :func:`audit_run`)
after rendering and before publishing; any finding means nothing is published.

What is read (paths relative to the staging folder)
---------------------------------------------------
* ``**/*.csv`` - the published tables (``processed/tables/*.csv``).
* ``notebooks/*.ipynb`` (any depth) - every output of every cell (``text/html``,
  ``text/markdown``, ``text/plain``, JSON and plotly MIME types, streams, errors) except
  binary images, plus cell sources and markdown cells.
* ``_report/**/*.html`` - the rendered report; inline ``<script>`` blocks without a
  ``Plotly.newPlot`` call (the plotly.js library) are skipped. ``_report/**/*.pdf`` is
  read for identifiers when :mod:`pypdf` is installed (the PDF is printed from the HTML,
  or typeset from the same notebook outputs, so it is covered by those checks anyway).

The rules are listed in :func:`audit_run`.
"""

from __future__ import annotations

import base64
import bisect
import csv
import json
import logging
import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from edi_analysis.disclosure.attack import (
    Observation,
    Ratio,
    ReaderJob,
    Target,
    reader_bounds_all,
)
from edi_analysis.disclosure.manifest import (
    Manifest,
    Published,
    read_ledger,
    read_manifest,
    read_published,
)
from edi_analysis.disclosure.model import CellKey, Population
from edi_analysis.disclosure.policy import SuppressionPolicy, get_policy

__all__ = [
    "CHECKS",
    "attack_published",
    "AuditTable",
    "DisclosureAuditError",
    "Finding",
    "audit_run",
    "check_run",
    "format_findings",
    "is_count_column",
    "is_identifier_column",
]

log = logging.getLogger(__name__)

#: Check names used in :attr:`Finding.check`.
CHECKS = {
    "identifier": "a record identifier of the inputs appears in an output",
    "raw_records": "an output holds person-level records",
    "small_count": "a count below the suppression threshold is published",
    "rounding": "a count is not rounded to the policy's base",
    "differencing": "a hidden count can be worked out from published figures",
    "chart_raw_values": "a chart carries individual values",
    "narrative_small_count": "a sentence states a small number of people",
    "unmodelled": "a published figure the disclosure model does not describe",
    "unreadable": "an output could not be read, so it was not audited",
}


# --------------------------------------------------------------------------------------
# findings
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    """One possible disclosure in a staged run.

    Attributes
    ----------
    file : str
        Path of the output file, relative to the staging folder.
    location : str
        Where in the file: ``column 'count', row 3`` for a CSV; ``cell 7 (tbl-bands),
        output 0 text/html, table 1, column 'n', row 2`` for a notebook; ``near
        #fig-x, line 120`` for the report.
    check : str
        Which rule (a key of :data:`CHECKS`).
    what : str
        What is wrong, in words.
    value : str
        The offending value as published (shortened to 80 characters).
    """

    file: str
    location: str
    check: str
    what: str
    value: str

    @property
    def where(self) -> str:
        """File and location together."""
        return f"{self.file}: {self.location}" if self.location else self.file


class DisclosureAuditError(RuntimeError):
    """The audit found possible disclosures; the message lists every finding."""

    def __init__(self, findings: list[Finding]):
        self.findings = list(findings)
        super().__init__(format_findings(self.findings))


def format_findings(findings: Iterable[Finding], limit: int | None = 200) -> str:
    """Return the findings as a message for the analyst (empty list: a pass line).

    Parameters
    ----------
    findings : iterable of Finding
    limit : int or None, default 200
        Most findings listed (the rest are counted); None lists all.

    Returns
    -------
    str
        One line per finding, grouped by file, each naming the location, the rule, what
        is wrong and the value.
    """
    items = list(findings)
    if not items:
        return "Disclosure audit passed: no findings."
    lines = [
        f"Disclosure audit failed with {len(items)} finding(s); nothing was published.",
        "Each may identify a person: fix the section that produced it (suppress, round, "
        "aggregate or drop the value) and build again.",
    ]
    current = None
    shown = sorted(items, key=lambda x: x.file)  # stable: each file in reading order
    if limit is not None:
        shown = shown[:limit]
    for f in shown:
        if f.file != current:
            current = f.file
            lines.append(f"{f.file}:")
        lines.append(f"  - {f.location or '(whole file)'} [{f.check}]: {f.what}; value {f.value!r}")
    if len(shown) < len(items):
        lines.append(f"... and {len(items) - len(shown)} more finding(s).")
    return "\n".join(lines)


def _short(value: object, limit: int = 80) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --------------------------------------------------------------------------------------
# column conventions
# --------------------------------------------------------------------------------------
def _norm_name(name: object) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")


_ID_NAME = re.compile(r"^(?:id|.+_id|.+_number|nhs_no)$")


def is_identifier_column(name: object) -> bool:
    """True for an input column holding record identifiers.

    Notes
    -----
    The name (lower case, non-alphanumerics as ``_``) is ``id``, ends in ``_id``
    (``employee_id``, ``baby_id``, ``respondent_id``, ``applicant_id``, ``member_id``),
    ends in ``_number`` (``assignment_number``, ``nhs_number``) or is ``nhs_no``.
    """
    return bool(_ID_NAME.match(_norm_name(name)))


_COUNT_EXACT = {
    "count",
    "counts",
    "n",
    "headcount",
    "head_count",
    "numerator",
    "denominator",
    "events",
    "respondents",
    "frequency",
    "freq",
    "number",
    "births",
    "cases",
    "total",
    "total_count",
}
_COUNT_PREFIX = (
    "count_",
    "n_",
    "num_",
    "number_",
    "numerator_",
    "denominator_",
    "events_",
    "headcount_",
)
_COUNT_SUFFIX = (
    "_count",
    "_counts",
    "_n",
    "_headcount",
    "_numerator",
    "_denominator",
    "_events",
    "_respondents",
    "_num",
    "_total",
    "_base",
)
_NOT_COUNT_SUFFIX = ("_pct", "_share", "_prop", "_rate", "_percent", "_ratio")
#: Last name parts saying a display column counts people or events (``Total births``).
_PEOPLE = {
    "births",
    "stillbirths",
    "deaths",
    "babies",
    "mothers",
    "women",
    "men",
    "people",
    "staff",
    "employees",
    "respondents",
    "applicants",
    "leavers",
    "starters",
    "cases",
    "members",
    "colleagues",
    "recovered",
    "appointed",
    "shortlisted",
}
#: Name parts saying a count is of something other than people (or not a count at all).
_NOT_PEOPLE = {
    "quintiles",
    "deciles",
    "groups",
    "years",
    "peers",
    "organisations",
    "orgs",
    "trusts",
    "icbs",
    "ccgs",
    "questions",
    "categories",
    "places",
    "areas",
    "lsoas",
    "periods",
    "quarters",
    "indicators",
    "metrics",
    "bands",
    "items",
    "pay",
    "hours",
    "salary",
    "cost",
    "fte",
}


def is_count_column(name: object) -> bool:
    """True when a column's name says it holds counts of people or events.

    Notes
    -----
    The convention (on the name in lower case with non-alphanumerics as ``_``):

    * exactly one of ``count``, ``counts``, ``n``, ``headcount``, ``head_count``,
      ``numerator``, ``denominator``, ``events``, ``respondents``, ``frequency``,
      ``freq``, ``number``, ``births``, ``cases``, ``total``;
    * or starting with ``count_``, ``n_``, ``num_``, ``number_`` (``Number of staff``),
      ``numerator_``, ``denominator_``, ``events_``, ``headcount_``;
    * or ending with ``_count(s)``, ``_n``, ``_headcount``, ``_numerator``,
      ``_denominator``, ``_events``, ``_respondents`` (``n_respondents``), ``_num``,
      ``_total`` (``cluster_total``), ``_base`` (``workforce_base``);
    * or, for display headers, whose last word counts people or events: ``births``,
      ``stillbirths``, ``deaths``, ``babies``, ``mothers``, ``women``, ``men``,
      ``people``, ``staff``, ``employees``, ``respondents``, ``applicants``,
      ``leavers``, ``starters``, ``cases``, ``members``, ``colleagues``, ``recovered``,
      ``appointed``, ``shortlisted`` (``Total births``, ``People recovered``);
    * but never a name containing ``%``, ``percent``, ``per`` or ``rate``, nor ending
      with ``_pct``, ``_share``, ``_prop``, ``_rate``, ``_percent`` or ``_ratio``
      (those are percentages, see ``docs/DESIGN.md``), and never with a
      name part saying the units are not people (``n_quintiles``, ``n_peers``,
      ``Peers (n)``, ``n_groups``, ``n_years``, ``n_questions``, ``total_pay``, ...).

    In a table, a column ``X`` with a sibling ``X_symbol`` column (how
    :mod:`edi_analysis.suppression` marks hidden cells in wide tables) is a count
    column too, whatever its name (``Disabled``, ``BME``).

    Counts published under other names (``Female``, ``White``) without ``_symbol``
    siblings escape the small-count rule; name count columns by this convention.
    """
    n = _norm_name(name)
    parts = n.split("_")
    if (
        not n
        or re.search(r"%|percent|\bper\b|\brate\b", str(name).lower())
        or n.endswith(_NOT_COUNT_SUFFIX)
        or _NOT_PEOPLE.intersection(parts)
    ):
        return False
    return (
        n in _COUNT_EXACT
        or n.startswith(_COUNT_PREFIX)
        or n.endswith(_COUNT_SUFFIX)
        or parts[-1] in _PEOPLE
    )


_AGGREGATE_NAME = re.compile(
    r"(mean|median|avg|average|pct|percent|share|prop|rate|ratio|value|total|gap|lower|"
    r"upper|sum|min|max|std|index|score|likelihood|difference)"
)
_NUMBER = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?$")
_LEADING_NUMBER = re.compile(r"^\s*([-+]?\d[\d,]*(?:\.\d+)?)\s*(?:\(|$)")


def _parse_number(text: object) -> float | None:
    """A published cell as a number: ``"1,234"``, ``"3"``, ``"3 (2.0%)"``; else None."""
    if text is None:
        return None
    if isinstance(text, (int, float, np.integer, np.floating)) and not isinstance(text, bool):
        value = float(text)
        return value if np.isfinite(value) else None
    s = str(text).strip()
    if not s:
        return None
    m = _NUMBER.match(s) or _LEADING_NUMBER.match(s)
    if not m:
        return None
    token = m.group(1) if m.groups() else m.group(0)
    if "," in token and not re.fullmatch(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?", token):
        return None  # "1,2" is a list, not a number
    try:
        value = float(token.replace(",", ""))
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def _norm_value(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if value is pd.NA or value is pd.NaT:
        return ""
    number = _parse_number(value)
    if number is not None:
        return str(int(number)) if number == int(number) else repr(round(number, 6))
    return re.sub(r"\s+", " ", str(value).strip().lower())


# --------------------------------------------------------------------------------------
# identifiers: whole-token matching
# --------------------------------------------------------------------------------------
_ATOM = re.compile(r"[A-Za-z0-9_]+")
_WORD = re.compile(r"[A-Za-z0-9_]")
_JOINERS = "-."


def _is_word(ch: str) -> bool:
    return bool(_WORD.match(ch))


class _IdentifierIndex:
    """Every identifier value of the inputs, found in text as whole tokens only.

    A match must not be glued to more of a token: the character before it is not a
    letter, digit or ``_``, nor a ``-``/``.`` that follows one; the same after it. So
    ``1234`` matches in ``id 1234.`` and ``"1234",`` but not in ``12345``, ``2012-34``
    style ``x-1234``, ``1234-56`` or ``0.1234``. A numeric identifier also matches as
    ``1234.0`` (how pandas writes an integer column with gaps). Matching ignores case.
    """

    def __init__(self, values: Mapping[str, str]):
        # values: identifier (lower case) -> source ("staff_records.employee_id")
        self.source = dict(values)
        self.by_atom: dict[str, list[tuple[int, str]]] = {}
        for ident in self.source:
            first = _ATOM.search(ident)
            if first is None:
                continue
            self.by_atom.setdefault(first.group(0), []).append((first.start(), ident))

    def __len__(self) -> int:
        return len(self.source)

    def find(self, text: str) -> Iterator[tuple[int, str, str]]:
        """Yield (position, identifier as written, source) for each whole-token match."""
        if not self.by_atom or not text:
            return
        if self.by_atom.keys().isdisjoint(_ATOM.findall(text.lower())):
            return  # the usual case, decided at C speed
        seen: set[tuple[int, str]] = set()
        for m in _ATOM.finditer(text):
            candidates = self.by_atom.get(m.group(0).lower())
            if not candidates:
                continue
            for offset, ident in candidates:
                start = m.start() - offset
                end = start + len(ident)
                if start < 0 or text[start:end].lower() != ident:
                    continue
                if start > 0 and (
                    _is_word(text[start - 1])
                    or (text[start - 1] in _JOINERS and start > 1 and _is_word(text[start - 2]))
                ):
                    continue
                if ident.isdigit():
                    tail = re.match(r"\.0+", text[end:])
                    if tail and not (
                        end + tail.end() < len(text) and _is_word(text[end + tail.end()])
                    ):
                        end += tail.end()
                if end < len(text) and (
                    _is_word(text[end])
                    or (text[end] in _JOINERS and end + 1 < len(text) and _is_word(text[end + 1]))
                ):
                    continue
                if (start, ident) in seen:
                    continue
                seen.add((start, ident))
                yield start, text[start:end], self.source[ident]


def _identifier_values(
    inputs: Mapping[str, pd.DataFrame | None], min_id_length: int
) -> tuple[dict[str, str], dict[str, int]]:
    values: dict[str, str] = {}
    skipped: dict[str, int] = {}
    for name, frame in inputs.items():
        if frame is None:
            continue
        for col in frame.columns:
            if not is_identifier_column(col):
                continue
            source = f"{name}.{col}"
            for raw in pd.unique(frame[col].dropna()):
                if isinstance(raw, (float, np.floating)) and float(raw).is_integer():
                    text = str(int(raw))
                else:
                    text = str(raw).strip()
                if len(text) < min_id_length or _ATOM.search(text) is None:
                    skipped[source] = skipped.get(source, 0) + 1
                    continue
                values.setdefault(text.lower(), source)
    return values, skipped


# --------------------------------------------------------------------------------------
# tables in outputs
# --------------------------------------------------------------------------------------
@dataclass
class AuditTable:
    """A published table as text: header labels and body rows (as displayed)."""

    columns: list[str]
    rows: list[list[str]]
    location: str = ""


class _TableParser(HTMLParser):
    """Collect the ``<table>`` elements of an HTML fragment (header row + body rows)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict[str, Any]] = []
        self._stack: list[dict[str, Any]] = []
        self._cell: list[str] | None = None
        self._row: list[tuple[str, str, int, int]] | None = None
        self._cell_tag = ""
        self._spans = (1, 1)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._stack.append({"head": [], "body": [], "section": "body", "rows": []})
        elif not self._stack:
            return
        elif tag in ("thead", "tbody", "tfoot"):
            self._stack[-1]["section"] = tag
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            self._cell_tag = tag
            given = dict(attrs)
            self._spans = tuple(
                int(v) if v.strip().isdigit() and int(v) > 0 else 1
                for v in (given.get("colspan") or "1", given.get("rowspan") or "1")
            )

    def handle_endtag(self, tag: str) -> None:
        if not self._stack:
            return
        table = self._stack[-1]
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            text = re.sub(r"\s+", " ", "".join(self._cell)).strip()
            self._row.append((text, self._cell_tag, *self._spans))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            table["rows"].append((table["section"], self._row))
            self._row = None
        elif tag == "table":
            self.tables.append(self._stack.pop())

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _html_tables(fragment: str) -> list[AuditTable]:
    parser = _TableParser()
    try:
        parser.feed(fragment)
        parser.close()
    except Exception as exc:  # malformed HTML must not stop the audit
        log.warning("Could not parse an HTML table (%s); identifiers are still checked.", exc)
    out = []
    for k, table in enumerate(parser.tables, start=1):
        rows = table["rows"]
        head = [r for s, r in rows if s == "thead"]
        body = [r for s, r in rows if s in ("tbody", "body")]
        if not head and body and all(c[1] == "th" for c in body[0]):
            head, body = [body[0]], body[1:]
        header = _header_labels(head)
        width = len(header)
        cells = [[c[0] for c in r] for r in body]
        if width:
            cells = [r for r in cells if len(r) == width]
        out.append(AuditTable(columns=header, rows=cells, location=f"table {k}"))
    return out


def _header_labels(rows: list[list[tuple[str, str, int, int]]]) -> list[str]:
    """Column labels of a header block: the lowest cell over each column.

    Row and column spans are laid out on a grid, so a stub head spanning two header
    rows, spanners over several columns and a title row across the table all land on
    the right columns.
    """
    grid: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        c = 0
        for text, _, colspan, rowspan in row:
            while (r, c) in grid:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text
            c += colspan
    if not grid:
        return []
    width = max(c for _, c in grid) + 1
    last = max(r for r, _ in grid)
    labels = []
    for c in range(width):
        filled = [r for r in range(last + 1) if (r, c) in grid]
        labels.append(grid[(filled[-1], c)] if filled else "")
    return labels


def _read_csv(path: Path) -> AuditTable:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        return AuditTable(columns=[], rows=[])
    return AuditTable(columns=rows[0], rows=rows[1:])


# --------------------------------------------------------------------------------------
# plotly figures in HTML
# --------------------------------------------------------------------------------------
_NEWPLOT = re.compile(r"Plotly\.(?:newPlot|react)\(\s*")


def _decode_typed_arrays(obj: Any) -> Any:
    """Replace plotly's base64 typed arrays (``{"dtype", "bdata"}``) by lists."""
    if isinstance(obj, dict):
        if "bdata" in obj and "dtype" in obj:
            try:
                arr = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=np.dtype(obj["dtype"]))
                shape = obj.get("shape")
                if shape:
                    dims = [int(s) for s in str(shape).split(",")]
                    arr = arr.reshape(dims)
                return arr.tolist()
            except (ValueError, TypeError):
                return obj
        return {k: _decode_typed_arrays(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decode_typed_arrays(v) for v in obj]
    return obj


def _plotly_figures(text: str) -> list[tuple[int, dict[str, Any]]]:
    """(offset, {"data": [...], "layout": {...}}) for each ``Plotly.newPlot`` call."""
    decoder = json.JSONDecoder()
    figures = []
    for m in _NEWPLOT.finditer(text):
        pos = m.end()
        args = []
        try:
            for _ in range(3):
                value, end = decoder.raw_decode(text, pos)
                args.append(value)
                pos = end
                while pos < len(text) and text[pos] in " \t\r\n,":
                    pos += 1
        except ValueError:
            pass
        if len(args) >= 2 and isinstance(args[1], list):
            layout = args[2] if len(args) > 2 and isinstance(args[2], dict) else {}
            figures.append(
                (
                    m.start(),
                    {"data": _decode_typed_arrays(args[1]), "layout": _decode_typed_arrays(layout)},
                )
            )
        else:
            log.warning("A Plotly.newPlot call could not be parsed; its data was not audited.")
    return figures


def _leaves(obj: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "template":
                continue  # plotly's theme, not data
            yield from _leaves(v, f"{path}.{k}" if path else str(k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _leaves(v, f"{path}[{i}]")
    else:
        yield path, obj


_COUNT_WORDS = re.compile(
    r"\b(count|counts|headcount|number of|numerator|denominator|events|respondents|"
    r"n|people|staff|births|cases|frequency)\b"
)
_NOT_COUNT_WORDS = re.compile(
    r"(%|percent|\brates?\b|per\s|proportion|share|ratio|likelihood|mean|median|average|"
    r"pay gap|hourly|£|score|index|points|\bgap\b|difference)"
)


def _says_count(*texts: object) -> bool:
    joined = " ".join(str(t) for t in texts if isinstance(t, str))
    joined = re.sub(r"%\{[^}]*\}|<extra>.*?</extra>|<[^>]+>", " ", joined).lower()
    return bool(_COUNT_WORDS.search(joined)) and not _NOT_COUNT_WORDS.search(joined)


def _axis_title(layout: Mapping[str, Any], axis_ref: object, letter: str) -> str:
    ref = str(axis_ref or letter)
    key = f"{letter}axis{ref[1:]}" if len(ref) > 1 else f"{letter}axis"
    axis = layout.get(key) or {}
    title = axis.get("title") if isinstance(axis, dict) else None
    if isinstance(title, dict):
        return str(title.get("text") or "")
    return str(title or "")


# --------------------------------------------------------------------------------------
# the audit
# --------------------------------------------------------------------------------------
_NARRATIVE = re.compile(
    r"\b(\d[\d,]*)\s+(?:members of staff|staff|people|persons?|employees?|women|men|mothers?|"
    r"babies|births|stillbirths|deaths|respondents|applicants|cases|colleagues|leavers|"
    r"starters|members)\b(?!\s+(?:groups?|bands?|networks?|categories|members))"
    r"|\bn\s*=\s*(\d[\d,]*)\b",
    re.IGNORECASE,
)
_N_EQUALS = re.compile(r"\bn\s*=\s*(\d[\d,]*)\b", re.IGNORECASE)
#: Public reference counts (Census 2021 populations), already disclosure-controlled by ONS.
_PUBLIC_PARTS = {"population", "census", "residents"}
_PUBLIC_TABLES = ("population", "census")
_TOTAL_COLUMNS = {"total", "all", "headcount", "total_count", "n", "overall", "all_staff"}
_NOT_MEMBER = re.compile(r"(^|_)(denominator|base|total|previous|display)(_|$)")
_TOTAL_LABELS = {"total", "all", "overall", "all staff", "grand total", "organisation total"}
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+")
_ANCHOR = re.compile(r"""\bid=["']([^"']+)["']""")
_BINARY_MIME = ("image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf")


@dataclass
class _Auditor:
    stage: Path
    policy: SuppressionPolicy
    ids: _IdentifierIndex
    records: dict[str, pd.DataFrame]
    survey_policy: SuppressionPolicy | None = None
    findings: list[Finding] = field(default_factory=list)
    modelled: set[Path] = field(default_factory=set)
    #: Every published table is declared to the disclosure model, so the tables rendered
    #: in notebooks and the report (drawn from the same finished frames) are checked by
    #: the exact attacker, which knows what each cell counts and which groups are not
    #: protected ("Not known"); the table-by-table differencing heuristic is then not
    #: applied to them (small counts and identifiers still are).
    rendered_modelled: bool = False
    _tuples: dict[tuple[str, tuple[str, ...]], Counter] = field(default_factory=dict)

    # ---------------------------------------------------------------- helpers
    def add(self, file: Path | str, location: str, check: str, what: str, value: object) -> None:
        rel = file if isinstance(file, str) else self._rel(file)
        self.findings.append(Finding(rel, location, check, what, _short(value)))

    def _rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.stage).as_posix()
        except ValueError:
            return str(path)

    def _policy_for(self, column: object) -> SuppressionPolicy:
        """The survey policy for respondent counts, the run's policy for other counts."""
        if self.survey_policy is not None and _norm_name(column).endswith("respondents"):
            return self.survey_policy
        return self.policy

    def _small(self, value: float, policy: SuppressionPolicy | None = None) -> str | None:
        """Why a published count breaks the policy, or None."""
        p = policy or self.policy
        if p.max_suppressed and 0 < value < p.max_suppressed + 1:
            return "small_count"
        if p.suppress_zeros and value == 0:
            return "small_count"
        if p.rounding_base and value % p.rounding_base != 0:
            return "rounding"
        return None

    def _small_message(self, check: str, policy: SuppressionPolicy | None = None) -> str:
        p = policy or self.policy
        if check == "rounding":
            return (
                f"count not rounded to a multiple of {p.rounding_base} as policy "
                f"{p.name!r} requires"
            )
        return (
            f"count between 1 and {p.max_suppressed} published; policy {p.name!r} "
            f"shows such counts as {p.symbol!r}"
        )

    # ---------------------------------------------------------------- identifiers
    def check_text(self, file: Path | str, location: str, text: str) -> None:
        for _, found, source in self.ids.find(text):
            self.add(
                file, location, "identifier", f"record identifier from input column {source}", found
            )

    def check_html_text(
        self, file: Path | str, location: str, text: str, locate: _HtmlLocator | None = None
    ) -> None:
        """Identifiers in an HTML document; library scripts skipped, positions named."""
        cleaned = _SCRIPT.sub(
            lambda m: m.group(0) if "newPlot" in m.group(1) else " " * len(m.group(0)), text
        )
        cleaned = _DATA_URI.sub(lambda m: " " * len(m.group(0)), cleaned)
        if locate is None:
            self.check_text(file, location, cleaned)
            return
        for pos, found, source in self.ids.find(cleaned):
            self.add(
                file,
                locate(pos),
                "identifier",
                f"record identifier from input column {source}",
                found,
            )

    # ---------------------------------------------------------------- tables
    def check_table(self, file: Path | str, table: AuditTable, prefix: str,
                    modelled: bool = False) -> None:
        where = ", ".join(x for x in (prefix, table.location) if x)
        cols = table.columns
        symbol_cols = {_norm_name(c) for c in cols if _norm_name(c).endswith("_symbol")}
        public_table = Path(str(file)).name.lower().startswith(_PUBLIC_TABLES)
        counts = [
            j
            for j, c in enumerate(cols)
            if (is_count_column(c) or f"{_norm_name(c)}_symbol" in symbol_cols)
            and not public_table
            and not _PUBLIC_PARTS.intersection(_norm_name(c).split("_"))
        ]
        for j in counts:
            policy = self._policy_for(cols[j])
            for i, row in enumerate(table.rows, start=1):
                if j >= len(row):
                    continue
                value = _parse_number(row[j])
                if value is None:
                    continue
                check = self._small(value, policy)
                if check:
                    self.add(
                        file,
                        _cell(where, cols[j], i),
                        check,
                        self._small_message(check, policy),
                        row[j],
                    )
        if self.policy.max_suppressed:
            for j, col in enumerate(cols):
                for m in _N_EQUALS.finditer(str(col)):
                    value = _parse_number(m.group(1))
                    if value is not None and 0 < value <= self.policy.max_suppressed:
                        self.add(
                            file,
                            f"{where + ', ' if where else ''}header of column {j + 1}",
                            "small_count",
                            self._small_message("small_count"),
                            col,
                        )
        if not modelled:
            self._check_differencing(file, table, where, counts)
        self._check_raw_records(file, table, where, counts)

    def _check_differencing(
        self, file: Path | str, table: AuditTable, where: str, counts: list[int]
    ) -> None:
        cols, rows = table.columns, table.rows
        symbols = {"", self.policy.symbol, self.policy.complement_symbol, "*", "<5", "-"}
        # 1. A single hidden count in a column whose total row is published.
        total_rows = [
            i for i, r in enumerate(rows) if any(str(c).strip().lower() in _TOTAL_LABELS for c in r)
        ]
        if len(total_rows) == 1:
            t = total_rows[0]
            for j in counts:
                if j >= len(rows[t]):
                    continue
                total = _parse_number(rows[t][j])
                if total is None:
                    continue
                body = [(i, r[j]) for i, r in enumerate(rows) if i != t and j < len(r)]
                hidden = [i for i, v in body if _parse_number(v) is None and v.strip() in symbols]
                shown = [_parse_number(v) for _, v in body]
                shown_sum = sum(v for v in shown if v is not None)
                if len(hidden) == 1 and shown_sum < total:
                    self.add(
                        file,
                        _cell(where, cols[j], hidden[0] + 1),
                        "differencing",
                        f"the only hidden cell of column {cols[j]!r} equals its total "
                        f"({_short(rows[t][j])}) minus the other published cells",
                        rows[hidden[0]][j],
                    )
        # 2. A single hidden count in a row whose total column is published.
        totals = [j for j in counts if _norm_name(cols[j]) in _TOTAL_COLUMNS]
        if len(totals) == 1:
            t = totals[0]
            members = [j for j in counts if j != t and not _NOT_MEMBER.search(_norm_name(cols[j]))]
            for i, row in enumerate(rows, start=1):
                if len(members) < 2 or max(t, *members) >= len(row):
                    continue
                total = _parse_number(row[t])
                hidden = [
                    j
                    for j in members
                    if _parse_number(row[j]) is None and row[j].strip() in symbols
                ]
                shown_sum = sum(_parse_number(row[j]) or 0.0 for j in members)
                if total is not None and len(hidden) == 1 and shown_sum < total:
                    j = hidden[0]
                    self.add(
                        file,
                        _cell(where, cols[j], i),
                        "differencing",
                        f"the only hidden count of row {i} equals its {cols[t]!r} "
                        f"({_short(row[t])}) minus the other published counts",
                        row[j],
                    )
        # 3. A hidden numerator next to its published denominator and value.
        names = {_norm_name(c): j for j, c in enumerate(cols)}
        for name, j_num in names.items():
            if not name.startswith("numerator"):
                continue
            suffix = name[len("numerator") :]
            j_den = names.get(f"denominator{suffix}")
            values = [names[v] for v in (f"value{suffix}", f"rate{suffix}") if v in names]
            values += [
                k
                for n, k in names.items()
                if n.endswith(("_pct", "_share", "_prop")) and n.endswith(suffix)
            ]
            if j_den is None or not values:
                continue
            for i, row in enumerate(rows, start=1):
                if max(j_num, j_den, *values) >= len(row):
                    continue
                num = row[j_num].strip()
                den = _parse_number(row[j_den])
                shown_values = [row[k] for k in values if _parse_number(row[k]) is not None]
                if _parse_number(num) is None and num in symbols and den and shown_values:
                    self.add(
                        file,
                        _cell(where, cols[j_num], i),
                        "differencing",
                        f"hidden numerator is recoverable from the published value "
                        f"and denominator ({_short(row[j_den])})",
                        f"{num} ({shown_values[0]})",
                    )

    def _individual_values(self, values: object) -> str | None:
        """The input column (``input.column``) that >= 90% of ``values`` come from, if any."""
        if not isinstance(values, list) or len(values) < 2:
            return None
        normed = [_norm_value(v) for v in values if not isinstance(v, (list, dict))]
        for name, frame in self.records.items():
            for col in frame.columns:
                if col == "data_label":
                    continue
                key = (name, (col,))
                if key not in self._tuples:
                    self._tuples[key] = Counter(zip(frame[col].map(_norm_value), strict=True))
                universe = self._tuples[key]
                if sum((v,) in universe for v in normed) >= 0.9 * len(normed):
                    return f"{name}.{col}"
        return None

    def _input_tuples(self, name: str, cols: tuple[str, ...]) -> Counter:
        key = (name, cols)
        if key not in self._tuples:
            frame = self.records[name]
            normed = [frame[c].map(_norm_value).tolist() for c in cols]
            self._tuples[key] = Counter(zip(*normed, strict=True))
        return self._tuples[key]

    def _check_raw_records(
        self, file: Path | str, table: AuditTable, where: str, counts: list[int]
    ) -> None:
        if not table.rows or not table.columns:
            return
        norm_cols = [_norm_name(c) for c in table.columns]
        count_values = [_parse_number(r[j]) for j in counts for r in table.rows if j < len(r)]
        aggregated = bool(counts) and any(v not in (None, 1.0) for v in count_values)
        has_aggregate_col = any(
            _AGGREGATE_NAME.search(c) for j, c in enumerate(norm_cols) if j not in counts
        )
        n_rows = len(table.rows)
        for name, frame in self.records.items():
            by_norm = {_norm_name(c): c for c in frame.columns if _norm_name(c) != "data_label"}
            shared = [(j, by_norm[c]) for j, c in enumerate(norm_cols) if c in by_norm]
            seen_cols: set[str] = set()
            shared = [(j, c) for j, c in shared if not (c in seen_cols or seen_cols.add(c))]
            if len(shared) < 2 or aggregated:
                continue
            in_cols = tuple(c for _, c in shared)
            universe = self._input_tuples(name, in_cols)
            tuples = [
                tuple(_norm_value(r[j]) if j < len(r) else "" for j, _ in shared)
                for r in table.rows
            ]
            found = sum(1 for t in tuples if t in universe)
            if found < 0.9 * n_rows:
                continue
            continuous = [
                c
                for c in in_cols
                if pd.api.types.is_float_dtype(frame[c]) and frame[c].nunique() > 20
            ]
            if n_rows >= len(frame):
                self.add(
                    file,
                    where or "whole table",
                    "raw_records",
                    f"{n_rows} rows matching the records of input {name!r} "
                    f"({len(frame)} rows) on columns {list(in_cols)}: a copy of the "
                    "records",
                    f"{n_rows} rows",
                )
            elif len(shared) >= 3 and (not has_aggregate_col or continuous):
                self.add(
                    file,
                    where or "whole table",
                    "raw_records",
                    f"{n_rows} rows with {len(shared)} personal columns of input "
                    f"{name!r} ({list(in_cols)}) and no counts: one row per person",
                    " | ".join(tuples[0]),
                )

    # ---------------------------------------------------------------- figures
    def check_figure(self, file: Path | str, location: str, figure: Mapping[str, Any]) -> None:
        layout = figure.get("layout") or {}
        for path, leaf in _leaves(layout):
            if isinstance(leaf, str):
                self.check_text(file, f"{location}, layout.{path}", leaf)
        for t, trace in enumerate(figure.get("data") or []):
            if not isinstance(trace, dict):
                continue
            name = trace.get("name") or ""
            here = f"{location}, trace {t}" + (f" ({name})" if name else "")
            for path, leaf in _leaves(trace):
                if isinstance(leaf, str):
                    self.check_text(file, f"{here}.{path}", leaf)
                elif isinstance(leaf, (int, float)) and not isinstance(leaf, bool):
                    if float(leaf).is_integer() and abs(leaf) >= 1000:
                        self.check_text(file, f"{here}.{path}", str(int(leaf)))
            kind = str(trace.get("type") or "scatter")
            if kind.startswith(("histogram", "box", "violin")) and "q1" not in trace:
                for axis in ("x", "y"):
                    column = self._individual_values(trace.get(axis))
                    if column:
                        self.add(
                            file,
                            here,
                            "chart_raw_values",
                            f"a {kind} trace is drawn from individual values of input column "
                            f"{column}, which are sent to the reader's browser; draw it from "
                            "published aggregates",
                            f"{kind} of {len(trace[axis])} values",
                        )
                        break
            sizes = {len(v) for v in trace.values() if isinstance(v, list)}
            for rec_name, frame in self.records.items():
                if len(frame) >= 20 and len(frame) in sizes:
                    self.add(
                        file,
                        here,
                        "chart_raw_values",
                        f"a trace has one point per record of input {rec_name!r} ({len(frame)})",
                        f"{len(frame)} points",
                    )
            self._check_trace_counts(file, here, trace, layout)

    def _check_trace_counts(
        self, file: Path | str, here: str, trace: Mapping[str, Any], layout: Mapping[str, Any]
    ) -> None:
        kind = str(trace.get("type") or "scatter")
        if kind == "pie":
            key, title = "values", ""
        elif kind in ("bar", "scatter", "funnel", "waterfall"):
            horizontal = trace.get("orientation") == "h"
            key = "x" if horizontal else "y"
            letter = "x" if horizontal else "y"
            title = _axis_title(layout, trace.get(f"{letter}axis"), letter)
        else:
            return
        if not _says_count(trace.get("name"), trace.get("hovertemplate"), title):
            return
        values = trace.get(key)
        if not isinstance(values, list):
            return
        for i, v in enumerate(values):
            number = _parse_number(v)
            if number is None:
                continue
            check = self._small(number)
            if check:
                self.add(file, f"{here}.{key}[{i}]", check, self._small_message(check), v)

    def check_narrative(self, file: Path | str, location: str, text: str) -> None:
        if not self.policy.max_suppressed:
            return
        for m in _NARRATIVE.finditer(text):
            number = _parse_number(m.group(1) or m.group(2))
            if number is not None and 0 < number <= self.policy.max_suppressed:
                self.add(
                    file,
                    location,
                    "narrative_small_count",
                    f"a sentence states a count between 1 and {self.policy.max_suppressed}",
                    m.group(0),
                )

    # ---------------------------------------------------------------- files
    def audit_csv(self, path: Path) -> None:
        rel = self._rel(path)
        try:
            table = _read_csv(path)
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            self.add(
                rel, "", "unreadable", f"CSV could not be read, so not audited: {exc}", path.name
            )
            return
        for j, col in enumerate(table.columns):
            self.check_text(rel, f"header, column {j + 1}", col)
        for i, row in enumerate(table.rows, start=1):
            for j, cell in enumerate(row):
                col = table.columns[j] if j < len(table.columns) else f"#{j + 1}"
                self.check_text(rel, _cell("", col, i), cell)
        self.check_table(rel, table, "", modelled=path.resolve() in self.modelled)

    def audit_html_fragment(self, file: str, where: str, html_text: str) -> None:
        self.check_html_text(file, where, html_text)
        for table in _html_tables(html_text):
            self.check_table(file, table, where, modelled=self.rendered_modelled)
        for k, (_, fig) in enumerate(_plotly_figures(html_text), start=1):
            self.check_figure(file, f"{where}, plotly figure {k}", fig)

    def audit_notebook(self, path: Path) -> None:
        rel = self._rel(path)
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            self.add(
                rel,
                "",
                "unreadable",
                f"notebook could not be read, so not audited: {exc}",
                path.name,
            )
            return
        for i, cell in enumerate(nb.get("cells", [])):
            source = _join(cell.get("source", ""))
            label = _cell_label(source)
            cell_where = f"cell {i}" + (f" ({label})" if label else "")
            self.check_text(rel, f"{cell_where}, source", source)
            for k, out in enumerate(cell.get("outputs", []) or []):
                kind = out.get("output_type")
                where = f"{cell_where}, output {k}"
                if kind == "stream":
                    self.check_text(
                        rel, f"{where} {out.get('name', 'stream')}", _join(out.get("text", ""))
                    )
                elif kind == "error":
                    text = "\n".join(
                        [str(out.get("evalue", "")), *[_join(t) for t in out.get("traceback", [])]]
                    )
                    self.check_text(rel, f"{where} error", text)
                elif kind in ("display_data", "execute_result"):
                    self._audit_bundle(rel, where, out.get("data") or {})

    def _audit_bundle(self, rel: str, where: str, data: Mapping[str, Any]) -> None:
        for mime, raw in data.items():
            if mime.startswith(_BINARY_MIME):
                continue
            here = f"{where} {mime}"
            if isinstance(raw, (dict, list)) and not (
                isinstance(raw, list) and all(isinstance(x, str) for x in raw)
            ):
                if "plotly" in mime and isinstance(raw, dict):
                    self.check_figure(rel, here, _decode_typed_arrays(raw))
                else:
                    for path, leaf in _leaves(raw):
                        self.check_text(rel, f"{here} {path}", str(leaf))
                continue
            text = _join(raw)
            if mime == "text/html":
                self.audit_html_fragment(rel, here, text)
            else:
                self.check_text(rel, here, text)
                if mime == "text/markdown":
                    self.check_narrative(rel, here, text)

    def audit_report_html(self, path: Path) -> None:
        rel = self._rel(path)
        text = path.read_text(encoding="utf-8", errors="replace")
        locate = _HtmlLocator(text)
        self.check_html_text(rel, "", text, locate)
        for k, table in enumerate(_html_tables(text), start=1):
            table.location = f"table {k}"
            self.check_table(rel, table, "", modelled=self.rendered_modelled)
        for k, (pos, fig) in enumerate(_plotly_figures(text), start=1):
            self.check_figure(rel, f"{locate(pos)}, plotly figure {k}", fig)

    def audit_pdf(self, path: Path) -> None:
        try:
            from pypdf import PdfReader
        except ImportError:
            log.info("pypdf not installed: %s not read (its content comes from the HTML).", path)
            return
        rel = self._rel(path)
        try:
            reader = PdfReader(str(path))
            for page_no, page in enumerate(reader.pages, start=1):
                self.check_text(rel, f"page {page_no}", page.extract_text() or "")
        except Exception as exc:  # a PDF library error must not pass silently
            self.add(
                rel, "", "unreadable", f"PDF could not be read, so not audited: {exc}", path.name
            )


def _join(value: object) -> str:
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return str(value)


def _cell_label(source: str) -> str:
    m = re.search(r"^\s*#\|\s*label:\s*(\S+)", source, re.MULTILINE)
    return m.group(1) if m else ""


def _cell(where: str, column: str, row: int) -> str:
    return ", ".join(x for x in (where, f"column {column!r}, row {row}") if x)


class _HtmlLocator:
    """Name a position in an HTML document: the last labelled element before it, and line."""

    def __init__(self, text: str):
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        anchors = [(m.start(), m.group(1)) for m in _ANCHOR.finditer(text)]
        labelled = [a for a in anchors if re.match(r"(tbl|fig|sec)-", a[1])]
        self.anchors = labelled or anchors
        self.starts = [a[0] for a in self.anchors]

    def __call__(self, pos: int) -> str:
        line = bisect.bisect_right(self.newlines, pos - 1) + 1
        k = bisect.bisect_right(self.starts, pos) - 1
        return f"near #{self.anchors[k][1]}, line {line}" if k >= 0 else f"line {line}"


def _required(true: float, low: float, high: float, level: float
              ) -> tuple[float | None, float | None]:
    """How far a reader's bounds must stay from ``true`` (the audit's own statement).

    The least value must be at most ``max(low, true - level)`` and the greatest at least
    ``min(high, true + level)``, where ``[low, high]`` is what the printed rule already
    says; a side with no room (the true value at the edge of what is printed) has no
    requirement.
    """
    need_low = max(low, true - level)
    need_high = min(high, true + level)
    return (need_low if need_low < true - 1e-9 else None,
            need_high if need_high > true + 1e-9 else None)


@dataclass
class _ModelAttack:
    """Rule 5: the attacker on every published table of the model together."""

    stage: Path
    tables_dir: Path
    ledgers: Sequence[Path]
    findings: list[Finding] = field(default_factory=list)
    published: list[Published] = field(default_factory=list)
    bounds_checked: int = 0
    manifest_dir: Path | None = None
    declared: set[str] = field(default_factory=set)

    def add(self, file: str, location: str, what: str, value: object,
            check: str = "differencing") -> None:
        self.findings.append(Finding(file, location, check, what, _short(value, 300)))

    def run(self) -> None:
        folder = self.manifest_dir or self.stage / "disclosure"
        manifests = [read_manifest(p) for p in sorted(folder.glob("*.json.gz"))]
        declared = {n for m in manifests for n in (*m.tables, *m.public)}
        self.declared = declared
        if self.tables_dir.is_dir():
            for path in sorted(self.tables_dir.glob("*.csv")):
                if path.stem not in declared:
                    self.add(f"tables/{path.name}", "", "a published table that is not "
                             "declared to the disclosure model, so its cells cannot be "
                             "checked against the other tables", path.name, "unmodelled")
        pops: dict[str, Population] = {}
        policies: dict[str, SuppressionPolicy] = {}
        obs: dict[str, list[Observation]] = {}
        ratios: dict[str, list[Ratio]] = {}
        truth: dict[CellKey, float] = {}
        together: list[tuple[CellKey, ...]] = []
        groups: dict[str, list] = {}
        for man in manifests:
            pub = read_published(man, self.tables_dir)
            self.published.append(pub)
            for file, where, what, value in pub.problems:
                self.add(file, where, what, value, "unmodelled")
            for name, pop in man.populations.items():
                pops.setdefault(name, pop)
                policies.setdefault(name, man.policies[name])
                groups.setdefault(name, []).extend(man.groups[name])
            truth.update(man.truth())
            for o in pub.observations:
                obs.setdefault(o.key.population, []).append(o)
            for r in pub.ratios:
                ratios.setdefault(r.numerator.population, []).append(r)
            together += _together(man)
        revised: dict[str, int] = {}
        for path in self.ledgers:
            ledger = read_ledger(path)
            for o in ledger.observations:
                if o.key.population in pops and _expressible(pops[o.key.population], o.key):
                    true = truth.get(o.key)
                    if true is not None and not o.low - 1e-9 <= true <= o.high + 1e-9:
                        # the same people, a different figure: revised data, or two
                        # reports built from different extracts (outside the model)
                        revised[o.key.population] = revised.get(o.key.population, 0) + 1
                        if revised[o.key.population] <= 3:
                            self.add(o.source.split(" row ")[0], str(o.key),
                                     f"last year's report published {o.text or 'a figure'} "
                                     f"for these people, this report's data give "
                                     f"{true:g}: the data were revised, or the reports were "
                                     "built from different extracts. Two figures for the "
                                     "same people let a reader difference them; build "
                                     "overlapping periods from the same data as last year",
                                     o.text, "revised")
                        continue
                    obs[o.key.population].append(o)
            for r in ledger.ratios:
                pop = pops.get(r.numerator.population)
                if pop is not None and _expressible(pop, r.numerator) and \
                        _expressible(pop, r.denominator):
                    ratios.setdefault(pop.name, []).append(r)
        jobs: list[ReaderJob] = []
        for name, pop in pops.items():
            targets = self._targets(pop, policies[name], obs.get(name, []), truth, together,
                                    groups.get(name, []))
            if targets:
                pol = policies[name]
                small = {x for x in (pol.symbol, pol.wide_symbol) if x}
                jobs.append(ReaderJob(pop, obs.get(name, []), ratios.get(name, []), targets,
                                      small))
        for job, bounds in zip(jobs, reader_bounds_all(jobs, _workers()), strict=True):
            name = job.population.name
            if isinstance(bounds, str):
                self.add("tables/", name, bounds, "", "unmodelled")
                continue
            self.bounds_checked += len(bounds)
            for b in bounds:
                if b.disclosive:
                    where = b.pinned_by[0] if b.pinned_by else name
                    self.add(where.split(" row ")[0] if " row " in where else where,
                             b.target.name, b.describe(), _fmt_interval(b.low, b.high))

    def _targets(self, pop: Population, pol: SuppressionPolicy, observations: list[Observation],
                 truth: Mapping[CellKey, float], together: list[tuple[CellKey, ...]],
                 groups: list) -> list[Target]:
        size = float(pop.size)
        level = float(pol.protection_level)
        known: dict[CellKey, tuple[float, float]] = {}
        for o in observations:
            lo, hi = known.get(o.key, (-math.inf, math.inf))
            known[o.key] = (max(lo, o.low), min(hi, o.high))
        out: list[Target] = []
        seen: set[CellKey] = set()
        small = set()
        for key, (lo, hi) in known.items():
            if key not in truth or lo == hi or not pop.is_sensitive(key.condition):
                continue
            true = truth[key]
            if bool(pol.is_small_count([true])[0]):
                small.add(key)
                # what "a small count" means, within what the published text says
                base_lo = 0.0 if pol.suppress_zeros else 1.0
                base_hi = float(pol.max_suppressed or size)
                need = _required(true, max(lo, base_lo), min(hi, base_hi), level)
                out.append(Target(str(key), key.condition, true, *need))
                seen.add(key)
        # a count published only through a share, and small: its share must be hidden
        # and the count not narrowed (unless the population follows the survey rule)
        if pop.small_shares_disclose:
            for key, true in truth.items():
                if key.population != pop.name or key in known or key in seen:
                    continue
                if bool(self_policy_small(pol, true)) and pop.is_sensitive(key.condition):
                    need = _required(true, 0.0, size, level)
                    out.append(Target(str(key), key.condition, true, *need))
                    seen.add(key)
        # a hidden survey result of a small group: every key published with it
        for group in together:
            if any(k in small for k in group):
                for k in group:
                    if k in seen or k not in truth or k.population != pop.name:
                        continue
                    lo, hi = known.get(k, (0.0, size))
                    if lo == hi or not pop.is_sensitive(k.condition):
                        continue
                    need = _required(truth[k], 0.0, size, level)
                    out.append(Target(str(k), k.condition, truth[k], *need))
                    seen.add(k)
        for cond, true in groups:
            key = CellKey(pop.name, cond)
            if key in seen or not pop.is_sensitive(cond):
                continue
            lo, hi = known.get(key, (0.0, size))
            if lo == hi:
                continue
            need = _required(true, 0.0, size, level)
            out.append(Target(f"derived group {key}", cond, true, *need))
            seen.add(key)
        return out


def self_policy_small(pol: SuppressionPolicy, true: float) -> bool:
    """True when a count is small under the policy's count rule."""
    return bool(pol.is_small_count([true])[0])


def _together(man: Manifest) -> list[tuple[CellKey, ...]]:
    out = []
    for tm in man.tables.values():
        cols = {**tm.counts, **tm.virtual}
        for group in tm.together:
            for row in zip(*(cols[c] for c in group if c in cols), strict=True):
                keys = tuple(man.keys[i] for i in row if i is not None)
                if len(keys) > 1:
                    out.append(keys)
    return out


def _expressible(pop: Population, key: CellKey) -> bool:
    return all(a in pop.domains and set(v) <= set(pop.domains[a]) for a, v in key.condition)


def _fmt_interval(low: float, high: float) -> str:
    def f(x: float) -> str:
        return str(int(round(x))) if abs(x - round(x)) < 1e-6 else f"{x:.2f}"

    return f(low) if abs(low - high) < 1e-9 else f"{f(low)} to {f(high)}"


def _workers() -> int:
    """Processes the attacker may use: ``EDI_WORKERS``, else up to 2 cores (as the build)."""
    return max(1, int(os.environ.get("EDI_WORKERS", min(2, os.cpu_count() or 1))))


def attack_published(
    disclosure_dir: str | Path, tables_dir: str | Path,
    previous_ledgers: Sequence[str | Path] = (),
) -> tuple[list[Finding], list[Published]]:
    """Rule 5 alone: the attacker on published tables described by manifests.

    Parameters
    ----------
    disclosure_dir : str or Path
        Folder of the manifests (``*.json.gz``, :func:`~.manifest.write_release`).
    tables_dir : str or Path
        Folder of the published CSV files.
    previous_ledgers : sequence of path
        Ledgers of earlier reports, read with these tables.

    Returns
    -------
    (list of Finding, list of Published)
        The findings (empty when nothing can be narrowed) and what each manifest's
        tables were read as (for the ledger of this release).
    """
    folder = Path(disclosure_dir)
    model = _ModelAttack(folder.parent, Path(tables_dir), [Path(p) for p in previous_ledgers],
                         manifest_dir=folder)
    model.run()
    return model.findings, model.published


def audit_run(
    stage_dir: str | Path,
    inputs: Mapping[str, pd.DataFrame | None],
    policy: str | SuppressionPolicy = "standard",
    *,
    survey_policy: str | SuppressionPolicy | None = "staff_survey",
    min_id_length: int = 4,
    previous_ledgers: Sequence[str | Path] = (),
    tables_dir: str | Path | None = None,
) -> list[Finding]:
    """Audit everything a staged run would publish for possible disclosures.

    Parameters
    ----------
    stage_dir : str or Path
        The run's staging folder: ``processed/tables/*.csv`` (the published tables),
        ``disclosure/*.json.gz`` (the notebooks' manifests), ``notebooks/*.ipynb``
        (executed) and ``_report/`` (``report.html``, ``report.pdf``).
    inputs : mapping of str to DataFrame or None
        The organisation's inputs, as from :func:`edi_analysis.inputs.org_inputs`.
    policy : str or SuppressionPolicy, default "standard"
        The run's suppression policy (its thresholds are the audit's thresholds).
    survey_policy : str, SuppressionPolicy or None, default "staff_survey"
        The policy for counts of survey respondents (columns ending in ``respondents``)
        in the text checks. None applies ``policy`` to them too.
    min_id_length : int, default 4
        Identifiers shorter than this are not searched for (see Notes).
    previous_ledgers : sequence of path, default ()
        Ledgers of the organisation's earlier reports: the attacker (rule 5) reads them
        with this report.
    tables_dir : str or Path, optional
        Folder of the published CSV files (default ``<stage_dir>/processed/tables``).

    Returns
    -------
    list of Finding
        Empty when nothing was found. Order: files in path order, then position.

    Raises
    ------
    FileNotFoundError
        If ``stage_dir`` does not exist.
    ValueError
        For an unknown policy or ``min_id_length`` below 1.

    Notes
    -----
    **1. Identifiers.** Every value of every identifier column of the inputs (see
    :func:`is_identifier_column`: ``employee_id``, ``baby_id``, ``respondent_id``,
    ``applicant_id``, ``member_id``, ``*_number`` ...) is searched for in every CSV cell
    and header, every notebook cell source and non-binary output (HTML, Markdown,
    plain text, JSON, streams, tracebacks), every string and whole number of each plotly
    figure, and the report HTML/PDF. Matches are whole tokens, ignoring case: ``1234``
    is found in ``"1234"`` or ``id 1234.`` but not in ``12345``, ``2012-34``, ``A1234``,
    ``1234-56`` or ``0.1234``. Identifiers shorter than ``min_id_length`` cannot be told
    apart from counts and are skipped with a logged warning.

    **2. Raw records.** A CSV or HTML table whose columns share at least two names with
    an input that has an identifier column, and whose rows on those columns are at least
    90% rows of the input, is flagged when it is a copy of the records or has no counts
    or aggregates (one row per person).

    **3. Small counts.** In columns named as counts (:func:`is_count_column`) of every
    CSV and HTML table, a published number from 1 to ``policy.max_suppressed`` (0 too
    when the policy hides zeros) is a finding; under a rounding policy, so is any number
    that is not a multiple of ``policy.rounding_base``. Counts of survey respondents
    follow ``survey_policy``. Census population counts are public and not checked.
    Within one table, a single hidden cell of a column or row whose total is published,
    or a hidden numerator beside its denominator and value, is a finding too.

    **4. Charts.** Every plotly figure is parsed; identifiers, individual values of an
    input column (histograms, one point per record) and small counts in traces that say
    they count are findings.

    **5. The attacker on the whole report** (``docs/DISCLOSURE.md``). Every published
    CSV must be declared to the disclosure model by a notebook's manifest; every count
    cell is read back as a reader reads it (a number, a rounded number, a symbol and the
    interval the printed rules give it; a percentage as a ratio to its denominator),
    with more decimals than its kind allows, a shown count that differs from the
    records and a symbol that states a false interval being findings. With the
    previous reports' ledgers, each population's statements become one system, and
    :func:`edi_analysis.disclosure.attack.reader_bounds` computes the exact bounds of
    every hidden small count, every hidden survey result of a small group and every
    derived small group (a combination of categories holding 1 to 4 units). A bound
    that comes within the protection level of the true value is a finding naming the
    published cells that pin it.

    **Narrative and headers.** Markdown outputs are searched for "3 staff", "2 babies",
    "n = 4" style statements of a count from 1 to ``policy.max_suppressed``, and table
    headers for "(n=3)".

    **Limits.** HTML tables and charts are checked for small counts and identifiers,
    not solved with the model: every figure they show comes from the published tables
    (the notebooks display the finished tables), and the CSV files carry all of them.
    Text inside images (PNG) is not read.
    """
    stage = Path(stage_dir)
    if not stage.is_dir():
        raise FileNotFoundError(f"Staging folder not found: {stage}")
    if int(min_id_length) != min_id_length or min_id_length < 1:
        raise ValueError(f"min_id_length must be a whole number >= 1, got {min_id_length!r}.")
    pol = get_policy(policy)
    values, skipped = _identifier_values(inputs, int(min_id_length))
    for source, n in skipped.items():
        log.warning(
            "%d value(s) of %s are shorter than %d characters and were not searched "
            "for in the outputs.",
            n,
            source,
            min_id_length,
        )
    records = {
        name: frame
        for name, frame in inputs.items()
        if frame is not None and len(frame) and any(is_identifier_column(c) for c in frame.columns)
    }
    auditor = _Auditor(
        stage=stage,
        policy=pol,
        ids=_IdentifierIndex(values),
        records=records,
        survey_policy=None if survey_policy is None else get_policy(survey_policy),
    )
    model = _ModelAttack(stage, Path(tables_dir) if tables_dir else
                         stage / "processed" / "tables", [Path(p) for p in previous_ledgers])
    model.run()
    # the exact attacker reads the declared tables with what each cell counts (and
    # which groups are sensitive): the table-by-table differencing heuristic is for
    # every other table only
    auditor.modelled = {(model.tables_dir / f"{n}.csv").resolve() for n in model.declared}
    auditor.rendered_modelled = bool(model.declared)
    for path in sorted(stage.rglob("*.csv")):
        auditor.audit_csv(path)
    auditor.findings += model.findings
    for path in sorted(stage.rglob("*.ipynb")):
        if ".ipynb_checkpoints" not in path.parts:
            auditor.audit_notebook(path)
    report = stage / "_report"
    if report.is_dir():
        for path in sorted(report.rglob("*.html")):
            auditor.audit_report_html(path)
        for path in sorted(report.rglob("*.pdf")):
            auditor.audit_pdf(path)
    return auditor.findings


def check_run(
    stage_dir: str | Path,
    inputs: Mapping[str, pd.DataFrame | None],
    policy: str | SuppressionPolicy = "standard",
    **options: Any,
) -> None:
    """Run :func:`audit_run` and raise if anything was found (the pipeline's gate).

    Raises
    ------
    DisclosureAuditError
        With :func:`format_findings` as the message and ``.findings``.
    """
    findings = audit_run(stage_dir, inputs, policy, **options)
    if findings:
        raise DisclosureAuditError(findings)
