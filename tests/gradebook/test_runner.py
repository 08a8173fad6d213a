"""Grading a batch: --jobs N records exactly what --jobs 1 records, a bad file costs only its own row, a kill -9
mid-run loses nothing committed and a rerun completes it, and two runs on one gradebook at once do not collide."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sandbox.workers import Limits
from sandbox.gradebook import runner
from sandbox.gradebook.runner import run
from sandbox.gradebook.store import Gradebook
from sandbox.gradebook.submissions import digest_of, submission_files
from sandbox.quiz import Grader, load_all
from sandbox.quiz.loader import dump_submission

from .conftest import QUIZZES, REJECTED, grade, gradebook, write_class

QUIZ_LIST = load_all([QUIZZES])
#: Runs ``imageshare`` in a fresh interpreter, as an instructor's shell would.
IMAGESHARE = [sys.executable, "-c", "import sys; from sandbox.entrypoint import main; sys.exit(main())"]


def exports(db: Path | str) -> tuple[str, str]:
    """The CSV and JSON exports of a gradebook: the bytes the comparisons below hold equal."""
    csv, js = gradebook("export", "--db", db, "--csv", "-"), gradebook("export", "--db", db, "--json", "-")
    assert csv.code == js.code == 0
    return csv.out, js.out


def tree(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_jobs_2_records_exactly_what_jobs_1_records(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_class(subs, 60)
    for name in ("python-tag.yaml", "unknown-quiz.yaml", "nan.json"):
        (subs / name).write_bytes((REJECTED / name).read_bytes())
    results = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}"
        out.mkdir()
        ran = grade(QUIZZES, subs, "--db", out / "g.sqlite", "--csv", out / "grades.csv", "--feedback", out / "fb",
                    "--jobs", jobs)
        assert ran.code == 1, ran.err
        results[jobs] = (ran.out, exports(out / "g.sqlite"), (out / "grades.csv").read_bytes(), tree(out / "fb"))
    assert results["1"][0].replace(str(tmp_path / "jobs1"), "") == results["2"][0].replace(str(tmp_path / "jobs2"), "")
    assert results["1"][1:] == results["2"][1:]
    assert len(results["1"][3]) == 2 * 60


def test_one_corrupt_file_among_many_costs_only_its_row(tmp_path: Path, location: str) -> None:
    subs = tmp_path / "subs"
    files = write_class(subs, 30)
    files[12].write_bytes(b"learner: l0012\nquiz: tiny\nanswers: {tag-idea: [a\n")
    ran = grade(QUIZZES, subs, "--db", location)
    assert ran.code == 1
    assert ran.out.startswith("30 files: 29 graded, 0 already in the gradebook, 1 rejected\n"
                              f"rejected {files[12]}: line 4: YAML syntax:")
    with Gradebook(location) as book:
        assert len(book.submissions()) == 29
        [r] = book.rejections()
        assert (r.path, r.learner) == (str(files[12]), None)


def test_rerunning_grades_nothing_twice_and_a_copy_is_the_same_submission(tmp_path: Path, location: str) -> None:
    subs = tmp_path / "subs"
    files = write_class(subs, 10)
    assert grade(QUIZZES, subs, "--db", location).code == 0
    before = exports(location)
    (subs / "copy-of-first.yaml").write_bytes(files[0].read_bytes())
    again = grade(QUIZZES, subs, "--db", location)
    assert again.out.startswith("11 files: 0 graded, 11 already in the gradebook, 0 rejected\n")
    assert exports(location) == before


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_rerun_hashes_in_the_workers_and_parses_nothing_already_graded(tmp_path: Path, monkeypatch,
                                                                         jobs: int) -> None:
    files = [str(f) for f in write_class(tmp_path / "subs", 6)]
    with Gradebook(tmp_path / "g.sqlite") as book:
        assert run(QUIZ_LIST, files, book, jobs=jobs).graded == 6

        def refuse(*args, **kwargs):
            raise AssertionError("parsed a file whose bytes are graded")

        monkeypatch.setattr(runner, "parse_submission", refuse)  # workers are forked: they see this one
        report = run(QUIZ_LIST, files + [files[0]], book, jobs=jobs)
        assert (report.graded, report.unchanged, report.rejected) == (0, 7, [])


def _settle(files: list[str], ago_s: int = 3600) -> None:
    """Date the files' modification time ``ago_s`` seconds back, as a class handed in earlier."""
    when = time.time_ns() - ago_s * 1_000_000_000
    for f in files:
        os.utime(f, ns=(when, when))


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_rerun_reads_no_file_whose_path_size_and_mtime_the_gradebook_recorded(tmp_path: Path, monkeypatch,
                                                                                 jobs: int) -> None:
    files = [str(f) for f in write_class(tmp_path / "subs", 6)]
    _settle(files)
    with Gradebook(tmp_path / "g.sqlite") as book:
        assert run(QUIZ_LIST, files, book, jobs=jobs).graded == 6
        known = book.known_files()
        assert sorted(known) == sorted(os.path.abspath(f) for f in files)
        assert {k.digest for k in known.values()} == book.graded_digests()

        def refuse(*args, **kwargs):
            raise AssertionError("read a file whose path, size and mtime are recorded")

        monkeypatch.setattr(runner, "read_file", refuse)  # workers are forked: they see this one
        report = run(QUIZ_LIST, files, book, jobs=jobs)
        assert (report.graded, report.unchanged, report.rejected) == (0, 6, [])


