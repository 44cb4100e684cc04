"""The two engines: one dynamics, two ways to run it.

``agents``: every person is a Mesa agent whose ``step()`` applies the rule in plain Python and
reads its contacts directly; head counts come from ``numpy.bincount``.
``numba``: a compiled kernel applies the same rule over the arrays; exposure sums and head counts
are maintained incrementally. Mesa agent objects are created on demand, as views.
Both use the same weekly draws (:mod:`simulation.draws`), so they give the same trajectory,
state for state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from .agents import AGENT_CLASSES, Person
from .draws import uniforms
from .errors import ConfigError
from .states import ENGAGED, ROLES, STATES

__all__ = [
    "AUTO_NUMBA_AGENT_WEEKS",
    "Aggregates",
    "AgentsEngine",
    "NumbaEngine",
    "make_engine",
    "resolve_engine",
]

#: ``engine="auto"`` uses numba when employees x weeks x runs reaches this many agent-weeks
#: (a single default run, 1,000 x 104, stays on the readable agents engine).
AUTO_NUMBA_AGENT_WEEKS = 500_000
ENGINES = ("agents", "numba", "auto")


def resolve_engine(engine: str, n_employees: int, weeks: int, runs: int = 1) -> str:
    if engine not in ENGINES:
        raise ConfigError(f"engine {engine!r} is not one of {', '.join(ENGINES)}")
    if engine != "auto":
        return engine
    return "numba" if n_employees * weeks * runs >= AUTO_NUMBA_AGENT_WEEKS else "agents"


@dataclass
class Aggregates:
    """Head counts: by state x role, by state x department, and per community
    (members, activity sum, engaged)."""

    by_role: np.ndarray  # int64 (n_states, n_roles)
    by_dept: np.ndarray  # int64 (n_states, n_departments)
    comm: np.ndarray  # int64 (n_communities, 3)

    @property
    def by_state(self) -> np.ndarray:
        return self.by_role.sum(axis=1)


def _activity_of(state: np.ndarray) -> np.ndarray:
    from .agents import _ACTIVITY

    return _ACTIVITY[state]


class AgentsEngine:
    """Mesa agents stepping in plain Python (the readable reference)."""

    name = "agents"

    def __init__(self, model):
        self.model = model
        self.agents: list[Person] = [
            AGENT_CLASSES[int(r)](model, i) for i, r in enumerate(model.people.role)
        ]

    def agent(self, i: int) -> Person:
        return self.agents[i]

    def replaced(self, idx: np.ndarray) -> None:
        """New people (hires) or new roles (veterans) at ``idx``: new agent objects."""
        for i in idx:
            self.agents[i].remove()
            self.agents[i] = AGENT_CLASSES[int(self.model.people.role[i])](self.model, i)

    def sync(self, idx: np.ndarray | None = None) -> None:
        """Nothing to do: agents read their contacts directly."""

    def aggregates(self) -> Aggregates:
        m = self.model
        p, org = m.people, m.org
        n_s, n_r, n_d = len(STATES), len(ROLES), org.n_departments
        by_role = np.bincount(p.state.astype(np.int64) * n_r + p.role, minlength=n_s * n_r).reshape(
            n_s, n_r
        )
        by_dept = np.bincount(
            p.state.astype(np.int64) * n_d + org.department, minlength=n_s * n_d
        ).reshape(n_s, n_d)
        members = p.community >= 0
        c, st = p.community[members], p.state[members]
        n_c = p.n_communities
        comm = (
            np.stack(
                [
                    np.bincount(c, minlength=n_c),
                    np.bincount(c, weights=_activity_of(st), minlength=n_c).astype(np.int64),
                    np.bincount(c[st == ENGAGED], minlength=n_c),
                ],
                axis=1,
            )
            .astype(np.int64)
            .reshape(n_c, 3)
        )
        return Aggregates(by_role.astype(np.int64), by_dept.astype(np.int64), comm)

    def decide(self, key: int) -> np.ndarray:
        m = self.model
        m.draws = uniforms(key, m.people.n)
        m.next_state = m.people.state.copy()
        before = m.people.community.copy()
        m.agents.do("step")  # synchronous: each writes m.next_state, reads this week's state
        return np.flatnonzero((m.next_state != m.people.state) | (m.people.community != before))

    def commit(self, changed: np.ndarray) -> None:
        """The new states of ``changed`` take effect (the model's bookkeeping, in numpy)."""
        self.model._commit(changed)


class NumbaEngine:
    """Compiled kernels over the arrays; incremental exposure and head counts."""

    name = "numba"

    def __init__(self, model):
        from .kernels import weekly

        self.k = weekly
        self.model = model
        p, org = model.people, model.org
        n = p.n
        # exposure sums: int32 while no sum can overflow it, else int64 (exact either way)
        self.influence_cap = weekly.int32_influence_cap(org.indptr, org.weight)
        self.X = np.zeros((n, weekly.N_EXPOSURE), np.int32)
        self.rec = (
            np.full(n, -1, np.int8),
            np.zeros(n, np.int8),
            np.full(n, -1, np.int32),
            np.zeros(n, np.int64),
            np.zeros(n, np.bool_),
        )
        self.by_role = np.zeros((len(STATES), len(ROLES)), np.int64)
        self.by_dept = np.zeros((len(STATES), org.n_departments), np.int64)
        self.comm = np.zeros((0, 3), np.int64)
        self.next_state = np.empty(n, np.int8)
        self.changed = np.empty(n, np.int64)
        # the weekly pass works in one block of people per thread (any count gives the same
        # result): per-block head-count changes, ties to visit, spilled exposure additions
        self.parts = max(1, min(numba.get_num_threads(), n))
        self.visits = np.zeros(self.parts, np.int64)
        self.voiced = np.zeros(self.parts, np.int64)
        self.first = np.zeros(self.parts, np.int64)
        self.block_start = n * np.arange(self.parts, dtype=np.int64) // self.parts
        self.acc_role = np.zeros((self.parts, *self.by_role.shape), np.int64)
        self.acc_dept = np.zeros((self.parts, *self.by_dept.shape), np.int64)
        self.acc_comm = np.zeros((self.parts, 0, 3), np.int64)
        self.spill = np.empty((0, 1 + weekly.N_EXPOSURE), np.int64)
        self.views: dict[int, Person] = {}
        self.tie_visits = 0  # ties visited pushing exposure changes (for benchmarks)
        # whose voice changed, and by how much (after syncs and decisions, for push_changes);
        # at most everyone
        self.who = np.empty(n, np.int64)
        self.delta = np.empty((n, weekly.N_EXPOSURE), np.int64)
        self.sync()

    def agent(self, i: int) -> Person:
        """A Mesa agent viewing person i, created on demand."""
        role = int(self.model.people.role[i])
        view = self.views.get(i)
        if view is None or view.role != role:
            if view is not None:
                view.remove()
            view = self.views[i] = AGENT_CLASSES[role](self.model, i)
        return view

    def replaced(self, idx: np.ndarray) -> None:
        """Drop the views of replaced people (their role may have changed)."""
        if self.views:
            for i in self.views.keys() & set(idx.tolist()):
                self.views.pop(i).remove()

    def _cur(self):
        p = self.model.people
        return (p.state, p.role, p.community, p.influence, p.critic)

    def sync(self, idx: np.ndarray | None = None) -> None:
        """Push changed voices to contacts' sums and update head counts."""
        p, org = self.model.people, self.model.org
        if self.X.dtype == np.int32:
            infl = p.influence if idx is None else p.influence[idx]
            if infl.size and int(infl.max()) > self.influence_cap:
                self.X = self.X.astype(np.int64)
        if self.comm.shape[0] < p.n_communities:
            grown = np.zeros((p.n_communities, 3), np.int64)
            grown[: self.comm.shape[0]] = self.comm
            self.comm = grown
        args = (self._cur(), self.rec, org.indptr, org.department, self.by_role, self.by_dept,
                self.comm, self.who, self.delta)
        if idx is None:
            count, visits = self.k.sync_all(*args)
        else:
            count, visits = self.k.sync_list(np.sort(idx).astype(np.int64), *args)
        self.tie_visits += int(visits)
        if count:
            self.k.blocks_of(self.who, count, org.indptr, p.n, self.first, self.voiced,
                             self.visits)
            self._push(int(visits))

    def _push(self, visits: int) -> None:
        """Push the changes listed block by block in ``who``/``delta`` (``first``, ``voiced``,
        ``visits``) to the contacts' exposure sums."""
        if visits:
            org = self.model.org
            if self.spill.shape[0] < visits:
                self.spill = np.empty((int(visits * 1.25), 1 + self.X.shape[1]), np.int64)
            self.k.push_changes(self.who, self.delta, self.first, self.voiced, self.visits,
                                org.indptr, org.indices, org.weight, self.X, self.spill)

    def aggregates(self) -> Aggregates:
        return Aggregates(self.by_role.copy(), self.by_dept.copy(), self.comm.copy())

    def decide(self, key: int) -> np.ndarray:
        m = self.model
        p, org, d = m.people, m.org, m.config.dynamics
        if self.acc_comm.shape[1] != self.comm.shape[0]:
            self.acc_comm = np.zeros((self.parts, self.comm.shape[0], 3), np.int64)
        count, visits = self.k.decide_all(
            p.state,
            self.next_state,
            key,
            self.X,
            m.week,
            p.hired_week,
            d.newcomer_weeks,
            d.newcomer_veteran_weight - 1,
            org.manager,
            p.attitude,
            p.support_boost,
            p.community,
            self.comm,
            p.community_goal,
            p.community_helper,
            org.department,
            p.dept_community,
            p.access,
            p.helper,
            p.reach,
            p.push,
            p.compliance,
            p.fatigue,
            p.autonomy,
            p.mastery,
            p.purpose,
            p.community_drive,
            p.trust,
            p.threshold,
            m.params,
            m.week_env,
            p.role,
            p.influence,
            p.critic,
            self.rec[0],
            self.rec[2],
            org.indptr,
            self.parts,
            self.changed,
            self.who,
            self.delta,
            self.voiced,
            self.visits,
            self.acc_role,
            self.acc_dept,
            self.acc_comm,
            self.by_role,
            self.by_dept,
        )
        # exposure: this week's movers' voice changes, listed block by block from each
        # block's first row
        self.first[:] = self.block_start
        self._push(int(visits))
        self.tie_visits += int(visits)
        m.next_state = self.next_state
        return self.changed[:count].copy()

    def commit(self, changed: np.ndarray) -> None:
        """The new states of ``changed`` take effect, and first sign-ups and adoptions are
        noted, as ``AdoptionModel._commit`` does (head counts, records and exposure were
        updated in :meth:`decide`)."""
        m = self.model
        signups, adoptions = self.k.commit(changed, self.next_state, m.people.state, m.tried,
                                           m.adopted_week, m.week)
        m.signups += int(signups)
        m.adoptions[m.week] += int(adoptions)


def make_engine(name: str, model):
    if name == "agents":
        return AgentsEngine(model)
    if name == "numba":
        return NumbaEngine(model)
    raise ConfigError(f"engine {name!r} is not one of agents, numba")
