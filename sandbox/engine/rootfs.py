"""What a container's filesystem holds, read from two hints, and the machine its processes run on.

``files`` names the image's known files (the base layers carry ``/etc/os-release``, builds add theirs); the userland
follows from it: BusyBox ash for alpine and busybox, dash as ``sh`` and bash for debian and ubuntu, nothing at all
for scratch images like hello-world. The programs an official image adds follow from its environment
(``NGINX_VERSION``, ``NODE_VERSION``, ``PYTHON_VERSION``, ``REDIS_VERSION``) and its repository
(``library/registry``, ``library/hello-world``), so an image built FROM one of them behaves like it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sandbox.engine.programs import PROGRAMS
from sandbox.engine.users import ExecUser, exec_user, identity
from sandbox.shell import ASH, BASH, DASH, UTILITIES, Flavour, Machine, shell_program

_BUSYBOX_BIN = (
    "sh ash busybox cat chmod cp date dd df dmesg echo false grep hostname kill ln ls mkdir more mount mv "
    "netstat ping ps pwd rm rmdir sed sleep stat su sync tar touch true umount uname vi watch base64"
).split()
_BUSYBOX_USR_BIN = (
    "awk basename cut dirname du env expr find free head id less md5sum nc nslookup printenv printf "
    "realpath seq sha256sum sort tail tee test top tr uniq uptime wc wget which whoami xargs yes ["
).split()
_GNU_USR_BIN = (
    "bash sh dash cat chmod cp cut date dd df dirname du echo env expr false find grep head hostname id kill "
    "ln ls md5sum mkdir mv nproc printenv printf pwd readlink realpath rm rmdir sed seq sha256sum sleep sort "
    "stat tail tee test touch tr true uname uniq wc which whoami xargs yes awk mawk base64 basename ["
).split()
_ROOT_DIRS = {
    "alpine": "bin dev etc home lib media mnt opt proc root run sbin srv sys tmp usr var",
    "busybox": "bin dev etc home lib lib64 proc root sys tmp usr var",
    "debian": "bin boot dev etc home lib lib64 media mnt opt proc root run sbin srv sys tmp usr var",
    "ubuntu": (
        "bin bin.usr-is-merged boot dev etc home lib lib.usr-is-merged lib64 media mnt opt proc root run sbin "
        "sbin.usr-is-merged srv sys tmp usr var"
    ),
    "scratch": "dev etc proc sys",
}
_HINT_USERLAND = {
    "library/hello-world": "scratch", "library/busybox": "busybox", "library/alpine": "alpine",
    "library/registry": "alpine", "library/ubuntu": "ubuntu", "library/debian": "debian",
    "library/buildpack-deps": "debian", "library/nginx": "debian", "library/node": "debian",
    "library/python": "debian", "library/redis": "debian", "library/postgres": "debian", "library/httpd": "debian",
}
_NGINX_SCRIPTS = (
    "10-listen-on-ipv6-by-default.sh", "15-local-resolvers.envsh", "20-envsubst-on-templates.sh",
    "30-tune-worker-processes.sh",
)
#: The shells by the name they are installed under, per userland: ``sh`` is ash on BusyBox, dash on Debian.
_SHELLS = {"busybox": {"sh": ASH, "ash": ASH}, "alpine": {"sh": ASH, "ash": ASH},
           "debian": {"sh": DASH, "dash": DASH, "bash": BASH}, "ubuntu": {"sh": DASH, "dash": DASH, "bash": BASH}}
_SHELL_PROGRAMS = {flavour.name: shell_program(flavour) for flavour in (ASH, BASH, DASH)}


@dataclass
class Container(Machine):
    """A container's machine: a `Machine` that also knows its userland (which compiler built nginx ...)."""

    userland: str = "scratch"
    #: path -> the installed size a package manager model declares for the placeholder file at that path
    installed_sizes: dict[str, int] = field(default_factory=dict)

    @property
    def sh(self) -> Flavour:
        """The shell ``/bin/sh`` is here (ash where there is none, for the words of a program run directly)."""
        return _SHELLS.get(self.userland, {}).get("sh", ASH)


