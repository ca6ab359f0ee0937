"""Which disaster-recovery strategy meets an RTO and an RPO, and what the recovery side costs.

The four strategies of AWS's DR whitepaper (``backup-restore``, ``pilot-light``,
``warm-standby``, ``multi-site``) with the band of recovery time and recovery point each
typically achieves, the services each uses and the prices of its recovery side are data
(``data/dr.json``); the questions are in ``data/questions.json`` under ``dr``.

A strategy is ruled out when its best typical RTO or RPO is above the objective, when it
needs more operations effort than the team accepts, when it would copy data out of the
one Region the data must stay in, or when it costs more than the budget. The others are
ranked cheapest first: the cheapest strategy that meets both objectives is the best fit.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .facts import load_json
from .inputs import FieldSpec, check_object, field_specs
from .schema import object_schema
from .tools import pillars_for

_CENT = Decimal("0.01")
_OBJECTIVES = {"rto_minutes": "rto", "rpo_minutes": "rpo"}
_OBJECTIVE_NAMES = {"rto": "RTO", "rpo": "RPO"}
_OBJECTIVE_WORDS = {"rto": "recovery time", "rpo": "recovery point"}


@functools.cache
def _facts() -> Mapping[str, Any]:
    return load_json("dr.json")


def dr_fields() -> tuple[FieldSpec, ...]:
    """The DR tool's questions, in form order."""
    return field_specs("dr")


def dr_schema() -> dict[str, Any]:
    """The input accepted by ``python -m decision_engine dr`` (the form is generated from it)."""
    return object_schema(
        "Disaster-recovery objectives",
        "The recovery objectives (required) and what the workload is like.",
        dr_fields(),
    )


def _money(value: Decimal) -> float:
    return float(value.quantize(_CENT, rounding=ROUND_HALF_UP))


def _minutes(value: float) -> str:
    """A number of minutes in words a planner uses (``90`` -> ``"1.5 hours"``)."""
    if value >= 120 and value % 60 == 0:
        return f"{value / 60:g} hours"
    if value >= 120:
        return f"{value / 60:.3g} hours"
    return f"{value:g} minute" + ("" if value == 1 else "s")


def _line(item: str, quantity: Decimal, price_key: str) -> dict[str, Any]:
    price = _facts()["prices"][price_key]
    unit_price = Decimal(price["usd"])
    return {
        "item": item,
        "quantity": float(quantity),
        "unit": price["unit"],
        "unit_price_usd": float(unit_price),
        "amount_usd": _money(quantity * unit_price),
        "source": price["source"],
    }


def _backup_lines(inputs: Mapping[str, Any], cross_region: bool, why: str) -> list[dict[str, Any]]:
    """Backup copies kept for the retention period, and copying the changes across."""
    assumptions = _facts()["assumptions"]
    days = Decimal(assumptions["days_per_month"])
    stored = Decimal(str(inputs["data_gb"])) + Decimal(str(inputs["daily_change_gb"])) * Decimal(
        assumptions["backup_retention_days"]
    )
    lines = [_line(f"Backup storage: {why}", stored, "backup_storage_gb_month")]
    if cross_region:
        changed = Decimal(str(inputs["daily_change_gb"])) * days
        lines.append(
            _line(
                "Copying each day's changes to the recovery Region",
                changed,
                "inter_region_transfer_gb",
            )
        )
    return lines


