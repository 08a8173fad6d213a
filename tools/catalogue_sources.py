"""What the catalogue takes from docker-library/official-images at the pinned commit.

    git clone https://github.com/docker-library/official-images
    python tools/catalogue_sources.py official-images 30e897d0266c0b824dd0e18df51fd29611254b87 [NAME...]

prints the names of every official image Docker Hub has at that date (the ones the catalogue does not model answer
the plain not-available line) and, for each NAME, the tags and platforms of its ``latest`` entry; with
``--write-platforms`` it sets the ``platforms:`` line of every official image of ``sandbox/registry/catalogue.yaml``
to the platforms of the library entry that lists its first tag (bashbrew architectures as OCI platforms, in the
order Docker Hub's indexes list them: sorted by bashbrew name, as docker-library's builds push them).

Digests and layer sizes come from docker-library/repo-info's ``repos/NAME/remote/TAG.md`` records; the catalogue
names the record (path and commit) beside each image it copies them from.
"""

from __future__ import annotations

import subprocess
import sys

#: bashbrew's architecture names as the OCI platforms Docker Hub's indexes list.
PLATFORMS = {
    "amd64": "linux/amd64", "arm32v5": "linux/arm/v5", "arm32v6": "linux/arm/v6", "arm32v7": "linux/arm/v7",
    "arm64v8": "linux/arm64/v8", "i386": "linux/386", "mips64le": "linux/mips64le", "ppc64le": "linux/ppc64le",
    "riscv64": "linux/riscv64", "s390x": "linux/s390x", "windows-amd64": "windows/amd64",
}


def git(gitdir: str, *args: str) -> str:
    return subprocess.run(["git", "-C", gitdir, *args], check=True, capture_output=True, text=True).stdout


def entries(text: str) -> list[dict[str, str]]:
    """The RFC 2822-style paragraphs of a library file, each a dict of its fields."""
    found = []
    for paragraph in text.split("\n\n"):
        fields: dict[str, str] = {}
        key = None
        for line in paragraph.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            if line[0].isspace() and key:
                fields[key] += " " + line.strip()
            else:
                key, _, value = line.partition(":")
                fields[key.strip()] = value.strip()
        if "Tags" in fields or "SharedTags" in fields:
            found.append(fields)
    return found


def split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def platforms_by_tag(gitdir: str, commit: str, name: str) -> dict[str, list[str]]:
    """``tag -> platforms`` of one official image at ``commit``."""
    found: dict[str, list[str]] = {}
    for entry in entries(git(gitdir, "show", f"{commit}:library/{name}")):
        arches = sorted(split(entry.get("Architectures", "amd64")))
        for tag in split(entry.get("Tags", "")) + split(entry.get("SharedTags", "")):
            found.setdefault(tag, [PLATFORMS.get(arch, arch) for arch in arches])
    return found


def write_platforms(gitdir: str, commit: str, path: str) -> None:
    """Set ``platforms:`` after the ``tags:`` line of every official image entry of the catalogue YAML."""
    lines = open(path, encoding="utf-8").read().split("\n")
    out: list[str] = []
    repository = None
    cache: dict[str, dict[str, list[str]]] = {}
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("platforms:") and repository:
            continue
        out.append(line)
        if stripped.startswith("- repository: "):
            repository = stripped.removeprefix("- repository: ")
            repository = repository[len("library/"):] if repository.startswith("library/") else None
        elif stripped.startswith("tags: [") and repository:
            first = stripped.removeprefix("tags: [").split(",")[0].strip(" ]\"'")
            known = cache.setdefault(repository, platforms_by_tag(gitdir, commit, repository))
            if first in known:
                indent = line[: len(line) - len(line.lstrip())]
                out.append(f"{indent}platforms: [{', '.join(known[first])}]")
    open(path, "w", encoding="utf-8").write("\n".join(out))


def main(gitdir: str, commit: str, *names: str) -> None:
    if names[:1] == ("--write-platforms",):
        write_platforms(gitdir, commit, names[1] if len(names) > 1 else "sandbox/registry/catalogue.yaml")
        return
    date = git(gitdir, "show", "-s", "--format=%cI", commit).strip()
    library = sorted(line.removeprefix("library/") for line in git(gitdir, "ls-tree", "--name-only", commit,
                                                                     "library/").split())
    print(f"hub_official:\n  source: docker-library/official-images@{commit} ({date})")
    print("  names: [" + ", ".join(library) + "]")
    for name in names:
        for entry in entries(git(gitdir, "show", f"{commit}:library/{name}")):
            tags = split(entry.get("Tags", "")) + split(entry.get("SharedTags", ""))
            if "latest" in tags:
                platforms = [PLATFORMS.get(arch, arch) for arch in split(entry.get("Architectures", "amd64"))]
                print(f"# {name}: tags: [{', '.join(tags)}]\n#   platforms: [{', '.join(platforms)}]")
                break


if __name__ == "__main__":
    main(*sys.argv[1:])
