"""The gradebook file: WAL mode, one transaction per submission, idempotent records, supersede with history,
re-grading that keeps the old rows, and clear errors for files that are not gradebooks."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from sandbox.gradebook.errors import GradebookError
from sandbox.gradebook.store import Gradebook, grade_rows, question_version, versions_of
from sandbox.gradebook.submissions import Submission
from sandbox.quiz import Grader, load_file, parse

from .conftest import QUIZZES

QUIZ = load_file(QUIZZES / "tiny.yaml")
GRADER = Grader()


def submission(learner: str = "ada", answers: dict | None = None, at: str | None = None) -> Submission:
    """A submission as the reader makes one; its digest stands for its bytes (learner, time and answers)."""
    answers = {"tag-idea": "a"} if answers is None else answers
    return Submission(f"{learner}.yaml", f"sha256:{learner}-{at}-{sorted(answers.items())}", learner, "tiny",
                      tuple(answers.items()), at)


def record(book: Gradebook, s: Submission, quiz=QUIZ) -> bool:
    result = GRADER.grade_quiz(quiz, s.answer_map(), learner=s.learner)
    return book.record(s, grade_rows(result.grades, versions_of(quiz)))


@pytest.fixture
def book(tmp_path: Path):
    with Gradebook(tmp_path / "g.sqlite") as b:
        b.sync_quizzes([QUIZ])
        yield b


def rows(path: Path, sql: str) -> list[tuple]:
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def test_a_new_gradebook_is_in_wal_mode_with_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "g.sqlite"
    Gradebook(path).close()
    assert rows(path, "PRAGMA journal_mode") == [("wal",)]
    assert rows(path, "SELECT key, value FROM meta ORDER BY key") == [("application", "imageshare-gradebook"),
                                                                      ("schema", "2")]


def test_recording_the_same_submission_again_changes_nothing(book: Gradebook, tmp_path: Path) -> None:
    s = submission()
    assert record(book, s) is True
    everything = "SELECT * FROM submissions LEFT JOIN grades ON grades.submission = submissions.id"
    before = rows(tmp_path / "g.sqlite", everything)
    assert record(book, s) is False
    assert rows(tmp_path / "g.sqlite", everything) == before


def test_a_newer_submission_supersedes_and_the_older_stays_as_history(book: Gradebook) -> None:
    first, second = submission(answers={"tag-idea": "b"}), submission(answers={"tag-idea": "a"})
    record(book, first)
    record(book, second)
    [current] = book.submissions()
    assert (current.digest, current.score) == (second.digest, 1.0)
    history = book.submissions(history=True)
    assert [(s.digest, s.superseded_by) for s in history] == [(first.digest, second.digest), (second.digest, None)]


def test_a_late_arriving_older_submission_does_not_supersede_a_newer_one(book: Gradebook) -> None:
    newer = submission(answers={"tag-idea": "a"}, at="2025-06-02T10:00:00Z")
    older = submission(answers={"tag-idea": "b"}, at="2025-06-02T09:00:00Z")
    record(book, newer)
    record(book, older)
    assert [s.digest for s in book.submissions()] == [newer.digest]
    assert {s.digest: s.superseded_by for s in book.submissions(history=True)}[older.digest] == newer.digest


def test_each_learner_keeps_one_current_submission_per_quiz(book: Gradebook) -> None:
    for learner, letter in (("bob", "b"), ("ada", "a"), ("bob", "a")):
        record(book, submission(learner, answers={"tag-idea": letter}))
    assert [(s.learner, s.score) for s in book.submissions()] == [("ada", 1.0), ("bob", 1.0)]
    assert len(book.submissions(history=True)) == 3


def test_grades_come_back_in_quiz_order_with_the_learners_variant_prompt(book: Gradebook) -> None:
    record(book, submission(answers={}))
    [s] = book.submissions()
    assert [g.question for g in s.grades] == [q.id for q in QUIZ.questions]
    task = s.grades[3]
    assert task.prompt in ("Name the image alpine learner/base:1.0 on this laptop.",
                           "Name the image alpine learner/base:2.0 on this laptop.")
    assert s.grades[0].choices == (("a", "Naming a version of an image."), ("b", "Encrypting an image."))
    assert (s.grades[0].setup, task.setup) == ((), ("$ docker pull alpine",))
    assert (task.score, task.reason) == (0.0, "no answer")


def test_a_rejection_is_one_row_however_often_seen_and_resolved_by_a_grade(book: Gradebook) -> None:
    book.record_rejection("ada.yaml", "bad", digest="sha256:bad")
    book.record_rejection("ada.yaml", "bad", digest="sha256:bad")
    assert [(r.path, r.reason) for r in book.rejections()] == [("ada.yaml", "bad")]
    record(book, submission())
    assert book.rejections() == []


def test_changing_a_question_makes_its_submissions_stale_until_regraded(book: Gradebook, tmp_path: Path) -> None:
    s = submission(answers={"tag-idea": "b"})
    record(book, s)
    edited = replace(QUIZ, questions=(replace(QUIZ.questions[0], answer="b"),) + QUIZ.questions[1:])
    [stale] = book.sync_quizzes([edited])
    assert (stale.quiz, stale.count, stale.questions) == ("tiny", 1, ("tag-idea",))
    [(i, learner, answers)] = book.stale_submissions(edited)
    result = GRADER.grade_quiz(edited, answers, learner=learner)
    book.regrade(i, grade_rows(result.grades, versions_of(edited)))
    assert book.sync_quizzes([edited]) == []
    [now] = book.submissions()
    assert now.score == 1.0 and now.grades[0].correct
    kept = rows(tmp_path / "g.sqlite",
                "SELECT question, version, current, score FROM grades WHERE question = 'tag-idea'")
    assert sorted(kept) == sorted([("tag-idea", question_version(QUIZ.questions[0]), 0, 0.0),
                                   ("tag-idea", question_version(edited.questions[0]), 1, 1.0)])


def test_a_file_that_is_not_sqlite_is_not_a_gradebook(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("hello" * 100)
    with pytest.raises(GradebookError) as e:
        Gradebook(path)
    assert str(e.value) == f"{path}: is not an SQLite file (not a gradebook)"
    assert e.value.exit_code == 3 and isinstance(e.value, OSError)


def test_another_sqlite_database_is_not_a_gradebook(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    with pytest.raises(GradebookError, match="is an SQLite file, but not an imageshare gradebook"):
        Gradebook(path)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "g.sqlite"
    Gradebook(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema'")
    db.commit()
    db.close()
    with pytest.raises(GradebookError, match="has gradebook schema 99; this imageshare reads 2"):
        Gradebook(path)


def test_opening_for_reading_needs_an_existing_gradebook(tmp_path: Path) -> None:
    with pytest.raises(GradebookError, match="no gradebook here"):
        Gradebook(tmp_path / "none.sqlite", create=False)
    assert not (tmp_path / "none.sqlite").exists()


def test_a_directory_is_not_a_gradebook(tmp_path: Path) -> None:
    with pytest.raises(GradebookError, match="is a directory"):
        Gradebook(tmp_path)


def test_a_failed_transaction_leaves_nothing_behind(book: Gradebook) -> None:
    with pytest.raises(RuntimeError):
        with book.transaction() as db:
            db.execute("INSERT INTO learners VALUES ('ghost')")
            raise RuntimeError("crash mid-transaction")
    assert book.submissions() == [] and book.integrity() == "ok"


def test_a_text_the_class_repeats_is_stored_once(book: Gradebook, tmp_path: Path) -> None:
    for learner in ("ada", "bob", "cy"):
        record(book, submission(learner, answers={"tag-idea": "b", "pull-private": "b"}))
    [(grades, distinct)] = rows(tmp_path / "g.sqlite", "SELECT count(*), count(DISTINCT feedback) FROM grades"
                                                        " WHERE question IN ('tag-idea', 'pull-private')")
    assert (grades, distinct) == (6, 2)
    assert rows(tmp_path / "g.sqlite", "SELECT count(*) FROM texts WHERE hash NOT IN"
                                       " (SELECT feedback FROM grades UNION SELECT evidence FROM grades"
                                       " UNION SELECT events FROM grades)") == [(0,)]
    assert [g.feedback.split("\n")[0] for s in book.submissions() for g in s.grades[:2]] == [
        "Incorrect (0/1); the answer is a.", "Correct (1/1)."] * 3


def test_a_corrupt_gradebook_is_a_gradebook_error_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "g.sqlite"
    with Gradebook(path) as b:
        b.sync_quizzes([QUIZ])
        for i in range(30):
            record(b, submission(f"l{i:03d}"))
    data = bytearray(path.read_bytes())
    data[2 * 4096:len(data) - 4096] = b"\xff" * (len(data) - 3 * 4096)
    path.write_bytes(bytes(data))
    with pytest.raises(GradebookError) as e:
        with Gradebook(path) as b:
            b.submissions()
    assert str(e.value).startswith(f"{path}: ")


def as_schema_1(path: Path) -> None:
    """Turn a gradebook back into schema 1: variants without the files shown and whether choices were shuffled."""
    db = sqlite3.connect(path)
    db.execute("ALTER TABLE variants DROP COLUMN files")
    db.execute("ALTER TABLE variants DROP COLUMN shuffle")
    db.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    db.commit()
    db.close()


def test_a_schema_1_gradebook_is_read_as_it_is_and_migrated_when_opened_for_writing(tmp_path: Path) -> None:
    path = tmp_path / "g.sqlite"
    with Gradebook(path) as book:
        book.sync_quizzes([QUIZ])
        record(book, submission())
    as_schema_1(path)
    with Gradebook(path, create=False, readonly=True) as book:  # a reader never writes: what is missing is unknown
        [s] = book.submissions()
        assert (s.grades[0].files, s.grades[0].shuffle) == ((), None)
    assert rows(path, "SELECT value FROM meta WHERE key = 'schema'") == [("1",)]
    with Gradebook(path) as book:
        assert rows(path, "SELECT value FROM meta WHERE key = 'schema'") == [("2",)]
        assert book.submissions()[0].grades[0].shuffle is None, "not known until the quiz is synced again"
        book.sync_quizzes([QUIZ])
        assert book.submissions()[0].grades[0].shuffle is False, "tiny.yaml says shuffle: false"


def test_variants_keep_the_files_each_learner_saw(tmp_path: Path) -> None:
    quiz = parse("quiz: f\ntitle: F\nquestions:\n  - id: build\n    kind: task\n    vars: {base: [alpine, busybox]}\n"
                 "    prompt: Build it as web.\n    files:\n      Dockerfile: |\n        FROM ${base}\n"
                 "    goal: [{image: web}]\n    solution: [docker build -t web .]\n", "f.yaml")
    with Gradebook(tmp_path / "g.sqlite") as book:
        book.sync_quizzes([quiz])
        for learner in ("ada", "grace", "linus", "barbara"):
            s = Submission(f"{learner}.yaml", f"sha256:{learner}", learner, "f", (), None)
            result = GRADER.grade_quiz(quiz, {}, learner=learner)
            book.record(s, grade_rows(result.grades, versions_of(quiz)))
        seen = {s.learner: s.grades[0] for s in book.submissions()}
    for learner, g in seen.items():
        assert g.files == (("Dockerfile", f"FROM {['alpine', 'busybox'][g.variant]}\n"),)
    assert {g.variant for g in seen.values()} == {0, 1}
