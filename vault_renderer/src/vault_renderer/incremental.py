"""Incremental ``mkdocs serve --dirty``: render again only what a change affects.

MkDocs' dirty builds render the pages whose source is newer than their output and
nothing else, so navigation, backlinks and transclusions go stale. This adapter makes
them exact: after the vault is indexed, ``rebuild.plan_rebuild`` names the pages a change
affects and each page's ``File.is_modified`` answers accordingly; a page that is not
rendered again gets back, from the previous build, what the rest of the site reads from
it (title, front matter, anchors, table of contents, search entries, drawing CSS and
images), so every page that is rendered, the search index and the tags index come out
as a full build makes them. A change that reaches everywhere (a note added or removed,
the configuration) cleans the site and renders everything.

Everything here runs only under ``mkdocs serve --dirty``; ``mkdocs build`` never
consults it.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, Environment, Template
from jinja2.bccache import Bucket
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory

from vault_renderer.links import LinkKind
from vault_renderer.rebuild import Link, RebuildPlan, VaultState, plan_rebuild
from vault_renderer.report import LinkReport, VaultReport, scan_note
from vault_renderer.vault import Vault, read_note

__all__ = ["IncrementalBuilds", "indexed_note"]

log = logging.getLogger("mkdocs.plugins.vault_renderer")

# Material's tags plugin marks a listing with this comment (its `listings_directive`).
_LISTING_DIRECTIVE = "material/tags"


# A note's index entry is a function of its path and text: an unchanged note is not
# parsed again by the next build of a serve session. (Entries are immutable.)
indexed_note = lru_cache(maxsize=1 << 14)(read_note)


class LinkScans:
    """Each note's resolved links, kept between the builds of one session.

    A note's links resolve the same way as long as its text, the set of files and
    aliases (which decide what a name means) and the index entries of the files they
    resolved to (their headings and blocks) are the same; the "did you mean" search of
    an unresolved link, which compares it with every file, is then not run again.
    """

    def __init__(self) -> None:
        self._scans: dict[str, tuple[str, int, tuple[LinkReport, ...]]] = {}
        self._names: tuple[Vault, int] | None = None

    def scan(self, vault: Vault, source: str, text: str, *, suggest: bool) -> list[LinkReport]:
        """``report.scan_note``, from the last build's answer when it still holds."""
        names = self._names_key(vault, suggest)
        kept = self._scans.get(source)
        if kept is not None and kept[0] == text and kept[1] == names:
            reports = kept[2]
            if all(
                link.resolution.file is None
                or vault.files.get(link.resolution.file.site_path) == link.resolution.file
                for link in reports
            ):
                return list(reports)
        found = scan_note(vault, source, text, suggest=suggest)
        self._scans[source] = (text, names, tuple(found))
        return found

    def _names_key(self, vault: Vault, suggest: bool) -> int:
        if self._names is None or self._names[0] is not vault:
            names = sorted((path, file.aliases) for path, file in vault.files.items())
            self._names = (vault, hash((suggest, tuple(names))))
        return self._names[1]


