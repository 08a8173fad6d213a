"""The Docker Hub catalogue: official and account images as frozen values, read from ``catalogue.yaml``.

The YAML file documents its own format at its top. This module only reads and checks it: it builds no
digests and no manifests (the registry does that from these values), and it holds no state beyond the one
parsed copy that :func:`load_catalogue` caches for the process.

Every check failure raises ``ValueError`` naming the image and the offending value, so a bad edit to the
data fails the first test that loads it.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from types import MappingProxyType
from typing import Any

import yaml

#: libyaml's safe loader when PyYAML was built with it: the catalogue is the largest YAML a world reads, and the pure
#: Python loader takes most of a second over it (the first ``Sandbox()`` of a process pays that).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: The catalogue's data as JSON, which a build may ship beside ``catalogue.yaml`` (`catalogue_data` dumped): the
#: browser edition does, since PyYAML has no C loader there and parsing the YAML was half of ``%load_ext sandbox``.
PARSED = "catalogue.json"

#: Where ``from:`` and ``userland`` may point, and what ``visibility`` may say. The RPM-based ones belong to tutorial
#: images whose containers are not simulated (``runs: false``).
USERLANDS = frozenset({"scratch", "busybox", "alpine", "debian", "ubuntu", "oraclelinux", "fedora", "amazonlinux"})
VISIBILITIES = frozenset({"public", "private"})

#: Config keys as ``docker inspect`` spells them, with the value an image has when it does not set one.
CONFIG_DEFAULTS: Mapping[str, Any] = MappingProxyType({
    "Env": (),
    "Cmd": None,
    "Entrypoint": None,
    "WorkingDir": "",
    "ExposedPorts": (),
    "Volumes": (),
    "Labels": MappingProxyType({}),
    "StopSignal": None,
    "User": "",
})


@dataclass(frozen=True)
class CatalogueLayer:
    """One filesystem layer: the same name anywhere in the catalogue is the same blob."""

    name: str
    size: int
    compressed: int
    created_by: str
    files: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False, repr=False)
    #: The blob digest Docker Hub really serves for this layer (on the catalogue's platform), from repo-info.
    digest: str = ""


@dataclass(frozen=True)
class CatalogueHistory:
    """One ``docker history`` row; ``layer`` is None for a metadata-only step."""

    created: datetime
    created_by: str
    layer: CatalogueLayer | None = None
    #: ``buildkit.dockerfile.v0`` for rows BuildKit wrote, empty for the legacy builder and imported rootfs.
    comment: str = ""

    @property
    def empty_layer(self) -> bool:
        """True for a step that changed only the config (``ENV``, ``CMD``, ``EXPOSE``...)."""
        return self.layer is None


@dataclass(frozen=True)
class CatalogueImage:
    """One distinct image and every tag that points at it on the Hub."""

    repository: str
    tags: tuple[str, ...]
    created: datetime
    layers: tuple[CatalogueLayer, ...]
    history: tuple[CatalogueHistory, ...]
    config: Mapping[str, Any] = field(hash=False)
    os: str = "linux"
    architecture: str = "amd64"
    visibility: str = "public"
    userland: str = "scratch"
    former_tags: tuple[str, ...] = ()
    parent: str | None = None
    #: The platforms Docker Hub's index for these tags lists, in its order (official-images' Architectures); an
    #: image with one platform is pushed as a single manifest, as a learner's push is.
    platforms: tuple[str, ...] = ("linux/amd64",)
    #: Digests Docker Hub really serves (repo-info): the tags' index, this platform's manifest, the image ID.
    index_digest: str = ""
    manifest_digest: str = ""
    image_id: str = ""
    #: Where those digests were read (``repos/NAME/remote/TAG.md@commit`` of docker-library/repo-info).
    source: str = ""
    #: False for a tutorial image whose programs the sandbox does not model: it pulls, pushes and serves as a base,
    #: but a container of it (or of an image built on it) is not simulated.
    runs: bool = True

    @property
    def size(self) -> int:
        """Uncompressed bytes of all layers: what ``docker images`` shows as SIZE."""
        return sum(layer.size for layer in self.layers)

    @property
    def compressed_size(self) -> int:
        """Bytes a pull of an empty host transfers (layers only, no config or manifest)."""
        return sum(layer.compressed for layer in self.layers)

    @property
    def files(self) -> Mapping[str, str]:
        """Known text files of the image, upper layers winning, as the container sees them."""
        merged: dict[str, str] = {}
        for layer in self.layers:
            merged.update(layer.files)
        return MappingProxyType(merged)

    @property
    def official(self) -> bool:
        """True for ``library/`` images, which Docker Hub curates."""
        return self.repository.startswith("library/")


@dataclass(frozen=True)
class CatalogueListing:
    """What Docker Hub lists about a repository, as ``docker search`` shows it: its short description and stars."""

    description: str = ""
    stars: int = 0


#: Docker Hub's limit on a repository's short description, in characters.
DESCRIPTION_MAX = 100


@dataclass(frozen=True)
class Catalogue:
    """All Hub images of the simulated world, looked up by repository and tag."""

    as_of: date
    layers: Mapping[str, CatalogueLayer] = field(hash=False)
    images: tuple[CatalogueImage, ...]
    listings: Mapping[str, CatalogueListing] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    #: Every official image the real Docker Hub has at ``as_of`` (official-images' ``library/`` at that date).
    hub_official: frozenset[str] = frozenset()

    @property
    def unmodelled_official(self) -> frozenset[str]:
        """Official images the real Hub has and this catalogue does not model (they get the not-available line)."""
        return self.hub_official - {path.removeprefix("library/") for path in self.repositories()}

    def listing(self, repository: str) -> CatalogueListing:
        """The Hub's description and star count of a repository; empty for one the catalogue does not list."""
        return self.listings.get(repository, CatalogueListing())

    def repositories(self) -> tuple[str, ...]:
        """Every repository, in catalogue order."""
        return tuple(dict.fromkeys(image.repository for image in self.images))

    def tags(self, repository: str) -> Mapping[str, CatalogueImage]:
        """Tag -> image for one repository as the Hub has it today; empty for an unknown repository."""
        return MappingProxyType({
            tag: image for image in self.images if image.repository == repository for tag in image.tags
        })

    def image_for(self, repository: str, tag: str) -> CatalogueImage:
        """The image ``repository:tag`` names on the Hub today.

        Raises KeyError when the repository has no such tag (the registry's MANIFEST_UNKNOWN).
        """
        try:
            return self.tags(repository)[tag]
        except KeyError:
            raise KeyError(f"{repository}:{tag} is not in the catalogue") from None

    def previous_image_for(self, repository: str, tag: str) -> CatalogueImage | None:
        """The image ``repository:tag`` named before the tag moved on, or None if it never moved."""
        for image in self.images:
            if image.repository == repository and tag in image.former_tags:
                return image
        return None

    @property
    def previous(self) -> tuple[CatalogueImage, ...]:
        """Images that some tag (usually ``latest``) named before it moved on, in catalogue order."""
        return tuple(image for image in self.images if image.former_tags)

    def __iter__(self) -> Iterator[CatalogueImage]:
        return iter(self.images)


