"""The holes hostile submission files found, each closed: times compared as times, one order for which file counts,
injective feedback names, symlinks refused, the terminal and Markdown safe from learner text, read-only exports,
and no temporary file a killed run leaves behind for good."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from sandbox.gradebook.cli import shown
from sandbox.gradebook.errors import SubmissionRejected
from sandbox.gradebook.exports import remove_stale_temps
from sandbox.gradebook.feedback import _md, feedback_name
from sandbox.gradebook.store import Gradebook
from sandbox.gradebook.submissions import parse_submission, read_file
from sandbox.quiz import load_all

from .conftest import QUIZZES, grade, gradebook

QUIZ = {q.id: q for q in load_all([QUIZZES])}


def _submission(learner: str = "ada", submitted_at: object = None, answers: dict | None = None) -> bytes:
    document = {"learner": learner, "quiz": "tiny", "answers": answers or {"tag-idea": "a"}}
    if submitted_at is not None:
        document["submitted_at"] = submitted_at
    return json.dumps(document).encode()


@pytest.mark.parametrize("text, stored", [
    ("2025-06-02T09:00:00Z", "2025-06-02T09:00:00Z"),
    ("2025-06-02T09:00:00.500Z", "2025-06-02T09:00:00.500000Z"),
    ("2025-06-02T11:00:00+02:00", "2025-06-02T09:00:00Z"),
    ("0999-01-01T00:00:00Z", "0999-01-01T00:00:00Z"),  # a fixed-width year: the text sorts as the time does
    ("2025-06-02T09:00", "2025-06-02T09:00:00Z"),
])
def test_submitted_at_is_an_iso_8601_time_stored_in_utc(text: str, stored: str) -> None:
    assert parse_submission(_submission(submitted_at=text), "a.json", QUIZ).submitted_at == stored


@pytest.mark.parametrize("text, problem", [
    ("yesterday", "is not an ISO 8601 date and time"),
    ("999-01-01T00:00:00Z", "is not an ISO 8601 date and time"),
    ("2025-06-02T9:00:00Z", "is not an ISO 8601 date and time"),
    ("2025-02-30T00:00:00Z", "is not a date and time that exists"),
    ("9999-12-31T23:59:59-01:00", "is outside the years 0001 to 9999 in UTC"),
    ("0001-01-01T00:00:00+01:00", "is outside the years 0001 to 9999 in UTC"),
    (17, "is not an ISO 8601 date and time"),
])
def test_what_is_not_an_iso_8601_time_is_rejected_never_a_crash(text: object, problem: str) -> None:
    with pytest.raises(SubmissionRejected, match=problem):
        parse_submission(_submission(submitted_at=text), "a.json", QUIZ)


def _class(tmp_path: Path, files: dict[str, bytes]) -> Path:
    subs = tmp_path / "subs"
    subs.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (subs / name).write_bytes(data)
    return subs


def _current(db: Path) -> list[str]:
    with Gradebook(db, create=False) as book:
        return sorted(Path(s.path).name for s in book.submissions())


@pytest.mark.parametrize("older, newer", [
    ("2025-06-02T09:00:00Z", "2025-06-02T09:00:00.500Z"),
    ("0999-01-01T00:00:00Z", "2025-06-02T09:00:00Z"),
])
def test_the_later_time_counts_whatever_order_the_files_come_in(tmp_path: Path, older: str, newer: str) -> None:
    for order in ("a-older.json", "z-older.json"):
        run = tmp_path / order
        subs = _class(run, {order: _submission(submitted_at=older, answers={"tag-idea": "b"}),
                            "m-newer.json": _submission(submitted_at=newer)})
        assert grade(QUIZZES, subs, "--db", run / "g.sqlite").code == 0
        assert _current(run / "g.sqlite") == ["m-newer.json"]


def test_without_a_time_one_order_decides_and_the_summary_says_which_rule(tmp_path: Path) -> None:
    files = {"timed.json": _submission(submitted_at="2025-06-02T09:00:00Z", answers={"tag-idea": "b"}),
             "untimed.json": _submission(answers={"tag-idea": "a"}),
             "untimed-wrong.json": _submission(answers={"tag-idea": "c"})}
    kept = set()
    for n, names in enumerate([sorted(files), sorted(files, reverse=True)]):
        run = tmp_path / f"run{n}"
        run.mkdir()
        for name in names:  # one file per command, in this order: the order runs meet them
            ran = grade(QUIZZES, _class(run, {name: files[name]}) / name, "--db", run / "g.sqlite")
            assert ran.code == 0, ran.err
        kept.add(tuple(_current(run / "g.sqlite")))
    assert kept == {("timed.json",)}
    ran = grade(QUIZZES, _class(tmp_path / "both", {"u1.json": files["untimed.json"],
                                                    "u2.json": files["untimed-wrong.json"]}),
                "--db", tmp_path / "both" / "g.sqlite")
    assert "note: ada, quiz tiny: " in ran.out and "u1.json counts, not " in ran.out
    assert "neither file says when it was submitted; the higher score counts" in ran.out


def test_a_time_later_than_the_run_is_flagged(tmp_path: Path) -> None:
    subs = _class(tmp_path, {"f.json": _submission(submitted_at="9999-01-01T00:00:00Z")})
    ran = grade(QUIZZES, subs, "--db", tmp_path / "g.sqlite")
    assert f"warning: {subs / 'f.json'} says submitted_at 9999-01-01T00:00:00Z, later than this run (" in ran.out


def test_feedback_names_are_one_per_id() -> None:
    ids = ["ada", "Ada", "aDa", "ADA", "ada-99a563ab", "con", "Con", "CON", "nul.txt"]
    assert len({feedback_name(i) for i in ids}) == len(ids)
    assert feedback_name("Ada") == "ada~1" and feedback_name("ada-99a563ab") == "ada-99a563ab"


def test_a_learner_named_like_another_s_hashed_name_gets_their_own_files(tmp_path: Path) -> None:
    subs = _class(tmp_path, {"a.json": _submission("Ada"), "b.json": _submission("ada-99a563ab")})
    assert grade(QUIZZES, subs, "--db", tmp_path / "g.sqlite", "--feedback", tmp_path / "fb").code == 0
    assert sorted(p.name for p in (tmp_path / "fb").iterdir()) == [
        "ada-99a563ab.html", "ada-99a563ab.md", "ada~1.html", "ada~1.md"]


def test_a_symlink_is_rejected_not_followed(tmp_path: Path) -> None:
    subs = _class(tmp_path, {"real.json": _submission("bob")})
    (subs / "link.json").symlink_to(subs / "real.json")
    (subs / "passwd.json").symlink_to("/etc/passwd")
    for name in ("link.json", "passwd.json"):
        with pytest.raises(SubmissionRejected, match="not a regular file"):
            read_file(str(subs / name))
    ran = grade(QUIZZES, subs, "--db", tmp_path / "g.sqlite")
    assert ran.code == 1 and ran.out.startswith("3 files: 1 graded, 0 already in the gradebook, 2 rejected\n")


def test_a_fifo_is_rejected_without_hanging(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.json")
    with pytest.raises(SubmissionRejected, match="not a regular file"):
        read_file(str(tmp_path / "pipe.json"))


def test_file_names_reach_the_terminal_escaped(tmp_path: Path) -> None:
    evil = "x\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07\n3 files: 3 graded.json"
    subs = _class(tmp_path, {evil: b"not: [valid"})
    ran = grade(QUIZZES, subs, "--db", tmp_path / "g.sqlite")
    assert "\x1b" not in ran.out and "\x07" not in ran.out
    assert ran.out.count("\n3 files") == 0 and "\\x1b[2J\\x1b]52;c;" in ran.out
    assert shown("a\u202eb\nc") == "a\\u202eb\\nc"


def test_a_line_break_in_learner_text_cannot_start_markdown_of_its_own() -> None:
    assert "\n" not in _md("alice\n# Full marks\n===")


def test_exports_and_reports_read_a_read_only_gradebook(tmp_path: Path) -> None:
    subs = _class(tmp_path, {"a.json": _submission()})
    db = tmp_path / "book" / "g.sqlite"
    db.parent.mkdir()
    assert grade(QUIZZES, subs, "--db", db).code == 0
    before = db.read_bytes()
    os.chmod(db, 0o444)
    os.chmod(db.parent, 0o555)
    try:
        ran = gradebook("export", "--db", db, "--csv", "-")
        assert ran.code == 0 and ran.out.startswith("Student,"), ran.err
        assert gradebook("report", "--db", db, "-o", tmp_path / "r.html").code == 0
        assert db.read_bytes() == before
        with Gradebook(db, create=False, readonly=True) as book:  # mode=ro: SQLite itself refuses a write
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                book._db.execute("CREATE TABLE x (y)")
    finally:
        os.chmod(db.parent, 0o755)
        os.chmod(db, 0o644)


def test_a_killed_run_s_temporary_files_are_removed_by_the_next(tmp_path: Path) -> None:
    fb = tmp_path / "fb"
    fb.mkdir()
    dead = fb / ".imageshare-999999-abcdefgh.tmp"  # a pid no process has
    dead.write_text("half a file")
    live = fb / f".imageshare-{os.getpid()}-abcdefgh.tmp"
    live.write_text("being written")
    assert remove_stale_temps(str(fb)) == 1
    assert not dead.exists() and live.exists()
    dead.write_text("half a file")
    subs = _class(tmp_path, {"a.json": _submission()})
    assert grade(QUIZZES, subs, "--db", tmp_path / "g.sqlite", "--feedback", fb).code == 0
    assert not dead.exists()
    assert stat.S_ISREG(os.stat(fb / "ada.md").st_mode)
