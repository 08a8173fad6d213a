"""Per-learner variants: ``${name}`` placeholders, the variants ``vars`` spans, and which one a learner gets.

``vars: {tag: ["0.0.1", "1.2.0"], user: [learner]}`` spans the cartesian product of its lists, in the order written
(the first variable varies slowest). A learner's variant comes from SHA-256 over quiz id, question id and learner id,
so it is the same in every process and on every machine (Python's ``hash()`` is salted per process).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from typing import Any, Mapping

from sandbox.quiz.model import Question

#: ``$${`` is a literal ``${`` (for Dockerfiles that use ``${VAR}`` themselves); ``${name}`` is a placeholder.
PLACEHOLDER = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{")
#: Fields that name things in the format itself and never take placeholders.
FIXED_FIELDS = frozenset({"id", "kind", "select", "ask", "check", "key", "vars", "variant", "where", "fails",
                          "answer_where", "host_where", "scoring", "shuffle"})


class UndefinedVariable(KeyError):
    """A placeholder names no variable, or ``${`` starts no placeholder; the loader turns this into a file error."""

    def __init__(self, name: str | None) -> None:
        super().__init__(name)
        self.name = name


def placeholders(text: str) -> list[str | None]:
    """The variable names ``text`` uses, in order; None for a ``${`` that starts no valid placeholder."""
    names: list[str | None] = []
    for m in PLACEHOLDER.finditer(text):
        if m.group(0) == "$${":
            continue
        names.append(m.group(1))
    return names


def substitute(text: str, values: Mapping[str, str]) -> str:
    """``text`` with every ``${name}`` replaced and every ``$${`` turned into ``${``.

    Raises ``UndefinedVariable`` for a name ``values`` lacks or a malformed ``${``.
    """
    if "$" not in text:
        return text

    def one(m: re.Match) -> str:
        if m.group(0) == "$${":
            return "${"
        name = m.group(1)
        if name is None or name not in values:
            raise UndefinedVariable(name)
        return values[name]

    return PLACEHOLDER.sub(one, text)


def variant_count(question: Question) -> int:
    """How many variants the question's ``vars`` span (1 without vars)."""
    n = 1
    for _, values in question.vars:
        n *= len(values)
    return n


def assignment(question: Question, variant: int) -> dict[str, str]:
    """The value of each variable in variant number ``variant`` (0-based, mixed radix over the lists)."""
    values: dict[str, str] = {}
    rest = variant
    for name, options in reversed(question.vars):
        rest, i = divmod(rest, len(options))
        values[name] = options[i]
    return dict(reversed(list(values.items())))


def variant_for(quiz_id: str, question_id: str, learner: str | None, count: int) -> int:
    """The variant a learner gets: stable across processes and machines; 0 for an anonymous learner or one variant."""
    if count <= 1 or not learner:
        return 0
    digest = hashlib.sha256(f"{quiz_id}\0{question_id}\0{learner}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % count


def resolve(question: Question, variant: int) -> Question:
    """The question with placeholders filled in for ``variant``; raises ``UndefinedVariable`` as ``substitute`` does."""
    values = assignment(question, variant)
    resolved = _fill(question, values)
    return dataclasses.replace(resolved, variant=variant)


def _fill(value: Any, values: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return substitute(value, values)
    if isinstance(value, tuple):
        return tuple(_fill(v, values) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _fill(getattr(value, f.name), values)
            for f in dataclasses.fields(value)
            if f.name not in FIXED_FIELDS
        }
        return dataclasses.replace(value, **changes)
    return value
