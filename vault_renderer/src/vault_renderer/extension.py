"""The Obsidian syntax of one note as a Python-Markdown extension.

``ObsidianExtension`` renders wikilinks, embeds and transclusions, callouts,
``==highlights==``, ``%%comments%%``, inline ``#tags``, ``^block`` ids, Markdown links with
``%20`` paths, and inline ``<svg>`` drawings. It needs only a ``Vault`` and the path of
the note being rendered, so it works in any Python-Markdown pipeline; the MkDocs plugin
creates one per build and updates ``note_path`` before each page.

Problems found while rendering (an embed cycle, a drawing's warnings) go to ``report``;
problems with links are reported by ``vault_renderer.report`` from the whole vault, so
each is logged once with its line.
"""

from __future__ import annotations

import html
import logging
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.extensions.wikilinks import WikiLinksInlineProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import STX, AtomicString

from vault_renderer.callouts import CalloutProcessor
from vault_renderer.drawing_pages import drawing_title
from vault_renderer.drawings import move_data_images
from vault_renderer.embeds import (
    AUDIO_SUFFIXES,
    IMAGE_SUFFIXES,
    PDF_SUFFIXES,
    VIDEO_SUFFIXES,
    DrawingEmbedder,
    DrawingHtml,
    drawing_kind,
    inline_svg,
)
from vault_renderer.frontmatter import parse_front_matter
from vault_renderer.links import (
    Resolution,
    WikiLink,
    is_file_link,
    page_href,
    parse_wikilink,
    resolve_link,
)
from vault_renderer.syntax import ProseMap, find_inline_tags, remove_comments
from vault_renderer.vault import BLOCK_ID, Vault, VaultFile, extract_headings

__all__ = [
    "UNRESOLVED_TITLE",
    "ObsidianExtension",
    "Problem",
    "makeExtension",
    "note_section",
]

UNRESOLVED_TITLE = "This note is not written yet"
APP_LINK_TITLE = "A link that opens the Obsidian app"
MISSING_FILE_TITLE = "This file is not in the vault yet"
_log = logging.getLogger("mkdocs.plugins.vault_renderer")


@dataclass(frozen=True)
class Problem:
    """Something a contributor should fix in a note, found while rendering it.

    Attributes:
        path: The note's site path.
        message: What is wrong.
        line: 1-based line in the note's file, when known.
        missing: Whether it is about something not in the vault yet (an embedded file
            of a drawing), which a vault still being written expects; such problems are
            logged at the plugin's ``unresolved_link_level``.
    """

    path: str
    message: str
    line: int | None = None
    missing: bool = False

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


def _log_problem(problem: Problem) -> None:
    _log.warning(str(problem))


