"""cobra's command tree as docker/cli builds it (``sandbox/cli/cobra.py``): names and aliases, ``Traverse``, the
positional-argument rules in the client's words, usage lines."""

from __future__ import annotations

import pytest

from sandbox.cli.cobra import ParseState, args_error, find, find_next, root, traverse, usage_line


def test_a_subcommand_is_found_by_name_or_alias() -> None:
    image = find_next(root(), "image")
    assert find_next(image, "ls").path == find_next(image, "list").path == ("image", "ls")
    assert find_next(root(), "images").path == ("images",)
    assert find_next(root(), "imagez") is None


def test_find_stops_at_the_first_word_that_names_no_subcommand() -> None:
    command, used = find(["image", "list", "alpine"])
    assert (command.path, used) == (("image", "ls"), 2)


def test_traverse_parses_parent_flags_on_the_way_down() -> None:
    state = ParseState()
    command, rest = traverse(state, root(), ["-D", "image", "ls", "-a"])
    assert command.path == ("image", "ls") and rest == ["-a"]
    assert state.was_set(root(), "debug")


def test_the_command_key_is_the_first_alias() -> None:
    assert find_next(root(), "rmi").key == "image rm"
    assert find_next(root(), "inspect").key == "inspect"


def test_argument_rules_speak_docker_clis_words() -> None:
    tag = find_next(root(), "tag")
    assert args_error(tag, ["a", "b"]) is None
    assert args_error(tag, ["a"]) == (
        "docker: 'docker tag' requires 2 arguments\n\nUsage:  docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]\n\n"
        "Run 'docker tag --help' for more information"
    )
    image = find_next(root(), "image")
    assert args_error(image, ["x"]).startswith("docker: unknown command: docker image x\n")


def test_usage_line_for_keys_and_typed_paths() -> None:
    assert usage_line("push") == "Usage:  docker push [OPTIONS] NAME[:TAG]"
    assert usage_line("image push") == "Usage:  docker image push [OPTIONS] NAME[:TAG]"
    assert usage_line(("image", "list")) == "Usage:  docker image ls [OPTIONS] [REPOSITORY[:TAG]]"
    assert usage_line("image") == "Usage:  docker image"
    with pytest.raises(KeyError):
        usage_line("xyz")
