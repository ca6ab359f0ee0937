"""The search plugin indexes a lighter copy of each page, and the index is the same."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from material.plugins.search.plugin import SearchIndex as MaterialIndex
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.contrib.search.search_index import SearchIndex as MkDocsIndex
from vault_renderer.embeds import inline_svg
from vault_renderer.search_copy import (
    BACKLINKS_OPEN,
    SearchParts,
    drawing_search_text,
    search_copy,
)

from tests.drawings.test_drawings_excalidraw import element, obsidian, scene
from vault_renderer import plugin as vault_plugin

# A drawing as the vault's sanitiser and describer publish it: a title, shapes, labels
# in <text>/<tspan>, an excluded <desc>, whitespace and entities between the tags.
DRAWING = inline_svg(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100">\n'
    '  <g class="box"><rect x="1" y="1" width="50" height="20" fill="none"/>\n'
    '    <text x="5" y="15"><tspan>Queue</tspan> <tspan>worker &amp; DLQ</tspan></text>\n'
    "  </g>\n"
    '  <text x="90" y="15">Read\nreplica</text><path d="M0 0L10 10"/>\n'
    "</svg>",
    name="notes/Flow.md",
).html
BACKLINKS = (
    f'{BACKLINKS_OPEN}<p class="vault-backlinks-title">Linked from</p>'
    '<ul><li><a href="../a/">A &amp; B</a></li><li><a href="../c/">C</a></li></ul></aside>'
)
ALL_PARTS = SearchParts((DRAWING,), backlinks=True, sanitized=True)
# Where a drawing can sit on a page: each context must index the same with the copy.
PAGES = {
    "after a heading": '<h1 id="t">Title</h1><p>Intro</p>{drawing}<p>After</p>',
    "before any heading": '{drawing}<h2 id="s">Section</h2><p>Text</p>',
    "in a callout": (
        '<h1 id="t">T</h1><div class="admonition note"><p class="admonition-title">Note</p>'
        "{drawing}</div><p>Tail</p>"
    ),
    "after a nested heading": (
        '<div class="tabbed"><h2 id="n">Nested</h2><p>x</p></div>{drawing}<p>After</p>'
    ),
    "in a list item": '<h1 id="t">T</h1><ul><li>Item {drawing}</li></ul>',
    "twice": '<h1 id="t">T</h1>{drawing}<h2 id="u">U</h2>{drawing}',
    "among links, tags and code": (
        '<h1 id="t">T<a class="headerlink" href="#t" title="Permanent link">&para;</a></h1>'
        '<p class="vault-date"><time datetime="2023-01-07">7 January 2023</time></p>'
        '<p>See <a class="vault-link" href="../a/">A &amp; B</a>, <mark>==x==</mark>'
        ' <span class="vault-tag">#cost</span>\n<a href="x">  </a><em>e</em></p>{drawing}'
        '<h2 id="see-b">See <a class="vault-link" href="../b/">B</a>'
        '<a class="headerlink" href="#see-b" title="Permanent link">&para;</a></h2>'
        '<div class="highlight"><pre><span></span><code><span class="nb">print</span>'
        '<span class="p">(</span><span class="s2">&quot;a  b&quot;</span>\n'
        '<span class="p">)</span>\n</code></pre></div>'
        '<p><span class="x">a<span class="y">b</span>c</span></p>'
    ),
}


class _Page:
    """What the search indexes read of a page."""

    def __init__(self, content: str) -> None:
        self.content = content
        self.toc: list[Any] = []
        self.url = "page/"
        self.title = "Page"
        self.meta: dict[str, Any] = {}


def material_entries(content: str) -> list[dict[str, Any]]:
    index = MaterialIndex(lang=["en"], separator="", pipeline=[], fields={})
    index.add_entry_from_context(_Page(content))
    return index.entries


def mkdocs_entries(content: str) -> list[dict[str, Any]]:
    index = MkDocsIndex(indexing="full")
    index.add_entry_from_context(_Page(content))  # type: ignore[arg-type]
    return index._entries


class TestIndexIsTheSame:
    @pytest.mark.parametrize("where", PAGES)
    def test_material(self, where: str) -> None:
        content = PAGES[where].format(drawing=DRAWING) + BACKLINKS
        copy = search_copy(content, ALL_PARTS, skips_excluded=True)
        assert "<rect" not in copy and "../a/" not in copy  # it is lighter
        assert material_entries(copy) == material_entries(content)

    @pytest.mark.parametrize("where", PAGES)
    def test_mkdocs_indexes_what_it_always_did(self, where: str) -> None:
        content = PAGES[where].format(drawing=DRAWING) + BACKLINKS
        copy = search_copy(content, ALL_PARTS, skips_excluded=False)
        # MkDocs' own parser does not skip excluded blocks: the backlinks stay, as text.
        assert "<rect" not in copy and "Linked from" in copy
        assert mkdocs_entries(copy) == mkdocs_entries(content)

    def test_a_drawings_text_is_still_found(self) -> None:
        content = '<h1 id="t">T</h1>' + DRAWING
        copy = search_copy(content, SearchParts((DRAWING,)), skips_excluded=True)
        text = material_entries(copy)[0]["text"]
        assert "Queue worker &amp; DLQ" in text and "Read replica" in text


class TestWhatIsLeftWhole:
    @pytest.mark.parametrize(
        ("svg", "why"),
        [
            ('<svg><a href="x"><text>Go</text></a></svg>', "a link the parser reads"),
            ("<svg><text>A<p>B</p></text></svg>", "markup the index keeps"),
            ("<svg><g><text>A</text></svg>", "unbalanced"),
            ("<svg><!-- c --><text>A</text></svg>", "a comment"),
            ('<svg><g class="linenodiv"><text>1</text></g></svg>', "code line numbers"),
            ('<svg><g data-search-boost="2"><text>1</text></g></svg>', "a search hint"),
            ("<svg><text>A</text></svg> tail", "not one element"),
        ],
    )
    def test_an_svg_the_parsers_read_differently_is_not_reduced(self, svg: str, why: str) -> None:
        assert drawing_search_text(svg, skips_excluded=True) is None, why

    def test_a_changed_drawing_is_indexed_whole(self) -> None:
        # Another plugin rewrote the drawing after the vault published it.
        content = DRAWING.replace("Queue", "<abbr>Queue</abbr>")
        assert search_copy(content, SearchParts((DRAWING,)), skips_excluded=True) == content

    def test_links_and_highlighted_code_are_unwrapped(self) -> None:
        content = PAGES["among links, tags and code"].format(drawing="")
        copy = search_copy(content, SearchParts(sanitized=True), skips_excluded=True)
        assert 'class="vault-link"' not in copy and 'class="nb"' not in copy
        assert copy.count("headerlink") == 2  # a heading's permalink is not indexed

    @pytest.mark.parametrize(
        "content",
        [
            # Material's parser stops skipping the excluded span when the inner span
            # ends, so "c" is indexed: unwrapping the inner span would hide it.
            '<p><span data-search-exclude>a <span class="x">b</span> c</span></p>',
            '<p><!-- <a href="x">y</a> --></p>',
            '<table class="highlighttable"><td class="linenos"><div class="linenodiv">'
            "<pre><span>1</span></pre></div></td></table>",
        ],
    )
    def test_inline_elements_whose_tags_matter_are_kept(self, content: str) -> None:
        assert search_copy(content, SearchParts(sanitized=True), skips_excluded=True) == content

    def test_a_page_that_was_not_sanitised_keeps_its_inline_elements(self) -> None:
        content = '<p><a href="x">y</a></p><script>var s = "<a href=\'x\'>y</a>";</script>'
        assert search_copy(content, SearchParts(sanitized=False), skips_excluded=True) == content

    def test_backlinks_written_by_a_note_are_kept(self) -> None:
        content = f"{BACKLINKS_OPEN}<div>note's own markup</div></aside>"
        assert search_copy(content, SearchParts(backlinks=True), skips_excluded=True) == content


# A vault with drawings embedded, drawings with their own pages, an SVG written in a
# note, backlinks everywhere.
FILES = {
    "docs/index.md": (
        "# Home\n\nSee [[Loose sketch.excalidraw]] and [[Figure]].\n\n![[Embedded.excalidraw]]\n"
    ),
    "docs/sketches/Loose sketch.excalidraw.md": obsidian(
        scene(element("text", id="t", text="Caching tier")), text_elements=("Caching tier",)
    ),
    "docs/sketches/Embedded.excalidraw.md": obsidian(
        scene(element("rectangle", id="r"), element("text", id="e", text="Shown in a note")),
        text_elements=("Shown in a note",),
    ),
    "docs/notes/Figure.md": (
        "# Figure\n\nBack to [[index|home]].\n\n![[Elsewhere.excalidraw]]\n\n"
        '<svg xmlns="http://www.w3.org/2000/svg"><text x="1" y="9">Inline label</text></svg>\n'
    ),
    "docs/notes/Other.md": "# Other\n\n## Part\n\n[[Figure]] and [[index]].\n",
    "diagrams/Elsewhere.excalidraw": json.dumps(
        scene(element("text", id="x", text="Aside drawing"))
    ),
}


def build_vault(root: Path) -> Path:
    for path, text in FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(
        textwrap.dedent("""\
            site_name: Search copies
            theme: {name: material}
            plugins:
              - search
              - obsidian-vault:
                  extra_roots: [diagrams]
                  unresolved_link_level: info
            """),
        encoding="utf-8",
    )
    mkdocs_config = load_config(str(config))
    build(mkdocs_config)
    return Path(mkdocs_config.site_dir)


def site_files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file() and not path.name.endswith(".gz")
    }


@pytest.mark.slow
class TestBuild:
    def test_the_site_and_its_index_are_the_same_and_the_index_read_less(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        indexed: list[str] = []
        copies = vault_plugin.index_search_copies

        def keep_what_is_indexed(config: Any, fragments: Any) -> None:
            index = config.plugins["material/search"].search_index
            add_entry = index.add_entry_from_context

            def add(page: Any) -> None:
                # What the indexer reads: it skips a page excluded from the search (a
                # drawing's full-size view), which is handed over as it is.
                if not (page.meta.get("search") or {}).get("exclude"):
                    indexed.append(page.content)
                add_entry(page)

            index.add_entry_from_context = add
            copies(config, fragments)

        monkeypatch.setattr(vault_plugin, "index_search_copies", keep_what_is_indexed)
        with_copies = site_files(build_vault(tmp_path / "copies"))
        seen = "".join(indexed)
        # The indexer saw the drawings' text without their shapes, no backlinks, and
        # the links' text without their tags.
        assert "<rect" not in seen and "Shown in a note" in seen
        assert 'class="vault-link"' not in seen
        assert "Linked from" not in seen
        monkeypatch.setattr(vault_plugin, "index_search_copies", lambda config, fragments: None)
        whole = site_files(build_vault(tmp_path / "whole"))
        assert with_copies.keys() == whole.keys()
        different = [path for path in whole if with_copies[path] != whole[path]]
        assert different == []
        index = json.loads(with_copies["search/search_index.json"])
        text = " ".join(doc["text"] for doc in index["docs"])
        for label in ("Shown in a note", "Aside drawing", "Inline label", "Caching tier"):
            assert label in text
