"""Monthly cost of each service from AWS's published on-demand prices.

Amounts are computed in ``Decimal`` and each line is rounded to the cent (half up), the
way AWS's own pricing examples show them; the total is the sum of the rounded lines.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .errors import InvalidInput
from .facts import limits, region_prices, service_by_id
from .inputs import check_object, cost_fields
from .rules import format_value

CENT = Decimal("0.01")
MILLION = Decimal(1_000_000)
SECONDS_PER_HOUR = Decimal(3600)
MB_PER_GB = Decimal(1024)


def to_decimal(value: int | float | Decimal) -> Decimal:
    """A number as a Decimal, exactly as written (0.1 stays 0.1)."""
    if isinstance(value, Decimal):
        return value
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


@dataclass(frozen=True, slots=True)
class CostLine:
    """One line of a bill: quantity × unit price, rounded to the cent."""

    item: str
    quantity: Decimal
    unit: str
    unit_price_usd: Decimal

    @property
    def amount_usd(self) -> Decimal:
        """The line's amount, rounded half up to the cent."""
        return (self.quantity * self.unit_price_usd).quantize(CENT, rounding=ROUND_HALF_UP)

    def to_json(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "item": self.item,
            "quantity": float(self.quantity),
            "unit": self.unit,
            "unit_price_usd": float(self.unit_price_usd),
            "amount_usd": float(self.amount_usd),
        }


@dataclass(frozen=True, slots=True)
class CostEstimate:
    """A monthly estimate for one service, with its line items and assumptions."""

    service: str
    region: str
    lines: tuple[CostLine, ...]
    assumptions: tuple[str, ...]
    prices_as_of: str
    sources: tuple[str, ...]
    request: Mapping[str, Any]

    @property
    def total_usd(self) -> Decimal:
        """The sum of the rounded lines."""
        return sum((line.amount_usd for line in self.lines), Decimal("0.00"))

    def to_json(self) -> dict[str, Any]:
        """The JSON form, as ``python -m decision_engine cost`` prints it."""
        return {
            "service": self.service,
            "label": service_by_id()[self.service].label,
            "region": self.region,
            "total_usd": float(self.total_usd),
            "lines": [line.to_json() for line in self.lines],
            "assumptions": list(self.assumptions),
            "prices_as_of": self.prices_as_of,
            "sources": list(self.sources),
            # Sizing passes exact Decimals in; JSON gets floats.
            "request": {
                k: float(v) if isinstance(v, Decimal) else v for k, v in self.request.items()
            },
        }


def _estimate(
    request: Mapping[str, Any],
    groups: tuple[Mapping[str, Any], ...],
    lines: list[CostLine],
    assumptions: list[str],
) -> CostEstimate:
    # A price we could not re-read from its page is still the best figure we have, but
    # the reader must know it is unconfirmed (data files mark it `verified: false`).
    unconfirmed = dict.fromkeys(
        f"Prices from {g['source']} were recorded on {g['as_of']} without being re-read "
        "from that page; check it before relying on them."
        for g in groups
        if not g.get("verified", True)
    )
    return CostEstimate(
        service=request["service"],
        region=request["region"],
        lines=tuple(lines),
        assumptions=(*assumptions, *unconfirmed),
        prices_as_of=min(g["as_of"] for g in groups),
        sources=tuple(dict.fromkeys(g["source"] for g in groups)),
        request=request,
    )


