"""``docker run``, ``create``, ``start``, ``stop``, ``restart``, ``rm``, ``ps``, ``logs``: containers on a host.

``docker run`` is the client's composition, as in docker/cli: create the container; if the daemon has no such image,
say ``Unable to find image ... locally`` on stderr, pull it (progress on stderr, so the container's own output keeps
stdout), create again, then start and attach. A long-running process (a server) is left running, as if the learner
had opened a second terminal; a process that ends makes ``run`` exit with its exit code.
"""

from __future__ import annotations

import re

from sandbox.cli.docker import Invocation
from sandbox.cli.golang import go_quote
from sandbox.cli.commands.distribution import daemon_platform, pull_into
from sandbox.cli.output import Output
from sandbox.cli.platform import InvalidPlatform, parse_platform
from sandbox.cli.render import ellipsis, human_size, since, table
from sandbox.cli.template import TemplateError, render
from sandbox.cli import formatter
from sandbox.cli.commands.images import check_format
from sandbox.cli.opts import client_filters
from sandbox.cli.simulated_flags import refuse_unsimulated
from sandbox.engine.filters import Filters
from sandbox.engine.containers import EXITED, MAX_LOGS, RUNNING, Container, PortBinding
from sandbox.errors import (DaemonError, InvalidReference, NoSuchImage, NotFound, NotSimulated, SandboxError,
                            UsageError)
from sandbox.oci import familiar_string, parse_normalized_named, with_default_tag

RUN_FAILED = 125


class RunError(SandboxError):
    """An error of ``docker run`` or ``docker create``, worded by where the client meets it.

    Options are checked first (docker/cli ``runRun``/``runCreate``: the pull policy, then ``parse``): both commands
    print ``docker: ...`` and the help hint and exit 125. Later, while creating, ``run`` still does, but ``create``
    returns the bare error, exit 1.
    """

    def __init__(self, message: str, command: str, exit_code: int = RUN_FAILED, *, options: bool = False) -> None:
        if command == "run" or options:
            super().__init__(f"docker: {message}\n\nRun 'docker {command} --help' for more information")
            self.exit_code = exit_code
        else:
            super().__init__(message)
            self.exit_code = 1


#: Where dockerd starts handing out host ports for ``-p CONTAINER`` (the kernel's ephemeral range).
EPHEMERAL_PORT = 32768
#: Namespace modes the client checks before it talks to the daemon (moby's ``PidMode.Valid``, ``UTSMode.Valid``...);
#: ``--ipc`` is left to the daemon.
_NAMESPACE_MODES = {
    "pid": ("PID", lambda mode: mode in ("", "host") or (mode.startswith("container:") and mode != "container:")),
    "uts": ("UTS", lambda mode: mode in ("", "host")),
    "userns": ("USER", lambda mode: mode in ("", "host")),
    "cgroupns": ("CGROUP", lambda mode: mode in ("", "host", "private")),
}


def _port_range(text: str) -> tuple[int, int]:
    """nat.ParsePortRange: ``80`` or ``8000-8010``, each a 16-bit number."""
    low, dash, high = text.partition("-")
    if not (low.isdigit() and int(low) < 65536) or dash and not (high.isdigit() and int(high) < 65536):
        raise ValueError(text)
    start, end = int(low), int(high) if dash else int(low)
    if end < start:
        raise ValueError(text)
    return start, end


def _check_expose(spec: str) -> None:
    """``--expose PORT[-PORT][/PROTO]`` as docker/cli's parse checks it; raises ValueError in its words."""
    if ":" in spec:
        raise ValueError(f"invalid port format for --expose: {spec}")
    parts = spec.split("/")
    port = "" if not spec or not parts[0] else parts[0]  # nat.SplitProtoPort
    if not port:
        raise ValueError(f"invalid range format for --expose: {spec}, error: empty string specified for ports")
    bounds = port.split("-")[:2]
    for bound in bounds:
        problem = _go_parse_uint16(bound)
        if problem:
            raise ValueError(f"invalid range format for --expose: {spec}, error: {problem}")
    if len(bounds) == 2 and int(bounds[1]) < int(bounds[0]):
        raise ValueError(f"invalid range format for --expose: {spec}, error: invalid range specified for port: {port}")


