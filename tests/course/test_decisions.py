"""The course policy's decisions, each at a fixed instant: before the opening, on time, late with the penalty, after
the cutoff, attempts used up, and what a learner may see (scores, feedback, keys) as the release settings say."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sandbox.course.decisions import (
    CLOSED,
    NO_ATTEMPTS_LEFT,
    NOT_OPEN,
    admit,
    lateness,
    penalised,
    released,
    visibility,
)
from sandbox.course.policy import AFTER_DUE, IMMEDIATELY, NEVER, Late, QuizPolicy
from sandbox.quiz.model import Quiz

PARIS = timezone(timedelta(hours=1))
OPENS = datetime(2026, 3, 2, 9, 0, tzinfo=PARIS)
DUE = datetime(2026, 3, 9, 23, 59, tzinfo=PARIS)
CUTOFF = datetime(2026, 3, 12, 23, 59, tzinfo=PARIS)
SECOND = timedelta(seconds=1)
DAY = timedelta(days=1)


def _policy(**kw) -> QuizPolicy:
    fields = dict(quiz=Quiz("pull", "Pull", ()), path=Path("pull.yaml"), opens=OPENS, due=DUE,
                  late=Late(0.1, CUTOFF), attempts=3)
    fields.update(kw)
    return QuizPolicy(**fields)


def test_before_the_opening_a_submission_is_refused_saying_when_it_opens() -> None:
    a = admit(_policy(), OPENS - SECOND, 0)
    assert (a.accepted, a.refusal, a.attempt) == (False, NOT_OPEN, 1)
    assert a.message == "Quiz 'pull' opens at 2026-03-02 09:00 +01:00; submissions are accepted from then."


def test_the_opening_instant_is_open_and_the_due_instant_is_on_time() -> None:
    assert admit(_policy(), OPENS, 0).accepted
    a = admit(_policy(), DUE, 0)
    assert (a.accepted, a.days_late, a.penalty) == (True, 0, 0.0)
    assert a.message == "Submission 1 of 3 to quiz 'pull' accepted."


def test_the_opening_compares_instants_not_wall_clocks() -> None:
    # 08:30 UTC is 09:30 in Paris: after the 09:00 +01:00 opening.
    assert admit(_policy(), datetime(2026, 3, 2, 8, 30, tzinfo=timezone.utc), 0).accepted


def test_after_the_due_time_a_submission_is_accepted_with_the_penalty_per_started_day() -> None:
    a = admit(_policy(), DUE + SECOND, 1)
    assert (a.accepted, a.attempt, a.days_late, a.penalty) == (True, 2, 1, pytest.approx(0.1))
    assert a.message == ("Submission 2 of 3 to quiz 'pull' accepted. It is 1 day late (due 2026-03-09 23:59 +01:00): "
                         "10% of the points are taken off (10% per day or part of a day).")
    assert lateness(_policy(), DUE + DAY) == (1, pytest.approx(0.1))
    assert lateness(_policy(), DUE + DAY + SECOND) == (2, pytest.approx(0.2))
    days, penalty = lateness(_policy(), DUE + 3 * DAY)
    assert (days, penalty) == (3, 0.3)  # exactly 0.3, not 0.30000000000000004


def test_the_penalty_is_capped_at_all_the_points_and_a_score_never_goes_below_zero() -> None:
    policy = _policy(late=Late(0.4, DUE + 10 * DAY))
    assert lateness(policy, DUE + 2 * DAY) == (2, 0.8)
    assert lateness(policy, DUE + 3 * DAY) == (3, 1.0)
    assert penalised(9, 10, 0.2) == 7  # 20% of the 10 points possible, as Canvas deducts
    assert penalised(1, 10, 0.2) == 0
    assert penalised(10, 10, 0.0) == 10


def test_after_the_cutoff_a_submission_is_refused() -> None:
    assert admit(_policy(), CUTOFF, 0).accepted
    a = admit(_policy(), CUTOFF + SECOND, 0)
    assert (a.accepted, a.refusal) == (False, CLOSED)
    assert a.message == ("Quiz 'pull' closed at 2026-03-12 23:59 +01:00 (it was due at 2026-03-09 23:59 +01:00, and "
                         "late submissions were accepted until then); no more submissions are accepted.")


def test_without_a_late_policy_nothing_is_accepted_after_the_due_time() -> None:
    a = admit(_policy(late=None), DUE + SECOND, 0)
    assert (a.accepted, a.refusal) == (False, CLOSED)
    assert a.message == "Quiz 'pull' was due at 2026-03-09 23:59 +01:00; late submissions are not accepted."


def test_a_quiz_without_a_due_time_never_closes_and_is_never_late() -> None:
    a = admit(_policy(due=None, late=None, attempts=None), DUE + 1000 * DAY, 41)
    assert (a.accepted, a.attempt, a.days_late) == (True, 42, 0)
    assert a.message == "Submission 42 to quiz 'pull' accepted."


def test_when_the_attempts_are_used_up_a_submission_is_refused_with_the_count() -> None:
    assert admit(_policy(), DUE - DAY, 2).accepted
    a = admit(_policy(), DUE - DAY, 3)
    assert (a.accepted, a.refusal, a.attempt) == (False, NO_ATTEMPTS_LEFT, 4)
    assert a.message == "You have used all 3 of 3 attempts at quiz 'pull'; no more submissions are accepted."


def test_keys_are_withheld_until_the_due_time_when_nothing_is_accepted_late() -> None:
    policy = _policy(late=None, keys=AFTER_DUE)
    before = visibility(policy, DUE)
    assert (before.score, before.feedback, before.keys) == (True, True, False)
    assert before.withheld == ("the answers are shown after 2026-03-09 23:59 +01:00.",)
    assert visibility(policy, DUE + SECOND).keys
    assert visibility(policy, DUE + SECOND).withheld == ()


def test_keys_after_the_due_time_wait_for_the_late_cutoff_so_late_submitters_cannot_copy_them() -> None:
    policy = _policy(keys=AFTER_DUE)
    assert not visibility(policy, DUE + SECOND).keys
    assert visibility(policy, DUE + SECOND).withheld == ("the answers are shown after 2026-03-12 23:59 +01:00.",)
    assert visibility(policy, CUTOFF + SECOND).keys


def test_feedback_never_is_never_shown_to_learners() -> None:
    policy = _policy(feedback=NEVER)
    for now in (OPENS, DUE + SECOND, CUTOFF + 1000 * DAY):
        seen = visibility(policy, now)
        assert not seen.feedback
        assert "the feedback is not shown to learners in this course." in seen.withheld


def test_scores_can_wait_for_the_due_time_too() -> None:
    policy = _policy(scores=AFTER_DUE, feedback=AFTER_DUE, keys=NEVER)
    seen = visibility(policy, DUE)
    assert (seen.score, seen.feedback, seen.keys) == (False, False, False)
    assert seen.withheld == ("your score is shown after 2026-03-12 23:59 +01:00.",
                             "the feedback is shown after 2026-03-12 23:59 +01:00.",
                             "the answers are not shown to learners in this course.")
    later = visibility(policy, CUTOFF + SECOND)
    assert (later.score, later.feedback, later.keys) == (True, True, False)


def test_immediately_means_with_each_result() -> None:
    seen = visibility(_policy(scores=IMMEDIATELY, feedback=IMMEDIATELY, keys=IMMEDIATELY), OPENS)
    assert (seen.score, seen.feedback, seen.keys, seen.withheld) == (True, True, True, ())


def test_after_due_without_a_due_time_is_never_released() -> None:
    # The loader refuses this combination; the decision stays safe if a caller builds it anyway.
    policy = _policy(due=None, late=None, keys=AFTER_DUE)
    assert not released(policy, AFTER_DUE, OPENS + 1000 * DAY)
    assert visibility(policy, OPENS).withheld == ("the answers are not shown to learners in this course.",)


def test_a_naive_now_is_a_callers_bug() -> None:
    with pytest.raises(ValueError, match="aware datetime"):
        admit(_policy(), datetime(2026, 3, 5, 12, 0), 0)
    with pytest.raises(ValueError, match="aware datetime"):
        visibility(_policy(), datetime(2026, 3, 5, 12, 0))


def test_a_learner_with_an_extension_is_on_time_until_their_own_due_and_keys_wait_for_them() -> None:
    policy = _policy(keys=AFTER_DUE, extensions=(("ada", DUE + 2 * DAY),))
    ada = policy.for_learner("ada")
    on_time = admit(ada, DUE + DAY, 0)
    assert (on_time.accepted, on_time.days_late) == (True, 0)
    assert admit(policy, DUE + DAY, 0).days_late == 1  # everyone else is a day late
    assert admit(ada, DUE + 3 * DAY, 0).days_late == 1
    assert admit(ada, CUTOFF + DAY, 0).accepted and not admit(policy, CUTOFF + DAY, 0).accepted
    # The class's answers wait until Ada can no longer submit either.
    assert not visibility(policy, CUTOFF + SECOND).keys
    assert visibility(policy, CUTOFF + SECOND).withheld == ("the answers are shown after 2026-03-14 23:59 +01:00.",)
    assert visibility(policy, CUTOFF + 2 * DAY + SECOND).keys
