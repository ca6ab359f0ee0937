"""A content-addressed cache of rendered drawings, so an unchanged drawing renders once."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from vault_renderer.drawings.model import RenderedDrawing


def _renderer_version() -> str:
    # Part of every cache key, so that a cache filled by an older renderer is never
    # served: the format's name plus a hash of the code that decides the output. Hashing
    # the sources means no one has to remember to bump a number after changing them.
    digest = hashlib.sha256()
    package = Path(__file__).parent
    # cache.py too: it decides what an entry holds.
    for module in ("cache.py", "excalidraw.py", "excalidraw_source.py", "lzstring.py", "model.py"):
        digest.update((package / module).read_bytes())
    return f"excalidraw-svg/1+{digest.hexdigest()[:12]}"


RENDERER_VERSION = _renderer_version()


class DrawingCache:
    """Rendered drawings stored as JSON files named by the sha256 of their source.

    Attributes:
        directory: where the entries live (created on first store).
        renders: how many times ``render`` actually called its render function.
    """

    def __init__(self, directory: Path) -> None:
        """Use ``directory`` for the entries; it need not exist yet."""
        self.directory = Path(directory)
        self.renders = 0

    def render(self, key_source: str, render: Callable[[], RenderedDrawing]) -> RenderedDrawing:
        """Return the cached drawing for ``key_source``, rendering and storing it if absent.

        Args:
            key_source: everything the rendering depends on, as text: the drawing's
                source, plus (for Excalidraw) the name and a hash of each vault file it
                embeds (see ``embedded_file_names``) so replacing an icon re-renders.
            render: called when there is no usable entry.

        Returns:
            The cached or freshly rendered drawing. An unreadable or malformed entry
            counts as absent and is overwritten.
        """
        key = hashlib.sha256(f"{RENDERER_VERSION}\0{key_source}".encode()).hexdigest()
        path = self.directory / f"{key}.json"
        cached = _load(path)
        if cached is not None:
            return cached
        drawing = render()
        self.renders += 1
        _store(path, drawing)
        return drawing


def _load(path: Path) -> RenderedDrawing | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    svg, warnings, texts, count, placeholder, missing = (
        data.get("svg"),
        data.get("warnings"),
        data.get("texts"),
        data.get("element_count"),
        data.get("placeholder"),
        data.get("missing_files"),
    )
    if not (
        isinstance(svg, str)
        and _is_text_list(warnings)
        and _is_text_list(texts)
        and type(count) is int
        and type(placeholder) is bool
        and _is_text_list(missing)
    ):
        return None
    return RenderedDrawing(
        svg=svg,
        warnings=tuple(warnings),
        texts=tuple(texts),
        element_count=count,
        placeholder=placeholder,
        missing_files=tuple(missing),
    )


def _is_text_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _store(path: Path, drawing: RenderedDrawing) -> None:
    # Write-then-rename: parallel builds sharing the cache never read a half-written entry.
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(
        {
            "svg": drawing.svg,
            "warnings": list(drawing.warnings),
            "texts": list(drawing.texts),
            "element_count": drawing.element_count,
            "placeholder": drawing.placeholder,
            "missing_files": list(drawing.missing_files),
        },
        ensure_ascii=False,
    )
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