def _go_parse_uint16(text: str) -> str:
    """strconv.ParseUint(text, 10, 16)'s error text, or '' when it accepts ``text``."""
    if not text or not text.isascii() or not text.isdigit():
        return f'strconv.ParseUint: parsing {go_quote(text)}: invalid syntax'
    return f'strconv.ParseUint: parsing {go_quote(text)}: value out of range' if int(text) > 0xFFFF else ""


#: The most ports one -p range may publish in the sandbox.
MAX_PORT_RANGE = 100


def _standard_notation(spec: str) -> str:
    """docker/cli's convertToStandardNotation: a ``-p`` with any ``=`` is the long form
    (``published=8080,target=80[,protocol=udp]``), rewritten as ``PUBLISHED:TARGET/PROTOCOL`` for `_parse_publish`
    (so ``5000:50=00`` becomes ``:/tcp``). Raises ValueError for a field that is not ``name=value``."""
    if "=" not in spec:
        return spec
    params = {"protocol": "tcp"}
    for param in spec.split(","):
        key, equals, value = param.partition("=")
        if not equals or not key:
            raise ValueError(f"invalid publish opts format (should be name=value but got '{param}')")
        params[key] = value
    return f"{params.get('published', '')}:{params.get('target', '')}/{params['protocol']}"


def _parse_publish(spec: str, taken: set[int]) -> list[PortBinding]:
    """``-p [IP:][HOST:]CONTAINER[/PROTO]`` as nat.ParsePortSpec reads it, in its order of checks.

    Raises ValueError with the client's words.
    """
    parts = spec.split(":")
    container = parts[-1]
    if len(parts) == 1:
        host_ip, host = "", ""
    elif len(parts) == 2:
        host_ip, host = "", parts[0]
    else:
        host_ip, host = ":".join(parts[:-2]), parts[-2]
    pieces = container.split("/")
    if not container or not pieces[0]:
        protocol, container = "", ""
    elif len(pieces) == 1 or not pieces[1]:
        protocol, container = "tcp", pieces[0]
    else:
        protocol, container = pieces[1], pieces[0]
    if host_ip.startswith("["):
        host_ip = host_ip[1:-1]
    if host_ip and not _is_ip(host_ip):
        raise ValueError(f"invalid IP address: {host_ip}")
    if not container:
        raise ValueError(f"no port specified: {spec}<empty>")
    try:
        first, last = _port_range(container)
    except ValueError:
        raise ValueError(f"invalid containerPort: {container}") from None
    host_first = host_last = 0
    if host:
        try:
            host_first, host_last = _port_range(host)
        except ValueError:
            raise ValueError(f"invalid hostPort: {host}") from None
        if host_last - host_first != last - first and host_first != host_last:
            raise ValueError(f"invalid ranges specified for container and host Ports: {container} and {host}")
    if protocol.lower() not in ("tcp", "udp", "sctp"):
        raise ValueError(f"invalid proto: {protocol}")
    if last - first >= MAX_PORT_RANGE:
        raise ValueError(f"the sandbox publishes at most {MAX_PORT_RANGE} ports per -p, not {last - first + 1}")
    bindings = []
    for offset in range(last - first + 1):
        if host_first:
            host_port = host_first + offset if host_first != host_last else host_first
        else:  # no host port: dockerd picks the next free one from the ephemeral range
            host_port = EPHEMERAL_PORT
            while host_port in taken:
                host_port += 1
        taken.add(host_port)
        bindings.append(PortBinding(host_ip, host_port, first + offset, protocol.lower()))
    return bindings


