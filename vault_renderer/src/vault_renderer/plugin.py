"""The ``obsidian-vault`` MkDocs plugin: wires the vault renderer into a build.

All Obsidian syntax is rendered by ``ObsidianExtension`` (a Python-Markdown extension);
this adapter builds the vault index and the link report once per build, feeds the
extension the page being rendered, and adds what only a whole-site view can: page
titles and tags from front matter, backlinks, the unresolved-links page, and the
navigation made from the vault's folders (``site_nav``).
"""

from __future__ import annotations

import gc
import logging
import os
import posixpath
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, Template
from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel, set_exclusions
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from vault_renderer.config import ObsidianVaultConfig
from vault_renderer.drawing_pages import DrawingPage, drawing_page_html, drawing_pages
from vault_renderer.drawings import DRAWING_CSS, DrawingCache, drawing_stylesheet
from vault_renderer.embeds import (
    IMAGE_SUFFIXES,
    MEDIA_SUFFIXES,
    DrawingEmbedder,
    VaultReader,
    drawing_kind,
    inline_svg,
)
from vault_renderer.extension import ObsidianExtension, Problem
from vault_renderer.external_media import find_external_media, replace_external_media
from vault_renderer.frontmatter import format_date, normalise_tags, parse_date, parse_front_matter
from vault_renderer.incremental import IncrementalBuilds, indexed_note
from vault_renderer.links import LinkKind
from vault_renderer.nav_cache import install_nav_cache, theme_templates
from vault_renderer.page_sanitizer import is_code_page, sanitize_page
from vault_renderer.report import VaultReport, backlinks_html, describe, scan_vault, unresolved_page
from vault_renderer.resolved_links import ResolvedLinksExtension
from vault_renderer.search_copy import SearchParts, index_search_copies
from vault_renderer.site_nav import ResolvedNavigation, vault_navigation
from vault_renderer.syntax import find_inline_tags
from vault_renderer.vault import (
    Slugify,
    Vault,
    VaultFile,
    default_slugify,
    walk_root,
)
from vault_renderer.watcher import observe_file_changes

__all__ = ["ObsidianVaultPlugin"]

log = logging.getLogger("mkdocs.plugins.vault_renderer")

_CSS_PATH = "assets/vault-renderer.css"
# `Page.render` keeps the links to anchors it found unless this logger shows debug.
_MKDOCS_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")
_LEVELS = {"warning": logging.WARNING, "info": logging.INFO}
# Front matter the theme writes into every page's HTML unescaped (navigation, <title>,
# <meta name="description">): a note's values must read as text there, as must its tags.
_TEXT_META = ("title", "subtitle", "description")


