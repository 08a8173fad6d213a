"""The gradebook: one SQLite file in WAL mode, written one submission per transaction.

Schema 2 (``docs/grading.md`` has the columns)::

    meta(key, value)              application and schema version
    quizzes(quiz, ...)            the latest definition a run loaded, with its version
    questions(quiz, question, ...) in quiz order, each with the version (a hash) it had when last loaded
    variants(quiz, question, version, variant, ...)  each variant's prompt, setup, choices and files as the learner
                                  saw them, and whether its choices were shuffled per learner
    learners(learner)
    submissions(id, digest, ...)  every submission ever recorded: graded (current, or superseded_by a newer one) or
                                  rejected (with the reason)
    grades(submission, question, version, current, ...)  per question; --regrade adds rows and keeps the old ones
    texts(hash, text)             feedback, evidence and event texts, each stored once: a class repeats them

A graded submission is known by the SHA-256 of its bytes, so recording it again changes nothing. A newer submission
of the same learner and quiz supersedes the current one by one order (``counts_over``): the later ``submitted_at``;
a file without one never over a file with one; otherwise the higher score, then the greater SHA-256. ``BEGIN IMMEDIATE`` makes each transaction the only writer, so concurrent runs
queue instead of colliding, and a kill at any moment leaves every submission either fully recorded or absent.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from sandbox.gradebook.errors import GradebookError
from sandbox.gradebook.submissions import Submission, instant
from sandbox.quiz.model import Grade, Question, Quiz
from sandbox.quiz.variables import resolve, variant_count

@dataclass(frozen=True)
class Decision:
    """Which of a learner's two submissions to a quiz counts, when their ``submitted_at`` could not say."""

    learner: str
    quiz: str
    kept: str
    other: str
    rule: str


def counts_over(new: tuple, old: tuple) -> tuple[bool, str | None]:
    """Whether submission ``new`` counts over ``old`` (each ``(submitted_at as an aware time or None, score,
    digest)``), and the rule that decided when it was not time.

    One total order, so the submission that counts never depends on the order files were named or met by
    concurrent runs: the later ``submitted_at``; a file without one never counts over a file with one (it cannot
    show it is newer); otherwise the higher score, then the greater SHA-256.
    """
    (new_at, new_score, new_digest), (old_at, old_score, old_digest) = new, old
    if new_at is not None and old_at is not None and new_at != old_at:
        return new_at > old_at, None
    if (new_at is None) != (old_at is None):
        return new_at is not None, "only one of the two files says when it was submitted; that one counts"
    why = "both say the same submitted_at" if new_at is not None else "neither file says when it was submitted"
    if new_score != old_score:
        return new_score > old_score, f"{why}; the higher score counts"
    return new_digest > old_digest, f"{why} and they score the same; the greater SHA-256 counts"


APPLICATION = "imageshare-gradebook"
SCHEMA = 2
#: What turns a gradebook of each older schema into the next one; opening it for writing runs them in turn, and a
#: read-only reader of an older one reads what it lacks as unknown.
MIGRATIONS = {
    # Schema 2: feedback shows the files a learner saw and the choices in that learner's order (shuffle NULL: not
    # known until the quiz is synced again, so feedback keeps the author's order rather than guess).
    1: ("ALTER TABLE variants ADD COLUMN files TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE variants ADD COLUMN shuffle INTEGER"),
}
#: How long a writer waits for another run's transaction before giving up (each transaction is milliseconds).
BUSY_TIMEOUT_S = 60.0

_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE quizzes (
    quiz TEXT PRIMARY KEY, title TEXT NOT NULL, path TEXT NOT NULL, points REAL NOT NULL, version TEXT NOT NULL);
CREATE TABLE questions (
    quiz TEXT NOT NULL REFERENCES quizzes (quiz), question TEXT NOT NULL, position INTEGER NOT NULL,
    kind TEXT NOT NULL, points REAL NOT NULL, version TEXT NOT NULL, prompt TEXT NOT NULL, explain TEXT NOT NULL,
    PRIMARY KEY (quiz, question));
