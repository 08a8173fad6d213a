"""The gradebook: an SQLite file in WAL mode (the embedded default) or a PostgreSQL database named by a
``postgresql://`` URL (``backends``), one schema for both, written once in portable SQL.

Schema 5 (``docs/grading.md`` has the columns)::

    meta(key, value)              application, schema version, and the generation: a count of the changes made to
                                  what grades, summaries and exports read, kept by the database itself (triggers)
    quizzes(quiz, ...)            the latest definition a run loaded, with its version
    questions(quiz, question, ...) in quiz order, each with the version (a hash) it had when last loaded
    variants(quiz, question, version, variant, ...)  each variant's prompt, setup, choices and files as the learner
                                  saw them, and whether its choices were shuffled per learner
    learners(learner)
    submissions(id, digest, ...)  every submission ever recorded: graded (current, or superseded_by a newer one) or
                                  rejected (with the reason); received_at and source ('file' or 'service')
    grades(submission, question, version, current, ...)  per question; --regrade adds rows and keeps the old ones
    texts(hash, text)             feedback, evidence and event texts, each stored once: a class repeats them
    files(path, size, mtime_ns, digest)  graded files as last read, so a re-run skips what has not changed
    roster(learner, name, section, lms_id, email, position)  the course's learners, replaced whole by an import
    overrides(id, learner, quiz, question, points, comment, by_user, at)  append-only: the newest per target counts
    cache(name, generation, value)  answers computed from the tables above (a run's summary, the hash of its CSV),
                                  each valid while the generation is the one it was computed at

A gradebook records its schema version in ``meta``; opening an older one for writing upgrades it in place
(``MIGRATIONS``), and a newer one is refused. A graded submission is known by the SHA-256 of its bytes, so recording
it again changes nothing. A newer submission of the same learner and quiz supersedes the current one by one order
(``counts_over``): the later ``submitted_at``; a file without one never over a file with one; otherwise the higher
score, then the greater SHA-256. Every write transaction is the only writer (SQLite's ``BEGIN IMMEDIATE``, a
PostgreSQL advisory lock), so concurrent runs and the course service queue instead of colliding, and a kill at any
moment leaves every transaction, one submission or a ``batch`` of many, either fully recorded or absent.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from sandbox.gradebook.backends import open_backend, statements
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
SCHEMA = 5

#: Schema 1, as gradebooks were first made. A new gradebook is made of it and every migration since, so the path an
#: old file takes to today's schema is the one every gradebook takes. Portable SQL: ``{id}`` is the one column type
#: the backends spell differently, ``DOUBLE PRECISION`` is SQLite's REAL and PostgreSQL's float8.
_SCHEMA_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE quizzes (
    quiz TEXT PRIMARY KEY, title TEXT NOT NULL, path TEXT NOT NULL, points DOUBLE PRECISION NOT NULL,
    version TEXT NOT NULL);
CREATE TABLE questions (
    quiz TEXT NOT NULL REFERENCES quizzes (quiz), question TEXT NOT NULL, position INTEGER NOT NULL,
    kind TEXT NOT NULL, points DOUBLE PRECISION NOT NULL, version TEXT NOT NULL, prompt TEXT NOT NULL,
    explain TEXT NOT NULL, PRIMARY KEY (quiz, question));
CREATE TABLE variants (
    quiz TEXT NOT NULL, question TEXT NOT NULL, version TEXT NOT NULL, variant INTEGER NOT NULL, prompt TEXT NOT NULL,
    setup TEXT NOT NULL, choices TEXT NOT NULL, PRIMARY KEY (quiz, question, version, variant));
CREATE TABLE learners (learner TEXT PRIMARY KEY);
CREATE TABLE submissions (
    id {id},
    digest TEXT,
    path TEXT NOT NULL,
    learner TEXT REFERENCES learners (learner),
    quiz TEXT,
    submitted_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('graded', 'rejected')),
    reason TEXT,
    answers TEXT,
    score DOUBLE PRECISION,
    max_score DOUBLE PRECISION,
    quiz_version TEXT,
    superseded_by INTEGER REFERENCES submissions (id),
    recorded_at TEXT NOT NULL);
CREATE UNIQUE INDEX submissions_graded ON submissions (digest) WHERE status = 'graded';
CREATE UNIQUE INDEX submissions_rejected ON submissions (path, coalesce(digest, '')) WHERE status = 'rejected';
CREATE INDEX submissions_current ON submissions (learner, quiz) WHERE status = 'graded' AND superseded_by IS NULL;
CREATE TABLE texts (hash TEXT PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE grades (
    submission INTEGER NOT NULL REFERENCES submissions (id),
    question TEXT NOT NULL,
    version TEXT NOT NULL,
    current INTEGER NOT NULL,
    variant INTEGER NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    max_score DOUBLE PRECISION NOT NULL,
    correct INTEGER NOT NULL,
    answer TEXT NOT NULL,
    key TEXT NOT NULL,
    reason TEXT,
    feedback TEXT NOT NULL REFERENCES texts (hash),
    evidence TEXT NOT NULL REFERENCES texts (hash),
    events TEXT NOT NULL REFERENCES texts (hash),
    PRIMARY KEY (submission, question, version))
"""

