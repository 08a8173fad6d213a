"""What the class report says about questions beyond their scores: for each task, which goals the class missed, which
forbidden patterns it hit and its commonest wrong commands; for each question with ``vars``, whether one variant is
markedly easier or harder than its siblings.

The analyses take plain rows (``AnswerRow``: question, variant, learner, answer, whether it got full marks, and for a
task what its answer did) and return plain values, so the report, ``imageshare grade``'s summary and the course
dashboard can each draw them. ``task_rows`` makes the rows of a task: the gradebook stores a task answer's command
lines but not, as data, which goals it met or which rule it broke (only the feedback's prose says so), so they are
read again by regrading the stored answer with the pure grader, the commonest distinct answers first and at most
``MAX_REPLAYS`` of them per question.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from sandbox.gradebook.store import QuizRecord, question_version
from sandbox.quiz.grader import Grader, TaskDetail
from sandbox.quiz.model import Question, Quiz

#: Distinct answers (variant and command lines) of one task replayed for the report, commonest first: each costs a
#: sandbox replay, and the commonest ones already say what the class did. The rest are read but not replayed.
MAX_REPLAYS = 500
#: Wrong commands listed per task.
COMMON_COMMANDS = 5
#: Characters of a command line shown (and told apart); longer ones end in "...".
COMMAND_CHARS = 80
#: A variant is flagged when its share of full marks differs from that of its siblings together by at least this
#: much...
VARIANT_GAP = 0.20
#: ... and the difference is unlikely to be chance: |z| of a two-proportion z-test at least this (5 % two-sided)...
VARIANT_Z = 1.96
#: ... with at least this many learners on each side.
VARIANT_LEARNERS = 5


@dataclass(frozen=True)
class AnswerRow:
    """One learner's current grade of one question, as the analyses read it."""

    question: str
    variant: int
    learner: str
    correct: bool
    #: The answer as stored (for a task, its command lines).
    answer: Any = None
    #: For a task, the solution of the learner's variant as stored (its key).
    key: Any = None
    #: For a task, what the answer did (None when it was not read again).
    task: TaskDetail | None = None


@dataclass(frozen=True)
class VariantRate:
    """How one variant of a question went, beside the question's other variants taken together."""

    variant: int
    learners: int
    correct: int
    others_learners: int
    others_correct: int
    #: "easier", "harder" or "" (see ``VARIANT_GAP``, ``VARIANT_Z``, ``VARIANT_LEARNERS``).
    flag: str = ""

    @property
    def rate(self) -> float:
        """Share of this variant's learners with full marks."""
        return self.correct / self.learners if self.learners else 0.0

    @property
    def others_rate(self) -> float:
        """Share of the other variants' learners with full marks."""
        return self.others_correct / self.others_learners if self.others_learners else 0.0


@dataclass(frozen=True)
class GoalMissed:
    """How many of the replayed answers left one goal of a task unmet."""

    goal: int
    label: str
    missed: int
    of: int


@dataclass(frozen=True)
class ForbidHit:
    """How many learners' answers broke one ``forbid`` rule of a task (each answer scored 0)."""

    rule: int
    pattern: str
    learners: int


@dataclass(frozen=True)
class WrongCommand:
    """A command line (whitespace collapsed, at most ``COMMAND_CHARS``) in the answers of learners without full marks
    that is not a line of their variant's solution: how many such learners typed it, and for how many it failed."""

    command: str
    learners: int
    failed: int


@dataclass(frozen=True)
class TaskAnalysis:
    """What the class did on one task: ``answers`` read, ``replayed`` of them replayed (their goals known)."""

    question: str
    answers: int
    replayed: int
    goals: tuple[GoalMissed, ...]
    forbidden: tuple[ForbidHit, ...]
    wrong_commands: tuple[WrongCommand, ...]
    #: Answers that could not be read as command lines at all (no answer, too many commands...).
    unreadable: int = 0