def test_a_file_whose_mtime_or_size_changed_is_read_again(tmp_path: Path) -> None:
    files = [str(f) for f in write_class(tmp_path / "subs", 3)]
    _settle(files)
    with Gradebook(tmp_path / "g.sqlite") as book:
        run(QUIZ_LIST, files, book)
        Path(files[0]).write_text(Path(files[0]).read_text().replace("tag-idea: a", "tag-idea: b"))
        _settle(files[:1], 60)
        Path(files[1]).touch()  # the same bytes, a new mtime: read and hashed again, and still unchanged
        report = run(QUIZ_LIST, files, book)
        assert (report.graded, report.unchanged) == (1, 2)
        assert sorted(s.score for s in book.submissions(learners=["l0000"], history=True)) == [3.0, 4.0]


def test_a_file_modified_moments_before_it_was_read_is_not_vouched_for(tmp_path: Path) -> None:
    files = [str(f) for f in write_class(tmp_path / "subs", 3)]
    _settle(files[1:])
    with Gradebook(tmp_path / "g.sqlite") as book:
        run(QUIZ_LIST, files, book)
        assert sorted(book.known_files()) == sorted(os.path.abspath(f) for f in files[1:])


def test_a_grader_failure_rejects_that_submission_and_the_batch_goes_on(tmp_path: Path, monkeypatch) -> None:
    files = write_class(tmp_path / "subs", 3)
    real = Grader.grade_quiz

    def flaky(self, quiz, answers, *, learner=None):
        if learner == "l0001":
            raise KeyError("boom")
        return real(self, quiz, answers, learner=learner)

    monkeypatch.setattr(Grader, "grade_quiz", flaky)
    with Gradebook(tmp_path / "g.sqlite") as book:
        report = run(QUIZ_LIST, [str(f) for f in files], book)
        assert report.graded == 2
        assert [r.reason for r in report.rejected] == [
            "not graded: the grader failed (KeyError: 'boom'); please report this"]


def test_regrade_through_a_run_keeps_rows_and_reports_nothing_stale(tmp_path: Path) -> None:
    files = write_class(tmp_path / "subs", 5)
    quiz_dir = _own_tiny_quiz(tmp_path)
    assert grade(quiz_dir, *files, "--db", tmp_path / "g.sqlite").code == 0
    _change_a_key(quiz_dir)
    stale = grade(quiz_dir, *files, "--db", tmp_path / "g.sqlite")
    assert ("note: quiz tiny changed after 5 of its current submissions were graded (questions tag-idea); "
            "run again with --regrade to re-grade them\n") in stale.out
    regraded = grade(quiz_dir, "--regrade", "--db", tmp_path / "g.sqlite")
    assert regraded.code == 0
    assert "re-graded 5 stored submissions whose quiz had changed\n" in regraded.out
    assert "note:" not in grade(quiz_dir, "--regrade", "--db", tmp_path / "g.sqlite").out


