"""The world's event log (``sandbox/events.py``): append-only, and forks share their past but never their future."""

from __future__ import annotations

from sandbox.events import Event, EventLog


def _event(n: int) -> Event:
    return Event(f"2025-03-03T09:00:{n:02d}Z", "laptop", "image.tag", f"s{n % 2}", f"event {n}")


def _texts(log: EventLog) -> list[str]:
    return [event.text for event in log]


def test_events_come_back_in_order_and_by_subject() -> None:
    log = EventLog()
    for n in range(4):
        log.append(_event(n))
    assert len(log) == 4 and _texts(log) == ["event 0", "event 1", "event 2", "event 3"]
    assert [event.text for event in log.about("s1")] == ["event 1", "event 3"]


def test_forks_keep_the_past_and_never_see_each_others_future() -> None:
    base = EventLog()
    base.append(_event(0))
    left, right = base.fork(), base.fork()
    left.append(_event(1))
    right.append(_event(2))  # writes where `left` already wrote: it must take its own copy
    right.append(_event(3))
    base.append(_event(4))
    left.append(_event(5))
    assert _texts(base) == ["event 0", "event 4"]
    assert _texts(left) == ["event 0", "event 1", "event 5"]
    assert _texts(right) == ["event 0", "event 2", "event 3"]
    assert (len(base), len(left), len(right)) == (2, 3, 3)


def test_an_iteration_sees_the_log_as_it_was_when_it_began() -> None:
    log = EventLog()
    log.append(_event(0))
    seen = iter(log)
    log.fork().append(_event(1))
    assert [event.text for event in seen] == ["event 0"]
