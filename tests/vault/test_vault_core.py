"""The vault renderer's pure core: front matter, the vault index, link finding and scanning."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from vault_renderer.frontmatter import (
    format_date,
    normalise_tags,
    note_title,
    parse_date,
    parse_front_matter,
)
from vault_renderer.links import LinkKind, find_links, page_href, parse_wikilink
from vault_renderer.report import describe, scan_vault, unresolved_page
from vault_renderer.syntax import find_inline_tags, remove_comments
from vault_renderer.vault import Vault, extract_headings


class TestFrontMatter:
    def test_fields(self) -> None:
        front = parse_front_matter("---\ntitle: T\ndate: 07/10/23\ntags: [a, b]\n---\n\nBody\n")
        assert dict(front.data) == {"title": "T", "date": "07/10/23", "tags": ["a", "b"]}
        assert front.body == "\nBody\n"
        assert front.body_line == 6
        assert front.problems == ()

    def test_broken_yaml_keeps_the_body_and_says_where(self) -> None:
        front = parse_front_matter("---\ntitle: ok\ntags: [unclosed\n---\n# Body\n")
        assert front.body == "# Body\n"
        assert front.data == {}
        [problem] = front.problems
        assert problem.line == 4
        assert problem.message.startswith("front matter is not valid YAML (")

    def test_not_a_mapping(self) -> None:
        front = parse_front_matter("---\n- a\n---\nx")
        assert front.body == "---\n- a\n---\nx"
        [problem] = front.problems
        assert problem.message == (
            "front matter must be a mapping of keys to values, not list; the block is shown as text"
        )

    @pytest.mark.parametrize(
        ("data", "body", "expected"),
        [
            ({"title": "From YAML"}, "# Heading", "From YAML"),
            ({}, "text\n## First *heading*\n# Second", "First heading"),
            ({}, "no heading", "file name"),
            ({"title": ""}, "", "file name"),
        ],
    )
    def test_title(self, data: dict[str, str], body: str, expected: str) -> None:
        assert note_title(data, body, "file name.md") == expected

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("07/10/23", dt.date(2023, 10, 7)),
            ("7/10/2023", dt.date(2023, 10, 7)),
            ("2023-10-07", dt.date(2023, 10, 7)),
            (dt.date(2023, 10, 7), dt.date(2023, 10, 7)),
            ("31/02/23", None),
            ("yesterday", None),
            (7, None),
        ],
    )
    def test_date(self, value: object, expected: dt.date | None) -> None:
        assert parse_date(value) == expected

    def test_readable_date(self) -> None:
        assert format_date(dt.date(2023, 10, 7)) == "7 October 2023"

    @pytest.mark.parametrize(
        ("value", "expected"),
        [(["a", "#b"], ["a", "b"]), ("a, b c", ["a", "b", "c"]), (None, [])],
    )
    def test_tags(self, value: object, expected: list[str]) -> None:
        assert normalise_tags(value) == expected


class TestVaultIndex:
    @pytest.fixture
    def vault(self) -> Vault:
        return Vault.from_sources(
            {
                "x/Note.md": "# N\n",
                "y/z/Note.md": "# N2\n",
                unicodedata.normalize("NFD", "Résumé.md"): "---\naliases: CV\n---\n",
                "Lambda limits.md": "",
                "pic.png": None,
                "ElastiCache read path.excalidraw.md": "",
            },
        )

    @pytest.mark.parametrize(
        ("target", "source", "expected"),
        [
            ("Note", None, "x/Note.md"),
            ("note.md", None, "x/Note.md"),
            ("Note", "y/z/other.md", "y/z/Note.md"),
            ("z/Note", None, "y/z/Note.md"),
            ("résumé", None, unicodedata.normalize("NFD", "Résumé.md")),
            (
                unicodedata.normalize("NFD", "RÉSUMÉ"),
                None,
                unicodedata.normalize("NFD", "Résumé.md"),
            ),
            ("cv", None, unicodedata.normalize("NFD", "Résumé.md")),
            ("PIC.png", None, "pic.png"),
            ("ElastiCache read path.excalidraw", None, "ElastiCache read path.excalidraw.md"),
            ("Nothing", None, None),
        ],
    )
    def test_resolve(
        self, vault: Vault, target: str, source: str | None, expected: str | None
    ) -> None:
        found = vault.resolve(target, source)
        assert (found.site_path if found else None) == expected

    def test_shortest_unique_link(self, vault: Vault) -> None:
        assert vault.shortest_link(vault.files["y/z/Note.md"]) == "z/Note"
        assert vault.shortest_link(vault.files["Lambda limits.md"]) == "Lambda limits"

    def test_suggestions(self, vault: Vault) -> None:
        assert vault.suggestions("Lambda limit") == ["Lambda limits"]
        assert vault.suggestions("Something else entirely") == []

    def test_drawing_note_is_not_a_page(self, vault: Vault) -> None:
        assert not vault.files["ElastiCache read path.excalidraw.md"].is_page
        assert vault.files["x/Note.md"].is_page

    def test_heading_ids_match_toc(self) -> None:
        text = (
            "---\ntitle: t\n---\n# Elastic Container Service (ECS)\n\n"
            "```\n# not a heading\n```\n\nSetext\n---\n\n## Repeat\n## Repeat\n"
        )
        assert [(h.text, h.id, h.line) for h in extract_headings(text, first_line=4)] == [
            ("Elastic Container Service (ECS)", "elastic-container-service-ecs", 4),
            ("Setext", "setext", 10),
            ("Repeat", "repeat", 13),
            ("Repeat", "repeat_1", 14),
        ]


class TestFindLinks:
    def test_positions_and_kinds(self) -> None:
        text = (
            "---\nup: '[[not a link]]'\n---\nA [[Note#H|l]] and ![[pic.png|300]]\n"
            "`[[code]]` [md](../a%20b.md#x) [web](https://x.md)\n%%[[hidden]]%%\n"
        )
        found = [(o.kind, o.line, o.column, o.link) for o in find_links(text)]
        assert found == [
            (LinkKind.WIKILINK, 4, 3, parse_wikilink("Note#H|l")),
            (LinkKind.EMBED, 4, 20, parse_wikilink("pic.png|300")),
            (LinkKind.MARKDOWN, 5, 12, parse_wikilink("../a b.md#x|md")),
        ]

    @pytest.mark.parametrize(
        ("inner", "target", "heading", "block", "label"),
        [
            ("Note", "Note", None, None, None),
            ("Note#A#B|x", "Note", "B", None, "x"),
            ("#Local", "", "Local", None, None),
            ("Note#^id", "Note", None, "id", None),
            ("Note\\|label", "Note", None, None, "label"),
        ],
    )
    def test_parse_wikilink(
        self, inner: str, target: str, heading: str | None, block: str | None, label: str | None
    ) -> None:
        link = parse_wikilink(inner)
        assert (link.target, link.heading, link.block, link.label) == (
            target,
            heading,
            block,
            label,
        )

    def test_page_href(self) -> None:
        assert (
            page_href("06 A/x.md", "07 Compute/07-02 VMs, C.md", "aws-lambda")
            == "../07%20Compute/07-02%20VMs%2C%20C.md#aws-lambda"
        )

    def test_remove_comments_keeps_code(self) -> None:
        assert (
            remove_comments("a %%b%% c `%%d%%`\n```\n%%e%%\n```\n")
            == "a  c `%%d%%`\n```\n%%e%%\n```\n"
        )


class TestScan:
    def test_backlinks_unresolved_and_messages(self) -> None:
        sources = {
            "a.md": "[[b]] [[Lamda limits]]\n\n[[b#Nope]]\n",
            "b.md": "# B\n[[a]] ![[missing.png]] [[a]]\n",
            "Lambda limits.md": "",
        }
        vault = Vault.from_sources(sources)
        report = scan_vault(vault, lambda f: sources.get(f.site_path))
        assert report.backlinks == {"b.md": ("a.md",), "a.md": ("b.md",)}
        assert list(report.unresolved) == ["Lamda limits", "missing.png"]
        assert [(p.source, p.occurrence.line, describe(p)) for p in report.problems] == [
            ("a.md", 1, "unresolved link [[Lamda limits]] (did you mean [[Lambda limits]]?)"),
            (
                "a.md",
                3,
                "unresolved link [[b#Nope]]: no heading #Nope in b.md; it links to the note",
            ),
            ("b.md", 2, "unresolved embed ![[missing.png]]"),
        ]
        page = unresolved_page(vault, report, "unresolved-links.md")
        assert "## Lamda limits\n\n- [a](a.md), line 1: `[[Lamda limits]]`" in page

    def test_attr_list_id_wins(self) -> None:
        [heading] = extract_headings("## AWS Lambda {#lambda .big}\n")
        assert (heading.text, heading.id) == ("AWS Lambda", "lambda")


class TestInlineTags:
    @pytest.mark.parametrize(
        ("text", "tags"),
        [
            ("a #one and #two/sub", ["one", "two/sub"]),
            ("#start of line", ["start"]),
            ("# Heading and ## more", []),
            ("issue #42, a#b, `#code`, %%#hidden%%", []),
            ('<span style="color: #fff">x</span>', []),
            ("###### Title { #custom-id }", []),
        ],
    )
    def test_find(self, text: str, tags: list[str]) -> None:
        assert [match["tag"] for match in find_inline_tags(text)] == tags