@functools.cache
def load_catalogue() -> Catalogue:
    """The packaged catalogue, parsed once per process (from `PARSED` when the package ships it).

    Raises ValueError if the shipped data breaks a rule of the format.
    """
    parsed = importlib.resources.files(__package__).joinpath(PARSED)
    if parsed.is_file():
        return parse_catalogue(json.loads(parsed.read_text(encoding="utf-8")))
    text = importlib.resources.files(__package__).joinpath("catalogue.yaml").read_text(encoding="utf-8")
    return parse_catalogue(text)


def catalogue_data(text: str) -> Any:
    """What the YAML ``text`` of a catalogue parses to, not yet checked (raises ``yaml.YAMLError`` on bad YAML)."""
    return yaml.load(text, Loader=_SAFE_LOADER)


@functools.cache
def load_hub_tags() -> Mapping[str, frozenset[str]]:
    """Every tag the real Docker Hub has for each official image the catalogue models (``hub_tags.txt``; its header
    says where the tags come from), parsed once per process and only when a lookup misses: it is ten times the
    catalogue's size and a world never needs it otherwise.

    Raises ValueError if the shipped file breaks its format.
    """
    text = importlib.resources.files(__package__).joinpath("hub_tags.txt").read_text(encoding="utf-8")
    return parse_hub_tags(text)


