"""``make serve`` rebuilds on a change to any source, not only docs/ and mkdocs.yml.

A real ``mkdocs serve`` with the handbook's mkdocs.yml, in a copy of the project cut
down to two notes (so a rebuild is quick), on a free port of this machine.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.vault.test_vault_navigation import copy_handbook, write

pytestmark = pytest.mark.slow

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="20" content="&lt;mxfile/&gt;">'
    '<text x="1" y="15">{}</text></svg>'
)
NOTE = "# Watched\n\nZQX is on this page.\n\n![[watched.drawio.svg]]\n"
# Bounds, not waits: each poll returns as soon as the page shows the change.
BUILD_SECONDS = 240


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[Path, str]]:
    """The cut-down project being served; yields its directory and the note's URL."""
    project = copy_handbook(tmp_path_factory.mktemp("serve"))
    for path in sorted((project / "docs").rglob("*.md"), reverse=True):
        if path.name not in {"index.md", "tags.md"} or path.parent != project / "docs":
            path.unlink()
    write(
        project,
        {
            "docs/.nav.yml": "nav:\n  - index.md\n  - watched.md\n",
            "docs/watched.md": NOTE,
            "diagrams/watched.drawio.svg": SVG.format("First drawing"),
        },
    )
    port = free_port()
    # `mkdocs serve` serves under the path of site_url, as the site is deployed.
    url = f"http://127.0.0.1:{port}/handbook/watched/"
    log = project / "serve.log"
    with log.open("w", encoding="utf-8") as stderr:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            # Ctrl-C as a person presses it; a shell starts background jobs with it ignored.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        try:
            if not wait_for(url, "First drawing", server):
                pytest.fail(f"the first build never served the note:\n{log.read_text()}")
            yield project, url
        finally:
            # Stopped as Ctrl-C stops it, so it removes its temporary site.
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, server: subprocess.Popen[str] | None = None) -> bool:
    """Poll ``url`` until it shows ``text``, for at most :data:`BUILD_SECONDS`."""
    deadline = time.monotonic() + BUILD_SECONDS
    while time.monotonic() < deadline:
        if text in fetch(url):
            return True
        if server is not None and server.poll() is not None:
            pytest.fail(f"mkdocs serve exited with status {server.returncode}")
        time.sleep(0.5)
    return False


class TestServeReloads:
    def test_a_changed_drawing_in_diagrams(self, served):
        project, url = served
        (project / "diagrams/watched.drawio.svg").write_text(SVG.format("Second drawing"))
        assert wait_for(url, "Second drawing")

    def test_a_changed_include(self, served):
        project, url = served
        with (project / "includes/abbreviations.md").open("a", encoding="utf-8") as glossary:
            glossary.write("\n*[ZQX]: Zebra quality exchange\n")
        assert wait_for(url, 'title="Zebra quality exchange"')

    def test_every_source_folder_is_watched(self, served):
        # The list in mkdocs.yml is the one place; every folder it names must exist.
        import yaml

        project, _url = served
        config = yaml.load((project / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
        assert set(config["watch"]) == {"includes", "decision_engine", "macros", "overrides"}
