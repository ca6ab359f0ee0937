"""An allow-list over a note's rendered HTML: notes are content, never code.

Notes arrive by pull request and Python-Markdown passes their raw HTML through, so
every note page is filtered once its Markdown is rendered. The HTML is tokenised with
the standard library's ``html.parser``; each token is kept, rebuilt or dropped; the
page is written back from those tokens only, so nothing the parser did not understand
reaches the browser.

Clean pages come out byte for byte as they went in: a kept start tag is copied as
written when it has the plain shape Python-Markdown writes (``name="value"``
attributes, entities closed by ``;``), which browsers read exactly as ``html.parser``
does; any other kept tag is rebuilt from its parsed attributes, escaped. Text is copied
as written unless it holds a ``<``, which is escaped. No kept element makes a browser
read its content as raw text (``script``, ``style``, ``textarea``, ``title``...), so
the browser's tree is the one checked here.

An ``<svg>`` is handed to a caller's function (the plugin runs the drawing sanitiser,
as for an SVG at the start of a block), except Material's emoji icons: an ``<svg>``
directly inside ``<span class="twemoji">`` and made of shapes only is kept, with a few
attributes.
Markup the caller has already made safe (rendered drawings) is set aside under
``keep`` before the page is parsed and put back afterwards.
"""

from __future__ import annotations

import functools
import html
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = ["CODE_PAGES", "Removal", "SanitizedPage", "is_code_page", "sanitize_page"]

# The pages that are reviewed code, not contributed notes: the decision tools, whose
# macros emit forms and scripts. The macros module allows macros on these pages only.
CODE_PAGES = ("tools/",)

CODE = "notes cannot run code"
NOT_LISTED = "not on the list of HTML a note may use"
THEME_NAME = "names starting with __ are the theme's"

# fmt: off
ELEMENTS = frozenset((
    "a", "abbr", "article", "aside", "audio", "b", "bdi", "bdo", "blockquote", "br", "caption",
    "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt",
    "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "i", "img", "input", "ins", "kbd", "label", "li", "mark", "nav", "ol", "p",
    "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
    "u", "ul", "var", "video", "wbr",
))
# fmt: on
VOID = frozenset(("br", "col", "hr", "img", "input", "wbr"))
# Dropped with everything inside them: they run code, load other documents or pages,
# or make the browser read their content as raw text.
# fmt: off
DROP_WITH_CONTENT = frozenset((
    "applet", "canvas", "frame", "frameset", "iframe", "math", "noembed",
    "noframes", "noscript", "object", "plaintext", "script", "select", "style", "template",
    "textarea", "title", "xmp",
))
# fmt: on
# Void elements that act on the page or load something: no content to keep.
DROP_VOID = frozenset(("area", "base", "embed", "keygen", "link", "meta", "param", "source"))
# Elements whose removal is about code rather than an unlisted tag.
ACTIVE = DROP_WITH_CONTENT | DROP_VOID | frozenset(("button", "form", "input", "svg"))
# Audio and video play the site's own files only (an embedded `![[talk.mp4]]`): a
# player's source on another host would be a third-party request.
MEDIA = frozenset(("audio", "video"))

GLOBAL_ATTRIBUTES = frozenset(("class", "dir", "id", "lang", "role", "title"))
# fmt: off
ELEMENT_ATTRIBUTES = {
    "a": frozenset(("href", "name", "rel", "target")),
    "audio": frozenset(("controls", "preload", "src")),
    "blockquote": frozenset(("cite",)),
    "col": frozenset(("span",)),
    "colgroup": frozenset(("span",)),
    "del": frozenset(("cite", "datetime")),
    "details": frozenset(("open",)),
    "img": frozenset(("alt", "decoding", "height", "loading", "src", "width")),
    "input": frozenset(("checked", "disabled", "name", "type")),
    "ins": frozenset(("cite", "datetime")),
    "label": frozenset(("for",)),
    "li": frozenset(("value",)),
    "ol": frozenset(("reversed", "start", "type")),
    "q": frozenset(("cite",)),
    "td": frozenset(("align", "colspan", "rowspan", "style")),
    "th": frozenset(("align", "colspan", "rowspan", "scope", "style")),
    "time": frozenset(("datetime",)),
    "video": frozenset(("controls", "height", "preload", "src", "width")),
}
# fmt: on
URL_ATTRIBUTES = frozenset(("cite", "href", "src"))
URL_SCHEMES = frozenset(("http:", "https:", "mailto:", "tel:"))
LINK_TARGETS = frozenset(("_blank", "_parent", "_self", "_top"))
# The tasklist's checkboxes and the content tabs' radio buttons.
INPUT_TYPES = frozenset(("checkbox", "radio"))
# The theme finds its parts by ids and names starting with `__` (its settings are read
# from `#__config`, which an element of the note, coming first, would replace); of those,
# notes get only the ones pymdown-extensions writes for code lines and content tabs.
NAME_ATTRIBUTES = frozenset(("for", "id", "name"))
EXTENSION_NAMES = ("__codelineno-", "__code_", "__span-", "__tabbed_")
# Python-Markdown's tables align cells with this, and nothing else needs a style.
CELL_STYLE = re.compile(r"text-align:\s*(?:left|right|center|justify);?")