def command_text(line: str) -> str:
    """A command line as the report counts and shows it: as typed, runs of whitespace made one space, at most
    ``COMMAND_CHARS`` characters (a longer one is cut and ends in "...")."""
    text = " ".join(line.split())
    return text if len(text) <= COMMAND_CHARS else text[:COMMAND_CHARS - 3] + "..."


def variant_rates(rows: Iterable[AnswerRow]) -> dict[str, tuple[VariantRate, ...]]:
    """Per question answered in more than one variant, each variant's share of full marks beside its siblings', in
    variant order; a variant is flagged "easier" or "harder" when its share differs from the other variants' together
    by at least ``VARIANT_GAP`` with |z| at least ``VARIANT_Z``, each side with at least ``VARIANT_LEARNERS``."""
    counts: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for r in rows:
        tally = counts[r.question][r.variant]
        tally[0] += 1
        tally[1] += bool(r.correct)
    out = {}
    for question, by_variant in counts.items():
        if len(by_variant) < 2:
            continue
        total = sum(n for n, _ in by_variant.values())
        right = sum(c for _, c in by_variant.values())
        out[question] = tuple(_rate(v, n, c, total - n, right - c) for v, (n, c) in sorted(by_variant.items()))
    return out


def _rate(variant: int, n: int, c: int, others_n: int, others_c: int) -> VariantRate:
    flag = ""
    if n >= VARIANT_LEARNERS and others_n >= VARIANT_LEARNERS:
        gap = c / n - others_c / others_n
        pooled = (c + others_c) / (n + others_n)
        spread = math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / others_n))
        if abs(gap) >= VARIANT_GAP and spread and abs(gap) / spread >= VARIANT_Z:
            flag = "easier" if gap > 0 else "harder"
    return VariantRate(variant, n, c, others_n, others_c, flag)


def task_analysis(question: str, rows: Iterable[AnswerRow], goals: Sequence[str],
                  forbid: Sequence[str]) -> TaskAnalysis:
    """What the class did on the task ``question`` (``goals`` and ``forbid`` label its goals and rules, in order):
    per goal how many replayed answers missed it, per rule how many answers broke it, and the ``COMMON_COMMANDS``
    commonest wrong commands (most learners first, then most failures, then the text)."""
    rows = [r for r in rows if r.question == question]
    missed = [0] * len(goals)
    hits = [0] * len(forbid)
    typed: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    replayed = unreadable = 0
    for r in rows:
        d = r.task
        if d is None:
            continue
        if not d.commands:
            unreadable += 1
        if d.goals:
            replayed += 1
            for i, met in enumerate(d.goals[:len(goals)]):
                missed[i] += not met
        for i in d.forbidden:
            if i < len(hits):
                hits[i] += 1
        if r.correct:
            continue
        solution = {command_text(line) for line in _lines(r.key)}
        mine: dict[str, bool] = {}
        for i, line in enumerate(d.commands):
            text = command_text(line)
            if text in solution:
                continue
            exited = d.exit_codes[i] if i < len(d.exit_codes) else 0
            mine[text] = mine.get(text, False) or exited != 0
        typed.update(mine.keys())
        failed.update(text for text, bad in mine.items() if bad)
    wrong = sorted(typed, key=lambda t: (-typed[t], -failed[t], t))[:COMMON_COMMANDS]
    return TaskAnalysis(
        question, sum(r.task is not None for r in rows), replayed,
        tuple(GoalMissed(i, label, missed[i], replayed) for i, label in enumerate(goals)),
        tuple(ForbidHit(i, pattern, hits[i]) for i, pattern in enumerate(forbid)),
        tuple(WrongCommand(t, typed[t], failed[t]) for t in wrong), unreadable)


def _lines(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(value.splitlines())
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, tuple) else ()


