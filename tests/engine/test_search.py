"""dockerd's side of ``docker search`` (``GET /images/search``): filters, limit, which registry a term names, and
what happens when that registry has no search, at the engine's facade."""

from __future__ import annotations

import pytest

from sandbox import Sandbox
from sandbox.engine.search import split_search_term
from sandbox.errors import (
    InvalidArgument,
    InvalidFilter,
    InvalidRegistryEndpoint,
    RegistryUnreachable,
    SearchLimitOutOfRange,
    SearchTermHasScheme,
    UnexpectedStatusCode,
)
from sandbox.world import World


@pytest.fixture
def world() -> World:
    return World(hosts=("laptop", "server"))


@pytest.fixture
def engine(world):
    return world.host("laptop").engine


def names(results) -> list[str]:
    return [result.name for result in results]


@pytest.mark.parametrize(("term", "split"), [
    ("nginx", ("docker.io", "nginx")),
    ("alice/hello-web", ("docker.io", "alice/hello-web")),
    ("library/nginx", ("docker.io", "library/nginx")),
    ("localhost/app", ("localhost", "app")),
    ("localhost:5000/app", ("localhost:5000", "app")),
    ("myregistry.example.com/team/app", ("myregistry.example.com", "team/app")),
    ("app:5000/x", ("app:5000", "x")),
    ("nginx proxy", ("docker.io", "nginx proxy")),
])
def test_a_term_names_a_registry_only_by_a_host_like_first_component(term, split):
    assert split_search_term(term) == split


def test_search_needs_no_login_and_finds_official_images(engine):
    assert names(engine.image_search("nginx"))[0] == "nginx"


@pytest.mark.parametrize("term", ["library/nginx", "docker.io/nginx", "docker.io/library/nginx",
                                  "index.docker.io/library/nginx"])
def test_official_images_are_searched_without_library(engine, term):
    assert names(engine.image_search(term)) == names(engine.image_search("nginx"))


def test_search_changes_nothing(world, engine):
    before = (dict(world.hub.repositories), dict(engine.images.tags), len(world.events))
    engine.image_search("a", {"stars": ["1"]}, 5)
    assert (dict(world.hub.repositories), dict(engine.images.tags), len(world.events)) == before


def test_limit_zero_means_the_daemons_default_of_25(engine):
    # the Hub lists 31 public repositories; the daemon's default caps the answer at 25
    assert len(engine.image_search("", limit=0)) == len(engine.image_search("", limit=25)) == 25
    assert len(engine.image_search("", limit=100)) == 31


@pytest.mark.parametrize("limit", [101, 1000, -1])
def test_limit_outside_1_to_100_is_refused_in_the_daemons_words(engine, limit):
    with pytest.raises(SearchLimitOutOfRange) as refused:
        engine.image_search("nginx", limit=limit)
    assert isinstance(refused.value, InvalidArgument)
    assert str(refused.value) == f"limit {limit} is outside the range of [1, 100]"


def test_filters_apply_after_the_limit_so_fewer_rows_may_come_back(engine):
    assert names(engine.image_search("", limit=2)) == ["nginx", "ubuntu"]
    assert names(engine.image_search("", {"stars": ["20000"]}, limit=2)) == ["nginx"]


def test_stars_keeps_repositories_with_at_least_the_largest_value_given(engine):
    results = engine.image_search("", {"stars": ["100", "5000"]})
    assert results and min(result.star_count for result in results) >= 5000
    assert names(engine.image_search("hello-web", {"stars": ["-3"]})) == ["alice/hello-web"]


@pytest.mark.parametrize(("value", "official"), [("true", True), ("1", True), ("false", False), ("0", False)])
def test_is_official_keeps_only_official_or_only_community_repositories(engine, value, official):
    results = engine.image_search("nginx", {"is-official": [value]})
    assert results and {result.is_official for result in results} == {official}


def test_is_automated_true_finds_nothing_before_any_registry_is_asked(engine):
    assert engine.image_search("nginx", {"is-automated": ["true"]}) == []
    assert engine.image_search("nowhere.example/x", {"is-automated": ["1"]}) == []
    assert names(engine.image_search("nginx", {"is-automated": ["false"]})) == names(engine.image_search("nginx"))


