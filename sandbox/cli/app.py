"""The docker client: argv in, Docker's text and exit code out. The learner's shell around it (`sandbox.shell`,
adapted to a host in `sandbox.cli.host`) runs ``docker`` as one more program on the host's PATH. Nothing here
raises: every failure becomes Docker's text and exit code.
"""

from __future__ import annotations

import shlex
from typing import Callable, Protocol

from sandbox.cli.docker import Invocation, parse_argv
from sandbox.cli.host import MAX_LINE, execute
from sandbox.cli.output import Output
from sandbox.errors import SandboxError, UsageError, not_available

__all__ = ["MAX_LINE", "Machine", "execute", "report", "run_docker"]


class Machine(Protocol):
    """What the client needs from a host: its daemon, its files, where it stands, and its name."""

    name: str
    engine: object
    files: dict[str, bytes]
    cwd: str
    home: str
    last_exit_code: int | None


Handler = Callable[[Machine, Invocation, Output], int]


#: Commands whose handler refuses unsimulated flags itself, after the client-side checks Docker makes first.
CHECKS_FLAGS_ITSELF = frozenset({"container run", "container create"})


def run_docker(machine: Machine, argv: list[str], stdin: str | None, out: Output) -> int:
    """The docker client: parse argv as cobra would, call the command, print errors in Docker's words."""
    from sandbox.cli.commands import HANDLERS
    from sandbox.cli.simulated_flags import refuse_unsimulated

    try:
        invocation = parse_argv(argv)
    except UsageError as error:
        out.print(getattr(error, "stdout", ""))
        out.err(error.message.rstrip("\n") + "\n")
        return error.exit_code
    out.print(invocation.notices)
    out.err(invocation.warnings)
    if invocation.help_text is not None:
        if invocation.help_text:
            out.print(invocation.help_text.rstrip("\n") + "\n")
        return invocation.exit_code
    handler = HANDLERS.get(invocation.command)
    if handler is None:
        out.err(not_available(f"'{' '.join(invocation.path)}'") + "\n\n"
                "Run 'docker --help' for more information\n")
        return 1
    out.stdin = stdin
    try:
        if invocation.command not in CHECKS_FLAGS_ITSELF:
            refuse_unsimulated(invocation)
        return handler(machine, invocation, out)
    except SandboxError as error:
        return report(error, out, invocation)


def report(error: SandboxError, out: Output, invocation: Invocation) -> int:
    """Print an error the way the docker client prints it for this command; returns the exit code."""
    text = error.message
    if error.from_daemon:
        text = "Error response from daemon: " + text
    out.err(text + "\n")
    return error.exit_code


def quote_command(argv: list[str]) -> str:
    """A command line re-joined with shell quoting (for echoing)."""
    return " ".join(shlex.quote(arg) for arg in argv)
