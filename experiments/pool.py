"""Warm worker processes for interactive use: a comparison starts at once and can be stopped.

``adoptsim compare`` starts a process pool per command; a server (the dashboard) keeps one
:class:`WarmPool` for its lifetime instead. Its processes are started when the pool is made,
each loads numba's compiled kernels by running a tiny model, and then waits, so a comparison
pays neither the start-up nor the compilation. Runs go through the same :func:`run_one` as the
command line, with the same seeds, so the numbers are the same.

Every :meth:`WarmPool.run` is a job that can be stopped (``stop`` event): runs not yet started
are cancelled, and runs in progress stop at their next week (each worker checks a flag in shared
memory after every simulated week), so a stopped job frees the workers within one week of
simulation. Several jobs (browser sessions) share the pool; stopping one leaves the others
running.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from simulation import RunResult

from .runner import RunSpec, _default_workers, _one_thread, run_one

__all__ = ["Cancelled", "WarmPool"]

#: jobs that can run at once (a slot of shared memory each)
_SLOTS = 64
_flags = None  # in a worker: the shared array of cancelled job ids, one per slot


class Cancelled(Exception):
    """A job was stopped before it finished."""


class _RunStopped(Exception):
    """Raised inside a worker to abandon a run of a stopped job."""


def _init_worker(flags, warm: bool) -> None:
    global _flags
    _flags = flags
    _one_thread()
    if warm:
        _warm_up()


def _warm_up() -> None:
    """Load the numba kernels (from numba's cache, or compile them) with a tiny model."""
    from scenarios import load_scenario

    tiny = load_scenario("bootstrap", ["organization.employees=60", "weeks=4"])
    run_one(RunSpec(tiny, 1, "numba"))


def _ping() -> int:
    return os.getpid()


def _guarded(fn: Callable[..., Any], spec: RunSpec, slot: int, job: int) -> Any:
    """``fn(spec, progress)`` in a worker, abandoned at the next week once the job stops."""

    def check(_week: int) -> None:
        if _flags is not None and _flags[slot] == job:
            raise _RunStopped

    return fn(spec, check)


def _run(spec: RunSpec, progress: Callable[[int], None]) -> RunResult:
    return run_one(spec, progress=progress)


class WarmPool:
    """Local worker processes kept warm for many jobs (thread-safe).

    Parameters
    ----------
    workers : processes (default: CPUs, at most 8)
    warm : load numba's kernels in every process when it starts
    """

    def __init__(self, workers: int | None = None, *, warm: bool = True):
        self.workers = _default_workers() if workers is None else max(1, int(workers))
        self._warm = warm
        ctx = multiprocessing.get_context("spawn")  # a server has threads: never fork it
        self._ctx = ctx
        self._flags = ctx.Array("q", _SLOTS, lock=False)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=self._ctx,
            initializer=_init_worker,
            initargs=(self._flags, self._warm),
        )
        for _ in range(self.workers):  # start every process now, not at the first job
            pool.submit(_ping)
        return pool

    def ready(self, timeout: float | None = None) -> bool:
        """Wait until every process has started and warmed up."""
        with self._lock:
            pool = self._pool
        futures = [pool.submit(_ping) for _ in range(self.workers)]
        done, _ = wait(futures, timeout=timeout)
        return len(done) == len(futures)

    def run(
        self,
        specs: Sequence[RunSpec],
        *,
        progress: Callable[[int, int], None] | None = None,
        stop: threading.Event | None = None,
        fn: Callable[[RunSpec, Callable[[int], None]], Any] = _run,
    ) -> list[Any]:
        """``fn(spec, progress)`` for every spec (default: :func:`run_one`), results in spec
        order. ``progress(done, total)`` after each run; raises :class:`Cancelled` when
        ``stop`` is set (runs in progress stop at their next week). ``fn`` must be a
        module-level function (it is sent to the workers)."""
        job = next(self._ids)
        slot = job % _SLOTS
        with self._lock:
            pool = self._pool
        futures: dict[Future, int] = {
            pool.submit(_guarded, fn, spec, slot, job): i for i, spec in enumerate(specs)
        }
        results: list[Any] = [None] * len(specs)
        try:
            self._collect(futures, results, progress, stop)
        except BrokenProcessPool:
            self._replace(pool)
            raise RuntimeError(
                "a worker process died (out of memory?); the workers were restarted: try again"
            ) from None
        except BaseException:
            self._flags[slot] = job  # runs in progress stop at their next week
            for fut in futures:
                fut.cancel()
            raise
        return results

    def _collect(self, futures, results, progress, stop) -> None:
        pending = set(futures)
        total = len(futures)
        while pending:
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            for fut in done:
                results[futures[fut]] = fut.result()
            if done and progress is not None:
                progress(total - len(pending), total)
            if stop is not None and stop.is_set() and pending:
                raise Cancelled

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is broken:
                self._pool = self._new_pool()
        broken.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        """Stop the processes (runs in progress are abandoned)."""
        with self._lock:
            pool = self._pool
        procs = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for p in procs:
            p.terminate()
        for p in procs:
            p.join(5)

    def __enter__(self) -> WarmPool:
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
