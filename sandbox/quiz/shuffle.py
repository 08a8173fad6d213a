"""Each learner's order of a question's choices, and the letters they see beside the author's.

A learner sees the choices in an order of their own, drawn from SHA-256 of (quiz id, question id, variant, learner
id): the same in every process and on every machine (Python's ``hash()`` is salted per process), different between
learners and between variants, so a key letter passed along is worth nothing. The positions keep the author's
letters in the order written: with choices ``a, b, c`` shown as ``c, a, b``, the learner's ``a)`` is the author's
``c``. Answers are read in the learner's letters and graded, stored and counted in the author's.

An anonymous learner, a question with ``shuffle: false`` and a question without letters see the author's order.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable

from sandbox.quiz.model import LETTER_KINDS, Choice, Question


@dataclass(frozen=True)
class ChoiceOrder:
    """The author's letters in the order one learner sees them; ``labels`` are the letters that learner reads."""

    #: The author's letters in the order written: the labels a learner reads, position by position.
    labels: tuple[str, ...]
    #: The author's letter shown at each position.
    shown: tuple[str, ...]

    @property
    def shuffled(self) -> bool:
        """True when the learner's letters differ from the author's."""
        return self.shown != self.labels

    def author(self, label: str) -> str:
        """The author's letter behind the learner's ``label``; raises ``ValueError`` for a letter not shown."""
        return self.shown[self.labels.index(label)]

    def label(self, author: str) -> str:
        """The learner's letter for the author's ``author``; raises ``ValueError`` for a letter the question lacks."""
        return self.labels[self.shown.index(author)]

    def labelled(self, letters: Iterable[str]) -> tuple[str, ...]:
        """The author's ``letters`` as the learner's, sorted; letters the question lacks pass unchanged."""
        return tuple(sorted(self.label(x) if x in self.shown else x for x in letters))

    def choices(self, question: Question) -> tuple[tuple[str, Choice], ...]:
        """``(learner's letter, choice)`` in the order the learner sees them."""
        return tuple((label, question.choice(author)) for label, author in zip(self.labels, self.shown))


def choice_order(quiz_id: str, question: Question, variant: int, learner: str | None) -> ChoiceOrder:
    """The order ``learner`` sees the choices of ``variant`` of ``question`` in (the author's for anonymous learners,
    ``shuffle: false`` and questions without choices)."""
    letters = question.letters if question.kind in LETTER_KINDS else ()
    return letters_order(quiz_id, question.id, letters, variant, learner, shuffle=question.shuffle)


def letters_order(quiz_id: str, question_id: str, letters: tuple[str, ...], variant: int, learner: str | None, *,
                  shuffle: bool = True) -> ChoiceOrder:
    """The order ``learner`` sees ``letters`` (the author's, as written) of ``variant`` of question ``question_id``
    in: what ``choice_order`` decides, from the facts a gradebook stores, so feedback recomputes the order the
    learner saw instead of storing it."""
    letters = tuple(letters)
    if not learner or not shuffle or len(letters) < 2:
        return ChoiceOrder(letters, letters)
    seed = hashlib.sha256(f"{quiz_id}\0{question_id}\0{variant}\0{learner}".encode()).digest()
    shown = list(letters)
    # Fisher-Yates, each draw 8 bytes of SHA-256 in counter mode: with at most 26 choices the modulo bias is below
    # 2**-59, and the stream is the same on every machine.
    for i in range(len(shown) - 1, 0, -1):
        block = hashlib.sha256(seed + i.to_bytes(2, "big")).digest()
        j = int.from_bytes(block[:8], "big") % (i + 1)
        shown[i], shown[j] = shown[j], shown[i]
    return ChoiceOrder(letters, tuple(shown))
