"""Small vaults for the check's tests, written into ``tmp_path`` from strings."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from vault_renderer.check import main

GOOD_NOTE = """\
---
title: Caching
date: 07/10/23
tags: [aws, performance]
---

Put [[Compute]] behind a cache; see [[Compute#Lambda|Lambda]] and
[the EC2 section](../compute/Compute.md#ec2).

## Read path
"""

GOOD_TARGET = """\
---
title: Compute
date: 2023-10-07
---

## Lambda

## EC2
"""


def write_vault(
    root: Path, files: Mapping[str, str | bytes], *, nav: list[str] | None = None
) -> Path:
    """Write ``files`` (paths relative to ``root``) and an ``mkdocs.yml`` listing ``nav``.

    Args:
        root: The project directory.
        files: ``path -> text or bytes``, e.g. ``{"docs/a.md": "# A"}``.
        nav: The docs-relative files the navigation lists; by default every note.

    Returns:
        ``root``.
    """
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if nav is None:
        nav = sorted(
            name.removeprefix("docs/")
            for name in files
            if name.startswith("docs/") and name.endswith(".md")
        )
    entries = "".join(f"  - {entry!r}\n" for entry in nav)
    (root / "mkdocs.yml").write_text(f"site_name: Test\nnav:\n{entries}", encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    return root


def run(
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *arguments: str,
) -> tuple[int, list[str]]:
    """Run ``vault-check docs ARGUMENTS`` in ``root``; return the exit status and lines."""
    monkeypatch.chdir(root)
    status = main(["docs", *arguments])
    return status, capsys.readouterr().out.splitlines()


def findings(lines: list[str]) -> list[str]:
    """The finding lines of an output, without the summary."""
    return lines[:-1]
