"""The SVG sanitiser: known XSS vectors, draw.io's own output, and what must survive."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from vault_renderer.drawings import DrawingError, sanitize_svg
from vault_renderer.drawings import sanitize as sanitize_module

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
XSS = sorted((HERE / "xss").glob("*.svg"))
SEED_000 = REPO.parent / "shared" / "seeds" / "000_e6c40319b907d6bc.txt"
SEED_NOTE = (
    REPO / "docs" / "06 Architecture" / "06-04 Shared Responsibility Model - Architecture.md"
)
SVG = "http://www.w3.org/2000/svg"
XHTML = "http://www.w3.org/1999/xhtml"
XLINK = "http://www.w3.org/1999/xlink"

# Constructs that run code or load something; none may survive sanitising.
ACTIVE_ELEMENTS = {
    "script",
    "animate",
    "animateTransform",
    "animateMotion",
    "set",
    "discard",
    "handler",
    "iframe",
    "frame",
    "object",
    "embed",
    "applet",
    "feImage",
    "link",
    "meta",
    "base",
    "form",
    "input",
    "button",
    "audio",
    "video",
    "math",
}
ACTIVE_CSS = ("expression(", "@import", "-moz-binding", "behavior", "javascript:", "vbscript:")


def drawio_svg() -> str:
    """The draw.io diagram inline in the owner's note (seed 000)."""
    source = SEED_000 if SEED_000.exists() else SEED_NOTE
    text = source.read_text(encoding="utf-8")
    return text[text.index("<svg") : text.index("</svg>") + len("</svg>")]


def assert_inert(svg: str) -> None:
    """Fail if anything in ``svg`` could run script or fetch a resource."""
    root = ET.fromstring(svg)
    for node in root.iter():
        namespace, _, name = node.tag[1:].partition("}")
        assert namespace in (SVG, XHTML), node.tag
        if namespace == XHTML:
            assert name not in ACTIVE_ELEMENTS and name != "style", name
        else:
            assert name not in ACTIVE_ELEMENTS, name
        for key, value in node.attrib.items():
            local = key.rpartition("}")[2]
            assert not local.lower().startswith("on"), f"{key} on {name}"
            squeezed = re.sub(r"[\x00-\x20]+", "", value).lower()
            assert "javascript:" not in squeezed and "vbscript:" not in squeezed, value
            if local in ("href", "src"):
                assert squeezed.startswith(("#", "data:image/")) or name == "a", value
                if name == "a":
                    assert not squeezed.startswith(("data:", "//")), value
            if local == "style" or "url(" in squeezed:
                assert not any(token in squeezed for token in ACTIVE_CSS), value
                assert all(
                    u.strip("'\"").startswith(("#", "data:image/"))
                    for u in re.findall(r"url\(([^)]*)\)", squeezed)
                ), value
        if name == "style" and node.text:
            text = re.sub(r"\s+", "", node.text).lower()
            assert not any(token in text for token in ACTIVE_CSS), node.text
            assert all(u.strip("'\"").startswith("#") for u in re.findall(r"url\(([^)]*)\)", text))


def vector_source(path: Path) -> str:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    if first_line.startswith("<?"):
        first_line = path.read_text(encoding="utf-8").splitlines()[1]
    return first_line


class TestXssCorpus:
    def test_corpus_is_at_least_twenty_sourced_vectors(self):
        assert len(XSS) >= 20
        for path in XSS:
            assert re.match(r"<!-- source: .+ -->$", vector_source(path)), path.name

    @pytest.mark.parametrize("path", XSS, ids=[p.stem for p in XSS])
    def test_no_executable_construct_survives(self, path):
        text = path.read_text(encoding="utf-8")
        if "must be refused" in vector_source(path):
            with pytest.raises(DrawingError, match="DOCTYPE is not allowed"):
                sanitize_svg(text)
            return
        result = sanitize_svg(text)
        assert_inert(result.svg)
        assert sanitize_svg(text) == result, "deterministic"


