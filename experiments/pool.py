"""Warm worker processes for interactive use: a comparison starts at once and can be stopped.

``adoptsim compare`` starts a process pool per command; a server (the dashboard) keeps one
:class:`WarmPool` for its lifetime instead. Its processes are the execution layer's own local
workers (:func:`experiments.executors.local_pool`: they exit with their parent, one numba
thread each), started when the pool is made; each then loads numba's compiled kernels by
running a tiny model and waits, so a comparison pays neither the start-up nor the compilation.

Work goes through the one evaluator: :meth:`WarmPool.job` gives a ``concurrent.futures``
executor that :func:`experiments.compare` (or :func:`experiments.run_all`) takes as its
``executor``, so the runs, seeds and numbers are those of ``adoptsim compare``;
:meth:`WarmPool.run` runs such work on a job while polling a stop check and reporting progress
from the caller's thread. A job can be stopped (the ``stop`` check of :meth:`WarmPool.run`, or
:meth:`Job.cancel`): runs not yet started are cancelled, and
runs in progress stop at their next week (each worker watches a flag in shared memory and
interrupts its run between two weeks), so a stopped job frees the workers within one week of
simulation. Several jobs (browser sessions) share the pool; stopping one leaves the others
running.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Executor, Future, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol, TypeVar

from .executors import default_workers, local_pool, stop_pool
from .runner import RunSpec, run_one

__all__ = ["Cancelled", "Job", "WarmPool"]

T = TypeVar("T")

#: jobs that can run at once (a slot of shared memory each)
_SLOTS = 64
#: how often a worker looks at its job's flag, and the job at its stop check (seconds)
_POLL = 0.05

# in a worker: the shared array of stopped job ids (one per slot), and the task's (slot, job)
_flags = None
_current: tuple[int, int] | None = None


class Cancelled(Exception):
    """A job was stopped before it finished."""


class _RunStopped(Exception):
    """Raised inside a worker to abandon a run of a stopped job."""


class StopCheck(Protocol):
    def is_set(self) -> bool: ...


def _stopped() -> bool:
    cur = _current
    return cur is not None and _flags is not None and _flags[cur[0]] == cur[1]


def _on_stop_signal(_signum, _frame) -> None:
    if _stopped():  # the run the signal was meant for, not one that started since
        raise _RunStopped


def _init_worker(flags, warm: bool) -> None:
    """In each worker: watch the flag of the job whose run is in progress; when it is set,
    interrupt the run. The interruption is a signal to this process's main thread: Python
    handles it between two steps of the model (numba's weekly kernels are not interrupted)."""
    global _flags
    _flags = flags
    signal.signal(signal.SIGUSR1, _on_stop_signal)
    main = threading.main_thread().ident

    def watch() -> None:
        while True:
            threading.Event().wait(_POLL)
            if _stopped():
                signal.pthread_kill(main, signal.SIGUSR1)
                threading.Event().wait(10 * _POLL)  # the run needs a moment to unwind

    threading.Thread(target=watch, name="adoptsim-job-watch", daemon=True).start()
    if warm:
        # only a head start: a worker that cannot warm up still serves
        with contextlib.suppress(Exception):
            _warm_up()


def _warm_up() -> None:
    """Load the numba kernels (from numba's cache, or compile them) with a tiny model."""
    from scenarios import load_scenario

    tiny = load_scenario("bootstrap", ["organization.employees=60", "weeks=4"], allow_late=True)
    run_one(RunSpec(tiny, 1, "numba"))


def _ping() -> int:
    return os.getpid()


def _guarded(slot: int, job: int, fn: Callable, args: tuple, kwargs: dict) -> Any:
    """``fn(*args, **kwargs)`` in a worker, abandoned at the next week once the job stops."""
    global _current
    if _flags is not None and _flags[slot] == job:
        raise _RunStopped  # stopped before this task started
    _current = (slot, job)
    try:
        return fn(*args, **kwargs)
    finally:
        _current = None


_STOPPED = (_RunStopped, CancelledError, Cancelled)


class Job(Executor):
    """One job's view of the pool: a ``concurrent.futures.Executor`` whose tasks stop together
    (:meth:`cancel`). As a context manager, leaving it with an error stops what is left, and
    the error of a task that was stopped is raised as :class:`Cancelled`."""

    def __init__(self, pool: WarmPool) -> None:
        self._pool = pool
        self.id = next(pool._ids)
        self.slot = self.id % _SLOTS
        self._futures: list[Future] = []
        self._lock = threading.Lock()
        self.cancelled = False
        self.finished = 0  # tasks done (for progress)

    def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> Future:
        if self.cancelled:
            raise Cancelled
        future = self._pool._submit(_guarded, self.slot, self.id, fn, args, kwargs)
        future.add_done_callback(self._count)
        with self._lock:
            self._futures.append(future)
        return future

    def _count(self, _future: Future) -> None:
        with self._lock:
            self.finished += 1

    def cancel(self) -> None:
        """Stop the job: queued tasks are cancelled, runs in progress stop at their next week."""
        self.cancelled = True
        self._pool._flags[self.slot] = self.id
        with self._lock:
            futures = list(self._futures)
        for f in futures:
            f.cancel()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if cancel_futures:
            self.cancel()

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc is None:
            return False
        self.cancel()
        error = self._error(exc)
        if error is exc:
            return False  # raised as it is
        raise error from None

    def _error(self, exc: BaseException) -> BaseException:
        """What the caller sees of a task's error: :class:`Cancelled` for a stopped job."""
        if self.cancelled and isinstance(exc, _STOPPED):
            return Cancelled()
        if isinstance(exc, BrokenProcessPool):
            return RuntimeError(
                "a worker process died (out of memory?); the workers were restarted: try again"
            )
        return exc


class WarmPool:
    """Local worker processes kept warm for many jobs (thread-safe).

    Parameters
    ----------
    workers : processes (default: CPUs, at most 8)
    warm : load numba's kernels in every process when it starts
    """

    def __init__(self, workers: int | None = None, *, warm: bool = True):
        self.workers = default_workers() if workers is None else max(1, int(workers))
        self._warm = warm
        self._flags = multiprocessing.get_context("spawn").Array("q", _SLOTS, lock=False)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._pool = self._new_pool()

    def _new_pool(self):
        pool = local_pool(self.workers, _init_worker, (self._flags, self._warm))
        for _ in range(self.workers):  # start every process now, not at the first job
            pool.submit(_ping)
        return pool

    def _submit(self, fn: Callable, *args: Any) -> Future:
        """Submit to the processes; a pool broken by a dead worker is replaced first."""
        with self._lock:
            try:
                return self._pool.submit(fn, *args)
            except BrokenProcessPool:
                broken, self._pool = self._pool, self._new_pool()
                stop_pool(broken, finished=False)
                return self._pool.submit(fn, *args)

    def job(self) -> Job:
        """An executor for one job's tasks (to give :func:`experiments.compare` and the
        like); :meth:`Job.cancel` stops them."""
        return Job(self)

    def run(
        self,
        work: Callable[[Job], T],
        *,
        stop: StopCheck | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> T:
        """``work(job)`` on a new job, in a helper thread, while this thread polls
        ``stop.is_set()`` (a check that must be made from the caller's thread, such as a
        Solara task's) and reports the job's finished tasks to ``progress(done)``. Raises
        :class:`Cancelled` once stopped; an error of ``work`` (or a stop of this thread)
        stops the job's runs."""
        job = Job(self)
        box: dict[str, Any] = {}

        def target() -> None:
            try:
                box["value"] = work(job)
            except BaseException as e:  # handed to the caller's thread
                box["error"] = e

        helper = threading.Thread(target=target, name="adoptsim-job", daemon=True)
        helper.start()
        seen = 0
        try:
            while helper.is_alive():
                helper.join(_POLL)
                if stop is not None and not job.cancelled and stop.is_set():
                    job.cancel()
                if progress is not None and job.finished != seen:
                    seen = job.finished
                    progress(seen)
        except BaseException:  # this thread was stopped (Ctrl-C, a task's cancel)
            job.cancel()
            raise
        if "error" in box:
            error = job._error(box["error"])
            if error is box["error"]:
                raise error
            raise error from None
        if job.cancelled:
            raise Cancelled
        return box["value"]

    def ready(self, timeout: float | None = None) -> bool:
        """Wait until every process has started and warmed up."""
        futures = [self._submit(_ping) for _ in range(self.workers)]
        done, _ = wait(futures, timeout=timeout)
        return len(done) == len(futures)

    def shutdown(self) -> None:
        """Stop the processes (runs in progress are abandoned)."""
        with self._lock:
            stop_pool(self._pool, finished=False)

    def __enter__(self) -> WarmPool:
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
