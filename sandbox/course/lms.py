"""A course's final scores as the files LMS gradebook imports read: Canvas, Moodle, Blackboard Learn, and JSON.

Input is plain: the course's quizzes (titles, points possible, LMS column ids from ``course.yaml``), the roster, and
one ``FinalScore`` per learner and quiz that has a graded submission (the graded score, the late penalty applied, an
instructor's override and its comment). Everyone on the roster gets a row; a quiz they did not submit scores 0, as
the course counts it (an empty cell would leave whatever the LMS had). Learners with scores who are not on the roster
come after the roster's, sorted, so nothing graded is left out. The final score is the override when there is one (the
instructor's word is final, lateness included), else the graded score less the late penalty. Scores are written as
numbers (a dot, at most four decimals); every text cell goes through ``sandbox.gradebook.exports.text_cell``, the one
neutraliser of spreadsheet formulas (a name such as ``=HYPERLINK(...)`` is shown, never run). CSV files end lines in
CRLF (RFC 4180) and are UTF-8 without a byte-order mark. The layouts, as each importer reads them:

**Canvas** (Grades > Import). Read from Canvas's own importer, ``app/models/gradebook_importer.rb`` in
instructure/canvas-lms: the header must start ``Student``, ``ID``, then optionally ``SIS User ID`` and
``SIS Login ID``, and end its learner columns with ``Section``; each further column is an assignment, written
``Title (ASSIGNMENT_ID)`` to update that assignment, or ``Title`` alone, which matches an assignment of that exact
title or creates one; a row whose first cell contains ``Points Possible`` gives new assignments their points. A learner
is matched by Canvas user ``ID`` (which we do not know, so it stays empty), then ``SIS User ID`` (the roster's
``lms_id``), then ``SIS Login ID`` (the learner id, the hub user name, which is the Canvas login under single sign-on),
then the name. Canvas drops any column whose header contains ``Current Score``, ``Final Grade`` and the like (its
read-only totals), so a quiz titled so is refused here rather than silently lost. Canvas's import has no comment
column: override comments are in the JSON.

**Moodle** (Grades > Import > CSV file). Moodle's importer (``grade/import/csv``) lets the teacher map one column to a
user field (user id, username, ID number or email address) and each other column to a grade item or to an item's
feedback. So: ``Username`` (the learner id), ``ID number`` (``lms_id``), ``Email address``, ``Full name``, then per
quiz its title (the score) and ``TITLE (feedback)``: the override's comment and the lateness, for "map to feedback".
Moodle reads no points-possible row; a grade item's maximum is set in Moodle.

**Blackboard Learn** (Grade Center > Work Offline > Upload). Blackboard's help ("Uploading External Grade Center
Items", library.blackboard.com): each learner is matched by ``Username``, each column by the column id its header
carries after ``|`` (a download writes ``Quiz 1 [Total Pts: 10 Score] |123456``); "columns that do not have Column ID
numbers in an uploaded file will create new columns" (as text columns worth 0 points); in a comma-separated file each
value "must be contained within a quote character", so every cell is quoted; changes to name columns are not
processed. So: ``Last Name``, ``First Name`` (split from the roster's ``Last, First``, else the whole name as the last
name), ``Username`` (``lms_id``, else the learner id), ``Student ID`` (empty: the institution's number is not ours),
then per quiz ``Title [Total Pts: N Score] |ID`` with the ``blackboard`` id of ``course.yaml``, else ``Title``. The
multi-column upload takes no feedback: override comments are in the JSON.

**JSON** (``imageshare-course-scores/1``): everything, including what no CSV layout can carry (per learner and quiz:
whether they submitted, the graded score, days late, the penalty, the override and its comment, the final score).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from sandbox.course.decisions import penalised
from sandbox.course.policy import QuizPolicy
from sandbox.course.roster import RosterEntry
from sandbox.gradebook.exports import points, text_cell

FORMAT = "imageshare-course-scores/1"
CANVAS_LEARNER_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
#: The first cell of Canvas's points-possible row, as Canvas's own export writes it.
CANVAS_POINTS_POSSIBLE = "    Points Possible"
#: Canvas's importer drops a column whose header contains one of these (``NON_ASSIGNMENT_COLUMN_HEADERS``, matched
#: anywhere in the header, "Unposted" variants included).
CANVAS_RESERVED = re.compile("Current Score|Current Points|Current Grade|Final Score|Final Points|Final Grade|"
                             "Override Score|Override Grade|Override Status")
MOODLE_LEARNER_COLUMNS = ("Username", "ID number", "Email address", "Full name")
BLACKBOARD_LEARNER_COLUMNS = ("Last Name", "First Name", "Username", "Student ID")


class ExportError(ValueError):
    """A course that cannot be written in a layout without losing something (a column the LMS would drop)."""


@dataclass(frozen=True)
class Column:
    """One quiz as an LMS column: its id, title, points possible and the LMS's own ids for it."""

    quiz: str
    title: str
    points: float
    canvas_id: str = ""
    blackboard_id: str = ""

    @classmethod
    def of(cls, policy: QuizPolicy) -> Column:
        """The column of a quiz of ``course.yaml``."""
        return cls(policy.id, policy.quiz.title, policy.quiz.points, policy.canvas_id, policy.blackboard_id)


