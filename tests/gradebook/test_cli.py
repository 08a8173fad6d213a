"""``imageshare grade`` and ``imageshare gradebook``: what an instructor types, what they read, and the exit codes
(0 all graded, 1 something rejected, 2 nothing done, 3 an output cannot be written)."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import pytest

from sandbox.entrypoint import main as imageshare
from sandbox.gradebook.cli import _ProgressView
from sandbox.gradebook.runner import Progress, Rejection

from .conftest import QUIZZES, REJECTED, grade, gradebook, write_class


@pytest.fixture
def graded(tmp_path: Path) -> Path:
    """A gradebook of 10 learners of the tiny quiz and one hostile file; returns its path."""
    subs = tmp_path / "subs"
    write_class(subs, 10)
    (subs / "python-tag.yaml").write_bytes((REJECTED / "python-tag.yaml").read_bytes())
    assert grade(QUIZZES, subs, "--db", tmp_path / "g.sqlite").code == 1
    return tmp_path / "g.sqlite"


def test_grade_prints_counts_rejections_and_how_the_class_did_per_question(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_class(subs, 10)
    (subs / "python-tag.yaml").write_bytes((REJECTED / "python-tag.yaml").read_bytes())
    ran = grade(QUIZZES, subs, "--db", tmp_path / "g.sqlite")
    assert ran.code == 1
    assert ran.out == (
        "11 files: 10 graded, 0 already in the gradebook, 1 rejected\n"
        f"rejected {subs / 'python-tag.yaml'}: line 1: the YAML tag '!!python/object/apply:os.system' is not allowed "
        "in a submission\n"
        "\n"
        "tiny (A tiny quiz for the gradebook's tests): 10 learners, mean 1.4, median 1 of 4 points\n"
        "  tag-idea           40% full marks  ########............\n"
        "  pull-private       40% full marks  ########............\n"
        "  missing-tag-exit   20% full marks  ####................  <- most missed\n"
        "  tag-for-account    40% full marks  ########............\n"
    )
    assert ran.err == "".join(f"grading: {n}/11 files\n" for n in range(2, 12))


def test_all_graded_exits_0_and_a_rerun_says_already_in_the_gradebook(tmp_path: Path) -> None:
    write_class(tmp_path / "subs", 3)
    assert grade(QUIZZES, tmp_path / "subs", "--db", tmp_path / "g.sqlite").code == 0
    again = grade(QUIZZES, tmp_path / "subs", "--db", tmp_path / "g.sqlite")
    assert (again.code, again.out.splitlines()[0]) == (0, "3 files: 0 graded, 3 already in the gradebook, 0 rejected")


def test_grade_writes_csv_and_feedback_when_asked(tmp_path: Path) -> None:
    write_class(tmp_path / "subs", 3)
    ran = grade(QUIZZES, tmp_path / "subs", "--db", tmp_path / "g.sqlite", "--csv", tmp_path / "grades.csv",
                "--feedback", tmp_path / "fb")
    assert ran.code == 0
    assert ran.out.endswith(f"CSV: {tmp_path / 'grades.csv'}\nfeedback: {tmp_path / 'fb'} (6 files written)\n")
    csv = (tmp_path / "grades.csv").read_text()
    assert csv.startswith("Student,ID,SIS User ID,SIS Login ID,Section,tiny: tag-idea")
    assert sorted(os.listdir(tmp_path / "fb")) == ["l0000.html", "l0000.md", "l0001.html", "l0001.md", "l0002.html",
                                                   "l0002.md"]


@pytest.mark.parametrize("argv, message", [
    ([], "the following arguments are required: QUIZ_PATH"),
    (["QUIZZES"], "name at least one SUBMISSION_PATH (or use --regrade)"),
    (["QUIZZES", "x", "--jobs", "0"], "expected 1 to 256 processes, got 0"),
    (["QUIZZES", "x", "--jobs", "two"], "expected a whole number of processes, got 'two'"),
    (["QUIZZES", "no/such/dir"], "imageshare grade: no/such/dir: no such file or directory"),
    (["no/such/quizzes", "x"], "no/such/quizzes:0: no such file or directory"),
])
def test_nothing_done_exits_2(argv: list[str], message: str, tmp_path: Path) -> None:
    ran = grade(*[str(QUIZZES) if a == "QUIZZES" else a for a in argv], "--db", tmp_path / "g.sqlite")
    assert ran.code == 2
    assert message in ran.err
    assert not (tmp_path / "g.sqlite").exists()


def test_a_quiz_that_does_not_load_exits_2_with_its_line(tmp_path: Path) -> None:
    broken = Path(__file__).parents[1] / "quiz" / "data" / "broken" / "answer-names-no-choice.yaml"
    ran = grade(broken, tmp_path, "--db", tmp_path / "g.sqlite")
    assert (ran.code, ran.err) == (2, f"{broken}:13: field 'questions[0].answer': expected one of a, b, got 'd'\n")


def _unwritable_dir(tmp_path: Path) -> Path:
    """A directory this process cannot create files in: chmod 555, or for root (who ignores modes) /sys."""
    d = tmp_path / "readonly"
    d.mkdir()
    d.chmod(0o555)
    for candidate in (d, Path("/sys")):
        try:
            fd, name = tempfile.mkstemp(dir=candidate)
        except OSError:
            return candidate
        os.close(fd)
        os.unlink(name)
    pytest.skip("no directory here refuses this process's writes")


@pytest.mark.parametrize("option", ["--csv", "--feedback", "--db"])
def test_an_unwritable_output_directory_exits_3_before_grading(option: str, tmp_path: Path) -> None:
    write_class(tmp_path / "subs", 2)
    readonly = _unwritable_dir(tmp_path)
    target = readonly / ("fb" if option == "--feedback" else "out.file")
    argv = [QUIZZES, tmp_path / "subs", option, target]
    if option != "--db":
        argv += ["--db", tmp_path / "g.sqlite"]
    ran = grade(*argv)
    assert ran.code == 3
    assert ran.err.startswith("imageshare grade: ") and ran.err.count("\n") == 1
    assert "Traceback" not in ran.err and ran.out == ""
    assert not (tmp_path / "g.sqlite").exists()


@pytest.mark.parametrize("option", ["--csv", "--feedback", "--db"])
def test_an_output_under_a_regular_file_exits_3_with_the_reason(option: str, tmp_path: Path) -> None:
    write_class(tmp_path / "subs", 2)
    (tmp_path / "file").write_text("not a directory")
    argv = [QUIZZES, tmp_path / "subs", option, tmp_path / "file" / "out"]
    if option != "--db":
        argv += ["--db", tmp_path / "g.sqlite"]
    ran = grade(*argv)
    assert ran.code == 3
    assert {"--csv": "cannot write here: Not a directory",
            "--feedback": "cannot create the feedback directory: Not a directory",
            "--db": "cannot open the gradebook: unable to open database file"}[option] in ran.err


def test_a_csv_path_that_is_a_directory_exits_3_before_grading(tmp_path: Path) -> None:
    write_class(tmp_path / "subs", 1)
    ran = grade(QUIZZES, tmp_path / "subs", "--db", tmp_path / "g.sqlite", "--csv", tmp_path)
    assert (ran.code, ran.err) == (3, f"imageshare grade: {tmp_path}: is a directory; --csv names the file to write\n")
    assert not (tmp_path / "g.sqlite").exists()


def test_the_plain_progress_prints_a_line_per_tenth() -> None:
    out = io.StringIO()
    view = _ProgressView(out)
    for n in range(1, 101):
        view(Progress(n, 100, "grade"))
    assert out.getvalue() == "".join(f"grading: {n}/100 files\n" for n in range(10, 101, 10))


def test_on_a_terminal_the_progress_is_one_bar_redrawn_in_place() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    view = _ProgressView(out)
    view(Progress(1, 2, "grade", Rejection("x.yaml", "bad")))
    view(Progress(2, 2, "grade"))
    view.finish()
    assert out.getvalue().endswith("\rgrading [" + "#" * 30 + "] 2/2, 1 rejected \n")
    assert "\n" not in out.getvalue()[:-1]


def test_an_interrupted_bar_is_ended_by_finish() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    view = _ProgressView(out)
    view(Progress(1, 9, "grade"))
    view.finish()
    assert out.getvalue() == "\rgrading [###---------------------------] 1/9 \n"


def test_export_writes_csv_and_json_files_or_standard_output(graded: Path, tmp_path: Path) -> None:
    ran = gradebook("export", "--db", graded, "--csv", tmp_path / "g.csv", "--json", tmp_path / "g.json")
    assert (ran.code, ran.out, ran.err) == (0, "", "")
    assert (tmp_path / "g.csv").read_bytes().decode() == gradebook("export", "--db", graded, "--csv", "-").out
    assert (tmp_path / "g.json").read_bytes().decode() == gradebook("export", "--db", graded, "--json", "-").out


def test_report_and_feedback_commands(graded: Path, tmp_path: Path) -> None:
    ran = gradebook("report", "--db", graded, "-o", tmp_path / "r.html")
    assert (ran.code, ran.out) == (0, f"report: {tmp_path / 'r.html'}\n")
    assert "<svg" in (tmp_path / "r.html").read_text()
    ran = gradebook("feedback", tmp_path / "fb", "--db", graded)
    assert (ran.code, ran.out) == (0, f"feedback: {tmp_path / 'fb'} (20 files written)\n")


@pytest.mark.parametrize("argv, code, message", [
    ([], 2, "name a command: export, report or feedback"),
    (["export"], 2, "name --csv FILE and/or --json FILE"),
    (["report", "--bogus"], 2, "unrecognized arguments: --bogus"),
    (["export", "--csv", "-", "--db", "missing.sqlite"], 3,
     "imageshare gradebook: missing.sqlite: no gradebook here ('imageshare grade --db PATH' creates one)"),
])
def test_gradebook_usage_and_missing_gradebook(argv: list[str], code: int, message: str, tmp_path: Path,
                                               monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    ran = gradebook(*argv)
    assert ran.code == code
    assert message in ran.err


def test_the_imageshare_command_dispatches_grade_and_gradebook(graded: Path, capsys) -> None:
    assert imageshare(["gradebook", "export", "--db", str(graded), "--csv", "-"]) == 0
    assert capsys.readouterr().out.startswith("Student,")
    assert imageshare(["grade", "--help"]) == 0
    assert "usage: imageshare grade [-h]" in capsys.readouterr().out
    assert imageshare(["--help"]) == 0
    assert "grade QUIZ_PATH SUB..." in capsys.readouterr().out
