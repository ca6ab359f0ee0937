"""Where each note goes in the site's navigation: the vault's folder tree, as Obsidian shows it.

mkdocs-awesome-nav resolves the navigation from ``.nav.yml`` files (the hand-made top
level is ``docs/.nav.yml``). Every other folder gets a generated ``.nav.yml`` from this
module that names each of its children, in this order:

- its section page: ``index.md``, or else the *folder note*, a note named like its
  folder (``15 Serverless/15 Serverless.md``), which Obsidian users know as the folder's
  page;
- the children with ``nav_order:`` in their front matter, smallest first (a folder note's
  ``nav_order`` places its folder);
- the other notes, then the other folders, in natural order (``07-02`` before ``07-10``,
  ``2`` before ``10``), as awesome-nav itself sorts.

Naming every child keeps the resolution linear in the number of notes: a glob pattern in
each folder would be matched against every note of the vault. A folder with a
``.nav.yml`` of its own is left to it. Plain data in, plain data out.
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
# The order awesome-nav gives a folder it sorts itself (its default `sort: natural`).
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
        The plan: a ``.nav.yml`` for every other folder that holds a page.
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
        pages = [page for page in notes.get(folder, ()) if page != first]
        subfolders = list(folders.get(folder, ()))

        def order_of(child: str) -> float | None:
            return orders.get(child, orders.get(section_pages.get(child, "")))

        ordered = sorted(
            (child for child in pages + subfolders if order_of(child) is not None),
            key=lambda child: (order_of(child), _NATURAL(posixpath.basename(child))),
        )
        rest = [
            *sorted((p for p in pages if order_of(p) is None), key=_natural_name),
            *sorted((f for f in subfolders if order_of(f) is None), key=_natural_name),
        ]
        children = ([first] if first else []) + ordered + rest
        configs[folder] = {"nav": [posixpath.basename(child) for child in children]}
    return FolderPlan(configs, folder_notes)


def _natural_name(path: str) -> Any:
    return _NATURAL(posixpath.basename(path))


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
