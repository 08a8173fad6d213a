"""``GET /images/search``: what dockerd 28.2 does for ``docker search`` (moby v28.2.2 ``registry/search.go``,
``search_endpoint_v1.go`` and ``search_session.go``).

In dockerd's order: the filters are checked (``is-automated=true`` then ends the search with no results, before any
registry is asked); a term with a scheme is refused; the term is split into a registry and a query (a first component
with a ``.`` or ``:``, or ``localhost``, names a registry; anything else searches Docker Hub, whose official images
are searched without ``library/``); a registry other than Docker Hub's index is pinged at ``/v1/_ping`` (HTTPS only
for a secure registry, HTTPS then HTTP for a loopback one); the limit is checked (0 means 25); the registry answers;
the daemon keeps the results that pass ``is-official`` and ``stars``, so a limit can leave fewer rows than asked.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping

from sandbox.engine.network import Network
from sandbox.errors import (
    InvalidFilter,
    InvalidRegistryEndpoint,
    RegistryUnreachable,
    SearchLimitOutOfRange,
    SearchTermHasScheme,
)
from sandbox.registry.registry import Registry, SearchResult

#: The filters dockerd's search accepts (``is-automated`` is deprecated: true finds nothing, false is ignored).
ACCEPTED_FILTERS = frozenset({"is-automated", "is-official", "stars"})
#: Results dockerd asks for when the client sends no limit (the client sends one only when ``--limit`` > 0).
DEFAULT_LIMIT = 25
MAX_LIMIT = 100
#: Docker Hub's index, as dockerd names it; ``index.docker.io`` is normalized to it.
INDEX_NAME = "docker.io"
#: What Go's strconv.Atoi accepts: an optional sign and decimal digits (no spaces, no underscores).
_GO_INT = re.compile(r"[+-]?[0-9]+")
_GO_INT_MAX = 2**63 - 1


def search(network: Network, host: str, term: str, filters: Mapping[str, Iterable[str]], limit: int = 0,
           ) -> list[SearchResult]:
    """Search the registry ``term`` names, as dockerd does, and apply the filters.

    Raises `InvalidFilter`, `SearchTermHasScheme`, `InvalidRegistryEndpoint`, `SearchLimitOutOfRange`, or what the
    registry answers (`UnexpectedStatusCode` from a registry:2).
    """
    values = {name: sorted(set(given)) for name, given in filters.items()}  # Go keeps a set; we list it sorted
    unknown = sorted(set(values) - ACCEPTED_FILTERS)
    if unknown:
        raise InvalidFilter(unknown[0])
    if _bool_filter(values, "is-automated"):
        return []
    official = _bool_filter(values, "is-official")
    stars = _stars_filter(values)
    results = _search_unfiltered(network, host, term, limit)
    return [
        result for result in results
        if (official is None or result.is_official == official) and (stars is None or result.star_count >= stars)
    ]


def split_search_term(term: str) -> tuple[str, str]:
    """moby's splitReposSearchTerm: ``(registry, query)``. A search term is not an image reference (``nginx proxy``
    is a fine term), so it is split as dockerd splits it, not by the reference grammar."""
    first, slash, rest = term.partition("/")
    if not slash or ("." not in first and ":" not in first and first != "localhost"):
        return INDEX_NAME, term
    return first, rest


def _bool_filter(values: Mapping[str, list[str]], name: str) -> bool | None:
    """filters.Args.GetBoolOrDefault: None when absent; ``1``/``true`` or ``0``/``false``, never both."""
    if name not in values:
        return None
    given = values[name]
    is_false = "0" in given or "false" in given
    is_true = "1" in given or "true" in given
    if is_false == is_true:
        raise InvalidFilter(name, tuple(given))
    return is_true


def _stars_filter(values: Mapping[str, list[str]]) -> int | None:
    """The largest ``stars=N`` (never below 0, as dockerd starts from 0); None when absent."""
    if "stars" not in values:
        return None
    least = 0
    for text in values["stars"]:
        if not _GO_INT.fullmatch(text):
            raise InvalidFilter("stars", (text,), cause=f'strconv.Atoi: parsing "{text}": invalid syntax')
        number = int(text)
        if not -_GO_INT_MAX - 1 <= number <= _GO_INT_MAX:
            raise InvalidFilter("stars", (text,), cause=f'strconv.Atoi: parsing "{text}": value out of range')
        least = max(least, number)
    return least


def _search_unfiltered(network: Network, host: str, term: str, limit: int) -> list[SearchResult]:
    if "://" in term:
        raise SearchTermHasScheme(term)
    index_name, query = split_search_term(term)
    if index_name == "index.docker.io":
        index_name = INDEX_NAME
    if index_name == INDEX_NAME:
        query = query.removeprefix("library/")  # official images are searched by their familiar name
        registry = network.registry(INDEX_NAME, host)  # dockerd never pings Docker Hub's index
    else:
        registry = _v1_endpoint(network, host, index_name)
    limit = limit or DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise SearchLimitOutOfRange(limit)
    return registry.search(query, limit)


def _v1_endpoint(network: Network, host: str, index_name: str) -> Registry:
    """Ping a registry as newV1Endpoint does; a loopback registry is insecure by default and may answer over HTTP.

    The network answers for HTTPS, except that it already reaches a loopback registry:2 over HTTP, which is where
    dockerd's fallback ends up too. Raises `InvalidRegistryEndpoint`.
    """
    try:
        return network.registry(index_name, host)
    except RegistryUnreachable as https_failure:
        if not _loopback(index_name):
            raise InvalidRegistryEndpoint(index_name, https_failure.cause) from None
        # without a port, HTTPS went to 443 and plain HTTP goes to 80
        http_address = index_name if _has_port(index_name) else f"{index_name}:80"
        try:
            return network.registry(http_address, host)
        except RegistryUnreachable as http_failure:
            raise InvalidRegistryEndpoint(index_name, https_failure.cause, http_failure.cause) from None


def _hostname(index_name: str) -> str:
    if index_name.startswith("["):
        return index_name[1:].partition("]")[0]
    return index_name.partition(":")[0]


def _has_port(index_name: str) -> bool:
    return "]:" in index_name if index_name.startswith("[") else ":" in index_name


def _loopback(index_name: str) -> bool:
    """dockerd's default insecure registries: 127.0.0.0/8 and ::1 (``localhost`` resolves there)."""
    hostname = _hostname(index_name)
    if hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False
