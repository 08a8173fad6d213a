"""Class statistics from the gradebook: per quiz the score distribution, per question how many got it right and
what the most common wrong answers were. ``imageshare grade`` prints them; the report draws them."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from sandbox.gradebook.store import Gradebook

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
    """A summary per quiz (all, or those named), sorted by quiz id, from the current submissions."""
    out = []
    quizzes = book.quizzes(quiz_ids)
    by_quiz: dict[str, list] = {q.quiz: [] for q in quizzes}
    for s in book.submissions(list(by_quiz), detail=False):
        by_quiz[s.quiz].append(s)
    for quiz in quizzes:
        subs = by_quiz[quiz.quiz]
        per: dict[str, list] = {q.question: [] for q in quiz.questions}
        for s in subs:
            for g in s.grades:
                if g.question in per:
                    per[g.question].append(g)
        questions = []
        upper, lower = groups(subs)
        for q in quiz.questions:
            grades = per[q.question]
            unanswered = [g for g in grades if _shown(g.answer) == NO_ANSWER]
            wrong = Counter(_shown(g.answer) for g in grades
                            if not g.correct and q.kind != "task" and _shown(g.answer) != NO_ANSWER)
            questions.append(QuestionSummary(
                q.question, q.kind, q.points, len(grades), sum(g.correct for g in grades),
                statistics.fmean(g.score / g.max_score for g in grades) if grades else 0.0,
                tuple(sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[:COMMON_WRONG]),
                len(unanswered), discrimination(q.question, upper, lower),
            ))
        out.append(QuizSummary(quiz.quiz, quiz.title, quiz.points, tuple(s.score for s in subs), tuple(questions)))
    return out


#: Kelley's share for the upper and lower groups of a discrimination index.
GROUP = 0.27


def groups(subs: list) -> tuple[list, list]:
    """The 27 % of submissions with the highest scores and the 27 % with the lowest (at least one each; ties broken
    by learner id, so the same gradebook gives the same groups); empty below 4 learners."""
    if len(subs) < 4:
        return [], []
    ranked = sorted(subs, key=lambda s: (-s.score, s.learner))
    n = max(1, round(GROUP * len(ranked)))
    return ranked[:n], ranked[-n:]


def discrimination(question: str, upper: list, lower: list) -> float | None:
    """Share with full marks on ``question`` in ``upper`` minus that in ``lower``, from -1 to 1; None without groups."""
    if not upper or not lower:
        return None

    def share(group: list) -> float:
        return sum(any(g.question == question and g.correct for g in s.grades) for s in group) / len(group)

    return round(share(upper) - share(lower), 4)


NO_ANSWER = "(no answer)"


def _shown(answer: object) -> str:
    if answer is None:
        return "(no answer)"
    if isinstance(answer, tuple):
        return ", ".join(map(str, answer)) or "(no answer)"
    text = str(answer) if not isinstance(answer, str) else answer
    text = " ".join(text.split()) or "(no answer)"
    return text if len(text) <= 60 else text[:57] + "..."

