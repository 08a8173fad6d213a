"""The few shell commands lessons need beside docker: echo, cat, ls, pwd, cd, true, false, clear."""

from __future__ import annotations

import posixpath
import re

from sandbox.cli.output import Output


def resolve_path(machine, path: str) -> str:
    """An absolute, normalized path: ``~`` is the home directory, relative paths start at the working directory."""
    if path == "~" or path.startswith("~/"):
        path = machine.home + path[1:]
    elif not path.startswith("/"):
        path = posixpath.join(machine.cwd, path)
    return posixpath.normpath(path)


def _is_dir(machine, path: str) -> bool:
    prefix = path.rstrip("/") + "/"
    return path == "/" or any(name.startswith(prefix) for name in machine.files)


def echo(machine, argv, stdin, out: Output) -> int:
    """``echo [-n] WORDS``."""
    words = argv[1:]
    newline = True
    if words and words[0] == "-n":
        newline, words = False, words[1:]
    out.print(" ".join(words) + ("\n" if newline else ""))
    return 0


def printf(machine, argv, stdin, out: Output) -> int:
    """``printf FORMAT [ARG...]`` with ``%s``, ``%d``, ``%%`` and the escapes ``\\n`` ``\\t`` ``\\\\``."""
    if len(argv) < 2:
        out.err("printf: usage: printf [-v var] format [arguments]\n")
        return 2
    fmt = argv[1].replace("\\\\", "\0").replace("\\n", "\n").replace("\\t", "\t").replace("\0", "\\")
    values = list(argv[2:])
    while True:
        before = len(values)
        out.print(re.sub(r"%[sd%]", lambda m: "%" if m.group(0) == "%%" else (values.pop(0) if values else ""), fmt))
        if not values or len(values) == before:  # bash reuses the format while arguments remain
            return 0


def cat(machine, argv, stdin, out: Output) -> int:
    """``cat FILE...`` from the host's files, or stdin."""
    if len(argv) == 1:
        out.print(stdin or "")
        return 0
    code = 0
    for name in argv[1:]:
        path = resolve_path(machine, name)
        if path in machine.files:
            out.print(machine.files[path].decode("utf-8", "replace"))
        elif _is_dir(machine, path):
            out.err(f"cat: {name}: Is a directory\n")
            code = 1
        else:
            out.err(f"cat: {name}: No such file or directory\n")
            code = 1
    return code


def ls(machine, argv, stdin, out: Output) -> int:
    """``ls [-a] [DIR]``: names in a directory, sorted, one per line."""
    show_hidden = any(arg.startswith("-") and "a" in arg for arg in argv[1:])
    targets = [arg for arg in argv[1:] if not arg.startswith("-")] or ["."]
    code = 0
    for target in targets:
        path = resolve_path(machine, target)
        if path in machine.files:
            out.print(target + "\n")
            continue
        prefix = path.rstrip("/") + "/"
        names = sorted({name[len(prefix):].split("/", 1)[0] for name in machine.files if name.startswith(prefix)})
        if not names and path != machine.cwd and not _is_dir(machine, path):
            out.err(f"ls: cannot access '{target}': No such file or directory\n")
            code = 2
            continue
        names = [n for n in names if show_hidden or not n.startswith(".")]
        out.print("".join(name + "\n" for name in names))
    return code


def pwd(machine, argv, stdin, out: Output) -> int:
    """``pwd``."""
    out.print(machine.cwd + "\n")
    return 0


def cd(machine, argv, stdin, out: Output) -> int:
    """``cd DIR`` within the host's files."""
    target = resolve_path(machine, argv[1] if len(argv) > 1 else "~")
    if target != machine.home and not _is_dir(machine, target) and target != machine.cwd:
        out.err(f"bash: cd: {argv[1]}: No such file or directory\n")
        return 1
    machine.cwd = target
    return 0


def true(machine, argv, stdin, out: Output) -> int:
    """``true``."""
    return 0


def false(machine, argv, stdin, out: Output) -> int:
    """``false``."""
    return 1


BUILTINS = {"echo": echo, "printf": printf, "cat": cat, "ls": ls, "pwd": pwd, "cd": cd, "true": true, "false": false,
            "clear": true}
