"""Content digests (``algorithm:hex``) validated as go-digest v1.0.0 validates them, and canonical JSON to digest.

Docker 28 accepts ``sha256``, ``sha384`` and ``sha512`` with lowercase hex of the exact length. Everything in the
sandbox that is content-addressed (configs, manifests, layers) gets its digest from :func:`digest_of_bytes` over
:func:`canonical_json`, so the same content has the same ID on every machine.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from sandbox.errors import InvalidDigest

__all__ = [
    "Digest",
    "SUPPORTED_ALGORITHMS",
    "canonical_json",
    "digest_of_bytes",
    "digest_of_json",
]

#: Hex digits each algorithm's digest has; the algorithms go-digest v1.0.0 registers (docker 28 vendors it).
SUPPORTED_ALGORITHMS: dict[str, int] = {"sha256": 64, "sha384": 96, "sha512": 128}

#: go-digest's general shape, consulted only for algorithms it does not know, to tell "unsupported" from "malformed".
_GENERAL_SHAPE = re.compile(r"\A[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+\Z")
#: Registered algorithms are hex-encoded in lowercase only.
_LOWER_HEX = re.compile(r"\A[a-f0-9]+\Z")

#: go-digest's sentences, which docker prints bare (``docker pull alpine@sha256:FFFF...``).
INVALID_FORMAT = "invalid checksum digest format"
INVALID_LENGTH = "invalid checksum digest length"
UNSUPPORTED = "unsupported digest algorithm"


class Digest(str):
    """A validated ``algorithm:hex`` digest; it is a ``str``, so it compares, hashes and serializes as its text.

    Raises InvalidDigest with go-digest's message when the text is not a supported digest.
    """

    __slots__ = ()

    def __new__(cls, text: str) -> Digest:
        _validate(text)
        return super().__new__(cls, text)

    @classmethod
    def parse(cls, text: str) -> Digest:
        """Validate ``text`` as go-digest's ``Parse`` does; raises InvalidDigest."""
        return cls(text)

    @property
    def algorithm(self) -> str:
        """The part before the colon, e.g. ``sha256``."""
        return self.partition(":")[0]

    @property
    def hex(self) -> str:
        """The encoded part after the colon (go-digest's ``Encoded``)."""
        return self.partition(":")[2]

    @property
    def short(self) -> str:
        """The first 12 hex digits: how docker shows image IDs (``IMAGE ID`` column, ``Deleted:`` lines)."""
        return self.hex[:12]

    def __repr__(self) -> str:
        return f"Digest({str(self)!r})"


def _validate(text: str) -> None:
    algorithm, colon, encoded = text.partition(":")
    if not colon or not algorithm or not encoded:
        raise InvalidDigest(INVALID_FORMAT)
    if algorithm not in SUPPORTED_ALGORITHMS:
        raise InvalidDigest(UNSUPPORTED if _GENERAL_SHAPE.match(text) else INVALID_FORMAT)
    # Go measures the length in bytes, so a non-ASCII character counts more than once.
    if len(encoded.encode("utf-8", "surrogatepass")) != SUPPORTED_ALGORITHMS[algorithm]:
        raise InvalidDigest(INVALID_LENGTH)
    if not _LOWER_HEX.match(encoded):
        raise InvalidDigest(INVALID_FORMAT)


def digest_of_bytes(data: bytes) -> Digest:
    """The sha256 digest of ``data``, the canonical algorithm for everything docker stores and pushes."""
    return Digest("sha256:" + hashlib.sha256(data).hexdigest())


def canonical_json(value: Any) -> bytes:
    """``value`` as JSON with sorted keys, no insignificant whitespace, UTF-8: equal values give equal bytes.

    Raises ValueError for NaN or infinity and TypeError for values JSON cannot hold: both are programming errors.
    """
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


def digest_of_json(value: Any) -> Digest:
    """The sha256 digest of :func:`canonical_json` of ``value``: how configs and manifests get their IDs."""
    return digest_of_bytes(canonical_json(value))
