"""The organization's structure as arrays: hierarchy, departments, positions, tenure, ties.

People's attributes (motivation, influence, threshold, trust, critic flag, community) change
during a run (turnover, interventions) and live in :class:`simulation.people.People`; the
structure here is read-only and can be shared by many replicates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .errors import OrganizationError
from .kernels.build import edges_to_csr, group_by, listed_ties_csr, team_edges
from .states import ROLE_EMPLOYEE, ROLE_LEADER, ROLE_MANAGER, ROLE_VETERAN

if TYPE_CHECKING:
    from .config import OrganizationConfig

__all__ = [
    "IC",
    "LEADER_POS",
    "MANAGER_POS",
    "WEIGHT_SCALE",
    "OrgChart",
    "Organization",
    "chart_positions",
    "depth_of",
    "draw_tenure",
    "informal_ties",
    "organization_ties",
]

# positions (slots in the hierarchy); roles (employee/veteran) also depend on the person's tenure
IC, MANAGER_POS, LEADER_POS = 0, 1, 2
WEIGHT_SCALE = 100  # tie weights are stored as integers: weight 1.0 == 100
#: the slot a role given in an org chart puts a person in
ROLE_POSITIONS = {
    ROLE_EMPLOYEE: IC,
    ROLE_MANAGER: MANAGER_POS,
    ROLE_VETERAN: IC,
    ROLE_LEADER: LEADER_POS,
}


class TieArrays:
    """Undirected ties as symmetric CSR arrays ``indptr`` and ``indices`` (neighbours of i are
    ``indices[indptr[i]:indptr[i + 1]]``): what organizations and research networks share."""

    @property
    def degree(self) -> np.ndarray:
        return np.diff(self.indptr)

    @property
    def n_ties(self) -> int:
        """Undirected ties."""
        return int(self.indices.shape[0] // 2)

    def neighbours(self, i: int) -> np.ndarray:
        return self.indices[self.indptr[i] : self.indptr[i + 1]]

    def tie_sources(self) -> np.ndarray:
        """For every directed tie entry, the person it starts from (int32, like ``indices``)."""
        return np.repeat(np.arange(self.indptr.shape[0] - 1, dtype=np.int32), self.degree)


@dataclass(frozen=True, eq=False)
class Organization(TieArrays):
    """Static structure of an organization of ``n`` people (index 0..n-1).

    Attributes
    ----------
    manager : int32 (n,)      index of one's manager, -1 for the top leader
    department : int32 (n,)   department index into ``department_names``
    position : int8 (n,)      0 individual contributor, 1 middle manager, 2 leader
    tenure_years : float64 (n,)  tenure at week 0
    indptr, indices, weight : informal ties as symmetric CSR; ``weight`` is an int32 with
        ``WEIGHT_SCALE`` = 1.0, so influence sums are exact integers in both engines
    department_names : names of the departments
    employee_ids : original ids (str) for an imported org chart, else None
    role_override : int8 (n,) or None: roles given explicitly in an org chart (-1 = derive)
    """

    manager: np.ndarray
    department: np.ndarray
    position: np.ndarray
    tenure_years: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    weight: np.ndarray
    department_names: tuple[str, ...]
    employee_ids: np.ndarray | None = None
    role_override: np.ndarray | None = None

    @property
    def n(self) -> int:
        return int(self.manager.shape[0])

    @property
    def n_departments(self) -> int:
        return len(self.department_names)

    @property
    def team(self) -> np.ndarray:
        """A team is the group of one manager's direct reports: team id = manager index."""
        return self.manager

    def cross_department_mask(self) -> np.ndarray:
        """For every directed tie entry: do its ends sit in different departments?"""
        return self.department[self.tie_sources()] != self.department[self.indices]

    def top(self) -> int:
        return int(np.flatnonzero(self.manager < 0)[0])

    @classmethod
    def from_chart(
        cls, chart: OrgChart, cfg: OrganizationConfig, rng: np.random.Generator
    ) -> Organization:
        """The organization of a parsed org chart (:func:`scenarios.read_org_chart` reads and
        validates the files). Positions follow the hierarchy and the roles given; tenures not
        given are drawn as the generator draws them; without a tie list, informal ties are
        generated as for a synthetic organization (in that order, from ``rng``)."""
        position = chart_positions(chart.manager, chart.roles)
        tenure = draw_tenure(position, cfg, rng, chart.tenure_years)
        n_departments = len(chart.department_names)
        indptr, indices, weight = organization_ties(
            chart.manager, chart.department, n_departments, cfg, rng, chart.ties
        )
        return cls(
            manager=chart.manager.astype(np.int32),
            department=chart.department,
            position=position,
            tenure_years=tenure,
            indptr=indptr,
            indices=indices,
            weight=weight,
            department_names=chart.department_names,
            employee_ids=chart.employee_ids,
            role_override=chart.roles,
        )


