"""Quiz files that load but would mislead a class, checked as an instructor checks them: ``imageshare quiz check FILE``
points at the field at fault, by line and path, as load errors do.

The corpus is ``data/flawed/``; each file's first line is ``# expect: CODE: LINE: field 'PATH': MESSAGE``. Exit code 1
is a problem (every correct learner would score 0: a forbidden solution); 0 with a warning is a likely mistake that may
be meant (a host named once, most often a typo that silently makes a new, empty host).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sandbox.quiz.cli import main_check

FLAWED = sorted((Path(__file__).parent / "data" / "flawed").glob("*.yaml"))


@pytest.mark.parametrize("path", FLAWED, ids=[p.stem for p in FLAWED])
def test_check_points_at_the_field_at_fault(path: Path) -> None:
    code, _, expect = path.read_text().split("\n", 1)[0].removeprefix("# expect: ").partition(": ")
    out, err = io.StringIO(), io.StringIO()
    assert main_check([str(path)], stdout=out, stderr=err) == int(code)
    prefix = "warning: " if code == "0" else ""
    assert f"       {prefix}{path}:{expect}\n" in out.getvalue()
    assert "Traceback" not in out.getvalue() + err.getvalue()
