"""``imageshare quiz serve quizzes/course-questions.yaml`` in Chromium, as a learner who has never seen Jupyter uses
it: a plain page on 127.0.0.1 behind a token, graded on Submit by replay, saved as a submission file in the folder
the command was started in; and the accessibility basics: labels, live feedback, the keyboard alone."""

from __future__ import annotations

import http.client
import re
from urllib.parse import urlsplit

import pytest
import yaml

from .harness import QUESTION_BOX, UNLABELLED, Served, choice, shoot, wait_for_choices


def open_quiz(page, served: Served) -> None:
    """Open the quiz page and wait until the kernel has drawn the widget."""
    page.goto(served.url)
    page.get_by_role("button", name="Save answers").wait_for()


def question(page, number: int):
    """The box of question ``number``: the parent of its Submit button."""
    return page.get_by_title(f"Submit your answer to question {number}").locator(QUESTION_BOX)


def submission(served: Served, learner: str) -> dict:
    """The submission file "Save answers" wrote for ``learner`` where ``imageshare quiz serve`` was started, without
    its ``submitted_at`` (checked here to be a UTC time)."""
    saved = yaml.safe_load((served.cwd / "submissions" / f"course-questions-{learner}.yaml").read_text())
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", saved.pop("submitted_at"))
    return saved


def test_the_page_is_local_and_needs_its_token(quiz_page: Served) -> None:
    address = urlsplit(quiz_page.url)
    assert address.hostname == "127.0.0.1" and address.query.startswith("token=")
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request("GET", "/")
        assert connection.getresponse().status in (302, 403)
    finally:
        connection.close()


#: The icon font of "Save answers" (Font Awesome, from Voilà's own bundle) has loaded.
ICON_FONT = "() => [...document.fonts].some(f => f.family.includes('Font Awesome') && f.status === 'loaded')"


def test_a_learner_answers_submits_sees_feedback_and_saves(page, quiz_page: Served, artifacts) -> None:
    origin = quiz_page.url.split("/?", 1)[0] + "/"
    outside = []  # a request elsewhere would be blocked by the page's Content-Security-Policy
    page.on("request", lambda request: request.url.startswith((origin, "data:", "blob:"))
            or outside.append(request.url))
    open_quiz(page, quiz_page)
    page.wait_for_function(ICON_FONT)
    assert page.title() == "course-questions"
    page.get_by_text("Type your ID (the one your instructor gave you)").wait_for()
    page.get_by_label("Your ID").fill("grace-hopper")
    page.get_by_label("Your ID").press("Enter")
    rm_stop = question(page, 2)
    wait_for_choices(rm_stop, "grace-hopper")
    wrong, _ = choice(rm_stop, "docker rmi myimage:latest")  # in the order grace-hopper sees
    right, letter = choice(rm_stop, "docker rm mycontainer")
    wrong.check()
    rm_stop.get_by_role("button", name="Submit").click()
    rm_stop.locator("[aria-live]").get_by_text(f"Incorrect (0/1); the answer is {letter}.").wait_for()
    assert rm_stop.get_by_text("Error response from daemon: No such container: mycontainer").count() == 1
    shoot(page, rm_stop, artifacts / "4-quiz-page-wrong-answer.png")
    right.check()
    rm_stop.get_by_role("button", name="Submit").click()
    rm_stop.locator("[aria-live]").get_by_text("Correct (1/1).").wait_for()
    page.get_by_role("button", name="Save answers").click()
    saved = page.get_by_text("Saved 1 of 6 answers to")
    saved.wait_for()
    assert str(quiz_page.cwd / "submissions" / "course-questions-grace-hopper.yaml") in saved.text_content()
    shoot(page, saved, artifacts / "4-quiz-page-saved.png")
    assert submission(quiz_page, "grace-hopper") == {"learner": "grace-hopper", "quiz": "course-questions",
                                                     "answers": {"rm-stop": letter}, "attempts": {"rm-stop": 2}}
    assert outside == []


def tab_to(page, locator, key: str = "Tab", presses: int = 80) -> None:
    """Press ``key`` until ``locator`` has the focus, as a keyboard user moves through the page."""
    for _ in range(presses):
        page.keyboard.press(key)
        if locator.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{presses} presses of {key} never reached {locator}")


def test_every_control_is_labelled_and_the_keyboard_alone_answers_and_saves(page, quiz_page: Served,
                                                                           artifacts) -> None:
    open_quiz(page, quiz_page)
    quiz = page.locator(".jp-OutputArea-output").filter(has=page.get_by_role("button", name="Save answers"))
    assert quiz.evaluate(UNLABELLED) == []
    assert quiz.locator("[aria-live]").count() == 7  # the feedback of each of the 6 questions, and the save's
    rm_stop = question(page, 2)
    submit = rm_stop.get_by_role("button", name="Submit")
    learner = page.get_by_role("textbox", name="Your ID")

    tab_to(page, learner)
    page.keyboard.type("ada-keyboard")
    page.keyboard.press("Enter")
    wait_for_choices(rm_stop, "ada-keyboard")
    wrong, _ = choice(rm_stop, "docker ps -a")  # in the order ada-keyboard sees
    right, letter = choice(rm_stop, "docker rm mycontainer")
    tab_to(page, wrong, key="Shift+Tab")
    page.keyboard.press("Space")
    assert wrong.is_checked()
    tab_to(page, submit)
    page.keyboard.press("Enter")
    rm_stop.locator("[aria-live]").get_by_text(f"Incorrect (0/1); the answer is {letter}.").wait_for()
    tab_to(page, right, key="Shift+Tab")
    page.keyboard.press("Space")
    assert right.is_checked() and not wrong.is_checked()
    tab_to(page, submit)
    page.keyboard.press("Space")
    rm_stop.locator("[aria-live]").get_by_text("Correct (1/1).").wait_for()
    shoot(page, rm_stop, artifacts / "5-quiz-page-keyboard-only.png")
    tab_to(page, page.get_by_role("button", name="Save answers"))
    page.keyboard.press("Enter")
    quiz.locator("[aria-live]").last.get_by_text("Saved 1 of 6 answers").wait_for()
    assert submission(quiz_page, "ada-keyboard")["answers"] == {"rm-stop": letter}
