"""The build step that ships Pyodide and the engine, and Material's icons as files."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from macros.browser_runtime import CORE_FILES, RuntimeBuildError, prepare_runtime
from macros.calculator import site_root_for
from macros.csp_icons import icon_sheet, material_stylesheet, write_icon_sheet
from tests.conftest import REPO


class TestPrepareRuntime:
    def test_missing_node_modules_names_npm_ci(self, tmp_path):
        with pytest.raises(RuntimeBuildError) as raised:
            prepare_runtime(tmp_path)
        assert raised.value.step == "node_modules"
        assert "node_modules/pyodide is missing" in str(raised.value)
        assert "`npm ci`" in str(raised.value)

    @pytest.mark.slow
    def test_a_site_built_without_node_modules_stops_with_one_message(self, tmp_path):
        (tmp_path / "docs").mkdir()
        (tmp_path / "docs/index.md").write_text(
            "---\nrender_macros: true\n---\n# Tool\n\n{{ compute_calculator() }}\n"
        )
        (tmp_path / "mkdocs.yml").write_text(
            "site_name: t\nplugins:\n  - macros:\n      module_name: macros\n"
            "      render_by_default: false\n"
        )
        (tmp_path / "macros").symlink_to(REPO / "macros")
        completed = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build"],
            cwd=tmp_path,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 1
        problems = [line for line in completed.stderr.splitlines() if "INFO" not in line]
        assert problems[0] == (
            "ERROR   -  node_modules/pyodide is missing or incomplete: the calculator ships "
            f"the pinned Pyodide from it. Run `npm ci` (or `make setup`) in {tmp_path}, "
            "then build again."
        )
        assert "Traceback" not in completed.stderr

    @pytest.mark.slow
    def test_builds_once_and_rebuilds_only_what_changed(self, tmp_path):
        project = tmp_path / "project"
        shutil.copytree(
            REPO / "decision_engine",
            project / "decision_engine",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        for name in ("pyproject.toml", "README.md"):
            shutil.copyfile(REPO / name, project / name)
        (project / "node_modules").mkdir()
        (project / "node_modules/pyodide").symlink_to(REPO / "node_modules/pyodide")

        first = prepare_runtime(project)
        lock = json.loads((first.engine_dir / "pyodide-lock.json").read_text())
        assert lock["packages"]["decision-engine"]["file_name"].endswith("-py3-none-any.whl")
        with zipfile.ZipFile(first.stdlib_zip) as archive:
            assert "importlib/__init__.pyc" in archive.namelist()
        stamps = {path: path.stat().st_mtime_ns for path in first.engine_dir.iterdir()}

        assert prepare_runtime(project) == first
        assert {p: p.stat().st_mtime_ns for p in first.engine_dir.iterdir()} == stamps

        with (project / "decision_engine/__init__.py").open("a") as source:
            source.write("\n# changed\n")
        changed = prepare_runtime(project)
        assert changed.engine_dir != first.engine_dir
        assert changed.stdlib_zip == first.stdlib_zip

        site = tmp_path / "site"
        changed.install(site)
        for name in CORE_FILES:
            assert (site / changed.index_path / name).is_file()
        assert (site / changed.lock_path).is_file()
        assert (site / changed.stdlib_path).is_file()


@pytest.mark.parametrize(
    ("page_url", "root"),
    [("tools/compute/", "../../"), ("tools/compute.html", "../"), ("", "./"), ("tools/", "../")],
)
def test_site_root_for(page_url, root):
    assert site_root_for(page_url) == root


class TestIconSheet:
    def test_icons_become_files_under_the_same_custom_properties(self):
        css = (
            ":root{--md-a-icon:url(\"data:image/svg+xml;charset=utf-8,<svg id='a'/>\");"
            "--md-b-icon:url(\"data:image/svg+xml;charset=utf-8,<svg%20id='b'/>\")}"
        )
        sheet, icons = icon_sheet(css)
        assert icons == {"md-a-icon.svg": "<svg id='a'/>", "md-b-icon.svg": "<svg id='b'/>"}
        assert '--md-a-icon: url("csp-icons/md-a-icon.svg");' in sheet
        assert '--md-b-icon: url("csp-icons/md-b-icon.svg");' in sheet

    def test_every_data_url_of_materials_stylesheet_is_replaced(self, tmp_path):
        css = material_stylesheet().read_text(encoding="utf-8")
        write_icon_sheet(tmp_path)
        sheet = (tmp_path / "assets/stylesheets/csp-icons.css").read_text()
        assert css.count('url("data:') == sheet.count("url(") > 0
        for file_name in re.findall(r'url\("csp-icons/([^"]+)"\)', sheet):
            svg = (tmp_path / "assets/stylesheets/csp-icons" / file_name).read_text()
            assert svg.startswith("<svg")

    def test_a_rebuild_into_a_cleaned_site_writes_them_again(self, tmp_path):
        write_icon_sheet(tmp_path)
        sheet = tmp_path / "assets/stylesheets/csp-icons.css"
        icon = next((tmp_path / "assets/stylesheets/csp-icons").iterdir())
        sheet.unlink()
        icon.unlink()
        write_icon_sheet(tmp_path)
        assert sheet.is_file() and icon.read_text().startswith("<svg")

    def test_mkdocs_yml_loads_the_sheet(self):
        assert "  - assets/stylesheets/csp-icons.css" in (REPO / "mkdocs.yml").read_text()


def test_no_file_of_the_runtime_is_missing_from_the_package():
    # The page loads these from the npm package; a Pyodide upgrade that renames one
    # must fail here, not in a reader's browser.
    for name in CORE_FILES:
        assert (Path(REPO) / "node_modules/pyodide" / name).is_file()