#: Schema N -> the statements that take a schema N-1 gradebook to N, in place, in one transaction with the new
#: version in ``meta``. Only ever appended to: a gradebook made by any earlier imageshare takes the same steps.
MIGRATIONS: dict[int, str] = {
    # Feedback shows the files a learner saw and the choices in that learner's order (shuffle NULL: not known until
    # the quiz is synced again, so feedback keeps the author's order rather than guess).
    2: """
ALTER TABLE variants ADD COLUMN files TEXT NOT NULL DEFAULT '[]';
ALTER TABLE variants ADD COLUMN shuffle INTEGER
""",
    # The course service (``received_at``: its clock; ``source``: who recorded it), the roster, audited overrides,
    # and the stat of each graded file, so a re-run does not re-read what has not changed.
    3: """
ALTER TABLE submissions ADD COLUMN received_at TEXT;
ALTER TABLE submissions ADD COLUMN source TEXT NOT NULL DEFAULT 'file' CHECK (source IN ('file', 'service'));
CREATE TABLE files (path TEXT PRIMARY KEY, size BIGINT NOT NULL, mtime_ns BIGINT NOT NULL, digest TEXT NOT NULL);
CREATE TABLE roster (learner TEXT PRIMARY KEY, name TEXT NOT NULL, section TEXT NOT NULL, lms_id TEXT NOT NULL);
CREATE TABLE overrides (
    id {id},
    learner TEXT NOT NULL,
    quiz TEXT NOT NULL,
    question TEXT,
    points DOUBLE PRECISION,
    comment TEXT NOT NULL,
    by_user TEXT NOT NULL,
    at TEXT NOT NULL);
CREATE INDEX overrides_target ON overrides (learner, quiz, question)
""",
    # The roster keeps each learner's e-mail (an LMS may match on it) and the order of the imported file.
    4: """
ALTER TABLE roster ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE roster ADD COLUMN position INTEGER NOT NULL DEFAULT 0
""",
    # The generation (counted by the triggers of ``COUNTED``) and what was computed at one: a re-run that changes
    # nothing prints its summary and keeps its CSV without reading every grade again.
    5: """
INSERT INTO meta VALUES ('generation', '0');
CREATE TABLE cache (name TEXT PRIMARY KEY, generation BIGINT NOT NULL, value TEXT NOT NULL)
""",
}

#: The tables whose changes add to the generation, and which changes (schema 5 on). Any writer counts, this code or
#: an instructor's own SQL, since the database counts them. Not ``meta``, ``cache``, ``files`` (which files a run
#: read), ``learners`` and ``texts`` (only ever added with a submission row, which counts), nor grades added: a
#: grade row is only inserted with its submission (``record``) or beside the one whose ``current`` it clears
#: (``regrade``), both of which count; counting each of a class's many grade rows would slow grading measurably.
COUNTED: dict[str, tuple[str, ...]] = {
    "quizzes": ("INSERT", "UPDATE", "DELETE"), "questions": ("INSERT", "UPDATE", "DELETE"),
    "variants": ("INSERT", "UPDATE", "DELETE"), "submissions": ("INSERT", "UPDATE", "DELETE"),
    "grades": ("UPDATE", "DELETE"), "roster": ("INSERT", "UPDATE", "DELETE"),
    "overrides": ("INSERT", "UPDATE", "DELETE"),
}
#: Migration steps that also add the backend's counting triggers (their syntax is each database's own).
COUNTING_FROM = 5


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
    #: ``question_version`` of the definition last loaded: a quiz file read later is the same question if it matches.
    version: str = ""


