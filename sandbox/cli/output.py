"""Where a command writes: stdout and stderr text, plus the stdin it was given."""

from __future__ import annotations


class Output:
    """Collects what a command prints on each stream."""

    def __init__(self) -> None:
        self._out: list[str] = []
        self._err: list[str] = []
        self.stdin: str | None = None
        #: progress streams (push/pull) in order, for front ends that draw live bars
        self.progress: list = []

    def print(self, text: str) -> None:
        """Write to stdout."""
        self._out.append(text)

    def err(self, text: str) -> None:
        """Write to stderr."""
        self._err.append(text)

    @property
    def stdout(self) -> str:
        """Everything written to stdout."""
        return "".join(self._out)

    @property
    def stderr(self) -> str:
        """Everything written to stderr."""
        return "".join(self._err)
