"""The cost model against AWS's own published pricing examples, to the cent.

Sources (US East, N. Virginia), read on 2026-11-23:
- LAMBDA: https://aws.amazon.com/lambda/pricing/ (examples under "Lambda Ephemeral Storage
  Pricing", the durable-functions example, the HTTP response streaming example).
- FARGATE: https://aws.amazon.com/fargate/pricing/ ("Pricing Examples" 1 to 4).
"""

from __future__ import annotations

from typing import Any

import pytest

from decision_engine import InvalidInput, estimate_cost

LAMBDA = "https://aws.amazon.com/lambda/pricing/"
FARGATE = "https://aws.amazon.com/fargate/pricing/"

# (id, request, {line item: amount}, total, source)
AWS_EXAMPLES: list[tuple[str, dict[str, Any], dict[str, float], float, str]] = [
    (
        "lambda-1-mobile-backend",  # 3M requests, 120 ms, 1536 MB, x86, free tier
        {
            "service": "lambda",
            "requests_per_month": 3_000_000,
            "avg_duration_ms": 120,
            "memory_mb": 1536,
        },
        {"Requests": 0.40, "Duration (x86_64)": 2.33},
        2.73,
        LAMBDA,
    ),
    (
        "lambda-2-streaming-telemetry",  # 7.44M requests, 2 s, 1 GB, no free tier
        {
            "service": "lambda",
            "requests_per_month": 7_440_000,
            "avg_duration_ms": 2000,
            "memory_mb": 1024,
            "free_tier": False,
        },
        {"Requests": 1.49, "Duration (x86_64)": 248.00},
        249.49,
        LAMBDA,
    ),
    (
        "lambda-3-ml-with-ephemeral-storage",  # 6M requests, 280 ms, 4096 MB, 2048 MB /tmp
        {
            "service": "lambda",
            "requests_per_month": 6_000_000,
            "avg_duration_ms": 280,
            "memory_mb": 4096,
            "ephemeral_storage_mb": 2048,
        },
        {"Requests": 1.00, "Duration (x86_64)": 105.33, "Ephemeral storage above 512 MB": 0.08},
        106.41,
        LAMBDA,
    ),
    (
        # Durable functions example, Lambda compute and request lines only: 1M executions of
        # 2 invocations each, 32 s of compute per execution at 1 GB on Arm, free tier.
        "lambda-durable-arm-compute-and-requests",
        {
            "service": "lambda",
            "requests_per_month": 2_000_000,
            "avg_duration_ms": 16_000,
            "memory_mb": 1024,
            "architecture": "arm64",
        },
        {"Requests": 0.20, "Duration (arm64)": 421.34},
        421.54,
        LAMBDA,
    ),
    (
        # Response streaming example, compute and request lines: 3M requests, 500 ms, 1536 MB.
        "lambda-streaming-ssr-compute-and-requests",
        {
            "service": "lambda",
            "requests_per_month": 3_000_000,
            "avg_duration_ms": 500,
            "memory_mb": 1536,
        },
        {"Requests": 0.40, "Duration (x86_64)": 30.83},
        31.23,
        LAMBDA,
    ),
    (
        "fargate-1-linux-x86-ephemeral",  # 5 tasks × 10 min a day × 30 days, 1 vCPU, 2 GB, 30 GB
        {
            "service": "fargate",
            "tasks": 5,
            "vcpu": 1,
            "memory_gb": 2,
            "hours_per_month": 5,
            "ephemeral_storage_gb": 30,
        },
        {"vCPU": 1.01, "Memory": 0.22, "Ephemeral storage above 20 GB": 0.03},
        1.26,
        FARGATE,
    ),
    (
        "fargate-2-linux-arm-ephemeral",
        {
            "service": "fargate",
            "tasks": 5,
            "vcpu": 1,
            "memory_gb": 2,
            "hours_per_month": 5,
            "ephemeral_storage_gb": 30,
            "architecture": "arm64",
        },
        {"vCPU": 0.81, "Memory": 0.18, "Ephemeral storage above 20 GB": 0.03},
        1.02,
        FARGATE,
    ),
    (
        "fargate-3-eks-pods",  # 10 pods × 1 h a day × 30 days, 0.25 vCPU, 1 GB
        {"service": "fargate", "tasks": 10, "vcpu": 0.25, "memory_gb": 1, "hours_per_month": 30},
        {"vCPU": 3.04, "Memory": 1.33},
        4.37,
        FARGATE,
    ),
    (
        "fargate-4-windows-licence",  # 10 Windows tasks × 1 h a day × 30 days, 1 vCPU, 2 GB
        {
            "service": "fargate",
            "tasks": 10,
            "vcpu": 1,
            "memory_gb": 2,
            "hours_per_month": 30,
            "os": "windows",
        },
        {"vCPU": 27.45, "Windows OS licence": 13.80, "Memory": 6.00},
        47.25,
        FARGATE,
    ),
]


