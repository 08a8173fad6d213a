"""The docker client's main (docker/cli ``cmd/docker``): a command line in, an ``Invocation`` or a usage error out.

``parse_argv(["docker", ...])`` runs the client as docker 28.2.2 does: pflag parses the global options first
(stopping at the first word), cobra's ``Traverse`` walks down management commands, then the command's own flags are
parsed (interspersed with arguments unless the command turns that off), then ``--help``, the positional-argument rule
and the few checks the client makes before it talks to the daemon. It returns an ``Invocation`` or raises
``UsageError`` carrying the whole stderr text and exit code (125 for flag errors, 1 for the rest).

Canonical command keys (``Invocation.command``), one per command however it was typed; the sandbox simulates::

    login  logout  search  version  inspect  system info  system prune
    image build  image history  image inspect  image ls  image prune  image pull  image push  image rm  image tag
    container create  container exec  container inspect  container logs  container ls  container prune
    container restart  container rm  container run  container start  container stop

A key is Docker's own name for the command: the first entry of the help text's ``Aliases:`` line (``docker images``
-> ``image ls``, ``docker rmi`` -> ``image rm``, ``docker info`` -> ``system info``, ``docker build`` ->
``image build``), else the command path (``docker inspect`` -> ``inspect``). Every other command of the real client
parses too (flags from its help text, any number of arguments) and gets its own key (``network ls``,
``image save``): the sandbox does not simulate those; ``SIMULATED`` holds the keys above.

Option names are the long flag names without dashes (``options["all"]``, ``options["publish"]``); every flag of the
command is present, defaults filled in: ``bool`` for switches, ``int`` for int/uint flags and ``bytes`` (memory
sizes, in bytes), ``float`` for ``decimal`` (``--cpus``), ``timedelta`` for durations, ``str`` for strings, and a
tuple of strings, in order, for every repeatable flag (list, strings, stringArray, map, filter, ulimit, mount,
network, ...), each value as the client's validator left it (``-a STDIN`` -> ``"stdin"``, ``--add-host a=1.2.3.4``
-> ``"a:1.2.3.4"``). Global options (``-H``, ``--config``, ``--context``, ``-D``, ``-l``, ``--tls*``) are in
``Invocation.globals`` under the same rules.

Besides its answer the client prints a few lines of its own: pflag's deprecation notices on stdout
(``Invocation.notices``) and, on stderr, the notice for the global ``-h`` (``Invocation.warnings``). A ``UsageError``
message already starts with the stderr ones, and its ``stdout`` attribute holds the stdout ones
(``docker stop --time 1 -t 2 c`` prints a deprecation before refusing).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Mapping, Sequence

from sandbox.cli.cobra import Command, ParseState, args_error, children, find, find_next, parse, root, table
from sandbox.cli.cobra import traverse
from sandbox.cli.pflag import Flag, FlagError, parse_flags
from sandbox.errors import UsageError, not_available

__all__ = ["Invocation", "SIMULATED", "VERSION_LINE", "parse_argv"]

#: The keys of the commands the sandbox simulates; ``parse_argv`` also returns keys of real commands outside it.
SIMULATED = frozenset(
    {
        "login", "logout", "search", "version", "inspect", "system info", "system prune",
        "image build", "image history", "image inspect", "image ls", "image prune", "image pull", "image push",
        "image rm", "image tag", "container create", "container exec", "container inspect", "container logs",
        "container ls", "container prune", "container restart", "container rm", "container run",
        "container start", "container stop",
    }
)  # fmt: skip
#: What ``docker --version`` prints (cobra's version template over the client's version and commit).
VERSION_LINE = "Docker version 28.2.2, build e6534b4\n"
#: CLI plugins a Docker 28 installation may have besides buildx (Docker Engine's packages ship compose; Docker
#: Desktop adds the rest), and buildx's top-level alias ``bake``: the sandbox simulates none of them, so each gets
#: the one plain line whatever follows it (a plugin parses its own flags, which the client never sees).
PLUGIN_COMMANDS = frozenset({"compose", "bake", "scout", "init", "debug", "sbom", "extension", "ai", "desktop",
                             "model", "offload", "mcp", "dev", "feedback", "cloud"})  # fmt: skip
#: How the client refuses flags its (simulated: Linux, not experimental) daemon does not support.
UNSUPPORTED = {
    "experimental": '"--{}" is only supported on a Docker daemon with experimental features enabled',
    "windows": (
        '"--{}" is only supported on a Docker daemon running on windows, but the Docker daemon is running on linux'
    ),
}
#: logrus's level names, which ``-l/--log-level`` must be one of (in any case).
LOG_LEVELS = frozenset({"panic", "fatal", "error", "warn", "warning", "info", "debug", "trace"})


def _flag_error(command: Command, err: FlagError) -> str:
    """docker/cli's ``FlagErrorFunc``: the pflag error, the usage line and where to find help."""
    return f"{err}\n\nUsage:  {command.use_line}\n\nRun '{command.command_path} --help' for more information"


