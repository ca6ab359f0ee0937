"""The Well-Architected review: the custom lens format, risk rules, answers and the CLI.

Lens checks run as tables of one-field mutations of a small valid lens, each naming the
JSON path the error must name. A real public lens (aws-samples/custom-lens-wa-hub) is
read from the local snapshot when this machine has one (see ``TestRealPublicLenses``);
``lenses/published-shape.json`` is test data written here in the shape of those lenses.
"""

from __future__ import annotations

import copy
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest

from decision_engine import cli
from decision_engine.errors import InvalidInput
from decision_engine.lens import (
    AllOf,
    AnyOf,
    ChoiceIs,
    InvalidLens,
    Not,
    handbook_lens,
    holds,
    lens_format,
    parse_condition,
    read_lens,
    read_lens_text,
)
from decision_engine.review import review, review_schema
from decision_engine.tools import pillars, pillars_for

LENSES = Path(__file__).parent / "lenses"
PUBLISHED_SHAPE = LENSES / "published-shape.json"
ROOT = Path(__file__).parents[2]


def small_lens() -> dict[str, Any]:
    """One pillar, one question with choices a, b, c and a None of these."""
    return {
        "schemaVersion": "2021-11-01",
        "name": "Small",
        "description": "A lens for tests.",
        "pillars": [
            {
                "id": "security",
                "name": "Security",
                "questions": [
                    {
                        "id": "q_one",
                        "title": "Question one?",
                        "description": "About one.",
                        "choices": [
                            {
                                "id": f"c_{x}",
                                "title": f"Practice {x}",
                                "helpfulResource": {
                                    "displayText": f"Help {x}",
                                    "url": f"https://example.com/{x}",
                                },
                                "improvementPlan": {"displayText": f"Do {x}"},
                            }
                            for x in "abc"
                        ]
                        + [{"id": "c_no", "title": "None of these"}],
                        "riskRules": [
                            {"condition": "c_a && c_b && c_c", "risk": "NO_RISK"},
                            {"condition": "c_a || c_b", "risk": "MEDIUM_RISK"},
                            {"condition": "default", "risk": "HIGH_RISK"},
                        ],
                    }
                ],
            }
        ],
    }


CHOICES = ["a", "b", "c", "d"]


class TestConditions:
    @pytest.mark.parametrize(
        ("text", "selected", "expected"),
        [
            ("a", "a", True),
            ("a", "", False),
            ("!a", "", True),
            ("!!a", "a", True),
            ("a && b", "a", False),
            ("a && b", "ab", True),
            ("a || b", "b", True),
            ("a || b", "", False),
            # && binds tighter than ||: a || (b && c)
            ("a || b && c", "a", True),
            ("a || b && c", "b", False),
            ("b && c || a", "a", True),
            # ! binds tighter than &&: (!a) && b
            ("!a && b", "b", True),
            ("!a && b", "ab", False),
            ("!(a && b)", "a", True),
            ("!(a && b)", "ab", False),
            ("(a || b) && c", "a", False),
            ("(a || b) && c", "bc", True),
            ("((a))", "a", True),
            ("(a && !b) || (!a && b)", "ab", False),
            ("(a && !b) || (!a && b)", "b", True),
            ("  a&&b  ", "ab", True),
            ("default", "", True),
            (" default ", "abcd", True),
        ],
    )
    def test_evaluates(self, text: str, selected: str, expected: bool) -> None:
        assert holds(parse_condition(text, CHOICES), frozenset(selected)) is expected

    def test_tree_shape(self) -> None:
        assert parse_condition("a || b && !c", CHOICES) == AnyOf(
            (ChoiceIs("a"), AllOf((ChoiceIs("b"), Not(ChoiceIs("c")))))
        )

    @pytest.mark.parametrize(
        ("text", "problem"),
        [
            ("e", "unknown choice id 'e' at column 1"),
            ("a && zz", "unknown choice id 'zz' at column 6"),
            ("a &&", "expression ends early at column 5"),
            ("", "expression ends early at column 1"),
            ("(a || b", "expected ')' at column 8"),
            ("a b", "unexpected 'b' at column 3"),
            ("a)", "unexpected ')' at column 2"),
            ("&& a", "unexpected '&&' at column 1"),
            ("a & b", "unexpected character '&' at column 3"),
            ("a and b", "unexpected 'and' at column 3"),
            ("a || default", "default must be the whole condition"),
        ],
    )
    def test_rejects(self, text: str, problem: str) -> None:
        with pytest.raises(InvalidLens) as caught:
            parse_condition(text, CHOICES, "$.x.condition")
        assert caught.value.field == "$.x.condition"
        assert problem in str(caught.value)
        assert "a, b, c, d" in caught.value.allowed


