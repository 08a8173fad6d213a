"""Every error the sandbox raises, each keeping its facts and building the sentence Docker prints.

The tree::

    SandboxError                      base; ``str(err)`` is Docker's text without any prefix
    ├── InvalidReference (ValueError)  reference grammar (client side: printed bare)
    │   └── InvalidDigest              the digest part of a reference
    ├── UsageError                     client-side usage: unknown command/flag, argument counts
    ├── BuildError                     a failed ``docker build`` (BuildKit's wording)
    ├── NotSimulated                   what real Docker reaches and this sandbox does not: one plain line
    └── DaemonError                    printed after ``Error response from daemon: ``
        ├── NotFound (LookupError)
        │   ├── NoSuchImage
        │   ├── NoSuchContainer
        │   └── NoMatchingManifest     an index lists no image for the platform pulled
        ├── Conflict
        │   ├── ImageInUse
        │   ├── ContainerNameInUse
        │   └── ContainerRunning
        ├── InvalidArgument
        │   ├── InvalidFilter          a ``--filter`` dockerd does not accept
        │   ├── SearchLimitOutOfRange  ``docker search --limit`` above 100
        │   ├── UnknownUser            ``-u`` names a user or group the container's /etc/passwd, /etc/group lack
        │   └── SearchTermHasScheme    ``docker search http://...``
        └── RegistryError              carries a distribution error code (DENIED, MANIFEST_UNKNOWN, ...)
            ├── LoginFailed
            ├── PullAccessDenied
            ├── ManifestNotFound
            ├── RepositoryUnknown
            ├── PushDenied             arrives in the push stream: printed bare, no daemon prefix
            ├── UnexpectedStatusCode   a v1 search answered with an HTTP error (registry:2 has no search)
            └── RegistryUnreachable    the URL tried and the network's cause
                └── InvalidRegistryEndpoint   ``docker search``'s v1 ping failed

Code branches on these types; the text is for people.
"""

from __future__ import annotations


def short_id(identifier: str) -> str:
    """Docker's TruncateID: drop an ``algorithm:`` prefix, keep 12 hex characters."""
    return identifier.rsplit(":", 1)[-1][:12]


class SandboxError(Exception):
    """Base of every error the sandbox raises on purpose."""

    #: The exit code the docker client uses when this error ends a command.
    exit_code: int = 1
    #: True when the docker client prints the error after ``Error response from daemon: ``.
    from_daemon: bool = False

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidReference(SandboxError, ValueError):
    """A string that does not follow the image reference grammar."""


class InvalidDigest(InvalidReference):
    """A string that is not an ``algorithm:hex`` content digest (a reference with a bad digest is a bad reference)."""


class UsageError(SandboxError):
    """The client refused a command line before talking to the daemon; ``message`` is the whole stderr text."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class BuildError(SandboxError):
    """A failed build; ``message`` is BuildKit's ``ERROR: ...`` text."""


def not_available(subject: str) -> str:
    """The one plain line for a command, flag, registry or repository real Docker reaches and this sandbox does not
    model (``docker: 'volume create' is not available in this sandbox``): never a made-up Docker error instead."""
    return f"docker: {subject} is not available in this sandbox"


class NotSimulated(SandboxError):
    """Real Docker would reach something this sandbox does not model: a registry other than Docker Hub and the ones
    a learner starts, or a Docker Hub repository that exists on the real Hub but not in the catalogue. The client
    prints `not_available`'s line bare (no daemon prefix, since no daemon said it) and exits 1; nothing changed."""

    def __init__(self, subject: str, reason: str = "") -> None:
        super().__init__(not_available(subject) + (f" ({reason})" if reason else ""))
        self.subject, self.reason = subject, reason


class DaemonError(SandboxError):
    """An error the daemon returns to the client."""

    from_daemon = True


class NotFound(DaemonError, LookupError):
    """An object the daemon does not have."""


class NoSuchImage(NotFound):
    """No local image matches the name or ID."""

    def __init__(self, name: str) -> None:
        super().__init__(f"No such image: {name}")
        self.name = name


class NoMatchingManifest(NotFound):
    """A multi-platform index has no image the daemon's platform (or ``--platform``) can run (moby's pull_v2)."""

    def __init__(self, platform: str) -> None:
        super().__init__(f"no matching manifest for {platform} in the manifest list entries")
        self.platform = platform


