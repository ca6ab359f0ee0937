"""Real MkDocs builds of a small vault in tmp_path, with the obsidian-vault plugin."""

from __future__ import annotations

import gc
import json
import logging
import textwrap
import unicodedata
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

pytestmark = pytest.mark.slow

NOTES = {
    "index.md": """\
        # Home

        Start with [[Compute]] or [[Lambda Limts]] and [[Serverless#Event sources|events]].
        The [deep link](07%20Compute/07-02%20VMs,%20Containers.md#aws-lambda)
        and [gone](nowhere/Gone.md).

        ![[flow.drawio.svg]]
        """,
    "Compute.md": """\
        ---
        date: 07/10/23
        tags: [compute]
        ---
        Text with a #serverless tag and ==highlight==. %%draft: [[Secret Note]]%%

        > [!tip]- Exam tip
        > Prefer [[Serverless]].
        """,
    "07 Compute/07-02 VMs, Containers.md": (
        "# VMs, Containers\n\n## AWS Lambda\n\nSee [[Compute]].\n"
    ),
    "Serverless.md": "# Serverless\n\n## Event sources\n\n![[Compute]]\n",
    unicodedata.normalize("NFD", "Café & Co.md"): "# Café\n\n[[Missing Café]]\n",
    "Lambda Limits.md": "# Lambda Limits\n",
    "broken.md": "---\ntitle: ok\ntags: [unclosed\n---\n# Broken front matter\n\nBody kept.\n",
}

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" content="&lt;mxfile/&gt;">'
    '<text x="1" y="1">Flow</text></svg>'
)


def make_site(tmp_path: Path, *, level: str = "warning", extra: str = "") -> Path:
    docs = tmp_path / "docs"
    for path, text in NOTES.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(textwrap.dedent(text), encoding="utf-8")
    (tmp_path / "diagrams").mkdir()
    (tmp_path / "diagrams" / "flow.drawio.svg").write_text(SVG, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        textwrap.dedent(f"""\
            site_name: Vault
            theme: {{name: material}}
            plugins:
              - search
              - tags
              - obsidian-vault:
                  unresolved_link_level: {level}
            markdown_extensions:
              - admonition
              - pymdownx.details
              - toc:
                  permalink: true
            {extra}
            """),
        encoding="utf-8",
    )
    return config


def run_build(config_file: Path, *, strict: bool = False) -> Path:
    config = load_config(str(config_file), strict=strict)
    build(config)
    return Path(config.site_dir)


def page(site: Path, path: str) -> str:
    return (
        (site / path / "index.html").read_text(encoding="utf-8")
        if path
        else (site / "index.html").read_text(encoding="utf-8")
    )


