"""Where a question's computed key rests on something the sandbox models rather than reproduces.

``imageshare quiz check`` prints each note beside the key, so an author verifies those keys on real Docker instead
of trusting them: a program's output (containers run modelled programs), Docker Hub's search ranking and stars,
times (a virtual clock), and the sizes of layers a RUN step makes (RUN commands and package managers are not run).
Everything else a key can rest on (references, registries, tags, digests, rmi rules, usage errors) is reproduced.
"""

from __future__ import annotations

import re
import shlex

from sandbox.quiz.model import Command, Question

__all__ = ["PROGRAM_OUTPUT", "RUN_LAYER_SIZES", "SEARCH_RANKING", "TIMING", "model_notes"]

PROGRAM_OUTPUT = "a container's program is modelled, not run: check its output and exit code on real Docker"
SEARCH_RANKING = "Docker Hub's search ranking and star counts are a model of the real Hub"
TIMING = "times come from the sandbox's virtual clock, not real durations"
RUN_LAYER_SIZES = "RUN steps are not executed: the sizes of the layers they make are modelled"

#: Commands whose answer is what a container's program printed or how it exited.
_PROGRAM = {("run",), ("container", "run"), ("exec",), ("container", "exec"), ("logs",), ("container", "logs"),
            ("start",), ("container", "start"), ("attach",), ("container", "attach")}  # fmt: skip
_SEARCH = {("search",)}
#: Listings whose default table shows times (CREATED, STATUS) or sizes.
_TIMED_LISTS = {("ps",), ("container", "ls"), ("container", "list"), ("container", "ps"), ("images",),
                ("image", "ls"), ("image", "list"), ("history",), ("image", "history"), ("build",),
                ("image", "build"), ("buildx", "build"), ("buildx", "b")}  # fmt: skip
_SIZED = {("images",), ("image", "ls"), ("image", "list"), ("history",), ("image", "history"), ("inspect",),
          ("image", "inspect"), ("system", "df")}  # fmt: skip
_TIME_FIELDS = re.compile(r"Created|RunningFor|Status|\.State\.(?:StartedAt|FinishedAt)|LastTagTime")
_SIZE_FIELDS = re.compile(r"Size")


def model_notes(question: Question) -> tuple[str, ...]:
    """The notes for ``question``'s key, in a fixed order; empty when the key rests on reproduced behaviour only."""
    commands = [question.command] if question.command is not None else []
    commands += [choice.command for choice in question.choices if choice.command is not None]
    asks_text = question.kind == "output" and question.ask in ("stdout", "stderr", "output", None)
    notes: list[str] = []
    for command in commands:
        path, rest = _docker_path(command)
        if path in _PROGRAM:
            notes.append(PROGRAM_OUTPUT)
        if path in _SEARCH and asks_text:
            notes.append(SEARCH_RANKING)
        fmt = _format_of(rest, short="-f" if path[-1:] == ("inspect",) else None)
        if asks_text and path in _TIMED_LISTS and (fmt is None or _TIME_FIELDS.search(fmt)):
            notes.append(TIMING)
        if asks_text and path in _SIZED and (fmt is None or _SIZE_FIELDS.search(fmt)) and _builds_with_run(question):
            notes.append(RUN_LAYER_SIZES)
    return tuple(note for note in (PROGRAM_OUTPUT, SEARCH_RANKING, TIMING, RUN_LAYER_SIZES) if note in notes)


def _docker_path(command: Command) -> tuple[tuple[str, ...], list[str]]:
    """The docker command's words (``("image", "ls")``) and the rest of the line; ``()`` for anything else."""
    try:
        words = shlex.split(command.line)
    except ValueError:
        return (), []
    if not words or words[0] != "docker":
        return (), []
    words = words[1:]
    while words and words[0].startswith("-"):  # global options (-D, -l debug): skip them and a value
        words = words[2:] if words[0] in ("-l", "--log-level", "-H", "--host", "-c", "--context") else words[1:]
    for size in (2, 1):
        if tuple(words[:size]) in _PROGRAM | _SEARCH | _TIMED_LISTS | _SIZED:
            return tuple(words[:size]), words[size:]
    return tuple(words[:1]), words[1:]


def _format_of(words: list[str], short: str | None) -> str | None:
    """The ``--format`` value (``-f`` only where it means format: ``inspect``; elsewhere it is ``--filter``)."""
    for index, word in enumerate(words):
        if word in ("--format", short) and index + 1 < len(words):
            return words[index + 1]
        if word.startswith("--format="):
            return word.partition("=")[2]
    return None


def _builds_with_run(question: Question) -> bool:
    """Whether a Dockerfile of the question has a RUN step (its layer's size is modelled)."""
    return any(
        re.search(r"^\s*RUN\b", text, re.MULTILINE | re.IGNORECASE)
        for name, text in question.files if "dockerfile" in name.lower()
    )
