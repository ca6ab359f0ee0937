"""Edit to reload under ``make serve``: from saving a file to the served page showing it.

Runs ``mkdocs serve --dirty`` (what ``make serve`` runs) with the handbook's configuration
on a generated vault, then for each kind of edit saves a file and waits as a browser
does: MkDocs' livereload script long-polls ``/livereload/<epoch>/<id>``, which answers
once the rebuild is done; the page is then fetched and must show the change. The time
is from the write to that page, so it includes noticing the change, the rebuild and
serving the page (not the browser's own rendering).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from urllib.parse import quote

from bench.scale import prepare

_EPOCH = re.compile(rb"livereload\((\d+), \d+\)")


@dataclass(frozen=True)
class Edit:
    """One kind of edit: what to change, which page must show it and how to tell."""

    name: str
    apply: Callable[[Path, int], None]
    page: Callable[[int], str]
    shows: Callable[[bytes, int], bool]


def _note_path(number: int, folders: int) -> str:
    return f"docs/{number % folders:02d} Section & Notes/Note {number:04d}.md"


def _note_url(number: int, folders: int) -> str:
    return quote(f"{number % folders:02d} Section & Notes/Note {number:04d}/")


def _sub(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert changed != text, f"{path}: {pattern!r} not found"
    path.write_text(changed, encoding="utf-8")


def edits(notes: int, folders: int) -> list[Edit]:
    """The four edits of the table, each repeatable with a run number (up to 12 runs)."""
    target = notes * 9 // 10  # a note that note 7 does not link to yet
    return [
        Edit(
            "content edit",
            lambda root, run: _sub(
                root / _note_path(5, folders),
                r"^Closing.*?paragraph with",
                f"Closing {run} paragraph with",
            ),
            lambda run: _note_url(5, folders),
            lambda html, run: f"Closing {run} paragraph".encode() in html,
        ),
        Edit(
            "link added (backlink appears)",
            lambda root, run: _sub(
                root / _note_path(7, folders),
                r"Closing paragraph with",
                f"See [[Note {target + run:04d}]]. Closing paragraph with",
            ),
            lambda run: _note_url(target + run, folders),
            lambda html, run: (
                b"vault-backlinks" in html and b"Note 0007" in html.split(b"vault-backlinks", 1)[1]
            ),
        ),
        Edit(
            "title change",
            lambda root, run: _sub(
                root / _note_path(11, folders), r"^# Note 0011.*$", f"# Note 0011 v{run}"
            ),
            lambda run: _note_url(11, folders),
            lambda html, run: f"<title>Note 0011 v{run} ".encode() in html,
        ),
        Edit(
            "drawing edit",
            lambda root, run: _sub(
                root / "diagrams" / "Drawing 000.excalidraw", f'"Box {run}"', f'"Box {run} edited"'
            ),
            lambda run: _note_url(0, folders),
            lambda html, run: f"Box {run} edited".encode() in html,
        ),
    ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, timeout: float = 120) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def _wait_served(server: str, process: subprocess.Popen[bytes], log: Path) -> str:
    """Wait for the first build; return the site's address (its ``site_url`` path)."""
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"mkdocs serve exited:\n{log.read_text()[-3000:]}")
        try:
            # The server redirects its root to the site's mount path.
            with urllib.request.urlopen(server, timeout=5) as response:
                return response.geturl()
        except OSError:
            time.sleep(1)
    raise RuntimeError("mkdocs serve did not start in 15 minutes")


def edit_to_reload(base: str, root: Path, edit: Edit, run: int) -> float:
    """Seconds from saving the edit to the page showing it, as a browser sees it."""
    page = base + edit.page(run)
    match = _EPOCH.search(_get(page))
    assert match, f"{page}: no livereload script"
    started = time.perf_counter()
    edit.apply(root, run)
    while True:
        # The long poll answers when a build newer than the page's is served.
        server = base[: base.index("/", len("http://"))]
        epoch = _get(f"{server}/livereload/{match[1].decode()}/1").strip()
        html = _get(page)
        if edit.shows(html, run):
            return time.perf_counter() - started
        match = _EPOCH.search(html) or match
        if epoch == match[1]:
            raise RuntimeError(f"{edit.name}: the reloaded page does not show the edit")


def measure(notes: int, folder_size: int, runs: int) -> dict[str, list[float]]:
    """Serve a generated vault and time ``runs`` edits of each kind."""
    folders = -(-notes // folder_size)
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="vault-serve-") as directory:
        root = Path(directory)
        prepare(root, notes=notes, folder_size=folder_size, drawings=max(notes // 10, 1))
        port = _free_port()
        log = root / "serve.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [
                    sys.executable, "-m", "mkdocs", "serve", "--dirty", "--livereload",
                    "--config-file", "handbook.yml", "--dev-addr", f"127.0.0.1:{port}",
                ],
                cwd=root,
                stdout=output,
                stderr=subprocess.STDOUT,
                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            )  # fmt: skip
        try:
            base = _wait_served(f"http://127.0.0.1:{port}/", process, log)
            for edit in edits(notes, folders):
                for run in range(runs):
                    times.setdefault(edit.name, []).append(edit_to_reload(base, root, edit, run))
                    time.sleep(0.5)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
    return times


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, -(-95 * len(ordered) // 100) - 1))]


GOALS = {"content edit": 1.0, "link added (backlink appears)": 1.5}


def table(times: dict[str, list[float]], notes: int) -> str:
    """The edit-to-reload rows."""
    lines = [f"{'edit-to-reload, ' + str(notes) + ' notes':<44} {'median s':>9} {'p95 s':>7}  goal"]
    for name, values in times.items():
        goal = GOALS.get(name)
        verdict = (
            ""
            if goal is None
            else (f"<= {goal:.1f} s: {'met' if median(values) <= goal else 'NOT met'}")
        )
        lines.append(f"{name:<44} {median(values):>9.2f} {p95(values):>7.2f}  {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.serve [notes] [--runs N] [--folder N]``."""
    args = list(argv if argv is not None else sys.argv[1:])
    notes, folder, runs = 1000, 100, 5
    while args:
        arg = args.pop(0)
        if arg == "--runs":
            runs = int(args.pop(0))
        elif arg == "--folder":
            folder = int(args.pop(0))
        else:
            notes = int(arg)
    print(table(measure(notes, folder, runs), notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())


def run() -> str:
    """``make bench``'s table: five edits of each kind on 1,000 notes (``BENCH_SERVE_RUNS``)."""
    runs = int(os.environ.get("BENCH_SERVE_RUNS", "5"))
    return table(measure(1000, 100, runs), 1000)
