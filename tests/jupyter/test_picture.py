"""The picture of a world: hosts, registries, tags and shared layers, as text and as deterministic inline HTML."""

from __future__ import annotations

import re

from sandbox import Sandbox
from sandbox.jupyter.picture import snapshot

WEB_APP = {
    "Dockerfile": 'FROM node:20-alpine\nCOPY server.js /app/server.js\nCMD ["node", "/app/server.js"]\n',
    "server.js": 'require("http").createServer((q, r) => r.end("hi")).listen(80);\n',
}


def _pushed_world() -> Sandbox:
    sb = Sandbox()
    for name, text in WEB_APP.items():
        sb.write_file(name, text)
    for line in ("docker build -q -t web .", "docker login -u learner -p s3cret-pass", "docker tag web learner/web:1.0",
                 "docker push learner/web:1.0", "docker run -d -p 5000:5000 --name registry registry:2",
                 "docker tag web localhost:5000/web:1.0", "docker push localhost:5000/web:1.0"):
        assert sb.run(line).exit_code == 0, line
    return sb


def test_a_fresh_world_shows_an_empty_laptop_and_alices_repositories() -> None:
    text = repr(snapshot(Sandbox()))
    assert text.startswith("laptop\n  no images\nDocker Hub (docker.io)\n  alice/hello-web (public)\n"
                           "    1.0, latest   0a717c9854c0   L1 L2 L3 L4 L5 L6 L7 L8 L9\n"
                           "  alice/secret-app (private)\n")
    assert "Docker Hub received 0B and sent 0B so far" in text
    assert "library/" not in text  # official images show only once a host pulled from them


def test_push_shows_which_layers_the_registry_shares_with_the_host() -> None:
    picture = snapshot(_pushed_world())
    laptop = picture.hosts[0]
    assert laptop.notes[0] == "logged in to docker.io as learner"
    [(_, rows)] = laptop.groups
    web = next(row for row in rows if "web:latest" in row.names)
    hub = picture.registries[0]
    pushed = dict(hub.groups)["learner/web (public)"]
    node = dict(hub.groups)["library/node (public)"]
    assert pushed[0].layers == web.layers
    assert node[0].layers == web.layers[:-1]  # the base image: every layer but the COPY
    top = picture.layers[[layer.digest for layer in picture.layers].index(web.layers[-1])]
    assert top.places == ("laptop web:latest", "docker.io learner/web", "localhost:5000 web")


def test_a_registry_container_is_drawn_as_a_registry_on_its_host() -> None:
    picture = snapshot(_pushed_world())
    private = picture.registries[-1]
    assert private.title == "localhost:5000 on laptop (registry container registry, running)"
    assert [heading for heading, _ in private.groups] == ["web"]
    assert "localhost:5000 on laptop" in repr(picture)


def test_the_same_world_draws_the_same_bytes() -> None:
    one, two = snapshot(_pushed_world()), snapshot(_pushed_world())
    assert one._repr_html_() == two._repr_html_()
    assert repr(one) == repr(two)


def test_html_colours_one_layer_alike_everywhere_and_escapes_names() -> None:
    sb = Sandbox()
    sb.run("docker pull alpine")
    html = snapshot(sb)._repr_html_()
    assert html.startswith("<div class='imageshare-world'")
    hues: dict[str, set[str]] = {}
    for hue, label in re.findall(r"background:hsl\((\d+),70%,80%\);color:#000'>(L\d+)</span>", html):
        hues.setdefault(label, set()).add(hue)
    assert len(hues) == len(snapshot(sb).layers) and all(len(found) == 1 for found in hues.values())
    assert html.count(">L1</span>") >= 3  # alpine on the laptop, in library/alpine, in Alice's two images


def test_html_escapes_what_it_shows() -> None:
    sb = Sandbox()
    sb.run("docker pull alpine")
    sb.run("docker run -d --name a<b alpine")
    assert "<script" not in snapshot(sb)._repr_html_() and "a<b" not in snapshot(sb)._repr_html_()


def test_picture_reads_without_changing_the_world() -> None:
    sb = _pushed_world()
    before = (len(sb.events), sb.bytes_moved(), sb.world.clock.now)
    snapshot(sb)
    assert (len(sb.events), sb.bytes_moved(), sb.world.clock.now) == before
