"""What one command line produced, exactly as a terminal shows it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Result:
    """The outcome of one command line: exit code, stdout and stderr text, and where it ran."""

    command: str
    exit_code: int
    stdout: str = ""
    stderr: str = ""
    host: str = "laptop"
    #: ``(stream, text)`` pieces in the order written, so a front end can interleave stdout and stderr as a terminal
    chunks: tuple[tuple[str, str], ...] = ()
    #: push/pull progress streams (structured events) for front ends that draw live per-layer bars
    progress: tuple = field(default=(), compare=False, repr=False)
    #: (container ID, exec argv or None, attached shell) when the line opened a container's terminal (``-it``)
    attach: tuple | None = field(default=None, compare=False, repr=False)

    @property
    def ok(self) -> bool:
        """True when the command exited 0."""
        return self.exit_code == 0

    @property
    def output(self) -> str:
        """Both streams in the order they were written: what a terminal shows."""
        if self.chunks:
            return "".join(text for _, text in self.chunks)
        return self.stdout + self.stderr

    def __repr__(self) -> str:
        text = f"$ {self.command}\n{self.output}"
        if self.exit_code:
            text += f"[exit {self.exit_code}]\n"
        return text.rstrip("\n")

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))
