"""``make check`` on small vaults: each kind of finding, reported at its exact place."""

from __future__ import annotations

import json

import pytest

from tests.check.vaults import GOOD_NOTE, GOOD_TARGET, findings, run, write_vault

GOOD = {"docs/notes/Caching.md": GOOD_NOTE, "docs/compute/Compute.md": GOOD_TARGET}


class TestGoodVault:
    def test_passes_with_only_the_summary(self, tmp_path, monkeypatch, capsys):
        write_vault(tmp_path, GOOD)
        status, lines = run(tmp_path, monkeypatch, capsys)
        assert status == 0
        assert len(lines) == 1
        assert lines[0].startswith("checked 2 notes, 0 drawings and 0 images in ")
        assert lines[0].endswith(" s: no problems")

    def test_links_in_code_and_comments_are_not_checked(self, tmp_path, monkeypatch, capsys):
        note = (
            "# Code\n\n`[[Nowhere]]`\n\n```\n[[Nowhere]] ![[gone.png]]\n```\n\n%% [[Nowhere]] %%\n"
        )
        write_vault(tmp_path, {**GOOD, "docs/notes/Code.md": note})
        assert run(tmp_path, monkeypatch, capsys)[0] == 0


def case(note: str, *expected: str, extra: dict[str, str | bytes] | None = None):
    """A vault made of the good vault plus ``docs/notes/Bad.md`` holding ``note``."""
    return pytest.param({**GOOD, "docs/notes/Bad.md": note, **(extra or {})}, list(expected))


FRONT_MATTER = {
    "broken YAML": case(
        "---\ntitle: Bad\ntags: [aws\n---\nBody\n",
        "docs/notes/Bad.md:4:1: error: VAULT001 front matter is not valid YAML (did not find "
        "expected ',' or ']'); the page is published without it — fix the YAML "
        "between the two `---` lines; quote a value that holds `: ` or starts with "
        "[ { * & ! | > % @ or a backtick",
    ),
    "a list as title": case(
        "---\ntitle: [a, b]\n---\n",
        "docs/notes/Bad.md:2:1: error: VAULT002 front matter `title` must be text, not a list "
        "— write `title: ` followed by the title, in quotes if it holds `: `",
    ),
    "a mapping as tags": case(
        "---\ntitle: Bad\ntags:\n  aws: yes\n---\n",
        "docs/notes/Bad.md:3:1: error: VAULT002 front matter `tags` must be text or a list of "
        "text, not a mapping — write `tags: [first, second]` or one `- item` per line",
    ),
    "the template's title": case(
        '---\ntitle: "{{title}}"\n---\n',
        "docs/notes/Bad.md:2:1: error: VAULT002 front matter `title` still holds the "
        "template's placeholder; write the note's title — write `title: ` followed by the "
        "title, in quotes if it holds `: `",
    ),
    "31 February": case(
        "---\ntitle: Bad\ndate: 31/02/23\n---\n",
        "docs/notes/Bad.md:3:1: error: VAULT003 front matter date `31/02/23` is not a date — "
        "write it as DD/MM/YY (07/10/23) or as YYYY-MM-DD (2023-10-07)",
    ),
    "no title anywhere": case(
        "Just text.\n",
        "docs/notes/Bad.md:1:1: warning: VAULT004 note has no title: no `title` in its front "
        "matter and no heading — add `title: ...` to the front matter; until then the page is "
        "called `Bad`",
    ),
}

