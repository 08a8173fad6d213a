"""``imageshare grade`` and ``imageshare gradebook export|report|feedback``: functions of argv and streams that
return the exit code (docs/grading.md).

Exit codes of both commands:

- 0: done; every submission graded (or already in the gradebook)
- 1: done, but at least one submission was rejected (each has a line in the summary and a ``rejected`` row)
- 2: nothing done: bad usage, a quiz file that does not load, a submission path that does not exist
- 3: the gradebook or an output (CSV, JSON, feedback directory, report) cannot be opened, read or written
- 130: interrupted (Ctrl-C); everything recorded so far stays, and running the command again does the rest
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from typing import IO, Sequence

from sandbox.gradebook.errors import GradebookError, SubmissionRejected
from sandbox.gradebook.exports import check_writable, csv_chunks, json_chunks, points, write_csv, write_text
from sandbox.gradebook.feedback import make_directory, write_feedback
from sandbox.gradebook.report import report
from sandbox.workers import Limits, seconds_argument
from sandbox.gradebook.runner import Progress, RunReport, run
from sandbox.gradebook.store import Gradebook
from sandbox.gradebook.submissions import submission_files
from sandbox.gradebook.summary import QuizSummary, summarize
from sandbox.quiz import Quiz, QuizFileError, load_all, load_file
from sandbox.quiz.cli import ParserExit, StreamParser

OK, REJECTED, USAGE, OUTPUT, INTERRUPTED = 0, 1, 2, 3, 130
DEFAULT_DB = "gradebook.sqlite"
BAR = 30


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, got {text!r}") from None
    if not 1 <= n <= 256:
        raise argparse.ArgumentTypeError(f"expected 1 to 256 processes, got {n}")
    return n


def _mebibytes(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of MiB, got {text!r}") from None
    if not 64 <= n <= 1 << 20:
        raise argparse.ArgumentTypeError(f"expected 64 to 1048576 MiB, got {n}")
    return n


class _ProgressView:
    """A bar redrawn in place on a terminal; otherwise a plain line at every tenth of the way."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.shown_tenth: dict[str, int] = {}
        self.drawn = 0.0
        self.open_line = False
        self.rejected = 0

    def __call__(self, p: Progress) -> None:
        self.rejected += p.rejection is not None
        verb = "re-grading" if p.phase == "regrade" else "grading"
        if self.tty:
            now = time.monotonic()
            if now - self.drawn < 0.1 and p.done != p.total:
                return
            self.drawn = now
            filled = BAR * p.done // max(p.total, 1)
            extra = f", {self.rejected} rejected" if self.rejected else ""
            self.stream.write(f"\r{verb} [{'#' * filled}{'-' * (BAR - filled)}] {p.done}/{p.total}{extra} ")
            self.open_line = p.done != p.total
            if not self.open_line:
                self.stream.write("\n")
            self.stream.flush()
            return
        tenth = 10 * p.done // max(p.total, 1)
        if tenth > self.shown_tenth.get(p.phase, 0):
            self.shown_tenth[p.phase] = tenth
            self.stream.write(f"{verb}: {p.done}/{p.total} files\n" if p.phase == "grade"
                              else f"{verb}: {p.done}/{p.total} stored submissions\n")

    def finish(self) -> None:
        """End a bar left mid-line (an interrupted run)."""
        if self.open_line:
            self.stream.write("\n")
            self.open_line = False


