"""Render each navigation link once per build instead of once per page.

With ``navigation.prune``, every page still lists the notes of its own folder and one
link for every other section, and ``navigation.tabs`` adds a tab for each top-level
section: a folder of 500 notes means 500 links on each of its 500 pages, each one a
call of Material's ``render`` macro (``partials/nav-item.html``) that walks a dozen
tests to reach the plain link it writes. An item of the navigation that is not on the
way to the page being rendered (a link to another page, a closed section, another tab)
is the same HTML on every page except for its one ``href``, the URL of the page it
leads to relative to the page rendered. So the first page renders it with the theme's
own macro, the cache keeps the HTML on either side of the ``href``, and every later
page gets those two parts around its own relative URL: byte for byte what the macro
writes, at the cost of one URL.

The theme runs its loops over navigation items here: this package's copies of
Material's ``nav.html``, ``nav-item.html`` and ``tabs.html`` (``templates/partials``,
the loop bodies are the macros of ``nav-loops.html``), which the plugin puts before
Material's own when they are copies of the installed Material's (``theme_templates``),
so every site with the plugin has the cache, not only the handbook. Anything else
(the current page and the sections above it, the section's index page, an item whose
HTML holds no link or more than one, a page with pages of its own) goes to the macro
on every page, as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from jinja2.utils import Namespace
from mkdocs.structure.nav import Link, Section
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import url_filter

__all__ = [
    "NAV_CACHE_GLOBAL",
    "NavItemCache",
    "install_nav_cache",
    "page_segments",
    "relative_url",
    "theme_templates",
    "url_segments",
]

# The name under which templates find the cache.
NAV_CACHE_GLOBAL = "nav_cache"

# The templates that run Material's navigation loops in the cache.
TEMPLATES = Path(__file__).parent / "templates"
# The Material partials they are copies of (9.8.1's), by the first 16 hex digits of
# their SHA-256: another Material's are its own, and keep the theme's own loops.
MATERIAL_PARTIALS = {
    "nav.html": "af33f6e032f632eb",
    "nav-item.html": "89895208f22d68ce",
    "tabs.html": "d2c82916569e645a",
}


class NavItemCache:
    """The HTML of the navigation items that do not depend on the page but for a link."""

    def __init__(self) -> None:
        # (loop, id(item), ...) -> (item, HTML before the href, HTML after it, the
        # linked URL, its segments or None). The item is kept so that its id is not
        # reused by another object during the build.
        self._items: dict[tuple[Any, ...], tuple[Any, str, str, str, list[str] | None]] = {}
        # id(section) -> (section, its index page or None, what the search wrote).
        self._indexes: dict[int, tuple[Any, Any, str]] = {}
        # (loop, id(items), the page's folder) -> the loop's cached links as written on
        # any page of that folder (see `_FolderRun`).
        self._runs: dict[tuple[Any, ...], _FolderRun] = {}

    def find_index(self, find_index: Callable[..., Any], section: Any, found: Namespace) -> str:
        """What the theme's ``find_index`` macro writes, and the index page it finds."""
        cached = self._indexes.get(id(section))
        if cached is None:
            html = str(find_index(section, found))
            cached = self._indexes[id(section)] = (section, found.index, html)
        found["index"] = cached[1]
        return cached[2]

    @pass_context
    def render_children(
        self,
        context: Context,
        nav_child: Callable[..., Any],
        render: Callable[..., Any],
        section: Any,
        path: str,
        level: int,
        index: Any,
    ) -> str:
        """What Material's loop over a section's children writes (``nav-item.html``).

        A child's HTML also depends on whether the section is open (a second-level
        section is shown as one under an open tab): that is part of its cache key.
        """

        def body(item: Any, number: int) -> Any:
            return nav_child(render, item, number, path, level, section, index)

        return self._render_loop(
            context, (nav_child.name, bool(section.active)), section.children, body, index
        )

    @pass_context
    def render_items(
        self,
        context: Context,
        loop_body: Callable[..., Any],
        render: Callable[..., Any],
        items: Any,
    ) -> str:
        """What one of Material's loops over the top-level items writes (``loop_body``)."""
        takes_number = "number" in loop_body.arguments

        def body(item: Any, number: int) -> Any:
            return loop_body(render, item, number) if takes_number else loop_body(render, item)

        return self._render_loop(context, (loop_body.name,), items, body, None)

    def _render_loop(
        self,
        context: Context,
        loop: tuple[Any, ...],
        items: Any,
        body: Callable[[Any, int], Any],
        index: Any,
    ) -> str:
        page = context.get("page")
        url = context.environment.filters["url"]
        page_parts = page_segments(page.url) if url is url_filter and page is not None else None

        def href(target: str, target_parts: list[str] | None) -> str:
            if page_parts is None or target_parts is None:
                return f'href="{url(context, target)}"'
            return f'href="{relative_url(target, target_parts, page_parts)}"'

        if page_parts:  # A page in a folder: its folder's pages share the links' HTML.
            run_key = (*loop, id(items), *page_parts[:-1])
            run = self._runs.get(run_key)
            if run is None:
                run = self._runs[run_key] = _FolderRun(items, page_parts[:-1])
            return run.write(self, loop, page_parts[-1], page, index, body, href)
        return "".join(self._render_items(loop, items, range(len(items)), page, index, body, href))

    def _render_items(
        self,
        loop: tuple[Any, ...],
        items: Any,
        positions: Any,
        page: Any,
        index: Any,
        body: Callable[[Any, int], Any],
        href: Callable[[str, list[str] | None], str],
    ) -> list[str]:
        """The HTML of the items at ``positions``, from the cache where it may be."""
        cache = self._items
        parts: list[str] = []
        for position in positions:
            item, number = items[position], position + 1
            key = (*loop, id(item))
            # MkDocs makes one Page per file, so identity is the template's `==` here.
            cached = cache.get(key)
            if cached is not None and not item.active and item is not page and item is not index:
                parts.append(cached[1] + href(cached[3], cached[4]) + cached[2])
                continue
            html = str(body(item, number))
            parts.append(html)
            target = _linked_page(item) if item is not index and item is not page else None
            if target is not None and html.count('href="') == 1:
                pieces = html.split(href(target.url, None))
                if len(pieces) == 2:  # Else not the one link Material writes: do not guess.
                    cache[key] = (item, pieces[0], pieces[1], target.url, url_segments(target.url))
        return parts

    def cached(self, loop: tuple[Any, ...], item: Any) -> tuple[str, str, str, list[str]] | None:
        """The HTML around a cached item's link, its URL and segments; None if not cached
        or its URL is one the filter must write."""
        entry = self._items.get((*loop, id(item)))
        if entry is None or entry[4] is None:
            return None
        return entry[1], entry[2], entry[3], entry[4]