@dataclass(frozen=True)
class Invocation:
    """A command line the client accepted: the command, its options and arguments, or the help it prints itself.

    ``help_text is not None`` means the client answered by itself (``--help``, ``docker help X``, ``--version``,
    a bare ``docker`` or ``docker image``): print ``notices + help_text`` on stdout and ``warnings`` on stderr, and
    exit with ``exit_code``, without running anything. Otherwise run ``command``, printing ``notices`` on stdout and
    ``warnings`` on stderr before its own output.
    """

    path: tuple[str, ...]
    command: str
    options: Mapping[str, object]
    args: tuple[str, ...]
    help_text: str | None = None
    exit_code: int = 0
    globals: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    notices: str = ""
    warnings: str = ""
    changed: frozenset[str] = frozenset()

    def flag_was_set(self, name: str) -> bool:
        """Whether the command line gave flag ``name`` (long name), even to its default value."""
        return name in self.changed


@functools.cache
def _defaults(path: tuple[str, ...]) -> Mapping[str, object]:
    """Every flag's value when not given, computed once per command (``run`` has about a hundred flags)."""
    return MappingProxyType({name: flag.zero() for name, flag in table()[path].flags.items() if name != "help"})


#: The global options every invocation reports (``--help`` and ``--version`` are answered, not reported).
_GLOBAL_SKIP = frozenset({"help", "version"})


@functools.cache
def _refusable(path: tuple[str, ...]) -> tuple[Flag, ...]:
    """The command's flags the simulated daemon does not support, in the order the client reports them (by name)."""
    return tuple(sorted((flag for flag in table()[path].flags.values() if flag.unsupported), key=lambda f: f.name))


@functools.cache
def _global_defaults() -> Mapping[str, object]:
    return MappingProxyType({name: flag.zero() for name, flag in root().flags.items() if name not in _GLOBAL_SKIP})


def _globals(state: ParseState) -> Mapping[str, object]:
    """The global options of this run: the defaults, with what the command line set (the root owns their values)."""
    defaults = _global_defaults()
    given = {name: value for (owner, name), value in state.values.items() if owner == () and name in defaults}
    return MappingProxyType({**defaults, **given}) if given else defaults


def _options(state: ParseState, command: Command) -> tuple[Mapping[str, object], frozenset[str]]:
    values = dict(_defaults(command.path))
    changed = set()
    for owner, name in state.values.keys() | state.changed:
        flag = command.flags.get(name)
        if flag is None or name == "help" or owner != state.owner(command, flag):
            continue
        if (owner, name) in state.values:
            values[name] = state.values[(owner, name)]
        if (owner, name) in state.changed:
            changed.add(name)
    return MappingProxyType(values), frozenset(changed)


def _help_replay(state: ParseState, args: list[str]) -> None:
    """docker's help function traverses the command line once more (looking for a plugin), re-printing buffers."""
    if args:
        traverse(state, root(), list(args))


def parse_argv(argv: Sequence[str]) -> Invocation:
    """Parse a docker command line (``argv[0]`` is the program name) as the docker 28.2.2 client does.

    Raises ``UsageError`` whose message is the client's whole stderr text: exit code 125 for flag errors (unknown
    flag or shorthand, missing or invalid value), 1 for unknown commands, wrong argument counts, an invalid
    ``--log-level``, ``--host`` with ``--context``, flags the simulated daemon does not support, ``docker bake``,
    and ``unknown help topic``.
    """
    words = tuple(str(word) for word in argv[1:])
    if sum(map(len, words)) <= MEMO_MAX_CHARS:
        return _parse_remembered(words)
    return _parse(words)


#: Command lines longer than this are parsed afresh, so a hostile line cannot fill the memo.
MEMO_MAX_CHARS = 1024


@functools.lru_cache(maxsize=256)
def _parse_remembered(words: tuple[str, ...]) -> Invocation:
    """``_parse``, remembered: the client's answer depends on the words alone, an ``Invocation`` is frozen, and
    lessons and graders type the same lines again and again. Refusals are not remembered (``UsageError`` is raised
    afresh)."""
    return _parse(words)


