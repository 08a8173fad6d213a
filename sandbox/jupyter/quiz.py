"""Quizzes in a notebook: one widget per question, of any kind, graded on Submit by replay in the sandbox, and a
quiz widget that saves the learner's answers as a submission file (``learner``, ``quiz``, ``answers``) an instructor
collects for ``imageshare grade``.

Composed of stock ipywidgets (radio buttons, checkboxes, text areas, buttons); ``submit()``/``click()`` do what the
buttons do, so tests drive every kind without a browser. Every control has a label a screen reader reads (choices are
labelled by their text, text fields by their description), and the verdict of each Submit and of each save is in an
``aria-live`` region, so it is read out without moving the focus.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from traitlets import Bool, Float, Int, Unicode

from sandbox import material
from sandbox.jupyter import browser, handin
from sandbox.jupyter.session import Session, kernel_session
from sandbox.jupyter.style import STALE
from sandbox.quiz import Grader, Question, Quiz, QuizFileError, dump_submission, load_file, quiz_files
from sandbox.quiz.learner_id import RULE, is_learner_id
from sandbox.quiz.shuffle import ChoiceOrder, choice_order

ANONYMOUS = "anonymous"
#: Where ``find_quiz`` looks for a quiz named by its id, after ``$IMAGESHARE_QUIZZES``.
#: The last is the course's own (a checkout's or the installed package's, see `sandbox.material`).
QUIZ_DIRS = ("quizzes", "../quizzes", str(material.quizzes_dir()))
#: ipywidgets' HTML view sets a 28px line height for its one-line labels; a block of text needs its own.
PRE = "margin:4px 0;padding:4px 6px;background:#f4f4f4;color:#000;white-space:pre-wrap;font-size:12px;line-height:1.4"
#: ipywidgets gives each radio button a one-line, fixed-height label, so a choice that wraps overlaps the next one:
#: let labels grow, with the button on their first line (it follows the text in the DOM, hence row-reverse).
STYLE = ("<style>.imageshare-question .widget-radio-box label {display:flex;flex-direction:row-reverse;"
         "justify-content:flex-end;align-items:flex-start;height:auto;line-height:1.4;padding:2px 0}"
         ".imageshare-question .widget-radio-box input {flex:none;height:auto;margin:3px 8px 0 1px}</style>")
#: A label's width is its text's, not ipywidgets' fixed 80px that cuts "Your commands" short.
LABELLED = {"description_width": "initial"}


def hub_user() -> str | None:
    """The JupyterHub user this kernel runs for (``JUPYTERHUB_USER``, set by the hub's spawner), when it is a usable
    learner ID."""
    name = os.environ.get("JUPYTERHUB_USER", "").strip()
    return name if is_learner_id(name) and name != ANONYMOUS else None


def announced(text_html: str) -> str:
    """``text_html`` in a polite live region (``role=status``), which screen readers read out when it appears.

    ipywidgets' HTML view replaces its whole content on each change, so the region comes anew with each text.
    """
    return f"<div role='status' aria-live='polite'>{text_html}</div>"


def find_quiz(name: str) -> Quiz:
    """The quiz in file ``name``, or the quiz whose id is ``name`` in the quiz directories.

    Raises ``QuizFileError`` when no such quiz loads.
    """
    if name.endswith((".yaml", ".yml")) or os.sep in name or "/" in name:
        return load_file(name)
    extra = [d for d in os.environ.get("IMAGESHARE_QUIZZES", "").split(os.pathsep) if d]
    for directory in extra + list(QUIZ_DIRS):
        if not Path(directory).is_dir():
            continue
        for path in quiz_files([directory]):
            quiz = load_file(path)
            if quiz.id == name:
                return quiz
    raise QuizFileError(name, 0, None, "no quiz with this id in " + ", ".join(extra + list(QUIZ_DIRS)))


def question_html(grader: Grader, quiz: Quiz, question: Question, number: int, learner: str) -> str:
    """The question as ``learner`` sees it, without its choices (the widget draws those) and without the key."""
    q = grader.resolved(question, grader.variant(quiz.id, question, learner))
    points = f"{q.points:g} point" + ("" if q.points == 1 else "s")
    parts = [f"<b>{number}. {html.escape(q.prompt.strip())}</b> <span style='color:#666'>({points})</span>"]
    for name, content in q.files:
        parts.append(f"<div>File <code>{html.escape(name)}</code>:</div>"
                     f"<pre style='{PRE}'>{html.escape(content)}</pre>")
    if q.setup:
        shown = "\n".join(c.shown(q.host) + (f"   (typed on stdin: {c.stdin.strip()})" if c.stdin else "")
                          for c in q.setup)
        parts.append(f"<div>These commands ran first:</div><pre style='{PRE}'>{html.escape(shown)}</pre>")
    if q.kind == "output":
        asked = {"exit-code": "its exit code", "output": "what it prints", "stdout": "what it prints on stdout",
                 "stderr": "its error (stderr)"}
        parts.append(f"<div>Then this command runs; type {asked[q.ask]}:</div>"
                     f"<pre style='{PRE}'>{html.escape(q.command.shown(q.host))}</pre>")
    if q.kind == "task":
        goals = "".join(f"<li>{html.escape(g.describe(q.host))}</li>" for g in q.goal)
        rules = "".join(f"<li>not allowed: <code>{html.escape(r.pattern)}</code>"
                        + (f" ({html.escape(r.because)})" if r.because else "") + "</li>" for r in q.forbid)
        other = any(c.on and c.on != q.host for c in q.setup + q.solution) or any(
            g.host and g.host != q.host for g in q.goal)
        hint = "; start a line with <code>server$ </code> to type it on host server" if other else ""
        parts.append(f"<div>Goals, checked after your commands run in a fresh world:</div><ul>{goals}{rules}</ul>"
                     f"<div>Type at most {q.max_commands} command lines, one per line{hint}.</div>")
    if q.kind in ("which-fails", "which-succeeds", "outcome", "choice") and q.select == "many":
        parts.append("<div><i>Choose every answer that applies.</i></div>")
    return "".join(parts)


class QuestionWidget(widgets.VBox):
    """One question: its text, a control for the answer (radio buttons, checkboxes, a text field or a command
    editor), Submit, and the feedback with the replay's evidence. ``attempts`` limits the submissions (None: no
    limit); then a wrong answer's feedback keeps the key back until the attempts are used up or the learner presses
    "Show answer" (which is recorded and ends the attempts)."""

    score = Float(None, allow_none=True)
    max_score = Float(0.0)
    correct = Bool(None, allow_none=True)
    submitted = Int(0)
    #: Whether the learner asked to see the answer ("Show answer") before their attempts ran out.
    shown = Bool(False)
    feedback = Unicode("")
    learner = Unicode(ANONYMOUS)

    def __init__(self, quiz: Quiz, question: Question, *, number: int = 1, learner: str = ANONYMOUS,
                 grader: Grader | None = None, attempts: int | None = None) -> None:
        self.quiz, self.question, self.number = quiz, question, number
        self.grader = grader or Grader()
        self.attempts = attempts
        self.answer: Any = None
        #: Under a hub with a course service: hands the quiz in with this answer before it counts (`QuizWidget`).
        self.hand_in: Any = None
        self.text = widgets.HTML()
        self.control = self._control()
        self.button = widgets.Button(description="Submit", button_style="primary",
                                     tooltip=f"Submit your answer to question {number}")
        self.button.on_click(lambda _: self._grade())
        self.show_button = widgets.Button(description="Show answer", tooltip=f"Show the answer to question {number} "
                                          "(recorded in your saved answers; no more attempts after it)")
        self.show_button.on_click(lambda _: self._show_answer())
        self.show_button.layout.display = None if attempts is not None else "none"
        self.result = widgets.HTML(announced(""))
        super().__init__([self.text, self.control, widgets.HBox([self.button, self.show_button]), self.result],
                         layout=widgets.Layout(border="1px solid #ccc", padding="6px", margin="4px 0"))
        self.add_class("imageshare-question")
        self.max_score = float(question.points)
        self.learner = learner
        self._draw_text()
        self._relabel()
        self.observe(self._relearned, "learner")

    def _resolved(self) -> Question:
        return self.grader.resolved(self.question, self.grader.variant(self.quiz.id, self.question, self.learner))

    def _control(self) -> widgets.Widget:
        q = self.grader.resolved(self.question, 0)
        wide = widgets.Layout(width="95%")
        if q.kind == "task":
            return widgets.Textarea(description="Your commands", placeholder="docker ...  (one command per line)",
                                    rows=max(3, min(len(q.solution) + 2, 10)), layout=wide, style=LABELLED)
        if q.kind == "output":
            if q.ask == "exit-code":
                return widgets.Text(description="Your answer", placeholder="an exit code, such as 0",
                                    layout=widgets.Layout(width="24em"), style=LABELLED)
            return widgets.Textarea(description="Your answer", placeholder="what the command prints" + ("" if q.ask == "output" else f" on {q.ask}"),
                                    rows=3, layout=wide, style=LABELLED)
        if q.select == "many":
            return widgets.VBox([widgets.Checkbox(description=self._label(c.key, c.text), indent=False, value=False,
                                                  layout=wide) for c in q.choices])
        return widgets.RadioButtons(options=[(self._label(c.key, c.text), c.key) for c in q.choices], value=None,
                                    layout=wide)

    def _relabel(self, keep: ChoiceOrder | None = None) -> None:
        """Draw the choices in this learner's order; with ``keep`` (the order they were drawn in), the choices
        ticked stay ticked under their new letters.

        Radio buttons reach the page in one update: new options alone would tick the first choice for a moment
        (ipywidgets selects it), and a click then could land on a choice about to be relettered.
        """
        kept = self._relettered(self.value(), keep) if keep is not None else None
        shown = self._shown_choices()
        with self.control.hold_sync():
            if isinstance(self.control, widgets.RadioButtons):
                self.control.options = [(self._label(label, text), label) for label, text in shown]
                self.control.value = None
            elif isinstance(self.control, widgets.VBox):
                for box, (label, text) in zip(self.control.children, shown):
                    box.description, box.value = self._label(label, text), False
            if kept not in (None, [], ""):
                self._set(kept)

    def _order(self, learner: str) -> ChoiceOrder:
        variant = self.grader.variant(self.quiz.id, self.question, learner)
        return choice_order(self.quiz.id, self.grader.resolved(self.question, variant), variant, learner)

    def _shown_choices(self) -> list[tuple[str, str]]:
        """``(letter, text)`` in this learner's order of the choices; answers are given in these letters."""
        q = self._resolved()
        return [(label, c.text) for label, c in self._order(self.learner).choices(q)]

    def _relettered(self, answer: Any, drawn: ChoiceOrder) -> Any:
        """``answer``, given in the letters of ``drawn``, in the letters this learner sees (the same choices)."""
        if self.question.kind not in ("which-fails", "which-succeeds", "outcome", "choice") or not answer:
            return answer
        now = self._order(self.learner)
        try:
            if isinstance(answer, str):
                return now.label(drawn.author(answer))
            return sorted(now.label(drawn.author(x)) for x in answer)
        except ValueError:
            return answer

    @staticmethod
    def _label(key: str, text: str) -> str:
        return f"{key}) {' '.join(text.split())}"

    def _draw_text(self) -> None:
        self.text.value = STALE + STYLE + question_html(self.grader, self.quiz, self.question, self.number, self.learner)

    def _relearned(self, change) -> None:
        """A new learner ID: the same question unless the ID picks another variant. An answer already given is
        never dropped: it stays in the controls and, for another variant, is graded again against it."""
        old = self.grader.variant(self.quiz.id, self.question, change["old"])
        old_order = self._order(change["old"])
        same = self.grader.variant(self.quiz.id, self.question, change["new"]) == old
        if same and self._order(change["new"]) == old_order:
            return
        if not same:
            self._draw_text()
        self._relabel(keep=old_order)  # each ID sees the choices in an order of its own; a ticked choice stays
        if self.submitted:
            self.answer = self.value()
            grade = self.grader.grade(self.question, self.answer, quiz_id=self.quiz.id, learner=self.learner,
                                      reveal=self._reveal())
            self.score, self.correct, self.feedback = grade.score, grade.correct, grade.feedback
            self._draw_result(grade, "Your ID shows the choices in another order; your answer was kept under its "
                                     "new letter." if same else "Your ID gives you another version of this question; "
                                     "your answer was kept and graded again against it: check it.")

    # -- the answer in the controls ---------------------------------------------------------------------------------
    def value(self) -> Any:
        """The answer the controls hold now: a letter, a list of letters, command lines, or text."""
        if isinstance(self.control, widgets.RadioButtons):
            return self.control.value
        if isinstance(self.control, widgets.VBox):
            keys = self._resolved().letters
            return [k for k, box in zip(keys, self.control.children) if box.value]
        if self.question.kind == "task":
            return [line.strip() for line in self.control.value.splitlines() if line.strip()]
        return self.control.value

    def _set(self, answer: Any) -> None:
        if isinstance(self.control, widgets.RadioButtons):
            letters = self._resolved().letters
            self.control.value = answer.strip().lower() if isinstance(answer, str) and answer.strip().lower() \
                in letters else None
        elif isinstance(self.control, widgets.VBox):
            if isinstance(answer, str):
                chosen = re.split(r"[\s,]+", answer.lower())
            else:
                chosen = [str(a).lower() for a in answer]
            for key, box in zip(self._resolved().letters, self.control.children):
                box.value = key in chosen
        else:
            self.control.value = "\n".join(answer) if isinstance(answer, (list, tuple)) else str(answer)

    # -- what Submit does -------------------------------------------------------------------------------------------
    def submit(self, answer: Any = None) -> None:
        """Put ``answer`` in the controls (when given) and press Submit."""
        if answer is not None:
            self._set(answer)
        self.button.click()

    def click(self) -> None:
        """Press Submit."""
        self.button.click()

    def _reveal(self) -> bool:
        """Whether feedback may show the key: no limit on attempts, attempts used up, or the answer asked for."""
        return self.attempts is None or self.submitted >= self.attempts or self.shown

    def _grade(self) -> None:
        if self._reveal() and self.attempts is not None:
            return
        answer = self.value()
        handed = None
        if self.hand_in is not None:
            handed = self.hand_in(self, answer)
            if not handed[0]:  # not recorded: the attempt does not count, the answer stays in the controls
                self.result.value = announced(handed[1])
                return
        self.submitted += 1
        grade = self.grader.grade(self.question, answer, quiz_id=self.quiz.id, learner=self.learner,
                                  reveal=self._reveal())
        self.answer = answer
        self.score, self.correct, self.feedback = grade.score, grade.correct, grade.feedback
        if self.attempts is not None and (self.submitted >= self.attempts or grade.correct):
            self._lock(True)
        if handed is not None:  # the course service's answer, as its policy lets it be shown, is the one shown
            self.result.value = announced(handed[1])
            return
        self._draw_result(grade)

    def _show_answer(self) -> None:
        """"Show answer": the key with the explanation and evidence, recorded, and no attempts after it."""
        if self.attempts is None or self._reveal():
            return
        self.shown = True
        grade = self.grader.grade(self.question, self.answer if self.submitted else None, quiz_id=self.quiz.id,
                                  learner=self.learner, reveal=True)
        key = grade.key
        if self.question.kind in ("which-fails", "which-succeeds", "outcome", "choice"):  # in the letters shown
            key = self._order(self.learner).labelled(key if isinstance(key, tuple) else (key,))
        shown = "\n".join(key) if isinstance(key, tuple) and self.question.kind == "task" else \
            ", ".join(map(str, key)) if isinstance(key, tuple) else str(key)
        self.feedback = f"The answer: {shown}" + ("\n\n" + grade.feedback if self.submitted else "")
        self._lock(True)
        rest = grade.feedback.partition("\n\n")[2] if self.submitted else grade.explain
        self.result.value = (announced(f"<div style='font-weight:bold'>The answer:</div>"
                                       f"<pre style='{PRE}'>{html.escape(shown)}</pre>"
                                       "<div style='color:#666'>Shown at your request; your saved answers record "
                                       "it.</div>")
                             + (f"<pre style='{PRE}'>{html.escape(rest)}</pre>" if rest else ""))

    def _draw_result(self, grade, note: str = "") -> None:
        colour = "#1e7e34" if grade.correct else "#b03a2e"
        left = ""
        if self.attempts is not None and not grade.correct:
            remaining = self.attempts - self.submitted
            left = (f"<div style='color:#666'>{remaining} attempt{'s' if remaining != 1 else ''} left; "
                    "try again, or press Show answer.</div>") if remaining > 0 and not self.shown \
                else "<div style='color:#666'>No attempts left.</div>"
        if note:
            left += f"<div style='color:#666'>{html.escape(note)}</div>"
        first, _, rest = grade.feedback.partition("\n\n")
        self.result.value = (announced(f"<div style='color:{colour};font-weight:bold'>{html.escape(first)}</div>{left}")
                             + (f"<pre style='{PRE}'>{html.escape(rest)}</pre>" if rest else ""))

    def _lock(self, locked: bool) -> None:
        self.button.disabled = locked
        self.show_button.disabled = locked
        controls = self.control.children if isinstance(self.control, widgets.VBox) else (self.control,)
        for control in controls:
            control.disabled = locked

    def __repr__(self) -> str:
        return f"QuestionWidget({self.quiz.id!r}, {self.question.id!r}, kind={self.question.kind!r})"


