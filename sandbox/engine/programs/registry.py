"""registry's image (distribution 2.8 and 3.0): its entrypoint and ``registry serve``'s log lines."""

from __future__ import annotations

import hashlib
import uuid
from typing import TYPE_CHECKING

from sandbox.engine.programs.common import entrypoint_exec
from sandbox.shell import Blocked

if TYPE_CHECKING:
    from sandbox.shell import Call


def registry_entrypoint(call: "Call") -> int:
    argv = call.argv
    args = argv[1:]
    if args and args[0].endswith((".yaml", ".yml")):
        args = ["registry", "serve", *args]
    elif args and (args[0] in ("serve", "garbage-collect", "help") or args[0].startswith("-")):
        args = ["registry", *args]
    if not args:
        return 0
    return entrypoint_exec(call, "/entrypoint.sh", 10, args)


def registry(call: "Call") -> int:
    argv = call.argv
    args = argv[1:]
    if args[:1] != ["serve"]:
        return 0
    config = args[1] if len(args) > 1 else ""
    v3 = config.startswith("/etc/distribution/") or (not config and "/etc/distribution/config.yml" in call.shell.machine.files)
    instance = uuid.uuid5(uuid.NAMESPACE_DNS, f"{call.shell.machine.hostname}.registry")
    if v3:
        fields = f"environment=development go.version=go1.23.7 instance.id={instance} service=registry version=3.0.0"
    else:
        fields = f"go.version=go1.20.8 instance.id={instance} service=registry version=2.8.3"
    stamp = f'time="{call.shell.machine.now:%Y-%m-%dT%H:%M:%SZ}"'
    address = call.env.get("REGISTRY_HTTP_ADDR", ":5000")
    host, _, port = address.rpartition(":")
    listen = f"{host}:{port}" if host else f"[::]:{port}"
    if v3 and call.env.get("REGISTRY_LOG_LEVEL", "debug") == "debug":
        call.err(f'{stamp} level=debug msg="using \\"text\\" logging formatter"\n')
    if not call.env.get("REGISTRY_HTTP_SECRET"):
        call.err(f'{stamp} level=warning msg="No HTTP secret provided - generated random secret. This may cause '
               "problems with uploads if multiple registries are behind a load-balancer. To provide a shared "
               "secret, fill in http.secret in the configuration file or set the REGISTRY_HTTP_SECRET environment "
               f'variable." {fields}\n')
    call.err(f'{stamp} level=info msg="redis not configured" {fields}\n')
    if not v3:
        minutes = int(hashlib.sha256(str(instance).encode()).hexdigest(), 16) % 50 + 10
        call.err(f'{stamp} level=info msg="Starting upload purge in {minutes}m0s" {fields}\n')
    call.err(f'{stamp} level=info msg="using inmemory blob descriptor cache" {fields}\n')
    if v3:
        call.err(f'{stamp} level=info msg="providing prometheus metrics on /metrics"\n')
    call.err(f'{stamp} level=info msg="listening on {listen}" {fields}\n')
    raise Blocked
