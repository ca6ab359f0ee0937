"""The handbook offline, as a reader gets it: the built site in headless Chromium.

One visit to the home page, a wait for "ready offline", then the server is stopped:
the network is really gone, not emulated. A second deploy is the built site with a
page and an asset changed and the offline step run again, as the build runs it.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench.calculator import CHROMIUM, CHROMIUM_ARGS, CSP, TOOL_PAGE, serve_site
from offline.worker import write_service_worker
from tests.calculator.conftest import cli
from tests.conftest import REPO, BuiltSite
from tests.site.test_site_csp_browser import serve_without_policy

pytestmark = [pytest.mark.browser, pytest.mark.slow]

READY = "#hb-offline-status[data-state=ready]"
NEVER_VISITED = "architecture/caching/"
CHANGED_PAGE = "architecture/caching/index.html"
CHANGED_ASSET = "assets/stylesheets/offline.css"
WORKLOAD = {"requests_per_month": 1234567, "avg_duration_ms": 250}

# What Cache Storage holds, as {cache name: {url: the digest the worker stored}}.
CACHE_CONTENTS = """async () => {
  const found = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    found[name] = {};
    for (const request of await cache.keys()) {
      found[name][request.url] = (await cache.match(request)).headers.get("X-Handbook-Digest");
    }
  }
  return found;
}"""

# The answer on the calculator, once it is for a workload with these values.
WORKLOAD_SHOWN = """(expected) => {
  const block = document.querySelector(".calc-answer .calc-result-json");
  const workload = block && JSON.parse(block.textContent).workload;
  return workload && Object.entries(expected).every(([k, v]) => workload[k] === v);
}"""


@contextmanager
def reader(chromium: object) -> Iterator[tuple[object, list[str], list[str]]]:
    """A fresh browser profile: its page, every URL it requested, its console errors."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page, requests, errors
    finally:
        context.close()


def heading(page: object) -> str:
    """The page's title as a reader sees it (without the permalink sign)."""
    return page.text_content("h1").removesuffix("¶")


def build_of(site: Path) -> dict[str, object]:
    """The BUILD object the site's sw.js starts with."""
    first_line = (site / "sw.js").read_text(encoding="utf-8").partition("\n")[0]
    return json.loads(first_line.removeprefix("const BUILD = ").removesuffix(";"))


def test_after_one_visit_the_whole_handbook_works_without_a_network(chromium, built_site):
    with reader(chromium) as (page, requests, errors):
        with serve_site(built_site.directory) as base:
            page.goto(base)
            page.wait_for_selector(READY, state="attached", timeout=180_000)
            status = page.text_content(READY)
        # The server is stopped: from here on nothing can be downloaded.
        assert "Ready offline, tools included" in status and " MB " in status

        response = page.goto(base + NEVER_VISITED)
        assert response.from_service_worker and response.headers["content-security-policy"] == CSP
        assert heading(page) == "Caching with ElastiCache"

        page.keyboard.press("/")
        page.keyboard.type("fargate")
        page.wait_for_selector(".md-search-result__item", timeout=30_000)
        assert "Fargate" in page.text_content(".md-search-result")

        query = "&".join(f"{name}={value}" for name, value in WORKLOAD.items())
        page.goto(f"{base}{TOOL_PAGE}?{query}")
        page.reload()
        page.wait_for_function(WORKLOAD_SHOWN, arg=WORKLOAD, timeout=120_000)
        assert page.get_attribute(".calc", "data-engine") == "ready"

        assert {urlsplit(url).hostname for url in requests} == {"127.0.0.1"}
        assert errors == []


# The engine's memory snapshot on this device, as {url: bytes} (engine-worker.mjs).
SNAPSHOTS = """async () => {
  const cache = await caches.open("handbook-engine-snapshot");
  const found = {};
  for (const request of await cache.keys()) {
    found[request.url] = (await (await cache.match(request)).arrayBuffer()).byteLength;
  }
  return found;
}"""
MARKED = "(name) => performance.getEntriesByName(name).length > 0"
# The service worker's status report, as the footer gets it.
# Asked as the page's own script asks: of the active worker, which may not control this
# first-visit page yet (it claims its clients once installed).
STATUS = """() => navigator.serviceWorker.ready.then((registration) => new Promise((resolve) => {
  const answer = ({data}) => {
    if (data && data.type === "status") {
      navigator.serviceWorker.removeEventListener("message", answer);
      resolve(data);
    }
  };
  navigator.serviceWorker.addEventListener("message", answer);
  registration.active.postMessage({type: "status"});
}))"""
ANSWER = ".calc-answer .calc-result-json"


