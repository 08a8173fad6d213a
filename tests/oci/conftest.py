"""Reference facts live in ``data/*.yaml``: a test that takes ``<stem>_case`` runs once per case of ``data/<stem>.yaml``
(underscores in the argument become dashes in the file name).

In the data, ``{x*N}`` inside a string stands for ``x`` repeated N times, so long names stay readable.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

DATA = Path(__file__).parent / "data"
_REPEAT = re.compile(r"\{([^{}*]+)\*(\d+)\}")


def expand(value: Any) -> Any:
    """``value`` with every ``{x*N}`` in its strings written out."""
    if isinstance(value, str):
        return _REPEAT.sub(lambda m: m[1] * int(m[2]), value)
    if isinstance(value, dict):
        return {key: expand(item) for key, item in value.items()}
    if isinstance(value, list):
        return [expand(item) for item in value]
    return value


def _case_id(case: dict[str, Any]) -> str:
    # Named by its unexpanded input, or by its first two fields when it has none.
    if "input" in case:
        return str(case["input"]) or "<empty>"
    return " ~ ".join(str(value) for value in list(case.values())[:2])


def load_cases(stem: str) -> list[Any]:
    """The cases of ``data/<stem>.yaml``, expanded, as pytest parameters named for what they show."""
    cases = yaml.safe_load((DATA / f"{stem}.yaml").read_text(encoding="utf-8"))
    return [pytest.param(expand(case), id=_case_id(case)) for case in cases]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    for argument in metafunc.fixturenames:
        if argument.endswith("_case"):
            metafunc.parametrize(argument, load_cases(argument.removesuffix("_case").replace("_", "-")))
