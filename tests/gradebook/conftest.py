"""Shared fixtures: the tiny quiz in data/quizzes/, a generated class of submission files, and a way to run the
commands as functions of argv (streams captured)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from sandbox.gradebook.cli import main_grade, main_gradebook
from sandbox.quiz import Grader, Quiz, load_file
from sandbox.quiz.loader import dump_submission

DATA = Path(__file__).parent / "data"
QUIZZES = DATA / "quizzes"
REJECTED = DATA / "rejected"

#: Answers a class gives to the tiny quiz, cycled through by learner number: right, wrong, missing and malformed.
ANSWERS = [
    {"tag-idea": "a", "pull-private": "b", "missing-tag-exit": 1, "tag-for-account": "SOLUTION"},
    {"tag-idea": "b", "pull-private": "a", "missing-tag-exit": "0", "tag-for-account": ["docker images"]},
    {"tag-idea": "A", "pull-private": "b", "tag-for-account": ["docker tag alpine learner/base:9.9"]},
    {"tag-idea": "zz", "pull-private": ["a", "b"], "missing-tag-exit": "one", "tag-for-account": "SOLUTION"},
    {},
]


@dataclass(frozen=True)
class Ran:
    """What a command returned and printed."""

    code: int
    out: str
    err: str


def grade(*argv: str) -> Ran:
    """``imageshare grade ARGV...`` in this process."""
    out, err = io.StringIO(), io.StringIO()
    code = main_grade([str(a) for a in argv], stdout=out, stderr=err)
    return Ran(code, out.getvalue(), err.getvalue())


def gradebook(*argv: str) -> Ran:
    """``imageshare gradebook ARGV...`` in this process."""
    out, err = io.StringIO(), io.StringIO()
    code = main_gradebook([str(a) for a in argv], stdout=out, stderr=err)
    return Ran(code, out.getvalue(), err.getvalue())


@lru_cache(maxsize=None)
def _tiny() -> tuple[Quiz, Grader]:
    return load_file(QUIZZES / "tiny.yaml"), Grader()


def solution(learner: str) -> list[str]:
    """The tiny quiz's task solution for the learner's variant."""
    quiz, grader = _tiny()
    q = quiz.question("tag-for-account")
    return list(grader.key(q, grader.variant(quiz.id, q, learner)).value)


def write_class(directory: Path, learners: int, *, start: int = 0) -> list[Path]:
    """One submission per learner to the tiny quiz, alternating YAML and JSON (the JSON ones with submitted_at);
    returns the files in order."""
    directory.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(start, start + learners):
        learner = f"l{i:04d}"
        answers = dict(ANSWERS[i % len(ANSWERS)])
        if answers.get("tag-for-account") == "SOLUTION":
            answers["tag-for-account"] = solution(learner)
        if i % 2:
            path = directory / f"{learner}.json"
            path.write_text(json.dumps({"learner": learner, "quiz": "tiny", "answers": answers,
                                        "submitted_at": f"2025-06-02T09:{i % 60:02d}:00Z"}))
        else:
            path = directory / f"{learner}.yaml"
            path.write_text(dump_submission(learner, "tiny", answers))
        files.append(path)
    return files


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new gradebook goes, on each backend: an SQLite file, or a PostgreSQL URL (the session's cluster)."""
    if request.param == "sqlite":
        return str(tmp_path / "g.sqlite")
    return request.getfixturevalue("postgres").database()


@pytest.fixture
def tiny() -> Path:
    """The tiny quiz's directory."""
    return QUIZZES


#: A task with two variants, a goal of two checks and a forbidden form: what task analysis and the report read.
TASK_QUIZ = """quiz: pushing
title: Pushing
questions:
  - id: push
    kind: task
    vars: {tag: ["1.0", "2.0"]}
    prompt: Push alpine as learner/alpine:${tag}.
    setup:
      - docker pull alpine
      - docker login -u learner -p s3cret-pass
    goal:
      - image: learner/alpine:${tag}
      - pushed: learner/alpine:${tag}
    forbid:
      - {words: push -a}
    solution:
      - docker tag alpine learner/alpine:${tag}
      - docker push learner/alpine:${tag}
"""
