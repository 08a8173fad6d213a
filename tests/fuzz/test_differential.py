"""The sandbox's client against the real one: mutated command lines go to the docker 28.2.2 client (pointed at a
socket where no daemon listens) and to the sandbox; wherever the real client answers by itself (usage errors, flag
values, references, templates, login flags, logout), the sandbox must print the same bytes with the same exit code.

The differential run needs ``docker`` 28.2.2 on PATH and is skipped without it. Then come the differences it found,
each with the real client's text written out, so they run everywhere.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from sandbox import Sandbox

from . import tally
from .budget import profile
from .known_bugs import known_bug
from .mutation import Mutator

DOCKER = shutil.which("docker")
BUDGET = {"dev": 150, "ci": 1_000}
#: What the real client prints when it needs the daemon: from there on the sandbox simulates, nothing to compare.
NEEDS_DAEMON = re.compile(r"Cannot connect to the Docker daemon|no such host|dial tcp|connection refused|"
                          r"no Host in request URL")
#: Differences by design: commands the sandbox does not simulate; the sandbox's client has buildx where the
#: harvested one had the legacy builder; a learner types at a terminal (TTY) while this client reads a pipe; help
#: without a daemon lists swarm commands (and `docker volume` its cluster-only `update`), Windows-only and
#: experimental (checkpoint) flags; contexts (`-c NAME`) are not simulated; with no daemon to ask, `docker login`
#: checks the server address itself (the sandbox's daemon words it with "Error response from daemon: ").
BY_DESIGN = re.compile(r"is not available in this sandbox|interactive login from a non TTY device|"
                       r"A self-sufficient runtime for containers|\(cluster volumes only\)|\(Windows only\)|"
                       r"Usage:  docker (?:node|service|stack|secret|config|swarm)\b|"
                       r"DEPRECATED: The legacy builder|the input device is not a TTY|context not found|"
                       r"--checkpoint string|unable to parse server address")
#: Differences found and not yet fixed: the commands they concern (None: any) and the real client's text that marks
#: each. (Namespace modes, --expose, env files, platforms and --restart with --rm were filed here and are now exact.)
FILED: dict[str, tuple[tuple[str, ...] | None, re.Pattern[str]]] = {
    # run/create flags of features the sandbox does not simulate (devices, mounts, volumes, links, GPUs, security
    # options, storage options, user-defined networks): their values pass unchecked.
    "unvalidated-flag-values": (None, re.compile(
        r'for "--(?:device-(?:read|write)-(?:bps|iops)|blkio-weight-device|device-cgroup-rule|ulimit|mount|link|'
        r'gpus|dns-search)" flag|'
        r"unknown server OS|invalid empty volume spec|Invalid --security-opt|invalid storage option|"
        r"network-scoped aliases")),
    # The template checker follows Go's lexer, not all of its parser: an operand glued to another (`{{.A..B}}`)
    # is not refused at parse time.
    "template-parser": (None, re.compile(r"template: :1: unexpected <")),
}
ENV_KEYS = ("PATH", "LANG")


def _real(argv: list[str], config: str) -> tuple[int, str, str] | None:
    """The real client's exit code, stdout and stderr; None when it could not answer (no exec, a network wait)."""
    env = {key: os.environ[key] for key in ENV_KEYS if key in os.environ}
    env.update(DOCKER_HOST="unix:///nonexistent.sock", DOCKER_CONFIG=config, HOME=config)
    # in the scratch directory: some commands write files where they run (docker context export, save -o, cp)
    try:
        done = subprocess.run([DOCKER, *argv[1:]], capture_output=True, env=env, timeout=20,
                              stdin=subprocess.DEVNULL, cwd=config)
    except subprocess.TimeoutExpired:  # it went looking for a registry host (`docker login -u x SERVER`)
        return None
    except OSError:  # a mutant too long for exec (E2BIG): the real client never ran
        return None
    decode = lambda raw: raw.decode("utf-8", "surrogateescape")  # noqa: E731
    return done.returncode, decode(done.stdout), decode(done.stderr)


def _real_version() -> str:
    if DOCKER is None:
        return ""
    return subprocess.run([DOCKER, "--version"], capture_output=True, text=True, timeout=20).stdout