def test_a_revisit_restores_the_saved_engine_and_replaces_a_damaged_one(chromium, built_site):
    lock = next(
        path
        for path, _size, _digest in build_of(built_site.directory)["runtime"]
        if path.endswith("pyodide-lock.json")
    )
    query = "&".join(f"{name}={value}" for name, value in WORKLOAD.items())
    with reader(chromium) as (page, requests, errors), serve_site(built_site.directory) as base:
        warnings: list[str] = []
        page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
        page.goto(f"{base}{TOOL_PAGE}?{query}")
        page.wait_for_function(WORKLOAD_SHOWN, arg=WORKLOAD, timeout=120_000)
        fresh = page.text_content(ANSWER)
        page.wait_for_function(MARKED, arg="calc:engine-snapshot-saved", timeout=120_000)
        assert not page.evaluate(MARKED, "calc:engine-restored")
        saved = page.evaluate(SNAPSHOTS)
        [(key, size)] = saved.items()
        assert key.startswith(base + lock + "?memory-snapshot=") and size > 1_000_000
        assert page.evaluate(STATUS)["snapshot"] == {"bytes": size}

        page.reload()
        page.wait_for_function(WORKLOAD_SHOWN, arg=WORKLOAD, timeout=120_000)
        assert page.evaluate(MARKED, "calc:engine-restored")
        assert page.text_content(ANSWER) == fresh
        assert page.get_attribute(".calc", "data-engine") == "ready"
        # Live changes work on the restored engine.
        page.fill("#calc-requests_per_month", "7654321")
        page.wait_for_function(WORKLOAD_SHOWN, arg={"requests_per_month": 7654321})
        assert page.evaluate(SNAPSHOTS) == saved  # a restored start saves nothing

        # A snapshot that does not restore (damaged, or another Pyodide's): started afresh.
        page.evaluate(
            """async (key) => (await caches.open("handbook-engine-snapshot"))
                .put(key, new Response(new Uint8Array(4096)))""",
            key,
        )
        page.goto(f"{base}{TOOL_PAGE}?{query}")  # the link again (the page's URL changed)
        page.wait_for_function(WORKLOAD_SHOWN, arg=WORKLOAD, timeout=120_000)
        assert page.text_content(ANSWER) == fresh
        assert not page.evaluate(MARKED, "calc:engine-restored")
        page.wait_for_function(MARKED, arg="calc:engine-snapshot-saved", timeout=120_000)
        # A new snapshot in the damaged one's place. Its size is not the first one's to
        # the byte: where a start leaves its objects in memory varies a little.
        [(new_key, new_size)] = page.evaluate(SNAPSHOTS).items()
        assert new_key == key and abs(new_size - size) < size // 100
        assert any("did not restore" in text for text in warnings), warnings
        assert {urlsplit(url).hostname for url in requests} == {"127.0.0.1"}
        assert errors == []


DR_PAGE = "tools/dr/"
# The disaster-recovery answer on screen, once it is for inputs with these values.
DR_INPUTS_SHOWN = """(expected) => {
  const block = document.querySelector(".calc[data-tool=dr] .calc-answer .calc-result-json");
  const inputs = block && JSON.parse(block.textContent).inputs;
  return inputs && Object.entries(expected).every(([k, v]) => inputs[k] === v);
}"""
# On the DR page idle callbacks never come: an engine that starts there starts without
# waiting for one.
NEVER_IDLE = """
if (location.pathname.endsWith("/tools/dr/")) window.requestIdleCallback = () => 0;
"""
DR_INPUT = {"rto_minutes": 45, "rpo_minutes": 5}


def wheels(requests: list[str]) -> list[str]:
    """The engine wheels among the requested URLs."""
    return [url for url in requests if urlsplit(url).path.endswith(".whl")]


def saved_engine_then_dr_page(page: object, requests: list[str], base: str) -> str:
    """Save the engine on the compute page and let the handbook be ready offline, then
    open the DR page with no input in its URL and no interaction; the reader changes
    one input once the engine is ready.

    Returns:
        The DR answer on screen, as JSON text; ``requests`` then holds the DR visit's.
    """
    page.add_init_script(NEVER_IDLE)
    page.goto(f"{base}{TOOL_PAGE}?requests_per_month=1234567")
    page.wait_for_function(MARKED, arg="calc:engine-snapshot-saved", timeout=120_000)
    assert wheels(requests), "a first start installs the engine's wheel"
    # The service worker's own download of the runtime is over too.
    page.wait_for_selector(READY, state="attached", timeout=300_000)
    requests.clear()
    page.goto(base + DR_PAGE)
    page.wait_for_selector(".calc[data-engine=ready]", state="attached", timeout=120_000)
    assert page.evaluate(MARKED, "calc:engine-restored")
    page.fill("#dr-rto_minutes", str(DR_INPUT["rto_minutes"]))
    page.wait_for_function(DR_INPUTS_SHOWN, arg=DR_INPUT, timeout=60_000)
    return page.text_content(".calc[data-tool=dr] .calc-answer .calc-result-json")


