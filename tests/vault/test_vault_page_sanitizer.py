"""The page sanitiser alone: golden HTML in, HTML and removals out."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vault_renderer.page_sanitizer import (
    _PLAIN_TAG,
    CODE_PAGES,
    _already_clean,
    _clean_tag,
    _Tokeniser,
    _Writer,
    is_code_page,
    sanitize_page,
)

# What Python-Markdown, its extensions, Material and the vault extension write.
CLEAN = [
    '<h2 id="aws-lambda">AWS Lambda<a class="headerlink" href="#aws-lambda"'
    ' title="Permanent link">&para;</a></h2>',
    '<p>A <mark>highlight</mark>, <span class="vault-unresolved" title="This note is not'
    ' written yet">Gone</span> and <a class="vault-link" href="../Other/">Other</a>.</p>',
    '<table>\n<thead>\n<tr>\n<th style="text-align: left;">Left</th>\n'
    '<th style="text-align: center;">Mid</th>\n</tr>\n</thead>\n</table>',
    '<p>An <abbr title="Availability Zone">AZ</abbr><sup id="fnref:1">'
    '<a class="footnote-ref" href="#fn:1">1</a></sup></p>\n<div class="footnote">\n<hr />\n'
    '<ol>\n<li id="fn:1">\n<p>Note.&#160;<a class="footnote-backref" href="#fnref:1"'
    ' title="Jump back to footnote 1 in the text">&#8617;</a></p>\n</li>\n</ol>\n</div>',
    '<div class="admonition note">\n<p class="admonition-title">Note</p>\n<p>Body</p>\n</div>',
    '<details class="tip" open="open">\n<summary>Tip</summary>\n<p>Body</p>\n</details>',
    '<div class="tabbed-set tabbed-alternate" data-tabs="1:2"><input checked="checked"'
    ' id="__tabbed_1_1" name="__tabbed_1" type="radio" /><div class="tabbed-labels">'
    '<label for="__tabbed_1_1">One</label></div></div>',
    '<ul class="task-list">\n<li class="task-list-item"><label class="task-list-control">'
    '<input type="checkbox" disabled checked/><span class="task-list-indicator"></span>'
    "</label> done</li>\n</ul>",
    '<div class="highlight"><span class="filename">x.py</span><pre><span></span><code>'
    '<a id="__codelineno-0-1" name="__codelineno-0-1" href="#__codelineno-0-1"></a>'
    '<span class="nb">print</span><span class="p">(</span>1 &lt; 2<span class="p">)</span>\n'
    "</code></pre></div>",
    '<p><span class="twemoji"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
    '<path d="M12 2A10 10 0 0 0 2 12"/></svg></span></p>',
    '<p id="^block-1">A block.</p><div class="vault-embed"><p class="vault-embed-heading'
    ' vault-embed-h1">Other</p></div><p><img alt="pic.png" height="50" src="../pic.png"'
    ' width="100" /></p>',
    '<aside class="vault-backlinks" data-search-exclude><p class="vault-backlinks-title">'
    'Linked from</p><ul><li><a href="../Other/">Other</a></li></ul></aside>',
    '<p class="vault-date"><time datetime="2023-10-07">7 October 2023</time></p>',
    "<!-- material/tags -->\n<p>a &amp; b &gt; c &nbsp; <kbd>Ctrl</kbd> <sub>2</sub></p>",
]


class TestCleanHtmlIsUnchanged:
    @pytest.mark.parametrize("html", CLEAN)
    def test_byte_for_byte(self, html: str) -> None:
        result = sanitize_page(html)
        assert result.removed == ()
        assert result.html == html


class TestHostileHtml:
    @pytest.mark.parametrize(
        ("html", "expected", "removed"),
        [
            (
                "<script>alert(1)</script><p>kept</p>",
                "<p>kept</p>",
                ["removed <script> element from the page (notes cannot run code)"],
            ),
            (
                "<img src=x onerror=alert(2)>",
                '<img src="x" />',
                ["removed onerror attribute on <img> from the page (notes cannot run code)"],
            ),
            (
                '<a href="java&#x09;script:alert(3)">x</a>',
                "<a>x</a>",
                ["removed javascript: URL in href on <a> from the page (notes cannot run code)"],
            ),
            (
                '<iframe srcdoc="&lt;script&gt;"></iframe><object data="x"><p>x</p></object>',
                "",
                [
                    "removed <iframe> element from the page (notes cannot run code)",
                    "removed <object> element from the page (notes cannot run code)",
                ],
            ),
            (
                '<form action="https://example.com"><input type="text" autofocus>Go</form>',
                "Go",
                [
                    "removed <form> element (not its content) from the page"
                    " (notes cannot run code)",
                    "removed <input> element (only checkboxes and tabs' radio buttons) from the"
                    " page (notes cannot run code)",
                ],
            ),
            (
                '<meta http-equiv="refresh" content="0"><base href="//x"><style>*{}</style>',
                "",
                [
                    "removed <meta> element from the page (notes cannot run code)",
                    "removed <base> element from the page (notes cannot run code)",
                    "removed <style> element from the page (notes cannot run code)",
                ],
            ),
            (
                '<p style="position: fixed" onclick="x()">a < b</p>',
                "<p>a &lt; b</p>",
                [
                    "removed style attribute on <p> from the page"
                    " (not on the list of HTML a note may use)",
                    "removed onclick attribute on <p> from the page (notes cannot run code)",
                ],
            ),
            (
                "<!-- a --!><img src=x onerror=alert(1)> --><p>after</p>",
                "<p>after</p>",
                [
                    "removed a malformed HTML comment from the page"
                    " (not on the list of HTML a note may use)"
                ],
            ),
            (
                "<script/>alert(1)</script>",
                "alert(1)",
                ["removed <script> element from the page (notes cannot run code)"],
            ),
            (
                '<span class="twemoji"><svg onload="x()" viewBox="0 0 1 1"><path d="M0"/>'
                "</svg></span>",
                '<span class="twemoji"><svg viewbox="0 0 1 1"><path d="M0"/></svg></span>',
                [
                    "removed onload attribute on <svg> in an emoji icon from the page"
                    " (notes cannot run code)"
                ],
            ),
            (
                '<div id="__config">{"search": "x.js"}</div><a id="__codelineno-0-1"></a>',
                '<div>{"search": "x.js"}</div><a id="__codelineno-0-1"></a>',
                [
                    "removed id attribute '__config' on <div> from the page"
                    " (names starting with __ are the theme's)"
                ],
            ),
            (
                "<object><p>never closed</p>",
                "<p>never closed</p>",
                ["removed <object> element from the page (notes cannot run code)"],
            ),
        ],
    )
    def test_removed_and_reported(self, html: str, expected: str, removed: list[str]) -> None:
        result = sanitize_page(html)
        assert result.html == expected
        assert [str(item) for item in result.removed] == removed


class TestSvg:
    def test_every_other_svg_goes_to_the_handler_with_its_markup_and_position(self) -> None:
        calls = []

        def handler(markup: str, line: int, column: int) -> str:
            calls.append((markup, line, column))
            return "<figure>safe</figure>"

        html = (
            '<p>Text <svg onload=alert(4)></svg> inline.</p>\n<div><svg onload="alert(5)">'
            "<script>alert(6)</script></svg></div>\n"
            '<span class="twemoji"><svg><path/><script>alert(7)</script></svg></span>'
        )
        result = sanitize_page(html, svg=handler)
        assert result.html == (
            "<p>Text <figure>safe</figure> inline.</p>\n<div><figure>safe</figure></div>\n"
            '<span class="twemoji"><figure>safe</figure></span>'
        )
        assert calls == [
            ("<svg onload=alert(4)></svg>", 1, 9),
            ('<svg onload="alert(5)"><script>alert(6)</script></svg>', 2, 6),
            ("<svg><path/><script>alert(7)</script></svg>", 3, 23),
        ]
        assert result.removed == ()

    def test_without_a_handler_an_svg_is_removed(self) -> None:
        result = sanitize_page("<p>a<svg><rect/></svg>b</p>")
        assert result.html == "<p>ab</p>"
        assert [str(r) for r in result.removed] == [
            "removed <svg> element from the page (notes cannot run code)"
        ]

    def test_kept_fragments_come_back_only_as_text(self) -> None:
        drawing = '<figure class="vault-drawing"><svg><text>x" onmouseover="y</text></svg></figure>'
        html = f'<p>{drawing}</p><a title="{drawing}">copy</a>'
        result = sanitize_page(html, keep=[drawing])
        assert result.html == f"<p>{drawing}</p><a>copy</a>"
        assert [str(r) for r in result.removed] == [
            "removed drawing markup in the title attribute of <a> from the page"
            " (not on the list of HTML a note may use)"
        ]


class _Executable(HTMLParser):
    """Collects what could run: script-like elements, handlers and javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "iframe", "object", "embed", "base", "meta", "form", "style"}:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(name)
            if re.sub(r"[\x00-\x20]", "", value or "").lower().startswith("javascript:"):
                self.found.append(f"{name}=javascript:")


