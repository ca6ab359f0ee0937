"""``make bench``: run every benchmark module and print its table.

Each benchmark is a module of this package with ``run() -> str``. A benchmark that
cannot run on this machine says why in its own section instead of stopping the rest.
"""

from __future__ import annotations

import importlib
import sys
import time

BENCHMARKS = (
    ("Decision engine: recommend() latency", "bench.engine"),
    ("Handbook build: 1,000 notes and 100 drawings", "bench.vault"),
    (
        "Authoring at scale: edit to reload under make serve, build cost, goals",
        "bench.authoring",
    ),
    ("Contributor check: run time", "bench.check"),
    ("Calculator in the page: Pyodide start-up and latency", "bench.calculator"),
    ("Disaster-recovery tool: engine call in CPython and Pyodide, first answer", "bench.dr"),
    ("Well-Architected review: engine call in CPython and Pyodide", "bench.review"),
    ("The handbook offline: time to ready and size", "bench.offline"),
)


def main(argv: list[str]) -> int:
    """Run the benchmarks named in ``argv`` (module suffixes), or all of them."""
    wanted = set(argv)
    for title, module_name in BENCHMARKS:
        if wanted and module_name.rsplit(".", 1)[1] not in wanted:
            continue
        print(f"\n## {title}\n", flush=True)
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            print(f"(not available: {error})")
            continue
        started = time.perf_counter()
        print(module.run())
        print(f"\n({time.perf_counter() - started:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