Q = "$.pillars[0].questions[0]"


def _set(path: list[Any], value: Any) -> Any:
    def change(lens: dict[str, Any]) -> None:
        target: Any = lens
        for key in path[:-1]:
            target = target[key]
        if value is _DELETE:
            del target[path[-1]]
        else:
            target[path[-1]] = value

    return change


_DELETE = object()
PQ = ["pillars", 0, "questions", 0]
PC = [*PQ, "choices", 0]


class TestLensFormat:
    def test_small_lens_is_valid(self) -> None:
        lens = read_lens(small_lens())
        assert [c.id for _, q in lens.questions() for c in q.choices] == [
            "c_a",
            "c_b",
            "c_c",
            "c_no",
        ]
        assert lens.warnings == ()

    # (id, change, path named, problem fragment)
    BAD: ClassVar[list[tuple[str, Any, str, str]]] = [
        (
            "not-object",
            lambda lens: lens.clear() or lens.update({"x": 1}),
            "$.schemaVersion",
            "unsupported",
        ),
        (
            "schema-version",
            _set(["schemaVersion"], "2020-01-01"),
            "$.schemaVersion",
            "unsupported schema version",
        ),
        ("name-missing", _set(["name"], _DELETE), "$.name", "missing"),
        ("name-long", _set(["name"], "n" * 129), "$.name", "129 characters is too long"),
        ("name-empty", _set(["name"], " "), "$.name", "empty"),
        ("name-number", _set(["name"], 3), "$.name", "not a string"),
        ("description-long", _set(["description"], "d" * 2049), "$.description", "too long"),
        ("pillars-missing", _set(["pillars"], _DELETE), "$.pillars", "missing"),
        ("pillars-object", _set(["pillars"], {}), "$.pillars", "not an array (object)"),
        ("pillars-empty", _set(["pillars"], []), "$.pillars", "0 items"),
        (
            "pillar-not-object",
            _set(["pillars", 0], "security"),
            "$.pillars[0]",
            "not an object (string)",
        ),
        ("pillar-id-short", _set(["pillars", 0, "id"], "ab"), "$.pillars[0].id", "not a valid id"),
        (
            "pillar-id-chars",
            _set(["pillars", 0, "id"], "sec-urity"),
            "$.pillars[0].id",
            "not a valid id",
        ),
        ("pillar-id-missing", _set(["pillars", 0, "id"], _DELETE), "$.pillars[0].id", "missing"),
        (
            "pillar-name-long",
            _set(["pillars", 0, "name"], "p" * 129),
            "$.pillars[0].name",
            "too long",
        ),
        ("questions-null", _set([*PQ[:-1]], None), "$.pillars[0].questions", "not an array (null)"),
        ("question-id-long", _set([*PQ, "id"], "q" * 129), f"{Q}.id", "not a valid id"),
        ("question-title-long", _set([*PQ, "title"], "t" * 129), f"{Q}.title", "too long"),
        (
            "question-description-long",
            _set([*PQ, "description"], "d" * 2049),
            f"{Q}.description",
            "too long",
        ),
        (
            "question-help-text-missing",
            _set([*PQ, "helpfulResource"], {"url": "https://x.org"}),
            f"{Q}.helpfulResource.displayText",
            "missing",
        ),
        (
            "question-help-bad-url",
            _set([*PQ, "helpfulResource"], {"displayText": "x", "url": "ftp://x"}),
            f"{Q}.helpfulResource.url",
            "bad URL",
        ),
        (
            "question-help-not-object",
            _set([*PQ, "helpfulResource"], ["x"]),
            f"{Q}.helpfulResource",
            "not an object (array)",
        ),
        ("choices-bool", _set([*PQ, "choices"], True), f"{Q}.choices", "not an array (boolean)"),
        ("choice-not-object", _set(PC, 7), f"{Q}.choices[0]", "not an object (number)"),
        ("choice-title-long", _set([*PC, "title"], "t" * 129), f"{Q}.choices[0].title", "too long"),
        (
            "improvement-missing",
            _set([*PC, "improvementPlan"], _DELETE),
            f"{Q}.choices[0].improvementPlan",
            "missing",
        ),
        (
            "improvement-long",
            _set([*PC, "improvementPlan"], {"displayText": "i" * 2049}),
            f"{Q}.choices[0].improvementPlan.displayText",
            "too long",
        ),
        (
            "improvement-url-number",
            _set([*PC, "improvementPlan"], {"displayText": "i", "url": 4}),
            f"{Q}.choices[0].improvementPlan.url",
            "bad URL",
        ),
        (
            "more-not-array",
            _set([*PC, "additionalResources"], {}),
            f"{Q}.choices[0].additionalResources",
            "not an array",
        ),
        (
            "more-bad-type",
            _set([*PC, "additionalResources"], [{"type": "LINK", "content": []}]),
            f"{Q}.choices[0].additionalResources[0].type",
            "bad type",
        ),
        (
            "more-type-list",
            _set([*PC, "additionalResources"], [{"type": [], "content": []}]),
            f"{Q}.choices[0].additionalResources[0].type",
            "bad type",
        ),
        (
            "more-too-many",
            _set(
                [*PC, "additionalResources"],
                [
                    {"type": "IMPROVEMENT_PLAN", "content": [{"displayText": "x"}] * 3},
                    {"type": "IMPROVEMENT_PLAN", "content": [{"displayText": "y"}] * 3},
                ],
            ),
            f"{Q}.choices[0].additionalResources[1].content",
            "too many",
        ),
        (
            "more-content-text",
            _set(
                [*PC, "additionalResources"],
                [{"type": "HELPFUL_RESOURCE", "content": [{"url": "https://x.org"}]}],
            ),
            f"{Q}.choices[0].additionalResources[0].content[0].displayText",
            "missing",
        ),
        (
            "choice-duplicate",
            _set([*PQ, "choices", 1, "id"], "c_a"),
            f"{Q}.choices[1].id",
            "duplicate id",
        ),
        ("rules-missing", _set([*PQ, "riskRules"], _DELETE), f"{Q}.riskRules", "missing"),
        (
            "rules-four",
            _set([*PQ, "riskRules"], [{"condition": "c_a", "risk": "NO_RISK"}] * 4),
            f"{Q}.riskRules",
            "4 items",
        ),
        (
            "rule-not-object",
            _set([*PQ, "riskRules", 0], "default"),
            f"{Q}.riskRules[0]",
            "not an object",
        ),
        (
            "rule-bad-risk",
            _set([*PQ, "riskRules", 0, "risk"], "LOW_RISK"),
            f"{Q}.riskRules[0].risk",
            "not a risk level",
        ),
        (
            "rule-risk-list",
            _set([*PQ, "riskRules", 0, "risk"], ["NO_RISK"]),
            f"{Q}.riskRules[0].risk",
            "not a risk level",
        ),
        (
            "rule-same-risk",
            _set([*PQ, "riskRules", 1, "risk"], "NO_RISK"),
            f"{Q}.riskRules[1].risk",
            "second rule for this level",
        ),
        (
            "rule-no-condition",
            _set([*PQ, "riskRules", 1, "condition"], _DELETE),
            f"{Q}.riskRules[1].condition",
            "missing or not a string",
        ),
        (
            "rule-unknown-choice",
            _set([*PQ, "riskRules", 1, "condition"], "c_a || c_z"),
            f"{Q}.riskRules[1].condition",
            "unknown choice id 'c_z'",
        ),
        (
            "rule-no-default",
            _set([*PQ, "riskRules", 2, "condition"], "!c_a"),
            f"{Q}.riskRules",
            "no default rule",
        ),
    ]

    @pytest.mark.parametrize(
        ("change", "path", "problem"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
    )
    def test_rejects_with_the_json_path(self, change: Any, path: str, problem: str) -> None:
        lens = small_lens()
        change(lens)
        with pytest.raises(InvalidLens) as caught:
            read_lens(lens)
        assert caught.value.field == path
        assert problem in str(caught.value)
        assert "\n" not in str(caught.value)

    def test_document_not_an_object(self) -> None:
        with pytest.raises(InvalidLens, match=r"^\$: not an object \(array\)"):
            read_lens([])

    def test_duplicate_pillar_and_question_ids(self) -> None:
        lens = small_lens()
        lens["pillars"].append(copy.deepcopy(lens["pillars"][0]))
        with pytest.raises(InvalidLens) as caught:
            read_lens(lens)
        assert caught.value.field == "$.pillars[1].id"
        assert "also at $.pillars[0].id" in caught.value.allowed
        lens["pillars"][1]["id"] = "reliability"
        with pytest.raises(InvalidLens) as caught:
            read_lens(lens)
        assert caught.value.field == "$.pillars[1].questions[0].id"

    @pytest.mark.parametrize(
        ("key", "most"),
        [
            ("pillars", "max_pillars"),
            ("questions", "max_questions_per_pillar"),
            ("choices", "max_choices_per_question"),
        ],
    )
    def test_counts_at_and_over_the_limit(self, key: str, most: str) -> None:
        limit = lens_format()[most]
        lens = small_lens()
        pillar = lens["pillars"][0]
        question = pillar["questions"][0]

        def grow(count: int) -> None:
            if key == "pillars":
                lens["pillars"] = [
                    {
                        **copy.deepcopy(pillar),
                        "id": f"p{i:03d}",
                        "questions": [{**copy.deepcopy(question), "id": f"q{i:03d}"}],
                    }
                    for i in range(count)
                ]
            elif key == "questions":
                pillar["questions"] = [
                    {**copy.deepcopy(question), "id": f"q{i:03d}"} for i in range(count)
                ]
            else:
                question["choices"] = question["choices"][:3] + [
                    {"id": f"x{i:03d}", "title": "x", "improvementPlan": {"displayText": "x"}}
                    for i in range(count - 3)
                ]

        grow(limit)
        read_lens(lens)
        grow(limit + 1)
        with pytest.raises(InvalidLens, match=f"{limit + 1} items"):
            read_lens(lens)

    def test_unknown_fields_are_named_in_warnings(self) -> None:
        lens = small_lens()
        lens["_version"] = "1"
        lens["pillars"][0]["questions"][0]["choices"][0]["helpfulResource"]["Url"] = "x"
        assert read_lens(lens).warnings == (
            "$._version: not part of the lens format; ignored",
            f"{Q}.choices[0].helpfulResource.Url: not part of the lens format; ignored",
        )

    def test_empty_url_means_no_link(self) -> None:
        lens = small_lens()
        lens["pillars"][0]["questions"][0]["choices"][0]["helpfulResource"]["url"] = ""
        choice = read_lens(lens).pillars[0].questions[0].choices[0]
        assert choice.helpful is not None
        assert choice.helpful.url is None

    def test_limits_come_from_the_spec_with_a_date(self) -> None:
        rules = lens_format()
        assert rules["source"].startswith("https://docs.aws.amazon.com/wellarchitected/")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", rules["as_of"])
        assert rules["max_chars"] == {
            "name": 128,
            "description": 2048,
            "title": 128,
            "displayText": 2048,
        }


class TestLensText:
    @pytest.mark.parametrize(
        ("text", "problem"),
        [
            ("{", "not JSON (Expecting property name enclosed in double quotes at line 1"),
            ('{"name": NaN}', "NaN is not JSON"),
            ("[" * 100_000, "nested too deeply"),
        ],
    )
    def test_not_json(self, text: str, problem: str) -> None:
        with pytest.raises(InvalidLens) as caught:
            read_lens_text(text)
        assert caught.value.field == "$"
        assert problem in str(caught.value)

    def test_too_large(self) -> None:
        text = json.dumps({**small_lens(), "_padding": "x" * 500_000})
        with pytest.raises(InvalidLens, match="too large"):
            read_lens_text(text)


class TestReview:
    def test_risks_counts_and_plan(self) -> None:
        lens = read_lens_text(PUBLISHED_SHAPE.read_text(encoding="utf-8"))
        result = review(
            {"answers": {"QREL1": ["QREL1_1"], "QREL2": ["QREL2_no"], "QOPS1": ["QOPS1_1"]}},
            lens,
        )
        assert {q["id"]: q["risk"] for q in result["questions"]} == {
            "QREL1": "MEDIUM",
            "QREL2": "HIGH",
            "QOPS1": "NONE",
        }
        assert result["pillar_risks"][0]["risk_counts"] == {
            "HIGH": 1,
            "MEDIUM": 1,
            "NONE": 0,
            "UNANSWERED": 0,
            "NOT_APPLICABLE": 0,
        }
        assert result["risk_counts"]["NONE"] == 1
        assert (result["answered"], result["total"]) == (3, 3)
        plan = result["improvement_plan"]
        # Highest risk first, whatever the lens's order.
        assert [(p["question"], p["risk"]) for p in plan] == [
            ("QREL2", "HIGH"),
            ("QREL1", "MEDIUM"),
        ]
        assert [p["choice"] for p in plan[1]["practices"]] == ["QREL1_2", "QREL1_3"]
        assert plan[1]["practices"][0]["more"] == [
            {
                "text": "Redrive messages back to the source queue once the cause is fixed.",
                "url": None,
            }
        ]
        # Only the framework's pillars among the lens's own ("queue_ops" is not one).
        assert result["pillars"] == [p for p in pillars_for("review") if p["id"] == "reliability"]
        assert result["lens"]["warnings"] == [
            "$._version: not part of the lens format; ignored",
            "$._release_note: not part of the lens format; ignored",
        ]

    @pytest.mark.parametrize(
        ("selected", "risk"),
        [
            ([], "UNANSWERED"),
            (["c_no"], "HIGH"),
            (["c_c"], "HIGH"),
            (["c_b"], "MEDIUM"),
            (["c_a", "c_c"], "MEDIUM"),
            (["c_a", "c_b", "c_c"], "NONE"),
        ],
    )
    def test_first_matching_rule_wins(self, selected: list[str], risk: str) -> None:
        result = review({"answers": {"q_one": selected}}, read_lens(small_lens()))
        assert result["questions"][0]["risk"] == risk

    def test_not_applicable_wins_over_answers(self) -> None:
        result = review(
            {"answers": {"q_one": ["c_no"]}, "not_applicable": ["q_one"]}, read_lens(small_lens())
        )
        assert result["questions"][0]["risk"] == "NOT_APPLICABLE"
        assert result["improvement_plan"] == []

    # (id, answers, field, problem)
    BAD: ClassVar[list[tuple[str, Any, str, str]]] = [
        ("not-object", [], "$", "not an object"),
        ("unknown-key", {"answer": {}}, "answer", "unknown field"),
        ("answers-list", {"answers": []}, "answers", "not an object"),
        ("unknown-question", {"answers": {"q_two": []}}, "answers.q_two", "unknown question"),
        ("choices-string", {"answers": {"q_one": "c_a"}}, "answers.q_one", "not an array"),
        ("choice-number", {"answers": {"q_one": [1]}}, "answers.q_one", "not an array of ids"),
        (
            "unknown-choice",
            {"answers": {"q_one": ["c_a", "c_z"]}},
            "answers.q_one[1]",
            "unknown choice",
        ),
        ("twice", {"answers": {"q_one": ["c_a", "c_a"]}}, "answers.q_one[1]", "listed twice"),
        (
            "none-and-others",
            {"answers": {"q_one": ["c_a", "c_no"]}},
            "answers.q_one",
            "None of these chosen with other choices",
        ),
        ("na-object", {"not_applicable": {}}, "not_applicable", "not an array"),
        (
            "na-unknown",
            {"not_applicable": ["q_one", "q_x"]},
            "not_applicable[1]",
            "unknown question",
        ),
    ]

    @pytest.mark.parametrize(
        ("answers", "field", "problem"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
    )
    def test_bad_answers(self, answers: Any, field: str, problem: str) -> None:
        with pytest.raises(InvalidInput) as caught:
            review(answers, read_lens(small_lens()))
        assert caught.value.field == field
        assert problem in str(caught.value)

    def test_schema_describes_the_input(self) -> None:
        schema = review_schema()
        assert set(schema["properties"]) == {"answers", "not_applicable"}
        assert schema["additionalProperties"] is False


class TestHandbookLens:
    def test_six_framework_pillars_in_order(self) -> None:
        lens = handbook_lens()
        assert [p.id for p in lens.pillars] == list(pillars())
        assert lens.warnings == ()
        assert all(len(p.questions) >= 3 for p in lens.pillars)

    def test_every_choice_links_a_handbook_section(self) -> None:
        site_url = re.search(r"^site_url: (\S+)$", (ROOT / "mkdocs.yml").read_text(), re.MULTILINE)
        assert site_url
        for _, question in handbook_lens().questions():
            for choice in question.choices:
                assert choice.helpful is not None, choice.id
                assert choice.helpful.url is not None
                assert choice.helpful.url.startswith(site_url.group(1)), choice.helpful.url

    def test_nothing_answered(self) -> None:
        result = review({})
        assert result["answered"] == 0
        assert result["risk_counts"]["UNANSWERED"] == result["total"] == 18
        assert len(result["pillars"]) == 6


def _main(
    args: list[str], stdin: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    status = cli.main(args)
    out, err = capsys.readouterr()
    return status, out, err


class TestCommand:
    def test_review_in_a_subprocess(self) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "decision_engine", "review", "--lens", str(PUBLISHED_SHAPE)],
            input=b'{"answers": {"QOPS1": ["QOPS1_no"]}}',
            capture_output=True,
            check=False,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        assert result["questions"][2]["risk"] == "MEDIUM"

    def test_default_lens(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        status, out, _ = _main(["review"], "{}", capsys, monkeypatch)
        assert status == 0
        assert json.loads(out)["lens"]["name"] == handbook_lens().name

    def test_lens_with_byte_order_mark(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        lens = tmp_path / "bom.json"
        lens.write_bytes(b"\xef\xbb\xbf" + json.dumps(small_lens()).encode())
        status, out, _ = _main(["review", "--lens", str(lens)], "{}", capsys, monkeypatch)
        assert status == 0
        assert json.loads(out)["lens"]["name"] == "Small"

    @pytest.mark.parametrize(
        ("args", "content", "expected"),
        [
            (["--lens"], None, "--lens: wrong count: []; allowed: one lens file after --lens"),
            (["--lenz", "x"], None, "--lenz: unknown option"),
            (["--lens", "MISSING"], None, "--lens: No such file or directory"),
            (["--lens", "LENS"], b"\xff{}", "LENS: not UTF-8"),
            (
                ["--lens", "LENS"],
                b'{"schemaVersion": "2021-11-01", "name": "x", "pillars": 3}',
                "LENS $.pillars: not an array (number): 3; allowed: an array of 1 to 10 items",
            ),
        ],
    )
    def test_bad_lens_option(
        self,
        tmp_path: Path,
        args: list[str],
        content: bytes | None,
        expected: str,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        lens = tmp_path / "lens.json"
        if content is not None:
            lens.write_bytes(content)
        args = [
            str(tmp_path / "missing.json") if a == "MISSING" else str(lens) if a == "LENS" else a
            for a in args
        ]
        status, out, err = _main(["review", *args], "{}", capsys, monkeypatch)
        assert (status, out) == (2, "")
        assert err.count("\n") == 1
        assert err.startswith(expected.replace("LENS", str(lens)))


# aws-samples/custom-lens-wa-hub (MIT-0), as this machine's snapshot holds it. The files
# are not copied into the repository: the search tool's terms keep fetched files out of
# commits. Elsewhere these tests skip and say why.
WA_HUB = Path("/work/.mirror/aws-samples+custom-lens-wa-hub/repo")
WA_HUB_COMMIT = "780ae3df3a0678b7936eb72a537311f7db24671d"


def _published(path: str) -> str:
    if not (WA_HUB.is_dir() and shutil.which("git")):
        pytest.skip(f"no snapshot of aws-samples/custom-lens-wa-hub at {WA_HUB}")
    shown = subprocess.run(
        ["git", "--git-dir", str(WA_HUB), "show", f"{WA_HUB_COMMIT}:{path}"],
        capture_output=True,
        check=True,
    )
    return shown.stdout.decode("utf-8-sig")


class TestRealPublicLenses:
    @pytest.mark.parametrize(
        ("path", "questions"),
        [
            ("Amazon-MSK-Lens/custom-lens-msk-v1.0.json", 33),
            ("Amazon-Cognito-Lens/custom-lens-cognito-v1.0.json", 42),
            ("DynamoDB/custom-lensddb-v1.0.json", 48),
        ],
    )
    def test_published_lens_reads_and_reviews(self, path: str, questions: int) -> None:
        lens = read_lens_text(_published(path))
        result = review({}, lens)
        assert result["total"] == questions
        assert result["risk_counts"]["UNANSWERED"] == questions

    def test_cognito_rules_as_published(self) -> None:
        lens = read_lens_text(_published("Amazon-Cognito-Lens/custom-lens-cognito-v1.0.json"))
        question = next(q for _, q in lens.questions() if q.id == "CGNSEC1")
        rules = [(r.text, r.risk) for r in question.risk_rules]
        assert rules[-1] == ("default", "HIGH")
        chosen = {c.id for c in question.choices if not c.is_none_of_these}
        all_chosen = review({"answers": {"CGNSEC1": sorted(chosen)}}, lens)
        none_chosen = review({"answers": {"CGNSEC1": ["CGNSEC1_no"]}}, lens)
        risk = {q["id"]: q["risk"] for q in all_chosen["questions"]}["CGNSEC1"]
        assert risk == "NONE"
        assert {q["id"]: q["risk"] for q in none_chosen["questions"]}["CGNSEC1"] == "HIGH"
        plan = none_chosen["improvement_plan"][0]
        assert plan["question"] == "CGNSEC1"
        assert {p["choice"] for p in plan["practices"]} == chosen

    @pytest.mark.parametrize(
        ("path", "field", "problem"),
        [
            # Published without the default rule the format requires.
            (
                "Amazon-ECS-Lens/Amazon_ECS_Lens.json",
                "$.pillars[1].questions[2].riskRules",
                "no default rule",
            ),
            ("EMR-spark-lens/custom-lens-emr-spark-v1.0.json", "$", "NaN is not JSON"),
        ],
    )
    def test_published_lens_errors_are_named(self, path: str, field: str, problem: str) -> None:
        with pytest.raises(InvalidLens) as caught:
            read_lens_text(_published(path))
        assert caught.value.field == field
        assert problem in str(caught.value)
