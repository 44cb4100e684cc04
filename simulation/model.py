"""The adoption model: a Mesa model over structure-of-arrays state, with two engines."""

from __future__ import annotations

import math

import mesa
import numpy as np

from .config import ModelConfig, Range
from .draws import week_key
from .engines import Aggregates, decision_view, make_engine, resolve_engine
from .environment import Environment
from .generator import generate_organization
from .interventions.rollout import Rollout
from .kernels.jit import njit
from .metrics import summarize
from .organization import Organization
from .people import attribute_params, draw_people, hire, promote_veterans
from .rule import WeekEnv, ramp, rule_params
from .rule_registry import Rule, register_rule
from .states import ADOPTED, ENGAGED, ROLE_LEADER, STATES, TRYING
from .value import ValueMeter
from .weekly import WeeklyModel

__all__ = ["AdoptionModel"]


def leaver_positions(rng: np.random.Generator, n: int, p: float) -> np.ndarray:
    """Indices of this week's leavers: each person leaves with probability p, independently.

    Drawn as geometric gaps between leavers, so the cost is O(leavers), not O(n).
    """
    if p <= 0.0 or n == 0:
        return np.empty(0, np.int64)
    found, pos = [], -1
    chunk = int(n * p + 5.0 * math.sqrt(n * p) + 16)
    while True:
        at, past = _positions(rng.geometric(p, chunk), pos, n)
        if past:  # the last chunk (usually the first)
            return np.concatenate([*found, at]) if found else at
        found.append(at)
        pos = int(at[-1])


@njit
def _positions(gaps, pos, n):
    """``at = pos + cumsum(gaps)``: the positions below ``n``, and whether the last one is not
    (one pass, instead of four numpy calls every week)."""
    at = np.empty(gaps.shape[0], np.int64)
    for m, g in enumerate(gaps):
        pos += g
        if pos >= n:
            return at[:m].copy(), True
        at[m] = pos
    return at, False


