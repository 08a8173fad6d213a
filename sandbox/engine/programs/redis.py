"""redis's image: its entrypoint and ``redis-server``'s start-up lines."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sandbox.shell import Blocked
from sandbox.engine.programs.common import entrypoint_exec, read

if TYPE_CHECKING:
    from sandbox.shell import Call


def redis_entrypoint(call: "Call") -> int:
    argv = call.argv
    args = argv[1:] or ["redis-server"]
    if args[0].startswith("-") or args[0].endswith(".conf"):
        args = ["redis-server", *args]
    return entrypoint_exec(call, "/usr/local/bin/docker-entrypoint.sh", 24, args)


def redis_server(call: "Call") -> int:
    argv = call.argv
    version = call.env.get("REDIS_VERSION", "7.4.2")
    args = argv[1:]
    now = call.shell.machine.now
    stamp = f"{now.day:02d} {now:%b %Y %H:%M:%S}.000"
    config = args[0] if args and not args[0].startswith("-") else None  # redis-server [/path/to/redis.conf] [options]
    port = args[args.index("--port") + 1] if "--port" in args[:-1] else "6379"
    call.out(f"1:C {stamp} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n")
    call.out(f"1:C {stamp} * Redis version={version}, bits=64, commit=00000000, modified=0, pid=1, just started\n")
    if config is None:
        call.out(f"1:C {stamp} # Warning: no config file specified, using the default config. In order to specify a "
               "config file use redis-server /path/to/redis.conf\n")
    elif read(call, config) is None:
        call.err(f"\n*** FATAL CONFIG FILE ERROR (Redis {version}) ***\nReading the configuration file, at line 2\n"
               f">>> 'redis-server \"{config}\"'\nFatal error, can't open config file '{config}': "
               "No such file or directory\n")
        return 1
    else:
        call.out(f"1:C {stamp} * Configuration loaded\n")
    call.out(f"1:M {stamp} * monotonic clock: POSIX clock_gettime\n")
    call.out(f"1:M {stamp} * Running mode=standalone, port={port}.\n")
    call.out(f"1:M {stamp} * Server initialized\n")
    call.out(f"1:M {stamp} * Ready to accept connections tcp\n")
    raise Blocked
