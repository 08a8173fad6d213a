"""docker/cli's ``opts`` validators (``sandbox/cli/opts.py``), in the words the real client printed."""

from __future__ import annotations

import pytest

from sandbox.cli.golang import GoError
from sandbox.cli.opts import LIST_VALIDATORS, filter_value, parse_bytes, parse_decimal, validate_sysctl


def test_memory_sizes_are_binary() -> None:
    assert parse_bytes("1.5g") == 3 << 29
    assert parse_bytes("512m") == parse_bytes("512MiB") == parse_bytes("512mb") == 512 << 20
    assert parse_bytes("100") == parse_bytes("100b") == 100
    for word, message in (("1x", "invalid suffix: 'x'"), ("1.5q", "invalid suffix: 'q'"), ("m", "invalid size: 'm'"),
                          ("-1", "invalid size: '-1'")):  # fmt: skip
        with pytest.raises(GoError, match=f"^{message}$"):
            parse_bytes(word)


def test_cpus_are_rational_to_the_nano_cpu() -> None:
    assert parse_decimal("1.5") == 1.5
    assert parse_decimal("3/4") == 0.75
    with pytest.raises(GoError, match="^value is too precise$"):
        parse_decimal("1/3")
    with pytest.raises(GoError, match="^failed to parse abc as a rational number$"):
        parse_decimal("abc")


def test_list_validators_normalize_or_refuse() -> None:
    assert LIST_VALIDATORS["attach"]("STDIN") == "stdin"
    assert LIST_VALIDATORS["add-host"]("a=1.2.3.4") == "a:1.2.3.4"
    assert LIST_VALIDATORS["add-host"]("a=[::1]") == "a:::1"
    for name, word, message in (("env", "=x", "invalid environment variable: =x"),
                                ("add-host", "a:b", 'invalid IP address in add-host: "b"'),
                                ("attach", "bogus", "valid streams are STDIN, STDOUT and STDERR"),
                                ("label", "a b=c", "label 'a b' contains whitespaces")):  # fmt: skip
        with pytest.raises(GoError) as raised:
            LIST_VALIDATORS[name](word)
        assert str(raised.value) == message


def test_sysctls_must_be_namespaced() -> None:
    assert validate_sysctl("net.ipv4.ip_forward=1") == "net.ipv4.ip_forward=1"
    with pytest.raises(GoError, match="^sysctl 'kernel.foo=1' is not allowed$"):
        validate_sysctl("kernel.foo=1")


def test_filters_are_name_equals_value() -> None:
    assert filter_value(" Dangling = true ") == "dangling=true"
    assert filter_value("") is None
    with pytest.raises(GoError, match=r"^bad format of filter \(expected name=value\)$"):
        filter_value("foo")
