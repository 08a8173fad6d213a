"""Worker processes: which start method to use, how a worker notices that the run it serves was killed, and a
pool whose workers work under a time and a memory limit per item and are replaced when they overrun (grading a
class, checking a quiz's keys: one hostile item costs one limit, never the run)."""

from __future__ import annotations

import argparse
import multiprocessing
import multiprocessing.connection as mp_connection
from multiprocessing.reduction import ForkingPickler
import os
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

try:
    import resource
except ImportError:  # pragma: no cover - Windows: the time limit still holds
    resource = None  # type: ignore[assignment]


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


@dataclass(frozen=True)
class Limits:
    """What grading one submission may cost: wall-clock seconds, and memory (bytes of address space a worker may
    add to what it started with). A submission past either is recorded as not graded, and its worker replaced."""

    seconds: float = 30.0
    memory: int = 1 << 30
    #: what one item is, as the messages name it
    unit: str = "submission"

    def describe(self, which: str) -> str:
        """The limit in words, as the summary and the rejection row name it."""
        if which == "time":
            return f"the time limit of {self.seconds:g} s per {self.unit}"
        return f"the memory limit of {self.memory // (1 << 20)} MiB per {self.unit}"


def seconds_argument(text: str) -> float:
    """``--time-limit SECONDS`` as ``imageshare grade`` and ``quiz check`` read it: more than 0, at most a day
    (``nan``, ``inf`` and negative times are refused, not handed to the pool)."""
    try:
        n = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not 0 < n <= 86400:
        raise argparse.ArgumentTypeError(f"expected more than 0 and at most 86400 seconds, got {text}")
    return n


@dataclass(frozen=True)
class Overran:
    """An item whose work passed a limit (``time`` or ``memory``) or whose worker died (``died``)."""

    limit: str
    detail: str


