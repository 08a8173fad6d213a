"""Answers computed from the gradebook that a run would otherwise compute again from the same rows: the summary
``imageshare grade`` prints and the hash of the CSV it writes. Each is kept in the gradebook with the generation it
was computed at (``Gradebook.generation``, counted by the database on every change) and with the version of the code
that computed it, and is used only while both are the same: a re-run that grades nothing reads one row instead of
every grade of the class, and prints and writes exactly what computing it again would.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Callable, TypeVar

from sandbox.gradebook.store import Gradebook

T = TypeVar("T")


@cache
def code_version(*modules: ModuleType) -> str:
    """A hash of the source of ``modules``: what they computed is not reused once their code changes (an upgrade,
    or a checkout of another commit, that computes a summary another way)."""
    digest = hashlib.sha256()
    for module in modules:
        digest.update(Path(module.__file__ or "").read_bytes() if module.__file__ else module.__name__.encode())
    return digest.hexdigest()[:16]


def remembered(book: Gradebook, name: str, compute: Callable[[], T], encode: Callable[[T], str],
               decode: Callable[[str], T]) -> T:
    """``compute()``, or what it gave when the gradebook was last as it is now. ``name`` names the answer and
    everything it depends on besides the gradebook (its arguments, ``code_version``)."""
    generation = book.generation()  # read first: what is computed next is at least this generation's
    kept = book.cached(name, generation)
    if kept is not None:
        return decode(kept)
    value = compute()
    book.keep(name, generation, encode(value))
    return value
