"""Run files, papermill execution into build folders, and the never-overwrite-good rule."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from edi_analysis.pipeline import (
    NOTEBOOKS,
    NotebookFailedError,
    RunConfig,
    build_report,
    read_run_file,
    write_run_file,
)


def _config(tmp_path: Path, **kw) -> RunConfig:
    base = dict(
        org="QK1",
        org_name="NHS Test ICB",
        period="2025-26",
        output_dir=str(tmp_path / "published"),
        processed_dir=str(tmp_path / "tables"),
        renderer="embedded",
        pdf=False,
    )
    base.update(kw)
    return RunConfig(**base)


def test_run_file_round_trip(tmp_path: Path) -> None:
    config = _config(tmp_path, sections={"staff_survey": {"rag_threshold": 2.5}})
    path = write_run_file(config, tmp_path / "run.yml")
    assert path.read_text().startswith("# edi-report run file")
    assert read_run_file(path) == config


@pytest.mark.parametrize("period", ["2025", "2025-2026", "2025-27", "25-26"])
def test_period_must_be_a_financial_year(tmp_path: Path, period: str) -> None:
    with pytest.raises(ValueError, match="financial year like 2025-26"):
        _config(tmp_path, period=period)


def test_run_file_with_unknown_key_names_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text("org: QK1\norg_name: X\nperiod: 2025-26\nsupression_policy: standard\n")
    with pytest.raises(ValueError, match=r"bad\.yml.*supression_policy"):
        read_run_file(path)


def test_unknown_section_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="workfroce"):
        _config(tmp_path, sections={"workfroce": {}})


def _mini_project(root: Path, failing: bool = False, value: str = "first") -> Path:
    """A project with the pipeline's notebooks, each showing one labelled output."""
    (root / "chapters").mkdir(parents=True, exist_ok=True)
    (root / "notebooks").mkdir(exist_ok=True)
    (root / "_quarto.yml").write_text("project:\n  type: default\nmetadata-files: [_run.yml]\n")
    embeds = "\n\n".join(f"{{{{< embed notebooks/{n}.ipynb#txt-{n} >}}}}" for n in NOTEBOOKS)
    (root / "report.qmd").write_text(f'---\ntitle: "T"\n---\n\n# S\n\n{embeds}\n')
    for name in NOTEBOOKS:
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        params = nbformat.v4.new_code_cell(
            "org = 'QK1'\nperiod = '2025-26'\ndata_dir = None\noutput_dir = 'out'\n"
            "suppression_policy = 'standard'\nthreshold = 1"
        )
        params.metadata["tags"] = ["parameters"]
        body = (
            "raise ValueError('bad value in row 7')"
            if failing and name == "workforce"
            else f"from IPython.display import Markdown\nMarkdown('{name} {value} "
            "' + org + ' ' + str(threshold))"
        )
        nb.cells = [params, nbformat.v4.new_code_cell(f"#| label: txt-{name}\n{body}")]
        nbformat.write(nb, root / "notebooks" / f"{name}.ipynb")
    return root


def test_build_executes_notebooks_with_run_parameters(tmp_path: Path) -> None:
    root = _mini_project(tmp_path / "proj")
    config = _config(tmp_path, sections={"maternity": {"threshold": 7}})
    result = build_report(config, root=root, build_root=tmp_path / "build")
    html = result.html.read_text()
    assert "workforce first QK1 1" in html and "maternity first QK1 7" in html
    assert result.build_dir == tmp_path / "build" / "QK1" / "2025-26"
    assert (result.build_dir / "notebooks" / "workforce.ipynb").exists()
    assert "threshold: 7" in result.run_file.read_text()
    assert result.pdf is None


def test_failed_run_names_notebook_and_cell_and_keeps_published_report(tmp_path: Path) -> None:
    root = _mini_project(tmp_path / "proj")
    config = _config(tmp_path)
    good = build_report(config, root=root, build_root=tmp_path / "build")
    before = good.html.read_text()
    _mini_project(root, failing=True)
    with pytest.raises(NotebookFailedError, match=r"workforce\.ipynb failed in cell .*bad value"):
        build_report(config, root=root, build_root=tmp_path / "build")
    assert good.html.read_text() == before
    assert (tmp_path / "build" / "QK1" / "2025-26" / "notebooks" / "overview.ipynb").exists()


def test_a_failed_run_keeps_its_stage_until_the_next_run_of_the_period(tmp_path: Path) -> None:
    root = _mini_project(tmp_path / "proj", failing=True)
    config = _config(tmp_path)
    parent = tmp_path / "build" / "QK1"
    for _ in range(2):
        with pytest.raises(NotebookFailedError) as info:
            build_report(config, root=root, build_root=tmp_path / "build")
        stages = list(parent.glob("staging-2025-26-*"))
        assert len(stages) == 1  # the earlier failure was removed, this one is kept
        assert (stages[0] / "FAILED").read_text().startswith("NotebookFailedError")
        assert str(stages[0]) in str(info.value)  # where the traceback is kept
    running = parent / "staging-2025-26-20990101T000000000000"
    running.mkdir()  # another run still going: no marker, so left alone
    _mini_project(root)
    build_report(config, root=root, build_root=tmp_path / "build")
    assert list(parent.glob("staging-2025-26-*")) == [running]


