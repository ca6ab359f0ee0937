"""Benchmark of the disaster-recovery tool: its engine call in CPython and in Pyodide, and
its first answer in the page.

* CPython: ``recommend_dr`` and the worker's whole call (``answer_json``: engine and HTML)
  over the scenarios below, warm, p50 and p95.
* Pyodide: the same calls inside Pyodide under Node (``engine_pyodide.mjs``), with the
  wheel and the ``.pyc`` standard library the site ships. Goal: engine call p95 <= 5 ms.
* The page: the built site on the local CSP server, cold Chromium profile; the first
  answer is on screen at first contentful paint (it is in the HTML), and the live engine's
  first answer after a change made as soon as the page is interactive.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.calculator import CHROMIUM, CHROMIUM_ARGS, REPO, build_site, serve_site

ROUNDS = 200
REPEATS = 3
DR_PAGE = "tools/dr/"

SCENARIOS: dict[str, dict[str, object]] = {
    "page defaults (RTO 30, RPO 5)": {"rto_minutes": 30, "rpo_minutes": 5},
    "loose (a day)": {"rto_minutes": 1440, "rpo_minutes": 1440, "ops_effort": "full"},
    "near zero, corruption": {
        "rto_minutes": 0,
        "rpo_minutes": 0,
        "ops_effort": "full",
        "corruption_protection": True,
    },
    "single Region, budget": {
        "rto_minutes": 240,
        "rpo_minutes": 60,
        "data_residency": "single_region",
        "monthly_budget_usd": 100,
    },
}


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _calls() -> list[dict[str, object]]:
    calls: list[dict[str, object]] = []
    for name, inputs in SCENARIOS.items():
        calls.append(
            {
                "name": f"engine: {name}",
                "module": "decision_engine.dr",
                "function": "recommend_dr",
                "args": [inputs],
            }
        )
    fields = {
        key: json.dumps(value) if isinstance(value, bool) else str(value)
        for key, value in SCENARIOS["page defaults (RTO 30, RPO 5)"].items()
    }
    request = json.dumps({"tool": "dr", "fields": fields, "site_root": "../../"})
    calls.append(
        {
            "name": "worker call (engine + HTML), defaults",
            "module": "decision_engine.tool_page",
            "function": "answer_json",
            "args": [request],
        }
    )
    return calls


def _cpython(calls: list[dict[str, object]]) -> dict[str, list[float]]:
    import importlib

    results = {}
    for call in calls:
        function = getattr(importlib.import_module(str(call["module"])), str(call["function"]))
        function(*call["args"])
        samples = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            function(*call["args"])
            samples.append((time.perf_counter() - started) * 1000)
        results[str(call["name"])] = samples
    return results


def _pyodide(calls: list[dict[str, object]]) -> dict[str, list[float]]:
    from macros.browser_runtime import prepare_runtime

    runtime = prepare_runtime(REPO)
    wheel = next(runtime.engine_dir.glob("*.whl"))
    with tempfile.NamedTemporaryFile("w", suffix=".json") as cases:
        json.dump({"rounds": ROUNDS, "calls": calls}, cases)
        cases.flush()
        completed = subprocess.run(
            [
                "node",
                str(REPO / "bench" / "engine_pyodide.mjs"),
                str(runtime.core_dir),
                str(runtime.stdlib_zip),
                str(wheel),
                cases.name,
            ],
            capture_output=True,
            text=True,
            check=False,
            cwd=REPO,
        )
    if completed.returncode != 0:
        raise RuntimeError(f"Pyodide under Node failed:\n{completed.stderr}")
    lines = [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]
    return {line["name"]: line["samples_ms"] for line in lines}


FIRST_ANSWER = """
() => ({
  paint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
  summary: document.querySelector(".calc[data-tool=dr] .calc-summary")?.textContent ?? "",
})
"""


def _page() -> list[dict[str, float]]:
    """Cold loads of the DR page: first paint (with the answer) and the first live answer."""
    from playwright.sync_api import sync_playwright

    runs = []
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        build_site(site)
        with serve_site(site) as base, sync_playwright() as playwright:
            for attempt in range(REPEATS):
                context = playwright.chromium.launch_persistent_context(
                    Path(scratch) / f"profile-{attempt}",
                    executable_path=CHROMIUM,
                    args=CHROMIUM_ARGS,
                )
                page = context.new_page()
                page.add_init_script(
                    "window.__answers = []; document.addEventListener('calc:answer',"
                    " (e) => window.__answers.push(performance.now()));"
                )
                page.goto(base + DR_PAGE, wait_until="commit")
                page.wait_for_selector(".calc[data-tool=dr] .calc-summary", state="attached")
                page.wait_for_function(
                    "() => performance.getEntriesByName('first-contentful-paint').length"
                )
                first = page.evaluate(FIRST_ANSWER)
                if not first["summary"].startswith("Best fit"):
                    raise RuntimeError(f"no build-time answer at first paint: {first}")
                page.fill("#dr-rto_minutes", "45")
                page.wait_for_function("() => window.__answers.length > 0", timeout=120_000)
                runs.append({"paint": first["paint"], "live": page.evaluate("window.__answers[0]")})
                context.close()
    return runs


def run() -> str:
    """Measure and return the tables."""
    calls = _calls()
    cpython = _cpython(calls)
    try:
        pyodide = _pyodide(calls)
    except (OSError, RuntimeError) as error:
        pyodide = {}
        note = f"Pyodide: not measured ({error})"
    else:
        note = ""
    width = max(len(name) for name in cpython)
    lines = [
        f"| {'call':<{width}} | CPython p50 | CPython p95 | Pyodide p50 | Pyodide p95 |",
        f"| {'-' * width} | --- | --- | --- | --- |",
    ]
    for name, samples in cpython.items():
        in_pyodide = pyodide.get(name)
        py_cells = (
            f"{statistics.median(in_pyodide):.3f} ms | {_percentile(in_pyodide, 0.95):.3f} ms"
            if in_pyodide
            else "n/a | n/a"
        )
        lines.append(
            f"| {name:<{width}} | {statistics.median(samples):.3f} ms "
            f"| {_percentile(samples, 0.95):.3f} ms | {py_cells} |"
        )
    engine_p95 = [
        _percentile(samples, 0.95) for name, samples in pyodide.items() if name.startswith("engine")
    ]
    lines += [
        "",
        f"{ROUNDS} warm calls each. Goal: engine call p95 <= 5 ms in Pyodide: "
        + (f"worst scenario {max(engine_p95):.2f} ms." if engine_p95 else "not measured.")
        + (f" {note}" if note else ""),
    ]
    page_runs = _page()
    paint = statistics.median(r["paint"] for r in page_runs)
    live = statistics.median(r["live"] for r in page_runs)
    lines += [
        "",
        f"| DR page, cold profile | median of {REPEATS} | spread |",
        "| --- | --- | --- |",
        f"| first answer on screen (= first contentful paint) | {paint:.0f} ms "
        f"| {min(r['paint'] for r in page_runs):.0f}-{max(r['paint'] for r in page_runs):.0f} ms |",
        f"| live engine's first answer after a change | {live:.0f} ms "
        f"| {min(r['live'] for r in page_runs):.0f}-{max(r['live'] for r in page_runs):.0f} ms |",
        "",
        "The build-time answer is in the HTML, so it is on screen at first paint.",
    ]
    return "\n".join(lines)
