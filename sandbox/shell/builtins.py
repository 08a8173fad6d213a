"""The shell's built-in commands: those that change the shell itself (``cd``, ``export``, ``exit``, ``read``,
``set``, ``shift``, ``break``, ``eval`` ...) and the utilities every shell also builds in (``echo``, ``printf``,
``test``, ``pwd``, ``true``, ``false``). Which exist beyond the common set is the flavour's data.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Callable

from sandbox.shell import utilities
from sandbox.shell.flavours import Flavour
from sandbox.shell.syntax import NAME, is_number

if TYPE_CHECKING:
    from sandbox.shell.execute import Call


def cd(call: "Call") -> int:
    """``cd [DIR]``: ``-`` is the previous directory, no argument is HOME."""
    shell = call.shell
    args = [a for a in call.argv[1:] if a not in ("-L", "-P")]
    if not args:
        if not shell.get("HOME"):
            shell.say("cd_home", call.io)
            return 1
        target = shell.get("HOME")
    elif args[0] == "-":
        target = shell.get("OLDPWD") or shell.cwd
        call.out(target + "\n")
    else:
        target = args[0]
    path = shell.path(target)
    if not shell.machine.is_dir(path):
        situation = "cd_not_dir" if shell.machine.is_file(path) else "cd_missing"
        shell.say(situation, call.io, directory=target)
        return 2 if shell.flavour.name == "dash" else 1
    shell.variables["OLDPWD"] = shell.cwd
    shell.cwd = path
    if "PWD" in shell.variables:
        shell.variables["PWD"] = path
    return 0


def export(call: "Call") -> int:
    """``export [NAME[=VALUE]...]``; alone it lists the exported variables."""
    shell = call.shell
    args = [a for a in call.argv[1:] if a != "-p"]
    if not args:
        for name in sorted(shell.exported):
            if name in shell.variables:
                value = shell.variables[name].replace("\\", "\\\\").replace('"', '\\"')
                call.out(f'declare -x {name}="{value}"\n' if shell.flavour.name == "bash"
                         else f"export {name}='{shell.variables[name]}'\n")
        return 0
    status = 0
    for arg in args:
        name, equals, value = arg.partition("=")
        if not NAME.fullmatch(name):
            shell.say("not_valid_identifier", call.io, command="export", value=arg)
            status = 1
            continue
        if equals:
            shell.assign(name, value)
        shell.exported.add(name)
    return status


def unset(call: "Call") -> int:
    """``unset [-v|-f] NAME...``."""
    shell = call.shell
    args = call.argv[1:]
    functions = args[:1] == ["-f"]
    for name in [a for a in args if a not in ("-v", "-f")]:
        if functions:
            shell.functions.pop(name, None)
        else:
            shell.variables.pop(name, None)
            shell.exported.discard(name)
    return 0


def exit_(call: "Call") -> int:
    """``exit [N]``: the shell ends with N (default: the last status)."""
    from sandbox.shell.execute import ExitShell

    shell = call.shell
    args = call.argv[1:]
    if not args:
        raise ExitShell(shell.status)
    try:
        code = int(args[0])
    except ValueError:
        shell.say("exit_numeric", call.io, value=args[0])
        raise ExitShell(2) from None
    raise ExitShell(code % 256)


def return_(call: "Call") -> int:
    """``return [N]`` from a function."""
    from sandbox.shell.execute import _Return

    args = call.argv[1:]
    raise _Return(int(args[0]) % 256 if args and is_number(args[0].lstrip("-")) else call.shell.status)


def _loop_jump(call: "Call", kind: type) -> int:
    args = call.argv[1:]
    levels = int(args[0]) if args and is_number(args[0]) and int(args[0]) > 0 else 1
    raise kind(levels)


def break_(call: "Call") -> int:
    """``break [N]``."""
    from sandbox.shell.execute import _Break

    return _loop_jump(call, _Break)


def continue_(call: "Call") -> int:
    """``continue [N]``."""
    from sandbox.shell.execute import _Continue

    return _loop_jump(call, _Continue)


def exec_(call: "Call") -> int:
    """``exec COMMAND``: the command replaces the shell, whose status becomes the command's."""
    from sandbox.shell.execute import ExitShell

    args = call.argv[1:]
    if not args:
        return 0
    raise ExitShell(call.shell.run_command(args, call.io, call.line, call.env))


def read(call: "Call") -> int:
    """``read [-r] NAME...``: one line of stdin split over the names; 1 at end of input."""
    from sandbox.shell.execute import Blocked

    shell = call.shell
    args = call.argv[1:]
    raw = False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        raw = raw or "r" in args[0]
        args = args[1:] if args[0] not in ("-p",) else args[2:]
    names = args or ["REPLY"]
    for name in names:
        if not NAME.fullmatch(name):
            shell.say("read_usage", call.io, value=name)
            return 2 if shell.flavour.name != "bash" else 1
    text = call.stdin
    if text is None:
        if shell.machine.stdin_open:
            raise Blocked  # an open terminal: it waits for the learner
        return 1
    if not text:
        for name in names:
            shell.assign(name, "")
        return 1
    line, newline, rest = text.partition("\n")
    call.io.stdin = rest
    if not raw:
        line = line.replace("\\", "")
    fields = line.split(None, len(names) - 1) if line.strip() else []
    for index, name in enumerate(names):
        shell.assign(name, fields[index] if index < len(fields) else "")
    return 0 if newline else 1


