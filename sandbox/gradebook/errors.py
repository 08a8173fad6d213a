"""The errors of grading a class, each keeping its facts; ``str()`` is the one line the instructor reads.

The tree::

    SandboxError (sandbox.errors)
    ├── SubmissionRejected (ValueError)  one submission that cannot be graded; the batch goes on without it
    └── GradebookError (OSError)         the gradebook or an output (CSV, feedback, report) cannot be opened or written

Code branches on these types; ``imageshare grade`` turns a rejection into a summary line and a ``rejected`` row, and a
``GradebookError`` into exit code 3.
"""

from __future__ import annotations

from sandbox.errors import SandboxError


class SubmissionRejected(SandboxError, ValueError):
    """A submission that is not graded: unreadable, not YAML/JSON, over a cap, or naming what does not exist.

    Keeps ``path``, ``reason`` and whatever could be read safely before the problem: ``learner`` (only a valid id),
    ``quiz`` (only a well-formed id) and ``digest`` (of the bytes, None when the file was not read).
    """

    def __init__(self, path: str, reason: str, *, learner: str | None = None, quiz: str | None = None,
                 digest: str | None = None) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason, self.learner, self.quiz, self.digest = path, reason, learner, quiz, digest


class GradebookError(SandboxError, OSError):
    """The gradebook database or an output file cannot be opened, read or written; ``path`` says which."""

    #: ``imageshare grade`` and ``imageshare gradebook`` exit with this code.
    exit_code = 3

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path, self.problem = path, problem

    def __reduce__(self):
        # raised in a worker process, it must arrive whole in the main one
        return type(self), (self.path, self.problem)
