"""The Well-Architected review as a reader uses it: the built site in headless Chromium,
served with the site's strict Content-Security-Policy.

Every report the page shows is compared with ``python -m decision_engine review`` for
the same answers; answers must survive a reload (localStorage), travel through the
exported JSON file, and a reader's own lens must load, or be refused with its JSON path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.calculator.conftest import Tab, cli, new_tab
from tests.conftest import REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REVIEW_PAGE = "tools/review/"
PUBLISHED_SHAPE = REPO / "tests" / "engine" / "lenses" / "published-shape.json"


def cli_review(answers: dict[str, object], lens: Path | None = None) -> dict[str, object]:
    """The CLI's review of these answers, as parsed JSON."""
    if lens is None:
        completed = cli("review", answers)
    else:
        import subprocess
        import sys

        completed = subprocess.run(
            [sys.executable, "-m", "decision_engine", "review", "--lens", str(lens)],
            input=json.dumps(answers),
            capture_output=True,
            text=True,
            check=False,
            cwd=REPO,
        )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, object] = json.loads(completed.stdout)
    return result


def open_review(tab: Tab) -> None:
    tab.page.goto(tab.base_url + REVIEW_PAGE)
    tab.page.wait_for_selector(".review[data-engine=ready]", state="attached", timeout=60_000)


def report_json(tab: Tab) -> dict[str, object]:
    result: dict[str, object] = json.loads(
        tab.page.text_content(".review-report .review-result-json")
    )
    return result


def wait_for_answered(tab: Tab, count: int) -> None:
    """Wait until the report on screen counts this many answered questions."""
    tab.page.wait_for_function(
        """(count) => {
          const block = document.querySelector(".review-report .review-result-json");
          return block && JSON.parse(block.textContent).answered === count;
        }""",
        arg=count,
        timeout=20_000,
    )


def wait_for_report(tab: Tab, expected: dict[str, object]) -> None:
    """Wait until the report on screen is this one: several sets of answers can count
    the same number answered, and the engine answers each change in turn."""
    tab.page.wait_for_function(
        """(expected) => {
          const block = document.querySelector(".review-report .review-result-json");
          const sorted = (key, value) => value && typeof value === "object" && !Array.isArray(value)
            ? Object.fromEntries(Object.entries(value).sort()) : value;
          const canonical = (value) => JSON.stringify(value, sorted);
          return block && canonical(JSON.parse(block.textContent)) === canonical(expected);
        }""",
        arg=expected,
        timeout=20_000,
    )


def tick(tab: Tab, question: str, choice: str) -> None:
    tab.page.check(f"#review-{question}-{choice}")


def download(tab: Tab, button: str) -> str:
    with tab.page.expect_download() as info:
        tab.page.click(button)
    return Path(info.value.path()).read_text(encoding="utf-8")


@pytest.fixture
def review_tab(chromium: object, site_url: str) -> Iterator[Tab]:
    yield from new_tab(
        chromium, site_url, viewport={"width": 1280, "height": 900}, accept_downloads=True
    )


def test_questions_are_in_the_page_without_javascript(chromium, site_url):
    for tab in new_tab(chromium, site_url, java_script_enabled=False):
        tab.page.goto(site_url + REVIEW_PAGE)
        assert tab.page.is_visible(".review-note")
        assert tab.page.locator(".review-question").count() == 18
        assert tab.page.is_visible("text=How do you back up data, and do you know the backups")
        assert report_json(tab) == cli_review({})
        assert tab.page.is_hidden(".review-export-json")


def test_answers_survive_a_reload(review_tab):
    tab = review_tab
    open_review(tab)
    tick(tab, "sec_data", "sec_data_2")
    tick(tab, "sec_data", "sec_data_3")
    tick(tab, "rel_dr", "rel_dr_no")
    tab.page.check("#review-sus_data-na")
    answers = {
        "answers": {"sec_data": ["sec_data_2", "sec_data_3"], "rel_dr": ["rel_dr_no"]},
        "not_applicable": ["sus_data"],
    }
    wait_for_answered(tab, 3)
    assert report_json(tab) == cli_review(answers)
    assert tab.page.text_content(".review-summary") == (
        "3 of 18 questions answered: 1 high risk, 1 medium risk."
    )
    # The chart and the plan, with handbook links.
    assert tab.page.locator(".review-bar.review-risk-high").count() == 1
    first = tab.page.locator(".review-plan-item").first
    assert first.get_attribute("data-question") == "rel_dr"
    assert first.locator("a[href*='multi-region-dr']").count() >= 1

    tab.page.reload()
    tab.page.wait_for_selector(".review[data-engine=ready]", state="attached", timeout=60_000)
    assert tab.page.is_checked("#review-sec_data-sec_data_2")
    assert tab.page.is_checked("#review-rel_dr-rel_dr_no")
    assert tab.page.is_checked("#review-sus_data-na")
    wait_for_answered(tab, 3)
    assert report_json(tab) == cli_review(answers)
    tab.assert_clean()


