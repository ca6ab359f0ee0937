"""Golden Markdown-to-HTML cases for the Obsidian syntax (ObsidianExtension, no MkDocs)."""

from __future__ import annotations

import textwrap
import unicodedata
from pathlib import Path

import markdown
import pytest
from vault_renderer.embeds import DrawingEmbedder, VaultReader
from vault_renderer.extension import ObsidianExtension, Problem
from vault_renderer.vault import Vault, extract_headings

NOTES: dict[str, str | None] = {
    "notes/page.md": "# Page\n\n## Local Heading\n\nsee ^local-block\n",
    "notes/Target Note.md": (
        "# Target\n\n## Heading, with punctuation!\n\npara ^block-1\n\n## Repeat\n\n## Repeat\n"
    ),
    "07 Compute/07-02 VMs, Containers and Serverless.md": (
        "# VMs\n\n## AWS Lambda\n\n## Elastic Container Service (ECS)\n"
    ),
    # Written on macOS: the file name holds a decomposed é.
    unicodedata.normalize("NFD", "Café & Co.md"): "# Café\n",
    "Ärzte/Übersicht.md": "# Übersicht\n",
    "a/Dup.md": "# Dup A\n",
    "b/c/Dup.md": "# Dup C\n",
    "Aliased.md": "---\naliases: [Other Name]\n---\n# Aliased\n",
    "Embedded.md": (
        "# Embedded\n\nembedded text [[Target Note]] ==hi==\n\n"
        "## Part\n\npart text\n\n## After\n\nafter text\n"
    ),
    "Relative.md": (
        "[up](07%20Compute/07-02%20VMs,%20Containers%20and%20Serverless.md#aws-lambda)\n"
    ),
    "Loop A.md": "![[Loop B]]\n",
    "Loop B.md": "![[Loop A]]\n",
    "Deep 1.md": "![[Deep 2]]\n",
    "Deep 2.md": "![[Deep 3]]\n",
    "Deep 3.md": "deepest\n",
    "assets/pic.png": None,
    "diagram.drawio.svg": None,
}

SVG_FILE = (
    '<svg xmlns="http://www.w3.org/2000/svg" content="&lt;mxfile/&gt;" onload="alert(1)"><rect '
    'width="2"/></svg>'
)


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    for path, text in NOTES.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(
            text.encode()
            if text is not None
            else (SVG_FILE.encode() if path.endswith(".svg") else b"PNG")
        )
    return tmp_path


class Renderer:
    def __init__(self, vault_dir: Path) -> None:
        self.vault = Vault.from_directories(vault_dir)
        self.reader = VaultReader({"": vault_dir})
        self.problems: list[Problem] = []

    def __call__(self, source: str, page: str = "notes/page.md", depth: int = 3) -> str:
        extension = ObsidianExtension(
            self.vault,
            page,
            drawings=DrawingEmbedder(self.vault, self.reader),
            read_text=self.reader.read_text,
            transclusion_depth=depth,
            report=self.problems.append,
        )
        md = markdown.Markdown(
            extensions=[
                extension,
                "toc",
                "admonition",
                "pymdownx.details",
                "pymdownx.superfences",
                "tables",
            ]
        )
        return md.convert(textwrap.dedent(source).strip("\n"))


@pytest.fixture
def render(vault_dir: Path) -> Renderer:
    return Renderer(vault_dir)


UNRESOLVED = '<span class="vault-unresolved" title="This note is not written yet">{}</span>'
MISSING_FILE = '<span class="vault-unresolved" title="This file is not in the vault yet">{}</span>'


