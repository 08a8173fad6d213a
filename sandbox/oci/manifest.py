"""Image manifests (Docker's schema 2), the unit a registry stores under a tag.

Docker's daemon serialises a manifest with three-space indentation before pushing it; the registry keeps those exact
bytes, the manifest digest is their sha256, and the ``size:`` at the end of ``docker push`` is their length. We write
the same layout so the figures look like the ones learners will meet.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property

from sandbox.oci.digest import digest_of_bytes

MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json"
MANIFEST_LIST_V2 = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
IMAGE_CONFIG = "application/vnd.docker.container.image.v1+json"
LAYER_TAR_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip"


@dataclass(frozen=True)
class Descriptor:
    """A pointer to content: what it is, how big, and its digest."""

    media_type: str
    size: int
    digest: str

    def as_json(self) -> dict:
        """The descriptor as it appears inside a manifest."""
        return {"mediaType": self.media_type, "size": self.size, "digest": self.digest}


@dataclass(frozen=True)
class Manifest:
    """A schema-2 image manifest: one config and the layers, bottom first."""

    config: Descriptor
    layers: tuple[Descriptor, ...]
    #: The digest the registry really serves for this manifest when a public record says so (Docker Hub's official
    #: images, docker-library/repo-info): the bytes are then a model and this digest is the fact.
    recorded_digest: str = ""

    @cached_property
    def raw(self) -> bytes:
        """The exact bytes a registry stores."""
        body = {
            "schemaVersion": 2,
            "mediaType": MANIFEST_V2,
            "config": self.config.as_json(),
            "layers": [layer.as_json() for layer in self.layers],
        }
        return json.dumps(body, indent=3).encode()

    @cached_property
    def digest(self) -> str:
        """``sha256:`` digest of `raw` (or the recorded one): what ``docker pull`` prints after ``Digest:`` for an
        image pushed as a single manifest."""
        return self.recorded_digest or digest_of_bytes(self.raw)

    @property
    def size(self) -> int:
        """Length of `raw` in bytes."""
        return len(self.raw)
