"""Content values: a multi-platform index picks the image a daemon's platform can run, as containerd matches."""

from __future__ import annotations

from sandbox.content import ImageIndex, Image, RunConfig, compatible_platforms, split_platform, uname_machine


def _image(platform: str) -> Image:
    os_name, architecture, variant = split_platform(platform)
    return Image(created="2025-01-01T00:00:00Z", run=RunConfig(), layers=(), history=(), os=os_name,
                 architecture=architecture, variant=variant if architecture in ("arm", "arm64") else "")


def test_arm64_and_arm_default_variants_are_v8_and_v7():
    assert split_platform("linux/arm64") == ("linux", "arm64", "v8")
    assert split_platform("linux/arm") == ("linux", "arm", "v7")
    assert split_platform("linux/amd64") == ("linux", "amd64", "")


def test_a_daemon_accepts_its_platform_then_what_its_cpu_also_runs():
    assert compatible_platforms("linux/amd64") == (("linux", "amd64", ""), ("linux", "386", ""))
    assert compatible_platforms("linux/arm/v6") == (("linux", "arm", "v6"), ("linux", "arm", "v5"))
    assert compatible_platforms("linux/arm64")[1] == ("linux", "arm", "v8")


def test_index_selects_the_exact_platform_first_and_falls_back_as_containerd_does():
    index = ImageIndex((_image("linux/amd64"), _image("linux/arm/v7"), _image("linux/arm64/v8")))
    assert index.select("linux/arm64").architecture == "arm64"
    assert index.select("linux/arm/v7").variant == "v7"
    assert index.select("linux/s390x") is None
    only_arm = ImageIndex((_image("linux/amd64"), _image("linux/arm/v7")))
    assert only_arm.select("linux/arm64/v8").variant == "v7"  # arm64 CPUs run 32-bit arm


def test_index_digest_is_the_recorded_one_when_docker_hub_published_it():
    images = (_image("linux/amd64"), _image("linux/arm64/v8"))
    assert ImageIndex(images).digest.startswith("sha256:")
    assert ImageIndex(images, "sha256:" + "a" * 64).digest == "sha256:" + "a" * 64


def test_uname_reports_the_images_architecture():
    assert [uname_machine("amd64"), uname_machine("arm64", "v8"), uname_machine("arm", "v7")] == [
        "x86_64", "aarch64", "armv7l"]
