"""The docker client's command line: cobra's command search and pflag's flag parsing, as docker 28.2.2 does them.

``parse_argv(["docker", ...])`` walks the command tree in ``spec/`` the way the client does: global options first
(stopping at the first word), then cobra's ``Traverse`` down management commands, then the command's own flags
(interspersed with arguments unless the command turns that off), ``--help``, the positional-argument rule, and the
few checks the client makes before it talks to the daemon. It returns an ``Invocation`` or raises ``UsageError``
carrying the whole stderr text and exit code (125 for flag errors, 1 for the rest).

Canonical command keys (``Invocation.command``), one per command however it was typed; the sandbox simulates::

    login  logout  search  version  inspect  system info  system prune
    image build  image history  image inspect  image ls  image prune  image pull  image push  image rm  image tag
    container create  container exec  container inspect  container logs  container ls  container prune
    container restart  container rm  container run  container start  container stop

A key is Docker's own name for the command: the first entry of the help text's ``Aliases:`` line (``docker images``
-> ``image ls``, ``docker rmi`` -> ``image rm``, ``docker info`` -> ``system info``, ``docker build`` ->
``image build``), else the command path (``docker inspect`` -> ``inspect``). Every other command of the real client
parses too (flags from its help text, any number of arguments) and gets its own key (``network ls``,
``image save``): the sandbox does not simulate those; ``SIMULATED`` holds the keys above.

Option names are the long flag names without dashes (``options["all"]``, ``options["publish"]``); every flag of the
command is present, defaults filled in: ``bool`` for switches, ``int`` for int/uint flags and ``bytes`` (memory
sizes, in bytes), ``float`` for ``decimal`` (``--cpus``), ``timedelta`` for durations, ``str`` for strings, and a
tuple of strings, in order, for every repeatable flag (list, strings, stringArray, map, filter, ulimit, mount,
network, ...), each value as the client's validator left it (``-a STDIN`` -> ``"stdin"``, ``--add-host a=1.2.3.4``
-> ``"a:1.2.3.4"``). Global options (``-H``, ``--config``, ``--context``, ``-D``, ``-l``, ``--tls*``) are in
``Invocation.globals`` under the same rules.

Besides its answer the client prints a few lines of its own: pflag's deprecation notices on stdout
(``Invocation.notices``) and, on stderr, the legacy-builder warning before any build command and the notice for the
global ``-h`` (``Invocation.warnings``). A ``UsageError`` message already starts with the stderr ones, and its
``stdout`` attribute holds the stdout ones (``docker stop --time 1 -t 2 c`` prints a deprecation before refusing).
"""

from __future__ import annotations

import functools
import ipaddress
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta
from fractions import Fraction
from importlib import resources
from types import MappingProxyType
from typing import Callable, Iterator, Mapping, Sequence

from sandbox.errors import UsageError

__all__ = ["Invocation", "SIMULATED", "VERSION_LINE", "go_quote", "parse_argv", "usage_line"]

#: The keys of the commands the sandbox simulates; ``parse_argv`` also returns keys of real commands outside it.
SIMULATED = frozenset(
    {
        "login", "logout", "search", "version", "inspect", "system info", "system prune",
        "image build", "image history", "image inspect", "image ls", "image prune", "image pull", "image push",
        "image rm", "image tag", "container create", "container exec", "container inspect", "container logs",
        "container ls", "container prune", "container restart", "container rm", "container run",
        "container start", "container stop",
    }
)  # fmt: skip
#: What ``docker --version`` prints (cobra's version template over the client's version and commit).
VERSION_LINE = "Docker version 28.2.2, build e6534b4\n"
#: Printed on stderr before ``build``, ``image build`` and ``builder ...``: the client has no buildx plugin.
LEGACY_BUILDER_WARNING = (
    "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n"
    "            Install the buildx component to build images with BuildKit:\n"
    "            https://docs.docker.com/go/buildx/\n\n"
)
#: ``docker bake`` needs the buildx plugin.
BAKE_MISSING = (
    "ERROR: docker bake requires the buildx component but it is missing or broken.\n"
    "       Install the buildx component to use bake:\n"
    "       https://docs.docker.com/go/buildx/"
)
#: How the client refuses flags its (simulated: Linux, not experimental) daemon does not support.
UNSUPPORTED = {
    "experimental": '"--{}" is only supported on a Docker daemon with experimental features enabled',
    "windows": (
        '"--{}" is only supported on a Docker daemon running on windows, but the Docker daemon is running on linux'
    ),
}
#: logrus's level names, which ``-l/--log-level`` must be one of (in any case).
LOG_LEVELS = frozenset({"panic", "fatal", "error", "warn", "warning", "info", "debug", "trace"})

