"""The harvested help tables (``sandbox/cli/spec``): every help text reads back into flags pflag can parse."""

from __future__ import annotations

from importlib import resources

from sandbox.cli.spec import facts, help_text, parse_help_flags, paths


def test_every_help_text_lists_flags_pflag_can_parse() -> None:
    known = {"bool", "string", "list", "int", "bytes", "duration", "filter", "strings", "map", "ulimit", "uint16",
             "decimal", "gpu-request", "mount", "network", "node-addr", "stringToString", "uint32", "uint",
             "ipNetSlice", "external-ca", "stringArray"}  # fmt: skip
    for entry in resources.files("sandbox.cli.spec").iterdir():
        if entry.name.endswith(".txt"):
            text = entry.read_text()
            flags = parse_help_flags(text)
            assert {flag.type for flag in flags} <= known, entry.name
            assert len(flags) == text.count("\n  -") + text.count("\n      --"), entry.name


def test_help_flags_carry_shorthand_type_and_printed_default() -> None:
    stop = {flag.name: flag for flag in parse_help_flags(help_text(("container", "stop")))}
    assert (stop["timeout"].short, stop["timeout"].type, stop["timeout"].default) == ("t", "int", None)
    assert (stop["signal"].short, stop["signal"].type) == ("s", "string")
    logs = {flag.name: flag for flag in parse_help_flags(help_text(("container", "logs")))}
    assert logs["tail"].default == "all"  # a default printed on the usage's continuation line
    push = {flag.name: flag for flag in parse_help_flags(help_text(("image", "push")))}
    assert push["disable-content-trust"].default is True
    run = {flag.name: flag for flag in parse_help_flags(help_text(("container", "run")))}
    assert run["annotation"].default is None  # "(default map[])": a list type starts empty


def test_help_texts_are_found_by_command_path() -> None:
    assert () in paths() and ("image", "tag") in paths() and len(paths()) == len(set(paths()))
    assert help_text(()).startswith("Usage:  docker [OPTIONS] COMMAND")
    assert help_text(("image", "tag")).startswith("Usage:  docker image tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]")


def test_facts_merge_a_same_as_entry_over_its_original() -> None:
    assert facts(("run",)).get("interspersed") is False
    assert facts(("container", "run")).get("interspersed") is False
    assert facts(("no", "such")) == {}
