"""A course's roster from a CSV file with a header: who is in the class, so non-submitters count and exports can
name everyone as the LMS knows them.

Columns (a header row first; names are matched ignoring case, spaces and ``-`` versus ``_``, in any order):

=========  ========  ==================================================================================
column     required  what it holds
=========  ========  ==================================================================================
id         yes       the learner id: the hub user name, by the one rule of ``sandbox.quiz.learner_id``
name       no        the learner's name as the LMS shows it (``Lovelace, Ada`` or ``Ada Lovelace``)
section    no        the section or group
lms_id     no        the LMS's id for the learner (Canvas SIS user id, Moodle username, Blackboard username)
email      no        the learner's email address (Moodle can match on it)
=========  ========  ==================================================================================

What spreadsheets write is accepted: a UTF-8 byte-order mark, Windows line endings, blank trailing rows, quoted
fields, and ``;`` as the separator (Excel in locales whose decimal mark is a comma). Everything else is refused with
the file, the line and the column: a missing id column, an id that breaks the rule, the same id twice (also in
another case: the hub lowercases user names, so ``Ada`` and ``ada`` would be one person there), an unknown column
(with the nearest known one), text that is not UTF-8. Values are kept as written; exports neutralise what a
spreadsheet would run.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from sandbox.course.errors import RosterError
from sandbox.quiz.learner_id import RULE, is_learner_id
from sandbox.suggest import closest

COLUMNS = ("id", "name", "section", "lms_id", "email")
#: Other headers people write for a column (a gradebook export's, an LMS's); all map to one name.
ALIASES = {"learner_id": "id", "learner": "id"}
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_LEARNERS = 50_000
MAX_CELL_CHARS = 500


@dataclass(frozen=True)
class RosterEntry:
    """One learner of the roster; empty strings where a column is absent or blank."""

    id: str
    name: str = ""
    section: str = ""
    lms_id: str = ""
    email: str = ""
    #: The line of the CSV file the learner's row starts on.
    line: int = 0


def read_roster(path: str | Path) -> tuple[RosterEntry, ...]:
    """The learners in the roster CSV at ``path``, in file order; raises ``RosterError``."""
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            raise RosterError(name, 1, None, f"the file is {size} bytes; rosters are capped at {MAX_FILE_BYTES}")
        data = Path(path).read_bytes()
    except OSError as e:
        raise RosterError(name, 0, None, f"cannot read the file: {e.strerror or e}") from None
    return parse_roster(data, name)


def parse_roster(data: bytes | str, path: str = "<string>") -> tuple[RosterEntry, ...]:
    """The learners in ``data`` (CSV bytes in UTF-8, or text); raises ``RosterError`` naming line and column."""
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise RosterError(path, 1, None, f"the file is {len(data)} bytes; rosters are capped at {MAX_FILE_BYTES}")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            raise RosterError(path, line, None, f"not UTF-8 text (byte 0x{data[e.start]:02x}); in Excel, save as "
                              "'CSV UTF-8 (Comma delimited)'") from None
    else:
        text = data.removeprefix("\ufeff")
    if "\0" in text:
        line = text[: text.index("\0")].count("\n") + 1
        raise RosterError(path, line, None, "a NUL character: this is not a CSV text file")
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first and "," not in first else ","
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        return _entries(rows, path)
    except csv.Error as e:
        raise RosterError(path, rows.line_num, None, f"not valid CSV: {e}") from None


def _entries(rows, path: str) -> tuple[RosterEntry, ...]:
    header = next(rows, None)
    while header is not None and not any(cell.strip() for cell in header):
        header = next(rows, None)
    if header is None:
        raise RosterError(path, 1, None, "the file is empty; expected a header row naming the columns, such as "
                          "id,name,section,lms_id")
    header_line = rows.line_num
    columns: list[str | None] = []
    for cell in header:
        written = cell.strip()
        key = written.lower().replace(" ", "_").replace("-", "_")
        key = ALIASES.get(key, key)
        if not key:
            columns.append(None)  # an unnamed column (a spreadsheet's trailing comma) holds nothing we read
            continue
        if key not in COLUMNS:
            close = closest(key, COLUMNS + tuple(ALIASES), scaled=True)
            hint = f" (did you mean {close!r}?)" if close else ""
            raise RosterError(path, header_line, written, f"unknown column{hint}; expected {', '.join(COLUMNS)}")
        if key in columns:
            raise RosterError(path, header_line, written, "the column is named twice")
        columns.append(key)
    if "id" not in columns:
        raise RosterError(path, header_line, "id", "missing; the header must name the learner id column 'id'")
    entries: list[RosterEntry] = []
    seen: dict[str, int] = {}
    line = header_line
    for row in rows:
        start, line = line + 1, rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(entries) == MAX_LEARNERS:
            raise RosterError(path, start, None, f"more than {MAX_LEARNERS} learners (the cap)")
        values: dict[str, str] = {}
        for i, cell in enumerate(row):
            column = columns[i] if i < len(columns) else None
            if column is None:
                if cell.strip() and i >= len(columns):
                    raise RosterError(path, start, None, f"{len(row)} fields, but the header names {len(columns)} "
                                      "columns")
                if cell.strip():
                    raise RosterError(path, start, None, f"a value in field {i + 1}, whose column the header leaves "
                                      "unnamed; name the column or empty it")
                continue
            if len(cell) > MAX_CELL_CHARS:
                raise RosterError(path, start, column, f"{len(cell)} characters; the cap is {MAX_CELL_CHARS}")
            if "\n" in cell or "\r" in cell:
                raise RosterError(path, start, column, "a line break inside the value")
            values[column] = cell.strip()
        learner = values.get("id", "")
        if not learner:
            raise RosterError(path, start, "id", "missing; every row needs the learner id")
        if not is_learner_id(learner):
            raise RosterError(path, start, "id", f"{learner!r} is not a learner id: {RULE}")
        folded = learner.lower()
        if folded in seen:
            same = "" if entries[seen[folded]].id == learner else f" (as {entries[seen[folded]].id!r}; the hub " \
                "lowercases user names, so both would be one person)"
            raise RosterError(path, start, "id", f"{learner!r} is already on line {entries[seen[folded]].line}{same}")
        seen[folded] = len(entries)
        entries.append(RosterEntry(learner, values.get("name", ""), values.get("section", ""),
                                   values.get("lms_id", ""), values.get("email", ""), start))
    return tuple(entries)
