"""How much fuzzing a run did, per test, for the end-of-run summary and ``docs/reliability.md``."""

from __future__ import annotations

from collections import Counter

#: test name -> command lines run
LINES: Counter[str] = Counter()
#: test node id -> seconds its call took
SECONDS: Counter[str] = Counter()
#: known bug name -> lines that broke a property through it
KNOWN: Counter[str] = Counter()
