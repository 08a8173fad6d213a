"""Running a syntax tree: lists, and-or lists, pipelines, compound commands, functions, redirections, and the
search for a command (functions, built-ins, then the machine's PATH), as XCU 2.9 describes.

A pipeline runs its stages one after the other, each reading what the previous one wrote (the shell is
sequential; the text is the same). Every command, loop round and write is charged to the line's `Budget`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from sandbox.shell import expansion
from sandbox.shell.budget import Budget, NoSpace, OutOfMemory
from sandbox.shell.expansion import ExpansionError, expand_heredoc, expand_pattern, expand_word, expand_words
from sandbox.shell.flavours import Flavour
from sandbox.shell.machine import Machine, normalize
from sandbox.shell.streams import Capture, File, Null, Stream, Terminal
from sandbox.shell.syntax import (
    ASSIGNMENT, AndOr, Case, Compound, For, FunctionDef, Group, If, List, Loop, Pipeline, Redirect, ShellSyntaxError,
    Simple, commands, is_number,
)


class ExitShell(Exception):
    """``exit N`` (or ``exec``): the shell ends with ``code``."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class Blocked(Exception):
    """The command waits for ever: a server, ``sleep infinity``, a prompt reading an open terminal, a loop that
    sleeps between rounds. Who runs the shell decides what that means (a running container; a stopped line)."""


class _Break(Exception):
    def __init__(self, levels: int) -> None:
        self.levels = levels


class _Continue(_Break):
    pass


