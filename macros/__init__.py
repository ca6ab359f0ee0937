"""The mkdocs-macros module: embeds the decision tools in the pages that opt in.

Only pages with ``render_macros: true`` in their front matter run macros
(``render_by_default: false`` in ``mkdocs.yml``), so a note that contains ``{{ ... }}``
is shown as written. The build step that ships the engine to the browser runs after
every build, ``mkdocs serve`` rebuilds included.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from vault_renderer.page_sanitizer import CODE_PAGES

from macros.browser_runtime import BrowserRuntime, RuntimeBuildError, prepare_runtime
from macros.calculator import ASSETS, engine_files, render_tool_embed
from macros.csp_icons import write_icon_sheet
from macros.review import render_review_tool

log = logging.getLogger("mkdocs.plugins.macros.handbook")

# The only pages that may opt in to macros: the tool pages, reviewed with the engine.
# A note from a pull request that sets ``render_macros: true`` must not be able to run
# a template at build time (Jinja is not a sandbox), so the opt-in is refused elsewhere.
# They are the pages the vault plugin's HTML sanitiser leaves alone, for the same reason.
MACRO_PAGES = CODE_PAGES

# Each tool's macro, by name: ``{{ compute_calculator() }}`` embeds the compute tool.
TOOL_MACROS = {"compute_calculator": "compute", "dr_calculator": "dr"}


def define_env(env: Any) -> None:
    """Register the macros (called by mkdocs-macros when the config loads)."""
    # Prepared here, before any page renders, so a missing runtime stops the build
    # with one message instead of one error per page; on_post_build installs this same
    # one, so the pages and the site always name the same engine wheel even if a source
    # file changes during the build.
    runtime = _runtime(env)
    env.handbook_runtime = runtime
    # The head of a page with a tool loads its script and names the engine's files
    # (overrides/main.html), so a saved engine starts before the page's body is in.
    env.conf["extra"]["engine"] = {"script": ASSETS + "calculator.mjs", **engine_files(runtime)}

    for name, tool_id in TOOL_MACROS.items():
        env.macro(_tool_macro(env, runtime, tool_id), name)

    # The review is no form of fields: its own embed, on the same engine and worker.
    @env.macro
    def well_architected_review() -> str:
        """The Well-Architected review: questions, report and page scripts."""
        return render_review_tool(
            runtime, page_url=env.page.url, directory_urls=env.conf["use_directory_urls"]
        )


def _tool_macro(env: Any, runtime: BrowserRuntime, tool_id: str) -> Any:
    def embed() -> str:
        """A decision tool: form, build-time answer and page scripts."""
        return render_tool_embed(
            runtime, tool_id, page_url=env.page.url, directory_urls=env.conf["use_directory_urls"]
        )

    return embed


def on_pre_page_macros(env: Any) -> None:
    """Refuse ``render_macros: true`` outside the tool pages, with a warning."""
    meta = env.page.meta
    source = env.page.file.src_uri
    if meta.get("render_macros") is True and not source.startswith(MACRO_PAGES):
        # The page's meta is the dict mkdocs-macros reads next, so this keeps the
        # note's `{{ ... }}` exactly as written.
        meta["render_macros"] = False
        log.warning(
            "docs/%s: render_macros is allowed only on pages under %s; "
            "the page is shown as written, without running its macros",
            source,
            ", ".join(f"docs/{prefix}" for prefix in MACRO_PAGES),
        )


def on_post_build(env: Any) -> None:
    """Copy Pyodide, the compiled library and the engine wheel into the site, and
    Material's icons as files (the site's CSP forbids their ``data:`` URLs)."""
    site_dir = Path(env.conf["site_dir"])
    env.handbook_runtime.install(site_dir)
    write_icon_sheet(site_dir)


def _runtime(env: Any) -> BrowserRuntime:
    try:
        return prepare_runtime(Path(env.project_dir))
    except RuntimeBuildError as error:
        # PluginError makes MkDocs print the message and stop, without a traceback.
        raise PluginError(str(error)) from error
