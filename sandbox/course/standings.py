"""The course's scores from the gradebook: one ``lms.FinalScore`` per learner and quiz that has a current graded
submission or an instructor's override, for the dashboard and the LMS exports alike (``lms.py`` says how a final
score is counted and written).

What the gradebook holds becomes a final score so: the graded score of the learner's current submission, with each
question an instructor overrode counted at the override's points; the late penalty the course policy sets for the
time the service received it (``received_at``: a submission graded from a file has only the time the learner wrote,
so no lateness is computed from it); and an override of the whole quiz, which replaces everything. The comments of
question overrides travel in the final score's comment.
"""

from __future__ import annotations

from typing import Iterable

from sandbox.course.decisions import lateness
from sandbox.course.lms import FinalScore
from sandbox.course.policy import Course
from sandbox.gradebook.exports import points
from sandbox.gradebook.store import OverrideRecord, SubmissionRecord
from sandbox.gradebook.submissions import instant


def final_scores(course: Course, submissions: Iterable[SubmissionRecord],
                 overrides: Iterable[OverrideRecord]) -> list[FinalScore]:
    """The final score of every learner and quiz of the course with a current submission or an override in force,
    by learner then quiz. ``submissions`` are the gradebook's (only current ones count; their texts may be left out),
    ``overrides`` those in force."""
    quizzes = {policy.id: policy for policy in course.quizzes}
    current = {(s.learner, s.quiz): s for s in submissions if s.current and s.quiz in quizzes}
    forced: dict[tuple[str, str], list[OverrideRecord]] = {}
    for o in overrides:
        if o.quiz in quizzes and o.points is not None:
            forced.setdefault((o.learner, o.quiz), []).append(o)
    out = []
    for learner, quiz in sorted(set(current) | set(forced)):
        policy, record = quizzes[quiz], current.get((learner, quiz))
        mine = sorted(forced.get((learner, quiz), ()), key=lambda o: o.id)
        whole = next((o for o in reversed(mine) if o.question is None), None)
        by_question = {o.question: o for o in mine if o.question is not None}
        if record is None:
            graded, max_score, days, penalty = 0.0, float(policy.quiz.points), 0, 0.0
        else:
            graded = round(sum(by_question[g.question].points if g.question in by_question else g.score
                               for g in record.grades), 4) if record.grades else record.score
            max_score = record.max_score
            received = instant(record.received_at)
            days, penalty = lateness(policy, received) if received is not None else (0, 0.0)
        comments = [f"question {q} set to {points(o.points)} by {o.by_user}: {o.comment}"
                    for q, o in sorted(by_question.items())]
        if whole is not None:
            comments.insert(0, whole.comment)
        out.append(FinalScore(learner, quiz, graded, max_score, days, penalty,
                              whole.points if whole is not None else None, "; ".join(c for c in comments if c)))
    return out