def lambda_monthly_cost(request: Mapping[str, Any]) -> CostEstimate:
    """Lambda: requests, duration in GB-seconds (tiered, per architecture), extra /tmp.

    Args:
        request: A checked cost request for ``lambda``.

    Returns:
        The estimate, with the free tier applied when ``free_tier`` is true.
    """
    prices = region_prices(request["region"])["lambda"]
    requests = to_decimal(request["requests_per_month"])
    seconds = requests * to_decimal(request["avg_duration_ms"]) / 1000
    gb_seconds = seconds * to_decimal(request["memory_mb"]) / MB_PER_GB
    assumptions = [
        "Compute = requests × average duration × memory (1 GB = 1,024 MB), in GB-seconds.",
        "Duration tiers count all of the account's functions on one architecture in the "
        "Region; this estimate assumes this function is the only one.",
    ]
    if request["free_tier"]:
        requests = max(requests - prices["free_tier_requests"], Decimal(0))
        gb_seconds = max(gb_seconds - prices["free_tier_gb_seconds"], Decimal(0))
        assumptions.append(
            f"Free tier applied: the first {format_value(int(prices['free_tier_requests']))} "
            f"requests and {format_value(int(prices['free_tier_gb_seconds']))} GB-seconds "
            "of each month are free."
        )
    else:
        assumptions.append("Free tier not applied.")
    lines = [
        CostLine(
            "Requests", requests / MILLION, "million requests", prices["request_usd_per_million"]
        )
    ]
    architecture = request["architecture"]
    floor = Decimal(0)
    # The last tier has no ceiling, so the loop always ends at a `break`.
    for tier in prices["duration_tiers"][architecture]:  # pragma: no branch
        # Each tier prices the GB-seconds between the previous tier's ceiling and its own.
        ceiling = tier["up_to_gb_seconds"]
        top = gb_seconds if ceiling is None else min(gb_seconds, ceiling)
        beyond = f", beyond {format_value(int(floor))} GB-s" if floor else ""
        lines.append(
            CostLine(
                f"Duration ({architecture}{beyond})",
                top - floor,
                "GB-seconds",
                tier["usd_per_gb_second"],
            )
        )
        if ceiling is None or gb_seconds <= ceiling:
            break
        floor = ceiling
    included_mb = prices["ephemeral_storage_included_mb"]
    extra_gb = (to_decimal(request["ephemeral_storage_mb"]) - included_mb) / MB_PER_GB
    if extra_gb > 0:
        lines.append(
            CostLine(
                f"Ephemeral storage above {format_value(int(included_mb))} MB",
                seconds * extra_gb,
                "GB-seconds",
                prices["ephemeral_storage_usd_per_gb_second"],
            )
        )
    return _estimate(request, (prices,), lines, assumptions)


@functools.cache
def fargate_task_sizes() -> tuple[tuple[float, tuple[float, ...], bool], ...]:
    """Every Fargate task size: (vCPU, memory choices in GB, offered for Windows)."""
    sizes = []
    for size in limits()["fargate.task_sizes"].value:
        if "memory_gb" in size:
            memory = tuple(float(m) for m in size["memory_gb"])
        else:
            low, high, step = size["memory_range_gb"]
            memory = tuple(float(m) for m in range(low, high + 1, step))
        sizes.append((float(size["vcpu"]), memory, bool(size["windows"])))
    return tuple(sizes)


def _check_fargate(request: Mapping[str, Any]) -> None:
    windows = request["os"] == "windows"
    if windows and request["architecture"] == "arm64":
        raise InvalidInput(
            "architecture", "arm64", "x86_64 for Windows tasks", "Windows on Fargate is x86 only"
        )
    vcpu, memory, for_windows = next(s for s in fargate_task_sizes() if s[0] == request["vcpu"])
    if windows and not for_windows:
        allowed = ", ".join(format_value(s[0]) for s in fargate_task_sizes() if s[2])
        raise InvalidInput("vcpu", request["vcpu"], allowed, "not a Windows task size on Fargate")
    if float(request["memory_gb"]) not in memory:
        raise InvalidInput(
            "memory_gb",
            request["memory_gb"],
            f"for {format_value(vcpu)} vCPU: {format_value(memory)}",
            "not a Fargate task size",
        )