@dataclass(frozen=True, eq=False)
class OrgChart:
    """An org chart as read and validated from files (:func:`scenarios.read_org_chart`), before
    the model layer makes an :class:`Organization` of it (:meth:`Organization.from_chart`).

    Attributes
    ----------
    manager : (n,) index of one's manager, -1 for the single top leader (a valid tree)
    department : int32 (n,) index into ``department_names``
    department_names : the departments, in order of first appearance
    employee_ids : object (n,) the ids of the file
    roles : int8 (n,) role codes given (-1: derive from the hierarchy and tenure), or None
    tenure_years : float64 (n,) tenures given (NaN: draw one), or None
    ties : the listed informal ties (source rows, target rows, int32 weights with
        ``WEIGHT_SCALE`` = 1.0), or None to generate them
    """

    manager: np.ndarray
    department: np.ndarray
    department_names: tuple[str, ...]
    employee_ids: np.ndarray
    roles: np.ndarray | None = None
    tenure_years: np.ndarray | None = None
    ties: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None


def chart_positions(manager: np.ndarray, roles: np.ndarray | None) -> np.ndarray:
    """Slots from the hierarchy: the top and the executive team (reports of the top with
    reports) lead, other bosses manage; a role given puts a person in its slot."""
    n = manager.shape[0]
    has_reports = np.bincount(manager[manager >= 0], minlength=n) > 0
    position = np.where(has_reports, MANAGER_POS, IC).astype(np.int8)
    top = manager < 0
    position[top] = LEADER_POS
    position[has_reports & np.isin(manager, np.flatnonzero(top))] = LEADER_POS
    if roles is not None:
        for code, pos in ROLE_POSITIONS.items():
            position[roles == code] = pos
    return position


def draw_tenure(
    position: np.ndarray,
    cfg: OrganizationConfig,
    rng: np.random.Generator,
    given: np.ndarray | None = None,
) -> np.ndarray:
    """Tenures in years: those ``given`` (NaN: missing) kept, the others drawn from the gamma
    distribution of ``cfg``, plus ``promoted_tenure_years`` for managers and leaders. The
    generator draws everyone's; an imported org chart, the missing ones."""
    tenure = np.full(position.shape[0], np.nan) if given is None else given.astype(np.float64)
    missing = np.isnan(tenure)
    drawn = rng.gamma(
        cfg.tenure_shape, cfg.tenure_mean_years / cfg.tenure_shape, int(missing.sum())
    )
    drawn[position[missing] != IC] += cfg.promoted_tenure_years
    tenure[missing] = drawn
    return tenure


def organization_ties(
    manager: np.ndarray,
    department: np.ndarray,
    n_departments: int,
    cfg: OrganizationConfig,
    rng: np.random.Generator,
    listed: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
):
    """CSR informal ties: generated as ``cfg`` says (:func:`informal_ties`), or the ``listed``
    ties (source rows, target rows, weights) plus the team ties of the hierarchy (so nobody is
    isolated). A pair listed more than once counts once, with its largest weight; a listed tie
    between teammates adds to their team tie."""
    if listed is None:
        return informal_ties(
            manager,
            department,
            n_departments,
            rng,
            within=cfg.ties_within_department,
            across=cfg.ties_across_departments,
            weight_team=cfg.weight_team,
            weight_department=cfg.weight_department,
            weight_across=cfg.weight_across,
        )
    src, dst, weight = listed
    t_src, t_dst = team_edges(manager)
    team_w = np.full(t_src.size, round(cfg.weight_team * WEIGHT_SCALE), np.int32)
    return listed_ties_csr(manager.shape[0], src, dst, weight, t_src, t_dst, team_w)


