"""The tutorial notebooks in JupyterLab in Chromium, as a learner uses them: Run All renders Docker's push lines, a
quiz grades by replay and saves the submission next to the notebook, and the terminal widget runs what is typed."""

from __future__ import annotations

import re

import yaml

import nbformat

from sandbox.jupyter.progress import SECONDS_VARIABLE

from .harness import (ALL_RAN, QUESTION_BOX, RUN_ALL_MS, STEP_MS, UNLABELLED, Lab, choice, menu, no_errors, run_all,
                      shoot)

#: Seconds the interrupted pull's progress plays: far longer than an interrupt takes to arrive on a loaded machine,
#: shorter than Run All's timeout, so a lost interrupt fails on the missing ^C.
PULL_SECONDS = 100


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
    hub = page.locator(".imageshare-hub").first  # Docker Hub's page of the repository just pushed
    for fact in ("learner/my-web-server", "Public", "TAG", "0.0.2", "0.0.1", "Last pushed", "by learner", "DIGEST",
                 "OS/ARCH", "linux/amd64", "COMPRESSED SIZE"):
        assert hub.get_by_text(fact, exact=False).count() >= 1, fact
    shoot(page, hub, artifacts / "1-03-push-hub.png")
    layers = page.locator(".imageshare-transfer").first
    assert layers.get_by_text("mounted from library/node: nothing sent").count() == 4


def test_quiz_in_07_keeps_every_answer_when_the_id_comes_last_and_the_key_until_the_attempts_are_used(
        page, lab: Lab, artifacts) -> None:
    lab.open(page, "07-quiz.ipynb")
    run_all(page)
    no_errors(page)
    quiz = page.locator(".jp-CodeCell", has_text="%quiz --attempts 2 course-questions").locator(
        ".jp-OutputArea-output")
    first = quiz.get_by_title("Submit your answer to question 1").locator(QUESTION_BOX)
    submit = quiz.get_by_title("Submit your answer to question 2")
    question = submit.locator(QUESTION_BOX)
    verdict = question.locator("[aria-live]")

    # Each learner sees the choices in an order of their own: a test finds a choice by what it says.
    choice(first, "An image is built and a container")[0].check()
    quiz.get_by_title("Submit your answer to question 1").click()
    first.locator("[aria-live]").get_by_text("Correct (1/1).").wait_for()
    wrong, wrong_letter = choice(question, "docker ps -a")
    _, key = choice(question, "docker rm mycontainer")
    wrong.check()
    submit.click()
    verdict.get_by_text("Incorrect (0/1).", exact=True).wait_for()
    question.get_by_text("1 attempt left; try again, or press Show answer.").wait_for()
    assert question.get_by_text(f"{wrong_letter}) $ docker ps -a", exact=False).count() >= 1  # what the answer did
    assert question.get_by_text(f"{key}) $ docker rm mycontainer", exact=False).count() == 0  # not the key
    assert question.get_by_text("the answer is", exact=False).count() == 0
    shoot(page, question, artifacts / "2-07-quiz-wrong-answer.png")

    choice(question, "docker rmi myimage:latest")[0].check()
    submit.click()
    verdict.get_by_text(f"Incorrect (0/1); the answer is {key}.").wait_for()  # the last attempt shows the key
    for evidence in ("What the sandbox did:", f"{key}) $ docker rm mycontainer",
                     "Error response from daemon: No such container: mycontainer"):
        assert question.get_by_text(evidence, exact=False).count() >= 1, evidence
    assert submit.is_disabled()
    shoot(page, question, artifacts / "2-07-quiz-attempts-used.png")

    field = quiz.get_by_label("Your ID")  # the ID typed after answering: nothing is lost
    field.fill("ada-lovelace")
    field.press("Enter")
    quiz.get_by_role("button", name="Save answers").click()
    status = quiz.locator("[aria-live]").last
    status.get_by_text("Saved 2 of 6 answers to submissions/course-questions-ada-lovelace.yaml").wait_for()
    kept = {"build-run-stop": choice(first, "An image is built and a container")[1],  # under ada-lovelace's letters
            "rm-stop": choice(question, "docker rmi myimage:latest")[1]}
    shoot(page, status, artifacts / "2-07-quiz-saved.png")
    saved = lab.root / "submissions" / "course-questions-ada-lovelace.yaml"
    document = yaml.safe_load(saved.read_text())
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", document.pop("submitted_at"))  # when, in UTC
    assert document == {"learner": "ada-lovelace", "quiz": "course-questions",
                        "answers": kept,
                        "attempts": {"build-run-stop": 1, "rm-stop": 2}}
    assert quiz.evaluate(UNLABELLED) == []

    # the next quiz of the notebook already knows the ID: it is asked once per kernel
    assert page.locator(".jp-CodeCell", has_text="%quiz --attempts 2 pull").get_by_label("Your ID").input_value() \
        in ("", "ada-lovelace")


