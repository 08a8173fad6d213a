"""Which computed keys rest on a model (``sandbox/quiz/models.py``): ``imageshare quiz check`` says so beside them."""

from __future__ import annotations

import io

from sandbox.quiz.cli import main_check
from sandbox.quiz.model import Choice, Command, Question
from sandbox.quiz.models import PROGRAM_OUTPUT, RUN_LAYER_SIZES, SEARCH_RANKING, TIMING, model_notes


def _output(line: str, ask: str = "stdout", files: tuple = ()) -> Question:
    return Question(id="q", kind="output", prompt="?", command=Command(line), ask=ask, files=files)


def test_a_programs_output_is_a_model() -> None:
    assert model_notes(_output("docker run --rm alpine echo hi")) == (PROGRAM_OUTPUT,)
    assert model_notes(_output("docker logs web")) == (PROGRAM_OUTPUT,)


def test_search_ranking_is_a_model() -> None:
    assert model_notes(_output("docker search nginx")) == (SEARCH_RANKING,)


def test_listing_times_are_a_model_unless_the_format_leaves_them_out() -> None:
    assert model_notes(_output("docker ps -a")) == (TIMING,)
    assert model_notes(_output("docker ps -a --format '{{.Status}}'")) == (TIMING,)
    assert model_notes(_output("docker ps -a --format '{{.Names}}'")) == ()
    assert model_notes(_output("docker images -f dangling=true --format '{{.Repository}}'")) == ()


def test_run_layer_sizes_are_a_model() -> None:
    files = (("Dockerfile", "FROM alpine\nRUN apk add curl\n"),)
    assert model_notes(_output("docker images --format '{{.Size}}'", files=files)) == (RUN_LAYER_SIZES,)
    assert model_notes(_output("docker images --format '{{.Size}}'", files=(("Dockerfile", "FROM alpine\n"),))) == ()


def test_reproduced_behaviour_has_no_note() -> None:
    assert model_notes(_output("docker push alice/web:1.0", ask="exit-code")) == ()
    assert model_notes(_output("docker tag web learner/web:1.0", ask="stderr")) == ()


def test_choice_commands_count() -> None:
    question = Question(id="q", kind="which-fails", prompt="?", choices=(
        Choice("a", "", command=Command("docker rmi web")), Choice("b", "", command=Command("docker run web"))))
    assert model_notes(question) == (PROGRAM_OUTPUT,)


def test_quiz_check_prints_the_note_beside_the_key(tmp_path) -> None:
    quiz = tmp_path / "q.yaml"
    quiz.write_text(
        "quiz: models\ntitle: Models\nquestions:\n"
        "  - id: says-hi\n    kind: output\n    prompt: What does it print?\n"
        "    command: docker run --rm alpine echo hi\n    ask: stdout\n    answer: hi\n"
    )
    out = io.StringIO()
    assert main_check([str(quiz)], stdout=out, stderr=io.StringIO()) == 0
    assert f"       model: {PROGRAM_OUTPUT}\n" in out.getvalue()
