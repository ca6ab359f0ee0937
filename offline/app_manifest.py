"""The web app manifest that makes the handbook installable, and its icon.

The icon is the site's logo (Material's ``theme.icon.logo``, the book by default)
drawn white on the header's colour, as an SVG: a vector icon serves every size a
platform asks for. Theme colours come from Material's own palette stylesheet, so they
follow ``theme.palette`` in ``mkdocs.yml``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

MANIFEST_FILE = "manifest.webmanifest"
ICON_FILE = "assets/images/app-icon.svg"
DEFAULT_LOGO_ICON = "material/library"
DEFAULT_PRIMARY = "indigo"
# Material's page background for each scheme (its palette stylesheet gives the
# dark one as an HSL expression; this is its value for the default hue).
SCHEME_BACKGROUND = {"default": "#ffffff", "slate": "#1e2129"}
PRIMARY_RULE = re.compile(
    r"\[data-md-color-primary=([\w-]+)\]\{--md-primary-fg-color:(#[0-9a-fA-F]{3,8})"
)
SVG_ELEMENT = re.compile(r"<svg\b([^>]*)>(.*)</svg>", re.S)
VIEW_BOX = re.compile(r'viewBox="([^"]+)"')


@dataclass(frozen=True)
class ThemeColor:
    """The browser's colour around the page for one of the site's palettes.

    Attributes:
        media: The palette's media query (``"(prefers-color-scheme: dark)"``).
        color: The header's colour in that palette, hex.
        background: The page's background in that palette, hex.
    """

    media: str
    color: str
    background: str


def primary_colors(palette_css: str) -> dict[str, str]:
    """Material's primary colours by name, read from its palette stylesheet."""
    return {name: color.lower() for name, color in PRIMARY_RULE.findall(palette_css)}


def theme_colors(palettes: list[dict] | dict | None, primaries: dict[str, str]) -> list[ThemeColor]:
    """One theme colour per palette that names a colour scheme.

    Args:
        palettes: ``theme.palette`` from ``mkdocs.yml`` (a list, one palette, or none).
        primaries: :func:`primary_colors` of Material's stylesheet.

    Returns:
        The colours in the palettes' order; the automatic palette (no scheme) is skipped.
    """
    if isinstance(palettes, dict):
        palettes = [palettes]
    found = []
    for palette in palettes or [{}]:
        if "media" in palette and "scheme" not in palette:
            continue  # the "follow the system" toggle: it has no colours of its own
        scheme = palette.get("scheme", "default")
        primary = str(palette.get("primary", DEFAULT_PRIMARY)).replace(" ", "-")
        found.append(
            ThemeColor(
                media=palette.get("media", "all"),
                color=primaries.get(primary, primaries[DEFAULT_PRIMARY]),
                background=SCHEME_BACKGROUND.get(scheme, SCHEME_BACKGROUND["default"]),
            )
        )
    return found


def icon_svg(logo_svg: str, color: str) -> str:
    """The app icon: the logo in white, centred on a square of ``color``.

    The logo fills the middle 60%, inside the circle a "maskable" icon must keep.

    Args:
        logo_svg: The logo as an SVG document (one of Material's icons).
        color: The square's colour.
    """
    match = SVG_ELEMENT.search(logo_svg)
    if match is None:
        raise ValueError("the logo is not an SVG document")
    box = VIEW_BOX.search(match.group(1))
    x, y, width, height = (float(v) for v in (box.group(1) if box else "0 0 24 24").split())
    scale = 60 / max(width, height)
    left = 50 - width * scale / 2 - x * scale
    top = 50 - height * scale / 2 - y * scale
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        f'<rect width="100" height="100" fill="{color}"/>'
        f'<g fill="#ffffff" transform="translate({left:g} {top:g}) scale({scale:g})">'
        f"{match.group(2)}</g></svg>\n"
    )


def app_manifest(name: str, description: str, colors: list[ThemeColor]) -> dict[str, object]:
    """The manifest's fields. Its URLs are relative to the manifest, at the site root,
    so the start URL is the site's home wherever it is deployed (``/handbook/``)."""
    first = colors[0]
    return {
        "name": name,
        "short_name": name,
        "description": description,
        "id": "./",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "theme_color": first.color,
        "background_color": first.background,
        "icons": [
            {"src": ICON_FILE, "sizes": "any", "type": "image/svg+xml", "purpose": purpose}
            for purpose in ("any", "maskable")
        ],
    }


def write_app_manifest(
    site_dir: Path, name: str, description: str, colors: list[ThemeColor], logo_svg: str
) -> None:
    """Write the manifest and its icon into a built site.

    Args:
        site_dir: The built site.
        name: The site's name.
        description: The site's description.
        colors: :func:`theme_colors` of the site's palettes.
        logo_svg: The logo as an SVG document.
    """
    site_dir = Path(site_dir)
    icon = site_dir / ICON_FILE
    icon.parent.mkdir(parents=True, exist_ok=True)
    icon.write_text(icon_svg(logo_svg, colors[0].color), encoding="utf-8")
    manifest = app_manifest(name, description, colors)
    (site_dir / MANIFEST_FILE).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
