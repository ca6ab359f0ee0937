"""The navigation of a build, resolved by mkdocs-awesome-nav with the vault's additions.

One function for the build (the plugin's ``on_files``) and for ``make check``, so both
see the same navigation. awesome-nav is used as a library rather than as a plugin
because its plugin replaces the navigation with nothing to add before or after it:
the vault's generated ``.nav.yml`` files go in first, empty sections come out after.
The build hands the result to MkDocs as its ``nav`` configuration, so MkDocs makes the
navigation (and a page object per note) once, not once from the folders and again.
"""

from __future__ import annotations

import copy
import json
import logging
import posixpath
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs_awesome_nav.nav.context import MkdocsFilesContext
from mkdocs_awesome_nav.nav.directory import RootNavDirectory

from vault_renderer.frontmatter import parse_front_matter
from vault_renderer.navigation import (
    NAV_FILE,
    ORDER_KEY,
    FolderPlan,
    order_problem,
    plan_folders,
    without_empty_sections,
)

__all__ = [
    "FolderNavigation",
    "FolderNotePage",
    "ResolvedNavigation",
    "folder_navigation",
    "nav_targets",
    "note_order",
    "plan_for_files",
    "resolve_navigation",
    "vault_navigation",
]

# Where awesome-nav logs (a `.nav.yml` that does not parse, an entry that matches nothing).
AWESOME_NAV_LOGGER = logging.getLogger("mkdocs.plugins.awesome-nav")


class FolderNotePage(Page):
    """A folder note: Material's ``navigation.indexes`` shows it as its section's page."""

    @property
    def is_index(self) -> bool:
        """True: the theme recognises a section's page by this flag."""
        return True


def note_order(text: str | None) -> tuple[float | None, str | None]:
    """A note's ``nav_order`` and, when it has an unusable one, why.

    Args:
        text: The note's text (None when it cannot be read).
    """
    # Most notes have no order: only those that mention the key pay for the YAML parse.
    if not text or ORDER_KEY not in text:
        return None, None
    value = parse_front_matter(text).data.get(ORDER_KEY)
    if value is None:
        return None, None
    problem = order_problem(value)
    return (None, problem) if problem else (float(value), None)


def plan_for_files(
    files: Files,
    *,
    warn: Callable[[str, str], None] | None = None,
    texts: Mapping[str, str | None] | None = None,
) -> FolderPlan:
    """Plan the vault's ``.nav.yml`` additions for the pages of ``files``.

    Args:
        files: The build's files; pages left out of the navigation (``not_in_nav``,
            generated pages such as the unresolved-links list) are not planned.
        warn: Called with a page's path and the problem with its ``nav_order``.
        texts: ``src_uri -> text`` of the pages already read, not to read them again.
    """
    orders: dict[str, float | None] = {}
    texts = texts or {}
    for file in files.documentation_pages(inclusion=InclusionLevel.is_in_nav):
        if file.src_uri in texts:
            text = texts[file.src_uri]
        else:
            try:
                text = file.content_string
            except (OSError, UnicodeDecodeError):
                text = None
        order, problem = note_order(text)
        if problem and warn is not None:
            warn(file.src_uri, problem)
        orders[file.src_uri] = order
    configured = {
        posixpath.dirname(file.src_uri)
        for file in files
        if posixpath.basename(file.src_uri) == NAV_FILE
    }
    return plan_folders(orders, configured)


class ResolvedNavigation:
    """awesome-nav's answer, kept while what it reads is the same.

    It reads which pages are in the navigation and the ``.nav.yml`` files, and nothing
    else; the rebuilds of a serve session seldom change either, and resolving a thousand
    notes costs a good part of a rebuild. What it logged is logged again on reuse.
    """

    def __init__(self) -> None:
        self._key: object = None
        self._nav: list[Any] = []
        self._records: list[logging.LogRecord] = []

    def resolve(self, files: Files) -> list[Any]:
        """awesome-nav's navigation of ``files`` as an MkDocs ``nav`` list."""
        key = (
            tuple(f.src_uri for f in files.documentation_pages(inclusion=InclusionLevel.is_in_nav)),
            tuple(
                (f.src_uri, f.content_bytes)
                for f in files
                if posixpath.basename(f.src_uri) == NAV_FILE
            ),
        )
        if key == self._key:
            for record in self._records:
                AWESOME_NAV_LOGGER.handle(record)
        else:
            kept = _Keep()
            AWESOME_NAV_LOGGER.addHandler(kept)
            try:
                context = MkdocsFilesContext(files, NAV_FILE)
                self._nav = RootNavDirectory(context.root).resolve(context).to_mkdocs_config()
            finally:
                AWESOME_NAV_LOGGER.removeHandler(kept)
            self._key, self._records = key, kept.records
        # MkDocs and other plugins only read it; a copy keeps the kept one safe anyway.
        return copy.deepcopy(self._nav)


