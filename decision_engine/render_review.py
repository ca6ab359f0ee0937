"""HTML (and Markdown) for the Well-Architected review: the questions and the report.

The one renderer of the review page. The macros module calls it when the site is built
(so the questions and an empty report are in the page with JavaScript off), and the
page's worker calls :func:`live_review_json` inside Pyodide for every change and for a
lens the reader loads. Standard library only and no I/O; everything printed is escaped
here, because the browser inserts it as HTML.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from .errors import InvalidInput
from .lens import Choice, Lens, Question, Resource, handbook_lens, read_lens_text
from .review import RISKS, review
from .tool_page import LiveAnswer, PageContext

# The tool framework's names for this renderer (see decision_engine.tool_page).
TOOL_ID = "review"
FIELD_PREFIX = "review-"

# The handbook lens links its sections with absolute URLs (the WA Tool format wants
# http(s) URLs); in the site they become relative links, so they work offline and on
# any host. tests/engine/test_render_review.py holds this equal to mkdocs.yml's site_url.
HANDBOOK_URL = "https://cloud-architecture-handbook.github.io/handbook/"

RISK_LABELS = {
    "HIGH": "High risk",
    "MEDIUM": "Medium risk",
    "NONE": "No risk",
    "UNANSWERED": "Unanswered",
    "NOT_APPLICABLE": "Not applicable",
}
# The chart's order: risks first, then what is not rated.
CHART_ORDER = ("HIGH", "MEDIUM", "NONE", "NOT_APPLICABLE", "UNANSWERED")

_BAR_WIDTH = 300
_BAR_HEIGHT = 18
_ROW = 30
_LABEL_WIDTH = 170

BUILD_TIME_NOTE = "Computed when this page was built: no answers yet."


def link(url: str | None, site_root: str) -> str | None:
    """A lens URL as the page links it: handbook URLs relative to the page."""
    if url and url.startswith(HANDBOOK_URL):
        return site_root + url.removeprefix(HANDBOOK_URL)
    return url


def _anchor(resource: Resource | None, site_root: str, label: str = "") -> str:
    if resource is None:
        return ""
    text = escape(label or resource.text)
    url = link(resource.url, site_root)
    if not url:
        return f'<span class="review-help">{text}</span>'
    external = "" if url.startswith(site_root) else ' rel="noopener"'
    return f'<a class="review-help" href="{escape(url)}"{external}>{text}</a>'


def _field_id(*parts: str) -> str:
    return FIELD_PREFIX + "-".join(parts)


def render_questions(lens: Lens, site_root: str) -> str:
    """The lens's questions as a form: a fieldset per question, grouped by pillar.

    Each choice is a checkbox named after its question and valued with its choice id;
    a "does not apply" box per question. The page restores saved answers into it.
    """
    sections = []
    for pillar in lens.pillars:
        questions = "\n".join(_render_question(q, site_root) for q in pillar.questions)
        sections.append(
            f'<section class="review-pillar" data-pillar="{escape(pillar.id)}">'
            f'<h2 id="{_field_id(pillar.id)}">{escape(pillar.name)}</h2>\n{questions}\n'
            "</section>"
        )
    return (
        f'<form class="review-form" novalidate aria-label="{escape(lens.name)}" '
        f'data-lens-name="{escape(lens.name)}">\n' + "\n".join(sections) + "\n</form>"
    )


def _render_question(question: Question, site_root: str) -> str:
    qid = escape(question.id)
    choices = []
    for choice in question.choices:
        box_id = _field_id(question.id, choice.id)
        none = ' data-none="true"' if choice.is_none_of_these else ""
        help_html = _anchor(choice.helpful, site_root)
        choices.append(
            f'<li><input type="checkbox" id="{box_id}" name="{qid}" '
            f'value="{escape(choice.id)}"{none}> <label for="{box_id}">{escape(choice.title)}'
            f"</label>" + (f"<br>{help_html}" if help_html else "") + "</li>"
        )
    na_id = _field_id(question.id, "na")
    description = (
        f'<p class="review-description">{escape(question.description)}</p>'
        if question.description
        else ""
    )
    return (
        f'<fieldset class="review-question" data-question="{qid}">'
        f"<legend>{escape(question.title)}</legend>{description}"
        f'<ul class="review-choices">{"".join(choices)}</ul>'
        f'<p class="review-na"><input type="checkbox" id="{na_id}" name="{qid}" '
        f'value="" data-not-applicable="true"> <label for="{na_id}">This question does not '
        "apply to the workload</label></p></fieldset>"
    )


def report_summary(result: Mapping[str, Any]) -> str:
    """One sentence for the status line: progress and the risks found."""
    counts = result["risk_counts"]
    return (
        f"{result['answered']} of {result['total']} questions answered: "
        f"{counts['HIGH']} high risk, {counts['MEDIUM']} medium risk."
    )


def render_report(result: Mapping[str, Any], site_root: str, lens: Lens) -> str:
    """The report: progress, the risk chart per pillar, and the improvement plan.

    Ends with the raw result as ``<script type="application/json">`` so tests and tools
    read exactly what the engine said.
    """
    practices_html = _practices(lens, site_root)
    parts = [
        f'<p class="review-summary">{escape(report_summary(result))}</p>',
        f'<progress class="review-progress" max="{result["total"]}" '
        f'value="{result["answered"]}">{result["answered"]} of {result["total"]}</progress>',
        render_risk_chart(result["pillar_risks"]),
        '<h3 class="review-subtitle">Improvement plan</h3>',
    ]
    if result["improvement_plan"]:
        parts.append('<ol class="review-plan">')
        for item in result["improvement_plan"]:
            practices = "".join(practices_html[p["choice"]] for p in item["practices"])
            parts.append(
                f'<li class="review-plan-item review-risk-{item["risk"].lower()}" '
                f'data-question="{escape(item["question"])}">'
                f'<span class="review-badge">{RISK_LABELS[item["risk"]]}</span> '
                f"<strong>{escape(item['title'])}</strong>"
                f'<ul class="review-practices">{practices}</ul></li>'
            )
        parts.append("</ol>")
    else:
        parts.append(
            '<p class="review-plan-empty">No high or medium risks among the answered questions.</p>'
        )
    raw = json.dumps(result).replace("<", "\\u003c")
    parts.append(f'<script type="application/json" class="review-result-json">{raw}</script>')
    return "\n".join(parts)


# The practices' HTML depends only on the lens and the page, so it is made once per lens
# and page: escaping the same texts on every answer was most of a report's time in
# Pyodide. Keyed by the lens object itself (kept alive by the entry), a few at a time.
_PRACTICES: dict[tuple[int, str], tuple[Lens, Mapping[str, str]]] = {}
_PRACTICES_KEPT = 4


def _practices(lens: Lens, site_root: str) -> Mapping[str, str]:
    key = (id(lens), site_root)
    cached = _PRACTICES.get(key)
    if cached is not None and cached[0] is lens:
        return cached[1]
    if len(_PRACTICES) >= _PRACTICES_KEPT:
        _PRACTICES.clear()
    html = {
        c.id: _practice_html(c, site_root)
        for _, q in lens.questions()
        for c in q.choices
        if not c.is_none_of_these
    }
    _PRACTICES[key] = (lens, html)
    return html


def _practice_html(choice: Choice, site_root: str) -> str:
    improvement = _anchor(choice.improvement, site_root)
    more = "".join(f"<li>{_anchor(r, site_root)}</li>" for r in choice.more_improvement)
    helpful = _anchor(choice.helpful, site_root, "Why it matters") if choice.helpful else ""
    return (
        f"<li><strong>{escape(choice.title)}</strong>: {improvement}"
        + (f"<ul>{more}</ul>" if more else "")
        + (f" ({helpful})" if helpful else "")
        + "</li>"
    )


def render_risk_chart(pillars: Sequence[Mapping[str, Any]]) -> str:
    """Horizontal stacked bars, one per pillar, of its questions' risks; plus the table."""
    rows = []
    for index, pillar in enumerate(pillars):
        y = index * _ROW
        x = _LABEL_WIDTH
        segments = []
        for risk in CHART_ORDER:
            count = pillar["risk_counts"][risk]
            if not count:
                continue
            width = round(_BAR_WIDTH * count / pillar["total"], 1)
            segments.append(
                f'<rect class="review-bar review-risk-{risk.lower()}" x="{x}" y="{y + 4}" '
                f'width="{width}" height="{_BAR_HEIGHT}"><title>{escape(pillar["name"])}: '
                f"{count} {RISK_LABELS[risk].lower()}</title></rect>"
            )
            x = round(x + width, 1)
        rows.append(
            f'<text class="review-tick" x="{_LABEL_WIDTH - 8}" y="{y + 17}" '
            f'text-anchor="end">{escape(pillar["name"])}</text>' + "".join(segments)
        )
    height = max(1, len(pillars)) * _ROW
    legend = "".join(
        f'<li><span class="review-swatch review-risk-{risk.lower()}"></span>'
        f"{RISK_LABELS[risk]}</li>"
        for risk in CHART_ORDER
    )
    head = "".join(f'<th scope="col">{RISK_LABELS[r]}</th>' for r in RISKS)
    body = "".join(
        f'<tr><th scope="row">{escape(p["name"])}</th>'
        + "".join(f'<td class="review-num">{p["risk_counts"][r]}</td>' for r in RISKS)
        + "</tr>"
        for p in pillars
    )
    return (
        '<figure class="review-chart">'
        f'<svg viewBox="0 0 {_LABEL_WIDTH + _BAR_WIDTH + 10} {height}" role="img" '
        'aria-labelledby="review-chart-title" focusable="false">'
        '<title id="review-chart-title">Questions by risk, per pillar</title>'
        + "".join(rows)
        + "</svg>"
        f'<ul class="review-legend">{legend}</ul>'
        "<figcaption>Each bar is one pillar's questions, by risk.</figcaption>"
        '<div class="review-table-wrap"><table class="review-table"><thead><tr>'
        f'<th scope="col">Pillar</th>{head}</tr></thead><tbody>{body}</tbody></table></div>'
        "</figure>"
    )


