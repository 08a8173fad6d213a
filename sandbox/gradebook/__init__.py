"""Grading a class: submission files in, a gradebook out.

Read submissions with :func:`parse_submission`; a file that cannot be graded is a :class:`SubmissionRejected` with
one line saying why. It reads YAML only through the quiz loader, and nothing below this package imports it.
"""

from sandbox.gradebook.errors import GradebookError, SubmissionRejected
from sandbox.gradebook.submissions import Submission, parse_submission, read_file, submission_files

__all__ = [
    "GradebookError",
    "Submission",
    "SubmissionRejected",
    "parse_submission",
    "read_file",
    "submission_files",
]
