"""Render each navigation link once per build instead of once per page.

With ``navigation.prune``, every page still lists the notes of its own folder: a folder
of 500 notes means 500 links on each of its 500 pages, each one a call of Material's
``render`` macro (``partials/nav-item.html``) that walks a dozen tests to reach the
plain link it writes. Such a link, to a page that is not the one being rendered, is the
same HTML on every page except for its ``href``, which is the link's URL relative to the
page. So the first page renders it with the theme's own macro, the cache keeps the HTML
on either side of the ``href``, and every later page gets those two parts around its own
relative URL: byte for byte what the macro writes, at the cost of one URL.

The theme's ``nav-item.html`` hands the cache the loop over a section's children
(``nav_cache.render_children``), so a cached link costs no template code at all;
anything that is not a link to another page (a section, the current page, the
section's index page, a page with pages of its own) goes to the macro as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from mkdocs.structure.nav import Link
from mkdocs.structure.pages import Page

__all__ = ["NAV_CACHE_GLOBAL", "NavItemCache", "install_nav_cache"]

# The name under which templates find the cache.
NAV_CACHE_GLOBAL = "nav_cache"


class NavItemCache:
    """The HTML of each inactive leaf link of the navigation, split around its ``href``."""

    def __init__(self) -> None:
        # id(item) -> (item, HTML before the href's value, HTML after it). The item is
        # kept so that its id is not reused by another object during the build.
        self._links: dict[int, tuple[Any, str, str]] = {}

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
        parts = []
        for number, item in enumerate(section.children, start=1):
            arguments = (item, f"{path}_{number}", level + 1, section, index)
            if not _is_leaf_link(item) or item in (index, page):
                parts.append(str(render_child(*arguments)))
                continue
            href = f'href="{url(context, item.url)}"'
            cached = self._links.get(id(item))
            if cached is None:
                html = str(render_child(*arguments))
                pieces = html.split(href)
                if len(pieces) != 2:  # Not the one link Material writes: do not guess.
                    parts.append(html)
                    continue
                cached = self._links[id(item)] = (item, pieces[0], pieces[1])
            parts += (cached[1], href, cached[2])
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


def install_nav_cache(env: Environment) -> NavItemCache:
    """Give the templates of one build a fresh cache (``on_env``: titles are final)."""
    cache = NavItemCache()
    env.globals[NAV_CACHE_GLOBAL] = cache
    return cache
