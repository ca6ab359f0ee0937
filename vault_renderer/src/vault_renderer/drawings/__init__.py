"""Drawings for the handbook: sanitised draw.io SVG and Excalidraw rendered to SVG.

The pure core of the vault renderer's drawing support: text in, text out, no MkDocs.

- ``sanitize_svg(svg_text)`` parses an SVG (a ``.drawio.svg`` file or an ``<svg>`` inline
  in a note) and keeps only allow-listed SVG elements and attributes, plus an allow-list
  of XHTML inside ``<foreignObject>`` (draw.io draws its labels there). Scripts, event
  handlers, ``javascript:`` and other active URLs, external references and dangerous CSS
  are removed and listed in ``SanitizedSvg.removed``. draw.io's ``content`` attribute
  (the editable mxfile) is kept unchanged.
- ``render_excalidraw(source, name=..., resolve_file=...)`` renders any form of an
  Excalidraw drawing a vault holds (``.excalidraw.md`` with a ``compressed-json`` or
  ``json`` block, plain ``.excalidraw`` / ``.excalidraw.json``) to one inline SVG. It never
  raises on bad drawings: a corrupt, truncated or oversize drawing becomes a placeholder
  SVG and a warning naming the drawing.
- ``DrawingCache(directory).render(key_source, render)`` stores rendered drawings by
  content hash so an unchanged drawing is rendered once.
- ``DRAWING_CSS`` is the stylesheet both kinds of drawing rely on (fit to the column,
  dark-mode variants). Ship it as a file and add it to ``extra_css``; it is kept out of
  the SVGs so that a strict Content-Security-Policy (no inline ``<style>``) holds.
- ``externalise_styles(sanitized.svg)`` moves a sanitised SVG's ``style`` attributes
  (draw.io's labels have them) and ``<style>`` elements into CSS rules, for the same
  reason; ``drawing_stylesheet(pieces)`` joins the rules of many drawings into one file.
- ``move_data_images(markup, page_url=...)`` moves a drawing's ``data:`` images (which
  the same policy blocks) out to content-addressed files, linked relative to the page
  that shows the drawing.
"""

from vault_renderer.drawings.cache import RENDERER_VERSION, DrawingCache
from vault_renderer.drawings.csp import drawing_stylesheet, externalise_styles
from vault_renderer.drawings.excalidraw import (
    embedded_file_names,
    missing_file_warning,
    render_excalidraw,
)
from vault_renderer.drawings.images import (
    IMAGE_DIRECTORY,
    DrawingImage,
    MovedImages,
    move_data_images,
    page_relative,
)
from vault_renderer.drawings.model import (
    DrawingError,
    ExternalisedSvg,
    RenderedDrawing,
    SanitizedSvg,
)
from vault_renderer.drawings.sanitize import sanitize_svg
from vault_renderer.drawings.style import DRAWING_CSS

__all__ = [
    "DRAWING_CSS",
    "IMAGE_DIRECTORY",
    "RENDERER_VERSION",
    "DrawingCache",
    "DrawingError",
    "DrawingImage",
    "ExternalisedSvg",
    "MovedImages",
    "RenderedDrawing",
    "SanitizedSvg",
    "drawing_stylesheet",
    "embedded_file_names",
    "externalise_styles",
    "missing_file_warning",
    "move_data_images",
    "page_relative",
    "render_excalidraw",
    "sanitize_svg",
]