def _address_space() -> int:
    """This process's address space now (bytes), so the limit is what grading adds, not what Python started with."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:  # pragma: no cover - no procfs: limit the whole process
        pass
    return 0


def _serve(conn, memory: int, parent: int, initializer: Callable | None, initargs: tuple) -> None:
    """A worker's life: set the memory limit, start, then answer ``(function, item)`` requests until told to stop.
    The main process measures time; a worker only says when it ran out of memory."""
    watch_parent(parent)
    if initializer is not None:
        initializer(*initargs)
    if resource is not None:
        limit = _address_space() + memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            break
        if request is None:
            break
        function, item = request
        try:
            answer: tuple = ("ok", function(item))
        except MemoryError:
            answer = ("memory", None)
        try:
            conn.send(answer)
        except MemoryError:
            conn.send(("memory", None))
    conn.close()


class _Slot:
    """One worker process and the items sent to it, oldest first: the first is the one it is working on (or has
    answered, the answer not yet read), the others wait in its pipe."""

    def __init__(self, pool: "BoundedPool") -> None:
        self.conn, child = pool.ctx.Pipe()
        self.process = pool.ctx.Process(target=_serve, daemon=True,
                                        args=(child, pool.limits.memory, os.getpid(), pool.initializer,
                                              pool.initargs))
        self.process.start()
        child.close()
        self.sent: deque[int] = deque()
        #: The size of each item sent, pickled.
        self.sizes: deque[int] = deque()
        #: When the first item sent passes its time limit.
        self.deadline = 0.0

    def answered(self) -> int:
        """Forget the first item sent (answered, or lost with the worker); returns its index."""
        self.sizes.popleft()
        return self.sent.popleft()

    def stop(self, *, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.process.kill()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class BoundedPool:
    """``jobs`` worker processes, each working on one item at a time under `Limits`; a worker that overruns its
    time is killed and replaced, and its item answered with `Overran`, so one hostile item costs the run one limit
    and the rest goes on. Results come back in the items' order.

    Each worker has up to ``DEPTH`` items sent to it, so it starts the next as soon as it has answered one instead of
    waiting for the main process to read the answer and send more (which it does between other work: recording a
    batch takes milliseconds). An item's time limit runs from when the worker could start it: when it was sent to an
    idle worker, or when the answer before it was read (a little later than the worker started it, never earlier).
    Items waiting behind one that overran go to the replacement worker."""

    #: Items sent to a worker at once.
    DEPTH = 4
    #: Bytes of items that may wait in a worker's pipe behind the one it works on. Well under the pipe's buffer, so
    #: sending one never blocks: a worker blocked sending a large answer while the main process is blocked sending it
    #: a large item would wait for each other forever (a re-graded submission carries its answers, up to 1 MiB).
    QUEUED_BYTES = 64 << 10

    def __init__(self, jobs: int, limits: Limits, initializer: Callable | None = None, initargs: tuple = ()) -> None:
        self.ctx, self.limits = context(), limits
        self.initializer, self.initargs = initializer, initargs
        self.slots = [_Slot(self) for _ in range(jobs)]

    def map(self, function: Callable, items: Iterable, *, ahead: int = 64) -> Iterator[tuple[Any, Any]]:
        """``(item, function(item))`` for each item, in order, the result an `Overran` for an item that passed a
        limit; items are taken lazily, and at most ``ahead`` results per worker wait for an earlier one."""
        results: dict[int, Any] = {}
        items_by_index: dict[int, Any] = {}
        again: deque[int] = deque()  # items sent to a worker that was replaced before it reached them
        source = enumerate(items)
        exhausted, next_out = False, 0
        while True:
            for n, slot in enumerate(self.slots):
                while len(slot.sent) < self.DEPTH:
                    if again:  # always sent first: the results waiting may be waiting for it
                        index = again.popleft()
                    elif exhausted or len(results) >= ahead * len(self.slots):
                        break
                    else:
                        taken = next(source, None)
                        if taken is None:
                            exhausted = True
                            break
                        index, items_by_index[taken[0]] = taken
                    request = ForkingPickler.dumps((function, items_by_index[index]))
                    if slot.sent and sum(slot.sizes) - slot.sizes[0] + len(request) > self.QUEUED_BYTES:
                        again.appendleft(index)  # too big to wait in the pipe: it goes to an idle worker
                        break
                    try:
                        slot.conn.send_bytes(request)
                    except OSError:  # the worker is gone: a death while working is read below, with its item
                        again.appendleft(index)
                        if not slot.sent:  # gone while idle (killed from outside): replace it now
                            self._replace(n, again, kill=True)
                        break
                    if not slot.sent:
                        slot.deadline = time.monotonic() + self.limits.seconds
                    slot.sent.append(index)
                    slot.sizes.append(len(request))
            busy = [slot for slot in self.slots if slot.sent]
            while next_out in results:
                yield items_by_index.pop(next_out), results.pop(next_out)
                next_out += 1
            if not busy:
                if exhausted and not again:
                    return
                continue
            timeout = max(0.0, min(slot.deadline for slot in busy) - time.monotonic())
            ready = set(mp_connection.wait([slot.conn for slot in busy], timeout=timeout))
            for n, slot in enumerate(self.slots):
                if not slot.sent:
                    continue
                if slot.conn in ready:
                    try:
                        status, value = slot.conn.recv()
                    except (EOFError, OSError):
                        slot.process.join(timeout=5)
                        code = slot.process.exitcode
                        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
                        results[slot.answered()] = Overran("died", f"the grading process died ({how})")
                        self._replace(n, again, kill=True)
                        continue
                    if status == "ok":
                        results[slot.answered()] = value
                        slot.deadline = time.monotonic() + self.limits.seconds
                    else:  # a worker that ran out of memory may hold a fragmented heap: start afresh
                        results[slot.answered()] = Overran("memory", self.limits.describe("memory"))
                        self._replace(n, again, kill=True)
                elif time.monotonic() >= slot.deadline:
                    results[slot.answered()] = Overran("time", self.limits.describe("time"))
                    self._replace(n, again, kill=True)

    def _replace(self, n: int, again: deque[int], *, kill: bool) -> None:
        """Replace worker ``n``; the items still waiting in its pipe go back to the front of ``again``."""
        again.extendleft(reversed(self.slots[n].sent))
        self.slots[n].stop(kill=kill)
        self.slots[n] = _Slot(self)

    def close(self) -> None:
        """Stop every worker (killing one still at work)."""
        for slot in self.slots:
            slot.stop(kill=bool(slot.sent))
        self.slots = []
