"""The offline hooks in real MkDocs runs of a tiny site: a build gets the worker, the
manifest and the <meta> policy; ``mkdocs serve`` gets neither worker nor policy."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from offline import CONTENT_SECURITY_POLICY
from tests.conftest import REPO

pytestmark = pytest.mark.slow

META_POLICY = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/index.md").write_text("# Home\n\nWelcome.\n", encoding="utf-8")
    (tmp_path / "docs/notes.md").write_text("# Notes\n\nA note.\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Tiny handbook\n"
        "site_url: https://example.github.io/tiny/\n"
        "theme:\n"
        "  name: material\n"
        f"  custom_dir: {REPO / 'overrides'}\n"
        "  palette:\n"
        "    - media: '(prefers-color-scheme: light)'\n"
        "      scheme: default\n"
        "      primary: teal\n"
        "    - media: '(prefers-color-scheme: dark)'\n"
        "      scheme: slate\n"
        "      primary: indigo\n"
        "hooks:\n"
        f"  - {REPO / 'offline/hooks.py'}\n",
        encoding="utf-8",
    )
    return tmp_path


def unescaped(html: str) -> str:
    return html.replace("&#39;", "'")


def test_a_build_writes_the_worker_the_manifest_and_the_policy(project):
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "offline: " in completed.stderr
    site = project / "site"
    build = json.loads(
        (site / "sw.js").read_text(encoding="utf-8").partition("\n")[0][len("const BUILD = ") : -1]
    )
    paths = [path for path, _size, _digest in build["pages"]]
    # The search index and the manifest are written by other steps: both are listed.
    assert {"./", "notes/", "search/search_index.json", "manifest.webmanifest"} <= set(paths)
    assert build["runtime"] == []
    manifest = json.loads((site / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == "Tiny handbook"
    assert manifest["theme_color"] == "#009485"  # Material's teal
    html = unescaped((site / "notes/index.html").read_text(encoding="utf-8"))
    assert META_POLICY in html
    assert html.index(META_POLICY) < html.index("<script")
    assert (
        '<meta name="theme-color" media="(prefers-color-scheme: dark)" content="#4051b5">' in html
    )
    assert 'data-worker="../sw.js" data-enabled="true"' in html


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_serve_has_no_worker_and_no_meta_policy(project):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/tiny/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, html = fetch(base + "notes/")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.5)
        assert status == 200
        html = unescaped(html)
        assert "Content-Security-Policy" not in html
        # The page script unregisters a worker a built copy may have left on this address.
        assert 'data-enabled="false"' in html
        assert fetch(base + "sw.js")[0] == 404
    finally:
        server.terminate()
        server.wait(timeout=30)
