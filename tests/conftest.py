"""Fixtures shared by every test area: the handbook built once per session."""

from __future__ import annotations

import os
import subprocess
import sys
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