def test_none_of_these_excludes_the_other_choices(review_tab):
    tab = review_tab
    open_review(tab)
    tick(tab, "cost_pricing", "cost_pricing_1")
    tick(tab, "cost_pricing", "cost_pricing_no")
    assert not tab.page.is_checked("#review-cost_pricing-cost_pricing_1")
    tick(tab, "cost_pricing", "cost_pricing_2")
    assert not tab.page.is_checked("#review-cost_pricing-cost_pricing_no")
    # "None of these" alone also counts one question answered: wait for the last change.
    expected = cli_review({"answers": {"cost_pricing": ["cost_pricing_2"]}})
    wait_for_report(tab, expected)
    assert report_json(tab) == expected
    tab.assert_clean()


def test_export_and_import_answers(review_tab, tmp_path):
    tab = review_tab
    open_review(tab)
    tick(tab, "ops_changes", "ops_changes_1")
    wait_for_answered(tab, 1)
    exported = download(tab, ".review-export-json")
    # The export is exactly the engine's input: the CLI rates it like the page.
    assert json.loads(exported) == {
        "answers": {"ops_changes": ["ops_changes_1"]},
        "not_applicable": [],
    }
    assert cli_review(json.loads(exported)) == report_json(tab)
    markdown = download(tab, ".review-export-md")
    assert markdown.startswith("# Well-Architected review: Cloud Architecture Handbook")
    assert "### Medium risk: How do you put changes into production?" in markdown

    tab.page.click(".review-clear")
    wait_for_answered(tab, 0)
    assert not tab.page.is_checked("#review-ops_changes-ops_changes_1")

    bad = tmp_path / "bad.json"
    bad.write_text('{"answers": {"ops_changes": ["ops_changes_9"]}}', encoding="utf-8")
    tab.page.set_input_files(".review-import-file", str(bad))
    tab.page.wait_for_selector(".review-message:has-text('bad.json was not imported')")
    assert "answers.ops_changes[0]: unknown choice" in tab.page.text_content(".review-message")

    good = tmp_path / "answers.json"
    good.write_text(exported, encoding="utf-8")
    tab.page.set_input_files(".review-import-file", str(good))
    tab.page.wait_for_selector(".review-message:has-text('Answers imported from answers.json')")
    assert tab.page.is_checked("#review-ops_changes-ops_changes_1")
    wait_for_answered(tab, 1)
    tab.assert_clean()


def test_own_lens_loads_and_survives_a_reload(review_tab, tmp_path):
    tab = review_tab
    open_review(tab)
    broken = tmp_path / "broken-lens.json"
    lens = json.loads(PUBLISHED_SHAPE.read_text(encoding="utf-8"))
    lens["pillars"][0]["questions"][0]["riskRules"][1]["condition"] = "QREL1_1 && QREL1_9"
    broken.write_text(json.dumps(lens), encoding="utf-8")
    tab.page.set_input_files(".review-lens-file", str(broken))
    tab.page.wait_for_selector(".review-message:has-text('is not a valid lens')")
    message = tab.page.text_content(".review-message")
    assert "$.pillars[0].questions[0].riskRules[1].condition: unknown choice id 'QREL1_9'" in (
        message
    )
    assert tab.page.locator(".review-question").count() == 18

    tab.page.set_input_files(".review-lens-file", str(PUBLISHED_SHAPE))
    tab.page.wait_for_selector("[data-question=QREL1]")
    assert tab.page.text_content(".review-lens-name strong") == "Queue Workloads Lens (test data)"
    tick(tab, "QREL1", "QREL1_1")
    wait_for_answered(tab, 1)
    assert report_json(tab) == cli_review({"answers": {"QREL1": ["QREL1_1"]}}, PUBLISHED_SHAPE)

    tab.page.reload()
    tab.page.wait_for_selector("[data-question=QREL1]", timeout=60_000)
    assert tab.page.is_checked("#review-QREL1-QREL1_1")
    wait_for_answered(tab, 1)

    tab.page.click(".review-lens-reset")
    tab.page.wait_for_selector("[data-question=sec_data]")
    assert tab.page.text_content(".review-lens-name strong") == "Cloud Architecture Handbook"
    tab.assert_clean()
