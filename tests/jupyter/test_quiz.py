"""The quiz widgets, driven headless for every question of every quiz in quizzes/: the right control per kind, the
key graded correct and a wrong answer not, retries, variants per learner, and submission files."""

from __future__ import annotations

import re
from pathlib import Path

import ipywidgets as widgets
import pytest
import yaml

from sandbox.gradebook.submissions import parse_submission
from sandbox.jupyter.quiz import QuestionWidget, QuizWidget, announced, find_quiz
from sandbox.quiz import Grader, QuizFileError, load_all, parse
from sandbox.quiz.shuffle import choice_order

ROOT = Path(__file__).resolve().parents[2]
QUIZZES = load_all([ROOT / "quizzes"])
GRADER = Grader()
QUESTIONS = [(quiz, question) for quiz in QUIZZES for question in quiz.questions]


def _key(quiz, question, learner="anonymous"):
    """The key in the letters ``learner`` sees (each learner has an order of the choices of their own)."""
    variant = GRADER.variant(quiz.id, question, learner)
    key = GRADER.key(question, variant).value
    if question.kind not in ("which-fails", "which-succeeds", "outcome", "choice"):
        return key
    shown = choice_order(quiz.id, GRADER.resolved(question, variant), variant, learner).labelled(
        key if isinstance(key, tuple) else (key,))
    return shown if isinstance(key, tuple) else shown[0]


def _wrong(quiz, question):
    key = _key(quiz, question)
    if question.kind == "task":
        return "docker images"
    if question.kind == "output":
        return "12" if question.ask == "exit-code" and key != 12 else "something else entirely"
    letters = [c.key for c in question.choices]
    chosen = set(key if isinstance(key, tuple) else (key,))
    other = next(letter for letter in letters if letter not in chosen)
    return [other] if question.select == "many" else other


@pytest.mark.parametrize("quiz, question", QUESTIONS, ids=[f"{q.id}/{x.id}" for q, x in QUESTIONS])
def test_every_question_grades_its_key_correct_and_a_wrong_answer_not(quiz, question) -> None:
    widget = QuestionWidget(quiz, question, grader=GRADER)
    key = _key(quiz, question)
    widget.submit(list(key) if isinstance(key, tuple) else key)
    assert widget.correct is True and widget.score == question.points, widget.feedback
    assert widget.result.value.startswith("<div role='status' aria-live='polite'><div style='color:#1e7e34;"
                                          "font-weight:bold'>Correct")
    widget.submit(_wrong(quiz, question))
    assert widget.correct is False and widget.score < question.points
    assert widget.submitted == 2


KIND_CONTROLS = {
    ("which-fails", "one"): widgets.RadioButtons, ("which-succeeds", "many"): widgets.VBox,
    ("outcome", "one"): widgets.RadioButtons, ("choice", "one"): widgets.RadioButtons,
    ("output", "exit-code"): widgets.Text, ("output", "stdout"): widgets.Textarea,
    ("output", "stderr"): widgets.Textarea,
    ("task", "one"): widgets.Textarea,
}


def test_each_kind_gets_its_control() -> None:
    seen = set()
    for quiz, question in QUESTIONS:
        variety = (question.kind, question.ask if question.kind == "output" else question.select)
        control = QuestionWidget(quiz, question, grader=GRADER).control
        if variety in KIND_CONTROLS:
            assert type(control) is KIND_CONTROLS[variety], variety
            seen.add(variety)
        if isinstance(control, widgets.VBox):
            assert all(isinstance(box, widgets.Checkbox) for box in control.children)
    assert seen == set(KIND_CONTROLS)


def _question(quiz_id: str, question_id: str):
    quiz = next(q for q in QUIZZES if q.id == quiz_id)
    return quiz, quiz.question(question_id)


def test_the_submit_button_grades_what_the_controls_hold() -> None:
    widget = QuestionWidget(*_question("course-questions", "rm-stop"), grader=GRADER)
    key = _key(*_question("course-questions", "rm-stop"))  # in the letters this learner sees
    widget.control.value = key
    widget.button.click()
    assert widget.correct and widget.answer == key
    assert "What the sandbox did:" in widget.feedback


def test_an_empty_answer_is_not_graded_and_says_why() -> None:
    widget = QuestionWidget(*_question("course-questions", "rm-stop"), grader=GRADER)
    widget.click()
    assert widget.score == 0 and widget.feedback.startswith("Not graded (0/1): no answer.")