class ObsidianExtension(Extension):
    """Obsidian syntax for the notes of one vault.

    Args:
        vault: The vault the links resolve in.
        note_path: Site path of the note being rendered (update it before each note).
        drawings: Renders drawing embeds; without it they are linked. Inline SVG is
            always sanitised.
        read_text: Reads a note's text, for transclusion; without it notes are linked.
        transclusion_depth: How deep ``![[Note]]`` may nest before it becomes a link.
        report: Receives the problems found while rendering.

    Attributes:
        drawing_css: The CSS of every drawing rendered so far (see ``DrawingHtml.css``):
            a strict CSP keeps it out of the page, so whoever publishes the pages must
            serve it as a stylesheet (``drawing_stylesheet``).
        page_url: The URL of the page being rendered, relative to the site root (update
            it with ``note_path``). When set, drawings' ``data:`` images, which a strict
            CSP blocks too, are moved to ``drawing_images`` and linked relative to it;
            when None they stay inline.
        drawing_images: ``site path -> bytes`` of every image moved out of a drawing so
            far (see ``move_data_images``): whoever publishes the pages must write them.
        page_drawings: The HTML of each drawing shown on the page being rendered (clear
            it with ``note_path``), for the page sanitiser to keep as it is.
        file_pages: ``site path of a file that is not a note -> site path of its page``
            (the page made for a drawing no note embeds): links to the file go there.
        page_links: ``href -> site path`` of each link to another file written on the
            page being rendered (``page_link``), emptied with each new ``Markdown``: what
            a host that turns those paths into URLs may answer without resolving them
            again (``resolved_links``).
        resolutions: ``(linking note's site path, wikilink) -> Resolution`` from a scan
            of the vault's links (``report.scan_vault``): what the wikilinks resolve to
            without resolving them again.
    """

    def __init__(
        self,
        vault: Vault,
        note_path: str = "",
        *,
        drawings: DrawingEmbedder | None = None,
        read_text: Callable[[VaultFile], str | None] | None = None,
        transclusion_depth: int = 3,
        report: Callable[[Problem], None] = _log_problem,
    ) -> None:
        super().__init__()
        self.vault = vault
        self.note_path = note_path
        self.drawings = drawings
        self.read_text = read_text
        self.transclusion_depth = transclusion_depth
        self.report = report
        self.drawing_css: set[str] = set()
        self.page_url: str | None = None
        self.drawing_images: dict[str, bytes] = {}
        self.page_drawings: list[str] = []
        self.file_pages: dict[str, str] = {}
        self.page_links: dict[str, str] = {}
        self.resolutions: dict[tuple[str, WikiLink], Resolution] = {}
        # The notes being transcluded, innermost last: their links resolve from them.
        self.stack: list[str] = []
        # What each of those shows, ``(site path, "#Heading" or "#^block" or "")``:
        # only showing the same part again is a cycle (see ``transclude``).
        self.sections: list[tuple[str, str]] = []

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # After snippets (32) and whitespace normalising (30), before fenced code (25)
        # and raw HTML blocks (20), so comments never reach either and inline SVG is
        # sanitised before it could pass through as raw HTML.
        md.preprocessors.register(ObsidianPreprocessor(md, self), "obsidian", 27)
        # Callouts before the blockquote processor (20); embeds alone on their lines
        # before paragraphs (10), so a transcluded note is not wrapped in `<p>`.
        md.parser.blockprocessors.register(CalloutProcessor(md.parser), "obsidian_callout", 21)
        md.parser.blockprocessors.register(
            EmbedBlockProcessor(md.parser, self), "obsidian_embed", 75
        )
        # Wikilinks and embeds before escapes (180) so `[[a\|b]]` in a table keeps its
        # label, and before reference links (170) that would read `[Note]` as a reference.
        # One pattern for both: Python-Markdown tries each pattern on every text node.
        labels = PlainLabelTreeprocessor(md)
        md.inlinePatterns.register(
            WikilinkInlineProcessor(self, md, labels), "obsidian_wikilink", 185
        )
        md.inlinePatterns.register(HighlightInlineProcessor(md), "obsidian_highlight", 65)
        # Right after inline processing (20), before anything reads the labels' text.
        md.treeprocessors.register(labels, "obsidian_plain_labels", 19)
        # After inline processing (20) and before toc (5), which collects the ids that
        # MkDocs checks anchors against; Markdown links before MkDocs' relpath (0).
        md.treeprocessors.register(
            MarkdownLinkTreeprocessor(md, self), "obsidian_markdown_links", 12
        )
        md.treeprocessors.register(BlockIdTreeprocessor(md), "obsidian_block_ids", 8)

    def reset(self) -> None:
        self.stack.clear()
        self.sections.clear()
        self.page_links.clear()

    def embed_target(self, link: WikiLink) -> VaultFile | None:
        """The file an embed shows: ``![[#Heading]]`` shows a part of its own note."""
        if not link.target:
            return self.vault.files.get(self.context_path)
        return self.vault.resolve(link.target, self.context_path)

    @property
    def context_path(self) -> str:
        """The note whose links are being resolved (a transcluded note, or the page)."""
        return self.stack[-1] if self.stack else self.note_path

    def problem(self, message: str, *, missing: bool = False) -> None:
        """Report a problem of the note being rendered."""
        self.report(Problem(self.note_path, message, missing=missing))

    def drawing_problems(self, warnings: tuple[str, ...]) -> None:
        """Report a drawing's warnings (they already name the drawing)."""
        for warning in warnings:
            self.problem(warning, missing=True)

    def drawing_html(self, md: Markdown, drawing: DrawingHtml) -> str:
        """Keep a drawing's CSS and images for the build; return its HTML's placeholder."""
        return self.stash(md, self.publish_drawing(drawing))

    def full_size_link(self, file: VaultFile) -> etree.Element | None:
        """The link under an embedded drawing to its own page, if it has one.

        There a drawing larger than the column is shown at its full size, for the browser
        to scroll and zoom. An element, so MkDocs turns its ``.md`` target into a URL.
        """
        page = self.file_pages.get(file.site_path)
        if page is None:
            return None
        wrapper = etree.Element("span", {"class": "vault-drawing-full"})
        link = etree.SubElement(wrapper, "a", {"href": self.page_link(page)})
        link.text = f"Open the drawing “{drawing_title(file.path)}” full size"
        return wrapper

    def publish_drawing(self, drawing: DrawingHtml) -> str:
        """Keep a drawing's CSS and images for the build; return its HTML for this page.

        The HTML is also added to ``page_drawings``: it is sanitised already, so the
        page sanitiser keeps it as it is.
        """
        self.drawing_css.update(drawing.css)
        html = drawing.html
        if self.page_url is not None:
            # Per page, after the drawing cache: the links depend on the page's depth.
            moved = move_data_images(html, page_url=self.page_url)
            html = moved.html
            self.drawing_images.update((image.path, image.content) for image in moved.files)
            # A drawing written in the note itself is named by the problem's path already.
            named = f"{drawing.name}: " if drawing.name not in ("", self.context_path) else ""
            for problem in moved.problems:
                self.problem(named + problem)
        self.page_drawings.append(html)
        return html

    def link_element(self, link: WikiLink, *, markdown: bool = False) -> etree.Element:
        """Return the ``<a>`` a link becomes, or the marked ``<span>`` of a missing note."""
        known = None if markdown else self.resolutions.get((self.context_path, link))
        resolution = known or resolve_link(
            self.vault, link, self.context_path, markdown=markdown, suggest=False
        )
        label = link.label or link.default_label()
        file = resolution.file
        if file is None:
            return unresolved_element(label, target=link.target)
        page = self.file_pages.get(file.site_path)
        if page is not None:
            element = etree.Element("a", {"class": "vault-link", "href": self.page_link(page)})
            element.text = label
            return element
        if not file.is_page and file.root:
            # A drawing or file outside the docs has no page to link to.
            element = etree.Element("span", {"class": "vault-link-file"})
            element.text = label
            return element
        element = etree.Element(
            "a", {"class": "vault-link", "href": self.href(file, resolution.anchor)}
        )
        element.text = label
        return element

    def href(self, file: VaultFile, anchor: str | None = None) -> str:
        """Return the page-relative link to ``file`` (and ``#anchor``) for MkDocs to check."""
        if file.site_path == self.note_path and anchor:
            return "#" + anchor
        return self.page_link(file.site_path, anchor)

    def page_link(self, site_path: str, anchor: str | None = None) -> str:
        """The page-relative link to a vault file (and ``#anchor``), kept in ``page_links``."""
        href = page_href(self.note_path, site_path, anchor)
        self.page_links[href] = site_path
        return href

    def player_src(self, file: VaultFile) -> str:
        """The ``src`` of a ``<video>`` or ``<audio>`` playing ``file`` on this page.

        MkDocs turns the relative ``href`` of links and ``src`` of images from paths
        between source files into URLs, but leaves players alone: when the page's URL
        is known, a player gets the URL relative to it.
        """
        if self.page_url is None:
            return page_href(self.note_path, file.site_path)
        base = self.page_url if self.page_url.endswith("/") else posixpath.dirname(self.page_url)
        return quote(posixpath.relpath(file.site_path, base.rstrip("/") or "."), safe="/")

    def stash(self, md: Markdown, html: str) -> str:
        """Store raw HTML so Markdown passes it through, and return its placeholder."""
        return md.htmlStash.store(html)


