"""Lenses in the AWS Well-Architected Tool's custom lens format, read and checked.

A lens is JSON (``schemaVersion`` "2021-11-01"): pillars hold questions, questions hold
choices (best practices) and risk rules. The format's limits (lengths, counts, id
characters) are data in ``data/lens-format.json``, with the page of the WA Tool user
guide they come from. A lens that breaks a rule raises :class:`InvalidLens` naming the
JSON path (``$.pillars[0].questions[2].riskRules[1].condition``) and what is allowed.

Risk-rule conditions are Boolean expressions over the question's choice ids: ``!``
binds tighter than ``&&``, which binds tighter than ``||``, and parentheses group, as
in the expressions of published lenses (``(a && !b) || c``). They are parsed once, when
the lens is read, so a condition that names an unknown choice is an error in the lens,
not a surprise during a review.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import InvalidInput
from .facts import load_json, read_text


class InvalidLens(InvalidInput):
    """A lens file that does not follow the custom lens format."""


@functools.cache
def lens_format() -> Mapping[str, Any]:
    """The format's rules and limits, with ``source`` and ``as_of``."""
    rules: Mapping[str, Any] = load_json("lens-format.json")
    return rules


@dataclass(frozen=True, slots=True)
class Resource:
    """A text with an optional link: a helpful resource or an improvement plan."""

    text: str
    url: str | None


@dataclass(frozen=True, slots=True)
class Choice:
    """One best practice a reader can say they follow (or "None of these")."""

    id: str
    title: str
    description: str
    helpful: Resource | None
    improvement: Resource | None
    more_helpful: tuple[Resource, ...]
    more_improvement: tuple[Resource, ...]
    # True for the choice that means "none of the practices above" (id ending "_no").
    is_none_of_these: bool = False


@dataclass(frozen=True, slots=True)
class ChoiceIs:
    """A condition leaf: the choice with this id is selected."""

    choice: str


@dataclass(frozen=True, slots=True)
class Not:
    """``!operand``."""

    operand: Condition


@dataclass(frozen=True, slots=True)
class AllOf:
    """``a && b && ...``."""

    operands: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    """``a || b || ...``."""

    operands: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Always:
    """The ``default`` condition."""


Condition = ChoiceIs | Not | AllOf | AnyOf | Always

# How each kind of node is decided, as a table rather than an if-chain.
_DECIDE: Mapping[type, Callable[[Any, frozenset[str]], bool]] = {
    ChoiceIs: lambda node, selected: node.choice in selected,
    Not: lambda node, selected: not holds(node.operand, selected),
    AllOf: lambda node, selected: all(holds(o, selected) for o in node.operands),
    AnyOf: lambda node, selected: any(holds(o, selected) for o in node.operands),
    Always: lambda node, selected: True,
}


def holds(condition: Condition, selected: frozenset[str]) -> bool:
    """Whether ``condition`` is true when exactly the ``selected`` choices are chosen."""
    return _DECIDE[type(condition)](condition, selected)


@dataclass(frozen=True, slots=True)
class RiskRule:
    """``condition`` -> ``risk`` (one of ``HIGH``, ``MEDIUM``, ``NONE``)."""

    text: str
    condition: Condition
    risk: str


@dataclass(frozen=True, slots=True)
class Question:
    """A question of a pillar, its choices and the rules that rate the answer."""

    id: str
    title: str
    description: str
    helpful: Resource | None
    choices: tuple[Choice, ...]
    risk_rules: tuple[RiskRule, ...]

    def risk_of(self, selected: frozenset[str]) -> str:
        """The risk of an answer: the risk of the first rule whose condition holds."""
        for rule in self.risk_rules:
            if holds(rule.condition, selected):
                return rule.risk
        # Unreachable for a checked lens: its last resort is the `default` rule.
        raise AssertionError(f"{self.id}: no risk rule applies")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class Pillar:
    """A pillar of the lens (one of the framework's six, or the lens's own)."""

    id: str
    name: str
    questions: tuple[Question, ...]


@dataclass(frozen=True, slots=True)
class Lens:
    """A checked lens. ``warnings`` name fields the format does not know (ignored)."""

    name: str
    description: str
    pillars: tuple[Pillar, ...]
    warnings: tuple[str, ...]

    def questions(self) -> Iterator[tuple[Pillar, Question]]:
        """Every question with its pillar, in the lens's order."""
        for pillar in self.pillars:
            for question in pillar.questions:
                yield pillar, question


# --- Reading the JSON ---------------------------------------------------------------


