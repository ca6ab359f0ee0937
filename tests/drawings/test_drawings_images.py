"""``move_data_images``: a drawing's ``data:`` images become files the page links to."""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import quote

import pytest
from vault_renderer.drawings import (
    IMAGE_DIRECTORY,
    externalise_styles,
    move_data_images,
    page_relative,
    sanitize_svg,
)
from vault_renderer.drawings import css as drawing_css
from vault_renderer.drawings.images import _EXTENSIONS

# The smallest valid PNG: one transparent pixel.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
PNG_URL = "data:image/png;base64," + base64.b64encode(PNG).decode()
SVG_IMAGE = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4"/></svg>'


def drawing(*images: str, content: str = "") -> str:
    """A drawio-style SVG holding ``images`` (``<image>`` markup), through the real steps."""
    mxfile = f' content="{content}"' if content else ""
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"{mxfile}>{"".join(images)}</svg>'
    return externalise_styles(sanitize_svg(svg).svg).svg


def image_path(content: bytes, ext: str) -> str:
    return f"{IMAGE_DIRECTORY}/{hashlib.sha256(content).hexdigest()[:16]}.{ext}"


def hrefs(markup: str) -> list[str]:
    return re.findall(r'<image\b[^>]*?\s(?:xlink:)?href="([^"]*)"', markup)


class TestDecoding:
    @pytest.mark.parametrize(
        ("url", "content", "ext"),
        [
            (PNG_URL, PNG, "png"),
            # base64 with line breaks (draw.io wraps long attributes) and no padding
            (
                "data:image/png;base64,"
                + base64.b64encode(PNG).decode().rstrip("=")[:20]
                + "&#10;"
                + base64.b64encode(PNG).decode().rstrip("=")[20:],
                PNG,
                "png",
            ),
            (
                "data:image/gif;base64,R0lGODlhAQABAAAAACw=",
                b"GIF89a\x01\x00\x01\x00\x00\x00\x00,",
                "gif",
            ),
            ("data:image/jpeg;base64,/9j/2w==", base64.b64decode("/9j/2w=="), "jpg"),
            ("data:image/jpg;base64,/9j/2w==", base64.b64decode("/9j/2w=="), "jpg"),
            # percent-encoded PNG bytes, no base64
            ("data:image/png," + quote(PNG, safe=""), PNG, "png"),
        ],
        ids=["base64", "wrapped-unpadded", "gif", "jpeg", "jpg-alias", "percent-encoded"],
    )
    def test_image_becomes_a_file_named_by_its_content(self, url, content, ext):
        moved = move_data_images(
            drawing(f'<image width="1" height="1" href="{url}"/>'), page_url=""
        )
        assert [(f.path, f.content) for f in moved.files] == [(image_path(content, ext), content)]
        assert hrefs(moved.html) == [image_path(content, ext)]
        assert "data:" not in moved.html and moved.problems == ()

    def test_xlink_href_and_html_img_are_moved_too(self):
        markup = drawing(
            f'<image xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="{PNG_URL}"/>'
            '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">'
            f'<img src="{PNG_URL}"/></div></foreignObject>'
        )
        moved = move_data_images(markup, page_url="")
        path = image_path(PNG, "png")
        assert f'xlink:href="{path}"' in moved.html and f'src="{path}"' in moved.html
        assert len(moved.files) == 1  # one file, however often the drawing shows it

    def test_attributes_are_read_one_after_the_other(self):
        # Both URL attributes of one tag are moved; a value that reads like an attribute
        # is not one.
        markup = drawing(
            '<image xmlns:xlink="http://www.w3.org/1999/xlink" aria-label="x href="'
            f' href="{PNG_URL}" xlink:href="{PNG_URL}"/>'
        )
        moved = move_data_images(markup, page_url="")
        path = image_path(PNG, "png")
        assert f'aria-label="x href=" href="{path}" xlink:href="{path}"/>' in moved.html

    def test_names_are_deterministic_and_shared(self):
        first = move_data_images(drawing(f'<image href="{PNG_URL}"/>'), page_url="a/")
        second = move_data_images(drawing(f'<image width="9" href="{PNG_URL}"/>'), page_url="a/")
        assert first.files == second.files
        assert re.fullmatch(rf"{IMAGE_DIRECTORY}/[0-9a-f]{{16}}\.png", first.files[0].path)

    def test_other_urls_and_the_mxfile_are_kept_as_they_are(self):
        # draw.io's `content` holds its own copy of the image: it must stay byte for byte.
        mxfile = f"&lt;mxfile&gt;&lt;image src=&quot;{PNG_URL}&quot;/&gt;&lt;/mxfile&gt;"
        link = '<a href="https://example.com/"><rect width="1"/></a>'
        markup = drawing(link, f'<image href="{PNG_URL}"/>', content=mxfile)
        moved = move_data_images(markup, page_url="")
        kept = re.search(r' content="[^"]*"', markup)[0]
        assert PNG_URL in kept and kept in moved.html
        assert link in moved.html
        assert hrefs(moved.html) == [image_path(PNG, "png")]

    def test_text_that_looks_like_an_image_is_not_touched(self):
        markup = drawing(f'<text>&lt;image href="{PNG_URL}"/&gt;</text>')
        moved = move_data_images(markup, page_url="")
        assert moved.html == markup and moved.files == ()

    def test_markup_without_data_urls_is_returned_unchanged(self):
        markup = drawing('<image href="https://example.com/a.png"/>', '<rect width="1"/>')
        moved = move_data_images(markup, page_url="x/")
        assert (moved.html, moved.files, moved.problems) == (markup, (), ())


