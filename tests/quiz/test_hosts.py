"""Hosts a question names once: a typo (``servre``) is warned about with the host meant; a host named once on
purpose (a command typed on a second machine) is not."""

from __future__ import annotations

from sandbox.quiz import parse
from sandbox.quiz.hosts import host_warnings

HEAD = "quiz: q\ntitle: T\nquestions:\n"


def _question(body: str):
    return parse(HEAD + body, "q.yaml").questions[0]


def test_a_misspelt_host_in_a_goal_is_warned_about_with_the_host_meant() -> None:
    q = _question("""  - id: t
    kind: task
    prompt: p
    setup: [docker pull alpine, server$ docker pull alpine]
    goal:
      - image: alpine
        host: servre
    solution: [server$ docker images]
""")
    [warning] = host_warnings(q)
    assert warning.endswith("(did you mean 'server'?)") and "'servre' is named only here" in warning
    assert (warning.where.line, warning.where.field) == (10, "questions[0].goal[0].host")


def test_a_command_on_a_second_machine_named_once_is_not_a_warning() -> None:
    q = _question("""  - id: w
    kind: which-fails
    prompt: p
    setup: [docker pull alpine]
    choices:
      a: docker run alpine
      b: server$ docker rmi alpine
    answer: b
""")
    assert host_warnings(q) == ()


def test_a_host_used_twice_is_not_a_warning() -> None:
    q = _question("""  - id: t
    kind: task
    prompt: p
    setup: [servre$ docker pull alpine]
    goal:
      - image: alpine
        host: servre
    solution: [docker images]
""")
    assert host_warnings(q) == ()



def test_a_host_far_from_every_other_gets_no_guess() -> None:
    q = _question("""  - id: t
    kind: task
    prompt: p
    setup: [docker pull alpine, server$ docker pull alpine]
    goal:
      - image: alpine
        host: buildbox
    solution: [server$ docker images]
""")
    [warning] = host_warnings(q)
    assert "did you mean" not in warning and "no command runs on it" in warning
