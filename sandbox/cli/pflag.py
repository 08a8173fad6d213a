"""spf13/pflag as docker/cli uses it: a flag's value types and ``FlagSet.Parse``, with pflag's exact words.

A ``Flag`` knows its pflag type (``bool``, ``int``, ``duration``, ``bytes``, ``list``, ``strings``, ``filter``, ...),
its default and how ``Set`` converts one word (through Go's parsers in ``golang`` and docker's validators in
``opts``). ``parse_flags`` walks a command line as ``FlagSet.Parse`` does: ``--name value``, ``--name=value``,
``-abc`` shorthand groups, ``--`` and, unless the command turns it off, flags interspersed with arguments. Errors are
``FlagError`` carrying pflag's sentence (``unknown flag: --x``, ``flag needs an argument: 'p' in -p``,
``invalid argument "x" for "-t, --time" flag: ...``); cobra and docker decide how to print them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Mapping, Protocol, Sequence

from sandbox.cli.golang import FLOAT, GoError, go_quote, go_quote_byte, parse_bool, parse_duration, parse_int
from sandbox.cli.golang import read_csv, to_bytes, to_text
from sandbox.cli.opts import LIST_VALIDATORS, filter_value, parse_bytes, parse_decimal, validate_sysctl

__all__ = ["SINGLE_TYPES", "Flag", "FlagError", "FlagSet", "FlagValues", "parse_flags"]

#: pflag value types that hold one value; anything else repeats (Docker's list-like opts types).
SINGLE_TYPES = frozenset(
    {"bool", "string", "int", "int64", "int32", "uint", "uint64", "uint32", "uint16", "duration", "bytes",
     "decimal", "node-addr", "float32", "float64"}
)  # fmt: skip
#: Integer types: (signed, bits), as pflag's ``intValue``/``uint16Value``... hand them to strconv.
_INT_BITS = {"int": (True, 64), "int64": (True, 64), "int32": (True, 32), "uint": (False, 64),
             "uint64": (False, 64), "uint32": (False, 32), "uint16": (False, 16)}  # fmt: skip


def _string_to_string(value: str) -> list[str]:
    """pflag's ``stringToString`` value: one ``key=value``, or a CSV record of them when there are several."""
    count = value.count("=")
    if count == 0:
        raise GoError(f"{value} must be formatted as key=value")
    pairs = [value.strip('"')] if count == 1 else read_csv(value)
    for pair in pairs:
        if "=" not in pair:
            raise GoError(f"{pair} must be formatted as key=value")
    return pairs


@dataclass(frozen=True)
class Flag:
    """One flag of a command, as pflag defines it."""

    name: str
    short: str = ""
    type: str = "bool"
    default: object = None
    hidden: bool = False
    deprecated: str = ""
    short_deprecated: str = ""
    #: Why the client refuses the flag on the simulated daemon: a key of the client's refusals, or "".
    unsupported: str = ""
    #: Shared by every command that has no flag of its own with that name (cobra's persistent flags).
    persistent: bool = False

    @property
    def no_opt_default(self) -> str:
        """The value a flag takes when given without one; pflag's ``NoOptDefVal``."""
        return "true" if self.type == "bool" else ""

    @property
    def repeats(self) -> bool:
        """Whether each use adds a value instead of replacing it."""
        return self.type not in SINGLE_TYPES

    def zero(self) -> object:
        """The value of the flag when it is not given."""
        if self.default is not None:
            return self.default
        if self.repeats:
            return ()
        return {"bool": False, "duration": timedelta(0), "decimal": 0.0, "string": "", "node-addr": ""}.get(
            self.type, 0
        )

    def convert(self, value: str) -> object:
        """One value as the flag's ``Set`` takes it; raises ``GoError`` with the parser's words."""
        kind = self.type
        if kind == "bool":
            return parse_bool(value)
        if kind in _INT_BITS:
            return parse_int(value, *_INT_BITS[kind])
        if kind == "duration":
            return parse_duration(value)
        if kind == "bytes":
            return -1 if value == "-1" and self.name == "memory-swap" else parse_bytes(value)
        if kind == "decimal":
            return parse_decimal(value)
        if kind in ("float32", "float64"):
            if not FLOAT.match(value):
                raise GoError(f"strconv.ParseFloat: parsing {go_quote(value)}: invalid syntax")
            return float(value)
        if kind == "list" and self.name in LIST_VALIDATORS:
            return LIST_VALIDATORS[self.name](value)
        if kind == "map" and self.name == "sysctl":
            return validate_sysctl(value)
        return value

    def usage_name(self) -> str:
        """How pflag names the flag in ``invalid argument`` messages."""
        if self.short and not self.short_deprecated:
            return f"-{self.short}, --{self.name}"
        return f"--{self.name}"


class FlagError(Exception):
    """An error pflag returns from ``Parse``; the caller decides how the client prints it."""


class FlagSet(Protocol):
    """What parsing needs of a command: its flags by long name and by shorthand, and its path (the owner of its
    non-persistent flags' values)."""

    path: tuple[str, ...]
    flags: Mapping[str, Flag]
    shorthands: Mapping[str, Flag]


