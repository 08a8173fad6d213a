"""The public handle on a world: run command lines on hosts, write files, fork, and ask about state.

This is the contract the notebooks, the grader and outside checks use; everything behind it may change.
"""

from __future__ import annotations

import posixpath
import re

from sandbox.cli.host import execute
from sandbox.cli.result import Result
from sandbox.errors import InvalidReference, NotFound
from sandbox.events import Event
from sandbox.oci import parse_normalized_named, with_default_tag
from sandbox.registry.repository import PRIVATE, PUBLIC
from sandbox.cli.config import registry_key
from sandbox.content import DEFAULT_PLATFORM
from sandbox.world import World

DEFAULT_HOST = "laptop"
#: What ``docker login`` prints when it waits for an answer (no newline: the answer goes on the same line).
PROMPT = re.compile(r"(?:Username(?: \([^)\n]*\))?|Password): \Z")
#: What the probe for prompts types at each of them: something, so that every question gets asked.
PLACEHOLDER_ANSWERS = "answer\n" * 4
#: The largest file a caller may write into a host (a Dockerfile, a small app), to keep worlds cheap to fork.
MAX_FILE_BYTES = 1024 * 1024


class HostHandle:
    """One host of a world: run commands there, write files into its working directory, query its state."""

    def __init__(self, world: World, name: str, platform: str | None = None) -> None:
        self._world = world
        self.name = name
        world.host(name, platform)

    @property
    def _host(self):
        return self._world.host(self.name)

    def _settled(self):
        self._world.settle()
        return self._host

    def run(self, line: str, stdin: str | None = None, terminal: bool = False) -> Result:
        """Run one command line on this host; never raises for bad input. ``terminal`` is for front ends with a
        keyboard (the terminal widget, ``imageshare shell``): ``docker run -it`` and ``docker exec -it`` then open the
        container's terminal (`Result.attach`, see `attach`); elsewhere they answer as Docker does without one."""
        if not isinstance(line, str):
            raise TypeError("a command line is a str")
        self._world.clock.advance(1)
        self._world.settle()
        try:
            result = execute(self._host, line, stdin, terminal)
            self._world.settle()
            return result
        except Exception as bug:  # noqa: BLE001 - a bug of ours must never reach a learner as a traceback
            # The fuzz and property suites look for the exception's name here, so a bug still fails the tests.
            text = f"imageshare sandbox: internal error ({type(bug).__name__}); please report this command line\n"
            return Result(line, 125, "", text, self.name, (("stderr", text),))

    def prompts(self, line: str) -> tuple[str, ...]:
        """The questions ``line`` would ask here before it can go on (``Username: ``, ``Password: ``), in order.

        Found by running the line in a fork of the world with placeholder answers, so this world does not change:
        a front end asks them (a password without echo) and passes the answers as the line's stdin.
        """
        if "login" not in line:
            return ()
        trial = Sandbox(host=self.name, world=self._world.fork())
        probe = trial.run(line, stdin=PLACEHOLDER_ANSWERS)
        return tuple(text for stream, text in probe.chunks if stream == "stdout" and PROMPT.fullmatch(text))

    def attach(self, result: Result) -> "ContainerTerminal | None":
        """The container terminal a line opened (``docker run -it alpine sh`` typed with ``terminal=True``), or None."""
        if result.attach is None:
            return None
        container_id, argv, attached = result.attach
        return ContainerTerminal(self, container_id, argv is None, attached)

    def write_file(self, path: str, content: str | bytes) -> None:
        """Write a file (relative to the working directory, or absolute) on this host. Raises ValueError if huge."""
        data = content.encode() if isinstance(content, str) else bytes(content)
        if len(data) > MAX_FILE_BYTES:
            raise ValueError(f"{path}: {len(data)} bytes is more than the sandbox's {MAX_FILE_BYTES} per file")
        host = self._host
        full = path if path.startswith("/") else posixpath.join(host.cwd, path)
        host.files[posixpath.normpath(full)] = data

    def read_file(self, path: str) -> str | None:
        """A file's text on this host, or None."""
        host = self._host
        full = path if path.startswith("/") else posixpath.join(host.cwd, path)
        data = host.files.get(posixpath.normpath(full))
        return None if data is None else data.decode("utf-8", "replace")

    # -- state queries (for quiz state checks and pictures) -----------------------------------------------------

    def has_image(self, ref: str) -> bool:
        """Whether a reference or ID names a local image."""
        return self.image_id(ref) is not None

    def image_id(self, ref: str) -> str | None:
        """The local image ID a reference or ID names, or None."""
        try:
            return self._host.engine.find_image(ref)[0]
        except (NotFound, InvalidReference):
            return None

    def container_status(self, name: str) -> str | None:
        """``running``, ``exited`` or ``created``; None when there is no such container."""
        found = self._settled().engine.containers.find(name)
        return found.status if found else None

    def logged_in_user(self, registry: str = "docker.io") -> str | None:
        """Who this host's config.json is logged in as on ``registry`` (``docker.io`` when empty)."""
        found = self._host.credentials().get(registry_key(registry or "docker.io"))
        return found[0] if found else None

    @property
    def last_exit_code(self) -> int | None:
        """The exit code of the last command line run on this host."""
        return self._host.last_exit_code

    def __repr__(self) -> str:
        return f"<host {self.name}>"


