"""Every quiz in ``quizzes/`` is itself a test: its keys are replayed and must agree with the authors' answers.

Also the bank's promises (size, kinds, variables, coverage) and the JSON Schema editors validate with.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sandbox.quiz.grader import Grader
from sandbox.quiz.loader import load_all, load_file, plain
from sandbox.quiz.model import ASKS, CHECKS, KINDS, SELECTS, STATUSES

QUIZZES = Path(__file__).resolve().parents[2] / "quizzes"
FILES = sorted(QUIZZES.glob("*.yaml"))
SCHEMA = QUIZZES / "quiz.schema.json"


@pytest.fixture(scope="module")
def grader() -> Grader:
    return Grader()


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_quiz_file_checks_clean(path: Path, grader: Grader) -> None:
    quiz = load_file(path)
    problems = [f"{f.path}:{f.line}: {f.question_id} variant {f.variant}: {p}"
                for f in grader.check(quiz) for p in f.problems]
    assert problems == []


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_key_earns_full_marks_and_a_wrong_answer_does_not(path: Path, grader: Grader) -> None:
    quiz = load_file(path)
    for q in quiz.questions:
        key = grader.key(q, 0)
        right = grader.grade(q, key.value, quiz_id=quiz.id, variant=0)
        assert right.correct and right.score == q.points, (q.id, right.feedback)
        assert q.explain.strip(), f"{q.id} has no explain"
        if q.kind in ("which-fails", "which-succeeds", "outcome", "choice"):
            wrong = next(c.key for c in q.choices if c.key not in key.value)
            assert not grader.grade(q, wrong, quiz_id=quiz.id, variant=0).correct


def test_the_bank_is_big_and_varied_enough() -> None:
    quizzes = load_all([QUIZZES])
    questions = [q for quiz in quizzes for q in quiz.questions]
    assert len(quizzes) >= 4
    assert len(questions) >= 20
    assert sum(q.kind == "task" for q in questions) >= 6
    assert sum(bool(q.vars) for q in questions) >= 3
    assert {q.kind for q in questions} == set(KINDS)


COVERAGE = {
    "the course's build/run/stop question": ("course-questions", "build-run-stop"),
    "the course's --rm stop question": ("course-questions", "rm-stop"),
    "the course's idea behind tags": ("course-questions", "tag-idea"),
    "sharing images, not containers": ("course-questions", "share-images"),
    "login": ("login-and-push", "login"),
    "logout": ("login-and-push", "logout-then-push"),
    "latest by default": ("names-and-tags", "latest-default"),
    "registry/namespace/repo:tag": ("names-and-tags", "registry-part"),
    "retagging for an account": ("names-and-tags", "retag-for-account"),
    "push needs login": ("login-and-push", "push-needs-login"),
    "namespace ownership": ("login-and-push", "push-namespaces"),
    "layer reuse (mounted, already exists)": ("login-and-push", "mounted-layers"),
    "versions": ("login-and-push", "push-version"),
    "public pull without login": ("pull", "pull-without-login"),
    "private pull with login": ("pull", "pull-private"),
    "pull fetches the tag asked, not always latest": ("pull", "pull-fetches-the-tag-asked"),
    "run pulls when missing": ("pull", "run-pulls-missing"),
    "a stale latest is not refreshed": ("pull", "stale-latest"),
    "private registry on localhost:5000": ("private-registry", "push-to-local-registry"),
    "localhost is per host": ("private-registry", "localhost-is-per-host"),
    "build on one host, run on another": ("two-hosts", "build-push-run-elsewhere"),
}


@pytest.mark.parametrize("point", COVERAGE)
def test_the_bank_covers_the_course(point: str) -> None:
    quiz_id, question_id = COVERAGE[point]
    quiz = next(q for q in load_all([QUIZZES]) if q.id == quiz_id)
    assert quiz.question(question_id) is not None


def test_schema_is_valid_json_and_names_every_kind_check_and_option() -> None:
    schema = json.loads(SCHEMA.read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    text = SCHEMA.read_text()
    for word in KINDS + CHECKS + ASKS + SELECTS + STATUSES:
        assert f'"{word}"' in text, word
    assert set(schema["$defs"]["question"]["properties"]["kind"]["enum"]) == set(KINDS)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_quiz_file_validates_against_the_schema(path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(plain(path.read_text(), str(path))), key=str)
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []


def test_schema_refuses_what_the_loader_refuses() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))
    good = plain((QUIZZES / "course-questions.yaml").read_text())
    assert validator.is_valid(good)
    bad_kind = json.loads(json.dumps(good))
    bad_kind["questions"][0]["kind"] = "which-fail"
    assert not validator.is_valid(bad_kind)
    goal_in_choice = json.loads(json.dumps(good))
    goal_in_choice["questions"][4]["goal"] = [{"image": "x"}]
    assert not validator.is_valid(goal_in_choice)
    two_checks = json.loads(json.dumps(good))
    two_checks["questions"][0]["choices"]["a"]["holds"][0] = {"image": "x", "no-image": "y"}
    assert not validator.is_valid(two_checks)
