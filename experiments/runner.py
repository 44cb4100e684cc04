"""One run: its spec, its seed, and running it.

``run_one`` is a pure, picklable function of a :class:`RunSpec`, so runs can go to any executor
(:mod:`experiments.executors`: local processes, any ``concurrent.futures`` executor, a Dask
cluster) and give the same result whatever the executor, worker count or order: each run owns
its seed. Replicate seeds come from one root seed (:data:`DEFAULT_SEED` unless given).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from scenarios import Scenario
from scenarios.edgelist import read_edge_list
from simulation import AdoptionModel, Organization, RunResult, summarize
from simulation.classic.metrics import summarize_classic
from simulation.classic.model import ClassicModel

from .memory import check_memory

__all__ = ["DEFAULT_SEED", "RunSpec", "replicate_seeds", "run_one"]

#: the root seed of commands, scripts and claim checks when none is given
DEFAULT_SEED = 2026


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
