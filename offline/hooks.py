"""MkDocs hooks (``hooks:`` in ``mkdocs.yml``): the handbook offline and installable.

Thin wiring of :mod:`offline.app_manifest` and :mod:`offline.worker`. Under
``mkdocs serve`` there is no service worker and no ``<meta>`` policy: a worker would
serve the previous build to a writer waiting for their edit, and the policy would
block the live-reload script MkDocs injects.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import material
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority

from offline import CONTENT_SECURITY_POLICY
from offline.app_manifest import (
    DEFAULT_LOGO_ICON,
    MANIFEST_FILE,
    ThemeColor,
    primary_colors,
    theme_colors,
    write_app_manifest,
)
from offline.worker import write_service_worker

log = logging.getLogger("mkdocs.plugins.offline")
_MATERIAL = Path(material.__file__).resolve().parent / "templates"
_command = "build"


def on_startup(*, command: str, dirty: bool) -> None:
    """Remember whether this is ``mkdocs serve`` (it decides whether there is a worker)."""
    global _command
    _command = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Hand the templates (``overrides/main.html``) what they put in every page's head."""
    colors = _theme_colors(config)
    config.extra["offline"] = {
        "enabled": _command != "serve",
        "csp": CONTENT_SECURITY_POLICY,
        "manifest": MANIFEST_FILE,
        "theme_colors": [{"media": c.media, "color": c.color} for c in colors],
    }
    return config


# Last of every post-build step: the list must see every file the other plugins and
# the macros module write (the search index, the browser runtime, the icon sheet).
@event_priority(-100)
def on_post_build(config: MkDocsConfig, **_: Any) -> None:
    """Write the app manifest, then list the site and write the service worker."""
    site_dir = Path(config.site_dir)
    write_app_manifest(
        site_dir,
        config.site_name,
        config.site_description or "",
        _theme_colors(config),
        _logo_svg(config),
    )
    if not config.extra["offline"]["enabled"]:
        return
    precache = write_service_worker(site_dir)
    log.info(
        "offline: %d files of pages (%.1f MB) and %d of the tools' runtime (%.1f MB), version %s",
        len(precache.pages),
        sum(f.size for f in precache.pages) / 1e6,
        len(precache.runtime),
        sum(f.size for f in precache.runtime) / 1e6,
        precache.version,
    )


def _theme_colors(config: MkDocsConfig) -> list[ThemeColor]:
    palette_css = next(_MATERIAL.glob("assets/stylesheets/palette.*.min.css"))
    primaries = primary_colors(palette_css.read_text(encoding="utf-8"))
    return theme_colors(config.theme.get("palette"), primaries)


def _logo_svg(config: MkDocsConfig) -> str:
    # The header's logo: an SVG file of the docs if theme.logo names one, else the
    # Material icon theme.icon.logo names (looked up in the theme's folders).
    logo = config.theme.get("logo")
    if logo and str(logo).endswith(".svg"):
        return (Path(config.docs_dir) / logo).read_text(encoding="utf-8")
    icon = (config.theme.get("icon") or {}).get("logo") or DEFAULT_LOGO_ICON
    for folder in config.theme.dirs:
        candidate = Path(folder) / ".icons" / f"{icon}.svg"
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    return (_MATERIAL / ".icons" / f"{DEFAULT_LOGO_ICON}.svg").read_text(encoding="utf-8")