def unresolved_element(label: str, *, target: str = "") -> etree.Element:
    """The visibly marked text of a link to a note or file that does not exist (not an ``<a>``).

    Args:
        label: The text shown.
        target: The missing target as written; a name with a suffix other than ``.md``
            is a file (an image, a drawing), not a note, and the tooltip says so.
    """
    suffix = posixpath.splitext(target)[1].lower()
    title = MISSING_FILE_TITLE if suffix and suffix != ".md" else UNRESOLVED_TITLE
    element = etree.Element("span", {"class": "vault-unresolved", "title": title})
    element.text = label
    return element


class ObsidianPreprocessor(Preprocessor):
    """Drop ``%%comments%%``, sanitise inline ``<svg>`` and mark inline ``#tags``."""

    RE_SVG = re.compile(r"^[ \t]*<svg\b.*?</svg>[ \t]*$", re.S | re.M | re.I)

    def __init__(self, md: Markdown, extension: ObsidianExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        try:
            return prepare_note(self.md, self.extension, "\n".join(lines)).split("\n")
        except Exception as error:  # one bad note must not stop the build
            self.extension.problem(
                f"could not prepare the note ({error!r}); shown without Obsidian syntax"
            )
            return lines


def prepare_note(md: Markdown, extension: ObsidianExtension, text: str) -> str:
    """Apply the text-level Obsidian syntax to a note's Markdown (see ``ObsidianPreprocessor``)."""
    text = remove_comments(text)
    prose = ProseMap.of(text)
    pieces: list[str] = []
    position = 0
    for match in prose.finditer(ObsidianPreprocessor.RE_SVG):
        drawing = inline_svg(match[0], name=extension.context_path)
        for warning in drawing.warnings:
            extension.problem(warning.removeprefix(f"{extension.context_path}: "))
        pieces += [
            text[position : match.start()],
            "\n\n",
            extension.drawing_html(md, drawing),
            "\n\n",
        ]
        position = match.end()
    pieces.append(text[position:])
    text = "".join(pieces)
    pieces = []
    position = 0
    for match in find_inline_tags(text):
        tag = f'<span class="vault-tag">{html.escape(match[0], quote=False)}</span>'
        pieces += [text[position : match.start()], extension.stash(md, tag)]
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces)


