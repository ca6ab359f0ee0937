"""The Excalidraw renderer: every vault form, every element kind, bad drawings, bounds."""

from __future__ import annotations

import base64
import itertools
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from vault_renderer.drawings import (
    embedded_file_names,
    excalidraw_source,
    missing_file_warning,
    render_excalidraw,
)
from vault_renderer.drawings.lzstring import compress_to_base64

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "diagrams" / "ElastiCache read path.excalidraw.md"
SEED_NAME = "diagrams/ElastiCache read path.excalidraw.md"
NS = {"svg": "http://www.w3.org/2000/svg"}
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def no_files(_name: str) -> bytes | None:
    return None


def element(kind: str, **fields: Any) -> dict[str, Any]:
    """An Excalidraw element with the defaults the editor writes."""
    base: dict[str, Any] = {
        "id": fields.pop("id", f"{kind}-{len(fields)}"),
        "type": kind,
        "x": 0,
        "y": 0,
        "width": 100,
        "height": 50,
        "angle": 0,
        "strokeColor": "#1e1e1e",
        "backgroundColor": "transparent",
        "fillStyle": "solid",
        "strokeWidth": 2,
        "strokeStyle": "solid",
        "roughness": 1,
        "opacity": 100,
        "roundness": None,
        "isDeleted": False,
    }
    if kind == "text":
        base.update(
            text="Hello",
            fontSize=20,
            fontFamily=5,
            textAlign="left",
            verticalAlign="top",
            containerId=None,
            lineHeight=1.25,
        )
    if kind in ("line", "arrow", "freedraw"):
        base.update(points=[[0, 0], [100, 50]], startArrowhead=None, endArrowhead=None)
    base.update(fields)
    return base


