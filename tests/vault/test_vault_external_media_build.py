"""A note with media from unreachable sites builds, with Material's privacy plugin on.

Before, the privacy plugin tried to download the note's external image, failed, and
MkDocs then died copying the file it never got; players were removed and left blanks.
"""

from __future__ import annotations

import logging
import re
import textwrap
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from vault_renderer.check import check_project
from vault_renderer.check.project import Project

from bench.calculator import serve_site

pytestmark = pytest.mark.slow

# 127.0.0.1 port 9 (discard) is closed here; `.invalid` never resolves (RFC 2606).
NOTE = """\
    # Media

    A photo ![Cat|100](http://127.0.0.1:9/cat.jpg) and one from a host that is gone:

    ![](https://photos.invalid/engelbart.jpg)

    <img src="https://127.0.0.1:9/b.png" alt="diagram">

    <div>
    <iframe src="https://fast.wistia.net/embed/iframe/f2674kdaot?seo=false" title="Demo"></iframe>
    </div>

    <iframe src="https://www.youtube.com/embed/NnTvZWp5Q7o"></iframe>

    ```html
    <iframe src="https://example.org/in-code"></iframe>
    ```
    """
EMBEDDING = "# Embedding\n\n![[Media]]\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    root = tmp_path_factory.mktemp("media")
    docs = root / "docs"
    docs.mkdir()
    (docs / "Media.md").write_text(textwrap.dedent(NOTE), encoding="utf-8")
    (docs / "Embedding.md").write_text(EMBEDDING, encoding="utf-8")
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(
        textwrap.dedent("""\
            site_name: Media
            site_url: https://handbook.example/
            theme: {name: material, font: false}
            plugins:
              - search
              - privacy:
                  cache_dir: .cache/plugin/privacy
                  assets_exclude: ["*/mermaid@*"]
              - obsidian-vault:
                  extra_roots: []
            """),
        encoding="utf-8",
    )
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(logging.INFO)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    vault_logger = logging.getLogger("mkdocs.plugins.vault_renderer")
    level = vault_logger.level
    vault_logger.setLevel(logging.INFO)
    try:
        mkdocs_config = load_config(str(config))
        mkdocs_config.plugins["material/privacy"].config.cache_dir = str(
            root / ".cache/plugin/privacy"
        )
        build(mkdocs_config)
    finally:
        logger.removeHandler(handler)
        vault_logger.setLevel(level)
    messages = [record.getMessage() for record in records]
    return root, Path(mkdocs_config.site_dir), messages


def test_builds_and_shows_labelled_links(built: tuple[Path, Path, list[str]]) -> None:
    _, site, _ = built
    html = (site / "Media" / "index.html").read_text(encoding="utf-8")
    assert (
        '<span class="vault-external-label">Video on wistia.net “Demo”</span>: '
        '<a class="vault-external-link" href="https://fast.wistia.net/embed/iframe/'
        'f2674kdaot?seo=false">open it on its site</a>'
    ) in html
    assert (
        '<span class="vault-external-label">Image on photos.invalid</span>: '
        '<a class="vault-external-link" href="https://photos.invalid/engelbart.jpg">'
    ) in html
    assert html.count('class="vault-external ') == 5
    # A note embedded in another page shows its placeholders there too (logged once).
    embedding = (site / "Embedding" / "index.html").read_text(encoding="utf-8")
    assert embedding.count('class="vault-external ') == 5
    # The code sample is shown as written.
    assert "&lt;iframe src=&quot;https://example.org/in-code&quot;&gt;" in html


def test_no_page_loads_anything_from_another_host(built: tuple[Path, Path, list[str]]) -> None:
    _, site, _ = built
    loads = re.compile(r"<(?:img|iframe|video|audio|source|embed|object|script)\b[^>]*>", re.I)
    for page in site.rglob("*.html"):
        for tag in loads.findall(page.read_text(encoding="utf-8")):
            assert not re.search(r"""(?:src|data)=["']?(?:https?:)?//""", tag), (page, tag)
    # Nothing of the notes went to the privacy plugin's download folder.
    assert not (site / "assets" / "external").exists()


def test_one_line_per_occurrence_and_the_check_agrees(
    built: tuple[Path, Path, list[str]],
) -> None:
    root, _, messages = built
    logged = sorted(message for message in messages if "is shown as a link to its site" in message)
    assert [message.split(": ", 1)[0] for message in logged] == [
        "docs/Media.md:10",
        "docs/Media.md:13",
        "docs/Media.md:3",
        "docs/Media.md:5",
        "docs/Media.md:7",
    ]
    result = check_project(Project(root, root / "docs", (), root / "mkdocs.yml"))
    checked = sorted(
        f"{finding.path}:{finding.line}: {finding.message}"
        for finding in result.findings
        if finding.code == "VAULT031"
    )
    assert checked == logged


# Each placeholder as the reader sees it: its text and the size of its box.
PLACEHOLDERS = """() => [...document.querySelectorAll(".md-content .vault-external")].map((n) => {
  const box = n.getBoundingClientRect();
  return {text: n.innerText, width: box.width, height: box.height};
})"""


@pytest.mark.browser
def test_the_reader_sees_labelled_links_and_nothing_loads_from_elsewhere(
    chromium, built: tuple[Path, Path, list[str]]
) -> None:
    _, site, _ = built
    requested: list[str] = []
    with serve_site(site) as base_url:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.on("request", lambda request: requested.append(request.url))
        try:
            page.goto(base_url + "Media/", wait_until="networkidle")
            shown = page.evaluate(PLACEHOLDERS)
        finally:
            context.close()
    assert [item["text"] for item in shown] == [
        "Image on 127.0.0.1 “Cat”: open it on its site",
        "Image on photos.invalid: open it on its site",
        "Image on 127.0.0.1 “diagram”: open it on its site",
        "Video on wistia.net “Demo”: open it on its site",
        "Video on youtube.com: open it on its site",
    ]
    # No blank boxes: each one is drawn with its text, the videos as wide blocks.
    assert all(item["width"] > 100 and item["height"] > 15 for item in shown)
    assert shown[3]["width"] > 500
    elsewhere = [url for url in requested if not url.startswith(base_url)]
    assert elsewhere == []
