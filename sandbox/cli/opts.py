"""docker/cli's ``opts`` package: the option types and validators Docker's commands hand to pflag.

``docker run -e =x`` is refused by ``opts.ValidateEnv`` before pflag stores anything; ``--memory 1.5g`` goes through
``opts.MemBytes`` (docker/go-units ``RAMInBytes``); ``--cpus 1/3`` through ``opts.NanoCPUs``; ``--filter`` through
``opts.FilterOpt``. Each function takes the word as typed and returns the value as the client keeps it, or raises
``GoError`` with the client's sentence.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from typing import Callable

from sandbox.cli.golang import FLOAT, GoError, go_quote

__all__ = ["LIST_VALIDATORS", "client_filters", "filter_value", "parse_bytes", "parse_decimal", "validate_sysctl"]


def parse_bytes(value: str) -> int:
    """docker/go-units ``RAMInBytes``: a number with an optional binary suffix (b, k, kb, kib, m, ...)."""
    digits = [value.rfind(char) for char in "01234567890. "]
    sep = max(digits)
    if sep == -1:
        raise GoError(f"invalid size: '{value}'")
    number, suffix = (value[: sep + 1], value[sep + 1 :]) if value[sep] != " " else (value[:sep], value[sep + 1 :])
    if not FLOAT.match(number):
        raise GoError(f"strconv.ParseFloat: parsing {go_quote(number)}: invalid syntax")
    size = float(number)
    if size in (float("inf"), float("-inf")):  # Go's ParseFloat reports the range error instead of +Inf
        raise GoError(f"strconv.ParseFloat: parsing {go_quote(number)}: value out of range")
    if size < 0:
        raise GoError(f"invalid size: '{value}'")
    if not suffix:
        return int(size)
    low = suffix.lower()
    multipliers = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}
    if len(low) > 3 or (low[0] == "b" and len(low) > 1) or (low[0] != "b" and low[0] not in multipliers):
        raise GoError(f"invalid suffix: '{low}'")
    if low[0] == "b":
        return int(size)
    if (len(low) == 2 and low[1] != "b") or (len(low) == 3 and low[1:] != "ib"):
        raise GoError(f"invalid suffix: '{low}'")
    return int(size * multipliers[low[0]])


_RATIONAL = re.compile(r"[+-]?(([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|[0-9]+/[0-9]+)\Z")


def parse_decimal(value: str) -> float:
    """``opts.NanoCPUs``: a rational number of CPUs, to the nano-CPU."""
    from fractions import Fraction  # Go's big.Rat; imported on first use (fractions pulls in decimal)

    if not _RATIONAL.match(value) or value.endswith("/0"):
        raise GoError(f"failed to parse {value} as a rational number")
    number = Fraction(value.lstrip("+")) if "/" in value else Fraction(value)
    if (number * 10**9).denominator != 1:
        raise GoError("value is too precise")
    try:
        return float(number)
    except OverflowError:  # big.Rat holds it; only the daemon's range check refuses it later
        return float("inf")


def _validate_env(value: str) -> str:
    if value.split("=", 1)[0] == "":
        raise GoError("invalid environment variable: " + value)
    return value


def _validate_label(value: str) -> str:
    key = value.split("=", 1)[0].lstrip(" \t\n\v\f\r")
    if key == "":
        raise GoError(f"invalid label '{value}': empty name")
    if any(char in key for char in " \t\n\v\f\r"):
        raise GoError(f"label '{key}' contains whitespaces")
    return value


def _ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def _validate_ip(value: str) -> str:
    address = _ip(value)
    if address is None:
        raise GoError(f"IP address is not correctly formatted: {value}")
    return address


def _validate_extra_host(value: str) -> str:
    key, sep, address = value.partition("=")
    if not sep:
        key, sep, address = value.partition(":")
    if not sep or key == "" or ":" in key:
        raise GoError(f"bad format for add-host: {go_quote(value)}")
    if address != "host-gateway":
        if len(address) > 2 and address[0] == "[" and address[-1] == "]":
            address = address[1:-1]
        if _ip(address) is None:
            raise GoError(f"invalid IP address in add-host: {go_quote(address)}")
    return f"{key}:{address}"


def _validate_attach(value: str) -> str:
    if value.lower() not in ("stdin", "stdout", "stderr"):
        raise GoError("valid streams are STDIN, STDOUT and STDERR")
    return value.lower()


_SYSCTLS = {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax",
            "kernel.shmmni", "kernel.shm_rmid_forced"}


def validate_sysctl(value: str) -> str:
    """``opts.ValidateSysctl``: namespaced kernel parameters only, as KEY=VALUE."""
    key, equals, _ = value.partition("=")
    if equals and (key in _SYSCTLS or key.startswith(("net.", "fs.mqueue."))):
        return value
    raise GoError(f"sysctl '{value}' is not allowed")


#: Validators of ``list`` flags, by flag name, as Docker's commands install them (``opts.NewListOpts(validator)``).
LIST_VALIDATORS: dict[str, Callable[[str], str]] = {
    "env": _validate_env,
    "build-arg": _validate_env,
    "label": _validate_label,
    "dns": _validate_ip,
    "add-host": _validate_extra_host,
    "attach": _validate_attach,
}


def filter_value(value: str) -> str | None:
    """``opts.FilterOpt.Set``: ``name=value`` with the name lower-cased and both sides trimmed; None for ``""``."""
    if value == "":
        return None
    if "=" not in value:
        raise GoError("bad format of filter (expected name=value)")
    name, _, val = value.partition("=")
    return f"{name.strip().lower()}={val.strip()}"


#: What Go's strings.TrimSpace removes (unicode.IsSpace), which is not quite what Python's str.strip() removes.
GO_SPACE = " \t\n\v\f\r\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028" \
           "\u2029\u202f\u205f\u3000"


def client_filters(flags: Iterable[object]) -> dict[str, list[str]]:
    """``opts.FilterOpt``, ``Set`` for each flag (already checked by `filter_value`): name lowercased, both sides
    trimmed as Go's ``strings.TrimSpace`` trims, an empty flag adding nothing. Returns ``{name: [value, ...]}``, the
    values in the order given, without repeats."""
    filters: dict[str, list[str]] = {}
    for flag in flags:
        if not flag:
            continue
        name, _, value = str(flag).partition("=")
        values = filters.setdefault(name.strip(GO_SPACE).lower(), [])
        if value.strip(GO_SPACE) not in values:
            values.append(value.strip(GO_SPACE))
    return filters
