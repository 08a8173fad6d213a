"""Hypothesis profiles for the whole suite: ``dev`` (the default: quick, random) and ``ci`` (derandomized, so a CI
run is reproducible, with the fuzzers' fixed large budget). ``CI=true`` selects ``ci`` unless ``HYPOTHESIS_PROFILE``
names a profile itself. And ``postgres``: a PostgreSQL cluster the tests start themselves, for the gradebook."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci", deadline=None, derandomize=True, print_blob=True, suppress_health_check=[HealthCheck.too_slow]
)
if os.environ.get("CI", "").lower() == "true":
    os.environ.setdefault("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


# -- PostgreSQL, started by the tests themselves --------------------------------------------------------------------
#: Where Debian puts PostgreSQL's server programs (initdb, pg_ctl): the newest installed version is used.
POSTGRES_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))


class PostgresCluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1 whose data directory lives in a temp folder; ``database()``
    returns the URL of a fresh, empty place for a gradebook."""

    def __init__(self, bindir: Path, directory: Path, port: int) -> None:
        self.bindir, self.directory, self.port = bindir, directory, port
        self._made = 0

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def database(self) -> str:
        """A URL whose tables land in a new empty schema (``CREATE DATABASE`` takes 0.4 s; a schema, milliseconds):
        the URL's ``options`` set its ``search_path``, as a hub hosting several courses in one database would."""
        import psycopg

        self._made += 1
        name = f"t{self._made}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return f"{self.url()}?options=-csearch_path%3D{name}"


def _as_postgres(argv: list[str]) -> list[str]:
    """``initdb`` refuses to run as root: as root, run the server's programs as the ``postgres`` user."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    """One PostgreSQL cluster for the whole session (initdb and start take about a second), removed at the end.
    Skipped where PostgreSQL or psycopg is absent, except under ``CI=true``, where that fails: CI tests both
    backends."""
    missing = [] if POSTGRES_BIN else ["PostgreSQL's server (apt-get install postgresql)"]
    try:
        import psycopg  # noqa: F401
    except ImportError:
        missing.append("psycopg 3 (pip install 'psycopg[binary]')")
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI tests the PostgreSQL gradebook, but {' and '.join(missing)} is missing")
        pytest.skip(f"{' and '.join(missing)} is not installed")
    bindir = POSTGRES_BIN[-1].parent
    directory = Path(tempfile.mkdtemp(prefix="imageshare-postgres-"))
    data = directory / "data"
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    directory.chmod(0o700)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    options = (f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={directory} -c fsync=off"
               " -c synchronous_commit=off -c full_page_writes=off -c max_connections=50")
    started = False
    stop = _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
    # If this session dies without its teardown (SIGTERM, SIGKILL), a watcher stops the cluster and removes its
    # folder once this process is gone, so no server is left running on a shared machine.
    watcher = subprocess.Popen(
        ["sh", "-c", 'while kill -0 "$0" 2>/dev/null; do sleep 1; done; "$@" >/dev/null 2>&1; rm -rf "$DIR"',
         str(os.getpid()), *stop], env={**os.environ, "DIR": str(directory)}, start_new_session=True,
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        subprocess.run(_as_postgres([str(bindir / "initdb"), "--auth=trust", "--no-sync", "--username=postgres",
                                     "--encoding=UTF8", "--locale=C.UTF-8", "-D", str(data)]),
                       check=True, capture_output=True, timeout=120)
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                                     str(directory / "log"), "-w", "-t", "60", "start"]),
                       check=True, capture_output=True, timeout=120)
        started = True
        yield PostgresCluster(bindir, directory, port)
    finally:
        watcher.kill()
        watcher.wait()
        if started:
            subprocess.run(stop, capture_output=True, timeout=120)
        shutil.rmtree(directory, ignore_errors=True)
