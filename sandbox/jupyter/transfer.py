"""A picture of one push or pull: each layer, and whether it moved or was already there (the smart push, seen).

Drawn from the structured progress a push or pull reports (the messages Docker's lines come from): a pushed or
downloaded layer moved its compressed bytes; ``Layer already exists`` (push) and ``Already exists`` (pull) moved
nothing; ``Mounted from library/node`` moved nothing either: the registry linked a blob it already held in another
repository. Deterministic, so stored notebook outputs compare.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

from sandbox.cli.render import human_size
from sandbox.engine.progress import Progress

MOVED, THERE, MOUNTED = "moved", "already there", "mounted"
#: Colours of the three fates, as the world picture colours layers: moved bytes stand out.
COLOURS = {MOVED: "#d9534f", THERE: "#9e9e9e", MOUNTED: "#5b8def"}
#: Widest bar, in pixels, for the largest layer moved.
BAR_PX = 240


@dataclass(frozen=True)
class LayerMove:
    """One layer of a push or pull: its short ID, what happened to it, the bytes moved, and the source of a mount."""

    layer: str
    fate: str
    size: int = 0
    source: str = ""


@dataclass(frozen=True)
class Transfer:
    """One push or pull: what was typed, which way (``push`` or ``pull``), its layers bottom first, and whether it
    finished."""

    command: str
    way: str
    layers: tuple[LayerMove, ...]

    @property
    def moved(self) -> int:
        """Bytes that crossed the network for the layers."""
        return sum(layer.size for layer in self.layers)

    def summary(self) -> str:
        """One line: how many layers moved, how many bytes, and how many did not need to."""
        moved = sum(1 for layer in self.layers if layer.fate == MOVED)
        verb = "uploaded" if self.way == "push" else "downloaded"
        rest = len(self.layers) - moved
        kept = f"; {rest} already there or mounted, nothing sent for {'it' if rest == 1 else 'them'}" if rest else ""
        return f"{self.command}: {moved} of {len(self.layers)} layers {verb} ({human_size(self.moved)}){kept}"

    def __repr__(self) -> str:
        verb = "uploaded" if self.way == "push" else "downloaded"
        lines = [self.summary()]
        for layer in reversed(self.layers):  # top first, as a Dockerfile's last line is the top layer
            what = {MOVED: f"{verb} {human_size(layer.size)}", THERE: "already there: nothing sent",
                    MOUNTED: f"mounted from {layer.source}: nothing sent"}[layer.fate]
            lines.append(f"  {layer.layer}  {what}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        e = html.escape
        biggest = max((layer.size for layer in self.layers), default=0) or 1
        verb = "uploaded" if self.way == "push" else "downloaded"
        rows = []
        for layer in reversed(self.layers):
            colour = COLOURS[layer.fate]
            width = max(int(BAR_PX * layer.size / biggest), 4) if layer.fate == MOVED else 4
            what = {MOVED: f"{verb} {human_size(layer.size)}", THERE: "already there: nothing sent",
                    MOUNTED: f"mounted from {layer.source}: nothing sent"}[layer.fate]
            rows.append(f"<tr><td style='font-family:monospace;padding-right:10px'>{e(layer.layer)}</td>"
                        f"<td><span style='display:inline-block;width:{width}px;height:12px;background:{colour};"
                        f"vertical-align:middle'></span> <span style='color:{colour}'>{e(what)}</span></td></tr>")
        return (f"<div class='imageshare-transfer' style='font-family:sans-serif;font-size:13px'>"
                f"<div>{e(self.summary())}</div>"
                f"<table style='border-collapse:collapse;margin-top:4px'>{''.join(rows)}</table></div>")


def transfer(command: str, messages: Iterable[Progress]) -> Transfer | None:
    """The picture of one push's or pull's ``messages``; None when they moved no layer at all (a refused push)."""
    fates: dict[str, LayerMove] = {}
    order: list[str] = []
    way = "pull"
    for m in messages:
        if not m.id:
            continue
        if m.status == "Preparing":
            way = "push"
        if m.id not in order:
            order.append(m.id)
        if m.status in ("Already exists", "Layer already exists"):
            fates[m.id] = LayerMove(m.id, THERE)
        elif m.status.startswith("Mounted from "):
            fates[m.id] = LayerMove(m.id, MOUNTED, source=m.status.removeprefix("Mounted from "))
        elif m.status in ("Pushing", "Downloading") and m.total:
            fates[m.id] = LayerMove(m.id, MOVED, m.total)
    layers = tuple(fates[layer] for layer in order if layer in fates)
    if not layers:
        return None
    if way == "push":  # push reports the top layer first; the picture is bottom first, as pull reports
        layers = layers[::-1]
    return Transfer(command, way, layers)