class _CompiledTemplates(BytecodeCache):
    """Compiled theme templates kept between the builds of one session.

    Each build makes a new Jinja environment, which would compile Material's templates
    again (a second or more per rebuild); Jinja checks each entry against its source.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class _ThemeFiles:
    """The theme's files, listed once per serve session while its overrides are the same.

    Each build lists every file of the theme to publish its assets: Material has some
    14,000 icons, and the listing was a fifth of a rebuild. Only the overrides change
    in a session, and they are among the global inputs.
    """

    def __init__(self) -> None:
        self._listed: dict[object, list[str]] = {}

    def lister(self, env: Environment, global_inputs: str) -> Callable[..., list[str]]:
        """``env.list_templates``, answered from the first build that asked the same."""
        list_templates = env.list_templates
        searchpath = tuple(getattr(env.loader, "searchpath", ()))

        def listed(
            extensions: Collection[str] | None = None,
            filter_func: Callable[[str], bool] | None = None,
        ) -> list[str]:
            # MkDocs' filter is a new closure each build, over a configuration the
            # global inputs fingerprint: its code tells it apart from another's.
            key = (
                global_inputs,
                searchpath,
                tuple(extensions) if extensions is not None else None,
                getattr(filter_func, "__code__", filter_func),
            )
            if key not in self._listed:
                self._listed[key] = list_templates(extensions, filter_func)
            return list(self._listed[key])

        return listed


class _Rendered:
    """Stands in for a template whose output is known: renders it as it was."""

    def __init__(self, output: str) -> None:
        self.output = output

    def render(self, *_args: object, **_kwargs: object) -> str:
        return self.output


@dataclass
class PageRecord:
    """What the site reads from a page, kept from the build that rendered it."""

    title: str | None
    meta: dict[str, Any]
    toc: Any
    anchors: set[str] | None
    search_entries: list[dict[str, Any]] = field(default_factory=list)
    drawing_css: set[str] = field(default_factory=set)
    drawing_images: dict[str, bytes] = field(default_factory=dict)
    content: str | None = None


class _DirtyNotice(logging.Filter):
    """Hide MkDocs' warning that dirty builds are inaccurate: these ones are not."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


