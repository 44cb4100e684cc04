"""Business value measured week by week (docs/ODD.md 7.12): the hours active people save through
fewer and shorter meetings where their department works out loud, and through reuse of what
contributors wrote, in their own department and, through cross-department ties and communities
open to several departments, in others. A council's practising members bridge their departments
while they practise (:meth:`ValueMeter.link`).

Everything is computed from the week's head counts by department and state and by community
(``model.aggregates``), the same numbers in both engines, and from a department x
department count of cross-department ties made once from the organization's network: a week
costs O(departments + department pairs with a tie), nothing per person.
"""

from __future__ import annotations

import numpy as np

from .kernels.jit import njit
from .states import ADOPTED, ENGAGED

__all__ = ["SOURCES", "ValueMeter", "combine_bridges", "cross_department_ties",
           "department_bridges", "measure_week"]

#: the sources of hours saved, in the order of :attr:`ValueMeter.hours`'s columns
SOURCES = ("meetings", "reuse", "cross_department_reuse")


def cross_department_ties(org) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The department x department matrix of cross-department tie ends, sparse: for every pair
    of departments (d, e), d != e, with at least one tie between them, ``(d, e, count)``, where
    count is the number of ties from a member of d to a member of e (the CSR network is
    symmetric: count(d, e) == count(e, d)). Sorted by (d, e)."""
    n_d = org.n_departments
    if n_d * n_d <= 1 << 22:  # a dense count (one pass over the ties)
        counts = _dense_counts(org.indptr, org.indices, org.department, n_d)
        pairs = np.flatnonzero(counts)
        counts = counts[pairs]
    else:  # many departments: sort the keys of the cross-department ties
        src = np.repeat(org.department, org.degree)
        dst = org.department[org.indices]
        cross = src != dst
        keys = src[cross].astype(np.int64) * n_d + dst[cross]
        pairs, counts = np.unique(keys, return_counts=True)
    return pairs // n_d, pairs % n_d, counts.astype(np.int64)


@njit
def _dense_counts(indptr, indices, department, n_d):
    """Cross-department tie ends by (department of the person, of the contact), flattened."""
    counts = np.zeros(n_d * n_d, np.int64)
    for i in range(indptr.shape[0] - 1):
        d = department[i]
        for k in range(indptr[i], indptr[i + 1]):
            e = department[indices[k]]
            if e != d:
                counts[d * n_d + e] += 1
    return counts


def department_bridges(org) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every pair (d, e) of departments with a tie between them: the share of d's members
    who reach e through a tie of their own, ``1 - exp(-ties(d, e) / size(d))`` (ties placed at
    random among d's members: the Poisson share with at least one)."""
    d, e, count = cross_department_ties(org)
    size = np.bincount(org.department, minlength=org.n_departments)
    bridge = -np.expm1(-count / np.maximum(size[d], 1))
    return d, e, bridge


@njit
def measure_week(by_dept, comm, open_community, pair_from, pair_to, bridge, meeting_hours,
                 meeting_half_share, reuse_hours, reuse_half, cross_relevance, out):
    """One week's hours saved, written to ``out`` (meetings, reuse within the department,
    reuse across departments), from the head counts ``by_dept`` (states x departments), the
    communities' head counts ``comm`` (members, activity sum, engaged) and each department's
    open community ``open_community`` (-1: none).

    For department d with n members, A active (adopted or engaged) and E engaged:
      meetings  A * meeting_hours * s / (s + meeting_half_share),  s = E / n
      reach     within  W = E;  across  X = cross_relevance * sum_e bridge(d, e) * E_e
      reuse     A * reuse_hours * W / (W + reuse_half)
      cross     A * reuse_hours * ((W + X) / (W + X + reuse_half) - W / (W + reuse_half))
    (reuse across departments is what the bridges add to the reuse within: nothing without a
    cross-department tie). A community open to several departments (``scope = "across"``)
    adds, for its members from d (its active members, a trying one counting half, in the
    proportion n / N of its departments' N people), its engaged members from the other
    departments, E_c * (1 - n / N), to their reach, in full (they share its goal):
      cross += M * reuse_hours * ((W + X + C) / (W + X + C + reuse_half)
                                  - (W + X) / (W + X + reuse_half))
    with M = min(A, activity_c / 2 * n / N) and C = E_c * (1 - n / N)."""
    n_states, n_d = by_dept.shape
    across = np.zeros(n_d)
    for k in range(pair_from.shape[0]):
        across[pair_from[k]] += bridge[k] * by_dept[ENGAGED, pair_to[k]]
    size = np.zeros(n_d)
    for d in range(n_d):
        for s in range(n_states):
            size[d] += by_dept[s, d]
    # the departments each community is open to, and their people
    n_c = comm.shape[0]
    spans = np.zeros(n_c, np.int64)
    people = np.zeros(n_c)
    for d in range(n_d):
        c = open_community[d]
        if c >= 0:
            spans[c] += 1
            people[c] += size[d]
    meet = 0.0
    reuse = 0.0
    cross = 0.0
    for d in range(n_d):
        active = by_dept[ADOPTED, d] + by_dept[ENGAGED, d]
        if active == 0:
            continue
        within = float(by_dept[ENGAGED, d])
        share = within / size[d]
        meet += active * meeting_hours * share / (share + meeting_half_share)
        reach = within + cross_relevance * across[d]
        own = within / (within + reuse_half)
        reached = reach / (reach + reuse_half)
        reuse += active * reuse_hours * own
        cross += active * reuse_hours * (reached - own)
        c = open_community[d]
        if c >= 0 and spans[c] > 1:
            part = size[d] / people[c]
            members = min(float(active), comm[c, 1] / 2 * part)
            more = reach + comm[c, 2] * (1.0 - part)
            cross += members * reuse_hours * (more / (more + reuse_half) - reached)
    out[0] = meet
    out[1] = reuse
    out[2] = cross


