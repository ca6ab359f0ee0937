"""Media from other sites in a note: found with their lines, shown as labelled links.

A note may show an image from another site (``![](https://…/photo.jpg)``,
``<img src="https://…">``) or embed a player (``<iframe src="https://fast.wistia.net/…">``,
``<video src="https://…">``, ``![](https://www.youtube.com/watch?v=…)``, which Obsidian
shows as a player). The published site loads nothing from another host, and the build
must not depend on one being reachable, so each of them becomes a labelled placeholder
with a plain link to the original ("Video on wistia.net: open it on its site"). The
placeholder loads nothing itself.

Two views of the same thing, so the build and ``make check`` agree:

- ``find_external_media(text)`` reads a note's Markdown (its prose only: code, comments
  and front matter are skipped) and returns each occurrence with its line and column;
  the build logs one line per occurrence and the check reports one finding.
- ``replace_external_media(html)`` rewrites a rendered page: every such element becomes
  its placeholder. It works on the HTML so that whatever produced the element (a
  reference-style image, a transcluded note, raw HTML) is caught.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from vault_renderer.frontmatter import front_matter_end
from vault_renderer.syntax import ProseMap

__all__ = [
    "ExternalMedia",
    "find_external_media",
    "is_external_url",
    "placeholder_html",
    "replace_external_media",
]

# What an embed from a host shows, by the host's domain (a subdomain counts): Obsidian
# turns `![](https://www.youtube.com/watch?v=…)` into a player, and a page's <iframe>
# names only a URL. Anything else is an "image" (from ![](…) or <img>) or an
# "embedded page" (from <iframe>, <object>, <embed>).
MEDIA_HOSTS = {
    "dailymotion.com": "video",
    "loom.com": "video",
    "ted.com": "video",
    "twitch.tv": "video",
    "vimeo.com": "video",
    "wistia.com": "video",
    "wistia.net": "video",
    "youtu.be": "video",
    "youtube-nocookie.com": "video",
    "youtube.com": "video",
    "soundcloud.com": "audio",
    "spotify.com": "audio",
    "twitter.com": "post",
    "x.com": "post",
}
# A player's address is not a page a reader can open: the video's own page is.
# (pattern over the URL, the page's URL with the pattern's groups.)
WATCH_PAGES = (
    (
        re.compile(r"https?://(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]+)", re.I),
        "https://www.youtube.com/watch?v={0}",
    ),
    (re.compile(r"https?://player\.vimeo\.com/video/(\d+)", re.I), "https://vimeo.com/{0}"),
)
# How each kind is named in its placeholder.
KIND_LABELS = {
    "image": "Image",
    "video": "Video",
    "audio": "Audio",
    "post": "Post",
    "page": "Embedded page",
}
LINK_TEXT = "open it on its site"

# Elements that load what their URL attribute names; <source> belongs to its player.
_URL_ATTRIBUTE = {
    "img": "src",
    "iframe": "src",
    "video": "src",
    "audio": "src",
    "embed": "src",
    "object": "data",
}
_TAG_KIND = {"img": "image", "video": "video", "audio": "audio"}
# Elements with content up to their end tag (the rest are void).
_WITH_CONTENT = frozenset(("iframe", "video", "audio", "object"))
_START_TAG = re.compile(r"<(?P<tag>img|iframe|video|audio|embed|object)\b[^>]*>", re.I)
_SOURCE_TAG = re.compile(r"<source\b[^>]*>", re.I)
_ANCHOR_TAG = re.compile(r"<(?P<end>/?)a\b[^>]*>", re.I)
# An inline Markdown image: `![alt](url "title")`, the URL optionally in <...>.
_MARKDOWN_IMAGE = re.compile(
    r"!\[(?P<alt>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"\(\s*(?:<(?P<angled>[^>\n]*)>|(?P<url>[^\s()]*(?:\([^\s()]*\)[^\s()]*)*))"
    r"(?:\s+(?:\"(?P<title>[^\"]*)\"|'[^']*'))?\s*\)"
)
# A reference-style image, `![alt][label]`, `![alt][]` or `![alt]`, and the definitions
# it names, `[label]: url`.
_REFERENCE_IMAGE = re.compile(r"!\[(?P<alt>[^\[\]\n]*)\](?:\[(?P<label>[^\[\]\n]*)\])?(?![(\[])")
_DEFINITION = re.compile(r"^[ ]{0,3}\[(?P<label>[^\[\]\n]+)\]:[ \t]*<?(?P<url>[^\s>]+)>?", re.M)
# Whether a note may hold any of them at all: most notes do not, and skip the full scan.
_CANDIDATE = re.compile(
    r"!\[[^\n]*?\]\(\s*<?(?:https?:)?//|<(?:img|iframe|video|audio|embed|object)\b"
    r"|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?(?:https?:)?//",
    re.I | re.M,
)
# Obsidian's `![alt|100x145](url)`: the size is not part of the name.
_SIZE_SUFFIX = re.compile(r"(?:^|\|)\s*\d+(?:x\d+)?\s*$")


@dataclass(frozen=True, slots=True)
class ExternalMedia:
    """One image, player or embedded page from another site.

    Attributes:
        kind: ``image``, ``video``, ``audio``, ``post`` or ``page``.
        url: The address as written (decoded from HTML).
        name: The author's name for it (alt text or title), may be empty.
        start: Where it starts in the scanned text.
        end: Where it ends in the scanned text.
        line: 1-based line where it starts.
        column: 1-based column.
    """

    kind: str
    url: str
    name: str = ""
    start: int = 0
    end: int = 0
    line: int = 1
    column: int = 1

    @property
    def host(self) -> str:
        """The host shown to the reader: a known provider's domain, else the host name."""
        host = (urlsplit(_absolute(self.url)).hostname or "").lower()
        provider = _provider(host)
        if provider is not None:
            return provider
        return host.removeprefix("www.")

    @property
    def label(self) -> str:
        """What the reader is told was here, e.g. ``Video on wistia.net``."""
        return f"{KIND_LABELS[self.kind]} on {self.host}"

    @property
    def link(self) -> str:
        """Where the placeholder links: the original, or the video's own page for a player."""
        url = _absolute(self.url)
        for pattern, page in WATCH_PAGES:
            match = pattern.match(url)
            if match is not None:
                return page.format(*match.groups())
        return url

    @property
    def message(self) -> str:
        """The build's log line and the check's finding, without the location."""
        return (
            f"{self.label[0].lower()}{self.label[1:]} ({self.url}) is shown as a link to its"
            " site: the site loads nothing from other hosts"
        )