LINKS = {
    "a wikilink with a typo": case(
        "# Bad\n\nSee [[Compte]].\n",
        "docs/notes/Bad.md:3:5: error: VAULT010 unresolved link [[Compte]]: no note or file is "
        'called "Compte" — did you mean [[Compute]]?',
    ),
    "a wikilink to nothing alike": case(
        "# Bad\n\n[[Quantum entanglement|QE]]\n",
        "docs/notes/Bad.md:3:1: error: VAULT010 unresolved link [[Quantum entanglement|QE]]: no "
        'note or file is called "Quantum entanglement" — create the note, or correct the name '
        "(a file name, path or alias; case is ignored)",
    ),
    "a Markdown link with a typo": case(
        "# Bad\n\n[EC2](../compute/Compte.md#ec2)\n",
        "docs/notes/Bad.md:3:1: error: VAULT011 unresolved link [EC2](../compute/Compte.md#ec2): "
        "docs/compute/Compte.md does not exist — did you mean ../compute/Compute.md?",
    ),
    "a Markdown link to a folder": case(
        "# Bad\n\n[compute](../compute/)\n",
        "docs/notes/Bad.md:3:1: error: VAULT011 unresolved link [compute](../compute/): "
        "docs/compute is a folder, not a note — did you mean ../compute/index.md?",
        extra={"docs/compute/index.md": "# Compute topics\n"},
    ),
    "a wikilink heading with a typo": case(
        "# Bad\n\n- [[Compute#Lamda]]\n",
        "docs/notes/Bad.md:3:3: error: VAULT012 missing heading in [[Compute#Lamda]]: "
        'docs/compute/Compute.md has no heading "Lamda" — did you mean [[Compute#Lambda]]?',
    ),
    "a Markdown anchor that is no id": case(
        "# Bad\n\n[x](../compute/Compute.md#fargate)\n",
        "docs/notes/Bad.md:3:1: error: VAULT012 missing heading in "
        '[x](../compute/Compute.md#fargate): docs/compute/Compute.md has no heading id "fargate" '
        "— its headings are #lambda, #ec2",
    ),
    "a Markdown anchor with a typo": case(
        "# Bad\n\n[x](../compute/Compute.md#lamda)\n",
        "docs/notes/Bad.md:3:1: error: VAULT012 missing heading in "
        '[x](../compute/Compute.md#lamda): docs/compute/Compute.md has no heading id "lamda" '
        "— did you mean #lambda?",
    ),
    "a Markdown anchor set by attr_list or HTML": case(
        "# Bad\n\n[a](../compute/Compute.md#costs) [b](../compute/Compute.md#top)\n",
        extra={"docs/compute/Compute.md": GOOD_TARGET + '\nCosts {#costs}\n\n<a id="top"></a>\n'},
    ),
    "an in-page heading": case(
        "# Bad\n\n## Read path\n\n[[#Read paths]]\n",
        "docs/notes/Bad.md:5:1: error: VAULT012 missing heading in [[#Read paths]]: "
        'docs/notes/Bad.md has no heading "Read paths" — did you mean [[#Read path]]?',
    ),
    "a block reference": case(
        "# Bad\n\n[[Compute#^costs]]\n",
        "docs/notes/Bad.md:3:1: error: VAULT013 missing block in [[Compute#^costs]]: "
        "docs/compute/Compute.md has no block ^costs — end the paragraph you mean with "
        "` ^costs`, or correct the id",
    ),
    "an embedded image with a typo": case(
        "# Bad\n\n![[read-path.pgn|300]]\n",
        "docs/notes/Bad.md:3:1: error: VAULT014 missing embed ![[read-path.pgn|300]]: no note or "
        'file is called "read-path.pgn" — did you mean ![[read-path.png]]?',
        extra={"docs/notes/read-path.png": b"\x89PNG\r\n\x1a\n"},
    ),
    "a Markdown image": case(
        "# Bad\n\n![the read path](img/read.png)\n",
        "docs/notes/Bad.md:3:1: error: VAULT014 missing embed ![the read path](img/read.png): "
        "docs/notes/img/read.png does not exist — add the file (beside the note; drawings go in "
        "diagrams/), or correct its name",
    ),
    "an embedded drawing": case(
        "# Bad\n\n![[Read path.excalidraw]]\n",
        "docs/notes/Bad.md:3:1: error: VAULT014 missing embed ![[Read path.excalidraw]]: no note "
        'or file is called "Read path.excalidraw" — add the file (beside the note; drawings go '
        "in diagrams/), or correct its name",
    ),
}


@pytest.mark.parametrize(("files", "expected"), FRONT_MATTER.values(), ids=FRONT_MATTER)
def test_front_matter(files, expected, tmp_path, monkeypatch, capsys):
    write_vault(tmp_path, files)
    assert findings(run(tmp_path, monkeypatch, capsys)[1]) == expected


