"""The drawing cache: an unchanged drawing is rendered once, a bad entry is re-rendered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from vault_renderer.drawings import DrawingCache, RenderedDrawing, render_excalidraw
from vault_renderer.drawings import cache as cache_module

SEED = Path(__file__).resolve().parents[2] / "diagrams" / "ElastiCache read path.excalidraw.md"
VALID_ENTRY = {"svg": "<svg/>", "warnings": [], "texts": [], "element_count": 3}


def seed_render() -> RenderedDrawing:
    return render_excalidraw(
        SEED.read_text(encoding="utf-8"), name="seed", resolve_file=lambda _name: None
    )


class TestDrawingCache:
    def test_renders_once_per_content(self, tmp_path):
        cache = DrawingCache(tmp_path / "drawings")
        first = cache.render("source A", seed_render)
        again = cache.render("source A", seed_render)
        assert again == first
        assert cache.renders == 1
        cache.render("source B", seed_render)
        assert cache.renders == 2
        assert len(list((tmp_path / "drawings").glob("*.json"))) == 2

    def test_a_new_cache_object_reads_the_stored_entry(self, tmp_path):
        stored = DrawingCache(tmp_path).render("key", seed_render)
        fresh = DrawingCache(tmp_path)
        assert fresh.render("key", seed_render) == stored
        assert fresh.renders == 0

    def test_the_structured_fields_survive_the_round_trip(self, tmp_path):
        def broken() -> RenderedDrawing:
            return render_excalidraw("{not json", name="bad", resolve_file=lambda _name: None)

        missing = DrawingCache(tmp_path).render("seed", seed_render)
        placeholder = DrawingCache(tmp_path).render("broken", broken)
        fresh = DrawingCache(tmp_path)
        assert fresh.render("seed", seed_render) == missing
        assert fresh.render("broken", broken) == placeholder
        assert fresh.renders == 0
        assert len(missing.missing_files) == 4 and not missing.placeholder
        assert placeholder.placeholder and placeholder.missing_files == ()

    def test_renderer_version_is_part_of_the_key(self, tmp_path, monkeypatch):
        DrawingCache(tmp_path).render("key", seed_render)
        monkeypatch.setattr(cache_module, "RENDERER_VERSION", "excalidraw-svg/next")
        cache = DrawingCache(tmp_path)
        cache.render("key", seed_render)
        assert cache.renders == 1

    @pytest.mark.parametrize(
        "content",
        [
            b"",
            b"{truncated",
            b"\xff\xfe not utf-8",
            b"[]",
            json.dumps(
                {"svg": "<svg/>", "warnings": [], "texts": [], "element_count": "3"}
            ).encode(),
            json.dumps(
                {"svg": "<svg/>", "warnings": [1], "texts": [], "element_count": 3}
            ).encode(),
            json.dumps({"svg": None, "warnings": [], "texts": [], "element_count": 3}).encode(),
            json.dumps(VALID_ENTRY).encode(),
            json.dumps({**VALID_ENTRY, "placeholder": "no", "missing_files": []}).encode(),
            json.dumps({**VALID_ENTRY, "placeholder": False, "missing_files": "icon.svg"}).encode(),
        ],
        ids=[
            "empty",
            "truncated",
            "not-utf8",
            "not-an-object",
            "count-a-string",
            "warning-not-text",
            "no-svg",
            "before-the-structured-fields",
            "placeholder-not-a-bool",
            "missing-files-not-a-list",
        ],
    )
    def test_corrupt_entries_are_re_rendered_and_replaced(self, tmp_path, content):
        cache = DrawingCache(tmp_path)
        good = cache.render("key", seed_render)
        (entry,) = tmp_path.glob("*.json")
        entry.write_bytes(content)
        again = DrawingCache(tmp_path)
        assert again.render("key", seed_render) == good
        assert again.renders == 1
        assert json.loads(entry.read_text(encoding="utf-8"))["element_count"] == good.element_count

    def test_leaves_no_temporary_files(self, tmp_path):
        DrawingCache(tmp_path).render("key", seed_render)
        assert [p.suffix for p in tmp_path.iterdir()] == [".json"]