class IncrementalBuilds:
    """The state an incremental serve session keeps from one build to the next.

    Attributes:
        enabled: Whether this session builds incrementally (``serve --dirty``).
        plan: What the current build renders.
        rendered: The pages rendered by the current build, in order.
    """

    def __init__(self) -> None:
        self.enabled = False
        self.plan = RebuildPlan("first build", frozenset())
        self.rendered: list[str] = []
        self._previous: VaultState | None = None
        self._records: dict[str, PageRecord] = {}
        self._fingerprints: dict[str, str] = {}
        self._vault = Vault([])
        self._report = VaultReport(())
        self._search_mark = 0
        self._listings: frozenset[str] = frozenset()
        self._files = Files([])
        self._page_css: set[str] = set()
        self._page_images: dict[str, bytes] = {}
        self._site_css: set[str] = set()
        self._site_images: dict[str, bytes] = {}
        self._templates = _CompiledTemplates()
        self.scans = LinkScans()
        self._static_pages: dict[str, str] = {}
        self._titles_changed = True
        self._generated: dict[str, str] = {}
        self._shown_files: dict[str, str] = {}
        self._global_inputs = ""
        self._theme_files = _ThemeFiles()

    def start(self, *, command: str, dirty: bool) -> None:
        """Enable incremental builds for ``serve --dirty`` (MkDocs' ``on_startup``)."""
        self.enabled = command == "serve" and dirty
        if self.enabled:
            logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())

    def configured(self, config: MkDocsConfig) -> None:
        """Fingerprint what every page depends on; list the theme once (``on_config``)."""
        if not self.enabled:
            return
        self._global_inputs = _global_inputs(config)
        get_env = config.theme.get_env

        def theme_env() -> Environment:
            env = get_env()
            # Each build makes new environments (MkDocs' own, the search plugin's for its
            # translations), which would compile Material's templates again.
            env.bytecode_cache = self._templates
            env.list_templates = self._theme_files.lister(env, self._global_inputs)  # type: ignore[method-assign]
            return env

        # MkDocs makes the theme's environment, then lists its files, in one step of
        # `build`: this is the only way in.
        config.theme.get_env = theme_env  # type: ignore[method-assign]

    def indexed(
        self,
        vault: Vault,
        report: VaultReport,
        texts: Mapping[str, str | None],
        roots: Mapping[str, Path],
        generated: Mapping[str, str] | None = None,
        shown_files: Mapping[str, str] | None = None,
    ) -> None:
        """Keep the vault's index and links and fingerprint its files (``on_files``).

        Args:
            vault: The vault's index.
            report: Its links, resolved.
            texts: ``site path -> text`` of every file (None for files that are not notes).
            roots: ``root name -> directory``, ``""`` for the docs directory.
            generated: ``page -> its Markdown`` of the pages the plugin generates (the
                unresolved links, the drawings' pages): rendered again only when that
                changes or when what they show does (``shown_files``).
            shown_files: ``generated page -> the vault file it shows``.
        """
        if not self.enabled:
            return
        self._vault, self._report = vault, report
        self._generated = dict(generated or {})
        self._shown_files = dict(shown_files or {})
        self._fingerprints = {
            path: _fingerprint(text, _source(path, roots)) for path, text in texts.items()
        }
        for path, text in self._generated.items():
            # A drawing's page may have the drawing's own path (`x.excalidraw.md`).
            self._fingerprints[path] = _digest(self._fingerprints.get(path, "") + "\0" + text)
        self._listings = frozenset(
            path for path, text in texts.items() if text and _LISTING_DIRECTIVE in text
        )

    def plan_build(self, nav: Navigation, files: Files, config: MkDocsConfig) -> None:
        """Decide what to render; restore the rest from the last build (``on_nav``)."""
        if not self.enabled:
            return
        self.rendered = []
        self._files = files
        self._search_mark = 0
        self._site_css, self._site_images = set(), {}
        state = self._state(nav, files, config)
        self.plan = plan_rebuild(self._previous, state)
        self._titles_changed = self._previous is None or self._previous.titles != state.titles
        pages = [file for file in files.documentation_pages() if file.page is not None]
        missing = {
            file.src_uri
            for file in pages
            if file.src_uri not in self.plan.pages and file.src_uri not in self._records
        }
        if missing and not self.plan.full:
            plan = self.plan
            self.plan = RebuildPlan("", plan.pages | missing, plan.surroundings - missing)
        if self.plan.full and self._previous is not None:
            # Files of removed notes must not outlive them.
            clean_directory(config.site_dir)
        self._previous = state
        for file in pages:
            if file.generated_by is not None and file.src_uri not in self._generated:
                # Another plugin's page: only that plugin knows what it shows.
                continue
            modified = self.plan.full or file.src_uri in self.plan.pages
            # Pages whose content is kept are not rendered from Markdown; they are
            # written again around it once every page is read (`restore_site`).
            rendered = modified and file.src_uri not in self.plan.surroundings
            file.is_modified = _always if rendered else _never  # type: ignore[method-assign]
            if not rendered:
                _restore(file.page, self._records[file.src_uri])
        if self.plan.full:
            log.info(f"Full build: {self.plan.full}")
        else:
            log.info(f"Incremental build: rendering {len(self.plan.pages)} of {len(pages)} pages")

    def scan(self, vault: Vault, source: str, text: str, *, suggest: bool) -> list[LinkReport]:
        """Resolve a note's links (for ``report.scan_vault``), reusing the last build's."""
        if not self.enabled:
            return scan_note(vault, source, text, suggest=suggest)
        return self.scans.scan(vault, source, text, suggest=suggest)

    def static_template(self, template: Template, name: str) -> Template | _Rendered:
        """A site-wide page (404, sitemap) as last built, if nothing it shows changed.

        They show the whole navigation, or every page's address, which change only with
        a title, a full build or the day (``on_pre_template``).
        """
        key = f"{name}\0{date.today().isoformat()}"
        if not self.enabled or self.plan.full or self._titles_changed:
            self._static_pages.pop(key, None)
            return template
        return _Rendered(self._static_pages[key]) if key in self._static_pages else template

    def static_template_built(self, output: str, name: str) -> None:
        """Keep a site-wide page's final HTML (``on_post_template``)."""
        if self.enabled:
            self._static_pages[f"{name}\0{date.today().isoformat()}"] = output

    def page_started(self, extension: Any) -> None:
        """Collect the drawing CSS and images of one page apart (``on_page_markdown``)."""
        if not self.enabled:
            return
        self._page_css, self._page_images = set(), {}
        extension.drawing_css, extension.drawing_images = self._page_css, self._page_images

    def page_rendered(self, page: Page, extension: Any) -> None:
        """Merge the page's drawing CSS and images into the site's (``on_page_content``)."""
        if not self.enabled:
            return
        self.rendered.append(page.file.src_uri)
        self._site_css |= self._page_css
        self._site_images |= self._page_images
        extension.drawing_css, extension.drawing_images = self._site_css, self._site_images

    def page_built(self, page: Page, config: MkDocsConfig) -> None:
        """Keep what the site reads from a rendered page (``on_post_page``)."""
        if not self.enabled:
            return
        entries = _search_entries(config)
        source = page.file.src_uri
        if source in self.plan.surroundings and source in self._records:
            # Its content was kept, and with it the drawings it shows.
            kept = self._records[source]
            drawing_css, drawing_images = kept.drawing_css, kept.drawing_images
        else:
            drawing_css, drawing_images = set(self._page_css), dict(self._page_images)
        record = PageRecord(
            title=page.title,
            meta=dict(page.meta),
            toc=page.toc,
            anchors=page.present_anchor_ids,
            search_entries=entries[self._search_mark :],
            drawing_css=drawing_css,
            drawing_images=drawing_images,
            content=page.content,
        )
        self._search_mark = len(entries)
        # The next page's drawings start from nothing.
        self._page_css, self._page_images = set(), {}
        self._records[page.file.src_uri] = record

    def restore_site(self, extension: Any, files: Files, config: MkDocsConfig) -> None:
        """Give the site what the pages not rendered again contribute (``on_env``)."""
        if not self.enabled:
            return
        skipped = [
            file.page
            for file in files.documentation_pages()
            if file.page is not None and file.page.content is None
        ]
        for page in skipped:
            record = self._records[page.file.src_uri]
            self._site_css |= record.drawing_css
            self._site_images |= record.drawing_images
        extension.drawing_css, extension.drawing_images = self._site_css, self._site_images
        tags = _plugin_with(config, "mappings")
        if tags is not None and skipped:
            for page in skipped:
                tags.mappings.add(page, "")
            # In the order a full build adds them: the listings keep that order.
            order = {file.url: index for index, file in enumerate(files.documentation_pages())}
            tags.mappings.data = dict(
                sorted(tags.mappings.data.items(), key=lambda item: order.get(item[0], -1))
            )
        for page in skipped:
            if page.file.src_uri in self.plan.surroundings:
                page.content = self._records[page.file.src_uri].content
                page.file.is_modified = _always  # type: ignore[method-assign]

    def restore_search(self, config: MkDocsConfig) -> None:
        """Put every page's search entries in the index, in order (``on_post_build``)."""
        search = _plugin_with(config, "search_index")
        if not self.enabled or search is None:
            return
        entries: list[dict[str, Any]] = []
        for file in self._files.documentation_pages():
            record = self._records.get(file.src_uri)
            if record is not None and file.page is not None:
                entries += record.search_entries
        search.search_index.entries = entries
        # Material's own dirty-build merge would add the rendered pages a second time.
        search.search_index_prev = None

    def _state(self, nav: Navigation, files: Files, config: MkDocsConfig) -> VaultState:
        links: dict[str, list[Link]] = {}
        for link in self._report.links:
            target = link.resolution.file
            embed = link.occurrence.kind is LinkKind.EMBED or link.occurrence.raw.startswith("!")
            links.setdefault(link.source, []).append(
                Link(target.site_path if target is not None else None, embed)
            )
        pages = tuple(file.src_uri for file in files.documentation_pages())
        return VaultState(
            fingerprints=self._fingerprints,
            entries=dict(self._vault.files),
            titles={path: file.title for path, file in self._vault.files.items()},
            links={source: tuple(found) for source, found in links.items()},
            pages=pages,
            nav_order=tuple(page.file.src_uri for page in nav.pages),
            nav_groups=_nav_groups(nav),
            nav_shape=_nav_shape(nav),
            listing_pages=self._listings & frozenset(pages),
            global_inputs=self._global_inputs,
            shown_files=self._shown_files,
        )


