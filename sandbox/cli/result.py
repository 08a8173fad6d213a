"""What one command line produced, exactly as a terminal shows it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    """The outcome of one command line: exit code, stdout and stderr text, and where it ran."""

    command: str
    exit_code: int
    stdout: str = ""
    stderr: str = ""
    host: str = "laptop"

    @property
    def ok(self) -> bool:
        """True when the command exited 0."""
        return self.exit_code == 0

    @property
    def output(self) -> str:
        """stdout followed by stderr, as an interleaving terminal would mostly show them."""
        return self.stdout + self.stderr

    def __repr__(self) -> str:
        text = f"$ {self.command}\n{self.stdout}{self.stderr}"
        if self.exit_code:
            text += f"[exit {self.exit_code}]\n"
        return text.rstrip("\n")

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))