class _Reader:
    """Walks a lens document, checking each field against the format as it goes."""

    def __init__(self) -> None:
        self.rules = lens_format()
        self.warnings: list[str] = []

    def fail(self, path: str, value: object, allowed: str, problem: str) -> InvalidLens:
        return InvalidLens(path, value, allowed, problem)

    def obj(self, value: object, path: str, known: tuple[str, ...]) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, value, "a JSON object", f"not an object ({_kind(value)})")
        for key in value:
            if key not in known:
                self.warnings.append(f"{path}.{key}: not part of the lens format; ignored")
        return value

    def text(
        self, parent: Mapping[str, Any], key: str, path: str, limit: str, required: bool = True
    ) -> str:
        where = f"{path}.{key}"
        if key not in parent:
            if required:
                raise self.fail(where, None, "a string", "missing")
            return ""
        value = parent[key]
        most = self.rules["max_chars"][limit]
        if not isinstance(value, str):
            raise self.fail(where, value, f"a string of up to {most} characters", "not a string")
        if not value.strip() and required:
            raise self.fail(where, value, f"1 to {most} characters", "empty")
        if len(value) > most:
            problem = f"{len(value)} characters is too long"
            raise self.fail(where, value, f"up to {most} characters", problem)
        return value

    def identifier(self, parent: Mapping[str, Any], path: str) -> str:
        where = f"{path}.id"
        if "id" not in parent:
            raise self.fail(where, None, self.rules["id_allowed"], "missing")
        value = parent["id"]
        if not isinstance(value, str) or not re.fullmatch(self.rules["id_pattern"], value):
            raise self.fail(where, value, self.rules["id_allowed"], "not a valid id")
        return value

    def array(self, parent: Mapping[str, Any], key: str, path: str, most: int) -> list[Any]:
        where = f"{path}.{key}"
        value = parent.get(key)
        if not isinstance(value, list):
            problem = "missing" if key not in parent else f"not an array ({_kind(value)})"
            raise self.fail(where, value, f"an array of 1 to {most} items", problem)
        if not 1 <= len(value) <= most:
            problem = f"{len(value)} items"
            raise self.fail(where, f"[{len(value)} items]", f"1 to {most} items", problem)
        return value

    def unique(self, ids: list[str], paths: list[str], what: str) -> None:
        seen: dict[str, str] = {}
        for ident, path in zip(ids, paths, strict=True):
            if ident in seen:
                allowed = f"a {what} id used once (also at {seen[ident]})"
                raise self.fail(path, ident, allowed, "duplicate id")
            seen[ident] = path

    def resource(self, value: object, path: str) -> Resource:
        fields = self.obj(value, path, ("displayText", "url"))
        text = self.text(fields, "displayText", path, "displayText")
        return Resource(text, self.url(fields, path))

    def url(self, fields: Mapping[str, Any], path: str) -> str | None:
        value = fields.get("url", "")
        # Published lenses write "" for "no link"; the WA Tool imports them.
        if value == "":
            return None
        prefixes = tuple(self.rules["url_prefixes"])
        if not isinstance(value, str) or not value.startswith(prefixes):
            allowed = "a URL starting with http:// or https://"
            raise self.fail(f"{path}.url", value, allowed, "bad URL")
        return value

    def optional_resource(self, parent: Mapping[str, Any], key: str, path: str) -> Resource | None:
        return self.resource(parent[key], f"{path}.{key}") if key in parent else None

    def more_resources(self, choice: Mapping[str, Any], path: str) -> dict[str, list[Resource]]:
        found: dict[str, list[Resource]] = {"HELPFUL_RESOURCE": [], "IMPROVEMENT_PLAN": []}
        if "additionalResources" not in choice:
            return found
        where = f"{path}.additionalResources"
        groups = choice["additionalResources"]
        if not isinstance(groups, list):
            raise self.fail(where, groups, "an array of {type, content} objects", "not an array")
        most = self.rules["max_additional_resources_per_type"]
        for index, group in enumerate(groups):
            at = f"{where}[{index}]"
            fields = self.obj(group, at, ("type", "content"))
            kind = fields.get("type")
            if not isinstance(kind, str) or kind not in found:
                allowed = "HELPFUL_RESOURCE or IMPROVEMENT_PLAN"
                raise self.fail(f"{at}.type", kind, allowed, "bad type")
            content = self.array(fields, "content", at, most)
            found[kind] += [self.resource(c, f"{at}.content[{i}]") for i, c in enumerate(content)]
            if len(found[kind]) > most:
                allowed = f"up to {most} additional {kind} items a choice"
                raise self.fail(f"{at}.content", f"[{len(found[kind])} items]", allowed, "too many")
        return found

    def choice(self, value: object, path: str) -> Choice:
        known = (
            "id",
            "title",
            "description",
            "helpfulResource",
            "improvementPlan",
            "additionalResources",
        )
        fields = self.obj(value, path, known)
        ident = self.identifier(fields, path)
        none_of_these = ident.endswith(self.rules["none_of_these_suffix"])
        if "improvementPlan" not in fields and not none_of_these:
            allowed = "an improvementPlan for every choice but None of these (id ending _no)"
            raise self.fail(f"{path}.improvementPlan", None, allowed, "missing")
        more = self.more_resources(fields, path)
        return Choice(
            id=ident,
            title=self.text(fields, "title", path, "title"),
            description=self.text(fields, "description", path, "description", required=False),
            helpful=self.optional_resource(fields, "helpfulResource", path),
            improvement=self.optional_resource(fields, "improvementPlan", path),
            more_helpful=tuple(more["HELPFUL_RESOURCE"]),
            more_improvement=tuple(more["IMPROVEMENT_PLAN"]),
            is_none_of_these=none_of_these,
        )

    def risk_rules(
        self, fields: Mapping[str, Any], path: str, choices: list[str]
    ) -> list[RiskRule]:
        raw = self.array(fields, "riskRules", path, self.rules["max_risk_rules_per_question"])
        rules: list[RiskRule] = []
        risks: Mapping[str, str] = self.rules["risks"]
        for index, value in enumerate(raw):
            at = f"{path}.riskRules[{index}]"
            rule = self.obj(value, at, ("condition", "risk"))
            risk = rule.get("risk")
            if not isinstance(risk, str) or risk not in risks:
                raise self.fail(f"{at}.risk", risk, ", ".join(risks), "not a risk level")
            if any(r.risk == risks[risk] for r in rules):
                allowed = "one rule for each level of risk"
                raise self.fail(f"{at}.risk", risk, allowed, "second rule for this level")
            text = rule.get("condition")
            if not isinstance(text, str):
                allowed = "a Boolean expression of choice ids, or default"
                raise self.fail(f"{at}.condition", text, allowed, "missing or not a string")
            condition = parse_condition(text, choices, f"{at}.condition")
            rules.append(RiskRule(text, condition, risks[risk]))
        if not any(isinstance(r.condition, Always) for r in rules):
            allowed = 'one rule whose condition is "default"'
            conditions = [r.text for r in rules]
            raise self.fail(f"{path}.riskRules", conditions, allowed, "no default rule")
        return rules

    def question(self, value: object, path: str) -> Question:
        known = ("id", "title", "description", "helpfulResource", "choices", "riskRules")
        fields = self.obj(value, path, known)
        ident = self.identifier(fields, path)
        raw = self.array(fields, "choices", path, self.rules["max_choices_per_question"])
        choices = [self.choice(c, f"{path}.choices[{i}]") for i, c in enumerate(raw)]
        ids = [c.id for c in choices]
        self.unique(ids, [f"{path}.choices[{i}].id" for i in range(len(ids))], "choice")
        return Question(
            id=ident,
            title=self.text(fields, "title", path, "title"),
            description=self.text(fields, "description", path, "description", required=False),
            helpful=self.optional_resource(fields, "helpfulResource", path),
            choices=tuple(choices),
            risk_rules=tuple(self.risk_rules(fields, path, ids)),
        )

    def pillar(self, value: object, path: str) -> Pillar:
        fields = self.obj(value, path, ("id", "name", "questions"))
        ident = self.identifier(fields, path)
        raw = self.array(fields, "questions", path, self.rules["max_questions_per_pillar"])
        return Pillar(
            id=ident,
            name=self.text(fields, "name", path, "name"),
            questions=tuple(self.question(q, f"{path}.questions[{i}]") for i, q in enumerate(raw)),
        )

    def lens(self, value: object) -> Lens:
        fields = self.obj(value, "$", ("schemaVersion", "name", "description", "pillars"))
        version = fields.get("schemaVersion")
        if version != self.rules["schema_version"]:
            allowed = f'"{self.rules["schema_version"]}"'
            raise self.fail("$.schemaVersion", version, allowed, "unsupported schema version")
        raw = self.array(fields, "pillars", "$", self.rules["max_pillars"])
        pillars = [self.pillar(p, f"$.pillars[{i}]") for i, p in enumerate(raw)]
        self.unique(
            [p.id for p in pillars], [f"$.pillars[{i}].id" for i in range(len(raw))], "pillar"
        )
        where = [
            (q.id, f"$.pillars[{p}].questions[{i}].id")
            for p, pillar in enumerate(pillars)
            for i, q in enumerate(pillar.questions)
        ]
        # Answers name questions by id alone, so an id must be unique in the whole lens.
        self.unique([w[0] for w in where], [w[1] for w in where], "question")
        return Lens(
            name=self.text(fields, "name", "$", "name"),
            description=self.text(fields, "description", "$", "description", required=False),
            pillars=tuple(pillars),
            warnings=tuple(self.warnings),
        )


