"""The course service's work without HTTP: a submission is graded as the learner the hub named and at the service's
time, recorded before it is answered, refused (and kept as a rejection) when the course policy refuses it, and
answered with only what the policy lets the learner see now. (The hub itself: tests/e2e/test_classroom.py.)"""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sandbox.course.api import outcome_json
from sandbox.course.dashboard import table
from sandbox.course.grading import GradingPool
from sandbox.course.loader import load_course
from sandbox.course.service import CourseService, Refused, read_payload
from sandbox.gradebook.store import Gradebook
from sandbox.quiz import Grader
from sandbox.workers import Limits

QUIZ = """\
quiz: {id}
title: Quiz {id}
shuffle: false
questions:
  - id: latest
    kind: choice
    prompt: Which tag does docker pull use when none is given?
    choices:
      a: latest
      b: stable
    answer: a
    explain: Without a tag, docker pull asks for latest.
"""
DUE = datetime(2026, 3, 9, 23, 59, tzinfo=timezone.utc)
COURSE = """\
course: docker-101
roster: roster.csv
instructors: [prof, "group:staff"]
quizzes:
  - file: quizzes/open.yaml
    keys: immediately
  - file: quizzes/timed.yaml
    opens: 2026-03-02T09:00:00Z
    due: 2026-03-09T23:59:00Z
    late:
      penalty_per_day: 10%
      cutoff: 2026-03-12T23:59:00Z
    attempts: 2
    feedback: immediately
    keys: after_due
"""


