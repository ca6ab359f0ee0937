"""Properties that hold for every valid workload (hypothesis, derandomised for CI)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from decision_engine import compare_costs, input_schemas, recommend

SERVICE_IDS = {"amplify", "lambda", "fargate", "ecs-ec2", "eks", "elastic-beanstalk", "ec2"}
PROPERTIES: dict[str, Any] = input_schemas()["recommend"]["properties"]
EXAMPLES = settings(max_examples=60, deadline=None, derandomize=True)


def _value(prop: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values a property's schema allows (the form cannot send anything else)."""
    if "enum" in prop:
        return st.sampled_from(prop["enum"])
    if prop["type"] == "boolean":
        return st.booleans()
    low = prop.get("minimum", prop.get("exclusiveMinimum"))
    if prop["type"] == "integer":
        return st.integers(min_value=int(low), max_value=int(prop["maximum"]))
    return st.floats(
        min_value=low,
        max_value=prop["maximum"],
        exclude_min="exclusiveMinimum" in prop,
        allow_nan=False,
        allow_infinity=False,
    )


workloads = st.fixed_dictionaries(
    {}, optional={name: _value(prop) for name, prop in PROPERTIES.items()}
)


class TestEveryWorkload:
    @EXAMPLES
    @given(workloads)
    def test_deterministic_and_json_serialisable(self, workload: dict[str, Any]) -> None:
        first = recommend(workload)
        assert recommend(dict(workload)) == first
        assert json.loads(json.dumps(first, allow_nan=False)) == first

    @EXAMPLES
    @given(workloads)
    def test_each_service_exactly_once(self, workload: dict[str, Any]) -> None:
        result = recommend(workload)
        ids = [r["service"] for r in result["ranking"]] + [
            r["service"] for r in result["ruled_out"]
        ]
        assert sorted(ids) == sorted(SERVICE_IDS)
        assert all(r["reasons"] for r in result["ruled_out"])

    @EXAMPLES
    @given(
        workloads,
        st.lists(st.integers(min_value=0, max_value=100_000_000_000), min_size=2, max_size=4),
    )
    def test_cost_never_falls_as_requests_rise(
        self, workload: dict[str, Any], levels: list[int]
    ) -> None:
        levels = sorted(levels)
        for series in compare_costs(workload, levels)["series"]:
            costs = series["monthly_usd"]
            assert costs == sorted(costs), (series["service"], levels, costs)
