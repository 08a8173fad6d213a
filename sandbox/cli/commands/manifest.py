"""``docker manifest inspect`` and ``docker buildx imagetools inspect``: what a registry serves for a reference, as the
two clients print it (docker/cli v28.2.2 ``cli/command/manifest/inspect.go``; buildx v0.24 ``util/imagetools/
printers.go``). Both read the registry, never the local image store: an image that was only built is not there."""

from __future__ import annotations

import json

from sandbox.cli.commands.distribution import credentials_for
from sandbox.cli.docker import Invocation
from sandbox.cli.output import Output
from sandbox.content import Image, ImageIndex
from sandbox.errors import ManifestNotFound, NotSimulated, PullAccessDenied, RegistryError, SandboxError
from sandbox.oci import parse_normalized_named, with_default_tag
from sandbox.oci.manifest import MANIFEST_LIST_V2, MANIFEST_V2, OCI_INDEX


def _fetch(machine, name: str):
    ref = parse_normalized_named(name)
    if not ref.digest and not ref.tag:
        ref = with_default_tag(ref)
    return ref, machine.engine.distribution_inspect(ref, credentials_for(machine, ref.domain))


def manifest_inspect(machine, inv: Invocation, out: Output) -> int:
    """``docker manifest inspect [OPTIONS] [MANIFEST_LIST] MANIFEST``: a single image's manifest re-indented with tabs,
    an index as the manifest list the client rebuilds from its entries (three-space indent)."""
    if len(inv.args) == 2:
        raise NotSimulated("'manifest inspect' of a local manifest list (docker manifest create)")
    try:
        ref, found = _fetch(machine, inv.args[0])
    except RegistryError as error:
        if isinstance(error, NotSimulated) or error.code == "UNREACHABLE":
            raise
        out.err(f"no such manifest: {ref_string(inv.args[0])}\n")  # the fetcher's newNotFoundError
        return 1
    out.print(manifest_text(found) + "\n")
    return 0


def ref_string(name: str) -> str:
    """The reference the client names in its errors: normalized, ``latest`` when no tag or digest was given."""
    ref = parse_normalized_named(name)
    return str(ref if ref.tag or ref.digest else with_default_tag(ref))


def manifest_text(found: Image | ImageIndex) -> str:
    """What ``docker manifest inspect`` prints for a registry's manifest or index."""
    if isinstance(found, Image):
        return json.dumps(json.loads(found.manifest.raw), indent="\t")
    manifests = []
    for image in found.images:
        manifests.append({"mediaType": MANIFEST_V2, "size": image.manifest.size, "digest": image.manifest.digest,
                          "platform": image.index_platform})
    return json.dumps({"schemaVersion": 2, "mediaType": MANIFEST_LIST_V2, "manifests": manifests}, indent=3)


def imagetools_inspect(machine, inv: Invocation, out: Output) -> int:
    """``docker buildx imagetools inspect NAME``: Name, MediaType and Digest, then each manifest of an index (``--raw``
    and ``--format`` are refused by the flag audit). Registry refusals are worded as containerd's resolver words
    them (the same words BuildKit prints for a base image it cannot resolve), after buildx's ``ERROR: ``."""
    try:
        ref, found = _fetch(machine, inv.args[0])
    except (PullAccessDenied, ManifestNotFound) as error:
        if isinstance(error, PullAccessDenied):
            out.err("ERROR: pull access denied, repository does not exist or may require authorization: server "
                    "message: insufficient_scope: authorization failed\n")
        else:
            out.err(f"ERROR: {ref_string(inv.args[0])}: not found\n")
        return 1
    out.print(imagetools_text(str(ref), found))
    return 0


def imagetools_text(name: str, found: Image | ImageIndex) -> str:
    """buildx's text: Go tabwriters (padding 1) over the header, then over every manifest's block."""
    if isinstance(found, Image):
        return _columns([("Name:", name), ("MediaType:", MANIFEST_V2), ("Digest:", found.manifest.digest)])
    text = _columns([("Name:", name), ("MediaType:", OCI_INDEX), ("Digest:", found.digest)])
    text += _columns([("", ""), ("Manifests:", "")])
    rows: list[tuple[str, str]] = []
    for number, image in enumerate(found.images):
        if number:
            rows.append(("", ""))
        rows += [("  Name:", f"{name}@{image.manifest.digest}"), ("  MediaType:", MANIFEST_V2),
                 ("  Platform:", image.platform)]
    return text + _columns(rows)


def _columns(rows: list[tuple[str, str]]) -> str:
    """A Go tabwriter's lines for ``cell\\tvalue\\n`` rows: the first column padded to its widest cell plus one."""
    width = max(len(cell) for cell, _ in rows) + 1
    return "".join(f"{cell.ljust(width)}{value}\n" for cell, value in rows)


__all__ = ["manifest_inspect", "imagetools_inspect", "manifest_text", "imagetools_text", "SandboxError"]
