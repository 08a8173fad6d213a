"""The course service: a JupyterHub service that takes a learner's submission, grades it at once by replay, records
it in the gradebook, and answers with what the course policy lets the learner see now.

A submission is the JSON of a submission file (``learner``, ``quiz``, ``answers``, optional ``attempts`` and
``shown``; docs/grading.md). Its ``learner`` and ``submitted_at`` are overwritten with the hub user of the request
and the service's clock (the answer says so when they differed); it is then judged and graded exactly as
``imageshare grade`` would, in a worker process under the grader's limits, and recorded with ``source='service'``
and ``received_at``. The answer is sent only after the gradebook committed it, so whatever a learner was told is
recorded survives a ``kill -9`` of the service.

Endpoints, under the service's prefix (``JUPYTERHUB_SERVICE_PREFIX``):

    POST api/submissions        grade and record one submission of the hub user; 200 with the grade
    GET  api/submissions        the hub user's own current submissions, as the policy lets them see them now
    GET  api/quizzes            the course's quizzes and their dates
    GET  dashboard/...          the instructors' pages (sandbox.course.dashboard)
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from sandbox.course.decisions import Admission, Visibility, admit, penalised, visibility
from sandbox.course.grading import Busy, GradingPool
from sandbox.workers import Overran
from sandbox.course.errors import CourseFileError, RosterError
from sandbox.course.loader import load_course
from sandbox.course.policy import LEARNER, Course
from sandbox.course.roster import RosterEntry, read_roster
from sandbox.course.standings import final_scores
from sandbox.gradebook.runner import Graded, Rejection
from sandbox.gradebook.store import Gradebook, RosterRecord
from sandbox.gradebook.submissions import digest_of, strict_json, utc_text
from sandbox.quiz.model import MAX_FILE_BYTES

#: Submissions the dashboard's page lists when it opens (the live feed adds the rest).
RECENT = 50
#: The largest request body the service reads: a submission file's cap (1 MiB), plus room for JSON's escapes.
MAX_BODY_BYTES = MAX_FILE_BYTES + 64 * 1024


class Refused(Exception):
    """A submission the service does not grade; ``status`` is the HTTP status, ``reason`` the sentence shown."""

    def __init__(self, status: int, reason: str, **facts: Any) -> None:
        super().__init__(reason)
        self.status, self.reason, self.facts = status, reason, facts


def utcnow() -> datetime:
    """The service's clock: the only time a submission is received at."""
    return datetime.now(timezone.utc)


def read_payload(body: bytes) -> dict[str, Any]:
    """The JSON object of a request body, read as strictly as a submission file (no repeated keys, no NaN).

    Raises `Refused` (400, 413) for what is too big, not UTF-8, not JSON or not an object.
    """
    if len(body) > MAX_BODY_BYTES:
        raise Refused(413, f"{len(body)} bytes; a submission is capped at {MAX_FILE_BYTES} bytes (1 MiB)")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise Refused(400, f"not UTF-8 text (byte 0x{body[e.start]:02x} at offset {e.start})") from None

    data = strict_json(text, lambda why: Refused(400, why))
    if not isinstance(data, dict):
        raise Refused(400, "expected a JSON object with quiz and answers")
    return data


@dataclass
class Outcome:
    """What one submission came to: the grades, on what terms it was accepted, what the learner may see of it now,
    and the notes the learner reads."""

    learner: str
    quiz: str
    received_at: str
    graded: Graded
    #: Question id -> feedback that keeps the key back (for a learner whose keys are not released yet).
    guarded: dict[str, str]
    admission: Admission
    visible: Visibility
    notes: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        """The score after the late penalty."""
        rows = self.graded.rows
        return penalised(rows.score, rows.max_score, self.admission.penalty)


