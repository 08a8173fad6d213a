"""The docker client's grammar as fuzzing data, read from the same help texts and ``commands.json`` the parser reads.

Nothing here lists commands or flags by hand: `COMMANDS` holds every command path of the harvested client with every
way to type it (``image ls``, ``image list``, ``images``), its flags (visible and hidden, long and short, with pflag
types) and the placeholders of its usage line (``IMAGE``, ``CONTAINER``, ``PATH``), from which positional arguments
are drawn. Values are drawn per pflag type, valid and not; references come valid, at every length limit of the
grammar, and mutated.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from functools import cache
from importlib import resources

from hypothesis import strategies as st

from sandbox.cli.docker import SIMULATED, parse_argv
from sandbox.cli.pflag import Flag
from sandbox.cli.spec import parse_help_flags

#: The reference grammar's limits (distribution/reference): a path of at most 255 characters, a tag of at most 128.
PATH_MAX = 255
TAG_MAX = 128
DIGEST_HEX = 64


@dataclass(frozen=True)
class Command:
    """One command of the client: how it can be typed, its flags, and the placeholders of its usage line."""

    path: tuple[str, ...]
    typed: tuple[tuple[str, ...], ...]
    flags: tuple[Flag, ...]
    placeholders: tuple[str, ...]
    #: the parser's canonical key (``image ls`` for ``images``)
    key: str

    @property
    def name(self) -> str:
        """``docker image ls`` as a key."""
        return " ".join(self.path)


def _typed_forms(path: tuple[str, ...], help_text: str, aliases: list[str]) -> tuple[tuple[str, ...], ...]:
    forms = {path}
    lines = help_text.splitlines()
    if "Aliases:" in lines:
        for form in lines[lines.index("Aliases:") + 1].split(","):
            forms.add(tuple(form.split()[1:]))
    for alias in aliases:
        forms.add(path[:-1] + (alias,))
    return tuple(sorted(forms))


def _placeholders(help_text: str) -> tuple[str, ...]:
    usage = help_text.split("\n", 1)[0]
    return tuple(re.findall(r"[A-Z][A-Z_|:@\[\]]*[A-Z\]]", usage.split("]", 1)[-1] if "[OPTIONS]" in usage else usage))


def _load() -> tuple[tuple[Command, ...], tuple[Flag, ...]]:
    spec = resources.files("sandbox.cli.spec")
    facts = json.loads(spec.joinpath("commands.json").read_text())["commands"]
    commands, root_flags = [], ()
    for entry in sorted(spec.iterdir(), key=lambda item: item.name):
        if not (entry.name.startswith("docker") and entry.name.endswith(".txt")):
            continue
        path = tuple(entry.name.removesuffix(".txt").split("-")[1:])
        if path == ("help",):
            continue
        text = entry.read_text()
        fact = facts.get(" ".join(("docker",) + path), {})
        if "same_as" in fact:
            fact = dict(facts[fact["same_as"]], **fact)
        hidden = tuple(
            Flag(name=f["name"], short=f.get("short", ""), type=f.get("type", "bool"), hidden=True)
            for f in fact.get("hidden_flags", ())
        )
        flags = tuple(parse_help_flags(text)) + hidden
        if not path:
            root_flags = flags
            continue
        key = parse_argv(["docker", *path, "--help"]).command
        commands.append(Command(path, _typed_forms(path, text, fact.get("aliases", [])), flags, _placeholders(text), key))
    return tuple(commands), root_flags


COMMANDS, GLOBAL_FLAGS = _load()
#: The commands the sandbox simulates (the rest parse and then say they are not available).
SIMULATED_COMMANDS = tuple(command for command in COMMANDS if command.key in SIMULATED)
ALL_FLAGS = tuple({flag.name: flag for command in COMMANDS for flag in command.flags}.values())


# Values --------------------------------------------------------------------------------------------------------------

#: Text that every parser on the way (shell, pflag, reference grammar, templates) has to survive.
NASTY = (
    "", " ", "-", "--", "---", "=", ":", "@", "/", "//", "\\", "'", '"', "$", "${X}", "$(ls)", "`id`", "*", "?",
    "~", "..", "../..", "/etc/passwd", "\t", "\n", "\r\n", "\x00", "\x1b[31m", "\u202e", "é", "ünïcode", "日本",
    "🐳", "\udcff", "A" * 1000, "%s%n", "{{", "}}", "{{.}}", "NaN", "-1", "0x10", "1e309", "9" * 40,
)
_hex = st.sampled_from("0123456789abcdef").map(lambda char: char * DIGEST_HEX) | st.text(
    "0123456789abcdef", min_size=DIGEST_HEX, max_size=DIGEST_HEX)
#: Path components: valid ones of every separator kind, and a few the grammar refuses (drawn whole: cheap to draw).
_COMPONENTS = ("web", "app", "my-app", "my--app", "a.b", "x__y", "x_y", "0", "v2", "alpine", "learner", "alice",
               "hello-web", "secret-app", "a" * 30, "-x", "x-", "a..b", "A", "a_", "é")
_component = st.sampled_from(_COMPONENTS)


@st.composite
def _digests(draw) -> str:
    """``sha256:`` digests: valid, one short, one long, uppercase, another algorithm, garbage."""
    body = draw(_hex)
    return draw(st.sampled_from([
        "sha256:" + body, "sha256:" + body[:-1], "sha256:" + body + "0", "sha256:" + body.upper(),
        "sha512:" + body * 2, "sha256:", "sha256:" + body[:32], "md5:" + body[:32], body,
    ]))


_DIGESTS = _digests()


@cache
def references(known: tuple[str, ...] = ()) -> st.SearchStrategy[str]:
    """Image references (cached per ``known``): see `_references`."""
    return _references(known)


_DOMAINS = st.sampled_from(["", "", "", "docker.io/", "localhost:5000/", "index.docker.io/", "server:5000/",
                            "[::1]:5000/", "registry.example.com/", "Local.Host:80/"])
_TAGS = st.one_of(st.none(), st.sampled_from(("latest", "1.0", "3.21", "20-alpine", "v1.2.3", "new-tag", "_x", "X",
                                                "0", "a.b-c_d", ".x", "-x", "t:t", "é")))
_SHAPES = st.sampled_from(["known", "known", "plain", "plain", "path-max", "path-over", "tag-max", "tag-over",
                           "digest", "mutated", "uppercase", "empty-tag", "double-colon"])
_PATHS = st.lists(_component, min_size=1, max_size=3).map("/".join)


@st.composite
def _references(draw, known: tuple[str, ...]) -> str:
    """Image references: known ones, generated valid ones, ones at and past each length limit, and mutated ones."""
    domain, path, tag, shape = draw(_DOMAINS), draw(_PATHS), draw(_TAGS), draw(_SHAPES)
    if shape == "known" and known:
        return draw(_sampled(known))
    if shape == "path-max":
        path = ("a" * PATH_MAX)
    elif shape == "path-over":
        path = "a" * (PATH_MAX + draw(st.integers(1, 3)))
    elif shape == "tag-max":
        tag = "t" * TAG_MAX
    elif shape == "tag-over":
        tag = "t" * (TAG_MAX + 1)
    elif shape == "uppercase":
        path = path.upper()
    elif shape == "empty-tag":
        tag = ""
    ref = domain + path + ("" if tag is None else ":" + tag)
    if shape == "digest":
        ref += "@" + draw(_DIGESTS)
    if shape == "double-colon":
        ref += ":" + (tag or "x")
    if shape == "mutated":
        ref = mutate(draw, ref)
    return ref


_ACTIONS = st.sampled_from(["insert", "delete", "replace", "double"])
_PIECES = st.one_of(st.sampled_from(NASTY[:40]), st.characters())
_COUNTS = st.integers(1, 3)


@cache
def _sampled(values: tuple) -> st.SearchStrategy:
    return st.sampled_from(values)


def mutate(draw, text: str) -> str:
    """``text`` with a few characters inserted, deleted or replaced by nasty ones (inside a composite strategy)."""
    for _ in range(draw(_COUNTS)):
        where = draw(st.integers(0, len(text)))
        action = draw(_ACTIONS)
        piece = draw(_PIECES)
        if action == "insert":
            text = text[:where] + piece + text[where:]
        elif action == "delete":
            text = text[:where] + text[where + 1:]
        elif action == "replace":
            text = text[:where] + piece + text[where + 1:]
        else:
            text = text[:where] + text[where:] * 2
    return text


@cache
def flag_values(flag: Flag, known_refs: tuple[str, ...], containers: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Values for one flag: what its pflag type accepts, what it refuses, and nasty text."""
    by_type = {
        "bool": st.sampled_from(["true", "false", "1", "0", "t", "F", "yes", "TRUE", "2", ""]),
        "int": st.sampled_from(["0", "1", "-1", "10", "0x1f", "0o17", "1_000", "9223372036854775807",
                                "9223372036854775808", "-9223372036854775809", "1.5", "abc", ""]),
        "duration": st.sampled_from(["0", "10s", "1m30s", "-1s", "1.5h", "10", "1d", "9999999999h", "µs", ""]),
        "bytes": st.sampled_from(["0", "1k", "1kb", "1kib", "512m", "1g", "1.5g", "-1", "1x", "1kbb", "", "b"]),
        "decimal": st.sampled_from(["0", "1", "0.5", "1/3", "1e-10", "2/0", "x", ""]),
        "filter": st.sampled_from(["dangling=true", "reference=alpine", "name=web", "status=exited", "nope", "=",
                                   "label=a=b", ""]),
        "list": st.sampled_from(["A=b", "=x", "A", "8.8.8.8", "host:1.2.3.4", "STDIN", "stdout", "bogus", "", "a b"]),
        "stringToString": st.sampled_from(["a=b", "a=b,c=d", '"a=b"', "nokey", '"a', ""]),
        "strings": st.sampled_from(["a,b", '"a,b",c', '"a', "", "x"]),
    }
    typed = by_type.get(flag.type)
    if flag.name in ("format",):
        typed = st.sampled_from(["json", "table", "{{.ID}}", "{{json .}}", "table {{.Repository}}\\t{{.Tag}}",
                                 "{{range .}}{{.}}{{end}}", "{{if .ID}}x{{else}}y{{end}}", "{{.Nope}}", "{{",
                                 "{{end}}", "{{index .Config.Env 0}}", "{{join .RepoTags \",\"}}", "{{bogus .}}",
                                 "{{json .Config}}", "{{.State.Status}}", "{{upper .Names}}", "{{len .}}", ""])
    elif flag.name in ("name",):
        typed = st.sampled_from(containers + ("web2", "a", "-x", "a b", "/web", "x" * 300, ""))
    elif flag.name in ("tag",):
        typed = references(known_refs)
    elif flag.name in ("publish", "expose"):
        typed = st.sampled_from(["8080:80", "5000:5000", "80", "0.0.0.0:80:80", "99999:80", "x:y", "80/udp", ""])
    elif flag.name in ("username", "password"):
        typed = st.sampled_from(["learner", "alice", "s3cret-pass", "alice-pass", "wrong", "", "ünï", "x" * 300])
    elif flag.name in ("file",):
        typed = st.sampled_from(["Dockerfile", "-", "/etc/passwd", "../../etc/passwd", "nope", "", "Dockerfile.dev"])
    if typed is None:
        typed = st.one_of(references(known_refs), st.sampled_from(NASTY))
    return st.one_of(typed, typed, st.sampled_from(NASTY))


