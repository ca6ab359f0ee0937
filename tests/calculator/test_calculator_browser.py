"""The compute calculator as a reader uses it: the built site in headless Chromium,
served with the site's strict Content-Security-Policy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest

from bench.calculator import TOOL_PAGE
from tests.calculator.conftest import ARTIFACTS, WORKLOADS, Tab, cli, cli_recommend, new_tab

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def set_fields(tab: Tab, workload: dict[str, object]) -> None:
    """Set form controls the way a reader does: choose, tick, type."""
    for name, value in workload.items():
        selector = f"#calc-{name}"
        if isinstance(value, bool):
            tab.page.set_checked(selector, value)
        elif tab.page.get_attribute(selector, "inputmode") is None:
            tab.page.select_option(selector, str(value))
        else:
            tab.page.fill(selector, str(value))


@pytest.fixture
def phone(chromium: object, site_url: str) -> Iterator[Tab]:
    """A 360 px wide tab in dark mode."""
    yield from new_tab(
        chromium, site_url, viewport={"width": 360, "height": 800}, color_scheme="dark"
    )


def test_build_time_answer_is_in_the_page_without_javascript(chromium, site_url):
    for tab in new_tab(chromium, site_url, java_script_enabled=False):
        tab.page.goto(site_url + TOOL_PAGE)
        assert tab.page.text_content(".calc-note").startswith("JavaScript is off")
        assert tab.page.is_visible(".calc-note")
        assert tab.page.text_content(".calc-summary").startswith("Best fit: ")
        assert tab.answer_json() == cli_recommend({})
        assert tab.page.get_attribute(".calc", "data-engine") is None
        # Buttons that need the script are not offered without it.
        assert tab.page.is_hidden(".calc-copy")
        assert tab.page.is_hidden(".calc-reset")


# The answer region's HTML with every link resolved: Material's instant navigation
# rewrites the links it finds in the page to absolute URLs. Read after the next frame:
# accessibility.js marks a table that scrolls sideways in the frame after a change.
ANSWER_HTML = """async () => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const answer = document.querySelector(".calc-answer").cloneNode(true);
  for (const link of answer.querySelectorAll("a[href]")) link.setAttribute("href", link.href);
  return answer.innerHTML;
}"""


def test_live_answer_looks_exactly_like_the_build_time_one(tab):
    tab.page.goto(site_url_of(tab))
    built = tab.page.evaluate(ANSWER_HTML)
    tab.wait_for_engine("ready")
    tab.page.fill("#calc-requests_per_month", "1234567")
    tab.wait_for_workload({"requests_per_month": 1234567})
    tab.page.click("text=Reset to defaults")
    tab.wait_for_workload({"requests_per_month": 3000000})
    assert tab.page.evaluate(ANSWER_HTML) == built
    tab.assert_clean()


def site_url_of(tab: Tab) -> str:
    return tab.base_url + TOOL_PAGE


def test_answers_equal_the_cli_for_the_same_input(tab):
    tab.open_calculator()
    for workload in WORKLOADS:
        tab.page.click("text=Reset to defaults")
        set_fields(tab, workload)
        tab.wait_for_workload(workload)
        assert tab.answer_json() == cli_recommend(workload), workload
    tab.assert_clean()


def test_inputs_round_trip_through_the_url(tab):
    tab.open_calculator("?packaging=container&always_on=true&memory_mb=2048")
    assert tab.page.input_value("#calc-packaging") == "container"
    assert tab.page.is_checked("#calc-always_on")
    expected = {"packaging": "container", "always_on": True, "memory_mb": 2048}
    tab.wait_for_workload(expected)
    assert tab.answer_json() == cli_recommend(expected)

    tab.page.select_option("#calc-os", "windows")
    tab.wait_for_workload({**expected, "os": "windows"})
    query = parse_qs(urlsplit(tab.page.url).query)
    assert query == {
        "packaging": ["container"],
        "always_on": ["true"],
        "memory_mb": ["2048"],
        "os": ["windows"],
    }
    shared = tab.page.url
    tab.page.goto(shared)
    tab.wait_for_workload({**expected, "os": "windows"})
    assert tab.answer_json() == cli_recommend({**expected, "os": "windows"})
    tab.assert_clean()


def test_copy_link_puts_the_inputs_on_the_clipboard(tab):
    tab.open_calculator()
    tab.page.fill("#calc-vcpu", "2")
    tab.wait_for_workload({"vcpu": 2})
    tab.page.click("text=Copy link")
    tab.page.wait_for_selector(".calc-copy-status:has-text('Link copied.')")
    copied = tab.page.evaluate("navigator.clipboard.readText()")
    assert parse_qs(urlsplit(copied).query) == {"vcpu": ["2"]}
    assert copied == tab.page.url
    tab.assert_clean()


def test_invalid_value_shows_the_engines_message_beside_the_field(tab):
    tab.open_calculator()
    before = tab.answer_json()
    tab.page.fill("#calc-memory_mb", "lots")
    message = tab.page.locator("#calc-memory_mb-error")
    message.wait_for(state="visible")
    expected = cli("recommend", {"memory_mb": "lots"})
    assert expected.returncode == 2
    assert message.text_content() == expected.stderr.strip()
    assert tab.page.get_attribute("#calc-memory_mb", "aria-invalid") == "true"
    assert tab.answer_json() == before

    tab.page.fill("#calc-memory_mb", "2048")
    message.wait_for(state="hidden")
    tab.wait_for_workload({"memory_mb": 2048})
    assert tab.page.get_attribute("#calc-memory_mb", "aria-invalid") is None
    tab.assert_clean()


def test_keyboard_only_flow(tab):
    tab.page.goto(site_url_of(tab))
    # Tab from the top of the page to the first field: every control is reachable.
    for _ in range(80):
        tab.page.keyboard.press("Tab")
        if tab.page.evaluate("document.activeElement.id") == "calc-packaging":
            break
    else:
        pytest.fail("the first field of the calculator is not reachable with Tab")
    tab.page.keyboard.press("ArrowDown")  # "Container image"
    tab.page.keyboard.press("Tab")
    tab.page.keyboard.press("Control+A")
    tab.page.keyboard.type("30")
    tab.page.keyboard.press("Tab")
    assert tab.page.evaluate("document.activeElement.id") == "calc-always_on"
    tab.page.keyboard.press("Space")
    expected = {"packaging": "container", "max_runtime_minutes": 30, "always_on": True}
    tab.wait_for_workload(expected)
    assert tab.answer_json() == cli_recommend(expected)
    status = tab.page.locator(".calc-status")
    assert status.get_attribute("role") == "status"
    assert status.text_content() == tab.page.text_content(".calc-summary")
    tab.assert_clean()


def test_every_request_is_local_with_no_console_error_or_csp_violation(tab):
    tab.open_calculator("?requests_per_month=70000000")
    tab.wait_for_workload({"requests_per_month": 70000000})
    tab.page.fill("#calc-avg_duration_ms", "900")
    tab.wait_for_workload({"avg_duration_ms": 900})
    assert any("/pyodide/" in url and url.endswith(".whl") for url in tab.requests)
    assert not any("cdn" in url for url in tab.requests)
    tab.assert_clean()


def test_material_instant_navigation_starts_the_calculator(tab):
    tab.page.goto(tab.base_url + "tools/")
    tab.page.click("article >> text=Compute choice")
    tab.wait_for_engine("ready")
    tab.page.fill("#calc-memory_mb", "3072")
    tab.wait_for_workload({"memory_mb": 3072})
    tab.assert_clean()


def test_typing_while_the_engine_starts(tab):
    # Hold Python's download: the page must say it is starting, keep taking input,
    # and answer the latest input once the engine is up.
    held = []
    tab.page.route("**/pyodide.asm.wasm", lambda route: held.append(route))
    with tab.page.expect_request("**/pyodide.asm.wasm"):
        tab.page.goto(site_url_of(tab))
        tab.page.fill("#calc-memory_mb", "2048")
    assert tab.page.get_attribute(".calc", "data-engine") == "starting"
    assert tab.page.text_content(".calc-engine").startswith("Starting the engine")
    assert "calc--stale" in tab.page.get_attribute(".calc", "class")
    tab.page.fill("#calc-memory_mb", "3072")
    tab.page.check("#calc-always_on")
    assert tab.page.input_value("#calc-memory_mb") == "3072"
    held[0].continue_()
    tab.wait_for_workload({"memory_mb": 3072, "always_on": True})
    assert "calc--stale" not in tab.page.get_attribute(".calc", "class")
    assert tab.page.text_content(".calc-engine").startswith("Live: ")
    tab.assert_clean()


def test_engine_that_cannot_start_leaves_the_build_time_answer(tab):
    tab.page.route("**/pyodide/**", lambda route: route.abort())
    tab.page.goto(site_url_of(tab))
    built = tab.answer_json()
    tab.page.fill("#calc-memory_mb", "2048")
    tab.wait_for_engine("failed")
    note = tab.page.text_content(".calc-engine")
    assert note.startswith("Live answers are unavailable: ")
    assert "computed when this page was built" in note
    assert tab.answer_json() == built
    # Still usable: typing works and nothing is thrown at the reader.
    tab.page.fill("#calc-memory_mb", "4096")
    assert tab.page.input_value("#calc-memory_mb") == "4096"


def test_crashed_worker_is_restarted_once(tab):
    loads = []

    def crash_first(route):
        loads.append(route.request.url)
        if len(loads) == 1:
            route.fulfill(content_type="text/javascript", body='throw new Error("crash");')
        else:
            route.continue_()

    tab.page.route("**/engine-worker.mjs", crash_first)
    tab.open_calculator()
    assert len(loads) == 2
    tab.page.fill("#calc-memory_mb", "2048")
    tab.wait_for_workload({"memory_mb": 2048})


def test_screenshots_desktop_and_phone(tab, phone):
    ARTIFACTS.mkdir(exist_ok=True)
    tab.open_calculator("?packaging=container&requests_per_month=20000000")
    tab.wait_for_workload({"requests_per_month": 20000000})
    tab.page.screenshot(path=ARTIFACTS / "calculator-desktop.png", full_page=True)

    phone.open_calculator("?packaging=container&requests_per_month=20000000")
    phone.wait_for_workload({"requests_per_month": 20000000})
    phone.page.fill("#calc-memory_mb", "tiny")
    phone.page.locator("#calc-memory_mb-error").wait_for(state="visible")
    phone.page.screenshot(path=ARTIFACTS / "calculator-360-dark.png", full_page=True)
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the page scrolls sideways at 360 px"
    assert phone.page.get_attribute("body", "data-md-color-scheme") == "slate"
    tab.assert_clean()
    phone.assert_clean()


def test_result_json_block_is_the_engines_json(tab):
    # The JSON the page exposes is the engine's answer, not a re-encoding of it.
    tab.page.goto(site_url_of(tab))
    text = tab.page.text_content(".calc-answer .calc-result-json")
    assert json.loads(text) == cli_recommend({})