#: pflag value types that hold one value; anything else repeats (Docker's list-like opts types).
SINGLE_TYPES = frozenset(
    {"bool", "string", "int", "int64", "int32", "uint", "uint64", "uint32", "uint16", "duration", "bytes",
     "decimal", "node-addr", "float32", "float64"}
)  # fmt: skip
_INT_BITS = {"int": (True, 64), "int64": (True, 64), "int32": (True, 32), "uint": (False, 64),
             "uint64": (False, 64), "uint32": (False, 32), "uint16": (False, 16)}  # fmt: skip


# Go's quoting, for messages that print values with %q ------------------------------------------------------------


def _go_printable(char: str) -> bool:
    return char == " " or unicodedata.category(char)[0] in "LMNPS"


_GO_ESCAPES = {"\a": r"\a", "\b": r"\b", "\f": r"\f", "\n": r"\n", "\r": r"\r", "\t": r"\t", "\v": r"\v"}


def _go_escape(char: str, quote: str) -> str:
    if char in (quote, "\\"):
        return "\\" + char
    if "\udc80" <= char <= "\udcff":  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{ord(char) - 0xDC00:02x}"
    if _go_printable(char):
        return char
    if char in _GO_ESCAPES:
        return _GO_ESCAPES[char]
    code = ord(char)
    if code < 0x20 or code == 0x7F:
        return f"\\x{code:02x}"
    if 0xD800 <= code <= 0xDFFF:
        return r"\ufffd"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def go_quote(text: str) -> str:
    """``text`` as Go's ``%q`` prints a string."""
    return '"' + "".join(_go_escape(char, '"') for char in text) + '"'


def _go_quote_byte(byte: int) -> str:
    """A byte as Go's ``%q`` prints it: a character literal of the code point with that value."""
    return "'" + _go_escape(chr(byte), "'") + "'"


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


# Values: what each pflag type accepts, with the words of Go's parsers ---------------------------------------------


class _ValueError(Exception):
    """A value a flag's ``Set`` refused; pflag wraps the text into ``invalid argument ...``."""


_GO_INT = re.compile(r"[+-]?(0[xX](_?[0-9a-fA-F])+|0[bB](_?[01])+|0[oO](_?[0-7])+|0(_?[0-7])*|[1-9](_?[0-9])*)\Z")


def _parse_int(value: str, signed: bool, bits: int) -> int:
    """Go's ``strconv.ParseInt``/``ParseUint`` with base 0 (``0x``, ``0o``, ``0b``, leading-zero octal, ``_``)."""
    func = "ParseInt" if signed else "ParseUint"
    if not _GO_INT.match(value) or (not signed and value[:1] in "+-"):
        raise _ValueError(f"strconv.{func}: parsing {go_quote(value)}: invalid syntax")
    body = value.lstrip("+-").replace("_", "")
    negative = value.startswith("-")
    if len(body) > 1 and body[0] == "0" and body[1] in "xXbBoO":
        number = int(body[2:], {"x": 16, "b": 2, "o": 8}[body[1].lower()])
    elif len(body) > 1 and body[0] == "0":
        number = int(body, 8)
    else:
        number = int(body)
    number = -number if negative else number
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    if not low <= number <= high:
        raise _ValueError(f"strconv.{func}: parsing {go_quote(value)}: value out of range")
    return number


_BOOLS = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
          "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}  # fmt: skip


def _parse_bool(value: str) -> bool:
    if value not in _BOOLS:
        raise _ValueError(f"strconv.ParseBool: parsing {go_quote(value)}: invalid syntax")
    return _BOOLS[value]


def _time_quote(text: str) -> str:
    """Go's ``time`` package quoting: non-ASCII and control bytes as ``\\x``, quotes and backslashes escaped."""
    out = []
    for char in text:
        if ord(char) < 0x20 or ord(char) >= 0x80:
            out.extend(f"\\x{byte:02x}" for byte in _bytes(char))
        else:
            out.append("\\" + char if char in '"\\' else char)
    return '"' + "".join(out) + '"'


_DURATION_UNITS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000, "s": 10**9, "m": 60 * 10**9,
                   "h": 3600 * 10**9}  # fmt: skip
_DURATION_PART = re.compile(r"([0-9]*)(?:\.([0-9]*))?([^0-9.]*)")


