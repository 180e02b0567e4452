"""The documented input formats are the contracts: README's table and DESIGN.md, checked.

The contracts live in one place (:mod:`edi_analysis.schemas`, the files in
:data:`edi_analysis.io.INPUT_FILES`); these tests fail when the documentation drifts from
them: a file missing from the README's table, a column not named in DESIGN.md, a range that
is not the schema's.
"""

from __future__ import annotations

import re

import pandera.pandas as pa
import pytest

from edi_analysis import input_checks, io, schemas
from edi_analysis.paths import project_root

README = project_root() / "README.md"
DESIGN = project_root() / "docs" / "DESIGN.md"

#: DESIGN.md section (heading start) describing each schema of ``schemas.SCHEMAS``.
SECTIONS = {
    "staff_records": "### Staff records",
    "survey_results": "### Staff survey results",
    "survey_responses": "### Staff survey responses",
    "survey_nesting": "### Staff survey nesting",
    "births": "### Births",
    "birth_counts": "### Births",
    "recruitment": "### Optional workforce inputs",
    "disciplinary": "### Optional workforce inputs",
    "disciplinary_counts": "### Optional workforce inputs",
    "capability": "### Optional workforce inputs",
    "capability_counts": "### Optional workforce inputs",
    "training": "### Optional workforce inputs",
    "board": "### Optional workforce inputs",
    "service_activity": "### Service activity",
}


def _readme_files() -> dict[str, str]:
    """File stems in the README's table of input files -> their mark ("required", ...)."""
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| file | what | needed for |"):]
    table = table[: table.index("\n\n")]
    files: dict[str, str] = {}
    for line in table.splitlines()[2:]:
        first = line.split("|")[1]
        mark = re.search(r"\(([a-z ]+)\)", first)
        for stem in re.findall(r"`([a-z_]+)`", first):
            files[stem] = mark.group(1) if mark else ""
    return files


def _section(heading: str) -> str:
    text = DESIGN.read_text(encoding="utf-8")
    start = text.index("\n" + heading) + 1
    end = re.search(r"\n##+ ", text[start + 1:])
    return text[start: start + 1 + end.start()] if end else text[start:]


def _bounds(column: pa.Column) -> list[float]:
    """The numeric bounds of a column's range checks."""
    out = []
    for check in column.checks:
        stats = check.statistics or {}
        out += [stats[k] for k in ("min_value", "max_value") if stats.get(k) is not None]
    return out


def _written(value: float) -> str:
    """A pattern matching a bound as the documentation writes it: 1,000,000 or 1000, 1.5."""
    if float(value).is_integer():
        forms = {f"{int(value):,}", str(int(value))}
        number = "|".join(re.escape(f) for f in sorted(forms))
    else:
        number = re.escape(f"{value:g}")
    return rf"(?<!\d)(?<!\d[,.])(?:{number})(?![.,]?\d)"


def test_the_readme_lists_every_input_file_and_only_those() -> None:
    files = _readme_files()
    assert set(files) == set(io.INPUT_FILES)


def test_the_readme_marks_the_files_a_report_needs() -> None:
    files = _readme_files()
    required = {s for s, (_, needed) in io.INPUT_FILES.items() if needed}
    required |= {stems[0] for stems, _ in input_checks.NEEDED if len(stems) == 1}
    one_of = {s for stems, _ in input_checks.NEEDED if len(stems) > 1 for s in stems}
    assert {s for s, mark in files.items() if mark == "required"} == required
    assert {s for s, mark in files.items() if mark == "one required"} == one_of


def test_every_schema_is_described_in_design() -> None:
    assert set(SECTIONS) == set(schemas.SCHEMAS)


@pytest.mark.parametrize("stem", sorted(schemas.SCHEMAS))
def test_design_names_every_column_of_the_contract(stem: str) -> None:
    section = _section(SECTIONS[stem])
    missing = [
        name for name, column in schemas.SCHEMAS[stem].columns.items()
        if not column.regex and f"`{name}`" not in section and f"| {name} |" not in section
    ]
    assert not missing, f"{SECTIONS[stem]} of docs/DESIGN.md does not name {missing}"


@pytest.mark.parametrize("stem", sorted(schemas.SCHEMAS))
def test_design_gives_the_contract_s_numeric_ranges(stem: str) -> None:
    section = _section(SECTIONS[stem])
    wrong = []
    for name, column in schemas.SCHEMAS[stem].columns.items():
        if str(column.dtype) not in {"int64", "Int64", "float64"}:
            continue
        bounds = _bounds(column)
        lines = [line for line in section.splitlines()
                 if f"`{name}`" in line or f"| {name} |" in line]
        if bounds and not any(all(re.search(_written(b), line) for b in bounds)
                              for line in lines):
            wrong.append(f"{name} {[f'{b:g}' for b in bounds]}")
    assert not wrong, f"{SECTIONS[stem]} of docs/DESIGN.md: no line gives the range of {wrong}"


def test_a_range_that_drifts_is_caught(monkeypatch) -> None:
    """The range test can fail: a schema bound changed without the docs fails it."""
    drifted = schemas.STAFF_RECORDS_SCHEMA.update_column(
        "fte", checks=[pa.Check.in_range(0, 2.5)])
    monkeypatch.setitem(schemas.SCHEMAS, "staff_records", drifted)
    with pytest.raises(AssertionError, match=r"fte \['0', '2.5'\]"):
        test_design_gives_the_contract_s_numeric_ranges("staff_records")
