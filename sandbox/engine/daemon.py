"""One simulated dockerd: a host's images and containers, and the Engine API operations on them.

Method names follow the Engine API (``image_push``, ``container_stop``). The CLI talks only to this facade, as the
real client talks only to the Engine API; registries are reached only through the world's network map.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from sandbox.clock import Clock, IdSource, parse_rfc3339, rfc3339
from sandbox.content import (DEFAULT_PLATFORM, Image, ImageIndex, compatible_platforms, format_platform,
                             split_platform, uname_machine)
from sandbox.engine.containers import CREATED, EXITED, RUNNING, Container, ContainerStore, PortBinding
from sandbox.engine.distribution import Credentials, digest_key, fetch_descriptor, pull_image, push_image, tag_key
from sandbox.engine.filters import Filters
from sandbox.engine.images import ImageStore, chain_ids
from sandbox.engine.listing import ImageSummary, list_containers, list_images, prune_containers, prune_images
from sandbox.engine.progress import Stream
from sandbox.engine.users import exec_user, owned_directories
from sandbox.engine.search import search as search_registry
from sandbox.errors import (
    Conflict,
    ContainerNameInUse,
    ContainerRunning,
    ImageHasManyReferences,
    ImageInUse,
    InvalidArgument,
    InvalidReference,
    LoginFailed,
    NoSuchContainer,
    NoSuchImage,
    NotFound,
    NotSimulated,
    RunningContainerUsesImage,
    UnknownUser,
)
from sandbox.events import Event, EventLog
from sandbox.oci import Reference, familiar_string, parse_normalized_named, with_default_tag
from sandbox.registry.hub import unmodelled_program_layers
from sandbox.registry.registry import Registry, SearchResult
from sandbox.shell import normalize

_HEX_ID = re.compile(r"(?:sha256:)?[0-9a-f]{1,64}")
_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]+")
#: Main processes that, as PID 1, ignore SIGTERM: ``docker stop`` waits its 10 s grace period, then kills (137).
_IGNORES_SIGTERM = {"node", "python", "python3", "sleep", "sh", "bash", "ash", "tail", "cat", "top"}
#: Entrypoint scripts of official images that end with ``exec "$@"``.
_EXEC_WRAPPERS = {"docker-entrypoint.sh", "entrypoint.sh", "tini", "dumb-init", "--"}
#: Images whose entrypoints handle the stop signal and exit cleanly.
_HANDLES_SIGNALS = {"library/nginx", "library/redis", "library/registry", "library/httpd", "library/postgres"}
STOP_GRACE_SECONDS = 10
#: docker/cli exits 125 when the daemon could not start a container for a reason other than its command.
RUN_FAILED = 125


class Services(Protocol):
    """What a daemon needs from its world: time, identity, the event log and the registry network."""

    clock: Clock
    ids: IdSource
    events: EventLog

    def registry(self, address: str, from_host: str) -> Registry: ...

    def registry_started(self, host: str, container: Container) -> None: ...


@dataclass(frozen=True)
class RunOutcome:
    """What starting a container produced: its output so far and whether it is still running."""

    container: Container
    output: str
    error_output: str
    removed: bool


class Engine:
    """The daemon of one host."""

    def __init__(self, host: str, services: Services, platform: str = DEFAULT_PLATFORM) -> None:
        self.host = host
        self.services = services
        #: ``os/architecture[/variant]`` of this machine: what a pull picks from a multi-platform index
        self.platform = platform
        self.images = ImageStore()
        self.containers = ContainerStore()
        self.build_cache: dict[str, Image] = {}
        #: blobs BuildKit has fetched for builds (its own content store, apart from the image store)
        self.build_content: set[str] = set()
        self.sequence = 0

    @property
    def emulates(self) -> bool:
        """Whether this machine runs containers of other architectures. A host made on another platform is Docker
        Desktop on an Apple-silicon Mac (`World.host`), which registers binfmt emulators (QEMU, Rosetta); the
        default host is Docker Engine on Ubuntu (``docker info``), which has none, so the kernel refuses them."""
        return self.platform != DEFAULT_PLATFORM

    def runs_natively(self, image: Image) -> bool:
        """Whether this machine's kernel runs ``image``'s binaries itself (its platform, or one containerd's
        ``platforms.Only`` counts as compatible: 386 on amd64, 32-bit arm on arm64)."""
        _, architecture, variant = split_platform(image.platform)
        return any(arch == architecture and (not want or not variant or want == variant)
                   for _, arch, want in compatible_platforms(self.platform))

    def create_warnings(self, image_id: str, platform_requested: bool) -> list[str]:
        """The warnings ``POST /containers/create`` returns (moby v28.2.2 ``daemon/create.go``): with no platform
        requested, an image whose platform the host's (``maximumSpec``) does not match."""
        image = self.images.images.get(image_id)
        if platform_requested or image is None or self.runs_natively(image):
            return []
        return [f"The requested image's platform ({image.platform}) does not match the detected host platform "
                f"({self.maximum_spec}) and no specific platform was requested"]

    @property
    def maximum_spec(self) -> str:
        """containerd's DefaultSpec with amd64's micro-architecture level, as ``maximumSpec`` formats it: the
        sandbox's amd64 machines are x86-64-v3 (AVX2, any laptop CPU since 2013)."""
        os_name, architecture, variant = split_platform(self.platform)
        return format_platform(os_name, architecture, variant or ("v3" if architecture == "amd64" else ""))

    def uname_machine(self, image: Image) -> str:
        """What ``uname -m`` says in a container of ``image``: the kernel's own machine when it runs the image
        natively (dockerd sets no personality: a 386 container on amd64 says x86_64), the image's architecture under
        an emulator."""
        return self.platform_machine if self.runs_natively(image) else uname_machine(image.architecture, image.variant)

    @property
    def platform_machine(self) -> str:
        """This machine's architecture as ``uname -m`` (and ``docker info``'s Architecture) says it."""
        _, architecture, variant = split_platform(self.platform)
        return uname_machine(architecture, variant)

    def fork(self, services: Services) -> "Engine":
        """An independent daemon with the same state, living in ``services``' world."""
        twin = Engine(self.host, services, self.platform)
        twin.images = self.images.fork()
        twin.containers = self.containers.fork()
        twin.build_cache = dict(self.build_cache)
        twin.build_content = set(self.build_content)
        twin.sequence = self.sequence
        return twin

    # -- helpers ------------------------------------------------------------------------------------------------

    def now(self) -> str:
        """The world's current time in Docker's JSON form."""
        return rfc3339(self.services.clock.now)

    def record(self, kind: str, subject: str, text: str) -> None:
        """Append an explained event to the world's log."""
        self.services.events.append(Event(self.now(), self.host, kind, subject, text))

    def next_sequence(self) -> int:
        """A counter that orders arrivals on this host."""
        self.sequence += 1
        return self.sequence

    # -- images -------------------------------------------------------------------------------------------------

    def find_image(self, name: str) -> tuple[str, Reference | None]:
        """Resolve a name, reference, digest reference or ID prefix to an image ID. Raises `NoSuchImage`."""
        ref: Reference | None = None
        try:
            ref = parse_normalized_named(name)
        except InvalidReference:
            ref = None
        if ref is not None:
            if ref.digest:
                image_id = self.images.digests.get(digest_key(ref, ref.digest))
            else:
                ref = with_default_tag(ref)
                image_id = self.images.tags.get(tag_key(ref))
            if image_id:
                return image_id, ref
        if _HEX_ID.fullmatch(name):
            matches = self.images.find_by_id_prefix(name)
            if len(matches) == 1:
                return matches[0], None
        raise NoSuchImage(familiar_string(ref) if ref is not None and not _HEX_ID.fullmatch(name) else name)

    def image(self, name: str) -> Image:
        """The image a name resolves to. Raises `NoSuchImage`."""
        image_id, _ = self.find_image(name)
        return self.images.images[image_id]

    def image_list(self, filters: Filters | None = None, all_images: bool = False) -> list[ImageSummary]:
        """``GET /images/json``: images newest first, filtered as dockerd filters them (see `listing`)."""
        return list_images(self, filters or Filters(), all_images)

    def image_tag(self, source: str, target: str) -> None:
        """Give an image another name. Raises `NoSuchImage`, `InvalidReference`, `InvalidArgument`."""
        image_id, _ = self.find_image(source)
        ref = parse_normalized_named(target)
        if ref.digest:
            raise InvalidArgument("refusing to create a tag with a digest reference")
        ref = with_default_tag(ref)
        previous = self.images.tags.get(tag_key(ref))
        self.images.tags[tag_key(ref)] = image_id
        self.record("image.tag", familiar_string(ref), f"{familiar_string(ref)} now names image {image_id[7:19]}")
        if previous and previous != image_id:
            self._note_dangling(previous)

    def _note_dangling(self, image_id: str) -> None:
        if not self.images.references(image_id):
            self.record(
                "image.dangling", image_id[7:19],
                f"image {image_id[7:19]} lost its last name and shows as <none> in docker images",
            )

    def image_remove(self, name: str, force: bool = False) -> list[tuple[str, str]]:
        """``docker rmi``: untag and, when nothing names or uses it, delete. Returns (``Untagged``|``Deleted``, what).

        Raises `NoSuchImage` or a `Conflict` worded exactly as dockerd words it.
        """
        image_id, ref = self.find_image(name)
        records: list[tuple[str, str]] = []
        refs = self.images.references(image_id)
        quiet = False
        if ref is not None:
            using = self.containers.using_image(image_id)
            if not force and _single_reference(refs) and using:
                raise ImageInUse(name, using[0].id, image_id, by_reference=True)
            key = digest_key(ref, ref.digest) if ref.digest else tag_key(ref)
            self._forget_reference(key)
            records.append(("Untagged", _familiar_key(key)))
            if not ref.digest:
                name_part = key.rsplit(":", 1)[0]
                remaining = self.images.references(image_id)
                if not any(r.rsplit(":", 1)[0] == name_part for r in remaining if "@" not in r):
                    for other in remaining:
                        if "@" in other and other.split("@")[0] == name_part:
                            self._forget_reference(other)
                            records.append(("Untagged", _familiar_key(other)))
            if self.images.references(image_id):
                self.record("image.untag", _familiar_key(key), f"{_familiar_key(key)} untagged; the image keeps other names")
                return records
            quiet = True
        elif _single_reference(refs):
            self._check_delete_conflict(image_id, soft=not force, active_reference=False)
            for key in refs:
                self._forget_reference(key)
                records.append(("Untagged", _familiar_key(key)))
        conflict = self._delete_conflict(image_id, soft=not force)
        if conflict is not None:
            if quiet:
                return records
            raise conflict
        for key in self.images.references(image_id):
            self._forget_reference(key)
            records.append(("Untagged", _familiar_key(key)))
        removed_layers = self.images.remove(image_id, held=bool(self.containers.using_image(image_id)))
        records.append(("Deleted", image_id))
        records.extend(("Deleted", chain) for chain in removed_layers)
        self.record("image.delete", image_id[7:19], f"image {image_id[7:19]} deleted from {self.host}")
        return records

    def _forget_reference(self, key: str) -> None:
        self.images.tags.pop(key, None)
        self.images.digests.pop(key, None)

    def _check_delete_conflict(self, image_id: str, *, soft: bool, active_reference: bool) -> None:
        conflict = self._delete_conflict(image_id, soft=soft, active_reference=active_reference)
        if conflict is not None:
            raise conflict

    def _delete_conflict(self, image_id: str, *, soft: bool, active_reference: bool = True) -> Conflict | None:
        using = self.containers.using_image(image_id)
        running = [c for c in using if c.status == RUNNING]
        if running:
            return RunningContainerUsesImage(image_id, running[0].id)
        if not soft:
            return None
        if active_reference and self.images.references(image_id):
            return ImageHasManyReferences(image_id)
        if using:
            return ImageInUse("", using[0].id, image_id, by_reference=False)
        return None

    def image_prune(self, filters: Filters | None = None) -> tuple[list[tuple[str, str]], int]:
        """``POST /images/prune``: (``untagged``/``deleted`` records, bytes reclaimed); see `listing.prune_images`."""
        return prune_images(self, filters or Filters())

    def image_history(self, name: str) -> list[tuple[str, str, str, int, str]]:
        """``docker history`` rows, newest first: (image ID or ``<missing>``, created, created by, size, comment)."""
        image = self.image(name)
        rows = []
        layer_index = 0
        sizes = []
        for entry in image.history:
            if entry.empty_layer:
                sizes.append(0)
            else:
                sizes.append(image.layers[layer_index].size if layer_index < len(image.layers) else 0)
                layer_index += 1
        for position, entry in enumerate(image.history):
            rows.append(("<missing>", entry.created, entry.created_by, sizes[position], entry.comment))
        rows.reverse()
        if rows:
            rows[0] = (image.id, *rows[0][1:])
        return rows

    def image_inspect(self, name: str) -> dict:
        """The image as ``docker image inspect`` shows it."""
        image_id, _ = self.find_image(name)
        image = self.images.images[image_id]
        return {
            "Id": image_id,
            "RepoTags": [_familiar_key(key) for key in self.images.tags_of(image_id)],
            "RepoDigests": [_familiar_key(key) for key in self.images.digests_of(image_id)],
            "Parent": self.images.parents.get(image_id, ""),
            "Comment": next((entry.comment for entry in reversed(image.history) if entry.comment), ""),
            "Created": image.created,
            "DockerVersion": "",
            "Author": "",
            "Config": image.run.as_oci_json(),
            "Architecture": image.architecture,
            **({"Variant": image.variant} if image.variant else {}),
            "Os": image.os,
            "Size": image.size,
            "GraphDriver": _graph_driver(image),
            "RootFS": {"Type": "layers", "Layers": [layer.diff_id for layer in image.layers]},
            "Metadata": {"LastTagTime": "0001-01-01T00:00:00Z"},
        }

    # -- distribution -------------------------------------------------------------------------------------------

    def image_push(self, ref: Reference, who: Credentials, all_tags: bool = False) -> Stream:
        """Push a tag (or every tag of the repository) to its registry. The stream carries any refusal."""
        stream = Stream([])
        stream.say(f"The push refers to repository [{ref.domain}/{ref.path}]")
        if all_tags:
            prefix = f"{ref.domain}/{ref.path}:"
            targets = sorted(key for key in self.images.tags if key.startswith(prefix))
        else:
            targets = [tag_key(ref)]
        repository = f"{ref.domain}/{ref.path}:"
        if not any(key.startswith(repository) for key in self.images.tags):
            stream.error = NotFound(f"An image does not exist locally with the tag: {_familiar_repo(ref)}")
            return stream
        if not targets or targets[0] not in self.images.tags:
            stream.error = NotFound(f"tag does not exist: {familiar_string(ref)}")
            return stream
        try:
            registry = self.services.registry(ref.domain, self.host)
        except Exception as unreachable:
            stream.error = unreachable
            return stream
        for key in targets:
            tagged = parse_normalized_named(_familiar_key(key))
            image = self.images.images[self.images.tags[key]]
            push_image(self.images, registry, tagged, image, who, stream, self.now())
            if stream.error is not None:
                self.record("image.push.denied", familiar_string(tagged), _push_denial_reason(tagged, who))
                return stream
            self.record(
                "image.push", familiar_string(tagged),
                f"{familiar_string(tagged)} pushed to {ref.domain}: {stream.bytes_moved} bytes uploaded",
            )
        return stream

    def image_pull(self, ref: Reference, who: Credentials, all_tags: bool = False, platform: str | None = None
                   ) -> Stream:
        """Pull a reference (or every tag) from its registry, for ``platform`` (this machine's unless given). Raises
        registry errors, or `NoMatchingManifest`, before any progress."""
        platform = platform or self.platform
        registry = self.services.registry(ref.domain, self.host)
        stream = Stream([])
        if all_tags:
            user = who.username
            if user is not None:
                registry.authenticate(user, who.password or "")
            tags = registry.tags(user, ref.path, _familiar_repo(ref))
            for tag in tags:
                tagged = parse_normalized_named(f"{_familiar_repo(ref)}:{tag}")
                pull_image(self.images, registry, tagged, who, stream, self.next_sequence(), platform)
            stream.messages = [m for m in stream.messages if not m.status.startswith("Status:")]
            stream.say(f"Status: Downloaded newer image for {_familiar_repo(ref)}")
        else:
            previous = self.images.tags.get(tag_key(ref)) if not ref.digest else None
            image = pull_image(self.images, registry, ref, who, stream, self.next_sequence(), platform)
            if previous and previous != image.id:
                self._note_dangling(previous)
        self.record("image.pull", familiar_string(ref), f"{familiar_string(ref)} pulled to {self.host}: "
                    f"{stream.bytes_moved} bytes downloaded")
        return stream

    def distribution_inspect(self, ref: Reference, who: Credentials) -> Image | ImageIndex:
        """``GET /distribution/{name}/json``: what a reference names on its registry (an image's manifest or a
        multi-platform index), read with ``who``'s credentials; nothing changes. Raises the registry's errors."""
        return fetch_descriptor(self.services.registry(ref.domain, self.host), ref, who)

    def image_search(self, term: str, filters: Mapping[str, Iterable[str]] | None = None,
                     limit: int = 0) -> list[SearchResult]:
        """``GET /images/search``: ask the registry the term names (Docker Hub unless it starts with a registry host).

        No login is needed and nothing changes. ``limit`` 0 means the daemon's default of 25. Raises `InvalidFilter`,
        `SearchTermHasScheme`, `SearchLimitOutOfRange`, `InvalidRegistryEndpoint` or `UnexpectedStatusCode`.
        """
        return search_registry(self.services, self.host, term, filters or {}, limit)

    def system_auth(self, address: str, username: str, password: str) -> None:
        """Check credentials with a registry (``docker login``). Raises `LoginFailed`, `RegistryUnreachable` or
        `InvalidArgument` for an address Go's url.Parse refuses."""
        bad = _bad_host_character(address)
        if bad is not None:
            url = address if address.startswith(("https://", "http://")) else "https://" + address
            raise InvalidArgument(f'unable to parse server address: parse "{url}": invalid character '
                                  f'"{bad}" in host name')
        registry = self.services.registry(address, self.host)
        try:
            registry.authenticate(username, password)
        except LoginFailed:
            endpoint = "https://registry-1.docker.io/v2/" if registry.address == "docker.io" else \
                f"https://{address}/v2/"
            self.record("login.failed", address, f"login to {address} as {username} refused: wrong username or password")
            raise LoginFailed(endpoint) from None
        self.record("login", address, f"{username} logged in to {address} from {self.host}")

    def image_build(self, context: dict[str, bytes], dockerfile_name: str, dockerfile: str | None, tags: list[str],
                    build_args: dict[str, str], no_cache: bool = False, pull: bool = False, target: str = "",
                    labels: Mapping[str, str] | None = None):
        """Build an image (the stage ``target``, the last when empty; with ``labels`` on its config) and tag it.
        Returns the build report (its ``error`` set when the build failed). Raises `NotSimulated` before anything
        changes for a Dockerfile the sandbox cannot build as BuildKit would."""
        from sandbox.engine.build import build

        report = build(self, context, dockerfile_name, dockerfile, tags, build_args, no_cache=no_cache, pull=pull,
                       target=target, labels=labels)
        if report.image is None:
            return report
        image = report.image
        self.images.add(image, self.next_sequence())
        for tag in tags:
            ref = with_default_tag(parse_normalized_named(tag))
            previous = self.images.tags.get(tag_key(ref))
            self.images.tags[tag_key(ref)] = image.id
            if previous and previous != image.id:
                self._note_dangling(previous)
            self.record("image.build", familiar_string(ref), f"{familiar_string(ref)} built on {self.host}")
        return report

    # -- containers ---------------------------------------------------------------------------------------------

    def container_create(
        self,
        image_name: str,
        *,
        name: str | None = None,
        command: tuple[str, ...] | None = None,
        entrypoint: tuple[str, ...] | None = None,
        env: tuple[str, ...] = (),
        ports: tuple[PortBinding, ...] = (),
        auto_remove: bool = False,
        interactive: bool = False,
        tty: bool = False,
        detached: bool = False,
        workdir: str | None = None,
        user: str | None = None,
        ipc_mode: str = "",
    ) -> Container:
        """Create a container. Raises `NoSuchImage`, `ContainerNameInUse`, `InvalidArgument`."""
        # dockerd verifies the config and host config before it looks for the image (so a bad one never pulls):
        # translateWorkingDir, then the host config's modes.
        if workdir and not workdir.startswith("/"):
            raise InvalidArgument(f"the working directory '{workdir}' is invalid, it needs to be an absolute path")
        if not _valid_ipc_mode(ipc_mode):
            raise InvalidArgument(f"invalid IPC mode: {ipc_mode}")
        image_id, _ = self.find_image(image_name)
        image = self.images.images[image_id]
        if any(layer.digest in unmodelled_program_layers() for layer in image.layers):
            raise NotSimulated(f"running a container of {image_name!r}",
                               "this sandbox pulls, tags, pushes and builds on this image but does not model its programs")
        if name is not None:
            if not _NAME.fullmatch(name):
                raise InvalidArgument(
                    f"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
                )
            existing = self.containers.by_name(name)
            if existing is not None:
                raise ContainerNameInUse(name, existing.id)
        container_id = self.services.ids.next_id()
        if name is None:
            name = _generated_name(container_id)
        run = image.run
        working_dir = normalize(workdir) if workdir else run.working_dir
        if working_dir and working_dir in image.files():  # SetupWorkingDirectory's MkdirAll meets a file
            raise InvalidArgument(f"Cannot mkdir: {working_dir} is not a directory")
        argv = list(entrypoint if entrypoint is not None else (run.entrypoint or ()))
        argv += list(command if command is not None else (run.cmd or () if entrypoint is None else ()))
        if not argv:
            raise InvalidArgument("no command specified")
        container = Container(
            id=container_id,
            name=name,
            image_id=image_id,
            image=image_name,
            path=argv[0],
            args=tuple(argv[1:]),
            created=self.now(),
            env=tuple(run.env) + tuple(env),
            working_dir=working_dir,
            user=user if user else run.user,
            ports=ports,
            exposed=run.exposed_ports,
            auto_remove=auto_remove,
            interactive=interactive,
            tty=tty,
            detached=detached,
        )
        self.containers.put(container)
        self.record("container.create", name, f"container {name} created from {image_name}")
        return container

    def container(self, name_or_id: str) -> Container:
        """Find a container. Raises `NoSuchContainer`."""
        found = self.containers.find(name_or_id)
        if found is None:
            raise NoSuchContainer(name_or_id)
        return found

    def container_start(self, name_or_id: str, stdin: str | None = None) -> RunOutcome:
        """Start a created or exited container and run its process as far as it goes on its own; an interactive
        (``-i``) container reads ``stdin`` when the client pipes it text."""
        from sandbox.engine.process import simulate

        container = self.container(name_or_id)
        if container.status == RUNNING:
            return RunOutcome(container, "", "", False)
        image = self.images.for_container(container.image_id)
        for binding in container.ports:
            self._check_port_free(binding, container.id)
        env = _daemon_environment(container, container.tty)
        repo = _repository_of(self, container.image_id)
        try:  # createSpec's WithUser: a user the container's files lack fails the start, exit code 128
            user = exec_user(container.user, image.files())
        except UnknownUser as unknown:
            self._start_failed(container, 128)
            raise _StartFailed(unknown.message, RUN_FAILED) from None
        outcome = simulate(
            (container.path, *container.args),
            env=env,
            workdir=container.working_dir or "/",
            files=image.files(),
            user=user,
            owned=owned_directories(image.extra, user.uid),
            native=self.runs_natively(image) or self.emulates,
            interactive=container.interactive,
            tty=container.tty,
            image_hint=repo,
            now=self.services.clock.now,
            stdin=stdin if container.interactive else None,
            machine=self.uname_machine(image),
        )
        if outcome.start_error:
            self._start_failed(container, outcome.exit_code or 127)
            raise _StartFailed(outcome.start_error, outcome.exit_code or 127)
        ignores = _ignores_sigterm(repo, (container.path, *container.args))
        started = container.started(self.now(), outcome.stdout + outcome.stderr).wrote(outcome.written)
        started = _with(started, ignores_sigterm=ignores, restarts=container.restarts + (container.status == EXITED))
        self.containers.put(started)
        self.record("container.start", started.name, f"container {started.name} started")
        if repo == "library/registry":
            self.services.registry_started(self.host, started)
        if outcome.exit_code is None:
            return RunOutcome(started, outcome.stdout, outcome.stderr, False)
        if outcome.duration and container.detached:
            ends = self.services.clock.now + timedelta(seconds=outcome.duration)
            started = _with(started, exits_at=rfc3339(ends), pending_exit_code=outcome.exit_code)
            self.containers.put(started)
            return RunOutcome(started, outcome.stdout, outcome.stderr, False)
        self.services.clock.advance(max(1, outcome.duration))  # a foreground run waits for its process
        exited = started.exited(self.now(), outcome.exit_code)
        return RunOutcome(exited, outcome.stdout, outcome.stderr, self._after_exit(exited, "its process exited"))

    def _start_failed(self, container: Container, code: int) -> None:
        """A start the runtime refused: the container stays created with the exit code dockerd set (removed with
        ``--rm``)."""
        failed = _replace_status(container.exited(self.now(), code), CREATED)
        self.containers.put(failed)
        if container.auto_remove:
            self._forget_container(container.id)

    def _check_port_free(self, binding: PortBinding, own_id: str) -> None:
        for other in self.containers:
            if other.id == own_id or other.status != RUNNING:
                continue
            if any(b.host_port == binding.host_port and b.protocol == binding.protocol for b in other.ports):
                raise _StartFailed(
                    "driver failed programming external connectivity on endpoint "
                    f"{self.containers.containers[own_id].name} ({own_id}): Bind for "
                    f"{binding.host_ip or '0.0.0.0'}:{binding.host_port} failed: port is already allocated",
                    125,
                )

    def _after_exit(self, container: Container, why: str) -> bool:
        """Store an exited container, or remove it when it was started with ``--rm``. True when removed."""
        if container.auto_remove:
            self._forget_container(container.id)
            self.record(
                "container.destroy", container.name,
                f"container {container.name} was removed when it stopped, because it was started with --rm ({why})",
            )
            return True
        self.containers.put(container)
        self.record(
            "container.die", container.name,
            f"container {container.name} exited with code {container.exit_code} ({why}); it still exists until "
            "docker rm",
        )
        return False

    def settle(self) -> None:
        """Let containers whose process was due to end by now (``sleep N``) exit, as time passed."""
        now = self.services.clock.now
        for container in list(self.containers):
            if container.status == RUNNING and container.exits_at and parse_rfc3339(container.exits_at) <= now:
                ended = _with(container.exited(container.exits_at, container.pending_exit_code), exits_at=None)
                self._after_exit(ended, "its process exited")

    def container_stop(self, name_or_id: str, timeout: int | None = None) -> Container:
        """Stop a running container (a stopped one is left as it is). Raises `NoSuchContainer`."""
        container = self.container(name_or_id)
        if container.status != RUNNING:
            return container
        grace = STOP_GRACE_SECONDS if timeout is None else max(timeout, 0)
        if container.ignores_sigterm:
            self.services.clock.advance(grace)
            code = 137
        else:
            self.services.clock.advance(1)
            code = 0
        stopped = container.exited(self.now(), code)
        self._after_exit(stopped, "docker stop")
        return stopped

    def container_kill(self, name_or_id: str) -> Container:
        """Kill a running container (exit code 137)."""
        container = self.container(name_or_id)
        if container.status != RUNNING:
            raise Conflict(f"cannot kill container: {name_or_id}: container {container.id} is not running")
        killed = container.exited(self.now(), 137)
        self._after_exit(killed, "docker kill")
        return killed

    def container_exec(self, name_or_id: str, argv: tuple[str, ...], *, interactive: bool = False,
                       tty: bool = False, stdin: str | None = None, user: str = "", workdir: str = ""):
        """Run another process in a running container, as ``user`` (the container's own unless given) in
        ``workdir`` (likewise); returns its `ProcessOutcome`. With ``interactive`` it reads ``stdin`` (or an open
        terminal when None).

        Raises `NoSuchContainer`, `Conflict` when the container is not running, `UnknownUser` (ContainerExecCreate
        looks an explicit user up before the exec exists).
        """
        from sandbox.engine.process import simulate

        container = self.container(name_or_id)
        if container.status != RUNNING:
            raise Conflict(f"container {container.id} is not running")
        image = self.images.for_container(container.image_id)
        files = image.files()
        process_user = exec_user(user or container.user, files)
        cwd = workdir or container.working_dir or "/"
        env = _daemon_environment(container, tty)
        outcome = simulate(argv, env=env, workdir=cwd, files=files,
                           interactive=interactive, tty=tty, image_hint=_repository_of(self, container.image_id),
                           now=self.services.clock.now, stdin=stdin,
                           machine=self.uname_machine(image), user=process_user,
                           owned=owned_directories(image.extra, process_user.uid),
                           make_cwd=normalize(cwd) == normalize(container.working_dir or "/"))
        if outcome.written:
            self.containers.put(self.container(container.id).wrote(outcome.written))
        self.record("container.exec", container.name, f"{' '.join(argv)} ran inside {container.name}")
        return outcome

    def container_attach(self, name_or_id: str, argv: tuple[str, ...] | None = None, *, user: str = "",
                         workdir: str = ""):
        """A terminal on a running container: its main process (``docker run -it``) or a new one (``docker exec
        -it``, ``argv``). Returns an `Attached` shell, or None when that process is not a shell of the image.

        Raises `NoSuchContainer`, or `Conflict` when the container is not running.
        """
        from sandbox.engine.process import Attached

        container = self.container(name_or_id)
        if container.status != RUNNING:
            raise Conflict(f"container {container.id} is not running")
        image = self.images.images[container.image_id]
        command = argv or (container.path, *container.args)
        files = image.files()
        process_user = exec_user(user or container.user, files)
        try:
            return Attached(command, env=_daemon_environment(container, True), workdir=workdir or
                            container.working_dir or "/", files=files,
                            image_hint=_repository_of(self, container.image_id), now=self.services.clock.now,
                            user=process_user, owned=owned_directories(image.extra, process_user.uid),
                            machine=self.uname_machine(image))
        except ValueError:
            return None

    def container_main_exited(self, name_or_id: str, code: int) -> None:
        """The main process of a running container ended (its attached shell exited): the container stops."""
        container = self.container(name_or_id)
        if container.status == RUNNING:
            self._after_exit(container.exited(self.now(), code), "its process exited")

    def container_prune(self, filters: Filters | None = None) -> list[Container]:
        """``POST /containers/prune``: the stopped containers removed; see `listing.prune_containers`."""
        return prune_containers(self, filters or Filters())

    def _forget_container(self, container_id: str) -> None:
        """Delete a container; an image ``rmi -f`` deleted under it goes with it."""
        self.containers.delete(container_id)
        self.images.release({c.image_id for c in self.containers})

    def container_remove(self, name_or_id: str, force: bool = False) -> Container:
        """Remove a container. Raises `NoSuchContainer`, or `ContainerRunning` for a running one without force."""
        container = self.container(name_or_id)
        if container.status == RUNNING and not force:
            raise ContainerRunning(name_or_id)
        self._forget_container(container.id)
        self.record("container.destroy", container.name, f"container {container.name} removed by docker rm")
        return container

    def container_list(self, filters: Filters | None = None, all_containers: bool = False, limit: int = -1,
                       ) -> list[Container]:
        """``GET /containers/json``: newest first, running ones only unless ``all_containers`` (or a ``status``
        filter, or a ``limit``); see `listing.list_containers`."""
        return list_containers(self, filters or Filters(), all_containers, limit)

    def container_logs(self, name_or_id: str) -> str:
        """What the container's process has printed so far (its newest `MAX_LOGS` characters)."""
        return self.container(name_or_id).logs

    def container_logs_dropped(self, name_or_id: str) -> int:
        """How many of the container's oldest log characters the sandbox dropped to keep `MAX_LOGS`."""
        return self.container(name_or_id).logs_dropped

    def container_size(self, container: Container) -> tuple[int, int]:
        """``SizeRw`` and ``SizeRootFs`` of a container, as ``GET /containers/json?size=1`` reports them: its
        writable layer, and that plus its image's layers (GetContainerLayerSize)."""
        image = self.images.images.get(container.image_id) or self.images.held.get(container.image_id)
        return container.size_rw, container.size_rw + (image.size if image else 0)

    def container_inspect(self, name_or_id: str, size: bool = False) -> dict:
        """The container as ``docker container inspect`` shows it; with ``size`` (``GET /containers/{id}/json?size=1``)
        also ``SizeRw`` and ``SizeRootFs``, after the host config as the API orders them."""
        c = self.container(name_or_id)
        image = self.images.images.get(c.image_id) or self.images.held.get(c.image_id)
        shown = self._container_json(c, image)
        if not size:
            return shown
        size_rw, size_root_fs = self.container_size(c)
        ordered = {}
        for key, value in shown.items():
            ordered[key] = value
            if key == "HostConfig":
                ordered.update({"SizeRw": size_rw, "SizeRootFs": size_root_fs})
        return ordered

    def _container_json(self, c: Container, image: Image | None) -> dict:
        return {
            "Id": c.id,
            "Created": c.created,
            "Path": c.path,
            "Args": list(c.args),
            "State": {
                "Status": c.status,
                "Running": c.status == RUNNING,
                "Paused": False,
                "Restarting": False,
                "OOMKilled": False,
                "Dead": False,
                "Pid": 4242 if c.status == RUNNING else 0,
                "ExitCode": c.exit_code,
                "Error": "",
                "StartedAt": c.started_at,
                "FinishedAt": c.finished_at,
            },
            "Image": c.image_id,
            "Name": "/" + c.name,
            "RestartCount": 0,
            "HostConfig": {
                "AutoRemove": c.auto_remove,
                "PortBindings": {
                    f"{b.container_port}/{b.protocol}": [{"HostIp": b.host_ip, "HostPort": str(b.host_port)}]
                    for b in c.ports
                },
            },
            "Config": {
                "Hostname": c.id[:12],
                "Env": list(c.env),
                "Cmd": list(c.args) if c.args else None,
                "Image": c.image,
                "User": c.user,
                "WorkingDir": c.working_dir,
                "Entrypoint": None,
                "Tty": c.tty,
                "OpenStdin": c.interactive,
            },
        }

    def running_registry_ports(self) -> dict[int, Container]:
        """Host ports on which a running ``registry`` container listens (its container port 5000)."""
        ports = {}
        for container in self.containers:
            if container.status != RUNNING or _repository_of(self, container.image_id) != "library/registry":
                continue
            for binding in container.ports:
                if binding.container_port == 5000:
                    ports[binding.host_port] = container
        return ports


