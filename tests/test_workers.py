"""Worker processes: fork on Linux, and a worker whose main process is gone exits instead of waiting forever."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from sandbox.workers import context, watch_parent


def test_linux_workers_are_forked() -> None:
    assert context().get_start_method() == ("fork" if sys.platform.startswith("linux") else "spawn")


def _wait_forever(parent: int) -> None:
    watch_parent(parent)
    time.sleep(60)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks a watcher")
def test_a_worker_leaves_when_the_process_it_serves_is_gone() -> None:
    served = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.3)"])
    worker = context().Process(target=_wait_forever, args=(served.pid,))
    worker.start()
    served.wait(timeout=10)
    worker.join(timeout=10)
    assert worker.exitcode == 0, "still waiting for work from a process that is gone"