def _is_ip(text: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _env_file(machine, name: str, command: str) -> list[str]:
    """``--env-file FILE`` as docker/cli's kvfile.Parse reads it from the host's files; raises `RunError` in its words.

    Leading whitespace is dropped and trailing kept; blank lines and ``#`` comments are skipped; a bare ``KEY`` takes
    the client's own environment variable, or is left out when the client has none.
    """
    from sandbox.cli.host import resolve_path

    data = machine.files.get(resolve_path(machine, name))
    if data is None:
        long = any(len(part.encode("utf-8", "surrogateescape")) > 255 for part in name.split("/"))
        reason = "file name too long" if long else "no such file or directory"  # NAME_MAX, as open(2) says
        raise RunError(f"open {name}: {reason}", command, options=True)
    entries = []
    for number, raw in enumerate(_scan_lines(data), 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _env_file_error(name, f"invalid utf8 bytes at line {number}: [{' '.join(map(str, raw))}]",
                                  command) from None
        if number == 1:
            line = line.removeprefix("\ufeff")
        line = line.lstrip(_GO_SPACE)
        if not line or line.startswith("#"):
            continue
        key, has_value, _ = line.partition("=")
        if not key:
            raise _env_file_error(name, f"no variable name on line '{line}'", command)
        if " " in key or "\t" in key:
            raise _env_file_error(name, f"variable '{key}' contains whitespaces", command)
        if has_value:
            entries.append(line)
        elif line in _client_environment(machine):
            entries.append(f"{key}={_client_environment(machine)[line]}")
    return entries


#: What Go's unicode.IsSpace strips from the left of a line (Latin-1 spaces and Unicode's White_Space).
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def _scan_lines(data: bytes) -> list[bytes]:
    """bufio.ScanLines: split at \\n, drop one \\r before it, no empty last line."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


def _env_file_error(name: str, problem: str, command: str) -> RunError:
    return RunError(f"invalid env file ({name}): {problem}", command, options=True)


def _client_environment(machine) -> dict[str, str]:
    """The variables a login shell exports to the docker client it starts."""
    return {"HOME": machine.home, "USER": "learner", "LOGNAME": "learner", "PWD": machine.cwd, "SHELL": "/bin/bash",
            "PATH": "/usr/local/bin:/usr/bin:/bin"}


def _ports_in_use(machine) -> set[int]:
    return {b.host_port for c in machine.engine.containers if c.status == RUNNING for b in c.ports}


def _create(machine, inv: Invocation, out: Output, *, detached: bool) -> Container:
    command = "run" if inv.command.endswith("run") else "create"
    image_name = inv.args[0]
    pull_policy = inv.options.get("pull") or "missing"
    if pull_policy not in ("always", "missing", "never"):
        raise RunError(f'invalid pull option: \'{pull_policy}\': must be one of "always", "missing" or "never"',
                       command, options=True)
    # docker/cli's parse(), in its order: ports, exposed ports, env files, namespace modes.
    taken = _ports_in_use(machine)
    try:
        specs = [_standard_notation(spec) for spec in inv.options.get("publish") or ()]  # all, before any parse
        ports = tuple(binding for spec in specs for binding in _parse_publish(spec, taken))
        for spec in inv.options.get("expose") or ():
            _check_expose(spec)
    except ValueError as error:
        raise RunError(str(error), command, options=True) from None
    env_files = [entry for name in inv.options.get("env-file") or () for entry in _env_file(machine, name, command)]
    for option, (label, valid) in _NAMESPACE_MODES.items():
        if not valid(str(inv.options.get(option) or "")):
            raise RunError(f"--{option}: invalid {label} mode", command, options=True)
    if inv.options.get("rm") and str(inv.options.get("restart") or "no").split(":")[0] not in ("", "no"):
        # a container removed when it stops cannot also be restarted when it stops
        raise RunError("conflicting options: cannot specify both --restart and --rm", command, options=True)
    refuse_unsimulated(inv)  # after the client's own checks, before it would talk to the daemon
    # createContainer: the image reference, then the platform.
    try:
        ref = parse_normalized_named(image_name)
    except InvalidReference as error:
        raise RunError(str(error), command) from None
    if ref.tag is None and ref.digest is None:
        ref = with_default_tag(ref)
    if inv.options.get("platform"):
        try:
            parse_platform(inv.options["platform"])  # the client's check; the daemon picks the image by it
        except InvalidPlatform as error:
            raise RunError(f"error parsing specified platform: {error}", command) from None
    entrypoint = inv.options.get("entrypoint")
    settings = dict(
        name=inv.options.get("name") or None,
        command=tuple(inv.args[1:]) if len(inv.args) > 1 else None,
        entrypoint=(tuple(entrypoint.split()) if entrypoint else None),
        env=tuple(env_files) + tuple(inv.options.get("env") or ()),
        ports=ports,
        auto_remove=bool(inv.options.get("rm")),
        interactive=bool(inv.options.get("interactive")),
        tty=bool(inv.options.get("tty")),
        detached=detached,
        workdir=inv.options.get("workdir") or None,
        user=inv.options.get("user") or None,
        ipc_mode=str(inv.options.get("ipc") or ""),
    )
    engine = machine.engine
    try:
        platform = daemon_platform(inv.options.get("platform"))
        if pull_policy == "always":
            _pull(machine, ref, out, command, platform)
        try:
            container = engine.container_create(image_name, **settings)
        except NoSuchImage:
            if pull_policy == "never":
                raise
            out.err(f"Unable to find image '{familiar_string(ref)}' locally\n")
            _pull(machine, ref, out, command, platform)
            container = engine.container_create(image_name, **settings)
        for warning in engine.create_warnings(container.image_id, bool(inv.options.get("platform"))):
            out.err(f"WARNING: {warning}\n")  # docker/cli createContainer prints the daemon's warnings
        return container
    except RunError:
        raise
    except DaemonError as error:
        raise RunError("Error response from daemon: " + error.message, command) from None


def _pull(machine, ref, out: Output, command: str, platform: str | None = None) -> None:
    staged = Output()
    try:
        pull_into(machine, ref, staged, platform=platform)
    except DaemonError as error:
        out.err(staged.stdout)
        raise RunError("Error response from daemon: " + error.message, command) from None
    out.err(staged.stdout)
    out.progress.extend(staged.progress)


#: The client's refusal of ``-it`` when its stdin is no terminal (docker/cli ``In().CheckTty``).
NOT_A_TTY = "the input device is not a TTY\n"
#: The one plain line after it: where a terminal exists in this sandbox.
NEEDS_A_TERMINAL = ("imageshare sandbox: there is no terminal here; type this line in the terminal widget "
                    "(sandbox.jupyter.Terminal) or in `imageshare shell` to get the container's prompt\n")


def _no_tty(out: Output) -> int:
    """The client's refusal, and where a front end has no keyboard, the one line that says where one is."""
    out.err(NOT_A_TTY + ("" if out.keyboard else NEEDS_A_TERMINAL))
    return 1


def _wants_terminal(inv: Invocation) -> bool:
    """``-i`` and ``-t`` together, attached (not ``-d``): the client needs its stdin to be a terminal."""
    return bool(inv.options.get("interactive") and inv.options.get("tty") and not inv.options.get("detach"))


def run(machine, inv: Invocation, out: Output) -> int:
    """``docker run [OPTIONS] IMAGE [COMMAND] [ARG...]``."""
    detached = bool(inv.options.get("detach"))
    if _wants_terminal(inv) and not out.terminal:
        return _no_tty(out)
    try:
        container = _create(machine, inv, out, detached=detached)
        outcome = machine.engine.container_start(container.id, stdin=None if detached else out.stdin)
    except RunError as error:
        out.err(error.message + "\n")
        return error.exit_code
    except DaemonError as error:
        code = getattr(error, "exit_code", RUN_FAILED)
        out.err(f"docker: Error response from daemon: {error.message}\n\nRun 'docker run --help' for more information\n")
        return code if code != 1 else RUN_FAILED
    if detached:
        out.print(container.id + "\n")
        return 0
    output = outcome.output
    if outcome.container.status == RUNNING and _wants_terminal(inv):
        attached = machine.engine.container_attach(outcome.container.id)
        if attached is not None:  # the shell's prompt: the front end shows it where the learner types
            output = output[:-len(attached.prompt)] if output.endswith(attached.prompt) else output
            out.attach = (outcome.container.id, None, attached)
    out.print(output)
    out.err(outcome.error_output)
    if outcome.container.status == RUNNING:
        return 0
    return outcome.container.exit_code


def create(machine, inv: Invocation, out: Output) -> int:
    """``docker create [OPTIONS] IMAGE [COMMAND] [ARG...]``: prints the new container's ID."""
    try:
        container = _create(machine, inv, out, detached=True)
    except RunError as error:
        out.err(error.message + "\n")
        return error.exit_code
    out.print(container.id + "\n")
    return 0


def _names(inv: Invocation, count: int | None = None) -> list[str]:
    """The container arguments; the client refuses an empty (or blank) one before asking the daemon."""
    names = list(inv.args if count is None else inv.args[:count])
    if any(not name.strip() for name in names):
        raise UsageError("invalid container name or ID: value is empty")
    return names


def _each(machine, inv: Invocation, out: Output, action, failure_summary: str | None = None, *,
          name_of=lambda name: name, forgive_missing: bool = False) -> int:
    """Apply ``action`` to every named container, echoing each name that worked, as docker/cli does.

    ``start`` (with a ``failure_summary``) prints each error as it happens, then a summary line; ``stop``, ``kill``,
    ``restart`` and ``rm`` print their errors together at the end. ``name_of`` is the client's own check of a
    name (it returns the name to send, or raises `UsageError`); ``forgive_missing`` (``rm -f``) prints a missing
    container's error at once and does not count it.
    """
    failed, errors = [], []
    for name in inv.args:
        try:
            sent = name_of(name)
            if not sent.strip():
                raise UsageError("invalid container name or ID: value is empty")  # the API client's trimID
            action(sent)
        except UsageError as error:
            text = error.message
        except DaemonError as error:
            text = f"Error response from daemon: {error.message}"
            if forgive_missing and isinstance(error, NotFound):
                out.err(text + "\n")
                continue
        else:
            out.print(name + "\n")
            continue
        failed.append(name)
        if failure_summary:
            out.err(text + "\n")
        else:
            errors.append(text)
    if errors:
        out.err("".join(text + "\n" for text in errors))
    if failed and failure_summary:
        out.err(f"Error: {failure_summary}: {', '.join(failed)}\n")
    return 1 if failed else 0


def _rm_name(name: str) -> str:
    """docker/cli's rm: slashes trimmed, and nothing left is its own error."""
    if not name.strip("/"):
        raise UsageError("container name cannot be empty")
    return name.strip("/")


def start(machine, inv: Invocation, out: Output) -> int:
    """``docker start CONTAINER...``."""
    attached = bool(inv.options.get("attach"))
    if (attached or inv.options.get("interactive")) and len(inv.args) > 1:  # the client checks before any request
        raise UsageError("you cannot start and attach multiple containers at once")
    if attached and len(inv.args) == 1:
        try:
            outcome = machine.engine.container_start(inv.args[0])
        except DaemonError as error:
            out.err(f"Error response from daemon: {error.message}\n")
            return 1
        out.print(outcome.output)
        return 0 if outcome.container.status == RUNNING else outcome.container.exit_code
    return _each(machine, inv, out, machine.engine.container_start, "failed to start containers")


def stop(machine, inv: Invocation, out: Output) -> int:
    """``docker stop CONTAINER...``: a stopped container is not an error."""
    timeout = inv.options.get("time") or inv.options.get("timeout")
    return _each(machine, inv, out, lambda name: machine.engine.container_stop(name, _int(timeout)))


def restart(machine, inv: Invocation, out: Output) -> int:
    """``docker restart CONTAINER...``."""
    def again(name: str) -> None:
        machine.engine.container_stop(name)
        machine.engine.container_start(name)

    return _each(machine, inv, out, again)


def kill(machine, inv: Invocation, out: Output) -> int:
    """``docker kill CONTAINER...``."""
    return _each(machine, inv, out, machine.engine.container_kill)


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def rm(machine, inv: Invocation, out: Output) -> int:
    """``docker rm [-f] CONTAINER...``."""
    force = bool(inv.options.get("force"))
    return _each(machine, inv, out, lambda name: machine.engine.container_remove(name, force=force),
                 name_of=_rm_name, forgive_missing=force)  # `rm -f` of a missing container is reported, exit 0


#: ``docker logs -f`` of a running container: Docker would wait for its next line until Ctrl-C.
FOLLOW_STOPPED = ("imageshare sandbox: docker logs -f would keep following this running container until Ctrl-C; "
                  "the sandbox printed its log so far and stopped following\n")


def logs(machine, inv: Invocation, out: Output) -> int:
    """``docker logs [--tail N] [-f] CONTAINER``. With ``-f`` the daemon follows only a running container (moby
    ``daemon/logs.go``: a stopped one has no live logger), which the sandbox cannot wait on: it prints the log so
    far, then one plain line, and ends as Ctrl-C would (130)."""
    _names(inv)
    text = machine.engine.container_logs(inv.args[0])
    tail = inv.options.get("tail")
    if tail not in (None, "", "all"):
        lines = text.splitlines(keepends=True)
        count = _int(tail) or 0
        text = "".join(lines[-count:]) if count else ""
    dropped = machine.engine.container_logs_dropped(inv.args[0])
    if dropped:
        out.err(f"[imageshare sandbox: the oldest {dropped} characters of this log were dropped; the sandbox keeps "
                f"the newest {MAX_LOGS // 1024} KiB]\n")
    out.print(text)
    if inv.options.get("follow") and machine.engine.container(inv.args[0]).status == RUNNING:
        out.err(FOLLOW_STOPPED)
        return 130
    return 0


def _ports(container: Container) -> str:
    if container.status != RUNNING:
        return ""
    shown = []
    for b in container.ports:
        if b.host_ip:
            shown.append(f"{b.host_ip}:{b.host_port}->{b.container_port}/{b.protocol}")
        else:
            shown.append(f"0.0.0.0:{b.host_port}->{b.container_port}/{b.protocol}")
            shown.append(f"[::]:{b.host_port}->{b.container_port}/{b.protocol}")
    published = {f"{b.container_port}/{b.protocol}" for b in container.ports}
    shown.extend(port for port in container.exposed if port not in published)
    return ", ".join(shown)


def _status(container: Container, now) -> str:
    if container.status == RUNNING:
        return "Up " + since(container.started_at, now)
    if container.status == EXITED:
        return f"Exited ({container.exit_code}) {since(container.finished_at, now)} ago"
    return "Created"


#: The fields of a container row (docker's ContainerContext) and their column headers.
CONTAINER_HEADERS = {
    "ID": "CONTAINER ID", "Image": "IMAGE", "Command": "COMMAND", "CreatedAt": "CREATED AT", "RunningFor": "CREATED",
    "Status": "STATUS", "State": "STATE", "Ports": "PORTS", "Names": "NAMES", "Labels": "LABELS", "Mounts": "MOUNTS",
    "Networks": "NETWORKS", "Size": "SIZE", "LocalVolumes": "LOCAL VOLUMES",
}


def _go_quote(text: str) -> str:
    """strconv.Quote for the printable text docker shows: double quotes, with ``"`` and ``\\`` escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _image_column(engine, container: Container) -> str:
    """The image as the user named it, or its short ID once that name points elsewhere (as dockerd reports it)."""
    try:
        if engine.find_image(container.image)[0] == container.image_id:
            return container.image.split("@")[0] if "@" in container.image else container.image
    except (DaemonError, InvalidReference):
        pass
    return container.image_id.removeprefix("sha256:")[:12]


def container_rows(machine, inv: Invocation, size: bool = False) -> list[dict]:
    """``docker ps`` rows as template data; with ``size`` the daemon measured each container (``SIZE``)."""
    engine = machine.engine
    now = engine.services.clock.now
    no_trunc = bool(inv.options.get("no-trunc"))
    rows = []
    filters = Filters(client_filters(inv.options.get("filter") or ()))
    limit = 1 if inv.options.get("latest") else int(inv.options.get("last") or -1)
    for c in engine.container_list(filters, all_containers=bool(inv.options.get("all")), limit=limit):
        # dockerd quotes arguments with spaces in '...'; the client cuts to 20 columns, then Go-quotes the result
        command = " ".join(f"'{word}'" if " " in word else word for word in (c.path, *c.args))
        rows.append(
            {
                "ID": c.id if no_trunc else c.id[:12],
                "Image": _image_column(engine, c),
                "Command": _go_quote(command if no_trunc else ellipsis(command, 20)),
                "CreatedAt": c.created.replace("T", " ").replace("Z", " +0000 UTC"),
                "RunningFor": since(c.created, now) + " ago",
                "Status": _status(c, now),
                "State": c.status,
                "Ports": _ports(c),
                "Names": c.name,
                "Labels": "",
                "Mounts": "",
                "Networks": "bridge",
                "Size": _size(*engine.container_size(c)) if size else "0B",
                "LocalVolumes": "0",  # no container here mounts a volume
            }
        )
    return rows


def _size(size_rw: int, size_root_fs: int) -> str:
    """docker/cli's ContainerContext.Size: the writable layer, and with the image under it ``(virtual ...)``."""
    written = human_size(size_rw)
    return f"{written} (virtual {human_size(size_root_fs)})" if size_root_fs > 0 else written


class _FieldsUsed(dict):
    """An empty row that notes which fields a template reads (docker's ContainerContext.FieldsUsed)."""

    def __init__(self, fields) -> None:
        super().__init__({key: "" for key in fields})
        self.used: set[str] = set()

    def __getitem__(self, key):
        self.used.add(key)
        return super().__getitem__(key)


#: ``{{json .}}`` marshals every field of the row, Size among them.
_JSON_DOT = re.compile(r"\{\{-?\s*json\s+\.\s*-?\}\}")


def _size_requested(inv: Invocation, fmt: str) -> bool:
    """buildContainerListOptions: ``--size``, or a ``--format`` that uses ``.Size`` unless ``-q`` or an explicit
    ``--size=false``."""
    if inv.options.get("size"):
        return True
    if not fmt or inv.options.get("quiet") or "size" in inv.changed or fmt in ("json", "table"):
        return False
    probe = _FieldsUsed(CONTAINER_HEADERS)
    try:
        render(fmt, probe, "*formatter.ContainerContext")
    except TemplateError:
        return False
    return "Size" in probe.used or bool(_JSON_DOT.search(fmt))


def ps(machine, inv: Invocation, out: Output) -> int:
    """``docker ps [-a] [-q] [-s] [--format]``."""
    fmt = inv.options.get("format") or ""
    if fmt and inv.options.get("quiet"):
        out.err("WARNING: Ignoring custom format, because both --format and --quiet are set.\n")
    if fmt:
        check_format(fmt, CONTAINER_HEADERS, "*formatter.ContainerContext")  # even with -q, "for consistency"
    size = _size_requested(inv, fmt)
    rows = container_rows(machine, inv, size)
    if inv.options.get("quiet"):
        out.print("".join(row["ID"] + "\n" for row in rows))
        return 0
    if fmt and fmt != "table":  # "table" alone is the listing below, with its SIZE column when asked
        out.print(formatter.write(fmt, [(row, row) for row in rows], default="", headers=CONTAINER_HEADERS,
                                  go_type="*formatter.ContainerContext"))
        return 0
    header = ["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"] + (["SIZE"] if size else [])
    body = [[r["ID"], r["Image"], r["Command"], r["RunningFor"], r["Status"], r["Ports"], r["Names"]]
            + ([r["Size"]] if size else []) for r in rows]
    out.print(table([header] + body))
    return 0


def exec_(machine, inv: Invocation, out: Output) -> int:
    """``docker exec [OPTIONS] CONTAINER COMMAND [ARG...]``: its exit code is the process's."""
    _names(inv, 1)
    name, *command = inv.args
    workdir, user = inv.options.get("workdir") or "", inv.options.get("user") or ""
    if workdir and not workdir.startswith("/"):  # runc's own check of a process's cwd: its words are not modelled
        raise NotSimulated("'docker exec --workdir' with a relative directory")
    try:
        container = machine.engine.container(name)  # the client inspects the container first
        if _wants_terminal(inv) and not out.terminal:
            return _no_tty(out)
        if _wants_terminal(inv) and container.status == RUNNING:
            attached = machine.engine.container_attach(container.id, tuple(command), user=user, workdir=workdir)
            if attached is not None:
                out.attach = (container.id, tuple(command), attached)
                return 0
        outcome = machine.engine.container_exec(
            name, tuple(command), interactive=bool(inv.options.get("interactive")), tty=bool(inv.options.get("tty")),
            stdin=out.stdin, user=user, workdir=workdir,
        )
    except DaemonError as error:
        out.err(f"Error response from daemon: {error.message}\n")
        return 1
    if outcome.start_error:
        reason = outcome.start_error[outcome.start_error.find("exec: "):] if "exec: " in outcome.start_error \
            else outcome.start_error
        out.err(f"OCI runtime exec failed: exec failed: unable to start container process: {reason}\n")
        return outcome.exit_code or 126
    for stream, text in outcome.output:
        (out.print if stream == "stdout" else out.err)(text)
    return 0 if outcome.exit_code is None else outcome.exit_code


def container_prune(machine, inv: Invocation, out: Output) -> int:
    """``docker container prune [-f] [--filter ...]``: asks first unless ``--force``. Raises the daemon's errors."""
    if not inv.options.get("force"):
        out.print("WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ")
        if (out.stdin or "").split("\n", 1)[0].strip().lower() not in ("y", "yes"):
            return 0
    removed = machine.engine.container_prune(Filters(client_filters(inv.options.get("filter") or ())))
    if removed:
        out.print("Deleted Containers:\n" + "".join(c.id + "\n" for c in removed) + "\n")
    out.print("Total reclaimed space: 0B\n")
    return 0
