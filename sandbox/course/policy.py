"""A course's policy as values: its quizzes with their windows, late rules, attempts and release settings, its
roster file and who teaches it. ``loader.py`` reads them from ``course.yaml``; ``decisions.py`` applies them.

All times are aware datetimes (the file must give an offset); everything here is frozen.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from sandbox.quiz.model import Quiz

#: When a learner may see something (``scores``, ``feedback``, ``keys``).
IMMEDIATELY = "immediately"
AFTER_DUE = "after_due"
NEVER = "never"
RELEASES = (IMMEDIATELY, AFTER_DUE, NEVER)

#: The roles a hub user can hold in a course; everyone else on the hub is a learner (if on the roster).
INSTRUCTOR = "instructor"
TEACHING_ASSISTANT = "teaching_assistant"
LEARNER = "learner"
#: How a role list names a hub group rather than a user.
GROUP_PREFIX = "group:"


@dataclass(frozen=True)
class Late:
    """Late submissions: accepted after the due time until ``cutoff``, each started day late taking
    ``penalty_per_day`` (a fraction, 0.1 for 10%) off the score, down to nothing."""

    penalty_per_day: float
    cutoff: datetime


@dataclass(frozen=True)
class QuizPolicy:
    """One quiz of the course: its file, when it opens and is due, late rules, attempts, what is shown when."""

    quiz: Quiz
    path: Path
    #: None: open from the start.
    opens: datetime | None = None
    #: None: never due (a practice quiz), so never late and never closed.
    due: datetime | None = None
    #: None: nothing is accepted after the due time.
    late: Late | None = None
    #: Accepted submissions a learner may make; None for unlimited.
    attempts: int | None = None
    scores: str = IMMEDIATELY
    feedback: str = IMMEDIATELY
    keys: str = AFTER_DUE
    #: The quiz's assignment id in Canvas and column id in Blackboard's Grade Center (digits), when known, so the
    #: exports update that column rather than create one (``lms.py``).
    canvas_id: str = ""
    blackboard_id: str = ""
    #: Learners given a later due time (learner id, their due time), in the file's order.
    extensions: tuple[tuple[str, datetime], ...] = ()

    @property
    def id(self) -> str:
        """The quiz's id, as its own file gives it."""
        return self.quiz.id

    @property
    def closes(self) -> datetime | None:
        """The last instant a submission is accepted: the late cutoff, else the due time; None when never."""
        return self.late.cutoff if self.late else self.due

    @property
    def release_at(self) -> datetime | None:
        """When ``after_due`` releases: once nobody can submit any more, extensions included; None when never."""
        closes = [self.for_learner(learner).closes for learner, _ in self.extensions] + [self.closes]
        return None if None in closes else max(closes)

    def for_learner(self, learner: str) -> QuizPolicy:
        """The policy as it applies to ``learner``: with an extension, their own due time, and the late window (the
        time from the due time to the cutoff) as long as everyone's, after it. Release times stay the class's."""
        for who, due in self.extensions:
            if who == learner and self.due is not None:
                late = replace(self.late, cutoff=self.late.cutoff + (due - self.due)) if self.late else None
                return replace(self, due=due, late=late, extensions=self.extensions)
        return self


@dataclass(frozen=True)
class Course:
    """A course: its id and title, quizzes in the file's order, roster file, and its staff on the hub."""

    id: str
    title: str
    path: Path
    quizzes: tuple[QuizPolicy, ...]
    #: Hub user names and ``group:NAME`` entries.
    instructors: tuple[str, ...]
    teaching_assistants: tuple[str, ...] = ()
    #: The roster CSV (``roster.py`` reads it), resolved against the course file's folder; None if not given.
    roster: Path | None = field(default=None)

    def quiz(self, quiz_id: str) -> QuizPolicy:
        """The quiz with id ``quiz_id``; raises ``KeyError`` naming the course's quizzes when there is none."""
        for q in self.quizzes:
            if q.id == quiz_id:
                return q
        raise KeyError(f"course {self.id!r} has no quiz {quiz_id!r} (it has {', '.join(q.id for q in self.quizzes)})")

    def role(self, user: str, groups: frozenset[str] | set[str] | tuple[str, ...] = ()) -> str:
        """The role of hub user ``user`` (member of hub ``groups``): instructor, teaching assistant or learner.

        Names match exactly, as the hub gives them; instructor wins over teaching assistant. A ``group:NAME`` entry
        matches members of the group only, never a user who managed to be called ``group:NAME``."""
        for role, names in ((INSTRUCTOR, self.instructors), (TEACHING_ASSISTANT, self.teaching_assistants)):
            for name in names:
                if name.startswith(GROUP_PREFIX):
                    if name[len(GROUP_PREFIX):] in groups:
                        return role
                elif name == user:
                    return role
        return LEARNER


def shown_time(t: datetime) -> str:
    """A time as the course's messages write it, in the offset the course file gave: ``2026-03-02 23:59 +01:00``
    (seconds only when not zero; ``UTC`` for a zero offset)."""
    text = t.strftime("%Y-%m-%d %H:%M:%S" if t.second or t.microsecond else "%Y-%m-%d %H:%M")
    offset = t.utcoffset()
    if not offset:
        return f"{text} UTC"
    sign, offset = ("-", -offset) if offset < timedelta(0) else ("+", offset)
    minutes = int(offset.total_seconds()) // 60
    return f"{text} {sign}{minutes // 60:02d}:{minutes % 60:02d}"
