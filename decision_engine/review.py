"""A Well-Architected review: answers against a lens, rated the way the WA Tool rates them.

``review(answers, lens)`` takes ``{"answers": {question_id: [choice_id, ...]},
"not_applicable": [question_id, ...]}`` and returns each question's risk with the WA
Tool's names (``HIGH``, ``MEDIUM``, ``NONE``, ``UNANSWERED``, ``NOT_APPLICABLE``), the
counts per pillar and in total, and the improvement plan: for each high- or medium-risk
question (highest risk first, then in the lens's order), the improvement texts of the
practices the reader did not choose.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import InvalidInput
from .lens import Choice, Lens, Question, Resource, handbook_lens, lens_format
from .tools import pillars_for

# The WA Tool's risk names, most severe first: the order of counts and of the plan.
RISKS = ("HIGH", "MEDIUM", "NONE", "UNANSWERED", "NOT_APPLICABLE")
PLAN_RISKS = ("HIGH", "MEDIUM")

_ALLOWED_KEYS = "answers and not_applicable"


def review_schema() -> dict[str, Any]:
    """The JSON Schema of ``review``'s input (question and choice ids come from the lens)."""
    ids = {"type": "string", "pattern": lens_format()["id_pattern"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Well-Architected review answers",
        "description": (
            "The choices selected for each question of the lens, and the questions that do "
            "not apply. A question left out, or with no choice, is unanswered."
        ),
        "type": "object",
        "properties": {
            "answers": {
                "type": "object",
                "description": "Question id to the ids of the choices selected.",
                "additionalProperties": {"type": "array", "items": ids, "uniqueItems": True},
            },
            "not_applicable": {
                "type": "array",
                "description": "Ids of the questions that do not apply to the workload.",
                "items": ids,
                "uniqueItems": True,
            },
        },
        "additionalProperties": False,
    }


def _id_list(value: object, field: str, allowed: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(field, value, allowed, "not an array of ids")
    for index, ident in enumerate(value):
        if ident in value[:index]:
            raise InvalidInput(f"{field}[{index}]", ident, allowed, "listed twice")
    return value


def read_answers(document: object, lens: Lens) -> tuple[dict[str, frozenset[str]], set[str]]:
    """Check the answers against the lens.

    Returns:
        The selected choice ids per answered question, and the questions that do not apply.

    Raises:
        InvalidInput: Naming the field (``answers.sec_identities[1]``) and what is allowed.
    """
    if not isinstance(document, dict):
        raise InvalidInput("$", document, "a JSON object with " + _ALLOWED_KEYS, "not an object")
    for key in document:
        if key not in ("answers", "not_applicable"):
            raise InvalidInput(key, document[key], _ALLOWED_KEYS, "unknown field")
    questions = {q.id: q for _, q in lens.questions()}
    known_questions = "question ids of the lens, e.g. " + ", ".join(list(questions)[:3])
    raw_answers = document.get("answers", {})
    if not isinstance(raw_answers, dict):
        raise InvalidInput(
            "answers", raw_answers, "an object: question id -> choice ids", "not an object"
        )
    answers: dict[str, frozenset[str]] = {}
    for question_id, raw in raw_answers.items():
        field = f"answers.{question_id}"
        if question_id not in questions:
            raise InvalidInput(field, question_id, known_questions, "unknown question")
        question = questions[question_id]
        choice_ids = [c.id for c in question.choices]
        allowed = "choice ids of this question: " + ", ".join(choice_ids)
        selected = _id_list(raw, field, allowed)
        for index, ident in enumerate(selected):
            if ident not in choice_ids:
                raise InvalidInput(f"{field}[{index}]", ident, allowed, "unknown choice")
        _check_none_of_these(question, selected, field)
        if selected:
            answers[question_id] = frozenset(selected)
    not_applicable = _id_list(document.get("not_applicable", []), "not_applicable", known_questions)
    for index, ident in enumerate(not_applicable):
        if ident not in questions:
            raise InvalidInput(
                f"not_applicable[{index}]", ident, known_questions, "unknown question"
            )
    return answers, set(not_applicable)


def _check_none_of_these(question: Question, selected: list[str], field: str) -> None:
    nones = {c.id for c in question.choices if c.is_none_of_these}
    if len(selected) > 1 and nones.intersection(selected):
        allowed = "either the None of these choice alone or other choices"
        raise InvalidInput(field, selected, allowed, "None of these chosen with other choices")


def _resource(resource: Resource) -> dict[str, str | None]:
    return {"text": resource.text, "url": resource.url}


def _plan_item(choice: Choice) -> dict[str, Any]:
    # A checked lens gives every choice but "None of these" an improvement plan.
    assert choice.improvement is not None
    return {
        "choice": choice.id,
        "title": choice.title,
        "improvement": _resource(choice.improvement),
        "more": [_resource(r) for r in choice.more_improvement],
    }


def _question_risk(
    question: Question, answers: Mapping[str, frozenset[str]], not_applicable: set[str]
) -> str:
    if question.id in not_applicable:
        return "NOT_APPLICABLE"
    if question.id not in answers:
        return "UNANSWERED"
    return question.risk_of(answers[question.id])


def review(document: object, lens: Lens | None = None) -> dict[str, Any]:
    """Rate answers against a lens (the handbook's own by default).

    Args:
        document: ``{"answers": {...}, "not_applicable": [...]}`` as described above.
        lens: A lens read with :func:`decision_engine.lens.read_lens_text`.

    Returns:
        ``lens`` (name, description, warnings), ``pillars`` (the framework pillars the
        lens covers, as every tool names them), ``questions`` (id, pillar, title, risk, selected),
        ``pillar_risks`` (id, name, risk_counts, answered, total), ``risk_counts``,
        ``answered``, ``total`` and ``improvement_plan``.

    Raises:
        InvalidInput: For answers that name unknown questions or choices.
    """
    lens = lens or handbook_lens()
    answers, not_applicable = read_answers(document, lens)
    covered = {p.id for p in lens.pillars}
    questions: list[dict[str, Any]] = []
    pillar_risks: list[dict[str, Any]] = []
    plan: list[dict[str, Any]] = []
    for pillar in lens.pillars:
        counts = dict.fromkeys(RISKS, 0)
        for question in pillar.questions:
            risk = _question_risk(question, answers, not_applicable)
            counts[risk] += 1
            selected = answers.get(question.id, frozenset())
            questions.append(
                {
                    "id": question.id,
                    "pillar": pillar.id,
                    "title": question.title,
                    "risk": risk,
                    "selected": [c.id for c in question.choices if c.id in selected],
                }
            )
            if risk in PLAN_RISKS:
                missing = [
                    c for c in question.choices if c.id not in selected and not c.is_none_of_these
                ]
                plan.append(
                    {
                        "question": question.id,
                        "pillar": pillar.id,
                        "title": question.title,
                        "risk": risk,
                        "practices": [_plan_item(c) for c in missing],
                    }
                )
        pillar_risks.append(
            {
                "id": pillar.id,
                "name": pillar.name,
                "risk_counts": counts,
                "answered": len(pillar.questions) - counts["UNANSWERED"],
                "total": len(pillar.questions),
            }
        )
    totals = {risk: sum(p["risk_counts"][risk] for p in pillar_risks) for risk in RISKS}
    return {
        "tool": "review",
        "lens": {
            "name": lens.name,
            "description": lens.description,
            "warnings": list(lens.warnings),
        },
        # The framework's pillars among the lens's (a custom lens may have its own).
        "pillars": [p for p in pillars_for("review") if p["id"] in covered],
        "questions": questions,
        "pillar_risks": pillar_risks,
        "risk_counts": totals,
        "answered": len(questions) - totals["UNANSWERED"],
        "total": len(questions),
        # sorted() is stable: within one risk level the lens's order is kept.
        "improvement_plan": sorted(plan, key=lambda item: PLAN_RISKS.index(item["risk"])),
    }
