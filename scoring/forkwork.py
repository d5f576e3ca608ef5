"""Sharing a list of jobs between this process and forked helpers: both cores, little overhead.

The jobs' indices wait in a pipe; this process and each helper take the next index whenever
they are free (so a helper slowed by other programs simply takes fewer jobs). A forked helper
inherits everything this process has built (a parsed ledger, compiled templates) without any
copying, and sends back only its results, pickled once at its end. This process works on jobs
meanwhile and yields its results at once; only the helpers' share crosses a pipe. If a helper
fails in any way, its jobs are simply done here: results never depend on who did the work.
Without ``os.fork`` (Windows) everything runs here, in order.
"""
from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
_INDEX = 4  # bytes per job index in the pipe; a pipe read of 4 bytes is atomic
_MAX_JOBS = 16384  # indices must fit the pipe's buffer (64 KiB) before anyone reads


class IndexQueue:
    """Job indices in a pipe, made before forking: this process and its helpers each take the
    next one whenever they are free (:meth:`take`), until none is left."""

    def __init__(self) -> None:
        self.read_fd, self.write_fd = os.pipe()

    def put(self, count: int) -> None:
        """Queue the indices ``0 … count - 1`` and close the writing end (the queue is then
        complete: a reader finds it empty once they are taken)."""
        assert count <= _MAX_JOBS
        os.write(self.write_fd, b"".join(i.to_bytes(_INDEX, "little") for i in range(count)))
        self.close_writing()

    def close_writing(self) -> None:
        """Let go of the writing end (in a forked helper: so that an empty queue ends)."""
        if self.write_fd >= 0:
            os.close(self.write_fd)
            self.write_fd = -1

    def take(self) -> int | None:
        """The next index nobody has taken, or None (blocks until the queue is complete)."""
        if self.read_fd < 0:
            return None
        raw = os.read(self.read_fd, _INDEX)
        return int.from_bytes(raw, "little") if raw else None

    def close(self) -> None:
        self.close_writing()
        if self.read_fd >= 0:
            os.close(self.read_fd)
            self.read_fd = -1


def share_work(func: Callable[[T], R], jobs: Sequence[T],
               workers: int = 2) -> Iterator[tuple[int, R]]:
    """Yield ``(index, func(jobs[index]))`` for every job, in no particular order."""
    if workers < 2 or len(jobs) < 2 or len(jobs) > _MAX_JOBS or not hasattr(os, "fork"):
        for i, job in enumerate(jobs):
            yield i, func(job)
        return
    queue = IndexQueue()
    queue.put(len(jobs))
    helpers: list[tuple[int, int]] = []
    done: set[int] = set()
    try:
        for _ in range(workers - 1):
            out_r, out_w = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(out_r)
                _helper(func, jobs, queue, out_w)
            os.close(out_w)
            helpers.append((pid, out_r))
        while (index := queue.take()) is not None:
            done.add(index)
            yield index, func(jobs[index])
        while helpers:
            pid, out_r = helpers.pop()
            for i, result in _collect(pid, out_r):
                if i not in done:
                    done.add(i)
                    yield i, result
        for i, job in enumerate(jobs):  # whatever a failed helper had taken
            if i not in done:
                done.add(i)
                yield i, func(job)
    finally:
        queue.close()
        for pid, out_r in helpers:  # only when the caller stopped early: end the helpers
            os.close(out_r)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _helper(func: Callable[[T], R], jobs: Sequence[T], queue: IndexQueue, out_w: int) -> None:
    """In the forked helper: do jobs until none is left, send the results, exit."""
    code = 1
    try:
        results = []
        while (index := queue.take()) is not None:
            results.append((index, func(jobs[index])))
        payload = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(out_w, "wb") as fh:
            fh.write(payload)
        code = 0
    except BaseException:  # noqa: BLE001, S110 - the parent redoes the work; never unwind here
        pass
    finally:
        os._exit(code)


def _collect(pid: int, out_r: int) -> list[tuple[int, object]]:
    """A helper's results, or nothing when it failed (its jobs are then done here)."""
    with os.fdopen(out_r, "rb") as fh:
        payload = fh.read()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return []
    try:
        results = pickle.loads(payload)
    except Exception:  # noqa: BLE001
        return []
    return results if isinstance(results, list) else []