class AdoptionModel(WeeklyModel):
    """How a social way of working spreads (or fails to) through one organization.

    Parameters
    ----------
    config : the scenario (organization, conditions, dynamics, plan, horizon...)
    rng : seed or numpy Generator; the model's only source of randomness
    engine : "agents" (Mesa agents in plain Python), "numba" (compiled kernels) or "auto"
    organization : an imported org chart; by default one is generated from ``config``
    conditions : pin this organization's conditions (else drawn from ``config.conditions``)
    """

    def __init__(
        self,
        config: ModelConfig | None = None,
        *,
        rng=None,
        engine: str = "agents",
        organization: Organization | None = None,
        conditions: dict[str, float] | None = None,
    ):
        super().__init__(rng=rng)
        self.config = cfg = config if config is not None else ModelConfig()
        # fixed draw order: conditions, organization, people, plan selections, weeks
        self.conditions = dict(conditions) if conditions else cfg.conditions.draw(self.rng)
        self.org = (
            organization
            if organization is not None
            else generate_organization(cfg.organization, self.rng)
        )
        self.people = draw_people(self.org, cfg.organization, self.conditions, self.rng)
        # what every week's hires' attributes are made with (fixed for the run)
        self._hire_params = attribute_params(cfg.organization, self.conditions)
        self.env = Environment(
            tool_fit=self.conditions["tool_fit"],
            relevance=self.conditions["relevance"],
            legacy_fit=cfg.dynamics.legacy_fit,
            visibility=cfg.dynamics.leader_visibility,
        )
        self.params = rule_params(cfg.dynamics)
        self.week = 0
        n = self.people.n
        self.signups = 0
        self.adoptions = np.zeros(cfg.weeks + 1, np.int64)  # first adoptions per week
        self.rollout = Rollout(cfg.plan, self)  # validates the plan against the organization
        self.engine_name = resolve_engine(engine, n, cfg.weeks)
        self.engine = make_engine(self.engine_name, self)
        self.aggregates = self.engine.aggregates()
        # hours saved, measured every week from the head counts (simulation.value)
        self.value = ValueMeter(self)
        self._measure_value(0)
        self.active_history = [self.n_active]
        self.week_env = self._week_env()
        self.head_counts: list[tuple[Aggregates, int]] = []  # (head counts, sign-ups) per week
        self._collector = HeadCountCollector(self)
        self._record()

    # -- head counts -------------------------------------------------------------------------
    @property
    def n_active(self) -> int:
        by_role = self.aggregates.by_role  # states x roles (cheaper than by_state, each week)
        return sum(by_role[ADOPTED].tolist()) + sum(by_role[ENGAGED].tolist())

    @property
    def datacollector(self) -> mesa.DataCollector:
        """Mesa's DataCollector of the weekly head counts (each state, ``by_role``: roles x
        states, ``by_department``: departments x states, ``signups``), week 0 included; its
        rows are filled from :attr:`head_counts` when it is read (:class:`HeadCountCollector`)."""
        return self._collector.catch_up()

    def _record(self) -> None:
        """This week's head counts: the engine's aggregates are a fresh copy each week, kept as
        they are (a Mesa collect every week copied them again and cost more than a week's
        decisions at 1,000 employees)."""
        self.head_counts.append((self.aggregates, self.signups))

    @property
    def tried(self) -> np.ndarray:
        """Who has signed up (tried it) at least once."""
        return self.people.tried

    @property
    def adopted_week(self) -> np.ndarray:
        """Each person's first adoption week (-1: never)."""
        return self.people.adopted_week

    @property
    def moves(self) -> np.ndarray:
        """Each person's changes of state since they were hired (or since week 0)."""
        return self.people.moves

    @property
    def lapses(self) -> np.ndarray:
        """Each person's moves into LAPSED since they were hired (or since week 0)."""
        return self.people.lapses

    def churn(self) -> dict[str, list[int]]:
        """How often people changed state, as of now: the number of people with 0, 1, 2...
        moves (``moves``) and lapses (``lapses``), everyone in the organization now, and the
        same over the people here since week 0 (``moves_full_run``, ``lapses_full_run``: hires
        had fewer weeks to move). Cheap (four counts over the arrays): read at the end of a
        run, not every week."""
        p = self.people
        stayed = p.hired_week <= 0
        out = {}
        for name in ("moves", "lapses"):
            a = getattr(p, name)
            out[name] = np.bincount(a).tolist()
            out[f"{name}_full_run"] = np.bincount(a[stayed], minlength=1).tolist()
        return out

    def agent(self, i: int):
        """The Mesa agent of person i (with numba, a view created on demand)."""
        return self.engine.agent(i)

    def decision_view(self) -> tuple:
        """What a decision reads besides a person's exposure (:func:`engines.decision_view`),
        as of now."""
        return decision_view(self, self.aggregates.comm)

    # -- one week ----------------------------------------------------------------------------
    def step(self) -> None:
        """One week: interventions active in week t act on the move from t to t + 1."""
        now = self.week
        self.rollout.apply(now)
        self.week = week = now + 1
        moved = self._turnover(week)
        self.engine.replaced(moved)
        self.engine.sync(None if now in self.rollout.points else moved)
        self.aggregates = self.engine.aggregates()
        self.week_env = self._week_env()
        # everyone's draw this week is a hash of one key from the model's generator and their
        # index (simulation.draws): the numba kernel computes it inline
        changed = self.engine.decide(week_key(self.rng))
        signups, adoptions = self.engine.commit(changed)
        self.signups += signups
        self.adoptions[week] += adoptions
        self.aggregates = self.engine.aggregates()
        self._measure_value(week)
        self.active_history.append(self.n_active)
        self._record()
        if week >= self.config.weeks:
            self.running = False

    def _measure_value(self, week: int) -> None:
        """The hours saved in ``week``, from its head counts (simulation.value)."""
        agg = self.aggregates
        self.value.measure(week, agg.by_dept, agg.comm, self.people.dept_community)

    def run(self, weeks: int | None = None) -> AdoptionModel:
        """Run ``weeks`` more weeks (default: to the horizon), never past the horizon."""
        stop = self.config.weeks if weeks is None else min(self.config.weeks, self.week + weeks)
        while self.week < stop:
            self.step()
        return self

    def _turnover(self, week: int) -> np.ndarray:
        """Leavers are replaced by new hires in the same slot; contributors become veterans."""
        cfg = self.config
        people, org = self.people, self.org
        p = 1.0 - (1.0 - cfg.dynamics.turnover_per_year) ** (1.0 / 52.0)
        leavers = leaver_positions(self.rng, people.n, p)
        if leavers.size:
            hire(people, leavers, week, org, cfg.organization, self.conditions, self.rng,
                 self._hire_params)
            self.rollout.on_hire(leavers, week - 1)  # hires arrive during week - 1
        veteran_week = week - round(cfg.organization.veteran_years * 52)
        return promote_veterans(people, org, veteran_week, leavers)

    def _week_env(self) -> WeekEnv:
        n = self.people.n
        leaders = self.aggregates.by_role[:, ROLE_LEADER].tolist()  # Python ints
        n_leaders = sum(leaders)
        lead_act = 2 * (leaders[ADOPTED] + leaders[ENGAGED]) + leaders[TRYING]
        signal = 0.0
        if n_leaders:
            felt = self.config.dynamics.leader_example * self.env.visibility
            signal = felt * lead_act / (2 * n_leaders)
        return WeekEnv(
            tool_fit=float(self.env.tool_fit),
            legacy_fit=float(self.env.legacy_fit),
            relevance=float(self.env.relevance),
            workload=float(self.conditions["workload"]),
            active_share=self.n_active / n,
            leader_signal=float(signal),
            stall=self._stall(),
            outcomes=float(self.env.outcomes),
        )

    def _stall(self) -> float:
        """Sensed loss of momentum: little growth in the active share over the last weeks."""
        d = self.config.dynamics
        w, hist, n = self.week, self.active_history, self.people.n
        first = self.rollout.first_start
        if first is None or w - first <= d.momentum_weeks or len(hist) <= d.momentum_weeks:
            return 0.0
        if hist[-1] / n >= d.momentum_saturation:
            return 0.0
        growth = (hist[-1] - hist[-1 - d.momentum_weeks]) / n
        stall = ramp(1.0 - growth / d.momentum_growth)
        return stall * (1.0 - d.outcomes_momentum * self.env.outcomes)

    def draw_tool_fit(self) -> float:
        """A candidate tool's fit, from this organization's tool-fit uncertainty (pilots)."""
        spec = self.config.conditions.tool_fit
        return spec.draw(self.rng) if isinstance(spec, Range) else float(spec)


