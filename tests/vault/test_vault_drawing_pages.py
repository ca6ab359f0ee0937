"""Every drawing is published: one that no note embeds gets its own page (real builds)."""

from __future__ import annotations

import json
import logging
import textwrap
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from vault_renderer.drawing_pages import drawing_pages, drawing_title, is_drawio_svg
from vault_renderer.report import scan_vault
from vault_renderer.vault import Vault

from bench.calculator import serve_site
from tests.drawings.test_drawings_excalidraw import element, obsidian, scene

pytestmark = pytest.mark.slow

DRAWIO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="400px" height="300px" '
    'content="&lt;mxfile host=&quot;app.diagrams.net&quot;&gt;&lt;/mxfile&gt;">'
    '<rect x="1" y="1" width="50" height="20"/><text x="5" y="15">Queue worker</text></svg>'
)
WIDE = 'width="2400px" height="1800px" viewBox="0 0 2400 1800"'
ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M0 0h24v24H0z"/></svg>'


def drawing(label: str) -> str:
    return obsidian(scene(element("text", id="t", text=label)), text_elements=(label,))


FILES = {
    "docs/index.md": (
        "# Home\n\nSee [[Loose sketch.excalidraw]], [[Read path.excalidraw]] and"
        " [[flow.drawio.svg]].\n\n![[Embedded.excalidraw]]\n"
    ),
    "docs/sketches/Loose sketch.excalidraw.md": drawing("Caching tier"),
    "docs/sketches/Embedded.excalidraw.md": drawing("Shown in a note"),
    "docs/sketches/icon.svg": ICON,
    "docs/notes/Figure.md": "# Figure\n\n![[Elsewhere.excalidraw]]\n",
    "diagrams/Elsewhere.excalidraw": json.dumps(scene(element("text", id="e", text="Aside"))),
    "diagrams/Read path.excalidraw": json.dumps(scene(element("text", id="r", text="Replica"))),
    "diagrams/aws/flow.drawio.svg": DRAWIO,
    "diagrams/Wide.drawio.svg": DRAWIO.replace('width="400px" height="300px"', WIDE),
    "diagrams/Broken.excalidraw.md": (
        "---\nexcalidraw-plugin: parsed\n---\n%%\n## Drawing\n```compressed-json\n"
        "N4KAkARALgngDgUwgLgAQQQDwMYEMA2AlgCYBOuA7hADTgQBuCpAzoQPYB2KqATLZMzYBXUtiRoIACyhQ4zZAHoFAc\n"
        "```\n%%\n"
    ),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, str]]]:
    root = tmp_path_factory.mktemp("drawings")
    for path, text in FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(
        textwrap.dedent("""\
            site_name: Drawings
            theme: {name: material}
            plugins:
              - search
              - obsidian-vault:
                  unresolved_link_level: info
            """),
        encoding="utf-8",
    )
    records: list[tuple[str, str]] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append((record.levelname, record.getMessage()))

    handler = Keep(logging.INFO)
    logger = logging.getLogger("mkdocs.plugins.vault_renderer")
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        mkdocs_config = load_config(str(config))
        build(mkdocs_config)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return Path(mkdocs_config.site_dir), records


