"""The gradebook, on both backends (an SQLite file, a PostgreSQL database): one schema, idempotent records, supersede
with history, re-grading that keeps the old rows, migrations from schema 1, and clear errors for what is not a
gradebook."""

from __future__ import annotations

import socket
import sqlite3
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from sandbox.gradebook.backends import open_backend, statements
from sandbox.gradebook.errors import GradebookError
from sandbox.gradebook.store import (_SCHEMA_1, SCHEMA, Gradebook, RosterRecord, grade_rows, question_version,
                                     versions_of)
from sandbox.gradebook.submissions import Submission
from sandbox.quiz import Grader, load_file, parse

from .conftest import DATA, QUIZZES, gradebook

SCHEMA_1 = DATA / "schema-1"

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
def book(location: str):
    with Gradebook(location) as b:
        b.sync_quizzes([QUIZ])
        yield b


def rows(where: Gradebook | Path, sql: str) -> list[tuple]:
    """What ``sql`` selects, through the gradebook's own connection or straight from an SQLite file."""
    if isinstance(where, Gradebook):
        return [tuple(row) for row in where._db.execute(sql).fetchall()]
    db = sqlite3.connect(where)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def test_a_new_gradebook_is_in_wal_mode_with_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "g.sqlite"
    Gradebook(path).close()
    assert rows(path, "PRAGMA journal_mode") == [("wal",)]
    assert rows(path, "SELECT key, value FROM meta ORDER BY key") == [("application", "imageshare-gradebook"),
                                                                      ("generation", "0"), ("schema", str(SCHEMA))]


def test_a_new_gradebook_records_its_schema_on_either_backend(location: str) -> None:
    with Gradebook(location) as b:
        assert rows(b, "SELECT key, value FROM meta ORDER BY key") == [("application", "imageshare-gradebook"),
                                                                       ("generation", "0"), ("schema", str(SCHEMA))]
        assert b.backend == ("PostgreSQL" if location.startswith("postgresql://") else "SQLite")


def test_recording_the_same_submission_again_changes_nothing(book: Gradebook) -> None:
    s = submission()
    assert record(book, s) is True
    everything = ("SELECT * FROM submissions LEFT JOIN grades ON grades.submission = submissions.id"
                  " ORDER BY submissions.id, grades.question")
    before = rows(book, everything)
    assert record(book, s) is False
    assert rows(book, everything) == before


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


def test_changing_a_question_makes_its_submissions_stale_until_regraded(book: Gradebook) -> None:
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
    kept = rows(book, "SELECT question, version, current, score FROM grades WHERE question = 'tag-idea'")
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


def test_a_newer_schema_is_refused_for_reading_and_writing(location: str) -> None:
    with Gradebook(location) as b:
        b._db.execute("UPDATE meta SET value = '99' WHERE key = 'schema'")
    for readonly in (False, True):
        with pytest.raises(GradebookError) as e:
            Gradebook(location, readonly=readonly)
        assert e.value.problem == f"has gradebook schema 99, newer than this imageshare reads ({SCHEMA}); upgrade " \
                                  "imageshare to open it"


def test_another_postgresql_database_is_not_a_gradebook(postgres) -> None:
    url = postgres.database()
    with Gradebook(url) as b:  # a table of someone else's, in the same schema
        b._db.execute("DROP TABLE meta")
    with pytest.raises(GradebookError, match="is a PostgreSQL database, but not an imageshare gradebook"):
        Gradebook(url)


def test_an_empty_postgresql_database_has_no_gradebook_to_read(postgres) -> None:
    url = postgres.database()
    with pytest.raises(GradebookError, match=r"no gradebook here \('imageshare grade --db ...' creates one\)"):
        Gradebook(url, create=False, readonly=True)


def test_an_unreachable_postgresql_server_is_one_line_with_no_password(postgres) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nobody listens here once the socket closes
    with pytest.raises(GradebookError) as e:
        Gradebook(f"postgresql://ada:secret@127.0.0.1:{port}/course")
    assert e.value.path == f"postgresql://ada:***@127.0.0.1:{port}/course"
    assert e.value.problem.startswith("cannot connect to PostgreSQL: ") and "secret" not in str(e.value)
    assert "\n" not in str(e.value)


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
    assert rows(book, "SELECT count(*) FROM learners") == [(0,)]


