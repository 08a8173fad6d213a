"""Command lines as quizzes and answers write them: prompt prefixes, the image references they name, forbidden words.

A line may start with a prompt naming the host it is typed on: ``server$ docker pull x`` runs on ``server``, and
``$ docker ps`` on the question's default host. References are read with :mod:`sandbox.oci` (never split by hand).
"""

from __future__ import annotations

import re
import shlex

from sandbox.errors import InvalidDigest, InvalidReference
from sandbox.oci import familiar_string, parse_any, parse_docker_ref, parse_normalized_named
from sandbox.quiz.errors import CommandLineError
from sandbox.quiz.model import Forbid

#: ``server$ `` or ``$ `` at the start of a line: the host a command is typed on, as a shell prompt shows it.
PROMPT = re.compile(r"\A(?:([a-z][a-z0-9-]{0,62}))?\$\s+")
#: Flags of pull and push that take a value; any other flag of theirs stands alone.
_VALUE_FLAGS = frozenset({"--platform"})
#: docker subcommands whose operands are all image references, with the parser docker applies to them.
_OPERANDS = {
    "pull": parse_normalized_named,
    "push": parse_normalized_named,
    "rmi": parse_any,
    "history": parse_any,
}
_IMAGE_SUBCOMMANDS = {"pull": "pull", "push": "push", "rm": "rmi", "history": "history", "tag": "tag"}


def split_prompt(text: str) -> tuple[str | None, str]:
    """``(host, line)`` from a line that may start with a prompt; host is None for ``$ `` or no prompt."""
    m = PROMPT.match(text)
    if not m:
        return None, text.strip()
    return m.group(1), text[m.end():].strip()


def words(line: str) -> list[str]:
    """The shell words of ``line``; raises ``CommandLineError`` for unbalanced quotes."""
    try:
        return shlex.split(line)
    except ValueError as e:
        raise CommandLineError(f"cannot split the command line into words: {e}") from None


def references(line: str) -> list[str]:
    """The image references ``line`` names where docker reads one: pull, push, tag, rmi, history, build -t/--tag.

    ``run`` and ``create`` are left to the sandbox (their many value flags make the image operand a daemon matter).
    Raises ``CommandLineError`` for unbalanced quotes.
    """
    w = words(line)
    if len(w) < 2 or w[0] != "docker":
        return []
    sub, rest = w[1], w[2:]
    if sub == "image" and rest and rest[0] in _IMAGE_SUBCOMMANDS:
        sub, rest = _IMAGE_SUBCOMMANDS[rest[0]], rest[1:]
    if sub == "build":
        found = []
        for i, word in enumerate(rest):
            if word in ("-t", "--tag") and i + 1 < len(rest):
                found.append(rest[i + 1])
            elif word.startswith("--tag="):
                found.append(word[len("--tag="):])
            elif word.startswith("-t") and len(word) > 2 and not word.startswith("--"):
                found.append(word[2:])
        return found
    operands, skip = [], False
    for word in rest:
        if skip:
            skip = False
        elif word in _VALUE_FLAGS:
            skip = True
        elif not word.startswith("-"):
            operands.append(word)
    return operands if sub in _OPERANDS or sub == "tag" else []


def check_references(line: str) -> None:
    """Raise ``CommandLineError`` if ``line`` names an image reference docker would refuse, quoting docker's reason."""
    w = words(line)
    sub = w[1] if len(w) > 1 else ""
    if sub == "image" and len(w) > 2:
        sub = _IMAGE_SUBCOMMANDS.get(w[2], "")
    for i, ref in enumerate(references(line)):
        parser = _OPERANDS.get(sub, parse_normalized_named)
        if sub == "tag" and i == 0:
            parser = parse_any
        try:
            parser(ref)
        except (InvalidReference, InvalidDigest) as e:
            raise CommandLineError(f"{ref!r} is not a valid image reference: {e}") from None


def check_reference(ref: str) -> None:
    """Raise ``CommandLineError`` if docker would refuse ``ref`` as an image name, quoting docker's reason."""
    try:
        parse_normalized_named(ref)
    except (InvalidReference, InvalidDigest) as e:
        raise CommandLineError(f"{ref!r} is not a valid image reference: {e}") from None


def familiar(ref: str) -> str:
    """The short form docker prints for a reference (``myimage:latest``); ``ref`` itself if it does not parse."""
    try:
        return familiar_string(parse_docker_ref(ref))
    except (InvalidReference, InvalidDigest):
        return ref


def violates(rule: Forbid, line: str) -> bool:
    """Whether ``line`` contains the rule's words in order (``rmi -f`` matches ``docker rmi -f x``)."""
    try:
        have = shlex.split(line)
    except ValueError:
        have = line.split()
    it = iter(have)
    return all(any(w == h for h in it) for w in rule.words)