def test_attempts_limit_the_submissions_then_lock_the_question() -> None:
    widget = QuestionWidget(*_question("course-questions", "tag-idea"), grader=GRADER, attempts=2)
    widget.submit("b")
    assert "1 attempt left" in widget.result.value
    widget.submit("c")
    assert "No attempts left." in widget.result.value
    assert widget.button.disabled and widget.control.disabled
    widget.submit("a")
    assert widget.submitted == 2 and widget.correct is False


def test_every_answer_control_has_a_label_and_every_verdict_is_announced(tmp_path) -> None:
    for quiz, question in QUESTIONS:
        widget = QuestionWidget(quiz, question, grader=GRADER)
        control = widget.control
        fields = control.children if isinstance(control, widgets.VBox) else (control,)
        if isinstance(control, widgets.RadioButtons):
            assert all(label.strip() for label, _ in control.options)  # each radio is wrapped in its label
        else:
            assert all(field.description.strip() for field in fields), (quiz.id, question.id)
        assert widget.button.tooltip == "Submit your answer to question 1"
    widget = QuestionWidget(*_question("course-questions", "rm-stop"), grader=GRADER, attempts=2)
    widget.submit(_wrong(*_question("course-questions", "rm-stop")))
    live, _, evidence = widget.result.value.partition("</div></div>")
    assert live.startswith("<div role='status' aria-live='polite'>") and "Incorrect (0/1)" in live
    assert "1 attempt left" in live and "What the sandbox did:" in evidence
    quiz = QuizWidget("course-questions", grader=GRADER, learner="ada", directory=tmp_path)
    quiz.click()
    assert quiz.status.value.startswith("<div role='status' aria-live='polite'>Saved 0 of 6 answers")


def test_the_learner_picks_the_variant_and_a_new_id_keeps_the_answer_graded_against_its_variant() -> None:
    quiz, question = _question("login-and-push", "push-version")
    widget = QuestionWidget(quiz, question, grader=GRADER, learner="ada")
    variant = GRADER.variant(quiz.id, question, "ada")
    tag = dict(question.vars)["tag"][variant]
    assert f"version {tag} of" in widget.text.value
    answer = f"docker tag my-web-server learner/my-web-server:{tag}\n\ndocker push learner/my-web-server:{tag}"
    widget.submit(answer)
    assert widget.correct
    assert widget.answer == [f"docker tag my-web-server learner/my-web-server:{tag}",
                             f"docker push learner/my-web-server:{tag}"]
    other = next(name for name in ("bob", "cy", "dee", "eve", "fay")
                 if GRADER.variant(quiz.id, question, name) != variant)
    widget.learner = other
    assert f"version {tag} of" not in widget.text.value
    assert widget.submitted == 1 and widget.answer == [line for line in answer.splitlines() if line]
    assert widget.correct is False and "your answer was kept and graded again" in widget.result.value


def test_a_new_id_changes_nothing_for_a_question_without_variants() -> None:
    widget = QuestionWidget(*_question("course-questions", "rm-stop"), grader=GRADER)
    key = _key(*_question("course-questions", "rm-stop"))
    widget.submit(key)
    before = widget.result.value
    widget.learner = "ada"  # who happens to see rm-stop's choices in the same order
    assert widget.submitted == 1 and widget.answer == key and widget.correct and widget.result.value == before


def test_a_new_id_redraws_the_choices_in_its_order_and_keeps_the_choice_made() -> None:
    quiz, question = _question("course-questions", "rm-stop")
    widget = QuestionWidget(quiz, question, grader=GRADER)
    widget.submit(_key(quiz, question))
    other = next(f"l{i}" for i in range(50) if _key(quiz, question, f"l{i}") != _key(quiz, question))
    widget.learner = other
    assert widget.control.value == widget.answer == _key(quiz, question, other) and widget.correct
    assert [label for label, _ in widget.control.options][0].startswith("a) ")
    assert "another order; your answer was kept under its new letter" in widget.result.value


def test_the_redrawn_choices_reach_the_page_in_one_update(monkeypatch) -> None:
    quiz, question = _question("course-questions", "rm-stop")
    widget = QuestionWidget(quiz, question, grader=GRADER)
    widget.submit(_key(quiz, question))
    sent: list[dict] = []
    monkeypatch.setattr(widget.control, "_send", lambda msg, buffers=None: sent.append(msg["state"]))
    widget.learner = next(f"l{i}" for i in range(50) if _key(quiz, question, f"l{i}") != _key(quiz, question))
    # ipywidgets ticks the first of new options; sent alone, the page would show that tick, and take a click, until
    # the answer kept followed
    assert len(sent) == 1 and sent[0]["index"] == [label for _, label in widget.control.options].index(
        widget.control.value)


