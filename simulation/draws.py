"""Each person's weekly uniform draw, from a counter-based generator.

Every week the model takes one 63-bit key from its ``numpy.random.Generator``; person ``i``'s
draw that week is a hash of (key, i): SplitMix64 (Steele, Lea & Flood 2014: the generator
behind Java's ``SplittableRandom``, which passes BigCrush) evaluated at counter ``i + 1``, its
top 53 bits made a double in [0, 1). A draw depends only on the key and the person, not on
the order people are visited or on how many threads visit them, so the numba kernel computes
it inline while it decides (no array of a million draws to write and read back each week),
and the agents engine computes the same numbers with numpy.
"""

from __future__ import annotations

import numpy as np
from numba.extending import register_jitable

__all__ = ["uniform", "uniforms", "week_key"]

_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_ONE = np.uint64(1)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


def week_key(rng: np.random.Generator) -> int:
    """This week's key, from the model's generator (one draw)."""
    return int(rng.integers(0, 2**63, dtype=np.int64))


@register_jitable(inline="always")
def uniform(key, i) -> float:
    """Person ``i``'s draw for the week with this ``key``: a double in [0, 1)."""
    z = np.uint64(key) + (np.uint64(i) + _ONE) * _GAMMA
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    z = z ^ (z >> _S31)
    return np.float64(z >> _S11) * _TO_UNIT


def uniforms(key: int, n: int) -> np.ndarray:
    """Everyone's draws for the week (``uniform(key, i)`` for i < n), with numpy."""
    with np.errstate(over="ignore"):
        z = np.uint64(key) + (np.arange(n, dtype=np.uint64) + _ONE) * _GAMMA
        z = (z ^ (z >> _S30)) * _M1
        z = (z ^ (z >> _S27)) * _M2
        z ^= z >> _S31
    return (z >> _S11).astype(np.float64) * _TO_UNIT
