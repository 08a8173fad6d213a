"""What dockerd lists and prunes, filters applied as it applies them (moby v28.2.2).

- ``GET /images/json``: ``daemon/images/image_list.go`` ``Images``.
- ``GET /containers/json``: ``daemon/list.go`` ``Containers``, ``foldFilter`` and ``includeContainerInList``.
- ``POST /images/prune``: ``daemon/images/image_prune.go`` ``ImagesPrune`` (each image deleted as ``ImageDelete``
  would, a conflict skipping it; the space reclaimed is the diff size of each layer deleted).
- ``POST /containers/prune``: ``daemon/prune.go`` ``ContainersPrune``.

Each function takes the daemon (`sandbox.engine.daemon.Engine`) and its filters, and raises the daemon's errors
(`InvalidFilter`, `InvalidArgument`, `NoSuchImage`, `NoSuchContainer`) before it removes anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sandbox.clock import parse_rfc3339
from sandbox.engine.containers import RUNNING, Container
from sandbox.engine.filters import Filters, get_timestamp, port_filter, until_from_prune_filters
from sandbox.engine.images import chain_ids
from sandbox.errors import Conflict, InvalidFilter, NoSuchContainer, NotFound
from sandbox.oci import familiar_match, familiar_string, parse_normalized_named

#: ``acceptedImageFilterTags``
IMAGE_LIST_FILTERS = frozenset({"dangling", "label", "before", "since", "reference", "until"})
#: ``acceptedPsFilterTags``
CONTAINER_LIST_FILTERS = frozenset({"ancestor", "before", "exited", "id", "isolation", "label", "name", "status",
                                    "health", "since", "volume", "network", "is-task", "publish", "expose"})  # fmt: skip
#: ``imagesAcceptedFilters`` (prune)
IMAGE_PRUNE_FILTERS = frozenset({"dangling", "label", "label!", "until"})
#: ``containersAcceptedFilters`` (prune)
CONTAINER_PRUNE_FILTERS = frozenset({"label", "label!", "until"})
#: ``containertypes.ValidateContainerState``'s states, in its order.
CONTAINER_STATES = ("created", "running", "paused", "restarting", "removing", "exited", "dead")
#: ``containertypes.ValidateHealthStatus``'s values, in its order.
HEALTH_STATUSES = ("none", "starting", "healthy", "unhealthy")


@dataclass(frozen=True)
class ImageSummary:
    """One image as ``GET /images/json`` lists it: only the references that passed a ``reference`` filter."""

    id: str
    repo_tags: tuple[str, ...]
    repo_digests: tuple[str, ...]
    created: str
    size: int


def _created(image) -> datetime:
    return parse_rfc3339(image.created)


def _children(engine, image_id: str) -> list[str]:
    return [child for child, parent in engine.images.parents.items() if parent == image_id]


def list_images(engine, filters: Filters, all_images: bool = False) -> list[ImageSummary]:
    """``Images``: newest first. Raises `InvalidFilter`, `InvalidArgument` (a bad ``until`` or pattern),
    `NoSuchImage` (``before``/``since`` naming no image)."""
    filters.validate(IMAGE_LIST_FILTERS)
    dangling_only = filters.get_bool("dangling", False)
    before: datetime | None = None
    for value in filters.get("before"):  # several values: the oldest image, as ANDing them
        created = _created(engine.image(value))
        before = created if before is None or before > created else before
    for value in filters.get("until"):
        moment = get_timestamp(value, engine.services.clock.now)
        before = moment if before is None or before > moment else before
    since: datetime | None = None
    for value in filters.get("since"):
        created = _created(engine.image(value))
        since = created if since is None or since < created else since
    patterns = filters.get("reference")
    summaries = []
    for image_id, image in engine.images.images.items():
        if dangling_only and _children(engine, image_id):  # imageStore.Heads(): images without children
            continue
        created = _created(image)
        if before is not None and not created < before or since is not None and not created > since:
            continue
        if filters.contains("label") and not filters.match_kv_list("label", dict(image.run.labels)):
            continue
        tags, digests = [], []
        for key in engine.images.references(image_id):
            ref = parse_normalized_named(key)
            if filters.contains("reference") and not any(familiar_match(pattern, ref) for pattern in patterns):
                continue
            (digests if ref.digest else tags).append(familiar_string(ref))
        if not tags and not digests:
            if not all_images and _children(engine, image_id):
                continue
            if filters.contains("dangling") and not dangling_only or filters.contains("reference"):
                continue
        elif dangling_only and tags:
            continue
        summaries.append(ImageSummary(image_id, tuple(tags), tuple(digests), image.created, image.size))
    order = engine.images.arrived
    summaries.sort(key=lambda row: (row.created, order.get(row.id, 0)), reverse=True)
    return summaries


def _labels(engine, container: Container) -> dict[str, str]:
    """A container's labels: its image's (``docker run --label`` is not simulated, so there are no others)."""
    image = engine.images.for_container(container.image_id)
    return dict(image.run.labels)


def _id_or_name(engine, value: str) -> Container:
    """``idOrNameFilter``: an ID, a unique ID prefix, or a name. Raises `NoSuchContainer`."""
    found = engine.containers.find(value)
    if found is None:
        raise NoSuchContainer(value)
    return found


def list_containers(engine, filters: Filters, all_containers: bool = False, limit: int = -1) -> list[Container]:
    """``Containers``: newest first. Raises `InvalidFilter`, `InvalidArgument` (``publish``/``expose`` values) and
    `NoSuchContainer` (``before``/``since``)."""
    filters.validate(CONTAINER_LIST_FILTERS)
    exited: list[int] = []
    for value in filters.get("exited"):
        try:
            exited.append(_atoi(value))
        except ValueError as cause:
            raise InvalidFilter("exited", (value,), cause=str(cause)) from None
    for value in filters.get("status"):
        if value not in CONTAINER_STATES:
            raise InvalidFilter("status", (value,), cause=(
                f"invalid value for state ({value}): must be one of {', '.join(CONTAINER_STATES)}"))
        all_containers = True
    task_filter = filters.contains("is-task")
    is_task = filters.get_bool("is-task", False)
    for value in filters.get("health"):
        if value not in HEALTH_STATUSES:
            raise InvalidFilter("health", (value,), cause=(
                f"invalid value for health ({value}): must be one of {', '.join(HEALTH_STATUSES)}"))
    before = since = None
    for value in filters.get("before"):
        before = _id_or_name(engine, value)
    for value in filters.get("since"):
        since = _id_or_name(engine, value)
    ancestors: set[str] | None = None
    if filters.contains("ancestor"):
        ancestors = set()
        for value in filters.get("ancestor"):
            try:
                image_id, _ = engine.find_image(value)
            except LookupError:  # dockerd logs "Error while looking up for image" and goes on
                continue
            ancestors |= _descendants(engine, image_id)
    publish = port_filter("publish", filters.get("publish"))
    expose = port_filter("expose", filters.get("expose"))

    candidates = list(engine.containers)
    candidates.reverse()  # newest first
    if filters.get("name") or filters.get("id"):
        candidates = _by_name_or_id(engine, candidates, filters)
    rows: list[Container] = []
    for container in candidates:
        if before is not None:
            if container.id == before.id:
                before = None
            continue
        if since is not None and container.id == since.id:
            break
        running = container.status == RUNNING
        if not running and not all_containers and limit <= 0:
            continue
        if not filters.match("name", container.name) and not filters.match("name", "/" + container.name):
            continue
        if not filters.match("id", container.id):
            continue
        if task_filter and is_task:  # no container here belongs to a swarm task
            continue
        if not filters.match_kv_list("label", _labels(engine, container)):
            continue
        if filters.contains("isolation") and not filters.match("isolation", "default"):
            continue
        if limit > 0 and len(rows) == limit:
            break
        if exited and not (not running and container.started_at != "0001-01-01T00:00:00Z"
                           and container.exit_code in exited):
            continue
        if not filters.match("status", container.status):
            continue
        if not filters.exact_match("health", ""):  # no container here has a health check
            continue
        if filters.contains("volume") or filters.contains("network") and not _on_network(filters):
            continue
        if ancestors is not None and container.image_id not in ancestors:
            continue
        if (publish or expose) and not _port_matches(container, publish, expose):
            continue
        rows.append(container)
    return rows


def _atoi(value: str) -> int:
    """strconv.Atoi, with its error text."""
    text = value[1:] if value[:1] in "+-" else value
    if not text or not text.isascii() or not text.isdigit():
        raise ValueError(f'strconv.Atoi: parsing "{value}": invalid syntax')
    number = int(value)
    if not -(2**63) <= number < 2**63:
        raise ValueError(f'strconv.Atoi: parsing "{value}": value out of range')
    return number


def _on_network(filters: Filters) -> bool:
    """Every container here is on the default ``bridge`` network (named ``bridge``; its ID is not simulated)."""
    return "bridge" in filters.get("network")


def _descendants(engine, image_id: str) -> set[str]:
    """``populateImageFilterByParents``: the image and every image built on it."""
    found, todo = set(), [image_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(_children(engine, current))
    return found


def _by_name_or_id(engine, candidates: list[Container], filters: Filters) -> list[Container]:
    """``filterByNameIDMatches``: IDs by unique prefix, names by Match (limited to those IDs when both are given)."""
    ids = filters.get("id")
    matched: set[str] = set()
    for value in ids:
        found = [c.id for c in candidates if c.id.startswith(value)] if value else []
        if value in (c.id for c in candidates):
            found = [value]
        if len(found) == 1:
            matched.add(found[0])
    if filters.get("name"):
        for container in candidates:
            if ids and container.id not in matched:
                continue
            if filters.match("name", "/" + container.name) or filters.match("name", container.name):
                matched.add(container.id)
    return [c for c in candidates if c.id in matched]


def _port_matches(container: Container, publish, expose) -> bool:
    for binding in container.ports:
        if (binding.host_port, binding.protocol) in publish or (binding.container_port, binding.protocol) in expose:
            return True
    return False


def prune_images(engine, filters: Filters) -> tuple[list[tuple[str, str]], int]:
    """``ImagesPrune``: the ``untagged``/``deleted`` records and the bytes reclaimed. Raises `InvalidFilter`,
    `InvalidArgument` before anything is removed."""
    filters.validate(IMAGE_PRUNE_FILTERS)
    dangling_only = filters.get_bool("dangling", True)
    until = until_from_prune_filters(filters, engine.services.clock.now)
    chosen = []
    for image_id, image in engine.images.images.items():
        if dangling_only and _children(engine, image_id):
            continue
        refs = engine.images.references(image_id)
        if not refs and _children(engine, image_id):
            continue
        if until is not None and _created(image) > until:
            continue
        if not filters.match_labels(dict(image.run.labels)):
            continue
        chosen.append(image_id)
    sizes: dict[str, int] = {}
    for image_id in chosen:
        image = engine.images.images[image_id]
        sizes.update(zip(chain_ids(image), (layer.size for layer in image.layers)))
    records: list[tuple[str, str]] = []
    for image_id in chosen:
        refs = engine.images.references(image_id)
        if refs and dangling_only and any("@" not in key for key in refs):
            continue  # only an image no tag names is dangling
        for name in refs or [image_id.removeprefix("sha256:")]:
            try:  # ImageDelete(ref) without force, as rmi does it: a conflict skips this reference
                deleted = engine.image_remove(name)
            except (Conflict, NotFound):
                continue
            records.extend((what.lower(), subject) for what, subject in deleted)
    reclaimed = sum(sizes.get(subject, 0) for what, subject in records if what == "deleted")
    return records, reclaimed


def prune_containers(engine, filters: Filters) -> list[Container]:
    """``ContainersPrune``: the stopped containers removed, oldest first. Raises `InvalidFilter`, `InvalidArgument`."""
    filters.validate(CONTAINER_PRUNE_FILTERS)
    until = until_from_prune_filters(filters, engine.services.clock.now)
    removed = []
    for container in list(engine.containers):
        if container.status == RUNNING:
            continue
        if until is not None and parse_rfc3339(container.created) > until:
            continue
        if not filters.match_labels(_labels(engine, container)):
            continue
        engine._forget_container(container.id)
        engine.record("container.destroy", container.name, f"container {container.name} removed by prune")
        removed.append(container)
    return removed