def is_external_url(url: str) -> bool:
    """Tell whether a URL names another site (``http(s)://`` or protocol-relative ``//``)."""
    url = url.strip()
    return url.startswith("//") or url[:8].lower().startswith(("http://", "https://"))


def find_external_media(text: str) -> list[ExternalMedia]:
    """List the media from other sites a note shows, with their lines.

    Args:
        text: The note's file text (with its front matter, so lines match the file).

    Returns:
        Markdown images and HTML elements (``img``, ``iframe``, ``video``, ``audio``,
        ``embed``, ``object``) whose address is on another site, in document order.
        Code, comments and the front matter are skipped.
    """
    if _CANDIDATE.search(text) is None:
        return []
    prose = ProseMap.of(text)
    hidden = [(0, front_matter_end(text)), *prose.code, *prose.comments]
    masked = list(text)
    for start, end in hidden:
        for offset in range(start, end):
            if masked[offset] != "\n":
                masked[offset] = " "
    source = "".join(masked)
    found = [*_markdown_images(source), *_html_media(source)]
    found.sort(key=lambda media: media.start)
    located = []
    for media in found:
        line, column = prose.position(media.start)
        located.append(
            ExternalMedia(media.kind, media.url, media.name, media.start, media.end, line, column)
        )
    return located


def replace_external_media(page_html: str) -> tuple[str, list[ExternalMedia]]:
    """Replace every image, player and embedded page from another site with its placeholder.

    Args:
        page_html: A rendered page.

    Returns:
        The page and what was replaced, in document order. A page without any comes
        back unchanged.
    """
    if "//" not in page_html:
        return page_html, []
    found = list(_html_media(page_html))
    if not found:
        return page_html, []
    anchors = [(m.start(), bool(m["end"])) for m in _ANCHOR_TAG.finditer(page_html)]
    pieces = []
    position = 0
    for media in found:
        pieces.append(page_html[position : media.start])
        pieces.append(placeholder_html(media, linked=not _inside_link(anchors, media.start)))
        position = media.end
    pieces.append(page_html[position:])
    return "".join(pieces), found


