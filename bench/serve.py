"""Edit to reload under ``make serve``: from saving a file to the served page showing it.

Runs ``mkdocs serve --dirty`` (what ``make serve`` runs) with the handbook's configuration
on a generated vault, then for each kind of edit saves a file and waits as a browser
does: MkDocs' livereload script long-polls ``/livereload/<epoch>/<id>``, which answers
once the rebuild is done; the page is then fetched and must show the change. The time
is from the write to that page, so it includes noticing the change, the rebuild and
serving the page (not the browser's own rendering). Beside it, the server's own part:
from its log line "Detected file changes" to "Reloading browsers", each stamped when it
arrives (MkDocs logs each distinct "Documentation built in" only once a session): it
includes MkDocs' 0.1 s wait for more changes and the rebuild; the rest is noticing the
save and serving the page.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import IO
from urllib.parse import quote

from bench.scale import prepare

_EPOCH = re.compile(rb"livereload\((\d+), \d+\)")
# Bounds, not waits: each returns as soon as the server answers.
_START_SECONDS = 900
_EDIT_SECONDS = 300
_STOP_SECONDS = 30


class ServeBenchError(RuntimeError):
    """The served site could not be measured; the message says why, with the log's end."""


class ServerLog:
    """The server's output, each line stamped with when it arrived, and kept in a file."""

    def __init__(self, stream: IO[bytes], path: Path) -> None:
        self.lines: list[tuple[float, str]] = []
        self._reader = threading.Thread(target=self._read, args=(stream, path), daemon=True)
        self._reader.start()

    def _read(self, stream: IO[bytes], path: Path) -> None:
        with path.open("wb") as kept:
            for line in stream:
                self.lines.append((time.perf_counter(), line.decode("utf-8", "replace")))
                kept.write(line)
                kept.flush()

    def server_seconds(self, since: int) -> float | None:
        """From the first change the server noticed after line ``since`` to its reload.

        The page is served once the reload is logged, but the line may still be on its
        way here: it is waited for, a little.
        """
        deadline = time.perf_counter() + 2
        while True:
            detected = reloaded = None
            for stamp, line in self.lines[since:]:
                if detected is None and "Detected file changes" in line:
                    detected = stamp
                elif detected is not None and "Reloading browsers" in line:
                    reloaded = stamp
            if detected is not None and reloaded is not None:
                return reloaded - detected
            if time.perf_counter() > deadline:
                return None
            time.sleep(0.01)

    def tail(self) -> str:
        return "".join(line for _, line in self.lines[-40:])


@dataclass(frozen=True)
class Reload:
    """One edit, timed."""

    seconds: float
    rebuild: float | None


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


def _wait_served(server: str, process: subprocess.Popen[bytes], log: ServerLog) -> str:
    """Wait for the first build; return the site's address (its ``site_url`` path)."""
    deadline = time.monotonic() + _START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServeBenchError(f"mkdocs serve exited ({process.returncode}):\n{log.tail()}")
        try:
            # The server redirects its root to the site's mount path.
            with urllib.request.urlopen(server, timeout=5) as response:
                return response.geturl()
        except OSError:
            time.sleep(1)
    raise ServeBenchError(f"mkdocs serve did not serve the site in {_START_SECONDS} s")


def edit_to_reload(base: str, root: Path, edit: Edit, run: int, log: ServerLog) -> Reload:
    """Time from saving the edit to the page showing it, as a browser sees it."""
    page = base + edit.page(run)
    match = _EPOCH.search(_get(page))
    if match is None:
        raise ServeBenchError(f"{page}: no livereload script")
    server = base[: base.index("/", len("http://"))]
    logged = len(log.lines)
    started = time.perf_counter()
    edit.apply(root, run)
    while time.perf_counter() - started < _EDIT_SECONDS:
        # The long poll answers when a build newer than the page's is served.
        epoch = _get(f"{server}/livereload/{match[1].decode()}/1").strip()
        html = _get(page)
        if edit.shows(html, run):
            seconds = time.perf_counter() - started
            return Reload(seconds, log.server_seconds(logged))
        match = _EPOCH.search(html) or match
        if epoch == match[1]:
            break
    raise ServeBenchError(f"{edit.name}: the page never showed the edit ({page}):\n{log.tail()}")


def _serve(root: Path, port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable, "-m", "mkdocs", "serve", "--dirty", "--livereload",
            "--config-file", "handbook.yml", "--dev-addr", f"127.0.0.1:{port}",
        ],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"},
        # A shell starts background jobs with Ctrl-C ignored, and Python then never
        # raises KeyboardInterrupt: the server could not be stopped as a person does.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server as Ctrl-C does (it removes its site), or kill it."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        print(f"mkdocs serve did not stop on SIGINT in {_STOP_SECONDS} s: killed", file=sys.stderr)


def measure(notes: int, folder_size: int, runs: int) -> dict[str, list[Reload]]:
    """Serve a generated vault and time ``runs`` edits of each kind."""
    folders = -(-notes // folder_size)
    times: dict[str, list[Reload]] = {}
    with tempfile.TemporaryDirectory(prefix="vault-serve-") as directory:
        root = Path(directory)
        prepare(root, notes=notes, folder_size=folder_size, drawings=max(notes // 10, 1))
        port = _free_port()
        process = _serve(root, port)
        assert process.stdout is not None
        log = ServerLog(process.stdout, root / "serve.log")
        try:
            base = _wait_served(f"http://127.0.0.1:{port}/", process, log)
            for edit in edits(notes, folders):
                for run in range(runs):
                    reload = edit_to_reload(base, root, edit, run, log)
                    times.setdefault(edit.name, []).append(reload)
                    time.sleep(0.5)
        finally:
            _stop(process)
    return times


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, -(-95 * len(ordered) // 100) - 1))]


def table(times: dict[str, list[Reload]], notes: int) -> str:
    """The edit-to-reload rows: median and p95, and the server's median part."""
    lines = [
        f"{'edit-to-reload, ' + str(notes) + ' notes':<44} {'median s':>9} {'p95 s':>7}"
        f" {'server s':>10}"
    ]
    for name, reloads in times.items():
        values = [reload.seconds for reload in reloads]
        known = [reload.rebuild for reload in reloads if reload.rebuild is not None]
        rebuild = f"{median(known):.2f}" if known else "-"
        lines.append(f"{name:<44} {median(values):>9.2f} {p95(values):>7.2f} {rebuild:>10}")
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
    try:
        print(table(measure(notes, folder, runs), notes))
    except ServeBenchError as error:
        print(f"bench.serve: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
