"""The only source of time and identity in a world: a virtual clock and a seeded ID source.

Real Docker reads the wall clock and random numbers; a sandbox must print the same bytes on every machine,
so every timestamp comes from `Clock` and every container ID from `IdSource`, and both fork with the world.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

#: When every world starts: shortly after the pinned catalogue's newest image, so CREATED columns look real.
EPOCH = datetime(2025, 6, 2, 9, 0, 0, tzinfo=timezone.utc)


@dataclass
class Clock:
    """Virtual wall clock; time moves only when a command says how long it took."""

    now: datetime = EPOCH

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward and return the new time."""
        self.now = self.now + timedelta(seconds=seconds)
        return self.now

    def fork(self) -> "Clock":
        """An independent clock at the same time."""
        return Clock(self.now)


@dataclass
class IdSource:
    """Deterministic 64-hex IDs, like the random ones dockerd gives containers."""

    seed: str = "imageshare"
    counter: int = 0

    def next_id(self) -> str:
        """Return the next ID in this world's sequence."""
        self.counter += 1
        return hashlib.sha256(f"{self.seed}:{self.counter}".encode()).hexdigest()

    def fork(self) -> "IdSource":
        """An independent source that continues the same sequence."""
        return IdSource(self.seed, self.counter)


@functools.lru_cache(maxsize=1024)  # time stands still between most commands; each listing re-reads the same few
def rfc3339(moment: datetime) -> str:
    """Docker's timestamp form in JSON: ``2025-03-03T09:00:00Z`` (nanoseconds omitted when zero)."""
    text = moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}".rstrip("0")
    return text + "Z"


@functools.lru_cache(maxsize=1024)
def parse_rfc3339(text: str) -> datetime:
    """Read a timestamp written by `rfc3339` or found in the catalogue."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
