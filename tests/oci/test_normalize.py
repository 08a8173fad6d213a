"""Docker's reading of names (docker.io, library/, :latest, image IDs), checked against upstream tables and the
texts the real docker 28.2 client printed (data/*.yaml)."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sandbox.errors import InvalidArgument, InvalidDigest, InvalidReference
from sandbox.oci.digest import Digest
from sandbox.oci.normalize import (
    familiar,
    familiar_match,
    familiar_name,
    familiar_string,
    parse_any,
    parse_docker_ref,
    parse_normalized_named,
    path_match,
    split_docker_domain,
    with_default_tag,
)
from sandbox.oci.reference import IDENTIFIER_RE, Reference, parse

ERRORS = {"InvalidReference": InvalidReference, "InvalidDigest": InvalidDigest, "InvalidArgument": InvalidArgument}
SHA = "sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa"


def test_docker_accepts_the_name_and_shows_it_back_familiar(normalize_valid_case):
    ref = parse_normalized_named(normalize_valid_case["input"])
    assert str(ref) == normalize_valid_case["normalized"]
    assert familiar_string(ref) == normalize_valid_case["familiar"]


def test_docker_refuses_the_name_with_its_exact_message(normalize_invalid_case):
    with pytest.raises(InvalidReference) as caught:
        parse_normalized_named(normalize_invalid_case["input"])
    assert str(caught.value) == normalize_invalid_case["message"]


def test_every_spelling_of_a_repository_normalizes_to_one_name(repository_info_case):
    case = repository_info_case
    for spelling in (case["familiar"], case["full"], case.get("ambiguous", case["full"])):
        ref = parse_normalized_named(spelling)
        assert (str(ref), ref.domain, ref.path) == (case["full"], case["domain"], case["path"])
        assert familiar_name(ref) == case["familiar"]


def test_docker_splits_registry_from_path(normalize_split_case):
    case = normalize_split_case
    ref = parse_normalized_named(case["input"])
    assert (ref.domain, ref.path) == (case["domain"], case["path"])
    assert split_docker_domain(case["input"]) == (case["domain"], case["path"])


def test_parse_any_takes_image_ids_and_names(parse_any_case):
    case = parse_any_case
    result = parse_any(case["input"])
    assert str(result) == case["equivalent"]
    assert isinstance(result, Digest) == case.get("id", False)
    if not isinstance(result, Digest):
        assert result == parse(case["equivalent"])


def test_parse_docker_ref_adds_latest_and_prefers_the_digest(docker_ref_case):
    ref = parse_docker_ref(docker_ref_case["input"])
    assert str(ref) == docker_ref_case["expected"]
    assert parse(str(ref)) == ref


def test_familiar_match_tries_the_string_then_the_name(familiar_match_case):
    case = familiar_match_case
    ref = parse_any(case["reference"])
    if "error" in case:
        with pytest.raises(ERRORS[case["error"]]) as caught:
            familiar_match(case["pattern"], ref)
        assert str(caught.value) == case["message"]
        return
    assert familiar_match(case["pattern"], ref) == case["match"]


def test_path_match_follows_go(path_match_case):
    case = path_match_case
    if "error" in case:
        with pytest.raises(ERRORS[case["error"]]) as caught:
            path_match(case["pattern"], case["name"])
        assert str(caught.value) == case["message"]
        return
    assert path_match(case["pattern"], case["name"]) == case["match"]


def test_error_text_is_what_the_docker_client_printed(docker_client_case):
    case = docker_client_case
    parser = parse_any if case["command"] == "docker tag SOURCE" else parse_normalized_named
    if case.get("parses"):
        parser(case["input"])
        return
    with pytest.raises((InvalidReference, InvalidDigest)) as caught:
        parser(case["input"])
    if case["command"] == "docker pull":
        printed = str(caught.value)
    else:
        printed = f'Error parsing reference: "{case["input"]}" is not a valid repository/tag: {caught.value}'
    assert printed == case["printed"]


def test_a_reference_with_tag_and_digest_keeps_both():
    ref = parse_normalized_named(f"busybox:latest@{SHA}")
    assert str(ref) == f"docker.io/library/busybox:latest@{SHA}"
    assert (ref.tag, ref.digest) == ("latest", SHA)
    assert familiar_string(ref) == f"busybox:latest@{SHA}"


def test_invalid_components_are_refused():
    with pytest.raises(InvalidReference):
        parse_normalized_named("-foo")
    busybox = parse_normalized_named("busybox")
    with pytest.raises(InvalidReference, match="^invalid tag format$"):
        busybox.with_tag("-foo")
    with pytest.raises(InvalidDigest, match="^invalid digest format$"):
        busybox.with_digest("foo")


def test_with_default_tag_adds_latest_to_a_bare_name_only():
    assert str(with_default_tag(parse_normalized_named("alpine"))) == "docker.io/library/alpine:latest"
    tagged = parse_normalized_named("alpine:3.20")
    pinned = parse_normalized_named(f"alpine@{SHA}")
    assert with_default_tag(tagged) is tagged
    assert with_default_tag(pinned) is pinned


def test_familiar_form_drops_docker_io_and_a_lone_library_namespace():
    assert familiar(parse_normalized_named("alpine:3.20")) == Reference("", "alpine", "3.20")
    assert familiar_name(parse_normalized_named("library/foo/bar")) == "library/foo/bar"
    assert familiar_name(parse_normalized_named("localhost:5000/library/app")) == "localhost:5000/library/app"


def test_registry_messages_use_the_path_and_the_full_name():
    ref = parse_normalized_named("alpine")
    assert ref.path == "library/alpine"  # "latest: Pulling from library/alpine"
    assert ref.name == "docker.io/library/alpine"  # "The push refers to repository [docker.io/library/alpine]"
    assert familiar_name(ref) == "alpine"  # the REPOSITORY column of `docker images`


def test_docker_images_argument_matches_by_name_or_tag():
    ref = parse_normalized_named("alpine:3.20")
    assert familiar_match("alpine", ref)
    assert familiar_match("alp*", ref)
    assert familiar_match("alpine:3.*", ref)
    assert not familiar_match("alpine:latest", ref)
    assert not familiar_match("library/alpine", ref)


def test_a_bad_pattern_is_an_error_even_when_nothing_would_match():
    with pytest.raises(InvalidArgument, match="^syntax error in pattern$"):
        path_match("x[", "abc")


def test_a_star_settles_at_the_first_place_its_chunk_fits():
    # Go does not backtrack into an earlier star: "[a/]" could also consume the second "/" but is never retried.
    assert not path_match("*[a/]/*x", "a//x")


@given(st.text())
@example("")
@example("Aİ/x")
@example("f" * 64)
@example("sha256:" + "f" * 64)
def test_normalizing_raises_only_reference_and_digest_errors(text):
    with contextlib.suppress(InvalidReference, InvalidDigest):
        parse_normalized_named(text)
    with contextlib.suppress(InvalidReference, InvalidDigest):
        parse_any(text)


@given(st.from_regex(r"\A[a-zA-Z0-9._:/@\[\]-]{1,80}\Z"))
@example("docker.io/" + "a" * 64)
@example("library/alpine:3.20")
def test_the_familiar_form_normalizes_back_except_for_hex_names(text):
    try:
        ref = parse_normalized_named(text)
    except (InvalidReference, InvalidDigest):
        return
    shown = familiar_string(ref)
    if IDENTIFIER_RE.match(shown):
        with pytest.raises(InvalidReference, match="cannot specify 64-byte hexadecimal strings"):
            parse_normalized_named(shown)
    else:
        assert parse_normalized_named(shown) == ref
