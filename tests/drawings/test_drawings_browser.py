"""In real Chromium: sanitised XSS vectors run nothing; the seeds' drawings show their text."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from vault_renderer.drawings import DRAWING_CSS, DrawingError, render_excalidraw, sanitize_svg

pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SEED_001 = REPO / "diagrams" / "ElastiCache read path.excalidraw.md"
SEED_000_NOTE = (
    REPO / "docs" / "06 Architecture" / "06-04 Shared Responsibility Model - Architecture.md"
)
SEED_000 = REPO.parent / "shared" / "seeds" / "000_e6c40319b907d6bc.txt"

# Fire every event a vector could hang a handler on, follow every link, then let two
# frames pass so that anything queued by those events has run.
INTERACT = """async () => {
  for (const el of document.querySelectorAll('body *')) {
    for (const type of ['mouseover', 'mouseenter', 'mousemove', 'mousedown', 'mouseup',
                        'focus', 'focusin', 'animationstart', 'load', 'error']) {
      el.dispatchEvent(new Event(type, {bubbles: true}));
    }
    if (el.localName === 'a') {
      el.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}));
    }
  }
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  return window.__xss;
}"""


@dataclass
class Probe:
    """What a page did that it should not have."""

    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def open_page(chromium, body: str, scheme: str = "default"):
    context = chromium.new_context()
    page = context.new_page()
    probe = Probe()
    page.on("dialog", lambda dialog: (probe.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda m: m.type == "error" and probe.console_errors.append(m.text))
    page.on("pageerror", lambda error: probe.page_errors.append(str(error)))

    def refuse(route) -> None:
        probe.requests.append(route.request.url)
        route.abort()

    context.route("**/*", refuse)
    page.set_content(
        f'<!doctype html><html data-md-color-scheme="{scheme}"><head><meta charset="utf-8">'
        f"<style>{DRAWING_CSS}</style></head><body>{body}</body></html>",
        wait_until="load",
    )
    return context, page, probe


def vectors() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted((HERE / "xss").glob("*.svg"))]


def drawio_svg() -> str:
    text = (SEED_000 if SEED_000.exists() else SEED_000_NOTE).read_text(encoding="utf-8")
    return text[text.index("<svg") : text.index("</svg>") + len("</svg>")]


def test_the_probe_sees_the_raw_vectors_run(chromium):
    """Control: unsanitised, the corpus does run script, so the next test can fail."""
    raw = "".join(v.split("-->", 1)[1] for v in vectors() if "<!DOCTYPE" not in v)
    context, page, probe = open_page(chromium, raw)
    try:
        page.evaluate(INTERACT)
        page.wait_for_function("window.__xss === 1")
        assert probe.dialogs
    finally:
        context.close()


def test_no_sanitised_vector_runs_script(chromium):
    sanitised = []
    for vector in vectors():
        try:
            sanitised.append(sanitize_svg(vector).svg)
        except DrawingError:
            continue
    assert len(sanitised) >= 20
    context, page, probe = open_page(chromium, "\n".join(sanitised))
    try:
        assert page.locator("svg.vr-drawio").count() == len(sanitised)
        assert page.evaluate(INTERACT) is None
        assert probe.dialogs == []
        assert probe.page_errors == []
        assert probe.console_errors == []
        assert probe.requests == [], "a sanitised SVG fetched something"
        assert (
            page.evaluate("document.querySelectorAll('script, iframe, object, embed').length") == 0
        )
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_seed_drawings_show_their_text(chromium, scheme):
    drawio = sanitize_svg(drawio_svg()).svg
    excalidraw = render_excalidraw(
        SEED_001.read_text(encoding="utf-8"), name="seed 001", resolve_file=lambda _name: None
    ).svg
    context, page, probe = open_page(chromium, drawio + excalidraw, scheme)
    try:
        for label in ("Global workforce is most familiar", "Serverless", "Microservices"):
            assert page.get_by_text(label).first.is_visible(), label
        for label in ("Elastic Load Balancer", "EC2 Instances", "ElastiCache", "In-memory DB"):
            assert page.locator("svg.vr-excalidraw text", has_text=label).first.is_visible(), label
        assert page.locator("svg.vr-excalidraw g.vr-x-missing").count() == 4
        box = page.locator("svg.vr-excalidraw").bounding_box()
        assert box is not None and box["width"] > 600
        expected_filter = "none" if scheme == "default" else "invert(0.93) hue-rotate(180deg)"
        assert (
            page.evaluate("getComputedStyle(document.querySelector('svg.vr-excalidraw')).filter")
            == expected_filter
        )
        assert probe.console_errors == [] and probe.requests == []
    finally:
        context.close()