def _graph_driver(image: Image) -> dict:
    """overlay2's directories for an image, named (deterministically) after its layer chain, as inspect shows them."""
    chains = [chain.removeprefix("sha256:")[:25] for chain in chain_ids(image)]
    data = {}
    if len(chains) > 1:
        data["LowerDir"] = ":".join(f"/var/lib/docker/overlay2/{c}/diff" for c in reversed(chains[:-1]))
    top = chains[-1] if chains else "0" * 25
    data.update({"MergedDir": f"/var/lib/docker/overlay2/{top}/merged",
                 "UpperDir": f"/var/lib/docker/overlay2/{top}/diff",
                 "WorkDir": f"/var/lib/docker/overlay2/{top}/work"})
    return {"Data": data, "Name": "overlay2"}


class _StartFailed(InvalidArgument):
    """The runtime could not start the container's process."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


StartFailed = _StartFailed


def _with(container: Container, **changes) -> Container:
    from dataclasses import replace

    return replace(container, **changes)


def _replace_status(container: Container, status: str) -> Container:
    return _with(container, status=status)


def _ignores_sigterm(repository: str, argv: tuple[str, ...]) -> bool:
    """Whether PID 1 ignores SIGTERM; an entrypoint script that ``exec``s its command hands PID 1 to that command."""
    if repository in _HANDLES_SIGNALS:
        return False
    program = list(argv)
    while program and program[0].rsplit("/", 1)[-1] in _EXEC_WRAPPERS and len(program) > 1:
        program = program[1:]
    return bool(program) and program[0].rsplit("/", 1)[-1] in _IGNORES_SIGTERM


def _repository_of(engine: Engine, image_id: str) -> str:
    """The repository path an image came from (``library/nginx``), for image-specific behaviour."""
    image = engine.images.images.get(image_id) or engine.images.held.get(image_id)
    if image is not None and image.extra.get("repository"):
        return image.extra["repository"]
    for key in engine.images.references(image_id):
        name = key.split("@")[0].rsplit(":", 1)[0] if "@" in key else key.rsplit(":", 1)[0]
        return name.split("/", 1)[1] if "/" in name else name
    return ""


def _familiar_key(key: str) -> str:
    """``docker.io/library/alpine:latest`` -> ``alpine:latest`` (reference store key to familiar form)."""
    return familiar_string(parse_normalized_named(key))


def _familiar_repo(ref: Reference) -> str:
    return familiar_string(Reference(ref.domain, ref.path, None, None))


#: oci.DefaultPathEnv for Linux: the PATH every process starts with unless the container's Env sets one.
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def _daemon_environment(container: Container, tty: bool) -> dict[str, str]:
    """moby's CreateDaemonEnvironment: PATH, HOSTNAME (the short ID), TERM with a TTY, then the container's Env
    replacing those in place or appended in order (a dict keeps that order)."""
    env = {"PATH": DEFAULT_PATH, "HOSTNAME": container.id[:12]}
    if tty:
        env["TERM"] = "xterm"
    for item in container.env:
        key, _, value = item.partition("=")
        env[key] = value
    return env


def _bad_host_character(address: str) -> str | None:
    """The first character Go's url.Parse refuses in the host part of ``address`` (``shouldEscape`` in host mode)."""
    host = address.split("://", 1)[-1]
    host = re.split(r"[/?#]", host, maxsplit=1)[0].rsplit("@", 1)[-1]
    for char in host:
        if char.isascii() and not (char.isalnum() or char in "-_.~!$&'()*+,;=:[]<>\"%"):
            return char
    return None


