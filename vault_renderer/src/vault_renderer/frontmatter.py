"""Front matter of an Obsidian note: title, date, tags and aliases.

Obsidian tolerates what YAML does not (a broken block is shown as text), so a broken
block here is a problem to report with its line, never a reason to lose the note.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

__all__ = [
    "FrontMatter",
    "FrontMatterProblem",
    "format_date",
    "front_matter_end",
    "normalise_tags",
    "note_title",
    "parse_date",
    "parse_front_matter",
    "plain_heading_text",
]

# The same delimiters MkDocs accepts, so both read the same block.
_BLOCK = re.compile(r"\A-{3}[ \t]*\r?\n(?P<yaml>.*?\r?\n)?(?:-{3}|\.{3})[ \t]*(?:\r?\n|\Z)", re.S)
_ATX_HEADING = re.compile(r"^[ ]{0,3}(#{1,6})[ \t]+(?P<text>.+?)[ \t]*#*[ \t]*$", re.M)
# The owner writes dates as DD/MM/YY; DD/MM/YYYY and ISO dates are accepted too.
_DAY_FIRST = re.compile(r"^(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{2}|\d{4})$")
# libyaml's loader when installed: front matter is parsed once per note per build.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INLINE_MARKUP = re.compile(
    r"\[\[(?P<wiki>[^\]]*)\]\]|\[(?P<text>[^\]]*)\]\([^)]*\)|[*_`=]{1,3}|<[^>]+>"
)


@dataclass(frozen=True)
class FrontMatterProblem:
    """Why a note's front matter could not be used.

    Attributes:
        line: 1-based line in the note's file.
        message: What is wrong and what is allowed.
        key: The top-level key whose value could not be read, when the YAML itself is
            valid (``date: 2023-13-01``); None when the block is not valid YAML or not
            a mapping.
    """

    line: int
    message: str
    key: str | None = None


@dataclass(frozen=True)
class FrontMatter:
    """A note split into its front matter and its body.

    Attributes:
        data: The front matter's keys (empty when there is none or it is broken).
        body: The note without its front matter block.
        body_line: 1-based line of the file where ``body`` starts.
        problems: What was wrong with the block. The body is kept intact regardless; a
            block that is YAML but not a mapping stays in it, as text.
    """

    data: Mapping[str, Any]
    body: str
    body_line: int = 1
    problems: tuple[FrontMatterProblem, ...] = field(default=())


def parse_front_matter(source: str) -> FrontMatter:
    """Split a note into its YAML front matter and its body.

    Args:
        source: The whole file.

    Returns:
        The front matter. When the YAML is broken, holds a value that cannot be read
        (an impossible date) or is not a mapping, ``data`` is empty, the block is still
        removed from ``body`` and ``problems`` says where.
    """
    match = _BLOCK.match(source)
    if match is None:
        return FrontMatter({}, source)
    body = source[match.end() :]
    body_line = source.count("\n", 0, match.end()) + 1
    try:
        data = yaml.load(match["yaml"] or "", Loader=_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        # The YAML starts on the file's second line, after the opening `---`.
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        return FrontMatter(
            {},
            body,
            body_line,
            (
                FrontMatterProblem(
                    line,
                    f"front matter is not valid YAML ({problem}); the page is published without it",
                ),
            ),
        )
    except ValueError as error:
        # Valid YAML whose value has no Python form: the loader raises a plain
        # ValueError for an impossible timestamp such as `2023-13-01`.
        return FrontMatter({}, body, body_line, (_unreadable_value(match["yaml"], error),))
    if data is None:
        return FrontMatter({}, body, body_line)
    if not isinstance(data, dict):
        return FrontMatter(
            {},
            # Not front matter at all, perhaps (a note may open with a `---` rule):
            # the text stays on the page.
            source,
            1,
            (
                FrontMatterProblem(
                    2,
                    f"front matter must be a mapping of keys to values, not"
                    f" {type(data).__name__}; the block is shown as text",
                ),
            ),
        )
    return FrontMatter(data, body, body_line)


def _unreadable_value(yaml_text: str, error: ValueError) -> FrontMatterProblem:
    # The loader's error has no position: compose the block again (that step cannot
    # fail, parsing did not) and construct its scalars one by one to find the culprit.
    loader = _LOADER(yaml_text)
    try:
        for key, node in _scalars(loader.get_single_node(), None):
            try:
                loader.construct_object(node)
            except ValueError as culprit:
                what = "is not a real date" if node.tag == _TIMESTAMP else "cannot be read"
                return FrontMatterProblem(
                    # The YAML starts on the file's second line, after the opening `---`.
                    node.start_mark.line + 2,
                    f"front matter `{key}` value `{node.value}` {what} ({culprit});"
                    " the page is published without its front matter",
                    key,
                )
    finally:
        loader.dispose()
    return FrontMatterProblem(
        2, f"front matter cannot be read ({error}); the page is published without it"
    )


def _scalars(node: yaml.Node | None, key: str | None) -> Iterator[tuple[str, yaml.ScalarNode]]:
    # Each scalar with the top-level key it sits under, in document order.
    if isinstance(node, yaml.ScalarNode):
        yield key or str(node.value), node
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item, key)
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            name = key or str(getattr(key_node, "value", ""))
            yield from _scalars(key_node, name)
            yield from _scalars(value_node, name)


def front_matter_end(source: str) -> int:
    """Return the offset where a note's body starts (0 when it has no front matter)."""
    match = _BLOCK.match(source)
    return match.end() if match else 0


