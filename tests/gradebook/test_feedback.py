"""Feedback files: one Markdown and one HTML page per learner, named from the sanitized id only, with the score and
per question the answer, the key, the author's explanation and the replay's evidence; a learner's text never becomes
markup."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sandbox.gradebook.feedback import feedback_name, write_feedback
from sandbox.gradebook.store import Gradebook

from .conftest import QUIZZES, grade, solution, write_class


def graded_book(tmp_path: Path, *submissions: str) -> Path:
    subs = tmp_path / "subs"
    subs.mkdir(exist_ok=True)
    for i, text in enumerate(submissions):
        (subs / f"s{i}.yaml").write_text(text)
    assert grade(QUIZZES, subs, "--db", tmp_path / "g.sqlite").code == 0
    return tmp_path / "g.sqlite"


@pytest.mark.parametrize("learner, name", [
    ("ada", "ada"),
    ("ada.lovelace@uni.edu", "ada.lovelace@uni.edu"),
    ("Ada", "ada~1"),
    ("aDA", "ada~6"),
    ("con", "_con"),
    ("nul.txt", "_nul.txt"),
    ("com1", "_com1"),
])
def test_file_names_come_from_the_id_and_suit_every_file_system(learner: str, name: str) -> None:
    assert feedback_name(learner) == name


def test_ids_differing_only_in_case_never_share_a_file() -> None:
    assert len({feedback_name(x).lower() for x in ("ada", "Ada", "ADA", "aDa")}) == 4


@pytest.mark.parametrize("learner", ["../x", "a/b", "", ".x", "a..b", "a\x00b"])
def test_an_id_that_is_not_plain_never_names_a_file(learner: str) -> None:
    with pytest.raises(ValueError):
        feedback_name(learner)


def test_feedback_shows_score_answer_key_explanation_and_evidence(tmp_path: Path) -> None:
    commands = "\n".join(f"    - {c}" for c in solution("ada"))
    db = graded_book(tmp_path, f"learner: ada\nquiz: tiny\nanswers:\n  tag-idea: b\n  tag-for-account:\n{commands}\n")
    with Gradebook(db) as book:
        assert write_feedback(book, str(tmp_path / "fb")) == 2
    md = (tmp_path / "fb" / "ada.md").read_text()
    assert md.startswith("# Feedback for ada\n\n## A tiny quiz for the gradebook's tests (tiny): 1/4 points\n\n")
    assert ("### 1. tag-idea: 0/1, incorrect\n\nWhat is a tag for?\n\nChoices:\n\n"
            "- a) Naming a version of an image. **(key)**\n"
            "- b) Encrypting an image. **(your answer)**\n\nYour answer:\n\n```text\nb\n```\n\nKey:\n\n```text\na\n```\n\n"
            "A tag names one version of an image in a repository.\n") in md
    assert "### 3. missing-tag-exit: 0/1, not graded: no answer\n" in md
    assert "### 4. tag-for-account: 1/1, correct\n" in md
    assert "on this laptop.\n\n```text\n$ docker pull alpine\n```\n\nYour answer:" in md, "the setup, as shown"
    assert "What the sandbox did:\n\n```text\n$ docker tag alpine learner/base:" in md
    assert "goals:\n[met] image learner/base:" in md
    html = (tmp_path / "fb" / "ada.html").read_text()
    assert html.startswith("<!doctype html>") and "<script" not in html
    assert '<h3>1. tag-idea: 0/1, <span class="wrong">incorrect</span></h3>' in html


def test_a_learners_text_cannot_inject_markup(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script> ``` [x](javascript:alert(1))"
    db = graded_book(tmp_path, f"learner: ada\nquiz: tiny\nanswers:\n  missing-tag-exit: '{hostile}'\n"
                               f"  tag-idea: '{hostile}'\n")
    with Gradebook(db) as book:
        write_feedback(book, str(tmp_path / "fb"))
    html = (tmp_path / "fb" / "ada.html").read_text()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    md = (tmp_path / "fb" / "ada.md").read_text()
    assert f"````text\n{hostile}\n````" in md, "fenced by more backticks than the answer holds"
    escaped = "\\<script\\>alert\\(1\\)\\</sc"
    assert f"### 1. tag-idea: 0/1, not graded: unknown choice '{escaped}'; expected one of a, b\n" in md
    assert "<script>" not in md.replace(f"````text\n{hostile}\n````", "")


def test_unchanged_feedback_files_are_left_alone(tmp_path: Path) -> None:
    write_class(tmp_path / "subs", 3)
    grade(QUIZZES, tmp_path / "subs", "--db", tmp_path / "g.sqlite")
    with Gradebook(tmp_path / "g.sqlite") as book:
        assert write_feedback(book, str(tmp_path / "fb")) == 6
        before = {p: os.stat(tmp_path / "fb" / p).st_mtime_ns for p in os.listdir(tmp_path / "fb")}
        assert write_feedback(book, str(tmp_path / "fb")) == 0
    assert before == {p: os.stat(tmp_path / "fb" / p).st_mtime_ns for p in os.listdir(tmp_path / "fb")}


def test_a_learner_with_several_quizzes_gets_one_file_with_a_section_each(tmp_path: Path) -> None:
    bank = Path(__file__).parents[2] / "quizzes"
    subs = tmp_path / "subs"
    subs.mkdir()
    # ada sees pull-without-login's choices as d, b, c, a: her [c, d] is the author's key [a, c]
    (subs / "a.yaml").write_text("learner: ada\nquiz: pull\nanswers: {pull-without-login: [c, d]}\n")
    (subs / "b.yaml").write_text("learner: ada\nquiz: two-hosts\nanswers: {}\n")
    assert grade(bank, subs, "--db", tmp_path / "g.sqlite", "--feedback", tmp_path / "fb").code == 0
    md = (tmp_path / "fb" / "ada.md").read_text()
    assert md.count("\n## ") == 2 and "(pull): 1/7 points" in md and "(two-hosts): 0/3 points" in md


def test_an_answer_to_a_misspelt_question_id_is_reported_and_the_rest_graded(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "ada.yaml").write_text("learner: ada\nquiz: tiny\nanswers: {tag-ide: a, tag-idea: a}\n")
    ran = grade(QUIZZES, subs, "--db", tmp_path / "g.sqlite", "--feedback", tmp_path / "fb")
    assert ran.code == 0 and "1 graded" in ran.out
    assert (f"note: {subs / 'ada.yaml'}: answers: quiz 'tiny' has no question 'tag-ide' (did you mean 'tag-idea'?); "
            "that answer was not graded (the rest of the submission was graded)\n") in ran.out
    md = (tmp_path / "fb" / "ada.md").read_text()
    assert "Not graded: your answer to 'tag-ide', which quiz tiny has no question called \\(did you mean " \
           "'tag-idea'?\\)" in md
    assert "### 1. tag-idea: 1/1, correct" in md
    assert "Not graded: your answer to &#x27;tag-ide&#x27;" in (tmp_path / "fb" / "ada.html").read_text()
