"""Real builds: drawings' ``data:`` images reach the site as files, linked from each page."""

from __future__ import annotations

import base64
import html
import json
import posixpath
import re
import struct
import textwrap
import zlib
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

pytestmark = pytest.mark.slow


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A PNG of one colour, small enough to inline and visible when drawn."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


RED = png(8, 8, (255, 0, 0))
BLUE = png(6, 6, (0, 0, 255))
GREEN = png(4, 4, (0, 160, 0))


def data_url(content: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(content).decode("ascii")


# A draw.io-style export: an icon as an xlink:href data URL, and the mxfile (which holds
# its own copy of the icon) in `content`.
MXFILE = html.escape(f'<mxfile><diagram><img src="{data_url(BLUE)}"/></diagram></mxfile>')
DRAWIO = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
    f' width="60" height="40" viewBox="0 0 60 40" content="{MXFILE}">'
    '<rect width="60" height="40" fill="#eee"/>'
    f'<image x="10" y="10" width="24" height="24" xlink:href="{data_url(BLUE)}"/></svg>'
)
EXCALIDRAW = {
    "type": "excalidraw",
    "version": 2,
    "elements": [
        {"id": "i", "type": "image", "x": 0, "y": 0, "width": 40, "height": 40,
         "fileId": "red", "status": "saved"},
        {"id": "t", "type": "text", "x": 0, "y": 50, "width": 80, "height": 25,
         "text": "Cache"},
    ],
    "files": {"red": {"mimeType": "image/png", "id": "red", "dataURL": data_url(RED)}},
}  # fmt: skip
INLINE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">'
    f'<image width="20" height="20" href="{data_url(GREEN)}"/></svg>'
)
# Page source -> what it shows; their URLs are 0, 1 and 2 folders deep.
PAGES = {
    "index.md": "# Home\n\n![[flow.drawio.svg]]\n\n![[Read.excalidraw]]\n",
    "top.md": f"# Top\n\n{INLINE}\n\n![[flow.drawio.svg]]\n",
    "notes/deep.md": "# Deep\n\n![[Read.excalidraw]]\n\n![[flow.drawio.svg]]\n",
}
PAGE_URLS = {"index.md": "", "top.md": "top/", "notes/deep.md": "notes/deep/"}


def make_site(root: Path, theme: str = "{name: material, font: false}") -> Path:
    """A tiny vault whose drawings hold ``data:`` PNGs; returns its ``mkdocs.yml``.

    Args:
        root: Where to write it.
        theme: The ``theme:`` value, as YAML.
    """
    for source, text in PAGES.items():
        (root / "docs" / source).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / source).write_text(text, encoding="utf-8")
    (root / "diagrams").mkdir()
    (root / "diagrams" / "flow.drawio.svg").write_text(DRAWIO, encoding="utf-8")
    (root / "diagrams" / "Read.excalidraw").write_text(json.dumps(EXCALIDRAW), encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(
        textwrap.dedent(f"""\
            site_name: Drawing images
            theme: {theme}
            plugins:
              - obsidian-vault
            """),
        encoding="utf-8",
    )
    return config


def run_build(config_file: Path, site_dir: Path) -> tuple[Path, int]:
    config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
    build(config)
    return site_dir, config.plugins["obsidian-vault"].drawing_cache.renders


def drawing_image_urls(page_html: str) -> list[str]:
    """The URL of every ``<image>``/``<img>`` inside the page's drawings."""
    figures = re.findall(r'<figure class="vault-drawing">(.*?)</figure>', page_html, re.S)
    return [
        html.unescape(url)
        for figure in figures
        for url in re.findall(r'<(?:image|img)\b[^<>]*?\s(?:xlink:href|href|src)="([^"]*)"', figure)
    ]


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, int]]:
    """The same vault built twice (the second from the drawing cache)."""
    root = tmp_path_factory.mktemp("vault")
    config = make_site(root)
    return [run_build(config, root / "site-1"), run_build(config, root / "site-2")]


def test_each_page_links_its_images_to_files_holding_their_bytes(builds):
    site, _ = builds[0]
    expected = {
        "index.md": [BLUE, RED],
        "top.md": [GREEN, BLUE],
        "notes/deep.md": [RED, BLUE],
    }
    for source, pictures in expected.items():
        page_url = PAGE_URLS[source]
        urls = drawing_image_urls((site / page_url / "index.html").read_text(encoding="utf-8"))
        assert len(urls) == len(pictures), source
        for url, picture in zip(urls, pictures, strict=True):
            assert not url.startswith(("data:", "/")) and "://" not in url, (source, url)
            assert url.startswith("../" * page_url.count("/") + "assets/drawings/"), url
            target = site / posixpath.normpath(posixpath.join(page_url, url))
            assert target.read_bytes() == picture, (source, url)
            assert re.fullmatch(r"[0-9a-f]{16}\.png", target.name)


def test_no_data_image_is_left_in_any_drawing(builds):
    site, _ = builds[0]
    pages = list(site.rglob("*.html"))
    assert len(pages) >= 3
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not any(u.startswith("data:") for u in drawing_image_urls(text)), page
        # Outside draw.io's mxfile (`content`), no data: image is left anywhere.
        assert "data:image" not in re.sub(r' content="[^"]*"', "", text), page
    # The mxfile, with its own copy of the icon, is kept as it was.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f' content="{MXFILE}"' in home


def test_one_file_per_picture_the_same_in_every_build(builds):
    (first, cold), (second, warm) = builds
    written = {p.name: p.read_bytes() for p in (first / "assets" / "drawings").iterdir()}
    assert sorted(written.values()) == sorted([RED, BLUE, GREEN])
    again = {p.name: p.read_bytes() for p in (second / "assets" / "drawings").iterdir()}
    assert again == written
    # The second build drew nothing: the images are moved after the cache.
    assert (cold, warm) == (1, 0)
    for page_url in PAGE_URLS.values():
        assert (first / page_url / "index.html").read_text(encoding="utf-8") == (
            second / page_url / "index.html"
        ).read_text(encoding="utf-8").replace("site-2", "site-1")
