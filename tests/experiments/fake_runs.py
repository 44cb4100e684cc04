"""Hand-made run results with known numbers, to test what is computed from runs."""

from __future__ import annotations

import numpy as np

from simulation import ROLES, STATES, RunResult


def fake_run(
    active: list[float],
    *,
    n: int = 100,
    lapsed: list[float] | None = None,
    success: bool | None = None,
    groups: dict[str, dict[str, float]] | None = None,
    value: float = 0.0,
    cost: float = 1.0,
) -> RunResult:
    """A run of ``n`` people whose active (adopted) share follows ``active`` week by week
    and whose lapsed share follows ``lapsed``; the rest are aware. ``groups`` gives each
    department's (final) active and lapsed share of its people (equal-sized departments);
    roles all mirror the organization."""
    weeks = len(active)
    act = np.rint(np.asarray(active) * n).astype(int)
    lap = np.rint(np.asarray(lapsed if lapsed is not None else [0.0] * weeks) * n).astype(int)
    series = {s: [0] * weeks for s in STATES}
    series["adopted"], series["lapsed"] = act.tolist(), lap.tolist()
    series["aware"] = (n - act - lap).tolist()
    series["week"] = list(range(weeks))
    series["signups"] = act.tolist()

    def split(share_active: float, share_lapsed: float, size: int) -> dict[str, list[int]]:
        a, lp = round(share_active * size), round(share_lapsed * size)
        out = {s: [0] * weeks for s in STATES}
        out["aware"] = [size - a - lp] * weeks
        out["adopted"] = [a] * weeks
        out["lapsed"] = [lp] * weeks
        return out

    groups = groups or {"All": {"active": active[-1], "lapsed": (lapsed or [0.0])[-1]}}
    size = n // len(groups)
    by_dept = {g: split(v["active"], v.get("lapsed", 0.0), size) for g, v in groups.items()}
    by_role = {r: split(active[-1], (lapsed or [0.0])[-1], n // len(ROLES)) for r in ROLES}
    final = {s: series[s][-1] / n for s in STATES}
    reached = {lvl: next((w for w, a in enumerate(active) if a >= lvl / 100), None)
               for lvl in (10, 25, 50)}
    metrics = {
        "final_share": final,
        "weeks_to_10": reached[10],
        "weeks_to_25": reached[25],
        "weeks_to_50": reached[50],
        "value": value,
        "cost": cost,
        "roi": (value - cost) / cost,
    }
    return RunResult(
        n_employees=n,
        weeks=weeks - 1,
        engine="agents",
        success=bool(active[-1] >= 0.4) if success is None else success,
        series=series,
        by_role=by_role,
        by_department=by_dept,
        metrics=metrics,
        costs=[],
        conditions={},
    )
