"""Every link of the vault at once: backlinks and the unresolved-links report.

One pass over the notes' text, before any page renders, so backlinks are complete on
every page and each unresolved link is reported once with its file and line.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from vault_renderer.links import (
    LinkKind,
    LinkOccurrence,
    Resolution,
    find_links,
    is_file_link,
    page_href,
    resolve_link,
)
from vault_renderer.vault import Vault, VaultFile

__all__ = [
    "LinkReport",
    "VaultReport",
    "backlinks_html",
    "describe",
    "scan_note",
    "scan_vault",
    "unresolved_page",
]


@dataclass(frozen=True)
class LinkReport:
    """One link of one note and what it resolved to.

    Attributes:
        source: The linking note's site path.
        occurrence: The link, where it is.
        resolution: What it points at, or why it does not.
    """

    source: str
    occurrence: LinkOccurrence
    resolution: Resolution

    @property
    def missing(self) -> bool:
        """Whether the target note or file does not exist."""
        return self.resolution.file is None

    @property
    def broken_anchor(self) -> bool:
        """Whether the note exists but not the heading or block the link names."""
        return self.resolution.file is not None and self.resolution.problem is not None


@dataclass(frozen=True)
class VaultReport:
    """The links of a whole vault.

    Attributes:
        links: Every checked link, by note then position.
        backlinks: ``site path -> notes that link to or embed it`` (sorted, no self-links).
        unresolved: ``target as written -> links to it``, for missing targets only.
    """

    links: tuple[LinkReport, ...]
    backlinks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    unresolved: Mapping[str, tuple[LinkReport, ...]] = field(default_factory=dict)

    @property
    def problems(self) -> list[LinkReport]:
        """The links that do not resolve fully (missing note, heading or block)."""
        return [link for link in self.links if link.missing or link.broken_anchor]


def scan_note(vault: Vault, source: str, text: str, *, suggest: bool = True) -> list[LinkReport]:
    """Resolve every link of one note.

    Args:
        vault: The vault.
        source: The note's site path.
        text: The note's file text.
        suggest: Whether to look for "did you mean" hints for the links that do not
            resolve (see ``resolve_link``).

    Returns:
        Its links that point into the vault (Markdown links and images only when they
        name a file, ``Note.md`` or ``shot.png``: MkDocs checks the others itself).
    """
    reports = []
    for occurrence in find_links(text):
        wikilink = occurrence.raw.startswith(("[[", "![["))
        if not wikilink and not is_file_link(occurrence.link.target):
            continue
        resolution = resolve_link(
            vault, occurrence.link, source, markdown=not wikilink, suggest=suggest
        )
        reports.append(LinkReport(source, occurrence, resolution))
    return reports


def scan_vault(
    vault: Vault,
    read_text: Callable[[VaultFile], str | None],
    *,
    suggest: bool = True,
    scan: Callable[..., list[LinkReport]] = scan_note,
) -> VaultReport:
    """Resolve every link of every note of the vault.

    Args:
        vault: The vault.
        read_text: Reads a note's text.
        suggest: Whether to look for "did you mean" hints for the links that do not
            resolve; a caller that will not show them (``describe``) saves the search.
        scan: Resolves one note's links, called as ``scan_note`` is (a serve session
            passes one that reuses the last build's answer for an unchanged note).

    Returns:
        The links, the backlinks of each note and the unresolved targets.
    """
    links: list[LinkReport] = []
    # Obsidian's Excalidraw drawings list their embedded files as wikilinks, so a
    # missing icon is an unresolved link of the drawing, as Obsidian itself shows it.
    drawings = [f for f in vault.files.values() if f.site_path.lower().endswith(".excalidraw.md")]
    for file in sorted([*vault.notes(), *drawings], key=lambda f: f.site_path):
        text = read_text(file)
        if text is not None:
            links.extend(scan(vault, file.site_path, text, suggest=suggest))
    backlinks: dict[str, set[str]] = {}
    unresolved: dict[str, list[LinkReport]] = {}
    keys: dict[str, str] = {}
    for link in links:
        target = link.resolution.file
        if target is not None and target.site_path != link.source:
            backlinks.setdefault(target.site_path, set()).add(link.source)
        elif target is None:
            written = link.occurrence.link.target
            # Targets that differ only in case or Unicode form are one missing note.
            key = keys.setdefault(written.casefold(), written)
            unresolved.setdefault(key, []).append(link)
    return VaultReport(
        tuple(links),
        {path: tuple(sorted(sources)) for path, sources in backlinks.items()},
        {
            target: tuple(reports)
            for target, reports in sorted(unresolved.items(), key=lambda i: i[0].casefold())
        },
    )


def describe(link: LinkReport) -> str:
    """The log message for a link that does not resolve, without its location.

    For example ``unresolved link [[Lambda Limits]] (did you mean [[Lambda limits]]?)``
    or ``unresolved link [[EC2#Pricing]]: no heading #Pricing in EC2.md; it links to the
    note (did you mean [[EC2#EC2 pricing]]?)``.
    """
    occurrence = link.occurrence
    embed = occurrence.kind is LinkKind.EMBED
    what = "embed" if embed else "link"
    target = occurrence.link.target
    if link.missing:
        message = f"unresolved {what} {occurrence.raw}"
        options = [f"{'!' if embed else ''}[[{name}]]" for name in link.resolution.suggestions]
    else:
        message = (
            f"unresolved {what} {occurrence.raw}: {link.resolution.problem}; it links to the note"
        )
        if occurrence.kind is LinkKind.MARKDOWN:
            options = [f"#{anchor}" for anchor in link.resolution.suggestions]
        else:
            options = [f"[[{target}#{heading}]]" for heading in link.resolution.suggestions]
    return f"{message} (did you mean {', '.join(options)}?)" if options else message


def backlinks_html(
    vault: Vault, report: VaultReport, page: str, url_of: Callable[[str], str | None]
) -> str:
    """The "Linked from" section of a page, or ``""`` when nothing links to it.

    Args:
        vault: The vault (for titles).
        report: The vault's links.
        page: The page's site path.
        url_of: Returns the page-relative URL of a note's page, or None if unpublished.
    """
    items = []
    for source in report.backlinks.get(page, ()):
        url = url_of(source)
        file = vault.files.get(source)
        if url is None or file is None:
            continue
        items.append(f'<li><a href="{html.escape(url)}">{html.escape(file.title)}</a></li>')
    if not items:
        return ""
    # Kept out of the search index: every page's list would match every title.
    return (
        '<aside class="vault-backlinks" data-search-exclude>'
        '<p class="vault-backlinks-title">Linked from</p><ul>' + "".join(items) + "</ul></aside>"
    )


def unresolved_page(vault: Vault, report: VaultReport, page: str) -> str:
    """The Markdown of the generated page listing every unresolved target.

    Args:
        vault: The vault (for titles).
        report: The vault's links.
        page: The generated page's site path (its links are relative to it).
    """
    lines = [
        "---",
        "search:",
        "  exclude: true",
        "---",
        "",
        "# Unresolved links",
        "",
        "Notes that link to notes or files that are not written yet. Each entry names the",
        "missing target and the notes (with line numbers) that want it.",
        "",
    ]
    if not report.unresolved:
        lines.append("Every link in the vault resolves.")
    for target, links in report.unresolved.items():
        # A code span: the target is a literal name, and the glossary (`abbr`) leaves code
        # alone, so a heading never turns a file name's "EC2" into a tooltip.
        lines += [f"## {_code_span(target)}", ""]
        for link in links:
            file = vault.files[link.source]
            href = page_href(page, link.source) if file.is_page else None
            name = f"[{_escape(file.title)}]({href})" if href else _escape(link.source)
            lines.append(f"- {name}, line {link.occurrence.line}: `{link.occurrence.raw}`")
        lines.append("")
    return "\n".join(lines)


def _code_span(text: str) -> str:
    # A run of backticks longer than any inside the text; the spaces keep a backtick at
    # either end from joining the fence.
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}"


def _escape(text: str) -> str:
    # The page is Markdown, and targets are arbitrary text: nothing in them may be syntax.
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!|<>=%^~" else c for c in text)
