"""HTML for the compute-choice calculator: the form, the answer and the cost chart.

This is the one renderer of the calculator. The macros module calls it when the site
is built, and the page calls it inside Pyodide for every change, so the answer a
reader sees before the engine starts and the live one are the same HTML. Standard
library only and no I/O, like the rest of the engine; everything it prints is
escaped here, because the browser inserts it as HTML.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote

from decision_engine import InvalidInput, compare_costs, input_schemas, recommend

# The x axis of the cost chart: decades from a thousand to a billion requests, plus
# the reader's own level. Pricing every level is most of a live answer's time in the
# browser, so the chart samples decades only.
CHART_REQUESTS: tuple[int, ...] = tuple(10**exponent for exponent in range(3, 10))

# The chart's drawing box in SVG user units; the text sizes in calculator.css are
# chosen for this width so labels stay readable when the SVG shrinks to a phone.
_CHART_WIDTH = 420
_CHART_HEIGHT = 270
_PLOT_LEFT, _PLOT_RIGHT, _PLOT_TOP, _PLOT_BOTTOM = 50, 408, 16, 232
# Costs under a dollar are drawn on the bottom line of the log scale.
_CHART_FLOOR_USD = 1.0
# Dash patterns tell the series apart without colour.
_DASHES = ("", "8 4", "2 4", "10 3 2 3", "4 4", "1 3", "12 6")

_FIELD_ID_PREFIX = "calc-"

BUILD_TIME_NOTE = "Computed when this page was built, for the inputs shown."


@dataclass(frozen=True)
class PageContext:
    """Where the calculator's page sits in the site, to turn handbook paths into URLs.

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


def handbook_url(path: str, page: PageContext) -> str:
    """Turn an engine link such as ``"07 Compute/Note.md#heading"`` into a page URL.

    Args:
        path: A docs-relative Markdown path, optionally with an ``#anchor``.
        page: Where the calculator's page sits.

    Returns:
        The URL relative to the calculator's page, quoted the way MkDocs quotes its
        own page URLs.
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


def recommend_fields() -> list[tuple[str, dict[str, Any]]]:
    """The ``recommend`` input's properties in the order the form shows them."""
    properties = input_schemas()["recommend"]["properties"]
    return sorted(properties.items(), key=lambda item: (item[1].get("x-order", 0), item[0]))


