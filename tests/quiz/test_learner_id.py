"""One rule for learner ids: what an LMS export holds and a file name can hold, used by the widget, ``quiz take``
and the grader alike."""

from __future__ import annotations

import pytest

from sandbox.quiz.learner_id import is_learner_id


@pytest.mark.parametrize("good", ["ada", "s1234567", "ada.lovelace@uni.edu", "a+b", "a_", "A-1", "x" * 128])
def test_plain_ids_and_email_addresses_are_ids(good: str) -> None:
    assert is_learner_id(good)


@pytest.mark.parametrize("bad", ["", "ada.", "a..b", ".hidden", "-x", "=cmd", "a/b", "a b", "ada\n", "ada\x1b[2J",
                                 "x" * 129, "ád", 7, None, ["ada"]])
def test_everything_else_is_not(bad: object) -> None:
    assert not is_learner_id(bad)