class TestDrawioDiagram:
    def test_keeps_every_label_and_the_diagram_data(self):
        original = drawio_svg()
        result = sanitize_svg(original)
        assert result.removed == ()
        before, after = ET.fromstring(original), ET.fromstring(result.svg)
        assert " ".join("".join(after.itertext()).split()) == " ".join(
            "".join(before.itertext()).split()
        )
        for label in (
            "Serverless",
            "Microservices",
            "Containers",
            "Traditional",
            "Global workforce",
        ):
            assert label in "".join(after.itertext())
        assert after.get("content") == before.get("content")
        assert after.get("content").startswith("<mxfile host=")
        assert len(list(after.iter())) == len(list(before.iter()))
        assert after.get("class") == "vr-drawing vr-drawio"
        assert_inert(result.svg)

    def test_output_is_stable_when_sanitised_again(self):
        once = sanitize_svg(drawio_svg())
        twice = sanitize_svg(once.svg)
        assert twice.svg == once.svg and twice.removed == ()


class TestWhatIsRemoved:
    @pytest.mark.parametrize(
        ("markup", "removed"),
        [
            ('<svg onload="x()"/>', "onload attribute on <svg>"),
            ("<svg><script>x()</script></svg>", "script element"),
            ('<svg><a href="javascript:x()"/></svg>', "javascript: URL in href on <a>"),
            ('<svg><a xlink:href="vbscript:x"/></svg>', "vbscript: URL in xlink:href on <a>"),
            ('<svg><a href="data:text/html,x"/></svg>', "data:text/html URL in href on <a>"),
            (
                '<svg><a href="\\\\host.example/x"/></svg>',
                "external reference '\\\\host.example/x' in href on <a>",
            ),
            (
                '<svg><image href="https://host.example/i.png"/></svg>',
                "external reference 'https://host.example/i.png' in href on <image>",
            ),
            (
                '<svg><use href="other.svg#a"/></svg>',
                "external reference 'other.svg#a' in href on <use>",
            ),
            (
                '<svg><rect fill="url(https://host.example/p#x)"/></svg>',
                "CSS url() to an external or active resource in fill on <rect>",
            ),
            (
                '<svg><rect style="fill:red;behavior:url(x.htc)"/></svg>',
                "CSS behavior in style on <rect>",
            ),
            ("<svg><style>@import 'x.css';</style></svg>", "CSS at-rule '@import' in <style>"),
            (
                '<svg><foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><iframe/></div></foreignObject></svg>',
                "iframe element inside <foreignObject>",
            ),
            (
                '<svg><foreignObject><form xmlns="http://www.w3.org/1999/xhtml"><input/></form></foreignObject></svg>',
                "form element inside <foreignObject>",
            ),
            (
                '<svg xmlns:i="urn:inkscape"><i:namedview/></svg>',
                "namedview (urn:inkscape) element",
            ),
            ('<svg><g data-md-component="search"/></svg>', "data-md-component attribute on <g>"),
        ],
    )
    def test_reports_what_it_strips(self, markup, removed):
        result = sanitize_svg(markup)
        assert removed in result.removed
        assert_inert(result.svg)

    @pytest.mark.parametrize(
        ("markup", "kept"),
        [
            (
                '<svg><a href="https://aws.amazon.com/lambda/" target="_blank">'
                "<text>L</text></a></svg>",
                'href="https://aws.amazon.com/lambda/" target="_blank"',
            ),
            (
                '<svg><a href="../07%20Compute/x.md#aws-lambda"><text>L</text></a></svg>',
                'href="../07%20Compute/x.md#aws-lambda"',
            ),
            ('<svg><rect fill="url(#grad)"/></svg>', 'fill="url(#grad)"'),
            ('<svg><use xlink:href="#shape"/></svg>', 'xlink:href="#shape"'),
            (
                '<svg><image href="data:image/png;base64,AAAA"/></svg>',
                'href="data:image/png;base64,AAAA"',
            ),
            (
                '<svg><foreignObject><div xmlns="http://www.w3.org/1999/xhtml"'
                ' style="color: rgb(1, 2, 3)">'
                'a<br/>b<font color="red">c</font></div></foreignObject></svg>',
                '<div xmlns="http://www.w3.org/1999/xhtml" style="color: rgb(1, 2, 3)">'
                'a<br/>b<font color="red">c</font></div>',
            ),
            ('<svg><text>a &lt; b &amp; "c"</text></svg>', '<text>a &lt; b &amp; "c"</text>'),
            ("<svg><text>&nbsp;&copy;</text></svg>", "<text>\xa0©</text>"),
        ],
    )
    def test_keeps_what_is_safe(self, markup, kept):
        result = sanitize_svg(markup)
        assert kept in result.svg
        assert result.removed == ()

    def test_style_element_is_scoped_to_its_drawing(self):
        result = sanitize_svg(
            "<svg><style>text { fill: red } svg > g, .a { stroke: blue }</style></svg>"
        )
        scope = re.search(r"vr-scope-[0-9a-f]+", result.svg).group(0)
        root = ET.fromstring(result.svg)
        assert root.get("class") == f"vr-drawing vr-drawio {scope}"
        css = root.find(f"{{{SVG}}}style").text
        assert f".{scope} text {{ fill: red }}" in css
        assert (
            f"svg.{scope} &gt; g, .{scope} .a" in result.svg
            or f"svg.{scope} > g, .{scope} .a" in css
        )

    @pytest.mark.parametrize(
        "style",
        [
            "fill: red; background: " + "url(" * 200_000,
            "background: url(#a) url(https://host.example/x)",
            "background: url( 'https://host.example/x' )",
            "background: url(url(#a))",
        ],
        ids=["many-unclosed", "second-external", "quoted-spaced", "nested"],
    )
    def test_url_in_css_is_checked_in_linear_time(self, style):
        result = sanitize_svg(f'<svg><rect style="{style}"/></svg>')
        assert "style on <rect>" in result.removed[0]
        assert "url(" not in result.svg

    def test_xhtml_never_self_closes_a_non_void_element(self):
        # HTML would leave <div/> open and swallow what follows into it.
        result = sanitize_svg(
            '<svg><foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><span/><br/></div></foreignObject></svg>'
        )
        assert "<span></span><br/>" in result.svg


