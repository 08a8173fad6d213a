"""How much each fuzzer runs under the active Hypothesis profile (``tests/conftest.py`` selects it)."""

from __future__ import annotations

import os

#: Per profile: Hypothesis examples (each 1-8 lines) and the seeded mutation loop's line count.
BUDGETS = {
    "dev": {"hypothesis_examples": 200, "mutation_lines": 6_000},
    "ci": {"hypothesis_examples": 2_500, "mutation_lines": 40_000},
}


def profile() -> str:
    """The active profile's name; an unknown one runs the ``dev`` budget."""
    name = os.environ.get("HYPOTHESIS_PROFILE", "dev")
    return name if name in BUDGETS else "dev"


def budget(name: str) -> int:
    """One figure of the active profile's budget."""
    return BUDGETS[profile()][name]
