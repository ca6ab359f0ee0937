"""Benchmark of the compute calculator in the page: Pyodide's start-up and each change.

Four runs in one headless Chromium session against the built site on a local server
that sends the site's strict Content-Security-Policy:

(a) a naive page that calls ``loadPyodide`` on the main thread (stock standard
    library) and renders the answer only once Python is up;
(b) the calculator page, cold (fresh browser profile);
(c) the calculator page, warm (same profile, reloaded once the service worker holds
    the runtime and the engine's first start has saved its memory snapshot);
(d) the same, offline.

For each: when the first answer is on screen, when the live engine first answers
after an input change made as soon as the page is interactive, the median and p95
latency of 50 input changes, and the bytes the page transferred before the engine
started. The site server here is also the one the browser tests use.
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import gzip
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from offline import CONTENT_SECURITY_POLICY

REPO = Path(__file__).resolve().parent.parent

# The policy the site is meant to be served with (see README.md, "Content-Security-Policy").
CSP = CONTENT_SECURITY_POLICY
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOOL_PAGE = "tools/compute/"
CHANGES = 50
REPEATS = 3
NAIVE, COLD = "(a) naive, main thread", "(b) calculator, cold"
WARM = "(c) calculator, revisit (runtime from the service worker's cache)"
OFFLINE = "(d) calculator, revisit offline"
# The footer's status once the service worker holds the pages and the runtime.
READY_OFFLINE = "#hb-offline-status[data-state=ready]"


# Text is sent gzipped when the browser accepts it, as any static host does; the
# runtime's wasm, zips and wheels are served as they are.
COMPRESSED_SUFFIXES = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", "/")


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves a built site as production should: the CSP on every response, text
    gzipped, and the versioned Pyodide runtime as immutable (Chrome keeps its compiled
    wasm then)."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        """Send gzipped text to browsers that accept it; everything else as it is."""
        path = urlsplit(self.path).path
        target = Path(self.translate_path(path))
        if target.is_dir():
            target = target / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.endswith(COMPRESSED_SUFFIXES) and target.is_file()):
            super().do_GET()
            return
        modified = int(target.stat().st_mtime)
        since = self.headers.get("If-Modified-Since")
        with contextlib.suppress(TypeError, ValueError):
            if since and email.utils.parsedate_to_datetime(since).timestamp() >= modified:
                self.send_response(304)
                self.end_headers()
                return
        body = _gzipped(target, target.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Last-Modified", email.utils.formatdate(modified, usegmt=True))
        self.send_header("Content-Type", self.guess_type(str(target)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        if self.path.startswith("/pyodide/"):
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the tests record requests in the browser."""


@functools.lru_cache(maxsize=256)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    # Keyed by modification time too, so a rebuilt file is compressed again.
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


@contextlib.contextmanager
def serve_site(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(SiteHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def build_site(site_dir: Path) -> None:
    """Build the handbook into ``site_dir`` as ``make build`` does."""
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site_dir)],
        cwd=REPO,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{completed.stderr}")


# The naive page: Pyodide on the main thread with the stock library, nothing shown
# until Python has started. It renders through the same engine function.
NAIVE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>naive</title>
<script type="module" src="naive.mjs"></script></head>
<body><input id="requests" value="1000000"><div id="answer">Loading Python…</div></body></html>
"""
NAIVE_JS = """
import { loadPyodide } from "../%(index)spyodide.mjs";
const pyodide = await loadPyodide({
  indexURL: new URL("../%(index)s", location).href,
  stdLibURL: new URL("python_stdlib.zip", location).href,
  lockFileURL: new URL("../%(lock)s", location).href,
  packages: ["decision-engine"],
});
const live = pyodide.pyimport("decision_engine.render_html").live_answer_json;
const input = document.getElementById("requests");
function render() {
  const started = performance.now();
  const request = {fields: {requests_per_month: input.value}, site_root: "../"};
  const response = JSON.parse(live(JSON.stringify(request)));
  document.getElementById("answer").innerHTML = response.html;
  document.dispatchEvent(new CustomEvent("calc:answer",
    {detail: {latency: performance.now() - started}}));
}
input.addEventListener("input", render);
render();
"""

# Installed before any page script: records when answers arrive (CSP does not apply
# to scripts the browser automation injects).
RECORDER = """
window.__answers = [];
window.__firstInput = null;
document.addEventListener("calc:answer",
  (event) => window.__answers.push({at: performance.now(), latency: event.detail.latency}));
