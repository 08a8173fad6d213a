"""State checks read the world through the sandbox's queries and say what they saw."""

from __future__ import annotations

import pytest

from sandbox import Sandbox
from sandbox.quiz.checks import evaluate
from sandbox.quiz.model import Outcome, StateCheck


@pytest.fixture(scope="module")
def world() -> Sandbox:
    sb = Sandbox()
    sb.run("docker pull alpine")
    sb.run("docker tag alpine learner/alpine:1.0")
    sb.run("docker login -u learner -p s3cret-pass")
    sb.run("docker push learner/alpine:1.0")
    sb.run("docker create --name box alpine")
    sb.host("server").run("docker pull busybox")
    return sb


def look(world: Sandbox, check: StateCheck, last: dict | None = None):
    return evaluate(check, world, "laptop", last or {})


@pytest.mark.parametrize(
    ("check", "met", "observed"),
    [
        (StateCheck("image", "alpine"), True, "present, sha256:"),
        (StateCheck("image", "nginx"), False, "absent"),
        (StateCheck("image", "learner/alpine:1.0", same_as="alpine"), True, "learner/alpine:1.0 is sha256:"),
        (StateCheck("image", "busybox", host="server"), True, "present"),
        (StateCheck("no-image", "busybox"), True, "absent"),
        (StateCheck("container", "box"), True, "created"),
        (StateCheck("container", "box", status="running"), False, "created"),
        (StateCheck("container", "nope"), False, "no such container"),
        (StateCheck("no-container", "nope"), True, "no such container"),
        (StateCheck("no-container", "box"), False, "exists, created"),
        (StateCheck("pushed", "learner/alpine:1.0", same_as="alpine"), True, "the registry has sha256:"),
        (StateCheck("pushed", "learner/alpine:2.0"), False, "the registry does not have it"),
        (StateCheck("not-pushed", "learner/alpine:2.0"), True, "the registry does not have it"),
        (StateCheck("pushed", "localhost:5000/alpine:1.0"), False, "the registry does not have it"),
        (StateCheck("logged-in", "docker.io", user="learner"), True, "logged in as learner"),
        (StateCheck("logged-in", "docker.io", user="alice"), False, "logged in as learner"),
        (StateCheck("logged-in", "docker.io", host="server"), False, "not logged in"),
        (StateCheck("logged-out", "docker.io", host="server"), True, "not logged in"),
        (StateCheck("logged-out", "localhost:5000"), True, "not logged in"),
    ],
)
def test_check_against_the_world(world: Sandbox, check: StateCheck, met: bool, observed: str) -> None:
    result = look(world, check)
    assert result.met is met
    assert result.observed.startswith(observed)


def test_output_checks_read_the_last_command_replayed_on_the_host(world: Sandbox) -> None:
    last = {"laptop": Outcome("laptop", "$ docker push x", 1, "Preparing\n", "denied: requested access\n")}
    assert look(world, StateCheck("last-exit", "1"), last).met
    assert look(world, StateCheck("stdout-has", "Preparing"), last).met
    assert look(world, StateCheck("stderr-has", "denied"), last).met
    assert not look(world, StateCheck("stdout-has", "denied"), last).met
    assert look(world, StateCheck("stdout-has", "x", host="server"), last).observed == "no command ran there"


def test_last_exit_falls_back_to_the_hosts_own_record(world: Sandbox) -> None:
    assert look(world, StateCheck("last-exit", "0", host="server")).met


def test_result_line_marks_met_and_not_met(world: Sandbox) -> None:
    assert look(world, StateCheck("image", "nginx")).line("laptop") == "[not met] image nginx exists on laptop (absent)"
