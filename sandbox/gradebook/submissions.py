"""Submission files, read as data and judged before anything is graded.

A submission holds ``learner`` (an id), ``quiz`` (a quiz id), ``answers`` (question id -> a letter, a list of letters,
text, or command lines) and optionally ``submitted_at`` (ISO 8601). YAML files (``.yaml``, ``.yml``) are read by the
quiz loader, which composes and never constructs, so no tag can run Python; JSON files (``.json``) by the stdlib
``json`` with repeated keys and NaN refused. Every value a learner controls is bounded by the quiz format's caps, and
a file that breaks a rule is rejected whole, with one line saying why: the grader never sees it.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from sandbox.gradebook.errors import SubmissionRejected
from sandbox.quiz import CommandLineError, QuizFileError
from sandbox.quiz.commands import split_prompt, words
from sandbox.quiz.learner_id import RULE, is_learner_id
from sandbox.quiz.loader import ID, load_submission
from sandbox.quiz.model import MAX_COMMANDS, MAX_FILE_BYTES, MAX_LINE_CHARS, MAX_TEXT_CHARS, Quiz
from sandbox.suggest import closest

FIELDS = ("learner", "quiz", "answers", "submitted_at", "attempts", "shown")
#: More submissions of one question than any widget lets a learner make; a higher count is not a record.
MAX_ATTEMPTS = 10_000
SUFFIXES = (".yaml", ".yml", ".json")
#: C0 controls and DEL, except tab and line breaks: nothing a keyboard types into an answer.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_QUOTING = re.compile(r"['\"\\]")


@dataclass(frozen=True)
class Submission:
    """One learner's answers to one quiz, as read from ``path``; ``digest`` is SHA-256 of the file's bytes."""

    path: str
    digest: str
    learner: str
    quiz_id: str
    answers: tuple[tuple[str, Any], ...]
    #: UTC, ``YYYY-MM-DDTHH:MM:SSZ`` (with fractions when given); None when the file has no ``submitted_at``.
    submitted_at: str | None = None
    #: Question id -> how many times the learner submitted it (what the notebook's widget recorded).
    attempts: tuple[tuple[str, int], ...] = ()
    #: Questions whose answer the learner asked to see ("Show answer") before their attempts ran out.
    shown: tuple[str, ...] = ()
    #: What was answered but is no question of the quiz (a misspelt id), one line each: kept, not graded.
    unknown: tuple[str, ...] = ()

    def answer_map(self) -> dict[str, Any]:
        """The answers as question id -> answer."""
        return dict(self.answers)


def submission_files(paths: Iterable[str | Path]) -> list[str]:
    """The files named by ``paths``: files as given, directories as their ``*.yaml``, ``*.yml`` and ``*.json`` files
    at any depth (hidden names and symlinked directories skipped), each directory's files sorted.

    Raises ``SubmissionRejected`` for a path that does not exist.
    """
    found: list[str] = []
    for p in map(str, paths):
        if os.path.isdir(p):
            for top, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(os.path.join(top, f) for f in sorted(files)
                             if not f.startswith(".") and f.endswith(SUFFIXES))
        elif os.path.lexists(p):
            found.append(p)
        else:
            raise SubmissionRejected(p, "no such file or directory")
    return found


def read_file(path: str) -> tuple[bytes, str]:
    """The bytes of a submission file and their ``sha256:`` digest, read without following it anywhere odd.

    Raises ``SubmissionRejected`` for what is not a regular file (a FIFO, a device), is over the 1 MiB cap or cannot
    be read.
    """
    try:
        # O_NOFOLLOW: a symlink (to /etc/passwd, to another learner's file) is refused, not followed; O_NONBLOCK: a
        # FIFO cannot hang the open. What was opened is then checked, so nothing can be swapped in between.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        if e.errno == errno.ELOOP or os.path.islink(path):
            raise SubmissionRejected(path, "not a regular file (a symbolic link)") from None
        raise SubmissionRejected(path, f"cannot read the file: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise SubmissionRejected(path, "not a regular file")
            if info.st_size > MAX_FILE_BYTES:
                raise SubmissionRejected(path, f"{info.st_size} bytes; submissions are capped at {MAX_FILE_BYTES} "
                                               "(1 MiB)")
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise SubmissionRejected(path, f"cannot read the file: {e.strerror or e}") from None
    if len(data) > MAX_FILE_BYTES:
        raise SubmissionRejected(path, f"more than {MAX_FILE_BYTES} bytes; submissions are capped at 1 MiB")
    return data, digest_of(data)


def digest_of(data: bytes) -> str:
    """``sha256:HEX`` of ``data``: a submission's identity in the gradebook."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def parse_submission(data: bytes, path: str, quizzes: Mapping[str, Quiz], digest: str | None = None) -> Submission:
    """The submission in ``data``, judged against ``quizzes`` (quiz id -> quiz).

    Raises ``SubmissionRejected`` with the first problem: not UTF-8, not YAML/JSON, a YAML tag, over a cap, a
    missing or unknown field, a learner id that is not plain, an unknown quiz or question, an answer that is not
    in the format, too many commands or a command line that does not split into words.
    """
    digest = digest or digest_of(data)
    facts: dict[str, Any] = {"digest": digest}

    def reject(reason: str) -> SubmissionRejected:
        return SubmissionRejected(path, reason, **facts)

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise reject(f"line {line}: not UTF-8 text (byte 0x{data[e.start]:02x})") from None
    raw = strict_json(text, reject) if _is_json(path, text) else _parse_yaml(text, path, reject)
    if not isinstance(raw, dict):
        raise reject("expected a mapping with learner, quiz and answers")
    for name in raw:
        if name not in FIELDS:
            close = closest(str(name), FIELDS, scaled=True)
            hint = f" (did you mean {close!r}?)" if close else ""
            raise reject(f"unknown field {_shown(name)}{hint}; expected {', '.join(FIELDS)}")
    for name in ("learner", "quiz", "answers"):
        if raw.get(name) is None:
            raise reject(f"field '{name}' is missing")
    learner = raw["learner"]
    if isinstance(learner, int) and not isinstance(learner, bool):
        learner = str(learner)
    if not is_learner_id(learner):
        raise reject(f"learner {_shown(learner)} is not a plain id: {RULE}")
    facts["learner"] = learner
    quiz_id = raw["quiz"]
    if not isinstance(quiz_id, str) or not ID.fullmatch(quiz_id):
        raise reject(f"quiz {_shown(quiz_id)} is not a quiz id")
    facts["quiz"] = quiz_id
    quiz = quizzes.get(quiz_id)
    if quiz is None:
        known = ", ".join(sorted(quizzes)[:8]) + (", ..." if len(quizzes) > 8 else "")
        raise reject(f"quiz {quiz_id!r} is not among the quizzes being graded ({known})")
    answers = raw["answers"]
    if not isinstance(answers, dict):
        raise reject("field 'answers' must map question ids to answers")
    checked = tuple((str(qid), _answer(quiz, str(qid), value, reject)) for qid, value in answers.items())
    submitted_at = _timestamp(raw.get("submitted_at"), reject)
    attempts = _attempts(quiz, raw.get("attempts"), reject)
    shown = _shown_answers(quiz, raw.get("shown"), reject)
    return Submission(path, digest, learner, quiz_id, checked, submitted_at, attempts, shown,
                      unknown_questions(quiz, [qid for qid, _ in checked]))