class Clock:
    """The service's clock, set by the test; each reading is a second after the one before."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture(scope="module")
def course_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("course")
    (folder / "quizzes").mkdir()
    for quiz_id in ("open", "timed"):
        (folder / "quizzes" / f"{quiz_id}.yaml").write_text(QUIZ.format(id=quiz_id))
    (folder / "course.yaml").write_text(COURSE)
    (folder / "roster.csv").write_text("id,name,section,lms_id\nada,\"Lovelace, Ada\",A,S1\nbob,Bob,A,S2\n"
                                       "dora,Dora,B,S3\n")
    return folder / "course.yaml"


@pytest.fixture(scope="module")
def pool(course_file):
    course = load_course(course_file)
    graders = GradingPool([q.quiz for q in course.quizzes], jobs=1)
    yield graders
    graders.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, tmp_path) -> str:
    """The service's gradebook on each backend: an SQLite file, or a PostgreSQL URL (the session's cluster)."""
    if request.param == "sqlite":
        return str(tmp_path / "book.sqlite")
    return request.getfixturevalue("postgres").database()


@pytest.fixture
def service(course_file, pool, location):
    clock = Clock(DUE - timedelta(days=1))
    running = CourseService(load_course(course_file), lambda: Gradebook(location), clock=clock, pool=pool)
    running.clock_set = clock
    running.stored = lambda: Gradebook(location, readonly=True)  # what is committed, read apart
    yield running
    running.close_books()


def submit(service: CourseService, learner: str, payload: dict) -> dict:
    return outcome_json(asyncio.run(service.submit(learner, json.dumps(payload).encode())))


def refused(service: CourseService, learner: str, body: bytes | dict) -> Refused:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    with pytest.raises(Refused) as caught:
        asyncio.run(service.submit(learner, data))
    return caught.value


def test_a_submission_is_graded_as_the_hub_user_at_the_services_time(service) -> None:
    answer = submit(service, "ada", {"learner": "bob", "quiz": "open", "answers": {"latest": "a"},
                                     "submitted_at": "2099-01-01T00:00:00Z"})
    assert answer["learner"] == "ada" and answer["received_at"] == "2026-03-08T23:59:01Z"
    assert answer["score"] == answer["max_score"] == 1.0
    assert answer["notes"][1:] == [
        "the submission named learner 'bob'; the hub says you are 'ada': graded as ada",
        "submitted_at '2099-01-01T00:00:00Z' was replaced by the time the service received it (2026-03-08T23:59:01Z)"]
    [record] = service.stored().submissions(["open"], history=True)
    assert (record.learner, record.submitted_at, record.score) == ("ada", "2026-03-08T23:59:01Z", 1.0)
    assert service.stored().submissions(["open"], learners=["bob"]) == []


def test_a_submission_without_learner_or_time_says_nothing_about_them(service) -> None:
    answer = submit(service, "ada", {"quiz": "open", "answers": {"latest": "b"}})
    assert answer["notes"] == ["Submission 1 to quiz 'open' accepted."]
    assert answer["score"] == 0.0 and "Without a tag" in answer["questions"][0]["feedback"]


@pytest.mark.parametrize(("body", "status", "reason"), [
    (b'{"quiz": "open", "quiz": "timed", "answers": {}}', 400, "JSON: repeated key 'quiz'"),
    (b'{"quiz": "open", "answers": {"latest": NaN}}', 400, "JSON: NaN is not JSON"),
    (b'["open"]', 400, "expected a JSON object with quiz and answers"),
    (b'{"quiz": "open", ', 400, "line 1: JSON syntax: Expecting property name enclosed in double quotes"),
    (b'\xff{}', 400, "not UTF-8 text (byte 0xff at offset 0)"),
    (b'{"quiz": "nope", "answers": {}}', 404, "quiz 'nope' is not a quiz of this course (open, timed)"),
    (b'{"quiz": "open", "answers": {"latest": {"x": 1}}}', 422,
     "answers.latest: expected a letter, a list of letters, text or command lines, got a mapping"),
])
def test_what_is_not_a_submission_is_refused_with_why_and_nothing_recorded(service, body, status, reason) -> None:
    e = refused(service, "ada", body)
    assert (e.status, e.reason) == (status, reason)
    assert service.stored().submissions(history=True) == []


def test_a_body_over_the_cap_is_refused_before_it_is_parsed() -> None:
    with pytest.raises(Refused) as caught:
        read_payload(b"{" + b" " * (2 << 20) + b"}")
    assert caught.value.status == 413


def test_before_the_quiz_opens_the_submission_is_refused_and_kept_as_a_rejection(service) -> None:
    service.clock_set.now = datetime(2026, 3, 1, tzinfo=timezone.utc)
    e = refused(service, "ada", {"quiz": "timed", "answers": {"latest": "a"}})
    assert e.status == 403 and e.facts["refusal"] == "not-open"
    assert e.reason == "Quiz 'timed' opens at 2026-03-02 09:00 UTC; submissions are accepted from then."
    [kept] = service.stored().rejections()
    assert (kept.learner, kept.quiz, kept.reason) == ("ada", "timed", e.reason)


def test_attempts_count_accepted_submissions_per_learner(service) -> None:
    for n in (1, 2):
        assert submit(service, "ada", {"quiz": "timed", "answers": {"latest": "b"}})["attempt"] == n
    e = refused(service, "ada", {"quiz": "timed", "answers": {"latest": "a"}})
    assert e.facts["refusal"] == "no-attempts-left"
    assert submit(service, "bob", {"quiz": "timed", "answers": {"latest": "a"}})["attempt"] == 1


def test_before_the_keys_are_released_the_feedback_keeps_the_key_back(service) -> None:
    wrong = submit(service, "ada", {"quiz": "timed", "answers": {"latest": "b"}})
    assert wrong["withheld"] == ["the answers are shown after 2026-03-12 23:59 UTC."]
    assert "Without a tag" not in wrong["questions"][0]["feedback"]
    service.clock_set.now = DUE + timedelta(hours=1)  # late, after the due time, before the cutoff: keys still held
    late = submit(service, "bob", {"quiz": "timed", "answers": {"latest": "a"}})
    assert late["days_late"] == 1 and late["score"] == 0.9 and late["score_before_penalty"] == 1.0
    assert "Without a tag" in late["questions"][0]["feedback"]  # a right answer is explained: it gives nothing away
    late_and_wrong = submit(service, "carl", {"quiz": "timed", "answers": {"latest": "b"}})
    assert "Without a tag" not in late_and_wrong["questions"][0]["feedback"]


def test_a_learner_submits_one_at_a_time(service) -> None:
    async def both():
        payload = json.dumps({"quiz": "open", "answers": {"latest": "a"}}).encode()
        return await asyncio.gather(service.submit("ada", payload), service.submit("ada", payload),
                                    return_exceptions=True)

    first, second = asyncio.run(both())
    assert first.learner == "ada"
    assert isinstance(second, Refused) and second.status == 429
    assert len(service.stored().submissions(["open"], history=True)) == 1


def test_an_answer_that_passes_the_time_limit_is_not_graded_and_the_service_goes_on(course_file, tmp_path,
                                                                                    monkeypatch) -> None:
    real = Grader.grade_quiz

    def hostile(self, quiz, answers, *, learner=None):  # a replay that never ends, for mallory only
        while learner == "mallory":
            pass
        return real(self, quiz, answers, learner=learner)

    monkeypatch.setattr(Grader, "grade_quiz", hostile)  # the workers are forked: they replay this one
    course = load_course(course_file)
    slow = GradingPool([q.quiz for q in course.quizzes], jobs=1, limits=Limits(seconds=0.5))
    service = CourseService(course, lambda: Gradebook(tmp_path / "book.sqlite"), pool=slow,
                            clock=Clock(DUE - timedelta(days=1)))
    try:
        e = refused(service, "mallory", {"quiz": "open", "answers": {"latest": "a"}})
        assert e.status == 422 and e.reason == "not graded: the time limit of 0.5 s per submission"
        assert submit(service, "ada", {"quiz": "open", "answers": {"latest": "a"}})["score"] == 1.0  # a new worker
        with Gradebook(tmp_path / "book.sqlite", readonly=True) as book:
            assert [s.learner for s in book.submissions(history=True)] == ["ada"]
    finally:
        service.close()


def test_results_are_the_learners_own_as_the_policy_shows_them_now(service) -> None:
    submit(service, "ada", {"quiz": "timed", "answers": {"latest": "a"}})
    submit(service, "bob", {"quiz": "open", "answers": {"latest": "a"}})
    [mine] = asyncio.run(service.results("ada"))
    assert mine["quiz"] == "timed" and mine["score"] == 1.0
    assert "feedback" not in mine["questions"][0]  # the keys of 'timed' are out after the cutoff only
    asyncio.run(service.in_book(service.book.add_override, "ada", "timed", None, 0.5, "copied answers", "prof"))
    [mine] = asyncio.run(service.results("ada"))
    assert (mine["score"], mine["graded"]) == (0.5, 1.0)  # the score that counts, as the exports have it
    assert mine["note"] == "score set to 0.5 by the instructor: copied answers"
    service.clock_set.now = datetime(2026, 3, 13, tzinfo=timezone.utc)
    [mine] = asyncio.run(service.results("ada"))
    assert "Without a tag" in mine["questions"][0]["feedback"]


def test_staff_are_the_course_instructors_and_teaching_assistants_by_user_or_hub_group(service) -> None:
    assert service.is_staff({"name": "prof", "groups": []})
    assert service.is_staff({"name": "tom", "groups": ["staff"]})
    assert not service.is_staff({"name": "ada", "groups": ["learners"]})
    assert not service.is_staff({"name": "group:staff", "groups": []})


# -- what the dashboard shows: the standings, the live feed, overrides, a reload after a quiz edit -------------------
def _scores(service) -> dict[tuple[str, str], object]:
    return {(s.learner, s.quiz): s for s in asyncio.run(service.board())["scores"]}


def test_the_roster_stands_against_every_quiz_non_submitters_at_zero(service) -> None:
    submit(service, "ada", {"quiz": "open", "answers": {"latest": "a"}})
    submit(service, "zed", {"quiz": "open", "answers": {"latest": "a"}})  # not on the roster: shown, flagged
    board = asyncio.run(service.board())
    rows = table(service.roster, board["scores"])
    assert [(entry.id, entry.name, on_roster) for entry, on_roster, _ in rows] == [
        ("ada", "Lovelace, Ada", True), ("bob", "Bob", True), ("dora", "Dora", True), ("zed", "", False)]
    ada = rows[0][2]
    assert list(ada) == ["open"] and ada["open"].final == 1.0 and ("ada", "open") in board["submitted"]
    assert rows[2][2] == {}  # dora: nothing handed in, which every export counts as 0


def test_a_late_submission_stands_with_its_penalty_from_the_services_clock(service) -> None:
    service.clock_set.now = DUE + timedelta(days=1, hours=1)  # two started days late: 20% off
    submit(service, "ada", {"quiz": "timed", "answers": {"latest": "a"}})
    timed = _scores(service)[("ada", "timed")]
    assert (timed.graded, timed.days_late, timed.penalty, timed.final) == (1.0, 2, 0.2, 0.8)
    assert timed.note == "2 days late: 20% of the points taken off"


def test_overrides_replace_the_score_with_who_and_why_and_a_withdrawal_restores_it(service) -> None:
    submit(service, "bob", {"quiz": "open", "answers": {"latest": "b"}})

    def override(quiz, question, points, comment):
        return asyncio.run(service.in_book(service.book.add_override, "bob", quiz, question, points, comment, "prof"))

    override("open", "latest", 1.0, "b is right too: the question was ambiguous")
    bob = _scores(service)[("bob", "open")]
    assert (bob.graded, bob.override, bob.final) == (1.0, None, 1.0)
    assert bob.comment == "question latest set to 1 by prof: b is right too: the question was ambiguous"
    override("open", None, 0.5, "half marks after the appeal")
    assert _scores(service)[("bob", "open")].final == 0.5
    override("open", None, None, "appeal withdrawn")
    override("open", "latest", None, "regraded by hand instead")
    assert (_scores(service)[("bob", "open")].final, _scores(service)[("bob", "open")].comment) == (0.0, "")
    assert [(o.question, o.points, o.by_user) for o in asyncio.run(service.board())["history"]] == [
        (None, 0.5, "prof"), (None, None, "prof"), ("latest", 1.0, "prof"), ("latest", None, "prof")]


def test_an_override_without_a_submission_counts(service) -> None:
    asyncio.run(service.in_book(service.book.add_override, "dora", "timed", None, 1.0, "excused: full marks", "prof"))
    dora = _scores(service)[("dora", "timed")]
    assert (dora.graded, dora.final, dora.comment) == (0.0, 1.0, "excused: full marks")
    assert ("dora", "timed") not in asyncio.run(service.board())["submitted"]


def test_the_live_feed_brings_what_was_recorded_after_the_last_seen(service) -> None:
    for learner in ("ada", "bob", "dora"):
        submit(service, learner, {"quiz": "open", "answers": {"latest": "a"}})
    first = asyncio.run(service.board(after=0, limit=2))["recent"]
    assert [s["learner"] for s in first] == ["ada", "bob"] and first[0]["source"] == "service"
    rest = asyncio.run(service.board(after=first[-1]["id"]))["recent"]
    assert [s["learner"] for s in rest] == ["dora"]
    assert asyncio.run(service.board(after=rest[-1]["id"]))["recent"] == []


def test_a_quiz_edited_and_the_course_read_again_regrades_the_current_submissions(course_file, tmp_path) -> None:
    folder = tmp_path / "course"
    shutil.copytree(course_file.parent, folder)
    course = load_course(folder / "course.yaml")
    graders = GradingPool([q.quiz for q in course.quizzes], jobs=1)
    service = CourseService(course, lambda: Gradebook(tmp_path / "book.sqlite"), pool=graders,
                            clock=Clock(DUE - timedelta(days=1)))
    try:
        submit(service, "ada", {"quiz": "open", "answers": {"latest": "b"}})
        quiz = folder / "quizzes" / "open.yaml"
        quiz.write_text(quiz.read_text().replace("answer: a", "answer: b"))  # the key was wrong
        said = asyncio.run(service.reload())
        assert said == "Course file read again: 2 quizzes, 3 learners on the roster; 1 submissions regraded."
        assert _scores(service)[("ada", "open")].final == 1.0
        assert submit(service, "bob", {"quiz": "open", "answers": {"latest": "b"}})["score"] == 1.0  # graded anew
        (folder / "course.yaml").write_text("course: [broken\n")
        assert asyncio.run(service.reload()).startswith("The course file was not read again, nothing changed: ")
        assert service.course.id == "docker-101"
    finally:
        service.close()


def test_a_learner_with_an_extension_is_on_time_until_their_own_due_time(course_file, pool, tmp_path) -> None:
    text = course_file.read_text().replace("    attempts: 2\n", "    attempts: 2\n    extensions:\n"
                                           "      dora: 2026-03-10T23:59:00Z\n")
    (course_file.parent / "extended.yaml").write_text(text)
    clock = Clock(DUE + timedelta(hours=1))
    running = CourseService(load_course(course_file.parent / "extended.yaml"),
                            lambda: Gradebook(tmp_path / "book.sqlite"), clock=clock, pool=pool)
    try:
        dora = submit(running, "dora", {"quiz": "timed", "answers": {"latest": "a"}})
        bob = submit(running, "bob", {"quiz": "timed", "answers": {"latest": "a"}})
        assert (dora["days_late"], dora["score"]) == (0, 1.0)
        assert (bob["days_late"], bob["score"]) == (1, 0.9)
        assert bob["withheld"] == ["the answers are shown after 2026-03-13 23:59 UTC."]  # when dora's window closes
    finally:
        running._books.submit(running.book.close).result()
        running._books.shutdown()


def test_a_long_report_never_holds_a_submission_back(service) -> None:
    """The class report replays answers for seconds on a large class: it reads on its own thread and read-only
    connection, so a submission arriving meanwhile is recorded and answered at once, and the report sees it."""
    import threading

    release = threading.Event()

    def slow_report(book: Gradebook) -> list[str]:
        release.wait(timeout=60)
        return [s.learner for s in book.submissions(["open"])]

    async def scenario() -> tuple[dict, list[str]]:
        report = asyncio.ensure_future(service.in_reader(slow_report))
        answer = await service.submit("ada", json.dumps({"quiz": "open", "answers": {"latest": "a"}}).encode())
        assert not report.done()  # the report is still running: the submission did not wait for it
        release.set()
        return outcome_json(answer), await report

    answer, learners = asyncio.run(scenario())
    assert answer["score"] == 1
    assert learners == ["ada"]
