"""Each learner's order of the choices: stable everywhere, different between learners and variants, read back to the
author's letters for grading; ``shuffle: false`` and anonymous learners keep the author's order."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.quiz import Grader, load_all, parse
from sandbox.quiz.shuffle import choice_order

ROOT = Path(__file__).resolve().parents[2]
QUIZZES = load_all([ROOT / "quizzes"])
GRADER = Grader()
LETTER_QUESTIONS = [(quiz, q) for quiz in QUIZZES for q in quiz.questions
                    if q.kind in ("which-fails", "which-succeeds", "outcome", "choice")]
VARIANTS = parse("""quiz: v
title: Variants
questions:
  - id: tag
    kind: choice
    prompt: Which is the tag of web:${tag}?
    vars: {tag: ["1.0", "2.0", "3.0", "4.0", "5.0", "6.0"]}
    choices:
      a: ${tag}
      b: web
      c: latest
      d: docker.io
    answer: a
  - id: fixed
    kind: choice
    shuffle: false
    prompt: Which are true?
    choices:
      a: one
      b: two
      c: all of the above
    answer: c
""", "v.yaml")


def test_the_order_is_a_permutation_and_the_same_in_another_process() -> None:
    quiz, q = LETTER_QUESTIONS[0]
    order = choice_order(quiz.id, q, 0, "ada")
    assert sorted(order.shown) == sorted(q.letters) and order.labels == q.letters
    code = (f"from sandbox.quiz import load_file; from sandbox.quiz.shuffle import choice_order; "
            f"quiz = load_file({str(quiz.path)!r}); q = quiz.question({q.id!r}); "
            f"print(choice_order(quiz.id, q, 0, 'ada').shown)")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONHASHSEED": "7"},
                           cwd=ROOT, check=True)
    assert other.stdout.strip() == str(order.shown)


def test_anonymous_learners_and_shuffle_false_keep_the_authors_order() -> None:
    quiz, q = LETTER_QUESTIONS[0]
    assert choice_order(quiz.id, q, 0, None).shown == q.letters
    fixed = VARIANTS.question("fixed")
    assert {choice_order("v", fixed, 0, f"l{i}").shown for i in range(20)} == {("a", "b", "c")}
    assert not parse("quiz: n\ntitle: T\nshuffle: false\nquestions:\n  - id: x\n    kind: choice\n    prompt: p\n"
                     "    choices: {a: x, b: y}\n    answer: a\n").questions[0].shuffle


def test_the_key_letter_differs_between_learners_and_between_variants() -> None:
    q = VARIANTS.question("tag")
    letters = {choice_order("v", q, 0, f"learner{i}").label("a") for i in range(40)}
    assert letters == {"a", "b", "c", "d"}
    by_variant = {choice_order("v", q, v, "ada").shown for v in range(6)}
    assert len(by_variant) > 1


def test_a_learner_answers_in_the_letters_they_see_and_grades_keep_the_authors() -> None:
    q = VARIANTS.question("tag")
    learner = next(f"l{i}" for i in range(100) if choice_order("v", q, GRADER.variant("v", q, f"l{i}"),
                                                                f"l{i}").label("a") != "a")
    variant = GRADER.variant("v", q, learner)
    order = choice_order("v", q, variant, learner)
    grade = GRADER.grade(q, order.label("a"), quiz_id="v", learner=learner)
    assert grade.correct and grade.answer == "a" and grade.key == "a" and grade.order == order.shown
    wrong = GRADER.grade(q, "a", quiz_id="v", learner=learner)
    assert not wrong.correct and wrong.answer == order.author("a")
    assert wrong.feedback.startswith(f"Incorrect (0/1); the answer is {order.label('a')}.")


@settings(max_examples=60, deadline=None)
@given(learner=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._@+-", min_size=1, max_size=40),
       which=st.integers(min_value=0, max_value=len(LETTER_QUESTIONS) - 1),
       picks=st.sets(st.integers(min_value=0, max_value=25), min_size=1, max_size=4))
def test_shuffled_choices_grade_the_same_as_unshuffled_ones(learner: str, which: int, picks: set[int]) -> None:
    quiz, question = LETTER_QUESTIONS[which]
    letters = question.letters
    chosen = sorted({letters[i % len(letters)] for i in picks})  # the author's letters
    if question.select == "one":
        chosen = chosen[:1]
    variant = GRADER.variant(quiz.id, question, learner)
    order = choice_order(quiz.id, GRADER.resolved(question, variant), variant, learner)
    shown = list(order.labelled(chosen))
    shuffled = GRADER.grade(question, shown if question.select == "many" else shown[0], quiz_id=quiz.id,
                            learner=learner)
    plain = GRADER.grade(question, chosen if question.select == "many" else chosen[0], quiz_id=quiz.id,
                         learner=None, variant=variant)
    assert (shuffled.score, shuffled.correct, shuffled.answer, shuffled.key) == \
        (plain.score, plain.correct, plain.answer, plain.key)
