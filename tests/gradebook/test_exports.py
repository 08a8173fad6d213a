"""The exports: a CSV that gradebook imports accept (Canvas's id columns, a column per question, a total per quiz,
empty where there is nothing to change) and a JSON of everything, both functions of the gradebook alone."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from sandbox.gradebook.errors import GradebookError
from sandbox.gradebook.exports import csv_text, json_data, json_text, points, text_cell, write_text
from sandbox.gradebook.store import Gradebook, RosterRecord

from .conftest import QUIZZES, REJECTED, grade, write_class


@pytest.fixture
def book(tmp_path: Path, location: str):
    subs = tmp_path / "subs"
    write_class(subs, 5)
    (subs / "answer-is-a-mapping.yaml").write_bytes((REJECTED / "answer-is-a-mapping.yaml").read_bytes())
    grade(QUIZZES, subs, "--db", location)
    with Gradebook(location) as b:
        yield b


def test_csv_has_the_lms_id_columns_then_a_column_per_question_and_the_total(book: Gradebook) -> None:
    rows = list(csv.reader(io.StringIO(csv_text(book))))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "tiny: tag-idea",
                       "tiny: pull-private", "tiny: missing-tag-exit", "tiny: tag-for-account", "tiny (total)"]
    assert rows[1:] == [
        ["l0000", "", "", "l0000", "", "1", "1", "1", "1", "4"],
        ["l0001", "", "", "l0001", "", "0", "0", "0", "0", "0"],
        ["l0002", "", "", "l0002", "", "1", "1", "0", "0", "2"],
        ["l0003", "", "", "l0003", "", "0", "0", "0", "1", "1"],
        ["l0004", "", "", "l0004", "", "0", "0", "0", "0", "0"],
    ]


def test_csv_is_ascii_with_crlf_rows_and_no_cell_that_could_start_a_formula(book: Gradebook) -> None:
    text = csv_text(book)
    assert text.isascii() and text.endswith("\r\n") and text.count("\r\n") == 6
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]


def test_a_quiz_nobody_submitted_gets_no_columns(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_class(subs, 1)
    bank = Path(__file__).parents[2] / "quizzes"
    assert grade(bank, subs, "--db", tmp_path / "g.sqlite").code == 1  # the bank is recorded; tiny is not in it
    assert grade(QUIZZES, subs, "--db", tmp_path / "g.sqlite").code == 0
    with Gradebook(tmp_path / "g.sqlite") as b:
        header = csv_text(b).splitlines()[0]
    assert header.endswith("tiny (total)") and "pull:" not in header


@pytest.mark.parametrize("value, text", [(1.0, "1"), (0.5, "0.5"), (1 / 3, "0.3333"), (0.0, "0"), (12.25, "12.25"),
                                         (-0.0, "0")])
def test_points_are_written_with_a_dot_and_at_most_four_decimals(value: float, text: str) -> None:
    assert points(value) == text


@pytest.mark.parametrize("value, cell", [
    ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"), ("+1", "'+1"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("\0", "'\0"),
    ("Ada", "Ada"), ("a=b", "a=b"), ("", ""), ("'quoted", "'quoted"),
])
def test_a_text_cell_that_a_spreadsheet_would_run_is_shown_as_text(value: str, cell: str) -> None:
    # OWASP ASVS 1.2.10: a leading ' makes Excel, Calc and Sheets show the cell as text, and is itself not shown.
    assert text_cell(value) == cell


def test_json_holds_quizzes_learners_history_and_rejections(book: Gradebook) -> None:
    data = json_data(book)
    assert data["format"] == "imageshare-gradebook/1"
    assert [q["quiz"] for q in data["quizzes"]] == ["tiny"]
    assert [x["question"] for x in data["quizzes"][0]["questions"]] == ["tag-idea", "pull-private", "missing-tag-exit",
                                                                        "tag-for-account"]
    first = data["learners"][0]
    assert first["learner"] == "l0000"
    [sub] = first["submissions"]
    assert (sub["quiz"], sub["current"], sub["superseded_by"], sub["score"], sub["max_score"]) == ("tiny", True, None,
                                                                                                   4.0, 4.0)
    assert sub["grades"][0] == {"question": "tag-idea", "variant": 0, "score": 1.0, "max_score": 1.0,
                                "correct": True, "answer": "a", "key": "a", "reason": None,
                                "feedback": sub["grades"][0]["feedback"]}
    assert sub["grades"][0]["feedback"].startswith("Correct (1/1).")
    [rejected] = data["rejected"]
    assert (rejected["learner"], rejected["quiz"]) == ("ada", "tiny")
    assert rejected["reason"] == ("answers.tag-idea: expected a letter, a list of letters, text or command lines, "
                                  "got a mapping")


def test_json_text_is_the_data_as_indented_utf8(book: Gradebook) -> None:
    assert json.loads(json_text(book)) == json.loads(json.dumps(json_data(book)))
    assert json_text(book) == json_text(book)


def test_write_text_replaces_the_file_whole_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "grades.csv"
    target.write_text("old")
    write_text(str(target), "new,\r\n")
    assert target.read_bytes() == b"new,\r\n"
    assert os.listdir(tmp_path) == ["grades.csv"]


def test_write_text_into_a_missing_directory_is_a_gradebook_error(tmp_path: Path) -> None:
    with pytest.raises(GradebookError, match="cannot write here: No such file or directory"):
        write_text(str(tmp_path / "missing" / "grades.csv"), "x")


def test_the_roster_names_its_learners_and_a_non_submitter_scores_0(book: Gradebook) -> None:
    book.set_roster([RosterRecord("l0003", "Lin, Ada", "B", "sis-3"), RosterRecord("a000", "=cmd|' /C calc'!A0", "A",
                                                                                   "sis-0"),
                     RosterRecord("l0001", "Grace H", "", "sis-1", "grace@example.org")])
    rows = list(csv.reader(io.StringIO(csv_text(book))))
    assert rows[1:] == [
        ["'=cmd|' /C calc'!A0", "", "sis-0", "a000", "A", "0", "0", "0", "0", "0"],
        ["l0000", "", "", "l0000", "", "1", "1", "1", "1", "4"],
        ["Grace H", "", "sis-1", "l0001", "", "0", "0", "0", "0", "0"],
        ["l0002", "", "", "l0002", "", "1", "1", "0", "0", "2"],
        ["Lin, Ada", "", "sis-3", "l0003", "B", "0", "0", "0", "1", "1"],
        ["l0004", "", "", "l0004", "", "0", "0", "0", "0", "0"],
    ]
    data = json_data(book)
    assert [(x["learner"], len(x["submissions"])) for x in data["learners"]] == [
        ("a000", 0), ("l0000", 1), ("l0001", 1), ("l0002", 1), ("l0003", 1), ("l0004", 1)]
    assert [r["learner"] for r in data["roster"]] == ["l0003", "a000", "l0001"], "in the roster's order"
    assert json.loads(json_text(book)) == data


def test_overrides_are_exported_with_their_history(book: Gradebook) -> None:
    first = book.add_override("l0001", "tiny", "tag-idea", 1, "accepted", "prof")
    book.add_override("l0001", "tiny", "tag-idea", 0.5, "half", "prof")
    data = json_data(book)
    assert [(o["id"], o["points"], o["in_force"]) for o in data["overrides"]] == [
        (first.id, 1.0, False), (first.id + 1, 0.5, True)]
    assert "roster" not in data


def test_a_gradebook_without_a_course_exports_as_before(book: Gradebook) -> None:
    assert set(json_data(book)) == {"format", "quizzes", "learners", "rejected"}
