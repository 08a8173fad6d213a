"""The world's event log, like ``docker events`` but with a sentence that says why, for feedback to learners."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import Iterator


@dataclass(frozen=True)
class Event:
    """One state change: when, on which host, what kind, to what, and a sentence explaining it."""

    time: str
    host: str
    kind: str
    subject: str
    text: str


class EventLog:
    """An append-only list of events; forks share the common past and diverge after.

    Forks share one list and each keeps its own length: appending at the shared end is O(1) (a long session used to
    copy its whole past on every event), and a fork that appends where another fork already has copies its own past
    once, then appends to that. Events are frozen, so sharing them is safe.
    """

    def __init__(self, events: list[Event] | None = None, length: int = 0) -> None:
        self._shared = [] if events is None else events
        self._length = length

    def append(self, event: Event) -> None:
        """Record one event."""
        if len(self._shared) != self._length:  # another fork has written past our end: take our own copy
            self._shared = self._shared[: self._length]
        self._shared.append(event)
        self._length += 1

    def fork(self) -> "EventLog":
        """An independent log with the same past."""
        return EventLog(self._shared, self._length)

    def __iter__(self) -> Iterator[Event]:
        return islice(self._shared, self._length)

    def __len__(self) -> int:
        return self._length

    def about(self, subject: str) -> list[Event]:
        """Events whose subject is ``subject`` (a container name, an image reference...)."""
        return [event for event in self if event.subject == subject]
