"""The engine's data files, read lazily: services, limits, prices, questions and rules.

Nothing is read at import time; each file is read and parsed once, on first use, from the
package itself (``importlib.resources``), so the same code works from a wheel in Pyodide.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any


@functools.cache
def read_text(name: str) -> str:
    """The text of a data file of the package (``data/<name>``; read once, then kept)."""
    return resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")


def read_all_data() -> None:
    """Read every data file of the package now (each is then kept, see :func:`read_text`).

    The browser's engine calls it before taking a memory snapshot of Python: a start
    that restores the snapshot answers without the package's files.
    """
    for entry in resources.files(__package__).joinpath("data").iterdir():
        read_text(entry.name)


@functools.cache
def load_json(name: str) -> Any:
    """Parse a data file of the package (cached)."""
    return json.loads(read_text(name))


@functools.cache
def load_prices() -> Any:
    """The price list, with every number as a ``Decimal`` so that cents come out exact."""
    return json.loads(read_text("prices.json"), parse_float=Decimal, parse_int=Decimal)


@dataclass(frozen=True, slots=True)
class Service:
    """One of the seven compute services."""

    id: str
    label: str
    summary: str
    handbook: str


@dataclass(frozen=True, slots=True)
class Fact:
    """A documented limit of a service, with where and when it was checked."""

    key: str
    name: str
    value: Any
    unit: str | None
    source: str
    as_of: str
    verified: bool


@functools.cache
def services() -> tuple[Service, ...]:
    """The services in ladder order (least responsibility first, as in seed 000)."""
    return tuple(
        Service(s["id"], s["label"], s["summary"], s["handbook"])
        for s in load_json("services.json")["services"]
    )


@functools.cache
def service_by_id() -> Mapping[str, Service]:
    """The services keyed by id."""
    return {s.id: s for s in services()}


@functools.cache
def limits() -> Mapping[str, Fact]:
    """Every documented limit, keyed like ``lambda.max_memory_mb``."""
    return {
        key: Fact(key, f["name"], f["value"], f["unit"], f["source"], f["as_of"], f["verified"])
        for key, f in load_json("limits.json")["facts"].items()
    }


def region_prices(region: str) -> Mapping[str, Any]:
    """The price groups of one region (lambda, fargate, ec2, ...)."""
    regions: Mapping[str, Any] = load_prices()["regions"]
    return regions[region]


def stale_facts(older_than_days: int, today: dt.date) -> list[dict[str, Any]]:
    """Facts and price groups last checked more than ``older_than_days`` before ``today``.

    Args:
        older_than_days: Age in days beyond which a fact is listed.
        today: The reference day (passed in so the answer is deterministic).

    Returns:
        One entry per stale fact, oldest first: its key, name, as_of date, age, source and
        whether the figures were read from the source (``verified``).
    """
    entries: list[dict[str, Any]] = [
        {
            "fact": f.key,
            "name": f.name,
            "as_of": f.as_of,
            "source": f.source,
            "verified": f.verified,
        }
        for f in limits().values()
    ]
    for region, groups in load_prices()["regions"].items():
        for group, prices in groups.items():
            if isinstance(prices, Mapping):
                entries.append(
                    {
                        "fact": f"prices.{region}.{group}",
                        "name": f"{group} prices in {region}",
                        "as_of": prices["as_of"],
                        "source": prices["source"],
                        "verified": prices["verified"],
                    }
                )
    stale = []
    for entry in entries:
        age = (today - dt.date.fromisoformat(entry["as_of"])).days
        if age > older_than_days:
            stale.append({**entry, "age_days": age})
    return sorted(stale, key=lambda e: (-e["age_days"], e["fact"]))
