"""The one error a quiz file can cause, worded ``FILE:LINE: field 'PATH': what was expected``.

The tree::

    SandboxError (sandbox.errors)
    ├── QuizFileError (ValueError)     a quiz file that cannot be loaded; keeps path, line and field
    └── CommandLineError (ValueError)  a command line the quiz reader refuses (quotes, image references)

A learner's answer never raises: a malformed answer is graded 0 with a reason (see ``Grade.reason``).
"""

from __future__ import annotations

from sandbox.errors import SandboxError


class QuizFileError(SandboxError, ValueError):
    """A quiz file that is unreadable, not YAML, or not in the quiz format; ``str()`` is the author's one-line message."""

    #: ``imageshare quiz check`` exits with this code when a file does not load.
    exit_code = 2

    def __init__(self, path: str, line: int, field: str | None, problem: str) -> None:
        where = f"{path}:{line}: "
        text = f"{where}field '{field}': {problem}" if field else f"{where}{problem}"
        super().__init__(text)
        self.path, self.line, self.field, self.problem = path, line, field, problem


class CommandLineError(SandboxError, ValueError):
    """A command line in a quiz that cannot be split into words or names an image reference docker refuses."""
