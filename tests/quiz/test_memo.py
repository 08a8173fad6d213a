"""A remembered grade is the grade: the same bytes as grading afresh, for every question of the bank, shuffled
letters, variants and malformed answers; and the memo stays within its bounds whatever a class answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.quiz import load_all
from sandbox.quiz.grader import Grader
from sandbox.quiz.memo import GradeMemo, answer_key

BANK = load_all([Path(__file__).parents[2] / "quizzes"])
LEARNERS = ("ada", "Bob", "c3", None)


def answers_for(grader: Grader, quiz, question, learner):
    """The key, a wrong answer, odd spellings and malformed values: what a class hands in."""
    key = grader.key(question, grader.variant(quiz.id, question, learner)).value
    given = [key, list(key) if isinstance(key, tuple) else key, None, "", "zz", 1, True, 1.0, -0.0, ["a", "b"]]
    if question.kind == "task":
        given += [list(key[:1]), "docker images\n# c\ndocker tag alpine learner/x:1", ["docker images", 7]]
    elif question.kind == "output":
        given += ["  " + str(key).upper(), "137", 0]
    else:
        given += [x.upper() for x in question.letters] + [", ".join(question.letters[:2])]
    return given


@pytest.mark.parametrize("quiz", BANK, ids=[q.id for q in BANK])
def test_a_remembered_grade_equals_a_fresh_one(quiz) -> None:
    memoised, unremembering = Grader(), Grader(memo=GradeMemo(entries=0))
    for learner in LEARNERS:
        for question in quiz.questions:
            for reveal in (True, False):
                for answer in answers_for(memoised, quiz, question, learner):
                    fresh = unremembering.grade(question, answer, quiz_id=quiz.id, learner=learner, reveal=reveal)
                    first = memoised.grade(question, answer, quiz_id=quiz.id, learner=learner, reveal=reveal)
                    again = memoised.grade(question, answer, quiz_id=quiz.id, learner=learner, reveal=reveal)
                    assert first == fresh and again == fresh, (question.id, learner, answer, reveal)
    assert len(memoised.memo) > 0 and len(unremembering.memo) == 0


def test_learners_who_see_the_letters_in_another_order_get_their_own_feedback() -> None:
    quiz = next(q for q in BANK if q.id == "login-and-push")
    question = next(q for q in quiz.questions if q.kind == "which-fails")
    grader = Grader()
    grades = {learner: grader.grade(question, "a", quiz_id=quiz.id, learner=learner)
              for learner in (f"l{i}" for i in range(40))}
    unremembering = Grader(memo=GradeMemo(entries=0))
    fresh = {learner: unremembering.grade(question, "a", quiz_id=quiz.id, learner=learner) for learner in grades}
    assert grades == fresh
    assert len({g.order for g in grades.values()}) > 1  # the class did see different orders


def test_answer_keys_tell_apart_what_the_grader_tells_apart() -> None:
    values = [1, True, 1.0, "1", 0.0, -0.0, None, "", (), [], ("a",), ["a"], "a", ("a", "b"), "a, b"]
    assert len({answer_key(v) for v in values}) == len(values)
    assert answer_key({"a": 1}) is None and answer_key(["a", {"b"}]) is None


def test_the_memo_is_bounded_by_entries_and_by_bytes() -> None:
    quiz = next(q for q in BANK if q.id == "pull")
    question = next(q for q in quiz.questions if q.kind == "output")
    by_entries = Grader(memo=GradeMemo(entries=50, size=1 << 30))
    by_bytes = Grader(memo=GradeMemo(entries=10**6, size=64 << 10))
    for i in range(300):  # a hostile class: every answer distinct, long
        answer = f"{i} " + "x" * 2000
        by_entries.grade(question, answer, quiz_id=quiz.id, learner="ada")
        by_bytes.grade(question, answer, quiz_id=quiz.id, learner="ada")
    assert len(by_entries.memo) == 50
    assert by_bytes.memo.held <= 64 << 10 and 0 < len(by_bytes.memo) < 50
    latest = by_bytes.grade(question, "299 " + "x" * 2000, quiz_id=quiz.id, learner="ada")
    assert by_bytes.memo.get(question, GradeMemo.key(question, quiz.id, latest.variant, (), True,
                                                     "299 " + "x" * 2000)) is latest