def task_rows(grader: Grader, question: Question, rows: Iterable[AnswerRow], *,
              max_replays: int = MAX_REPLAYS) -> list[AnswerRow]:
    """``rows`` of the task ``question`` with ``task`` set by the grader: the ``max_replays`` commonest distinct
    answers (by variant and command lines) replayed, the rest read without a replay (commands and rules only)."""
    rows = [r for r in rows if r.question == question.id]
    distinct = Counter((r.variant, _hashable(r.answer)) for r in rows)
    replay = {slot for slot, _ in sorted(distinct.items(), key=lambda kv: (-kv[1], repr(kv[0])))[:max_replays]}
    details: dict[tuple, TaskDetail] = {}
    out = []
    for r in rows:
        slot = (r.variant, _hashable(r.answer))
        if slot not in details:
            details[slot] = grader.task_detail(question, _answer(r.answer), variant=r.variant, replay=slot in replay)
        out.append(AnswerRow(r.question, r.variant, r.learner, r.correct, r.answer, r.key, details[slot]))
    return out


def _hashable(value: Any) -> Any:
    try:
        hash(value)
        return value
    except TypeError:
        return repr(value)


def _answer(value: Any) -> Any:
    """A stored answer as the grader reads one (the store keeps lists as tuples)."""
    return list(value) if isinstance(value, tuple) else value


def goal_labels(question: Question) -> tuple[str, ...]:
    """The task's goals in words, as written (placeholders left as ``${name}``, so one label covers every variant)."""
    return tuple(g.describe(question.host) for g in question.goal)


def forbid_patterns(question: Question) -> tuple[str, ...]:
    """The task's ``forbid`` rules as written."""
    return tuple(rule.pattern for rule in question.forbid)


def answer_rows(submissions: Iterable[Any]) -> list[AnswerRow]:
    """An ``AnswerRow`` per current grade of ``submissions`` (``SubmissionRecord``s or anything shaped like them)."""
    return [AnswerRow(g.question, g.variant, s.learner, g.correct, g.answer, g.key)
            for s in submissions for g in s.grades]


def by_question(rows: Iterable[AnswerRow]) -> Mapping[str, list[AnswerRow]]:
    """``rows`` grouped by question id."""
    out: dict[str, list[AnswerRow]] = defaultdict(list)
    for r in rows:
        out[r.question].append(r)
    return out


@dataclass(frozen=True)
class QuizAnalysis:
    """The analyses of one quiz: variant rates per question, the tasks in quiz order, and why a task could not be
    analysed (its quiz file missing or changed since the gradebook last loaded it)."""

    quiz: str
    variants: Mapping[str, tuple[VariantRate, ...]]
    tasks: tuple[TaskAnalysis, ...] = ()
    notes: tuple[str, ...] = ()


def quiz_analysis(record: QuizRecord, rows: Sequence[AnswerRow], quiz: Quiz | None, grader: Grader, *,
                  max_replays: int = MAX_REPLAYS) -> QuizAnalysis:
    """The analyses of the quiz ``record`` from its ``rows``; its tasks are analysed only when ``quiz``, the loaded
    quiz file, holds each task as the gradebook last saw it (the same ``question_version``)."""
    tasks, notes = [], []
    grouped = by_question(rows)
    for q in record.questions:
        if q.kind != "task" or not grouped.get(q.question):
            continue
        question = quiz.question(q.question) if quiz is not None else None
        if quiz is None:
            notes.append(f"{q.question}: goals, forbidden patterns and commands need the quiz file"
                         + (f" ({record.path} was not found or does not load)" if record.path else ""))
        elif question is None or question_version(question) != q.version:
            notes.append(f"{q.question}: the quiz file {record.path or ''} no longer holds this task as it was "
                         "graded; run imageshare grade with it (--regrade) first")
        else:
            replayed = task_rows(grader, question, grouped[q.question], max_replays=max_replays)
            tasks.append(task_analysis(q.question, replayed, goal_labels(question), forbid_patterns(question)))
    return QuizAnalysis(record.quiz, variant_rates(rows), tuple(tasks), tuple(notes))


__all__ = [
    "AnswerRow", "ForbidHit", "GoalMissed", "QuizAnalysis", "TaskAnalysis", "VariantRate", "WrongCommand",
    "answer_rows", "by_question",
    "command_text", "forbid_patterns", "goal_labels", "quiz_analysis", "task_analysis", "task_rows", "variant_rates",
]
