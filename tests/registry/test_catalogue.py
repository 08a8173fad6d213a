"""The Docker Hub catalogue: what the shipped data says, and the rules every edit to it must keep."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from sandbox.registry import catalogue
from sandbox.registry.catalogue import Catalogue, load_catalogue, load_hub_tags, parse_catalogue, parse_hub_tags

MB = 1_000_000


@pytest.fixture(scope="module")
def hub() -> Catalogue:
    return load_catalogue()


# --- the shipped catalogue ------------------------------------------------------------------------


def test_hub_official_names_every_official_image_of_the_real_hub_at_the_date(hub):
    # official-images' library/ at 30e897d0 (2025-04-11) has 142 images; the catalogue models some of them
    assert len(hub.hub_official) == 142
    assert {"postgres", "mysql", "wordpress", "alpine", "nginx"} <= hub.hub_official
    modelled = {path.removeprefix("library/") for path in hub.repositories() if path.startswith("library/")}
    assert modelled <= hub.hub_official
    assert hub.unmodelled_official == hub.hub_official - modelled


def test_every_modelled_official_tag_is_a_tag_the_real_hub_has(hub):
    # hub_tags.txt is the union of official-images' library/NAME over its history; the catalogue models some of them
    real = load_hub_tags()
    official = {path.removeprefix("library/") for path in hub.repositories() if path.startswith("library/")}
    assert set(real) == official
    for image in hub:
        if image.official:
            name = image.repository.removeprefix("library/")
            assert set(image.tags) | set(image.former_tags) <= real[name], image.repository


def test_the_real_hubs_tags_keep_tags_official_images_no_longer_builds():
    real = load_hub_tags()
    assert {"16", "15-alpine", "9.6", "latest"} <= real["postgres"]
    assert {"1.19", "1.19-alpine"} <= real["nginx"] and "14" in real["node"] and "3.8" in real["python"]
    assert "lates" not in real["alpine"] and "9.99" not in real["alpine"]


def test_hub_tags_format_groups_tags_by_suffix_and_names_a_bad_line():
    text = "# comment\n[postgres]\n*: 16 latest\n*-alpine: 15 15.1\n"
    assert parse_hub_tags(text) == {"postgres": frozenset({"16", "latest", "15-alpine", "15.1-alpine"})}
    with pytest.raises(ValueError, match="line 2"):
        parse_hub_tags("[postgres]\n16 latest\n")


def test_hub_official_must_name_every_modelled_official_image():
    with pytest.raises(ValueError, match="does not list"):
        parse_catalogue(_minimal() | {"hub_official": {"names": ["nginx"]}})


def test_catalogue_has_thirty_official_repositories_with_the_tutorial_images_pull_only(hub):
    official = {path.removeprefix("library/") for path in hub.repositories() if path.startswith("library/")}
    assert len(official) == 30
    tutorial = {"postgres", "mysql", "mariadb", "mongo", "httpd", "golang", "eclipse-temurin", "php", "ruby", "rust",
                "wordpress", "traefik", "rabbitmq", "memcached", "caddy", "haproxy", "gcc", "fedora", "amazonlinux"}
    assert tutorial <= official
    assert {image.repository.removeprefix("library/") for image in hub if not image.runs} == tutorial


def test_tutorial_images_are_built_on_the_catalogues_bases(hub):
    slim = hub.image_for("library/debian", "bookworm-slim").layers[0]
    for name in ("postgres", "httpd", "php", "memcached", "haproxy", "wordpress"):
        assert hub.image_for(f"library/{name}", "latest").layers[0] is slim, name
    noble = hub.image_for("library/ubuntu", "24.04").layers[0]
    for name in ("mariadb", "mongo", "eclipse-temurin", "rabbitmq"):
        assert hub.image_for(f"library/{name}", "latest").layers[0] is noble, name
    alpine = hub.image_for("library/alpine", "3.21.3").layers[0]
    assert hub.image_for("library/caddy", "latest").layers[0] is alpine


def test_catalogue_is_loaded_once_per_process(hub):
    assert load_catalogue() is hub


def test_catalogue_is_pinned_to_april_2025(hub):
    assert hub.as_of == date(2025, 4, 11)
    assert max(image.created for image in hub) <= datetime(2025, 4, 11, tzinfo=timezone.utc)


@pytest.mark.parametrize("repository", [
    "library/hello-world", "library/alpine", "library/busybox", "library/ubuntu", "library/debian",
    "library/nginx", "library/node", "library/python", "library/redis", "library/registry",
])
def test_catalogue_has_the_official_images_lessons_use(hub, repository):
    assert repository in hub.repositories()
    assert "latest" in hub.tags(repository)


@pytest.mark.parametrize(("repository", "tags"), [
    ("library/alpine", ["3.21", "3", "latest", "3.21.3"]),
    ("library/ubuntu", ["24.04", "noble", "latest"]),
    ("library/debian", ["bookworm", "12", "latest"]),
    ("library/nginx", ["1.27", "mainline", "latest"]),
    ("library/node", ["22", "lts", "jod"]),
    ("library/node", ["20-alpine", "20.19.0-alpine", "iron-alpine"]),
    ("library/python", ["3.13", "3", "latest"]),
    ("library/redis", ["7", "7.4", "latest"]),
    ("library/registry", ["3", "3.0", "latest"]),
    ("library/registry", ["2", "2.8", "2.8.3"]),
    ("library/busybox", ["1.37", "latest", "1.37.0-glibc"]),
])
def test_alias_tags_name_one_image(hub, repository, tags):
    images = {id(hub.image_for(repository, tag)) for tag in tags}
    assert len(images) == 1


def test_registry_latest_is_version_3_since_april_2025(hub):
    assert "3.0.0" in hub.image_for("library/registry", "latest").tags
    assert hub.image_for("library/registry", "2") is not hub.image_for("library/registry", "latest")


def test_node_lts_is_22_and_latest_is_the_current_release(hub):
    assert "22.14.0" in hub.image_for("library/node", "lts").tags
    assert "23.11.0" in hub.image_for("library/node", "latest").tags


def test_nginx_stable_and_mainline_are_different_images(hub):
    assert hub.image_for("library/nginx", "stable") is not hub.image_for("library/nginx", "mainline")
    assert "NGINX_VERSION=1.26.3" in hub.image_for("library/nginx", "stable").config["Env"]


def test_unknown_tag_raises_key_error(hub):
    with pytest.raises(KeyError, match="library/alpine:2.7"):
        hub.image_for("library/alpine", "2.7")


def test_unknown_repository_has_no_tags(hub):
    assert dict(hub.tags("library/nope")) == {}


@pytest.mark.parametrize(("repository", "tag", "low", "high"), [
    ("library/hello-world", "latest", 10_000, 20_000),
    ("library/alpine", "latest", 7.7 * MB, 7.9 * MB),
    ("library/busybox", "latest", 4.2 * MB, 4.4 * MB),
    ("library/ubuntu", "latest", 77 * MB, 79 * MB),
    ("library/nginx", "latest", 185 * MB, 195 * MB),
    ("library/nginx", "alpine", 45 * MB, 55 * MB),
    ("library/node", "20-alpine", 125 * MB, 140 * MB),
    ("library/python", "3.12-slim", 120 * MB, 130 * MB),
    ("library/redis", "latest", 110 * MB, 140 * MB),
    ("library/registry", "2", 24 * MB, 27 * MB),
])
def test_docker_images_size_matches_the_real_image(hub, repository, tag, low, high):
    assert low <= hub.image_for(repository, tag).size <= high


def test_compressed_size_is_what_a_pull_transfers(hub):
    alpine = hub.image_for("library/alpine", "latest")
    assert alpine.compressed_size == 3_642_247 < alpine.size


def test_alpine_based_images_share_the_alpine_base_layer(hub):
    base = hub.image_for("library/alpine", "3.21").layers[0]
    for repository, tag in [
        ("library/node", "20-alpine"), ("library/nginx", "alpine"), ("library/python", "alpine"),
        ("library/redis", "alpine"), ("library/registry", "3"),
    ]:
        assert hub.image_for(repository, tag).layers[0] is base


def test_debian_based_images_share_the_bookworm_slim_base_layer(hub):
    base = hub.image_for("library/debian", "bookworm-slim").layers[0]
    for repository, tag in [("library/nginx", "latest"), ("library/python", "3.12-slim"), ("library/redis", "7")]:
        assert hub.image_for(repository, tag).layers[0] is base


def test_full_python_and_node_share_the_buildpack_deps_stack(hub):
    stack = hub.image_for("library/buildpack-deps", "bookworm").layers
    assert len(stack) == 4
    assert hub.image_for("library/python", "3.12").layers[:4] == stack
    assert hub.image_for("library/node", "20").layers[:4] == stack
    assert stack[0] is hub.image_for("library/debian", "bookworm").layers[0]


def test_ubuntu_is_one_layer_of_its_own(hub):
    ubuntu = hub.image_for("library/ubuntu", "latest")
    assert len(ubuntu.layers) == 1
    assert ubuntu.layers[0] is not hub.image_for("library/debian", "latest").layers[0]


def test_redis_images_share_the_empty_workdir_layer(hub):
    debian, alpine = hub.image_for("library/redis", "7"), hub.image_for("library/redis", "alpine")
    assert hub.layers["empty"] in debian.layers and hub.layers["empty"] in alpine.layers


def test_history_is_bottom_first_and_includes_metadata_steps(hub):
    alpine = hub.image_for("library/alpine", "latest")
    assert [row.created_by for row in alpine.history] == [
        "ADD alpine-minirootfs-3.21.3-x86_64.tar.gz / # buildkit",
        'CMD ["/bin/sh"]',
    ]
    assert [row.empty_layer for row in alpine.history] == [False, True]


def test_history_rows_with_layers_match_the_layers_in_order(hub):
    for image in hub:
        assert tuple(row.layer for row in image.history if not row.empty_layer) == image.layers


def test_child_history_continues_the_parent_history(hub):
    nginx = hub.image_for("library/nginx", "alpine")
    alpine = hub.image_for("library/alpine", "3.21.3")
    assert nginx.parent == "library/alpine:3.21.3"
    assert nginx.history[:2] == alpine.history
    assert nginx.history[-1].created_by.startswith("RUN /bin/sh -c set -x")


def test_buildkit_rows_carry_buildkits_comment(hub):
    ubuntu = hub.image_for("library/ubuntu", "latest")
    redis = hub.image_for("library/redis", "latest")
    assert {row.comment for row in ubuntu.history} == {""}
    assert redis.history[0].comment == ""  # the imported debian rootfs
    assert {row.comment for row in redis.history[1:]} == {"buildkit.dockerfile.v0"}


@pytest.mark.parametrize(("repository", "tag", "entrypoint", "cmd"), [
    ("library/hello-world", "latest", None, ("/hello",)),
    ("library/alpine", "latest", None, ("/bin/sh",)),
    ("library/busybox", "latest", None, ("sh",)),
    ("library/ubuntu", "latest", None, ("/bin/bash",)),
    ("library/debian", "latest", None, ("bash",)),
    ("library/nginx", "latest", ("/docker-entrypoint.sh",), ("nginx", "-g", "daemon off;")),
    ("library/node", "20-alpine", ("docker-entrypoint.sh",), ("node",)),
    ("library/python", "3.12-slim", None, ("python3",)),
    ("library/redis", "latest", ("docker-entrypoint.sh",), ("redis-server",)),
    ("library/registry", "latest", ("/entrypoint.sh",), ("/etc/distribution/config.yml",)),
    ("library/registry", "2", ("/entrypoint.sh",), ("/etc/docker/registry/config.yml",)),
])
def test_config_has_the_real_entrypoint_and_cmd(hub, repository, tag, entrypoint, cmd):
    config = hub.image_for(repository, tag).config
    assert (config["Entrypoint"], config["Cmd"]) == (entrypoint, cmd)


def test_nginx_config_exposes_80_and_stops_with_sigquit(hub):
    config = hub.image_for("library/nginx", "latest").config
    assert config["ExposedPorts"] == ("80/tcp",)
    assert config["StopSignal"] == "SIGQUIT"
    assert config["Labels"]["maintainer"] == "NGINX Docker Maintainers <docker-maint@nginx.com>"


def test_config_is_read_only(hub):
    config = hub.image_for("library/alpine", "latest").config
    with pytest.raises(TypeError):
        config["Cmd"] = ("sh",)  # type: ignore[index]


def test_missing_config_keys_have_docker_defaults(hub):
    config = hub.image_for("library/busybox", "latest").config
    assert config["Env"] == () and config["Entrypoint"] is None and config["WorkingDir"] == ""


def test_every_image_is_modelled_on_linux_amd64_and_indexes_list_that_platform(hub):
    assert {(image.os, image.architecture) for image in hub} == {("linux", "amd64")}
    assert all("linux/amd64" in image.platforms for image in hub)


def test_official_images_list_official_images_platforms(hub):
    # official-images' library files at 30e897d0 (2025-04-11), Architectures of the entry holding the tag
    assert hub.image_for("library/alpine", "latest").platforms == (
        "linux/amd64", "linux/arm/v6", "linux/arm/v7", "linux/arm64/v8", "linux/386", "linux/ppc64le",
        "linux/riscv64", "linux/s390x")
    assert "linux/arm64/v8" in hub.image_for("library/nginx", "latest").platforms
    assert hub.image_for("alice/hello-web", "1.0").platforms == ("linux/amd64",)  # a push is one manifest


def test_alpine_3_21_3_carries_docker_hubs_own_digests(hub):
    image = hub.image_for("library/alpine", "3.21.3")
    assert image.index_digest == "sha256:a8560b36e8b8210634f77d9f7f9efd7ffa463e380b75e2e74aff4511df3ef88c"
    assert image.manifest_digest == "sha256:1c4eef651f65e2f7daee7ee785882ac164b02b78fb74503052a26dc061c90474"
    assert image.image_id == "sha256:aded1e1a5b3705116fa0a92ba074a5e0b0031647d9c315983ccba2ee5428ec8b"
    assert image.layers[0].digest == "sha256:f18232174bc91741fdf3da96d85011092101a032a93a388b79e99e69c2d5c870"
    assert image.source.startswith("repos/alpine/remote/3.21.3.md@")


def test_every_served_digest_is_consistent_with_its_manifests():
    from sandbox.content import ImageIndex
    from sandbox.registry.hub import hub_prototype

    for repository in hub_prototype().repositories.values():
        for tag, digest in repository.tags.items():
            found = repository.resolve(digest)
            if isinstance(found, ImageIndex):
                assert found.digest == digest
                for image in found.images:  # each platform's manifest is served under its own digest
                    assert repository.resolve(image.manifest.digest) is image
                    assert [d.digest for d in image.manifest.layers] == [layer.digest for layer in image.layers]
                    assert {layer.digest for layer in image.layers} <= repository.blobs
                assert len(set(found.platforms)) == len(found.platforms)
            else:
                assert found.manifest.digest == digest


def test_a_shared_layer_is_one_blob_on_every_platform():
    from sandbox.registry.hub import hub_prototype

    hub = hub_prototype()
    for platform in ("linux/amd64", "linux/arm64/v8"):
        alpine = hub.resolve_any("library/alpine", "3.21", platform)
        node = hub.resolve_any("library/node", "20-alpine", platform)
        assert node.layers[0].digest == alpine.layers[0].digest
    amd64, arm64 = (hub.resolve_any("library/alpine", "3.21", p) for p in ("linux/amd64", "linux/arm64/v8"))
    assert amd64.layers[0].digest != arm64.layers[0].digest  # each architecture's build is its own blob


def test_platforms_must_include_the_modelled_platform():
    with pytest.raises(ValueError, match="must be distinct and include linux/amd64"):
        parse_catalogue(_minimal(platforms=["linux/arm64/v8"]))
    with pytest.raises(ValueError, match="malformed digest"):
        parse_catalogue(_minimal(index="sha256:nothex"))


def test_stale_alpine_latest_is_3_20_3(hub):
    previous = hub.previous_image_for("library/alpine", "latest")
    assert previous is not None and previous.tags == ("3.20.3",)
    assert previous is not hub.image_for("library/alpine", "latest")
    assert previous.created < hub.image_for("library/alpine", "latest").created


def test_stale_registry_latest_is_2_8_3(hub):
    assert hub.previous_image_for("library/registry", "latest") is hub.image_for("library/registry", "2")


def test_tag_that_never_moved_has_no_previous_image(hub):
    assert hub.previous_image_for("library/ubuntu", "latest") is None
    assert [image.repository for image in hub.previous] == ["library/alpine", "library/registry"]


def test_user_images_are_marked_with_their_visibility(hub):
    assert hub.image_for("alice/hello-web", "latest").visibility == "public"
    assert hub.image_for("alice/secret-app", "1.0").visibility == "private"
    assert {image.visibility for image in hub if image.official} == {"public"}


def test_alice_hello_web_is_nginx_alpine_plus_one_copy_layer(hub):
    web = hub.image_for("alice/hello-web", "1.0")
    nginx = hub.image_for("library/nginx", "alpine")
    assert web is hub.image_for("alice/hello-web", "latest")
    assert web.layers[:-1] == nginx.layers
    assert web.history[-1].created_by == "COPY index.html /usr/share/nginx/html/ # buildkit"
    assert "Hello from Alice!" in web.files["/usr/share/nginx/html/index.html"]


def test_alice_secret_app_runs_node_server_js_from_app(hub):
    app = hub.image_for("alice/secret-app", "1.0")
    assert app.layers[:4] == hub.image_for("library/node", "20-alpine").layers
    assert app.config["Cmd"] == ("node", "server.js") and app.config["WorkingDir"] == "/app"
    assert "console.log" in app.files["/app/server.js"]


def test_base_layers_carry_os_release(hub):
    assert 'PRETTY_NAME="Alpine Linux v3.21"' in hub.image_for("library/node", "20-alpine").files["/etc/os-release"]
    assert "VERSION_CODENAME=noble" in hub.image_for("library/ubuntu", "latest").files["/etc/os-release"]
    assert hub.image_for("library/python", "3.12-slim").files["/etc/debian_version"] == "12.10\n"


def test_userland_is_inherited_from_the_parent(hub):
    assert hub.image_for("alice/hello-web", "1.0").userland == "alpine"
    assert hub.image_for("library/python", "3.12").userland == "debian"
    assert hub.image_for("library/hello-world", "latest").userland == "scratch"


def test_images_are_hashable_values(hub):
    assert len(set(hub.images)) == len(hub.images)


@pytest.mark.parametrize(("repository", "description"), [
    ("library/nginx", "Official build of Nginx."),
    ("library/alpine", ("A minimal Docker image based on Alpine Linux with a complete package index and only 5 MB "
                        "in size!")),
    ("library/busybox", "Busybox base image."),
    ("library/redis", ("Redis is the world\u2019s fastest data platform for caching, vector search, and NoSQL "
                       "databases.")),
])
def test_listings_carry_docker_hubs_short_descriptions(hub, repository, description):
    assert hub.listing(repository).description == description


def test_every_official_repository_is_listed_with_a_description_and_stars(hub):
    for repository in hub.repositories():
        if repository.startswith("library/"):
            listing = hub.listing(repository)
            assert listing.description and len(listing.description) <= 100, repository
            assert listing.stars > 0, repository


def test_the_most_starred_official_image_is_nginx(hub):
    stars = {repository: hub.listing(repository).stars for repository in hub.repositories()}
    assert max(stars, key=stars.get) == "library/nginx"


def test_an_unlisted_repository_has_no_description_and_no_stars(hub):
    assert hub.listing("alice/secret-app").description == "" and hub.listing("learner/web").stars == 0


# --- the rules the format keeps -------------------------------------------------------------------


def _minimal(**image) -> dict:
    entry = {
        "repository": "library/demo", "tags": ["1"], "created": "2025-01-01T00:00:00Z", "userland": "alpine",
        "history": [{"layer": "base"}], **image,
    }
    return {
        "as_of": "2025-01-02",
        "layers": {"base": {"size": 10, "compressed": 5, "created_by": "ADD rootfs.tar / # buildkit"}},
        "images": [entry],
    }


def test_minimal_catalogue_parses():
    catalogue = parse_catalogue(_minimal())
    assert catalogue.image_for("library/demo", "1").size == 10


def test_catalogue_parses_yaml_text():
    text = """
