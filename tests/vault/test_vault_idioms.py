"""Obsidian's embed and link idioms, shown as Obsidian shows them (issue 9, item 2).

Golden Markdown-to-HTML pairs through ``ObsidianExtension`` (no MkDocs), the link
report and the contributor check on the same vault (they must agree with the pages),
and one real MkDocs build of a vault that holds every idiom.
"""

from __future__ import annotations

import logging
import textwrap
from pathlib import Path

import markdown
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from vault_renderer.embeds import DrawingEmbedder, VaultReader
from vault_renderer.extension import ObsidianExtension, Problem
from vault_renderer.links import WikiLink, find_links, resolve_link
from vault_renderer.page_sanitizer import sanitize_page
from vault_renderer.report import scan_vault
from vault_renderer.vault import Vault

from tests.check.vaults import findings, run, write_vault

ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24">'
    '<path stroke="currentColor" d="M2 2L22 22"/></svg>'
)
SAME_NOTE = """\
# Setup

## Log in

Open the settings.

## Steps

![[#Log in]]

![[Setup#Log in]]

## Loop

Loop text.

![[#Loop]]
"""
FILES: dict[str, str | bytes] = {
    "notes/page.md": "# Page\n",
    "notes/Setup.md": SAME_NOTE,
    "notes/Ping.md": "# Ping\n\n## A\n\n![[Pong#B]]\n",
    "notes/Pong.md": "# Pong\n\n## B\n\n![[Ping#A]]\n",
    "notes/Versions.md": "# Versions\n\n![[shot.png]]^version-image\n\n![[shot.png]] ^spaced\n",
    "guide/Note.md": "# Note\n\n## Details\n",
    "notes/Note.md": "# Nearer note\n",
    "Attachments/shot.png": b"PNG",
    "Attachments/shot two.png": b"PNG",
    "Attachments/photo.jpg": b"JPG",
    "Attachments/icons/lucide-cog.svg": ICON,
    "media/talk.mp4": b"MP4",
    "media/clip.mp3": b"MP3",
    "papers/paper.pdf": b"%PDF",
}


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    for path, content in FILES.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
    return tmp_path


class Renderer:
    def __init__(self, vault_dir: Path) -> None:
        self.vault = Vault.from_directories(vault_dir)
        self.reader = VaultReader({"": vault_dir})
        self.problems: list[Problem] = []

    def __call__(self, source: str, page: str = "notes/page.md") -> str:
        extension = ObsidianExtension(
            self.vault,
            page,
            drawings=DrawingEmbedder(self.vault, self.reader),
            read_text=self.reader.read_text,
            report=self.problems.append,
        )
        md = markdown.Markdown(extensions=[extension, "toc"])
        return md.convert(textwrap.dedent(source).strip("\n"))


@pytest.fixture
def render(vault_dir: Path) -> Renderer:
    return Renderer(vault_dir)


MISSING_FILE = '<span class="vault-unresolved" title="This file is not in the vault yet">{}</span>'


class TestFileEmbedsWithSubpathAndSize:
    @pytest.mark.parametrize(
        ("source", "html"),
        [
            (
                "![[shot.png#anything]]",
                '<p><img alt="shot.png" class="vault-subpath-anything"'
                ' src="../Attachments/shot.png" /></p>',
            ),
            (
                "Click ![[lucide-cog.svg#icon|16]] to open.",
                '<p>Click <img alt="lucide-cog.svg" class="vault-subpath-icon"'
                ' src="../Attachments/icons/lucide-cog.svg" width="16" /> to open.</p>',
            ),
            (
                "Click ![[lucide-cog.svg#icon]].",
                '<p>Click <img alt="lucide-cog.svg" class="vault-subpath-icon"'
                ' src="../Attachments/icons/lucide-cog.svg" />.</p>',
            ),
            (
                "![[photo.jpg|100x145]]",
                '<p><img alt="photo.jpg" height="145" src="../Attachments/photo.jpg"'
                ' width="100" /></p>',
            ),
            (
                "![[photo.jpg#outline|100]]",
                '<p><img alt="photo.jpg" class="vault-subpath-outline"'
                ' src="../Attachments/photo.jpg" width="100" /></p>',
            ),
            (
                "![[shot.png#page=3 and more]]",
                '<p><img alt="shot.png" class="vault-subpath-page-3-and-more"'
                ' src="../Attachments/shot.png" /></p>',
            ),
            ("![[nothing.png#icon]]", f"<p>{MISSING_FILE.format('nothing.png')}</p>"),
        ],
    )
    def test_golden(self, render: Renderer, source: str, html: str) -> None:
        assert render(source) == html
        assert render.problems == []

    def test_an_svg_without_subpath_or_size_is_still_an_inline_drawing(
        self, render: Renderer
    ) -> None:
        assert render("![[lucide-cog.svg]]").startswith(
            '<div class="vault-embed-drawing"><figure class="vault-drawing"><svg'
        )

    @pytest.mark.parametrize(
        "link",
        [
            WikiLink("shot.png", heading="interface"),
            WikiLink("lucide-cog.svg", heading="icon", label="16"),
            WikiLink("paper.pdf", heading="page=3"),
            WikiLink("shot.png", block="not-a-block"),
        ],
    )
    def test_a_files_subpath_is_never_unresolved(self, render: Renderer, link: WikiLink) -> None:
        resolution = resolve_link(render.vault, link, "notes/page.md")
        assert resolution.resolved
        assert resolution.problem is None


