"""Platform specifiers as containerd's platforms.Parse reads them for the client: a lone word must be a known OS or
architecture, two or three parts are taken as they are, and architecture aliases are normalized."""

from __future__ import annotations

import pytest

from sandbox.cli.platform import InvalidPlatform, Platform, parse_platform


@pytest.mark.parametrize(("specifier", "platform"), [
    ("linux", Platform("linux", "amd64")),
    ("windows(10.0.17763)", Platform("windows", "amd64", "", "10.0.17763")),
    ("macOS/arm64", Platform("darwin", "arm64")),
    ("arm64", Platform("linux", "arm64")),
    ("x86_64", Platform("linux", "amd64")),
    ("armhf", Platform("linux", "arm", "")),
    ("linux/arm", Platform("linux", "arm", "")),
    ("linux/arm/6", Platform("linux", "arm", "v6")),
    ("linux/aarch64/v8", Platform("linux", "arm64", "v8")),
    ("linux/arm64/9", Platform("linux", "arm64", "v9")),
    ("linux/i386", Platform("linux", "386", "")),
    ("plan9/weird", Platform("plan9", "weird")),  # two parts: not checked against the known lists
])
def test_specifiers_normalize_as_containerd_does(specifier: str, platform: Platform) -> None:
    assert parse_platform(specifier) == platform


@pytest.mark.parametrize(("specifier", "message"), [
    ("foo", '"foo": unknown operating system or architecture: invalid argument'),
    ("linux/*", '"linux/*": wildcards not yet supported: invalid argument'),
    ("a/b/c/d", '"a/b/c/d": cannot parse platform specifier: invalid argument'),
    ("linux/a b", '"a b" is an invalid component of "linux/a b": platform specifier component must match '
                  '"^[A-Za-z0-9_.-]+$": invalid argument'),
    ("li.nux", '"li.nux" is an invalid OS component of "li.nux": OSAndVersion specifier component must match '
               '"^([A-Za-z0-9_-]+)(?:\\\\(([A-Za-z0-9_.-]*)\\\\))?$": invalid argument'),
])
def test_malformed_specifiers_are_refused_in_containerds_words(specifier: str, message: str) -> None:
    with pytest.raises(InvalidPlatform) as refused:
        parse_platform(specifier)
    assert str(refused.value) == message and refused.value.exit_code == 1
