"""Rank the compute services for a workload: rules out, reasons, monthly cost, score."""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

from .cost import COST_MODELS, CostEstimate, fargate_task_sizes, to_decimal
from .errors import InvalidInput
from .facts import Service, region_prices, service_by_id, services
from .inputs import FieldSpec, check_object, workload_fields
from .rules import LimitReason, Reason, Workload, fit_reasons, format_value, ruled_out_reasons
from .tools import pillars_for

BASE_SCORE = 50
COST_POINTS = 20
HOURS_PER_MONTH = Decimal(730)
MS_PER_HOUR = Decimal(3_600_000)
AMPLIFY_BUILD_MINUTES = 100
AMPLIFY_MB_PER_REQUEST = Decimal("0.1")

COST_WEIGHTING = {
    "base_score": BASE_SCORE,
    "cost_points": COST_POINTS,
    "formula": "score = 50 + fit points + 20 × (cheapest + 1) ÷ (this service + 1), "
    "with monthly costs in USD; ranked by the exact score, shown rounded",
    "text": "Fit with the workload decides most of the score: each reason carries its points. "
    "Cost adds up to 20 points: the cheapest eligible service gets all 20 and the others a "
    "share in proportion to how much cheaper the cheapest is, so a service must cost several "
    "times more before cost outweighs one strong reason.",
}


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_CEILING))


@dataclass(frozen=True, slots=True)
class Ranked:
    """An eligible service with its score, reasons and monthly cost."""

    service: Service
    score: int
    fit_points: int
    cost_points: float
    reasons: tuple[Reason, ...]
    cost: CostEstimate

    def to_json(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "service": self.service.id,
            "label": self.service.label,
            "score": self.score,
            "fit_points": self.fit_points,
            "cost_points": self.cost_points,
            "reasons": [r.to_json() for r in self.reasons],
            "monthly_cost": self.cost.to_json(),
        }


@dataclass(frozen=True, slots=True)
class RuledOut:
    """A service the workload cannot run on, with every limit it breaks."""

    service: Service
    reasons: tuple[LimitReason, ...]

    def to_json(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "service": self.service.id,
            "label": self.service.label,
            "reasons": [r.to_json() for r in self.reasons],
        }


@dataclass(frozen=True, slots=True)
class Recommendation:
    """The whole answer for one workload."""

    workload: Mapping[str, Any]
    ranking: tuple[Ranked, ...]
    ruled_out: tuple[RuledOut, ...]
    prices_as_of: str

    def to_json(self) -> dict[str, Any]:
        """The JSON form, as ``python -m decision_engine recommend`` prints it."""
        return {
            "workload": dict(self.workload),
            "ranking": [r.to_json() for r in self.ranking],
            "ruled_out": [r.to_json() for r in self.ruled_out],
            "prices_as_of": self.prices_as_of,
            "cost_weighting": COST_WEIGHTING,
            "pillars": pillars_for("compute"),
        }


@dataclass(frozen=True, slots=True)
class Sizing:
    """How many copies of the workload run, and for how long (the cost assumptions)."""

    work_hours: Decimal
    copies: int
    hours_each: Decimal

    @classmethod
    def for_capacity(cls, workload: Workload, copies_per_unit: int, always_on: bool) -> Sizing:
        """Units (tasks or instances) needed when each unit runs ``copies_per_unit`` copies.

        The work is requests × average duration; a unit busy 730 hours a month is full.
        Always-on units run all month; the others only while there is work.
        """
        work = to_decimal(workload.requests_per_month) * to_decimal(workload.avg_duration_ms)
        unit_hours = work / MS_PER_HOUR / copies_per_unit
        units = max(1, _ceil(unit_hours / HOURS_PER_MONTH))
        hours = HOURS_PER_MONTH if always_on else unit_hours / units
        return cls(work / MS_PER_HOUR, units, hours)

    def describe(self, unit: str) -> str:
        """The assumption in words."""
        return (
            f"Work = requests × average time = {format_value(float(self.work_hours))} hours a "
            f"month; sized as {self.copies} {unit}(s) running "
            f"{format_value(float(round(self.hours_each, 2)))} hours each."
        )


def _cheapest_instance(workload: Workload) -> tuple[str, int] | None:
    """The cheapest instance type that fits one copy, and how many copies it holds."""
    return _cheapest_instance_for(
        workload.region,
        workload.os,
        workload.architecture,
        workload.needs_gpu,
        workload.vcpu,
        workload.memory_mb,
    )


