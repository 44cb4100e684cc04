"""Whom an intervention reaches: the eligible (roles x departments), then a share or a count,
drawn at random or weighted (volunteers)."""

from __future__ import annotations

import numpy as np

from ..errors import PlanError
from ..states import ROLE_CODES
from .base import Target

__all__ = ["check_target", "choose", "eligible", "top_k", "within"]


def top_k(keys: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` largest ``keys``, ties going to the lower position: the same set
    as ``np.argsort(-keys, kind="stable")[:k]``, in O(n) instead of a sort (in no particular
    order)."""
    n = keys.shape[0]
    if k >= n:
        return np.arange(n)
    if k <= 0:
        return np.empty(0, np.int64)
    kth = keys[np.argpartition(keys, n - k)[n - k]]  # the k-th largest value
    above = np.flatnonzero(keys > kth)
    tied = np.flatnonzero(keys == kth)[: k - above.size]
    return np.concatenate([above, tied])


def eligible(target: Target, people, org) -> np.ndarray:
    """Mask of the people in the target's roles and departments."""
    mask = np.ones(people.n, bool)
    if target.roles is not None:
        mask &= np.isin(people.role, [ROLE_CODES[r] for r in target.roles])
    if target.departments is not None:
        codes = [org.department_names.index(d) for d in target.departments]
        mask &= np.isin(org.department, codes)
    return mask


def within(target: Target, size: int, people, org) -> Target:
    """``size`` people from the target's roles and departments (all of them if fewer)."""
    n = int(eligible(target, people, org).sum())
    return Target(roles=target.roles, departments=target.departments, count=min(size, n))


def choose(
    target: Target, people, org, rng: np.random.Generator, weight: np.ndarray | None = None
) -> np.ndarray:
    """Indices reached: all eligible, or a share/count of them (weighted: volunteers)."""
    idx = np.flatnonzero(eligible(target, people, org))
    k = idx.size
    if target.count is not None:
        k = min(k, target.count)
    elif target.share is not None:
        k = int(round(target.share * idx.size))
    if k >= idx.size:
        return idx
    u = rng.random(idx.size)
    # Efraimidis-Spirakis keys: weighted sampling without replacement
    keys = u if weight is None else u ** (1.0 / np.maximum(weight[idx], 1e-9))
    return np.sort(idx[top_k(keys, k)])


def check_target(name: str, target: Target, people, org) -> None:
    """Raise :class:`PlanError` if the target names an unknown department, asks for more
    people than are eligible, or reaches nobody."""
    known = set(org.department_names)
    for d in target.departments or ():
        if d not in known:
            raise PlanError(
                f"{name}: target department {d!r} does not exist; "
                f"departments are: {', '.join(org.department_names)}"
            )
    n = int(eligible(target, people, org).sum())
    if target.count is not None and target.count > n:
        raise PlanError(f"{name}: target.count = {target.count} exceeds the {n} eligible people")
    if n == 0:
        raise PlanError(f"{name}: the target reaches nobody")
