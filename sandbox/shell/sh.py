"""The shell as a program on a machine: ``sh``, ``ash``, ``dash`` and ``bash`` with ``-c TEXT``, a script file, or
commands on stdin; with none of these it reads its terminal (a prompt that waits) or ends at end of input."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from sandbox.shell.execute import Blocked
from sandbox.shell.flavours import Flavour, prompt

if TYPE_CHECKING:
    from sandbox.shell.execute import Call

_OPTION_MISSING = {
    "bash": "{name}: -c: option requires an argument\n",
    "dash": "{name}: 0: -c requires an argument\n",
    "ash": "{name}: -c requires an argument\n",
}
_SCRIPT_MISSING = {
    "bash": ("{name}: {script}: No such file or directory\n", 127),
    "dash": ("{name}: 0: cannot open {script}: No such file\n", 2),
    "ash": ("{name}: can't open '{script}': No such file or directory\n", 2),
}


def shell_program(flavour: Flavour) -> Callable[["Call"], int]:
    """The executable of one shell flavour, to install at ``/bin/sh``, ``/bin/bash`` ..."""

    def run(call: "Call") -> int:
        name = call.argv[0]
        args = call.argv[1:]
        script: str | None = None
        while args and args[0].startswith(("-", "+")) and args[0] not in ("-", "--"):
            option, args = args[0], args[1:]
            if option in ("--login", "--norc", "--noprofile", "--posix"):
                continue
            if "c" in option:
                if not args:
                    call.err(_OPTION_MISSING[flavour.name].format(name=name))
                    return 2
                script, args = args[0], args[1:]
        if args[:1] == ["--"]:
            args = args[1:]
        machine = call.shell.machine
        if script is not None:
            child = call.shell.nested(flavour, args[0] if args else name, args[1:], call.io, call.env, source="-c")
            return child.run(script)
        if args:
            content = machine.read(call.path(args[0]))
            if content is None:
                message, status = _SCRIPT_MISSING[flavour.name]
                call.err(message.format(name=name, script=args[0]))
                return status
            child = call.shell.nested(flavour, args[0], args[1:], call.io, call.env)
            return child.run(content.decode(errors="replace"))
        if call.stdin is not None:
            child = call.shell.nested(flavour, name, [], call.io, call.env)
            child.stdin = None
            return child.run(call.stdin)
        if machine.stdin_open:
            if machine.tty:
                home = call.env.get("HOME", "/root")
                call.err(prompt(flavour, machine.hostname, call.shell.cwd, home, uid=machine.uid))
            raise Blocked
        return 0

    return run