def test_an_impossible_iso_date_is_reported_not_raised(tmp_path, monkeypatch, capsys):
    # YAML raises a plain ValueError building it; the core reports it as a problem.
    note = "---\ntitle: Bad\ndate: 2023-13-01\n---\n# Bad\n\n## Part\n\n[[#Part]]\n"
    write_vault(tmp_path, {**GOOD, "docs/notes/Bad.md": note})
    status, lines = run(tmp_path, monkeypatch, capsys)
    assert findings(lines) == [
        "docs/notes/Bad.md:3:1: error: VAULT001 front matter `date` value `2023-13-01` is not a "
        "real date (month must be in 1..12); the page is published without its front matter — "
        "write dates as DD/MM/YY or YYYY-MM-DD, with a real day and month"
    ], "the rest of the note is still checked: its heading link resolves"
    assert status == 1


@pytest.mark.parametrize(("files", "expected"), LINKS.values(), ids=LINKS)
def test_links(files, expected, tmp_path, monkeypatch, capsys):
    write_vault(tmp_path, files)
    status, lines = run(tmp_path, monkeypatch, capsys)
    assert findings(lines) == expected
    assert status == (1 if expected else 0)


DRAWING_WITH_ICON = (
    "---\nexcalidraw-plugin: parsed\n---\n# Excalidraw Data\n## Text Elements\n"
    "## Embedded Files\nabc123: [[icon.svg]]\n\n%%\n## Drawing\n```json\n"
    + json.dumps(
        {
            "type": "excalidraw",
            "elements": [
                {
                    "id": "i",
                    "type": "image",
                    "x": 0,
                    "y": 0,
                    "width": 9,
                    "height": 9,
                    "fileId": "abc123",
                }
            ],
            "files": {},
        }
    )
    + "\n```\n%%\n"
)


def excalidraw_file(*elements: dict) -> str:
    return json.dumps({"type": "excalidraw", "elements": list(elements), "files": {}})


SHAPE = {"id": "r", "type": "rectangle", "x": 0, "y": 0, "width": 9, "height": 9}

HOSTILE_DRAWIO = (
    '<svg xmlns="http://www.w3.org/2000/svg" content="&lt;mxfile/&gt;">'
    '<script>alert(1)</script><image href="https://evil.example/x.png"/></svg>'
)