EMOJI_CLASS = "twemoji"
# fmt: off
EMOJI_ELEMENTS = frozenset((
    "circle", "ellipse", "g", "line", "path", "polygon", "polyline", "rect", "svg",
))
EMOJI_ATTRIBUTES = frozenset((
    "clip-rule", "cx", "cy", "d", "fill", "fill-opacity", "fill-rule", "height", "opacity",
    "points", "r", "rx", "ry", "stroke", "stroke-linecap", "stroke-linejoin", "stroke-width",
    "transform", "viewbox", "width", "x", "x1", "x2", "xmlns", "y", "y1", "y2",
))
# fmt: on

# A start tag written the way Python-Markdown writes one: every value double-quoted,
# no `<` or `>` in it, every character reference closed by `;`. Browsers and
# html.parser read such a tag the same way, so it can be copied as written.
_PLAIN_VALUE = r'"[^"<>&]*(?:&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);[^"<>&]*)*"'
_PLAIN_START_TAG = re.compile(
    rf"<[A-Za-z][A-Za-z0-9-]*(?:[ \t\n]+[A-Za-z_:][A-Za-z0-9_:.-]*(?:={_PLAIN_VALUE})?)*"
    r"[ \t\n]*/?>"
)
# A comment that ends where every parser ends it (no `--` inside, no `<!-->`).
_PLAIN_COMMENT = re.compile(r"<!--(?!-?>)(?:(?!--)[^\x00])*-->", re.S)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
# Browsers ignore control characters, spaces and DEL in a URL's scheme.
_IGNORED_IN_URLS = dict.fromkeys([*range(0x21), 0x7F])
_KEEP_MARK = "\x02"


@dataclass(frozen=True, slots=True)
class Removal:
    """One thing the sanitiser took out of a page.

    Attributes:
        what: What it was, e.g. ``<script> element`` or ``onerror attribute on <img>``.
        why: ``CODE`` (it could run code or load something) or ``NOT_LISTED``.
        line: 1-based line of the HTML where it started.
        column: 1-based column.
    """

    what: str
    why: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"removed {self.what} from the page ({self.why})"


@dataclass(frozen=True, slots=True)
class SanitizedPage:
    """A page's HTML with only the allowed parts left.

    Attributes:
        html: The HTML.
        removed: What was removed, in document order.
    """

    html: str
    removed: tuple[Removal, ...]


SvgHandler = Callable[[str, int, int], str]


def is_code_page(src_uri: str) -> bool:
    """Tell whether a page (path relative to docs/) is a reviewed tool page, not a note."""
    return src_uri.startswith(CODE_PAGES)


def sanitize_page(
    page_html: str, *, svg: SvgHandler | None = None, keep: Iterable[str] = ()
) -> SanitizedPage:
    """Keep only the allow-listed HTML of a rendered note.

    Args:
        page_html: The page's HTML, as Python-Markdown and the plugins rendered it.
        svg: Gets the markup of each ``<svg>`` element (other than an emoji icon) with
            its line and column, and returns the HTML to show in its place (the plugin
            runs the drawing sanitiser). Without it, such an ``<svg>`` is removed.
        keep: Fragments of ``page_html`` that are already safe (rendered drawings): each
            occurrence in the page's text is kept unchanged.

    Returns:
        The sanitised HTML and what was removed. HTML that needs no change is returned
        unchanged, byte for byte.
    """
    original = page_html
    marks: dict[str, str] = {}
    nonce = secrets.token_hex(8)
    for index, fragment in enumerate(sorted(set(keep), key=len, reverse=True)):
        if fragment and fragment in page_html:
            mark = f"{_KEEP_MARK}vault-keep-{nonce}-{index}\x03"
            marks[mark] = fragment
            page_html = page_html.replace(fragment, mark)
    if _already_clean(page_html):
        return SanitizedPage(original, ())
    tokens = _Tokeniser.tokens(page_html)
    writer = _Writer(page_html, svg)
    writer.write(tokens)
    result = "".join(writer.out)
    for mark, fragment in marks.items():
        result = result.replace(mark, fragment)
    return SanitizedPage(result, tuple(writer.removed))


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # start, end, data, comment, other
    start: int
    line: int
    column: int
    tag: str = ""
    attributes: tuple[tuple[str, str | None], ...] = ()
    text: str = ""  # data: the decoded text; start: the tag as written
    closed: bool = False  # start: written `<x/>`