@dataclass(frozen=True)
class QuizRecord:
    """One quiz as the gradebook last saw it, with its questions in order."""

    quiz: str
    title: str
    points: float
    questions: tuple[QuestionRecord, ...]
    #: The quiz file as the grading run named it (relative to where that run started).
    path: str = ""


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
    #: The course service's clock when it received the submission (UTC text); None for a file graded by a run.
    received_at: str | None = None
    #: ``file`` (graded from a file by ``imageshare grade``) or ``service`` (received by the course service).
    source: str = "file"

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
class RosterRecord:
    """One learner of the course's roster: the id they log in with, their name, section, LMS id and e-mail (``""``
    when the roster does not say)."""

    learner: str
    name: str = ""
    section: str = ""
    lms_id: str = ""
    email: str = ""


@dataclass(frozen=True)
class OverrideRecord:
    """An instructor's score override, kept forever: a newer one for the same learner, quiz and question supersedes
    it, none is ever edited. ``question`` None overrides the whole quiz's score; ``points`` None withdraws the
    overrides before it (the graded score counts again). ``at`` is the gradebook's clock when it was added."""

    id: int
    learner: str
    quiz: str
    question: str | None
    points: float | None
    comment: str
    by_user: str
    at: str


@dataclass(frozen=True)
class KnownFile:
    """What the gradebook recorded of a graded submission file: its size and modification time (ns) when read,
    and the digest of its bytes."""

    size: int
    mtime_ns: int
    digest: str


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


