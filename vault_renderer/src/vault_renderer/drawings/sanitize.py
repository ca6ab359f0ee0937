"""A parser-based allow-list sanitiser for SVG (draw.io exports and inline SVG in notes).

The SVG is parsed with the standard library's expat, with no DOCTYPE, no entity
declarations and no external entities allowed, into a small tree; the tree is walked
keeping only allow-listed elements and attributes; the result is serialised by this
module, escaping every text and attribute value. Because the output is inlined in HTML,
the serialiser writes markup that an HTML parser reads back as the same tree: XHTML
elements always get an end tag (``<div/>`` would stay open in HTML), no comments, no
CDATA, and no element whose content HTML treats as raw text.
"""

from __future__ import annotations

import hashlib
import html.entities
import re
import xml.parsers.expat
from dataclasses import dataclass, field

from vault_renderer.drawings import css
from vault_renderer.drawings.model import DrawingError, SanitizedSvg

SVG_NS = "http://www.w3.org/2000/svg"
XHTML_NS = "http://www.w3.org/1999/xhtml"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

MAX_SVG_CHARS = 8 * 1024 * 1024
MAX_DEPTH = 200
ROOT_CLASSES = ("vr-drawing", "vr-drawio")

# Rendering elements only. Animation (animate, set: they can rewrite href to
# javascript:), script, feImage (loads URLs), cursor and font-face are out by omission.
# fmt: off
SVG_ELEMENTS = frozenset((
    "svg", "g", "defs", "symbol", "use", "title", "desc", "switch", "a", "rect", "circle",
    "ellipse", "line", "polyline", "polygon", "path", "text", "tspan", "textPath", "image",
    "foreignObject", "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask",
    "marker", "filter", "style", "feBlend", "feColorMatrix", "feComponentTransfer",
    "feComposite", "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap",
    "feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR",
    "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology", "feOffset", "fePointLight",
    "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
))
# fmt: on
# fmt: off
SVG_ATTRIBUTES = frozenset((
    "id", "class", "style", "transform", "fill", "fill-opacity", "fill-rule", "stroke",
    "stroke-width", "stroke-opacity", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "opacity", "color", "display", "visibility",
    "overflow", "clip-path", "clip-rule", "mask", "filter", "font-family", "font-size",
    "font-style", "font-weight", "font-variant", "font-stretch", "text-anchor",
    "dominant-baseline", "alignment-baseline", "baseline-shift", "letter-spacing",
    "word-spacing", "text-decoration", "writing-mode", "direction", "unicode-bidi",
    "pointer-events", "shape-rendering", "text-rendering", "image-rendering",
    "color-interpolation", "color-interpolation-filters", "vector-effect", "paint-order",
    "stop-color", "stop-opacity", "flood-color", "flood-opacity", "lighting-color",
    "marker-start", "marker-mid", "marker-end", "requiredFeatures", "requiredExtensions",
    "systemLanguage", "lang", "role", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx",
    "ry", "fx", "fy", "fr", "width", "height", "d", "points", "pathLength", "dx", "dy",
    "rotate", "textLength", "lengthAdjust", "startOffset", "method", "spacing", "side",
    "viewBox", "preserveAspectRatio", "version", "baseProfile", "gradientUnits",
    "gradientTransform", "spreadMethod", "offset", "patternUnits", "patternContentUnits",
    "patternTransform", "clipPathUnits", "maskUnits", "maskContentUnits", "markerWidth",
    "markerHeight", "markerUnits", "refX", "refY", "orient", "filterUnits", "primitiveUnits",
    "in", "in2", "result", "stdDeviation", "mode", "operator", "k1", "k2", "k3", "k4", "values",
    "type", "edgeMode", "radius", "scale", "xChannelSelector", "yChannelSelector",
    "tableValues", "slope", "intercept", "amplitude", "exponent", "baseFrequency", "numOctaves",
    "seed", "stitchTiles", "order", "kernelMatrix", "divisor", "bias", "targetX", "targetY",
    "preserveAlpha", "surfaceScale", "diffuseConstant", "specularConstant", "specularExponent",
    "kernelUnitLength", "azimuth", "elevation", "z", "pointsAtX", "pointsAtY", "pointsAtZ",
    "limitingConeAngle", "href", "target",
))
# fmt: on
# Attributes whose value may name a resource with url(): only #fragments may stay.
SVG_URL_ATTRIBUTES = frozenset(
    ["fill", "stroke", "clip-path", "mask", "filter", "marker-start", "marker-mid", "marker-end"]
)
# Elements whose href may point inside the document only.
FRAGMENT_HREF_ELEMENTS = frozenset(
    ["use", "linearGradient", "radialGradient", "pattern", "textPath", "filter"]
)