# The fast path: most notes are HTML that Python-Markdown wrote, only allow-listed
# elements with double-quoted attributes, which the writer below would copy unchanged.
# `_already_clean` recognises exactly such a page without building tokens (a
# differential test holds it to the writer's verdict); anything else (comments, other
# quoting, <svg>, raw-text elements, a stray "<", upper-case tags) goes the full way.
_PLAIN_TAG = re.compile(
    r"<(?P<end>/?)(?P<tag>[a-z][a-z0-9]*)"
    r"(?P<attributes>(?:[ \t\n]+[A-Za-z_:][A-Za-z0-9_:.-]*(?:=\"[^\"<>`]*\")?)*)"
    r"[ \t\n]*(?P<closed>/?)>"
)
_PLAIN_ATTRIBUTE = re.compile(r'[ \t\n]+([A-Za-z_:][A-Za-z0-9_:.-]*)(?:="([^"<>`]*)")?')


# Every `<` starts one candidate: up to the first `>`, or to the next `<` when that comes
# first (no plain tag holds a `<`). A plain tag ends at its first `>`, so these are
# exactly the tags `_PLAIN_TAG` would match, one per `<`.
_TAG_CANDIDATE = re.compile(r"<[^<>]*>?")


def _already_clean(source: str) -> bool:
    """Tell whether the writer would keep ``source`` byte for byte, removing nothing."""
    # A page repeats a few dozen distinct tags hundreds of times: each is judged once.
    return all(map(_clean_tag, set(_TAG_CANDIDATE.findall(source))))


# Pages repeat the same tags (`<p>`, `</li>`, a callout's `<div class="admonition tip">`):
# each one's verdict is worked out once per build, not once per occurrence.
@functools.lru_cache(maxsize=16384)
def _clean_tag(text: str) -> bool:
    """Tell whether the writer would keep one tag (matched by ``_PLAIN_TAG``) as it is."""
    match = _PLAIN_TAG.fullmatch(text)
    if match is None:
        return False
    tag = match["tag"]
    if tag not in ELEMENTS or tag == "input":
        return False
    if match["end"]:
        return tag not in VOID and text == f"</{tag}>"
    if (match["closed"] and tag not in VOID) or not _PLAIN_START_TAG.fullmatch(text):
        return False
    for found in _PLAIN_ATTRIBUTE.finditer(match["attributes"]):
        value = None if found[2] is None else html.unescape(found[2])
        if found[1] != found[1].lower() or attribute_problem(tag, found[1], value):
            return False
    return True


