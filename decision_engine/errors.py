"""The one error the engine raises for bad input."""

from __future__ import annotations

import json
import math

_MAX_VALUE_CHARS = 60
_NUMBER_CHARACTERS = frozenset("0123456789+-.eE")


class NumberLiteral(float):
    """A JSON number too large for a float, kept with the text the user wrote.

    ``1e400`` is valid JSON but parses to infinity; the error message must show what was
    typed, not "Infinity".

    Attributes:
        literal: The number as written in the JSON text.
    """

    literal: str

    def __new__(cls, literal: str) -> NumberLiteral:
        """Parse ``literal``; the float is infinite, the text is kept."""
        number = super().__new__(cls, literal)
        number.literal = literal
        return number


def parse_json_float(literal: str) -> float:
    """``json.loads``'s ``parse_float``: a float, or a :class:`NumberLiteral` on overflow."""
    number = float(literal)
    # Only digits overflow; "nan" and "inf" typed into a form stay what they are.
    overflow = not math.isfinite(number) and set(literal) <= _NUMBER_CHARACTERS
    return NumberLiteral(literal) if overflow else number


def _show(value: object) -> str:
    """Render a value the way the user typed it (JSON), cut to one short line."""
    try:
        text = (
            value.literal
            if isinstance(value, NumberLiteral)
            else json.dumps(value, ensure_ascii=False)
        )
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