def depth_of(manager: np.ndarray) -> np.ndarray:
    """Depth in the hierarchy (top = 0) for a valid, acyclic manager array. O(n)."""
    n = manager.shape[0]
    depth = np.full(n, -1, np.int64)
    depth[manager < 0] = 0
    frontier = np.flatnonzero(manager < 0)
    ptr, members = group_by(manager.astype(np.int64), n)
    level = 0
    while frontier.size:
        level += 1
        starts, stops = ptr[frontier], ptr[frontier + 1]
        counts = stops - starts
        if counts.sum() == 0:
            break
        offs = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        frontier = members[offs]
        depth[frontier] = level
    return depth


def informal_ties(
    manager: np.ndarray,
    department: np.ndarray,
    n_departments: int,
    rng: np.random.Generator,
    *,
    within: float,
    across: float,
    weight_team: float,
    weight_department: float,
    weight_across: float,
):
    """Dense team ties, sparse random ties within and across departments (small world).

    Every person starts Poisson(within/2) ties to random colleagues of the same department and
    Poisson(across/2) ties to random people of other departments (so mean degrees are
    ``within`` and ``across``). Vectorised numpy: fine at millions of people.
    """
    n = manager.shape[0]
    t_src, t_dst = team_edges(manager)
    dept_ptr, dept_members = group_by(department.astype(np.int64), n_departments)
    sizes = np.diff(dept_ptr)
    d_src, d_dst = _random_ties(rng, department, dept_ptr, dept_members, sizes, within, True)
    x_src, x_dst = _random_ties(rng, department, dept_ptr, dept_members, sizes, across, False)
    src = np.concatenate([t_src, d_src, x_src])
    dst = np.concatenate([t_dst, d_dst, x_dst])
    w = np.concatenate(
        [
            np.full(t_src.size, round(weight_team * WEIGHT_SCALE), np.int32),
            np.full(d_src.size, round(weight_department * WEIGHT_SCALE), np.int32),
            np.full(x_src.size, round(weight_across * WEIGHT_SCALE), np.int32),
        ]
    )
    return edges_to_csr(n, src, dst, w)


def _random_ties(rng, department, dept_ptr, dept_members, sizes, mean_degree, same):
    n = department.shape[0]
    counts = rng.poisson(mean_degree / 2.0, n) if mean_degree > 0 else np.zeros(n, np.int64)
    src = np.repeat(np.arange(n, dtype=np.int32), counts)
    d = department[src]
    size = sizes[d]
    u = rng.random(src.size)
    if same:
        ok = size > 1
        pos = np.floor(u * size).astype(np.int64)
        tgt = dept_members[dept_ptr[d] + pos]
        # a self-tie is moved to the next colleague in the department
        self_tie = tgt == src
        pos = np.where(self_tie, (pos + 1) % np.maximum(size, 1), pos)
        tgt = dept_members[dept_ptr[d] + pos]
    else:
        outside = n - size
        ok = outside > 0
        # uniform over people outside one's department: skip over the department's block
        # in department-sorted order
        pos = np.floor(u * np.maximum(outside, 1)).astype(np.int64)
        pos = np.where(pos >= dept_ptr[d], pos + size, pos)
        tgt = dept_members[np.minimum(pos, n - 1)]
    return src[ok], tgt[ok].astype(np.int32)


def validate_hierarchy(manager: np.ndarray) -> None:
    """Raise if the manager array is not a single tree (one top, no cycles, valid indices)."""
    n = manager.shape[0]
    if np.any((manager < -1) | (manager >= n)):
        raise OrganizationError("manager index out of range")
    tops = np.flatnonzero(manager < 0)
    if tops.size != 1:
        raise OrganizationError(f"expected exactly one top leader, found {tops.size}")
    if np.any(depth_of(manager) < 0):
        raise OrganizationError("the management chain has a cycle")