@cache
def positional(placeholder: str, known_refs: tuple[str, ...], containers: tuple[str, ...]) -> st.SearchStrategy[str]:
    """A value for one usage-line placeholder (``IMAGE``, ``CONTAINER``, ``PATH``, ``SERVER``, ``COMMAND``...)."""
    word = placeholder.upper()
    if "CONTAINER" in word:
        return st.one_of(st.sampled_from(containers + ("nope", "", "-", "/web")), st.sampled_from(NASTY))
    if "IMAGE" in word or "NAME" in word or "REPOSITORY" in word:
        return references(known_refs)
    if "PATH" in word or "URL" in word or "CONTEXT" in word:
        return st.sampled_from([".", "..", "../..", "/", "/etc", "sub", "nope", "-", "", "http://x/y.git",
                                "~", "a" * 5000])
    if "SERVER" in word:
        return st.sampled_from(["docker.io", "localhost:5000", "https://index.docker.io/v1/", "server:5000",
                                "index.docker.io", "nope.example", "", "http://localhost:5000/"])
    if "COMMAND" in word or "ARG" in word:
        return st.sampled_from(["echo", "hi", "sh", "-c", "echo $HOSTNAME; exit 3", "false", "true", "cat",
                                "/etc/os-release", "ls", "/", "sleep", "infinity", "nope", "exit", "7", "env",
                                "printf", "%s\\n", "node", "python", "-e",
                                # the shell's amplifying shapes: doubling, loops, wide formats, recursion
                                "x=a; for i in $(seq 40); do x=$x$x; done; echo ${#x}", "while :; do echo y; done",
                                "printf '%0999999999d' 1", "f() { f | f; }; f", "echo a > f; cat f f f > f",
                                "case $0 in *) echo ${x:-$((1/0))};; esac", "seq 99999999 | sort | uniq -c"])
    return st.one_of(references(known_refs), st.sampled_from(NASTY), st.text(max_size=8))


