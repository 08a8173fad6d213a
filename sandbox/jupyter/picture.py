"""A picture of a world: hosts with their images, containers and logins; registries with their repositories and tags;
and the layers they share, so a learner sees why a push uploaded one layer and mounted the rest.

`snapshot` reads the world (nothing changes); `WorldPicture` draws a snapshot as text (``repr``) and as inline HTML
(``_repr_html_``). Both are deterministic: the same world draws the same bytes, so stored notebook outputs compare.
Layers are lettered ``L1``, ``L2``... in order of first appearance and coloured by label, so one layer has
one label and one colour wherever it is.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from sandbox import Sandbox
from sandbox.cli.config import HUB_AUTH_KEY
from sandbox.cli.render import human_size
from sandbox.content import Image
from sandbox.oci import familiar_string, parse_normalized_named
from sandbox.registry.registry import Registry

HUB_TITLE = "Docker Hub (docker.io)"
#: Degrees between the hues of consecutive layer labels: spreads any number of colours evenly around the wheel.
GOLDEN_ANGLE = 137.508
#: Tags shown per image row before the rest are counted (official images have many aliases).
TAGS_SHOWN = 4


@dataclass(frozen=True)
class Row:
    """One image where it is stored: the names it has there, its short ID, its layers' blob digests bottom first."""

    names: tuple[str, ...]
    image_id: str
    layers: tuple[str, ...]


@dataclass(frozen=True)
class Box:
    """A host or a registry: a title, notes (logins, containers, visibility), and image rows grouped under headings."""

    title: str
    notes: tuple[str, ...]
    groups: tuple[tuple[str, tuple[Row, ...]], ...]


@dataclass(frozen=True)
class LayerInfo:
    """One layer: its label, pull ID (blob digest), push ID (diff ID), transfer size, and the rows holding it."""

    label: str
    digest: str
    diff_id: str
    size: int
    places: tuple[str, ...]


@dataclass(frozen=True)
class WorldPicture:
    """What a world holds, ready to draw: host boxes, registry boxes, the layer legend, bytes moved through Hub."""

    hosts: tuple[Box, ...]
    registries: tuple[Box, ...]
    layers: tuple[LayerInfo, ...]
    moved: tuple[int, int]

    @property
    def shared(self) -> tuple[LayerInfo, ...]:
        """The layers found in more than one place."""
        return tuple(layer for layer in self.layers if len(layer.places) > 1)

    def label(self, digest: str) -> str:
        """The label of a layer (``L3``)."""
        return next(layer.label for layer in self.layers if layer.digest == digest)

    def __repr__(self) -> str:
        lines: list[str] = []
        for box in self.hosts + self.registries:
            lines.append(box.title)
            lines.extend(f"  {note}" for note in box.notes)
            for heading, rows in box.groups:
                lines.append(f"  {heading}")
                for row in rows:
                    chips = " ".join(self.label(d) for d in row.layers)
                    lines.append(f"    {_names(row.names)}   {row.image_id}   {chips}".rstrip())
        up, down = self.moved
        lines.append(f"Docker Hub received {human_size(up)} and sent {human_size(down)} so far")
        if self.shared:
            lines.append("shared layers (pull ID, push ID, size, where)")
            for layer in self.shared:
                lines.append(f"  {layer.label}  {_short(layer.digest)}  {_short(layer.diff_id)}  "
                             f"{human_size(layer.size)}  {', '.join(layer.places)}")
        return "\n".join(lines)

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))

    def _repr_html_(self) -> str:
        boxes = "".join(self._box_html(box, "#eef4ff") for box in self.hosts)
        boxes += "".join(self._box_html(box, "#f3fff0") for box in self.registries)
        up, down = self.moved
        parts = [
            "<div class='imageshare-world' style='font-family:monospace;font-size:12px;line-height:1.5'>",
            f"<div style='display:flex;flex-wrap:wrap;gap:10px;align-items:flex-start'>{boxes}</div>",
            f"<div style='margin-top:6px'>Docker Hub received {human_size(up)} and sent {human_size(down)} so far"
            "</div>",
        ]
        if self.shared:
            cell = "style='padding:1px 8px 1px 0;text-align:left;vertical-align:top'"
            rows = "".join(
                f"<tr><td {cell}>{self._chip(layer.digest)}</td><td {cell}>{_short(layer.digest)}</td>"
                f"<td {cell}>{_short(layer.diff_id)}</td><td {cell}>{human_size(layer.size)}</td>"
                f"<td {cell}>{html.escape(', '.join(layer.places))}</td></tr>"
                for layer in self.shared
            )
            parts.append(
                "<table style='margin-top:6px;border-collapse:collapse;font-size:12px'>"
                "<caption style='text-align:left;font-weight:bold'>Shared layers</caption>"
                f"<tr><th {cell}>layer</th><th {cell}>pull ID</th><th {cell}>push ID</th><th {cell}>size</th>"
                f"<th {cell}>where</th></tr>{rows}</table>"
            )
        parts.append("</div>")
        return "".join(parts)

    def _chip(self, digest: str) -> str:
        info = next(layer for layer in self.layers if layer.digest == digest)
        hue = round(int(info.label[1:]) * GOLDEN_ANGLE) % 360  # neighbouring labels get far-apart colours
        title = f"{info.label}: blob {_short(digest)}, diff ID {_short(info.diff_id)}, {human_size(info.size)}"
        return (f"<span title='{html.escape(title)}' style='display:inline-block;padding:0 4px;margin:0 2px 0 0;"
                f"border:1px solid #666;border-radius:3px;background:hsl({hue},70%,80%);color:#000'>"
                f"{info.label}</span>")

    def _box_html(self, box: Box, background: str) -> str:
        out = [(f"<div style='border:1px solid #999;border-radius:6px;padding:6px 8px;background:{background};"
                f"color:#000;min-width:220px'><div style='font-weight:bold'>{html.escape(box.title)}</div>")]
        out.extend(f"<div style='color:#444'>{html.escape(note)}</div>" for note in box.notes)
        for heading, rows in box.groups:
            out.append(f"<div style='margin-top:4px;font-style:italic'>{html.escape(heading)}</div>")
            for row in rows:
                chips = "".join(self._chip(d) for d in row.layers)
                out.append(f"<div style='margin-left:8px'>{html.escape(_names(row.names))} "
                           f"<span style='color:#666'>{row.image_id}</span><br>{chips}</div>")
        out.append("</div>")
        return "".join(out)


