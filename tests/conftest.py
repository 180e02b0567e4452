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
