"""HTML for the compute-choice calculator: the form, the answer and the cost chart.

This is the one renderer of the compute tool (see :mod:`decision_engine.tool_page` for
what every tool's renderer provides and shares). The macros module calls it when the
site is built, and the page calls it inside Pyodide for every change, so the answer a
reader sees before the engine starts and the live one are the same HTML. Standard
library only and no I/O, like the rest of the engine; everything it prints is
escaped here, because the browser inserts it as HTML.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from decision_engine import InvalidInput, compare_costs, input_schemas, recommend
from decision_engine.tool_page import (
    BUILD_TIME_NOTE,
    LiveAnswer,
    PageContext,
    answer_json,
    form_value,
    handbook_url,
    initial_values,
    inputs_from_form,
    render_cost_table,
    render_pillars,
    render_ranking,
    render_tool_shell,
    result_json_block,
)
from decision_engine.tool_page import number as _number
from decision_engine.tool_page import render_form as render_tool_form
from decision_engine.tool_page import usd as _usd

__all__ = [
    "BUILD_TIME_NOTE",
    "CHART_REQUESTS",
    "LiveAnswer",
    "PageContext",
    "answer_summary",
    "form_value",
    "handbook_url",
    "live_answer",
    "live_answer_json",
    "render_answer",
    "render_calculator",
    "render_cost_chart",
    "render_form",
    "render_tool",
    "workload_from_form",
]

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

TOOL_ID = "compute"
FIELD_PREFIX = "calc-"


def workload_from_form(fields: Mapping[str, str]) -> dict[str, object]:
    """Turn the form's (or the URL query's) text values into a workload for the engine.

    A value that does not parse as its field's type is passed on as the text the
    reader typed, so the engine rejects it with its own message.

    Args:
        fields: Field name to the text of its control.

    Returns:
        The workload, ready for :func:`decision_engine.recommend`.
    """
    return inputs_from_form(fields, input_schemas()["recommend"])


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
    """:func:`live_answer` over JSON, for the web worker: ``{"fields", "site_root"}`` in.

    The worker protocol of every tool (:func:`decision_engine.tool_page.answer_json`);
    a request that names no tool is answered by this one.
    """
    return answer_json(request)


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
    values = initial_values(input_schemas()["recommend"])
    values.update(fields or {})
    answer = live_answer(values, page)
    form = render_form(values, errors={answer.error_field: answer.error})
    return render_tool_shell(form, answer, prefix=FIELD_PREFIX, title="Recommendation")


render_tool = render_calculator


def render_form(values: Mapping[str, str], errors: Mapping[str, str] | None = None) -> str:
    """The calculator's form, generated from the engine's input schema.

    Args:
        values: Field name to the text its control shows.
        errors: Field name to the engine's message for it (shown beside the field).

    Returns:
        A ``<form>`` with one ``<fieldset>`` per ``x-group`` of the schema.
    """
    return render_tool_form(
        input_schemas()["recommend"], values, errors, prefix=FIELD_PREFIX, label="Workload"
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
        *render_ranking(result, page, _render_ranked, _render_ruled_out),
    ]
    if comparison["series"]:
        parts.append(render_cost_chart(comparison, result["workload"]["requests_per_month"]))
    parts.append(
        f'<p class="calc-footnote">Prices as of {escape(str(result["prices_as_of"]))}. '
        f"How cost enters the score: {escape(result['cost_weighting']['formula'])}</p>"
    )
    parts.append(render_pillars(result, page))
    parts.append(result_json_block(result))
    return "\n".join(p for p in parts if p)


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
    return render_cost_table(cost)


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