def cli_dr(payload: dict[str, object]) -> object:
    completed = cli("dr", payload)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_a_saved_engine_starts_with_the_page_and_answers_every_tool_without_its_wheel(
    chromium, built_site
):
    with reader(chromium) as (page, requests, errors), serve_site(built_site.directory) as base:
        answer = saved_engine_then_dr_page(page, requests, base)
        assert json.loads(answer) == cli_dr(DR_INPUT)
        # The snapshot saved on the compute page holds the DR tool too.
        assert wheels(requests) == []
        assert errors == []


def test_an_older_snapshot_without_a_tool_gets_the_wheel_when_the_tool_needs_it(
    chromium, built_site, tmp_path
):
    # A handbook before this one saved only its page's tools in the snapshot.
    site = tmp_path / "site"
    shutil.copytree(built_site.directory, site)
    worker = site / "assets/calculator/engine-worker.mjs"
    source = worker.read_text(encoding="utf-8")
    every_tool = "for (const tool of renderers)"
    assert every_tool in source
    worker.write_text(source.replace(every_tool, "for (const tool of [])"), encoding="utf-8")
    write_service_worker(site)
    with reader(chromium) as (page, requests, errors), serve_site(site) as base:
        answer = saved_engine_then_dr_page(page, requests, base)
        assert json.loads(answer) == cli_dr(DR_INPUT)
        assert wheels(requests), "the DR tool's modules come from the wheel"
        assert errors == []


def test_a_new_deploy_is_taken_only_after_the_prompt_and_whole(chromium, built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site.directory, site)
    with reader(chromium) as (page, _requests, errors), serve_site(site) as base:
        page.goto(base + NEVER_VISITED)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        first = build_of(site)
        # An engine snapshot of a runtime that the new deploy no longer lists.
        stale = base + "pyodide/0.0.0/engine-0/pyodide-lock.json?memory-snapshot=old"
        page.evaluate(
            """async (key) => (await caches.open("handbook-engine-snapshot"))
                .put(key, new Response("old"))""",
            stale,
        )

        # The second deploy: one page and one stylesheet changed.
        page_file, asset = site / CHANGED_PAGE, site / CHANGED_ASSET
        page_file.write_text(
            page_file.read_text(encoding="utf-8").replace(
                ">Caching with ElastiCache<", ">Caching with ElastiCache, 2nd edition<"
            ),
            encoding="utf-8",
        )
        asset.write_text(asset.read_text(encoding="utf-8") + "/* deploy 2 */\n", encoding="utf-8")
        second = write_service_worker(site)
        assert second.version != first["version"]

        page.reload()
        button = page.get_by_role("button", name="Reload")
        button.wait_for(timeout=60_000)
        assert page.get_by_role("complementary", name="New version of the handbook").is_visible()
        # Until the reader accepts, the old version is served whole.
        assert heading(page) == "Caching with ElastiCache"

        button.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        assert heading(page) == "Caching with ElastiCache, 2nd edition"
        assert page.evaluate(
            "(url) => fetch(url).then((r) => r.text())", base + CHANGED_ASSET
        ).endswith("/* deploy 2 */\n")

        caches = page.evaluate(CACHE_CONTENTS)
        pages = {name: entries for name, entries in caches.items() if "pages" in name}
        assert list(pages) == [f"handbook-pages-{second.version}"]
        listed = page.evaluate(
            """(files) => Object.fromEntries(files.map(
                ([path, _size, digest]) => [new URL(path, location.origin + "/").href, digest]))""",
            build_of(site)["pages"],
        )
        assert next(iter(pages.values())) == listed
        assert stale not in caches["handbook-engine-snapshot"]
        assert errors == []


def test_pages_from_the_worker_carry_the_policy_the_host_does_not_send(chromium, built_site):
    with (
        reader(chromium) as (page, _requests, errors),
        serve_without_policy(built_site.directory) as base,
    ):
        first = page.goto(base)
        assert "content-security-policy" not in first.headers
        # The first load is covered by the <meta> policy in every page.
        assert page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content") == CSP
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        later = page.goto(base + NEVER_VISITED)
        assert later.from_service_worker
        assert later.headers["content-security-policy"] == CSP
        assert errors == []


