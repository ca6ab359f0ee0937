"""Scenarios from the seeds' exam tips (seed 004), AWS's guidance (seed 003) and AWS's
documented limits: which service ranks first, and which are ruled out and why."""

from __future__ import annotations

from typing import Any

import pytest

from decision_engine import recommend

ALL = {"amplify", "lambda", "fargate", "ecs-ec2", "eks", "elastic-beanstalk", "ec2"}
CONTAINER_PART_TIME = {"packaging": "container", "always_on": False, "load_pattern": "spiky"}
CONTAINER_ALWAYS_ON = {"packaging": "container", "always_on": True, "load_pattern": "steady"}


def _ruled_out(result: dict[str, Any]) -> dict[str, set[str]]:
    return {r["service"]: {reason["rule"] for reason in r["reasons"]} for r in result["ruled_out"]}


def _best(result: dict[str, Any]) -> str | None:
    return result["ranking"][0]["service"] if result["ranking"] else None


# (id, workload, best service, {ruled-out service: rule that must be among its reasons}, why)
SCENARIOS: list[tuple[str, dict[str, Any], str | None, dict[str, str], str]] = [
    (
        "default-short-function",
        {},
        "lambda",
        {"amplify": "amplify-web-only"},
        "seed 004: Lambda is for lightweight functions that run quickly",
    ),
    (
        "occasional-function",
        {"load_pattern": "occasional", "requests_per_month": 10_000},
        "lambda",
        {},
        "seed 004: Lambda for unpredictable or inconsistent workloads",
    ),
    (
        "steady-function-at-volume",
        {"load_pattern": "steady", "requests_per_month": 50_000_000},
        "fargate",
        {},
        "seed 004: Fargate for more consistent workloads, and cheaper at steady volume",
    ),
    (
        "container-part-time",
        CONTAINER_PART_TIME,
        "fargate",
        {},
        "seed 004: Fargate is for containers that don't need to run all the time",
    ),
    (
        "container-batch-hourly",
        {
            **CONTAINER_PART_TIME,
            "max_runtime_minutes": 60,
            "load_pattern": "occasional",
            "requests_per_month": 720,
            "avg_duration_ms": 3_600_000,
        },
        "fargate",
        {"lambda": "lambda-runtime"},
        "seed 004: Lambda's 15-minute limit; Fargate for ephemeral tasks",
    ),
    (
        "container-always-on",
        CONTAINER_ALWAYS_ON | {"ops_effort": "some"},
        "ecs-ec2",
        {},
        "seed 004: EC2 for containers running all the time; ECS by default",
    ),
    (
        "container-always-on-full-ops",
        CONTAINER_ALWAYS_ON | {"ops_effort": "full"},
        "ecs-ec2",
        {},
        "seed 004: in general you'll be looking for ECS",
    ),
    (
        "kubernetes",
        {"packaging": "container", "kubernetes": True},
        "eks",
        {
            "lambda": "kubernetes-only-eks",
            "fargate": "kubernetes-only-eks",
            "ecs-ec2": "kubernetes-only-eks",
            "elastic-beanstalk": "kubernetes-only-eks",
            "ec2": "kubernetes-only-eks",
            "amplify": "kubernetes-only-eks",
        },
        "product brief: Kubernetes only on EKS",
    ),
    (
        "kubernetes-gpu",
        {"packaging": "container", "kubernetes": True, "needs_gpu": True},
        "eks",
        {"fargate": "fargate-gpu", "lambda": "lambda-gpu"},
        "EKS runs GPU nodes on EC2",
    ),
    (
        "on-premises-containers",
        {"packaging": "container", "on_premises": True},
        "eks",
        {
            "lambda": "on-premises",
            "fargate": "on-premises",
            "elastic-beanstalk": "on-premises",
            "ec2": "on-premises",
            "amplify": "on-premises",
        },
        "seed 004: if they ask for on-prem or open-source, think EKS",
    ),
    (
        "on-premises-always-on",
        CONTAINER_ALWAYS_ON | {"on_premises": True, "ops_effort": "some"},
        "eks",
        {"fargate": "on-premises"},
        "seed 003: EKS Anywhere and ECS Anywhere; EKS for portability",
    ),
    (
        "static-site",
        {"packaging": "static_site"},
        "amplify",
        {},
        "seed 003: static web hosting on AWS Amplify",
    ),
    (
        "static-site-always-on",
        {
            "packaging": "static_site",
            "always_on": True,
            "load_pattern": "steady",
            "ops_effort": "some",
        },
        "amplify",
        {},
        "seed 003: SPA and server-side rendering front ends on Amplify",
    ),
    (
        "machine-image-os-access",
        {"packaging": "machine", "needs_os_access": True, "always_on": True, "ops_effort": "full"},
        "ec2",
        {
            "lambda": "lambda-machine",
            "fargate": "containers-machine",
            "eks": "containers-machine",
            "ecs-ec2": "containers-machine",
        },
        "seed 000: EC2 is infrastructure as a service with the most responsibility",
    ),
    (
        "machine-app-managed-platform",
        {"packaging": "machine", "always_on": True, "ops_effort": "some", "load_pattern": "steady"},
        "elastic-beanstalk",
        {"fargate": "containers-machine"},
        "seed 000: Elastic Beanstalk is platform as a service",
    ),
    (
        "function-needs-os",
        {"needs_os_access": True},
        "ec2",
        {
            "lambda": "lambda-os-access",
            "fargate": "fargate-os-access",
            "amplify": "amplify-os-access",
        },
        "seed 004: Fargate and Lambda give no OS access; EC2 does",
    ),
    (
        "gpu-container-always-on",
        CONTAINER_ALWAYS_ON | {"needs_gpu": True, "vcpu": 4, "memory_mb": 16384},
        "ecs-ec2",
        {"lambda": "lambda-gpu", "fargate": "fargate-gpu"},
        "product brief: no GPU on Lambda or Fargate",
    ),
    (
        "gpu-function",
        {"needs_gpu": True},
        "ecs-ec2",
        {"lambda": "lambda-gpu", "fargate": "fargate-gpu"},
        "GPU work needs EC2 capacity; ECS is the default orchestrator",
    ),
    (
        "function-16-minutes",
        {"max_runtime_minutes": 16},
        "fargate",
        {"lambda": "lambda-runtime"},
        "seed 004: 15-minute runtime limit for Lambda",
    ),
    (
        "function-20-minute-requests",
        {"avg_duration_ms": 1_200_000, "requests_per_month": 1000},
        "fargate",
        {"lambda": "lambda-duration"},
        "Lambda stops an invocation at 900 s",
    ),
    (
        "function-big-memory",
        {"memory_mb": 16384},
        "fargate",
        {"lambda": "lambda-memory"},
        "Lambda memory is at most 10,240 MB",
    ),
    (
        "function-many-vcpus",
        {"vcpu": 8, "memory_mb": 10240},
        "fargate",
        {"lambda": "lambda-vcpu"},
        "Lambda gets at most 6 vCPUs",
    ),
    (
        "container-image-11gb",
        CONTAINER_PART_TIME | {"image_size_gb": 11},
        "fargate",
        {"lambda": "lambda-image"},
        "seed 003: Lambda container images up to 10 GB",
    ),
    (
        "function-20gb-scratch",
        {"ephemeral_storage_gb": 20},
        "fargate",
        {"lambda": "lambda-storage"},
        "Lambda /tmp holds at most 10,240 MB",
    ),
    (
        "container-300gb-scratch",
        CONTAINER_ALWAYS_ON | {"ephemeral_storage_gb": 300},
        "ecs-ec2",
        {"lambda": "lambda-storage", "fargate": "fargate-storage"},
        "Fargate tasks get at most 200 GB",
    ),
    (
        "windows-container-part-time",
        CONTAINER_PART_TIME | {"os": "windows", "vcpu": 1, "memory_mb": 2048},
        "fargate",
        {"lambda": "lambda-windows", "amplify": "amplify-windows"},
        "current fact: Fargate runs Windows containers today (seed 004 says Linux only)",
    ),
    (
        "windows-container-8-vcpu",
        CONTAINER_ALWAYS_ON | {"os": "windows", "vcpu": 8, "memory_mb": 16384},
        "ecs-ec2",
        {"fargate": "fargate-windows-vcpu"},
        "Windows tasks on Fargate have at most 4 vCPUs",
    ),
    (
        "windows-on-arm",
        {"os": "windows", "architecture": "arm64", "packaging": "container"},
        None,
        {
            "lambda": "lambda-windows",
            "fargate": "fargate-windows-arm",
            "ecs-ec2": "ec2-windows-arm",
            "eks": "ec2-windows-arm",
            "ec2": "ec2-windows-arm",
            "elastic-beanstalk": "ec2-windows-arm",
            "amplify": "amplify-windows",
        },
        "AWS offers no Windows on Graviton",
    ),
    (
        "largest-fargate-task",
        CONTAINER_PART_TIME | {"vcpu": 16, "memory_mb": 122880},
        "fargate",
        {"lambda": "lambda-vcpu"},
        "Fargate's largest task: 16 vCPU, 120 GB",
    ),
    (
        "beyond-fargate-memory",
        CONTAINER_ALWAYS_ON | {"vcpu": 16, "memory_mb": 204800},
        "ecs-ec2",
        {"fargate": "fargate-memory"},
        "Fargate's largest task: 120 GB",
    ),
    ("arm-function", {"architecture": "arm64"}, "lambda", {}, "Graviton prices on Lambda"),
    (
        "arm-gpu-beyond-price-list",
        CONTAINER_ALWAYS_ON
        | {"architecture": "arm64", "needs_gpu": True, "vcpu": 96, "memory_mb": 262144},
        None,
        {
            "ecs-ec2": "instance-fits",
            "ec2": "instance-fits",
            "eks": "instance-fits",
            "elastic-beanstalk": "instance-fits",
            "fargate": "fargate-gpu",
        },
        "sizing: no Arm GPU instance that large in the price list",
    ),
]


