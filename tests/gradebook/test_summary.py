"""Class statistics: per quiz the scores of the current submissions, per question the share with full marks and the
most common wrong answers."""

from __future__ import annotations

from pathlib import Path

from sandbox.gradebook.store import Gradebook
from sandbox.gradebook.summary import summarize

from .conftest import QUIZZES, grade, write_class


def test_summary_of_a_class(tmp_path: Path, location: str) -> None:
    write_class(tmp_path / "subs", 10)
    grade(QUIZZES, tmp_path / "subs", "--db", location)
    with Gradebook(location) as book:
        [s] = summarize(book)
    assert (s.quiz, s.learners, s.points, s.mean, s.median) == ("tiny", 10, 4.0, 1.4, 1.0)
    assert sorted(s.scores) == [0, 0, 0, 0, 1, 1, 2, 2, 4, 4]
    by_id = {q.question: q for q in s.questions}
    assert (by_id["tag-idea"].correct, by_id["tag-idea"].answered, by_id["tag-idea"].success_rate) == (4, 10, 0.4)
    assert by_id["tag-idea"].common_wrong == (("b", 2), ("zz", 2))  # "(no answer)" is counted on its own
    assert by_id["tag-idea"].unanswered == 2
    assert by_id["tag-for-account"].common_wrong == (), "command lines are too varied to count"


def test_summary_of_a_quiz_nobody_took(tmp_path: Path) -> None:
    write_class(tmp_path / "subs", 1)
    grade(QUIZZES, tmp_path / "subs", "--db", tmp_path / "g.sqlite")
    with Gradebook(tmp_path / "g.sqlite") as book:
        assert summarize(book, ["nothing"]) == []


def test_discrimination_is_the_upper_27_percent_share_minus_the_lower(tmp_path: Path, location: str) -> None:
    write_class(tmp_path / "subs", 10)
    grade(QUIZZES, tmp_path / "subs", "--db", location)
    with Gradebook(location) as book:
        [s] = summarize(book)
    by_id = {q.question: q for q in s.questions}
    # 10 learners: groups of round(2.7) = 3; the top three (4, 4, 2 points) all have tag-idea, the bottom three none
    assert by_id["tag-idea"].discrimination == 1.0
    assert all(q.discrimination is not None and -1 <= q.discrimination <= 1 for q in s.questions)
