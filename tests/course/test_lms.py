"""The LMS exports: each in the layout its importer reads (Canvas's learner columns and points-possible row, Moodle's
identifier and feedback columns, Blackboard's quoted cells and column ids), everyone on the roster with 0 for what they
did not submit, overrides and lateness where the layout has room, formulas never run."""

from __future__ import annotations

import csv
import io
import json

import pytest

from sandbox.course.lms import (
    Column,
    ExportError,
    FinalScore,
    blackboard_csv,
    canvas_csv,
    json_data,
    json_text,
    moodle_csv,
)
from sandbox.course.roster import RosterEntry

COLUMNS = [Column("pull", "Pulling images", 3, canvas_id="87568490", blackboard_id="118854"),
           Column("push", "Pushing, and tags", 2)]
ROSTER = [RosterEntry("ada", "Lovelace, Ada", "A", "S001", "ada@uni.edu"),
          RosterEntry("grace", "Grace Hopper", "B"),
          RosterEntry("mallory", "=HYPERLINK(\"http://evil\",\"click\")", "@B", "-1+2")]
SCORES = [
    FinalScore("ada", "pull", graded=3, max_score=3, days_late=2, penalty=0.2),
    FinalScore("ada", "push", graded=1, max_score=2, override=2, comment="regraded after the quiz fix"),
    FinalScore("grace", "pull", graded=1.5, max_score=3),
    FinalScore("zed", "push", graded=2, max_score=2),
    FinalScore("ada", "other", graded=9, max_score=9),  # a quiz not exported
]


def _rows(text: str) -> list[list[str]]:
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_the_final_score_is_the_override_else_the_graded_score_less_the_late_penalty() -> None:
    assert SCORES[0].final == pytest.approx(2.4)  # 3 less 20% of the 3 points possible
    assert SCORES[1].final == 2
    assert FinalScore("x", "q", 1, 10, days_late=5, penalty=0.5).final == 0
    assert SCORES[0].note == "2 days late: 20% of the points taken off"
    assert SCORES[1].note == "score set to 2 by the instructor: regraded after the quiz fix"


def test_canvas_gets_its_learner_columns_a_points_possible_row_and_assignment_ids() -> None:
    assert _rows(canvas_csv(COLUMNS, ROSTER, SCORES)) == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Pulling images (87568490)", "Pushing, and tags"],
        ["    Points Possible", "", "", "", "", "3", "2"],
        ["Lovelace, Ada", "", "S001", "ada", "A", "2.4", "2"],
        ["Grace Hopper", "", "", "grace", "B", "1.5", "0"],
        ["'=HYPERLINK(\"http://evil\",\"click\")", "", "'-1+2", "mallory", "'@B", "0", "0"],
        ["zed", "", "", "zed", "", "0", "2"],
    ]


def test_canvas_would_drop_a_column_titled_like_its_totals_so_the_export_refuses() -> None:
    with pytest.raises(ExportError, match="Canvas's import drops every column whose header contains 'Final Grade'"):
        canvas_csv([Column("exam", "Exam (Final Grade)", 10)], ROSTER, [])


def test_moodle_gets_identifier_columns_and_a_feedback_column_per_quiz() -> None:
    assert _rows(moodle_csv(COLUMNS, ROSTER, SCORES)) == [
        ["Username", "ID number", "Email address", "Full name", "Pulling images", "Pulling images (feedback)",
         "Pushing, and tags", "Pushing, and tags (feedback)"],
        ["ada", "S001", "ada@uni.edu", "Lovelace, Ada", "2.4", "2 days late: 20% of the points taken off", "2",
         "score set to 2 by the instructor: regraded after the quiz fix"],
        ["grace", "", "", "Grace Hopper", "1.5", "", "0", ""],
        ["mallory", "'-1+2", "", "'=HYPERLINK(\"http://evil\",\"click\")", "0", "", "0", ""],
        ["zed", "", "", "", "0", "", "2", ""],
    ]


def test_blackboard_gets_quoted_cells_usernames_and_column_ids() -> None:
    text = blackboard_csv(COLUMNS, ROSTER, SCORES)
    assert text.splitlines()[0] == ('"Last Name","First Name","Username","Student ID",'
                                    '"Pulling images [Total Pts: 3 Score] |118854","Pushing, and tags"')
    assert _rows(text)[1:] == [
        ["Lovelace", "Ada", "S001", "", "2.4", "2"],
        ["Grace Hopper", "", "grace", "", "1.5", "0"],
        # "Last, First" is split at the first comma, whatever the name holds; each part is still neutralised.
        ["'=HYPERLINK(\"http://evil\"", "\"click\")", "'-1+2", "", "0", "0"],
        ["", "", "zed", "", "0", "2"],
    ]


def test_json_holds_what_no_csv_layout_can_carry() -> None:
    data = json_data("docker-101", COLUMNS, ROSTER, SCORES)
    assert data["format"] == "imageshare-course-scores/1" and data["course"] == "docker-101"
    assert [q["quiz"] for q in data["quizzes"]] == ["pull", "push"]
    ada = data["learners"][0]
    assert ada["quizzes"]["push"] == {"submitted": True, "graded": 1, "max_score": 2, "days_late": 0, "penalty": 0.0,
                                      "override": 2, "comment": "regraded after the quiz fix", "final": 2}
    assert data["learners"][1]["quizzes"]["push"] == {"submitted": False, "final": 0}
    assert [(x["learner"], x["on_roster"]) for x in data["learners"]] == [
        ("ada", True), ("grace", True), ("mallory", True), ("zed", False)]
    assert json.loads(json_text("docker-101", COLUMNS, ROSTER, SCORES)) == data


def test_without_a_roster_everyone_with_a_score_is_listed_sorted() -> None:
    rows = _rows(canvas_csv(COLUMNS, [], SCORES))
    assert [r[3] for r in rows[2:]] == ["ada", "grace", "zed"]


def test_two_scores_for_one_learner_and_quiz_are_a_callers_bug() -> None:
    with pytest.raises(ValueError, match="two final scores for learner 'ada' on quiz 'pull'"):
        canvas_csv(COLUMNS, ROSTER, SCORES + [SCORES[0]])


def test_a_column_comes_from_the_course_files_quiz(course_dir) -> None:
    from sandbox.course.loader import parse_course

    course = parse_course("course: c\ninstructors: [prof]\nquizzes:\n  - file: quizzes/pull.yaml\n"
                          "    lms: {canvas: 87568490, blackboard: '118854'}\n", "course.yaml", course_dir)
    assert Column.of(course.quizzes[0]) == Column("pull", "Quiz pull", 1, "87568490", "118854")
