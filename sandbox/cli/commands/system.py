"""``docker version`` and ``docker info``: the client and the (simulated) server describe themselves."""

from __future__ import annotations

from sandbox.cli.docker import Invocation
from sandbox.cli.output import Output
from sandbox.cli.template import TemplateSyntaxError, check_syntax, render
from sandbox.errors import UsageError

CLIENT_VERSION = "28.2.2"
API_VERSION = "1.50"
GIT_COMMIT = "e6534b4"


def version(machine, inv: Invocation, out: Output) -> int:
    """``docker version``: client and server sections as Docker 28.2 prints them (the machine's OS/Arch: the client
    and its daemon are built for the machine they run on)."""
    os_name, arch = machine.engine.platform.split("/")[:2]
    data = {
        "Client": {"Version": CLIENT_VERSION, "ApiVersion": API_VERSION, "GitCommit": GIT_COMMIT,
                   "GoVersion": "go1.24.3", "Os": os_name, "Arch": arch},
        "Server": {"Version": CLIENT_VERSION, "ApiVersion": API_VERSION, "MinAPIVersion": "1.24",
                   "GitCommit": "45873be", "GoVersion": "go1.24.3", "Os": os_name, "Arch": arch},
    }
    fmt = inv.options.get("format")
    if fmt:
        try:
            check_syntax(fmt, "version")
        except TemplateSyntaxError as error:
            raise UsageError(f"template parsing error: {error.message}", 64) from None
        out.print(render(fmt, data) + "\n")
        return 0
    out.print(
        "Client: Docker Engine - Community\n"
        f" Version:           {CLIENT_VERSION}\n"
        f" API version:       {API_VERSION}\n"
        " Go version:        go1.24.3\n"
        f" Git commit:        {GIT_COMMIT}\n"
        " Built:             Fri May 30 12:07:27 2025\n"
        f" OS/Arch:           {os_name}/{arch}\n"
        " Context:           default\n"
        "\n"
        "Server: Docker Engine - Community\n"
        " Engine:\n"
        f"  Version:          {CLIENT_VERSION}\n"
        f"  API version:      {API_VERSION} (minimum version 1.24)\n"
        "  Go version:       go1.24.3\n"
        "  Git commit:       45873be\n"
        "  Built:            Fri May 30 12:07:27 2025\n"
        f"  OS/Arch:          {os_name}/{arch}\n"
        "  Experimental:     false\n"
        " containerd:\n"
        "  Version:          1.7.27\n"
        "  GitCommit:        05044ec0a9a75232cad458027ca83437aae3f4da\n"
        " runc:\n"
        "  Version:          1.2.5\n"
        "  GitCommit:        v1.2.5-0-g59923ef\n"
        " docker-init:\n"
        "  Version:          0.19.0\n"
        "  GitCommit:        de40ad0\n"
    )
    return 0


def info(machine, inv: Invocation, out: Output) -> int:
    """``docker info``: counts of containers and images, the registry, and who is logged in."""
    engine = machine.engine
    containers = list(engine.containers)
    running = sum(1 for c in containers if c.status == "running")
    stopped = sum(1 for c in containers if c.status == "exited")
    images = engine.image_list()
    hub_login = machine.credentials().get("https://index.docker.io/v1/")
    lines = [
        "Client: Docker Engine - Community",
        f" Version:    {CLIENT_VERSION}",
        " Context:    default",
        " Debug Mode: false",
        " Plugins:",
        "  buildx: Docker Buildx (Docker Inc.)",
        "    Version:  v0.24.0",
        "    Path:     /usr/libexec/docker/cli-plugins/docker-buildx",
        "",
        "Server:",
        f" Containers: {len(containers)}",
        f"  Running: {running}",
        "  Paused: 0",
        f"  Stopped: {stopped}",
        f" Images: {len(images)}",
        f" Server Version: {CLIENT_VERSION}",
        " Storage Driver: overlay2",
        "  Backing Filesystem: extfs",
        "  Supports d_type: true",
        "  Using metacopy: false",
        "  Native Overlay Diff: true",
        "  userxattr: false",
        " Logging Driver: json-file",
        " Cgroup Driver: systemd",
        " Cgroup Version: 2",
        " Swarm: inactive",
        " Runtimes: io.containerd.runc.v2 runc",
        " Default Runtime: runc",
        " Init Binary: docker-init",
        " Kernel Version: 6.8.0-60-generic",
        " Operating System: Ubuntu 24.04.2 LTS",
        " OSType: linux",
        f" Architecture: {machine.engine.platform_machine}",
        " CPUs: 2",
        " Total Memory: 3.82GiB",
        f" Name: {machine.name}",
        " Docker Root Dir: /var/lib/docker",
        " Debug Mode: false",
    ]
    if hub_login:  # docker info names the Hub account this client is logged in as
        lines.append(f" Username: {hub_login[0]}")
    lines += [
        " Experimental: false",
        " Insecure Registries:",
        "  ::1/128",
        "  127.0.0.0/8",
        " Live Restore Enabled: false",
        "",
    ]
    out.print("\n".join(lines) + "\n")
    return 0
