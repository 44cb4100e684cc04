"""One run with everyone's state recorded week by week (for drawing the organization).

:func:`trace_run` builds and steps the model exactly as :func:`experiments.runner.run_one` does
(same seed, same engine: the same run), and after every week keeps a copy of each person's
adoption state and role, one byte each: 1,000 people over 104 weeks take 210 kB.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from simulation import Organization, RunResult, summarize

from .runner import RunSpec, build_model

__all__ = ["MAX_TRACED", "RunTrace", "trace_run"]

#: people beyond which a trace is refused (about 100 MB of states over 104 weeks)
MAX_TRACED = 500_000


@dataclass(frozen=True)
class RunTrace:
    """A run and the state of every person in every week.

    ``state`` and ``role`` are int8 arrays (weeks + 1, people), week 0 included; codes follow
    ``simulation.STATES`` and ``simulation.ROLES``.
    """

    result: RunResult
    organization: Organization
    state: np.ndarray
    role: np.ndarray

    @property
    def weeks(self) -> int:
        return self.state.shape[0] - 1


def trace_run(spec: RunSpec, progress: Callable[[int], None] | None = None) -> RunTrace:
    """Run ``spec`` (a social-business scenario) and record who is in which state each week."""
    if spec.scenario.rule != "social-business":
        raise ValueError("only the social-business model has people to trace")
    t0 = time.perf_counter()
    model = build_model(spec)
    n = model.people.n
    if n > MAX_TRACED:
        raise ValueError(f"{n} people: too many to trace (at most {MAX_TRACED})")
    weeks = spec.scenario.weeks
    state = np.empty((weeks + 1, n), np.int8)
    role = np.empty((weeks + 1, n), np.int8)
    state[0], role[0] = model.people.state, model.people.role
    t1 = time.perf_counter()
    while model.week < weeks:
        model.step()
        state[model.week], role[model.week] = model.people.state, model.people.role
        if progress is not None:
            progress(model.week)
    t2 = time.perf_counter()
    result = summarize(model)
    result.timing = {"build_s": t1 - t0, "run_s": t2 - t1}
    return RunTrace(result, model.org, state, role)
