"""Grading a class: submission files in, a SQLite gradebook out.

Read submissions with :func:`parse_submission` (a file that cannot be graded is a :class:`SubmissionRejected` with
one line saying why) and record their grades in a :class:`Gradebook` (rows from :func:`grade_rows`). It reads YAML
only through the quiz loader, and nothing below this package imports it.
"""

from sandbox.gradebook.errors import GradebookError, SubmissionRejected
from sandbox.gradebook.store import Gradebook, grade_rows, versions_of
from sandbox.gradebook.submissions import Submission, parse_submission, read_file, submission_files

__all__ = [
    "Gradebook",
    "GradebookError",
    "Submission",
    "SubmissionRejected",
    "grade_rows",
    "parse_submission",
    "read_file",
    "submission_files",
    "versions_of",
]
