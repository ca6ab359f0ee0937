"""``vault-check`` / ``python -m vault_renderer.check``: the command line of the check.

Exit status: 0 when there is no error (warnings allowed, unless ``--strict``), 1 when
there is at least one error, 2 when the check could not run (a bad argument, a
missing directory, an unreadable git base); the reason is then one line on stderr.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from vault_renderer.check import git
from vault_renderer.check.checker import CheckOptions, check_project
from vault_renderer.check.compare import introduced
from vault_renderer.check.findings import Finding, Severity
from vault_renderer.check.project import Project, read_site_config
from vault_renderer.check.report import Summary, format_github, format_summary, format_text

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KIB|MIB|GIB)?\s*$", re.IGNORECASE)
_UNITS = {
    "B": 1,
    "KB": 1000,
    "MB": 1000**2,
    "GB": 1000**3,
    "KIB": 1024,
    "MIB": 1024**2,
    "GIB": 1024**3,
}


class UsageError(ValueError):
    """The command line or the directories it names cannot be used."""


def parse_size(text: str) -> int:
    """Bytes from ``"1MB"``, ``"500 KB"``, ``"2MiB"`` or a plain number of bytes."""
    match = _SIZE.match(text)
    if not match:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a size; write a number with an optional unit: 800KB, 1MB, 2MiB"
        )
    return int(float(match.group(1)) * _UNITS[(match.group(2) or "B").upper()])


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vault-check",
        description=(
            "Check the handbook's vault: front matter, links, embeds, drawings, images and "
            "navigation. Prints `path:line:col: severity: CODE message — fix` per finding."
        ),
    )
    parser.add_argument(
        "vault", nargs="?", default="docs", help="the vault (MkDocs docs directory); default docs"
    )
    parser.add_argument(
        "--base",
        metavar="REF",
        help="report only what changed since this git ref (e.g. origin/main)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="text (default) or github: workflow annotations on the pull request's lines",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="mkdocs.yml for the navigation; default: mkdocs.yml beside the vault",
    )
    parser.add_argument(
        "--root",
        metavar="DIR",
        action="append",
        help="an extra vault root whose files notes embed (repeatable); default: the "
        "extra_roots of the obsidian-vault plugin in mkdocs.yml (diagrams)",
    )
    parser.add_argument(
        "--max-image-size",
        metavar="SIZE",
        type=parse_size,
        default=CheckOptions().max_image_bytes,
        help="images above this size are reported (default 1MB)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 on warnings too, not only on errors"
    )
    return parser


def _project(arguments: argparse.Namespace) -> Project:
    docs = Path(arguments.vault).resolve()
    if not docs.is_dir():
        raise UsageError(f"{arguments.vault} is not a directory; name the vault, e.g. docs")
    if arguments.config:
        config: Path | None = Path(arguments.config).resolve()
        if not config.is_file():
            raise UsageError(f"--config {arguments.config}: no such file")
    else:
        config = docs.parent / "mkdocs.yml"
        config = config if config.is_file() else None
    directory = config.parent if config else docs.parent
    if arguments.root:
        roots = tuple(Path(root).resolve() for root in arguments.root)
        for given, root in zip(arguments.root, roots, strict=True):
            if not root.is_dir():
                raise UsageError(f"--root {given} is not a directory")
    else:
        # The roots the obsidian-vault plugin is configured with (a missing one is the
        # plugin's warning to give, at build time).
        site, _findings = read_site_config(config, "")
        roots = tuple(
            root for name in site.extra_roots if (root := (directory / name).resolve()).is_dir()
        )
    return Project(directory=directory, docs=docs, extra_roots=roots, config=config)


def _introduced_since(
    ref: str, project: Project, current: list[Finding], options: CheckOptions
) -> list[Finding]:
    top = git.toplevel(project.directory, ref)
    commit = git.resolve_commit(top, ref)
    inputs = [project.docs, *project.extra_roots, *([project.config] if project.config else [])]
    try:
        paths = [path.relative_to(top).as_posix() for path in inputs]
    except ValueError:
        raise git.GitBaseError(ref, f"the vault is not inside the git work tree {top}") from None
    prefix = project.directory.relative_to(top).as_posix()

    def local(path: str) -> str:
        return path if prefix == "." else path.removeprefix(prefix + "/")

    changes = git.changes(top, commit, paths, ref)
    if not changes.files:
        # Nothing the check reads has changed, so nothing can be new.
        return []
    renamed = {local(new): local(old) for new, old in changes.renamed.items()}
    # Only a file with findings now can have new ones: check just those at the base.
    wanted = {renamed.get(finding.path, finding.path) for finding in current}
    with tempfile.TemporaryDirectory(prefix="vault-check-base-") as scratch:
        git.extract(top, commit, paths, Path(scratch), ref)
        base_project = project.rebased(top, Path(scratch))
        base = check_project(base_project, options, only=wanted).findings
    return introduced(
        current,
        base,
        renamed,
        {local(path): lines for path, lines in changes.lines.items()},
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the check and print its findings.

    Args:
        argv: The arguments after the program name; ``sys.argv[1:]`` when ``None``.

    Returns:
        The exit status (see the module docstring).
    """
    arguments = _parser().parse_args(argv)
    options = CheckOptions(max_image_bytes=arguments.max_image_size)
    started = time.perf_counter()
    try:
        project = _project(arguments)
        result = check_project(project, options)
        findings = result.findings
        if arguments.base:
            findings = _introduced_since(arguments.base, project, findings, options)
    except (UsageError, git.GitBaseError) as error:
        print(f"vault-check: error: {error}", file=sys.stderr)
        return 2
    formatter = format_github if arguments.format == "github" else format_text
    summary = Summary(
        notes=result.notes,
        drawings=result.drawings,
        images=result.images,
        seconds=time.perf_counter() - started,
        base=arguments.base,
        hidden=len(result.findings) - len(findings),
    )
    try:
        for finding in findings:
            shown = os.path.relpath(project.directory / finding.path)
            print(formatter(finding, Path(shown).as_posix()))
        print(format_summary(findings, summary), flush=True)
    except BrokenPipeError:
        # The reader went away (`make check | head`): stop quietly, as grep does.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    failing = {Severity.ERROR, Severity.WARNING} if arguments.strict else {Severity.ERROR}
    return 1 if any(finding.severity in failing for finding in findings) else 0
