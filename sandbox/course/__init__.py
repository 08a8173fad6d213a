"""A course on JupyterHub: its policy (``course.yaml``: quizzes, windows, late rules, attempts, releases, staff),
its roster, the decisions the policy makes, and the LMS exports. ``docs/classroom.md`` documents the formats.

The course service (``imageshare course serve``: ``serve``, ``service``, ``api``, ``dashboard``, ``hubauth``,
``grading``) runs these on a hub; it alone imports jupyterhub and tornado, so importing this package does not."""

from sandbox.course.decisions import Admission, Visibility, admit, lateness, penalised, visibility
from sandbox.course.errors import CourseFileError, RosterError
from sandbox.course.lms import Column, ExportError, FinalScore, blackboard_csv, canvas_csv, json_text, moodle_csv
from sandbox.course.loader import load_course, parse_course
from sandbox.course.policy import Course, Late, QuizPolicy
from sandbox.course.roster import RosterEntry, parse_roster, read_roster

__all__ = [
    "Admission",
    "Column",
    "Course",
    "CourseFileError",
    "ExportError",
    "FinalScore",
    "Late",
    "QuizPolicy",
    "RosterEntry",
    "RosterError",
    "Visibility",
    "admit",
    "blackboard_csv",
    "canvas_csv",
    "json_text",
    "lateness",
    "load_course",
    "moodle_csv",
    "parse_course",
    "parse_roster",
    "penalised",
    "read_roster",
    "visibility",
]
