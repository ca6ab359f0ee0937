"""The handbook's navigation as the site tests read it: sources and their URLs."""

from __future__ import annotations

from urllib.parse import quote

import yaml

from tests.conftest import REPO


def nav_sources(nav: list | None = None) -> list[str]:
    """Every Markdown file named in an MkDocs ``nav`` tree (mkdocs.yml's by default), in order."""
    if nav is None:
        config = yaml.load(
            (REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader
        )
        nav = config["nav"]
    sources: list[str] = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            sources.extend(nav_sources(value))
        elif isinstance(value, str) and value.endswith(".md"):
            sources.append(value)
    return sources


def page_path(source: str) -> str:
    """The site-relative directory ``use_directory_urls`` gives a docs-relative source."""
    stem = source.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def page_url(source: str) -> str:
    """:func:`page_path` as a URL path (spaces and commas quoted)."""
    return quote(page_path(source))