def html(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


class TestDrawingPages:
    @pytest.mark.parametrize(
        ("page", "title", "text"),
        [
            ("sketches/Loose sketch.excalidraw", "Loose sketch", "Caching tier"),
            ("diagrams/Read path.excalidraw", "Read path", "Replica"),
            ("diagrams/aws/flow.drawio", "flow", "Queue worker"),
        ],
    )
    def test_a_drawing_no_note_embeds_has_its_page(
        self, built: tuple[Path, list], page: str, title: str, text: str
    ) -> None:
        site, _ = built
        content = html(site, page)
        assert f"<title>{title} - Drawings</title>" in content
        assert f"<h1>{title}</h1>" in content
        assert '<div class="vault-drawing-page"><figure class="vault-drawing"><svg' in content
        assert f">{text}</t" in content  # </text>, or </tspan> of a multi-line label

    def test_an_embedded_drawing_has_a_full_size_page_out_of_nav_and_search(
        self, built: tuple[Path, list]
    ) -> None:
        site, _ = built
        home = html(site, "")
        assert ">Shown in a note</t" in home
        link = '<a href="sketches/Embedded.excalidraw/">Open the drawing “Embedded” full size</a>'
        assert link in home
        page = html(site, "sketches/Embedded.excalidraw")
        assert '<div class="vault-drawing-page"><figure class="vault-drawing"><svg' in page
        in_nav = '<a href="sketches/{}.excalidraw/" class="md-nav__link">'
        assert in_nav.format("Loose%20sketch") in home
        assert in_nav.format("Embedded") not in home
        index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
        assert not [d for d in index["docs"] if "Embedded.excalidraw" in d["location"]]

    def test_the_full_size_link_of_a_drawing_outside_docs_goes_to_its_page(
        self, built: tuple[Path, list]
    ) -> None:
        site, _ = built
        note = html(site, "notes/Figure")
        link = (
            '<a href="../../diagrams/Elsewhere.excalidraw/">'
            "Open the drawing “Elsewhere” full size</a>"
        )
        assert link in note
        assert "vault-unresolved" not in note
        assert (site / "diagrams" / "Elsewhere.excalidraw" / "index.html").is_file()

    def test_icons_get_no_page(self, built: tuple[Path, list]) -> None:
        site, _ = built
        assert not (site / "sketches" / "icon").exists()

    def test_links_go_to_the_pages(self, built: tuple[Path, list]) -> None:
        site, _ = built
        home = html(site, "")
        assert '<a class="vault-link" href="sketches/Loose%20sketch.excalidraw/">' in home
        assert '<a class="vault-link" href="diagrams/Read%20path.excalidraw/">' in home
        assert '<a class="vault-link" href="diagrams/aws/flow.drawio/">' in home
        # The page lists the note that links to the drawing.
        assert '<li><a href="../../">Home</a></li>' in html(
            site, "sketches/Loose sketch.excalidraw"
        )

    def test_pages_are_in_the_navigation_at_their_folder(self, built: tuple[Path, list]) -> None:
        site, _ = built
        nav = html(site, "").split('<nav class="md-nav md-nav--primary"', 1)[1]
        for href in (
            'href="sketches/Loose%20sketch.excalidraw/"',
            'href="diagrams/aws/flow.drawio/"',
        ):
            assert href in nav

    def test_drawing_text_is_in_the_search_index(self, built: tuple[Path, list]) -> None:
        site, _ = built
        index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
        texts = {doc["location"]: doc["text"] for doc in index["docs"]}
        assert "Caching tier" in texts["sketches/Loose%20sketch.excalidraw/"]
        assert "Queue worker" in texts["diagrams/aws/flow.drawio/"]

    def test_a_corrupt_drawing_is_one_warning_and_a_placeholder_page(
        self, built: tuple[Path, list]
    ) -> None:
        site, records = built
        warnings = [message for level, message in records if level == "WARNING"]
        assert len(warnings) == 1
        assert warnings[0].startswith("diagrams/Broken.excalidraw.md: ")
        page = html(site, "diagrams/Broken.excalidraw")
        assert '<figure class="vault-drawing vault-drawing-missing">' in page


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("a/Loose sketch.excalidraw.md", "Loose sketch"),
        ("Read path.excalidraw", "Read path"),
        ("x.Excalidraw.JSON", "x"),
        ("flow.drawio.svg", "flow"),
        ("arch.svg", "arch"),
        (".excalidraw", ".excalidraw"),
    ],
)
def test_drawing_title(path: str, title: str) -> None:
    assert drawing_title(path) == title


