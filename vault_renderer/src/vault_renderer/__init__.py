"""Render an Obsidian vault (wikilinks, callouts, drawings) as part of an MkDocs site."""
