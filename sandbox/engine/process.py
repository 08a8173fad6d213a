"""What a container's main process does, so ``docker run`` and ``docker logs`` print what real containers print.

:func:`simulate` is a pure function of the process's argv (Entrypoint + Cmd as Docker composes them), its
environment, working directory and known files. It answers one :class:`ProcessOutcome`: the text written, in
order and by stream, and either an exit code or ``None`` for a process that keeps running (a server,
``sleep infinity``, a shell under ``-it``). A program missing from the image is no outcome of the process at all
but the runtime's refusal to start it: ``start_error`` carries the daemon's message.

What the image holds is read from two hints. ``files`` names the image's known files (the base layers carry
``/etc/os-release``, builds add theirs); the userland follows from it: busybox ash for alpine and busybox,
dash as ``sh`` and bash for debian and ubuntu, nothing at all for scratch images like hello-world. The
programs an official image adds follow from its environment (``NGINX_VERSION``, ``NODE_VERSION``,
``PYTHON_VERSION``, ``REDIS_VERSION``) and ``image_hint`` (``library/registry``, ``library/hello-world``), so an
image built FROM one of them behaves like it.

Shell scripts run through a small interpreter: words with quotes and ``$VAR``; ``;``, ``&&``, ``||``, ``|``, ``&``
and newlines; ``>``, ``>>``, ``2>&1`` and ``>&2``; ``for`` loops; ``while true`` loops (which run their body once
and keep running); and the usual utilities (echo, printf, cat, ls, pwd, cd, env, printenv, hostname, uname, date,
id, whoami, which, sleep, true, false, exit, export). Scripts of application servers are not run: ``node FILE``
and ``python FILE`` print the literal lines their ``console.log("...")`` / ``print("...")`` calls would, and keep
running when the file starts a server (``.listen(``, ``serve_forever``, ``app.run`` ...). Python holds back
stdout in that case, as a block-buffered pipe does, unless ``-u``, ``PYTHONUNBUFFERED`` or a tty says otherwise.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

#: When the simulated processes believe they start, unless the caller passes the world's clock.
DEFAULT_NOW = datetime(2025, 4, 11, 12, 0, 0, tzinfo=timezone.utc)
#: The kernel every container shares: Docker Desktop's LinuxKit VM of spring 2025.
KERNEL_RELEASE = "6.10.14-linuxkit"
KERNEL_VERSION = "#1 SMP PREEMPT_DYNAMIC Fri Mar 28 09:27:26 UTC 2025"
#: The PATH Docker gives a container whose image sets none.
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#: nginx starts one worker per CPU; the simulated host has two.
NGINX_WORKER_PIDS = (29, 30)

HELLO_WORLD = """
Hello from Docker!
This message shows that your installation appears to be working correctly.

To generate this message, Docker took the following steps:
 1. The Docker client contacted the Docker daemon.
 2. The Docker daemon pulled the "hello-world" image from the Docker Hub.
    (amd64)
 3. The Docker daemon created a new container from that image which runs the
    executable that produces the output you are currently reading.
 4. The Docker daemon streamed that output to the Docker client, which sent it
    to your terminal.

To try something more ambitious, you can run an Ubuntu container with:
 $ docker run -it ubuntu bash

Share images, automate workflows, and more with a free Docker ID:
 https://hub.docker.com/

For more examples and ideas, visit:
 https://docs.docker.com/get-started/

"""

_OCI_START = (
    "failed to create task for container: failed to create shim task: OCI runtime create failed: "
    "runc create failed: unable to start container process: error during container init: "
)


@dataclass(frozen=True)
class ProcessOutcome:
    """What a container's main process did: its output, and how it ended (or that it did not)."""

    #: ``(stream, text)`` chunks in the order written; stream is ``"stdout"`` or ``"stderr"``.
    output: tuple[tuple[str, str], ...] = ()
    #: The exit code, or None for a process that keeps running.
    exit_code: int | None = 0
    #: The daemon's message when the runtime could not start the process (the CLI adds its prefix).
    start_error: str | None = None
    #: Seconds the process spends sleeping before it ends (``sleep 30``): the daemon lets the virtual clock decide
    #: when a detached container exits. Output is reported at once, a simplification of a script that sleeps first.
    duration: float = 0.0

    @property
    def stdout(self) -> str:
        """Everything written to stdout (with a tty: everything)."""
        return "".join(text for stream, text in self.output if stream == "stdout")

    @property
    def stderr(self) -> str:
        """Everything written to stderr."""
        return "".join(text for stream, text in self.output if stream == "stderr")

    @property
    def logs(self) -> str:
        """Both streams interleaved as written: what ``docker logs`` and a foreground ``docker run`` show."""
        return "".join(text for _, text in self.output)

    @property
    def running(self) -> bool:
        """True when the process started and keeps running."""
        return self.start_error is None and self.exit_code is None


def simulate(
    argv: Sequence[str],
    *,
    env: Mapping[str, str],
    workdir: str,
    files: Mapping[str, bytes | str],
    interactive: bool,
    tty: bool,
    image_hint: str,
    userland: str | None = None,
    now: datetime | None = None,
    machine: str = "x86_64",
) -> ProcessOutcome:
    """Run ``argv`` as a container's PID 1 and report what it printed and how it ended.

    ``env`` is the container's environment as Docker sets it (image Env, ``-e``, ``HOSTNAME``); ``files`` maps
    absolute paths to contents; ``image_hint`` is the image's repository (``library/nginx``); ``userland``
    overrides the guess of scratch/busybox/alpine/debian/ubuntu; ``now`` stamps server log lines; ``machine`` is
    what ``uname -m`` says (the image's architecture, as the kernel or its emulator reports it).

    Raises ValueError for an empty argv (the daemon refuses such a container before it exists).
    """
    if not argv:
        raise ValueError("no command specified")
    process = _Process(
        env=dict(env),
        cwd=_normalize(workdir or "/"),
        files={path: content.encode() if isinstance(content, str) else bytes(content)
               for path, content in files.items()},
        interactive=interactive,
        tty=tty,
        hint=image_hint or "",
        userland=userland,
        now=now or DEFAULT_NOW,
    )
    process.machine = machine
    code: int | None
    try:
        code = process.exec_top(list(argv))
    except _StartError as refused:
        return ProcessOutcome(exit_code=refused.exit_code, start_error=refused.message)
    except _KeepsRunning:
        code = None
    except _Exit as ended:
        code = ended.code
    output = tuple(("stdout" if tty else stream, text) for stream, text in process.output if text)
    return ProcessOutcome(output=output, exit_code=code, duration=process.slept if code is not None else 0.0)


# --- control flow -------------------------------------------------------------------------------------


class _StartError(Exception):
    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.message, self.exit_code = message, exit_code


class _KeepsRunning(Exception):
    """The process reached a point where it waits forever (a server, ``sleep infinity``, a prompt)."""