# Stands for the page's own last URL segment: no URL segment can be this.
_ANY_PAGE = "\x00"


class _FolderRun:
    """One loop's cached links as they read from any page of one folder.

    A link's URL relative to a page depends on the page's own last segment only when the
    link leads to that page or below it: for every other link, all the pages of a folder
    write the same HTML. So the folder keeps the loop's links written once, and a page
    of it joins those strings, writing again only its exceptions: the items that are not
    cached (yet), the active ones (the page and the sections above it), the section's
    index page, and the links under the page's own segment.
    """

    def __init__(self, items: Any, folder: list[str]) -> None:
        self.items, self.folder = items, folder
        self.written: list[str | None] = [None] * len(items)
        self.missing: set[int] = set(range(len(items)))
        # A link's segment below the folder -> the positions of the links under it.
        self.under: dict[str, list[int]] = {}

    def write(
        self,
        cache: NavItemCache,
        loop: tuple[Any, ...],
        segment: str,
        page: Any,
        index: Any,
        body: Callable[[Any, int], Any],
        href: Callable[[str, list[str] | None], str],
    ) -> str:
        """The loop's HTML on a page whose URL is this folder and then ``segment``."""
        items = self.items
        exceptions = set(self.missing)
        exceptions.update(self.under.get(segment, ()))
        exceptions.update(
            i for i, item in enumerate(items) if item.active or item is page or item is index
        )
        ordered = sorted(exceptions)
        own = cache._render_items(loop, items, ordered, page, index, body, href)
        self._learn(cache, loop)
        parts, start = [], 0
        for position, html in zip(ordered, own, strict=True):
            parts += self.written[start:position]
            parts.append(html)
            start = position + 1
        parts += self.written[start:]
        return "".join(parts)  # type: ignore[arg-type]

    def _learn(self, cache: NavItemCache, loop: tuple[Any, ...]) -> None:
        """Write the links cached since the last page, as any page of the folder reads them."""
        depth = len(self.folder)
        reader = [*self.folder, _ANY_PAGE]
        for position in list(self.missing):
            entry = cache.cached(loop, self.items[position])
            if entry is None:
                continue
            before, after, url, parts = entry
            self.written[position] = f'{before}href="{relative_url(url, parts, reader)}"{after}'
            self.missing.discard(position)
            if len(parts) > depth and parts[:depth] == self.folder:
                self.under.setdefault(parts[depth], []).append(position)


