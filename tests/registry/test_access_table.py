"""Access control as a table: {anonymous, learner, alice} x {public, private, library/, nonexistent repository} x
{pull, push, push a new tag, rmi of a local copy}, on Docker Hub and on a registry:2 container, each cell checked
against the exit code and exact text Docker 28 gives (``data/access-table.yaml``). Then the ways a login must not
reach further than it should: logout revokes, a login stays on its host, and a login is for one registry only."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from sandbox import Sandbox
from sandbox.oci import familiar_name, familiar_string, parse_normalized_named

DATA = yaml.safe_load((Path(__file__).parent / "data" / "access-table.yaml").read_text(encoding="utf-8"))
OUTCOMES = DATA["outcomes"]
KNOWN_BUGS = {(bug["registry"], bug["repository"], bug["operation"]): bug["reason"] for bug in DATA["known_bugs"]}
USERS = ("anonymous", "learner", "alice")


def _cells() -> list:
    cells = []
    for table in DATA["tables"]:
        for operation, rows in table["cells"].items():
            for repository, row in rows.items():
                assert set(row) == set(USERS), f"{table['registry']} {operation} {repository}: one cell per user"
                for user, outcome in row.items():
                    marks = ()
                    reason = KNOWN_BUGS.get((table["registry"], repository, operation))
                    if reason:
                        marks = (pytest.mark.xfail(strict=True, reason=reason),)
                    cells.append(pytest.param(table, operation, repository, user, outcome, marks=marks,
                                              id=f"{table['registry']}-{operation}-{repository}-{user}"))
    return cells


CELLS = _cells()


@cache
def _seeded(address: str) -> Sandbox:
    """A world whose laptop has alpine; for a private registry, a registry:2 on port 5000 holding the table's
    repositories (alpine pushed under each name, local copies removed)."""
    sb = Sandbox()
    assert sb.run("docker pull alpine").exit_code == 0
    if address != "docker.io":
        table = next(t for t in DATA["tables"] if t["registry"] == address)
        assert sb.run("docker run -d -p 5000:5000 --name registry registry:2").exit_code == 0
        for kind, ref in table["repositories"].items():
            if kind == "nonexistent":
                continue
            for line in (f"docker tag alpine {ref}", f"docker push {ref}", f"docker rmi {ref}"):
                result = sb.run(line)
                assert result.exit_code == 0, result
    return sb


def _fill(text: str, ref: str, target: str) -> str:
    parsed, aimed = parse_normalized_named(ref), parse_normalized_named(target)
    return text.format(
        ref_familiar=familiar_string(parsed), ref_full=str(parsed), repo_familiar=familiar_name(parsed),
        repo_full=f"{aimed.domain}/{aimed.path}", tag=aimed.tag, target_familiar=familiar_string(aimed),
    )


def _log_in(sb: Sandbox, table: dict, user: str) -> None:
    if user == "anonymous":
        return
    server = "" if table["registry"] == "docker.io" else " " + table["registry"]
    result = sb.run(f"docker login{server} -u {user} --password-stdin", stdin=table["logins"][user])
    assert result.exit_code == 0, result


def _operate(sb: Sandbox, operation: str, ref: str) -> tuple[str, object]:
    """Run one operation on ``ref``; returns the reference it acted on and the result of its last command."""
    if operation == "pull":
        return ref, sb.run(f"docker pull {ref}")
    target = ref if operation != "push-new-tag" else ref.rsplit(":", 1)[0] + ":new-tag"
    assert sb.run(f"docker tag alpine {target}").exit_code == 0
    command = "rmi" if operation == "rmi" else "push"
    return target, sb.run(f"docker {command} {target}")


@pytest.mark.parametrize(("table", "operation", "repository", "user", "outcome"), CELLS)
def test_access_cell(table: dict, operation: str, repository: str, user: str, outcome: str) -> None:
    sb = _seeded(table["registry"]).fork()
    _log_in(sb, table, user)
    ref = table["repositories"][repository]
    before = {name: sb.registry_image_id(name) for name in (ref, ref.rsplit(":", 1)[0] + ":new-tag")}
    target, result = _operate(sb, operation, ref)
    expected = OUTCOMES[outcome]
    where = f"{user} {operation} {ref}:\n{result!r}"
    assert result.exit_code == expected["exit"], where
    if expected.get("stderr") is not None:
        assert result.stderr == _fill(expected["stderr"], ref, target), where
    if "stdout" in expected:
        assert result.stdout == _fill(expected["stdout"], ref, target), where
    for text in expected.get("stdout_has", ()):
        assert _fill(text, ref, target) in result.stdout, where
    after = {name: sb.registry_image_id(name) for name in before}
    if expected["registry"] == "pushed":
        assert after[target] == sb.image_id("alpine"), f"the registry does not hold {target}"
        assert {k: v for k, v in after.items() if k != target} == {k: v for k, v in before.items() if k != target}
    else:
        assert after == before, f"the registry changed: {before} -> {after}"


def test_the_table_has_every_combination() -> None:
    for table in DATA["tables"]:
        assert set(table["repositories"]) == {"public", "private", "library", "nonexistent"}
        assert set(table["cells"]) == {"pull", "push", "push-new-tag", "rmi"}
        assert all(set(rows) == set(table["repositories"]) for rows in table["cells"].values())
    assert len(CELLS) == 2 * 3 * 4 * 4


# Logins reach no further than they should ----------------------------------------------------------------------

DENIED = "denied: requested access to the resource is denied\n"


def test_logout_revokes_push_rights() -> None:
    sb = _seeded("docker.io").fork()
    _log_in(sb, DATA["tables"][0], "alice")
    sb.run("docker tag alpine alice/hello-web:first")
    assert sb.run("docker push alice/hello-web:first").exit_code == 0
    assert sb.run("docker logout").stdout == "Removing login credentials for https://index.docker.io/v1/\n"
    sb.run("docker tag alpine alice/hello-web:second")
    result = sb.run("docker push alice/hello-web:second")
    assert (result.exit_code, result.stderr) == (1, DENIED)
    assert sb.registry_image_id("alice/hello-web:second") is None
    assert sb.logged_in_user() is None


def test_logout_revokes_private_pulls() -> None:
    sb = Sandbox()
    _log_in(sb, DATA["tables"][0], "alice")
    assert sb.run("docker pull alice/secret-app:1.0").exit_code == 0
    sb.run("docker logout")
    sb.run("docker rmi alice/secret-app:1.0")
    result = sb.run("docker pull alice/secret-app:1.0")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error response from daemon: pull access denied for alice/secret-app,")


def test_a_login_on_one_host_does_not_reach_another_host() -> None:
    sb = _seeded("docker.io").fork()
    _log_in(sb, DATA["tables"][0], "alice")
    server = sb.host("server")
    assert server.run("docker pull alpine").exit_code == 0
    server.run("docker tag alpine alice/hello-web:from-server")
    result = server.run("docker push alice/hello-web:from-server")
    assert (result.exit_code, result.stderr) == (1, DENIED)
    assert server.logged_in_user() is None and sb.logged_in_user() == "alice"
    assert server.run("cat ~/.docker/config.json").exit_code == 1
    pulled = server.run("docker pull alice/secret-app:1.0")
    assert pulled.exit_code == 1 and "pull access denied for alice/secret-app" in pulled.stderr


def test_a_login_to_a_private_registry_does_not_grant_docker_hub() -> None:
    sb = _seeded("localhost:5000").fork()
    result = sb.run("docker login localhost:5000 -u alice --password-stdin", stdin="alice-pass")
    assert result.exit_code == 0
    assert sb.logged_in_user("localhost:5000") == "alice" and sb.logged_in_user() is None
    sb.run("docker tag alpine alice/hello-web:via-local-login")
    pushed = sb.run("docker push alice/hello-web:via-local-login")
    assert (pushed.exit_code, pushed.stderr) == (1, DENIED)
    pulled = sb.run("docker pull alice/secret-app:1.0")
    assert pulled.exit_code == 1 and "pull access denied for alice/secret-app" in pulled.stderr


def test_a_docker_hub_login_is_not_sent_to_another_registry() -> None:
    sb = _seeded("localhost:5000").fork()
    _log_in(sb, DATA["tables"][0], "alice")
    assert sb.logged_in_user("localhost:5000") is None
    sb.run("docker logout localhost:5000")
    assert sb.logged_in_user() == "alice", "logging out of one registry keeps the other login"
