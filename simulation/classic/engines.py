"""The two engines of the classic rules, as for the adoption model.

``agents``: a Mesa agent per person applies the rule in plain Python (:mod:`.agents`).
``numba``: compiled kernels over the arrays (:mod:`.compiled`); the threshold rule keeps each
person's count of active neighbours and, each step, looks only at the neighbours of the last
step's adopters (thresholds are fixed, so nobody else can newly cross). Mesa agents are then
created on demand, as views. Both read the same random numbers and decide with the same
function, so they give the same trajectory, state for state.
"""

from __future__ import annotations

import numpy as np

from ..engines import AGENTS, NUMBA
from ..errors import ConfigError
from . import compiled
from .agents import AGENT_CLASSES, ClassicAgent

__all__ = ["ClassicAgentsEngine", "ClassicNumbaEngine", "make_classic_engine"]


class ClassicAgentsEngine:
    """Mesa agents stepping in plain Python (the readable reference)."""

    name = AGENTS

    def __init__(self, model):
        self.model = model
        cls = AGENT_CLASSES[model.rule]
        self.agents: list[ClassicAgent] = [cls(model, i) for i in range(model.n)]

    def agent(self, i: int) -> ClassicAgent:
        return self.agents[i]

    def decide(self) -> np.ndarray:
        """This step's new adopters (sorted); every agent reads this step's state."""
        m = self.model
        m.next_state = m.state.copy()
        m.agents.do("step")
        return np.flatnonzero(m.next_state != m.state)

    def committed(self, new: np.ndarray) -> None:
        """Nothing to do: agents read their contacts directly."""


class ClassicNumbaEngine:
    """Compiled kernels; incremental exposure for the network threshold rule."""

    name = NUMBA

    def __init__(self, model):
        self.model = model
        n = model.n
        self.new = np.empty(n, np.int64)
        self.views: dict[int, ClassicAgent] = {}
        if model.rule == "threshold":
            net = model.network
            self.exposure = compiled.active_neighbours(net.indptr, net.indices, model.state)
            self.candidates = np.arange(n, dtype=np.int64)  # first step: everyone
            self.n_cand = n
            self.mark = np.zeros(n, np.int64)
            self.stamp = 0

    def agent(self, i: int) -> ClassicAgent:
        """A Mesa agent viewing person i, created on demand."""
        view = self.views.get(i)
        if view is None:
            view = self.views[i] = AGENT_CLASSES[self.model.rule](self.model, i)
        return view

    def decide(self) -> np.ndarray:
        m, new = self.model, self.new
        if m.rule == "bass":
            count = compiled.bass_round(m.state, m.draws, m.adoption_probability, new)
        elif m.rule == "granovetter":
            count = compiled.mixed_round(m.state, m.threshold, m.n_active, m.fractional, new)
        else:
            count = compiled.threshold_round(
                m.network.indptr,
                m.state,
                self.exposure,
                m.threshold,
                m.fractional,
                self.candidates,
                self.n_cand,
                new,
            )
        return np.sort(new[:count])

    def committed(self, new: np.ndarray) -> None:
        """Push the new adopters to their neighbours' counts; collect next step's candidates."""
        m = self.model
        if m.rule != "threshold":
            return
        self.stamp += 1
        net = m.network
        self.n_cand = compiled.push_adoptions(
            net.indptr,
            net.indices,
            m.state,
            self.exposure,
            new,
            self.mark,
            self.stamp,
            self.candidates,
        )


def make_classic_engine(name: str, model):
    engines = {AGENTS: ClassicAgentsEngine, NUMBA: ClassicNumbaEngine}
    if name not in engines:
        raise ConfigError(f"engine {name!r} is not one of {', '.join(engines)}")
    return engines[name](model)
