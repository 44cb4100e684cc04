"""numba kernels of the classic rules and research networks: pure functions over arrays.

Random numbers are drawn by the caller (numpy) and passed in, so a kernel is deterministic and
the agents engine, reading the same draws, takes the same decisions. The decision itself is
:func:`simulation.classic.rules.crosses_threshold`, compiled in.
"""

from __future__ import annotations

import numpy as np

from ..kernels.jit import invalidate_stale_cache, njit
from ..states import ADOPTED, UNAWARE
from .formulas import crosses_threshold

invalidate_stale_cache(__file__, ["formulas.py", "../states.py"])

__all__ = [
    "active_neighbours",
    "bass_round",
    "double_edge_swaps",
    "local_clustering",
    "mixed_round",
    "push_adoptions",
    "threshold_round",
]


@njit
def bass_round(state, u, prob, new):
    """Non-adopters whose draw falls below this step's adoption probability; returns the count."""
    count = 0
    for i in range(state.shape[0]):
        if state[i] == UNAWARE and u[i] < prob:
            new[count] = i
            count += 1
    return count


@njit
def mixed_round(state, threshold, active, fractional, new):
    """Fully mixed threshold round: everyone sees the ``active`` others (Granovetter 1978)."""
    others = state.shape[0] - 1
    count = 0
    for i in range(state.shape[0]):
        if state[i] == UNAWARE and crosses_threshold(active, others, threshold[i], fractional):
            new[count] = i
            count += 1
    return count


@njit
def threshold_round(indptr, state, exposure, threshold, fractional, candidates, n_cand, new):
    """Network threshold round over the candidates (people whose exposure just changed).

    ``exposure[i]`` is the number of i's active neighbours; thresholds are fixed, so only a
    person whose exposure changed can newly cross. Returns the number of new adopters.
    """
    count = 0
    for c in range(n_cand):
        i = candidates[c]
        degree = indptr[i + 1] - indptr[i]
        if state[i] == UNAWARE and crosses_threshold(exposure[i], degree, threshold[i], fractional):
            new[count] = i
            count += 1
    return count


@njit
def push_adoptions(indptr, indices, state, exposure, new, mark, stamp, candidates):
    """New adopters tell their neighbours: exposure + 1 each; the non-adopters among them are
    the next round's candidates (each once: ``mark[j] == stamp``). Returns their count."""
    n_cand = 0
    for a in range(new.shape[0]):
        i = new[a]
        for e in range(indptr[i], indptr[i + 1]):
            j = indices[e]
            exposure[j] += 1
            if state[j] == UNAWARE and mark[j] != stamp:
                mark[j] = stamp
                candidates[n_cand] = j
                n_cand += 1
    return n_cand


@njit
def active_neighbours(indptr, indices, state):
    """Number of active neighbours of everyone (int64)."""
    n = indptr.shape[0] - 1
    out = np.zeros(n, np.int64)
    for i in range(n):
        for e in range(indptr[i], indptr[i + 1]):
            if state[indices[e]] == ADOPTED:
                out[i] += 1
    return out


@njit
def double_edge_swaps(src, dst, n, first, second, flip):
    """Degree-preserving double-edge swaps (Maslov & Sneppen 2002), in place.

    Attempt t takes ties a-b = (src, dst)[first[t]] and c-d = (src, dst)[second[t]] (c and d
    exchanged if ``flip[t]``) and replaces them by a-d and c-b, unless that makes a self-tie or
    a tie that already exists. Returns the number of swaps done.
    """
    present = set()
    for e in range(src.shape[0]):
        present.add(_key(src[e], dst[e], n))
    done = 0
    for t in range(first.shape[0]):
        e, f = first[t], second[t]
        a, b = src[e], dst[e]
        c, d = (dst[f], src[f]) if flip[t] else (src[f], dst[f])
        if e == f or a == d or c == b:
            continue
        ad, cb = _key(a, d, n), _key(c, b, n)
        if ad in present or cb in present:
            continue
        present.remove(_key(a, b, n))
        present.remove(_key(c, d, n))
        present.add(ad)
        present.add(cb)
        dst[e] = d
        src[f], dst[f] = c, b
        done += 1
    return done


@njit
def _key(a, b, n):
    lo, hi = (a, b) if a < b else (b, a)
    return np.int64(lo) * n + hi


@njit
def local_clustering(indptr, indices):
    """Local clustering coefficient of every node (0 for degree < 2)."""
    n = indptr.shape[0] - 1
    out = np.zeros(n, np.float64)
    mark = np.full(n, -1, np.int64)
    for i in range(n):
        lo, hi = indptr[i], indptr[i + 1]
        k = hi - lo
        if k < 2:
            continue
        for e in range(lo, hi):
            mark[indices[e]] = i
        links = 0
        for e in range(lo, hi):
            j = indices[e]
            for f in range(indptr[j], indptr[j + 1]):
                if mark[indices[f]] == i:
                    links += 1
        out[i] = links / (k * (k - 1))  # each triangle link counted from both ends
    return out
