"""What the course policy decides, as pure functions of the quiz's policy, the authority's ``now`` and what the learner
already did: whether a submission is accepted, what lateness costs, and what the learner may see.

``now`` is always an argument (the course service passes its clock's time, tests a fixed one): nothing here reads a
clock, so a decision can be replayed and tested at any instant. A refusal is a value with a reason code for code to
branch on and a sentence for the learner, never an exception.

The rules:

- **Window.** A submission is accepted from ``opens`` (inclusive) to the quiz's close (inclusive): the late
  ``cutoff`` when the quiz has a late policy, else the ``due`` time; a quiz without ``due`` never closes.
- **Attempts.** With ``attempts: N`` the N+1st submission is refused, saying N of N are used. Only accepted
  submissions count: a refused one costs nothing.
- **Lateness**, as Canvas computes it: a submission received after ``due`` is late by the number of days *started*
  since the due time (one second late is one day; 24 h 1 s is two; a day is 24 hours, whatever a daylight-saving
  change does to the wall clock), and each day takes ``penalty_per_day`` of the points possible off the score,
  never below 0 ("Canvas rounds up the day or hour to the next whole number... 1.3 days up to 2 days"; "a percentage
  of the total points possible": https://community.canvaslms.com/t5/Instructor-Guide/How-do-I-apply-a-Late-Submission-policy-in-the-Gradebook/ta-p/965).
  The penalty depends on when the submission was received, never on when it is (re)graded: a regrade passes the
  stored ``received_at``.
- **Extensions.** A learner with an extension has their own due time, and the same late window after it
  (``QuizPolicy.for_learner``); the caller passes that learner's policy to ``admit``.
- **Release.** ``immediately``: with the result of each submission. ``never``: not to learners (staff always see
  everything). ``after_due``: once no submission can be accepted any more from anyone, that is after the due time
  or, when late submissions are accepted, after the late cutoff, and after every extension's own close, because a
  key shown to the class at the due time would hand it to everyone still submitting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sandbox.course.policy import AFTER_DUE, IMMEDIATELY, NEVER, QuizPolicy, shown_time

#: Why a submission was refused.
NOT_OPEN = "not-open"
CLOSED = "closed"
NO_ATTEMPTS_LEFT = "no-attempts-left"
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Admission:
    """Whether one submission is accepted, and on what terms; ``message`` is one sentence for the learner."""

    accepted: bool
    #: None when accepted, else NOT_OPEN, CLOSED or NO_ATTEMPTS_LEFT.
    refusal: str | None
    message: str
    #: The number of this submission among the learner's accepted ones (1 for the first), accepted or not.
    attempt: int
    #: Days late, counted per started day; 0 on time.
    days_late: int = 0
    #: The fraction of the points possible taken off (0 to 1).
    penalty: float = 0.0


@dataclass(frozen=True)
class Visibility:
    """What a learner may see of their graded submissions now; staff see everything regardless."""

    score: bool
    feedback: bool
    keys: bool
    #: One sentence per thing withheld, saying until when (``the answers are shown after ...``).
    withheld: tuple[str, ...] = ()


def admit(policy: QuizPolicy, now: datetime, attempts_used: int) -> Admission:
    """Whether a submission received at ``now`` is accepted, given the learner's ``attempts_used`` accepted ones.

    Raises ``ValueError`` for a naive ``now`` (a caller's bug: the service's clock is aware).
    """
    _aware(now)
    attempt = attempts_used + 1
    name = f"Quiz {policy.id!r}"
    if policy.opens is not None and now < policy.opens:
        return Admission(False, NOT_OPEN, f"{name} opens at {shown_time(policy.opens)}; submissions are accepted "
                         "from then.", attempt)
    closes = policy.closes
    if closes is not None and now > closes:
        if policy.late is not None:
            text = (f"{name} closed at {shown_time(closes)} (it was due at {shown_time(policy.due)}, and late "
                    "submissions were accepted until then); no more submissions are accepted.")
        else:
            text = f"{name} was due at {shown_time(closes)}; late submissions are not accepted."
        return Admission(False, CLOSED, text, attempt)
    if policy.attempts is not None and attempts_used >= policy.attempts:
        return Admission(False, NO_ATTEMPTS_LEFT, f"You have used all {policy.attempts} of {policy.attempts} "
                         f"attempts at quiz {policy.id!r}; no more submissions are accepted.", attempt)
    days, penalty = lateness(policy, now)
    of = f" of {policy.attempts}" if policy.attempts is not None else ""
    text = f"Submission {attempt}{of} to quiz {policy.id!r} accepted."
    if days:
        text += (f" It is {days} day{'s' if days != 1 else ''} late (due {shown_time(policy.due)}): "
                 f"{_percent(penalty)} of the points are taken off ({_percent(policy.late.penalty_per_day)} per day "
                 "or part of a day).")
    return Admission(True, None, text, attempt, days, penalty)


def lateness(policy: QuizPolicy, received_at: datetime) -> tuple[int, float]:
    """How late a submission received at ``received_at`` is: (days started since the due time, fraction of the
    points possible taken off, at most 1). (0, 0.0) on time, at the due time itself, or without a due time."""
    _aware(received_at)
    if policy.due is None or received_at <= policy.due:
        return 0, 0.0
    days = math.ceil((received_at - policy.due) / DAY)
    rate = policy.late.penalty_per_day if policy.late else 1.0
    # Rounded so that 3 x 0.1 is 0.3, not 0.30000000000000004.
    return days, min(1.0, round(days * rate, 9))


def penalised(score: float, max_score: float, penalty: float) -> float:
    """``score`` less ``penalty`` (a fraction) of the points possible ``max_score``, never below 0."""
    return max(0.0, round(score - penalty * max_score, 9))


def visibility(policy: QuizPolicy, now: datetime) -> Visibility:
    """What learners may see of their own graded submissions at ``now``, by the quiz's release settings.

    Raises ``ValueError`` for a naive ``now``.
    """
    _aware(now)
    shown: dict[str, bool] = {}
    withheld: list[str] = []
    for what, setting, words in (("score", policy.scores, "your score is"),
                                 ("feedback", policy.feedback, "the feedback is"),
                                 ("keys", policy.keys, "the answers are")):
        shown[what] = released(policy, setting, now)
        if not shown[what]:
            if setting == NEVER or policy.release_at is None:
                withheld.append(f"{words} not shown to learners in this course.")
            else:
                withheld.append(f"{words} shown after {shown_time(policy.release_at)}.")
    return Visibility(shown["score"], shown["feedback"], shown["keys"], tuple(withheld))


def released(policy: QuizPolicy, setting: str, now: datetime) -> bool:
    """Whether something released by ``setting`` (``immediately``, ``after_due``, ``never``) is out at ``now``."""
    if setting == IMMEDIATELY:
        return True
    if setting == AFTER_DUE:
        release = policy.release_at
        return release is not None and now > release
    if setting == NEVER:
        return False
    raise ValueError(f"unknown release setting {setting!r}")


def _percent(fraction: float) -> str:
    return f"{round(fraction * 100, 4):g}%"


def _aware(t: datetime) -> None:
    if not isinstance(t, datetime) or t.utcoffset() is None:
        raise ValueError(f"expected an aware datetime (with its offset), got {t!r}")
