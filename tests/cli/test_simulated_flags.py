"""The flag audit (``sandbox/cli/simulated_flags.py``): every simulated command's flags are listed, refused flags
get the one plain line before anything changes, and ``docs/sandbox.md`` shows the audit as it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox import Sandbox
from sandbox.cli.cobra import resolve
from sandbox.cli.commands import HANDLERS
from sandbox.cli.simulated_flags import DOCKER_IGNORES, SIMULATED_FLAGS, audit_table

DOCS = Path(__file__).parents[2] / "docs" / "sandbox.md"


def test_every_simulated_command_has_an_audited_flag_list() -> None:
    assert set(HANDLERS) <= set(SIMULATED_FLAGS)


@pytest.mark.parametrize("key", sorted(SIMULATED_FLAGS))
def test_audited_flags_are_flags_of_the_real_command(key: str) -> None:
    assert SIMULATED_FLAGS[key] <= set(resolve(key.split()).flags)


def test_flags_docker_ignores_are_listed_as_simulated() -> None:
    for entry in DOCKER_IGNORES:
        key, _, flag = entry.rpartition(" --")
        assert flag in SIMULATED_FLAGS[key]


def test_docs_show_the_audit() -> None:
    text = DOCS.read_text()
    start = text.index("<!-- flag audit: begin -->\n") + len("<!-- flag audit: begin -->\n")
    assert text[start:text.index("<!-- flag audit: end -->")] == audit_table()


def test_refused_flag_changes_nothing() -> None:
    sb = Sandbox()
    sb.run("docker pull alpine")
    result = sb.run("docker run -d --name web -v /srv:/srv alpine sleep 60")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "docker: 'docker run --volume' is not available in this sandbox\n"
    assert sb.run("docker ps -a -q").stdout == ""


def test_a_flag_given_its_default_value_is_accepted() -> None:
    sb = Sandbox()
    sb.run("docker pull alpine")
    assert sb.run("docker run --privileged=false --rm alpine echo ok").stdout == "ok\n"


def test_client_checks_come_before_the_refusal() -> None:
    result = Sandbox().run("docker run --pid bogus -v /a:/a alpine")
    assert result.exit_code == 125 and "--pid: invalid PID mode" in result.stderr
