"""The review's one renderer: questions, report, chart, Markdown and the worker's call."""

from __future__ import annotations

import json
import re
from pathlib import Path

from decision_engine.lens import handbook_lens, read_lens_text
from decision_engine.render_review import (
    HANDBOOK_URL,
    link,
    live_review,
    live_review_json,
    render_questions,
    render_report,
    render_review_page,
    review_markdown,
)
from decision_engine.review import review

ROOT = Path(__file__).parents[2]
PUBLISHED_SHAPE = Path(__file__).parent / "lenses" / "published-shape.json"


def _result_json(html: str) -> dict[str, object]:
    found = re.search(
        r'<script type="application/json" class="review-result-json">(.*?)</script>', html
    )
    assert found
    decoded: dict[str, object] = json.loads(found.group(1))
    return decoded


def test_handbook_url_is_the_site_url() -> None:
    assert f"site_url: {HANDBOOK_URL}\n" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_links_to_the_handbook_become_relative() -> None:
    assert link(HANDBOOK_URL + "architecture/caching/#ttl", "../../") == (
        "../../architecture/caching/#ttl"
    )
    assert link("https://docs.aws.amazon.com/x", "../../") == "https://docs.aws.amazon.com/x"
    assert link(None, "../") is None


class TestBuildTimePage:
    def test_every_question_and_choice_is_a_control(self) -> None:
        html = render_review_page("../../")
        lens = handbook_lens()
        for _, question in lens.questions():
            assert f'data-question="{question.id}"' in html
            for choice in question.choices:
                assert f'name="{question.id}" value="{choice.id}"' in html
        assert html.count('data-not-applicable="true"') == 18
        assert html.count('data-none="true"') == 18
        assert 'href="../../well-architected/reliability/#the-questions-the-pillar-asks"' in html

    def test_empty_report(self) -> None:
        html = render_review_page("../")
        result = _result_json(html)
        assert result["answered"] == 0
        assert "0 of 18 questions answered: 0 high risk, 0 medium risk." in html
        assert "No high or medium risks among the answered questions." in html
        assert html.count('class="review-bar review-risk-unanswered"') == 6


class TestReport:
    def test_plan_links_and_chart(self) -> None:
        answers = {"answers": {"rel_backup": ["rel_backup_1"], "sec_data": ["sec_data_no"]}}
        response = live_review({"state": json.dumps(answers)}, "../../")
        assert response["error"] == ""
        report = response["html"]
        assert response["summary"] == "2 of 18 questions answered: 2 high risk, 0 medium risk."
        assert report.index("How do you protect data at rest") < report.index("do you know the")
        assert 'href="../../architecture/resilience/#test-recovery-regularly"' in report
        assert 'class="review-bar review-risk-high"' in report

    def test_bad_answers_give_the_engine_message(self) -> None:
        response = live_review({"state": '{"answers": {"nope": []}}'}, "./")
        assert response["error"].startswith("answers.nope: unknown question")
        assert response["error_field"] == "answers.nope"
        assert response["html"] == ""

    def test_answers_not_json(self) -> None:
        response = live_review({"state": "{answers"}, "./")
        assert response["error"].startswith("$: Expecting property name")

    def test_unknown_view(self) -> None:
        response = live_review({"view": "pdf"}, "./")
        assert response["error"].startswith('view: unknown view: "pdf"')

    def test_own_lens_gives_its_questions(self) -> None:
        text = PUBLISHED_SHAPE.read_text(encoding="utf-8")
        state = json.dumps({"answers": {"QREL1": ["QREL1_no"]}})

        def ask(view: str) -> dict[str, str]:
            fields = {"lens": text, "state": state, "view": view}
            request = json.dumps({"fields": fields, "site_root": "./"})
            answer: dict[str, str] = json.loads(live_review_json(request))
            return answer

        questions = ask("questions")
        assert questions["summary"] == "Queue Workloads Lens (test data)"
        assert 'value="QREL2_1"' in questions["html"]
        # An empty URL is text, not a link.
        assert '<span class="review-help">A redrive policy' in questions["html"]
        assert ask("markdown")["html"].startswith("# Well-Architected review: Queue Workloads")

    def test_bad_lens_is_reported(self) -> None:
        response = live_review({"lens": '{"schemaVersion": "1"}'}, "./")
        assert response["error"].startswith("$.schemaVersion: unsupported schema version")

    def test_text_is_escaped(self) -> None:
        lens = json.loads(PUBLISHED_SHAPE.read_text(encoding="utf-8"))
        lens["pillars"][0]["questions"][0]["title"] = "<img src=x onerror=alert(1)>"
        lens["pillars"][0]["questions"][0]["choices"][1]["improvementPlan"]["url"] = (
            'https://x.org/"><script>'
        )
        fields = {"lens": json.dumps(lens), "state": '{"answers": {"QREL1": ["QREL1_no"]}}'}
        report = live_review(fields, "./")["html"]
        questions = live_review({**fields, "view": "questions"}, "./")["html"]
        for html in (questions, report):
            assert "<img" not in html
            assert "<script>" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in report


class TestMarkdown:
    def test_report_as_markdown(self) -> None:
        lens = handbook_lens()
        result = review({"answers": {"cost_pricing": ["cost_pricing_2"]}}, lens)
        text = review_markdown(result, lens)
        assert "| Cost Optimization | 0 | 1 | 0 | 2 | 0 |" in text
        assert "### Medium risk: How do you use pricing models to reduce cost?" in text
        assert "- **Steady usage is covered by Savings Plans or Reserved Instances**: " in text
        assert text.endswith("\n")

    def test_nothing_to_improve(self) -> None:
        lens = read_lens_text(PUBLISHED_SHAPE.read_text(encoding="utf-8"))
        text = review_markdown(review({}, lens), lens)
        assert "No high or medium risks among the answered questions." in text

    def test_additional_improvements_are_listed(self) -> None:
        lens = read_lens_text(PUBLISHED_SHAPE.read_text(encoding="utf-8"))
        text = review_markdown(review({"answers": {"QREL1": ["QREL1_no"]}}, lens), lens)
        assert "  - Redrive messages back to the source queue once the cause is fixed." in text
        assert "[Alarm on ApproximateNumberOfMessagesVisible" in text


def test_questions_name_the_lens() -> None:
    assert 'data-lens-name="Cloud Architecture Handbook"' in render_questions(handbook_lens(), "./")


def test_practices_cache_keeps_a_few_pages() -> None:
    lens = handbook_lens()
    result = review({"answers": {"rel_dr": ["rel_dr_no"]}}, lens)
    for depth in range(6):
        root = "../" * depth or "./"
        report = render_report(result, root, lens)
        assert f'href="{root}architecture/multi-region-dr/#rpo-and-rto"' in report