class QuizWidget(widgets.VBox):
    """A quiz: its questions (all, or those named by ``only``), a field for the learner's ID, and "Save answers",
    which writes a submission file into ``directory`` (without ``saving``, a practice quiz: no ID, no file).

    The ID is asked once per kernel: the hub's user when JupyterHub started the kernel (the field then cannot be
    changed), else the ID typed in any quiz of this kernel, else the field waits for it. Typing it never drops an
    answer already given.
    """

    learner = Unicode(ANONYMOUS)
    score = Float(0.0)
    max_score = Float(0.0)
    saved = Unicode("")
    #: When the course service last recorded a hand-in of this quiz (its clock, ISO 8601), under a hub.
    handed_in = Unicode("")

    def __init__(self, quiz: Quiz | str, *, learner: str = ANONYMOUS, only: Iterable[str] = (),
                 attempts: int | None = None, grader: Grader | None = None,
                 directory: str | os.PathLike = "submissions", saving: bool = True,
                 session: Session | None = None) -> None:
        self.quiz = find_quiz(quiz) if isinstance(quiz, str) else quiz
        wanted = tuple(only)
        unknown = [q for q in wanted if self.quiz.question(q) is None]
        if unknown:
            raise KeyError(f"quiz {self.quiz.id!r} has no question {unknown[0]!r}")
        chosen = [q for q in self.quiz.questions if not wanted or q.id in wanted]
        self.session = session or kernel_session()
        hub = hub_user()
        if learner == ANONYMOUS:
            learner = hub or self.session.learner or ANONYMOUS
        self.grader = grader or Grader()
        self.directory = Path(directory)
        self.questions = [QuestionWidget(self.quiz, q, number=i, learner=learner, grader=self.grader,
                                         attempts=attempts) for i, q in enumerate(chosen, 1)]
        for widget in self.questions:
            widget.observe(lambda _: self._total(), "score")
        self.max_score = sum(w.max_score for w in self.questions)
        description = f"<div>{html.escape(self.quiz.description.strip())}</div>" if self.quiz.description.strip() \
            and not wanted else ""
        self.header = widgets.HTML(f"{STALE}<h4 style='margin:4px 0'>{html.escape(self.quiz.title)}</h4>"
                                   f"{description}")
        # continuous_update=False: the ID applies when the learner presses Enter or leaves the field, not at each
        # keystroke (a half-typed ID would pick its own variants on the way).
        self.learner_field = widgets.Text(value="" if learner == ANONYMOUS else learner, description="Your ID",
                                          placeholder="e.g. ada-lovelace", continuous_update=False,
                                          disabled=bool(hub and learner == hub),
                                          tooltip="your JupyterHub user" if hub and learner == hub else "")
        self.learner_field.observe(self._renamed, "value")
        self.save_button = widgets.Button(description="Save answers", icon="save")
        self.save_button.on_click(lambda _: self.save())
        self.status = widgets.HTML(announced(""))
        footer = [widgets.HBox([self.learner_field, self.save_button]), self.status] if saving else []
        super().__init__([self.header, *self.questions, *footer])
        self.add_class("imageshare-quiz")
        self.learner = learner
        #: The course service to hand in to (a kernel under a hub that has one), else None: nothing leaves the kernel.
        self.course = None if browser.IN_BROWSER or not saving else handin.course()
        if self.course is not None:
            for widget in self.questions:
                widget.hand_in = self._hand_in_question
                # The course's policy says when keys are shown, in the service's answers: no key on request here.
                widget.show_button.layout.display = "none"
        if browser.IN_BROWSER:
            browser.keep(self, browser.AnswerStore())

    def _renamed(self, change) -> None:
        name = change["new"].strip(" ") or ANONYMOUS  # only spaces: a pasted control character is refused, not hidden
        if is_learner_id(name):
            self.learner = name
            if name != ANONYMOUS:
                self.session.learner = name
            for widget in self.questions:
                widget.learner = name
            self.status.value = announced("")
        else:
            self.learner = ANONYMOUS  # so Save refuses instead of saving under the previous ID
            self.status.value = announced(f"<span style='color:#b03a2e'>This is not an ID: "
                                          f"{html.escape(RULE)}.</span>")

    def _total(self) -> None:
        self.score = round(sum(w.score or 0.0 for w in self.questions), 4)

    def submit(self, answers: dict[str, Any]) -> None:
        """Answer several questions (question id -> answer) and press each one's Submit."""
        for widget in self.questions:
            if widget.question.id in answers:
                widget.submit(answers[widget.question.id])

    def answers(self) -> dict[str, Any]:
        """The last submitted answer of every question submitted so far."""
        return {w.question.id: w.answer for w in self.questions if w.submitted}

    def save(self, path: str | os.PathLike | None = None) -> Path | None:
        """Write the submission file (``directory/QUIZ-LEARNER.yaml`` unless ``path``), as "Save answers" does.

        Returns the path, or None when nothing was saved (the reason shows in the widget).
        """
        if not is_learner_id(self.learner) or self.learner == ANONYMOUS:
            typed = self.learner_field.value.strip(" ")
            why = f"This is not an ID: {html.escape(RULE)}." if typed else "Type your ID first, then save."
            self.status.value = announced(f"<span style='color:#b03a2e'>{why}</span>")
            return None
        target = Path(path) if path is not None else self.directory / f"{self.quiz.id}-{self.learner}.yaml"
        text = dump_submission(self.learner, self.quiz.id, self.answers(), datetime.now(timezone.utc),
                               attempts={w.question.id: w.submitted for w in self.questions if w.submitted},
                               shown=[w.question.id for w in self.questions if w.shown])
        if browser.IN_BROWSER:
            return self._offer(target, text)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        except OSError as e:
            failed = f"<span style='color:#b03a2e'>Could not save: {html.escape(e.strerror or str(e))}</span>"
            if self.course is not None:  # the hand-in does not need the file
                reply = self.hand_in()
                failed += "<br>" + (_not_handed_in(reply.problem, "Save answers") if reply.problem
                                    else _handed_in_line(reply.data))
            self.status.value = announced(failed)
            return None
        self.saved = str(target)
        saved = (f"Saved {len(self.answers())} of {len(self.questions)} answers to "
                 f"<code>{html.escape(str(target))}</code>")
        if self.course is None:
            self.status.value = announced(f"{saved}; hand this file in.")
            return target
        reply = self.hand_in()  # the file is written first: if the service is down, it is what the learner hands in
        self.status.value = announced(f"{saved}.<br>" + (_not_handed_in(reply.problem, "Save answers")
                                                         if reply.problem else _handed_in_line(reply.data)))
        return target

    # -- handing in to the course service (a kernel under a hub) ------------------------------------------------------
    def submission(self, answers: dict[str, Any] | None = None,
                   attempts: dict[str, int] | None = None) -> dict[str, Any]:
        """The quiz's answers so far as a submission file's JSON (the format ``imageshare grade`` reads). The
        service takes the learner from the hub and the time from its own clock, whatever this says."""
        answers = self.answers() if answers is None else answers
        attempts = {w.question.id: w.submitted for w in self.questions if w.submitted} if attempts is None \
            else attempts
        return {"learner": self.learner, "quiz": self.quiz.id,
                "answers": {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()},
                "attempts": attempts, "shown": [w.question.id for w in self.questions if w.shown]}

    def hand_in(self, submission: dict[str, Any] | None = None) -> handin.Reply:
        """Send the quiz's answers (or ``submission``) to the course service; its reply, or the problem."""
        if self.course is None:
            return handin.Reply(None, "this kernel has no course service to hand in to")
        reply = handin.hand_in(self.course, submission or self.submission())
        if not reply.problem and reply.data:
            self.handed_in = str(reply.data.get("received_at", ""))
        return reply

    def _hand_in_question(self, widget: QuestionWidget, answer: Any) -> tuple[bool, str]:
        """A question's Submit under a hub: the quiz handed in with this answer; (recorded?, what to show)."""
        qid = widget.question.id
        answers = {**self.answers(), qid: answer}
        attempts = {w.question.id: w.submitted for w in self.questions if w.submitted}
        attempts[qid] = widget.submitted + 1
        reply = self.hand_in(self.submission(answers, attempts))
        if reply.problem:
            return False, _not_handed_in(reply.problem, "Submit")
        mine = next((q for q in reply.data.get("questions", []) if q.get("id") == qid), {})
        feedback = str(mine.get("feedback") or "")
        first, _, rest = feedback.partition("\n\n")
        correct = mine.get("correct")
        colour = "#1e7e34" if correct else "#b03a2e" if correct is False else "#000"
        head = f"<div style='color:{colour};font-weight:bold'>{html.escape(first)}</div>" if first else ""
        return True, (head + f"<div style='color:#666'>{_handed_in_line(reply.data)}</div>"
                      + (f"<pre style='{PRE}'>{html.escape(rest)}</pre>" if rest else ""))

    def _offer(self, target: Path, text: str) -> Path:
        """In a browser tab the kernel's files are not the learner's: keep a copy on the browser's drive when it
        can, and offer the file as a download, which is what the learner hands in."""
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        except OSError:
            pass
        self.saved = str(target)
        self.status.value = announced(browser.saved_html(target.name, text, len(self.answers()), len(self.questions)))
        return target

    def click(self) -> None:
        """Press "Save answers"."""
        self.save_button.click()

    def __repr__(self) -> str:
        n = len(self.questions)
        return f"QuizWidget({self.quiz.id!r}, {n} question{'s' if n != 1 else ''})"


def _handed_in_line(data: dict[str, Any]) -> str:
    """What the course service recorded, in one line: when, the quiz's score if the course shows it yet, and the
    service's notes (such as a learner id it replaced by the hub user)."""
    received = str(data.get("received_at", ""))[:19].replace("T", " ")
    line = f"Handed in to the course at {html.escape(received)} UTC"
    if isinstance(data.get("score"), (int, float)) and isinstance(data.get("max_score"), (int, float)):
        line += f": the quiz so far {data['score']:g}/{data['max_score']:g}"
    if data.get("released"):
        line += f" ({html.escape(str(data['released']))})"
    notes = "".join(f"<br>{html.escape(str(n))}" for n in data.get("notes", []))
    return line + "." + notes


def _not_handed_in(problem: str, button: str) -> str:
    """A hand-in that was not recorded: why, and that nothing is lost."""
    return (f"<span style='color:#b03a2e'>Not handed in: {html.escape(problem)}.</span> Your answers are kept: press "
            f"{button} again to retry, or Save answers and hand the saved file in.")
