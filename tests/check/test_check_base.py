"""``--base REF``: only what the change since REF introduced, on a real git repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from vault_renderer.check import main
from vault_renderer.check.compare import introduced
from vault_renderer.check.findings import Finding

from tests.check.vaults import GOOD_NOTE, GOOD_TARGET, findings, run, write_vault

OLD_NOTE = "# Old\n\nThis links to [[Nowhere]], which nobody has written yet.\n"


def git(repository: Path, *arguments: str) -> str:
    completed = subprocess.run(
        ["git", *arguments], cwd=repository, capture_output=True, text=True, check=True
    )
    return completed.stdout


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A committed vault holding one old dangling link."""
    write_vault(
        tmp_path,
        {
            "docs/notes/Caching.md": GOOD_NOTE,
            "docs/compute/Compute.md": GOOD_TARGET,
            "docs/notes/Old.md": OLD_NOTE,
        },
    )
    git(tmp_path, "init", "--quiet", "--initial-branch=main")
    git(tmp_path, "config", "user.email", "test@example.com")
    git(tmp_path, "config", "user.name", "Test")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "--quiet", "-m", "vault")
    return tmp_path


class TestChangedOnly:
    def test_the_old_link_is_reported_without_base(self, repository, monkeypatch, capsys):
        status, lines = run(repository, monkeypatch, capsys)
        assert status == 1
        assert [line.split(": error: ")[0] for line in findings(lines)] == [
            "docs/notes/Old.md:3:15"
        ]

    def test_only_a_new_broken_link_is_reported(self, repository, monkeypatch, capsys):
        old = repository / "docs/notes/Old.md"
        old.write_text("# Old\n\nA new line on top.\n\n" + OLD_NOTE.split("\n", 2)[2])
        (repository / "docs/notes/Caching.md").write_text(GOOD_NOTE + "\nSee [[Compte]].\n")
        status, lines = run(repository, monkeypatch, capsys, "--base", "main")
        assert findings(lines) == [
            "docs/notes/Caching.md:12:5: error: VAULT010 unresolved link [[Compte]]: no note or "
            'file is called "Compte" — did you mean [[Compute]]?'
        ]
        assert lines[-1].endswith(
            "1 error, 0 warnings introduced since main (1 older one not shown)"
        )
        assert status == 1

    def test_old_links_alone_pass(self, repository, monkeypatch, capsys):
        (repository / "docs/notes/Caching.md").write_text(GOOD_NOTE + "\nMore text.\n")
        status, lines = run(repository, monkeypatch, capsys, "--base", "main")
        assert (status, findings(lines)) == (0, [])
        assert lines[-1].endswith("no problems introduced since main (1 older one not shown)")

    def test_a_change_outside_the_vault_reports_nothing(self, repository, monkeypatch, capsys):
        (repository / "README.md").write_text("# Handbook\n")
        status, lines = run(repository, monkeypatch, capsys, "--base", "main")
        assert (status, findings(lines)) == (0, [])

    def test_a_new_untracked_note_is_new(self, repository, monkeypatch, capsys):
        (repository / "docs/notes/Draft.md").write_text("# Draft\n\n[[Nowhere]]\n")
        status, lines = run(repository, monkeypatch, capsys, "--base", "main")
        assert [line.split(" — ")[0] for line in findings(lines)] == [
            "docs/notes/Draft.md:1:1: warning: VAULT040 note is not in the navigation, so "
            "readers cannot find it",
            "docs/notes/Draft.md:3:1: error: VAULT010 unresolved link [[Nowhere]]: no note or "
            'file is called "Nowhere"',
        ]
        assert status == 1

    def test_deleting_a_note_breaks_links_in_untouched_notes(self, repository, monkeypatch, capsys):
        (repository / "docs/compute/Compute.md").unlink()
        git(repository, "commit", "--quiet", "-am", "remove Compute")
        status, lines = run(repository, monkeypatch, capsys, "--base", "main~1")
        assert [line.split(" ")[2] for line in findings(lines)] == [
            "VAULT010",
            "VAULT010",
            "VAULT011",
            "VAULT041",
        ]
        assert status == 1

    def test_a_renamed_note_keeps_its_old_findings_old(self, repository, monkeypatch, capsys):
        git(repository, "mv", "docs/notes/Old.md", "docs/notes/Older.md")
        config = repository / "mkdocs.yml"
        config.write_text(config.read_text().replace("notes/Old.md", "notes/Older.md"))
        status, lines = run(repository, monkeypatch, capsys, "--base", "main")
        assert (status, findings(lines)) == (0, [])

    def test_a_second_copy_of_an_old_link_is_new(self, repository, monkeypatch, capsys):
        with (repository / "docs/notes/Old.md").open("a") as note:
            note.write("\nAgain: [[Nowhere]].\n")
        lines = run(repository, monkeypatch, capsys, "--base", "main")[1]
        assert [line.split(": error: ")[0] for line in findings(lines)] == ["docs/notes/Old.md:5:8"]