def _always() -> bool:
    return True


def _never() -> bool:
    return False


def _restore(page: Page | None, record: PageRecord) -> None:
    if page is None:
        return
    page.title = record.title  # type: ignore[misc]
    page.meta = dict(record.meta)
    page.toc = record.toc
    page.present_anchor_ids = record.anchors


def _source(path: str, roots: Mapping[str, Path]) -> Path:
    root, _, rest = path.partition("/")
    if root in roots and root:
        return roots[root] / rest
    return roots[""] / path


def _fingerprint(text: str | None, source: Path) -> str:
    """A note by its text; any other file (a drawing, an image) by its size and time."""
    if text is not None:
        return _digest(text)
    try:
        stat = source.stat()
    except OSError:
        # A theme's file, or one a plugin generates: not the vault's to watch.
        return "-"
    return f"{stat.st_mtime_ns}:{stat.st_size}"


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _nav_groups(nav: Navigation) -> dict[str, str | None]:
    groups: dict[str, str | None] = {}
    top = {id(item): str(index) for index, item in enumerate(nav.items)}
    for page in nav.pages:
        parent = page.parent
        if parent is None or (parent.children and parent.children[0] is page):
            # A top-level page is a tab; a section's first page may name the section.
            groups[page.file.src_uri] = None
            continue
        item: Any = page
        while item.parent is not None:
            item = item.parent
        groups[page.file.src_uri] = top.get(id(item))
    return groups


