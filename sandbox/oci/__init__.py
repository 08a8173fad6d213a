"""The pure specs every part of Docker shares: image references, their normalization, content digests."""

from sandbox.oci.digest import Digest, canonical_json, digest_of_bytes, digest_of_json
from sandbox.oci.normalize import (
    DEFAULT_DOMAIN,
    DEFAULT_TAG,
    familiar,
    familiar_match,
    familiar_name,
    familiar_string,
    parse_any,
    parse_docker_ref,
    parse_normalized_named,
    path_match,
    split_docker_domain,
    with_default_tag,
)
from sandbox.oci.reference import Reference, parse, parse_name

__all__ = [
    "DEFAULT_DOMAIN",
    "DEFAULT_TAG",
    "Digest",
    "Reference",
    "canonical_json",
    "digest_of_bytes",
    "digest_of_json",
    "familiar",
    "familiar_match",
    "familiar_name",
    "familiar_string",
    "parse",
    "parse_any",
    "parse_docker_ref",
    "parse_name",
    "parse_normalized_named",
    "path_match",
    "split_docker_domain",
    "with_default_tag",
]
