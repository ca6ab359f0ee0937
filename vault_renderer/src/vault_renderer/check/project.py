"""Where the vault is and what ``mkdocs.yml`` says about it (its navigation, its exclusions).

``mkdocs.yml`` is read as a YAML node tree rather than loaded: the nav entries keep
their line numbers for findings, and tags such as ``!!python/name`` that only MkDocs
can construct are never executed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from pathspec.gitignore import GitIgnoreSpec

from vault_renderer.check.findings import Finding
from vault_renderer.config import ObsidianVaultConfig

# MkDocs always leaves these out of the site, whatever ``exclude_docs`` says.
_ALWAYS_EXCLUDED = (".*", "/templates/")


@dataclass(frozen=True, slots=True)
class NavEntry:
    """A file named in the ``nav`` of ``mkdocs.yml``.

    Attributes:
        target: The file, relative to the docs directory, ``/``-separated.
        line: 1-based line of the entry in ``mkdocs.yml``.
        col: 1-based column of the entry.
    """

    target: str
    line: int
    col: int


@dataclass(frozen=True)
class SiteConfig:
    """The parts of ``mkdocs.yml`` the check needs.

    Attributes:
        nav: The files the navigation names, or ``None`` when ``mkdocs.yml`` has no
            ``nav`` (MkDocs then lists every page, so every note is reachable).
        not_in_nav: Pages deliberately left out of the navigation.
        exclude_docs: Files that are not part of the site at all.
        extra_roots: The ``obsidian-vault`` plugin's extra vault roots, relative to
            ``mkdocs.yml``.
        generated: Pages the plugin writes at build time (not files of the vault).
    """

    nav: tuple[NavEntry, ...] | None = None
    extra_roots: tuple[str, ...] = tuple(ObsidianVaultConfig.extra_roots.default)
    generated: frozenset[str] = frozenset({ObsidianVaultConfig.unresolved_links_page.default})
    not_in_nav: GitIgnoreSpec = field(default_factory=lambda: GitIgnoreSpec.from_lines([]))
    exclude_docs: GitIgnoreSpec = field(
        default_factory=lambda: GitIgnoreSpec.from_lines(_ALWAYS_EXCLUDED)
    )


@dataclass(frozen=True)
class Project:
    """The vault on disk.

    Attributes:
        directory: The project directory; finding paths are relative to it.
        docs: The vault and MkDocs docs directory.
        extra_roots: Other directories whose files notes may embed (drawing sources).
        config: ``mkdocs.yml``, if there is one.
    """

    directory: Path
    docs: Path
    extra_roots: tuple[Path, ...] = ()
    config: Path | None = None

    def relative(self, path: Path) -> str:
        """``path`` as a finding path: relative to :attr:`directory`, ``/``-separated."""
        return Path(os.path.relpath(path, self.directory)).as_posix()

    def rebased(self, old_top: Path, new_top: Path) -> Project:
        """The same layout under another checkout (the git base, extracted elsewhere)."""

        def move(path: Path) -> Path:
            return new_top / path.relative_to(old_top)

        return Project(
            directory=move(self.directory),
            docs=move(self.docs),
            extra_roots=tuple(move(root) for root in self.extra_roots),
            config=move(self.config) if self.config else None,
        )


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _nav_entries(node: yaml.Node) -> Iterator[NavEntry]:
    # An entry is "file.md", {"Title": "file.md"} or {"Title": [entries]}; URLs are
    # external links and name no file.
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _nav_entries(item)
    elif isinstance(node, yaml.MappingNode):
        for _title, value in node.value:
            yield from _nav_entries(value)
    elif isinstance(node, yaml.ScalarNode) and node.value and "://" not in node.value:
        yield NavEntry(node.value.strip("/"), *_mark(node))


def _patterns(node: yaml.Node | None) -> list[str]:
    if isinstance(node, yaml.ScalarNode):
        return node.value.splitlines()
    if isinstance(node, yaml.SequenceNode):
        return [item.value for item in node.value if isinstance(item, yaml.ScalarNode)]
    return []


_PLUGIN = "obsidian-vault"


def _plugin_node(plugins: yaml.Node | None) -> yaml.Node | None:
    # `plugins:` is a list of names or one-key mappings, or a mapping of name to options.
    items = plugins.value if isinstance(plugins, yaml.SequenceNode) else [plugins]
    for item in items:
        if isinstance(item, yaml.ScalarNode) and item.value == _PLUGIN:
            # Listed without options: no options, found where the name is written.
            return yaml.MappingNode(
                "tag:yaml.org,2002:map", [], start_mark=item.start_mark, end_mark=item.end_mark
            )
        if isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                if key.value == _PLUGIN:
                    return value
    return None


def _vault_options(node: yaml.Node, where: str) -> tuple[ObsidianVaultConfig, list[Finding]]:
    """The plugin's options, validated by the plugin's own config class."""
    options = ObsidianVaultConfig()
    data = yaml.safe_load(yaml.serialize(node)) if node.value else {}
    options.load_dict(data if isinstance(data, dict) else {})
    errors, _warnings = options.validate()
    line, col = _mark(node)
    return options, [
        Finding(
            where,
            line,
            col,
            "VAULT042",
            f"{_PLUGIN} option `{name}`: {error}",
            "see the options in vault_renderer/src/vault_renderer/config.py",
        )
        for name, error in errors
    ]


def read_site_config(config: Path | None, where: str) -> tuple[SiteConfig, list[Finding]]:
    """Read the navigation, exclusions and vault options from ``mkdocs.yml``.

    Args:
        config: ``mkdocs.yml``, or None when there is none.
        where: How findings name ``mkdocs.yml``.

    Returns:
        The config (the defaults when there is no ``mkdocs.yml``) and any finding about
        the file itself: a ``mkdocs.yml`` that does not parse is reported, not raised.
    """
    if config is None:
        return SiteConfig(), []
    try:
        root = yaml.compose(config.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        mark = getattr(error, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = getattr(error, "problem", None) or str(error)
        return SiteConfig(), [
            Finding(
                where,
                line,
                col,
                "VAULT042",
                f"mkdocs.yml cannot be read: {problem}",
                "fix the YAML (indentation, a missing colon or quote) so the site builds",
            )
        ]
    keys = (
        {key.value: value for key, value in root.value}
        if isinstance(root, yaml.MappingNode)
        else {}
    )
    nav = keys.get("nav")
    site = SiteConfig(
        nav=tuple(_nav_entries(nav)) if nav is not None else None,
        not_in_nav=GitIgnoreSpec.from_lines(_patterns(keys.get("not_in_nav"))),
        exclude_docs=GitIgnoreSpec.from_lines(
            [*_ALWAYS_EXCLUDED, *_patterns(keys.get("exclude_docs"))]
        ),
    )
    plugin = _plugin_node(keys.get("plugins"))
    if plugin is None:
        return site, []
    options, findings = _vault_options(plugin, where)
    if findings:
        return site, findings
    generated = {options.unresolved_links_page} - {""}
    return replace(site, extra_roots=tuple(options.extra_roots), generated=frozenset(generated)), []
