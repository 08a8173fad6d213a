"""Docker Hub's rules and registry:2's lack of them, at the registry's own interface."""

import pytest

from sandbox.errors import (
    LoginFailed,
    ManifestNotFound,
    NotSimulated,
    PullAccessDenied,
    PushDenied,
    UnexpectedStatusCode,
)
from sandbox.registry.hub import hub_prototype
from sandbox.registry.registry import Registry


@pytest.fixture
def hub() -> Registry:
    return hub_prototype().fork()


def test_hub_checks_passwords(hub):
    hub.authenticate("learner", "s3cret-pass")
    with pytest.raises(LoginFailed):
        hub.authenticate("learner", "nope")


def test_anyone_reads_public_repositories_only_the_owner_reads_private_ones(hub):
    assert hub.can_read(None, "library/alpine") and hub.can_read(None, "alice/hello-web")
    assert not hub.can_read(None, "alice/secret-app") and not hub.can_read("learner", "alice/secret-app")
    assert hub.can_read("alice", "alice/secret-app")


def test_private_and_missing_repositories_are_refused_with_the_same_words(hub):
    with pytest.raises(PullAccessDenied) as private:
        hub.fetch(None, "alice/secret-app", "1.0", "alice/secret-app", "alice/secret-app:1.0")
    with pytest.raises(PullAccessDenied) as missing:
        hub.fetch(None, "alice/nothing", "1.0", "alice/nothing", "alice/nothing:1.0")
    assert private.value.message.replace("secret-app", "X") == missing.value.message.replace("nothing", "X")


def test_a_missing_tag_is_manifest_unknown(hub):
    with pytest.raises(ManifestNotFound):
        hub.fetch(None, "library/alpine", "nope", "alpine", "alpine:nope")


def test_pushing_needs_an_account_and_its_own_namespace(hub):
    with pytest.raises(PushDenied):
        hub.check_push(None, "learner/web")
    with pytest.raises(PushDenied):
        hub.check_push("learner", "library/web")
    with pytest.raises(PushDenied):
        hub.check_push("learner", "alice/web")
    hub.check_push("learner", "learner/web")


def test_a_forked_registry_is_independent(hub):
    twin = hub.fork()
    twin.set_visibility("alice/hello-web", "private")
    assert hub.can_read(None, "alice/hello-web") and not twin.can_read(None, "alice/hello-web")


def test_registry_2_lets_anyone_push_and_pull():
    local = Registry(address="localhost:5000")
    local.authenticate("anyone", "anything")
    local.check_push(None, "anything/at/all")


# --- the v1 search API (docker search) -------------------------------------------------------------------


def test_hub_search_names_official_images_by_their_familiar_name(hub):
    [nginx] = [result for result in hub.search("nginx", 25) if result.is_official]
    assert (nginx.name, nginx.description, nginx.is_automated) == ("nginx", "Official build of Nginx.", False)
    assert nginx.star_count > 10_000


def test_hub_search_matches_names_and_descriptions_ignoring_case(hub):
    assert [result.name for result in hub.search("NGINX", 25)] == ["nginx", "alice/hello-web"]  # alice's says nginx
    assert [result.name for result in hub.search("package index", 25)] == ["alpine"]


def test_hub_search_puts_an_exact_name_first_then_more_stars(hub):
    names = [result.name for result in hub.search("e", 25)]
    stars = [result.star_count for result in hub.search("e", 25)]
    assert stars == sorted(stars, reverse=True)
    assert hub.search("node", 25)[0].name == "node"
    assert names.index("ubuntu") < names.index("busybox")


def test_hub_search_returns_at_most_the_limit(hub):
    assert len(hub.search("", 100)) == 31  # 30 official repositories and alice/hello-web
    assert [result.name for result in hub.search("", 2)] == ["nginx", "ubuntu"]


def test_private_repositories_never_appear_in_search_even_for_their_owner(hub):
    assert hub.search("secret", 25) == []
    hub.set_visibility("alice/hello-web", "private")
    assert "alice/hello-web" not in [result.name for result in hub.search("hello", 25)]


def test_a_pushed_repository_appears_with_no_description_and_no_stars(hub):
    image = hub.resolve_any("library/alpine", "latest")
    hub.put_image("learner", "learner/web", "0.0.1", image)
    [web] = [result for result in hub.search("web", 25) if result.name == "learner/web"]
    assert (web.description, web.star_count, web.is_official) == ("", 0, False)


def test_registry_2_has_no_v1_search_and_answers_404():
    with pytest.raises(UnexpectedStatusCode) as answer:
        Registry(address="localhost:5000").search("app", 25)
    assert answer.value.status == 404
    assert str(answer.value) == "Unexpected status code 404"


def test_a_forked_hub_still_serves_search(hub):
    assert hub.fork().search("alpine", 1)[0].name == "alpine"


def test_real_hub_repositories_the_world_does_not_model_are_not_simulated(hub):
    # cassandra is an official image of the real Hub; bitnami is a real Hub user, no account of this world
    for path, familiar in (("library/cassandra", "cassandra"), ("bitnami/redis", "bitnami/redis")):
        with pytest.raises(NotSimulated):
            hub.fetch(None, path, "latest", familiar, familiar + ":latest")
        with pytest.raises(NotSimulated):
            hub.tags(None, path, familiar)


def test_made_up_official_names_and_unpushed_account_repositories_keep_the_hubs_answer(hub):
    for path, familiar in (("library/nosuchimage", "nosuchimage"), ("learner/web", "learner/web")):
        with pytest.raises(PullAccessDenied):
            hub.fetch(None, path, "latest", familiar, familiar + ":latest")


def test_a_new_account_makes_its_namespace_modelled(hub):
    hub.add_account("bitnami", "pw")
    with pytest.raises(PullAccessDenied):
        hub.fetch(None, "bitnami/redis", "latest", "bitnami/redis", "bitnami/redis:latest")
