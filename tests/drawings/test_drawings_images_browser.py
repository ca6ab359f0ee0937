"""Drawings' pictures under the site's strict CSP, in real Chromium.

A tiny site whose Excalidraw drawing holds a PNG in its ``files`` and whose draw.io
export embeds a PNG icon as a ``data:`` URL is built and served with the site's
policy; each picture must be drawn, on pages at every depth, with no violation.
The site has a theme of one template, so that nothing but the drawings is under test
(the stock Material theme's inline scripts and icons break the policy on their own; the
handbook's overrides fix that, and tests/site/ checks its pages whole).
"""

from __future__ import annotations

import pytest

from bench.calculator import serve_site
from tests.vault.test_vault_images_build import PAGE_URLS, make_site, run_build

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIOLATION_RECORDER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""
# The pages as MkDocs renders them, with the stylesheets the plugin adds.
TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ page.title }}</title>
{% for path in config.extra_css %}<link rel="stylesheet" href="{{ path | url }}">{% endfor %}
</head><body>{{ page.content }}</body></html>
"""

# For each <image> of the page's drawings: its box, and the colour at the centre of the
# picture it shows (drawn onto a canvas, which fails for a picture that did not load).
SHOWN_IMAGES = """async () => Promise.all(
  [...document.querySelectorAll("figure.vault-drawing svg image")].map(async (image) => {
    const box = image.getBBox();
    const picture = new Image();
    picture.src = new URL(image.href.baseVal, document.baseURI).href;
    await picture.decode();
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 8;
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0, 8, 8);
    return {
      href: image.href.baseVal,
      box: [box.width, box.height],
      natural: [picture.naturalWidth, picture.naturalHeight],
      centre: [...context.getImageData(4, 4, 1, 1).data].slice(0, 3),
    };
  }))"""

# Blue is the draw.io icon, red the Excalidraw picture, green the SVG written in a note.
COLOURS = {(0, 0, 255): "blue", (255, 0, 0): "red", (0, 160, 0): "green"}
EXPECTED = {"": ["blue", "red"], "top/": ["green", "blue"], "notes/deep/": ["red", "blue"]}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("images")
    (root / "theme").mkdir()
    (root / "theme" / "main.html").write_text(TEMPLATE, encoding="utf-8")
    config = make_site(root, theme="{name: null, custom_dir: theme}")
    site, _ = run_build(config, root / "site")
    with serve_site(site) as base_url:
        yield base_url


def test_pictures_in_drawings_load_under_the_policy(chromium, site_url):
    assert sorted(EXPECTED) == sorted(PAGE_URLS.values())
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(VIOLATION_RECORDER)
    failed: list[str] = []
    # Chromium asks for /favicon.ico by itself; the tiny theme has none.
    page.on(
        "response",
        lambda r: failed.append(r.url) if r.status >= 400 and "favicon" not in r.url else None,
    )
    try:
        for url, expected in EXPECTED.items():
            response = page.goto(site_url + url, wait_until="networkidle")
            assert "default-src 'self'" in response.headers["content-security-policy"]
            shown = page.evaluate(SHOWN_IMAGES)
            assert [COLOURS.get(tuple(image["centre"])) for image in shown] == expected, shown
            for image in shown:
                assert image["box"][0] > 0 and image["box"][1] > 0, image
                assert image["natural"][0] > 0, image
                assert not image["href"].startswith("data:"), image
            assert page.evaluate("window.__violations") == [], url
            assert failed == [], url
        # Control: the recorder sees a data: picture in a drawing that the policy
        # blocks, so one left in a drawing would have failed the checks above.
        page.evaluate(
            """() => new Promise((resolve) => {
              document.addEventListener("securitypolicyviolation", resolve, { once: true });
              document.querySelector("figure.vault-drawing svg image")
                .setAttribute("href", "data:image/png;base64,iVBORw0KGgo=");
            })"""
        )
        assert page.evaluate("window.__violations") == ["img-src blocked data"]
    finally:
        context.close()
