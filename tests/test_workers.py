"""Worker processes: fork on Linux, and a worker whose main process is gone exits instead of waiting forever."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from sandbox.workers import BoundedPool, Limits, Overran, context, watch_parent


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


def _work(item):
    """What the pool tests run: a number comes back squared; 'loop' never ends, 'die' kills its worker, 'memory'
    asks for more than the limit."""
    if item == "loop":
        while True:
            time.sleep(0.01)
    if item == "die":
        os._exit(3)
    if item == "memory":
        return "x" * (1 << 30)
    return item * item


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers, a memory limit by setrlimit")
@pytest.mark.parametrize("jobs", [1, 2])
def test_an_item_past_a_limit_costs_itself_and_the_items_queued_behind_it_are_done(jobs: int) -> None:
    # each worker has several items sent to it at once: those behind the one that overran go to its replacement
    items = [1, 2, "loop", 3, 4, "die", 5, 6, "memory", 7, 8, 9, 10]
    pool = BoundedPool(jobs, Limits(seconds=1.0, memory=256 << 20))
    try:
        results = list(pool.map(_work, items))
    finally:
        pool.close()
    assert [item for item, _ in results] == items, "in the items' order"
    assert [value for item, value in results if not isinstance(value, Overran)] == \
        [i * i for i in items if isinstance(i, int)]
    assert [(item, value.limit) for item, value in results if isinstance(value, Overran)] == \
        [("loop", "time"), ("die", "died"), ("memory", "memory")]
    assert pool.slots == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers")
def test_items_are_taken_lazily_and_results_wait_for_an_earlier_one_within_a_bound() -> None:
    taken = []

    def items():
        for i in range(1000):
            taken.append(i)
            yield i

    pool = BoundedPool(1, Limits())
    try:
        results = pool.map(_work, items(), ahead=2)
        assert next(results) == (0, 0)
        assert len(taken) <= 2 + BoundedPool.DEPTH + 1, "not the whole source at once"
        assert [value for _, value in results] == [i * i for i in range(1, 1000)]
    finally:
        pool.close()


def _echo(item):
    return item


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers")
def test_large_items_and_large_answers_never_wait_for_each_other() -> None:
    # A worker blocked sending a large answer while the main process is blocked sending it a large item would
    # wait forever: a large item waits for an idle worker instead of queueing in its pipe.
    items = [("x" * (1 << 20)) + str(i) for i in range(6)]
    pool = BoundedPool(1, Limits(seconds=20))
    answers = []
    mapping = threading.Thread(target=lambda: answers.extend(value for _, value in pool.map(_echo, items)),
                               daemon=True)
    mapping.start()
    mapping.join(timeout=60)
    deadlocked = mapping.is_alive()
    pool.close()  # kills a worker still at work, which ends a blocked send
    assert not deadlocked and answers == items
