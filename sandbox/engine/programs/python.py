"""python's image: ``python`` (scripts, ``-c``, ``-m http.server``, the REPL, pipe buffering); ``pip`` is with the
other package managers in ``packages.py``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sandbox.engine.programs.common import read, repl, write
from sandbox.engine.programs.sources import log_calls
from sandbox.shell import Blocked

if TYPE_CHECKING:
    from sandbox.shell import Call


def python(call: "Call") -> int:
    argv = call.argv
    version = call.env.get("PYTHON_VERSION", "3.13.3")
    compiler = "GCC 14.2.0" if call.shell.machine.userland == "alpine" else "GCC 12.2.0"
    args = argv[1:]
    unbuffered = bool(call.env.get("PYTHONUNBUFFERED")) or call.shell.machine.tty
    while args and args[0] in ("-u", "-B", "-O", "-I", "-E", "-s"):
        unbuffered = unbuffered or args[0] == "-u"
        args = args[1:]
    if not args:
        banner = (f"Python {version} (main, Apr  9 2025, 01:55:17) [{compiler}] on linux\n"
                  'Type "help", "copyright", "credits" or "license" for more information.\n>>> ')
        return repl(call, banner)
    option = args[0]
    if option in ("-V", "--version"):
        call.out(f"Python {version}\n")
        return 0
    if option == "-c" and len(args) > 1:
        return _run_python_source(call, args[1], keep_running=False, unbuffered=True)
    if option == "-m" and len(args) > 1:
        if args[1] == "http.server":
            port = next((a for a in args[2:] if a.isdigit()), "8000")
            message = f"Serving HTTP on 0.0.0.0 port {port} (http://0.0.0.0:{port}/) ...\n"
            if unbuffered:
                call.out(message)
            raise Blocked
        return 0
    if option.startswith("-"):
        return 0
    path = option if option.startswith("/") else f"{call.shell.cwd}/{option}"
    content = read(call, option)
    if content is None:
        call.err(f"{argv[0]}: can't open file '{path}': [Errno 2] No such file or directory\n")
        return 2
    source = content.decode(errors="replace")
    keep = bool(re.search(r"serve_forever\(|\.run\(|uvicorn|while True:|app\.listen|\.serve\(", source))
    return _run_python_source(call, source, keep_running=keep, unbuffered=unbuffered)


def _run_python_source(call: "Call", source: str, keep_running: bool, unbuffered: bool) -> int:
    for stream, value in log_calls(source, r"(?<![\w.])print\(", "py"):
        if stream == "stderr" or unbuffered or not keep_running:
            write(call, stream, f"{value}\n")
    exit_call = re.search(r"(?:sys\.exit|exit|quit)\((\d+)\)", source)
    if keep_running:
        raise Blocked
    return int(exit_call.group(1)) if exit_call else 0