def _valid_ipc_mode(mode: str) -> bool:
    """moby's IpcMode.Valid: a known mode, or ``container:`` with any name (even none)."""
    return mode in ("", "none", "private", "host", "shareable") or mode.startswith("container:")


def _single_reference(refs: list[str]) -> bool:
    """dockerd's isSingleReference: all references in one repository, with at most one tag among them."""
    if len(refs) <= 1:
        return len(refs) == 1
    names = set()
    single = None
    for ref in refs:
        name = ref.split("@")[0] if "@" in ref else ref.rsplit(":", 1)[0]
        if "@" in ref:
            names.add(name)
        elif single is None:
            names.add(name)
            single = name
        else:
            return False
    if single is None:
        first = refs[0]
        single = first.split("@")[0] if "@" in first else first.rsplit(":", 1)[0]
    return len(names) == 1 and single in names


def _push_denial_reason(ref: Reference, who: Credentials) -> str:
    namespace = ref.path.split("/", 1)[0]
    if who.username is None:
        return f"push of {familiar_string(ref)} denied: this host is not logged in to {ref.domain}"
    if namespace == "library":
        return (
            f"push of {familiar_string(ref)} denied: library/ holds Docker's official images; "
            f"{who.username} may push only to {who.username}/..."
        )
    return f"push of {familiar_string(ref)} denied: {who.username} may not push to the namespace {namespace}/"


_ADJECTIVES = (
    "admiring", "brave", "clever", "dreamy", "eager", "festive", "gallant", "happy", "jolly", "keen", "loving",
    "modest", "nifty", "optimistic", "peaceful", "quirky", "relaxed", "serene", "tender", "vibrant", "wizardly",
    "youthful", "zealous", "bold",
)
_SURNAMES = (
    "archimedes", "babbage", "curie", "darwin", "einstein", "feynman", "goldberg", "hopper", "johnson", "kepler",
    "lovelace", "meitner", "noether", "pasteur", "ritchie", "shannon", "turing", "volhard", "wozniak", "yalow",
)


def _generated_name(container_id: str) -> str:
    """A Docker-style ``adjective_surname`` name, derived from the (deterministic) container ID."""
    number = int(container_id[:8], 16)
    return f"{_ADJECTIVES[number % len(_ADJECTIVES)]}_{_SURNAMES[(number // 31) % len(_SURNAMES)]}"
