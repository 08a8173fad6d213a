"""Digests as go-digest v1.0.0 (vendored by docker 28) validates them, and the canonical JSON content is hashed from."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.errors import InvalidDigest
from sandbox.oci.digest import Digest, canonical_json, digest_of_bytes, digest_of_json

HEX = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"  # sha256 of no bytes


@pytest.mark.parametrize(
    "text",
    [f"sha256:{HEX}", "sha384:" + "a" * 96, "sha512:" + "0" * 128],
    ids=["sha256", "sha384", "sha512"],
)
def test_docker_accepts_sha256_sha384_and_sha512(text):
    assert Digest.parse(text) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "invalid checksum digest format"),
        (HEX, "invalid checksum digest format"),
        (f":{HEX}", "invalid checksum digest format"),
        ("sha256:", "invalid checksum digest format"),
        ("sha256:" + HEX.upper(), "invalid checksum digest format"),
        ("sha256:" + "g" * 64, "invalid checksum digest format"),
        ("sha256:" + HEX[:-1], "invalid checksum digest length"),
        ("sha256:" + HEX + "0", "invalid checksum digest length"),
        ("sha512:" + HEX, "invalid checksum digest length"),
        ("md5:" + "f" * 32, "unsupported digest algorithm"),
        ("sha3+b64:abc=", "unsupported digest algorithm"),
        ("SHA256:" + HEX, "invalid checksum digest format"),
        ("sha 256:" + HEX, "invalid checksum digest format"),
    ],
)
def test_go_digest_messages(text, message):
    with pytest.raises(InvalidDigest) as caught:
        Digest.parse(text)
    assert str(caught.value) == message


def test_length_is_counted_in_bytes_as_go_does():
    # 63 hex digits and one two-byte character: 65 bytes, so a length error rather than a format error.
    with pytest.raises(InvalidDigest, match="^invalid checksum digest length$"):
        Digest.parse("sha256:" + HEX[:63] + "é")


def test_a_digest_cannot_be_built_invalid():
    with pytest.raises(InvalidDigest):
        Digest("sha256:abc")


def test_digest_parts_and_the_short_id_docker_shows():
    digest = Digest(f"sha256:{HEX}")
    assert (digest.algorithm, digest.hex, digest.short) == ("sha256", HEX, "e3b0c44298fc")
    assert repr(digest) == f"Digest('sha256:{HEX}')"


def test_a_digest_is_its_text():
    digest = Digest(f"sha256:{HEX}")
    assert digest == f"sha256:{HEX}"
    assert {f"sha256:{HEX}": 1}[digest] == 1
    assert json.dumps({"digest": digest}) == json.dumps({"digest": f"sha256:{HEX}"})


def test_digest_of_bytes_is_sha256():
    assert digest_of_bytes(b"") == f"sha256:{HEX}"
    assert digest_of_bytes(b"hello").hex == hashlib.sha256(b"hello").hexdigest()


def test_canonical_json_sorts_keys_and_drops_whitespace():
    assert canonical_json({"b": [1, 2], "a": {"z": None, "y": True}}) == b'{"a":{"y":true,"z":null},"b":[1,2]}'


def test_canonical_json_writes_utf8_not_escapes():
    assert canonical_json({"cmd": "écho ☃"}) == '{"cmd":"écho ☃"}'.encode()


def test_canonical_json_refuses_nan():
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


def test_equal_content_has_one_digest_whatever_the_key_order():
    assert digest_of_json({"a": 1, "b": 2}) == digest_of_json({"b": 2, "a": 1})
    assert digest_of_json({"a": 1}) != digest_of_json({"a": 2})
    assert digest_of_json({"a": 1}) == digest_of_bytes(b'{"a":1}')


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@given(json_values)
def test_canonical_json_round_trips_and_is_stable(value):
    encoded = canonical_json(value)
    assert json.loads(encoded) == value
    assert canonical_json(json.loads(encoded)) == encoded


@given(st.text())
def test_parse_raises_only_invalid_digest(text):
    try:
        digest = Digest.parse(text)
    except InvalidDigest:
        return
    assert f"{digest.algorithm}:{digest.hex}" == text
