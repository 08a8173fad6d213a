"""Docker Hub as every world starts: the official images of the catalogue, two accounts, alice's repositories,
each with the description and star count the catalogue lists for it (what ``docker search`` shows).

The registry every world forks is made once per process and lists every catalogue repository; a repository is turned
into images (manifests, configs, digests) only when a world first reads it, once per process (repositories are frozen
values, so a fork copies one dict of about thirty entries and shares everything else, built or not).
"""

from __future__ import annotations

from functools import cache

from sandbox.clock import rfc3339
from sandbox.content import HistoryEntry, Image, ImageIndex, Layer, RunConfig, split_platform
from sandbox.registry.registry import Registry
from sandbox.registry.repositories import Repositories
from sandbox.registry.repository import PRIVATE, PUBLIC, Repository

HUB_ADDRESS = "docker.io"
#: The accounts every world starts with (username -> password).
DEFAULT_ACCOUNTS = {"learner": "s3cret-pass", "alice": "alice-pass"}


def catalogue_layer(entry, platform: str | None = None) -> Layer:
    """A catalogue layer as content, on the catalogue's own platform or on another one of the image's index.

    On its own platform a layer whose Hub digest repo-info records has that digest; otherwise its digests follow from
    its name (and the other platform: each architecture's build is its own blob), so every process agrees on them and
    a layer shared by two images is one blob on every platform. The diff ID is always derived (repo-info has none).
    """
    recipe = {"catalogue-layer": entry.name} if platform is None else {"catalogue-layer": entry.name,
                                                                       "platform": platform}
    layer = Layer.derive(recipe, entry.size, entry.compressed, files=tuple(sorted(dict(entry.files or {}).items())))
    if platform is None and entry.digest:
        return Layer(entry.digest, layer.diff_id, layer.size, layer.compressed_size, layer.files)
    return layer


def served_platforms(entry) -> tuple[str | None, ...]:
    """The platforms Docker Hub serves a catalogue image on, None standing for the catalogue's own: every platform of
    its index, or only its own when it is pushed as a single manifest."""
    if len(entry.platforms) == 1:
        return (None,)
    own = f"{entry.os}/{entry.architecture}"
    return tuple(None if platform == own else platform for platform in entry.platforms)


def catalogue_index(entry) -> ImageIndex:
    """A multi-platform catalogue image as Docker Hub serves it: an index of one image per platform. The catalogue's
    own platform is the modelled image; the others share its config and history, with their own layer blobs."""
    return ImageIndex(tuple(catalogue_image(entry, platform) for platform in served_platforms(entry)),
                      recorded_digest=entry.index_digest)


def catalogue_image(entry, platform: str | None = None) -> Image:
    """A catalogue image as content (on ``platform`` when it is not the catalogue's own)."""
    config = dict(entry.config)
    run = RunConfig(
        env=tuple(config.get("Env") or ()),
        cmd=tuple(config["Cmd"]) if config.get("Cmd") is not None else None,
        entrypoint=tuple(config["Entrypoint"]) if config.get("Entrypoint") is not None else None,
        working_dir=config.get("WorkingDir") or "",
        exposed_ports=tuple(config.get("ExposedPorts") or ()),
        labels=tuple(sorted((config.get("Labels") or {}).items())),
        user=config.get("User") or "",
        stop_signal=config.get("StopSignal") or "",
    )
    history = tuple(
        HistoryEntry(created=rfc3339(row.created), created_by=row.created_by, empty_layer=row.layer is None,
                     comment=getattr(row, "comment", "") or "")
        for row in entry.history
    )
    os_name, architecture, variant = (entry.os, entry.architecture, "") if platform is None else split_platform(
        platform)
    if platform is not None and architecture in ("arm", "arm64") and platform.count("/") < 2:
        variant = ""  # an index entry written without a variant keeps none
    own = platform is None
    return Image(
        created=rfc3339(entry.created),
        run=run,
        layers=tuple(catalogue_layer(layer, platform) for layer in entry.layers),
        history=history,
        os=os_name,
        architecture=architecture,
        variant=variant,
        extra={"repository": entry.repository},
        recorded_id=entry.image_id if own else "",
        recorded_manifest_digest=entry.manifest_digest if own else "",
    )


@cache
def hub_prototype() -> Registry:
    """The Docker Hub every new world forks; made once per process, with every catalogue repository listed and none
    built: `hub_repository` builds each the first time a world reads it."""
    # yaml is loaded when the first world is made, not on import; the real Hub's tags when a tag first misses
    from sandbox.registry.catalogue import load_catalogue, load_hub_tags

    catalogue = load_catalogue()
    return Registry(address=HUB_ADDRESS, repositories=Repositories(catalogue.repositories(), hub_repository),
                    accounts=dict(DEFAULT_ACCOUNTS), requires_auth=True, serves_search=True,
                    unmodelled_official=catalogue.unmodelled_official, real_official_tags=load_hub_tags)


@cache
def hub_repository(path: str) -> Repository:
    """A catalogue repository as Docker Hub serves it: every image of the catalogue under ``path``, with each of its
    tags, its listing's description and stars; built once per process and shared by every world. Raises KeyError for
    a path the catalogue does not hold."""
    from sandbox.registry.catalogue import load_catalogue

    catalogue = load_catalogue()
    entries = [entry for entry in catalogue.images if entry.repository == path]
    if not entries:
        raise KeyError(path)
    owner = None if path.startswith("library/") else path.split("/", 1)[0]
    listing = catalogue.listing(path)
    repo = Repository(path=path, owner=owner, visibility=PRIVATE if entries[0].visibility == "private" else PUBLIC,
                      description=listing.description, stars=listing.stars)
    for entry in entries:  # the catalogue gives every image at least one tag
        if len(entry.platforms) > 1:
            index = catalogue_index(entry)
            for tag in entry.tags:
                repo = repo.with_index(tag, index)
        else:
            image = catalogue_image(entry)
            for tag in entry.tags:
                repo = repo.with_image(tag, image)
    return repo


@cache
def unmodelled_program_layers() -> frozenset[str]:
    """Blob digests that mark an image whose programs the sandbox does not model: the top layer of every platform of
    each ``runs: false`` catalogue image. An image holding one (the image itself, or one built FROM it) cannot start a
    container here."""
    from sandbox.registry.catalogue import load_catalogue

    # only the top layer's digest is needed: deriving it alone spares building every platform's image
    return frozenset(
        catalogue_layer(entry.layers[-1], platform).digest
        for entry in load_catalogue().images if not entry.runs
        for platform in served_platforms(entry)
    )
