"""Handing a quiz in from a kernel under a hub: the widget's Submit and Save send the quiz's answers (the submission
format) with the kernel's token and show the course service's answer; a service that cannot be reached or refuses
costs nothing (the attempt does not count, the answers stay, the saved file is written). Without a hub nothing is
sent. A stand-in HTTP server plays the service here; the real one, on a real hub: tests/e2e/test_classroom.py."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from sandbox.jupyter import handin
from sandbox.jupyter.quiz import QuizWidget
from sandbox.quiz import parse

QUIZ = parse("""\
quiz: tags
title: Tags
shuffle: false
questions:
  - id: default-tag
    kind: choice
    prompt: Which tag does docker pull use when none is given?
    choices:
      a: latest
      b: stable
    answer: a
  - id: other
    kind: choice
    prompt: Which tag does docker push use when none is given?
    choices:
      a: latest
      b: newest
    answer: a
""", "tags.yaml")


class StandIn(BaseHTTPRequestHandler):
    """Answers POST api/submissions as the service does, with ``status`` and ``answer``, keeping what it was sent."""

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.server.received.append((self.path, dict(self.headers), json.loads(self.rfile.read(length))))
        body = json.dumps(self.server.answer).encode()
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def service(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    server.received, server.status = [], 200
    server.answer = {"recorded": True, "learner": "ada", "quiz": "tags", "received_at": "2026-03-08T10:00:00.5Z",
                     "score": 1.0, "max_score": 2.0, "notes": ["Submission 1 to quiz 'tags' accepted."],
                     "questions": [{"id": "default-tag", "score": 1.0, "max_score": 1.0, "correct": True,
                                    "feedback": "Correct (1/1).\n\nThe service's own words."}]}
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("JUPYTERHUB_USER", "ada")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "kernel-token")
    monkeypatch.setenv("IMAGESHARE_COURSE_URL", f"http://127.0.0.1:{server.server_address[1]}/services/course/")
    yield server
    server.shutdown()
    server.server_close()


def test_submit_hands_the_quiz_in_with_the_kernels_token_and_shows_the_services_answer(service, tmp_path) -> None:
    quiz = QuizWidget(QUIZ, directory=tmp_path)
    quiz.questions[0].submit("a")
    [(path, headers, sent)] = service.received
    assert path == "/services/course/api/submissions" and headers["Authorization"] == "token kernel-token"
    assert sent == {"learner": "ada", "quiz": "tags", "answers": {"default-tag": "a"},
                    "attempts": {"default-tag": 1}, "shown": []}
    shown = quiz.questions[0].result.value
    assert "Correct (1/1)." in shown and "The service&#x27;s own words." in shown
    assert "Handed in to the course at 2026-03-08 10:00:00 UTC: the quiz so far 1/2." in shown
    assert quiz.handed_in == "2026-03-08T10:00:00.5Z" and quiz.questions[0].submitted == 1


def test_each_hand_in_carries_every_answer_so_far(service, tmp_path) -> None:
    quiz = QuizWidget(QUIZ, directory=tmp_path)
    quiz.submit({"default-tag": "a", "other": "b"})
    assert [sent["answers"] for _, _, sent in service.received] == [
        {"default-tag": "a"}, {"default-tag": "a", "other": "b"}]


def test_save_writes_the_file_and_hands_in(service, tmp_path) -> None:
    quiz = QuizWidget(QUIZ, directory=tmp_path)
    quiz.questions[1].submit("b")
    saved = quiz.save()
    assert yaml.safe_load(saved.read_text())["answers"] == {"other": "b"}
    assert len(service.received) == 2
    assert "Saved 1 of 2 answers to" in quiz.status.value and "Handed in to the course at" in quiz.status.value


def test_an_unreachable_service_costs_nothing_and_retry_works(service, tmp_path, monkeypatch) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    monkeypatch.setenv("IMAGESHARE_COURSE_URL", f"http://127.0.0.1:{closed}/services/course/")
    quiz = QuizWidget(QUIZ, directory=tmp_path, attempts=1)
    question = quiz.questions[0]
    question.submit("a")
    assert "Not handed in: the course service at http://127.0.0.1:" in question.result.value
    assert "Your answers are kept: press Submit again to retry" in question.result.value
    assert question.submitted == 0 and not question.button.disabled and question.value() == "a"
    saved = quiz.save()
    assert saved is not None and saved.exists() and "Not handed in" in quiz.status.value
    quiz.course = handin.Course(f"http://127.0.0.1:{service.server_address[1]}/services/course/", "kernel-token")
    question.click()  # the service is back: the same answer goes in, and now counts
    assert question.submitted == 1 and "Handed in to the course" in question.result.value


def test_a_refusal_is_shown_in_the_services_words_and_nothing_counts(service, tmp_path) -> None:
    service.status = 403
    service.answer = {"error": "Quiz 'tags' was due at 2026-03-09 23:59 UTC; late submissions are not accepted.",
                      "status": 403, "recorded": False}
    quiz = QuizWidget(QUIZ, directory=tmp_path)
    quiz.questions[0].submit("a")
    assert ("Not handed in: the course service did not record it (403): Quiz &#x27;tags&#x27; was due at "
            "2026-03-09 23:59 UTC; late submissions are not accepted.") in quiz.questions[0].result.value
    assert quiz.questions[0].submitted == 0 and quiz.handed_in == ""


def test_without_a_course_service_nothing_leaves_the_kernel(service, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("IMAGESHARE_COURSE_URL")
    quiz = QuizWidget(QUIZ, directory=tmp_path)
    quiz.questions[0].submit("a")
    quiz.save()
    assert quiz.course is None and service.received == []
    assert "hand this file in" in quiz.status.value


def test_under_the_course_service_the_widget_offers_no_show_answer(service, tmp_path) -> None:
    quiz = QuizWidget(QUIZ, directory=tmp_path, attempts=2)
    assert all(w.show_button.layout.display == "none" for w in quiz.questions)
