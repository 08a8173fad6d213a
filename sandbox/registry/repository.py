"""One repository in a registry: its tags, the images they name, the blobs it holds, who owns it, who may read it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Mapping

from sandbox.content import DEFAULT_PLATFORM, Image, ImageIndex

PUBLIC = "public"
PRIVATE = "private"


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Repository:
    """A repository such as ``library/alpine`` or ``learner/web``; updates return a new value (copy on write).

    ``description`` and ``stars`` are what Docker Hub lists about it (its short description and star count); a
    repository a push creates has neither.
    """

    path: str
    owner: str | None = None
    visibility: str = PUBLIC
    tags: Mapping[str, str] = field(default_factory=lambda: _frozen({}))
    images: Mapping[str, Image] = field(default_factory=lambda: _frozen({}))
    blobs: frozenset[str] = frozenset()
    description: str = ""
    stars: int = 0
    #: Multi-platform images by index digest (a tag may name an index instead of one image's manifest).
    indexes: Mapping[str, ImageIndex] = field(default_factory=lambda: _frozen({}))
    #: Tag -> (when, by whom) it was last pushed, as Docker Hub's Tags page says; a tag absent here came with the
    #: world (the catalogue), and its image's creation time stands in for the push.
    pushed: Mapping[str, tuple[str, str | None]] = field(default_factory=lambda: _frozen({}))

    def with_image(self, tag: str | None, image: Image, at: str | None = None,
                   by: str | None = None) -> "Repository":
        """This repository after a manifest for ``image`` was put (under ``tag`` when given), at time ``at`` (RFC
        3339) by account ``by`` when known."""
        digest = image.manifest.digest
        tags = dict(self.tags)
        pushed = self.pushed
        if tag is not None:
            tags[tag] = digest
            if at is not None:
                pushed = _frozen({**self.pushed, tag: (at, by)})
        images = dict(self.images)
        images[digest] = image
        blobs = self.blobs | {layer.digest for layer in image.layers} | {image.id}
        return replace(self, tags=_frozen(tags), images=_frozen(images), blobs=blobs, pushed=pushed)

    def with_index(self, tag: str, index: ImageIndex) -> "Repository":
        """This repository after an image index (and each platform's manifest) was put under ``tag``."""
        repo = self
        for image in index.images:
            if image.manifest.digest not in repo.images:  # an index put under a second tag brings no new manifest
                repo = repo.with_image(None, image)
        tags = dict(repo.tags)
        tags[tag] = index.digest
        indexes = dict(repo.indexes)
        indexes[index.digest] = index
        return replace(repo, tags=_frozen(tags), indexes=_frozen(indexes))

    def with_blob(self, digest: str) -> "Repository":
        """This repository after a blob upload or cross-repository mount."""
        return replace(self, blobs=self.blobs | {digest})

    def with_visibility(self, visibility: str) -> "Repository":
        """This repository made public or private."""
        if visibility not in (PUBLIC, PRIVATE):
            raise ValueError(f"visibility must be {PUBLIC!r} or {PRIVATE!r}, not {visibility!r}")
        return replace(self, visibility=visibility)

    @property
    def official(self) -> bool:
        """True for Docker's official images, which live under ``library/``."""
        return self.path.startswith("library/")

    @property
    def familiar_name(self) -> str:
        """The name people use: ``nginx`` for ``library/nginx``, the path itself otherwise."""
        return self.path.removeprefix("library/")

    def resolve(self, tag_or_digest: str) -> Image | ImageIndex | None:
        """What a tag or digest names here (one image's manifest, or a multi-platform index), if anything."""
        digest = tag_or_digest if tag_or_digest.startswith("sha256:") else self.tags.get(tag_or_digest)
        if digest is None:
            return None
        return self.indexes.get(digest) or self.images.get(digest)

    def image(self, tag_or_digest: str, platform: str = DEFAULT_PLATFORM) -> Image | None:
        """The image a tag or digest names for ``platform`` (an index's best match), if any."""
        found = self.resolve(tag_or_digest)
        return found.select(platform) if isinstance(found, ImageIndex) else found
