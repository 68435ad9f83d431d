"""The command line's contract for bad input: one clear line on stderr, exit 2, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from smecyber.cli import main

SMECYBER = [sys.executable, "-m", "smecyber.cli"]


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SMECYBER, *args], capture_output=True, text=True, timeout=60, input=stdin)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["scan", "not a domain", "--nameserver", "127.0.0.1:9"], "invalid domain name"),
        (["scan", "127.1", "--nameserver", "127.0.0.1:9"], "IP addresses are not accepted"),
        (["scan", "https://example.test/", "--nameserver", "127.0.0.1:9"], "not a URL"),
        (["scan", "--input", "/nonexistent/domains.txt", "--nameserver", "127.0.0.1:9"], "cannot read domain list"),
        (["scan", "good.test", "--nameserver", "nameserver.example"], "invalid nameserver"),
        (["scan", "good.test", "--nameserver", "127.0.0.1:99999"], "port must be"),
        (["scan", "good.test", "--nameserver", "127.0.0.1:9", "--areas", "web,ftp"], "unknown area"),
        (["scan", "good.test", "--nameserver", "127.0.0.1:9", "--ca-file", "/nonexistent.pem"], "CA file"),
        (["scan", "good.test", "--nameserver", "127.0.0.1:9", "--concurrency", "0"], "concurrency"),
        (["scan", "good.test", "--nameserver", "127.0.0.1:9", "--lang", "xx"], "not supported"),
        (["scan", "good.test", "--nameserver", "127.0.0.1:9", "--timeout", "-1"], "timeout"),
        (["scan", "good.test", "--depth", "fast"], "invalid choice"),
        (["scan"], "no domain given"),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(args: list[str], needle: str) -> None:
    proc = _run(*args)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert needle in lines[0]
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_unreachable_nameserver_is_input_error() -> None:
    # Nothing listens on the discard port: the resolver never answers.
    proc = _run("scan", "good.test", "--nameserver", "127.0.0.1:9", "--allow-loopback", "--timeout", "1")
    assert proc.returncode == 2
    assert "does not answer" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_unreadable_input_file(tmp_path: Path) -> None:
    bad = tmp_path / "domains.bin"
    bad.write_bytes(b"\xff\xfe\x00broken")
    proc = _run("scan", "--input", str(bad), "--nameserver", "127.0.0.1:9")
    assert proc.returncode == 2
    assert "cannot read domain list" in proc.stderr


def test_input_file_with_one_bad_line_names_it(tmp_path: Path) -> None:
    lst = tmp_path / "domains.txt"
    lst.write_text("good.test\n# comment\n\nbad_name!.test\n", encoding="utf-8")
    proc = _run("scan", "--input", str(lst), "--nameserver", "127.0.0.1:9")
    assert proc.returncode == 2
    assert "bad_name!.test" in proc.stderr


def test_schema_command_prints_valid_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema

    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "grades" in schema["$defs"]["domain"]["properties"]


def test_no_command_prints_help_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