class PlainLabelTreeprocessor(Treeprocessor):
    """Spare Python-Markdown's later inline patterns the labels they cannot match.

    The text of an element an inline pattern returns is run through every pattern after
    it, each one a call and a regex search; a link's label (``Note 0123``) seldom holds
    anything they match. ``mark`` tests the label against those patterns' regexes at
    once and, when none matches, makes it atomic: the inline processor leaves it as it
    is, which is what the patterns would have done. Right after the inline processor,
    ``run`` makes the marked labels plain text again, for the tree processors that skip
    atomic text (abbreviations, the glossary).
    """

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.marked: list[etree.Element] = []
        # Pattern -> the compiled regexes of the inline patterns after it.
        self._later: dict[int, tuple[re.Pattern[str], ...]] = {}

    def mark(self, pattern: InlineProcessor, element: etree.Element) -> etree.Element:
        """Make ``element``'s text atomic if no inline pattern after ``pattern`` can match it."""
        text = element.text
        # A placeholder in the label (a code span's) leaves text after it that the
        # inline processor would keep atomic too: only placeholder-free labels are marked.
        if not text or len(element) or isinstance(text, AtomicString) or STX in text:
            return element
        later = self._later.get(id(pattern))
        if later is None:
            patterns = list(self.md.inlinePatterns)
            later = tuple(p.getCompiledRegExp() for p in patterns[patterns.index(pattern) + 1 :])
            self._later[id(pattern)] = later
        if not any(regex.search(text) for regex in later):
            element.text = AtomicString(text)
            self.marked.append(element)
        return element

    def run(self, root: etree.Element) -> None:
        for element in self.marked:
            if isinstance(element.text, AtomicString):
                element.text = str(element.text)
        self.marked.clear()


