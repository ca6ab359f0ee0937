"""Incremental ``mkdocs serve --dirty`` builds equal full builds, rendering only what changed.

A serve session is driven in this process the way ``mkdocs serve`` drives it (a fresh
configuration per rebuild, plugins kept between them); after each edit its site is
compared byte for byte with a full build of the same sources made in a fresh process.
"""

from __future__ import annotations

import filecmp
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from jinja2 import FileSystemLoader
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from bench.vault import _drawing

pytestmark = pytest.mark.slow

SERVE_URL = "http://127.0.0.1:8000/"
NOTES = {
    "index.md": "# Home\n\nStart with [[Alpha]].\n",
    "tags.md": "# Tags\n\n<!-- material/tags -->\n",
    "notes/Alpha.md": (
        "---\ntags: [compute]\n---\n# Alpha\n\nSee [[Beta]] and [[Gamma#Summary|the summary]].\n"
        "\n![[Gamma#Summary]]\n"
    ),
    "notes/Beta.md": "# Beta\n\nBeta links to [[Gamma]] and [[Nowhere]].\n",
    "notes/Gamma.md": "# Gamma\n\n## Summary\n\nGamma in short.\n\n## More\n\nDetails.\n",
    "notes/Delta.md": "---\ntags: [drawing]\n---\n# Delta\n\n![[Sketch.excalidraw]]\n",
    "other/Epsilon.md": "# Epsilon\n\nA note on its own.\n",
    "other/Zeta.md": "# Zeta\n\nAnother one.\n",
}
CONFIG = """\
site_name: Incremental
theme:
  name: material
  features: [navigation.tabs, navigation.sections, navigation.prune, navigation.footer]
plugins:
  - search
  - tags
  - obsidian-vault:
      unresolved_link_level: info
markdown_extensions:
  - attr_list
  - toc:
      permalink: true
"""
_FULL_BUILD = """
import logging, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
logging.getLogger("mkdocs").setLevel(logging.ERROR)
config = load_config(sys.argv[1], site_dir=sys.argv[2], site_url=sys.argv[3])
build(config, serve_url=sys.argv[3])
"""


class ServeSession:
    """``mkdocs serve --dirty`` without the HTTP server: one call per rebuild.

    Like ``mkdocs serve -f <file>``, the first build's configuration may come from an open
    file (the command line's), the rebuilds' from its path.
    """

    def __init__(self, config_file: Path, site_dir: Path, *, first: IO[bytes] | None = None):
        self.config_file, self.site_dir = config_file, site_dir
        self._first = first
        self._fresh = True
        self.config = self._config()
        self.config.plugins.on_startup(command="serve", dirty=True)

    def _config(self) -> MkDocsConfig:
        source: str | IO[bytes] = str(self.config_file)
        if self._first is not None:
            source, self._first = self._first, None
        return load_config(source, site_dir=str(self.site_dir), site_url=SERVE_URL)  # type: ignore[arg-type]

    def rebuild(self) -> set[str]:
        """Build as the serve loop does; return the pages rendered."""
        # The first build uses the configuration the session started with.
        if not self._fresh:
            self.config = self._config()
        self._fresh = False
        build(self.config, serve_url=SERVE_URL, dirty=True)
        builds = self.config.plugins["obsidian-vault"].builds
        self.surroundings = set(builds.plan.surroundings)
        return set(builds.rendered)

    def close(self) -> None:
        self.config.plugins.on_shutdown()


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    for path, text in NOTES.items():
        (tmp_path / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / path).write_text(text, encoding="utf-8")
    (tmp_path / "diagrams").mkdir()
    _write_drawing(tmp_path, seed=1)
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


@pytest.fixture
def session(vault: Path) -> Iterator[ServeSession]:
    serve = ServeSession(vault / "mkdocs.yml", vault / "served")
    yield serve
    serve.close()


def _write_drawing(root: Path, *, seed: int) -> None:
    import random

    drawing = _drawing(seed, random.Random(seed))
    (root / "diagrams" / "Sketch.excalidraw").write_text(json.dumps(drawing), encoding="utf-8")


def _edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / "docs" / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


