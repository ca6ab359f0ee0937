"""Real builds: the page sanitiser keeps every legitimate construct and nothing that runs."""

from __future__ import annotations

import logging
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
XSS_VECTORS = HERE.parent / "drawings" / "xss"

CONFIG = """\
site_name: Vault
theme: {name: material}
plugins:
  - search
  - tags
  - obsidian-vault
markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.highlight:
      anchor_linenums: true
  - pymdownx.inlinehilite
  - pymdownx.tasklist:
      custom_checkbox: true
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
"""

LEGIT = """\
---
title: Every construct
date: 07/10/23
tags: [compute]
---
# Every construct

## A section {#custom-id .custom-class}

Text with ==highlight==, a #serverless tag, [[Other]], [[Missing note]], a footnote[^1],
an AZ, :smile: and :material-github:, `code`, **bold** and *em*.
A [relative link](Other.md#other) and [outside](https://example.com "Example").

*[AZ]: Availability Zone

[^1]: The footnote.

| Left | Center | Right |
|:-----|:------:|------:|
| a    | b      | c     |

Term
:   Definition

!!! note "Admonition"
    Body.

??? tip "Folded"
    Hidden.

> [!warning]- Callout
> Body of the callout.

=== "One"
    First tab.

=== "Two"
    Second tab.

- [x] done
- [ ] to do

```python title="x.py" linenums="1" hl_lines="2"
print(1 < 2)
print("{{ not a macro }}")
```

Inline `#!python print(1)` code.

<div markdown>
**Markdown in HTML**
</div>

<details open><summary>Raw HTML</summary>
<p>Press <kbd>Ctrl</kbd>, H<sub>2</sub>O, x<sup>2</sup>, <abbr title="Region">R</abbr>.</p>
</details>

<!-- an HTML comment -->

A paragraph with a block id. ^block-1

![[pic.png|100x50]]

![[Other]]

![[flow.drawio.svg]]

<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"
style="fill: red"/><text x="1" y="9">Inline block drawing</text></svg>

<a href="https://example.com" title="Example">raw link</a> <img src="pic.png" alt="pic" width="20">
"""

OTHER = "# Other\n\nLinks back to [[Legit]].\n"
TAGS = "# Tags\n\n<!-- material/tags -->\n"
DRAWIO = (
    '<svg xmlns="http://www.w3.org/2000/svg" content="&lt;mxfile/&gt;">'
    '<rect width="9" height="9" style="fill: blue"/><text x="1" y="1">Flow</text></svg>'
)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

HOSTILE = """\
---
title: "<script>alert(7)</script>"
description: '"><script>alert(8)</script>'
tags: ["<img src=x onerror=alert(9)>"]
---
# Hostile

Text <svg onload=alert(4)></svg> inline.

<div><svg onload="alert(5)"><script>alert(6)</script></svg></div>

<script>alert(1)</script>

<img src=x onerror=alert(2)>

<a href="javascript:alert(3)">a link</a>

<iframe src="https://example.com"></iframe>

<object data="x.swf"></object>

<form action="https://example.com"><input type="text" name="q"></form>

<meta http-equiv="refresh" content="0;url=https://example.com">

<base href="https://example.com/">

<style>body { display: none }</style>

Kept text at the end.
"""

HOSTILE_WARNINGS = [
    "docs/hostile.md: SVG not shown: not well-formed XML: not well-formed (invalid token)",
    "docs/hostile.md: removed from SVG: onload attribute on <svg>",
    "docs/hostile.md: removed from SVG: script element",
    "docs/hostile.md: removed <script> element from the page (notes cannot run code)",
    "docs/hostile.md: removed onerror attribute on <img> from the page (notes cannot run code)",
    "docs/hostile.md: removed javascript: URL in href on <a> from the page (notes cannot run code)",
    "docs/hostile.md: removed <object> element from the page (notes cannot run code)",
    "docs/hostile.md: removed <form> element (not its content) from the page"
    " (notes cannot run code)",
    "docs/hostile.md: removed <input> element (only checkboxes and tabs' radio buttons) from"
    " the page (notes cannot run code)",
    "docs/hostile.md: removed <meta> element from the page (notes cannot run code)",
    "docs/hostile.md: removed <base> element from the page (notes cannot run code)",
    "docs/hostile.md: removed <style> element from the page (notes cannot run code)",
]


