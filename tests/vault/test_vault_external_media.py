"""Images and players from other sites: golden placeholders, and the lines they are found at."""

from __future__ import annotations

import pytest
from vault_renderer.external_media import (
    ExternalMedia,
    find_external_media,
    is_external_url,
    replace_external_media,
)


def placeholder(kind: str, label: str, href: str | None) -> str:
    link = (
        f': <a class="vault-external-link" href="{href}">open it on its site</a>'
        if href is not None
        else ""
    )
    return (
        f'<span class="vault-external vault-external-{kind}">'
        f'<span class="vault-external-label">{label}</span>{link}</span>'
    )


# Rendered HTML in, the page's HTML out.
GOLDEN = {
    "YouTube iframe links the video's own page": (
        '<iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/NnTvZWp5Q7o'
        '?si=x" title="YouTube video player" allowfullscreen></iframe>',
        placeholder(
            "video",
            "Video on youtube-nocookie.com “YouTube video player”",
            "https://www.youtube.com/watch?v=NnTvZWp5Q7o",
        ),
    ),
    "Wistia iframe in Obsidian's sizing divs": (
        '<div style="padding:62.29% 0 0 0"><div class="interface"><iframe '
        'src="https://fast.wistia.net/embed/iframe/f2674kdaot?web_component=true&amp;seo=false" '
        'title="2026-04-22 Video" class="wistia_embed" width="100%"></iframe></div></div>',
        '<div style="padding:62.29% 0 0 0"><div class="interface">'
        + placeholder(
            "video",
            "Video on wistia.net “2026-04-22 Video”",
            "https://fast.wistia.net/embed/iframe/f2674kdaot?web_component=true&amp;seo=false",
        )
        + "</div></div>",
    ),
    "Vimeo player": (
        '<iframe src="//player.vimeo.com/video/76979871"></iframe>',
        placeholder("video", "Video on vimeo.com", "https://vimeo.com/76979871"),
    ),
    "generic iframe is an embedded page": (
        '<p>Before</p>\n<IFRAME SRC="https://example.org/widget"></IFRAME>\n<p>After</p>',
        "<p>Before</p>\n"
        + placeholder("page", "Embedded page on example.org", "https://example.org/widget")
        + "\n<p>After</p>",
    ),
    "Markdown image with Obsidian's size in its alt": (
        '<p>A <img alt="Engelbart|100x145" src="https://history-computer.com/e.jpg" /> here</p>',
        "<p>A "
        + placeholder(
            "image",
            "Image on history-computer.com “Engelbart”",
            "https://history-computer.com/e.jpg",
        )
        + " here</p>",
    ),
    "image link to a video site shows the video": (
        '<p><img alt="" src="https://www.youtube.com/watch?v=NnTvZWp5Q7o" /></p>',
        "<p>"
        + placeholder(
            "video", "Video on youtube.com", "https://www.youtube.com/watch?v=NnTvZWp5Q7o"
        )
        + "</p>",
    ),
    "an image inside a link keeps only its label (links cannot nest)": (
        '<p><a href="https://example.com"><img alt="logo" src="http://cdn.example.com/l.png">'
        "</a></p>",
        '<p><a href="https://example.com">'
        + placeholder("image", "Image on cdn.example.com “logo”", None)
        + "</a></p>",
    ),
    "a video with its sources": (
        '<video controls><source src="https://media.example.net/clip.mp4" type="video/mp4">'
        "Your browser cannot play it.</video>",
        placeholder("video", "Video on media.example.net", "https://media.example.net/clip.mp4"),
    ),
    "audio, object and embed": (
        '<audio src="https://a.example/x.mp3"></audio><object data="https://b.example/x.pdf">'
        '</object><embed src="https://c.example/x.swf">',
        placeholder("audio", "Audio on a.example", "https://a.example/x.mp3")
        + placeholder("page", "Embedded page on b.example", "https://b.example/x.pdf")
        + placeholder("page", "Embedded page on c.example", "https://c.example/x.swf"),
    ),
    "names and addresses are escaped": (
        "<img alt='&lt;b&gt;\"x' src='https://e.example/a.png?a=1&b=\"2'>",
        placeholder(
            "image",
            "Image on e.example “&lt;b&gt;&quot;x”",
            "https://e.example/a.png?a=1&amp;b=&quot;2",
        ),
    ),
}

