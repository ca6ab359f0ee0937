"""The one error the engine raises for bad input."""

from __future__ import annotations

import json

_MAX_VALUE_CHARS = 60


def _show(value: object) -> str:
    """Render a value the way the user typed it (JSON), cut to one short line."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    text = " ".join(text.split())
    if len(text) > _MAX_VALUE_CHARS:
        text = text[: _MAX_VALUE_CHARS - 1] + "…"
    return text


class InvalidInput(ValueError):
    """A workload or cost request that the engine cannot answer.

    Attributes:
        field: The offending field (``$`` for the whole document), e.g. ``memory_mb``.
        value: The value that was given.
        allowed: What would have been accepted, in words.
        problem: What is wrong with the value.
    """

    def __init__(self, field: str, value: object, allowed: str, problem: str = "not allowed"):
        self.field = field
        self.value = value
        self.allowed = allowed
        self.problem = problem
        super().__init__(str(self))

    def __str__(self) -> str:
        # One line, because the CLI prints exactly this on stderr.
        text = f"{self.field}: {self.problem}: {_show(self.value)}; allowed: {self.allowed}"
        return " ".join(text.split())
