"""CONTRIBUTING.md's path on a copy of the handbook: a new note with a drawing and a link."""

from __future__ import annotations

import shutil

from tests.check.vaults import run
from tests.conftest import REPO

NOTE = "docs/07 Compute/07-03 Auto Scaling.md"


def test_a_typo_in_a_new_note_is_caught_then_fixed(tmp_path, monkeypatch, capsys):
    for folder in ("docs", "diagrams", "templates"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      - 07 Compute/07-01 EC2 Overview.md\n",
            "      - 07 Compute/07-01 EC2 Overview.md\n      - 07 Compute/07-03 Auto Scaling.md\n",
        ),
        encoding="utf-8",
    )
    template = (tmp_path / "templates/note.md").read_text(encoding="utf-8")
    body = (
        "\n## Scaling the read path\n\n![[ElastiCache read path.excalidraw]]\n\n"
        "Instances come from [[07-01 EC2 Overveiw#Instance types]].\n"
    )
    note = tmp_path / NOTE
    note.write_text(
        template.replace("{{title}}", "07-03 Auto Scaling")
        .replace("{{date:DD/MM/YY}}", "23/11/26")
        .replace("[[Note name]] or [[Note name#Heading]]", "notes")
        + body,
        encoding="utf-8",
    )
    text = note.read_text(encoding="utf-8")
    # The template may grow; the link is wherever the body put it.
    link_line = text[: text.index("[[07-01 EC2 Overveiw")].count("\n") + 1
    status, lines = run(tmp_path, monkeypatch, capsys)
    mine = [line for line in lines if line.startswith(NOTE)]
    assert mine == [
        f"{NOTE}:{link_line}:21: error: VAULT010 unresolved link "
        '[[07-01 EC2 Overveiw#Instance types]]: no note or file is called "07-01 EC2 Overveiw" '
        "— did you mean [[07-01 EC2 Overview]]?"
    ]
    assert status == 1

    note.write_text(text.replace("Overveiw", "Overview"), encoding="utf-8")
    status, lines = run(tmp_path, monkeypatch, capsys)
    assert [line for line in lines if line.startswith(NOTE)] == []
    assert not [line for line in lines if ": error: " in line]
    assert status == 0