def parse_hub_tags(text: str) -> Mapping[str, frozenset[str]]:
    """``NAME -> tags`` from the ``hub_tags.txt`` format: ``[NAME]`` starts an image, ``*SUFFIX: A B`` lists the tags
    ``ASUFFIX`` and ``BSUFFIX``, ``#`` starts a comment line. Raises ValueError naming the line that breaks it."""
    found: dict[str, set[str]] = {}
    tags: set[str] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            tags = found.setdefault(line[1:-1], set())
        elif line.startswith("*") and ":" in line and tags is not None:
            suffix, _, heads = line[1:].partition(":")
            tags.update(head + suffix for head in heads.split())
        else:
            raise ValueError(f"hub_tags.txt line {number}: expected '[NAME]' or '*SUFFIX: TAG...', got {line[:60]!r}")
    return MappingProxyType({name: frozenset(tags) for name, tags in found.items()})


def parse_catalogue(source: str | Mapping[str, Any]) -> Catalogue:
    """Build a :class:`Catalogue` from YAML text or already-parsed data.

    Raises ValueError for anything the format forbids: an undefined layer or parent, a tag listed twice
    in one repository, a malformed date, an unknown config key, userland or visibility, a listing of an
    unknown repository or with a description longer than Docker Hub allows.
    """
    data = catalogue_data(source) if isinstance(source, str) else source
    if not isinstance(data, Mapping):
        raise ValueError("catalogue: the document must be a mapping with 'layers' and 'images'")
    platform = data.get("platform") or {}
    layers = {name: _layer(name, spec) for name, spec in (data.get("layers") or {}).items()}
    entries = [(entry, True) for entry in data.get("images") or ()]
    entries += [(entry, False) for entry in data.get("user_images") or ()]
    built: dict[str, CatalogueImage] = {}
    images: list[CatalogueImage] = []
    for entry, official in entries:
        image = _image(entry, official, layers, built, platform)
        for tag in image.tags:
            ref = f"{image.repository}:{tag}"
            if ref in built:
                raise ValueError(f"catalogue: tag {ref} is listed twice")
            built[ref] = image
        images.append(image)
    _check_former_tags(images)
    known = {image.repository for image in images}
    listings = {name: _listing(name, spec, known) for name, spec in (data.get("listings") or {}).items()}
    return Catalogue(as_of=_date(data.get("as_of")), layers=MappingProxyType(layers), images=tuple(images),
                     listings=MappingProxyType(listings), hub_official=_hub_official(data.get("hub_official"), known))


def _hub_official(spec: Any, known: set[str]) -> frozenset[str]:
    if spec is None:
        return frozenset()
    names = spec.get("names") if isinstance(spec, Mapping) else None
    if not isinstance(names, list) or not all(isinstance(name, str) and name for name in names):
        raise ValueError("catalogue: hub_official needs 'names', a list of official image names")
    missing = sorted(path for path in known if path.startswith("library/") and path[8:] not in names)
    if missing:
        raise ValueError(f"catalogue: hub_official does not list {missing}, which the catalogue models")
    return frozenset(names)


def _listing(repository: str, spec: Any, known: set[str]) -> CatalogueListing:
    if repository not in known:
        raise ValueError(f"catalogue: listing {repository!r} names no repository of the catalogue")
    if not isinstance(spec, Mapping) or set(spec) - {"description", "stars"}:
        raise ValueError(f"catalogue: listing {repository!r} must be a mapping of 'description' and 'stars'")
    description, stars = spec.get("description", ""), spec.get("stars", 0)
    if not isinstance(description, str) or len(description) > DESCRIPTION_MAX:
        raise ValueError(f"catalogue: listing {repository!r} needs a description of at most {DESCRIPTION_MAX} "
                         "characters")
    if not isinstance(stars, int) or isinstance(stars, bool) or stars < 0:
        raise ValueError(f"catalogue: listing {repository!r} needs a non-negative integer 'stars'")
    return CatalogueListing(description=description, stars=stars)