class ObsidianVaultPlugin(BasePlugin[ObsidianVaultConfig]):
    """Render ``docs/`` as the Obsidian vault it is."""

    def __init__(self) -> None:
        self.vault = Vault([])
        self.report = VaultReport(())
        self.extension: ObsidianExtension | None = None
        self.drawing_cache: DrawingCache | None = None
        self.stylesheet: File | None = None
        self.drawing_pages: dict[str, DrawingPage] = {}
        self._config_dir = Path()
        self._docs_label = "docs"
        self.builds = IncrementalBuilds()
        self.navigations = ResolvedNavigation()
        self._lent_nav = False
        # What each rendered page's search copy may leave out, until it is indexed.
        self._search_parts: dict[str, SearchParts] = {}
        # Each note's file and text as `on_files` read them, until MkDocs reads the page.
        self._sources: dict[str, tuple[File, str]] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Render incrementally under ``mkdocs serve --dirty`` (see ``incremental``).

        Defining this hook also makes MkDocs keep this plugin between the rebuilds of
        one ``serve`` session, which is where the previous build's state lives.
        """
        self.builds = IncrementalBuilds()
        self.builds.start(command=command, dirty=dirty)
        self.navigations = ResolvedNavigation()

    def on_shutdown(self) -> None:
        """Forget the serve session's state."""
        self.builds = IncrementalBuilds()
        self.navigations = ResolvedNavigation()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Register the Markdown extensions and the stylesheet.

        The extension is one instance for the whole build: it holds the vault index
        (filled in ``on_files``) and learns the page being rendered in ``on_page_markdown``.
        A second one hands MkDocs the URLs of the links it resolved (``resolved_links``).
        """
        self._config_dir = Path(config.config_file_path or ".").resolve().parent
        self._docs_label = Path(os.path.relpath(config.docs_dir, self._config_dir)).as_posix()
        self.drawing_cache = DrawingCache(self._config_dir / self.config.cache_dir / "drawings")
        self.extension = ObsidianExtension(
            self.vault,
            transclusion_depth=self.config.transclusion_depth,
            report=self._log_problem,
        )
        config.markdown_extensions.append(self.extension)  # type: ignore[arg-type]
        config.markdown_extensions.append(ResolvedLinksExtension(self.extension))  # type: ignore[arg-type]
        config.extra_css.append(_CSS_PATH)
        self._use_nav_templates(config)
        self.builds.configured(config)
        return config

    def _use_nav_templates(self, config: MkDocsConfig) -> None:
        """Put the navigation cache's templates before the theme's (after a site's own
        ``custom_dir``, which may still override them)."""
        theme = config.theme
        templates = theme_templates(theme.name, theme.dirs, theme.custom_dir)
        if templates is None:
            if theme.name == "material":
                log.info(
                    "Material's navigation templates are not the ones the navigation "
                    "cache copies (Material 9.8.1's): the theme renders its navigation "
                    "itself, more slowly for big folders"
                )
        elif str(templates) not in theme.dirs:
            theme.dirs.insert(1 if theme.custom_dir else 0, str(templates))

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Have the search plugin index a lighter copy of each page (``search_copy``).

        Every plugin's ``on_config`` has run: the search plugin has made its index.
        """
        self._search_parts = {}
        index_search_copies(config, self._search_parts_of)

    # Late, after plugins that add or remove pages, so the index and the navigation are
    # of what gets published.
    @event_priority(-50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Index the vault, resolve every link once, and add the generated files."""
        roots = {"": Path(config.docs_dir)}
        roots |= {name: self._config_dir / name for name in self.config.extra_roots}
        vault_files: list[VaultFile] = []
        # Each note is read once here, for the index and for the link scan.
        texts: dict[str, str | None] = {}
        read: dict[str, File] = {}
        slugify = _toc_slugify(config)
        for file in list(files):
            text = texts[file.src_uri] = _note_text(file)
            read[file.src_uri] = file
            if drawing_kind(file.src_uri) == "excalidraw" and file.src_uri.lower().endswith(".md"):
                # An `.excalidraw.md` is a drawing to embed, not a page.
                files.remove(file)
            vault_files.append(indexed_note(file.src_uri, text, slugify=slugify))
        for name, directory in roots.items():
            if name:
                vault_files += self._extra_root_files(
                    name, directory, files, config, slugify, texts
                )
        self.vault = Vault(vault_files, slugify)
        reader = VaultReader(roots)
        assert self.extension is not None  # on_config ran
        self.extension.vault = self.vault
        self.extension.read_text = reader.read_text
        self.extension.drawings = DrawingEmbedder(self.vault, reader, self.drawing_cache)
        level = _LEVELS[self.config.unresolved_link_level]
        # The "did you mean" search compares each missing name with every note: it is
        # only worth its time when the messages it goes into are shown.
        self.report = scan_vault(
            self.vault,
            lambda file: texts.get(file.site_path),
            suggest=log.isEnabledFor(level),
            scan=self.builds.scan,
        )
        # The pages' wikilinks render from these answers (the link scan's, not again).
        self.extension.resolutions = {
            (link.source, link.occurrence.link): link.resolution
            for link in self.report.links
            if link.occurrence.raw.startswith(("[[", "![["))
        }
        for link in self.report.problems:
            if link.broken_anchor and link.occurrence.kind is LinkKind.MARKDOWN:
                # MkDocs' own anchor validation reports these once the page is rendered,
                # with every id known (the note's text may not show them all).
                continue
            log.log(level, f"{self._label(link.source)}:{link.occurrence.line}: {describe(link)}")
        self._log_external_media(texts)
        self._add_drawing_pages(files, config, reader)
        css = (
            resources.files("vault_renderer")
            .joinpath("assets/vault.css")
            .read_text(encoding="utf-8")
        )
        # The drawings' own rules are added in `on_env`, once every page is rendered.
        self.stylesheet = File.generated(config, _CSS_PATH, content=css + "\n" + DRAWING_CSS)
        files.append(self.stylesheet)
        generated = {page.src_uri: page.markdown for page in self.drawing_pages.values()}
        if self.config.unresolved_links_page:
            page = self.config.unresolved_links_page
            generated[page] = unresolved_page(self.vault, self.report, page)
            files.append(
                File.generated(
                    config, page, content=generated[page], inclusion=InclusionLevel.NOT_IN_NAV
                )
            )
        shown = {page.src_uri: page.drawing.site_path for page in self.drawing_pages.values()}
        self.builds.indexed(self.vault, self.report, texts, roots, generated, shown)
        # A drawing's page may have the drawing's path (`x.excalidraw.md`), not its text.
        notes = {path: text for path, text in texts.items() if path not in generated}
        self._sources = {
            path: (read[path], text)
            for path, text in notes.items()
            if text is not None and path in read
        }
        self._lend_navigation(files, config, notes)
        return files

    def _lend_navigation(
        self, files: Files, config: MkDocsConfig, texts: dict[str, str | None]
    ) -> None:
        """Make the navigation the vault's folder tree, below ``docs/.nav.yml``'s top level.

        It is given to MkDocs as its ``nav`` configuration for the navigation it makes
        next, and taken back in ``on_nav``. A ``nav:`` in ``mkdocs.yml`` is a hand-made
        navigation for the whole site: then the folders are not read, as MkDocs users
        expect.
        """
        self._lent_nav = config.nav is None
        if not self._lent_nav:
            return

        def warn(path: str, problem: str) -> None:
            log.warning(f"{self._label(path)}: front matter {problem}; the note keeps its place")

        # The pages' inclusion (not_in_nav, exclude_docs) decides what the navigation
        # lists; MkDocs would only settle it after this hook.
        set_exclusions(files, config)
        config.nav = vault_navigation(
            files, config, warn=warn, texts=texts, resolved=self.navigations
        )

    # First, before other plugins watch anything: the observer is replaced.
    @event_priority(100)
    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """Rebuild on a saved file, at once (``watcher``), in the extra roots too.

        They are the vault as much as docs/ is.
        """
        observe_file_changes(server)
        for name in self.config.extra_roots:
            if (self._config_dir / name).is_dir():
                server.watch(str(self._config_dir / name))
        return server

    # First of the `on_nav` handlers: the configuration is as the user wrote it again
    # before any other plugin reads it.
    @event_priority(100)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Take the lent navigation back; plan what a serve rebuild renders."""
        if self._lent_nav:
            config.nav = None
        # Under `serve --dirty`, what a rebuild renders depends on the final navigation.
        self.builds.plan_build(nav, files, config)
        # What exists now (the vault's index, the navigation, the configuration, the
        # theme) lives until the build ends: out of the collector's sight, each full
        # collection during the pages no longer walks it again (gen2 collections of a
        # 1,000-note build: about 0.13 s -> 0.02 s). Thawed when the build ends.
        gc.freeze()
        return nav

    # First: a plugin that reads a page's source its own way has the last word.
    @event_priority(100)
    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """Give MkDocs a note's text as ``on_files`` read it, not read the file again.

        Only for the file read then: a plugin may have replaced it since.
        """
        kept = self._sources.pop(page.file.src_uri, None)
        if kept is None or kept[0] is not page.file:
            return None
        return kept[1]

    # Early, before the tags plugin (-50) reads `tags` and before macros, so inline
    # tags join the page's tags and a repaired front matter is what others see.
    @event_priority(50)
    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Repair broken front matter, and set the page's title and tags."""
        assert self.extension is not None  # on_config ran
        self.builds.page_started(self.extension)
        self.extension.note_path = page.file.src_uri
        self.extension.page_url = page.file.url
        self.extension.page_drawings = []
        try:
            if not page.meta and markdown.startswith("---"):
                front = parse_front_matter(markdown)
                for problem in front.problems:
                    log.warning(
                        f"{self._label(page.file.src_uri)}:{problem.line}: {problem.message}"
                    )
                markdown = front.body if front.problems else markdown
            file = self.vault.files.get(page.file.src_uri)
            if "title" not in page.meta and file is not None and file.title:
                page.meta["title"] = file.title
            for key in _TEXT_META:
                if isinstance(page.meta.get(key), str):
                    page.meta[key] = escape(page.meta[key])
            tags = normalise_tags(page.meta.get("tags"))
            tags += [match["tag"] for match in find_inline_tags(markdown)]
            if tags or "tags" in page.meta:
                # The tags plugin writes them into the tags page unescaped, as the title,
                # and stops the build on an empty entry (`tags:` then `- `, as Obsidian
                # writes an empty list), which Obsidian ignores: only names are kept.
                page.meta["tags"] = [escape(tag) for tag in dict.fromkeys(tags)]
        except Exception as error:  # one bad note must not stop the build
            log.warning(
                f"{self._label(page.file.src_uri)}: could not read its front matter"
                f" or tags ({error!r})"
            )
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Show the note's date under its title, end it with its backlinks, and sanitise it.

        Every Markdown extension has run by now, so the allow-list sees the page's final
        HTML; the tool pages are reviewed code and keep their forms and scripts.
        """
        drawing_page = self.drawing_pages.get(page.file.src_uri)
        backlinks = ""
        try:
            if drawing_page is not None:
                html = self._drawing_page_content(drawing_page) + html
            html = self._with_date(html, page)

            def url_of(source: str) -> str | None:
                # Site paths are already the files' `src_uri`s: the lookup that first
                # normalises a path is only needed for those that are not.
                target = files.src_uris.get(source) or files.get_file_from_path(source)
                return get_relative_url(target.url, page.file.url) if target is not None else None

            # A drawing's page lists the notes that link to the drawing.
            source = drawing_page.drawing.site_path if drawing_page else page.file.src_uri
            backlinks = backlinks_html(self.vault, self.report, source, url_of)
            html += backlinks
        except Exception as error:  # one bad note must not stop the build
            log.warning(
                f"{self._label(page.file.src_uri)}: could not add its date or backlinks ({error!r})"
            )
        # Before the sanitiser, which would drop a player and leave nothing in its place,
        # and before the privacy plugin (-100), which would try to download the images.
        html, _ = replace_external_media(html)
        sanitized = not is_code_page(page.file.src_uri)
        html = self._sanitized(html, page) if sanitized else html
        assert self.extension is not None  # on_config ran
        self._search_parts[page.file.src_uri] = SearchParts(
            tuple(self.extension.page_drawings),
            backlinks=bool(backlinks) and html.endswith(backlinks),
            sanitized=sanitized,
        )
        self.builds.page_rendered(page, self.extension)
        return html

    # Last: the template other plugins' hooks would have changed is not rendered at all.
    @event_priority(-100)
    def on_pre_template(
        self, template: Template, *, template_name: str, config: MkDocsConfig
    ) -> Template:
        """Under ``serve --dirty``, reuse the 404 page and sitemap when they cannot change."""
        return self.builds.static_template(template, template_name)  # type: ignore[return-value]

    # Last, so the HTML kept is the HTML written.
    @event_priority(-100)
    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        """Keep a site-wide page's HTML for the next rebuild."""
        self.builds.static_template_built(output_content, template_name)
        return output_content

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Keep what an incremental rebuild needs from the page."""
        self.builds.page_built(page, config)
        return output

    # Before Material's search plugin (0) writes the index.
    @event_priority(50)
    def _index_every_page(self, *, config: MkDocsConfig) -> None:
        """Under ``serve --dirty``, index every page, rendered again or not."""
        self.builds.restore_search(config)

    # Last: what `on_nav` froze stays frozen until every plugin is done.
    @event_priority(-100)
    def _thaw(self, *, config: MkDocsConfig) -> None:
        gc.unfreeze()

    on_post_build = CombinedEvent(_index_every_page, _thaw)

    def on_build_error(self, *, error: Exception) -> None:
        """Thaw what ``on_nav`` froze: a build that stops must not keep it for good."""
        gc.unfreeze()

    def _sanitized(self, html: str, page: Page) -> str:
        assert self.extension is not None  # on_config ran
        extension = self.extension
        label = self._label(page.file.src_uri)

        def drawing(markup: str, _line: int, _column: int) -> str:
            # The same path as an <svg> that starts a block (`prepare_note`).
            svg = inline_svg(markup, name=page.file.src_uri)
            for warning in svg.warnings:
                extension.problem(warning.removeprefix(f"{page.file.src_uri}: "))
            return extension.publish_drawing(svg)

        try:
            sanitized = sanitize_page(html, svg=drawing, keep=extension.page_drawings)
        except Exception as error:  # never publish a page that was not checked
            log.warning(f"{label}: could not check its HTML ({error!r}); shown as plain text")
            return f"<pre>{escape(html)}</pre>"
        for message in dict.fromkeys(str(removal) for removal in sanitized.removed):
            log.warning(f"{label}: {message}")
        return sanitized.html

    # Before the tags plugin (100) fills its listings from every page's tags.
    @event_priority(110)
    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """Publish what the pages' drawings need and the site's CSP keeps out of them.

        That is their CSS, added to the stylesheet every page loads, and their images,
        as files. MkDocs calls this after rendering all pages' Markdown and before it
        copies static files, so both are complete and are copied with the rest; one
        stylesheet for the whole site also serves pages that instant navigation swaps in.
        """
        assert self.extension is not None and self.stylesheet is not None  # on_files ran
        self.builds.restore_site(self.extension, files, config)
        install_nav_cache(env)  # The theme renders each navigation link once (nav_cache).
        rules = drawing_stylesheet(self.extension.drawing_css)
        if rules:
            self.stylesheet.content_string += "\n" + rules
        for path, content in sorted(self.extension.drawing_images.items()):
            files.append(File.generated(config, path, content=content))
        return env

    def _search_parts_of(self, page: Page) -> SearchParts | None:
        return self._search_parts.pop(page.file.src_uri, None)

    def _with_date(self, html: str, page: Page) -> str:
        value = page.meta.get("date")
        if value is None:
            return html
        date = parse_date(value)
        if date is None:
            log.warning(
                f"{self._label(page.file.src_uri)}: front matter date {value!r} is not a date;"
                " write DD/MM/YY (07/10/23) or YYYY-MM-DD"
            )
            return html
        time = f'<time datetime="{date.isoformat()}">{format_date(date)}</time>'
        stamp = f'<p class="vault-date">{time}</p>'
        end = html.find("</h1>")
        return html[: end + 5] + stamp + html[end + 5 :] if end >= 0 else stamp + html

    def _extra_root_files(
        self,
        name: str,
        directory: Path,
        files: Files,
        config: MkDocsConfig,
        slugify: Slugify,
        texts: dict[str, str | None],
    ) -> list[VaultFile]:
        found = []
        if not directory.is_dir():
            log.warning(
                f"{self._label(name, docs=False)}: extra vault root not found; check extra_roots"
            )
            return found
        for relative, text in walk_root(directory):
            texts[f"{name}/{relative}"] = text
            found.append(indexed_note(relative, text, root=name, slugify=slugify))
            published = relative.lower().endswith(IMAGE_SUFFIXES + MEDIA_SUFFIXES)
            if published and not drawing_kind(relative):
                # Images, audio, video and PDFs embedded from outside docs/ are published
                # under the root's name.
                files.append(
                    File.generated(
                        config, f"{name}/{relative}", abs_src_path=str(directory / relative)
                    )
                )
        return found

    def _add_drawing_pages(self, files: Files, config: MkDocsConfig, reader: VaultReader) -> None:
        """Give each drawing a page beside it; in the navigation unless notes only embed it."""
        assert self.extension is not None  # on_config ran
        pages = drawing_pages(self.vault, self.report, set(files.src_uris), reader.read_text)
        self.drawing_pages = {page.src_uri: page for page in pages}
        self.extension.file_pages = {page.drawing.site_path: page.src_uri for page in pages}
        for page in pages:
            source = files.src_uris.get(page.drawing.site_path)
            if source is not None and drawing_kind(source.src_uri) == "excalidraw":
                # `x.excalidraw` in docs/ would be copied to where its page's folder goes.
                files.remove(source)
            inclusion = InclusionLevel.UNDEFINED if page.listed else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, page.src_uri, content=page.markdown, inclusion=inclusion)
            files.append(file)
            # Its Markdown is front matter only; its content is added in `on_page_content`.
            _BlankMarkdownPage(None, file, config)

    def _drawing_page_content(self, page: DrawingPage) -> str:
        """The drawing, full size; one warning if it cannot be shown (the page says so)."""
        assert self.extension is not None and self.extension.drawings is not None
        drawing = self.extension.drawings.embed(page.drawing)
        label = self._label(page.drawing.site_path)
        messages = [w.removeprefix(f"{page.drawing.site_path}: ") for w in drawing.warnings]
        if "vault-drawing-missing" in drawing.html:
            log.warning(f"{label}: {'; '.join(messages) or 'cannot be shown'}")
        else:
            level = _LEVELS[self.config.unresolved_link_level]
            for message in messages:
                log.log(level, f"{label}: {message}")
        return drawing_page_html(self.extension.publish_drawing(drawing))

    def _log_external_media(self, texts: dict[str, str | None]) -> None:
        """Log each image or player from another site once, at its note's line.

        The pages show them as links (``on_page_content``); they are logged here, from
        the notes' text, so a note embedded in several pages is reported once, with
        lines that are the file's own. Info, not a warning: the page is as it should be.
        """
        for path in sorted(texts):
            file, text = self.vault.files.get(path), texts[path]
            if text is None or file is None or not file.is_note or "//" not in text:
                continue
            for media in find_external_media(text):
                log.info(f"{self._label(path)}:{media.line}: {media.message}")

    def _log_problem(self, problem: Problem) -> None:
        where = self._label(problem.path) + (f":{problem.line}" if problem.line else "")
        level = _LEVELS[self.config.unresolved_link_level] if problem.missing else logging.WARNING
        log.log(level, f"{where}: {problem.message}")

    def _label(self, path: str, *, docs: bool = True) -> str:
        file = self.vault.files.get(path)
        if (file is not None and file.root) or not docs:
            return path
        return posixpath.join(self._docs_label, path)


class _BlankMarkdownPage(Page):
    """A page rendered without a ``Markdown`` instance while its Markdown is blank.

    Python-Markdown turns blank text into nothing, but MkDocs first makes a Markdown
    instance with every configured extension for it, about 1 ms a page: a drawing's
    page is front matter only (``DrawingPage.markdown``). If a plugin gave it text,
    MkDocs renders it as usual. MkDocs keeps a page it finds made (``File.page``).
    """

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown is None or self.markdown.strip():
            super().render(config, files)
            return
        # What `Page.render` sets from an empty conversion.
        self.content = ""
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        if _MKDOCS_PAGES_LOG.getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = {}


def _note_text(file: File) -> str | None:
    if not file.src_uri.lower().endswith(".md"):
        return None
    try:
        return file.content_string
    except (OSError, UnicodeDecodeError):
        return None


def _toc_slugify(config: MkDocsConfig) -> Slugify:
    options: dict[str, Any] = (config.mdx_configs or {}).get("toc", {})
    slugify = options.get("slugify")
    separator = options.get("separator", "-")
    if slugify is None:
        return default_slugify
    return lambda text: slugify(text, separator)