def main_grade(argv: Sequence[str], stdout: IO[str] | None = None, stderr: IO[str] | None = None) -> int:
    """``imageshare grade QUIZ_PATH SUBMISSION_PATH...``; returns an exit code from the module docstring."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    parser = StreamParser(prog="imageshare grade", out=out, err=err,
                     description="Grade learners' submission files by replay and record them in a gradebook.")
    parser.add_argument("quizzes", metavar="QUIZ_PATH", help="a quiz file, or a directory of them")
    parser.add_argument("paths", nargs="*", metavar="SUBMISSION_PATH",
                        help="submission files (.yaml, .yml, .json) or directories of them, searched at any depth")
    parser.add_argument("--db", default=DEFAULT_DB,
                        help=f"the gradebook: an SQLite file (default {DEFAULT_DB}, created if missing) or a "
                             "postgresql://USER@HOST/DATABASE URL")
    parser.add_argument("--csv", metavar="FILE", help="also write the gradebook as CSV for Canvas/Moodle imports")
    parser.add_argument("--feedback", metavar="DIR", help="also write NAME.md and NAME.html per learner into DIR")
    parser.add_argument("--jobs", type=_jobs, default=1, metavar="N",
                        help="grade and write feedback in N processes (default 1)")
    parser.add_argument("--regrade", action="store_true",
                        help="re-grade stored submissions whose quiz changed since they were graded")
    parser.add_argument("--time-limit", type=seconds_argument, default=Limits.seconds, metavar="SECONDS",
                        help=f"wall-clock limit per submission (default {Limits.seconds:g}); one that passes it is "
                             "recorded as not graded and the rest goes on")
    parser.add_argument("--memory-limit", type=_mebibytes, default=Limits.memory >> 20, metavar="MIB",
                        help=f"memory a worker may add while grading one submission (default {Limits.memory >> 20})")
    try:
        args = parser.parse_args(list(argv))
    except ParserExit as e:
        return e.code
    if not args.paths and not args.regrade:
        parser.print_usage(err)
        err.write("imageshare grade: name at least one SUBMISSION_PATH (or use --regrade)\n")
        return USAGE
    try:
        quizzes = load_all([args.quizzes])
    except QuizFileError as e:
        err.write(f"{e}\n")
        return USAGE
    if not quizzes:
        err.write(f"imageshare grade: no quiz files (*.yaml) in {args.quizzes}\n")
        return USAGE
    try:
        files = submission_files(args.paths)
    except SubmissionRejected as e:
        err.write(f"imageshare grade: {e}\n")
        return USAGE
    ids = [q.id for q in quizzes]
    view = _ProgressView(err)
    try:
        if args.csv:
            if os.path.isdir(args.csv):
                raise GradebookError(args.csv, "is a directory; --csv names the file to write")
            check_writable(os.path.dirname(os.path.abspath(args.csv)))
        if args.feedback:
            make_directory(args.feedback)
        with Gradebook(args.db) as book:
            limits = Limits(args.time_limit, args.memory_limit << 20)
            result = run(quizzes, files, book, jobs=args.jobs, regrade=args.regrade, progress=view, limits=limits)
            view.finish()
            if result.interrupted:
                err.write(f"imageshare grade: interrupted; {result.graded} submissions recorded in {book.path}. "
                          "Run the same command again to grade the rest.\n")
                return INTERRUPTED
            changed = write_feedback(book, args.feedback, ids, jobs=args.jobs) if args.feedback else 0
            _print_summary(out, result, summarize(book, ids))
            if args.csv:
                write_csv(book, args.csv, ids)
                out.write(f"CSV: {args.csv}\n")
            if args.feedback:
                out.write(f"feedback: {args.feedback} ({changed} files written)\n")
    except GradebookError as e:
        view.finish()
        err.write(f"imageshare grade: {e}\n")
        return OUTPUT
    except KeyboardInterrupt:
        view.finish()
        err.write("imageshare grade: interrupted; run the same command again to finish.\n")
        return INTERRUPTED
    return REJECTED if result.rejected else OK


#: What a terminal would act on rather than show: C0 and C1 controls (ESC starts screen clearing and OSC 52 clipboard
#: writes; a newline forges a summary line), DEL, and the Unicode line separators and direction overrides.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(text: object) -> str:
    """``text`` (a file name, a learner id, a reason quoting learner text) as it is safe to print to a terminal:
    every control character written as a visible escape (``\\x1b``, ``\\n``)."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _print_summary(out: IO[str], result: RunReport, summaries: list[QuizSummary]) -> None:
    over = f" ({result.overran} of them hit a limit)" if result.overran else ""
    out.write(f"{_count(result.files, 'file')}: {result.graded} graded, {result.unchanged} already in the gradebook, "
              f"{len(result.rejected)} rejected{over}\n")
    if result.regraded:
        out.write(f"re-graded {_count(result.regraded, 'stored submission')} whose quiz had changed\n")
    for r in result.rejected:
        out.write(f"rejected {shown(r.path)}: {shown(r.reason)}\n")
    for line in result.not_regraded:
        out.write(f"not re-graded (its stored grades stay) {shown(line)}\n")
    for path, note in result.unknown:
        out.write(f"note: {shown(path)}: {shown(note)} (the rest of the submission was graded)\n")
    for path, at in result.future:
        out.write(f"warning: {shown(path)} says submitted_at {at}, later than this run ({result.started}); it was "
                  "graded, but check the learner's clock\n")
    for d in result.decisions:
        out.write(f"note: {shown(d.learner)}, quiz {d.quiz}: {shown(d.kept)} counts, not {shown(d.other)}: "
                  f"{d.rule}\n")
    for problem in result.problems:
        out.write(f"warning: {shown(problem)} (graded with the replay's key; see 'imageshare quiz check')\n")
    for s in result.stale:
        out.write(f"note: quiz {s.quiz} changed after {s.count} of its current submissions were graded "
                  f"(questions {', '.join(s.questions)}); run again with --regrade to re-grade them\n")
    for s in summaries:
        if not s.learners:
            continue
        out.write(f"\n{s.quiz} ({s.title}): {_count(s.learners, 'learner')}, mean {points(s.mean)}, median "
                  f"{points(s.median)} of {points(s.points)} points\n")
        width = max(len(q.question) for q in s.questions)
        worst = min(s.questions, key=lambda q: (q.success_rate, q.question))
        for q in s.questions:
            filled = round(20 * q.success_rate)
            mark = "  <- most missed" if q is worst and q.success_rate < 1 else ""
            out.write(f"  {q.question:<{width}} {q.success_rate:>5.0%} full marks  "
                      f"{'#' * filled}{'.' * (20 - filled)}{mark}\n")


