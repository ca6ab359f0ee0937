"""MkDocs' link rewriting, answered for the links the vault renderer resolved already.

MkDocs turns each relative ``href`` and ``src`` of a page into the URL of the file it
names (``_RelativePathTreeprocessor.path_to_url``): it splits and unquotes the link,
guesses its target among several candidate paths and works out the URL relative to the
page, some 50 µs a link, and a vault page has many (a thousand notes wrote about 9,000).
The links ``ObsidianExtension.page_link`` writes already name their file by its site
path, which is its ``src_uri``: this extension answers those from that, with the URL and
the record of a link to an anchor that MkDocs would have made (its anchor validation
reads it), and leaves every other link, and any link whose target MkDocs would warn
about, to MkDocs.

It leans on MkDocs 1.6's processor (its ``relpath`` name and its ``file``, ``files`` and
``links_to_anchors``); without them, MkDocs resolves every link itself, as before.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from mkdocs.utils import get_relative_url

from vault_renderer.extension import ObsidianExtension

__all__ = ["ResolvedLinksExtension"]

# MkDocs registers its processor under this name, at priority 0.
_RELPATH = "relpath"


class ResolvedLinksExtension(Extension):
    """Answer MkDocs' ``path_to_url`` for the links ``extension`` wrote on the page."""

    def __init__(self, extension: ObsidianExtension) -> None:
        super().__init__()
        self.extension = extension

    def extendMarkdown(self, md: Markdown) -> None:
        # After every processor that writes or rewrites links, right before MkDocs'
        # relpath (0); MkDocs registers it after the extensions, so it is found at run.
        md.treeprocessors.register(_AnswerResolvedLinks(md, self.extension), "vault_urls", 1)


class _AnswerResolvedLinks(Treeprocessor):
    def __init__(self, md: Markdown, extension: ObsidianExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        try:
            relpath = self.md.treeprocessors[_RELPATH]
        except KeyError:
            return  # not in MkDocs
        resolve = getattr(relpath, "path_to_url", None)
        page_file = getattr(relpath, "file", None)
        files = getattr(relpath, "files", None)
        anchors = getattr(relpath, "links_to_anchors", None)
        if resolve is None or page_file is None or files is None or anchors is None:
            return
        if page_file.src_uri != self.extension.note_path:
            return  # written for another page: its paths are not this page's
        relpath.path_to_url = _answering(  # type: ignore[union-attr]
            resolve, self.extension.page_links, page_file, files.src_uris, anchors
        )


def _answering(
    resolve: Callable[[str], str],
    links: dict[str, str],
    page_file: Any,
    src_uris: Any,
    anchors: dict[Any, dict[str, str]],
) -> Callable[[str], str]:
    def path_to_url(url: str) -> str:
        site_path = links.get(url)
        target = src_uris.get(site_path) if site_path is not None else None
        if target is None or target.inclusion.is_excluded():
            return resolve(url)  # MkDocs finds it, or says why not
        # `page_href` quotes the path and the anchor: no `?` or second `#` is left.
        anchor = url.partition("#")[2]
        path = get_relative_url(target.url, page_file.url)
        if not anchor:
            return path
        anchors.setdefault(target, {}).setdefault(anchor, url)
        return f"{path}#{anchor}"

    return path_to_url
