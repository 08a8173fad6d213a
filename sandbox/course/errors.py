"""The errors of a course's files, worded as every file error of the project: ``FILE:LINE: field 'PATH': problem``.

The tree::

    SandboxError (sandbox.errors)
    ├── YamlFileError (sandbox.quiz.errors)
    │   └── CourseFileError    a course file (course.yaml) that cannot be loaded; keeps path, line and field
    └── RosterError (ValueError)  a roster CSV that cannot be imported; keeps path, line and column

A decision (a submission refused, a key withheld) is never an error: it is a value (``sandbox.course.decisions``).
"""

from __future__ import annotations

from sandbox.errors import SandboxError
from sandbox.quiz.errors import YamlFileError


class CourseFileError(YamlFileError):
    """A course file that is unreadable, not YAML, or not in the course format (``docs/classroom.md``)."""


class RosterError(SandboxError, ValueError):
    """A roster CSV that cannot be imported; ``str()`` is ``FILE:LINE: column 'NAME': problem``."""

    exit_code = 2

    def __init__(self, path: str, line: int, column: str | None, problem: str) -> None:
        where = f"{path}:{line}: "
        super().__init__(f"{where}column {column!r}: {problem}" if column else f"{where}{problem}")
        self.path, self.line, self.column, self.problem = path, line, column, problem
