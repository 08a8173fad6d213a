"""The composition root: a network of registries, named hosts (each a daemon plus a filesystem), one clock.

``localhost`` is per host, as in reality: ``localhost:5000`` means the registry container that *this* host runs with
``-p 5000:5000``. Another host reaches it only by the host's name, over plain HTTP, which Docker refuses unless told
the registry is insecure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.cli.config import HUB_ALIASES, read_credentials, write_credentials
from sandbox.clock import Clock, IdSource
from sandbox.content import DEFAULT_PLATFORM, format_platform, split_platform
from sandbox.engine.containers import Container
from sandbox.engine.daemon import Engine
from sandbox.errors import NotSimulated, RegistryUnreachable
from sandbox.events import EventLog
from sandbox.registry.hub import HUB_ADDRESS, hub_prototype
from sandbox.registry.public import is_public_registry
from sandbox.registry.registry import Registry

HOME = "/home/learner"
WORKDIR = HOME + "/project"


@dataclass
class Host:
    """One machine: its dockerd, its filesystem (working directory and home), its last exit code."""

    name: str
    engine: Engine
    files: dict[str, bytes] = field(default_factory=dict)
    cwd: str = WORKDIR
    home: str = HOME
    last_exit_code: int | None = None
    #: variables the learner set in this host's shell (``TAG=1.0``), for ``$TAG`` in later lines
    shell_vars: dict[str, str] = field(default_factory=dict)
    #: directories made with ``mkdir`` (others are implied by the files below them); frozen, so forks share it
    directories: frozenset[str] = frozenset()
    #: the lines typed on this host, for ``history`` (a tuple: forks share it)
    history: tuple[str, ...] = ()

    def fork(self, world: "World") -> "Host":
        """An independent copy living in ``world``."""
        return Host(self.name, self.engine.fork(world), dict(self.files), self.cwd, self.home, self.last_exit_code,
                    dict(self.shell_vars), self.directories, self.history)

    def credentials(self) -> dict[str, tuple[str, str]]:
        """server key -> (username, password) from this host's ~/.docker/config.json."""
        return read_credentials(self.files, self.home)

    def store_credentials(self, key: str, username: str | None, password: str | None) -> None:
        """Write (or remove) one login in this host's ~/.docker/config.json."""
        write_credentials(self.files, self.home, key, username, password)


class World:
    """Registries, hosts, the clock, the ID source and the event log of one simulated world."""

    def __init__(self, *, seed: str = "imageshare", hosts: tuple[str, ...] = ("laptop",),
                 accounts: dict[str, str] | None = None) -> None:
        self.clock = Clock()
        self.ids = IdSource(seed)
        self.events = EventLog()
        self.hub: Registry = hub_prototype().fork()
        if accounts is not None:
            self.hub.accounts = dict(accounts)
        self.hosts: dict[str, Host] = {}
        self.private_registries: dict[str, Registry] = {}
        for name in hosts:
            self.host(name)

    def fork(self) -> "World":
        """An independent copy of everything; frozen content is shared, stores are copied."""
        twin = World.__new__(World)
        twin.clock = self.clock.fork()
        twin.ids = self.ids.fork()
        twin.events = self.events.fork()
        twin.hub = self.hub.fork()
        twin.private_registries = {cid: reg.fork() for cid, reg in self.private_registries.items()}
        twin.hosts = {name: host.fork(twin) for name, host in self.hosts.items()}
        return twin

    def settle(self) -> None:
        """Bring every host up to the current time (containers due to exit, exit)."""
        for host in self.hosts.values():
            host.engine.settle()

    def host(self, name: str, platform: str | None = None) -> Host:
        """The host called ``name``, created empty on first use, running on ``platform`` (``linux/amd64`` unless
        given, e.g. ``linux/arm64/v8`` for an Apple-silicon Mac's Docker Desktop). Raises ValueError when ``platform``
        is not ``os/architecture[/variant]`` or contradicts the platform the host already runs on."""
        if platform is not None:
            platform = _checked_platform(platform)
        if name not in self.hosts:
            self.hosts[name] = Host(name, Engine(name, self, platform or DEFAULT_PLATFORM))
        elif platform is not None and self.hosts[name].engine.platform != platform:
            raise ValueError(f"host {name!r} runs on {self.hosts[name].engine.platform}, not {platform}")
        return self.hosts[name]

    # -- the network, as seen from one host ---------------------------------------------------------------------

    def registry(self, address: str, from_host: str) -> Registry:
        """The registry at ``address`` as ``from_host`` reaches it. Raises `RegistryUnreachable`, or `NotSimulated`
        for a public registry of the real internet (ghcr.io, quay.io...) that the world does not have."""
        if address in HUB_ALIASES:
            return self.hub
        if is_public_registry(address):
            raise NotSimulated(f"registry {address!r}", "it has Docker Hub and the registries you start")
        hostname, _, port_text = address.partition(":")
        port = int(port_text) if port_text.isdigit() else 443
        if hostname in ("localhost", "127.0.0.1"):
            container = self.hosts[from_host].engine.running_registry_ports().get(port)
            if container is None:
                raise RegistryUnreachable(
                    f"http://{address}/v2/", f"dial tcp 127.0.0.1:{port}: connect: connection refused"
                )
            return self._registry_of(container)
        if hostname in self.hosts:
            if self.hosts[hostname].engine.running_registry_ports().get(port) is None:
                raise RegistryUnreachable(
                    f"https://{address}/v2/", f"dial tcp {hostname}:{port}: connect: connection refused"
                )
            raise RegistryUnreachable(f"https://{address}/v2/", "http: server gave HTTP response to HTTPS client")
        raise RegistryUnreachable(f"https://{address}/v2/", f"dial tcp: lookup {hostname}: no such host")

    def registry_started(self, host: str, container: Container) -> None:
        """A ``registry`` container started: its storage lives as long as the container does."""
        self._registry_of(container)

    def _registry_of(self, container: Container) -> Registry:
        if container.id not in self.private_registries:
            self.private_registries[container.id] = Registry(address=f"registry-{container.id[:12]}")
        return self.private_registries[container.id]

    def registry_as_seen(self, address: str, from_host: str) -> Registry | None:
        """Like `registry` but None when unreachable (for state checks and pictures)."""
        try:
            return self.registry(address, from_host)
        except (RegistryUnreachable, NotSimulated):
            return None


def _checked_platform(platform: str) -> str:
    parts = platform.split("/") if isinstance(platform, str) else []
    if not 2 <= len(parts) <= 3 or not all(part.replace("_", "").isalnum() for part in parts):
        raise ValueError(f"platform {platform!r} is not os/architecture[/variant]")
    return format_platform(*split_platform(platform))


__all__ = ["World", "Host", "HUB_ADDRESS"]