# fmt: off
XHTML_ELEMENTS = frozenset((
    "div", "p", "span", "br", "b", "i", "u", "s", "strike", "strong", "em", "font", "sub",
    "sup", "small", "big", "code", "pre", "tt", "ul", "ol", "li", "dl", "dt", "dd", "table",
    "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "col", "colgroup", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "a", "img", "blockquote", "q", "abbr", "mark", "del", "ins", "kbd",
    "samp", "var", "cite", "center", "label",
))
# fmt: on
XHTML_VOID = frozenset(["br", "hr", "img", "col"])
# Dropped with everything inside them: active, embedding, form or raw-text elements.
# fmt: off
XHTML_DROP_WITH_CONTENT = frozenset((
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "audio",
    "video", "source", "track", "picture", "form", "input", "button", "select", "option",
    "optgroup", "textarea", "noscript", "noembed", "noframes", "template", "link", "meta",
    "base", "title", "head", "svg", "math", "xmp", "plaintext", "listing", "portal", "dialog",
    "canvas", "param", "slot", "marquee", "datalist", "output",
))
# fmt: on
# fmt: off
XHTML_ATTRIBUTES = frozenset((
    "style", "class", "title", "dir", "lang", "align", "valign", "color", "face", "size",
    "colspan", "rowspan", "width", "height", "border", "cellpadding", "cellspacing", "href",
    "target", "alt", "src",
))
# fmt: on
NAVIGATION_SCHEMES = ("http:", "https:", "mailto:")
LINK_TARGETS = frozenset({"_blank", "_self", "_parent", "_top"})


@dataclass
class _Element:
    namespace: str
    name: str
    attributes: list[tuple[str, str, str]]  # (namespace, local name, value)
    children: list[_Element | str] = field(default_factory=list)
    line: int = 0


