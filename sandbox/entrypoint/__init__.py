"""The ``imageshare`` command: ``shell`` (a docker prompt on a fresh world), ``quiz``, and what later lands."""

from __future__ import annotations

import sys
from typing import Sequence

USAGE = """usage: imageshare COMMAND [ARGS...]

Commands:
  shell [--host NAME]     a docker prompt against a fresh simulated world (type 'exit' to leave)
  quiz check|show|take    check, show or take quizzes (see 'imageshare quiz --help')
  quiz serve FILE         a quiz as a web page on this machine, for a browser (see 'imageshare quiz serve --help')
  lab [--no-browser ...]  JupyterLab on the tutorial notebooks (see 'imageshare lab --help')
  grade QUIZ_PATH SUB...  grade a class's submissions into a gradebook (see 'imageshare grade --help')
  gradebook COMMAND       export (CSV/JSON), report (HTML) or feedback from the gradebook
  lite build|serve [DIR]  the course as a JupyterLite site, run in the browser (see 'imageshare lite --help')
  course serve --course F the course service on a JupyterHub (see 'imageshare course serve --help')
"""

COURSE_USAGE = """usage: imageshare course serve --course FILE [--db PATH|postgresql://...] [--jobs N] [--listen HOST:PORT]

The course service, run by a JupyterHub as a managed service: it grades each submission as it arrives, as the
hub user who sent it and at its own clock, under the course's policy (course.yaml), and serves the instructors'
dashboard. See 'imageshare course serve --help' and docs/classroom.md.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``imageshare`` console script; returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        sys.stdout.write(USAGE)
        return 0 if args else 2
    command, rest = args[0], args[1:]
    if command == "shell":
        from sandbox.entrypoint.shell import main as shell_main

        return shell_main(rest)
    if command == "quiz" and rest[:1] == ["serve"]:
        from sandbox.entrypoint.serve import main as serve_main

        return serve_main(rest[1:])
    if command == "quiz":
        from sandbox.quiz.cli import main as quiz_main

        return quiz_main(rest)
    if command == "lab":
        from sandbox.entrypoint.lab import main as lab_main

        return lab_main(rest)
    if command == "grade":
        from sandbox.gradebook.cli import main_grade

        return main_grade(rest)
    if command == "gradebook":
        from sandbox.gradebook.cli import main_gradebook

        return main_gradebook(rest)
    if command == "course" and rest[:1] == ["serve"]:
        from sandbox.course.serve import main as course_serve_main

        return course_serve_main(rest[1:])
    if command == "course":
        asked = rest[:1] in (["-h"], ["--help"], ["help"])
        if rest and not asked:
            sys.stderr.write(f"imageshare course: unknown command '{rest[0]}' (the one command is 'serve')\n\n")
        (sys.stdout if asked else sys.stderr).write(COURSE_USAGE)
        return 0 if asked else 2
    if command == "lite":
        from sandbox.entrypoint.lite import main as lite_main

        return lite_main(rest)
    sys.stderr.write(f"imageshare: unknown command '{command}'\n\n{USAGE}")
    return 2


def console() -> int:
    """The console script: `main`, quiet when the reader of its output goes away (``imageshare ... | head``)."""
    try:
        code = main()
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error while exiting
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(console())