document.addEventListener("input", () => { window.__firstInput ??= performance.now(); }, true);
"""

# Where the time to the live answer went (User Timing marks set by calculator.mjs).
MILESTONES = """
() => {
  const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
  return {
    interaction: window.__firstInput,
    starting: mark("calc:engine-starting"),
    ready: mark("calc:engine-ready"),
    answer: mark("calc:answer"),
    restored: mark("calc:engine-restored"),
  };
}
"""

# A first start saves the engine's memory snapshot for the next visit (engine-worker.mjs).
SNAPSHOT_SAVED = "() => performance.getEntriesByName('calc:engine-snapshot-saved').length > 0"

# Changes the requests field 50 times, waiting for each answer; returns latencies.
CHANGE_LOOP = """
async ([selector, count]) => {
  const input = document.querySelector(selector);
  const latencies = [];
  for (let i = 0; i < count; i++) {
    const answered = new Promise((resolve) => document.addEventListener(
      "calc:answer", (event) => resolve(event.detail.latency), {once: true}));
    const started = performance.now();
    input.value = String(1000000 + 1000 * (i + 1));
    input.dispatchEvent(new Event("input", {bubbles: true}));
    await answered;
    latencies.push(performance.now() - started);
  }
  return latencies;
}
"""

PAGE_BYTES = """
() => {
  const started = performance.getEntriesByName("calc:engine-starting")[0].startTime;
  return [...performance.getEntriesByType("navigation"),
          ...performance.getEntriesByType("resource")]
    .filter((entry) => entry.startTime < started)
    .reduce((sum, entry) => sum + entry.transferSize, 0);
}
"""


@dataclass(frozen=True)
class Run:
    """One measured page load."""

    name: str
    first_answer_ms: float
    live_answer_ms: float
    change_median_ms: float
    change_p95_ms: float
    bytes_before_engine: int
    milestones: dict[str, float] | None = None


def _measure(
    context: object, url: str, name: str, *, naive: bool, first_visit: bool = False
) -> Run:
    page = context.new_page()  # type: ignore[attr-defined]
    page.add_init_script(RECORDER)
    selector = "#requests" if naive else "#calc-requests_per_month"
    page.goto(url, wait_until="commit")
    milestones = None
    if naive:
        page.wait_for_function("() => window.__answers.length > 0", timeout=120_000)
        first = live = page.evaluate("window.__answers[0].at")
        page_bytes = page.evaluate(
            """() => performance.getEntriesByType("navigation")[0].transferSize +
            performance.getEntriesByType("resource").filter(e => e.name.endsWith("naive.mjs"))
              .reduce((s, e) => s + e.transferSize, 0)"""
        )
    else:
        page.wait_for_selector(".calc-summary", state="attached")
        first = page.evaluate(
            "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN"
        )
        # The reader's first interaction, as soon as the page can take it.
        page.fill(selector, "2000000")
        page.wait_for_function("() => window.__answers.length > 0", timeout=120_000)
        live = page.evaluate("window.__answers[0].at")
        milestones = page.evaluate(MILESTONES)
        page_bytes = page.evaluate(PAGE_BYTES)
        if math.isnan(first):  # no paint entry yet: take it once painted
            first = page.evaluate(
                "performance.getEntriesByName('first-contentful-paint')[0].startTime"
            )
    latencies = page.evaluate(CHANGE_LOOP, [selector, CHANGES])
    if first_visit:  # the reader's first visit ends once the engine is saved for the next
        page.wait_for_function(SNAPSHOT_SAVED, timeout=120_000)
    page.close()
    return Run(
        name,
        first,
        live,
        statistics.median(latencies),
        statistics.quantiles(latencies, n=20)[-1],
        page_bytes,
        milestones,
    )


def _wait_until_offline(context: object, url: str) -> None:
    """Let the service worker finish caching the runtime, as a reader's first visit does."""
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(url)
    page.wait_for_selector(READY_OFFLINE, state="attached", timeout=300_000)
    page.close()


