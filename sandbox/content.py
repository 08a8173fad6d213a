"""Content-addressed image content shared by engines and registries: layers, image configs, images.

Everything here is frozen and named by digest, so a world's engines and registries (and every fork of a world) share
the same objects; only the stores that say *who has what* are copied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping

from sandbox.oci.digest import canonical_json, digest_of_bytes
from sandbox.oci.manifest import IMAGE_CONFIG, LAYER_TAR_GZIP, MANIFEST_V2, OCI_INDEX, Descriptor, Manifest

#: The platform every host runs unless it is made otherwise, as ``os/architecture[/variant]``.
DEFAULT_PLATFORM = "linux/amd64"


def split_platform(platform: str) -> tuple[str, str, str]:
    """``linux/arm64/v8`` as (os, architecture, variant), the variant normalized as containerd compares it: arm64's
    default is v8 and arm's is v7, so ``linux/arm64`` and ``linux/arm64/v8`` are one platform."""
    os_name, _, rest = platform.partition("/")
    architecture, _, variant = rest.partition("/")
    variant = variant or {"arm64": "v8", "arm": "v7"}.get(architecture, "")
    return os_name, architecture, variant


def format_platform(os_name: str, architecture: str, variant: str = "") -> str:
    """containerd's ``platforms.Format``: ``os/architecture``, then ``/variant`` when there is one."""
    return "/".join(part for part in (os_name, architecture, variant) if part)


#: What ``uname -m`` reports for each architecture (and arm variant) Docker Hub's images are built for.
UNAME_MACHINE = {"amd64": "x86_64", "arm64": "aarch64", "arm/v7": "armv7l", "arm/v6": "armv6l", "arm/v5": "armv5tel",
                 "386": "i686", "ppc64le": "ppc64le", "s390x": "s390x", "riscv64": "riscv64", "mips64le": "mips64"}


def uname_machine(architecture: str, variant: str = "") -> str:
    """``uname -m`` inside a container of this architecture."""
    key = f"{architecture}/{variant}" if architecture == "arm" else architecture
    return UNAME_MACHINE.get(key, architecture)


def compatible_platforms(platform: str) -> tuple[tuple[str, str, str], ...]:
    """What a daemon on ``platform`` accepts, best first (containerd's ``platforms.Only``): itself, then for amd64 the
    386 builds, for arm64 the 32-bit arm/v8 down to v5, for arm/vN the variants below N."""
    os_name, architecture, variant = split_platform(platform)
    wanted = [(os_name, architecture, variant)]
    if architecture == "amd64":
        wanted.append((os_name, "386", ""))
    arm_from = 8 if architecture == "arm64" else int(variant[1:]) if architecture == "arm" and variant[1:].isdigit() else 0
    wanted += [(os_name, "arm", f"v{n}") for n in range(arm_from - (architecture == "arm"), 4, -1)]
    return tuple(wanted)


@dataclass(frozen=True)
class Layer:
    """One filesystem layer: its blob digest on the wire, its uncompressed diff ID, sizes, and the files it adds."""

    digest: str
    diff_id: str
    size: int
    compressed_size: int
    files: tuple[tuple[str, bytes], ...] = ()

    @classmethod
    def derive(cls, recipe: object, size: int, compressed_size: int, files=()) -> "Layer":
        """Make a layer whose digests follow from ``recipe`` (any JSON value), so equal recipes give equal layers."""
        seed = canonical_json(recipe)
        return cls(
            digest=digest_of_bytes(b"blob:" + seed),
            diff_id=digest_of_bytes(b"diff:" + seed),
            size=size,
            compressed_size=compressed_size,
            files=tuple(files),
        )

    @property
    def descriptor(self) -> Descriptor:
        """How a manifest points at this layer."""
        return Descriptor(LAYER_TAR_GZIP, self.compressed_size, self.digest)


@dataclass(frozen=True)
class HistoryEntry:
    """One row of ``docker history``: the step that made a layer, or a metadata-only step."""

    created: str
    created_by: str
    empty_layer: bool = False
    comment: str = ""


