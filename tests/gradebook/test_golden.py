"""The same class gives the same bytes: ``data/golden/`` holds what the grader of commit 0812c92 printed and wrote for
a class of 48 learners over the whole quiz bank (shuffled letters, resubmissions with and without ``submitted_at``,
misspelt question ids, long and malformed answers, hostile files): the run's summary, a re-run's, the CSV, the JSON,
the report and three learners' feedback pages (those as of fdb1a9a, which added variant files and choice order).
However grading, recording and reading back are made faster, a gradebook built from these files must export exactly
these bytes.

A change meant to alter what the grader prints or writes regenerates them with
``python -m tests.gradebook.test_golden`` and shows the difference in its own commit."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .conftest import grade, gradebook

GOLDEN = Path(__file__).parent / "data" / "golden"
BANK = Path(__file__).parents[2] / "quizzes"
#: The learners whose feedback pages are compared: one with a capital (its file name is mangled), one who handed
#: the same quiz in twice, one with a misspelt question id.
FEEDBACK = ("ada7~1.md", "ada7~1.html", "s001.md", "s001.html", "s003.md", "s003.html")


def outputs(workdir: Path, jobs: int, db: str = "g.sqlite") -> dict[str, bytes]:
    """Grade the golden class in ``workdir`` (paths in the outputs are relative to it) with ``jobs`` processes into
    the gradebook ``db``; returns every compared output by its golden file name."""
    files = json.loads((GOLDEN / "class.json").read_text(encoding="utf-8"))
    for name, text in files.items():
        path = workdir / "class" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    here = os.getcwd()
    os.chdir(workdir)
    try:
        first = grade(BANK, "class", "--db", db, "--csv", "grades.csv", "--feedback", "feedback",
                      "--jobs", str(jobs))
        again = grade(BANK, "class", "--db", db, "--jobs", str(jobs))
        exported = gradebook("export", "--db", db, "--json", "-")
        assert gradebook("report", "--db", db, "-o", "report.html").code == 0
        out = {
            "summary.txt": f"exit {first.code}\n{first.out}".encode(),
            "rerun.txt": f"exit {again.code}\n{again.out}".encode(),
            "grades.csv": (workdir / "grades.csv").read_bytes(),
            "gradebook.json": exported.out.encode(),
            "report.html": (workdir / "report.html").read_bytes(),
        }
        out.update({f"feedback/{name}": (workdir / "feedback" / name).read_bytes() for name in FEEDBACK})
        return out
    finally:
        os.chdir(here)


@pytest.mark.parametrize("backend, jobs", [("sqlite", 1), ("sqlite", 2), ("postgresql", 2)])
def test_the_golden_class_exports_the_same_bytes(request: pytest.FixtureRequest, tmp_path: Path, backend: str,
                                                 jobs: int) -> None:
    db = "g.sqlite" if backend == "sqlite" else request.getfixturevalue("postgres").database()
    for name, data in outputs(tmp_path, jobs, db).items():
        assert data == (GOLDEN / name).read_bytes(), f"{name} differs from data/golden/{name}"


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for name, data in outputs(Path(tmp), 1).items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(data)
