"""The classroom on a real JupyterHub: learners hand quizzes in from their kernels to the course service, which grades
each as the hub user whose token sent it, whatever the payload says; a learner reads only their own results and
cannot open the instructors' dashboard."""

from __future__ import annotations

import json
import shutil
import textwrap

import pytest

from sandbox.gradebook.store import Gradebook

from .harness import ROOT
from .hub import SERVICE, HubUser, request, start_hub, stop_hub

QUIZZES = ("course-questions", "names-and-tags", "login-and-push", "pull", "two-hosts", "private-registry")


@pytest.fixture(scope="module")
def hub(tmp_path_factory, artifacts):
    """A hub with learners ada and bob and instructor ines (hub group ``instructors``), serving the 07-quiz
    notebook's quizzes as a course whose feedback and keys are shown at once."""
    root = tmp_path_factory.mktemp("classroom")
    quizzes = "".join(f"  - file: {ROOT / 'quizzes' / (q + '.yaml')}\n    keys: immediately\n" for q in QUIZZES)
    course = root / "course.yaml"
    course.write_text(f"course: docker-101\ninstructors: [group:instructors]\nquizzes:\n{quizzes}")
    running = start_hub(root / "hub", course, learners=["ada", "bob"], instructors=["ines"])
    try:
        yield running
    finally:
        stop_hub(running)
        for log in ("hub.log", "service.log"):
            if (running.root / log).exists():
                shutil.copy(running.root / log, artifacts / f"classroom-{log}")


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