#: Unknown question ids a submission's notes name one by one; the rest are counted.
UNKNOWN_NOTES = 10


def unknown_questions(quiz: Quiz, answered: list[str]) -> tuple[str, ...]:
    """One line per answered id that is no question of ``quiz`` (with the id probably meant), at most
    ``UNKNOWN_NOTES`` of them and a count of the rest: one misspelt id costs that answer, not the submission."""
    unknown = [qid for qid in answered if quiz.question(qid) is None]
    notes = []
    for qid in unknown[:UNKNOWN_NOTES]:
        close = closest(qid, [q.id for q in quiz.questions], scaled=True)
        hint = f" (did you mean {close!r}?)" if close else ""
        notes.append(f"answers: quiz {quiz.id!r} has no question {_shown(qid)}{hint}; that answer was not graded")
    if len(unknown) > UNKNOWN_NOTES:
        notes.append(f"answers: {len(unknown) - UNKNOWN_NOTES} more ids that are no question of quiz {quiz.id!r}")
    return tuple(notes)


def _known(quiz: Quiz, qid: Any, where: str, reject) -> str:
    """``qid`` as a question id of ``quiz``; rejects anything else."""
    if not isinstance(qid, str) or quiz.question(qid) is None:
        close = closest(qid, [q.id for q in quiz.questions], scaled=True) if isinstance(qid, str) else None
        hint = f" (did you mean {close!r}?)" if close else ""
        raise reject(f"{where}: quiz {quiz.id!r} has no question {_shown(qid)}{hint}")
    return qid


