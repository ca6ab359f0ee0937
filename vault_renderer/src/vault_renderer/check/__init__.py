"""The contributor check: what is wrong in the vault, where, and how to fix it.

Every rule of Obsidian syntax (front matter, link resolution, heading anchors, the SVG
sanitiser, the Excalidraw decoder) comes from the renderer's own modules, so the check
and the published site cannot disagree; this package only walks the vault, turns what
those functions say into findings and prints them.
"""

from vault_renderer.check.checker import CheckOptions, CheckResult, check_project
from vault_renderer.check.cli import main
from vault_renderer.check.findings import CHECKS, Check, Finding, Severity

__all__ = [
    "CHECKS",
    "Check",
    "CheckOptions",
    "CheckResult",
    "Finding",
    "Severity",
    "check_project",
    "main",
]