as_of: "2025-01-02"
layers: {base: {size: 1, compressed: 1, created_by: "ADD x /"}}
images:
  - {repository: library/demo, tags: [a], created: "2025-01-01T00:00:00Z", userland: busybox,
     history: [{layer: base}, {step: 'CMD ["sh"]'}]}
"""
    assert parse_catalogue(text).image_for("library/demo", "a").history[1].empty_layer


def test_undefined_layer_is_rejected_with_its_name():
    with pytest.raises(ValueError, match="undefined layer 'ghost'"):
        parse_catalogue(_minimal(history=[{"layer": "ghost"}]))


def test_tag_listed_twice_in_one_repository_is_rejected():
    data = _minimal()
    data["images"].append(dict(data["images"][0]))
    with pytest.raises(ValueError, match="library/demo:1 is listed twice"):
        parse_catalogue(data)


def test_tag_repeated_within_one_image_is_rejected():
    with pytest.raises(ValueError, match="lists a tag twice"):
        parse_catalogue(_minimal(tags=["1", "1"]))


def test_same_tag_in_two_repositories_is_fine():
    data = _minimal()
    data["images"].append({**data["images"][0], "repository": "library/other"})
    assert parse_catalogue(data).image_for("library/other", "1")


def test_parent_must_be_defined_above_the_child():
    with pytest.raises(ValueError, match="built from library/base:1, which is not defined"):
        parse_catalogue(_minimal(**{"from": "library/base:1"}))


def test_history_row_needs_a_layer_or_a_step():
    with pytest.raises(ValueError, match="exactly one of 'layer' or 'step'"):
        parse_catalogue(_minimal(history=[{"layer": "base", "step": "CMD x"}]))


def test_malformed_date_is_rejected():
    with pytest.raises(ValueError, match="malformed date"):
        parse_catalogue(_minimal(created="last tuesday"))


def test_unknown_config_key_is_rejected():
    with pytest.raises(ValueError, match="unknown keys \\['Cmnd'\\]"):
        parse_catalogue(_minimal(config={"Cmnd": ["sh"]}))


def test_unknown_userland_is_rejected():
    with pytest.raises(ValueError, match="userland 'windows'"):
        parse_catalogue(_minimal(userland="windows"))


def test_official_image_cannot_be_private():
    with pytest.raises(ValueError, match="visibility 'private'"):
        parse_catalogue(_minimal(visibility="private"))


def test_user_repository_does_not_belong_under_images():
    with pytest.raises(ValueError, match="does not belong under 'images'"):
        parse_catalogue(_minimal(repository="alice/demo"))


def test_former_tag_cannot_also_be_a_current_tag():
    with pytest.raises(ValueError, match="both tag and former tag"):
        parse_catalogue(_minimal(former_tags=["1"]))


def test_layer_needs_integer_sizes():
    data = _minimal()
    data["layers"]["base"]["size"] = "10MB"
    with pytest.raises(ValueError, match="layer 'base' needs a non-negative integer 'size'"):
        parse_catalogue(data)


def test_env_entries_must_be_name_equals_value():
    with pytest.raises(ValueError, match="Env entry 'PATH'"):
        parse_catalogue(_minimal(config={"Env": ["PATH"]}))


def test_listing_of_an_unknown_repository_is_rejected():
    with pytest.raises(ValueError, match="listing 'library/ghost' names no repository"):
        parse_catalogue({**_minimal(), "listings": {"library/ghost": {"stars": 1}}})


def test_listing_description_longer_than_the_hubs_limit_is_rejected():
    with pytest.raises(ValueError, match="at most 100 characters"):
        parse_catalogue({**_minimal(), "listings": {"library/demo": {"description": "x" * 101}}})


def test_listing_needs_non_negative_integer_stars():
    with pytest.raises(ValueError, match="non-negative integer 'stars'"):
        parse_catalogue({**_minimal(), "listings": {"library/demo": {"stars": -1}}})


def test_listing_is_read_into_a_value():
    catalogue = parse_catalogue({**_minimal(), "listings": {"library/demo": {"description": "Demo.", "stars": 7}}})
    assert (catalogue.listing("library/demo").description, catalogue.listing("library/demo").stars) == ("Demo.", 7)


def test_the_catalogue_shipped_as_json_builds_the_same_catalogue_as_its_yaml():
    text = (Path(catalogue.__file__).parent / "catalogue.yaml").read_text(encoding="utf-8")
    as_json = json.loads(json.dumps(catalogue.catalogue_data(text)))
    assert parse_catalogue(as_json) == load_catalogue()


def test_a_package_shipping_the_parsed_catalogue_is_read_from_it(tmp_path, monkeypatch):
    (tmp_path / catalogue.PARSED).write_text(json.dumps({"as_of": "2025-04-11", "hub_official": {"names": []}}))
    monkeypatch.setattr(catalogue.importlib.resources, "files", lambda package: tmp_path)
    assert list(catalogue.load_catalogue.__wrapped__()) == []  # catalogue.yaml is not even there
