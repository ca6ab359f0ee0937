"""The calculator's one renderer, without a browser: form, answer, chart, escaping."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from decision_engine import InvalidInput, compare_costs, input_schemas, recommend
from decision_engine.render_html import (
    CHART_REQUESTS,
    PageContext,
    answer_summary,
    handbook_url,
    live_answer,
    live_answer_json,
    render_answer,
    render_calculator,
    render_cost_chart,
    render_form,
    workload_from_form,
)

SCHEMA = input_schemas()["recommend"]["properties"]


class Elements(HTMLParser):
    """Every start tag with its attributes, in document order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def having(self, attribute: str) -> list[dict[str, str | None]]:
        return [attrs for _, attrs in self.tags if attribute in attrs]


def result_json(html: str) -> dict[str, object]:
    match = re.search(
        r'<script type="application/json" class="calc-result-json">(.*?)</script>', html
    )
    assert match, "no result JSON in the answer"
    return json.loads(match.group(1))


class TestHandbookUrl:
    @pytest.mark.parametrize(
        ("path", "page", "url"),
        [
            (
                "07 Compute/07-02 VMs, Containers and Serverless.md#aws-lambda",
                PageContext("../../"),
                "../../07%20Compute/07-02%20VMs%2C%20Containers%20and%20Serverless/#aws-lambda",
            ),
            (
                "15 Serverless/15 Serverless Architecture.md",
                PageContext("../../"),
                "../../15%20Serverless/15%20Serverless%20Architecture/",
            ),
            ("tools/index.md#how-they-run", PageContext("../../"), "../../tools/#how-they-run"),
            ("index.md", PageContext("../"), "../"),
            ("tools/index.md", PageContext("../", directory_urls=False), "../tools/index.html"),
            (
                "07 Compute/07-01 EC2 Overview.md#instance-types",
                PageContext("../", directory_urls=False),
                "../07%20Compute/07-01%20EC2%20Overview.html#instance-types",
            ),
        ],
    )
    def test_paths_become_urls_relative_to_the_page(self, path, page, url):
        assert handbook_url(path, page) == url


class TestWorkloadFromForm:
    @pytest.mark.parametrize(
        ("field", "text", "value"),
        [
            ("requests_per_month", "3000000", 3000000),
            ("requests_per_month", "1,000,000", 1000000),
            ("requests_per_month", "2_500", 2500),
            ("vcpu", "0.25", 0.25),
            ("vcpu", "2", 2),
            ("max_runtime_minutes", " 15 ", 15),
            ("always_on", "true", True),
            ("always_on", "false", False),
            ("packaging", "container", "container"),
            # Text that is not of the field's type goes to the engine as typed, so
            # the engine's own message names it.
            ("memory_mb", "lots", "lots"),
            ("memory_mb", "", ""),
            ("always_on", "yes", "yes"),
            ("not_a_field", "1", "1"),
        ],
    )
    def test_text_is_parsed_by_the_fields_type(self, field, text, value):
        parsed = workload_from_form({field: text})[field]
        assert parsed == value
        assert type(parsed) is type(value)


class TestLiveAnswer:
    def test_defaults_answer_with_the_engines_json(self):
        answer = live_answer({}, PageContext())
        assert answer.error == ""
        assert result_json(answer.html) == recommend({})
        assert answer.summary == answer_summary(recommend({}))

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"memory_mb": "lots"}, "memory_mb"),
            ({"max_runtime_minutes": "-3"}, "max_runtime_minutes"),
            ({"packaging": "vm"}, "packaging"),
            ({"requests_per_month": "nan"}, "requests_per_month"),
        ],
    )
    def test_invalid_input_gives_the_engines_message_for_its_field(self, fields, field):
        answer = live_answer(fields, PageContext())
        with pytest.raises(InvalidInput) as raised:
            recommend(workload_from_form(fields))
        assert (answer.error_field, answer.error, answer.html) == (field, str(raised.value), "")

    def test_json_protocol_of_the_worker(self):
        request = {"fields": {"packaging": "container"}, "site_root": "../"}
        response = json.loads(live_answer_json(json.dumps(request)))
        assert set(response) == {"html", "summary", "error_field", "error"}
        assert result_json(response["html"]) == recommend({"packaging": "container"})
        assert 'href="../07%20Compute/' in response["html"]


class TestForm:
    def test_every_field_of_the_schema_has_a_labelled_control(self):
        elements = Elements(render_form({}))
        ids = {attrs["id"] for _, attrs in elements.tags if attrs.get("id")}
        labelled = {attrs["for"] for tag, attrs in elements.tags if tag == "label"}
        names = {attrs["name"] for tag, attrs in elements.tags if tag in ("input", "select")}
        assert names == set(SCHEMA)
        assert {f"calc-{name}" for name in SCHEMA} <= labelled <= ids
        for _, attrs in elements.tags:
            for target in (attrs.get("aria-describedby") or "").split():
                assert target in ids

    def test_groups_and_defaults_come_from_the_schema(self):
        html = render_calculator(PageContext())
        legends = re.findall(r"<legend>(.*?)</legend>", html)
        assert legends == list(dict.fromkeys(s["x-group"] for s in _ordered_schema()))
        for name, spec in SCHEMA.items():
            assert spec["title"].replace("'", "&#x27;") in html
            default = spec["default"]
            if isinstance(default, bool):
                checked = f'id="calc-{name}"' in html and re.search(
                    rf'<input type="checkbox" id="calc-{name}"[^>]* checked>', html
                )
                assert bool(checked) is default
            elif "enum" in spec:
                assert f'<option value="{default}" selected>' in html
            else:
                assert f'name="{name}" data-default="{default}"' in html

    def test_an_error_is_shown_beside_its_field(self):
        html = render_form({"memory_mb": "lots"}, errors={"memory_mb": "memory_mb: bad"})
        assert 'aria-invalid="true"' in html
        assert '<p class="calc-error" id="calc-memory_mb-error">memory_mb: bad</p>' in html
        assert html.count("aria-invalid") == 1

    def test_no_inline_style_or_script(self):
        # The site's CSP forbids both; JSON data blocks are not scripts.
        html = render_calculator(PageContext())
        attributes = {name for _, attrs in Elements(html).tags for name in attrs}
        assert "style" not in attributes
        assert not {name for name in attributes if name.startswith("on")}
        scripts = re.findall(r"<script[^>]*>", html)
        assert scripts == ['<script type="application/json" class="calc-result-json">']