def _attempts(quiz: Quiz, value: Any, reject) -> tuple[tuple[str, int], ...]:
    """``attempts``: question id -> a whole number of submissions, 1 to `MAX_ATTEMPTS` (YAML keeps it as text)."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise reject("field 'attempts' must map question ids to numbers of submissions")
    out = []
    for qid, count in value.items():
        qid = _known(quiz, qid, "attempts", reject)
        number = int(count) if isinstance(count, str) and count.strip().isascii() and count.strip().isdigit() and len(count.strip()) <= 6 \
            else count
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= MAX_ATTEMPTS:
            raise reject(f"attempts.{qid}: {_shown(count)} is not a number of submissions (1 to {MAX_ATTEMPTS})")
        out.append((qid, number))
    return tuple(out)


def _shown_answers(quiz: Quiz, value: Any, reject) -> tuple[str, ...]:
    """``shown``: the question ids whose answer the learner asked to see, each once."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise reject("field 'shown' must be a list of question ids")
    out = tuple(_known(quiz, qid, "shown", reject) for qid in value)
    if len(set(out)) != len(out):
        raise reject("field 'shown' names a question twice")
    return out


def _is_json(path: str, text: str) -> bool:
    if path.endswith(".json"):
        return True
    return not path.endswith((".yaml", ".yml")) and text.lstrip().startswith("{")


def _parse_yaml(text: str, path: str, reject) -> Any:
    try:
        return load_submission(text, path)
    except QuizFileError as e:
        field = f"field '{e.field}': " if e.field else ""
        raise reject(f"line {e.line}: {field}{e.problem}") from None


def strict_json(text: str, reject: Callable[[str], Exception]) -> Any:
    """JSON as a submission is read: no repeated keys, no NaN or Infinity, bounded nesting; ``reject(why)`` makes
    the exception raised for anything else (a rejected file here, a 400 answer in the course service)."""
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                raise ValueError(f"repeated key {k[:40]!r}")
            out[k] = v
        return out

    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    try:
        return json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except json.JSONDecodeError as e:
        raise reject(f"line {e.lineno}: JSON syntax: {e.msg}") from None
    except RecursionError:
        raise reject("JSON nesting too deep") from None
    except ValueError as e:
        raise reject(f"JSON: {e}") from None


