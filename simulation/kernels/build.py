"""Kernels that build tie lists and CSR adjacency: O(ties), no Python objects per person."""

from __future__ import annotations

import numpy as np

from .config import njit, njit_inline

__all__ = ["team_edges", "edges_to_csr", "group_by", "unique_pairs"]


@njit
def group_by(keys, n_groups):
    """Counting sort: (ptr, members) with members of group g at members[ptr[g]:ptr[g+1]].

    Members keep their index order within a group. Keys < 0 are left out.
    """
    ptr = np.zeros(n_groups + 1, np.int64)
    for k in keys:
        if k >= 0:
            ptr[k + 1] += 1
    for g in range(n_groups):
        ptr[g + 1] += ptr[g]
    fill = ptr[:-1].copy()
    members = np.empty(ptr[-1], np.int32)
    for i in range(keys.shape[0]):
        k = keys[i]
        if k >= 0:
            members[fill[k]] = i
            fill[k] += 1
    return ptr, members


@njit
def _member(m, members, lo, a):
    return m if a == 0 else members[lo + a - 1]


@njit
def _team_pairs(ptr, members, max_clique, ring_k, src, dst, fill):
    """Enumerate (or only count, if ``fill`` is False) the team ties of every manager's group.

    The group of manager m is m itself plus its direct reports. Groups up to ``max_clique``
    people are cliques; larger ones (a CSV with a manager of thousands) are ring lattices with
    ``ring_k`` neighbours on each side, so that ties stay O(n).
    """
    e = 0
    for m in range(ptr.shape[0] - 1):
        lo, hi = ptr[m], ptr[m + 1]
        size = hi - lo + 1
        if size < 2:
            continue
        clique = size <= max_clique
        for a in range(size):
            reach = size - a - 1 if clique else ring_k
            for d in range(1, reach + 1):
                if fill:
                    src[e] = _member(m, members, lo, a)
                    dst[e] = _member(m, members, lo, (a + d) % size)
                e += 1
    return e


def team_edges(manager: np.ndarray, max_clique: int = 40, ring_k: int = 5):
    """Undirected team ties (src, dst) as int32 arrays, from the manager array."""
    if max_clique <= 2 * ring_k:
        raise ValueError("max_clique must exceed 2 * ring_k")
    n = manager.shape[0]
    ptr, members = group_by(manager, n)
    empty = np.empty(0, np.int32)
    count = _team_pairs(ptr, members, max_clique, ring_k, empty, empty, False)
    src = np.empty(count, np.int32)
    dst = np.empty(count, np.int32)
    _team_pairs(ptr, members, max_clique, ring_k, src, dst, True)
    return src, dst


@njit
def _csr_symmetric(n, src, dst, weight):
    deg = np.zeros(n + 1, np.int64)
    for e in range(src.shape[0]):
        if src[e] != dst[e]:
            deg[src[e] + 1] += 1
            deg[dst[e] + 1] += 1
    for i in range(n):
        deg[i + 1] += deg[i]
    fill = deg[:-1].copy()
    idx = np.empty(deg[-1], np.int32)
    wt = np.empty(deg[-1], np.int32)
    for e in range(src.shape[0]):
        a, b = src[e], dst[e]
        if a == b:
            continue
        idx[fill[a]] = b
        wt[fill[a]] = weight[e]
        fill[a] += 1
        idx[fill[b]] = a
        wt[fill[b]] = weight[e]
        fill[b] += 1
    return deg, idx, wt


@njit_inline
def _sort_row(keys, vals, lo, hi):
    """Insertion sort of ``keys[lo:hi]`` (carrying ``vals``): rows of ties are short."""
    for a in range(lo + 1, hi):
        key, val = keys[a], vals[a]
        b = a - 1
        while b >= lo and keys[b] > key:
            keys[b + 1] = keys[b]
            vals[b + 1] = vals[b]
            b -= 1
        keys[b + 1] = key
        vals[b + 1] = val


@njit
def _merge_rows(indptr, idx, wt):
    """Sort each row by neighbour and merge duplicate ties (weights add). In place."""
    n = indptr.shape[0] - 1
    out = 0
    new_ptr = np.zeros(n + 1, np.int64)
    for i in range(n):
        lo, hi = indptr[i], indptr[i + 1]
        _sort_row(idx, wt, lo, hi)
        start = out
        for a in range(lo, hi):
            if out > start and idx[out - 1] == idx[a]:
                wt[out - 1] += wt[a]
            else:
                idx[out] = idx[a]
                wt[out] = wt[a]
                out += 1
        new_ptr[i + 1] = out
    return new_ptr, out


def edges_to_csr(n: int, src: np.ndarray, dst: np.ndarray, weight: np.ndarray):
    """Symmetric CSR (indptr int64, indices int32, weight int32) from undirected ties.

    Self-ties are dropped and duplicate ties merged by adding their weights.
    """
    indptr, idx, wt = _csr_symmetric(
        n, src.astype(np.int32), dst.astype(np.int32), weight.astype(np.int32)
    )
    indptr, m = _merge_rows(indptr, idx, wt)
    return indptr, idx[:m].copy(), wt[:m].copy()


@njit
def _unique_pairs(n, src, dst, weight):
    # bucket each pair (lo, hi) under lo, then sort each bucket by hi and keep the heaviest
    ptr = np.zeros(n + 1, np.int64)
    for e in range(src.shape[0]):
        ptr[min(src[e], dst[e]) + 1] += 1
    for i in range(n):
        ptr[i + 1] += ptr[i]
    fill = ptr[:-1].copy()
    hi = np.empty(src.shape[0], np.int64)
    wt = np.empty(src.shape[0], np.int64)
    for e in range(src.shape[0]):
        a = min(src[e], dst[e])
        hi[fill[a]] = max(src[e], dst[e])
        wt[fill[a]] = weight[e]
        fill[a] += 1
    out_lo = np.empty(src.shape[0], np.int64)
    out_hi = np.empty(src.shape[0], np.int64)
    out_w = np.empty(src.shape[0], np.int64)
    m = 0
    for i in range(n):
        lo_, end = ptr[i], ptr[i + 1]
        _sort_row(hi, wt, lo_, end)
        for a in range(lo_, end):
            if m > 0 and out_lo[m - 1] == i and out_hi[m - 1] == hi[a]:
                out_w[m - 1] = max(out_w[m - 1], wt[a])
            else:
                out_lo[m] = i
                out_hi[m] = hi[a]
                out_w[m] = wt[a]
                m += 1
    return out_lo[:m], out_hi[:m], out_w[:m]


def unique_pairs(n: int, src: np.ndarray, dst: np.ndarray, weight: np.ndarray):
    """One entry (lo, hi, weight) per undirected pair among ``n`` people, keeping the largest
    weight of the pair's listings; ordered by (lo, hi). O(ties): a bucket per person."""
    lo, hi, w = _unique_pairs(n, src.astype(np.int64), dst.astype(np.int64),
                              weight.astype(np.int64))
    return lo, hi, w.astype(weight.dtype)
