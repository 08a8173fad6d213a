"""The docker client and the little shell around it: one command line in, one `Result` out.

A line is split as bash splits it (quotes, ``&&``, ``||``, ``;`` and ``echo ... |`` feeding stdin, which tutorials use
for ``--password-stdin``). ``docker`` lines go to the client; ``echo``, ``cat``, ``ls``, ``pwd`` and ``cd`` are the
shell niceties lessons need; anything else is ``command not found``. Nothing here raises: every failure becomes
Docker's (or bash's) text and exit code.
"""

from __future__ import annotations

import shlex
from typing import Callable, Protocol

from sandbox.cli.docker import Invocation, parse_argv
from sandbox.cli.output import Output
from sandbox.cli.result import Result
from sandbox.cli.shellwords import Command, Pipeline, parse, split_lists
from sandbox.errors import SandboxError, ShellError, UsageError, not_available

#: The longest command line we accept, so hostile input stays cheap (bash has its own, larger, ARG_MAX).
MAX_LINE = 64 * 1024
#: The largest file a redirection may write on a host (the same cap as `Sandbox.write_file`).
MAX_REDIRECT_BYTES = 1024 * 1024


class Machine(Protocol):
    """What the client needs from a host: its daemon, its files, where it stands, and its name."""

    name: str
    engine: object
    files: dict[str, bytes]
    cwd: str
    home: str
    last_exit_code: int | None


Handler = Callable[[Machine, Invocation, Output], int]


def execute(machine: Machine, line: str, stdin: str | None = None, depth: int = 0) -> Result:
    """Run one command line on ``machine`` and return what a terminal would show."""
    out = Output()
    if len(line) > MAX_LINE:
        out.err(f"bash: command line too long ({len(line)} characters; the sandbox accepts {MAX_LINE})\n")
        return _finish(machine, line, out, 126)
    try:
        parse(line, lambda name: "", lambda command: "")  # bash refuses bad syntax before running anything
    except ShellError as error:
        out.err(error.message + "\n")
        return _finish(machine, line, out, error.exit_code)
    code = 0
    for connector, text, background in split_lists(line):
        if connector == "&&" and code != 0 or connector == "||" and code == 0:
            continue
        try:  # expanded only now, as bash expands each command when it is about to run it
            pipelines = parse(text, lambda name: _variable(machine, name),
                              lambda command: _substitute(machine, command, stdin, out, depth))
        except ShellError as error:
            out.err(error.message + "\n")
            code = error.exit_code
            machine.last_exit_code = code
            continue
        for pipeline in pipelines:
            code = _run_pipeline(machine, pipeline, stdin, out)
        if background:  # the job runs on; bash's $? is 0 once it is started
            code = 0
        machine.last_exit_code = code
    return _finish(machine, line, out, code)


def _finish(machine: Machine, line: str, out: Output, code: int) -> Result:
    machine.last_exit_code = code
    return Result(line, code, out.stdout, out.stderr, machine.name, tuple(out.chunks), tuple(out.progress))


#: How deeply ``$(...)`` may nest: bash has no such limit, but a sandbox line must stay cheap.
MAX_SUBSTITUTION_DEPTH = 8


def _substitute(machine: Machine, command: str, stdin: str | None, out: Output, depth: int) -> str:
    """``$(command)``: run it on the same host; its stdout becomes words, its stderr reaches the terminal."""
    if depth >= MAX_SUBSTITUTION_DEPTH:
        raise ShellError(f"bash: command substitution nested more than {MAX_SUBSTITUTION_DEPTH} deep", 1)
    result = execute(machine, command, stdin, depth + 1)
    out.err(result.stderr)
    out.progress.extend(result.progress)
    return result.stdout


def _variable(machine: Machine, name: str) -> str:
    """The learner's shell environment on a host (unknown names expand to nothing, as in bash)."""
    shell_vars = getattr(machine, "shell_vars", {})
    if name in shell_vars:
        return shell_vars[name]
    known = {
        "HOME": machine.home, "USER": "learner", "LOGNAME": "learner", "PWD": machine.cwd, "SHELL": "/bin/bash",
        "HOSTNAME": machine.name, "PATH": "/usr/local/bin:/usr/bin:/bin",
        "?": str(machine.last_exit_code or 0), "$": "4242", "0": "bash", "#": "0", "-": "himBH", "!": "",
    }
    return known.get(name, "")


def _run_pipeline(machine: Machine, pipeline: Pipeline, stdin: str | None, out: Output) -> int:
    feed = stdin
    code = 0
    for index, command in enumerate(pipeline.commands):
        last = index == len(pipeline.commands) - 1
        stage_out = Output()
        code = _run_redirected(machine, command, feed, stage_out)
        if last:
            out.chunks.extend(stage_out.chunks)
        else:
            out.err(stage_out.stderr)
            feed = stage_out.stdout
        out.progress.extend(stage_out.progress)
    return code


def _run_redirected(machine: Machine, command: Command, stdin: str | None, out: Output) -> int:
    """Apply ``<``, ``>``, ``>>``, ``2>``, ``2>&1`` around one command, with the host's files as targets."""
    from sandbox.cli.shell import resolve_path

    to_file: dict[str, tuple[str, bool]] = {}
    merge_err = False
    for operator, target in command.redirects:
        descriptor = operator[: len(operator) - len(operator.lstrip("0123456789"))] or ("0" if "<" in operator else "1")
        kind = operator.lstrip("0123456789")
        if kind == ">&":
            merge_err = descriptor == "2" and target == "1"
            continue
        path = resolve_path(machine, target)
        if kind == "<":
            if path not in machine.files:
                out.err(f"bash: {target}: No such file or directory\n")
                return 1
            stdin = machine.files[path].decode("utf-8", "replace")
        else:
            to_file["stderr" if descriptor == "2" else "stdout"] = (path, kind == ">>")
    if not command.words:
        for path, append in to_file.values():
            machine.files[path] = machine.files.get(path, b"") if append else b""
        for name, value in command.assignments:  # NAME=value alone sets a shell variable
            if len(value) > MAX_REDIRECT_BYTES:
                out.err("bash: xmalloc: cannot allocate memory\n")
                return 2
            machine.shell_vars[name] = value
        return 0
    inner = Output()
    code = _run_command(machine, command.words, stdin, inner)
    for stream, text in inner.chunks:
        stream = "stdout" if merge_err and stream == "stderr" else stream
        if stream in to_file:
            path, append = to_file[stream]
            previous = machine.files.get(path, b"") if append else b""
            if len(previous) + len(text) > MAX_REDIRECT_BYTES:
                out.err("bash: write error: No space left on device\n")
                return 1
            machine.files[path] = previous + text.encode()
            to_file[stream] = (path, True)
        else:
            out.chunks.append((stream, text))
    for stream, (path, _) in to_file.items():
        machine.files.setdefault(path, b"")
    out.progress.extend(inner.progress)
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
        out.err(not_available(f"'{' '.join(invocation.path)}'") + "\n\n"
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