def review_markdown(result: Mapping[str, Any], lens: Lens, site_root: str = HANDBOOK_URL) -> str:
    """The report as Markdown, for the page's "Export as Markdown" (absolute links)."""
    choices = {c.id: c for _, q in lens.questions() for c in q.choices}
    lines = [
        f"# Well-Architected review: {result['lens']['name']}",
        "",
        report_summary(result),
        "",
        "| Pillar | " + " | ".join(RISK_LABELS[r] for r in RISKS) + " |",
        "| --- |" + " ---: |" * len(RISKS),
    ]
    lines += [
        f"| {p['name']} | " + " | ".join(str(p["risk_counts"][r]) for r in RISKS) + " |"
        for p in result["pillar_risks"]
    ]
    lines += ["", "## Improvement plan", ""]
    if not result["improvement_plan"]:
        lines.append("No high or medium risks among the answered questions.")
    for item in result["improvement_plan"]:
        lines += [f"### {RISK_LABELS[item['risk']]}: {item['title']}", ""]
        for practice in item["practices"]:
            choice = choices[practice["choice"]]
            improvement = _markdown_link(choice.improvement, site_root)
            lines.append(f"- **{practice['title']}**: {improvement}")
            lines += [f"  - {_markdown_link(r, site_root)}" for r in choice.more_improvement]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _markdown_link(resource: Resource | None, site_root: str) -> str:
    assert resource is not None  # every practice but "None of these" has one
    url = link(resource.url, site_root)
    return f"[{resource.text}]({url})" if url else resource.text