def _naive_page(site: Path) -> str:
    """Write the naive page into the built site; returns its path from the root."""
    runtime = next((site / "pyodide").iterdir())
    lock = next(runtime.glob("engine-*/pyodide-lock.json")).relative_to(site)
    folder = site / "bench-naive"
    folder.mkdir()
    index = runtime.relative_to(site).as_posix() + "/"
    (folder / "index.html").write_text(NAIVE_HTML, encoding="utf-8")
    (folder / "naive.mjs").write_text(
        NAIVE_JS % {"index": index, "lock": lock.as_posix()}, encoding="utf-8"
    )
    shutil.copyfile(REPO / "node_modules/pyodide/python_stdlib.zip", folder / "python_stdlib.zip")
    return "bench-naive/"


def run() -> str:
    """Build the site, measure (a), (b) and (c), and return the table."""
    from playwright.sync_api import sync_playwright

    variants: dict[str, list[Run]] = {NAIVE: [], COLD: [], WARM: [], OFFLINE: []}
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        build_site(site)
        naive_path = _naive_page(site)
        with serve_site(site) as base, sync_playwright() as playwright:
            for attempt in range(REPEATS):
                for path, naive in ((naive_path, True), (TOOL_PAGE, False)):
                    # A fresh profile is a cold browser cache; a second page in the
                    # same profile is the reader coming back.
                    context = playwright.chromium.launch_persistent_context(
                        Path(scratch) / f"profile-{attempt}-{naive}",
                        executable_path=CHROMIUM,
                        args=CHROMIUM_ARGS,
                    )
                    name = NAIVE if naive else COLD
                    variants[name].append(
                        _measure(context, base + path, name, naive=naive, first_visit=not naive)
                    )
                    if not naive:
                        _wait_until_offline(context, base + path)
                        variants[WARM].append(_measure(context, base + path, WARM, naive=False))
                        context.set_offline(True)
                        variants[OFFLINE].append(
                            _measure(context, base + path, OFFLINE, naive=False)
                        )
                    context.close()
    return _table(variants)


def _spread(values: list[float], unit: str = " ms", digits: int = 0) -> str:
    """The median and the range of ``values``, e.g. ``"1200 ms (1100-1500)"``."""
    median = statistics.median(values)
    return f"{median:.{digits}f}{unit} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def _table(variants: dict[str, list[Run]]) -> str:
    # The machine is shared and noisy: each time is the median of the runs, with their
    # range; the other columns come from the median run by live time.
    head = (
        "| run | first answer on screen | live engine answers | change median | change p95 "
        "| page bytes before engine |\n| --- | --- | --- | --- | --- | --- |"
    )
    runs = [
        sorted(found, key=lambda r: r.live_answer_ms)[len(found) // 2]
        for found in variants.values()
    ]
    rows = [
        f"| {r.name} | {_spread([f.first_answer_ms for f in found])} "
        f"| {_spread([f.live_answer_ms for f in found])} "
        f"| {r.change_median_ms:.1f} ms | {r.change_p95_ms:.1f} ms "
        f"| {r.bytes_before_engine / 1000:.0f} kB |"
        for r, found in zip(runs, variants.values(), strict=True)
    ]
    # Each revisit against the naive load of the same attempt (alternating, same load).
    ratios = [
        warm.live_answer_ms / naive.live_answer_ms
        for naive, warm in zip(variants[NAIVE], variants[WARM], strict=True)
    ]
    goals = (
        f"Goals: first answer at first paint (the build-time answer is in the HTML); "
        f"(c) live <= 0.2 x (a) of the same attempt: {_spread(ratios, ' x', 2)}; "
        f"median change <= 50 ms: {max(r.change_median_ms for r in runs[1:]):.1f} ms; "
        f"page before engine <= 200 kB: {runs[1].bytes_before_engine / 1000:.0f} kB."
    )
    where = [
        f"{r.name}: first input at {m['interaction']:.0f} ms, engine starting at "
        f"{m['starting']:.0f} ms, ready at {m['ready']:.0f} ms, answer at {m['answer']:.0f} ms"
        f"{'' if math.isnan(m['restored']) else ' (restored from the saved snapshot)'}"
        for r in runs
        if (m := r.milestones)
    ]
    note = f"Times: the median of {REPEATS} runs (min-max), on this machine."
    return "\n".join([head, *rows, "", goals, note, "", *where])
