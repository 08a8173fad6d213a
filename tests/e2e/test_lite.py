"""The course as a JupyterLite site (``imageshare lite build``), served on 127.0.0.1 (``imageshare lite serve``) and
run in Chromium, where Python is Pyodide inside the page: every notebook's Run All prints what the notebook stores
(every stream, as nbval compares them), a quiz grades by replay, "Save answers" downloads a file ``imageshare grade``
grades, and a reload keeps the answers. Every request that leaves the site's origin is aborted and fails the test.

The site is built once per run (session fixture), from the download cache (``~/.cache/imageshare-lite`` unless
``IMAGESHARE_LITE_CACHE``), so only the first run on a machine downloads.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from .harness import (IN_CI, LITE_IDLE, NOTEBOOK_JSON, ROOT, STEP_MS, UNLABELLED, choice, confine,
                      open_lite, require, run_all_lite, serve_lite, shoot, stop, streams, wait_for_choices)

#: The cell of 07-quiz.ipynb that shows the course's own questions.
COURSE_QUIZ = re.compile(r"%quiz .*course-questions")
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="session")
def lite_site(tmp_path_factory) -> Path:
    """The site, built once for the whole run."""
    require("jupyterlite_core")
    from sandbox.entrypoint.lite import DEFAULT_CACHE, PYODIDE, build

    if shutil.which("npm") is None and not (DEFAULT_CACHE / f"pyodide-{PYODIDE}" / "pyodide-lock.json").is_file():
        reason = "npm is not installed (apt-get install npm) and the lite cache holds no Pyodide"
        if IN_CI:
            pytest.fail(f"CI=true, so the browser tests must run, but {reason}", pytrace=False)
        pytest.skip(reason)

    started = time.monotonic()
    site = build(tmp_path_factory.mktemp("lite") / "_site", DEFAULT_CACHE)
    print(f"\nimageshare lite build: {time.monotonic() - started:.1f} s")
    return site


@pytest.fixture(scope="module")
def lite_url(lite_site, tmp_path_factory, artifacts) -> str:
    """``imageshare lite serve`` on the built site; its address."""
    log = tmp_path_factory.mktemp("lite-serve") / "lite-serve.log"
    url, process = serve_lite(lite_site, log)
    try:
        yield url
    finally:
        stop(process)
        shutil.copy(log, artifacts)


@pytest.fixture
def lite_page(browser, lite_url, artifacts, request):
    """A fresh context (its own browser storage) whose requests may not leave the site; downloads accepted."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(STEP_MS)
    foreign = confine(context, lite_url)
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        tab.screenshot(path=str(artifacts / f"FAILED-{request.node.name}.png"))
    context.close()
    assert foreign == [], f"the site reached outside its origin: {foreign}"


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_run_all_prints_every_stored_stream_output(lite_page, lite_url, notebook) -> None:
    open_lite(lite_page, lite_url, notebook)
    run_all_lite(lite_page)
    ran = [c for c in lite_page.evaluate(NOTEBOOK_JSON)["cells"] if c["cell_type"] == "code"]
    stored = [c for c in json.loads((ROOT / "notebooks" / notebook).read_text())["cells"] if c["cell_type"] == "code"]
    assert len(ran) == len(stored)
    for number, (got, want) in enumerate(zip(ran, stored), 1):
        source = "".join(want["source"]).splitlines()[:1]
        assert [o for o in got["outputs"] if o["output_type"] == "error"] == [], f"code cell {number} {source}"
        assert streams(got) == streams(want), f"code cell {number} {source}"


def test_quiz_grades_by_replay_saves_a_download_that_grades_and_a_reload_keeps_the_answers(
        lite_page, lite_url, artifacts, tmp_path) -> None:
    page = lite_page
    open_lite(page, lite_url, "07-quiz.ipynb")
    run_all_lite(page)
    quiz = page.locator(".jp-CodeCell", has_text=COURSE_QUIZ).locator(".jp-OutputArea-output")
    quiz.get_by_label("Your ID").fill("ada-lovelace")
    quiz.get_by_label("Your ID").press("Enter")
    submit = quiz.get_by_title("Submit your answer to question 2")
    question = quiz.locator(".imageshare-question").filter(has=page.get_by_title("Submit your answer to question 2"))
    verdict = question.locator("[aria-live]")
    wait_for_choices(question, "ada-lovelace")
    wrong, _ = choice(question, "docker ps -a")  # in the order this learner sees
    right, letter = choice(question, "docker rm mycontainer")
    wrong.check()
    submit.click()
    verdict.get_by_text("Incorrect (0/1)", exact=False).wait_for()
    assert verdict.get_by_text("1 attempt left", exact=False).count() == 1
    assert question.get_by_text("the answer is", exact=False).count() == 0  # an attempt is left: the key stays back
    right.check()
    submit.click()
    verdict.get_by_text("Correct (1/1).").wait_for()

    quiz.get_by_role("button", name="Save answers").click()
    link = quiz.get_by_role("link", name="Download course-questions-ada-lovelace.yaml")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "course-questions-ada-lovelace.yaml"
    shoot(page, link, artifacts / "4-lite-quiz-saved.png")
    submission = tmp_path / "hand-in" / download.value.suggested_filename
    submission.parent.mkdir()
    download.value.save_as(submission)
    document = yaml.safe_load(submission.read_text())
    document.pop("submitted_at")
    assert document == {"learner": "ada-lovelace", "quiz": "course-questions", "answers": {"rm-stop": letter},
                        "attempts": {"rm-stop": 2}}
    graded = subprocess.run([str(Path(sys.executable).parent / "imageshare"), "grade",
                             str(ROOT / "quizzes" / "course-questions.yaml"), str(submission.parent),
                             "--db", str(tmp_path / "gradebook.sqlite"), "--csv", str(tmp_path / "grades.csv")],
                            capture_output=True, text=True, timeout=120)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "grades.csv").read_text())))
    assert [(r["course-questions: rm-stop"], r["course-questions (total)"]) for r in rows] == [("1", "1")]
    assert quiz.evaluate(UNLABELLED) == []

    page.reload()  # a fresh kernel; the answers were kept in the browser's storage
    page.get_by_text(LITE_IDLE).wait_for(timeout=180_000)
    run_all_lite(page)
    quiz = page.locator(".jp-CodeCell", has_text=COURSE_QUIZ).locator(".jp-OutputArea-output")
    assert quiz.get_by_label("Your ID").input_value() == "ada-lovelace"
    question = quiz.locator(".imageshare-question").filter(has=page.get_by_title("Submit your answer to question 2"))
    question.locator("[aria-live]").get_by_text("Correct (1/1).").wait_for()
    assert choice(question, "docker rm mycontainer")[0].is_checked()
    shoot(page, question, artifacts / "4-lite-quiz-after-reload.png")


def test_the_terminal_widget_runs_a_typed_command(lite_page, lite_url, artifacts) -> None:
    open_lite(lite_page, lite_url, "00-welcome.ipynb")
    run_all_lite(lite_page)
    terminal = lite_page.locator(".jp-CodeCell", has_text="Terminal()").locator(".jp-OutputArea-output")
    field = terminal.get_by_label("command")
    field.click()
    field.press_sequentially("docker images")
    field.press("Enter")
    terminal.get_by_text("laptop$ docker images").wait_for()
    assert re.search(r"^alpine\s+latest\s+aded1e1a5b37 ", terminal.locator("pre").text_content(), re.MULTILINE)
    shoot(lite_page, terminal, artifacts / "4-lite-terminal.png")
