"""How findings are printed: compiler-style lines for people, annotations for GitHub.

Text format, one finding per line so that editors and ``grep`` can jump to it::

    docs/notes/x.md:12:5: error: VAULT010 unresolved wikilink [[Foo]] — did you mean [[Food]]?

The part after `` — `` is the fix hint. GitHub format prints workflow commands
(``::error file=…,line=…,col=…,title=…::message``) that GitHub shows on the pull
request's lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from vault_renderer.check.findings import CHECKS, Finding, Severity

HINT_SEPARATOR = " — "


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts for the closing line.

    Attributes:
        notes: Markdown notes checked.
        drawings: Excalidraw drawings and SVG files checked.
        images: Other images checked.
        seconds: Wall time of the run.
        base: The git ref compared against, if any.
        hidden: Findings that already existed at ``base`` and were not printed.
    """

    notes: int
    drawings: int
    images: int
    seconds: float
    base: str | None = None
    hidden: int = 0


def format_text(finding: Finding, display_path: str) -> str:
    """One line for a person: ``path:line:col: severity: CODE message — hint``."""
    return (
        f"{display_path}:{finding.line}:{finding.col}: {finding.severity}: "
        f"{finding.code} {finding.message}{HINT_SEPARATOR}{finding.hint}"
    )


def _escape_data(text: str) -> str:
    # GitHub's workflow-command escaping: the message may hold any text.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(finding: Finding, display_path: str) -> str:
    """One GitHub workflow command that annotates the finding's line on the pull request."""
    properties = ",".join(
        f"{key}={_escape_property(value)}"
        for key, value in (
            ("file", display_path),
            ("line", str(finding.line)),
            ("col", str(finding.col)),
            ("title", f"{finding.code} {CHECKS[finding.code].title}"),
        )
    )
    message = _escape_data(f"{finding.message}\n{finding.hint}")
    return f"::{finding.severity} {properties}::{message}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def format_summary(findings: Iterable[Finding], summary: Summary) -> str:
    """The closing line: what was checked, how long it took, what was found."""
    findings = list(findings)
    errors = sum(finding.severity is Severity.ERROR for finding in findings)
    warnings = len(findings) - errors
    checked = (
        f"checked {_plural(summary.notes, 'note')}, {_plural(summary.drawings, 'drawing')} "
        f"and {_plural(summary.images, 'image')} in {summary.seconds:.2f} s"
    )
    if findings:
        found = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    else:
        found = "no problems"
    if summary.base is not None:
        found += f" introduced since {summary.base}"
        if summary.hidden:
            found += (
                f" ({summary.hidden} older {'one' if summary.hidden == 1 else 'ones'} not shown)"
            )
    return f"{checked}: {found}"
