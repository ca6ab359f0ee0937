"""WCAG 2.1 AA in the built handbook: axe-core on every page, view and tool state, and a
keyboard-only walk through each tool, in real Chromium under the site's CSP.

Pages are discovered from the build (its sitemap), and tools from the pages under
``tools/``, so pages and tools added later are audited without editing this file.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest

from bench.calculator import serve_site
from tests.a11y.axe import (
    PALETTES,
    TOOL,
    Violation,
    audit,
    audit_site,
    new_audit_page,
    set_view,
    site_pages,
    wait_for_engine,
)
from tests.conftest import BuiltSite

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Every control a reader can reach in a tool.
NUMBER_FIELDS = f"{TOOL} input[inputmode=numeric], {TOOL} input[inputmode=decimal]"
CONTROLS = "input:not([type=hidden]), select, textarea, button, a[href], summary, [tabindex]"


@pytest.fixture(scope="module")
def a11y_url(built_site: BuiltSite) -> Iterator[str]:
    with serve_site(built_site.directory) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def pages(built_site: BuiltSite) -> list[str]:
    return site_pages(built_site.directory)


def tool_pages(site_dir: Path, pages: list[str]) -> list[str]:
    """Pages under tools/ that embed a tool; a tools page with a script module of its own
    but no tool root fails, so a tool built some other way cannot slip past these tests."""
    found = []
    for page in pages:
        if not page.startswith("tools/"):
            continue
        html = (site_dir / unquote(page) / "index.html").read_text(encoding="utf-8")
        # Every tool's root names the engine's lock file; the page's script then marks
        # it with the engine's state (data-engine).
        if " data-lock=" in html:
            found.append(page)
        else:
            assert '<script type="module"' not in html, f"{page}: a tool without a root {TOOL}"
    return found


def report(found: list[Violation]) -> str:
    return f"{len(found)} axe violations:\n" + "\n".join(str(v) for v in found)


def open_details(page: object) -> None:
    """Open every <details> of the page, so what they hold is audited too."""
    page.evaluate("document.querySelectorAll('details').forEach((d) => (d.open = true))")


# The tool's status region that speaks its answers: the last one outside its form (the
# others say "link copied", "answers exported").
LIVE_REGION = """() => [
  ...document.querySelector("[data-engine]").querySelectorAll("[role=status]")]
  .filter((el) => !el.closest("form")).at(-1)"""


def test_every_page_in_both_palettes_and_at_phone_width(chromium, a11y_url, pages, built_site):
    drawings = [p for p in pages if "vr-drawing" in _html(built_site.directory, p)]
    assert {"", "tags/", "unresolved-links/", "tools/compute/"} <= set(pages)
    assert len(pages) >= 25 and drawings, pages
    # The page a host shows for a missing URL, too.
    found = audit_site(chromium, a11y_url, [*pages, "404.html"])
    assert not found, report(found)


def _html(site_dir: Path, page: str) -> str:
    return (site_dir / unquote(page) / "index.html").read_text(encoding="utf-8")


def _audit_views(page: object, label: str, phone: bool) -> list[Violation]:
    found = []
    for palette in PALETTES:
        set_view(page, palette, "desktop")
        found += audit(page, label, f"{palette} desktop")
        if phone:
            set_view(page, palette, "phone")
            found += audit(page, label, f"{palette} phone")
    return found


def _in_state(found: list[Violation], state: str) -> list[Violation]:
    return [dataclasses.replace(v, page=f"{v.page} ({state})") for v in found]


def _commit_a_change(page: object) -> None:
    """Change the tool's first choice with the keyboard, as a reader would."""
    control = page.locator(f"{TOOL} select, {TOOL} input[type=checkbox]").first
    control.focus()
    if control.evaluate("(el) => el.tagName") == "SELECT":
        page.keyboard.press("ArrowDown")
    else:
        page.keyboard.press("Space")