class WikilinkInlineProcessor(WikiLinksInlineProcessor):
    """Wikilinks and embeds in a line.

    Links: ``[[Note]]``, ``[[Note#Heading|label]]``, ``[[#Heading]]``, ``[[N#^block]]``.
    Embeds: ``![[image.png|300]]`` as an image, ``![[Drawing.excalidraw]]`` as an inline
    drawing; a note embedded in the middle of a line cannot be transcluded (its blocks
    cannot sit in a paragraph), so it becomes a link.
    """

    PATTERN = r"(?P<embed>!)?\[\[(?P<inner>[^\[\]\n]+?)\]\]"

    def __init__(
        self, extension: ObsidianExtension, md: Markdown, labels: PlainLabelTreeprocessor
    ) -> None:
        super().__init__(self.PATTERN, {})
        self.md = md
        self.extension = extension
        self.labels = labels

    def handleMatch(
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | str | None, int | None, int | None]:
        start = m.start(0)
        if m["embed"]:
            try:
                return self.embed(parse_wikilink(m["inner"])), start, m.end(0)
            except Exception as error:  # one bad embed must not stop the build
                self.extension.problem(f"could not render {m[0]} ({error!r})")
                # What is left is a link after a `!`.
                start += 1
        try:
            link = self.extension.link_element(parse_wikilink(m["inner"]))
        except Exception as error:  # one bad link must not stop the build
            self.extension.problem(f"could not render {m[0][start - m.start(0) :]} ({error!r})")
            return None, None, None
        return self.labels.mark(self, link), start, m.end(0)

    def embed(self, link: WikiLink) -> etree.Element | str:
        extension = self.extension
        file = extension.embed_target(link)
        if file is None:
            # `![[pic.png|300]]`: the label is a size, so show the missing file's name.
            label = link.target if link.size else link.label or link.target
            return self.labels.mark(self, unresolved_element(label, target=link.target))
        if _shows_drawing(file, link) and extension.drawings is not None:
            drawing = extension.drawings.embed(file)
            extension.drawing_problems(drawing.warnings)
            figure = extension.drawing_html(self.md, drawing)
            link = extension.full_size_link(file)
            if link is None:
                return figure
            wrapper = etree.Element("span", {"class": "vault-embed-drawing"})
            wrapper.text = figure
            wrapper.append(link)
            return wrapper
        element = file_embed_element(
            file,
            link,
            extension.page_link(file.site_path),
            player_src=extension.player_src(file),
        )
        element = element if element is not None else extension.link_element(link)
        return self.labels.mark(self, element)


def _shows_drawing(file: VaultFile, link: WikiLink) -> bool:
    """Whether an embed shows the file as an inline, sanitised drawing.

    An SVG of the docs embedded with a subpath or a size (``![[cog.svg#icon|16]]``,
    an icon in a sentence) is shown as an image instead, the way Obsidian shows it:
    a drawing is a figure, and a figure cannot sit in a line of text. A draw.io
    export stays a drawing at any size (its text stays searchable).
    """
    kind = drawing_kind(file.path)
    if kind == "svg" and not file.root:
        sized = link.size is not None and not file.path.lower().endswith(".drawio.svg")
        if link.subpath or sized:
            return False
    return kind is not None


def subpath_class(subpath: str | None) -> str | None:
    """The CSS class that keeps an embed's ``#subpath``, a vault's styling hook.

    ``![[shot.png#interface]]`` gets ``vault-subpath-interface``; characters a class
    name cannot hold become ``-`` (``#page=3`` gives ``vault-subpath-page-3``).
    """
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", (subpath or "").lstrip("^")).strip("-")
    return f"vault-subpath-{name}" if name else None


def file_embed_element(
    file: VaultFile, link: WikiLink, src: str, *, player_src: str | None = None
) -> etree.Element | None:
    """The element an embedded image, audio, video or PDF file becomes.

    Args:
        file: The embedded file.
        link: The embed as written (its size, label and subpath).
        src: The file's path from the note's (what links and images are written with).
        player_src: The file's URL from the page, for a player (``src`` if None).

    Returns:
        ``<img>``, ``<audio controls>``, ``<video controls>`` (each with a link to the
        file inside, for browsers that cannot play it) or a link to the PDF at its page
        (the browser's own viewer opens it, from the site itself); None for any other file.
    """
    lowered = file.path.lower()
    classes = " ".join(c for c in (subpath_class(link.subpath),) if c)
    size = link.size
    name = posixpath.basename(file.path)
    if lowered.endswith(IMAGE_SUFFIXES):
        element = etree.Element("img", {"src": src, "alt": link.target or name})
        if size is None and link.label:
            element.set("alt", link.label)
    elif lowered.endswith(VIDEO_SUFFIXES) or lowered.endswith(AUDIO_SUFFIXES):
        video = lowered.endswith(VIDEO_SUFFIXES)
        element = etree.Element("video" if video else "audio", {"controls": "controls"})
        element.set("src", player_src or src)
        element.set("preload", "metadata")
        fallback = etree.SubElement(element, "a", {"href": src})
        fallback.text = link.label if link.label and size is None else name
        if not video:
            size = None
    elif lowered.endswith(PDF_SUFFIXES):
        page = re.fullmatch(r"page=(\d+)", link.heading or "")
        element = etree.Element("a", {"class": "vault-embed-pdf", "href": src})
        element.text = link.label if link.label and size is None else name
        if page:
            element.set("href", f"{src}#page={page[1]}")
            element.text += f", page {page[1]}"
        element.text += " (PDF)"
        return element
    else:
        return None
    if classes:
        element.set("class", classes)
    if size is not None:
        element.set("width", str(size[0]))
        if size[1] is not None:
            element.set("height", str(size[1]))
    return element