def _layer(name: str, spec: Any) -> CatalogueLayer:
    if not isinstance(spec, Mapping):
        raise ValueError(f"catalogue: layer {name!r} must be a mapping")
    for key in ("size", "compressed"):
        if not isinstance(spec.get(key), int) or isinstance(spec.get(key), bool) or spec[key] < 0:
            raise ValueError(f"catalogue: layer {name!r} needs a non-negative integer {key!r}")
    if not isinstance(spec.get("created_by"), str):
        raise ValueError(f"catalogue: layer {name!r} needs a 'created_by' text")
    files = spec.get("files") or {}
    for path, content in files.items():
        if not str(path).startswith("/") or not isinstance(content, str):
            raise ValueError(f"catalogue: layer {name!r} file {path!r} needs an absolute path and text")
    return CatalogueLayer(
        name=name,
        size=spec["size"],
        compressed=spec["compressed"],
        created_by=spec["created_by"],
        files=MappingProxyType({str(path): content for path, content in files.items()}),
        digest=_digest(spec.get("digest"), f"layer {name!r}"),
    )


_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
_PLATFORM = re.compile(r"[a-z0-9]+/[a-z0-9_]+(/v[0-9]+)?")


def _digest(value: Any, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or not _DIGEST.fullmatch(value):
        raise ValueError(f"catalogue: {where} has a malformed digest {value!r}")
    return value


def _platforms(value: Any, own: str, where: str) -> tuple[str, ...]:
    if value is None:
        return (own,)
    if not isinstance(value, list) or not value or not all(isinstance(p, str) and _PLATFORM.fullmatch(p)
                                                            for p in value):
        raise ValueError(f"catalogue: {where} needs 'platforms' as a list of os/architecture[/variant]")
    if len(set(value)) != len(value) or own not in value:
        raise ValueError(f"catalogue: {where} platforms {value} must be distinct and include {own}")
    return tuple(value)


def _image(
    entry: Mapping[str, Any],
    official: bool,
    layers: Mapping[str, CatalogueLayer],
    built: Mapping[str, CatalogueImage],
    platform: Mapping[str, str],
) -> CatalogueImage:
    repository = entry.get("repository")
    if not isinstance(repository, str) or repository.count("/") != 1:
        raise ValueError(f"catalogue: repository {repository!r} must be 'namespace/name'")
    if official != repository.startswith("library/"):
        section = "images" if official else "user_images"
        raise ValueError(f"catalogue: {repository} does not belong under '{section}'")
    tags = tuple(str(tag) for tag in entry.get("tags") or ())
    where = f"{repository}:{tags[0] if tags else '?'}"
    if not tags:
        raise ValueError(f"catalogue: {repository} has an image without tags")
    if len(set(tags)) != len(tags):
        raise ValueError(f"catalogue: {where} lists a tag twice")
    former = tuple(str(tag) for tag in entry.get("former_tags") or ())
    if set(former) & set(tags):
        raise ValueError(f"catalogue: {where} lists {sorted(set(former) & set(tags))} as both tag and former tag")
    created = _datetime(entry.get("created"), where)

    parent_ref = entry.get("from")
    parent = None
    if parent_ref is not None:
        parent = built.get(parent_ref)
        if parent is None:
            raise ValueError(f"catalogue: {where} is built from {parent_ref}, which is not defined above it")
    history = list(parent.history) if parent else []
    for row in entry.get("history") or ():
        history.append(_history_row(row, created, layers, where))
    if not history:
        raise ValueError(f"catalogue: {where} has no history")

    userland = entry.get("userland", parent.userland if parent else None)
    if userland not in USERLANDS:
        raise ValueError(f"catalogue: {where} has userland {userland!r}, not one of {sorted(USERLANDS)}")
    os_name = entry.get("os", platform.get("os", "linux"))
    architecture = entry.get("architecture", platform.get("architecture", "amd64"))
    visibility = entry.get("visibility", "public")
    if visibility not in VISIBILITIES or (official and visibility != "public"):
        raise ValueError(f"catalogue: {where} has visibility {visibility!r}")
    return CatalogueImage(
        repository=repository,
        tags=tags,
        created=created,
        layers=tuple(row.layer for row in history if row.layer is not None),
        history=tuple(history),
        config=_config(entry.get("config") or {}, where),
        os=os_name,
        architecture=architecture,
        visibility=visibility,
        userland=userland,
        former_tags=former,
        parent=parent_ref,
        platforms=_platforms(entry.get("platforms"), f"{os_name}/{architecture}", where),
        index_digest=_digest(entry.get("index"), where),
        manifest_digest=_digest(entry.get("manifest"), where),
        image_id=_digest(entry.get("id"), where),
        source=str(entry.get("source") or ""),
        runs=_flag(entry.get("runs", True), where, "runs"),
    )


def _flag(value: Any, where: str, key: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"catalogue: {where} needs {key!r} true or false")
    return value


def _history_row(
    row: Any, created: datetime, layers: Mapping[str, CatalogueLayer], where: str
) -> CatalogueHistory:
    if not isinstance(row, Mapping) or ("layer" in row) == ("step" in row):
        raise ValueError(f"catalogue: {where} history row {row!r} needs exactly one of 'layer' or 'step'")
    when = _datetime(row["created"], where) if "created" in row else created
    if "step" in row:
        text = str(row["step"])
        return CatalogueHistory(created=when, created_by=text, comment=_comment(text))
    layer = layers.get(row["layer"])
    if layer is None:
        raise ValueError(f"catalogue: {where} history names undefined layer {row['layer']!r}")
    text = str(row.get("created_by", layer.created_by))
    return CatalogueHistory(created=when, created_by=text, layer=layer, comment=_comment(text))


def _comment(created_by: str) -> str:
    """BuildKit marks its rows; the legacy builder's ``/bin/sh -c #(nop)`` rows and imported rootfs have none."""
    instruction = created_by.split(" ", 1)[0]
    if created_by.endswith("# buildkit") or instruction in _DOCKERFILE_INSTRUCTIONS:
        return "buildkit.dockerfile.v0"
    return ""


_DOCKERFILE_INSTRUCTIONS = frozenset({
    "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "HEALTHCHECK", "LABEL", "ONBUILD", "SHELL",
    "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
})


def _config(raw: Mapping[str, Any], where: str) -> Mapping[str, Any]:
    unknown = set(raw) - set(CONFIG_DEFAULTS)
    if unknown:
        raise ValueError(f"catalogue: {where} config has unknown keys {sorted(unknown)}")
    config = dict(CONFIG_DEFAULTS)
    for key, value in raw.items():
        if key == "Labels":
            config[key] = MappingProxyType({str(k): str(v) for k, v in (value or {}).items()})
        elif key in ("Env", "ExposedPorts", "Volumes"):
            config[key] = tuple(str(item) for item in value or ())
        elif key in ("Cmd", "Entrypoint"):
            config[key] = None if value is None else tuple(str(item) for item in value)
        else:
            config[key] = value if value is None else str(value)
    for item in config["Env"]:
        if "=" not in item:
            raise ValueError(f"catalogue: {where} Env entry {item!r} is not NAME=value")
    return MappingProxyType(config)


def _check_former_tags(images: list[CatalogueImage]) -> None:
    seen: dict[str, CatalogueImage] = {}
    for image in images:
        for tag in image.former_tags:
            ref = f"{image.repository}:{tag}"
            if ref in seen:
                raise ValueError(f"catalogue: former tag {ref} is claimed by two images")
            seen[ref] = image


def _datetime(value: Any, where: str) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"catalogue: {where} has a malformed date {value!r}") from None
    if parsed.tzinfo is None:
        raise ValueError(f"catalogue: {where} date {value!r} needs a UTC offset")
    return parsed.astimezone(timezone.utc)


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"catalogue: as_of {value!r} is not a date") from None
