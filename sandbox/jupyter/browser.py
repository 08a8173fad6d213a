"""What a quiz does differently when its kernel runs inside the learner's browser tab (JupyterLite's Pyodide kernel):
the kernel's files are not files the learner can hand in, and a reload starts a fresh kernel. So "Save answers" offers
the submission file as a download, and each answer is kept in the browser as soon as it is submitted; when the quiz's
cell runs again after a reload, the answers (and the ID) come back and are graded again by replay.

Where they live: the kernel's working folder is the notebook's folder on JupyterLite's drive (``/drive``), which
JupyterLite stores in this site's IndexedDB in the browser. Kept answers go to ``.imageshare/answers/QUIZ.json``
there (a hidden folder beside the notebook); a saved submission also goes to ``submissions/`` there, visible in the
file browser. Clearing the site's data in the browser removes both.
"""

from __future__ import annotations

import base64
import html
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # quiz.py imports this module
    from sandbox.jupyter.quiz import QuizWidget

#: Pyodide reports its platform as emscripten; a CPython kernel never does.
IN_BROWSER = sys.platform == "emscripten"
#: Kept answers, beside the notebook on the browser's drive.
KEPT = Path(".imageshare") / "answers"


def download_link(file_name: str, text: str) -> str:
    """A link that downloads ``text`` as ``file_name`` (a data URL: the file never leaves the browser)."""
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    name = html.escape(file_name, quote=True)
    return (f"<a href='data:application/x-yaml;base64,{data}' download='{name}' "
            f"style='text-decoration:underline'>Download {html.escape(file_name)}</a>")


def saved_html(file_name: str, text: str, answered: int, total: int) -> str:
    """The status after "Save answers" in a browser: how much was saved, and the file to hand in as a download."""
    return f"Saved {answered} of {total} answers. {download_link(file_name, text)} and hand this file in."


class AnswerStore:
    """Answers kept per quiz as JSON in ``folder``: the learner's ID, and each question's last submitted answer with
    how many times it was submitted. Storage that fails (full, or gone) never stops grading: it is only not kept."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else Path.cwd() / KEPT

    def path(self, quiz_id: str) -> Path:
        """The file that keeps ``quiz_id``'s answers (quiz ids are file-name safe: the loader checks them)."""
        return self.folder / f"{quiz_id}.json"

    def load(self, quiz_id: str) -> dict[str, Any]:
        """``{"learner": ID, "questions": {question id: {"answer": ..., "submitted": n}}}``, or ``{}`` when nothing
        was kept or the file is not ours to read."""
        try:
            kept = json.loads(self.path(quiz_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(kept, dict) or not isinstance(kept.get("questions", {}), dict):
            return {}
        return kept

    def save(self, quiz_id: str, learner: str, questions: dict[str, dict[str, Any]]) -> None:
        """Keep ``questions`` (merged over those kept before, which another cell of the same quiz may have shown)."""
        kept = self.load(quiz_id).get("questions", {})
        document = {"learner": learner, "questions": {**kept, **questions}}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.path(quiz_id).write_text(json.dumps(document, indent=1, sort_keys=True), encoding="utf-8")
        except OSError:
            pass


def keep(widget: QuizWidget, store: AnswerStore) -> None:
    """Give ``widget`` back what ``store`` kept (the ID, then each answer, submitted again so it is graded as
    before, with its count of attempts and whether the answer was shown), then keep every later submission, "Show
    answer" and change of ID."""
    from sandbox.jupyter.quiz import ANONYMOUS
    from sandbox.quiz.learner_id import is_learner_id

    kept = store.load(widget.quiz.id)
    learner = kept.get("learner")
    if isinstance(learner, str) and learner != ANONYMOUS and is_learner_id(learner) and widget.learner == ANONYMOUS:
        widget.learner_field.value = learner
    for question in widget.questions:
        entry = kept.get("questions", {}).get(question.question.id)
        if not isinstance(entry, dict):
            continue
        count = entry.get("submitted") if isinstance(entry.get("submitted"), int) else 0
        if question.attempts is not None:
            count = min(count, question.attempts)
        if entry.get("answer") is not None and count > 0:
            question.submitted = count - 1  # Submit counts the last one, and locks or reveals as it did then
            question.submit(entry["answer"])
        if entry.get("shown") is True:
            question._show_answer()

    def remember(_=None) -> None:
        store.save(widget.quiz.id, widget.learner, {
            q.question.id: {"answer": q.answer, "submitted": q.submitted, "shown": q.shown}
            for q in widget.questions if q.submitted or q.shown})

    for question in widget.questions:  # after the widget's own handlers, which set the answer and the grade
        question.button.on_click(remember)
        question.show_button.on_click(remember)
    widget.observe(remember, "learner")