DRAWINGS = {
    "a draw.io file with a script": case(
        "# Bad\n\n![[flow.drawio.svg]]\n",
        "diagrams/flow.drawio.svg:1:1: warning: VAULT022 the SVG sanitiser would remove script "
        "element, external reference 'https://evil.example/x.png' in href on <image> — remove "
        "them from the drawing: the page shows it without them (in draw.io, drop links to other "
        "sites and custom scripts, then export again)",
        extra={"diagrams/flow.drawio.svg": HOSTILE_DRAWIO},
    ),
    "an inline SVG with handlers": case(
        '# Bad\n\n  <svg xmlns="http://www.w3.org/2000/svg"><rect onclick="x()"/>'
        '<a href="javascript:a()"/><a href="javascript:b()"/></svg>\n',
        "docs/notes/Bad.md:3:3: warning: VAULT022 the SVG sanitiser would remove onclick "
        "attribute on <rect>, javascript: URL in href on <a> (×2) — remove them from the "
        "drawing: the page shows it without them (in draw.io, drop links to other sites and "
        "custom scripts, then export again)",
    ),
    "an inline SVG that is not XML": case(
        "# Bad\n\nText\n\n<svg><g>\n</svg>\n",
        "docs/notes/Bad.md:6:3: error: VAULT020 SVG cannot be read: not well-formed XML: "
        'mismatched tag — export it again from draw.io (File > Export as > SVG, with "Include a '
        'copy of my diagram") or fix the markup at this line',
    ),
    "an SVG inside a code block": case("# Bad\n\n```html\n<svg><script/></svg>\n```\n"),
    "a truncated Excalidraw drawing": case(
        "# Bad\n\n![[Read path.excalidraw]]\n",
        "diagrams/Read path.excalidraw.md:6:1: error: VAULT020 drawing cannot be drawn: the "
        "compressed-json block cannot be decompressed: data ends before the end-of-stream code "
        "(truncated?) (at base64 digit 40) — open it in Obsidian's Excalidraw plugin and save it "
        "again; if it will not open, restore the last good version "
        "(git log -p -- 'diagrams/Read path.excalidraw.md')",
        extra={
            "diagrams/Read path.excalidraw.md": "---\nexcalidraw-plugin: parsed\n---\n"
            "# Excalidraw Data\n## Drawing\n```compressed-json\n"
            "N4KAkARALgngDgUwgLgAQQQDwMYEMA2AlgCYBOuA\n```\n"
        },
    ),
    "an Excalidraw file that is not JSON": case(
        "# Bad\n",
        "diagrams/flow.excalidraw:1:1: error: VAULT020 drawing cannot be drawn: the JSON "
        "document is not valid JSON: Expecting property name enclosed in double quotes at line 1 "
        "column 2 — open it in Obsidian's Excalidraw plugin and save it again; if it will not "
        "open, restore the last good version (git log -p -- 'diagrams/flow.excalidraw')",
        extra={"diagrams/flow.excalidraw": "{not json"},
    ),
    "an Excalidraw drawing missing an icon": case(
        "# Bad\n\n![[Read path.excalidraw]]\n",
        "diagrams/Read path.excalidraw.md:7:11: warning: VAULT021 embedded file 'icon.svg' not "
        "found; drawn as a labelled placeholder — add the missing file to the vault (beside the "
        "drawing or in diagrams/), or remove it from the drawing",
        extra={"diagrams/Read path.excalidraw.md": DRAWING_WITH_ICON},
    ),
    "an Excalidraw drawing showing a missing icon twice": case(
        "# Bad\n",
        "diagrams/Read path.excalidraw.md:7:11: warning: VAULT021 embedded file 'icon.svg' not "
        "found; drawn as a labelled placeholder — add the missing file to the vault (beside the "
        "drawing or in diagrams/), or remove it from the drawing",
        extra={
            "diagrams/Read path.excalidraw.md": DRAWING_WITH_ICON.replace(
                '"fileId": "abc123"}',
                '"fileId": "abc123"}, {"id": "j", "type": "image", '
                '"x": 20, "y": 0, "width": 9, "height": 9, "fileId": "abc123"}',
            )
        },
    ),
    "an Excalidraw drawing with an unknown element": case(
        "# Bad\n",
        "diagrams/flow.excalidraw:1:1: warning: VAULT021 element 1 has unknown type 'sparkle'; "
        "skipped — open the drawing in Obsidian's Excalidraw plugin and redraw or remove what "
        "the message names",
        extra={"diagrams/flow.excalidraw": excalidraw_file(SHAPE, {**SHAPE, "type": "sparkle"})},
    ),
    "an Excalidraw drawing with nothing in it": case(
        "# Bad\n",
        "diagrams/flow.excalidraw:1:1: error: VAULT020 drawing cannot be drawn: the drawing has "
        "no elements — open it in Obsidian's Excalidraw plugin and save it again; if it will not "
        "open, restore the last good version (git log -p -- 'diagrams/flow.excalidraw')",
        extra={"diagrams/flow.excalidraw": excalidraw_file({**SHAPE, "isDeleted": True})},
    ),
    "an Excalidraw drawing with its icon": case(
        "# Bad\n\n![[Read path.excalidraw]]\n",
        extra={
            "diagrams/Read path.excalidraw.md": DRAWING_WITH_ICON,
            "diagrams/icon.svg": '<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>',
        },
    ),
}


@pytest.mark.parametrize(("files", "expected"), DRAWINGS.values(), ids=DRAWINGS)
def test_svg_drawings(files, expected, tmp_path, monkeypatch, capsys):
    write_vault(tmp_path, files)
    assert findings(run(tmp_path, monkeypatch, capsys)[1]) == expected


BIG_IMAGE = {**GOOD, "docs/notes/big.png": b"\x89PNG" + bytes(1_500_000)}