def _answer(quiz: Quiz, qid: str, value: Any, reject) -> Any:
    """The answer as stored and graded (lists become tuples); rejects what the answer format cannot hold."""
    question = quiz.question(qid)  # None for a misspelt id: its answer is kept (and held to the caps), not graded
    where = f"answers.{qid}"
    if isinstance(value, dict):
        raise reject(f"{where}: expected a letter, a list of letters, text or command lines, got a mapping")
    items = value if isinstance(value, list) else [value]
    if isinstance(value, list) and len(value) > MAX_COMMANDS and (question is None or question.kind != "task"):
        raise reject(f"{where}: {len(value)} items; an answer holds at most {MAX_COMMANDS}")
    for i, item in enumerate(items):
        at = f"{where}[{i}]" if isinstance(value, list) else where
        if isinstance(item, (dict, list)):
            raise reject(f"{at}: expected text, got a {'mapping' if isinstance(item, dict) else 'list'}")
        if isinstance(item, str):
            if len(item) > MAX_TEXT_CHARS:
                raise reject(f"{at}: {len(item)} characters; an answer holds at most {MAX_TEXT_CHARS}")
            bad = _CONTROL.search(item)
            if bad:
                raise reject(f"{at}: contains the control character U+{ord(bad.group()):04X}")
    if question is not None and question.kind == "task":
        _commands(items, where, reject)
    return tuple(value) if isinstance(value, list) else value


def _commands(items: list[Any], where: str, reject) -> None:
    """Rejects task answers with more lines than the cap or a line that is not one command line of shell words."""
    lines = [line for item in items if isinstance(item, str) for line in item.splitlines()]
    commands = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
    if len(commands) > MAX_COMMANDS or len(lines) > 4 * MAX_COMMANDS:
        raise reject(f"{where}: {len(commands)} commands; an answer holds at most {MAX_COMMANDS}")
    for n, line in enumerate(commands, 1):
        if len(line) > MAX_LINE_CHARS:
            raise reject(f"{where}: command {n} is longer than {MAX_LINE_CHARS} characters")
        if not _QUOTING.search(line):  # only quotes and backslashes can keep a line from splitting into words
            continue
        try:
            words(split_prompt(line)[1])
        except CommandLineError as e:
            raise reject(f"{where}: command {n} ({line[:60]!r}) is broken: {e}") from None


#: ISO 8601's extended date and time (RFC 3339's profile of it): a four-digit year, ``T`` (or RFC 3339's space),
#: seconds and fractions optional, and a zone (``Z`` or ``+HH:MM``); a time without a zone, or a date alone, is read
#: as UTC.
_ISO_8601 = re.compile(r"\d{4}-\d\d-\d\d(?:[Tt ]\d\d:\d\d(?::\d\d(?:\.\d{1,6})?)?(?:[Zz]|[+-]\d\d:\d\d)?)?")


def _timestamp(value: Any, reject) -> str | None:
    """``submitted_at`` in UTC as ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z`` (a fixed-width year, so the text sorts as the
    time does); a time without a zone is taken as UTC."""
    if value is None:
        return None
    if isinstance(value, datetime):  # YAML reads an unquoted timestamp itself
        value = value.isoformat()
    text = value.strip() if isinstance(value, str) else ""
    example = "such as 2025-06-02T09:00:00Z"
    if not _ISO_8601.fullmatch(text):
        raise reject(f"submitted_at {_shown(value)} is not an ISO 8601 date and time {example}")
    try:
        t = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
        t = t.replace(tzinfo=timezone.utc) if t.tzinfo is None else t.astimezone(timezone.utc)
    except ValueError:
        raise reject(f"submitted_at {_shown(value)} is not a date and time that exists {example}") from None
    except OverflowError:  # 9999-12-31T23:59:59-01:00 is in year 10000 in UTC
        raise reject(f"submitted_at {_shown(value)} is outside the years 0001 to 9999 in UTC") from None
    return utc_text(t)


def utc_text(t: datetime) -> str:
    """An aware time as the gradebook stores it: ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z`` in UTC."""
    t = t.astimezone(timezone.utc)
    return (f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
            + (f".{t.microsecond:06d}" if t.microsecond else "") + "Z")


def instant(text: str | None) -> datetime | None:
    """A stored ``submitted_at`` as an aware time, or None (absent, or written by an older version unreadably)."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _shown(value: Any) -> str:
    """A learner-controlled value as a rejection line may quote it: repr (control characters escaped), cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