def _parse_duration(value: str) -> timedelta:
    """Go's ``time.ParseDuration``, to the microsecond."""
    invalid = _ValueError(f"time: invalid duration {_time_quote(value)}")
    rest, sign = value, 1
    if rest[:1] in ("-", "+"):
        sign, rest = (-1 if rest[0] == "-" else 1), rest[1:]
    if rest == "0":
        return timedelta(0)
    if not rest:
        raise invalid
    total = Fraction(0)
    while rest:
        match = _DURATION_PART.match(rest)
        whole, frac, unit = match.group(1), match.group(2), match.group(3)
        if not whole and not frac:
            raise invalid
        if unit == "":
            raise _ValueError(f"time: missing unit in duration {_time_quote(value)}")
        if unit not in _DURATION_UNITS:
            raise _ValueError(f"time: unknown unit {_time_quote(unit)} in duration {_time_quote(value)}")
        number = Fraction(int(whole or "0")) + (Fraction(int(frac), 10 ** len(frac)) if frac else 0)
        total += number * _DURATION_UNITS[unit]
        rest = rest[match.end() :]
    if total >= 1 << 63:
        raise invalid
    return timedelta(microseconds=sign * int(total) / 1000)


_GO_FLOAT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\Z")


def _parse_bytes(value: str) -> int:
    """docker/go-units ``RAMInBytes``: a number with an optional binary suffix (b, k, kb, kib, m, ...)."""
    digits = [value.rfind(char) for char in "01234567890. "]
    sep = max(digits)
    if sep == -1:
        raise _ValueError(f"invalid size: '{value}'")
    number, suffix = (value[: sep + 1], value[sep + 1 :]) if value[sep] != " " else (value[:sep], value[sep + 1 :])
    if not _GO_FLOAT.match(number):
        raise _ValueError(f"strconv.ParseFloat: parsing {go_quote(number)}: invalid syntax")
    size = float(number)
    if size in (float("inf"), float("-inf")):  # Go's ParseFloat reports the range error instead of +Inf
        raise _ValueError(f"strconv.ParseFloat: parsing {go_quote(number)}: value out of range")
    if size < 0:
        raise _ValueError(f"invalid size: '{value}'")
    if not suffix:
        return int(size)
    low = suffix.lower()
    multipliers = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}
    if len(low) > 3 or (low[0] == "b" and len(low) > 1) or (low[0] != "b" and low[0] not in multipliers):
        raise _ValueError(f"invalid suffix: '{low}'")
    if low[0] == "b":
        return int(size)
    if (len(low) == 2 and low[1] != "b") or (len(low) == 3 and low[1:] != "ib"):
        raise _ValueError(f"invalid suffix: '{low}'")
    return int(size * multipliers[low[0]])


_RATIONAL = re.compile(r"[+-]?(([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|[0-9]+/[0-9]+)\Z")


def _parse_decimal(value: str) -> float:
    """Docker's ``NanoCPUs``: a rational number of CPUs, to the nano-CPU."""
    if not _RATIONAL.match(value) or value.endswith("/0"):
        raise _ValueError(f"failed to parse {value} as a rational number")
    number = Fraction(value.lstrip("+")) if "/" in value else Fraction(value)
    if (number * 10**9).denominator != 1:
        raise _ValueError("value is too precise")
    try:
        return float(number)
    except OverflowError:  # big.Rat holds it; only the daemon's range check refuses it later
        return float("inf")


_CSV_QUOTE = 'extraneous or missing " in quoted-field'


def _read_csv(value: str) -> list[str]:
    """One record of Go's ``encoding/csv``, with its two errors for stray quotes."""
    if value == "":
        return []
    fields, column, rest = [], 1, value
    while True:
        if rest.startswith('"'):
            out, pos = [], 1
            while True:
                end = rest.find('"', pos)
                if end == -1:
                    column += len(_bytes(rest))
                    raise _ValueError(f"parse error on line 1, column {column}: {_CSV_QUOTE}")
                out.append(rest[pos:end])
                after = rest[end + 1 : end + 2]
                if after == '"':
                    out.append('"')
                    pos = end + 2
                elif after in ("", ","):
                    fields.append("".join(out))
                    consumed = end + 1
                    break
                else:
                    column += len(_bytes(rest[: end + 1]))
                    raise _ValueError(f"parse error on line 1, column {column}: {_CSV_QUOTE}")
        else:
            consumed = rest.find(",") if "," in rest else len(rest)
            if '"' in rest[:consumed]:
                column += len(_bytes(rest[: rest.index('"')]))
                raise _ValueError(f'parse error on line 1, column {column}: bare " in non-quoted-field')
            fields.append(rest[:consumed])
        if consumed >= len(rest):
            return fields
        column += len(_bytes(rest[: consumed + 1]))
        rest = rest[consumed + 1 :]
        if rest == "":
            return fields + [""]


def _validate_env(value: str) -> str:
    if value.split("=", 1)[0] == "":
        raise _ValueError("invalid environment variable: " + value)
    return value


def _validate_label(value: str) -> str:
    key = value.split("=", 1)[0].lstrip(" \t\n\v\f\r")
    if key == "":
        raise _ValueError(f"invalid label '{value}': empty name")
    if any(char in key for char in " \t\n\v\f\r"):
        raise _ValueError(f"label '{key}' contains whitespaces")
    return value


