"""Comparing scenarios over replicate organizations (``adoptsim compare``, the claim checks).

Replicate i of every scenario gets the same seed (common random numbers: the same organization
under each plan); the runs go through the one execution layer (:mod:`experiments.executors`):
local processes that rerun a dead worker's runs, any ``concurrent.futures.Executor``, or a Dask
cluster.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scenarios import Scenario
from simulation import STATES, Organization, RunResult, resolve_engine

from .executors import default_workers, execute
from .memory import check_memory, fitting_workers
from .runner import RunSpec, replicate_seeds

__all__ = [
    "CompareInterrupted",
    "ScenarioSummary",
    "compare",
    "compare_specs",
    "summarize_replicates",
    "wilson_interval",
]


def wilson_interval(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """95% Wilson score interval for a binomial proportion."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass
class ScenarioSummary:
    """One scenario over its replicates."""

    name: str
    runs: list[RunResult] = field(default_factory=list)
    seeds: list[int] = field(default_factory=list)

    def _median(self, key: str) -> float | None:
        vals = [r.metrics[key] for r in self.runs if r.metrics[key] is not None]
        # a replicate that never reaches the level counts as later than any that does
        if len(vals) * 2 <= len(self.runs):
            return None
        padded = sorted(vals) + [math.inf] * (len(self.runs) - len(vals))
        med = float(np.median(padded))
        return med if math.isfinite(med) else None

    def _mean(self, key: str) -> float:
        return float(np.mean([r.metrics[key] for r in self.runs]))

    def as_dict(self) -> dict:
        n = len(self.runs)
        wins = sum(r.success for r in self.runs)
        lo, hi = wilson_interval(wins, n)
        value, cost = self._mean("value"), self._mean("cost")
        return {
            "name": self.name,
            "success_rate": wins / n if n else 0.0,
            "success_ci": [lo, hi],
            "final_share": {
                s: float(np.mean([r.metrics["final_share"][s] for r in self.runs])) for s in STATES
            },
            "weeks_to_25": self._median("weeks_to_25"),
            "weeks_to_50": self._median("weeks_to_50"),
            "value": value,
            "cost": cost,
            "roi": (value - cost) / cost if cost > 0 else None,
        }


def summarize_replicates(
    names: Sequence[str], specs: Sequence[RunSpec], results: Sequence[RunResult]
) -> list[ScenarioSummary]:
    out = {name: ScenarioSummary(name) for name in names}
    for spec, res in zip(specs, results, strict=True):
        out[spec.scenario.name].runs.append(res)
        out[spec.scenario.name].seeds.append(spec.seed)
    return list(out.values())


class CompareInterrupted(KeyboardInterrupt):
    """Ctrl-C during :func:`compare`: what had finished. ``finished[name]`` lists the
    replicates of each scenario that finished; :meth:`partial` summarises the first
    ``prefix`` replicates, finished for every scenario (the same seeds as ``--replicates
    prefix`` gives)."""

    def __init__(self, names: Sequence[str], specs: Sequence[RunSpec], results: Sequence):
        super().__init__()
        self.names, self.specs, self.results = list(names), list(specs), list(results)
        self.finished = {n: [] for n in self.names}
        for spec, res in zip(specs, results, strict=True):
            if res is not None:
                self.finished[spec.scenario.name].append(spec.replicate)
        self.done = sum(r is not None for r in results)
        self.total = len(results)

    @property
    def prefix(self) -> int:
        """The largest k such that replicates 0..k-1 finished for every scenario."""
        k = 0
        while all(k in reps for reps in self.finished.values()):
            k += 1
        return k

    def partial(self) -> list[ScenarioSummary]:
        keep = [
            (spec, res)
            for spec, res in zip(self.specs, self.results, strict=True)
            if res is not None and spec.replicate < self.prefix
        ]
        return summarize_replicates(self.names, [s for s, _ in keep], [r for _, r in keep])


def compare_specs(
    scenarios: Sequence[Scenario],
    *,
    replicates: int,
    seed: int,
    engine: str = "auto",
    organization: Organization | None = None,
) -> list[RunSpec]:
    """The runs of a comparison, scenario by scenario: replicate r of every scenario on the
    same organization (seed r from ``seed``), each on its resolved engine."""
    seeds = replicate_seeds(seed, replicates)
    return [
        RunSpec(
            sc,
            s,
            resolve_engine(
                engine,
                sc.organization.employees if organization is None else organization.n,
                sc.weeks,
                replicates * len(scenarios),
            ),
            organization,
            r,
        )
        for sc in scenarios
        for r, s in enumerate(seeds)
    ]


def compare(
    scenarios: Iterable[Scenario],
    *,
    replicates: int,
    seed: int,
    engine: str = "auto",
    organization: Organization | None = None,
    workers: int | None = None,
    executor: Executor | Any | None = None,
    progress: Callable[[int], None] | None = None,
    log: Callable[[str], None] | None = None,
) -> list[ScenarioSummary]:
    """Each scenario over the same ``replicates`` organizations (seeds from ``seed``), on
    ``workers`` local processes or an ``executor`` (any ``concurrent.futures.Executor`` or a
    Dask client)."""
    scenarios = list(scenarios)
    specs = compare_specs(
        scenarios, replicates=replicates, seed=seed, engine=engine, organization=organization
    )
    names = [s.name for s in scenarios]
    if executor is None:
        # one check per scenario (its replicates have the same size), before any process starts
        first = {s.scenario.name: s for s in specs if s.replicate == 0}.values()
        per_run = max(check_memory(s.scenario, s.engine, organization) for s in first)
        workers = fitting_workers(default_workers() if workers is None else workers, per_run)
    finished: list[RunResult | None] = [None] * len(specs)
    try:
        results = execute(specs, workers=workers, executor=executor, progress=progress, log=log,
                          finished=finished)
    except KeyboardInterrupt:
        raise CompareInterrupted(names, specs, finished) from None
    return summarize_replicates(names, specs, results)
