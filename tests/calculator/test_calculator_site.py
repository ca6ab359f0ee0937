"""The calculator in the built site, read as files: the build-time answer, the shipped
runtime, the links it makes and what the page would ask of the browser's CSP."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml

from decision_engine import recommend
from decision_engine.render_html import PageContext, live_answer
from decision_engine.tools import tools
from tests.calculator.conftest import WORKLOADS, cli_recommend
from tests.conftest import REPO, BuiltSite

pytestmark = pytest.mark.slow

PAGE_URL = "/tools/compute/"


class Page(HTMLParser):
    """The parts of a built page these tests look at."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.json_blocks: list[str] = []
        self._in_json = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_json = tag == "script" and dict(attrs).get("class") == "calc-result-json"

    def handle_data(self, data: str) -> None:
        if self._in_json:
            self.json_blocks.append(data)
            self._in_json = False

    def first(self, selector_class: str) -> dict[str, str | None]:
        return next(attrs for _, attrs in self.tags if attrs.get("class") == selector_class)


@pytest.fixture(scope="module")
def tool_page(built_site: BuiltSite) -> Page:
    return Page((built_site.directory / "tools/compute/index.html").read_text(encoding="utf-8"))


def site_file(site: Path, url: str) -> Path:
    """The file a site URL (relative to the tool page) is served from."""
    path = unquote(urlsplit(urljoin(PAGE_URL, url)).path).lstrip("/")
    return site / path / "index.html" if path.endswith("/") or not path else site / path


def test_build_time_answer_is_the_engines_answer_for_the_defaults(tool_page):
    (block,) = tool_page.json_blocks
    assert json.loads(block) == cli_recommend({})


def test_pyodide_and_the_engine_are_shipped_under_a_versioned_path(built_site, tool_page):
    site = built_site.directory
    calc = tool_page.first("calc")
    version = json.loads((REPO / "node_modules/pyodide/package.json").read_text())["version"]
    assert calc["data-pyodide"] == f"../../pyodide/{version}/"
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"):
        shipped = site_file(site, calc["data-pyodide"] + name).read_bytes()
        assert shipped == (REPO / "node_modules/pyodide" / name).read_bytes()
    assert site_file(site, calc["data-worker"]).is_file()

    lock_file = site_file(site, calc["data-lock"])
    entry = json.loads(lock_file.read_text())["packages"]["decision-engine"]
    wheel = lock_file.parent / entry["file_name"]
    assert entry["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    with zipfile.ZipFile(wheel) as archive:
        assert "decision_engine/render_html.py" in archive.namelist()

    with zipfile.ZipFile(site_file(site, calc["data-stdlib"])) as archive:
        names = archive.namelist()
    assert "json/__init__.pyc" in names
    assert not [name for name in names if name.endswith(".py")]


def test_every_handbook_link_the_engine_gives_exists_in_the_site(built_site):
    site = built_site.directory
    checked = set()
    for workload in [{}, *WORKLOADS]:
        html = live_answer({k: _text(v) for k, v in workload.items()}, PageContext()).html
        for url in re.findall(r'<a href="(\.\./[^"]+)"', html):
            if url in checked:
                continue
            checked.add(url)
            target = site_file(site, url)
            assert target.is_file(), f"{url} -> {target} is missing"
            anchor = urlsplit(url).fragment
            if anchor:
                assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), url
    assert len(checked) >= 5


def _text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def test_tool_page_needs_no_inline_script_or_style(tool_page):
    for tag, attrs in tool_page.tags:
        assert "style" not in attrs, (tag, attrs)
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        if tag == "script":
            assert attrs.get("src") or attrs.get("type") == "application/json", attrs
        # Material's search "share" link has a javascript: href, but its script
        # handles the click first (no violation in the browser tests).
        if tag == "a" and attrs.get("data-md-component") != "search-share":
            assert not (attrs.get("href") or "").startswith("javascript:"), attrs


def test_only_tool_pages_render_macros():
    # Notes are content: a `{{ ... }}` in a note must stay as written.
    config = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    (macros,) = [p["macros"] for p in config["plugins"] if isinstance(p, dict) and "macros" in p]
    assert macros["render_by_default"] == "false"
    opted_in = sorted(
        path.relative_to(REPO / "docs").as_posix()
        for path in (REPO / "docs").rglob("*.md")
        if re.search(r"^render_macros:\s*true\s*$", _front_matter(path), re.MULTILINE)
    )
    # Exactly the decision tools' pages, as the registry lists them.
    assert opted_in == sorted(tool.page for tool in tools().values())


def _front_matter(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split("---", 2)[1] if text.startswith("---") else ""


def test_build_time_answer_agrees_with_the_python_api(tool_page):
    assert json.loads(tool_page.json_blocks[0]) == json.loads(json.dumps(recommend({})))


def _search_worker(page_html: str) -> str:
    """The search worker URL in a page's Material configuration."""
    config_tag = r'<script id="__config" type="application/json">(.*?)</script>'
    (config,) = re.findall(config_tag, page_html)
    return json.loads(config)["search"]


def test_tool_pages_hold_search_back_until_the_engine_has_started(built_site):
    site = built_site.directory
    material = site / _search_worker((site / "index.html").read_text(encoding="utf-8"))
    assert material.name.startswith("search.") and material.is_file()
    for tool in tools().values():
        page = site / Path(tool.page).with_suffix("") / "index.html"
        deferred = urlsplit(_search_worker(page.read_text(encoding="utf-8")))
        worker = (page.parent / deferred.path).resolve()
        assert worker == (material.parent / "search-deferred.js").resolve(), tool.page
        # The fragment names Material's worker, beside it: the service worker ignores a
        # fragment (a query would be a URL it does not hold offline).
        assert deferred.fragment == material.name and not deferred.query
    for note in ("architecture/caching/index.html", "tools/index.html"):
        assert _search_worker((site / note).read_text(encoding="utf-8")).endswith(material.name)


ENGINE_FILES = ("worker", "pyodide", "stdlib", "lock")


def _head_engine_scripts(html: str) -> list[dict[str, str | None]]:
    """The module scripts in a page's <head> that name the engine's files."""
    head = Page(html.partition("</head>")[0])
    return [a for tag, a in head.tags if tag == "script" and "data-lock" in a]


def test_a_tool_pages_head_starts_the_engine_its_tools_use(built_site):
    site = built_site.directory
    for tool in tools().values():
        page = site / Path(tool.page).with_suffix("") / "index.html"
        html = page.read_text(encoding="utf-8")
        (script,) = _head_engine_scripts(html)
        assert script["type"] == "module" and "async" in script, tool.page
        src = (page.parent / str(script["src"])).resolve()
        assert src == (site / "assets/calculator/calculator.mjs").resolve()
        roots = [a for tag, a in Page(html).tags if "data-tool" in a and "data-lock" in a]
        assert roots, tool.page
        for root in roots:  # the same files, so the page starts one engine
            assert {f: root[f"data-{f}"] for f in ENGINE_FILES} == {
                f: script[f"data-{f}"] for f in ENGINE_FILES
            }
    for note in ("index.html", "architecture/caching/index.html", "tools/index.html"):
        assert _head_engine_scripts((site / note).read_text(encoding="utf-8")) == []
