"""Answers computed from the gradebook that a run would otherwise compute again from the same rows: the summary
``imageshare grade`` prints and the hash of the CSV it writes. Each is kept in the gradebook with the generation it
was computed at (``Gradebook.generation``, counted by the database on every change) and with the version of the code
that computed it, and is used only while both are the same: a re-run that grades nothing reads one row instead of
every grade of the class, and prints and writes exactly what computing it again would.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Callable, Iterable, TypeVar

from sandbox.gradebook import store
from sandbox.gradebook.store import Gradebook

T = TypeVar("T")


@cache
def code_version(*modules: ModuleType) -> str:
    """A hash of the source of ``modules``: what they computed is not reused once their code changes (an upgrade,
    or a checkout of another commit, that computes a summary another way)."""
    digest = hashlib.sha256()
    for module in modules:
        digest.update(Path(module.__file__).read_bytes() if module.__file__ else module.__name__.encode())
    return digest.hexdigest()[:16]


def answer_name(what: str, module: ModuleType, quiz_ids: Iterable[str] | None) -> tuple[str, list[str] | None]:
    """The name an answer about ``quiz_ids`` (None: all quizzes) is kept under, computed by ``module`` from the
    gradebook (``store``), and the quiz ids as it is computed from them: sorted, each once, so the same quizzes named
    in another order are the same answer."""
    ids = None if quiz_ids is None else sorted(set(quiz_ids))
    return f"{what} {code_version(module, store)} {json.dumps(ids)}", ids


def remembered(book: Gradebook, name: str, compute: Callable[[], T], encode: Callable[[T], str],
               decode: Callable[[str], T], *, holds: Callable[[str], bool] = lambda kept: True) -> T:
    """``compute()``, or what it gave when the gradebook was last as it is now (and, when it leaves something
    outside the gradebook, such as a file, ``holds`` says that is still there). ``name`` names the answer and
    everything it depends on besides the gradebook (``answer_name``)."""
    generation = book.generation()  # read first: what is computed next is at least this generation's
    kept = book.cached(name, generation)
    if kept is not None and holds(kept):
        return decode(kept)
    value = compute()
    book.keep(name, generation, encode(value))
    return value
