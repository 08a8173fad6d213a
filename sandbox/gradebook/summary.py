"""Class statistics from the gradebook: per quiz the score distribution, per question how many got it right and
what the most common wrong answers were. ``imageshare grade`` prints them; the report draws them."""

from __future__ import annotations

import dataclasses
import json
import statistics
import sys
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable

from sandbox.gradebook.cache import answer_name, remembered
from sandbox.gradebook.store import Gradebook, QuizRecord, _frozen

#: Wrong answers the report lists per question.
COMMON_WRONG = 3


@dataclass(frozen=True)
class QuestionSummary:
    """How the class did on one question: ``correct`` of ``answered`` current submissions got full marks."""

    question: str
    kind: str
    points: float
    answered: int
    correct: int
    mean_fraction: float
    common_wrong: tuple[tuple[str, int], ...] = ()
    #: Learners who left the question unanswered (not counted among the wrong answers).
    unanswered: int = 0
    #: Upper-lower discrimination index: the share with full marks among the 27 % of learners with the highest quiz
    #: scores minus that among the 27 % with the lowest (Kelley's groups); None below 4 learners.
    discrimination: float | None = None

    @property
    def success_rate(self) -> float:
        """The share of learners with full marks, 0 to 1 (0 when nobody answered)."""
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class QuizSummary:
    """How the class did on one quiz: one score per learner (the current submission), in points."""

    quiz: str
    title: str
    points: float
    scores: tuple[float, ...]
    questions: tuple[QuestionSummary, ...]

    @property
    def learners(self) -> int:
        """Learners with a graded submission."""
        return len(self.scores)

    @property
    def mean(self) -> float:
        """Mean score in points (0 without learners)."""
        return statistics.fmean(self.scores) if self.scores else 0.0

    @property
    def median(self) -> float:
        """Median score in points (0 without learners)."""
        return statistics.median(self.scores) if self.scores else 0.0


def summarize(book: Gradebook, quiz_ids: Iterable[str] | None = None) -> list[QuizSummary]:
    """A summary per quiz (all, or those named), sorted by quiz id, from the current submissions: counted and
    grouped by the database, so memory stays flat as the class grows (a class of 20,000 is one score each and the
    distinct answers per question, never 20,000 submissions as records). Kept in the gradebook until it changes
    (``cache``), so a run that changed nothing does not count again."""
    name, ids = answer_name("summary", sys.modules[__name__], quiz_ids)
    return remembered(book, name, lambda: [_summarize(book, quiz) for quiz in book.quizzes(ids)], _encode, _decode)


def _encode(summaries: list[QuizSummary]) -> str:
    return json.dumps([dataclasses.asdict(s) for s in summaries], ensure_ascii=False, separators=(",", ":"))


def _decode(text: str) -> list[QuizSummary]:
    return [QuizSummary(s["quiz"], s["title"], s["points"], tuple(s["scores"]), tuple(
        QuestionSummary(**{**q, "common_wrong": tuple(tuple(pair) for pair in q["common_wrong"])})
        for q in s["questions"])) for s in json.loads(text)]


#: The submissions a summary counts: the current graded ones of one quiz that have grades.
CURRENT = ("s.status = 'graded' AND s.superseded_by IS NULL AND s.quiz = ?"
           " AND EXISTS (SELECT 1 FROM grades x WHERE x.submission = s.id AND x.current = 1)")


def _summarize(book: Gradebook, quiz: QuizRecord) -> QuizSummary:
    scores = tuple(row[0] for row in book.rows(
        f"SELECT s.score FROM submissions s WHERE {CURRENT} ORDER BY s.learner, s.id", (quiz.quiz,)))
    kinds = {q.question: q.kind for q in quiz.questions}
    answered: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    unanswered: Counter[str] = Counter()
    # fmean's exact sum (fsum) of each grade's score / max_score: counted per distinct share (a question has a few,
    # however many distinct answers), then summed exactly as fractions
    shares: dict[str, Counter[float]] = {q: Counter() for q in kinds}
    wrong: dict[str, Counter[str]] = {q: Counter() for q in kinds}
    shown: dict[str, str] = {}
    for question, answer, right, score, max_score, n in book.rows(
            "SELECT g.question, g.answer, g.correct, g.score, g.max_score, count(*) FROM submissions s"
            f" JOIN grades g ON g.submission = s.id AND g.current = 1 WHERE {CURRENT}"
            " GROUP BY g.question, g.answer, g.correct, g.score, g.max_score", (quiz.quiz,)):
        if question not in kinds:  # a question the quiz no longer has
            continue
        text = shown.get(answer)
        if text is None:
            text = shown[answer] = _shown(_frozen(json.loads(answer)))
        answered[question] += n
        correct[question] += n if right else 0
        shares[question][score / max_score] += n
        if text == NO_ANSWER:
            unanswered[question] += n
        elif not right and kinds[question] != "task":
            wrong[question][text] += n
    upper, lower = _group_shares(book, quiz.quiz, len(scores))
    questions = tuple(QuestionSummary(
        q.question, q.kind, q.points, answered[q.question], correct[q.question],
        float(sum(Fraction(share) * n for share, n in shares[q.question].items())) / answered[q.question]
        if answered[q.question] else 0.0,
        tuple(sorted(wrong[q.question].items(), key=lambda kv: (-kv[1], kv[0]))[:COMMON_WRONG]),
        unanswered[q.question],
        None if upper is None else round(upper.get(q.question, 0.0) - lower.get(q.question, 0.0), 4),
    ) for q in quiz.questions)
    return QuizSummary(quiz.quiz, quiz.title, quiz.points, scores, questions)


#: Kelley's share for the upper and lower groups of a discrimination index.
GROUP = 0.27


def group_size(learners: int) -> int:
    """How many submissions the upper and the lower group each hold: 27 % of ``learners``, at least one; 0 below 4
    learners (no groups)."""
    return 0 if learners < 4 else max(1, round(GROUP * learners))


def _group_shares(book: Gradebook, quiz: str, learners: int) -> tuple[dict[str, float] | None, dict[str, float] | None]:
    """Per question, the share with full marks among the 27 % of submissions with the highest scores and among the
    27 % with the lowest (ties broken by learner id, so the same gradebook gives the same groups); None without
    groups."""
    size = group_size(learners)
    if not size:
        return None, None
    shares = []
    for order in ("s.score DESC, s.learner", "s.score, s.learner DESC"):
        share: dict[str, float] = {}
        for question, n in book.rows(
                "SELECT g.question, count(DISTINCT g.submission) FROM grades g WHERE g.current = 1 AND g.correct = 1"
                f" AND g.submission IN (SELECT s.id FROM submissions s WHERE {CURRENT} ORDER BY {order} LIMIT ?)"
                " GROUP BY g.question", (quiz, size)):
            share[question] = n / size
        shares.append(share)
    return shares[0], shares[1]


NO_ANSWER = "(no answer)"


def _shown(answer: object) -> str:
    if answer is None:
        return "(no answer)"
    if isinstance(answer, tuple):
        return ", ".join(map(str, answer)) or "(no answer)"
    text = str(answer) if not isinstance(answer, str) else answer
    text = " ".join(text.split()) or "(no answer)"
    return text if len(text) <= 60 else text[:57] + "..."

