"""``docker manifest inspect`` and buildx's ``imagetools inspect`` text, laid out as the real clients lay them out."""

from __future__ import annotations

from sandbox.cli.commands.manifest import imagetools_text, manifest_text
from sandbox.registry.hub import hub_prototype


def _alpine():
    return hub_prototype().repositories["library/alpine"].resolve("3.21")


def test_imagetools_text_is_buildx_tabwriter_layout():
    text = imagetools_text("docker.io/library/alpine:3.21", _alpine())
    lines = text.split("\n")
    # header: cells padded to the widest ("MediaType:") plus one space
    assert lines[:3] == [
        "Name:      docker.io/library/alpine:3.21",
        "MediaType: application/vnd.oci.image.index.v1+json",
        "Digest:    sha256:a8560b36e8b8210634f77d9f7f9efd7ffa463e380b75e2e74aff4511df3ef88c",
    ]
    # a blank cell padded to "Manifests:" width, then each manifest's block under a two-space prefix
    assert lines[3:5] == [" " * 11, "Manifests: "]
    assert lines[5] == ("  Name:      docker.io/library/alpine:3.21@"
                        "sha256:1c4eef651f65e2f7daee7ee785882ac164b02b78fb74503052a26dc061c90474")
    assert lines[6] == "  MediaType: application/vnd.docker.distribution.manifest.v2+json"
    assert lines[7] == "  Platform:  linux/amd64"
    assert lines[8] == " " * 13
    assert "  Platform:  linux/arm64/v8" in lines


def test_manifest_list_names_each_platform_with_its_variant():
    text = manifest_text(_alpine())
    assert text.startswith('{\n   "schemaVersion": 2,\n   "mediaType": '
                           '"application/vnd.docker.distribution.manifest.list.v2+json",\n   "manifests": [\n')
    assert text.count('"mediaType": "application/vnd.docker.distribution.manifest.v2+json"') == 8
    assert '"os": "linux",\n            "variant": "v6"' in text