class NoSuchContainer(NotFound):
    """No container matches the name or ID."""

    def __init__(self, name: str) -> None:
        super().__init__(f"No such container: {name}")
        self.name = name


class Conflict(DaemonError):
    """The request conflicts with the daemon's current state."""


class ImageInUse(Conflict):
    """An image (or the tag being removed) is used by a container."""

    def __init__(self, name: str, container_id: str, image_id: str, *, by_reference: bool) -> None:
        if by_reference:
            text = (
                f"conflict: unable to remove repository reference \"{name}\" (must force) - "
                f"container {short_id(container_id)} is using its referenced image {short_id(image_id)}"
            )
        else:
            text = (
                f"conflict: unable to delete {short_id(image_id)} (must be forced) - "
                f"image is being used by stopped container {short_id(container_id)}"
            )
        super().__init__(text)
        self.name, self.container_id, self.image_id = name, container_id, image_id


class ImageHasManyReferences(Conflict):
    """``rmi`` by ID of an image that several repositories name."""

    def __init__(self, image_id: str) -> None:
        super().__init__(
            f"conflict: unable to delete {short_id(image_id)} (must be forced) - "
            "image is referenced in multiple repositories"
        )
        self.image_id = image_id


class RunningContainerUsesImage(Conflict):
    """``rmi -f`` of an image that a running container uses."""

    def __init__(self, image_id: str, container_id: str) -> None:
        super().__init__(
            f"conflict: unable to delete {short_id(image_id)} (cannot be forced) - "
            f"image is being used by running container {short_id(container_id)}"
        )
        self.image_id, self.container_id = image_id, container_id


class ContainerNameInUse(Conflict):
    """``--name`` names a container that already exists."""

    def __init__(self, name: str, container_id: str) -> None:
        super().__init__(
            f"Conflict. The container name \"/{name}\" is already in use by container "
            f"\"{container_id}\". You have to remove (or rename) that container to be able to reuse that name."
        )
        self.name, self.container_id = name, container_id


class ContainerRunning(Conflict):
    """``rm`` without ``-f`` of a running container."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"cannot remove container \"{name}\": container is running: stop the container before "
            "removing or force remove"
        )
        self.name = name


class InvalidArgument(DaemonError):
    """The daemon rejected a parameter."""


class InvalidFilter(InvalidArgument):
    """A filter the daemon refuses: an unknown name, a value it cannot read, or values that contradict each other.

    Without ``cause`` this is moby's ``invalidFilter`` (``invalid filter 'is-official=[yes]'``, the values printed as
    Go prints a list); with one it is a value that is not a number (``invalid filter 'stars=a': strconv.Atoi: ...``).
    """

    def __init__(self, name: str, values: tuple[str, ...] | None = None, *, cause: str = "") -> None:
        if cause:
            text = f"invalid filter '{name}={(values or ('',))[0]}': {cause}"
        elif values is None:
            text = f"invalid filter '{name}'"
        else:
            text = f"invalid filter '{name}=[{' '.join(values)}]'"
        super().__init__(text)
        self.name, self.values, self.cause = name, values, cause


class SearchLimitOutOfRange(InvalidArgument):
    """``docker search --limit`` outside what the daemon forwards to a registry."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"limit {limit} is outside the range of [1, 100]")
        self.limit = limit


class SearchTermHasScheme(InvalidArgument):
    """A search term that starts with ``http://`` or ``https://`` (a term names a registry by host, never by URL)."""

    def __init__(self, term: str) -> None:
        super().__init__(f"invalid repository name: repository name ({term}) should not have a scheme")
        self.term = term


class UnknownUser(InvalidArgument):
    """A ``-u USER[:GROUP]`` the container's files cannot resolve (moby/sys/user's errors, as dockerd returns them):
    ``kind`` is ``"user"`` or ``"group"``, ``name`` what was asked for; ``name`` empty for an id out of range."""

    def __init__(self, kind: str, name: str) -> None:
        if name:
            text = f"unable to find {kind} {name}: no matching entries in {'passwd' if kind == 'user' else 'group'} file"
        else:
            text = "uids and gids must be in range 0-2147483647"
        super().__init__(text)
        self.kind, self.name = kind, name

    @classmethod
    def out_of_range(cls) -> "UnknownUser":
        """moby/sys/user's ErrRange: a numeric uid or gid below 0 or above 2^31-1."""
        return cls("user", "")