def _ordered_schema() -> list[dict[str, object]]:
    return [spec for _, spec in sorted(SCHEMA.items(), key=lambda kv: kv[1]["x-order"])]


HOSTILE = '</script><img src=x onerror="alert(1)">'


def hostile_result() -> dict[str, object]:
    """A real answer with hostile text in every string the renderer prints."""
    result = recommend({})
    for entry in result["ranking"] + result["ruled_out"]:
        entry["label"] = HOSTILE
        for reason in entry["reasons"]:
            reason["text"] = HOSTILE
    return result


class TestAnswer:
    def test_text_is_escaped_and_the_json_block_cannot_be_closed(self):
        result = hostile_result()
        html = render_answer(result, {"requests_per_month": [], "series": []}, PageContext())
        assert "<img" not in html
        assert html.count("</script>") == 1
        assert result_json(html)["ranking"][0]["label"] == HOSTILE
        assert result_json(html) == json.loads(json.dumps(result))

    def test_ruled_out_reasons_name_the_limit_and_its_source(self):
        result = recommend({"max_runtime_minutes": 16})
        html = render_answer(result, {"requests_per_month": [], "series": []}, PageContext())
        (lambda_out,) = [e for e in result["ruled_out"] if e["service"] == "lambda"]
        reason = lambda_out["reasons"][0]
        assert f'<a href="{reason["source"]}" rel="noopener">source</a>' in html
        assert f"as of {reason['as_of']}" in html

    def test_every_ranked_service_and_its_cost_appear_in_order(self):
        result = recommend({"packaging": "container"})
        html = render_answer(result, {"requests_per_month": [], "series": []}, PageContext())
        labels = re.findall(r'<strong class="calc-label">(.*?)</strong>', html)
        expected = [e["label"] for e in result["ranking"] + result["ruled_out"]]
        assert labels == expected
        for entry in result["ranking"]:
            assert f"${entry['monthly_cost']['total_usd']:,.2f}/month" in html


class TestEdges:
    def test_no_service_fits(self):
        workload = {
            "packaging": "machine",
            "needs_gpu": "true",
            "kubernetes": "true",
            "needs_os_access": "true",
            "on_premises": "true",
        }
        answer = live_answer(workload, PageContext())
        assert answer.summary == "No service fits this workload: all 7 are ruled out."
        assert "<svg" not in answer.html
        assert '<ol class="calc-ranking">\n</ol>' in answer.html

    def test_nothing_ruled_out(self):
        answer = live_answer({"packaging": "static_site"}, PageContext())
        assert result_json(answer.html)["ruled_out"] == []
        assert "Ruled out" not in answer.html

    def test_zero_requests_draws_the_chart_without_a_marker(self):
        answer = live_answer({"requests_per_month": "0"}, PageContext())
        assert "<svg" in answer.html
        assert "calc-you" not in answer.html

    def test_few_requests_are_marked_as_counted(self):
        answer = live_answer({"requests_per_month": "500"}, PageContext())
        assert "you: 500</text>" in answer.html


class TestCostChart:
    def chart(self, workload: dict[str, object]) -> tuple[str, dict[str, object]]:
        reader = workload["requests_per_month"]
        comparison = compare_costs(workload, sorted({*CHART_REQUESTS, reader}))
        return render_cost_chart(comparison, reader), comparison

    def test_one_line_per_eligible_service_and_the_readers_point(self):
        html, comparison = self.chart({"packaging": "container", "requests_per_month": 4_000_000})
        series = comparison["series"]
        assert (
            html.count("<polyline")
            == len(series)
            == len(recommend({"packaging": "container"})["ranking"])
        )
        assert html.count('<circle class="calc-dot') == len(series)
        assert "you: 4M" in html
        for entry in series:
            assert entry["label"] in html

    def test_costs_never_fall_as_requests_rise(self):
        html, _ = self.chart({"requests_per_month": 3_000_000})
        for points in re.findall(r'points="([^"]+)"', html):
            ys = [float(pair.split(",")[1]) for pair in points.split()]
            xs = [float(pair.split(",")[0]) for pair in points.split()]
            assert xs == sorted(xs)
            assert ys == sorted(ys, reverse=True)  # SVG y grows downwards

    def test_zero_requests_has_no_marker(self):
        workload = {"requests_per_month": 0}
        html = render_cost_chart(compare_costs(workload, list(CHART_REQUESTS)), 0)
        assert "calc-you" not in html

    def test_chart_is_an_accessible_image_with_a_table(self):
        html, comparison = self.chart({"requests_per_month": 3_000_000})
        assert 'role="img" aria-labelledby="calc-chart-title calc-chart-desc"' in html
        assert html.count('<th scope="row">') == len(comparison["series"])
