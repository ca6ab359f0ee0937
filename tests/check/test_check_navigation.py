"""VAULT040 and VAULT041 when the navigation comes from the folders (no ``nav:``)."""

from __future__ import annotations

import pytest

from tests.check.vaults import findings, run, write_vault

TOP = """\
nav:
  - Home: index.md
  - Notes:
      - glob: "*"
        ignore_no_matches: true
"""


def vault(tmp_path, files):
    """A vault whose mkdocs.yml has no ``nav:``, so the folders are the navigation."""
    write_vault(tmp_path, {"docs/index.md": "# Home\n", **files}, nav=[])
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")


class TestFolderNavigation:
    def test_a_note_in_a_new_folder_needs_no_edit(self, tmp_path, monkeypatch, capsys):
        vault(tmp_path, {"docs/.nav.yml": TOP, "docs/08 Databases/08-01 RDS.md": "# RDS\n"})
        status, lines = run(tmp_path, monkeypatch, capsys)
        assert (status, findings(lines)) == (0, [])

    def test_a_note_a_nav_file_leaves_out(self, tmp_path, monkeypatch, capsys):
        top = "nav:\n  - index.md\n"
        vault(tmp_path, {"docs/.nav.yml": top, "docs/notes/Orphan.md": "# Orphan\n"})
        status, lines = run(tmp_path, monkeypatch, capsys)
        assert [line.split(" — ")[0] for line in findings(lines)] == [
            "docs/notes/Orphan.md:1:1: warning: VAULT040 note is left out of the navigation "
            "by docs/.nav.yml, so no menu leads to it"
        ]
        assert status == 0

    @pytest.mark.parametrize(
        ("entry", "message"),
        [
            (
                "Nowhere",
                "docs/.nav.yml:3:1: error: VAULT041 navigation: The nav item 'Nowhere' "
                "doesn't match any files or directories",
            ),
            (
                "Old: notes/Cashing.md",
                "docs/.nav.yml:3:1: error: VAULT041 navigation names notes/Cashing.md, which "
                "is not in docs/",
            ),
        ],
    )
    def test_an_entry_naming_no_file(self, tmp_path, monkeypatch, capsys, entry, message):
        top = f'nav:\n  - index.md\n  - {entry}\n  - "*"\n'
        vault(tmp_path, {"docs/.nav.yml": top, "docs/notes/Caching.md": "# Caching\n"})
        status, lines = run(tmp_path, monkeypatch, capsys)
        assert [line.split(" — ")[0] for line in findings(lines)] == [message]
        assert status == 1

    def test_a_nav_order_that_is_no_number(self, tmp_path, monkeypatch, capsys):
        note = "---\ntitle: A\nnav_order: first\n---\n# A\n"
        vault(tmp_path, {"docs/.nav.yml": TOP, "docs/a/A.md": note})
        status, lines = run(tmp_path, monkeypatch, capsys)
        assert [line.split(" — ")[0] for line in findings(lines)] == [
            "docs/a/A.md:3:1: error: VAULT002 front matter `nav_order` must be a number "
            "(such as 1 or 2.5), not 'first'"
        ]
        assert status == 1
