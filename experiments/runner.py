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

from scenarios import Scenario, read_edge_list
from simulation import Organization, RunResult, rule_named

from .memory import check_memory

__all__ = ["DEFAULT_SEED", "RunSpec", "build_model", "replicate_seeds", "run_one"]

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
    """Build and run one model of the scenario's rule (:func:`simulation.rule_named`); the
    result carries build and run times. ``progress(week)`` is called after every week if
    given. A run that would not fit in memory is refused before anything is allocated
    (:func:`experiments.memory.check_memory`)."""
    check_memory(spec.scenario, spec.engine, spec.organization)
    t0 = time.perf_counter()
    rule = rule_named(spec.scenario.rule)
    model = build_model(spec)
    t1 = time.perf_counter()
    while model.week < spec.scenario.weeks:
        model.step()
        if progress is not None:
            progress(model.week)
    t2 = time.perf_counter()
    result = rule.summarize(model)
    result.timing = {"build_s": t1 - t0, "run_s": t2 - t1}
    return result


def build_model(spec: RunSpec):
    """The model of one run, before its first week (what :func:`run_one` steps): the
    scenario's rule's model, with its edge-list network read from its file here."""
    rule = rule_named(spec.scenario.rule)
    extra = {}
    edge_list = spec.scenario.classic.edge_list(spec.scenario.rule)
    if rule.takes_network and edge_list:
        extra["network"] = read_edge_list(edge_list)  # a file: read here, not by the model
    return rule.model(
        spec.scenario,
        rng=np.random.default_rng(spec.seed),
        engine=spec.engine,
        organization=spec.organization,
        **extra,
    )
