"""Print how many command lines the fuzzers ran (and how many hit a known bug) at the end of the session; with
``FUZZ_REPORT=path`` also write the figures there as JSON, for ``docs/reliability.md``."""

from __future__ import annotations

import json
import os

from . import tally
from .budget import profile


def pytest_runtest_logreport(report) -> None:
    if report.when == "call" and "/test_fuzz_" in report.nodeid.replace("\\", "/"):
        tally.SECONDS[report.nodeid] += report.duration


def pytest_terminal_summary(terminalreporter) -> None:
    if not tally.LINES:
        return
    total, seconds = sum(tally.LINES.values()), sum(tally.SECONDS.values())
    parts = ", ".join(f"{name}: {tally.LINES[name]}" for name in sorted(tally.LINES))
    known = sum(tally.KNOWN.values())
    terminalreporter.write_line(
        f"fuzz ({profile()} profile): {total} command lines in {seconds:.1f} s ({parts}); "
        f"{known} hit a known bug" + (f" ({dict(tally.KNOWN)})" if known else "")
    )
    path = os.environ.get("FUZZ_REPORT")
    if path:
        with open(path, "w", encoding="utf-8") as report:
            json.dump({"profile": profile(), "lines": dict(tally.LINES), "seconds": dict(tally.SECONDS),
                       "known_bugs": dict(tally.KNOWN), "total_lines": total, "total_seconds": seconds}, report,
                      indent=2)
