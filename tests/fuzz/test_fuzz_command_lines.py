"""Command lines drawn from the docker client's own grammar, valid and mutated, typed into worlds in every state a
lesson reaches; each line must keep the properties of :mod:`.properties`.

The budget follows the Hypothesis profile (``tests/conftest.py``): ``ci`` runs a fixed, derandomized budget of tens
of thousands of lines; ``dev`` a quick one. The count of lines run is printed at the end of the session.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from . import tally
from .budget import budget
from .grammar import NASTY, argvs, line_of, mutate
from .properties import run_and_check
from .worlds import CONTAINERS, KNOWN_REFERENCES, worlds


WORLDS = sorted(worlds())
HOSTS = ("laptop", "laptop", "server")
SHELL = ("echo", "cat", "ls", "pwd", "cd", "true", "false", "clear", "sudo", "dockerd", "docker-compose", "Docker")


ARGVS = argvs(KNOWN_REFERENCES, CONTAINERS)
SHAPES = st.sampled_from(["argv"] * 6 + ["mutated", "compound", "shell", "raw"])
STDINS = st.sampled_from([None, None, "", "s3cret-pass", "alice-pass\n", "learner\ns3cret-pass\n", "y\n", "x" * 10_000])
OPERATORS = st.sampled_from([" && ", " || ", "; ", " | ", "|", " & ", " &&& ", " ;; "])
SHELL_LINES = st.tuples(st.sampled_from(SHELL), st.lists(st.sampled_from(NASTY + ("/", "~", ".", "-a")), max_size=3))
RAW = st.text(max_size=60)


@st.composite
def steps(draw) -> tuple[str, list[str] | None, str | None]:
    """One line to type: ``(line, argv or None when the line is not one simple command, stdin)``."""
    shape, stdin = draw(SHAPES), draw(STDINS)
    if shape == "argv":
        argv = draw(ARGVS)
        return line_of(argv), argv, stdin
    if shape == "mutated":
        return mutate(draw, line_of(draw(ARGVS))), None, stdin
    if shape == "compound":
        return line_of(draw(ARGVS)) + draw(OPERATORS) + line_of(draw(ARGVS)), None, stdin
    if shape == "shell":
        program, words = draw(SHELL_LINES)
        return line_of([program, *words]), [program, *words], stdin
    return draw(RAW), None, stdin


@settings(max_examples=budget("hypothesis_examples"), deadline=None)
@given(world=st.sampled_from(WORLDS), host=st.sampled_from(HOSTS), lines=st.lists(steps(), min_size=1, max_size=8))
def test_every_line_returns_a_docker_result_and_keeps_the_world_when_docker_would(world, host, lines) -> None:
    sb = worlds()[world].fork()
    target = sb if host == "laptop" else sb.host(host)
    for line, argv, stdin in lines:
        run_and_check(sb.world, target, line, argv, stdin)
    tally.LINES["hypothesis"] += len(lines)