class TestMarkdownLinksAndImages:
    @pytest.mark.parametrize(
        ("source", "html"),
        [
            # Relative to the note first: notes/Note.md, not the shorter-named guide/Note.md.
            ("[t](Note.md)", '<p><a href="Note.md">t</a></p>'),
            ("[t](../guide/Note.md#details)", '<p><a href="../guide/Note.md#details">t</a></p>'),
            # Then by name across the vault, as Obsidian does when nothing is beside it.
            (
                "![a](shot.png)",
                '<p><img alt="a" src="../Attachments/shot.png" /></p>',
            ),
            (
                "![a](shot%20two.png#interface)",
                '<p><img alt="a" class="vault-subpath-interface"'
                ' src="../Attachments/shot%20two.png" /></p>',
            ),
            (
                "![a](<shot two.png>)",
                '<p><img alt="a" src="../Attachments/shot%20two.png" /></p>',
            ),
            (
                "[the paper](paper.pdf#page=2)",
                '<p><a href="../papers/paper.pdf#page=2">the paper</a></p>',
            ),
            ("![gone](gone.png)", f"<p>{MISSING_FILE.format('gone')}</p>"),
            (
                "[site](https://example.com/a.png)",
                '<p><a href="https://example.com/a.png">site</a></p>',
            ),
        ],
    )
    def test_golden(self, render: Renderer, source: str, html: str) -> None:
        assert render(source) == html

    def test_by_name_picks_the_shortest_path(self, render: Renderer) -> None:
        assert 'href="guide/Note.md"' in render("[t](Note.md)", page="other.md")

    def test_obsidian_app_links_keep_their_text_as_plain_text(self, render: Renderer) -> None:
        html = render("[install it](obsidian://show-plugin?id=obsidian-importer) now")
        assert html == (
            '<p><span class="vault-link-app" title="A link that opens the Obsidian app">'
            "install it</span> now</p>"
        )
        assert sanitize_page(html).removed == ()


class TestSectionEmbedsOfTheSameNote:
    def test_a_section_of_the_same_note_is_content(self, render: Renderer) -> None:
        html = render(SAME_NOTE, page="notes/Setup.md")
        steps = html[html.index('id="steps"') : html.index('id="loop"')]
        assert steps.count("<p>Open the settings.") == 2
        assert "vault-link" not in steps

    def test_only_a_section_that_embeds_itself_is_cut(self, render: Renderer) -> None:
        html = render(SAME_NOTE, page="notes/Setup.md")
        loop = html[html.index('id="loop"') :]
        assert loop.count("Loop text.") == 2
        assert '<a class="vault-link" href="#loop">Loop</a>' in loop
        assert [str(p) for p in render.problems] == [
            "notes/Setup.md: embed cycle: notes/Setup.md -> notes/Setup.md#Loop ->"
            " notes/Setup.md#Loop; the repeated section is linked, not embedded"
        ]

    def test_a_missing_section_is_named_and_linked(self, render: Renderer) -> None:
        html = render("![[#Nowhere]]", page="notes/Setup.md")
        assert html == '<p><a class="vault-link" href="Setup.md">Nowhere</a></p>'
        assert [p.message for p in render.problems] == [
            "cannot embed ![[#Nowhere]]: notes/Setup.md has no such section"
        ]

    def test_an_indirect_cycle_between_sections_is_cut(self, render: Renderer) -> None:
        html = render("![[Ping#A]]")
        assert html.count('<div class="vault-embed">') == 2
        assert [p.message for p in render.problems] == [
            "embed cycle: notes/page.md -> notes/Ping.md#A -> notes/Pong.md#B ->"
            " notes/Ping.md#A; the repeated section is linked, not embedded"
        ]


