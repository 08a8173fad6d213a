"""The errors of YAML files, worded ``FILE:LINE: field 'PATH': what was expected``.

The tree::

    SandboxError (sandbox.errors)
    ├── YamlFileError (ValueError)     an instructor's YAML file that cannot be loaded; keeps path, line and field
    │   └── QuizFileError              a quiz file (the course file's error, in sandbox.course, is another)
    └── CommandLineError (ValueError)  a command line the quiz reader refuses (quotes, image references)

A learner's answer never raises: a malformed answer is graded 0 with a reason (see ``Grade.reason``).
"""

from __future__ import annotations

from sandbox.errors import SandboxError


class YamlFileError(SandboxError, ValueError):
    """A YAML file that is unreadable, not YAML, or not in its format; ``str()`` is the author's one-line message."""

    #: The commands that load such a file (``imageshare quiz check``...) exit with this code when it does not load.
    exit_code = 2

    def __init__(self, path: str, line: int, field: str | None, problem: str) -> None:
        where = f"{path}:{line}: "
        text = f"{where}field '{field}': {problem}" if field else f"{where}{problem}"
        super().__init__(text)
        self.path, self.line, self.field, self.problem = path, line, field, problem


class QuizFileError(YamlFileError):
    """A quiz file that is unreadable, not YAML, or not in the quiz format."""


class CommandLineError(SandboxError, ValueError):
    """A command line in a quiz that cannot be split into words or names an image reference docker refuses."""
