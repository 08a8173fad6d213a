"""Where a command's output goes: the caller's terminal, a pipe, a file, or nowhere; every write is charged.

Streams hold text. A write to a file is refused whole when it would pass the file cap (``No space left on
device``), so a file is never left half-written by the budget.
"""

from __future__ import annotations

from typing import Callable

from sandbox.shell.budget import Budget, BudgetExhausted, NoSpace
from sandbox.shell.machine import Machine


class Stream:
    """A place to write text."""

    def write(self, text: str) -> None:
        raise NotImplementedError


class Null(Stream):
    """``/dev/null``."""

    def write(self, text: str) -> None:
        pass


class Terminal(Stream):
    """The caller's stream (a terminal, a container's log): ``emit(text)`` receives each write."""

    def __init__(self, emit: Callable[[str], None], budget: Budget) -> None:
        self.emit, self.budget = emit, budget

    def write(self, text: str) -> None:
        if text:
            self.budget.write(len(text))
            self.emit(text)


class Capture(Stream):
    """A pipe or a command substitution: text kept for the next reader, up to the stream budget."""

    def __init__(self, budget: Budget) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.budget = budget

    def write(self, text: str) -> None:
        if not text:
            return
        self.budget.write(len(text))
        self.size += len(text)
        if self.size > self.budget.stream:
            raise BudgetExhausted(f"stopped a pipe that grew past {self.budget.stream // (1024 * 1024)} MiB")
        self.parts.append(text)

    def text(self) -> str:
        """Everything written so far."""
        return "".join(self.parts)


class File(Stream):
    """A regular file on the machine, opened for writing (``>``) or appending (``>>``)."""

    def __init__(self, machine: Machine, path: str, budget: Budget, append: bool) -> None:
        self.machine, self.path, self.budget = machine, path, budget
        if path not in machine.files:
            budget.new_file()
            machine.files[path] = b""
        elif not append:
            machine.files[path] = b""

    def write(self, text: str) -> None:
        if not text:
            return
        data = text.encode()
        previous = self.machine.files.get(self.path, b"")
        if len(previous) + len(data) > self.budget.file:
            raise NoSpace(self.path)
        self.budget.write(len(data))
        self.machine.files[self.path] = previous + data
