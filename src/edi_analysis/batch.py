"""Every organisation's report in one run: parallel builds, a live display, resumable.

A batch is many independent ``edi-report build`` runs, one per organisation, each in
its own process with its own log, so a bad file or a failing cell in one organisation
stops only that one. Each finished report records a **build key** (a hash of the code,
the run's parameters, the input files and the earlier reports it must agree with): a
batch run again skips every report whose key is unchanged, so a batch stopped by Ctrl-C
or a killed process picks up where it stopped. Each build publishes only when it has
fully succeeded (see :mod:`edi_analysis.pipeline`), so a half-written report never
replaces a good one.
"""

from __future__ import annotations

import functools
import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import edi_analysis
from edi_analysis.geography import icb_table, resolve_org
from edi_analysis.paths import project_root

__all__ = ["BatchJob", "JobOutcome", "batch_jobs", "build_key", "run_batch"]

#: File beside a published report holding the build key it was built with.
BUILD_KEY_FILE = ".build-key"
#: Folder of the per-organisation logs, under the batch's output folder.
LOG_FOLDER = "_logs"
#: Code and report sources a build depends on (globbed under the project root).
_SOURCES = ("src/edi_analysis/**/*", "notebooks/*.ipynb", "chapters/**/*", "report.qmd",
            "_quarto.yml", "data/raw/**/*")


@dataclass(frozen=True)
class BatchJob:
    """One organisation's build within a batch."""

    org: str
    org_name: str
    period: str
    out_dir: Path
    log: Path
    data_dir: Path | None = None
    policy: str = "standard"
    renderer: str = "auto"
    pdf: bool = True

    def command(self) -> list[str]:
        """The ``edi-report build`` command line of this job (run as a module)."""
        cmd = [sys.executable, "-m", "edi_analysis.cli", "build", "--org", self.org,
               "--period", self.period, "--out", str(self.out_dir), "--policy", self.policy,
               "--renderer", self.renderer, "--pdf" if self.pdf else "--no-pdf"]
        if self.data_dir is not None:
            cmd += ["--data", str(self.data_dir)]
        return cmd


@dataclass
class JobOutcome:
    """What happened to one job: ``built``, ``up to date`` or ``failed``."""

    job: BatchJob
    status: str
    seconds: float = 0.0
    message: str = ""


def batch_jobs(orgs: str | Sequence[str], period: str, out: Path,
               data_root: Path | None = None, policy: str = "standard",
               renderer: str = "auto", pdf: bool = True) -> list[BatchJob]:
    """Return the jobs of a batch, one per organisation, in the order given.

    Parameters
    ----------
    orgs : str or sequence of str
        ``"all"`` (every ICB), or codes or names separated by commas.
    period : str
        Financial year, e.g. ``"2025-26"``.
    out : Path
        Output folder; each report goes to ``out/<org>/<period>/`` (the layout of
        ``edi-report build``) and each log to ``out/_logs/<org>-<period>.log``.
    data_root : Path, optional
        Folder holding one folder of input files per organisation, named by its NHS
        code (``data_root/QK1/``). None builds from synthetic demo data.
    policy, renderer, pdf
        As for ``edi-report build``.

    Raises
    ------
    ValueError
        If an organisation is not recognised (the message names it) or none is given.
    """
    if isinstance(orgs, str):
        wanted = [o.strip() for o in orgs.split(",") if o.strip()]
    else:
        wanted = [str(o).strip() for o in orgs]
    if wanted == ["all"]:
        wanted = list(icb_table()["icb24_code_nhs"])
    if not wanted:
        raise ValueError("--orgs: give 'all' or organisation codes separated by commas")
    jobs: list[BatchJob] = []
    seen: set[str] = set()
    for name in wanted:
        org = resolve_org(name)  # raises ValueError naming the organisation
        if org.nhs_code in seen:
            continue
        seen.add(org.nhs_code)
        data = None if data_root is None else Path(data_root) / org.nhs_code
        jobs.append(BatchJob(
            org=org.nhs_code, org_name=org.name, period=period,
            out_dir=Path(out) / org.nhs_code / period,
            log=Path(out) / LOG_FOLDER / f"{org.nhs_code}-{period}.log",
            data_dir=data, policy=policy, renderer=renderer, pdf=pdf))
    return jobs


def _digest_files(digest: hashlib._Hash, paths: Iterable[Path], base: Path) -> None:
    for path in sorted(p for p in paths if p.is_file()):
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())


@functools.lru_cache(maxsize=4)
def _sources_digest(root: Path) -> str:
    """SHA-256 of the package version and every code, report and reference-data file."""
    digest = hashlib.sha256(edi_analysis.__version__.encode())
    for pattern in _SOURCES:
        _digest_files(digest, (p for p in root.glob(pattern) if "__pycache__" not in p.parts),
                      root)
    return digest.hexdigest()


def build_key(job: BatchJob, root: Path | None = None) -> str:
    """Return the content hash that decides whether a job's report is up to date.

    Method: SHA-256 over the package version, the code, report and reference-data files
    (:data:`_SOURCES`), the job's parameters, the content of its input files (or the
    word "demo"), and the disclosure ledgers of the organisation's other published
    periods (next year's report must agree with last year's). File names enter
    relative to their folder, so the key does not depend on where the project lives.
    """
    digest = hashlib.sha256(_sources_digest(root or project_root()).encode())
    digest.update(repr((job.org, job.period, job.policy, job.renderer, job.pdf)).encode())
    if job.data_dir is None:
        digest.update(b"demo")
    elif job.data_dir.is_dir():
        _digest_files(digest, job.data_dir.iterdir(), job.data_dir)
    org_folder = job.out_dir.parent
    ledgers = [p for p in org_folder.glob("*/release-ledger.json")
               if p.parent.name != job.period]
    _digest_files(digest, ledgers, org_folder)
    return digest.hexdigest()


