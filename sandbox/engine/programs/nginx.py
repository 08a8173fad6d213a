"""nginx's image: ``/docker-entrypoint.sh`` with its configuration notices, and ``nginx`` itself."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sandbox.shell import Blocked
from sandbox.engine.programs.common import entrypoint_exec, read

if TYPE_CHECKING:
    from sandbox.shell import Call

#: The kernel every container shares.
from sandbox.shell.utilities import KERNEL_RELEASE  # noqa: E402

#: nginx starts one worker per CPU; the simulated host has two.
NGINX_WORKER_PIDS = (29, 30)


def nginx_entrypoint(call: "Call") -> int:
    argv = call.argv
    args = argv[1:]
    if not args:
        return 0
    if args[0] in ("nginx", "nginx-debug") and not call.env.get("NGINX_ENTRYPOINT_QUIET_LOGS"):
        me = "/docker-entrypoint.sh"
        conf = call.shell.machine.files.get("/etc/nginx/conf.d/default.conf")
        call.out(f"{me}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n")
        call.out(f"{me}: Looking for shell scripts in /docker-entrypoint.d/\n")
        call.out(f"{me}: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh\n")
        ipv6 = "10-listen-on-ipv6-by-default.sh: info:"
        if conf is not None and b"listen  [::]:80;" in conf:
            call.out(f"{ipv6} IPv6 listen already enabled\n")
        else:
            call.out(f"{ipv6} Getting the checksum of /etc/nginx/conf.d/default.conf\n")
            if conf is not None:
                call.out(f"{ipv6} /etc/nginx/conf.d/default.conf differs from the packaged version\n")
            else:
                call.out(f"{ipv6} Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf\n")
        call.out(f"{me}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh\n")
        call.out(f"{me}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh\n")
        for template in sorted(p for p in call.shell.machine.files if p.startswith("/etc/nginx/templates/")
                               and p.endswith(".template")):
            output = "/etc/nginx/conf.d/" + template[len("/etc/nginx/templates/"):-len(".template")]
            call.out(f"20-envsubst-on-templates.sh: Running envsubst on {template} to {output}\n")
        call.out(f"{me}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh\n")
        call.out(f"{me}: Configuration complete; ready for start up\n")
    return entrypoint_exec(call, "/docker-entrypoint.sh", 47, args)


def nginx(call: "Call") -> int:
    argv = call.argv
    version = call.env.get("NGINX_VERSION", "1.27.4")
    compiler = "gcc 14.2.0 (Alpine 14.2.0)" if call.shell.machine.userland == "alpine" else "gcc 12.2.0 (Debian 12.2.0-14)"
    args = argv[1:]
    if "-v" in args or "-V" in args:
        call.err(f"nginx version: nginx/{version}\n")
        if "-V" in args:
            call.err(f"built by {compiler} \n")
        return 0
    if "-t" in args:
        call.err("nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n"
               "nginx: configuration file /etc/nginx/nginx.conf test is successful\n")
        return 0
    stamp = f"{call.shell.machine.now:%Y/%m/%d %H:%M:%S} [notice] 1#1:"
    call.err(f'{stamp} using the "epoll" event method\n')
    call.err(f"{stamp} nginx/{version}\n")
    call.err(f"{stamp} built by {compiler} \n")
    call.err(f"{stamp} OS: Linux {KERNEL_RELEASE}\n")
    call.err(f"{stamp} getrlimit(RLIMIT_NOFILE): 1048576:1048576\n")
    directives = " ".join(args[i + 1] for i, a in enumerate(args[:-1]) if a == "-g")
    if not re.search(r"daemon\s+off\s*;", directives):
        return 0  # nginx forks into the background and PID 1 exits: the container stops at once
    call.err(f"{stamp} start worker processes\n")
    for pid in NGINX_WORKER_PIDS:
        call.err(f"{stamp} start worker process {pid}\n")
    raise Blocked