# Every instance-based service of an answer (EC2, ECS, EKS, Beanstalk) and each of its
# cost comparison's workloads asks this of the same copy size: about 40 times an
# answer, one scan of the whole price list each, and most of an answer's time.
@functools.lru_cache(maxsize=256)
def _cheapest_instance_for(
    region: str, os: str, architecture: str, needs_gpu: bool, vcpu: float, memory_mb: float
) -> tuple[str, int] | None:
    vcpu_needed = to_decimal(vcpu)
    fits = []
    for name, spec in region_prices(region)["ec2"]["instances"].items():
        price = spec[os]
        if (
            price is not None
            and spec["architecture"] == architecture
            and (spec["gpus"] > 0) == needs_gpu
            and spec["vcpu"] >= vcpu_needed
            and spec["memory_gib"] * 1024 >= memory_mb
        ):
            per_instance = min(
                int(spec["vcpu"] / vcpu_needed),
                int(spec["memory_gib"] * 1024 // memory_mb),
            )
            fits.append((price, name, per_instance))
    if not fits:
        return None
    _, name, per_instance = min(fits)
    return name, per_instance


def _no_instance(workload: Workload) -> LimitReason:
    ec2 = region_prices(workload.region)["ec2"]
    # The rules have already ruled out OS and architecture pairs AWS does not offer, so
    # the same kind of instance exists; only its size falls short.
    largest = max(
        (spec["vcpu"], spec["memory_gib"], name)
        for name, spec in ec2["instances"].items()
        if spec["architecture"] == workload.architecture
        and (spec["gpus"] > 0) == workload.needs_gpu
        and spec[workload.os] is not None
    )
    gpu = " GPU" if workload.needs_gpu else ""
    return LimitReason(
        text=(
            f"Needs {format_value(workload.vcpu)} vCPUs and {format_value(workload.memory_mb)} MB "
            f"per copy; the largest {workload.os} {workload.architecture}{gpu} instance in the "
            f"price list, {largest[2]}, has {format_value(int(largest[0]))} vCPUs and "
            f"{format_value(int(largest[1]))} GiB."
        ),
        rule="instance-fits",
        limit=f"Largest {workload.os} {workload.architecture}{gpu} EC2 instance in the price list",
        value=largest[2],
        unit=None,
        source=ec2["source"],
        as_of=ec2["as_of"],
        handbook="07 Compute/07-01 EC2 Overview.md#instance-types",
    )


def _cost_request(service: str, workload: Workload) -> tuple[dict[str, Any], str] | LimitReason:
    """Turn the workload into the cost request for one service, and say how."""
    common = {"service": service, "region": workload.region}
    if service == "lambda":
        storage_mb = max(512, math.ceil(workload.ephemeral_storage_gb * 1024))
        request = {
            **common,
            "requests_per_month": workload.requests_per_month,
            "avg_duration_ms": workload.avg_duration_ms,
            "memory_mb": workload.memory_mb,
            "architecture": workload.architecture,
            "ephemeral_storage_mb": storage_mb,
            "free_tier": True,
        }
        return request, "Lambda memory is the workload's memory; the free tier is applied."
    if service == "amplify":
        data_gb = to_decimal(workload.requests_per_month) * AMPLIFY_MB_PER_REQUEST / 1024
        request = {
            **common,
            "build_minutes": AMPLIFY_BUILD_MINUTES,
            "storage_gb": workload.image_size_gb,
            "data_served_gb": data_gb,
        }
        return request, (
            f"{AMPLIFY_BUILD_MINUTES} build minutes a month; the site is the package size; "
            f"each request serves {AMPLIFY_MB_PER_REQUEST} MB."
        )
    if service == "fargate":
        windows = workload.os == "windows"
        vcpu, memory_gb = next(
            (size, memory)
            for size, memories, for_windows in fargate_task_sizes()
            if size >= workload.vcpu and (for_windows or not windows)
            for memory in memories
            if memory >= workload.memory_gb
        )
        sizing = Sizing.for_capacity(workload, 1, workload.always_on)
        request = {
            **common,
            "tasks": sizing.copies,
            "vcpu": vcpu,
            "memory_gb": memory_gb,
            "hours_per_month": sizing.hours_each,
            "architecture": workload.architecture,
            "os": workload.os,
            "ephemeral_storage_gb": max(20.0, workload.ephemeral_storage_gb),
        }
        return request, (
            f"Smallest Fargate task that fits: {format_value(vcpu)} vCPU, "
            f"{format_value(memory_gb)} GB. " + sizing.describe("task")
        )
    instance = _cheapest_instance(workload)
    if instance is None:
        return _no_instance(workload)
    instance_type, per_instance = instance
    # A Beanstalk environment keeps its instances, and an EKS cluster its control plane and
    # nodes, running all month: neither scales to zero.
    always_on = workload.always_on or service in ("elastic-beanstalk", "eks")
    sizing = Sizing.for_capacity(workload, per_instance, always_on)
    request = {
        **common,
        "instance_type": instance_type,
        "count": sizing.copies,
        "hours_per_month": sizing.hours_each,
        "os": workload.os,
    }
    if service == "eks":
        request |= {"clusters": 1, "support": "standard"}
    if service == "elastic-beanstalk":
        request |= {"load_balancer": sizing.copies > 1, "lcus": 1}
    how = (
        f"Cheapest instance type that fits one copy: {instance_type} "
        f"(room for {per_instance} per instance). " + sizing.describe("instance")
    )
    if region_prices(workload.region)["ec2"]["instances"][instance_type].get("burstable"):
        how += (
            f" {instance_type} is burstable: sustained full CPU use costs extra CPU credits;"
            " an m7i or m7g size avoids that."
        )
    return request, how


def _estimate_for(service: str, workload: Workload) -> CostEstimate | LimitReason:
    sized = _cost_request(service, workload)
    if isinstance(sized, LimitReason):
        return sized
    request, how = sized
    estimate = COST_MODELS[service][1](request)
    return CostEstimate(
        estimate.service,
        estimate.region,
        estimate.lines,
        (how, *estimate.assumptions),
        estimate.prices_as_of,
        estimate.sources,
        estimate.request,
    )


def check_workload(workload: Mapping[str, object]) -> Workload:
    """Check a workload and fill in defaults.

    Raises:
        InvalidInput: Naming the first bad field.
    """
    return Workload(**check_object(workload, workload_fields()))


def _assess(workload: Workload) -> tuple[dict[str, CostEstimate], list[RuledOut]]:
    """Cost every eligible service; collect the ruled-out ones with their reasons."""
    eligible: dict[str, CostEstimate] = {}
    ruled_out: list[RuledOut] = []
    for service in services():
        reasons = ruled_out_reasons(workload, service.id)
        if not reasons:
            estimate = _estimate_for(service.id, workload)
            if isinstance(estimate, CostEstimate):
                eligible[service.id] = estimate
                continue
            reasons = [estimate]
        ruled_out.append(RuledOut(service, tuple(reasons)))
    return eligible, ruled_out


def recommend_workload(workload: Workload) -> Recommendation:
    """Rank the services for a checked workload."""
    eligible, ruled_out = _assess(workload)
    cheapest = min((e.total_usd for e in eligible.values()), default=Decimal(0))
    ranked = []
    for order, (service_id, estimate) in enumerate(eligible.items()):
        service = service_by_id()[service_id]
        fit = fit_reasons(workload, service_id)
        fit_points = sum(r.points for r in fit)
        cost_points = round(COST_POINTS * float((cheapest + 1) / (estimate.total_usd + 1)), 1)
        exact = BASE_SCORE + fit_points + cost_points
        summary = Reason(service.summary, service.handbook, "summary", 0)
        reasons = (summary, *sorted(fit, key=lambda r: -r.points))
        ranked.append(
            (
                -exact,
                order,
                Ranked(service, round(exact), fit_points, cost_points, reasons, estimate),
            )
        )
    ranked.sort(key=lambda item: item[:2])
    prices = region_prices(workload.region)
    return Recommendation(
        workload={f.name: getattr(workload, f.name) for f in workload_fields()},
        ranking=tuple(r for _, _, r in ranked),
        ruled_out=tuple(ruled_out),
        prices_as_of=min(g["as_of"] for g in prices.values() if isinstance(g, Mapping)),
    )


def recommend(workload: Mapping[str, object]) -> dict[str, Any]:
    """Which compute service for this workload, why, and at what monthly cost.

    Args:
        workload: A JSON object of workload fields (all optional; see ``input_schemas``).

    Returns:
        The JSON-ready answer exactly as ``python -m decision_engine recommend`` prints it:
        ``workload`` (checked, defaults filled in), ``ranking``, ``ruled_out``,
        ``prices_as_of`` and ``cost_weighting``.

    Raises:
        InvalidInput: If the workload is not valid.
    """
    return recommend_workload(check_workload(workload)).to_json()


def compare_costs(
    workload: Mapping[str, object], requests_per_month: Sequence[int]
) -> dict[str, Any]:
    """Monthly cost of each eligible service at several traffic levels (the cost chart).

    Args:
        workload: A JSON object of workload fields.
        requests_per_month: The traffic levels to price.

    Returns:
        ``{"requests_per_month": [...], "series": [{"service", "label", "monthly_usd"}]}``
        for the services ``recommend`` finds eligible, in ladder order.

    Raises:
        InvalidInput: If the workload or a traffic level is not valid.
    """
    checked = check_workload(workload)
    spec: FieldSpec = next(f for f in workload_fields() if f.name == "requests_per_month")
    if isinstance(requests_per_month, str | bytes) or not isinstance(requests_per_month, Sequence):
        raise InvalidInput(
            "requests_per_month", requests_per_month, "a list of " + spec.allowed(), "not a list"
        )
    levels = []
    for index, level in enumerate(requests_per_month):
        try:
            levels.append(spec.check(level))
        except InvalidInput as err:
            raise InvalidInput(
                f"requests_per_month[{index}]", level, err.allowed, err.problem
            ) from None
    base = {f.name: getattr(checked, f.name) for f in workload_fields()}
    eligible, _ = _assess(checked)
    series = {service: [] for service in eligible}
    for level in levels:
        priced, _ = _assess(Workload(**(base | {"requests_per_month": level})))
        for service, values in series.items():
            values.append(float(priced[service].total_usd))
    return {
        "requests_per_month": levels,
        "series": [
            {"service": s, "label": service_by_id()[s].label, "monthly_usd": v}
            for s, v in series.items()
        ],
    }
