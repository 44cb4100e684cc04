"""Research networks as CSR arrays: Erdős–Rényi, Watts–Strogatz, degree-preserving rewiring.

Everything is vectorised numpy (or a numba kernel where the work is sequential), so networks of
millions of nodes build in seconds; networkx is used only to cross-check in the tests. Reading
an edge-list file is the scenario layer's job (:mod:`scenarios.edgelist`): this layer knows no
files.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ConfigError
from ..kernels.build import edges_to_csr
from ..organization import TieArrays
from . import compiled

__all__ = [
    "Network",
    "erdos_renyi",
    "from_edges",
    "rewire_degree_preserving",
    "ring_lattice",
    "watts_strogatz",
]


@dataclass(frozen=True, eq=False)
class Network(TieArrays):
    """An undirected simple graph on nodes 0..n-1 as symmetric CSR.

    Attributes
    ----------
    indptr : int64 (n + 1,)   neighbours of i are ``indices[indptr[i]:indptr[i + 1]]``, sorted
    indices : int32 (2 * ties,)
    """

    indptr: np.ndarray
    indices: np.ndarray

    @property
    def n(self) -> int:
        return int(self.indptr.shape[0] - 1)

    @property
    def mean_degree(self) -> float:
        return float(self.indices.shape[0] / self.n) if self.n else 0.0

    def edges(self) -> tuple[np.ndarray, np.ndarray]:
        """Each tie once, as (src, dst) int32 with src < dst."""
        src = self.tie_sources()
        keep = src < self.indices
        return src[keep], self.indices[keep].copy()

    def clustering(self) -> float:
        """Average local clustering coefficient (Watts & Strogatz 1998), 0 for degree < 2."""
        return float(compiled.local_clustering(self.indptr, self.indices).mean()) if self.n else 0.0


def from_edges(n: int, src: np.ndarray, dst: np.ndarray) -> Network:
    """A simple graph from undirected ties: self-ties dropped, duplicates merged."""
    src = np.asarray(src, np.int32)
    dst = np.asarray(dst, np.int32)
    indptr, indices, _ = edges_to_csr(n, src, dst, np.ones(src.shape[0], np.int32))
    return Network(indptr, indices)


def _pair_index_to_edges(k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pair number k (0 <= k < n(n-1)/2) -> (i, j) with j < i, k = i(i-1)/2 + j."""
    i = np.floor((1.0 + np.sqrt(1.0 + 8.0 * k.astype(np.float64))) / 2.0).astype(np.int64)
    # float rounding can put i one off near a triangular number: correct it exactly
    i -= (i * (i - 1) // 2) > k
    i += ((i + 1) * i // 2) <= k
    return i, k - i * (i - 1) // 2


def erdos_renyi(n: int, mean_degree: float, rng: np.random.Generator) -> Network:
    """G(n, p) with p = z / (n - 1): every pair tied independently, mean degree z.

    The number of ties is Binomial(n(n-1)/2, p); that many distinct pairs are then drawn
    uniformly (a uniform subset of that size is exactly G(n, p) conditioned on its size).
    """
    if n < 2 or mean_degree <= 0:
        return from_edges(max(n, 0), np.empty(0, np.int32), np.empty(0, np.int32))
    pairs = n * (n - 1) // 2
    p = min(1.0, mean_degree / (n - 1))
    m = int(rng.binomial(pairs, p))
    chosen = np.empty(0, np.int64)
    while chosen.size < m:  # draw with replacement, drop repeats, top up (few rounds)
        extra = rng.integers(0, pairs, size=int((m - chosen.size) * 1.05) + 16)
        chosen = np.sort(np.concatenate([chosen, extra]))
        chosen = chosen[np.concatenate([[True], chosen[1:] != chosen[:-1]])]
    if chosen.size > m:
        chosen = np.sort(rng.choice(chosen, m, replace=False))
    i, j = _pair_index_to_edges(chosen)
    return from_edges(n, i, j)


def _check_lattice(n: int, k: int) -> None:
    if k % 2 or k < 2:
        raise ConfigError(f"classic.k = {k}: the ring lattice needs an even k >= 2")
    if k >= n:
        raise ConfigError(
            f"classic.k = {k} must be smaller than the population ({n}); lower k or raise "
            "organization.employees"
        )


def ring_lattice(n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Ties of a ring lattice: i to i+1, ..., i+k/2 (mod n); each tie once, in that order."""
    _check_lattice(n, k)
    src = np.repeat(np.arange(n, dtype=np.int64), k // 2)
    dst = (src + np.tile(np.arange(1, k // 2 + 1), n)) % n
    return src, dst


def watts_strogatz(n: int, k: int, rewire: float, rng: np.random.Generator) -> Network:
    """Watts & Strogatz (1998): a ring lattice whose ties each move their far end to a uniformly
    random node with probability ``rewire``, avoiding self-ties and duplicate ties.

    Vectorised: all rewired ties draw a new end at once; the few that collide (self-tie, an
    existing tie, or two rewired ties landing on the same pair) draw again until none do.
    """
    src, dst = ring_lattice(n, k)
    moved = np.flatnonzero(rng.random(src.size) < rewire)
    dst = dst.copy()
    dst[moved] = -1
    todo = moved
    for _ in range(1000):
        if todo.size == 0:
            break
        dst[todo] = rng.integers(0, n, todo.size)
        todo = _collisions(src, dst, n, todo)
    else:  # pragma: no cover - only a nearly complete graph gets here
        raise ConfigError(f"cannot rewire a lattice with k = {k} on {n} nodes: too dense")
    return from_edges(n, src, dst)


def _collisions(src, dst, n, todo):
    """The rewired ties in ``todo`` that are a self-tie or duplicate another tie."""
    lo, hi = np.minimum(src, dst), np.maximum(src, dst)
    key = lo * n + hi
    order = np.argsort(key, kind="stable")
    dup = np.zeros(key.size, bool)
    same = key[order][1:] == key[order][:-1]
    dup[order[1:][same]] = True
    dup[order[:-1][same]] = True
    bad = (src[todo] == dst[todo]) | dup[todo]
    # of a duplicate pair made of an original and a rewired tie, only the rewired one redraws;
    # of two rewired ties, both redraw (simple and unbiased enough for collision rates ~k/n)
    return todo[bad]


def rewire_degree_preserving(
    net: Network, swaps_per_tie: float, rng: np.random.Generator
) -> tuple[Network, int]:
    """Randomise ``net`` by double-edge swaps, keeping every degree: (new network, swaps done).

    ``round(swaps_per_tie * ties)`` swaps are attempted; an attempt that would create a self-tie
    or a duplicate tie is skipped (Maslov & Sneppen 2002).
    """
    src, dst = net.edges()
    m = src.size
    attempts = int(round(swaps_per_tie * m))
    if m < 2 or attempts == 0:
        return net, 0
    first = rng.integers(0, m, attempts)
    second = rng.integers(0, m, attempts)
    flip = rng.random(attempts) < 0.5
    done = compiled.double_edge_swaps(src, dst, net.n, first, second, flip)
    return from_edges(net.n, src, dst), int(done)
