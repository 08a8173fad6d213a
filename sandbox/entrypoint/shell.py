"""``imageshare shell``: an interactive prompt that runs docker command lines against a fresh world.

At a terminal it behaves as a learner's shell does: up/down recall earlier lines (readline), ``docker login -u
learner`` asks for the password without echoing it (so it lands in no history), Ctrl-C abandons the line being typed
or answered and gives a new prompt (``exit``, ``logout`` or Ctrl-D leave), and ``ssh NAME`` reaches another machine
of the same world (the prompt says which; ``exit`` comes back), as does a line typed after that machine's prompt
(``server$ docker images``).
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys

from sandbox import Sandbox
from sandbox.sandbox import PLACEHOLDER_ANSWERS
from sandbox.quiz.commands import split_prompt

#: A host name as the sandbox takes it.
HOST_NAME = re.compile(r"[a-z][a-z0-9-]{0,62}")
#: ``ssh NAME`` (or ``ssh USER@NAME``): go to another machine of the world.
SSH = re.compile(r"\s*ssh\s+(?:[A-Za-z0-9._-]+@)?(\S+)\s*\Z")
#: The exit code of a line abandoned with Ctrl-C (128 + SIGINT), as bash reports it.
INTERRUPTED = 130


def main(argv: list[str], stdin=None, stdout=None, ask=None) -> int:
    """Read command lines until EOF or ``exit``; print what each prints, as a terminal would.

    ``ask(prompt, secret)`` answers the questions a line asks (default: ``input``, or ``getpass`` for a secret).
    """
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    parser = argparse.ArgumentParser(prog="imageshare shell", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="laptop", help="the host to type on (default: laptop)")
    options = parser.parse_args(argv)
    if not HOST_NAME.fullmatch(options.host):
        parser.error(f"{options.host!r} is not a host name: lowercase letters, digits and '-', starting with a letter")
    sandbox = Sandbox(host=options.host)
    interactive = stdin.isatty()
    ask = ask or _ask_terminal
    if interactive:
        try:
            import readline  # noqa: F401  (gives the prompt line editing and up/down history)
        except ImportError:  # pragma: no cover - not on every platform
            pass
        stdout.write(f"imageshare sandbox: a simulated Docker world. You are on '{options.host}'. "
                     "Type docker commands; 'ssh server' reaches another machine; 'exit' leaves.\n")
    sessions = [options.host]  # the machines ssh'd into, the current one last
    code = 0
    while True:
        host = sessions[-1]
        try:
            line = _read(stdin, stdout, f"learner@{host}:~/project$ ", interactive)
        except KeyboardInterrupt:  # Ctrl-C abandons the line, as in bash
            stdout.write("\n")
            code = INTERRUPTED
            continue
        if line is None:
            break
        if line.strip() in ("exit", "logout"):
            if len(sessions) > 1:
                sessions.pop()
                stdout.write(f"Connection to {host} closed.\n")
                continue
            break
        went = SSH.match(line)
        if went:
            code = _ssh(went.group(1), sessions, stdout)
            continue
        on, typed = split_prompt(line)
        code = _run(sandbox, on if on and HOST_NAME.fullmatch(on) else host, typed if on else line, interactive,
                    ask, stdout, stdin)
    return code


def _read(stdin, stdout, prompt: str, interactive: bool) -> str | None:
    """The next line typed (None at end of input)."""
    if interactive:
        try:
            return input(prompt)
        except EOFError:
            stdout.write("\n")
            return None
    line = stdin.readline()
    return line.rstrip("\n") if line else None


def _ssh(name: str, sessions: list[str], stdout) -> int:
    """Go to machine ``name`` (its prompt follows); 255 for a name that is no machine, as ssh exits."""
    if not HOST_NAME.fullmatch(name):
        sys.stderr.write(f"ssh: Could not resolve hostname {name}: Name or service not known\n")
        return 255
    sessions.append(name)
    stdout.write(f"(imageshare: you are on {name} now, a machine of the same world with its own images; "
                 "'exit' comes back)\n")
    return 0


def _run(sandbox: Sandbox, host: str, line: str, interactive: bool, ask, stdout, stdin=None) -> int:
    """Run one line on ``host``, asking its questions first at a terminal (a password without echo).

    What the line prints before its first question is shown before asking (from a trial run in a fork of the world,
    as it does not depend on the answers), then the questions are asked, then the line runs with the answers on its
    stdin and the rest of what it prints follows.
    """
    handle = sandbox.host(host)
    asked = handle.prompts(line) if interactive else ()
    answers = []
    if asked:
        trial = sandbox.fork().host(host).run(line, stdin=PLACEHOLDER_ANSWERS)
        _write(_before_prompts(trial.chunks, asked[0]), stdout)
    for prompt in asked:
        try:
            answer = ask(prompt, prompt.startswith("Password"))
        except KeyboardInterrupt:  # Ctrl-C at the prompt: docker gives up and nothing happens
            stdout.write("\n")
            return INTERRUPTED
        except EOFError:
            answer = ""
        answers.append(answer)
    result = handle.run(line, stdin="".join(a + "\n" for a in answers) if asked else None, terminal=interactive)
    _write(_after_prompts(result.chunks, asked) if asked else result.chunks, stdout)
    inside = handle.attach(result)
    return _inside(inside, stdin, stdout, interactive) if inside is not None else result.exit_code


def _inside(terminal, stdin, stdout, interactive: bool) -> int:
    """Lines typed at a container's prompt (``docker run -it alpine sh``) run in the container until ``exit`` or
    Ctrl-D, then the host's prompt returns, as in a terminal."""
    result = None
    while terminal.open:
        try:
            line = _read(stdin, stdout, terminal.prompt, interactive)
        except KeyboardInterrupt:  # Ctrl-C at the container's prompt abandons the line
            stdout.write("\n")
            continue
        result = terminal.eof() if line is None else terminal.run(line)
        _write(result.chunks, stdout)
    return result.exit_code if result is not None else 0


def _write(chunks, stdout) -> None:
    for stream, text in chunks:
        target = sys.stderr if stream == "stderr" else stdout
        target.write(text)
        target.flush()


def _before_prompts(chunks, first: str) -> list:
    """The chunks printed before the first question."""
    out = []
    for stream, text in chunks:
        if stream == "stdout" and text == first:
            break
        out.append((stream, text))
    return out


def _after_prompts(chunks, asked: tuple[str, ...]) -> list:
    """The chunks after the last question and the newline its answer ended (the terminal showed the rest)."""
    out = list(chunks)
    last = max((i for i, (stream, text) in enumerate(out) if stream == "stdout" and text in asked), default=-1)
    start = last + 1
    if start < len(out) and out[start] == ("stdout", "\n"):
        start += 1
    return out[start:]


def _ask_terminal(prompt: str, secret: bool) -> str:
    """Ask at the terminal: a secret with ``getpass`` (nothing echoed, nothing in the history)."""
    return getpass.getpass(prompt) if secret else input(prompt)
