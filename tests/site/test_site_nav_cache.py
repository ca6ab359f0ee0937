"""The navigation cache (vault_renderer/nav_cache.py) changes build time, not pages.

Real MkDocs builds of a small vault with plain Material, the handbook's navigation
features and the plugin, which brings the cache's templates: once as it builds, once
with a hook that takes the cache away (the templates then run Material's loop
themselves), and once with a hook that takes the templates away (Material's own);
and the cache on its own, with a real Jinja template over a real MkDocs navigation.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urljoin

import pytest
from jinja2 import Environment
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.nav import Link, Navigation, Section, get_navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import normalize_url
from mkdocs.utils.templates import url_filter
from vault_renderer.nav_cache import (
    NAV_CACHE_GLOBAL,
    TEMPLATES,
    NavItemCache,
    page_segments,
    relative_url,
    theme_templates,
    url_segments,
)

pytestmark = pytest.mark.slow

# Pages at three depths, a section with an index page, a nested section, and links
# between notes, so that relative URLs differ from page to page.
NOTES = {
    "index.md": "# Home\n\nSee [[One]].\n",
    "Alpha/index.md": "# Alpha\n\nThe Alpha folder.\n",
    "Alpha/One.md": "# One\n\n## Part\n\nSee [[Two]] and [[Four]].\n",
    "Alpha/Two.md": "# Two\n\nBack to [[One]].\n",
    "Alpha/Three & more.md": "---\nsubtitle: with a subtitle\n---\n# Three & more\n",
    "Alpha/Deep/Four.md": "# Four\n\n## Section\n\nText.\n",
    "Alpha/Deep/Five.md": "# Five\n",
    "Beta/Six.md": "# Six\n\nSee [[Five]].\n",
    "Beta/Seven.md": "# Seven\n",
}

CONFIG = """\
site_name: Navigation cache
theme:
  name: material
  features:
    - navigation.tabs
    - navigation.sections
    - navigation.indexes
    - navigation.prune
plugins:
  - obsidian-vault:
      extra_roots: []
markdown_extensions:
  - toc:
      permalink: true
"""

# A real MkDocs hook, registered after the plugin: its on_env runs after the plugin's.
WITHOUT_CACHE_HOOK = f"""\
def on_env(env, config, files):
    env.globals.pop({NAV_CACHE_GLOBAL!r})
    return env
"""
# The same, on_config: the theme's own templates, as a site without the plugin has.
WITHOUT_TEMPLATES_HOOK = f"""\
def on_config(config):
    config.theme.dirs.remove({str(TEMPLATES)!r})
    return config
