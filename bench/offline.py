"""Benchmark of the handbook offline: how long until it is ready offline, and how large.

A fresh browser profile opens the home page of the built site on a local server; the
footer says when the pages, then the tools' runtime, are in the service worker's
caches (User Timing marks ``offline:pages`` and ``offline:ready`` set by
``assets/javascripts/offline.js``). The revisit and offline figures of the engine are
in ``bench.calculator``'s table.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from bench.calculator import CHROMIUM, CHROMIUM_ARGS, build_site, serve_site
from offline.worker import write_service_worker

REPEATS = 3
READY = "#hb-offline-status[data-state=ready]"
MARKS = """() => ["offline:pages", "offline:ready"].map(
  (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN)"""


def run() -> str:
    """Build the site, time "ready offline" in fresh profiles, and return the table."""
    from playwright.sync_api import sync_playwright

    pages_ms: list[float] = []
    ready_ms: list[float] = []
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        build_site(site)
        precache = write_service_worker(site)  # the build's own lists, to report sizes
        with serve_site(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(REPEATS):
                context = browser.new_context()
                page = context.new_page()
                page.goto(base)
                page.wait_for_selector(READY, state="attached", timeout=300_000)
                pages_at, ready_at = page.evaluate(MARKS)
                pages_ms.append(pages_at)
                ready_ms.append(ready_at)
                context.close()
            browser.close()
    pages_mb = sum(f.size for f in precache.pages) / 1e6
    runtime_mb = sum(f.size for f in precache.runtime) / 1e6
    rows = [
        ("pages ready offline", pages_ms, f"{len(precache.pages)} files, {pages_mb:.1f} MB"),
        (
            "ready offline, tools included",
            ready_ms,
            f"+ {len(precache.runtime)} files, {runtime_mb:.1f} MB "
            f"= {pages_mb + runtime_mb:.1f} MB",
        ),
    ]
    lines = [
        "| stage (from navigation start, home page, fresh profile) | median | min-max | size |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| {name} | {statistics.median(times):.0f} ms | {min(times):.0f}-{max(times):.0f} ms "
        f"| {size} |"
        for name, times, size in rows
    ]
    lines.append(f"\n{REPEATS} runs, local server on 127.0.0.1, on this machine.")
    return "\n".join(lines)
