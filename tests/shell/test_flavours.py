"""The shell answers as bash, dash and BusyBox ash do: each case of ``data/flavours.yaml`` runs as ``sh -c`` in each
flavour on a bare machine (GNU utilities for bash and dash, BusyBox ones for ash)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sandbox.shell import ASH, BASH, DASH, UTILITIES, Machine, Shell, shell_program

CASES = yaml.safe_load((Path(__file__).parent / "data" / "flavours.yaml").read_text())
FLAVOURS = {"bash": BASH, "dash": DASH, "ash": ASH}


def sh_c(flavour_name: str, script: str, args: list[str] | None = None) -> tuple[str, str, int]:
    """``sh -c SCRIPT ARGS`` on a machine with /tmp, the utilities and the shell; (stdout, stderr, status)."""
    flavour = FLAVOURS[flavour_name]
    name = "bash" if flavour_name == "bash" else "sh"
    programs = {f"/bin/{tool}": program for tool, program in UTILITIES.items()}
    programs[f"/bin/{name}"] = shell_program(flavour)
    machine = Machine(files={}, directories={"/tmp", "/root"}, programs=programs,
                      tools="busybox" if flavour_name == "ash" else "gnu")
    streams = {"stdout": [], "stderr": []}
    outer = Shell(machine, flavour, lambda stream, text: streams[stream].append(text), name=name,
                  variables={"PATH": "/bin", "HOME": "/root"}, exported={"PATH", "HOME"})
    argv = [name, "-c", script, *(args or [])]
    status = outer.run_command(argv, _io(outer), 1)
    return "".join(streams["stdout"]), "".join(streams["stderr"]), status


def _io(shell: Shell):
    from sandbox.shell.execute import IO

    return IO(None, shell.stdout, shell.stderr)


@pytest.mark.parametrize("flavour", ["bash", "dash", "ash"])
@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_each_shell_prints_its_own_words(case: dict, flavour: str) -> None:
    expected = case.get(flavour) or case["all"]
    stdout, stderr, status = sh_c(flavour, case["script"], case.get("args"))
    assert stdout == expected.get("stdout", ""), (flavour, stdout)
    assert stderr == expected.get("stderr", ""), (flavour, stderr)
    assert status == expected.get("status", 0)
