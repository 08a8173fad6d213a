"""A registry: repositories, accounts and the access rules of the distribution API.

Two flavours exist in a world. Docker Hub (``docker.io``) wants a login to push, lets each account push only to its
own namespace (``library/`` belongs to Docker's official images), creates new repositories public, and hides private
or missing repositories behind the same "access denied" answer. A ``registry:2`` container started by a learner has
no authentication at all: anyone who can reach it may push and pull anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.content import Image
from sandbox.errors import LoginFailed, ManifestNotFound, PullAccessDenied, PushDenied, RepositoryUnknown
from sandbox.registry.repository import PRIVATE, PUBLIC, Repository


@dataclass
class Registry:
    """The far side of a push: repositories by path, accounts, and counters of bytes moved."""

    address: str
    repositories: dict[str, Repository] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)
    requires_auth: bool = False
    bytes_received: int = 0
    bytes_sent: int = 0

    def fork(self) -> "Registry":
        """An independent copy; repositories are frozen values and are shared."""
        return Registry(
            self.address, dict(self.repositories), dict(self.accounts), self.requires_auth, self.bytes_received,
            self.bytes_sent,
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

    def fetch(self, user: str | None, path: str, tag_or_digest: str, familiar_repo: str, familiar_ref: str) -> Image:
        """The image a tag or digest names. Raises `PullAccessDenied` (naming ``familiar_repo``) or
        `ManifestNotFound` (naming ``familiar_ref``)."""
        if not self.requires_auth and path not in self.repositories:
            raise ManifestNotFound(familiar_ref)  # registry:2 answers MANIFEST_UNKNOWN for an unknown repository
        if not self.can_read(user, path):
            raise PullAccessDenied(familiar_repo)
        image = self.repositories[path].resolve(tag_or_digest)
        if image is None:
            raise ManifestNotFound(familiar_ref)
        return image

    def tags(self, user: str | None, path: str, familiar_repo: str) -> dict[str, Image]:
        """Every tag of a repository (``pull -a``). Raises `PullAccessDenied`."""
        if not self.requires_auth and path not in self.repositories:
            raise RepositoryUnknown(familiar_repo)
        if not self.can_read(user, path):
            raise PullAccessDenied(familiar_repo)
        repo = self.repositories[path]
        return {tag: repo.images[digest] for tag, digest in sorted(repo.tags.items())}

    def has_blob(self, path: str, digest: str) -> bool:
        """Whether the repository already holds a blob (``Layer already exists``)."""
        repo = self.repositories.get(path)
        return repo is not None and digest in repo.blobs

    def resolve_any(self, path: str, tag_or_digest: str) -> Image | None:
        """What the registry holds for a reference, ignoring access rules (for state checks and pictures)."""
        repo = self.repositories.get(path)
        return repo.resolve(tag_or_digest) if repo else None

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

    def put_image(self, user: str | None, path: str, tag: str | None, image: Image) -> None:
        """Store a manifest (and tag it). Creates the repository, public, owned by the pusher."""
        self._ensure(path, user)
        self.repositories[path] = self.repositories[path].with_image(tag, image)

    def set_visibility(self, path: str, visibility: str) -> None:
        """Make a repository public or private, as its owner can on Docker Hub's website."""
        self.repositories[path] = self.repositories[path].with_visibility(visibility)

    def _ensure(self, path: str, user: str | None) -> None:
        if path not in self.repositories:
            self.repositories[path] = Repository(path=path, owner=user, visibility=PUBLIC)


__all__ = ["Registry", "PUBLIC", "PRIVATE"]
