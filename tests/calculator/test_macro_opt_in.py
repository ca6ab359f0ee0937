"""Notes are content: only the tool pages may run macros at build time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

NOTE_WITH_TEMPLATES = """\
---
title: Templates in a note
render_macros: true
---
# Templates in a note

A CloudFormation dynamic reference: `{{resolve:ssm:/app/db-password:1}}`

{{ 6 * 7 }}
"""

TOOL_PAGE = """\
---
render_macros: true
---
# Tool

{{ 6 * 7 }}
"""


def build(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(project / "site")],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """A tiny site with a note and a tool page that both opt in to macros, built once."""
    tmp_path = tmp_path_factory.mktemp("opt-in")
    (tmp_path / "docs" / "notes").mkdir(parents=True)
    (tmp_path / "docs" / "tools").mkdir()
    (tmp_path / "docs" / "notes" / "templates.md").write_text(NOTE_WITH_TEMPLATES)
    (tmp_path / "docs" / "tools" / "index.md").write_text(TOOL_PAGE)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nplugins:\n  - macros:\n      module_name: macros\n"
        "      render_by_default: false\n"
    )
    (tmp_path / "macros").symlink_to(REPO / "macros")
    # The macros module ships the engine with every build, so the project is needed too.
    for name in ("node_modules", "pyproject.toml", "README.md", "decision_engine"):
        (tmp_path / name).symlink_to(REPO / name)
    return tmp_path, build(tmp_path)


def test_a_note_that_opts_in_is_shown_as_written_with_a_warning(built) -> None:
    project, completed = built
    assert completed.returncode == 0, completed.stderr
    note = (project / "site" / "notes" / "templates" / "index.html").read_text()
    assert "{{resolve:ssm:/app/db-password:1}}" in note
    assert "{{ 6 * 7 }}" in note and "42" not in note
    assert (
        "WARNING -  docs/notes/templates.md: render_macros is allowed only on pages under "
        "docs/tools/; the page is shown as written, without running its macros"
    ) in completed.stderr


def test_a_tool_page_still_runs_its_macros(built) -> None:
    project, completed = built
    assert completed.returncode == 0, completed.stderr
    tool = (project / "site" / "tools" / "index.html").read_text()
    assert "<p>42</p>" in tool
