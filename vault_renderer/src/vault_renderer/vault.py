"""The vault index: every file by name, path and alias, resolved the way Obsidian does.

Names are compared Unicode-NFC-normalised and case-folded, because a vault written on
macOS stores decomposed accents and Obsidian ignores case. A bare name matches a file
anywhere in the vault; when several files share it, the one beside the linking note
wins, then the shortest path (Obsidian's "shortest path when possible").
"""

from __future__ import annotations

import difflib
import posixpath
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from markdown.extensions.toc import slugify as toc_slugify

from vault_renderer.frontmatter import (
    normalise_tags,
    note_title,
    parse_front_matter,
    plain_heading_text,
)
from vault_renderer.syntax import ProseMap

__all__ = [
    "BLOCK_ID",
    "Heading",
    "Slugify",
    "Vault",
    "VaultFile",
    "default_slugify",
    "extract_block_ids",
    "extract_element_ids",
    "extract_headings",
    "normalise_name",
    "read_note",
    "walk_root",
]

Slugify = Callable[[str], str]
"""Turns a heading's text into its id, as the toc extension is configured to."""

_ATX = re.compile(r"^[ ]{0,3}(?P<level>#{1,6})(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
# An attr_list id at the end of a heading, `## Title {#id .class}`, replaces the slug.
_ATTR_ID = re.compile(r"[ \t]*\{:?[^}]*?#(?P<id>[^\s}]+)[^}]*\}[ \t]*$")
_SETEXT = re.compile(r"^[ ]{0,3}(?P<rule>=+|-+)[ \t]*$")
# Obsidian's block id: `^id` at the end of a line, after a space, alone on the line, or
# directly after an embed or a link (`![[shot.png]]^version-image`), as Obsidian reads it.
BLOCK_ID = re.compile(r"(?:(?<=[ \t])|(?<=\]\])|(?<=\))|^)\^(?P<id>[A-Za-z0-9-]+)[ \t]*$", re.M)
# Ids a page gets besides its headings': attr_list's `{#id}` on any block, and raw HTML.
_ELEMENT_ID = re.compile(
    r"\{:?[^}\n]*?#(?P<attr>[^\s}#]+)[^}\n]*\}"
    r"""|<[A-Za-z][^>]*?\bid\s*=\s*["'](?P<html>[^"'\n]+)["']"""
)
# A file name's extension (`.png`, `.excalidraw`), not the end of a note name like `v1.2 a`.
_EXTENSION = re.compile(r"\.[^.\s/]+$")
_PAGE_SUFFIXES = (".md",)
_DRAWING_NOTE = ".excalidraw.md"


def default_slugify(text: str) -> str:
    """The toc extension's default slugify with its default separator."""
    return toc_slugify(text, "-")


def normalise_name(name: str) -> str:
    """Return ``name`` as the vault compares names: NFC, case-folded, ``/`` separators."""
    return unicodedata.normalize("NFC", name.replace("\\", "/")).casefold().strip()


@dataclass(frozen=True)
class Heading:
    """A heading of a note and the id the rendered page gives it.

    Attributes:
        text: The heading's plain text.
        level: 1 to 6.
        id: The element id (slugified and made unique as the toc extension does).
        line: 1-based line in the note's file.
    """

    text: str
    level: int
    id: str
    line: int


@dataclass(frozen=True)
class VaultFile:
    """One file of the vault.

    Attributes:
        path: Path relative to its root, ``/``-separated, as stored on disk.
        root: ``""`` for the docs directory, else the extra root's name (``"diagrams"``).
        title: The note's title (notes only).
        aliases: The note's ``aliases`` from its front matter.
        headings: The note's headings in order.
        block_ids: The note's ``^block`` ids.
        element_ids: Ids set explicitly in the note, by attr_list (``{#id}``) or raw
            HTML (``id="id"``), which Markdown links may name as ``#id``.
        tags: The note's front-matter tags.
    """

    path: str
    root: str = ""
    title: str = ""
    aliases: tuple[str, ...] = ()
    headings: tuple[Heading, ...] = ()
    block_ids: frozenset[str] = field(default_factory=frozenset)
    element_ids: frozenset[str] = field(default_factory=frozenset)
    tags: tuple[str, ...] = ()

    @property
    def site_path(self) -> str:
        """The path as the site sees it: extra roots appear as a top-level folder."""
        return f"{self.root}/{self.path}" if self.root else self.path

    @property
    def is_note(self) -> bool:
        """Whether this is a Markdown note (drawings in ``.excalidraw.md`` are not)."""
        lowered = self.path.lower()
        return lowered.endswith(_PAGE_SUFFIXES) and not lowered.endswith(_DRAWING_NOTE)

    @property
    def is_page(self) -> bool:
        """Whether this file becomes a page of the site."""
        return self.is_note and not self.root

    @property
    def link_name(self) -> str:
        """The name a wikilink uses: the file name, without ``.md`` for Markdown."""
        name = posixpath.basename(self.path)
        return name[:-3] if name.lower().endswith(".md") else name

    def heading(self, wanted: str, slugify: Slugify = default_slugify) -> Heading | None:
        """Find the heading a link's ``#Heading`` (text or id) means.

        Obsidian links by heading text; Markdown links by id. Both are accepted, and
        case and punctuation are compared as the slug compares them.
        """
        wanted_key = normalise_name(wanted)
        for heading in self.headings:
            if heading.id == wanted or normalise_name(heading.text) == wanted_key:
                return heading
        slug = slugify(wanted)
        for heading in self.headings:
            if slugify(heading.text) == slug:
                return heading
        return None

    def close_headings(self, wanted: str, *, by_id: bool = False, limit: int = 3) -> list[Heading]:
        """Return the headings closest to a ``#Heading`` that names none, for hints.

        Args:
            wanted: The heading part of the link, without ``#``.
            by_id: Compare with the headings' ids (a Markdown link's ``#id``) rather
                than their text (a wikilink's ``#Heading``): like with like.
            limit: How many at most.

        Returns:
            The closest headings first; empty when none is close.
        """
        keys = {(h.id if by_id else normalise_name(h.text)): h for h in reversed(self.headings)}
        key = wanted if by_id else normalise_name(wanted)
        return [keys[k] for k in difflib.get_close_matches(key, keys, n=limit, cutoff=0.5)]


class Vault:
    """Every file of the vault, indexed for resolving links and embeds.

    Args:
        files: The vault's files.
        slugify: How heading ids are made (only kept to match ``#Heading`` links).
    """

    def __init__(self, files: Iterable[VaultFile], slugify: Slugify = default_slugify) -> None:
        self.slugify = slugify
        self.files: dict[str, VaultFile] = {}
        self._by_path: dict[str, VaultFile] = {}
        self._by_name: dict[str, list[VaultFile]] = {}
        self._by_alias: dict[str, list[VaultFile]] = {}
        self._names: dict[bool, dict[str, VaultFile]] = {}
        self._suggested: dict[tuple[bool, str], list[str]] = {}
        # A build resolves every link twice (the link scan, then the page renderer), and
        # a note's links mostly come from a few folders: `(target, source folder)` is the
        # whole input of a resolution (see `_closest`), so each is worked out once.
        self._resolved: dict[tuple[str, str | None], VaultFile | None] = {}
        # `Folder/Note` links name a path's last parts: built on the first such link.
        self._by_path_end: dict[str, list[VaultFile]] | None = None
        for file in files:
            self.files[file.site_path] = file
            self._by_path[normalise_name(file.site_path)] = file
            for name in {file.link_name, posixpath.basename(file.path)}:
                self._by_name.setdefault(normalise_name(name), []).append(file)
            for alias in file.aliases:
                self._by_alias.setdefault(normalise_name(alias), []).append(file)

    @classmethod
    def from_sources(
        cls,
        sources: Mapping[str, str | None],
        *,
        roots: Mapping[str, str] | None = None,
        slugify: Slugify = default_slugify,
    ) -> Vault:
        """Index a vault from file paths and, for notes, their text.

        Args:
            sources: ``site_path -> text`` for notes, ``site_path -> None`` for other files.
            roots: ``site_path -> root name`` for files of extra roots.
            slugify: How heading ids are made.

        Returns:
            The vault.
        """
        roots = roots or {}
        files = []
        for site_path, text in sources.items():
            root = roots.get(site_path, "")
            path = site_path[len(root) + 1 :] if root else site_path
            files.append(read_note(path, text, root=root, slugify=slugify))
        return cls(files, slugify)

    @classmethod
    def from_directories(
        cls,
        docs_dir: Path,
        extra_roots: Mapping[str, Path] | None = None,
        *,
        slugify: Slugify = default_slugify,
    ) -> Vault:
        """Index the files under ``docs_dir`` and each extra root (hidden files skipped).

        Args:
            docs_dir: The vault (MkDocs' docs directory).
            extra_roots: ``name -> directory`` of folders outside docs that are part of
                the vault for embeds, such as ``{"diagrams": Path("diagrams")}``.
            slugify: How heading ids are made.

        Returns:
            The vault.
        """
        files = [
            read_note(relative, text, root=root_name, slugify=slugify)
            for root_name, directory in [("", docs_dir), *(extra_roots or {}).items()]
            for relative, text in walk_root(Path(directory))
        ]
        return cls(files, slugify)

    def resolve(self, target: str, source: str | None = None) -> VaultFile | None:
        """Find the file a wikilink or embed names.

        Args:
            target: The link's file part, e.g. ``"Note"``, ``"Folder/Note"``,
                ``"image.png"``, ``"Drawing.excalidraw"`` (``.md`` optional).
            source: The linking note's site path, to prefer files beside it.

        Returns:
            The file, or None when nothing in the vault has that name, path or alias.
        """
        folder = posixpath.dirname(source) if source is not None else None
        if (target, folder) not in self._resolved:
            self._resolved[target, folder] = self._resolve(target, folder)
        return self._resolved[target, folder]

    def resolve_relative(self, path: str, source: str) -> VaultFile | None:
        """Find the file a Markdown link's (already unquoted) path points at.

        The path is tried relative to the linking note, then from the vault's root,
        then (as Obsidian does when a file moved) by its file name alone.
        """
        directory = posixpath.dirname(source)
        for candidate in (posixpath.normpath(posixpath.join(directory, path)), path.lstrip("/")):
            found = self._by_path.get(normalise_name(candidate))
            if found is not None:
                return found
        return self.resolve(posixpath.basename(path), source)

    def suggestions(self, target: str, limit: int = 3) -> list[str]:
        """Return the link texts closest to a ``target`` that names no file, for hints.

        A target with an extension (``read-path.pgn``, ``Flow.excalidraw``) is compared
        with every file of the vault, images and drawings included; one without (or
        with ``.md``) only with notes, since only a note can be linked without one.

        Args:
            target: The link's file part as written.
            limit: How many at most.

        Returns:
            Link texts that name the close files unambiguously, closest first.
        """
        name = normalise_name(posixpath.basename(target)).removesuffix(".md")
        any_file = _EXTENSION.search(name) is not None
        if (any_file, name) not in self._suggested:
            # Built once per kind: a vault with many dangling links asks for many hints.
            if any_file not in self._names:
                self._names[any_file] = {
                    normalise_name(f.link_name): f
                    for f in self.files.values()
                    if any_file or f.is_note
                }
            names = self._names[any_file]
            matches = difflib.get_close_matches(name, list(names), n=limit, cutoff=0.6)
            self._suggested[any_file, name] = [self.shortest_link(names[m]) for m in matches]
        return self._suggested[any_file, name][:limit]

    def shortest_link(self, file: VaultFile) -> str:
        """Return the shortest link text that names ``file`` unambiguously."""
        name = file.link_name
        if len(self._by_name.get(normalise_name(name), ())) <= 1:
            return name
        parts = file.site_path.split("/")
        for depth in range(2, len(parts) + 1):
            candidate = "/".join(parts[-depth:])
            if candidate.lower().endswith(".md") and file.is_note:
                candidate = candidate[:-3]
            if self._resolve_path(normalise_name(candidate), None) is file:
                return candidate
        return file.site_path

    def notes(self) -> list[VaultFile]:
        """Return the notes (Markdown pages and Markdown files of extra roots)."""
        return [file for file in self.files.values() if file.is_note]

    def _resolve(self, target: str, folder: str | None) -> VaultFile | None:
        key = normalise_name(target).strip("/")
        if not key:
            return None
        if "/" in key:
            return self._resolve_path(key, folder)
        candidates = self._by_name.get(key) or self._by_name.get(key + ".md")
        if not candidates:
            candidates = self._by_alias.get(key)
        return _closest(candidates, folder) if candidates else None

    def _resolve_path(self, key: str, folder: str | None) -> VaultFile | None:
        if folder is not None and key.startswith("."):
            relative = posixpath.normpath(posixpath.join(folder, key))
            found = self._by_path.get(relative) or self._by_path.get(relative + ".md")
            if found is not None:
                return found
        ends = self._path_ends()
        matches = ends.get(key, []) + ends.get(key + ".md", [])
        return _closest(matches, folder) if matches else None

    def _path_ends(self) -> dict[str, list[VaultFile]]:
        """Every file under each end of its path: ``a/b/c.md`` under itself, ``b/c.md``, ``c.md``.

        A path-style link matches the files whose path is the key or ends in ``/`` and
        the key; looking that up here, not by scanning every path, keeps a vault that
        links by path (a hub of thousands of notes) from costing links times files.
        """
        if self._by_path_end is None:
            self._by_path_end = {}
            for path, file in self._by_path.items():
                start = 0
                while True:
                    self._by_path_end.setdefault(path[start:], []).append(file)
                    start = path.find("/", start) + 1
                    if start == 0:
                        break
        return self._by_path_end


def walk_root(directory: Path) -> Iterator[tuple[str, str | None]]:
    """Walk a vault root: every file, in path order, with its text if it is a note.

    Hidden files and everything in hidden folders (``.obsidian/``, ``.git/``) are
    skipped, as Obsidian skips them.

    Args:
        directory: The root (the docs directory or an extra root).

    Yields:
        ``(path relative to directory, text)``: the text (undecodable bytes replaced)
        for a Markdown file, None for any other file.
    """
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory).as_posix()
        if not path.is_file() or any(part.startswith(".") for part in relative.split("/")):
            continue
        if relative.lower().endswith(".md"):
            yield relative, path.read_text(encoding="utf-8", errors="replace")
        else:
            yield relative, None