@dataclass(frozen=True)
class FinalScore:
    """One learner's result on one quiz, as the course counts it."""

    learner: str
    quiz: str
    #: What the grader gave the counted submission, and the most it could give.
    graded: float
    max_score: float
    days_late: int = 0
    #: The fraction of the points possible taken off for lateness (``decisions.lateness``).
    penalty: float = 0.0
    #: An instructor's score, replacing the computed one; None when there is none.
    override: float | None = None
    comment: str = ""

    @property
    def final(self) -> float:
        """The score that counts: the override, else the graded score less the late penalty."""
        if self.override is not None:
            return self.override
        return penalised(self.graded, self.max_score, self.penalty)

    @property
    def note(self) -> str:
        """What a learner should read beside the score: the lateness and the override's comment."""
        parts = []
        if self.days_late:
            parts.append(f"{self.days_late} day{'s' if self.days_late != 1 else ''} late: "
                         f"{points(self.penalty * 100)}% of the points taken off")
        if self.override is not None:
            parts.append(f"score set to {points(self.override)} by the instructor"
                         + (f": {self.comment}" if self.comment else ""))
        return "; ".join(parts)


def canvas_csv(columns: Sequence[Column], roster: Sequence[RosterEntry], scores: Iterable[FinalScore]) -> str:
    """The Canvas gradebook import (see the module docstring); raises ``ExportError`` for a title Canvas would drop."""
    for c in columns:
        reserved = CANVAS_RESERVED.search(c.title)
        if reserved:
            raise ExportError(f"quiz {c.quiz!r} is titled {c.title!r}, and Canvas's import drops every column whose "
                              f"header contains {reserved.group(0)!r} (its own totals); give the quiz another title")
    header = list(CANVAS_LEARNER_COLUMNS) + [f"{c.title} ({c.canvas_id})" if c.canvas_id else c.title
                                             for c in columns]
    rows = [header, [CANVAS_POINTS_POSSIBLE, "", "", "", ""] + [points(c.points) for c in columns]]
    for learner, by_quiz in _table(columns, roster, scores):
        rows.append([learner.name or learner.id, "", learner.lms_id, learner.id, learner.section]
                    + [_score(by_quiz.get(c.quiz)) for c in columns])
    return _csv(rows, numbers=_numbers(len(CANVAS_LEARNER_COLUMNS)))


def moodle_csv(columns: Sequence[Column], roster: Sequence[RosterEntry], scores: Iterable[FinalScore]) -> str:
    """The Moodle grade import (see the module docstring)."""
    header = list(MOODLE_LEARNER_COLUMNS)
    for c in columns:
        header += [c.title, f"{c.title} (feedback)"]
    rows = [header]
    for learner, by_quiz in _table(columns, roster, scores):
        row = [learner.id, learner.lms_id, learner.email, learner.name]
        for c in columns:
            s = by_quiz.get(c.quiz)
            row += [_score(s), s.note if s else ""]
        rows.append(row)
    grade_cells = {len(MOODLE_LEARNER_COLUMNS) + 2 * i for i in range(len(columns))}
    return _csv(rows, numbers=lambda r, i: r > 0 and i in grade_cells)


