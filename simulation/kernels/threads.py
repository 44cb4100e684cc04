"""How many threads a model's weekly pass uses, so that runs stay fast on a busy machine.

- A model splits its weekly pass into blocks for threads only from :data:`PARALLEL_FROM`
  employees on (:func:`parts_for`): below that, a week's work is too short to pay for waking
  and joining a second thread.
- Each week it runs those blocks on only as many threads as CPUs no other process is running
  on at that moment (:func:`threads_now`): a second thread beside a busy process shares a core
  with it and makes every parallel loop wait for the slower half.

Results do not depend on either: the blocks are the same whatever the threads (one thread
works through them in turn), and the split itself does not change any sum (integer exposure
sums, per-block head counts). The pool's threads wait passively (:mod:`.jit`).
``benchmarks/bench_load.py`` measures both: ``--crossover`` times one and all threads by size,
and the default run compares each size alone and beside a busy process.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import numba  # after the package imported .jit, which sets the pool's wait policy

__all__ = ["PARALLEL_FROM", "free_cpus", "parts_for", "run_on", "threads_now", "use_threads"]

#: organizations of at least this many employees run the weekly pass on numba's threads
#: (measured: benchmarks/bench_load.py --crossover)
PARALLEL_FROM = 50_000
T = TypeVar("T")


def parts_for(n_employees: int) -> int:
    """The blocks (at most threads) a model of ``n_employees`` splits its weekly pass into: one
    below :data:`PARALLEL_FROM`, else numba's thread count (one in a worker process of a
    sweep or a comparison)."""
    return 1 if n_employees < PARALLEL_FROM else max(1, numba.get_num_threads())


def free_cpus() -> int:
    """The CPUs of this process that no other work is running on right now: its CPUs less the
    machine's runnable tasks besides the calling thread (``/proc/loadavg``'s fourth field, an
    instant count, not an average); all its CPUs where that cannot be read."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cpus = cpus or 1
    try:
        with open("/proc/loadavg", "rb") as f:
            running = int(f.read().split()[3].split(b"/")[0])
    except (OSError, ValueError, IndexError):
        return cpus
    return max(1, cpus - (running - 1))


def threads_now(parts: int) -> int:
    """The threads to run ``parts`` blocks on now: one per block, but no more than the CPUs
    free of other work (:func:`free_cpus`)."""
    return 1 if parts <= 1 else min(parts, free_cpus())


@contextlib.contextmanager
def use_threads(threads: int) -> Iterator[None]:
    """Run the parallel kernels called inside on ``threads`` threads (numba's count is the
    calling thread's own, so this does not affect other threads)."""
    before = numba.get_num_threads()
    if threads == before:
        yield
        return
    numba.set_num_threads(threads)
    try:
        yield
    finally:
        numba.set_num_threads(before)


def run_on(threads: int, kernel: Callable[..., T], *args: Any) -> T:
    """``kernel(*args)`` on ``threads`` threads: :func:`use_threads` as a plain call, for the
    engine's weekly kernel calls (no generator to create, nothing to set when the count is
    already right: a small model's week is a few hundred microseconds)."""
    before = numba.get_num_threads()
    if threads == before:
        return kernel(*args)
    numba.set_num_threads(threads)
    try:
        return kernel(*args)
    finally:
        numba.set_num_threads(before)
