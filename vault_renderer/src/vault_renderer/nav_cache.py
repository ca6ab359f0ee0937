"""Render each navigation link once per build instead of once per page.

With ``navigation.prune``, every page still lists the notes of its own folder: a folder
of 500 notes means 500 links on each of its 500 pages, each one a call of Material's
``render`` macro (``partials/nav-item.html``) that walks a dozen tests to reach the
plain link it writes. Such a link, to a page that is not the one being rendered, is the
same HTML on every page except for its ``href``, which is the link's URL relative to the
page. So the first page renders it with the theme's own macro, the cache keeps the HTML
on either side of the ``href``, and every later page gets those two parts around its own
relative URL: byte for byte what the macro writes, at the cost of one URL.

The theme's ``nav-item.html`` hands the cache its two loops over a section's children:
the search for the section's index page (``find_index``: the same on every page that
shows the section, so done once) and the rendering of the children
(``render_children``). Anything that is not a link to another page (a section, the
current page, the section's index page, a page with pages of its own) goes to the
theme's macro as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from jinja2.utils import Namespace
from mkdocs.structure.nav import Link
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import url_filter

__all__ = [
    "NAV_CACHE_GLOBAL",
    "NavItemCache",
    "install_nav_cache",
    "page_segments",
    "relative_url",
    "url_segments",
]

# The name under which templates find the cache.
NAV_CACHE_GLOBAL = "nav_cache"


class NavItemCache:
    """The HTML of each inactive leaf link of the navigation, split around its ``href``."""

    def __init__(self) -> None:
        # id(item) -> (item, HTML before the href, HTML after it, the URL's segments or
        # None). The item is kept so that its id is not reused by another
        # object during the build.
        self._links: dict[int, tuple[Any, str, str, list[str] | None]] = {}
        # id(section) -> (section, its index page or None, what the search wrote).
        self._indexes: dict[int, tuple[Any, Any, str]] = {}

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
        render_child: Callable[..., Any],
        section: Any,
        path: str,
        level: int,
        index: Any,
    ) -> str:
        """What Material's loop over ``section.children`` writes (``nav-item.html``).

        ``render_child`` is the template's macro for one turn of that loop; it is
        called for every child but the links to other pages already rendered once.
        """
        page = context.get("page")
        url = context.environment.filters["url"]
        page_parts = page_segments(page.url) if url is url_filter and page is not None else None

        def href(target: str, target_parts: list[str] | None) -> str:
            if page_parts is None or target_parts is None:
                return f'href="{url(context, target)}"'
            return f'href="{relative_url(target, target_parts, page_parts)}"'

        links = self._links
        parts = []
        for number, item in enumerate(section.children, start=1):
            # MkDocs makes one Page per file, so identity is the template's `==` here.
            cached = links.get(id(item))
            if cached is not None and not item.active and item is not page and item is not index:
                parts += (cached[1], href(item.url, cached[3]), cached[2])
                continue
            html = str(render_child(item, f"{path}_{number}", level + 1, section, index))
            parts.append(html)
            if item is not index and item is not page and _is_leaf_link(item):
                pieces = html.split(href(item.url, None))
                if len(pieces) == 2:  # Else not the one link Material writes: do not guess.
                    links[id(item)] = (item, pieces[0], pieces[1], url_segments(item.url))
        return "".join(parts)


def _is_leaf_link(item: Any) -> bool:
    # An active item is the current page (or, for a Link, never); a page with `pages`
    # (a blog's index) can stand for the current page: both go to the macro.
    return (
        isinstance(item, (Page, Link))
        and not item.active
        and not getattr(item, "children", None)
        and not getattr(item, "pages", None)
    )


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