class _Tokeniser(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[_Token] = []
        self._line_starts = [0, *(m.end() for m in re.finditer("\n", source))]

    @classmethod
    def tokens(cls, source: str) -> list[_Token]:
        tokeniser = cls(source)
        tokeniser.feed(source)
        tokeniser.close()
        return tokeniser.found

    def _add(self, kind: str, **fields: object) -> None:
        # During a handler, getpos() is where the token starts.
        line, offset = self.getpos()
        start = self._line_starts[line - 1] + offset
        self.found.append(_Token(kind, start, line, offset + 1, **fields))  # type: ignore[arg-type]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add("start", tag=tag, attributes=tuple(attrs), text=self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        text = self.get_starttag_text() or ""
        self._add("start", tag=tag, attributes=tuple(attrs), text=text, closed=True)

    def handle_endtag(self, tag: str) -> None:
        self._add("end", tag=tag)

    def handle_data(self, data: str) -> None:
        self._add("data", text=data)

    def handle_comment(self, data: str) -> None:
        self._add("comment", text=data)

    def handle_decl(self, decl: str) -> None:
        self._add("other", text="declaration")

    def handle_pi(self, data: str) -> None:
        self._add("other", text="processing instruction")

    def unknown_decl(self, data: str) -> None:
        self._add("other", text="declaration")


class _Writer:
    def __init__(self, source: str, svg: SvgHandler | None) -> None:
        self.source = source
        self.svg = svg
        self.out: list[str] = []
        self.removed: list[Removal] = []
        # The kept elements still open, with their classes (an emoji's <svg> needs
        # its parent's).
        self.open: list[tuple[str, str]] = []

    def report(self, token: _Token, what: str, why: str) -> None:
        self.removed.append(Removal(what, why, token.line, token.column))

    def write(self, tokens: list[_Token]) -> None:
        index = 0
        while index < len(tokens):
            token = tokens[index]
            following = tokens[index + 1].start if index + 1 < len(tokens) else len(self.source)
            if token.kind == "data":
                self.data(token, self.source[token.start : following])
            elif token.kind == "comment":
                self.comment(token, self.source[token.start : following])
            elif token.kind == "other":
                self.report(token, f"a {token.text}", NOT_LISTED)
            elif token.kind == "end":
                self.end(token)
            elif token.tag == "svg":
                last = _matching_end(tokens, index)
                if last is not None and self.is_emoji(tokens[index : last + 1]):
                    for position in range(index, last + 1):
                        self.emoji_token(tokens[position])
                    index = last + 1
                else:
                    index = self.foreign_svg(tokens, index, last)
                continue
            elif token.tag in DROP_WITH_CONTENT:
                index = self.drop_element(tokens, index)
                continue
            else:
                self.start(token)
            index += 1

    def data(self, token: _Token, raw: str) -> None:
        if "<" not in raw and html.unescape(raw) == token.text:
            self.out.append(raw)
        else:
            self.out.append(html.escape(token.text, quote=False))

    def comment(self, token: _Token, raw: str) -> None:
        if _PLAIN_COMMENT.fullmatch(raw) and _KEEP_MARK not in raw:
            self.out.append(raw)
        else:
            self.report(token, "a malformed HTML comment", NOT_LISTED)

    def end(self, token: _Token) -> None:
        if token.tag not in ELEMENTS or token.tag in VOID:
            return  # its start tag was removed and reported
        self.out.append(f"</{token.tag}>")
        names = [name for name, _ in self.open]
        if token.tag in names:
            del self.open[len(names) - 1 - names[::-1].index(token.tag) :]

    def start(self, token: _Token) -> None:
        tag = token.tag
        if tag not in ELEMENTS:
            why = CODE if tag in ACTIVE else NOT_LISTED
            kept = "" if tag in DROP_VOID else " (not its content)"
            self.report(token, f"<{tag}> element{kept}", why)
            return
        if tag == "input" and dict(token.attributes).get("type") not in INPUT_TYPES:
            self.report(token, "<input> element (only checkboxes and tabs' radio buttons)", CODE)
            return
        attributes = self.attributes(token, self.allowed_attribute)
        self.emit_start(token, attributes, void=tag in VOID)
        if tag not in VOID and not token.closed:
            classes = dict(attributes).get("class") or ""
            self.open.append((tag, classes))

    def emit_start(
        self, token: _Token, attributes: list[tuple[str, str | None]], *, void: bool
    ) -> None:
        unchanged = len(attributes) == len(token.attributes)
        plain = _PLAIN_START_TAG.fullmatch(token.text) is not None
        if unchanged and plain and (void or not token.closed):
            self.out.append(token.text)
            return
        parts = [f"<{token.tag}"]
        for name, value in attributes:
            parts.append(f" {name}" if value is None else f' {name}="{html.escape(value)}"')
        parts.append(" />" if void else ">")
        if token.closed and not void:
            parts.append(f"</{token.tag}>")
        self.out.append("".join(parts))

    def attributes(
        self, token: _Token, allowed: Callable[[_Token, str, str | None], tuple[str, str] | None]
    ) -> list[tuple[str, str | None]]:
        kept = []
        for name, value in token.attributes:
            problem = allowed(token, name, value)
            if problem is None:
                kept.append((name, value))
            else:
                self.report(token, *problem)
        return kept

    def allowed_attribute(
        self, token: _Token, name: str, value: str | None
    ) -> tuple[str, str] | None:
        """Return None when the attribute may stay, or what to report and why."""
        return attribute_problem(token.tag, name, value)

    @staticmethod
    def url_problem(name: str, value: str, tag: str) -> tuple[str, str] | None:
        url = value.translate(_IGNORED_IN_URLS)
        match = _SCHEME.match(url)
        if match is None or match[0].lower() in URL_SCHEMES:
            return None
        return f"{match[0].lower()} URL in {name} on <{tag}>", CODE

    def is_emoji(self, svg: list[_Token]) -> bool:
        """Tell whether an ``<svg>`` is one of Material's emoji icons: shapes in a twemoji span."""
        in_span = bool(self.open) and self.open[-1][0] == "span"
        return (
            in_span
            and EMOJI_CLASS in self.open[-1][1].split()
            and all(
                (token.kind in ("start", "end") and token.tag in EMOJI_ELEMENTS)
                or (token.kind == "data" and not token.text.strip())
                for token in svg
            )
        )

    def drop_element(self, tokens: list[_Token], index: int) -> int:
        """Drop an element with its content; return the next index.

        An element that is never closed loses its start tag only, so the rest of the page
        is kept (and checked).
        """
        first = tokens[index]
        self.report(first, f"<{first.tag}> element", CODE)
        last = _matching_end(tokens, index)
        return (index if last is None else last) + 1

    def emoji_token(self, token: _Token) -> None:
        if token.kind == "start":
            self.emoji_start(token)
        elif token.kind == "end":
            self.out.append(f"</{token.tag}>")
        else:
            self.out.append(html.escape(token.text, quote=False))

    def emoji_start(self, token: _Token) -> None:
        def allowed(token: _Token, name: str, value: str | None) -> tuple[str, str] | None:
            where = f"on <{token.tag}> in an emoji icon"
            if name not in EMOJI_ATTRIBUTES or (value is not None and _KEEP_MARK in value):
                return f"{name} attribute {where}", CODE if name.startswith("on") else NOT_LISTED
            if value is not None and "url(" in value.lower():
                return f"url() in {name} {where}", NOT_LISTED
            return None

        attributes = self.attributes(token, allowed)
        # In SVG a self-closed tag is closed, as html.parser reads it.
        self.emit_start(token, attributes, void=token.closed)

    def foreign_svg(self, tokens: list[_Token], index: int, last: int | None) -> int:
        """Hand an ``<svg>`` written in the note to the drawing sanitiser."""
        first = tokens[index]
        if last is None:
            # Never closed: the start tag alone is shown as the sanitiser's placeholder.
            markup = first.text
        else:
            closing = self.source.find(">", tokens[last].start)
            markup = self.source[first.start : closing + 1 if closing >= 0 else None]
        if self.svg is None or _KEEP_MARK in markup:
            self.report(first, "<svg> element", CODE)
        else:
            self.out.append(self.svg(markup, first.line, first.column))
        return (index if last is None else last) + 1


def attribute_problem(tag: str, name: str, value: str | None) -> tuple[str, str] | None:
    """Return None when the attribute may stay on ``tag``, or what to report and why."""
    if value is not None and _KEEP_MARK in value:
        return f"drawing markup in the {name} attribute of <{tag}>", NOT_LISTED
    listed = (
        name in GLOBAL_ATTRIBUTES
        or name in ELEMENT_ATTRIBUTES.get(tag, ())
        or name.startswith("aria-")
        # Material's script looks for data-md-* to find its components.
        or (name.startswith("data-") and not name.startswith("data-md-"))
    )
    if not listed:
        return f"{name} attribute on <{tag}>", CODE if name.startswith("on") else NOT_LISTED
    if tag in MEDIA and name == "src" and not _same_origin(value or ""):
        return f"src {value!r} on <{tag}> (only the site's own files play)", CODE
    if name in URL_ATTRIBUTES and value is not None:
        return _Writer.url_problem(name, value, tag)
    theirs = (value or "").startswith("__") and not (value or "").startswith(EXTENSION_NAMES)
    if name in NAME_ATTRIBUTES and theirs:
        return f"{name} attribute {value!r} on <{tag}>", THEME_NAME
    if name == "style" and not CELL_STYLE.fullmatch((value or "").strip()):
        return f"style attribute on <{tag}> (only a table cell's text-align)", NOT_LISTED
    if name == "target" and value not in LINK_TARGETS:
        return f"target attribute {value!r} on <{tag}>", NOT_LISTED
    return None


def _same_origin(url: str) -> bool:
    """Whether a URL is a path on this site: no scheme, no host, not `//host/...`."""
    url = url.translate(_IGNORED_IN_URLS)
    return _SCHEME.match(url) is None and not url.startswith(("//", "\\", "/\\"))


def _matching_end(tokens: list[_Token], index: int) -> int | None:
    """Return the index of the token that closes the element started at ``index``."""
    first = tokens[index]
    if first.closed:
        return index
    depth = 0
    for position in range(index, len(tokens)):
        token = tokens[position]
        if token.kind in ("start", "end") and token.tag == first.tag and not token.closed:
            depth += 1 if token.kind == "start" else -1
            if depth == 0:
                return position
    return None
