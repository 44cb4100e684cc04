"""Outcomes of one run: series, adoption milestones, depth, lapse, ties, Rogers categories,
success, business value (hours saved by source, measured week by week: simulation.value), cost
and ROI."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .states import ADOPTED, ENGAGED, ROLES, STATES

__all__ = ["RunResult", "summarize", "weeks_to", "rogers_categories", "ROGERS"]

ROGERS = ("innovators", "early_adopters", "early_majority", "late_majority", "laggards")


@dataclass
class RunResult:
    """Everything a run produced, ready for tables, JSON and plots."""

    n_employees: int
    weeks: int
    engine: str
    success: bool
    series: dict[str, list[int]]  # week, each state, signups
    by_role: dict[str, dict[str, list[int]]]
    by_department: dict[str, dict[str, list[int]]]
    metrics: dict[str, float | int | None | dict]
    costs: list[dict]
    conditions: dict[str, float]
    timing: dict[str, float] = field(default_factory=dict)
    #: how often people changed state (``AdoptionModel.churn``: head counts by number of moves
    #: and of lapses); empty for the classic rules
    churn: dict[str, list[int]] = field(default_factory=dict)


def weeks_to(share: np.ndarray, level: float) -> int | None:
    """First week the share reaches ``level`` (None if never)."""
    hit = np.flatnonzero(share >= level)
    return int(hit[0]) if hit.size else None


def rogers_categories(adoptions: np.ndarray) -> dict[str, float]:
    """Rogers' adopter categories from first-adoption weeks (mean and sd of adoption time):
    innovators before mean - 2 sd, early adopters to mean - sd, early majority to the mean,
    late majority to mean + sd, laggards after. Shares of all adopters."""
    total = int(adoptions.sum())
    if total == 0:
        return {k: 0.0 for k in ROGERS}
    weeks = np.arange(adoptions.size)
    mean = float((weeks * adoptions).sum() / total)
    sd = float(np.sqrt(((weeks - mean) ** 2 * adoptions).sum() / total))
    edges = [mean - 2 * sd, mean - sd, mean, mean + sd]
    cat = np.searchsorted(edges, weeks, side="right")
    shares = np.bincount(cat, weights=adoptions, minlength=5) / total
    return {k: float(v) for k, v in zip(ROGERS, shares, strict=True)}


def _series(model) -> dict[str, np.ndarray]:
    """The weekly head counts the model recorded (``model.head_counts``: what its
    datacollector's rows hold, read without building them)."""
    rows = model.head_counts
    by_role = np.stack([agg.by_role for agg, _ in rows]).astype(np.int64)  # weeks, states, roles
    by_state = by_role.sum(axis=2)
    out = {"week": np.arange(len(rows))}
    for k, name in enumerate(STATES):
        out[name] = by_state[:, k]
    out["signups"] = np.array([signups for _, signups in rows], np.int64)
    out["_by_role"] = by_role.transpose(0, 2, 1)  # (weeks, roles, states)
    out["_by_dept"] = np.stack([agg.by_dept for agg, _ in rows]).transpose(0, 2, 1)
    return out


def _newcomers(model) -> dict[str, float | None]:
    """Active and engaged shares at the horizon among the people hired during the run (claim
    5: what newcomers learn); None if nobody was hired."""
    p = model.people
    hired = p.hired_week > 0
    k = int(hired.sum())
    if k == 0:
        return {"newcomer_active_share": None, "newcomer_engaged_share": None}
    st = p.state[hired]
    return {"newcomer_active_share": float(((st == ADOPTED) | (st == ENGAGED)).sum() / k),
            "newcomer_engaged_share": float((st == ENGAGED).sum() / k)}


def _cross_department_active_ties(model) -> dict[str, float]:
    org, state = model.org, model.people.state
    active = (state == ADOPTED) | (state == ENGAGED)
    cross = org.cross_department_mask()
    both = active[org.tie_sources()] & active[org.indices]
    n_cross = int(cross.sum()) // 2
    carrying = int((cross & both).sum()) // 2
    return {
        "cross_department_ties": n_cross,
        "cross_department_ties_active": carrying,
        "cross_department_active_share": carrying / n_cross if n_cross else 0.0,
    }


def _launch_week(plan) -> int | None:
    """The first week an intervention that launches the platform starts (None: never)."""
    weeks = [s.start for s in plan if s.launches]
    return min(weeks) if weeks else None


def summarize(model) -> RunResult:
    """Outcomes of a finished (or partly run) model."""
    cfg = model.config
    s = _series(model)
    n = model.people.n
    active = (s["adopted"] + s["engaged"]) / n
    engaged = s["engaged"] / n
    crit = cfg.success
    tail = active[-crit.sustain_weeks :]
    success = bool(tail.min() >= crit.active_share and engaged[-1] >= crit.engaged_share)
    v = cfg.value
    by_source = model.value.totals(model.week)  # measured week by week (simulation.value)
    hours = float(sum(by_source.values()))
    value = hours * v.hourly_cost
    costs = model.rollout.costs(model.week, v.hourly_cost)
    cost = float(sum(c["cost"] for c in costs))
    launch = _launch_week(cfg.plan)
    final_users = s["adopted"][-1] + s["engaged"][-1]
    ever = s["trying"][-1] + final_users + s["lapsed"][-1]
    metrics = {
        "final_share": {k: float(s[k][-1] / n) for k in STATES},
        "active_share": float(active[-1]),
        "engaged_share": float(engaged[-1]),
        "peak_active_share": float(active.max()),
        "weeks_to_10": weeks_to(active, 0.10),
        "weeks_to_25": weeks_to(active, 0.25),
        "weeks_to_50": weeks_to(active, 0.50),
        "engagement_depth": float(s["engaged"][-1] / final_users) if final_users else 0.0,
        "lapse_rate": float(s["lapsed"][-1] / ever) if ever else 0.0,
        "signups": int(s["signups"][-1]),
        "signups_week_8": int(s["signups"][min(8, len(active) - 1)]),
        "aware_share_week_2": float(1 - s["unaware"][min(2, len(active) - 1)] / n),
        "aware_share_week_8": float(1 - s["unaware"][min(8, len(active) - 1)] / n),
        "launch_week": launch,
        "active_at_launch": (
            int(s["adopted"][launch] + s["engaged"][launch])
            if launch is not None and launch < len(active)
            else None
        ),
        "rogers": rogers_categories(model.adoptions[: model.week + 1]),
        "hours_saved": hours,
        **{f"hours_saved_{k}": h for k, h in by_source.items()},
        "value": value,
        "cost": cost,
        "roi": (value - cost) / cost if cost > 0 else None,
        **_cross_department_active_ties(model),
        **_newcomers(model),
    }
    weeks = s["week"].tolist()
    series = {"week": weeks, **{k: s[k].tolist() for k in STATES}, "signups": s["signups"].tolist()}
    by_role = {
        r: {st: s["_by_role"][:, ri, si].tolist() for si, st in enumerate(STATES)}
        for ri, r in enumerate(ROLES)
    }
    by_dept = {
        d: {st: s["_by_dept"][:, di, si].tolist() for si, st in enumerate(STATES)}
        for di, d in enumerate(model.org.department_names)
    }
    return RunResult(
        n_employees=n,
        weeks=model.week,
        engine=model.engine_name,
        success=success,
        series=series,
        by_role=by_role,
        by_department=by_dept,
        metrics=metrics,
        costs=costs,
        conditions=dict(model.conditions),
        churn=model.churn(),
    )