def sanitize_svg(svg_text: str) -> SanitizedSvg:
    """Keep only the safe parts of an SVG document.

    What stays: allow-listed SVG elements and attributes; inside ``<foreignObject>``, an
    allow-list of XHTML formatting elements (draw.io's labels); ``href`` to a
    ``#fragment`` (and, on links, to ``http(s):``/``mailto:`` or a relative path; on
    images, to a ``data:image/...`` URL); CSS without active or external parts, with a
    ``<style>`` element's rules scoped to this drawing; draw.io's ``content`` attribute
    (the editable mxfile) unchanged. What goes is listed in ``SanitizedSvg.removed``.
    The root gets the classes ``vr-drawing vr-drawio`` (see ``DRAWING_CSS``).

    Args:
        svg_text: one ``<svg>`` element as XML. An XML declaration, comments and
            processing instructions are accepted and dropped; HTML named entities such as
            ``&nbsp;`` are accepted; a missing ``xmlns`` is assumed to be SVG's.

    Returns:
        The sanitised SVG and the list of what was removed. The same input always
        gives the same output.

    Raises:
        DrawingError: the text is too large, is not well-formed XML, has a DOCTYPE or
            entity declarations, nests deeper than ``MAX_DEPTH``, or its root element is
            not ``<svg>``.
    """
    root = _parse(svg_text)
    removed: list[str] = []
    scope = "vr-scope-" + hashlib.sha256(svg_text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    cleaner = _Cleaner(removed, scope)
    cleaned = cleaner.svg_element(root, is_root=True)
    assert cleaned is not None  # the root is an <svg>, checked by _parse
    classes = ROOT_CLASSES + ((scope,) if cleaner.scoped else ())
    _add_classes(cleaned, classes)
    return SanitizedSvg(
        svg=_serialise(cleaned, in_xhtml=False, declare=SVG_NS), removed=tuple(removed)
    )


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_ENTITY_REFERENCE = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
# Wrapping the input supplies default namespaces without duplicating the root's own
# declarations (inner declarations override outer ones). It stays on the input's first
# line so expat's line numbers are the input's.
_WRAPPER_OPEN = f'<vr-wrapper xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}">'
_WRAPPER_CLOSE = "</vr-wrapper>"


def _numeric_entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name in _XML_ENTITIES:
        return match.group(0)
    text = html.entities.html5.get(f"{name};")
    if text is None:
        return match.group(0)
    return "".join(f"&#x{ord(char):x};" for char in text)


def _parse(svg_text: str) -> _Element:
    if len(svg_text) > MAX_SVG_CHARS:
        raise DrawingError(
            "svg", f"{len(svg_text):,} characters is more than the {MAX_SVG_CHARS:,} allowed"
        )
    if _DOCTYPE.search(svg_text):
        line = svg_text[: _DOCTYPE.search(svg_text).start()].count("\n") + 1
        raise DrawingError(
            "svg", "a DOCTYPE is not allowed (it can declare entities); remove it", line=line
        )
    # The declaration is replaced by its own line breaks so that line numbers still match.
    without_declaration = _XML_DECLARATION.sub(
        lambda match: "\n" * match.group(0).count("\n"), svg_text, count=1
    )
    body = _ENTITY_REFERENCE.sub(_numeric_entity, without_declaration)

    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Element] = [_Element("", "wrapper", [])]

    def start(name: str, attributes: dict[str, str]) -> None:
        if len(stack) > MAX_DEPTH:
            raise DrawingError(
                "svg",
                f"elements nest deeper than {MAX_DEPTH} levels",
                line=parser.CurrentLineNumber,
                column=parser.CurrentColumnNumber + 1,
            )
        namespace, local = _split_name(name)
        element = _Element(
            namespace,
            local,
            [(*_split_name(key), value) for key, value in attributes.items()],
            line=parser.CurrentLineNumber,
        )
        stack[-1].children.append(element)
        stack.append(element)

    def end(_name: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        children = stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)

    def refuse_entity(*_args: object) -> None:
        raise DrawingError(
            "svg", "entity declarations are not allowed", line=parser.CurrentLineNumber
        )

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.EntityDeclHandler = refuse_entity
    parser.StartDoctypeDeclHandler = refuse_entity
    try:
        parser.Parse(_WRAPPER_OPEN + body + _WRAPPER_CLOSE, True)
    except xml.parsers.expat.ExpatError as error:
        # expat counts columns from 0; editors and the build report count from 1.
        column = 1 + error.offset - (len(_WRAPPER_OPEN) if error.lineno == 1 else 0)
        raise DrawingError(
            "svg",
            f"not well-formed XML: {xml.parsers.expat.errors.messages[error.code]}",
            line=error.lineno,
            column=max(column, 1),
        ) from None
    wrapper = stack[0].children[0]
    assert isinstance(wrapper, _Element)
    elements = [child for child in wrapper.children if isinstance(child, _Element)]
    stray = "".join(child for child in wrapper.children if isinstance(child, str)).strip()
    if len(elements) != 1 or stray:
        raise DrawingError("svg", "expected exactly one <svg> element and nothing around it")
    root = elements[0]
    if (root.namespace, root.name) != (SVG_NS, "svg"):
        raise DrawingError("svg", f"the root element is <{root.name}>, not <svg>", line=root.line)
    return root


def _split_name(name: str) -> tuple[str, str]:
    namespace, _, local = name.rpartition("}")
    return namespace, local


