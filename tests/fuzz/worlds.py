"""Worlds in the states a learner reaches, built once per process and forked per example, and a snapshot of the
state Docker promises to keep when a command fails (images, tags, containers, config.json, registry repositories)."""

from __future__ import annotations

from functools import cache

from sandbox import Sandbox

DOCKERFILE = 'FROM alpine\nCOPY . /app\nCMD ["cat", "/app/hello.txt"]\n'
#: References the fuzzer draws besides generated ones: in the catalogue, local, pushed, private, or nowhere.
KNOWN_REFERENCES = (
    "alpine", "alpine:3.21", "alpine:latest", "nginx", "nginx:latest", "node:20-alpine", "hello-world", "registry:2",
    "busybox", "myimage", "myimage:latest", "learner/web:1.0", "learner/myimage", "alice/hello-web",
    "alice/hello-web:1.0", "alice/secret-app:1.0", "alice/nope", "library/alpine", "docker.io/library/alpine:3.21",
    "localhost:5000/myimage:1.0", "localhost:5000/nope", "server:5000/myimage:1.0", "laptop:5000/myimage:1.0",
    "nosuchimage", "MyApp", "a:b:c",
)
CONTAINERS = ("web", "exited", "fresh", "registry", "c")


def _busy(sb: Sandbox) -> Sandbox:
    sb.write_file("Dockerfile", DOCKERFILE)
    sb.write_file("hello.txt", "hi\n")
    for line in (
        "docker pull alpine", "docker pull nginx", "docker build -t myimage .",
        "docker run -d --name web -p 8080:80 nginx", "docker run --name exited alpine echo done",
        "docker create --name fresh alpine", "docker run -d --name registry -p 5000:5000 registry:2",
        "docker tag myimage localhost:5000/myimage:1.0", "docker push localhost:5000/myimage:1.0",
        "docker tag myimage learner/web:1.0",
    ):
        result = sb.run(line)
        assert result.exit_code == 0, result
    return sb


def _logged_in(sb: Sandbox, user: str = "learner", password: str = "s3cret-pass") -> Sandbox:
    result = sb.run(f"docker login -u {user} --password-stdin", stdin=password)
    assert result.exit_code == 0, result
    return sb


@cache
def worlds() -> dict[str, Sandbox]:
    """Named starting worlds: fresh; logged in; busy (images, running and exited containers, a private registry);
    busy and logged in; two hosts (laptop logged in as alice and busy, server with alpine and a login as learner)."""
    two = _logged_in(_busy(Sandbox()), "alice", "alice-pass")
    server = two.host("server")
    server.run("docker pull alpine")
    _logged_in(server)  # type: ignore[arg-type]
    return {
        "fresh": Sandbox(),
        "logged-in": _logged_in(Sandbox()),
        "busy": _busy(Sandbox()),
        "busy-logged-in": _logged_in(_busy(Sandbox())),
        "two-hosts": two,
    }


def snapshot(world) -> dict:
    """What a failed command must leave as it was: per host its images, tags, digests, containers (as they will be
    once those due to exit have exited), files and working directory; per registry its repositories (tags,
    visibility, owner) and accounts."""
    hosts = {}
    for name, host in world.hosts.items():
        engine = host.engine
        hosts[name] = {
            "images": sorted(engine.images.images),
            "tags": dict(engine.images.tags),
            "digests": dict(engine.images.digests),
            "containers": sorted(_eventual(c) for c in engine.containers if not (c.exits_at and c.auto_remove)),
            "files": dict(host.files),
            "cwd": host.cwd,
        }
    registries = {"docker.io": world.hub}
    registries.update(world.private_registries)
    return {
        "hosts": hosts,
        "registries": {
            address: {
                "repositories": {
                    path: (repo.owner, repo.visibility, dict(repo.tags), sorted(repo.images))
                    for path, repo in registry.repositories.items()
                },
                "accounts": dict(registry.accounts),
            }
            for address, registry in registries.items()
        },
    }


def _eventual(container) -> tuple:
    """A container as it will be once the time it is due to exit has passed: time alone is not a command's doing."""
    if container.status == "running" and container.exits_at:
        return container.id, container.name, "exited", container.pending_exit_code, container.image_id
    return container.id, container.name, container.status, container.exit_code, container.image_id


def difference(before: dict, after: dict) -> str:
    """The first places two snapshots differ, for an assertion message."""
    out = []
    for host in sorted(set(before["hosts"]) | set(after["hosts"])):
        a, b = before["hosts"].get(host, {}), after["hosts"].get(host, {})
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                out.append(f"host {host}: {key} changed")
    for address in sorted(set(before["registries"]) | set(after["registries"])):
        a, b = before["registries"].get(address), after["registries"].get(address)
        if a != b:
            out.append(f"registry {address} changed")
    return "; ".join(out) or "no difference"
