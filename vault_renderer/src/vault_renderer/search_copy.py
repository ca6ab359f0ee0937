"""What the search plugin reads of a page: its HTML without the parts it would only skip.

MkDocs' and Material's search plugins index a page by running ``html.parser`` over its
whole HTML, one handler call per tag and a regex per attribute. Two parts of a vault
page cost that parse without giving the index anything a shorter text would not:

* a drawing's inline SVG: hundreds of tags with many attributes, around a few labels.
  Its copy keeps ``<svg>``, ``</svg>`` and the text between its tags, each piece apart
  (``<!---->``, a comment the parsers ignore, stands where a tag was), so the labels
  are indexed exactly as before and a drawing's text is still found;
* the "Linked from" list, which Material's search skips (``data-search-exclude``): its
  copy is the same ``<aside>`` with nothing inside;
* on a sanitised page, an inline element holding only text (a link, a tag, a
  highlighted token of code): the parsers do nothing with its tags but push and pop
  them, so its copy is its text between two ``<!---->``.

Everything else is copied as it is, so the index built from the copy is the index the
page itself gives. Only the indexer sees the copy: the page keeps its HTML.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

__all__ = ["SearchParts", "drawing_search_text", "index_search_copies", "search_copy"]

# The backlinks' opening tag as `report.backlinks_html` writes it.
BACKLINKS_OPEN = '<aside class="vault-backlinks" data-search-exclude>'
_BACKLINKS_ITEMS = re.compile(
    r'<p class="vault-backlinks-title">Linked from</p>'
    r'<ul>(?:<li><a href="[^"<>]*">[^<]*</a></li>)*</ul>'
)
_SEPARATOR = "<!---->"
# An inline element the parsers only push and pop, holding text only (`code`, `sub`
# and `sup` are kept as markup in the index; a heading's permalink is not indexed).
_INLINE_TEXT = re.compile(
    r"<(?P<tag>a|abbr|b|bdi|cite|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span|strong|time"
    r"|u|var)(?![^>]*headerlink)(?:\s[^<>]*)?>(?P<text>[^<]+)</(?P=tag)>"
)
# What would make an element's tags matter after all: a comment (the copy's separators
# would end it), raw-text elements, and blocks the parser skips by their tag name.
_UNWRAP_BLOCKERS = re.compile(
    r"<!|<(?:script|style|textarea|title|xmp|plaintext|noscript)\b|linenodiv", re.I
)
# A tag as the drawing sanitiser writes one: quoted attribute values, no `>` loose.
_TAG = re.compile(r"""<(?P<end>/?)(?P<name>[A-Za-z][^\s/>]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")
_SVG = re.compile(r"<svg[\s>]")
# Elements and attributes the search parsers give a meaning to (a heading starts a
# section, `pre` keeps whitespace, `p`/`li`/... are kept as markup, `script` and
# `style` are skipped, `a.headerlink` is a heading's permalink, `data-search-exclude`
# and `linenodiv` hide a block): an SVG holding one is indexed from its own markup.
_MEANINGFUL = frozenset((
    "a", "code", "h1", "h2", "h3", "h4", "h5", "h6", "hx", "li", "object", "ol", "p",
    "pre", "script", "style", "sub", "sup", "ul",
))  # fmt: skip
_MEANINGFUL_ATTRIBUTE = re.compile(r"data-search-(?!exclude)|linenodiv|headerlink")
_EXCLUDE = "data-search-exclude"
_ATTRIBUTE = re.compile(r"""\s*([^\s=/>]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?""")


@dataclass(frozen=True)
class SearchParts:
    """What the plugin put in a page that the page's search copy may leave out.

    Attributes:
        drawings: The HTML of each drawing shown on the page (``page_drawings``); one
            not found in the page as it is (another plugin changed it) stays whole.
        backlinks: Whether the plugin ended the page with its "Linked from" list.
        sanitized: Whether the page sanitiser wrote the page (no ``>`` inside a tag, no
            raw-text elements): only then are inline elements unwrapped.
    """

    drawings: tuple[str, ...] = ()
    backlinks: bool = False
    sanitized: bool = False


def drawing_search_text(svg: str, *, skips_excluded: bool) -> str | None:
    """What an ``<svg>`` element gives the search index, in far fewer tags.

    Args:
        svg: One ``<svg>`` element's markup, from ``<svg`` to its ``</svg>``.
        skips_excluded: Whether the indexer skips elements marked
            ``data-search-exclude`` (a drawing's ``<desc>``): then their text is left out.

    Returns:
        ``<svg>`` and ``</svg>`` around the text between its tags, each piece apart, or
        None when the markup is not a balanced SVG of tags and text the search parsers
        treat alike (then the whole markup must be indexed).
    """
    if _MEANINGFUL_ATTRIBUTE.search(svg) or not svg.startswith("<svg"):
        return None
    texts: list[str] = []
    open_tags: list[str] = []
    excluded_from: int | None = None  # depth of the excluded element being skipped
    position = 0
    while position < len(svg):
        opening = svg.find("<", position)
        if opening < 0:
            return None  # text after </svg>: not one element
        if opening > position and excluded_from is None:
            texts.append(svg[position:opening])
        tag = _TAG.match(svg, opening)
        if tag is None:
            return None  # a comment, CDATA or a stray `<`
        name = tag["name"].lower()
        if name in _MEANINGFUL:
            return None
        if tag["end"]:
            if not open_tags or open_tags.pop() != name:
                return None
            if excluded_from is not None and len(open_tags) < excluded_from:
                excluded_from = None
        elif not tag[0].endswith("/>"):
            open_tags.append(name)
            if excluded_from is None and skips_excluded and _is_excluded(tag[0]):
                excluded_from = len(open_tags)
        position = tag.end()
        if not open_tags:
            break
    if position != len(svg):
        return None
    return "<svg>" + _SEPARATOR.join(texts) + "</svg>"


def _is_excluded(tag: str) -> bool:
    """Whether a start tag has the ``data-search-exclude`` attribute (not just the text)."""
    if _EXCLUDE not in tag:
        return False
    body = tag[1 + len(_TAG.match(tag)["name"]) : -1]  # type: ignore[index]
    return any(found[1] == _EXCLUDE for found in _ATTRIBUTE.finditer(body))


def search_copy(content: str, parts: SearchParts, *, skips_excluded: bool) -> str:
    """The page's HTML as the search plugin needs it (see the module's docstring).

    Args:
        content: The page's HTML.
        parts: What the plugin put in it.
        skips_excluded: Whether the indexer skips ``data-search-exclude`` blocks
            (Material's does, MkDocs' own does not): only then are they left out.

    Returns:
        The copy; ``content`` itself when nothing in it can be left out.
    """
    for drawing in dict.fromkeys(parts.drawings):
        if drawing in content:
            copy = _drawing_copy(drawing, skips_excluded=skips_excluded)
            content = content.replace(drawing, copy)
    if parts.backlinks and skips_excluded:
        start = content.rfind(BACKLINKS_OPEN)
        end = content.find("</aside>", start)
        inner = content[start + len(BACKLINKS_OPEN) : end]
        # Only the list as the plugin writes it: other markup might not end where it ends.
        if start >= 0 and end >= 0 and _BACKLINKS_ITEMS.fullmatch(inner):
            content = content[: start + len(BACKLINKS_OPEN)] + content[end:]
    if parts.sanitized and _unwraps(content):
        content = _INLINE_TEXT.sub(rf"{_SEPARATOR}\g<text>{_SEPARATOR}", content)
    return content


def _unwraps(content: str) -> bool:
    """Whether unwrapping inline elements leaves the index as it is.

    Material's parser skips an element marked ``data-search-exclude`` until an element
    with the same tag name ends: only the emptied backlinks (an ``<aside>``) may be one.
    """
    if content.count(_EXCLUDE) != content.count(BACKLINKS_OPEN):
        return False
    # The separators standing for a drawing's tags are the copy's own comments.
    return _UNWRAP_BLOCKERS.search(content.replace(_SEPARATOR, "")) is None


# A drawing is on its own page and on each page that embeds it: its copy is made once.
@functools.lru_cache(maxsize=256)
def _drawing_copy(drawing: str, *, skips_excluded: bool) -> str:
    pieces: list[str] = []
    position = 0
    while (match := _SVG.search(drawing, position)) is not None:
        end = drawing.find("</svg>", match.start())
        if end < 0:
            break
        end += len("</svg>")
        svg = drawing[match.start() : end]
        pieces += [
            drawing[position : match.start()],
            drawing_search_text(svg, skips_excluded=skips_excluded) or svg,
        ]
        position = end
    pieces.append(drawing[position:])
    return "".join(pieces)


def index_search_copies(
    config: MkDocsConfig, fragments: Callable[[Page], SearchParts | None]
) -> None:
    """Have the build's search plugin index each page's copy instead of its HTML.

    The search plugins index a page in their ``on_page_context`` and read nothing else
    of it there; the copy is put in the page for that one call and the page's own HTML
    is put back before anything else runs (Material's plugin then edits the HTML).

    Args:
        config: The build's config, with its plugins.
        fragments: For a page, what the plugin put in it; None for a page it did not
            render.
    """
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        add_entry = getattr(index, "add_entry_from_context", None)
        if add_entry is None or getattr(add_entry, "indexes_copies", False):
            continue
        # Material's parser skips `data-search-exclude` blocks; MkDocs' indexes them.
        skips_excluded = type(plugin).__module__.startswith("material.")
        index.add_entry_from_context = _indexing_copies(add_entry, fragments, skips_excluded)


def _indexing_copies(
    add_entry: Callable[[Page], Any],
    fragments: Callable[[Page], SearchParts | None],
    skips_excluded: bool,
) -> Callable[[Page], Any]:
    def add_entry_from_copy(page: Page) -> Any:
        parts = fragments(page)
        search = page.meta.get("search")
        if (
            parts is None
            or page.content is None
            or (isinstance(search, dict) and search.get("exclude"))
        ):
            # Nothing to leave out, or a page the indexer skips (a drawing's full-size
            # view): it reads the page itself.
            return add_entry(page)
        content = page.content
        page.content = search_copy(content, parts, skips_excluded=skips_excluded)
        try:
            return add_entry(page)
        finally:
            page.content = content

    add_entry_from_copy.indexes_copies = True  # type: ignore[attr-defined]
    return add_entry_from_copy
