"""Grading a batch: read, judge and grade each file in N worker processes, record it.

The main process lists the files, hands their paths out and is the only one that writes the gradebook, in the order
the files were named; workers read, hash, parse and grade, each loading the quizzes and building one ``Grader``
(with its replay caches and its memo of grades) once, so the work per file scales with ``jobs``. Each submission is
graded under `Limits` (wall clock, memory): one that overruns is recorded as not graded, naming the limit, and its
worker is replaced, so no answer can stall the class. Grading is pure and the order of writes is fixed, so
``jobs=N`` records exactly what ``jobs=1`` records. A file whose bytes are already graded is skipped before it is
parsed, which is what lets an interrupted run simply be run again; of two files with the same bytes in one run, the
first named counts and the other is unchanged. A file whose path, size and modification time match what the gradebook
recorded when it graded those bytes is not even read (``Gradebook.known_files``).

Results are recorded a batch at a time (``BATCH`` submissions, or what arrived within ``BATCH_SECONDS``), each batch
one transaction, and only then reported (progress, counts): what a run reports as recorded is committed, a kill loses
at most the batch not yet committed, and running the same command again grades it.
"""

from __future__ import annotations

import itertools
import os
import stat
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator, Sequence

from sandbox.gradebook.errors import SubmissionRejected
from sandbox.workers import BoundedPool, Limits, Overran, context
from sandbox.gradebook.store import Decision, Gradebook, GradeRows, StaleQuiz, grade_rows, versions_of
from sandbox.gradebook.submissions import Submission, instant, parse_submission, read_file, utc_text
from sandbox.quiz import Grader, Quiz
from sandbox.quiz.memo import GradeMemo
from sandbox.quiz.model import Grade

@dataclass(frozen=True)
class Rejection:
    """A submission that was not graded (a value, so it crosses process boundaries; see ``SubmissionRejected``)."""

    path: str
    reason: str
    digest: str | None = None
    learner: str | None = None
    quiz: str | None = None

    @classmethod
    def of(cls, e: SubmissionRejected) -> Rejection:
        """The rejection an error describes."""
        return cls(e.path, e.reason, e.digest, e.learner, e.quiz)


@dataclass(frozen=True)
class Unchanged:
    """A file whose bytes the gradebook already holds (or that this run already met under another name)."""

    path: str
    digest: str | None = None
    #: (size, mtime_ns) of the file when it was read, if settled enough to be trusted next time (``settled``).
    stat: tuple[int, int] | None = None


@dataclass(frozen=True)
class Graded:
    """A submission and its grades, in quiz order, as the gradebook stores them."""

    submission: Submission
    rows: GradeRows
    stat: tuple[int, int] | None = None


#: A file modified less than this long before it was read may change again within the same mtime (a coarse clock,
#: FAT's 2 s): its size and mtime are not recorded, so the next run reads it ("racily clean", as git calls it).
SETTLE_NS = 2_000_000_000
#: Submissions recorded per transaction, and the longest a graded submission waits for its batch to be committed.
BATCH = 64
BATCH_SECONDS = 0.25