class EmbedBlockProcessor(BlockProcessor):
    """A block of ``![[...]]`` lines: notes are transcluded, drawings become figures."""

    RE_EMBED_LINE = re.compile(r"^[ ]{0,3}!\[\[(?P<inner>[^\[\]\n]+?)\]\][ \t]*$")

    def __init__(self, parser: object, extension: ObsidianExtension) -> None:
        super().__init__(parser)  # type: ignore[arg-type]
        self.extension = extension

    def test(self, parent: etree.Element, block: str) -> bool:
        return all(self.RE_EMBED_LINE.match(line) for line in block.strip("\n").split("\n"))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        for line in blocks.pop(0).strip("\n").split("\n"):
            match = self.RE_EMBED_LINE.match(line)
            assert match is not None  # test() checked every line
            try:
                self.embed_line(parent, line.strip(), parse_wikilink(match["inner"]))
            except Exception as error:  # one bad embed must not stop the build
                self.extension.problem(f"could not embed {line.strip()} ({error!r})")
                # Shown as written, and atomic so the inline embed does not retry it.
                etree.SubElement(parent, "p").text = AtomicString(line.strip())

    def embed_line(self, parent: etree.Element, line: str, link: WikiLink) -> None:
        extension = self.extension
        file = extension.embed_target(link)
        if file is not None and _shows_drawing(file, link) and extension.drawings is not None:
            drawing = extension.drawings.embed(file)
            extension.drawing_problems(drawing.warnings)
            figure = etree.SubElement(parent, "div", {"class": "vault-embed-drawing"})
            figure.text = extension.drawing_html(self.parser.md, drawing)
            link = extension.full_size_link(file)
            if link is not None:
                figure.append(link)
        elif file is not None and file.is_note and extension.read_text is not None:
            self.transclude(parent, file, link)
        else:
            # Images, missing files and everything else render inline, in a paragraph.
            etree.SubElement(parent, "p").text = line

    def transclude(self, parent: etree.Element, file: VaultFile, link: WikiLink) -> None:
        extension = self.extension
        # The page shows its whole note; each embed shows a part of a note, or all of
        # it. Showing a part of the same note (`![[#Heading]]`) is content; showing
        # again a part that is already being shown is the only cycle.
        part = f"#{link.subpath}" if link.subpath else ""
        chain = [(extension.note_path, ""), *extension.sections]
        if (file.site_path, part) in chain:
            shown = " -> ".join(path + at for path, at in [*chain, (file.site_path, part)])
            extension.problem(
                f"embed cycle: {shown}; the repeated {'section' if part else 'note'}"
                " is linked, not embedded"
            )
            etree.SubElement(parent, "p").append(extension.link_element(link))
            return
        if len(extension.stack) >= extension.transclusion_depth:
            extension.problem(
                f"embeds nested deeper than {extension.transclusion_depth} at ![[{link.target}]];"
                " it is linked, not embedded"
            )
            etree.SubElement(parent, "p").append(extension.link_element(link))
            return
        text = extension.read_text(file) if extension.read_text else None
        section = note_section(text or "", link, extension.vault)
        if section is None:
            extension.problem(
                f"cannot embed ![[{link.target}{part}]]: {file.site_path} has no such section"
            )
            etree.SubElement(parent, "p").append(extension.link_element(link))
            return
        container = etree.SubElement(parent, "div", {"class": "vault-embed"})
        md = self.parser.md
        extension.stack.append(file.site_path)
        extension.sections.append((file.site_path, part))
        try:
            section = rebase_markdown_links(prepare_note(md, extension, section), file.site_path)
            lines = section.split("\n")
            for name in ("fenced_code_block", "html_block"):
                if name in md.preprocessors:
                    lines = md.preprocessors[name].run(lines)
            self.parser.parseChunk(container, "\n".join(lines))
            # Headings of an embedded note belong to that note, not to this page's
            # table of contents, so they are shown as bold paragraphs.
            for element in container.iter():
                if element.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                    element.set("class", f"vault-embed-heading vault-embed-{element.tag}")
                    element.tag = "p"
        finally:
            extension.stack.pop()
            extension.sections.pop()


