"""The reference grammar before normalization: distribution/reference's own tables, in data/*.yaml."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from sandbox.errors import InvalidDigest, InvalidReference
from sandbox.oci.digest import Digest, digest_of_bytes
from sandbox.oci.reference import (
    DOMAIN_RE,
    IDENTIFIER_RE,
    NAME_RE,
    REFERENCE_RE,
    TAG_RE,
    Reference,
    parse,
    parse_name,
)

ERRORS = {"InvalidReference": InvalidReference, "InvalidDigest": InvalidDigest}
SHA = "sha256:" + "f" * 64


def test_parse_finds_name_domain_tag_and_digest(reference_parse_case):
    case = reference_parse_case
    if "error" in case:
        with pytest.raises(ERRORS[case["error"]]) as caught:
            parse(case["input"])
        assert str(caught.value) == case["message"]
        return
    ref = parse(case["input"])
    found = (ref.name, ref.domain, ref.tag, ref.digest)
    assert found == (case["name"], case.get("domain", ""), case.get("tag"), case.get("digest"))
    assert str(ref) == case["input"]


def test_domain_grammar_accepts_hosts_with_optional_port(regexp_domain_case):
    assert bool(DOMAIN_RE.match(regexp_domain_case["input"])) == regexp_domain_case["match"]


def test_name_grammar_takes_the_first_component_as_domain_when_it_can(regexp_name_case):
    case = regexp_name_case
    match = NAME_RE.match(case["input"])
    assert bool(match) == case["match"]
    if "path" in case:
        assert (match["domain"], match["path"]) == (case["domain"], case["path"])


def test_reference_grammar_captures_name_tag_and_digest(regexp_reference_case):
    case = regexp_reference_case
    match = REFERENCE_RE.match(case["input"])
    assert bool(match) == case["match"]
    if "name" in case:
        assert (match["name"], match["tag"], match["digest"]) == (case["name"], case["tag"], case["digest"])


def test_identifier_is_exactly_64_lowercase_hex_digits(regexp_identifier_case):
    assert bool(IDENTIFIER_RE.match(regexp_identifier_case["input"])) == regexp_identifier_case["match"]


def test_parse_name_splits_a_bare_repository_name(parse_name_case):
    case = parse_name_case
    if "error" in case:
        with pytest.raises(ERRORS[case["error"]]) as caught:
            parse_name(case["input"])
        assert str(caught.value) == case["message"]
        return
    ref = parse_name(case["input"])
    assert (ref.domain, ref.path, ref.tag, ref.digest) == (case["domain"], case["path"], None, None)


@pytest.mark.parametrize("tag_first", [True, False], ids=["tag-then-digest", "digest-then-tag"])
def test_with_tag_and_with_digest_keep_each_other(reference_with_case, tag_first):
    case = reference_with_case
    add_tag = lambda ref: ref.with_tag(case["tag"]) if "tag" in case else ref  # noqa: E731
    add_digest = lambda ref: ref.with_digest(case["digest"]) if "digest" in case else ref  # noqa: E731
    name = parse_name(case["name"])
    ref = add_digest(add_tag(name)) if tag_first else add_tag(add_digest(name))
    assert str(ref) == case["combined"]


def test_uppercase_is_reported_only_when_lowercase_would_parse():
    with pytest.raises(InvalidReference, match="^repository name must be lowercase$"):
        parse("Uppercase:tag")
    with pytest.raises(InvalidReference, match="^invalid reference format$"):
        parse("Uppercase:bad~tag")


def test_a_trailing_newline_is_not_part_of_a_valid_reference():
    with pytest.raises(InvalidReference, match="^invalid reference format$"):
        parse("alpine\n")


@pytest.mark.parametrize("text", ["alpine:tagé", "alpine:\u0661", "alpine:\uff41"])
def test_tags_are_ascii_only(text):
    with pytest.raises(InvalidReference, match="^invalid reference format$"):
        parse(text)


def test_tags_have_at_most_128_characters():
    assert parse("alpine:" + "a" * 128).tag == "a" * 128
    with pytest.raises(InvalidReference):
        parse("alpine:" + "a" * 129)


def test_reference_built_from_bad_parts_raises_the_grammar_error():
    with pytest.raises(InvalidReference, match="^invalid reference format$"):
        Reference("", "Alpine")
    with pytest.raises(InvalidReference, match="^invalid reference format$"):
        Reference("bad_host", "alpine")
    with pytest.raises(InvalidReference, match="^repository name must not be more than 255 characters$"):
        Reference("", "a" * 256)
    with pytest.raises(InvalidReference, match="^invalid tag format$"):
        Reference("", "alpine", tag="-x")
    with pytest.raises(InvalidReference, match="^invalid tag format$"):
        Reference("", "alpine", tag="")


def test_reference_digest_is_checked_by_the_grammar_then_by_go_digest():
    with pytest.raises(InvalidDigest, match="^invalid digest format$"):
        Reference("", "alpine", digest="foo")
    with pytest.raises(InvalidDigest, match="^invalid checksum digest format$"):
        Reference("", "alpine", digest="sha256:" + "F" * 64)
    with pytest.raises(InvalidDigest, match="^invalid checksum digest length$"):
        parse_name("alpine").with_digest("sha256:" + "f" * 40)


def test_reference_digest_given_as_text_is_stored_as_a_digest():
    ref = Reference("", "alpine", digest=SHA)
    assert isinstance(ref.digest, Digest)
    assert ref == Reference("", "alpine", digest=Digest(SHA))


def test_reference_is_a_frozen_hashable_value():
    ref = parse("example.com/team/app:1.0")
    assert ref == parse("example.com/team/app:1.0")
    assert len({ref, parse("example.com/team/app:1.0")}) == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        ref.tag = "2.0"  # type: ignore[misc]


def test_without_tag_or_digest_leaves_the_repository_name():
    ref = parse(f"localhost:5000/app:1.0@{SHA}")
    assert ref.without_tag_or_digest() == Reference("localhost:5000", "app")
    assert str(ref.without_tag_or_digest()) == "localhost:5000/app"


def test_a_name_without_domain_is_its_path():
    ref = parse("alpine:3.20")
    assert (ref.domain, ref.path, ref.name, ref.tag) == ("", "alpine", "alpine", "3.20")


names = st.from_regex(NAME_RE)
tags = st.from_regex(TAG_RE)
digests = st.binary(max_size=8).map(digest_of_bytes)
references = st.builds(
    lambda name, tag, digest: name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else ""),
    names,
    st.none() | tags,
    st.none() | digests,
)


@given(st.text())
@example("")
@example("Aİ/x")
@example("a" * 300)
def test_parse_raises_only_reference_and_digest_errors(text):
    try:
        ref = parse(text)
    except (InvalidReference, InvalidDigest):
        return
    assert str(ref) == text


@given(references)
def test_every_reference_the_grammar_builds_parses_and_prints_back(text):
    assume(len(NAME_RE.match(REFERENCE_RE.match(text)["name"])["path"]) <= 255)
    assert str(parse(text)) == text