def executable(html: str) -> list[str]:
    """What could run in ``html``, as a browser would parse it."""
    parser = _Executable()
    parser.feed(html)
    parser.close()
    return parser.found


class TestNothingExecutableSurvives:
    @pytest.mark.parametrize(
        "html",
        [
            "<scr<script>ipt>alert(1)</script>",
            "<IMG SRC=x ONERROR=alert(1)>",
            '<a href=" &#14;javascript:alert(1)">x</a>',
            '<a href="java&#9;scr&#127;ipt:alert(1)">x</a>',
            '<video src="&#1;/&#10;/elsewhere.example/a.mp4"></video>',
            "<img src=x /onerror=alert(1)>",
            '<a href="x"onclick="alert(1)">x</a>',
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
            "<textarea></textarea><img src=x onerror=alert(1)></textarea>",
            '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
            "<![CDATA[<img src=x onerror=alert(1)>]]>",
            '<div data-md-component="x" tabindex=1 autofocus onfocus="alert(1)">x</div>',
        ],
    )
    def test_vector(self, html: str) -> None:
        result = sanitize_page(html)
        assert executable(result.html) == []
        assert result.removed


def test_the_tool_pages_are_the_only_code_pages() -> None:
    assert CODE_PAGES == ("tools/",)
    assert is_code_page("tools/compute.md")
    assert not is_code_page("07 Compute/tools/x.md")
    assert not is_code_page("index.md")


