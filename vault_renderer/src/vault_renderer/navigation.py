"""Where each note goes in the site's navigation: the vault's folder tree, as Obsidian shows it.

The navigation is resolved by mkdocs-awesome-nav from ``.nav.yml`` files (the hand-made
top level is ``docs/.nav.yml``); it makes every folder a section and sorts naturally
(``07-02`` before ``07-10``). This module adds, as more ``.nav.yml`` content, what an
Obsidian vault means and awesome-nav does not know:

- a *folder note* (``15 Serverless/15 Serverless.md``, named like its folder) is its
  section's page and comes first, as ``index.md`` does;
- ``nav_order:`` in a note's front matter puts the note before its siblings that have
  none, smallest first; a folder note's ``nav_order`` places its folder.

A folder with a ``.nav.yml`` of its own is left to it. Plain data in, plain data out.
"""

from __future__ import annotations

import posixpath
import unicodedata
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from typing import Any

from natsort import natsort_keygen, ns

__all__ = [
    "NAV_FILE",
    "ORDER_KEY",
    "FolderPlan",
    "order_problem",
    "plan_folders",
    "without_empty_sections",
]

NAV_FILE = ".nav.yml"
"""The name of awesome-nav's per-folder configuration files."""

ORDER_KEY = "nav_order"
"""The front-matter key that orders a note among its siblings."""

# Pages that are their folder's section page whatever the folder is called (awesome-nav's
# own default puts them first).
_INDEX_NAMES = ("index.md", "readme.md")
_NATURAL = natsort_keygen(alg=ns.INT | ns.GROUPLETTERS)


@dataclass(frozen=True)
class FolderPlan:
    """What the vault adds to awesome-nav's view of the folders.

    Attributes:
        configs: The ``.nav.yml`` to generate, by folder (docs-relative, ``""`` for the
            top), as the mapping awesome-nav reads.
        folder_notes: The notes that are their folder's section page without being
            called ``index.md`` (the theme must be told they are indexes).
    """

    configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    folder_notes: frozenset[str] = frozenset()


def order_problem(value: object) -> str | None:
    """Why a front-matter ``nav_order`` value cannot order a note, or None if it can."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"`{ORDER_KEY}` must be a number (such as 1 or 2.5), not {value!r}"
    return None


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _section_page(folder: str, notes: Iterable[str]) -> str | None:
    names = {_key(posixpath.basename(note)): note for note in notes}
    for index in _INDEX_NAMES:
        if index in names:
            return names[index]
    return names.get(_key(posixpath.basename(folder)) + ".md") if folder else None


def plan_folders(orders: Mapping[str, float | None], configured: Set[str]) -> FolderPlan:
    """Plan the generated ``.nav.yml`` files and find the folder notes.

    Args:
        orders: Every page that belongs in the navigation (docs-relative ``.md`` paths),
            with its valid ``nav_order`` or None.
        configured: Folders that have a ``.nav.yml`` of their own; they get none.

    Returns:
        The plan: a folder gets a generated ``.nav.yml`` only when it has a folder note
        or an ordered child, so every other folder keeps awesome-nav's defaults.
    """
    notes: dict[str, list[str]] = {}
    folders: dict[str, set[str]] = {}
    for page in orders:
        folder = posixpath.dirname(page)
        notes.setdefault(folder, []).append(page)
        while folder:
            parent = posixpath.dirname(folder)
            folders.setdefault(parent, set()).add(folder)
            folder = parent
    section_pages = {
        folder: page for folder in notes if (page := _section_page(folder, notes[folder]))
    }
    folder_notes = frozenset(
        page
        for page in section_pages.values()
        if _key(posixpath.basename(page)) not in _INDEX_NAMES
    )
    configs: dict[str, dict[str, Any]] = {}
    for folder in sorted(notes.keys() | folders.keys()):
        if folder in configured:
            continue
        first = section_pages.get(folder)
        children = [(page, orders[page]) for page in notes.get(folder, ()) if page != first]
        children += [
            (sub, orders.get(section_pages.get(sub, ""))) for sub in folders.get(folder, ())
        ]
        ordered = sorted(
            ((order, _NATURAL(child), child) for child, order in children if order is not None),
        )
        if (first is None or first not in folder_notes) and not ordered:
            continue
        entries: list[Any] = [posixpath.basename(first)] if first else []
        entries += [posixpath.basename(child) for _order, _key_, child in ordered]
        # Everything else after them, in awesome-nav's natural order.
        entries.append({"glob": "*", "ignore_no_matches": True})
        configs[folder] = {"nav": entries}
    return FolderPlan(configs, folder_notes)


def without_empty_sections(nav: list[Any]) -> list[Any]:
    """An MkDocs ``nav`` without the sections that hold nothing.

    A hand-made section whose only entry is a pattern (``Notes: [glob: "*"]``) is empty
    while every folder is placed elsewhere; the theme must not show an empty tab.
    """
    kept: list[Any] = []
    for item in nav:
        if isinstance(item, dict):
            ((title, value),) = item.items()
            if isinstance(value, list):
                value = without_empty_sections(value)
                if not value:
                    continue
            item = {title: value}
        kept.append(item)
    return kept
