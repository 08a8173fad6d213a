"""spf13/cobra as docker/cli uses it: the command tree, ``Traverse``, ``Find``, argument rules and usage lines.

The tree is built from the harvested help tables (``spec``): one ``Command`` per ``--help`` text, with the aliases,
argument rule and hidden flags ``commands.json`` records. ``traverse`` descends from the root as cobra's ``Traverse``
does (docker sets ``TraverseChildren``), parsing each parent's flags on the way; ``parse`` is cobra's ``ParseFlags``
with its per-command buffer of deprecation notices; ``args_error`` is the command's ``Args`` validator
(docker/cli's ``cli/required.go``, and cobra's own ``ExactArgs`` for ``docker context use``) in the client's words.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Iterator, Sequence

from sandbox.cli import spec
from sandbox.cli.golang import to_bytes
from sandbox.cli.pflag import Flag, FlagValues, parse_flags

__all__ = ["Command", "ParseState", "args_error", "children", "find_next", "parse", "resolve", "root", "table",
           "traverse", "usage_line"]  # fmt: skip


@dataclass(frozen=True)
class Command:
    """One node of the client's cobra command tree."""

    path: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    args: object = None
    interspersed: bool = True
    hidden_flags: tuple[Flag, ...] = ()
    use_line_override: str = ""
    key_override: str = ""

    @functools.cached_property
    def help_text(self) -> str:
        """What ``--help`` prints for the command, read from the help tables the first time it is needed."""
        return spec.help_text(self.path)

    @property
    def name(self) -> str:
        """The command's own name, the last word of its path (``docker`` for the root)."""
        return self.path[-1] if self.path else "docker"

    @property
    def command_path(self) -> str:
        """cobra's ``CommandPath``: ``docker image ls``."""
        return " ".join(("docker",) + self.path)

    @functools.cached_property
    def use_line(self) -> str:
        """cobra's ``UseLine``, as usage messages print it."""
        if self.use_line_override:
            return self.use_line_override
        if any(True for _ in children(self)):
            return self.command_path
        # The usage block runs to the first blank line: `cp` has a second, tab-indented form.
        return self.help_text.split("\n\n", 1)[0].removeprefix("Usage:  ")

    @functools.cached_property
    def key(self) -> str:
        """The canonical handler key: the first of Docker's aliases, else the path (or ``commands.json``'s ``key``)."""
        if self.key_override:
            return self.key_override
        lines = self.help_text.splitlines()
        if "Aliases:" in lines:
            first = lines[lines.index("Aliases:") + 1].strip().split(", ")[0]
            return first.removeprefix("docker ")
        return " ".join(self.path) or "docker"

    @functools.cached_property
    def flags(self) -> dict[str, Flag]:
        """Every flag by long name: the help text's, the hidden ones, and the inherited persistent ``--help``."""
        found = {flag.name: flag for flag in spec.parse_help_flags(self.help_text) if flag.name != "help"}
        found.update((flag.name, flag) for flag in self.hidden_flags)
        if "help" not in found:
            found["help"] = spec.persistent_help()
        return found

    @functools.cached_property
    def shorthands(self) -> dict[str, Flag]:
        """Every flag by its one-letter shorthand."""
        return {flag.short: flag for flag in self.flags.values() if flag.short}


# The tree -----------------------------------------------------------------------------------------------------------


@functools.cache
def table() -> dict[tuple[str, ...], Command]:
    """Every command of the client by path, built once from the help tables (each help text is read when needed)."""
    tree: dict[tuple[str, ...], Command] = {}
    for path in spec.paths():
        fact = spec.facts(path)
        tree[path] = Command(
            path=path,
            aliases=tuple(fact.get("aliases", ())),
            args=fact.get("args"),
            interspersed=fact.get("interspersed", True),
            hidden_flags=spec.hidden_flags(fact),
            use_line_override=fact.get("use_line", ""),
            key_override=fact.get("key", ""),
        )
    return tree


@functools.cache
def _child_index() -> dict[tuple[str, ...], tuple[Command, ...]]:
    """Each command's subcommands, indexed once (the walk runs for every command line)."""
    index: dict[tuple[str, ...], list[Command]] = {}
    for path, child in table().items():
        if path:
            index.setdefault(path[:-1], []).append(child)
    return {parent: tuple(children) for parent, children in index.items()}


def children(command: Command) -> Iterator[Command]:
    """The command's subcommands (none for a leaf command)."""
    return iter(_child_index().get(command.path, ()))


@functools.cache
def _name_index() -> dict[tuple[tuple[str, ...], str], Command]:
    """(parent path, name or alias) -> subcommand; the first child wins, as cobra's findNext does."""
    index: dict[tuple[tuple[str, ...], str], Command] = {}
    for parent, kids in _child_index().items():
        for child in kids:
            for word in (child.name, *child.aliases):
                index.setdefault((parent, word), child)
    return index


def find_next(command: Command, word: str) -> Command | None:
    """cobra's ``findNext``: the subcommand named or aliased ``word``."""
    return _name_index().get((command.path, word))


def root() -> Command:
    """The ``docker`` command itself."""
    return table()[()]


