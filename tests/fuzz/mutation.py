"""A plain seeded mutation fuzzer: start from the lines the transcripts type, mutate them word by word and character
by character with the grammar's flags and nasty text, keep the mutants that still succeed as new seeds.

It draws with `random.Random(seed)` only, so the same seed gives the same lines on every machine; it runs several
times more lines per second than Hypothesis (no shrinking, no database), which buys breadth.
"""

from __future__ import annotations

import random
import shlex
from pathlib import Path
from typing import Iterator

import yaml

from .grammar import ALL_FLAGS, COMMANDS, GLOBAL_FLAGS, NASTY, PATH_MAX, SIMULATED_COMMANDS, TAG_MAX, line_of
from .worlds import CONTAINERS, KNOWN_REFERENCES

TRANSCRIPTS = Path(__file__).resolve().parents[1] / "cli" / "transcripts"
OPERATORS = ("&&", "||", ";", "|", "&", ";;", "&&&", "||||")
WORDS = (
    NASTY + KNOWN_REFERENCES + CONTAINERS
    + ("a" * PATH_MAX, "a" * (PATH_MAX + 1), "alpine:" + "t" * TAG_MAX, "alpine:" + "t" * (TAG_MAX + 1),
       "alpine@sha256:" + "0" * 64, "alpine@sha256:" + "0" * 63, "x" * 20_000, "-it", "-d", "--rm", "-a", "-q",
       "--all-tags", "--password-stdin", "-u", "-p", "-t", "-f", "-")
)  # fmt: skip


def seed_lines() -> list[str]:
    """Every line the CLI transcripts type, plus one generated line per simulated command."""
    lines = []
    for path in sorted(TRANSCRIPTS.glob("*.yaml")):
        for step in yaml.safe_load(path.read_text())["steps"]:
            lines.append(step["run"])
    lines += [line_of(["docker", *command.typed[0]]) for command in SIMULATED_COMMANDS]
    return lines


def _words(line: str) -> list[str]:
    try:
        return shlex.split(line)
    except ValueError:
        return line.split()


class Mutator:
    """Mutants of seed lines, deterministic for a seed: ``(line, argv or None, stdin)``."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.corpus = [_words(line) for line in seed_lines()]
        self.flags = [flag for command in COMMANDS for flag in command.flags] + list(GLOBAL_FLAGS) + list(ALL_FLAGS)

    def keep(self, argv: list[str]) -> None:
        """Add a mutant that still succeeded to the corpus (short ones only, bounded, oldest mutants go first)."""
        if sum(map(len, argv)) < 1_000:
            self.corpus.append(list(argv))
        if len(self.corpus) > 2_000:
            del self.corpus[200]

    def lines(self, count: int) -> Iterator[tuple[str, list[str] | None, str | None]]:
        """``count`` mutants."""
        pick = self.random.choice
        for _ in range(count):
            words = list(pick(self.corpus))
            for _ in range(self.random.randint(1, 3)):
                words = self._mutate_words(words)
            stdin = pick((None, None, "", "s3cret-pass\n", "alice-pass", "y\n"))
            if self.random.random() < 0.2:
                yield self._mutate_text(line_of(words)), None, stdin
            else:
                yield line_of(words), words if words else None, stdin

    def _mutate_words(self, words: list[str]) -> list[str]:
        rnd = self.random
        where = rnd.randint(0, len(words))
        action = rnd.randrange(9)
        if action == 0 and words:
            del words[min(where, len(words) - 1)]
        elif action == 1:
            flag = rnd.choice(self.flags)
            form = "-" + flag.short if flag.short and rnd.random() < 0.5 else "--" + flag.name
            words[where:where] = [form] if flag.type == "bool" or rnd.random() < 0.2 else [form, rnd.choice(WORDS)]
        elif action == 2:
            words[where:where] = [rnd.choice(WORDS)]
        elif action == 3 and words:
            words[min(where, len(words) - 1)] = rnd.choice(WORDS)
        elif action == 4 and len(words) > 1:
            i = rnd.randrange(1, len(words))
            words[1:] = words[i:] + words[1:i]  # rotate: flags and arguments change places
        elif action == 5:
            command = rnd.choice(COMMANDS)
            words = ["docker", *rnd.choice(command.typed)] + words[2:]
        elif action == 6 and words:
            i = min(where, len(words) - 1)
            words[i] = words[i] * rnd.choice((2, 3, 50))
        elif action == 7 and words:
            i = min(where, len(words) - 1)
            text = words[i]
            cut = rnd.randint(0, len(text))
            words[i] = text[:cut] + rnd.choice(("=", ":", "@", "/", "-", "..", "\x00", "é", "'", '"')) + text[cut:]
        else:
            words.insert(0, "docker") if rnd.random() < 0.5 else words.insert(where, rnd.choice(("--", "-", "")))
        return words

    def _mutate_text(self, line: str) -> str:
        rnd = self.random
        for _ in range(rnd.randint(1, 3)):
            cut = rnd.randint(0, len(line))
            piece = rnd.choice(("'", '"', "\\", " ", "|", "&&", ";", "#", "\n", "\t", "$(", "`", "{{", "\x00",
                                chr(rnd.randrange(0x80, 0x10FFFF)) if rnd.random() < 0.5 else rnd.choice(OPERATORS)))
            line = line[:cut] + piece + line[cut + rnd.choice((0, 0, 1)):]
        return line
