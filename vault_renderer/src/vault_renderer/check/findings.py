"""What the check can report: one stable code per kind of finding, and the finding itself.

The table is data so that ``CONTRIBUTING.md``, the GitHub annotations and the tests all
name the same codes; a code, once published, keeps its meaning.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    """How much a finding matters: errors fail the check, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Check:
    """One kind of finding.

    Attributes:
        code: The stable identifier, ``VAULT`` and three digits.
        severity: Whether it fails the check.
        title: A few words for the annotation title and the docs.
    """

    code: str
    severity: Severity
    title: str


_E, _W = Severity.ERROR, Severity.WARNING

# Grouped by decade: 00x front matter, 01x links, 02x drawings, 03x images, 04x navigation.
CHECKS: dict[str, Check] = {
    check.code: check
    for check in (
        Check("VAULT001", _E, "front matter is not valid YAML"),
        Check("VAULT002", _E, "front matter field has the wrong type"),
        Check("VAULT003", _E, "front matter date is not a date"),
        Check("VAULT004", _W, "note has no title"),
        Check("VAULT010", _E, "unresolved wikilink"),
        Check("VAULT011", _E, "unresolved Markdown link"),
        Check("VAULT012", _E, "missing heading anchor"),
        Check("VAULT013", _E, "missing block reference"),
        Check("VAULT014", _E, "embed of a missing file"),
        Check("VAULT020", _E, "drawing does not decode or render"),
        Check("VAULT021", _W, "drawing renders with a placeholder"),
        Check("VAULT022", _W, "SVG would be changed by the sanitiser"),
        Check("VAULT023", _W, "raw HTML would be removed by the page sanitiser"),
        Check("VAULT030", _W, "image too large for the web"),
        Check("VAULT031", _W, "image or player from another site shown as a link"),
        Check("VAULT040", _W, "note is not in the navigation"),
        Check("VAULT041", _E, "navigation names a missing file"),
        Check("VAULT042", _E, "mkdocs.yml cannot be read"),
    )
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place in the vault.

    Attributes:
        path: The file, relative to the project directory (the one holding
            ``mkdocs.yml``), with ``/`` separators, e.g. ``docs/architecture/caching.md``.
        line: 1-based line of the problem (1 for a whole-file finding).
        col: 1-based column.
        code: A key of :data:`CHECKS`.
        message: What is wrong, naming the offending text.
        hint: How to fix it.
    """

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str

    def __post_init__(self) -> None:
        if self.code not in CHECKS:
            raise ValueError(f"unknown finding code {self.code!r}; known: {', '.join(CHECKS)}")

    @property
    def severity(self) -> Severity:
        """The severity of this finding's kind."""
        return CHECKS[self.code].severity

    @property
    def identity(self) -> tuple[str, str, str]:
        """What makes two findings "the same problem" across versions of the vault.

        The line and column are left out on purpose: an edit above an old broken link
        moves it without making it new. The hint is left out too, because a "did you
        mean" suggestion changes when other notes are added.
        """
        return (self.path, self.code, self.message)

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order findings by file, then position, then code."""
        return (self.path, self.line, self.col, self.code)
