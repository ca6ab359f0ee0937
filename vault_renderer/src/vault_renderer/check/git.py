"""The little of git the changed-only mode needs, through the ``git`` command.

``--base REF`` checks the vault twice, as it is now and as it was at ``REF``, and
reports only the findings the change introduced. This module extracts the tree at
``REF`` and reads which files were renamed and which lines changed since.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


class GitBaseError(RuntimeError):
    """The git base cannot be read; the message says why and what to do.

    Attributes:
        ref: The ref that was asked for.
        reason: What went wrong, in a sentence.
    """

    def __init__(self, ref: str, reason: str) -> None:
        super().__init__(f"--base {ref}: {reason}")
        self.ref = ref
        self.reason = reason


class GitNotInstalled(GitBaseError):
    """There is no ``git`` command to run."""

    def __init__(self, ref: str) -> None:
        super().__init__(ref, "git is not installed; install git or drop --base")


@dataclass(frozen=True)
class Changes:
    """What changed between a git ref and the working tree, paths relative to the top.

    Attributes:
        files: Every path that differs, before or after the change, untracked files
            included.
        renamed: New path -> old path, for files git saw moved.
        lines: Path -> 1-based line numbers that were added or changed.
    """

    files: frozenset[str] = frozenset()
    renamed: dict[str, str] = field(default_factory=dict)
    lines: dict[str, frozenset[int]] = field(default_factory=dict)


def _git(top: Path, ref: str, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    # quotePath=false keeps non-ASCII file names (the vault has them) unescaped.
    command = ["git", "-c", "core.quotePath=false", *args]
    try:
        completed = subprocess.run(
            command, cwd=top, capture_output=True, text=not binary, check=False
        )
    except FileNotFoundError:
        raise GitNotInstalled(ref) from None
    if completed.returncode != 0:
        stderr = completed.stderr.decode() if binary else completed.stderr
        raise GitBaseError(ref, f"`git {' '.join(args)}` failed: {stderr.strip()}")
    return completed


def toplevel(path: Path, ref: str) -> Path:
    """The top of the git work tree holding ``path``."""
    try:
        completed = _git(path, ref, "rev-parse", "--show-toplevel")
    except GitNotInstalled:
        raise
    except GitBaseError:
        # Say the likely cause rather than git's own words about a missing repository.
        raise GitBaseError(ref, f"{path} is not inside a git repository") from None
    return Path(completed.stdout.strip()).resolve()


def resolve_commit(top: Path, ref: str) -> str:
    """The commit ``ref`` names, or a :class:`GitBaseError` saying how to get it."""
    try:
        completed = _git(top, ref, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except GitNotInstalled:
        raise
    except GitBaseError:
        hint = (
            f"fetch it first (git fetch origin {ref.removeprefix('origin/')})"
            if ref.startswith("origin/")
            else "name a branch, tag or commit that exists here (git log --oneline)"
        )
        raise GitBaseError(ref, f"unknown git ref; {hint}") from None
    return completed.stdout.strip()


def extract(top: Path, commit: str, paths: Sequence[str], destination: Path, ref: str) -> None:
    """Write the files under ``paths`` (relative to ``top``) as they were at ``commit``."""
    listed = _git(top, ref, "ls-tree", "--name-only", commit, "--", *paths).stdout.splitlines()
    present = [path for path in paths if path in listed]
    destination.mkdir(parents=True, exist_ok=True)
    if not present:
        return
    archive = _git(top, ref, "archive", "--format=tar", commit, "--", *present, binary=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(destination, filter="data")


_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_OCTAL = re.compile(rb"\\([0-7]{3})")


def _unquote(name: str) -> str:
    # git C-quotes names holding quotes, backslashes or control characters.
    if not (name.startswith('"') and name.endswith('"')):
        return name.rstrip("\t")
    raw = name[1:-1].encode()
    raw = _OCTAL.sub(lambda match: bytes([int(match.group(1), 8)]), raw)
    escapes = {b'\\"': b'"', b"\\\\": b"\\", b"\\t": b"\t", b"\\n": b"\n"}
    for escaped, plain in escapes.items():
        raw = raw.replace(escaped, plain)
    return raw.decode("utf-8", "replace")


def changes(top: Path, commit: str, paths: Sequence[str], ref: str) -> Changes:
    """Renames and changed lines between ``commit`` and the working tree under ``paths``."""
    diff = _git(
        top, ref, "diff", "--no-color", "--no-ext-diff", "-M", "-U0", commit, "--", *paths
    ).stdout
    untracked = _git(
        top, ref, "ls-files", "--others", "--exclude-standard", "-z", "--", *paths
    ).stdout.split("\0")
    files = {name for name in untracked if name}
    renamed: dict[str, str] = {}
    lines: dict[str, set[int]] = {name: set() for name in files}
    rename_from = ""
    current: str | None = None
    for line in diff.splitlines():
        if line.startswith("diff --git "):
            rename_from, current = "", None
        elif line.startswith("rename from "):
            rename_from = _unquote(line.removeprefix("rename from "))
            files.add(rename_from)
        elif line.startswith("rename to "):
            renamed[_unquote(line.removeprefix("rename to "))] = rename_from
        elif line.startswith(("--- ", "+++ ")):
            name = _unquote(line[4:])
            current = name[2:] if name != "/dev/null" else None
            if current is not None:
                files.add(current)
        elif current is not None and (hunk := _HUNK.match(line)):
            start, count = int(hunk.group(1)), int(hunk.group(2) or "1")
            lines.setdefault(current, set()).update(range(start, start + count))
    # Untracked files are new from their first line to their last.
    for name in untracked:
        if name:
            lines[name] = set(range(1, _line_count(top / name) + 1))
    return Changes(
        frozenset(files),
        renamed,
        {path: frozenset(numbers) for path, numbers in lines.items()},
    )


def _line_count(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n") + 1
    except OSError:
        return 0