class _Cleaner:
    def __init__(self, removed: list[str], scope: str) -> None:
        self.removed = removed
        self.scope = scope
        self.scoped = False

    def report(self, what: str) -> None:
        self.removed.append(what)

    def svg_element(self, element: _Element, *, is_root: bool = False) -> _Element | None:
        if element.namespace != SVG_NS or element.name not in SVG_ELEMENTS:
            self.report(f"{_describe(element)} element")
            return None
        attributes = self._svg_attributes(element, is_root=is_root)
        children: list[_Element | str] = []
        if element.name == "style":
            text = "".join(child for child in element.children if isinstance(child, str))
            cleaned = css.clean_stylesheet(text, f".{self.scope}", "<style>", self.report)
            self.scoped = True
            children.append(cleaned)
            if any(isinstance(child, _Element) for child in element.children):
                self.report("markup inside <style>")
        elif element.name in ("title", "desc"):
            # HTML parses these as integration points: keep their text only.
            for child in element.children:
                if isinstance(child, str):
                    children.append(child)
                else:
                    self.report(f"{_describe(child)} element inside <{element.name}>")
        elif element.name == "foreignObject":
            for child in element.children:
                if isinstance(child, str):
                    children.append(child)
                elif child.namespace == XHTML_NS:
                    children.extend(self.xhtml_element(child))
                else:
                    self.report(f"{_describe(child)} element inside <foreignObject>")
        else:
            for child in element.children:
                if isinstance(child, str):
                    children.append(child)
                else:
                    kept = self.svg_element(child)
                    if kept is not None:
                        children.append(kept)
        return _Element(SVG_NS, element.name, attributes, children)

    def xhtml_element(self, element: _Element) -> list[_Element | str]:
        if element.namespace != XHTML_NS or element.name in XHTML_DROP_WITH_CONTENT:
            self.report(f"{_describe(element)} element inside <foreignObject>")
            return []
        children: list[_Element | str] = []
        for child in element.children:
            if isinstance(child, str):
                children.append(child)
            else:
                children.extend(self.xhtml_element(child))
        if element.name not in XHTML_ELEMENTS:
            # Unknown but inert (section, article ...): keep the text, lose the tag.
            self.report(f"{element.name} element inside <foreignObject> (its content kept)")
            return children
        attributes = self._xhtml_attributes(element)
        return [_Element(XHTML_NS, element.name, attributes, children)]

    def _svg_attributes(self, element: _Element, *, is_root: bool) -> list[tuple[str, str, str]]:
        kept = []
        tag = element.name
        for namespace, name, value in element.attributes:
            if (namespace == XLINK_NS and name == "href") or (namespace == "" and name == "href"):
                if self._href_allowed(tag, name if not namespace else "xlink:href", value, tag):
                    kept.append((namespace, name, value))
                continue
            if namespace == XML_NS and name in ("space", "lang"):
                kept.append((namespace, name, value))
                continue
            if namespace or not (
                name in SVG_ATTRIBUTES or _inert_custom(name) or (is_root and name == "content")
            ):
                self.report(f"{_attribute_name(namespace, name)} attribute on <{tag}>")
                continue
            if name == "style":
                value = css.clean_declarations(value, f"style on <{tag}>", self.report)
                if not value:
                    continue
            elif name in SVG_URL_ATTRIBUTES and "url(" in css.decode(value).lower():
                if not css.clean_declarations(
                    f"{name}: {value}", f"{name} on <{tag}>", self.report
                ):
                    continue
            elif name == "target" and value not in LINK_TARGETS:
                self.report(f"target attribute {value!r} on <{tag}>")
                continue
            kept.append((namespace, name, value))
        return kept

    def _xhtml_attributes(self, element: _Element) -> list[tuple[str, str, str]]:
        kept = []
        tag = element.name
        for namespace, name, value in element.attributes:
            if namespace or not (name in XHTML_ATTRIBUTES or _inert_custom(name)):
                self.report(f"{_attribute_name(namespace, name)} attribute on <{tag}>")
                continue
            if (name == "href" and tag != "a") or (name == "src" and tag != "img"):
                self.report(f"{name} attribute on <{tag}>")
                continue
            if name in ("href", "src"):
                if not self._href_allowed("image" if tag == "img" else tag, name, value, tag):
                    continue
            elif name == "style":
                value = css.clean_declarations(value, f"style on <{tag}>", self.report)
                if not value:
                    continue
            elif name == "target" and value not in LINK_TARGETS:
                self.report(f"target attribute {value!r} on <{tag}>")
                continue
            kept.append((namespace, name, value))
        return kept

    def _href_allowed(self, kind: str, attribute: str, value: str, tag: str) -> bool:
        url = "".join(char for char in value if ord(char) > 0x20 and char != "\x7f")
        scheme = _scheme(url)
        if kind == "a":
            allowed = (
                url.startswith("#")
                or scheme in NAVIGATION_SCHEMES
                # Browsers read a backslash as "/" in links, so a leading pair of them
                # is a protocol-relative URL: another site.
                or (scheme is None and not url.replace("\\", "/").startswith("//"))
            )
        elif kind == "image":
            allowed = css.is_safe_url(url) and not url.startswith("#")
        elif kind in FRAGMENT_HREF_ELEMENTS:
            allowed = url.startswith("#")
        else:
            allowed = False
        if not allowed:
            self.report(f"{_describe_url(url, scheme)} in {attribute} on <{tag}>")
        return allowed


