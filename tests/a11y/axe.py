"""axe-core in the built site: which pages, which views, and what a violation says.

axe-core is pinned in ``package.json`` and read from ``node_modules``. It is installed as
an init script of the browser context (``Page.addScriptToEvaluateOnNewDocument``), so it
is in every page before the page's own scripts run, is not subject to the page's
Content-Security-Policy, and the site is audited under its real policy, unchanged.

Run as a module, it prints the violations per rule over every page and view of a built
site (how the counts in the closing note of issue 13 were measured)::

    .venv/bin/python -m tests.a11y.axe SITE_DIR
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from tests.conftest import REPO

AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA: what issue 13 promises.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

# A tool's root element carries the state of its engine (calculator.mjs): idle,
# starting, ready, restarting or failed.
TOOL = "[data-engine]"

# What the reader's system asks for; the site's first palette entry follows it.
PALETTES = {"light": "default", "dark": "slate"}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 780}}

# Finite animations (Material fades its tabs in) end first, so colours are measured as
# they rest, not half-faded.
RUN_AXE = """async (tags) => {
  const finite = document.getAnimations()
    .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity);
  await Promise.all(finite.map((a) => a.finished.catch(() => null)));
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.flatMap((rule) => rule.nodes.map((node) => ({
    rule: rule.id,
    target: node.target.map(String).join(" "),
    html: node.html.slice(0, 160),
    summary: (node.failureSummary || "").replace(/\\s+/g, " ").slice(0, 240),
  })));
}"""


@dataclass(frozen=True)
class Violation:
    """One element that breaks one axe rule in one view of one page."""

    page: str
    view: str
    rule: str
    target: str
    html: str
    summary: str

    def __str__(self) -> str:
        where = f"{self.page or '/'} [{self.view}] {self.rule}: {self.target}"
        return f"{where} {self.html}\n    {self.summary}"


def site_url_path() -> str:
    """The path of ``site_url`` in mkdocs.yml (``/handbook/``): the sitemap's prefix."""
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return urlsplit(config.get("site_url", "/")).path or "/"


def site_pages(site_dir: Path) -> list[str]:
    """Every page of a built site: its sitemap (every page MkDocs wrote) and the 404 page.

    Read from the build rather than from mkdocs.yml, so pages that other parts of the
    build add (generated pages, navigation made from folders) are audited too.

    Returns:
        Site-relative URLs, quoted as the sitemap quotes them (``""`` is the home page).
    """
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ElementTree.parse(site_dir / "sitemap.xml").getroot()
    prefix = site_url_path()
    pages = []
    for loc in root.iterfind("s:url/s:loc", namespace):
        path = urlsplit((loc.text or "").strip()).path
        pages.append(path.removeprefix(prefix))
    return list(dict.fromkeys(pages))


def mount_at_site_path(page: object, base_url: str) -> None:
    """Answer requests under ``site_url``'s path (``/handbook/...``) from the site root.

    The 404 page links its assets by absolute path, as a host serves it for any
    missing URL; the test server serves the site at ``/``.
    """
    prefix = base_url + site_url_path().lstrip("/")
    if prefix == base_url:
        return
    page.route(
        prefix + "**",
        lambda route: route.fulfill(
            response=route.fetch(url=base_url + route.request.url.removeprefix(prefix))
        ),
    )


def new_audit_page(chromium: object, palette: str, viewport: str, **options: object) -> object:
    """A browser page in a fresh context with axe-core preloaded and the view applied."""
    context = chromium.new_context(viewport=VIEWPORTS[viewport], color_scheme=palette, **options)
    context.add_init_script(path=str(AXE_JS))
    return context.new_page()


def set_view(page: object, palette: str, viewport: str) -> None:
    """Switch a loaded page to a palette and width, and wait until Material follows."""
    page.emulate_media(color_scheme=palette)
    page.set_viewport_size(VIEWPORTS[viewport])
    page.wait_for_function(
        "(scheme) => document.body.dataset.mdColorScheme === scheme", arg=PALETTES[palette]
    )


def audit(page: object, label: str, view: str) -> list[Violation]:
    """Run axe-core (WCAG 2.0/2.1 A and AA) over the page as it is now."""
    found = page.evaluate(RUN_AXE, list(WCAG_TAGS))
    return [Violation(page=label, view=view, **item) for item in found]


def views() -> Iterator[tuple[str, str]]:
    """Every (palette, viewport) a page is audited in, light desktop first."""
    for viewport in VIEWPORTS:
        for palette in PALETTES:
            yield palette, viewport


def wait_for_engine(page: object, state: str) -> None:
    """Wait until the tool on the page reports its engine in ``state``."""
    page.wait_for_selector(f"{TOOL}[data-engine={state}]", state="attached", timeout=60_000)


def audit_site(chromium: object, base_url: str, pages: list[str]) -> list[Violation]:
    """Load each page once and audit it in every palette and width (one browser tab).

    A page with a tool is audited once its engine is live.
    """
    page = new_audit_page(chromium, "light", "desktop")
    mount_at_site_path(page, base_url)
    found: list[Violation] = []
    try:
        for url in pages:
            page.goto(base_url + url, wait_until="load")
            if page.locator(TOOL).count():
                wait_for_engine(page, "ready")
            for palette, viewport in views():
                set_view(page, palette, viewport)
                found += audit(page, url, f"{palette} {viewport}")
    finally:
        page.context.close()
    return found


def summarise(found: list[Violation]) -> str:
    """Per rule: elements in violation and page views affected."""
    elements = Counter(v.rule for v in found)
    views_hit = Counter(rule for rule, _page, _view in {(v.rule, v.page, v.view) for v in found})
    lines = [f"{'rule':28} {'elements':>8} {'page views':>10}"]
    lines += [
        f"{rule:28} {count:>8} {views_hit[rule]:>10}" for rule, count in elements.most_common()
    ]
    lines.append(f"{'total':28} {sum(elements.values()):>8}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Print the violations per rule over every page and view of a built site."""
    from playwright.sync_api import sync_playwright

    from bench.calculator import CHROMIUM, CHROMIUM_ARGS, serve_site

    site_dir = Path(argv[0])
    pages = [*site_pages(site_dir), "404.html"]
    with serve_site(site_dir) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        found = audit_site(browser, base_url, pages)
        browser.close()
    print(f"{len(pages)} pages x {len(list(views()))} views = {len(pages) * 4} page views")
    print(summarise(found))
    if "-v" in argv:
        for violation in found:
            print(violation)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
