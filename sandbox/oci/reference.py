r"""The image reference grammar of distribution/reference (v0.6.0, vendored by docker 28), without normalization.

::

    reference           := name [ ":" tag ] [ "@" digest ]
    name                := [ domain "/" ] path
    domain              := host [ ":" port ]
    host                := domain-name | "[" ipv6-address "]"
    domain-name         := domain-component ( "." domain-component )*
    domain-component    := /[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]/
    ipv6-address        := /[a-fA-F0-9:]+/
    port                := /[0-9]+/
    path                := path-component ( "/" path-component )*
    path-component      := alphanumeric ( separator alphanumeric )*
    alphanumeric        := /[a-z0-9]+/
    separator           := /[._]|__|-+/
    tag                 := /[\w][\w.-]{0,127}/
    digest              := algorithm ":" encoded
    algorithm           := algorithm-component ( /[-_+.]/ algorithm-component )*
    algorithm-component := /[A-Za-z][A-Za-z0-9]*/
    encoded             := /[0-9a-fA-F]{32,}/
    identifier          := /[a-f0-9]{64}/

Matching is leftmost-first, so a name's first component is its domain whenever it can be one and a slash follows:
``foo/bar`` has domain ``foo`` here; Docker's own reading (``docker.io``, ``library/``) is :mod:`sandbox.oci.normalize`.
Tags and paths are ASCII (Go's ``\w``); hosts may have uppercase letters. The path may have at most 255 characters;
the domain does not count. The grammar takes any 32+ digit hex digest, which :class:`~sandbox.oci.digest.Digest` then
checks as go-digest does, so a digest of the wrong length fails with go-digest's message, not the grammar's.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import Callable, TypeVar

from sandbox.errors import InvalidDigest, InvalidReference
from sandbox.oci.digest import Digest

__all__ = [
    "NAME_TOTAL_LENGTH_MAX",
    "Reference",
    "parse",
    "parse_name",
]


def _optional(pattern: str) -> str:
    return f"(?:{pattern})?"


def _any(pattern: str) -> str:
    return f"(?:{pattern})*"


def _anchored(pattern: str) -> re.Pattern[str]:
    # \Z, not $: Python's $ also matches before a trailing newline, Go's does not.
    # ASCII: Go's \w is [0-9A-Za-z_]; Python's would take any Unicode letter.
    return re.compile(rf"\A(?:{pattern})\Z", re.ASCII)


#: Paths are lowercase only, so one repository has one spelling.
ALPHANUMERIC = r"[a-z0-9]+"
#: One dot, one or two underscores, or any run of dashes: ``__`` and ``--`` keep legacy names and hostnames valid.
SEPARATOR = r"(?:[._]|__|[-]+)"
#: A component starts and ends alphanumeric, so ``-x``, ``x-``, ``_x`` and ``a..b`` are refused.
PATH_COMPONENT = ALPHANUMERIC + _any(SEPARATOR + ALPHANUMERIC)
#: Components joined by single slashes (``library/ubuntu``); no empty component, no trailing slash.
PATH = PATH_COMPONENT + _any("/" + PATH_COMPONENT)
#: A DNS label, uppercase allowed (hosts are case-insensitive), no dash at either end.
DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
#: Dotted labels; a decimal IPv4 address such as ``192.168.1.1`` is one too. ``_`` is not allowed in hosts.
DOMAIN_NAME = DOMAIN_COMPONENT + _any(r"\." + DOMAIN_COMPONENT)
#: IPv6 only in brackets, so its colons are not read as a port; zones (``%eth0``) and dotted IPv4 tails are refused.
IPV6_ADDRESS = r"\[(?:[a-fA-F0-9:]+)\]"
#: Digits only and not range-checked: ``:750050`` parses.
OPTIONAL_PORT = r"(?::[0-9]+)?"
#: Where the registry is: a host and maybe a port (``localhost:5000``, ``[::1]:5000``, ``registry.example.com``).
DOMAIN = f"(?:{DOMAIN_NAME}|{IPV6_ADDRESS}){OPTIONAL_PORT}"
#: The repository name; the domain is taken whenever it can be, hence ``foo/bar`` has domain ``foo`` before normalizing.
NAME = _optional(DOMAIN + "/") + PATH
#: Word characters, dots and dashes, not starting with a dot or dash, at most 128 characters (docker's graph/tags.go).
TAG = r"[\w][\w.-]{0,127}"
#: Any algorithm-like name and at least 128 bits of hex; go-digest then decides which algorithms exist.
DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}"
#: A bare image ID: sha256 hex without its algorithm. Never a repository name, so IDs stay unambiguous.
IDENTIFIER = r"[a-f0-9]{64}"

#: The whole reference, capturing ``name``, ``tag`` and ``digest``.
REFERENCE_RE = _anchored(f"(?P<name>{NAME})(?::(?P<tag>{TAG}))?(?:@(?P<digest>{DIGEST}))?")
#: A name alone, capturing ``domain`` (None when absent) and ``path``.
NAME_RE = _anchored(f"(?:(?P<domain>{DOMAIN})/)?(?P<path>{PATH})")
DOMAIN_RE = _anchored(DOMAIN)
PATH_RE = _anchored(PATH)
TAG_RE = _anchored(TAG)
DIGEST_RE = _anchored(DIGEST)
IDENTIFIER_RE = _anchored(IDENTIFIER)

#: The longest path a repository may have; the domain is not counted (since distribution/reference v0.6.0).
NAME_TOTAL_LENGTH_MAX = 255

#: distribution/reference's sentences; docker prints them bare.
INVALID_FORMAT = "invalid reference format"
INVALID_TAG_FORMAT = "invalid tag format"
INVALID_DIGEST_FORMAT = "invalid digest format"
NAME_CONTAINS_UPPERCASE = "repository name must be lowercase"
NAME_EMPTY = "repository name must have at least one component"
NAME_TOO_LONG = f"repository name must not be more than {NAME_TOTAL_LENGTH_MAX} characters"


def _go_lower(text: str) -> str:
    # Go lowercases rune by rune; Python's full case mapping turns U+0130 into two characters ("i" + U+0307),
    # which would change whether a lowercased reference matches (docker says "Aİ/x" is not lowercase).
    return text.replace("\u0130", "i").lower()


@dataclass(frozen=True)
class Reference:
    """An image reference as written, ``[domain/]path[:tag][@digest]``, every part checked against the grammar.

    ``domain`` is "" when absent. Raises InvalidReference (bad domain, path or tag, path too long) or InvalidDigest
    when built from bad parts, so no malformed Reference exists.
    """

    domain: str
    path: str
    tag: str | None = None
    digest: Digest | None = None

    def __post_init__(self) -> None:
        if self.domain and not DOMAIN_RE.match(self.domain):
            raise InvalidReference(INVALID_FORMAT)
        if not PATH_RE.match(self.path):
            raise InvalidReference(INVALID_FORMAT)
        if len(self.path) > NAME_TOTAL_LENGTH_MAX:
            raise InvalidReference(NAME_TOO_LONG)
        if self.tag is not None and not TAG_RE.match(self.tag):
            raise InvalidReference(INVALID_TAG_FORMAT)
        if self.digest is not None and not isinstance(self.digest, Digest):
            if not DIGEST_RE.match(self.digest):
                raise InvalidDigest(INVALID_DIGEST_FORMAT)
            object.__setattr__(self, "digest", Digest(self.digest))

    @property
    def name(self) -> str:
        """``domain/path``, or the path alone when there is no domain; what ``docker push`` calls the repository."""
        return f"{self.domain}/{self.path}" if self.domain else self.path

    def __str__(self) -> str:
        text = self.name
        if self.tag is not None:
            text += ":" + self.tag
        if self.digest is not None:
            text += "@" + self.digest
        return text

    def with_tag(self, tag: str) -> Reference:
        """The same reference with ``tag`` (any digest is kept); raises InvalidReference for a malformed tag."""
        return replace(self, tag=tag)

    def with_digest(self, digest: Digest | str) -> Reference:
        """The same reference pinned to ``digest`` (any tag is kept); raises InvalidDigest for a malformed digest."""
        return replace(self, digest=digest)

    def without_tag_or_digest(self) -> Reference:
        """Just the repository name (Go's ``TrimNamed``)."""
        return Reference(self.domain, self.path)


_T = TypeVar("_T")
#: Texts longer than this are parsed afresh: a valid reference is far shorter, and a hostile line must not fill memory.
MEMO_MAX_TEXT = 512


def memoized(parse_text: Callable[[str], _T]) -> Callable[[str], _T]:
    """``parse_text`` remembering its last 1,024 answers for short texts.

    Every command re-reads the same few names, and the answers are frozen values, so handing back the same one is
    safe. Errors are not remembered: they are raised afresh each time.
    """
    remembered = functools.lru_cache(maxsize=1024)(parse_text)

    @functools.wraps(parse_text)
    def parse_once(text: str) -> _T:
        return remembered(text) if len(text) <= MEMO_MAX_TEXT else parse_text(text)

    return parse_once


@memoized
def parse(text: str) -> Reference:
    """Parse ``text`` by the grammar alone, as Go's ``reference.Parse`` does.

    Raises InvalidReference ("repository name must have at least one component" for "", "repository name must be
    lowercase" when only case is wrong, "repository name must not be more than 255 characters", else "invalid
    reference format") or InvalidDigest with go-digest's message.
    """
    if text == "":
        raise InvalidReference(NAME_EMPTY)
    match = REFERENCE_RE.match(text)
    if match is None:
        lowered = _go_lower(text)
        if lowered != text and REFERENCE_RE.match(lowered):
            raise InvalidReference(NAME_CONTAINS_UPPERCASE)
        raise InvalidReference(INVALID_FORMAT)
    # Split the captured name by matching it again on its own, as upstream does.
    name = NAME_RE.match(match["name"])
    assert name is not None
    domain, path = name["domain"] or "", name["path"]
    if len(path) > NAME_TOTAL_LENGTH_MAX:
        raise InvalidReference(NAME_TOO_LONG)
    digest = Digest.parse(match["digest"]) if match["digest"] is not None else None
    return Reference(domain, path, match["tag"], digest)


def parse_name(text: str) -> Reference:
    """Parse a bare repository name, no tag or digest (Go's ``WithName``), as registries see it in their URLs.

    Raises InvalidReference ("invalid reference format", or the 255-character limit on the path).
    """
    match = NAME_RE.match(text)
    if match is None:
        raise InvalidReference(INVALID_FORMAT)
    if len(match["path"]) > NAME_TOTAL_LENGTH_MAX:
        raise InvalidReference(NAME_TOO_LONG)
    return Reference(match["domain"] or "", match["path"])
