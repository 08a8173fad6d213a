"""Grading a class: submission files in, a SQLite gradebook, CSV/JSON exports, feedback files and a report out.

Read submissions with :func:`parse_submission` (rejections are :class:`SubmissionRejected`), grade a batch into a
:class:`Gradebook` with :func:`run`, then export (:func:`csv_text`, :func:`json_text`), write feedback
(:func:`write_feedback`) or draw the report (:func:`report`). The commands and the formats: docs/grading.md.
Nothing below this package imports it, and it reads YAML only through the quiz loader.
"""

from sandbox.gradebook.errors import GradebookError, SubmissionRejected
from sandbox.gradebook.exports import csv_text, json_data, json_text
from sandbox.gradebook.feedback import feedback_name, write_feedback
from sandbox.gradebook.report import report
from sandbox.gradebook.runner import Rejection, RunReport, run
from sandbox.gradebook.store import Gradebook, grade_rows, versions_of
from sandbox.gradebook.submissions import Submission, parse_submission, read_file, submission_files
from sandbox.gradebook.summary import QuestionSummary, QuizSummary, summarize

__all__ = [
    "Gradebook",
    "GradebookError",
    "QuestionSummary",
    "QuizSummary",
    "Rejection",
    "RunReport",
    "Submission",
    "SubmissionRejected",
    "csv_text",
    "feedback_name",
    "grade_rows",
    "json_data",
    "json_text",
    "parse_submission",
    "read_file",
    "report",
    "run",
    "submission_files",
    "summarize",
    "versions_of",
    "write_feedback",
]
