"""A real Obsidian vault built as the handbook's docs: how much of it publishes as it is.

Copies a vault (for example Obsidian's own help vault) into a temporary directory as
``docs/`` and builds it with the handbook's ``mkdocs.yml`` (theme, Markdown extensions,
the ``obsidian-vault`` plugin's options) in a fresh interpreter, without the hand-made
``nav:``, the privacy plugin and the macros plugin: the first names the handbook's own
pages, the second downloads external media, the third ships the calculator, and none
of them is what this trial measures. It prints the numbers issue 9 asks for: notes,
pages, unresolved links (targets and occurrences, as the unresolved-links page lists
them, and as the pages mark them), warnings and build seconds.

Nothing of the vault is committed: pass its directory. ``make bench`` does not run it.

    python -m bench.real_vault /work/realvaults/obsidian-help [--rounds 3] [--list]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_UNRESOLVED_SPAN = re.compile(r'class="vault-unresolved"[^>]*>(?P<text>[^<]*)<')

_CHILD = r"""
import json, logging, sys, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

handbook, docs, site, cache = sys.argv[1:5]
counts = {}
messages = []

class Count(logging.Handler):
    def emit(self, record):
        counts[record.levelname] = counts.get(record.levelname, 0) + 1
        vault = record.name.startswith("mkdocs.plugins.vault")
        if record.levelno >= logging.WARNING or (vault and record.levelno >= logging.INFO):
            messages.append(record.levelname + " " + record.getMessage())

logging.getLogger("mkdocs").addHandler(Count())
logging.getLogger("mkdocs").setLevel(logging.INFO)
plugins = [
    "search",
    "tags",
    {"obsidian-vault": {
        # The handbook's own options (mkdocs.yml), with no extra root: the vault is docs.
        "extra_roots": [],
        "unresolved_links_page": "unresolved-links.md",
        "unresolved_link_level": "info",
        "transclusion_depth": 3,
        "cache_dir": cache,
    }},
]
config = load_config(handbook, docs_dir=docs, site_dir=site, plugins=plugins)
# load_config ignores an override of None; without a nav, MkDocs lists every page.
config["nav"] = None
wall, cpu = time.perf_counter(), time.process_time()
try:
    build(config)
except BaseException as error:  # MkDocs logs why; its logger has no console here
    print(json.dumps({"failed": repr(error), "last messages": messages[-3:]}))
    sys.exit(1)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
plugin = config.plugins["obsidian-vault"]
report = plugin.report
unresolved = {
    target: [f"{link.source}:{link.occurrence.line}: {link.occurrence.raw}" for link in links]
    for target, links in report.unresolved.items()
}
anchors = [
    f"{link.source}:{link.occurrence.line}: {link.occurrence.raw}: {link.resolution.problem}"
    for link in report.links if link.broken_anchor
]
print(json.dumps({
    "wall": wall, "cpu": cpu, "levels": counts, "messages": messages,
    "unresolved": unresolved, "broken_anchors": anchors,
}))
"""


_LINKS_CHILD = r"""
import json, sys, time
from pathlib import Path
from vault_renderer.embeds import VaultReader
from vault_renderer.report import scan_vault
from vault_renderer.vault import Vault

