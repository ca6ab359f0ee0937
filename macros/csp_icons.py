"""Material's interface icons as files instead of ``data:`` URLs, for the site's CSP.

Material's stylesheet declares its icons (navigation arrows, admonition, clipboard
and table-sort icons, ...) as ``data:image/svg+xml`` URLs in custom properties on
``:root``. The site's policy (``default-src 'self'``, no ``img-src data:``) blocks
every one of them. At build time each icon is written as an ``.svg`` file beside one
small stylesheet that redeclares the same custom properties with those files; it is
loaded after Material's (``extra_css`` in ``mkdocs.yml``), so it wins the cascade.
Reading the installed theme keeps the icons in step with Material's version.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

# Where the sheet goes in the site; mkdocs.yml's extra_css names the same path.
SHEET = "assets/stylesheets/csp-icons.css"
ICON_FOLDER = "csp-icons"
ICON_DECLARATION = re.compile(r'(--[\w-]+):url\("data:image/svg\+xml;charset=utf-8,([^"]*)"\)')


def material_stylesheet() -> Path:
    """The main stylesheet of the installed Material theme."""
    import material

    folder = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    (sheet,) = folder.glob("main.*.min.css")
    return sheet


def icon_sheet(css: str) -> tuple[str, dict[str, str]]:
    """The replacement stylesheet and its icon files for a Material stylesheet.

    Args:
        css: Material's main stylesheet.

    Returns:
        The stylesheet text, and file name to SVG source for each icon it names.
    """
    icons: dict[str, str] = {}
    declarations = []
    for name, data in ICON_DECLARATION.findall(css):
        file_name = f"{name.lstrip('-')}.svg"
        icons[file_name] = unquote(data)
        declarations.append(f'  {name}: url("{ICON_FOLDER}/{file_name}");')
    text = (
        "/* Generated at build time by macros/csp_icons.py from Material's stylesheet:\n"
        "   its icons as files, because the site's CSP forbids data: URLs. */\n"
        ":root {\n" + "\n".join(declarations) + "\n}\n"
    )
    return text, icons


# What this process last wrote where: `mkdocs serve` rebuilds into the same site, and
# writing the same 45 files again was a tenth of a rebuild.
_written: dict[Path, str] = {}


def write_icon_sheet(site_dir: Path) -> None:
    """Write the replacement stylesheet and its icons into a built site."""
    text, icons = icon_sheet(material_stylesheet().read_text(encoding="utf-8"))
    sheet = Path(site_dir) / SHEET
    (sheet.parent / ICON_FOLDER).mkdir(parents=True, exist_ok=True)
    _write(sheet, text)
    for file_name, svg in icons.items():
        _write(sheet.parent / ICON_FOLDER / file_name, svg)


def _write(path: Path, text: str) -> None:
    if _written.get(path) == text and path.exists():
        return
    path.write_text(text, encoding="utf-8")
    _written[path] = text
