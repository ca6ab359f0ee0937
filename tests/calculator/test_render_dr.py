"""The DR tool's one renderer, without a browser: form, answer, escaping, links."""

from __future__ import annotations

import json
import re

import pytest

from decision_engine.dr import dr_schema, recommend_dr
from decision_engine.render_dr import answer_summary, live_answer, render_answer, render_tool
from decision_engine.tool_page import PageContext

PAGE = PageContext("../../")


def result_json(html: str) -> dict[str, object]:
    match = re.search(
        r'<script type="application/json" class="calc-result-json">(.*?)</script>', html
    )
    assert match, "no result JSON in the answer"
    return json.loads(match.group(1))


class TestBuildTime:
    def test_form_from_the_schema_with_the_objectives_required(self) -> None:
        html = render_tool(PAGE)
        for name in dr_schema()["properties"]:
            assert f'id="dr-{name}"' in html
            assert f'<label for="dr-{name}"' in html
        assert html.count('aria-required="true"') == 2
        assert 'id="dr-rto_minutes" name="rto_minutes" data-default="30"' in html
        assert 'id="dr-monthly_budget_usd" name="monthly_budget_usd" data-default=""' in html
        assert result_json(html) == recommend_dr({"rto_minutes": 30, "rpo_minutes": 5})

    def test_no_inline_style_or_handlers_and_one_data_block(self) -> None:
        html = render_tool(PAGE, {"corruption_protection": "true"})
        assert " style=" not in html
        assert not re.search(r"\son[a-z]+=", html)
        assert re.findall(r"<script[^>]*>", html) == [
            '<script type="application/json" class="calc-result-json">'
        ]

    def test_links_go_to_the_dr_page_sections_and_pillars(self) -> None:
        html = render_tool(PAGE)
        assert 'href="../../architecture/multi-region-dr/#warm-standby"' in html
        assert 'href="../../architecture/multi-region-dr/#the-four-strategies"' in html
        assert 'href="../../well-architected/reliability/"' in html


class TestLiveAnswer:
    def test_bad_field_gives_the_engines_message(self) -> None:
        answer = live_answer({"rto_minutes": "soon", "rpo_minutes": "5"}, PAGE)
        assert answer.html == ""
        assert answer.error_field == "rto_minutes"
        assert answer.error.startswith('rto_minutes: not a number: "soon"; allowed: ')

    def test_empty_budget_is_no_budget(self) -> None:
        answer = live_answer(
            {"rto_minutes": "30", "rpo_minutes": "5", "monthly_budget_usd": ""}, PAGE
        )
        assert result_json(answer.html)["inputs"]["monthly_budget_usd"] is None


class TestAnswer:
    def test_nothing_meets_the_objectives(self) -> None:
        result = recommend_dr({"rto_minutes": 0, "rpo_minutes": 0, "ops_effort": "minimal"})
        html = render_answer(result, PAGE)
        assert answer_summary(result).startswith("No strategy meets an RTO of 0 and an RPO of 0")
        assert '<ol class="calc-ranking">\n</ol>' in html

    def test_nothing_ruled_out(self) -> None:
        result = recommend_dr({"rto_minutes": 1440, "rpo_minutes": 1440, "ops_effort": "full"})
        html = render_answer(result, PAGE)
        assert "Ruled out" not in html
        assert answer_summary(result).endswith("4 of 4 strategies meet them.")
        assert html.count('<rect class="calc-bar') == 4

    def test_corruption_warning_is_shown(self) -> None:
        result = recommend_dr({"rto_minutes": 30, "rpo_minutes": 5, "corruption_protection": True})
        html = render_answer(result, PAGE)
        assert "Replication copies corruption too" in html
        assert "AWS Backup Vault Lock" in html

    @pytest.mark.parametrize("field", ["label", "summary"])
    def test_text_is_escaped(self, field: str) -> None:
        result = recommend_dr({"rto_minutes": 1440, "rpo_minutes": 1440})
        for entry in result["ranking"] + result["ruled_out"]:
            entry[field] = '</script><img src=x onerror="alert(1)">'
        html = render_answer(result, PAGE)
        assert "<img" not in html
        assert result_json(html) == result

    def test_unverified_prices_are_said(self) -> None:
        result = recommend_dr({"rto_minutes": 30, "rpo_minutes": 5})
        assert "not re-read from AWS" in render_answer(result, PAGE)
        result["prices_verified"] = True
        assert "not re-read from AWS" not in render_answer(result, PAGE)
