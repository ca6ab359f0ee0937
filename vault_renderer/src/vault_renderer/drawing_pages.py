"""A page for each drawing, as Obsidian opens a drawing on its own.

Obsidian lists every drawing of the vault and opens it in its own view; a drawing that
no note embeds would otherwise not be published at all, and a link to a drawing would
have nowhere to go. Each such drawing (Excalidraw: ``.excalidraw.md``, ``.excalidraw``,
``.excalidraw.json``; draw.io: ``.drawio.svg``, or an ``.svg`` that carries its
diagram), and each drawing a note links to, gets a page beside it, named after it,
showing the drawing at its full size, so a large one can be scrolled and zoomed by the
browser. A drawing that notes only embed gets such a page too, kept out of the
navigation and the search (its text is indexed on the notes that show it): it is where
the figure's "open full size" link goes.

This module only decides which drawings get a page, where, and what it is called; the
drawing itself is rendered by ``embeds.DrawingEmbedder`` (through the content-hash cache,
so nothing is rendered twice) when MkDocs renders the page.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass

from vault_renderer.embeds import drawing_kind
from vault_renderer.links import LinkKind
from vault_renderer.report import LinkReport, VaultReport
from vault_renderer.vault import Vault, VaultFile

__all__ = [
    "DRAWING_PAGE_CLASS",
    "DrawingPage",
    "drawing_page_html",
    "drawing_pages",
    "drawing_title",
    "is_drawio_svg",
]

DRAWING_PAGE_CLASS = "vault-drawing-page"
# Longest first, so `x.excalidraw.md` loses its whole suffix.
_SUFFIXES = (".excalidraw.json", ".excalidraw.md", ".excalidraw", ".drawio.svg", ".svg")
# draw.io keeps the editable diagram in the SVG's `content` attribute (an escaped
# <mxfile>); an SVG without it is an image (an icon, a logo), not a drawing.
_DRAWIO_CONTENT = re.compile(r"""\scontent\s*=\s*["']\s*(?:&lt;|<)mxfile\b""")


@dataclass(frozen=True, slots=True)
class DrawingPage:
    """The page generated for a drawing.

    Attributes:
        drawing: The drawing's file in the vault.
        src_uri: Where the page is in the site (beside the drawing, ends in ``.md``).
        title: The page's title: the drawing's name, as Obsidian shows it.
        listed: In the navigation and the search; false for a drawing that notes only
            embed, whose page is the full-size view of the figures they show.
    """

    drawing: VaultFile
    src_uri: str
    title: str
    listed: bool = True

    @property
    def markdown(self) -> str:
        """The page's source: only its title; the drawing is added when it is rendered."""
        hidden = "" if self.listed else "search:\n  exclude: true\n"
        return f"---\ntitle: {json.dumps(self.title, ensure_ascii=False)}\n{hidden}---\n"


def drawing_title(path: str) -> str:
    """The name Obsidian shows for a drawing: its file name without the drawing suffix."""
    name = posixpath.basename(path)
    lowered = name.lower()
    for suffix in _SUFFIXES:
        if lowered.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def is_drawio_svg(path: str, read_text: Callable[[], str | None]) -> bool:
    """Tell whether an SVG file is a draw.io drawing (by its name, else by its content)."""
    lowered = path.lower()
    if lowered.endswith(".drawio.svg"):
        return True
    if not lowered.endswith(".svg"):
        return False
    text = read_text()
    return text is not None and _DRAWIO_CONTENT.search(text[:4096]) is not None


def drawing_pages(
    vault: Vault,
    report: VaultReport,
    taken: Set[str],
    read_text: Callable[[VaultFile], str | None],
) -> list[DrawingPage]:
    """Choose the drawings that get a page of their own, and where each page goes.

    Args:
        vault: The vault.
        report: Its links, to know which drawings notes (or other drawings) only embed:
            their pages are not listed. A drawing a note links to is listed even when
            embedded elsewhere, so that the link opens the drawing as it does in Obsidian.
        taken: The site paths that are already pages or files; a drawing whose page
            would take one of them gets none, and of two drawings with the same page
            (``x.excalidraw`` beside ``x.excalidraw.md``) the ``.excalidraw.md`` keeps it.
        read_text: Reads a file, to tell a draw.io SVG from other SVGs.

    Returns:
        The pages, in the order of their paths.
    """
    embedded = _targets(report.links, embeds=True)
    linked = _targets(report.links, embeds=False)
    candidates = []
    for file in vault.files.values():
        kind = drawing_kind(file.path)
        if kind is None:
            continue
        if kind == "svg" and not is_drawio_svg(file.path, lambda file=file: read_text(file)):
            continue
        candidates.append((_page_path(file.site_path, kind), file))
    # A drawing whose page has its own path (an `.excalidraw.md`, removed from the
    # site's files) comes first: `x.excalidraw` beside it would have the same page.
    candidates.sort(key=lambda item: (item[0] != item[1].site_path, item[1].site_path))
    used = set(taken)
    pages = []
    for src_uri, file in candidates:
        if src_uri in used:
            continue
        used.add(src_uri)
        listed = file.site_path not in embedded or file.site_path in linked
        pages.append(DrawingPage(file, src_uri, drawing_title(file.path), listed))
    pages.sort(key=lambda page: page.src_uri)
    return pages


def drawing_page_html(figure: str) -> str:
    """The page's content around the rendered drawing: shown at its full size."""
    return f'<div class="{DRAWING_PAGE_CLASS}">{figure}</div>'


def _page_path(site_path: str, kind: str) -> str:
    folder = posixpath.dirname(site_path)
    name = drawing_title(site_path) + (".excalidraw.md" if kind == "excalidraw" else ".drawio.md")
    return posixpath.join(folder, name)


def _targets(links: Iterable[LinkReport], *, embeds: bool) -> set[str]:
    # An Excalidraw drawing lists the files it shows as plain wikilinks: those embed.
    return {
        link.resolution.file.site_path
        for link in links
        if link.resolution.file is not None
        and embeds is (link.occurrence.kind is LinkKind.EMBED or _is_drawing(link.source))
    }


def _is_drawing(site_path: str) -> bool:
    return drawing_kind(site_path) is not None
