"""The world's event log, like ``docker events`` but with a sentence that says why, for feedback to learners."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    """One state change: when, on which host, what kind, to what, and a sentence explaining it."""

    time: str
    host: str
    kind: str
    subject: str
    text: str


class EventLog:
    """An append-only list of events; forks share the common past and diverge after (persistent tuple)."""

    def __init__(self, events: tuple[Event, ...] = ()) -> None:
        self._events = events

    def append(self, event: Event) -> None:
        """Record one event."""
        self._events = self._events + (event,)

    def fork(self) -> "EventLog":
        """An independent log with the same past."""
        return EventLog(self._events)

    def __iter__(self):
        return iter(self._events)

    def __len__(self) -> int:
        return len(self._events)

    def about(self, subject: str) -> list[Event]:
        """Events whose subject is ``subject`` (a container name, an image reference...)."""
        return [event for event in self._events if event.subject == subject]