def _ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def _validate_ip(value: str) -> str:
    address = _ip(value)
    if address is None:
        raise _ValueError(f"IP address is not correctly formatted: {value}")
    return address


def _validate_extra_host(value: str) -> str:
    key, sep, address = value.partition("=")
    if not sep:
        key, sep, address = value.partition(":")
    if not sep or key == "" or ":" in key:
        raise _ValueError(f"bad format for add-host: {go_quote(value)}")
    if address != "host-gateway":
        if len(address) > 2 and address[0] == "[" and address[-1] == "]":
            address = address[1:-1]
        if _ip(address) is None:
            raise _ValueError(f"invalid IP address in add-host: {go_quote(address)}")
    return f"{key}:{address}"


def _validate_attach(value: str) -> str:
    if value.lower() not in ("stdin", "stdout", "stderr"):
        raise _ValueError("valid streams are STDIN, STDOUT and STDERR")
    return value.lower()


_SYSCTLS = {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax",
            "kernel.shmmni", "kernel.shm_rmid_forced"}


def _validate_sysctl(value: str) -> str:
    """docker's opts.ValidateSysctl: namespaced kernel parameters only, as KEY=VALUE."""
    key, equals, _ = value.partition("=")
    if equals and (key in _SYSCTLS or key.startswith(("net.", "fs.mqueue."))):
        return value
    raise _ValueError(f"sysctl '{value}' is not allowed")


#: Validators of ``list`` flags, by flag name, as Docker's commands install them (``opts.NewListOpts(validator)``).
LIST_VALIDATORS: dict[str, Callable[[str], str]] = {
    "env": _validate_env,
    "build-arg": _validate_env,
    "label": _validate_label,
    "dns": _validate_ip,
    "add-host": _validate_extra_host,
    "attach": _validate_attach,
}


def _filter_value(value: str) -> str | None:
    if value == "":
        return None
    if "=" not in value:
        raise _ValueError("bad format of filter (expected name=value)")
    name, _, val = value.partition("=")
    return f"{name.strip().lower()}={val.strip()}"


def _string_to_string(value: str) -> list[str]:
    count = value.count("=")
    if count == 0:
        raise _ValueError(f"{value} must be formatted as key=value")
    pairs = [value.strip('"')] if count == 1 else _read_csv(value)
    for pair in pairs:
        if "=" not in pair:
            raise _ValueError(f"{pair} must be formatted as key=value")
    return pairs


# The command table --------------------------------------------------------------------------------------------------


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
    #: Why the client refuses the flag on the simulated daemon: a key of ``UNSUPPORTED``, or "".
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
        """One value as the flag's ``Set`` takes it; raises ``_ValueError`` with the parser's words."""
        kind = self.type
        if kind == "bool":
            return _parse_bool(value)
        if kind in _INT_BITS:
            return _parse_int(value, *_INT_BITS[kind])
        if kind == "duration":
            return _parse_duration(value)
        if kind == "bytes":
            return -1 if value == "-1" and self.name == "memory-swap" else _parse_bytes(value)
        if kind == "decimal":
            return _parse_decimal(value)
        if kind in ("float32", "float64"):
            if not _GO_FLOAT.match(value):
                raise _ValueError(f"strconv.ParseFloat: parsing {go_quote(value)}: invalid syntax")
            return float(value)
        if kind == "list" and self.name in LIST_VALIDATORS:
            return LIST_VALIDATORS[self.name](value)
        if kind == "map" and self.name == "sysctl":
            return _validate_sysctl(value)
        return value

    def usage_name(self) -> str:
        """How pflag names the flag in ``invalid argument`` messages."""
        if self.short and not self.short_deprecated:
            return f"-{self.short}, --{self.name}"
        return f"--{self.name}"


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
        except (_ValueError, ValueError):
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


