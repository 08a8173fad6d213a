"""The pieces of Go's standard library whose words reach the learner: ``strconv`` (``%q`` quoting, ``ParseInt``,
``ParseUint``, ``ParseBool``, ``ParseFloat``'s syntax), ``time.ParseDuration`` and one record of ``encoding/csv``.

The docker client is a Go program: when it refuses a value, the sentence comes from the Go parser pflag or docker's
``opts`` called (``strconv.ParseInt: parsing "x": invalid syntax``). Each parser here raises ``GoError`` carrying that
sentence; the caller wraps it as the client does.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta

__all__ = ["FLOAT", "GoError", "go_quote", "go_quote_byte", "go_unquote", "is_print", "parse_bool", "parse_duration", "parse_int", "read_csv",
           "to_bytes", "to_text"]  # fmt: skip


class GoError(Exception):
    """An error a Go parser returned, in its own words; pflag wraps it into ``invalid argument ...``."""


def to_bytes(text: str) -> bytes:
    """The bytes Go sees for ``text`` (a word that was not UTF-8 arrives as surrogate escapes)."""
    return text.encode("utf-8", "surrogateescape")


def to_text(raw: bytes) -> str:
    """The inverse of ``to_bytes``."""
    return raw.decode("utf-8", "surrogateescape")


# strconv.Quote, for messages that print values with %q -------------------------------------------------------------


def is_print(char: str) -> bool:
    """Go's strconv.IsPrint (and unicode.IsPrint): letters, marks, numbers, punctuation, symbols, the ASCII space."""
    return char == " " or unicodedata.category(char)[0] in "LMNPS"


_GO_ESCAPES = {"\a": r"\a", "\b": r"\b", "\f": r"\f", "\n": r"\n", "\r": r"\r", "\t": r"\t", "\v": r"\v"}


def _go_escape(char: str, quote: str) -> str:
    if char in (quote, "\\"):
        return "\\" + char
    if "\udc80" <= char <= "\udcff":  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{ord(char) - 0xDC00:02x}"
    if is_print(char):
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


def go_quote_byte(byte: int) -> str:
    """A byte as Go's ``%q`` prints it: a character literal of the code point with that value."""
    return "'" + _go_escape(chr(byte), "'") + "'"


_UNESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92}


def go_unquote(literal: str) -> str:
    """Go's strconv.Unquote of a string (``"..."``, a raw string) or character (``'x'``) literal: the escapes
    ``\\n \\xNN \\NNN \\uNNNN \\UNNNNNNNN``...; a byte escape that is not UTF-8 stays a surrogate escape.

    Raises ``GoError("invalid syntax")`` for anything Go's Unquote refuses.
    """
    invalid = GoError("invalid syntax")
    quote, body = literal[:1], literal[1:-1]
    if len(literal) < 2 or quote not in "\"'`" or literal[-1] != quote:
        raise invalid
    if quote == "`":
        if "`" in body:
            raise invalid
        return body.replace("\r", "")
    out, at = bytearray(), 0
    while at < len(body):
        char = body[at]
        if char == quote or char == "\n":
            raise invalid
        if char != "\\":
            out += to_bytes(char)
            at += 1
            continue
        kind = body[at + 1:at + 2]
        if kind in _UNESCAPES:
            out.append(_UNESCAPES[kind])
            at += 2
        elif kind == quote:
            out += kind.encode()
            at += 2
        elif kind in ("x", "u", "U") or kind in "01234567" and kind:
            size, base = {"x": (2, 16), "u": (4, 16), "U": (8, 16)}.get(kind, (3, 8))
            start = at + (1 if base == 8 else 2)
            digits = body[start:start + size]
            if len(digits) != size or any(d not in ("0123456789abcdefABCDEF" if base == 16 else "01234567")
                                          for d in digits):
                raise invalid
            number = int(digits, base)
            at = start + size
            if kind in "uU":
                if number > 0x10FFFF or 0xD800 <= number <= 0xDFFF:
                    raise invalid
                out += chr(number).encode()
            elif number > 255:
                raise invalid
            else:
                out.append(number)
        else:
            raise invalid
    text = to_text(bytes(out))
    if quote == "'" and len(text) != 1:
        raise invalid
    return text


# strconv's parsers ------------------------------------------------------------------------------------------------

