"""Contributor check benchmark: ``make check`` on the handbook and on a 1,000-note vault.

Times the whole command (``python -m vault_renderer.check``, interpreter start-up
included, as a contributor or CI runs it) on the handbook's own vault, on the vault of
``bench.vault`` (1,000 notes, 100 Excalidraw drawings), and on that vault in
changed-only mode (``--base``) after a one-line edit, which checks the vault twice.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.vault import DRAWINGS, NOTES, generate_vault

REPO = Path(__file__).resolve().parent.parent
RUNS = 3
_CONFIG = (
    "site_name: Check benchmark\nplugins:\n  - obsidian-vault:\n      extra_roots: [diagrams]\n"
)


def run() -> str:
    """Generate the vault, time the check three ways and return the table."""
    rows = [(f"handbook vault ({_count(REPO / 'docs')} notes)", _best(REPO, "docs"))]
    with tempfile.TemporaryDirectory(prefix="check-bench-") as directory:
        root = Path(directory)
        generate_vault(root)
        (root / "mkdocs.yml").write_text(_CONFIG, encoding="utf-8")
        rows.append((f"{NOTES} notes, {DRAWINGS} drawings", _best(root, "docs")))
        _git(root, "init", "--quiet", "--initial-branch=main")
        _git(root, "add", ".")
        _git(
            root,
            "-c",
            "user.name=bench",
            "-c",
            "user.email=bench@example.com",
            "commit",
            "--quiet",
            "-m",
            "vault",
        )
        note = next((root / "docs").rglob("Note 0001.md"))
        note.write_text(note.read_text(encoding="utf-8") + "\nSee [[Note 00001]].\n")
        rows.append(
            (f"{NOTES} notes, --base main, one edit", _best(root, "docs", "--base", "main"))
        )
    lines = [f"{'vault':<40} {'seconds':>8}  (best of {RUNS}, whole command)"]
    lines += [f"{name:<40} {seconds:>8.2f}" for name, seconds in rows]
    return "\n".join(lines)


def _count(docs: Path) -> int:
    return sum(1 for path in docs.rglob("*.md") if not path.name.endswith(".excalidraw.md"))


def _git(root: Path, *arguments: str) -> None:
    subprocess.run(["git", *arguments], cwd=root, check=True, capture_output=True)


def _best(root: Path, *arguments: str) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        # Exit status 1 is expected: the generated vault has dangling links on purpose.
        completed = subprocess.run(
            [sys.executable, "-m", "vault_renderer.check", *arguments],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - started)
        if completed.returncode not in (0, 1):
            raise RuntimeError(f"vault-check failed: {completed.stderr.strip()}")
    return min(times)
