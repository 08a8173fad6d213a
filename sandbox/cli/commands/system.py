"""``docker version`` and ``docker info``: the client and the (simulated) server describe themselves."""

from __future__ import annotations

from sandbox.cli.docker import Invocation
from sandbox.cli.gofmt import GoMap, GoNil, GoSlice
from sandbox.cli.output import Output
from sandbox.cli.tabwriter import tabwrite
from sandbox.cli.template import TemplateError, TemplateSyntaxError, check_syntax, render
from sandbox.errors import NotSimulated, UsageError

CLIENT_VERSION = "28.2.2"
API_VERSION = "1.50"
GIT_COMMIT = "e6534b4"


def version(machine, inv: Invocation, out: Output) -> int:
    """``docker version``: client and server sections as Docker 28.2 prints them (the machine's OS/Arch: the client
    and its daemon are built for the machine they run on)."""
    os_name, arch = machine.engine.platform.split("/")[:2]
    data = version_data(machine)
    fmt = inv.options.get("format")
    if fmt:
        try:
            check_syntax(fmt, "version")
        except TemplateSyntaxError as error:
            raise UsageError(f"template parsing error: {error.message}", 64) from None
        # prettyPrintVersion executes into a tabwriter (minimum width 20, padding 1), then writes a newline and
        # flushes: what the template printed before an error stays on the screen.
        try:
            text = render(fmt, data, data.go_type, name="version")
        except TemplateError as error:
            out.print(tabwrite(error.written + "\n", 20, 1))
            out.err(error.message + "\n")
            return 1
        out.print(tabwrite(text + "\n", 20, 1))
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
        f"  API version:      {API_VERSION} (minimum version {MIN_API_VERSION})\n"
        "  Go version:       go1.24.3\n"
        f"  Git commit:       {_ENGINE_COMMIT}\n"
        "  Built:            Fri May 30 12:07:27 2025\n"
        f"  OS/Arch:          {os_name}/{arch}\n"
        "  Experimental:     false\n"
        " containerd:\n"
        "  Version:          1.7.27\n"
        f"  GitCommit:        {_CONTAINERD_COMMIT}\n"
        " runc:\n"
        "  Version:          1.2.5\n"
        f"  GitCommit:        {_RUNC_COMMIT}\n"
        " docker-init:\n"
        "  Version:          0.19.0\n"
        f"  GitCommit:        {_INIT_COMMIT}\n"
    )
    return 0


class GoStruct(dict):
    """A Go struct as ``--format`` sees it: the fields the sandbox models, in the struct's order, and the names of
    the real fields it does not (reading one answers the plain line instead of Go's error for a field that does not
    exist, which is what a typo gets). ``omit_in_json`` names the fields encoding/json leaves out (``json:"-"``, or
    ``omitempty`` and empty); ``sorted_json`` a struct whose MarshalJSON goes through a map (keys sorted);
    ``printable`` a struct whose fields are all here in Go's order, so that printing it whole (``{{.Client}}``) is
    exact; ``json_names`` the fields encoding/json names otherwise (``json:"ApiVersion"``); ``command`` the docker
    command the plain line names."""

    def __init__(self, go_type: str, fields: dict, unmodelled: frozenset[str] = frozenset(), path: str = "", *,
                 omit_in_json: frozenset[str] = frozenset(), sorted_json: bool = False, printable: bool = False,
                 json_names: dict[str, str] | None = None, command: str = "info") -> None:
        super().__init__(fields)
        self.go_type, self.unmodelled, self.path = go_type, unmodelled, path
        self.omit_in_json, self.sorted_json, self.printable = omit_in_json, sorted_json, printable
        self.json_names, self.command = json_names or {}, command

    def __contains__(self, key) -> bool:
        return super().__contains__(key) or key in self.unmodelled

    def __getitem__(self, key):
        if key in self.unmodelled and not super().__contains__(key):
            raise NotSimulated(f"'docker {self.command} --format' with {{{{.{self.path}{key}}}}}",
                               "the sandbox's daemon does not model that field")
        return super().__getitem__(key)

    def go_fields(self) -> list[tuple[str, object]]:
        """The fields in Go's order, for fmt to print the struct whole; the plain line when they are not all here."""
        if not self.printable:
            raise NotSimulated(f"'docker {self.command} --format' printing the whole "
                               f"{{{{.{self.path.rstrip('.')}}}}} struct", "print one field of it, or json")
        return list(self.items())

    def go_json(self) -> dict:
        """encoding/json of the struct, when every field it marshals is modelled."""
        if self.unmodelled - self.keys():
            raise NotSimulated(f"'docker {self.command} --format' with json of {{{{.{self.path.rstrip('.')}}}}}",
                               "the sandbox's daemon does not model all of its fields")
        fields = {self.json_names.get(key, key): _json_value(value) for key, value in self.items()
                  if key not in self.omit_in_json}
        return dict(sorted(fields.items())) if self.sorted_json else fields


