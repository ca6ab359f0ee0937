"""Authoring at scale (issue 11) in one table: edit to reload under ``make serve``, the
cost of a full build at several sizes and folder shapes, and every goal with its verdict.

The two measurements live in ``bench/serve.py`` (a real ``mkdocs serve --dirty`` on
1,000 generated notes) and ``bench/scale.py`` (full builds in fresh processes, plain
Material against the plugin and the handbook's configuration); this module only runs
both and judges them. ``BENCH_SERVE_RUNS`` (default 5) sets the edits of each kind,
``BENCH_NOTES`` (default ``1000``; e.g. ``1000,2000,4000``) the build sizes.
"""

from __future__ import annotations

import os
from statistics import median

from bench import scale, serve

# Edit-to-reload medians on 1,000 notes, in seconds.
SERVE_GOALS = {"content edit": 1.0, "link added (backlink appears)": 1.5}


def serve_checks(times: dict[str, list[serve.Reload]]) -> list[tuple[str, float, float]]:
    """The edit-to-reload goals as (what, measured, at most)."""
    return [
        (f"{name}: edit-to-reload median (s)", median(r.seconds for r in times[name]), goal)
        for name, goal in SERVE_GOALS.items()
        if name in times
    ]


def verdicts(checks: list[tuple[str, float, float]]) -> list[str]:
    """One line per goal: the figure, the goal and whether it is met."""
    lines = [f"{'goal':<52} {'measured':>8}  {'at most':>7}  verdict"]
    for name, value, goal in checks:
        verdict = "met" if value <= goal else "NOT met"
        lines.append(f"{name:<52} {value:>8.2f}  {goal:>7.2f}  {verdict}")
    return lines


def run() -> str:
    """``make bench``'s authoring table."""
    runs = int(os.environ.get("BENCH_SERVE_RUNS", "5"))
    sizes = scale.bench_sizes()
    checks: list[tuple[str, float, float]] = []
    try:
        times = serve.measure(1000, 100, runs)
    except serve.ServeBenchError as error:
        lines = [f"edit-to-reload: could not measure: {error}"]
    else:
        lines = serve.table(times, 1000).splitlines()
        checks += serve_checks(times)
    rows, figures = scale.build_rows(sizes)
    lines += ["", *rows]
    checks += scale.goal_checks(figures, sizes)
    lines += ["", *verdicts(checks)]
    if 4000 in sizes:
        rss = ", ".join(f"{kind} {figures[f'{kind} 4000/100 rss']:.0f}" for kind in scale.KINDS)
        lines.append(f"{'max RSS at 4,000 notes (MB)':<52} {rss}")
    return "\n".join(lines)
