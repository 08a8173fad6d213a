"""The ``imageshare`` command's own dispatch: every command group answers ``--help`` with its usage (exit 0) and an
unknown or missing subcommand with a message and that usage on stderr (exit 2), as argparse-based tools do."""

from __future__ import annotations

import pytest

from sandbox.entrypoint import main


def test_no_command_prints_the_usage_and_fails(capsys) -> None:
    assert main([]) == 2
    assert capsys.readouterr().out.startswith("usage: imageshare COMMAND")


def test_an_unknown_command_is_named(capsys) -> None:
    assert main(["grades"]) == 2
    assert capsys.readouterr().err.startswith("imageshare: unknown command 'grades'\n")


@pytest.mark.parametrize("flag", ["--help", "-h", "help"])
def test_course_help_describes_its_one_command(flag, capsys) -> None:
    assert main(["course", flag]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: imageshare course serve --course FILE")
    assert "managed service" in out


def test_course_without_or_with_an_unknown_subcommand_fails_with_the_usage(capsys) -> None:
    assert main(["course"]) == 2
    assert capsys.readouterr().err.startswith("usage: imageshare course serve")
    assert main(["course", "server"]) == 2
    assert capsys.readouterr().err.startswith("imageshare course: unknown command 'server' (the one command is 'serve')")