def shell_named(machine: Container, program: str, env: Mapping[str, str]) -> Flavour | None:
    """The shell ``program`` (``sh``, ``/bin/bash``, ``ash``...) runs in this container, or None when it is not a
    shell the image has (a terminal then has nothing to attach to)."""
    if "/" in program:
        path = program if program in machine.programs else None
    else:
        path = machine.find(program, env.get("PATH") or "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
    name = program.rsplit("/", 1)[-1]
    if path is None or name not in _SHELLS.get(machine.userland, {}):
        return None
    return _SHELLS[machine.userland][name]


def detect_userland(hint: str, files: Mapping[str, bytes]) -> str:
    """scratch, busybox, alpine, debian or ubuntu, from ``/etc/os-release`` and the image's repository."""
    release = files.get("/etc/os-release", b"").decode(errors="replace")
    match = re.search(r"^ID=\"?(\w+)", release, re.MULTILINE)
    if match and match.group(1) in ("alpine", "debian", "ubuntu"):
        return match.group(1)
    if "/etc/alpine-release" in files:
        return "alpine"
    if hint in _HINT_USERLAND:
        return _HINT_USERLAND[hint]
    if "/etc/passwd" in files:
        return "busybox"
    return "scratch"


def installed(userland: str, env: Mapping[str, str], hint: str, files: Mapping[str, bytes]) -> dict[str, str]:
    """Executable path -> the program it is (its name, or the entrypoint script it stands for)."""
    programs: dict[str, str] = {}
    if userland == "busybox":
        for name in _BUSYBOX_BIN + _BUSYBOX_USR_BIN:
            programs[f"/bin/{name}"] = name
    elif userland == "alpine":
        programs.update({f"/bin/{name}": name for name in _BUSYBOX_BIN})
        programs.update({f"/usr/bin/{name}": name for name in _BUSYBOX_USR_BIN})
        programs.update({"/sbin/apk": "apk", "/usr/bin/getent": "getent"})
    elif userland in ("debian", "ubuntu"):
        for name in _GNU_USR_BIN + ["apt-get", "apt", "dpkg"]:
            for directory in ("/usr/bin", "/bin"):  # merged /usr: /bin is a link to /usr/bin
                programs[f"{directory}/{name}"] = name
    if "NGINX_VERSION" in env:
        programs.update({"/usr/sbin/nginx": "nginx", "/usr/sbin/nginx-debug": "nginx",
                         "/docker-entrypoint.sh": "nginx-entrypoint", "/usr/bin/envsubst": "envsubst"})
    if "NODE_VERSION" in env:
        for name in ("node", "nodejs", "npm", "npx", "corepack", "yarn", "yarnpkg"):
            programs[f"/usr/local/bin/{name}"] = "node" if name == "nodejs" else name
        programs["/usr/local/bin/docker-entrypoint.sh"] = "node-entrypoint"
    if "PYTHON_VERSION" in env:
        short = ".".join(env["PYTHON_VERSION"].split(".")[:2])
        for name in ("python", "python3", f"python{short}", "pip", "pip3", f"pip{short}", "pydoc", "idle"):
            programs[f"/usr/local/bin/{name}"] = "python" if name.startswith("python") else name
    if "REDIS_VERSION" in env:
        for name in ("redis-server", "redis-cli", "redis-benchmark", "redis-sentinel", "gosu"):
            programs[f"/usr/local/bin/{name}"] = name
        programs["/usr/local/bin/docker-entrypoint.sh"] = "redis-entrypoint"
    if hint == "library/registry" or any(path.endswith("/registry/config.yml") or
                                         path == "/etc/distribution/config.yml" for path in files):
        programs.update({"/bin/registry": "registry", "/entrypoint.sh": "registry-entrypoint"})
    if hint == "library/hello-world":
        programs["/hello"] = "hello"
    return programs


def _unmodelled(call) -> int:
    """A program the image has that the sandbox does not model (``sed``, ``ps``, ``wget`` ...). It changes nothing and
    says so in one plain line on stderr, so a learner never takes its silence for the real program's answer; it exits 0
    so that a Dockerfile's ``RUN chmod +x start.sh`` still builds as it would on Docker."""
    name = call.argv[0].rsplit("/", 1)[-1]
    call.err(f"imageshare sandbox: {name} is not simulated in this sandbox's containers (it did nothing)\n")
    return 0


def container_machine(*, env: Mapping[str, str], files: dict[str, bytes], hint: str, userland: str | None,
                      now: datetime, tty: bool, stdin_open: bool, cwd: str, user: ExecUser | None = None,
                      owned: frozenset[str] = frozenset()) -> Container:
    """The machine a container's processes run on: the image's files and programs, its directories, its name, and
    the user its processes run as (root unless ``user`` says otherwise) and the directories it owns (``owned``)."""
    userland = userland or detect_userland(hint, files)
    shells = _SHELLS.get(userland, {})
    programs = {}
    for path, name in installed(userland, env, hint, files).items():
        if name in shells:
            programs[path] = _SHELL_PROGRAMS[shells[name].name]
        else:
            programs[path] = PROGRAMS.get(name) or UTILITIES.get(name) or _unmodelled
    hostname = env.get("HOSTNAME") or "localhost"
    directories = {f"/{name}" for name in _ROOT_DIRS[userland].split()}
    directories |= {"/usr/local", "/usr/local/bin", "/root", "/tmp", "/etc", "/var", "/home", cwd}
    listed: dict[str, set[str]] = {}
    if "NGINX_VERSION" in env:
        directories |= {"/docker-entrypoint.d", "/etc/nginx", "/etc/nginx/conf.d", "/usr/share/nginx/html"}
        listed["/docker-entrypoint.d"] = set(_NGINX_SCRIPTS)
    if "REDIS_VERSION" in env:
        directories.add("/data")
    if "/entrypoint.sh" in programs:
        directories.add("/var/lib/registry")
    files = dict(files)
    files["/.dockerenv"] = b""
    files["/etc/hostname"] = f"{hostname}\n".encode()
    user = user or exec_user("", files)
    return Container(files=files, directories=directories, programs=programs, hostname=hostname, now=now,
                     tools="busybox" if userland in ("alpine", "busybox") else "gnu", tty=tty,
                     stdin_open=stdin_open, listed=listed, identity=identity(user, files), uid=user.uid,
                     writable=_writable(user) | set(owned) if user.uid else set(), userland=userland)


#: Directories every user may write in a Linux image (mode 1777).
_SHARED_DIRECTORIES = ("/tmp", "/var/tmp", "/dev/shm")


def _writable(user: ExecUser) -> set[str]:
    """Where a non-root user may create files: the shared directories, and its home when that is a home that
    ``adduser``/``useradd -m`` made for it (under ``/home``, owned by the user); system users' homes belong to root."""
    if user.uid == 0:
        return set()
    return set(_SHARED_DIRECTORIES) | ({user.home} if user.home.startswith("/home/") else set())
