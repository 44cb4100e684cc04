"""Outcomes of a classic run, in the same :class:`~simulation.metrics.RunResult` shape as the
adoption model's, so ``adoptsim run``/``compare``/``sweep`` and their reports work unchanged.

Classic populations have two states, unaware and adopted (the other states' series are zero),
no roles (everyone counts as an ``employee``), one department (``all``), and no value or cost.
Success is the scenario's ``success.active_share`` sustained over ``success.sustain_weeks``; the
engagement criterion does not apply (there is no engaged state).
"""

from __future__ import annotations

import numpy as np

from ..metrics import RunResult, rogers_categories, weeks_to
from ..states import ROLES, STATES
from ..value import SOURCES

__all__ = ["summarize_classic"]


def _series(model) -> dict[str, list[int]]:
    data = model.datacollector.model_vars
    weeks = len(data["adopted"])
    zeros = [0] * weeks
    series = {"week": list(range(weeks))}
    series.update({s: list(zeros) for s in STATES})
    series["unaware"] = [int(v) for v in data["unaware"]]
    series["adopted"] = [int(v) for v in data["adopted"]]
    series["signups"] = list(series["adopted"])
    return series


def _metrics(model, series: dict[str, list[int]]) -> dict:
    n = model.n
    active = np.asarray(series["adopted"], float) / n
    unaware, last = series["unaware"], len(active) - 1
    adoptions = np.bincount(model.adopted_week[model.adopted_week > 0], minlength=model.week + 1)
    return {
        "final_share": {s: float(series[s][-1] / n) for s in STATES},
        "active_share": float(active[-1]),
        "engaged_share": 0.0,
        "peak_active_share": float(active.max()),
        "weeks_to_10": weeks_to(active, 0.10),
        "weeks_to_25": weeks_to(active, 0.25),
        "weeks_to_50": weeks_to(active, 0.50),
        "engagement_depth": 0.0,
        "lapse_rate": 0.0,
        "signups": int(series["adopted"][-1]),
        "signups_week_8": int(series["adopted"][min(8, last)]),
        "aware_share_week_2": float(1 - unaware[min(2, last)] / n),
        "aware_share_week_8": float(1 - unaware[min(8, last)] / n),
        "launch_week": None,
        "active_at_launch": None,
        "rogers": rogers_categories(adoptions),
        "hours_saved": 0.0,
        **{f"hours_saved_{k}": 0.0 for k in SOURCES},  # the adoption model's sources
        "value": 0.0,
        "cost": 0.0,
        "roi": None,
        "rule": model.rule,
        "n_seeds": int(model.seeds.size),
        "final_adopters": int(series["adopted"][-1]),
        "fixed_point_week": model.fixed_point_week,
    }


def summarize_classic(model) -> RunResult:
    """Outcomes of a finished (or partly run) :class:`~simulation.classic.ClassicModel`."""
    series = _series(model)
    metrics = _metrics(model, series)
    crit = model.config.success
    active = np.asarray(series["adopted"], float) / model.n
    success = bool(active[-crit.sustain_weeks :].min() >= crit.active_share)
    zeros = [0] * len(series["week"])
    by_role = {r: {s: list(zeros) for s in STATES} for r in ROLES}
    by_role["employee"] = {s: list(series[s]) for s in STATES}
    return RunResult(
        n_employees=model.n,
        weeks=model.week,
        engine=model.engine_name,
        success=success,
        series=series,
        by_role=by_role,
        by_department={"all": {s: list(series[s]) for s in STATES}},
        metrics=metrics,
        costs=[],
        conditions={},
    )
