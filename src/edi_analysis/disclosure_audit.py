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
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from edi_analysis import staff_survey, workforce_disclosure
from edi_analysis.errors import InputError
from edi_analysis.suppression import SuppressionPolicy, get_policy, recoverable_figures

__all__ = [
    "CHECKS",
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
    survey: pd.DataFrame | None = None
    nesting: pd.DataFrame | None = None
    findings: list[Finding] = field(default_factory=list)
    _tuples: dict[tuple[str, tuple[str, ...]], Counter] = field(default_factory=dict)
    #: Workforce tables read by :meth:`audit_csv`, for rule 6: name -> (path, text frame).
    workforce_tables: dict[str, tuple[Path, pd.DataFrame]] = field(default_factory=dict)

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
    def check_table(self, file: Path | str, table: AuditTable, prefix: str) -> None:
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
        self.check_table(rel, table, "")
        self.check_survey_differencing(rel, table)
        if path.stem in workforce_disclosure.TABLES:
            width = len(table.columns)
            rows = [(r + [""] * width)[:width] for r in table.rows]
            self.workforce_tables[path.stem] = (path, pd.DataFrame(rows, columns=table.columns))

    def check_survey_differencing(self, file: str, table: AuditTable) -> None:
        """Rule 5: no hidden survey result follows from published ones (long tables).

        A table with ``year``, ``question``, ``breakdown``, ``subgroup`` and
        ``pct_positive`` columns (the staff survey comparison and trends) is checked per
        year x question against the survey input's respondent numbers: each breakdown
        within the Overall, and each chain of nested breakdowns (``survey_nesting``),
        is written as sums of disjoint units; a hidden or absent result whose units are
        a combination of published results' units is a finding.
        """
        need = ["year", "question", "breakdown", "subgroup", "pct_positive"]
        if self.survey is None or not set(need) <= set(table.columns):
            return
        pos = {c: table.columns.index(c) for c in need}
        rows_of: dict[tuple[int, str, str, str], int] = {}  # key -> table row
        shown: set[tuple[int, str, str, str]] = set()
        for i, row in enumerate(table.rows, start=1):
            year = _parse_number(row[pos["year"]]) if len(row) >= len(table.columns) else None
            if year is None:
                continue
            key = (int(year), *(row[pos[c]] for c in need[1:4]))
            rows_of[key] = i
            if _parse_number(row[pos["pct_positive"]]) is not None:
                shown.add(key)
        nesting = staff_survey.nesting_table(self.nesting)
        asked = {key[:2] for key in rows_of}
        for (year, question), part in self.survey.groupby(["year", "question"], sort=False):
            overall = part[part["breakdown"] == staff_survey.OVERALL]
            if (int(year), question) not in asked or len(overall) != 1:
                continue
            for chain in staff_survey.breakdown_chains(nesting, part["breakdown"],
                                                       singles=True):
                rows = pd.concat([overall, part[part["breakdown"].isin(chain)]])
                try:
                    design, _ = staff_survey.chain_design(rows, chain, nesting)
                except InputError:
                    continue
                keys = [(int(year), question, b, g)
                        for b, g in zip(rows["breakdown"], rows["subgroup"], strict=True)]
                hidden = np.array([k not in shown for k in keys])
                for k in np.flatnonzero(recoverable_figures(design, hidden)):
                    key = keys[k]
                    where = (_cell("", "pct_positive", rows_of[key]) if key in rows_of
                             else f"{key[0]} {key[1]}, {key[2]} '{key[3]}' (not in the table)")
                    self.add(file, where, "differencing",
                             f"the hidden result of {key[2]} '{key[3]}' ({key[0]}, {key[1]}) "
                             "can be worked out from published results of "
                             + " and ".join(["Overall", *chain]), "")

    def audit_html_fragment(self, file: str, where: str, html_text: str) -> None:
        self.check_html_text(file, where, html_text)
        for table in _html_tables(html_text):
            self.check_table(file, table, where)
        for k, (_, fig) in enumerate(_plotly_figures(html_text), start=1):
            self.check_figure(file, f"{where}, plotly figure {k}", fig)

    def check_workforce_differencing(
        self, staff: pd.DataFrame | None, clusters: str | Mapping[str, Sequence[str]],
    ) -> None:
        """Rule 6: no hidden workforce count follows from the workforce tables together."""
        if staff is None or not len(staff) or not self.workforce_tables:
            return
        by_name = {name: path for name, (path, _) in self.workforce_tables.items()}
        tables = {name: frame for name, (_, frame) in self.workforce_tables.items()}
        result = workforce_disclosure.check_tables(tables, staff, self.policy, clusters)
        for r in result.disclosive.itertuples():
            self.add(by_name[r.table], _cell("", r.column, r.row), "differencing",
                     f"a hidden count can be worked out across the workforce tables: "
                     f"{_short(r.witness, 400)}", r.text or "(empty)")
        for r in result.hidden_shares.itertuples():
            self.add(by_name[r.table], _cell("", r.column, r.row), "differencing",
                     f"the count is hidden but its share {r.share_column!r} is published",
                     r.text or "(empty)")
        if len(result.unmodelled):
            first = result.unmodelled.iloc[0]
            log.warning(
                "Rule 6: %d published workforce cell(s) are not given by the staff records "
                "with clusters %r (first: %s row %s %s); they were left out of the "
                "cross-table check.", len(result.unmodelled), clusters, first["table"],
                first["row"], first["column"])

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
            self.check_table(rel, table, "")
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


def _survey_truth(inputs: Mapping[str, pd.DataFrame | None]) -> dict[str, Any]:
    """The survey's respondent numbers and nesting from the inputs (for rule 5)."""
    if inputs.get("survey_results") is None and inputs.get("survey_responses") is None:
        return {}
    try:
        results = staff_survey.select_results(inputs)
        nesting = staff_survey.select_nesting(inputs)
    except (InputError, KeyError):  # not the survey contract: rule 5 cannot run
        log.warning("The survey inputs do not follow their contract; survey results were "
                    "not checked for differencing across breakdowns.")
        return {}
    results = results.assign(year=results["year"].astype(int))
    return {"survey": results, "nesting": nesting}


def audit_run(
    stage_dir: str | Path,
    inputs: Mapping[str, pd.DataFrame | None],
    policy: str | SuppressionPolicy = "standard",
    *,
    survey_policy: str | SuppressionPolicy | None = "staff_survey",
    min_id_length: int = 4,
    workforce_clusters: str | Mapping[str, Sequence[str]] = "seed",
) -> list[Finding]:
    """Audit everything a staged run would publish for possible disclosures.

    Parameters
    ----------
    stage_dir : str or Path
        The run's staging folder: ``processed/**/*.csv``, ``notebooks/*.ipynb`` (executed)
        and ``_report/`` (``report.html``, ``report.pdf``).
    inputs : mapping of str to DataFrame or None
        The organisation's inputs, as from :func:`edi_analysis.inputs.org_inputs`.
    policy : str or SuppressionPolicy, default "standard"
        The run's suppression policy (its thresholds are the audit's thresholds).
    survey_policy : str, SuppressionPolicy or None, default "staff_survey"
        The policy for counts of survey respondents (columns ending in ``respondents``,
        e.g. ``n_respondents``), which the staff survey section suppresses by its own
        rule (``docs/DESIGN.md``: fewer than 10 hidden, no rounding). None applies
        ``policy`` to them too.
    min_id_length : int, default 4
        Identifiers shorter than this are not searched for (see Notes).
    workforce_clusters : str or mapping, default "seed"
        The run's pay band clusters (the workforce notebook's ``band_clusters``), for
        rule 6.

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
    ``1234-56`` or ``0.1234`` (a ``-`` or ``.`` joined to a letter or digit continues a
    token). The demo identifiers (``QOC-SYN-00001``, ``QOC-BABY-000001``,
    ``QOC-APP-00001``, ``QOC-BRD-01``) are long and distinctive. Identifiers shorter than
    ``min_id_length`` (e.g. row numbers 1-999) cannot be told apart from counts and are
    skipped with a logged warning; real extracts should carry pseudonymised identifiers
    of 4 or more characters. Purely numeric identifiers of 4-5 digits can collide with
    a count or a year; such a finding names the value, so it can be checked.

    **2. Raw records.** An input with an identifier column holds one row per person.
    A CSV or HTML table (notebook output or report) whose columns share at least two
    names with such an input (ignoring case and punctuation) and whose rows, on those
    columns, are at least 90% rows of the input is flagged when (a) it has as many rows
    as the input or more (a copy of the records), or (b) it shares at least three
    personal columns and has neither count columns nor aggregate columns (mean, pct,
    share, rate, value...), or its shared columns include a continuous one (pay, age)
    matched exactly. Tables with count columns holding values other than 1 are
    aggregates and are not flagged.

    **3. Small counts.** In columns named as counts (:func:`is_count_column`) of every
    CSV and HTML table, a published number from 1 to ``policy.max_suppressed`` (0 too
    when the policy hides zeros) is a finding; under a rounding policy, so is any number
    that is not a multiple of ``policy.rounding_base``. Cells showing the policy's
    symbol, or empty, are fine. Counts of survey respondents follow ``survey_policy``.
    Census population counts are public and not checked: count columns whose name has
    a part ``population``, ``census`` or ``residents`` (``population_n``), and every
    column of a CSV whose file name starts with ``population`` or ``census``.
    Share-only policies (``under_5_percent``) have no count
    threshold, so only rules 1, 2, 4 and the differencing rules apply.

    **Differencing.** (a) In a table with one total row (a cell reading Total, All or
    Overall), a count column with exactly one hidden cell whose other cells add up to
    less than the total: the hidden cell is the difference. (b) The same along a row,
    for a table with one total column (``total``, ``all``, ``headcount``, ``n``) and
    other count columns (``denominator``, ``*_base``, ``previous_*`` and ``*_display``
    columns are not parts of a total). (c) A row whose ``numerator`` is hidden while its
    ``denominator`` and ``value``/``*_pct`` are shown. Hidden means empty or a
    suppression symbol.

    **5. Survey results across breakdowns.** A long table with ``year``, ``question``,
    ``breakdown``, ``subgroup`` and ``pct_positive`` (the staff survey comparison and
    trends) is checked against the survey input's respondent numbers: per year x
    question, each breakdown within the Overall and each chain of nested breakdowns
    (``survey_nesting``, or found in respondent-level data) is written as sums of
    disjoint units (:func:`edi_analysis.staff_survey.chain_design`), and a hidden or
    absent result that is a linear combination of published ones is a finding
    (:func:`edi_analysis.suppression.recoverable_figures`). A hierarchy that is not
    declared cannot be checked.

    **6. Workforce tables together.** The published workforce tables
    (``workforce_headcount``, ``workforce_representation``,
    ``workforce_ethnicity_detailed``, ``wres_indicator_1``, ``wdes_metric_1``,
    ``workforce_progression``, ``workforce_senior_likelihood``,
    ``workforce_declaration``, ``workforce_age_sex``) are read back as the staff each
    count cell counts, checked against the ``staff_records`` input, and solved as one
    linear system (:func:`edi_analysis.workforce_disclosure.check_tables`): a hidden
    cell whose true count the policy hides and that a reader can work out by adding and
    subtracting published cells of any of these tables (a per-band WRES 1 band from
    the cluster tables, a WDES cluster from WRES 1 band totals, a VSM group from the
    senior-likelihood denominator and the progression table...) is a finding, with
    the sum that gives it. So is a hidden count whose share is published in the same
    row. Shown cells the staff records do not give (another cluster mapping) are left
    out with a logged warning. Under a rounding policy only the share check applies.

    **4. Charts.** Every ``Plotly.newPlot`` call (and plotly JSON MIME output) is parsed,
    base64 typed arrays decoded; rule 1 applies to every string (text, customdata,
    hovertext, hovertemplate, names, labels, annotations) and every whole number of
    1000 or more (numeric identifiers hidden in typed arrays). Histogram, box and
    violin traces whose values are (90% or more) values of one input column, i.e.
    individual values sent to the reader's browser, and traces with exactly one point
    per record of an input of 20 rows or more, are flagged; a histogram of public
    figures (peer organisations' pay gaps) is not. Rule 3 applies to the plotted values
    (y, x when horizontal, pie values) of a trace whose name, hover template or
    value-axis title says it counts (count, number of, headcount, staff, people, n...)
    and does not say percent, rate, share, ratio, score, points, gap or pay.

    **Narrative and headers.** Markdown outputs are searched for "3 staff", "2 babies",
    "n = 4" style statements of a count from 1 to ``policy.max_suppressed``, and table
    headers for "(n=3)".

    **Limits.** The audit sees column names and displayed text, not meaning: counts in
    columns with other names and no ``_symbol`` sibling (``Female``, ``White``), charts
    whose count nature is not stated in a name, title or hover template, counts in
    words ("three"), percentages that reveal a small count (0.3% of 300 staff, or 1 of
    11 survey respondents as 9.1%), differencing across tables other than the survey
    (rule 5) and workforce (rule 6) tables, or across the previous snapshot's figures,
    bounds from non-negativity (a hidden cell known to be 0-2 without being exact),
    text inside images (PNG), and tables relabelled for display (``Ethnic group``
    rather than ``ethnic_category``) escape it.
    It complements :mod:`edi_analysis.suppression`, it does not replace it.
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
        **_survey_truth(inputs),
    )
    for path in sorted(stage.rglob("*.csv")):
        auditor.audit_csv(path)
    auditor.check_workforce_differencing(inputs.get("staff_records"), workforce_clusters)
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
