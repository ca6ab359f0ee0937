"""``make check`` reports the raw HTML in a note that the site's page sanitiser removes."""

from __future__ import annotations

import pytest

from tests.check.vaults import GOOD_NOTE, GOOD_TARGET, findings, run, write_vault

GOOD = {"docs/notes/Caching.md": GOOD_NOTE, "docs/compute/Compute.md": GOOD_TARGET}
FIX = (
    " — write it in Markdown instead, or show it as code in a fenced code block; only the "
    "tool pages under docs/tools/ may hold scripts and forms"
)


def case(note: str, *expected: str, path: str = "docs/notes/Bad.md"):
    """A vault made of the good vault plus one note at ``path`` holding ``note``."""
    return pytest.param({**GOOD, path: note}, list(expected))


RAW_HTML = {
    "a script": case(
        "# Bad\n\nText <script>alert(1)</script> here.\n",
        "docs/notes/Bad.md:3:6: warning: VAULT023 the page sanitiser would remove <script> "
        "element (notes cannot run code)" + FIX,
    ),
    "handlers, javascript: links and an iframe": case(
        '# Bad\n\n<img src="x.png" onerror="alert(2)">\n\n<a href="javascript:alert(3)">x</a>'
        '\n\n<iframe src="https://example.com"></iframe>\n',
        "docs/notes/Bad.md:3:1: warning: VAULT023 the page sanitiser would remove onerror "
        "attribute on <img> (notes cannot run code)" + FIX,
        "docs/notes/Bad.md:5:1: warning: VAULT023 the page sanitiser would remove javascript: "
        "URL in href on <a> (notes cannot run code)" + FIX,
        "docs/notes/Bad.md:7:1: warning: VAULT031 embedded page on example.com "
        "(https://example.com) is shown as a link to its site: the site loads nothing from "
        "other hosts — nothing to fix unless you have the file: a player or page stays a link",
    ),
    "an SVG in the middle of a line is checked as a drawing": case(
        '# Bad\n\nInline <svg xmlns="http://www.w3.org/2000/svg" onload="x()"><rect/></svg>.\n',
        "docs/notes/Bad.md:3:8: warning: VAULT022 the SVG sanitiser would remove onload "
        "attribute on <svg> — remove them from the drawing: the page shows it without them (in "
        "draw.io, drop links to other sites and custom scripts, then export again)",
    ),
    "HTML in code, comments, autolinks and front matter is not HTML": case(
        '---\ntitle: "<script>x</script>"\n---\n# Fine\n\n`<script>` and <https://example.com>'
        " and <team@example.com>.\n\n```html\n<iframe></iframe>\n```\n\n"
        "%% <script>draft</script> %%\n\n<!-- a comment -->\n\n"
        "<details open><summary>More</summary><p>H<sub>2</sub>O <kbd>Ctrl</kbd></p></details>\n"
    ),
    "a tool page is reviewed code": case(
        '# Tool\n\n<form><input type="text"></form>\n<script src="x.js"></script>\n',
        path="docs/tools/tool.md",
    ),
}


@pytest.mark.parametrize(("files", "expected"), RAW_HTML.values(), ids=RAW_HTML)
def test_raw_html(files, expected, tmp_path, monkeypatch, capsys):
    write_vault(tmp_path, files)
    assert findings(run(tmp_path, monkeypatch, capsys)[1]) == expected
