"""Global sensitivity: Sobol' and Morris indices (SALib) on the sweep's stored problem and sample.

The sweep stored the SALib problem (its factors and bounds) and the sampler's matrix in the
manifest, in design-point order; the analysis feeds SALib one output per point, the mean over
the point's replicate organizations (for a yes/no outcome, the share of them). Common random
numbers make those means comparable point to point: every point meets the same organizations.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from simulation import ConfigError

from .data import SweepData, is_constant, point_means

__all__ = ["SensitivityResult", "morris_indices", "require_design", "sobol_indices"]

#: bootstrap resamples behind the confidence intervals (SALib's default is 100: too coarse
#: for a 95% interval's tails; the outputs are few, so a thousand cost little)
RESAMPLES = 1000
CONF_LEVEL = 0.95

_WHICH = {
    "sobol": 'design = "sobol" with samples = N (a power of two; Saltelli\'s scheme)',
    "morris": 'design = "morris" with samples = N trajectories (and levels, 4 by default)',
}


def require_design(data: SweepData, method: str) -> None:
    """Refuse a method the sweep's design does not support, naming the design that would."""
    if data.kind == method:
        return
    other = [m for m in ("sobol", "morris") if m == data.kind]
    alternatives = " or ".join([f"--method {m}" for m in other] + ["--method prim"])
    raise ConfigError(
        f"--method {method}: needs a sweep whose design is {method!r}, and the sweep in "
        f"{data.path} has design = {data.kind!r}. Run a sweep with {_WHICH[method]}, or "
        f"analyse this one with {alternatives}"
    )


@dataclass
class SensitivityResult:
    """Indices per scenario (``table``), pairwise Sobol' indices (``interactions``) and the
    scenarios left out because their outcome did not vary (``constant``: name -> value)."""

    table: pd.DataFrame
    interactions: pd.DataFrame | None = None
    constant: dict[str, float] = field(default_factory=dict)
    n_points: int = 0


def _problem(data: SweepData) -> dict[str, Any]:
    # SALib adds keys to the problem it is given: work on a copy of the manifest's
    return copy.deepcopy(data.design["problem"])


def _seed(data: SweepData) -> int:
    return int(data.manifest["design"].get("seed") or data.manifest["spec"].get("seed", 2026))


def _per_scenario(data: SweepData, y: pd.Series):
    """(scenario, outputs per point) for the scenarios whose outputs vary; constants noted."""
    constant, varied = {}, []
    for s in data.scenarios:  # a scenario with no stored run is missing every point
        values = point_means(data, y, s)
        if is_constant(values):
            constant[s] = float(values[0])
        else:
            varied.append((s, values))
    return varied, constant


def _rows(scenario: str, names: list[str], si: Any, keys: tuple[str, ...]) -> list[dict]:
    """One row per parameter: the scenario, the parameter and SALib's ``keys``."""
    return [
        {"scenario": scenario, "parameter": name, **{k: float(si[k][j]) for k in keys}}
        for j, name in enumerate(names)
    ]


def _no_variance(data: SweepData, metric: str, constant: dict[str, float]) -> ConfigError:
    shown = ", ".join(f"{s}: {v:g}" for s, v in constant.items())
    return ConfigError(
        f"--metric {metric}: has the same value at every design point ({shown}), so there is "
        "no variance to attribute to the parameters; choose another metric (or widen the "
        "parameters' ranges)"
    )


def sobol_indices(data: SweepData, y: pd.Series, metric: str) -> SensitivityResult:
    """First-order and total Sobol' indices (and second-order ones when the design sampled
    them) with bootstrap confidence intervals, per scenario."""
    from SALib.analyze import sobol  # about a second to import: only when used

    require_design(data, "sobol")
    problem = _problem(data)
    second = bool(data.manifest["spec"].get("second_order", True))
    varied, constant = _per_scenario(data, y)
    if not varied:
        raise _no_variance(data, metric, constant)
    rows, pairs = [], []
    names = problem["names"]
    for s, values in varied:
        si = sobol.analyze(
            copy.deepcopy(problem),
            values,
            calc_second_order=second,
            num_resamples=RESAMPLES,
            conf_level=CONF_LEVEL,
            seed=_seed(data),
        )
        rows += _rows(s, names, si, ("S1", "S1_conf", "ST", "ST_conf"))
        if second:
            for a in range(len(names)):
                for b in range(a + 1, len(names)):
                    pairs.append(
                        {
                            "scenario": s,
                            "parameter_1": names[a],
                            "parameter_2": names[b],
                            "S2": float(si["S2"][a, b]),
                            "S2_conf": float(si["S2_conf"][a, b]),
                        }
                    )
    interactions = pd.DataFrame(pairs) if second else None
    return SensitivityResult(pd.DataFrame(rows), interactions, constant, data.design["n_points"])


def morris_levels(data: SweepData) -> int:
    return int(data.manifest["spec"].get("levels") or 4)


def morris_indices(data: SweepData, y: pd.Series, metric: str) -> SensitivityResult:
    """Morris elementary effects: mu* (mean absolute effect) with its bootstrap interval,
    sigma (their spread: non-linearity or interactions) and mu (their signed mean)."""
    from SALib.analyze import morris

    require_design(data, "morris")
    problem = _problem(data)
    x = np.asarray(data.design["sample"], dtype=float)
    varied, constant = _per_scenario(data, y)
    if not varied:
        raise _no_variance(data, metric, constant)
    rows = []
    for s, values in varied:
        si = morris.analyze(
            copy.deepcopy(problem),
            x,
            values,
            num_resamples=RESAMPLES,
            conf_level=CONF_LEVEL,
            num_levels=morris_levels(data),
            seed=_seed(data),
        )
        rows += _rows(s, problem["names"], si, ("mu_star", "mu_star_conf", "sigma", "mu"))
    return SensitivityResult(pd.DataFrame(rows), None, constant, data.design["n_points"])
