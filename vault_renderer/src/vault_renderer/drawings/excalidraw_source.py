"""Read an Excalidraw drawing out of any file form a vault holds, within fixed bounds.

Forms: Obsidian's ``.excalidraw.md`` (front matter, ``## Text Elements``,
``## Embedded Files``, then a ``compressed-json`` or ``json`` fenced block under
``## Drawing``), and plain ``.excalidraw`` / ``.excalidraw.json`` JSON documents.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from vault_renderer.drawings.lzstring import LZStringError, decompress_from_base64

MAX_SOURCE_CHARS = 16 * 1024 * 1024
MAX_JSON_CHARS = 32 * 1024 * 1024
MAX_ELEMENTS = 20_000

_FENCE = re.compile(r"^```(compressed-json|json)[ \t]*$", re.MULTILINE)
_FENCE_END = re.compile(r"^```[ \t]*$", re.MULTILINE)
# Trailing blanks are stripped in Python: "(.+?) *$" backtracks quadratically on them.
_SECTION = re.compile(r"^(#{1,6}) +(.+)$", re.MULTILINE)
# Obsidian appends a block id to each text element: "Some text ^AbC123xy".
_BLOCK_ID = re.compile(r" ?\^[A-Za-z0-9-]+[ \t]*$")
_EMBEDDED_FILE = re.compile(r"^([0-9A-Za-z_-]+):[ \t]*(.+)$", re.MULTILINE)
_WIKILINK = re.compile(r"^!?\[\[([^\]|#]+)(?:[#|][^\]]*)?\]\]$")


@dataclass(frozen=True, slots=True)
class ExcalidrawSource:
    """What a drawing file holds.

    Attributes:
        scene: the decoded Excalidraw scene (a dict with ``elements``), or None when the
            file has no usable drawing data.
        problem: why ``scene`` is None (None when there is a scene, or when the file
            simply has no drawing block).
        text_elements: the ``## Text Elements`` section's texts, block ids removed.
        embedded_files: file id to what ``## Embedded Files`` says about it.
    """

    scene: dict[str, Any] | None
    problem: str | None
    text_elements: tuple[str, ...]
    embedded_files: dict[str, EmbeddedFile]


@dataclass(frozen=True, slots=True)
class EmbeddedFile:
    """One line of ``## Embedded Files``.

    Attributes:
        target: the vault link target (``"icon.svg"`` for ``[[icon.svg|48]]``), or the
            text as written for other forms (a URL, LaTeX).
        in_vault: True when ``target`` is a vault link (``[[...]]``).
    """

    target: str
    in_vault: bool


def read_source(source: str) -> ExcalidrawSource:
    """Find and decode the drawing in a file's text; never raises for bad content.

    Args:
        source: the whole file.

    Returns:
        The scene, or the reason there is none, plus the Markdown sections' data.
    """
    if len(source) > MAX_SOURCE_CHARS:
        return ExcalidrawSource(
            None,
            f"the file is {len(source):,} characters, more than the {MAX_SOURCE_CHARS:,} allowed",
            (),
            {},
        )
    text = source.lstrip("\ufeff")
    if text.lstrip().startswith("{"):
        scene, problem = _parse_scene(text, "the JSON document")
        return ExcalidrawSource(scene, problem, (), {})

    sections = _sections(text)
    text_elements = _text_elements(sections.get("text elements", ""))
    embedded_files = _embedded_files(sections.get("embedded files", ""))
    fence = _FENCE.search(text)
    if fence is None:
        return ExcalidrawSource(None, None, text_elements, embedded_files)
    kind = fence.group(1)
    end = _FENCE_END.search(text, fence.end())
    if end is None:
        return ExcalidrawSource(
            None,
            f"the {kind} block has no closing ``` (is the file truncated?)",
            text_elements,
            embedded_files,
        )
    block = text[fence.end() : end.start()]
    if kind == "compressed-json":
        try:
            decoded = decompress_from_base64(block, max_chars=MAX_JSON_CHARS)
        except LZStringError as error:
            return ExcalidrawSource(
                None,
                f"the compressed-json block cannot be decompressed: {error}",
                text_elements,
                embedded_files,
            )
        scene, problem = _parse_scene(decoded, "the decompressed compressed-json block")
    else:
        scene, problem = _parse_scene(block, "the json block")
    return ExcalidrawSource(scene, problem, text_elements, embedded_files)


def embedded_file_targets(source: str) -> tuple[str, ...]:
    """The vault link targets of a file's ``## Embedded Files`` section, in order."""
    if len(source) > MAX_SOURCE_CHARS or source.lstrip("\ufeff").lstrip().startswith("{"):
        return ()
    files = _embedded_files(_sections(source).get("embedded files", ""))
    return tuple(dict.fromkeys(file.target for file in files.values() if file.in_vault))


def _parse_scene(text: str, what: str) -> tuple[dict[str, Any] | None, str | None]:
    if len(text) > MAX_JSON_CHARS:
        return None, f"{what} is {len(text):,} characters, more than the {MAX_JSON_CHARS:,} allowed"
    try:
        # NaN and Infinity are not JSON; read them as missing values.
        data = json.loads(text, parse_constant=lambda _name: None)
    except json.JSONDecodeError as error:
        return (
            None,
            f"{what} is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}",
        )
    except RecursionError:
        return None, f"{what} nests too deeply"
    if not isinstance(data, dict) or not isinstance(data.get("elements"), list):
        return None, f'{what} is not an Excalidraw scene (no "elements" list)'
    if len(data["elements"]) > MAX_ELEMENTS:
        return None, (
            f"{what} has {len(data['elements']):,} elements, more than the {MAX_ELEMENTS:,} allowed"
        )
    return data, None


def _sections(text: str) -> dict[str, str]:
    """Heading (lower-cased) to its body, up to the next heading or ``%%`` line."""
    sections: dict[str, str] = {}
    headings = list(_SECTION.finditer(text))
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        body = text[heading.end() : end]
        body = re.split(r"^%%[ \t]*$", body, maxsplit=1, flags=re.MULTILINE)[0]
        sections.setdefault(heading.group(2).strip().lower(), body)
    return sections


def _text_elements(body: str) -> tuple[str, ...]:
    texts = []
    for block in re.split(r"\n[ \t]*\n", body.strip("\n")):
        lines = [line.rstrip() for line in block.splitlines()]
        if not any(lines):
            continue
        lines[-1] = _BLOCK_ID.sub("", lines[-1]).rstrip()
        texts.append("\n".join(lines).strip())
    return tuple(text for text in texts if text)


def _embedded_files(body: str) -> dict[str, EmbeddedFile]:
    files = {}
    for match in _EMBEDDED_FILE.finditer(body):
        target = match.group(2).strip()
        link = _WIKILINK.match(target)
        files[match.group(1)] = (
            EmbeddedFile(link.group(1).strip(), True) if link else EmbeddedFile(target, False)
        )
    return files
