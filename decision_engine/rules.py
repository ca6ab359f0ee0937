"""The rules, read from ``data/rules.json`` and evaluated by small functions.

A condition compares one workload field with a value (or with a documented limit) through
the operator table below, the way pypa/packaging evaluates markers: adding a rule is an
edit to the data file, not to an ``if`` chain.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .facts import Fact, limits, load_json, service_by_id

OPERATORS: Mapping[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "in": lambda left, right: left in right,
    "not in": lambda left, right: left not in right,
}


@dataclass(frozen=True, slots=True)
class Workload:
    """A checked workload, every field present (see ``data/questions.json``)."""

    packaging: str
    max_runtime_minutes: float
    always_on: bool
    load_pattern: str
    os: str
    architecture: str
    needs_os_access: bool
    needs_gpu: bool
    kubernetes: bool
    on_premises: bool
    vcpu: float
    memory_mb: int
    ephemeral_storage_gb: float
    image_size_gb: float
    requests_per_month: int
    avg_duration_ms: float
    ops_effort: str
    region: str

    @property
    def memory_gb(self) -> float:
        """Memory per copy in GB (1 GB = 1,024 MB, as AWS bills it)."""
        return self.memory_mb / 1024


def format_value(value: object) -> str:
    """A value as the reason texts show it: 10,240 not 10240, yes/no for booleans."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return format(value, ",")
    if isinstance(value, float):
        # Derived figures (hours of work, GB) read best to the cent; small ones keep
        # four significant digits so 0.25 vCPU or a per-hour price stays exact.
        shown = round(value, 2) if abs(value) >= 1 else float(f"{value:.4g}")
        return format(shown, ",.10g")
    if isinstance(value, list | tuple):
        return ", ".join(format_value(v) for v in value)
    return str(value)


@dataclass(frozen=True, slots=True)
class Condition:
    """``field op value``, where the value may be a documented limit (``fact``)."""

    field: str
    op: str
    value: Any = None
    fact: str | None = None

    def right(self) -> Any:
        """The value compared against."""
        return limits()[self.fact].value if self.fact is not None else self.value

    def holds(self, workload: Workload) -> bool:
        """Whether the workload meets this condition."""
        return OPERATORS[self.op](getattr(workload, self.field), self.right())


def _conditions(data: list[Mapping[str, Any]]) -> tuple[Condition, ...]:
    return tuple(Condition(c["field"], c["op"], c.get("value"), c.get("fact")) for c in data)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a service fits (or fits less well), with the handbook section that explains it."""

    text: str
    handbook: str
    rule: str
    points: int

    def to_json(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "text": self.text,
            "handbook": self.handbook,
            "rule": self.rule,
            "points": self.points,
        }


@dataclass(frozen=True, slots=True)
class LimitReason:
    """Why a service is ruled out: the limit it cannot meet, its value and source."""

    text: str
    rule: str
    limit: str
    value: Any
    unit: str | None
    source: str
    as_of: str
    handbook: str

    def to_json(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "text": self.text,
            "limit": self.limit,
            "value": self.value,
            "unit": self.unit,
            "source": self.source,
            "as_of": self.as_of,
            "handbook": self.handbook,
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class HardRule:
    """A limit that rules a service out when all its conditions hold."""

    id: str
    services: tuple[str, ...]
    conditions: tuple[Condition, ...]
    fact: str
    text: str
    handbook: str

    def check(self, workload: Workload, service: str) -> LimitReason | None:
        """The reason ``service`` is ruled out for ``workload``, or None."""
        if not all(c.holds(workload) for c in self.conditions):
            return None
        fact: Fact = limits()[self.fact]
        # {actual} is the workload's value for the condition that cites this rule's limit.
        cited = next((c for c in self.conditions if c.fact == self.fact), self.conditions[-1])
        text = self.text.format(
            actual=format_value(getattr(workload, cited.field)),
            limit=format_value(fact.value),
            unit=fact.unit or "",
            label=service_by_id()[service].label,
        )
        return LimitReason(
            text, self.id, fact.name, fact.value, fact.unit, fact.source, fact.as_of, self.handbook
        )


@dataclass(frozen=True, slots=True)
class ScoreRule:
    """Points for (or against) one service when all conditions hold."""

    id: str
    service: str
    points: int
    conditions: tuple[Condition, ...]
    text: str
    handbook: str

    def check(self, workload: Workload) -> Reason | None:
        """The reason this rule fires for ``workload``, or None."""
        if all(c.holds(workload) for c in self.conditions):
            return Reason(self.text, self.handbook, self.id, self.points)
        return None


@functools.cache
def hard_rules() -> Mapping[str, tuple[HardRule, ...]]:
    """The ruling-out rules that apply to each service, in file order."""
    rules = [
        HardRule(
            r["id"],
            tuple(r["services"]),
            _conditions(r["all"]),
            r["fact"],
            r["text"],
            r["handbook"],
        )
        for r in load_json("rules.json")["ruled_out"]
    ]
    return {s: tuple(r for r in rules if s in r.services) for s in service_by_id()}


@functools.cache
def score_rules() -> Mapping[str, tuple[ScoreRule, ...]]:
    """The ranking rules of each service, in file order."""
    rules = [
        ScoreRule(
            r["id"], r["service"], r["points"], _conditions(r["all"]), r["text"], r["handbook"]
        )
        for r in load_json("rules.json")["score"]
    ]
    return {s: tuple(r for r in rules if r.service == s) for s in service_by_id()}


def ruled_out_reasons(workload: Workload, service: str) -> list[LimitReason]:
    """Every hard limit of ``service`` that ``workload`` breaks."""
    found = (rule.check(workload, service) for rule in hard_rules()[service])
    return [r for r in found if r is not None]


def fit_reasons(workload: Workload, service: str) -> list[Reason]:
    """Every ranking rule of ``service`` that fires for ``workload``."""
    found = (rule.check(workload) for rule in score_rules()[service])
    return [r for r in found if r is not None]