@dataclass(frozen=True)
class Command:
    """One node of the client's cobra command tree."""

    path: tuple[str, ...]
    help_text: str
    aliases: tuple[str, ...] = ()
    args: object = None
    interspersed: bool = True
    hidden_flags: tuple[Flag, ...] = ()
    use_line_override: str = ""

    @property
    def name(self) -> str:
        """The command's own name, the last word of its path (``docker`` for the root)."""
        return self.path[-1] if self.path else "docker"

    @property
    def command_path(self) -> str:
        """cobra's ``CommandPath``: ``docker image ls``."""
        return " ".join(("docker",) + self.path)

    @property
    def use_line(self) -> str:
        """cobra's ``UseLine``, as usage messages print it."""
        if self.use_line_override:
            return self.use_line_override
        if any(True for _ in _children(self)):
            return self.command_path
        # The usage block runs to the first blank line: `cp` has a second, tab-indented form.
        return self.help_text.split("\n\n", 1)[0].removeprefix("Usage:  ")

    @property
    def key(self) -> str:
        """The canonical handler key: the first of Docker's aliases, else the path."""
        lines = self.help_text.splitlines()
        if "Aliases:" in lines:
            first = lines[lines.index("Aliases:") + 1].strip().split(", ")[0]
            return first.removeprefix("docker ")
        return " ".join(self.path) or "docker"

    @functools.cached_property
    def flags(self) -> dict[str, Flag]:
        """Every flag by long name: the help text's, the hidden ones, and the inherited persistent ``--help``."""
        found = {flag.name: flag for flag in parse_help_flags(self.help_text) if flag.name != "help"}
        found.update((flag.name, flag) for flag in self.hidden_flags)
        if "help" not in found:
            found["help"] = _persistent_help()
        return found

    @functools.cached_property
    def shorthands(self) -> dict[str, Flag]:
        """Every flag by its one-letter shorthand."""
        return {flag.short: flag for flag in self.flags.values() if flag.short}


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
def _table() -> dict[tuple[str, ...], Command]:
    spec = resources.files("sandbox.cli.spec")
    facts = json.loads(spec.joinpath("commands.json").read_text())["commands"]
    tree: dict[tuple[str, ...], Command] = {}
    for entry in spec.iterdir():
        name = entry.name
        if not (name.startswith("docker") and name.endswith(".txt")):
            continue
        path = tuple(name.removesuffix(".txt").split("-")[1:])
        key = " ".join(("docker",) + path)
        fact = facts.get(key, {})
        if "same_as" in fact:
            fact = dict(facts[fact["same_as"]], **{k: v for k, v in fact.items() if k != "same_as"})
        tree[path] = Command(
            path=path,
            help_text=entry.read_text(),
            aliases=tuple(fact.get("aliases", ())),
            args=fact.get("args"),
            interspersed=fact.get("interspersed", True),
            hidden_flags=tuple(_flag_from_table(flag) for flag in fact.get("hidden_flags", ())),
            use_line_override=fact.get("use_line", ""),
        )
    return tree


@functools.cache
def _persistent_help() -> Flag:
    facts = json.loads(resources.files("sandbox.cli.spec").joinpath("commands.json").read_text())["commands"]
    return next(_flag_from_table(f) for f in facts["docker"]["hidden_flags"] if f["name"] == "help")


@functools.cache
def _child_index() -> dict[tuple[str, ...], tuple[Command, ...]]:
    """Each command's subcommands, indexed once (the walk runs for every command line)."""
    index: dict[tuple[str, ...], list[Command]] = {}
    for path, child in _table().items():
        if path:
            index.setdefault(path[:-1], []).append(child)
    return {parent: tuple(children) for parent, children in index.items()}


def _children(command: Command) -> Iterator[Command]:
    return iter(_child_index().get(command.path, ()))


@functools.cache
def _name_index() -> dict[tuple[tuple[str, ...], str], Command]:
    """(parent path, name or alias) -> subcommand; the first child wins, as cobra's findNext does."""
    index: dict[tuple[tuple[str, ...], str], Command] = {}
    for parent, children in _child_index().items():
        for child in children:
            for word in (child.name, *child.aliases):
                index.setdefault((parent, word), child)
    return index


def _find_next(command: Command, word: str) -> Command | None:
    """cobra's ``findNext``: the subcommand named or aliased ``word``."""
    return _name_index().get((command.path, word))


def _root() -> Command:
    return _table()[()]


# Parsing ------------------------------------------------------------------------------------------------------------


class _FlagError(Exception):
    """An error pflag returns from ``Parse``; the caller decides how the client prints it."""


@dataclass
class _State:
    """Flag values of one run of the client, shared the way pflag shares ``*Flag`` values between flag sets."""

    values: dict[tuple[tuple[str, ...], str], object] = field(default_factory=dict)
    changed: set[tuple[tuple[str, ...], str]] = field(default_factory=set)
    notices: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: cobra's per-command ``flagErrorBuf``: deprecation lines, never emptied.
    buffers: dict[tuple[str, ...], list[str]] = field(default_factory=dict)

    @staticmethod
    def owner(command: Command, flag: Flag) -> tuple[str, ...]:
        return () if flag.persistent or not command.path else command.path

    def get(self, command: Command, flag: Flag) -> object:
        return self.values.get((self.owner(command, flag), flag.name), flag.zero())

    def was_set(self, command: Command, name: str) -> bool:
        flag = command.flags.get(name)
        return flag is not None and (self.owner(command, flag), name) in self.changed

    def set(self, command: Command, flag: Flag, value: str, out: list[str]) -> None:
        """pflag's ``FlagSet.Set``: convert, store, mark changed, note a deprecation."""
        key = (self.owner(command, flag), flag.name)
        try:
            if flag.type == "strings" or flag.type == "ipNetSlice":
                converted: object = tuple(_read_csv(value))
            elif flag.type == "stringToString":
                converted = tuple(_string_to_string(value))
            elif flag.type == "filter":
                one = _filter_value(value)
                converted = () if one is None else (one,)
            elif flag.repeats:
                converted = (flag.convert(value),)
            else:
                converted = flag.convert(value)
        except _ValueError as err:
            raise _FlagError(f"invalid argument {go_quote(value)} for {go_quote(flag.usage_name())} flag: {err}")
        if flag.repeats:
            previous = self.values.get(key, ()) if key in self.changed or flag.type != "strings" else ()
            converted = tuple(previous) + tuple(converted)
        self.values[key] = converted
        self.changed.add(key)
        if flag.deprecated:
            out.append(f"Flag --{flag.name} has been deprecated, {flag.deprecated}\n")


