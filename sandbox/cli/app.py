"""The docker client and the little shell around it: one command line in, one `Result` out.

A line is split as bash splits it (quotes, ``&&``, ``||``, ``;`` and ``echo ... |`` feeding stdin, which tutorials use
for ``--password-stdin``). ``docker`` lines go to the client; ``echo``, ``cat``, ``ls``, ``pwd`` and ``cd`` are the
shell niceties lessons need; anything else is ``command not found``. Nothing here raises: every failure becomes
Docker's (or bash's) text and exit code.
"""

from __future__ import annotations

import re
import shlex
from typing import Callable, Protocol

from sandbox.cli.argv import Invocation, parse_argv
from sandbox.cli.output import Output
from sandbox.cli.result import Result
from sandbox.errors import SandboxError, ShellError, UsageError

#: The longest command line we accept, so hostile input stays cheap (bash has its own, larger, ARG_MAX).
MAX_LINE = 64 * 1024


class Machine(Protocol):
    """What the client needs from a host: its daemon, its files, where it stands, and its name."""

    name: str
    engine: object
    files: dict[str, bytes]
    cwd: str
    home: str
    last_exit_code: int | None


Handler = Callable[[Machine, Invocation, Output], int]


def execute(machine: Machine, line: str, stdin: str | None = None) -> Result:
    """Run one command line on ``machine`` and return what a terminal would show."""
    out = Output()
    if len(line) > MAX_LINE:
        out.err(f"bash: command line too long ({len(line)} characters; the sandbox accepts {MAX_LINE})\n")
        return _finish(machine, line, out, 126)
    try:
        tokens = _split(line)
    except ShellError as error:
        out.err(error.message + "\n")
        return _finish(machine, line, out, error.exit_code)
    code = 0
    for pipeline, operator in _chain(tokens):
        if operator == "&&" and code != 0 or operator == "||" and code == 0:
            continue
        code = _run_pipeline(machine, pipeline, stdin, out)
        machine.last_exit_code = code
    return _finish(machine, line, out, code)


def _finish(machine: Machine, line: str, out: Output, code: int) -> Result:
    machine.last_exit_code = code
    return Result(line, code, out.stdout, out.stderr, machine.name, tuple(out.chunks), tuple(out.progress))


_BLANKS = re.compile(r"[ \t\r\n]+")
_SHELL_SPECIAL = frozenset("'\"\\;&|#$`")


def _split(line: str) -> list[str]:
    if _SHELL_SPECIAL.isdisjoint(line):  # the common case needs no lexer; bash splits on blanks only
        return [word for word in _BLANKS.split(line) if word]
    lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        return list(lexer)
    except ValueError as problem:
        quote = '"' if "quotation" in str(problem) and line.count('"') % 2 else "'"
        if "escape" in str(problem):
            return list(shlex.split(line + "\\"))
        raise ShellError(f"bash: unexpected EOF while looking for matching `{quote}'", 2) from None


def _chain(tokens: list[str]):
    """Yield (pipeline tokens, operator that precedes it)."""
    current: list[str] = []
    operator = ""
    for token in tokens:
        if token in ("&&", "||", ";"):
            yield current, operator
            current, operator = [], token
        else:
            current.append(token)
    yield current, operator


def _run_pipeline(machine: Machine, tokens: list[str], stdin: str | None, out: Output) -> int:
    if not tokens:
        return 0
    stages: list[list[str]] = [[]]
    for token in tokens:
        if token == "|":
            stages.append([])
        else:
            stages[-1].append(token)
    feed = stdin
    code = 0
    for index, stage in enumerate(stages):
        last = index == len(stages) - 1
        stage_out = out if last else Output()
        code = _run_command(machine, stage, feed, stage_out)
        if not last:
            out.err(stage_out.stderr)
            out.progress.extend(stage_out.progress)
            feed = stage_out.stdout
    return code


def _run_command(machine: Machine, argv: list[str], stdin: str | None, out: Output) -> int:
    if not argv:
        out.err("bash: syntax error near unexpected token `|'\n")
        return 2
    program = argv[0]
    if program == "docker":
        return run_docker(machine, argv, stdin, out)
    from sandbox.cli import shell

    builtin = shell.BUILTINS.get(program)
    if builtin is None:
        out.err(f"bash: {program}: command not found\n")
        return 127
    return builtin(machine, argv, stdin, out)


def run_docker(machine: Machine, argv: list[str], stdin: str | None, out: Output) -> int:
    """The docker client: parse argv as cobra would, call the command, print errors in Docker's words."""
    from sandbox.cli.commands import HANDLERS

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
        out.err(f"docker: '{' '.join(invocation.path)}' is not available in this sandbox\n\n"
                "Run 'docker --help' for more information\n")
        return 1
    out.stdin = stdin
    try:
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
