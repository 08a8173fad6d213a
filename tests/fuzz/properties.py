"""The properties every command line must keep, whatever was typed, shared by the Hypothesis and the mutation fuzzers.

1. ``run`` returns a `Result` (it never raises), with an exit code in 0..255 and text on both streams.
2. No Python leaks out: no traceback, no exception class name, no ``NoneType``.
3. A failure says why: a non-zero exit code comes with text on stderr, except the container's own exit code of
   ``docker run``/``start``/``exec`` and ``false``.
4. Where Docker leaves the world as it was, so does the sandbox: a command line the client refuses (flags, argument
   counts), every read-only command, and a failed ``tag``, ``rmi``, ``push``, ``pull``, ``login``, ``build``, ``rm``,
   ``stop``, ``kill`` of one target.
5. No flag is parsed and then ignored: a line whose flags parsed but include one the sandbox does not simulate (set to
   anything but its default; ``sandbox/cli/simulated_flags.py``) fails and leaves the world as it was, instead of
   acting as if the flag were absent where Docker would act on it.
"""

from __future__ import annotations

import re

from sandbox import Result, UsageError
from sandbox.cli.docker import parse_argv
from sandbox.cli.simulated_flags import unsimulated_flags

from . import tally
from .known_bugs import known_bug
from .worlds import difference, snapshot

#: Text that only a Python exception (not Docker, not bash) prints.
PYTHON_LEAK = re.compile(
    r"Traceback \(most recent call last\)|\b(?:KeyError|AttributeError|TypeError|IndexError|NameError|"
    r"UnboundLocalError|ZeroDivisionError|RecursionError|AssertionError|StopIteration|UnicodeEncodeError|"
    r"UnicodeDecodeError|OverflowError|MemoryError)\b|NoneType|object has no attribute|<sandbox\.|<function "
)
#: Commands that only read: success or failure, nothing changes.
READ_ONLY = frozenset({
    "image ls", "container ls", "inspect", "image inspect", "container inspect", "image history", "container logs",
    "version", "system info", "search",
})  # fmt: skip
#: Commands that Docker runs all-or-nothing for one target: when they fail, nothing changed.
ATOMIC_ON_FAILURE = frozenset({
    "image tag", "image rm", "image push", "image pull", "login", "logout", "image build", "container rm",
    "container stop", "container kill",
})  # fmt: skip
#: Commands whose non-zero exit code may be the container's own, printed by nobody.
CONTAINER_EXIT = frozenset({"container run", "container start", "container exec"})
#: The sandbox's shell programs that read only.
SHELL_READ_ONLY = frozenset({"echo", "cat", "ls", "pwd", "true", "false", "clear"})


def expectation(argv: list[str] | None) -> tuple[str, str | None]:
    """What a simple command line (``argv``; None for a compound or raw one) promises: ``(unchanged, key)`` where
    ``unchanged`` is ``always``, ``on-failure``, ``no``, or ``refused`` (a flag the sandbox does not simulate: the
    line fails and changes nothing)."""
    if not argv:
        return "no", None
    if argv[0] != "docker":
        return ("always" if argv[0] in SHELL_READ_ONLY else "on-failure" if argv[0] == "cd" else "no"), argv[0]
    try:
        invocation = parse_argv(argv)
    except UsageError:
        return "always", None
    if invocation.help_text is not None:
        return "always", invocation.command
    key = invocation.command
    if unsimulated_flags(invocation):
        return "refused", key
    if key in READ_ONLY:
        return "always", key
    if key in ATOMIC_ON_FAILURE and len(invocation.args) <= 1 + (key == "image tag"):
        return "on-failure", key
    return "no", key


def run_and_check(world, host, line: str, argv: list[str] | None = None, stdin: str | None = None) -> Result | None:
    """Run one line on ``host`` (a handle on a host of ``world``) and assert every property; returns the result, or
    None when the line broke a property through a bug of `KNOWN_BUGS` (counted in `tally.KNOWN`)."""
    try:
        return _run_and_check(world, host, line, argv, stdin)
    except AssertionError:
        bug = known_bug(line)
        if bug is None:
            raise
        tally.KNOWN[bug.name] += 1
        return None


def _run_and_check(world, host, line: str, argv: list[str] | None, stdin: str | None) -> Result:
    promise, key = expectation(argv)
    before = snapshot(world) if promise != "no" else None
    try:
        result = host.run(line, stdin=stdin)
    except Exception as error:  # noqa: BLE001 - the property is that nothing escapes
        raise AssertionError(f"run raised {type(error).__name__}: {error!r} for line {line!r}") from error
    assert isinstance(result, Result), line
    assert isinstance(result.exit_code, int) and 0 <= result.exit_code <= 255, (line, result.exit_code)
    assert isinstance(result.stdout, str) and isinstance(result.stderr, str), line
    leak = PYTHON_LEAK.search(result.stdout + result.stderr)
    assert leak is None, f"Python leaked ({leak.group(0)!r}) for line {line!r}:\n{result.output}"
    if argv is not None and result.exit_code != 0:
        silent = argv[0] == "false" or key in CONTAINER_EXIT
        assert silent or result.stderr.strip(), f"failed without a message: {line!r} -> {result.exit_code}"
    if promise == "refused":
        assert result.exit_code != 0, f"{line!r} has a flag the sandbox does not simulate, yet it succeeded"
    if before is not None and (promise in ("always", "refused") or result.exit_code != 0):
        after = snapshot(world)
        assert after == before, f"{line!r} (exit {result.exit_code}) changed the world: {difference(before, after)}"
    return result