def settled(path: str) -> tuple[int, int] | None:
    """(size, mtime_ns) of the regular file at ``path`` (not following a symbolic link), or None when it is not one
    or was modified within ``SETTLE_NS`` of now, too recently to vouch for its bytes next time."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_mtime_ns > time.time_ns() - SETTLE_NS:
        return None
    return info.st_size, info.st_mtime_ns


@dataclass(frozen=True)
class Regraded:
    """New grades for a stored submission whose quiz changed."""

    submission_id: int
    rows: GradeRows


@dataclass(frozen=True)
class Progress:
    """What the run has done so far; ``rejection`` is set when the item just finished was rejected."""

    done: int
    total: int
    phase: str
    rejection: Rejection | None = None


@dataclass
class RunReport:
    """What one run did: counts, rejections in file order, and quizzes left stale (changed, no ``--regrade``)."""

    files: int = 0
    graded: int = 0
    unchanged: int = 0
    regraded: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    stale: list[StaleQuiz] = field(default_factory=list)
    #: Problems of the quizzes themselves (a key the replay decides differently from the author, an ambiguous
    #: question): grading goes on with the replay's key, but the instructor should know.
    problems: list[str] = field(default_factory=list)
    interrupted: bool = False
    #: When this run started (UTC), and the graded files that say they were submitted later than that.
    started: str = ""
    future: list[tuple[str, str]] = field(default_factory=list)
    #: Where a rule other than time decided which of a learner's submissions counts.
    decisions: list[Decision] = field(default_factory=list)
    #: Submissions not graded because they passed a limit (or their worker died): each is also in ``rejected``,
    #: or, for a stored submission being re-graded, in ``not_regraded`` (its stored grades stay).
    overran: int = 0
    not_regraded: list[str] = field(default_factory=list)
    #: (path, note) for each answer to a question the quiz does not have: the rest of the submission was graded.
    unknown: list[tuple[str, str]] = field(default_factory=list)


#: Grades whose gradebook rows a worker keeps (the grader's memo hands the same Grade back for a repeated answer).
ROWS_KEPT = 16384
#: The share of a worker's memory limit its memo of grades may hold: the memo lives as long as the worker, and what
#: it holds must never be what pushes a submission past the limit (the rows kept hold about as much again).
MEMO_SHARE = 8


class Worker:
    """What each grading process holds: the quizzes by id, their versions, one shared ``Grader``, the digests the
    gradebook already holds, and the rows of the grades it gave last."""

    def __init__(self, quizzes: Sequence[Quiz], graded: frozenset[str] = frozenset(),
                 memory: int = Limits.memory, *, texts_once: bool = False) -> None:
        self.quizzes = {q.id: q for q in quizzes}
        self.versions = {q.id: versions_of(q) for q in quizzes}
        self.grader = Grader(memo=GradeMemo(size=min(GradeMemo.size, memory // MEMO_SHARE)))
        self.graded = graded
        self._rows: dict[int, tuple[Grade, GradeRows]] = {}
        #: With ``texts_once``, the hashes of the texts this worker has sent: a class repeats the same texts in
        #: thousands of results, and ``run`` stores every text of every result it receives, so each is sent once.
        self.texts_sent: set[str] | None = set() if texts_once else None

    def check(self, item: tuple[str, str]) -> list[str]:
        """Replay one question's setup and key for every variant (``item`` is quiz id, question id); returns what
        ``imageshare quiz check`` would flag, one ``FILE:LINE: QUESTION: problem`` line each."""
        quiz_id, question_id = item
        return [f"{f.path}:{_line(problem, f.line)}: {f.question_id}: {problem}"
                for f in self.grader.check(self.quizzes[quiz_id], only=question_id) for problem in f.problems]

    def grade(self, path: str) -> Graded | Rejection | Unchanged:
        """Read, hash, judge and grade the file at ``path``; a file the gradebook already holds is not parsed."""
        # Taken before reading: if the file changes meanwhile, the next run finds another mtime and reads it again.
        info = settled(path)
        try:
            data, digest = read_file(path)
        except SubmissionRejected as e:
            return Rejection.of(e)
        if digest in self.graded:
            return Unchanged(path, digest, info)
        result = self.grade_bytes(path, data, digest)
        return replace(result, stat=info) if isinstance(result, Graded) and info is not None else result

    def grade_bytes(self, path: str, data: bytes, digest: str) -> Graded | Rejection:
        """Judge and grade a submission's bytes (read from ``path``, or received by the course service)."""
        try:
            submission = parse_submission(data, path, self.quizzes, digest)
            quiz = self.quizzes[submission.quiz_id]
            result = self.grader.grade_quiz(quiz, submission.answer_map(), learner=submission.learner)
            rows = self.rows(result.grades, self.versions[quiz.id])
            if self.texts_sent is not None:
                rows = replace(rows, texts=tuple(t for t in rows.texts if t[0] not in self.texts_sent))
                self.texts_sent.update(h for h, _ in rows.texts)
        except SubmissionRejected as e:
            return Rejection.of(e)
        except MemoryError:  # past the worker's memory limit: the pool says so, and replaces the worker
            raise
        except Exception as e:  # a grader bug must cost this submission only, and say so
            return Rejection(path, f"not graded: the grader failed ({type(e).__name__}: {e}); please report this",
                             digest)
        return Graded(submission, rows)

    def rows(self, grades: Sequence[Grade], versions: dict[str, str]) -> GradeRows:
        """``grade_rows`` of ``grades``, each grade's row built once while the grader hands the same Grade back."""
        parts = []
        for g in grades:
            hit = self._rows.get(id(g))
            if hit is None or hit[0] is not g:
                if len(self._rows) >= ROWS_KEPT:
                    self._rows.clear()
                hit = self._rows[id(g)] = (g, grade_rows((g,), versions))
            parts.append(hit[1])
        texts = dict(t for part in parts for t in part.texts)
        return GradeRows(tuple(part.rows[0] for part in parts), round(sum(g.score for g in grades), 4),
                         round(sum(g.max_score for g in grades), 4), versions[""], tuple(texts.items()))

    def regrade(self, item: tuple[int, str, str, dict[str, Any]]) -> Regraded:
        submission_id, learner, quiz_id, answers = item
        answers = {k: tuple(v) if isinstance(v, list) else v for k, v in answers.items()}
        result = self.grader.grade_quiz(self.quizzes[quiz_id], answers, learner=learner)
        return Regraded(submission_id, grade_rows(result.grades, self.versions[quiz_id]))