def _cost(strategy: Mapping[str, Any], inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The recovery side's monthly cost: lines, total and the assumptions behind them."""
    facts = _facts()
    assumptions = facts["assumptions"]
    days = Decimal(assumptions["days_per_month"])
    single_region = inputs["data_residency"] == "single_region"
    lines: list[dict[str, Any]] = []
    notes: list[str] = []
    if not strategy["live_copy"]:
        where = "a separate account in the same Region" if single_region else "the recovery Region"
        lines += _backup_lines(inputs, not single_region, f"copies in {where}")
        notes.append(
            f"Backups keep the full data set plus {assumptions['backup_retention_days']} days "
            "of daily changes (incremental copies)."
        )
    else:
        share = Decimal(str(strategy["standby_share"]))
        primary = Decimal(str(inputs["primary_monthly_cost_usd"]))
        if share < 1:
            lines.append(
                _line(
                    "Live replica of the data in the recovery Region",
                    Decimal(str(inputs["data_gb"])),
                    "replica_storage_gb_month",
                )
            )
        lines.append(
            _line(
                "Replicating each day's changes to the recovery Region",
                Decimal(str(inputs["daily_change_gb"])) * days,
                "inter_region_transfer_gb",
            )
        )
        lines.append(
            {
                "item": "Capacity running in the recovery Region",
                "quantity": float(share * 100),
                "unit": "% of the primary Region's monthly cost",
                "unit_price_usd": _money(primary / 100),
                "amount_usd": _money(primary * share),
                "source": facts["objectives"]["source"],
            }
        )
        health_checks = Decimal(assumptions["health_checks"])
        lines.append(
            _line("Route 53 health checks for failover", health_checks, "health_check_month")
        )
        notes.append(
            f"The recovery Region runs {float(share * 100):g}% of the primary Region's capacity "
            "all the time (the handbook's estimate for this strategy, from the whitepaper's "
            "description); "
            + (
                "its storage is part of that share."
                if share >= 1
                else "the data tier's storage is priced on its own."
            )
        )
        if inputs["corruption_protection"]:
            lines += _backup_lines(inputs, True, "point-in-time copies in a locked vault")
    if not strategy["live_copy"] and inputs["corruption_protection"]:
        notes.append("Continuous backups and Vault Lock add no charge beyond the storage above.")
    notes.append(
        f"A month is {assumptions['days_per_month']} days; prices are "
        f"{facts['prices']['region']} list prices as of {facts['prices']['as_of']}."
    )
    total = sum((Decimal(str(line["amount_usd"])) for line in lines), Decimal(0))
    return {"total_usd": _money(total), "lines": lines, "assumptions": notes}


def _objective_reason(
    strategy: Mapping[str, Any], objective: str, wanted: float, met: bool
) -> dict[str, Any]:
    band = strategy[objective]
    name = _OBJECTIVE_NAMES[objective]
    typical = (
        f"{strategy['label']}'s typical {_OBJECTIVE_WORDS[objective]} is {band['typical']} "
        f"({_minutes(band['best_minutes'])} at best)"
    )
    verdict = "Meets" if met else "Misses"
    text = (
        f"{verdict} your {name} of {_minutes(wanted)}: {typical}, because "
        f"{strategy[objective + '_why']}."
    )
    source = _facts()["objectives"]
    return {
        "objective": f"{objective}_minutes",
        "text": text,
        "your_minutes": wanted,
        "best_minutes": band["best_minutes"],
        "worst_minutes": band["worst_minutes"],
        "typical": band["typical"],
        "source": source["source"],
        "as_of": source["as_of"],
        "handbook": "architecture/multi-region-dr.md#the-four-strategies",
    }


def _rule_reasons(
    strategy: Mapping[str, Any], inputs: Mapping[str, Any], cost: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Why a strategy is out, beyond the objectives: effort, residency, budget."""
    facts = _facts()
    reasons = []
    order = facts["ops_effort"]["order"]
    needed, accepted = strategy["ops_effort"], inputs["ops_effort"]
    if order.index(needed) > order.index(accepted):
        reasons.append(
            {
                "objective": "ops_effort",
                "text": (
                    f"Needs {needed} operations effort ({facts['ops_effort']['why'][needed]}); "
                    f"the team accepts {accepted}."
                ),
                "source": facts["objectives"]["source"],
                "as_of": facts["objectives"]["as_of"],
                "handbook": strategy["handbook"],
            }
        )
    if strategy["live_copy"] and inputs["data_residency"] == "single_region":
        reasons.append(
            {
                "objective": "data_residency",
                "text": "Keeps a live copy of the data in a second Region; your data must stay "
                "in one Region.",
                "source": facts["objectives"]["source"],
                "as_of": facts["objectives"]["as_of"],
                "handbook": facts["single_region"]["handbook"],
            }
        )
    budget = inputs["monthly_budget_usd"]
    if budget is not None and cost["total_usd"] > budget:
        reasons.append(
            {
                "objective": "monthly_budget_usd",
                "text": (
                    f"Its recovery side costs about ${cost['total_usd']:,.2f} a month; "
                    f"the budget is ${budget:,.2f}."
                ),
                "source": facts["prices"]["backup_storage_gb_month"]["source"],
                "as_of": facts["prices"]["as_of"],
                "handbook": "architecture/multi-region-dr.md#the-four-strategies",
            }
        )
    return reasons


def _services(strategy: Mapping[str, Any], inputs: Mapping[str, Any]) -> list[dict[str, str]]:
    services = list(strategy["services"])
    if inputs["corruption_protection"]:
        services += _facts()["corruption"]["services"]
    return services


def check_dr(raw: object) -> dict[str, Any]:
    """Check a DR input and fill in defaults.

    Raises:
        InvalidInput: Naming the first bad or missing field.
    """
    return check_object(raw, dr_fields())


def recommend_dr(raw: Mapping[str, object]) -> dict[str, Any]:
    """Which DR strategies meet the objectives, cheapest first, and why the others do not.

    Args:
        raw: A JSON object with ``rto_minutes`` and ``rpo_minutes`` (required) and the
            optional fields of :func:`dr_schema`.

    Returns:
        The JSON-ready answer exactly as ``python -m decision_engine dr`` prints it:
        ``inputs`` (checked, defaults filled in), ``ranking`` (the strategies that meet
        both objectives and every constraint, cheapest first), ``ruled_out`` (each with
        reasons naming the objective or constraint, what the strategy typically achieves,
        the source and its date), ``corruption`` (the warning, when asked for),
        ``notes``, ``prices_as_of``, ``sources`` and ``pillars``.

    Raises:
        InvalidInput: If the input is not valid.
    """
    inputs = check_dr(raw)
    facts = _facts()
    ranked: list[tuple[float, int, dict[str, Any]]] = []
    ruled_out: list[dict[str, Any]] = []
    for order, strategy in enumerate(facts["strategies"]):
        cost = _cost(strategy, inputs)
        objectives = {
            objective: inputs[field] >= strategy[objective]["best_minutes"]
            for field, objective in _OBJECTIVES.items()
        }
        reasons = [
            _objective_reason(strategy, objective, inputs[field], objectives[objective])
            for field, objective in _OBJECTIVES.items()
        ]
        entry = {
            "strategy": strategy["id"],
            "label": strategy["label"],
            "summary": strategy["summary"],
            "handbook": strategy["handbook"],
            "monthly_cost": cost,
            "services": _services(strategy, inputs),
        }
        blocking = [r for r, met in zip(reasons, objectives.values(), strict=True) if not met]
        blocking += _rule_reasons(strategy, inputs, cost)
        if blocking:
            ruled_out.append({**entry, "reasons": blocking})
            continue
        if inputs["corruption_protection"]:
            reasons.append(
                {"text": facts["corruption"]["text"], "handbook": facts["corruption"]["handbook"]}
            )
        if inputs["data_residency"] == "single_region":
            reasons.append(
                {
                    "text": facts["single_region"]["text"],
                    "handbook": facts["single_region"]["handbook"],
                }
            )
        ranked.append((cost["total_usd"], order, {**entry, "reasons": reasons}))
    ranked.sort(key=lambda item: item[:2])
    prices = facts["prices"]
    return {
        "inputs": inputs,
        "ranking": [entry for _, _, entry in ranked],
        "ruled_out": ruled_out,
        "corruption": (
            {"text": facts["corruption"]["text"], "handbook": facts["corruption"]["handbook"]}
            if inputs["corruption_protection"]
            else None
        ),
        "prices_as_of": prices["as_of"],
        "prices_verified": prices["verified"],
        "sources": {
            "objectives": facts["objectives"]["source"],
            **{key: value["source"] for key, value in prices.items() if isinstance(value, dict)},
        },
        "pillars": pillars_for("dr"),
    }


__all__ = ["check_dr", "dr_fields", "dr_schema", "recommend_dr"]
