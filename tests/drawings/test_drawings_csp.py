"""Moving a sanitised drawing's CSS into classes, so that a strict CSP holds."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from vault_renderer.drawings import (
    DRAWING_CSS,
    drawing_stylesheet,
    externalise_styles,
    sanitize_svg,
)

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SEED_NOTE = (
    REPO / "docs" / "06 Architecture" / "06-04 Shared Responsibility Model - Architecture.md"
)

# A sanitised draw.io-like drawing: styles on the root, on a shape and on its HTML label
# (two of them alike), a scoped <style>, and a `content` mxfile that mentions style too.
SANITISED = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
    ' content="&lt;mxfile&gt;&lt;diagram style=&quot;fill:red&quot;/&gt;&lt;/mxfile&gt;"'
    ' style="background: #fff" class="vr-drawing vr-drawio vr-scope-e01662660a">'
    "<defs><style>.vr-scope-e01662660a rect { stroke: blue }\n"
    "svg.vr-scope-e01662660a &gt; g { opacity: 1 }\n</style></defs>"
    '<rect class="box" width="10" height="10" style="fill: red; stroke-width: 2"/>'
    '<foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml"'
    ' style="display: flex"><span style="fill: red; stroke-width: 2">A &amp; B</span>'
    "</div></foreignObject></svg>"
)
EXPECTED_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
    ' content="&lt;mxfile&gt;&lt;diagram style=&quot;fill:red&quot;/&gt;&lt;/mxfile&gt;"'
    ' class="vr-drawing vr-drawio vr-scope-e01662660a vr-s-b6badc09c1"><defs/>'
    '<rect class="box vr-s-2e809b60fb" width="10" height="10"/>'
    '<foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml"'
    ' class="vr-s-e8de84c689"><span class="vr-s-2e809b60fb">A &amp; B</span>'
    "</div></foreignObject></svg>"
)
EXPECTED_CSS = (
    ".vr-scope-e01662660a rect { stroke: blue }\nsvg.vr-scope-e01662660a > g { opacity: 1 }",
    ":where(.vr-drawing .vr-s-2e809b60fb, .vr-drawing.vr-s-2e809b60fb)"
    " { fill: red !important; stroke-width: 2 !important }",
    ":where(.vr-drawing .vr-s-b6badc09c1, .vr-drawing.vr-s-b6badc09c1)"
    " { background: #fff !important }",
    ":where(.vr-drawing .vr-s-e8de84c689, .vr-drawing.vr-s-e8de84c689)"
    " { display: flex !important }",
)


def seed_drawing() -> str:
    text = SEED_NOTE.read_text(encoding="utf-8")
    return sanitize_svg(text[text.index("<svg") : text.index("</svg>") + len("</svg>")]).svg


def wrap(body: str, style: str = "") -> str:
    """A sanitised drawing around ``body``."""
    return sanitize_svg(
        f'<svg xmlns="http://www.w3.org/2000/svg"><style>{style}</style>{body}</svg>'
        if style
        else f'<svg xmlns="http://www.w3.org/2000/svg">{body}</svg>'
    ).svg


class TestGolden:
    def test_styles_become_classes_and_rules(self):
        result = externalise_styles(SANITISED)
        assert result.svg == EXPECTED_SVG
        assert result.css == EXPECTED_CSS
        assert result.removed == ()

    def test_a_drawing_without_css_is_unchanged(self):
        svg = wrap(
            '<rect class="a" width="1" height="1" fill="red"/><text x="1">Hi &amp; bye</text>'
        )
        result = externalise_styles(svg)
        assert (result.svg, result.css, result.removed) == (svg, (), ())

    def test_the_seed_diagram_keeps_everything_but_its_inline_css(self):
        sanitised = seed_drawing()
        result = externalise_styles(sanitised)
        assert 'style="' in sanitised and "style=" not in result.svg
        assert "<style" not in result.svg and result.removed == ()
        # Taking the classes back out gives the sanitised drawing without its styles.
        assert re.sub(r' class="vr-s-[0-9a-f]{10}"| vr-s-[0-9a-f]{10}', "", result.svg) == (
            re.sub(r' style="[^"]*"', "", sanitised)
        )
        assert len(result.css) == len(set(re.findall(r' style="([^"]*)"', sanitised)))


class TestDeterminism:
    def test_same_input_same_output(self):
        assert externalise_styles(seed_drawing()) == externalise_styles(seed_drawing())

    def test_class_names_are_content_hashes_shared_across_drawings(self):
        one = externalise_styles(wrap('<rect style="fill: red"/>'))
        two = externalise_styles(
            wrap('<circle r="1" style="fill: red"/><rect style="fill: blue"/>')
        )
        (name,) = re.findall(r"vr-s-[0-9a-f]{10}", one.svg)
        assert name in two.svg and one.css[0] in two.css

    def test_stylesheet_is_independent_of_build_order(self):
        pieces = [*externalise_styles(SANITISED).css, *externalise_styles(seed_drawing()).css]
        forwards = drawing_stylesheet(pieces)
        assert forwards == drawing_stylesheet(reversed(pieces + pieces))
        # The drawings' own stylesheets first, the rules for style attributes after.
        assert forwards.startswith(".vr-scope-e01662660a rect { stroke: blue }\n")
        assert forwards.count("\n:where(") == len(pieces) - 1


class TestSpecificity:
    @pytest.mark.parametrize(
        ("style", "rule"),
        [
            # Normal: beats every normal rule (!important), loses to every !important
            # rule (zero specificity), as a style attribute does.
            (
                "fill: red; stroke: blue",
                ":where(.vr-drawing .vr-s-{h}, .vr-drawing.vr-s-{h})"
                " { fill: red !important; stroke: blue !important }",
            ),
            # Already !important: kept once, with specificity to beat other !important.
            (
                "fill: red !important",
                ":is(.vr-drawing .vr-s-{h}, .vr-drawing.vr-s-{h}) { fill: red !important }",
            ),
            (
                "fill: red; stroke: blue ! IMPORTANT",
                ":where(.vr-drawing .vr-s-{h}, .vr-drawing.vr-s-{h}) { fill: red !important }\n"
                ":is(.vr-drawing .vr-s-{h}, .vr-drawing.vr-s-{h}) { stroke: blue ! IMPORTANT }",
            ),
        ],
    )
    def test_rule_shape(self, style, rule):
        result = externalise_styles(wrap(f'<rect style="{style}"/>'))
        (name,) = re.findall(r"vr-s-([0-9a-f]{10})", result.svg)
        assert result.css == (rule.replace("{h}", name),)

    def test_rules_only_apply_inside_drawings(self):
        for rule in externalise_styles(seed_drawing()).css:
            selectors = rule.split(" {", 1)[0]
            assert selectors.startswith((":where(.vr-drawing ", ".vr-scope-", "svg.vr-scope-"))


class TestWhatMoves:
    def test_content_attribute_is_kept_exactly(self):
        sanitised = seed_drawing()
        content = re.search(r' content="[^"]*"', sanitised)
        assert content is not None and len(content[0]) > 1000
        assert content[0] in externalise_styles(sanitised).svg

    def test_style_elements_move_out_with_their_scope(self):
        svg = wrap(
            '<g class="k"><rect/></g>',
            style=".k rect { fill: red } @media print { g { opacity: 0 } }",
        )
        result = externalise_styles(svg)
        assert "<style" not in result.svg
        (scope,) = re.findall(r"vr-scope-[0-9a-f]{10}", svg)[:1]
        assert scope in result.svg.split(">", 1)[0]
        assert result.css == (
            f".{scope} .k rect {{ fill: red }}\n@media print {{\n.{scope} g {{ opacity: 0 }}\n}}",
        )

    def test_existing_classes_are_kept_first(self):
        result = externalise_styles(wrap('<rect class="a b" style="fill: red"/>'))
        assert re.search(r'<rect class="a b vr-s-[0-9a-f]{10}"/>', result.svg)

    @pytest.mark.parametrize(
        "declaration",
        [
            'font-family: "Helvetica',  # a string the attribute's end closed
            "fill: rgb(1, 2, 3",  # an open function
            "fill: red\\",  # an escape of nothing
            "fill: red } body { display: none",  # a way out of the rule
            "fill: red] ",
        ],
    )
    def test_css_that_would_leak_into_a_shared_stylesheet_is_reported_not_moved(self, declaration):
        style = html.escape(f"stroke: blue; {declaration}", quote=True)
        svg = wrap('<rect width="1"/>').replace('<rect width="1"/>', f'<rect style="{style}"/>')
        result = externalise_styles(svg)
        assert len(result.removed) == 1 and "does not close what it opens" in result.removed[0]
        assert result.css[0].endswith("{ stroke: blue !important }")
        assert "display" not in "".join(result.css)


# Every way a style attribute meets other rules: the drawing's own (scoped) normal and
# !important rules, and the page's (Material's) normal and !important rules. The
# !important ones have less specificity than `.vr-drawing .vr-s-…`, so rules that only
# outrank them by specificity (not by being :where() rules) would wrongly win.
CASCADE_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">
<style>rect { fill: green } .b { fill: green !important } .c { stroke: green !important }</style>
<rect id="a" width="5" height="5" style="fill: red"/>
<rect id="b" class="b" width="5" height="5" style="fill: red"/>
<rect id="c" class="c" width="5" height="5" style="stroke: red !important"/>
<rect id="d" class="m" width="5" height="5" style="fill: red"/>
<foreignObject width="100" height="40"><div xmlns="http://www.w3.org/1999/xhtml"
 style="display: flex; width: 30px"><span style="color: red">label</span></div></foreignObject>
</svg>"""
PAGE_CSS = "svg rect { fill: blue } span { color: blue } rect.m { fill: blue !important }"
COMPUTED = """() => {
  const css = (selector, property) =>
    getComputedStyle(document.querySelector(selector)).getPropertyValue(property);
  return [css("#a", "fill"), css("#b", "fill"), css("#c", "stroke"), css("#d", "fill"),
          css("foreignObject div", "width"), css("foreignObject span", "color")];
}"""


@pytest.mark.browser
def test_classes_win_exactly_where_the_style_attributes_won(chromium):
    sanitised = sanitize_svg(CASCADE_SVG).svg
    moved = externalise_styles(sanitised)
    computed = []
    context = chromium.new_context()
    try:
        page = context.new_page()
        for css, svg in [
            (PAGE_CSS, sanitised),
            (PAGE_CSS + drawing_stylesheet(moved.css), moved.svg),
        ]:
            page.set_content(
                f"<!doctype html><html><head><style>{DRAWING_CSS}{css}</style></head>"
                f"<body>{svg}</body></html>"
            )
            computed.append(page.evaluate(COMPUTED))
    finally:
        context.close()
    red, green, blue = "rgb(255, 0, 0)", "rgb(0, 128, 0)", "rgb(0, 0, 255)"
    assert computed[0] == [red, green, red, blue, "30px", red]
    assert computed[1] == computed[0]
