"""The docker client's main (``sandbox/cli/docker.py``), checked against what the real docker 28.2.2 client printed.

Cases in ``data/argv-*.yaml`` with ``stdout``/``stderr``/``exit_code`` were taken from the real client
(``tools/harvest_help.py fixtures``); cases with ``parsed`` state what ``parse_argv`` returns for a command line the
client accepts and hands to the daemon.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.cli.docker import SIMULATED, Invocation, parse_argv
from sandbox.errors import UsageError

DATA = Path(__file__).parent / "data"


def _cases(kind: str) -> list:
    found = []
    for file in sorted(DATA.glob("argv-*.yaml")):
        for case in yaml.safe_load(file.read_text())["cases"]:
            if ("parsed" in case) == (kind == "parsed"):
                found.append(pytest.param(case, id=f"{file.stem.removeprefix('argv-')}:{case['name']}"))
    return found


def _transcript(argv: list[str]) -> tuple[str, str, int]:
    """What the client prints for ``argv`` when it answers by itself (help, version, usage errors)."""
    try:
        invocation = parse_argv(argv)
    except UsageError as err:
        return getattr(err, "stdout", ""), err.message + "\n", err.exit_code
    assert invocation.help_text is not None, f"{argv} would run {invocation.command!r}"
    return invocation.notices + invocation.help_text, invocation.warnings, invocation.exit_code


@pytest.mark.parametrize("case", _cases("client"))
def test_client_prints_what_docker_prints(case: dict) -> None:
    assert _transcript(case["argv"]) == (case["stdout"], case["stderr"], case["exit_code"])


@pytest.mark.parametrize("case", _cases("parsed"))
def test_accepted_command_lines_parse_to_the_documented_invocation(case: dict) -> None:
    invocation = parse_argv(case["argv"])
    expected = case["parsed"]
    assert invocation.help_text is None
    assert invocation.command == expected["command"]
    assert invocation.path == tuple(expected["path"])
    assert invocation.args == tuple(expected.get("args", ()))
    for name, value in expected.get("options", {}).items():
        got = invocation.options[name]
        want = tuple(value) if isinstance(value, list) else value
        if isinstance(got, timedelta):
            got = got.total_seconds()
        assert got == want, name
    assert invocation.changed == frozenset(expected.get("options", {})) | frozenset(expected.get("set_to_default", ()))
    for name, value in expected.get("globals", {}).items():
        assert invocation.globals[name] == (tuple(value) if isinstance(value, list) else value), name
    assert invocation.notices == expected.get("notices", "")
    assert invocation.warnings == expected.get("warnings", "")
    assert invocation.command in SIMULATED or expected.get("simulated") is False


def test_fixtures_cover_every_simulated_command() -> None:
    typed = {tuple(case.values[0]["argv"][1:3]) for case in _cases("client") + _cases("parsed")}
    seen = set()
    for words in typed:
        for width in (1, 2):
            try:
                seen.add(parse_argv(["docker", *words[:width], "--help"]).command)
            except UsageError:
                pass
    assert SIMULATED <= seen


def test_invocation_is_frozen_and_options_read_only() -> None:
    invocation = parse_argv(["docker", "ps", "-a"])
    assert isinstance(invocation, Invocation)
    with pytest.raises(TypeError):
        invocation.options["all"] = False  # type: ignore[index]
    assert invocation.flag_was_set("all") and not invocation.flag_was_set("quiet")


_WORDS = st.sampled_from(
    ["run", "image", "ls", "rm", "-it", "-a", "--rm", "--rm=false", "-p", "8080:80", "--", "-", "---", "--=",
     "-h", "--help", "-e", "A=b", "--name", "x", "-t", "--time", "5", "build", "help", "-D", "-H", "tcp://x",
     "--format", "{{.ID}}", "-q=maybe", "-é", "é", "", " ", "--cpus", "1/3", "--memory", "1.5g", "-l", "DEBUG",
     "container", "system", "prune", "tag", "push", "login", "-u", "--filter", "a=b", "-m", "-1", "--cache-from"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_WORDS, st.text(max_size=8)), max_size=8))
def test_parse_argv_raises_nothing_but_usage_error(words: list[str]) -> None:
    try:
        invocation = parse_argv(["docker", *words])
    except UsageError as err:
        # one line, unless it quotes a learner's word that ends in one (docker -l $'\n': "...logging level: \n")
        assert err.message and (not err.message.endswith("\n") or any(w.endswith("\n") for w in words))
        assert err.exit_code in (1, 125)
    else:
        assert isinstance(invocation.command, str) and invocation.exit_code == 0


def test_a_line_parsed_again_gets_the_same_answer_however_long() -> None:
    line = ["docker", "run", "--rm", "-e", "A=b", "alpine", "echo", "hi"]
    assert parse_argv(line) == parse_argv(list(line))
    long = ["docker", "run", "-e", "A=" + "x" * 4000, "alpine"]  # past what is remembered: parsed afresh, the same way
    assert parse_argv(long).options["env"] == ("A=" + "x" * 4000,)
    for _ in range(2):  # a refusal is raised afresh each time, with the notices it printed first
        with pytest.raises(UsageError) as refused:
            parse_argv(["docker", "stop", "--time", "1", "-t", "2", "c"])
        assert refused.value.message == "conflicting options: cannot specify both --timeout and --time"
        assert refused.value.exit_code == 1 and refused.value.stdout.startswith("Flag --time has been deprecated")
