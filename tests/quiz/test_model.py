"""The format's values: how commands are shown and state checks described in feedback."""

from __future__ import annotations

import pytest

from sandbox.quiz.model import CHECK_MODIFIERS, CHECKS, Command, StateCheck


def test_command_shows_the_prompt_of_its_host() -> None:
    assert Command("docker ps").shown("laptop") == "$ docker ps"
    assert Command("docker ps", on="laptop").shown("laptop") == "$ docker ps"
    assert Command("docker ps", on="server").shown("laptop") == "server$ docker ps"


@pytest.mark.parametrize(
    ("check", "text"),
    [
        (StateCheck("image", "myimage"), "image myimage exists on laptop"),
        (StateCheck("image", "a", same_as="b"), "image a exists on laptop, the same image as b"),
        (StateCheck("container", "web", host="server", status="running"),
         "container web exists on server and is running"),
        (StateCheck("pushed", "learner/web:1.0", same_as="web"),
         "the registry has learner/web:1.0, the same image as web on laptop"),
        (StateCheck("logged-in", "docker.io", user="learner"), "logged in to docker.io on laptop as learner"),
        (StateCheck("logged-out", ""), "not logged in to docker.io on laptop"),
        (StateCheck("last-exit", "1"), "the last command on laptop exited with 1"),
        (StateCheck("stdout-has", "Layer already exists"),
         "the last command on laptop printed 'Layer already exists'"),
    ],
)
def test_state_checks_describe_themselves(check: StateCheck, text: str) -> None:
    assert check.describe("laptop") == text


def test_every_check_has_its_modifiers_listed() -> None:
    assert set(CHECK_MODIFIERS) == set(CHECKS)
    for check in CHECKS:
        StateCheck(check, "x").describe()
