"""node's image: its entrypoint, ``node`` (script files, ``-e``, ``-p``, the REPL) and ``npm start``."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from sandbox.engine.programs.common import entrypoint_exec, join, read, repl, resolve, write
from sandbox.engine.programs.packages import npm_install
from sandbox.engine.programs.sources import evaluate, log_calls
from sandbox.shell import Blocked

if TYPE_CHECKING:
    from sandbox.shell import Call

#: npm as bundled with each Node.js release of the catalogue.
NPM_VERSIONS = {"20": "10.8.2", "22": "10.9.2", "23": "10.9.2"}


def node_entrypoint(call: "Call") -> int:
    argv = call.argv
    args = argv[1:] or ["node"]
    first = args[0]
    content = read(call, first)
    plain_file = content is not None and not content.startswith(b"#!")  # `[ -f "$1" ] && ! [ -x "$1" ]`
    if first.startswith("-") or resolve(call, first) is None or plain_file:
        args = ["node", *args]
    return entrypoint_exec(call, "/usr/local/bin/docker-entrypoint.sh", 11, args)


def node(call: "Call") -> int:
    argv = call.argv
    version = call.env.get("NODE_VERSION", "20.19.0")
    args = argv[1:]
    if not args:
        return repl(call, f'Welcome to Node.js v{version}.\nType ".help" for more information.\n> ')
    option = args[0]
    if option in ("-v", "--version"):
        call.out(f"v{version}\n")
        return 0
    if option in ("-e", "--eval", "-p", "--print") and len(args) > 1:
        code = args[1]
        if option in ("-p", "--print"):
            value = evaluate(code, "js")
            call.out(f"{value if value is not None else 'undefined'}\n")
            return 0
        return _run_js_source(call, code, keep_running=False)
    if option.startswith("-"):
        return 0
    path = join(call.shell.cwd, option)
    candidates = [path] if path.endswith((".js", ".mjs", ".cjs")) else [path, path + ".js"]
    found = next((c for c in candidates if c in call.shell.machine.files), None)
    if found is None:
        call.err(_node_missing_module(path, version))
        return 1
    source = call.shell.machine.files[found].decode(errors="replace")
    keep = bool(re.search(r"\.listen\(|setInterval\(|createServer\(", source))
    return _run_js_source(call, source, keep_running=keep)


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


def _run_js_source(call: "Call", source: str, keep_running: bool) -> int:
    for stream, value in log_calls(source, r"console\.(log|error|warn|info)\(", "js"):
        write(call, stream, f"{value}\n")
    if keep_running:
        raise Blocked
    return 0


def npm(call: "Call") -> int:
    argv = call.argv
    args = argv[1:]
    major = call.env.get("NODE_VERSION", "20").split(".")[0]
    if args[:1] in (["-v"], ["--version"]):
        call.out(NPM_VERSIONS.get(major, "10.9.2") + "\n")
        return 0
    if args[:1] in (["install"], ["i"], ["ci"]):
        return npm_install(call, [a for a in args[1:] if not a.startswith("-")])
    if args[:1] in (["start"], ["run"]):
        script_name = "start" if args[0] == "start" else (args[1] if len(args) > 1 else "")
        manifest = read(call, "package.json")
        if manifest is None:
            where = join(call.shell.cwd, "package.json")
            call.err(f"npm error code ENOENT\nnpm error syscall open\nnpm error path {where}\n"
                   "npm error errno -2\nnpm error enoent Could not read package.json\n")
            return 254
        package = json.loads(manifest.decode() or "{}")
        command = (package.get("scripts") or {}).get(script_name)
        if command is None:
            call.err(f'npm error Missing script: "{script_name}"\n')
            return 1
        call.out(f"\n> {package.get('name', '')}@{package.get('version', '')} {script_name}\n> {command}\n\n")
        return call.run(["sh", "-c", command])  # npm runs scripts with sh -c
    return 0
