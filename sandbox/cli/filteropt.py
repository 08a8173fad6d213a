"""docker/cli's ``opts.FilterOpt``: repeated ``--filter name=value`` flags as the filter arguments the client sends.

The parser has already refused a flag without ``=`` (``bad format of filter (expected name=value)``); here the name
is lowercased and both sides trimmed as Go's ``strings.TrimSpace`` trims, and an empty flag adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

#: What Go's strings.TrimSpace removes (unicode.IsSpace), which is not quite what Python's str.strip() removes.
GO_SPACE = " \t\n\v\f\r\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028" \
           "\u2029\u202f\u205f\u3000"


def client_filters(flags: Iterable[object]) -> dict[str, list[str]]:
    """``FilterOpt.Set`` for each flag: ``{name: [value, ...]}``, values in the order given, without repeats."""
    filters: dict[str, list[str]] = {}
    for flag in flags:
        if not flag:
            continue
        name, _, value = str(flag).partition("=")
        values = filters.setdefault(name.strip(GO_SPACE).lower(), [])
        if value.strip(GO_SPACE) not in values:
            values.append(value.strip(GO_SPACE))
    return filters
