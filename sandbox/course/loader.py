"""``course.yaml`` to a ``Course``, with errors that name the file, the line and the field, as quiz files do.

The file is read by the quiz loader's own machinery (``sandbox.quiz.yamlfile``: composed, never constructed, with
did-you-mean for unknown fields). Then what one field cannot show: the due time after the opening, the late cutoff at
or after the due time, quiz ids unique, every quiz file present and loading, release ``after_due`` only where there
is a due time, the roster present and importable, extensions later than the due time and for learners on the roster. The format is documented in ``docs/classroom.md``.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode

from sandbox.course.errors import CourseFileError, RosterError
from sandbox.course.policy import (
    AFTER_DUE,
    GROUP_PREFIX,
    IMMEDIATELY,
    NEVER,
    RELEASES,
    Course,
    Late,
    QuizPolicy,
    shown_time,
)
from sandbox.course.roster import RosterEntry, read_roster
from sandbox.quiz.errors import QuizFileError
from sandbox.quiz.learner_id import RULE, is_learner_id
from sandbox.quiz.loader import ID, load_file
from sandbox.quiz.yamlfile import SCALARS, TAG, Kind, NodeReader, compose, decode, is_null, kind_of, read

MAX_FILE_BYTES = 256 * 1024
MAX_YAML_NODES = 20_000
MAX_QUIZZES = 200
MAX_STAFF = 500
MAX_EXTENSIONS = 5000
#: Attempts a quiz may allow when not unlimited.
MAX_ATTEMPTS = 1000
COURSE = Kind(CourseFileError, "course", "course files", MAX_FILE_BYTES, MAX_YAML_NODES)

COURSE_FIELDS = ("course", "title", "roster", "instructors", "teaching_assistants", "defaults", "quizzes")
RELEASE_FIELDS = ("scores", "feedback", "keys")
DEFAULT_FIELDS = ("attempts",) + RELEASE_FIELDS
QUIZ_FIELDS = ("file", "opens", "due", "late") + DEFAULT_FIELDS + ("extensions", "lms")
LATE_FIELDS = ("penalty_per_day", "cutoff")
LMS_FIELDS = ("canvas", "blackboard")
#: An LMS's id for a column: Canvas assignment ids and Blackboard column ids are whole numbers.
LMS_ID = re.compile(r"[0-9]{1,19}")
UNLIMITED = "unlimited"

#: ISO 8601 (RFC 3339's profile of it): a date, ``T`` (or one space), a time to the minute or finer, and the offset.
TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?"
                  r" ?(?P<zone>[Zz]|[+-]\d{2}(?::?\d{2})?)?")
DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
#: A penalty as a percent: ``10%``, ``2.5 %``.
PERCENT = re.compile(r"(\d{1,3}(?:\.\d+)?) ?%")
#: What JupyterHub itself refuses in a user name (``Authenticator.validate_username``) and what no one types: '/',
#: spaces at either end, control characters; the hub lowercases names, so a capital could never match.
HUB_NAME = re.compile(r"(?!\.+$)[^\x00-\x20\x7f/][^\x00-\x1f\x7f/]{0,254}(?<! )")
EXAMPLE_TIME = "2026-03-02T23:59:00+01:00"


def load_course(path: str | Path) -> Course:
    """The course in the file at ``path``, its quiz files and roster loaded and checked.

    Raises ``CourseFileError`` naming the line and field of the first problem.
    """
    name = str(path)
    return parse_course(decode(read(path, COURSE), name, COURSE), name, Path(path).parent)


def parse_course(text: str, path: str = "<string>", folder: str | Path = ".") -> Course:
    """The course in ``text``; quiz files and the roster are found relative to ``folder``. Raises ``CourseFileError``."""
    root = compose(text, path, COURSE)
    if root is None:
        raise CourseFileError(path, 1, None, "the file is empty; expected a mapping with 'course', 'instructors' and "
                              "'quizzes'")
    return _Reader(path, Path(folder)).course(root)


def parse_time(value: str) -> datetime:
    """An ISO 8601 time with its offset (``2026-03-02T23:59:00+01:00``, ``...Z``) as an aware datetime.

    Raises ``ValueError`` saying what is wrong: a date alone or a time without a zone is ambiguous (the server's zone?
    each learner's?), so both are refused rather than guessed.
    """
    text = value.strip()
    if DATE_ONLY.fullmatch(text):
        raise ValueError(f"{text!r} is a date without a time and zone, which is ambiguous; write the time and its "
                         f"offset, such as {text}T23:59:00+01:00 (or Z for UTC)")
    m = TIME.fullmatch(text)
    if m is None:
        raise ValueError(f"expected an ISO 8601 time with its offset, such as {EXAMPLE_TIME}, got {text!r}")
    if m.group("zone") is None:
        raise ValueError(f"{text!r} has no time zone, which is ambiguous (the server's? each learner's?); add the "
                         f"offset, such as {text.replace(' ', 'T')}+01:00 (or Z for UTC)")
    zone = m.group("zone").upper().replace("Z", "+00:00")
    if len(zone) == 3:  # ISO 8601 allows the hours alone: +01
        zone += ":00"
    elif ":" not in zone:
        zone = zone[:3] + ":" + zone[3:]
    year, month, day, hour, minute = (int(m.group(i)) for i in range(1, 6))
    second = int(m.group(6) or 0)
    micro = int((m.group(7) or "0").ljust(6, "0"))
    hours, minutes = int(zone[1:3]), int(zone[4:6])
    if hours > 23 or minutes > 59:
        raise ValueError(f"{zone!r} is not a time zone offset (at most ±23:59)")
    try:
        return datetime.fromisoformat(
            f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}.{micro:06d}{zone}")
    except ValueError as e:
        raise ValueError(f"{text!r} is not a valid time ({e})") from None


def parse_penalty(value: str | float) -> float:
    """A penalty per day as a fraction: a number (``0.1``) as it is, or a percent (``"10%"``) divided by 100.

    Raises ``ValueError`` for anything outside 0 to 100%: a bare ``10`` is refused rather than read as 10%, since
    as a fraction it would take ten times the points each day.
    """
    if isinstance(value, str):
        text = value.strip()
        m = PERCENT.fullmatch(text)
        if m is None:
            raise ValueError(f"expected a fraction such as 0.1 or a percent such as 10%, got {text!r}")
        fraction = float(m.group(1)) / 100
        if fraction > 1:
            raise ValueError(f"{text} is more than 100% a day")
        return fraction
    if not 0 <= value <= 1:  # NaN fails both comparisons
        raise ValueError(f"expected a fraction from 0 to 1 (0.1 takes 10% a day) or a percent such as 10%, got "
                         f"{value}")
    return float(value)


class _Reader(NodeReader):
    """Walks one composed course file, building the ``Course``."""

    kind = COURSE

    def __init__(self, path: str, folder: Path) -> None:
        super().__init__(path)
        self.folder = folder
        #: The roster's learners, once read: extensions must name one of them.
        self.learners: tuple[RosterEntry, ...] | None = None

    def course(self, root: Node) -> Course:
        self.vet(root)
        if not isinstance(root, MappingNode):
            raise self.fail(root, None, "expected a course (a mapping with 'course', 'instructors' and 'quizzes'), "
                            f"got {kind_of(root)}")
        top = self.mapping(root, "", COURSE_FIELDS, ("course", "instructors", "quizzes"))
        course_id = self.ident(top["course"][1], "course", ID, "an id of lowercase letters, digits and '-'")
        title = course_id
        if "title" in top:
            title = self.scalar_text(top["title"][1], "title", multiline=False, cap=200)
        instructors = self.staff(top["instructors"][1], "instructors")
        assistants = self.staff(top["teaching_assistants"][1], "teaching_assistants", empty=True) \
            if "teaching_assistants" in top else ()
        defaults: dict[str, object] = {}
        if "defaults" in top:
            d = self.mapping(top["defaults"][1], "defaults", DEFAULT_FIELDS)
            defaults = self.settings(d, "defaults")
        roster = self.roster(top["roster"][1], "roster") if "roster" in top else None
        quizzes: list[QuizPolicy] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(self.sequence(top["quizzes"][1], "quizzes", MAX_QUIZZES)):
            q = self.quiz(item, f"quizzes[{i}]", defaults)
            if q.id in seen:
                file_node = self.value_of(item, "file")
                raise self.fail(file_node, f"quizzes[{i}].file", f"quiz id {q.id!r} is already used by "
                                f"quizzes[{seen[q.id]}] ({quizzes[seen[q.id]].path})")
            seen[q.id] = i
            quizzes.append(q)
        return Course(course_id, title, Path(self.path), tuple(quizzes), instructors, assistants, roster)

    @staticmethod
    def value_of(node: MappingNode, name: str) -> Node:
        return next(v for k, v in node.value if k.value == name)

    def staff(self, node: Node, f: str, *, empty: bool = False) -> tuple[str, ...]:
        """Hub user names and ``group:NAME`` entries, each once."""
        out: list[str] = []
        for i, item in enumerate(self.sequence(node, f, MAX_STAFF, empty=empty)):
            sub = f"{f}[{i}]"
            name = self.scalar_text(item, sub, multiline=False, cap=300)
            bare = name[len(GROUP_PREFIX):] if name.startswith(GROUP_PREFIX) else name
            what = "group" if bare is not name else "user"
            if not HUB_NAME.fullmatch(bare):
                raise self.fail(item, sub, f"expected a hub {what} name (no '/', spaces at either end or control "
                                f"characters), got {name!r}")
            if what == "user" and bare != bare.lower():
                raise self.fail(item, sub, f"JupyterHub lowercases user names as they log in, so {name!r} would "
                                f"never match; write {name.lower()!r}")
            if name in out:
                raise self.fail(item, sub, f"{name!r} is listed twice")
            out.append(name)
        return tuple(out)

    def roster(self, node: Node, f: str) -> Path:
        """The roster file, resolved against the course file's folder, present and importable."""
        path = self.folder / self.scalar_text(node, f, multiline=False, cap=1024)
        if not path.is_file():
            raise self.fail(node, f, f"no such file: {path}")
        try:
            self.learners = read_roster(path)
        except RosterError as e:
            raise self.fail(node, f, f"the roster does not import: {e}") from None
        return path

    def time(self, node: Node, f: str) -> datetime:
        # YAML resolves a well-formed time to !!timestamp, but the scalar keeps the text as written.
        if not isinstance(node, ScalarNode) or is_null(node) or node.tag not in (TAG + "timestamp", TAG + "str"):
            raise self.fail(node, f, f"expected an ISO 8601 time with its offset, such as {EXAMPLE_TIME}, got "
                            f"{kind_of(node)}")
        try:
            return parse_time(str(node.value))
        except ValueError as e:
            raise self.fail(node, f, str(e)) from None

    def settings(self, m: dict[str, tuple[Node, Node]], f: str) -> dict[str, object]:
        """``attempts`` and the release fields present in ``m``."""
        out: dict[str, object] = {}
        if "attempts" in m:
            node = m["attempts"][1]
            if isinstance(node, ScalarNode) and node.tag == TAG + "str" and node.value == UNLIMITED:
                out["attempts"] = None
            elif isinstance(node, ScalarNode) and node.tag == TAG + "int":
                out["attempts"] = self.integer(node, f"{f}.attempts", 1, MAX_ATTEMPTS)
            else:
                raise self.fail(node, f"{f}.attempts", f"expected a whole number from 1 to {MAX_ATTEMPTS} or "
                                f"{UNLIMITED!r}, got {kind_of(node)}")
        for name in RELEASE_FIELDS:
            if name in m:
                out[name] = self.one_of(m[name][1], f"{f}.{name}", RELEASES)
        return out

    def quiz(self, node: Node, f: str, defaults: dict[str, object]) -> QuizPolicy:
        m = self.mapping(node, f, QUIZ_FIELDS, ("file",))
        file_node = m["file"][1]
        relative = self.scalar_text(file_node, f"{f}.file", multiline=False, cap=1024)
        path = self.folder / relative
        if not path.is_file():
            raise self.fail(file_node, f"{f}.file", f"no such quiz file: {path}")
        try:
            quiz = load_file(path)
        except QuizFileError as e:
            raise self.fail(file_node, f"{f}.file", f"the quiz file does not load: {e}") from None
        opens = self.time(m["opens"][1], f"{f}.opens") if "opens" in m else None
        due = self.time(m["due"][1], f"{f}.due") if "due" in m else None
        if opens is not None and due is not None and due <= opens:
            raise self.fail(m["due"][1], f"{f}.due", f"the due time {shown_time(due)} is not after the opening "
                            f"{shown_time(opens)}")
        late = None
        if "late" in m:
            late = self.late(m["late"][1], f"{f}.late", due, m)
        settings = {**defaults, **self.settings(m, f)}
        for name in RELEASE_FIELDS:
            if settings.get(name) == AFTER_DUE and due is None:
                at = m[name][1] if name in m else file_node
                raise self.fail(at, f"{f}.{name}", f"{AFTER_DUE} needs a due time, and this quiz has none; add "
                                f"'due:' or release it {IMMEDIATELY} or {NEVER}")
        extensions = self.extensions(m["extensions"][1], f"{f}.extensions", due) if "extensions" in m else ()
        ids: dict[str, str] = {}
        if "lms" in m:
            lms = self.mapping(m["lms"][1], f"{f}.lms", LMS_FIELDS)
            for name, (_, node) in lms.items():  # a number or text: the id is kept as the digits written
                ids[f"{name}_id"] = self.ident(node, f"{f}.lms.{name}", LMS_ID, f"the {name.title()} id of the "
                                               "quiz's column (digits)")
        return QuizPolicy(quiz, path, opens, due, late, **settings, **ids, extensions=extensions)

    def extensions(self, node: Node, f: str, due: datetime | None) -> tuple[tuple[str, datetime], ...]:
        """Learner id -> their own due time, each later than the quiz's, each learner once and on the roster."""
        if due is None:
            raise self.fail(node, f, "an extension moves the due time, and this quiz has none; add 'due:'")
        if not isinstance(node, MappingNode):
            raise self.fail(node, f, f"expected a mapping of learner id to their due time, got {kind_of(node)}")
        if len(node.value) > MAX_EXTENSIONS:
            raise self.fail(node, f, f"more than {MAX_EXTENSIONS} extensions (the cap)")
        on_roster = None if self.learners is None else {entry.id for entry in self.learners}
        out: dict[str, datetime] = {}
        for k, v in node.value:
            learner = self.scalar_text(k, f, multiline=False, cap=200)
            sub = f"{f}.{learner}"
            if not is_learner_id(learner):
                raise self.fail(k, sub, f"{learner!r} is not a learner id: {RULE}")
            if learner in out:
                raise self.fail(k, sub, "repeated; one extension per learner")
            if on_roster is not None and learner not in on_roster:
                raise self.fail(k, sub, f"{learner!r} is not on the roster")
            out[learner] = self.time(v, sub)
            if out[learner] <= due:
                raise self.fail(v, sub, f"the extension {shown_time(out[learner])} is not after the quiz's due time "
                                f"{shown_time(due)}")
        return tuple(out.items())

    def late(self, node: Node, f: str, due: datetime | None, quiz: dict[str, tuple[Node, Node]]) -> Late:
        if due is None:
            raise self.fail(quiz["late"][0], f, "a late policy needs a due time, and this quiz has none; add 'due:'")
        m = self.mapping(node, f, LATE_FIELDS, LATE_FIELDS)
        penalty_node = m["penalty_per_day"][1]
        if not isinstance(penalty_node, ScalarNode) or penalty_node.tag not in (TAG + "int", TAG + "float", TAG + "str"):
            raise self.fail(penalty_node, f"{f}.penalty_per_day", "expected a fraction such as 0.1 or a percent such "
                            f"as 10%, got {kind_of(penalty_node)}")
        try:
            value = penalty_node.value if penalty_node.tag == TAG + "str" else SCALARS.construct_object(penalty_node)
            penalty = parse_penalty(value)
        except ValueError as e:
            raise self.fail(penalty_node, f"{f}.penalty_per_day", str(e)) from None
        cutoff = self.time(m["cutoff"][1], f"{f}.cutoff")
        if cutoff < due:
            raise self.fail(m["cutoff"][1], f"{f}.cutoff", f"the cutoff {shown_time(cutoff)} is before the due time "
                            f"{shown_time(due)}; late submissions end at or after it")
        if cutoff - due > timedelta(days=366):
            raise self.fail(m["cutoff"][1], f"{f}.cutoff", "more than a year after the due time")
        return Late(penalty, cutoff)