def fargate_monthly_cost(request: Mapping[str, Any]) -> CostEstimate:
    """Fargate: vCPU, memory and extra ephemeral storage per second, Windows licence.

    Args:
        request: A checked cost request for ``fargate``.

    Returns:
        The estimate for ``tasks`` tasks of one size running ``hours_per_month`` each.
    """
    prices = region_prices(request["region"])["fargate"]
    rates = prices["rates"][f"{request['os']}/{request['architecture']}"]
    seconds = (
        to_decimal(request["tasks"]) * to_decimal(request["hours_per_month"]) * SECONDS_PER_HOUR
    )
    vcpu_seconds = seconds * to_decimal(request["vcpu"])
    lines = [CostLine("vCPU", vcpu_seconds, "vCPU-seconds", rates["usd_per_vcpu_second"])]
    if rates["os_licence_usd_per_vcpu_second"]:
        lines.append(
            CostLine(
                "Windows OS licence",
                vcpu_seconds,
                "vCPU-seconds",
                rates["os_licence_usd_per_vcpu_second"],
            )
        )
    lines.append(
        CostLine(
            "Memory",
            seconds * to_decimal(request["memory_gb"]),
            "GB-seconds",
            rates["usd_per_gb_second"],
        )
    )
    included = prices["ephemeral_storage_included_gb"]
    extra = to_decimal(request["ephemeral_storage_gb"]) - included
    if extra > 0:
        lines.append(
            CostLine(
                f"Ephemeral storage above {format_value(int(included))} GB",
                seconds * extra,
                "GB-seconds",
                prices["ephemeral_storage_usd_per_gb_second"],
            )
        )
    assumptions = [
        f"{format_value(request['tasks'])} task(s) of {format_value(request['vcpu'])} vCPU and "
        f"{format_value(request['memory_gb'])} GB, {request['os']}/{request['architecture']}, "
        f"each running {format_value(float(request['hours_per_month']))} hours a month, billed "
        "per second.",
    ]
    return _estimate(request, (prices,), lines, assumptions)


def _check_instance(request: Mapping[str, Any]) -> None:
    instance = region_prices(request["region"])["ec2"]["instances"][request["instance_type"]]
    if instance[request["os"]] is None:
        raise InvalidInput(
            "os", request["os"], f"linux on {request['instance_type']}", "not offered on this type"
        )


def _instance_line(request: Mapping[str, Any]) -> tuple[CostLine, Mapping[str, Any]]:
    ec2 = region_prices(request["region"])["ec2"]
    instance_type, os = request["instance_type"], request["os"]
    instance = ec2["instances"][instance_type]
    hours = to_decimal(request["count"]) * to_decimal(request["hours_per_month"])
    line = CostLine(f"EC2 {instance_type} ({os})", hours, "instance-hours", instance[os])
    return line, ec2


def _instance_assumption(request: Mapping[str, Any]) -> str:
    instance = region_prices(request["region"])["ec2"]["instances"][request["instance_type"]]
    return (
        f"{format_value(request['count'])} × {request['instance_type']} "
        f"({format_value(int(instance['vcpu']))} vCPU, "
        f"{format_value(int(instance['memory_gib']))} GiB), {request['os']}, on demand, "
        f"{format_value(float(request['hours_per_month']))} hours a month each; storage "
        "(EBS) and data transfer not included."
    )


def ec2_monthly_cost(request: Mapping[str, Any]) -> CostEstimate:
    """EC2: on-demand instance-hours (Windows prices include the licence).

    Args:
        request: A checked cost request for ``ec2``.

    Returns:
        The estimate.
    """
    line, ec2 = _instance_line(request)
    return _estimate(request, (ec2,), [line], [_instance_assumption(request)])


def ecs_ec2_monthly_cost(request: Mapping[str, Any]) -> CostEstimate:
    """ECS on EC2: the container instances; ECS itself adds no charge.

    Args:
        request: A checked cost request for ``ecs-ec2``.

    Returns:
        The estimate.
    """
    line, ec2 = _instance_line(request)
    assumptions = [
        _instance_assumption(request),
        "Amazon ECS adds no charge of its own on EC2 capacity.",
    ]
    return _estimate(request, (ec2,), [line], assumptions)


def eks_monthly_cost(request: Mapping[str, Any]) -> CostEstimate:
    """EKS: the control plane per cluster-hour plus the worker nodes on EC2.

    Args:
        request: A checked cost request for ``eks``.

    Returns:
        The estimate.
    """
    eks = region_prices(request["region"])["eks"]
    support = request["support"]
    lines = [
        CostLine(
            f"EKS control plane ({support} support)",
            to_decimal(request["clusters"]) * to_decimal(request["hours_per_month"]),
            "cluster-hours",
            eks["cluster_usd_per_hour"][support],
        )
    ]
    line, ec2 = _instance_line(request)
    lines.append(line)
    assumptions = [
        f"{format_value(request['clusters'])} cluster(s) with Kubernetes {support} support.",
        "Worker nodes: " + _instance_assumption(request),
    ]
    return _estimate(request, (eks, ec2), lines, assumptions)


