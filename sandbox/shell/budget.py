"""One work budget for everything a shell does on behalf of one command line, spent WHILE it runs.

A short line can expand into gigabytes (``x=$x$x`` doubling, ``printf`` reusing a long format, ``cat f f > g`` in a
loop) or loop for days. Each charge is made before the work is done (a word's length is checked before it is
joined, a write before it lands), so exhausting the budget stops the line with a plain message, never a machine
out of memory or a hung kernel. Files already written stay as they were; nothing is half-applied.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Commands (simple commands, builtins and programs) one line may run.
MAX_STEPS = 50_000
#: Rounds of every loop of one line together.
MAX_ITERATIONS = 10_000
#: The longest word or variable value after expansion (a real shell would run out of memory much later).
MAX_WORD = 1024 * 1024
#: The most a pipe, a command substitution or a here-document may hold.
MAX_STREAM = 4 * 1024 * 1024
#: Bytes all commands of one line may write, to any stream or file together.
MAX_WRITTEN = 64 * 1024 * 1024
#: The largest file a redirection or utility may write (the same cap as `Sandbox.write_file`).
MAX_FILE = 1024 * 1024
#: New files one line may create.
MAX_NEW_FILES = 1_000
#: Containers one line may start (``for i in $(seq 100000); do docker run ...``).
MAX_CONTAINERS = 500
#: How deeply functions, ``eval``, ``sh -c`` and command substitutions may nest.
MAX_DEPTH = 64


class BudgetExhausted(Exception):
    """The line spent one of its budgets; ``message`` says which, in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class OutOfMemory(Exception):
    """A word grew past `MAX_WORD`: the shell answers as a real one does when malloc fails."""


class NoSpace(Exception):
    """A write would make a file larger than the budget allows: ``No space left on device``."""


@dataclass
class Budget:
    """What is left of one command line's work. A nested shell (``sh -c``, ``$(...)``) spends the same budget."""

    steps: int = MAX_STEPS
    iterations: int = MAX_ITERATIONS
    written: int = MAX_WRITTEN
    new_files: int = MAX_NEW_FILES
    containers: int = MAX_CONTAINERS
    word: int = MAX_WORD
    stream: int = MAX_STREAM
    file: int = MAX_FILE

    def step(self) -> None:
        """Charge one command. Raises `BudgetExhausted`."""
        self.steps -= 1
        if self.steps < 0:
            raise BudgetExhausted(f"stopped after {MAX_STEPS:,} commands")

    def iterate(self) -> None:
        """Charge one round of a loop. Raises `BudgetExhausted`."""
        self.iterations -= 1
        if self.iterations < 0:
            raise BudgetExhausted(f"stopped after {MAX_ITERATIONS:,} loop rounds")

    def write(self, size: int) -> None:
        """Charge ``size`` bytes written anywhere. Raises `BudgetExhausted`."""
        self.written -= size
        if self.written < 0:
            raise BudgetExhausted(f"stopped after writing {MAX_WRITTEN // (1024 * 1024)} MiB")

    def new_file(self) -> None:
        """Charge one file created. Raises `BudgetExhausted`."""
        self.new_files -= 1
        if self.new_files < 0:
            raise BudgetExhausted(f"stopped after creating {MAX_NEW_FILES:,} files")

    def start_container(self) -> None:
        """Charge one container started. Raises `BudgetExhausted`."""
        self.containers -= 1
        if self.containers < 0:
            raise BudgetExhausted(f"stopped after starting {MAX_CONTAINERS:,} containers")

    def check_word(self, size: int) -> None:
        """Refuse a word of ``size`` characters before it is built. Raises `OutOfMemory`."""
        if size > self.word:
            raise OutOfMemory(size)


def notice(message: str) -> str:
    """The one line a front end shows when a budget ran out."""
    return f"imageshare sandbox: {message}; one command line may do only so much work (see docs/reliability.md)\n"
