"""The engine's contract with its other callers: schema shape, result shape, handbook
links, data files with sources and dates, the error type, no I/O at import."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from importlib import resources
from typing import Any

import pytest

import decision_engine
from decision_engine import (
    InvalidInput,
    compare_costs,
    estimate_cost,
    facts,
    input_schemas,
    recommend,
    service_labels,
)
from decision_engine.facts import stale_facts

SERVICE_IDS = ["amplify", "lambda", "fargate", "ecs-ec2", "eks", "elastic-beanstalk", "ec2"]
C02 = "07 Compute/07-02 VMs, Containers and Serverless.md"
C05 = "07 Compute/07-05 Compute Cost and Capacity Management.md"
C01 = "07 Compute/07-01 EC2 Overview.md"
S15 = "15 Serverless/15 Serverless Architecture.md"
# The anchors the handbook guarantees (the lead's brief); engine links may use no others.
HANDBOOK_ANCHORS = {
    f"{C02}#aws-lambda",
    f"{C02}#ecs-fargate",
    f"{C02}#elastic-container-service-ecs",
    f"{C02}#elastic-kubernetes-service-eks",
    f"{C02}#aws-amplify-hosting",
    f"{C02}#choosing-a-compute-service",
    f"{C05}#aws-elastic-beanstalk-eb",
    f"{C05}#ec2-pricing-models",
    f"{C05}#lambda-pricing",
    f"{C05}#fargate-pricing",
    f"{C05}#eks-pricing",
    f"{C01}#instance-types",
    f"{C01}#when-to-choose-ec2",
    f"{S15}#computing-with-lambda",
    f"{S15}#running-containers-in-ecs-or-eks",
    f"{S15}#removing-servers-with-fargate",
    f"{S15}#ec2-vs-fargate",
    f"{S15}#fargate-vs-lambda",
    f"{S15}#amazon-eventbridge-cloudwatch-events",
}


def _data(name: str) -> Any:
    return json.loads(resources.files("decision_engine").joinpath("data", name).read_text("utf-8"))


class TestRecommendSchema:
    schema = input_schemas()["recommend"]

    def test_is_a_closed_object(self) -> None:
        assert self.schema["type"] == "object"
        assert self.schema["additionalProperties"] is False

    def test_has_every_contract_field(self) -> None:
        assert set(self.schema["properties"]) >= {
            "packaging",
            "max_runtime_minutes",
            "always_on",
            "load_pattern",
            "needs_os_access",
            "needs_gpu",
            "os",
            "kubernetes",
            "on_premises",
            "ops_effort",
            "memory_mb",
            "vcpu",
            "requests_per_month",
            "avg_duration_ms",
            "architecture",
            "region",
        }

    @pytest.mark.parametrize("name", list(input_schemas()["recommend"]["properties"]))
    def test_property_carries_what_the_form_needs(self, name: str) -> None:
        prop = self.schema["properties"][name]
        assert prop["title"] and prop["description"]
        assert "default" in prop and "x-unit" in prop
        assert prop["x-group"] in {
            "Workload shape",
            "Platform needs",
            "Size and traffic",
            "Team and region",
        }
        assert isinstance(prop["x-order"], int)
        assert prop["type"] in {"string", "integer", "number", "boolean"}
        if "enum" in prop:
            assert set(prop["x-enum-labels"]) == {str(v) for v in prop["enum"]}
            assert prop["default"] in prop["enum"]

    def test_orders_are_unique(self) -> None:
        orders = [p["x-order"] for p in self.schema["properties"].values()]
        assert len(orders) == len(set(orders))

    def test_defaults_are_what_recommend_assumes(self) -> None:
        defaults = {name: p["default"] for name, p in self.schema["properties"].items()}
        assert recommend({})["workload"] == defaults
        assert recommend(defaults) == recommend({})


class TestCostSchema:
    def test_one_branch_per_service(self) -> None:
        schema = input_schemas()["cost"]
        assert schema["required"] == ["service"]
        assert [b["properties"]["service"]["const"] for b in schema["oneOf"]] == [
            "amplify",
            "lambda",
            "fargate",
            "ecs-ec2",
            "eks",
            "elastic-beanstalk",
            "ec2",
        ]
        assert all(b["additionalProperties"] is False for b in schema["oneOf"])

    def test_issue_fields_are_there(self) -> None:
        branches = {
            b["properties"]["service"]["const"]: b for b in input_schemas()["cost"]["oneOf"]
        }
        assert set(branches["lambda"]["properties"]) >= {
            "requests_per_month",
            "avg_duration_ms",
            "memory_mb",
            "architecture",
            "ephemeral_storage_mb",
            "free_tier",
        }
        assert set(branches["fargate"]["properties"]) >= {
            "tasks",
            "vcpu",
            "memory_gb",
            "hours_per_month",
            "architecture",
            "os",
            "ephemeral_storage_gb",
        }
        assert set(branches["ec2"]["properties"]) >= {"instance_type", "count", "hours_per_month"}
        assert branches["lambda"]["properties"]["ephemeral_storage_mb"]["default"] == 512
        assert branches["fargate"]["properties"]["ephemeral_storage_gb"]["default"] == 20


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return recommend({"packaging": "container", "kubernetes": False})


class TestResultShape:
    def test_every_service_exactly_once(self, result: dict[str, Any]) -> None:
        ids = [r["service"] for r in result["ranking"]] + [
            r["service"] for r in result["ruled_out"]
        ]
        assert sorted(ids) == sorted(SERVICE_IDS)

    def test_ranking_entries(self, result: dict[str, Any]) -> None:
        labels = service_labels()
        for entry in result["ranking"]:
            assert entry["label"] == labels[entry["service"]]
            assert isinstance(entry["score"], int)
            cost = entry["monthly_cost"]
            assert set(cost) >= {"total_usd", "lines", "assumptions", "prices_as_of", "sources"}
            assert cost["total_usd"] == round(sum(line["amount_usd"] for line in cost["lines"]), 2)
            for line in cost["lines"]:
                assert set(line) == {"item", "quantity", "unit", "unit_price_usd", "amount_usd"}
            assert cost["assumptions"]

    def test_ruled_out_reasons_cite_limits(self, result: dict[str, Any]) -> None:
        for entry in result["ruled_out"]:
            for reason in entry["reasons"]:
                assert set(reason) >= {"text", "limit", "value", "source", "as_of", "handbook"}
                assert reason["source"].startswith("https://")
                date.fromisoformat(reason["as_of"])

    def test_explains_cost_weighting(self, result: dict[str, Any]) -> None:
        weighting = result["cost_weighting"]
        assert weighting["cost_points"] == 20 and "cheapest" in weighting["text"]
        assert result["prices_as_of"] == "2026-11-23"

    def test_labels(self) -> None:
        assert service_labels() == {
            "amplify": "AWS Amplify Hosting",
            "lambda": "AWS Lambda",
            "fargate": "AWS Fargate",
            "ecs-ec2": "Amazon ECS on EC2",
            "eks": "Amazon EKS",
            "elastic-beanstalk": "AWS Elastic Beanstalk",
            "ec2": "Amazon EC2",
        }


class TestHandbookLinks:
    def test_data_files_use_only_known_anchors(self) -> None:
        links = {s["handbook"] for s in _data("services.json")["services"]}
        rules = _data("rules.json")
        links |= {r["handbook"] for r in rules["ruled_out"] + rules["score"]}
        assert links <= HANDBOOK_ANCHORS, links - HANDBOOK_ANCHORS

    @pytest.mark.parametrize(
        "workload",
        [
            {},
            {
                "packaging": "machine",
                "vcpu": 192,
                "memory_mb": 786432,
                "needs_gpu": True,
                "architecture": "arm64",
            },
            {"kubernetes": True, "on_premises": True},
        ],
    )
    def test_results_use_only_known_anchors(self, workload: dict[str, Any]) -> None:
        result = recommend(workload)
        links = {
            reason["handbook"]
            for entry in result["ranking"] + result["ruled_out"]
            for reason in entry["reasons"]
        }
        assert links <= HANDBOOK_ANCHORS


class TestFacts:
    def test_every_limit_has_source_and_date(self) -> None:
        for key, fact in _data("limits.json")["facts"].items():
            assert re.fullmatch(r"https://[\w./#-]+", fact["source"]), key
            date.fromisoformat(fact["as_of"])
            assert isinstance(fact["verified"], bool) and fact["name"], key

    def test_every_price_group_has_source_and_date(self) -> None:
        for region in _data("prices.json")["regions"].values():
            for group, prices in region.items():
                if isinstance(prices, dict):
                    assert prices["source"].startswith("https://aws.amazon.com/"), group
                    date.fromisoformat(prices["as_of"])

    def test_current_facts_not_the_seeds(self) -> None:
        limits = _data("limits.json")["facts"]
        assert limits["lambda.max_runtime_minutes"]["value"] == 15
        assert limits["lambda.max_memory_mb"]["value"] == 10240
        assert limits["lambda.max_image_gb"]["value"] == 10
        assert limits["fargate.max_vcpu"]["value"] == 16
        assert limits["fargate.max_memory_gb"]["value"] == 120
        # Seed 004 says "Linux only"; Fargate runs Windows containers today.
        assert (
            recommend({"packaging": "container", "os": "windows", "vcpu": 1, "memory_mb": 2048})[
                "ranking"
            ][0]["service"]
            == "fargate"
        )


class TestCompareCosts:
    def test_series_for_the_eligible_services(self) -> None:
        workload = {"packaging": "container"}
        levels = [0, 1_000_000, 100_000_000]
        chart = compare_costs(workload, levels)
        assert chart["requests_per_month"] == levels
        eligible = {r["service"] for r in recommend(workload)["ranking"]}
        assert {s["service"] for s in chart["series"]} == eligible
        for series in chart["series"]:
            assert series["label"] == service_labels()[series["service"]]
            assert len(series["monthly_usd"]) == 3
            assert series["monthly_usd"] == sorted(series["monthly_usd"])

    def test_matches_recommend_at_each_level(self) -> None:
        chart = compare_costs({}, [3_000_000])
        costs = {r["service"]: r["monthly_cost"]["total_usd"] for r in recommend({})["ranking"]}
        assert {s["service"]: s["monthly_usd"][0] for s in chart["series"]} == costs

    @pytest.mark.parametrize(
        ("levels", "field"),
        [
            ([1, -5], "requests_per_month[1]"),
            ([1.5], "requests_per_month[0]"),
            ("100", "requests_per_month"),
            (7, "requests_per_month"),
        ],
    )
    def test_bad_levels(self, levels: Any, field: str) -> None:
        with pytest.raises(InvalidInput) as caught:
            compare_costs({}, levels)
        assert caught.value.field == field


class TestInvalidInput:
    def test_is_a_value_error_carrying_the_field(self) -> None:
        with pytest.raises(ValueError) as caught:
            recommend({"memory_mb": 64})
        err = caught.value
        assert isinstance(err, InvalidInput)
        assert (err.field, err.value) == ("memory_mb", 64)
        assert err.allowed == "an integer from 128 up to 786,432 (MB)"
        assert str(err) == (
            "memory_mb: out of range: 64; allowed: an integer from 128 up to 786,432 (MB)"
        )

    @pytest.mark.parametrize(
        ("workload", "field"),
        [
            ({"vcpu": float("nan")}, "vcpu"),
            ({"vcpu": float("inf")}, "vcpu"),
            ({"region": "mars-1"}, "region"),
            ({"os": 3}, "os"),
            ({1: 2}, "1"),
            ({"vcpu": "2"}, "vcpu"),
            ({"always_on": 1}, "always_on"),
        ],
    )
    def test_api_rejects(self, workload: dict[Any, Any], field: str) -> None:
        with pytest.raises(InvalidInput) as caught:
            recommend(workload)
        assert caught.value.field == field

    def test_long_values_are_cut_to_one_line(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            recommend({"packaging": "x\n" * 200})
        assert "\n" not in str(caught.value) and "…" in str(caught.value)

    def test_unserialisable_values_are_shown(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            recommend({"packaging": object()})
        assert "object object at" in str(caught.value)

    def test_no_hint_when_nothing_is_close(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            estimate_cost({"service": "ec2", "zzz": 1})
        assert "did you mean" not in str(caught.value)


def test_integral_floats_are_accepted_as_integers() -> None:
    # JSON from a browser may send 1024.0 for an integer field.
    assert recommend({"memory_mb": 1024.0})["workload"]["memory_mb"] == 1024


def test_stale_facts_oldest_first() -> None:
    stale = stale_facts(10, date(2027, 1, 1))
    assert stale and all(entry["age_days"] == 39 for entry in stale)
    assert [e["fact"] for e in stale] == sorted(e["fact"] for e in stale)
    unverified = {e["fact"] for e in stale if not e["verified"]}
    assert "prices.us-east-1.ec2" in unverified
    assert "prices.us-east-1.lambda" not in unverified
    assert stale_facts(40, date(2027, 1, 1)) == []


def test_read_all_data_keeps_every_data_file_for_later_without_the_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What the browser's engine relies on before its memory snapshot.
    data = resources.files("decision_engine").joinpath("data")
    expected = {entry.name: entry.read_text(encoding="utf-8") for entry in data.iterdir()}
    facts.read_text.cache_clear()
    facts.read_all_data()
    monkeypatch.setattr(facts, "resources", None)  # no file can be opened from here on
    assert {name: facts.read_text(name) for name in expected} == expected
    assert facts.read_text.cache_info().currsize == len(expected)


def test_no_io_at_import() -> None:
    code = (
        "import decision_engine, decision_engine.facts as f;"
        "print(f.load_json.cache_info().currsize, f.load_prices.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "0"]


def test_public_names() -> None:
    assert set(decision_engine.__all__) == {
        "InvalidInput",
        "InvalidLens",
        "compare_costs",
        "estimate_cost",
        "handbook_lens",
        "input_schemas",
        "read_lens_text",
        "recommend",
        "review",
        "service_labels",
    }
    assert decision_engine.__doc__ and "contract" in decision_engine.__doc__


class TestRulesData:
    """A typo in rules.json would only show up for the workload that reaches it; catch it here."""

    def test_rules_refer_to_real_fields_operators_facts_and_services(self) -> None:
        from dataclasses import fields

        from decision_engine.rules import OPERATORS, Workload

        attributes = {f.name for f in fields(Workload)} | {"memory_gb"}
        rules = _data("rules.json")
        limits = _data("limits.json")["facts"]
        for rule in rules["ruled_out"] + rules["score"]:
            services = rule.get("services", [rule.get("service")])
            assert set(services) <= set(SERVICE_IDS), rule["id"]
            assert "fact" not in rule or rule["fact"] in limits, rule["id"]
            for condition in rule["all"]:
                assert condition["field"] in attributes, rule["id"]
                assert condition["op"] in OPERATORS, rule["id"]
                assert ("fact" in condition) != ("value" in condition), rule["id"]
                assert condition.get("fact", next(iter(limits))) in limits, rule["id"]

    def test_rule_ids_are_unique(self) -> None:
        rules = _data("rules.json")
        ids = [r["id"] for r in rules["ruled_out"] + rules["score"]]
        assert len(ids) == len(set(ids))


def test_standard_library_only() -> None:
    import ast

    package = resources.files("decision_engine")
    for module in package.iterdir():
        if not module.name.endswith(".py"):
            continue
        tree = ast.parse(module.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top == "decision_engine", (
                    module.name,
                    name,
                )
