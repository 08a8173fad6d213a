"""The gradebook as files: a CSV that Canvas and Moodle gradebook imports accept, and a JSON of everything.

CSV, one row per learner (sorted by id) who has a graded submission of an exported quiz::

    Student,ID,SIS User ID,SIS Login ID,Section,QUIZ: QUESTION,...,QUIZ (total),...

``Student`` and ``SIS Login ID`` hold the learner id; ``ID``, ``SIS User ID`` and ``Section`` stay empty (Canvas
matches learners on any of its id columns; Moodle maps whichever column you choose). Then, for each quiz with at
least one graded submission (sorted by id), a column per question in quiz order and the quiz's total: points, with a
dot and at most four decimals. A cell is empty where the learner has no submission of that quiz, which both importers
read as "leave unchanged". Only the current submission counts. Every id is ASCII and starts with a letter or digit, so
no cell can start a spreadsheet formula; even so every text cell goes through ``text_cell``, the one neutraliser of
formulas, which the course's LMS exports (``sandbox.course.lms``) use too. Both exports are functions of the gradebook
alone: the same gradebook gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from typing import Any, Iterable

from sandbox.gradebook.errors import GradebookError
from sandbox.gradebook.store import Gradebook, SubmissionRecord

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
    rows: dict[str, dict[str, SubmissionRecord]] = {}
    for s in book.submissions([q.quiz for q in book.quizzes(quiz_ids)], detail=False):
        rows.setdefault(s.learner, {})[s.quiz] = s
    graded = {quiz for by_quiz in rows.values() for quiz in by_quiz}
    quizzes = [q for q in book.quizzes(quiz_ids) if q.quiz in graded]
    header = list(ID_COLUMNS)
    for quiz in quizzes:
        header += [f"{quiz.quiz}: {q.question}" for q in quiz.questions] + [f"{quiz.quiz} (total)"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([text_cell(h) for h in header])
    for learner in sorted(rows):
        row = [text_cell(learner), "", "", text_cell(learner), ""]
        for quiz in quizzes:
            s = rows[learner].get(quiz.quiz)
            if s is None:
                row += [""] * (len(quiz.questions) + 1)
                continue
            scores = {g.question: g.score for g in s.grades}
            row += [points(scores[q.question]) if q.question in scores else "" for q in quiz.questions]
            row.append(points(s.score))
        writer.writerow(row)
    return out.getvalue()


def json_data(book: Gradebook, quiz_ids: Iterable[str] | None = None) -> dict[str, Any]:
    """Everything the gradebook knows about the named quizzes (or all), as plain data in a fixed order.

    Learners carry every graded submission, oldest first, with ``current`` marking the one that counts and
    ``superseded_by`` naming the digest that replaced the others; rejected submissions come last.
    """
    quizzes = book.quizzes(quiz_ids)
    learners: dict[str, list[dict[str, Any]]] = {}
    for s in book.submissions([q.quiz for q in quizzes], history=True):
        learners.setdefault(s.learner, []).append({
            "quiz": s.quiz,
            "digest": s.digest,
            "path": s.path,
            "submitted_at": s.submitted_at,
            "current": s.current,
            "superseded_by": s.superseded_by,
            "score": s.score,
            "max_score": s.max_score,
            "grades": [{
                "question": g.question, "variant": g.variant, "score": g.score, "max_score": g.max_score,
                "correct": g.correct, "answer": g.answer, "key": g.key, "reason": g.reason, "feedback": g.feedback,
            } for g in s.grades],
        })
    wanted = {q.quiz for q in quizzes}
    return {
        "format": FORMAT,
        "quizzes": [{
            "quiz": q.quiz, "title": q.title, "points": q.points,
            "questions": [{"question": x.question, "kind": x.kind, "points": x.points} for x in q.questions],
        } for q in quizzes],
        "learners": [{"learner": name, "submissions": subs} for name, subs in sorted(learners.items())],
        "rejected": [{"path": r.path, "digest": r.digest, "learner": r.learner, "quiz": r.quiz, "reason": r.reason}
                     for r in book.rejections() if quiz_ids is None or r.quiz in wanted],
    }


def json_text(book: Gradebook, quiz_ids: Iterable[str] | None = None) -> str:
    """``json_data`` as UTF-8 JSON text, indented, ending in a newline."""
    return json.dumps(json_data(book, quiz_ids), ensure_ascii=False, indent=1) + "\n"


def write_text(path: str, text: str) -> None:
    """Write ``text`` to ``path`` atomically (a temporary file in the same directory, then a rename), so a reader
    or a kill never sees half a file. Raises ``GradebookError`` when the directory cannot be written."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(), suffix=".tmp", dir=directory)
    except OSError as e:
        raise GradebookError(path, f"cannot write here: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
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
