"""The handbook's navigation as the site tests read it: sources and their URLs."""

from __future__ import annotations

from urllib.parse import quote

from vault_renderer.site_nav import folder_navigation, nav_targets

from tests.conftest import REPO


def nav_sources(nav: list | None = None) -> list[str]:
    """Every Markdown file named in an MkDocs ``nav`` tree, in order.

    By default the handbook's navigation as the build resolves it: ``docs/.nav.yml``'s
    top level and the folders below it (``vault_renderer.site_nav``).
    """
    if nav is None:
        docs = REPO / "docs"
        pages = [
            path.relative_to(docs).as_posix()
            for path in docs.rglob("*.md")
            if not path.name.lower().endswith(".excalidraw.md")
        ]
        nav = folder_navigation(docs, pages).nav
    return [target for target in nav_targets(nav) if target.endswith(".md")]


def page_path(source: str) -> str:
    """The site-relative directory ``use_directory_urls`` gives a docs-relative source."""
    stem = source.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def page_url(source: str) -> str:
    """:func:`page_path` as a URL path (spaces and commas quoted)."""
    return quote(page_path(source))
