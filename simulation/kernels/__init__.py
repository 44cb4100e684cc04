"""numba kernels of the model layer, and the toolkit for writing kernels anywhere in adoptsim.

Public: the project's numba flags in one place (:func:`njit`, :func:`njit_inline`,
:func:`njit_parallel`, :data:`JIT_OPTIONS`, :func:`invalidate_stale_cache`, in :mod:`.jit`) and
the software prefetch hint (:func:`prefetch`). The kernels themselves (:mod:`.weekly`,
:mod:`.build`) are the model layer's own: other layers use the model, not its kernels.
"""

from __future__ import annotations

from .intrinsics import prefetch, prefetch_write
from .jit import JIT_OPTIONS, invalidate_stale_cache, njit, njit_inline, njit_parallel

__all__ = [
    "JIT_OPTIONS",
    "invalidate_stale_cache",
    "njit",
    "njit_inline",
    "njit_parallel",
    "prefetch",
    "prefetch_write",
]