class TestAwsPricingExamples:
    @pytest.mark.parametrize(
        ("request_", "lines", "total", "source"),
        [pytest.param(r, lines, t, s, id=i) for i, r, lines, t, s in AWS_EXAMPLES],
    )
    def test_reproduces_example_to_the_cent(
        self, request_: dict[str, Any], lines: dict[str, float], total: float, source: str
    ) -> None:
        result = estimate_cost(request_)
        assert {line["item"]: line["amount_usd"] for line in result["lines"]} == lines
        assert result["total_usd"] == total
        assert result["sources"] == [source]
        assert result["prices_as_of"] == "2026-11-23"


class TestLambdaCost:
    def test_duration_tiers_split_the_gb_seconds(self) -> None:
        # 7 billion GB-s on x86: 6 billion at the first price, 1 billion at the second.
        result = estimate_cost(
            {
                "service": "lambda",
                "requests_per_month": 10_000_000,
                "avg_duration_ms": 700_000,
                "memory_mb": 1024,
                "free_tier": False,
            }
        )
        durations = [line for line in result["lines"] if line["item"].startswith("Duration")]
        assert len(durations) == 2
        assert durations[0]["quantity"] == 6_000_000_000
        assert durations[1]["item"] == "Duration (x86_64, beyond 6,000,000,000 GB-s)"
        assert durations[1]["quantity"] == 1_000_000_000
        assert durations[1]["unit_price_usd"] == 0.000015
        assert result["total_usd"] == 2.00 + 100_000.20 + 15_000.00

    def test_third_tier(self) -> None:
        result = estimate_cost(
            {
                "service": "lambda",
                "requests_per_month": 25_000_000,
                "avg_duration_ms": 900_000,
                "memory_mb": 1024,
                "architecture": "arm64",
                "free_tier": False,
            }
        )
        items = [line["item"] for line in result["lines"] if line["item"].startswith("Duration")]
        assert items == [
            "Duration (arm64)",
            "Duration (arm64, beyond 7,500,000,000 GB-s)",
            "Duration (arm64, beyond 18,750,000,000 GB-s)",
        ]

    def test_inside_free_tier_costs_nothing(self) -> None:
        result = estimate_cost({"service": "lambda", "requests_per_month": 500_000})
        assert result["total_usd"] == 0.0

    def test_defaults_are_echoed(self) -> None:
        assert estimate_cost({"service": "lambda"})["request"] == {
            "service": "lambda",
            "requests_per_month": 1_000_000,
            "avg_duration_ms": 100,
            "memory_mb": 128,
            "architecture": "x86_64",
            "ephemeral_storage_mb": 512,
            "free_tier": True,
            "region": "us-east-1",
        }