def elastic_beanstalk_monthly_cost(request: Mapping[str, Any]) -> CostEstimate:
    """Elastic Beanstalk: no charge of its own; the EC2 instances and the load balancer.

    Args:
        request: A checked cost request for ``elastic-beanstalk``.

    Returns:
        The estimate.
    """
    line, ec2 = _instance_line(request)
    lines = [line]
    groups: tuple[Mapping[str, Any], ...] = (ec2,)
    assumptions = [
        _instance_assumption(request),
        "Elastic Beanstalk adds no charge of its own.",
    ]
    if request["load_balancer"]:
        elb = region_prices(request["region"])["elb"]
        hours = to_decimal(request["hours_per_month"])
        lines.append(
            CostLine("Application Load Balancer", hours, "ALB-hours", elb["alb_usd_per_hour"])
        )
        lines.append(
            CostLine(
                "Load balancer capacity units",
                hours * to_decimal(request["lcus"]),
                "LCU-hours",
                elb["alb_usd_per_lcu_hour"],
            )
        )
        groups = (ec2, elb)
        assumptions.append(
            f"One Application Load Balancer using {format_value(request['lcus'])} LCU on average."
        )
    else:
        assumptions.append("Single-instance environment: no load balancer.")
    return _estimate(request, groups, lines, assumptions)


def amplify_monthly_cost(request: Mapping[str, Any]) -> CostEstimate:
    """Amplify Hosting: build minutes, stored site and data served.

    Args:
        request: A checked cost request for ``amplify``.

    Returns:
        The estimate (without the free tier, which is time-limited).
    """
    prices = region_prices(request["region"])["amplify"]
    lines = [
        CostLine(
            "Build and deploy",
            to_decimal(request["build_minutes"]),
            "build minutes",
            prices["build_usd_per_minute"],
        ),
        CostLine(
            "Site storage",
            to_decimal(request["storage_gb"]),
            "GB-months",
            prices["storage_usd_per_gb_month"],
        ),
        CostLine(
            "Data served",
            to_decimal(request["data_served_gb"]),
            "GB",
            prices["data_served_usd_per_gb"],
        ),
    ]
    assumptions = [
        "Static hosting only: server-side rendering requests and duration are not priced.",
        "No free tier applied.",
    ]
    return _estimate(request, (prices,), lines, assumptions)


def _no_cross_checks(request: Mapping[str, Any]) -> None:
    """Services whose fields are independent need no check beyond each field's own."""


COST_MODELS: Mapping[
    str,
    tuple[Callable[[Mapping[str, Any]], None], Callable[[Mapping[str, Any]], CostEstimate]],
] = {
    "amplify": (_no_cross_checks, amplify_monthly_cost),
    "lambda": (_no_cross_checks, lambda_monthly_cost),
    "fargate": (_check_fargate, fargate_monthly_cost),
    "ecs-ec2": (_check_instance, ecs_ec2_monthly_cost),
    "eks": (_check_instance, eks_monthly_cost),
    "elastic-beanstalk": (_check_instance, elastic_beanstalk_monthly_cost),
    "ec2": (_check_instance, ec2_monthly_cost),
}


def check_cost_request(request: object) -> dict[str, Any]:
    """Check a cost request and fill in its defaults.

    Raises:
        InvalidInput: Naming the first bad field.
    """
    services = ", ".join(COST_MODELS)
    if not isinstance(request, Mapping):
        raise InvalidInput("$", request, "a JSON object with a service field", "not a JSON object")
    if "service" not in request:
        raise InvalidInput("service", None, f"one of {services}", "missing")
    service = request["service"]
    if not isinstance(service, str) or service not in COST_MODELS:
        raise InvalidInput("service", service, f"one of {services}", "not a known service")
    checked = {
        "service": service,
        **check_object(request, cost_fields()[service], frozenset({"service"})),
    }
    COST_MODELS[service][0](checked)
    return checked


def estimate_cost(request: Mapping[str, object]) -> dict[str, Any]:
    """The monthly cost of one service, as ``python -m decision_engine cost`` prints it.

    Args:
        request: ``{"service": ..., ...}`` with that service's cost fields (see the schema).

    Returns:
        ``total_usd``, ``lines``, ``assumptions``, ``prices_as_of``, ``sources`` and the
        checked ``request``.

    Raises:
        InvalidInput: If the request is not valid.
    """
    checked = check_cost_request(request)
    return COST_MODELS[checked["service"]][1](checked).to_json()