def test_a_vault_in_a_subfolder_of_the_repository(tmp_path, monkeypatch, capsys):
    project = tmp_path / "handbook"
    write_vault(project, {"docs/Old.md": OLD_NOTE})
    git(tmp_path, "init", "--quiet", "--initial-branch=main")
    git(tmp_path, "add", ".")
    git(tmp_path, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "v")
    with (project / "docs/Old.md").open("a") as note:
        note.write("\nAgain: [[Nowhere]].\n")
    lines = run(project, monkeypatch, capsys, "--base", "main")[1]
    assert [line.split(": error: ")[0] for line in findings(lines)] == ["docs/Old.md:5:8"]


class TestBaseErrors:
    def test_an_unknown_ref_says_how_to_get_it(self, repository, monkeypatch, capsys):
        monkeypatch.chdir(repository)
        assert main(["docs", "--base", "origin/trunk"]) == 2
        assert capsys.readouterr().err == (
            "vault-check: error: --base origin/trunk: unknown git ref; fetch it first "
            "(git fetch origin trunk)\n"
        )

    def test_outside_a_repository(self, tmp_path, monkeypatch, capsys):
        write_vault(tmp_path, {"docs/a.md": "# A\n"})
        monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
        monkeypatch.chdir(tmp_path)
        assert main(["docs", "--base", "main"]) == 2
        err = capsys.readouterr().err
        assert (
            err == f"vault-check: error: --base main: {tmp_path} is not inside a git repository\n"
        )

    def test_without_git(self, repository, monkeypatch, capsys):
        monkeypatch.setenv("PATH", str(repository / "no-such-bin"))
        monkeypatch.chdir(repository)
        assert main(["docs", "--base", "main"]) == 2
        assert capsys.readouterr().err == (
            "vault-check: error: --base main: git is not installed; install git or drop --base\n"
        )


def finding(path: str, line: int, message: str = "unresolved link [[X]]") -> Finding:
    return Finding(path, line, 1, "VAULT010", message, "fix it")


class TestIntroduced:
    """The pure comparison behind ``--base``."""

    def test_a_moved_old_finding_is_not_new(self):
        assert introduced([finding("a.md", 9)], [finding("a.md", 3)], {}, {}) == []

    def test_a_finding_of_a_renamed_file_is_not_new(self):
        assert introduced([finding("b.md", 3)], [finding("a.md", 3)], {"b.md": "a.md"}, {}) == []

    def test_of_two_copies_the_one_on_a_changed_line_is_new(self):
        current = [finding("a.md", 3), finding("a.md", 7)]
        new = introduced(current, [finding("a.md", 3)], {}, {"a.md": frozenset({3})})
        assert new == [finding("a.md", 3)]

    def test_a_different_message_is_new(self):
        current = [finding("a.md", 3, "unresolved link [[Y]]")]
        assert introduced(current, [finding("a.md", 3)], {}, {}) == current
