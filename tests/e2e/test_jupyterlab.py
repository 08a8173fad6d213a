"""The tutorial notebooks in JupyterLab in Chromium, as a learner uses them: Run All renders Docker's push lines, a
quiz grades by replay and saves the submission next to the notebook, and the terminal widget runs what is typed."""

from __future__ import annotations

import re

import yaml

from .harness import QUESTION_BOX, UNLABELLED, Lab, choice, no_errors, run_all, shoot


def test_run_all_of_03_push_renders_the_push_lines_and_no_error(page, lab: Lab, artifacts) -> None:
    lab.open(page, "03-push.ipynb")
    run_all(page)
    no_errors(page)
    outputs = page.locator(".jp-Notebook .jp-OutputArea-output")
    refers = outputs.filter(has_text="The push refers to repository [docker.io/learner/my-web-server]")
    digest = outputs.filter(has_text=re.compile(r"0\.0\.1: digest: sha256:[0-9a-f]{64} size: \d+"))
    assert refers.count() >= 2 and digest.count() >= 1
    assert digest.first.is_visible()
    shoot(page, digest.first, artifacts / "1-03-push-run-all.png")


def test_quiz_in_07_grades_the_rm_question_by_replay_and_saves_next_to_the_notebook(page, lab: Lab, artifacts) -> None:
    lab.open(page, "07-quiz.ipynb")
    run_all(page)
    no_errors(page)
    quiz = page.locator(".jp-CodeCell", has_text="%quiz course-questions").locator(".jp-OutputArea-output")
    quiz.get_by_label("Your ID").fill("ada-lovelace")
    submit = quiz.get_by_title("Submit your answer to question 2")
    question = submit.locator(QUESTION_BOX)
    verdict = question.locator("[aria-live]")

    quiz.get_by_label("Your ID").press("Enter")
    wrong, wrong_letter = choice(question, "docker ps -a")  # in the order this learner sees
    right, right_letter = choice(question, "docker rm mycontainer")
    wrong.check()
    submit.click()
    verdict.get_by_text(f"Incorrect (0/1); the answer is {right_letter}.").wait_for()
    for evidence in ("What the sandbox did:", f"{wrong_letter}) $ docker ps -a", f"{right_letter}) $ docker rm mycontainer",
                     "Error response from daemon: No such container: mycontainer",
                     "container mycontainer was removed when it stopped, because it was started with --rm"):
        assert question.get_by_text(evidence, exact=False).count() >= 1, evidence
    shoot(page, question, artifacts / "2-07-quiz-wrong-answer.png")

    right.check()
    submit.click()
    verdict.get_by_text("Correct (1/1).").wait_for()
    shoot(page, question, artifacts / "2-07-quiz-right-answer.png")

    quiz.get_by_role("button", name="Save answers").click()
    status = quiz.locator("[aria-live]").last
    status.get_by_text("Saved 1 of 6 answers to submissions/course-questions-ada-lovelace.yaml").wait_for()
    shoot(page, status, artifacts / "2-07-quiz-saved.png")
    saved = lab.root / "submissions" / "course-questions-ada-lovelace.yaml"
    document = yaml.safe_load(saved.read_text())
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", document.pop("submitted_at"))  # when, in UTC
    assert document == {"learner": "ada-lovelace", "quiz": "course-questions", "answers": {"rm-stop": right_letter},
                        "attempts": {"rm-stop": 2}}
    assert quiz.evaluate(UNLABELLED) == []


def test_the_terminal_widget_runs_a_typed_command(page, lab: Lab, artifacts) -> None:
    lab.open(page, "00-welcome.ipynb")
    run_all(page)
    no_errors(page)
    terminal = page.locator(".jp-CodeCell", has_text="Terminal()").locator(".jp-OutputArea-output")
    assert terminal.evaluate(UNLABELLED) == []
    field = terminal.get_by_label("command")
    field.click()
    field.press_sequentially("docker images")
    assert field.input_value() == "docker images"  # every key reached the field, none the notebook's shortcuts
    field.press("Enter")
    terminal.get_by_text("laptop$ docker images").wait_for()
    screen = terminal.locator("pre")
    assert re.search(r"^alpine\s+latest\s+9110ed5f1fb1 ", screen.text_content(), re.MULTILINE)
    assert re.search(r"^hello-world\s+latest\s+9d70f3b6e274 ", screen.text_content(), re.MULTILINE)
    assert field.input_value() == ""
    shoot(page, terminal, artifacts / "3-00-welcome-terminal.png")
