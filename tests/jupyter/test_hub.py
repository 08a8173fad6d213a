"""Docker Hub's repository page, drawn from the simulated registry: tags newest first, each with when and by whom it
was last pushed and the images it names (digest, OS/architecture, compressed size); private pages are 404s to
others, as on hub.docker.com."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from sandbox import Sandbox
from sandbox.jupyter.hub import NotOnHub, ago, hub_page, hub_size

START = datetime(2025, 6, 2, 9, 0, tzinfo=timezone.utc)


def _pushed(*tags: str) -> Sandbox:
    sandbox = Sandbox()
    sandbox.write_file("Dockerfile", "FROM alpine:3.21\nCOPY app.txt /app.txt\n")
    sandbox.write_file("app.txt", "hello\n")
    sandbox.run("docker login -u learner -p s3cret-pass")
    for tag in tags:
        sandbox.run(f"docker build -q -t learner/web:{tag} .")
        sandbox.run(f"docker push learner/web:{tag}")
        sandbox.world.clock.advance(600)
    return sandbox


def test_a_pushed_repository_lists_its_tags_newest_first_with_platform_digest_and_size() -> None:
    sandbox = _pushed("1.0", "2.0")
    page = hub_page(sandbox, "learner/web", "learner")
    assert (page.name, page.owner, page.private, page.official) == ("learner/web", "learner", False, False)
    assert [row.tag for row in page.tags] == ["2.0", "1.0"]
    assert [row.by for row in page.tags] == ["learner", "learner"]
    image_id = sandbox.image_id("learner/web:2.0")
    image = sandbox.world.hub.repositories["learner/web"].images[page.tags[0].platforms[0].digest]
    assert image.id == image_id
    platform = page.tags[0].platforms[0]
    assert platform.os_arch == "linux/amd64"
    assert platform.compressed == sum(layer.compressed_size for layer in image.layers)
    text = repr(page)
    assert text.splitlines()[0] == "Docker Hub: learner/web   (by learner, Public)"
    assert "  TAG 2.0   Last pushed 10 minutes ago by learner" in text
    assert "  TAG 1.0   Last pushed 20 minutes ago by learner" in text
    assert f"    {platform.digest[7:19]}   linux/amd64      {hub_size(platform.compressed)}" in text


def test_the_html_page_shows_the_same_facts() -> None:
    page = hub_page(_pushed("1.0"), "learner/web", None)
    markup = page._repr_html_()
    for fact in ("learner/web", "Public", "docker pull learner/web", "TAG", "Last pushed 10 minutes ago by learner",
                 "DIGEST", "OS/ARCH", "COMPRESSED SIZE", "linux/amd64", page.tags[0].platforms[0].digest[7:19]):
        assert fact in markup


def test_an_official_image_is_docker_s_and_its_tags_came_with_the_world() -> None:
    page = hub_page(Sandbox(), "nginx")
    assert page.official and page.name == "nginx" and repr(page).startswith("Docker Hub: nginx   (Docker Official")
    assert all(row.by is None for row in page.tags) and page.hidden_tags + len(page.tags) > len(page.tags)


def test_a_private_repository_is_a_404_except_to_its_owner() -> None:
    sandbox = Sandbox()
    assert not hub_page(sandbox, "alice/secret-app", None).found
    assert not hub_page(sandbox, "alice/secret-app", "learner").found
    missing = repr(hub_page(sandbox, "alice/nothing-here", None))
    assert missing.replace("nothing-here", "secret-app") == repr(hub_page(sandbox, "alice/secret-app", None))
    mine = hub_page(sandbox, "alice/secret-app", "alice")
    assert mine.found and mine.private and "Private" in repr(mine).splitlines()[0]


@pytest.mark.parametrize("name, words", [
    ("localhost:5000/web", "not on Docker Hub"),
    ("learner/web:1.0", "names a tag"),
    ("Learner/Web", "must be lowercase"),
])
def test_what_is_not_a_hub_repository_is_refused(name: str, words: str) -> None:
    with pytest.raises(NotOnHub, match=words):
        hub_page(Sandbox(), name)


@pytest.mark.parametrize("seconds, words", [
    (10, "less than a minute ago"), (70, "1 minute ago"), (600, "10 minutes ago"), (3600, "about 1 hour ago"),
    (5 * 3600, "about 5 hours ago"), (30 * 3600, "1 day ago"), (10 * 86400, "10 days ago"),
    (35 * 86400, "about 1 month ago"), (200 * 86400, "7 months ago"), (400 * 86400, "about 1 year ago"),
    (600 * 86400, "over 1 year ago"), (700 * 86400, "almost 2 years ago"), (1100 * 86400, "about 3 years ago"),
])
def test_times_read_as_docker_hub_writes_them(seconds: int, words: str) -> None:
    assert ago(START, START + timedelta(seconds=seconds)) == words


def test_sizes_read_as_docker_hub_writes_them() -> None:
    assert hub_size(3_642_247) == "3.64 MB" and hub_size(512) == "512 B"


def test_an_official_image_s_tag_lists_every_platform_of_its_index_each_with_its_own_digest() -> None:
    latest = next(row for row in hub_page(Sandbox(), "nginx").tags if row.tag == "latest")
    systems = [p.os_arch for p in latest.platforms]
    assert systems[0] == "linux/amd64" and "linux/arm64/v8" in systems and len(systems) > 2
    assert len({p.digest for p in latest.platforms}) == len(systems)
    pulled = Sandbox().run("docker pull nginx:latest").stdout
    assert f"Digest: {Sandbox().world.hub.repositories['library/nginx'].tags['latest']}" in pulled