def version_data(machine) -> GoStruct:
    """docker/cli's versionInfo (``cli/command/system/version.go``) as ``docker version --format`` reads it: the
    client's clientVersion, and the server's types.Version (moby v28.2.2 ``api/types/types.go``), with the
    components the default output lists."""
    os_name, arch = machine.engine.platform.split("/")[:2]
    platform = GoStruct("*system.platformInfo", {"Name": "Docker Engine - Community"}, path="Client.Platform.",
                        printable=True, command="version")
    client = GoStruct("system.clientVersion", {
        "Platform": platform, "Version": CLIENT_VERSION, "APIVersion": API_VERSION, "DefaultAPIVersion": API_VERSION,
        "GitCommit": GIT_COMMIT, "GoVersion": "go1.24.3", "Os": os_name, "Arch": arch,
        "BuildTime": "Fri May 30 12:07:27 2025", "Context": "default"}, path="Client.", printable=True,
        json_names={"APIVersion": "ApiVersion"}, command="version")

    def component(name: str, version: str, details: dict) -> GoStruct:
        return GoStruct("types.ComponentVersion", {"Name": name, "Version": version,
                                                   "Details": GoMap("map[string]string", details)},
                        path="Server.Components.", printable=True, command="version")

    engine = component("Engine", CLIENT_VERSION, {
        "ApiVersion": API_VERSION, "Arch": arch, "BuildTime": "Fri May 30 12:07:27 2025", "Experimental": "false",
        "GitCommit": _ENGINE_COMMIT, "GoVersion": "go1.24.3", "KernelVersion": KERNEL_VERSION,
        "MinAPIVersion": MIN_API_VERSION, "Os": os_name})
    components = GoSlice("[]types.ComponentVersion", [
        engine, component("containerd", "1.7.27", {"GitCommit": _CONTAINERD_COMMIT}),
        component("runc", "1.2.5", {"GitCommit": _RUNC_COMMIT}),
        component("docker-init", "0.19.0", {"GitCommit": _INIT_COMMIT})])
    server = GoStruct("*types.Version", {
        "Platform": GoStruct("struct { Name string }", {"Name": "Docker Engine - Community"}, path="Server.Platform.",
                             printable=True, command="version"),
        "Components": components, "Version": CLIENT_VERSION, "APIVersion": API_VERSION,
        "MinAPIVersion": MIN_API_VERSION, "GitCommit": _ENGINE_COMMIT, "GoVersion": "go1.24.3", "Os": os_name,
        "Arch": arch, "KernelVersion": KERNEL_VERSION, "Experimental": False,
        "BuildTime": "2025-05-30T12:07:27.000000000+00:00"}, path="Server.", printable=True,
        omit_in_json=frozenset({"Experimental"}), json_names={"APIVersion": "ApiVersion"}, command="version")
    return GoStruct("system.versionInfo", {"Client": client, "Server": server}, printable=True, command="version")


class _PointerMap(dict):
    """A Go map of pointers (``IndexConfigs``): Go prints the pointers' addresses, which no sandbox can give; its
    entries and ``json`` are exact."""

    go_type = "map[string]*registry.IndexInfo"

    def go_text(self) -> str:
        raise NotSimulated("'docker info --format' printing {{.RegistryConfig.IndexConfigs}}",
                           "Go prints the memory addresses of its entries; use json")

    def go_json(self) -> dict:
        return {key: _json_value(value) for key, value in sorted(self.items())}


def _json_value(value):
    return value.go_json() if hasattr(value, "go_json") else value


#: system.Info's fields (moby v28.2.2 api/types/system/info.go) the sandbox's daemon does not model.
_UNMODELLED_INFO = frozenset({
    "ID", "SystemStatus", "Plugins", "MemoryLimit", "SwapLimit", "KernelMemory", "KernelMemoryTCP", "CPUCfsPeriod",
    "CPUCfsQuota", "CPUShares", "CPUSet", "PidsLimit", "IPv4Forwarding", "NFd", "OomKillDisable", "NGoroutines",
    "SystemTime", "NEventsListener", "GenericResources", "Runtimes", "SecurityOptions", "ProductLicense",
    "DefaultAddressPools", "FirewallBackend", "CDISpecDirs", "DiscoveredDevices", "Containerd", "Warnings",
})  # fmt: skip
#: 3.82GiB, the Total Memory ``docker info`` prints.
MEM_TOTAL = 4_100_000_000
_CONTAINERD_COMMIT = "05044ec0a9a75232cad458027ca83437aae3f4da"
_RUNC_COMMIT = "v1.2.5-0-g59923ef"
_INIT_COMMIT = "de40ad0"
_ENGINE_COMMIT = "45873be"
MIN_API_VERSION = "1.24"
KERNEL_VERSION = "6.8.0-60-generic"


