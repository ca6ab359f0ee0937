"""The results and the error shared by the drawing sanitiser, renderer and cache."""

from __future__ import annotations

from dataclasses import dataclass


class DrawingError(ValueError):
    """A drawing could not be read.

    Attributes:
        source: what was being read (a file name, or "svg" for inline markup).
        reason: what is wrong, in words a contributor can act on.
        line: 1-based line of the problem when the parser knows it, else None.
        column: 1-based column of the problem when the parser knows it, else None.
    """

    def __init__(
        self, source: str, reason: str, *, line: int | None = None, column: int | None = None
    ) -> None:
        self.source = source
        self.reason = reason
        self.line = line
        self.column = column
        where = source if line is None else f"{source}:{line}:{column or 1}"
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True, slots=True)
class SanitizedSvg:
    """An SVG that is safe to inline in a page.

    Attributes:
        svg: the serialised markup: one root ``<svg>`` element carrying the classes
            ``vr-drawing vr-drawio`` (see ``DRAWING_CSS``), UTF-8 text, no XML declaration.
        removed: one human-readable line per construct that was stripped, in document
            order, e.g. ``"script element"``, ``"onload attribute on <svg>"``,
            ``"javascript: URL in href on <a>"``. Empty when nothing was removed.
    """

    svg: str
    removed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RenderedDrawing:
    """An Excalidraw drawing rendered to one inline SVG.

    Attributes:
        svg: a self-contained ``<svg>`` element with the classes
            ``vr-drawing vr-excalidraw``; its dark variant is the CSS in
            ``DRAWING_CSS`` (keyed on Material's ``[data-md-color-scheme="slate"]``).
        warnings: one line per problem, each starting with the drawing's name, e.g.
            ``"diagrams/x.excalidraw.md: embedded file 'a.svg' not found; drawn as a
            labelled placeholder"``. Empty when the drawing rendered cleanly.
        texts: the drawing's text elements in drawing order (what search should index).
        element_count: how many (non-deleted) elements were drawn; 0 for a placeholder.
        placeholder: True when the drawing as a whole could not be read or drawn
            (corrupt, truncated, no drawing data, oversize): ``svg`` is a labelled
            placeholder and ``warnings`` says why. False when the drawing was drawn,
            even if some of its elements were not.
        missing_files: the ``## Embedded Files`` link targets the vault does not hold,
            in drawing order, each once; each is drawn as a labelled placeholder and
            has its warning (see ``missing_file_warning``).
    """

    svg: str
    warnings: tuple[str, ...]
    texts: tuple[str, ...]
    element_count: int
    placeholder: bool = False
    missing_files: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExternalisedSvg:
    """A sanitised SVG with its CSS moved out of the markup, for a strict CSP.

    Attributes:
        svg: the markup without any ``style`` attribute or ``<style>`` element; each
            element that had a ``style`` attribute carries a ``vr-s-<hash>`` class instead.
        css: the CSS the drawing needs, each item a complete piece of a stylesheet: the
            content of its ``<style>`` elements (already scoped to the drawing) in
            document order, then one rule per distinct ``style`` attribute, sorted.
            Ship it with ``drawing_stylesheet``, which orders the pieces of many drawings.
        removed: one line per declaration or ``<style>`` element that could not be moved
            (it does not close what it opens, so in a shared stylesheet it could swallow
            the rules after it), in document order. Empty when everything moved.
    """

    svg: str
    css: tuple[str, ...]
    removed: tuple[str, ...] = ()
