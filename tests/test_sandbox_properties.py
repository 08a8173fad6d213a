"""Whatever a learner types, ``run`` returns a Result: failures are Docker-style messages with non-zero exit codes,
never a Python exception; and the world is deterministic and forks independently."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox import Result, Sandbox

COMMANDS = ["login", "logout", "tag", "push", "pull", "build", "run", "create", "start", "stop", "restart", "rm",
            "rmi", "ps", "images", "inspect", "history", "logs", "version", "info", "image", "container", "kill",
            "image ls", "image rm", "image prune", "container ls", "container rm", "system info", "xyz"]
FLAGS = ["-a", "-q", "-f", "--rm", "-d", "-it", "-p", "5000:5000", "--name", "c", "-t", "x", "--all-tags", "-u",
         "learner", "--password-stdin", "-p", "--pull", "always", "never", "--format", "{{.ID}}", "{{json .Config}}",
         "--digests", "-e", "A=b", "--bogus", "--", "-", "", "''", '"', "'", "\\", "|", "&&", ";", "-x"]
REFERENCES = ["alpine", "alpine:3.21", "node:20-alpine", "nginx", "hello-world", "registry:2", "learner/web:0.0.1",
              "alice/secret-app:1.0", "localhost:5000/app", "MyApp", "a:b:c", "x" * 300, "alpine@sha256:abc",
              "sha256:" + "a" * 64, "UPPER/case", "docker.io/library/alpine", "[::1]:5000/x", "-", ":", "@",
              "ünïcode", "c", "myimage"]

word = st.one_of(st.sampled_from(FLAGS), st.sampled_from(REFERENCES), st.text(max_size=12))
line = st.builds(
    lambda command, words: " ".join(["docker", command, *words]),
    st.sampled_from(COMMANDS),
    st.lists(word, max_size=6),
)
any_line = st.one_of(line, st.text(max_size=80))


def _world() -> Sandbox:
    sb = Sandbox()
    sb.run("docker pull alpine")
    sb.run("docker run -d --name c nginx")
    return sb


BASE = _world()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(any_line, min_size=1, max_size=4))
def test_run_always_returns_a_result(lines: list[str]) -> None:
    sb = BASE.fork()
    for text in lines:
        result = sb.run(text)
        assert isinstance(result, Result)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        words = text.split()
        # A container's own exit code (docker run/start) and `false` may fail silently; every other failure says why.
        silent_allowed = words[:1] != ["docker"] or words[1:2] in (["run"], ["start"], ["container"])
        if result.exit_code != 0 and not silent_allowed:
            assert result.stderr or result.stdout, text


def test_same_commands_print_the_same_bytes() -> None:
    script = ["docker pull node:20-alpine", "docker run -d --name web -p 8080:80 nginx", "docker ps -a",
              "docker images", "docker run alpine echo hi", "docker ps -a"]
    first, second = Sandbox(), Sandbox()
    assert [first.run(s) for s in script] == [second.run(s) for s in script]


def test_a_fork_is_independent() -> None:
    sb = Sandbox()
    sb.run("docker pull alpine")
    trial = sb.fork()
    trial.run("docker rmi alpine")
    assert sb.has_image("alpine") and not trial.has_image("alpine")
    assert sb.run("docker images").stdout != trial.run("docker images").stdout
