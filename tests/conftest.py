"""Shared fixtures and the browser rule: browser tests run in CI, skip elsewhere if none."""

from __future__ import annotations

import os

import pytest

from edi_analysis.report.pdf import find_browser


@pytest.fixture(scope="session")
def browser() -> str:
    """Path of a Chromium-family browser.

    In CI (``CI=true``, where `.ci/run` installs Debian's chromium) a missing browser fails
    the test; on a developer machine without one the test is skipped with the reason.
    """
    path = find_browser()
    if path is None:
        message = "no Chromium-family browser installed (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


#: The second ICB of the end-to-end tests (LLR is the default demo; this proves "any ICB").
E2E_ORG = "QOC"  # NHS Shropshire, Telford and Wrekin ICB
E2E_PERIOD = "2025-26"


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory):
    """Build the whole report for :data:`E2E_ORG` on demo data, once per test session.

    Uses the real notebooks, papermill, the embedded renderer and (when a browser exists)
    the PDF. Tests using it are marked ``e2e`` and grouped on one xdist worker.

    Returns
    -------
    edi_analysis.pipeline.BuildResult
    """
    from edi_analysis.geography import resolve_org
    from edi_analysis.pipeline import RunConfig, build_report

    tmp = tmp_path_factory.mktemp("e2e")
    org = resolve_org(E2E_ORG)
    config = RunConfig(
        org=org.nhs_code, org_name=org.name, period=E2E_PERIOD,
        output_dir=str(tmp / "published"), processed_dir=str(tmp / "processed"),
        renderer="embedded", pdf=find_browser() is not None,
    )
    return build_report(config, build_root=tmp / "build")


@pytest.fixture(scope="session")
def demo_inputs_dir(tmp_path_factory: pytest.TempPathFactory):
    """The SYNTHETIC demo input files of :data:`E2E_ORG`, as an analyst would see them."""
    from edi_analysis.inputs import write_demo_inputs_for

    folder = tmp_path_factory.mktemp("e2e-inputs")
    write_demo_inputs_for(E2E_ORG, E2E_PERIOD, folder)
    return folder
