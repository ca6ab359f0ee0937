"""Render an Obsidian vault (wikilinks, callouts, drawings) as part of an MkDocs site.

The pure core (no MkDocs import), one module per concern:

- ``syntax``: where prose is (outside code and comments), ``remove_comments``,
  ``find_inline_tags``.
- ``frontmatter``: ``parse_front_matter``, ``note_title``, ``parse_date``.
- ``vault``: the ``Vault`` index (NFC, case-insensitive names, shortest path, aliases,
  "did you mean" names for notes and files), ``extract_headings`` with the ids the toc
  extension gives them, and ``extract_element_ids`` for ids set by ``{#id}`` or HTML.
- ``links``: ``find_links`` (every link with line and column), ``parse_wikilink``,
  ``resolve_link`` (file, anchor, problem and suggestions), ``page_href``.
- ``report``: ``scan_vault`` (backlinks and unresolved links of the whole vault).
- ``callouts`` and ``extension``: the Python-Markdown extensions.
- ``embeds``: drawings as inline HTML through ``vault_renderer.drawings``.
- ``drawing_pages``: which drawings no note embeds get a page of their own, and where.
- ``external_media``: images and players from other sites, found with their lines and
  shown as labelled links (the site loads nothing from other hosts).

The adapter: ``plugin.ObsidianVaultPlugin`` (``- obsidian-vault`` in ``mkdocs.yml``),
with ``search_copy``: the lighter copy of each page the search plugin indexes (drawings
reduced to their text, no backlinks), which gives the same index for less parsing.
"""