def blackboard_csv(columns: Sequence[Column], roster: Sequence[RosterEntry], scores: Iterable[FinalScore]) -> str:
    """The Blackboard Learn Grade Center upload (see the module docstring): every cell quoted."""
    header = list(BLACKBOARD_LEARNER_COLUMNS) + [
        f"{c.title} [Total Pts: {points(c.points)} Score] |{c.blackboard_id}" if c.blackboard_id else c.title
        for c in columns]
    rows = [header]
    for learner, by_quiz in _table(columns, roster, scores):
        last, first = _last_first(learner.name)
        rows.append([last, first, learner.lms_id or learner.id, ""] + [_score(by_quiz.get(c.quiz)) for c in columns])
    return _csv(rows, numbers=_numbers(len(BLACKBOARD_LEARNER_COLUMNS)), quote_all=True)


def json_data(course: str, columns: Sequence[Column], roster: Sequence[RosterEntry],
              scores: Iterable[FinalScore]) -> dict[str, Any]:
    """Every learner's every quiz with everything known about the score, as plain data in a fixed order."""
    on_roster = {entry.id for entry in roster}
    learners = []
    for learner, by_quiz in _table(columns, roster, scores):
        results = {}
        for c in columns:
            s = by_quiz.get(c.quiz)
            results[c.quiz] = {"submitted": False, "final": 0} if s is None else {
                "submitted": True, "graded": s.graded, "max_score": s.max_score, "days_late": s.days_late,
                "penalty": s.penalty, "override": s.override, "comment": s.comment, "final": s.final,
            }
        learners.append({"learner": learner.id, "name": learner.name, "section": learner.section,
                         "lms_id": learner.lms_id, "email": learner.email, "on_roster": learner.id in on_roster,
                         "quizzes": results})
    return {
        "format": FORMAT,
        "course": course,
        "quizzes": [{"quiz": c.quiz, "title": c.title, "points": c.points, "canvas_id": c.canvas_id,
                     "blackboard_id": c.blackboard_id} for c in columns],
        "learners": learners,
    }


def json_text(course: str, columns: Sequence[Column], roster: Sequence[RosterEntry],
              scores: Iterable[FinalScore]) -> str:
    """``json_data`` as UTF-8 JSON text, indented, ending in a newline."""
    return json.dumps(json_data(course, columns, roster, scores), ensure_ascii=False, indent=1) + "\n"


def _table(columns: Sequence[Column], roster: Sequence[RosterEntry],
           scores: Iterable[FinalScore]) -> list[tuple[RosterEntry, dict[str, FinalScore]]]:
    """Each learner (the roster's in its order, then the others sorted) with their scores by quiz.

    Raises ``ValueError`` for two scores of one learner on one quiz (only one submission counts)."""
    wanted = {c.quiz for c in columns}
    by_learner: dict[str, dict[str, FinalScore]] = {}
    for s in scores:
        if s.quiz in wanted:
            mine = by_learner.setdefault(s.learner, {})
            if s.quiz in mine:
                raise ValueError(f"two final scores for learner {s.learner!r} on quiz {s.quiz!r}")
            mine[s.quiz] = s
    listed = {entry.id for entry in roster}
    everyone = list(roster) + [RosterEntry(learner) for learner in sorted(set(by_learner) - listed)]
    return [(entry, by_learner.get(entry.id, {})) for entry in everyone]


def _score(s: FinalScore | None) -> str:
    return points(s.final) if s is not None else "0"


def _last_first(name: str) -> tuple[str, str]:
    last, comma, first = name.partition(",")
    return (last.strip(), first.strip()) if comma else (name.strip(), "")


def _numbers(first_column: int) -> Callable[[int, int], bool]:
    """Which cells hold numbers we wrote (scores, points possible): every cell from ``first_column`` on, below the
    header."""
    return lambda r, i: r >= 1 and i >= first_column


def _csv(rows: list[list[str]], numbers: Callable[[int, int], bool], quote_all: bool = False) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    for r, row in enumerate(rows):
        writer.writerow([cell if numbers(r, i) else text_cell(cell) for i, cell in enumerate(row)])
    return out.getvalue()
