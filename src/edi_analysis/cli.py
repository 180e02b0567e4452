"""The ``edi-report`` command line.

Exit codes: 0 success; 1 an internal fault (a notebook, the render or the audit failed;
nothing published); 2 bad input or arguments (the message says what to fix). An input
problem never shows a Python traceback; ``--debug`` shows the traceback of any failure.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from edi_analysis.errors import InputError

app = typer.Typer(
    help=(
        "Build the Equality, Diversity and Inclusion annual report of an NHS organisation: "
        "workforce against Census 2021, NHS Staff Survey comparisons, and maternity and "
        "service outcomes by ethnicity and deprivation. Runs on synthetic demo data unless "
        "you give --data."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

OrgOption = Annotated[str, typer.Option(
    "--org", help="ICB code or name: E54000015, QK1, 'Leicester', 'LLR' ...")]
PeriodOption = Annotated[str, typer.Option("--period", help="Financial year, e.g. 2025-26.")]
PolicyOption = Annotated[str, typer.Option(
    "--policy", help="Suppression policy: standard, nhs_digital or under_5_percent.")]
RendererOption = Annotated[str, typer.Option(
    help="auto (Quarto if installed, else the embedded renderer), quarto or embedded.")]
DataOption = Annotated[Path | None, typer.Option(
    "--data", help="Folder of your input files (staff_records.csv/.xlsx, survey_results, "
    "births ...). Omit to use synthetic demo data.", file_okay=False)]
DebugOption = Annotated[bool, typer.Option(
    "--debug", help="Show the Python traceback of a failure (for reporting a bug).")]

_INPUT_HEAD = "Your input files need fixing; nothing was built."


def _fail(message: str, code: int, debug: bool = False) -> None:
    if debug and sys.exc_info()[0] is not None:
        typer.echo(traceback.format_exc(), err=True)
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def _progress_printer():
    """A progress callback printing each stage of a build with the time since its start."""
    import time

    started = time.monotonic()

    def show(line: str) -> None:
        typer.echo(f"  [{time.monotonic() - started:5.0f} s] {line}", err=True)

    return show


def _internal(exc: BaseException, debug: bool) -> None:
    """Exit 1 on a fault of edi-report itself: one line, the traceback with --debug."""
    _fail(f"Internal error ({type(exc).__name__}: {exc}); nothing was published. This is a "
          "fault of edi-report, not of your files: run again with --debug and report the "
          "traceback.", 1, debug)


def _print_warnings(warnings: list) -> None:
    if warnings:
        typer.secho(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''} about the "
                    "input (accepted):", fg=typer.colors.YELLOW, err=True)
        for warning in warnings:
            typer.secho(f"  - {warning}", fg=typer.colors.YELLOW, err=True)


def _checked_inputs(org: str, period: str, data_dir: str | Path | None,
                    survey_years: list[int] | None = None) -> tuple[dict, list]:
    from edi_analysis.input_checks import checked_inputs

    return checked_inputs(org, period, data_dir, survey_years)


@app.command("list-orgs")
def list_orgs() -> None:
    """List the 42 Integrated Care Boards the report can be built for."""
    from edi_analysis.geography import icb_table

    table = icb_table()
    typer.echo(f"{'NHS code':<9}{'ONS code':<11}{'Population':>12}  Name")
    for row in table.itertuples():
        typer.echo(f"{row.icb24_code_nhs:<9}{row.icb24_code:<11}{row.population:>12,}  "
                   f"{row.icb24_name}")
    typer.echo(f"{len(table)} ICBs (ONS LSOA 2021 to ICB April 2024 lookup).")


def _config(org: str, period: str, data: Path | None, out: Path | None, policy: str,
            renderer: str, pdf: bool, self_contained: bool = False):
    from edi_analysis.geography import resolve_org
    from edi_analysis.pipeline import RunConfig

    organisation = resolve_org(org)
    return RunConfig(
        org=organisation.nhs_code, org_name=organisation.name, period=period,
        data_dir=str(data.resolve()) if data else None,
        output_dir=str(out.resolve()) if out else "",
        suppression_policy=policy, renderer=renderer, pdf=pdf, self_contained=self_contained,
    )


@app.command("init-run")
def init_run(
    org: OrgOption,
    period: PeriodOption,
    output: Annotated[Path, typer.Option("--output", "-o", help="Run file to write.")],
    data: DataOption = None,
    policy: Annotated[str, typer.Option(help="Suppression policy.")] = "standard",
) -> None:
    """Write a run file (YAML) holding every parameter of a run, to edit and build."""
    from edi_analysis.pipeline import write_run_file

    try:
        config = _config(org, period, data, None, policy, "auto", True)
    except ValueError as exc:
        _fail(str(exc), 2)
    path = write_run_file(config, output)
    typer.echo(f"Wrote {path}. Build it with: edi-report build --run-file {path}")


@app.command()
def build(
    org: Annotated[str | None, typer.Option(
        "--org", help="ICB code or name: E54000015, QK1, 'Leicester', 'LLR' ...")] = None,
    period: Annotated[str, typer.Option("--period", help="Financial year, e.g. 2025-26.")]
    = "2025-26",
    data: DataOption = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Folder to publish the report to (default output/<org>/<period>).",
        file_okay=False)] = None,
    run_file: Annotated[Path | None, typer.Option(
        "--run-file", help="Build from a run file (see init-run) instead of the options.",
        exists=True, dir_okay=False)] = None,
    policy: PolicyOption = "standard",
    renderer: RendererOption = "auto",
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also make the PDF.")] = True,
    self_contained: Annotated[bool, typer.Option(
        "--self-contained", help="One HTML file with plotly.js inside (about 5 MB more) "
        "instead of a page loading assets/plotly.min.js beside it.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
    debug: DebugOption = False,
) -> None:
    """Build the report for one organisation and period, and publish it.

    Executes the notebooks with papermill into build/<org>/<period>/, renders the report
    (HTML, and PDF with a Chromium-family browser or Quarto) and publishes it to --out,
    with its tables (tables/*.csv) and one spreadsheet. A failed run publishes nothing.
    """
    from edi_analysis import pipeline
    from edi_analysis.pipeline import (
        BuildBusyError,
        NotebookFailedError,
        build_date,
        build_report,
        read_run_file,
    )

    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(message)s")
    try:
        if run_file is not None:
            config = read_run_file(run_file)
        elif org is None:
            _fail("Give --org (see `edi-report list-orgs`) or --run-file.", 2)
        else:
            config = _config(org, period, data, out, policy, renderer, pdf, self_contained)
        build_date()  # a bad SOURCE_DATE_EPOCH is refused before any work
        check_destinations = getattr(pipeline, "check_destinations", None)
        if check_destinations is not None:
            check_destinations(config)
        # fail fast: every input problem, before any notebook runs
        _, warnings = _checked_inputs(
            config.org, config.period, config.data_dir,
            (config.sections.get("staff_survey") or {}).get("years"))
    except typer.Exit:
        raise
    except InputError as exc:
        _fail(f"{_INPUT_HEAD}\n{exc}", 2, debug)
    except (ValueError, FileNotFoundError, PermissionError) as exc:
        _fail(str(exc), 2, debug)
    except Exception as exc:
        _internal(exc, debug)
    _print_warnings(warnings)
    source = "synthetic demo data" if config.is_demo else config.data_dir
    typer.echo(f"Building the {config.period} report for {config.org_name} from {source} ...")
    from edi_analysis.disclosure.audit import DisclosureAuditError

    try:
        result = build_report(config, progress=_progress_printer())
    except (NotebookFailedError, BuildBusyError) as exc:
        _fail(str(exc), 1, debug)
    except DisclosureAuditError as exc:
        _fail(f"The disclosure audit stopped publication; nothing was published.\n{exc}", 1,
              debug)
    except InputError as exc:
        _fail(f"{_INPUT_HEAD}\n{exc}", 2, debug)
    except RuntimeError as exc:
        _fail(f"Rendering failed; nothing was published.\n{exc}", 1, debug)
    except ValueError as exc:  # e.g. a destination that became unwritable
        _fail(f"Nothing was published: {exc}", 2, debug)
    except Exception as exc:
        _internal(exc, debug)
    typer.echo(f"HTML report: {result.html}")
    if result.pdf:
        typer.echo(f"PDF report:  {result.pdf}")
    for note in result.notes:
        typer.secho(note, fg=typer.colors.YELLOW)
    typer.echo(f"Tables (CSV): {result.tables_dir}, and all in one spreadsheet beside the "
               "report")
    typer.echo(f"Run file:    {result.run_file}")
    typer.echo(f"Renderer: {result.renderer}; notebooks {result.seconds_execute:.1f} s, "
               f"render {result.seconds_render:.1f} s.")


@app.command()
def batch(
    orgs: Annotated[str, typer.Option(
        "--orgs", help="'all' (every ICB) or codes/names separated by commas: QK1,QHM.")]
    = "all",
    period: PeriodOption = "2025-26",
    out: Annotated[Path, typer.Option(
        "--out", help="Output folder: reports go to <out>/<org>/<period>/, logs to "
        "<out>/_logs/.", file_okay=False)] = Path("output"),
    data_root: Annotated[Path | None, typer.Option(
        "--data-root", help="Folder with one folder of input files per organisation, "
        "named by NHS code (QK1/, QHM/ ...). Omit to use synthetic demo data.",
        exists=True, file_okay=False)] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", help="Organisations built at the same time (default: the number of "
        "cores).", min=1)] = None,
    policy: PolicyOption = "standard",
    renderer: RendererOption = "auto",
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also make the PDFs.")] = True,
    force: Annotated[bool, typer.Option(
        "--force", help="Rebuild reports that are up to date.")] = False,
) -> None:
    """Build the reports of many organisations in parallel, resuming where a run stopped.

    Each organisation is one `edi-report build` in its own process with its own log; one
    failing does not stop the others. Reports whose code, parameters and input files are
    unchanged since they were built are skipped, so running the same command again after
    Ctrl-C or a killed run picks up where it stopped. Exit 0 when every report is built or
    up to date, 1 when any failed (the summary names them), 2 for bad arguments.
    """
    import os

    from edi_analysis.batch import batch_jobs, run_batch
    from edi_analysis.batch_display import BatchDisplay

    try:
        jobs = batch_jobs(orgs, period, out.resolve(), data_root.resolve() if data_root
                          else None, policy, renderer, pdf)
    except ValueError as exc:
        _fail(str(exc), 2)
    workers = workers or os.cpu_count() or 1
    display = BatchDisplay(jobs, workers)
    try:
        with display:
            outcomes = run_batch(jobs, workers=workers, force=force, on_change=display.update)
    except KeyboardInterrupt:
        _fail("Stopped. Reports already built are kept; run the same command again to "
              "resume.", 130)
    display.summary(outcomes)
    failed = [o.job.org for o in outcomes if o.status == "failed"]
    if failed:
        _fail(f"{len(failed)} of {len(outcomes)} reports failed: {', '.join(failed)} "
              f"(logs in {out / '_logs'}).", 1)


@app.command()
def split(
    inputs: Annotated[list[str], typer.Option(
        "--input", help="STEM=FILE: a national file (CSV, .csv.gz or parquet) for one input, "
        "e.g. staff_records=esr_england.csv or births=msds.parquet. Repeat for each file.")],
    out: Annotated[Path, typer.Option(
        "--out", help="Folder to write <org>/<stem>.csv into (the --data-root of batch).",
        file_okay=False)],
) -> None:
    """Split national files into one folder of input files per organisation, read once.

    A row's organisation comes from its organisation column (Org Code, org_code ...) or,
    for birth records, from the LSOA of residence. Rows with neither are written to
    <out>/_unassigned/ and counted. Then: edi-report batch --data-root <out>.
    """
    from edi_analysis.national import split_national

    files: dict[str, Path] = {}
    for item in inputs:
        stem, sep, name = item.partition("=")
        if not sep or not stem.strip() or not name.strip():
            _fail(f"--input {item!r}: expected STEM=FILE, e.g. staff_records=england.csv", 2)
        path = Path(name.strip())
        if not path.is_file():
            _fail(f"--input {item!r}: no file {path}", 2)
        files[stem.strip()] = path
    try:
        summary = split_national(files, out)
    except InputError as exc:
        _fail(f"A national file needs fixing; nothing more was written.\n{exc}", 2)
    for stem in files:
        orgs = sum(stem in rows for rows in summary.rows.values())
        rows = sum(r.get(stem, 0) for r in summary.rows.values())
        typer.echo(f"{stem:<24}{rows:>10,} rows for {orgs} organisations")
        if summary.unassigned.get(stem):
            typer.secho(f"{'':<24}{summary.unassigned[stem]:>10,} rows with no organisation "
                        f"found: {out / '_unassigned' / (stem + '.csv')}",
                        fg=typer.colors.YELLOW)
    typer.echo(f"Build them with: edi-report batch --data-root {out}")


@app.command()
def publish(
    out: Annotated[Path, typer.Option("--out", help="Folder of the site to write (replaced "
                                      "as a whole when it is ready).", file_okay=False)],
    source: Annotated[Path | None, typer.Option(
        "--from", help="Folder of built reports, <org>/<period>/ (default: output/).",
        file_okay=False)] = None,
    self_contained: Annotated[bool, typer.Option(
        "--self-contained", help="Put plotly.js inside every page instead of one shared "
        "copy in the site's assets/.")] = False,
) -> None:
    """Assemble a static site from built reports: an index page, each report as HTML
    and PDF, its tables as CSV files and one spreadsheet. Copy the folder to a web server.
    """
    from edi_analysis.paths import project_root
    from edi_analysis.publishing.site import PublishError, publish_site

    try:
        result = publish_site(source or project_root() / "output", out,
                              self_contained=self_contained)
    except PublishError as exc:
        _fail(str(exc), 2)
    for report in result.reports:
        page = f"{report.org}/{report.period}/report.html"
        typer.echo(f"{report.org} {report.period}  {report.org_name}  "
                   f"({result.page_bytes[page] / 1e6:.1f} MB page)")
    count = len(result.reports)
    typer.echo(f"Site: {result.site / 'index.html'} ({count} report{'s' if count != 1 else ''}"
               f", {result.total_bytes / 1e6:.1f} MB in all)")


@app.command("demo-data")
def demo_data(
    org: OrgOption,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the files to.",
                                      file_okay=False)],
    period: PeriodOption = "2025-26",
) -> None:
    """Write SYNTHETIC demo input files, to see the formats the report accepts."""
    from edi_analysis.inputs import write_demo_inputs_for

    try:
        written = write_demo_inputs_for(org, period, out)
    except ValueError as exc:
        _fail(str(exc), 2)
    for path in written:
        typer.echo(str(path))


@app.command()
def validate(
    data: Annotated[Path, typer.Option("--data", help="Folder of your input files.",
                                       exists=True, file_okay=False)],
    org: Annotated[str | None, typer.Option(
        "--org", help="ICB code or name: also check the files against the organisation "
        "(e.g. births' areas).")] = None,
    period: Annotated[str | None, typer.Option(
        "--period", help="Financial year, e.g. 2025-26: also check the files' years and "
        "snapshot dates against it.")] = None,
    debug: DebugOption = False,
) -> None:
    """Check your input files and list every problem found.

    With --org and --period, checks everything `edi-report build` checks before it runs
    anything (the files' years and snapshot dates, births' areas, files against each
    other); without them, each file against its own contract only.
    """
    from edi_analysis.io import load_org_inputs, warnings_of

    try:
        if (org is None) != (period is None):
            _fail("Give both --org and --period (or neither).", 2)
        if org is not None:
            config = _config(org, period, data, None, "standard", "auto", False)
            inputs, warnings = _checked_inputs(config.org, config.period, data)
        else:
            inputs = load_org_inputs(data)
            warnings = warnings_of(inputs)
    except typer.Exit:
        raise
    except InputError as exc:
        _fail(str(exc), 2, debug)
    except (ValueError, FileNotFoundError) as exc:
        _fail(str(exc), 2, debug)
    except Exception as exc:
        _internal(exc, debug)
    _print_warnings(warnings)
    for name, frame in inputs.items():
        status = "not supplied" if frame is None else f"{len(frame):,} rows, valid"
        typer.echo(f"{name:<24}{status}")
    if org is None:
        typer.echo("Checked each file on its own; give --org and --period to check them "
                   "against the report as `build` does.")


if __name__ == "__main__":  # pragma: no cover
    app()