class _Exit(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


# --- what is installed --------------------------------------------------------------------------------

_BUSYBOX_BIN = (
    "sh ash busybox cat chmod cp date dd df dmesg echo false grep hostname kill ln ls mkdir more mount mv "
    "netstat ping ps pwd rm rmdir sed sleep stat su sync tar touch true umount uname vi watch"
).split()
_BUSYBOX_USR_BIN = (
    "awk basename cut dirname du env expr find free head id less md5sum nc nslookup printenv printf "
    "realpath seq sha256sum sort tail tee test top tr uniq uptime wc wget which whoami xargs yes"
).split()
_GNU_USR_BIN = (
    "bash sh dash cat chmod cp cut date dd df dirname du echo env expr false find grep head hostname id kill "
    "ln ls md5sum mkdir mv nproc printenv printf pwd readlink realpath rm rmdir sed seq sha256sum sleep sort "
    "stat tail tee test touch tr true uname uniq wc which whoami xargs yes awk mawk"
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
#: npm as bundled with each Node.js release of the catalogue.
_NPM_VERSIONS = {"20": "10.8.2", "22": "10.9.2", "23": "10.9.2"}


def _detect_userland(hint: str, files: Mapping[str, bytes]) -> str:
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


def _installed(userland: str, env: Mapping[str, str], hint: str, files: Mapping[str, bytes]) -> dict[str, str]:
    """Executable path -> the program it is (its basename, or the entrypoint script it stands for)."""
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


# --- the process ----------------------------------------------------------------------------------------


class _IO:
    """Where one command's output goes and what it reads."""

    def __init__(self, process: _Process, stdin: str | None = None) -> None:
        self.process = process
        self.stdin = stdin
        self.stdout: list[str] | None = None  # captured (a pipe), else written to the process
        self.out_target = "stdout"
        self.err_target = "stderr"

    def write(self, stream: str, text: str) -> None:
        target = self.out_target if stream == "stdout" else self.err_target
        if target == "null":
            return
        if target == "capture" and self.stdout is not None:
            self.stdout.append(text)
            return
        if target.startswith("file:"):
            path = target[5:]
            self.process.files[path] = self.process.files.get(path, b"") + text.encode()
            return
        self.process.emit(target, text)

    def out(self, text: str) -> None:
        self.write("stdout", text)

    def err(self, text: str) -> None:
        self.write("stderr", text)


#: What one container process may print, and the longest word a shell builds, before the sandbox stops it: real
#: containers stream without limit, a notebook cell cannot hold that, and a grader must stay fast.
MAX_OUTPUT = 1024 * 1024
MAX_WORD = 1024 * 1024
OUTPUT_CAP_NOTICE = f"\n[imageshare sandbox: output stopped after {MAX_OUTPUT // 1024} KiB]\n"


class _Process:
    def emit(self, stream: str, text: str) -> None:
        """Record output, up to `MAX_OUTPUT` characters in all; then one notice, then nothing."""
        if self.printed >= MAX_OUTPUT:
            return
        room = MAX_OUTPUT - self.printed
        if len(text) > room:
            self.output.append((stream, text[:room]))
            self.output.append(("stderr", OUTPUT_CAP_NOTICE))
            self.printed = MAX_OUTPUT
            return
        self.output.append((stream, text))
        self.printed += len(text)

    def write_error(self, text: str) -> None:
        """Write to the process's stderr."""
        self.emit("stderr", text)

    def __init__(self, *, env, cwd, files, interactive, tty, hint, userland, now) -> None:
        self.env: dict[str, str] = env
        self.cwd: str = cwd
        self.files: dict[str, bytes] = files
        self.interactive: bool = interactive
        self.tty: bool = tty
        self.hint: str = hint
        self.now: datetime = now
        self.userland: str = userland or _detect_userland(hint, files)
        self.programs = _installed(self.userland, env, hint, files)
        self.output: list[tuple[str, str]] = []
        self.printed = 0
        self.slept = 0.0
        self.hostname = env.get("HOSTNAME") or "localhost"
        self.machine = "x86_64"

    # -- finding programs

    def resolve(self, name: str) -> str | None:
        """The executable ``name`` runs, as the kernel (a path) or a PATH search (a bare name) finds it."""
        if "/" in name:
            path = _normalize(_join(self.cwd, name))
            return path if path in self.programs or path in self.files else None
        for directory in (self.env.get("PATH") or DEFAULT_PATH).split(":"):
            path = _normalize(f"{directory or '.'}/{name}")
            if path in self.programs:
                return path
        return None

    def program(self, path: str) -> str:
        """What the executable at ``path`` is: a known program, or ``script`` for a file a build copied in."""
        return self.programs.get(path) or "script"

    def exec_top(self, argv: list[str]) -> int:
        """What runc does with PID 1: find the executable or refuse to start the container."""
        name = argv[0]
        path = self.resolve(name)
        if path is None:
            if "/" in name:
                raise _StartError(f'{_OCI_START}exec: "{name}": stat {name}: no such file or directory: unknown', 127)
            raise _StartError(f'{_OCI_START}exec: "{name}": executable file not found in $PATH: unknown', 127)
        return self.run_program(path, argv, _IO(self))

    def run_program(self, path: str, argv: list[str], io: _IO) -> int:
        """Run an executable that exists; returns its exit code (or raises _KeepsRunning / _Exit)."""
        kind = self.program(path)
        handler = _PROGRAMS.get(kind)
        if handler is not None:
            return handler(self, argv, io)
        if kind == "script":
            return self.run_file(path, argv, io)
        return 0  # installed, but nothing the lessons need it to say

    def run_file(self, path: str, argv: list[str], io: _IO) -> int:
        """A file a build copied in, run as its ``#!`` line says."""
        text = self.files[path].decode(errors="replace")
        first = text.splitlines()[0] if text else ""
        if not first.startswith("#!"):
            io.err(f"exec {path}: exec format error\n")
            return 255
        interpreter = first[2:].strip().split()
        shell = interpreter[-1].rsplit("/", 1)[-1] if interpreter else "sh"
        if shell in ("sh", "ash", "bash", "dash"):
            flavour = self.shell_flavour(shell)
            if flavour is None:
                io.err(f"exec {path}: no such file or directory\n")
                return 255
            return _Shell(self, flavour, path, argv[1:]).run_script(text, io)
        return self.run_program(self.resolve(shell) or path, [shell, path, *argv[1:]], io)

    def shell_flavour(self, name: str) -> str | None:
        """Which shell answers to ``name`` here: ash (busybox), dash (debian's sh) or bash."""
        if name == "bash":
            return "bash" if self.userland in ("debian", "ubuntu") else None
        if self.userland in ("alpine", "busybox"):
            return "ash"
        if self.userland in ("debian", "ubuntu"):
            return "dash"
        return None

    # -- the filesystem as far as it is known

    def read(self, path: str) -> bytes | None:
        path = _normalize(_join(self.cwd, path))
        if path in self.files:
            return self.files[path]
        if path == "/etc/hostname":
            return f"{self.hostname}\n".encode()
        return None

    def is_dir(self, path: str) -> bool:
        path = _normalize(_join(self.cwd, path))
        if path == "/" or path in self.known_dirs():
            return True
        prefix = path.rstrip("/") + "/"
        return any(p.startswith(prefix) for p in list(self.files) + list(self.programs))

    def known_dirs(self) -> set[str]:
        dirs = {f"/{name}" for name in _ROOT_DIRS[self.userland].split()}
        dirs |= {"/usr/local", "/usr/local/bin", "/root", "/tmp", "/etc", "/var", "/home"}
        if "NGINX_VERSION" in self.env:
            dirs |= {"/docker-entrypoint.d", "/etc/nginx", "/etc/nginx/conf.d", "/usr/share/nginx/html"}
        if "REDIS_VERSION" in self.env:
            dirs.add("/data")
        if "/entrypoint.sh" in self.programs:
            dirs.add("/var/lib/registry")
        if self.cwd != "/":
            dirs.add(self.cwd)
        return dirs

    def list_dir(self, path: str, hidden: bool) -> list[str]:
        path = _normalize(_join(self.cwd, path))
        prefix = "" if path == "/" else path
        entries: set[str] = set()
        if path == "/":
            entries |= set(_ROOT_DIRS[self.userland].split())
            if hidden:
                entries.add(".dockerenv")
        for candidate in list(self.files) + list(self.programs) + sorted(self.known_dirs()):
            if candidate.startswith(prefix + "/") and candidate != path:
                entries.add(candidate[len(prefix) + 1:].split("/", 1)[0])
        if path == "/docker-entrypoint.d" and "NGINX_VERSION" in self.env:
            entries |= set(_NGINX_SCRIPTS)
        entries.discard("")
        if hidden:
            entries |= {".", ".."}
        return sorted(entries)


# --- shells -------------------------------------------------------------------------------------------

_OPERATORS = ("&&", "||", ";;", "2>&1", ">&2", "1>&2", "2>>", ">>", "2>", "1>", ">", "<", "|", ";", "&", "\n")


@dataclass
class _Token:
    text: str
    operator: bool
    line: int


class _Shell:
    """A POSIX-ish shell reading one script: enough of sh for what people type after ``sh -c``."""

    def __init__(self, process: _Process, flavour: str, name: str, positional: Sequence[str]) -> None:
        self.process = process
        self.flavour = flavour
        self.name = name  # $0: how the shell was invoked, printed in its error messages
        self.positional = list(positional)
        self.status = 0

    # -- entry points

    def run_script(self, text: str, io: _IO) -> int:
        tokens = self.tokenize(text)
        if tokens is None:
            return self.status
        self.run_list(tokens, io)
        return self.status

    def not_found(self, name: str, line: int, io: _IO) -> None:
        if self.flavour == "bash":
            io.err(f"{self.name}: line {line}: {name}: command not found\n")
        elif self.flavour == "dash":
            io.err(f"{self.name}: {line}: {name}: not found\n")
        else:
            io.err(f"{self.name}: {name}: not found\n")

    # -- tokens

    def tokenize(self, text: str) -> list[_Token] | None:
        tokens: list[_Token] = []
        i, line, word, in_word = 0, 1, "", False
        while i < len(text):
            ch = text[i]
            if ch in " \t" and not in_word:
                i += 1
                continue
            if ch in " \t":
                tokens.append(_Token(word, False, line))
                word, in_word = "", False
                i += 1
                continue
            if ch == "#" and not in_word:
                while i < len(text) and text[i] != "\n":
                    i += 1
                continue
            operator = next((op for op in _OPERATORS if text.startswith(op, i)), None)
            if operator and not (operator in ("2>&1", "2>", "2>>", "1>", "1>&2") and in_word):
                if in_word:
                    tokens.append(_Token(word, False, line))
                    word, in_word = "", False
                tokens.append(_Token(operator, True, line))
                line += operator == "\n"
                i += len(operator)
                continue
            if ch in "'\"":
                end = i + 1
                while end < len(text) and text[end] != ch:
                    end += 2 if ch == '"' and text[end] == "\\" else 1
                if end >= len(text):
                    self.syntax_error("unterminated quoted string" if self.flavour == "ash"
                                      else "Syntax error: Unterminated quoted string", line)
                    return None
                word += text[i:end + 1]
                in_word = True
                i = end + 1
                continue
            if ch == "\\" and i + 1 < len(text):
                if text[i + 1] == "\n":
                    i += 2
                    continue
                word += text[i:i + 2]
                in_word = True
                i += 2
                continue
            word += ch
            in_word = True
            i += 1
        if in_word:
            tokens.append(_Token(word, False, line))
        return tokens

    def syntax_error(self, message: str, line: int) -> None:
        io = _IO(self.process)
        if self.flavour == "dash":
            io.err(f"{self.name}: {line}: {message}\n")
        elif self.flavour == "bash":
            io.err(f"{self.name}: -c: line {line}: {message}\n")
        else:
            io.err(f"{self.name}: syntax error: {message}\n")
        self.status = 2

    # -- lists, pipelines, compound commands

    def run_list(self, tokens: list[_Token], io: _IO) -> None:
        """Run ``a; b && c || d & e`` left to right with the shell's short-circuit rules."""
        i, connector = 0, ";"
        while i < len(tokens):
            end = self.command_end(tokens, i)
            segment = tokens[i:end]
            following = tokens[end].text if end < len(tokens) else ";"
            skip = (connector == "&&" and self.status != 0) or (connector == "||" and self.status == 0)
            if segment and not skip:
                if following == "&":
                    try:
                        self.run_pipeline(segment, io)
                    except _KeepsRunning:
                        pass
                    self.status = 0
                else:
                    self.run_pipeline(segment, io)
            connector = following if following in ("&&", "||") else ";"
            i = end + 1

    def command_end(self, tokens: list[_Token], start: int) -> int:
        """Index of the list operator that ends the command starting at ``start`` (compound-aware)."""
        depth, i = 0, start
        while i < len(tokens):
            token = tokens[i]
            if not token.operator and token.text in ("for", "while", "until", "if") and self._at_word_start(tokens, i):
                depth += 1
            elif not token.operator and token.text in ("done", "fi") and depth:
                depth -= 1
            elif token.operator and token.text in (";", "&&", "||", "&", "\n") and depth == 0:
                return i
            i += 1
        return i

    @staticmethod
    def _at_word_start(tokens: list[_Token], i: int) -> bool:
        return i == 0 or (tokens[i - 1].operator and tokens[i - 1].text in (";", "&&", "||", "&", "\n", "|")) or \
            tokens[i - 1].text in ("do", "then", "else")

    def run_pipeline(self, tokens: list[_Token], io: _IO) -> None:
        first = tokens[0].text if not tokens[0].operator else ""
        if first in ("for", "while", "until", "if"):
            self.run_compound(tokens, io)
            return
        parts: list[list[_Token]] = [[]]
        for token in tokens:
            if token.operator and token.text == "|":
                parts.append([])
            else:
                parts[-1].append(token)
        stdin = io.stdin
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            step = _IO(self.process, stdin)
            step.out_target, step.err_target = io.out_target, io.err_target
            step.stdout = io.stdout
            if not last:
                step.stdout, step.out_target = [], "capture"
            self.run_simple(part, step)
            stdin = "".join(step.stdout or []) if not last else None

    def run_compound(self, tokens: list[_Token], io: _IO) -> None:
        words = [t.text for t in tokens]
        keyword = words[0]
        try:
            if keyword == "for":
                variable = words[1]
                do = self._index(tokens, "do")
                items_end = self._index(tokens, "in") + 1 if "in" in words[:do] else do
                items = [w for t in tokens[items_end:do] if not t.operator for w in self.expand(t.text)]
                if "in" not in words[:do]:
                    items = list(self.positional)
                body = tokens[do + 1:self._last(tokens, "done")]
                for item in items:
                    self.process.env[variable] = item
                    self.run_list(body, io)
            elif keyword in ("while", "until"):
                do = self._index(tokens, "do")
                condition = tokens[1:do]
                body = tokens[do + 1:self._last(tokens, "done")]
                self.run_list(condition, io)
                if (self.status == 0) == (keyword == "while"):
                    self.run_list(body, io)
                    raise _KeepsRunning  # the loop goes round again: a container's usual keep-alive
                self.status = 0
            else:
                then = self._index(tokens, "then")
                fi = self._last(tokens, "fi")
                otherwise = next((i for i in range(fi - 1, then, -1) if tokens[i].text in ("else", "elif")
                                  and not tokens[i].operator), None)
                self.run_list(tokens[1:then], io)
                if self.status == 0:
                    self.run_list(tokens[then + 1:otherwise or fi], io)
                elif otherwise is not None and tokens[otherwise].text == "else":
                    self.run_list(tokens[otherwise + 1:fi], io)
                elif otherwise is not None:
                    self.run_compound([_Token("if", False, tokens[otherwise].line), *tokens[otherwise + 1:]], io)
                else:
                    self.status = 0
        except LookupError:
            self.syntax_error(f'"{keyword}" unmatched' if self.flavour == "ash" else
                              "Syntax error: end of file unexpected", tokens[-1].line)

    @staticmethod
    def _index(tokens: list[_Token], word: str) -> int:
        for i, token in enumerate(tokens):
            if not token.operator and token.text == word:
                return i
        raise LookupError(word)

    @staticmethod
    def _last(tokens: list[_Token], word: str) -> int:
        for i in range(len(tokens) - 1, -1, -1):
            if not tokens[i].operator and tokens[i].text == word:
                return i
        raise LookupError(word)

    # -- simple commands

    def run_simple(self, tokens: list[_Token], io: _IO) -> None:
        words: list[str] = []
        assignments: dict[str, str] = {}
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.operator:
                target = tokens[i + 1].text if i + 1 < len(tokens) else ""
                self.redirect(token.text, self.expand_one(target), io)
                i += 1 if token.text in ("2>&1", ">&2", "1>&2") else 2
                continue
            if not words and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", token.text):
                key, _, value = token.text.partition("=")
                assignments[key] = self.expand_one(value)
            else:
                words.extend(self.expand(token.text))
            i += 1
        if not words:
            self.process.env.update(assignments)
            self.status = 0
            return
        line = tokens[0].line
        saved = dict(self.process.env)
        self.process.env.update(assignments)
        try:
            self.status = self.run_command(words, line, io)
        finally:
            if assignments:
                self.process.env = saved

    def redirect(self, operator: str, target: str, io: _IO) -> None:
        if operator == "2>&1":
            io.err_target = io.out_target
        elif operator in (">&2", "1>&2"):
            io.out_target = io.err_target
        elif operator in (">", "1>", ">>", "2>", "2>>"):
            path = _normalize(_join(self.process.cwd, target))
            destination = "null" if path == "/dev/null" else f"file:{path}"
            if destination != "null" and not operator.endswith(">>"):
                self.process.files[path] = b""
            if operator.startswith("2"):
                io.err_target = destination
            else:
                io.out_target = destination
        elif operator == "<":
            content = self.process.read(target)
            io.stdin = content.decode(errors="replace") if content is not None else ""

    def run_command(self, words: list[str], line: int, io: _IO) -> int:
        name, args = words[0], words[1:]
        builtin = _BUILTINS.get(name)
        if builtin is not None:
            return builtin(self, args, io)
        path = self.process.resolve(name)
        if path is not None:
            try:
                return self.process.run_program(path, words, io)
            except _Exit as ended:  # a child process ended; this shell goes on
                return ended.code
        if path is None:
            if "/" in name:
                message = {"ash": f"{self.name}: {name}: not found",
                           "dash": f"{self.name}: {line}: {name}: not found",
                           "bash": f"{self.name}: line {line}: {name}: No such file or directory"}[self.flavour]
                io.err(message + "\n")
            else:
                self.not_found(name, line, io)
        return 127

    # -- expansion

    def expand(self, raw: str) -> list[str]:
        """One raw word -> the fields it becomes (unquoted expansions split on whitespace)."""
        text, split = self._expand(raw)
        if split and not text.strip():
            return []
        return text.split() if split else [text]

    def expand_one(self, raw: str) -> str:
        return self._expand(raw)[0]

    def _checked(self, text: str) -> str:
        """A shell word after expansion, refused past `MAX_WORD` as a real shell runs out of memory."""
        if len(text) > MAX_WORD:
            self.process.write_error(f"{self.name}: out of memory\n")
            raise _Exit(2)
        return text

    def _expand(self, raw: str) -> tuple[str, bool]:
        text, split = self._expand_unchecked(raw)
        return self._checked(text), split

    def _expand_unchecked(self, raw: str) -> tuple[str, bool]:
        out, i, split = [], 0, False
        while i < len(raw):
            ch = raw[i]
            if ch == "'":
                end = raw.index("'", i + 1)
                out.append(raw[i + 1:end])
                i = end + 1
            elif ch == '"':
                end = i + 1
                chunk = []
                while raw[end] != '"':
                    if raw[end] == "\\" and raw[end + 1] in '"\\$`':
                        chunk.append(raw[end + 1])
                        end += 2
                    elif raw[end] == "$":
                        value, end = self._variable(raw, end)
                        chunk.append(value)
                    else:
                        chunk.append(raw[end])
                        end += 1
                out.append("".join(chunk))
                i = end + 1
            elif ch == "\\" and i + 1 < len(raw):
                out.append(raw[i + 1])
                i += 2
            elif ch == "$":
                value, i = self._variable(raw, i)
                out.append(value)
                split = True
            elif ch == "~" and i == 0:
                out.append(self.process.env.get("HOME", "/root"))
                i += 1
            else:
                out.append(ch)
                i += 1
        return "".join(out), split

    def _variable(self, raw: str, i: int) -> tuple[str, int]:
        """Expand the ``$...`` at ``raw[i]``; returns the value and the index after it."""
        rest = raw[i + 1:]
        if rest.startswith("{"):
            end = rest.index("}")
            inner = rest[1:end]
            name, _, default = inner.partition(":-")
            value = self.lookup(name)
            return (value if value else default if ":-" in inner else value), i + end + 2
        match = re.match(r"[A-Za-z_][A-Za-z0-9_]*|[0-9?#@$*]", rest)
        if not match:
            return "$", i + 1
        return self.lookup(match.group(0)), i + 1 + match.end()

    def lookup(self, name: str) -> str:
        if name == "?":
            return str(self.status)
        if name == "0":
            return self.name
        if name.isdigit():
            index = int(name) - 1
            return self.positional[index] if index < len(self.positional) else ""
        if name == "#":
            return str(len(self.positional))
        if name in ("@", "*"):
            return " ".join(self.positional)
        if name == "$":
            return "1"
        if name == "HOME":
            return self.process.env.get("HOME", "/root")
        if name == "PWD":
            return self.process.cwd
        return self.process.env.get(name, "")


# --- shell builtins and utilities ----------------------------------------------------------------------


def _echo(shell: _Shell, args: list[str], io: _IO) -> int:
    newline, escapes = True, shell.flavour == "dash"
    flags = r"-n+" if shell.flavour == "dash" else r"-[neE]+"  # dash's echo takes no -e: it prints it
    while args and re.fullmatch(flags, args[0]):
        flags, args = args[0], args[1:]
        newline = newline and "n" not in flags
        escapes = "e" in flags or (escapes and "E" not in flags)
    text = " ".join(args)
    if escapes:
        text = text.replace("\\n", "\n").replace("\\t", "\t")
        if "\\c" in text:
            text, newline = text.split("\\c", 1)[0], False
    io.out(text + ("\n" if newline else ""))
    return 0


def _printf(shell: _Shell, args: list[str], io: _IO) -> int:
    if not args:
        bash = shell.flavour == "bash"
        io.err("printf: usage: printf format [arguments]\n" if bash else "Usage: printf FORMAT [ARG]...\n")
        return 2 if shell.flavour == "bash" else 1
    fmt, values = args[0].replace("\\n", "\n").replace("\\t", "\t"), list(args[1:])
    while True:
        before = len(values)
        result = re.sub(r"%[sd%]", lambda m: "%" if m.group(0) == "%%" else (values.pop(0) if values else ""), fmt)
        io.out(result)
        if not values or len(values) == before:  # a format that takes no arguments is printed once
            return 0


def _cat(shell: _Shell, args: list[str], io: _IO) -> int:
    names = [a for a in args if not a.startswith("-") or a == "-"]
    if not names:
        if io.stdin is not None:
            io.out(io.stdin)
            return 0
        if shell.process.interactive:
            raise _KeepsRunning
        return 0
    status = 0
    for name in names:
        content = shell.process.read(name)
        if content is not None:
            io.out(content.decode(errors="replace"))
        elif shell.process.is_dir(name):
            io.err("cat: read error: Is a directory\n" if shell.process.userland in ("alpine", "busybox")
                   else f"cat: {name}: Is a directory\n")
            status = 1
        else:
            io.err(f"cat: can't open '{name}': No such file or directory\n" if shell.process.userland in (
                "alpine", "busybox") else f"cat: {name}: No such file or directory\n")
            status = 1
    return status


def _ls(shell: _Shell, args: list[str], io: _IO) -> int:
    flags = "".join(a[1:] for a in args if a.startswith("-"))
    targets = [a for a in args if not a.startswith("-")] or ["."]
    status, blocks = 0, []
    gnu = shell.process.userland in ("debian", "ubuntu")
    for target in targets:
        if shell.process.read(target) is not None:
            blocks.append((target, [target]))
        elif shell.process.is_dir(target):
            blocks.append((target, shell.process.list_dir(target, "a" in flags)))
        else:
            io.err(f"ls: cannot access '{target}': No such file or directory\n" if gnu
                   else f"ls: {target}: No such file or directory\n")
            status = 2 if gnu else 1
    for index, (target, entries) in enumerate(blocks):
        if len(targets) > 1:
            io.out(("\n" if index else "") + f"{target}:\n")
        if not entries:
            continue
        if shell.process.tty and "1" not in flags and len("  ".join(entries)) < 80:
            io.out("  ".join(entries) + "\n")
        else:
            io.out("\n".join(entries) + "\n")
    return status


def _cd(shell: _Shell, args: list[str], io: _IO) -> int:
    target = args[0] if args else shell.process.env.get("HOME", "/root")
    if not shell.process.is_dir(target):
        message = {"ash": f"{shell.name}: cd: line 1: can't cd to {target}: No such file or directory",
                   "dash": f"{shell.name}: 1: cd: can't cd to {target}",
                   "bash": f"{shell.name}: line 1: cd: {target}: No such file or directory"}[shell.flavour]
        io.err(message + "\n")
        return 2 if shell.flavour == "dash" else 1
    shell.process.cwd = _normalize(_join(shell.process.cwd, target))
    return 0


def _env(shell: _Shell, args: list[str], io: _IO) -> int:
    env = dict(shell.process.env)
    env.setdefault("HOME", "/root")  # runc adds HOME when neither the image nor -e set it
    if args and args[0] != "-i" and "=" not in args[0]:
        return shell.run_command(args, 1, io)
    io.out("".join(f"{key}={value}\n" for key, value in env.items()))
    return 0


def _printenv(shell: _Shell, args: list[str], io: _IO) -> int:
    if not args:
        return _env(shell, [], io)
    env = {"HOME": "/root", **shell.process.env}
    found = [env[name] for name in args if name in env]
    io.out("".join(f"{value}\n" for value in found))
    return 0 if len(found) == len(args) else 1


def _export(shell: _Shell, args: list[str], io: _IO) -> int:
    for arg in args:
        key, sep, value = arg.partition("=")
        if sep:
            shell.process.env[key] = value
    return 0


def _uname(shell: _Shell, args: list[str], io: _IO) -> int:
    flags = "".join(a[1:] for a in args if a.startswith("-")) or "s"
    gnu = shell.process.userland in ("debian", "ubuntu")
    if "a" in flags:
        tail = f"{shell.process.machine} GNU/Linux" if gnu else f"{shell.process.machine} Linux"
        io.out(f"Linux {shell.process.hostname} {KERNEL_RELEASE} {KERNEL_VERSION} {tail}\n")
        return 0
    fields = {"s": "Linux", "n": shell.process.hostname, "r": KERNEL_RELEASE, "v": KERNEL_VERSION,
              "m": shell.process.machine, "o": "GNU/Linux" if gnu else "Linux"}
    io.out(" ".join(fields[f] for f in "snrvmo" if f in flags) + "\n")
    return 0


def _date(shell: _Shell, args: list[str], io: _IO) -> int:
    now = shell.process.now
    io.out(f"{now:%a %b} {now.day:>2} {now:%H:%M:%S} UTC {now.year}\n")
    return 0


def _id(shell: _Shell, args: list[str], io: _IO) -> int:
    if shell.process.userland in ("alpine", "busybox"):
        groups = "0(root),1(bin),2(daemon),3(sys),4(adm),6(disk),10(wheel),11(floppy),20(dialout),26(tape),27(video)"
        if shell.process.userland == "busybox":
            groups = "0(root),10(wheel)"
        io.out(f"uid=0(root) gid=0(root) groups={groups}\n")
    else:
        io.out("uid=0(root) gid=0(root) groups=0(root)\n")
    return 0


def _which(shell: _Shell, args: list[str], io: _IO) -> int:
    status = 0
    for name in args:
        path = shell.process.resolve(name)
        if path is None:
            status = 1
        else:
            io.out(path + "\n")
    return status


#: ``sleep`` suffixes, as GNU and busybox accept them.
_SLEEP_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _sleep(shell: _Shell, args: list[str], io: _IO) -> int:
    if any(arg in ("infinity", "inf") for arg in args):
        raise _KeepsRunning
    if not args:
        io.err("sleep: missing operand\n")
        return 1
    total = 0.0
    for arg in args:
        number, unit = (arg[:-1], arg[-1]) if arg[-1:] in _SLEEP_UNITS else (arg, "s")
        try:
            total += float(number) * _SLEEP_UNITS[unit]
        except ValueError:
            io.err(f"sleep: invalid number '{arg}'\n")
            return 1
    shell.process.slept += min(total, 10 ** 9)
    return 0


def _tail(shell: _Shell, args: list[str], io: _IO) -> int:
    if "-f" in args or "-F" in args:
        raise _KeepsRunning
    return _head_or_tail(shell, args, io, last=True)


def _head(shell: _Shell, args: list[str], io: _IO) -> int:
    return _head_or_tail(shell, args, io, last=False)


def _head_or_tail(shell: _Shell, args: list[str], io: _IO, last: bool) -> int:
    count, names, i = 10, [], 0
    while i < len(args):
        if args[i] == "-n" and i + 1 < len(args):
            count, i = int(args[i + 1]), i + 2
            continue
        if re.fullmatch(r"-\d+", args[i]):
            count = int(args[i][1:])
        else:
            names.append(args[i])
        i += 1
    text = io.stdin or ""
    if names:
        content = shell.process.read(names[0])
        if content is None:
            io.err(f"{'tail' if last else 'head'}: {names[0]}: No such file or directory\n")
            return 1
        text = content.decode(errors="replace")
    lines = text.splitlines(keepends=True)
    io.out("".join(lines[-count:] if last else lines[:count]))
    return 0


def _grep(shell: _Shell, args: list[str], io: _IO) -> int:
    words = [a for a in args if not a.startswith("-")]
    if not words:
        return 2
    pattern, names = words[0], words[1:]
    text = io.stdin or ""
    if names:
        content = shell.process.read(names[0])
        text = content.decode(errors="replace") if content is not None else ""
    ignore = "-i" in args
    hits = [line for line in text.splitlines(keepends=True)
            if (pattern.lower() in line.lower() if ignore else pattern in line) != ("-v" in args)]
    io.out("".join(hits))
    return 0 if hits else 1


def _wc(shell: _Shell, args: list[str], io: _IO) -> int:
    text = io.stdin or ""
    names = [a for a in args if not a.startswith("-")]
    if names:
        content = shell.process.read(names[0])
        text = content.decode(errors="replace") if content is not None else ""
    lines, words, chars = text.count("\n"), len(text.split()), len(text.encode())
    if "-l" in args:
        io.out(f"{lines}\n")
    elif "-w" in args:
        io.out(f"{words}\n")
    elif "-c" in args:
        io.out(f"{chars}\n")
    else:
        io.out(f"{lines:>7} {words:>7} {chars:>7}\n" if shell.process.userland in ("debian", "ubuntu")
               else f"{lines:>9} {words:>9} {chars:>9}\n")
    return 0


def _sort(shell: _Shell, args: list[str], io: _IO) -> int:
    lines = sorted((io.stdin or "").splitlines(), reverse="-r" in args)
    io.out("".join(f"{line}\n" for line in lines))
    return 0


def _exit(shell: _Shell, args: list[str], io: _IO) -> int:
    code = int(args[0]) if args and args[0].lstrip("-").isdigit() else shell.status
    raise _Exit(code % 256)


def _exec(shell: _Shell, args: list[str], io: _IO) -> int:
    if not args:
        return 0
    raise _Exit(shell.run_command(args, 1, io))


def _read(shell: _Shell, args: list[str], io: _IO) -> int:
    if io.stdin is not None:
        line = io.stdin.split("\n", 1)[0]
        if args:
            shell.process.env[args[-1]] = line
        return 0
    if shell.process.interactive:
        raise _KeepsRunning
    return 1


def _test(shell: _Shell, args: list[str], io: _IO) -> int:
    """``test`` and ``[``: file tests, string tests and integer comparisons."""
    if args and args[-1] == "]":
        args = args[:-1]
    negate = bool(args) and args[0] == "!"
    if negate:
        args = args[1:]
    process = shell.process
    if not args:
        result = False
    elif len(args) == 1:
        result = args[0] != ""
    elif len(args) == 2:
        op, operand = args
        result = {
            "-f": lambda: process.read(operand) is not None,
            "-e": lambda: process.read(operand) is not None or process.is_dir(operand),
            "-d": lambda: process.is_dir(operand),
            "-x": lambda: process.resolve(operand if "/" in operand else "./" + operand) is not None,
            "-z": lambda: operand == "",
            "-n": lambda: operand != "",
        }.get(op, lambda: False)()
    else:
        left, op, right = args[0], args[1], args[2]
        numeric = {"-eq": int.__eq__, "-ne": int.__ne__, "-lt": int.__lt__, "-gt": int.__gt__,
                   "-le": int.__le__, "-ge": int.__ge__}
        if op in ("=", "=="):
            result = left == right
        elif op == "!=":
            result = left != right
        elif op in numeric:
            try:
                result = numeric[op](int(left), int(right))
            except ValueError:
                io.err(f"{shell.name}: {left if not left.lstrip('-').isdigit() else right}: bad number\n")
                return 2
        else:
            result = False
    return 0 if result != negate else 1


def _status(code: int) -> Callable[[_Shell, list[str], _IO], int]:
    return lambda shell, args, io: code


def _pwd(shell: _Shell, args: list[str], io: _IO) -> int:
    io.out(shell.process.cwd + "\n")
    return 0


def _hostname(shell: _Shell, args: list[str], io: _IO) -> int:
    io.out(shell.process.hostname + "\n")
    return 0


def _whoami(shell: _Shell, args: list[str], io: _IO) -> int:
    io.out("root\n")
    return 0


_BUILTINS: dict[str, Callable[[_Shell, list[str], _IO], int]] = {
    "echo": _echo, "printf": _printf, "cd": _cd, "pwd": _pwd, "export": _export, "exit": _exit, "exec": _exec,
    "read": _read, "true": _status(0), ":": _status(0), "false": _status(1), "test": _test, "[": _test,
}
#: Utilities that are programs on disk: they run only when the image has them (``resolve``).
_UTILITIES: dict[str, Callable[[_Shell, list[str], _IO], int]] = {
    "cat": _cat, "ls": _ls, "env": _env, "printenv": _printenv, "uname": _uname, "date": _date, "id": _id,
    "whoami": _whoami, "which": _which, "sleep": _sleep, "tail": _tail, "head": _head, "grep": _grep, "wc": _wc,
    "sort": _sort, "hostname": _hostname, "echo": _echo, "printf": _printf, "pwd": _pwd, "true": _status(0),
    "false": _status(1),
}


# --- programs -----------------------------------------------------------------------------------------


def _run_utility(name: str) -> Callable[[_Process, list[str], _IO], int]:
    """A coreutils/busybox program run directly (``docker run alpine ls /``) or from a shell."""

    def run(process: _Process, argv: list[str], io: _IO) -> int:
        flavour = process.shell_flavour("sh") or "ash"
        return _UTILITIES[name](_Shell(process, flavour, name, ()), argv[1:], io)

    return run


def _run_shell(process: _Process, argv: list[str], io: _IO) -> int:
    """``sh``, ``ash``, ``bash``: run ``-c`` text or a script file, wait at a prompt, or end at once."""
    invoked = argv[0].rsplit("/", 1)[-1]
    flavour = process.shell_flavour("bash" if invoked == "bash" else "sh") or "ash"
    args = argv[1:]
    script, interactive_flag = None, False
    while args and args[0].startswith("-") and args[0] != "-":
        option, args = args[0], args[1:]
        if option in ("--login", "--norc", "--noprofile"):
            continue
        if "c" in option:
            if not args:
                io.err(f"{argv[0]}: -c: option requires an argument\n" if flavour == "bash"
                       else f"{argv[0]}: -c requires an argument\n")
                return 2
            script, args = args[0], args[1:]
        interactive_flag = interactive_flag or "i" in option
    if script is not None:
        name = args[0] if args else argv[0]
        return _Shell(process, flavour, name, args[1:]).run_script(script, io)
    if args:
        content = process.read(args[0])
        if content is None:
            message = {"ash": f"{argv[0]}: can't open '{args[0]}': No such file or directory",
                       "dash": f"{argv[0]}: 0: cannot open {args[0]}: No such file",
                       "bash": f"{argv[0]}: {args[0]}: No such file or directory"}[flavour]
            io.err(message + "\n")
            return 127 if flavour == "bash" else 2
        return _Shell(process, flavour, args[0], args[1:]).run_script(content.decode(errors="replace"), io)
    if not process.interactive:
        return 0  # stdin is closed: the shell reads end-of-file and exits
    if process.tty:
        io.err(_prompt(process, flavour))
    raise _KeepsRunning


def _prompt(process: _Process, flavour: str) -> str:
    if flavour == "bash":
        return f"root@{process.hostname}:{process.cwd}# "
    if flavour == "dash":
        return "# "
    return f"{process.cwd} # "


def _hello(process: _Process, argv: list[str], io: _IO) -> int:
    io.out(HELLO_WORLD)
    return 0


def _entrypoint_exec(process: _Process, script: str, line: int, argv: list[str], io: _IO) -> int:
    """The ``exec "$@"`` that ends every official entrypoint script."""
    path = process.resolve(argv[0])
    if path is None:
        if process.shell_flavour("sh") == "dash":
            io.err(f"{script}: {line}: exec: {argv[0]}: not found\n")
        else:
            io.err(f"{script}: exec: line {line}: {argv[0]}: not found\n")
        return 127
    return process.run_program(path, argv, io)


def _nginx_entrypoint(process: _Process, argv: list[str], io: _IO) -> int:
    args = argv[1:]
    if not args:
        return 0
    if args[0] in ("nginx", "nginx-debug") and not process.env.get("NGINX_ENTRYPOINT_QUIET_LOGS"):
        me = "/docker-entrypoint.sh"
        conf = process.files.get("/etc/nginx/conf.d/default.conf")
        io.out(f"{me}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n")
        io.out(f"{me}: Looking for shell scripts in /docker-entrypoint.d/\n")
        io.out(f"{me}: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh\n")
        ipv6 = "10-listen-on-ipv6-by-default.sh: info:"
        if conf is not None and b"listen  [::]:80;" in conf:
            io.out(f"{ipv6} IPv6 listen already enabled\n")
        else:
            io.out(f"{ipv6} Getting the checksum of /etc/nginx/conf.d/default.conf\n")
            if conf is not None:
                io.out(f"{ipv6} /etc/nginx/conf.d/default.conf differs from the packaged version\n")
            else:
                io.out(f"{ipv6} Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf\n")
        io.out(f"{me}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh\n")
        io.out(f"{me}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh\n")
        for template in sorted(p for p in process.files if p.startswith("/etc/nginx/templates/")
                               and p.endswith(".template")):
            output = "/etc/nginx/conf.d/" + template[len("/etc/nginx/templates/"):-len(".template")]
            io.out(f"20-envsubst-on-templates.sh: Running envsubst on {template} to {output}\n")
        io.out(f"{me}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh\n")
        io.out(f"{me}: Configuration complete; ready for start up\n")
    return _entrypoint_exec(process, "/docker-entrypoint.sh", 47, args, io)


def _nginx(process: _Process, argv: list[str], io: _IO) -> int:
    version = process.env.get("NGINX_VERSION", "1.27.4")
    compiler = "gcc 14.2.0 (Alpine 14.2.0)" if process.userland == "alpine" else "gcc 12.2.0 (Debian 12.2.0-14)"
    args = argv[1:]
    if "-v" in args or "-V" in args:
        io.err(f"nginx version: nginx/{version}\n")
        if "-V" in args:
            io.err(f"built by {compiler} \n")
        return 0
    if "-t" in args:
        io.err("nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n"
               "nginx: configuration file /etc/nginx/nginx.conf test is successful\n")
        return 0
    stamp = f"{process.now:%Y/%m/%d %H:%M:%S} [notice] 1#1:"
    io.err(f'{stamp} using the "epoll" event method\n')
    io.err(f"{stamp} nginx/{version}\n")
    io.err(f"{stamp} built by {compiler} \n")
    io.err(f"{stamp} OS: Linux {KERNEL_RELEASE}\n")
    io.err(f"{stamp} getrlimit(RLIMIT_NOFILE): 1048576:1048576\n")
    directives = " ".join(args[i + 1] for i, a in enumerate(args[:-1]) if a == "-g")
    if not re.search(r"daemon\s+off\s*;", directives):
        return 0  # nginx forks into the background and PID 1 exits: the container stops at once
    io.err(f"{stamp} start worker processes\n")
    for pid in NGINX_WORKER_PIDS:
        io.err(f"{stamp} start worker process {pid}\n")
    raise _KeepsRunning


def _node_entrypoint(process: _Process, argv: list[str], io: _IO) -> int:
    args = argv[1:] or ["node"]
    first = args[0]
    content = process.read(first)
    plain_file = content is not None and not content.startswith(b"#!")  # `[ -f "$1" ] && ! [ -x "$1" ]`
    if first.startswith("-") or process.resolve(first) is None or plain_file:
        args = ["node", *args]
    return _entrypoint_exec(process, "/usr/local/bin/docker-entrypoint.sh", 11, args, io)


def _node(process: _Process, argv: list[str], io: _IO) -> int:
    version = process.env.get("NODE_VERSION", "20.19.0")
    args = argv[1:]
    if not args:
        return _repl(process, io, f'Welcome to Node.js v{version}.\nType ".help" for more information.\n> ')
    option = args[0]
    if option in ("-v", "--version"):
        io.out(f"v{version}\n")
        return 0
    if option in ("-e", "--eval", "-p", "--print") and len(args) > 1:
        code = args[1]
        if option in ("-p", "--print"):
            value = _evaluate(code, "js")
            io.out(f"{value if value is not None else 'undefined'}\n")
            return 0
        return _run_js_source(process, code, io, keep_running=False)
    if option.startswith("-"):
        return 0
    path = _normalize(_join(process.cwd, option))
    candidates = [path] if path.endswith((".js", ".mjs", ".cjs")) else [path, path + ".js"]
    found = next((c for c in candidates if c in process.files), None)
    if found is None:
        io.err(_node_missing_module(path, version))
        return 1
    source = process.files[found].decode(errors="replace")
    keep = bool(re.search(r"\.listen\(|setInterval\(|createServer\(", source))
    return _run_js_source(process, source, io, keep_running=keep)


def _node_missing_module(path: str, version: str) -> str:
    return (
        "node:internal/modules/cjs/loader:1228\n"
        "  throw err;\n"
        "  ^\n"
        "\n"
        f"Error: Cannot find module '{path}'\n"
        "    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)\n"
        "    at Module._load (node:internal/modules/cjs/loader:1051:27)\n"
        "    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:174:12)\n"
        "    at node:internal/main/run_main_module:28:49 {\n"
        "  code: 'MODULE_NOT_FOUND',\n"
        "  requireStack: []\n"
        "}\n"
        "\n"
        f"Node.js v{version}\n"
    )


def _run_js_source(process: _Process, source: str, io: _IO, keep_running: bool) -> int:
    for stream, value in _log_calls(source, r"console\.(log|error|warn|info)\(", "js"):
        io.write(stream, f"{value}\n")
    if keep_running:
        raise _KeepsRunning
    return 0


def _npm(process: _Process, argv: list[str], io: _IO) -> int:
    args = argv[1:]
    major = process.env.get("NODE_VERSION", "20").split(".")[0]
    if args[:1] in (["-v"], ["--version"]):
        io.out(_NPM_VERSIONS.get(major, "10.9.2") + "\n")
        return 0
    if args[:1] in (["start"], ["run"]):
        script_name = "start" if args[0] == "start" else (args[1] if len(args) > 1 else "")
        manifest = process.read("package.json")
        if manifest is None:
            where = _join(process.cwd, "package.json")
            io.err(f"npm error code ENOENT\nnpm error syscall open\nnpm error path {where}\n"
                   "npm error errno -2\nnpm error enoent Could not read package.json\n")
            return 254
        package = json.loads(manifest.decode() or "{}")
        command = (package.get("scripts") or {}).get(script_name)
        if command is None:
            io.err(f'npm error Missing script: "{script_name}"\n')
            return 1
        io.out(f"\n> {package.get('name', '')}@{package.get('version', '')} {script_name}\n> {command}\n\n")
        flavour = process.shell_flavour("sh") or "ash"
        return _Shell(process, flavour, "sh", ()).run_script(command, io)
    return 0


def _python(process: _Process, argv: list[str], io: _IO) -> int:
    version = process.env.get("PYTHON_VERSION", "3.13.3")
    compiler = "GCC 14.2.0" if process.userland == "alpine" else "GCC 12.2.0"
    args = argv[1:]
    unbuffered = bool(process.env.get("PYTHONUNBUFFERED")) or process.tty
    while args and args[0] in ("-u", "-B", "-O", "-I", "-E", "-s"):
        unbuffered = unbuffered or args[0] == "-u"
        args = args[1:]
    if not args:
        banner = (f"Python {version} (main, Apr  9 2025, 01:55:17) [{compiler}] on linux\n"
                  'Type "help", "copyright", "credits" or "license" for more information.\n>>> ')
        return _repl(process, io, banner)
    option = args[0]
    if option in ("-V", "--version"):
        io.out(f"Python {version}\n")
        return 0
    if option == "-c" and len(args) > 1:
        return _run_python_source(process, args[1], io, keep_running=False, unbuffered=True)
    if option == "-m" and len(args) > 1:
        if args[1] == "http.server":
            port = next((a for a in args[2:] if a.isdigit()), "8000")
            message = f"Serving HTTP on 0.0.0.0 port {port} (http://0.0.0.0:{port}/) ...\n"
            if unbuffered:
                io.out(message)
            raise _KeepsRunning
        return 0
    if option.startswith("-"):
        return 0
    path = option if option.startswith("/") else f"{process.cwd}/{option}"
    content = process.read(option)
    if content is None:
        io.err(f"{argv[0]}: can't open file '{path}': [Errno 2] No such file or directory\n")
        return 2
    source = content.decode(errors="replace")
    keep = bool(re.search(r"serve_forever\(|\.run\(|uvicorn|while True:|app\.listen|\.serve\(", source))
    return _run_python_source(process, source, io, keep_running=keep, unbuffered=unbuffered)


def _run_python_source(process: _Process, source: str, io: _IO, keep_running: bool, unbuffered: bool) -> int:
    for stream, value in _log_calls(source, r"(?<![\w.])print\(", "py"):
        if stream == "stderr" or unbuffered or not keep_running:
            io.write(stream, f"{value}\n")
    exit_call = re.search(r"(?:sys\.exit|exit|quit)\((\d+)\)", source)
    if keep_running:
        raise _KeepsRunning
    return int(exit_call.group(1)) if exit_call else 0


def _pip(process: _Process, argv: list[str], io: _IO) -> int:
    if argv[1:2] in (["--version"], ["-V"]):
        short = ".".join(process.env.get("PYTHON_VERSION", "3.13.3").split(".")[:2])
        io.out(f"pip 25.0.1 from /usr/local/lib/python{short}/site-packages/pip (python {short})\n")
    return 0


def _repl(process: _Process, io: _IO, banner: str) -> int:
    """An interpreter started without a script: it reads stdin, so it lives exactly as long as stdin is open."""
    if not process.interactive:
        return 0
    if process.tty:
        io.out(banner)
    raise _KeepsRunning


def _redis_entrypoint(process: _Process, argv: list[str], io: _IO) -> int:
    args = argv[1:] or ["redis-server"]
    if args[0].startswith("-") or args[0].endswith(".conf"):
        args = ["redis-server", *args]
    return _entrypoint_exec(process, "/usr/local/bin/docker-entrypoint.sh", 24, args, io)


def _redis_server(process: _Process, argv: list[str], io: _IO) -> int:
    version = process.env.get("REDIS_VERSION", "7.4.2")
    args = argv[1:]
    now = process.now
    stamp = f"{now.day:02d} {now:%b %Y %H:%M:%S}.000"
    config = args[0] if args and not args[0].startswith("-") else None  # redis-server [/path/to/redis.conf] [options]
    port = args[args.index("--port") + 1] if "--port" in args[:-1] else "6379"
    io.out(f"1:C {stamp} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n")
    io.out(f"1:C {stamp} * Redis version={version}, bits=64, commit=00000000, modified=0, pid=1, just started\n")
    if config is None:
        io.out(f"1:C {stamp} # Warning: no config file specified, using the default config. In order to specify a "
               "config file use redis-server /path/to/redis.conf\n")
    elif process.read(config) is None:
        io.err(f"\n*** FATAL CONFIG FILE ERROR (Redis {version}) ***\nReading the configuration file, at line 2\n"
               f">>> 'redis-server \"{config}\"'\nFatal error, can't open config file '{config}': "
               "No such file or directory\n")
        return 1
    else:
        io.out(f"1:C {stamp} * Configuration loaded\n")
    io.out(f"1:M {stamp} * monotonic clock: POSIX clock_gettime\n")
    io.out(f"1:M {stamp} * Running mode=standalone, port={port}.\n")
    io.out(f"1:M {stamp} * Server initialized\n")
    io.out(f"1:M {stamp} * Ready to accept connections tcp\n")
    raise _KeepsRunning


def _registry_entrypoint(process: _Process, argv: list[str], io: _IO) -> int:
    args = argv[1:]
    if args and args[0].endswith((".yaml", ".yml")):
        args = ["registry", "serve", *args]
    elif args and (args[0] in ("serve", "garbage-collect", "help") or args[0].startswith("-")):
        args = ["registry", *args]
    if not args:
        return 0
    return _entrypoint_exec(process, "/entrypoint.sh", 10, args, io)


def _registry(process: _Process, argv: list[str], io: _IO) -> int:
    args = argv[1:]
    if args[:1] != ["serve"]:
        return 0
    config = args[1] if len(args) > 1 else ""
    v3 = config.startswith("/etc/distribution/") or (not config and "/etc/distribution/config.yml" in process.files)
    instance = uuid.uuid5(uuid.NAMESPACE_DNS, f"{process.hostname}.registry")
    if v3:
        fields = f"environment=development go.version=go1.23.7 instance.id={instance} service=registry version=3.0.0"
    else:
        fields = f"go.version=go1.20.8 instance.id={instance} service=registry version=2.8.3"
    stamp = f'time="{process.now:%Y-%m-%dT%H:%M:%SZ}"'
    address = process.env.get("REGISTRY_HTTP_ADDR", ":5000")
    host, _, port = address.rpartition(":")
    listen = f"{host}:{port}" if host else f"[::]:{port}"
    if v3 and process.env.get("REGISTRY_LOG_LEVEL", "debug") == "debug":
        io.err(f'{stamp} level=debug msg="using \\"text\\" logging formatter"\n')
    if not process.env.get("REGISTRY_HTTP_SECRET"):
        io.err(f'{stamp} level=warning msg="No HTTP secret provided - generated random secret. This may cause '
               "problems with uploads if multiple registries are behind a load-balancer. To provide a shared "
               "secret, fill in http.secret in the configuration file or set the REGISTRY_HTTP_SECRET environment "
               f'variable." {fields}\n')
    io.err(f'{stamp} level=info msg="redis not configured" {fields}\n')
    if not v3:
        minutes = int(hashlib.sha256(str(instance).encode()).hexdigest(), 16) % 50 + 10
        io.err(f'{stamp} level=info msg="Starting upload purge in {minutes}m0s" {fields}\n')
    io.err(f'{stamp} level=info msg="using inmemory blob descriptor cache" {fields}\n')
    if v3:
        io.err(f'{stamp} level=info msg="providing prometheus metrics on /metrics"\n')
    io.err(f'{stamp} level=info msg="listening on {listen}" {fields}\n')
    raise _KeepsRunning


_PROGRAMS: dict[str, Callable[[_Process, list[str], _IO], int]] = {
    "sh": _run_shell, "ash": _run_shell, "bash": _run_shell, "dash": _run_shell, "hello": _hello,
    "nginx-entrypoint": _nginx_entrypoint, "nginx": _nginx, "node-entrypoint": _node_entrypoint, "node": _node,
    "npm": _npm, "python": _python, "pip": _pip, "pip3": _pip, "redis-entrypoint": _redis_entrypoint,
    "redis-server": _redis_server, "registry-entrypoint": _registry_entrypoint, "registry": _registry,
    **{name: _run_utility(name) for name in _UTILITIES},
}


# --- literal output of application sources --------------------------------------------------------------


def _log_calls(source: str, call: str, language: str) -> list[tuple[str, str]]:
    """The values printed by ``call(...)`` sites whose arguments are literals, in source order."""
    found = []
    for match in re.finditer(call, source):
        start = match.end()
        depth, i, quote = 1, start, ""
        while i < len(source) and depth:
            ch = source[i]
            if quote:
                if ch == "\\":
                    i += 1
                elif ch == quote:
                    quote = ""
            elif ch in "'\"`":
                quote = ch
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            i += 1
        inner = source[start:i - 1]
        stream = "stdout"
        if language == "js" and match.group(1) in ("error", "warn"):
            stream = "stderr"
        if language == "py" and re.search(r"file\s*=\s*sys\.stderr", inner):
            stream, inner = "stderr", re.sub(r",\s*file\s*=\s*sys\.stderr", "", inner)
        values = _evaluate_arguments(inner, language)
        if values is not None:
            found.append((stream, " ".join(values)))
    return found


def _evaluate_arguments(inner: str, language: str) -> list[str] | None:
    if language == "js":
        inner = re.sub(r"`([^`$]*)`", lambda m: repr(m.group(1)), inner)
    try:
        node = ast.parse(f"f({inner})", mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(node, ast.Call) or node.keywords and language == "js":
        return None
    values = [_literal(arg, language) for arg in node.args]
    if any(value is None for value in values):
        return None
    return values  # type: ignore[return-value]


def _evaluate(code: str, language: str) -> str | None:
    try:
        node = ast.parse(code.strip().rstrip(";"), mode="eval").body
    except SyntaxError:
        return None
    return _literal(node, language)


def _literal(node: ast.AST, language: str) -> str | None:
    """A constant expression's printed form (strings, numbers, arithmetic), or None for anything else."""
    try:
        value = _constant(node)
    except (ValueError, ZeroDivisionError, TypeError, OverflowError):
        return None
    if isinstance(value, bool):
        return ("true" if value else "false") if language == "js" else str(value)
    if isinstance(value, float) and language == "js" and value.is_integer():
        return str(int(value))
    return str(value)


def _constant(node: ast.AST) -> object:
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float, bool)):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_constant(node.operand)  # type: ignore[operator]
    if isinstance(node, ast.BinOp):
        left, right = _constant(node.left), _constant(node.right)
        _check_size(node.op, left, right)
        operators = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
                     ast.Div: lambda a, b: a / b, ast.Mod: lambda a, b: a % b, ast.FloorDiv: lambda a, b: a // b,
                     ast.Pow: lambda a, b: a ** b if abs(b) < 100 else _too_big()}
        for kind, apply in operators.items():
            if isinstance(node.op, kind):
                return _bounded(apply(left, right))
    raise ValueError("not a constant expression")


