"""The command line as CI and contributors run it, and the formats it prints."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml
from vault_renderer.check import CHECKS, Finding, main
from vault_renderer.check.cli import parse_size
from vault_renderer.check.report import format_github, format_text

from tests.check.vaults import GOOD_NOTE, GOOD_TARGET, run, write_vault
from tests.conftest import REPO

BROKEN = {
    "docs/notes/Caching.md": GOOD_NOTE + "\nSee [[Compte]].\n",
    "docs/compute/Compute.md": GOOD_TARGET,
}


class TestSubprocess:
    def test_python_m_reports_and_fails(self, tmp_path):
        write_vault(tmp_path, BROKEN)
        completed = subprocess.run(
            [sys.executable, "-m", "vault_renderer.check", "docs"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 1
        assert completed.stderr == ""
        first, summary = completed.stdout.splitlines()
        assert first == (
            "docs/notes/Caching.md:12:5: error: VAULT010 unresolved link [[Compte]]: no note or "
            'file is called "Compte" — did you mean [[Compute]]?'
        )
        assert re.fullmatch(
            r"checked 2 notes, 0 drawings and 0 images in \d+\.\d\d s: 1 error, 0 warnings",
            summary,
        )

    def test_github_annotations(self, tmp_path):
        write_vault(tmp_path, BROKEN)
        completed = subprocess.run(
            [sys.executable, "-m", "vault_renderer.check", "docs", "--format=github"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 1
        assert completed.stdout.splitlines()[0] == (
            "::error file=docs/notes/Caching.md,line=12,col=5,title=VAULT010 unresolved "
            'wikilink::unresolved link [[Compte]]: no note or file is called "Compte"%0Adid you '
            "mean [[Compute]]?"
        )

    def test_a_missing_vault_is_a_usage_error(self, tmp_path):
        completed = subprocess.run(
            [sys.executable, "-m", "vault_renderer.check", "notes"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert (completed.returncode, completed.stdout) == (2, "")
        assert completed.stderr == (
            "vault-check: error: notes is not a directory; name the vault, e.g. docs\n"
        )

    def test_paths_are_shown_from_where_it_runs(self, tmp_path):
        write_vault(tmp_path / "handbook", BROKEN)
        completed = subprocess.run(
            [sys.executable, "-m", "vault_renderer.check", "handbook/docs"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.stdout.startswith("handbook/docs/notes/Caching.md:12:5: error: ")


class TestExitStatus:
    @pytest.mark.parametrize(
        ("files", "arguments", "status"),
        [
            ({"docs/a.md": "# A\n"}, (), 0),
            ({"docs/a.md": "Untitled.\n"}, (), 0),
            ({"docs/a.md": "Untitled.\n"}, ("--strict",), 1),
            ({"docs/a.md": "# A\n\n[[B]]\n"}, (), 1),
        ],
        ids=["clean", "warning", "warning, strict", "error"],
    )
    def test_status(self, files, arguments, status, tmp_path, monkeypatch, capsys):
        write_vault(tmp_path, files)
        assert run(tmp_path, monkeypatch, capsys, *arguments)[0] == status


class TestFormats:
    FINDING = Finding("docs/a, b.md", 3, 7, "VAULT010", "unresolved link [[50%: x]]", "fix\nit")

    def test_text(self):
        assert format_text(self.FINDING, "docs/a, b.md") == (
            "docs/a, b.md:3:7: error: VAULT010 unresolved link [[50%: x]] — fix\nit"
        )

    def test_github_escapes_properties_and_message(self):
        assert format_github(self.FINDING, "docs/a, b.md") == (
            "::error file=docs/a%2C b.md,line=3,col=7,title=VAULT010 unresolved wikilink"
            "::unresolved link [[50%25: x]]%0Afix%0Ait"
        )

    def test_an_unknown_code_is_refused(self):
        with pytest.raises(ValueError, match="unknown finding code 'VAULT999'"):
            Finding("a.md", 1, 1, "VAULT999", "m", "h")


class TestSizes:
    @pytest.mark.parametrize(
        ("text", "size"),
        [("1MB", 1_000_000), ("500 KB", 500_000), ("2MiB", 2_097_152), ("1234", 1234)],
    )
    def test_parse(self, text, size):
        assert parse_size(text) == size

    def test_a_bad_size_is_a_usage_error(self, capsys):
        with pytest.raises(SystemExit) as exit_info:
            main(["docs", "--max-image-size=big"])
        assert exit_info.value.code == 2
        assert "'big' is not a size" in capsys.readouterr().err


class TestDocumentation:
    CONTRIBUTING = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")

    @pytest.mark.parametrize("code", CHECKS)
    def test_every_code_is_documented(self, code):
        assert f"| {code} |" in self.CONTRIBUTING or f"| `{code}` |" in self.CONTRIBUTING

    def test_the_checklist_is_the_pull_request_template(self):
        template = (REPO / ".github/pull_request_template.md").read_text(encoding="utf-8")
        boxes = [line for line in template.splitlines() if line.startswith("- [ ] ")]
        assert boxes
        assert all(box in self.CONTRIBUTING for box in boxes)

    def test_the_workflow_checks_the_change_then_tests(self):
        workflow = yaml.safe_load((REPO / ".github/workflows/pull-request.yml").read_text())
        # YAML 1.1 reads the key `on` as True.
        assert "pull_request" in workflow[True]
        steps = workflow["jobs"]["check-and-test"]["steps"]
        assert steps[0]["with"]["fetch-depth"] == 0
        versions = {step["uses"].split("@")[0]: step.get("with", {}) for step in steps[:3]}
        assert versions["actions/setup-python"]["python-version"] == "3.13"
        assert versions["actions/setup-node"]["node-version"] == "20"
        runs = [step["run"] for step in steps if "run" in step]
        assert runs == [
            "make check BASE=origin/${{ github.base_ref }} CHECK_ARGS=--format=github",
            "make test",
        ]

    def test_the_note_template_is_outside_the_site_and_passes(self, tmp_path, monkeypatch, capsys):
        template = (REPO / "templates/note.md").read_text(encoding="utf-8")
        filled = template.replace("{{title}}", "Auto Scaling").replace(
            "{{date:DD/MM/YY}}", "23/11/26"
        )
        filled = filled.replace("[[Note name]] or [[Note name#Heading]]", "[[Auto Scaling]]")
        write_vault(tmp_path, {"docs/compute/Auto Scaling.md": filled})
        status, lines = run(tmp_path, monkeypatch, capsys)
        assert (status, lines[:-1]) == (0, [])
        assert not (REPO / "docs/templates").exists()
