"""Feedback files: one Markdown and one HTML file per learner, with their score and, per question, everything they
were shown (the prompt, the files, the setup, the choices in the order they saw them), their answer, the key, the
author's explanation and what the replay showed.

Choices are listed in the learner's own order, recomputed from the stored variant by ``letters_order`` (the one
shuffle the grader used), with the learner's letters beside the author's, in which answers and keys are graded.

File names come from the learner id alone, through ``feedback_name``: ids are already plain (letters, digits,
``. _ @ + -``, no ``..``), and the name is also safe on case-insensitive and Windows file systems. Everything a learner
wrote reaches Markdown inside code blocks or backslash-escaped, and HTML escaped, so a submission cannot inject markup.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
from typing import Any, Iterable

from sandbox.gradebook.errors import GradebookError
from sandbox.gradebook.exports import check_writable, points, write_text
from sandbox.workers import context, watch_parent
from sandbox.gradebook.store import Gradebook, GradeRecord, QuizRecord, SubmissionRecord
from sandbox.gradebook.submissions import UNKNOWN_NOTES
from sandbox.suggest import closest
from sandbox.quiz.learner_id import is_learner_id
from sandbox.quiz.shuffle import ChoiceOrder, letters_order

#: Names Windows reserves whatever the extension.
_DEVICES = frozenset({"con", "prn", "aux", "nul"} | {f"{d}{i}" for d in ("com", "lpt") for i in range(1, 10)})
#: What could turn a learner's text into markup or links in Markdown; the author's own text is left as written.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")

STYLE = """body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
pre{background:#f4f4f4;padding:.6rem;overflow-x:auto;white-space:pre-wrap}h3{margin-top:2rem}
.correct{color:#0a6b2f}.partial{color:#8a5a00}.wrong{color:#a01919}"""


def feedback_name(learner: str) -> str:
    """The file name (without extension) for ``learner``, one per id (injective) and safe on case-insensitive and
    Windows file systems: the id itself when it is lowercase, else the id lowercased, ``~`` (which no id holds) and
    which of its characters were capitals, as a hexadecimal bit mask (``Ada`` -> ``ada~1``, ``aDA`` -> ``ada~6``);
    Windows device names get a ``_`` in front (no id starts with one). Raises ``ValueError`` for an id that is not
    plain (the submission reader never lets one in)."""
    if not is_learner_id(learner):
        raise ValueError(f"not a plain learner id: {learner!r}")
    name = learner
    if learner != learner.lower():
        capitals = sum(1 << i for i, char in enumerate(learner) if char.isupper())
        name = f"{learner.lower()}~{capitals:x}"
    if name.split(".")[0].split("~")[0] in _DEVICES:
        name = "_" + name
    return name


def _status(g: GradeRecord) -> tuple[str, str]:
    if g.reason:
        return "wrong", f"not graded: {g.reason}"
    if g.correct:
        return "correct", "correct"
    return ("partial", "partly right") if g.score else ("wrong", "incorrect")


def _as_lines(value: Any) -> str:
    if value is None:
        return "(no answer)"
    if isinstance(value, tuple):
        return "\n".join(map(str, value)) if value else "(no answer)"
    return str(value) if str(value) != "" else "(empty)"


def _fence(text: str) -> str:
    """A Markdown code block that no backtick run inside ``text`` can close."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _md(text: str) -> str:
    """A learner's (or a registry user's) text on one Markdown line: a line break in it cannot start a heading, a
    list or a rule of its own."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.splitlines()))


def _letters(value: Any) -> frozenset[str]:
    """The author's letters in a stored answer or key (a letter, or a list of them)."""
    if isinstance(value, str):
        return frozenset([value])
    return frozenset(v for v in value if isinstance(v, str)) if isinstance(value, tuple) else frozenset()


def choice_lines(g: GradeRecord, order: ChoiceOrder) -> tuple[str, list[tuple[str, str, str, str]]]:
    """The heading of the choices and, in the order the learner saw them, (learner's letter, author's letter, text,
    marks) per choice; the marks say which is the learner's answer and which the key, both graded in the author's
    letters (an answer that could not be read marks nothing)."""
    picked = _letters(g.answer) if not g.reason else frozenset()
    key = _letters(g.key)
    rows = []
    for label, author in zip(order.labels, order.shown):
        marks = [m for m, hit in (("your answer", author in picked), ("key", author in key)) if hit]
        rows.append((label, author, (dict(g.choices).get(author) or "").strip(), ", ".join(marks)))
    if g.shuffle is None:
        heading = "Choices, in the author's order (this gradebook does not say whether yours was shuffled):"
    elif order.shuffled:
        heading = ("Choices, in the order you saw them; in brackets, the author's letter, in which your answer and "
                   "the key are graded:")
    else:
        heading = "Choices:"
    return heading, rows


def _md_section(n: int, g: GradeRecord, explain: str, order: ChoiceOrder) -> str:
    _, status = _status(g)
    out = [f"### {n}. {g.question}: {points(g.score)}/{points(g.max_score)}, {_md(status)}", ""]
    if g.prompt.strip():
        out += [g.prompt.strip(), ""]
    for name, content in g.files:
        out += [f"File {_md(name)}:", "", _fence(content.rstrip("\n")), ""]
    if g.setup:
        out += [_fence("\n".join(g.setup)), ""]
    if g.choices:
        heading, rows = choice_lines(g, order)
        out += [heading, ""] + [
            f"- {label}) " + (f"[{author}] " if order.shuffled else "") + _md(text)
            + (f" **({marks})**" if marks else "") for label, author, text, marks in rows] + [""]
    out += ["Your answer:", "", _fence(_as_lines(g.answer)), "", "Key:", "", _fence(_as_lines(g.key)), ""]
    if explain:
        out += [explain, ""]
    if g.evidence:
        out += ["What the sandbox did:", "", _fence("\n".join(g.evidence)), ""]
    if g.events:
        out += ["Why, from the sandbox's log:", ""] + [f"- {_md(e)}" for e in g.events] + [""]
    return "\n".join(out) + "\n"


def _html_section(n: int, g: GradeRecord, explain: str, order: ChoiceOrder) -> str:
    e = html.escape
    css, status = _status(g)
    out = [f'<h3>{n}. {e(g.question)}: {points(g.score)}/{points(g.max_score)}, '
           f'<span class="{css}">{e(status)}</span></h3>']
    if g.prompt.strip():
        out.append(f"<p>{e(g.prompt.strip())}</p>")
    for name, content in g.files:
        out.append(f"<p>File <code>{e(name)}</code>:</p><pre>{e(content.rstrip(chr(10)))}</pre>")
    if g.setup:
        out.append(f"<pre>{e(chr(10).join(g.setup))}</pre>")
    if g.choices:
        heading, rows = choice_lines(g, order)
        out.append(f"<p>{e(heading)}</p><ul>" + "".join(
            f"<li>{e(label)}) " + (f"[{e(author)}] " if order.shuffled else "") + e(text)
            + (f" <strong>({e(marks)})</strong>" if marks else "") + "</li>"
            for label, author, text, marks in rows) + "</ul>")
    out.append(f"<p>Your answer:</p><pre>{e(_as_lines(g.answer))}</pre>")
    out.append(f"<p>Key:</p><pre>{e(_as_lines(g.key))}</pre>")
    if explain:
        out.append(f"<p>{e(explain)}</p>")
    if g.evidence:
        out.append(f"<p>What the sandbox did:</p><pre>{e(chr(10).join(g.evidence))}</pre>")
    if g.events:
        out.append("<p>Why, from the sandbox's log:</p><ul>" + "".join(f"<li>{e(x)}</li>" for x in g.events) + "</ul>")
    return "\n".join(out) + "\n"


def learner_order(s: SubmissionRecord, g: GradeRecord) -> ChoiceOrder:
    """The order the submission's learner saw the choices of ``g``'s variant in (the author's when the gradebook
    does not say whether they were shuffled)."""
    letters = tuple(letter for letter, _ in g.choices)
    return letters_order(s.quiz, g.question, letters, g.variant, s.learner, shuffle=bool(g.shuffle))


def _sections(render, quiz: QuizRecord | None, s: SubmissionRecord, cache: dict | None) -> str:
    """The submission's question sections; ``cache`` remembers each distinct one (a class repeats them a lot)."""
    explain = {q.question: q.explain for q in quiz.questions} if quiz else {}
    parts = []
    for n, g in enumerate(s.grades, 1):
        order = learner_order(s, g)
        slot = (render, n, g, explain.get(g.question, ""), order)
        text = cache.get(slot) if cache is not None else None
        if text is None:
            text = render(n, g, explain.get(g.question, ""), order)
            if cache is not None:
                cache[slot] = text
        parts.append(text)
    return "".join(parts)


def _heading(quizzes: dict[str, QuizRecord], s: SubmissionRecord) -> tuple[QuizRecord | None, str]:
    """The submission's quiz (None once it left the gradebook) and its heading: title, id and score."""
    quiz = quizzes.get(s.quiz)
    title = quiz.title if quiz else s.quiz
    return quiz, f"{title} ({s.quiz}): {points(s.score)}/{points(s.max_score)} points"


def unknown_answers(quiz: QuizRecord | None, s: SubmissionRecord) -> list[str]:
    """A line per answer the submission gave to a question its quiz does not have (a misspelt id), with the id
    probably meant: the rest was graded, that answer was not."""
    if quiz is None:
        return []
    ids = [q.question for q in quiz.questions]
    lines = []
    for qid in [a for a in s.answered if a not in ids][:UNKNOWN_NOTES]:
        close = closest(qid, ids, scaled=True)
        lines.append(f"your answer to {qid[:60]!r}, which quiz {quiz.quiz} has no question called"
                     + (f" (did you mean {close!r}?)" if close else ""))
    return lines


def markdown(learner: str, quizzes: dict[str, QuizRecord], submissions: Iterable[SubmissionRecord],
             cache: dict | None = None) -> str:
    """The learner's feedback as Markdown."""
    out = [f"# Feedback for {_md(learner)}\n"]
    for s in submissions:
        quiz, heading = _heading(quizzes, s)
        out.append(f"\n## {heading}\n\n")
        if s.submitted_at:
            out.append(f"Submitted {s.submitted_at}.\n\n")
        out.extend(f"Not graded: {_md(line)}\n\n" for line in unknown_answers(quiz, s))
        out.append(_sections(_md_section, quiz, s, cache))
    return "".join(out)


def page(learner: str, quizzes: dict[str, QuizRecord], submissions: Iterable[SubmissionRecord],
         cache: dict | None = None) -> str:
    """The learner's feedback as a standalone HTML page (no scripts, no outside resources)."""
    e = html.escape
    out = [
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        f"<title>Feedback for {e(learner)}</title><style>{STYLE}</style></head><body>\n"
        f"<h1>Feedback for {e(learner)}</h1>\n"
    ]
    for s in submissions:
        quiz, heading = _heading(quizzes, s)
        out.append(f"<h2>{e(heading)}</h2>\n")
        if s.submitted_at:
            out.append(f"<p>Submitted {e(s.submitted_at)}.</p>\n")
        out.extend(f"<p>Not graded: {e(line)}</p>\n" for line in unknown_answers(quiz, s))
        out.append(_sections(_html_section, quiz, s, cache))
    out.append("</body></html>\n")
    return "".join(out)


def make_directory(directory: str) -> None:
    """Create the feedback directory if needed and check a file can be written in it; raises ``GradebookError``."""
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as e:
        raise GradebookError(directory, f"cannot create the feedback directory: {e.strerror or e}") from None
    check_writable(directory)


def write_feedback(book: Gradebook, directory: str, quiz_ids: Iterable[str] | None = None, *, jobs: int = 1) -> int:
    """Write ``NAME.md`` and ``NAME.html`` under ``directory`` for every learner with a current graded submission
    (of the named quizzes, or any); returns how many files changed. Unchanged files are left alone, new ones appear
    whole (written aside, then renamed). ``jobs`` processes share the learners, each reading its own range of them.
    Raises ``GradebookError`` when the directory cannot be made or written."""
    make_directory(directory)
    quiz_ids = None if quiz_ids is None else list(quiz_ids)
    learners = book.learner_ids(quiz_ids) if jobs > 1 else []
    if len(learners) < 2 * jobs:
        return _write(book, directory, quiz_ids, None)
    cut = [len(learners) * i // jobs for i in range(jobs + 1)]
    ranges = [(learners[lo], learners[hi - 1]) for lo, hi in zip(cut, cut[1:])]
    from concurrent.futures import ProcessPoolExecutor  # here: a grading run without --feedback never needs it

    with ProcessPoolExecutor(max_workers=jobs, mp_context=context(), initializer=watch_parent,
                             initargs=(os.getpid(),)) as pool:
        return sum(pool.map(_write_in_process, [book.location] * jobs, [directory] * jobs, [quiz_ids] * jobs, ranges))


def _write_in_process(path: str, directory: str, quiz_ids: list[str] | None, learner_range: tuple[str, str]) -> int:
    with Gradebook(path, create=False, readonly=True) as book:
        return _write(book, directory, quiz_ids, learner_range)


def _write(book: Gradebook, directory: str, quiz_ids: list[str] | None,
           learner_range: tuple[str, str] | None) -> int:
    quizzes = {q.quiz: q for q in book.quizzes(quiz_ids)}
    by_learner: dict[str, list[SubmissionRecord]] = {}
    for s in book.submissions(list(quizzes), learner_range=learner_range):
        by_learner.setdefault(s.learner, []).append(s)
    changed = 0
    cache: dict = {}
    for learner, subs in sorted(by_learner.items()):
        name = feedback_name(learner)
        for suffix, text in ((".md", markdown(learner, quizzes, subs, cache)),
                             (".html", page(learner, quizzes, subs, cache))):
            path = os.path.join(directory, name + suffix)
            try:
                with open(path, encoding="utf-8", newline="") as f:
                    if f.read() == text:
                        continue
            except OSError:
                pass
            write_text(path, text)
            changed += 1
    return changed