class TestScenarios:
    @pytest.mark.parametrize(
        ("workload", "best", "ruled_out"),
        [pytest.param(w, b, r, id=i) for i, w, b, r, _ in SCENARIOS],
    )
    def test_best_and_ruled_out(
        self, workload: dict[str, Any], best: str | None, ruled_out: dict[str, str]
    ) -> None:
        result = recommend(workload)
        assert _best(result) == best, [(r["service"], r["score"]) for r in result["ranking"]]
        found = _ruled_out(result)
        for service, rule in ruled_out.items():
            assert rule in found.get(service, set()), (service, found.get(service))

    def test_there_are_enough_scenarios(self) -> None:
        assert len(SCENARIOS) >= 25

    def test_every_service_wins_some_scenario(self) -> None:
        winners = {best for _, _, best, _, _ in SCENARIOS}
        assert winners - {None} == ALL


class TestBoundaries:
    """A limit is the last allowed value: exactly at it is eligible, one step beyond is not."""

    @pytest.mark.parametrize(
        ("field", "at_limit", "beyond", "service", "rule", "base"),
        [
            ("max_runtime_minutes", 15, 16, "lambda", "lambda-runtime", {}),
            ("max_runtime_minutes", 15, 15.01, "lambda", "lambda-runtime", {}),
            ("memory_mb", 10240, 10241, "lambda", "lambda-memory", {}),
            ("avg_duration_ms", 900_000, 900_001, "lambda", "lambda-duration", {}),
            ("vcpu", 6, 6.25, "lambda", "lambda-vcpu", {"memory_mb": 10240}),
            ("image_size_gb", 10, 10.5, "lambda", "lambda-image", {}),
            ("ephemeral_storage_gb", 10, 10.01, "lambda", "lambda-storage", {}),
            ("vcpu", 16, 16.5, "fargate", "fargate-vcpu", {"memory_mb": 32768}),
            ("memory_mb", 122_880, 122_881, "fargate", "fargate-memory", {"vcpu": 16}),
            (
                "vcpu",
                4,
                4.5,
                "fargate",
                "fargate-windows-vcpu",
                {"os": "windows", "memory_mb": 8192},
            ),
            (
                "memory_mb",
                30_720,
                30_721,
                "fargate",
                "fargate-windows-memory",
                {"os": "windows", "vcpu": 4},
            ),
            ("ephemeral_storage_gb", 200, 201, "fargate", "fargate-storage", {}),
        ],
    )
    def test_limit_is_inclusive(
        self,
        field: str,
        at_limit: float,
        beyond: float,
        service: str,
        rule: str,
        base: dict[str, Any],
    ) -> None:
        workload = {"packaging": "container", **base}
        eligible = recommend({**workload, field: at_limit})
        assert service in {r["service"] for r in eligible["ranking"]}
        out = recommend({**workload, field: beyond})
        assert rule in _ruled_out(out)[service]

    def test_sixteen_minutes_cites_the_limit_and_its_source(self) -> None:
        reason = next(
            r
            for r in _reasons_of(recommend({"max_runtime_minutes": 16}), "lambda")
            if r["rule"] == "lambda-runtime"
        )
        assert reason["value"] == 15
        assert reason["unit"] == "minutes"
        assert reason["limit"] == "Lambda maximum function timeout"
        assert reason["source"].startswith("https://docs.aws.amazon.com/lambda/")
        assert reason["as_of"] == "2026-11-23"
        assert "16 minutes" in reason["text"] and "15 minutes" in reason["text"]

    def test_10241_mb_reason_reads_naturally(self) -> None:
        reason = _reasons_of(recommend({"memory_mb": 10241}), "lambda")[0]
        assert (
            reason["text"] == "Needs 10,241 MB of memory; a Lambda function gets at most 10,240 MB."
        )


