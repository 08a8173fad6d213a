"""Where each learner stands on each quiz of the course: the score that counts, from the gradebook's current
submission, the late penalty of when the service received it, and the instructors' overrides; a learner on the roster
with no submission stands at 0.

The rules, in order: a question's override replaces that question's graded points; the late penalty (decided by the
course policy from ``received_at``, the service's clock) is then taken off the total; an override of the whole quiz
replaces all of that. A submission graded from a file (``imageshare grade``) has no ``received_at``: its time was
written by the learner, so no lateness is computed from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from sandbox.course.decisions import lateness, penalised
from sandbox.course.policy import Course
from sandbox.gradebook.store import OverrideRecord, RosterRecord, SubmissionRecord


@dataclass(frozen=True)
class Standing:
    """One learner on one quiz."""

    learner: str
    quiz: str
    max_score: float
    #: The score that counts.
    final: float
    #: The graded score of the current submission (None: nothing submitted), before overrides and penalty.
    graded: float | None = None
    received_at: str | None = None
    days_late: int = 0
    #: The fraction of the points possible taken off for lateness.
    penalty: float = 0.0
    #: The overrides in force on this learner and quiz (the whole quiz's first, then the questions').
    overrides: tuple[OverrideRecord, ...] = ()

    @property
    def submitted(self) -> bool:
        return self.graded is not None


def standings(course: Course, submissions: Iterable[SubmissionRecord], roster: Iterable[RosterRecord],
              overrides: Iterable[OverrideRecord]) -> dict[str, dict[str, Standing]]:
    """learner -> quiz id -> `Standing`, for every learner on the roster or with a current submission, and every
    quiz of the course. ``submissions`` are the gradebook's current ones (their grades may be left out)."""
    current = {(s.learner, s.quiz): s for s in submissions if s.current}
    forced: dict[tuple[str, str], list[OverrideRecord]] = {}
    for o in overrides:
        forced.setdefault((o.learner, o.quiz), []).append(o)
    learners = sorted({r.learner for r in roster} | {learner for learner, _ in current})
    out: dict[str, dict[str, Standing]] = {}
    for learner in learners:
        row = out[learner] = {}
        for policy in course.quizzes:
            quiz_id, points = policy.id, float(policy.quiz.points)
            record = current.get((learner, quiz_id))
            mine = tuple(sorted(forced.get((learner, quiz_id), ()), key=lambda o: (o.question is not None, o.id)))
            whole = next((o for o in mine if o.question is None), None)
            if record is None:
                final = whole.points if whole is not None else 0.0
                row[quiz_id] = Standing(learner, quiz_id, points, float(final), overrides=mine)
                continue
            by_question = {o.question: o.points for o in mine if o.question is not None}
            graded_total = round(sum(by_question.get(g.question, g.score) for g in record.grades), 4) \
                if record.grades else record.score
            days, penalty = 0, 0.0
            received = _instant(record.received_at)
            if received is not None:
                days, penalty = lateness(policy, received)
            final = whole.points if whole is not None else penalised(graded_total, record.max_score, penalty)
            row[quiz_id] = Standing(learner, quiz_id, record.max_score, float(final), record.score,
                                    record.received_at, days, penalty, mine)
    return out


def _instant(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
