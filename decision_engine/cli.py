"""``python -m decision_engine``: the engine's JSON contract on the command line.

Commands: ``schema``, one per decision tool (``recommend``, ...: its input JSON on stdin,
see :mod:`decision_engine.tools`), ``cost`` (cost request JSON on stdin) and
``facts --older-than DAYS``. Bad input exits with status 2 and one line on
stderr naming the field, the value and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from .cost import estimate_cost
from .errors import InvalidInput, parse_json_float
from .facts import stale_facts
from .lens import InvalidLens, Lens, read_lens_text
from .review import review
from .schema import input_schemas
from .tools import tools

USAGE = """\
usage: python -m decision_engine COMMAND
  schema                      print the JSON Schema of every tool's input and of cost
{tools}
  cost                        read a cost request (JSON object) on stdin, print the estimate
  review --lens FILE          the review against a lens file of your own (WA Tool format)
  facts --older-than DAYS     list limits and prices last checked more than DAYS days ago
        [--today YYYY-MM-DD]  (the day to count from; default: today, UTC)
exit status: 0 done, 2 invalid input (one line on stderr)"""


def commands() -> tuple[str, ...]:
    """Every command, in the order the usage lists them."""
    return ("schema", *(t.command for t in tools().values()), "cost", "facts")


def usage() -> str:
    """The usage text, with one line per decision tool."""
    lines = (
        f"  {t.command:<27} read its input (JSON object) on stdin, print the {t.title.lower()}"
        for t in tools().values()
    )
    return USAGE.format(tools="\n".join(lines))


def _keep_nan(constant: str) -> float:
    # NaN and Infinity are not JSON, but Python's parser accepts them; keep them as floats
    # so the field check rejects them by name instead of the parser rejecting the document.
    return float(constant)


def read_json(stream: TextIO) -> Any:
    """Parse the whole of ``stream`` as one JSON document.

    Raises:
        InvalidInput: If it is not UTF-8 or not JSON.
    """
    try:
        text = stream.buffer.read().decode("utf-8") if hasattr(stream, "buffer") else stream.read()
    except UnicodeDecodeError as err:
        raise InvalidInput("$", f"byte {err.start}", "UTF-8 JSON text", "not UTF-8") from None
    try:
        return json.loads(text, parse_constant=_keep_nan, parse_float=parse_json_float)
    except json.JSONDecodeError as err:
        problem = f"not JSON ({err.msg} at line {err.lineno} column {err.colno})"
        raise InvalidInput("$", text.strip(), "one JSON object, e.g. {}", problem) from None
    except (ValueError, RecursionError) as err:
        problem = "nested too deeply" if isinstance(err, RecursionError) else str(err)
        raise InvalidInput("$", text.strip(), "one JSON object, e.g. {}", problem) from None


def _facts(args: Sequence[str]) -> dict[str, Any]:
    options = {"--older-than": None, "--today": None}
    rest = list(args)
    while rest:
        flag = rest.pop(0)
        if flag not in options:
            raise InvalidInput(
                flag, flag, "--older-than DAYS, --today YYYY-MM-DD", "unknown option"
            )
        if not rest:
            raise InvalidInput(flag, None, "a value after the option", "missing value")
        options[flag] = rest.pop(0)
    raw_days = options["--older-than"]
    if raw_days is None:
        raise InvalidInput("--older-than", None, "a whole number of days, e.g. 180", "missing")
    if not raw_days.isdigit():
        raise InvalidInput(
            "--older-than", raw_days, "a whole number of days, e.g. 180", "not a number"
        )
    raw_today = options["--today"]
    try:
        today = dt.date.fromisoformat(raw_today) if raw_today else dt.datetime.now(dt.UTC).date()
    except ValueError:
        raise InvalidInput("--today", raw_today, "a date as YYYY-MM-DD", "not a date") from None
    days = int(raw_days)
    return {
        "today": today.isoformat(),
        "older_than_days": days,
        "stale": stale_facts(days, today),
    }


def _lens_option(args: Sequence[str]) -> Lens | None:
    """The lens named by ``--lens FILE``, or None for the handbook's own."""
    if not args:
        return None
    if args[0] != "--lens":
        raise InvalidInput(args[0], args[0], "--lens FILE", "unknown option")
    if len(args) != 2:
        raise InvalidInput("--lens", list(args[1:]), "one lens file after --lens", "wrong count")
    name = args[1]
    try:
        with open(name, "rb") as file:
            raw = file.read()
    except OSError as err:
        raise InvalidInput("--lens", name, "a readable lens JSON file", err.strerror) from None
    try:
        # A byte-order mark is common in files saved by Windows editors.
        return read_lens_text(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise InvalidLens(name, f"byte {err.start}", "UTF-8 JSON text", "not UTF-8") from None
    except InvalidLens as err:
        raise InvalidLens(f"{name} {err.field}", err.value, err.allowed, err.problem) from None


def _answer(tool: Callable[[Any], Any], stdin: TextIO) -> Any:
    return tool(read_json(stdin))


def run(args: Sequence[str], stdin: TextIO, stdout: TextIO) -> int:
    """Run one command; raises ``InvalidInput`` for bad input."""
    if not args or args[0] in ("-h", "--help", "help"):
        print(usage(), file=stdout)
        return 0 if args else 2
    command, rest = args[0], args[1:]
    handlers: dict[str, Callable[[], Any]] = {
        "schema": input_schemas,
        **{t.command: functools.partial(_answer, t.answer, stdin) for t in tools().values()},
        "cost": lambda: estimate_cost(read_json(stdin)),
        # The review takes a lens as well as its answers.
        "review": lambda: review(read_json(stdin), _lens_option(rest)),
        "facts": lambda: _facts(rest),
    }
    if command not in handlers:
        raise InvalidInput("command", command, "one of " + ", ".join(commands()), "unknown command")
    if rest and command not in ("facts", "review"):
        raise InvalidInput(rest[0], rest[0], f"no arguments after {command}", "unexpected argument")
    print(json.dumps(handlers[command](), indent=2), file=stdout)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """The command-line entry point.

    Args:
        argv: The arguments after the program name (default: ``sys.argv[1:]``).

    Returns:
        The exit status: 0, 2 for invalid input, 1 if stdout was closed early.
    """
    args = sys.argv[1:] if argv is None else argv
    try:
        return run(args, sys.stdin, sys.stdout)
    except InvalidInput as err:
        print(err, file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader left early (`| head`). Point stdout at /dev/null so the flush at exit
        # does not fail a second time, as the Python docs advise for SIGPIPE.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
