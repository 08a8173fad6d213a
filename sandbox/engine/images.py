"""A host's local images: the images by ID, the references (tags and digests) that name them, and where layers
came from (dockerd's distribution metadata, which lets a push mount a layer instead of uploading it)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sandbox.content import Image


def chain_ids(image: Image) -> list[str]:
    """The layer chain IDs of an image, bottom first: each names a layer *and everything below it*."""
    chain: list[str] = []
    for layer in image.layers:
        if not chain:
            chain.append(layer.diff_id)
        else:
            chain.append("sha256:" + hashlib.sha256(f"{chain[-1]} {layer.diff_id}".encode()).hexdigest())
    return chain


#: How many sources dockerd remembers per layer (distribution/metadata ``maxMetadata``).
MAX_LAYER_SOURCES = 50


@dataclass
class ImageStore:
    """Images by ID plus the reference store; forks copy the small maps and share the frozen images."""

    images: dict[str, Image] = field(default_factory=dict)
    #: normalized tag reference ("docker.io/library/alpine:latest") -> image ID
    tags: dict[str, str] = field(default_factory=dict)
    #: normalized digest reference ("docker.io/library/alpine@sha256:...") -> image ID
    digests: dict[str, str] = field(default_factory=dict)
    #: blob digest -> where it is known to exist, oldest first (dockerd's V2MetadataService): (registry address,
    #: repository path, who) with ``who`` the credentials the pull or push used (dockerd keeps their HMAC), or None
    #: when BuildKit fetched it (no HMAC)
    layer_sources: dict[str, tuple[tuple[str, str, object], ...]] = field(default_factory=dict)
    #: image ID -> when it arrived on this host (pull or build), for ordering
    arrived: dict[str, int] = field(default_factory=dict)
    #: image ID -> ID of the image it was built FROM (``docker images -a`` intermediate relationships)
    parents: dict[str, str] = field(default_factory=dict)
    #: images deleted (``rmi -f``) while a stopped container still used them: gone from every list, but their layers
    #: live on under the container's read-write layer (the layer store's reference count) until it is removed
    held: dict[str, Image] = field(default_factory=dict)

    def fork(self) -> "ImageStore":
        """An independent copy."""
        return ImageStore(
            dict(self.images), dict(self.tags), dict(self.digests), dict(self.layer_sources), dict(self.arrived),
            dict(self.parents), dict(self.held),
        )

    def add(self, image: Image, sequence: int) -> None:
        """Store an image (idempotent)."""
        if image.id not in self.images:
            self.images[image.id] = image
            self.arrived[image.id] = sequence

    def references(self, image_id: str) -> list[str]:
        """Every tag and digest reference naming an image, tags first, each group sorted."""
        tags = sorted(ref for ref, target in self.tags.items() if target == image_id)
        digests = sorted(ref for ref, target in self.digests.items() if target == image_id)
        return tags + digests

    def tags_of(self, image_id: str) -> list[str]:
        """Tag references naming an image, sorted."""
        return sorted(ref for ref, target in self.tags.items() if target == image_id)

    def digests_of(self, image_id: str) -> list[str]:
        """Digest references naming an image, sorted."""
        return sorted(ref for ref, target in self.digests.items() if target == image_id)

    def find_by_id_prefix(self, prefix: str) -> list[str]:
        """IDs of images whose hex starts with ``prefix`` (with or without ``sha256:``)."""
        hexpart = prefix.removeprefix("sha256:")
        return [image_id for image_id in self.images if image_id[7:].startswith(hexpart)]

    def has_layer(self, diff_id: str) -> bool:
        """Whether any local image already has a layer (``Already exists`` when pulling)."""
        return any(layer.diff_id == diff_id for image in (*self.images.values(), *self.held.values())
                   for layer in image.layers)

    def note_source(self, blob_digest: str, registry: str, path: str, who: object = None) -> None:
        """Remember that a registry repository holds this blob (pulled from it or pushed to it), as the newest entry.

        As ``V2MetadataService.Add``: an equal entry moves to the end, and only the newest 50 are kept.
        """
        entry = (registry, path, who)
        kept = tuple(old for old in self.layer_sources.get(blob_digest, ()) if old != entry) + (entry,)
        self.layer_sources[blob_digest] = kept[-MAX_LAYER_SOURCES:]

    def remove(self, image_id: str, *, held: bool = False) -> list[str]:
        """Delete an image with no references left; returns the chain IDs of layers nothing uses any more, top first.

        ``held``: a container still uses the image, so its layers stay (a container's read-write layer retains its
        parent chain in dockerd's layer store) and none is returned.
        """
        image = self.images.pop(image_id)
        self.arrived.pop(image_id, None)
        self.parents.pop(image_id, None)
        if held:
            self.held[image_id] = image
            return []
        return self._unused_chains(image)

    def _unused_chains(self, image: Image) -> list[str]:
        still_used = {cid for other in (*self.images.values(), *self.held.values()) for cid in chain_ids(other)}
        return [cid for cid in reversed(chain_ids(image)) if cid not in still_used]

    def for_container(self, image_id: str) -> Image:
        """The image a container was made from, even after ``rmi -f`` deleted its config. Raises KeyError."""
        return self.images[image_id] if image_id in self.images else self.held[image_id]

    def release(self, in_use: set[str]) -> None:
        """Let go of held images no container uses any more (their layers are deleted silently, as dockerd does)."""
        for image_id in [image_id for image_id in self.held if image_id not in in_use]:
            del self.held[image_id]
