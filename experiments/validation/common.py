"""What every validation shares: checks, results, scenarios, seeds and a parallel map."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scenarios import Scenario, load_scenario
from simulation.classic import ClassicModel

from ..executors import run_all

__all__ = [
    "Check",
    "ValidationResult",
    "final_share",
    "parallel_map",
    "scenario",
    "spawn_seeds",
]


@dataclass(frozen=True)
class Check:
    """One published figure against its reproduction."""

    what: str
    published: str
    measured: str
    tolerance: str
    passed: bool


@dataclass
class ValidationResult:
    """A validation's checks, measured figures (for JSON), plots (PNG bytes) and notes."""

    name: str
    title: str
    source: str
    replicates: int
    checks: list[Check] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    plots: dict[str, bytes] = field(default_factory=dict)
    method: str = ""
    notes: str = ""
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def check(self, what, published, measured, tolerance, passed) -> None:
        self.checks.append(Check(what, published, measured, tolerance, bool(passed)))


def scenario(name: str, overrides: Sequence[str] = ()) -> Scenario:
    """A library scenario with ``--set``-style overrides (validated like a file)."""
    return load_scenario(name, list(overrides))


def spawn_seeds(root: int, label: str, count: int) -> list[int]:
    """``count`` independent seeds for one part of one validation (SeedSequence.spawn keyed
    by the part's label, so parts do not share streams and adding a part changes no other)."""
    key = [root, *label.encode()]
    children = np.random.SeedSequence(key).spawn(count)
    return [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children]


def final_share(sc: Scenario, seed: int) -> tuple[float, int]:
    """Run a classic scenario (numba engine) until nothing can change or the horizon:
    (final adopted share, steps taken)."""
    model = ClassicModel(sc, rng=np.random.default_rng(seed), engine="numba")
    while not model.settled and model.week < sc.weeks:
        model.step()
    return model.n_active / model.n, model.fixed_point_week or model.week


def parallel_map(fn: Callable, tasks: Sequence, workers: int | None = None) -> list:
    """``[fn(t) for t in tasks]`` through the execution layer (local processes that rerun a
    dead worker's tasks); results in task order."""
    if workers is not None:
        workers = min(workers, len(tasks))
    return run_all(fn, tasks, workers=workers)