def test_small_batches_record_and_regrade_the_same_gradebook(tmp_path: Path, location: str, monkeypatch) -> None:
    files = write_class(tmp_path / "subs", 5)
    quiz_dir = _own_tiny_quiz(tmp_path)
    assert grade(quiz_dir, *files, "--db", tmp_path / "one.sqlite").code == 0
    monkeypatch.setattr(runner, "BATCH", 2)  # 5 submissions: batches of 2, 2 and 1
    assert grade(quiz_dir, *files, "--db", location).out.startswith("5 files: 5 graded")
    assert exports(location) == exports(tmp_path / "one.sqlite")
    _change_a_key(quiz_dir)
    for db in (location, tmp_path / "one.sqlite"):
        assert "re-graded 5 stored submissions whose quiz had changed\n" in grade(quiz_dir, "--regrade", "--db", db).out
    assert exports(location) == exports(tmp_path / "one.sqlite")


def _own_tiny_quiz(tmp_path: Path) -> Path:
    """A directory of its own holding a copy of the tiny quiz, to change between runs."""
    quiz_dir = tmp_path / "quizzes"
    quiz_dir.mkdir()
    (quiz_dir / "tiny.yaml").write_text((QUIZZES / "tiny.yaml").read_text())
    return quiz_dir


def _change_a_key(quiz_dir: Path) -> None:
    """Make b the key of tag-idea (it was a): the graded submissions are stale."""
    text = (quiz_dir / "tiny.yaml").read_text()
    (quiz_dir / "tiny.yaml").write_text(text.replace("      b: Encrypting an image.\n    answer: a",
                                                     "      b: Encrypting an image.\n    answer: b"))


def _graded(location: Path | str) -> int:
    """How many graded submissions the gradebook holds (opened for writing, so a killed writer's WAL is recovered)."""
    with Gradebook(location) as book:
        return next(book.rows("SELECT count(*) FROM submissions WHERE status = 'graded'"))[0]


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find the grading processes")
@pytest.mark.parametrize("jobs, location", [("1", "sqlite"), ("2", "sqlite"), ("2", "postgresql")],
                         indirect=["location"])
