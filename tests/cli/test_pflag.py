"""pflag's ``FlagSet.Parse`` and value types (``sandbox/cli/pflag.py``), in the words the real client printed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from sandbox.cli.pflag import Flag, FlagError, FlagValues, parse_flags

_FLAGS = (Flag("all", "a"), Flag("time", "t", "int"), Flag("publish", "p", "list"), Flag("cap", "", "strings"),
          Flag("filter", "f", "filter"), Flag("wait", "", "duration"),
          Flag("old", "", "bool", deprecated="use --all"))  # fmt: skip


@dataclass
class _Set:
    path: tuple[str, ...] = ("ps",)
    flags: dict = field(default_factory=lambda: {flag.name: flag for flag in _FLAGS})
    shorthands: dict = field(default_factory=lambda: {flag.short: flag for flag in _FLAGS if flag.short})


def _parse(*args: str, interspersed: bool = True) -> tuple[FlagValues, list[str], list[str]]:
    values, out = FlagValues(), []
    positional = parse_flags(values, _Set(), args, interspersed, out)
    return values, positional, out


def _value(values: FlagValues, name: str) -> object:
    return values.get(_Set(), _Set().flags[name])


def test_long_short_grouped_and_attached_values() -> None:
    values, positional, _ = _parse("x", "-at5", "--publish", "80", "-p=81", "--wait=1m", "y")
    assert positional == ["x", "y"]
    assert (_value(values, "all"), _value(values, "time"), _value(values, "wait")) == (True, 5, timedelta(minutes=1))
    assert _value(values, "publish") == ("80", "81")


def test_strings_split_on_commas_and_filters_normalize() -> None:
    values, _, _ = _parse("--cap", "a,b", "--cap", "c", "-f", "Name = x")
    assert _value(values, "cap") == ("a", "b", "c")
    assert _value(values, "filter") == ("name=x",)


def test_double_dash_and_non_interspersed_stop_flag_parsing() -> None:
    assert _parse("-a", "--", "-t", "x")[1] == ["-t", "x"]
    assert _parse("img", "-a", interspersed=False)[1] == ["img", "-a"]


def test_unset_flags_read_as_their_zero_value_and_changed_is_tracked() -> None:
    values, _, _ = _parse("--all=false")
    assert _value(values, "all") is False and values.was_set(_Set(), "all")
    assert _value(values, "time") == 0 and not values.was_set(_Set(), "time")
    assert _value(values, "publish") == ()


def test_a_deprecated_flag_notes_its_deprecation() -> None:
    assert _parse("--old")[2] == ["Flag --old has been deprecated, use --all\n"]


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--nope"], "unknown flag: --nope"),
     (["-z"], "unknown shorthand flag: 'z' in -z"),
     (["---x"], "bad flag syntax: ---x"),
     (["--time"], "flag needs an argument: --time"),
     (["-p"], "flag needs an argument: 'p' in -p"),
     (["-t", "x"], 'invalid argument "x" for "-t, --time" flag: strconv.ParseInt: parsing "x": invalid syntax'),
     (["-f", "foo"], 'invalid argument "foo" for "-f, --filter" flag: bad format of filter (expected name=value)'),
     (["--all=yes"], 'invalid argument "yes" for "-a, --all" flag: strconv.ParseBool: parsing "yes": invalid syntax')],
)  # fmt: skip
def test_errors_in_pflags_words(args: list[str], message: str) -> None:
    with pytest.raises(FlagError) as raised:
        _parse(*args)
    assert str(raised.value) == message
