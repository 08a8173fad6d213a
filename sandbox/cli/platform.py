"""Platform specifiers (``linux/amd64``, ``arm64``, ``windows(10.0)/amd64``) as the docker client parses them before
it asks the daemon anything: containerd/platforms v1.0.0-rc.1 ``Parse``, vendored by docker/cli v28.2.2 and used by
``run``/``create``, ``push``, ``rmi``, ``history`` and ``image inspect`` for ``--platform``.

Only the grammar is exact: every simulated image is linux/amd64, so a well-formed platform is accepted and changes
nothing (see docs/sandbox.md).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from sandbox.cli.golang import go_quote
from sandbox.errors import UsageError

#: One component after the OS: architecture or variant.
SPECIFIER = r"^[A-Za-z0-9_.-]+$"
#: The first component: an OS with an optional version in parentheses.
OS_AND_VERSION = r"^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.-]*)\))?$"
#: What Go's runtime.GOOS and GOARCH can be: a lone word must be one of them.
KNOWN_OS = frozenset("aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 "
                     "solaris windows zos".split())
KNOWN_ARCH = frozenset("386 amd64 amd64p32 arm armbe arm64 arm64be ppc64 ppc64le loong64 mips mipsle mips64 mips64le "
                       "mips64p32 mips64p32le ppc riscv riscv64 s390 s390x sparc sparc64 wasm".split())
#: The platform a lone OS or architecture is completed with: the one the sandbox's daemon runs.
HOST_OS, HOST_ARCH = "linux", "amd64"

_SPECIFIER = re.compile(SPECIFIER.strip("^$"))
_OS_AND_VERSION = re.compile(OS_AND_VERSION.strip("^$"))


class Platform(NamedTuple):
    """An OCI platform: ``os``, ``architecture``, ``variant`` and ``os_version`` (empty when not given)."""

    os: str
    architecture: str
    variant: str = ""
    os_version: str = ""


class InvalidPlatform(UsageError):
    """A specifier ``Parse`` refuses, in containerd's words; the client prints it and exits 1."""


def parse_platform(specifier: str) -> Platform:
    """``specifier`` parsed and normalized as containerd does; raises `InvalidPlatform` in containerd's words."""
    quoted = go_quote(specifier)
    if "*" in specifier:
        raise _invalid(f"{quoted}: wildcards not yet supported")
    parts = specifier.split("/", 3)  # Go's SplitN(..., 4): a fifth part stays inside the fourth
    found = _OS_AND_VERSION.fullmatch(parts[0])
    if found is None:
        raise _invalid(f"{go_quote(parts[0])} is an invalid OS component of {quoted}: OSAndVersion specifier "
                       f"component must match {go_quote(OS_AND_VERSION)}")
    for part in parts[1:]:
        if not _SPECIFIER.fullmatch(part):
            raise _invalid(f"{go_quote(part)} is an invalid component of {quoted}: platform specifier component "
                           f"must match {go_quote(SPECIFIER)}")
    os_name, os_version = found.group(1).lower(), found.group(2) or ""
    os_name = "darwin" if os_name == "macos" else os_name
    if len(parts) == 1:
        if os_name in KNOWN_OS:
            return Platform(os_name, HOST_ARCH, "", os_version)
        arch, variant = _normalize_arch(parts[0], "")
        if arch in KNOWN_ARCH:
            return Platform(HOST_OS, arch, "" if (arch, variant) == ("arm", "v7") else variant)
        raise _invalid(f"{quoted}: unknown operating system or architecture")
    if len(parts) == 2:
        arch, variant = _normalize_arch(parts[1], "")
        return Platform(os_name, arch, "" if (arch, variant) == ("arm", "v7") else variant, os_version)
    if len(parts) == 3:
        arch, variant = _normalize_arch(parts[1], parts[2])
        return Platform(os_name, arch, "v8" if (arch, variant) == ("arm64", "") else variant, os_version)
    raise _invalid(f"{quoted}: cannot parse platform specifier")


def _invalid(message: str) -> InvalidPlatform:
    return InvalidPlatform(f"{message}: invalid argument")  # containerd wraps errdefs.ErrInvalidArgument


def _normalize_arch(arch: str, variant: str) -> tuple[str, str]:
    """containerd's normalizeArch: the many names of one architecture made one."""
    arch, variant = arch.lower(), variant.lower()
    if arch == "i386":
        return "386", ""
    if arch in ("x86_64", "x86-64", "amd64"):
        return "amd64", "" if variant == "v1" else variant
    if arch in ("aarch64", "arm64"):
        return "arm64", {"8": "", "v8": "", "v8.0": "", "9": "v9", "9.0": "v9", "v9.0": "v9"}.get(variant, variant)
    if arch == "armhf":
        return "arm", "v7"
    if arch == "armel":
        return "arm", "v6"
    if arch == "arm":
        return "arm", {"": "v7", "7": "v7", "5": "v5", "6": "v6", "8": "v8"}.get(variant, variant)
    return arch, variant