def scene(*elements: dict[str, Any], files: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": "excalidraw", "version": 2, "elements": list(elements), "files": files or {}}


def obsidian(
    data: dict[str, Any] | str,
    *,
    compressed: bool = True,
    text_elements: tuple[str, ...] = (),
    embedded: dict[str, str] | None = None,
) -> str:
    """An Obsidian ``.excalidraw.md`` as the plugin writes it (base64 split over lines)."""
    payload = data if isinstance(data, str) else json.dumps(data)
    if compressed:
        encoded = compress_to_base64(payload)
        block = (
            "```compressed-json\n"
            + "\n\n".join(encoded[i : i + 256] for i in range(0, len(encoded), 256))
            + "\n```"
        )
    else:
        block = "```json\n" + payload + "\n```"
    texts = "".join(f"{text} ^id{index:05d}\n\n" for index, text in enumerate(text_elements))
    files = "".join(f"{key}: [[{name}]]\n\n" for key, name in (embedded or {}).items())
    return (
        "---\n\nexcalidraw-plugin: parsed\ntags: [excalidraw]\n\n---\n"
        "==⚠  Switch to EXCALIDRAW VIEW ==\n\n\n# Excalidraw Data\n"
        f"## Text Elements\n{texts}## Embedded Files\n{files}%%\n## Drawing\n{block}\n%%"
    )


def render(source: str, resolve=no_files, name: str = "diagrams/test.excalidraw.md"):
    drawing = render_excalidraw(source, name=name, resolve_file=resolve)
    return drawing, ET.fromstring(drawing.svg)


def groups(root: ET.Element, kind: str) -> list[ET.Element]:
    return root.findall(f".//svg:g[@class='vr-x-{kind}']", NS)


def view_box(root: ET.Element) -> tuple[float, ...]:
    return tuple(float(v) for v in root.get("viewBox", "").split())


def joined(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def rendered():
    """Seed 001 rendered with none of its icons in the vault (as in the material)."""
    return render(SEED.read_text(encoding="utf-8"), name=SEED_NAME)


class TestSeedElastiCacheDrawing:
    """Seed 001: five labels, six arrows with heads, four labelled icon placeholders."""

    def test_five_labels_as_real_text(self, rendered):
        drawing, root = rendered
        expected = [
            "Elastic Load Balancer",
            "EC2 Instances",
            "Read/write from DB (slower)",
            "ElastiCache In-memory DB",
            "Read/write from DB (fast)",
        ]
        assert [joined(text) for text in drawing.texts] == expected
        in_svg = [joined(" ".join(t.itertext())) for g in groups(root, "text") for t in g]
        assert in_svg == expected

    def test_six_arrows_each_with_a_head(self, rendered):
        _, root = rendered
        arrows = groups(root, "arrow")
        assert len(arrows) == 6
        assert all(len(a.findall("svg:path[@class='vr-x-head']", NS)) == 1 for a in arrows)

    def test_four_labelled_placeholders_for_missing_icons(self, rendered):
        drawing, root = rendered
        missing = root.findall(".//svg:g[@class='vr-x-missing']", NS)
        labels = sorted(
            joined("".join(g.find("svg:text", NS).itertext())).replace(" ", "") for g in missing
        )
        assert labels == [
            "Arch_Amazon-ElastiCache_64.svg",
            "EC2-instance-contents_32.svg",
            "Res_Amazon-Aurora_Amazon-RDS-Instance_48.svg",
            "Res_Elastic-Load-Balancing_Application-Load-Balancer_48.svg",
        ]
        assert root.find(".//svg:image", NS) is None
        assert len(drawing.warnings) == 4
        assert all(w.startswith(f"{SEED_NAME}: embedded file '") for w in drawing.warnings)
        assert sorted(drawing.missing_files) == labels
        assert not drawing.placeholder

    def test_counts_and_view_box(self, rendered):
        drawing, root = rendered
        assert drawing.element_count == 15
        left, top, width, height = view_box(root)
        # The icons and labels span x -20..456 and y -193..135; arrows start at x -150.
        assert left < -149.6 - 2 and left + width > 456.4
        assert top < -193.4 and top + height > 134.9
        assert root.get("class") == "vr-drawing vr-excalidraw"

    def test_icons_found_in_the_vault_are_inlined(self):
        def resolve(name: str) -> bytes | None:
            return PNG if name == "Arch_Amazon-ElastiCache_64.svg" else None

        drawing, root = render(SEED.read_text(encoding="utf-8"), resolve, SEED_NAME)
        images = root.findall(".//svg:image", NS)
        assert [i.get("href", "")[:22] for i in images] == ["data:image/png;base64,"]
        assert len(root.findall(".//svg:g[@class='vr-x-missing']", NS)) == 3
        assert len(drawing.warnings) == 3

    def test_embedded_file_names(self):
        assert embedded_file_names(SEED.read_text(encoding="utf-8")) == (
            "Res_Elastic-Load-Balancing_Application-Load-Balancer_48.svg",
            "EC2-instance-contents_32.svg",
            "Res_Amazon-Aurora_Amazon-RDS-Instance_48.svg",
            "Arch_Amazon-ElastiCache_64.svg",
        )


class TestSourceForms:
    DRAWING = scene(
        element("rectangle", id="r"),
        element("text", id="t", text="Two\nlines"),
        element("arrow", id="a", endArrowhead="arrow"),
    )

    @pytest.mark.parametrize(
        "source",
        [
            pytest.param(obsidian(DRAWING), id="compressed-json"),
            pytest.param(obsidian(DRAWING, compressed=False), id="json-block"),
            pytest.param(json.dumps(DRAWING, indent=2), id="excalidraw-file"),
            pytest.param("\ufeff" + json.dumps(DRAWING), id="json-with-bom"),
        ],
    )
    def test_every_form_renders_the_same_drawing(self, source):
        drawing, root = render(source)
        assert drawing.warnings == ()
        assert drawing.element_count == 3
        assert drawing.texts == ("Two\nlines",)
        assert [g.get("class") for g in root.findall("svg:g", NS)] == [
            "vr-x-rectangle",
            "vr-x-text",
            "vr-x-arrow",
        ]

    def test_text_elements_are_the_fallback_without_drawing_data(self):
        source = obsidian(self.DRAWING).split("%%\n## Drawing")[0]
        source = source.replace(
            "## Text Elements\n", "## Text Elements\nFirst note ^abc\n\nSecond\nline ^def\n\n"
        )
        drawing, root = render(source)
        assert drawing.texts == ("First note", "Second\nline")
        assert drawing.element_count == 0
        assert drawing.warnings == (
            "diagrams/test.excalidraw.md: it has no drawing data (no compressed-json or json "
            "block); showing its text elements",
        )
        shown = " ".join(root.itertext())
        assert "First note" in shown and "line" in shown


class TestElements:
    @pytest.mark.parametrize(
        ("drawn", "selector", "attributes"),
        [
            (element("rectangle"), "svg:rect", {"width": "100", "height": "50"}),
            (element("rectangle", roundness={"type": 3}), "svg:rect", {"rx": "12.5"}),
            (
                element("rectangle", width=400, height=300, roundness={"type": 3}),
                "svg:rect",
                {"rx": "32"},
            ),
            (element("ellipse"), "svg:ellipse", {"cx": "50", "cy": "25", "rx": "50", "ry": "25"}),
            (element("diamond"), "svg:path", {"d": "M50 0L100 25L50 50L0 25Z"}),
            (
                element("line", points=[[0, 0], [10, 20], [30, 0]]),
                "svg:path",
                {"d": "M0 0L10 20L30 0"},
            ),
            (element("rectangle", strokeStyle="dashed"), "svg:rect", {"stroke-dasharray": "8 10"}),
            (element("rectangle", strokeStyle="dotted"), "svg:rect", {"stroke-dasharray": "1.5 8"}),
            (element("rectangle", backgroundColor="#a5d8ff"), "svg:rect", {"fill": "#a5d8ff"}),
            (element("rectangle", strokeColor="transparent"), "svg:rect", {"stroke": "none"}),
        ],
    )
    def test_shape_geometry_and_paint(self, drawn, selector, attributes):
        _, root = render(json.dumps(scene(drawn)))
        shape = root.find(f"svg:g/{selector}", NS)
        assert shape is not None
        assert {key: shape.get(key) for key in attributes} == attributes

    @pytest.mark.parametrize("style", ["hachure", "cross-hatch"])
    def test_hatched_fills_use_a_pattern(self, style):
        _, root = render(
            json.dumps(scene(element("rectangle", backgroundColor="#ffc9c9", fillStyle=style)))
        )
        pattern = root.find("svg:defs/svg:pattern", NS)
        assert pattern is not None
        assert len(pattern) == (2 if style == "cross-hatch" else 1)
        assert root.find("svg:g/svg:rect", NS).get("fill") == f"url(#{pattern.get('id')})"

    def test_curved_lines_pass_through_their_points(self):
        drawn = element("line", points=[[0, 0], [50, 40], [100, 0]], roundness={"type": 2})
        _, root = render(json.dumps(scene(drawn)))
        path = root.find("svg:g/svg:path", NS).get("d")
        assert path.startswith("M0 0C") and "50 40C" in path and path.endswith(" 100 0")

    def test_closed_line_is_filled(self):
        drawn = element(
            "line", points=[[0, 0], [50, 40], [100, 0], [0, 0]], backgroundColor="#b2f2bb"
        )
        _, root = render(json.dumps(scene(drawn)))
        path = root.find("svg:g/svg:path", NS)
        assert path.get("d").endswith("Z") and path.get("fill") == "#b2f2bb"

    def test_freedraw_is_one_smooth_stroke(self):
        drawn = element("freedraw", points=[[0, 0], [5, 5], [10, 3], [20, 8]], strokeWidth=1)
        _, root = render(json.dumps(scene(drawn)))
        path = root.find("svg:g[@class='vr-x-freedraw']/svg:path", NS)
        assert path.get("fill") == "none" and path.get("stroke-linecap") == "round"
        assert path.get("d").count("Q") == 2

    def test_frames_show_their_names(self):
        _, root = render(
            json.dumps(scene(element("frame", name="Read path"), element("frame", name=None)))
        )
        names = [g.find("svg:text", NS).text for g in groups(root, "frame")]
        assert names == ["Read path", "Frame"]
        assert view_box(root)[1] < -20, "the name above the frame is inside the viewBox"

    def test_rotation_and_opacity(self):
        drawn = element("rectangle", x=10, y=20, angle=math_pi_over(2), opacity=40)
        _, root = render(json.dumps(scene(drawn)))
        group = root.find("svg:g", NS)
        assert group.get("transform") == "translate(10 20) rotate(90 50 25)"
        assert group.get("opacity") == "0.4"
        *_, width, height = view_box(root)
        # Turned a quarter, the 100x50 box stands 50 wide and 100 tall around its centre.
        assert (width, height) == (50 + 2 + 20, 100 + 2 + 20)

    def test_deleted_elements_are_skipped(self):
        drawing, root = render(
            json.dumps(scene(element("rectangle"), element("ellipse", isDeleted=True)))
        )
        assert drawing.element_count == 1
        assert root.find(".//svg:ellipse", NS) is None

    def test_view_box_fits_content_with_padding(self):
        _, root = render(
            json.dumps(scene(element("rectangle", x=100, y=50, width=200, height=100)))
        )
        assert view_box(root) == (89.0, 39.0, 222.0, 122.0)
        assert (root.get("width"), root.get("height")) == ("222", "122")


def math_pi_over(divisor: float) -> float:
    import math

    return math.pi / divisor


class TestText:
    def test_multi_line_text_is_one_text_with_a_tspan_per_line(self):
        drawn = element("text", x=10, y=20, text="one\ntwo\nthree", fontSize=16, lineHeight=1.25)
        _, root = render(json.dumps(scene(drawn)))
        text = root.find("svg:g/svg:text", NS)
        spans = text.findall("svg:tspan", NS)
        assert [s.text for s in spans] == ["one", "two", "three"]
        ys = [float(s.get("y")) for s in spans]
        assert [round(b - a, 2) for a, b in itertools.pairwise(ys)] == [20.0, 20.0]
        assert text.get("font-size") == "16"

    @pytest.mark.parametrize(
        ("align", "anchor", "x"),
        [("left", "start", "10"), ("center", "middle", "60"), ("right", "end", "110")],
    )
    def test_alignment(self, align, anchor, x):
        drawn = element("text", x=10, width=100, textAlign=align)
        _, root = render(json.dumps(scene(drawn)))
        text = root.find("svg:g/svg:text", NS)
        assert text.get("text-anchor") == anchor
        assert text.find("svg:tspan", NS).get("x") == x

    @pytest.mark.parametrize(
        ("family", "first_face"),
        [
            (1, "Virgil"),
            (2, "Helvetica"),
            (3, "'Cascadia Code'"),
            (5, "Excalifont"),
            (6, "Nunito"),
            (99, "Excalifont"),
        ],
    )
    def test_font_families(self, family, first_face):
        _, root = render(json.dumps(scene(element("text", fontFamily=family))))
        assert root.find("svg:g/svg:text", NS).get("font-family").split(",")[0] == first_face

    def test_bound_text_is_centred_in_its_container(self):
        box = element("rectangle", id="box", x=0, y=0, width=200, height=100)
        label = element(
            "text",
            id="label",
            x=999,
            y=999,
            width=40,
            height=25,
            text="Hi",
            containerId="box",
            textAlign="center",
            verticalAlign="middle",
            fontSize=20,
        )
        _, root = render(json.dumps(scene(box, label)))
        span = root.find("svg:g[@class='vr-x-text']/svg:text/svg:tspan", NS)
        assert float(span.get("x")) == 100
        # One 25 px line box centred in the 100 px container: its top at 37.5.
        assert 37.5 < float(span.get("y")) < 37.5 + 25

    def test_text_is_escaped(self):
        hostile = '</text><script>alert(1)</script> & "quotes" \x00'
        drawing, root = render(json.dumps(scene(element("text", text=hostile))))
        assert root.find(".//svg:script", NS) is None
        assert root.find(".//svg:tspan", NS).text == hostile.replace("\x00", "")
        assert drawing.texts == (hostile,)


class TestArrowheads:
    @pytest.mark.parametrize(
        ("head", "tag", "filled"),
        [
            ("arrow", "path", False),
            ("bar", "path", False),
            ("triangle", "path", True),
            ("triangle_outline", "path", False),
            ("dot", "circle", True),
            ("circle", "circle", True),
            ("circle_outline", "circle", False),
            ("diamond", "path", True),
            ("crowfoot_many", "path", False),
        ],
    )
    def test_each_kind(self, head, tag, filled):
        drawn = element(
            "arrow", points=[[0, 0], [200, 0]], endArrowhead=head, strokeColor="#e03131"
        )
        drawing, root = render(json.dumps(scene(drawn)))
        heads = root.findall(".//svg:g[@class='vr-x-arrow']/*[@class='vr-x-head']", NS)
        assert [h.tag.split("}")[1] for h in heads] == [tag]
        assert (heads[0].get("fill") == "#e03131") is filled
        assert drawing.warnings == ()

    def test_arrow_head_points_along_the_last_segment(self):
        drawn = element("arrow", points=[[0, 0], [200, 0]], endArrowhead="arrow")
        _, root = render(json.dumps(scene(drawn)))
        d = root.find(".//svg:path[@class='vr-x-head']", NS).get("d")
        wing_a, tip, wing_b = (tuple(map(float, p.split())) for p in re.split("[ML]", d)[1:])
        assert tip == (200, 0)
        assert wing_a[0] == wing_b[0] < 200 and wing_a[1] == -wing_b[1]

    def test_both_ends(self):
        drawn = element(
            "arrow", points=[[0, 0], [200, 0]], startArrowhead="dot", endArrowhead="triangle"
        )
        _, root = render(json.dumps(scene(drawn)))
        assert len(root.findall(".//*[@class='vr-x-head']", NS)) == 2

    def test_unknown_head_warns_and_draws_an_arrow(self):
        drawn = element("arrow", id="a1", endArrowhead="harpoon")
        drawing, root = render(json.dumps(scene(drawn)))
        assert drawing.warnings == (
            "diagrams/test.excalidraw.md: arrow 'a1' has unknown endArrowhead 'harpoon'; "
            "drawn as an arrow",
        )
        assert len(root.findall(".//*[@class='vr-x-head']", NS)) == 1


class TestImages:
    def test_files_data_url_is_used(self):
        url = "data:image/png;base64," + base64.b64encode(PNG).decode()
        drawing, root = render(
            json.dumps(
                scene(
                    element("image", fileId="f1"),
                    files={"f1": {"mimeType": "image/png", "dataURL": url}},
                )
            )
        )
        assert root.find(".//svg:image", NS).get("href") == url
        assert drawing.warnings == ()

    def test_active_data_url_becomes_a_placeholder(self):
        bad = {
            "f1": {"mimeType": "text/html", "dataURL": "data:text/html,<script>alert(1)</script>"}
        }
        drawing, root = render(json.dumps(scene(element("image", fileId="f1"), files=bad)))
        assert root.find(".//svg:image", NS) is None
        assert root.find(".//svg:g[@class='vr-x-missing']", NS) is not None
        assert "dataURL that is not an inline image" in drawing.warnings[0]

    @pytest.mark.parametrize(
        ("content", "expected"),
        [
            (PNG, "data:image/png;base64,"),
            (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "data:image/svg+xml;base64,"),
            (b"plain text, not an image", None),
        ],
    )
    def test_vault_files_are_sniffed(self, content, expected):
        source = obsidian(scene(element("image", fileId="abc")), embedded={"abc": "icons/icon.bin"})
        asked = []

        def resolve(name: str) -> bytes:
            asked.append(name)
            return content

        drawing, root = render(source, resolve)
        assert asked == ["icons/icon.bin"]
        image = root.find(".//svg:image", NS)
        if expected:
            assert image.get("href").startswith(expected)
        else:
            assert image is None
            assert "is not a PNG, JPEG, GIF, WebP or SVG image" in drawing.warnings[0]

    def test_unreadable_vault_file_is_a_placeholder(self):
        source = obsidian(scene(element("image", fileId="abc")), embedded={"abc": "x.png"})

        def resolve(_name: str) -> bytes:
            raise PermissionError("denied")

        drawing, root = render(source, resolve)
        assert (
            root.find(".//svg:g[@class='vr-x-missing']/svg:title", NS).text
            == "Missing embedded file: x.png"
        )
        assert "cannot be read (denied)" in drawing.warnings[0]
        assert drawing.missing_files == (), "it exists; it could not be read"

    def test_a_missing_file_shown_twice_is_one_warning(self):
        twice = scene(
            element("image", id="a", fileId="abc"), element("image", id="b", fileId="abc")
        )
        drawing, root = render(obsidian(twice, embedded={"abc": "gone.png"}))
        assert len(root.findall(".//svg:g[@class='vr-x-missing']", NS)) == 2
        assert drawing.missing_files == ("gone.png",)
        assert drawing.warnings == (
            missing_file_warning("diagrams/test.excalidraw.md", "gone.png"),
        )
        assert drawing.warnings[0].endswith(
            ": embedded file 'gone.png' not found; drawn as a labelled placeholder"
        )


class TestBadDrawings:
    """A bad drawing yields a placeholder and a warning naming the file, never an error."""

    NAME = "diagrams/bad.excalidraw.md"

    @staticmethod
    def good_block() -> str:
        return obsidian(
            scene(element("rectangle"), element("text", text="kept text")),
            text_elements=("kept text",),
        )

    @pytest.mark.parametrize(
        ("mangle", "reason"),
        [
            (
                lambda s: s.replace("```compressed-json\n", "```compressed-json\n!!"),
                "'!' is not a base64 character",
            ),
            (
                lambda s: re.sub(r"(```compressed-json\n)(\S+)", r"\1AAAA\2", s),
                "cannot be decompressed",
            ),
            (
                lambda s: s.replace("```compressed-json\n", "```compressed-json\nNoXQ"),
                "cannot be decompressed",
            ),
            (lambda s: s[: s.index("```compressed-json") + 60] + "\n```\n%%", "truncated?"),
            (lambda s: s[: s.index("```compressed-json") + 60], "has no closing ```"),
        ],
        ids=[
            "corrupt-character",
            "corrupt-codes",
            "corrupt-prefix",
            "truncated-block",
            "truncated-file",
        ],
    )
    def test_corrupt_and_truncated_blocks(self, mangle, reason):
        drawing, root = render(mangle(self.good_block()), name=self.NAME)
        assert drawing.element_count == 0
        assert drawing.placeholder
        assert len(drawing.warnings) == 1
        assert drawing.warnings[0].startswith(f"{self.NAME}: ")
        assert reason in drawing.warnings[0]
        assert "vr-drawing-error" in root.get("class")
        assert drawing.texts == ("kept text",), "the text elements survive the broken block"

    @pytest.mark.parametrize(
        ("source", "reason"),
        [
            ("```json\n{not json}\n```", "the json block is not valid JSON"),
            ('{"type": "excalidraw", "elements": {}}', 'no "elements" list'),
            ("[1, 2, 3]", None),
            ('{"elements": ' + "[" * 100_000 + "]" * 100_000 + "}", "nests too deeply"),
            (
                '{"elements": [' + ",".join(["{}"] * 20_001) + "]}",
                "20,001 elements, more than the 20,000",
            ),
        ],
        ids=[
            "invalid-json",
            "elements-not-a-list",
            "json-array",
            "deep-nesting",
            "too-many-elements",
        ],
    )
    def test_invalid_scenes(self, source, reason):
        drawing, root = render(source, name=self.NAME)
        assert drawing.element_count == 0
        assert drawing.placeholder
        assert "vr-drawing-error" in root.get("class")
        if reason:
            assert reason in drawing.warnings[0]

    def test_long_blank_runs_do_not_backtrack(self):
        blanks = " " * 200_000
        source = self.good_block().replace(
            "## Embedded Files\n",
            f"## Embedded Files\nabc: [[x.png]]{blanks}x\n\n## Notes{blanks}x\n",
        )
        drawing, _ = render(source, name=self.NAME)
        assert drawing.element_count == 2

    def test_oversize_source(self):
        source = "x" * (excalidraw_source.MAX_SOURCE_CHARS + 1)
        drawing, _ = render(source, name=self.NAME)
        assert drawing.warnings == (
            f"{self.NAME}: the file is 16,777,217 characters, more than the 16,777,216 allowed",
        )

    def test_oversize_decompressed_block(self, monkeypatch):
        # LZW output grows quadratically in its input: 100,000 characters of JSON
        # compress to a few hundred; the decoder stops at the bound, not at the end.
        monkeypatch.setattr(excalidraw_source, "MAX_JSON_CHARS", 50_000)
        padded = json.dumps({**scene(element("rectangle")), "padding": "a" * 100_000})
        source = obsidian(padded)
        assert len(source) < 2_000
        drawing, _ = render(source, name=self.NAME)
        assert "output exceeds 50,000 characters" in drawing.warnings[0]

    def test_broken_elements_are_skipped_with_warnings(self):
        data = scene(
            element("rectangle", id="ok"),
            element("rectangle", id="bad-colour", strokeColor="url(https://evil.example/x)"),
            element("line", id="no-points", points=[]),
            element("teleporter", id="alien"),
            element("rectangle", id="nan", x=None, width="wide"),
        )
        data["elements"].append("not an object")
        drawing, _ = render(json.dumps(data), name=self.NAME)
        assert drawing.element_count == 3
        assert "evil.example" not in drawing.svg
        assert sorted(w.split(": ", 1)[1] for w in drawing.warnings) == sorted(
            [
                '1 entries of "elements" are not objects; skipped',
                "rectangle 'bad-colour' has an invalid strokeColor "
                "'url(https://evil.example/x)'; using #1e1e1e",
                "line 'no-points' has no points; skipped",
                "element 3 has unknown type 'teleporter'; skipped",
            ]
        )


class TestBoundsAndDeterminism:
    def test_ten_thousand_elements(self):
        kinds = ("rectangle", "ellipse", "text", "arrow")
        elements = [
            element(
                kinds[i % 4],
                id=f"e{i}",
                x=(i % 100) * 150,
                y=(i // 100) * 100,
                text=f"node {i}",
                endArrowhead="arrow",
            )
            for i in range(10_000)
        ]
        drawing, root = render(obsidian(scene(*elements)))
        assert drawing.warnings == ()
        assert drawing.element_count == 10_000
        assert len(drawing.texts) == 2_500
        assert len(root.findall("svg:g", NS)) == 10_000
        assert len(root.findall(".//svg:path[@class='vr-x-head']", NS)) == 2_500
        left, top, width, height = view_box(root)
        assert (
            left < 0 and top < 0 and left + width > 99 * 150 + 100 and top + height > 99 * 100 + 50
        )
        assert len(drawing.svg) < 8_000_000

    def test_same_source_same_bytes(self):
        source = SEED.read_text(encoding="utf-8")
        first = render_excalidraw(source, name=SEED_NAME, resolve_file=no_files)
        assert render_excalidraw(source, name=SEED_NAME, resolve_file=no_files) == first

    def test_same_bytes_across_processes(self):
        code = (
            "import hashlib, pathlib, sys\n"
            "from vault_renderer.drawings import render_excalidraw\n"
            "s = pathlib.Path(sys.argv[1]).read_text(encoding='utf-8')\n"
            "r = render_excalidraw(s, name='x', resolve_file=lambda n: None)\n"
            "print(hashlib.sha256(r.svg.encode()).hexdigest())\n"
        )
        digests = {
            subprocess.run(
                [sys.executable, "-c", code, str(SEED)],
                env={"PYTHONHASHSEED": seed, "PATH": ""},
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            for seed in ("1", "2")
        }
        assert len(digests) == 1

    def test_ids_differ_between_drawings(self):
        hatched = element("rectangle", backgroundColor="#ffc9c9", fillStyle="hachure")
        one = render_excalidraw(json.dumps(scene(hatched)), name="a", resolve_file=no_files)
        two = render_excalidraw(
            json.dumps(scene(hatched, element("ellipse"))), name="b", resolve_file=no_files
        )
        ids = [re.search(r'<pattern id="([^"]+)"', d.svg).group(1) for d in (one, two)]
        assert ids[0] != ids[1]