def test_kill_9_mid_run_then_rerun_gives_the_uninterrupted_gradebook(tmp_path: Path, jobs: str, location: str) -> None:
    subs = tmp_path / "subs"
    write_class(subs, 300)
    reference = tmp_path / "reference.sqlite"
    assert grade(QUIZZES, subs, "--db", reference).code == 0

    db = location
    proc = subprocess.Popen(IMAGESHARE + ["grade", str(QUIZZES), str(subs), "--db", db, "--jobs", jobs],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    said: list[str] = []  # the progress lines: what the run reported as recorded
    reader = threading.Thread(target=lambda: said.extend(iter(proc.stderr.readline, "")), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while not said and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        workers = _children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    reader.join(timeout=10)
    acknowledged = max(int(line.split()[1].split("/")[0]) for line in said if line.startswith("grading: "))
    at_kill = _graded(db)
    assert acknowledged <= at_kill < 300, "what was reported as recorded is committed, and the kill landed mid-run"
    deadline = time.monotonic() + 10
    while not all(map(_gone, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(map(_gone, workers)), "worker processes outlived their killed run"

    with Gradebook(db) as book:
        assert book.integrity() == "ok"
        assert {len(s.grades) for s in book.submissions()} == {4}, "no half-written submission"
    rerun = grade(QUIZZES, subs, "--db", db, "--jobs", jobs)
    assert rerun.code == 0
    assert rerun.out.startswith(f"300 files: {300 - at_kill} graded, {at_kill} already in the gradebook, 0 rejected\n")
    assert exports(db) == exports(reference)


def test_two_runs_on_one_gradebook_at_once_give_one_clean_gradebook(tmp_path: Path) -> None:
    files = [str(f) for f in write_class(tmp_path / "subs", 150)]
    reference = tmp_path / "reference.sqlite"
    assert grade(QUIZZES, *files, "--db", reference).code == 0
    db = tmp_path / "shared.sqlite"
    runs = [subprocess.Popen(IMAGESHARE + ["grade", str(QUIZZES), *order, "--db", str(db)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for order in (files, files[::-1])]
    outputs = [r.communicate(timeout=120) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], outputs
    graded = [int(out.split(" graded,")[0].rsplit(" ", 1)[1]) for out, _ in outputs]
    assert sum(graded) == 150, "every file recorded by exactly one of the runs"
    with Gradebook(db) as book:
        assert book.integrity() == "ok"
    assert exports(db) == exports(reference)


def test_files_are_read_in_the_order_named(tmp_path: Path) -> None:
    files = write_class(tmp_path / "subs", 3)
    assert submission_files([files[2], files[0]]) == [str(files[2]), str(files[0])]


def test_a_quiz_whose_key_the_replay_decides_otherwise_is_graded_with_a_warning(tmp_path: Path) -> None:
    quiz_dir = tmp_path / "quizzes"
    quiz_dir.mkdir()
    text = (QUIZZES / "tiny.yaml").read_text()
    (quiz_dir / "tiny.yaml").write_text(text.replace("      b: docker pull alice/secret-app:1.0\n    answer: b",
                                                     "      b: docker pull alice/secret-app:1.0\n    answer: a"))
    files = write_class(tmp_path / "subs", 1)
    ran = grade(quiz_dir, *files, "--db", tmp_path / "g.sqlite")
    assert ran.code == 0
    assert ran.out.startswith("1 file: 1 graded, 0 already in the gradebook, 0 rejected\n")
    assert "tiny (A tiny quiz for the gradebook's tests): 1 learner, mean 4, median 4 of 4 points\n" in ran.out
    assert (f"warning: {quiz_dir / 'tiny.yaml'}:21: pull-private: the replay gives b, the file says answer: a "
            "(graded with the replay's key; see 'imageshare quiz check')\n") in ran.out


def _small_files() -> None:
    """In the child: files may grow to 300 kB, then writes fail (EFBIG) as on a full disk. A new gradebook's schema
    takes about 100 kB of WAL and the first batch of 64 submissions fits, not the whole class."""
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="limits file size with setrlimit")
def test_a_full_disk_stops_the_run_with_one_line_and_the_same_command_finishes_it(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_class(subs, 200)
    reference = tmp_path / "reference.sqlite"
    assert grade(QUIZZES, subs, "--db", reference).code == 0
    db = tmp_path / "full.sqlite"
    command = IMAGESHARE + ["grade", str(QUIZZES), str(subs), "--db", str(db)]
    full = subprocess.run(command, capture_output=True, text=True, timeout=300, preexec_fn=_small_files)
    assert full.returncode == 3
    assert full.stderr.splitlines()[-1] == (
        f"imageshare grade: {db}: cannot write the gradebook (disk I/O error); is the disk full? What was recorded "
        "before stays, and the same command finishes the run once there is room")
    assert "Traceback" not in full.stderr
    with Gradebook(db) as book:
        assert book.integrity() == "ok"
        recorded = len(book.submissions())
    assert 0 < recorded < 200
    rerun = grade(QUIZZES, subs, "--db", db)
    assert rerun.code == 0
    assert rerun.out.startswith(f"200 files: {200 - recorded} graded, {recorded} already in the gradebook, 0 rejected\n")
    assert exports(db) == exports(reference)


def _hostile(behaviour: str):
    """A replay that misbehaves for learner l0003 only: loops forever, grabs memory, or kills its process."""
    real = Grader.grade_quiz

    def grade_quiz(self, quiz, answers, *, learner=None):
        if learner == "l0003":
            if behaviour == "loop":
                while True:
                    pass
            if behaviour == "memory":
                return "x" * (4 << 30)  # 4 GiB, past the limit below
            os._exit(9)
        return real(self, quiz, answers, learner=learner)

    return grade_quiz


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("behaviour, reason", [
    ("loop", "not graded: the time limit of 0.5 s per submission"),
    ("memory", "not graded: the memory limit of 256 MiB per submission"),
    ("exit", "not graded: the grading process died (exit code 9)"),
])
def test_one_answer_that_overruns_costs_one_limit_and_the_class_is_graded(tmp_path: Path, monkeypatch, jobs: int,
                                                                          behaviour: str, reason: str) -> None:
    files = write_class(tmp_path / "subs", 6)
    monkeypatch.setattr(Grader, "grade_quiz", _hostile(behaviour))  # workers are forked: they replay this one
    start = time.monotonic()
    with Gradebook(tmp_path / "g.sqlite") as book:
        report = run(QUIZ_LIST, [str(f) for f in files], book, jobs=jobs, limits=Limits(0.5, 256 << 20))
        assert (report.graded, report.overran) == (5, 1)
        assert [(r.path, r.reason, r.digest) for r in report.rejected] == [
            (str(files[3]), reason, digest_of(files[3].read_bytes()))]
        assert {s.learner for s in book.submissions()} == {"l0000", "l0001", "l0002", "l0004", "l0005"}
    assert time.monotonic() - start < 30


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_task_answer_that_replays_for_minutes_is_reported_and_the_rest_recorded(tmp_path: Path, jobs: str) -> None:
    # real input: 2.5 million turns of a container shell's nested loops (minutes in the shell of 2026-12; a shell
    # with a work budget of its own may grade it at once, which is as good)
    subs = tmp_path / "subs"
    files = write_class(subs, 5)
    words = " ".join(map(str, range(40)))
    loops = "docker run alpine sh -c '" + "".join(f"for {v} in {words}; do " for v in "abcd") + "true" + \
        "; done" * 4 + "'"
    hostile = subs / "l9999.yaml"
    hostile.write_text(dump_submission("l9999", "tiny", {"tag-for-account": [loops]}))
    start = time.monotonic()
    ran = grade(QUIZZES, subs, "--db", tmp_path / "g.sqlite", "--jobs", jobs, "--time-limit", "3")
    assert time.monotonic() - start < 60
    overran = (f"6 files: 5 graded, 0 already in the gradebook, 1 rejected (1 of them hit a limit)\n"
               f"rejected {hostile}: not graded: the time limit of 3 s per submission\n")
    assert ran.out.startswith(overran) or ran.out.startswith("6 files: 6 graded"), ran.out
    with Gradebook(tmp_path / "g.sqlite") as book:
        assert {s.learner for s in book.submissions()} >= {f"l{i:04d}" for i in range(len(files))}


def test_a_workers_memo_of_grades_holds_a_small_share_of_its_memory_limit() -> None:
    # the memo lives as long as the worker, so what it holds must not be what pushes a submission past the limit
    assert runner.Worker(QUIZ_LIST, memory=64 << 20).grader.memo.size == 8 << 20
    assert runner.Worker(QUIZ_LIST).grader.memo.size == 16 << 20


def test_a_worker_sends_each_text_once_and_the_run_stores_it_even_with_a_result_it_does_not_record(
        tmp_path: Path, monkeypatch) -> None:
    # A class repeats the same feedback texts thousands of times: each worker sends a text with the first result
    # that has it, so the run stores the texts of every result it receives, recorded or not (another run at once
    # may have recorded the same bytes first: then ``record`` records nothing, and later grades still name the text).
    subs = tmp_path / "subs"
    write_class(subs, 6)
    worker = runner.Worker(QUIZ_LIST, texts_once=True)
    sent = [worker.grade(str(f)) for f in sorted(subs.iterdir())]
    assert sent[0].rows.texts and sum(len(r.rows.texts) for r in sent[1:]) < len(sent[0].rows.texts) * 5
    record, skipped = Gradebook.record, []

    def recorded_meanwhile_by_another_run(book, submission, rows, **kwargs):
        if not skipped:
            skipped.append(submission.path)
            return False
        return record(book, submission, rows, **kwargs)

    monkeypatch.setattr(Gradebook, "record", recorded_meanwhile_by_another_run)
    with Gradebook(tmp_path / "g.sqlite") as book:
        report = run(QUIZ_LIST, submission_files([subs]), book)
        assert (report.graded, report.unchanged, report.rejected) == (5, 1, [])
        assert book.integrity() == "ok"
        assert not list(book.rows("SELECT g.feedback FROM grades g LEFT JOIN texts t ON t.hash = g.feedback"
                                  " WHERE t.hash IS NULL")), "every grade's texts are stored"