def _reasons_of(result: dict[str, Any], service: str) -> list[dict[str, Any]]:
    return next(r["reasons"] for r in result["ruled_out"] if r["service"] == service)


class TestRanking:
    def test_scores_descend(self) -> None:
        scores = [r["score"] for r in recommend(CONTAINER_ALWAYS_ON)["ranking"]]
        assert scores == sorted(scores, reverse=True)

    def test_every_reason_has_text_and_handbook(self) -> None:
        for entry in recommend({"packaging": "container"})["ranking"]:
            assert entry["reasons"], entry["service"]
            for reason in entry["reasons"]:
                assert reason["text"] and reason["handbook"]

    def test_cost_can_change_the_order(self) -> None:
        # Same fit, different traffic: at high always-on volume the cheaper EC2-backed
        # option gains cost points relative to Fargate.
        low = recommend(CONTAINER_ALWAYS_ON | {"requests_per_month": 1000})
        high = recommend(
            CONTAINER_ALWAYS_ON | {"requests_per_month": 5_000_000_000, "avg_duration_ms": 200}
        )
        points = {r["service"]: r["cost_points"] for r in high["ranking"]}
        assert points["ecs-ec2"] > points["fargate"]
        assert {r["service"] for r in low["ranking"]} == {r["service"] for r in high["ranking"]}

    def test_ruled_out_services_have_no_cost(self) -> None:
        result = recommend({"kubernetes": True})
        assert all("monthly_cost" not in r for r in result["ruled_out"])
