"""What a container's main process does, so ``docker run`` and ``docker logs`` print what real containers print.

:func:`simulate` is a pure function of the process's argv (Entrypoint + Cmd as Docker composes them), its
environment, working directory and the image's files. It runs the program on the container's machine
(`sandbox.engine.rootfs`): a shell from `sandbox.shell`, a utility, or one of the official images' programs
(`sandbox.engine.programs`). It answers one :class:`ProcessOutcome`: the text written, in order and by stream, and
either an exit code or ``None`` for a process that keeps running (a server, ``sleep infinity``, a shell under
``-it``). A program missing from the image is no outcome of the process at all but the runtime's refusal to start
it: ``start_error`` carries the daemon's message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from sandbox.engine.programs.common import DEFAULT_PATH, join
from sandbox.engine.programs.hello import HELLO_WORLD
from sandbox.engine.rootfs import container_machine, shell_named
from sandbox.engine.users import ExecUser, exec_user
from sandbox.shell import Blocked, Budget, BudgetExhausted, Call, Shell, normalize, notice, prompt
from sandbox.shell.budget import MAX_WORD, NoSpace, OutOfMemory
from sandbox.shell.execute import IO, ExitShell
from sandbox.shell.streams import Terminal
from sandbox.shell.syntax import ShellSyntaxError, commands

__all__ = ["DEFAULT_NOW", "HELLO_WORLD", "MAX_OUTPUT", "MAX_WORD", "Attached", "ProcessOutcome", "run_step",
           "simulate"]

#: When the simulated processes believe they start, unless the caller passes the world's clock.
DEFAULT_NOW = datetime(2025, 4, 11, 12, 0, 0, tzinfo=timezone.utc)
#: What one container process may print before the sandbox stops recording: real containers stream without limit,
#: a notebook cell cannot hold that, and a grader must stay fast.
MAX_OUTPUT = 1024 * 1024
OUTPUT_CAP_NOTICE = f"\n[imageshare sandbox: output stopped after {MAX_OUTPUT // 1024} KiB]\n"

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
    #: The regular files the process added or changed, with their sizes: what it left in the container's writable
    #: layer (``docker ps -s`` counts them as archive.ChangesSize does).
    written: tuple[tuple[str, int], ...] = ()

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
    stdin: str | None = None,
    machine: str = "x86_64",
    user: ExecUser | None = None,
    make_cwd: bool = True,
    owned: frozenset[str] = frozenset(),
    native: bool = True,
) -> ProcessOutcome:
    """Run ``argv`` as a container's PID 1 and report what it printed and how it ended.

    ``env`` is the container's environment as Docker sets it (image Env, ``-e``, ``HOSTNAME``); ``files`` maps
    absolute paths to contents; ``image_hint`` is the image's repository (``library/nginx``); ``userland``
    overrides the guess of scratch/busybox/alpine/debian/ubuntu; ``now`` stamps server log lines; ``machine`` is
    what ``uname -m`` says (the image's architecture, as the kernel or its emulator reports it); ``user`` who the
    process runs as (root when None), resolved by the daemon from the container's files; ``make_cwd`` False for a
    ``docker exec -w`` into a directory nobody created (runc then cannot chdir and the process never starts);
    ``owned`` the directories a build made as that user (besides its home, the only ones it may write in);
    ``native`` False when the kernel cannot run the image's architecture (no emulator registered): the program is
    found, then its exec fails. With
    ``interactive`` (``-i``) the process reads ``stdin`` (piped text, read to its end), or, when nothing is piped,
    a terminal that stays open.

    Raises ValueError for an empty argv (the daemon refuses such a container before it exists).
    """
    outcome, _ = _run(argv, env=env, workdir=workdir, files=files, interactive=interactive, tty=tty,
                      image_hint=image_hint, userland=userland, now=now, stdin=stdin, arch=machine, user=user,
                      make_cwd=make_cwd, owned=owned, native=native)
    return outcome


def run_step(argv: Sequence[str], *, env: Mapping[str, str], workdir: str, files: Mapping[str, bytes],
             image_hint: str, now: datetime | None = None, user: ExecUser | None = None,
             owned: frozenset[str] = frozenset()) -> tuple[ProcessOutcome, dict[str, bytes], int]:
    """Run a Dockerfile ``RUN`` command in the build's filesystem, without stdin or a terminal, as BuildKit does:
    the outcome, the files it created or changed (what the step's layer holds), and the layer's size in bytes
    (the files, plus what package manager models declare their placeholders stand for).

    A process that would wait for ever (``sleep infinity``, a server) is stopped by the sandbox with exit code 124,
    where BuildKit would hang."""
    outcome, machine = _run(argv, env=env, workdir=workdir, files=files, interactive=False, tty=False,
                            image_hint=image_hint, userland=None, now=now, stdin=None, arch="x86_64", user=user,
                            owned=owned)
    if outcome.running:
        message = "imageshare sandbox: this RUN step would wait for ever; the sandbox stopped it\n"
        outcome = ProcessOutcome(output=outcome.output + (("stderr", message),), exit_code=124)
    before = _as_bytes(files)
    changed = {path: data for path, data in machine.files.items()
               if before.get(path) != data and path not in _INIT_LAYER}
    size = sum(len(data) + machine.installed_sizes.get(path, 0) for path, data in changed.items())
    return outcome, changed, size


def _run(argv, *, env, workdir, files, interactive, tty, image_hint, userland, now, stdin, arch, user,
         make_cwd=True, owned=frozenset(), native=True):
    if not argv:
        raise ValueError("no command specified")
    cwd = normalize(workdir or "/")
    files = _as_bytes(files)
    user = user or exec_user("", files)
    environment = dict(env)
    environment.setdefault("HOME", user.home)  # runc adds the user's HOME when neither the image nor -e set it
    machine = container_machine(
        env=environment, hint=image_hint or "", userland=userland, now=now or DEFAULT_NOW, tty=tty,
        stdin_open=interactive and stdin is None, cwd=cwd if make_cwd else "/", files=files, user=user,
        owned=owned,
    )
    if not machine.is_dir(cwd):
        return ProcessOutcome(exit_code=127, start_error=(
            f'chdir to cwd ("{cwd}") set in config.json failed: no such file or directory: unknown')), machine
    machine.arch = arch
    output: list[tuple[str, str]] = []
    printed = [0]

    def emit(stream: str, text: str) -> None:
        """Record output, up to `MAX_OUTPUT` characters in all; then one notice, then nothing."""
        if printed[0] >= MAX_OUTPUT:
            return
        room = MAX_OUTPUT - printed[0]
        if len(text) > room:
            output.append((stream, text[:room]))
            output.append(("stderr", OUTPUT_CAP_NOTICE))
            printed[0] = MAX_OUTPUT
            return
        output.append((stream, text))
        printed[0] += len(text)

    name = argv[0].rsplit("/", 1)[-1]
    pid1 = Shell(machine, machine.sh, emit, Budget(), name=name, variables=dict(environment),
                 exported=set(environment), cwd=cwd)
    io = IO(stdin if interactive else None, pid1.stdout, pid1.stderr)
    code: int | None
    try:
        path = _runc_exec(machine, list(argv), environment, cwd, native)
        code = pid1.run_program(path, Call(list(argv), io, pid1, environment))
    except _StartError as refused:
        return ProcessOutcome(exit_code=refused.exit_code, start_error=refused.message), machine
    except _ExecFailed as failed:
        emit("stderr", str(failed))
        code = 255
    except Blocked:
        code = None
    except ExitShell as ended:
        code = ended.code
    except BudgetExhausted as spent:
        emit("stderr", notice(spent.message))
        code = 124
    except OutOfMemory:
        emit("stderr", f"{name}: out of memory\n")
        code = 2
    except NoSpace:
        emit("stderr", f"{name}: write error: No space left on device\n")
        code = 1
    chunks = tuple(("stdout" if tty else stream, text) for stream, text in output if text)
    written = tuple(sorted((path, len(data)) for path, data in machine.files.items()
                           if files.get(path) != data and path not in _INIT_LAYER))
    return ProcessOutcome(output=chunks, exit_code=code, duration=machine.slept if code is not None else 0.0,
                          written=written), machine


#: Files dockerd puts in a container's init layer, below the writable layer a process writes in.
_INIT_LAYER = frozenset({"/.dockerenv", "/etc/hostname"})


def _as_bytes(files: Mapping[str, bytes | str]) -> dict[str, bytes]:
    return {path: content.encode() if isinstance(content, str) else bytes(content) for path, content in files.items()}


class _ExecFailed(Exception):
    """The container started but its init could not exec the file: it prints why and exits 255."""


class _StartError(Exception):
    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.message, self.exit_code = message, exit_code


def _runc_exec(machine, argv: list[str], env: Mapping[str, str], cwd: str, native: bool = True) -> str:
    """What runc does with PID 1: find the executable (a path, or a search of the image's PATH), or refuse to start
    the container (`_StartError`); a file the kernel cannot run (not ``native``: another architecture; a text file
    with no ``#!``) fails after the start (`_ExecFailed`: runc's init prints the error and exits 255)."""
    name = argv[0]
    if "/" in name:
        path = join(cwd, name)
        found = path if path in machine.programs or path in machine.files else None
    else:
        found = machine.find(name, env.get("PATH") or DEFAULT_PATH)
    if found is None:
        if "/" in name:
            raise _StartError(f'{_OCI_START}exec: "{name}": stat {name}: no such file or directory: unknown', 127)
        raise _StartError(f'{_OCI_START}exec: "{name}": executable file not found in $PATH: unknown', 127)
    if not native:  # execve(2) answers ENOEXEC: an ELF (or a script's interpreter) of another architecture
        raise _ExecFailed(f"exec {found}: exec format error\n")
    if found in machine.programs:
        return found
    first = machine.files[found].split(b"\n", 1)[0].decode(errors="replace")
    interpreter = first[2:].strip().split()[:1]
    if not first.startswith("#!"):
        raise _ExecFailed(f"exec {found}: exec format error\n")
    if not interpreter or normalize(interpreter[0]) not in machine.programs:
        raise _ExecFailed(f"exec {found}: no such file or directory\n")
    return found


class Attached:
    """A shell attached to a container's terminal (``docker run -it IMAGE sh``, ``docker exec -it NAME sh``): each
    line typed runs in it, in the container's filesystem, with its working directory and variables kept, until
    ``exit`` or end of input (Ctrl-D). ``exit_code`` is None while it is open."""

    def __init__(self, argv: Sequence[str], *, env: Mapping[str, str], workdir: str, files: Mapping[str, bytes],
                 image_hint: str, now: datetime | None = None, user: ExecUser | None = None,
                 owned: frozenset[str] = frozenset(), machine: str = "x86_64") -> None:
        cwd = normalize(workdir or "/")
        files = _as_bytes(files)
        user = user or exec_user("", files)
        environment = dict(env)
        environment.setdefault("HOME", user.home)
        self.machine = container_machine(env=environment, hint=image_hint or "", userland=None,
                                         now=now or DEFAULT_NOW, tty=True, stdin_open=True, cwd=cwd,
                                         files=files, user=user, owned=owned)
        self.machine.arch = machine
        flavour = shell_named(self.machine, argv[0], environment)
        if flavour is None:
            raise ValueError(f"{argv[0]} is not a shell of this image")
        self.output: list[tuple[str, str]] = []
        self.shell = Shell(self.machine, flavour, lambda stream, text: self.output.append(("stdout", text)),
                           name=argv[0].rsplit("/", 1)[-1], variables=environment, exported=set(environment),
                           cwd=cwd, interactive=True)
        self.exit_code: int | None = None

    @property
    def prompt(self) -> str:
        """What the shell prints before reading a line: ``/ # `` for BusyBox ash, ``root@<id>:/# `` for bash."""
        name = self.machine.identity.split("(", 1)[1].split(")", 1)[0] if "(" in self.machine.identity.split()[0] \
            else "I have no name!"
        return prompt(self.shell.flavour, self.machine.hostname, self.shell.cwd, self.shell.get("HOME"), name,
                      self.machine.uid)

    def run(self, line: str) -> str:
        """Run one typed line; returns what the terminal shows (a terminal merges both streams)."""
        self.output = []
        shell = self.shell
        shell.budget = Budget()
        shell.stdout = Terminal(lambda text: self.output.append(("stdout", text)), shell.budget)
        shell.stderr = Terminal(lambda text: self.output.append(("stdout", text)), shell.budget)
        shell.history.append(line)
        try:
            self._run(line)
        except Blocked:
            self.output.append(("stdout", "imageshare sandbox: this command waits for ever (a terminal would sit "
                                          "here until Ctrl-C); the sandbox stopped it\n"))
            shell.status = 130
        except BudgetExhausted as spent:
            self.output.append(("stdout", notice(spent.message)))
            shell.status = 124
        return "".join(text for _, text in self.output)

    def _run(self, line: str) -> None:
        shell = self.shell
        io = IO(None, shell.stdout, shell.stderr)
        try:
            for command in commands(line):
                shell.execute(command, io)
        except ExitShell as ended:
            self.close(ended.code)
        except ShellSyntaxError as error:
            shell.syntax_error(error, line)
            shell.status = 2
        except OutOfMemory:
            shell.stderr.write(shell.flavour.say("out_of_memory", shell.name, shell.line, True))
            shell.status = 2

    def close(self, code: int | None = None) -> str:
        """End the shell (``exit N``, or Ctrl-D with the last status); what it prints as it leaves (bash: ``exit``)."""
        if self.exit_code is not None:
            return ""
        self.exit_code = self.shell.status if code is None else code
        farewell = "exit\n" if self.shell.flavour.name == "bash" else ""
        self.output.append(("stdout", farewell))
        return farewell


