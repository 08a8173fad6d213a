"""The docker 28.2.2 client's command table as data: ``commands.json`` and one verbatim ``--help`` text per command.

``docker-image-ls.txt`` is what ``docker image ls --help`` prints (80 columns, no terminal, HOME=/root, talking to a
stock Linux dockerd); ``tools/harvest_help.py help`` rewrites them all from a real client. ``commands.json`` holds what
a help text does not show: aliases, the positional-argument rule, hidden flags, ``SetInterspersed(false)``.

This module reads both, on first use and by command path (``paths``, ``help_text``, ``facts``), and
``parse_help_flags`` reads a help text's ``Options:`` section back into pflag flags (name, shorthand, type, default).
"""

from __future__ import annotations

import functools
import json
import os
import re

from sandbox.cli.golang import GoError
from sandbox.cli.pflag import SINGLE_TYPES, Flag

__all__ = ["facts", "help_text", "hidden_flags", "parse_help_flags", "paths", "persistent_help"]

# Read with plain file calls: importlib.resources would pull tempfile, shutil and random into `import sandbox`.
_HERE = os.path.dirname(__file__)


@functools.cache
def _commands() -> dict[str, dict]:
    with open(os.path.join(_HERE, "commands.json"), encoding="utf-8") as file:
        return json.load(file)["commands"]


@functools.cache
def paths() -> tuple[tuple[str, ...], ...]:
    """Every command's path (``()`` for ``docker``, ``("image", "ls")``), in a stable order."""
    names = sorted(name for name in os.listdir(_HERE) if name.startswith("docker") and name.endswith(".txt"))
    return tuple(tuple(name.removesuffix(".txt").split("-")[1:]) for name in names)


@functools.cache
def help_text(path: tuple[str, ...]) -> str:
    """The command's ``--help`` text, as the real client printed it (read once: package data, not the learner's
    host); raises ``FileNotFoundError`` for no command."""
    with open(os.path.join(_HERE, "-".join(("docker",) + path) + ".txt"), encoding="utf-8") as file:
        return file.read()


def facts(path: tuple[str, ...]) -> dict:
    """What ``commands.json`` says of the command at ``path`` (a ``same_as`` entry merged over its original)."""
    table = _commands()
    fact = table.get(" ".join(("docker",) + path), {})
    if "same_as" in fact:
        fact = dict(table[fact["same_as"]], **{k: v for k, v in fact.items() if k != "same_as"})
    return fact


def hidden_flags(fact: dict) -> tuple[Flag, ...]:
    """The flags a help text does not list (``commands.json``'s ``hidden_flags``), as pflag flags."""
    return tuple(_flag_from_table(entry) for entry in fact.get("hidden_flags", ()))


def _flag_from_table(entry: dict) -> Flag:
    return Flag(
        name=entry["name"],
        short=entry.get("short", ""),
        type=entry.get("type", "bool"),
        hidden=True,
        deprecated=entry.get("deprecated", ""),
        short_deprecated=entry.get("short_deprecated", ""),
        unsupported=entry.get("unsupported", ""),
        persistent=entry.get("persistent", False),
    )


@functools.cache
def persistent_help() -> Flag:
    """The root's persistent ``-h/--help``, which every command inherits."""
    return next(_flag_from_table(f) for f in _commands()["docker"]["hidden_flags"] if f["name"] == "help")


#: A flag line of a help text's Options section: ``  -a, --all    usage`` or ``      --format string   usage``.
_FLAG_LINE = re.compile(r"^  (?:-(?P<short>\S), |    )--(?P<name>[^\s=]+)(?: (?P<type>\S+))?(?:\s{2,}(?P<usage>.*))?$")
_DEFAULT = re.compile(r"\(default (?P<value>.*)\)$")


def _default(kind: str, text: str) -> object:
    if kind == "bool":
        return True if text == "true" else None
    if kind in SINGLE_TYPES and kind != "bool":
        if text.startswith('"'):
            return json.loads(text)
        try:
            return Flag(name="", type=kind).convert(text)
        except (GoError, ValueError):
            return None
    return None  # Docker's list types print their empty state ("[]", "map[]")


def parse_help_flags(help_text: str) -> list[Flag]:
    """The flags a help text lists under ``Options:`` (or ``Global Options:``), with types and defaults."""
    flags: list[Flag] = []
    lines: list[str] = []
    section = ""

    def finish() -> None:
        if lines:
            match = _FLAG_LINE.match(lines[0])
            kind = match.group("type") or "bool"
            usage = " ".join([match.group("usage") or ""] + [line.strip() for line in lines[1:]]).strip()
            found = _DEFAULT.search(usage)
            default = _default(kind, found.group("value")) if found else None
            flags.append(Flag(name=match.group("name"), short=match.group("short") or "", type=kind, default=default))
            lines.clear()

    for line in help_text.splitlines():
        if line and not line.startswith(" "):
            finish()
            section = line
        elif section in ("Options:", "Global Options:"):
            if _FLAG_LINE.match(line):
                finish()
                lines.append(line)
            elif line.strip() and lines:
                lines.append(line)
    finish()
    return flags