class _Return(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


class _RedirectFailed(Exception):
    pass


@dataclass
class IO:
    """A command's three standard streams: input text (None: nothing connected), output and error."""

    stdin: str | None
    out: Stream
    err: Stream


@dataclass
class Call:
    """One command being run: its arguments, its streams, its environment, and the shell that runs it."""

    argv: list[str]
    io: IO
    shell: "Shell"
    env: dict[str, str]
    line: int = 1

    @property
    def stdin(self) -> str | None:
        return self.io.stdin

    def out(self, text: str) -> None:
        """Write to stdout."""
        self.io.out.write(text)

    def err(self, text: str) -> None:
        """Write to stderr."""
        self.io.err.write(text)

    def path(self, name: str) -> str:
        """``name`` as an absolute path from the shell's working directory."""
        return self.shell.path(name)

    def run(self, argv: list[str], stdin: str | None = None) -> int:
        """Run another command with these streams (``xargs``, ``env CMD``)."""
        return self.shell.run_command(argv, IO(stdin, self.io.out, self.io.err), self.line, dict(self.env))


@dataclass
class Shell:
    """One shell process: its variables, functions, working directory and positional parameters, on a machine."""

    machine: Machine
    flavour: Flavour
    emit: Callable[[str, str], None]
    budget: Budget = field(default_factory=Budget)
    name: str = "sh"
    positional: list[str] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    exported: set[str] = field(default_factory=set)
    cwd: str = "/"
    interactive: bool = False
    #: "-c" when running ``sh -c TEXT`` (bash words syntax errors ``bash: -c: line 1:``), else the script's name
    source: str = "-c"
    status: int = 0
    pid: int = 1
    #: lines typed so far, this one last, for ``history``
    history: list[str] | tuple[str, ...] = field(default_factory=list)
    #: structured side output of programs (push progress), passed through untouched for front ends
    events: list = field(default_factory=list)
    depth: int = 0
    globbing: bool = True
    builtins: dict = field(default_factory=dict)
    functions: dict[str, object] = field(default_factory=dict)
    last_background: int = 0
    stdin: str | None = None

    def __post_init__(self) -> None:
        from sandbox.shell.builtins import builtins_for

        if not self.builtins:
            self.builtins = builtins_for(self.flavour)
        self.stdout: Stream = Terminal(lambda text: self.emit("stdout", text), self.budget)
        self.stderr: Stream = Terminal(lambda text: self.emit("stderr", text), self.budget)
        self.line = 1
        self.substituted: int | None = None

    # -- variables

    def get(self, name: str) -> str:
        """A variable's value ("" when unset)."""
        if name == "PWD" and name not in self.variables:
            return self.cwd
        return self.variables.get(name, "")

    def is_set(self, name: str) -> bool:
        return name in self.variables or name == "PWD"

    def assign(self, name: str, value: str) -> None:
        """Set a variable (charged to the word budget, as memory a real shell would allocate)."""
        self.budget.check_word(len(value))
        self.variables[name] = value

    def environment(self) -> dict[str, str]:
        """What a program started now sees: the exported variables."""
        return {name: self.variables[name] for name in self.exported if name in self.variables}

    @property
    def options(self) -> str:
        return "himBH" if self.interactive and self.flavour.name == "bash" else ("i" if self.interactive else "")

    def path(self, name: str) -> str:
        """``name`` made absolute from the working directory, with ``~`` as the home directory."""
        if name == "~" or name.startswith("~/"):
            name = self.get("HOME") + name[1:]
        return normalize(name if name.startswith("/") else f"{self.cwd}/{name}")

    @property
    def redirect_status(self) -> int:
        """The status of a command whose redirection failed: 1 in bash, 2 in the ash family."""
        return 1 if self.flavour.name == "bash" else 2

    # -- messages

    def say(self, situation: str, io: IO | None = None, **facts: object) -> None:
        """Write the flavour's diagnostic for ``situation`` to stderr."""
        template = self.flavour.messages.get(situation)
        if template:
            (io.err if io else self.stderr).write(
                self.flavour.say(situation, self.name, self.line, self.interactive, **facts))

    # -- entry points

    def run(self, text: str) -> int:
        """Run a script (a typed line, ``sh -c`` text, a file's content) to its end; returns the exit status.

        Raises `Blocked` for a command that waits for ever and `sandbox.shell.budget.BudgetExhausted`; ``exit``
        and syntax errors end the script with their status, as in every shell.
        """
        io = IO(self.stdin, self.stdout, self.stderr)
        try:
            for command in commands(text):
                self.execute(command, io)
        except ShellSyntaxError as error:
            self.syntax_error(error, text)
            self.status = 2
        except ExitShell as ended:
            self.status = ended.code
        except OutOfMemory:
            self.stderr.write(self.flavour.say("out_of_memory", self.name, self.line, self.interactive))
            self.status = 2
        except (_Break, _Return):
            pass
        return self.status

    def syntax_error(self, error: ShellSyntaxError, text: str) -> None:
        """Word a syntax error as this flavour does."""
        flavour = self.flavour
        line = error.line
        token = "newline" if error.token == "\n" else error.token
        if error.token is None and error.in_redirect and flavour.redirect_eof_is_newline:
            token = "newline"
        if error.quote is not None:
            situation = "syntax_quote"
        elif token is None:
            situation = "syntax_eof"
        else:
            situation = "syntax_token"
        facts = dict(quote=error.quote or "", token=token or "",
                     token_dash=token if token == "newline" else f'"{token}"',
                     token_ash=token if token == "newline" else f'"{token}"',
                     expecting_dash=f' (expecting "{error.expecting}")' if error.expecting else "",
                     expecting_ash=f' (expecting "{error.expecting}")' if error.expecting else "")
        message = flavour.messages[situation].format(where="{where}", shell=self.name, line=line, **facts)
        if flavour.name == "bash" and not self.interactive:
            if situation == "syntax_eof":
                line = text.count("\n") + 1 + (not text.endswith("\n"))
            where = f"{self.name}: -c: line {line}: " if self.source == "-c" else f"{self.name}: line {line}: "
            lines = text.split("\n")
            extra = ""
            if situation == "syntax_token" and 0 < line <= len(lines):
                extra = f"{where}`{lines[line - 1]}'\n"
            self.stderr.write(message.replace("{where}", where) + "\n" + extra)
            return
        self.stderr.write(message.replace("{where}", flavour.prefix(self.name, line, self.interactive)) + "\n")

    # -- the tree

    def execute(self, node: object, io: IO) -> int:
        """Run one node of the syntax tree; returns (and records in ``$?``) its status."""
        kind = type(node)
        if kind is List:
            for and_or, background in node.items:
                if background:
                    try:
                        self.execute(and_or, io)
                    except Blocked:
                        pass
                    self.last_background = self.pid + 1
                    self.status = 0
                else:
                    self.execute(and_or, io)
            return self.status
        if kind is AndOr:
            status = self.execute(node.first, io)
            for operator, pipeline in node.rest:
                if (operator == "&&") == (status == 0):
                    status = self.execute(pipeline, io)
            return status
        if kind is Pipeline:
            return self.pipeline(node, io)
        if kind is Simple:
            return self.simple(node, io)
        return self.compound(node, io)

    def pipeline(self, node: Pipeline, io: IO) -> int:
        stages = node.commands
        if len(stages) == 1:
            status = self.execute(stages[0], io)
        else:
            feed = io.stdin
            status = 0
            for index, stage in enumerate(stages):
                last = index == len(stages) - 1
                pipe = None if last else Capture(self.budget)
                status = self.execute(stage, IO(feed, io.out if last else pipe, io.err))
                feed = None if pipe is None else pipe.text()
        if node.negated:
            status = int(status == 0)
        self.status = status
        return status

    def compound(self, node: object, io: IO) -> int:
        kind = type(node)
        if kind is Compound:
            try:
                inner = self.redirected(node.redirects, io)
            except _RedirectFailed:
                self.status = self.redirect_status
                return self.status
            return self.compound(node.command, inner)
        if kind is If:
            for condition, body in node.clauses:
                if self.execute(condition, io) == 0:
                    return self.execute(body, io)
            if node.otherwise is not None:
                return self.execute(node.otherwise, io)
            self.status = 0
            return 0
        if kind is For:
            items = list(self.positional) if node.items is None else expand_words(self, node.items)
            self.status = 0
            for item in items:
                self.budget.iterate()
                self.assign(node.name, item)
                if not self.round(node.body, io):
                    break
            return self.status
        if kind is Loop:
            return self.loop(node, io)
        if kind is Case:
            word = expand_word(self, node.word)
            self.status = 0
            for patterns, body in node.arms:
                if any(expansion.matches(expand_pattern(self, pattern), word) for pattern in patterns):
                    return self.execute(body, io)
            return 0
        if kind is Group:
            if not node.subshell:
                return self.execute(node.body, io)
            return self.subshell(lambda: self.execute(node.body, io))
        if kind is FunctionDef:
            self.functions[node.name] = node.body
            self.status = 0
            return 0
        raise TypeError(f"not a shell node: {kind.__name__}")

    def loop(self, node: Loop, io: IO) -> int:
        status = 0
        slept_before = None
        while True:
            self.budget.iterate()
            condition = self.execute(node.condition, io)
            if (condition == 0) == node.until:
                break
            if slept_before is not None and self.machine.slept > slept_before:
                raise Blocked  # it sleeps between rounds: a process that keeps running
            slept_before = self.machine.slept
            going_on = self.round(node.body, io)
            status = self.status
            if not going_on:
                break
        self.status = status
        return status

    def round(self, body: List, io: IO) -> bool:
        """One round of a loop's body; False when ``break`` ends the loop (``break 2`` and ``continue 2`` reach
        the enclosing loop)."""
        try:
            self.execute(body, io)
        except _Continue as jump:
            if jump.levels > 1:
                raise _Continue(jump.levels - 1) from None
        except _Break as jump:
            if jump.levels > 1:
                raise _Break(jump.levels - 1) from None
            return False
        return True

    def subshell(self, action: Callable[[], int]) -> int:
        """Run ``action`` with a copy of the shell's state, restored afterwards (``( )``, ``$(...)``)."""
        saved = (dict(self.variables), set(self.exported), self.cwd, dict(self.functions), list(self.positional))
        try:
            return action()
        except ExitShell as ended:
            self.status = ended.code
            return ended.code
        finally:
            self.variables, self.exported, self.cwd, self.functions, self.positional = saved

    # -- simple commands

    def simple(self, node: Simple, io: IO) -> int:
        self.budget.step()
        self.line = node.line
        self.substituted = None
        try:
            words = expand_words(self, node.words)
            assignments = [(match.group(1), expand_word(self, text[match.end():]))
                           for text in node.assignments for match in [ASSIGNMENT.match(text)]]
        except ExpansionError as error:
            self.say(error.situation, io, **error.facts)
            self.status = error.status
            if not self.interactive:
                raise ExitShell(error.status) from None
            return error.status
        try:
            inner = self.redirected(node.redirects, io) if node.redirects else io
        except _RedirectFailed:
            self.status = self.redirect_status
            return self.status
        if not words:
            for name, value in assignments:
                self.assign(name, value)
            self.status = self.substituted or 0  # `x=$(false)` has the substitution's status
            return self.status
        if words[0] == "exec" and len(words) == 1:  # exec >file: the redirections stay for the rest of the shell
            self.stdout, self.stderr = inner.out, inner.err
            self.status = 0
            return 0
        env = self.environment()
        for name, value in assignments:
            env[name] = value
        saved = {name: self.variables.get(name) for name, _ in assignments}
        for name, value in assignments:  # a built-in or function sees them too, for its duration
            self.variables[name] = value
        try:
            self.status = self.run_command(words, inner, node.line, env)
        except NoSpace:
            inner.err.write(self.flavour.say("write_error", self.name, node.line, self.interactive))
            self.status = 1
        finally:
            for name, value in saved.items():
                if value is None:
                    self.variables.pop(name, None)
                else:
                    self.variables[name] = value
        return self.status

    def run_command(self, words: list[str], io: IO, line: int, env: dict[str, str] | None = None) -> int:
        """Find and run ``words[0]``: a function, a built-in, or a program of the machine."""
        name = words[0]
        if name in self.functions:
            return self.call_function(name, words[1:], io)
        builtin = self.builtins.get(name)
        call = Call(list(words), io, self, self.environment() if env is None else env, line)
        if builtin is not None:
            return builtin(call)
        if "/" in name:
            path = self.path(name)
            if path not in self.machine.programs and path not in self.machine.files:
                self.say("no_such_file", io, command=name)
                return 127
            if path in self.machine.files and path not in self.machine.programs and self.machine.is_dir(path):
                self.say("not_executable", io, command=name)
                return 126
        else:
            path = self.machine.find(name, self.get("PATH") or "/usr/local/bin:/usr/bin:/bin")
            if path is None:
                self.say("not_found", io, command=name)
                return 127
        return self.run_program(path, call)

    def run_program(self, path: str, call: Call) -> int:
        """Run the executable at ``path``: an installed program, or a script file (its ``#!`` line, else sh)."""
        program = self.machine.programs.get(path)
        if program is not None:
            return program(call)
        text = self.machine.files[path].decode(errors="replace")
        first = text.split("\n", 1)[0]
        if first.startswith("#!"):
            interpreter = first[2:].strip().split()
            if interpreter and normalize(interpreter[0]) in self.machine.programs:
                argv = [*interpreter, path, *call.argv[1:]]
                return self.machine.programs[normalize(interpreter[0])](
                    Call(argv, call.io, self, call.env, call.line))
            call.err(f"{self.name}: {path}: {interpreter[0] if interpreter else ''}: bad interpreter: "
                     "No such file or directory\n")
            return 126
        return self.nested(self.flavour, path, call.argv[1:], call.io, call.env).run(text)

    def call_function(self, name: str, args: list[str], io: IO) -> int:
        self.depth += 1
        if self.depth > 64:
            self.depth = 0
            self.say("too_deep", io, depth=64)
            raise ExitShell(2)
        saved = self.positional
        self.positional = list(args)
        try:
            return self.execute(self.functions[name], io)
        except _Return as returned:
            self.status = returned.code
            return returned.code
        finally:
            self.positional = saved
            self.depth -= 1

    def nested(self, flavour: Flavour, name: str, positional: list[str], io: IO, env: dict[str, str],
               source: str | None = None) -> "Shell":
        """A child shell (``sh -c``, a script) on the same machine, sharing the budget and streams."""
        if self.depth >= 32:
            raise OutOfMemory(self.depth)
        child = Shell(self.machine, flavour, self.emit, self.budget, name=name, positional=list(positional),
                      variables=dict(env), exported=set(env), cwd=self.cwd, source=source or name,
                      pid=self.pid + 1, events=self.events, depth=self.depth + 1, history=self.history)
        child.stdout, child.stderr, child.stdin = io.out, io.err, io.stdin
        return child

    # -- redirections

    def redirected(self, redirects: tuple[Redirect, ...], io: IO) -> IO:
        """The streams after applying ``redirects`` left to right. Raises `_RedirectFailed` (message written)."""
        stdin, out, err = io.stdin, io.out, io.err
        streams = {1: out, 2: err}
        for redirect in redirects:
            op, fd = redirect.op, redirect.fd
            if op in ("<<", "<<-"):
                body = redirect.heredoc or ""
                stdin = expand_heredoc(self, body) if redirect.heredoc_expands else body
                continue
            try:
                target = expand_word(self, redirect.target)
            except ExpansionError as error:
                self.say(error.situation, IO(stdin, streams[1], streams[2]), **error.facts)
                raise _RedirectFailed from None
            if op in (">&", "<&"):
                if target == "-":
                    streams[fd] = Null()
                elif is_number(target) and int(target) in streams:
                    streams[fd] = streams[int(target)]
                elif is_number(target) and target == "0" or op == "<&" and not is_number(target):
                    pass
                elif is_number(target):
                    # A descriptor nobody opened: the command does not run (bash: `3: Bad file descriptor`).
                    self.say("bad_fd", IO(stdin, streams[1], streams[2]), fd=target)
                    raise _RedirectFailed
                else:
                    streams[1] = streams[2] = self.open_file(target, False, streams[2])
                continue
            if op == "<":
                path = self.path(target)
                content = self.machine.read(path)
                if target == "/dev/null":
                    stdin = ""
                elif content is None:
                    self.say("is_a_directory" if self.machine.is_dir(path) else "open_input",
                             IO(stdin, streams[1], streams[2]), file=target)
                    raise _RedirectFailed
                else:
                    stdin = content.decode(errors="replace")
                continue
            if op == "<>":
                continue
            if fd in (1, 2):
                streams[fd] = self.open_file(target, op == ">>", streams[2])
        return IO(stdin, streams[1], streams[2])

    def open_file(self, target: str, append: bool, err: Stream) -> Stream:
        """A stream writing to ``target`` (``/dev/null``, ``/dev/stdout`` ...). Raises `_RedirectFailed`."""
        special = {"/dev/null": Null(), "/dev/stdout": self.stdout, "/dev/stderr": self.stderr,
                   "/dev/tty": self.stdout}
        if target in special:
            return special[target]
        path = self.path(target)
        if self.machine.is_dir(path):
            err.write(self.flavour.say("is_a_directory", self.name, self.line, self.interactive, file=target))
            raise _RedirectFailed
        parent = path.rsplit("/", 1)[0] or "/"
        if not self.machine.is_dir(parent):
            err.write(self.flavour.say("create_missing_dir", self.name, self.line, self.interactive, file=target))
            raise _RedirectFailed
        if not self.machine.may_write(path):
            err.write(self.flavour.say("create_denied", self.name, self.line, self.interactive, file=target))
            raise _RedirectFailed
        return File(self.machine, path, self.budget, append)

    # -- expansion helpers

    def substitute(self, text: str) -> str:
        """``$(text)``: run it in a subshell; its output (the caller strips trailing newlines)."""
        if self.depth >= 32:
            raise OutOfMemory(self.depth)
        capture = Capture(self.budget)
        saved_out, saved_stdin, saved_line = self.stdout, self.stdin, self.line
        self.stdout = capture
        self.depth += 1
        try:
            def body() -> int:
                io = IO(None, capture, self.stderr)
                try:
                    for command in commands(text):
                        self.execute(command, io)
                except ShellSyntaxError as error:
                    self.syntax_error(error, text)
                    self.status = 2
                return self.status
            self.substituted = self.subshell(body)
        finally:
            self.stdout, self.stdin, self.line = saved_out, saved_stdin, saved_line
            self.depth -= 1
        return capture.text()

    def glob(self, pattern: str) -> list[str]:
        """The machine's paths matching ``pattern``, sorted; [] when none (the word then stays as typed)."""
        absolute = pattern.startswith("/")
        parts = [part for part in pattern.split("/") if part]
        candidates = [("/" if absolute else "", "/" if absolute else self.cwd)]
        for index, part in enumerate(parts):
            is_last = index == len(parts) - 1
            following = []
            if not any(ch in expansion.GLOB for ch in part):
                literal = part.replace("\\", "")
                for shown, real in candidates:
                    path = normalize(f"{real}/{literal}")
                    if self.machine.exists(path):
                        following.append((f"{shown}{literal}" if shown in ("", "/") else f"{shown}/{literal}",
                                          path))
            else:
                for shown, real in candidates:
                    if not self.machine.is_dir(real):
                        continue
                    for entry in self.machine.list_dir(real):
                        if entry.startswith(".") and not part.startswith("."):
                            continue
                        if expansion.matches(part, entry):
                            path = normalize(f"{real}/{entry}")
                            if is_last or self.machine.is_dir(path):
                                following.append((f"{shown}{entry}" if shown in ("", "/") else f"{shown}/{entry}",
                                                  path))
            candidates = following
            if not candidates:
                return []
        return sorted(shown for shown, _ in candidates)
