"""What every decision tool's page shares: links, the form, the answer shell, the worker's call.

A tool's renderer (``render_html`` for the compute choice, ``render_dr`` for disaster
recovery) is a module with:

* ``TOOL_ID``: the tool's id in :data:`decision_engine.tools.TOOLS`;
* ``FIELD_PREFIX``: the prefix of its controls' ids (``"calc-"``, ``"dr-"``), so two
  tools can share a page;
* ``live_answer(fields, page) -> LiveAnswer``: the answer for the form's text values;
* ``render_tool(page, fields=None) -> str``: the whole tool for the build (form and
  answer), usually :func:`render_tool_shell` around the two.

The web worker calls :func:`answer_json` with ``{"tool", "fields", "site_root",
"directory_urls"}`` and gets ``{"html", "summary", "error_field", "error"}`` back, for any
tool: one engine per page serves them all. Standard library only and no I/O.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from types import ModuleType
from typing import Any, Protocol
from urllib.parse import quote

from .errors import parse_json_float

# The renderer module of each tool, imported on first use (the worker imports only the
# ones its page asks for).
RENDERERS: Mapping[str, str] = {
    "compute": "decision_engine.render_html",
    "dr": "decision_engine.render_dr",
    "review": "decision_engine.render_review",
}
# A request without "tool" is the compute choice's (the worker protocol before tools).
DEFAULT_TOOL = "compute"

BUILD_TIME_NOTE = "Computed when this page was built, for the inputs shown."


@dataclass(frozen=True)
class PageContext:
    """Where a tool's page sits in the site, to turn handbook paths into URLs.

    Attributes:
        site_root: URL of the site root relative to the page, ending in ``/``
            (``"../../"`` for ``tools/compute/``).
        directory_urls: Whether the site uses MkDocs' ``use_directory_urls``.
    """

    site_root: str = "../../"
    directory_urls: bool = True


@dataclass(frozen=True)
class LiveAnswer:
    """What the page needs after a change: the answer's HTML, or the error to show.

    Attributes:
        html: The answer region's new content, or ``""`` when the input is invalid.
        summary: One sentence for the page's status line and screen readers.
        error_field: The field the engine rejected, ``""`` when the input is valid.
        error: The engine's message for that field.
    """

    html: str
    summary: str
    error_field: str = ""
    error: str = ""


class Renderer(Protocol):
    """The module interface of a tool's renderer (see the module docstring)."""

    TOOL_ID: str
    FIELD_PREFIX: str

    def live_answer(self, fields: Mapping[str, str], page: PageContext) -> LiveAnswer:
        """The answer for the form's text values."""

    def render_tool(self, page: PageContext, fields: Mapping[str, str] | None = None) -> str:
        """The whole tool for the build."""


def renderer(tool_id: str) -> ModuleType:
    """The renderer module of a tool.

    Raises:
        KeyError: For a tool that has no renderer.
    """
    return importlib.import_module(RENDERERS[tool_id])


def handbook_url(path: str, page: PageContext) -> str:
    """Turn an engine link such as ``"07 Compute/Note.md#heading"`` into a page URL.

    Args:
        path: A docs-relative Markdown path, optionally with an ``#anchor``.
        page: Where the tool's page sits.

    Returns:
        The URL relative to the tool's page, quoted the way MkDocs quotes its own
        page URLs.
    """
    document, _, anchor = path.partition("#")
    stem = document.removesuffix(".md")
    folder, _, name = stem.rpartition("/")
    if name == "index" and page.directory_urls:
        url = f"{folder}/" if folder else ""
    elif page.directory_urls:
        url = f"{stem}/"
    else:
        url = f"{stem}.html"
    return page.site_root + quote(url) + (f"#{anchor}" if anchor else "")