_COMMAND_CHOICE = st.one_of(st.sampled_from(SIMULATED_COMMANDS), st.sampled_from(SIMULATED_COMMANDS),
                            st.sampled_from(SIMULATED_COMMANDS), st.sampled_from(COMMANDS))
_GLOBAL_FLAG_CHOICE = st.lists(st.sampled_from(GLOBAL_FLAGS), max_size=1)
_FLAG_COUNTS = st.integers(0, 3)
_ORDERS = st.sampled_from(["flags-first", "args-first", "mixed", "dashdash"])
_ALL_FLAG_CHOICE = st.sampled_from(ALL_FLAGS)


@cache
def _flag_choice(pool: tuple[Flag, ...]) -> st.SearchStrategy[Flag]:
    own = st.sampled_from(pool)
    return st.one_of(own, own, _ALL_FLAG_CHOICE)


@st.composite
def argvs(draw, known_refs: tuple[str, ...], containers: tuple[str, ...]) -> list[str]:
    """A docker argv from the grammar: global flags, a command as typed, its flags and arguments in any order."""
    command = draw(_COMMAND_CHOICE)
    words: list[str] = ["docker"]
    for flag in draw(_GLOBAL_FLAG_CHOICE):
        words += _flag_words(draw, flag, known_refs, containers)
    words += list(draw(_sampled(command.typed)))
    items: list[list[str]] = []
    flag_pool = command.flags if command.flags else GLOBAL_FLAGS
    for _ in range(draw(_FLAG_COUNTS)):
        flag = draw(_flag_choice(flag_pool))
        items.append(_flag_words(draw, flag, known_refs, containers))
    wanted = list(command.placeholders) or ["ARG"]
    count = draw(_sampled((len(wanted), len(wanted), max(0, len(wanted) - 1), len(wanted) + 1)))
    args = [draw(positional(wanted[min(i, len(wanted) - 1)], known_refs, containers)) for i in range(count)]
    order = draw(_ORDERS)
    if order == "flags-first":
        words += [w for item in items for w in item] + args
    elif order == "args-first":
        words += args + [w for item in items for w in item]
    elif order == "dashdash":
        words += [w for item in items for w in item] + ["--"] + args
    else:
        mixed = items + [[a] for a in args]
        first = draw(st.integers(0, len(mixed)))
        words += [w for item in mixed[first:] + mixed[:first] for w in item]
    return words


_BOOL_STYLES = st.sampled_from(["bare", "bare", "equals", "separate"])
_VALUE_STYLES = st.sampled_from(["separate", "separate", "equals", "glued", "missing"])


def _flag_words(draw, flag: Flag, known_refs, containers) -> list[str]:
    value = draw(flag_values(flag, known_refs, containers))
    forms = ["--" + flag.name]
    if flag.short:
        forms.append("-" + flag.short)
    form = draw(_sampled(tuple(forms)))
    if flag.type == "bool":
        style = draw(_BOOL_STYLES)
        if style == "bare":
            return [form]
        return [f"{form}={value}"] if style == "equals" else [form, value]
    style = draw(_VALUE_STYLES)
    if style == "equals":
        return [f"{form}={value}"]
    if style == "glued" and form.startswith("-") and not form.startswith("--"):
        return [form + value]
    if style == "missing":
        return [form]
    return [form, value]


def line_of(argv: list[str]) -> str:
    """A command line that a POSIX shell splits back into exactly ``argv``."""
    return " ".join(shlex.quote(word) for word in argv)