"""


def make_vault(
    root: Path,
    *,
    cache: bool,
    notes: dict[str, str] = NOTES,
    config: str = CONFIG,
    templates: bool = True,
) -> Path:
    for path, text in notes.items():
        (root / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / path).write_text(text, encoding="utf-8")
    hooks = []
    if not cache:
        (root / "without_cache.py").write_text(WITHOUT_CACHE_HOOK, encoding="utf-8")
        hooks.append("without_cache.py")
    if not templates:
        (root / "without_templates.py").write_text(WITHOUT_TEMPLATES_HOOK, encoding="utf-8")
        hooks.append("without_templates.py")
    if hooks:
        config += "hooks:\n" + "".join(f"  - {hook}\n" for hook in hooks)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root / "mkdocs.yml"


def built(root: Path, *, cache: bool, **vault: Any) -> Path:
    config = load_config(str(make_vault(root, cache=cache, **vault)))
    build(config)
    return Path(config.site_dir)


def pages(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(site.rglob("*.html"))
    }


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str]]:
    with_cache = built(tmp_path_factory.mktemp("with-cache"), cache=True)
    without_cache = built(tmp_path_factory.mktemp("without-cache"), cache=False)
    return pages(with_cache), pages(without_cache)


TAB_LINK = re.compile(r'<a href="([^"]*)" class="md-tabs__link">')
NAV_LINK = re.compile(r'<a href="([^"]*)" class="md-nav__link( md-nav__link--active)?">')


def _without_blank_runs(html: str) -> str:
    return re.sub(r"\s+", " ", html)


class TestTheThemesTemplates:
    def test_the_plugin_puts_them_before_material_s_and_after_a_site_s_own(
        self, tmp_path: Path
    ) -> None:
        plain = load_config(str(make_vault(tmp_path / "plain", cache=True)))
        plain.plugins.on_config(plain)
        assert plain.theme.dirs[0] == str(TEMPLATES)
        custom = CONFIG.replace(
            "  name: material\n", f"  name: material\n  custom_dir: {tmp_path}\n"
        )
        own = load_config(str(make_vault(tmp_path / "own", cache=True, config=custom)))
        own.plugins.on_config(own)
        assert own.theme.dirs[:2] == [str(tmp_path), str(TEMPLATES)]

    def test_only_over_the_material_partials_they_copy(self, tmp_path: Path) -> None:
        config = load_config(str(make_vault(tmp_path / "site", cache=True)))
        material = next(d for d in config.theme.dirs if (Path(d) / "partials/tabs.html").is_file())
        assert theme_templates("material", config.theme.dirs, None) == TEMPLATES
        assert theme_templates("mkdocs", config.theme.dirs, None) is None
        other = tmp_path / "other-material"
        shutil.copytree(Path(material) / "partials", other / "partials")
        nav_item = other / "partials" / "nav-item.html"
        nav_item.write_text(nav_item.read_text() + "\n", encoding="utf-8")
        assert theme_templates("material", [str(other)], None) is None
        # A site's own partials (custom_dir) are not the theme's: they are looked past.
        site_own = [str(other), *config.theme.dirs]
        assert theme_templates("material", site_own, str(other)) == TEMPLATES

    def test_pages_are_material_s_own_but_for_where_blank_lines_fall(
        self, tmp_path: Path, sites: tuple[dict[str, str], dict[str, str]]
    ) -> None:
        material = pages(built(tmp_path, cache=True, templates=False))
        with_cache = sites[0]
        assert material.keys() == with_cache.keys()
        different = [
            path
            for path in material
            if _without_blank_runs(material[path]) != _without_blank_runs(with_cache[path])
        ]
        assert different == []


class TestBuiltPages:
    def test_every_page_is_byte_for_byte_the_same_with_and_without_the_cache(
        self, sites: tuple[dict[str, str], dict[str, str]]
    ) -> None:
        with_cache, without_cache = sites
        assert len(with_cache) >= len(NOTES)
        assert with_cache.keys() == without_cache.keys()
        different = [path for path in with_cache if with_cache[path] != without_cache[path]]
        assert different == []

    @pytest.mark.parametrize(
        ("page", "siblings"),
        [
            ("Alpha/One/index.html", ["Alpha/Two/", "Alpha/Three%20%26%20more/", "Beta/Seven/"]),
            ("Alpha/Two/index.html", ["Alpha/One/", "Alpha/Three%20%26%20more/"]),
            ("Alpha/Deep/Four/index.html", ["Alpha/Deep/Five/", "Alpha/One/"]),
            ("Alpha/Deep/Five/index.html", ["Alpha/Deep/Four/", "Alpha/Two/"]),
            ("Beta/Six/index.html", ["Beta/Seven/", "Alpha/"]),
        ],
    )
    def test_a_page_shows_itself_active_and_links_its_siblings_from_where_it_is(
        self, sites: tuple[dict[str, str], dict[str, str]], page: str, siblings: list[str]
    ) -> None:
        html = sites[0][page]
        here = "https://site.test/" + page.removesuffix("index.html")
        links = [(urljoin(here, href), bool(active)) for href, active in NAV_LINK.findall(html)]
        active = {target for target, is_active in links if is_active}
        assert active == {here}
        inactive = {target for target, is_active in links if not is_active}
        assert {"https://site.test/" + sibling for sibling in siblings} <= inactive

    def test_every_page_has_the_same_tabs_and_section_links_wherever_it_is(
        self, sites: tuple[dict[str, str], dict[str, str]]
    ) -> None:
        targets = {}
        for path, html in sites[0].items():
            if path == "404.html":
                continue
            here = "https://site.test/" + path.removesuffix("index.html")
            tabs = [urljoin(here, href) for href in TAB_LINK.findall(html)]
            targets[path] = tabs
        assert set(map(tuple, targets.values())) == {
            ("https://site.test/", "https://site.test/Alpha/", "https://site.test/Beta/Seven/")
        }

    def test_the_title_and_subtitle_of_a_cached_link_are_kept(
        self, sites: tuple[dict[str, str], dict[str, str]]
    ) -> None:
        html = sites[0]["Alpha/Two/index.html"]
        start = html.index('<a href="../Three%20%26%20more/" class="md-nav__link">')
        link = html[start : html.index("</a>", start)]
        assert "Three &amp; more" in link
        assert "<small>with a subtitle</small>" in link


class TestCache:
    """``NavItemCache.render_children`` on a real navigation, with a stand-in macro."""

    @pytest.fixture
    def navigation(self, tmp_path: Path) -> Navigation:
        config_file = make_vault(tmp_path, cache=True)
        config_file.write_text(
            config_file.read_text(encoding="utf-8")
            + "nav:\n  - Alpha:\n    - Alpha/index.md\n    - One: Alpha/One.md\n"
            "    - Two: Alpha/Two.md\n"
            "    - Deep: [Alpha/Deep/Four.md]\n    - Elsewhere: https://example.org/\n",
            encoding="utf-8",
        )
        config = load_config(str(config_file))
        return get_navigation(get_files(config), config)

    def render(
        self, cache: NavItemCache, section: Section, page: Page, calls: list[str], **index: Any
    ) -> str:
        environment = Environment()
        environment.filters["url"] = url_filter
        environment.globals.update(nav_cache=cache, calls=calls)
        template = environment.from_string(
            "{% macro render(item, path, level, parent) %}"
            "{% if item.children %}<p id='{{ path }}'>{{ item.title }}</p>"
            '{% else %}<a href="{{ item.url | url }}" id="{{ path }}" data-level="{{ level }}">'
            "{{ item.title }}{{ ' (here)' if item == page }}</a>{% endif %}"
            "{% endmacro %}"
            "{% macro nav_child(render, item, number, path, level, parent, index) %}"
            "{{ calls.append(item.title) or '' }}"
            "{% if item != index %}{{ render(item, path ~ '_' ~ number, level + 1, parent) }}"
            "{% endif %}{% endmacro %}"
            "{{ nav_cache.render_children(nav_child, render, section, '__nav_1', 1, index) }}"
        )
        page.active = True  # As MkDocs marks the page it renders.
        try:
            index.setdefault("index", section.children[0])
            return template.render(section=section, page=page, base_url=".", **index)
        finally:
            page.active = False

    def test_a_link_to_another_page_is_rendered_once_then_placed_from_each_page(
        self, navigation: Navigation
    ) -> None:
        alpha = navigation.items[0]
        index, one, two, deep, elsewhere = alpha.children
        assert isinstance(deep, Section) and isinstance(elsewhere, Link)
        cache, calls = NavItemCache(), []

        on_one = self.render(cache, alpha, one, calls)
        assert calls == [index.title, "One", "Two", "Deep", "Elsewhere"]
        assert on_one == (
            '<a href="./" id="__nav_1_2" data-level="2">One (here)</a>'
            '<a href="../Two/" id="__nav_1_3" data-level="2">Two</a>'
            "<p id='__nav_1_4'>Deep</p>"
            '<a href="https://example.org/" id="__nav_1_5" data-level="2">Elsewhere</a>'
        )

        calls.clear()
        on_two = self.render(cache, alpha, two, calls)
        # One was the current page last time, Two is now: both go to the macro; the
        # external link comes from the cache; the index page and sections always go.
        assert calls == [index.title, "One", "Two", "Deep"]
        assert on_two == (
            '<a href="../One/" id="__nav_1_2" data-level="2">One</a>'
            '<a href="./" id="__nav_1_3" data-level="2">Two (here)</a>'
            "<p id='__nav_1_4'>Deep</p>"
            '<a href="https://example.org/" id="__nav_1_5" data-level="2">Elsewhere</a>'
        )

        calls.clear()
        assert self.render(cache, alpha, one, calls) == on_one
        assert calls == [index.title, "One", "Deep"]  # Two from the cache, with One's href.

    def test_a_link_below_the_page_s_own_url_is_written_from_that_page(
        self, tmp_path: Path
    ) -> None:
        # Beta/ and Zeta/ are pages of the same (top) folder; Zeta's notes are a section
        # of their own, below Zeta/'s URL but not above the page.
        notes = {"Beta.md": "# Beta\n", "Zeta.md": "# Zeta\n", "Zeta/One.md": "# One\n"}
        config_file = make_vault(tmp_path, cache=True, notes=notes)
        config_file.write_text(
            config_file.read_text(encoding="utf-8")
            + "nav:\n  - Beta.md\n  - Zeta.md\n  - Zeta notes:\n    - Zeta/One.md\n",
            encoding="utf-8",
        )
        config = load_config(str(config_file))
        beta, zeta, section = get_navigation(get_files(config), config).items
        cache = NavItemCache()
        on_beta = self.render(cache, section, beta, [], index=None)
        assert 'href="../Zeta/One/"' in on_beta
        on_zeta = self.render(cache, section, zeta, [], index=None)
        assert 'href="One/"' in on_zeta
        assert self.render(NavItemCache(), section, zeta, [], index=None) == on_zeta


class TestRelativeURL:
    """The cache's relative URLs are those of MkDocs' ``url`` filter, or it uses the filter."""

    @pytest.mark.parametrize(
        ("url", "page_url"),
        [
            ("Alpha/Two/", "Alpha/One/"),
            ("Alpha/Two/", "Alpha/"),
            ("Alpha/", "Alpha/One/"),
            ("Alpha/Deep/Four/", "Alpha/One/"),
            ("Alpha/One/", "Alpha/Deep/Four/"),
            ("Beta/Six/", "Alpha/Deep/Four/"),
            ("Alpha/One/", "Alpha/One/"),
            ("Alpha/One/Part/", "Alpha/One/"),
            ("Alpha/", ""),
            ("Alpha/Two/", ""),
            ("Three%20%26%20more/", "Alpha/Three%20%26%20more/"),
            ("a.b/c/", "a.b/d/"),
            ("Alpha/Two.html", "Alpha/One.html"),
            ("Alpha/Two.html", "index.html"),
            ("Beta/Six.html", "Alpha/Deep/Four.html"),
            ("Alpha/Two", "Alpha/One/"),
        ],
    )
    def test_a_plain_url_relative_to_a_page_is_what_mkdocs_makes(
        self, url: str, page_url: str
    ) -> None:
        url_parts, page_parts = url_segments(url), page_segments(page_url)
        assert url_parts is not None and page_parts is not None
        expected = normalize_url(url, page=SimpleNamespace(url=page_url))
        assert relative_url(url, url_parts, page_parts) == expected

    @pytest.mark.parametrize(
        "url",
        [
            "",
            "https://example.org/",
            "//example.org/a/",
            "/Alpha/One/",
            "#part",
            "Alpha/One/#part",
            "Alpha/One/?q=1",
            "../Alpha/",
            "./Alpha/",
            "Alpha//One/",
            "Alpha/./One/",
            "Alpha/../One/",
            "mailto:someone@example.org",
            "Alpha\\One",
        ],
    )
    def test_any_other_url_is_left_to_the_filter(self, url: str) -> None:
        assert url_segments(url) is None