def _linked_page(item: Any) -> Any:
    """The page a closed item links to (its first page, for a section), or None.

    None for the items that may differ from page to page in more than a link: the
    current page and the sections above it (``active``), a page with pages of its own
    (a blog's index can stand for the current page).
    """
    if not isinstance(item, (Page, Link, Section)) or item.active or getattr(item, "pages", None):
        return None
    while isinstance(item, Section) and item.children:
        item = item.children[0]
    return item if isinstance(item, (Page, Link)) else None


def url_segments(url: str) -> list[str] | None:
    """The segments of a URL that MkDocs' ``url`` filter leaves as they are, else None.

    That is a site-relative path with no scheme, host, query or fragment, and no empty,
    ``.`` or ``..`` segment: the URL MkDocs gives every page (quoted, so a note's name
    cannot add a ``:``, ``?`` or ``#``).
    """
    if not url or url.startswith("/") or any(char in url for char in ":?#\\"):
        return None
    parts = url.removesuffix("/").split("/")
    return None if any(part in ("", ".", "..") for part in parts) else parts


def page_segments(page_url: str) -> list[str] | None:
    """The page's directory as ``get_relative_url`` splits it, None if it is unusual."""
    directory, _, name = page_url.rpartition("/")
    base = directory if "." in name else page_url
    return [] if base == "" else url_segments(base)


def relative_url(url: str, url_parts: list[str], page_parts: list[str]) -> str:
    """``mkdocs.utils.get_relative_url(url, page.url)``, both URLs split already.

    MkDocs normalises both URLs on every call; a page's navigation asks for hundreds.
    """
    common = 0
    for a, b in zip(page_parts, url_parts, strict=False):
        if a != b:
            break
        common += 1
    relative = "/".join([".."] * (len(page_parts) - common) + url_parts[common:]) or "."
    return relative + "/" if url.endswith("/") else relative


def install_nav_cache(env: Environment) -> NavItemCache:
    """Give the templates of one build a fresh cache (``on_env``: titles are final)."""
    cache = NavItemCache()
    env.globals[NAV_CACHE_GLOBAL] = cache
    return cache


def theme_templates(
    theme_name: str | None, theme_dirs: list[str], custom_dir: str | None
) -> Path | None:
    """The folder of this package's navigation templates, if the theme's own partials
    are the ones they copy; None for another theme or another Material.

    ``theme_dirs`` is MkDocs' template search path (``config.theme.dirs``): a site's
    ``custom_dir`` first, then the theme's own folder.
    """
    if theme_name != "material":
        return None
    for folder in theme_dirs:
        if folder == custom_dir or not (Path(folder) / "partials" / "nav-item.html").is_file():
            continue
        partials = Path(folder) / "partials"
        same = all(
            (partials / name).is_file()
            and hashlib.sha256((partials / name).read_bytes()).hexdigest()[:16] == digest
            for name, digest in MATERIAL_PARTIALS.items()
        )
        return TEMPLATES if same else None
    return None
