"""Worker processes: which start method to use, and how a worker notices that the run it serves was killed."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time


def context() -> multiprocessing.context.BaseContext:
    """fork on Linux: workers start at once with the quizzes loaded and every key replayed. (They inherit the open
    gradebook connection too, but never touch it, and leave with ``os._exit``, which closes nothing SQLite owns.)
    spawn elsewhere (macOS system libraries are not fork-safe; Windows has no fork)."""
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def watch_parent(parent: int) -> None:
    """Run in each worker: leave Ctrl-C to the main process, and exit when the main process is gone (a worker
    whose run was killed, even with kill -9, would otherwise wait for work forever)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent, os.getppid()), daemon=True).start()


def _exit_with_parent(parent: int, ppid: int) -> None:
    while True:
        time.sleep(0.2)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:  # pragma: no cover - a recycled pid of another user: the parent is gone
            os._exit(0)
        if os.getppid() != ppid:
            os._exit(0)
