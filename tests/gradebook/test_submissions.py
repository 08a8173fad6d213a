"""Submission files are data: read without running anything, judged whole, and rejected with one clear line.

Each file in ``data/rejected/`` shows one way a submission can be hostile or broken; ``data/rejected.yaml`` holds the
line it gets.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from sandbox.gradebook.errors import SubmissionRejected
from sandbox.gradebook.submissions import parse_submission, read_file, submission_files
from sandbox.quiz import load_all
from sandbox.quiz.loader import dump_submission, load_submission
from sandbox.quiz.model import MAX_FILE_BYTES

from .conftest import DATA, QUIZZES, REJECTED

EXPECTED = yaml.safe_load((DATA / "rejected.yaml").read_text())
QUIZ_MAP = {q.id: q for q in load_all([QUIZZES])}


def parse(text: str | bytes, name: str = "s.yaml"):
    data = text.encode() if isinstance(text, str) else text
    return parse_submission(data, name, QUIZ_MAP)


def test_every_rejected_fixture_has_its_line_and_every_line_a_fixture() -> None:
    assert sorted(p.name for p in REJECTED.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_or_broken_submission_is_rejected_with_one_clear_line(name: str) -> None:
    path = REJECTED / name
    data, digest = read_file(str(path))
    with pytest.raises(SubmissionRejected) as e:
        parse_submission(data, str(path), QUIZ_MAP, digest)
    assert e.value.reason == EXPECTED[name]
    assert str(e.value) == f"{path}: {EXPECTED[name]}"
    assert e.value.digest == digest and "\n" not in e.value.reason


def test_a_python_tag_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f'learner: !!python/object/apply:os.system ["touch {marker}"]\nquiz: tiny\nanswers: {{}}\n'
    with pytest.raises(SubmissionRejected):
        parse(text)
    assert not marker.exists()


def test_a_rejection_keeps_only_what_was_read_safely() -> None:
    with pytest.raises(SubmissionRejected) as e:
        parse("learner: ada\nquiz: tiny\nanswers: {tag-idea: {x: a}}\n")
    assert (e.value.learner, e.value.quiz) == ("ada", "tiny")
    with pytest.raises(SubmissionRejected) as e:
        parse("learner: ../x\nquiz: tiny\nanswers: {}\n")
    assert (e.value.learner, e.value.quiz) == (None, None)


def test_the_take_command_format_reads_back_as_written() -> None:
    text = dump_submission("ada", "tiny", {"tag-idea": "a", "tag-for-account": ("docker tag alpine learner/base:1.0",),
                                           "missing-tag-exit": "1"})
    s = parse(text)
    assert (s.learner, s.quiz_id, s.submitted_at) == ("ada", "tiny", None)
    assert s.answers == (("tag-idea", "a"), ("tag-for-account", ("docker tag alpine learner/base:1.0",)),
                         ("missing-tag-exit", "1"))


def test_a_saved_submission_says_when_in_utc_so_the_newer_of_two_wins() -> None:
    saved = datetime(2026, 11, 23, 12, 30, 5, tzinfo=timezone(timedelta(hours=1)))
    text = dump_submission("ada", "tiny", {"tag-idea": "a"}, saved)
    assert text.splitlines()[:3] == ["learner: ada", "quiz: tiny", "submitted_at: '2026-11-23T11:30:05Z'"]
    assert parse(text).submitted_at == "2026-11-23T11:30:05Z"


def test_the_widget_records_attempts_and_shown_answers_and_the_grader_reads_them() -> None:
    text = dump_submission("ada", "tiny", {"tag-idea": "a", "missing-tag-exit": "1"},
                           attempts={"tag-idea": 2, "missing-tag-exit": 1}, shown=["tag-idea"])
    s = parse(text)
    assert s.attempts == (("tag-idea", 2), ("missing-tag-exit", 1)) and s.shown == ("tag-idea",)
    assert parse('{"learner": "ada", "quiz": "tiny", "answers": {}, "attempts": {"tag-idea": 3}}').attempts == \
        (("tag-idea", 3),)


@pytest.mark.parametrize("extra, reason", [
    ("attempts: {nope: 1}", "attempts: quiz 'tiny' has no question 'nope'"),
    ("attempts: {tag-idea: 0}", "attempts.tag-idea: '0' is not a number of submissions (1 to 10000)"),
    ("attempts: {tag-idea: many}", "attempts.tag-idea: 'many' is not a number of submissions (1 to 10000)"),
    ("attempts: [tag-idea]", "field 'attempts' must map question ids to numbers of submissions"),
    ("shown: tag-idea", "field 'shown' must be a list of question ids"),
    ("shown: [tag-idea, tag-idea]", "field 'shown' names a question twice"),
    ("shown: [tag-ide]", "shown: quiz 'tiny' has no question 'tag-ide' (did you mean 'tag-idea'?)"),
])
def test_attempts_and_shown_that_are_not_a_record_are_rejected(extra: str, reason: str) -> None:
    with pytest.raises(SubmissionRejected) as e:
        parse(f"learner: ada\nquiz: tiny\nanswers: {{}}\n{extra}\n")
    assert e.value.reason == reason


def test_yaml_scalars_stay_as_the_learner_typed_them() -> None:
    s = parse("learner: 007\nquiz: tiny\nanswers: {missing-tag-exit: 1.10, tag-idea: on}\n")
    assert s.learner == "007"
    assert s.answer_map() == {"missing-tag-exit": "1.10", "tag-idea": "on"}


def test_json_submission_with_a_numeric_learner_id_and_an_exit_code() -> None:
    s = parse('{"learner": 1234567, "quiz": "tiny", "answers": {"missing-tag-exit": 1, "pull-private": ["b"]}}',
              "s.json")
    assert s.learner == "1234567"
    assert s.answer_map() == {"missing-tag-exit": 1, "pull-private": ("b",)}


def test_a_file_of_another_name_is_json_when_it_starts_with_a_brace() -> None:
    assert parse('{"learner": "ada", "quiz": "tiny", "answers": {}}', "answers.txt").learner == "ada"


@pytest.mark.parametrize("given, stored", [
    ("2025-06-02T09:00:00Z", "2025-06-02T09:00:00Z"),
    ("2025-06-02 11:00:00+02:00", "2025-06-02T09:00:00Z"),
    ("2025-06-02T09:00:00.250000", "2025-06-02T09:00:00.250000Z"),
    ("2025-06-02", "2025-06-02T00:00:00Z"),
])
def test_submitted_at_is_stored_in_utc(given: str, stored: str) -> None:
    s = parse(f"learner: ada\nquiz: tiny\nanswers: {{}}\nsubmitted_at: '{given}'\n")
    assert s.submitted_at == stored


@pytest.mark.parametrize("learner", ["ada", "s1234567", "ada.lovelace@uni.edu", "ada+quiz", "Ada_L", "a", "x" * 128])
def test_plain_learner_ids_are_accepted(learner: str) -> None:
    assert parse(f"learner: '{learner}'\nquiz: tiny\nanswers: {{}}\n").learner == learner


@pytest.mark.parametrize("learner", [".hidden", "-rf", "=cmd()", "ada.", "a b", "x" * 129, "ümlaut", "", "a\\b", "C:x"])
def test_ids_that_are_not_plain_are_rejected(learner: str) -> None:
    with pytest.raises(SubmissionRejected, match="is not a plain id"):
        parse(f"learner: '{learner}'\nquiz: tiny\nanswers: {{}}\n")


def test_a_file_over_one_mebibyte_is_rejected_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"learner: ada\nquiz: tiny\nanswers: {}\n# " + b"x" * MAX_FILE_BYTES)
    with pytest.raises(SubmissionRejected) as e:
        read_file(str(path))
    assert e.value.reason == f"{MAX_FILE_BYTES + 38} bytes; submissions are capped at {MAX_FILE_BYTES} (1 MiB)"
    assert e.value.digest is None


def test_a_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(SubmissionRejected, match="not a regular file"):
        read_file(str(fifo))


def test_a_broken_command_line_rejects_only_task_answers() -> None:
    s = parse("learner: ada\nquiz: tiny\nanswers: {missing-tag-exit: 'it says \"no'}\n")
    assert s.answer_map() == {"missing-tag-exit": 'it says "no'}


def test_too_many_commands_in_one_text_answer() -> None:
    lines = "\\n".join(["docker images"] * 51)
    with pytest.raises(SubmissionRejected, match="51 commands; an answer holds at most 50"):
        parse(f'learner: ada\nquiz: tiny\nanswers: {{tag-for-account: "{lines}"}}\n')


def test_directories_are_searched_for_submissions_in_sorted_order(tmp_path: Path) -> None:
    for name in ("b.yaml", "a.json", "notes.txt", ".hidden.yaml", "sub/c.yml", ".git/d.yaml"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x")
    found = [os.path.relpath(p, tmp_path) for p in submission_files([tmp_path])]
    assert found == ["a.json", "b.yaml", os.path.join("sub", "c.yml")]


def test_a_missing_path_is_an_error_before_anything_is_graded(tmp_path: Path) -> None:
    with pytest.raises(SubmissionRejected, match="no such file or directory"):
        submission_files([tmp_path / "nope"])


def test_load_submission_reads_yaml_as_plain_data_and_refuses_tags() -> None:
    assert load_submission("learner: ada\nanswers: {a: [x, ~]}\n") == {"learner": "ada", "answers": {"a": ["x", None]}}
    with pytest.raises(Exception, match="not allowed in a submission"):
        load_submission("a: !!binary aGk=\n")


def test_a_misspelt_question_id_costs_that_answer_not_the_submission(tmp_path) -> None:
    from sandbox.gradebook.submissions import parse_submission
    from sandbox.quiz import load_file

    quiz = load_file(Path(__file__).parent / "data" / "quizzes" / "tiny.yaml")
    s = parse_submission(b"learner: ada\nquiz: tiny\nanswers: {tag-ide: a, pull-private: b}\n", "a.yaml", {"tiny": quiz})
    assert dict(s.answers) == {"tag-ide": "a", "pull-private": "b"}  # kept, nothing lost
    assert s.unknown == ("answers: quiz 'tiny' has no question 'tag-ide' (did you mean 'tag-idea'?); that answer "
                         "was not graded",)