def _parse(words: tuple[str, ...]) -> Invocation:
    state = ParseState()
    top = root()
    global_out: list[str] = []
    try:
        rest = parse_flags(state, top, words, interspersed=False, out=global_out)
    except FlagError as err:
        _check_log_level(state, top, global_out)
        raise UsageError("".join(global_out) + _flag_error(top, err), 125) from None
    state.warnings.extend(global_out)  # a fresh pflag FlagSet writes notices straight to stderr
    _check_log_level(state, top, state.warnings)
    if state.was_set(top, "context") and state.get(top, top.flags["host"]):
        raise UsageError(
            "".join(state.warnings) + "conflicting options: cannot specify both --host and --context", 1
        )
    if rest[:1] and rest[0] in PLUGIN_COMMANDS:
        raise UsageError("".join(state.warnings) + not_available(f"'{rest[0]}'"), 1)
    # The harvested client had no buildx plugin and warned about the legacy builder before every build command; a
    # learner's Docker 28 ships buildx and builds with BuildKit, which the sandbox simulates, so no warning here.
    try:
        command, remaining = traverse(state, top, rest)
    except FlagError as err:  # a parent's flags failed to parse: cobra returns the bare error
        raise UsageError("".join(state.warnings) + str(err), 1) from None
    if command.path in (("buildx",), ("buildx", "imagetools")) and remaining and not remaining[0].startswith("-"):
        # buildx is a plugin: the sandbox has its build (and what other commands it lists), nothing else of it
        raise UsageError("".join(state.warnings) + not_available(f"'{' '.join(command.path)} {remaining[0]}'"), 1)
    return _execute(state, command, remaining, rest)


def _refuse(state: ParseState, message: str, exit_code: int) -> UsageError:
    """A ``UsageError`` for ``message``; its ``stdout`` holds the notices the client printed before refusing."""
    error = UsageError(message, exit_code)
    error.stdout = "".join(state.notices)  # type: ignore[attr-defined]  # errors.py has no field for it yet
    return error


def _check_log_level(state: ParseState, top: Command, stderr: list[str]) -> None:
    if not state.was_set(top, "log-level"):
        return
    level = state.get(top, top.flags["log-level"])
    if str(level).lower() not in LOG_LEVELS:
        raise UsageError("".join(stderr) + f"Unable to parse logging level: {level}", 1)


def _typed_path(rest: Sequence[str], command: Command) -> tuple[str, ...]:
    """The words the user typed for the command's path (``images``, ``image list``), in order."""
    typed, node = [], root()
    for word in rest:
        if len(typed) == len(command.path):
            break
        child = find_next(node, word)
        if child is not None and child.path == command.path[: len(typed) + 1]:
            typed.append(word)
            node = child
    return tuple(typed)


def _execute(state: ParseState, command: Command, args: list[str], rest: list[str]) -> Invocation:
    """cobra's ``execute`` for the command ``Traverse`` found, with docker's hooks around it."""
    warnings = "".join(state.warnings)
    try:
        positional = parse(state, command, args)
    except FlagError as err:
        raise UsageError(warnings + _flag_error(command, err), 125) from None
    path = _typed_path(rest, command)
    globals_ = _globals(state)

    def answer(stdout: str, stderr: str = "", key: str | None = None) -> Invocation:
        options, changed = _options(state, command)
        return Invocation(
            path=path, command=key or command.key, options=options, args=tuple(positional), help_text=stdout,
            globals=globals_, notices="".join(state.notices), warnings=warnings + stderr, changed=changed,
        )  # fmt: skip

    if state.get(command, command.flags["help"]):
        _help_replay(state, rest)
        return answer(command.help_text)
    if not command.path and state.get(command, command.flags["version"]):
        return answer(VERSION_LINE)
    message = args_error(command, positional)
    if message is not None:
        raise _refuse(state, warnings + message, 1)
    if not command.path:
        if positional:
            unknown = f"docker: unknown command: docker {positional[0]}\n\nRun 'docker --help' for more information"
            raise _refuse(state, warnings + unknown, 1)
        return answer("", command.help_text)  # ShowHelp(stderr): docker alone
    if command.path == ("help",):
        return _help_command(state, positional, answer, warnings)
    if any(True for _ in children(command)):
        if command.path == ("manifest",):  # its own Run: Fprint(Err, "\n"+cmd.UsageString())
            return answer("", "\n" + command.help_text)
        return answer("", command.help_text)  # ShowHelp(stderr): a bare management command
    refusals = [
        UNSUPPORTED[flag.unsupported].format(flag.name)
        for flag in _refusable(command.path)
        if state.was_set(command, flag.name)
    ]
    if refusals:
        raise _refuse(state, warnings + "\n".join(refusals), 1)
    if state.was_set(command, "time") and state.was_set(command, "timeout"):
        raise _refuse(state, warnings + "conflicting options: cannot specify both --timeout and --time", 1)
    options, changed = _options(state, command)
    return Invocation(
        path=path, command=command.key, options=options, args=tuple(positional), globals=globals_,
        notices="".join(state.notices), warnings=warnings, changed=changed,
    )  # fmt: skip


def _help_command(state: ParseState, words: list[str], answer: Callable[..., Invocation], warnings: str) -> Invocation:
    """``docker help [command]``: cobra's ``Find`` over the words, then that command's help on stdout."""
    node, used = find(words)
    if used < len(words):
        raise _refuse(state, warnings + "unknown help topic: " + " ".join(words[used:]), 1)
    return answer(node.help_text)
