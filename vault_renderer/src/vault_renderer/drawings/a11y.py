"""Text alternatives for drawings: a name, and the drawing's labels, for assistive technology.

A drawing is shown as one inline ``<svg>``. To a screen reader it becomes one image
(``role="img"``) named after its file (or the note it is written in), described by a
``<desc>`` that lists its labels in drawing order. Without this a draw.io export reads
as loose fragments of text in no useful order, and an Excalidraw drawing (already an
image) reads as its name alone.

The labels are in the page once already, as the drawing's ``<text>`` and HTML labels,
and search indexes them there; the ``<desc>`` carries ``data-search-exclude`` (Material's
search skips such elements), so search does not index them twice. The original markup is
kept byte for byte: only the root's attributes and one element are added.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from html import escape
from pathlib import PurePosixPath

__all__ = ["describe_svg", "drawing_labels", "drawing_title"]

_SVG = "{http://www.w3.org/2000/svg}"
_DRAWING_SUFFIXES = (
    ".excalidraw.md",
    ".excalidraw.json",
    ".excalidraw",
    ".drawio.svg",
    ".svg",
    ".md",
)
_SVG_START = re.compile(r"\s*<svg\b[^>]*>")
_SPACE = re.compile(r"\s+")


def drawing_title(path: str) -> str:
    """The name a reader knows a drawing by: its file name without the drawing suffixes.

    Args:
        path: The drawing's site path (``diagrams/Read path.excalidraw.md``), or the path
            of the note an inline drawing is written in.

    Returns:
        ``"Read path"``; the note's name for an inline drawing.
    """
    name = PurePosixPath(path).name
    for suffix in _DRAWING_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def drawing_labels(svg: str) -> tuple[list[str], bool]:
    """The texts a drawing shows, in document order, and whether it shows a link.

    draw.io writes each label twice inside a ``<switch>``: as HTML in a
    ``<foreignObject>`` and as an SVG ``<text>`` fallback (its last alternative is a
    link to draw.io's help, never shown); only the first alternative counts.

    Args:
        svg: A sanitised drawing (well-formed XML).

    Returns:
        The labels with their white space collapsed (empty when the markup cannot be
        read), and True when a link is shown.
    """
    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError:
        return [], False
    labels: list[str] = []
    links: list[ElementTree.Element] = []

    def visit(element: ElementTree.Element) -> None:
        tag = element.tag
        if tag == f"{_SVG}a":
            links.append(element)
        if tag in (f"{_SVG}text", f"{_SVG}foreignObject"):
            # Lines of a label (tspans, <br>-separated runs) are words apart.
            label = _SPACE.sub(" ", " ".join(element.itertext())).strip()
            if label:
                labels.append(label)
            return
        if tag in (f"{_SVG}title", f"{_SVG}desc"):
            return
        children = list(element)
        if tag == f"{_SVG}switch":
            # The first alternative the viewer can show; the rest are fallbacks.
            children = children[:1]
        for child in children:
            visit(child)

    visit(root)
    return labels, bool(links)


def describe_svg(svg: str, name: str) -> str:
    """Give an inline drawing an accessible name and a description listing its labels.

    Args:
        svg: The drawing's sanitised ``<svg>`` markup.
        name: The accessible name (see :func:`drawing_title`); an ``aria-label`` the
            drawing already has is kept.

    Returns:
        The same markup with ``role`` and ``aria-label`` on the root (``role="img"``,
        or ``"group"`` when the drawing holds links, which must stay reachable) and a
        ``<desc data-search-exclude>`` listing the labels. Markup that is not an
        ``<svg>`` element is returned unchanged.
    """
    start = _SVG_START.match(svg)
    end = svg.rfind("</svg>")
    if start is None or end < start.end():
        return svg
    tag = start[0]
    labels, has_links = drawing_labels(svg)
    added = ""
    if " role=" not in tag:
        added += ' role="group"' if has_links else ' role="img"'
    if " aria-label=" not in tag:
        added += f' aria-label="{escape(name)}"'
    tag = tag[:-1] + added + ">"
    desc = (
        '<desc data-search-exclude="">'
        + escape(f"Labels in the drawing: {'; '.join(labels)}".rstrip(".") + ".", quote=False)
        + "</desc>"
        if labels
        else ""
    )
    return tag + svg[start.end() : end] + desc + svg[end:]
