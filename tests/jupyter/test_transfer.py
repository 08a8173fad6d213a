"""The picture of a push or pull: which layers moved (and how many bytes), which were already there, which the
registry mounted from another repository."""

from __future__ import annotations

from sandbox import Sandbox
from sandbox.cli.render import human_size
from sandbox.jupyter.transfer import MOUNTED, MOVED, THERE, transfer


def _web() -> Sandbox:
    sandbox = Sandbox()
    sandbox.write_file("Dockerfile", "FROM node:20-alpine\nCOPY server.js /app/server.js\n")
    sandbox.write_file("server.js", "hello\n")
    sandbox.run("docker build -q -t learner/web:1.0 .")
    sandbox.run("docker login -u learner -p s3cret-pass")
    return sandbox


def test_the_first_push_uploads_the_new_layer_and_mounts_the_base() -> None:
    sandbox = _web()
    result = sandbox.run("docker push learner/web:1.0")
    picture = transfer("docker push learner/web:1.0", result.progress[0].messages)
    assert picture.way == "push" and [m.fate for m in picture.layers] == [MOUNTED] * 4 + [MOVED]
    assert {m.source for m in picture.layers[:4]} == {"library/node"}
    image = sandbox.world.hub.repositories["learner/web"].images
    top = next(iter(image.values())).layers[-1]
    assert picture.layers[-1].size == top.compressed_size == picture.moved
    lines = repr(picture).splitlines()
    assert lines[0] == f"docker push learner/web:1.0: 1 of 5 layers uploaded ({picture.layers[-1].size}B); 4 already " \
                       "there or mounted, nothing sent for them"
    assert lines[1].endswith(f"uploaded {picture.layers[-1].size}B") and "mounted from library/node" in lines[2]


def test_a_second_push_sends_nothing_and_a_pull_skips_what_the_host_has() -> None:
    sandbox = _web()
    sandbox.run("docker push learner/web:1.0")
    again = sandbox.run("docker push learner/web:1.0")
    assert {m.fate for m in transfer("again", again.progress[0].messages).layers} == {THERE}
    pulled = sandbox.host("server").run("docker pull learner/web:1.0")
    first = transfer("pull", pulled.progress[0].messages)
    assert first.way == "pull" and {m.fate for m in first.layers} == {MOVED}
    assert repr(first).splitlines()[0] == f"pull: 5 of 5 layers downloaded ({human_size(first.moved)})"
    alpine = sandbox.run("docker pull alpine:3.21")
    picture = transfer("docker pull alpine:3.21", alpine.progress[0].messages)
    assert [m.fate for m in picture.layers] == [THERE] and picture.moved == 0
    assert "already there: nothing sent" in picture._repr_html_()


def test_a_refused_push_moved_no_layer() -> None:
    sandbox = _web()
    sandbox.run("docker logout")
    refused = sandbox.run("docker push learner/web:1.0")
    assert transfer("refused", refused.progress[0].messages) is None
