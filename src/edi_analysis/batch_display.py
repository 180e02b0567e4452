"""What a person watching a batch sees: a live progress display, then a summary table.

On a terminal the display is a live bar (reports done, failed and remaining, elapsed
and estimated time, the organisations being built). Elsewhere (a scheduler's log) it
prints one line per finished report instead, since a redrawn bar would fill the log.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from edi_analysis.batch import BatchJob, JobOutcome

__all__ = ["BatchDisplay"]


class BatchDisplay:
    """Live progress of a batch (a context manager), and its closing summary."""

    def __init__(self, jobs: Sequence[BatchJob], workers: int,
                 console: Console | None = None) -> None:
        self.jobs = list(jobs)
        self.workers = workers
        self.console = console or Console(stderr=True)
        self.started = time.monotonic()
        self.reported: set[str] = set()
        self.progress: Progress | None = None
        self.task = None

    def __enter__(self) -> BatchDisplay:
        logs = self.jobs[0].log.parent if self.jobs else "-"
        self.console.print(f"Building {len(self.jobs)} reports, {self.workers} at a time; "
                           f"each report's log is in {logs}.")
        if self.console.is_terminal:
            self.progress = Progress(
                TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[tally]}"), TimeElapsedColumn(),
                TextColumn("left"), TimeRemainingColumn(),
                TextColumn("{task.fields[running]}"), console=self.console)
            self.progress.__enter__()
            self.task = self.progress.add_task("reports", total=len(self.jobs), tally="",
                                               running="")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.__exit__(*exc)

    def update(self, outcomes: list[JobOutcome], running: list[str]) -> None:
        """Show the outcomes so far and the organisations being built."""
        counts = {s: sum(o.status == s for o in outcomes)
                  for s in ("built", "up to date", "failed")}
        tally = (f"built {counts['built']} · up to date {counts['up to date']} · "
                 f"failed {counts['failed']} · remaining {len(self.jobs) - len(outcomes)}")
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, completed=len(outcomes), tally=tally,
                                 running=("building " + ", ".join(running)) if running else "")
            return
        for o in outcomes:
            if o.job.org not in self.reported:
                self.reported.add(o.job.org)
                elapsed = time.monotonic() - self.started
                self.console.print(f"[{elapsed:6.0f} s] {o.job.org} {o.status}"
                                   f"{f' in {o.seconds:.0f} s' if o.seconds else ''}"
                                   f"{f': {o.message}' if o.message else ''} ({tally})")

    def summary(self, outcomes: Sequence[JobOutcome]) -> None:
        """Print one row per organisation: status, time, and what failed."""
        table = Table(title=f"Batch finished in {time.monotonic() - self.started:.0f} s")
        for column in ("Organisation", "Period", "Status", "Seconds", "Report or problem"):
            table.add_column(column)
        for o in outcomes:
            where = str(o.job.out_dir / "report.html") if o.status != "failed" else o.message
            style = "red" if o.status == "failed" else None
            table.add_row(o.job.org, o.job.period, o.status,
                          f"{o.seconds:.0f}" if o.seconds else "", where, style=style)
        self.console.print(table)
