"""Benchmark of the decision engine: ``recommend()`` latency over a mixed set of workloads.

Goal: a median of 1 ms or less per call in CPython, warm (data files already loaded, as
they are after the first call in the page). The first, cold call is reported apart.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Mapping

ROUNDS = 200

# One workload per kind of answer the page gives: short functions, part-time and always-on
# containers, Kubernetes, on-premises, static sites, machine images, GPUs, Windows, limits.
WORKLOADS: Mapping[str, Mapping[str, object]] = {
    "defaults (short function)": {},
    "spiky function, Arm": {"architecture": "arm64", "requests_per_month": 50_000_000},
    "part-time container": {"packaging": "container", "always_on": False},
    "always-on container": {"packaging": "container", "always_on": True, "load_pattern": "steady"},
    "Kubernetes": {"packaging": "container", "kubernetes": True},
    "on-premises": {"packaging": "container", "on_premises": True},
    "static site": {"packaging": "static_site"},
    "machine image, OS access": {"packaging": "machine", "needs_os_access": True},
    "GPU container": {"packaging": "container", "needs_gpu": True, "vcpu": 4, "memory_mb": 16384},
    "Windows container": {"packaging": "container", "os": "windows", "vcpu": 1, "memory_mb": 2048},
    "beyond Lambda (16 min)": {"max_runtime_minutes": 16},
    "beyond Fargate (200 GB)": {"packaging": "container", "memory_mb": 204800},
}


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run() -> str:
    """Time ``recommend`` and return a table of median and p95 per workload, in ms."""
    started = time.perf_counter()
    from decision_engine import recommend

    recommend({})
    cold_ms = (time.perf_counter() - started) * 1000

    rows = []
    everything: list[float] = []
    for name, workload in WORKLOADS.items():
        samples = []
        for _ in range(ROUNDS):
            t0 = time.perf_counter()
            recommend(workload)
            samples.append((time.perf_counter() - t0) * 1000)
        everything.extend(samples)
        rows.append((name, statistics.median(samples), _percentile(samples, 0.95)))
    rows.append(("all workloads", statistics.median(everything), _percentile(everything, 0.95)))

    width = max(len(name) for name, _, _ in rows)
    lines = [
        f"{'workload':<{width}}  median ms  p95 ms",
        f"{'-' * width}  ---------  ------",
        *(f"{name:<{width}}  {median:9.3f}  {p95:6.3f}" for name, median, p95 in rows),
        "",
        f"{ROUNDS} calls per workload, warm; first call (import + data files): {cold_ms:.1f} ms.",
        "Goal: median <= 1 ms.",
    ]
    return "\n".join(lines)