docs = Path(sys.argv[1])
wall, cpu = time.perf_counter(), time.process_time()
vault = Vault.from_directories(docs)
report = scan_vault(vault, VaultReader({"": docs}).read_text, suggest=False)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(json.dumps({
    "wall": wall, "cpu": cpu,
    "unresolved": {
        target: [f"{link.source}:{link.occurrence.line}: {link.occurrence.raw}" for link in links]
        for target, links in report.unresolved.items()
    },
    "broken_anchors": [
        f"{link.source}:{link.occurrence.line}: {link.occurrence.raw}: {link.resolution.problem}"
        for link in report.links if link.broken_anchor
    ],
}))
"""


def links_only(vault: Path, *, python: str = sys.executable) -> dict[str, object]:
    """Index ``vault`` and resolve its links as a build does, without rendering pages.

    For a vault too large to build in the time at hand: the unresolved-links page and
    the build's link messages come from exactly this scan.
    """
    completed = subprocess.run(
        [python, "-c", _LINKS_CHILD, str(vault)], capture_output=True, text=True, check=True
    )
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    result["notes"] = sum(
        1
        for path in vault.rglob("*.md")
        if not path.name.lower().endswith(".excalidraw.md")
        and not any(part.startswith(".") for part in path.relative_to(vault).parts)
    )
    return result


def trial(vault: Path, *, rounds: int = 1, python: str = sys.executable) -> dict[str, object]:
    """Build ``vault`` ``rounds`` times and return the numbers of the last build.

    Args:
        vault: The vault's directory (left untouched: it is copied first).
        rounds: How many builds to time (each in a fresh interpreter, cold cache).
        python: The interpreter to build with (another checkout's venv, for a baseline).

    Returns:
        The build's numbers, with ``walls`` and ``cpus`` of every round.
    """
    with tempfile.TemporaryDirectory(prefix="real-vault-") as directory:
        root = Path(directory)
        docs = root / "docs"
        shutil.copytree(vault, docs, ignore=shutil.ignore_patterns(".*"))
        walls, cpus = [], []
        result: dict[str, object] = {}
        for _ in range(rounds):
            shutil.rmtree(root / "site", ignore_errors=True)
            shutil.rmtree(root / "cache", ignore_errors=True)
            completed = subprocess.run(
                [
                    python,
                    "-c",
                    _CHILD,
                    str(REPO / "mkdocs.yml"),
                    str(docs),
                    str(root / "site"),
                    str(root / "cache"),
                ],
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            )
            if completed.returncode != 0:
                output = (completed.stdout + completed.stderr).strip().splitlines()
                tail = "\n".join(output[-15:])
                raise RuntimeError(f"build failed (exit {completed.returncode}):\n{tail}")
            result = json.loads(completed.stdout.strip().splitlines()[-1])
            walls.append(result["wall"])
            cpus.append(result["cpu"])
        result |= {"walls": walls, "cpus": cpus}
        result["notes"] = sum(
            1 for path in docs.rglob("*.md") if not path.name.lower().endswith(".excalidraw.md")
        )
        site = root / "site"
        pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
        result["pages"] = len(pages)
        marked: list[str] = []
        for page in pages:
            if page.parent.name == "unresolved-links":
                continue
            text = page.read_text(encoding="utf-8")
            relative = page.relative_to(site).as_posix()
            marked += [f"{relative}: {m['text']}" for m in _UNRESOLVED_SPAN.finditer(text)]
        result["marked"] = marked
    return result


def summary(name: str, result: dict[str, object]) -> str:
    """The trial's numbers as a few lines of text."""
    unresolved = result["unresolved"]
    assert isinstance(unresolved, dict)
    occurrences = sum(len(links) for links in unresolved.values())
    walls, cpus = result["walls"], result["cpus"]
    assert isinstance(walls, list) and isinstance(cpus, list)
    spread = f"{min(walls):.1f}-{max(walls):.1f}" if len(walls) > 1 else "-"
    return "\n".join(
        [
            f"vault: {name}",
            f"notes: {result['notes']}; pages (HTML files, 404 excluded): {result['pages']}",
            f"unresolved targets: {len(unresolved)} ({occurrences} links);"
            f" links to a missing heading or block: {len(result['broken_anchors'])}",  # type: ignore[arg-type]
            f"marked unresolved in the pages: {len(result['marked'])}",  # type: ignore[arg-type]
            f"log records by level: {result['levels']}",
            f"build seconds (wall, median of {len(walls)}): {statistics.median(walls):.1f}"
            f" (spread {spread}); CPU median {statistics.median(cpus):.1f}",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    """Run the trial on the vault named on the command line and print its numbers."""
    parser = argparse.ArgumentParser(prog="python -m bench.real_vault", description=__doc__)
    parser.add_argument("vault", type=Path, help="the vault's directory")
    parser.add_argument("--rounds", type=int, default=1, help="builds to time (default 1)")
    parser.add_argument("--python", default=sys.executable, help="interpreter to build with")
    parser.add_argument("--list", action="store_true", help="list what is unresolved")
    parser.add_argument("--json", type=Path, help="also write every number to this file")
    parser.add_argument(
        "--links-only", action="store_true", help="resolve the links without building"
    )
    arguments = parser.parse_args(argv)
    if arguments.links_only:
        result = links_only(arguments.vault, python=arguments.python)
        unresolved = result["unresolved"]
        assert isinstance(unresolved, dict)
        print(
            f"vault: {arguments.vault.name}\nnotes: {result['notes']}\n"
            f"unresolved targets: {len(unresolved)}"
            f" ({sum(len(links) for links in unresolved.values())} links);"
            f" links to a missing heading or block: {len(result['broken_anchors'])}"  # type: ignore[arg-type]
            f"\nindex and link scan: {result['wall']:.1f} s wall, {result['cpu']:.1f} s CPU"
        )
        result |= {"marked": [], "messages": []}
    else:
        result = trial(arguments.vault, rounds=arguments.rounds, python=arguments.python)
        print(summary(arguments.vault.name, result))
    if arguments.list:
        print("\nunresolved (as the unresolved-links page lists them):")
        for target, links in result["unresolved"].items():  # type: ignore[union-attr]
            print(f"  {target}")
            print("".join(f"      {link}\n" for link in links), end="")
        print("\nmissing heading or block:")
        print("".join(f"  {line}\n" for line in result["broken_anchors"]), end="")  # type: ignore[union-attr]
        print("\nmarked unresolved in the pages:")
        print("".join(f"  {line}\n" for line in result["marked"]), end="")  # type: ignore[union-attr]
        print("\nwarnings, and the vault plugin's messages:")
        print("".join(f"  {line}\n" for line in result["messages"]), end="")  # type: ignore[union-attr]
    if arguments.json:
        arguments.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
