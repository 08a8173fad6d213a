"""The course's values: roles from hub users and groups, quiz lookup, and how times are written in messages."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sandbox.course.policy import INSTRUCTOR, LEARNER, TEACHING_ASSISTANT, Course, shown_time


def _course(**kw) -> Course:
    fields = dict(id="docker-101", title="Docker", path=Path("course.yaml"), quizzes=(),
                  instructors=("prof", "group:staff"), teaching_assistants=("tom", "group:tas"))
    fields.update(kw)
    return Course(**fields)


def test_roles_come_from_user_names_and_hub_groups() -> None:
    course = _course()
    assert course.role("prof") == INSTRUCTOR
    assert course.role("zoe", {"staff"}) == INSTRUCTOR
    assert course.role("tom") == TEACHING_ASSISTANT
    assert course.role("ann", {"tas", "learners"}) == TEACHING_ASSISTANT
    assert course.role("ada", {"learners"}) == LEARNER


def test_an_instructor_who_is_also_a_teaching_assistant_is_an_instructor() -> None:
    assert _course(teaching_assistants=("prof",)).role("prof") == INSTRUCTOR


def test_a_user_named_like_a_group_entry_gets_no_role() -> None:
    # An authenticator that lets people choose names must not let "group:staff" sign up as an instructor.
    assert _course().role("group:staff") == LEARNER


def test_a_course_names_its_quizzes_when_asked_for_a_missing_one() -> None:
    with pytest.raises(KeyError, match="has no quiz 'nope'"):
        _course().quiz("nope")


def test_times_are_shown_in_the_offset_the_course_file_gave() -> None:
    paris = timezone(timedelta(hours=1))
    assert shown_time(datetime(2026, 3, 2, 23, 59, tzinfo=paris)) == "2026-03-02 23:59 +01:00"
    assert shown_time(datetime(2026, 3, 2, 23, 59, 30, tzinfo=timezone(-timedelta(hours=5, minutes=30)))) \
        == "2026-03-02 23:59:30 -05:30"
    assert shown_time(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)) == "2026-03-02 09:00 UTC"
