"""Which AWS compute service for this workload, why, and what will it cost?

The engine is pure Python (standard library only), deterministic and free of I/O at import:
its facts (service limits with source and date, prices per region, the questions and the
rules) are data files in ``decision_engine/data``, read once on first use.

The contract every caller shares (tests, the CLI, the page macros, the browser):

* ``recommend(workload) -> dict``: ``workload`` (checked, defaults filled in), ``ranking``
  (eligible services best first, each with ``service``, ``label``, ``score``, ``reasons``
  [{``text``, ``handbook``}] and ``monthly_cost``), ``ruled_out`` (each with ``service``,
  ``label`` and ``reasons`` naming the ``limit``, its ``value``, ``source`` and ``as_of``),
  ``prices_as_of`` and ``cost_weighting``. Every service id appears exactly once.
* ``estimate_cost(request) -> dict``: ``total_usd``, ``lines``, ``assumptions``,
  ``prices_as_of`` and ``sources`` for ``{"service": ..., ...}``.
* ``compare_costs(workload, requests_per_month) -> dict``: monthly cost series of the
  eligible services at each traffic level, for the cost chart.
* ``review(answers, lens=None) -> dict``: a Well-Architected review of answers against a
  lens in the WA Tool's custom lens format (the handbook's own by default; read another
  with ``read_lens_text``): each question's risk (``HIGH``, ``MEDIUM``, ``NONE``,
  ``UNANSWERED``, ``NOT_APPLICABLE``), counts per pillar and in total, and the
  improvement plan, highest risk first. A malformed lens raises ``InvalidLens`` naming
  its JSON path.
* ``input_schemas() -> dict``: the JSON Schema of each tool's input (forms are built from it).
* ``service_labels() -> dict``: service id to display name.
* ``InvalidInput`` (a ``ValueError``) carries ``field``, ``value`` and ``allowed``; its
  text is the one line ``python -m decision_engine`` prints before exiting with status 2.

``handbook`` values are docs-relative paths with anchors, such as
``"07 Compute/07-02 VMs, Containers and Serverless.md#aws-lambda"``.
"""

from __future__ import annotations

from .cost import estimate_cost
from .errors import InvalidInput
from .facts import services
from .lens import InvalidLens, handbook_lens, read_lens_text
from .recommend import compare_costs, recommend
from .review import review
from .schema import input_schemas


def service_labels() -> dict[str, str]:
    """Display names of the seven services, keyed by id, in ladder order."""
    return {s.id: s.label for s in services()}


__all__ = [
    "InvalidInput",
    "InvalidLens",
    "compare_costs",
    "estimate_cost",
    "handbook_lens",
    "input_schemas",
    "read_lens_text",
    "recommend",
    "review",
    "service_labels",
]
