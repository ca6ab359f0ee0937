"""Material's privacy plugin, its pass over each page's HTML run only where it can act.

Material's privacy plugin (``material/privacy``) ends every page with a regular
expression over the whole of its HTML, looking for the tags (``<a>``, ``<link>``,
``<image>``, ``<script>``, ``<img>``) whose ``href`` or ``src`` names another host, to
fetch what they load or mark the links. Most of a page cannot hold one: the navigation
alone is hundreds of links to the site's own pages in a folder of hundreds of notes, and
the pass costs time for every byte of it.

A tag the plugin rewrites holds ``href=`` or ``src=`` followed by ``//`` (after an
optional quote and ``http:`` or ``https:``), and the plugin's expression never reads past
the first ``>`` after the ``<`` it starts at. So the plugin's pass over the whole page
equals its pass over each stretch of the page from one ``>`` to the next that holds
such an attribute, and leaving the others as they are: :func:`rewrite_external_url_tags`
finds those stretches (a search for ``//`` and a look at the few characters before it),
and :class:`TagScopedPrivacyPlugin` gives the plugin only them. Same options, same
downloads, the same HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from material.plugins.privacy.plugin import PrivacyPlugin
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

__all__ = ["TagScopedPrivacyPlugin", "rewrite_external_url_tags"]

# Where such an attribute's URL may be: `//`. A regular expression finds it faster than
# `str.find` here, where `/` is on every line (the closing tags, the relative links).
_DOUBLE_SLASH = re.compile("//")
# What comes right before the `//` of a URL on another host in an attribute the plugin
# reads (its expression, case-insensitive too): `href=`, `src=`, a quote, a scheme.
_EXTERNAL_URL_ATTRIBUTE_END = re.compile(r"(?:href|src)=['\"]?(?:https?:)?\Z", re.I)
# The longest text that expression can match: `href="https:`.
_LOOK_BACK = len("href='https:")


def rewrite_external_url_tags(html: str, rewrite: Callable[[str], str]) -> str:
    """``rewrite`` applied to each stretch of ``html`` that can hold a tag naming another
    host, the rest kept as it is.

    A stretch starts after a ``>`` (or at the start) and ends with the next ``>`` (or at
    the end): for a rewrite whose matches never hold a ``>`` but as their last
    character, as Material's privacy plugin's, this equals ``rewrite(html)``.

    Args:
        html: A page's HTML.
        rewrite: The rewrite of a stretch of it.

    Returns:
        The HTML with each such stretch rewritten; ``html`` itself when none changes.
    """
    parts: list[str] = []
    kept = 0  # Where the text not yet in `parts` starts.
    search = _DOUBLE_SLASH.search
    found = search(html)
    while found is not None:
        at = found.start()
        if not _EXTERNAL_URL_ATTRIBUTE_END.search(html, max(0, at - _LOOK_BACK), at):
            found = search(html, at + 2)
            continue
        start = html.rfind(">", 0, at) + 1
        end = html.find(">", at) + 1 or len(html)
        stretch = html[start:end]
        rewritten = rewrite(stretch)
        if rewritten != stretch:
            parts += (html[kept:start], rewritten)
            kept = end
        found = search(html, end)
    if not parts:
        return html
    parts.append(html[kept:])
    return "".join(parts)


class TagScopedPrivacyPlugin(PrivacyPlugin):
    """Material's privacy plugin (the same options), each page's HTML read tag by tag."""

    # Material's own priority for this step: after every plugin that adds to a page.
    @event_priority(-50)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        """Download and link to the external assets of the page's tags that name them."""
        if not self.config.enabled:
            return None
        parent = super().on_post_page

        def rewrite(stretch: str) -> str:
            rewritten = parent(stretch, page=page, config=config)
            return stretch if rewritten is None else rewritten

        return rewrite_external_url_tags(output, rewrite)
