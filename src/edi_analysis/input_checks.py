"""Checks of a run's inputs against the report asked for: its organisation and period.

Each file is checked against its own contract when it is read (:mod:`edi_analysis.io`);
what can only be judged knowing the organisation and the period, or by comparing files,
is checked here, once, by ``edi-report validate --org --period`` and again at the start
of ``edi-report build``, before any notebook runs:

* the files every report needs are there (births, and survey results or responses);
* the staff extract is of the report's period (its ``snapshot_date``; or, compared with
  ``previous_staff_records``, the same people a year older), and large enough to report;
* the staff survey results hold the report's survey year;
* births fall in the report's years, with live births in each, and in the organisation's
  area (LSOA codes): a file mostly for another area is refused, other rows are reported;
* disciplinary and capability cases fall in the report's two-year window;
* the WRES and WDES indicators can be worked out from the files together (e.g. no more
  staff accessing training than there are staff).

Problems are raised together as one :class:`~edi_analysis.errors.InputError`; accepted
oddities are returned as :class:`~edi_analysis.errors.InputWarning`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from edi_analysis import wdes, wres
from edi_analysis.errors import InputError, InputProblem, InputWarning
from edi_analysis.geography import icb_of_lsoas, icb_table, resolve_org
from edi_analysis.inputs import org_inputs
from edi_analysis.io import warnings_of

__all__ = [
    "MIN_STAFF",
    "NEEDED",
    "OUT_OF_AREA_LIMIT",
    "check_run_inputs",
    "checked_inputs",
    "data_quality_sentences",
    "snapshot_window",
    "survey_years_for",
]

#: Fewest staff records a report is built from: fewer is a test or partial extract, and
#: a report on so few people could not be published without identifying them.
MIN_STAFF = 20
#: Largest share of births (with an LSOA) outside the organisation's area that is
#: accepted (and reported as a warning); a file with more is refused.
OUT_OF_AREA_LIMIT = 0.5

Inputs = Mapping[str, pd.DataFrame | None]
Found = tuple[list[InputProblem], list[InputWarning]]


def survey_years_for(period: str, years: Sequence[int] | None = None) -> list[int]:
    """The staff survey years a report uses: ``years`` if given, else the period's three.

    The NHS Staff Survey runs in the autumn, so the survey year of the report for
    ``2025-26`` is 2025; the report shows it with the two years before.
    """
    if years:
        return sorted(int(y) for y in years)
    start = int(str(period)[:4])
    return [start - 2, start - 1, start]


def snapshot_window(period: str) -> tuple[dt.date, dt.date]:
    """The dates a staff snapshot of ``period`` may bear: 31 March of its first year to
    31 March of its second (``2025-26``: 2025-03-31 to 2026-03-31)."""
    start = int(str(period)[:4])
    return dt.date(start, 3, 31), dt.date(start + 1, 3, 31)


def _source(frame: pd.DataFrame, stem: str) -> str:
    return str(frame.attrs.get("source") or stem)


def _row(frame: pd.DataFrame, position: int) -> int | None:
    rows = frame.attrs.get("source_rows")
    return int(rows[position]) if rows and position < len(rows) else None


def _rows_text(frame: pd.DataFrame, positions: Sequence[int], limit: int = 5) -> str:
    rows = [r for r in (_row(frame, p) for p in positions[:limit]) if r is not None]
    more = f" and {len(positions) - limit} more" if len(positions) > limit else ""
    return ("rows " + ", ".join(map(str, rows)) + more) if rows else f"{len(positions)} rows"


#: Inputs every report needs besides the staff records: (stems, one of which is needed,
#: and the chapter that needs it).
NEEDED = ((("births",), "the maternity chapter"),
          (("survey_results", "survey_responses"), "the staff survey chapter"))


def _needed_files(inputs: Inputs, org: str, period: str) -> Found:
    problems = []
    for stems, chapter in NEEDED:
        if all(inputs.get(stem) is None for stem in stems):
            names = " or ".join(f"{stem}.csv/.xlsx" for stem in stems)
            problems.append(InputProblem(names, None, None, "(file missing)",
                                         f"a file named {names}: {chapter} is built from it"))
    return problems, []


def _staff_size(inputs: Inputs, org: str, period: str) -> Found:
    problems = []
    for stem in ("staff_records", "previous_staff_records"):
        frame = inputs.get(stem)
        if frame is not None and len(frame) < MIN_STAFF:
            problems.append(InputProblem(
                _source(frame, stem), None, None, f"{len(frame)} staff record"
                f"{'s' if len(frame) != 1 else ''}",
                f"at least {MIN_STAFF} staff records (one row per employee): this looks like "
                "a test or partial extract, and a report on so few people would identify "
                "them"))
    return problems, []


def _snapshot_dates(frame: pd.DataFrame, stem: str, period: str, what: str) -> Found:
    if "snapshot_date" not in frame.columns:
        return [], []
    low, high = snapshot_window(period)
    dates = pd.to_datetime(frame["snapshot_date"], errors="coerce").dt.date
    problems = []
    outside = dates.notna() & ~dates.between(low, high)
    for value, rows in frame.index[outside].groupby(dates[outside]).items():
        positions = list(rows)
        problems.append(InputProblem(
            _source(frame, stem), "snapshot_date", _row(frame, positions[0]), str(value),
            f"{what} dated from {low:%d %B %Y} to {high:%d %B %Y} for the {period} report "
            f"({_rows_text(frame, positions)} have this date): is this another year's "
            "extract?"))
    return problems, []


def _previous_period(period: str) -> str:
    start = int(str(period)[:4]) - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _snapshots(inputs: Inputs, org: str, period: str) -> Found:
    problems: list[InputProblem] = []
    staff, previous = inputs.get("staff_records"), inputs.get("previous_staff_records")
    if staff is not None:
        problems += _snapshot_dates(staff, "staff_records", period, "a snapshot")[0]
    if previous is not None:
        problems += _snapshot_dates(previous, "previous_staff_records",
                                    _previous_period(period), "the previous snapshot")[0]
    if staff is None or previous is None or problems:
        return problems, []
    both = staff.merge(previous, on="employee_id", suffixes=("", "_previous"))
    if len(both) < max(1, len(staff) // 2):
        return problems, []
    where = (f"{_source(staff, 'staff_records')} and "
             f"{_source(previous, 'previous_staff_records')}")
    if "age" in both.columns and "age_previous" in both.columns:
        change = (both["age"] - both["age_previous"]).dropna()
        if len(change) and change.median() < 0:
            problems.append(InputProblem(
                where, "age", None, f"the same {len(change)} people are younger in "
                "staff_records than in previous_staff_records",
                "staff_records to be the later snapshot: the two files look swapped"))
        elif len(change) and change.eq(0).mean() >= 0.9:
            problems.append(InputProblem(
                where, "age", None, f"the same ages for {int(change.eq(0).sum())} of the "
                f"{len(change)} people in both files",
                f"staff_records at the {period} snapshot and previous_staff_records a year "
                "earlier (ages one year apart): both files look like the same snapshot"))
        return problems, []
    columns = [c for c in staff.columns if c in previous.columns and c != "data_label"]
    a = staff[columns].sort_values("employee_id", ignore_index=True)
    b = previous[columns].sort_values("employee_id", ignore_index=True)
    if a.shape == b.shape and a.astype(str).equals(b.astype(str)):
        problems.append(InputProblem(
            where, None, None, "the same records in both files",
            f"staff_records at the {period} snapshot and previous_staff_records a year "
            "earlier: both files hold the same snapshot"))
    return problems, []


def _survey(inputs: Inputs, org: str, period: str, years: Sequence[int]) -> Found:
    stem = "survey_results" if inputs.get("survey_results") is not None else "survey_responses"
    frame = inputs.get(stem)
    if frame is None or "year" not in frame.columns:
        return [], []
    present = sorted({int(y) for y in frame["year"].dropna()})
    main = max(years)
    if main not in present:
        return [InputProblem(
            _source(frame, stem), "year", None, "years " + ", ".join(map(str, present)),
            f"results for {main}, the staff survey year of the {period} report (the "
            f"survey run in autumn {main}); to report other years, set sections: "
            "staff_survey: years: in the run file")], []
    unused = [y for y in present if y not in years]
    if unused:
        return [], [InputWarning(_source(frame, stem), "rows for "
                                 + ", ".join(map(str, unused)) + " are not used (the report "
                                 f"shows {', '.join(map(str, years))})")]
    return [], []


def _year_coverage(frame: pd.DataFrame, stem: str, period: str, what: str) -> Found:
    years = sorted(frame["year"].dropna().astype(str).unique())
    eligible = [y for y in years if y <= str(period)]
    source = _source(frame, stem)
    if not eligible:
        return [InputProblem(source, "year", None, "years " + (", ".join(years) or "none"),
                             f"{what} in {period} or earlier (this file is for other "
                             "years)")], []
    warnings = []
    later = [y for y in years if y > str(period)]
    if later:
        warnings.append(InputWarning(source, f"rows for {', '.join(later)}, after {period}, "
                                     "are not used"))
    if str(period) not in years and str(period)[:4] not in years:
        warnings.append(InputWarning(source, f"no {what} in {period}: the report shows "
                                     f"the latest years in the file ({eligible[-1]})"))
    return [], warnings


def _births(inputs: Inputs, org: str, period: str) -> Found:
    problems: list[InputProblem] = []
    warnings: list[InputWarning] = []
    births = inputs.get("births")
    if births is not None and "year" in births.columns:
        p, w = _year_coverage(births, "births", period, "births")
        problems += p
        warnings += w
        if not p:
            live = births["outcome"].eq("Live birth")
            if "termination" in births.columns:
                live &= ~births["termination"].astype(bool)
            years = sorted(y for y in births["year"].astype(str).unique() if y <= str(period))
            for year in years[-2:]:
                if not live[births["year"].astype(str) == year].any():
                    problems.append(InputProblem(
                        _source(births, "births"), "outcome", None, f"no live births in {year}",
                        "live births in each of the report's years (rates are per live "
                        "birth)"))
        p, w = _births_area(births, org)
        problems += p
        warnings += w
    counts = inputs.get("birth_counts")
    if counts is not None and "year" in counts.columns:
        p, w = _year_coverage(counts, "birth_counts", period, "births")
        problems += p
        warnings += w
        totals = counts.groupby(counts["year"].astype(str))["denominator"].sum()
        for year, total in totals.items():
            if year <= str(period) and total == 0:
                problems.append(InputProblem(
                    _source(counts, "birth_counts"), "denominator", None,
                    f"a denominator of 0 in every row of {year}",
                    "births in each year of the file (rates are per birth)"))
    return problems, warnings


def _births_area(births: pd.DataFrame, org: str) -> Found:
    if "lsoa_code" not in births.columns:
        return [], []
    codes = births["lsoa_code"].dropna()
    if codes.empty:
        return [], []
    organisation = resolve_org(org)
    icb = icb_of_lsoas(codes)
    welsh = codes.astype(str).str.upper().str.startswith("W")
    outside = (icb.notna() & icb.ne(organisation.nhs_code)) | welsh
    checked = int((icb.notna() | welsh).sum())
    n_out = int(outside.sum())
    if n_out == 0 or checked == 0:
        return [], []
    names = icb_table().set_index("icb24_code_nhs")["icb24_name"]
    elsewhere = icb[outside & icb.notna()].value_counts()
    most = (f"; most lie in {names.get(elsewhere.index[0], elsewhere.index[0])} "
            f"({elsewhere.index[0]})") if len(elsewhere) else "; they lie in Wales"
    share = n_out / checked
    source = _source(births, "births")
    positions = [births.index.get_loc(i) for i in codes.index[outside]]
    found = (f"{n_out:,} of {checked:,} births with an LSOA ({100 * share:.0f}%) outside "
             f"{organisation.name}{most}")
    if share > OUT_OF_AREA_LIMIT:
        return [InputProblem(
            source, "lsoa_code", None, found,
            f"births of {organisation.name}'s residents: is this the file of another "
            f"area? (up to {OUT_OF_AREA_LIMIT:.0%} of births outside the area are accepted "
            "and reported)")], []
    counted = ("they are counted in the organisation's figures by ethnicity, and in "
               "deprivation quintiles by the national IMD")
    return [], [InputWarning(source, f"{found} ({_rows_text(births, positions)}); {counted}",
                             f"{source}: some births have an LSOA outside "
                             f"{organisation.name}; {counted}")]


def _cases(inputs: Inputs, org: str, period: str) -> Found:
    problems: list[InputProblem] = []
    warnings: list[InputWarning] = []
    window = [_previous_period(period), str(period)]
    for stem in ("disciplinary", "capability"):
        frame = inputs.get(stem)
        if frame is None or "year" not in frame.columns or not frame["year"].notna().any():
            continue
        years = sorted(frame["year"].dropna().astype(str).unique())
        source = _source(frame, stem)
        if not any(y in window for y in years):
            problems.append(InputProblem(
                source, "year", None, "years " + ", ".join(years),
                f"cases in {window[0]} or {window[1]}, the two-year window of the {period} "
                "report (this file is for other years)"))
        later = [y for y in years if y > str(period)]
        if later:
            warnings.append(InputWarning(source, f"cases in {', '.join(later)}, after "
                                         f"{period}, are not used"))
    return problems, warnings


def _indicator(call: Callable[[], object], files: str) -> list[InputProblem]:
    try:
        call()
    except InputError as exc:
        return [InputProblem(files, p.column, p.row, p.value, p.expected) for p in exc.problems]
    except (ValueError, ZeroDivisionError, KeyError) as exc:
        return [InputProblem(files, None, None, str(exc),
                             "counts that fit together across these files")]
    return []


def _accessed_within_staff(inputs: Inputs) -> list[InputProblem]:
    staff, training = inputs.get("staff_records"), inputs.get("training")
    if staff is None or training is None or "accessed" not in training.columns:
        return []
    problems = []
    heads = wres.ethnicity_group(staff["ethnic_category"]).value_counts()
    accessed = wres.ethnicity_group(
        training.loc[training["accessed"].astype(bool), "ethnic_category"]).value_counts()
    for group in (wres.WHITE, wres.BME):
        n, of = int(accessed.get(group, 0)), int(heads.get(group, 0))
        if n > of:
            problems.append(InputProblem(
                _source(training, "training"), "accessed", None,
                f"{n} {group} staff accessed training",
                f"no more than the {of} {group} staff in "
                f"{_source(staff, 'staff_records')}: is the training file for another "
                "organisation or period?"))
    return problems


def _indicators(inputs: Inputs, org: str, period: str) -> Found:
    staff = inputs.get("staff_records")
    if staff is None:
        return [], []
    problems = _accessed_within_staff(inputs)
    if problems:
        return problems, []

    def files(stem: str) -> str:
        return f"{_source(inputs[stem], stem)} with {_source(staff, 'staff_records')}"

    if inputs.get("recruitment") is not None:
        problems += _indicator(lambda: wres.wres_indicator_2(inputs["recruitment"]),
                               _source(inputs["recruitment"], "recruitment"))
        problems += _indicator(lambda: wdes.wdes_metric_2(inputs["recruitment"]),
                               _source(inputs["recruitment"], "recruitment"))
    if inputs.get("disciplinary") is not None:
        problems += _indicator(lambda: wres.wres_indicator_3(
            staff, inputs["disciplinary"], period=period), files("disciplinary"))
    if inputs.get("training") is not None:
        problems += _indicator(lambda: wres.wres_indicator_4(staff, inputs["training"]),
                               files("training"))
    if inputs.get("capability") is not None:
        problems += _indicator(lambda: wdes.wdes_metric_3(
            staff, inputs["capability"], period=period), files("capability"))
    if inputs.get("board") is not None:
        problems += _indicator(lambda: wres.wres_indicator_9(staff, inputs["board"]),
                               files("board"))
        problems += _indicator(lambda: wdes.wdes_metric_10(staff, inputs["board"]),
                               files("board"))
    return problems, []


def checked_inputs(org: str, period: str, data_dir: str | Path | None = None,
                   survey_years: Sequence[int] | None = None
                   ) -> tuple[dict[str, pd.DataFrame | None], list[InputWarning]]:
    """Read, validate and check a run's inputs: what ``validate`` and ``build`` do first.

    Parameters
    ----------
    org, period : str
        The report's organisation and financial year.
    data_dir : str, Path or None
        The folder of input files; None for the SYNTHETIC demo data.
    survey_years : sequence of int, optional
        The staff survey years the report shows (default :func:`survey_years_for`).

    Returns
    -------
    (dict, list of InputWarning)
        The validated inputs (:func:`edi_analysis.inputs.org_inputs`) and every warning:
        the files' own, then the run's (:func:`check_run_inputs`).

    Raises
    ------
    InputError
        Every problem of every file, or of the files against the report.
    """
    inputs = org_inputs(org, period, data_dir)
    warnings = warnings_of(inputs)
    warnings += check_run_inputs(inputs, org, period, survey_years=survey_years)
    return inputs, warnings


def data_quality_sentences(warnings: Sequence[InputWarning]) -> list[str]:
    """Sentences for the report's data-quality section, one per accepted oddity.

    Uses each warning's public wording (:attr:`InputWarning.public_text`), which holds no
    counts, rows or values of the private files. With no warning, one sentence says so.
    """
    if not warnings:
        return ["The input files met their contracts without any oddity to report."]
    seen: list[str] = []
    for warning in warnings:
        text = warning.public_text.rstrip(".") + "."
        if text not in seen:
            seen.append(text)
    return seen


def check_run_inputs(inputs: Inputs, org: str, period: str,
                     survey_years: Sequence[int] | None = None) -> list[InputWarning]:
    """Check a run's validated inputs against its organisation and period.

    Parameters
    ----------
    inputs : mapping
        The run's inputs, as :func:`edi_analysis.io.load_org_inputs` returns them (each
        frame's ``attrs`` give its file name and spreadsheet rows).
    org : str
        The organisation (anything :func:`edi_analysis.geography.resolve_org` accepts).
    period : str
        The report's financial year, ``YYYY-YY``.
    survey_years : sequence of int, optional
        The staff survey years the report shows (default :func:`survey_years_for`).

    Returns
    -------
    list of InputWarning
        Accepted oddities (rows not used, births outside the area ...).

    Raises
    ------
    InputError
        Every problem found, each naming its file(s), column and what was expected.

    Notes
    -----
    The checks are listed in the module's docstring. Thresholds: :data:`MIN_STAFF`
    staff records, at most :data:`OUT_OF_AREA_LIMIT` of births outside the area, staff
    snapshots dated within :func:`snapshot_window`.
    """
    years = survey_years_for(period, survey_years)
    problems: list[InputProblem] = []
    warnings: list[InputWarning] = []
    checks: list[Callable[[], Found]] = [
        lambda: _needed_files(inputs, org, period),
        lambda: _staff_size(inputs, org, period),
        lambda: _snapshots(inputs, org, period),
        lambda: _survey(inputs, org, period, years),
        lambda: _births(inputs, org, period),
        lambda: _cases(inputs, org, period),
        lambda: _indicators(inputs, org, period),
    ]
    for check in checks:
        found, noted = check()
        problems += found
        warnings += noted
    if problems:
        raise InputError(problems)
    return warnings
