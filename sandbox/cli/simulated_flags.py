"""Which flags of each simulated command the sandbox acts on, and the one plain line for every other flag.

Every flag of the real client parses (``docker.py``), so a learner never meets a made-up ``unknown flag``; but a flag
that parsed and was then ignored would be a silent lie. So each command's flags are listed here as *simulated* (the
sandbox does what Docker does with it, which for a few is nothing: flags BuildKit itself ignores) and every other
flag given a value other than its default is refused with `NotSimulated` before anything changes. The audit behind
the lists is the table in ``docs/sandbox.md`` (a test holds the two together).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from sandbox.cli.cobra import resolve
from sandbox.cli.docker import Invocation
from sandbox.errors import NotSimulated

__all__ = ["DOCKER_IGNORES", "GLOBAL_FLAGS", "SIMULATED_FLAGS", "refuse_unsimulated", "unsimulated_flags"]

#: ``docker run`` and ``docker create`` share these.
_CREATE = frozenset({"entrypoint", "env", "env-file", "expose", "interactive", "ipc", "name", "platform", "publish",
                     "pull", "quiet", "restart", "rm", "tty", "user", "workdir"})  # fmt: skip
#: The legacy builder's flags that buildx (which ``docker build`` is in Docker 28) accepts and ignores, silently
#: (docker/buildx v0.24.0 commands/build.go: the hidden ``ignore`` flags).
_BUILDKIT_IGNORES = frozenset({"compress", "memory", "memory-swap", "cpu-shares", "cpu-period", "cpu-quota",
                               "cpuset-cpus", "cpuset-mems", "rm", "force-rm"})  # fmt: skip

#: Command key -> the flags the sandbox simulates (``help`` is always handled by the parser).
SIMULATED_FLAGS: Mapping[str, frozenset[str]] = MappingProxyType({
    "login": frozenset({"username", "password", "password-stdin"}),
    "logout": frozenset(),
    "image push": frozenset({"all-tags", "quiet", "platform"}),
    "image pull": frozenset({"all-tags", "quiet", "platform"}),
    "search": frozenset({"filter", "format", "limit", "no-trunc"}),
    "image build": frozenset({"build-arg", "file", "no-cache", "pull", "quiet", "tag", "iidfile", "target", "label"})
    | _BUILDKIT_IGNORES,
    "buildx build": frozenset({"build-arg", "file", "no-cache", "pull", "quiet", "tag", "iidfile", "load", "target",
                               "label"}) | _BUILDKIT_IGNORES,
    "image ls": frozenset({"all", "digests", "filter", "format", "no-trunc", "quiet"}),
    "image tag": frozenset(),
    "image rm": frozenset({"force", "no-prune", "platform"}),
    "image history": frozenset({"format", "human", "no-trunc", "platform", "quiet"}),
    "image prune": frozenset({"all", "filter", "force"}),
    "image inspect": frozenset({"format", "platform"}),
    "inspect": frozenset({"format", "size", "type"}),
    "container run": _CREATE | {"attach", "detach", "sig-proxy"},
    "container create": _CREATE,
    "container start": frozenset({"attach", "interactive"}),
    "container stop": frozenset({"time", "timeout"}),
    "container restart": frozenset({"time", "timeout"}),
    "container kill": frozenset(),
    "container rm": frozenset({"force", "volumes"}),
    "container ls": frozenset({"all", "filter", "format", "last", "latest", "no-trunc", "quiet", "size"}),
    "container logs": frozenset({"follow", "tail"}),
    "container exec": frozenset({"interactive", "tty", "user", "workdir"}),
    "container prune": frozenset({"filter", "force"}),
    "container inspect": frozenset({"format", "size"}),
    "manifest inspect": frozenset(),
    "buildx imagetools inspect": frozenset({"builder", "debug"}),  # one builder here; --debug adds no line to this  # --verbose's other JSON and --insecure's plain-HTTP registries: not simulated
    "version": frozenset({"format"}),
    "system info": frozenset({"format"}),
})  # fmt: skip
#: Flags that Docker itself does nothing visible with here, and why (the docs table shows these reasons).
DOCKER_IGNORES: Mapping[str, str] = MappingProxyType({
    **{f"{key} --{name}": "buildx accepts it and ignores it" for name in _BUILDKIT_IGNORES
       for key in ("image build", "buildx build")},
    "buildx build --load": "the default builder (docker driver) loads every image it builds into the image store",
    "image rm --no-prune": "only untagged parents of a legacy build would be kept; BuildKit images have no parent",
    "container run --sig-proxy": "no signal reaches a sandbox terminal to be proxied",
    "container rm --volumes": "no container here has a volume to remove (volumes are not simulated)",
})
#: Global options the sandbox simulates (``--log-level`` only filters the client's own log lines, of which the
#: sandbox prints none; an invalid level is refused by the parser as Docker refuses it).
GLOBAL_FLAGS = frozenset({"log-level"})


def unsimulated_flags(inv: Invocation) -> list[str]:
    """The flags of this command line, as ``--name``, that the sandbox does not simulate and that were given a
    value other than the default (a flag set to its default changes nothing, in Docker as here)."""
    simulated = SIMULATED_FLAGS.get(inv.command)
    if simulated is None:  # a command the sandbox does not simulate at all is refused whole elsewhere
        return []
    found = [
        f"--{name}" for name, value in sorted(inv.globals.items())
        if name not in GLOBAL_FLAGS and value != _default(_root_flag(name))
    ]
    flags = resolve(inv.command.split()).flags
    found += [
        f"--{name}" for name in sorted(inv.changed)
        if name not in simulated and name in flags and inv.options.get(name) != _default(flags[name])
    ]
    return found


def refuse_unsimulated(inv: Invocation) -> None:
    """Raise `NotSimulated` naming the first flag of the line the sandbox does not simulate, if any."""
    found = unsimulated_flags(inv)
    if found:
        raise NotSimulated(f"'{' '.join(('docker', *inv.path))} {found[0]}'")


def _root_flag(name: str):
    return resolve([]).flags[name]


def _default(flag) -> object:
    return flag.zero()


def audit_table() -> str:
    """The flag audit as ``docs/sandbox.md`` prints it: one table per simulated command, every flag of the real
    client's command with what the sandbox does with it."""
    parts = [
        "| Global option | In the sandbox |\n| --- | --- |\n" + "".join(
            f"| `--{name}` | {'simulated' if name in GLOBAL_FLAGS else 'refused'} |\n"
            for name in sorted(resolve([]).flags) if name not in ("help", "version")
        )
    ]
    for key in sorted(SIMULATED_FLAGS):
        flags = sorted(name for name in resolve(key.split()).flags if name != "help")
        rows = "".join(f"| `--{name}` | {_verdict(key, name)} |\n" for name in flags) or "| (none) | |\n"
        parts.append(f"**`docker {key}`**\n\n| Flag | In the sandbox |\n| --- | --- |\n{rows}")
    return "\n".join(parts)


def _verdict(key: str, name: str) -> str:
    if name not in SIMULATED_FLAGS[key]:
        return "refused"
    reason = DOCKER_IGNORES.get(f"{key} --{name}")
    return f"simulated: Docker ignores it too ({reason})" if reason else "simulated"