@dataclass
class FlagValues:
    """Flag values of one run of the client, shared the way pflag shares ``*Flag`` values between flag sets: a
    persistent flag (and every flag of the root) has one value wherever it is parsed."""

    values: dict[tuple[tuple[str, ...], str], object] = field(default_factory=dict)
    changed: set[tuple[tuple[str, ...], str]] = field(default_factory=set)

    @staticmethod
    def owner(flagset: FlagSet, flag: Flag) -> tuple[str, ...]:
        """The path of the flag set whose ``*Flag`` holds this flag's value."""
        return () if flag.persistent or not flagset.path else flagset.path

    def get(self, flagset: FlagSet, flag: Flag) -> object:
        """The flag's value in this run: what the command line set, else its zero value."""
        key = (self.owner(flagset, flag), flag.name)
        return self.values[key] if key in self.values else flag.zero()

    def was_set(self, flagset: FlagSet, name: str) -> bool:
        """pflag's ``Changed``: whether the command line gave flag ``name``."""
        flag = flagset.flags.get(name)
        return flag is not None and (self.owner(flagset, flag), name) in self.changed

    def set(self, flagset: FlagSet, flag: Flag, value: str, out: list[str]) -> None:
        """pflag's ``FlagSet.Set``: convert, store, mark changed, note a deprecation in ``out``.

        Raises ``FlagError`` (``invalid argument ...``) for a value the flag's type refuses.
        """
        key = (self.owner(flagset, flag), flag.name)
        try:
            if flag.type == "strings" or flag.type == "ipNetSlice":
                converted: object = tuple(read_csv(value))
            elif flag.type == "stringToString":
                converted = tuple(_string_to_string(value))
            elif flag.type == "filter":
                one = filter_value(value)
                converted = () if one is None else (one,)
            elif flag.repeats:
                converted = (flag.convert(value),)
            else:
                converted = flag.convert(value)
        except GoError as err:
            raise FlagError(f"invalid argument {go_quote(value)} for {go_quote(flag.usage_name())} flag: {err}")
        if flag.repeats:
            previous = self.values.get(key, ()) if key in self.changed or flag.type != "strings" else ()
            converted = tuple(previous) + tuple(converted)
        self.values[key] = converted
        self.changed.add(key)
        if flag.deprecated:
            out.append(f"Flag --{flag.name} has been deprecated, {flag.deprecated}\n")


def parse_flags(
    values: FlagValues, flagset: FlagSet, args: Sequence[str], interspersed: bool, out: list[str]
) -> list[str]:
    """pflag's ``FlagSet.Parse``: set the flags in ``args`` and return the positional arguments.

    Deprecation notices go to ``out``; raises ``FlagError`` for an unknown flag, a missing or refused value.
    """
    positional: list[str] = []
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg == "" or arg[0] != "-" or arg == "-":
            if not interspersed:
                return positional + [arg] + rest
            positional.append(arg)
            continue
        if arg == "--":
            return positional + rest
        if arg.startswith("--"):
            rest = _parse_long(values, flagset, arg, rest, out)
        else:
            rest = _parse_shorts(values, flagset, arg, rest, out)
    return positional


def _parse_long(values: FlagValues, flagset: FlagSet, arg: str, rest: list[str], out: list[str]) -> list[str]:
    name = arg[2:]
    if name[0] in "-=":
        raise FlagError(f"bad flag syntax: {arg}")
    name, has_value, value = name.partition("=")
    flag = flagset.flags.get(name)
    if flag is None:
        raise FlagError(f"unknown flag: --{name}")
    if not has_value:
        if flag.no_opt_default:
            value = flag.no_opt_default
        elif rest:
            value = rest.pop(0)
        else:
            raise FlagError(f"flag needs an argument: {arg}")
    values.set(flagset, flag, value, out)
    return rest


def _parse_shorts(values: FlagValues, flagset: FlagSet, arg: str, rest: list[str], out: list[str]) -> list[str]:
    shorthands = to_bytes(arg)[1:]
    while shorthands:
        letter = shorthands[:1]
        flag = flagset.shorthands.get(to_text(letter)) if letter[0] < 0x80 else None
        if flag is None:
            raise FlagError(f"unknown shorthand flag: {go_quote_byte(letter[0])} in -{to_text(shorthands)}")
        if len(shorthands) > 2 and shorthands[1:2] == b"=":
            value, shorthands = to_text(shorthands[2:]), b""
        elif flag.no_opt_default:
            value, shorthands = flag.no_opt_default, shorthands[1:]
        elif len(shorthands) > 1:
            value, shorthands = to_text(shorthands[1:]), b""
        elif rest:
            value, shorthands = rest.pop(0), b""
        else:
            raise FlagError(f"flag needs an argument: {go_quote_byte(letter[0])} in -{to_text(shorthands)}")
        if flag.short_deprecated:
            out.append(f"Flag shorthand -{flag.short} has been deprecated, {flag.short_deprecated}\n")
        values.set(flagset, flag, value, out)
    return rest
