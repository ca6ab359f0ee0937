"""LZ-String base64: the decoder Obsidian's compressed-json needs, and its bounds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from vault_renderer.drawings.lzstring import (
    LZStringError,
    compress_to_base64,
    decompress_from_base64,
)

SEED = Path(__file__).resolve().parents[2] / "diagrams" / "ElastiCache read path.excalidraw.md"


def seed_block() -> str:
    text = SEED.read_text(encoding="utf-8")
    return re.search(r"```compressed-json\n(.*?)```", text, re.DOTALL).group(1)


class TestRoundTrip:
    def test_seed_block_decodes_and_re_encodes_byte_for_byte(self):
        block = seed_block()
        decoded = decompress_from_base64(block, max_chars=1_000_000)
        assert decoded.startswith('{\n\t"type": "excalidraw",\n\t"version": 2,')
        assert compress_to_base64(decoded) == "".join(block.split())

    @pytest.mark.parametrize(
        ("text", "encoded"),
        [
            ("", "Q==="),
            ("a", "IZA="),
            ("hello world", "BYUwNmD2AEDukCcwBMg="),
        ],
    )
    def test_known_outputs_of_the_javascript_library(self, text, encoded):
        assert compress_to_base64(text) == encoded
        assert decompress_from_base64(encoded, max_chars=100) == text

    @given(st.text())
    def test_any_text_round_trips(self, text):
        assert decompress_from_base64(compress_to_base64(text), max_chars=10**6) == text


class TestBadInput:
    @pytest.mark.parametrize(
        ("data", "reason"),
        [
            ("", "no data"),
            ("   \n ", "no data"),
            ("BYUw*NmD2", "'*' is not a base64 character"),
            ("BYUwNmD2AE", "truncated"),
            ("////", "stream starts with code 3, not a literal"),
        ],
    )
    def test_refused_with_a_reason(self, data, reason):
        with pytest.raises(LZStringError, match=re.escape(reason)):
            decompress_from_base64(data, max_chars=1000)

    def test_output_bound_stops_a_small_input_with_a_huge_output(self):
        bomb = compress_to_base64("a" * 200_000)
        assert len(bomb) < 2_000
        with pytest.raises(LZStringError, match="output exceeds 10,000 characters"):
            decompress_from_base64(bomb, max_chars=10_000)

    def test_every_truncation_of_the_seed_fails_cleanly(self):
        # A cut stream usually lacks its end code; when the bits left over happen to
        # spell one, the text is cut short and is no longer a JSON document.
        digits = "".join(seed_block().split())
        for cut in range(1, len(digits), 211):
            try:
                partial = decompress_from_base64(digits[:cut], max_chars=1_000_000)
            except LZStringError:
                continue
            with pytest.raises(json.JSONDecodeError):
                json.loads(partial)
