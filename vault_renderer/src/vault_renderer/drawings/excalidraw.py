"""Render Excalidraw drawings to inline SVG, in pure Python, at build time.

The drawing is drawn clean (as Excalidraw's "architect" sloppiness would), not sketchy:
rough.js's hand-drawn jitter is random per seed and would make the output depend on a
port of it. Everything else follows Excalidraw's own SVG export: the same geometry,
arrowhead sizes, dash patterns and text metrics, with text as real ``<text>``.

Output is deterministic: the same source gives byte-identical SVG. Only presentation
attributes are used (no ``style`` attributes, no ``<style>``), so a strict
Content-Security-Policy holds; the dark variant is ``DRAWING_CSS``.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from vault_renderer.drawings.excalidraw_source import (
    EmbeddedFile,
    embedded_file_targets,
    read_source,
)
from vault_renderer.drawings.model import RenderedDrawing

PADDING = 10
MAX_POINTS_PER_ELEMENT = 20_000
MAX_POINTS = 400_000
MAX_EMBEDDED_FILE_BYTES = 4 * 1024 * 1024
MAX_SVG_CHARS = 48 * 1024 * 1024
MAX_COORDINATE = 1e7
MAX_WARNINGS = 20
ROOT_CLASSES = "vr-drawing vr-excalidraw"

# Excalidraw's font ids (packages/common/src/constants.ts FONT_FAMILY) to stacks that
# render without downloading anything: the hand-drawn faces fall back to a casual face
# where there is one, else to sans-serif (generic "cursive" is a serif face on Linux).
FONT_STACKS = {
    1: "Virgil, Excalifont, 'Comic Sans MS', 'Segoe Print', 'Chalkboard SE', sans-serif",
    2: "Helvetica, Arial, 'Liberation Sans', sans-serif",
    3: "'Cascadia Code', 'Cascadia Mono', Consolas, 'DejaVu Sans Mono', monospace",
    5: "Excalifont, Virgil, 'Comic Sans MS', 'Segoe Print', 'Chalkboard SE', sans-serif",
    6: "Nunito, 'Segoe UI', Roboto, sans-serif",
    7: "'Lilita One', Impact, sans-serif",
    8: "'Comic Shanns', 'Comic Sans MS', sans-serif",
    9: "'Liberation Sans', Arial, Helvetica, sans-serif",
}
DEFAULT_FONT = 5
# Excalidraw's text sits inside a line box of fontSize * lineHeight; the baseline is
# where an average face's ascent (0.8 em) puts it, centred in that box.
ASCENT = 0.8
BOUND_TEXT_PADDING = 5
ARROWHEAD_SIZES = {"arrow": 25, "diamond": 12, "diamond_outline": 12}
ARROWHEAD_ANGLES = {"arrow": 20, "bar": 90}
# fmt: off
KNOWN_ARROWHEADS = frozenset((
    "arrow", "bar", "dot", "circle", "circle_outline", "triangle", "triangle_outline",
    "diamond", "diamond_outline", "crowfoot_one", "crowfoot_many", "crowfoot_one_or_many",
))
# fmt: on
SHAPES = frozenset({"rectangle", "ellipse", "diamond"})
LINEAR = frozenset({"line", "arrow"})
FRAMES = frozenset({"frame", "magicframe"})
EMBEDS = frozenset({"embeddable", "iframe"})
DRAWN_TYPES = SHAPES | LINEAR | FRAMES | EMBEDS | {"text", "freedraw", "image"}
PLACEHOLDER_STROKE = "#868e96"
PLACEHOLDER_NOTE = "drawn as a labelled placeholder"
PLACEHOLDER_FILL = "#f1f3f5"
PLACEHOLDER_TEXT = "#495057"

_COLOUR = re.compile(
    r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}|(rgb|rgba|hsl|hsla)\([0-9.,%\s/+-]{1,60}\))$"
)
_IMAGE_DATA_URL = re.compile(r"^data:image/(png|jpeg|jpg|gif|webp|bmp|svg\+xml)[;,]", re.I)
# Characters XML forbids, and lone surrogates (JSON can spell them as "\\ud800").
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def missing_file_warning(name: str, target: str) -> str:
    """The warning ``render_excalidraw`` gives for an embedded file the vault lacks.

    Args:
        name: how the warning names the drawing (``render_excalidraw``'s ``name``).
        target: the link target from ``## Embedded Files``, as in ``missing_files``.
    """
    return f"{name}: embedded file {target!r} not found; {PLACEHOLDER_NOTE}"


def render_excalidraw(
    source: str, *, name: str, resolve_file: Callable[[str], bytes | None]
) -> RenderedDrawing:
    """Render one Excalidraw drawing to an SVG.

    Args:
        source: the drawing file's text: an Obsidian ``.excalidraw.md`` (with a
            ``compressed-json`` or ``json`` block, or only ``## Text Elements``), or a
            plain ``.excalidraw`` / ``.excalidraw.json`` JSON document.
        name: how warnings name the drawing, e.g. its vault path
            ``"diagrams/ElastiCache read path.excalidraw.md"``.
        resolve_file: given a link target from the drawing's ``## Embedded Files``
            section (e.g. ``"Arch_Amazon-ElastiCache_64.svg"``), return that vault file's
            bytes, or None when it does not exist.

    Returns:
        The rendered drawing. Never raises for a bad drawing: a corrupt, truncated or
        oversize drawing yields a placeholder SVG (listing the drawing's
        ``## Text Elements`` when it has them) and a warning naming ``name``.
    """
    read = read_source(source)
    if read.scene is None:
        reason = read.problem or "it has no drawing data (no compressed-json or json block)"
        note = "; showing its text elements" if read.text_elements else ""
        return RenderedDrawing(
            svg=_placeholder_svg(name, reason, read.text_elements),
            warnings=(f"{name}: {reason}{note}",),
            texts=read.text_elements,
            element_count=0,
            placeholder=True,
        )
    ids = "vr-" + hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    renderer = _Renderer(name, ids, read.scene, read.embedded_files, resolve_file)
    drawing = renderer.render()
    if len(drawing.svg) > MAX_SVG_CHARS:
        reason = (
            f"the SVG would be {len(drawing.svg):,} characters, "
            f"more than the {MAX_SVG_CHARS:,} allowed"
        )
        return RenderedDrawing(
            svg=_placeholder_svg(name, reason, drawing.texts),
            warnings=(f"{name}: {reason}",),
            texts=drawing.texts,
            element_count=0,
            placeholder=True,
        )
    return drawing


def embedded_file_names(source: str) -> tuple[str, ...]:
    """The vault files an ``.excalidraw.md`` embeds, as ``resolve_file`` will be asked.

    Args:
        source: the drawing file's text.

    Returns:
        The link targets of its ``## Embedded Files`` section in order, without
        ``|alias`` parts; empty for other forms. Use them to build a cache key.
    """
    return embedded_file_targets(source)


@dataclass(frozen=True, slots=True)
class _Box:
    left: float
    top: float
    right: float
    bottom: float

    def union(self, other: _Box) -> _Box:
        return _Box(
            min(self.left, other.left),
            min(self.top, other.top),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )


class _Renderer:
    def __init__(
        self,
        name: str,
        ids: str,
        scene: dict[str, Any],
        embedded_files: dict[str, EmbeddedFile],
        resolve_file: Callable[[str], bytes | None],
    ) -> None:
        self.name = name
        self.ids = ids
        self.scene = scene
        self.embedded_files = embedded_files
        self.resolve_file = resolve_file
        files = scene.get("files")
        self.files: dict[str, Any] = files if isinstance(files, dict) else {}
        self.warnings: list[str] = []
        self.missing_files: dict[str, None] = {}
        self.suppressed = 0
        self.patterns: dict[tuple[str, str, float], tuple[str, str]] = {}
        self.bounds: _Box | None = None
        self.points_left = MAX_POINTS

    def warn(self, message: str) -> None:
        self._record(f"{self.name}: {message}")

    def _record(self, warning: str) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(warning)
        else:
            self.suppressed += 1

    def render(self) -> RenderedDrawing:
        raw = self.scene["elements"]
        objects = [element for element in raw if isinstance(element, dict)]
        if len(objects) < len(raw):
            self.warn(f'{len(raw) - len(objects)} entries of "elements" are not objects; skipped')
        live = [
            (index, element)
            for index, element in enumerate(raw)
            if isinstance(element, dict) and element.get("isDeleted") is not True
        ]
        by_id = {e.get("id"): e for _, e in live if isinstance(e.get("id"), str)}
        body: list[str] = []
        texts: list[str] = []
        count = 0
        for index, element in live:
            kind = element.get("type")
            if kind not in DRAWN_TYPES:
                if kind != "selection":
                    self.warn(f"element {index} has unknown type {kind!r}; skipped")
                continue
            markup = self._element(element, kind, by_id)
            if markup is None:
                continue
            body.append(markup)
            count += 1
            if kind == "text":
                texts.append(_text_of(element))
        if self.suppressed:
            self.warnings.append(f"{self.name}: {self.suppressed} more warnings")
        if count == 0:
            self.warnings.append(f"{self.name}: the drawing has no elements")
        svg = self._document(body)
        return RenderedDrawing(
            svg=svg,
            warnings=tuple(self.warnings),
            texts=tuple(texts),
            element_count=count,
            missing_files=tuple(self.missing_files),
        )

    def _document(self, body: list[str]) -> str:
        box = self.bounds or _Box(0, 0, 0, 0)
        left, top = box.left - PADDING, box.top - PADDING
        width, height = box.right - box.left + 2 * PADDING, box.bottom - box.top + 2 * PADDING
        label = _attr(_title_of(self.name))
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="{ROOT_CLASSES}" '
            f'viewBox="{_n(left)} {_n(top)} {_n(width)} {_n(height)}" '
            f'width="{_n(width)}" height="{_n(height)}" role="img" aria-label="{label}">'
        )
        patterns = "".join(markup for _, markup in self.patterns.values())
        defs = f"<defs>{patterns}</defs>" if patterns else ""
        return head + f"<title>{label}</title>" + defs + "".join(body) + "</svg>"

    def _include(self, box: _Box) -> None:
        self.bounds = box if self.bounds is None else self.bounds.union(box)

    # -- elements --------------------------------------------------------------------

    def _element(self, element: dict[str, Any], kind: str, by_id: dict[Any, Any]) -> str | None:
        x, y = _num(element, "x"), _num(element, "y")
        width, height = abs(_num(element, "width")), abs(_num(element, "height"))
        angle = _num(element, "angle")
        stroke_width = max(0.0, min(_num(element, "strokeWidth", 2), 100.0))
        if kind in LINEAR or kind == "freedraw":
            points = self._points(element)
            if points is None:
                return None
            drawn = self._linear(element, kind, points, stroke_width)
            xs = [px for px, _ in points]
            ys = [py for _, py in points]
            local = _Box(min(xs), min(ys), max(xs), max(ys))
            margin = (
                stroke_width / 2
                + (_arrowhead_reach(element) if kind == "arrow" else 0)
                + (stroke_width * 1.5 if kind == "freedraw" else 0)
            )
        elif kind == "text":
            drawn, local = self._text(element, by_id)
            x, y = 0.0, 0.0
            margin = 0
        else:
            local = _Box(0, 0, width, height)
            margin = stroke_width / 2
            if kind in SHAPES:
                drawn = self._shape(element, kind, width, height, stroke_width)
            elif kind in FRAMES:
                drawn, local = self._frame(element, width, height)
            elif kind == "image":
                drawn = self._image(element, width, height)
            else:
                drawn = self._embed(element, width, height)
        centre_x = x + (local.left + local.right) / 2
        centre_y = y + (local.top + local.bottom) / 2
        corners = [
            (x + local.left - margin, y + local.top - margin),
            (x + local.right + margin, y + local.top - margin),
            (x + local.right + margin, y + local.bottom + margin),
            (x + local.left - margin, y + local.bottom + margin),
        ]
        if angle:
            corners = [_rotate(px, py, centre_x, centre_y, angle) for px, py in corners]
        self._include(
            _Box(
                min(px for px, _ in corners),
                min(py for _, py in corners),
                max(px for px, _ in corners),
                max(py for _, py in corners),
            )
        )
        transforms = []
        if x or y:
            transforms.append(f"translate({_n(x)} {_n(y)})")
        if angle:
            local_cx, local_cy = centre_x - x, centre_y - y
            transforms.append(f"rotate({_n(math.degrees(angle))} {_n(local_cx)} {_n(local_cy)})")
        attributes = [f'class="vr-x-{kind}"']
        if transforms:
            attributes.append(f'transform="{" ".join(transforms)}"')
        opacity = _num(element, "opacity", 100)
        if 0 <= opacity < 100:
            attributes.append(f'opacity="{_n(opacity / 100)}"')
        link = element.get("link")
        title = f"<title>{_text(link)}</title>" if isinstance(link, str) and link else ""
        return f"<g {' '.join(attributes)}>{title}{drawn}</g>"

    def _points(self, element: dict[str, Any]) -> list[tuple[float, float]] | None:
        raw = element.get("points")
        if not isinstance(raw, list) or not raw:
            self.warn(f"{element.get('type')} {element.get('id')!r} has no points; skipped")
            return None
        if len(raw) > MAX_POINTS_PER_ELEMENT or len(raw) > self.points_left:
            self.warn(
                f"{element.get('type')} {element.get('id')!r} has {len(raw):,} points, "
                f"more than the drawing's bounds allow; skipped"
            )
            return None
        self.points_left -= len(raw)
        points = []
        for point in raw:
            if (
                isinstance(point, list)
                and len(point) >= 2
                and all(isinstance(v, int | float) and math.isfinite(v) for v in point[:2])
            ):
                points.append((_clamp(point[0]), _clamp(point[1])))
        if not points:
            self.warn(f"{element.get('type')} {element.get('id')!r} has no valid points; skipped")
            return None
        return points

    def _stroke(self, element: dict[str, Any], stroke_width: float, *, dashes: bool = True) -> str:
        colour = self._colour(element, "strokeColor", "#1e1e1e")
        if colour == "transparent" or stroke_width == 0:
            return ' stroke="none"'
        parts = [f' stroke="{colour}" stroke-width="{_n(stroke_width)}"']
        style = element.get("strokeStyle")
        if dashes and style == "dashed":
            parts.append(f' stroke-dasharray="8 {_n(8 + stroke_width)}"')
        elif dashes and style == "dotted":
            parts.append(f' stroke-dasharray="1.5 {_n(6 + stroke_width)}" stroke-linecap="round"')
        return "".join(parts)

    def _fill(self, element: dict[str, Any], stroke_width: float) -> str:
        colour = self._colour(element, "backgroundColor", "transparent")
        if colour == "transparent":
            return ' fill="none"'
        style = element.get("fillStyle")
        if style in ("hachure", "cross-hatch", "zigzag"):
            return f' fill="url(#{self._hatch(style, colour, stroke_width)})"'
        return f' fill="{colour}"'

    def _hatch(self, style: str, colour: str, stroke_width: float) -> str:
        key = ("cross" if style == "cross-hatch" else "hachure", colour, stroke_width)
        if key not in self.patterns:
            pattern_id = f"{self.ids}-fill{len(self.patterns)}"
            # rough.js defaults: lines 4 stroke widths apart, half as thick, at -41 degrees.
            gap = max(4.0, stroke_width * 4)
            line_width = max(0.5, stroke_width / 2)
            lines = f'<path d="M0 0V{_n(gap)}" stroke="{colour}" stroke-width="{_n(line_width)}"/>'
            if key[0] == "cross":
                lines += (
                    f'<path d="M0 0H{_n(gap)}" stroke="{colour}" stroke-width="{_n(line_width)}"/>'
                )
            self.patterns[key] = (
                pattern_id,
                f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="{_n(gap)}" '
                f'height="{_n(gap)}" patternTransform="rotate(-41)">{lines}</pattern>',
            )
        return self.patterns[key][0]

    def _colour(self, element: dict[str, Any], key: str, default: str) -> str:
        value = element.get(key)
        if value is None:
            return default
        if isinstance(value, str) and _COLOUR.match(value.strip()) and "url" not in value.lower():
            return value.strip()
        self.warn(
            f"{element.get('type')} {element.get('id')!r} has an invalid {key} "
            f"{str(value)[:40]!r}; using {default}"
        )
        return default

    def _shape(
        self, element: dict[str, Any], kind: str, width: float, height: float, stroke_width: float
    ) -> str:
        paint = self._fill(element, stroke_width) + self._stroke(element, stroke_width)
        roundness = element.get("roundness")
        rounded = isinstance(roundness, dict)
        if kind == "rectangle":
            radius = _corner_radius(min(width, height), roundness) if rounded else 0
            corners = f' rx="{_n(radius)}" ry="{_n(radius)}"' if radius else ""
            return f'<rect width="{_n(width)}" height="{_n(height)}"{corners}{paint}/>'
        if kind == "ellipse":
            return (
                f'<ellipse cx="{_n(width / 2)}" cy="{_n(height / 2)}" rx="{_n(width / 2)}" '
                f'ry="{_n(height / 2)}"{paint}/>'
            )
        top, right = (width / 2, 0.0), (width, height / 2)
        bottom, left = (width / 2, height), (0.0, height / 2)
        if not rounded:
            path = f"M{_p(top)}L{_p(right)}L{_p(bottom)}L{_p(left)}Z"
        else:
            # Excalidraw rounds a diamond's corners by a quarter of the shorter side.
            path = _rounded_polygon([top, right, bottom, left], min(width, height) * 0.25)
        return f'<path d="{path}" stroke-linejoin="round"{paint}/>'

    def _linear(
        self,
        element: dict[str, Any],
        kind: str,
        points: list[tuple[float, float]],
        stroke_width: float,
    ) -> str:
        if kind == "freedraw":
            colour = self._colour(element, "strokeColor", "#1e1e1e")
            width = max(1.0, stroke_width * 2)
            if len(points) == 1:
                centre = f'cx="{_n(points[0][0])}" cy="{_n(points[0][1])}"'
                return f'<circle {centre} r="{_n(width / 2)}" fill="{colour}"/>'
            return (
                f'<path d="{_smooth_path(points)}" fill="none" stroke="{colour}" '
                f'stroke-width="{_n(width)}" stroke-linecap="round" stroke-linejoin="round"/>'
            )
        closed = kind == "line" and len(points) > 2 and points[0] == points[-1]
        curved = (
            isinstance(element.get("roundness"), dict)
            and not element.get("elbowed")
            and len(points) > 2
        )
        path = _curve_path(points) if curved else "M" + "L".join(_p(p) for p in points)
        fill = self._fill(element, stroke_width) if closed else ' fill="none"'
        parts = [
            f'<path d="{path}{"Z" if closed else ""}"{fill}{self._stroke(element, stroke_width)} '
            f'stroke-linecap="round" stroke-linejoin="round"/>'
        ]
        if kind == "arrow" and len(points) > 1:
            for key, tip, before in (
                ("startArrowhead", points[0], points[1]),
                ("endArrowhead", points[-1], points[-2]),
            ):
                head = element.get(key)
                if head is None:
                    continue
                if head not in KNOWN_ARROWHEADS:
                    self.warn(
                        f"arrow {element.get('id')!r} has unknown {key} {head!r}; drawn as an arrow"
                    )
                    head = "arrow"
                parts.append(self._arrowhead(element, head, tip, before, stroke_width))
        return "".join(parts)

    def _arrowhead(
        self,
        element: dict[str, Any],
        head: str,
        tip: tuple[float, float],
        before: tuple[float, float],
        stroke_width: float,
    ) -> str:
        colour = self._colour(element, "strokeColor", "#1e1e1e")
        if colour == "transparent":
            return ""
        length = math.dist(tip, before)
        if length == 0:
            return ""
        ux, uy = (tip[0] - before[0]) / length, (tip[1] - before[1]) / length
        multiplier = 0.25 if head.startswith("diamond") else 0.5
        size = min(ARROWHEAD_SIZES.get(head, 15), length * multiplier)
        back = (tip[0] - ux * size, tip[1] - uy * size)
        stroke = (
            f' stroke="{colour}" stroke-width="{_n(stroke_width)}"'
            ' stroke-linejoin="round" stroke-linecap="round"'
        )
        outline = head.endswith("_outline")
        fill = ' fill="none"' if outline else f' fill="{colour}"'
        if head in ("dot", "circle", "circle_outline"):
            radius = size / 2
            centre = (tip[0] - ux * radius, tip[1] - uy * radius)
            circle = f'cx="{_n(centre[0])}" cy="{_n(centre[1])}" r="{_n(radius)}"'
            return f'<circle class="vr-x-head" {circle}{fill}{stroke}/>'
        if head in ("diamond", "diamond_outline"):
            far = (tip[0] - ux * size * 2, tip[1] - uy * size * 2)
            side = (-uy * size * 0.5, ux * size * 0.5)
            points = [
                tip,
                (back[0] + side[0], back[1] + side[1]),
                far,
                (back[0] - side[0], back[1] - side[1]),
            ]
            return (
                f'<path class="vr-x-head" d="M{"L".join(_p(p) for p in points)}Z"{fill}{stroke}/>'
            )
        if head.startswith("crowfoot"):
            side = (-uy * size * 0.5, ux * size * 0.5)
            segments = []
            if head in ("crowfoot_many", "crowfoot_one_or_many"):
                segments += [
                    f"M{_p(back)}L{_p((tip[0] + side[0], tip[1] + side[1]))}",
                    f"M{_p(back)}L{_p((tip[0] - side[0], tip[1] - side[1]))}",
                ]
            if head in ("crowfoot_one", "crowfoot_one_or_many"):
                bar = (tip[0] - ux * size * 1.2, tip[1] - uy * size * 1.2)
                segments.append(
                    f"M{_p((bar[0] + side[0], bar[1] + side[1]))}"
                    f"L{_p((bar[0] - side[0], bar[1] - side[1]))}"
                )
            return f'<path class="vr-x-head" d="{"".join(segments)}" fill="none"{stroke}/>'
        angle = math.radians(ARROWHEAD_ANGLES.get(head, 25))
        wing_a = _rotate(back[0], back[1], tip[0], tip[1], angle)
        wing_b = _rotate(back[0], back[1], tip[0], tip[1], -angle)
        if head == "arrow":
            path = f"M{_p(wing_a)}L{_p(tip)}L{_p(wing_b)}"
            return f'<path class="vr-x-head" d="{path}" fill="none"{stroke}/>'
        if head == "bar":
            return f'<path class="vr-x-head" d="M{_p(wing_a)}L{_p(wing_b)}" fill="none"{stroke}/>'
        return f'<path class="vr-x-head" d="M{_p(tip)}L{_p(wing_a)}L{_p(wing_b)}Z"{fill}{stroke}/>'

    def _text(self, element: dict[str, Any], by_id: dict[Any, Any]) -> tuple[str, _Box]:
        lines = _text_of(element).split("\n")
        font_size = max(1.0, min(_num(element, "fontSize", 20), 1000.0))
        line_height = _num(element, "lineHeight", 1.25) or 1.25
        line_px = font_size * line_height
        block_height = line_px * len(lines)
        align = (
            element.get("textAlign")
            if element.get("textAlign") in ("left", "center", "right")
            else "left"
        )
        x, y = _num(element, "x"), _num(element, "y")
        width = abs(_num(element, "width"))
        height = max(abs(_num(element, "height")), block_height)
        container = by_id.get(element.get("containerId"))
        if isinstance(container, dict) and container.get("type") in SHAPES:
            x, y, width, height = _text_area(container)
            vertical = element.get("verticalAlign", "middle")
            if vertical == "top":
                top = y
            elif vertical == "bottom":
                top = y + height - block_height
            else:
                top = y + (height - block_height) / 2
            box = _Box(x, min(y, top), x + width, max(y + height, top + block_height))
        else:
            top = y
            box = _Box(x, y, x + width, y + height)
        anchor_x = {"left": x, "center": x + width / 2, "right": x + width}[align]
        anchor = {"left": "start", "center": "middle", "right": "end"}[align]
        baseline = (line_px - font_size) / 2 + font_size * ASCENT
        family = FONT_STACKS.get(
            int(_num(element, "fontFamily", DEFAULT_FONT)), FONT_STACKS[DEFAULT_FONT]
        )
        colour = self._colour(element, "strokeColor", "#1e1e1e")
        spans = "".join(
            f'<tspan x="{_n(anchor_x)}" y="{_n(top + index * line_px + baseline)}">'
            f"{_text(line)}</tspan>"
            for index, line in enumerate(lines)
        )
        markup = (
            f'<text font-family="{_attr(family)}" font-size="{_n(font_size)}" fill="{colour}" '
            f'text-anchor="{anchor}" xml:space="preserve">{spans}</text>'
        )
        return markup, box

    def _frame(self, element: dict[str, Any], width: float, height: float) -> tuple[str, _Box]:
        name = element.get("name")
        label = name if isinstance(name, str) and name.strip() else "Frame"
        markup = (
            f'<rect width="{_n(width)}" height="{_n(height)}" rx="8" ry="8" fill="none" '
            f'stroke="#bbb" stroke-width="2"/>'
            f'<text x="0" y="-6" font-family="{_attr(FONT_STACKS[2])}" font-size="14" '
            f'fill="#999" xml:space="preserve">{_text(label)}</text>'
        )
        return markup, _Box(0, -22, max(width, len(label) * 8.0), height)

    def _image(self, element: dict[str, Any], width: float, height: float) -> str:
        file_id = element.get("fileId")
        data_url = None
        missing = f"file {file_id!r}" if isinstance(file_id, str) else "an image with no fileId"
        stored = self.files.get(file_id) if isinstance(file_id, str) else None
        if isinstance(stored, dict) and isinstance(stored.get("dataURL"), str):
            if (
                _IMAGE_DATA_URL.match(stored["dataURL"])
                and len(stored["dataURL"]) <= MAX_EMBEDDED_FILE_BYTES * 4 // 3 + 64
            ):
                data_url = stored["dataURL"]
            else:
                self.warn(
                    f"image {file_id!r} has a dataURL that is not an inline image of allowed size"
                )
        elif isinstance(file_id, str) and file_id in self.embedded_files:
            embedded = self.embedded_files[file_id]
            missing = embedded.target
            if embedded.in_vault:
                data_url = self._vault_image(embedded.target)
            else:
                self.warn(
                    f"embedded file {embedded.target!r} is not a vault file and is not "
                    f"fetched; {PLACEHOLDER_NOTE}"
                )
        else:
            self.warn(
                f"image {missing} is neither in the drawing nor in ## Embedded Files; "
                f"{PLACEHOLDER_NOTE}"
            )
        if data_url is None:
            return _missing_image(missing, width, height)
        flip_x, flip_y = _scale(element)
        transform = ""
        if flip_x < 0 or flip_y < 0:
            shift = f"{_n(width if flip_x < 0 else 0)} {_n(height if flip_y < 0 else 0)}"
            transform = f' transform="translate({shift}) scale({_n(flip_x)} {_n(flip_y)})"'
        return (
            f'<image width="{_n(width)}" height="{_n(height)}" preserveAspectRatio="none" '
            f'href="{_attr(data_url)}"{transform}/>'
        )

    def _vault_image(self, target: str) -> str | None:
        try:
            content = self.resolve_file(target)
        except OSError as error:
            self.warn(f"embedded file {target!r} cannot be read ({error}); {PLACEHOLDER_NOTE}")
            return None
        if content is None:
            # Once per file, however many times the drawing shows it.
            if target not in self.missing_files:
                self.missing_files[target] = None
                self._record(missing_file_warning(self.name, target))
            return None
        if len(content) > MAX_EMBEDDED_FILE_BYTES:
            self.warn(
                f"embedded file {target!r} is {len(content):,} bytes, more than the "
                f"{MAX_EMBEDDED_FILE_BYTES:,} allowed; {PLACEHOLDER_NOTE}"
            )
            return None
        mime = _sniff_image(content)
        if mime is None:
            self.warn(
                f"embedded file {target!r} is not a PNG, JPEG, GIF, WebP or SVG image; "
                f"{PLACEHOLDER_NOTE}"
            )
            return None
        return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"

    def _embed(self, element: dict[str, Any], width: float, height: float) -> str:
        link = element.get("link")
        label = link if isinstance(link, str) and link else "embedded content"
        return _missing_image(label, width, height)


# -- geometry and markup helpers ---------------------------------------------------------


def _num(element: dict[str, Any], key: str, default: float = 0.0) -> float:
    value = element.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return default
    return _clamp(value)


def _clamp(value: float) -> float:
    return max(-MAX_COORDINATE, min(float(value), MAX_COORDINATE))


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _p(point: tuple[float, float]) -> str:
    return f"{_n(point[0])} {_n(point[1])}"


def _rotate(px: float, py: float, cx: float, cy: float, angle: float) -> tuple[float, float]:
    cos, sin = math.cos(angle), math.sin(angle)
    return (cx + (px - cx) * cos - (py - cy) * sin, cy + (px - cx) * sin + (py - cy) * cos)


def _corner_radius(side: float, roundness: dict[str, Any]) -> float:
    # Excalidraw's getCornerRadius: legacy/proportional corners are a quarter of the
    # shorter side; adaptive ones (type 3) are 32 px once the side exceeds 128 px.
    if roundness.get("type") == 3:
        fixed = roundness.get("value")
        fixed = fixed if isinstance(fixed, int | float) and math.isfinite(fixed) else 32
        return side * 0.25 if side <= fixed / 0.25 else float(fixed)
    return side * 0.25


def _rounded_polygon(points: Sequence[tuple[float, float]], radius: float) -> str:
    parts = []
    count = len(points)
    for index, corner in enumerate(points):
        previous, following = points[index - 1], points[(index + 1) % count]
        start = _towards(corner, previous, radius)
        end = _towards(corner, following, radius)
        parts.append(("M" if index == 0 else "L") + _p(start) + "Q" + _p(corner) + " " + _p(end))
    return "".join(parts) + "Z"


def _towards(
    origin: tuple[float, float], target: tuple[float, float], distance: float
) -> tuple[float, float]:
    length = math.dist(origin, target)
    if length == 0:
        return origin
    step = min(distance, length / 2) / length
    return (origin[0] + (target[0] - origin[0]) * step, origin[1] + (target[1] - origin[1]) * step)


def _curve_path(points: Sequence[tuple[float, float]]) -> str:
    """A smooth curve through every point (Catmull-Rom as cubic Béziers)."""
    parts = [f"M{_p(points[0])}"]
    for index in range(len(points) - 1):
        p0 = points[index - 1] if index > 0 else points[index]
        p1, p2 = points[index], points[index + 1]
        p3 = points[index + 2] if index + 2 < len(points) else p2
        control_1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        control_2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        parts.append(f"C{_p(control_1)} {_p(control_2)} {_p(p2)}")
    return "".join(parts)


def _smooth_path(points: Sequence[tuple[float, float]]) -> str:
    """A freehand stroke: quadratic curves through the midpoints of its samples."""
    parts = [f"M{_p(points[0])}"]
    for index in range(1, len(points) - 1):
        mid = (
            (points[index][0] + points[index + 1][0]) / 2,
            (points[index][1] + points[index + 1][1]) / 2,
        )
        parts.append(f"Q{_p(points[index])} {_p(mid)}")
    parts.append(f"L{_p(points[-1])}")
    return "".join(parts)


def _arrowhead_reach(element: dict[str, Any]) -> float:
    heads = [element.get("startArrowhead"), element.get("endArrowhead")]
    return max((ARROWHEAD_SIZES.get(h, 15) for h in heads if isinstance(h, str)), default=0) / 2


def _text_area(container: dict[str, Any]) -> tuple[float, float, float, float]:
    """The box a bound text is laid out in, as Excalidraw's getContainerCoords does."""
    x, y = _num(container, "x"), _num(container, "y")
    width, height = abs(_num(container, "width")), abs(_num(container, "height"))
    kind = container.get("type")
    if kind == "ellipse":
        inset_x, inset_y = width / 2 * (1 - math.sqrt(0.5)), height / 2 * (1 - math.sqrt(0.5))
    elif kind == "diamond":
        inset_x, inset_y = width / 4, height / 4
    else:
        inset_x = inset_y = 0.0
    pad = BOUND_TEXT_PADDING
    return (
        x + inset_x + pad,
        y + inset_y + pad,
        max(0.0, width - 2 * (inset_x + pad)),
        max(0.0, height - 2 * (inset_y + pad)),
    )


def _scale(element: dict[str, Any]) -> tuple[float, float]:
    scale = element.get("scale")
    if isinstance(scale, list) and len(scale) == 2 and all(v in (1, -1) for v in scale):
        return float(scale[0]), float(scale[1])
    return 1.0, 1.0


def _sniff_image(content: bytes) -> str | None:
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<svg", b"<?xml", b"<!--")) and b"<svg" in content[:4096].lower():
        # An SVG shown through <image> is an image: browsers run no script and load
        # nothing from it, so the bytes can be inlined as they are.
        return "image/svg+xml"
    return None


def _missing_image(label: str, width: float, height: float) -> str:
    """A dashed box with the missing file's name wrapped inside it, never a broken image."""
    width, height = max(width, 24.0), max(height, 24.0)
    font_size, lines = _fit_label(label, width - 8, height - 8)
    line_px = font_size * 1.2
    top = (height - line_px * len(lines)) / 2 + font_size * 0.85
    spans = "".join(
        f'<tspan x="{_n(width / 2)}" y="{_n(top + index * line_px)}">{_text(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return (
        f'<g class="vr-x-missing"><title>Missing embedded file: {_text(label)}</title>'
        f'<rect width="{_n(width)}" height="{_n(height)}" rx="4" ry="4" fill="{PLACEHOLDER_FILL}" '
        f'stroke="{PLACEHOLDER_STROKE}" stroke-width="1" stroke-dasharray="4 3"/>'
        f'<text font-family="{_attr(FONT_STACKS[2])}" font-size="{_n(font_size)}" '
        f'fill="{PLACEHOLDER_TEXT}" text-anchor="middle">{spans}</text></g>'
    )


def _fit_label(label: str, width: float, height: float) -> tuple[float, list[str]]:
    """The largest font size (12 down to 5) at which the wrapped label fits the box.

    A size that fits without cutting a word in two wins over a larger one that cuts.
    """
    fitting: tuple[float, list[str]] | None = None
    for tenth in range(120, 49, -5):
        font_size = tenth / 10
        per_line = max(1, int(width / (font_size * 0.56)))
        lines, cut = _wrap(label, per_line)
        if len(lines) * font_size * 1.2 <= height:
            if not cut:
                return font_size, lines
            fitting = fitting or (font_size, lines)
    if fitting:
        return fitting
    max_lines = max(1, int(height / (5 * 1.2)))
    lines, _ = _wrap(label, max(1, int(width / (5 * 0.56))))
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return 5.0, lines


def _wrap(label: str, per_line: int) -> tuple[list[str], bool]:
    """Lines of at most ``per_line`` characters, and whether a word had to be cut."""
    # Break after the separators file names use, else anywhere.
    pieces = re.findall(r"[^-_ ./]*[-_ ./]?", label)
    lines: list[str] = []
    current = ""
    cut = False
    for piece in (p for p in pieces if p):
        while len(piece) > per_line:
            cut = True
            if current:
                lines.append(current)
                current = ""
            lines.append(piece[:per_line])
            piece = piece[per_line:]
        if len(current) + len(piece) > per_line:
            lines.append(current)
            current = piece
        else:
            current += piece
    if current:
        lines.append(current)
    return [line.strip() or line for line in lines] or [""], cut


def _placeholder_svg(name: str, reason: str, texts: Iterable[str]) -> str:
    """What the page shows instead of a drawing that cannot be rendered."""
    lines = [("Drawing could not be rendered", 16.0, "bold"), (_title_of(name), 13.0, "normal")]
    lines += [(chunk, 12.0, "normal") for chunk in _wrap(reason, 80)[0]]
    texts = list(texts)
    if texts:
        lines.append(("Its text:", 12.0, "bold"))
        for text in texts:
            first, *rest = text.split("\n")
            lines.append((f"• {first}", 12.0, "normal"))
            lines += [(f"   {line}", 12.0, "normal") for line in rest]
    width = 520.0
    y = 28.0
    spans = []
    for text, size, weight in lines:
        spans.append(
            f'<text x="16" y="{_n(y)}" font-size="{_n(size)}" font-weight="{weight}" '
            f'xml:space="preserve">{_text(text)}</text>'
        )
        y += size * 1.5
    height = y + 4
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{ROOT_CLASSES} vr-drawing-error" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" height="{_n(height)}" '
        f'role="img" aria-label="{_attr(_title_of(name))}: could not be rendered">'
        f'<rect x="1" y="1" width="{_n(width - 2)}" height="{_n(height - 2)}" rx="6" ry="6" '
        f'fill="{PLACEHOLDER_FILL}" stroke="{PLACEHOLDER_STROKE}" stroke-dasharray="6 4"/>'
        f'<g font-family="{_attr(FONT_STACKS[2])}" fill="{PLACEHOLDER_TEXT}">'
        f"{''.join(spans)}</g></svg>"
    )


def _title_of(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    for suffix in (".excalidraw.md", ".excalidraw.json", ".excalidraw", ".md"):
        if base.lower().endswith(suffix):
            return base[: -len(suffix)]
    return base


def _text_of(element: dict[str, Any]) -> str:
    text = element.get("text")
    if not isinstance(text, str):
        text = element.get("originalText") if isinstance(element.get("originalText"), str) else ""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _text(value: str) -> str:
    return (
        _XML_INVALID.sub("", value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    )


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;").replace("\n", "&#10;")