def read_note(
    path: str, text: str | None, *, root: str = "", slugify: Slugify = default_slugify
) -> VaultFile:
    """Index one file: for a note, its title, aliases, tags, headings and ids.

    Args:
        path: Path relative to its root.
        text: The note's text, or None for a file that is not a note.
        root: ``""`` for the docs directory, else the extra root's name.
        slugify: How heading ids are made.

    Returns:
        The indexed file.
    """
    if text is None:
        return VaultFile(path, root)
    front = parse_front_matter(text)
    aliases = front.data.get("aliases") or front.data.get("alias") or ()
    if isinstance(aliases, str):
        aliases = [aliases]
    prose = ProseMap.of(text)
    return VaultFile(
        path,
        root,
        title=note_title(front.data, front.body, posixpath.basename(path)),
        aliases=tuple(str(alias) for alias in aliases if alias),
        headings=tuple(extract_headings(text, slugify, prose=prose, first_line=front.body_line)),
        block_ids=frozenset(extract_block_ids(text, prose=prose)),
        element_ids=frozenset(extract_element_ids(text, prose=prose)),
        tags=tuple(normalise_tags(front.data.get("tags"))),
    )


def extract_headings(
    text: str,
    slugify: Slugify = default_slugify,
    *,
    prose: ProseMap | None = None,
    first_line: int = 1,
) -> list[Heading]:
    """List a note's headings with the ids the rendered page gives them.

    Ids are made as the toc extension makes them: the slug of the heading's plain text,
    with ``_1``, ``_2`` appended to repeats.

    Args:
        text: The note's file text.
        slugify: The toc extension's slugify as configured.
        prose: The note's prose map, when the caller already has it.
        first_line: The first line of the body (headings in front matter are skipped).

    Returns:
        The headings in document order.
    """
    prose = prose or ProseMap.of(text)
    headings: list[Heading] = []
    used: set[str] = set()
    offset = 0
    previous: str | None = None
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        content = line.rstrip("\r\n")
        found: tuple[int, str, int] | None = None
        if number >= first_line:
            if (match := _ATX.match(content)) and match["text"] is not None:
                found = (len(match["level"]), match["text"], number)
            elif (
                (match := _SETEXT.match(content))
                and previous
                and previous.strip()
                # The underline makes the line above it a heading, unless that is one.
                and not (headings and headings[-1].line == number - 1)
            ):
                found = (1 if match["rule"][0] == "=" else 2, previous.strip(), number - 1)
        # Code and comments are ruled out last: few lines look like headings at all.
        if found is not None and prose.is_prose(offset):
            explicit = _ATTR_ID.search(found[1])
            plain = plain_heading_text(found[1][: explicit.start()] if explicit else found[1])
            slug = explicit["id"] if explicit else slugify(plain)
            headings.append(Heading(plain, found[0], _unique(slug, used), found[2]))
        previous = content if number >= first_line else None
        offset += len(line)
    return headings


