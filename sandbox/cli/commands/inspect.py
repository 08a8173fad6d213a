"""``docker inspect``, ``image inspect``, ``container inspect``: objects as JSON, or through ``--format``."""

from __future__ import annotations

import json

from sandbox.cli.docker import Invocation
from sandbox.cli.output import Output
from sandbox.cli.platform import parse_platform
from sandbox.cli.template import TemplateSyntaxError, check_syntax, render
from sandbox.errors import NotFound, UsageError


def _lookup(machine, name: str, kind: str | None, size: bool = False) -> dict:
    engine = machine.engine
    if kind in (None, "container"):
        try:
            return engine.container_inspect(name, size=size)
        except NotFound:
            if kind == "container":
                raise
    return engine.image_inspect(name)  # --size concerns containers only


def _inspect(machine, inv: Invocation, out: Output, kind: str | None) -> int:
    kind = inv.options.get("type") or kind
    fmt = inv.options.get("format") or ""
    if fmt and fmt != "json":
        try:
            check_syntax(fmt)
        except TemplateSyntaxError as error:
            raise UsageError(f"template parsing error: {error.message}", 64) from None
    found, missing = [], []
    for name in inv.args:
        try:
            found.append(_lookup(machine, name, kind, bool(inv.options.get("size"))))
        except NotFound as error:
            missing.append(error.message if kind else f"No such object: {name}")
    if fmt and fmt != "json":
        out.print("".join(render(fmt, item) + "\n" for item in found))
    else:
        out.print(json.dumps(found, indent=4, ensure_ascii=False) + "\n")
    if missing:
        prefix = "Error response from daemon: " if kind else "Error: "
        out.err("".join(prefix + text + "\n" for text in missing))
        return 1
    return 0


def inspect(machine, inv: Invocation, out: Output) -> int:
    """``docker inspect [--type] [--format] NAME|ID...``: containers first, then images."""
    return _inspect(machine, inv, out, None)


def image_inspect(machine, inv: Invocation, out: Output) -> int:
    """``docker image inspect IMAGE...``."""
    if inv.options.get("platform"):
        parse_platform(inv.options["platform"])  # before the template, as the client does
    return _inspect(machine, inv, out, "image")


def container_inspect(machine, inv: Invocation, out: Output) -> int:
    """``docker container inspect CONTAINER...``."""
    return _inspect(machine, inv, out, "container")
