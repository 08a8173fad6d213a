"""A course folder on disk: a small quiz file and a roster beside the course file, as an instructor keeps them."""

from __future__ import annotations

from pathlib import Path

import pytest

QUIZ = """\
quiz: {id}
title: Quiz {id}
questions:
  - id: latest
    kind: choice
    prompt: Which tag does docker pull use when none is given?
    choices:
      a: latest
      b: stable
    answer: a
"""

ROSTER = "id,name,section,lms_id\nada,\"Lovelace, Ada\",A,S001\ngrace,Grace Hopper,B,S002\n"


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    """A folder with quizzes/pull.yaml, quizzes/push.yaml and roster.csv."""
    (tmp_path / "quizzes").mkdir()
    for quiz_id in ("pull", "push"):
        (tmp_path / "quizzes" / f"{quiz_id}.yaml").write_text(QUIZ.format(id=quiz_id))
    (tmp_path / "roster.csv").write_text(ROSTER)
    return tmp_path