def _parse_flags(state: _State, command: Command, args: Sequence[str], interspersed: bool, out: list[str]) -> list[str]:
    """pflag's ``FlagSet.Parse``: set the flags in ``args`` and return the positional arguments."""
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
            rest = _parse_long(state, command, arg, rest, out)
        else:
            rest = _parse_shorts(state, command, arg, rest, out)
    return positional


def _parse_long(state: _State, command: Command, arg: str, rest: list[str], out: list[str]) -> list[str]:
    name = arg[2:]
    if name[0] in "-=":
        raise _FlagError(f"bad flag syntax: {arg}")
    name, has_value, value = name.partition("=")
    flag = command.flags.get(name)
    if flag is None:
        raise _FlagError(f"unknown flag: --{name}")
    if not has_value:
        if flag.no_opt_default:
            value = flag.no_opt_default
        elif rest:
            value = rest.pop(0)
        else:
            raise _FlagError(f"flag needs an argument: {arg}")
    state.set(command, flag, value, out)
    return rest


def _parse_shorts(state: _State, command: Command, arg: str, rest: list[str], out: list[str]) -> list[str]:
    shorthands = _bytes(arg)[1:]
    while shorthands:
        letter = shorthands[:1]
        flag = command.shorthands.get(_text(letter)) if letter[0] < 0x80 else None
        if flag is None:
            raise _FlagError(f"unknown shorthand flag: {_go_quote_byte(letter[0])} in -{_text(shorthands)}")
        if len(shorthands) > 2 and shorthands[1:2] == b"=":
            value, shorthands = _text(shorthands[2:]), b""
        elif flag.no_opt_default:
            value, shorthands = flag.no_opt_default, shorthands[1:]
        elif len(shorthands) > 1:
            value, shorthands = _text(shorthands[1:]), b""
        elif rest:
            value, shorthands = rest.pop(0), b""
        else:
            raise _FlagError(f"flag needs an argument: {_go_quote_byte(letter[0])} in -{_text(shorthands)}")
        if flag.short_deprecated:
            out.append(f"Flag shorthand -{flag.short} has been deprecated, {flag.short_deprecated}\n")
        state.set(command, flag, value, out)
    return rest


def _cobra_parse(state: _State, command: Command, args: Sequence[str]) -> list[str]:
    """cobra's ``ParseFlags``: parse, then print the command's whole notice buffer if this parse added to it."""
    buffer = state.buffers.setdefault(command.path, [])
    before = len(buffer)
    positional = _parse_flags(state, command, args, command.interspersed, buffer)
    if len(buffer) > before:
        state.notices.extend(buffer)
    return positional


def _is_flag_arg(arg: str) -> bool:
    raw = _bytes(arg)
    return (len(raw) >= 3 and raw[:2] == b"--") or (len(raw) >= 2 and raw[:1] == b"-" and raw[1:2] != b"-")


def _takes_no_value(command: Command, name: str, short: bool) -> bool:
    flag = command.shorthands.get(name[:1]) if short else command.flags.get(name)
    return flag is not None and bool(flag.no_opt_default)


def _traverse(state: _State, command: Command, args: list[str]) -> tuple[Command, list[str]]:
    """cobra's ``Traverse``: descend through subcommands, parsing each parent's flags on the way."""
    flags: list[str] = []
    in_flag = False
    for index, arg in enumerate(args):
        if arg.startswith("--") and "=" not in arg:
            in_flag = not _takes_no_value(command, arg[2:], short=False)
            flags.append(arg)
            continue
        lone_short = arg.startswith("-") and "=" not in arg and len(_bytes(arg)) == 2
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
        child = _find_next(command, arg)
        if child is None:
            return command, args
        _cobra_parse(state, command, flags)
        return _traverse(state, child, args[index + 1 :])
    return command, args


