"""Walk the vault and collect findings; the rules themselves live in the renderer's core.

Each file is read once. Front matter, link resolution, heading ids, the SVG sanitiser
and the Excalidraw renderer are the renderer's own functions, so a link the check
accepts is a link the site renders; this module only decides where each finding
points and what it says.
"""

from __future__ import annotations

import difflib
import posixpath
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from vault_renderer.check.findings import Finding
from vault_renderer.check.project import Project, SiteConfig, read_site_config
from vault_renderer.drawings import (
    DrawingError,
    externalise_styles,
    missing_file_warning,
    move_data_images,
    render_excalidraw,
    sanitize_svg,
)
from vault_renderer.embeds import IMAGE_SUFFIXES, drawing_kind
from vault_renderer.extension import ObsidianPreprocessor
from vault_renderer.external_media import find_external_media
from vault_renderer.frontmatter import note_title, parse_date, parse_front_matter
from vault_renderer.links import (
    LinkKind,
    LinkOccurrence,
    Resolution,
    find_links,
    page_href,
    resolve_link,
)
from vault_renderer.navigation import NAV_FILE, ORDER_KEY, order_problem
from vault_renderer.page_sanitizer import is_code_page, sanitize_page
from vault_renderer.site_nav import folder_navigation, nav_targets
from vault_renderer.syntax import ProseMap
from vault_renderer.vault import Vault, VaultFile


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """Settings of one run.

    Attributes:
        max_image_bytes: Images larger than this are reported (VAULT030). 1 MB keeps a
            page quick to load on a phone.
    """

    max_image_bytes: int = 1_000_000


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What a run found and how much it looked at."""

    findings: list[Finding]
    notes: int
    drawings: int
    images: int


@dataclass(frozen=True)
class VaultFiles:
    """The vault's files by kind, each sorted by path.

    Attributes:
        on_disk: Every file by site path (relative to the docs directory; an extra
            root's files under its folder name, ``diagrams/…``), as the vault index
            names them.
        roots: Site path -> extra root name, for the files of extra roots.
        notes: Markdown pages of the docs directory (drawings excluded).
        drawings: Excalidraw drawings, in the docs directory or an extra root.
        svgs: SVG files (draw.io exports included).
        images: Every image file, SVGs included, for the size check.
    """

    on_disk: dict[str, Path]
    roots: dict[str, str]
    notes: tuple[str, ...]
    drawings: tuple[str, ...]
    svgs: tuple[str, ...]
    images: tuple[str, ...]


def discover(project: Project, site: SiteConfig) -> VaultFiles:
    """List the vault's files, leaving out what MkDocs leaves out of the site."""
    on_disk: dict[str, Path] = {}
    roots: dict[str, str] = {}
    notes, drawings, svgs, images = [], [], [], []
    for root in (project.docs, *project.extra_roots):
        in_docs = root == project.docs
        for path in sorted(root.rglob("*")):
            parts = path.relative_to(root).parts
            # Hidden folders are Obsidian's own (.obsidian, .trash), never content.
            if any(part.startswith(".") for part in parts) or not path.is_file():
                continue
            relative = "/".join(parts)
            if in_docs and site.exclude_docs.match_file(relative):
                continue
            site_path = relative if in_docs else f"{root.name}/{relative}"
            on_disk[site_path] = path
            if not in_docs:
                roots[site_path] = root.name
            suffix = path.suffix.lower()
            if drawing_kind(path.name) == "excalidraw":
                drawings.append(site_path)
            elif suffix == ".md" and in_docs:
                notes.append(site_path)
            if suffix == ".svg":
                svgs.append(site_path)
            if suffix in IMAGE_SUFFIXES:
                images.append(site_path)
    return VaultFiles(on_disk, roots, tuple(notes), tuple(drawings), tuple(svgs), tuple(images))


_FRONT_MATTER_KEY = "^{key}[ \t]*:"
_TEXT_OR_LIST = "text or a list of text"


def _key_line(text: str, key: str, last_line: int) -> int:
    # The line of `key:` inside the front matter block, for a finding on that field.
    pattern = re.compile(_FRONT_MATTER_KEY.format(key=re.escape(key)), re.M)
    match = pattern.search(text)
    line = text.count("\n", 0, match.start()) + 1 if match else 1
    return line if line < last_line else 1


def _is_text(value: object) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _type_name(value: object) -> str:
    names = {dict: "a mapping", list: "a list", bool: "true/false"}
    return names.get(type(value), type(value).__name__)


def _type_problem(key: str, value: object) -> str | None:
    """What is wrong with the type of a known front-matter field, or None."""
    if value is None:
        return None
    if key == "title":
        if not _is_text(value):
            return f"must be text, not {_type_name(value)}"
        if "{{" in str(value):
            return "still holds the template's placeholder; write the note's title"
        return None
    if _is_text(value):
        return None
    if not isinstance(value, list):
        return f"must be {_TEXT_OR_LIST}, not {_type_name(value)}"
    wrong = next((item for item in value if not _is_text(item)), None)
    return (
        None
        if wrong is None
        else f"must be {_TEXT_OR_LIST}, not a list holding {_type_name(wrong)}"
    )


def check_front_matter(path: str, text: str) -> Iterator[Finding]:
    """VAULT001 to VAULT004: the front matter parses and holds what a note needs.

    Args:
        path: The note's finding path.
        text: The note's text.
    """
    front = parse_front_matter(text)
    for problem in front.problems:
        yield Finding(
            path,
            problem.line,
            1,
            "VAULT001",
            problem.message,
            # A problem with a key is valid YAML holding a value YAML cannot construct,
            # which for front matter means an impossible date.
            "write dates as DD/MM/YY or YYYY-MM-DD, with a real day and month"
            if problem.key is not None
            else "fix the YAML between the two `---` lines; quote a value that holds `: ` or "
            "starts with [ { * & ! | > % @ or a backtick",
        )
    data = front.data
    for key in ("title", "tags", "aliases"):
        if key in data and (problem := _type_problem(key, data[key])):
            yield Finding(
                path,
                _key_line(text, key, front.body_line),
                1,
                "VAULT002",
                f"front matter `{key}` {problem}",
                f"write `{key}: ` followed by the title, in quotes if it holds `: `"
                if key == "title"
                else f"write `{key}: [first, second]` or one `- item` per line",
            )
    if ORDER_KEY in data and (problem := order_problem(data[ORDER_KEY])):
        yield Finding(
            path,
            _key_line(text, ORDER_KEY, front.body_line),
            1,
            "VAULT002",
            f"front matter {problem}",
            f"write `{ORDER_KEY}: 1` to list the note first in its folder, 2 second, and so on",
        )
    if "date" in data and parse_date(data["date"]) is None:
        yield Finding(
            path,
            _key_line(text, "date", front.body_line),
            1,
            "VAULT003",
            f"front matter date `{data['date']}` is not a date",
            "write it as DD/MM/YY (07/10/23) or as YYYY-MM-DD (2023-10-07)",
        )
    if not front.problems and data.get("title") is None and not note_title(data, front.body, ""):
        yield Finding(
            path,
            1,
            1,
            "VAULT004",
            "note has no title: no `title` in its front matter and no heading",
            f"add `title: ...` to the front matter; until then the page is called "
            f"`{PurePosixPath(path).stem}`",
        )


def _did_you_mean(options: list[str]) -> str:
    return "did you mean " + " or ".join(options) + "?"


@dataclass(frozen=True)
class Note:
    """A note being checked.

    Attributes:
        path: Its finding path (``docs/…``).
        site_path: Its path relative to the docs directory, as the vault index names it.
        text: Its text.
    """

    path: str
    site_path: str
    text: str


def check_links(note: Note, vault: Vault, shown: Callable[[str], str]) -> Iterator[Finding]:
    """VAULT010 to VAULT014: every wikilink, Markdown link and embed resolves.

    Args:
        note: The note.
        vault: The vault index the links resolve against.
        shown: Turns a site path into the path a finding shows (``docs/…``).
    """
    for occurrence in find_links(note.text):
        link = occurrence.link
        markdown = not occurrence.raw.startswith(("[[", "![["))
        resolution = resolve_link(vault, link, note.site_path, markdown=markdown)
        at = (note.path, occurrence.line, occurrence.column)
        file = resolution.file
        if file is None:
            yield _missing_target(note, occurrence, resolution, vault, markdown, shown, at)
        elif link.block is not None and resolution.problem is not None:
            yield Finding(
                *at,
                "VAULT013",
                f"missing block in {occurrence.raw}: {shown(file.site_path)} has no "
                f"block ^{link.block}",
                f"end the paragraph you mean with ` ^{link.block}`, or correct the id",
            )
        elif link.heading and resolution.problem is not None:
            # A Markdown `#id` the note does not set keeps its anchor for MkDocs to
            # judge after rendering; the check reports it now.
            yield _missing_heading(occurrence, file, resolution, markdown, shown, at)


def _missing_heading(
    occurrence: LinkOccurrence,
    file: VaultFile,
    resolution: Resolution,
    markdown: bool,
    shown: Callable[[str], str],
    at: tuple[str, int, int],
) -> Finding:
    wanted = occurrence.link.heading or ""
    target = occurrence.link.target

    def written(heading: str) -> str:
        # Offer the fix in the link's own syntax, ready to paste.
        if markdown:
            return f"#{heading}"
        return f"[[{target}#{heading}]]" if target else f"[[#{heading}]]"

    if resolution.suggestions:
        hint = _did_you_mean([written(heading) for heading in resolution.suggestions])
    elif file.headings:
        hint = "its headings are " + ", ".join(
            written(h.id if markdown else h.text) for h in file.headings[:6]
        )
    else:
        hint = "that note has no headings; link to the note itself"
    what = f'id "{wanted}"' if markdown else f'"{wanted}"'
    return Finding(
        *at,
        "VAULT012",
        f"missing heading in {occurrence.raw}: {shown(file.site_path)} has no heading {what}",
        hint,
    )


def _missing_target(
    note: Note,
    occurrence: LinkOccurrence,
    resolution: Resolution,
    vault: Vault,
    markdown: bool,
    shown: Callable[[str], str],
    at: tuple[str, int, int],
) -> Finding:
    target = occurrence.link.target
    embed = occurrence.kind is LinkKind.EMBED
    names = resolution.suggestions
    if markdown:
        wanted = posixpath.normpath(posixpath.join(posixpath.dirname(note.site_path), target))
        problem = f"{shown(wanted)} does not exist"
        options = [
            page_href(note.site_path, file.site_path)
            for name in names
            if (file := vault.resolve(name, note.site_path)) is not None
        ]
        if any(path.startswith(wanted + "/") for path in vault.files):
            # MkDocs links pages, not folders: a folder's page is its index.md.
            problem = f"{shown(wanted)} is a folder, not a note"
            index = f"{wanted}/index.md"
            options = [page_href(note.site_path, index)] if index in vault.files else []
    else:
        problem = f'no note or file is called "{target}"'
        options = [f"{'!' if embed else ''}[[{name}]]" for name in names]
    if embed:
        code, what = "VAULT014", f"missing embed {occurrence.raw}: {problem}"
        fix = "add the file (beside the note; drawings go in diagrams/), or correct its name"
    elif markdown:
        code, what = "VAULT011", f"unresolved link {occurrence.raw}: {problem}"
        fix = "correct the path (relative to this note, spaces as %20), or create the note"
    else:
        code, what = "VAULT010", f"unresolved link {occurrence.raw}: {problem}"
        fix = "create the note, or correct the name (a file name, path or alias; case is ignored)"
    return Finding(*at, code, what, _did_you_mean(options) if options else fix)


_DRAWING_BLOCK = re.compile(r"^```(?:compressed-json|json)[ \t]*$", re.M)


def _entry_position(text: str, target: str) -> tuple[int, int]:
    # Where the drawing's `## Embedded Files` names the file: `id: [[target]]`.
    index = text.find(f"[[{target}")
    if index < 0:
        return 1, 1
    index += 2
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def check_excalidraw(
    path: str, text: str, resolve_file: Callable[[str], bytes | None]
) -> Iterator[Finding]:
    """VAULT020 and VAULT021: the drawing decodes and renders, embedded files included.

    Args:
        path: The drawing's finding path.
        text: The drawing file's text.
        resolve_file: The bytes of a vault file the drawing embeds, None when missing.
    """
    rendered = render_excalidraw(text, name=path, resolve_file=resolve_file)
    # A drawing that draws nothing (every element deleted or skipped) is as lost as
    # one that cannot be read, and has the same remedy.
    if rendered.placeholder or rendered.element_count == 0:
        block = _DRAWING_BLOCK.search(text)
        line = text.count("\n", 0, block.start()) + 1 if block else 1
        for warning in rendered.warnings:
            yield Finding(
                path,
                line,
                1,
                "VAULT020",
                f"drawing cannot be drawn: {warning.removeprefix(f'{path}: ')}",
                "open it in Obsidian's Excalidraw plugin and save it again; if it will not "
                f"open, restore the last good version (git log -p -- '{path}')",
            )
        return
    entries = {
        missing_file_warning(path, target): _entry_position(text, target)
        for target in rendered.missing_files
    }
    for warning in rendered.warnings:
        line, col = entries.get(warning, (1, 1))
        yield Finding(
            path,
            line,
            col,
            "VAULT021",
            warning.removeprefix(f"{path}: "),
            "add the missing file to the vault (beside the drawing or in diagrams/), "
            "or remove it from the drawing"
            if warning in entries
            else "open the drawing in Obsidian's Excalidraw plugin and redraw or remove "
            "what the message names",
        )


def _removed_summary(removed: tuple[str, ...]) -> str:
    counts = Counter(removed)
    return ", ".join(f"{item} (×{n})" if n > 1 else item for item, n in counts.items())


def check_svg(path: str, svg: str, line: int = 1, col: int = 1) -> Iterator[Finding]:
    """VAULT020 and VAULT022: the SVG parses, and what the build would remove.

    That is what the sanitiser removes, the CSS that cannot move to the site's
    stylesheet (``externalise_styles``), and the ``data:`` images that cannot become
    files (``move_data_images``): the same steps, in the same order, as the build.

    Args:
        path: The finding path of the file holding the SVG.
        svg: The SVG markup.
        line: Where the markup starts in the file (for an SVG inline in a note).
        col: Column where the markup starts.
    """
    try:
        sanitized = sanitize_svg(svg)
    except DrawingError as error:
        where_line = line + (error.line - 1 if error.line else 0)
        # The parser counts from the start of the markup, which starts at `col` on line 1.
        where_col = (error.column or 1) + (col - 1 if error.line in (None, 1) else 0)
        yield Finding(
            path,
            where_line,
            where_col,
            "VAULT020",
            f"SVG cannot be read: {error.reason}",
            'export it again from draw.io (File > Export as > SVG, with "Include a copy of '
            'my diagram") or fix the markup at this line',
        )
        return
    externalised = externalise_styles(sanitized.svg)
    images = move_data_images(externalised.svg, page_url="")
    removed = sanitized.removed + externalised.removed + images.problems
    if removed:
        yield Finding(
            path,
            line,
            col,
            "VAULT022",
            f"the SVG sanitiser would remove {_removed_summary(removed)}",
            "remove them from the drawing: the page shows it without them (in draw.io, "
            "drop links to other sites and custom scripts, then export again)",
        )


def check_inline_svgs(note: Note) -> Iterator[Finding]:
    """VAULT020 and VAULT022 for each ``<svg>`` drawing written inline in a note.

    Args:
        note: The note.
    """
    prose = ProseMap.of(note.text)
    for match in prose.finditer(ObsidianPreprocessor.RE_SVG):
        start = match.start() + len(match[0]) - len(match[0].lstrip())
        line, col = prose.position(start)
        yield from check_svg(note.path, match[0], line, col)


# Markdown's autolinks look like tags but become links: `<https://...>`, `<a@b.c>`.
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>")


def check_raw_html(note: Note) -> Iterator[Finding]:
    """VAULT023: raw HTML in a note that the site's page sanitiser removes.

    The note's prose is run through the sanitiser itself, with its code, comments, front
    matter, autolinks and block-start ``<svg>`` drawings (``check_inline_svgs``) blanked
    out; any other ``<svg>`` gets ``check_svg``'s findings, as the build sanitises it the
    same way. The tool pages are reviewed code and keep their HTML.

    Args:
        note: The note.
    """
    if is_code_page(note.site_path):
        return
    text = note.text
    prose = ProseMap.of(text)
    body = parse_front_matter(text).body
    hidden = [(0, len(text) - len(body) if text.endswith(body) else 0)]
    hidden += [*prose.code, *prose.comments]
    hidden += [m.span() for m in prose.finditer(ObsidianPreprocessor.RE_SVG)]
    hidden += [m.span() for m in _AUTOLINK.finditer(text)]
    # The build shows these as links to their site, not removed (VAULT031).
    hidden += [(media.start, media.end) for media in find_external_media(text)]
    masked = list(text)
    for start, end in hidden:
        for offset in range(start, end):
            if masked[offset] != "\n":
                masked[offset] = " "
    svg_findings: list[Finding] = []

    def svg(markup: str, line: int, column: int) -> str:
        svg_findings.extend(check_svg(note.path, markup, line, column))
        return ""

    for removal in sanitize_page("".join(masked), svg=svg).removed:
        yield Finding(
            note.path,
            removal.line,
            removal.column,
            "VAULT023",
            f"the page sanitiser would remove {removal.what} ({removal.why})",
            "write it in Markdown instead, or show it as code in a fenced code block; "
            "only the tool pages under docs/tools/ may hold scripts and forms",
        )
    yield from svg_findings


def check_external_media(note: Note) -> Iterator[Finding]:
    """VAULT031: an image or player from another site, which the page shows as a link.

    The same occurrences, with the same messages, as the build logs
    (``vault_renderer.external_media``).

    Args:
        note: The note.
    """
    for media in find_external_media(note.text):
        yield Finding(
            note.path,
            media.line,
            media.column,
            "VAULT031",
            media.message,
            "to show it in the page, save the image into the vault and embed it (![[photo.jpg]])"
            if media.kind == "image"
            else "nothing to fix unless you have the file: a player or page stays a link",
        )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def check_image_sizes(
    project: Project, images: Iterable[Path], options: CheckOptions
) -> Iterator[Finding]:
    """VAULT030: images heavier than ``options.max_image_bytes``."""
    for path in images:
        size = path.stat().st_size
        if size <= options.max_image_bytes:
            continue
        if path.suffix.lower() == ".svg":
            fix = "simplify the drawing or remove the bitmaps embedded in it"
        else:
            fix = (
                "export it at the size it is shown (about 1600 px wide is plenty) and "
                "compress it (pngquant or oxipng for PNG; WebP or JPEG for photos)"
            )
        yield Finding(
            project.relative(path),
            1,
            1,
            "VAULT030",
            f"image is {_megabytes(size)} ({size:,} bytes), over the "
            f"{_megabytes(options.max_image_bytes)} limit for the web",
            f"{fix}; the limit is --max-image-size",
        )


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def check_navigation(
    project: Project, site: SiteConfig, notes: Mapping[str, Path]
) -> Iterator[Finding]:
    """VAULT040 and VAULT041: notes missing from the nav, nav entries naming no file.

    Args:
        project: Where the vault is.
        site: The navigation and exclusions of ``mkdocs.yml``.
        notes: The vault's pages by path relative to the docs directory.
    """
    if site.nav is None or project.config is None:
        return
    config = project.relative(project.config)
    pages = {_nfc(site_path): path for site_path, path in notes.items()}
    listed = set()
    for entry in site.nav:
        target = _nfc(entry.target)
        listed.add(target)
        if target in pages or target in site.generated or (project.docs / target).is_file():
            continue
        close = difflib.get_close_matches(target, pages, n=1, cutoff=0.6)
        yield Finding(
            config,
            entry.line,
            entry.col,
            "VAULT041",
            f"navigation names {entry.target}, which is not in {project.relative(project.docs)}/",
            f"did you mean {close[0]}?" if close else "create the note or correct the path",
        )
    for name, path in pages.items():
        if name in listed or name == "tags.md" or site.not_in_nav.match_file(name):
            continue
        yield Finding(
            project.relative(path),
            1,
            1,
            "VAULT040",
            "note is not in the navigation, so readers cannot find it",
            f"add `- {name}` to a section of nav: in {config}",
        )


def check_folder_navigation(
    project: Project, site: SiteConfig, notes: Mapping[str, Path]
) -> Iterator[Finding]:
    """VAULT040 and VAULT041 for a navigation made from the folders (no ``nav:``).

    The navigation is resolved as the build resolves it (``vault_renderer.site_nav``), so
    a note is reported only when a ``.nav.yml`` really leaves it out.

    Args:
        project: Where the vault is.
        site: The exclusions of ``mkdocs.yml`` (``not_in_nav`` pages are not expected).
        notes: Every page of the docs directory by path relative to it.
    """
    in_nav = [path for path in notes if not site.not_in_nav.match_file(path)]
    resolved = folder_navigation(project.docs, in_nav)
    configs = {
        path.relative_to(project.docs).as_posix(): path
        for path in sorted(project.docs.rglob(NAV_FILE))
    }
    for message in resolved.complaints:
        text, _, where = message.rstrip("]").rpartition(" [")
        config = configs.get(where)
        if config is None:
            continue
        yield Finding(
            project.relative(config),
            _line_naming(config, text),
            1,
            "VAULT041",
            f"navigation: {text}",
            "name a note or folder beside this .nav.yml (or a glob pattern that matches one)",
        )
    pages = {_nfc(path) for path in in_nav} | {_nfc(path) for path in site.generated}
    listed = set()
    for target in nav_targets(resolved.nav):
        listed.add(_nfc(target))
        if "://" in target or _nfc(target) in pages or target.endswith(NAV_FILE):
            continue
        # A `- Title: path` entry whose path is no file: awesome-nav keeps it as a link.
        config = next((c for c in configs.values() if target in _read_text(c)), None)
        if config is None:
            continue
        close = difflib.get_close_matches(target, [posixpath.basename(p) for p in pages], n=1)
        yield Finding(
            project.relative(config),
            _line_naming(config, target),
            1,
            "VAULT041",
            f"navigation names {target}, which is not in {project.relative(project.docs)}/",
            f"did you mean {close[0]}?" if close else "create the note or correct the path",
        )
    for name, path in notes.items():
        if _nfc(name) in listed or name not in in_nav:
            continue
        folder = posixpath.dirname(name)
        while folder and posixpath.join(folder, NAV_FILE) not in configs:
            folder = posixpath.dirname(folder)
        config = project.relative(project.docs / folder / NAV_FILE)
        yield Finding(
            project.relative(path),
            1,
            1,
            "VAULT040",
            f"note is left out of the navigation by {config}, so no menu leads to it",
            f'list it (or its folder, or `glob: "*"`) in the `nav:` of {config}, '
            "or add it to not_in_nav in mkdocs.yml if that is meant",
        )


def _line_naming(path: Path, text: str) -> int:
    """The first line of ``path`` that holds ``text`` (or its last quoted part), else 1."""
    quoted = re.findall(r"'([^']+)'", text)
    needle = quoted[0] if quoted else text
    for number, line in enumerate(_read_text(path).splitlines(), 1):
        if needle in line:
            return number
    return 1


def _read_text(path: Path) -> str:
    # Undecodable bytes become U+FFFD rather than stopping the check at one file.
    return path.read_text(encoding="utf-8", errors="replace")


def check_project(
    project: Project, options: CheckOptions | None = None, *, only: Set[str] | None = None
) -> CheckResult:
    """Check every file of the vault.

    Args:
        project: Where the vault is.
        options: Settings; the defaults when ``None``.
        only: Check just these files (finding paths, ``mkdocs.yml`` included); links
            still resolve against the whole vault. ``--base`` uses it to check, at the
            base, only the files that have findings now.

    Returns:
        The findings, sorted by file and position, and what was checked.
    """
    options = options or CheckOptions()
    config = project.config
    site, findings = read_site_config(config, project.relative(config) if config else "")
    files = discover(project, site)
    checked = files
    if only is not None:

        def selected(site_paths: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(p for p in site_paths if project.relative(files.on_disk[p]) in only)

        checked = replace(
            files,
            notes=selected(files.notes),
            drawings=selected(files.drawings),
            svgs=selected(files.svgs),
            images=selected(files.images),
        )
    texts = {
        site_path: _read_text(path) if path.suffix.lower() == ".md" else None
        for site_path, path in files.on_disk.items()
    }
    vault = Vault.from_sources(texts, roots=files.roots)

    def shown(site_path: str) -> str:
        path = files.on_disk.get(site_path, project.docs / site_path)
        return project.relative(path)

    for site_path in checked.notes:
        note = Note(shown(site_path), site_path, texts[site_path] or "")
        findings.extend(check_front_matter(note.path, note.text))
        findings.extend(check_links(note, vault, shown))
        findings.extend(check_inline_svgs(note))
        findings.extend(check_raw_html(note))
        findings.extend(check_external_media(note))
    for site_path in checked.drawings:

        def resolve_file(target: str, source: str = site_path) -> bytes | None:
            file = vault.resolve(target, source)
            return files.on_disk[file.site_path].read_bytes() if file is not None else None

        text = texts[site_path] or _read_text(files.on_disk[site_path])
        findings.extend(check_excalidraw(shown(site_path), text, resolve_file))
    for site_path in checked.svgs:
        findings.extend(check_svg(shown(site_path), _read_text(files.on_disk[site_path])))
    findings.extend(
        check_image_sizes(project, (files.on_disk[path] for path in checked.images), options)
    )
    notes = {site_path: files.on_disk[site_path] for site_path in checked.notes}
    if site.nav is None and project.config is not None:
        every_note = {site_path: files.on_disk[site_path] for site_path in files.notes}
        folder_findings = check_folder_navigation(project, site, every_note)
        findings.extend(
            finding for finding in folder_findings if only is None or finding.path in only
        )
    else:
        findings.extend(check_navigation(project, site, notes))
    findings.sort(key=Finding.sort_key)
    return CheckResult(
        findings=findings,
        notes=len(checked.notes),
        drawings=len(checked.drawings) + len(checked.svgs),
        images=len(checked.images) - len(checked.svgs),
    )
