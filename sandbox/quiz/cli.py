"""``imageshare quiz check|show|take``: each a function of an argv list and streams, returning the exit code.

- ``check [PATH...]`` (default ``quizzes/``): load every file, replay every question and variant, print each computed
  key beside the author's answer; exit 0 when all agree, 1 on any disagreement or ambiguity, 2 on any load error.
- ``show FILE [--as LEARNER]``: the questions as that learner sees them, variables filled in, no keys.
- ``take FILE [--as LEARNER] [--save answers.yaml]``: ask, grade, show feedback; save a submission file.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Sequence

from sandbox import material
from sandbox.quiz.errors import QuizFileError
from sandbox.quiz.grader import Grader
from sandbox.quiz.learner_id import RULE, is_learner_id
from sandbox.quiz.loader import dump_submission, load_file, quiz_files
from sandbox.quiz.model import MAX_COMMANDS, Problem, Question, Quiz
from sandbox.quiz.models import model_notes
from sandbox.quiz.shuffle import choice_order
from sandbox.workers import BoundedPool, Limits, Overran, seconds_argument

ANONYMOUS = "anonymous"
#: Exit codes of ``check``.
OK, DISAGREES, BROKEN = 0, 1, 2


class ParserExit(Exception):
    """An argparse exit, carrying its code instead of ending the process."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class StreamParser(argparse.ArgumentParser):
    """argparse writing to the given streams and returning, not exiting."""

    def __init__(self, *args, out: IO[str], err: IO[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._out, self._err = out, err

    def _print_message(self, message: str, file: IO[str] | None = None) -> None:
        if message:
            (self._err if file is sys.stderr else self._out).write(message)

    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        if message:
            self._err.write(message)
        raise ParserExit(status)


def _streams(stdout: IO[str] | None, stderr: IO[str] | None) -> tuple[IO[str], IO[str]]:
    return stdout or sys.stdout, stderr or sys.stderr


def main(argv: Sequence[str], stdin: IO[str] | None = None, stdout: IO[str] | None = None,
         stderr: IO[str] | None = None) -> int:
    """``imageshare quiz SUBCOMMAND ...``: dispatch to check, show or take (``serve``, which needs Jupyter, is
    dispatched before this module, in ``sandbox.entrypoint``)."""
    out, err = _streams(stdout, stderr)
    commands = {"check": main_check, "show": main_show}
    if not argv or argv[0] in ("-h", "--help"):
        parser = _overview(out, err)
        if argv:
            out.write(parser.format_help())
            return 0
        err.write(parser.format_usage())
        return 2
    if argv[0] == "take":
        return main_take(list(argv[1:]), stdin=stdin, stdout=out, stderr=err)
    if argv[0] in commands:
        return commands[argv[0]](list(argv[1:]), stdout=out, stderr=err)
    err.write(f"imageshare quiz: unknown subcommand {argv[0]!r}; expected check, show or take\n")
    return 2


def _default_quizzes() -> str:
    """``quizzes`` here (an instructor's checkout), else the quizzes the course ships (an installed imageshare)."""
    return "quizzes" if os.path.isdir("quizzes") else str(material.quizzes_dir())


#: What each subcommand does, as ``imageshare quiz --help`` lists it.
SUBCOMMANDS = (
    ("check", "replay every question and variant of the quiz files (default: quizzes/) and compare each computed key "
              "with the author's answer; exit 0 when all agree, 1 on a problem, 2 when a file does not load"),
    ("show", "print a quiz as one learner sees it (--as LEARNER): their variant, their order of the choices, "
             "no keys"),
    ("take", "answer a quiz in the terminal: each answer is graded by replay and its feedback shown; --save writes "
             "a submission file"),
    ("serve", "serve a quiz as a web page on this machine (127.0.0.1) for a browser; needs Voila"),
)


def _overview(out: IO[str], err: IO[str]) -> StreamParser:
    """The parser ``imageshare quiz --help`` prints: one line per subcommand (each has its own --help)."""
    parser = StreamParser(prog="imageshare quiz", out=out, err=err,
                          description="Quizzes graded by replaying commands in the simulated Docker world; the format "
                                      "is docs/quiz-format.md.",
                          epilog="'imageshare quiz COMMAND --help' shows a command's options.")
    sub = parser.add_subparsers(title="commands", metavar="{check,show,take,serve}", parser_class=argparse.ArgumentParser)
    for name, text in SUBCOMMANDS:
        sub.add_parser(name, help=text)
    return parser


def main_check(argv: Sequence[str], stdout: IO[str] | None = None, stderr: IO[str] | None = None) -> int:
    """``imageshare quiz check [PATH...]``; returns 0 (all keys agree), 1 (disagreement) or 2 (a file does not load)."""
    out, err = _streams(stdout, stderr)
    parser = StreamParser(prog="imageshare quiz check", out=out, err=err,
                     description="Replay every question and compare the computed keys with the authors' answers.")
    parser.add_argument("paths", nargs="*", default=None, metavar="PATH",
                        help="quiz files or directories (default: ./quizzes, else the course's own quizzes)")
    parser.add_argument("--time-limit", type=seconds_argument, default=Limits.seconds, metavar="SECONDS",
                        help=f"wall-clock limit for replaying one question (default {Limits.seconds:g})")
    try:
        args = parser.parse_args(list(argv))
    except ParserExit as e:
        return e.code
    try:
        files = quiz_files(args.paths or [_default_quizzes()])
    except QuizFileError as e:
        err.write(f"{e}\n")
        return BROKEN
    pool = BoundedPool(1, Limits(seconds=args.time_limit, unit="question"))
    broken = problems = warnings = questions = variants = 0
    seen: dict[str, str] = {}
    for f in files:
        try:
            quiz = load_file(f)
            if quiz.id in seen:
                line = quiz.where.line if quiz.where else 1
                raise QuizFileError(str(f), line, "quiz", f"quiz id {quiz.id!r} is already used by {seen[quiz.id]}")
        except QuizFileError as e:
            err.write(f"{e}\n")
            broken += 1
            continue
        seen[quiz.id] = str(f)
        out.write(f"{f}: quiz {quiz.id}, {len(quiz.questions)} questions\n")
        for question, findings in _checked(pool, f, quiz):
            if isinstance(findings, Overran):  # one line, as a problem: the rest of the file is still checked
                out.write(f"  FAIL {question.id:<26} {question.kind:<14} not replayed\n"
                          f"       {quiz.path}:{question.where.line if question.where else 0}: its setup and key "
                          f"were not replayed: {findings.detail}\n")
                problems += 1
                continue
            for finding in findings:
                variants += 1
                _write_finding(out, finding)
                problems += len(finding.problems)
                warnings += len(finding.warnings)
            for note in model_notes(question):  # the author should check such a key on real Docker
                out.write(f"       model: {note}\n")
        questions += len(quiz.questions)
    pool.close()
    summary = (f"checked {len(files)} files, {questions} questions, {variants} variants: "
               f"{problems} problems, {broken} files that do not load"
               + (f", {warnings} warning{'' if warnings == 1 else 's'}" if warnings else ""))
    (err if broken or problems else out).write(summary + "\n")
    return BROKEN if broken else DISAGREES if problems else OK


def _checked(pool: BoundedPool, path, quiz: Quiz):
    """Each question of ``quiz`` with its findings, or `Overran` when its replay passed the pool's limits."""
    items = [(str(path), question.id) for question in quiz.questions]
    for (_, question_id), findings in pool.map(_check_question, items):
        yield quiz.question(question_id), findings


def _check_question(item: tuple[str, str]) -> tuple:
    """In a worker: the findings of one question of the quiz file at ``path``."""
    path, question_id = item
    return _checker().check(_loaded(path), only=question_id)


@functools.lru_cache(maxsize=8)
def _loaded(path: str) -> Quiz:
    return load_file(path)


@functools.lru_cache(maxsize=1)
def _checker() -> Grader:
    return Grader()


def _write_finding(out: IO[str], finding) -> None:
    values = " [" + ", ".join(f"{k}={v}" for k, v in finding.values) + "]" if finding.values else ""
    status = "ok  " if finding.ok else "FAIL"
    if finding.kind == "task":
        compared = f"{finding.computed}"
    elif finding.kind == "choice":
        compared = f"key {finding.computed} (the author's; not replayed)"
    elif _fits(finding.computed) and _fits(finding.believed):
        compared = f"key {finding.computed!s:<8} answer {finding.believed}"
    else:
        compared = "key and answer below"
    out.write(f"  {status} {finding.question_id:<26} {finding.kind:<14} {compared}{values}\n")
    if compared == "key and answer below":
        out.write(_key_block(finding.computed, finding.believed))
    for p in finding.problems:
        out.write(f"       {_located(p, finding)}\n")
    for w in finding.warnings:
        out.write(f"       warning: {_located(w, finding)}\n")


#: The widest key or answer the table shows inline; longer ones, and any with a line break, go below the row whole.
INLINE_KEY = 40


def _fits(text: str) -> bool:
    return len(text) <= INLINE_KEY and "\n" not in text


def _key_block(computed: str, believed: str) -> str:
    """The key and the author's answer under their row, whole, each line indented so the table stays readable."""
    out = []
    for label, text in (("key:    ", computed), ("answer: ", believed if believed != computed else "(the same)")):
        lines = text.rstrip("\n").split("\n")
        out.append(f"         {label}{lines[0]}\n")
        out.extend(f"         {'':8}{line}\n" for line in lines[1:])
    return "".join(out)


def _located(problem: str, finding) -> str:
    """``FILE:LINE: field 'PATH': problem`` at the field the problem is about, or the question's line."""
    if isinstance(problem, Problem):
        return problem.located(finding.path, finding.line)
    return f"{finding.path}:{finding.line}: {problem}"


def _load_one(path: str, err: IO[str]) -> Quiz | None:
    try:
        return load_file(path)
    except QuizFileError as e:
        err.write(f"{e}\n")
        return None


def render_question(quiz: Quiz, question: Question, number: int, grader: Grader, learner: str) -> str:
    """The question as ``learner`` sees it: variables filled in, setup and choices shown, no key."""
    v = grader.variant(quiz.id, question, learner)
    q = grader.resolved(question, v)
    points = f"{q.points:g} point" + ("" if q.points == 1 else "s")
    lines = [f"{number}. [{q.id}] {points}", q.prompt.strip()]
    if q.files:
        lines.append("")
        for name, content in q.files:
            lines.append(f"  {name}:")
            lines.extend(f"    {line}" for line in content.rstrip("\n").splitlines())
    if q.setup:
        lines.append("")
        for c in q.setup:
            lines.append(f"  {c.shown(q.host)}" + (f"   (typed on stdin: {c.stdin})" if c.stdin else ""))
    if q.kind == "output":
        lines += ["", f"  {q.command.shown(q.host)}"]
        lines.append({"exit-code": "Answer with the exit code of this command.",
                      "output": "Answer with what this command prints in the terminal.",
                      "stdout": "Answer with what this command prints (its standard output).",
                      "stderr": "Answer with the error this command prints (its standard error)."}[q.ask])
    if q.choices:
        lines.append("")
        order = choice_order(quiz.id, q, v, learner)
        lines.extend(f"  {label}) {c.text.strip()}" for label, c in order.choices(q))
        lines.append("Answer with one letter." if q.select == "one" else "Answer with every letter that applies.")
    if q.kind == "task":
        lines += ["", "Goals:"] + [f"  - {g.describe(q.host)}" for g in q.goal]
        for rule in q.forbid:
            lines.append(f"Not allowed: {rule.pattern}" + (f" ({rule.because})" if rule.because else ""))
        hosts = "; prefix a line with 'server$ ' to type it on host server" if _other_hosts(q) else ""
        lines.append(f"Answer with at most {q.max_commands} command lines{hosts}.")
    return "\n".join(lines) + "\n"


def _other_hosts(q: Question) -> bool:
    return any(c.on and c.on != q.host for c in q.setup + q.solution) or any(
        g.host and g.host != q.host for g in q.goal
    )


def _open_quiz(verb: str, description: str, argv: Sequence[str], out: IO[str], err: IO[str], *,
               save: bool = False) -> tuple[Quiz, argparse.Namespace] | int:
    """``show`` and ``take``'s shared start: FILE and ``--as`` parsed, the quiz loaded; else the exit code."""
    parser = StreamParser(prog=f"imageshare quiz {verb}", out=out, err=err, description=description)
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--as", dest="learner", default=ANONYMOUS, metavar="LEARNER")
    if save:
        parser.add_argument("--save", metavar="ANSWERS.yaml", help="write the answers as a submission file")
    try:
        args = parser.parse_args(list(argv))
    except ParserExit as e:
        return e.code
    quiz = _load_one(args.file, err)
    return BROKEN if quiz is None else (quiz, args)


def main_show(argv: Sequence[str], stdout: IO[str] | None = None, stderr: IO[str] | None = None) -> int:
    """``imageshare quiz show FILE [--as LEARNER]``: print the quiz as that learner sees it; 2 if it does not load."""
    out, err = _streams(stdout, stderr)
    opened = _open_quiz("show", "Print the questions as a learner sees them, without keys.", argv, out, err)
    if isinstance(opened, int):
        return opened
    quiz, args = opened
    grader = Grader()
    out.write(f"{quiz.title} ({quiz.id}): {len(quiz.questions)} questions, {quiz.points:g} points\n")
    if quiz.description.strip():
        out.write(quiz.description.strip() + "\n")
    for i, q in enumerate(quiz.questions, 1):
        out.write("\n" + render_question(quiz, q, i, grader, args.learner))
    return OK


def _read_answer(q: Question, stdin: IO[str], out: IO[str]) -> object:
    """One answer from the terminal; None at end of input."""
    multi = q.kind == "task" or (q.kind == "output" and q.ask != "exit-code")
    if multi:
        what = "command lines" if q.kind == "task" else "the output"
        out.write(f"Type {what}, then an empty line:\n")
        lines = []
        while len(lines) <= MAX_COMMANDS * 4:
            line = stdin.readline()
            if not line:
                return "\n".join(lines) if lines else None
            if not line.strip():
                break
            lines.append(line.rstrip("\n"))
        return lines if q.kind == "task" else "\n".join(lines)
    out.write("> ")
    out.flush()
    line = stdin.readline()
    if not line:
        return None
    text = line.strip()
    if q.select == "many" and q.kind != "output":
        return [p for p in text.replace(",", " ").split()]
    return text


def main_take(argv: Sequence[str], stdin: IO[str] | None = None, stdout: IO[str] | None = None,
              stderr: IO[str] | None = None) -> int:
    """``imageshare quiz take FILE [--as LEARNER] [--save answers.yaml]``: ask, grade, show feedback, maybe save."""
    out, err = _streams(stdout, stderr)
    stdin = stdin or sys.stdin
    opened = _open_quiz("take", "Answer a quiz in the terminal; each answer is graded by replay in the sandbox.", argv,
                        out, err, save=True)
    if isinstance(opened, int):
        return opened
    quiz, args = opened
    if args.save and not is_learner_id(args.learner):  # a file the grader would reject: say so before any answer
        err.write(f"imageshare quiz take: --as {args.learner!r} is not a learner id: {RULE}\n")
        return BROKEN
    grader = Grader()
    answers: dict[str, object] = {}
    out.write(f"{quiz.title} ({quiz.id}) for {args.learner}: {len(quiz.questions)} questions\n")
    total = 0.0
    for i, q in enumerate(quiz.questions, 1):
        out.write("\n" + render_question(quiz, q, i, grader, args.learner))
        answer = _read_answer(q, stdin, out)
        if answer is None:
            out.write("\n(end of input: the remaining questions are left unanswered)\n")
            break
        answers[q.id] = answer
        g = grader.grade(q, answer, quiz_id=quiz.id, learner=args.learner)
        total += g.score
        out.write("\n" + g.feedback + "\n")
    out.write(f"\nScore: {total:g}/{quiz.points:g}\n")
    if args.save:
        try:
            Path(args.save).write_text(dump_submission(args.learner, quiz.id, answers, datetime.now(timezone.utc)), encoding="utf-8")
        except OSError as e:
            err.write(f"imageshare quiz take: cannot save {args.save}: {e.strerror or e}\n")
            return 1
        out.write(f"Answers saved to {args.save}\n")
    return OK


__all__ = ["main", "main_check", "main_show", "main_take", "render_question"]
