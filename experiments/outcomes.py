"""The numbers behind a comparison's charts: distributions across replicate organizations,
bands over time, success with its interval, paired differences between plans, money.

Everything here takes the runs of one plan (``RunResult`` lists, one per organization, in
replicate order) so that two plans' runs pair up organization by organization (common random
numbers: replicate r of every plan is the same organization).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation import STATES, RunResult

from .claims import mcnemar_p
from .compare import wilson_interval

__all__ = [
    "BAND_QUANTILES",
    "Band",
    "Paired",
    "Rate",
    "active_bands",
    "band",
    "final_group_shares",
    "group_names",
    "milestone_weeks",
    "money",
    "outcome_table",
    "paired_success",
    "share_series",
    "state_bands",
    "success_rate",
]

#: the band drawn around a median across organizations: 10th to 90th percentile
BAND_QUANTILES = (10.0, 90.0)
_Z95 = 1.959963984540054


@dataclass(frozen=True)
class Band:
    """A quantity over weeks across organizations: median and a 10-90% band."""

    weeks: np.ndarray
    median: np.ndarray
    low: np.ndarray
    high: np.ndarray


def band(weeks: np.ndarray, values: np.ndarray) -> Band:
    """``values`` is (organizations, weeks); NaN (an empty group) is left out per week."""
    values = np.asarray(values, float)
    if not np.isnan(values).any():  # the usual case: vectorised (the nan-versions go by column)
        med = np.median(values, axis=0)
        lo, hi = np.percentile(values, BAND_QUANTILES, axis=0)
        return Band(np.asarray(weeks), med, lo, hi)
    with warnings.catch_warnings():  # a week where every organization lacks the group: NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        med = np.nanmedian(values, axis=0)
        lo, hi = np.nanpercentile(values, BAND_QUANTILES, axis=0)
    return Band(np.asarray(weeks), med, lo, hi)


def _weeks(runs: Sequence[RunResult]) -> np.ndarray:
    return np.asarray(runs[0].series["week"])


def share_series(runs: Sequence[RunResult], state: str) -> np.ndarray:
    """(organizations, weeks): the share of staff in ``state`` (``active``: adopted + engaged)."""
    parts = ("adopted", "engaged") if state == "active" else (state,)
    return np.array(
        [sum(np.asarray(r.series[s], float) for s in parts) / r.n_employees for r in runs]
    )


def state_bands(runs: Sequence[RunResult]) -> dict[str, Band]:
    """Share of staff in every state over time, median and band across organizations."""
    return {s: band(_weeks(runs), share_series(runs, s)) for s in STATES}


def group_names(runs: Sequence[RunResult], by: str) -> list[str]:
    """Roles, or departments in the order the organizations list them."""
    groups: dict[str, None] = {}
    for r in runs:
        groups.update(dict.fromkeys(_groups(r, by)))
    return list(groups)


def _groups(r: RunResult, by: str) -> dict[str, dict[str, list[int]]]:
    if by not in ("role", "department"):
        raise ValueError(f"by = {by!r}: 'role' or 'department'")
    return r.by_role if by == "role" else r.by_department


def _group_active(r: RunResult, by: str, group: str) -> np.ndarray:
    """Active share within a group per week (NaN where the group is empty)."""
    g = _groups(r, by).get(group)
    if g is None:
        return np.full(len(r.series["week"]), np.nan)
    size = sum(np.asarray(g[s], float) for s in STATES)
    active = np.asarray(g["adopted"], float) + np.asarray(g["engaged"], float)
    with np.errstate(all="ignore"):
        return np.where(size > 0, active / size, np.nan)


def active_bands(runs: Sequence[RunResult], by: str) -> dict[str, Band]:
    """Active share within each role or department over time, across organizations."""
    weeks = _weeks(runs)
    return {
        g: band(weeks, np.array([_group_active(r, by, g) for r in runs]))
        for g in group_names(runs, by)
    }


def final_group_shares(runs: Sequence[RunResult], by: str, state: str = "active") -> pd.DataFrame:
    """(organizations x groups): each group's share in ``state`` at the horizon (``active``:
    adopted + engaged; ``lapsed``...), NaN for a group an organization does not have."""
    parts = ("adopted", "engaged") if state == "active" else (state,)
    rows = []
    for r in runs:
        row = {}
        for g, counts in _groups(r, by).items():
            size = sum(counts[s][-1] for s in STATES)
            row[g] = sum(counts[s][-1] for s in parts) / size if size else np.nan
        rows.append(row)
    return pd.DataFrame(rows, columns=group_names(runs, by), dtype=float)


@dataclass(frozen=True)
class Rate:
    """A success rate over organizations with its 95% Wilson interval."""

    successes: int
    n: int
    low: float
    high: float

    @property
    def rate(self) -> float:
        return self.successes / self.n if self.n else 0.0


def success_rate(runs: Sequence[RunResult]) -> Rate:
    wins = sum(bool(r.success) for r in runs)
    lo, hi = wilson_interval(wins, len(runs))
    return Rate(wins, len(runs), lo, hi)


@dataclass(frozen=True)
class Paired:
    """Plan A against plan B on the same organizations (McNemar's comparison).

    ``difference`` is A's success rate minus B's, with a 95% interval for paired proportions
    (Agresti and Min 2005: add a half to each cell, then Wald); ``p_value`` is the two-sided
    exact McNemar test on the organizations where exactly one plan succeeded.
    """

    a: str
    b: str
    n: int
    both: int
    only_a: int
    only_b: int
    neither: int
    difference: float
    low: float
    high: float
    p_value: float


def paired_success(
    a: str, runs_a: Sequence[RunResult], b: str, runs_b: Sequence[RunResult]
) -> Paired:
    if len(runs_a) != len(runs_b):
        raise ValueError("paired plans need the same organizations (replicates)")
    sa = np.array([bool(r.success) for r in runs_a])
    sb = np.array([bool(r.success) for r in runs_b])
    n = int(sa.size)
    only_a, only_b = int((sa & ~sb).sum()), int((sb & ~sa).sum())
    both, neither = int((sa & sb).sum()), int((~sa & ~sb).sum())
    p12, p21 = (only_a + 0.5) / (n + 2), (only_b + 0.5) / (n + 2)
    d = p12 - p21
    se = math.sqrt(max(p12 + p21 - d * d, 0.0) / (n + 2))
    lo, hi = max(-1.0, d - _Z95 * se), min(1.0, d + _Z95 * se)
    p = min(1.0, 2 * min(mcnemar_p(only_a, only_b), mcnemar_p(only_b, only_a)))
    diff = (only_a - only_b) / n if n else 0.0
    return Paired(a, b, n, both, only_a, only_b, neither, diff, lo, hi, p)


def milestone_weeks(runs: Sequence[RunResult], level: int) -> np.ndarray:
    """Weeks to ``level``% active per organization (NaN: never reached)."""
    key = f"weeks_to_{level}"
    return np.array([np.nan if r.metrics[key] is None else r.metrics[key] for r in runs], float)


def money(runs: Sequence[RunResult]) -> pd.DataFrame:
    """Per organization: value (hours saved, in money), cost, net value and ROI."""
    value = np.array([r.metrics["value"] for r in runs], float)
    cost = np.array([r.metrics["cost"] for r in runs], float)
    with np.errstate(all="ignore"):
        roi = np.where(cost > 0, (value - cost) / cost, np.nan)
    return pd.DataFrame({"value": value, "cost": cost, "net_value": value - cost, "roi": roi})


def outcome_table(plans: dict[str, Sequence[RunResult]], seeds: Sequence[int]) -> pd.DataFrame:
    """One row per plan and organization: the outcomes the distributions show."""
    frames = []
    for name, runs in plans.items():
        m = money(runs)
        frame = pd.DataFrame(
            {
                "plan": name,
                "replicate": np.arange(len(runs)),
                "seed": list(seeds)[: len(runs)],
                "success": [bool(r.success) for r in runs],
                "final_active": share_series(runs, "active")[:, -1],
                "final_engaged": share_series(runs, "engaged")[:, -1],
                "final_lapsed": share_series(runs, "lapsed")[:, -1],
                "weeks_to_25": milestone_weeks(runs, 25),
                "weeks_to_50": milestone_weeks(runs, 50),
            }
        )
        frames.append(pd.concat([frame, m], axis=1))
    return pd.concat(frames, ignore_index=True)
