"""Moving a sanitised drawing's CSS out of its markup, so that a strict CSP holds.

The handbook is served with a Content-Security-Policy whose ``default-src 'self'`` also
governs styles, so a page may not carry ``style`` attributes or ``<style>`` elements.
draw.io lays out every label with them (``foreignObject`` HTML with inline styles), so
``externalise_styles`` turns each distinct ``style`` attribute into a class and a rule,
and lifts the content of ``<style>`` elements out; ``drawing_stylesheet`` joins what
many drawings need into one stylesheet that the site serves as a file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from vault_renderer.drawings import css
from vault_renderer.drawings.model import ExternalisedSvg

# The sanitiser's own parser and serialiser: what it wrote reads back as the same tree
# and is written out again byte for byte, `content` (the mxfile) included.
from vault_renderer.drawings.sanitize import (
    SVG_NS,
    _Element,
    _parse,
    _serialise,
)

CLASS_PREFIX = "vr-s-"

# How a moved `style` attribute keeps winning exactly where it won before. In the
# cascade, importance comes before specificity, and an element's own style attribute
# sits between the two: its normal declarations beat every normal rule of any
# specificity (the drawing's scoped <style> rules, Material's, ours) and lose to every
# !important rule; its !important declarations beat every other !important rule.
# - A normal declaration is therefore written with !important (to beat every normal
#   rule whatever its specificity) under :where(), whose specificity is zero, so that
#   any !important rule that beat the style attribute before still beats it.
# - An !important declaration stays !important under :is(), specificity (0,2,0), and
#   `drawing_stylesheet` puts it after the drawings' own rules: it beats their
#   !important rules up to that specificity (draw.io writes no !important inline).
# (Animations, which outrank normal declarations but not !important ones, cannot
# differ: the sanitiser drops @keyframes.) Both rules match only inside a drawing
# (`.vr-drawing` is on every drawing's root), whatever else carries the class.
_NORMAL_RULE = ":where(.vr-drawing .{name}, .vr-drawing.{name}) {{ {declarations} }}"
_IMPORTANT_RULE = ":is(.vr-drawing .{name}, .vr-drawing.{name}) {{ {declarations} }}"
_CLASS_RULE_OPENERS = (":where(.vr-drawing ", ":is(.vr-drawing ")
_IMPORTANT = re.compile(r"!\s*important\s*$", re.IGNORECASE)
_CLOSERS = {"(": ")", "[": "]", "{": "}"}


def externalise_styles(svg: str) -> ExternalisedSvg:
    """Move every ``style`` attribute and ``<style>`` element of an SVG into CSS rules.

    Each distinct ``style`` value becomes a class named by its content hash
    (``vr-s-`` and 10 hex digits), added to the element's class list, and one rule for
    that class that wins wherever the attribute won (see the comment on the rules).
    Everything else, draw.io's ``content`` attribute (the editable mxfile) included, is
    kept exactly as it was.

    Args:
        svg: the output of ``sanitize_svg`` (its CSS is already cleaned, and its
            ``<style>`` rules scoped to the drawing; this function does not clean CSS).

    Returns:
        The markup without inline CSS, the rules it needs, and what could not be moved.
        The same input always gives the same output.

    Raises:
        DrawingError: ``svg`` is not well-formed (it did not come from ``sanitize_svg``).
    """
    root = _parse(svg)
    mover = _StyleMover()
    mover.visit(root)
    rules = sorted(mover.rules.values())
    return ExternalisedSvg(
        svg=_serialise(root, in_xhtml=False, declare=SVG_NS),
        css=(*mover.stylesheets, *rules),
        removed=tuple(mover.removed),
    )


def drawing_stylesheet(pieces: Iterable[str]) -> str:
    """Join the CSS of many drawings (``ExternalisedSvg.css``) into one stylesheet.

    Each piece appears once; the drawings' own (scoped) stylesheets come first and the
    rules that replace ``style`` attributes last, as the attributes came after the
    ``<style>`` elements in the cascade; each group is sorted, so the same drawings
    always give the same file whatever order the pages were built in.
    """
    ordered = sorted(set(pieces), key=lambda piece: (piece.startswith(_CLASS_RULE_OPENERS), piece))
    return "".join(piece + "\n" for piece in ordered)


class _StyleMover:
    def __init__(self) -> None:
        self.rules: dict[str, str] = {}
        self.stylesheets: list[str] = []
        self.removed: list[str] = []

    def visit(self, element: _Element) -> None:
        kept: list[_Element | str] = []
        for child in element.children:
            if isinstance(child, _Element) and (child.namespace, child.name) == (SVG_NS, "style"):
                self._move_stylesheet(child)
            else:
                kept.append(child)
                if isinstance(child, _Element):
                    self.visit(child)
        element.children = kept
        for index, (namespace, name, value) in enumerate(element.attributes):
            if not namespace and name == "style":
                del element.attributes[index]
                class_name = self._class_for(value, element.name)
                if class_name:
                    _add_class(element, class_name, index)
                break

    def _move_stylesheet(self, element: _Element) -> None:
        text = "".join(child for child in element.children if isinstance(child, str)).strip()
        if not text:
            return
        if _is_self_contained(text):
            self.stylesheets.append(text)
        else:
            self.removed.append("<style> element that does not close what it opens")

    def _class_for(self, value: str, tag: str) -> str | None:
        normal: list[str] = []
        important: list[str] = []
        for piece in css.split_top_level(value, ";"):
            declaration = piece.strip()
            if not declaration:
                continue
            if not _is_self_contained(declaration):
                self.removed.append(
                    f"CSS {declaration[:40]!r} in style on <{tag}>: it does not close what it opens"
                )
            elif _IMPORTANT.search(css.decode(declaration)):
                important.append(declaration)
            else:
                normal.append(f"{declaration} !important")
        if not normal and not important:
            return None
        name = CLASS_PREFIX + hashlib.sha256(value.strip().encode()).hexdigest()[:10]
        rules = []
        if normal:
            rules.append(_NORMAL_RULE.format(name=name, declarations="; ".join(normal)))
        if important:
            rules.append(_IMPORTANT_RULE.format(name=name, declarations="; ".join(important)))
        self.rules[name] = "\n".join(rules)
        return name


def _add_class(element: _Element, name: str, position: int) -> None:
    # The class takes the style attribute's place when there is no class list yet.
    for index, (namespace, attribute, value) in enumerate(element.attributes):
        if not namespace and attribute == "class":
            if name not in value.split():
                element.attributes[index] = ("", "class", f"{value} {name}".strip())
            return
    element.attributes.insert(position, ("", "class", name))


def _is_self_contained(text: str) -> bool:
    """Whether CSS text closes every string, comment, bracket and block it opens.

    A style attribute or a ``<style>`` element is a stylesheet of its own, where the
    end of the text closes whatever is open. Moved into a shared stylesheet, an
    unclosed ``(``, ``"`` or ``/*`` would swallow the rules after it, and an unmatched
    ``}`` would end its rule early and let the rest apply to the whole page.
    """
    # CSS reads CR, CRLF and FF as one newline before tokenising.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    expected: list[str] = []
    quote = ""
    position = 0
    while position < len(text):
        char = text[position]
        if char == "\\":
            if position + 1 == len(text):
                return False
            position += 2
            continue
        if quote:
            if char == quote:
                quote = ""
            elif char == "\n":
                return False
        elif char in "\"'":
            quote = char
        elif text.startswith("/*", position):
            end = text.find("*/", position + 2)
            if end == -1:
                return False
            position = end + 2
            continue
        elif char in _CLOSERS:
            expected.append(_CLOSERS[char])
        elif char in ")]}" and (not expected or expected.pop() != char):
            return False
        position += 1
    return not quote and not expected