class TestFastPath:
    """`_already_clean` may only skip the full sanitiser when it would change nothing."""

    FRAGMENTS = (
        "<p>",
        "</p>",
        '<a href="x.md">',
        '<a href="javascript:alert(1)">',
        '<a href="&#106;avascript:alert(1)">',
        '<a HREF="x">',
        "</a>",
        "<A>",
        '<span class="vault-unresolved" title="t">',
        "</span>",
        "<br />",
        "<br>",
        "<p/>",
        '<img src="a.png" alt="a" />',
        "<img src=x onerror=alert(1)>",
        '<img src="a.png" onerror="alert(1)" />',
        "<script>",
        "</script>",
        "<svg>",
        "</svg>",
        "<!-- c -->",
        '<div id="__config">',
        '<div id="__codelineno-1">',
        "</div>",
        '<input type="checkbox" disabled>',
        '<td style="text-align: left;">',
        '<td style="color: red">',
        "</td>",
        "<code>",
        "</code>",
        "text ",
        "&amp; ",
        "&lt;script&gt; ",
        "a < b ",
        "a > b ",
        "\n",
        '<p\nclass="x">',
        "<p class='x'>",
        "<p class=x>",
        '<p/class="x">',
        '<h2 id="t">',
        "</h2 >",
        "</h2>",
        '<a href=" javascript:x">',
        '<a target="_blank" href="https://x">',
        "<mark>",
        "</mark>",
        "<details open>",
        "</details>",
        "<iframe>",
        "\x02k\x03",
        '<p title="\x02">',
    )

    @staticmethod
    def full_path(page: str) -> tuple[str, list]:
        tokens = _Tokeniser.tokens(page)
        writer = _Writer(page, None)
        writer.write(tokens)
        return "".join(writer.out), writer.removed

    @given(st.lists(st.sampled_from(FRAGMENTS), max_size=12))
    @settings(max_examples=400, deadline=None, derandomize=True)
    def test_a_page_it_accepts_is_one_the_writer_keeps_unchanged(self, parts: list[str]) -> None:
        page = "".join(parts)
        if _already_clean(page):
            assert self.full_path(page) == (page, [])

    @staticmethod
    def each_tag_in_turn(page: str) -> bool:
        """The fast path's verdict worked out tag by tag, from each `<` to where it ends."""
        position = 0
        while (opening := page.find("<", position)) >= 0:
            match = _PLAIN_TAG.match(page, opening)
            if match is None or not _clean_tag(match[0]):
                return False
            position = match.end()
        return True

    @given(st.lists(st.sampled_from(FRAGMENTS), max_size=12))
    @settings(max_examples=400, deadline=None, derandomize=True)
    def test_the_verdict_is_the_tag_by_tag_verdict(self, parts: list[str]) -> None:
        page = "".join(parts)
        assert _already_clean(page) == self.each_tag_in_turn(page)

    def test_each_distinct_tag_is_judged_once_per_page(self) -> None:
        page = "<p>a</p>\n" * 50 + '<p class="x">b</p>'
        _clean_tag.cache_clear()
        assert _already_clean(page)
        judged = _clean_tag.cache_info()
        assert judged.hits + judged.misses == 3  # <p>, </p> and <p class="x">

    @pytest.mark.parametrize(
        "page",
        [
            '<h2 id="a">A<a class="headerlink" href="#a" title="Permanent link">&para;</a></h2>\n'
            '<p>Text <a class="vault-link" href="../b/">b</a> &amp; <mark>m</mark></p>',
            '<div class="admonition note">\n<p class="admonition-title">Note</p>\n</div>',
        ],
    )
    def test_typical_markdown_output_takes_the_fast_path(self, page: str) -> None:
        assert _already_clean(page)
        assert sanitize_page(page).html == page

    @pytest.mark.parametrize(
        "page",
        [
            '<a href="javascript:alert(1)">x</a>',
            '<img src="a.png" onerror="alert(1)" />',
            "<script>alert(1)</script>",
            '<p class="x"><!-- c --></p>',
            "<svg></svg>",
        ],
    )
    def test_anything_else_takes_the_full_path(self, page: str) -> None:
        assert not _already_clean(page)
