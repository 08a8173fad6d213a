"""The one "did you mean" hint: Levenshtein distance, bounded by the options' lengths rather than the word's."""

from __future__ import annotations

import time
from pathlib import Path

import sandbox

from sandbox.suggest import closest, distance


def test_distance_is_levenshtein_up_to_the_bound() -> None:
    assert distance("FRM", "FROM") == 1
    assert distance("kitten", "sitting", within=3) == 3
    assert distance("kitten", "sitting", within=2) == 3  # known to exceed 2: reported as within + 1


def test_nearest_option_within_reach_or_none() -> None:
    assert closest("COPYY", ["ADD", "COPY", "RUN"]) == "COPY"
    assert closest("XYZZY", ["ADD", "COPY", "RUN"]) is None
    assert closest("learnr", ["learner", "quiz"], scaled=True) == "learner"
    assert closest("some", ["one", "many"], scaled=True) is None  # a short option is no hint for any short word


def test_a_huge_word_costs_nothing() -> None:
    start = time.perf_counter()
    assert closest("X" * (1 << 20), ["FROM", "RUN"] * 100) is None
    assert closest("FROM" * 100_000, ["FROM" * 2]) is None
    assert time.perf_counter() - start < 0.5


def test_every_hint_goes_through_the_one_bounded_function() -> None:
    package = Path(sandbox.__file__).parent
    unbounded = [str(p.relative_to(package)) for p in package.rglob("*.py") if "difflib" in p.read_text()]
    assert unbounded == []
