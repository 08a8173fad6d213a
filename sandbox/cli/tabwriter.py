"""docker/cli's tabwriter (its fork of Go's text/tabwriter, which measures cells with go-runewidth) with space
padding and no flags, as ``docker version`` writes its template's output through ``NewWriter(out, 20, 1, 1, ' ', 0)``.

A tab ends a cell; the text after a line's last tab is not in any column. A column is a block of consecutive lines
that each have a cell there; every cell of the block is padded to the widest one plus ``padding``, and to at least
``minwidth``. A cell's width is its terminal columns: a wide (East Asian) character counts 2, a control or combining
character 0 (checked against the docker 28.2.2 client).
"""

from __future__ import annotations

import unicodedata

__all__ = ["cell_width", "tabwrite"]


def cell_width(text: str) -> int:
    """go-runewidth's StringWidth for the characters a template prints (grapheme clusters such as flags aside)."""
    width = 0
    for char in text:
        if char < " " or "\x7f" <= char <= "\x9f" or char == "\xad":
            continue
        if unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def tabwrite(text: str, minwidth: int, padding: int) -> str:
    """``text`` as a tabwriter with those settings writes it once flushed."""
    lines = [line.split("\t") for line in text.split("\n")]
    out: list[str] = []
    _format(lines, 0, len(lines), [], minwidth, padding, out)
    return "\n".join(out)


def _format(lines, first: int, end: int, widths: list[int], minwidth: int, padding: int, out: list[str]) -> None:
    """tabwriter's format: the widths of the columns left of ``len(widths)`` are known; find each block of lines
    with a cell in the next column, size it, and recurse into the columns right of it."""
    column = len(widths)
    line = first
    while line < end:
        if column >= len(lines[line]) - 1:
            line += 1
            continue
        _write(lines, first, line, widths, out)
        first = line
        width = minwidth
        while line < end and column < len(lines[line]) - 1:
            width = max(width, cell_width(lines[line][column]) + padding)
            line += 1
        _format(lines, first, line, widths + [width], minwidth, padding, out)
        first = line
    _write(lines, first, end, widths, out)


def _write(lines, first: int, end: int, widths: list[int], out: list[str]) -> None:
    for cells in lines[first:end]:
        out.append("".join(cell + " " * (widths[index] - cell_width(cell)) if index < len(widths) else cell
                           for index, cell in enumerate(cells)))
