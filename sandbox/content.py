"""Content-addressed image content shared by engines and registries: layers, image configs, images.

Everything here is frozen and named by digest, so a world's engines and registries (and every fork of a world) share
the same objects; only the stores that say *who has what* are copied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping

from sandbox.oci.digest import canonical_json, digest_of_bytes
from sandbox.oci.manifest import IMAGE_CONFIG, LAYER_TAR_GZIP, Descriptor, Manifest


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
        return {
            "architecture": self.architecture,
            "config": self.run.as_json(),
            "created": self.created,
            "history": history,
            "os": self.os,
            "rootfs": {"type": "layers", "diff_ids": [layer.diff_id for layer in self.layers]},
        }

    @cached_property
    def config_raw(self) -> bytes:
        """Canonical config bytes; the image ID is their digest."""
        return canonical_json(self.config_json)

    @cached_property
    def id(self) -> str:
        """``sha256:<hex>`` image ID (the config digest)."""
        return digest_of_bytes(self.config_raw)

    @property
    def size(self) -> int:
        """Uncompressed size, the SIZE column of ``docker images``."""
        return sum(layer.size for layer in self.layers)

    @cached_property
    def manifest(self) -> Manifest:
        """The manifest a push writes for this image."""
        config = Descriptor(IMAGE_CONFIG, len(self.config_raw), self.id)
        return Manifest(config, tuple(layer.descriptor for layer in self.layers))

    def files(self) -> dict[str, bytes]:
        """The files the layers add, later layers winning: what a container of this image can read."""
        merged: dict[str, bytes] = {}
        for layer in self.layers:
            merged.update(layer.files)
        return merged
