"""Properties of the course policy over many inputs: lateness only grows with time and never takes more than the
points; a roster or course file of any bytes either loads or fails with its own error, never anything else."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.course.decisions import admit, lateness, penalised
from sandbox.course.errors import CourseFileError, RosterError
from sandbox.course.loader import parse_course
from sandbox.course.policy import Late, QuizPolicy
from sandbox.course.roster import parse_roster
from sandbox.quiz.model import Quiz

DUE = datetime(2026, 3, 9, 23, 59, tzinfo=timezone(timedelta(hours=1)))
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _policy(rate: float, attempts: int | None = None) -> QuizPolicy:
    return QuizPolicy(Quiz("q", "Q", ()), Path("q.yaml"), None, DUE, Late(rate, DUE + timedelta(days=30)), attempts)


@SETTINGS
@given(rate=st.floats(0, 1), a=st.integers(-10**7, 10**7), b=st.integers(-10**7, 10**7))
def test_lateness_grows_with_time_counts_started_days_and_never_exceeds_the_points(rate: float, a: int,
                                                                                  b: int) -> None:
    early, late = sorted((a, b))
    (d1, p1), (d2, p2) = (lateness(_policy(rate), DUE + timedelta(seconds=s)) for s in (early, late))
    assert 0 <= d1 <= d2 and 0 <= p1 <= p2 <= 1
    assert d2 == (0 if late <= 0 else -(-late // 86400))
    assert 0 <= penalised(10, 10, p2) <= 10


@SETTINGS
@given(used=st.integers(0, 20), attempts=st.one_of(st.none(), st.integers(1, 10)),
       offset=st.integers(-40 * 86400, 40 * 86400))
def test_a_refusal_always_says_why_and_an_acceptance_counts_one_more_attempt(used: int, attempts: int | None,
                                                                            offset: int) -> None:
    a = admit(_policy(0.1, attempts), DUE + timedelta(seconds=offset), used)
    assert a.attempt == used + 1
    assert a.accepted == (a.refusal is None) and a.message
    if a.accepted:
        assert attempts is None or used < attempts


@SETTINGS
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_bytes_are_a_roster_or_a_roster_error(data: bytes) -> None:
    try:
        parse_roster(data, "roster.csv")
    except RosterError as e:
        assert str(e).startswith("roster.csv:")


@SETTINGS
@given(st.text(max_size=300))
def test_any_text_is_a_course_or_a_course_file_error(text: str) -> None:
    try:
        parse_course(text, "course.yaml", "/nonexistent-course-folder")
    except CourseFileError as e:
        assert str(e).startswith("course.yaml:")
