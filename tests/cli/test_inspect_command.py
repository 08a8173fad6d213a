"""docker inspect, docker image inspect and docker container inspect: what the client answers before it asks the
daemon (each row printed by the docker 28.2.2 client), and what the template inspector prints when nothing was
inspected (docker/cli v28.2.2 cli/command/inspect/inspector.go: Flush writes an empty line for an empty buffer)."""

from __future__ import annotations

import pytest

from sandbox import Sandbox


@pytest.mark.parametrize("line, output", [
    # the API client refuses an empty container id after trimming spaces (trimID), an empty image id as not found
    ("docker container inspect ''", "[]\ninvalid container name or ID: value is empty\n"),
    ("docker container inspect ' '", "[]\ninvalid container name or ID: value is empty\n"),
    ("docker inspect ''", "[]\ninvalid container name or ID: value is empty\n"),  # containers are tried first
    ("docker inspect --type image ''", "[]\nError: No such image: \n"),
    ("docker image inspect '' -f '{{.Id}}'", "\nError: No such image: \n"),
    # with a template and nothing inspected, the inspector's Flush writes one empty line
    ("docker container inspect -f '{{.Id}}' ''", "\ninvalid container name or ID: value is empty\n"),
])
def test_the_client_refuses_an_empty_id_without_asking_the_daemon(line: str, output: str) -> None:
    result = Sandbox().run(line)
    assert (result.output, result.exit_code) == (output, 1)


def test_a_template_with_nothing_inspected_prints_an_empty_line_then_the_errors() -> None:
    result = Sandbox().run("docker image inspect -f '{{.Os}}' nope")
    assert (result.output, result.exit_code) == ("\nError response from daemon: No such image: nope:latest\n", 1)