def test_limited_attempts_keep_the_key_back_until_they_are_used_up() -> None:
    # "anonymous" sees rm-stop's choices as c) docker ps -a, b) docker rmi, a) docker rm (the key)
    widget = QuestionWidget(*_question("course-questions", "rm-stop"), grader=GRADER, attempts=2)
    widget.submit("c")
    assert widget.feedback.startswith("Incorrect (0/1).") and "the answer is" not in widget.feedback
    assert "c) $ docker ps -a" in widget.feedback and "a) " not in widget.feedback  # own evidence only
    assert "1 attempt left" in widget.result.value and not widget.button.disabled
    widget.submit("b")
    assert "the answer is a" in widget.feedback and "a) $ docker rm mycontainer" in widget.feedback
    assert widget.button.disabled and "No attempts left" in widget.result.value
    widget.submit("a")
    assert widget.submitted == 2 and widget.answer == "b"


def test_an_output_question_with_attempts_left_does_not_print_the_output() -> None:
    quiz, question = next((q, x) for q, x in QUESTIONS if x.kind == "output" and x.ask != "exit-code")
    widget = QuestionWidget(quiz, question, grader=GRADER, attempts=3)
    widget.submit("something else entirely")
    key = str(_key(quiz, question)).strip().splitlines()[0]
    assert widget.feedback == f"Incorrect (0/{question.points:g})." and key not in widget.result.value


def test_show_answer_reveals_the_key_is_recorded_and_ends_the_attempts(tmp_path) -> None:
    quiz = QuizWidget("course-questions", grader=GRADER, attempts=3, directory=tmp_path, learner="ada")
    rm_stop = next(w for w in quiz.questions if w.question.id == "rm-stop")
    rm_stop.submit("c")  # ada sees the key, the author's c, as a
    assert rm_stop.show_button.layout.display is None
    rm_stop.show_button.click()
    assert rm_stop.shown and rm_stop.button.disabled and "The answer:" in rm_stop.result.value
    assert rm_stop.feedback.splitlines()[0] == "The answer: a"
    rm_stop.submit("a")
    assert rm_stop.submitted == 1 and rm_stop.answer == "c"
    document = yaml.safe_load(quiz.save().read_text())
    assert document["attempts"] == {"rm-stop": 1} and document["shown"] == ["rm-stop"]


def test_without_a_limit_there_is_no_show_answer_button_and_the_key_shows_at_once() -> None:
    widget = QuestionWidget(*_question("course-questions", "rm-stop"), grader=GRADER)
    assert widget.show_button.layout.display == "none"
    widget.submit("c")  # docker ps -a, in the order "anonymous" sees
    assert "the answer is a" in widget.feedback


def test_answers_given_before_the_id_are_all_saved(tmp_path) -> None:
    quiz = QuizWidget("course-questions", grader=GRADER, directory=tmp_path)
    quiz.submit({"rm-stop": "c", "tag-idea": "b", "build-run-stop": "a"})
    quiz.learner_field.value = "ada-lovelace"
    assert all(w.submitted == 1 for w in quiz.questions if w.question.id in ("rm-stop", "tag-idea"))
    document = yaml.safe_load(quiz.save().read_text())
    assert document["answers"] == {"build-run-stop": "a", "rm-stop": "c", "tag-idea": "b"}


def test_the_id_is_asked_once_per_kernel(tmp_path) -> None:
    first = QuizWidget("course-questions", grader=GRADER, directory=tmp_path)
    first.learner_field.value = "ada"
    second = QuizWidget("pull", grader=GRADER, directory=tmp_path)
    assert second.learner == "ada" and second.learner_field.value == "ada"


def test_the_hub_user_is_the_id_and_cannot_be_changed(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "grace")
    quiz = QuizWidget("course-questions", grader=GRADER, directory=tmp_path)
    assert quiz.learner == "grace" and quiz.learner_field.disabled
    quiz.submit({"rm-stop": "c"})
    assert quiz.save().name == "course-questions-grace.yaml"


def test_a_widget_of_a_stopped_kernel_says_to_run_the_cells_again() -> None:
    widget = QuizWidget("course-questions", grader=GRADER)
    assert "imageshare-quiz" in widget._dom_classes
    assert ".imageshare-quiz.jupyter-widgets-disconnected::before" in widget.header.value
    assert "Run the notebook again from the top" in widget.header.value


