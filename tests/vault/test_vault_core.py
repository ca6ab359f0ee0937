"""The vault renderer's pure core: front matter, the vault index, link finding and scanning."""

from __future__ import annotations

import datetime as dt
import posixpath
import unicodedata

import pytest
from vault_renderer.frontmatter import (
    FrontMatterProblem,
    format_date,
    normalise_tags,
    note_title,
    parse_date,
    parse_front_matter,
)
from vault_renderer.links import (
    LinkKind,
    WikiLink,
    find_links,
    page_href,
    parse_wikilink,
    resolve_link,
)
from vault_renderer.report import describe, scan_vault, unresolved_page
from vault_renderer.syntax import find_inline_tags, remove_comments
from vault_renderer.vault import (
    Vault,
    _closest,
    extract_element_ids,
    extract_headings,
    normalise_name,
)


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

    @pytest.mark.parametrize(
        ("block", "line", "key", "value", "reason"),
        [
            ("title: T\ndate: 2023-13-01\n", 3, "date", "2023-13-01", "month must be in 1..12"),
            (
                "title: T\nreviewed:\n  - by: me\n    on: 2023-02-30\n",
                5,
                "reviewed",
                "2023-02-30",
                "day is out of range for month",
            ),
        ],
        ids=["month-13", "nested-30-february"],
    )
    def test_an_impossible_date_is_a_problem_not_an_error(
        self, block: str, line: int, key: str, value: str, reason: str
    ) -> None:
        # YAML reads these as timestamps and raises a plain ValueError building them.
        front = parse_front_matter(f"---\n{block}---\n# Body\n\nText.\n")
        assert front.data == {}
        assert front.body == "# Body\n\nText.\n"
        assert front.body_line == block.count("\n") + 3
        assert front.problems == (
            FrontMatterProblem(
                line,
                f"front matter `{key}` value `{value}` is not a real date ({reason});"
                " the page is published without its front matter",
                key,
            ),
        )

    def test_a_note_with_an_impossible_date_is_indexed(self) -> None:
        vault = Vault.from_sources({"a.md": "---\ndate: 2023-13-01\n---\n# Alpha\n\n## Part\n"})
        note = vault.files["a.md"]
        assert note.title == "Alpha"
        assert [(h.id, h.line) for h in note.headings] == [("alpha", 4), ("part", 6)]

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

    @pytest.mark.parametrize(
        ("target", "expected"),
        [
            ("Lambda limit", ["Lambda limits"]),
            ("folder/Lambda limit.md", ["Lambda limits"]),
            ("Something else entirely", []),
            # A name with an extension may mean any file; one without only a note.
            ("pic.pgn", ["pic.png"]),
            ("ElastiCashe read path.excalidraw", ["ElastiCache read path.excalidraw"]),
            ("pic", []),
        ],
    )
    def test_suggestions(self, vault: Vault, target: str, expected: list[str]) -> None:
        assert vault.suggestions(target) == expected

    def test_path_style_links_resolve_as_a_scan_of_every_path_would(self) -> None:
        """The index of path ends finds what comparing the key with every path found."""
        paths = [
            "a/b/Note.md",
            "c/b/Note.md",
            "b/Note.md",
            "Note.md",
            "x/a/b/Note.md",
            "q/Note.md/Note.md",
            "Notes/Note.md",
            "a/b/Note.png",
            "a/B/Other.md",
            "x//y/Z.md",
        ]
        vault = Vault.from_sources({path: None if path.endswith(".png") else "" for path in paths})
        sources = [None, "a/b/x.md", "c/b/x.md", "x/a/b/x.md", "Notes/x.md", "q/x.md"]
        targets = [
            "b/Note",
            "B/NOTE.md",
            "a/b/Note",
            "Note.md/Note",
            "b/Note.png",
            "b/Other",
            "s/Note",
            "y/Z",
            "/y/Z",
            "Notes/Note",
            "./Note",
            "../b/Note",
        ]
        for target in targets:
            for source in sources:
                folder = None if source is None else posixpath.dirname(source)
                key = normalise_name(target).strip("/")
                scanned = [
                    file
                    for path, file in vault._by_path.items()
                    if path in (key, key + ".md") or path.endswith(("/" + key, "/" + key + ".md"))
                ]
                found = vault.resolve(target, source)
                if key.startswith(".") and found is not None and found not in scanned:
                    # `./Note`, `../b/Note`: resolved from the linking note's folder first.
                    continue
                expected = _closest(scanned, folder) if scanned else None
                assert found is expected, (target, source)

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


