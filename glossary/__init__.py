"""The handbook's glossary: a tooltip on every AWS acronym a page uses.

``includes/abbreviations.md`` lists the acronyms as Markdown abbreviation definitions
(``*[AZ]: Availability Zone``). This extension hands them to Python-Markdown's ``abbr``
as its glossary, which then wraps each acronym in the page's text in an
``<abbr title="...">`` exactly as a definition written in the page would.

Why not append the file to every page (``pymdownx.snippets``' ``auto_append``): then
every page carries some seventy definition lines through the block parser, and each
definition ``abbr`` takes off the block hands the rest back to every block processor,
which searches it again; on the 1,000-note bench that was a third of the handbook's
build time. Read once here, the glossary costs nothing in the block parser.

One difference, on purpose: a page that defines an acronym itself (``*[DR]: ...``)
now keeps its own meaning; appended after it, the glossary's used to win.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.abbr import AbbrExtension
from mkdocs.exceptions import PluginError

__all__ = ["GlossaryExtension", "load_glossary", "makeExtension"]

log = logging.getLogger("mkdocs.glossary")

# A definition as `abbr` reads one in a page (AbbrBlockprocessor.RE), on one line.
_DEFINITION = re.compile(r"\*\[(?P<abbr>[^\\]*?)\][ ]?:[ ]*(?P<title>.*)")


def load_glossary(path: Path) -> dict[str, str]:
    """The acronyms and their meanings in ``path``, read again only when it changes.

    Args:
        path: A file of ``*[TERM]: Meaning`` lines; blank lines are allowed.

    Returns:
        Each term and its meaning, in the file's order.

    Raises:
        PluginError: ``path`` cannot be read.
    """
    try:
        stat = path.stat()
    except OSError as error:
        raise PluginError(
            f"{path}: the glossary (markdown_extensions: glossary: file) cannot be read: "
            f"{error.strerror}"
        ) from None
    return dict(_parse(str(path), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=8)
def _parse(path: str, _mtime_ns: int, _size: int) -> tuple[tuple[str, str], ...]:
    # Keyed by modification time and size, so `make serve` sees an edited glossary;
    # cached, so a build reads (and warns about) the file once, not once a page.
    terms: dict[str, str] = {}
    text = Path(path).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _DEFINITION.fullmatch(line.strip())
        term = match and match["abbr"].strip()
        meaning = match and match["title"].strip()
        if not term or not meaning or meaning in {"''", '""'}:
            log.warning(
                "%s:%d: not a glossary entry, left out: %r (an entry is `*[TERM]: Meaning`)",
                path,
                number,
                line,
            )
            continue
        terms[term] = meaning
    return tuple(terms.items())


class GlossaryExtension(Extension):
    """Registers ``abbr`` with the glossary file's terms."""

    def __init__(self, **kwargs: object) -> None:
        self.config = {
            "file": [
                "includes/abbreviations.md",
                "The glossary: one `*[TERM]: Meaning` a line, relative to the directory "
                "the build runs in (as pymdownx.snippets' base_path).",
            ]
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        """Register ``abbr`` (in place of listing it) with the glossary loaded."""
        glossary = load_glossary(Path(self.getConfig("file")))
        md.registerExtensions([AbbrExtension(glossary=glossary)], {})


def makeExtension(**kwargs: object) -> GlossaryExtension:
    """Entry point for ``markdown_extensions: - glossary``."""
    return GlossaryExtension(**kwargs)
