"""Scenario discovery: where in parameter space a plan fails, with PRIM from the EMA Workbench.

Every run is a case: its inputs are the varied parameters and the conditions its organization
drew (``drawn.*``); it is a case of interest when the plan failed (or the metric crossed the
threshold). PRIM (Friedman and Fisher 1999, as the EMA Workbench implements it for scenario
discovery, Bryant and Lempert 2010) peels the input space down to boxes holding mostly such
cases. Each box is chosen on its peeling trajectory, stripped of restrictions that are not
significant, and re-checked on runs PRIM never saw (held out before the search).
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Box", "Discovery", "discover", "feature_scores", "held_out_split"]

#: PRIM settings: EMA Workbench's defaults for peeling, pasting and the smallest box
PEEL_ALPHA = 0.05
PASTE_ALPHA = 0.05
MASS_MIN = 0.05
#: a restriction whose quasi-p value (EMA's significance of one box limit) exceeds this is dropped
MAX_QP = 0.05
#: share of design points (or runs) held out to re-check the boxes
HELD_OUT = 0.25


def _prim():
    """EMA Workbench's PRIM (imported on use: the workbench takes seconds to import), quiet."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "ipyparallel not installed" and friends
        from ema_workbench.analysis import prim
    logging.getLogger("EMA").setLevel(logging.WARNING)
    return prim


@dataclass
class Box:
    """One box: ``limits`` maps each restricted input to [low, high] (numbers) or to the
    allowed values (categories); statistics on the runs PRIM saw and on the held-out runs."""

    coverage: float
    density: float
    mass: float
    n: int
    limits: dict[str, list[Any]]
    qp: dict[str, float]
    held_out: dict[str, float]
    trajectory: pd.DataFrame  # the peeling trajectory this box was picked from
    picked: int  # its index on that trajectory


@dataclass
class Discovery:
    """PRIM on one scenario's runs."""

    scenario: str
    n_runs: int
    n_cases: int
    n_train: int
    n_test: int
    density_threshold: float
    bounds: dict[str, list[Any]]  # every input's range (or values) in the runs PRIM searched
    boxes: list[Box] = field(default_factory=list)

    @property
    def base_rate(self) -> float:
        return self.n_cases / self.n_runs if self.n_runs else 0.0


def held_out_split(points: np.ndarray, seed: int) -> np.ndarray:
    """True for held-out runs: a quarter of the design points with all their runs (so the
    boxes are checked on parameter values PRIM never saw), or a quarter of the runs when
    there are fewer than 20 points."""
    rng = np.random.default_rng([seed, 15])
    groups = np.unique(points)
    if len(groups) >= 20:
        test = rng.choice(groups, size=max(1, round(HELD_OUT * len(groups))), replace=False)
        return np.isin(points, test)
    mask = np.zeros(len(points), bool)
    mask[rng.choice(len(points), size=max(1, round(HELD_OUT * len(points))), replace=False)] = True
    return mask


def _bounds(x: pd.DataFrame) -> dict[str, list[Any]]:
    out = {}
    for c in x.columns:
        if pd.api.types.is_numeric_dtype(x[c]):
            out[c] = [x[c].min().item(), x[c].max().item()]
        else:
            out[c] = sorted(x[c].unique().tolist())
    return out


