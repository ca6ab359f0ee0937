"""Which pages a change to the vault affects: the pure core of incremental rebuilds.

A ``VaultState`` is what one build knew about the vault: each source's fingerprint, each
note's index entry (title, aliases, headings, tags...), each note's links and what they
resolved to, and the shape of the navigation. ``plan_rebuild`` compares two states and
returns the pages whose HTML can differ, or asks for a full build when the change reaches
everywhere (a note added, removed or renamed, a changed configuration or alias, a
reordered navigation). Over-approximating is safe; missing a page is a bug, so each rule
says which part of a page it covers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = ["Link", "RebuildPlan", "VaultState", "plan_rebuild"]


@dataclass(frozen=True)
class Link:
    """One link of a note, as resolved.

    Attributes:
        target: The site path it resolved to, or None when it does not resolve.
        embed: Whether the note shows the target's content (``![[...]]``).
    """

    target: str | None
    embed: bool = False


@dataclass(frozen=True)
class VaultState:
    """What one build knew about the vault.

    Attributes:
        fingerprints: ``site path -> content hash`` of every note, drawing and file.
        entries: ``site path -> index entry`` (any comparable value: a note's title,
            aliases, headings, block ids and tags) of every note and drawing.
        titles: ``site path -> title`` of every page (what navigation and backlinks show).
        links: ``site path -> its links`` for every note that has any.
        pages: The site paths of every page.
        nav_order: The pages of the navigation, in its order (the footer links each to
            its neighbours).
        nav_groups: ``page -> the part of the navigation that shows its title``: pages
            of one group show each other's titles; ``None`` when every page shows it (a
            top-level page, or a section's own page).
        nav_shape: Everything else the navigation depends on, comparable as a whole.
        listing_pages: Pages that list other pages by tag (the tags index). They are
            rendered with every rebuild: a page's tags link to the listings rendered in
            the same build.
        global_inputs: Fingerprint of what every page depends on (configuration,
            theme overrides, the glossary).
        shown_files: ``generated page -> the vault file it shows`` (a drawing's own
            page shows the drawing and its backlinks): the page follows the file.
    """

    fingerprints: Mapping[str, str]
    entries: Mapping[str, object] = field(default_factory=dict)
    titles: Mapping[str, str] = field(default_factory=dict)
    links: Mapping[str, tuple[Link, ...]] = field(default_factory=dict)
    pages: tuple[str, ...] = ()
    nav_order: tuple[str, ...] = ()
    nav_groups: Mapping[str, str | None] = field(default_factory=dict)
    nav_shape: object = None
    listing_pages: frozenset[str] = frozenset()
    global_inputs: str = ""
    shown_files: Mapping[str, str] = field(default_factory=dict)

    def embedders(self) -> dict[str, set[str]]:
        """``site path -> notes that show its content``."""
        found: dict[str, set[str]] = {}
        for source, links in self.links.items():
            for link in links:
                if link.embed and link.target is not None:
                    found.setdefault(link.target, set()).add(source)
        return found

    def linkers(self) -> dict[str, set[str]]:
        """``site path -> notes with a link or embed that resolves to it``."""
        found: dict[str, set[str]] = {}
        for source, links in self.links.items():
            for link in links:
                if link.target is not None:
                    found.setdefault(link.target, set()).add(source)
        return found


@dataclass(frozen=True)
class RebuildPlan:
    """What to render again.

    Attributes:
        full: Why every page must be rendered, or ``""`` when ``pages`` suffice.
        pages: The pages to render again (all of them when ``full``).
        surroundings: Those of ``pages`` whose content is as it was: only what the
            theme puts around it (the navigation, the footer) changes, so the page is
            written again around the content kept from the last build.
    """

    full: str
    pages: frozenset[str]
    surroundings: frozenset[str] = frozenset()


def plan_rebuild(previous: VaultState | None, current: VaultState) -> RebuildPlan:
    """The pages whose HTML a change from ``previous`` to ``current`` can alter.

    Args:
        previous: The state of the last build, or None for the first one.
        current: The state now.

    Returns:
        A full rebuild with its reason, or the pages to render again.
    """
    everything = frozenset(current.pages)
    reason = _full_rebuild_reason(previous, current)
    if reason:
        return RebuildPlan(reason, everything)
    assert previous is not None
    changed = {
        path
        for path, digest in current.fingerprints.items()
        if previous.fingerprints.get(path) != digest
    }
    # Pages whose content changes: what embeds them shows it too.
    content = set(changed)
    linkers = _union(previous.linkers(), current.linkers())
    for path in changed:
        if previous.entries.get(path) != current.entries.get(path):
            # Links to it resolve their headings and blocks against its entry.
            content |= linkers.get(path, set())
    pages = _with_embedders(content, _union(previous.embedders(), current.embedders()))
    # Pages whose "Linked from" or navigation change: an embed shows neither, so what
    # embeds them stays as it is.
    navigation: set[str] = set()
    for path in changed:
        if previous.titles.get(path) != current.titles.get(path):
            # The notes it links to list it by its title.
            pages |= {link.target for link in current.links.get(path, ()) if link.target}
            navigation |= _navigation_shows_title(path, current)
        old = {link.target for link in previous.links.get(path, ())}
        new = {link.target for link in current.links.get(path, ())}
        # A target it now links to, or no longer does, gains or loses a backlink.
        pages |= {target for target in old ^ new if target is not None}
    pages |= {page for page, shown in current.shown_files.items() if shown in pages}
    if pages or navigation:
        pages |= current.listing_pages
    surroundings = frozenset(navigation - pages) & everything
    return RebuildPlan("", (frozenset(pages) & everything) | surroundings, surroundings)


def _full_rebuild_reason(previous: VaultState | None, current: VaultState) -> str:
    if previous is None:
        return "first build"
    if previous.global_inputs != current.global_inputs:
        return "the configuration, theme or glossary changed"
    if previous.fingerprints.keys() != current.fingerprints.keys():
        return "a file was added, removed or renamed"
    if previous.nav_shape != current.nav_shape:
        return "the navigation changed"
    for path, entry in current.entries.items():
        if _aliases(entry) != _aliases(previous.entries.get(path)):
            # Any link anywhere may now resolve to another note.
            return f"the aliases of {path} changed"
    return ""


def _aliases(entry: object) -> object:
    return getattr(entry, "aliases", None)


def _navigation_shows_title(path: str, state: VaultState) -> set[str]:
    """The pages whose navigation or footer shows a page's title."""
    if path not in state.nav_groups:
        return set()
    group = state.nav_groups[path]
    if group is None:
        return set(state.pages)
    shown = {page for page, other in state.nav_groups.items() if other == group}
    # The footer names the previous and the next page.
    if path in state.nav_order:
        index = state.nav_order.index(path)
        shown |= set(state.nav_order[max(index - 1, 0) : index + 2])
    return shown


def _with_embedders(pages: Iterable[str], embedders: Mapping[str, set[str]]) -> set[str]:
    """``pages`` and every note that shows one of them, however deep."""
    found = set(pages)
    queue = list(found)
    while queue:
        for embedder in embedders.get(queue.pop(), ()):
            if embedder not in found:
                found.add(embedder)
                queue.append(embedder)
    return found


def _union(*maps: Mapping[str, set[str]]) -> dict[str, set[str]]:
    merged: dict[str, set[str]] = {}
    for mapping in maps:
        for key, values in mapping.items():
            merged.setdefault(key, set()).update(values)
    return merged
