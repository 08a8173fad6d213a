"""Host names a question mentions once: most often a typo (``host: servre``) that silently makes a new, empty host.

Hosts come into being when first named, so a misspelt one is never an error: a command typed there runs on a fresh
host, and a state check there looks at one where nothing happened. ``check`` warns (it does not fail) about a host
that one command or check names and nothing else in the question uses, with the nearest host the question does
use; a check on a host where no command ran is warned about even without a near name, since it can only see an
empty host.
"""

from __future__ import annotations

from collections import Counter

from sandbox.quiz.model import DEFAULT_HOST, Location, Problem, Question
from sandbox.suggest import closest


def host_warnings(question: Question) -> tuple[Problem, ...]:
    """One warning per host that a single command or check names and nothing else in ``question`` uses."""
    commands = list(question.setup) + list(question.solution) + [c.command for c in question.choices if c.command]
    if question.command:
        commands.append(question.command)
    checks = list(question.goal) + [h for c in question.choices for h in c.holds]
    runs = Counter(c.on or question.host for c in commands)
    uses = runs + Counter(k.host or question.host for k in checks)
    known = set(uses) | {question.host, DEFAULT_HOST}
    warnings: list[Problem] = []
    named: list[tuple[str, Location | None, bool]] = [(c.on, c.where, False) for c in commands if c.on]
    named += [(k.host, k.host_where or k.where, True) for k in checks if k.host]
    for host, where, is_check in named:
        if uses[host] > 1 or host == question.host:
            continue
        near = closest(host, sorted(known - {host}), scaled=True)
        if near:
            warnings.append(Problem(f"host {host!r} is named only here; no setup, command or goal uses it otherwise, "
                                    f"so it is a new, empty host (did you mean {near!r}?)", where))
        elif is_check and not runs[host]:
            warnings.append(Problem(f"host {host!r} is named only here and no command runs on it, so this check "
                                    "looks at an empty host", where))
    return tuple(warnings)


__all__ = ["host_warnings"]
