"""Live push/pull progress: the screens a terminal shows while a stream plays, and a widget that plays them.

The sandbox moves bytes instantly and reports each transfer as one structured message (``Downloading 3642247/3642247``).
`frames` spreads every transfer over a few screens drawn as dockerd's client draws them (``[=====>   ]  1.2MB/3.6MB``),
ending on exactly `final_screen`, the text the command prints. Only a live front end plays them (`ProgressBoard`);
everywhere else the final text alone appears, so stored notebook outputs never depend on timing.

Test hook: ``IMAGESHARE_PROGRESS_SECONDS``, a positive number of seconds read from the kernel's environment when a
stream starts to play, makes every stream play for exactly that long instead of `SHORTEST` to `LONGEST`. It only
stretches the same screens in time (what they say is unchanged); the browser test that interrupts a pull sets it so
the pull is surely still playing when the interrupt arrives. Learners never set it; a value that is not a finite
positive number is ignored.
"""

from __future__ import annotations

import html
import math
import os
import time
from collections.abc import Callable, Iterable, Iterator

import ipywidgets as widgets
from traitlets import Unicode

from sandbox.cli.render import human_size
from sandbox.engine.progress import Progress

#: Intermediate screens per transfer (the last one is the message itself).
STEPS = 6
#: Virtual bandwidth that turns bytes into seconds of animation, and the bounds of one stream's animation.
BYTES_PER_SECOND = 40_000_000
SHORTEST, LONGEST = 0.3, 2.5
#: The test hook that sets how long every stream plays (see the module's docstring).
SECONDS_VARIABLE = "IMAGESHARE_PROGRESS_SECONDS"
#: Seconds a screen without bytes (Preparing, Verifying Checksum...) stays up.
PAUSE = 0.04
#: docker's progress bar is 50 characters wide.
BAR = 50


def bar(current: int, total: int) -> str:
    """docker's JSONProgress text for a terminal wider than 110 columns: ``[====>   ]   1.2MB/3.642MB``."""
    if total <= 0:
        return f"{human_size(current, 4):>8}" if current > 0 else ""
    filled = min(int(current / total * 100) // 2, BAR)
    numbers = f"{human_size(current, 4):>8}"
    if current <= total:  # docker drops the total when a wonky current passes it
        numbers += f"/{human_size(total, 4)}"
    return f"[{'=' * filled}>{' ' * (BAR - filled)}] {numbers}"


def frames(messages: Iterable[Progress], steps: int = STEPS) -> Iterator[tuple[str, int]]:
    """Each screen of the terminal while ``messages`` play, with the bytes moved since the previous screen.

    The last screen equals ``final_screen(messages)``.
    """
    lines: list[str] = []
    position: dict[str, int] = {}

    def put(layer: str, text: str) -> None:
        if layer in position:
            lines[position[layer]] = text
        else:
            position[layer] = len(lines)
            lines.append(text)

    def screen() -> str:
        return "".join(line + "\n" for line in lines)

    for message in messages:
        if not message.id:
            lines.append(message.status)
            yield screen(), 0
            continue
        if message.total > 0:
            done = 0
            for step in range(1, steps):
                current = message.current * step // steps
                put(message.id, f"{message.id}: {message.status} {bar(current, message.total)}")
                yield screen(), current - done
                done = current
            put(message.id, f"{message.id}: {message.status} {bar(message.current, message.total)}")
            yield screen(), message.current - done
        put(message.id, f"{message.id}: {message.status}")
        yield screen(), 0


def held_seconds() -> float | None:
    """The seconds ``$IMAGESHARE_PROGRESS_SECONDS`` asks every stream to play for, or None (unset or unusable)."""
    try:
        seconds = float(os.environ.get(SECONDS_VARIABLE, ""))
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds > 0 else None


def schedule(messages: list[Progress], steps: int = STEPS) -> list[tuple[str, float]]:
    """`frames` with the seconds each screen stays up: bytes at a virtual bandwidth, the whole between
    ``SHORTEST`` and ``LONGEST`` seconds (or exactly `held_seconds`, the test hook)."""
    shown = list(frames(messages, steps))
    moved = sum(n for _, n in shown)
    pauses = PAUSE * sum(1 for _, n in shown if not n)
    wanted = moved / BYTES_PER_SECOND + pauses
    held = held_seconds()
    total = held if held is not None else min(max(wanted, SHORTEST), LONGEST)
    scale = total / wanted if wanted else 0.0
    return [(text, scale * (n / BYTES_PER_SECOND if n else PAUSE)) for text, n in shown]


def paced(shown: Iterable[tuple[str, float]], sleep: Callable[[float], None] = time.sleep,
          clock: Callable[[], float] = time.monotonic) -> Iterator[str]:
    """Each screen of a `schedule` for the caller to draw, released when it is due: the time spent drawing a screen
    counts against the time it stays up, so an animation lasts as long as its schedule says whatever one update costs
    the front end (a kernel in a browser tab pays far more per widget update than a CPython one)."""
    due = clock()
    for text, seconds in shown:
        yield text
        due += seconds
        sleep(max(due - clock(), 0.0))


class ProgressBoard(widgets.HTML):
    """A terminal-like panel that plays one push or pull stream; ``screen`` is the text it shows now."""

    screen = Unicode("")

    def play(self, messages: list[Progress], sleep: Callable[[float], None] = time.sleep,
             clock: Callable[[], float] = time.monotonic) -> None:
        """Show every screen of the stream in turn, as long as the virtual transfer would take."""
        for text in paced(schedule(messages), sleep, clock):
            self.screen = text
            self.value = f"<pre style='margin:0'>{html.escape(text)}</pre>"

    def __repr__(self) -> str:
        return "ProgressBoard()"
