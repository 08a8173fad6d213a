"""The kernel's world: one sandbox per kernel, shared by the magics and the widgets, and how a command line is run
there on a learner's behalf (answering the prompts ``docker login`` asks, playing push/pull progress, printing).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TextIO

from sandbox import HostHandle, Result, Sandbox
from sandbox.cli.render import final_screen
from sandbox.quiz import Grader

#: A host name as the sandbox and the quiz format accept it.
HOST_NAME = re.compile(r"[a-z][a-z0-9-]{0,62}")
PROGRESS_MODES = ("auto", "on", "off")
#: What a terminal shows where Ctrl-C interrupted a command: the tty echoes it, and docker itself prints nothing more
#: (docker/cli 28.2 returns the context's cancellation, which it does not print, and exits 130).
INTERRUPTED = "^C\n"
#: The exit code of a command ended by Ctrl-C (128 + SIGINT), as docker's main returns it.
INTERRUPTED_EXIT = 130

#: Asks a question and returns the answer, or None when nobody can answer (no stdin in this front end).
Ask = Callable[[str, bool], str | None]


class Session:
    """One world per kernel: a `Sandbox` that `reset` replaces, and how push/pull progress is shown."""

    def __init__(self) -> None:
        self.sandbox = Sandbox()
        self.progress = "auto"
        #: The learner ID typed in a quiz of this kernel: every later quiz starts with it, so it is asked once.
        self.learner: str | None = None
        #: The last command line that pushed or pulled, with its progress streams (what ``%sandbox layers`` draws).
        self.last_transfer: tuple[str, tuple] | None = None
        self._grader: Grader | None = None

    @property
    def grader(self) -> Grader:
        """The kernel's grader, shared by its quiz widgets (it caches every question's replayed setup)."""
        if self._grader is None:
            self._grader = Grader()
        return self._grader

    def reset(self) -> None:
        """Start over with a fresh world: Docker Hub, its accounts, and host ``laptop``."""
        self.sandbox = Sandbox()
        self.last_transfer = None

    @contextmanager
    def undone_on_interrupt(self) -> Iterator[None]:
        """Undo everything done inside when a KeyboardInterrupt (the kernel's interrupt, Ctrl-C) ends it, and let
        the interrupt go on.

        Docker's client drops the request on Ctrl-C and the daemon abandons the work with it: a pull interrupted
        while its layers arrive leaves no image, a push leaves no tag. The sandbox does the whole command at once and
        only plays its progress afterwards, so it goes back to the world as it was before the command.
        """
        before = self.sandbox.fork()
        try:
            yield
        except KeyboardInterrupt:
            self.sandbox = before
            raise

    def handle(self, host: str | None = None) -> HostHandle:
        """The named host (``laptop`` by default), created on first use. Raises ValueError for a bad host name."""
        name = host or self.sandbox.name
        if not HOST_NAME.fullmatch(name):
            raise ValueError(f"{name!r} is not a host name: lowercase letters, digits and '-', starting with a letter")
        return self.sandbox if name == self.sandbox.name else self.sandbox.host(name)

    def prompts(self, host: str, line: str) -> tuple[str, ...]:
        """The questions ``line`` would ask on ``host`` before it can go on (``Username: ``, ``Password: ``).

        Found by running the line in a fork of the world with placeholder answers, so this world does not change.
        """
        return self.handle(host).prompts(line)

    def run(self, host: str, line: str, ask: Ask | None = None) -> tuple[Result | None, tuple[str, ...]]:
        """Run ``line`` on ``host``, first asking ``ask`` every question it would ask.

        Returns ``(result, prompts)``; ``result`` is None when a question went unanswered (``ask`` returned None),
        and then nothing ran. Raises ValueError for a bad host name.
        """
        handle = self.handle(host)
        asked = self.prompts(host, line) if ask else ()
        answers = []
        for prompt in asked:
            answer = ask(prompt, prompt.startswith("Password"))
            if answer is None:
                return None, asked
            answers.append(answer)
        stdin = "".join(a + "\n" for a in answers) if asked else None
        return self.ran(line, handle.run(line, stdin=stdin)), asked

    def ran(self, line: str, result: Result) -> Result:
        """Note ``result`` of ``line`` (its push or pull, for ``%sandbox layers``) and return it."""
        if any(stream.messages for stream in result.progress):
            self.last_transfer = (line, tuple(result.progress))
        return result


_KERNEL: Session | None = None


def kernel_session() -> Session:
    """The kernel's session, made on first use: every magic and widget of one kernel shares its world."""
    global _KERNEL
    if _KERNEL is None:
        _KERNEL = Session()
    return _KERNEL


def without_prompts(chunks: Iterable[tuple[str, str]], prompts: tuple[str, ...]) -> list[tuple[str, str]]:
    """The chunks less each prompt that was already asked live and the echo of its answer that follows it."""
    out = list(chunks)
    for prompt in prompts:
        for index, (stream, text) in enumerate(out):
            if stream == "stdout" and text == prompt:
                end = index + 2 if index + 1 < len(out) and out[index + 1][0] == "stdout" \
                    and out[index + 1][1].endswith("\n") else index + 1
                del out[index:end]
                break
    return out


def write(chunks: Iterable[tuple[str, str]], stdout: TextIO | None = None, stderr: TextIO | None = None,
          play: Callable[[list], None] | None = None, streams: Iterable = ()) -> bool:
    """Print ``chunks`` to stdout and stderr in the order written, flushing so a notebook keeps that order; True
    when the text ends a line (or nothing was printed), so a next prompt starts on a line of its own.

    With ``play``, each push/pull stream of ``streams`` is played just before the chunk that holds its final
    text (or before everything when no chunk does).
    """
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    chunks = list(chunks)
    pending = [s for s in streams if s.messages] if play else []
    at: dict[int, list] = {}
    position = 0
    for stream in pending:
        screen = final_screen(stream.messages)
        found = next((i for i in range(position, len(chunks)) if screen in chunks[i][1]), None)
        if found is None:
            at.setdefault(-1, []).append(stream)
        else:
            at.setdefault(found, []).append(stream)
            position = found
    for stream in at.pop(-1, []):
        play(stream.messages)
    ended = True
    for index, (name, text) in enumerate(chunks):
        for stream in at.get(index, []):
            play(stream.messages)
        target = stderr if name == "stderr" else stdout
        target.write(text)
        target.flush()
        if text:
            ended = text.endswith("\n")
    return ended
