"""The questions each tool asks: checking answers and describing them as JSON Schema.

Both the checks and the schema come from ``data/questions.json``, so the in-page form
(generated from the schema) and the engine cannot drift apart.
"""

from __future__ import annotations

import difflib
import functools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import InvalidInput, NumberLiteral
from .facts import load_json, load_prices


def _number_text(value: float) -> str:
    return format(value, ",") if isinstance(value, int) else format(value, ",.10g")


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One question: its type, range, default and the words the form shows."""

    name: str
    type: str
    title: str
    description: str
    default: Any
    unit: str | None
    enum: tuple[Any, ...] | None = None
    enum_labels: Mapping[str, str] | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    group: str | None = None
    order: int | None = None
    required: bool = False
    example: Any = None

    @classmethod
    def from_data(cls, name: str, data: Mapping[str, Any]) -> FieldSpec:
        """Build a spec from its entry in questions.json."""
        enum = data.get("enum")
        labels = data.get("enum_labels")
        if "enum_from" in data:
            # Instance types: every type in the price list of any region.
            enum = sorted(
                {
                    name
                    for region in load_prices()["regions"].values()
                    for name in region["ec2"]["instances"]
                }
            )
            labels = {t: t for t in enum}
        return cls(
            name=name,
            type=data["type"],
            title=data["title"],
            description=data["description"],
            default=data.get("default"),
            unit=data["unit"],
            enum=tuple(enum) if enum is not None else None,
            enum_labels=labels,
            minimum=data.get("minimum"),
            maximum=data.get("maximum"),
            exclusive_minimum=data.get("exclusive_minimum"),
            group=data.get("group"),
            order=data.get("order"),
            required=data.get("required", False),
            example=data.get("example"),
        )

    def allowed(self) -> str:
        """What this field accepts, in words (for error messages)."""
        if self.enum is not None:
            return "one of " + ", ".join(json.dumps(v) for v in self.enum)
        if self.type == "boolean":
            return "true or false"
        kind = "an integer" if self.type == "integer" else "a number"
        unit = f" ({self.unit})" if self.unit else ""
        if self.exclusive_minimum is not None:
            low = f"greater than {_number_text(self.exclusive_minimum)}"
        else:
            low = f"from {_number_text(self.minimum)}" if self.minimum is not None else ""
        high = f"up to {_number_text(self.maximum)}" if self.maximum is not None else ""
        return " ".join(p for p in (kind, low, high) if p) + unit

    def check(self, value: object) -> Any:
        """Return the value, normalised, or raise ``InvalidInput`` naming this field."""
        if value is None and self.default is None and not self.required:
            return None  # an optional field without a default may be null: "not set"
        if self.type == "boolean":
            if not isinstance(value, bool):
                raise InvalidInput(self.name, value, self.allowed(), "not true or false")
            return value
        if self.type == "string":
            if not isinstance(value, str):
                raise InvalidInput(self.name, value, self.allowed(), "not a string")
            return self._check_enum(value)
        # Numbers. JSON has no separate bool type in Python's eyes: True is an int.
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidInput(self.name, value, self.allowed(), "not a number")
        if isinstance(value, float) and not math.isfinite(value):
            # 1e400 is a number in JSON but beyond what a float holds.
            problem = "out of range" if isinstance(value, NumberLiteral) else "not a finite number"
            raise InvalidInput(self.name, value, self.allowed(), problem)
        if self.type == "integer" and isinstance(value, float):
            if not value.is_integer():
                raise InvalidInput(self.name, value, self.allowed(), "not a whole number")
            value = int(value)
        if self.enum is not None:
            return self._check_enum(value)
        too_low = (self.minimum is not None and value < self.minimum) or (
            self.exclusive_minimum is not None and value <= self.exclusive_minimum
        )
        too_high = self.maximum is not None and value > self.maximum
        if too_low or too_high:
            raise InvalidInput(self.name, value, self.allowed(), "out of range")
        return value

    def _check_enum(self, value: Any) -> Any:
        if self.enum is not None and value not in self.enum:
            raise InvalidInput(self.name, value, self.allowed(), "not a known value")
        return value

    def schema(self) -> dict[str, Any]:
        """This field as a JSON Schema property, with the form's ``x-`` extensions."""
        prop: dict[str, Any] = {
            "type": self.type,
            "title": self.title,
            "description": self.description,
        }
        if self.required:
            prop["examples"] = [self.example]
        elif self.default is not None:
            prop["default"] = self.default
        if self.enum is not None:
            prop["enum"] = list(self.enum)
            labels = self.enum_labels or {}
            prop["x-enum-labels"] = {str(v): labels.get(str(v), str(v)) for v in self.enum}
        for key, bound in (
            ("minimum", self.minimum),
            ("maximum", self.maximum),
            ("exclusiveMinimum", self.exclusive_minimum),
        ):
            if bound is not None:
                prop[key] = bound
        prop["x-unit"] = self.unit
        if self.group is not None:
            prop["x-group"] = self.group
            prop["x-order"] = self.order
        return prop


@functools.cache
def field_specs(tool: str) -> tuple[FieldSpec, ...]:
    """A tool's questions (its key in questions.json), in form order."""
    specs = (FieldSpec.from_data(q["name"], q) for q in load_json("questions.json")[tool])
    return tuple(sorted(specs, key=lambda s: (s.order or 0, s.name)))


def workload_fields() -> tuple[FieldSpec, ...]:
    """The recommend tool's questions, in form order."""
    return field_specs("recommend")


@functools.cache
def cost_fields() -> Mapping[str, tuple[FieldSpec, ...]]:
    """The cost tool's questions for each service."""
    data = load_json("questions.json")["cost"]
    specs = {name: FieldSpec.from_data(name, spec) for name, spec in data["fields"].items()}
    return {
        service: tuple(specs[name] for name in names) for service, names in data["services"].items()
    }


def check_object(
    raw: object, fields: Sequence[FieldSpec], ignore: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Check a JSON object against ``fields``; fill in defaults for missing ones.

    Args:
        raw: The decoded input.
        fields: The questions it may answer.
        ignore: Keys checked elsewhere (the cost tool's ``service``).

    Returns:
        Every field, normalised, in the order of ``fields``.

    Raises:
        InvalidInput: On the first unknown field or bad value, naming it.
    """
    if not isinstance(raw, Mapping):
        raise InvalidInput("$", raw, "a JSON object, e.g. {}", "not a JSON object")
    by_name = {f.name: f for f in fields}
    for key in raw:
        if not isinstance(key, str) or (key not in by_name and key not in ignore):
            raise unknown_field(key, raw[key], [*by_name, *sorted(ignore)])
    for spec in fields:
        if spec.required and spec.name not in raw:
            raise InvalidInput(spec.name, None, spec.allowed(), "missing (required)")
    return {f.name: f.check(raw[f.name]) if f.name in raw else f.default for f in fields}


def unknown_field(key: object, value: object, known: Sequence[str]) -> InvalidInput:
    """The error for a field nobody asked about, with a "did you mean" hint."""
    close = difflib.get_close_matches(str(key), known, n=1)
    hint = f"unknown field (did you mean '{close[0]}'?)" if close else "unknown field"
    return InvalidInput(str(key), value, "the fields " + ", ".join(known), hint)
