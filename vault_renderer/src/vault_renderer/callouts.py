"""Obsidian callouts (``> [!type] Title``) as Material admonitions.

A callout becomes the HTML the ``admonition`` extension writes (``div.admonition``),
or, when it folds (``+`` open, ``-`` closed), the HTML ``pymdownx.details`` writes
(``details``/``summary``), so Material styles both without extra CSS.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension

__all__ = ["CALLOUT_TYPES", "CalloutExtension", "CalloutProcessor", "makeExtension"]

# Every Obsidian callout type and alias, mapped to the Material admonition type that
# looks the same (Material has no separate "todo" style; Obsidian draws it like info).
CALLOUT_TYPES: dict[str, str] = {
    "note": "note",
    "abstract": "abstract",
    "summary": "abstract",
    "tldr": "abstract",
    "info": "info",
    "todo": "info",
    "tip": "tip",
    "hint": "tip",
    "important": "tip",
    "success": "success",
    "check": "success",
    "done": "success",
    "question": "question",
    "help": "question",
    "faq": "question",
    "warning": "warning",
    "caution": "warning",
    "attention": "warning",
    "failure": "failure",
    "fail": "failure",
    "missing": "failure",
    "danger": "danger",
    "error": "danger",
    "bug": "bug",
    "example": "example",
    "quote": "quote",
    "cite": "quote",
}


class CalloutProcessor(BlockProcessor):
    """Turn a blockquote that opens with ``[!type]`` into an admonition or details."""

    RE_CALLOUT = re.compile(
        r"^[ ]{0,3}>[ ]?\[!(?P<type>[^\]\s]*)\](?P<fold>[+-]?)[ \t]*(?P<title>.*)$"
    )
    RE_QUOTE_MARKER = re.compile(r"^[ ]{0,3}>[ ]?")
    RE_CALLOUT_LINE = re.compile(RE_CALLOUT.pattern, re.M)
    # Deeper callouts are left to the blockquote processor: each level recurses, and a
    # hostile note must not exhaust the stack.
    MAX_DEPTH = 20

    def __init__(self, parser: BlockParser) -> None:
        super().__init__(parser)
        self.depth = 0

    def test(self, parent: etree.Element, block: str) -> bool:
        return self.depth < self.MAX_DEPTH and self._start(block) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        start = self._start(block)
        assert start is not None  # test() found the callout
        if start:
            # Lines before the callout (a paragraph without a blank line) come first.
            self.parser.parseBlocks(parent, [block[:start].rstrip("\n")])
        first, _, rest = block[start:].partition("\n")
        match = self.RE_CALLOUT.match(first)
        assert match is not None  # test() matched this line
        written = match["type"].casefold()
        kind = CALLOUT_TYPES.get(written, "note")
        title = match["title"].strip() or (written or "note").capitalize()
        # Lazy continuation lines (no `>`) belong to the callout, as in a blockquote.
        body = (
            "\n".join(self.RE_QUOTE_MARKER.sub("", line, count=1) for line in rest.split("\n"))
            if rest
            else ""
        )
        if match["fold"]:
            box = etree.SubElement(parent, "details", {"class": kind})
            if match["fold"] == "+":
                box.set("open", "open")
            etree.SubElement(box, "summary").text = title
        else:
            box = etree.SubElement(parent, "div", {"class": f"admonition {kind}"})
            etree.SubElement(box, "p", {"class": "admonition-title"}).text = title
        if body.strip():
            self.depth += 1
            try:
                self.parser.parseChunk(box, body)
            finally:
                self.depth -= 1

    def _start(self, block: str) -> int | None:
        """Offset of the callout's first line, if one starts the block or follows prose.

        A ``[!type]`` line after other quoted lines is part of a plain blockquote.
        """
        match = self.RE_CALLOUT_LINE.search(block)
        if match is None:
            return None
        before = block[: match.start()]
        if any(self.RE_QUOTE_MARKER.match(line) for line in before.split("\n") if line):
            return None
        return match.start()


class CalloutExtension(Extension):
    """Obsidian callouts as Material admonitions."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # Before the blockquote processor (20), which would otherwise take the block.
        md.parser.blockprocessors.register(CalloutProcessor(md.parser), "obsidian_callout", 21)


def makeExtension(**kwargs: object) -> CalloutExtension:
    """Entry point for ``markdown.Markdown(extensions=["vault_renderer.callouts"])``."""
    return CalloutExtension(**kwargs)