def _args_error(command: Command, args: Sequence[str]) -> str | None:
    """The message of the command's positional-argument rule (docker/cli ``cli/required.go``), or None."""
    rule, count, path, use = command.args, len(args), command.command_path, command.use_line
    usage = f"\n\nUsage:  {use}\n\n"
    if rule is None and command.path and any(True for _ in _children(command)):
        rule = "none"  # every management command is cli.NoArgs
    if rule is None:
        return None
    if rule == "none":
        if not args:
            return None
        if any(True for _ in _children(command)):
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


def _flag_error(command: Command, err: _FlagError) -> str:
    """docker/cli's ``FlagErrorFunc``: the pflag error, the usage line and where to find help."""
    return f"{err}\n\nUsage:  {command.use_line}\n\nRun '{command.command_path} --help' for more information"


@dataclass(frozen=True)
class Invocation:
    """A command line the client accepted: the command, its options and arguments, or the help it prints itself.

    ``help_text is not None`` means the client answered by itself (``--help``, ``docker help X``, ``--version``,
    a bare ``docker`` or ``docker image``): print ``notices + help_text`` on stdout and ``warnings`` on stderr, and
    exit with ``exit_code``, without running anything. Otherwise run ``command``, printing ``notices`` on stdout and
    ``warnings`` on stderr before its own output.
    """

    path: tuple[str, ...]
    command: str
    options: Mapping[str, object]
    args: tuple[str, ...]
    help_text: str | None = None
    exit_code: int = 0
    globals: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    notices: str = ""
    warnings: str = ""
    changed: frozenset[str] = frozenset()

    def flag_was_set(self, name: str) -> bool:
        """Whether the command line gave flag ``name`` (long name), even to its default value."""
        return name in self.changed


_DEFAULTS: dict[tuple[str, ...], dict[str, object]] = {}


def _defaults(command: Command) -> dict[str, object]:
    """Every flag's value when not given, computed once per command (``run`` has about a hundred flags)."""
    if command.path not in _DEFAULTS:
        _DEFAULTS[command.path] = {name: flag.zero() for name, flag in command.flags.items() if name != "help"}
    return _DEFAULTS[command.path]


def _options(state: _State, command: Command) -> tuple[Mapping[str, object], frozenset[str]]:
    values = dict(_defaults(command))
    changed = set()
    for owner, name in state.values.keys() | state.changed:
        flag = command.flags.get(name)
        if flag is None or name == "help" or owner != state.owner(command, flag):
            continue
        if (owner, name) in state.values:
            values[name] = state.values[(owner, name)]
        if (owner, name) in state.changed:
            changed.add(name)
    return MappingProxyType(values), frozenset(changed)


def _help_replay(state: _State, args: list[str]) -> None:
    """docker's help function traverses the command line once more (looking for a plugin), re-printing buffers."""
    if args:
        _traverse(state, _root(), list(args))


def parse_argv(argv: Sequence[str]) -> Invocation:
    """Parse a docker command line (``argv[0]`` is the program name) as the docker 28.2.2 client does.

    Raises ``UsageError`` whose message is the client's whole stderr text: exit code 125 for flag errors (unknown
    flag or shorthand, missing or invalid value), 1 for unknown commands, wrong argument counts, an invalid
    ``--log-level``, ``--host`` with ``--context``, flags the simulated daemon does not support, ``docker bake``,
    and ``unknown help topic``.
    """
    state = _State()
    root = _root()
    words = [str(word) for word in argv[1:]]
    global_out: list[str] = []
    try:
        rest = _parse_flags(state, root, words, interspersed=False, out=global_out)
    except _FlagError as err:
        _check_log_level(state, root, global_out)
        raise UsageError("".join(global_out) + _flag_error(root, err), 125) from None
    state.warnings.extend(global_out)  # a fresh pflag FlagSet writes notices straight to stderr
    _check_log_level(state, root, state.warnings)
    if state.was_set(root, "context") and state.get(root, root.flags["host"]):
        raise UsageError(
            "".join(state.warnings) + "conflicting options: cannot specify both --host and --context", 1
        )
    if rest[:1] == ["bake"]:
        raise UsageError("".join(state.warnings) + BAKE_MISSING, 1)
    # The harvested client had no buildx plugin and warned about the legacy builder before every build command; a
    # learner's Docker 28 ships buildx and builds with BuildKit, which the sandbox simulates, so no warning here.
    try:
        command, remaining = _traverse(state, root, rest)
    except _FlagError as err:  # a parent's flags failed to parse: cobra returns the bare error
        raise UsageError("".join(state.warnings) + str(err), 1) from None
    return _execute(state, command, remaining, rest)