def note_title(data: Mapping[str, Any], body: str, file_name: str) -> str:
    """Return a note's title the way Obsidian users expect it.

    Args:
        data: The note's front matter.
        body: The note's Markdown without front matter.
        file_name: The file's name, with or without ``.md``.

    Returns:
        ``title`` from the front matter, else the first heading's text, else the file
        name without ``.md``.
    """
    title = data.get("title")
    if isinstance(title, str | int | float) and str(title).strip():
        return str(title).strip()
    for match in _ATX_HEADING.finditer(body):
        text = plain_heading_text(match["text"])
        if text:
            return text
    return file_name.removesuffix(".md")


def plain_heading_text(text: str) -> str:
    """Return a heading's text without inline Markdown (the text its id is made from)."""
    return _INLINE_MARKUP.sub(_shown_text, text).strip()


def _shown_text(match: re.Match[str]) -> str:
    if match["wiki"] is not None:
        # What a wikilink shows: its label, else `Note > Heading` (or `Heading` alone).
        destination, _, label = match["wiki"].partition("|")
        note, _, heading = destination.partition("#")
        return label or (f"{note} > {heading}" if note and heading else note or heading)
    return match["text"] or ""


def parse_date(value: object) -> dt.date | None:
    """Read a front-matter date: ``DD/MM/YY``, ``DD/MM/YYYY``, ISO, or a YAML date.

    Args:
        value: The ``date`` value as YAML loaded it.

    Returns:
        The date, or None when the value is not a date in one of those forms.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    if match := _DAY_FIRST.match(text):
        year = int(match["y"])
        # Two-digit years are this century's: the notes date from the 2020s.
        year += 2000 if year < 100 else 0
        try:
            return dt.date(year, int(match["m"]), int(match["d"]))
        except ValueError:
            return None
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        return None


def format_date(date: dt.date) -> str:
    """Return ``date`` as a reader sees it, e.g. ``7 October 2023``."""
    return f"{date.day} {date:%B %Y}"


def normalise_tags(value: object) -> list[str]:
    """Return front-matter tags as a list of names without ``#``.

    Obsidian accepts a YAML list or a string of tags separated by commas or spaces.
    """
    if value is None:
        return []
    items = value if isinstance(value, list) else re.split(r"[,\s]+", str(value))
    tags = [str(item).strip().lstrip("#") for item in items if item is not None]
    return [tag for tag in tags if tag]
