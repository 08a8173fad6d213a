"""Dockerfile syntax: lines, continuations, comments, instructions and their arguments, as BuildKit's parser reads
them. Errors carry BuildKit's wording and the line number."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from sandbox.errors import BuildError
from sandbox.suggest import closest

INSTRUCTIONS = {
    "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER",
    "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
}
#: Instructions whose argument may be a JSON array (exec form).
_JSON_FORMS = {"RUN", "CMD", "ENTRYPOINT", "COPY", "ADD", "VOLUME", "SHELL"}
#: The longest value an ENV/ARG expansion may build (ENV A=$A$A doubles with every line).
MAX_EXPANSION = 64 * 1024
_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")


@dataclass(frozen=True)
class Instruction:
    """One instruction: keyword (upper case), the raw argument text, flags like ``--from=``, and its line."""

    keyword: str
    text: str
    line: int
    end_line: int
    flags: tuple[tuple[str, str], ...] = ()

    @property
    def original(self) -> str:
        """The instruction as BuildKit shows it in progress lines (keyword upper-cased, flags kept)."""
        flags = " ".join(f"--{name}={value}" for name, value in self.flags)
        return f"{self.keyword} {flags + ' ' if flags else ''}{self.text}".strip()

    def json_args(self) -> list[str] | None:
        """The exec-form list when the argument is a JSON array of strings, else None."""
        if not self.text.startswith("["):
            return None
        try:
            value = json.loads(self.text)
        except ValueError:
            return None
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return value
        return None

    def flag(self, name: str) -> str | None:
        """The value of ``--name=value`` on this instruction."""
        return dict(self.flags).get(name)


def parse(text: str) -> list[Instruction]:
    """Split a Dockerfile into instructions. Raises `BuildError` for an empty file or an unknown instruction."""
    instructions: list[Instruction] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        start = index
        raw = lines[index]
        index += 1
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        pieces = [stripped]
        while pieces[-1].endswith("\\") and index < len(lines):
            pieces[-1] = pieces[-1][:-1].rstrip()
            follow = lines[index].strip()
            index += 1
            if follow.startswith("#"):
                pieces.append("\\")
                continue
            pieces.append(follow)
        if pieces[-1].endswith("\\"):
            pieces[-1] = pieces[-1][:-1].rstrip()
        joined = " ".join(piece for piece in pieces if piece and piece != "\\")
        keyword, _, rest = joined.partition(" ")
        upper = keyword.upper()
        if upper not in INSTRUCTIONS:
            raise _unknown(keyword, start + 1)
        flags, rest = _split_flags(rest.strip())
        instructions.append(Instruction(upper, rest, start + 1, index, flags))
    if not instructions:
        raise BuildError("the Dockerfile cannot be empty")
    if instructions[0].keyword not in ("FROM", "ARG"):
        raise BuildError(
            f"dockerfile parse error on line {instructions[0].line}: no build stage in current context"
        )
    return instructions


def _suggestion(keyword: str) -> str:
    """`` (did you mean FROM?)`` when an instruction is within distance 2, in the user's case, as BuildKit does."""
    best = closest(keyword.upper(), sorted(INSTRUCTIONS))
    if best is None:
        return ""
    return f" (did you mean {best.lower() if keyword.islower() else best}?)"


def _unknown(keyword: str, line: int) -> BuildError:
    error = BuildError(f"dockerfile parse error on line {line}: unknown instruction: {keyword}{_suggestion(keyword)}")
    error.line = line
    return error


def _split_flags(rest: str) -> tuple[tuple[tuple[str, str], ...], str]:
    flags = []
    while rest.startswith("--"):
        word, _, remainder = rest.partition(" ")
        name, _, value = word[2:].partition("=")
        flags.append((name, value))
        rest = remainder.strip()
    return tuple(flags), rest


def substitute(text: str, variables: dict[str, str]) -> str:
    """Expand ``$VAR``, ``${VAR}`` and ``${VAR:-default}`` as Dockerfile instructions do.

    Raises `BuildError` as soon as the expansion would pass `MAX_EXPANSION`, before it is built: one ``ENV
    B=$B$B...`` line of 20,000 references to a 64 KiB value would otherwise build a gigabyte first.
    """
    pieces, size, position = [], 0, 0
    for match in [*_VARIABLE.finditer(text), None]:
        literal = text[position:match.start() if match else len(text)]
        value = _value(match, variables) if match else ""
        size += len(literal) + len(value)  # each value is already under the cap, so this never builds much past it
        if size > MAX_EXPANSION:
            raise BuildError(f"variable expansion produces more than {MAX_EXPANSION} characters; the sandbox "
                             f"builds Dockerfiles whose values stay under {MAX_EXPANSION // 1024} KiB")
        pieces += (literal, value)
        position = match.end() if match else len(text)
    return "".join(pieces)


def _value(match: re.Match, variables: dict[str, str]) -> str:
    """What one ``$VAR``, ``${VAR}`` or ``${VAR:-default}`` stands for."""
    name, default = match.group(1) or match.group(3), match.group(2)
    value = variables.get(name)
    if value in (None, "") and default is not None:
        return default
    return value or ""


def key_values(text: str) -> list[tuple[str, str]]:
    """``ENV``/``LABEL``/``ARG`` arguments: ``A=1 B="two words"`` or the legacy ``A value with spaces``."""
    import shlex

    if "=" not in text.split(" ", 1)[0]:
        name, _, value = text.partition(" ")
        return [(name, value.strip())]
    pairs = []
    for word in shlex.split(text):
        name, _, value = word.partition("=")
        pairs.append((name, value))
    return pairs
