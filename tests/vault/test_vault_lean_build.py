"""What the plugin spares MkDocs leaves the pages as MkDocs would have made them (real builds).

The plugin answers MkDocs' link rewriting for the links it resolved already
(``resolved_links``), renders a drawing's page, whose Markdown is front matter only,
without a Markdown instance, and hands MkDocs each note's text as it read it to index
the vault. Each such page must come out as before: the same URLs with and without
directory URLs, the same anchor checks, the text a plugin adds still rendered, a note
replaced by a plugin or edited under ``serve`` read again.
"""

from __future__ import annotations

import logging
import textwrap
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.drawings.test_drawings_excalidraw import element, obsidian, scene
from tests.vault.test_vault_incremental_build import ServeSession

pytestmark = pytest.mark.slow

NOTES = {
    "index.md": """\
        # Home

        [[a/Note One]], [[a/Note One#Part Two|part]], [[a/Note One#^blk|block]],
        [[#Home|top]] and [deep](a/Note%20One.md#nowhere).

        ![[pic.png]]

        See [[Sketch.excalidraw]].
        """,
    "a/Note One.md": "# Note One\n\nBack [[index|home]].\n\n## Part Two\n\nA block. ^blk\n",
}
PNG = bytes.fromhex("89504e470d0a1a0a")


def make_site(tmp_path: Path, *, extra: str = "") -> Path:
    docs = tmp_path / "docs"
    for path, text in NOTES.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(textwrap.dedent(text), encoding="utf-8")
    (docs / "a" / "pic.png").write_bytes(PNG)
    drawing = obsidian(scene(element("text", id="t", text="Caching tier")), text_elements=())
    (docs / "Sketch.excalidraw.md").write_text(drawing, encoding="utf-8")
    (tmp_path / "diagrams").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        textwrap.dedent("""\
            site_name: Lean
            theme: {name: material}
            plugins:
              - search
              - obsidian-vault
            """)
        + extra,
        encoding="utf-8",
    )
    return config


def run_build(config_file: Path) -> Path:
    config = load_config(str(config_file))
    build(config)
    return Path(config.site_dir)