class HeadCountCollector(mesa.DataCollector):
    """The model's :attr:`~AdoptionModel.datacollector`: a Mesa DataCollector whose model
    reporters read a week's recorded head counts; :meth:`catch_up` collects the weeks recorded
    since it last ran, so its rows are those a collect every week would have made. (A
    ``collect(model)`` called by hand adds a row of the model as it is now, as before.)"""

    def __init__(self, model: AdoptionModel):
        self._model = model
        self._row: tuple[Aggregates, int] | None = None  # the recorded week being collected
        self._collected = 0  # recorded weeks collected so far
        # the reporters read the model they are given (not this object: a copied model's
        # collector then reads its own rows)
        rep = {name: (lambda m, k=k: int(_week(m)[0].by_state[k]))
               for k, name in enumerate(STATES)}
        rep["by_role"] = lambda m: _week(m)[0].by_role.T.copy()  # roles x states
        rep["by_department"] = lambda m: _week(m)[0].by_dept.T.copy()  # depts x states
        rep["signups"] = lambda m: _week(m)[1]
        super().__init__(model_reporters=rep)

    def catch_up(self) -> HeadCountCollector:
        """Collect every recorded week not collected yet; returns self."""
        rows = self._model.head_counts
        try:
            for row in rows[self._collected:]:
                self._row = row
                self.collect(self._model)
                self._collected += 1
        finally:
            self._row = None
        return self


def _week(model: AdoptionModel) -> tuple[Aggregates, int]:
    """The week a collect reports: the recorded week being caught up, else the model now."""
    row = model._collector._row
    return row if row is not None else (model.aggregates, model.signups)


register_rule(Rule("social-business", AdoptionModel, summarize))
