"""The classroom on a real JupyterHub: learners hand quizzes in from their kernels to the course service, which grades
each as the hub user whose token sent it, whatever the payload says; a learner reads only their own results and
cannot open the instructors' dashboard."""

from __future__ import annotations

import json
import re
import shutil
import textwrap

import pytest

from sandbox.gradebook.store import Gradebook

from .harness import QUESTION_BOX, ROOT, RUN_ALL_MS, STEP_MS, choice, no_errors, run_all, shoot
from .hub import PASSWORD, SERVICE, HubUser, request, start_hub, stop_hub

QUIZZES = ("course-questions", "names-and-tags", "login-and-push", "pull", "two-hosts", "private-registry")


@pytest.fixture(scope="module")
def hub(tmp_path_factory, artifacts):
    """A hub with learners ada and bob and instructor ines (hub group ``instructors``), serving the 07-quiz
    notebook's quizzes as a course whose feedback and keys are shown at once; carl is on the roster and never comes."""
    root = tmp_path_factory.mktemp("classroom")
    quizzes = "".join(f"  - file: {ROOT / 'quizzes' / (q + '.yaml')}\n    keys: immediately\n" for q in QUIZZES)
    course = root / "course.yaml"
    course.write_text(f"course: docker-101\nroster: roster.csv\ninstructors: [group:instructors]\nquizzes:\n{quizzes}")
    (root / "roster.csv").write_text("id,name,section,lms_id\nada,Ada Lovelace,A,S1\nbob,Bob Kahn,A,S2\n"
                                     "carl,Carl Never,B,S3\n")
    running = start_hub(root / "hub", course, learners=["ada", "bob"], instructors=["ines"],
                        notebooks=ROOT / "notebooks")
    try:
        yield running
    finally:
        stop_hub(running)
        for log in ("hub.log", "service.log"):
            if (running.root / log).exists():
                shutil.copy(running.root / log, artifacts / f"classroom-{log}")
    # the hub stopped its service with SIGINT: a clean stop, nothing raised on the way out
    assert "Traceback" not in running.service_log()


@pytest.fixture(scope="module")
def ada(hub) -> HubUser:
    user = HubUser(hub, "ada")
    user.login()
    return user


def _token_headers(user: HubUser) -> dict:
    return {"Authorization": f"token {user.token([f'access:services!service={SERVICE}'])}"}


#: What a learner's kernel does: the quiz widget of 07-quiz, answered and submitted, then saved; prints what the
#: widget shows and what the service answered.
KERNEL_QUIZ = textwrap.dedent("""
    import json, os
    from sandbox.jupyter.quiz import QuizWidget
    w = QuizWidget("pull", directory="submissions")
    first = w.questions[0]
    first.submit(first.value() or "a")
    saved = w.save()
    print(json.dumps({"user": os.environ["JUPYTERHUB_USER"], "handed_in": w.handed_in, "course": w.course.url,
                      "question": first.result.value, "status": w.status.value, "saved": str(saved),
                      "submitted": first.submitted}))
""")


def test_the_quiz_widget_in_a_kernel_hands_in_to_the_course_service_as_its_hub_user(hub, ada) -> None:
    shown = json.loads(ada.run(KERNEL_QUIZ))
    assert shown["user"] == "ada" and shown["course"] == hub.service_url
    assert shown["handed_in"].endswith("Z"), shown
    assert "Handed in to the course at" in shown["question"] and "Not handed in" not in shown["question"]
    assert shown["submitted"] == 1
    assert "Handed in to the course at" in shown["status"] and shown["saved"].endswith("pull-ada.yaml")
    with Gradebook(hub.gradebook, readonly=True) as book:
        mine = book.submissions(["pull"], learners=["ada"], history=True)
    assert len(mine) == 2 and all(s.learner == "ada" for s in mine)  # Submit, then Save: two hand-ins


