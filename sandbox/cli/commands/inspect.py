"""``docker inspect``, ``image inspect``, ``container inspect``: objects as JSON, or through ``--format``."""

from __future__ import annotations

import json

from sandbox.cli.docker import Invocation
from sandbox.cli.output import Output
from sandbox.cli.platform import parse_platform
from sandbox.cli.template import TemplateError, TemplateSyntaxError, check_syntax, render
from sandbox.errors import NotFound, NotSimulated, UsageError


#: The fields of the Engine API types ``docker inspect`` decodes into (moby v28.2.2 api/types/container and
#: api/types/image), by JSON name, with the Go names that differ (a template may use either: the client executes
#: it on the typed value first, then on the raw JSON).
_GO_NAMES = {"ID": "Id", "DNS": "Dns", "DNSOptions": "DnsOptions", "DNSSearch": "DnsSearch", "CPUShares": "CpuShares",
             "NanoCPUs": "NanoCpus", "CPUPeriod": "CpuPeriod", "CPUQuota": "CpuQuota",
             "CPURealtimePeriod": "CpuRealtimePeriod", "CPURealtimeRuntime": "CpuRealtimeRuntime",
             "CPUCount": "CpuCount", "CPUPercent": "CpuPercent"}  # fmt: skip
_FIELDS = {
    "container": "Id Created Path Args State Image ResolvConfPath HostnamePath HostsPath LogPath Name RestartCount "
                 "Driver Platform MountLabel ProcessLabel AppArmorProfile ExecIDs HostConfig GraphDriver SizeRw "
                 "SizeRootFs Mounts Config NetworkSettings ImageManifestDescriptor",
    "image": "Id RepoTags RepoDigests Parent Comment Created Container ContainerConfig DockerVersion Author Config "
             "Architecture Variant Os OsVersion Size VirtualSize GraphDriver RootFS Metadata Descriptor Manifests",
    "State": "Status Running Paused Restarting OOMKilled Dead Pid ExitCode Error StartedAt FinishedAt Health",
    "container Config": "Hostname Domainname User AttachStdin AttachStdout AttachStderr ExposedPorts Tty OpenStdin "
                        "StdinOnce Env Cmd Healthcheck ArgsEscaped Image Volumes WorkingDir Entrypoint "
                        "NetworkDisabled MacAddress OnBuild Labels StopSignal StopTimeout Shell",
    "image Config": "User ExposedPorts Env Entrypoint Cmd Volumes WorkingDir Labels StopSignal ArgsEscaped "
                    "Healthcheck OnBuild Shell",
    "HostConfig": "Binds ContainerIDFile LogConfig NetworkMode PortBindings RestartPolicy AutoRemove VolumeDriver "
                  "VolumesFrom ConsoleSize Annotations CapAdd CapDrop CgroupnsMode Dns DnsOptions DnsSearch ExtraHosts "
                  "GroupAdd IpcMode Cgroup Links OomScoreAdj PidMode Privileged PublishAllPorts ReadonlyRootfs "
                  "SecurityOpt StorageOpt Tmpfs UTSMode UsernsMode ShmSize Sysctls Runtime Isolation CpuShares Memory "
                  "NanoCpus CgroupParent BlkioWeight BlkioWeightDevice BlkioDeviceReadBps BlkioDeviceWriteBps "
                  "BlkioDeviceReadIOps BlkioDeviceWriteIOps CpuPeriod CpuQuota CpuRealtimePeriod CpuRealtimeRuntime "
                  "CpusetCpus CpusetMems Devices DeviceCgroupRules DeviceRequests KernelMemory KernelMemoryTCP "
                  "MemoryReservation MemorySwap MemorySwappiness OomKillDisable PidsLimit Ulimits CpuCount CpuPercent "
                  "IOMaximumIOps IOMaximumBandwidth Mounts MaskedPaths ReadonlyPaths Init",
    "GraphDriver": "Data Name",
    "RootFS": "Type Layers",
    "Metadata": "LastTagTime",
}  # fmt: skip