@dataclass(frozen=True)
class RunConfig:
    """The parts of an image's config that shape the containers made from it."""

    env: tuple[str, ...] = ()
    cmd: tuple[str, ...] | None = None
    entrypoint: tuple[str, ...] | None = None
    working_dir: str = ""
    exposed_ports: tuple[str, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    user: str = ""
    stop_signal: str = ""

    def as_json(self) -> dict:
        """The ``Config`` object as ``docker inspect`` shows it (Docker 28 field order)."""
        out: dict = {
            "Hostname": "",
            "Domainname": "",
            "User": self.user,
            "AttachStdin": False,
            "AttachStdout": False,
            "AttachStderr": False,
        }
        if self.exposed_ports:
            out["ExposedPorts"] = {port: {} for port in self.exposed_ports}
        out.update(
            {
                "Tty": False,
                "OpenStdin": False,
                "StdinOnce": False,
                "Env": list(self.env),
                "Cmd": list(self.cmd) if self.cmd is not None else None,
                "Image": "",
                "Volumes": None,
                "WorkingDir": self.working_dir,
                "Entrypoint": list(self.entrypoint) if self.entrypoint is not None else None,
                "OnBuild": None,
                "Labels": dict(self.labels) if self.labels else None,
            }
        )
        if self.stop_signal:
            out["StopSignal"] = self.stop_signal
        return out

    def as_oci_json(self) -> dict:
        """The ``Config`` of ``docker image inspect`` since API 1.50 (Docker 28.2): only the fields that are set."""
        out: dict = {}
        if self.user:
            out["User"] = self.user
        if self.exposed_ports:
            out["ExposedPorts"] = {port: {} for port in self.exposed_ports}
        if self.env:
            out["Env"] = list(self.env)
        if self.entrypoint is not None:
            out["Entrypoint"] = list(self.entrypoint)
        if self.cmd is not None:
            out["Cmd"] = list(self.cmd)
        if self.working_dir:
            out["WorkingDir"] = self.working_dir
        if self.labels:
            out["Labels"] = dict(self.labels)
        if self.stop_signal:
            out["StopSignal"] = self.stop_signal
        return out

    def env_map(self) -> dict[str, str]:
        """Env as a mapping; later entries win, as in Docker."""
        pairs = (item.split("=", 1) for item in self.env)
        return {key: (value[0] if value else "") for key, *value in pairs}


@dataclass(frozen=True)
class Image:
    """An image: config plus layers. Its ID is the digest of its config bytes, as in Docker."""

    created: str
    run: RunConfig
    layers: tuple[Layer, ...]
    history: tuple[HistoryEntry, ...]
    os: str = "linux"
    architecture: str = "amd64"
    extra: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    variant: str = ""
    #: The image ID and manifest digest Docker Hub really has for this image when a public record says so
    #: (docker-library/repo-info): the config and manifest bytes are then a model and these digests are the facts.
    recorded_id: str = ""
    recorded_manifest_digest: str = ""

    @property
    def platform(self) -> str:
        """``os/architecture[/variant]``, as Docker Hub and ``--platform`` write it."""
        return format_platform(self.os, self.architecture, self.variant)

    @property
    def index_platform(self) -> dict[str, str]:
        """The ``platform`` object an image index lists this image under (OCI image-index spec), in that order."""
        platform = {"architecture": self.architecture, "os": self.os}
        if self.variant:
            platform["variant"] = self.variant
        return platform

    @cached_property
    def config_json(self) -> dict:
        """The image config document (what ``docker inspect`` reads)."""
        history = []
        for entry in self.history:
            row = {"created": entry.created, "created_by": entry.created_by}
            if entry.comment:
                row["comment"] = entry.comment
            if entry.empty_layer:
                row["empty_layer"] = True
            history.append(row)
        document = {
            "architecture": self.architecture,
            "config": self.run.as_json(),
            "created": self.created,
            "history": history,
            "os": self.os,
            "rootfs": {"type": "layers", "diff_ids": [layer.diff_id for layer in self.layers]},
        }
        if self.variant:
            document["variant"] = self.variant
        return document

    @cached_property
    def config_raw(self) -> bytes:
        """Canonical config bytes; the image ID is their digest."""
        return canonical_json(self.config_json)

    @cached_property
    def id(self) -> str:
        """``sha256:<hex>`` image ID (the config digest, or the recorded one)."""
        return self.recorded_id or digest_of_bytes(self.config_raw)

    @property
    def size(self) -> int:
        """Uncompressed size, the SIZE column of ``docker images``."""
        return sum(layer.size for layer in self.layers)

    @cached_property
    def manifest(self) -> Manifest:
        """The manifest a push writes for this image."""
        config = Descriptor(IMAGE_CONFIG, len(self.config_raw), self.id)
        return Manifest(config, tuple(layer.descriptor for layer in self.layers), self.recorded_manifest_digest)

    def files(self) -> dict[str, bytes]:
        """The files the layers add, later layers winning: what a container of this image can read."""
        merged: dict[str, bytes] = {}
        for layer in self.layers:
            merged.update(layer.files)
        return merged


@dataclass(frozen=True)
class ImageIndex:
    """A multi-platform image: one image (manifest) per platform under one digest, as Docker Hub serves every official
    image. A pull picks the image of the daemon's platform (or ``--platform``'s) and prints the index's digest."""

    images: tuple[Image, ...]
    #: The index digest Docker Hub really serves when a public record says so (docker-library/repo-info).
    recorded_digest: str = ""

    @cached_property
    def raw(self) -> bytes:
        """The OCI image index a registry stores (the attestation manifests Docker Hub also lists are not modelled)."""
        manifests = []
        for image in self.images:
            manifests.append({"mediaType": MANIFEST_V2, "digest": image.manifest.digest, "size": image.manifest.size,
                              "platform": image.index_platform})
        return canonical_json({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": manifests})

    @cached_property
    def digest(self) -> str:
        """``sha256:`` digest of the index: what ``docker pull`` prints after ``Digest:``."""
        return self.recorded_digest or digest_of_bytes(self.raw)

    @property
    def size(self) -> int:
        """Length of `raw` in bytes."""
        return len(self.raw)

    @property
    def platforms(self) -> tuple[str, ...]:
        """The platforms the index lists, in its order."""
        return tuple(image.platform for image in self.images)

    def select(self, platform: str) -> Image | None:
        """The image a daemon on ``platform`` pulls (containerd's best match), or None: moby's ``no matching
        manifest``."""
        for wanted in compatible_platforms(platform):
            for image in self.images:
                if split_platform(image.platform) == wanted:
                    return image
        return None