def main_gradebook(argv: Sequence[str], stdout: IO[str] | None = None, stderr: IO[str] | None = None) -> int:
    """``imageshare gradebook export|report|feedback``; returns an exit code from the module docstring."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    parser = StreamParser(prog="imageshare gradebook", out=out, err=err,
                     description="Export the gradebook, draw the class report, or write learners' feedback.")
    sub = parser.add_subparsers(dest="command", metavar="{export,report,feedback}")
    common = {"db": {"default": DEFAULT_DB,
                     "help": f"the gradebook: an SQLite file (default {DEFAULT_DB}) or a postgresql:// URL"},
              "quiz": {"action": "append", "metavar": "ID", "help": "only this quiz (repeatable; default: all)"}}

    def command(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help, out=out, err=err)
        for flag, options in common.items():
            p.add_argument(f"--{flag}", **options)
        return p

    export = command("export", "write the gradebook as CSV (Canvas/Moodle import) and/or JSON (everything)")
    export.add_argument("--csv", metavar="FILE", help="CSV file ('-' for standard output)")
    export.add_argument("--json", metavar="FILE", help="JSON file ('-' for standard output)")
    rep = command("report", "write a one-page HTML report of the class (inline SVG charts)")
    rep.add_argument("-o", "--output", default="report.html", metavar="FILE", help="default report.html")
    rep.add_argument("--quizzes", action="append", metavar="PATH",
                     help="quiz files or directories whose tasks are replayed for the goals the class missed, the "
                          "forbidden patterns hit and the wrong commands (repeatable; default: the files the "
                          "gradebook was graded with, where they still are)")
    feedback = command("feedback", "write NAME.md and NAME.html per learner into DIR")
    feedback.add_argument("directory", metavar="DIR")
    feedback.add_argument("--jobs", type=_jobs, default=1, metavar="N", help="write in N processes (default 1)")
    try:
        args = parser.parse_args(list(argv))
        if args.command is None:
            parser.error("name a command: export, report or feedback")
        if args.command == "export" and not (args.csv or args.json):
            export.error("name --csv FILE and/or --json FILE")
    except ParserExit as e:
        return e.code
    try:
        with Gradebook(args.db, create=False, readonly=True) as book:
            if args.command == "export":
                for path, render in ((args.csv, csv_chunks), (args.json, json_chunks)):
                    if path == "-":
                        out.writelines(render(book, args.quiz))
                    elif path and render is csv_chunks:
                        write_csv(book, path, args.quiz)
                    elif path:
                        write_text(path, render(book, args.quiz))
            elif args.command == "report":
                quizzes = _report_quizzes(book, args.quizzes, args.quiz, err)
                if quizzes is None:
                    return USAGE
                write_text(args.output, report(book, args.quiz, quizzes=quizzes))
                out.write(f"report: {args.output}\n")
            else:
                changed = write_feedback(book, args.directory, args.quiz, jobs=args.jobs)
                out.write(f"feedback: {args.directory} ({changed} files written)\n")
    except GradebookError as e:
        err.write(f"imageshare gradebook: {e}\n")
        return OUTPUT
    return OK


def _report_quizzes(book: Gradebook, paths: list[str] | None, quiz_ids: list[str] | None,
                    err: IO[str] | None = None) -> dict[str, Quiz] | None:
    """The quiz files the report replays tasks with, by id: those named (None, after one line on ``err``, when one
    does not load), else each quiz's file where the grading run found it, skipping those gone or broken (the report
    says which tasks it could not analyse)."""
    if paths:
        try:
            return {q.id: q for q in load_all(paths)}
        except QuizFileError as e:
            (err or sys.stderr).write(f"{e}\n")
            return None
    found = {}
    for record in book.quizzes(quiz_ids):
        try:
            quiz = load_file(record.path) if record.path else None
        except QuizFileError:
            quiz = None
        if quiz is not None and quiz.id == record.quiz:
            found[quiz.id] = quiz
    return found


__all__ = ["main_grade", "main_gradebook"]
