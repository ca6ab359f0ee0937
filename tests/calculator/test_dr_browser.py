"""The disaster-recovery tool as a reader uses it: the built site in headless Chromium,
served with the site's strict Content-Security-Policy."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.calculator.conftest import ARTIFACTS, Tab, cli, new_tab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DR_PAGE = "tools/dr/"
ANSWER = ".calc[data-tool=dr] .calc-answer .calc-result-json"


def cli_dr(payload: dict[str, object]) -> dict[str, object]:
    """The CLI's answer for a DR input, as parsed JSON."""
    completed = cli("dr", payload)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def answer(tab: Tab) -> dict[str, object]:
    return json.loads(tab.page.text_content(ANSWER))


def wait_for_inputs(tab: Tab, expected: dict[str, object]) -> None:
    """Wait until the answer on screen is for inputs with these values."""
    tab.page.wait_for_function(
        """([selector, expected]) => {
          const inputs = JSON.parse(document.querySelector(selector).textContent).inputs;
          return Object.entries(expected).every(([k, v]) => inputs[k] === v);
        }""",
        arg=[ANSWER, expected],
        # A ceiling, not a wait: the condition returns as soon as the answer is there;
        # on a loaded 2-core runner a first live answer took over 20 s.
        timeout=60_000,
    )


def open_dr(tab: Tab, query: str = "") -> None:
    tab.page.goto(tab.base_url + DR_PAGE + query)
    tab.wait_for_engine("ready")


DEFAULTS = {"rto_minutes": 30, "rpo_minutes": 5}


def test_build_time_answer_without_javascript(chromium, site_url):
    for tab in new_tab(chromium, site_url, java_script_enabled=False):
        tab.page.goto(site_url + DR_PAGE)
        assert "python -m decision_engine dr" in tab.page.text_content(".calc-note")
        assert tab.page.text_content(".calc-summary").startswith("Best fit for an RTO of 30")
        assert answer(tab) == cli_dr(DEFAULTS)
        assert tab.page.is_hidden(".calc-copy")


def test_live_answers_equal_the_cli(tab):
    open_dr(tab)
    cases = [
        ({"rto_minutes": "240", "rpo_minutes": "120"}, {"rto_minutes": 240, "rpo_minutes": 120}),
        ({"rpo_minutes": "0"}, {"rto_minutes": 240, "rpo_minutes": 0}),
        ({"ops_effort": "full"}, {"rto_minutes": 240, "rpo_minutes": 0, "ops_effort": "full"}),
    ]
    for changes, expected in cases:
        for name, value in changes.items():
            if name == "ops_effort":
                tab.page.select_option(f"#dr-{name}", value)
            else:
                tab.page.fill(f"#dr-{name}", value)
        wait_for_inputs(tab, expected)
        assert answer(tab) == cli_dr(expected)
    tab.page.check("#dr-corruption_protection")
    wait_for_inputs(tab, {"corruption_protection": True})
    assert tab.page.is_visible(".calc-corruption")
    assert "Replication copies corruption" in tab.page.text_content(".calc-corruption")
    tab.assert_clean()


def test_inputs_round_trip_through_the_url(tab):
    open_dr(tab, "?rto_minutes=60&rpo_minutes=60&data_residency=single_region")
    expected = {"rto_minutes": 60, "rpo_minutes": 60, "data_residency": "single_region"}
    wait_for_inputs(tab, expected)
    assert answer(tab) == cli_dr(expected)
    assert [e["strategy"] for e in answer(tab)["ranking"]] == ["backup-restore"]
    tab.page.fill("#dr-monthly_budget_usd", "20")
    wait_for_inputs(tab, {"monthly_budget_usd": 20})
    query = parse_qs(urlsplit(tab.page.url).query)
    assert query == {
        "rto_minutes": ["60"],
        "rpo_minutes": ["60"],
        "data_residency": ["single_region"],
        "monthly_budget_usd": ["20"],
    }
    tab.page.goto(tab.page.url)
    wait_for_inputs(tab, {**expected, "monthly_budget_usd": 20})
    assert answer(tab)["ranking"] == []
    tab.assert_clean()


def test_bad_input_shows_the_clis_line_beside_the_field(tab):
    open_dr(tab)
    before = answer(tab)
    tab.page.fill("#dr-rto_minutes", "-5")
    message = tab.page.locator("#dr-rto_minutes-error")
    message.wait_for(state="visible")
    expected = cli("dr", {"rto_minutes": -5, "rpo_minutes": 5})
    assert expected.returncode == 2
    assert message.text_content() == expected.stderr.strip()
    assert tab.page.get_attribute("#dr-rto_minutes", "aria-invalid") == "true"
    assert answer(tab) == before
    tab.page.fill("#dr-rto_minutes", "1e400")
    tab.page.wait_for_function(
        "() => document.querySelector('#dr-rto_minutes-error').textContent.includes('1e400')"
    )
    assert "Infinity" not in message.text_content()
    tab.assert_clean()


def test_typing_is_not_blocked_while_the_engine_starts(tab):
    held = []
    tab.page.route("**/pyodide.asm.wasm", lambda route: held.append(route))
    with tab.page.expect_request("**/pyodide.asm.wasm"):
        tab.page.goto(tab.base_url + DR_PAGE)
        tab.page.fill("#dr-rto_minutes", "45")
    assert tab.page.get_attribute(".calc[data-tool=dr]", "data-engine") == "starting"
    # The build-time answer stays on screen, marked as stale, while the reader types.
    assert tab.page.text_content(".calc-summary").startswith("Best fit for an RTO of 30")
    tab.page.fill("#dr-rpo_minutes", "15")
    assert tab.page.input_value("#dr-rpo_minutes") == "15"
    held[0].continue_()
    wait_for_inputs(tab, {"rto_minutes": 45, "rpo_minutes": 15})
    assert answer(tab) == cli_dr({"rto_minutes": 45, "rpo_minutes": 15})
    tab.assert_clean()


def test_phone_width_in_dark_mode(chromium, site_url):
    ARTIFACTS.mkdir(exist_ok=True)
    for phone in new_tab(
        chromium, site_url, viewport={"width": 360, "height": 800}, color_scheme="dark"
    ):
        open_dr(phone, "?corruption_protection=true")
        wait_for_inputs(phone, {"corruption_protection": True})
        phone.page.screenshot(path=ARTIFACTS / "dr-360-dark.png", full_page=True)
        assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
        phone.assert_clean()