def test_task_lines_may_name_another_host() -> None:
    quiz, question = _question("two-hosts", "build-push-run-elsewhere")
    widget = QuestionWidget(quiz, question, grader=GRADER)
    widget.submit(list(_key(quiz, question)))
    assert widget.correct
    assert "server$ " in widget.text.value


def test_quiz_saves_a_submission_file_in_the_grading_format(tmp_path) -> None:
    quiz = find_quiz("course-questions")
    widget = QuizWidget(quiz, grader=GRADER, directory=tmp_path)
    # rm-stop right, tag-idea wrong, in the letters each learner sees
    answers = {"rm-stop": _key(quiz, quiz.question("rm-stop")), "tag-idea": _wrong(quiz, quiz.question("tag-idea"))}
    widget.submit(answers)
    assert widget.score == 1 and widget.max_score == quiz.points
    assert widget.save() is None and "Type your ID first" in widget.status.value
    widget.learner_field.value = "ada-lovelace"
    assert widget.questions[0].learner == "ada-lovelace"
    answers = {"rm-stop": _key(quiz, quiz.question("rm-stop"), "ada-lovelace"), "tag-idea": "b"}
    widget.submit(answers)
    widget.click()
    saved = tmp_path / "course-questions-ada-lovelace.yaml"
    assert widget.saved == str(saved)
    document = yaml.safe_load(saved.read_text())
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", document.pop("submitted_at"))  # when, in UTC
    assert document == {"learner": "ada-lovelace", "quiz": "course-questions",
                        "answers": answers, "attempts": {"rm-stop": 2, "tag-idea": 2}}
    assert "Saved 2 of 6 answers" in widget.status.value


def test_quiz_refuses_an_id_that_is_not_a_plain_identifier(tmp_path) -> None:
    widget = QuizWidget("course-questions", grader=GRADER, directory=tmp_path)
    for bad in ("../evil", "a/b", ".hidden", "x" * 129, "tab\there", "ada.", "a..b", "ada\x1b[2J", "ada\x1f"):
        widget.learner_field.value = bad
        assert widget.learner == "anonymous" and "This is not an ID" in widget.status.value
    assert widget.save() is None and not list(tmp_path.iterdir())


def test_quiz_accepts_every_id_the_grader_accepts_and_no_other(tmp_path) -> None:
    for good in ("ada.lovelace@uni.edu", "s1234567", "a+b", "x" * 128):
        widget = QuizWidget("course-questions", grader=GRADER, directory=tmp_path)
        widget.learner_field.value = good
        assert widget.learner == good == yaml.safe_load(widget.save().read_text())["learner"]
        parse_submission(widget.save().read_bytes(), "s.yaml", {widget.quiz.id: widget.quiz})


def test_quiz_refusing_an_id_does_not_save_under_the_previous_one(tmp_path) -> None:
    widget = QuizWidget("course-questions", grader=GRADER, directory=tmp_path)
    widget.learner_field.value = "ada"
    widget.learner_field.value = "ada."
    assert widget.save() is None and "This is not an ID" in widget.status.value
    assert not list(tmp_path.iterdir())


def test_quiz_reports_a_file_it_cannot_write(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    widget = QuizWidget("course-questions", grader=GRADER, learner="ada", directory=blocker / "sub")
    assert widget.save() is None and "Could not save" in widget.status.value


def test_quiz_shows_only_the_questions_asked_for_and_practice_mode_has_no_save() -> None:
    widget = QuizWidget("pull", only=["refresh-latest", "pull-private"], grader=GRADER, saving=False)
    assert [w.question.id for w in widget.questions] == ["pull-private", "refresh-latest"]
    assert widget.save_button not in widget.children and widget.learner_field not in widget.children
    assert repr(widget) == "QuizWidget('pull', 2 questions)"
    with pytest.raises(KeyError):
        QuizWidget("pull", only=["nope"], grader=GRADER)


def test_find_quiz_by_id_or_path_and_a_clear_error_otherwise() -> None:
    assert find_quiz("pull").id == "pull"
    assert find_quiz(str(ROOT / "quizzes" / "pull.yaml")).id == "pull"
    with pytest.raises(QuizFileError, match="no quiz with this id"):
        find_quiz("nonexistent")


def test_an_inline_quiz_works_like_a_file() -> None:
    quiz = parse("quiz: inline\ntitle: T\nquestions:\n  - id: q\n    kind: choice\n    prompt: P?\n"
                 "    choices: {a: yes, b: no}\n    answer: a\n", "<cell>")
    widget = QuizWidget(quiz, grader=GRADER)
    widget.submit({"q": "a"})
    assert widget.score == 1
