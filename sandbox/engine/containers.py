"""A host's containers: what each was made from, how it was started, and where it is in its life
(created -> running -> exited, or removed)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

CREATED, RUNNING, EXITED = "created", "running", "exited"
#: The newest log characters one container keeps: twice what one run may print (``process.MAX_OUTPUT`` and its
#: notice), so a line that restarts a chatty container thousands of times holds megabytes, not gigabytes (docker's
#: json-file driver keeps all).
MAX_LOGS = 2 << 20


@dataclass(frozen=True)
class PortBinding:
    """``-p HOST:CONTAINER[/proto]``: a host port forwarded to a container port."""

    host_ip: str
    host_port: int
    container_port: int
    protocol: str = "tcp"


@dataclass(frozen=True)
class Container:
    """One container; state changes return a new value."""

    id: str
    name: str
    image_id: str
    image: str  # the image as the user named it (the IMAGE column of ``docker ps``)
    path: str
    args: tuple[str, ...]
    created: str
    env: tuple[str, ...] = ()
    #: ``Config.WorkingDir``: ``-w``, else the image's WORKDIR (``""``: the process starts in ``/``)
    working_dir: str = ""
    #: ``Config.User``: ``-u USER[:GROUP]``, else the image's USER (``""``: root); resolved when a process starts
    user: str = ""
    ports: tuple[PortBinding, ...] = ()
    exposed: tuple[str, ...] = ()
    auto_remove: bool = False
    interactive: bool = False
    tty: bool = False
    detached: bool = False
    status: str = CREATED
    exit_code: int = 0
    started_at: str = "0001-01-01T00:00:00Z"
    finished_at: str = "0001-01-01T00:00:00Z"
    logs: str = ""
    #: how many of the oldest log characters were dropped to keep `MAX_LOGS`
    logs_dropped: int = 0
    #: whether the main process ignores SIGTERM as PID 1 (node, python): ``docker stop`` then waits 10 s and kills
    ignores_sigterm: bool = False
    restarts: int = 0
    #: path -> size of the regular files its processes added or changed (its writable layer's files)
    written: tuple[tuple[str, int], ...] = ()
    #: when a running container's process will end on its own (``sleep 30``), and with which exit code
    exits_at: str | None = None
    pending_exit_code: int = 0

    @property
    def size_rw(self) -> int:
        """The writable layer's size as dockerd reports it (``SizeRw``): the sizes of the files added or changed."""
        return sum(size for _, size in self.written)

    def wrote(self, written: tuple[tuple[str, int], ...]) -> "Container":
        """This container after a process left ``written`` in its writable layer (a later write of a path wins)."""
        return replace(self, written=tuple(sorted({**dict(self.written), **dict(written)}.items())))

    @property
    def command(self) -> str:
        """The command line as ``docker ps`` quotes it."""
        return " ".join((self.path, *self.args)).strip()

    def started(self, at: str, logs: str) -> "Container":
        """This container after its process started and printed ``logs``."""
        return replace(self, status=RUNNING, started_at=at, **self._logged(logs))

    def exited(self, at: str, code: int, logs: str = "") -> "Container":
        """This container after its process ended with ``code``."""
        return replace(self, status=EXITED, exit_code=code, finished_at=at, **self._logged(logs))

    def _logged(self, more: str) -> dict:
        """The log with ``more`` appended, keeping the newest `MAX_LOGS` characters."""
        logs = self.logs + more
        if len(logs) <= MAX_LOGS:
            return {"logs": logs}
        return {"logs": logs[-MAX_LOGS:], "logs_dropped": self.logs_dropped + len(logs) - MAX_LOGS}


@dataclass
class ContainerStore:
    """Containers by ID, in creation order."""

    containers: dict[str, Container] = field(default_factory=dict)

    def fork(self) -> "ContainerStore":
        """An independent copy (containers are frozen values)."""
        return ContainerStore(dict(self.containers))

    def put(self, container: Container) -> None:
        """Add or update a container."""
        self.containers[container.id] = container

    def delete(self, container_id: str) -> None:
        """Forget a container."""
        del self.containers[container_id]

    def by_name(self, name: str) -> Container | None:
        """The container with this name, if any."""
        name = name.removeprefix("/")
        return next((c for c in self.containers.values() if c.name == name), None)

    def find(self, name_or_id: str) -> Container | None:
        """Docker's lookup order: full ID, exact name, then a unique ID prefix."""
        if name_or_id in self.containers:
            return self.containers[name_or_id]
        by_name = self.by_name(name_or_id)
        if by_name is not None:
            return by_name
        if not name_or_id:
            return None
        matches = [c for c in self.containers.values() if c.id.startswith(name_or_id)]
        return matches[0] if len(matches) == 1 else None

    def using_image(self, image_id: str) -> list[Container]:
        """Containers made from an image, oldest first."""
        return [c for c in self.containers.values() if c.image_id == image_id]

    def __iter__(self):
        return iter(self.containers.values())
