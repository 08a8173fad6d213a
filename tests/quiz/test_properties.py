"""No input escapes as a Python exception: any bytes given to the loader, any answer given to the grader."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.quiz.errors import QuizFileError
from sandbox.quiz.grader import Grader
from sandbox.quiz.loader import load_file, parse_bytes

QUIZZES = Path(__file__).resolve().parents[2] / "quizzes"
SAMPLE = (QUIZZES / "login-and-push.yaml").read_bytes()
QUIZ = load_file(QUIZZES / "login-and-push.yaml")
GRADER = Grader()

answers = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=60)
    | st.sampled_from(["a", "b", "c", "a, c", "docker images", "server$ docker ps", "$ ", "x$ docker pull alpine"]),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_load_or_give_a_quiz_file_error(data: bytes) -> None:
    try:
        parse_bytes(data, "fuzz.yaml")
    except QuizFileError as e:
        assert str(e).startswith("fuzz.yaml:")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(SAMPLE) - 1), st.integers(1, 40), st.binary(max_size=20))
def test_mutated_quiz_files_load_or_give_a_quiz_file_error(at: int, cut: int, insert: bytes) -> None:
    try:
        parse_bytes(SAMPLE[:at] + insert + SAMPLE[at + cut:], "mutated.yaml")
    except QuizFileError as e:
        assert str(e).startswith("mutated.yaml:") and "\n" not in str(e)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(QUIZ.questions), answers, st.text(max_size=8))
def test_any_answer_gets_a_grade(question, answer, learner: str) -> None:
    g = GRADER.grade(question, answer, quiz_id=QUIZ.id, learner=learner)
    assert 0 <= g.score <= g.max_score
    assert g.correct == (g.score == g.max_score)
    assert g.feedback
