"""Print what the catalogue takes from docker-library/official-images at the pinned commit, as YAML to paste into
``sandbox/registry/catalogue.yaml``: the names of every official image Docker Hub has at that date (the ones the
catalogue does not model answer the plain not-available line), and, for each image named on the command line, the
tags and platforms of its ``latest`` entry (bashbrew architectures written as OCI platforms).

    git clone https://github.com/docker-library/official-images
    python tools/catalogue_sources.py official-images 30e897d0266c0b824dd0e18df51fd29611254b87 postgres mysql ...

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


def main(gitdir: str, commit: str, *names: str) -> None:
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
