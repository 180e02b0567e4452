"""Time disclosure control: protecting each chapter's release, and the independent attack.

Usage: python benchmarks/disclosure.py [--orgs QK1,QHM,QWO] [--staff 15000] [--policy standard]

For each demo ICB, and for a SYNTHETIC staff extract of ``--staff`` people (the size of a
large acute trust), prints per chapter: the number of cells in the model, how many are
hidden (small, and hidden to protect others), the seconds :meth:`Release.protect` takes
(cut generation with integer programming), the seconds the independent reader of
:func:`edi_analysis.disclosure.audit.attack_published` takes on the written files, and
what it found (must be 0). Figures are wall-clock seconds of one run; run it on an idle
machine. Nothing under ``output/`` is touched: files are written to a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _workforce(org: str, period: str, policy: str, staff: int | None):
    from edi_analysis import demo, workforce_publication
    from edi_analysis.disclosure import Release
    from edi_analysis.inputs import org_inputs

    inputs = dict(org_inputs(org, period, None))
    if staff is not None:
        inputs["staff_records"] = demo.demo_staff_records(org, headcount=staff)
        inputs["previous_staff_records"] = demo.demo_previous_snapshot(org, headcount=staff)
    release = Release(policy, label="workforce", previous=[])
    started = time.perf_counter()
    workforce_publication.build_chapter(inputs, org, period, release)
    return release, time.perf_counter() - started


def _maternity(org: str, period: str, policy: str, staff: int | None):
    from edi_analysis import inputs, maternity
    from edi_analysis.disclosure import Release
    from edi_analysis.geography import resolve_org

    organisation = resolve_org(org)
    births_raw = inputs.org_inputs(org, period, None, required=("births",))["births"]
    years = maternity.report_years(births_raw, period)
    births = maternity.prepare_births(births_raw)
    births = births[births["year"].isin(years)]
    release = Release(policy, label="maternity", previous=[])
    started = time.perf_counter()
    maternity.declare_chapter(release, births, years,
                              population=maternity.population_context(organisation.code))
    release.protect()
    return release, time.perf_counter() - started


def _staff_survey(org: str, period: str, policy: str, staff: int | None):
    from edi_analysis import staff_survey as ss
    from edi_analysis.disclosure import Release
    from edi_analysis.inputs import org_inputs

    catalogue = ss.load_catalogue(None)
    files = org_inputs(org, period, None, required=())
    results = ss.select_results(files, None, catalogue)
    release = Release(policy, label="staff_survey", previous=[])
    started = time.perf_counter()
    ss.SurveyRelease(release, results, 3.0, catalogue=catalogue,
                     nesting=ss.select_nesting(files))
    release.protect()
    return release, time.perf_counter() - started


CHAPTERS: dict[str, Callable] = {"workforce": _workforce, "staff_survey": _staff_survey,
                                 "maternity": _maternity}


def _measure(chapter: str, org: str, period: str, policy: str, staff: int | None) -> str:
    from edi_analysis.disclosure import write_release
    from edi_analysis.disclosure.audit import attack_published

    release, protect_s = CHAPTERS[chapter](org, period, policy, staff)
    summary = release.protection.tables
    cells, hidden = int(summary["cells"].sum()), int(summary["hidden"].sum())
    primary = int(summary["primary"].sum())
    with tempfile.TemporaryDirectory() as tmp:
        for name in release.tables:
            if name not in release.finished:
                release.finish(name, release.published_table(name))
        write_release(release, Path(tmp) / "tables", Path(tmp) / "disclosure")
        started = time.perf_counter()
        findings, _ = attack_published(Path(tmp) / "disclosure", Path(tmp) / "tables")
        attack_s = time.perf_counter() - started
    who = f"{org}" + (f" ({staff:,} staff)" if staff else "")
    return (f"{who:<20}{chapter:<14}{cells:>7}{hidden:>8}{primary:>7}{hidden - primary:>8}"
            f"{protect_s:>11.1f}{attack_s:>10.1f}{len(findings):>7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", default="QK1,QHM,QWO")
    parser.add_argument("--period", default="2025-26")
    parser.add_argument("--policy", default="standard")
    parser.add_argument("--chapters", default=",".join(CHAPTERS))
    parser.add_argument("--staff", type=int, default=15000,
                        help="headcount of the large synthetic extract (0: skip)")
    args = parser.parse_args()
    print(f"disclosure benchmark, policy {args.policy}, period {args.period}")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    print(f"{'organisation':<20}{'chapter':<14}{'cells':>7}{'hidden':>8}{'small':>7}"
          f"{'others':>8}{'protect s':>11}{'attack s':>10}{'found':>7}")
    chapters = args.chapters.split(",")
    for org in args.orgs.split(","):
        for chapter in chapters:
            print(_measure(chapter, org, args.period, args.policy, None), flush=True)
    if args.staff and "workforce" in chapters:
        org = args.orgs.split(",")[0]
        print(_measure("workforce", org, args.period, args.policy, args.staff), flush=True)


if __name__ == "__main__":
    main()