_INT = re.compile(r"[+-]?(0[xX](_?[0-9a-fA-F])+|0[bB](_?[01])+|0[oO](_?[0-7])+|0(_?[0-7])*|[1-9](_?[0-9])*)\Z")
#: The decimal floats ``strconv.ParseFloat`` accepts (the forms a learner types; no hex floats, no inf/nan).
FLOAT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\Z")


def parse_int(value: str, signed: bool, bits: int) -> int:
    """Go's ``strconv.ParseInt``/``ParseUint`` with base 0 (``0x``, ``0o``, ``0b``, leading-zero octal, ``_``).

    Raises ``GoError`` for invalid syntax or a value out of range.
    """
    func = "ParseInt" if signed else "ParseUint"
    if not _INT.match(value) or (not signed and value[:1] in "+-"):
        raise GoError(f"strconv.{func}: parsing {go_quote(value)}: invalid syntax")
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
        raise GoError(f"strconv.{func}: parsing {go_quote(value)}: value out of range")
    return number


_BOOLS = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
          "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}  # fmt: skip


def parse_bool(value: str) -> bool:
    """Go's ``strconv.ParseBool``; raises ``GoError`` for anything but its twelve spellings."""
    if value not in _BOOLS:
        raise GoError(f"strconv.ParseBool: parsing {go_quote(value)}: invalid syntax")
    return _BOOLS[value]


# time.ParseDuration -----------------------------------------------------------------------------------------------


def _time_quote(text: str) -> str:
    """Go's ``time`` package quoting: non-ASCII and control bytes as ``\\x``, quotes and backslashes escaped."""
    out = []
    for char in text:
        if ord(char) < 0x20 or ord(char) >= 0x80:
            out.extend(f"\\x{byte:02x}" for byte in to_bytes(char))
        else:
            out.append("\\" + char if char in '"\\' else char)
    return '"' + "".join(out) + '"'


_DURATION_UNITS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000, "s": 10**9, "m": 60 * 10**9,
                   "h": 3600 * 10**9}  # fmt: skip
_DURATION_PART = re.compile(r"([0-9]*)(?:\.([0-9]*))?([^0-9.]*)")


def parse_duration(value: str) -> timedelta:
    """Go's ``time.ParseDuration``, to the microsecond; raises ``GoError`` in its words."""
    from fractions import Fraction  # exact like Go's integer nanoseconds; imported on first use (fractions is slow)

    invalid = GoError(f"time: invalid duration {_time_quote(value)}")
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
            raise GoError(f"time: missing unit in duration {_time_quote(value)}")
        if unit not in _DURATION_UNITS:
            raise GoError(f"time: unknown unit {_time_quote(unit)} in duration {_time_quote(value)}")
        number = Fraction(int(whole or "0")) + (Fraction(int(frac), 10 ** len(frac)) if frac else 0)
        total += number * _DURATION_UNITS[unit]
        rest = rest[match.end() :]
    if total >= 1 << 63:
        raise invalid
    return timedelta(microseconds=sign * int(total) / 1000)


# encoding/csv -----------------------------------------------------------------------------------------------------

_CSV_QUOTE = 'extraneous or missing " in quoted-field'


def read_csv(value: str) -> list[str]:
    """One record of Go's ``encoding/csv``; raises ``GoError`` with its two errors for stray quotes."""
    if value == "":
        return []
    fields, column, rest = [], 1, value
    while True:
        if rest.startswith('"'):
            out, pos = [], 1
            while True:
                end = rest.find('"', pos)
                if end == -1:
                    column += len(to_bytes(rest))
                    raise GoError(f"parse error on line 1, column {column}: {_CSV_QUOTE}")
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
                    column += len(to_bytes(rest[: end + 1]))
                    raise GoError(f"parse error on line 1, column {column}: {_CSV_QUOTE}")
        else:
            consumed = rest.find(",") if "," in rest else len(rest)
            if '"' in rest[:consumed]:
                column += len(to_bytes(rest[: rest.index('"')]))
                raise GoError(f'parse error on line 1, column {column}: bare " in non-quoted-field')
            fields.append(rest[:consumed])
        if consumed >= len(rest):
            return fields
        column += len(to_bytes(rest[: consumed + 1]))
        rest = rest[consumed + 1 :]
        if rest == "":
            return fields + [""]