def ordered_fields(schema: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """A tool input schema's properties in the order the form shows them."""
    properties = schema["properties"]
    return sorted(properties.items(), key=lambda item: (item[1].get("x-order", 0), item[0]))


def form_value(value: object) -> str:
    """The text a form control holds for an input value (``True`` is ``"true"``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def initial_values(schema: Mapping[str, Any]) -> dict[str, str]:
    """The form's starting text: each field's default, or its first example if required."""
    values = {}
    for name, prop in ordered_fields(schema):
        value = prop["default"] if "default" in prop else (prop.get("examples") or [""])[0]
        values[name] = form_value(value)
    return values


def inputs_from_form(fields: Mapping[str, str], schema: Mapping[str, Any]) -> dict[str, object]:
    """Turn a form's (or the URL query's) text values into a tool's input.

    A value that does not parse as its field's type is passed on as the text the
    reader typed, so the engine rejects it with its own message. An empty control of
    an optional field that has no default is left out (the field is not set).

    Args:
        fields: Field name to the text of its control.
        schema: The tool's input schema.

    Returns:
        The input, ready for the tool's engine function.
    """
    properties = schema["properties"]
    required = set(schema.get("required", ()))
    return {
        name: _parse_field(text, properties.get(name, {}))
        for name, text in fields.items()
        # An empty box for an optional field without a default means "not set".
        if text.strip() or name in required or "default" in properties.get(name, {"default": 0})
    }


def _parse_field(text: str, schema: Mapping[str, Any]) -> object:
    kind = schema.get("type")
    if kind == "boolean":
        return {"true": True, "false": False}.get(text.strip().lower(), text)
    if kind in ("integer", "number"):
        # Readers write big numbers with separators ("1,000,000", "1_000_000").
        plain = text.strip().replace(",", "").replace("_", "")
        for parse in (int, parse_json_float):
            try:
                return parse(plain)
            except ValueError:
                continue
    return text


def render_form(
    schema: Mapping[str, Any],
    values: Mapping[str, str],
    errors: Mapping[str, str] | None = None,
    *,
    prefix: str,
    label: str,
) -> str:
    """A tool's form, generated from its input schema.

    Args:
        schema: The tool's input schema.
        values: Field name to the text its control shows.
        errors: Field name to the engine's message for it (shown beside the field).
        prefix: The prefix of the controls' ids.
        label: The form's accessible name.

    Returns:
        A ``<form>`` with one ``<fieldset>`` per ``x-group`` of the schema.
    """
    errors = errors or {}
    required = set(schema.get("required", ()))
    groups: dict[str, list[str]] = {}
    for name, prop in ordered_fields(schema):
        control = _render_field(
            name, prop, values.get(name, ""), errors.get(name, ""), prefix, name in required
        )
        groups.setdefault(prop.get("x-group", "Inputs"), []).append(control)
    fieldsets = "\n".join(
        f'<fieldset class="calc-group"><legend>{escape(group)}</legend>\n'
        + "\n".join(controls)
        + "\n</fieldset>"
        for group, controls in groups.items()
    )
    return (
        f'<form class="calc-form" novalidate aria-label="{escape(label)}">\n'
        f"{fieldsets}\n"
        '<div class="calc-actions">'
        '<button type="button" class="md-button calc-copy" hidden>Copy link</button> '
        '<button type="reset" class="md-button calc-reset" hidden>Reset to defaults</button> '
        '<span class="calc-copy-status" role="status"></span>'
        "</div>\n"
        "</form>"
    )


def _render_field(
    name: str, schema: Mapping[str, Any], value: str, error: str, prefix: str, required: bool
) -> str:
    field_id = f"{prefix}{name}"
    title = escape(schema.get("title", name))
    unit = schema.get("x-unit")
    unit_html = f' <span class="calc-unit">({escape(unit)})</span>' if unit else ""
    start = schema["default"] if "default" in schema else (schema.get("examples") or [""])[0]
    default = escape(form_value(start))
    described = f"{field_id}-help {field_id}-error"
    common = (
        f'id="{field_id}" name="{escape(name)}" data-default="{default}" '
        f'aria-describedby="{described}"'
        + (' aria-required="true"' if required else "")
        + (' aria-invalid="true"' if error else "")
    )
    kind = schema.get("type")
    if kind == "boolean":
        checked = " checked" if value == "true" else ""
        control = (
            f'<input type="checkbox" {common}{checked}><label for="{field_id}">{title}</label>'
        )
        css = "calc-field calc-field--check"
    else:
        label = f'<label for="{field_id}">{title}{unit_html}</label>'
        if "enum" in schema:
            names = schema.get("x-enum-labels", {})
            options = "".join(
                f'<option value="{escape(str(option))}"'
                + (" selected" if str(option) == value else "")
                + f">{escape(names.get(str(option), str(option)))}</option>"
                for option in schema["enum"]
            )
            control = f"{label}<select {common}>{options}</select>"
        else:
            mode = {"integer": "numeric", "number": "decimal"}.get(kind, "text")
            control = (
                f'{label}<input type="text" inputmode="{mode}" autocomplete="off" '
                f'spellcheck="false" {common} value="{escape(value)}">'
            )
        css = "calc-field"
    help_text = escape(schema.get("description", ""))
    return (
        f'<div class="{css}" data-field="{escape(name)}">{control}'
        f'<p class="calc-help" id="{field_id}-help">{help_text}</p>'
        f'<p class="calc-error" id="{field_id}-error"{"" if error else " hidden"}>'
        f"{escape(error)}</p></div>"
    )


def render_tool_shell(form: str, answer: LiveAnswer, *, prefix: str, title: str) -> str:
    """The form, then the answer region with its build-time note and live region.

    Args:
        form: The tool's form (:func:`render_form`).
        answer: The answer for the form's values.
        prefix: The tool's id prefix (keeps ids unique when tools share a page).
        title: The answer region's heading.

    Returns:
        HTML for the form and the answer region (without the page's scripts).
    """
    heading = f"{prefix}result-title"
    return (
        f"{form}\n"
        f'<section class="calc-result" aria-labelledby="{heading}">\n'
        f'<h2 id="{heading}">{escape(title)}</h2>\n'
        f'<p class="calc-engine">{BUILD_TIME_NOTE}</p>\n'
        # Filled in by the page on each live update, for screen readers: the visible
        # summary is part of the answer itself.
        '<p class="calc-status md-visually-hidden" role="status"></p>\n'
        f'<div class="calc-answer">{answer.html}</div>\n'
        "</section>"
    )


def render_ranking(
    result: Mapping[str, Any],
    page: PageContext,
    ranked: Callable[[int, Mapping[str, Any], PageContext], str],
    ruled_out: Callable[[Mapping[str, Any], PageContext], str],
) -> list[str]:
    """The HTML parts every tool's answer has: its ranking, then what it ruled out.

    Args:
        result: A tool's result, with ``ranking`` and ``ruled_out`` lists.
        page: Where the answer is shown (for its links).
        ranked: Renders one ranked entry, given its rank from 1.
        ruled_out: Renders one ruled-out entry.
    """
    parts = [
        '<ol class="calc-ranking">',
        *(ranked(rank, entry, page) for rank, entry in enumerate(result["ranking"], 1)),
        "</ol>",
    ]
    if result["ruled_out"]:
        parts += [
            '<h3 class="calc-subtitle">Ruled out</h3>',
            '<ul class="calc-ruled-out">',
            *(ruled_out(entry, page) for entry in result["ruled_out"]),
            "</ul>",
        ]
    return parts


def result_json_block(result: Mapping[str, Any]) -> str:
    """The engine's raw result as a JSON data block, so tests and tools read exactly it."""
    # No "<" inside the block, so no text can end it early or open a comment in it.
    raw = json.dumps(result, sort_keys=True).replace("<", "\\u003c")
    return f'<script type="application/json" class="calc-result-json">{raw}</script>'


def render_pillars(result: Mapping[str, Any], page: PageContext) -> str:
    """The Well-Architected pillars a tool's decision touches, linked to their pages."""
    items = "".join(
        f'<li><a href="{escape(handbook_url(p["handbook"], page))}">{escape(p["label"])}</a>: '
        f"{escape(p['why'])}</li>"
        for p in result.get("pillars", ())
    )
    if not items:
        return ""
    return (
        '<h3 class="calc-subtitle">Well-Architected pillars this decision touches</h3>'
        f'<ul class="calc-pillars">{items}</ul>'
    )


def answer_json(request: str) -> str:
    """Answer one worker request for any tool: JSON in, JSON out.

    Args:
        request: ``{"tool", "fields", "site_root", "directory_urls"}`` as JSON; ``tool``
            defaults to the compute choice.

    Returns:
        ``{"html", "summary", "error_field", "error"}`` as JSON.
    """
    decoded = json.loads(request)
    page = PageContext(
        site_root=decoded["site_root"], directory_urls=decoded.get("directory_urls", True)
    )
    answer = renderer(decoded.get("tool", DEFAULT_TOOL)).live_answer(decoded["fields"], page)
    return json.dumps(
        {
            "html": answer.html,
            "summary": answer.summary,
            "error_field": answer.error_field,
            "error": answer.error,
        }
    )


def usd(amount: float, *, exact: bool = False) -> str:
    """Dollars for the page: cents, or every significant digit of a unit price."""
    if exact:
        # Unit prices go down to fractions of a cent: every significant digit, and
        # never fewer than the cents.
        whole, _, fraction = f"{amount:,.10f}".partition(".")
        return f"${whole}.{fraction.rstrip('0').ljust(2, '0')}"
    return f"${amount:,.2f}"


def number(value: float) -> str:
    """A quantity with thousands separators and no needless decimals."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.6g}"


def render_cost_table(cost: Mapping[str, Any], summary: str = "Monthly cost breakdown") -> str:
    """A cost estimate's lines and assumptions in a ``<details>``, as every tool shows them.

    Args:
        cost: ``{"lines": [{"item", "quantity", "unit", "unit_price_usd", "amount_usd"}],
            "assumptions": [str]}``.
        summary: The disclosure's label.
    """
    # Three columns, the middle one free to wrap, so the amounts fit a phone.
    rows = "".join(
        "<tr>"
        f"<td>{escape(str(line['item']))}</td>"
        f"<td>{number(line['quantity'])} {escape(str(line['unit']))} × "
        f"{usd(line['unit_price_usd'], exact=True)}</td>"
        f'<td class="calc-num">{usd(line["amount_usd"])}</td>'
        "</tr>"
        for line in cost["lines"]
    )
    assumptions = "".join(f"<li>{escape(text)}</li>" for text in cost.get("assumptions", []))
    return (
        f'<details class="calc-cost-details"><summary>{escape(summary)}</summary>'
        '<div class="calc-table-wrap"><table class="calc-table"><thead><tr>'
        '<th scope="col">Item</th>'
        '<th scope="col">Quantity × unit price</th><th scope="col">Amount</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
        + (f'<ul class="calc-assumptions">{assumptions}</ul>' if assumptions else "")
        + "</details>"
    )


def render_bar_chart(
    bars: Sequence[tuple[str, str, float]],
    *,
    title: str,
    description: str,
    prefix: str,
    category: str,
) -> str:
    """A horizontal bar chart of monthly costs, with the same numbers as a table.

    Args:
        bars: ``(css_id, label, monthly_usd)`` per bar, top to bottom.
        title: The chart's accessible title.
        description: What the chart shows, in words.
        prefix: The tool's id prefix (unique ids on a shared page).
        category: What a bar is, as the table's first column heading.

    Returns:
        A ``<figure>`` with an SVG (no inline styles; calculator.css colours it).
    """
    width, row, left, right = 420, 34, 120, 330
    height = row * len(bars) + 8
    top = max((usd_ for _, _, usd_ in bars), default=0.0) or 1.0
    shapes = []
    for index, (css_id, label, amount) in enumerate(bars):
        y = 4 + index * row
        length = round((right - left) * amount / top, 1)
        shapes.append(
            f'<text class="calc-tick" x="{left - 6}" y="{y + 20}" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect class="calc-bar calc-svc-{escape(css_id)}" x="{left}" y="{y + 6}" '
            f'width="{max(length, 1)}" height="20"/>'
            f'<text class="calc-tick" x="{left + max(length, 1) + 6}" y="{y + 20}">'
            f"{escape(usd(amount))}</text>"
        )
    rows = "".join(
        f'<tr><th scope="row">{escape(label)}</th><td class="calc-num">{usd(amount)}</td></tr>'
        for _, label, amount in bars
    )
    return (
        '<figure class="calc-chart">'
        f'<svg viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{prefix}chart-title {prefix}chart-desc" focusable="false">'
        f'<title id="{prefix}chart-title">{escape(title)}</title>'
        f'<desc id="{prefix}chart-desc">{escape(description)}</desc>' + "".join(shapes) + "</svg>"
        f"<figcaption>{escape(title)}</figcaption>"
        '<details class="calc-chart-data"><summary>The chart as a table</summary>'
        '<div class="calc-table-wrap"><table class="calc-table"><thead><tr>'
        f'<th scope="col">{escape(category)}</th><th scope="col">Per month</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div></details>"
        "</figure>"
    )
