"""The daemon's side of ``--filter``: moby v28.2.2 ``api/types/filters`` (``Args``), ``api/types/time``
(``GetTimestamp``) and the port ranges of ``docker ps --filter publish/expose`` (go-connections ``nat``).

The client sends each filter as a name and a set of values; the daemon checks the names it accepts (``invalid filter
'bogus'``), reads each value its own way and applies them. A filter's values are a set in Go (map keys), so the order
in which dockerd walks them is random; where that order could show (the first bad value reported), the values are
walked sorted, one order Docker could also have taken.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone

from sandbox.errors import InvalidArgument, InvalidFilter, NotSimulated

__all__ = ["Filters", "get_timestamp", "port_filter", "until_from_prune_filters"]


class Filters:
    """``filters.Args``: filter names, each with a set of values."""

    def __init__(self, fields: Mapping[str, Iterable[str]] | None = None) -> None:
        self.fields: dict[str, frozenset[str]] = {name: frozenset(values) for name, values in (fields or {}).items()}

    def with_value(self, name: str, value: str) -> "Filters":
        """``Args.Add`` on a copy (the client adds ``dangling`` to ``image prune``'s filters, ``reference`` for
        ``docker images NAME``)."""
        fields = dict(self.fields)
        fields[name] = fields.get(name, frozenset()) | {value}
        return Filters(fields)

    def validate(self, accepted: Iterable[str]) -> None:
        """``Args.Validate``. Raises `InvalidFilter` (``invalid filter 'bogus'``) for a name not accepted."""
        unknown = sorted(set(self.fields) - set(accepted))
        if unknown:
            raise InvalidFilter(unknown[0])

    def contains(self, name: str) -> bool:
        """Whether the filter was given at all (even with no values)."""
        return name in self.fields

    def get(self, name: str) -> list[str]:
        """The values of a filter, sorted (Go walks a map; see the module docstring)."""
        return sorted(self.fields.get(name, ()))

    def get_bool(self, name: str, default: bool) -> bool:
        """``Args.GetBoolOrDefault``: ``1``/``true`` or ``0``/``false``, never both, nothing else.

        Raises `InvalidFilter` (``invalid filter 'dangling=[false true]'``, the values in ``get``'s order).
        """
        if name not in self.fields:
            return default
        values = self.fields[name]
        if not values:
            raise InvalidFilter(name)
        is_false = "0" in values or "false" in values
        is_true = "1" in values or "true" in values
        if is_false == is_true:
            raise InvalidFilter(name, tuple(self.get(name)))
        return is_true

    def exact_match(self, name: str, source: str) -> bool:
        """``Args.ExactMatch``: no filter matches everything; else the source is one of the values."""
        values = self.fields.get(name)
        return not values or source in values

    def match(self, name: str, source: str) -> bool:
        """``Args.Match``: the source is one of the values, or one of them, as a Go regular expression, is found in it.

        A value that is not a valid Go regular expression matches nothing, as in dockerd. Raises `NotSimulated` for
        an expression Python's backtracking engine could take exponential time on (Go's is linear).
        """
        if self.exact_match(name, source):
            return True
        return any(_go_regexp_search(name, pattern, source) for pattern in self.get(name))

    def match_kv_list(self, name: str, labels: Mapping[str, str]) -> bool:
        """``Args.MatchKVList``: every ``key`` or ``key=value`` of the filter is among the labels."""
        values = self.fields.get(name)
        if not values:
            return True
        if not labels:
            return False
        for value in values:
            key, has_value, wanted = value.partition("=")
            if key not in labels or (has_value and labels[key] != wanted):
                return False
        return True

    def match_labels(self, labels: Mapping[str, str]) -> bool:
        """The prune filters' ``matchLabels``: ``label`` all present, and not all of ``label!`` present."""
        if not self.match_kv_list("label", labels):
            return False
        return not (self.contains("label!") and self.match_kv_list("label!", labels))


# Go's regexp (RE2) in Python's re ---------------------------------------------------------------------------------

#: Constructs Python's re has and Go's RE2 refuses to compile (lookaround, backreferences, conditionals).
_NOT_RE2 = re.compile(r"\(\?[=!<]|\(\?P=|\(\?\(|\\[1-9]|\\[AZ]\b|\(\?[aLu]")
#: A quantified group that itself holds a quantifier: Python may backtrack exponentially on it, RE2 never does.
_NESTED_QUANTIFIER = re.compile(r"[*+?}][^()]*\)[*+?{]")


