"""Per-learner variants: placeholders, the cartesian product of ``vars``, and a learner's stable variant."""

from __future__ import annotations

import pytest

from sandbox.quiz.loader import parse
from sandbox.quiz.variables import (
    UndefinedVariable,
    assignment,
    placeholders,
    resolve,
    substitute,
    variant_count,
    variant_for,
)

QUIZ = """
quiz: v
title: Variables
questions:
  - id: push
    kind: task
    vars: {tag: ["0.0.1", "1.2.0", "2.0"], user: [learner, alice]}
    prompt: Push ${user}/web:${tag}, not $${HOME}
    goal:
      - pushed: ${user}/web:${tag}
    solution:
      - docker tag alpine ${user}/web:${tag}
      - docker push ${user}/web:${tag}
"""


@pytest.fixture
def question():
    return parse(QUIZ).questions[0]


def test_substitute_fills_placeholders_and_unescapes_double_dollar() -> None:
    assert substitute("a ${x} $${y} $z", {"x": "1"}) == "a 1 ${y} $z"


def test_substitute_raises_for_an_undefined_name() -> None:
    with pytest.raises(UndefinedVariable) as e:
        substitute("${nope}", {"x": "1"})
    assert e.value.name == "nope"


def test_substitute_raises_for_a_malformed_placeholder() -> None:
    with pytest.raises(UndefinedVariable) as e:
        substitute("${ x }", {"x": "1"})
    assert e.value.name is None


def test_placeholders_lists_names_in_order_skipping_escapes() -> None:
    assert placeholders("${a} $${b} ${c} ${") == ["a", "c", None]


def test_variants_are_the_product_of_the_lists_first_variable_slowest(question) -> None:
    assert variant_count(question) == 6
    assert [assignment(question, v) for v in range(6)] == [
        {"tag": "0.0.1", "user": "learner"},
        {"tag": "0.0.1", "user": "alice"},
        {"tag": "1.2.0", "user": "learner"},
        {"tag": "1.2.0", "user": "alice"},
        {"tag": "2.0", "user": "learner"},
        {"tag": "2.0", "user": "alice"},
    ]


def test_resolve_fills_every_field_and_records_the_variant(question) -> None:
    q = resolve(question, 3)
    assert q.variant == 3
    assert q.prompt == "Push alice/web:1.2.0, not ${HOME}"
    assert q.goal[0].subject == "alice/web:1.2.0"
    assert [c.line for c in q.solution] == ["docker tag alpine alice/web:1.2.0", "docker push alice/web:1.2.0"]
    assert q.id == "push" and q.vars == question.vars


def test_variant_for_is_stable_across_processes_and_machines() -> None:
    # The first 8 bytes of SHA-256("q\0push\0ada"), big-endian, mod 1000: fixed forever, unlike Python's salted hash().
    assert variant_for("q", "push", "ada", 1000) == 541


def test_variant_for_spreads_learners_over_variants() -> None:
    seen = {variant_for("q", "push", f"learner{i}", 6) for i in range(200)}
    assert seen == set(range(6))


def test_anonymous_learner_and_single_variant_get_variant_zero() -> None:
    assert variant_for("q", "push", None, 6) == 0
    assert variant_for("q", "push", "", 6) == 0
    assert variant_for("q", "push", "ada", 1) == 0
