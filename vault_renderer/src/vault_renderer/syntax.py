"""Where Obsidian syntax may appear in a note: everything outside code and comments.

Wikilinks, tags, comments and block ids are all ignored inside fenced code and code
spans, and everything inside a ``%%comment%%`` is invisible. This module finds those
regions once, as character ranges, so every scanner (the renderer, the backlink
collector, ``make check``) agrees on what counts as prose.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["INLINE_TAG", "ProseMap", "find_inline_tags", "remove_comments"]

# A fence opens with three or more backticks or tildes, possibly inside a list item or a
# blockquote (hence the free indentation and the optional `>` markers).
_FENCE_OPEN = re.compile(
    r"^(?P<indent>[ \t]*(?:>[ \t]?)*[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$"
)
# A code span: a run of backticks, content that does not cross a blank line, the same run.
_CODE_SPAN = re.compile(r"(?<!`)(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`)", re.S)
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
# An Obsidian comment runs to the next `%%`, or to the end of the note when unclosed.
_COMMENT = re.compile(r"%%.*?(?:%%|\Z)", re.S)
# Each of those with the text it cannot match without: most notes have no code span or
# comment outside their fences, and a search that cannot succeed still reads the text.
_SPANS_AND_COMMENTS = ((_CODE_SPAN, "`"), (_COMMENT, "%%"), (_HTML_COMMENT, "<!--"))


@dataclass(frozen=True)
class ProseMap:
    """The code and comment ranges of one note, to test whether an offset is prose.

    Attributes:
        text: The note's text.
        code: Sorted, disjoint ``(start, end)`` ranges of fenced code and code spans.
        comments: Sorted ``(start, end)`` ranges of ``%%comments%%`` and HTML comments.
    """

    text: str
    code: tuple[tuple[int, int], ...]
    comments: tuple[tuple[int, int], ...]

    # Only the scanners that report lines need them (the renderer's do not).
    @functools.cached_property
    def line_starts(self) -> tuple[int, ...]:
        """The offset where each line starts."""
        return _line_starts(self.text)

    @classmethod
    def of(cls, text: str) -> ProseMap:
        """Scan ``text`` for its code and comment ranges.

        Args:
            text: A note's Markdown.

        Returns:
            The map of the note.
        """
        return _prose_map(text)

    @classmethod
    def _scan(cls, text: str) -> ProseMap:
        fences = list(_fence_ranges(text))
        fences += _indented_code_ranges(text, fences)
        spans: list[tuple[int, int]] = []
        comments: list[tuple[int, int]] = []
        for start, end in _gaps(fences, len(text)):
            chunk = text[start:end]
            # Comments and code spans hide each other, whichever opens first wins. Each
            # pattern's next match is kept until passed, so a note is scanned once.
            position = 0
            upcoming = {p: p.search(chunk) for p, needed in _SPANS_AND_COMMENTS if needed in chunk}
            while position < len(chunk):
                for pattern, found in upcoming.items():
                    if found is not None and found.start() < position:
                        upcoming[pattern] = pattern.search(chunk, position)
                candidates = [m for m in upcoming.values() if m is not None]
                if not candidates:
                    break
                first = min(candidates, key=lambda m: m.start())
                target = spans if first.re is _CODE_SPAN else comments
                target.append((start + first.start(), start + first.end()))
                position = first.end()
        return cls(text, tuple(sorted(fences + spans)), tuple(comments))

    def is_prose(self, offset: int) -> bool:
        """Tell whether the character at ``offset`` is outside code and comments."""
        return not (_inside(self.code, offset) or _inside(self.comments, offset))

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based line and column of ``offset``."""
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def finditer(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """Yield the matches of ``pattern`` that start in prose."""
        for match in pattern.finditer(self.text):
            if self.is_prose(match.start()):
                yield match


def remove_comments(text: str) -> str:
    """Remove every ``%%comment%%`` outside code, inline or over several lines.

    Args:
        text: A note's Markdown.

    Returns:
        The Markdown without its comments. A comment that fills whole lines leaves
        one blank line, so the blocks around it stay apart.
    """
    prose = ProseMap.of(text)
    pieces: list[str] = []
    position = 0
    for start, end in prose.comments:
        if text.startswith("<!--", start):
            continue
        pieces.append(text[position:start])
        if "\n" in text[start:end]:
            pieces.append("\n")
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _line_starts(text: str) -> tuple[int, ...]:
    starts = [0]
    newline = text.find("\n")
    while newline >= 0:
        starts.append(newline + 1)
        newline = text.find("\n", newline + 1)
    return tuple(starts)


def _inside(ranges: tuple[tuple[int, int], ...], offset: int) -> bool:
    index = bisect.bisect_right(ranges, (offset, float("inf"))) - 1
    return index >= 0 and ranges[index][0] <= offset < ranges[index][1]


def _gaps(ranges: list[tuple[int, int]], length: int) -> Iterator[tuple[int, int]]:
    position = 0
    for start, end in ranges:
        if start > position:
            yield position, start
        position = max(position, end)
    if position < length:
        yield position, length


_LIST_ITEM = re.compile(r" {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_INDENTED = re.compile(r"(?: {4}|\t)")


def _indented_code_ranges(text: str, fences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The indented code blocks: lines indented four spaces (or a tab) after a blank line.

    An indented line that follows a list item, even across blank lines, continues the
    item in Markdown rather than starting code, so it stays prose; so does a line that
    directly follows a paragraph (a lazy continuation).
    """
    if "    " not in text and "\t" not in text:
        return []
    ranges: list[tuple[int, int]] = []
    fenced = tuple(fences)
    offset = 0
    after_blank = True  # the start of the note counts as after a blank line
    in_list = False
    code_start: int | None = None
    code_end = 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        blank = not content.strip()
        if _inside(fenced, offset):
            after_blank, in_list = False, False
        elif code_start is not None and (blank or _INDENTED.match(content)):
            if not blank:
                code_end = offset + len(line)
        elif not blank and _INDENTED.match(content) and after_blank and not in_list:
            code_start, code_end = offset, offset + len(line)
        else:
            if code_start is not None:
                ranges.append((code_start, code_end))
                code_start = None
            if not blank:
                in_list = bool(_LIST_ITEM.match(content)) or (
                    in_list and bool(_INDENTED.match(content) or content.startswith((" ", "\t")))
                )
            after_blank = blank
        offset += len(line)
    if code_start is not None:
        ranges.append((code_start, code_end))
    return ranges


def _fence_ranges(text: str) -> Iterator[tuple[int, int]]:
    if "```" not in text and "~~~" not in text:
        return
    offset = 0
    opened: tuple[int, str] | None = None
    for line in text.splitlines(keepends=True):
        if "```" not in line and "~~~" not in line:
            # No fence can open or close here; most lines of a note are like this.
            offset += len(line)
            continue
        stripped = line.rstrip("\r\n")
        match = _FENCE_OPEN.match(stripped)
        if opened is None:
            if match and not (match["fence"][0] == "`" and "`" in match["info"]):
                opened = (offset, match["fence"])
        elif (
            match
            and match["fence"][0] == opened[1][0]
            and len(match["fence"]) >= len(opened[1])
            and not match["info"].strip()
        ):
            yield opened[0], offset + len(line)
            opened = None
        offset += len(line)
    if opened is not None:
        yield opened[0], len(text)


# An Obsidian tag: `#` after whitespace or at a line start, letters, digits, `_`, `-`
# and `/` (nesting), with at least one character that is not a digit.
INLINE_TAG = re.compile(r"(?<!\S)#(?P<tag>(?=[\w/-]*[^\W\d])[\w/-]+)")


def find_inline_tags(text: str, *, prose: ProseMap | None = None) -> list[re.Match[str]]:
    """Find the inline ``#tags`` of a note, outside code, comments and HTML tags.

    Args:
        text: A note's Markdown.
        prose: The note's prose map, when the caller already has it.

    Returns:
        The matches in document order; ``match["tag"]`` is the name without ``#``.
    """
    prose = prose or ProseMap.of(text)
    found = []
    for match in prose.finditer(INLINE_TAG):
        line_start = text.rfind("\n", 0, match.start()) + 1
        before = text[line_start : match.start()]
        # `style="color: #fff"` in raw HTML and `{ #id }` of attr_list are not tags.
        if before.rfind("<") > before.rfind(">") or before.rfind("{") > before.rfind("}"):
            continue
        found.append(match)
    return found


# The index, the link scan, the tag scan and the Markdown extension each need the map
# of the same note during one build; the map is immutable, so it is computed once.
@functools.lru_cache(maxsize=4096)
def _prose_map(text: str) -> ProseMap:
    return ProseMap._scan(text)