def _line(problem: str, question_line: int) -> int:
    """The line a problem is about: the failing field's when ``check`` knows it, else the question's."""
    where = getattr(problem, "where", None)
    return where.line if where is not None else question_line


_worker: Worker | None = None


def _start_worker(quizzes: Sequence[Quiz], graded: frozenset[str], memory: int) -> None:
    global _worker
    if _worker is None:  # a forked worker inherits the main process's (which has graded and sent nothing)
        _worker = Worker(quizzes, graded, memory, texts_once=True)


def _work(item: tuple[str, Any]) -> Any:
    """One item of a run, ``(what, value)``: ``check`` a question's keys, ``regrade`` a stored submission, or
    ``grade`` a file; one stream, so no worker waits at a phase's end for the slowest item of the phase."""
    assert _worker is not None
    what, value = item
    if what == "check":
        return _worker.check(value)
    if what == "regrade":
        return _worker.regrade(value)
    return _worker.grade(value)


def run(quizzes: Sequence[Quiz], files: Iterable[str], book: Gradebook, *, jobs: int = 1, regrade: bool = False,
        progress: Callable[[Progress], None] | None = None, limits: Limits = Limits()) -> RunReport:
    """Grade ``files`` against ``quizzes`` into ``book`` in ``jobs`` worker processes; returns what was done.

    Submissions are recorded in file order, a batch per transaction, and reported (``progress``, the counts) once
    their batch is committed; one that passes ``limits`` is recorded as rejected ("not graded: ... the time limit of
    N s"). Raises ``GradebookError`` if the gradebook cannot be written; rejections are reported, never raised.
    Ctrl-C stops the run after recording what was graded (``interrupted`` is set).
    """
    global _worker
    files = list(files)
    now = datetime.now(timezone.utc)  # the run's clock, not a learner's field, says what "later" is
    report = RunReport(files=len(files), started=utc_text(now))
    report.stale = book.sync_quizzes(quizzes)
    notify = progress or (lambda p: None)
    pool = None
    batch: _Batch | None = None
    try:
        graded = frozenset(book.graded_digests())
        forked = context().get_start_method() == "fork"
        _worker = Worker(quizzes, graded, limits.memory, texts_once=True) if forked else None
        pool = BoundedPool(jobs, limits, _start_worker,
                           (tuple(quizzes), frozenset() if forked else graded, limits.memory))
        questions = [("check", (quiz.id, question.id)) for quiz in quizzes for question in quiz.questions]
        stale_items = []
        if regrade:
            for quiz in quizzes:
                stale_items += [("regrade", (i, learner, quiz.id, answers))
                                for i, learner, answers in book.stale_submissions(quiz)]
        skipped, to_read = _skipped(files, book, graded)
        # Checks first, then re-grades, then files, in one stream: the results come back in this order, each phase
        # read off the same iterator while the workers are already at work on the next.
        results = pool.map(_work, itertools.chain(questions, stale_items, (("grade", p) for p in to_read)))
        for (_, (quiz_id, question_id)), found in itertools.islice(results, len(questions)):
            if isinstance(found, Overran):  # every answer to it will overrun too: say why first
                quiz = next(q for q in quizzes if q.id == quiz_id)
                question = quiz.question(question_id)
                line = question.where.line if question and question.where else 0
                found = [f"{quiz.path}:{line}: {question_id}: its setup and key were not replayed: {found.detail}"]
            report.problems += found
        if regrade:
            waiting: list[tuple[int, Regraded | None]] = []  # None: overran, its stored grades stay

            def commit() -> None:  # a batch of new grades per transaction, reported once committed
                with book.batch():
                    for _, regraded in waiting:
                        if regraded is not None:
                            book.regrade(regraded.submission_id, regraded.rows)
                for n, regraded in waiting:
                    report.regraded += regraded is not None
                    notify(Progress(n, len(stale_items), "regrade"))
                waiting.clear()

            for n, ((_, item), result) in enumerate(itertools.islice(results, len(stale_items)), 1):
                if isinstance(result, Overran):  # the stored grades stay; the summary says which was not re-graded
                    report.overran += 1
                    report.not_regraded.append(f"stored submission {item[0]} of {item[1]} to {item[2]}: "
                                               f"{result.detail}")
                    result = None
                waiting.append((n, result))
                if len(waiting) >= BATCH:
                    commit()
            if waiting:
                commit()
            report.stale = []
        seen: set[str] = set()
        batch = _Batch(book, report, notify, len(files))
        for done, (path, result) in enumerate(_in_file_order(files, skipped, results), 1):
            if isinstance(result, Overran):
                report.overran += 1
                result = Rejection(path, f"not graded: {result.detail}", _digest(path))
            digest = result.submission.digest if isinstance(result, Graded) else result.digest
            if isinstance(result, Graded):  # its worker sends each text once: store it even if this is not recorded
                batch.texts.update(result.rows.texts)
            if digest is not None and (digest in seen or digest in graded) and not isinstance(result, Unchanged):
                result = Unchanged(path, digest, result.stat if isinstance(result, Graded) else None)
            elif digest is not None:
                seen.add(digest)
            if isinstance(result, Graded):
                at = instant(result.submission.submitted_at)
                if at is not None and at > now:
                    report.future.append((result.submission.path, result.submission.submitted_at))
            batch.add(done, result)
        batch.flush()
    except KeyboardInterrupt:
        report.interrupted = True
        if batch is not None:  # what was graded before Ctrl-C is worth keeping
            batch.flush()
    finally:
        report.decisions, book.decisions = book.decisions, []
        _worker = None
        if pool is not None:
            pool.close()
    return report