def _database_errors(method: Callable) -> Callable:
    """A gradebook method whose database failures (a corrupt file, a full disk, a lost connection) raise
    ``GradebookError``."""

    @functools.wraps(method)
    def wrapper(self: Gradebook, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except self._backend.errors as e:
            raise GradebookError(self.path, self._backend.problem(e)) from None

    return wrapper


class Gradebook:
    """An open gradebook: an SQLite file, or a PostgreSQL database when ``location`` is a ``postgresql://`` URL.
    Raises ``GradebookError`` when it cannot be created, opened or written.

    ``create=False`` opens only an existing gradebook (for exports and reports); ``readonly`` never writes, not even
    a migration. ``path`` is the location as messages name it (a URL's password hidden).
    """

    def __init__(self, location: str | os.PathLike, *, create: bool = True, readonly: bool = False) -> None:
        self._writes = 0
        #: The schema the open gradebook has: this one once opened for writing (it is migrated), maybe older
        #: read-only, whose reader reads what it lacks as unknown or empty.
        self._schema = SCHEMA
        self._recent: tuple = ()
        self._texts: set[str] | None = None
        self._learners: set[str] | None = None
        self._depth = 0
        self._after_commit: list[Callable[[], None]] = []
        #: Where a rule other than time decided which of a learner's submissions counts (``record`` appends).
        self.decisions: list[Decision] = []
        #: Where the gradebook is, for opening it again in another process (a URL keeps its password).
        self.location = str(location)
        self._backend = open_backend(location, create=create, readonly=readonly)
        self.readonly = readonly
        self.path = self._backend.location
        self._db = self._backend.db
        try:
            if readonly:
                self._check_readable()
            else:
                self._ensure_schema(create)
        except self._backend.errors as e:
            self._backend.close()
            raise GradebookError(self.path, self._backend.problem(e)) from None
        except GradebookError:
            self._backend.close()
            raise

    @property
    def backend(self) -> str:
        """``SQLite`` or ``PostgreSQL``."""
        return self._backend.name

    def _schema_of(self, tables: set[str], *, create: bool) -> int | None:
        """The schema version the database holds, ``None`` for an empty one; raises ``GradebookError`` for a database
        that is not a gradebook, one that is not there (``create=False``), or a newer schema than this code knows."""
        if "meta" not in tables:
            if tables:
                raise GradebookError(self.path, self._not_a_gradebook())
            if not create:
                raise GradebookError(self.path, "no gradebook here ('imageshare grade --db ...' creates one)")
            return None
        meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("application") != APPLICATION:
            raise GradebookError(self.path, self._not_a_gradebook())
        version = meta.get("schema", "")
        if not version.isascii() or not version.isdigit() or not 1 <= int(version) <= SCHEMA:
            raise GradebookError(self.path, f"has gradebook schema {version}, newer than this imageshare reads "
                                            f"({SCHEMA}); upgrade imageshare to open it")
        return int(version)

    def _not_a_gradebook(self) -> str:
        article = "an" if self.backend == "SQLite" else "a"
        return f"is {article} {self.backend} {'file' if self.backend == 'SQLite' else 'database'}, but not an imageshare gradebook"

    def _check_readable(self) -> None:
        """Raise ``GradebookError`` unless the database is a gradebook of this schema or an older one (read-only:
        nothing is created or migrated)."""
        self._schema = self._schema_of(self._backend.tables(), create=False) or SCHEMA

    def _ensure_schema(self, create: bool) -> None:
        """Create the schema in an empty database, or upgrade an older one in place, in one write transaction (so
        two runs that open a new gradebook at once queue, and the second finds it made)."""
        with self.transaction() as db:
            version = self._schema_of(self._backend.tables(), create=create)
            if version == SCHEMA:
                return
            if version is None:
                for statement in statements(_SCHEMA_1):
                    db.execute(self._backend.ddl(statement))
                db.executemany("INSERT INTO meta VALUES (?, ?)", [("application", APPLICATION), ("schema", "1")])
                version = 1
            for step in range(version + 1, SCHEMA + 1):
                for statement in statements(MIGRATIONS[step]):
                    db.execute(self._backend.ddl(statement))
                if step == COUNTING_FROM:
                    for statement in self._backend.counting_triggers(COUNTED):
                        db.execute(statement)
            db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA),))

    def close(self) -> None:
        """Close the gradebook (an SQLite file's WAL contents stay valid; the next open reads them)."""
        self._backend.close()

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """One write transaction: all or nothing, and no other writer meanwhile (SQLite's ``BEGIN IMMEDIATE``,
        PostgreSQL's advisory lock). Nested in another, it is part of that one."""
        if self._depth:
            self._depth += 1
            try:
                yield self._db
            finally:
                self._depth -= 1
            return
        try:
            self._backend.begin_write()
        except self._backend.errors as e:
            self._rollback()
            raise GradebookError(self.path, self._backend.problem(e)) from None
        self._depth = 1
        try:
            yield self._db
            self._backend.commit()
        except self._backend.errors as e:  # a full disk, a file removed underneath: the gradebook's problem
            self._rollback()
            raise GradebookError(self.path, self._backend.problem(e)) from None
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth = 0
        self._writes += 1
        done, self._after_commit = self._after_commit, []
        for hook in done:
            hook()

    def batch(self) -> Any:
        """One transaction around many ``record``/``record_rejection``/``remember_files`` calls: a class is written
        with one commit per batch instead of one per submission. Nothing in it is recorded until the block ends
        (a kill before that loses the whole batch, none of the gradebook); only then may the caller report its
        submissions as recorded."""
        return self.transaction()

    def _rollback(self) -> None:
        self._after_commit, self._texts, self._learners = [], None, None
        try:
            self._backend.rollback()
        except self._backend.errors:  # the connection is gone; the database has rolled back by itself
            pass

    def _on_commit(self, hook: Callable[[], None]) -> None:
        """Run ``hook`` once the open transaction commits (in-memory state that must not outlive a rollback)."""
        self._after_commit.append(hook)

    # -- writing ------------------------------------------------------------------------------------------------------
    @_database_errors
    def sync_quizzes(self, quizzes: Sequence[Quiz]) -> list[StaleQuiz]:
        """Record the quizzes' current definitions; returns those whose changes left graded submissions stale."""
        with self.transaction() as db:
            for quiz in quizzes:
                quiz_row = (quiz.id, quiz.title, str(quiz.path), float(quiz.points), quiz_version(quiz))
                question_rows = [(quiz.id, q.id, i, q.kind, float(q.points), question_version(q), q.prompt,
                                  q.explain.strip()) for i, q in enumerate(quiz.questions)]
                variant_rows = [(quiz.id, q.id, question_version(q), v, r.prompt,
                                 json.dumps([c.shown(r.host) for c in r.setup], ensure_ascii=False),
                                 json.dumps([[c.key, c.text] for c in r.choices], ensure_ascii=False),
                                 json.dumps([list(f) for f in r.files], ensure_ascii=False), int(r.shuffle))
                                for q in quiz.questions for v in range(variant_count(q)) for r in (resolve(q, v),)]
                if self._synced(quiz_row, question_rows, variant_rows):
                    continue  # written by an earlier run: writing it again would only count as a change
                db.execute(
                    "INSERT INTO quizzes VALUES (?, ?, ?, ?, ?) ON CONFLICT (quiz) DO UPDATE SET"
                    " title = excluded.title, path = excluded.path, points = excluded.points,"
                    " version = excluded.version", quiz_row)
                db.execute("DELETE FROM questions WHERE quiz = ?", (quiz.id,))
                db.executemany("INSERT INTO questions VALUES (?, ?, ?, ?, ?, ?, ?, ?)", question_rows)
                db.executemany(
                    "INSERT INTO variants VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (quiz, question, version, variant)"
                    " DO UPDATE SET files = excluded.files, shuffle = excluded.shuffle", variant_rows)
        return [s for s in (self._stale(q) for q in quizzes) if s.count]

    def _synced(self, quiz_row: tuple, question_rows: list[tuple], variant_rows: list[tuple]) -> bool:
        """True when the gradebook already holds exactly these rows of a quiz (so syncing it would change nothing)."""
        db, quiz = self._db, quiz_row[0]
        if db.execute("SELECT quiz, title, path, points, version FROM quizzes WHERE quiz = ?",
                      (quiz,)).fetchall() != [quiz_row]:
            return False
        if db.execute("SELECT quiz, question, position, kind, points, version, prompt, explain FROM questions"
                      " WHERE quiz = ? ORDER BY position", (quiz,)).fetchall() != question_rows:
            return False
        stored = set(db.execute("SELECT quiz, question, version, variant, prompt, setup, choices, files, shuffle"
                                " FROM variants WHERE quiz = ?", (quiz,)).fetchall())
        return stored.issuperset(variant_rows)

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

    @_database_errors
    def graded_digests(self) -> set[str]:
        """The digests of every graded submission (a run skips files it finds here)."""
        return {row[0] for row in self._db.execute("SELECT digest FROM submissions WHERE status = 'graded'")}

    @_database_errors
    def record(self, submission: Submission, rows: GradeRows, *, received_at: str | None = None) -> bool:
        """Record a graded submission and its grades (``grade_rows``) in one transaction (or the open ``batch``);
        False if its digest is already recorded.

        The newer of it and the learner's current submission of the quiz stays current; the other is superseded.
        A rejection of the same file (by path or digest) is resolved and dropped. ``received_at`` is the course
        service's clock when it received the submission (UTC text); given, the submission's ``source`` is
        ``service``, else ``file``.
        """
        decided: list[Decision] = []
        source = "file" if received_at is None else "service"
        with self.transaction() as db:
            # One query for both questions (is it recorded? which submission counts now?): on PostgreSQL each
            # statement is a round trip.
            found = db.execute(
                "SELECT id, submitted_at, score, digest, path, 1 FROM submissions WHERE digest = ? AND status = 'graded'"
                " UNION ALL SELECT id, submitted_at, score, digest, path, 0 FROM submissions WHERE learner = ?"
                " AND quiz = ? AND status = 'graded' AND superseded_by IS NULL",
                (submission.digest, submission.learner, submission.quiz_id)).fetchall()
            if any(row[5] for row in found):
                return False
            current = found[0][:5] if found else None
            self._add_learner(db, submission.learner)
            new_id = db.execute(
                "INSERT INTO submissions (digest, path, learner, quiz, submitted_at, status, answers, score, max_score,"
                " quiz_version, recorded_at, received_at, source)"
                " VALUES (?, ?, ?, ?, ?, 'graded', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (submission.digest, submission.path, submission.learner, submission.quiz_id, submission.submitted_at,
                 json.dumps({k: list(v) if isinstance(v, tuple) else v for k, v in submission.answers},
                            ensure_ascii=False),
                 rows.score, rows.max_score, rows.quiz_version, _now(), received_at, source),
            ).fetchone()[0]
            if current is not None:
                old_id, old_at, old_score, old_digest, old_path = current
                new = (instant(submission.submitted_at), rows.score, submission.digest)
                kept_new, rule = counts_over(new, (instant(old_at), old_score, old_digest))
                loser, winner = (old_id, new_id) if kept_new else (new_id, old_id)
                db.execute("UPDATE submissions SET superseded_by = ? WHERE id = ?", (winner, loser))
                if rule is not None:
                    kept, other = (submission.path, old_path) if kept_new else (old_path, submission.path)
                    decided.append(Decision(submission.learner, submission.quiz_id, kept, other, rule))
            self.add_texts(rows.texts)
            db.executemany(
                "INSERT INTO grades VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(new_id,) + row for row in rows.rows],
            )
            db.execute("DELETE FROM submissions WHERE status = 'rejected' AND (path = ? OR digest = ?)",
                       (submission.path, submission.digest))
            if decided:
                self._on_commit(lambda: self.decisions.extend(decided))
        return True

    def _add_learner(self, db: Any, learner: str) -> None:
        """Add ``learner`` unless this connection knows the gradebook holds them (no learner is ever removed)."""
        if self._learners is None:
            self._learners = {row[0] for row in db.execute("SELECT learner FROM learners")}
        if learner not in self._learners:
            db.execute("INSERT INTO learners VALUES (?) ON CONFLICT DO NOTHING", (learner,))
            self._learners.add(learner)

    @_database_errors
    def add_texts(self, texts: Iterable[tuple[str, str]]) -> None:
        """Store the (hash, text) pairs the gradebook does not hold yet, in the open transaction or one of their own
        (a rollback forgets what this connection believes it holds, so nothing is believed stored that was not
        committed)."""
        with self.transaction() as db:
            if self._texts is None:
                self._texts = {row[0] for row in db.execute("SELECT hash FROM texts")}
            new = [(h, t) for h, t in texts if h not in self._texts]
            db.executemany("INSERT INTO texts VALUES (?, ?) ON CONFLICT DO NOTHING", new)
            self._texts.update(h for h, _ in new)

    @_database_errors
    def record_rejection(self, path: str, reason: str, *, digest: str | None = None, learner: str | None = None,
                         quiz: str | None = None) -> None:
        """Record a rejected submission (the same file rejected again keeps one row); nothing if it was graded."""
        with self.transaction() as db:
            if digest and db.execute("SELECT 1 FROM submissions WHERE digest = ? AND status = 'graded'",
                                     (digest,)).fetchone():
                return
            if learner:
                self._add_learner(db, learner)
            db.execute(
                "INSERT INTO submissions (digest, path, learner, quiz, status, reason, recorded_at)"
                " VALUES (?, ?, ?, ?, 'rejected', ?, ?) ON CONFLICT (path, coalesce(digest, '')) WHERE status = 'rejected'"
                " DO UPDATE SET reason = excluded.reason,"
                " learner = excluded.learner, quiz = excluded.quiz"
                # the same rejection again changes nothing, so it counts as no change (``COUNTED``)
                " WHERE NOT (submissions.reason = excluded.reason AND coalesce(submissions.learner, '') ="
                " coalesce(excluded.learner, '') AND coalesce(submissions.quiz, '') = coalesce(excluded.quiz, ''))",
                (digest, path, learner, quiz, reason, _now()),
            )

    @_database_errors
    def stale_submissions(self, quiz: Quiz) -> list[tuple[int, str, dict[str, Any]]]:
        """(id, learner, answers) of the quiz's current submissions graded against an older version, by id."""
        rows = self._db.execute(
            "SELECT id, learner, answers FROM submissions WHERE quiz = ? AND status = 'graded'"
            " AND superseded_by IS NULL AND quiz_version != ? ORDER BY id", (quiz.id, quiz_version(quiz)))
        return [(i, learner, json.loads(answers)) for i, learner, answers in rows]

    @_database_errors
    def regrade(self, submission_id: int, rows: GradeRows) -> None:
        """Replace a submission's current grades by ``rows`` where the question changed; old rows stay as history."""
        with self.transaction() as db:
            have = {q: v for q, v in db.execute(
                "SELECT question, version FROM grades WHERE submission = ? AND current = 1", (submission_id,))}
            self.add_texts(rows.texts)
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
                    "INSERT INTO grades VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (submission, question, version) DO UPDATE SET"
                    " current = 1, variant = excluded.variant, score = excluded.score, max_score = excluded.max_score,"
                    " correct = excluded.correct, answer = excluded.answer, key = excluded.key,"
                    " reason = excluded.reason, feedback = excluded.feedback, evidence = excluded.evidence,"
                    " events = excluded.events", row)
            for gone in set(have) - asked:
                db.execute("UPDATE grades SET current = 0 WHERE submission = ? AND question = ?", (submission_id, gone))
            db.execute("UPDATE submissions SET score = ?, max_score = ?, quiz_version = ? WHERE id = ?",
                       (rows.score, rows.max_score, rows.quiz_version, submission_id))

    @_database_errors
    def remember_files(self, files: Iterable[tuple[str, int, int, str]]) -> None:
        """Record (path, size, mtime_ns, digest) of submission files whose bytes are graded, so a later run that finds
        the same path, size and mtime need not read them (``known_files``). Callers pass the stat taken when the
        bytes were read, and leave out a file modified too recently to trust its mtime (``settled``)."""
        with self.transaction() as db:
            db.executemany("INSERT INTO files VALUES (?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET size = excluded.size,"
                           " mtime_ns = excluded.mtime_ns, digest = excluded.digest", list(files))

    @_database_errors
    def set_roster(self, entries: Iterable[RosterRecord]) -> None:
        """Replace the roster with ``entries`` (kept in their order), atomically (a reader sees the old roster or the
        new one, whole).
        Raises ``ValueError`` for a learner listed twice or an empty learner id."""
        entries = list(entries)
        seen: set[str] = set()
        for entry in entries:
            if not entry.learner:
                raise ValueError("a roster entry needs a learner id")
            if entry.learner in seen:
                raise ValueError(f"learner {entry.learner!r} is on the roster twice")
            seen.add(entry.learner)
        with self.transaction() as db:
            db.execute("DELETE FROM roster")
            db.executemany("INSERT INTO roster (learner, name, section, lms_id, email, position)"
                           " VALUES (?, ?, ?, ?, ?, ?)",
                           [(e.learner, e.name, e.section, e.lms_id, e.email, i) for i, e in enumerate(entries)])

    @_database_errors
    def add_override(self, learner: str, quiz: str, question: str | None, points: float | None, comment: str,
                     by_user: str) -> OverrideRecord:
        """Add an override of ``learner``'s score on ``quiz`` (``question`` None: the whole quiz) by ``by_user``,
        timed by the gradebook's clock; it supersedes earlier ones for the same target, which stay as history.
        ``points`` None withdraws them. Raises ``ValueError`` for points that are not a finite number of at least
        0, or an empty learner, quiz or ``by_user``."""
        if points is not None:
            if isinstance(points, bool) or not isinstance(points, (int, float)) or not math.isfinite(points) \
                    or points < 0:
                raise ValueError(f"override points must be a finite number of at least 0, not {points!r}")
            points = float(points)
        for what, value in (("learner", learner), ("quiz", quiz), ("by_user", by_user)):
            if not value:
                raise ValueError(f"an override needs a {what}")
        at = _now()
        with self.transaction() as db:
            new_id = db.execute(
                "INSERT INTO overrides (learner, quiz, question, points, comment, by_user, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (learner, quiz, question, points, comment, by_user, at)).fetchone()[0]
        return OverrideRecord(new_id, learner, quiz, question, points, comment, by_user, at)

    # -- what was computed at a generation ----------------------------------------------------------------------------
    @_database_errors
    def generation(self) -> int | None:
        """How many changes the database has counted in the tables of ``COUNTED``; None for a gradebook older than
        schema 5 opened read-only, which does not count them (nothing computed from it may be reused)."""
        if self._schema < COUNTING_FROM:
            return None
        row = self._db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row is not None else None

    @_database_errors
    def cached(self, name: str, generation: int | None) -> str | None:
        """What ``keep`` kept under ``name`` at ``generation`` (None when it was not, or at another generation)."""
        if generation is None:
            return None
        row = self._db.execute("SELECT value FROM cache WHERE name = ? AND generation = ?",
                               (name, generation)).fetchone()
        return row[0] if row is not None else None

    @_database_errors
    def keep(self, name: str, generation: int | None, value: str) -> None:
        """Keep ``value``, computed from the gradebook as it was at ``generation`` (read before computing it), for
        ``cached``; nothing when the gradebook changed since or is read-only. What an older generation kept goes:
        it can never be read again."""
        if generation is None or self.readonly:
            return
        with self.transaction() as db:
            if self.generation() != generation:
                return
            db.execute("DELETE FROM cache WHERE generation <> ?", (generation,))
            db.execute("INSERT INTO cache VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                       " generation = excluded.generation, value = excluded.value", (name, generation, value))

    # -- reading ------------------------------------------------------------------------------------------------------
    @_database_errors
    def known_files(self) -> dict[str, KnownFile]:
        """Path -> what was recorded of each graded submission file read there (``remember_files``)."""
        if self._schema < 3:
            return {}
        return {path: KnownFile(size, mtime_ns, digest)
                for path, size, mtime_ns, digest in self._db.execute("SELECT path, size, mtime_ns, digest FROM files")}

    @_database_errors
    def roster(self) -> list[RosterRecord]:
        """The roster, in the order it was imported."""
        if self._schema < 3:
            return []
        email = "email" if self._schema >= 4 else "''"
        order = "position, learner" if self._schema >= 4 else "learner"
        return [RosterRecord(*row) for row in self._db.execute(
            f"SELECT learner, name, section, lms_id, {email} FROM roster ORDER BY {order}")]

    @_database_errors
    def overrides(self, quiz_ids: Iterable[str] | None = None, *, history: bool = False) -> list[OverrideRecord]:
        """The overrides in force (the newest per learner, quiz and question, unless it withdrew), or with
        ``history`` every override ever added; by learner, quiz, question (the whole quiz first), then age."""
        if self._schema < 3:
            return []
        where, args = [], []
        if quiz_ids is not None:
            args = list(quiz_ids)
            where.append(f"o.quiz IN ({', '.join('?' * len(args))})" if args else "1 = 0")
        if not history:
            where.append("o.points IS NOT NULL AND NOT EXISTS (SELECT 1 FROM overrides n WHERE n.learner = o.learner"
                         " AND n.quiz = o.quiz AND coalesce(n.question, '') = coalesce(o.question, '')"
                         " AND n.id > o.id)")
        return [OverrideRecord(*row) for row in self._db.execute(
            "SELECT o.id, o.learner, o.quiz, o.question, o.points, o.comment, o.by_user, o.at FROM overrides o"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + " ORDER BY o.learner, o.quiz, o.question IS NOT NULL, o.question, o.id", args)]


    @_database_errors
    def quizzes(self, ids: Iterable[str] | None = None) -> list[QuizRecord]:
        """The quizzes (all, or those named), sorted by id, each with its questions in order."""
        wanted = None if ids is None else set(ids)
        out = []
        for quiz, title, points, path in self._db.execute(
                "SELECT quiz, title, points, path FROM quizzes ORDER BY quiz"):
            if wanted is not None and quiz not in wanted:
                continue
            questions = tuple(QuestionRecord(*row) for row in self._db.execute(
                "SELECT question, position, kind, points, prompt, explain, version FROM questions WHERE quiz = ?"
                " ORDER BY position", (quiz,)))
            out.append(QuizRecord(quiz, title, points, questions, path))
        return out

    @_database_errors
    def learner_ids(self, quiz_ids: Iterable[str] | None = None) -> list[str]:
        """The learners with a current graded submission (of the named quizzes, or any), sorted."""
        where, args = "", []
        if quiz_ids is not None:
            args = list(quiz_ids)
            where = f" AND quiz IN ({', '.join('?' * len(args))})" if args else " AND 1 = 0"
        return [row[0] for row in self._db.execute(
            "SELECT DISTINCT learner FROM submissions WHERE status = 'graded' AND superseded_by IS NULL"
            f"{where} ORDER BY learner", args)]

    @_database_errors
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
        version = (self._writes, self._backend.data_version())
        if version[1] is not None and self._recent and self._recent[:2] == (key, version) and (self._recent[2] or not detail):
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
                where.append(f"{column} IN ({', '.join('?' * len(values))})" if values else "1 = 0")
                args += values
        shown = "p.files, p.shuffle" if self._schema >= 2 else "NULL, NULL"
        texts = (f"g.feedback, g.evidence, g.events, p.prompt, p.setup, p.choices, s.answers, {shown}" if detail
                 else "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL")
        course = "s.received_at, s.source" if self._schema >= 3 else "NULL, 'file'"
        rows = self._db.execute(
            "SELECT s.id, s.digest, s.path, s.learner, s.quiz, s.submitted_at, s.score, s.max_score, n.digest,"
            f" g.question, g.variant, g.score, g.max_score, g.correct, g.answer, g.key, g.reason, {texts}, {course}"
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
        tail: tuple = ()
        grades: list[GradeRecord] = []
        answered: tuple[str, ...] = ()
        for row in rows:
            if head is None or row[0] != head[0]:
                if head is not None:
                    out.append(SubmissionRecord(*head, tuple(grades), answered, *tail))
                head, tail, grades = row[:9], row[26:28], []
                answers = json.loads(row[23]) if row[23] else {}
                answered = tuple(answers) if isinstance(answers, dict) else ()
            grades.append(GradeRecord(row[9], row[10], row[11], row[12], bool(row[13]), value(row[14]),
                                      value(row[15]), row[16], stored.get(row[17], ""), value(stored.get(row[18])),
                                      value(stored.get(row[19])), row[20] or "", value(row[21]), value(row[22]),
                                      value(row[24]), None if row[25] is None else bool(row[25])))
        if head is not None:
            out.append(SubmissionRecord(*head, tuple(grades), answered, *tail))
        return out

    def rows(self, sql: str, args: Sequence[Any] = ()) -> Iterator[tuple]:
        """The rows of a read-only query over the tables above (portable SQL, ``?`` placeholders), one at a time, so
        summaries and exports count and group in the database and stream what they write. Raises
        ``GradebookError`` as every method does."""
        try:
            yield from self._backend.stream(sql, args)
        except self._backend.errors as e:
            raise GradebookError(self.path, self._backend.problem(e)) from None

    @_database_errors
    def rejections(self) -> list[RejectionRecord]:
        """Rejected submissions not resolved since, by path."""
        return [RejectionRecord(*row) for row in self._db.execute(
            "SELECT path, digest, learner, quiz, reason FROM submissions WHERE status = 'rejected'"
            " ORDER BY path, digest")]

    @_database_errors
    def integrity(self) -> str:
        """The database's own integrity check (SQLite's ``PRAGMA integrity_check``): ``ok`` for a sound gradebook."""
        return self._backend.integrity()
