"""imageshare's simulated Docker world: run real docker command lines against in-process engines and registries.

>>> from sandbox import Sandbox
>>> sb = Sandbox()
>>> sb.run("docker pull alpine").exit_code
0
"""

from __future__ import annotations

from sandbox.cli.result import Result
from sandbox.errors import (
    BuildError,
    Conflict,
    DaemonError,
    InvalidReference,
    NotFound,
    RegistryError,
    SandboxError,
    UsageError,
)
from sandbox.sandbox import HostHandle, Sandbox

__all__ = [
    "BuildError",
    "Conflict",
    "DaemonError",
    "HostHandle",
    "InvalidReference",
    "NotFound",
    "RegistryError",
    "Result",
    "Sandbox",
    "SandboxError",
    "UsageError",
]


def load_ipython_extension(ipython) -> None:
    """``%load_ext sandbox``: the same as ``%load_ext sandbox.jupyter``."""
    from sandbox.jupyter import load_ipython_extension as load

    load(ipython)
