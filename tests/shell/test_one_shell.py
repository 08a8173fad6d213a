"""Hosts, containers and quiz setups run one shell: the same parser, executor and utilities, with only the
flavour's words and the machine's programs differing."""

from __future__ import annotations

import ast
from pathlib import Path

import sandbox
from sandbox import Sandbox
from sandbox.cli.host import host_machine
from sandbox.engine.rootfs import container_machine
from sandbox.shell import UTILITIES
from sandbox.shell.execute import Shell

PACKAGE = Path(sandbox.__file__).parent
SCRIPT = ('x=a; for i in 1 2 3; do x=$x$x; done; echo ${#x} $x | tr a A; printf "%s-%s\\n" p q r; '
          'case web.1 in web.*) echo matched;; esac; f() { echo "$# args"; }; f 1 2 | wc -l')


def test_host_and_container_install_the_same_utility_functions() -> None:
    sb = Sandbox()
    host = host_machine(sb._world.host("laptop"))
    from datetime import datetime, timezone

    alpine = container_machine(env={}, files={"/etc/alpine-release": b"3.21.3\n"}, hint="library/alpine",
                               userland=None, now=datetime(2025, 1, 1, tzinfo=timezone.utc), tty=False,
                               stdin_open=False, cwd="/")
    for name in ("cat", "grep", "head", "wc", "xargs", "ls", "printf", "sort"):
        assert host.programs[f"/usr/bin/{name}"] is UTILITIES[name]
        container_path = alpine.find(name, "/usr/sbin:/usr/bin:/sbin:/bin")
        assert alpine.programs[container_path] is UTILITIES[name], name


def test_a_script_prints_the_same_on_a_host_and_in_a_container() -> None:
    sb = Sandbox()
    on_host = sb.run(f"sh -c '{SCRIPT}'")
    in_container = sb.run(f"docker run --rm alpine sh -c '{SCRIPT}'")
    assert on_host.stdout == "8 AAAAAAAA\np-q\nr-\nmatched\n1\n"
    assert in_container.stdout.endswith(on_host.stdout)


def test_no_module_outside_the_shell_package_parses_or_runs_shell_text() -> None:
    """Only sandbox/shell defines a shell: no other module has a Shell class, a tokenizer or the utilities."""
    shell_names = {"tokenize", "Shell", "shellwords", "split_lists", "echo", "printf", "cat", "ls", "grep", "head",
                   "tail", "wc", "xargs", "tee", "uniq", "tr", "mkdir", "touch", "seq", "base64", "cd"}
    found = []
    for path in PACKAGE.rglob("*.py"):
        if "shell" in path.relative_to(PACKAGE).parts[:1]:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name.lstrip("_") in shell_names:
                found.append(f"{path.relative_to(PACKAGE)}: {node.name}")
    assert found == []


def test_host_and_container_shells_are_instances_of_one_class() -> None:
    import sandbox.cli.host as host
    import sandbox.engine.process as process

    assert host.Shell is Shell and process.Shell is Shell