class TestResolvedLinks:
    @pytest.mark.parametrize(
        ("directory_urls", "home", "note", "back"),
        [
            (True, "index.html", "a/Note%20One/", "../../"),
            (False, "index.html", "a/Note%20One.html", "../index.html"),
        ],
    )
    def test_links_are_the_urls_mkdocs_makes(
        self, tmp_path: Path, directory_urls: bool, home: str, note: str, back: str
    ) -> None:
        config = make_site(tmp_path, extra=f"use_directory_urls: {str(directory_urls).lower()}\n")
        site = run_build(config)
        html = (site / home).read_text(encoding="utf-8")
        assert f'<a class="vault-link" href="{note}">a/Note One</a>' in html
        assert f'<a class="vault-link" href="{note}#part-two">part</a>' in html
        assert f'<a class="vault-link" href="{note}#^blk">block</a>' in html
        assert '<a class="vault-link" href="#home">top</a>' in html
        assert f'<a href="{note}#nowhere">deep</a>' in html
        assert '<img alt="pic.png" src="a/pic.png" />' in html
        page = "Sketch.excalidraw/" if directory_urls else "Sketch.excalidraw.html"
        assert f'<a class="vault-link" href="{page}">Sketch.excalidraw</a>' in html
        note_path = "a/Note One/index.html" if directory_urls else "a/Note One.html"
        assert f'<a class="vault-link" href="{back}">home</a>' in (site / note_path).read_text(
            encoding="utf-8"
        )

    def test_a_missing_anchor_is_still_reported_by_mkdocs(
        self, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        # The plugin leaves a Markdown link's anchor to MkDocs' check: it must still
        # know of the link once the plugin has answered its URL.
        caplog.set_level(logging.INFO, logger="mkdocs")
        run_build(make_site(tmp_path))
        messages = [record.getMessage() for record in caplog.records]
        assert (
            "Doc file 'index.md' contains a link 'a/Note%20One.md#nowhere', but the doc"
            " 'a/Note One.md' does not contain an anchor '#nowhere'."
        ) in messages


ADD_TEXT_HOOK = """\
def on_page_markdown(markdown, page, **kwargs):
    if page.file.src_uri.endswith(".excalidraw.md"):
        return markdown + "\\n## Added by a hook\\n\\nSome *text*.\\n"
    return markdown
"""


class TestDrawingPages:
    def test_a_drawing_page_has_its_drawing_title_and_no_toc(self, tmp_path: Path) -> None:
        site = run_build(make_site(tmp_path))
        html = (site / "Sketch.excalidraw" / "index.html").read_text(encoding="utf-8")
        assert "<title>Sketch - Lean</title>" in html
        assert '<div class="vault-drawing-page"><figure class="vault-drawing"><svg' in html
        assert ">Caching tier</t" in html
        toc = html.split('class="md-nav md-nav--secondary"', 1)[1].split("</nav>", 1)[0]
        assert "md-nav__link" not in toc  # an empty table of contents

    def test_text_a_plugin_adds_to_a_drawing_page_is_rendered(self, tmp_path: Path) -> None:
        (tmp_path / "hooks.py").write_text(ADD_TEXT_HOOK, encoding="utf-8")
        site = run_build(make_site(tmp_path, extra="hooks: [hooks.py]\n"))
        html = (site / "Sketch.excalidraw" / "index.html").read_text(encoding="utf-8")
        assert '<h2 id="added-by-a-hook">Added by a hook</h2>' in html
        assert "<p>Some <em>text</em>.</p>" in html
        toc = html.split('class="md-nav md-nav--secondary"', 1)[1].split("</nav>", 1)[0]
        assert 'href="#added-by-a-hook"' in toc
        assert '<div class="vault-drawing-page"><figure class="vault-drawing"><svg' in html


# Writes the note again once the plugin has indexed it: what MkDocs renders is the
# text the index was made of, read once.
REWRITE_HOOK = """\
from pathlib import Path


def on_nav(nav, config, files):
    note = Path(config.docs_dir) / "a" / "Note One.md"
    note.write_text(note.read_text(encoding="utf-8").replace("A block.", "Rewritten."))
"""
# Replaces the note's file after the plugin has read it: the new file's text is rendered.
REPLACE_HOOK = """\
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File


@event_priority(-100)
def on_files(files, config):
    old = files.get_file_from_path("a/Note One.md")
    files.remove(old)
    files.append(File.generated(config, old.src_uri, content="# Note One\\n\\nReplaced.\\n"))
    return files
"""


class TestSources:
    def note(self, site: Path) -> str:
        return (site / "a" / "Note One" / "index.html").read_text(encoding="utf-8")

    def test_a_note_is_rendered_from_the_text_the_index_read(self, tmp_path: Path) -> None:
        (tmp_path / "hooks.py").write_text(REWRITE_HOOK, encoding="utf-8")
        site = run_build(make_site(tmp_path, extra="hooks: [hooks.py]\n"))
        assert "A block." in self.note(site)
        assert "Rewritten." not in self.note(site)

    def test_a_file_a_plugin_replaced_is_read_from_the_new_file(self, tmp_path: Path) -> None:
        (tmp_path / "hooks.py").write_text(REPLACE_HOOK, encoding="utf-8")
        site = run_build(make_site(tmp_path, extra="hooks: [hooks.py]\n"))
        assert "Replaced." in self.note(site)
        assert "A block." not in self.note(site)

    def test_an_edited_note_is_read_again_by_the_next_serve_build(self, tmp_path: Path) -> None:
        session = ServeSession(make_site(tmp_path), tmp_path / "served")
        try:
            session.rebuild()
            assert "A block." in self.note(tmp_path / "served")
            note = tmp_path / "docs" / "a" / "Note One.md"
            note.write_text(note.read_text(encoding="utf-8").replace("A block.", "Edited."))
            assert "a/Note One.md" in session.rebuild()
            assert "Edited." in self.note(tmp_path / "served")
        finally:
            session.close()