class TestWikilinks:
    @pytest.mark.parametrize(
        ("source", "html"),
        [
            (
                "[[Target Note]]",
                '<p><a class="vault-link" href="Target%20Note.md">Target Note</a></p>',
            ),
            (
                "[[target note]]",
                '<p><a class="vault-link" href="Target%20Note.md">target note</a></p>',
            ),
            (
                "[[Target Note|the target]]",
                '<p><a class="vault-link" href="Target%20Note.md">the target</a></p>',
            ),
            (
                "[[Target Note#Heading, with punctuation!]]",
                '<p><a class="vault-link" href="Target%20Note.md#heading-with-punctuation">'
                "Target Note &gt; Heading, with punctuation!</a></p>",
            ),
            (
                "[[Target Note#Heading, with punctuation!|go]]",
                (
                    '<p><a class="vault-link" href="Target%20Note.md#heading-with-punctuation">'
                    "go</a></p>"
                ),
            ),
            (
                "[[Target Note#Repeat]]",
                (
                    '<p><a class="vault-link" href="Target%20Note.md#repeat">'
                    "Target Note &gt; Repeat</a></p>"
                ),
            ),
            (
                "[[#Local Heading]]",
                '<p><a class="vault-link" href="#local-heading">Local Heading</a></p>',
            ),
            (
                "[[Target Note#^block-1|b]]",
                '<p><a class="vault-link" href="Target%20Note.md#^block-1">b</a></p>',
            ),
            (
                "[[07-02 VMs, Containers and Serverless#AWS Lambda|Lambda]]",
                (
                    '<p><a class="vault-link" href="../07%20Compute/'
                    '07-02%20VMs%2C%20Containers%20and%20Serverless.md#aws-lambda">Lambda</a></p>'
                ),
            ),
            (
                "[[Café & Co]]",
                '<p><a class="vault-link" href="../Cafe%CC%81%20%26%20Co.md">Café &amp; Co</a></p>',
            ),
            (
                unicodedata.normalize("NFD", "[[café & co]]"),
                unicodedata.normalize(
                    "NFD",
                    (
                        '<p><a class="vault-link" href="../Cafe%CC%81%20%26%20Co.md">café &amp; '
                        "co</a></p>"
                    ),
                ),
            ),
            (
                "[[übersicht]]",
                '<p><a class="vault-link" href="../%C3%84rzte/%C3%9Cbersicht.md">übersicht</a></p>',
            ),
            ("[[Other Name]]", '<p><a class="vault-link" href="../Aliased.md">Other Name</a></p>'),
            ("[[Missing Note]]", f"<p>{UNRESOLVED.format('Missing Note')}</p>"),
            ("[[Missing Note|shown]]", f"<p>{UNRESOLVED.format('shown')}</p>"),
            ("`[[Target Note]]`", "<p><code>[[Target Note]]</code></p>"),
            ("```\n[[Target Note]]\n```", "<pre><code>[[Target Note]]\n</code></pre>"),
        ],
        ids=lambda value: value if len(value) < 40 else None,
    )
    def test_golden(self, render: Renderer, source: str, html: str) -> None:
        assert (
            render(source)
            .replace('<div class="highlight">', "")
            .replace("</div>", "")
            .replace("<span></span>", "")
            == html
        )

    def test_repeated_name_prefers_shortest_path(self, render: Renderer) -> None:
        assert 'href="../a/Dup.md"' in render("[[Dup]]")
        assert 'href="../b/c/Dup.md"' in render("[[c/Dup]]")

    def test_repeated_name_prefers_the_note_beside_the_link(self, render: Renderer) -> None:
        assert 'href="Dup.md"' in render("[[Dup]]", page="b/c/other.md")

    def test_missing_heading_links_to_the_note(self, render: Renderer) -> None:
        assert render("[[Target Note#Nowhere]]") == (
            '<p><a class="vault-link" href="Target%20Note.md">Target Note &gt; Nowhere</a></p>'
        )

    def test_wikilink_in_table_with_escaped_pipe(self, render: Renderer) -> None:
        html = render("| a |\n|---|\n| [[Target Note\\|label]] |")
        assert '<a class="vault-link" href="Target%20Note.md">label</a>' in html

    @pytest.mark.parametrize(
        ("source", "label"),
        [
            ("[[Target Note|a *fine* label]]", "a <em>fine</em> label"),
            ("[[Missing Note|==marked==]]", "<mark>marked</mark>"),
            ("![[nothing.png|**bold** alt]]", "<strong>bold</strong> alt"),
        ],
    )
    def test_label_keeps_its_inline_markdown(
        self, render: Renderer, source: str, label: str
    ) -> None:
        # Labels no later pattern can match skip them; these must not.
        assert label in render(source)

    def test_labels_get_abbreviations(self, vault_dir: Path) -> None:
        # A plain label is left alone by the inline patterns, not by the tree processors
        # after them: `abbr` skips atomic text.
        extension = ObsidianExtension(Vault.from_directories(vault_dir), "notes/page.md")
        md = markdown.Markdown(extensions=[extension, "abbr"])
        html = md.convert(
            "[[Target Note|the AWS note]] and [[Missing Note|AWS]]"
            " and [[Target Note|`code` then AWS]]\n\n*[AWS]: Cloud"
        )
        abbr = '<abbr title="Cloud">AWS</abbr>'
        assert html == (
            f'<p><a class="vault-link" href="Target%20Note.md">the {abbr} note</a>'
            f" and {UNRESOLVED.format(abbr)} and"
            f' <a class="vault-link" href="Target%20Note.md"><code>code</code> then {abbr}</a></p>'
        )