def _skipped(files: list[str], book: Gradebook, graded: frozenset[str]) -> tuple[dict[str, Unchanged], list[str]]:
    """The files whose path, size and mtime are what the gradebook recorded with bytes it has graded (``Unchanged``
    without being read), and the rest, to be read, in file order."""
    known = book.known_files()
    skipped: dict[str, Unchanged] = {}
    if known:
        for path in files:
            seen = known.get(os.path.abspath(path))
            if seen is None or seen.digest not in graded:
                continue
            try:
                info = os.lstat(path)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode) and (info.st_size, info.st_mtime_ns) == (seen.size, seen.mtime_ns):
                skipped[path] = Unchanged(path, seen.digest)
    return skipped, [p for p in files if p not in skipped]


def _in_file_order(files: list[str], skipped: dict[str, Unchanged],
                   read: Iterator[tuple[Any, Any]]) -> Iterator[tuple[str, Any]]:
    """(path, what became of it) in file order: the skipped files' ``Unchanged``, the others' results as the pool
    hands them back (in the same order)."""
    for path in files:
        if path in skipped:
            yield path, skipped[path]
        else:
            (_, read_path), result = next(read)
            yield read_path, result


class _Batch:
    """Results waiting to be recorded in one transaction; reported (counts, progress) only once it commits."""

    def __init__(self, book: Gradebook, report: RunReport, notify: Callable[[Progress], None], total: int) -> None:
        self.book, self.report, self.notify, self.total = book, report, notify, total
        self.pending: list[tuple[int, Graded | Rejection | Unchanged]] = []
        #: (hash, text) received with graded results, stored with the next batch before its grades name them.
        self.texts: dict[str, str] = {}
        self.writes = 0
        self.started = 0.0

    def add(self, done: int, result: Graded | Rejection | Unchanged) -> None:
        """Queue ``result`` (the ``done``-th file); commit the batch once it is full or old enough. A result with
        nothing to write, behind nothing waiting, is reported at once."""
        write = not isinstance(result, Unchanged) or result.stat is not None
        if not write and not self.pending:
            self._report([(done, result)], [])
            return
        if write and not self.writes:
            self.started = time.monotonic()
        self.pending.append((done, result))
        self.writes += write
        if self.writes >= BATCH or (self.writes and time.monotonic() - self.started >= BATCH_SECONDS):
            self.flush()

    def flush(self) -> None:
        """Record the queued results in one transaction, then report them (a failed transaction reports none)."""
        if not self.pending and not self.texts:
            return
        recorded: list[bool] = []
        if self.writes or self.texts:
            book = self.book
            with book.batch():
                book.add_texts(self.texts.items())
                files = []
                for _, result in self.pending:
                    if isinstance(result, Rejection):
                        book.record_rejection(result.path, result.reason, digest=result.digest,
                                              learner=result.learner, quiz=result.quiz)
                    elif isinstance(result, Graded):
                        recorded.append(book.record(result.submission, result.rows))
                        if result.stat is not None:
                            files.append((os.path.abspath(result.submission.path), *result.stat,
                                          result.submission.digest))
                    elif result.stat is not None and result.digest is not None:
                        files.append((os.path.abspath(result.path), *result.stat, result.digest))
                book.remember_files(files)
        pending, self.pending, self.writes = self.pending, [], 0
        self.texts.clear()
        self._report(pending, recorded)

    def _report(self, done: list[tuple[int, Graded | Rejection | Unchanged]], recorded: list[bool]) -> None:
        outcomes = iter(recorded)
        for n, result in done:
            if isinstance(result, Rejection):
                self.report.rejected.append(result)
                self.notify(Progress(n, self.total, "grade", result))
                continue
            if isinstance(result, Graded) and next(outcomes):
                self.report.graded += 1
                self.report.unknown += [(result.submission.path, note) for note in result.submission.unknown]
            else:
                self.report.unchanged += 1
            self.notify(Progress(n, self.total, "grade"))


def _digest(path: str) -> str | None:
    """The digest of a file whose worker overran (its rejection names it, as any other), None if it cannot be read."""
    try:
        return read_file(path)[1]
    except SubmissionRejected:
        return None
