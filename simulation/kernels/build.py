"""Kernels that build tie lists and CSR adjacency: O(ties), no Python objects per person."""

from __future__ import annotations

import numpy as np

from .jit import njit, njit_inline

__all__ = ["edges_to_csr", "group_by", "listed_ties_csr", "team_edges"]


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


@njit_inline
def _sort_bucket(keys, vals, lo, hi):
    """Sort ``keys[lo:hi]``, carrying ``vals``: insertion sort for the usual short bucket, a
    library sort for a long one (a hub with thousands of ties)."""
    if hi - lo > 32:
        order = np.argsort(keys[lo:hi])
        keys[lo:hi] = keys[lo:hi][order]
        vals[lo:hi] = vals[lo:hi][order]
        return
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
def _buckets(n, src, dst, weight):
    """Each undirected tie (a, b) in the bucket of min(a, b), holding max(a, b) and the weight;
    buckets sorted by that neighbour. (ptr, hi, wt) with bucket i at ptr[i]:ptr[i+1]."""
    ptr = np.zeros(n + 1, np.int64)
    for e in range(src.shape[0]):
        ptr[min(src[e], dst[e]) + 1] += 1
    for i in range(n):
        ptr[i + 1] += ptr[i]
    fill = ptr[:-1].copy()
    hi = np.empty(src.shape[0], np.int32)
    wt = np.empty(src.shape[0], np.int32)
    for e in range(src.shape[0]):
        a, b = src[e], dst[e]
        lo = min(a, b)
        hi[fill[lo]] = max(a, b)
        wt[fill[lo]] = weight[e]
        fill[lo] += 1
    for i in range(n):
        _sort_bucket(hi, wt, ptr[i], ptr[i + 1])
    return ptr, hi, wt


@njit
def _combine(ptr, hi, wt, keep_max):
    """In place: one entry per pair in sorted buckets, their weights added (or the largest
    kept); self-ties dropped. Returns the new bucket pointers."""
    n = ptr.shape[0] - 1
    out = 0
    new_ptr = np.zeros(n + 1, np.int64)
    for i in range(n):
        start = out
        for a in range(ptr[i], ptr[i + 1]):
            if hi[a] == i:
                continue
            if out > start and hi[out - 1] == hi[a]:
                wt[out - 1] = max(wt[out - 1], wt[a]) if keep_max else wt[out - 1] + wt[a]
            else:
                hi[out] = hi[a]
                wt[out] = wt[a]
                out += 1
        new_ptr[i + 1] = out
    return new_ptr


@njit
def _union(ptr_a, hi_a, wt_a, ptr_b, hi_b, wt_b):
    """Two sets of combined buckets merged, weights of a pair in both added."""
    n = ptr_a.shape[0] - 1
    ptr = np.zeros(n + 1, np.int64)
    hi = np.empty(ptr_a[n] + ptr_b[n], np.int32)
    wt = np.empty(ptr_a[n] + ptr_b[n], np.int32)
    out = 0
    for i in range(n):
        a, a_end, b, b_end = ptr_a[i], ptr_a[i + 1], ptr_b[i], ptr_b[i + 1]
        while a < a_end or b < b_end:
            if b == b_end or (a < a_end and hi_a[a] < hi_b[b]):
                hi[out], wt[out] = hi_a[a], wt_a[a]
                a += 1
            elif a == a_end or hi_b[b] < hi_a[a]:
                hi[out], wt[out] = hi_b[b], wt_b[b]
                b += 1
            else:
                hi[out], wt[out] = hi_a[a], wt_a[a] + wt_b[b]
                a += 1
                b += 1
            out += 1
        ptr[i + 1] = out
    return ptr, hi[:out], wt[:out]


@njit
def _symmetric(ptr, hi, wt):
    """CSR of both directions of each combined pair. Pairs are visited in (lo, hi) order, so
    every row comes out sorted by neighbour: first its lower neighbours, then its higher."""
    n = ptr.shape[0] - 1
    deg = np.zeros(n + 1, np.int64)
    for i in range(n):
        deg[i + 1] += ptr[i + 1] - ptr[i]
        for a in range(ptr[i], ptr[i + 1]):
            deg[hi[a] + 1] += 1
    for i in range(n):
        deg[i + 1] += deg[i]
    fill = deg[:-1].copy()
    idx = np.empty(deg[n], np.int32)
    w = np.empty(deg[n], np.int32)
    for i in range(n):
        for a in range(ptr[i], ptr[i + 1]):
            j = hi[a]
            idx[fill[i]] = j
            w[fill[i]] = wt[a]
            fill[i] += 1
            idx[fill[j]] = i
            w[fill[j]] = wt[a]
            fill[j] += 1
    return deg, idx, w


def _combined(n: int, src: np.ndarray, dst: np.ndarray, weight: np.ndarray, keep_max: bool):
    ptr, hi, wt = _buckets(n, src.astype(np.int32, copy=False), dst.astype(np.int32, copy=False),
                           weight.astype(np.int32, copy=False))
    return _combine(ptr, hi, wt, keep_max), hi, wt


def edges_to_csr(n: int, src: np.ndarray, dst: np.ndarray, weight: np.ndarray):
    """Symmetric CSR (indptr int64, indices int32, weight int32) from undirected ties; rows
    sorted by neighbour. Self-ties are dropped and duplicate ties merged by adding their
    weights. O(ties): a bucket per person."""
    return _symmetric(*_combined(n, src, dst, weight, keep_max=False))


def listed_ties_csr(
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    weight: np.ndarray,
    team_src: np.ndarray,
    team_dst: np.ndarray,
    team_weight: np.ndarray,
):
    """CSR of a tie list plus team ties: a pair listed more than once (either direction)
    counts once with its largest weight; a listed pair that is also a team tie adds the two
    weights (team ties that repeat add up, as in :func:`edges_to_csr`)."""
    listed = _combined(n, src, dst, weight, keep_max=True)
    team = _combined(n, team_src, team_dst, team_weight, keep_max=False)
    return _symmetric(*_union(*listed, *team))