def _full_build(root: Path) -> Path:
    site = root / "full"
    subprocess.run(
        [sys.executable, "-c", _FULL_BUILD, str(root / "mkdocs.yml"), str(site), SERVE_URL],
        check=True,
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return site


def _differences(left: Path, right: Path) -> list[str]:
    """Every file that is only on one side or differs in bytes, as relative paths."""
    found: list[str] = []

    def walk(comparison: filecmp.dircmp, prefix: str) -> None:
        found.extend(prefix + name for name in comparison.left_only + comparison.right_only)
        found.extend(prefix + name for name in comparison.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(
            comparison.left, comparison.right, comparison.common_files, shallow=False
        )
        found.extend(prefix + name for name in mismatch + errors)
        for name, sub in comparison.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return sorted(found)


# The tags index lists every page's tags: it is rendered with every rebuild.
ALWAYS = {"tags.md"}


# Pages written again around the content kept from the last build (their navigation
# or footer changed, nothing else).
RELAID = {
    "title change": {"notes/Delta.md", "other/Epsilon.md"},
    "tab title change": {
        "notes/Beta.md",
        "notes/Gamma.md",
        "notes/Delta.md",
        "other/Epsilon.md",
        "other/Zeta.md",
        "unresolved-links.md",
        "diagrams/Sketch.excalidraw.md",
    },
}


def test_every_incremental_build_equals_a_full_build(vault: Path, session: ServeSession) -> None:
    # First build: everything (the notes, the unresolved links, the drawing's own page).
    assert len(session.rebuild()) == len(NOTES) + 2
    steps = [
        # (what, edit, pages rendered again besides ALWAYS, or None for a full build)
        (
            "content edit",
            lambda: _edit(vault, "other/Epsilon.md", "on its own", "on its own, edited"),
            {"other/Epsilon.md"},
        ),
        (
            "link added: Beta gains a backlink",
            lambda: _edit(vault, "other/Epsilon.md", "edited", "edited, see [[Beta]]"),
            {"other/Epsilon.md", "notes/Beta.md"},
        ),
        (
            # Alpha and Beta link to it; Delta shows it in its section's navigation and
            # Epsilon in its footer: they are written again around their kept content.
            "title change: navigation, backlinks, linking and embedding notes",
            lambda: _edit(vault, "notes/Gamma.md", "# Gamma\n", "# Gamma Rays\n"),
            {"notes/Gamma.md", "notes/Alpha.md", "notes/Beta.md"},
        ),
        (
            # Home is a tab: every page shows it. Alpha, which it links to, lists it.
            "tab title change: every page written again, around its content",
            lambda: _edit(vault, "index.md", "# Home\n", "# Start\n"),
            {"index.md", "notes/Alpha.md"},
        ),
        (
            "embedded section edited: the embedding note follows",
            lambda: _edit(vault, "notes/Gamma.md", "Gamma in short.", "Gamma, shorter."),
            {"notes/Gamma.md", "notes/Alpha.md"},
        ),
        (
            # Alpha embeds a section of Gamma: an embed does not show "Linked from".
            "link added to an embedded note: only the note shows the backlink",
            lambda: _edit(vault, "other/Zeta.md", "Another one.", "Another one, [[Gamma]]."),
            {"other/Zeta.md", "notes/Gamma.md"},
        ),
        (
            "link to a missing note: the unresolved links follow",
            lambda: _edit(vault, "other/Zeta.md", "Another one", "Another [[Nothing]]"),
            {"other/Zeta.md", "unresolved-links.md"},
        ),
        (
            "drawing edit: the notes that show it and its own page",
            lambda: _write_drawing(vault, seed=2),
            {"notes/Delta.md", "diagrams/Sketch.excalidraw.md"},
        ),
        (
            "new note",
            lambda: (vault / "docs" / "other" / "Eta.md").write_text(
                "# Eta\n\nNew, links [[Zeta]].\n", encoding="utf-8"
            ),
            None,
        ),
        ("deleted note", lambda: (vault / "docs" / "other" / "Zeta.md").unlink(), None),
    ]
    for what, edit, expected in steps:
        edit()
        rendered = session.rebuild()
        full = _full_build(vault)
        assert _differences(session.site_dir, full) == [], what
        if expected is None:
            assert rendered >= {"index.md", "notes/Alpha.md", "other/Epsilon.md"}, what
        else:
            assert rendered == expected | ALWAYS, what
            assert session.surroundings == RELAID.get(what.split(":")[0], set()), what


def test_mkdocs_build_is_never_incremental(vault: Path) -> None:
    config = load_config(str(vault / "mkdocs.yml"), site_dir=str(vault / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    builds = config.plugins["obsidian-vault"].builds
    assert not builds.enabled and builds.rendered == []
    config.plugins.on_shutdown()


def test_the_first_save_under_serve_f_is_incremental(vault: Path, monkeypatch) -> None:
    # `mkdocs serve -f mkdocs.yml` reads the first configuration from the open file, so
    # its theme's custom_dir is relative; every rebuild's is absolute. Same folder.
    _with_overrides(vault)
    monkeypatch.chdir(vault)
    with open("mkdocs.yml", "rb") as command_line:
        serve = ServeSession(Path("mkdocs.yml"), vault / "served", first=command_line)
    try:
        serve.rebuild()
        _edit(vault, "other/Epsilon.md", "on its own", "on its own, edited")
        assert serve.rebuild() == {"other/Epsilon.md"} | ALWAYS
    finally:
        serve.close()


def _with_overrides(vault: Path) -> None:
    config = CONFIG.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n")
    (vault / "mkdocs.yml").write_text(config, encoding="utf-8")
    (vault / "overrides").mkdir()
    (vault / "overrides" / "main.html").write_text('{% extends "base.html" %}\n')


def test_the_theme_is_listed_again_only_when_its_overrides_change(
    vault: Path, monkeypatch, request
) -> None:
    listings: list[tuple[str, ...]] = []
    list_templates = FileSystemLoader.list_templates

    def counted(loader: FileSystemLoader) -> list[str]:
        listings.append(tuple(loader.searchpath))
        return list_templates(loader)

    monkeypatch.setattr(FileSystemLoader, "list_templates", counted)
    _with_overrides(vault)
    session = ServeSession(vault / "mkdocs.yml", vault / "served")
    request.addfinalizer(session.close)
    session.rebuild()
    _edit(vault, "other/Epsilon.md", "on its own", "on its own, edited")
    session.rebuild()
    assert len(listings) == 1
    # A new asset among the overrides is published.
    (vault / "overrides" / "extra.txt").write_text("an asset\n")
    session.rebuild()
    assert len(listings) == 2
    assert (session.site_dir / "extra.txt").read_text() == "an asset\n"
    assert _differences(session.site_dir, _full_build(vault)) == []


def test_a_navigation_warning_is_logged_by_every_rebuild(vault: Path, session, caplog) -> None:
    # The navigation is resolved again only when what it reads changes; what awesome-nav
    # said about it is said again each time all the same.
    (vault / "docs" / ".nav.yml").write_text("nav:\n  - index.md\n  - Nowhere\n  - '*'\n")
    complaint = "The nav item 'Nowhere' doesn't match any files or directories"
    for _ in range(2):
        caplog.clear()
        _edit(vault, "other/Epsilon.md", "on its own", "on its own, again")
        session.rebuild()
        assert any(complaint in message for message in caplog.messages)