VIEWS = ("report", "questions", "markdown")


def live_review(fields: Mapping[str, str], site_root: str) -> dict[str, str]:
    """Answer one request of the page.

    Args:
        fields: ``state`` (JSON of the answers, as :func:`review` takes them), ``lens``
            (the text of the reader's lens file, ``""`` for the handbook's), ``view``
            (``report``, ``questions`` for the lens's form, or ``markdown``).
        site_root: The site root relative to the page.

    Returns:
        ``html`` (the report or the form; the Markdown text for ``markdown``), ``summary``
        (a sentence for the status line; the lens's name for ``questions``), and
        ``error`` (``""``, or the engine's one-line message, with the field it names in
        ``error_field``).
    """
    view = fields.get("view", "report")
    try:
        if view not in VIEWS:
            raise InvalidInput("view", view, ", ".join(VIEWS), "unknown view")
        lens = read_lens_text(fields["lens"]) if fields.get("lens") else handbook_lens()
        if view == "questions":
            return _answer(render_questions(lens, site_root), lens.name)
        try:
            document = json.loads(fields.get("state") or "{}")
        except ValueError as err:
            raise InvalidInput("$", fields["state"][:40], "answers as JSON", str(err)) from None
        result = review(document, lens)
    except InvalidInput as err:
        return {"html": "", "summary": "", "error_field": err.field, "error": str(err)}
    if view == "markdown":
        return _answer(review_markdown(result, lens), report_summary(result))
    return _answer(render_report(result, site_root, lens), report_summary(result))