UNCHANGED = {
    "local image": '<p><img alt="x" src="../img/x.png" /></p>',
    "local video": '<video controls src="talk.mp4"></video>',
    "escaped HTML in code": "<pre><code>&lt;iframe src=&quot;https://x.example&quot;&gt;</code></pre>",
    "a plain link": '<p><a href="https://example.com/a.png">a.png</a></p>',
    "a local iframe is left to the sanitiser": '<iframe src="page.html"></iframe>',
}


class TestReplace:
    @pytest.mark.parametrize(("page", "expected"), GOLDEN.values(), ids=GOLDEN)
    def test_golden(self, page: str, expected: str) -> None:
        html, found = replace_external_media(page)
        assert html == expected
        assert found

    @pytest.mark.parametrize("page", UNCHANGED.values(), ids=UNCHANGED)
    def test_unchanged(self, page: str) -> None:
        assert replace_external_media(page) == (page, [])

    def test_placeholder_loads_nothing(self) -> None:
        html, _ = replace_external_media("".join(page for page, _ in GOLDEN.values()))
        for loader in ("<img", "<iframe", "<video", "<audio", "<object", "<embed", "src="):
            assert loader not in html.lower()


class TestFind:
    def test_lines_and_columns_of_every_kind(self) -> None:
        text = (
            "---\nbanner: ![](https://front.example/x.png)\n---\n"
            "# Note\n\n"
            "Text ![Cat|100](http://127.0.0.1:9/cat.jpg) and ![](<https://a.example/b c.png>).\n"
            '\n<div><iframe src="https://fast.wistia.net/embed/iframe/abc" title="Demo">\n'
            "</iframe></div>\n\n"
            "`![](https://code.example/x.png)` %% ![](https://comment.example/x.png) %%\n\n"
            '```html\n<iframe src="https://fence.example"></iframe>\n```\n'
            "![local](pic.png) <img src='//cdn.example/y.gif'>\n"
        )
        assert [(m.line, m.column, m.kind, m.url, m.name) for m in find_external_media(text)] == [
            (6, 6, "image", "http://127.0.0.1:9/cat.jpg", "Cat"),
            (6, 49, "image", "https://a.example/b c.png", ""),
            (8, 6, "video", "https://fast.wistia.net/embed/iframe/abc", "Demo"),
            (16, 19, "image", "//cdn.example/y.gif", ""),
        ]

    def test_reference_style_images(self) -> None:
        text = (
            "# Refs\n\n![Logo][logo] and ![Shot][] and ![local][pic] and [not an image][logo]\n\n"
            "![Icon]\n\n[logo]: https://cdn.example/logo.png\n[Shot]: <//cdn.example/s.png>\n"
            "[pic]: pic.png\n[icon]: https://cdn.example/i.svg 'An icon'\n"
        )
        assert [(m.line, m.column, m.url, m.name) for m in find_external_media(text)] == [
            (3, 1, "https://cdn.example/logo.png", "Logo"),
            (3, 19, "//cdn.example/s.png", "Shot"),
            (5, 1, "https://cdn.example/i.svg", "Icon"),
        ]

    def test_message(self) -> None:
        media = ExternalMedia("video", "https://fast.wistia.net/embed/iframe/abc")
        assert media.message == (
            "video on wistia.net (https://fast.wistia.net/embed/iframe/abc) is shown as a link"
            " to its site: the site loads nothing from other hosts"
        )


@pytest.mark.parametrize(
    ("url", "external"),
    [
        ("https://a.example/x", True),
        ("HTTP://a.example/x", True),
        ("//a.example/x", True),
        ("x.png", False),
        ("/assets/x.png", False),
        ("mailto:a@b.example", False),
    ],
)
def test_is_external_url(url: str, external: bool) -> None:
    assert is_external_url(url) is external