def test_every_tool_state(chromium, a11y_url, pages, built_site):
    tools = tool_pages(built_site.directory, pages)
    assert "tools/compute/" in tools
    found: list[Violation] = []
    held: list[object] = []
    for url in tools:
        page = new_audit_page(chromium, "light", "desktop")
        try:
            # Engine starting: Python's download is held.
            held.clear()
            page.route("**/pyodide.asm.wasm", lambda route: held.append(route))
            page.goto(a11y_url + url, wait_until="load")
            _commit_a_change(page)
            wait_for_engine(page, "starting")
            found += _in_state(_audit_views(page, url, phone=False), "starting")
            for route in held:
                route.continue_()
            # Live, after the engine answered a change, with every detail open.
            wait_for_engine(page, "ready")
            page.wait_for_function(f"() => ({LIVE_REGION})().textContent !== ''")
            open_details(page)
            found += _in_state(_audit_views(page, url, phone=True), "live")
            # An input error: the first number field given a word.
            number = page.locator(NUMBER_FIELDS)
            if number.count():
                number.first.fill("lots")
                page.keyboard.press("Tab")
                page.locator(f"{TOOL} [aria-invalid=true]").first.wait_for(state="attached")
                found += _in_state(_audit_views(page, url, phone=False), "input error")
        finally:
            page.context.close()
        # Engine unavailable: the runtime cannot be fetched at all.
        page = new_audit_page(chromium, "light", "desktop")
        try:
            page.route("**/pyodide/**", lambda route: route.abort())
            page.goto(a11y_url + url, wait_until="load")
            wait_for_engine(page, "failed")
            found += _in_state(_audit_views(page, url, phone=False), "unavailable")
        finally:
            page.context.close()
    assert not found, report(found)


# Every control of the tool as the keyboard meets it, with whether it shows focus.
# A control inside a label that looks like a button (a file input) shows focus on it.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  const ring = (node) => {
    const style = getComputedStyle(node);
    return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
      || style.boxShadow !== "none";
  };
  const label = el.closest("label");
  return {
    inTool: Boolean(el.closest("[data-engine]")),
    key: el.dataset.a11yKey ?? `unexpected ${el.outerHTML.slice(0, 80)}`,
    shown: ring(el) || Boolean(label && ring(label)),
  };
}"""

TOOL_CONTROLS = """(selector) => [
  ...document.querySelector("[data-engine]").querySelectorAll(selector)]
  // Not what a closed <details> holds (its summary is outside that).
  .filter((el) => !el.disabled && el.checkVisibility({visibilityProperty: true}))
  // Tab stops once in a group of radio buttons: on the checked one, else the first.
  .filter((el, _i, all) => el.type !== "radio" || el === (
    all.find((r) => r.type === "radio" && r.name === el.name && r.checked)
    ?? all.find((r) => r.type === "radio" && r.name === el.name)))
  // Each control keyed by its place and what it says, for the walk to compare against.
  .map((el, index) => (el.dataset.a11yKey =
    `${index} ${el.id || el.name || el.textContent.trim().slice(0, 40) || el.className}`))"""

# Counts what the live region says, and each change it makes.
RECORD_ANNOUNCEMENTS = f"""() => {{
  const region = ({LIVE_REGION})();
  window.__announced = [];
  new MutationObserver(() => window.__announced.push(region.textContent))
    .observe(region, {{childList: true, characterData: true, subtree: true}});
}}"""


def test_keyboard_only_walk_through_each_tool(chromium, a11y_url, pages, built_site):
    for url in tool_pages(built_site.directory, pages):
        page = new_audit_page(chromium, "light", "desktop")
        try:
            page.goto(a11y_url + url, wait_until="load")
            wait_for_engine(page, "ready")
            expected = page.evaluate(TOOL_CONTROLS, CONTROLS)
            # Tab from the top of the page through the whole tool.
            reached, unseen = [], []
            for _ in range(400):
                page.keyboard.press("Tab")
                state = page.evaluate(FOCUS_STATE)
                if state["inTool"]:
                    reached.append(state["key"])
                    if not state["shown"]:
                        unseen.append(state["key"])
                elif reached:
                    break
            assert reached == expected, f"{url}: keyboard order {reached}, controls {expected}"
            assert unseen == [], f"{url}: no visible focus on {unseen}"

            # Operate it from the keyboard: a choice, then a typed number left with Tab.
            page.evaluate(RECORD_ANNOUNCEMENTS)
            _commit_a_change(page)
            page.wait_for_function("() => window.__announced.length === 1")
            number = page.locator(NUMBER_FIELDS)
            if number.count():
                number.first.focus()
                page.keyboard.press("Control+A")
                page.keyboard.type("4096")
                summary = page.locator(f"{TOOL} .calc-summary")
                page.keyboard.press("Tab")
                page.wait_for_function("() => window.__announced.length === 2")
                # The answer on screen followed each keystroke; the region spoke once.
                said = page.evaluate("window.__announced")
                assert said[1] == summary.text_content(), said
                payload = json.loads(page.text_content(f"{TOOL} .calc-result-json"))
                name = number.first.get_attribute("name")
                # The engine echoes its input as "workload" (compute) or "inputs" (DR).
                echoed = payload.get("workload") or payload["inputs"]
                assert echoed[name] == 4096
                # An error is said once too, when the field is left.
                number.first.focus()
                page.keyboard.press("Control+A")
                page.keyboard.type("lots")
                page.keyboard.press("Tab")
                page.wait_for_function("() => window.__announced.length === 3")
                error = page.locator(f"{TOOL} [aria-invalid=true]").first
                message = page.text_content(f"#{error.get_attribute('id')}-error")
                assert page.evaluate("window.__announced")[2] == message
        finally:
            page.context.close()


def _ax_node(cdp: object, selector: str, index: int) -> dict[str, str]:
    """Chromium's own accessibility node for the index-th match of a selector."""
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node_id = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"][
        index
    ]
    nodes = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node_id, "fetchRelatives": False})
    node = nodes["nodes"][0]
    return {key: node.get(key, {}).get("value", "") for key in ("role", "name", "description")}


