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
)


def known_bug(line: str) -> KnownBug | None:
    """The open bug that may explain a property failure on ``line``, if any."""
    return next((bug for bug in KNOWN_BUGS if bug.matches(line)), None)