def _kind(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def read_lens(document: object) -> Lens:
    """Check a parsed lens document and return it as a :class:`Lens`.

    Raises:
        InvalidLens: Naming the JSON path of the first field that breaks the format.
    """
    return _Reader().lens(document)


def _reject_constant(constant: str) -> object:
    raise ValueError(f"{constant} is not JSON")


def read_lens_text(text: str) -> Lens:
    """Parse and check a lens file's text (as the CLI and the page's file picker read it).

    Raises:
        InvalidLens: For text that is too large, not JSON, or not a valid lens.
    """
    most = lens_format()["max_file_bytes"]
    size = len(text.encode("utf-8"))
    if size > most:
        raise InvalidLens("$", f"{size} bytes", f"a lens of up to {most} bytes", "too large")
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        problem = f"not JSON ({err.msg} at line {err.lineno} column {err.colno})"
        raise InvalidLens("$", text[:40].strip(), "a lens as one JSON object", problem) from None
    except (ValueError, RecursionError) as err:
        problem = "nested too deeply" if isinstance(err, RecursionError) else str(err)
        raise InvalidLens("$", text[:40].strip(), "a lens as one JSON object", problem) from None
    return read_lens(document)


@functools.cache
def handbook_lens() -> Lens:
    """The handbook's own lens (``data/handbook-lens.json``): the six pillars' questions."""
    return read_lens_text(read_text("handbook-lens.json"))


# --- Conditions ---------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(&&|\|\||!|\(|\))|([A-Za-z0-9_]+)|(\S))")
_DEFAULT = "default"


class _ConditionParser:
    """Recursive descent: ``or := and (|| and)*``, ``and := not (&& not)*``,
    ``not := ! not | id | ( or )``."""

    def __init__(self, text: str, choices: list[str], path: str) -> None:
        self.text = text
        self.choices = choices
        self.path = path
        self.tokens = self.tokenize()
        self.at = 0

    def tokenize(self) -> list[tuple[str, int]]:
        """The tokens with their 1-based columns; ``("", n)`` marks the end."""
        tokens: list[tuple[str, int]] = []
        for match in _TOKEN.finditer(self.text):
            operator, name, stray = match.groups()
            if stray is not None:
                raise self.fail(f"unexpected character {stray!r} at column {match.start(3) + 1}")
            start = match.start(1) if operator else match.start(2)
            tokens.append((operator or name, start + 1))
        tokens.append(("", len(self.text) + 1))
        return tokens

    def fail(self, problem: str) -> InvalidLens:
        allowed = (
            "a Boolean expression of this question's choice ids ("
            + ", ".join(self.choices)
            + ") with &&, ||, ! and parentheses, or default"
        )
        return InvalidLens(self.path, self.text, allowed, problem)

    def peek(self) -> str:
        return self.tokens[self.at][0]

    def take(self) -> tuple[str, int]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def whole(self) -> Condition:
        condition = self.any_of()
        token, column = self.take()
        if token:
            raise self.fail(f"unexpected {token!r} at column {column}")
        return condition

    def any_of(self) -> Condition:
        operands = [self.all_of()]
        while self.peek() == "||":
            self.take()
            operands.append(self.all_of())
        return operands[0] if len(operands) == 1 else AnyOf(tuple(operands))

    def all_of(self) -> Condition:
        operands = [self.negation()]
        while self.peek() == "&&":
            self.take()
            operands.append(self.negation())
        return operands[0] if len(operands) == 1 else AllOf(tuple(operands))

    def negation(self) -> Condition:
        token, column = self.take()
        if token == "!":
            return Not(self.negation())
        if token == "(":
            inner = self.any_of()
            closing, where = self.take()
            if closing != ")":
                raise self.fail(f"expected ')' at column {where}")
            return inner
        if not token:
            raise self.fail(f"expression ends early at column {column}")
        if token in self.choices:
            return ChoiceIs(token)
        if token == _DEFAULT:
            raise self.fail("default must be the whole condition")
        if token in ("&&", "||", ")"):
            raise self.fail(f"unexpected {token!r} at column {column}")
        raise self.fail(f"unknown choice id {token!r} at column {column}")


def parse_condition(text: str, choices: list[str], path: str = "condition") -> Condition:
    """Parse a risk rule's condition over the given choice ids.

    Args:
        text: The expression, e.g. ``"(a && !b) || c"``, or ``"default"``.
        choices: The ids the expression may name (the question's choices).
        path: The JSON path named in errors.

    Raises:
        InvalidLens: For a syntax error or an id that is not one of ``choices``.
    """
    if text.strip() == _DEFAULT:
        return Always()
    return _ConditionParser(text, choices, path).whole()