class TestMarkdownLinks:
    def test_seed_form_resolves_and_keeps_its_anchor(self, render: Renderer) -> None:
        html = render(
            "[Lambda](../07%20Compute/07-02%20VMs,%20Containers%20and%20Serverless.md#aws-lambda)",
            page="06 Architecture/06-04 Shared.md",
        )
        assert html == (
            '<p><a href="../07%20Compute/07-02%20VMs%2C%20Containers%20and%20Serverless.md'
            '#aws-lambda">Lambda</a></p>'
        )

    def test_anchor_by_heading_text_becomes_the_id(self, render: Renderer) -> None:
        html = render(
            "[ECS](../07%20Compute/07-02%20VMs,%20Containers%20and%20Serverless.md#Elastic%20Container%20S"
            "ervice%20(ECS))"
        )
        assert (
            'href="../07%20Compute/07-02%20VMs%2C%20Containers%20and%20Serverless.md#elastic-container-ser'
            'vice-ecs"'
        ) in html

    def test_moved_note_resolves_by_name(self, render: Renderer) -> None:
        assert 'href="Target%20Note.md"' in render("[t](../old/place/Target%20Note.md)")

    def test_missing_note_is_marked_text(self, render: Renderer) -> None:
        assert render("[gone](../Nowhere.md)") == f"<p>{UNRESOLVED.format('gone')}</p>"

    def test_external_links_are_left_alone(self, render: Renderer) -> None:
        assert (
            render("[aws](https://aws.amazon.com/x.md)")
            == '<p><a href="https://aws.amazon.com/x.md">aws</a></p>'
        )