@pytest.mark.parametrize(
    ("path", "text", "drawio"),
    [
        ("a.drawio.svg", None, True),
        ("a.svg", DRAWIO, True),
        ("a.svg", ICON, False),
        ("a.png", DRAWIO, False),
    ],
)
def test_is_drawio_svg(path: str, text: str | None, drawio: bool) -> None:
    assert is_drawio_svg(path, lambda: text) is drawio


CHOICE_SOURCES = {
    "index.md": "![[Shown.excalidraw]] and [[Twin.excalidraw]]\n\n![[Linked.excalidraw]]",
    "b.md": "[[Linked.excalidraw]]",
    "a/Shown.excalidraw.md": "",
    "a/Linked.excalidraw.md": "",
    # A drawing names the files it shows as links: they are embedded.
    "a/Frame.excalidraw.md": "## Embedded Files\nabc: [[Part.drawio.svg]]\n",
    "a/Part.drawio.svg": None,
    "a/Twin.excalidraw.md": "",
    "a/Twin.excalidraw": None,
    "a/Notes.drawio.md": "# A note that takes the name",
    "a/Notes.drawio.svg": None,
    "diagrams/x/Plan.svg": None,
    "diagrams/x/logo.svg": None,
}
CHOICE_TEXTS = {"diagrams/x/Plan.svg": DRAWIO, "diagrams/x/logo.svg": ICON}


class TestChoosingPages:
    """``drawing_pages`` alone: which drawings get a page, and where."""

    def pages(self) -> list[tuple[str, str, str, bool]]:
        vault = Vault.from_sources(
            CHOICE_SOURCES,
            roots={"diagrams/x/Plan.svg": "diagrams", "diagrams/x/logo.svg": "diagrams"},
        )
        report = scan_vault(vault, lambda file: CHOICE_SOURCES.get(file.site_path))
        taken = {path for path in CHOICE_SOURCES if not path.endswith(".excalidraw.md")}
        return [
            (page.drawing.site_path, page.src_uri, page.title, page.listed)
            for page in drawing_pages(
                vault, report, taken, lambda file: CHOICE_TEXTS.get(file.site_path)
            )
        ]

    def test_pages(self) -> None:
        assert self.pages() == [
            # Every drawing gets a page; one that notes only embed is not listed (it is
            # the figure's full-size view); the `.excalidraw.md` keeps the page its twin
            # `.excalidraw` would have had; a name taken by a note gives no page; an SVG
            # without draw.io's diagram is an image.
            ("a/Frame.excalidraw.md", "a/Frame.excalidraw.md", "Frame", True),
            ("a/Linked.excalidraw.md", "a/Linked.excalidraw.md", "Linked", True),
            ("a/Part.drawio.svg", "a/Part.drawio.md", "Part", False),
            ("a/Shown.excalidraw.md", "a/Shown.excalidraw.md", "Shown", False),
            ("a/Twin.excalidraw.md", "a/Twin.excalidraw.md", "Twin", True),
            ("diagrams/x/Plan.svg", "diagrams/x/Plan.drawio.md", "Plan", True),
        ]


@pytest.mark.browser
def test_a_large_drawing_is_shown_full_size_on_its_page(
    chromium, built: tuple[Path, list[tuple[str, str]]]
) -> None:
    site, _ = built
    with serve_site(site) as base_url:
        context = chromium.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        try:
            page.goto(base_url + "diagrams/Wide.drawio/")
            svg = page.evaluate(
                """() => {
                  const svg = document.querySelector(".vault-drawing-page svg");
                  const frame = svg.closest("figure");
                  return {width: svg.getBoundingClientRect().width,
                          frame: frame.clientWidth, scrolls: frame.scrollWidth};
                }"""
            )
        finally:
            context.close()
    # Drawn at its own width, taller and wider than the window; its frame scrolls.
    assert svg["width"] == 2400
    assert svg["frame"] < 1280 < svg["scrolls"]