@pytest.mark.parametrize(("filters", "text"), [
    ({"foo": ["bar"]}, "invalid filter 'foo'"),
    ({"zeta": ["1"], "beta": ["1"]}, "invalid filter 'beta'"),
    ({"is-official": ["yes"]}, "invalid filter 'is-official=[yes]'"),
    ({"is-official": ["true", "false"]}, "invalid filter 'is-official=[false true]'"),
    ({"is-official": [""]}, "invalid filter 'is-official=[]'"),
    ({"is-automated": ["maybe"]}, "invalid filter 'is-automated=[maybe]'"),
    ({"stars": ["abc"]}, "invalid filter 'stars=abc': strconv.Atoi: parsing \"abc\": invalid syntax"),
    ({"stars": ["1_000"]}, "invalid filter 'stars=1_000': strconv.Atoi: parsing \"1_000\": invalid syntax"),
    ({"stars": ["9" * 20]}, (f"invalid filter 'stars={'9' * 20}': strconv.Atoi: parsing \"{'9' * 20}\": value out "
                             "of range")),
])
def test_invalid_filters_are_refused_in_the_daemons_words(engine, filters, text):
    with pytest.raises(InvalidFilter) as refused:
        engine.image_search("nginx", filters)
    assert str(refused.value) == text


def test_filters_are_checked_before_the_term(engine):
    with pytest.raises(InvalidFilter):
        engine.image_search("http://localhost:5000/app", {"stars": ["x"]})


def test_a_term_with_a_scheme_is_refused(engine):
    with pytest.raises(SearchTermHasScheme) as refused:
        engine.image_search("https://localhost:5000/app")
    assert str(refused.value) == (
        "invalid repository name: repository name (https://localhost:5000/app) should not have a scheme"
    )


def test_registry_2_on_localhost_is_reached_but_has_no_search():
    sb = Sandbox()
    sb.run("docker run -d -p 5000:5000 registry:2")
    with pytest.raises(UnexpectedStatusCode) as answer:
        sb.world.host("laptop").engine.image_search("localhost:5000/app")
    assert str(answer.value) == "Unexpected status code 404"


def test_the_limit_is_checked_after_the_registry_answers_its_ping():
    sb = Sandbox()
    engine = sb.world.host("laptop").engine
    with pytest.raises(InvalidRegistryEndpoint):
        engine.image_search("localhost:5000/app", limit=500)
    sb.run("docker run -d -p 5000:5000 registry:2")
    with pytest.raises(SearchLimitOutOfRange):
        engine.image_search("localhost:5000/app", limit=500)


def test_nothing_on_localhost_fails_both_the_https_and_the_http_ping(engine):
    with pytest.raises(InvalidRegistryEndpoint) as refused:
        engine.image_search("localhost:5000/app")
    assert isinstance(refused.value, RegistryUnreachable)
    assert str(refused.value) == (
        'invalid registry endpoint "http://localhost:5000/v1/". HTTPS attempt: Get "https://localhost:5000/v1/_ping": '
        "dial tcp 127.0.0.1:5000: connect: connection refused. HTTP attempt: Get \"http://localhost:5000/v1/_ping\": "
        "dial tcp 127.0.0.1:5000: connect: connection refused"
    )


def test_without_a_port_the_http_ping_goes_to_port_80(engine):
    with pytest.raises(InvalidRegistryEndpoint) as refused:
        engine.image_search("localhost/app")
    assert refused.value.https_cause == "dial tcp 127.0.0.1:443: connect: connection refused"
    assert refused.value.http_cause == "dial tcp 127.0.0.1:80: connect: connection refused"


def test_an_unknown_host_is_secure_so_only_https_is_tried_and_the_daemon_suggests_insecure_registry(engine):
    with pytest.raises(InvalidRegistryEndpoint) as refused:
        engine.image_search("myregistry.example.com/x")
    assert refused.value.http_cause is None
    assert str(refused.value) == (
        'invalid registry endpoint https://myregistry.example.com/v1/: Get "https://myregistry.example.com/v1/_ping": '
        "dial tcp: lookup myregistry.example.com: no such host. If this private registry supports only HTTP or HTTPS "
        "with an unknown CA certificate, please add `--insecure-registry myregistry.example.com` to the daemon's "
        "arguments. In the case of HTTPS, if you have access to the registry's CA certificate, no need for the flag; "
        "simply place the CA certificate at /etc/docker/certs.d/myregistry.example.com/ca.crt"
    )


def test_another_hosts_plain_http_registry_fails_the_https_ping():
    sb = Sandbox()
    sb.run("docker run -d -p 5000:5000 registry:2")
    with pytest.raises(InvalidRegistryEndpoint) as refused:
        sb.world.host("server").engine.image_search("laptop:5000/app")
    assert refused.value.https_cause == "http: server gave HTTP response to HTTPS client"