def _up_to_date(job: BatchJob, key: str) -> bool:
    marker = job.out_dir / BUILD_KEY_FILE
    return (job.out_dir / "report.html").exists() and marker.exists() and \
        marker.read_text(encoding="utf-8").strip() == key


def _failure_message(log: Path) -> str:
    """What a failed build's log says went wrong: its first problem line, and how many more.

    Progress lines ("  [  12 s] ...") and the opening "Building ..." line are skipped.
    """
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "no log written"
    lines = [x.strip() for x in text.splitlines()
             if x.strip() and not x.startswith("  [") and not x.startswith("Building the ")]
    if not lines:
        return "no output"
    problems = [x[2:] for x in lines if x.startswith("- ")]
    if problems:  # an input error: its headline and first problem
        more = f" (and {len(problems) - 1} more in the log)" if len(problems) > 1 else ""
        return f"{lines[0]} {problems[0]}"[:400] + more
    more = f" (and {len(lines) - 1} more lines in the log)" if len(lines) > 1 else ""
    return lines[0][:400] + more


class _Runner:
    """Runs jobs as child processes; stops them all on Ctrl-C."""

    def __init__(self) -> None:
        self.children: dict[str, subprocess.Popen] = {}
        self.lock = threading.Lock()
        self.stopping = False

    def run(self, job: BatchJob, key: str, force: bool) -> JobOutcome:
        if self.stopping:
            return JobOutcome(job, "failed", 0.0, "not started: the batch was stopped")
        if not force and _up_to_date(job, key):
            return JobOutcome(job, "up to date")
        if job.data_dir is not None and not job.data_dir.is_dir():
            return JobOutcome(job, "failed", 0.0,
                              f"no input folder {job.data_dir.name}/ in the data folder "
                              f"(expected one folder per organisation, named by its NHS code)")
        job.log.parent.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        # one notebook (and one attacker process) at a time inside each build: the batch's
        # parallelism is across organisations
        env.setdefault("EDI_WORKERS", "1")
        started = time.monotonic()
        with job.log.open("w", encoding="utf-8") as log:
            proc = subprocess.Popen(job.command(), stdout=log, stderr=subprocess.STDOUT,
                                    env=env, cwd=project_root())
            with self.lock:
                self.children[job.org] = proc
            code = proc.wait()
            with self.lock:
                self.children.pop(job.org, None)
        seconds = time.monotonic() - started
        if code != 0:
            return JobOutcome(job, "failed", seconds,
                              f"exit {code}: {_failure_message(job.log)}")
        (job.out_dir / BUILD_KEY_FILE).write_text(key + "\n", encoding="utf-8")
        return JobOutcome(job, "built", seconds)

    def stop(self, grace: float = 60.0) -> None:
        """Interrupt every running build (each marks its staging folder) and wait."""
        self.stopping = True
        with self.lock:
            children = list(self.children.values())
        for proc in children:
            proc.send_signal(signal.SIGINT)
        deadline = time.monotonic() + grace
        for proc in children:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()


def run_batch(jobs: Sequence[BatchJob], workers: int = 2, force: bool = False,
              on_change: Callable[[list[JobOutcome], list[str]], None] | None = None
              ) -> list[JobOutcome]:
    """Build every job, ``workers`` at a time; return their outcomes in job order.

    Parameters
    ----------
    jobs : sequence of BatchJob
    workers : int, default 2
        Builds run at the same time (each runs its notebooks one at a time).
    force : bool, default False
        Rebuild reports that are up to date.
    on_change : callable, optional
        Called with (outcomes so far, organisations running) whenever a job starts or
        ends, for a progress display.

    Notes
    -----
    On Ctrl-C the running builds are interrupted (they publish nothing and mark their
    staging folders for removal), jobs not started are reported as failed, and
    ``KeyboardInterrupt`` is raised again. Reports already built keep their build keys,
    so the next run resumes.
    """
    keys = {job.org: build_key(job) for job in jobs}
    runner = _Runner()
    outcomes: dict[str, JobOutcome] = {}
    running: list[str] = []
    lock = threading.Lock()

    def changed() -> None:
        if on_change is not None:
            on_change([outcomes[j.org] for j in jobs if j.org in outcomes], list(running))

    def one(job: BatchJob) -> JobOutcome:
        with lock:
            running.append(job.org)
            changed()
        try:
            outcome = runner.run(job, keys[job.org], force)
        except OSError as exc:  # the log or output folder cannot be written
            outcome = JobOutcome(job, "failed", 0.0, str(exc))
        with lock:
            running.remove(job.org)
            outcomes[job.org] = outcome
            changed()
        return outcome

    pool = ThreadPoolExecutor(max_workers=max(1, workers))
    try:
        futures = [pool.submit(one, job) for job in jobs]
        for future in futures:
            while not future.done():
                time.sleep(0.2)  # wakes for Ctrl-C, which a blocking wait would not
    except KeyboardInterrupt:
        runner.stop()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [outcomes[j.org] for j in jobs]