def placeholder_html(media: ExternalMedia, *, linked: bool = True) -> str:
    """The placeholder shown instead of ``media``: its label and a plain link to the original.

    Args:
        media: What is not shown.
        linked: Whether to add the link; not when the placeholder sits inside a link
            already (an image that is itself a link), since links cannot nest.
    """
    name = f" “{html.escape(media.name)}”" if media.name else ""
    label = f'<span class="vault-external-label">{html.escape(media.label)}{name}</span>'
    link = (
        f': <a class="vault-external-link" href="{html.escape(media.link)}">{LINK_TEXT}</a>'
        if linked
        else ""
    )
    return f'<span class="vault-external vault-external-{media.kind}">{label}{link}</span>'


def _absolute(url: str) -> str:
    url = url.strip()
    return f"https:{url}" if url.startswith("//") else url


def _provider(host: str) -> str | None:
    parts = host.split(".")
    for index in range(len(parts) - 1):
        domain = ".".join(parts[index:])
        if domain in MEDIA_HOSTS:
            return domain
    return None


def _kind(tag: str, url: str) -> str:
    host = (urlsplit(_absolute(url)).hostname or "").lower()
    provider = _provider(host)
    if provider is not None:
        return MEDIA_HOSTS[provider]
    return _TAG_KIND.get(tag, "page")


def _markdown_images(source: str) -> list[ExternalMedia]:
    found = []
    for match in _MARKDOWN_IMAGE.finditer(source):
        url = match["angled"] if match["angled"] is not None else match["url"]
        if not is_external_url(url):
            continue
        name = _SIZE_SUFFIX.sub("", match["alt"]).strip()
        found.append(ExternalMedia(_kind("img", url), url, name, match.start(), match.end()))
    definitions = {}
    for match in _DEFINITION.finditer(source):
        # The first definition of a label wins, as in Markdown.
        definitions.setdefault(_label_key(match["label"]), match["url"])
    if not definitions:
        return found
    for match in _REFERENCE_IMAGE.finditer(source):
        url = definitions.get(_label_key(match["label"] or match["alt"]))
        if url is None or not is_external_url(url):
            continue
        name = _SIZE_SUFFIX.sub("", match["alt"]).strip()
        found.append(ExternalMedia(_kind("img", url), url, name, match.start(), match.end()))
    return found


def _label_key(label: str) -> str:
    return " ".join(label.split()).casefold()


def _html_media(source: str) -> list[ExternalMedia]:
    found = []
    position = 0
    while (match := _START_TAG.search(source, position)) is not None:
        tag = match["tag"].lower()
        attributes = _attributes(match[0])
        end = match.end()
        if tag in _WITH_CONTENT and not match[0].endswith("/>"):
            closing = re.compile(rf"</{tag}\s*>", re.I).search(source, end)
            if closing is not None:
                end = closing.end()
        url = attributes.get(_URL_ATTRIBUTE[tag]) or ""
        if not url and tag in ("video", "audio"):
            # A player's sources may be its <source> children instead.
            for source_tag in _SOURCE_TAG.finditer(source, match.end(), end):
                url = _attributes(source_tag[0]).get("src") or ""
                if url:
                    break
        if is_external_url(url):
            alt = _SIZE_SUFFIX.sub("", attributes.get("alt") or "")
            name = attributes.get("title") or alt
            found.append(ExternalMedia(_kind(tag, url), url, name.strip(), match.start(), end))
            position = end
        else:
            position = match.end()
    return found


class _TagReader(HTMLParser):
    """Reads the attributes of one start tag, as a browser would."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.attributes:
            self.attributes = {name: value or "" for name, value in attrs}

    handle_startendtag = handle_starttag


def _attributes(tag: str) -> dict[str, str]:
    reader = _TagReader()
    reader.feed(tag)
    reader.close()
    return reader.attributes


def _inside_link(anchors: list[tuple[int, bool]], offset: int) -> bool:
    depth = 0
    for start, closing in anchors:
        if start >= offset:
            break
        depth = max(0, depth - 1) if closing else depth + 1
    return depth > 0
