"""Docker Hub as every world starts: every catalogue repository is listed from the start, and each is built (turned
into manifests, configs and digests) only when a world first reads it, once per process, shared by every world."""

import pytest

from sandbox import Sandbox
from sandbox.registry.catalogue import load_catalogue
from sandbox.registry.hub import (
    catalogue_image,
    catalogue_index,
    hub_prototype,
    hub_repository,
    unmodelled_program_layers,
)


@pytest.fixture
def fresh_process() -> None:
    """The Hub as a fresh process has it: no prototype made yet and no repository built."""
    hub_prototype.cache_clear()
    hub_repository.cache_clear()


def _built() -> int:
    return hub_repository.cache_info().currsize


def test_making_a_world_builds_no_repository(fresh_process):
    world = Sandbox()
    assert len(world.world.hub.repositories) == len(load_catalogue().repositories())
    assert "library/alpine" in world.world.hub.repositories
    assert _built() == 0


def test_a_fresh_world_pulling_alpine_builds_only_alpines_repository(fresh_process):
    assert Sandbox().run("docker pull alpine").exit_code == 0
    assert _built() == 1
    hits = hub_repository.cache_info().hits
    hub_repository("library/alpine")
    assert hub_repository.cache_info().hits == hits + 1  # the one built was alpine's


def test_listing_images_and_missing_repositories_build_nothing(fresh_process):
    world = Sandbox()
    assert world.run("docker images").exit_code == 0
    assert world.run("docker pull learner/nothing-here").exit_code == 1
    assert _built() == 0


def test_every_world_shares_one_built_repository_per_path(fresh_process):
    first, second = Sandbox(), Sandbox()
    fork = second.fork()
    for world in (first, fork):
        world.run("docker pull alpine")
    assert first.world.hub.repositories["library/alpine"] is fork.world.hub.repositories["library/alpine"]
    assert _built() == 1


def test_search_lists_every_public_catalogue_repository_with_its_listing(fresh_process):
    catalogue = load_catalogue()
    first_entry = {}
    for entry in catalogue.images:
        first_entry.setdefault(entry.repository, entry)
    expected = {
        (path.removeprefix("library/"), catalogue.listing(path).description, catalogue.listing(path).stars)
        for path, entry in first_entry.items() if entry.visibility == "public"
    }
    found = Sandbox().world.hub.search("", 100)
    assert {(result.name, result.description, result.star_count) for result in found} == expected


def test_a_repository_holds_every_tag_of_its_catalogue_images():
    catalogue = load_catalogue()
    for path in catalogue.repositories():
        repository = hub_repository(path)
        assert set(repository.tags) == set(catalogue.tags(path)), path
        for tag, entry in catalogue.tags(path).items():
            served = repository.resolve(tag)
            own = served.select(f"{entry.os}/{entry.architecture}") if len(entry.platforms) > 1 else served
            assert own.id == catalogue_image(entry).id, f"{path}:{tag}"


def test_a_path_outside_the_catalogue_is_no_repository_of_it():
    with pytest.raises(KeyError):
        hub_repository("learner/web")


def test_unmodelled_program_layers_are_the_top_layer_of_every_platform_of_each_image_that_does_not_run():
    served = set()
    for entry in load_catalogue().images:
        if not entry.runs:
            images = catalogue_index(entry).images if len(entry.platforms) > 1 else (catalogue_image(entry),)
            served.update(image.layers[-1].digest for image in images)
    assert served and unmodelled_program_layers() == served
