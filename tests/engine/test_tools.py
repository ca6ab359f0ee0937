"""The tool framework: the registry, the CLI and schema it drives, the pillars each tool
names and the pillar pages that link back, the shared worker entry point."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from decision_engine import InvalidInput, cli, input_schemas
from decision_engine.inputs import FieldSpec, check_object
from decision_engine.schema import object_schema
from decision_engine.tool_page import (
    RENDERERS,
    PageContext,
    answer_json,
    initial_values,
    inputs_from_form,
    render_bar_chart,
    render_form,
    render_pillars,
    renderer,
)
from decision_engine.tools import pillars, pillars_for, tools
from tests.conftest import REPO

DOCS = REPO / "docs"
WA_PILLAR_IDS = [
    "operationalExcellence",
    "security",
    "reliability",
    "performance",
    "costOptimization",
    "sustainability",
]


def _links(page: Path) -> set[str]:
    """The docs-relative targets of a page's Markdown links, without anchors."""
    found = set()
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
        found.add((page.parent / unquote(target)).resolve().relative_to(DOCS.resolve()).as_posix())
    return found


class TestRegistry:
    def test_every_tool_has_a_command_schema_renderer_and_page(self) -> None:
        for tool in tools().values():
            assert tool.command in input_schemas()
            assert input_schemas()[tool.command] == tool.schema()
            assert tool.id in RENDERERS
            module = renderer(tool.id)
            assert (module.TOOL_ID, module.FIELD_PREFIX.endswith("-")) == (tool.id, True)
            assert (DOCS / tool.page).is_file()

    def test_field_prefixes_are_unique(self) -> None:
        prefixes = [renderer(t).FIELD_PREFIX for t in tools()]
        assert len(set(prefixes)) == len(prefixes)

    def test_usage_lists_every_command(self) -> None:
        text = cli.usage()
        for command in cli.commands():
            assert f"  {command}" in text


class TestPillars:
    def test_the_six_pillars_with_the_wa_tool_ids(self) -> None:
        assert list(pillars()) == WA_PILLAR_IDS
        for pillar in pillars().values():
            assert (DOCS / pillar["handbook"]).is_file()

    @pytest.mark.parametrize("tool_id", list(tools()))
    def test_each_result_names_its_pillars_with_a_reason(self, tool_id: str) -> None:
        named = pillars_for(tool_id)
        assert named, tool_id
        assert len({p["id"] for p in named}) == len(named)
        for pillar in named:
            assert pillar["id"] in WA_PILLAR_IDS
            assert pillar["why"].endswith(".")

    @pytest.mark.parametrize("pillar_id", WA_PILLAR_IDS)
    def test_pillar_pages_link_exactly_the_tools_that_name_them(self, pillar_id: str) -> None:
        page = DOCS / pillars()[pillar_id]["handbook"]
        linked_tools = {t.id for t in tools().values() if t.page in _links(page)}
        naming = {t for t in tools() if pillar_id in {p["id"] for p in pillars_for(t)}}
        assert linked_tools == naming, page.name


class TestWorkerEntryPoint:
    def test_a_request_without_a_tool_is_the_compute_tools(self) -> None:
        request = {"fields": {}, "site_root": "../../"}
        with_tool = {**request, "tool": "compute"}
        assert answer_json(json.dumps(request)) == answer_json(json.dumps(with_tool))

    @pytest.mark.parametrize("tool_id", list(tools()))
    def test_answers_every_tool_with_the_same_shape(self, tool_id: str) -> None:
        request = {"tool": tool_id, "fields": {}, "site_root": "../../", "directory_urls": True}
        response = json.loads(answer_json(json.dumps(request)))
        assert set(response) == {"html", "summary", "error_field", "error"}
        build_time = renderer(tool_id).render_tool(PageContext())
        if response["html"]:
            assert response["html"] in build_time


class TestOverflowingNumbers:
    """JSON allows 1e400; a float cannot hold it. The message shows what was typed."""

    @pytest.mark.parametrize("literal", ["1e400", "-1E400", "1.5e999"])
    def test_cli_message_shows_the_literal(self, literal, capsys, monkeypatch) -> None:
        import io

        monkeypatch.setattr("sys.stdin", io.StringIO(f'{{"vcpu": {literal}}}'))
        assert cli.main(["recommend"]) == 2
        line = capsys.readouterr().err
        assert line == (
            f"vcpu: out of range: {literal}; allowed: a number greater than 0 up to 192 (vCPU)\n"
        )
        assert "Infinity" not in line

    def test_form_text_shows_the_literal(self) -> None:
        answer = renderer("compute").live_answer({"vcpu": "1e400"}, PageContext())
        assert answer.error_field == "vcpu"
        assert ": 1e400;" in answer.error


class TestSharedPieces:
    """The framework's pieces that a tool may use, on synthetic inputs."""

    REQUIRED = FieldSpec(
        "rto", "number", "RTO", "How long.", None, "minutes", minimum=0, required=True, example=30
    )
    OPTIONAL = FieldSpec("budget", "number", "Budget", "Optional.", None, "USD", minimum=0)
    FLAG = FieldSpec("flag", "boolean", "Flag", "A flag.", False, None)

    def schema(self) -> dict[str, Any]:
        return object_schema("T", "A test tool.", (self.REQUIRED, self.OPTIONAL, self.FLAG))

    def test_required_fields_have_examples_and_are_listed(self) -> None:
        schema = self.schema()
        assert schema["required"] == ["rto"]
        assert schema["properties"]["rto"]["examples"] == [30]
        assert "default" not in schema["properties"]["rto"]
        assert "default" not in schema["properties"]["budget"]
        assert initial_values(schema) == {"rto": "30", "budget": "", "flag": "false"}

    def test_missing_required_field_is_named(self) -> None:
        fields = (self.REQUIRED, self.OPTIONAL)
        with pytest.raises(InvalidInput) as raised:
            check_object({}, fields)
        assert (
            str(raised.value) == "rto: missing (required): null; allowed: a number from 0 (minutes)"
        )
        assert check_object({"rto": 5}, fields) == {"rto": 5, "budget": None}
        assert check_object({"rto": 5, "budget": None}, fields) == {"rto": 5, "budget": None}

    def test_empty_optional_text_means_not_set(self) -> None:
        assert inputs_from_form({"budget": " ", "rto": ""}, self.schema()) == {"rto": ""}

    def test_form_marks_required_fields(self) -> None:
        html = render_form(self.schema(), {"rto": "30"}, prefix="t-", label="Test")
        assert html.count('aria-required="true"') == 1
        assert 'id="t-rto"' in html

    def test_bar_chart_scales_to_the_largest_and_has_a_table(self) -> None:
        html = render_bar_chart(
            [("a", "A <b>", 10.0), ("b", "B", 0.0)],
            title="T",
            description="D",
            prefix="t-",
            category="Thing",
        )
        assert 'width="210.0"' in html  # the largest bar spans the plot
        assert 'width="1"' in html  # a zero bar stays visible
        assert "A &lt;b&gt;" in html
        assert '<th scope="col">Thing</th>' in html
        empty = render_bar_chart([], title="T", description="D", prefix="t-", category="Thing")
        assert "<rect" not in empty

    def test_no_pillars_no_section(self) -> None:
        assert render_pillars({}, PageContext()) == ""
