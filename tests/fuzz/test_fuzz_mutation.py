"""The seeded mutation fuzzer (:mod:`.mutation`) over every starting world: the same lines on every machine, many
more per second than Hypothesis, each held to the properties of :mod:`.properties`."""

from __future__ import annotations

import pytest

from . import tally
from .budget import budget
from .mutation import Mutator
from .properties import run_and_check
from .worlds import worlds

#: Lines typed into one fork of a world before the next world is forked: long enough for state to build up.
SESSION = 12
SEEDS = (1, 2)


@pytest.mark.parametrize("seed", SEEDS)
def test_mutated_lines_keep_every_property(seed: int) -> None:
    names = sorted(worlds())
    mutator = Mutator(seed)
    count = budget("mutation_lines") // len(SEEDS)
    for index, (line, argv, stdin) in enumerate(mutator.lines(count)):
        if index % SESSION == 0:
            session = index // SESSION
            sb = worlds()[names[session % len(names)]].fork()
            host = sb.host("server") if session % 3 == 2 else sb
        result = run_and_check(sb.world, host, line, argv, stdin)
        if result is None:  # a known bug; its world may be in any state now
            sb = worlds()[names[0]].fork()
            host = sb
        elif result.exit_code == 0 and argv:
            mutator.keep(argv)
    tally.LINES[f"mutation seed {seed}"] += count
