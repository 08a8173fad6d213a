"""Structured progress, like the JSON messages dockerd streams for push and pull.

The engine yields these; only the CLI's renderer turns them into Docker's lines and only the Jupyter front end turns
them into bars, so both show the same story.
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.errors import SandboxError


@dataclass(frozen=True)
class Progress:
    """One message: a layer's status (``id`` set) or a line about the whole operation (``id`` empty)."""

    status: str
    id: str = ""
    current: int = 0
    total: int = 0


@dataclass
class Stream:
    """Everything a push or pull said, in order, and the error that ended it, if any."""

    messages: list[Progress]
    error: SandboxError | None = None
    bytes_moved: int = 0

    def say(self, status: str, layer: str = "", current: int = 0, total: int = 0) -> None:
        """Append one message."""
        self.messages.append(Progress(status, layer, current, total))
