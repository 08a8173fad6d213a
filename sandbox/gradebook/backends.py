"""Where a gradebook lives: an SQLite file (the embedded default) or a PostgreSQL database named by URL.

The gradebook's SQL is written once, portably, with ``?`` placeholders; a backend holds only what the two databases
do differently: how a writer takes the one write lock (``BEGIN IMMEDIATE`` in SQLite, a transaction-scoped advisory
lock in PostgreSQL), the column types of an id and of text (PostgreSQL sorts text by code point only under
``COLLATE "C"``, as SQLite always does), how tables are listed, how the driver's failures read, and what changes under
a reader. The PostgreSQL driver (psycopg 3) is imported only by ``sandbox.gradebook.postgres``, and only when a URL is
given.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from sandbox.gradebook.errors import GradebookError

#: How long a writer waits for another run's transaction before giving up (each transaction is milliseconds).
BUSY_TIMEOUT_S = 60.0
#: Schemes that name a PostgreSQL database rather than a file.
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_url(location: str) -> bool:
    """True when ``location`` names a PostgreSQL database (``postgresql://...``), not an SQLite file."""
    return location.startswith(POSTGRES_SCHEMES)


def open_backend(location: str | os.PathLike, *, create: bool, readonly: bool) -> Backend:
    """The backend for ``location``: PostgreSQL for a ``postgresql://`` URL, else an SQLite file.

    Raises ``GradebookError`` when it cannot be opened (or, with ``create=False``, does not exist).
    """
    text = str(location)
    if is_url(text):
        from sandbox.gradebook.postgres import PostgresBackend

        return PostgresBackend(text, readonly=readonly)
    return SQLiteBackend(text, create=create, readonly=readonly)


class Backend:
    """One open connection to a gradebook database, and the few things its dialect does its own way.

    ``location`` is what messages name (a URL without its password); ``db`` has ``execute(sql, args)`` (returning a
    cursor with ``fetchone``, ``fetchall`` and iteration) and ``executemany(sql, rows)``, both taking ``?``.
    """

    name = ""
    location = ""
    db: Any
    #: The driver's exception types, which ``problem`` turns into one line.
    errors: tuple[type[BaseException], ...] = ()
    #: The DDL type of a table's integer id that the database numbers itself.
    id_type = "INTEGER PRIMARY KEY"

    def ddl(self, statement: str) -> str:
        """A portable ``CREATE``/``ALTER`` statement in this database's dialect (``{id}`` is the id column type)."""
        return statement.replace("{id}", self.id_type)

    def counting_triggers(self, tables: dict[str, tuple[str, ...]]) -> list[str]:
        """The statements that make each change of the named kinds (``INSERT``, ``UPDATE``, ``DELETE``) to each table
        add one to ``meta``'s ``generation``, whoever makes it."""
        raise NotImplementedError

    def stream(self, sql: str, args: Sequence[Any] = ()) -> Iterator[tuple]:
        """The rows of a query, fetched as they are read rather than all at once."""
        return iter(self.db.execute(sql, args))

    def begin_write(self) -> None:
        """Start a transaction that is the only writer until it ends; waits up to ``BUSY_TIMEOUT_S`` for another."""
        raise NotImplementedError

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        """Roll the open transaction back, if the database has not already."""
        raise NotImplementedError

    def tables(self) -> set[str]:
        """The names of the tables in the database."""
        raise NotImplementedError

    def data_version(self) -> object:
        """A value that changes whenever another connection commits; ``None`` when the database cannot tell, so a
        reader must not reuse an earlier answer."""
        return None

    def integrity(self) -> str:
        """The database's own integrity check: ``ok`` for a sound gradebook, else what it found."""
        raise NotImplementedError

    def problem(self, e: BaseException) -> str:
        """The one line an instructor reads for a driver failure."""
        return f"{self.name}: {e}"

    def close(self) -> None:
        self.db.close()


class SQLiteBackend(Backend):
    """A gradebook file in WAL mode: readers never wait, one writer at a time (``BEGIN IMMEDIATE``)."""

    name = "SQLite"
    errors = (sqlite3.Error,)

    def __init__(self, path: str, *, create: bool, readonly: bool) -> None:
        self.location = path
        if not create and not os.path.isfile(path):
            raise GradebookError(path, "no gradebook here ('imageshare grade --db PATH' creates one)")
        if os.path.isdir(path):
            raise GradebookError(path, "is a directory, not a gradebook file")
        if readonly:
            self.db = _open_readonly(path)
            return
        try:
            self.db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as e:
            raise GradebookError(path, f"cannot open the gradebook: {e}") from None
        try:
            self.db.execute("PRAGMA foreign_keys = ON")
            mode = self._wal_mode()
            if mode != "wal":
                raise GradebookError(path, f"SQLite cannot use WAL mode here (got {mode!r}); use a local disk")
            # In WAL mode NORMAL keeps every committed transaction through a crash of this process (kill -9);
            # only a power cut can lose the last few, and never corrupts the file.
            self.db.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as e:
            self.db.close()
            raise GradebookError(path, self.problem(e)) from None
        except GradebookError:
            self.db.close()
            raise

    def _wal_mode(self) -> str:
        """Put the file in WAL mode (a no-op once it is); returns the mode SQLite reports. While another run turns a
        new gradebook to WAL mode, SQLite answers "database is locked" at once, without waiting for it as it waits
        for a writer (two runs started together on a new gradebook): ask again, within the same patience."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                return self.db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) and "busy" not in str(e) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def counting_triggers(self, tables: dict[str, tuple[str, ...]]) -> list[str]:
        # SQLite's triggers run per row (no statement triggers): one more small UPDATE per counted row
        return [f"CREATE TRIGGER {table}_{event.lower()}_counts AFTER {event} ON {table} BEGIN"
                " UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'; END"
                for table, events in tables.items() for event in events]

    def begin_write(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def rollback(self) -> None:
        if self.db.in_transaction:  # SQLite rolls some failures back by itself
            self.db.execute("ROLLBACK")

    def tables(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def data_version(self) -> object:
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    def integrity(self) -> str:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0]

    def problem(self, e: BaseException) -> str:
        text = str(e)
        if "not a database" in text:
            return "is not an SQLite file (not a gradebook)"
        if "readonly" in text or "unable to open" in text:
            return f"cannot write the gradebook ({text}); check the directory's permissions"
        if "locked" in text or "busy" in text:
            return f"another run kept the gradebook locked for more than {BUSY_TIMEOUT_S:g} s ({text})"
        if "disk is full" in text or "disk I/O error" in text:
            # SQLite says "disk I/O error" when a write is refused for size (EFBIG, a quota) as well as for a bad
            # disk.
            return (f"cannot write the gradebook ({text}); is the disk full? What was recorded before stays, and the "
                    "same command finishes the run once there is room")
        return f"SQLite: {text}"


def _open_readonly(path: str) -> sqlite3.Connection:
    """The gradebook opened read-only (``mode=ro``), so exports and reports need no write access. A WAL file whose
    ``-shm`` cannot be created (a read-only directory) is opened ``immutable``: nobody can be writing it there."""
    uri = Path(os.path.abspath(path)).as_uri()
    try:
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.Error:
        pass
    try:
        db = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.Error as e:
        raise GradebookError(path, f"cannot open the gradebook: {e}") from None


def statements(script: str) -> Iterable[str]:
    """The statements of a ``;``-separated DDL script (no ``;`` inside a statement)."""
    return (s.strip() for s in script.split(";") if s.strip())
