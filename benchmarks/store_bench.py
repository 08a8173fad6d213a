"""Speed of the gradebook itself, on SQLite and on PostgreSQL (issues 16 and 18).

Printed:

- concurrent writers: WRITERS processes x PER submissions each (default 4 x 250), each submission graded beforehand,
  recorded at once into one new gradebook; wall time from the first write to the last commit, one transaction per
  submission (as the course service records) and in batches of ``runner.BATCH`` (as ``imageshare grade`` does);
- a re-run of ``imageshare grade`` over a class of LEARNERS files (default 5,000) with nothing new: with the size and
  mtime skip (the files' size and mtime recorded) and without it (every file read and hashed again), SQLite only.

PostgreSQL is measured when ``--postgres URL`` names a database whose current schema the bench may fill (a fresh
schema per measurement is made under it and dropped); else only SQLite. Measurements share the machine with whatever
else runs: run it more than once and read the spread.

Run: .venv/bin/python benchmarks/store_bench.py [--postgres URL] [WRITERS PER [LEARNERS]]   (0 skips a part)
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

from sandbox.gradebook.runner import BATCH, run
from sandbox.gradebook.store import Gradebook, grade_rows, versions_of
from sandbox.gradebook.submissions import Submission
from sandbox.quiz import Grader, load_file

QUIZ = load_file(Path(__file__).parents[1] / "tests" / "gradebook" / "data" / "quizzes" / "tiny.yaml")
ANSWERS = [{"tag-idea": "a", "pull-private": "b"}, {"tag-idea": "b"}, {"pull-private": "a", "missing-tag-exit": 1},
           {}]


def _prepared(writer: int, per: int) -> list[tuple[Submission, object]]:
    grader, versions = Grader(), versions_of(QUIZ)
    out = []
    for i in range(per):
        learner = f"w{writer}-l{i:04d}"
        answers = ANSWERS[i % len(ANSWERS)]
        result = grader.grade_quiz(QUIZ, answers, learner=learner)
        out.append((Submission(f"{learner}.yaml", f"sha256:{learner}", learner, "tiny", tuple(answers.items())),
                    grade_rows(result.grades, versions)))
    return out


def _write(location: str, writer: int, per: int, batched: bool, start, done) -> None:
    work = _prepared(writer, per)
    with Gradebook(location) as book:
        start.wait()
        if batched:
            for n in range(0, len(work), BATCH):
                with book.batch():
                    for submission, rows in work[n:n + BATCH]:
                        book.record(submission, rows)
        else:
            for submission, rows in work:
                book.record(submission, rows)
    done.put(time.perf_counter())


def writers(location: str, count: int, per: int, batched: bool) -> float:
    """Seconds for ``count`` processes to record ``per`` submissions each into ``location`` at once."""
    with Gradebook(location) as book:
        book.sync_quizzes([QUIZ])
    ctx = multiprocessing.get_context("fork")
    start, done = ctx.Barrier(count + 1), ctx.Queue()
    procs = [ctx.Process(target=_write, args=(location, w, per, batched, start, done)) for w in range(count)]
    for p in procs:
        p.start()
    start.wait()
    began = time.perf_counter()
    ends = [done.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    with Gradebook(location, readonly=True) as book:
        assert len(book.submissions()) == count * per
    return max(ends) - began


def _fresh_schema(url: str, n: int) -> str:
    import psycopg

    name = f"bench{os.getpid()}_{n}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        conn.execute(f"CREATE SCHEMA {name}")
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{name}"


def _drop_schema(url: str, location: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {location.rsplit('%3D', 1)[1]} CASCADE")


def _write_class(directory: Path, learners: int) -> list[str]:
    from sandbox.quiz.loader import dump_submission

    directory.mkdir(parents=True)
    files = []
    for i in range(learners):
        path = directory / f"l{i:05d}.yaml"
        path.write_text(dump_submission(f"l{i:05d}", "tiny", ANSWERS[i % len(ANSWERS)]))
        files.append(str(path))
    when = time.time_ns() - 3600 * 10**9  # handed in an hour ago: settled
    for f in files:
        os.utime(f, ns=(when, when))
    return files


def _cpu() -> float:
    mine, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + workers.ru_utime + workers.ru_stime


def _timed(files: list[str], book: Gradebook) -> tuple[tuple[float, float], object]:
    """(wall, CPU seconds of this process and its workers) of one run, and its report."""
    began, cpu = time.perf_counter(), _cpu()
    report = run([QUIZ], files, book, jobs=2)
    return (time.perf_counter() - began, _cpu() - cpu), report


def rerun(learners: int, tmp: Path) -> tuple[float, float, float, float]:
    """Seconds for the first run, a run of no files (starting workers, replaying the quiz's keys: what every run
    costs), a re-run with the size/mtime skip, and a re-run without it (files table empty)."""
    files = _write_class(tmp / "class", learners)
    with Gradebook(tmp / "g.sqlite") as book:
        first, report = _timed(files, book)
        assert report.graded == learners and len(book.known_files()) == learners
        empty, _ = _timed([], book)
        skipping, report = _timed(files, book)
        assert report.unchanged == learners
        book._db.execute("DELETE FROM files")
        reading, report = _timed(files, book)
        assert report.unchanged == learners
    return first, empty, skipping, reading


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument("numbers", nargs="*", type=int)
    args = parser.parse_args()
    count, per, learners = (args.numbers + [4, 250, 5000][len(args.numbers):])[:3]
    tmp = Path(tempfile.mkdtemp(prefix="store-bench-"))
    try:
        n = 0
        for batched in (False, True) if count else ():
            how = f"batches of {BATCH}" if batched else "a transaction each"
            n += 1
            seconds = writers(str(tmp / f"w{n}.sqlite"), count, per, batched)
            print(f"SQLite: {count} writers x {per} submissions, {how}: {seconds:.2f} s "
                  f"({count * per / seconds:,.0f} submissions/s)")
            if args.postgres:
                location = _fresh_schema(args.postgres, n)
                try:
                    seconds = writers(location, count, per, batched)
                finally:
                    _drop_schema(args.postgres, location)
                print(f"PostgreSQL: {count} writers x {per} submissions, {how}: {seconds:.2f} s "
                      f"({count * per / seconds:,.0f} submissions/s)")
        if learners:
            first, empty, skipping, reading = rerun(learners, tmp)
            print(f"SQLite, {learners:,} files, --jobs 2 (wall / CPU of the run and its workers): first run "
                  f"{first[0]:.2f} / {first[1]:.2f} s; a run of no files {empty[0]:.2f} / {empty[1]:.2f} s; a re-run "
                  f"with nothing new {skipping[0]:.2f} / {skipping[1]:.2f} s with the size/mtime skip, "
                  f"{reading[0]:.2f} / {reading[1]:.2f} s reading and hashing every file")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