class _Inspected(dict):
    """An Engine API struct as ``docker inspect --format`` reads it: a field the real type has but the sandbox's
    daemon does not fill answers the plain line; a name the type does not have fails as the client's raw fallback
    fails (``map has no entry for key``); a Go field name reads its JSON twin (``.ID`` is ``.Id``)."""

    def __init__(self, fields: dict, real: frozenset[str], path: str) -> None:
        super().__init__(fields)
        self.real, self.path = real, path

    def __contains__(self, key) -> bool:
        key = _GO_NAMES.get(key, key)
        return super().__contains__(key) or key in self.real

    def __getitem__(self, key):
        key = _GO_NAMES.get(key, key)
        if not super().__contains__(key):
            raise NotSimulated(f"'docker inspect --format' with {{{{.{self.path}{key}}}}}",
                               "the sandbox's daemon does not fill that field")
        return super().__getitem__(key)

    def go_text(self) -> str:
        """Go prints the typed struct whole (``{running true ...}``, every field in order): not modelled here."""
        raise NotSimulated(f"'docker inspect --format' printing the whole {{{{.{self.path.rstrip('.')}}}}} struct",
                           "print one field of it, or json")

    def missing(self, key: str) -> str:
        """text/template's error for a map without ``key`` (the raw fallback runs with missingkey=error)."""
        return f'map has no entry for key "{key}"'


class _Map(dict):
    """A Go map of the typed value (``Labels``, ``PortBindings``): a key it lacks reads as no value, not an error."""

    missing_is_zero = True


def _typed(data: dict, kind: str) -> _Inspected:
    """``data`` (an inspect result of a ``container`` or an ``image``) with its structs marked as the client's types
    see them; maps (labels, port bindings) stay maps."""
    def mark(value, fields: str, path: str):
        if not isinstance(value, dict):
            return value
        inner = {key: mark(item, f"{kind} Config" if key == "Config" else key, f"{path}{key}.")
                 if (key == "Config" or key in _FIELDS) else _Map(item) if isinstance(item, dict) else item
                 for key, item in value.items()}
        return _Inspected(inner, frozenset(_FIELDS[fields].split()), path)

    return mark(data, kind, "")


def _lookup(machine, name: str, kind: str | None, size: bool = False) -> dict:
    engine = machine.engine
    if kind in (None, "container"):
        try:
            return engine.container_inspect(name, size=size)
        except NotFound:
            if kind == "container":
                raise
    return engine.image_inspect(name)  # --size concerns containers only


def _inspect(machine, inv: Invocation, out: Output, kind: str | None) -> int:
    kind = inv.options.get("type") or kind
    fmt = inv.options.get("format") or ""
    if fmt and fmt != "json":
        try:
            check_syntax(fmt)
        except TemplateSyntaxError as error:
            raise UsageError(f"template parsing error: {error.message}", 64) from None
    found, errors, shown = [], [], []
    prefix = "Error response from daemon: " if kind else "Error: "
    for name in inv.args:  # in order; every error is printed after the output (errors.Join)
        # The API client refuses an empty id itself, asking no daemon: a container's (tried first by plain inspect)
        # after trimming spaces (trimID's InvalidParameter), an image's only when empty (objectNotFoundError).
        if kind != "image" and not name.strip():
            errors.append("invalid container name or ID: value is empty")
            continue
        if kind == "image" and not name:
            errors.append("Error: No such image: ")
            continue
        try:
            item = _lookup(machine, name, kind, bool(inv.options.get("size")))
        except NotFound as error:
            errors.append(prefix + (error.message if kind else f"No such object: {name}"))
            continue
        found.append(item)
        if fmt and fmt != "json":
            try:
                shown.append(render(fmt, _typed(item, "container" if "State" in item else "image")) + "\n")
            except TemplateError as error:  # the typed run and the raw fallback both failed
                errors.append(f"template parsing error: {error.message}")
    if fmt and fmt != "json":  # the template inspector's Flush: an empty line when nothing was inspected
        out.print("".join(shown) or "\n")
    else:
        out.print(json.dumps(found, indent=4, ensure_ascii=False) + "\n")
    if errors:
        out.err("".join(text + "\n" for text in errors))
        return 1
    return 0


def inspect(machine, inv: Invocation, out: Output) -> int:
    """``docker inspect [--type] [--format] NAME|ID...``: containers first, then images."""
    return _inspect(machine, inv, out, None)


def image_inspect(machine, inv: Invocation, out: Output) -> int:
    """``docker image inspect IMAGE...``."""
    if inv.options.get("platform"):
        parse_platform(inv.options["platform"])  # before the template, as the client does
    return _inspect(machine, inv, out, "image")


def container_inspect(machine, inv: Invocation, out: Output) -> int:
    """``docker container inspect CONTAINER...``."""
    return _inspect(machine, inv, out, "container")
