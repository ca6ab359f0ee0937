"""Fixtures for the calculator's browser tests: the built site on a local server that
sends the site's strict CSP, one headless Chromium, and tabs that record everything."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from bench.calculator import TOOL_PAGE, serve_site
from tests.conftest import REPO, BuiltSite

ARTIFACTS = REPO / "test-artifacts"

# Workloads drawn from the seeds' exam tips and the hard limits, each set through the
# form; the page's answer must be exactly the CLI's JSON for the same input.
WORKLOADS: list[dict[str, object]] = [
    {"packaging": "container", "always_on": True, "load_pattern": "steady"},
    {"packaging": "container", "kubernetes": True},
    {"packaging": "container", "on_premises": True, "ops_effort": "some"},
    {"packaging": "machine", "needs_gpu": True, "ops_effort": "full"},
    {"max_runtime_minutes": 15},
    {"max_runtime_minutes": 16, "load_pattern": "occasional"},
    {"memory_mb": 10241},
    {"packaging": "container", "os": "windows", "vcpu": 2, "memory_mb": 4096},
    {"packaging": "static_site", "requests_per_month": 20000},
    {"requests_per_month": 250000000, "avg_duration_ms": 40, "architecture": "arm64"},
    {"needs_os_access": True, "packaging": "machine", "load_pattern": "steady"},
    {"packaging": "container", "vcpu": 0.25, "image_size_gb": 12, "ephemeral_storage_gb": 30},
]


# Collects policy violations in the page before any of its scripts run (scripts the
# automation injects are not subject to the page's CSP).
VIOLATION_RECORDER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def cli(command: str, payload: dict[str, object]) -> subprocess.CompletedProcess[str]:
    """Run ``python -m decision_engine <command>`` with ``payload`` on stdin."""
    return subprocess.run(
        [sys.executable, "-m", "decision_engine", command],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )


def cli_recommend(workload: dict[str, object]) -> dict[str, object]:
    """The CLI's answer for a workload, as parsed JSON."""
    completed = cli("recommend", workload)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


@dataclass
class Tab:
    """A page of the site with everything it did recorded."""

    page: object
    base_url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def open_calculator(self, query: str = "") -> None:
        """Load the tool page and wait until the live engine is ready."""
        self.page.goto(self.base_url + TOOL_PAGE + query)
        self.wait_for_engine("ready")

    def wait_for_engine(self, state: str) -> None:
        """Wait for the engine state the page reports on the calculator."""
        self.page.wait_for_selector(f".calc[data-engine={state}]", state="attached", timeout=60_000)

    def answer_json(self) -> dict[str, object]:
        """The engine's raw answer that the page shows."""
        return json.loads(self.page.text_content(".calc-answer .calc-result-json"))

    def wait_for_workload(self, expected: dict[str, object]) -> None:
        """Wait until the answer on screen is for a workload with these values."""
        self.page.wait_for_function(
            """(expected) => {
              const block = document.querySelector(".calc-answer .calc-result-json");
              const workload = JSON.parse(block.textContent).workload;
              return Object.entries(expected).every(([k, v]) => workload[k] === v);
            }""",
            arg=expected,
            timeout=20_000,
        )

    def violations(self) -> list[str]:
        """CSP violations seen by the page, and by the engine's worker (via console)."""
        found = self.page.evaluate("window.__violations")
        return found + [e for e in self.console_errors if "Content-Security-Policy" in e]

    def assert_clean(self) -> None:
        """Every request went to the local server; no console error; no CSP violation."""
        host = urlsplit(self.base_url).netloc
        foreign = [url for url in self.requests if urlsplit(url).netloc != host]
        assert foreign == []
        assert self.console_errors == []
        assert self.violations() == []


@pytest.fixture(scope="session")
def site_url(built_site: BuiltSite) -> Iterator[str]:
    """The built handbook served on 127.0.0.1 with the site's CSP and cache headers."""
    with serve_site(built_site.directory) as base_url:
        yield base_url


def new_tab(chromium: object, base_url: str, **context_options: object) -> Iterator[Tab]:
    """A fresh browser context and page, recording requests and console errors."""
    context = chromium.new_context(**context_options)
    page = context.new_page()
    page.add_init_script(VIOLATION_RECORDER)
    tab = Tab(page=page, base_url=base_url)
    context.on("request", lambda request: tab.requests.append(request.url))
    page.on("console", lambda m: tab.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: tab.console_errors.append(str(error)))
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def tab(chromium: object, site_url: str) -> Iterator[Tab]:
    """A desktop-sized tab that may use the clipboard."""
    yield from new_tab(
        chromium,
        site_url,
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
