"""A registry's repositories by path, some of them still to be built.

Docker Hub starts every world with the whole catalogue, but a world reads a handful of its repositories; turning each
catalogue image into manifests, configs and digests is most of what a first world costs. So the Hub's paths are all
known from the start (``in``, iteration and ``len`` see every one and build none) while a repository's value is made
by a builder the first time it is read. The builder is meant to be a cached function of the path, so every world
forked from the same prototype shares one built value per path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, MutableMapping

from sandbox.registry.repository import Repository


class Repositories(MutableMapping[str, Repository]):
    """Repositories by path, in the order they were added (as a dict keeps them); a pending path is built on its
    first read. Raises KeyError for a path it does not hold, like a dict."""

    __slots__ = ("_entries", "_build")

    def __init__(self, pending: Iterable[str] = (), build: Callable[[str], Repository] | None = None) -> None:
        #: path -> its repository, or None while it is still to be built
        self._entries: dict[str, Repository | None] = dict.fromkeys(pending)
        if self._entries and build is None:
            raise ValueError("pending repositories need a builder")
        self._build = build

    def __getitem__(self, path: str) -> Repository:
        repository = self._entries[path]
        if repository is None:
            repository = self._entries[path] = self._build(path)
        return repository

    def __setitem__(self, path: str, repository: Repository) -> None:
        self._entries[path] = repository

    def __delitem__(self, path: str) -> None:
        del self._entries[path]

    def get(self, path: str, default: Repository | None = None) -> Repository | None:
        """The repository at ``path`` (built if it is pending), or ``default`` when there is none."""
        return self[path] if path in self._entries else default  # a miss raises and catches nothing

    def __contains__(self, path: object) -> bool:
        return path in self._entries  # never builds: Mapping's own __contains__ would read the value

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"Repositories({list(self._entries)!r})"

    def copy(self) -> "Repositories":
        """An independent copy (for a fork): values are frozen and shared, pending paths stay pending."""
        twin = Repositories.__new__(Repositories)
        twin._entries = self._entries.copy()
        twin._build = self._build
        return twin


__all__ = ["Repositories"]