def test_a_payload_naming_another_learner_is_graded_as_its_sender(hub) -> None:
    bob = HubUser(hub, "bob")
    bob.login()
    code = textwrap.dedent("""
        import json
        from sandbox.jupyter import handin
        reply = handin.hand_in(handin.course(), {"learner": "ada", "quiz": "pull", "answers": {},
                                                 "submitted_at": "2099-01-01T00:00:00Z"})
        print(json.dumps({"data": reply.data, "problem": reply.problem}))
    """)
    reply = json.loads(bob.run(code))
    assert reply["problem"] is None
    data = reply["data"]
    assert data["learner"] == "bob" and data["received_at"] < "2099"
    assert any("named learner 'ada'" in note and "graded as bob" in note for note in data["notes"])
    assert any("submitted_at '2099-01-01T00:00:00Z' was replaced" in note for note in data["notes"])
    with Gradebook(hub.gradebook, readonly=True) as book:
        assert [s.learner for s in book.submissions(["pull"], learners=["bob"])] == ["bob"]
        assert all(s.submitted_at < "2099" for s in book.submissions(["pull"], learners=["ada"], history=True))


def test_a_learner_reads_only_their_own_results_whatever_the_request_names(hub, ada) -> None:
    headers = _token_headers(ada)
    for url, extra in ((hub.service_url + "api/submissions", {}),
                       (hub.service_url + "api/submissions?learner=bob&user=bob", {}),
                       (hub.service_url + "api/submissions", {"X-Forwarded-User": "bob", "X-Remote-User": "bob"})):
        status, body = request("GET", url, headers={**headers, **extra})
        assert status == 200 and body["learner"] == "ada", body
        assert {s["quiz"] for s in body["submissions"]} <= set(QUIZZES)


def test_a_token_without_access_to_the_service_is_refused(hub, ada) -> None:
    token = ada.token(["read:users:name!user=ada"])
    status, body = request("GET", hub.service_url + "api/submissions", headers={"Authorization": f"token {token}"})
    assert status == 403, body
    status, body = request("POST", hub.service_url + "api/submissions", {"quiz": "pull", "answers": {}})
    assert status == 403 and body.get("recorded") is not True


def test_a_learner_cannot_open_the_dashboard_and_an_instructor_can(hub, ada) -> None:
    status, body = ada.get(hub.service_url + "dashboard/")
    assert status == 403, body
    ines = HubUser(hub, "ines")
    ines.login()
    status, body = ines.get(hub.service_url + "dashboard/")
    assert status == 200, body