def test_after_a_kernel_restart_the_old_quiz_says_so_and_the_re_run_one_submits(page, lab: Lab, artifacts) -> None:
    lab.open(page, "05-share.ipynb")
    run_all(page)
    cell = page.locator(".jp-CodeCell", has_text="%quiz --no-save exercises build-run-stop-web")
    old = cell.locator(".imageshare-question").first
    menu(page, "Kernel", "Restart Kernel…")
    page.locator(".jp-Dialog .jp-mod-accept").click()
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for()
    page.wait_for_function("el => el.classList.contains('jupyter-widgets-disconnected')", arg=old.element_handle())
    said = old.evaluate("el => getComputedStyle(el, '::before').content")
    assert "stopped or restarted" in said and "Run the notebook again from the top" in said
    shoot(page, old, artifacts / "4-05-share-stale-quiz.png")

    run_all(page)
    fresh = cell.locator(".imageshare-question").first
    fresh.get_by_label("Your commands").fill("docker build -q -t webimage .\ndocker run -d --name webbox webimage\n"
                                             "docker stop webbox")
    fresh.get_by_role("button", name="Submit").click()
    fresh.locator("[aria-live]").get_by_text("Correct (1/1).").wait_for()
    assert "jupyter-widgets-disconnected" not in (fresh.get_attribute("class") or "")


def test_an_interrupted_pull_prints_no_traceback_and_leaves_no_image(page, lab: Lab, artifacts) -> None:
    # The pull plays for PULL_SECONDS (the progress module's test hook; learners see at most 2.5 s): once its
    # progress shows "Downloading" the pull is in progress, and an interrupt sent then lands before it ends.
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in (
        f"%env {SECONDS_VARIABLE}={PULL_SECONDS}", "%load_ext sandbox", "%docker pull nginx:1.27",
        "%docker images nginx")], metadata={
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}})
    nbformat.write(notebook, lab.root / "interrupt.ipynb")
    lab.open(page, "interrupt.ipynb")
    menu(page, "Run", "Run All Cells")
    page.locator(".jp-OutputArea-output", has_text="Downloading").first.wait_for()
    menu(page, "Kernel", "Interrupt Kernel")
    page.wait_for_function(ALL_RAN, timeout=RUN_ALL_MS)
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for()
    outputs = page.locator(".jp-Notebook .jp-OutputArea-output").all_text_contents()
    text = "\n".join(outputs)
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    pulled = page.locator(".jp-CodeCell", has_text="%docker pull nginx:1.27").locator(".jp-OutputArea-output")
    assert pulled.last.text_content().rstrip().endswith("^C")
    images = page.locator(".jp-CodeCell", has_text="%docker images nginx").locator(".jp-OutputArea-output")
    assert images.text_content().strip() == "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE"
    shoot(page, pulled.last, artifacts / "5-interrupted-pull.png")


def test_the_terminal_widget_runs_a_typed_command(page, lab: Lab, artifacts) -> None:
    from playwright.sync_api import expect

    lab.open(page, "00-welcome.ipynb")
    run_all(page)
    no_errors(page)
    terminal = page.locator(".jp-CodeCell", has_text="Terminal()").locator(".jp-OutputArea-output")
    assert terminal.evaluate(UNLABELLED) == []
    assert terminal.locator(".imageshare-terminal").get_attribute("data-keys") == "on"  # Enter sent with the line
    field = terminal.get_by_label("command")
    field.click()
    field.press_sequentially("docker images")
    assert field.input_value() == "docker images"  # every key reached the field, none the notebook's shortcuts
    field.press("Enter")  # at once: Enter travels with the line, however far behind the kernel is
    terminal.get_by_text("laptop$ docker images").wait_for()
    screen = terminal.locator("pre")
    assert re.search(r"^alpine\s+latest\s+aded1e1a5b37 ", screen.text_content(), re.MULTILINE)
    assert re.search(r"^hello-world\s+latest\s+9d70f3b6e274 ", screen.text_content(), re.MULTILINE)
    assert field.input_value() == ""
    shoot(page, terminal, artifacts / "3-00-welcome-terminal.png")

    field.press_sequentially("docker ps")
    field.press("Enter")
    terminal.get_by_text("laptop$ docker ps").wait_for()
    for key, shown in (("ArrowUp", "docker ps"), ("ArrowUp", "docker images"), ("ArrowUp", "docker images"),
                       ("ArrowDown", "docker ps"), ("ArrowDown", "")):
        field.press(key)
        assert field.input_value() == shown, key
    field.press("ArrowUp")
    field.press("ArrowUp")
    field.press("Enter")  # a recalled line runs as typed
    ran = re.compile(r"laptop\$ docker images\n.*laptop\$ docker ps\n.*laptop\$ docker images\n", re.DOTALL)
    expect(screen).to_have_text(ran, timeout=STEP_MS)  # the screen is redrawn whole: its text, not an element
    shoot(page, terminal, artifacts / "3-00-welcome-terminal-history.png")