def _inert_custom(name: str) -> bool:
    # data-* and aria-* carry no behaviour of their own, except data-md-*, which
    # Material's script reads to find its components (a diagram must not pose as one).
    return name.startswith(("data-", "aria-")) and not name.startswith("data-md-")


def _scheme(url: str) -> str | None:
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", url)
    return match.group(1).lower() + ":" if match else None


def _describe_url(url: str, scheme: str | None) -> str:
    if scheme in ("javascript:", "vbscript:"):
        return f"{scheme} URL"
    if scheme == "data:":
        return f"{url[:30].split(',')[0].split(';')[0].lower()} URL"
    return f"external reference '{url[:60]}'"


def _describe(element: _Element) -> str:
    if element.namespace in (SVG_NS, XHTML_NS):
        return element.name
    return f"{element.name} ({element.namespace or 'no namespace'})"


def _attribute_name(namespace: str, name: str) -> str:
    prefixes = {XLINK_NS: "xlink:", XML_NS: "xml:"}
    if namespace and namespace not in prefixes:
        return f"{{{namespace}}}{name}"
    return prefixes.get(namespace, "") + name


def _add_classes(element: _Element, classes: tuple[str, ...]) -> None:
    for index, (namespace, name, value) in enumerate(element.attributes):
        if not namespace and name == "class":
            present = value.split()
            merged = " ".join([*classes, *(c for c in present if c not in classes)])
            element.attributes[index] = ("", "class", merged)
            return
    element.attributes.append(("", "class", " ".join(classes)))


_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTRIBUTE_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)


def _serialise(element: _Element, *, in_xhtml: bool, declare: str = "") -> str:
    parts = [f"<{element.name}"]
    if declare:
        parts.append(f' xmlns="{declare}"')
    if element.name == "svg" and not in_xhtml and declare:
        parts.append(f' xmlns:xlink="{XLINK_NS}"')
    for namespace, name, value in element.attributes:
        qualified = {XLINK_NS: "xlink:", XML_NS: "xml:"}.get(namespace, "") + name
        parts.append(f' {qualified}="{value.translate(_ATTRIBUTE_ESCAPES)}"')
    if not element.children and (not in_xhtml or element.name in XHTML_VOID):
        parts.append("/>")
        return "".join(parts)
    parts.append(">")
    for child in element.children:
        if isinstance(child, str):
            parts.append(child.translate(_TEXT_ESCAPES))
        elif child.namespace == XHTML_NS:
            parts.append(_serialise(child, in_xhtml=True, declare="" if in_xhtml else XHTML_NS))
        else:
            parts.append(_serialise(child, in_xhtml=False))
    if not (in_xhtml and element.name in XHTML_VOID):
        parts.append(f"</{element.name}>")
    return "".join(parts)
