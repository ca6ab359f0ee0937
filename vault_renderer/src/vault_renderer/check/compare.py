"""Which findings a change introduced: the pure half of ``--base``.

A finding is new when the vault at the base did not have it (same file, same code,
same message; see :attr:`Finding.identity`). Counting rather than set membership
keeps a second copy of an old broken link visible, and when only some copies are new
the ones on changed lines are the ones reported, so GitHub annotates the right line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from vault_renderer.check.findings import Finding


def introduced(
    current: Sequence[Finding],
    base: Sequence[Finding],
    renamed: Mapping[str, str],
    changed_lines: Mapping[str, frozenset[int]],
) -> list[Finding]:
    """The findings of ``current`` that ``base`` did not have.

    Args:
        current: Findings in the vault as it is now.
        base: Findings in the vault at the base ref.
        renamed: New path -> old path for files moved since the base, so that a moved
            note does not bring its old findings back as new ones.
        changed_lines: Path -> lines added or changed since the base.

    Returns:
        The new findings, sorted by file and position.
    """
    old_to_new = {old: new for new, old in renamed.items()}
    allowance = Counter(
        (old_to_new.get(finding.path, finding.path), finding.code, finding.message)
        for finding in base
    )
    groups: dict[tuple[str, str, str], list[Finding]] = {}
    for finding in current:
        groups.setdefault(finding.identity, []).append(finding)
    new: list[Finding] = []
    for identity, findings in groups.items():
        touched = changed_lines.get(identity[0], frozenset())
        # Untouched lines are the likelier home of the old copies.
        findings.sort(key=lambda finding: (finding.line in touched, finding.sort_key()))
        new.extend(findings[allowance[identity] :])
    return sorted(new, key=Finding.sort_key)