class TestRefused:
    def test_moves_exactly_the_types_the_sanitiser_allows(self):
        for mime in _EXTENSIONS:
            assert drawing_css.is_safe_url(f"data:{mime};base64,AAAA"), mime
        for mime in ("image/x-icon", "image/tiff", "text/html", "application/xml"):
            assert not drawing_css.is_safe_url(f"data:{mime};base64,AAAA"), mime

    @pytest.mark.parametrize(
        ("url", "problem"),
        [
            ("data:text/html,<script>x</script>", "dropped a data:text/html URL (not an image"),
            ("data:image/x-icon;base64,AAAA", "dropped a data:image/x-icon URL (not an image"),
            ("data:image/png;base64,@@@@", "dropped a data:image/png URL that is not valid base64"),
            ("data:image/svg+xml,<html/>", "dropped a data:image/svg+xml image that cannot be"),
        ],
    )
    def test_what_cannot_be_a_file_loses_its_url_and_is_reported(self, url, problem):
        # Built by hand: the sanitiser itself would already have removed the first two.
        escaped = url.replace("<", "&lt;").replace(">", "&gt;")
        markup = f'<svg class="vr-drawing"><image width="1" href="{escaped}"/></svg>'
        moved = move_data_images(markup, page_url="")
        assert moved.html == '<svg class="vr-drawing"><image width="1"/></svg>'
        assert moved.files == ()
        assert len(moved.problems) == 1 and moved.problems[0].startswith(problem)
        assert moved.problems[0].endswith("in href on <image>")

    def test_the_sanitiser_refuses_the_same_non_image_urls(self):
        removed = sanitize_svg(
            '<svg xmlns="http://www.w3.org/2000/svg"><image href="data:text/html,x"/></svg>'
        ).removed
        assert removed == ("data:text/html URL in href on <image>",)


class TestSvgImages:
    def test_svg_image_is_sanitised_before_it_is_written(self):
        hostile = SVG_IMAGE.replace("<rect", '<script>alert(1)</script><rect onclick="x()"')
        url = "data:image/svg+xml;base64," + base64.b64encode(hostile.encode()).decode()
        moved = move_data_images(drawing(f'<image href="{url}"/>'), page_url="")
        (file,) = moved.files
        written = file.content.decode()
        assert "<script" not in written and "onclick" not in written and "<rect" in written
        assert file.path == image_path(file.content, "svg")
        assert moved.problems == (
            "removed script element from a data:image/svg+xml image in href on <image>",
            "removed onclick attribute on <rect> from a data:image/svg+xml image"
            " in href on <image>",
        )

    def test_percent_encoded_svg_keeps_its_spaces(self):
        url = "data:image/svg+xml," + quote(SVG_IMAGE, safe=" =/:")
        moved = move_data_images(drawing(f'<image href="{url}"/>'), page_url="")
        (file,) = moved.files
        assert file.content == sanitize_svg(SVG_IMAGE).svg.encode()
        assert moved.problems == ()


class TestPageRelative:
    @pytest.mark.parametrize(
        ("page_url", "expected"),
        [
            ("", "assets/drawings/a.png"),
            ("index.html", "assets/drawings/a.png"),
            ("notes/", "../assets/drawings/a.png"),
            ("notes/x.html", "../assets/drawings/a.png"),
            ("06%20Architecture/06-04%20Model/", "../../assets/drawings/a.png"),
            ("a/b/c.html", "../../assets/drawings/a.png"),
        ],
    )
    def test_depths(self, page_url, expected):
        assert page_relative("assets/drawings/a.png", page_url) == expected

    @pytest.mark.parametrize(
        ("page_url", "prefix"), [("", ""), ("notes/", "../"), ("a/b/", "../../")]
    )
    def test_the_href_is_relative_to_the_page(self, page_url, prefix):
        moved = move_data_images(drawing(f'<image href="{PNG_URL}"/>'), page_url=page_url)
        assert hrefs(moved.html) == [prefix + image_path(PNG, "png")]
