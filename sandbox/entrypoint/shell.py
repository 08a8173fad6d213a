"""``imageshare shell``: an interactive prompt that runs docker command lines against a fresh world."""

from __future__ import annotations

import argparse
import sys

from sandbox import Sandbox


def main(argv: list[str], stdin=None, stdout=None) -> int:
    """Read command lines until EOF or ``exit``; print what each prints, as a terminal would."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    parser = argparse.ArgumentParser(prog="imageshare shell", description=__doc__)
    parser.add_argument("--host", default="laptop", help="the host to type on (default: laptop)")
    options = parser.parse_args(argv)
    sandbox = Sandbox(host=options.host)
    interactive = stdin.isatty()
    if interactive:
        try:
            import readline  # noqa: F401  (gives the prompt line editing and up/down history)
        except ImportError:  # pragma: no cover - not on every platform
            pass
        stdout.write(f"imageshare sandbox: a simulated Docker world. You are on '{options.host}'. "
                     "Type docker commands; 'exit' leaves.\n")
    prompt = f"learner@{options.host}:~/project$ "
    code = 0
    while True:
        if interactive:
            try:
                line = input(prompt)
            except EOFError:
                stdout.write("\n")
                break
        else:
            line = stdin.readline()
            if not line:
                break
            line = line.rstrip("\n")
        if line.strip() in ("exit", "logout"):
            break
        answer = None
        if "--password-stdin" in line and interactive:
            import getpass

            answer = getpass.getpass("(password for --password-stdin) ")
        result = sandbox.run(line, stdin=answer)
        stdout.write(result.stdout)
        stdout.flush()
        sys.stderr.write(result.stderr)
        code = result.exit_code
    return code
