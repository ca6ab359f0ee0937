"""Benchmark of the Well-Architected review engine: one call, in CPython and in Pyodide.

A call is what the page asks the worker for on every answer: ``live_review`` (check the
answers against the handbook lens, rate every question, render the report's HTML). It
is timed warm, for answer sets from none to all 18 questions, in this CPython and in
Pyodide under Node (the page's interpreter; ``bench/pyodide_run.mjs``). Goal: p95 at most
5 ms in Pyodide. Reading a lens file (a reader's own, 200 KB) is timed apart.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYODIDE = REPO / "node_modules" / "pyodide"
ROUNDS = 100

# The timing program, run by both interpreters; prints one JSON object.
PROGRAM = r"""
import json, statistics, time
started = time.perf_counter()
from decision_engine.lens import handbook_lens, read_lens_text
from decision_engine.render_review import live_review

lens = handbook_lens()
questions = [q for _, q in lens.questions()]
def state(count):
    chosen = enumerate(questions[:count])
    answers = {q.id: [q.choices[i %% len(q.choices)].id] for i, q in chosen}
    skipped = [q.id for q in questions[count:count + 1]]
    return json.dumps({"answers": answers, "not_applicable": skipped})
SETS = {"no answers": state(0), "half answered": state(9), "all answered": state(18)}
ROUNDS = int("%(rounds)d")

def pct(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]

live_review({"state": SETS["no answers"]}, "../../")
cold = (time.perf_counter() - started) * 1000
rows = {}
everything = []
for name, text in SETS.items():
    samples = []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        live_review({"state": text}, "../../")
        samples.append((time.perf_counter() - t0) * 1000)
    everything += samples
    rows[name] = [statistics.median(samples), pct(samples, 0.95)]
rows["all sets"] = [statistics.median(everything), pct(everything, 0.95)]
big = json.loads(%(lens)r)
samples = []
for _ in range(10):
    t0 = time.perf_counter()
    read_lens_text(json.dumps(big))
    samples.append((time.perf_counter() - t0) * 1000)
print(json.dumps({"cold_ms": cold, "rows": rows, "lens_ms": statistics.median(samples),
                  "lens_kb": len(json.dumps(big)) // 1024}))
"""


def _big_lens() -> str:
    """A lens near the format's size limits: ten pillars of the handbook's 18 questions."""
    lens = json.loads((REPO / "decision_engine" / "data" / "handbook-lens.json").read_text())
    questions = [q for pillar in lens["pillars"] for q in pillar["questions"]]

    def renamed(question: dict[str, object], suffix: str) -> dict[str, object]:
        text = json.dumps(question).replace(f'"{question["id"]}', f'"{question["id"]}{suffix}')
        # Conditions name choices inside their strings, after "(", "!" or spaces.
        for mark in ("(", "!", " "):
            text = text.replace(f"{mark}{question['id']}_", f"{mark}{question['id']}{suffix}_")
        renamed_question: dict[str, object] = json.loads(text)
        return renamed_question

    pillars = [
        {
            "id": f"pillar_{n}",
            "name": f"Pillar {n}",
            "questions": [renamed(q, f"_{n}") for q in questions],
        }
        for n in range(10)
    ]
    return json.dumps({**lens, "pillars": pillars})


def _measure(command: list[str], program: str) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as temp:
        path = Path(temp) / "program.py"
        path.write_text(program, encoding="utf-8")
        done = subprocess.run(
            [*command, str(path)],
            capture_output=True,
            text=True,
            check=False,
            cwd=REPO,
            timeout=600,
        )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run() -> str:
    """Time the review engine in both interpreters; a table of median and p95 in ms."""
    program = PROGRAM % {"rounds": ROUNDS, "lens": _big_lens()}
    results = {"CPython": _measure([sys.executable], program)}
    node = shutil.which("node")
    if node and (PYODIDE / "pyodide.mjs").exists():
        script = str(REPO / "bench" / "pyodide_run.mjs")
        try:
            results["Pyodide"] = _measure([node, script, str(PYODIDE), str(REPO)], program)
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            results["Pyodide"] = {"error": str(error)}
    lines = [
        "interpreter  answers         median ms  p95 ms",
        "-----------  --------------  ---------  ------",
    ]
    notes = []
    for name, result in results.items():
        if "error" in result:
            notes.append(f"{name}: not measured ({result['error']})")
            continue
        for answers, (median, p95) in result["rows"].items():  # type: ignore[union-attr]
            lines.append(f"{name:<11}  {answers:<14}  {median:9.3f}  {p95:6.3f}")
        notes.append(
            f"{name}: first call {result['cold_ms']:.1f} ms (imports, handbook lens checked); "
            f"reading a {result['lens_kb']} KB lens: {result['lens_ms']:.1f} ms (median of 10)."
        )
    return "\n".join(
        [
            *lines,
            "",
            *notes,
            f"{ROUNDS} warm calls of live_review per answer set (report HTML included).",
            "Goal: p95 <= 5 ms in Pyodide.",
        ]
    )
