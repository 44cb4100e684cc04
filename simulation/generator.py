"""Synthetic organizations built with vectorised numpy (millions of people in seconds).

Layout: index 0 is the top leader (in department 0). Each department is a contiguous block:
its head (a leader, reporting to the top), then its middle managers level by level, then its
individual contributors. A manager's direct reports are contiguous and balanced (sizes differ by
at most one), with at most ``span_of_control`` per manager.
"""

from __future__ import annotations

import math

import numpy as np

from .config import OrganizationConfig
from .errors import ConfigError
from .organization import (
    IC,
    LEADER_POS,
    MANAGER_POS,
    Organization,
    draw_tenure,
    organization_ties,
)

__all__ = ["DEPARTMENT_NAMES", "check_size", "department_sizes", "generate_organization"]

DEPARTMENT_NAMES = (
    "Sales",
    "Claims",
    "Client Service",
    "Operations",
    "Product",
    "Engineering",
    "Finance",
    "HR",
    "Marketing",
    "Legal",
    "Procurement",
    "Risk",
)


def check_size(cfg: OrganizationConfig) -> None:
    """Raise :class:`ConfigError` if no organization of ``cfg``'s size can be generated (a
    sweep checks every point with this before it runs anything)."""
    k = cfg.departments
    if cfg.employees - 1 < 2 * k:
        raise ConfigError(
            f"organization.employees = {cfg.employees} is too small for "
            f"organization.departments = {k}: need at least {2 * k + 1} (a head and one "
            "employee per department plus the top leader)"
        )


def department_sizes(cfg: OrganizationConfig, rng: np.random.Generator) -> np.ndarray:
    """Head counts per department (the top leader excluded), each at least 2."""
    check_size(cfg)
    n_rest = cfg.employees - 1
    k = cfg.departments
    sd = cfg.department_size_sd
    w = rng.lognormal(-0.5 * sd * sd, sd, k) if sd > 0 else np.ones(k)
    spare = n_rest - 2 * k
    raw = w / w.sum() * spare
    sizes = np.floor(raw).astype(np.int64)
    left = spare - sizes.sum()
    sizes[np.argsort(sizes - raw)[:left]] += 1  # largest remainders
    return sizes + 2


def _levels(m: int, span: int) -> list[int]:
    """Manager counts per level (bottom first) for a department of m people incl. its head.

    Chooses the most individual contributors c such that c, their managers and the head fit;
    any people left over report directly to the head.
    """

    def managers(c: int) -> list[int]:
        levels, count = [], c
        while count > span:
            count = math.ceil(count / span)
            levels.append(count)
        return levels

    c = max(1, int((m - 1) * (1 - 1 / span)))
    while c + sum(managers(c)) > m - 1:
        c -= 1
    while c + 1 + sum(managers(c + 1)) <= m - 1:
        c += 1
    return [c, *managers(c)]


def _balanced_parent(n_children: int, n_parents: int) -> np.ndarray:
    """Contiguous, balanced assignment of children 0..n-1 to parents 0..p-1."""
    return (np.arange(n_children, dtype=np.int64) * n_parents) // n_children


def _department_block(start: int, m: int, span: int, top: int):
    """Manager and position arrays for one department block [start, start + m)."""
    levels = _levels(m, span)  # [ICs, level-1 managers, level-2 managers, ...]
    manager = np.empty(m, np.int64)
    position = np.full(m, IC, np.int8)
    manager[0], position[0] = top, LEADER_POS  # department head
    # offsets inside the block: head, then levels top-down, then ICs, then leftovers
    counts = levels[::-1]  # top level first, ICs last
    offs = np.concatenate([[1], 1 + np.cumsum(counts)])
    parent_off = 0  # the head
    parent_count = 1
    for li, count in enumerate(counts):
        o = offs[li]
        if li < len(counts) - 1:
            position[o : o + count] = MANAGER_POS
        manager[o : o + count] = start + parent_off + _balanced_parent(count, parent_count)
        parent_off, parent_count = o, count
    leftover = int(offs[-1])
    manager[leftover:] = start  # staff reporting directly to the head
    return manager, position


def generate_organization(cfg: OrganizationConfig, rng: np.random.Generator) -> Organization:
    """A synthetic organization following ``cfg`` (see module docstring)."""
    sizes = department_sizes(cfg, rng)
    n = cfg.employees
    manager = np.empty(n, np.int64)
    position = np.empty(n, np.int8)
    department = np.empty(n, np.int32)
    manager[0], position[0], department[0] = -1, LEADER_POS, 0
    start = 1
    for d, m in enumerate(sizes):
        mg, pos = _department_block(start, int(m), cfg.span_of_control, 0)
        manager[start : start + m] = mg
        position[start : start + m] = pos
        department[start : start + m] = d
        start += m
    tenure = draw_tenure(position, cfg, rng)
    indptr, indices, weight = organization_ties(manager, department, cfg.departments, cfg, rng)
    names = tuple(
        DEPARTMENT_NAMES[d] if d < len(DEPARTMENT_NAMES) else f"Department {d + 1}"
        for d in range(cfg.departments)
    )
    return Organization(
        manager=manager.astype(np.int32),
        department=department,
        position=position,
        tenure_years=tenure,
        indptr=indptr,
        indices=indices,
        weight=weight,
        department_names=names,
    )
