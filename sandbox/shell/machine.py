"""What a shell runs against: a filesystem, the programs installed in it, a host name and a clock.

The shell knows nothing of Docker. A learner's host hands it a machine whose programs include ``docker``; a
container hands it the image's files and programs (BusyBox or GNU utilities, nginx, node ...); a ``RUN`` step hands
it the build's filesystem. Paths are absolute and normalized; directories are those named in ``directories`` or
implied by a file below them.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

#: A program: called with the running command (`sandbox.shell.execute.Call`), returns its exit status.
Program = Callable[["object"], int]


def normalize(path: str) -> str:
    """An absolute path without ``.``, ``..`` or repeated slashes (``..`` at the root stays at the root)."""
    normalized = posixpath.normpath("/" + path)
    return "/" + normalized.lstrip("/")


@dataclass
class Machine:
    """A filesystem with programs. ``files`` and ``directories`` are shared with the owner, so writes persist."""

    files: dict[str, bytes]
    directories: set[str] = field(default_factory=set)
    #: absolute path -> the program installed there
    programs: dict[str, Program] = field(default_factory=dict)
    hostname: str = "localhost"
    now: datetime = datetime(2025, 4, 11, 12, 0, 0, tzinfo=timezone.utc)
    #: whose utilities these are: "gnu" (coreutils) or "busybox"; they word their errors differently
    tools: str = "gnu"
    #: whether stdout is a terminal (``ls`` prints columns, a shell prints its prompt)
    tty: bool = False
    #: whether stdin stays open for reading (``docker run -i`` without piped input): a shell or ``cat`` waits
    stdin_open: bool = False
    #: entries ``ls`` shows in a directory although no file is known there (``/proc``, ``/docker-entrypoint.d/...``)
    listed: dict[str, set[str]] = field(default_factory=dict)
    #: what ``id`` prints: the user the machine's processes run as
    identity: str = "uid=0(root) gid=0(root) groups=0(root)"
    #: seconds the machine's processes slept (``sleep 5``): the owner decides what the clock does with them
    slept: float = 0.0
    #: what ``uname -m`` says: the kernel's machine, or the emulated one
    arch: str = "x86_64"
    #: the user the processes run as: root (0) may write anywhere; any other user only where `writable` says
    uid: int = 0
    #: directories a non-root user may create and remove entries in (``/tmp``, its home, what it made itself);
    #: every other file and directory belongs to root with Docker's default modes (0755, 0644)
    writable: set[str] = field(default_factory=set)

    def is_file(self, path: str) -> bool:
        """Whether ``path`` (absolute) is a regular file or an installed program."""
        return path in self.files or path in self.programs

    def is_dir(self, path: str) -> bool:
        """Whether ``path`` (absolute) is a directory."""
        if path == "/" or path in self.directories or path in self.listed:
            return True
        prefix = path.rstrip("/") + "/"
        return any(name.startswith(prefix) for name in self.files) or \
            any(name.startswith(prefix) for name in self.programs) or \
            any(name.startswith(prefix) for name in self.directories)

    def exists(self, path: str) -> bool:
        """Whether anything is at ``path``."""
        return self.is_file(path) or self.is_dir(path)

    def list_dir(self, path: str) -> list[str]:
        """The names in directory ``path``, sorted (no ``.`` or ``..``)."""
        prefix = "/" if path == "/" else path.rstrip("/") + "/"
        names = set(self.listed.get(path, ()))
        for collection in (self.files, self.programs, self.directories, self.listed):
            for name in collection:
                if name.startswith(prefix) and name != path:
                    names.add(name[len(prefix):].split("/", 1)[0])
        names.discard("")
        return sorted(names)

    def read(self, path: str) -> bytes | None:
        """A file's content, or None."""
        return self.files.get(path)

    def may_write(self, path: str) -> bool:
        """Whether the processes' user may create, replace or remove the entry at ``path`` (absolute): root always;
        another user in a directory it may write, or a file it created."""
        if self.uid == 0:
            return True
        parent = path.rsplit("/", 1)[0] or "/"
        return parent in self.writable or path in self.writable

    def made(self, path: str, directory: bool = False) -> None:
        """Record that the processes' user created ``path``: a non-root user owns what it makes."""
        if self.uid != 0 and directory:
            self.writable.add(path)

    def find(self, name: str, search_path: str) -> str | None:
        """The executable a bare ``name`` runs, searching the colon-separated ``search_path``."""
        for directory in search_path.split(":"):
            candidate = normalize(f"{directory or '.'}/{name}")
            if candidate in self.programs:
                return candidate
        return None
