"""Text alternatives in the HTML the build writes: task states and drawings."""

from __future__ import annotations

import markdown
import pytest
from vault_renderer.drawings.a11y import describe_svg, drawing_labels, drawing_title

SVG = '<svg xmlns="http://www.w3.org/2000/svg" class="vr-drawing"{attrs}>{body}</svg>'


class TestTaskState:
    @pytest.mark.parametrize(
        ("source", "state"),
        [("- [ ] write it", "To do: "), ("- [x] write it", "Done: "), ("- [X] write it", "Done: ")],
    )
    @pytest.mark.parametrize("custom", [True, False])
    def test_box_is_hidden_and_state_is_text(self, source, state, custom):
        html = markdown.markdown(
            source,
            extensions=["pymdownx.tasklist", "vault_renderer.tasks"],
            extension_configs={"pymdownx.tasklist": {"custom_checkbox": custom}},
        )
        assert f'<span class="md-visually-hidden">{state}</span> write it' in html
        assert html.count('aria-hidden="true"') == 1
        assert ("task-list-control" in html) is custom

    def test_other_checkboxes_are_left_alone(self):
        html = markdown.markdown(
            '<input type="checkbox" name="x">', extensions=["vault_renderer.tasks"]
        )
        assert "md-visually-hidden" not in html


class TestDrawingTitle:
    @pytest.mark.parametrize(
        ("path", "title"),
        [
            ("diagrams/Read path.excalidraw.md", "Read path"),
            ("a/b.excalidraw", "b"),
            ("x.drawio.svg", "x"),
            ("06 Architecture/06-04 Shared Responsibility.md", "06-04 Shared Responsibility"),
            ("plain", "plain"),
        ],
    )
    def test_file_name_without_drawing_suffixes(self, path, title):
        assert drawing_title(path) == title


class TestDescribeSvg:
    def test_named_image_described_by_its_labels(self):
        body = "<text>Load <tspan>balancer</tspan></text><g><text>EC2</text></g>"
        out = describe_svg(SVG.format(attrs="", body=body), "Read & write")
        assert out.startswith(
            '<svg xmlns="http://www.w3.org/2000/svg" class="vr-drawing" role="img"'
            ' aria-label="Read &amp; write">'
        )
        assert out.endswith(
            '<desc data-search-exclude="">Labels in the drawing: Load balancer; EC2.</desc></svg>'
        )
        assert body in out

    def test_drawio_label_counted_once_and_its_help_link_ignored(self):
        body = (
            "<switch><foreignObject><div xmlns='http://www.w3.org/1999/xhtml'>Fargate<br/>"
            "containers</div></foreignObject><text>Fargate...</text></switch>"
            "<switch><g/><a href='https://example.org'><text>Text is not SVG</text></a></switch>"
        )
        assert drawing_labels(SVG.format(attrs="", body=body)) == (
            ["Fargate containers"],
            False,
        )
        assert ' role="img"' in describe_svg(SVG.format(attrs="", body=body), "d")

    def test_a_drawing_with_links_stays_a_group(self):
        body = "<a href='../x/'><text>Go</text></a>"
        assert ' role="group"' in describe_svg(SVG.format(attrs="", body=body), "d")

    def test_existing_name_and_role_are_kept(self):
        attrs = ' role="img" aria-label="Own"'
        out = describe_svg(SVG.format(attrs=attrs, body="<title>Own</title>"), "File")
        assert out == SVG.format(attrs=attrs, body="<title>Own</title>")

    @pytest.mark.parametrize("markup", ["<p>not a drawing</p>", "<svg/>", "<svg><text>x</svg>"])
    def test_other_markup_is_unchanged_or_left_undescribed(self, markup):
        out = describe_svg(markup, "d")
        assert "<desc" not in out