class TestRefusedInput:
    @pytest.mark.parametrize(
        ("markup", "message"),
        [
            ("<svg><rect></svg>", "svg:1:14: not well-formed XML: mismatched tag"),
            ("<html/>", "the root element is <html>, not <svg>"),
            ("<svg/><svg/>", "expected exactly one <svg> element and nothing around it"),
            ("text <svg/>", "expected exactly one <svg> element and nothing around it"),
            ('<!DOCTYPE svg SYSTEM "x.dtd"><svg/>', "a DOCTYPE is not allowed"),
            ("<svg>&undefined;</svg>", "undefined entity"),
            ("", "expected exactly one <svg> element and nothing around it"),
        ],
    )
    def test_malformed_input_raises_a_drawing_error(self, markup, message):
        with pytest.raises(DrawingError) as error:
            sanitize_svg(markup)
        assert message in str(error.value)
        assert isinstance(error.value, ValueError)

    def test_error_carries_line_and_column(self):
        with pytest.raises(DrawingError) as error:
            sanitize_svg("<svg>\n<g>\n</svg>")
        assert (error.value.source, error.value.line) == ("svg", 3)

    def test_size_and_depth_bounds(self, monkeypatch):
        monkeypatch.setattr(sanitize_module, "MAX_SVG_CHARS", 100)
        with pytest.raises(DrawingError, match="more than the 100 allowed"):
            sanitize_svg("<svg>" + " " * 100 + "</svg>")
        monkeypatch.setattr(sanitize_module, "MAX_SVG_CHARS", 1000)
        monkeypatch.setattr(sanitize_module, "MAX_DEPTH", 10)
        with pytest.raises(DrawingError, match="deeper than 10 levels"):
            sanitize_svg("<svg>" + "<g>" * 20 + "</g>" * 20 + "</svg>")
