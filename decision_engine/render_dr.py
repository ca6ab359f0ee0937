"""HTML for the disaster-recovery tool: the form, the ranking, the rejections, the cost chart.

The one renderer of the DR tool (see :mod:`decision_engine.tool_page`): the macro calls
it when the site is built, the page's worker for every change, so both answers are the
same HTML. Everything it prints is escaped here.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from decision_engine.dr import dr_schema, recommend_dr
from decision_engine.errors import InvalidInput
from decision_engine.tool_page import (
    LiveAnswer,
    PageContext,
    handbook_url,
    initial_values,
    inputs_from_form,
    render_bar_chart,
    render_cost_table,
    render_form,
    render_pillars,
    render_ranking,
    render_tool_shell,
    result_json_block,
    usd,
)

TOOL_ID = "dr"
FIELD_PREFIX = "dr-"


def live_answer(fields: Mapping[str, str], page: PageContext) -> LiveAnswer:
    """Answer the form as it stands: the page calls this for every change.

    Args:
        fields: Field name to the text of its control.
        page: Where the tool's page sits.

    Returns:
        The answer's HTML and summary, or the engine's message for the bad field.
    """
    try:
        result = recommend_dr(inputs_from_form(fields, dr_schema()))
    except InvalidInput as error:
        return LiveAnswer(html="", summary=str(error), error_field=error.field, error=str(error))
    return LiveAnswer(html=render_answer(result, page), summary=answer_summary(result))


def render_tool(page: PageContext, fields: Mapping[str, str] | None = None) -> str:
    """The whole DR tool for the build: the form and the answer for its values.

    Args:
        page: Where the tool's page sits.
        fields: Text values for some controls; the others keep their defaults.

    Returns:
        HTML for the form and the answer region (without the page's scripts).
    """
    schema = dr_schema()
    values = initial_values(schema)
    values.update(fields or {})
    answer = live_answer(values, page)
    form = render_form(
        schema,
        values,
        {answer.error_field: answer.error},
        prefix=FIELD_PREFIX,
        label="Recovery objectives and workload",
    )
    return render_tool_shell(form, answer, prefix=FIELD_PREFIX, title="Recommended strategy")


def answer_summary(result: Mapping[str, Any]) -> str:
    """One sentence that says what the answer is, for the status line."""
    ranking = result["ranking"]
    inputs = result["inputs"]
    objectives = (
        f"an RTO of {inputs['rto_minutes']:g} and an RPO of {inputs['rpo_minutes']:g} minutes"
    )
    if not ranking:
        return (
            f"No strategy meets {objectives} within your constraints: "
            f"all {len(result['ruled_out'])} are ruled out."
        )
    best = ranking[0]
    return (
        f"Best fit for {objectives}: {best['label']}, about "
        f"{usd(best['monthly_cost']['total_usd'])} a month for the recovery side. "
        f"{len(ranking)} of {len(ranking) + len(result['ruled_out'])} strategies meet them."
    )


def render_answer(result: Mapping[str, Any], page: PageContext) -> str:
    """The answer region: ranking, rejections, corruption warning, cost chart, pillars.

    Args:
        result: What :func:`decision_engine.dr.recommend_dr` returned.
        page: Where the tool's page sits.

    Returns:
        HTML, ending with the raw result as a JSON data block.
    """
    parts = [f'<p class="calc-summary">{escape(answer_summary(result))}</p>']
    if result["corruption"]:
        parts.append(
            '<div class="admonition warning calc-corruption">'
            '<p class="admonition-title">Replication copies corruption too</p>'
            f"<p>{_linked(result['corruption'], page)}</p></div>"
        )
    parts += render_ranking(result, page, _render_ranked, _render_ruled_out)
    # Every strategy, cheapest first (ruled-out ones too: what meeting more would cost).
    bars = sorted(
        (
            (entry["strategy"], entry["label"], entry["monthly_cost"]["total_usd"])
            for entry in [*result["ranking"], *result["ruled_out"]]
        ),
        key=lambda bar: bar[2],
    )
    parts.append(
        render_bar_chart(
            bars,
            title="Monthly cost of the recovery side, per strategy",
            description=(
                "Estimated monthly cost in US dollars of each strategy's recovery side "
                "for the inputs above: "
                + "; ".join(f"{label} {usd(amount)}" for _, label, amount in bars)
                + "."
            ),
            prefix=FIELD_PREFIX,
            category="Strategy",
        )
    )
    verified = "" if result["prices_verified"] else " (not re-read from AWS's pages)"
    parts.append(
        f'<p class="calc-footnote">Prices as of {escape(str(result["prices_as_of"]))}'
        f"{escape(verified)}. Typical recovery times and points: AWS whitepaper "
        f'<a href="{escape(result["sources"]["objectives"])}" rel="noopener">Disaster Recovery '
        "of Workloads on AWS</a>.</p>"
    )
    parts.append(render_pillars(result, page))
    parts.append(result_json_block(result))
    return "\n".join(parts)


def _linked(reason: Mapping[str, Any], page: PageContext) -> str:
    return (
        f'{escape(reason["text"])} <a href="{escape(handbook_url(reason["handbook"], page))}" '
        'aria-label="Why? See Multi-Region and disaster recovery in the handbook">Why?</a>'
    )


def _render_services(entry: Mapping[str, Any]) -> str:
    items = "".join(
        f"<li><strong>{escape(s['name'])}</strong>: {escape(s['use'])}</li>"
        for s in entry["services"]
    )
    return (
        '<details class="calc-services"><summary>AWS services it uses</summary>'
        f"<ul>{items}</ul></details>"
    )


def _render_ranked(rank: int, entry: Mapping[str, Any], page: PageContext) -> str:
    reasons = "".join(f"<li>{_linked(reason, page)}</li>" for reason in entry["reasons"])
    return (
        f'<li class="calc-service calc-svc-{escape(entry["strategy"])}">'
        f'<div class="calc-service-head"><span class="calc-rank">{rank}</span>'
        f'<strong class="calc-label">{escape(entry["label"])}</strong>'
        f'<span class="calc-cost">{usd(entry["monthly_cost"]["total_usd"])}/month</span></div>'
        f'<p class="calc-strategy-summary">{escape(entry["summary"])} '
        f'<a href="{escape(handbook_url(entry["handbook"], page))}">'
        f"More on {escape(entry['label'].lower())}</a></p>"
        f'<ul class="calc-reasons">{reasons}</ul>'
        f"{_render_services(entry)}"
        f"{render_cost_table(entry['monthly_cost'], 'Monthly cost of the recovery side')}</li>"
    )


def _render_ruled_out(entry: Mapping[str, Any], page: PageContext) -> str:
    reasons = "".join(
        f"<li>{_linked(reason, page)}"
        f' <span class="calc-limit">({escape(reason["objective"])}; '
        f'<a href="{escape(reason["source"])}" rel="noopener">source</a>, '
        f"as of {escape(str(reason['as_of']))})</span></li>"
        for reason in entry["reasons"]
    )
    return (
        f'<li class="calc-service calc-svc-{escape(entry["strategy"])}">'
        f'<strong class="calc-label">{escape(entry["label"])}</strong>'
        f' <span class="calc-cost">{usd(entry["monthly_cost"]["total_usd"])}/month</span>'
        f'<ul class="calc-reasons">{reasons}</ul></li>'
    )
