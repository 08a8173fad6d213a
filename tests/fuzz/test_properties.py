"""The fuzz properties themselves (``properties.py``): what each line promises, and that a broken promise fails."""

from __future__ import annotations

import shlex

import pytest

from sandbox import Sandbox

from .properties import expectation, run_and_check


@pytest.mark.parametrize("line", [
    "docker run -v /srv:/srv alpine", "docker build --network host .", "docker run --hostname box alpine",
    "docker -H tcp://h:1 images", "docker logs --since 1m web", "docker push --disable-content-trust=false alpine",
])
def test_a_flag_the_sandbox_does_not_simulate_promises_a_refusal(line: str) -> None:
    assert expectation(shlex.split(line))[0] == "refused"


@pytest.mark.parametrize("line", ["docker run --rm alpine", "docker run --privileged=false alpine",
                                  "docker build --rm -t web .", "docker images --filter dangling=true",
                                  "docker run -w /srv -u nobody alpine", "docker build --target app --label a=b .",
                                  "docker ps --size", "docker history --format '{{.ID}}' alpine"])
def test_simulated_flags_and_defaults_promise_no_refusal(line: str) -> None:
    assert expectation(shlex.split(line))[0] != "refused"


def test_the_refusal_property_holds_for_a_refused_line() -> None:
    sb = Sandbox()
    sb.run("docker pull alpine")
    line = "docker run -d --name web --hostname box alpine sleep 60"
    result = run_and_check(sb.world, sb, line, shlex.split(line))
    assert result is not None and result.exit_code == 1