class TestImageSize:
    def test_an_image_over_1_mb_is_a_warning(self, tmp_path, monkeypatch, capsys):
        write_vault(tmp_path, BIG_IMAGE)
        status, lines = run(tmp_path, monkeypatch, capsys)
        assert findings(lines) == [
            "docs/notes/big.png:1:1: warning: VAULT030 image is 1.5 MB (1,500,004 bytes), over "
            "the 1.0 MB limit for the web — export it at the size it is shown (about 1600 px "
            "wide is plenty) and compress it (pngquant or oxipng for PNG; WebP or JPEG for "
            "photos); the limit is --max-image-size"
        ]
        assert status == 0

    @pytest.mark.parametrize(("limit", "reported"), [("2MB", False), ("1.4MiB", True)])
    def test_the_limit_is_an_option(self, limit, reported, tmp_path, monkeypatch, capsys):
        write_vault(tmp_path, BIG_IMAGE)
        lines = run(tmp_path, monkeypatch, capsys, f"--max-image-size={limit}")[1]
        assert bool(findings(lines)) is reported

    def test_strict_fails_on_warnings(self, tmp_path, monkeypatch, capsys):
        write_vault(tmp_path, BIG_IMAGE)
        assert run(tmp_path, monkeypatch, capsys, "--strict")[0] == 1


class TestNavigation:
    def test_a_note_missing_from_the_nav(self, tmp_path, monkeypatch, capsys):
        write_vault(tmp_path, {**GOOD, "docs/Orphan.md": "# Orphan\n"}, nav=list(NAV))
        status, lines = run(tmp_path, monkeypatch, capsys)
        assert findings(lines) == [
            "docs/Orphan.md:1:1: warning: VAULT040 note is not in the navigation, so readers "
            "cannot find it — add `- Orphan.md` to a section of nav: in mkdocs.yml"
        ]
        assert status == 0

    def test_tags_and_not_in_nav_pages_are_exempt(self, tmp_path, monkeypatch, capsys):
        files = {**GOOD, "docs/tags.md": "# Tags\n", "docs/drafts/Idea.md": "# Idea\n"}
        write_vault(tmp_path, files, nav=list(NAV))
        with (tmp_path / "mkdocs.yml").open("a") as config:
            config.write("not_in_nav: |\n  /drafts/\n")
        status, lines = run(tmp_path, monkeypatch, capsys)
        assert (status, findings(lines)) == (0, [])

    def test_a_nav_entry_naming_no_file(self, tmp_path, monkeypatch, capsys):
        write_vault(tmp_path, GOOD, nav=[*NAV, "notes/Cashing.md"])
        status, lines = run(tmp_path, monkeypatch, capsys)
        assert findings(lines) == [
            "mkdocs.yml:5:5: error: VAULT041 navigation names notes/Cashing.md, which is not in "
            "docs/ — did you mean notes/Caching.md?"
        ]
        assert status == 1

    def test_a_broken_mkdocs_yml(self, tmp_path, monkeypatch, capsys):
        write_vault(tmp_path, GOOD)
        (tmp_path / "mkdocs.yml").write_text("site_name: Test\nnav:\n  - [a.md\n")
        status, lines = run(tmp_path, monkeypatch, capsys)
        assert findings(lines) == [
            "mkdocs.yml:4:1: error: VAULT042 mkdocs.yml cannot be read: expected ',' or ']', "
            "but got '<stream end>' — fix the YAML (indentation, a missing colon or quote) so "
            "the site builds"
        ]
        assert status == 1

    @pytest.mark.parametrize(
        "plugins", ["plugins:\n  - obsidian-vault\n", "plugins: [obsidian-vault]\n"]
    )
    def test_the_vault_plugin_listed_without_options(self, plugins, tmp_path, monkeypatch, capsys):
        write_vault(tmp_path, GOOD)
        with (tmp_path / "mkdocs.yml").open("a") as config:
            config.write(plugins)
        assert run(tmp_path, monkeypatch, capsys)[0] == 0

    def test_mkdocs_tags_that_only_mkdocs_builds_are_read(self, tmp_path, monkeypatch, capsys):
        write_vault(tmp_path, GOOD)
        with (tmp_path / "mkdocs.yml").open("a") as config:
            config.write("x: !!python/name:material.extensions.emoji.twemoji\n")
        assert run(tmp_path, monkeypatch, capsys)[0] == 0


NAV = ("notes/Caching.md", "compute/Compute.md")
