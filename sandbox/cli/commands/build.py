"""``docker build``: send the context to the daemon and draw BuildKit's progress as a terminal shows it at the end."""

from __future__ import annotations

import posixpath

from sandbox.cli.docker import Invocation
from sandbox.cli.golang import go_quote
from sandbox.cli.output import Output
from sandbox.cli.host import resolve_path

#: BuildKit's display ends every row at column width-1 of an 80-column terminal.
WIDTH = 79


def _context(machine, directory: str) -> dict[str, bytes]:
    prefix = directory.rstrip("/") + "/"
    return {path[len(prefix):]: data for path, data in machine.files.items() if path.startswith(prefix)}


def build(machine, inv: Invocation, out: Output) -> int:
    """``docker build [OPTIONS] PATH``."""
    directory = resolve_path(machine, inv.args[0])
    if directory not in machine.files and not any(p.startswith(directory.rstrip("/") + "/") for p in machine.files):
        if directory != machine.cwd:
            out.err(f'ERROR: failed to build: unable to prepare context: path "{inv.args[0]}" not found\n')
            return 1
    context = _context(machine, directory)
    dockerfile_option = inv.options.get("file") or ""
    if dockerfile_option and dockerfile_option != "-":
        dockerfile_path = resolve_path(machine, dockerfile_option)
        shown_name = posixpath.basename(dockerfile_path)
    else:
        dockerfile_path = posixpath.join(directory, "Dockerfile")
        shown_name = "Dockerfile"
    data = machine.files.get(dockerfile_path)
    if dockerfile_option == "-":
        data = (out.stdin or "").encode()
    text = data.decode("utf-8", "replace") if data is not None else None
    build_args = {}
    for item in inv.options.get("build-arg") or ():
        name, _, value = item.partition("=")
        build_args[name] = value
    labels = {}
    for item in inv.options.get("label") or ():  # buildx listToMap: KEY=VALUE, or KEY for an empty value
        name, _, value = item.partition("=")
        if not name:
            out.err(f"ERROR: invalid key-value pair {go_quote(item)}: empty key\n")
            return 1
        labels[name] = value
    tags = list(inv.options.get("tag") or ())
    report = machine.engine.image_build(
        context, shown_name, text, tags, build_args, no_cache=bool(inv.options.get("no-cache")),
        pull=bool(inv.options.get("pull")), target=str(inv.options.get("target") or ""), labels=labels,
    )
    if not inv.options.get("quiet") or report.error is not None:  # -q shows only the ID, or the failure
        out.err(_screen(report, machine))
    if report.error is not None:
        out.err(_excerpt(report, shown_name))
        out.err(f"ERROR: {report.error.message}\n")  # buildx v0.24, shipped with Docker 28.2.2
        return 1
    if inv.options.get("quiet"):
        out.print(report.image.id + "\n")
    if inv.options.get("iidfile"):  # buildx writes the image ID, without a newline, once the build succeeded
        machine.files[resolve_path(machine, str(inv.options["iidfile"]))] = report.image.id.encode()
    return 0


def _line(left: str, seconds: float) -> str:
    right = f"{seconds:.1f}s"
    room = WIDTH - len(right) - 1
    if len(left) > room - 1:  # a cut name keeps two spaces before the timer
        left = left[: room - 1]
    return left.ljust(room) + " " + right + "\n"


def _screen(report, machine) -> str:
    total = round(sum(step.seconds for step in report.steps), 1)
    head = f"[+] Building {total:.1f}s ({len(report.steps)}/{len(report.steps)}) FINISHED"
    lines = [head.ljust(WIDTH - len("docker:default")) + "docker:default\n"]
    for step in report.steps:
        flag = "CACHED " if step.cached else "ERROR " if step.error else ""
        lines.append(_line(f" => {flag}{step.name}", step.seconds))
        for text, seconds in step.details:
            lines.append(_line(f" => => {text}", seconds))
    return "".join(lines)


def _excerpt(report, name: str) -> str:
    """The failing step's log block and the Dockerfile lines around the error, as buildx prints them."""
    shown = []
    failed = [step for step in report.steps if step.error and not step.name.startswith("[internal] load build")]
    for step in failed:
        shown.append(f"------\n > {step.name}:\n" + "".join(f"{line}\n" for line in step.logs[-10:]) + "------\n")
    if report.error_line is None:
        return "".join(shown)
    lines = report.dockerfile.split("\n")
    first = report.error_line
    last = report.error_end_line or first
    start, end = first, last
    # buildx widens the window one line each side per round until it has padded enough (4 for one line, else 2)
    pad, p = (4 if first == last else 2), 0
    while p < pad:
        if start > 1:
            start -= 1
            p += 1
        if end < len(lines):
            end += 1
            p += 1
        p += 1
    shown += [f"{name}:{first}" + (f"-{last}" if last != first else "") + "\n", "-" * 20 + "\n"]
    for number in range(start, end + 1):
        marker = ">>>" if first <= number <= last else "   "
        shown.append(f" {number:3d} | {marker} {lines[number - 1]}\n")
    shown.append("-" * 20 + "\n")
    return "".join(shown)
