"""Push and pull: what dockerd does between the image store and a registry, as a stream of progress messages.

Push is smart: for each layer, top first, the registry is asked whether the repository already has the blob
(``Layer already exists``); if not, and this daemon knows the blob lives in another repository of the same registry
that the pusher can read, it is mounted from there (``Mounted from library/node``); only the rest is uploaded.
Pull downloads only layers the host lacks (``Already exists``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.content import Image
from sandbox.engine.images import ImageStore
from sandbox.engine.progress import Stream
from sandbox.errors import LoginFailed, PushDenied
from sandbox.oci import Reference, familiar_name, familiar_string
from sandbox.registry.registry import Registry


@dataclass(frozen=True)
class Credentials:
    """What the client sends with a push or pull: a username and password for that registry, or nobody."""

    username: str | None = None
    password: str | None = None


def short(digest: str) -> str:
    """The 12 hex characters Docker shows for a layer or image."""
    return digest.removeprefix("sha256:")[:12]


def tag_key(ref: Reference) -> str:
    """The reference store's key for a tagged reference."""
    return f"{ref.domain}/{ref.path}:{ref.tag}"


def digest_key(ref: Reference, digest: str) -> str:
    """The reference store's key for a digest reference."""
    return f"{ref.domain}/{ref.path}@{digest}"


def push_image(
    store: ImageStore, registry: Registry, ref: Reference, image: Image, who: Credentials, stream: Stream,
    at: str | None = None,
) -> None:
    """Push one tagged image at time ``at``, appending progress to ``stream``; sets ``stream.error`` on refusal."""
    layers = list(reversed(image.layers))
    for layer in layers:
        stream.say("Preparing", short(layer.diff_id))
    try:
        user = _authenticated_user(registry, who)
        registry.check_push(user, ref.path)
    except (PushDenied, LoginFailed) as refusal:  # the stream shows it after the Preparing lines
        stream.error = refusal
        return
    for layer in layers:
        layer_id = short(layer.diff_id)
        if registry.has_blob(ref.path, layer.digest):
            stream.say("Layer already exists", layer_id)
            continue
        source = _mount_source(store, registry, user, ref.path, layer.digest)
        if source is not None:
            stream.say(f"Mounted from {source}", layer_id)
            continue
        stream.say("Pushing", layer_id, layer.compressed_size, layer.compressed_size)
        registry.upload_blob(user, ref.path, layer.digest, layer.compressed_size)
        stream.bytes_moved += layer.compressed_size
        stream.say("Pushed", layer_id)
    for layer in image.layers:
        store.note_source(layer.digest, registry.address, ref.path)
    if not registry.has_blob(ref.path, image.id):
        registry.upload_blob(user, ref.path, image.id, len(image.config_raw))
        stream.bytes_moved += len(image.config_raw)
    registry.put_image(user, ref.path, ref.tag, image, at)
    store.digests[digest_key(ref, image.manifest.digest)] = image.id
    stream.say(f"{ref.tag}: digest: {image.manifest.digest} size: {image.manifest.size}")


def _authenticated_user(registry: Registry, who: Credentials) -> str | None:
    if who.username is None:
        return None
    registry.authenticate(who.username, who.password or "")
    return who.username


def _mount_source(store: ImageStore, registry: Registry, user: str | None, target: str, digest: str) -> str | None:
    """A repository on the same registry that holds the blob and that ``user`` may read, in familiar form."""
    # dockerd prefers candidates that share the most leading path components with the target repository
    target_parts = target.split("/")

    def closeness(source: tuple[str, str]) -> tuple[int, str]:
        shared = 0
        for mine, theirs in zip(target_parts, source[1].split("/")):
            if mine != theirs:
                break
            shared += 1
        return (-shared, source[1])

    for address, path in sorted(store.layer_sources.get(digest, ()), key=closeness):
        if address != registry.address or path == target:
            continue
        if registry.mount_blob(user, path, target, digest):
            return path
    return None


def pull_image(
    store: ImageStore, registry: Registry, ref: Reference, who: Credentials, stream: Stream, sequence: int
) -> Image:
    """Pull one reference (tag or digest) into ``store``. Raises `PullAccessDenied` or `ManifestNotFound`."""
    user = _authenticated_user(registry, who)
    selector = ref.digest or ref.tag or "latest"
    image = registry.fetch(user, ref.path, selector, familiar_name(ref), familiar_string(ref))
    # dockerd labels a digest pull with the whole canonical reference, a tag pull with the tag
    _download(store, registry, ref, image, stream, str(ref) if ref.digest else selector, sequence)
    return image


def _download(
    store: ImageStore, registry: Registry, ref: Reference, image: Image, stream: Stream, selector: str, sequence: int
) -> None:
    stream.say(f"{selector}: Pulling from {ref.path}")
    # An image whose config is already here needs no layers at all: dockerd prints no layer lines then.
    if image.id not in store.images:
        have = {layer.diff_id for img in store.images.values() for layer in img.layers}
        missing = []
        for layer in image.layers:
            if layer.diff_id in have:
                stream.say("Already exists", short(layer.digest))
            else:
                stream.say("Pulling fs layer", short(layer.digest))
                missing.append(layer)
        for layer in missing:
            layer_id = short(layer.digest)
            stream.say("Downloading", layer_id, layer.compressed_size, layer.compressed_size)
            stream.say("Verifying Checksum", layer_id)
            stream.say("Download complete", layer_id)
            stream.say("Extracting", layer_id, layer.size, layer.size)
            stream.say("Pull complete", layer_id)
            registry.bytes_sent += layer.compressed_size
            stream.bytes_moved += layer.compressed_size
    stream.say(f"Digest: {image.manifest.digest}")
    for layer in image.layers:
        store.note_source(layer.digest, registry.address, ref.path)
    newer = True
    if ref.digest:
        newer = image.id not in store.images
    else:
        newer = store.tags.get(tag_key(ref)) != image.id
    store.add(image, sequence)
    store.digests[digest_key(ref, image.manifest.digest)] = image.id
    if not ref.digest:
        store.tags[tag_key(ref)] = image.id
    word = "Downloaded newer image for" if newer else "Image is up to date for"
    stream.say(f"Status: {word} {familiar_string(ref)}")
