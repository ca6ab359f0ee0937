"""Real builds: drawings reach the pages without inline CSS, and their rules reach the
stylesheet every page loads."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

pytestmark = pytest.mark.slow

DRAWIO = (
    '<svg xmlns="http://www.w3.org/2000/svg" content="&lt;mxfile style=&quot;x&quot;/&gt;"'
    ' style="background: #fff"><defs><style>rect { stroke: blue }</style></defs>'
    '<rect width="9" height="9" style="fill: red"/><foreignObject width="9" height="9">'
    '<div xmlns="http://www.w3.org/1999/xhtml" style="display: flex">Flow</div>'
    "</foreignObject></svg>"
)
INLINE_NOTE = """\
# Inline

<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9" style="fill: red"/>
<text x="1" y="1" style="font-size: 12px">Inline label</text></svg>

![[flow.drawio.svg]]
"""
EXCALIDRAW = {
    "type": "excalidraw",
    "version": 2,
    "elements": [{"id": "t", "type": "text", "x": 0, "y": 0, "width": 80, "height": 25,
                  "text": "Cache"}],
    "files": {},
}  # fmt: skip


def make_site(root: Path) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "diagrams").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n\n![[flow.drawio.svg]]\n", encoding="utf-8")
    (root / "docs" / "inline.md").write_text(INLINE_NOTE, encoding="utf-8")
    (root / "docs" / "cached.md").write_text("# Cached\n\n![[Read.excalidraw]]\n")
    (root / "diagrams" / "flow.drawio.svg").write_text(DRAWIO, encoding="utf-8")
    (root / "diagrams" / "Read.excalidraw").write_text(json.dumps(EXCALIDRAW))
    config = root / "mkdocs.yml"
    config.write_text(
        textwrap.dedent("""\
            site_name: Drawings
            theme: {name: material}
            plugins:
              - obsidian-vault
            """),
        encoding="utf-8",
    )
    return config


def run_build(config_file: Path, site_dir: Path) -> tuple[Path, int]:
    config = load_config(str(config_file), site_dir=str(site_dir))
    build(config)
    return site_dir, config.plugins["obsidian-vault"].drawing_cache.renders


def drawings(html: str) -> list[str]:
    return re.findall(r'<figure class="vault-drawing">(<svg.*?</svg>)</figure>', html, re.S)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, int]]:
    """The same vault built twice (the second from the drawing cache)."""
    root = tmp_path_factory.mktemp("vault")
    config = make_site(root)
    return [run_build(config, root / "site-1"), run_build(config, root / "site-2")]


def test_pages_carry_no_inline_css(builds):
    site, _ = builds[0]
    home = (site / "index.html").read_text(encoding="utf-8")
    inline = (site / "inline" / "index.html").read_text(encoding="utf-8")
    shown = drawings(home) + drawings(inline)
    assert len(shown) == 3
    for svg in shown:
        assert "style=" not in re.sub(r' content="[^"]*"', "", svg)
        assert "<style" not in svg
        assert re.search(r'class="vr-s-[0-9a-f]{10}"', svg)
    assert 'content="&lt;mxfile style=&quot;x&quot;/&gt;"' in drawings(home)[0]
    assert ">Flow</div>" in drawings(home)[0] and ">Inline label</text>" in drawings(inline)[0]


def test_every_class_has_its_rule_in_the_stylesheet(builds):
    site, _ = builds[0]
    css = (site / "assets" / "vault-renderer.css").read_text(encoding="utf-8")
    pages = [p.read_text(encoding="utf-8") for p in site.rglob("index.html")]
    classes = {name for html in pages for name in re.findall(r"vr-s-[0-9a-f]{10}", html)}
    # The root and the label of the draw.io file, the inline text, and `fill: red`,
    # which both drawings share.
    assert len(classes) == 4
    for name in classes:
        assert f":where(.vr-drawing .{name}, .vr-drawing.{name}) {{" in css
    # The draw.io file's <style>, scoped to it, is in the stylesheet once.
    assert re.findall(r"\.vr-scope-[0-9a-f]{10} rect \{ stroke: blue \}", css) != []
    assert css.count("stroke: blue") == 1
    assert css.index(".vr-drawing {") < css.index(".vr-scope-") < css.index(":where(")
    assert all(re.search(r'<link rel="stylesheet" href="[./]*assets/vault-renderer.css', html)
               for html in pages)  # fmt: skip


def test_same_content_same_stylesheet_and_the_cache_still_works(builds):
    (first, cold), (second, warm) = builds
    assert (first / "assets" / "vault-renderer.css").read_bytes() == (
        second / "assets" / "vault-renderer.css"
    ).read_bytes()
    assert (cold, warm) == (1, 0)
    assert ">Cache</tspan></text>" in (second / "cached" / "index.html").read_text(encoding="utf-8")
