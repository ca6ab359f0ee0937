"""A decision tool as a page embeds it: the engine's HTML plus the page wiring.

Every tool goes through :func:`render_tool_embed`: the same stylesheet, the same page
script (``calculator.mjs``) and the same engine worker serve them all, so a page with
two tools starts one engine.
"""

from __future__ import annotations

from html import escape

from decision_engine.tool_page import PageContext, renderer
from decision_engine.tools import tools
from macros.browser_runtime import BrowserRuntime

# The page's own scripts and styles, copied from docs/ like any static file.
ASSETS = "assets/calculator/"

NO_SCRIPT_NOTE = (
    "JavaScript is off, so this is the answer for the default inputs, computed when "
    "the page was built. For other inputs, run "
    "<code>python -m decision_engine {command}</code> with your input as JSON."
)


def tool_data_attributes(
    runtime: BrowserRuntime, tool_id: str, root: str, directory_urls: bool
) -> str:
    """The ``data-*`` attributes of a tool's root element, read by the page scripts.

    They name the tool, where the site's root is, and the runtime the shared engine
    worker loads: every tool's page wiring reads the same ones.
    """
    tool = tools()[tool_id]
    data = {
        "tool": tool.id,
        "command": tool.command,
        "site-root": root,
        "directory-urls": "true" if directory_urls else "false",
        **{name: root + path for name, path in engine_files(runtime).items()},
    }
    return " ".join(f'data-{name}="{escape(value)}"' for name, value in data.items())


def engine_files(runtime: BrowserRuntime) -> dict[str, str]:
    """The engine's files, from the site root, by the ``data-*`` name the page scripts
    read them under (a tool's root element, and the page head's script: see
    overrides/main.html)."""
    return {
        "pyodide": runtime.index_path,
        "stdlib": runtime.stdlib_path,
        "lock": runtime.lock_path,
        # One worker for the whole site: one engine serves every tool on a page.
        "worker": ASSETS + "engine-worker.mjs",
    }


def site_root_for(page_url: str) -> str:
    """The relative URL from a page to the site root (``"tools/compute/"`` -> ``"../../"``)."""
    return "../" * page_url.count("/") or "./"


def render_tool_embed(
    runtime: BrowserRuntime, tool_id: str, page_url: str, directory_urls: bool
) -> str:
    """A tool's HTML for one page, with the data the shared page script needs.

    Args:
        runtime: The prepared browser runtime (gives the URLs of Pyodide and the wheel).
        tool_id: The tool's id in :func:`decision_engine.tools.tools`.
        page_url: The page's URL relative to the site root, as MkDocs gives it.
        directory_urls: MkDocs' ``use_directory_urls``.

    Returns:
        One HTML block (no blank lines, so Markdown passes it through untouched).
    """
    tool = tools()[tool_id]
    root = site_root_for(page_url)
    attributes = tool_data_attributes(runtime, tool_id, root, directory_urls)
    page = PageContext(site_root=root, directory_urls=directory_urls)
    body = renderer(tool.id).render_tool(page)
    note = NO_SCRIPT_NOTE.format(command=escape(tool.command))
    html = (
        f'<div class="calc" {attributes}>\n'
        f'<link rel="stylesheet" href="{escape(root + ASSETS)}calculator.css">\n'
        f'<noscript><p class="calc-note">{note}</p></noscript>\n'
        f"{body}\n"
        # The page's head loads it too, earlier (overrides/main.html): one module.
        f'<script type="module" async src="{escape(root + ASSETS)}calculator.mjs"></script>\n'
        "</div>"
    )
    return "\n".join(line for line in html.splitlines() if line.strip())
