"""The kernel's session: prompts found without touching the world, answers typed in, and output printed in the order
Docker wrote it."""

from __future__ import annotations

import io

import pytest

from sandbox.jupyter.session import Session, kernel_session, without_prompts, write


def test_prompts_lists_the_questions_login_would_ask_without_changing_the_world() -> None:
    session = Session()
    events = len(session.sandbox.events)
    assert session.prompts("laptop", "docker login") == ("Username: ", "Password: ")
    assert session.prompts("laptop", "docker login -u learner") == ("Password: ",)
    assert session.prompts("laptop", "docker login -u learner -p s3cret-pass") == ()
    assert session.prompts("laptop", "echo s3cret-pass | docker login -u learner --password-stdin") == ()
    assert session.prompts("server", "docker images") == ()
    assert len(session.sandbox.events) == events
    assert session.sandbox.logged_in_user() is None


def test_prompts_are_not_asked_again_once_logged_in() -> None:
    session = Session()
    session.sandbox.run("docker login -u learner -p s3cret-pass")
    assert session.prompts("laptop", "docker login") == ()


def test_run_types_the_answers_and_reports_the_prompts() -> None:
    session = Session()
    asked = []
    result, prompts = session.run("laptop", "docker login", lambda p, secret: asked.append(p) or
                                  {"Username: ": "alice", "Password: ": "alice-pass"}[p])
    assert result.exit_code == 0 and prompts == ("Username: ", "Password: ") == tuple(asked)
    assert session.sandbox.logged_in_user() == "alice"


def test_run_does_nothing_when_a_question_goes_unanswered() -> None:
    session = Session()
    result, prompts = session.run("laptop", "docker login -u alice", lambda p, secret: None)
    assert result is None and prompts == ("Password: ",)
    assert len(session.sandbox.events) == 0


def test_handle_refuses_a_bad_host_name() -> None:
    with pytest.raises(ValueError, match="is not a host name"):
        Session().handle("Laptop")


def test_reset_starts_a_fresh_world() -> None:
    session = Session()
    session.sandbox.run("docker pull alpine")
    session.reset()
    assert session.sandbox.hosts == ["laptop"] and not session.sandbox.has_image("alpine")


def test_kernel_session_is_one_per_process() -> None:
    assert kernel_session() is kernel_session()


def test_without_prompts_drops_asked_prompts_and_their_echo() -> None:
    chunks = [("stdout", "Username: "), ("stdout", "alice\n"), ("stdout", "Password: "), ("stdout", "\n"),
              ("stdout", "Login Succeeded\n")]
    assert without_prompts(chunks, ("Username: ", "Password: ")) == [("stdout", "Login Succeeded\n")]
    assert without_prompts(chunks, ()) == chunks


def test_write_keeps_the_order_and_says_whether_the_line_ended() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert write([("stdout", "a\n"), ("stderr", "b\n"), ("stdout", "{}")], out, err) is False
    assert (out.getvalue(), err.getvalue()) == ("a\n{}", "b\n")
    assert write([], out, err) is True


def test_write_plays_each_stream_before_the_chunk_holding_its_final_text() -> None:
    session = Session()
    result = session.sandbox.run("docker pull alpine")
    order: list[str] = []

    class Recorder(io.StringIO):
        def write(self, text: str) -> int:
            order.append("text:" + text.splitlines()[0])
            return len(text)

    write(result.chunks, Recorder(), Recorder(), play=lambda messages: order.append("play"),
          streams=result.progress)
    assert order == ["text:Using default tag: latest", "play", "text:latest: Pulling from library/alpine",
                     "text:docker.io/library/alpine:latest"]
