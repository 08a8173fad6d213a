"""Grading on submit, off the service's event loop: each submission goes to a worker process of its own slot, under
the grader's `Limits` (wall clock, memory), so a hostile answer costs one limit and its worker, never the service.

The slots are `BoundedPool`s of one worker each, driven from a thread per slot; the event loop awaits them. Each
worker holds the course's quizzes loaded and a `Worker` (the batch grader's: one ``Grader`` and its replay caches);
after a quiz edit, `GradingPool.reload` starts a new generation and each worker reloads the quizzes on its next item,
so no process is forked while the service runs threads.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Sequence

from sandbox.gradebook.runner import Graded, Regraded, Rejection, Worker
from sandbox.quiz import Quiz, load_file
from sandbox.workers import BoundedPool, Limits, Overran


class Busy(Exception):
    """More submissions are waiting for a grader than the service queues; the client should retry shortly."""


@dataclass(frozen=True)
class _Generation:
    """The quizzes a worker grades against: ``number`` goes up at each reload, ``paths`` are the quiz files."""

    number: int
    paths: tuple[str, ...]


_current: tuple[int, Worker] | None = None


def _worker(generation: _Generation, quizzes: Sequence[Quiz] | None = None) -> Worker:
    """This process's `Worker` for ``generation``: the one it has, or a new one of the quizzes (loaded from their
    files when not handed over)."""
    global _current
    if _current is None or _current[0] != generation.number:
        loaded = list(quizzes) if quizzes is not None else [load_file(p) for p in generation.paths]
        _current = (generation.number, Worker(loaded))
    return _current[1]


def _grade(item: tuple[_Generation, tuple[str, bytes, str], bool]) -> tuple[Graded, dict[str, str]] | Rejection:
    """The submission graded, and when ``guard`` (the third of ``item``), each question's feedback as a learner with
    the key still held back reads it."""
    generation, submission, guard = item
    worker = _worker(generation)
    result = worker.grade_bytes(*submission)
    if not isinstance(result, Graded) or not guard:
        return result if not isinstance(result, Graded) else (result, {})
    quiz, answers, learner = worker.quizzes[result.submission.quiz_id], result.submission.answer_map(), \
        result.submission.learner
    guarded = {q.id: worker.grader.grade(q, answers.get(q.id), quiz_id=quiz.id, learner=learner, reveal=False).feedback
               for q in quiz.questions}
    return result, guarded


def _regrade(item: tuple[_Generation, tuple[int, str, str, dict[str, Any]]]) -> Regraded:
    generation, stored = item
    return _worker(generation).regrade(stored)


class GradingPool:
    """``jobs`` grading slots for the course's ``quizzes``; `grade` and `regrade` are awaited from the event loop.

    At most ``waiting`` submissions queue for a slot; past that `grade` raises `Busy` at once.
    """

    def __init__(self, quizzes: Sequence[Quiz], *, jobs: int, limits: Limits = Limits(seconds=10.0),
                 waiting: int = 2000) -> None:
        self.limits, self.waiting = limits, waiting
        self._generation = _Generation(0, tuple(str(q.path) for q in quizzes))
        warm = _worker(self._generation, quizzes)
        for quiz in quizzes:  # every key replayed once here: the forked workers inherit the replays
            warm.grader.check(quiz)
        self._slots: queue.SimpleQueue[BoundedPool] = queue.SimpleQueue()
        self._pools = [BoundedPool(1, limits) for _ in range(jobs)]
        for pool in self._pools:
            self._slots.put(pool)
        self._threads = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="grading")
        self._queued = 0
        self._lock = threading.Lock()

    def reload(self, quizzes: Sequence[Quiz]) -> None:
        """Grade against ``quizzes`` from now on (each worker loads them from their files on its next item)."""
        self._generation = _Generation(self._generation.number + 1, tuple(str(q.path) for q in quizzes))
        _worker(self._generation, quizzes)

    async def grade(self, path: str, data: bytes, digest: str, *,
                    guard: bool = True) -> tuple[Graded, dict[str, str]] | Rejection:
        """The submission in ``data`` graded (with ``guard``, also each question's feedback keeping the key back, by
        question id) or not (``Rejection``, with why: a rule of the format, or a limit it passed). Raises `Busy` when
        too many submissions wait already."""
        with self._lock:
            if self._queued >= self.waiting:
                raise Busy(f"{self._queued} submissions are waiting to be graded")
            self._queued += 1
        try:
            result = await self._run(_grade, (self._generation, (path, data, digest), guard))
        finally:
            with self._lock:
                self._queued -= 1
        if isinstance(result, Overran):
            return Rejection(path, f"not graded: {result.detail}", digest)
        return result

    async def regrade(self, stored: tuple[int, str, str, dict[str, Any]]) -> Regraded | Overran:
        """New grades for a stored submission (id, learner, quiz id, answers) against the quizzes as loaded now."""
        return await self._run(_regrade, (self._generation, stored))

    async def _run(self, function, item):
        return await asyncio.get_running_loop().run_in_executor(self._threads, self._one, function, item)

    def _one(self, function, item):
        pool = self._slots.get()
        try:
            return next(pool.map(function, [item]))[1]
        finally:
            self._slots.put(pool)

    def close(self) -> None:
        """Stop the threads, then every worker (killing one still at work)."""
        self._threads.shutdown(wait=False, cancel_futures=True)
        for pool in self._pools:
            pool.close()
