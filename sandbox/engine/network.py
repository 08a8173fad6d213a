"""How a daemon reaches registries: by address, through the world's network (dockerd uses HTTP; we use a map)."""

from __future__ import annotations

from typing import Protocol

from sandbox.registry.registry import Registry


class Network(Protocol):
    """Resolves a registry address as seen from one host. Raises `RegistryUnreachable` with Docker's text."""

    def registry(self, address: str, from_host: str) -> Registry: ...
