"""Low-level helpers for the kernels: a software prefetch hint.

``prefetch(a, i)`` asks the CPU to bring ``a[i]`` into cache. It changes nothing a program can
observe (no value is read or written), only when memory is fetched: the exposure pushes visit
the ties of scattered people, and fetching the next people's ties while working on this one
overlaps those memory waits instead of taking them one after another.
"""

from __future__ import annotations

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

__all__ = ["prefetch", "prefetch_write"]


def _prefetch(rw: int):
    """An intrinsic prefetching ``arr[idx]`` of a 1-D array, for reading (``rw`` 0) or for
    writing (1)."""

    def typer(typingctx, arr, idx):
        if not (isinstance(arr, types.Array) and arr.ndim == 1
                and isinstance(idx, types.Integer)):
            return None
        return types.void(arr, idx), _codegen(rw)

    typer.__name__ = typer.__qualname__ = "prefetch_write" if rw else "prefetch"
    return intrinsic(typer)


def _codegen(rw: int):
    def codegen(context, builder, signature, args):
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        ptr = cgutils.get_item_pointer(context, builder, aryty, ary, [args[1]], wraparound=False)
        i8p = ir.IntType(8).as_pointer()
        i32 = ir.IntType(32)
        fnty = ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32])
        fn = cgutils.get_or_insert_function(builder.module, fnty, "llvm.prefetch.p0")
        # read (0) or write (1), high temporal locality (3), data cache (1)
        builder.call(fn, [builder.bitcast(ptr, i8p), ir.Constant(i32, rw), ir.Constant(i32, 3),
                          ir.Constant(i32, 1)])
        return context.get_dummy_value()

    return codegen


#: ``prefetch(a, i)``: bring ``a[i]`` into cache for reading (a hint: no effect on values;
#: ``i`` must be in range, it is not checked)
prefetch = _prefetch(0)
#: ``prefetch_write(a, i)``: the same, for an element about to be written
prefetch_write = _prefetch(1)
