"""Links in a note: finding them, parsing them and resolving them against the vault.

These are the plain functions every tool shares: the Markdown extension renders with
them, the MkDocs plugin builds backlinks and the unresolved-links report with them, and
``make check`` reports with them, so all three agree on what a link means.
"""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote, unquote, urlsplit

from vault_renderer.frontmatter import front_matter_end
from vault_renderer.syntax import ProseMap
from vault_renderer.vault import Vault, VaultFile

__all__ = [
    "LinkKind",
    "LinkOccurrence",
    "Resolution",
    "WikiLink",
    "find_links",
    "is_file_link",
    "page_href",
    "parse_wikilink",
    "resolve_link",
]

_WIKILINK = re.compile(r"(?P<embed>!?)\[\[(?P<inner>[^\[\]\n]+?)\]\]")
# An inline Markdown link or image: `[text](dest "title")`, dest optionally in <...>.
_MARKDOWN_LINK = re.compile(
    r"(?P<embed>!?)\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"\(\s*(?:<(?P<angled>[^>\n]*)>|(?P<dest>[^\s()]*(?:\([^\s()]*\)[^\s()]*)*))"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
_SIZE = re.compile(r"^(?P<width>\d+)(?:x(?P<height>\d+))?$")


class LinkKind(StrEnum):
    """What kind of link an occurrence is."""

    WIKILINK = "wikilink"
    EMBED = "embed"
    MARKDOWN = "markdown"


@dataclass(frozen=True)
class WikiLink:
    """The parts of ``[[target#heading|label]]`` or ``[[target#^block|label]]``.

    Attributes:
        target: The file part (empty for a link within the page).
        heading: The heading part, without ``#`` (the last one of ``#A#B``).
        block: The block id, without ``#^``.
        label: The text after ``|``; for an embed it may be a size such as ``300x200``.
    """

    target: str
    heading: str | None = None
    block: str | None = None
    label: str | None = None

    @property
    def size(self) -> tuple[int, int | None] | None:
        """The ``|300`` or ``|300x200`` size of an image embed, if the label is one."""
        match = _SIZE.match(self.label or "")
        if match is None:
            return None
        return int(match["width"]), int(match["height"]) if match["height"] else None

    @property
    def subpath(self) -> str | None:
        """The part after ``#`` as written for a file: ``icon``, ``page=3``, ``^block``."""
        if self.heading is not None:
            return self.heading
        return f"^{self.block}" if self.block is not None else None

    def default_label(self) -> str:
        """The text Obsidian shows when the link has no ``|label``."""
        suffix = (
            self.heading if self.heading is not None else (f"^{self.block}" if self.block else None)
        )
        if not self.target:
            return suffix or ""
        return f"{self.target} > {suffix}" if suffix else self.target


# The link scan and the renderer parse each link of a build.
@functools.lru_cache(maxsize=16384)
def parse_wikilink(inner: str) -> WikiLink:
    """Parse the text between ``[[`` and ``]]``.

    Args:
        inner: For example ``"Note#Heading|label"``. A ``\\|`` (escaped inside a table)
            counts as the label separator.

    Returns:
        The parsed link.
    """
    inner = inner.replace("\\|", "|")
    destination, _, label = inner.partition("|")
    target, _, fragment = destination.partition("#")
    heading = block = None
    if fragment:
        # `[[Note#A#B]]` names heading B under A; the page's id is B's.
        last = fragment.split("#")[-1].strip()
        if last.startswith("^"):
            block = last[1:]
        else:
            heading = last
    return WikiLink(target.strip(), heading, block, label.strip() or None)


@dataclass(frozen=True)
class LinkOccurrence:
    """One link in a note, where it is and what it says.

    Attributes:
        kind: Wikilink, embed or Markdown link.
        raw: The link as written.
        link: The parsed target (for Markdown links: the unquoted path, the anchor as
            heading, the text as label).
        line: 1-based line in the file.
        column: 1-based column in the line.
    """

    kind: LinkKind
    raw: str
    link: WikiLink
    line: int
    column: int


def find_links(text: str, *, include_markdown: bool = True) -> list[LinkOccurrence]:
    """List every link of a note with its line and column.

    Links inside fenced code, code spans, comments and the front matter are skipped;
    Markdown links are only those to local files (no scheme, no ``mailto:``).

    Args:
        text: The note's file text (with its front matter, so lines match the file).
        include_markdown: Whether to include ``[text](path)`` links and images.

    Returns:
        The links in document order.
    """
    prose = ProseMap.of(text)
    body_start = front_matter_end(text)
    found: list[tuple[int, LinkOccurrence]] = []
    for match in prose.finditer(_WIKILINK):
        if match.start() < body_start:
            continue
        kind = LinkKind.EMBED if match["embed"] else LinkKind.WIKILINK
        found.append(
            (match.start(), _occurrence(prose, match, kind, parse_wikilink(match["inner"])))
        )
    if include_markdown:
        for match in prose.finditer(_MARKDOWN_LINK):
            destination = match["angled"] if match["angled"] is not None else match["dest"]
            link = _markdown_target(destination, match["text"])
            if match.start() < body_start or link is None:
                continue
            kind = LinkKind.EMBED if match["embed"] else LinkKind.MARKDOWN
            found.append((match.start(), _occurrence(prose, match, kind, link)))
    return [occurrence for _, occurrence in sorted(found, key=lambda item: item[0])]


@dataclass(frozen=True)
class Resolution:
    """What a link resolves to, if anything (see ``resolve_link``).

    Attributes:
        file: The target file, or None when the vault has no such file.
        anchor: The element id to link to, when the link names a heading or block.
        problem: Why the link (or its heading or block) did not resolve.
        suggestions: What to write instead, for "did you mean" hints, closest first:
            link texts of close files when the file is missing; the texts of close
            headings when a wikilink's heading is (their ids for a Markdown link).
    """

    file: VaultFile | None
    anchor: str | None = None
    problem: str | None = None
    suggestions: tuple[str, ...] = ()

    @property
    def resolved(self) -> bool:
        """Whether the target file exists (a missing heading still links to the note)."""
        return self.file is not None


def resolve_link(
    vault: Vault, link: WikiLink, source: str, *, markdown: bool = False, suggest: bool = True
) -> Resolution:
    """Resolve a parsed link from the note at ``source``.

    Args:
        vault: The vault.
        link: The parsed link.
        source: The linking note's site path (links within the page resolve to it).
        markdown: Whether it is a Markdown link (its path is relative to ``source``).
        suggest: Whether to look for "did you mean" names when the file is missing
            (renderers that only mark the link skip the search).

    Returns:
        The file and the id to link to. A missing file gives ``file=None``, the
        problem and "did you mean" suggestions; a missing heading or block keeps the
        file, drops the anchor, names the problem and suggests close headings. A
        Markdown link's ``#id`` that is neither a heading's nor an id the note sets
        keeps its anchor as written (the rendered page may have ids the note's text
        does not show, and MkDocs checks those) but still names the problem.
    """
    if not link.target:
        file = vault.files.get(source)
    elif markdown:
        file = vault.resolve_relative(link.target, source)
    else:
        file = vault.resolve(link.target, source)
    if file is None:
        suggestions = tuple(vault.suggestions(link.target)) if suggest else ()
        return Resolution(None, problem="unresolved link", suggestions=suggestions)
    if not file.is_note:
        # `![[shot.png#interface]]`, `![[paper.pdf#page=3]]`: Obsidian shows the file
        # and leaves the subpath to the viewer or the vault's CSS; it names no heading.
        return Resolution(file)
    if link.block is not None:
        if link.block in file.block_ids:
            return Resolution(file, f"^{link.block}")
        return Resolution(file, problem=f"no block ^{link.block} in {file.site_path}")
    if link.heading:
        heading = file.heading(link.heading, vault.slugify)
        if heading is not None:
            return Resolution(file, heading.id)
        if markdown and link.heading in file.element_ids:
            return Resolution(file, link.heading)
        close = file.close_headings(link.heading, by_id=markdown) if suggest else []
        return Resolution(
            file,
            link.heading if markdown else None,
            f"no heading #{link.heading} in {file.site_path}",
            tuple(h.id if markdown else h.text for h in close),
        )
    return Resolution(file)


# A file name's extension (`.md`, `.png`, `.pdf`), not the end of a name like `v1.2 a`.
_FILE_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")


def is_file_link(path: str) -> bool:
    """Whether a Markdown link's (unquoted) path names a vault file: it has an extension.

    ``Note.md``, ``shot.png`` and ``paper.pdf`` do; ``folder/`` and ``Link URL`` do not
    (MkDocs judges those itself).
    """
    return _FILE_EXTENSION.search(posixpath.basename(path)) is not None


def page_href(source: str, target: str, anchor: str | None = None) -> str:
    """Return the relative, percent-encoded link from one site path to another.

    MkDocs turns ``.md`` links into page URLs and checks them, so links are made to the
    target's source path, e.g. ``../07%20Compute/07-01%20EC2%20Overview.md#instance-types``.
    """
    folder, name = posixpath.split(target)
    href = _quoted_name(name)
    if source != target:
        start = posixpath.dirname(source)
        if ".." in source or ".." in target or name in ("", ".") or name in start.split("/"):
            # A path that climbs, or a target whose name is a folder on the way: the
            # folder shortcut below would not see that, the full computation does.
            href = quote(posixpath.relpath(target, start or "."), safe="/")
        else:
            href = _folder_href(start, folder) + href
    return f"{href}#{quote(anchor, safe='^')}" if anchor else href


# Each note is linked to from several pages.
_quoted_name = functools.lru_cache(maxsize=16384)(quote)


# A site has few folders and many links between them: the way from one folder to
# another is worked out once per pair, not once per link.
@functools.lru_cache(maxsize=4096)
def _folder_href(source_folder: str, target_folder: str) -> str:
    relative = posixpath.relpath(target_folder or ".", source_folder or ".")
    return "" if relative == "." else quote(relative, safe="/") + "/"


def _occurrence(
    prose: ProseMap, match: re.Match[str], kind: LinkKind, link: WikiLink
) -> LinkOccurrence:
    line, column = prose.position(match.start())
    return LinkOccurrence(kind, match[0], link, line, column)


def _markdown_target(destination: str, text: str) -> WikiLink | None:
    parts = urlsplit(destination)
    if parts.scheme or parts.netloc or destination.startswith("//"):
        return None
    path = unquote(parts.path)
    anchor = unquote(parts.fragment) or None
    if not path and not anchor:
        return None
    block = anchor[1:] if anchor and anchor.startswith("^") else None
    return WikiLink(path, None if block else anchor, block, text or None)