CREATE TABLE variants (
    quiz TEXT NOT NULL, question TEXT NOT NULL, version TEXT NOT NULL, variant INTEGER NOT NULL, prompt TEXT NOT NULL,
    setup TEXT NOT NULL, choices TEXT NOT NULL, files TEXT NOT NULL DEFAULT '[]', shuffle INTEGER,
    PRIMARY KEY (quiz, question, version, variant));
CREATE TABLE learners (learner TEXT PRIMARY KEY);
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    digest TEXT,
    path TEXT NOT NULL,
    learner TEXT REFERENCES learners (learner),
    quiz TEXT,
    submitted_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('graded', 'rejected')),
    reason TEXT,
    answers TEXT,
    score REAL,
    max_score REAL,
    quiz_version TEXT,
    superseded_by INTEGER REFERENCES submissions (id),
    recorded_at TEXT NOT NULL);
CREATE UNIQUE INDEX submissions_graded ON submissions (digest) WHERE status = 'graded';
CREATE UNIQUE INDEX submissions_rejected ON submissions (path, coalesce(digest, '')) WHERE status = 'rejected';
CREATE INDEX submissions_current ON submissions (learner, quiz) WHERE status = 'graded' AND superseded_by IS NULL;
CREATE TABLE grades (
    submission INTEGER NOT NULL REFERENCES submissions (id),
    question TEXT NOT NULL,
    version TEXT NOT NULL,
    current INTEGER NOT NULL,
    variant INTEGER NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    correct INTEGER NOT NULL,
    answer TEXT NOT NULL,
    key TEXT NOT NULL,
    reason TEXT,
    feedback TEXT NOT NULL REFERENCES texts (hash),
    evidence TEXT NOT NULL REFERENCES texts (hash),
    events TEXT NOT NULL REFERENCES texts (hash),
    PRIMARY KEY (submission, question, version));
CREATE TABLE texts (hash TEXT PRIMARY KEY, text TEXT NOT NULL);
"""


def question_version(question: Question) -> str:
    """A hash of everything that decides a question's grades (not where it was written), 16 hex digits."""
    return hashlib.sha256(repr(question).encode("utf-8")).hexdigest()[:16]