class TestEmbeds:
    @pytest.mark.parametrize(
        ("source", "html"),
        [
            ("![[pic.png]]", '<p><img alt="pic.png" src="../assets/pic.png" /></p>'),
            (
                "![[pic.png|300]]",
                '<p><img alt="pic.png" src="../assets/pic.png" width="300" /></p>',
            ),
            (
                "![[pic.png|300x200]]",
                '<p><img alt="pic.png" height="200" src="../assets/pic.png" width="300" /></p>',
            ),
            ("![[pic.png|a picture]]", '<p><img alt="a picture" src="../assets/pic.png" /></p>'),
            ("![[nothing.png]]", f"<p>{MISSING_FILE.format('nothing.png')}</p>"),
            ("![[nothing.png|300]]", f"<p>{MISSING_FILE.format('nothing.png')}</p>"),
            ("![[nothing.png|a picture]]", f"<p>{MISSING_FILE.format('a picture')}</p>"),
        ],
    )
    def test_images(self, render: Renderer, source: str, html: str) -> None:
        assert render(source) == html

    def test_note_is_transcluded_without_joining_the_toc(self, render: Renderer) -> None:
        html = render("![[Embedded]]")
        assert html.startswith('<div class="vault-embed">')
        assert '<p class="vault-embed-heading vault-embed-h2">Part</p>' in html
        assert (
            '<a class="vault-link" href="Target%20Note.md">Target Note</a> <mark>hi</mark>' in html
        )
        assert "<h2" not in html

    def test_heading_section_only(self, render: Renderer) -> None:
        html = render("![[Embedded#Part]]")
        assert "part text" in html
        assert "embedded text" not in html
        assert "after text" not in html

    def test_block_only(self, render: Renderer) -> None:
        html = render("![[Target Note#^block-1]]")
        assert html == '<div class="vault-embed">\n<p>para</p>\n</div>'

    def test_relative_links_of_a_transcluded_note_still_resolve(self, render: Renderer) -> None:
        html = render("![[Relative]]", page="notes/page.md")
        assert (
            'href="../07%20Compute/07-02%20VMs%2C%20Containers%20and%20Serverless.md#aws-lambda"'
            in html
        )

    def test_cycle_is_linked_and_reported(self, render: Renderer) -> None:
        html = render("![[Loop A]]", page="Loop B.md")
        assert '<a class="vault-link" href="Loop%20B.md">Loop B</a>' in html
        assert [str(p) for p in render.problems] == [
            (
                "Loop B.md: embed cycle: Loop B.md -> Loop A.md -> Loop B.md; the repeated note "
                "is linked, not embedded"
            )
        ]

    def test_depth_limit(self, render: Renderer) -> None:
        html = render("![[Deep 1]]", depth=2)
        assert "deepest" not in html
        assert '<a class="vault-link" href="../Deep%203.md">Deep 3</a>' in html
        assert [p.message for p in render.problems] == [
            "embeds nested deeper than 2 at ![[Deep 3]]; it is linked, not embedded"
        ]

    def test_drawio_file_is_sanitised_and_keeps_its_content(self, render: Renderer) -> None:
        html = render("![[diagram.drawio.svg]]")
        assert html.startswith(
            '<div class="vault-embed-drawing"><figure class="vault-drawing"><svg'
        )
        assert 'content="&lt;mxfile/&gt;"' in html
        assert "onload" not in html
        assert [p.message for p in render.problems] == [
            "diagram.drawio.svg: removed from SVG: onload attribute on <svg>"
        ]

    def test_inline_svg_in_a_note_is_sanitised(self, render: Renderer) -> None:
        html = render(
            'Before.\n\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><text>'
            "Hi</text></svg>\n\nAfter."
        )
        assert "<script" not in html
        assert "<text>Hi</text>" in html
        assert html.startswith('<p>Before.</p>\n<figure class="vault-drawing"><svg')
        assert [p.message for p in render.problems] == ["removed from SVG: script element"]

    def test_plain_svg_file_is_inlined_sanitised_too(
        self, render: Renderer, vault_dir: Path
    ) -> None:
        (vault_dir / "icon.svg").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg"><script/><text>I</text></svg>'
        )
        render.vault = Vault.from_directories(vault_dir)
        html = render("![[icon.svg]]")
        assert "<script" not in html
        assert "<text>I</text>" in html


class TestCallouts:
    @pytest.mark.parametrize(
        ("source", "html"),
        [
            (
                "> [!note] Title\n> Body",
                (
                    '<div class="admonition note">\n<p class="admonition-title">Title</p>\n'
                    "<p>Body</p>\n</div>"
                ),
            ),
            (
                "> [!tip]\n> Body",
                (
                    '<div class="admonition tip">\n<p class="admonition-title">Tip</p>\n<p>Body</p>'
                    "\n</div>"
                ),
            ),
            (
                "> [!TLDR] Short",
                '<div class="admonition abstract">\n<p class="admonition-title">Short</p>\n</div>',
            ),
            (
                "> [!todo] Do",
                '<div class="admonition info">\n<p class="admonition-title">Do</p>\n</div>',
            ),
            (
                "> [!cite] Said",
                '<div class="admonition quote">\n<p class="admonition-title">Said</p>\n</div>',
            ),
            (
                "> [!mystery] Odd",
                '<div class="admonition note">\n<p class="admonition-title">Odd</p>\n</div>',
            ),
            (
                "> [!faq]- Closed\n> Body",
                '<details class="question">\n<summary>Closed</summary>\n<p>Body</p>\n</details>',
            ),
            (
                "> [!bug]+ Open\n> Body",
                (
                    '<details class="bug" open="open">\n<summary>Open</summary>\n'
                    "<p>Body</p>\n</details>"
                ),
            ),
            (
                "> [!warning] *Careful* [[Target Note]]",
                (
                    '<div class="admonition warning">\n<p class="admonition-title"><em>Careful</em>'
                    ' <a class="vault-link" href="Target%20Note.md">Target Note</a></p>\n</div>'
                ),
            ),
            (
                "> plain quote\n> [!note] not a callout",
                "<blockquote>\n<p>plain quote\n[!note] not a callout</p>\n</blockquote>",
            ),
        ],
    )
    def test_golden(self, render: Renderer, source: str, html: str) -> None:
        assert render(source) == html

    @pytest.mark.parametrize(
        "kind",
        [
            "note",
            "abstract",
            "summary",
            "info",
            "todo",
            "tip",
            "hint",
            "important",
            "success",
            "check",
            "done",
            "question",
            "help",
            "faq",
            "warning",
            "caution",
            "attention",
            "failure",
            "fail",
            "missing",
            "danger",
            "error",
            "bug",
            "example",
            "quote",
            "cite",
        ],
    )
    def test_every_obsidian_type_is_an_admonition(self, render: Renderer, kind: str) -> None:
        assert render(f"> [!{kind}] T").startswith('<div class="admonition ')

    def test_nested(self, render: Renderer) -> None:
        html = render("> [!note] Outer\n> text\n> > [!warning]- Inner\n> > inner text\n>\n> more")
        assert html == (
            '<div class="admonition note">\n<p class="admonition-title">Outer</p>\n<p>text</p>\n'
            '<details class="warning">\n<summary>Inner</summary>\n<p>inner text</p>\n</details>'
            "\n<p>more</p>\n</div>"
        )

    def test_hostile_nesting_stops_at_the_depth_limit(self, render: Renderer) -> None:
        source = "\n".join("> " * level + f"[!note] level {level}" for level in range(1, 400))
        html = render(source)
        assert html.count('class="admonition note"') == 20
        assert "level 399" in html