class CourseService:
    """The service's work, apart from HTTP: the quizzes, the grading pool, and the gradebook, which only one
    thread ever touches (a SQLite connection belongs to its thread; a PostgreSQL one is not shared either)."""

    def __init__(self, course: Course, open_book: Callable[[], Gradebook], *, jobs: int = 2,
                 clock: Callable[[], datetime] = utcnow, pool: GradingPool | None = None) -> None:
        self.course = course
        quizzes = [policy.quiz for policy in course.quizzes]
        self.quizzes = {q.id: q for q in quizzes}
        self.clock = clock
        self.pool = pool or GradingPool(quizzes, jobs=jobs)
        self._books = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gradebook")
        self.book: Gradebook = self._books.submit(open_book).result()
        #: Long reads (the class report replays answers for seconds) run on their own thread and their own read-only
        #: connection, so they never hold the one writer thread that every submission waits on to be acknowledged.
        self._reports = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reports")
        self._report_book: Gradebook | None = None
        self.stale = self._books.submit(self.book.sync_quizzes, quizzes).result()
        #: The course's roster as last read from its file (also copied into the gradebook).
        self.roster: tuple[RosterEntry, ...] = self._books.submit(self._import_roster, course).result()
        #: Learners with a submission being graded now: one at a time each, so one learner cannot fill the queue.
        self._busy: set[str] = set()

    async def in_book(self, function: Callable, *args: Any, **kwargs: Any) -> Any:
        """Run ``function(*args)`` on the gradebook's thread."""
        return await asyncio.get_running_loop().run_in_executor(self._books, lambda: function(*args, **kwargs))

    async def in_reader(self, function: Callable, *args: Any, **kwargs: Any) -> Any:
        """Run ``function(book, *args)`` on the reports' thread with its read-only gradebook (what is committed), one
        at a time: a slow read queues behind another report, never in front of a submission."""
        def run() -> Any:
            if self._report_book is None:
                self._report_book = Gradebook(self.book.location, create=False, readonly=True)
            return function(self._report_book, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._reports, run)

    async def submit(self, learner: str, body: bytes) -> Outcome:
        """Grade and record ``body`` as ``learner``'s submission. Raises `Refused`."""
        payload = read_payload(body)
        received = self.clock()
        notes = []
        claimed = payload.get("learner")
        if claimed is not None and claimed != learner:
            notes.append(f"the submission named learner {str(claimed)[:60]!r}; the hub says you are {learner!r}: "
                         f"graded as {learner}")
        if payload.get("submitted_at") is not None:
            notes.append(f"submitted_at {str(payload['submitted_at'])[:40]!r} was replaced by the time the service "
                         f"received it ({utc_text(received)})")
        quiz_id = payload.get("quiz")
        if not isinstance(quiz_id, str) or quiz_id not in self.quizzes:
            known = ", ".join(sorted(self.quizzes))
            raise Refused(404, f"quiz {str(quiz_id)[:60]!r} is not a quiz of this course ({known})")
        payload["learner"], payload["submitted_at"] = learner, utc_text(received)
        data = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        path = f"hub:{learner}/{quiz_id}@{utc_text(received)}"
        if learner in self._busy:
            raise Refused(429, "your previous submission is still being graded; submit again when it has answered")
        self._busy.add(learner)
        try:
            policy = self.course.quiz(quiz_id).for_learner(learner)  # their extension, if any
            used = await self.in_book(self.attempts_used, learner, quiz_id) if policy.attempts is not None else 0
            admission = admit(policy, received, used)
            if not admission.accepted:
                await self.in_book(self.book.record_rejection, path, admission.message, learner=learner, quiz=quiz_id)
                raise Refused(403, admission.message, refusal=admission.refusal, notes=notes)
            try:
                seen = visibility(policy, received)  # feedback without the key is made only if it is what shows
                result = await self.pool.grade(path, data, digest_of(data), guard=seen.feedback and not seen.keys)
            except Busy as e:
                raise Refused(503, f"the service is busy ({e}); nothing was recorded: submit again in a moment")
            if isinstance(result, Rejection):
                raise Refused(422, result.reason)
            graded, guarded = result
            if not await self.in_book(self.book.record, graded.submission, graded.rows, received_at=utc_text(received)):
                # The same bytes, so the same learner, quiz, answers and microsecond: only a clock that stood still.
                raise Refused(409, "this very submission is recorded already")
        finally:
            self._busy.discard(learner)
        return Outcome(learner, quiz_id, utc_text(received), graded, guarded, admission, seen,
                       [admission.message] + notes)

    def attempts_used(self, learner: str, quiz_id: str) -> int:
        """How many of ``learner``'s submissions to the quiz were accepted (graded), on the gradebook's thread."""
        return len(self.book.submissions([quiz_id], history=True, learners=[learner], detail=False))

    def role(self, user: dict[str, Any]) -> str:
        """The hub user's role in the course (instructor, teaching assistant or learner), from the user model."""
        return self.course.role(user.get("name", ""), frozenset(user.get("groups") or ()))

    def is_staff(self, user: dict[str, Any]) -> bool:
        """Whether the hub user teaches the course (instructor or teaching assistant)."""
        return self.role(user) != LEARNER

    async def results(self, learner: str) -> list[dict[str, Any]]:
        """``learner``'s current submissions, one per quiz of the course, as the policy lets them see them now."""
        now = self.clock()
        records, overrides = await self.in_book(self._mine, learner)
        final = {s.quiz: s for s in final_scores(self.course, records, overrides)}
        out = []
        for r in records:
            seen = visibility(self.course.quiz(r.quiz), now)
            item: dict[str, Any] = {"quiz": r.quiz, "submitted_at": r.submitted_at, "withheld": list(seen.withheld)}
            if seen.score:  # the score that counts: late penalty and overrides included, as the exports have it
                score = final[r.quiz]
                item.update(score=score.final, max_score=score.max_score, graded=r.score, note=score.note)
            questions = []
            for g in r.grades:
                q: dict[str, Any] = {"id": g.question}
                if seen.score:
                    q.update(score=g.score, max_score=g.max_score, correct=g.correct)
                if seen.feedback and seen.keys:  # the stored feedback names the key
                    q["feedback"] = g.feedback
                questions.append(q)
            item["questions"] = questions
            out.append(item)
        return out

    def _mine(self, learner: str) -> tuple[list, list]:
        """``learner``'s current submissions and the overrides in force on them (on the gradebook's thread)."""
        quiz_ids = list(self.quizzes)
        return (self.book.submissions(quiz_ids, learners=[learner]),
                [o for o in self.book.overrides(quiz_ids) if o.learner == learner])

    def _import_roster(self, course: Course) -> tuple[RosterEntry, ...]:
        """The course's roster file, copied into the gradebook (on the gradebook's thread). Raises ``RosterError``."""
        if course.roster is None:
            return ()
        entries = read_roster(course.roster)
        self.book.set_roster([RosterRecord(e.id, e.name, e.section, e.lms_id) for e in entries])
        return entries

    async def reload(self) -> str:
        """Read the course file again (quizzes, dates, staff, roster), grade from now on against it, and regrade the
        current submissions whose quiz changed; what was done, in one sentence for the instructor."""
        try:
            course = load_course(self.course.path)
            roster = await self.in_book(self._import_roster, course)
        except (CourseFileError, RosterError) as e:
            return f"The course file was not read again, nothing changed: {e}"
        quizzes = [policy.quiz for policy in course.quizzes]
        self.pool.reload(quizzes)
        self.course, self.quizzes, self.roster = course, {q.id: q for q in quizzes}, roster
        await self.in_book(self.book.sync_quizzes, quizzes)
        stale = [(i, learner, quiz.id, answers) for quiz in quizzes
                 for i, learner, answers in await self.in_book(self.book.stale_submissions, quiz)]
        results = await asyncio.gather(*(self.pool.regrade(item) for item in stale))
        failed = []
        for item, result in zip(stale, results):
            if isinstance(result, Overran):
                failed.append(f"submission {item[0]} of {item[1]} to {item[2]} ({result.detail})")
            else:
                await self.in_book(self.book.regrade, result.submission_id, result.rows)
        said = (f"Course file read again: {len(quizzes)} quizzes, {len(roster)} learners on the roster; "
                f"{len(stale) - len(failed)} submissions regraded.")
        if failed:
            said += " Not regraded (their grades stay): " + "; ".join(failed[:5]) + (" ..." if len(failed) > 5 else "")
        return said

    async def board(self, *, after: int | None = None, limit: int = RECENT) -> dict[str, Any]:
        """What the dashboard and the exports show: the final scores (``lms.FinalScore``), which learner submitted
        which quiz, every override ever made, and the recent submissions (the last ``limit``, or the first ``limit``
        recorded after id ``after``)."""
        return await self.in_book(self._board, after, limit)

    def _board(self, after: int | None, limit: int) -> dict[str, Any]:
        quiz_ids = list(self.quizzes)
        every = self.book.submissions(quiz_ids, history=True, detail=False)
        ordered = sorted(every, key=lambda s: s.id)
        recent = [s for s in ordered if s.id > after][:limit] if after is not None else ordered[-limit:] if limit else []
        return {"scores": final_scores(self.course, every, self.book.overrides(quiz_ids)),
                "submitted": {(s.learner, s.quiz) for s in every if s.current},
                "history": self.book.overrides(quiz_ids, history=True),
                "recent": [{"id": s.id, "learner": s.learner, "quiz": s.quiz, "score": s.score,
                            "max_score": s.max_score, "received_at": s.received_at or s.submitted_at,
                            "source": s.source} for s in recent]}

    def close(self) -> None:
        """Stop the graders and close the gradebook (everything acknowledged is committed already)."""
        self.pool.close()
        self.close_books()

    def close_books(self) -> None:
        """Close the gradebook's connections (the writer's and the reports') and their threads."""
        if self._report_book is not None:
            self._reports.submit(self._report_book.close).result()
        self._reports.shutdown()
        self._books.submit(self.book.close).result()
        self._books.shutdown()
