"""Feedback shows everything a learner was shown, as they were shown it: the files of their variant (escaped, in a
code block) and the choices in their own order, recomputed by the grader's one shuffle, with their answer and the key
marked in the author's letters, in which the gradebook stores and counts them."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from sandbox.gradebook.feedback import write_feedback
from sandbox.gradebook.store import Gradebook
from sandbox.quiz import Grader, parse
from sandbox.quiz.shuffle import choice_order

from .conftest import DATA, grade

QUIZ_YAML = """quiz: shown
title: What each learner was shown
questions:
  - id: which-base
    kind: outcome
    vars:
      base: ["alpine", "busybox"]
    prompt: The Dockerfile below is built as web. What holds afterwards?
    files:
      Dockerfile: |
        FROM ${base}
        LABEL note="<script>alert(1)</script> ```"
    setup:
      - docker build -t web .
    choices:
      a:
        text: web exists
        holds: [{image: web}]
      b:
        text: web2 exists
        holds: [{image: web2}]
      c:
        text: nothing was built
        holds: [{no-image: web}]
      d:
        text: web:${base} exists
        holds: [{image: "web:${base}"}]
    answer: a
"""


def graded(tmp_path: Path, learner: str, answer: str) -> tuple[str, str]:
    """``learner``'s Markdown and HTML feedback after answering ``answer`` in the letters they saw."""
    quizzes, subs = tmp_path / "quizzes", tmp_path / "subs"
    quizzes.mkdir()
    subs.mkdir()
    (quizzes / "shown.yaml").write_text(QUIZ_YAML)
    (subs / f"{learner}.yaml").write_text(f"learner: {learner}\nquiz: shown\nanswers: {{which-base: {answer}}}\n")
    assert grade(quizzes, subs, "--db", tmp_path / "g.sqlite").code == 0
    with Gradebook(tmp_path / "g.sqlite") as book:
        write_feedback(book, str(tmp_path / "fb"))
    return (tmp_path / "fb" / f"{learner}.md").read_text(), (tmp_path / "fb" / f"{learner}.html").read_text()


QUIZ = parse(QUIZ_YAML, "shown.yaml")
GRADER = Grader()


def seen_by(learner: str):
    """The variant ``learner`` gets and the order they see its choices in, as the grader decides them."""
    q = QUIZ.question("which-base")
    v = GRADER.variant(QUIZ.id, q, learner)
    return v, choice_order(QUIZ.id, GRADER.resolved(q, v), v, learner)


#: A learner who sees neither a) nor b) where the author wrote them.
SHUFFLED = next(f"l{i}" for i in range(100) for shown in [seen_by(f"l{i}")[1].shown]
                if shown[0] != "a" and shown[1] != "b")


def test_feedback_shows_the_files_of_the_learners_variant_in_a_code_block(tmp_path: Path) -> None:
    md, html = graded(tmp_path, "ada", "a")
    v, _ = seen_by("ada")
    base = ["alpine", "busybox"][v]
    assert f"File Dockerfile:\n\n````text\nFROM {base}\nLABEL note=\"<script>alert(1)</script> ```\"\n````\n" in md, \
        "fenced by more backticks than the file holds"
    assert (f"<p>File <code>Dockerfile</code>:</p><pre>FROM {base}\nLABEL note=&quot;&lt;script&gt;alert(1)"
            "&lt;/script&gt; ```&quot;</pre>") in html
    assert "<script>" not in html


def test_feedback_lists_the_choices_in_the_learners_order_marked_in_the_authors_letters(tmp_path: Path) -> None:
    _, order = seen_by(SHUFFLED)
    mine = order.label("a")  # the author's key, in the letter this learner saw it under
    md, html = graded(tmp_path, SHUFFLED, mine)
    lines = re.findall(r"^- (\w)\) \[(\w)\] (.*)$", md, re.M)
    assert [(label, author) for label, author, _ in lines] == list(zip(order.labels, order.shown))
    assert {author: text for _, author, text in lines}["a"] == "web exists **(your answer, key)**"
    assert "Choices, in the order you saw them; in brackets, the author's letter" in md
    assert "Your answer:\n\n```text\na\n```" in md, "stored and shown in the author's letter"
    assert f"<li>{mine}) [a] web exists <strong>(your answer, key)</strong></li>" in html


def test_a_wrong_pick_is_marked_apart_from_the_key(tmp_path: Path) -> None:
    _, order = seen_by(SHUFFLED)
    md, _ = graded(tmp_path, SHUFFLED, order.label("b"))
    lines = {author: text for _, author, text in re.findall(r"^- (\w)\) \[(\w)\] (.*)$", md, re.M)}
    assert (lines["a"], lines["b"]) == ("web exists **(key)**", "web2 exists **(your answer)**")


def test_an_answer_that_cannot_be_read_marks_only_the_key(tmp_path: Path) -> None:
    md, _ = graded(tmp_path, SHUFFLED, "'b c'")  # two letters to a select: one question
    assert "(your answer" not in md and "web exists **(key)**" in md


def test_a_gradebook_from_before_schema_2_lists_the_authors_order_and_says_so(tmp_path: Path) -> None:
    # data/schema-1/ is a gradebook imageshare made before variants kept their files and shuffle setting
    sqlite3.connect(tmp_path / "g.sqlite").executescript((DATA / "schema-1" / "gradebook.sql").read_text()).close()
    with Gradebook(tmp_path / "g.sqlite", create=False, readonly=True) as book:
        write_feedback(book, str(tmp_path / "old"))
    md = (tmp_path / "old" / "l0000.md").read_text()
    assert "Choices, in the author's order (this gradebook does not say whether yours was shuffled):\n\n" \
           "- a) Naming a version of an image. **(your answer, key)**\n- b) Encrypting an image.\n" in md
    assert "File " not in md, "schema 1 did not keep the files"