def quiz_version(quiz: Quiz) -> str:
    """A hash of the quiz's questions, in order, and their versions."""
    parts = "\n".join(f"{q.id} {question_version(q)}" for q in quiz.questions)
    return hashlib.sha256(parts.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class QuestionRecord:
    """One question of a quiz as the gradebook last saw it."""

    question: str
    position: int
    kind: str
    points: float
    prompt: str
    explain: str


@dataclass(frozen=True)
class QuizRecord:
    """One quiz as the gradebook last saw it, with its questions in order."""

    quiz: str
    title: str
    points: float
    questions: tuple[QuestionRecord, ...]


@dataclass(frozen=True)
class GradeRecord:
    """The current grade of one question of one submission; answer and key as stored (lists as tuples)."""

    question: str
    variant: int
    score: float
    max_score: float
    correct: bool
    answer: Any
    key: Any
    reason: str | None
    feedback: str
    evidence: tuple[str, ...]
    events: tuple[str, ...]
    #: The prompt, the setup command lines and the (letter, text) choices of the learner's variant, as they were
    #: when graded.
    prompt: str = ""
    setup: tuple[str, ...] = ()
    choices: tuple[tuple[str, str], ...] = ()
    #: The (name, content) files of the learner's variant, and whether its choices were shuffled per learner (None
    #: in a gradebook from before schema 2 whose quiz has not been synced since).
    files: tuple[tuple[str, str], ...] = ()
    shuffle: bool | None = None


@dataclass(frozen=True)
class SubmissionRecord:
    """A graded submission with its current grades, in question order; ``superseded_by`` is a newer one's digest."""

    id: int
    digest: str
    path: str
    learner: str
    quiz: str
    submitted_at: str | None
    score: float
    max_score: float
    superseded_by: str | None
    grades: tuple[GradeRecord, ...]
    #: The question ids the stored answers name, misspelt ones included (those were kept, not graded).
    answered: tuple[str, ...] = ()

    @property
    def current(self) -> bool:
        """True for the submission that counts: the newest of its learner and quiz."""
        return self.superseded_by is None


@dataclass(frozen=True)
class RejectionRecord:
    """A submission that was not graded, with what could be read safely and the reason."""

    path: str
    digest: str | None
    learner: str | None
    quiz: str | None
    reason: str


@dataclass(frozen=True)
class StaleQuiz:
    """A quiz whose questions changed after ``count`` of its current submissions were graded."""

    quiz: str
    count: int
    questions: tuple[str, ...]


def versions_of(quiz: Quiz) -> dict[str, str]:
    """Question id -> version for every question of ``quiz``, and ``""`` -> the quiz's version."""
    out = {q.id: question_version(q) for q in quiz.questions}
    out[""] = quiz_version(quiz)
    return out


@dataclass(frozen=True)
class GradeRows:
    """A submission's grades as the ``grades`` table stores them (without the submission id), with the totals and
    the quiz version they were graded against. Plain text and numbers: cheap to send from a worker process."""

    rows: tuple[tuple, ...]
    score: float
    max_score: float
    quiz_version: str
    #: (hash, text) of the feedback, evidence and event texts the rows name by hash.
    texts: tuple[tuple[str, str], ...] = ()


def grade_rows(grades: Sequence[Grade], versions: Mapping[str, str]) -> GradeRows:
    """``grades`` ready for ``Gradebook.record``; ``versions`` comes from ``versions_of`` of the graded quiz."""
    texts: dict[str, str] = {}

    def ref(text: str) -> str:
        key = text_hash(text)
        texts[key] = text
        return key

    rows = tuple(
        (g.question_id, versions[g.question_id], g.variant, g.score, g.max_score, int(g.correct), _json(g.answer),
         _json(g.key), g.reason, ref(g.feedback), ref(_json(g.evidence)), ref(_json(g.events)))
        for g in grades
    )
    return GradeRows(rows, round(sum(g.score for g in grades), 4), round(sum(g.max_score for g in grades), 4),
                     versions[""], tuple(texts.items()))


def text_hash(text: str) -> str:
    """The key of a text in the ``texts`` table: 16 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _json(value: Any) -> str:
    """JSON text of an answer, key or evidence; cached, since a class repeats the same ones many times over."""
    try:
        return _json_cached(value)
    except TypeError:  # unhashable: not what the grader stores, but never worth a failure
        return json.dumps(value, ensure_ascii=False)


@lru_cache(maxsize=8192)
def _json_cached(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _frozen(value: Any) -> Any:
    """JSON data with lists made tuples, so records stay hashable values."""
    return tuple(map(_frozen, value)) if isinstance(value, list) else value


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _sqlite_errors(method: Callable) -> Callable:
    """A gradebook method whose SQLite failures (a corrupt file, a full disk) raise ``GradebookError``."""

    @functools.wraps(method)
    def wrapper(self: Gradebook, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as e:
            raise GradebookError(self.path, _sqlite_problem(e)) from None

    return wrapper


class Gradebook:
    """An open gradebook file. Raises ``GradebookError`` when it cannot be created, opened or written.

    ``create=False`` opens only an existing gradebook (for exports and reports).
    """

    def __init__(self, path: str | os.PathLike, *, create: bool = True, readonly: bool = False) -> None:
        self.path = str(path)
        self._writes = 0
        #: The schema the open file has: this one once opened for writing (it is migrated), maybe older read-only.
        self._schema = SCHEMA
        self._recent: tuple = ()
        self._texts: set[str] | None = None
        #: Where a rule other than time decided which of a learner's submissions counts (``record`` appends).
        self.decisions: list[Decision] = []
        if not create and not os.path.isfile(self.path):
            raise GradebookError(self.path, "no gradebook here ('imageshare grade --db PATH' creates one)")
        if os.path.isdir(self.path):
            raise GradebookError(self.path, "is a directory, not a gradebook file")
        if readonly:
            self._db = _open_readonly(self.path)
            try:
                self._check_readable()
            except sqlite3.Error as e:
                self._db.close()
                raise GradebookError(self.path, _sqlite_problem(e)) from None
            except GradebookError:
                self._db.close()
                raise
            return
        try:
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as e:
            raise GradebookError(self.path, f"cannot open the gradebook: {e}") from None
        try:
            self._db.execute("PRAGMA foreign_keys = ON")
            mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":
                raise GradebookError(self.path, f"SQLite cannot use WAL mode here (got {mode!r}); use a local disk")
            # In WAL mode NORMAL keeps every committed transaction through a crash of this process (kill -9);
            # only a power cut can lose the last few, and never corrupts the file.
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._ensure_schema()
        except sqlite3.Error as e:
            self._db.close()
            raise GradebookError(self.path, _sqlite_problem(e)) from None
        except GradebookError:
            self._db.close()
            raise

    def _check_readable(self) -> None:
        """Raise ``GradebookError`` unless the file is a gradebook of this schema (read-only: nothing is created)."""
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        meta = dict(self._db.execute("SELECT key, value FROM meta")) if "meta" in tables else {}
        if meta.get("application") != APPLICATION:
            raise GradebookError(self.path, "is an SQLite file, but not an imageshare gradebook")
        self._schema = _readable_schema(self.path, meta.get("schema"))

    def close(self) -> None:
        """Close the file (WAL contents stay valid; the next open reads them)."""
        self._db.close()

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction: all or nothing, and no other writer meanwhile."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise GradebookError(self.path, _sqlite_problem(e)) from None
        try:
            yield self._db
            self._db.execute("COMMIT")
        except sqlite3.Error as e:  # a full disk, a file removed underneath: the gradebook's problem, not a crash
            self._rollback()
            raise GradebookError(self.path, _sqlite_problem(e)) from None
        except BaseException:
            self._rollback()
            raise
        self._writes += 1

    def _rollback(self) -> None:
        if self._db.in_transaction:  # SQLite rolls some failures back by itself
            self._db.execute("ROLLBACK")

    def _ensure_schema(self) -> None:
        with self.transaction() as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "meta" not in tables:
                if tables:
                    raise GradebookError(self.path, "is an SQLite file, but not an imageshare gradebook")
                for statement in _TABLES.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.executemany("INSERT INTO meta VALUES (?, ?)",
                               [("application", APPLICATION), ("schema", str(SCHEMA))])
                return
            meta = dict(db.execute("SELECT key, value FROM meta"))
            if meta.get("application") != APPLICATION:
                raise GradebookError(self.path, "is an SQLite file, but not an imageshare gradebook")
            schema = _readable_schema(self.path, meta.get("schema"))
            for older in range(schema, SCHEMA):
                for statement in MIGRATIONS[older]:
                    db.execute(statement)
            if schema != SCHEMA:
                db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA),))

    # -- writing ------------------------------------------------------------------------------------------------------
    @_sqlite_errors
    def sync_quizzes(self, quizzes: Sequence[Quiz]) -> list[StaleQuiz]:
        """Record the quizzes' current definitions; returns those whose changes left graded submissions stale."""
        with self.transaction() as db:
            for quiz in quizzes:
                db.execute(
                    "INSERT INTO quizzes VALUES (?, ?, ?, ?, ?) ON CONFLICT (quiz) DO UPDATE SET"
                    " title = excluded.title, path = excluded.path, points = excluded.points,"
                    " version = excluded.version",
                    (quiz.id, quiz.title, str(quiz.path), float(quiz.points), quiz_version(quiz)),
                )
                db.execute("DELETE FROM questions WHERE quiz = ?", (quiz.id,))
                db.executemany(
                    "INSERT INTO questions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [(quiz.id, q.id, i, q.kind, float(q.points), question_version(q), q.prompt, q.explain.strip())
                     for i, q in enumerate(quiz.questions)],
                )
                # A version names everything the learner saw, so a stored row only changes to fill in what a gradebook
                # of an older schema lacked.
                db.executemany(
                    "INSERT INTO variants VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET"
                    " files = excluded.files, shuffle = excluded.shuffle",
                    [(quiz.id, q.id, question_version(q), v, r.prompt,
                      json.dumps([c.shown(r.host) for c in r.setup], ensure_ascii=False),
                      json.dumps([[c.key, c.text] for c in r.choices], ensure_ascii=False),
                      json.dumps([list(f) for f in r.files], ensure_ascii=False), int(r.shuffle))
                     for q in quiz.questions for v in range(variant_count(q)) for r in (resolve(q, v),)],
                )
        return [s for s in (self._stale(q) for q in quizzes) if s.count]

    def _stale(self, quiz: Quiz) -> StaleQuiz:
        version = quiz_version(quiz)
        count = self._db.execute(
            "SELECT count(*) FROM submissions WHERE quiz = ? AND status = 'graded' AND superseded_by IS NULL"
            " AND quiz_version != ?", (quiz.id, version)).fetchone()[0]
        if not count:
            return StaleQuiz(quiz.id, 0, ())
        now = {q.id: question_version(q) for q in quiz.questions}
        graded = self._db.execute(
            "SELECT DISTINCT g.question, g.version FROM grades g JOIN submissions s ON s.id = g.submission"
            " WHERE s.quiz = ? AND s.status = 'graded' AND s.superseded_by IS NULL AND g.current = 1", (quiz.id,))
        had: dict[str, set[str]] = {}
        for question, v in graded:
            had.setdefault(question, set()).add(v)
        changed = [q for q in now if had.get(q, set()) != {now[q]}] + sorted(q for q in had if q not in now)
        return StaleQuiz(quiz.id, count, tuple(changed))

    @_sqlite_errors
    def graded_digests(self) -> set[str]:
        """The digests of every graded submission (a run skips files it finds here)."""
        return {row[0] for row in self._db.execute("SELECT digest FROM submissions WHERE status = 'graded'")}

    @_sqlite_errors
    def record(self, submission: Submission, rows: GradeRows) -> bool:
        """Record a graded submission and its grades (``grade_rows``) in one transaction; False if its digest is
        already recorded.

        The newer of it and the learner's current submission of the quiz stays current; the other is superseded.
        A rejection of the same file (by path or digest) is resolved and dropped.
        """
        decided: list[Decision] = []
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM submissions WHERE digest = ? AND status = 'graded'",
                          (submission.digest,)).fetchone():
                return False
            db.execute("INSERT OR IGNORE INTO learners VALUES (?)", (submission.learner,))
            current = db.execute(
                "SELECT id, submitted_at, score, digest, path FROM submissions WHERE learner = ? AND quiz = ?"
                " AND status = 'graded' AND superseded_by IS NULL", (submission.learner, submission.quiz_id)).fetchone()
            new_id = db.execute(
                "INSERT INTO submissions (digest, path, learner, quiz, submitted_at, status, answers, score, max_score,"
                " quiz_version, recorded_at) VALUES (?, ?, ?, ?, ?, 'graded', ?, ?, ?, ?, ?)",
                (submission.digest, submission.path, submission.learner, submission.quiz_id, submission.submitted_at,
                 json.dumps({k: list(v) if isinstance(v, tuple) else v for k, v in submission.answers},
                            ensure_ascii=False),
                 rows.score, rows.max_score, rows.quiz_version, _now()),
            ).lastrowid
            if current is not None:
                old_id, old_at, old_score, old_digest, old_path = current
                new = (instant(submission.submitted_at), rows.score, submission.digest)
                kept_new, rule = counts_over(new, (instant(old_at), old_score, old_digest))
                loser, winner = (old_id, new_id) if kept_new else (new_id, old_id)
                db.execute("UPDATE submissions SET superseded_by = ? WHERE id = ?", (winner, loser))
                if rule is not None:
                    kept, other = (submission.path, old_path) if kept_new else (old_path, submission.path)
                    decided.append(Decision(submission.learner, submission.quiz_id, kept, other, rule))
            added = self._add_texts(db, rows)
            db.executemany(
                "INSERT INTO grades VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(new_id,) + row for row in rows.rows],
            )
            db.execute("DELETE FROM submissions WHERE status = 'rejected' AND (path = ? OR digest = ?)",
                       (submission.path, submission.digest))
        self._texts |= added
        self.decisions += decided
        return True

    def _add_texts(self, db: sqlite3.Connection, rows: GradeRows) -> set[str]:
        """Store the texts the gradebook does not hold yet; the caller remembers them once the transaction commits."""
        if self._texts is None:
            self._texts = {row[0] for row in db.execute("SELECT hash FROM texts")}
        new = [(h, t) for h, t in rows.texts if h not in self._texts]
        db.executemany("INSERT OR IGNORE INTO texts VALUES (?, ?)", new)
        return {h for h, _ in new}

    @_sqlite_errors
    def record_rejection(self, path: str, reason: str, *, digest: str | None = None, learner: str | None = None,
                         quiz: str | None = None) -> None:
        """Record a rejected submission (the same file rejected again keeps one row); nothing if it was graded."""
        with self.transaction() as db:
            if digest and db.execute("SELECT 1 FROM submissions WHERE digest = ? AND status = 'graded'",
                                     (digest,)).fetchone():
                return
            if learner:
                db.execute("INSERT OR IGNORE INTO learners VALUES (?)", (learner,))
            db.execute(
                "INSERT INTO submissions (digest, path, learner, quiz, status, reason, recorded_at)"
                " VALUES (?, ?, ?, ?, 'rejected', ?, ?) ON CONFLICT DO UPDATE SET reason = excluded.reason,"
                " learner = excluded.learner, quiz = excluded.quiz",
                (digest, path, learner, quiz, reason, _now()),
            )

    @_sqlite_errors
    def stale_submissions(self, quiz: Quiz) -> list[tuple[int, str, dict[str, Any]]]:
        """(id, learner, answers) of the quiz's current submissions graded against an older version, by id."""
        rows = self._db.execute(
            "SELECT id, learner, answers FROM submissions WHERE quiz = ? AND status = 'graded'"
            " AND superseded_by IS NULL AND quiz_version != ? ORDER BY id", (quiz.id, quiz_version(quiz)))
        return [(i, learner, json.loads(answers)) for i, learner, answers in rows]

    @_sqlite_errors
    def regrade(self, submission_id: int, rows: GradeRows) -> None:
        """Replace a submission's current grades by ``rows`` where the question changed; old rows stay as history."""
        with self.transaction() as db:
            have = {q: v for q, v in db.execute(
                "SELECT question, version FROM grades WHERE submission = ? AND current = 1", (submission_id,))}
            added = self._add_texts(db, rows)
            asked = set()
            for partial in rows.rows:
                question, version = partial[0], partial[1]
                asked.add(question)
                if have.get(question) == version:
                    continue
                db.execute("UPDATE grades SET current = 0 WHERE submission = ? AND question = ?",
                           (submission_id, question))
                row = (submission_id,) + partial
                db.execute(
                    "INSERT INTO grades VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET"
                    " current = 1, variant = excluded.variant, score = excluded.score, max_score = excluded.max_score,"
                    " correct = excluded.correct, answer = excluded.answer, key = excluded.key,"
                    " reason = excluded.reason, feedback = excluded.feedback, evidence = excluded.evidence,"
                    " events = excluded.events", row)
            for gone in set(have) - asked:
                db.execute("UPDATE grades SET current = 0 WHERE submission = ? AND question = ?", (submission_id, gone))
            db.execute("UPDATE submissions SET score = ?, max_score = ?, quiz_version = ? WHERE id = ?",
                       (rows.score, rows.max_score, rows.quiz_version, submission_id))
        self._texts |= added

    # -- reading ------------------------------------------------------------------------------------------------------
    @_sqlite_errors
    def quizzes(self, ids: Iterable[str] | None = None) -> list[QuizRecord]:
        """The quizzes (all, or those named), sorted by id, each with its questions in order."""
        wanted = None if ids is None else set(ids)
        out = []
        for quiz, title, points in self._db.execute("SELECT quiz, title, points FROM quizzes ORDER BY quiz"):
            if wanted is not None and quiz not in wanted:
                continue
            questions = tuple(QuestionRecord(*row) for row in self._db.execute(
                "SELECT question, position, kind, points, prompt, explain FROM questions WHERE quiz = ?"
                " ORDER BY position", (quiz,)))
            out.append(QuizRecord(quiz, title, points, questions))
        return out

    @_sqlite_errors
    def learner_ids(self, quiz_ids: Iterable[str] | None = None) -> list[str]:
        """The learners with a current graded submission (of the named quizzes, or any), sorted."""
        where, args = "", []
        if quiz_ids is not None:
            args = list(quiz_ids)
            where = f" AND quiz IN ({', '.join('?' * len(args))})" if args else " AND 0"
        return [row[0] for row in self._db.execute(
            "SELECT DISTINCT learner FROM submissions WHERE status = 'graded' AND superseded_by IS NULL"
            f"{where} ORDER BY learner", args)]

    @_sqlite_errors
    def submissions(self, quiz_ids: Iterable[str] | None = None, *, history: bool = False,
                    learners: Iterable[str] | None = None, detail: bool = True,
                    learner_range: tuple[str, str] | None = None) -> list[SubmissionRecord]:
        """Graded submissions with their current grades, by learner, quiz and age; only current ones unless ``history``.

        Grades follow the quiz's question order; a question the gradebook no longer lists comes last. Without
        ``detail`` the texts (feedback, evidence, events, prompt, choices) may be left empty, for statistics.
        ``learner_range`` keeps the learners from its first to its last id, inclusive. The last answer is kept until
        anything writes the gradebook, since a run's summary, CSV and feedback ask the same question in turn.
        """
        key = tuple(None if v is None else tuple(sorted(set(v))) for v in (quiz_ids, learners))
        key += (history, learner_range)
        version = (self._writes, self._db.execute("PRAGMA data_version").fetchone()[0])
        if self._recent and self._recent[:2] == (key, version) and (self._recent[2] or not detail):
            return list(self._recent[3])
        out = self._query_submissions(key[0], key[1], history, detail, learner_range)
        self._recent = (key, version, detail, out)
        return list(out)

    def _query_submissions(self, quiz_ids: Sequence[str] | None, learners: Sequence[str] | None, history: bool,
                           detail: bool, learner_range: tuple[str, str] | None) -> list[SubmissionRecord]:
        where = ["s.status = 'graded'"]
        args: list[Any] = []
        if not history:
            where.append("s.superseded_by IS NULL")
        if learner_range is not None:
            where.append("s.learner BETWEEN ? AND ?")
            args += list(learner_range)
        for column, values in (("s.quiz", quiz_ids), ("s.learner", learners)):
            if values is not None:
                values = list(values)
                where.append(f"{column} IN ({', '.join('?' * len(values))})" if values else "0")
                args += values
        shown = "p.files, p.shuffle" if self._schema >= 2 else "NULL, NULL"
        texts = (f"g.feedback, g.evidence, g.events, p.prompt, p.setup, p.choices, s.answers, {shown}" if detail
                 else "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL")
        rows = self._db.execute(
            "SELECT s.id, s.digest, s.path, s.learner, s.quiz, s.submitted_at, s.score, s.max_score, n.digest,"
            f" g.question, g.variant, g.score, g.max_score, g.correct, g.answer, g.key, g.reason, {texts}"
            " FROM submissions s JOIN grades g ON g.submission = s.id AND g.current = 1"
            + (" LEFT JOIN variants p ON p.quiz = s.quiz AND p.question = g.question AND p.version = g.version"
               " AND p.variant = g.variant" if detail else "")
            + " LEFT JOIN submissions n ON n.id = s.superseded_by"
            " LEFT JOIN questions q ON q.quiz = s.quiz AND q.question = g.question"
            f" WHERE {' AND '.join(where)}"
            " ORDER BY s.learner, s.quiz, s.id, coalesce(q.position, 1e9), g.question", args)
        stored = dict(self._db.execute("SELECT hash, text FROM texts")) if detail else {}
        decoded: dict[str | None, Any] = {None: ()}

        def value(text: str | None) -> Any:
            # A class repeats the same answers, keys and evidence many times over: decode each text once.
            hit = decoded.get(text, decoded)
            if hit is decoded:
                hit = decoded[text] = _frozen(json.loads(text))
            return hit

        out: list[SubmissionRecord] = []
        head: tuple | None = None
        grades: list[GradeRecord] = []
        answered: tuple[str, ...] = ()
        for row in rows:
            if head is None or row[0] != head[0]:
                if head is not None:
                    out.append(SubmissionRecord(*head, tuple(grades), answered))
                head, grades = row[:9], []
                answers = json.loads(row[23]) if row[23] else {}
                answered = tuple(answers) if isinstance(answers, dict) else ()
            grades.append(GradeRecord(row[9], row[10], row[11], row[12], bool(row[13]), value(row[14]),
                                      value(row[15]), row[16], stored.get(row[17], ""), value(stored.get(row[18])),
                                      value(stored.get(row[19])), row[20] or "", value(row[21]), value(row[22]),
                                      value(row[24]), None if row[25] is None else bool(row[25])))
        if head is not None:
            out.append(SubmissionRecord(*head, tuple(grades), answered))
        return out

    def rows(self, sql: str, args: Sequence[Any] = ()) -> Iterator[tuple]:
        """The rows of a read-only query over the tables above, one at a time, so summaries and exports count and
        group in the database and stream what they write. Raises ``GradebookError`` as every method does."""
        try:
            yield from self._db.execute(sql, args)
        except sqlite3.Error as e:
            raise GradebookError(self.path, _sqlite_problem(e)) from None

    @_sqlite_errors
    def rejections(self) -> list[RejectionRecord]:
        """Rejected submissions not resolved since, by path."""
        return [RejectionRecord(*row) for row in self._db.execute(
            "SELECT path, digest, learner, quiz, reason FROM submissions WHERE status = 'rejected'"
            " ORDER BY path, digest")]

    @_sqlite_errors
    def integrity(self) -> str:
        """SQLite's own integrity check: ``ok`` for a sound file."""
        return self._db.execute("PRAGMA integrity_check").fetchone()[0]


