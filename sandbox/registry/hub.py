"""Docker Hub as every world starts: the official images of the catalogue, two accounts, alice's repositories,
each with the description and star count the catalogue lists for it (what ``docker search`` shows).

The catalogue is turned into images once per process and the resulting registry is the prototype every world forks
(repositories are frozen values, so a fork copies one dict of about twenty entries and shares everything else).
"""

from __future__ import annotations

from functools import cache

from sandbox.clock import rfc3339
from sandbox.content import HistoryEntry, Image, Layer, RunConfig
from sandbox.registry.registry import Registry
from sandbox.registry.repository import PRIVATE, PUBLIC, Repository

HUB_ADDRESS = "docker.io"
#: The accounts every world starts with (username -> password).
DEFAULT_ACCOUNTS = {"learner": "s3cret-pass", "alice": "alice-pass"}


def catalogue_layer(entry) -> Layer:
    """A catalogue layer as content: its digests follow from its name, so every process agrees on them."""
    return Layer.derive(
        {"catalogue-layer": entry.name}, entry.size, entry.compressed,
        files=tuple(sorted(dict(entry.files or {}).items())),
    )


def catalogue_image(entry) -> Image:
    """A catalogue image as content."""
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
    return Image(
        created=rfc3339(entry.created),
        run=run,
        layers=tuple(catalogue_layer(layer) for layer in entry.layers),
        history=history,
        os=entry.os,
        architecture=entry.architecture,
        extra={"repository": entry.repository},
    )


@cache
def hub_prototype() -> Registry:
    """The Docker Hub every new world forks; built once per process."""
    from sandbox.registry.catalogue import load_catalogue  # yaml is loaded when the first world is made, not on import

    catalogue = load_catalogue()
    hub = Registry(address=HUB_ADDRESS, accounts=dict(DEFAULT_ACCOUNTS), requires_auth=True, serves_search=True,
                   unmodelled_official=catalogue.unmodelled_official)
    for entry in catalogue.images:
        image = catalogue_image(entry)
        path = entry.repository
        owner = None if path.startswith("library/") else path.split("/", 1)[0]
        listing = catalogue.listing(path)
        repo = hub.repositories.get(path) or Repository(
            path=path, owner=owner, visibility=PRIVATE if entry.visibility == "private" else PUBLIC,
            description=listing.description, stars=listing.stars,
        )
        for tag in entry.tags:
            repo = repo.with_image(tag, image)
        if not entry.tags:
            repo = repo.with_image(None, image)
        hub.repositories[path] = repo
    return hub


def former_image(repository: str, tag: str = "latest") -> Image | None:
    """The image ``tag`` named in a repository before it moved on (for stale-``latest`` lessons)."""
    from sandbox.registry.catalogue import load_catalogue

    for entry in load_catalogue().images:
        if entry.repository == repository and tag in entry.former_tags:
            return catalogue_image(entry)
    return None
