"""Time disclosure control: protecting each chapter's release, and the independent attack.

Usage: python benchmarks/disclosure.py [--orgs QK1,QHM,QWO] [--staff 15000] [--policy standard]
       [--workers 2] [--no-report]

For each demo ICB, and for a SYNTHETIC staff extract of ``--staff`` people (the size of a
large acute trust), prints per chapter: the number of cells in the model, how many are
hidden (small, and hidden to protect others), the seconds :meth:`Release.protect` takes
(cut generation with integer programming), the seconds the independent reader of
:func:`edi_analysis.disclosure.audit.attack_published` takes on the written files, and
what it found (must be 0). A "whole report" line per organisation then does what the
build does: the three chapters protected ``--workers`` at a time in separate processes,
then one attack on everything: the time to protect and audit one report. Figures are
wall-clock seconds of one run; run it on an idle machine. Nothing under ``output/`` is
touched: files are written to a temporary folder.
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


def _protect_and_write(chapter: str, org: str, period: str, policy: str, folder: str) -> float:
    """One chapter of a report: protect it and write its tables and manifest to ``folder``."""
    from edi_analysis.disclosure import write_release

    release, protect_s = CHAPTERS[chapter](org, period, policy, None)
    for name in release.tables:
        if name not in release.finished:
            release.finish(name, release.published_table(name))
    write_release(release, Path(folder) / "tables", Path(folder) / "disclosure")
    return protect_s


def _measure_report(org: str, period: str, policy: str, workers: int) -> str:
    """A whole report as the build does it: chapters protected ``workers`` at a time (each
    in its own process, as each notebook has its own kernel), then one attack on
    everything written. Wall-clock seconds, imports excluded (a worker imports the
    package before its clock starts)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from edi_analysis.disclosure.audit import attack_published

    with tempfile.TemporaryDirectory() as tmp, \
            ProcessPoolExecutor(max_workers=workers,
                                # fresh interpreters, as the build's kernels are: HiGHS
                                # is not safe to use in a process forked after it ran
                                mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_warm, range(workers)))  # imports, outside the clock
        started = time.perf_counter()
        futures = [pool.submit(_protect_and_write, c, org, period, policy, tmp)
                   for c in ("staff_survey", "maternity", "workforce")]
        protect_sum = sum(f.result() for f in futures)
        protected = time.perf_counter() - started
        findings, _ = attack_published(Path(tmp) / "disclosure", Path(tmp) / "tables")
        total = time.perf_counter() - started
    return (f"{org:<20}{'whole report':<14}{'':>30}{protected:>11.1f}"
            f"{total - protected:>10.1f}{len(findings):>7}   total {total:.1f} s wall "
            f"({workers} workers; chapters' protection adds up to {protect_sum:.1f} s)")


def _warm(_: int) -> None:
    import edi_analysis.disclosure.audit
    import edi_analysis.maternity
    import edi_analysis.staff_survey
    import edi_analysis.workforce_publication  # noqa: F401


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", default="QK1,QHM,QWO")
    parser.add_argument("--period", default="2025-26")
    parser.add_argument("--policy", default="standard")
    parser.add_argument("--chapters", default=",".join(CHAPTERS))
    parser.add_argument("--staff", type=int, default=15000,
                        help="headcount of the large synthetic extract (0: skip)")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                        help="chapters protected at once in the whole-report line "
                             "(the build's EDI_WORKERS)")
    parser.add_argument("--no-report", action="store_true",
                        help="skip the whole-report line per organisation")
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
        if not args.no_report:
            print(_measure_report(org, args.period, args.policy, args.workers), flush=True)
    if args.staff and "workforce" in chapters:
        org = args.orgs.split(",")[0]
        print(_measure("workforce", org, args.period, args.policy, args.staff), flush=True)


if __name__ == "__main__":
    main()
