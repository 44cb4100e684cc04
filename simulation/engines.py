"""The two engines: one dynamics, two ways to run it.

``agents``: every person is a Mesa agent whose ``step()`` applies the rule in plain Python and
reads its contacts directly; head counts come from ``numpy.bincount``.
``numba``: a compiled kernel applies the same rule over the arrays; exposure sums and head counts
are maintained incrementally. Mesa agent objects are created on demand, as views.
Both use the same weekly draws (:mod:`simulation.draws`), so they give the same trajectory,
state for state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .agents import AGENT_CLASSES, Person
from .draws import uniforms
from .errors import ConfigError
from .inputs import Groups, community_shares
from .kernels.jit import Direct, invalidate_stale_cache, njit
from .kernels.threads import parts_for, run_on, threads_now
from .records import commit_moves
from .rule import activity, activity_share
from .states import ADOPTED, ENGAGED, ROLES, STATES

# _week_groups compiles in rule.activity_share and the states' numbers: its cached machine code
# goes when they change
invalidate_stale_cache(__file__, ["rule.py", "states.py"])

__all__ = [
    "AUTO_NUMBA_AGENT_WEEKS",
    "Aggregates",
    "AgentsEngine",
    "ENGINES",
    "EngineName",
    "NumbaEngine",
    "SECONDS_PER_AGENT_WEEK",
    "decision_view",
    "estimated_seconds",
    "make_engine",
    "resolve_engine",
]

#: the engine names, in one place (``auto`` picks one of the first two)
AGENTS, NUMBA, AUTO = "agents", "numba", "auto"
ENGINES = (AGENTS, NUMBA, AUTO)
EngineName = Literal[ENGINES]
#: ``engine="auto"`` uses numba when employees x weeks x runs reaches this many agent-weeks
#: (a single default run, 1,000 x 104, stays on the readable agents engine).
AUTO_NUMBA_AGENT_WEEKS = 500_000
#: about how long one employee-week takes on each engine, in seconds (measured with
#: benchmarks/bench.py, rounded up): when to show a progress bar, how to batch a sweep's runs
SECONDS_PER_AGENT_WEEK = {AGENTS: 75e-6, NUMBA: 30e-9}


def resolve_engine(engine: str, n_employees: int, weeks: int, runs: int = 1) -> str:
    if engine not in ENGINES:
        raise ConfigError(f"engine {engine!r} is not one of {', '.join(ENGINES)}")
    if engine != AUTO:
        return engine
    return NUMBA if n_employees * weeks * runs >= AUTO_NUMBA_AGENT_WEEKS else AGENTS


def estimated_seconds(engine: str, n_employees: int, weeks: int) -> float:
    """About how long one run takes on ``engine`` (a resolved engine name)."""
    return n_employees * weeks * SECONDS_PER_AGENT_WEEK[engine]


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


def decision_view(model, counts: np.ndarray,
                  kept: dict[str, np.ndarray] | None = None) -> tuple:
    """What :func:`simulation.inputs.gather` reads besides a person's exposure: the people's
    arrays, managers, departments and the communities (with their head counts ``counts``, and
    their activity shares, :func:`~simulation.inputs.community_shares`).

    ``kept`` (the numba engine's): the week's arrays of the last view by name (``helper``,
    ``shares``, ``dept_active``); this week's are computed into them by one compiled call
    instead (the same numbers), an array of another length replaced and kept there. The
    decision pass's bundle then stays the one the engine checked: a new array each week made
    it check about a hundred arrays and dispatch the kernel again every week."""
    p, org = model.people, model.org
    by_dept = model.aggregates.by_dept
    if kept is None:
        size = by_dept.sum(axis=0)
        dept_active = (by_dept[ADOPTED] + by_dept[ENGAGED]) / np.maximum(size, 1)
        helper, shares_now = community_help(p, counts), community_shares(counts)
    else:
        helper = _kept_array(kept, "helper", counts.shape[0])
        shares_now = _kept_array(kept, "shares", counts.shape[0])
        dept_active = _kept_array(kept, "dept_active", by_dept.shape[1])
        _week_groups(counts, p.community_helper, p.community_capacity, by_dept, helper,
                     shares_now, dept_active)
    groups = Groups(counts, p.community_goal, helper, p.dept_community, shares_now, dept_active)
    return p.arrays(), org.manager, org.department, groups


def community_help(people, counts: np.ndarray) -> np.ndarray:
    """What each community's managers give each member this week: their strength while they
    have the time every member needs, thinning beyond it, ``strength x min(1, capacity /
    members)`` (members: this week's head count, as both engines count it)."""
    members = np.maximum(counts[:, 0], 1).astype(np.float64)
    return people.community_helper * np.minimum(1.0, people.community_capacity / members)


def _kept_array(kept: dict[str, np.ndarray], name: str, size: int) -> np.ndarray:
    """``kept[name]`` if it holds ``size`` float64 numbers, else a new array kept there."""
    a = kept.get(name)
    if a is None or a.shape != (size,):
        a = kept[name] = np.empty(size)
    return a


@njit
def _week_groups(counts, community_helper, community_capacity, by_dept, helper, shares,
                 dept_active):
    """:func:`community_help`, :func:`~simulation.inputs.community_shares` and each
    department's active share, as :func:`decision_view` computes them, written into
    ``helper``, ``shares`` and ``dept_active`` (the same numbers, one compiled pass)."""
    for c in range(counts.shape[0]):
        members = float(max(counts[c, 0], 1))
        helper[c] = community_helper[c] * min(1.0, community_capacity[c] / members)
        shares[c] = activity_share(counts[c, 0], counts[c, 1])
    for d in range(by_dept.shape[1]):
        size = 0
        for s in range(by_dept.shape[0]):
            size += by_dept[s, d]
        dept_active[d] = (by_dept[ADOPTED, d] + by_dept[ENGAGED, d]) / max(size, 1)


class AgentsEngine:
    """Mesa agents stepping in plain Python (the readable reference)."""

    name = AGENTS

    def __init__(self, model):
        self.model = model
        self.view: tuple | None = None  # what agents read while they decide
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
                    np.bincount(c, weights=activity(st), minlength=n_c).astype(np.int64),
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
        self.view = decision_view(m, m.aggregates.comm)  # the same for everyone this week
        try:
            m.agents.do("step")  # synchronous: each writes m.next_state, reads this week's state
        finally:
            self.view = None
        return np.flatnonzero((m.next_state != m.people.state) | (m.people.community != before))

    def commit(self, changed: np.ndarray) -> tuple[int, int]:
        """The new states of ``changed`` take effect (:func:`simulation.records.commit_moves`,
        as plain Python); returns (first sign-ups, first adoptions)."""
        m, p = self.model, self.model.people
        return commit_moves(changed, m.next_state, p.state, p.tried, p.adopted_week, p.moves,
                            p.lapses, m.week)


class NumbaEngine:
    """Compiled kernels over the arrays; incremental exposure and head counts."""

    name = NUMBA
    view = None

    def __init__(self, model):
        from .kernels import weekly

        self.k = k = weekly
        self.model = model
        p, org = model.people, model.org
        n = p.n
        # exposure sums: int32 while no sum can overflow it, else int64 (exact either way)
        self.influence_cap = k.int32_influence_cap(org.indptr, org.weight)
        self.X = np.zeros((n, k.N_EXPOSURE), np.int32)
        self.rec = k.Records(
            np.full(n, -1, np.int8),
            np.zeros(n, np.int8),
            np.full(n, -1, np.int32),
            np.zeros(n, np.int64),
            np.zeros(n, np.bool_),
        )
        self.ties = k.Ties(org.indptr, org.indices, org.weight)
        self.by_role = np.zeros((len(STATES), len(ROLES)), np.int64)
        self.by_dept = np.zeros((len(STATES), org.n_departments), np.int64)
        self.comm = np.zeros((0, 3), np.int64)
        # the weekly pass works in one block of people per thread (any count gives the same
        # result): per-block head-count changes, ties to visit, spilled exposure additions;
        # blocks for threads only where they pay, and each week only the threads that have a
        # CPU of their own (kernels.threads)
        self.parts = parts = max(1, min(parts_for(n), n))
        self.threads = threads_now(parts)
        # whose voice changed, and by how much (after syncs and decisions, for push_changes);
        # at most everyone
        self.changes = k.Changes(
            np.empty(n, np.int64),
            np.empty((n, k.N_EXPOSURE), np.int64),
            np.zeros(parts, np.int64),
            np.zeros(parts, np.int64),
            np.zeros(parts, np.int64),
        )
        self.scratch = k.Scratch(
            np.empty(n, np.int8),
            np.empty(n, np.int64),
            np.zeros((parts, *self.by_role.shape), np.int64),
            np.zeros((parts, *self.by_dept.shape), np.int64),
            np.zeros((parts, 0, 3), np.int64),
        )
        # exposure additions a block leaves to others: at most its ties to other blocks (none
        # with one block), not its ties (a buffer for every tie would not fit at 40M people)
        self.room = k.cross_block_ties(org.indptr, org.indices, parts)
        self.spill = np.empty((0, 1 + k.N_EXPOSURE), np.int64)
        self.views: dict[int, Person] = {}
        self.tie_visits = 0  # ties visited pushing exposure changes (for benchmarks)
        # the bundles each kernel call was last checked with (kernels.weekly checks dtypes and
        # shapes; the engine calls the unchecked kernels and checks again only when a bundle
        # was replaced: people's arrays, communities, exposure sums, spill, scratch)
        self._checked: dict[str, tuple] = {}
        # ... and calls them without numba's type dispatch until then (kernels.jit.Direct)
        self._direct = {call: Direct() for call in ("sync", "push", "decide")}
        self._groups: dict[str, np.ndarray] = {}  # the decision's weekly arrays (decision_view)
        self.sync()

    @property
    def tally(self):
        return self.k.Tally(self.by_role, self.by_dept, self.comm)

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
        if idx is None:
            people = None
        else:
            people = np.ascontiguousarray(idx, np.int64).reshape(-1)
            # several blocks need them ascending, each once: turnover gives them so (a check
            # of O(people), not np.unique's sort); one block syncs a person listed twice once,
            # in any order
            if self.parts > 1 and people.size > 1 and not (people[1:] > people[:-1]).all():
                people = np.unique(people)
        arrays, tally = p.arrays(), self.tally
        self._check_once("sync", (arrays, org.department, *tally), lambda: self.k.check_sync(
            arrays, self.rec, self.ties, org.department, tally, self.changes))
        count, visits = self.k.sync_unchecked(people, arrays, self.rec, self.ties,
                                              org.department, tally, self.changes,
                                              self._direct["sync"])
        self.tie_visits += int(visits)
        if count:
            self._push(int(visits))

    def _check_once(self, call: str, bundle: tuple, check: Callable[[], None]) -> None:
        """Run ``check()`` (it raises on a wrong array) unless every array of ``bundle`` is the
        very one the ``call``'s check last passed with: the engine's own arrays keep their
        dtypes and shapes while they are not replaced, and the kernels write into them in
        place."""
        ids = tuple(map(id, bundle))  # the bundle checked last is kept: its ids are its own
        if self._checked.get(call, (None,))[0] == ids:
            return
        check()
        self._checked[call] = (ids, bundle)
        self._direct[call].forget()  # a replaced array may have another type

    def _push(self, visits: int) -> None:
        """Push the changes listed in ``self.changes`` to the contacts' exposure sums."""
        if not visits:
            return
        if self.parts > 1:  # one block spills nothing
            rows = self.k.spill_rows(self.changes, self.room)
            if self.spill.shape[0] < rows:
                rows = min(int(rows * 1.25), int(self.room.sum()))
                self.spill = np.empty((rows, 1 + self.X.shape[1]), np.int64)
        self._check_once("push", (self.X, self.spill), lambda: self.k.check_push(
            self.changes, self.ties, self.X, self.room, self.spill))
        args = (self.changes, self.ties, self.X, self.spill, self.room, self._direct["push"])
        if self.parts == 1:  # no parallel region: no threads to set
            self.k.push_changes_unchecked(*args)
        else:
            run_on(self.threads, self.k.push_changes_unchecked, *args)

    def aggregates(self) -> Aggregates:
        return Aggregates(self.by_role.copy(), self.by_dept.copy(), self.comm.copy())

    def decide(self, key: int) -> np.ndarray:
        self.threads = threads_now(self.parts)
        return run_on(self.threads, self._decide, key)

    def _decide(self, key: int) -> np.ndarray:
        m = self.model
        if self.scratch.acc_comm.shape[1] != self.comm.shape[0]:
            acc_comm = np.zeros((self.parts, self.comm.shape[0], 3), np.int64)
            self.scratch = self.scratch._replace(acc_comm=acc_comm)
        people, manager, department, groups = decision_view(m, self.comm, kept=self._groups)
        tally = self.tally
        bundle = (self.X, people, manager, department, *groups, *tally, *self.scratch)
        self._check_once("decide", bundle, lambda: self.k.check_decide(
            self.X, people, manager, department, groups, self.rec, self.ties, tally,
            self.changes, self.scratch))
        count, visits = self.k.decide_all_unchecked(key, m.week, self.X, people, manager,
                                                    department, groups, m.params, m.week_env,
                                                    self.rec, self.ties, tally, self.changes,
                                                    self.scratch, self._direct["decide"])
        self._push(int(visits))  # this week's movers' voice changes
        self.tie_visits += int(visits)
        m.next_state = self.scratch.next_state
        return self.scratch.changed[:count].copy()

    def commit(self, changed: np.ndarray) -> tuple[int, int]:
        """The new states of ``changed`` take effect (:func:`simulation.records.commit_moves`,
        compiled; head counts, records and exposure were updated in :meth:`decide`); returns
        (first sign-ups, first adoptions)."""
        m, p = self.model, self.model.people
        signups, adoptions = self.k.commit(changed, self.scratch.next_state, p.state, p.tried,
                                           p.adopted_week, p.moves, p.lapses, m.week)
        return int(signups), int(adoptions)


def make_engine(name: str, model):
    engines = {AGENTS: AgentsEngine, NUMBA: NumbaEngine}
    if name not in engines:
        raise ConfigError(f"engine {name!r} is not one of {', '.join(engines)}")
    return engines[name](model)
