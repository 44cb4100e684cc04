"""A run shown week by week: the classroom's live view, the play mode's quarters and the
animations all step one of these.

A :class:`LiveRun` builds the model exactly as :func:`experiments.run_one` does (same scenario,
seed and engine: the same run, so a lesson shown live ends where ``adoptsim run`` ends) and,
after every week, keeps each person's state (one byte each) and the week's events from
:class:`simulation.EventDetector`. Stepping back is a reset and a replay from the seed, which is
exact because the run is a function of its seed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scenarios import Scenario
from simulation import STATES, Event, EventDetector, RunResult, rule_named, summarize

__all__ = ["LiveRun", "Snapshot"]

_ACTIVE = (STATES.index("adopted"), STATES.index("engaged"))


@dataclass
class Snapshot:
    """What a page draws at one week: everyone's state and role, the head counts per state
    week by week so far, and the events so far."""

    week: int
    state: np.ndarray  # (n,) int8 codes of simulation.STATES
    role: np.ndarray  # (n,) int8 codes of simulation.ROLES
    series: dict[str, list[int]]  # state name -> head count per week, weeks 0 .. week
    events: list[Event] = field(default_factory=list)

    @property
    def active_share(self) -> float:
        n = self.state.size
        return float(np.isin(self.state, _ACTIVE).sum() / n) if n else 0.0


class LiveRun:
    """One scenario on one organization (its seed), run a week at a time."""

    def __init__(self, scenario: Scenario, seed: int, engine: str = "numba"):
        if scenario.rule != "social-business":
            raise ValueError("only the social-business model has people to show live")
        self.scenario, self.seed, self.engine = scenario, seed, engine
        self.reset()

    @property
    def horizon(self) -> int:
        return self.scenario.weeks

    @property
    def week(self) -> int:
        return self.model.week

    @property
    def done(self) -> bool:
        return self.model.week >= self.horizon

    @property
    def organization(self):
        return self.model.org

    def reset(self) -> None:
        """Back to week 0 (a new model from the seed)."""
        rule = rule_named(self.scenario.rule)
        self.model = rule.model(
            self.scenario, rng=np.random.default_rng(self.seed), engine=self.engine
        )
        self.detector = EventDetector(self.model)
        self.states: list[np.ndarray] = [self.model.people.state.copy()]
        self.counts: list[np.ndarray] = [self._count(self.states[0])]
        self.events: list[Event] = []

    @staticmethod
    def _count(state: np.ndarray) -> np.ndarray:
        return np.bincount(state, minlength=len(STATES))

    def step(self, weeks: int = 1) -> list[Event]:
        """Run ``weeks`` more weeks (not past the horizon); the events of those weeks."""
        new: list[Event] = []
        for _ in range(weeks):
            if self.done:
                break
            self.model.step()
            found = self.detector.observe(self.model)
            new += found
            state = self.model.people.state.copy()
            self.states.append(state)
            self.counts.append(self._count(state))
        self.events += new
        return new

    def run_to(self, week: int) -> list[Event]:
        """Step (or reset and replay) to ``week``."""
        week = max(0, min(week, self.horizon))
        if week < self.week:
            self.reset()
        return self.step(week - self.week)

    def series(self) -> dict[str, list[int]]:
        counts = np.stack(self.counts)
        return {s: counts[:, i].tolist() for i, s in enumerate(STATES)}

    def snapshot(self) -> Snapshot:
        return Snapshot(
            self.week,
            self.states[-1],
            self.model.people.role.copy(),
            self.series(),
            list(self.events),
        )

    def state_history(self) -> np.ndarray:
        """(weeks so far + 1, n) int8: everyone's state each week."""
        return np.stack(self.states).astype(np.int8)

    def result(self) -> RunResult:
        """The run's outcomes so far (as ``adoptsim run`` reports them at the horizon)."""
        return summarize(self.model)
