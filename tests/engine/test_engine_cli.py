"""``python -m decision_engine``: the contract on the command line.

Every class of bad input runs through a real subprocess: exit status 2, exactly one line
on stderr naming the field, the value and what is allowed, and never a traceback.
"""

from __future__ import annotations

import io
import json
import os
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from decision_engine import cli, estimate_cost, input_schemas, recommend


def _run(args: list[str], stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "decision_engine", *args],
        input=stdin,
        capture_output=True,
        check=False,
        timeout=60,
    )


def _main(
    args: list[str],
    stdin: bytes,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    status = cli.main(args)
    out, err = capsys.readouterr()
    return status, out, err


# (id, command, stdin, field named, value shown, allowed fragment)
BAD_INPUT: list[tuple[str, list[str], bytes, str, str, str]] = [
    ("wrong-type", ["recommend"], b'{"always_on": "yes"}', "always_on", '"yes"', "true or false"),
    (
        "bool-for-number",
        ["recommend"],
        b'{"vcpu": true}',
        "vcpu",
        "true",
        "a number greater than 0",
    ),
    (
        "fraction-for-integer",
        ["recommend"],
        b'{"memory_mb": 512.5}',
        "memory_mb",
        "512.5",
        "an integer",
    ),
    (
        "out-of-range",
        ["recommend"],
        b'{"memory_mb": 64}',
        "memory_mb",
        "64",
        "from 128 up to 786,432 (MB)",
    ),
    (
        "zero-not-allowed",
        ["recommend"],
        b'{"max_runtime_minutes": 0}',
        "max_runtime_minutes",
        "0",
        "greater than 0",
    ),
    (
        "unknown-enum",
        ["recommend"],
        b'{"packaging": "vm"}',
        "packaging",
        '"vm"',
        '"function", "container"',
    ),
    (
        "unknown-field",
        ["recommend"],
        b'{"memry_mb": 512}',
        "memry_mb",
        "512",
        "did you mean 'memory_mb'",
    ),
    ("nan", ["recommend"], b'{"vcpu": NaN}', "vcpu", "NaN", "a number"),
    (
        "infinity",
        ["recommend"],
        b'{"avg_duration_ms": Infinity}',
        "avg_duration_ms",
        "Infinity",
        "a number",
    ),
    ("minus-infinity", ["recommend"], b'{"vcpu": -Infinity}', "vcpu", "-Infinity", "a number"),
    ("overflow-to-infinity", ["recommend"], b'{"vcpu": 1e999}', "vcpu", "1e999", "a number"),
    ("overflow-negative", ["recommend"], b'{"vcpu": -1E400}', "vcpu", "-1E400", "a number"),
    ("not-json", ["recommend"], b'{"vcpu": }', "$", '{\\"vcpu\\": }', "one JSON object"),
    ("empty-input", ["recommend"], b"", "$", '""', "one JSON object"),
    ("not-an-object-list", ["recommend"], b"[1, 2]", "$", "[1, 2]", "a JSON object"),
    ("not-an-object-string", ["recommend"], b'"hello"', "$", '"hello"', "a JSON object"),
    ("not-an-object-null", ["recommend"], b"null", "$", "null", "a JSON object"),
    ("not-utf8", ["recommend"], b'{"os": "\xff"}', "$", "byte 8", "UTF-8"),
    (
        "huge-integer",
        ["recommend"],
        b'{"memory_mb": ' + b"9" * 5000 + b"}",
        "$",
        "99999",
        "one JSON object",
    ),
    ("deep-nesting", ["recommend"], b"[" * 100_000, "$", "[[[", "one JSON object"),
    (
        "cost-unknown-service",
        ["cost"],
        b'{"service": "lightsail"}',
        "service",
        '"lightsail"',
        "lambda",
    ),
    ("cost-missing-service", ["cost"], b"{}", "service", "null", "one of amplify, lambda"),
    (
        "cost-unknown-field",
        ["cost"],
        b'{"service": "fargate", "task": 2}',
        "task",
        "2",
        "did you mean 'tasks'",
    ),
    ("cost-not-a-size", ["cost"], b'{"service": "fargate", "vcpu": 3}', "vcpu", "3", "0.25, 0.5"),
    (
        "unknown-command",
        ["advise"],
        b"",
        "command",
        '"advise"',
        "schema, recommend, dr, review, cost, facts",
    ),
    ("extra-argument", ["schema", "--pretty"], b"", "--pretty", '"--pretty"', "no arguments"),
    (
        "facts-days-not-a-number",
        ["facts", "--older-than", "soon"],
        b"",
        "--older-than",
        '"soon"',
        "a whole number of days",
    ),
    ("facts-days-missing", ["facts"], b"", "--older-than", "null", "a whole number of days"),
    (
        "facts-option-without-value",
        ["facts", "--older-than"],
        b"",
        "--older-than",
        "null",
        "a value after the option",
    ),
    (
        "facts-unknown-option",
        ["facts", "--newer-than", "3"],
        b"",
        "--newer-than",
        '"--newer-than"',
        "--older-than DAYS",
    ),
    (
        "facts-bad-date",
        ["facts", "--older-than", "3", "--today", "tomorrow"],
        b"",
        "--today",
        '"tomorrow"',
        "YYYY-MM-DD",
    ),
]


class TestBadInputInSubprocess:
    @pytest.mark.parametrize(
        ("args", "stdin", "field", "value", "allowed"),
        [pytest.param(a, s, f, v, al, id=i) for i, a, s, f, v, al in BAD_INPUT],
    )
    def test_exit_2_with_one_line(
        self, args: list[str], stdin: bytes, field: str, value: str, allowed: str
    ) -> None:
        completed = _run(args, stdin)
        err = completed.stderr.decode("utf-8")
        assert completed.returncode == 2, err
        assert completed.stdout == b""
        assert err.endswith("\n") and err.count("\n") == 1, err
        assert "Traceback" not in err
        assert err.startswith(f"{field}: "), err
        assert value in err, err
        assert "allowed: " in err and allowed in err, err


class TestCommands:
    def test_recommend_prints_what_the_api_returns(self) -> None:
        workload = {"packaging": "container", "always_on": True}
        completed = _run(["recommend"], json.dumps(workload).encode())
        assert completed.returncode == 0, completed.stderr
        assert json.loads(completed.stdout) == recommend(workload)

    def test_cost_prints_what_the_api_returns(self) -> None:
        request = {"service": "fargate", "tasks": 3}
        completed = _run(["cost"], json.dumps(request).encode())
        assert completed.returncode == 0, completed.stderr
        assert json.loads(completed.stdout) == estimate_cost(request)

    def test_schema_prints_both_schemas(self) -> None:
        completed = _run(["schema"])
        assert completed.returncode == 0
        assert json.loads(completed.stdout) == input_schemas()

    def test_facts_lists_the_stale_ones(self) -> None:
        completed = _run(["facts", "--older-than", "30", "--today", "2027-06-01"])
        assert completed.returncode == 0
        listing = json.loads(completed.stdout)
        assert listing["today"] == "2027-06-01"
        assert listing["older_than_days"] == 30
        facts = {entry["fact"] for entry in listing["stale"]}
        assert {"lambda.max_runtime_minutes", "prices.us-east-1.lambda"} <= facts
        assert all(entry["age_days"] == 190 for entry in listing["stale"])

    def test_facts_none_stale_today(self) -> None:
        completed = _run(["facts", "--older-than", "365", "--today", "2026-11-23"])
        assert json.loads(completed.stdout)["stale"] == []


class TestClosedStdout:
    def test_reader_gone_is_not_a_traceback(self) -> None:
        read_end, write_end = os.pipe()
        os.close(read_end)  # every write to the pipe now fails with EPIPE
        try:
            completed = subprocess.run(
                [sys.executable, "-m", "decision_engine", "schema"],
                stdout=write_end,
                stderr=subprocess.PIPE,
                check=False,
                timeout=60,
            )
        finally:
            os.close(write_end)
        assert completed.returncode == 1
        assert completed.stderr == b""

    def test_in_process(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        class Gone(io.StringIO):
            def write(self, text: str) -> int:
                raise BrokenPipeError

            def fileno(self) -> int:
                return sink.fileno()

        with (tmp_path / "sink").open("w") as sink:
            monkeypatch.setattr(sys, "stdout", Gone())
            assert cli.main(["schema"]) == 1


class TestMainInProcess:
    """The same entry point without a subprocess (so coverage sees it)."""

    @pytest.mark.parametrize(
        ("args", "stdin", "status", "field"),
        [pytest.param(a, s, 2, f, id=i) for i, a, s, f, _, _ in BAD_INPUT],
    )
    def test_bad_input(
        self,
        args: list[str],
        stdin: bytes,
        status: int,
        field: str,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        code, out, err = _main(args, stdin, capsys, monkeypatch)
        assert (code, out) == (status, "")
        assert err.startswith(f"{field}: ") and err.count("\n") == 1

    @pytest.mark.parametrize(
        ("args", "stdin"),
        [
            (["recommend"], b'{"packaging": "static_site"}'),
            (["cost"], b'{"service": "eks"}'),
            (["schema"], b""),
            (["facts", "--older-than", "0"], b""),
        ],
    )
    def test_commands(
        self,
        args: list[str],
        stdin: bytes,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        code, out, err = _main(args, stdin, capsys, monkeypatch)
        assert (code, err) == (0, "")
        assert isinstance(json.loads(out), dict)

    def test_help(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        code, out, _ = _main(["--help"], b"", capsys, monkeypatch)
        assert code == 0 and out.startswith("usage: python -m decision_engine")

    def test_no_command_is_a_usage_error(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        code, out, _ = _main([], b"", capsys, monkeypatch)
        assert code == 2 and "usage:" in out

    def test_text_stream_without_buffer(self) -> None:
        # Pyodide and embedders may hand over a plain text stream.
        stdout = io.StringIO()
        assert cli.run(["recommend"], io.StringIO('{"os": "windows"}'), stdout) == 0
        assert json.loads(stdout.getvalue())["workload"]["os"] == "windows"

    def test_module_entry_point(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        monkeypatch.setattr(sys, "argv", ["decision_engine", "schema"])
        with pytest.raises(SystemExit) as caught:
            runpy.run_module("decision_engine", run_name="__main__", alter_sys=True)
        assert caught.value.code == 0
        assert "recommend" in json.loads(capsys.readouterr().out)

    def test_argv_defaults_to_sys_argv(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        monkeypatch.setattr(sys, "argv", ["decision-engine", "facts", "--older-than", "100000"])
        assert cli.main() == 0
        listing: dict[str, Any] = json.loads(capsys.readouterr().out)
        assert listing["stale"] == []
