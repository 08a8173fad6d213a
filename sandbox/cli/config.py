"""The client's config file, ``~/.docker/config.json``: where ``docker login`` keeps credentials.

Docker stores ``base64(user:password)`` under the registry's address (Docker Hub under its legacy index URL) with no
encryption unless a credential helper is configured, writes the file with tab indentation and no final newline, and
sends the matching entry with every push and pull.
"""

from __future__ import annotations

import base64
import json

#: Names under which Docker Hub answers; the client files Hub credentials under the legacy index URL.
HUB_ALIASES = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io", "https://index.docker.io/v1/",
                         "https://index.docker.io/v1", "index.docker.io/v1/"})
HUB_AUTH_KEY = "https://index.docker.io/v1/"
CONFIG_RELATIVE = ".docker/config.json"


def registry_key(address: str) -> str:
    """The config.json key for a registry address (Docker Hub keeps its legacy index URL)."""
    if address in HUB_ALIASES:
        return HUB_AUTH_KEY
    bare = address.removeprefix("https://").removeprefix("http://").rstrip("/")
    return HUB_AUTH_KEY if bare in HUB_ALIASES else bare


def config_path(home: str) -> str:
    """Where the config file lives for a home directory."""
    return f"{home}/{CONFIG_RELATIVE}"


def read_credentials(files: dict[str, bytes], home: str) -> dict[str, tuple[str, str]]:
    """server key -> (username, password), decoded from the config file's ``auth`` entries; unreadable ones skipped."""
    raw = files.get(config_path(home))
    if not raw:
        return {}
    try:
        auths = json.loads(raw).get("auths", {})
    except (ValueError, AttributeError):
        return {}
    found = {}
    for key, entry in auths.items():
        try:
            user, _, password = base64.b64decode(entry.get("auth", "")).decode().partition(":")
        except (ValueError, AttributeError, UnicodeDecodeError):
            continue
        found[key] = (user, password)
    return found


def write_credentials(files: dict[str, bytes], home: str, key: str, username: str | None,
                      password: str | None) -> None:
    """Store (or, with ``username`` None, remove) one entry, formatted as docker formats the file."""
    path = config_path(home)
    raw = files.get(path)
    try:
        config = json.loads(raw) if raw else {}
    except ValueError:
        config = {}
    if not isinstance(config, dict):
        config = {}
    auths = config.setdefault("auths", {})
    if username is None:
        auths.pop(key, None)
    else:
        auths[key] = {"auth": base64.b64encode(f"{username}:{password}".encode()).decode()}
    files[path] = json.dumps(config, indent="\t").encode()