def _answer(html: str, summary: str) -> dict[str, str]:
    return {"html": html, "summary": summary, "error_field": "", "error": ""}


def live_answer(fields: Mapping[str, str], page: PageContext) -> LiveAnswer:
    """:func:`live_review` in the tool framework's shape, for its worker entry point."""
    answer = live_review(fields, page.site_root)
    return LiveAnswer(answer["html"], answer["summary"], answer["error_field"], answer["error"])


def render_tool(page: PageContext, fields: Mapping[str, str] | None = None) -> str:
    """The whole tool for the build (the framework's name for :func:`render_review_page`).

    ``fields`` is accepted for the framework's interface; the build-time page always
    shows the handbook lens with no answers.
    """
    return render_review_page(page.site_root)


def live_review_json(request: str) -> str:
    """:func:`live_review` over JSON (``{"fields", "site_root"}``), for the web worker."""
    decoded = json.loads(request)
    return json.dumps(live_review(decoded["fields"], decoded["site_root"]))


def render_review_page(site_root: str) -> str:
    """The build-time tool: toolbar, the handbook lens's questions, the empty report.

    The toolbar's buttons stay hidden until the page's script shows them: without
    JavaScript there is nothing to press, and the questions and the report still read.
    """
    lens = handbook_lens()
    result = review({}, lens)
    file_types = ".json,application/json"
    return (
        '<div class="review-toolbar">'
        f'<p class="review-lens-name">Lens: <strong>{escape(lens.name)}</strong></p>'
        '<button type="button" class="md-button review-export-json" hidden>'
        "Export answers (JSON)</button> "
        '<label class="md-button review-import" hidden>Import answers (JSON)'
        f'<input type="file" class="review-file review-import-file" accept="{file_types}">'
        "</label> "
        '<button type="button" class="md-button review-export-md" hidden>'
        "Export report (Markdown)</button> "
        '<label class="md-button review-lens" hidden>Load your own lens'
        f'<input type="file" class="review-file review-lens-file" accept="{file_types}">'
        "</label> "
        '<button type="button" class="md-button review-lens-reset" hidden>'
        "Back to the handbook lens</button> "
        '<button type="button" class="md-button review-clear" hidden>Clear answers</button>'
        '<p class="review-message" role="status"></p>'
        "</div>\n"
        f'<div class="review-questions">{render_questions(lens, site_root)}</div>\n'
        '<section class="review-result" aria-labelledby="review-result-title">\n'
        '<h2 id="review-result-title">Report</h2>\n'
        f'<p class="review-engine">{BUILD_TIME_NOTE}</p>\n'
        '<p class="review-status md-visually-hidden" role="status"></p>\n'
        f'<div class="review-report">{render_report(result, site_root, lens)}</div>\n'
        "</section>"
    )
