"""The programs of the official images, as models: what nginx, node, python, redis, registry and hello-world print
and whether they keep running. Each is a function of one `sandbox.shell.Call`, installed on a container's machine
by `sandbox.engine.rootfs`; the shells and utilities they run beside come from `sandbox.shell`."""

from __future__ import annotations

from sandbox.engine.programs.hello import hello
from sandbox.engine.programs.nginx import nginx, nginx_entrypoint
from sandbox.engine.programs.node import node, node_entrypoint, npm
from sandbox.engine.programs.packages import apk, apt_get, pip
from sandbox.engine.programs.python import python
from sandbox.engine.programs.redis import redis_entrypoint, redis_server
from sandbox.engine.programs.registry import registry, registry_entrypoint

#: Each image program by the name `sandbox.engine.rootfs` installs it under.
PROGRAMS = {
    "hello": hello, "nginx-entrypoint": nginx_entrypoint, "nginx": nginx, "node-entrypoint": node_entrypoint,
    "node": node, "npm": npm, "python": python, "pip": pip, "pip3": pip, "redis-entrypoint": redis_entrypoint,
    "redis-server": redis_server, "registry-entrypoint": registry_entrypoint, "registry": registry,
    "apk": apk, "apt-get": apt_get, "apt": apt_get,
}
