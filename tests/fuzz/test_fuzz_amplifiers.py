"""The mutation fuzzer over lines that amplify (issue 12): templates that repeat (``range`` over numbers, nested
ranges, Go's type errors), Dockerfiles that double a variable and reference it thousands of times, a huge first
word. Each mutant keeps every property of :mod:`.properties` and ends within a few seconds."""

from __future__ import annotations

import time

from . import tally
from .budget import budget
from .mutation import Mutator, _words
from .properties import run_and_check
from .worlds import worlds

#: Seeds that amplify, each under the sandbox's budgets (never a range the real client would grow to gigabytes on,
#: should a mutant reach a command the client renders itself).
AMPLIFYING = (
    "docker images --format '{{range 200000}}x{{end}}'",
    "docker images --format '{{range 1000}}{{range 1000}}{{.}}{{end}}{{end}}'",
    "docker images --format '{{range .Repository}}{{end}}{{len 3}}{{join .Tag \",\"}}{{range $i, $e := 3}}{{end}}'",
    "docker ps -a --format '{{range 3}}{{json .}}{{end}}{{len .Names}}{{upper 3}}'",
    "printf 'FROM alpine\\nENV B=x\\n" + "ENV B=$B$B\\n" * 16 + "ENV C=" + "$B" * 2_000
    + "\\n' > Dockerfile && docker build -t doubled .",
    "printf '" + "X" * 20_000 + " alpine\\n' > Dockerfile && docker build -t s .",
)
SECONDS_PER_LINE = 10  # generous on a busy 2-core machine; a runaway takes minutes


def test_mutated_amplifying_lines_keep_every_property_and_end_quickly() -> None:
    mutator = Mutator(12)
    mutator.corpus = [_words(line) for line in AMPLIFYING]
    count = max(60, budget("mutation_lines") // 50)
    world = worlds()["busy"]
    slowest = 0.0
    for index, (line, argv, stdin) in enumerate(mutator.lines(count)):
        if index % 6 == 0:
            sb = world.fork()
        start = time.perf_counter()
        result = run_and_check(sb.world, sb, line, argv, stdin)
        slowest = max(slowest, time.perf_counter() - start)
        assert slowest < SECONDS_PER_LINE, line[:300]
        if result is None:
            sb = world.fork()
    tally.LINES["amplifying mutation"] += count