def _load_schema_1(location: str, tmp_path: Path) -> None:
    """Put the schema-1 gradebook that imageshare made before schema 2 (a class of 12, a resubmission, two
    rejections: data/schema-1/) at ``location``: the SQLite file itself, or its rows in PostgreSQL tables made by
    the schema-1 DDL."""
    dump = (SCHEMA_1 / "gradebook.sql").read_text()
    if not location.startswith("postgresql://"):
        sqlite3.connect(location).executescript(dump).close()
        return
    original = tmp_path / "schema-1.sqlite"
    sqlite3.connect(original).executescript(dump).close()
    backend = open_backend(location, create=True, readonly=False)
    old = sqlite3.connect(original)
    try:
        for statement in statements(_SCHEMA_1):
            backend.db.execute(backend.ddl(statement))
        for table in ("meta", "quizzes", "questions", "variants", "learners", "texts", "submissions", "grades"):
            data = old.execute(f"SELECT * FROM {table}").fetchall()
            if data:
                marks = ", ".join("?" * len(data[0]))
                backend.db.executemany(f"INSERT INTO {table} VALUES ({marks})", data)
        # ids were given, not drawn: the identity continues after them, as it would have
        backend.db.execute("SELECT setval(pg_get_serial_sequence('submissions', 'id'), max(id)) FROM submissions")
    finally:
        old.close()
        backend.close()


SCHEMA_1_TABLES = {
    "quizzes": "quiz, title, path, points, version",
    "questions": "quiz, question, position, kind, points, version, prompt, explain",
    "variants": "quiz, question, version, variant, prompt, setup, choices",
    "learners": "learner",
    "submissions": "id, digest, path, learner, quiz, submitted_at, status, reason, answers, score, max_score,"
                   " quiz_version, superseded_by, recorded_at",
    "grades": "submission, question, version, current, variant, score, max_score, correct, answer, key, reason,"
              " feedback, evidence, events",
    "texts": "hash, text",
}


def test_a_schema_1_gradebook_is_upgraded_in_place_and_keeps_every_grade(location: str, tmp_path: Path) -> None:
    _load_schema_1(location, tmp_path)
    before = sqlite3.connect(":memory:")
    before.executescript((SCHEMA_1 / "gradebook.sql").read_text())
    with Gradebook(location, create=False, readonly=True) as b:  # a reader never writes: what is missing is unknown
        [s] = [s for s in b.submissions() if s.learner == "l0000"]
        assert (s.grades[0].files, s.grades[0].shuffle, s.received_at, s.source) == ((), None, None, "file")
        assert b.roster() == [] and b.overrides() == [] and b.known_files() == {}
        assert rows(b, "SELECT value FROM meta WHERE key = 'schema'") == [("1",)]
    with Gradebook(location) as b:
        assert rows(b, "SELECT value FROM meta WHERE key = 'schema'") == [(str(SCHEMA),)]
        for table, columns in SCHEMA_1_TABLES.items():
            query = f"SELECT {columns} FROM {table} ORDER BY {columns}"
            assert rows(b, query) == before.execute(query).fetchall(), table
        assert rows(b, "SELECT DISTINCT source, received_at FROM submissions") == [("file", None)]
        assert b.roster() == [] and b.overrides() == []
        assert b.integrity() == "ok"
        assert b.submissions()[0].grades[0].shuffle is None, "not known until the quiz is synced again"
        b.sync_quizzes([QUIZ])
        assert b.submissions()[0].grades[0].shuffle is False, "tiny.yaml says shuffle: false"
        record(b, submission("zed"))  # new ids continue after the old ones
    assert gradebook("export", "--db", location, "--csv", "-").out.replace("\r\n", "\n") == \
        (SCHEMA_1 / "export.csv").read_text() + "zed,,,zed,,1,0,0,0,1\n"


def test_two_writers_opening_a_new_gradebook_at_once_both_find_it_made(location: str) -> None:
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: Gradebook(location).close(), range(4)))
    with Gradebook(location) as b:
        assert rows(b, "SELECT value FROM meta WHERE key = 'schema'") == [(str(SCHEMA),)]


def _write_share(location: str, share: int) -> None:
    """One of four writers: each learner's four submissions are spread over the writers, newest first in one."""
    with Gradebook(location) as b:
        for i in range(12):
            minute = (share + i) % 4
            record(b, submission(f"l{i:02d}", answers={"tag-idea": "ab"[minute % 2]}, at=f"2025-06-02T10:0{minute}:00Z"))


