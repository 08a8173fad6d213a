"""The gradebook as files: a CSV that Canvas and Moodle gradebook imports accept, and a JSON of everything.

CSV, one row per learner (sorted by id) who has a graded submission of an exported quiz or is on the roster::

    Student,ID,SIS User ID,SIS Login ID,Section,QUIZ: QUESTION,...,QUIZ (total),...

``Student`` holds the roster's name (else the learner id), ``SIS Login ID`` the learner id, ``SIS User ID`` and
``Section`` the roster's LMS id and section; ``ID`` stays empty (Canvas matches learners on any of its id columns;
Moodle maps whichever column you choose). Then, for each quiz with at least one graded submission (sorted by id), a
column per question in quiz order and the quiz's total: points, with a dot and at most four decimals. A learner on
the roster who did not submit a quiz scores 0 in each of its cells, as the course counts it; for a learner not on the
roster the cells stay empty, which both importers read as "leave unchanged". Only the current submission counts. Every id is ASCII and starts with a letter or digit, so
no cell can start a spreadsheet formula; even so every text cell goes through ``text_cell``, the one neutraliser of
formulas, which the course's LMS exports (``sandbox.course.lms``) use too. Both exports are functions of the gradebook
alone: the same gradebook gives the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import operator
import os
import re
import stat
import sys
import tempfile
from typing import Any, Iterable, Iterator

from sandbox.gradebook.cache import answer_name, remembered
from sandbox.gradebook.errors import GradebookError
from sandbox.gradebook.store import Gradebook

FORMAT = "imageshare-gradebook/1"
ID_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


#: What makes Excel, LibreOffice Calc and Google Sheets read a cell as a formula when it comes first (OWASP ASVS 5.0
#: requirement 1.2.10: '=', '+', '-', '@', tab and NUL; carriage return too, which Excel also treats so).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def points(value: float) -> str:
    """A score as the exports write it: ``1``, ``0.5``, ``0.3333``."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def text_cell(value: str) -> str:
    """``value`` as a CSV text cell a spreadsheet shows as written and never runs: a cell starting as a formula
    would (``=HYPERLINK(...)``, ``@SUM(...)``, ``-2+3``) gets a leading ``'``, which spreadsheets take as "this is
    text" and do not show. Every text cell of every export goes through here; scores are numbers and do not."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_text(book: Gradebook, quiz_ids: Iterable[str] | None = None) -> str:
    """The CSV gradebook (see the module docstring) for the named quizzes, or all of them."""
    return "".join(csv_chunks(book, quiz_ids))


def csv_chunks(book: Gradebook, quiz_ids: Iterable[str] | None = None) -> Iterator[str]:
    """``csv_text`` in pieces, streamed from the database a learner at a time, so a class of any size is written in
    flat memory."""
    known = book.quizzes(quiz_ids)
    where, args = _current([q.quiz for q in known])
    graded = {row[0] for row in book.rows(
        f"SELECT DISTINCT s.quiz FROM submissions s WHERE {where} AND EXISTS"
        " (SELECT 1 FROM grades g WHERE g.submission = s.id AND g.current = 1)", args)}
    quizzes = [q for q in known if q.quiz in graded]
    header = list(ID_COLUMNS)
    for quiz in quizzes:
        header += [f"{quiz.quiz}: {q.question}" for q in quiz.questions] + [f"{quiz.quiz} (total)"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([text_cell(h) for h in header])
    rows = book.rows(
        "SELECT s.learner, s.quiz, s.score, g.question, g.score FROM submissions s"
        f" JOIN grades g ON g.submission = s.id AND g.current = 1 WHERE {where} ORDER BY s.learner, s.id", args)
    written: dict[float, str] = {}  # a class has few distinct scores: format each once

    def cell(value: float) -> str:
        text = written.get(value)
        if text is None:
            text = written[value] = points(value)
        return text

    for n, (learner, grades, entry) in enumerate(_with_roster(itertools.groupby(rows, key=_first), book), 1):
        by_quiz: dict[str, tuple[float, dict[str, float]]] = {}
        for _, quiz_id, total, question, score in grades:
            by_quiz.setdefault(quiz_id, (total, {}))[1][question] = score
        if entry is None:
            row = [text_cell(learner), "", "", text_cell(learner), ""]
        else:
            row = [text_cell(entry.name or learner), "", text_cell(entry.lms_id), text_cell(learner),
                   text_cell(entry.section)]
        for quiz in quizzes:
            if quiz.quiz not in by_quiz:
                row += [""] * (len(quiz.questions) + 1) if entry is None else ["0"] * (len(quiz.questions) + 1)
                continue
            total, scores = by_quiz[quiz.quiz]
            row += [cell(scores[q.question]) if q.question in scores else "" for q in quiz.questions]
            row.append(cell(total))
        writer.writerow(row)
        if n % 256 == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


_first = operator.itemgetter(0)


def write_csv(book: Gradebook, path: str, quiz_ids: Iterable[str] | None = None) -> bool:
    """Write ``csv_text`` to ``path`` (as ``write_text`` does), unless the file there already holds exactly those
    bytes: the SHA-256 and size of the CSV last written from this generation of the gradebook are kept in it
    (``cache``), so a re-run that changed nothing compares one file instead of streaming every grade. Returns True
    when the file was written."""
    name, ids = answer_name("csv", sys.modules[__name__], quiz_ids)
    written = False

    def write() -> str:
        nonlocal written
        digest, size = hashlib.sha256(), 0

        def hashed(chunks: Iterable[str]) -> Iterator[str]:
            nonlocal size
            for chunk in chunks:
                data = chunk.encode("utf-8")
                digest.update(data)
                size += len(data)
                yield chunk

        write_text(path, hashed(csv_chunks(book, ids)))
        written = True
        return f"{digest.hexdigest()} {size}"

    remembered(book, name, write, str, str, holds=lambda kept: _holds(path, kept))
    return written


def _holds(path: str, kept: str) -> bool:
    """True when the regular file at ``path`` has the SHA-256 and size in ``kept`` (``HEX SIZE``)."""
    expected, size = kept.split()
    try:
        with open(path, "rb") as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size != int(size):
                return False
            return hashlib.file_digest(f, "sha256").hexdigest() == expected
    except OSError:
        return False


def _with_roster(learners: Iterable[tuple[str, Iterable]], book: Gradebook) -> Iterator[tuple[str, Iterable, Any]]:
    """(learner, their rows, their roster entry or None) for the learners streamed by id, with every learner on the
    roster who has none merged in at their place (no rows): the roster is small, the class streamed."""
    roster = sorted(book.roster(), key=lambda e: e.learner)  # code point order, as the database sorts ids
    listed = {e.learner: e for e in roster}
    waiting = iter(roster)
    pending = next(waiting, None)
    for learner, rows in learners:
        while pending is not None and pending.learner < learner:
            yield pending.learner, (), pending
            pending = next(waiting, None)
        if pending is not None and pending.learner == learner:
            pending = next(waiting, None)
        yield learner, rows, listed.get(learner)
    while pending is not None:
        yield pending.learner, (), pending
        pending = next(waiting, None)


def _current(quiz_ids: list[str]) -> tuple[str, list[str]]:
    """The SQL condition (on ``submissions s``) and arguments for the current graded submissions of ``quiz_ids``."""
    return ("s.status = 'graded' AND s.superseded_by IS NULL AND s.quiz IN (" + ", ".join("?" * len(quiz_ids))
            + ")" if quiz_ids else "1 = 0"), quiz_ids


def json_data(book: Gradebook, quiz_ids: Iterable[str] | None = None) -> dict[str, Any]:
    """Everything the gradebook knows about the named quizzes (or all), as plain data in a fixed order.

    Learners carry every graded submission, oldest first, with ``current`` marking the one that counts and
    ``superseded_by`` naming the digest that replaced the others; rejected submissions come last.
    """
    quizzes = book.quizzes(quiz_ids)
    return dict(_skeleton(book, quizzes, quiz_ids), learners=list(_learners(book, quizzes)))


def json_chunks(book: Gradebook, quiz_ids: Iterable[str] | None = None) -> Iterator[str]:
    """``json_text`` in pieces, a learner at a time, so a class of any size is written in flat memory."""
    quizzes = book.quizzes(quiz_ids)
    # The document without learners, cut where they go: the same indentation json.dumps gives the whole.
    head, tail = _dumps(_skeleton(book, quizzes, quiz_ids)).split(_LEARNERS_SLOT)
    yield head + '\n "learners": ['
    first = True
    for learner in _learners(book, quizzes):
        yield ("\n" if first else ",\n") + _dumps(learner).replace("\n", "\n  ").join(("  ", ""))
        first = False
    yield ("]" if first else "\n ]") + tail + "\n"


#: Where the learners go in the document ``_skeleton`` makes (a key, so it cannot be part of a JSON string).
_LEARNERS_SLOT = '\n "learners": []'


def _skeleton(book: Gradebook, quizzes: list, quiz_ids: Iterable[str] | None) -> dict[str, Any]:
    wanted = {q.quiz for q in quizzes}
    return {
        "format": FORMAT,
        "quizzes": [{
            "quiz": q.quiz, "title": q.title, "points": q.points,
            "questions": [{"question": x.question, "kind": x.kind, "points": x.points} for x in q.questions],
        } for q in quizzes],
        "learners": [],
        "rejected": [{"path": r.path, "digest": r.digest, "learner": r.learner, "quiz": r.quiz, "reason": r.reason}
                     for r in book.rejections() if quiz_ids is None or r.quiz in wanted],
    } | _course(book, wanted)


def _course(book: Gradebook, quizzes: set[str]) -> dict[str, Any]:
    """The roster and every override of the exported quizzes (history included: an override is audited), for a
    gradebook that has them; nothing otherwise, so a gradebook without a course exports as it always did."""
    out: dict[str, Any] = {}
    roster = book.roster()
    if roster:
        out["roster"] = [{"learner": e.learner, "name": e.name, "section": e.section, "lms_id": e.lms_id,
                          "email": e.email} for e in roster]
    overrides = book.overrides(sorted(quizzes), history=True)
    if overrides:
        current = {o.id for o in book.overrides(sorted(quizzes))}
        out["overrides"] = [{"id": o.id, "learner": o.learner, "quiz": o.quiz, "question": o.question,
                             "points": o.points, "comment": o.comment, "by": o.by_user, "at": o.at,
                             "in_force": o.id in current} for o in overrides]
    return out


def _learners(book: Gradebook, quizzes: list) -> Iterator[dict[str, Any]]:
    """Each learner with every graded submission of ``quizzes`` and its current grades, by learner id."""
    ids = [q.quiz for q in quizzes]
    if not ids:
        return
    rows = book.rows(
        "SELECT s.learner, s.id, s.quiz, s.digest, s.path, s.submitted_at, n.digest, s.score, s.max_score,"
        " g.question, g.variant, g.score, g.max_score, g.correct, g.answer, g.key, g.reason, f.text"
        " FROM submissions s JOIN grades g ON g.submission = s.id AND g.current = 1"
        " LEFT JOIN submissions n ON n.id = s.superseded_by"
        " LEFT JOIN questions q ON q.quiz = s.quiz AND q.question = g.question"
        " LEFT JOIN texts f ON f.hash = g.feedback"
        f" WHERE s.status = 'graded' AND s.quiz IN ({', '.join('?' * len(ids))})"
        " ORDER BY s.learner, s.quiz, s.id, coalesce(q.position, 1e9), g.question", ids)
    decoded: dict[str, Any] = {}

    def value(text: str) -> Any:
        # A class repeats the same answers and keys many times over: decode each text once per learner.
        hit = decoded.get(text, decoded)
        if hit is decoded:
            hit = decoded[text] = json.loads(text)
        return hit

    for learner, learner_rows, _ in _with_roster(itertools.groupby(rows, key=_first), book):
        submissions = []
        for _, grades in itertools.groupby(learner_rows, key=lambda row: row[1]):
            grades = list(grades)
            _, _, quiz, digest, path, submitted_at, superseded_by, score, max_score = grades[0][:9]
            submissions.append({
                "quiz": quiz, "digest": digest, "path": path, "submitted_at": submitted_at,
                "current": superseded_by is None, "superseded_by": superseded_by, "score": score,
                "max_score": max_score,
                "grades": [{
                    "question": g[9], "variant": g[10], "score": g[11], "max_score": g[12], "correct": bool(g[13]),
                    "answer": value(g[14]), "key": value(g[15]), "reason": g[16], "feedback": g[17] or "",
                } for g in grades],
            })
        decoded.clear()
        yield {"learner": learner, "submissions": submissions}


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)


def json_text(book: Gradebook, quiz_ids: Iterable[str] | None = None) -> str:
    """``json_data`` as UTF-8 JSON text, indented, ending in a newline."""
    return "".join(json_chunks(book, quiz_ids))


def write_text(path: str, text: str | Iterable[str]) -> None:
    """Write ``text`` (or its pieces, in order) to ``path`` atomically (a temporary file in the same directory, then a rename), so a reader
    or a kill never sees half a file. Raises ``GradebookError`` when the directory cannot be written."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(), suffix=".tmp", dir=directory)
    except OSError as e:
        raise GradebookError(path, f"cannot write here: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.writelines([text] if isinstance(text, str) else text)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise GradebookError(path, f"cannot write: {e.strerror or e}") from None


def _umask() -> int:
    """The process's umask (mkstemp makes 0600 files; the outputs get the mode an ordinary open would give)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: A temporary file of ``write_text``: ``.imageshare-PID-RANDOM.tmp``, named for the process writing it.
_TEMP = re.compile(r"\.imageshare-(\d+)-[^/]*\.tmp")


def _temp_prefix() -> str:
    return f".imageshare-{os.getpid()}-"


def remove_stale_temps(directory: str) -> int:
    """Remove the temporary files a killed run (``kill -9``) left in ``directory``: those whose writing process is
    gone. A live run's are left alone. Returns how many were removed."""
    removed = 0
    try:
        names = os.listdir(directory)
    except OSError:
        return 0
    for name in names:
        match = _TEMP.fullmatch(name)
        if match is None or _alive(int(match.group(1))):
            continue
        try:
            os.unlink(os.path.join(directory, name))
            removed += 1
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid < 2**22  # another user's live process; an impossible pid is no process
    return True


def check_writable(directory: str) -> None:
    """Raise ``GradebookError`` unless a file can be created in ``directory`` (checked before any grading); removes
    what a killed run left there first."""
    remove_stale_temps(directory)
    try:
        fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(), suffix=".tmp", dir=directory)
    except OSError as e:
        raise GradebookError(directory, f"cannot write here: {e.strerror or e}") from None
    os.close(fd)
    os.unlink(tmp)
