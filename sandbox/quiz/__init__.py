"""Quizzes in YAML, graded by replaying their commands in the sandbox.

Load with :func:`load_file` / :func:`load_all` (errors are :class:`QuizFileError`, ``FILE:LINE: field '...': ...``),
grade with a :class:`Grader` (``grade_quiz``, ``grade``, ``key``, ``check``, ``task_detail``). The format: docs/quiz-format.md.
"""

from sandbox.quiz.errors import CommandLineError, QuizFileError
from sandbox.quiz.grader import Finding, Grader, TaskDetail, check, grade, normalize_output
from sandbox.quiz.loader import dump_submission, load_all, load_file, parse, quiz_files
from sandbox.quiz.model import (
    ASKS,
    CHECKS,
    KINDS,
    Choice,
    Command,
    Forbid,
    Grade,
    Key,
    Question,
    Quiz,
    QuizGrade,
    StateCheck,
)
from sandbox.quiz.variables import variant_count, variant_for

__all__ = [
    "ASKS",
    "CHECKS",
    "KINDS",
    "Choice",
    "Command",
    "CommandLineError",
    "Finding",
    "Forbid",
    "Grade",
    "Grader",
    "Key",
    "Question",
    "Quiz",
    "QuizFileError",
    "QuizGrade",
    "StateCheck",
    "TaskDetail",
    "check",
    "dump_submission",
    "grade",
    "load_all",
    "load_file",
    "normalize_output",
    "parse",
    "quiz_files",
    "variant_count",
    "variant_for",
]