class TestBlockIdAfterAnEmbed:
    @pytest.mark.parametrize("block", ["version-image", "spaced"])
    def test_is_indexed_and_embeds_its_image(self, render: Renderer, block: str) -> None:
        assert block in render.vault.files["notes/Versions.md"].block_ids
        html = render(f"![[Versions#^{block}]]")
        assert html == (
            '<div class="vault-embed">\n<p><img alt="shot.png" src="../Attachments/shot.png" />'
            "</p>\n</div>"
        )
        assert render.problems == []

    @pytest.mark.parametrize(
        ("source", "html"),
        [
            ("Powers: *2*^10", "<p>Powers: <em>2</em>^10</p>"),
            ("Powers: 2^10", "<p>Powers: 2^10</p>"),
            (
                "[[Note]]^linked",
                '<p id="^linked"><a class="vault-link" href="Note.md">Note</a></p>',
            ),
        ],
    )
    def test_only_after_an_embed_or_a_link_without_a_space(
        self, render: Renderer, source: str, html: str
    ) -> None:
        assert render(source) == html

    def test_gives_the_block_its_id_and_is_hidden(self, render: Renderer) -> None:
        html = render("![[shot.png]]^version-image", page="notes/Versions.md")
        assert html == (
            '<p id="^version-image"><img alt="shot.png" src="../Attachments/shot.png" /></p>'
        )


def test_a_transcluded_notes_relative_image_resolves_from_that_note(
    render: Renderer, vault_dir: Path
) -> None:
    (vault_dir / "guide" / "pics").mkdir()
    (vault_dir / "guide" / "pics" / "shot.png").write_bytes(b"PNG")
    (vault_dir / "guide" / "Shown.md").write_text("![here](pics/shot.png)\n", encoding="utf-8")
    render.vault = Vault.from_directories(vault_dir)
    assert render("![[Shown]]") == (
        '<div class="vault-embed">\n<p><img alt="here" src="../guide/pics/shot.png" />'
        "\n</p>\n</div>"
    )


class TestAudioVideoAndPdf:
    @pytest.mark.parametrize(
        ("source", "html"),
        [
            (
                "![[talk.mp4]]",
                '<p>\n<video controls="controls" preload="metadata" src="../media/talk.mp4">'
                '<a href="../media/talk.mp4">talk.mp4</a></video>\n</p>',
            ),
            (
                "![[talk.mp4#interface|400]]",
                '<p>\n<video class="vault-subpath-interface" controls="controls"'
                ' preload="metadata" src="../media/talk.mp4" width="400">'
                '<a href="../media/talk.mp4">talk.mp4</a></video>\n</p>',
            ),
            (
                "![[clip.mp3]]",
                '<p><audio controls="controls" preload="metadata" src="../media/clip.mp3">'
                '<a href="../media/clip.mp3">clip.mp3</a></audio></p>',
            ),
            (
                "![[paper.pdf#page=3]]",
                '<p><a class="vault-embed-pdf" href="../papers/paper.pdf#page=3">'
                "paper.pdf, page 3 (PDF)</a></p>",
            ),
            (
                "![[paper.pdf|The paper]]",
                '<p><a class="vault-embed-pdf" href="../papers/paper.pdf">The paper (PDF)</a></p>',
            ),
        ],
    )
    def test_golden_and_kept_by_the_page_sanitiser(
        self, render: Renderer, source: str, html: str
    ) -> None:
        assert render(source) == html
        assert sanitize_page(html).html == html
        assert sanitize_page(html).removed == ()

    @pytest.mark.parametrize(
        "src", ["https://cdn.example.com/v.mp4", "//cdn.example.com/v.mp4", "data:video/mp4,AA"]
    )
    def test_a_player_may_not_load_another_hosts_file(self, src: str) -> None:
        page = sanitize_page(f'<video controls src="{src}"></video>')
        assert "src" not in page.html
        assert [r.why for r in page.removed] == ["notes cannot run code"]


