"""The Well-Architected review as its page embeds it: the engine's HTML plus the wiring.

The questions, toolbar and empty report come from the engine's renderer
(:func:`decision_engine.render_review.render_review_page`); the page script
(``assets/review/review.mjs``) keeps answers in the browser and asks the shared engine
worker for each report.
"""

from __future__ import annotations

from html import escape

from decision_engine.render_review import render_tool
from decision_engine.tool_page import PageContext
from macros.browser_runtime import BrowserRuntime
from macros.calculator import site_root_for, tool_data_attributes

ASSETS = "assets/review/"

NO_SCRIPT_NOTE = (
    "JavaScript is off: the questions below read as a checklist, and the report is the "
    "one for no answers, computed when the page was built. To rate your answers, run "
    "<code>python -m decision_engine review</code> with them as JSON."
)


def render_review_tool(runtime: BrowserRuntime, page_url: str, directory_urls: bool) -> str:
    """The review's HTML for its page, with the data its script needs.

    Args:
        runtime: The prepared browser runtime (gives the URLs of Pyodide and the wheel).
        page_url: The page's URL relative to the site root, as MkDocs gives it.
        directory_urls: MkDocs' ``use_directory_urls``.

    Returns:
        One HTML block (no blank lines, so Markdown passes it through untouched).
    """
    root = site_root_for(page_url)
    attributes = tool_data_attributes(runtime, "review", root, directory_urls)
    html = (
        f'<div class="review" {attributes}>\n'
        f'<link rel="stylesheet" href="{escape(root + ASSETS)}review.css">\n'
        f'<noscript><p class="review-note">{NO_SCRIPT_NOTE}</p></noscript>\n'
        f"{render_tool(PageContext(site_root=root, directory_urls=directory_urls))}\n"
        f'<script type="module" src="{escape(root + ASSETS)}review.mjs"></script>\n'
        "</div>"
    )
    return "\n".join(line for line in html.splitlines() if line.strip())