def find(words: Sequence[str]) -> tuple[Command, int]:
    """cobra's ``Find`` over plain words: the deepest command they name, and how many words that took."""
    node, index = root(), 0
    while index < len(words):
        child = find_next(node, words[index])
        if child is None:
            break
        node, index = child, index + 1
    return node, index


def resolve(words: Sequence[str]) -> Command:
    """The command the words name exactly; raises ``KeyError`` when one of them names no subcommand."""
    node, used = find(words)
    if used < len(words):
        raise KeyError(" ".join(words))
    return node


def usage_line(command: str | Sequence[str]) -> str:
    """``Usage:  docker push [OPTIONS] NAME[:TAG]`` for a command key or typed path (``"push"``, ``("image", "list")``).

    Raises ``KeyError`` for a path that names no command.
    """
    words = command.split() if isinstance(command, str) else list(command)
    if words[:1] == ["docker"]:
        words = words[1:]
    return "Usage:  " + resolve(words).use_line


# Parsing and traversal --------------------------------------------------------------------------------------------


@dataclass
class ParseState(FlagValues):
    """One run of the client: the flag values, and the lines it prints besides its answer."""

    notices: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: cobra's per-command ``flagErrorBuf``: deprecation lines, never emptied.
    buffers: dict[tuple[str, ...], list[str]] = field(default_factory=dict)


def parse(state: ParseState, command: Command, args: Sequence[str]) -> list[str]:
    """cobra's ``ParseFlags``: parse, then print the command's whole notice buffer if this parse added to it.

    Raises ``FlagError`` as pflag does.
    """
    buffer = state.buffers.setdefault(command.path, [])
    before = len(buffer)
    positional = parse_flags(state, command, args, command.interspersed, buffer)
    if len(buffer) > before:
        state.notices.extend(buffer)
    return positional


def _is_flag_arg(arg: str) -> bool:
    # cobra counts bytes; every character is at least one byte and "-" is one, so counting characters agrees.
    return (len(arg) >= 3 and arg[:2] == "--") or (len(arg) >= 2 and arg[0] == "-" and arg[1] != "-")


def _takes_no_value(command: Command, name: str, short: bool) -> bool:
    flag = command.shorthands.get(name[:1]) if short else command.flags.get(name)
    return flag is not None and bool(flag.no_opt_default)


def traverse(state: ParseState, command: Command, args: list[str]) -> tuple[Command, list[str]]:
    """cobra's ``Traverse``: descend through subcommands, parsing each parent's flags on the way.

    Raises ``FlagError`` when a parent's flags do not parse.
    """
    flags: list[str] = []
    in_flag = False
    for index, arg in enumerate(args):
        if arg.startswith("--") and "=" not in arg:
            in_flag = not _takes_no_value(command, arg[2:], short=False)
            flags.append(arg)
            continue
        lone_short = len(arg) == 2 and arg[0] == "-" and arg[1] != "=" and len(to_bytes(arg)) == 2
        if lone_short and not _takes_no_value(command, arg[1:], short=True):
            in_flag = True
            flags.append(arg)
            continue
        if in_flag:
            in_flag = False
            flags.append(arg)
            continue
        if _is_flag_arg(arg):
            flags.append(arg)
            continue
        child = find_next(command, arg)
        if child is None:
            return command, args
        parse(state, command, flags)
        return traverse(state, child, args[index + 1 :])
    return command, args


def args_error(command: Command, args: Sequence[str]) -> str | None:
    """The message of the command's positional-argument rule (docker/cli ``cli/required.go``), or None."""
    rule, count = command.args, len(args)
    if rule is None and command.path and any(True for _ in children(command)):
        rule = "none"  # every management command is cli.NoArgs
    if rule is None or (rule == "none" and not args):
        return None
    path, usage = command.command_path, f"\n\nUsage:  {command.use_line}\n\n"
    if rule == "none":
        if any(True for _ in children(command)):
            return f"docker: unknown command: {path} {args[0]}{usage}Run '{path} --help' for more information"
        return f"docker: '{path}' accepts no arguments{usage}Run '{path} --help' for more information"
    kind, *numbers = rule

    def plural(n: int) -> str:
        return "argument" if n == 1 else "arguments"

    if kind == "exact" and count != numbers[0]:
        wanted = f"{numbers[0]} {plural(numbers[0])}"
        return f"docker: '{path}' requires {wanted}{usage}Run '{path} --help' for more information"
    if kind == "min" and count < numbers[0]:
        wanted = f"at least {numbers[0]} {plural(numbers[0])}"
        return f"docker: '{path}' requires {wanted}{usage}See '{path} --help' for more information"
    if kind == "max" and count > numbers[0]:
        # "SRun" is docker/cli's own typo (RequiresMaxArgs), printed as is.
        wanted = f"at most {numbers[0]} {plural(numbers[0])}"
        return f"docker: '{path}' requires {wanted}{usage}SRun '{path} --help' for more information"
    if kind == "cobra_exact" and count != numbers[0]:
        # cobra's own ExactArgs (`docker context use`): a bare message, no usage.
        return f"accepts {numbers[0]} arg(s), received {count}"
    if kind == "range" and not numbers[0] <= count <= numbers[1]:
        return (
            f"docker: '{path}' requires at least {numbers[0]} and at most {numbers[1]} {plural(numbers[1])}"
            f"{usage}Run '{path} --help' for more information"
        )
    return None
