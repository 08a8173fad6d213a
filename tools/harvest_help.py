"""Regenerate the docker client's facts from the real client: help texts, and the outputs frozen in argv fixtures.

Usage (from the repository root, with a real ``docker`` 28.x client on PATH; no daemon needed)::

    .venv/bin/python tools/harvest_help.py help                 # rewrite sandbox/cli/spec/docker*.txt
    .venv/bin/python tools/harvest_help.py fixtures [FILE...]   # refill tests/cli/data/argv-*.yaml outputs

The client hides some flags and commands depending on the daemon it talks to (experimental flags, Windows-only
flags, swarm-manager commands) and, with no daemon at all, assumes an experimental daemon of any OS.  A learner's
client talks to a stock Linux dockerd, so this tool answers the client's ``/_ping`` from a stand-in daemon on a
private unix socket with the headers dockerd 28.2 sends (API 1.50, linux, not experimental, swarm inactive,
BuildKit).  Every other request gets a 404, which no harvested text depends on.

Help is printed for a terminal-less stdin (80 columns, the client's fallback), with HOME=/root, which shows in the
defaults of ``--config`` and ``--tls*``.
"""

from __future__ import annotations

import argparse
import http.server
import os
import re
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "sandbox" / "cli" / "spec"
FIXTURES = ROOT / "tests" / "cli" / "data"

#: What dockerd 28.2 answers on /_ping (moby api/server/router/system/system_routes.go).
PING_HEADERS = {
    "Api-Version": "1.50",
    "Builder-Version": "2",
    "Docker-Experimental": "false",
    "Ostype": "linux",
    "Server": "Docker/28.2.2 (linux)",
    "Swarm": "inactive",
    "Cache-Control": "no-cache, no-store, must-revalidate",
    "Pragma": "no-cache",
}
#: The start of the warning the client prints on stderr before any build command when buildx is not installed.
LEGACY_BUILDER = "DEPRECATED: The legacy builder is deprecated"
#: Sections of a help text that list subcommands, as the client's usage template names them.
COMMAND_SECTIONS = ("Common Commands:", "Management Commands:", "Swarm Commands:", "Commands:")


class _PingHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self, with_body: bool) -> None:
        if self.path.split("?")[0].endswith("/_ping"):
            status, body = 200, b"OK"
            headers = dict(PING_HEADERS, **{"Content-Type": "text/plain; charset=utf-8"})
        else:
            status, body = 404, b'{"message":"page not found"}\n'
            headers = {"Api-Version": "1.50", "Content-Type": "application/json"}
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(with_body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(with_body=True)

    do_POST = do_DELETE = do_PUT = do_GET

    def address_string(self) -> str:
        return "docker-client"

    def log_message(self, *args: object) -> None:
        pass


class _UnixHTTPServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def get_request(self):  # BaseHTTPRequestHandler wants a (host, port) client address
        request, _ = super().get_request()
        return request, ("local", 0)


class StandInDaemon:
    """A unix socket that answers the client's ping like dockerd on Linux; ``env`` points a client at it."""

    def __enter__(self) -> StandInDaemon:
        self._dir = tempfile.mkdtemp(prefix="dockerd-")
        sock = os.path.join(self._dir, "docker.sock")
        self._server = _UnixHTTPServer(sock, _PingHandler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.env = {"PATH": os.environ["PATH"], "HOME": "/root", "DOCKER_HOST": f"unix://{sock}", "LANG": "C"}
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        shutil.rmtree(self._dir, ignore_errors=True)

    def run(self, argv: list[str]) -> tuple[str, str, int]:
        """Run the real client with ``argv`` (``argv[0] == "docker"``); return stdout, stderr and exit code."""
        done = subprocess.run(
            argv, capture_output=True, text=True, env=self.env, stdin=subprocess.DEVNULL, timeout=60, cwd="/"
        )
        return done.stdout, done.stderr, done.returncode


def subcommands(help_text: str) -> list[str]:
    """The command names a help text lists in its command sections."""
    names, listing = [], False
    for line in help_text.splitlines():
        if line in COMMAND_SECTIONS:
            listing = True
        elif listing and line.startswith("  "):
            names.append(line.split()[0].rstrip("*"))
        elif line.strip():
            listing = False
    return names


def help_file(path: tuple[str, ...]) -> Path:
    """Where the help text of the command at ``path`` (without ``docker``) is stored."""
    return SPEC / ("-".join(("docker",) + path) + ".txt")


def harvest_help(daemon: StandInDaemon) -> int:
    """Rewrite every help text of the client's command tree; return how many were written."""
    for old in SPEC.glob("docker*.txt"):
        old.unlink()
    todo: list[tuple[str, ...]] = [(), ("help",)]  # cobra's help command is listed nowhere
    written = 0
    while todo:
        path = todo.pop(0)
        out, err, code = daemon.run(["docker", *path, "--help"])
        if code != 0 or (err and not err.startswith(LEGACY_BUILDER)):
            raise SystemExit(f"docker {' '.join(path)} --help: exit {code}: {err}")
        help_file(path).write_text(out)
        written += 1
        todo.extend(path + (name,) for name in subcommands(out) if name != "help")
    return written


def _literal(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text and not any(line != line.rstrip() for line in text.splitlines()) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


class _FixtureDumper(yaml.SafeDumper):
    pass


def _argv(dumper: yaml.SafeDumper, items: list) -> yaml.SequenceNode:
    flow = all(isinstance(item, str) and "\n" not in item for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_FixtureDumper.add_representer(str, _literal)
_FixtureDumper.add_representer(list, _argv)


def harvest_fixtures(daemon: StandInDaemon, files: list[Path]) -> int:
    """Refill the real client's outputs into every case without ``parsed`` or ``by_hand``; return the count."""
    refreshed = 0
    for file in files:
        document = yaml.safe_load(file.read_text())
        for case in document["cases"]:
            if "parsed" in case or "by_hand" in case:
                continue
            out, err, code = daemon.run(case["argv"])
            case["stdout"], case["stderr"], case["exit_code"] = out, err, code
            refreshed += 1
        header = "".join(line + "\n" for line in file.read_text().splitlines() if line.startswith("#"))
        body = yaml.dump(document, Dumper=_FixtureDumper, sort_keys=False, allow_unicode=True, width=120)
        file.write_text(header + body)
    return refreshed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("help", "fixtures"))
    parser.add_argument("files", nargs="*", type=Path)
    options = parser.parse_args(argv)
    version = subprocess.run(["docker", "--version"], capture_output=True, text=True).stdout.strip()
    if not re.match(r"Docker version 28\.", version):
        print(f"warning: the spec was taken from Docker 28.2.2, this client is {version!r}", file=sys.stderr)
    with StandInDaemon() as daemon:
        if options.what == "help":
            print(f"{harvest_help(daemon)} help texts written to {SPEC.relative_to(ROOT)}")
        else:
            files = options.files or sorted(FIXTURES.glob("argv-*.yaml"))
            print(f"{harvest_fixtures(daemon, files)} cases refreshed in {len(files)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
