"""The options of the ``obsidian-vault`` MkDocs plugin."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

__all__ = ["ObsidianVaultConfig"]


class ObsidianVaultConfig(Config):
    """Options of ``- obsidian-vault:`` in ``mkdocs.yml``."""

    extra_roots = c.ListOfItems(c.Type(str), default=["diagrams"])
    """Folders outside ``docs_dir`` (relative to ``mkdocs.yml``) that are part of the vault,
    so notes can embed their drawings and images (``![[x.excalidraw]]``). Their images are
    published under the folder's name."""

    unresolved_links_page = c.Type(str, default="unresolved-links.md")
    """Where the generated list of unresolved links goes (a path in the site); empty to
    not generate it. The page is published but kept out of the navigation and search."""

    unresolved_link_level = c.Choice(("warning", "info"), default="warning")
    """How a link to a missing note or file is logged. ``warning`` fails ``mkdocs build
    --strict``; ``info`` reports it without failing, for a vault that is still being written
    (``make check`` then decides which dangling links fail CI)."""

    transclusion_depth = c.Type(int, default=3)
    """How deeply ``![[Note]]`` embeds may nest; deeper ones become links, with a warning."""

    cache_dir = c.Type(str, default=".cache/plugin/obsidian-vault")
    """Where rendered drawings are cached by content hash (relative to ``mkdocs.yml``)."""
