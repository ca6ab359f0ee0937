"""The offline build step on its own: precache lists, the worker file, the app manifest."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from offline import CONTENT_SECURITY_POLICY
from offline.app_manifest import (
    app_manifest,
    icon_svg,
    primary_colors,
    theme_colors,
    write_app_manifest,
)
from offline.precache import build_precache, lunr_files, url_path
from offline.worker import write_service_worker

MATERIAL_PALETTES = [
    {"media": "(prefers-color-scheme)", "toggle": {"name": "auto"}},
    {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "indigo"},
    {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "deep purple"},
]
PALETTE_CSS = (
    "[data-md-color-primary=indigo]{--md-primary-fg-color:#4051B5;--x:1}"
    "[data-md-color-primary=deep-purple]{--md-primary-fg-color:#7e56c2;--x:1}"
)


def write(site: Path, files: dict[str, bytes | str]) -> None:
    for name, content in files.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode()
        path.write_bytes(content)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write(
        tmp_path,
        {
            "index.html": "<h1>Home</h1>",
            "07 Compute/07-01 EC2, Overview/index.html": "<h1>EC2</h1>",
            "404.html": "<h1>Not found</h1>",
            "assets/javascripts/bundle.min.js": "js",
            "assets/javascripts/bundle.min.js.map": "map",
            "assets/javascripts/lunr/min/lunr.de.min.js": "de",
            "assets/javascripts/lunr/wordcut.js": "th",
            "search/search_index.json": json.dumps({"config": {"lang": ["en"]}, "docs": []}),
            "sitemap.xml": "<urlset/>",
            "sitemap.xml.gz": b"\x1f\x8b",
            "pyodide/314.0.7/pyodide.asm.wasm": b"\0asm",
            "pyodide/314.0.7/engine-abc/pyodide-lock.json": "{}",
            ".hidden/file": "x",
            "sw.js": "old worker",
        },
    )
    return tmp_path


class TestUrlPath:
    @pytest.mark.parametrize(
        ("relative", "expected"),
        [
            ("index.html", "./"),
            ("tools/compute/index.html", "tools/compute/"),
            ("07 Compute/07-01 EC2, Overview/index.html", "07 Compute/07-01 EC2, Overview/"),
            ("404.html", "404.html"),
            ("assets/x/index.html.txt", "assets/x/index.html.txt"),
        ],
    )
    def test_pages_are_cached_under_the_url_links_use(self, relative, expected):
        assert url_path(relative) == expected


class TestLunrFiles:
    @pytest.mark.parametrize(
        ("languages", "expected"),
        [
            (["en"], set()),
            (
                ["de"],
                {"min/lunr.stemmer.support.min.js", "min/lunr.de.min.js"},
            ),
            (
                ["en", "th"],
                {
                    "min/lunr.stemmer.support.min.js",
                    "min/lunr.th.min.js",
                    "wordcut.js",
                    "min/lunr.multi.min.js",
                },
            ),
        ],
    )
    def test_only_the_languages_of_the_index(self, languages, expected):
        assert lunr_files(languages) == {f"assets/javascripts/lunr/{name}" for name in expected}


class TestBuildPrecache:
    def test_pages_and_runtime_are_listed_apart_with_sizes_and_digests(self, site):
        precache = build_precache(site, b"worker")
        assert sorted(f.path for f in precache.pages) == [
            "./",
            "07 Compute/07-01 EC2, Overview/",
            "404.html",
            "assets/javascripts/bundle.min.js",
            "search/search_index.json",
            "sitemap.xml",
        ]
        assert [f.path for f in precache.runtime] == [
            "pyodide/314.0.7/engine-abc/pyodide-lock.json",
            "pyodide/314.0.7/pyodide.asm.wasm",
        ]
        home = next(f for f in precache.pages if f.path == "./")
        assert home.size == len(b"<h1>Home</h1>")
        assert home.digest == hashlib.sha256(b"<h1>Home</h1>").hexdigest()[:16]

    def test_a_changed_file_or_worker_is_a_new_version(self, site):
        first = build_precache(site, b"worker").version
        assert build_precache(site, b"worker").version == first
        assert build_precache(site, b"worker 2").version != first
        write(site, {"assets/javascripts/bundle.min.js": "js 2"})
        assert build_precache(site, b"worker").version != first

    def test_the_json_the_worker_reads(self, site):
        listed = build_precache(site, b"worker").to_json()
        home = ["./", 13, hashlib.sha256(b"<h1>Home</h1>").hexdigest()[:16]]
        assert home in listed["pages"]
        assert set(listed) == {"version", "pages", "runtime"}


class TestWriteServiceWorker:
    def test_the_worker_starts_with_its_build_and_the_policy(self, site):
        precache = write_service_worker(site)
        text = (site / "sw.js").read_text(encoding="utf-8")
        first_line, _, code = text.partition("\n")
        build = json.loads(re.fullmatch(r"const BUILD = (.*);", first_line).group(1))
        assert build["csp"] == CONTENT_SECURITY_POLICY
        assert build["version"] == precache.version
        assert "sw.js" not in [path for path, _size, _digest in build["pages"]]
        assert 'self.addEventListener("fetch"' in code

    def test_writing_twice_gives_the_same_worker(self, site):
        write_service_worker(site)
        first = (site / "sw.js").read_bytes()
        write_service_worker(site)
        assert (site / "sw.js").read_bytes() == first


class TestAppManifest:
    def test_theme_colours_of_both_palettes(self):
        colors = theme_colors(MATERIAL_PALETTES, primary_colors(PALETTE_CSS))
        assert [(c.media, c.color, c.background) for c in colors] == [
            ("(prefers-color-scheme: light)", "#4051b5", "#ffffff"),
            ("(prefers-color-scheme: dark)", "#7e56c2", "#1e2129"),
        ]

    def test_one_palette_or_none(self):
        primaries = primary_colors(PALETTE_CSS)
        assert [c.color for c in theme_colors({"primary": "deep purple"}, primaries)] == ["#7e56c2"]
        assert [c.color for c in theme_colors(None, primaries)] == ["#4051b5"]

    def test_start_url_is_the_site_root_wherever_it_is_deployed(self, tmp_path):
        colors = theme_colors(MATERIAL_PALETTES, primary_colors(PALETTE_CSS))
        write_app_manifest(tmp_path, "Handbook", "Notes", colors, LOGO)
        manifest = json.loads((tmp_path / "manifest.webmanifest").read_text(encoding="utf-8"))
        where = "https://example.github.io/handbook/manifest.webmanifest"
        assert urljoin(where, manifest["start_url"]) == "https://example.github.io/handbook/"
        assert urljoin(where, manifest["scope"]) == "https://example.github.io/handbook/"
        assert manifest["theme_color"] == "#4051b5"
        assert {icon["purpose"] for icon in manifest["icons"]} == {"any", "maskable"}
        assert all((tmp_path / icon["src"]).is_file() for icon in manifest["icons"])
        assert manifest == app_manifest("Handbook", "Notes", colors)

    def test_the_icon_is_the_logo_centred_on_the_theme_colour(self):
        svg = icon_svg(LOGO, "#4051b5")
        assert '<rect width="100" height="100" fill="#4051b5"/>' in svg
        # A 24-unit logo scaled to 60 of 100 units and centred: the maskable safe zone.
        assert 'transform="translate(20 20) scale(2.5)"' in svg
        assert '<path d="M1 1h22v22H1z"/>' in svg

    def test_a_logo_that_is_not_svg_is_refused(self):
        with pytest.raises(ValueError, match="not an SVG"):
            icon_svg("<png/>", "#000000")


LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M1 1h22v22H1z"/></svg>'
