"""Grades remembered by what decides them, so a class that repeats an answer has it graded once.

A grade is a function of the question, the quiz, the variant, the order the learner saw the choices in (the
feedback speaks the learner's letters), whether the key may be revealed, and the answer exactly as given: never of
who the learner is beyond the variant and that order. The memo is bounded by entries and by the bytes of what it
holds, least recently used out first, so a hostile class of all-distinct (and maximal) answers costs one bound, not
memory without limit.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Hashable

from sandbox.quiz.model import Grade, Question

#: What an entry costs besides its texts: the key, the Grade object, the dictionary slot (a rough, generous figure).
ENTRY_OVERHEAD = 512


def answer_key(answer: Any) -> Hashable | None:
    """``answer`` as a memo key that tells apart every answer the grader tells apart (``1``, ``True``, ``1.0``,
    ``"1"``, ``-0.0``, ``["a"]``, ``"a"``), or None for an answer of a kind a submission cannot hold (not
    remembered: graded each time)."""
    kind = type(answer)
    if kind is str or kind is int or kind is bool or answer is None:
        return kind, answer
    if kind is float:  # 0.0 == -0.0 and nan != nan, but the grader prints their repr
        return kind, repr(answer)
    if kind is tuple or kind is list:
        items = tuple(answer_key(a) for a in answer)
        return None if None in items else (kind, items)
    return None


def _chars(key: Hashable) -> int:
    if isinstance(key, tuple):
        return sum(_chars(k) for k in key) + 16
    return len(key) if isinstance(key, str) else 16


class GradeMemo:
    """Grades by (question, quiz, variant, choice order, reveal, answer), at most ``entries`` of them holding at
    most ``size`` bytes of text; the least recently used go first."""

    #: The defaults: enough for every distinct answer of a large class, small beside a worker's memory limit.
    entries = 16384
    size = 16 << 20

    def __init__(self, entries: int = entries, size: int = size) -> None:
        self.entries, self.size = entries, size
        self.held = 0
        self._grades: OrderedDict[Hashable, tuple[Question, Grade, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._grades)

    def get(self, question: Question, key: Hashable) -> Grade | None:
        """The grade remembered for ``question`` under ``key`` (from ``GradeMemo.key``), or None."""
        hit = self._grades.get(key)
        if hit is None or hit[0] is not question:  # the slot names the question by id(): a reloaded one is new
            return None
        self._grades.move_to_end(key)
        return hit[1]

    def put(self, question: Question, key: Hashable, grade: Grade) -> None:
        """Remember ``grade``; forgets the least recently used grades past either bound (one over the byte bound
        by itself is not kept)."""
        cost = (ENTRY_OVERHEAD + _chars(key) + len(grade.feedback) + len(grade.explain)
                + sum(map(len, grade.evidence)) + sum(map(len, grade.events)))
        if cost > self.size:
            return
        old = self._grades.pop(key, None)
        if old is not None:
            self.held -= old[2]
        self._grades[key] = (question, grade, cost)
        self.held += cost
        while len(self._grades) > self.entries or self.held > self.size:
            self.held -= self._grades.popitem(last=False)[1][2]

    @staticmethod
    def key(question: Question, quiz_id: str, variant: int, order: tuple[str, ...], reveal: bool,
            answer: Any) -> Hashable | None:
        """What decides a grade, as a key; None when the answer cannot be a key (it is graded each time)."""
        given = answer_key(answer)
        return None if given is None else (id(question), quiz_id, variant, order, reveal, given)
