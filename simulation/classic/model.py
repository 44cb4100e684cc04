"""The classic diffusion rules as a Mesa model: Bass, Granovetter, Watts / complex contagion.

One step is one week. For the Bass rule that is 1/``period_weeks`` of a Bass time unit; for the
threshold rules it is one synchronous round (everyone looks at the same state, then all who
cross adopt together), and the model stops doing work once a round changes nothing (a fixed
point: thresholds are fixed, so nothing can change again).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from ..engines import resolve_engine
from ..errors import ConfigError
from ..generator import generate_organization
from ..organization import Organization
from ..rule_registry import Rule, register_rule
from ..states import ADOPTED, UNAWARE
from ..weekly import WeeklyModel
from .engines import make_classic_engine
from .formulas import bass_adoption_probability
from .metrics import summarize_classic
from .networks import Network, erdos_renyi, rewire_degree_preserving, watts_strogatz

if TYPE_CHECKING:
    from ..config import ModelConfig

__all__ = ["ClassicModel", "build_network", "draw_thresholds", "pick_seeds"]


def build_network(
    config: ModelConfig,
    rng: np.random.Generator,
    organization: Organization | None = None,
    network: Network | None = None,
) -> Network:
    """The threshold rule's network: given, or built from ``config.classic`` (then randomised by
    degree-preserving swaps if asked)."""
    c, n = config.classic, config.organization.employees
    if network is None and organization is None and c.network == "organization":
        organization = generate_organization(config.organization, rng)
    if network is not None:
        net = network
    elif organization is not None:
        if c.network != "organization":
            raise ConfigError(
                f"an organization was given (--org-csv) but classic.network = {c.network!r}; "
                "set classic.network = 'organization' to run on its informal ties"
            )
        net = Network(organization.indptr, organization.indices)
    elif c.network == "erdos-renyi":
        net = erdos_renyi(n, c.mean_degree, rng)
    elif c.network == "watts-strogatz":
        net = watts_strogatz(n, c.k, c.rewire, rng)
    else:
        raise ConfigError(
            "classic.network = 'edge-list': load the file with scenarios.read_edge_list and "
            "pass it as network= (adoptsim run does this for you)"
        )
    if c.degree_preserving_swaps > 0:
        net, _ = rewire_degree_preserving(net, c.degree_preserving_swaps, rng)
    return net


def draw_thresholds(config: ModelConfig, n: int, absolute: bool, rng) -> np.ndarray:
    """Everyone's threshold (float64): explicit, Granovetter's ladder, or normal."""
    c = config.classic
    if c.thresholds:
        if len(c.thresholds) != n:
            raise ConfigError(
                f"classic.thresholds has {len(c.thresholds)} values but the population has "
                f"{n} people; give one threshold per person"
            )
        return np.asarray(c.thresholds, np.float64)
    if c.threshold_distribution == "ladder":
        if not absolute:
            raise ConfigError(
                "classic.threshold_distribution = 'ladder' gives head counts 0..N-1; "
                "set classic.threshold_kind = 'absolute' (or use rule = 'granovetter')"
            )
        return np.arange(n, dtype=np.float64)
    if c.threshold_sd > 0:
        return np.maximum(rng.normal(c.threshold, c.threshold_sd, n), 0.0)
    return np.full(n, c.threshold, np.float64)


def pick_seeds(config: ModelConfig, n: int, rng, network: Network | None) -> np.ndarray:
    """The people active at the start: given ids or random ones (plus their neighbours if
    ``seed_neighbours``), sorted."""
    c = config.classic
    if c.seeds:
        ids = np.unique(np.asarray(c.seeds, np.int64))
        if ids[-1] >= n:
            raise ConfigError(
                f"classic.seeds contains id {int(ids[-1])}, but the population has ids 0..{n - 1}"
            )
    else:
        if c.n_seeds > n:
            raise ConfigError(f"classic.n_seeds = {c.n_seeds} exceeds the population ({n})")
        ids = np.sort(rng.choice(n, c.n_seeds, replace=False)).astype(np.int64)
    if c.seed_neighbours and network is not None and ids.size:
        ids = np.union1d(ids, np.concatenate([network.neighbours(i) for i in ids]))
    return ids.astype(np.int64)


class ClassicModel(WeeklyModel):
    """A classic diffusion rule on a fully mixed population or a network.

    Parameters
    ----------
    config : a model configuration (or scenario) with ``rule`` in bass, threshold, granovetter
    rng : seed or numpy Generator; the model's only source of randomness
    engine : "agents" (Mesa agents in plain Python), "numba" (compiled kernels) or "auto"
    organization : an imported organization: its informal ties are the network (threshold
        rule) and its head count the population
    network : a ready network (e.g. read from an edge-list file); overrides ``classic.network``

    Random numbers are drawn in a fixed order: network, thresholds, seeds, then (Bass only)
    one uniform draw per person per step, read by both engines.
    """

    def __init__(
        self,
        config: ModelConfig,
        *,
        rng=None,
        engine: str = "agents",
        organization: Organization | None = None,
        network: Network | None = None,
    ):
        super().__init__(rng=rng)
        if config.rule not in ("bass", "threshold", "granovetter"):
            raise ConfigError(f"rule {config.rule!r} is not a classic rule")
        self.config, self.rule = config, config.rule
        c = config.classic
        self.network: Network | None = None
        if self.rule == "threshold":
            self.network = build_network(config, self.rng, organization, network)
            self.n = self.network.n
        else:
            self.n = organization.n if organization is not None else config.organization.employees
        self.fractional = self.rule == "threshold" and c.threshold_kind == "fractional"
        self.threshold = (
            np.zeros(self.n)
            if self.rule == "bass"
            else draw_thresholds(config, self.n, not self.fractional, self.rng)
        )
        self.seeds = pick_seeds(config, self.n, self.rng, self.network)
        self.state = np.full(self.n, UNAWARE, np.int8)
        self.state[self.seeds] = ADOPTED
        self.next_state = self.state.copy()
        self.adopted_week = np.full(self.n, -1, np.int32)
        self.adopted_week[self.seeds] = 0
        self.n_active = int(self.seeds.size)
        self.week, self.last_new = 0, 0
        self.fixed_point_week: int | None = None
        self.adoption_probability, self.draws = 0.0, np.empty(0)
        self.engine_name = resolve_engine(engine, self.n, config.weeks)
        self.engine = make_classic_engine(self.engine_name, self)
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "unaware": lambda m: m.n - m.n_active,
                "adopted": lambda m: m.n_active,
                "new": lambda m: m.last_new,
            }
        )
        self.datacollector.collect(self)

    @property
    def settled(self) -> bool:
        """Nothing can change any more: a threshold rule's fixed point, or everyone adopted."""
        return self.fixed_point_week is not None or self.n_active == self.n

    @property
    def dt(self) -> float:
        """One step in Bass time units."""
        return 1.0 / self.config.classic.period_weeks

    def agent(self, i: int):
        """The Mesa agent of person i (with numba, a view created on demand)."""
        return self.engine.agent(i)

    def step(self) -> None:
        """One synchronous step: everyone decides on this step's state, then all adopt."""
        self.week += 1
        new = np.empty(0, np.int64)
        if self.rule == "bass":
            c = self.config.classic
            self.adoption_probability = bass_adoption_probability(
                c.p, c.q, self.n_active, self.n, self.dt
            )
            self.draws = self.rng.random(self.n)
            new = self.engine.decide()
        elif self.fixed_point_week is None:
            new = self.engine.decide()
            if new.size == 0:
                self.fixed_point_week = self.week - 1
        self._commit(new)
        self.datacollector.collect(self)
        if self.week >= self.config.weeks:
            self.running = False

    def _commit(self, new: np.ndarray) -> None:
        self.state[new] = ADOPTED
        self.adopted_week[new] = self.week
        self.n_active += int(new.size)
        self.last_new = int(new.size)
        if new.size:
            self.engine.committed(new)

    def run(self, weeks: int | None = None) -> ClassicModel:
        """Run ``weeks`` more steps (default: to the horizon), never past the horizon."""
        stop = self.config.weeks if weeks is None else min(self.config.weeks, self.week + weeks)
        while self.week < stop:
            self.step()
        return self


for _rule in ("bass", "threshold", "granovetter"):
    register_rule(Rule(_rule, ClassicModel, summarize_classic, takes_network=True))
