"""One strict xfail per bug in `KNOWN_BUGS`, reproducing it with the shortest line the fuzzers found; a fixed bug makes
its test pass, strict xfail fails the suite, and the entry and this marker are deleted together. Then the shell's
other departures from bash that the fuzzers' lines showed (no property breaks, so the fuzzers cannot count them)."""

from __future__ import annotations

import pytest

from sandbox import Result, Sandbox

from .known_bugs import KNOWN_BUGS
from .properties import PYTHON_LEAK

REASONS = {bug.name: bug.reason for bug in KNOWN_BUGS}


def _run(line: str) -> Result:
    result = Sandbox().run(line)
    assert isinstance(result, Result)
    assert PYTHON_LEAK.search(result.output) is None, result.output
    return result


@pytest.mark.xfail(strict=True, reason=REASONS["cpus-overflow"])
def test_cpus_past_float_range_is_parsed_not_raised() -> None:
    result = _run("docker create --cpus 1e309 alpine")
    assert "OverflowError" not in result.output


@pytest.mark.xfail(strict=True, reason=REASONS["escape-then-unclosed-quote"])
def test_unclosed_quote_then_trailing_backslash_is_bash_eof_error() -> None:
    result = _run('docker p"ush\\')
    assert (result.exit_code, result.stderr) == (2, "bash: unexpected EOF while looking for matching `\"'\n")


@pytest.mark.xfail(strict=True, reason=REASONS["quoted-operator"])
def test_a_quoted_operator_is_a_word() -> None:
    result = _run("echo '|' '&&' ';' '||'")
    assert (result.exit_code, result.stdout) == (0, "| && ; ||\n")


@pytest.mark.xfail(strict=True, reason="BUG: a trailing & is passed to the command as an argument instead of "
                   "running it in the background (docker run nginx & runs a container whose command is '&')")
def test_a_trailing_ampersand_runs_the_command_not_an_argument() -> None:
    sb = Sandbox()
    result = sb.run("docker run -d --name web nginx &")
    assert result.exit_code == 0
    assert sb.container_status("web") == "running"


@pytest.mark.xfail(strict=True, reason="BUG: 'echo a;; echo b' and 'echo a &&& echo b' print their operators as words; "
                   "bash refuses both: syntax error near unexpected token, exit 2")
def test_malformed_operators_are_bash_syntax_errors() -> None:
    result = _run("echo a;; echo b")
    assert (result.exit_code, result.stderr) == (2, "bash: syntax error near unexpected token `;;'\n")


def test_every_known_bug_has_its_xfail_test() -> None:
    tested = {mark.kwargs["reason"] for item in globals().values()
              for mark in getattr(item, "pytestmark", []) if mark.name == "xfail"}
    assert set(REASONS.values()) <= tested