def note_section(text: str, link: WikiLink, vault: Vault) -> str | None:
    """Return the part of a note an embed shows: all of it, a heading's section, or a block.

    Args:
        text: The embedded note's file text.
        link: The embed's parsed link (its heading or block picks the section).
        vault: The vault (for its slugify).

    Returns:
        The Markdown to show, or None when the heading or block does not exist.
    """
    body = parse_front_matter(text).body
    if link.block is not None:
        for paragraph in re.split(r"\n[ \t]*\n", body):
            for match in BLOCK_ID.finditer(paragraph):
                if match["id"] == link.block:
                    return paragraph[: match.start()].rstrip(" \t") + paragraph[match.end() :]
        return None
    if not link.heading:
        return body
    headings = extract_headings(body, vault.slugify)
    wanted = VaultFile("", headings=tuple(headings)).heading(link.heading, vault.slugify)
    if wanted is None:
        return None
    lines = body.splitlines()
    end = next(
        (h.line - 1 for h in headings if h.line > wanted.line and h.level <= wanted.level),
        len(lines),
    )
    return "\n".join(lines[wanted.line - 1 : end])


# A Markdown link or image to a file (`Note.md`, `shot.png`), as written in a note.
_MD_LINK_DEST = re.compile(r"(!?\[[^\[\]\n]*\]\()(?P<dest>[^\s()#:]+\.[A-Za-z0-9]{1,8})(?=[#)\s])")
_SAME_NOTE_WIKILINK = re.compile(r"(?<!\!)\[\[#")


def rebase_markdown_links(text: str, source: str) -> str:
    """Make a transcluded note's relative links work from any page that embeds it.

    Relative Markdown links become vault-absolute (``/folder/note.md``), and
    ``[[#Heading]]`` names its note, so both still point where the author meant.
    """
    directory = posixpath.dirname(source)

    def absolute(match: re.Match[str]) -> str:
        destination = match["dest"]
        if "://" in destination or destination.startswith("/"):
            return match[0]
        resolved = posixpath.normpath(posixpath.join(directory, unquote(destination)))
        return match[1] + "/" + resolved.replace(" ", "%20")

    name = source[:-3] if source.lower().endswith(".md") else source
    return _SAME_NOTE_WIKILINK.sub(f"[[{name}#", _MD_LINK_DEST.sub(absolute, text))


class HighlightInlineProcessor(InlineProcessor):
    """``==text==`` as ``<mark>``."""

    PATTERN = r"(?<![=\\])==(?=[^\s=])(?P<text>.+?)(?<=[^\s=])==(?!=)"

    def __init__(self, md: Markdown) -> None:
        super().__init__(self.PATTERN, md)

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:
        mark = etree.Element("mark")
        mark.text = m["text"]
        return mark, m.start(0), m.end(0)


