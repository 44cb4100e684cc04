"""numba flags, in one place (STYLE: never inline).

``fastmath`` stays off: the numba engine must reproduce the agents engine bit for bit, and
fast-math reassociation or fused multiply-adds would change rounding.

Threads on a busy machine: numba's parallel loops run on an OpenMP thread pool whose threads,
by default, spin while they wait for work (beside one other busy process on a two-core machine
a 1,000-employee run then took anywhere from 61 ms to 7.9 s). They sleep instead
(``OMP_WAIT_POLICY=PASSIVE``, and Intel's ``KMP_BLOCKTIME=0``), set here, where every parallel
kernel is compiled, so before numba starts the pool (the OpenMP runtime reads them once, when
it loads). A value the user set is kept. How many threads a model uses: :mod:`.threads`.
"""

from __future__ import annotations

import hashlib
import os
import types
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("KMP_BLOCKTIME", "0")

import numba  # noqa: E402  (after the wait policy: numba may start the pool at any call)

__all__ = ["JIT_OPTIONS", "Direct", "dispatch", "invalidate_stale_cache", "njit", "njit_inline",
           "njit_parallel", "serial_twin"]

JIT_OPTIONS = {
    "cache": True,
    "nogil": True,
    "fastmath": False,
    "boundscheck": False,
    "error_model": "numpy",
}


def njit(func):
    """Compile ``func`` with the project's numba flags."""
    return numba.njit(**JIT_OPTIONS)(func)


def njit_inline(func):
    """A small helper compiled into its callers at numba IR level (no call, no copying of the
    tuples of arrays it takes)."""
    return numba.njit(inline="always", **JIT_OPTIONS)(func)


def njit_parallel(func):
    """Compile ``func`` with the project's flags and ``parallel=True`` (its ``prange`` loops
    run on numba's threads). Only for loops whose iterations are independent, so the result
    does not depend on the number of threads. Runs spread over processes set one thread each
    (``experiments.runner``)."""
    return numba.njit(parallel=True, **JIT_OPTIONS)(func)


def serial_twin(kernel):
    """``kernel`` (an :func:`njit_parallel` function) compiled again without ``parallel``: its
    ``prange`` loops run as plain loops on the calling thread, the same code in the same order.

    For a model whose weekly pass is one block (below ``threads.PARALLEL_FROM``): each call
    of a parallel kernel starts a parallel region (the thread count read and set, the pool's
    threads woken to find no work), which at 1,000 employees costs as much as the block's own
    work. The twin is a copy of the Python function under its own name, so numba caches its
    machine code beside the parallel kernel's instead of over it (the cache file is named after
    the function)."""
    f = kernel.py_func
    name = f"{f.__name__}_serial"
    twin = types.FunctionType(f.__code__, f.__globals__, name, f.__defaults__, f.__closure__)
    twin.__qualname__ = f"{f.__qualname__}_serial"
    twin.__doc__ = f.__doc__
    twin.__module__ = f.__module__
    return numba.njit(**JIT_OPTIONS)(twin)


def dispatch(kernel, *args):
    """``kernel(*args)``, through numba's dispatcher (the default of a :class:`Direct`)."""
    return kernel(*args)


class Direct:
    """Calls compiled kernels without numba's type dispatch, for a caller that vouches that the
    arguments' types have not changed since it last called :meth:`forget`.

    numba's dispatcher types every argument of every call; for the engine's decision pass
    (about a hundred arrays and numbers in named tuples) that is ~20 us of a ~60 us call at
    1,000 employees. ``direct(kernel, *args)`` calls through the dispatcher the first time
    (compiling if need be); if ``kernel`` then has exactly one compiled overload, that is the
    one the dispatcher ran for these arguments, and later calls run its machine code directly
    (numba's ``entry_point``: it converts the arguments, it does not type them). Machine code
    given arguments of other types would misread them, so the caller calls :meth:`forget`
    whenever a type may have changed (the engine: whenever it checks a bundle of arrays
    again), and a kernel with several overloads is always dispatched."""

    def __init__(self) -> None:
        self._entries: dict = {}

    def forget(self) -> None:
        self._entries.clear()

    def __call__(self, kernel, *args):
        entry = self._entries.get(kernel)
        if entry is not None:
            return entry(*args)
        out = kernel(*args)
        overloads = kernel.overloads
        if len(overloads) == 1:
            self._entries[kernel] = next(iter(overloads.values())).entry_point
        return out


def invalidate_stale_cache(module_file: str, deps: list[str]) -> None:
    """Drop numba's cached machine code of ``module_file`` when a file it inlines changed.

    numba's on-disk cache is keyed on the kernel module's own source file only; functions it
    compiles in from other modules (the rule) would otherwise be served stale after an edit.
    """
    here = Path(module_file).resolve()
    digest = hashlib.sha256()
    for f in [here, *(here.parent / d for d in deps)]:
        digest.update(f.resolve().read_bytes())
    cache = here.parent / "__pycache__"
    stamp = cache / f"{here.stem}.deps-sha256"
    try:
        if stamp.exists() and stamp.read_text() == digest.hexdigest():
            return
        for old in cache.glob(f"{here.stem}.*.nb[ic]"):
            old.unlink(missing_ok=True)
        cache.mkdir(exist_ok=True)
        stamp.write_text(digest.hexdigest())
    except OSError:  # read-only install: numba then uses its own cache directory
        pass