def _readable_schema(path: str, schema: str | None) -> int:
    """The schema number a gradebook's meta says, if this imageshare reads it (this one or an older one it can
    migrate); raises ``GradebookError`` otherwise."""
    if schema is None or not schema.isascii() or not schema.isdigit() or not 1 <= int(schema) <= SCHEMA:
        raise GradebookError(path, f"has gradebook schema {schema}; this imageshare reads {SCHEMA}")
    return int(schema)


def _open_readonly(path: str) -> sqlite3.Connection:
    """The gradebook opened read-only (``mode=ro``), so exports and reports need no write access. A WAL file whose
    ``-shm`` cannot be created (a read-only directory) is opened ``immutable``: nobody can be writing it there."""
    uri = Path(os.path.abspath(path)).as_uri()
    try:
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.Error:
        pass
    try:
        db = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.Error as e:
        raise GradebookError(path, f"cannot open the gradebook: {e}") from None


def _sqlite_problem(e: sqlite3.Error) -> str:
    text = str(e)
    if "not a database" in text:
        return "is not an SQLite file (not a gradebook)"
    if "readonly" in text or "unable to open" in text:
        return f"cannot write the gradebook ({text}); check the directory's permissions"
    if "locked" in text or "busy" in text:
        return f"another run kept the gradebook locked for more than {BUSY_TIMEOUT_S:g} s ({text})"
    if "disk is full" in text or "disk I/O error" in text:
        # SQLite says "disk I/O error" when a write is refused for size (EFBIG, a quota) as well as for a bad disk.
        return (f"cannot write the gradebook ({text}); is the disk full? What was recorded before stays, and the "
                "same command finishes the run once there is room")
    return f"SQLite: {text}"
