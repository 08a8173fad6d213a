"""Docker Hub's page for a repository, drawn from the simulated registry as hub.docker.com lays out its Tags tab: the
name, who publishes it, public or private, and each tag with when it was last pushed (and by whom) above a table of
the images it names: digest, OS/architecture, compressed size.

`hub_page` reads the world (nothing changes) and `HubPage` draws it as text (``repr``, what nbval compares) and as
inline HTML. Times are the world's virtual clock, so the same world draws the same bytes.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from sandbox import Sandbox
from sandbox.cli.render import human_size
from sandbox.clock import parse_rfc3339, rfc3339
from sandbox.content import Image, ImageIndex
from sandbox.errors import InvalidReference
from sandbox.oci import parse_normalized_named
from sandbox.registry.repository import PRIVATE, Repository

#: Tags Docker Hub lists on the first page of the Tags tab; the rest are counted.
TAGS_SHOWN = 10
#: Docker Hub, as a reference's domain names it.
HUB = "docker.io"


class NotOnHub(ValueError):
    """A name that is not a Docker Hub repository (another registry, a tag or digest, bad grammar)."""


@dataclass(frozen=True)
class Platform:
    """One image a tag names: its OS/architecture, manifest digest and compressed size (its layers as stored)."""

    os_arch: str
    digest: str
    compressed: int


@dataclass(frozen=True)
class TagRow:
    """One tag: when it was last pushed, by whom (None for images that came with the world), and its images."""

    tag: str
    pushed: str
    by: str | None
    platforms: tuple[Platform, ...]


@dataclass(frozen=True)
class HubPage:
    """A repository's page; ``found`` is False when the viewer may not see it (private to another account, or
    missing: Hub answers both with the same 404)."""

    name: str
    found: bool
    official: bool = False
    owner: str | None = None
    private: bool = False
    description: str = ""
    stars: int = 0
    tags: tuple[TagRow, ...] = ()
    hidden_tags: int = 0
    now: str = ""

    def _ago(self, when: str) -> str:
        return ago(parse_rfc3339(when), parse_rfc3339(self.now))

    def __repr__(self) -> str:
        if not self.found:
            return (f"Docker Hub: {self.name}\n  404: this page does not exist (Docker Hub shows a private "
                    "repository of another account exactly as a missing one)")
        lines = [f"Docker Hub: {self.name}   ({self._publisher()}, {'Private' if self.private else 'Public'})"]
        if self.description:
            lines.append(f"  {self.description}")
        lines.append(f"  docker pull {self.name}")
        for row in self.tags:
            lines.append("")
            lines.append(f"  TAG {row.tag}   Last pushed {self._ago(row.pushed)}" + (f" by {row.by}" if row.by else ""))
            lines.append(f"    {'DIGEST':<14} {'OS/ARCH':<16} COMPRESSED SIZE")
            for p in row.platforms:
                lines.append(f"    {short(p.digest):<14} {p.os_arch:<16} {hub_size(p.compressed)}")
        if self.hidden_tags:
            lines.append(f"\n  ... and {self.hidden_tags} more tag{'s' if self.hidden_tags != 1 else ''}")
        if not self.tags:
            lines.append("  (no tags yet)")
        return "\n".join(lines)

    def _publisher(self) -> str:
        return "Docker Official Image" if self.official else f"by {self.owner}"

    def _repr_html_(self) -> str:
        e = html.escape
        box = ("font-family:sans-serif;font-size:13px;border:1px solid #d0d7de;border-radius:6px;padding:10px 14px;"
               "max-width:46em;background:#fff;color:#1f2328")
        if not self.found:
            return (f"<div class='imageshare-hub' style='{box}'><div style='font-size:16px;font-weight:600'>"
                    f"{e(self.name)}</div><p>404: this page does not exist.</p><p style='color:#57606a'>Docker Hub "
                    "shows a private repository of another account exactly as a missing one.</p></div>")
        badge = ("background:#e7f0fd;color:#1d63ed" if not self.private else "background:#fdf3e7;color:#9a5b00")
        parts = [f"<div class='imageshare-hub' style='{box}'>",
                 f"<div style='font-size:18px;font-weight:600'>{e(self.name)} "
                 f"<span style='font-size:11px;padding:1px 6px;border-radius:8px;{badge}'>"
                 f"{'Private' if self.private else 'Public'}</span></div>",
                 f"<div style='color:#57606a'>{e(self._publisher())}"
                 + (f" · ★ {self.stars}" if self.stars else "") + "</div>"]
        if self.description:
            parts.append(f"<p style='margin:6px 0'>{e(self.description)}</p>")
        parts.append(f"<pre style='margin:6px 0;padding:4px 8px;background:#f6f8fa'>docker pull {e(self.name)}</pre>")
        parts.append("<div style='font-weight:600;margin-top:8px;border-bottom:2px solid #1d63ed;display:inline-block'>"
                     "Tags</div>")
        cell = "padding:2px 12px 2px 0;text-align:left"
        for row in self.tags:
            by = f" by {e(row.by)}" if row.by else ""
            parts.append(f"<div style='margin-top:10px;border-top:1px solid #d0d7de;padding-top:6px'>"
                         f"<span style='color:#57606a'>TAG</span><br><b>{e(row.tag)}</b><br>"
                         f"<span style='color:#57606a'>Last pushed {e(self._ago(row.pushed))}{by}</span>"
                         f"<table style='border-collapse:collapse;margin-top:4px'><tr>"
                         f"<th style='{cell}'>DIGEST</th><th style='{cell}'>OS/ARCH</th>"
                         f"<th style='{cell}'>COMPRESSED SIZE</th></tr>")
            for p in row.platforms:
                parts.append(f"<tr><td style='{cell};font-family:monospace'>{e(short(p.digest))}</td>"
                             f"<td style='{cell}'>{e(p.os_arch)}</td><td style='{cell}'>{e(hub_size(p.compressed))}"
                             "</td></tr>")
            parts.append("</table></div>")
        if self.hidden_tags:
            parts.append(f"<p style='color:#57606a'>... and {self.hidden_tags} more tags</p>")
        if not self.tags:
            parts.append("<p style='color:#57606a'>No tags yet.</p>")
        parts.append("</div>")
        return "".join(parts)


def short(digest: str) -> str:
    """The 12 hex characters Docker Hub shows of a digest."""
    return digest.removeprefix("sha256:")[:12]


def hub_size(size: int) -> str:
    """A size as Docker Hub writes it: decimal units, three significant digits, a space (``3.64 MB``)."""
    text = human_size(size)
    number = text.rstrip("kMGTPEZYB")
    return f"{number} {text[len(number):]}"


def ago(then: datetime, now: datetime) -> str:
    """How long ago, in the words Docker Hub's pages use (date-fns' ``formatDistance``, with "ago")."""
    seconds = max((now - then).total_seconds(), 0)
    minutes = round(seconds / 60)
    if seconds < 30:
        text = "less than a minute"
    elif minutes < 2:
        text = "1 minute"
    elif minutes < 45:
        text = f"{minutes} minutes"
    elif minutes < 90:
        text = "about 1 hour"
    elif minutes < 1440:
        text = f"about {round(minutes / 60)} hours"
    elif minutes < 2520:
        text = "1 day"
    elif minutes < 43200:
        text = f"{round(minutes / 1440)} days"
    elif minutes < 64800:
        text = "about 1 month"
    elif minutes < 86400:
        text = "about 2 months"
    elif minutes < 525600:
        text = f"{round(minutes / 43200)} months"
    else:
        months = round(minutes / 43200)
        years, rest = divmod(months, 12)
        text = (f"about {years} year" if rest < 3 else f"over {years} year" if rest < 9
                else f"almost {years + 1} year")
        text += "" if text.endswith(" 1 year") else "s"
    return f"{text} ago"


def platforms(repository: Repository, digest: str) -> tuple[Platform, ...]:
    """The images a tag's digest names: one per platform of a multi-platform index, or the one image a push put."""
    found = repository.resolve(digest)
    images = found.images if isinstance(found, ImageIndex) else (found,)
    return tuple(_platform(image) for image in images)


