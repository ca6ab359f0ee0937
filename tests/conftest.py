"""Fixtures shared by every test area: the handbook built once per session."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BuiltSite:
    """The handbook built with ``mkdocs build --strict`` into a temporary directory."""

    directory: Path
    log: str
    seconds: float


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """One headless Chromium for the whole session, shared by every browser test.

    Playwright's sync API allows one driver per thread, so browser tests must share it.
    ``make test`` installs Debian's Chromium first; a missing browser is a failure, not
    a skip, so a CI run can never pass without running the browser tests.
    """
    from playwright.sync_api import sync_playwright

    from bench.calculator import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: run scripts/ensure-chromium or set CHROMIUM",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """Build the real handbook once per session, exactly as ``make build`` does."""
    import time

    site_dir = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{completed.stderr}", pytrace=False)
    return BuiltSite(directory=site_dir, log=completed.stderr, seconds=seconds)
