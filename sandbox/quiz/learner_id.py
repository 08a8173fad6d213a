"""The one rule for a learner id, shared by everything that accepts one: the quiz widget's "Your ID" field,
``imageshare quiz take --as``, and the submission files ``imageshare grade`` reads.

An id is what an LMS export holds (``ada``, ``s1234567``, ``ada.lovelace@uni.edu``) and what a file name can hold on
every system: letters, digits and ``. _ @ + -``, at most 128, starting with a letter or digit (so it can neither hide
as ``.name`` nor start a CSV formula), not ending with ``.`` (Windows drops it), no ``..``, no separators, spaces or
control characters.
"""

from __future__ import annotations

import re
from typing import Any

MAX_CHARS = 128
LEARNER_ID = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._@+-]{0,%d}[A-Za-z0-9_@+-])?" % (MAX_CHARS - 2))
#: The rule in one sentence, as every front end says it.
RULE = (f"use letters, digits and . _ @ + - (at most {MAX_CHARS}, starting with a letter or digit, not ending "
        "with '.'; no '/', '..', spaces or control characters)")


def is_learner_id(value: Any) -> bool:
    """Whether ``value`` is a learner id by the one rule."""
    return isinstance(value, str) and LEARNER_ID.fullmatch(value) is not None and ".." not in value
