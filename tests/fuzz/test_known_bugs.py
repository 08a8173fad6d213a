"""Every bug the fuzzers found, reproduced with the shortest line that showed it. An open bug is a strict xfail (with
an entry in `KNOWN_BUGS` when it breaks a fuzz property); a fixed one stays here as a regression test."""

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


def test_cpus_past_float_range_is_parsed_not_raised() -> None:
    result = _run("docker create --cpus 1e309 alpine")
    assert "OverflowError" not in result.output


def test_unclosed_quote_then_trailing_backslash_is_bash_eof_error() -> None:
    result = _run('docker p"ush\\')
    assert (result.exit_code, result.stderr) == (2, "bash: unexpected EOF while looking for matching `\"'\n")


def test_a_quoted_operator_is_a_word() -> None:
    result = _run("echo '|' '&&' ';' '||'")
    assert (result.exit_code, result.stdout) == (0, "| && ; ||\n")


def test_a_trailing_ampersand_runs_the_command_not_an_argument() -> None:
    sb = Sandbox()
    result = sb.run("docker run -d --name web nginx &")
    assert result.exit_code == 0
    assert sb.container_status("web") == "running"


def test_malformed_operators_are_bash_syntax_errors() -> None:
    result = _run("echo a;; echo b")
    assert (result.exit_code, result.stderr) == (2, "bash: syntax error near unexpected token `;;'\n")


def test_every_known_bug_has_its_xfail_test() -> None:
    tested = {mark.kwargs["reason"] for item in globals().values()
              for mark in getattr(item, "pytestmark", []) if mark.name == "xfail"}
    assert set(REASONS.values()) <= tested


def test_command_substitution_feeds_a_commands_output_as_words() -> None:
    sb = Sandbox()
    sb.run("docker run -d --name one nginx")
    sb.run("docker run --name two alpine true")
    result = sb.run("docker rm -f $(docker ps -aq)")
    assert result.exit_code == 0, result
    assert sb.container_status("one") is None and sb.container_status("two") is None
    assert _run("echo $(echo hi) `echo there`").stdout == "hi there\n"


def test_an_assignment_prefix_sets_the_variable_for_the_command() -> None:
    assert _run("X=1 echo hi").stdout == "hi\n"