def test_unknown_section_parameter_is_refused_before_running(tmp_path: Path) -> None:
    root = _mini_project(tmp_path / "proj")
    config = _config(tmp_path, sections={"workforce": {"treshold": 2}})
    with pytest.raises(ValueError, match="treshold"):
        build_report(config, root=root, build_root=tmp_path / "build")


def test_runs_for_different_orgs_use_separate_build_folders(tmp_path: Path) -> None:
    root = _mini_project(tmp_path / "proj")
    a = build_report(
        _config(tmp_path, output_dir=str(tmp_path / "a")), root=root, build_root=tmp_path / "build"
    )
    b = build_report(
        _config(tmp_path, org="QHM", output_dir=str(tmp_path / "b")),
        root=root,
        build_root=tmp_path / "build",
    )
    assert a.build_dir != b.build_dir
    assert "QK1" in a.html.read_text() and "QHM" in b.html.read_text()


def test_relative_paths_in_a_run_file_are_relative_to_the_run_file(tmp_path: Path) -> None:
    (tmp_path / "runs").mkdir()
    path = tmp_path / "runs" / "r.yml"
    path.write_text("org: QK1\norg_name: X\nperiod: 2025-26\ndata_dir: ../inputs\n")
    assert read_run_file(path).data_dir == str((tmp_path / "inputs").resolve())


def test_build_leaves_the_working_directory_alone(tmp_path: Path) -> None:
    import os

    root = _mini_project(tmp_path / "proj")
    before = os.getcwd()
    build_report(_config(tmp_path), root=root, build_root=tmp_path / "build")
    assert os.getcwd() == before


def test_synthetic_files_are_labelled_synthetic_even_when_given_as_own_data(
        tmp_path: Path) -> None:
    import pandas as pd

    from edi_analysis.pipeline import DEMO_NOTICE, data_notice

    own = _config(tmp_path, data_dir=str(tmp_path))
    synthetic = {"staff_records": pd.DataFrame({"data_label": ["SYNTHETIC"]}), "births": None}
    real = {"staff_records": pd.DataFrame({"employee_id": ["1"]}), "births": None}
    assert data_notice(own, synthetic) == DEMO_NOTICE
    assert "own records" in data_notice(own, real)
    assert data_notice(_config(tmp_path), real) == DEMO_NOTICE


def test_a_kernel_that_dies_while_starting_is_started_again(tmp_path: Path, monkeypatch) -> None:
    import papermill as pm

    from edi_analysis import pipeline

    calls = []
    real = pm.execute_notebook

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline.pm, "execute_notebook", flaky)
    root = _mini_project(tmp_path / "proj")
    pipeline._execute(root / "notebooks" / "overview.ipynb", tmp_path / "out.ipynb", {})
    assert len(calls) == 2 and (tmp_path / "out.ipynb").exists()


def test_other_runtime_errors_are_not_retried(tmp_path: Path, monkeypatch) -> None:
    from edi_analysis import pipeline

    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("something else")

    monkeypatch.setattr(pipeline.pm, "execute_notebook", broken)
    with pytest.raises(RuntimeError, match="something else"):
        pipeline._execute(tmp_path / "x.ipynb", tmp_path / "y.ipynb", {})
    assert len(calls) == 1


def test_question_catalogue_in_a_run_file_is_relative_to_the_run_file(tmp_path: Path) -> None:
    (tmp_path / "runs").mkdir()
    path = tmp_path / "runs" / "r.yml"
    path.write_text("org: QK1\norg_name: X\nperiod: 2025-26\nsections:\n  staff_survey:\n"
                    "    question_catalogue: ../my_catalogue.csv\n")
    got = read_run_file(path).sections["staff_survey"]["question_catalogue"]
    assert got == str((tmp_path / "my_catalogue.csv").resolve())


def test_published_page_loads_plotly_beside_it_unless_self_contained(tmp_path: Path) -> None:
    from edi_analysis.report.render import plotly_js

    root = _mini_project(tmp_path / "proj")
    light = build_report(_config(tmp_path), root=root, build_root=tmp_path / "build")
    page = light.html.read_text()
    assert plotly_js() not in page
    assert '<script data-edi-plotly="" src="assets/plotly.min.js"></script>' in page
    assert (light.html.parent / "assets" / "plotly.min.js").read_text() == plotly_js()
    single = build_report(_config(tmp_path / "single", self_contained=True), root=root,
                          build_root=tmp_path / "build")
    assert plotly_js() in single.html.read_text()
    assert not (single.html.parent / "assets").exists()
    assert "self_contained: true" in single.run_file.read_text()
