"""Docker Hub's rules and registry:2's lack of them, at the registry's own interface."""

import pytest

from sandbox.errors import LoginFailed, ManifestNotFound, PullAccessDenied, PushDenied
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
