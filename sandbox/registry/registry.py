"""A registry: repositories, accounts and the access rules of the distribution API.

Two flavours exist in a world. Docker Hub (``docker.io``) wants a login to push, lets each account push only to its
own namespace (``library/`` belongs to Docker's official images), creates new repositories public, and hides private
or missing repositories behind the same "access denied" answer. A ``registry:2`` container started by a learner has
no authentication at all: anyone who can reach it may push and pull anything.

Only Docker Hub answers ``docker search``: its index serves the v1 search API; registry:2 speaks only the
distribution (v2) API and answers a v1 search with a bare 404.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sandbox.content import DEFAULT_PLATFORM, Image, ImageIndex
from sandbox.errors import (
    LoginFailed,
    ManifestNotFound,
    NotSimulated,
    PullAccessDenied,
    PushDenied,
    RepositoryUnknown,
    UnexpectedStatusCode,
)
from sandbox.registry.repositories import Repositories
from sandbox.registry.repository import PRIVATE, PUBLIC, Repository


@dataclass(frozen=True)
class SearchResult:
    """One repository as the v1 search API lists it (moby's ``registry.SearchResult``)."""

    name: str
    description: str
    star_count: int
    is_official: bool
    #: Deprecated by Docker Hub; dockerd 28 forces it to false in every result.
    is_automated: bool = False


@dataclass
class Registry:
    """The far side of a push: repositories by path, accounts, and counters of bytes moved."""

    address: str
    repositories: Repositories = field(default_factory=Repositories)
    accounts: dict[str, str] = field(default_factory=dict)
    requires_auth: bool = False
    bytes_received: int = 0
    bytes_sent: int = 0
    #: True for Docker Hub, whose index answers ``GET /v1/search``; registry:2 has no such endpoint.
    serves_search: bool = False
    #: Docker Hub only: official images (``library/NAME``) the real Hub has and the catalogue does not model.
    #: Repositories of namespaces that are no account of the world are likewise the real Hub's, not modelled.
    unmodelled_official: frozenset[str] = frozenset()
    #: Docker Hub only: ``NAME -> tags`` the real Hub has for the official images the catalogue models, read when
    #: first asked (a tag the real Hub has and the catalogue does not model answers the not-available line).
    real_official_tags: Callable[[], Mapping[str, frozenset[str]]] | None = None

    def fork(self) -> "Registry":
        """An independent copy; repositories are frozen values and are shared (those still to be built stay so)."""
        return Registry(
            self.address, self.repositories.copy(), dict(self.accounts), self.requires_auth, self.bytes_received,
            self.bytes_sent, self.serves_search, self.unmodelled_official, self.real_official_tags,
        )

    # -- accounts -------------------------------------------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> None:
        """Check a login. Raises `LoginFailed` for an unknown user or a wrong password."""
        if not self.requires_auth:
            return
        if self.accounts.get(username) != password:
            raise LoginFailed()

    def add_account(self, username: str, password: str) -> None:
        """Create (or reset) an account."""
        self.accounts[username] = password

    # -- access rules ---------------------------------------------------------------------------------------------

    def can_read(self, user: str | None, path: str) -> bool:
        """Whether ``user`` (None: anonymous) may pull from ``path``; False for a missing repository."""
        repo = self.repositories.get(path)
        if repo is None:
            return False
        if not self.requires_auth or repo.visibility == PUBLIC:
            return True
        return user is not None and user == repo.owner

    def can_write(self, user: str | None, path: str) -> bool:
        """Whether ``user`` may push to ``path`` (on Docker Hub: only into their own namespace)."""
        if not self.requires_auth:
            return True
        if user is None:
            return False
        namespace = path.split("/", 1)[0] if "/" in path else ""
        return namespace == user

    # -- reads ----------------------------------------------------------------------------------------------------

    def fetch(
        self, user: str | None, path: str, tag_or_digest: str, familiar_repo: str, familiar_ref: str
    ) -> Image | ImageIndex:
        """What a tag or digest names: one image, or a multi-platform index the daemon picks from. Raises
        `PullAccessDenied` (naming ``familiar_repo``), `ManifestNotFound` (naming ``familiar_ref``) or
        `NotSimulated` (a real Hub repository the world does not model)."""
        if not self.requires_auth and path not in self.repositories:
            raise ManifestNotFound(familiar_ref)  # registry:2 answers MANIFEST_UNKNOWN for an unknown repository
        self.check_modelled(path, familiar_repo)
        if not self.can_read(user, path):
            raise PullAccessDenied(familiar_repo)
        image = self.repositories[path].resolve(tag_or_digest)
        if image is None:
            self.check_tag_modelled(path, tag_or_digest, familiar_repo, familiar_ref)
            raise ManifestNotFound(familiar_ref)
        return image

    def tags(self, user: str | None, path: str, familiar_repo: str) -> dict[str, Image | ImageIndex]:
        """Every tag of a repository (``pull -a``). Raises `PullAccessDenied`."""
        if not self.requires_auth and path not in self.repositories:
            raise RepositoryUnknown(familiar_repo)
        self.check_modelled(path, familiar_repo)
        if not self.can_read(user, path):
            raise PullAccessDenied(familiar_repo)
        repo = self.repositories[path]
        return {tag: repo.resolve(digest) for tag, digest in sorted(repo.tags.items())}

    def check_modelled(self, path: str, familiar_repo: str) -> None:
        """Raise `NotSimulated` for a Docker Hub repository that the real Hub has and this world does not model: an
        official image outside the catalogue, or any repository of a namespace that is no account here (the real
        Hub's users' repositories). A made-up official name, and an account's repository never pushed, keep the
        Hub's own ``pull access denied``."""
        if not self.serves_search or path in self.repositories:
            return
        namespace, _, name = path.partition("/")
        if (namespace == "library" and name in self.unmodelled_official) or (
            namespace != "library" and namespace not in self.accounts
        ):
            raise NotSimulated(f"Docker Hub repository {familiar_repo!r}",
                               "docker search lists the images this sandbox's Docker Hub has")

    def check_tag_modelled(self, path: str, tag: str, familiar_repo: str, familiar_ref: str) -> None:
        """Raise `NotSimulated` for a tag of a modelled official image that the real Hub has and the catalogue does
        not (``postgres:16``). A tag the real Hub never had (``alpine:lates``) and a digest keep the Hub's own
        ``manifest unknown``."""
        if self.real_official_tags is None or ":" in tag:  # a digest (tags hold no colon)
            return
        namespace, _, name = path.partition("/")
        if namespace == "library" and tag in self.real_official_tags().get(name, ()):
            # the shortest tags first (latest, 17, alpine): the ones a tutorial would use instead
            modelled = sorted(self.repositories[path].tags, key=lambda known: (len(known), known))
            shown = ", ".join(f"{familiar_repo}:{known}" for known in modelled[:3])
            more = f" and {len(modelled) - 3} more" if len(modelled) > 3 else ""
            raise NotSimulated(f"Docker Hub tag {familiar_ref!r}", f"this sandbox's Docker Hub has {shown}{more}")

    def has_blob(self, path: str, digest: str) -> bool:
        """Whether the repository already holds a blob (``Layer already exists``)."""
        repo = self.repositories.get(path)
        return repo is not None and digest in repo.blobs

    def resolve_any(self, path: str, tag_or_digest: str, platform: str = DEFAULT_PLATFORM) -> Image | None:
        """The image the registry holds for a reference on ``platform``, ignoring access rules (for state checks and
        pictures)."""
        repo = self.repositories.get(path)
        return repo.image(tag_or_digest, platform) if repo else None

    def search(self, query: str, limit: int) -> list[SearchResult]:
        """``GET /v1/search?q=QUERY&n=LIMIT``: at most ``limit`` public repositories matching ``query``.

        Docker Hub's matching and ranking are its own; this model is documented in docs/sandbox.md: a repository
        matches when ``query`` occurs in its familiar name (``nginx``, ``alice/hello-web``) or its description,
        ignoring case; an exact name match comes first, then more stars, then the name. Private repositories never
        appear, whoever asks. Raises `UnexpectedStatusCode` (404) on a registry without a v1 search (registry:2).
        """
        if not self.serves_search:
            raise UnexpectedStatusCode(404)
        needle = query.lower()
        found = [
            repo for repo in self.repositories.values()
            if repo.visibility == PUBLIC
            and (needle in repo.familiar_name.lower() or needle in repo.description.lower())
        ]
        found.sort(key=lambda repo: (repo.familiar_name.lower() != needle, -repo.stars, repo.familiar_name))
        return [
            SearchResult(repo.familiar_name, repo.description, repo.stars, repo.official) for repo in found[:limit]
        ]

    # -- writes ---------------------------------------------------------------------------------------------------

    def check_push(self, user: str | None, path: str) -> None:
        """Raise `PushDenied` unless ``user`` may push to ``path``."""
        if self.can_write(user, path):
            return
        raise PushDenied()

    def mount_blob(self, user: str | None, source: str, target: str, digest: str) -> bool:
        """Link a blob from ``source`` into ``target`` without uploading it; False when not allowed or absent."""
        if not (self.can_read(user, source) and self.has_blob(source, digest)):
            return False
        self._ensure(target, user)
        self.repositories[target] = self.repositories[target].with_blob(digest)
        return True

    def upload_blob(self, user: str | None, target: str, digest: str, size: int) -> None:
        """Receive a blob's bytes into a repository."""
        self._ensure(target, user)
        self.repositories[target] = self.repositories[target].with_blob(digest)
        self.bytes_received += size

    def put_image(self, user: str | None, path: str, tag: str | None, image: Image, at: str | None = None) -> None:
        """Store a manifest (and tag it) at time ``at``. Creates the repository, public, owned by the pusher."""
        self._ensure(path, user)
        self.repositories[path] = self.repositories[path].with_image(tag, image, at, user)

    def set_visibility(self, path: str, visibility: str) -> None:
        """Make a repository public or private, as its owner can on Docker Hub's website."""
        self.repositories[path] = self.repositories[path].with_visibility(visibility)

    def _ensure(self, path: str, user: str | None) -> None:
        if path not in self.repositories:
            self.repositories[path] = Repository(path=path, owner=user, visibility=PUBLIC)


__all__ = ["PRIVATE", "PUBLIC", "Registry", "SearchResult"]