# -- in Chromium: two learners run 07-quiz and submit; the instructor watches, overrides and exports -----------------
def _log_in(browser, hub, name: str):
    """A browser context logged in to the hub as ``name`` (the hub's login form), and its page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(STEP_MS)
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login_submit")
    page.wait_for_url(re.compile(r"/(user/[^/]+/lab|hub/home|hub/spawn-pending/.*)"), timeout=STEP_MS * 2)
    return context, page


def _run_07_quiz_and_submit(browser, hub, name: str, artifacts) -> None:
    context, page = _log_in(browser, hub, name)
    try:
        page.goto(f"{hub.url}/user/{name}/lab/tree/notebooks/07-quiz.ipynb?reset", timeout=RUN_ALL_MS)
        page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=RUN_ALL_MS)
        run_all(page)
        no_errors(page)
        quiz = page.locator(".jp-CodeCell", has_text="%quiz --attempts 2 course-questions").locator(
            ".jp-OutputArea-output")
        submit = quiz.get_by_title("Submit your answer to question 1")
        first = submit.locator(QUESTION_BOX)
        choice(first, "An image is built and a container")[0].check()
        submit.click()
        verdict = first.locator("[aria-live]")
        verdict.get_by_text("Correct (1/1).").wait_for()
        verdict.get_by_text("Handed in to the course at", exact=False).wait_for()
        shoot(page, first, artifacts / f"3-classroom-{name}-handed-in.png")
    finally:
        context.close()


def test_two_learners_submit_from_07_quiz_and_the_instructor_sees_them_live_overrides_and_exports(
        browser, hub, artifacts) -> None:
    teacher, board = _log_in(browser, hub, "ines")
    try:
        board.goto(hub.service_url + "dashboard/")
        board.get_by_role("heading", name="Submissions as they arrive").wait_for()
        feed = board.locator("#feed")
        for name in ("ada", "bob"):
            _run_07_quiz_and_submit(browser, hub, name, artifacts)
            # the page was not reloaded: its live view brings the submission in
            feed.locator("tr", has_text=name).filter(has_text="course-questions").first.wait_for(timeout=RUN_ALL_MS)
        row = board.locator("#standings tr[data-learner='ada'] td[data-quiz='course-questions']")
        assert row.inner_text().split()[0] != "—"
        shoot(board, feed, artifacts / "3-classroom-dashboard-live.png")

        board.fill("input[name=learner]", "ada")
        board.select_option("select[name=quiz]", "course-questions")
        board.fill("input[name=points]", "5")
        board.fill("input[name=comment]", "Question 3 was ambiguous: marked by hand")
        board.get_by_role("button", name="Override").click()
        board.get_by_text("Override of ada on course-questions: 5 points, by ines.").wait_for()
        board.locator("table tr", has_text="Question 3 was ambiguous: marked by hand").first.wait_for()
        assert board.locator("#standings tr[data-learner='ada'] td[data-quiz='course-questions']").inner_text() \
            .startswith("5")
        shoot(board, board.locator("#standings"), artifacts / "3-classroom-dashboard-override.png")

        exported = board.request.get(hub.service_url + "dashboard/export/scores.json")
        assert exported.status == 200
        learners = {entry["learner"]: entry for entry in exported.json()["learners"]}
        ada = learners["ada"]["quizzes"]["course-questions"]
        assert (ada["final"], ada["override"]) == (5, 5)
        assert ada["comment"] == "Question 3 was ambiguous: marked by hand"
        assert learners["bob"]["quizzes"]["course-questions"]["submitted"]
        carl = learners["carl"]  # on the roster, nothing handed in: 0
        assert carl["on_roster"] and carl["quizzes"]["course-questions"] == {"submitted": False, "final": 0}
        canvas = board.request.get(hub.service_url + "dashboard/export/canvas.csv")
        assert canvas.status == 200 and canvas.headers["content-type"].startswith("text/csv")
        assert canvas.text().splitlines()[0].startswith("Student,ID,SIS User ID,SIS Login ID,Section,")
    finally:
        teacher.close()
    learner, page = _log_in(browser, hub, "ada")
    try:
        response = page.goto(hub.service_url + "dashboard/")
        assert response.status == 403
        assert page.get_by_text("ada is not an instructor or teaching assistant of this course").count() == 1
    finally:
        learner.close()


def _post_form(user: HubUser, url: str, fields: dict, *, xsrf: bool = True) -> tuple[int, str]:
    """A form POST with ``user``'s cookies, carrying the service's XSRF token (from its cookie) unless told not to."""
    import urllib.error
    import urllib.parse
    import urllib.request

    token = next((c.value for c in user.jar if c.name == "_xsrf" and c.path.startswith("/services/")), "")
    data = urllib.parse.urlencode({**fields, **({"_xsrf": token} if xsrf else {})}).encode()
    try:
        with user.opener.open(urllib.request.Request(url, data=data), timeout=60) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_dashboard_forms_need_the_xsrf_token_and_say_what_is_wrong(hub) -> None:
    ines = HubUser(hub, "ines")
    ines.login()
    assert ines.get(hub.service_url + "dashboard/")[0] == 200  # the page sets the service's XSRF cookie
    override = hub.service_url + "dashboard/override"
    good = {"learner": "bob", "quiz": "pull", "question": "", "points": "3", "comment": "checked by hand"}
    status, _ = _post_form(ines, override, good, xsrf=False)
    assert status == 403
    status, page = _post_form(ines, override, {**good, "points": "8", "comment": ""})
    assert status == 400
    assert "say why in the comment" in page and "points: expected a number from 0 to 7, got &#x27;8&#x27;" in page
    status, page = _post_form(ines, override, {**good, "question": "no-such-question"})
    assert status == 400 and "quiz &#x27;pull&#x27; has no question &#x27;no-such-question&#x27;" in page
    status, page = _post_form(ines, override, good)  # redirected to the dashboard, which says what was done
    assert status == 200 and "Override of bob on pull: 3 points, by ines." in page