def resolve_navigation(
    files: Files,
    plan: FolderPlan,
    make_file: Callable[[str, str], File],
    resolved: ResolvedNavigation | None = None,
) -> list[Any]:
    """The navigation as an MkDocs ``nav`` list: awesome-nav's, with the vault's additions.

    Args:
        files: The build's files; the plan's ``.nav.yml`` files are added to them,
            excluded from the site.
        plan: From :func:`plan_for_files`.
        make_file: Makes a generated file from its docs-relative path and content.
        resolved: awesome-nav's last answers, to reuse while they hold.
    """
    for folder, config in plan.configs.items():
        # JSON is YAML, and much quicker to write than block YAML.
        generated = make_file(posixpath.join(folder, NAV_FILE), json.dumps(config))
        generated.inclusion = InclusionLevel.EXCLUDED
        files.append(generated)
    return without_empty_sections((resolved or ResolvedNavigation()).resolve(files))


def vault_navigation(
    files: Files,
    config: MkDocsConfig,
    *,
    warn: Callable[[str, str], None],
    texts: Mapping[str, str | None] | None = None,
    resolved: ResolvedNavigation | None = None,
) -> list[Any]:
    """The navigation of the vault's folders, as MkDocs' ``nav`` (the plugin's ``on_files``).

    Args:
        files: Every file of the build, generated pages included, with their inclusion
            levels set (``mkdocs.structure.files.set_exclusions``).
        config: The build's config.
        warn: Called with a page's path and what is wrong with its front matter.
        texts: ``src_uri -> text`` of the notes already read.
        resolved: awesome-nav's last answers, to reuse while they hold.
    """
    plan = plan_for_files(files, warn=warn, texts=texts)
    for path in plan.folder_notes:
        # MkDocs keeps a page it finds made: the theme shows this one as its section's.
        FolderNotePage(None, files.src_uris[path], config)
    return resolve_navigation(
        files,
        plan,
        lambda path, content: File.generated(config, path, content=content),
        resolved,
    )


@dataclass(frozen=True)
class FolderNavigation:
    """The navigation a build would make of a docs folder, without building it.

    Attributes:
        nav: As an MkDocs ``nav`` list.
        complaints: What awesome-nav logged, each ending in ``[path/.nav.yml]``: a
            ``.nav.yml`` that does not parse, an entry that matches nothing.
        order_problems: ``(page, problem)`` for each unusable ``nav_order``.
    """

    nav: list[Any]
    complaints: tuple[str, ...] = ()
    order_problems: tuple[tuple[str, str], ...] = ()


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # MkDocs' plugin logger prefixes the plugin's name.
        self.messages.append(record.getMessage().removeprefix("awesome-nav: "))


def folder_navigation(docs: Path, pages: Iterable[str]) -> FolderNavigation:
    """Resolve the navigation of ``docs`` as :func:`build_navigation` does (for the check).

    Args:
        docs: The docs directory; its ``.nav.yml`` files are read.
        pages: The pages that belong in the navigation, relative to ``docs``.
    """
    site = "/nonexistent-site"

    def on_disk(path: str) -> File:
        return File(path, src_dir=str(docs), dest_dir=site, use_directory_urls=True)

    def generated(path: str, content: str) -> File:
        file = File(path, src_dir=None, dest_dir=site, use_directory_urls=True)
        file.content_string = content
        return file

    files = Files([on_disk(page) for page in pages])
    for config in sorted(docs.rglob(NAV_FILE)):
        files.append(on_disk(config.relative_to(docs).as_posix()))
    problems: list[tuple[str, str]] = []
    plan = plan_for_files(files, warn=lambda path, problem: problems.append((path, problem)))
    collect = _Collect()
    AWESOME_NAV_LOGGER.addHandler(collect)
    propagate, AWESOME_NAV_LOGGER.propagate = AWESOME_NAV_LOGGER.propagate, False
    try:
        nav = resolve_navigation(files, plan, generated)
    finally:
        AWESOME_NAV_LOGGER.removeHandler(collect)
        AWESOME_NAV_LOGGER.propagate = propagate
    return FolderNavigation(nav, tuple(collect.messages), tuple(problems))


def nav_targets(nav: list[Any]) -> Iterator[str]:
    """Every path or URL an MkDocs ``nav`` list names, in order."""
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            yield from nav_targets(value)
        elif isinstance(value, str):
            yield value
