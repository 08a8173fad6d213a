"""docs/classroom.md shows what the code does: its course.yaml loads, its roster imports, its error lines and export
lines are the ones the code writes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from sandbox.course.errors import CourseFileError
from sandbox.course.lms import Column, FinalScore, blackboard_csv, canvas_csv, moodle_csv
from sandbox.course.loader import load_course
from sandbox.course.roster import parse_roster

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "classroom.md").read_text()


def _blocks(language: str) -> list[str]:
    """The fenced blocks of the page written in ``language`` ("" for plain blocks), in order."""
    return [text for lang, text in re.findall(r"^```(\w*)\n(.*?)^```$", DOC, re.S | re.M) if lang == language]


@pytest.fixture
def doc_course(tmp_path: Path) -> Path:
    (tmp_path / "quizzes").mkdir()
    for name in ("pull.yaml", "login-and-push.yaml"):
        shutil.copy(ROOT / "quizzes" / name, tmp_path / "quizzes" / name)
    (tmp_path / "roster.csv").write_text(_blocks("")[1])
    (tmp_path / "course.yaml").write_text(_blocks("yaml")[0])
    return tmp_path


def test_the_documented_course_file_and_roster_load(doc_course: Path) -> None:
    course = load_course(doc_course / "course.yaml")
    assert [q.id for q in course.quizzes] == ["pull", "login-and-push"]
    assert (course.quizzes[0].canvas_id, course.quizzes[0].blackboard_id) == ("87568490", "118854")
    grace = course.quizzes[0].for_learner("grace")
    assert "2026-03-11 23:59" in str(grace.due) and "2026-03-14 23:59" in str(grace.closes)
    assert [e.id for e in parse_roster((doc_course / "roster.csv").read_bytes())] == ["ada", "grace"]


def test_the_documented_errors_are_the_loaders(doc_course: Path) -> None:
    good = (doc_course / "course.yaml").read_text()
    lines = _blocks("")[0].strip().splitlines()
    broken = [good.replace("    feedback: immediately", "    feedbak: immediately"),
              good.replace("due: 2026-03-09T23:59:00+01:00", "due: 2026-03-09T23:59:00")]
    for text, line in zip(broken, lines):
        (doc_course / "course.yaml").write_text(text)
        with pytest.raises(CourseFileError) as e:
            load_course(doc_course / "course.yaml")
        assert str(e.value).replace(str(doc_course) + "/", "") == line


def test_the_documented_export_lines_are_the_exporters() -> None:
    roster = parse_roster(_blocks("")[1].encode())
    columns = [Column("pull", "Pulling images", 3, "87568490", "118854"), Column("login-and-push",
                                                                                 "Logging in and pushing", 2)]
    scores = [FinalScore("ada", "pull", 3, 3, days_late=2, penalty=0.2),
              FinalScore("ada", "login-and-push", 1, 2, override=2, comment="regraded after the quiz fix"),
              FinalScore("grace", "pull", 1.5, 3)]
    for block, export in zip(_blocks("")[2:5], (canvas_csv, moodle_csv, blackboard_csv)):
        written = export(columns, roster, scores).splitlines()
        for line in block.strip().splitlines():
            assert line in written, (export.__name__, line)
