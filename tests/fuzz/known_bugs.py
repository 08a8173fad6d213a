"""Bugs the fuzzers found and that are not fixed yet: each has a strict xfail test of its own
(``tests/fuzz/test_known_bugs.py``) and a pattern of the lines that trigger it.

While a bug is open, the fuzzers count a property failure on a matching line as that bug instead of failing, so the
suite stays green and keeps fuzzing everything else. When the bug is fixed its xfail test passes, strict xfail turns
that into a failure, and the entry here is deleted together with the marker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class KnownBug:
    """One open bug: a name, a one-line reason, and the lines that trigger it."""

    name: str
    reason: str
    pattern: re.Pattern[str]

    def matches(self, line: str) -> bool:
        """Whether ``line`` may trigger this bug."""
        return self.pattern.search(line) is not None


KNOWN_BUGS = (
    KnownBug(
        "cpus-overflow",
        "BUG: --cpus 1e309 raises OverflowError out of run() instead of being parsed as the client's big.Rat does",
        re.compile(r"--cpus.*\d[eE]\+?\d{3,}", re.S),
    ),
    KnownBug(
        "quoted-operator",
        "BUG: a quoted '|', '&&', '||' or ';' acts as a shell operator (echo '|' is a syntax error) instead of a word",
        re.compile(r"""(['"])(?:&&|\|\||\||;)\1"""),
    ),
    KnownBug(
        "escape-then-unclosed-quote",
        "BUG: a line with an unclosed quote and a trailing backslash raises ValueError instead of bash's EOF error",
        re.compile(r"""['"].*\\\Z""", re.S),
    ),
)


def known_bug(line: str) -> KnownBug | None:
    """The open bug that may explain a property failure on ``line``, if any."""
    return next((bug for bug in KNOWN_BUGS if bug.matches(line)), None)
