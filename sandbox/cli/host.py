"""The learner's host as the shell sees it: the host's files, its environment, and the programs on its PATH (the
utilities every machine has, ``sh``/``bash``, and ``docker``, the client of this package).

`execute` runs one typed line through `sandbox.shell` in bash's interactive flavour and turns what it printed into
a `Result`. Variables, the working directory and the history persist on the host between lines, as in a terminal.
"""

from __future__ import annotations

from sandbox.cli.output import Output
from sandbox.cli.result import Result
from sandbox.shell import BASH, DASH, UTILITIES, Blocked, Budget, BudgetExhausted, Machine, Shell, normalize, notice
from sandbox.shell import shell_program

#: The longest command line we accept, so hostile input stays cheap (bash has its own, larger, ARG_MAX).
MAX_LINE = 64 * 1024
#: What one line may print to the terminal: a notebook cell cannot hold more, so the line stops there.
MAX_TERMINAL = 8 * 1024 * 1024
#: Where programs live on the host, and the PATH that finds them.
BIN = "/usr/bin"
PATH = "/usr/local/bin:/usr/bin:/bin"
#: The host's own programs besides docker: the shared utilities and the two shells.
_HOST_PROGRAMS = {**{f"{BIN}/{name}": program for name, program in UTILITIES.items()},
                  "/bin/sh": shell_program(DASH), "/bin/bash": shell_program(BASH), f"{BIN}/bash": shell_program(BASH)}
#: Lines of history a host keeps, as bash's default HISTSIZE.
HISTSIZE = 500
#: What ``sleep infinity`` or a loop that sleeps does at the prompt: a terminal would hang until Ctrl-C.
WAITS_FOREVER = ("imageshare sandbox: this command waits for ever (a terminal would sit here until Ctrl-C); "
                 "the sandbox stopped it\n")


def resolve_path(machine, path: str) -> str:
    """An absolute, normalized path: ``~`` is the home directory, relative paths start at the working directory."""
    if path == "~" or path.startswith("~/"):
        path = machine.home + path[1:]
    elif not path.startswith("/"):
        path = f"{machine.cwd}/{path}"
    return normalize(path)


def environment(host) -> dict[str, str]:
    """The learner's login environment on ``host`` (nothing of the real machine's)."""
    return {"HOME": host.home, "USER": "learner", "LOGNAME": "learner", "SHELL": "/bin/bash",
            "HOSTNAME": host.name, "PATH": PATH, "PWD": host.cwd, "TERM": "xterm-256color", "LANG": "C.UTF-8"}


def host_machine(host, terminal: bool = False, attached: list | None = None) -> Machine:
    """The host as a `Machine`: its own files and directories, the shared utilities, and ``docker``. With
    ``terminal`` the learner types at a terminal (stdin is a keyboard); ``attached`` collects a container terminal
    a docker line opens."""
    programs = dict(_HOST_PROGRAMS)
    programs[f"{BIN}/docker"] = _docker_program(host, attached if attached is not None else [])
    always = {"/home", host.home, host.cwd, "/tmp", "/usr", BIN}  # a host's own directories, never removed
    return Machine(files=host.files, directories=set(host.directories), programs=programs, hostname=host.name,
                   listed={directory: set() for directory in always},
                   now=host.engine.services.clock.now, tools="gnu", stdin_open=terminal,
                   arch=host.engine.platform_machine,
                   identity="uid=1000(learner) gid=1000(learner) groups=1000(learner),999(docker)")


def _docker_program(host, attached: list):
    def docker(call) -> int:
        from sandbox.cli.app import run_docker

        out = Output()
        out.keyboard = call.shell.machine.stdin_open
        out.terminal = out.keyboard and call.stdin is None  # piped input is no terminal
        code = run_docker(host, list(call.argv), call.stdin, out)
        if out.attach is not None:
            attached.append(out.attach)
        for stream, text in out.chunks:
            (call.out if stream == "stdout" else call.err)(text)
        call.shell.events.extend(out.progress)
        return code

    return docker


def execute(host, line: str, stdin: str | None = None, terminal: bool = False) -> Result:
    """Run one command line on ``host`` and return what a terminal would show. ``terminal`` says the learner typed
    it at a terminal (the terminal widget, ``imageshare shell``): ``docker run -it`` then attaches to the container."""
    out = Output()
    if len(line) > MAX_LINE:
        out.err(f"bash: command line too long ({len(line)} characters; the sandbox accepts {MAX_LINE})\n")
        return _finish(host, line, out, 126)
    printed = [0]

    def emit(stream: str, text: str) -> None:
        printed[0] += len(text)
        if printed[0] > MAX_TERMINAL:
            raise BudgetExhausted(f"stopped after printing {MAX_TERMINAL // (1024 * 1024)} MiB")
        out.chunks.append((stream, text))

    base = environment(host)
    variables = {**base, **host.shell_vars}
    attached: list = []
    machine = host_machine(host, terminal, attached)
    shell = Shell(machine, BASH, emit, Budget(), name="bash", variables=variables, exported=set(base),
                  cwd=host.cwd, interactive=True, status=host.last_exit_code or 0, pid=4242,
                  history=host.history + (line,), events=out.progress)
    shell.stdin = stdin
    host.history = (host.history + (line,))[-HISTSIZE:]
    try:
        code = shell.run(line)
    except BudgetExhausted as spent:
        out.err(notice(spent.message))
        code = 124
    except Blocked:
        out.err(WAITS_FOREVER)
        code = 130
    host.cwd = shell.cwd
    if machine.directories != host.directories:  # mkdir, rm -r
        host.directories = frozenset(machine.directories)
    host.shell_vars = {name: value for name, value in shell.variables.items()
                       if name != "PWD" and base.get(name) != value}
    if machine.slept:
        host.engine.services.clock.advance(machine.slept)
    return _finish(host, line, out, code, attached[-1] if attached else None)


def _finish(host, line: str, out: Output, code: int, attach: tuple | None = None) -> Result:
    host.last_exit_code = code
    return Result(line, code, out.stdout, out.stderr, host.name, tuple(out.chunks), tuple(out.progress), attach)
