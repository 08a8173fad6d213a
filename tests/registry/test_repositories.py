"""A registry's repositories by path: every path is known from the start, a pending one is built when first read."""

import pytest

from sandbox.registry.repositories import Repositories
from sandbox.registry.repository import Repository


@pytest.fixture
def built() -> list[str]:
    """The paths the builder was asked for, in order."""
    return []


@pytest.fixture
def repositories(built) -> Repositories:
    def build(path: str) -> Repository:
        built.append(path)
        return Repository(path=path, description=f"built {path}")

    return Repositories(("library/alpine", "library/nginx", "alice/hello-web"), build)


def test_membership_iteration_and_length_build_nothing(repositories, built):
    assert "library/nginx" in repositories and "library/ubuntu" not in repositories
    assert list(repositories) == ["library/alpine", "library/nginx", "alice/hello-web"]
    assert sorted(repositories) == ["alice/hello-web", "library/alpine", "library/nginx"]
    assert len(repositories) == 3
    assert built == []


def test_a_read_builds_that_repository_once(repositories, built):
    assert repositories["library/nginx"].description == "built library/nginx"
    assert repositories.get("library/nginx") is repositories["library/nginx"]
    assert built == ["library/nginx"]


def test_get_of_a_missing_path_builds_nothing(repositories, built):
    assert repositories.get("library/ubuntu") is None
    with pytest.raises(KeyError):
        repositories["library/ubuntu"]
    assert built == []


def test_values_build_every_pending_repository(repositories, built):
    assert [repo.path for repo in repositories.values()] == list(repositories)
    assert sorted(built) == sorted(repositories)


def test_a_write_replaces_a_pending_repository_in_place_and_a_new_path_comes_last(repositories, built):
    repositories["library/nginx"] = Repository(path="library/nginx", stars=7)
    repositories["learner/web"] = Repository(path="learner/web")
    assert list(repositories) == ["library/alpine", "library/nginx", "alice/hello-web", "learner/web"]
    assert repositories["library/nginx"].stars == 7
    assert built == []


def test_a_copy_shares_built_values_and_leaves_pending_ones_pending(repositories, built):
    alpine = repositories["library/alpine"]
    twin = repositories.copy()
    twin["learner/web"] = Repository(path="learner/web")
    assert twin["library/alpine"] is alpine and "learner/web" not in repositories
    assert built == ["library/alpine"]
    twin["library/nginx"]
    assert built == ["library/alpine", "library/nginx"]


def test_equality_compares_contents_like_a_dict(repositories):
    assert Repositories() == {} and repositories != {}
    assert repositories == {path: repositories[path] for path in repositories}


def test_pending_paths_need_a_builder():
    with pytest.raises(ValueError, match="need a builder"):
        Repositories(("library/alpine",))