class ContainerTerminal:
    """A container's terminal in a front end: lines typed after ``docker run -it IMAGE sh`` (or ``docker exec -it``)
    run in the container's shell, its prompt replaces the host's, until ``exit`` or Ctrl-D (`eof`) returns to the
    host. Exiting the shell of ``docker run -it`` stops the container, as its main process ends."""

    def __init__(self, host: HostHandle, container_id: str, main: bool, attached) -> None:
        self._host, self.container_id, self._main, self._attached = host, container_id, main, attached

    @property
    def prompt(self) -> str:
        """The container shell's prompt (``/ # ``, ``root@<id>:/# ``)."""
        return self._attached.prompt

    @property
    def open(self) -> bool:
        """False once the shell has exited."""
        return self._attached.exit_code is None

    def run(self, line: str) -> Result:
        """Run one line in the container; a terminal shows both streams as one."""
        if not isinstance(line, str):
            raise TypeError("a command line is a str")
        self._host._world.clock.advance(1)
        text = self._attached.run(line)
        return self._ended(line, text)

    def eof(self) -> Result:
        """Ctrl-D: the shell exits with its last status."""
        return self._ended("", self._attached.close())

    def _ended(self, line: str, text: str) -> Result:
        code = self._attached.exit_code
        if code is not None and self._main:
            self._host._host.engine.container_main_exited(self.container_id, code)
        status = code if code is not None else self._attached.shell.status
        return Result(line, status, text, "", self._host.name, (("stdout", text),) if text else ())


class Sandbox(HostHandle):
    """A fresh world (Docker Hub plus host ``laptop``) and a handle on its default host."""

    def __init__(self, *, seed: str = "imageshare", host: str = DEFAULT_HOST, accounts: dict[str, str] | None = None,
                 world: World | None = None) -> None:
        super().__init__(world or World(seed=seed, hosts=(host,), accounts=accounts), host)

    @property
    def world(self) -> World:
        """The world behind this handle (engines, registries, clock)."""
        return self._world

    def host(self, name: str, platform: str | None = None) -> HostHandle:
        """Another machine in the same world (created on first use): its own images, containers and logins.

        ``platform`` (``linux/arm64/v8``...) is what its daemon runs on, ``linux/amd64`` unless given: a pull picks
        that platform's image from Docker Hub's multi-platform indexes. Raises ValueError for a malformed platform or
        one that contradicts an existing host's."""
        return HostHandle(self._world, name, platform)

    @property
    def hosts(self) -> list[str]:
        """Names of the world's hosts, in creation order."""
        return list(self._world.hosts)

    def fork(self) -> "Sandbox":
        """An independent copy of the whole world, cheap: frozen content is shared, stores are copied."""
        return Sandbox(host=self.name, world=self._world.fork())

    @property
    def events(self) -> list[Event]:
        """Every state change so far, each with a sentence saying why."""
        return list(self._world.events)

    def registry_image_id(self, ref: str, via_host: str = DEFAULT_HOST) -> str | None:
        """The image ID the registry holds for ``ref`` (as ``via_host`` reaches it), ignoring access rules."""
        try:
            parsed = parse_normalized_named(ref)
        except InvalidReference:
            return None
        if not parsed.digest:
            parsed = with_default_tag(parsed)
        registry = self._world.registry_as_seen(parsed.domain, via_host)
        if registry is None:
            return None
        host = self._world.hosts.get(via_host)  # a multi-platform image answers for that host's platform
        image = registry.resolve_any(parsed.path, parsed.digest or parsed.tag,
                                     host.engine.platform if host else DEFAULT_PLATFORM)
        return image.id if image else None

    def set_visibility(self, repository: str, visibility: str) -> None:
        """Make a Docker Hub repository (``learner/web``) ``public`` or ``private``, as on Hub's website.

        Raises KeyError for a repository that does not exist, ValueError for another visibility.
        """
        if visibility not in (PUBLIC, PRIVATE):
            raise ValueError(f"visibility must be {PUBLIC!r} or {PRIVATE!r}")
        path = parse_normalized_named(repository).path
        self._world.hub.set_visibility(path, visibility)

    def bytes_moved(self) -> dict[str, int]:
        """Bytes Docker Hub received (pushes) and sent (pulls) so far: what the smart push saved shows here."""
        return {"uploaded": self._world.hub.bytes_received, "downloaded": self._world.hub.bytes_sent}

    def __repr__(self) -> str:
        return f"<Sandbox hosts={self.hosts}>"
