"""Reading vault files and turning drawings into inline HTML, once per content.

The drawing code itself is ``vault_renderer.drawings``; this module decides which
file is which kind of drawing, builds the cache key from everything a render depends
on, and remembers results for the rest of the build so a drawing embedded on ten pages
is read from the cache once.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from vault_renderer.drawings import (
    DrawingCache,
    DrawingError,
    RenderedDrawing,
    embedded_file_names,
    externalise_styles,
    render_excalidraw,
    sanitize_svg,
)
from vault_renderer.drawings.a11y import describe_svg, drawing_title
from vault_renderer.vault import Vault, VaultFile

__all__ = [
    "AUDIO_SUFFIXES",
    "IMAGE_SUFFIXES",
    "MEDIA_SUFFIXES",
    "PDF_SUFFIXES",
    "VIDEO_SUFFIXES",
    "DrawingEmbedder",
    "DrawingHtml",
    "VaultReader",
    "drawing_kind",
    "inline_svg",
]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".svg")
# The audio and video formats Obsidian embeds with its player (Obsidian's help,
# "Accepted file formats", read 2026-12-03); `.webm` and `.ogv` play as video.
AUDIO_SUFFIXES = (".mp3", ".wav", ".m4a", ".ogg", ".3gp", ".flac")
VIDEO_SUFFIXES = (".mp4", ".webm", ".ogv", ".mov", ".mkv")
PDF_SUFFIXES = (".pdf",)
MEDIA_SUFFIXES = AUDIO_SUFFIXES + VIDEO_SUFFIXES + PDF_SUFFIXES
_EXCALIDRAW_SUFFIXES = (".excalidraw.md", ".excalidraw", ".excalidraw.json")


def drawing_kind(path: str) -> str | None:
    """Return ``"excalidraw"``, ``"svg"`` or None for a file path.

    Every SVG (a ``.drawio.svg`` export or any other ``.svg``) is inlined, sanitised, so
    its text is searchable and it can follow the dark palette.
    """
    lowered = path.lower()
    if lowered.endswith(_EXCALIDRAW_SUFFIXES):
        return "excalidraw"
    if lowered.endswith(".svg"):
        return "svg"
    return None


@dataclass(frozen=True)
class VaultReader:
    """Reads vault files from disk.

    Attributes:
        roots: ``root name -> directory``; ``""`` is the docs directory.
    """

    roots: Mapping[str, Path]

    def read_bytes(self, file: VaultFile) -> bytes | None:
        """Return the file's bytes, or None when it cannot be read."""
        try:
            return (self.roots[file.root] / file.path).read_bytes()
        except (KeyError, OSError):
            return None

    def read_text(self, file: VaultFile) -> str | None:
        """Return the file's text (undecodable bytes replaced), or None."""
        data = self.read_bytes(file)
        return None if data is None else data.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class DrawingHtml:
    """A drawing ready to inline in a page.

    Attributes:
        html: The ``<figure>`` holding the SVG.
        warnings: What the contributor should know (each names the drawing).
        css: The CSS the SVG needs, kept out of the markup for a strict CSP; a page
            showing the drawing must load it (``drawing_stylesheet`` joins many).
        name: How warnings name the drawing (its file, or the note it is written in).
            Its ``data:`` images are still in ``html``: the page showing it moves them
            out (``move_data_images``), since only the page knows its own URL.
    """

    html: str
    warnings: tuple[str, ...]
    css: tuple[str, ...] = ()
    name: str = ""


class DrawingEmbedder:
    """Renders the vault's drawings to inline HTML, through a content-hash cache.

    Args:
        vault: The vault (to find the files an Excalidraw drawing embeds).
        reader: Reads the files.
        cache: The on-disk cache of rendered Excalidraw drawings, or None.
    """

    def __init__(
        self, vault: Vault, reader: VaultReader, cache: DrawingCache | None = None
    ) -> None:
        self.vault = vault
        self.reader = reader
        self.cache = cache
        self._memo: dict[str, DrawingHtml] = {}

    def embed(self, file: VaultFile) -> DrawingHtml:
        """Return the HTML of a drawing file (Excalidraw or SVG)."""
        text = self.reader.read_text(file)
        if text is None:
            return DrawingHtml(
                _placeholder(file.site_path),
                (f"{file.site_path}: cannot be read",),
                name=file.site_path,
            )
        key = hashlib.sha256(f"{file.site_path}\0{text}".encode()).hexdigest()
        if key not in self._memo:
            if drawing_kind(file.path) == "excalidraw":
                self._memo[key] = self._excalidraw(file, text)
            else:
                self._memo[key] = inline_svg(text, name=file.site_path)
        return self._memo[key]

    def _excalidraw(self, file: VaultFile, text: str) -> DrawingHtml:
        embedded = []
        for name in embedded_file_names(text):
            target = self.vault.resolve(name, file.site_path)
            data = self.reader.read_bytes(target) if target is not None else None
            digest = hashlib.sha256(data).hexdigest() if data is not None else "missing"
            embedded.append(f"{name}\0{digest}")
        key_source = "\0".join([file.site_path, text, *embedded])

        def render() -> RenderedDrawing:
            return render_excalidraw(
                text, name=file.site_path, resolve_file=self._resolve_embedded(file)
            )

        drawing = self.cache.render(key_source, render) if self.cache is not None else render()
        # A drawing that could not be read is shown as its labelled placeholder, marked
        # like any other drawing not shown.
        classes = "vault-drawing vault-drawing-missing" if drawing.placeholder else "vault-drawing"
        return DrawingHtml(
            _figure(drawing.svg, file.site_path, classes),
            drawing.warnings,
            name=file.site_path,
        )

    def _resolve_embedded(self, drawing: VaultFile) -> Callable[[str], bytes | None]:
        def resolve_file(name: str) -> bytes | None:
            target = self.vault.resolve(name, drawing.site_path)
            return self.reader.read_bytes(target) if target is not None else None

        return resolve_file


def inline_svg(svg_text: str, *, name: str) -> DrawingHtml:
    """Sanitise an SVG (a draw.io export or any ``<svg>`` in a note) for inlining.

    Args:
        svg_text: The SVG markup.
        name: How warnings name it, e.g. the note's or the file's path.

    Returns:
        The sanitised drawing with its CSS moved out of the markup (a strict CSP blocks
        draw.io's inline styles), and one warning per construct that was removed.
    """
    try:
        sanitized = sanitize_svg(svg_text)
        externalised = externalise_styles(sanitized.svg)
    except DrawingError as error:
        return DrawingHtml(
            _placeholder(name), (f"{name}: SVG not shown: {error.reason}",), name=name
        )
    removed = sanitized.removed + externalised.removed
    warnings = tuple(f"{name}: removed from SVG: {item}" for item in removed)
    return DrawingHtml(
        _figure(externalised.svg, name, "vault-drawing"),
        warnings,
        externalised.css,
        name,
    )


def _figure(svg: str, name: str, classes: str) -> str:
    # Named and described for assistive technology (drawings/a11y.py).
    return f'<figure class="{classes}">{describe_svg(svg, drawing_title(name))}</figure>'


def _placeholder(name: str) -> str:
    caption = f"<figcaption>Drawing not shown: {html.escape(name)}</figcaption>"
    return f'<figure class="vault-drawing vault-drawing-missing">{caption}</figure>'
