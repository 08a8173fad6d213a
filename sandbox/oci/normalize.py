"""Docker's reading of references: familiar names (``alpine``) to normalized ones (``docker.io/library/alpine``)
and back.

The rules (distribution/reference's normalization, applied by docker 28 to every name a user types):

- A name without a slash is an official image on Docker Hub: ``alpine`` is ``docker.io/library/alpine``.
- Otherwise the first component names a registry when it is ``localhost``, contains ``.`` or ``:``
  (``example.com``, ``127.0.0.1``, ``myhost:5000``, ``[::1]:5000``) or has an uppercase letter
  (``LOCALDOMAIN/app``); if not, it is a Docker Hub namespace (``bitnami/redis`` is ``docker.io/bitnami/redis``).
- ``index.docker.io``, Docker Hub's legacy name, becomes ``docker.io``; on Docker Hub a one-component path gets
  ``library/`` (``docker.io/alpine`` is ``docker.io/library/alpine``).
- A 64-hex string is never a name, since it would read as an image ID.
- The familiar form undoes it: ``docker.io/`` goes, and ``library/`` goes when one component is left.

The 255-character limit applies to the normalized path, so an official image's familiar name has room for 247.
What the daemon shows: ``Pulling from library/alpine`` is :attr:`Reference.path`, ``The push refers to repository
[docker.io/library/alpine]`` is :attr:`Reference.name`, ``docker images`` shows :func:`familiar_name` and the tag.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from sandbox.errors import InvalidArgument, InvalidDigest, InvalidReference
from sandbox.oci.digest import Digest
from sandbox.oci.reference import IDENTIFIER_RE, Reference, _go_lower, memoized, parse

__all__ = [
    "DEFAULT_DOMAIN",
    "DEFAULT_TAG",
    "LEGACY_DEFAULT_DOMAIN",
    "OFFICIAL_REPO_PREFIX",
    "familiar",
    "familiar_match",
    "familiar_name",
    "familiar_string",
    "parse_any",
    "parse_docker_ref",
    "parse_normalized_named",
    "path_match",
    "split_docker_domain",
    "with_default_tag",
]

#: Docker Hub, the registry of every name that does not name another.
DEFAULT_DOMAIN = "docker.io"
#: Docker Hub's old name ("the Docker Index"), still accepted and rewritten to ``docker.io``.
LEGACY_DEFAULT_DOMAIN = "index.docker.io"
#: The namespace of official images on Docker Hub.
OFFICIAL_REPO_PREFIX = "library/"
#: The tag docker assumes when a reference has neither tag nor digest.
DEFAULT_TAG = "latest"
#: A registry that needs no dot or port to be recognized as one.
LOCALHOST = "localhost"


def split_docker_domain(name: str) -> tuple[str, str]:
    """Split a familiar name into (registry domain, remainder), adding ``docker.io`` and ``library/`` as docker does.

    The remainder keeps any tag or digest. The split is textual; the result is validated by the caller's parse.
    """
    first, slash, rest = name.partition("/")
    if not slash:
        # A lone component is never a host, even "localhost" or "example.com": it is an official image.
        return DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX + name
    if first == LOCALHOST:
        domain, remainder = first, rest
    elif first == LEGACY_DEFAULT_DOMAIN:
        domain, remainder = DEFAULT_DOMAIN, rest
    elif "." in first or ":" in first or _go_lower(first) != first:
        # Namespaces are lowercase, so an uppercase first component can only be a host.
        domain, remainder = first, rest
    else:
        domain, remainder = DEFAULT_DOMAIN, name
    if domain == DEFAULT_DOMAIN and "/" not in remainder:
        remainder = OFFICIAL_REPO_PREFIX + remainder
    return domain, remainder


@memoized
def parse_normalized_named(text: str) -> Reference:
    """Parse what a user typed into the full reference docker uses (Go's ``ParseNormalizedNamed``).

    Raises InvalidReference with the texts docker prints: "invalid repository name (<text>), cannot specify 64-byte
    hexadecimal strings", "invalid reference format: repository name (<remote>) must be lowercase" where <remote> is
    the normalized path up to the first colon (``library/MyApp``), or any error of :func:`parse`; or InvalidDigest.
    """
    if IDENTIFIER_RE.match(text):
        raise InvalidReference(f"invalid repository name ({text}), cannot specify 64-byte hexadecimal strings")
    domain, remainder = split_docker_domain(text)
    # Everything before the first colon, even a digest's algorithm: "localhost/Foo@sha256:..." reports "Foo@sha256".
    remote = remainder.partition(":")[0]
    if _go_lower(remote) != remote:
        raise InvalidReference(f"invalid reference format: repository name ({remote}) must be lowercase")
    return parse(f"{domain}/{remainder}")


@lru_cache(maxsize=1024)
def with_default_tag(ref: Reference) -> Reference:
    """``ref`` with tag ``latest`` when it has neither tag nor digest (Go's ``TagNameOnly``), else ``ref``."""
    if ref.tag is None and ref.digest is None:
        return ref.with_tag(DEFAULT_TAG)
    return ref


def parse_docker_ref(text: str) -> Reference:
    """Normalize as docker does before it resolves an image (Go's ``ParseDockerRef``).

    A name alone gets ``:latest``; a reference with both tag and digest keeps only the digest, which is what is
    pulled. Raises what :func:`parse_normalized_named` raises.
    """
    ref = parse_normalized_named(text)
    if ref.tag is not None and ref.digest is not None:
        return replace(ref, tag=None)
    return with_default_tag(ref)


def familiar(ref: Reference) -> Reference:
    """The short form docker shows: ``docker.io/`` dropped, and ``library/`` too when one component remains."""
    if ref.domain != DEFAULT_DOMAIN:
        return ref
    path = ref.path
    official = path.removeprefix(OFFICIAL_REPO_PREFIX)
    if official != path and "/" not in official:
        path = official
    return replace(ref, domain="", path=path)


def familiar_name(ref: Reference) -> str:
    """The familiar repository name, as in the REPOSITORY column of ``docker images`` (``alpine``, ``me/app``)."""
    return familiar(ref).name


@lru_cache(maxsize=1024)
def familiar_string(ref: Reference) -> str:
    """The familiar reference with its tag and digest (``alpine:latest``), as docker prints references back."""
    return str(familiar(ref))


@memoized
def parse_any(text: str) -> Reference | Digest:
    """Parse an image ID (64 hex digits, or a digest like ``sha256:<hex>``) as a Digest, else a normalized name.

    Go's ``ParseAnyReference``: how ``docker tag``, ``rmi`` and ``inspect`` accept IDs. Short ID prefixes are
    names here; finding the image they abbreviate is the image store's job. Raises what
    :func:`parse_normalized_named` raises.
    """
    if IDENTIFIER_RE.match(text):
        return Digest("sha256:" + text)
    try:
        return Digest.parse(text)
    except InvalidDigest:
        return parse_normalized_named(text)


def familiar_match(pattern: str, ref: Reference) -> bool:
    """Whether ``ref``'s familiar string, or failing that its familiar name, matches ``pattern`` (:func:`path_match`).

    This is how the daemon applies ``docker images PATTERN`` and ``--filter reference=PATTERN``: ``alpine`` and
    ``alp*`` match ``alpine:latest`` by name, ``alpine:3*`` by string. Raises InvalidArgument for a malformed pattern.
    """
    chunks = _compile_pattern(pattern)
    return _match_chunks(chunks, familiar_string(ref)) or _match_chunks(chunks, familiar_name(ref))


def path_match(pattern: str, name: str) -> bool:
    r"""Whether all of ``name`` matches the shell ``pattern``, with the semantics of Go's ``path.Match``.

    ``*`` is any run of non-``/`` characters, ``?`` one non-``/`` character, ``[a-z]`` and ``[^a-z]`` are classes
    (which may match ``/``), ``\`` escapes. Raises InvalidArgument("syntax error in pattern") for a malformed
    pattern, whether or not the name would match: the daemon returns that error as is.
    """
    return _match_chunks(_compile_pattern(pattern), name)


_BAD_PATTERN = "syntax error in pattern"

#: One pattern position: a test on one character.
_Atom = Callable[[str], bool]
#: A run of atoms, preceded by a star or not.
_Chunk = tuple[bool, tuple[_Atom, ...]]


@lru_cache(maxsize=256)
def _compile_pattern(pattern: str) -> tuple[_Chunk, ...]:
    # Go reports a malformed pattern whatever the name, so the whole pattern is checked before any matching.
    chunks: list[tuple[bool, list[_Atom]]] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            if not (chunks and chunks[-1][0] and not chunks[-1][1]):
                chunks.append((True, []))
            i += 1
            continue
        if not chunks:
            chunks.append((False, []))
        if char == "?":
            chunks[-1][1].append(lambda c: c != "/")
            i += 1
        elif char == "[":
            atom, i = _compile_class(pattern, i + 1)
            chunks[-1][1].append(atom)
        else:
            if char == "\\":
                i += 1
                if i == len(pattern):
                    raise InvalidArgument(_BAD_PATTERN)
            chunks[-1][1].append(pattern[i].__eq__)
            i += 1
    return tuple((star, tuple(atoms)) for star, atoms in chunks)


def _compile_class(pattern: str, i: int) -> tuple[_Atom, int]:
    negated = pattern.startswith("^", i)
    if negated:
        i += 1
    ranges: list[tuple[str, str]] = []
    while not (ranges and pattern.startswith("]", i)):
        low, i = _class_char(pattern, i)
        high = low
        if pattern[i] == "-":
            high, i = _class_char(pattern, i + 1)
        ranges.append((low, high))
    return (lambda c: any(lo <= c <= hi for lo, hi in ranges) != negated), i + 1


def _class_char(pattern: str, i: int) -> tuple[str, int]:
    # A class member may not be a bare "-" or "]", and the class must still be closed after it.
    if i >= len(pattern) or pattern[i] in "-]":
        raise InvalidArgument(_BAD_PATTERN)
    if pattern[i] == "\\":
        i += 1
        if i == len(pattern):
            raise InvalidArgument(_BAD_PATTERN)
    if i + 1 >= len(pattern):
        raise InvalidArgument(_BAD_PATTERN)
    return pattern[i], i + 1


def _match_atoms(atoms: tuple[_Atom, ...], name: str, start: int) -> int | None:
    end = start + len(atoms)
    if end > len(name) or not all(atom(c) for atom, c in zip(atoms, name[start:end], strict=True)):
        return None
    return end


def _match_chunks(chunks: tuple[_Chunk, ...], name: str) -> bool:
    pos = 0
    for index, (star, atoms) in enumerate(chunks):
        if star and not atoms:
            return "/" not in name[pos:]
        last = index == len(chunks) - 1
        # Go settles each chunk at the first place it fits and never reconsiders (a star cannot cross "/").
        start = pos
        while True:
            end = _match_atoms(atoms, name, start)
            if end is not None and (not last or end == len(name)):
                pos = end
                break
            if not star or start == len(name) or name[start] == "/":
                return False
            start += 1
    return pos == len(name)