def _nav_shape(nav: Navigation) -> tuple[object, ...]:
    def shape(item: Any) -> object:
        if isinstance(item, Section):
            return (item.title, tuple(shape(child) for child in item.children))
        if isinstance(item, Page):
            return item.file.src_uri
        return (getattr(item, "title", None), getattr(item, "url", None))

    return tuple(shape(item) for item in nav.items)


def _global_inputs(config: MkDocsConfig) -> str:
    """A fingerprint of the configuration and of the files every page is made with."""
    digest = hashlib.blake2b(digest_size=16)
    if config.config_file_path:
        digest.update(Path(config.config_file_path).read_bytes())
    roots = [str(path) for path in config.watch]
    if config.theme.custom_dir:
        roots.append(config.theme.custom_dir)
    snippets = (config.mdx_configs or {}).get("pymdownx.snippets", {})
    base = snippets.get("base_path", [])
    roots += [base] if isinstance(base, str) else list(base)
    # `mkdocs serve -f x.yml` loads the first configuration from the open file, whose
    # name is relative: its theme and watch paths are relative then, absolute in every
    # rebuild's. The same folder must fingerprint the same either way.
    for root in sorted({os.path.abspath(root) for root in roots}):
        for directory, folders, names in sorted(os.walk(root)):
            # Bytecode and hidden folders are written by the build and tools, not authored.
            folders[:] = [f for f in folders if f != "__pycache__" and not f.startswith(".")]
            for name in sorted(names):
                path = os.path.join(directory, name)
                stat = os.stat(path)
                digest.update(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
    return digest.hexdigest()


def _search_entries(config: MkDocsConfig) -> list[dict[str, Any]]:
    search = _plugin_with(config, "search_index")
    return search.search_index.entries if search is not None else []


def _plugin_with(config: MkDocsConfig, attribute: str) -> Any:
    """The first plugin that has ``attribute`` (Material's search or tags plugin)."""
    for plugin in config.plugins.values():
        if hasattr(plugin, attribute):
            return plugin
    return None