def _refuse(state: _State, message: str, exit_code: int) -> UsageError:
    """A ``UsageError`` for ``message``; its ``stdout`` holds the notices the client printed before refusing."""
    error = UsageError(message, exit_code)
    error.stdout = "".join(state.notices)  # type: ignore[attr-defined]  # errors.py has no field for it yet
    return error


def _check_log_level(state: _State, root: Command, stderr: list[str]) -> None:
    level = state.get(root, root.flags["log-level"])
    if state.was_set(root, "log-level") and str(level).lower() not in LOG_LEVELS:
        raise UsageError("".join(stderr) + f"Unable to parse logging level: {level}", 1)


def _typed_path(rest: Sequence[str], command: Command) -> tuple[str, ...]:
    """The words the user typed for the command's path (``images``, ``image list``), in order."""
    typed, node = [], _root()
    for word in rest:
        if len(typed) == len(command.path):
            break
        child = _find_next(node, word)
        if child is not None and child.path == command.path[: len(typed) + 1]:
            typed.append(word)
            node = child
    return tuple(typed)


def _execute(state: _State, command: Command, args: list[str], rest: list[str]) -> Invocation:
    """cobra's ``execute`` for the command ``Traverse`` found, with docker's hooks around it."""
    warnings = "".join(state.warnings)
    try:
        positional = _cobra_parse(state, command, args)
    except _FlagError as err:
        raise UsageError(warnings + _flag_error(command, err), 125) from None
    path = _typed_path(rest, command)
    globals_ = MappingProxyType(
        {name: state.get(_root(), flag) for name, flag in _root().flags.items() if name not in ("help", "version")}
    )

    def answer(stdout: str, stderr: str = "", key: str | None = None) -> Invocation:
        options, changed = _options(state, command)
        return Invocation(
            path=path, command=key or command.key, options=options, args=tuple(positional), help_text=stdout,
            globals=globals_, notices="".join(state.notices), warnings=warnings + stderr, changed=changed,
        )  # fmt: skip

    if state.get(command, command.flags["help"]):
        _help_replay(state, rest)
        return answer(command.help_text)
    if not command.path and state.get(command, command.flags["version"]):
        return answer(VERSION_LINE)
    message = _args_error(command, positional)
    if message is not None:
        raise _refuse(state, warnings + message, 1)
    if not command.path:
        if positional:
            unknown = f"docker: unknown command: docker {positional[0]}\n\nRun 'docker --help' for more information"
            raise _refuse(state, warnings + unknown, 1)
        return answer("", command.help_text)  # ShowHelp(stderr): docker alone
    if command.path == ("help",):
        return _help_command(state, positional, answer, warnings)
    if any(True for _ in _children(command)):
        if command.path == ("manifest",):  # its own Run: Fprint(Err, "\n"+cmd.UsageString())
            return answer("", "\n" + command.help_text)
        return answer("", command.help_text)  # ShowHelp(stderr): a bare management command
    refusals = [
        UNSUPPORTED[flag.unsupported].format(flag.name)
        for flag in sorted(command.flags.values(), key=lambda flag: flag.name)
        if flag.unsupported and state.was_set(command, flag.name)
    ]
    if refusals:
        raise _refuse(state, warnings + "\n".join(refusals), 1)
    if state.was_set(command, "time") and state.was_set(command, "timeout"):
        raise _refuse(state, warnings + "conflicting options: cannot specify both --timeout and --time", 1)
    options, changed = _options(state, command)
    return Invocation(
        path=path, command=command.key, options=options, args=tuple(positional), globals=globals_,
        notices="".join(state.notices), warnings=warnings, changed=changed,
    )  # fmt: skip


def _help_command(state: _State, words: list[str], answer: Callable[..., Invocation], warnings: str) -> Invocation:
    """``docker help [command]``: cobra's ``Find`` over the words, then that command's help on stdout."""
    node, index = _root(), 0
    while index < len(words):
        child = _find_next(node, words[index])
        if child is None:
            break
        node, index = child, index + 1
    if index < len(words):
        raise _refuse(state, warnings + "unknown help topic: " + " ".join(words[index:]), 1)
    return answer(node.help_text)


def _resolve(words: Sequence[str]) -> Command:
    node = _root()
    for word in words:
        child = _find_next(node, word)
        if child is None:
            raise KeyError(" ".join(words))
        node = child
    return node


def usage_line(command: str | Sequence[str]) -> str:
    """``Usage:  docker push [OPTIONS] NAME[:TAG]`` for a command key or typed path (``"push"``, ``("image", "list")``).

    Raises ``KeyError`` for a path that names no command.
    """
    words = command.split() if isinstance(command, str) else list(command)
    if words[:1] == ["docker"]:
        words = words[1:]
    return "Usage:  " + _resolve(words).use_line