def _platform(image: Image) -> Platform:
    return Platform(image.platform, image.manifest.digest,
                    sum(layer.compressed_size for layer in image.layers))


def hub_page(sandbox: Sandbox, name: str, viewer: str | None = None) -> HubPage:
    """Docker Hub's page for repository ``name`` (``learner/web``, ``nginx``) as account ``viewer`` sees it (None:
    nobody logged in). Raises `NotOnHub` for a name that is not a Docker Hub repository."""
    try:
        ref = parse_normalized_named(name)
    except InvalidReference as e:
        raise NotOnHub(str(e)) from None
    if ref.domain != HUB:
        raise NotOnHub(f"{name} is on the registry {ref.domain}, not on Docker Hub: only Docker Hub has these pages")
    if ref.tag or ref.digest:
        raise NotOnHub(f"{name} names a {'tag' if ref.tag else 'digest'}; give the repository alone, such as "
                       f"{name.split('@')[0].rsplit(':', 1)[0]}")
    hub = sandbox.world.hub
    familiar = ref.path.removeprefix("library/")
    repository = hub.repositories.get(ref.path)
    if repository is None or (repository.visibility == PRIVATE and not hub.can_read(viewer, ref.path)):
        return HubPage(familiar, found=False)
    rows = []
    for tag, digest in repository.tags.items():
        image = repository.image(digest)
        at, by = repository.pushed.get(tag, (image.created, None))
        rows.append(TagRow(tag, at, by, platforms(repository, digest)))
    rows.sort(key=lambda r: (-parse_rfc3339(r.pushed).timestamp(), r.tag))
    return HubPage(familiar, True, repository.official, repository.owner, repository.visibility == PRIVATE,
                   repository.description, repository.stars, tuple(rows[:TAGS_SHOWN]),
                   max(len(rows) - TAGS_SHOWN, 0), _now(sandbox))


def _now(sandbox: Sandbox) -> str:
    return rfc3339(sandbox.world.clock.now)