def form_value(value: object) -> str:
    """The text a form control holds for a workload value (``True`` is ``"true"``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def workload_from_form(fields: Mapping[str, str]) -> dict[str, object]:
    """Turn the form's (or the URL query's) text values into a workload for the engine.

    A value that does not parse as its field's type is passed on as the text the
    reader typed, so the engine rejects it with its own message.

    Args:
        fields: Field name to the text of its control.

    Returns:
        The workload, ready for :func:`decision_engine.recommend`.
    """
    properties = input_schemas()["recommend"]["properties"]
    return {name: _parse_field(text, properties.get(name, {})) for name, text in fields.items()}


def _parse_field(text: str, schema: Mapping[str, Any]) -> object:
    kind = schema.get("type")
    if kind == "boolean":
        return {"true": True, "false": False}.get(text.strip().lower(), text)
    if kind in ("integer", "number"):
        # Readers write big numbers with separators ("1,000,000", "1_000_000").
        plain = text.strip().replace(",", "").replace("_", "")
        for parse in (int, float):
            try:
                return parse(plain)
            except ValueError:
                continue
    return text


def live_answer(fields: Mapping[str, str], page: PageContext) -> LiveAnswer:
    """Answer the form as it stands: the page calls this for every change.

    Args:
        fields: Field name to the text of its control.
        page: Where the calculator's page sits.

    Returns:
        The answer's HTML and summary, or the engine's message for the bad field.
    """
    workload = workload_from_form(fields)
    try:
        result = recommend(workload)
        comparison = _comparison(result)
    except InvalidInput as error:
        return LiveAnswer(html="", summary=str(error), error_field=error.field, error=str(error))
    return LiveAnswer(html=render_answer(result, comparison, page), summary=answer_summary(result))


def live_answer_json(request: str) -> str:
    """:func:`live_answer` over JSON, for the web worker: ``{"fields", "site_root"}`` in."""
    decoded = json.loads(request)
    page = PageContext(
        site_root=decoded["site_root"], directory_urls=decoded.get("directory_urls", True)
    )
    answer = live_answer(decoded["fields"], page)
    return json.dumps(
        {
            "html": answer.html,
            "summary": answer.summary,
            "error_field": answer.error_field,
            "error": answer.error,
        }
    )


def _comparison(result: Mapping[str, Any]) -> dict[str, Any]:
    # The reader's own level joins the chart's, so the marker sits on the lines.
    workload = result["workload"]
    if not result["ranking"]:
        return {"requests_per_month": [], "series": []}
    levels = set(CHART_REQUESTS)
    if workload["requests_per_month"] > 0:  # a log scale has no zero
        levels.add(workload["requests_per_month"])
    return compare_costs(workload, sorted(levels))


def render_calculator(page: PageContext, fields: Mapping[str, str] | None = None) -> str:
    """The whole calculator for the build: the form and the answer for its values.

    Args:
        page: Where the calculator's page sits.
        fields: Text values for some controls; the others keep their defaults.

    Returns:
        HTML for the form and the answer region (without the page's scripts).
    """
    values = {name: form_value(schema.get("default", "")) for name, schema in recommend_fields()}
    values.update(fields or {})
    answer = live_answer(values, page)
    form = render_form(values, errors={answer.error_field: answer.error})
    return (
        f"{form}\n"
        '<section class="calc-result" aria-labelledby="calc-result-title">\n'
        '<h2 id="calc-result-title">Recommendation</h2>\n'
        f'<p class="calc-engine">{BUILD_TIME_NOTE}</p>\n'
        # Filled in by the page on each live update, for screen readers: the visible
        # summary is part of the answer itself.
        '<p class="calc-status calc-sr-only" role="status"></p>\n'
        f'<div class="calc-answer">{answer.html}</div>\n'
        "</section>"
    )


def render_form(values: Mapping[str, str], errors: Mapping[str, str] | None = None) -> str:
    """The calculator's form, generated from the engine's input schema.

    Args:
        values: Field name to the text its control shows.
        errors: Field name to the engine's message for it (shown beside the field).

    Returns:
        A ``<form>`` with one ``<fieldset>`` per ``x-group`` of the schema.
    """
    errors = errors or {}
    groups: dict[str, list[str]] = {}
    for name, schema in recommend_fields():
        control = _render_field(name, schema, values.get(name, ""), errors.get(name, ""))
        groups.setdefault(schema.get("x-group", "Workload"), []).append(control)
    fieldsets = "\n".join(
        f'<fieldset class="calc-group"><legend>{escape(group)}</legend>\n'
        + "\n".join(controls)
        + "\n</fieldset>"
        for group, controls in groups.items()
    )
    return (
        '<form class="calc-form" novalidate aria-label="Workload">\n'
        f"{fieldsets}\n"
        '<div class="calc-actions">'
        '<button type="button" class="md-button calc-copy" hidden>Copy link</button> '
        '<button type="reset" class="md-button calc-reset" hidden>Reset to defaults</button> '
        '<span class="calc-copy-status" role="status"></span>'
        "</div>\n"
        "</form>"
    )


def _render_field(name: str, schema: Mapping[str, Any], value: str, error: str) -> str:
    field_id = f"{_FIELD_ID_PREFIX}{name}"
    title = escape(schema.get("title", name))
    unit = schema.get("x-unit")
    unit_html = f' <span class="calc-unit">({escape(unit)})</span>' if unit else ""
    default = escape(form_value(schema.get("default", "")))
    described = f"{field_id}-help {field_id}-error"
    common = (
        f'id="{field_id}" name="{escape(name)}" data-default="{default}" '
        f'aria-describedby="{described}"' + (' aria-invalid="true"' if error else "")
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
                + f">{escape(names.get(option, str(option)))}</option>"
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


def answer_summary(result: Mapping[str, Any]) -> str:
    """One sentence that says what the answer is, for the status line."""
    ranking = result["ranking"]
    ruled_out = len(result["ruled_out"])
    if not ranking:
        return f"No service fits this workload: all {ruled_out} are ruled out."
    best = ranking[0]
    return (
        f"Best fit: {best['label']}, about {_usd(best['monthly_cost']['total_usd'])} a month. "
        f"{len(ranking)} {'service fits' if len(ranking) == 1 else 'services fit'}, "
        f"{ruled_out} ruled out."
    )


def render_answer(
    result: Mapping[str, Any],
    comparison: Mapping[str, Any],
    page: PageContext,
) -> str:
    """The answer region: ranking with reasons and costs, rejections, the cost chart.

    Args:
        result: What :func:`decision_engine.recommend` returned.
        comparison: What :func:`decision_engine.compare_costs` returned for the
            chart's range of requests.
        page: Where the calculator's page sits.

    Returns:
        HTML, ending with the raw result as ``<script type="application/json">``
        so tests and tools read exactly what the engine said.
    """
    parts = [
        f'<p class="calc-summary">{escape(answer_summary(result))}</p>',
        '<ol class="calc-ranking">',
        *(_render_ranked(rank, entry, page) for rank, entry in enumerate(result["ranking"], 1)),
        "</ol>",
    ]
    if result["ruled_out"]:
        parts += [
            '<h3 class="calc-subtitle">Ruled out</h3>',
            '<ul class="calc-ruled-out">',
            *(_render_ruled_out(entry, page) for entry in result["ruled_out"]),
            "</ul>",
        ]
    if comparison["series"]:
        parts.append(render_cost_chart(comparison, result["workload"]["requests_per_month"]))
    parts.append(
        f'<p class="calc-footnote">Prices as of {escape(str(result["prices_as_of"]))}. '
        f"How cost enters the score: {escape(result['cost_weighting']['formula'])}</p>"
    )
    # No "<" inside the block, so no text can end it early or open a comment in it.
    raw = json.dumps(result, sort_keys=True).replace("<", "\\u003c")
    parts.append(f'<script type="application/json" class="calc-result-json">{raw}</script>')
    return "\n".join(parts)


def _render_ranked(rank: int, entry: Mapping[str, Any], page: PageContext) -> str:
    cost = entry["monthly_cost"]
    reasons = "".join(f"<li>{_reason_text(reason, page)}</li>" for reason in entry["reasons"])
    return (
        f'<li class="calc-service calc-svc-{escape(entry["service"])}">'
        f'<div class="calc-service-head"><span class="calc-rank">{rank}</span>'
        f'<strong class="calc-label">{escape(entry["label"])}</strong>'
        f'<span class="calc-score">score {_number(entry["score"])}</span>'
        f'<span class="calc-cost">{_usd(cost["total_usd"])}/month</span></div>'
        f'<ul class="calc-reasons">{reasons}</ul>'
        f"{_render_cost_details(cost)}</li>"
    )


def _render_cost_details(cost: Mapping[str, Any]) -> str:
    # Three columns, the middle one free to wrap, so the amounts fit a phone.
    rows = "".join(
        "<tr>"
        f"<td>{escape(str(line['item']))}</td>"
        f"<td>{_number(line['quantity'])} {escape(str(line['unit']))} × "
        f"{_usd(line['unit_price_usd'], exact=True)}</td>"
        f'<td class="calc-num">{_usd(line["amount_usd"])}</td>'
        "</tr>"
        for line in cost["lines"]
    )
    assumptions = "".join(f"<li>{escape(text)}</li>" for text in cost.get("assumptions", []))
    return (
        '<details class="calc-cost-details"><summary>Monthly cost breakdown</summary>'
        '<div class="calc-table-wrap"><table class="calc-table"><thead><tr>'
        '<th scope="col">Item</th>'
        '<th scope="col">Quantity × unit price</th><th scope="col">Amount</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
        + (f'<ul class="calc-assumptions">{assumptions}</ul>' if assumptions else "")
        + "</details>"
    )


def _reason_text(reason: Mapping[str, Any], page: PageContext) -> str:
    text = escape(reason["text"])
    link = reason["handbook"]
    # Many "Why?" links share a list: the label says where each one goes.
    note = link.partition("#")[0].rpartition("/")[2].removesuffix(".md")
    return (
        f'{text} <a href="{escape(handbook_url(link, page))}" '
        f'aria-label="Why? See {escape(note)} in the handbook">Why?</a>'
    )


def _render_ruled_out(entry: Mapping[str, Any], page: PageContext) -> str:
    reasons = "".join(
        f"<li>{_reason_text(reason, page)}{_limit_note(reason)}</li>" for reason in entry["reasons"]
    )
    return (
        f'<li class="calc-service calc-svc-{escape(entry["service"])}">'
        f'<strong class="calc-label">{escape(entry["label"])}</strong>'
        f'<ul class="calc-reasons">{reasons}</ul></li>'
    )


def _limit_note(reason: Mapping[str, Any]) -> str:
    # Every rule that rules a service out names its limit, source and date.
    return (
        f' <span class="calc-limit">(limit: {escape(str(reason["limit"]))}; '
        f'<a href="{escape(reason["source"])}" rel="noopener">source</a>, '
        f"as of {escape(str(reason['as_of']))})</span>"
    )


def render_cost_chart(comparison: Mapping[str, Any], reader_requests: int | None) -> str:
    """An inline SVG line chart of monthly cost against monthly requests, log-log.

    Args:
        comparison: What :func:`decision_engine.compare_costs` returned.
        reader_requests: The reader's requests per month, marked on the chart.

    Returns:
        A ``<figure>`` with the SVG, a legend and the same numbers as a table.
    """
    requests: Sequence[int] = comparison["requests_per_month"]
    series: Sequence[Mapping[str, Any]] = comparison["series"]
    x_min, x_max = math.log10(min(requests)), math.log10(max(requests))
    highest = max(max(s["monthly_usd"]) for s in series)
    y_max = max(1, math.ceil(math.log10(max(highest, _CHART_FLOOR_USD * 10))))
    y_min = math.log10(_CHART_FLOOR_USD)

    def x_at(count: float) -> float:
        share = (math.log10(count) - x_min) / (x_max - x_min or 1)
        return round(_PLOT_LEFT + share * (_PLOT_RIGHT - _PLOT_LEFT), 1)

    def y_at(usd: float) -> float:
        share = (math.log10(max(usd, _CHART_FLOOR_USD)) - y_min) / (y_max - y_min)
        return round(_PLOT_BOTTOM - share * (_PLOT_BOTTOM - _PLOT_TOP), 1)

    grid = []
    for exponent in range(math.ceil(x_min), math.floor(x_max) + 1):
        x = x_at(10**exponent)
        grid.append(
            f'<line class="calc-grid" x1="{x}" y1="{_PLOT_TOP}" x2="{x}" y2="{_PLOT_BOTTOM}"/>'
            f'<text class="calc-tick" x="{x}" y="{_PLOT_BOTTOM + 18}" text-anchor="middle">'
            f"{_short_count(10**exponent)}</text>"
        )
    for exponent in range(0, y_max + 1):
        y = y_at(10**exponent)
        label = "≤ $1" if exponent == 0 else _short_usd(10**exponent)
        grid.append(
            f'<line class="calc-grid" x1="{_PLOT_LEFT}" y1="{y}" x2="{_PLOT_RIGHT}" y2="{y}"/>'
            f'<text class="calc-tick" x="{_PLOT_LEFT - 6}" y="{y + 4}" text-anchor="end">'
            f"{label}</text>"
        )
    lines = []
    for index, entry in enumerate(series):
        points = " ".join(
            f"{x_at(count)},{y_at(usd)}"
            for count, usd in zip(requests, entry["monthly_usd"], strict=True)
        )
        dash = _DASHES[index % len(_DASHES)]
        lines.append(
            f'<polyline class="calc-line calc-svc-{escape(entry["service"])}" points="{points}"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + "/>"
        )
    marker = ""
    if reader_requests in requests:
        x = x_at(reader_requests)
        position = requests.index(reader_requests)
        dots = "".join(
            f'<circle class="calc-dot calc-svc-{escape(entry["service"])}" cx="{x}" '
            f'cy="{y_at(entry["monthly_usd"][position])}" r="4"/>'
            for entry in series
        )
        marker = (
            f'<line class="calc-you" x1="{x}" y1="{_PLOT_TOP}" x2="{x}" y2="{_PLOT_BOTTOM}"/>'
            f'<text class="calc-tick calc-you-label" x="{x}" y="{_PLOT_TOP - 2}" '
            f'text-anchor="{"end" if x > _CHART_WIDTH / 2 else "start"}">'
            f"you: {_short_count(reader_requests)}</text>{dots}"
        )
    legend = "".join(
        f'<li class="calc-svc-{escape(entry["service"])}">'
        f'<svg class="calc-swatch" width="24" height="8" viewBox="0 0 24 8" aria-hidden="true">'
        f'<line class="calc-line" x1="0" y1="4" x2="24" y2="4"'
        + (f' stroke-dasharray="{_DASHES[i % len(_DASHES)]}"' if _DASHES[i % len(_DASHES)] else "")
        + f"/></svg>{escape(entry['label'])}</li>"
        for i, entry in enumerate(series)
    )
    description = (
        f"Monthly cost in US dollars of {', '.join(s['label'] for s in series)}, "
        f"from {_short_count(min(requests))} to {_short_count(max(requests))} requests "
        "a month, both axes logarithmic."
    )
    return (
        '<figure class="calc-chart">'
        f'<svg viewBox="0 0 {_CHART_WIDTH} {_CHART_HEIGHT + 8}" role="img" '
        'aria-labelledby="calc-chart-title calc-chart-desc" focusable="false">'
        '<title id="calc-chart-title">Monthly cost by requests per month</title>'
        f'<desc id="calc-chart-desc">{escape(description)}</desc>'
        + "".join(grid)
        + "".join(lines)
        + marker
        + f'<text class="calc-tick" x="{(_PLOT_LEFT + _PLOT_RIGHT) / 2}" y="{_CHART_HEIGHT + 6}"'
        ' text-anchor="middle">requests per month</text>'
        "</svg>"
        f'<ul class="calc-legend">{legend}</ul>'
        "<figcaption>Monthly cost against monthly requests, with your workload marked; "
        "the other inputs as above.</figcaption>"
        f"{_render_chart_table(requests, series, reader_requests)}"
        "</figure>"
    )


def _render_chart_table(
    requests: Sequence[int], series: Iterable[Mapping[str, Any]], reader: int | None
) -> str:
    head = "".join(f'<th scope="col">{_short_count(count)}</th>' for count in requests)
    body = "".join(
        f'<tr><th scope="row">{escape(entry["label"])}</th>'
        + "".join(f'<td class="calc-num">{_usd(usd)}</td>' for usd in entry["monthly_usd"])
        + "</tr>"
        for entry in series
    )
    return (
        '<details class="calc-chart-data"><summary>The chart as a table</summary>'
        '<div class="calc-table-wrap"><table class="calc-table"><thead><tr>'
        '<th scope="col">Requests a month</th>'
        f"{head}</tr></thead><tbody>{body}</tbody></table></div>"
        + (f"<p>Your workload: {reader:,} requests a month.</p>" if reader else "")
        + "</details>"
    )


def _usd(amount: float, *, exact: bool = False) -> str:
    if exact:
        # Unit prices go down to fractions of a cent: every significant digit, and
        # never fewer than the cents.
        whole, _, fraction = f"{amount:,.10f}".partition(".")
        return f"${whole}.{fraction.rstrip('0').ljust(2, '0')}"
    return f"${amount:,.2f}"


def _number(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.6g}"


def _short_count(count: float) -> str:
    for size, suffix in ((10**9, "B"), (10**6, "M"), (10**3, "k")):
        if count >= size:
            return f"{count / size:.3g}{suffix}"
    return f"{count:g}"


def _short_usd(amount: float) -> str:
    for size, suffix in ((10**6, "M"), (10**3, "k")):
        if amount >= size:
            return f"${amount / size:g}{suffix}"
    return f"${amount:g}"