@pytest.mark.skipif(not _real_version().startswith("Docker version 28.2.2,"), reason="needs the docker 28.2.2 client")
def test_client_side_answers_match_the_real_client(tmp_path) -> None:
    base = Sandbox()
    base.run("docker pull alpine")
    compared, seen, filed = 0, set(), {}
    for line, argv, _ in Mutator(17).lines(BUDGET[profile()] * 4):
        if len(seen) >= BUDGET[profile()]:
            break
        if not argv or argv[0] != "docker" or tuple(argv) in seen or any("\x00" in w or "\udcff" in w for w in argv):
            continue
        seen.add(tuple(argv))
        if {"build", "builder", "buildx"} & set(argv[1:3]) or known_bug(line):  # buildx: a plugin the real one lacks
            continue
        real = _real(argv, str(tmp_path))
        if real is None or NEEDS_DAEMON.search(real[1] + real[2]):
            continue
        code, out, err = real
        result = base.fork().run(line, stdin="")
        if BY_DESIGN.search(result.output + out + err):
            continue
        compared += 1
        if (result.exit_code, result.stdout, result.stderr) == (code, out, err):
            continue
        reason = next((name for name, (words, mark) in FILED.items()
                       if mark.search(out + err) and (words is None or set(words) & set(argv[1:3]))), None)
        assert reason is not None, (
            f"{line!r}\nreal docker (exit {code}):\n{out}{err}\nsandbox (exit {result.exit_code}):\n{result.output}"
        )
        filed[reason] = filed.get(reason, 0) + 1
    tally.LINES["differential"] += compared
    assert compared > BUDGET[profile()] // 2


@pytest.mark.skipif(not _real_version().startswith("Docker version 28.2.2,"), reason="needs the docker 28.2.2 client")
def test_every_commands_argument_count_rule_is_the_real_clients(tmp_path) -> None:
    """Each leaf command with 0 to 4 arguments: wherever the real client refuses the count, the sandbox refuses it
    in the same bytes, whether or not it simulates the command (a learner typing `docker cp web` meets cobra first)."""
    from sandbox.cli.cobra import children, table

    base, compared, differences = Sandbox(), 0, []
    for path, command in sorted(table().items()):
        if not path or path == ("help",) or path[0] in ("build", "builder") or "build" in path[:2] or any(True for _ in children(command)):
            continue  # the sandbox's client has buildx where the harvested one has the legacy builder
        for count in range(5):
            argv = ["docker", *path, *(f"arg{n}" for n in range(count))]
            code, out, err = _real(argv, str(tmp_path)) or (0, "", "")
            if not re.search(r"requires|accepts", err):
                continue
            compared += 1
            result = base.fork().run(" ".join(argv))
            if (result.exit_code, result.stdout, result.stderr) != (code, out, err):
                differences.append(f"{' '.join(argv)}\nreal (exit {code}):\n{err}sandbox (exit {result.exit_code}):\n"
                                   f"{result.output}")
    assert not differences, "\n".join(differences)
    assert compared > 300


# The differences, filed ------------------------------------------------------------------------------------------


def _run(line: str, *, stdin: str | None = "", setup: tuple[str, ...] = ()) -> tuple[int, str, str]:
    sb = Sandbox()
    for step in setup:
        sb.run(step, stdin="s3cret-pass")
    result = sb.run(line, stdin=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("line", "stderr", "code"), [
    ("docker ps --format '{{.ID'", "failed to parse template: template: :1: unclosed action\n", 1),
    ("docker ps -a --format '{{.Na-mes}}: {{.Status}}'",
     "failed to parse template: template: :1: bad character U+002D '-'\n", 1),
    ("docker version --format '{{.Client.Nope'", "template parsing error: template: version:1: unclosed action\n", 64),
])
def test_template_parse_errors_are_refused_as_docker_refuses_them(line: str, stderr: str, code: int) -> None:
    assert _run(line, setup=("docker run -d --name web nginx",)) == (code, "", stderr)


@pytest.mark.parametrize("setup", [(), ("docker run -d --name web nginx",)], ids=["no-containers", "one-container"])
def test_ps_template_execution_errors_are_dockers(setup: tuple[str, ...]) -> None:
    expected = ('failed to execute template: template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in '
                "type *formatter.ContainerContext\n")
    assert _run("docker ps --format '{{.Nope}}'", setup=setup) == (1, "", expected)


@pytest.mark.parametrize("typed", ["kill", "container kill"])
def test_kill_without_arguments_is_a_usage_error(typed: str) -> None:
    expected = (f"docker: 'docker {typed}' requires at least 1 argument\n\n"
                f"Usage:  docker {typed} [OPTIONS] CONTAINER [CONTAINER...]\n\n"
                f"See 'docker {typed} --help' for more information\n")
    assert _run(f"docker {typed}") == (1, "", expected)


@pytest.mark.parametrize("line", ["docker logs ''", "docker stop ''", "docker exec '' ls", "docker rm '\r\n'"])
def test_an_empty_container_name_is_refused_by_the_client(line: str) -> None:
    assert _run(line) == (1, "", "invalid container name or ID: value is empty\n")


@pytest.mark.parametrize(("spec", "message"), [("99999:80", "invalid hostPort: 99999"),
                                               ("80:99999", "invalid containerPort: 99999"),
                                               ("x", "invalid containerPort: x"),
                                               ("registry:2", "invalid hostPort: registry")])
