"""The privacy plugin reading tag by tag (vault_renderer/privacy.py) writes Material's HTML.

Material's privacy plugin and ours, with the same options, over the same pages: a real
plugin on tricky tags, then two real builds of a small site compared file by file.
No test downloads anything: the assets are on hosts the options exclude.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from material.plugins.privacy.plugin import PrivacyPlugin
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from vault_renderer.privacy import TagScopedPrivacyPlugin, rewrite_external_url_tags

# Assets on example.com are never fetched; other hosts' preconnect hints are dropped,
# links opening a new window get rel="noopener", and every tag the plugin reads comes
# back re-serialised (lower-case names, double quotes).
PLUGIN_OPTIONS = {"assets_exclude": ["example.com/*"]}

NAV_LINK = '<li class="md-nav__item"><a href="../Note%20{0:04d}/" class="md-nav__link">Note</a></li>'


@pytest.fixture
def privacy(tmp_path: Path) -> Iterator[tuple[TagScopedPrivacyPlugin, MkDocsConfig, Page]]:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Privacy\nsite_url: https://site.test/\n", encoding="utf-8"
    )
    config = load_config(str(tmp_path / "mkdocs.yml"))
    plugin = TagScopedPrivacyPlugin()
    errors, warnings = plugin.load_config({**PLUGIN_OPTIONS, "cache_dir": str(tmp_path / "c")})
    assert (errors, warnings) == ([], [])
    plugin.on_config(config)
    page = Page("Home", File("index.md", config.docs_dir, config.site_dir, False), config)
    yield plugin, config, page
    plugin.pool.shutdown()


class TestSamePageAsMaterial:
    @pytest.mark.parametrize(
        "tag",
        [
            '<a href="https://example.com/" target="_blank">',
            '<a href="//example.com/" target="_blank">',
            "<a href='http://example.com/' target='_blank'>",
            "<a href=https://example.com/ target=_blank>",
            '<A HREF="HTTPS://EXAMPLE.COM/" TARGET="_blank">',
            '<a title="1 > 0" href="https://example.com/" target="_blank">',
            '<abbr title="t" data-href="https://example.com/">',
            '<link rel="preconnect" href="https://fonts.gstatic.com">',
            '<img alt="" src="https://example.com/a.png">',
            '<script src="https://example.com/a.js"></script>',
            '<p>Write href="https://example.com/" in a tag</p>',
            '<span><a class="x" href="https://example.com/a" target="_blank"><a href="../b/"></span>',
            '<a href="https://example.com/" target="_blank"',
        ],
    )
    def test_a_page_with_this_tag_reads_as_material_writes_it(
        self, privacy: tuple[TagScopedPrivacyPlugin, MkDocsConfig, Page], tag: str
    ) -> None:
        plugin, config, page = privacy
        html = "<nav>" + "".join(NAV_LINK.format(n) for n in range(20)) + f"</nav><p>x</p>{tag}"
        material = PrivacyPlugin.on_post_page(plugin, html, page=page, config=config)
        assert plugin.on_post_page(html, page=page, config=config) == material

    def test_the_tags_it_rewrites_are_rewritten(
        self, privacy: tuple[TagScopedPrivacyPlugin, MkDocsConfig, Page]
    ) -> None:
        plugin, config, page = privacy
        html = (
            '<p><a href="https://example.com/" target="_blank">out</a>'
            '<link rel="preconnect" href="https://fonts.gstatic.com"></p>'
        )
        assert plugin.on_post_page(html, page=page, config=config) == (
            '<p><a href="https://example.com/" target="_blank" rel="noopener">out</a></p>'
        )


class TestWhatIsRead:
    def test_only_the_stretches_naming_another_host_are_read(self) -> None:
        external = '<a href="https://example.com/" class="md-source">'
        html = (
            '<nav class="md-nav">'
            + "".join(NAV_LINK.format(n) for n in range(500))
            + f"</nav><article>{external}x</a><p>See //comments and src=//x.</p></article>"
        )
        read: list[str] = []

        def rewrite(stretch: str) -> str:
            read.append(stretch)
            return stretch

        assert rewrite_external_url_tags(html, rewrite) is html
        # The link, and text that reads like an attribute (harmless: nothing in it matches).
        assert read == [external, "See //comments and src=//x.</p>"]

    def test_nothing_is_read_on_a_page_without_a_url_on_another_host(self) -> None:
        html = "".join(NAV_LINK.format(n) for n in range(50))
        assert rewrite_external_url_tags(html, lambda stretch: pytest.fail(stretch)) is html


SITE_CONFIG = """\
site_name: Privacy
site_url: https://site.test/
repo_url: https://github.com/example/handbook
theme:
  name: material
  font: false
markdown_extensions:
  - attr_list
plugins:
  - {plugin}:
      cache_dir: {cache}
      assets_exclude: ["example.com/*", "*/mermaid@*"]
"""
NOTE = textwrap.dedent("""\
    # Note {n}

    Opens [elsewhere](https://example.com/{n}){{target=_blank}}, in this
    [window](//example.com/same), or [here](../).

    ![a picture](https://example.com/{n}.png)
    """)


def built_pages(root: Path, plugin: str) -> dict[str, str]:
    (root / "docs").mkdir(parents=True)
    for n in range(12):
        (root / "docs" / f"Note {n}.md").write_text(NOTE.format(n=n), encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        SITE_CONFIG.format(plugin=plugin, cache=root / ".cache"), encoding="utf-8"
    )
    config = load_config(str(root / "mkdocs.yml"))
    build(config)
    site = Path(config.site_dir)
    return {
        path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(site.rglob("*.html"))
    }


@pytest.mark.slow
def test_a_site_built_with_either_plugin_is_the_same(tmp_path: Path) -> None:
    material = built_pages(tmp_path / "material", "privacy")
    ours = built_pages(tmp_path / "ours", "tag-scoped-privacy")
    assert len(material) > 12
    assert ours.keys() == material.keys()
    assert [path for path in ours if ours[path] != material[path]] == []
    # The plugin did act on these pages: the new-window link was marked.
    note = ours["Note 3/index.html"]
    assert '<a href="https://example.com/3" target="_blank" rel="noopener">' in note