def combine_bridges(network: tuple[np.ndarray, np.ndarray, np.ndarray],
                    links: list[tuple[np.ndarray, np.ndarray, float]],
                    n_departments: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs of departments with a way across (sorted by (from, to)) and their bridges:
    ``network``'s ``(from, to, bridge)`` and, for each of ``links``, the pairs of its
    departments ``(departments, level, share)`` with ``share * level(d) * level(e)``; where
    several ways join d to e, the share reached through at least one of them,
    ``1 - prod(1 - share)``. With no links, ``network`` itself (the same numbers)."""
    if not links:
        return network
    n_d = np.int64(n_departments)
    tied = network[0].astype(np.int64) * n_d + network[1]
    keys, miss = [], []
    for departments, level, share in links:
        d, e = departments[:, None], departments[None, :]  # every (d, e), row by row
        reached = share * (level[:, None] * level[None, :])
        other = (d != e) & (reached > 0.0)
        keys.append((d * n_d + e)[other])
        miss.append(1.0 - reached[other])
    linked = np.concatenate(keys)
    at = np.searchsorted(tied, linked)
    if tied.size and (tied[np.minimum(at, tied.size - 1)] == linked).all():
        frm, to, bridge = network[0], network[1], network[2].copy()  # pairs the ties join
    else:  # pairs no tie joins too
        every = np.union1d(tied, linked)
        at = np.searchsorted(every, linked)
        frm, to = every // n_d, every % n_d
        bridge = np.zeros(every.shape[0])
        bridge[np.searchsorted(every, tied)] = network[2]
    # pairs no link joins keep the ties' bits
    missed = np.ones(bridge.shape[0])
    np.multiply.at(missed, at, np.concatenate(miss))
    joined = missed < 1.0
    bridge[joined] = 1.0 - (1.0 - bridge[joined]) * missed[joined]
    return frm, to, bridge


def _same_link(a: tuple[np.ndarray, np.ndarray, float],
               b: tuple[np.ndarray, np.ndarray, float]) -> bool:
    """Whether two links (departments, level, share) are the same, bit for bit."""
    return (a[2] == b[2] and a[0].shape == b[0].shape and a[1].shape == b[1].shape
            and a[0].tobytes() == b[0].tobytes() and a[1].tobytes() == b[1].tobytes())


class ValueMeter:
    """Hours saved, measured every week of a run (:meth:`measure` after each week's moves).

    ``hours``: float64 (weeks + 1, 3), the hours saved in each week by source (:data:`SOURCES`);
    week 0 is the organization before the initiative. The network's bridges between
    departments are made once (the ties do not change during a run); a council's bridges
    join them while its members practise (:meth:`link`)."""

    def __init__(self, model):
        v = model.config.value
        self._params = (float(v.meeting_hours), float(v.meeting_half_share),
                        float(v.reuse_hours), float(v.reuse_half_contributors),
                        float(v.cross_relevance))
        self.network = department_bridges(model.org)  # the ties' bridges: fixed for the run
        self.pairs = self.network  # ... and with what people link this week (link)
        self._links: dict[object, tuple[np.ndarray, np.ndarray, float]] = {}
        self.n_departments = model.org.n_departments
        self.n = model.people.n
        self.hours = np.zeros((model.config.weeks + 1, len(SOURCES)))

    def measure(self, week: int, by_dept: np.ndarray, comm: np.ndarray,
                open_community: np.ndarray) -> None:
        """Measure week ``week`` from its head counts by state x department, the communities'
        head counts and each department's open community."""
        measure_week(by_dept, comm, open_community, *self.pairs, *self._params,
                     self.hours[week])

    def link(self, key, departments: np.ndarray, level: np.ndarray, share: float = 1.0) -> None:
        """Bridges that ``key`` (a council) makes between departments from this week on,
        replacing its previous ones: ``level[k]`` in [0, 1] for department ``departments[k]``
        (each listed once); department d reaches e's contributors through it with the share
        ``share * level(d) * level(e)`` (d != e), and through the ties or it with
        ``1 - (1 - bridge(d, e)) * (1 - share * level(d) * level(e))`` (independent ways
        across). An empty ``departments`` (or no level above 0) removes ``key``'s bridges."""
        departments = np.asarray(departments, np.int64)
        level = np.asarray(level, np.float64)
        new = (departments, level, float(share))
        old = self._links.get(key)
        if old is not None and _same_link(old, new):
            return  # the bridges it makes are those it made (a council's usual meeting)
        if departments.size and share * level.max() > 0.0:
            self._links[key] = new
        elif self._links.pop(key, None) is None:
            return  # it made none and makes none
        self.pairs = combine_bridges(self.network, list(self._links.values()), self.n_departments)

    def per_person_week(self, week: int, weeks: int) -> float:
        """Hours saved per person and week over the ``weeks`` weeks up to ``week`` (inclusive,
        from week 1 on): what a report published in week ``week`` can show."""
        first = max(1, week - weeks + 1)
        if week < first:
            return 0.0
        return float(self.hours[first : week + 1].sum() / (self.n * (week + 1 - first)))

    def totals(self, week: int) -> dict[str, float]:
        """Hours saved by source over weeks 1 .. ``week``."""
        sums = self.hours[1 : week + 1].sum(axis=0)
        return {name: float(h) for name, h in zip(SOURCES, sums, strict=True)}
