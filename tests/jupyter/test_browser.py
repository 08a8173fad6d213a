"""A quiz whose kernel runs in the learner's browser (JupyterLite): "Save answers" offers the submission file as a
download in the grading format, and the answers given survive a reload (a fresh kernel running the quiz's cell again)
through the browser's storage. Here the kernel is CPython told it is in a browser; tests/e2e/test_lite.py does the
same in Chromium."""

from __future__ import annotations

import base64
import re

import pytest
import yaml

from sandbox.gradebook.submissions import parse_submission
from sandbox.jupyter import browser
from sandbox.jupyter.browser import AnswerStore, download_link
from sandbox.jupyter.quiz import QuizWidget, find_quiz
from sandbox.quiz import Grader

GRADER = Grader()


@pytest.fixture
def in_browser(monkeypatch, tmp_path):
    """A kernel that believes it runs in a browser tab, its working folder (the drive) a temp dir."""
    monkeypatch.setattr(browser, "IN_BROWSER", True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def downloaded(status_html: str) -> tuple[str, str]:
    """The file name and text the status's download link gives."""
    match = re.search(r"href='data:application/x-yaml;base64,([A-Za-z0-9+/=]+)' download='([^']+)'", status_html)
    assert match, status_html
    return match.group(2), base64.b64decode(match.group(1)).decode("utf-8")


def test_save_in_a_browser_offers_the_submission_as_a_download_that_grades(in_browser) -> None:
    quiz = find_quiz("course-questions")
    widget = QuizWidget(quiz, grader=GRADER)
    widget.learner_field.value = "ada-lovelace"
    widget.submit({"rm-stop": "c"})
    widget.click()
    name, text = downloaded(widget.status.value)
    assert name == "course-questions-ada-lovelace.yaml"
    assert "Saved 1 of 6 answers." in widget.status.value and "hand this file in" in widget.status.value
    document = yaml.safe_load(text)
    document.pop("submitted_at")
    assert document == {"learner": "ada-lovelace", "quiz": "course-questions", "answers": {"rm-stop": "c"},
                        "attempts": {"rm-stop": 1}}
    parse_submission(text.encode(), name, {quiz.id: quiz})
    assert (in_browser / "submissions" / name).read_text() == text  # a copy on the browser's drive


def test_save_in_a_browser_still_asks_for_an_id_first(in_browser) -> None:
    widget = QuizWidget("course-questions", grader=GRADER)
    assert widget.save() is None and "Type your ID first" in widget.status.value


def test_a_reload_gives_back_the_id_the_answers_and_their_verdicts(in_browser) -> None:
    first = QuizWidget("course-questions", grader=GRADER)
    first.learner_field.value = "ada"  # who sees rm-stop's key (the author's c) as a
    first.submit({"rm-stop": "c"})
    first.submit({"rm-stop": "a", "tag-idea": "b"})
    again = QuizWidget("course-questions", grader=GRADER)  # the same cell, run by a fresh kernel
    assert again.learner == "ada" and again.learner_field.value == "ada"
    assert again.answers() == {"rm-stop": "a", "tag-idea": "b"}
    assert again.score == first.score and again.score >= 1
    rm = next(q for q in again.questions if q.question.id == "rm-stop")
    assert rm.submitted == 2 and "Correct" in rm.result.value
    assert (in_browser / ".imageshare" / "answers" / "course-questions.json").is_file()


def test_used_up_attempts_stay_used_up_after_a_reload(in_browser) -> None:
    first = QuizWidget("course-questions", grader=GRADER, attempts=2, learner="ada")
    first.submit({"rm-stop": "c"})  # ada sees the key as a
    first.submit({"rm-stop": "b"})
    again = QuizWidget("course-questions", grader=GRADER, attempts=2, learner="ada")
    rm = next(q for q in again.questions if q.question.id == "rm-stop")
    assert rm.submitted == 2 and rm.button.disabled and rm.answer == "b"


def test_an_answer_shown_on_request_stays_shown_and_recorded_after_a_reload(in_browser) -> None:
    first = QuizWidget("course-questions", grader=GRADER, attempts=3, learner="ada")
    rm = next(q for q in first.questions if q.question.id == "rm-stop")
    rm.submit("c")  # wrong: ada sees the key as a
    assert "the answer is" not in rm.result.value  # two attempts left: the key stays back
    rm.show_button.click()
    again = QuizWidget("course-questions", grader=GRADER, attempts=3, learner="ada")
    rm = next(q for q in again.questions if q.question.id == "rm-stop")
    assert rm.shown and rm.submitted == 1 and rm.button.disabled and "The answer:" in rm.result.value


def test_a_wrong_answer_kept_with_attempts_left_does_not_reveal_the_key_after_a_reload(in_browser) -> None:
    QuizWidget("course-questions", grader=GRADER, attempts=3, learner="ada").submit({"rm-stop": "c"})  # wrong for ada
    again = QuizWidget("course-questions", grader=GRADER, attempts=3, learner="ada")
    rm = next(q for q in again.questions if q.question.id == "rm-stop")
    assert rm.submitted == 1 and not rm.button.disabled and "2 attempts left" in rm.result.value
    assert "the answer is" not in rm.result.value


def test_two_cells_showing_parts_of_one_quiz_keep_each_others_answers(in_browser) -> None:
    QuizWidget("pull", only=["refresh-latest"], grader=GRADER).submit({"refresh-latest": "a"})
    QuizWidget("pull", only=["pull-private"], grader=GRADER).submit({"pull-private": "b"})
    kept = AnswerStore().load("pull")["questions"]
    assert set(kept) == {"refresh-latest", "pull-private"}


def test_a_damaged_store_is_ignored_and_replaced(in_browser) -> None:
    store = AnswerStore()
    store.folder.mkdir(parents=True)
    store.path("pull").write_text("{not json")
    assert store.load("pull") == {}
    store.path("pull").write_text(
        '{"learner": "../evil", "questions": {"refresh-latest": {"answer": "a", "submitted": 1}}}')
    widget = QuizWidget("pull", grader=GRADER)
    assert widget.learner == "anonymous"  # an ID the field would refuse is not restored
    assert widget.answers() == {"refresh-latest": ["a"]}  # a task's answer: its command lines


def test_a_cpython_kernel_keeps_nothing_and_writes_files_as_before(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    widget = QuizWidget("course-questions", grader=GRADER, learner="ada", directory=tmp_path / "out")
    widget.submit({"rm-stop": "c"})
    assert widget.save() == tmp_path / "out" / "course-questions-ada.yaml"
    assert "href=" not in widget.status.value and not (tmp_path / ".imageshare").exists()


def test_the_download_link_escapes_the_name() -> None:
    link = download_link("a'b<c>.yaml", "x")
    assert "download='a&#x27;b&lt;c&gt;.yaml'" in link and "Download a&#x27;b&lt;c&gt;.yaml" in link
