"""JSON Schemas of the tools' inputs, generated from the questions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .cost import COST_MODELS
from .facts import service_by_id
from .inputs import FieldSpec, cost_fields, workload_fields

_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def object_schema(title: str, description: str, fields: Sequence[FieldSpec]) -> dict[str, Any]:
    """A tool's input: a closed JSON object of its questions, the required ones listed."""
    schema: dict[str, Any] = {
        "$schema": _DIALECT,
        "title": title,
        "description": description,
        "type": "object",
        "properties": {f.name: f.schema() for f in fields},
        "additionalProperties": False,
    }
    required = [f.name for f in fields if f.required]
    if required:
        schema["required"] = required
    return schema


def recommend_schema() -> dict[str, Any]:
    """The workload accepted by ``recommend`` (the in-page form is generated from it)."""
    return object_schema(
        "Workload",
        "Describe the workload; every field is optional and has a default.",
        workload_fields(),
    )


def cost_schema() -> dict[str, Any]:
    """The request accepted by ``cost``: a service id and that service's fields."""
    labels = {s: service_by_id()[s].label for s in COST_MODELS}
    branches = [
        {
            "title": labels[service],
            "type": "object",
            "properties": {
                "service": {"const": service},
                **{f.name: f.schema() for f in cost_fields()[service]},
            },
            "required": ["service"],
            "additionalProperties": False,
        }
        for service in COST_MODELS
    ]
    return {
        "$schema": _DIALECT,
        "title": "Cost request",
        "description": "One service and its usage; fields other than service are optional.",
        "type": "object",
        "properties": {
            "service": {
                "type": "string",
                "title": "Service",
                "description": "Which service to price.",
                "enum": list(COST_MODELS),
                "x-enum-labels": labels,
            }
        },
        "required": ["service"],
        "oneOf": branches,
    }


def input_schemas() -> dict[str, Any]:
    """Each tool's input schema keyed by its command, and the cost request's, as
    ``python -m decision_engine schema`` prints them."""
    from .tools import tools  # the registry imports this module

    return {**{t.command: t.schema() for t in tools().values()}, "cost": cost_schema()}
