"""The learners' HTTP API of the course service: submit, and read one's own results. Every handler knows the learner
only as the hub user of the request (`HubHandler`); the body is data to grade, never an identity."""

from __future__ import annotations

from typing import Any

from sandbox.course.hubauth import HubHandler
from sandbox.course.service import CourseService, Outcome, Refused


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    """The answer to a submission: who it was graded as, when it was received, the notes, and of the grades what the
    course's policy lets the learner see now (the score after any late penalty; feedback with the key only once the
    keys are released)."""
    rows, seen = outcome.graded.rows, outcome.visible
    texts = dict(rows.texts)
    data: dict[str, Any] = {"learner": outcome.learner, "quiz": outcome.quiz, "received_at": outcome.received_at,
                            "recorded": True, "attempt": outcome.admission.attempt,
                            "days_late": outcome.admission.days_late, "notes": outcome.notes,
                            "withheld": list(seen.withheld), "unknown": list(outcome.graded.submission.unknown)}
    if seen.score:
        data.update(score=outcome.score, max_score=rows.max_score)
        if outcome.admission.penalty:
            data["score_before_penalty"] = rows.score
    questions = []
    for row in rows.rows:
        question: dict[str, Any] = {"id": row[0]}
        if seen.score:
            question.update(score=row[3], max_score=row[4], correct=bool(row[5]))
        if seen.feedback:
            question["feedback"] = texts.get(row[9], "") if seen.keys else outcome.guarded.get(row[0], "")
        questions.append(question)
    data["questions"] = questions
    return data


class SubmissionsHandler(HubHandler):
    """``POST``: grade and record a submission of the hub user; ``GET``: the hub user's own results."""

    @property
    def service(self) -> CourseService:
        return self.course_settings["service"]

    async def post(self) -> None:
        self.require_learner_id()
        try:
            outcome = await self.service.submit(self.learner, self.request.body)
        except Refused as e:
            self.write_json({"error": e.reason, "status": e.status, "recorded": False, **e.facts}, e.status)
            return
        self.write_json(outcome_json(outcome))

    async def get(self) -> None:
        self.require_learner_id()
        self.write_json({"learner": self.learner, "submissions": await self.service.results(self.learner)})


class QuizzesHandler(HubHandler):
    """``GET``: the quizzes of the course (id, title, points)."""

    def get(self) -> None:
        service: CourseService = self.course_settings["service"]
        self.write_json({"quizzes": [{"id": q.id, "title": q.title, "points": q.points}
                                     for q in service.quizzes.values()]})