def test_publish_specs_are_checked_as_docker_checks_them(spec: str, message: str) -> None:
    expected = f"docker: {message}\n\nRun 'docker run --help' for more information\n"
    assert _run(f"docker run -p {spec} alpine") == (125, "", expected)


@pytest.mark.parametrize(("line", "stderr"), [
    ("docker login --password-stdin", "the --password-stdin option requires --username to be set\n"),
    ("docker login -u learner -p x --password-stdin",
     "conflicting options: cannot specify both --password and --password-stdin\n"),
    ("docker login -u learner -p ''", "password is empty\n"),
    ("docker login -u '' -p x", "username is empty\n"),
])
def test_login_flag_checks_use_docker_words(line: str, stderr: str) -> None:
    assert _run(line) == (1, "", stderr)


def test_logout_of_a_named_server_acts_as_docker_28() -> None:
    sb = Sandbox()
    sb.run("docker login -u learner --password-stdin", stdin="s3cret-pass")
    result = sb.run("docker logout docker.io")
    assert result.stdout == "Removing login credentials for docker.io\n"
    assert sb.logged_in_user() == "learner", "docker 28.2.2 erases only the key it was given"
    assert sb.run("docker logout https://localhost:5000/v2/").stdout == "Removing login credentials for localhost:5000\n"


def test_create_with_a_bad_reference_is_a_bare_error() -> None:
    expected = "invalid reference format: repository name (library/MyApp) must be lowercase\n"
    assert _run("docker create MyApp") == (1, "", expected)


def test_tag_error_quotes_the_reference_as_go_does() -> None:
    expected = 'Error parsing reference: "a\\"b" is not a valid repository/tag: invalid reference format\n'
    assert _run("docker tag alpine 'a\"b'", setup=("docker pull alpine",)) == (1, "", expected)


def test_push_of_a_digest_reference_is_refused_by_the_client() -> None:
    line = "docker push alpine@sha256:" + "0" * 64
    assert _run(line, setup=("docker pull alpine",)) == (1, "", "cannot push a digest reference\n")


@pytest.mark.parametrize(("line", "usage"), [
    ("docker volume --bogus", "Usage:  docker volume COMMAND\n"),
    ("docker manifest --bogus", "Usage:  docker manifest COMMAND\n"),
    ("docker cp --bogus", "Usage:  docker cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n"
                          "\tdocker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH\n"),
])
def test_usage_lines_are_dockers(line: str, usage: str) -> None:
    code, _, stderr = _run(line)
    assert code == 125 and f"\n\n{usage}\n" in stderr


def test_client_validated_flag_values_are_refused() -> None:
    expected = "docker: --uts: invalid UTS mode\n\nRun 'docker run --help' for more information\n"
    assert _run("docker run --uts 0x10 alpine echo hi") == (125, "", expected)


def test_env_files_are_read_from_the_hosts_files() -> None:
    expected = "docker: open nope.env: no such file or directory\n\nRun 'docker run --help' for more information\n"
    assert _run("docker run --env-file nope.env alpine env", setup=("docker pull alpine",)) == (125, "", expected)
    sb = Sandbox()
    sb.run("docker pull alpine")
    sb.write_file("app.env", "GREETING=hello\n")
    assert sb.run("docker run --env-file app.env alpine sh -c 'echo $GREETING'").stdout == "hello\n"


def test_a_publish_spec_with_a_name_for_an_ip_is_an_invalid_ip() -> None:
    expected = "docker: invalid IP address: server\n\nRun 'docker run --help' for more information\n"
    assert _run("docker run -p server:5000/myimage:1.0 alpine") == (125, "", expected)


def test_sysctl_values_are_validated_as_flags() -> None:
    code, _, stderr = _run("docker run --sysctl @ alpine true")
    assert code == 125
    assert stderr.startswith("invalid argument \"@\" for \"--sysctl\" flag: sysctl '@' is not allowed\n\nUsage:")


@pytest.mark.parametrize(("line", "code", "stderr"), [
    ("docker ps -s --format '{{.Size'", 1, "failed to parse template: template: :1: unclosed action\n"),
    ("docker logs --follow=x web", 125, 'invalid argument "x" for "-f, --follow" flag: strconv.ParseBool: parsing '
                                        '"x": invalid syntax\n\nUsage:  docker logs [OPTIONS] CONTAINER\n\n'
                                        "Run 'docker logs --help' for more information\n"),
    ("docker exec -u", 125, "flag needs an argument: 'u' in -u\n\nUsage:  docker exec [OPTIONS] CONTAINER COMMAND "
                            "[ARG...]\n\nRun 'docker exec --help' for more information\n"),
])
def test_the_client_checks_the_flags_it_now_simulates_as_docker_does(line: str, code: int, stderr: str) -> None:
    """-u, -w, -s, -f and history --format act in the sandbox now; what the client says before the daemon is
    asked stays the real client's (texts of docker 28.2.2 with no daemon)."""
    assert _run(line) == (code, "", stderr)
