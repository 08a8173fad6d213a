"""Speed of grading a class: generates LEARNERS learners' submissions to every quiz in quizzes/ (a mix of right,
wrong, missing and malformed answers, a few hostile files), grades them with ``imageshare grade`` in a fresh process
into a new gradebook with CSV and feedback, for --jobs 1 and --jobs 2, and prints graded answers per second (of wall
time, and per CPU-second of all processes: what one process does) and seconds per submission.
Targets (issue 4): >= 2,000 graded answers/s per process; 1,000 learners x the bank in <= 15 s wall with --jobs 2.

Run: .venv/bin/python benchmarks/grade_bench.py [LEARNERS]
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sandbox.quiz import Grader, load_all
from sandbox.quiz.loader import dump_submission

ROOT = Path(__file__).resolve().parents[1]
QUIZZES = ROOT / "quizzes"
IMAGESHARE = [sys.executable, "-c", "import sys; from sandbox.entrypoint import main; sys.exit(main())"]
HOSTILE = {
    "python-tag.yaml": "learner: !!python/object/apply:os.system [echo pwned]\nquiz: pull\nanswers: {}\n",
    "bad-learner.yaml": "learner: ../../etc/passwd\nquiz: pull\nanswers: {}\n",
    "not-yaml.yaml": "learner: [unclosed\n",
    "unknown-quiz.json": '{"learner": "zed", "quiz": "no-such-quiz", "answers": {}}',
}


def answer(grader: Grader, quiz, question, learner: str, rng: random.Random):
    """A realistic answer: mostly the key, often a wrong one, sometimes malformed or missing."""
    key = grader.key(question, grader.variant(quiz.id, question, learner)).value
    roll = rng.random()
    if roll < 0.05:
        return None
    if question.kind == "task":
        if roll < 0.65:
            return list(key)
        if roll < 0.9:
            return list(key[:1]) or ["docker images"]
        return ["docker images", "docker push learner/nothing:1"]
    if question.kind == "output":
        return key if roll < 0.6 else ("137" if question.ask == "exit-code" else "no such image")
    letters = list(question.letters)
    if roll < 0.6:
        return list(key) if isinstance(key, tuple) else key
    if roll < 0.95:
        pick = rng.choice(letters)
        return [pick] if question.select == "many" else pick
    return "zz"


def make_class(directory: Path, learners: int, seed: int = 4) -> tuple[int, int]:
    """Write every learner's submission to every quiz; returns (submissions, answers)."""
    rng = random.Random(seed)
    quizzes = load_all([QUIZZES])
    grader = Grader()
    submissions = answers = 0
    for i in range(learners):
        learner = f"s{i:05d}"
        for quiz in quizzes:
            given = {q.id: answer(grader, quiz, q, learner, rng) for q in quiz.questions}
            given = {k: v for k, v in given.items() if v is not None}
            if i % 2:
                text = json.dumps({"learner": learner, "quiz": quiz.id, "answers": given})
                (directory / f"{learner}-{quiz.id}.json").write_text(text)
            else:
                (directory / f"{learner}-{quiz.id}.yaml").write_text(dump_submission(learner, quiz.id, given))
            submissions += 1
            answers += len(quiz.questions)
    for name, text in HOSTILE.items():
        (directory / name).write_text(text)
    return submissions, answers


def bench(learners: int) -> None:
    """Make the class, then grade it in a fresh ``imageshare grade`` process per --jobs value; print the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        subs = Path(tmp) / "submissions"
        subs.mkdir()
        submissions, answers = make_class(subs, learners)
        print(f"class: {learners} learners x {len(load_all([QUIZZES]))} quizzes = {submissions} submissions, "
              f"{answers} answers (+{len(HOSTILE)} hostile files); each run: a fresh process, a new gradebook, "
              "CSV and feedback")
        for jobs in (1, 2):
            out = Path(tmp) / f"jobs{jobs}"
            out.mkdir()
            argv = [str(QUIZZES), str(subs), "--db", str(out / "gradebook.sqlite"), "--csv", str(out / "grades.csv"),
                    "--feedback", str(out / "feedback"), "--jobs", str(jobs)]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run(IMAGESHARE + ["grade"] + argv, capture_output=True, text=True)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            files = len(os.listdir(out / "feedback"))
            print(f"--jobs {jobs}: {wall:6.2f} s wall, {answers / wall:6.0f} graded answers/s, "
                  f"{wall / submissions:.5f} s/submission; {cpu:6.2f} s CPU in all processes = "
                  f"{answers / cpu:6.0f} graded answers per CPU-second; exit {done.returncode}, {files} feedback files")


if __name__ == "__main__":
    bench(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
