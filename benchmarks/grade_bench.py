"""Speed of grading a class, as ratios to its floor, measured in one run (issue 18).

A realistic class: LEARNERS learners (default 5,000), one submission each to a 9-question quiz made of the bank's
``course-questions`` and ``two-hosts`` questions (every kind: choice, which-fails, outcome, output, task), a mix of
right, wrong, missing and malformed answers (about 2,000 distinct answers across the class), a few hostile files.
Printed:

- the floor: reading, SHA-256 and parsing every file (``read_file`` and ``parse_submission``) in this process;
- ``imageshare grade --csv`` in a fresh process into a new gradebook with ``--jobs 1`` and ``--jobs 2``: wall time,
  ratio to the floor (goal <= 8x with --jobs 2), graded answers/s;
- a re-run with nothing new (goal <= 2x the floor);
- a class whose answers are mostly distinct (every task answer and predicted output its own): the ``--jobs 2`` /
  ``--jobs 1`` speed-up (goal >= 1.6x);
- BIG learners (default 20,000) of the realistic class: the grader process's peak RSS (goal <= 64 MiB) and the
  re-run time (goal <= 1 s);
- the bank class of issue 4 (BANK learners, default 1,000, to every quiz of the bank, with CSV and feedback):
  answers/s of wall time and per CPU-second (goal >= 2,000 per process), 1,000 learners in <= 15 s with --jobs 2.

The grade processes run with their bytecode cached (in a temporary ``PYTHONPYCACHEPREFIX``, compiled before the
first measurement), as an installed package runs (pip compiles it at install time): this development machine sets
PYTHONDONTWRITEBYTECODE=1, under which every run of an editable checkout would compile each module from source again
(about 0.1 s per process, and per worker for what only workers import).

Measurements share the machine with whatever else runs: run the bench more than once and read the spread; the CPU
seconds (all processes, and the grader process alone) move less with the load than the wall time.

Run: .venv/bin/python benchmarks/grade_bench.py [LEARNERS [BIG [BANK]]]   (0 skips a part)
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sandbox.gradebook.errors import SubmissionRejected
from sandbox.gradebook.submissions import parse_submission, read_file, submission_files
from sandbox.quiz import Grader, load_all, load_file
from sandbox.quiz.loader import dump_submission

ROOT = Path(__file__).resolve().parents[1]
QUIZZES = ROOT / "quizzes"
#: The realistic quiz: these quizzes' questions, in this order, as one quiz of 9 questions.
PARTS = ("course-questions.yaml", "two-hosts.yaml")
#: The grade command in a fresh process; it writes its own peak RSS (KiB) and CPU seconds (without its workers') to
#: the file named by IMAGESHARE_RSS.
IMAGESHARE = [sys.executable, "-c",
              "import os, resource, sys; from sandbox.entrypoint import main; code = main(); "
              "me = resource.getrusage(resource.RUSAGE_SELF); "
              "open(os.environ['IMAGESHARE_RSS'], 'w').write(f'{me.ru_maxrss} {me.ru_utime + me.ru_stime}'); "
              "sys.exit(code)"]
HOSTILE = {
    "python-tag.yaml": "learner: !!python/object/apply:os.system [echo pwned]\nquiz: pull\nanswers: {}\n",
    "bad-learner.yaml": "learner: ../../etc/passwd\nquiz: pull\nanswers: {}\n",
    "not-yaml.yaml": "learner: [unclosed\n",
    "unknown-quiz.json": '{"learner": "zed", "quiz": "no-such-quiz", "answers": {}}',
}


def realistic_quiz(directory: Path) -> Path:
    """Write the 9-question quiz (``bench``) into ``directory``; returns the directory."""
    body = []
    for n, name in enumerate(PARTS):
        text = (QUIZZES / name).read_text()
        text = text[text.index("\nquestions:\n") + len("\nquestions:\n"):]
        for anchor in set(re.findall(r"&([\w-]+)", text)):  # YAML anchors are per file: keep them apart
            text = re.sub(rf"([&*]){re.escape(anchor)}\b", rf"\g<1>p{n}-{anchor}", text)
        body.append(text)
    (directory / "bench.yaml").write_text("quiz: bench\ntitle: Nine questions\nquestions:\n" + "".join(body))
    return directory


def answer(grader: Grader, quiz, question, learner: str, rng: random.Random, distinct: bool):
    """A realistic answer: mostly the key, often a wrong one, sometimes malformed or missing. ``distinct`` makes
    every task answer and predicted output the learner's own (a class that shares almost nothing)."""
    key = grader.key(question, grader.variant(quiz.id, question, learner)).value
    roll = rng.random()
    if roll < 0.05:
        return None
    if question.kind == "task":
        if distinct:
            return list(key) + [f"docker tag web {learner}-{rng.randrange(10**6)}"]
        if roll < 0.55:
            return list(key)
        if roll < 0.75:
            return list(key[:1]) or ["docker images"]
        if roll < 0.9:  # a typo of the learner's own: about one distinct answer in ten
            return list(key[:2]) + [f"docker run -d --name web{rng.randrange(400)} learner/web"]
        return ["docker images", "docker push learner/nothing:1"]
    if question.kind == "output":
        if distinct:
            return f"Error: no such container {learner}"
        if roll < 0.6:
            return key
        return "137" if question.ask == "exit-code" else f"Error: no such container web{rng.randrange(1200)}"
    letters = list(question.letters)
    if roll < 0.6:
        return list(key) if isinstance(key, tuple) else key
    if roll < 0.95:
        pick = rng.choice(letters)
        return [pick] if question.select == "many" else pick
    return "zz"


