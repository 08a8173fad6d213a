"""Hypothesis profiles for the whole suite: ``dev`` (the default: quick, random) and ``ci`` (derandomized, so a CI
run is reproducible, with the fuzzers' fixed large budget). ``CI=true`` selects ``ci`` unless ``HYPOTHESIS_PROFILE``
names a profile itself."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci", deadline=None, derandomize=True, print_blob=True, suppress_health_check=[HealthCheck.too_slow]
)
if os.environ.get("CI", "").lower() == "true":
    os.environ.setdefault("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