class TestOtherServices:
    def test_eks_control_plane(self) -> None:
        result = estimate_cost({"service": "eks", "count": 0})
        assert result["lines"][0]["amount_usd"] == 73.00
        assert result["total_usd"] == 73.00

    def test_eks_extended_support(self) -> None:
        result = estimate_cost({"service": "eks", "count": 0, "support": "extended"})
        assert result["total_usd"] == 438.00

    def test_ec2_windows_includes_licence(self) -> None:
        linux = estimate_cost({"service": "ec2", "instance_type": "m7i.large"})
        windows = estimate_cost({"service": "ec2", "instance_type": "m7i.large", "os": "windows"})
        assert linux["total_usd"] == 73.58  # 730 h × $0.1008
        assert windows["total_usd"] > linux["total_usd"]

    def test_ecs_on_ec2_is_the_instances(self) -> None:
        ecs = estimate_cost({"service": "ecs-ec2", "instance_type": "m7g.xlarge", "count": 2})
        assert ecs["total_usd"] == 238.27  # 2 × 730 h × $0.1632

    def test_beanstalk_with_and_without_load_balancer(self) -> None:
        request = {"service": "elastic-beanstalk", "instance_type": "t3.small"}
        with_lb = estimate_cost(request)
        without = estimate_cost({**request, "load_balancer": False})
        assert without["total_usd"] == 15.18  # 730 h × $0.0208
        assert with_lb["total_usd"] == 15.18 + 16.43 + 5.84  # ALB-hours and one LCU

    def test_amplify(self) -> None:
        result = estimate_cost({"service": "amplify"})
        assert [line["amount_usd"] for line in result["lines"]] == [1.00, 0.02, 1.50]


class TestCostInputErrors:
    @pytest.mark.parametrize(
        ("request_", "field", "fragment"),
        [
            ({"service": "fargate", "vcpu": 1, "memory_gb": 1}, "memory_gb", "for 1 vCPU: 2, 3"),
            (
                {"service": "fargate", "vcpu": 0.5, "memory_gb": 1, "os": "windows"},
                "vcpu",
                "1, 2, 4",
            ),
            (
                {
                    "service": "fargate",
                    "vcpu": 1,
                    "memory_gb": 2,
                    "os": "windows",
                    "architecture": "arm64",
                },
                "architecture",
                "x86_64",
            ),
            (
                {"service": "ec2", "instance_type": "m7g.large", "os": "windows"},
                "os",
                "linux on m7g",
            ),
            ({"service": "ec2", "instance_type": "m9z.huge"}, "instance_type", "m7i.large"),
            ({"service": "lambda", "memory_mb": 10241}, "memory_mb", "up to 10,240 (MB)"),
            ({"service": "lamda"}, "service", "lambda, fargate"),
            ({"requests_per_month": 5}, "service", "one of"),
            ({"service": 7}, "service", "one of"),
            ({"service": "lambda", "tasks": 2}, "tasks", "requests_per_month"),
            (
                {"service": "amplify", "build_minute": 2},
                "build_minute",
                "did you mean 'build_minutes'",
            ),
            ([], "$", "a JSON object"),
        ],
    )
    def test_names_the_field(self, request_: Any, field: str, fragment: str) -> None:
        with pytest.raises(InvalidInput) as caught:
            estimate_cost(request_)
        assert caught.value.field == field
        assert fragment in str(caught.value)


class TestUnconfirmedPrices:
    """A figure we could not re-read from its page says so in the estimate."""

    def test_an_estimate_built_on_unconfirmed_prices_says_so(self) -> None:
        assumptions = estimate_cost({"service": "eks"})["assumptions"]
        assert (
            "Prices from https://aws.amazon.com/eks/pricing/ were recorded on 2026-11-23 "
            "without being re-read from that page; check it before relying on them."
        ) in assumptions

    def test_an_estimate_built_on_confirmed_prices_does_not(self) -> None:
        assumptions = estimate_cost({"service": "lambda"})["assumptions"]
        assert not [a for a in assumptions if "re-read" in a]
