"""Running models: one run, and replicated comparisons of scenarios.

``run_one`` is a pure, picklable function of a :class:`RunSpec`, so runs can go to any
``concurrent.futures`` executor (local processes, or a Dask client's executor) and give the same
result whatever the executor, worker count or order: each run owns its seed.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass, field

import numpy as np

from scenarios import Scenario
from scenarios.edgelist import read_edge_list
from simulation import AdoptionModel, Organization, RunResult, summarize
from simulation.classic.metrics import summarize_classic
from simulation.classic.model import ClassicModel
from simulation.engines import resolve_engine
from simulation.states import STATES

from .memory import check_memory, fitting_workers

__all__ = [
    "CompareInterrupted",
    "RunSpec",
    "ScenarioSummary",
    "compare",
    "replicate_seeds",
    "run_one",
    "summarize_replicates",
    "wilson_interval",
]


@dataclass(frozen=True)
class RunSpec:
    """One run: a scenario, a seed, an engine, and optionally an imported organization."""

    scenario: Scenario
    seed: int
    engine: str = "auto"
    organization: Organization | None = None
    replicate: int = 0


def replicate_seeds(root: int, replicates: int) -> list[int]:
    """Independent 63-bit seeds for replicates, from one root seed (``SeedSequence.spawn``).

    Replicate i of every scenario gets the same seed (common random numbers: the same
    organization under each plan), and ``adoptsim run SCENARIO --seed <seed>`` reproduces it.
    """
    children = np.random.SeedSequence(root).spawn(replicates)
    return [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children]


def run_one(spec: RunSpec, progress: Callable[[int], None] | None = None) -> RunResult:
    """Build and run one model; the result carries build and run times.

    ``progress(week)`` is called after every week if given. A run that would not fit in
    memory is refused before anything is allocated (:func:`experiments.memory.check_memory`).
    """
    check_memory(spec.scenario, spec.engine, spec.organization)
    t0 = time.perf_counter()
    classic = spec.scenario.rule != "social-business"
    model = (_classic_model if classic else AdoptionModel)(
        spec.scenario,
        rng=np.random.default_rng(spec.seed),
        engine=spec.engine,
        organization=spec.organization,
    )
    t1 = time.perf_counter()
    while model.week < spec.scenario.weeks:
        model.step()
        if progress is not None:
            progress(model.week)
    t2 = time.perf_counter()
    result = summarize_classic(model) if classic else summarize(model)
    result.timing = {"build_s": t1 - t0, "run_s": t2 - t1}
    return result


def _classic_model(scenario: Scenario, **kwargs) -> ClassicModel:
    """A classic rule (docs/VALIDATION.md); an edge-list network is read from its file here."""
    c = scenario.classic
    network = None
    if scenario.rule == "threshold" and c.network == "edge-list" and c.edges_file:
        network = read_edge_list(c.edges_file)
    return ClassicModel(scenario, network=network, **kwargs)


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


def _one_thread() -> None:
    """Worker processes run one model at a time on one numba thread: parallelism comes from
    the processes, and threads would only oversubscribe the cores (results do not depend on
    the thread count)."""
    import numba

    numba.set_num_threads(1)


def _default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


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


def execute(
    specs: Sequence[RunSpec],
    *,
    workers: int | None = None,
    executor: Executor | None = None,
    progress: Callable[[int], None] | None = None,
    finished: list | None = None,
) -> list[RunResult]:
    """Run all specs; results in spec order whatever the executor or completion order.
    ``finished`` (a list of ``len(specs)`` Nones), if given, receives results as they
    arrive, so a caller interrupted by Ctrl-C knows what had finished."""
    workers = _default_workers() if workers is None else workers
    results: list[RunResult | None] = [None] * len(specs) if finished is None else finished
    if executor is None and (workers <= 1 or len(specs) <= 1):
        for i, spec in enumerate(specs):
            results[i] = run_one(spec)
            if progress:
                progress(1)
        return results  # type: ignore[return-value]
    from .executors import local_pool, stop_pool  # executors imports this module

    own = executor is None
    pool = executor or local_pool(workers)
    done = False
    try:
        futures = {pool.submit(run_one, spec): i for i, spec in enumerate(specs)}
        for fut in as_completed(futures):
            results[futures[fut]] = fut.result()
            if progress:
                progress(1)
        done = True
    finally:
        if own:
            stop_pool(pool, done)
    return results  # type: ignore[return-value]


def compare(
    scenarios: Iterable[Scenario],
    *,
    replicates: int,
    seed: int,
    engine: str = "auto",
    organization: Organization | None = None,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[ScenarioSummary]:
    """Each scenario over the same ``replicates`` organizations (seeds from ``seed``)."""
    scenarios = list(scenarios)
    seeds = replicate_seeds(seed, replicates)
    specs = [
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
    names = [s.name for s in scenarios]
    # one check per scenario (its replicates have the same size), before any process starts
    first = {s.scenario.name: s for s in specs if s.replicate == 0}.values()
    per_run = max(check_memory(s.scenario, s.engine, organization) for s in first)
    workers = fitting_workers(_default_workers() if workers is None else workers, per_run)
    finished: list[RunResult | None] = [None] * len(specs)
    try:
        results = execute(specs, workers=workers, progress=progress, finished=finished)
    except KeyboardInterrupt:
        raise CompareInterrupted(names, specs, finished) from None
    return summarize_replicates(names, specs, results)
