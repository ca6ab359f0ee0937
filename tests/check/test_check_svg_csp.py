"""VAULT022 also names what the strict-CSP steps of the build would drop from an SVG.

The sanitiser's own removals are covered in test_check_findings.py; these are the CSS
that cannot move to the site's stylesheet (``externalise_styles``) and the ``data:``
images that cannot become files (``move_data_images``).
"""

from __future__ import annotations

import pytest

from tests.check.vaults import GOOD_NOTE, GOOD_TARGET, findings, run, write_vault

GOOD = {"docs/notes/Caching.md": GOOD_NOTE, "docs/compute/Compute.md": GOOD_TARGET}
FIX = (
    " — remove them from the drawing: the page shows it without them (in draw.io, drop "
    "links to other sites and custom scripts, then export again)"
)
UNCLOSED_DRAWIO = (
    '<svg xmlns="http://www.w3.org/2000/svg" content="&lt;mxfile/&gt;">'
    '<text style="fill: red; font-family: &quot;Helvetica">A</text></svg>'
)
BAD_SVG_IMAGE = (
    '<svg xmlns="http://www.w3.org/2000/svg" content="&lt;mxfile/&gt;">'
    '<image href="data:image/svg+xml,&lt;html/&gt;"/></svg>'
)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {
                "docs/notes/Bad.md": "# Bad\n\n![[flow.drawio.svg]]\n",
                "diagrams/flow.drawio.svg": UNCLOSED_DRAWIO,
            },
            "diagrams/flow.drawio.svg:1:1: warning: VAULT022 the SVG sanitiser would remove "
            "CSS 'font-family: \"Helvetica' in style on <text>: it does not close what it "
            "opens" + FIX,
            id="unclosed string in a draw.io file",
        ),
        pytest.param(
            {
                "docs/notes/Bad.md": '# Bad\n\n<svg xmlns="http://www.w3.org/2000/svg">'
                '<rect width="1" style="fill: rgb(1, 2, 3"/></svg>\n'
            },
            "docs/notes/Bad.md:3:1: warning: VAULT022 the SVG sanitiser would remove CSS "
            "'fill: rgb(1, 2, 3' in style on <rect>: it does not close what it opens" + FIX,
            id="open function in an inline SVG",
        ),
        pytest.param(
            {
                "docs/notes/Bad.md": "# Bad\n\n![[flow.drawio.svg]]\n",
                "diagrams/flow.drawio.svg": BAD_SVG_IMAGE,
            },
            "diagrams/flow.drawio.svg:1:1: warning: VAULT022 the SVG sanitiser would remove "
            "dropped a data:image/svg+xml image that cannot be read (the root element is "
            "<html>, not <svg>) in href on <image>" + FIX,
            id="unreadable SVG image",
        ),
    ],
)
def test_what_the_csp_steps_drop_is_reported(tmp_path, monkeypatch, capsys, files, expected):
    write_vault(tmp_path, {**GOOD, **files})
    status, lines = run(tmp_path, monkeypatch, capsys)
    assert findings(lines) == [expected]
    assert status == 0  # a warning, like the sanitiser's own removals


def test_css_and_images_that_move_cleanly_are_not_reported(tmp_path, monkeypatch, capsys):
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" content="&lt;mxfile/&gt;">'
        '<text style="font-family: &quot;Helvetica&quot;; fill: rgb(1, 2, 3)">A</text>'
        '<image href="data:image/png;base64,iVBORw0KGgo="/></svg>'
    )
    files = {
        "docs/notes/Good.md": "# Good\n\n![[flow.drawio.svg]]\n",
        "diagrams/flow.drawio.svg": svg,
    }
    write_vault(tmp_path, {**GOOD, **files})
    status, lines = run(tmp_path, monkeypatch, capsys)
    assert (status, findings(lines)) == (0, [])