class TestReportAndCheckAgree:
    NOTE = textwrap.dedent("""\
        # Uses

        ![[shot.png#interface]] ![[lucide-cog.svg#icon|16]] ![[photo.jpg|100x145]]
        ![a](shot%20two.png#interface) [t](Note.md) [p](paper.pdf#page=3)
        ![[talk.mp4]] ![[clip.mp3]] ![[paper.pdf#page=3]] ![[Versions#^version-image]]
        [app](obsidian://open?vault=x)

        ![[gone.mp4]] ![b](gone.png)
        """)

    def test_the_link_report_lists_only_the_missing_files(self, vault_dir: Path) -> None:
        (vault_dir / "notes" / "Uses.md").write_text(self.NOTE, encoding="utf-8")
        vault = Vault.from_directories(vault_dir)
        report = scan_vault(vault, VaultReader({"": vault_dir}).read_text)
        mine = [link for link in report.problems if link.source == "notes/Uses.md"]
        assert [link.occurrence.raw for link in mine] == ["![[gone.mp4]]", "![b](gone.png)"]
        assert all(link.missing for link in mine)
        assert len(find_links(self.NOTE)) == 12

    def test_the_check_reports_the_same(self, vault_dir: Path, monkeypatch, capsys) -> None:
        files = {f"docs/{path}": content for path, content in FILES.items()}
        files["docs/notes/Uses.md"] = self.NOTE
        root = write_vault(vault_dir / "project", files)
        _, lines = run(root, monkeypatch, capsys)
        links = [line.split(" — ")[0] for line in findings(lines) if "VAULT01" in line]
        assert links == [
            "docs/notes/Uses.md:8:1: error: VAULT014 missing embed ![[gone.mp4]]: no note or file"
            ' is called "gone.mp4"',
            "docs/notes/Uses.md:8:15: error: VAULT014 missing embed ![b](gone.png):"
            " docs/notes/gone.png does not exist",
        ]


@pytest.mark.slow
def test_a_real_build_of_a_vault_with_every_idiom(
    vault_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = tmp_path / "project"
    docs = project / "docs"
    for path in FILES:
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((vault_dir / path).read_bytes())
    note = TestReportAndCheckAgree.NOTE + "\n![[intro.mp3]]\n"
    (docs / "notes" / "Uses.md").write_text(note, encoding="utf-8")
    (project / "sounds").mkdir()
    (project / "sounds" / "intro.mp3").write_bytes(b"MP3")
    (project / "mkdocs.yml").write_text(
        textwrap.dedent("""\
            site_name: Idioms
            theme: {name: material}
            plugins:
              - search
              - obsidian-vault:
                  extra_roots: [sounds]
                  unresolved_link_level: info
            markdown_extensions:
              - toc
            """),
        encoding="utf-8",
    )
    with caplog.at_level(logging.INFO):
        build(load_config(str(project / "mkdocs.yml")))
    site = project / "site"
    uses = (site / "notes" / "Uses" / "index.html").read_text(encoding="utf-8")
    for expected in (
        'class="vault-subpath-interface" src="../../Attachments/shot.png"',
        'class="vault-subpath-icon" src="../../Attachments/icons/lucide-cog.svg" width="16"',
        'height="145" src="../../Attachments/photo.jpg" width="100"',
        'class="vault-subpath-interface" src="../../Attachments/shot%20two.png"',
        '<a href="../Note/">t</a>',
        '<video controls="controls" preload="metadata" src="../../media/talk.mp4">'
        '<a href="../../media/talk.mp4">talk.mp4</a></video>',
        '<audio controls="controls" preload="metadata" src="../../media/clip.mp3">'
        '<a href="../../media/clip.mp3">clip.mp3</a></audio>',
        'href="../../papers/paper.pdf#page=3">paper.pdf, page 3 (PDF)</a>',
        '<span class="vault-link-app" title="A link that opens the Obsidian app">app</span>',
    ):
        assert expected in uses
    assert uses.count('class="vault-unresolved"') == 2
    assert 'src="../../sounds/intro.mp3"' in uses
    for published in ("media/talk.mp4", "media/clip.mp3", "papers/paper.pdf", "sounds/intro.mp3"):
        assert (site / published).is_file()
    setup = (site / "notes" / "Setup" / "index.html").read_text(encoding="utf-8")
    assert setup.count("Open the settings.") == 3
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == [
        "docs/notes/Ping.md: embed cycle: notes/Ping.md -> notes/Pong.md#B -> notes/Ping.md#A"
        " -> notes/Pong.md#B; the repeated section is linked, not embedded",
        "docs/notes/Pong.md: embed cycle: notes/Pong.md -> notes/Ping.md#A -> notes/Pong.md#B"
        " -> notes/Ping.md#A; the repeated section is linked, not embedded",
        "docs/notes/Setup.md: embed cycle: notes/Setup.md -> notes/Setup.md#Loop ->"
        " notes/Setup.md#Loop; the repeated section is linked, not embedded",
    ]
    unresolved = (site / "unresolved-links" / "index.html").read_text(encoding="utf-8")
    assert "gone.mp4" in unresolved and "gone.png" in unresolved