def info_data(machine) -> GoStruct:
    """docker/cli's dockerInfo (``cli/command/system/info.go``) as ``docker info --format`` reads it: the server's
    system.Info fields at the top level, ``ClientInfo``, and the error lists."""
    engine = machine.engine
    containers = list(engine.containers)
    running = sum(1 for c in containers if c.status == "running")
    stopped = sum(1 for c in containers if c.status == "exited")
    os_name, arch = engine.platform.split("/")[:2]
    driver_status = [["Backing Filesystem", "extfs"], ["Supports d_type", "true"], ["Using metacopy", "false"],
                     ["Native Overlay Diff", "true"], ["userxattr", "false"]]
    index = GoStruct("*registry.IndexInfo", {"Name": "docker.io", "Mirrors": [], "Secure": True, "Official": True},
                     path="RegistryConfig.IndexConfigs.docker.io.", sorted_json=True)
    deprecated = frozenset({"AllowNondistributableArtifactsCIDRs", "AllowNondistributableArtifactsHostnames"})
    registry = GoStruct("*registry.ServiceConfig", {
        "AllowNondistributableArtifactsCIDRs": GoNil(), "AllowNondistributableArtifactsHostnames": GoNil(),
        "InsecureRegistryCIDRs": ["::1/128", "127.0.0.0/8"], "IndexConfigs": _PointerMap({"docker.io": index}),
        "Mirrors": GoNil()}, path="RegistryConfig.", omit_in_json=deprecated, sorted_json=True)
    swarm = GoStruct("swarm.Info", {
        "NodeID": "", "NodeAddr": "", "LocalNodeState": "inactive", "ControlAvailable": False, "Error": "",
        "RemoteManagers": GoNil(), "Nodes": 0, "Managers": 0, "Cluster": GoNil("*swarm.ClusterInfo"),
        "Warnings": GoNil()},
        path="Swarm.", omit_in_json=frozenset({"Nodes", "Managers", "Cluster", "Warnings"}))
    client = GoStruct("*system.clientInfo", {
        "Debug": False, "Platform": GoStruct("*system.platformInfo", {"Name": "Docker Engine - Community"},
                                             path="ClientInfo.Platform."),
        "Version": CLIENT_VERSION, "APIVersion": "", "DefaultAPIVersion": API_VERSION, "GitCommit": GIT_COMMIT,
        "GoVersion": "go1.24.3", "Os": os_name, "Arch": arch, "BuildTime": "Fri May 30 12:07:27 2025",
        "Context": "default", "Warnings": GoNil()}, frozenset({"Plugins"}), path="ClientInfo.",
        omit_in_json=frozenset({"APIVersion"}))  # omitempty: the API version is asked for only without a format
    return GoStruct("system.dockerInfo", {
        "Containers": len(containers), "ContainersRunning": running, "ContainersPaused": 0,
        "ContainersStopped": stopped, "Images": len(engine.image_list()), "Driver": "overlay2",
        "DriverStatus": driver_status, "Debug": False, "LoggingDriver": "json-file", "CgroupDriver": "systemd",
        "CgroupVersion": "2", "KernelVersion": "6.8.0-60-generic", "OperatingSystem": "Ubuntu 24.04.2 LTS",
        "OSVersion": "24.04", "OSType": "linux", "Architecture": engine.platform_machine,
        "IndexServerAddress": "https://index.docker.io/v1/", "RegistryConfig": registry, "NCPU": 2,
        "MemTotal": MEM_TOTAL, "DockerRootDir": "/var/lib/docker", "HTTPProxy": "", "HTTPSProxy": "", "NoProxy": "",
        "Name": machine.name, "Labels": [], "ExperimentalBuild": False, "ServerVersion": CLIENT_VERSION,
        "DefaultRuntime": "runc", "Swarm": swarm, "LiveRestoreEnabled": False, "Isolation": "",
        "InitBinary": "docker-init",
        "ContainerdCommit": GoStruct("system.Commit", {"ID": _CONTAINERD_COMMIT}, path="ContainerdCommit."),
        "RuncCommit": GoStruct("system.Commit", {"ID": _RUNC_COMMIT}, path="RuncCommit."),
        "InitCommit": GoStruct("system.Commit", {"ID": _INIT_COMMIT}, path="InitCommit."),
        "ServerErrors": GoNil(), "UserName": "", "ClientInfo": client, "ClientErrors": GoNil(),
    }, _UNMODELLED_INFO, omit_in_json=frozenset({"ServerErrors", "UserName", "ClientErrors"}))


def _format_info(machine, fmt: str, out: Output) -> int:
    """``docker info --format``: formatInfo, with ``json`` as ``{{json .}}``. A template that does not parse is
    ``template parsing error: ...``, exit 64; one that fails while executing has printed what it wrote before the error; then a newline,
    then Go's error, exit 1."""
    template = "{{json .}}" if fmt == "json" else fmt
    try:
        check_syntax(template)
    except TemplateSyntaxError as error:
        raise UsageError(f"template parsing error: {error.message}", 64) from None
    data = info_data(machine)
    try:
        text = render(template, data, data.go_type)
    except TemplateError as error:  # Go executed into the output itself: what it printed stays
        out.print(error.written + "\n")
        out.err(error.message + "\n")
        return 1
    out.print(text + "\n")
    return 0


def info(machine, inv: Invocation, out: Output) -> int:
    """``docker info``: counts of containers and images, the registry, and who is logged in; ``--format`` a
    template over docker's info struct."""
    if inv.options.get("format"):
        return _format_info(machine, str(inv.options["format"]), out)
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