class TestInlineSyntax:
    @pytest.mark.parametrize(
        ("source", "html"),
        [
            ("==marked==", "<p><mark>marked</mark></p>"),
            ("a == b and c == d", "<p>a == b and c == d</p>"),
            ("`==code==`", "<p><code>==code==</code></p>"),
            ("visible %%hidden%% text", "<p>visible  text</p>"),
            ("one\n\n%%\nhidden\nlines\n%%\n\ntwo", "<p>one</p>\n<p>two</p>"),
            ("`%%kept%%`", "<p><code>%%kept%%</code></p>"),
            ("%%unclosed runs to the end\n\nstill hidden", ""),
            (
                "text #aws/lambda here",
                '<p>text <span class="vault-tag">#aws/lambda</span> here</p>',
            ),
            ("#tag-at-start", '<p><span class="vault-tag">#tag-at-start</span></p>'),
            ("# Heading", '<h1 id="heading">Heading</h1>'),
            ("issue #123 and a#b", "<p>issue #123 and a#b</p>"),
            ("`#notatag`", "<p><code>#notatag</code></p>"),
            ("para ^abc-1", '<p id="^abc-1">para</p>'),
            ("- item ^li1", '<ul>\n<li id="^li1">item</li>\n</ul>'),
            ("para\n\n^after", '<p id="^after">para</p>'),
            ("`code ^x`", "<p><code>code ^x</code></p>"),
            ("x^2 stays", "<p>x^2 stays</p>"),
        ],
    )
    def test_golden(self, render: Renderer, source: str, html: str) -> None:
        assert render(source) == html

    def test_comment_with_link_is_gone(self, render: Renderer) -> None:
        assert render("a %%[[Missing Note]]%% b") == "<p>a  b</p>"


class TestMarkdownLinkAnchors:
    def test_unknown_anchor_of_a_markdown_link_is_kept_for_mkdocs_to_check(
        self, render: Renderer
    ) -> None:
        assert render("[x](Target%20Note.md#custom-id)") == (
            '<p><a href="Target%20Note.md#custom-id">x</a></p>'
        )


class TestHeadingIds:
    """The ids the index predicts are the ids the rendered page really has."""

    @pytest.mark.parametrize(
        "heading",
        [
            "## Elastic Container Service (ECS)",
            "## AWS Elastic Beanstalk (EB)",
            "## Heading, with punctuation!",
            "## See [[Target Note#Repeat]] now",
            "## [[Target Note|Label]] and ==mark==",
            "## **Bold** and `code` and [a link](x.md)",
            "## Café & Co: Übersicht",
            "## Title #with-tag",
            "## Custom {#own-id}",
            "Setext heading\n--------------",
        ],
    )
    def test_predicted_id_is_rendered(self, render: Renderer, heading: str) -> None:
        [predicted] = extract_headings(heading)
        extension = ObsidianExtension(render.vault, "notes/page.md", report=render.problems.append)
        md = markdown.Markdown(extensions=[extension, "toc", "attr_list"])
        md.convert(heading)
        assert [token["id"] for token in md.toc_tokens] == [predicted.id]