class MarkdownLinkTreeprocessor(Treeprocessor):
    """Resolve ``[text](../Folder%20Name/Note.md#heading)`` and ``![a](shot.png)`` as Obsidian does.

    A link or image whose note or file exists (relative to the note, from the vault
    root, or by file name anywhere in the vault, shortest path first) is rewritten to
    its real path and heading id; one to a missing note or file becomes marked text
    instead of a 404 or a broken image. An ``obsidian://`` link opens the Obsidian app,
    which a reader of the site may not have: its text stays, as plain text.
    """

    def __init__(self, md: Markdown, extension: ObsidianExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            # A drawing's full-size link goes to its generated page, which is no vault file.
            made = parent.tag == "span" and parent.get("class") == "vault-drawing-full"
            for index, element in enumerate(parent):
                attribute = {"a": "href", "img": "src"}.get(element.tag)
                if attribute is None or made or "vault-link" in element.get("class", ""):
                    continue
                try:
                    self.rewrite(parent, index, element, attribute)
                except Exception as error:  # one bad link must not stop the build
                    self.extension.problem(
                        f"could not check link {element.get(attribute)!r} ({error!r})"
                    )

    def rewrite(
        self, parent: etree.Element, index: int, element: etree.Element, attribute: str = "href"
    ) -> None:
        href = element.get(attribute, "")
        parts = urlsplit(href)
        if parts.scheme.lower() == "obsidian" and element.tag == "a":
            span = etree.Element("span", {"class": "vault-link-app", "title": APP_LINK_TITLE})
            span.text, span.tail = element.text, element.tail
            span.extend(list(element))
            parent[index] = span
            return
        if parts.scheme or parts.netloc or not href:
            return
        path = unquote(parts.path)
        fragment = unquote(parts.fragment) or None
        if not path:
            self.rewrite_same_page(element, fragment)
            return
        if not is_file_link(path):
            return
        block = fragment[1:] if fragment and fragment.startswith("^") else None
        link = WikiLink(path, None if block else fragment, block)
        resolution = resolve_link(
            self.extension.vault, link, self.extension.context_path, markdown=True, suggest=False
        )
        file = resolution.file
        if file is None:
            label = element.get("alt", "") if element.tag == "img" else ""
            span = unresolved_element(label, target=path)
            if element.tag == "a":
                span.text = element.text
                span.extend(list(element))
            span.tail = element.tail
            parent[index] = span
        elif file.is_page:
            element.set(attribute, self.extension.href(file, resolution.anchor))
        elif not file.is_note and (not file.root or not drawing_kind(file.path)):
            # A file: linked at its real place; the subpath, a styling hook, is a class.
            element.set(attribute, self.extension.page_link(file.site_path))
            if element.tag == "img" and (hook := subpath_class(fragment)):
                classes = element.get("class", "")
                element.set("class", f"{classes} {hook}".strip())
            elif fragment:
                element.set(attribute, f"{element.get(attribute)}#{parts.fragment}")

    def rewrite_same_page(self, element: etree.Element, fragment: str | None) -> None:
        file = self.extension.vault.files.get(self.extension.note_path)
        if file is None or not fragment or self.extension.stack:
            return
        heading = file.heading(fragment, self.extension.vault.slugify)
        if heading is not None:
            element.set("href", "#" + heading.id)


class BlockIdTreeprocessor(Treeprocessor):
    """Hide ``^block-id`` markers and give their block that id, so ``#^id`` links land."""

    RE_MARKER = re.compile(r"(?:^|[ \t]+)\^(?P<id>[A-Za-z0-9-]+)[ \t]*$")
    # A marker written right after an element, without a space, is a block id only
    # after an embed or a link (`![[shot.png]]^id`), as the vault index reads it
    # (``BLOCK_ID``): `*x*^2` stays text.
    JOINED = frozenset({"a", "img", "span", "audio", "video"})
    BLOCKS = frozenset({"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt"})

    def glued_to_text(self, last: etree.Element, tail: str) -> bool:
        """Whether a marker written without a space follows something that is not an embed."""
        return tail.startswith("^") and last.tag not in self.JOINED

    def run(self, root: etree.Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in [e for e in root.iter() if e.tag in self.BLOCKS]:
            last = element[-1] if len(element) else None
            text = (last.tail if last is not None else element.text) or ""
            match = self.RE_MARKER.search(text)
            if match is None or (last is not None and self.glued_to_text(last, text)):
                continue
            remaining = text[: match.start()]
            if last is not None:
                last.tail = remaining
            else:
                element.text = remaining
            target = element
            parent = parents.get(element)
            if element.tag == "p" and not remaining.strip() and last is None and parent is not None:
                # A marker alone on its line after a blank line names the block before it.
                siblings = list(parent)
                position = siblings.index(element)
                if position > 0:
                    target = siblings[position - 1]
                    parent.remove(element)
            if not target.get("id"):
                target.set("id", "^" + match["id"])


def makeExtension(**kwargs: object) -> ObsidianExtension:
    """Python-Markdown's entry point; needs ``vault=`` (a ``Vault``) and ``note_path=``."""
    return ObsidianExtension(**kwargs)  # type: ignore[arg-type]
