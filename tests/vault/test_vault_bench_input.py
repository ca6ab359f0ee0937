"""The benchmark's generated vault is what it claims to be (the timing is in bench/)."""

from __future__ import annotations

from pathlib import Path

from vault_renderer.drawings import render_excalidraw
from vault_renderer.links import LinkKind, find_links

from bench.vault import DRAWINGS, NOTES, generate_vault


def test_generated_vault_holds_notes_links_and_valid_drawings(tmp_path: Path) -> None:
    generate_vault(tmp_path)
    notes = sorted((tmp_path / "docs").rglob("Note *.md"))
    drawings = sorted((tmp_path / "diagrams").glob("*.excalidraw"))
    assert (len(notes), len(drawings)) == (NOTES, DRAWINGS)
    embedded = {
        occurrence.link.target
        for note in notes
        for occurrence in find_links(note.read_text(encoding="utf-8"))
        if occurrence.kind is LinkKind.EMBED and occurrence.link.target.endswith(".excalidraw")
    }
    assert len(embedded) == DRAWINGS
    drawing = render_excalidraw(drawings[0].read_text(), name="d", resolve_file=lambda _: None)
    assert drawing.warnings == ()
    assert drawing.element_count == 30