def _go_regexp_search(name: str, pattern: str, source: str) -> bool:
    if _NOT_RE2.search(pattern):
        return False
    if _NESTED_QUANTIFIER.search(pattern):
        raise NotSimulated(f"'--filter {name}={pattern}'", "nested repetition in a regular expression")
    try:
        compiled = re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return compiled.search(source) is not None


# api/types/time ---------------------------------------------------------------------------------------------------

_DURATION_UNITS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000, "s": 10**9, "m": 60 * 10**9,
                   "h": 3600 * 10**9}  # fmt: skip
_DURATION = re.compile(r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+\Z")
_DURATION_PART = re.compile(r"([0-9]*)(?:\.([0-9]*))?(ns|us|µs|μs|ms|s|m|h)")
_UNIX_SECONDS = re.compile(r"[+-]?[0-9]+(?:\.[+-]?[0-9]+)?\Z")
#: The layouts GetTimestamp picks from (Go reference-time layouts, written as Python patterns).
_DATE = r"(\d{4})-(\d{2})-(\d{2})"
_ZONE = r"(Z|[+-]\d{2}:\d{2})"
_LAYOUTS = {
    "2006-01-02": re.compile(_DATE + r"\Z"),
    "2006-01-02Z07:00": re.compile(_DATE + _ZONE + r"\Z"),
    "2006-01-02T15": re.compile(_DATE + r"T(\d{2})\Z"),
    "2006-01-02T15:04": re.compile(_DATE + r"T(\d{2}):(\d{2})\Z"),
    "2006-01-02T15:04:05": re.compile(_DATE + r"T(\d{2}):(\d{2}):(\d{2})\Z"),
    "2006-01-02T15Z07:00": re.compile(_DATE + r"T(\d{2})" + _ZONE + r"\Z"),
    "2006-01-02T15:04Z07:00": re.compile(_DATE + r"T(\d{2}):(\d{2})" + _ZONE + r"\Z"),
    "2006-01-02T15:04:05Z07:00": re.compile(_DATE + r"T(\d{2}):(\d{2}):(\d{2})" + _ZONE + r"\Z"),
    "2006-01-02T15:04:05.999999999": re.compile(_DATE + r"T(\d{2}):(\d{2}):(\d{2})\.(\d{1,9})\Z"),
    "2006-01-02T15:04:05.999999999Z07:00": re.compile(_DATE + r"T(\d{2}):(\d{2}):(\d{2})\.(\d{1,9})" + _ZONE + r"\Z"),
}


def _go_duration(value: str) -> timedelta | None:
    """Go's ``time.ParseDuration`` when it succeeds, else None (GetTimestamp only asks whether it parses)."""
    if not _DURATION.match(value):
        return None
    sign = -1 if value.startswith("-") else 1
    nanos = 0
    for whole, fraction, unit in _DURATION_PART.findall(value.lstrip("+-")):
        scale = _DURATION_UNITS[unit]
        nanos += int(whole or "0") * scale + (int(fraction) * scale // 10 ** len(fraction) if fraction else 0)
    if nanos >= 1 << 63:
        return None
    return timedelta(microseconds=sign * nanos / 1000)


def _layout(value: str) -> tuple[str, bool]:
    """GetTimestamp's choice of layout, and whether the value is read in the daemon's zone (UTC here)."""
    in_location = not any(char in value for char in "zZ+") and value.count("-") != 3
    if "." in value:
        return ("2006-01-02T15:04:05.999999999" if in_location else "2006-01-02T15:04:05.999999999Z07:00"), in_location
    if "T" in value:
        colons = value.count(":")
        if not in_location and not any(char in value for char in "zZ") and colons > 0:
            colons -= 1
        base = ("2006-01-02T15", "2006-01-02T15:04", "2006-01-02T15:04:05")[min(colons, 2)]
        return (base if in_location else base + "Z07:00"), in_location
    return ("2006-01-02" if in_location else "2006-01-02Z07:00"), in_location


def get_timestamp(value: str, reference: datetime, name: str = "until") -> datetime:
    """``timetypes.GetTimestamp`` then ``ParseTimestamps``: a Go duration before ``reference``, an RFC 3339 time (in
    the daemon's zone, UTC, when it names none), or Unix seconds.

    Raises `InvalidArgument` with dockerd's ``failed to parse value as time or duration: "..."``, and `NotSimulated`
    for an RFC 3339-like value Go's time parser would refuse with a message the sandbox does not reproduce.
    """
    duration = _go_duration(value)
    if value != "0" and duration is not None:
        return reference - duration
    layout, _ = _layout(value)
    match = _LAYOUTS[layout].match(value.upper() if "z" in value else value)
    if match is not None:
        moment = _moment(match.groups(), layout)
        if moment is not None:
            return moment
    if "-" in value:
        raise NotSimulated(f"'--filter {name}={value}'", "a date Go's time parser refuses")
    if not _UNIX_SECONDS.match(value):
        raise InvalidArgument(f'failed to parse value as time or duration: "{value}"')
    seconds, _, nanos = value.partition(".")
    moment = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=int(seconds))
    if nanos:
        moment += timedelta(microseconds=int(nanos) * 10 ** (9 - len(nanos.lstrip("+-"))) / 1000)
    return moment


def _moment(groups: tuple[str | None, ...], layout: str) -> datetime | None:
    parts = list(groups)
    zone = timezone.utc
    if parts and parts[-1] is not None and (parts[-1] == "Z" or parts[-1][:1] in "+-") and "Z07:00" in layout:
        text = parts.pop()
        if text != "Z":
            sign = -1 if text[0] == "-" else 1
            zone = timezone(sign * timedelta(hours=int(text[1:3]), minutes=int(text[4:6])))
    nanos = 0
    if ".999999999" in layout:
        fraction = parts.pop()
        nanos = int(fraction) * 10 ** (9 - len(fraction))
    numbers = [int(part) for part in parts]
    numbers += [0] * (6 - len(numbers))
    try:
        return datetime(*numbers, tzinfo=zone) + timedelta(microseconds=nanos / 1000)
    except ValueError:
        return None


def until_from_prune_filters(filters: Filters, now: datetime) -> datetime | None:
    """The prune endpoints' ``getUntilFromPruneFilters``. Raises `InvalidArgument` for two ``until`` values."""
    if not filters.contains("until"):
        return None
    values = filters.get("until")
    if len(values) > 1:
        raise InvalidArgument("more than one until filter specified")
    return get_timestamp(values[0], now)


def port_filter(name: str, values: Iterable[str]) -> frozenset[tuple[int, str]]:
    """``docker ps --filter publish=80/tcp`` or ``expose=8000-8080``: the (port, protocol) pairs named.

    Raises `InvalidArgument` in dockerd's words (``filter for 'publish' should not contain ':': 80:80``).
    """
    ports: set[tuple[int, str]] = set()
    for value in values:
        if ":" in value:
            raise InvalidArgument(f"filter for '{name}' should not contain ':': {value}")
        protocol, port = _split_proto_port(value)
        start, end = _port_range(name, value, port)
        ports.update((number, protocol) for number in range(start, end + 1))
    return frozenset(ports)


def _split_proto_port(raw: str) -> tuple[str, str]:
    parts = raw.split("/")
    if not raw or not parts[0]:
        return "", ""
    if len(parts) == 1:
        return "tcp", raw
    return (parts[1] or "tcp"), parts[0]


def _port_range(name: str, value: str, ports: str) -> tuple[int, int]:
    def fail(reason: str) -> InvalidArgument:
        return InvalidArgument(f"error while looking up for {name} {value}: {reason}")

    if not ports:
        raise fail("empty string specified for ports")
    if "-" not in ports:
        number = _parse_uint16(ports)
        if isinstance(number, str):
            raise fail(number)
        return number, number
    first, second = ports.split("-")[:2]
    start, end = _parse_uint16(first), _parse_uint16(second)
    for number in (start, end):
        if isinstance(number, str):
            raise fail(number)
    if end < start:
        raise fail(f"invalid range specified for port: {ports}")
    return start, end


def _parse_uint16(text: str) -> int | str:
    """strconv.ParseUint(text, 10, 16): the number, or Go's error text."""
    if not text or not text.isascii() or not text.isdigit():
        return f'strconv.ParseUint: parsing "{text}": invalid syntax'
    if int(text) > 0xFFFF:
        return f'strconv.ParseUint: parsing "{text}": value out of range'
    return int(text)
