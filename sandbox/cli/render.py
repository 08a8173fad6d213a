"""Docker's text conventions: human durations and sizes (go-units), tab-aligned tables (Go's text/tabwriter with
docker's settings), ellipsis truncation, and the terminal's final screen of a progress stream."""

from __future__ import annotations

import itertools
import unicodedata
from datetime import datetime

from sandbox.cli.tabwriter import tabwrite
from sandbox.clock import parse_rfc3339
from sandbox.engine.progress import Progress

#: docker/cli's table writer: tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)
MIN_WIDTH, PADDING = 10, 3
_DECIMAL_UNITS = ("B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB")


def human_duration(seconds: float) -> str:
    """go-units HumanDuration: ``Less than a second``, ``About a minute``, ``3 weeks`` ..."""
    whole = int(seconds)
    if whole < 1:
        return "Less than a second"
    if whole == 1:
        return "1 second"
    if whole < 60:
        return f"{whole} seconds"
    minutes = whole // 60
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours = int((seconds + 1800) // 3600)  # Go rounds the duration to the nearest hour here
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if hours < 24 * 7 * 2:
        return f"{hours // 24} days"
    if hours < 24 * 30 * 2:
        return f"{hours // 24 // 7} weeks"
    if hours < 24 * 365 * 2:
        return f"{hours // 24 // 30} months"
    return f"{int(seconds // 3600) // 24 // 365} years"


def since(moment: str, now: datetime) -> str:
    """How long ago a Docker timestamp was, worded as go-units words it."""
    return human_duration((now - parse_rfc3339(moment)).total_seconds())


def human_size(size: float, precision: int = 3) -> str:
    """go-units HumanSizeWithPrecision with decimal units: ``7.8MB``, ``13.3kB``, ``0B``."""
    unit = 0
    while size >= 1000.0 and unit < len(_DECIMAL_UNITS) - 1:
        size /= 1000.0
        unit += 1
    return f"{_go_g(size, precision)}{_DECIMAL_UNITS[unit]}"


def _go_g(value: float, precision: int) -> str:
    text = f"{value:.{precision}g}"
    if "e+" in text:  # Go writes e+03 like C, keep it
        return text
    return text


def ellipsis(text: str, width: int) -> str:
    """docker's formatter.Ellipsis: cut to ``width`` display columns (East Asian wide characters take two), the last
    one ``…``."""
    if width <= 0:
        return ""
    if width == 1:
        return text[:1]
    if text.isascii():
        return text if len(text) <= width else text[: width - 1] + "…"
    display = list(itertools.accumulate(_columns(char) for char in text))
    if display[-1] <= width:
        return text
    for index, columns in enumerate(display):
        if columns <= width - 1 < display[index + 1]:
            return text[: index + 1] + "…"
    return text


def _columns(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def table(rows: list[list[str]]) -> str:
    """The rows as docker's table writer aligns them (``tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)``, through the one
    tabwriter): a column is a block of consecutive rows with a cell there, each cell padded to the block's widest in
    terminal columns plus 3, at least 10; a row's last cell is not padded."""
    if not rows:
        return ""
    return tabwrite("\n".join("\t".join(row) for row in rows), MIN_WIDTH, PADDING) + "\n"


def final_screen(messages: list[Progress]) -> str:
    """What a terminal shows once a push or pull stream ends: one line per layer, updated in place, in order of
    first appearance; whole-operation lines where they were printed."""
    lines: list[str] = []
    position: dict[str, int] = {}
    for message in messages:
        if message.id:
            text = f"{message.id}: {message.status}"
            if message.id in position:
                lines[position[message.id]] = text
            else:
                position[message.id] = len(lines)
                lines.append(text)
        else:
            lines.append(message.status)
    return "".join(line + "\n" for line in lines)
