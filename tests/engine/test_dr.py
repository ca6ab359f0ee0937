"""The disaster-recovery tool: each boundary of each strategy, the constraints, the costs,
the corruption warning, the contract, and properties over random objectives."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision_engine import InvalidInput
from decision_engine.dr import dr_schema, recommend_dr
from tests.conftest import REPO

STRATEGIES = ["backup-restore", "pilot-light", "warm-standby", "multi-site"]
# The best RTO and RPO each strategy typically reaches, in minutes (data/dr.json, after
# the whitepaper's bands: hours; tens of minutes; minutes; near zero).
BEST = {"backup-restore": 60, "pilot-light": 10, "warm-standby": 1, "multi-site": 0}
# Everything allowed, so only the objectives decide.
OPEN = {"ops_effort": "full"}
DR_PAGE = "architecture/multi-region-dr.md"


def dr(**inputs: Any) -> dict[str, Any]:
    return recommend_dr({**OPEN, **inputs})


def ranked(result: dict[str, Any]) -> list[str]:
    return [entry["strategy"] for entry in result["ranking"]]


def out(result: dict[str, Any]) -> dict[str, list[str]]:
    return {e["strategy"]: [r["objective"] for r in e["reasons"]] for e in result["ruled_out"]}


class TestObjectiveBoundaries:
    """At its best value a strategy meets an objective; just below it, it is ruled out
    with a reason that names that objective."""

    @pytest.mark.parametrize("strategy", STRATEGIES)
    @pytest.mark.parametrize("objective", ["rto_minutes", "rpo_minutes"])
    def test_meets_the_objective_at_its_best_value(self, strategy: str, objective: str) -> None:
        result = dr(**{"rto_minutes": 10_000, "rpo_minutes": 10_000, objective: BEST[strategy]})
        assert strategy in ranked(result)
        assert strategy not in out(result)

    @pytest.mark.parametrize("strategy", [s for s in STRATEGIES if BEST[s] > 0])
    @pytest.mark.parametrize("objective", ["rto_minutes", "rpo_minutes"])
    def test_ruled_out_just_below_it(self, strategy: str, objective: str) -> None:
        below = BEST[strategy] - 0.5
        result = dr(**{"rto_minutes": 10_000, "rpo_minutes": 10_000, objective: below})
        assert out(result)[strategy] == [objective]
        (reason,) = next(e for e in result["ruled_out"] if e["strategy"] == strategy)["reasons"]
        assert reason["your_minutes"] == below
        assert reason["best_minutes"] == BEST[strategy]
        assert reason["typical"] in reason["text"]
        assert reason["text"].startswith(f"Misses your {objective[:3].upper()} of ")
        assert reason["source"].startswith("https://docs.aws.amazon.com/whitepapers/")
        assert reason["as_of"]

    # (RTO, RPO) -> the strategies that meet both, cheapest first (the default workload:
    # $10,000 a month, 500 GB, 10 GB changed a day).
    @pytest.mark.parametrize(
        ("rto", "rpo", "expected"),
        [
            (1440, 1440, STRATEGIES),
            (60, 60, STRATEGIES),
            (59, 60, STRATEGIES[1:]),
            (60, 59, STRATEGIES[1:]),
            (30, 10, STRATEGIES[1:]),
            (10, 10, STRATEGIES[1:]),
            (9, 10, STRATEGIES[2:]),
            (30, 5, STRATEGIES[2:]),
            (1, 1, STRATEGIES[2:]),
            (0.5, 1, ["multi-site"]),
            (1, 0, ["multi-site"]),
            (0, 0, ["multi-site"]),
        ],
    )
    def test_scenario_table(self, rto: float, rpo: float, expected: list[str]) -> None:
        result = dr(rto_minutes=rto, rpo_minutes=rpo)
        assert ranked(result) == expected
        assert sorted(ranked(result) + list(out(result))) == sorted(STRATEGIES)


class TestConstraints:
    @pytest.mark.parametrize(
        ("effort", "allowed"),
        [
            ("minimal", ["backup-restore"]),
            ("some", ["backup-restore", "pilot-light", "warm-standby"]),
            ("full", STRATEGIES),
        ],
    )
    def test_ops_effort(self, effort: str, allowed: list[str]) -> None:
        result = recommend_dr({"rto_minutes": 1440, "rpo_minutes": 1440, "ops_effort": effort})
        assert ranked(result) == allowed
        for strategy in set(STRATEGIES) - set(allowed):
            assert out(result)[strategy] == ["ops_effort"]

    def test_single_region_keeps_only_backups_and_says_what_that_does_not_cover(self) -> None:
        result = dr(rto_minutes=1440, rpo_minutes=1440, data_residency="single_region")
        assert ranked(result) == ["backup-restore"]
        assert out(result) == {s: ["data_residency"] for s in STRATEGIES[1:]}
        (entry,) = result["ranking"]
        assert any("not from the loss of the Region" in r["text"] for r in entry["reasons"])
        items = [line["item"] for line in entry["monthly_cost"]["lines"]]
        assert items == ["Backup storage: copies in a separate account in the same Region"]

    def test_budget_rules_out_what_costs_more(self) -> None:
        result = dr(rto_minutes=1440, rpo_minutes=1440, monthly_budget_usd=1100)
        assert ranked(result) == ["backup-restore", "pilot-light"]
        assert out(result) == {
            "warm-standby": ["monthly_budget_usd"],
            "multi-site": ["monthly_budget_usd"],
        }
        reason = out_reason(result, "multi-site")
        assert "$10,007.00 a month; the budget is $1,100.00" in reason["text"]

    def test_a_null_budget_is_no_budget(self) -> None:
        assert dr(rto_minutes=60, rpo_minutes=60, monthly_budget_usd=None) == dr(
            rto_minutes=60, rpo_minutes=60
        )

    def test_several_reasons_are_all_given(self) -> None:
        result = recommend_dr(
            {
                "rto_minutes": 5,
                "rpo_minutes": 5,
                "ops_effort": "minimal",
                "data_residency": "single_region",
            }
        )
        assert out(result)["pilot-light"] == [
            "rto_minutes",
            "rpo_minutes",
            "ops_effort",
            "data_residency",
        ]
        assert result["ranking"] == []


def out_reason(result: dict[str, Any], strategy: str) -> dict[str, Any]:
    entry = next(e for e in result["ruled_out"] if e["strategy"] == strategy)
    return entry["reasons"][-1]


class TestCosts:
    def test_default_workload_to_the_cent(self) -> None:
        result = dr(rto_minutes=1440, rpo_minutes=1440)
        totals = {e["strategy"]: e["monthly_cost"]["total_usd"] for e in result["ranking"]}
        # backup: (500 + 30 × 10) GB × $0.05 + 300 GB × $0.02 = 40 + 6
        # pilot light: 500 × $0.10 + 300 × $0.02 + 10% × 10,000 + 2 × $0.50
        assert totals == {
            "backup-restore": 46.0,
            "pilot-light": 1057.0,
            "warm-standby": 2557.0,
            "multi-site": 10007.0,
        }

    def test_lines_add_up_and_carry_sources(self) -> None:
        for entry in dr(rto_minutes=1440, rpo_minutes=1440, corruption_protection=True)["ranking"]:
            cost = entry["monthly_cost"]
            assert round(sum(line["amount_usd"] for line in cost["lines"]), 2) == cost["total_usd"]
            for line in cost["lines"]:
                assert line["source"].startswith("https://")
            assert cost["assumptions"]

    def test_corruption_protection_adds_backups_to_replicating_strategies(self) -> None:
        plain = dr(rto_minutes=1440, rpo_minutes=1440)
        guarded = dr(rto_minutes=1440, rpo_minutes=1440, corruption_protection=True)
        for before, after in zip(plain["ranking"], guarded["ranking"], strict=True):
            extra = round(
                after["monthly_cost"]["total_usd"] - before["monthly_cost"]["total_usd"], 2
            )
            assert extra == (0 if before["strategy"] == "backup-restore" else 46.0)

    def test_zero_sized_workload_costs_only_health_checks(self) -> None:
        result = dr(
            rto_minutes=0, rpo_minutes=0, primary_monthly_cost_usd=0, data_gb=0, daily_change_gb=0
        )
        assert result["ranking"][0]["monthly_cost"]["total_usd"] == 1.0


class TestCorruptionProtection:
    def test_every_answer_warns_and_names_backups_and_locked_vaults(self) -> None:
        for rto, rpo in [(1440, 1440), (30, 5), (0, 0)]:
            result = dr(rto_minutes=rto, rpo_minutes=rpo, corruption_protection=True)
            assert "Replication copies corruption" in result["corruption"]["text"]
            assert result["corruption"]["handbook"] == f"{DR_PAGE}#backup-and-restore"
            for entry in result["ranking"]:
                texts = " ".join(r["text"] for r in entry["reasons"])
                assert "point-in-time backups" in texts
                assert "Vault Lock" in texts
                names = [s["name"] for s in entry["services"]]
                assert "AWS Backup Vault Lock" in names

    def test_no_warning_without_it(self) -> None:
        result = dr(rto_minutes=30, rpo_minutes=5)
        assert result["corruption"] is None
        for entry in result["ranking"]:
            assert "AWS Backup Vault Lock" not in [s["name"] for s in entry["services"]]


class TestContract:
    def test_schema_requires_the_objectives_and_is_closed(self) -> None:
        schema = dr_schema()
        assert schema["required"] == ["rto_minutes", "rpo_minutes"]
        assert schema["additionalProperties"] is False
        for name in ("rto_minutes", "rpo_minutes"):
            assert schema["properties"][name]["minimum"] == 0
            assert "default" not in schema["properties"][name]
        assert set(schema["properties"]) >= {
            "primary_monthly_cost_usd",
            "data_gb",
            "daily_change_gb",
            "corruption_protection",
            "ops_effort",
            "data_residency",
            "monthly_budget_usd",
        }

    def test_every_strategy_once_with_services_and_handbook_links(self) -> None:
        result = dr(rto_minutes=30, rpo_minutes=5)
        entries = result["ranking"] + result["ruled_out"]
        assert sorted(e["strategy"] for e in entries) == sorted(STRATEGIES)
        for entry in entries:
            assert entry["handbook"].startswith(f"{DR_PAGE}#")
            assert entry["services"]
            for reason in entry["reasons"]:
                assert reason["handbook"].startswith(f"{DR_PAGE}#")
        assert json.loads(json.dumps(result)) == result

    def test_names_its_pillars(self) -> None:
        ids = [p["id"] for p in dr(rto_minutes=30, rpo_minutes=5)["pillars"]]
        assert ids[0] == "reliability"
        assert "costOptimization" in ids

    @pytest.mark.parametrize(
        ("payload", "field", "problem"),
        [
            ({"rpo_minutes": 5}, "rto_minutes", "missing (required)"),
            ({"rto_minutes": 5}, "rpo_minutes", "missing (required)"),
            ({"rto_minutes": -1, "rpo_minutes": 5}, "rto_minutes", "out of range"),
            ({"rto_minutes": "30", "rpo_minutes": 5}, "rto_minutes", "not a number"),
            ({"rto_minutes": 30, "rpo_minutes": True}, "rpo_minutes", "not a number"),
            (
                {"rto_minutes": 30, "rpo_minutes": 5, "ops_effort": "lots"},
                "ops_effort",
                "not a known value",
            ),
            ({"rto_minutes": 30, "rpo_minutes": 5, "rto": 3}, "rto", "unknown field"),
            (
                {"rto_minutes": 30, "rpo_minutes": 5, "monthly_budget_usd": -5},
                "monthly_budget_usd",
                "out of range",
            ),
            ([], "$", "not a JSON object"),
        ],
    )
    def test_bad_input_names_the_field(self, payload: Any, field: str, problem: str) -> None:
        with pytest.raises(InvalidInput) as raised:
            recommend_dr(payload)
        assert raised.value.field == field
        assert raised.value.problem.startswith(problem)
        assert "\n" not in str(raised.value)


objectives = st.floats(min_value=0, max_value=2000, allow_nan=False)
workloads = st.fixed_dictionaries(
    {
        "primary_monthly_cost_usd": st.integers(0, 1_000_000),
        "data_gb": st.integers(0, 100_000),
        "daily_change_gb": st.integers(0, 10_000),
        "corruption_protection": st.booleans(),
        "ops_effort": st.sampled_from(["minimal", "some", "full"]),
        "data_residency": st.sampled_from(["any_region", "single_region"]),
    }
)


class TestProperties:
    @settings(max_examples=150, deadline=None)
    @given(workloads, objectives, objectives, objectives, objectives)
    def test_tighter_objectives_never_choose_a_cheaper_strategy(
        self, workload, rto, rpo, tighter_rto, tighter_rpo
    ) -> None:
        loose = recommend_dr({**workload, "rto_minutes": rto, "rpo_minutes": rpo})
        tight = recommend_dr(
            {**workload, "rto_minutes": min(rto, tighter_rto), "rpo_minutes": min(rpo, tighter_rpo)}
        )
        assert set(ranked(tight)) <= set(ranked(loose))
        if tight["ranking"]:
            chosen = tight["ranking"][0]["monthly_cost"]["total_usd"]
            assert loose["ranking"][0]["monthly_cost"]["total_usd"] <= chosen

    @settings(max_examples=150, deadline=None)
    @given(workloads, objectives, objectives)
    def test_ranking_is_cheapest_first_and_every_strategy_appears_once(
        self, workload, rto, rpo
    ) -> None:
        result = recommend_dr({**workload, "rto_minutes": rto, "rpo_minutes": rpo})
        costs = [e["monthly_cost"]["total_usd"] for e in result["ranking"]]
        assert costs == sorted(costs)
        assert sorted(ranked(result) + list(out(result))) == sorted(STRATEGIES)
        for entry in result["ruled_out"]:
            assert entry["reasons"]


def run_cli(stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "decision_engine", "dr"],
        input=stdin,
        capture_output=True,
        check=False,
        cwd=REPO,
    )


class TestCli:
    def test_prints_what_the_function_returns(self) -> None:
        payload = {"rto_minutes": 30, "rpo_minutes": 5, "corruption_protection": True}
        completed = run_cli(json.dumps(payload).encode())
        assert completed.returncode == 0, completed.stderr
        assert json.loads(completed.stdout) == recommend_dr(payload)

    def test_schema_lists_the_dr_input(self) -> None:
        completed = subprocess.run(
            [sys.executable, "-m", "decision_engine", "schema"],
            capture_output=True,
            check=True,
            cwd=REPO,
        )
        assert json.loads(completed.stdout)["dr"] == dr_schema()

    @pytest.mark.parametrize(
        ("stdin", "line"),
        [
            (
                b'{"rpo_minutes": 5}',
                "rto_minutes: missing (required): null; allowed: a number from 0 up to "
                "525,600 (minutes)",
            ),
            (
                b'{"rto_minutes": 1e400, "rpo_minutes": 5}',
                "rto_minutes: out of range: 1e400; allowed: a number from 0 up to 525,600 "
                "(minutes)",
            ),
            (
                b'{"rto_minutes": 30, "rpo_minutes": -1}',
                "rpo_minutes: out of range: -1; allowed: a number from 0 up to 525,600 (minutes)",
            ),
            (
                b'{"rto_minutes": 30, "rpo_minutes": 5, "data_residency": "eu"}',
                'data_residency: not a known value: "eu"; allowed: one of "any_region", '
                '"single_region"',
            ),
            (b"[]", "$: not a JSON object: []; allowed: a JSON object, e.g. {}"),
        ],
    )
    def test_bad_input_exits_2_with_one_line(self, stdin: bytes, line: str) -> None:
        completed = run_cli(stdin)
        assert completed.returncode == 2
        assert completed.stdout == b""
        assert completed.stderr.decode() == line + "\n"
