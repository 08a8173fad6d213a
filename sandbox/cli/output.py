"""Where a command writes: stdout and stderr text in the order written, plus the stdin it was given."""

from __future__ import annotations


class Output:
    """Collects what a command prints, keeping the interleaving of the two streams as a terminal shows it."""

    def __init__(self) -> None:
        self.chunks: list[tuple[str, str]] = []
        self.stdin: str | None = None
        #: progress streams (push/pull) in order, for front ends that draw live bars
        self.progress: list = []
        #: whether the client's stdin is a terminal (a front end with a keyboard, and nothing piped)
        self.terminal = False
        #: whether the front end has a keyboard at all (the terminal widget, ``imageshare shell``)
        self.keyboard = False
        #: (container ID, argv of an exec or None for the main process, the attached shell) when the line opened a
        #: container's terminal
        self.attach: tuple | None = None

    def print(self, text: str) -> None:
        """Write to stdout."""
        if text:
            self.chunks.append(("stdout", text))

    def err(self, text: str) -> None:
        """Write to stderr."""
        if text:
            self.chunks.append(("stderr", text))

    @property
    def stdout(self) -> str:
        """Everything written to stdout."""
        return "".join(text for stream, text in self.chunks if stream == "stdout")

    @property
    def stderr(self) -> str:
        """Everything written to stderr."""
        return "".join(text for stream, text in self.chunks if stream == "stderr")
