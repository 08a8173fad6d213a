"""Push and pull: what dockerd does between the image store and a registry, as a stream of progress messages.

Push is smart: for each layer, top first, the registry is asked whether the repository already has the blob
(``Layer already exists``); if not, and this daemon knows the blob lives in another repository of the same registry
that the pusher can read, it is mounted from there (``Mounted from library/node``); only the rest is uploaded.
Pull downloads only layers the host lacks (``Already exists``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.content import DEFAULT_PLATFORM, Image, ImageIndex, format_platform, split_platform
from sandbox.engine.images import ImageStore
from sandbox.engine.progress import Stream
from sandbox.errors import LoginFailed, NoMatchingManifest, PushDenied
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
        known = store.layer_sources.get(layer.digest, ())
        # layerAlreadyExists: only a layer dockerd has metadata for is looked up in the target repository first
        if known and registry.has_blob(ref.path, layer.digest):
            stream.say("Layer already exists", layer_id)
            continue
        source = _mount_source(store, registry, user, ref.path, layer, who)
        if source is not None:
            stream.say(f"Mounted from {source}", layer_id)
            continue
        stream.say("Pushing", layer_id, layer.compressed_size, layer.compressed_size)
        registry.upload_blob(user, ref.path, layer.digest, layer.compressed_size)
        stream.bytes_moved += layer.compressed_size
        stream.say("Pushed", layer_id)
    for layer in image.layers:
        store.note_source(layer.digest, registry.address, ref.path, who)
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


#: Layers up to this size get one mount attempt, up to the next three, bigger ones four (push_v2.go's
#: smallLayerMaximumSize, middleLayerMaximumSize and getMaxMountAndExistenceCheckAttempts).
SMALL_LAYER_MAX = 100 * 1024
MIDDLE_LAYER_MAX = 10 * 1024 * 1024


def mount_attempts(size: int) -> int:
    """How many source repositories dockerd tries to mount a layer of ``size`` bytes from before uploading it."""
    return 4 if size > MIDDLE_LAYER_MAX else 3 if size > SMALL_LAYER_MAX else 1


def mount_candidates(store: ImageStore, registry: Registry, target: str, digest: str, who: Credentials,
                     attempts: int) -> list[str]:
    """``getRepositoryMountCandidates``: the repositories of this registry dockerd knows hold the blob, youngest
    first, then stably sorted: first those recorded with the push's own credentials (dockerd compares an HMAC of
    them), then those sharing more leading path components with ``target``; at most ``attempts`` of them."""
    entries = [(path, seen_by) for address, path, seen_by in store.layer_sources.get(digest, ())
               if address == registry.address and path != target]
    entries.reverse()
    target_parts = target.split("/")

    def likeness(entry: tuple[str, object]) -> tuple[bool, int]:
        path, seen_by = entry
        shared = 0
        for mine, theirs in zip(target_parts, path.split("/")):
            if mine != theirs:
                break
            shared += 1
        return (seen_by != who, -shared)

    entries.sort(key=likeness)  # stable: equals stay youngest first
    return [path for path, _ in entries[:attempts]]


def _mount_source(store: ImageStore, registry: Registry, user: str | None, target: str, layer, who: Credentials,
                  ) -> str | None:
    """The repository the registry mounted the layer from (``Mounted from library/node``), or None."""
    for path in mount_candidates(store, registry, target, layer.digest, who, mount_attempts(layer.size)):
        if registry.mount_blob(user, path, target, layer.digest):
            return path
    return None


def pull_image(
    store: ImageStore, registry: Registry, ref: Reference, who: Credentials, stream: Stream, sequence: int,
    platform: str = DEFAULT_PLATFORM,
) -> Image:
    """Pull one reference (tag or digest) into ``store``, picking ``platform``'s image from a multi-platform index.
    Raises `PullAccessDenied`, `ManifestNotFound` or `NoMatchingManifest`."""
    user = _authenticated_user(registry, who)
    selector = ref.digest or ref.tag or "latest"
    image, digest = select_platform(registry.fetch(user, ref.path, selector, familiar_name(ref), familiar_string(ref)),
                                    platform)
    # dockerd labels a digest pull with the whole canonical reference, a tag pull with the tag
    _download(store, registry, ref, image, digest, stream, str(ref) if ref.digest else selector, sequence, who)
    return image


def fetch_descriptor(registry: Registry, ref: Reference, who: Credentials) -> Image | ImageIndex:
    """What a reference names on its registry, as a registry client reads it (``docker manifest inspect``,
    ``buildx imagetools inspect``): one image's manifest or a multi-platform index. Raises the registry's errors."""
    user = _authenticated_user(registry, who)
    selector = ref.digest or ref.tag or "latest"
    return registry.fetch(user, ref.path, selector, familiar_name(ref), familiar_string(ref))


def select_platform(found: Image | ImageIndex, platform: str) -> tuple[Image, str]:
    """The image to pull and the digest the pull reports: an index's image for ``platform`` (containerd's best match)
    and the index's digest, or a single image and its manifest's. Raises `NoMatchingManifest`.

    A single-platform image is pulled whatever ``platform`` says, as dockerd's pull does (``docker run`` then warns
    that the image does not match the specified platform)."""
    if isinstance(found, ImageIndex):
        image = found.select(platform)
        if image is None:
            raise NoMatchingManifest(format_platform(*split_platform(platform)))
        return image, found.digest
    return found, found.manifest.digest


def _download(
    store: ImageStore, registry: Registry, ref: Reference, image: Image, digest: str, stream: Stream, selector: str,
    sequence: int, who: Credentials,
) -> None:
    stream.say(f"{selector}: Pulling from {ref.path}")
    # An image whose config is already here needs no layers at all: dockerd prints no layer lines then.
    if image.id not in store.images:
        have = {layer.diff_id for img in (*store.images.values(), *store.held.values()) for layer in img.layers}
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
    stream.say(f"Digest: {digest}")
    for layer in image.layers:
        store.note_source(layer.digest, registry.address, ref.path, who)
    # pullTag: up to date when the reference pulled (tag, or digest reference) already named this image
    if ref.digest:
        newer = store.digests.get(digest_key(ref, ref.digest)) != image.id
    else:
        newer = store.tags.get(tag_key(ref)) != image.id
    store.add(image, sequence)
    store.digests[digest_key(ref, digest)] = image.id
    if not ref.digest:
        store.tags[tag_key(ref)] = image.id
    word = "Downloaded newer image for" if newer else "Image is up to date for"
    stream.say(f"Status: {word} {familiar_string(ref)}")