def _too_big() -> object:
    raise OverflowError


#: The largest constant the log-line evaluator builds: beyond it the line is not simulated (prints nothing).
MAX_CONSTANT_BITS = 4096
MAX_CONSTANT_TEXT = 64 * 1024


def _check_size(op: ast.operator, left: object, right: object) -> None:
    """Refuse an operation whose result would be huge, before computing it."""
    if isinstance(op, ast.Mult) and isinstance(left, (str, int)) and isinstance(right, (str, int)):
        text, times = (left, right) if isinstance(left, str) else (right, left)
        if isinstance(text, str) and isinstance(times, int) and len(text) * max(times, 0) > MAX_CONSTANT_TEXT:
            raise OverflowError
    if isinstance(op, ast.Pow) and isinstance(left, int) and isinstance(right, int) and right > 0:
        if abs(left).bit_length() * right > MAX_CONSTANT_BITS:
            raise OverflowError


def _bounded(value: object) -> object:
    if isinstance(value, int) and value.bit_length() > MAX_CONSTANT_BITS:
        raise OverflowError
    if isinstance(value, str) and len(value) > MAX_CONSTANT_TEXT:
        raise OverflowError
    return value


# --- paths ----------------------------------------------------------------------------------------------


def _join(cwd: str, path: str) -> str:
    return path if path.startswith("/") else f"{cwd.rstrip('/')}/{path}"


def _normalize(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
        else:
            parts.append(part)
    return "/" + "/".join(parts)
