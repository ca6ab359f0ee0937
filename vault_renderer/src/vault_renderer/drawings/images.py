"""Moving a drawing's ``data:`` images out to files, so that a strict CSP holds.

The handbook's ``default-src 'self'`` blocks ``data:`` images, and drawings carry them:
the Excalidraw renderer draws a drawing's pictures as ``<image href="data:...">`` and
draw.io exports embed icons the same way. ``move_data_images`` rewrites one drawing's
markup for one page: each image becomes a content-addressed file under
``IMAGE_DIRECTORY`` and the ``href`` a URL relative to that page. It runs after the
drawing cache, once per page that shows the drawing, because only the page knows how
deep it sits.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import html
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from vault_renderer.drawings.model import DrawingError
from vault_renderer.drawings.sanitize import sanitize_svg

__all__ = ["IMAGE_DIRECTORY", "DrawingImage", "MovedImages", "move_data_images", "page_relative"]

IMAGE_DIRECTORY = "assets/drawings"
# The image types the sanitiser lets through (`css.is_safe_url`), and their file names.
_EXTENSIONS = {
    "image/png": "png",
    "image/gif": "gif",
    "image/jpeg": "jpg",
    "image/jpg": "jpg",
    "image/webp": "webp",
    "image/bmp": "bmp",
    "image/svg+xml": "svg",
}


@dataclass(frozen=True, slots=True)
class DrawingImage:
    """One image file a page's drawing links to.

    Attributes:
        path: where the site serves it, e.g. ``assets/drawings/1f0c...e2.png``: the
            first 16 hex digits of the sha256 of ``content``, so the same picture is
            one file however many drawings show it, in every build.
        content: the file's bytes (for SVG, the sanitised markup).
    """

    path: str
    content: bytes


@dataclass(frozen=True, slots=True)
class MovedImages:
    """A drawing's markup with its ``data:`` images moved out.

    Attributes:
        html: the markup, each ``data:`` image's URL replaced by a page-relative link
            to its file, and each image that could not be moved left without its URL.
        files: the files the links point at, each once, in document order.
        problems: one line per image dropped, saying why, and per construct the
            sanitiser removed from an SVG image, in document order.
    """

    html: str
    files: tuple[DrawingImage, ...]
    problems: tuple[str, ...] = ()


# An <image> (SVG) or <img> (draw.io's HTML labels) start tag, and one attribute of it.
# The markup comes from this package's serialisers, which write every attribute as
# name="value" and escape `<` and `>` everywhere and `"` in values: a tag cannot start
# inside text or a value, and reading attributes one after the other from the tag's
# name never mistakes part of a value for an attribute.
_IMAGE_TAG = re.compile(r'<(?P<tag>image|img)(?P<attributes>(?:\s+[^\s="<>/]+="[^"]*")*)')
_ATTRIBUTE = re.compile(r'(?P<space>\s+)(?P<name>[^\s="<>/]+)="(?P<value>[^"]*)"')
_URL_ATTRIBUTES = frozenset({"href", "xlink:href", "src"})
_ASCII_WHITESPACE = re.compile(rb"[\t\n\f\r ]")


def move_data_images(markup: str, *, page_url: str) -> MovedImages:
    """Replace every ``data:`` image in a drawing's markup with a link to a file.

    Base64 and percent-encoded ``data:`` URLs are decoded. Only the image types the
    sanitiser allows are moved (PNG, GIF, JPEG, WebP, BMP, SVG); an SVG is passed
    through ``sanitize_svg`` first, since a file served from the site's origin could
    run script when opened directly. Any other ``data:`` URL, one that does not
    decode, and an SVG that cannot be read lose their URL (the sanitiser removes such
    URLs too, so this only happens to markup that did not come through it).
    Other URLs, and everything else in the markup (draw.io's ``content`` attribute with
    its own copies of the images included), are kept as they are.

    Args:
        markup: a drawing as ``sanitize_svg``/``externalise_styles`` or the Excalidraw
            renderer wrote it, possibly inside its ``<figure>``.
        page_url: the URL of the page that shows it, relative to the site root, as
            MkDocs writes it (``""``, ``"notes/x/"`` or ``"notes/x.html"``).

    Returns:
        The new markup, the files it links to, and what was dropped. The same input
        always gives the same output.
    """
    if "data:" not in markup:
        return MovedImages(markup, ())
    files: dict[str, DrawingImage] = {}
    problems: list[str] = []

    def attribute(tag: str, match: re.Match[str]) -> str:
        url = html.unescape(match["value"])
        if match["name"] not in _URL_ATTRIBUTES or _strip(url)[:5].lower() != "data:":
            return match[0]
        moved, found = _image_file(url)
        problems.extend(f"{problem} in {match['name']} on <{tag}>" for problem in found)
        if moved is None:
            return ""
        files.setdefault(moved.path, moved)
        return f'{match["space"]}{match["name"]}="{page_relative(moved.path, page_url)}"'

    def image(match: re.Match[str]) -> str:
        tag = match["tag"]
        attributes = _ATTRIBUTE.sub(lambda found: attribute(tag, found), match["attributes"])
        return f"<{tag}{attributes}"

    rewritten = _IMAGE_TAG.sub(image, markup)
    return MovedImages(rewritten, tuple(files.values()), tuple(problems))


def page_relative(path: str, page_url: str) -> str:
    """The URL of the site file ``path`` as seen from the page at ``page_url``.

    Examples: from ``""`` (the home page) ``assets/drawings/a.png`` stays as it is;
    from ``notes/`` it is ``../assets/drawings/a.png``; from ``notes/x.html``,
    ``../assets/drawings/a.png`` too.
    """
    directory = page_url.lstrip("/").rpartition("/")[0]
    return posixpath.relpath(path, directory or ".")


def _strip(url: str) -> str:
    # How the sanitiser reads a URL: browsers drop ASCII whitespace and control
    # characters around and inside a URL's scheme.
    return "".join(char for char in url if ord(char) > 0x20 and char != "\x7f")


@functools.lru_cache(maxsize=256)
def _image_file(url: str) -> tuple[DrawingImage | None, tuple[str, ...]]:
    """The file a ``data:`` URL holds (None when it is dropped), and what to report.

    Cached: a drawing shown on many pages is decoded once.
    """
    # As a browser reads it: spaces around the URL and tabs and newlines anywhere go,
    # spaces inside stay (they are data in a percent-encoded SVG).
    cleaned = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    header, _, payload = cleaned.partition(",")
    parameters = header[len("data:") :].split(";")
    mime = parameters[0].strip().lower()
    if mime not in _EXTENSIONS:
        return None, (f"dropped a data:{mime} URL (not an image type drawings may show)",)
    try:
        content = unquote_to_bytes(payload)
        if any(parameter.strip().lower() == "base64" for parameter in parameters[1:]):
            content = _forgiving_base64(content)
    except (binascii.Error, ValueError):
        return None, (f"dropped a data:{mime} URL that is not valid base64",)
    removed: tuple[str, ...] = ()
    if mime == "image/svg+xml":
        try:
            sanitized = sanitize_svg(content.decode("utf-8", errors="replace"))
        except DrawingError as error:
            return None, (f"dropped a data:{mime} image that cannot be read ({error.reason})",)
        content = sanitized.svg.encode("utf-8")
        removed = tuple(f"removed {item} from a data:{mime} image" for item in sanitized.removed)
    digest = hashlib.sha256(content).hexdigest()[:16]
    return DrawingImage(f"{IMAGE_DIRECTORY}/{digest}.{_EXTENSIONS[mime]}", content), removed


def _forgiving_base64(data: bytes) -> bytes:
    # The URL standard's reading: whitespace is ignored and the padding optional.
    data = _ASCII_WHITESPACE.sub(b"", data)
    if len(data) % 4 == 0:
        data = data.removesuffix(b"=").removesuffix(b"=")
    if len(data) % 4 == 1:
        raise ValueError("base64 length")
    return base64.b64decode(data + b"=" * (-len(data) % 4), validate=True)