def make_vault(root: Path, notes: dict[str, str]) -> Path:
    docs = root / "docs"
    docs.mkdir(parents=True)
    (root / "diagrams").mkdir()
    for name, text in notes.items():
        (docs / name).write_text(text, encoding="utf-8")
    (docs / "pic.png").write_bytes(PNG)
    (root / "diagrams" / "flow.drawio.svg").write_text(DRAWIO, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(
        CONFIG.replace(
            "  - obsidian-vault\n", "  - obsidian-vault:\n      extra_roots: [diagrams]\n"
        ),
        encoding="utf-8",
    )
    return config


def build_into(config_file: Path, site_dir: Path) -> Path:
    build(load_config(str(config_file), site_dir=str(site_dir)))
    return site_dir


def files_of(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
    }


def sanitiser_warnings(caplog: pytest.LogCaptureFixture, note: str) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "mkdocs.plugins.vault_renderer"
        and record.getMessage().startswith(f"docs/{note}:")
        and record.levelno == logging.WARNING
    ]


def test_legit_content_is_identical_with_the_sanitiser_on_and_off(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_vault(
        tmp_path, {"Legit.md": LEGIT, "Other.md": OTHER, "tags.md": TAGS, "index.md": "# Home\n"}
    )
    on = files_of(build_into(config, tmp_path / "on"))
    assert [m for m in sanitiser_warnings(caplog, "Legit.md") if "removed" in m] == []
    # Every page counted as a tool page: nothing is sanitised.
    monkeypatch.setattr("vault_renderer.plugin.is_code_page", lambda _path: True)
    off = files_of(build_into(config, tmp_path / "off"))
    assert on.keys() == off.keys()
    changed = [name for name in on if on[name] != off[name]]
    assert changed == []
    page = on["Legit/index.html"].decode()
    for construct in (
        'id="custom-id"',
        "<mark>highlight</mark>",
        'class="vault-tag"',
        'class="vault-unresolved"',
        'class="footnote"',
        '<abbr title="Availability Zone">',
        'style="text-align: center;"',
        "<dl>",
        'class="admonition note"',
        '<details class="tip">',
        '<details class="warning">',
        'class="tabbed-set tabbed-alternate"',
        'type="radio"',
        'class="task-list-item"',
        'type="checkbox"',
        'id="__codelineno-0-1"',
        'class="hll"',
        'class="highlight"',
        '<span class="twemoji"><svg',
        "<strong>Markdown in HTML</strong>",
        "<kbd>Ctrl</kbd>",
        "<!-- an HTML comment -->",
        'id="^block-1"',
        'width="100"',
        'class="vault-embed"',
        '<figure class="vault-drawing"><svg',
        ">Flow</text>",
        ">Inline block drawing</text>",
        'class="vault-backlinks"',
        "{{ not a macro }}",
        'class="headerlink"',
        '<time datetime="2023-10-07">',
    ):
        assert construct in page, construct
    assert "md-tag" in on["tags/index.html"].decode()


class _Runnable(HTMLParser):
    """Counts what could run in a page: script-like elements, handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # The theme's own <meta> elements vary with the front matter (a description).
        if tag in {"script", "iframe", "object", "embed", "base", "form", "style"}:
            self.found[tag] += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.found[f"{name} attribute"] += 1
            if "".join((value or "").split()).lower().startswith("javascript:"):
                self.found["javascript: URL"] += 1
            if tag == "meta" and name == "http-equiv":
                self.found["meta http-equiv"] += 1


def runnable(html: str) -> Counter[str]:
    parser = _Runnable()
    parser.feed(html)
    parser.close()
    return parser.found


def vector_note() -> str:
    """Every drawing XSS vector, written inline in a paragraph rather than as a block."""
    lines = ["# Vectors", ""]
    for path in sorted(XSS_VECTORS.glob("*.svg")):
        svg = path.read_text(encoding="utf-8").split("-->", 1)[1].strip()
        lines += [f"Before {path.stem}: {' '.join(svg.splitlines())} after.", ""]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("hostile")
    config = make_vault(
        root,
        {
            "index.md": "# Home\n",
            "hostile.md": HOSTILE,
            "vectors.md": vector_note(),
            "tags.md": TAGS,
        },
    )
    handler = _Collect()
    logger = logging.getLogger("mkdocs.plugins.vault_renderer")
    logger.addHandler(handler)
    try:
        site = build_into(config, root / "site")
    finally:
        logger.removeHandler(handler)
    return site, handler.messages


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class TestHostileVault:
    def test_no_note_page_holds_more_that_runs_than_the_theme(
        self, hostile_site: tuple[Path, list[str]]
    ) -> None:
        site, _ = hostile_site
        theme = runnable((site / "index.html").read_text(encoding="utf-8"))
        for name in ("hostile", "vectors", "tags"):
            assert runnable((site / name / "index.html").read_text(encoding="utf-8")) == theme

    def test_the_rest_of_the_page_is_kept(self, hostile_site: tuple[Path, list[str]]) -> None:
        site, _ = hostile_site
        html = (site / "hostile" / "index.html").read_text(encoding="utf-8")
        assert "Kept text at the end." in html
        assert "a link</a>" in html
        assert html.count('<figure class="vault-drawing') == 2

    def test_exact_warnings(self, hostile_site: tuple[Path, list[str]]) -> None:
        _, messages = hostile_site
        hostile = [m for m in messages if m.startswith("docs/hostile.md")]
        assert hostile == HOSTILE_WARNINGS

    def test_every_inline_vector_is_reported(self, hostile_site: tuple[Path, list[str]]) -> None:
        _, messages = hostile_site
        vectors = [m for m in messages if m.startswith("docs/vectors.md: ")]
        assert len(vectors) >= len(list(XSS_VECTORS.glob("*.svg")))

    def test_front_matter_titles_and_tags_are_text_on_every_page(
        self, hostile_site: tuple[Path, list[str]]
    ) -> None:
        site, _ = hostile_site
        for page in ("index.html", "hostile/index.html", "vectors/index.html"):
            html = (site / page).read_text(encoding="utf-8")
            assert "<script>alert(7)" not in html, page
            assert "&lt;script&gt;alert(7)&lt;/script&gt;" in html, page
        hostile = (site / "hostile" / "index.html").read_text(encoding="utf-8")
        assert "<script>alert(8)" not in hostile
        assert "&#34;&gt;&lt;script&gt;alert(8)" in hostile
        tags = (site / "tags" / "index.html").read_text(encoding="utf-8")
        assert '<span class="md-tag">&lt;img src=x onerror=alert(9)&gt;</span>' in tags


# Fire the events a vector could hang a handler on, then let two frames pass so that
# anything they queued has run.
INTERACT = """async () => {
  for (const el of document.querySelectorAll('article *')) {
    for (const type of ['mouseover', 'mouseenter', 'focus', 'focusin', 'animationstart',
                        'load', 'error']) {
      el.dispatchEvent(new Event(type, {bubbles: true}));
    }
  }
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  return window.__xss;
}"""


def dialogs_shown(chromium, site: Path, page_path: str) -> tuple[list[str], bool]:
    """Open a built page from a local server.

    Returns:
        The dialogs its scripts opened, and whether the note's last line is visible.
    """
    from bench.calculator import serve_site

    # GitHub Pages cannot send the CSP header that serve_site sends: the page must be
    # safe without it.
    context = chromium.new_context(bypass_csp=True)
    dialogs: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        with serve_site(site) as base:
            # The theme's web fonts are the only outside requests; nothing needs them.
            context.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith(base) else route.abort()
                ),
            )
            page.goto(base + page_path, wait_until="load")
            page.evaluate(INTERACT)
            visible = page.get_by_text("Kept text at the end.").is_visible()
    finally:
        context.close()
    return dialogs, visible


@pytest.mark.browser
def test_in_chromium_the_hostile_note_runs_nothing(
    chromium, hostile_site: tuple[Path, list[str]]
) -> None:
    site, _ = hostile_site
    assert dialogs_shown(chromium, site, "hostile/") == ([], True)


@pytest.mark.browser
def test_in_chromium_the_hostile_note_runs_without_the_sanitiser(
    chromium, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control: the same note, not sanitised, does open dialogs, so the test above can fail."""
    monkeypatch.setattr("vault_renderer.plugin.is_code_page", lambda _path: True)
    # Without the lines that would navigate away or hide the page before it is probed.
    note = "\n".join(
        line for line in HOSTILE.splitlines() if not line.startswith(("<meta", "<style"))
    )
    config = make_vault(tmp_path, {"index.md": "# Home\n", "hostile.md": note})
    site = build_into(config, tmp_path / "site")
    dialogs, _ = dialogs_shown(chromium, site, "hostile/")
    assert set(dialogs) == {"1", "2", "4", "5", "6"}