class RegistryError(DaemonError):
    """An error a registry answered with; ``code`` is the distribution spec's error code."""

    code: str = "UNKNOWN"


class LoginFailed(RegistryError):
    """Wrong username or password."""

    code = "UNAUTHORIZED"

    def __init__(self, endpoint: str | None = None) -> None:
        text = "unauthorized: incorrect username or password"
        super().__init__(f'Get "{endpoint}": {text}' if endpoint else text)
        self.endpoint = endpoint


class PullAccessDenied(RegistryError):
    """The repository does not exist, or the caller may not read it (the registry does not say which)."""

    code = "DENIED"

    def __init__(self, familiar: str) -> None:
        super().__init__(
            f"pull access denied for {familiar}, repository does not exist or may require 'docker login': "
            "denied: requested access to the resource is denied"
        )
        self.familiar = familiar


class ManifestNotFound(RegistryError):
    """The repository exists but has no such tag or digest."""

    code = "MANIFEST_UNKNOWN"

    def __init__(self, familiar: str) -> None:
        super().__init__(f"manifest for {familiar} not found: manifest unknown: manifest unknown")
        self.familiar = familiar


class RepositoryUnknown(RegistryError):
    """A registry:2 has no such repository (``docker pull -a`` asks for its tag list)."""

    code = "NAME_UNKNOWN"

    def __init__(self, familiar_repo: str) -> None:
        super().__init__(
            f"repository {familiar_repo} not found: name unknown: repository name not known to registry"
        )
        self.familiar_repo = familiar_repo


class PushDenied(RegistryError):
    """The caller may not write to the repository; the push stream prints this bare."""

    code = "DENIED"
    from_daemon = False

    def __init__(self) -> None:
        super().__init__("denied: requested access to the resource is denied")


class UnexpectedStatusCode(RegistryError):
    """A registry answered ``GET /v1/search`` with an HTTP error; registry:2 has no v1 search and answers 404."""

    code = "UNSUPPORTED"

    def __init__(self, status: int) -> None:
        super().__init__(f"Unexpected status code {status}")
        self.status = status


class RegistryUnreachable(RegistryError):
    """No registry answers at that address: ``url`` is what the daemon asked for, ``cause`` the network's answer
    (``dial tcp: lookup nowhere.example: no such host``, ``connect: connection refused``...)."""

    code = "UNREACHABLE"

    def __init__(self, url: str, cause: str) -> None:
        super().__init__(f'Get "{url}": {cause}')
        self.url, self.cause = url, cause


class InvalidRegistryEndpoint(RegistryUnreachable):
    """``docker search`` could not ping a registry's v1 endpoint (moby v28.2.2 ``newV1Endpoint``).

    A secure registry (any host but a loopback one) is tried over HTTPS only and the daemon suggests
    ``--insecure-registry``; an insecure one (``localhost``) is tried over HTTPS, then HTTP, and both failures are shown.
    """

    def __init__(self, host: str, https_cause: str, http_cause: str | None = None) -> None:
        https_ping = f"https://{host}/v1/_ping"
        if http_cause is None:
            text = (
                f'invalid registry endpoint https://{host}/v1/: Get "{https_ping}": {https_cause}. '
                "If this private registry supports only HTTP or HTTPS with an unknown CA certificate, please add "
                f"`--insecure-registry {host}` to the daemon's arguments. In the case of HTTPS, if you have access to "
                "the registry's CA certificate, no need for the flag; simply place the CA certificate at "
                f"/etc/docker/certs.d/{host}/ca.crt"
            )
        else:
            text = (
                f'invalid registry endpoint "http://{host}/v1/". HTTPS attempt: Get "{https_ping}": {https_cause}. '
                f'HTTP attempt: Get "http://{host}/v1/_ping": {http_cause}'
            )
        RegistryError.__init__(self, text)
        self.host, self.https_cause, self.http_cause = host, https_cause, http_cause
        self.url = https_ping if http_cause is None else f"http://{host}/v1/_ping"
        self.cause = https_cause if http_cause is None else http_cause