def test_the_handbook_is_installable(chromium, built_site, tmp_path):
    browser_type = chromium.browser_type
    context = browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_ARGS
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        with serve_site(built_site.directory) as base:
            page.goto(base)
            page.wait_for_function("() => navigator.serviceWorker.controller !== null")
            cdp = context.new_cdp_session(page)
            manifest = cdp.send("Page.getAppManifest")
            assert manifest["errors"] == []
            assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()


def test_every_page_links_the_manifest_and_the_worker(built_site: BuiltSite):
    pages = sorted(built_site.directory.rglob("*.html"))
    assert len(pages) >= 25
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert 'rel="manifest"' in html and "offline.js" in html, path
        assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in html.replace(
            "&#39;", "'"
        ), path


# When, on the clock all of this browser's timelines share (ms since the epoch), the
# tool page's deferred search worker began to load Material's worker, and began itself.
MATERIAL_SEARCH_LOADED = """() => [
  performance.getEntriesByType("resource")
    .filter((entry) => /\\/search\\.[^/]*\\.js$/.test(entry.name))
    .map((entry) => performance.timeOrigin + entry.startTime),
  performance.timeOrigin,
]"""
ENGINE_READY_AT = """() => performance.timeOrigin +
  performance.getEntriesByName("calc:engine-ready")[0].startTime"""
# An engine that never tells search it may start (as while it still restores): the
# page's posts to search get through only while a focusin event is being dispatched.
ENGINE_NEVER_SETTLES = """
let focusing = false;
window.addEventListener("focusin", () => {
  focusing = true;
  window.__searchFocusedAt ??= performance.timeOrigin + performance.now();
}, true);
window.addEventListener("focusin", () => { focusing = false; });
const post = BroadcastChannel.prototype.postMessage;
BroadcastChannel.prototype.postMessage = function (message) {
  if (this.name !== "handbook-search" || focusing) post.call(this, message);
};
"""
# How long a tool page's search waits at most (the worker's own constant).
SEARCH_DEFERRED = REPO / "docs/assets/javascripts/workers/search-deferred.js"
GIVE_UP_MS = int(re.search(r"GIVE_UP_MS = (\d+);", SEARCH_DEFERRED.read_text()).group(1))


def search_finds_fargate(page: object) -> None:
    page.keyboard.press("/")
    page.keyboard.type("fargate")
    page.wait_for_selector(".md-search-result__item", timeout=30_000)
    assert "Fargate" in page.text_content(".md-search-result")


def deferred_search(page: object) -> tuple[float, float]:
    """When the tool page's search worker began, and when it loaded Material's."""
    (search,) = [w for w in page.workers if "/search-deferred.js#search." in w.url]
    (material_loaded,), began = search.evaluate(MATERIAL_SEARCH_LOADED)
    return began, material_loaded


def revisit_with_saved_engine(page: object, base: str) -> None:
    """A first visit to the tool page that saves the engine, then the page again."""
    page.goto(base + TOOL_PAGE)
    page.wait_for_function(MARKED, arg="calc:engine-snapshot-saved", timeout=120_000)
    page.goto(base + TOOL_PAGE)


def test_on_a_revisit_search_waits_for_the_saved_engine_then_finds_pages(chromium, built_site):
    with reader(chromium) as (page, _requests, errors), serve_site(built_site.directory) as base:
        revisit_with_saved_engine(page, base)
        page.wait_for_selector(".calc[data-engine=ready]", state="attached", timeout=120_000)
        assert page.evaluate(MARKED, "calc:engine-restored")
        search_finds_fargate(page)
        _began, material_loaded = deferred_search(page)
        assert material_loaded >= page.evaluate(ENGINE_READY_AT)
        assert errors == []


def test_a_reader_who_opens_search_does_not_wait_for_the_engine(chromium, built_site):
    with reader(chromium) as (page, _requests, errors), serve_site(built_site.directory) as base:
        page.add_init_script(ENGINE_NEVER_SETTLES)
        revisit_with_saved_engine(page, base)
        search_finds_fargate(page)
        began, material_loaded = deferred_search(page)
        # Started by the focus, not by the worker giving up on the engine.
        assert page.evaluate("window.__searchFocusedAt") <= material_loaded < began + GIVE_UP_MS
        assert errors == []