def set_(call: "Call") -> int:
    """``set [-- ARG...]``: new positional parameters; alone, the variables."""
    shell = call.shell
    args = call.argv[1:]
    if not args:
        call.out("".join(f"{name}='{value}'\n" for name, value in sorted(shell.variables.items())))
        return 0
    while args and args[0].startswith(("-", "+")) and args[0] != "--":
        if "f" in args[0]:
            shell.globbing = args[0].startswith("+")
        args = args[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    if args or call.argv[1:2] == ["--"]:
        shell.positional = list(args)
    return 0


def shift(call: "Call") -> int:
    """``shift [N]``."""
    shell = call.shell
    args = call.argv[1:]
    count = int(args[0]) if args and is_number(args[0]) else 1
    if count > len(shell.positional):
        shell.say("shift_count", call.io, value=args[0] if args else "1")
        return 1 if shell.flavour.name == "bash" else 2
    shell.positional = shell.positional[count:]
    return 0


def eval_(call: "Call") -> int:
    """``eval ARG...``: the joined arguments run as shell text."""
    from sandbox.shell.execute import IO
    from sandbox.shell.syntax import ShellSyntaxError, commands

    shell = call.shell
    text = " ".join(call.argv[1:])
    shell.depth += 1
    try:
        if shell.depth > 32:
            from sandbox.shell.budget import OutOfMemory

            raise OutOfMemory(shell.depth)
        for command in commands(text):
            shell.execute(command, IO(call.stdin, call.io.out, call.io.err))
    except ShellSyntaxError as error:
        shell.syntax_error(error, text)
        return 2
    finally:
        shell.depth -= 1
    return shell.status


def source(call: "Call") -> int:
    """``. FILE`` and ``source FILE``: the file's commands run in this shell."""
    shell = call.shell
    args = call.argv[1:]
    if not args:
        return 0
    content = shell.machine.read(shell.path(args[0]))
    if content is None:
        shell.say("source_missing", call.io, file=args[0])
        return 1
    return eval_(type(call)(["eval", content.decode(errors="replace")], call.io, shell, call.env, call.line))


def local(call: "Call") -> int:
    """``local NAME[=VALUE]``: set in the current function (the sandbox keeps one scope)."""
    for arg in call.argv[1:]:
        name, equals, value = arg.partition("=")
        if equals:
            call.shell.assign(name, value)
    return 0


def type_(call: "Call") -> int:
    """``type NAME...``: how the shell would run each name."""
    shell = call.shell
    status = 0
    for name in call.argv[1:]:
        if name in shell.functions:
            call.out(f"{name} is a function\n")
        elif name in shell.builtins:
            call.out(f"{name} is a shell builtin\n")
        else:
            path = shell.machine.find(name, shell.get("PATH"))
            if path is None:
                call.err(f"{'bash: ' if shell.flavour.name == 'bash' else ''}type: {name}: not found\n")
                status = 1
            else:
                call.out(f"{name} is {path}\n")
    return status


def command(call: "Call") -> int:
    """``command [-v] NAME [ARG...]``: run NAME skipping functions, or say where it is."""
    shell = call.shell
    args = call.argv[1:]
    if args[:1] == ["-v"]:
        status = 0
        for name in args[1:]:
            if name in shell.builtins or name in shell.functions:
                call.out(name + "\n")
            else:
                path = shell.machine.find(name, shell.get("PATH"))
                status = status or (path is None)
                if path:
                    call.out(path + "\n")
        return int(status)
    if not args:
        return 0
    functions, shell.functions = shell.functions, {}
    try:
        return shell.run_command(args, call.io, call.line, call.env)
    finally:
        shell.functions = functions


def history(call: "Call") -> int:
    """``history [N]``: the lines typed so far, numbered as bash numbers them."""
    shell = call.shell
    args = call.argv[1:]
    lines = shell.history
    if args:
        if not is_number(args[0]):
            shell.say("history_usage", call.io, value=args[0])
            return 1
        lines = lines[-int(args[0]):] if int(args[0]) else []
    start = len(shell.history) - len(lines) + 1
    call.out("".join(f"{number:>5}  {line}\n" for number, line in enumerate(lines, start)))
    return 0


def wait(call: "Call") -> int:
    """``wait``: background jobs have already finished in the sandbox."""
    return 0


def colon(call: "Call") -> int:
    """``:`` does nothing, successfully."""
    return 0


#: What every flavour builds in.
COMMON: dict[str, Callable[["Call"], int]] = {
    "cd": cd, "export": export, "unset": unset, "exit": exit_, "return": return_, "break": break_,
    "continue": continue_, "exec": exec_, "read": read, "set": set_, "shift": shift, "eval": eval_, ".": source,
    "wait": wait, ":": colon, "command": command, "echo": utilities.echo, "printf": utilities.printf,
    "test": utilities.test, "[": utilities.test, "pwd": utilities.pwd, "true": utilities.true,
    "false": utilities.false, "local": local,
}
#: Built-ins that only some shells have (see each `Flavour`'s ``extra_builtins``).
OPTIONAL: dict[str, Callable[["Call"], int]] = {"history": history, "source": source, "type": type_}


@lru_cache(maxsize=8)
def builtins_for(flavour: Flavour) -> dict[str, Callable[["Call"], int]]:
    """The built-ins of one shell (one shared table per flavour: callers must not change it)."""
    table = dict(COMMON)
    table.update({name: OPTIONAL[name] for name in flavour.extra_builtins if name in OPTIONAL})
    return table
