"""The whole handbook under its strict Content-Security-Policy, in real Chromium.

Every published page is loaded from a server that sends the site's policy, recording
each ``securitypolicyviolation`` and console error; and the owner's draw.io diagram,
whose labels used to be laid out by inline styles that the policy blocks, must look
exactly as it did with them.
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from vault_renderer.drawings import sanitize_svg

from bench.calculator import CSP, serve_site
from tests.conftest import REPO, BuiltSite
from tests.site.handbook_nav import nav_sources, page_url

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = REPO / "test-artifacts"
SRM_NOTE = "06 Architecture/06-04 Shared Responsibility Model - Architecture.md"
# Labels of the diagram, from a one-word span to two-line paragraphs in nested flex boxes.
SRM_LABELS = (
    "Serverless / Functions",
    "No more servers, just worry about data and code",
    "Amplify - Serverless Framework",
    "Fargate - Serverless Containers",
    "EC2 - Infrastructure as a Service",
    "Less Responsibility",
    "More Responsibility",
)

# Installed before any page script (the automation's scripts are not subject to the
# page's CSP), so violations during parsing are recorded too.
VIOLATION_RECORDER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber} (${event.sample})`);
});
"""

# The box of the innermost element of the diagram's HTML labels showing each text.
LABEL_BOXES = """(labels) => labels.map((label) => {
  const shown = [...document.querySelectorAll("svg.vr-drawio foreignObject *")]
    .filter((el) => el.textContent.replace(/\\s+/g, " ").trim() === label);
  if (shown.length === 0) return null;
  const box = shown[shown.length - 1].getBoundingClientRect();
  return [box.x, box.y, box.width, box.height];
})"""

META_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')
DRAWIO_SVG = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg"[^>]*\bvr-drawio\b.*?</svg>', re.S)


def published_pages() -> list[str]:
    """The home page, every page in the navigation, and the generated pages."""
    urls = ["", *(page_url(source) for source in nav_sources())]
    return list(dict.fromkeys([*urls, "unresolved-links/"]))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """The tests record what the browser saw; the server stays quiet."""


@contextlib.contextmanager
def serve_without_policy(directory: Path) -> Iterator[str]:
    """Serve ``directory`` as a plain static host would: no CSP header at all."""
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory))
    )
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def csp_url(built_site: BuiltSite) -> Iterator[str]:
    with serve_site(built_site.directory) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def plain_url(built_site: BuiltSite) -> Iterator[str]:
    with serve_without_policy(built_site.directory) as base_url:
        yield base_url


@contextlib.contextmanager
def browser_page(chromium: object) -> Iterator[tuple[object, list[str], list[str]]]:
    """A desktop-sized page recording its console errors and every URL it requested."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(VIOLATION_RECORDER)
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    context.on("request", lambda request: requests.append(request.url))
    try:
        yield page, errors, requests
    finally:
        context.close()


def label_boxes(page: object, url: str) -> list[list[float]]:
    page.goto(url, wait_until="load")
    boxes = page.evaluate(LABEL_BOXES, list(SRM_LABELS))
    assert None not in boxes, dict(zip(SRM_LABELS, boxes, strict=True))
    return boxes


def assert_same_layout(actual: list[list[float]], expected: list[list[float]]) -> None:
    for label, got, want in zip(SRM_LABELS, actual, expected, strict=True):
        assert all(abs(a - b) <= 1 for a, b in zip(got, want, strict=True)), (label, got, want)


def test_every_published_page_holds_the_policy(chromium, csp_url):
    pages = published_pages()
    assert page_url(SRM_NOTE) in pages and "tools/compute/" in pages and len(pages) >= 25
    found: dict[str, list[str]] = {}
    with browser_page(chromium) as (page, errors, requests):
        for url in pages:
            errors.clear()
            # Network idle: Material's search worker and the calculator's engine have
            # loaded, so what they fetch or inject is checked too.
            page.goto(csp_url + url, wait_until="networkidle")
            problems = page.evaluate("window.__violations") + errors
            if problems:
                found[url] = problems
        foreign = {u for u in requests if urlsplit(u).netloc != urlsplit(csp_url).netloc}
    assert found == {}
    assert foreign == set()


def test_diagram_labels_are_laid_out_as_with_inline_styles(chromium, csp_url, plain_url):
    srm = page_url(SRM_NOTE)
    with browser_page(chromium) as (page, errors, _requests):
        under_policy = label_boxes(page, csp_url + srm)
        assert page.evaluate("window.__violations") == [] and errors == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator("svg.vr-drawio").screenshot(path=ARTIFACTS / "csp-06-04-diagram.png")
        without_policy = label_boxes(page, plain_url + srm)

    # The page as it was before the styles moved out: the diagram sanitised but with
    # its inline styles, served without a policy (which would block them).
    note = (REPO / "docs" / SRM_NOTE).read_text(encoding="utf-8")
    inline = sanitize_svg(note[note.index("<svg") : note.index("</svg>") + len("</svg>")]).svg
    assert 'style="' in inline

    def with_inline_styles(headers: dict[str, str]):
        def fulfil(route) -> None:
            html = route.fetch().text()
            assert len(DRAWIO_SVG.findall(html)) == 1
            # Before, the page had no <meta> policy either: only `headers` decide.
            html = META_POLICY.sub("", html)
            route.fulfill(
                status=200,
                headers={"Content-Type": "text/html; charset=utf-8", **headers},
                body=DRAWIO_SVG.sub(lambda _match: inline, html),
            )

        return fulfil

    with browser_page(chromium) as (page, _errors, _requests):
        page.route(plain_url + srm, with_inline_styles({}))
        as_before = label_boxes(page, plain_url + srm)
    with browser_page(chromium) as (page, _errors, _requests):
        page.route(csp_url + srm, with_inline_styles({"Content-Security-Policy": CSP}))
        before_under_policy = label_boxes(page, csp_url + srm)
        # Control: the recorder sees what the policy blocks.
        blocked = page.evaluate("window.__violations")
        assert blocked and all(v.startswith("style-src-attr blocked inline") for v in blocked)

    assert_same_layout(under_policy, without_policy)
    assert_same_layout(under_policy, as_before)
    # Control: the old page under the policy loses its inline styles and its labels
    # fall apart, so the comparison above can fail.
    assert any(
        abs(a - b) > 1
        for got, want in zip(before_under_policy, as_before, strict=True)
        for a, b in zip(got, want, strict=True)
    )


def test_reading_holds_the_policy(chromium, csp_url):
    """Search, the palette toggle and a tooltip, then a link to the diagram's page."""
    srm = page_url(SRM_NOTE)
    with browser_page(chromium) as (page, _errors, _requests):
        direct = label_boxes(page, csp_url + srm)
    with browser_page(chromium) as (page, errors, _requests):
        page.goto(csp_url + page_url("07 Compute/07-01 EC2 Overview.md"), wait_until="networkidle")
        page.keyboard.press("/")
        page.keyboard.type("lambda")
        page.wait_for_selector(".md-search-result__item")
        page.keyboard.press("Escape")
        page.locator("label.md-header__button[for^=__palette]").first.click()
        page.locator("abbr").first.hover()
        assert page.evaluate("window.__violations") == []
        page.locator(f'.md-nav__link[href$="{srm}"]').first.click()
        page.wait_for_url(csp_url + srm)
        page.wait_for_selector("svg.vr-drawio")
        assert_same_layout(page.evaluate(LABEL_BOXES, list(SRM_LABELS)), direct)
        assert page.evaluate("window.__violations") == []
        assert errors == []