def test_concurrent_writers_queue_and_the_newest_counts_whatever_the_order(location: str) -> None:
    with Gradebook(location) as b:
        b.sync_quizzes([QUIZ])
    with ProcessPoolExecutor(4, mp_context=multiprocessing.get_context("fork")) as pool:
        list(pool.map(_write_share, [location] * 4, range(4)))
    with Gradebook(location, readonly=True) as b:
        current = b.submissions()
        assert [(s.learner, s.submitted_at, s.score) for s in current] == [
            (f"l{i:02d}", "2025-06-02T10:03:00Z", 0.0) for i in range(12)]
        assert len(b.submissions(history=True)) == 48
        assert rows(b, "SELECT learner, count(*) FROM submissions WHERE superseded_by IS NULL GROUP BY learner"
                       " HAVING count(*) > 1") == []


def test_a_text_the_class_repeats_is_stored_once(book: Gradebook) -> None:
    for learner in ("ada", "bob", "cy"):
        record(book, submission(learner, answers={"tag-idea": "b", "pull-private": "b"}))
    [(grades, distinct)] = rows(book, "SELECT count(*), count(DISTINCT feedback) FROM grades"
                                      " WHERE question IN ('tag-idea', 'pull-private')")
    assert (grades, distinct) == (6, 2)
    assert rows(book, "SELECT count(*) FROM texts WHERE hash NOT IN"
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


def test_a_submission_from_the_course_service_keeps_its_clock_and_source(book: Gradebook) -> None:
    record(book, submission("ada"))
    result = GRADER.grade_quiz(QUIZ, {}, learner="bob")
    book.record(submission("bob", answers={}), grade_rows(result.grades, versions_of(QUIZ)),
                received_at="2025-06-02T10:00:00.123456Z")
    assert [(s.learner, s.source, s.received_at) for s in book.submissions()] == [
        ("ada", "file", None), ("bob", "service", "2025-06-02T10:00:00.123456Z")]


def test_a_roster_import_replaces_the_roster_whole(book: Gradebook) -> None:
    book.set_roster([RosterRecord("bob", "Bob B", "2", "b-77"), RosterRecord("ada", "Ada L", "1", "a-12")])
    book.set_roster([RosterRecord("cy", "Cy D"), RosterRecord("ada", "Ada Lovelace", "1", "a-12", "ada@example.org")])
    assert book.roster() == [RosterRecord("cy", "Cy D", "", "", ""),
                             RosterRecord("ada", "Ada Lovelace", "1", "a-12", "ada@example.org")], "in import order"


def test_a_roster_naming_a_learner_twice_is_refused_and_the_old_one_stays(book: Gradebook) -> None:
    book.set_roster([RosterRecord("ada")])
    with pytest.raises(ValueError, match="learner 'bob' is on the roster twice"):
        book.set_roster([RosterRecord("bob"), RosterRecord("bob", "Bob")])
    assert book.roster() == [RosterRecord("ada")]


def test_an_override_is_never_edited_a_newer_one_supersedes_and_history_keeps_both(book: Gradebook) -> None:
    first = book.add_override("ada", "tiny", "tag-idea", 1, "accepted 'A' as a", "prof")
    quiz = book.add_override("ada", "tiny", None, 3.5, "late pass", "ta")
    second = book.add_override("ada", "tiny", "tag-idea", 0.5, "half: the note was right", "prof")
    assert book.overrides() == [quiz, second]
    assert book.overrides(history=True) == [quiz, first, second]
    assert (first.points, first.by_user, first.question) == (1.0, "prof", "tag-idea")
    assert first.at <= quiz.at <= second.at and first.id < quiz.id < second.id
    assert book.overrides(["other"]) == [] and book.overrides([]) == []


def test_an_override_without_points_withdraws_the_earlier_ones(book: Gradebook) -> None:
    book.add_override("ada", "tiny", None, 4, "regraded by hand", "prof")
    withdrawn = book.add_override("ada", "tiny", None, None, "by mistake", "prof")
    assert book.overrides() == []
    assert book.overrides(history=True)[-1] == withdrawn


@pytest.mark.parametrize("points", [float("nan"), float("inf"), -1, "3", True])
def test_override_points_must_be_a_finite_number_of_at_least_zero(book: Gradebook, points) -> None:
    with pytest.raises(ValueError, match="override points must be a finite number of at least 0"):
        book.add_override("ada", "tiny", None, points, "", "prof")
    assert book.overrides(history=True) == []


def test_variants_keep_the_files_each_learner_saw(location: str) -> None:
    quiz = parse("quiz: f\ntitle: F\nquestions:\n  - id: build\n    kind: task\n    vars: {base: [alpine, busybox]}\n"
                 "    prompt: Build it as web.\n    files:\n      Dockerfile: |\n        FROM ${base}\n"
                 "    goal: [{image: web}]\n    solution: [docker build -t web .]\n", "f.yaml")
    with Gradebook(location) as book:
        book.sync_quizzes([quiz])
        for learner in ("ada", "grace", "linus", "barbara"):
            s = Submission(f"{learner}.yaml", f"sha256:{learner}", learner, "f", (), None)
            result = GRADER.grade_quiz(quiz, {}, learner=learner)
            book.record(s, grade_rows(result.grades, versions_of(quiz)))
        seen = {s.learner: s.grades[0] for s in book.submissions()}
    for learner, g in seen.items():
        assert g.files == (("Dockerfile", f"FROM {['alpine', 'busybox'][g.variant]}\n"),)
    assert {g.variant for g in seen.values()} == {0, 1}


def test_rows_streams_a_portable_query_on_either_backend(book: Gradebook) -> None:
    for learner in ("bob", "ada", "Zoe", "émile"):
        record(book, submission(learner))
    assert list(book.rows("SELECT learner, score FROM submissions WHERE status = ? AND score >= ? ORDER BY learner",
                          ("graded", 1))) == [("Zoe", 1.0), ("ada", 1.0), ("bob", 1.0), ("émile", 1.0)]
    with pytest.raises(GradebookError):
        list(book.rows("SELECT nothing FROM nowhere"))


def test_a_statement_failing_mid_transaction_is_a_gradebook_error_and_the_gradebook_stays_usable(
        book: Gradebook) -> None:
    with pytest.raises(GradebookError):
        with book.transaction() as db:
            db.execute("INSERT INTO learners VALUES ('ghost')")
            db.execute("INSERT INTO learners VALUES ('ghost')")  # the primary key refuses it
    assert rows(book, "SELECT count(*) FROM learners") == [(0,)]
    assert record(book, submission()) is True
    assert [s.learner for s in book.submissions()] == ["ada"]


# -- the generation: the database counts every change a summary or an export reads ------------------------------------

def test_every_change_counts_once_and_the_same_write_again_counts_nothing(book: Gradebook) -> None:
    start = book.generation()
    assert record(book, submission("ada")) is True
    after_record = book.generation()
    assert after_record > start
    assert record(book, submission("ada")) is False, "the same bytes again"
    book.record_rejection("bad.yaml", "not YAML")
    after_rejection = book.generation()
    assert after_rejection > after_record
    book.record_rejection("bad.yaml", "not YAML")  # a re-run meets the same broken file again
    book.sync_quizzes([QUIZ])  # and the same quiz
    assert book.generation() == after_rejection


def test_a_change_made_by_hand_in_sql_counts_too(book: Gradebook) -> None:
    record(book, submission("ada"))
    before = book.generation()
    with book.transaction() as db:  # an instructor correcting a grade with their own SQL client
        db.execute("UPDATE grades SET score = 0 WHERE question = 'tag-idea'")
    assert book.generation() > before
    before = book.generation()
    with book.transaction() as db:
        db.execute("DELETE FROM roster")  # no row to delete: nothing changed
    assert book.generation() == before


def test_a_rolled_back_change_does_not_count(book: Gradebook) -> None:
    before = book.generation()
    with pytest.raises(RuntimeError):
        with book.transaction():
            record(book, submission("ada"))
            raise RuntimeError("a failure mid-batch")
    assert book.generation() == before


def test_what_was_kept_at_one_generation_is_not_read_at_another(book: Gradebook) -> None:
    generation = book.generation()
    book.keep("answer", generation, "42")
    assert book.cached("answer", generation) == "42"
    record(book, submission("ada"))
    assert book.cached("answer", book.generation()) is None
    book.keep("answer", generation, "stale")  # computed before the record: never kept
    assert rows(book, "SELECT name, generation, value FROM cache") == [("answer", generation, "42")]
    book.keep("other", book.generation(), "7")  # what an older generation kept is dropped
    assert rows(book, "SELECT name, value FROM cache") == [("other", "7")]