class TestAnchors:
    NOTE = (
        "# Compute\n\n## Lambda\n\n## EC2\n\nCosts {#costs}\n\n<a id='top'></a>\n\n"
        '```html\n<a id="in-code"></a>\n```\n'
    )

    @pytest.fixture
    def vault(self) -> Vault:
        return Vault.from_sources({"c.md": self.NOTE, "a.md": ""})

    def test_explicit_ids_outside_code(self) -> None:
        assert extract_element_ids(self.NOTE) == ["costs", "top"]

    def test_close_headings_compare_like_with_like(self, vault: Vault) -> None:
        note = vault.files["c.md"]
        assert [h.text for h in note.close_headings("lamda")] == ["Lambda"]
        assert [h.id for h in note.close_headings("ec-2", by_id=True)] == ["ec2"]
        assert note.close_headings("fargate") == []

    @pytest.mark.parametrize(
        ("link", "markdown", "anchor", "problem", "suggestions"),
        [
            (WikiLink("c", "LAMBDA"), False, "lambda", None, ()),
            (WikiLink("c", "Lamda"), False, None, "no heading #Lamda in c.md", ("Lambda",)),
            (WikiLink("c.md", "lamda"), True, "lamda", "no heading #lamda in c.md", ("lambda",)),
            (WikiLink("c.md", "costs"), True, "costs", None, ()),
            (WikiLink("c.md", "top"), True, "top", None, ()),
            (WikiLink("c.md", "in-code"), True, "in-code", "no heading #in-code in c.md", ()),
            (WikiLink("c", "top"), False, None, "no heading #top in c.md", ()),
        ],
        ids=[
            "heading-by-text",
            "wikilink-typo",
            "markdown-typo-keeps-its-anchor",
            "attr-list-id",
            "html-id",
            "id-in-code",
            "wikilinks-name-headings-only",
        ],
    )
    def test_resolve_anchor(
        self,
        vault: Vault,
        link: WikiLink,
        markdown: bool,
        anchor: str | None,
        problem: str | None,
        suggestions: tuple[str, ...],
    ) -> None:
        resolution = resolve_link(vault, link, "a.md", markdown=markdown)
        assert (resolution.anchor, resolution.problem, resolution.suggestions) == (
            anchor,
            problem,
            suggestions,
        )

    def test_no_search_unless_asked(self, vault: Vault) -> None:
        resolution = resolve_link(vault, WikiLink("c", "Lamda"), "a.md", suggest=False)
        assert resolution.problem is not None
        assert resolution.suggestions == ()


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
        assert "## `Lamda limits`\n\n- [a](a.md), line 1: `[[Lamda limits]]`" in page

    @pytest.mark.parametrize(
        ("target", "heading"),
        [
            ("EC2-instance_32.svg", "## `EC2-instance_32.svg`"),
            ("a`b", "## ``a`b``"),
            ("`x", "## `` `x ``"),
        ],
    )
    def test_unresolved_targets_are_code_in_headings(self, target: str, heading: str) -> None:
        sources = {"a.md": f"[[{target}]]\n"}
        vault = Vault.from_sources(sources)
        report = scan_vault(vault, lambda f: sources.get(f.site_path))
        assert heading + "\n" in unresolved_page(vault, report, "unresolved-links.md")

    def test_messages_suggest_headings_and_files(self) -> None:
        sources = {"a.md": "[[b#Bee]] ![[pic.pgn|200]]\n", "b.md": "# Bees\n", "pic.png": None}
        vault = Vault.from_sources(sources)
        report = scan_vault(vault, lambda f: sources.get(f.site_path))
        assert [describe(p) for p in report.problems] == [
            "unresolved link [[b#Bee]]: no heading #Bee in b.md; it links to the note"
            " (did you mean [[b#Bees]]?)",
            "unresolved embed ![[pic.pgn|200]] (did you mean ![[pic.png]]?)",
        ]

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


class TestIndentedCode:
    """Indented code blocks hide links as fenced ones do; list continuations do not."""

    @pytest.mark.parametrize(
        ("text", "links"),
        [
            ("Para\n\n    [[InCode]]\n\nAfter [[Real]]\n", ["Real"]),
            ("    [[AtStart]]\n", []),
            ("\t[[Tabbed]]\n\n[[Real]]\n", ["Real"]),
            ("Para\n    [[LazyContinuation]]\n", ["LazyContinuation"]),
            ("- item\n\n    [[ListParagraph]]\n", ["ListParagraph"]),
            ("1. item\n   more\n\n    [[StillList]]\n", ["StillList"]),
            ("Para\n\n    code\n\n    [[StillCode]]\nout [[Real]]\n", ["Real"]),
            ("```\n    [[Fenced]]\n```\n\n    [[Indented]]\n", []),
            ("- item\n\nPara\n\n    [[CodeAfterList]]\n", []),
        ],
    )
    def test_links_inside_indented_code_are_not_links(self, text: str, links: list[str]) -> None:
        assert [o.link.target for o in find_links(text)] == links
