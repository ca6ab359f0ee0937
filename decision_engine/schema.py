"""JSON Schemas of the tools' inputs, generated from the questions."""

from __future__ import annotations

from typing import Any

from .cost import COST_MODELS
from .facts import service_by_id
from .inputs import cost_fields, workload_fields
from .review import review_schema

_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def recommend_schema() -> dict[str, Any]:
    """The workload accepted by ``recommend`` (the in-page form is generated from it)."""
    return {
        "$schema": _DIALECT,
        "title": "Workload",
        "description": "Describe the workload; every field is optional and has a default.",
        "type": "object",
        "properties": {f.name: f.schema() for f in workload_fields()},
        "additionalProperties": False,
    }


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
    """Each tool's input JSON Schema by command (``recommend``, ``cost``, ``review``)."""
    return {"recommend": recommend_schema(), "cost": cost_schema(), "review": review_schema()}
