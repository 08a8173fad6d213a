"""The "did you mean" hint, as BuildKit's ``util/suggest`` and cobra's suggestions compute it: the option nearest by
Levenshtein distance, if it is near enough.

One bounded implementation for every hint (Dockerfile instructions, quiz and submission fields, question ids, state
checks): a word whose length is further from an option's than the distance allowed cannot match it and is never
measured, so the work is bounded by the options' lengths, not the word's (a 512 KB first word in a Dockerfile took
15-28 s through an unbounded distance).
"""

from __future__ import annotations

from collections.abc import Iterable

#: BuildKit suggests an instruction at distance below 3; the same reach serves every hint.
WITHIN = 2


def distance(a: str, b: str, within: int = WITHIN) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``within + 1`` as soon as it is known to exceed ``within``."""
    if abs(len(a) - len(b)) > within:
        return within + 1
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        if min(current) > within:  # every path through this row already costs more
            return within + 1
        previous = current
    return min(previous[-1], within + 1)


def closest(word: str, options: Iterable[str], within: int = WITHIN, *, scaled: bool = False) -> str | None:
    """The option nearest to ``word`` at distance at most ``within`` (the first in ``options`` order on a tie), or
    None. ``scaled`` also keeps a short option from matching any short word: an option of n characters is near at
    most n // 3 edits (``learnr`` -> ``learner``, but not ``some`` -> ``one``)."""
    best, best_distance = None, within + 1
    for option in options:
        reach = min(within, len(option) // 3) if scaled else within
        d = distance(word, option, reach)
        if d <= reach and d < best_distance:
            best, best_distance = option, d
    return best