def make_class(directory: Path, quizzes, learners: int, *, distinct: bool = False, seed: int = 18) -> tuple[int, int,
                                                                                                           int]:
    """Write every learner's submission to every quiz; returns (submissions, answers, distinct answers)."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    grader = Grader()
    submissions = answers = 0
    seen: set[tuple[str, str, str]] = set()
    for i in range(learners):
        learner = f"s{i:05d}"
        for quiz in quizzes:
            given = {q.id: answer(grader, quiz, q, learner, rng, distinct) for q in quiz.questions}
            given = {k: v for k, v in given.items() if v is not None}
            seen.update((quiz.id, k, json.dumps(v)) for k, v in given.items())
            if i % 2:
                text = json.dumps({"learner": learner, "quiz": quiz.id, "answers": given})
                (directory / f"{learner}-{quiz.id}.json").write_text(text)
            else:
                (directory / f"{learner}-{quiz.id}.yaml").write_text(dump_submission(learner, quiz.id, given))
            submissions += 1
            answers += len(quiz.questions)
    for name, text in HOSTILE.items():
        (directory / name).write_text(text)
    return submissions, answers, len(seen)


def floor(quizzes, subs: Path) -> float:
    """Seconds to list, read, SHA-256 and parse every file of ``subs`` in this process (best of two)."""
    by_id = {q.id: q for q in quizzes}
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        for path in submission_files([subs]):
            try:
                data, digest = read_file(path)
                parse_submission(data, path, by_id, digest)
            except SubmissionRejected:
                pass
        best = min(best, time.perf_counter() - start)
    return best


def grade(quiz_path: Path, subs: Path, out: Path, jobs: int, *, feedback: bool = False) -> tuple[float, float, int,
                                                                                                 float]:
    """``imageshare grade`` in a fresh process: (wall s, CPU s of all processes, peak RSS of the grader process in
    KiB, CPU s of the grader process alone)."""
    out.mkdir(exist_ok=True)
    argv = [str(quiz_path), str(subs), "--db", str(out / "gradebook.sqlite"), "--csv", str(out / "grades.csv"),
            "--jobs", str(jobs)]
    if feedback:
        argv += ["--feedback", str(out / "feedback")]
    rss = out / "rss"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(IMAGESHARE + ["grade"] + argv, capture_output=True, text=True,
                          env=dict(_ENV, IMAGESHARE_RSS=str(rss)))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        sys.exit(f"imageshare grade failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    peak, main_cpu = rss.read_text().split()
    return wall, cpu, int(peak), float(main_cpu)


#: The environment of every grade process (``compile_package``).
_ENV: dict[str, str] = dict(os.environ)


def compile_package(folder: Path) -> None:
    """Run the grade processes with the package's bytecode cached in ``folder`` (compiled now, never into the
    source tree), as an installed package runs."""
    _ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    _ENV["PYTHONPYCACHEPREFIX"] = str(folder)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "sandbox")], env=_ENV, check=True,
                   stdout=subprocess.DEVNULL)


def realistic(tmp: Path, learners: int) -> None:
    quiz_dir = realistic_quiz(tmp / "quiz")
    quizzes = [load_file(quiz_dir / "bench.yaml")]
    subs = tmp / "realistic"
    submissions, answers, distinct = make_class(subs, quizzes, learners)
    base = floor(quizzes, subs)
    print(f"realistic class: {learners} learners x 9 questions = {submissions} files, {answers} answers, "
          f"{distinct} distinct (+{len(HOSTILE)} hostile files)")
    print(f"  floor (list, read, SHA-256, parse every file in one process): {base:.3f} s")
    for jobs in (1, 2):
        wall, cpu, rss, main_cpu = grade(quiz_dir, subs, tmp / f"realistic-{jobs}", jobs)
        print(f"  grade --jobs {jobs}: {wall:6.2f} s = {wall / base:5.1f}x the floor, {answers / wall:7.0f} answers/s, "
              f"{cpu:6.2f} s CPU ({main_cpu:.2f} s of it the grader process), grader peak RSS {rss / 1024:.0f} MiB")
    wall, cpu, rss, main_cpu = grade(quiz_dir, subs, tmp / "realistic-2", 2)
    print(f"  re-run (nothing new) --jobs 2: {wall:6.2f} s = {wall / base:5.1f}x the floor, {cpu:.2f} s CPU "
          f"({main_cpu:.2f} s the grader process), grader peak RSS {rss / 1024:.0f} MiB")


def mostly_distinct(tmp: Path, learners: int) -> None:
    quiz_dir = realistic_quiz(tmp / "quiz")
    quizzes = [load_file(quiz_dir / "bench.yaml")]
    subs = tmp / "distinct"
    submissions, answers, distinct = make_class(subs, quizzes, learners, distinct=True)
    print(f"mostly distinct class: {learners} learners x 9 questions, {answers} answers, {distinct} distinct")
    walls = {}
    for jobs in (1, 2):
        walls[jobs], cpu, _, main_cpu = grade(quiz_dir, subs, tmp / f"distinct-{jobs}", jobs)
        print(f"  grade --jobs {jobs}: {walls[jobs]:6.2f} s, {answers / walls[jobs]:6.0f} answers/s, {cpu:6.2f} s CPU "
              f"({main_cpu:.2f} s the grader process)")
    print(f"  --jobs 2 speed-up over --jobs 1: {walls[1] / walls[2]:.2f}x")


def big(tmp: Path, learners: int) -> None:
    quiz_dir = realistic_quiz(tmp / "quiz")
    quizzes = [load_file(quiz_dir / "bench.yaml")]
    subs = tmp / "big"
    submissions, answers, distinct = make_class(subs, quizzes, learners)
    base = floor(quizzes, subs)
    print(f"big class: {learners} learners x 9 questions, {answers} answers, {distinct} distinct; floor {base:.3f} s")
    wall, cpu, rss, main_cpu = grade(quiz_dir, subs, tmp / "big-2", 2)
    print(f"  grade --jobs 2: {wall:6.2f} s = {wall / base:5.1f}x the floor, {answers / wall:7.0f} answers/s, "
          f"{cpu:.2f} s CPU ({main_cpu:.2f} s the grader process), grader peak RSS {rss / 1024:.0f} MiB")
    wall, cpu, rss, main_cpu = grade(quiz_dir, subs, tmp / "big-2", 2)
    print(f"  re-run (nothing new) --jobs 2: {wall:6.2f} s = {wall / base:5.1f}x the floor, {cpu:.2f} s CPU "
          f"({main_cpu:.2f} s the grader process), grader peak RSS {rss / 1024:.0f} MiB")


def bank(tmp: Path, learners: int) -> None:
    quizzes = load_all([QUIZZES])
    subs = tmp / "bank"
    submissions, answers, distinct = make_class(subs, quizzes, learners, seed=4)
    print(f"bank class (issue 4): {learners} learners x {len(quizzes)} quizzes = {submissions} submissions, "
          f"{answers} answers; CSV and feedback")
    for jobs in (1, 2):
        wall, cpu, _, _ = grade(QUIZZES, subs, tmp / f"bank-{jobs}", jobs, feedback=True)
        print(f"  --jobs {jobs}: {wall:6.2f} s wall, {answers / wall:6.0f} graded answers/s, {wall / submissions:.5f} "
              f"s/submission; {cpu:6.2f} s CPU in all processes = {answers / cpu:6.0f} graded answers per CPU-second")


def main(argv: list[str]) -> None:
    learners, big_class, bank_class = (int(a) for a in (argv + ["5000", "20000", "1000"][len(argv):]))
    with tempfile.TemporaryDirectory() as tmp:
        compile_package(Path(tmp) / "bytecode")
        for part, n in ((realistic, learners), (mostly_distinct, learners // 5), (big, big_class),
                        (bank, bank_class)):
            if n:
                here = Path(tmp) / part.__name__
                here.mkdir()
                (here / "quiz").mkdir()
                part(here, n)
                sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:4])