def extract_block_ids(text: str, *, prose: ProseMap | None = None) -> list[str]:
    """List the ``^block-id`` markers of a note, outside code and comments."""
    prose = prose or ProseMap.of(text)
    return [match["id"] for match in prose.finditer(BLOCK_ID)]


def extract_element_ids(text: str, *, prose: ProseMap | None = None) -> list[str]:
    """List the ids a note sets explicitly, outside code and comments.

    These are attr_list's ``{#id}`` (on a heading, a paragraph or any block) and raw
    HTML's ``id="id"``: a Markdown link may name them as ``#id`` as well as a heading.
    """
    prose = prose or ProseMap.of(text)
    return [match["attr"] or match["html"] for match in prose.finditer(_ELEMENT_ID)]


def _unique(slug: str, used: set[str]) -> str:
    # The toc extension's rule: a repeated id gets `_1`, `_2`, ... appended.
    candidate = slug
    counter = 0
    while candidate in used or not candidate:
        counter += 1
        candidate = f"{slug}_{counter}"
    used.add(candidate)
    return candidate


def _closest(candidates: list[VaultFile], folder: str | None) -> VaultFile:
    # `folder` is the linking note's folder (None when no note links).
    if len(candidates) == 1:
        return candidates[0]

    def distance(file: VaultFile) -> tuple[int, int, int, str]:
        beside = 0 if folder is not None and posixpath.dirname(file.site_path) == folder else 1
        # Notes win over other files of the same name (`Note` over `Note` the folder asset).
        return (beside, 0 if file.is_note else 1, file.site_path.count("/"), file.site_path)

    return min(candidates, key=distance)