def test_drawings_are_named_images_described_by_their_labels(chromium, a11y_url, pages, built_site):
    with_drawings = [p for p in pages if "vr-drawing" in _html(built_site.directory, p)]
    assert with_drawings
    page = new_audit_page(chromium, "light", "desktop")
    cdp = page.context.new_cdp_session(page)
    seen = []
    try:
        for url in with_drawings:
            page.goto(a11y_url + url, wait_until="load")
            drawings = page.locator("figure.vault-drawing svg.vr-drawing")
            for index in range(drawings.count()):
                labels = drawings.nth(index).evaluate(
                    "(svg) => [...svg.querySelectorAll('text, foreignObject')].length"
                )
                node = _ax_node(cdp, "figure.vault-drawing svg.vr-drawing", index)
                seen.append((url, node))
                assert node["role"] == "image" and node["name"], (url, node)
                if labels:
                    assert node["description"].startswith("Labels in the drawing: "), (url, node)
    finally:
        page.context.close()
    srm = [node for url, node in seen if url.startswith("06%20Architecture/06-04")]
    assert srm and srm[0]["name"] == "06-04 Shared Responsibility Model - Architecture"
    assert "Fargate - Serverless Containers" in srm[0]["description"]
    # Search indexes the drawing's own texts once: the description is left out of it.
    index = (built_site.directory / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Labels in the drawing" not in index
    assert "Fargate - Serverless Containers" in index


def test_search_with_its_results_open(chromium, a11y_url):
    page = new_audit_page(chromium, "light", "desktop")
    try:
        page.goto(a11y_url, wait_until="load")
        page.keyboard.press("/")
        page.keyboard.type("lambda")
        page.wait_for_selector(".md-search-result__item")
        found = _in_state(_audit_views(page, "", phone=True), "search results")
    finally:
        page.context.close()
    assert not found, report(found)
