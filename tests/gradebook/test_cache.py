"""What a run computes from the gradebook (its summary, its CSV) is kept with the generation it was computed at and
reused only while the gradebook has not changed: the same output as computing it again, without reading every grade."""

from __future__ import annotations

import os
from pathlib import Path

from sandbox.gradebook.exports import csv_text, write_csv
from sandbox.gradebook.store import Gradebook
from sandbox.gradebook.summary import _summarize, summarize

from .conftest import QUIZZES, grade, write_class


def _class(tmp_path: Path, location: str, learners: int = 8) -> None:
    write_class(tmp_path / "subs", learners)
    assert grade(QUIZZES, tmp_path / "subs", "--db", location).code == 0


def test_a_kept_summary_is_the_summary_computed_again(tmp_path: Path, location: str) -> None:
    _class(tmp_path, location)
    with Gradebook(location) as book:
        first = summarize(book)
        assert book.cached(next(iter(_names(book, "summary"))), book.generation()) is not None
        assert summarize(book) == first == [_summarize(book, q) for q in book.quizzes()]
        assert summarize(book, ["tiny", "tiny"]) == first, "the same quizzes named twice are the same question"


def test_a_grade_changed_by_hand_shows_in_the_next_summary(tmp_path: Path, location: str) -> None:
    _class(tmp_path, location)
    with Gradebook(location) as book:
        [before] = summarize(book)
        with book.transaction() as db:
            db.execute("UPDATE submissions SET score = 0")
        [after] = summarize(book)
    assert set(after.scores) == {0} != set(before.scores)


def test_a_read_only_gradebook_reads_what_was_kept_and_keeps_nothing(tmp_path: Path) -> None:
    db = tmp_path / "g.sqlite"
    _class(tmp_path, str(db))
    with Gradebook(db) as book:
        kept = summarize(book)
        with book.transaction() as sql:
            sql.execute("DELETE FROM cache")
    with Gradebook(db, create=False, readonly=True) as book:
        assert summarize(book) == kept
        assert not _names(book, "summary")


def test_the_csv_is_written_again_only_when_the_file_or_the_gradebook_changed(tmp_path: Path) -> None:
    db, out = tmp_path / "g.sqlite", tmp_path / "grades.csv"
    _class(tmp_path, str(db))
    with Gradebook(db) as book:
        assert write_csv(book, str(out)) is True
        expected = out.read_bytes()
        assert expected == csv_text(book).encode()
        assert write_csv(book, str(out)) is False, "the file already holds these bytes"
        out.write_bytes(expected.replace(b"\r\n", b"\n"))  # edited in a spreadsheet
        assert write_csv(book, str(out)) is True and out.read_bytes() == expected
        os.remove(out)
        assert write_csv(book, str(out)) is True and out.read_bytes() == expected
        with book.transaction() as sql:
            sql.execute("UPDATE submissions SET score = 0")
        assert write_csv(book, str(out)) is True
        assert out.read_bytes() == csv_text(book).encode() != expected


def test_a_rerun_prints_and_writes_what_the_first_run_did(tmp_path: Path) -> None:
    db, out = tmp_path / "g.sqlite", tmp_path / "grades.csv"
    write_class(tmp_path / "subs", 12)
    first = grade(QUIZZES, tmp_path / "subs", "--db", db, "--csv", out)
    written = out.read_bytes()
    again = grade(QUIZZES, tmp_path / "subs", "--db", db, "--csv", out)
    assert first.out.startswith("12 files: 12 graded, 0 already in the gradebook")
    assert again.out.startswith("12 files: 0 graded, 12 already in the gradebook")
    assert again.out.split("\n", 1)[1] == first.out.split("\n", 1)[1]
    assert out.read_bytes() == written


def _names(book: Gradebook, kind: str) -> list[str]:
    return [name for (name,) in book._db.execute("SELECT name FROM cache").fetchall() if name.startswith(kind)]