def _limits(box_lim: pd.DataFrame, init: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The restricted inputs of a box and their limits."""
    out = {}
    for c in box_lim.columns:
        lo, hi = box_lim[c].iloc[0], box_lim[c].iloc[1]
        if isinstance(lo, set):
            if len(lo) < len(init[c]):
                out[c] = sorted(lo)
        elif lo > init[c][0] or hi < init[c][1]:
            out[c] = [
                lo.item() if hasattr(lo, "item") else lo,
                hi.item() if hasattr(hi, "item") else hi,
            ]
    return out


def in_box(x: pd.DataFrame, limits: dict[str, list[Any]]) -> np.ndarray:
    """Which rows of ``x`` lie in a box (limits inclusive)."""
    inside = np.ones(len(x), bool)
    for c, lim in limits.items():
        if pd.api.types.is_numeric_dtype(x[c]):
            inside &= (x[c].to_numpy() >= lim[0]) & (x[c].to_numpy() <= lim[1])
        else:
            inside &= x[c].isin(lim).to_numpy()
    return inside


def _pick(box, threshold: float) -> int:
    """The trajectory step with the best balance of coverage and density (their harmonic
    mean) among those dense enough; the box PRIM stopped at when none is."""
    t = box.peeling_trajectory
    ok = t["density"] >= threshold
    if not ok.any():
        return len(t) - 1
    score = 2 * t["coverage"] * t["density"] / (t["coverage"] + t["density"]).clip(lower=1e-12)
    return int(score.where(ok, -1.0).to_numpy().argmax())


def _inside(x: pd.DataFrame, lim: pd.DataFrame) -> np.ndarray:
    """Rows of ``x`` within PRIM box limits (row 0 lower, row 1 upper; sets for categories)."""
    inside = np.ones(len(x), bool)
    for c in lim.columns:
        lo, hi = lim[c].iloc[0], lim[c].iloc[1]
        col = x[c]
        inside &= (
            col.isin(lo).to_numpy()
            if isinstance(lo, set)
            else ((col >= lo) & (col <= hi)).to_numpy()
        )
    return inside


def _drop_insignificant(search, box) -> None:
    """Widen each limit that does not make the box denser beyond chance (its quasi-p value
    exceeds ``MAX_QP``) back to the input's full range, one side at a time."""
    lim, init = box.box_lim.copy(), box.box_lims[0]
    changed = False
    for dim, sides in box.qp[box._cur_box].items():
        for row, q in enumerate(sides):
            if q > MAX_QP:
                if isinstance(init[dim].iloc[0], set):
                    lim[dim] = init[dim]
                else:
                    lim.loc[row, dim] = init.loc[row, dim]
                changed = True
    if changed:
        rest = search.yi_remaining
        box.update(lim, rest[_inside(search.x.loc[rest], lim)])


def _check(x: pd.DataFrame, y: np.ndarray, limits, taken: np.ndarray) -> dict[str, float]:
    """A box's statistics on held-out runs, outside the boxes found before it."""
    inside = in_box(x, limits) & ~taken
    n, k, total = int(inside.sum()), int(y[inside].sum()), int(y.sum())
    return {
        "coverage": k / total if total else float("nan"),
        "density": k / n if n else float("nan"),
        "mass": n / len(y) if len(y) else float("nan"),
        "n": n,
    }


def discover(
    scenario: str,
    x: pd.DataFrame,
    y: np.ndarray,
    points: np.ndarray,
    seed: int,
    max_boxes: int = 3,
) -> Discovery:
    """Boxes of ``x`` where ``y`` (1 = case of interest) concentrates, for one scenario."""
    prim = _prim()
    y = np.asarray(y, dtype=int)
    test = held_out_split(points, seed)
    x_train, y_train = x[~test].reset_index(drop=True), y[~test]
    x_test, y_test = x[test].reset_index(drop=True), y[test]
    base = y_train.mean() if len(y_train) else 0.0
    # a box must be at least halfway from the overall share of cases to all cases
    threshold = float(base + (1 - base) / 2)
    # limits are read against the ranges PRIM saw (a limit at the edge restricts nothing)
    found = Discovery(
        scenario, len(y), int(y.sum()), len(y_train), len(y_test), threshold, _bounds(x_train)
    )
    if y_train.sum() == 0 or y_train.sum() == len(y_train):
        return found
    with warnings.catch_warnings():
        # the workbench uses pandas idioms that pandas deprecates: its business, not the user's
        warnings.simplefilter("ignore", category=Warning)
        _search(found, prim, x_train, y_train, x_test, y_test, max_boxes)
    return found


def _search(found: Discovery, prim, x_train, y_train, x_test, y_test, max_boxes: int) -> None:
    threshold = found.density_threshold
    search = prim.Prim(
        x_train,
        y_train,
        threshold=threshold,
        peel_alpha=PEEL_ALPHA,
        paste_alpha=PASTE_ALPHA,
        mass_min=MASS_MIN,
    )
    init = found.bounds
    taken = np.zeros(len(y_test), bool)
    for _ in range(max_boxes):
        box = search.find_box()
        if box is None or box.res_dim == 0 or box.density < threshold:
            break  # PRIM's "dump box": nothing dense enough is left
        picked = _pick(box, threshold)
        trajectory = box.peeling_trajectory.copy()
        box.select(picked)
        _drop_insignificant(search, box)
        limits = _limits(box.box_lim, init)
        if not limits:
            break
        qp = box.qp[box._cur_box]
        found.boxes.append(
            Box(
                coverage=float(box.coverage),
                density=float(box.density),
                mass=float(box.mass),
                n=int(len(box.yi)),
                limits=limits,
                qp={d: float(max(v)) for d, v in qp.items() if d in limits},
                held_out=_check(x_test, y_test, limits, taken),
                trajectory=trajectory,
                picked=picked,
            )
        )
        taken |= in_box(x_test, limits)


def feature_scores(x: pd.DataFrame, y: np.ndarray, seed: int, classify: bool) -> pd.Series:
    """Each input's importance for the outcome: the EMA Workbench's extra-trees feature
    scoring (impurity decrease, summing to 1), seeded."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import feature_scoring
        from ema_workbench.analysis.scenario_discovery_util import RuleInductionType
    mode = RuleInductionType.CLASSIFICATION if classify else RuleInductionType.REGRESSION
    y = np.asarray(y, dtype=int if classify else float)
    scores, _ = feature_scoring.get_ex_feature_scores(
        x, y, mode=mode, nr_trees=100, random_state=seed % (2**32)
    )
    return scores.iloc[:, 0].rename("score")
