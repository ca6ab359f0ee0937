"""The decision tools: one registry that the CLI, the schema command and the pages read.

A tool is a module of this package with

* its questions in ``data/questions.json`` (under the tool's key), from which both the
  input checks and the input's JSON Schema are generated (:mod:`decision_engine.inputs`);
* a pure function from that input to a JSON-ready result that explains every choice and
  every rejection (reasons, sources, as-of dates) and names the Well-Architected pillars
  the decision touches (:func:`pillars_for`, data in ``data/pillars.json``);
* an entry in :data:`TOOLS` below, which gives it a CLI subcommand
  (``python -m decision_engine <command>``, JSON on stdin) and a page under ``docs/tools/``;
* one HTML renderer (``render_<tool>.py``, see :mod:`decision_engine.tool_page`), used by
  the build-time macro and by the in-page worker alike.

Adding a tool touches exactly those files plus its macro, its page and the pillar pages;
CONTRIBUTING.md ("Adding a decision tool") lists them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .facts import load_json


@dataclass(frozen=True, slots=True)
class Tool:
    """One decision tool.

    Attributes:
        id: The tool's id (``"compute"``): its key in ``pillars.json`` and the page's
            ``data-tool``.
        command: Its CLI subcommand and its key in ``input_schemas()`` (``"recommend"``).
        title: Its name on the page.
        page: Its page, docs-relative (``"tools/compute.md"``).
        schema: Returns its input's JSON Schema.
        answer: The pure function from an input (decoded JSON) to the result.
    """

    id: str
    command: str
    title: str
    page: str
    schema: Callable[[], dict[str, Any]]
    answer: Callable[[Mapping[str, object]], dict[str, Any]]


@functools.cache
def tools() -> Mapping[str, Tool]:
    """Every tool, keyed by id (imported here, on first use, to keep imports acyclic)."""
    from .dr import dr_schema, recommend_dr
    from .recommend import recommend
    from .review import review, review_schema
    from .schema import recommend_schema

    return {
        tool.id: tool
        for tool in (
            Tool(
                "compute",
                "recommend",
                "Compute choice",
                "tools/compute.md",
                recommend_schema,
                recommend,
            ),
            Tool("dr", "dr", "Disaster-recovery strategy", "tools/dr.md", dr_schema, recommend_dr),
            Tool(
                "review",
                "review",
                "Well-Architected review",
                "tools/review.md",
                review_schema,
                review,
            ),
        )
    }


@functools.cache
def pillars() -> Mapping[str, Mapping[str, str]]:
    """The six Well-Architected pillars keyed by the WA Tool's pillar id, in framework order."""
    return {p["id"]: p for p in load_json("pillars.json")["pillars"]}


def pillars_for(tool_id: str) -> list[dict[str, str]]:
    """The pillars a tool's decision touches, as its result lists them.

    Returns:
        ``[{"id", "label", "handbook", "why"}]``, most touched first.
    """
    return [
        {**pillars()[entry["pillar"]], "why": entry["why"]}
        for entry in load_json("pillars.json")["tools"][tool_id]
    ]
