"""The public registries of the real internet that a world does not model.

A world has Docker Hub and the ``registry`` containers its learners start. A learner following a tutorial also meets
GitHub's, Quay's, Google's, GitLab's, Microsoft's and Amazon's registries; real Docker would reach them, so the
sandbox answers them with its one plain not-available line rather than the ``no such host`` a made-up name gets.
"""

from __future__ import annotations

#: Registries known by their exact host name.
PUBLIC_REGISTRY_HOSTS = frozenset({
    "ghcr.io", "docker.pkg.github.com", "quay.io", "gcr.io", "k8s.gcr.io", "registry.k8s.io", "mirror.gcr.io",
    "registry.gitlab.com", "mcr.microsoft.com", "public.ecr.aws", "nvcr.io", "docker.elastic.co", "lscr.io",
    "registry.access.redhat.com", "registry.redhat.io", "cgr.dev", "container-registry.oracle.com",
    "registry.suse.com", "registry.opensuse.org", "codeberg.org", "registry.hub.docker.com",
})
#: Registries known by the end of their host name (regional or per-account hosts).
PUBLIC_REGISTRY_SUFFIXES = (".gcr.io", "-docker.pkg.dev", ".azurecr.io", ".amazonaws.com", ".ocir.io", ".quay.io")


def is_public_registry(address: str) -> bool:
    """True when ``address`` (``host`` or ``host:port``) is a public registry of the real internet."""
    hostname = address.partition(":")[0].lower()
    return hostname in PUBLIC_REGISTRY_HOSTS or hostname.endswith(PUBLIC_REGISTRY_SUFFIXES)
