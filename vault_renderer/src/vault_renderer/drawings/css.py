"""Allow-list cleaning of the CSS an SVG carries: ``style`` attributes and ``<style>`` text.

The checks run on a decoded copy of each declaration (comments removed, CSS escapes
resolved, lower-cased) so that ``u\\72l(`` or ``expr/**/ession(`` cannot slip through;
what is kept is the author's own text, minus comments. When in doubt a declaration is
dropped: a diagram loses a colour, never the page its safety.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.DOTALL)
_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\r\n\f]?|(.))", re.DOTALL)
# Anything that loads, runs or binds: refused wherever it appears in a declaration.
_ACTIVE = (
    "expression(",
    "javascript:",
    "vbscript:",
    "-moz-binding",
    "behavior",
    "behaviour",
    "@import",
    "image-set(",
    "image(",
    "cross-fade(",
    "element(",
    "src(",
    "paint(",
)
# A drawing must stay inside its box: a fixed overlay over the page is a phishing tool.
_POSITION_OUTSIDE = re.compile(r"^position:(fixed|sticky)")
_SAFE_URL = re.compile(
    r"^(#[^\s'\"()]*|data:image/(png|gif|jpe?g|webp|bmp|svg\+xml)[;,].*)$", re.DOTALL
)

Report = Callable[[str], None]


def decode(text: str) -> str:
    """CSS text as the browser's tokenizer sees it: comments gone, escapes resolved."""

    def unescape(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return "" if match.group(2) == "\n" else match.group(2)

    return _ESCAPE.sub(unescape, _COMMENT.sub(" ", text))


def is_safe_url(url: str) -> bool:
    """True for a same-document ``#fragment`` or an inline ``data:image/...`` URL."""
    return bool(_SAFE_URL.match(_strip_url(url)))


def _strip_url(url: str) -> str:
    # Browsers drop ASCII whitespace and control characters inside URLs ("java\tscript:").
    return "".join(char for char in url if ord(char) > 0x20 and char != "\x7f")


def clean_declarations(text: str, where: str, report: Report) -> str:
    """Keep the safe declarations of a declaration list (a ``style`` attribute's value).

    Args:
        text: the declarations, e.g. ``"fill: red; background: url(x)"``.
        where: how reports name the place, e.g. ``"style on <rect>"``.
        report: called with one line per declaration dropped.

    Returns:
        The kept declarations joined with ``"; "``.
    """
    kept = []
    for piece in split_top_level(_COMMENT.sub(" ", text), ";"):
        declaration = piece.strip()
        if not declaration:
            continue
        problem = _declaration_problem(declaration)
        if problem:
            report(f"{problem} in {where}")
        else:
            kept.append(declaration)
    return "; ".join(kept)


def _declaration_problem(declaration: str) -> str | None:
    decoded = decode(declaration).lower()
    squeezed = re.sub(r"\s+", "", decoded)
    for token in _ACTIVE:
        if token in squeezed:
            return f"CSS {token.rstrip('(:')}"
    if _POSITION_OUTSIDE.match(squeezed):
        return "CSS position: fixed/sticky"
    if "url(" in squeezed:
        urls = _url_arguments(decode(declaration))
        if urls is None or not all(is_safe_url(url) for url in urls):
            return "CSS url() to an external or active resource"
    return None


def _url_arguments(text: str) -> list[str] | None:
    """The arguments of every ``url(...)``, or None when one is unclosed or nested.

    A linear scan: a regex that looks for each ``url(``'s closing parenthesis would
    rescan the rest of the text for every unclosed one.
    """
    lowered = text.lower()
    arguments = []
    position = 0
    while (start := lowered.find("url(", position)) != -1:
        end = text.find(")", start + 4)
        if end == -1 or "url(" in lowered[start + 4 : end]:
            return None
        arguments.append(text[start + 4 : end].strip().strip("'\"").strip())
        position = end + 1
    return arguments


def clean_stylesheet(text: str, scope: str, where: str, report: Report) -> str:
    """Keep the safe rules of a ``<style>`` element, scoped to one drawing.

    Plain rules and ``@media`` blocks are kept, every selector prefixed with ``scope``
    (a class on the drawing's root) because a ``<style>`` inline in a page applies to
    the whole page; other at-rules (``@import``, ``@font-face``, ``@namespace`` ...) go.

    Args:
        text: the stylesheet.
        scope: a class selector such as ``".vr-scope-1a2b"``.
        where: how reports name the place.
        report: called with one line per rule or declaration dropped.

    Returns:
        The cleaned stylesheet.
    """
    return _clean_rules(_COMMENT.sub(" ", text), scope, where, report, depth=0)


def _clean_rules(text: str, scope: str, where: str, report: Report, depth: int) -> str:
    out = []
    position = 0
    while position < len(text):
        brace = _find_top_level(text, position, "{;")
        if brace == -1:
            leftover = text[position:].strip()
            if leftover:
                report(f"unterminated CSS {leftover[:40]!r} in {where}")
            break
        prelude = text[position:brace].strip()
        if text[brace] == ";":
            if prelude:
                report(f"CSS at-rule {prelude.split()[0]!r} in {where}")
            position = brace + 1
            continue
        end = _matching_brace(text, brace)
        body = text[brace + 1 : end]
        position = end + 1
        at_rule = decode(prelude).strip().lower()
        if at_rule.startswith("@media") and depth < 4:
            inner = _clean_rules(body, scope, where, report, depth + 1)
            out.append(f"{prelude} {{\n{inner}}}\n")
        elif at_rule.startswith("@") or not prelude:
            report(f"CSS at-rule {at_rule.split()[0] if at_rule else '{}'!r} in {where}")
        elif any(token in re.sub(r"\s+", "", at_rule) for token in _ACTIVE):
            report(f"CSS selector {prelude[:40]!r} in {where}")
        else:
            declarations = clean_declarations(body, where, report)
            if declarations:
                out.append(f"{_scoped(prelude, scope)} {{ {declarations} }}\n")
    return "".join(out)


def _scoped(selectors: str, scope: str) -> str:
    scoped = []
    for selector in split_top_level(selectors, ","):
        selector = selector.strip()
        if re.match(r"svg(?![\w-])", selector, re.IGNORECASE):
            # The root <svg> itself carries the scope class.
            scoped.append(f"svg{scope}{selector[3:]}")
        elif selector.startswith(":root"):
            scoped.append(f"svg{scope}{selector[5:]}")
        else:
            scoped.append(f"{scope} {selector}")
    return ", ".join(scoped)


def split_top_level(text: str, separator: str) -> list[str]:
    """Split CSS text on ``separator`` outside strings, brackets and escapes."""
    parts = []
    start = 0
    position = 0
    while True:
        found = _find_top_level(text, position, separator)
        if found == -1:
            parts.append(text[start:])
            return parts
        parts.append(text[start:found])
        start = position = found + 1


def _unquoted(text: str, position: int) -> Iterator[tuple[int, str]]:
    """Yield the positions and characters of ``text`` outside strings, skipping escapes."""
    quote = ""
    while position < len(text):
        char = text[position]
        if char == "\\":
            position += 2
            continue
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        else:
            yield position, char
        position += 1


def _find_top_level(text: str, position: int, targets: str) -> int:
    depth = 0
    for found, char in _unquoted(text, position):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and char in targets:
            return found
    return -1


def _matching_brace(text: str, brace: int) -> int:
    depth = 0
    for found, char in _unquoted(text, brace):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return found
    return len(text)
