"""What every program of an official image relies on: the container's files from its working directory, the PATH
search of its environment, ``exec`` of the next program, and an interpreter that reads stdin at a prompt."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.shell import Blocked, normalize

if TYPE_CHECKING:
    from sandbox.shell import Call

#: The PATH Docker gives a container whose image sets none.
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def join(cwd: str, path: str) -> str:
    """``path`` from ``cwd``, normalized."""
    return normalize(path if path.startswith("/") else f"{cwd}/{path}")


def read(call: "Call", path: str) -> bytes | None:
    """A file of the container, relative to the working directory, or None."""
    return call.shell.machine.read(join(call.shell.cwd, path))


def resolve(call: "Call", name: str) -> str | None:
    """The executable ``name`` runs, as the kernel (a path) or a PATH search (a bare name) finds it."""
    machine = call.shell.machine
    if "/" in name:
        path = join(call.shell.cwd, name)
        return path if path in machine.programs or path in machine.files else None
    return machine.find(name, call.env.get("PATH") or DEFAULT_PATH)


def run(call: "Call", path: str, argv: list[str]) -> int:
    """``exec`` the program at ``path`` with ``argv`` and the caller's streams and environment."""
    from sandbox.shell import Call as _Call

    return call.shell.run_program(path, _Call(list(argv), call.io, call.shell, call.env, call.line))


def write(call: "Call", stream: str, text: str) -> None:
    """Write ``text`` to ``stream`` (``stdout`` or ``stderr``)."""
    (call.out if stream == "stdout" else call.err)(text)


def repl(call: "Call", banner: str) -> int:
    """An interpreter started without a script: it reads stdin, so it lives exactly as long as stdin is open."""
    if not call.shell.machine.stdin_open:
        return 0
    if call.shell.machine.tty:
        call.out(banner)
    raise Blocked


def entrypoint_exec(call: "Call", script: str, line: int, argv: list[str]) -> int:
    """The ``exec "$@"`` that ends every official entrypoint script."""
    path = resolve(call, argv[0])
    if path is None:
        if call.shell.machine.userland in ("debian", "ubuntu"):  # the entrypoint runs under dash there
            call.err(f"{script}: {line}: exec: {argv[0]}: not found\n")
        else:
            call.err(f"{script}: exec: line {line}: {argv[0]}: not found\n")
        return 127
    return run(call, path, argv)