def _short(digest: str) -> str:
    return digest.removeprefix("sha256:")[:12]


def _names(names: tuple[str, ...]) -> str:
    if len(names) <= TAGS_SHOWN:
        return ", ".join(names)
    return ", ".join(names[:TAGS_SHOWN]) + f" (+{len(names) - TAGS_SHOWN} more)"


def _familiar(reference: str) -> str:
    return familiar_string(parse_normalized_named(reference))


def snapshot(sandbox: Sandbox) -> WorldPicture:
    """Read ``sandbox``'s world into a picture (the world does not change)."""
    world = sandbox.world
    layers: dict[str, tuple[str, int]] = {}  # blob digest -> (diff ID, size), in order of first appearance
    places: dict[str, list[str]] = {}

    def row(names: tuple[str, ...], image: Image, where: str) -> Row:
        for layer in image.layers:
            layers.setdefault(layer.digest, (layer.diff_id, layer.compressed_size))
            spots = places.setdefault(layer.digest, [])
            if where not in spots:
                spots.append(where)
        return Row(names, _short(image.id), tuple(layer.digest for layer in image.layers))

    hosts = []
    known: dict[tuple[str, str], set[str]] = {}  # (registry, repository) -> blobs a host pulled from or pushed to it
    for name, host in world.hosts.items():
        store = host.engine.images
        rows = []
        for image_id in sorted(store.images, key=lambda i: (store.arrived.get(i, 0), i)):
            names = tuple(_familiar(ref) for ref in store.tags_of(image_id)) or ("<none>",)
            rows.append(row(names, store.images[image_id], f"{name} {min(names, key=lambda n: (len(n), n))}"))
        for blob, found in store.layer_sources.items():
            for address, repository, _ in found:
                known.setdefault((address, repository), set()).add(blob)
        notes = [
            f"logged in to {'docker.io' if key == HUB_AUTH_KEY else key} as {user}"
            for key, (user, _) in sorted(host.credentials().items())
        ]
        notes += [f"container {c.name}: {c.status}, image {c.image}" for c in host.engine.containers]
        hosts.append(Box(name, tuple(notes), (("images", tuple(rows)),) if rows else (("no images", ()),)))

    registries = [_registry_box(world.hub, HUB_TITLE, "docker.io", known, row)]
    for host_name, host in world.hosts.items():
        for container in host.engine.containers:
            registry = world.private_registries.get(container.id)
            if registry is None:
                continue
            ports = [b.host_port for b in container.ports if b.container_port == 5000]
            address = f"localhost:{ports[0]}" if ports else "unpublished"
            title = f"{address} on {host_name} (registry container {container.name}, {container.status})"
            registries.append(_registry_box(registry, title, address, known, row))

    legend = tuple(
        LayerInfo(f"L{index}", digest, diff_id, size, tuple(places[digest]))
        for index, (digest, (diff_id, size)) in enumerate(layers.items(), 1)
    )
    return WorldPicture(tuple(hosts), tuple(registries), legend,
                        (world.hub.bytes_received, world.hub.bytes_sent))


def _registry_box(registry: Registry, title: str, address: str, known: dict, row) -> Box:
    """One registry's repositories. Of Docker Hub's official ``library/`` images, only those whose every layer a host
    pulled from (or pushed to) that repository: the catalogue holds dozens."""
    groups = []
    hub = address == "docker.io"
    for path in sorted(registry.repositories):
        repository = registry.repositories[path]
        by_image: dict[str, list[str]] = {}
        for tag, digest in sorted(repository.tags.items()):
            by_image.setdefault(digest, []).append(tag)
        official = hub and path.startswith("library/")
        if official:
            blobs = known.get(("docker.io", path), set())
            by_image = {d: tags for d, tags in by_image.items()
                        if {layer.digest for layer in repository.image(d).layers} <= blobs}
            if not by_image:
                continue
        rows = tuple(
            row(tuple(tags), repository.image(digest), f"{address} {path}")
            for digest, tags in by_image.items()
        )
        groups.append((f"{path} ({repository.visibility})" if hub else path, rows))
    return Box(title, () if groups else ("no repositories",), tuple(groups))
