"""Designs: the parameter points a sweep runs (grid, Latin hypercube, Sobol', Morris).

``grid`` is the full factorial of the lists (``itertools.product`` in the order the parameters
are written: the last varies fastest). The sampled designs use SALib: every range and every
list of two or more values is a factor of the SALib problem; single-value lists are constants.
A range draws from [low, high] (whole numbers from ceil(low) to floor(high) when it is an
integer range, each equally likely); a list draws one of its values, each equally likely (a
factor on [0, k) whose integer part picks the value). ``sobol`` uses Saltelli's scheme through
``SALib.sample.sobol`` (N (2D + 2) points, or N (D + 2) without second order), ``morris``
SALib's trajectories (N (D + 1) points), ``lhs`` ``SALib.sample.latin`` (N points).

The sampler's seed comes from the spec's seed (a stream apart from the replicates' seeds), so the
same spec gives the same design; the design is also stored in the manifest, and a resumed sweep
uses the stored one.
"""

from __future__ import annotations

import copy
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .sweep_spec import Parameter, SweepSpec

__all__ = ["Design", "build_design", "count_points", "design_seed"]


@dataclass(frozen=True)
class Design:
    """The points of a sweep: ``points[i][j]`` is parameter ``names[j]`` at point i.

    For sampled designs ``problem`` is the SALib problem (factors only) and ``sample`` the
    sampler's matrix, one row per point, before whole numbers and list values were picked:
    what SALib's analysers take with the outputs in point order.
    """

    kind: str
    names: tuple[str, ...]
    points: list[tuple[Any, ...]]
    parameters: tuple[dict[str, Any], ...] = ()
    problem: dict[str, Any] | None = None
    sample: list[list[float]] | None = None
    seed: int | None = None

    @property
    def n_points(self) -> int:
        return len(self.points)

    def values(self, point: int) -> dict[str, Any]:
        return dict(zip(self.names, self.points[point], strict=True))

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "n_points": self.n_points,
            "seed": self.seed,
            "parameters": list(self.parameters),
            "problem": self.problem,
            "points": {n: [p[j] for p in self.points] for j, n in enumerate(self.names)},
            "sample": self.sample,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Design:
        names = tuple(d["points"])
        cols = [d["points"][n] for n in names]
        points = list(zip(*cols, strict=True)) if cols else [()] * d["n_points"]
        return cls(
            d["kind"], names, points, tuple(d["parameters"]), d["problem"], d["sample"], d["seed"]
        )


def design_seed(seed: int) -> int:
    """The sampler's seed: a stream of the root seed apart from the replicates' seeds
    (``replicate_seeds`` spawns children of ``SeedSequence(seed)``; this one is keyed
    ``[seed, 1]``)."""
    return int(np.random.SeedSequence([seed, 1]).generate_state(1, np.uint32)[0])


def count_points(spec: SweepSpec) -> int:
    """How many points ``spec``'s design has, without building it (SALib's counts: Sobol'
    N (2D + 2) or N (D + 2), Morris N (D + 1) for D factors)."""
    params = spec.parameters
    if spec.design == "grid":
        return math.prod(len(p.values) for p in params)
    d = sum(1 for p in params if p.is_range or len(p.values) > 1)
    if spec.design == "lhs":
        return spec.samples
    if spec.design == "sobol":
        return spec.samples * (2 * d + 2 if spec.second_order else d + 2)
    return spec.samples * (d + 1)


def build_design(spec: SweepSpec, integer: Sequence[bool]) -> Design:
    """The design of ``spec``; ``integer[j]`` says whether range parameter j draws whole
    numbers (the scenario field's type decides when the spec does not)."""
    params = spec.parameters
    names = tuple(p.name for p in params)
    described = tuple(
        {**p.describe(), "integer": bool(i)} if p.is_range else p.describe()
        for p, i in zip(params, integer, strict=True)
    )
    if spec.design == "grid":
        points = list(itertools.product(*(p.values for p in params)))
        return Design("grid", names, points, described)
    return _sampled(spec, params, list(integer), names, described)


def _bounds(p: Parameter, integer: bool) -> list[float]:
    if p.values is not None:
        return [0.0, float(len(p.values))]
    if integer:
        return [float(math.ceil(p.low)), float(math.floor(p.high) + 1)]
    return [float(p.low), float(p.high)]


def _pick(p: Parameter, integer: bool, x: float) -> Any:
    """The value factor p takes where the sampler put it at x."""
    lo, hi = _bounds(p, integer)
    if p.values is not None or integer:
        k = min(int(math.floor(x)), int(hi) - 1)  # the top edge belongs to the last value
        k = max(k, int(lo))
        return p.values[k] if p.values is not None else k
    return float(x)


def _sample(spec: SweepSpec, problem: dict[str, Any], seed: int) -> np.ndarray:
    # SALib is imported here: it takes about a second to import, and only sampled designs need it
    if spec.design == "lhs":
        from SALib.sample import latin

        return latin.sample(problem, spec.samples, seed=seed)
    if spec.design == "sobol":
        from SALib.sample import sobol

        return sobol.sample(
            problem, spec.samples, calc_second_order=spec.second_order, scramble=True, seed=seed
        )
    from SALib.sample import morris

    return morris.sample(problem, spec.samples, num_levels=spec.levels, seed=seed)


def _sampled(spec, params, integer, names, described) -> Design:
    factors = [j for j, p in enumerate(params) if p.is_range or len(p.values) > 1]
    problem = {
        "num_vars": len(factors),
        "names": [params[j].name for j in factors],
        "bounds": [_bounds(params[j], integer[j]) for j in factors],
    }
    seed = design_seed(spec.seed)
    x = _sample(spec, copy.deepcopy(problem), seed)  # SALib adds keys to the problem it gets
    points = []
    for row in x:
        values = [p.values[0] if p.values is not None else None for p in params]
        for col, j in enumerate(factors):
            values[j] = _pick(params[j], integer[j], float(row[col]))
        points.append(tuple(values))
    return Design(
        spec.design, names, points, described, problem, [[float(v) for v in row] for row in x], seed
    )
