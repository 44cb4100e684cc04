"""Small effects several intervention types share."""

from __future__ import annotations

import numpy as np

__all__ = ["clip01", "commit", "sharpen_goals"]


def clip01(a: np.ndarray) -> np.ndarray:
    """Clamp to [0, 1] in place."""
    return np.clip(a, 0.0, 1.0, out=a)


def commit(people, idx: np.ndarray, commitment: float) -> None:
    """People who commit personally (sponsors, veterans asked for their insight): more purpose
    and trust, a lower threshold."""
    people.purpose[idx] = clip01(people.purpose[idx] + commitment)
    people.trust[idx] = clip01(people.trust[idx] + commitment)
    people.threshold[idx] *= 1.0 - commitment


def sharpen_goals(people, gain: float) -> None:
    """Every community's goal fit rises by ``gain`` (at most 1): shared practice, outside
    advice or a battle-tested plan."""
    people.community_goal[:] = np.minimum(1.0, people.community_goal + gain)