@pytest.fixture
def site(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Path:
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.vault_renderer")
    return run_build(make_site(tmp_path))


def vault_messages(caplog: pytest.LogCaptureFixture) -> list[tuple[str, str]]:
    return [
        (record.levelname, record.getMessage())
        for record in caplog.get_records("setup")
        if record.name == "mkdocs.plugins.vault_renderer"
    ]


class TestBuild:
    def test_exact_warnings(self, site: Path, caplog: pytest.LogCaptureFixture) -> None:
        messages = vault_messages(caplog)
        yaml_warning = next(m for m in messages if "front matter" in m[1])
        assert yaml_warning[1].startswith("docs/broken.md:4: front matter is not valid YAML (")
        assert [m for m in messages if m is not yaml_warning] == [
            (
                "WARNING",
                unicodedata.normalize("NFD", "docs/Café & Co.md")
                + ":3: unresolved link [[Missing Café]]",
            ),
            (
                "WARNING",
                (
                    "docs/index.md:3: unresolved link [[Lambda Limts]]"
                    " (did you mean [[Lambda Limits]]?)"
                ),
            ),
            ("WARNING", "docs/index.md:5: unresolved link [gone](nowhere/Gone.md)"),
        ]

    def test_links(self, site: Path) -> None:
        html = page(site, "")
        assert '<a class="vault-link" href="Compute/">Compute</a>' in html
        assert '<a class="vault-link" href="Serverless/#event-sources">events</a>' in html
        assert (
            '<a href="07%20Compute/07-02%20VMs%2C%20Containers/#aws-lambda">deep link</a>' in html
        )
        assert (
            '<span class="vault-unresolved" title="This note is not written yet">'
            "Lambda Limts</span>"
        ) in html
        assert (
            '<span class="vault-unresolved" title="This note is not written yet">gone</span>'
            in html
        )

    def test_drawing_from_extra_root_is_inlined(self, site: Path) -> None:
        html = page(site, "")
        assert '<figure class="vault-drawing"><svg' in html
        assert ">Flow</text>" in html
        assert 'content="&lt;mxfile/&gt;"' in html

    def test_title_date_tags_callout_comment(self, site: Path) -> None:
        html = page(site, "Compute")
        assert "<title>Compute - Vault</title>" in html
        assert '<time datetime="2023-10-07">7 October 2023</time>' in html
        assert 'href="../tags/#tag:serverless"' in html or "serverless</span>" in html
        assert 'class="md-tag">serverless<' in html
        assert 'class="md-tag">compute<' in html
        assert '<details class="tip">\n<summary>Exam tip</summary>' in html
        assert "<mark>highlight</mark>" in html
        assert "Secret Note" not in html
        assert "draft" not in (site / "search" / "search_index.json").read_text(encoding="utf-8")

    def test_backlinks(self, site: Path) -> None:
        html = page(site, "Compute")
        backlinks = html[html.index('<aside class="vault-backlinks"') :]
        backlinks = backlinks[: backlinks.index("</aside>")]
        assert backlinks == (
            '<aside class="vault-backlinks" data-search-exclude>'
            '<p class="vault-backlinks-title">Linked from</p><ul>'
            '<li><a href="../07%20Compute/07-02%20VMs%2C%20Containers/">VMs, Containers</a></li>'
            '<li><a href="../Serverless/">Serverless</a></li>'
            '<li><a href="../">Home</a></li></ul>'
        )

    def test_transclusion(self, site: Path) -> None:
        html = page(site, "Serverless")
        assert '<div class="vault-embed">' in html
        assert "Text with a" in html

    def test_broken_front_matter_keeps_the_body(self, site: Path) -> None:
        html = page(site, "broken")
        assert "Body kept." in html
        assert "unclosed" not in html

    def test_unresolved_links_page(self, site: Path) -> None:
        html = page(site, "unresolved-links")
        for target in ("Lambda Limts", "Missing Café", "nowhere/Gone.md"):
            assert target in unicodedata.normalize("NFC", html)
        assert '<a href="../">Home</a>, line 3' in html
        assert (
            "unresolved-links"
            not in page(site, "")
            .split('<nav class="md-nav md-nav--primary"', 1)[1]
            .split("</nav>", 1)[0]
        )


def test_info_level_passes_strict(tmp_path: Path) -> None:
    config = make_site(tmp_path, level="info")
    (tmp_path / "docs" / "broken.md").unlink()
    site = run_build(config, strict=True)
    assert (site / "unresolved-links" / "index.html").exists()


def test_warning_level_fails_strict(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    (tmp_path / "docs" / "broken.md").unlink()
    with pytest.raises(Abort):
        run_build(config, strict=True)


EXCALIDRAW = {
    "type": "excalidraw",
    "version": 2,
    "elements": [
        {"id": "r", "type": "rectangle", "x": 0, "y": 0, "width": 100, "height": 50},
        {"id": "t", "type": "text", "x": 10, "y": 10, "width": 80, "height": 25, "text": "Cache"},
    ],
    "files": {},
}


def build_with_drawing(config_file: Path) -> tuple[Path, int]:
    config = load_config(str(config_file))
    build(config)
    return Path(config.site_dir), config.plugins["obsidian-vault"].drawing_cache.renders


def test_excalidraw_is_rendered_once_then_cached(tmp_path: Path) -> None:
    config = make_site(tmp_path, level="info")
    (tmp_path / "diagrams" / "Read path.excalidraw").write_text(json.dumps(EXCALIDRAW))
    (tmp_path / "docs" / "drawn.md").write_text("# Drawn\n\n![[Read path.excalidraw]]\n")
    site, cold = build_with_drawing(config)
    html = page(site, "drawn")
    assert '<div class="vault-embed-drawing"><figure class="vault-drawing"><svg' in html
    assert ">Cache</tspan></text>" in html
    assert cold == 1
    assert list((tmp_path / ".cache" / "plugin" / "obsidian-vault" / "drawings").glob("*.json"))
    _, warm = build_with_drawing(config)
    assert warm == 0


def test_corrupt_drawing_is_a_warning_not_a_failed_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = make_site(tmp_path, level="warning")
    (tmp_path / "diagrams" / "Broken.excalidraw").write_text('{"type": "excalidraw", "elements": [')
    (tmp_path / "docs" / "drawn.md").write_text(
        "# Drawn\n\n![[Broken.excalidraw]]\n\nStill here.\n"
    )
    site = run_build(config)
    html = page(site, "drawn")
    assert "Still here." in html
    assert '<figure class="vault-drawing vault-drawing-missing"><svg' in html
    assert any(
        record.getMessage().startswith("docs/drawn.md: diagrams/Broken.excalidraw: ")
        for record in caplog.records
        if record.name == "mkdocs.plugins.vault_renderer"
    )


def plugin_messages(caplog: pytest.LogCaptureFixture) -> list[tuple[str, str]]:
    return [
        (record.levelname, record.getMessage())
        for record in caplog.records
        if record.name == "mkdocs.plugins.vault_renderer"
    ]


def test_an_impossible_date_is_a_warning_and_the_note_is_published(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = make_site(tmp_path, level="info")
    (tmp_path / "docs" / "dated.md").write_text(
        "---\ntitle: Dated\ndate: 2023-13-01\n---\n# Dated note\n\nBody kept.\n"
    )
    site = run_build(config)
    html = page(site, "dated")
    assert "Body kept." in html
    assert "<title>Dated note - Vault</title>" in html
    assert "2023-13-01" not in html, "the front matter is not shown as text"
    assert (
        "WARNING",
        "docs/dated.md:3: front matter `date` value `2023-13-01` is not a real date (month must"
        " be in 1..12); the page is published without its front matter",
    ) in plugin_messages(caplog)


def test_log_lines_suggest_headings_and_files(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = make_site(tmp_path, level="info")
    (tmp_path / "docs" / "typos.md").write_text(
        "# Typos\n\n[[Serverless#Event source]] ![[flow.drawio.sgv]]\n\n"
        "[an id](Serverless.md#event-source)\n"
    )
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.vault_renderer")
    run_build(config)
    messages = [m for m in plugin_messages(caplog) if m[1].startswith("docs/typos.md")]
    assert messages == [
        (
            "INFO",
            "docs/typos.md:3: unresolved link [[Serverless#Event source]]: no heading"
            " #Event source in Serverless.md; it links to the note"
            " (did you mean [[Serverless#Event sources]]?)",
        ),
        (
            "INFO",
            "docs/typos.md:3: unresolved embed ![[flow.drawio.sgv]]"
            " (did you mean ![[flow.drawio.svg]]?)",
        ),
    ], "a Markdown link's #id is left to MkDocs' own anchor validation"


def test_a_drawings_missing_embedded_file_is_listed_as_unresolved(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = make_site(tmp_path, level="info")
    (tmp_path / "docs" / "broken.md").unlink()
    (tmp_path / "diagrams" / "Read path.excalidraw.md").write_text(
        "---\nexcalidraw-plugin: parsed\n---\n# Excalidraw Data\n\n## Embedded Files\n"
        "abc123: [[Missing icon.svg]]\n\n%%\n## Drawing\n```json\n"
        + json.dumps(EXCALIDRAW)
        + "\n```\n%%\n",
        encoding="utf-8",
    )
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.vault_renderer")
    site = run_build(config, strict=True)
    html = page(site, "unresolved-links")
    assert "Missing icon.svg" in html
    assert "diagrams/Read path.excalidraw.md, line 7" in html
    assert (
        "diagrams/Read path.excalidraw.md:7: unresolved link [[Missing icon.svg]]"
        in caplog.messages
    )


def test_an_empty_tag_list_as_obsidian_writes_it_does_not_stop_the_build(
    tmp_path: Path,
) -> None:
    # Obsidian's properties editor leaves `tags:` with one empty item; Material's tags
    # plugin would stop the whole build on it (seen in the Obsidian Hub vault).
    config = make_site(tmp_path, level="info")
    (tmp_path / "docs" / "empty-tags.md").write_text(
        "---\naliases:\n- \ntags:\n- \n---\n# Empty tags\n\nBody kept.\n"
    )
    site = run_build(config)
    assert "Body kept." in page(site, "empty-tags")


FREEZE_HOOK = """\
import gc
from pathlib import Path


def on_page_markdown(markdown, page, **kwargs):
    with open(Path(__file__).parent / "frozen.txt", "a") as out:
        out.write(f"{gc.get_freeze_count()}\\n")
    if "Café" in markdown and (Path(__file__).parent / "fail").exists():
        raise RuntimeError("a plugin failed")
    return markdown
"""


def test_objects_are_frozen_while_pages_render_and_thawed_after(tmp_path: Path) -> None:
    (tmp_path / "hooks.py").write_text(FREEZE_HOOK, encoding="utf-8")
    config = make_site(tmp_path, extra="hooks: [hooks.py]")
    assert gc.get_freeze_count() == 0
    run_build(config)
    counts = [int(n) for n in (tmp_path / "frozen.txt").read_text().split()]
    assert len(counts) >= len(NOTES) and min(counts) > 0
    assert gc.get_freeze_count() == 0


def test_a_failed_build_thaws_what_it_froze(tmp_path: Path) -> None:
    (tmp_path / "hooks.py").write_text(FREEZE_HOOK, encoding="utf-8")
    (tmp_path / "fail").touch()
    config = make_site(tmp_path, extra="hooks: [hooks.py]")
    with pytest.raises(RuntimeError, match="a plugin failed"):
        run_build(config)
    assert gc.get_freeze_count() == 0
