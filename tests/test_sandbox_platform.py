"""A host can run on another platform (an Apple-silicon Mac's Docker Desktop is linux/arm64/v8): its pulls take that
platform's image from Docker Hub's indexes, and its daemon says what it runs on."""

from __future__ import annotations

import pytest

from sandbox import Sandbox


def test_a_mac_pulls_the_arm64_image_of_the_same_index():
    sb = Sandbox()
    mac = sb.host("mac", platform="linux/arm64/v8")
    laptop, on_mac = sb.run("docker pull alpine"), mac.run("docker pull alpine")
    digest = "Digest: sha256:a8560b36e8b8210634f77d9f7f9efd7ffa463e380b75e2e74aff4511df3ef88c"
    assert digest in laptop.stdout and digest in on_mac.stdout
    assert "f18232174bc9: Pull complete" in laptop.stdout and "f18232174bc9" not in on_mac.stdout
    assert mac.run("docker image inspect -f '{{.Architecture}}/{{.Variant}}' alpine").stdout == "arm64/v8\n"
    assert mac.run("docker run --rm alpine uname -m").stdout == "aarch64\n"
    assert " Architecture: aarch64" in mac.run("docker info").stdout
    assert "OS/Arch:          linux/arm64" in mac.run("docker version").stdout


def test_a_build_on_a_mac_is_an_arm64_image_and_its_push_carries_that_platform():
    sb = Sandbox()
    mac = sb.host("mac", platform="linux/arm64")
    mac.write_file("Dockerfile", "FROM alpine\nCMD [\"echo\", \"hi\"]\n")
    assert mac.run("docker build -q -t learner/hi:1.0 .").exit_code == 0
    mac.run("docker login -u learner --password-stdin", stdin="s3cret-pass")
    assert mac.run("docker push learner/hi:1.0").exit_code == 0
    pushed = sb.world.hub.resolve_any("learner/hi", "1.0", "linux/arm64/v8")
    assert (pushed.os, pushed.architecture, pushed.variant) == ("linux", "arm64", "v8")


def test_a_host_keeps_its_platform_and_a_malformed_one_is_refused():
    sb = Sandbox()
    sb.host("mac", platform="linux/arm64/v8")
    assert sb.host("mac").run("docker info").stdout.count("aarch64") == 1
    with pytest.raises(ValueError):
        sb.host("mac", platform="linux/amd64")
    with pytest.raises(ValueError):
        sb.host("pc", platform="amd64")


def test_a_fork_keeps_each_hosts_platform():
    sb = Sandbox()
    sb.host("mac", platform="linux/arm64/v8")
    assert "aarch64" in sb.fork().host("mac").run("docker info").stdout


def test_registry_image_id_answers_for_the_hosts_platform():
    sb = Sandbox()
    sb.host("mac", platform="linux/arm64/v8")
    assert sb.registry_image_id("alpine") == "sha256:aded1e1a5b3705116fa0a92ba074a5e0b0031647d9c315983ccba2ee5428ec8b"
    assert sb.registry_image_id("alpine", via_host="mac") != sb.registry_image_id("alpine")


def test_docker_desktop_on_a_mac_emulates_amd64_where_the_ubuntu_laptop_cannot_run_arm64():
    sb = Sandbox()
    mac = sb.host("mac", platform="linux/arm64/v8")
    emulated = mac.run("docker run --rm --platform linux/amd64 alpine uname -m")
    assert (emulated.exit_code, emulated.stdout) == (0, "x86_64\n"), "QEMU/Rosetta report the emulated machine"
    sb.run("docker pull -q --platform linux/arm64 alpine")
    refused = sb.run("docker run alpine uname -m")
    assert refused.exit_code == 255
    assert refused.stderr == (
        "WARNING: The requested image's platform (linux/arm64/v8) does not match the detected host platform "
        "(linux/amd64/v3) and no specific platform was requested\nexec /bin/uname: exec format error\n")
    assert sb.run("docker ps -a --format '{{.Status}}'").stdout.startswith("Exited (255)")
