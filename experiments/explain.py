"""Why plans differ, as facts drawn from the runs (the dashboard words them).

For each plan, over its replicate organizations: how often it succeeded; which roles and
departments stalled (their active share at the horizon, and in how many organizations they stayed
below the success level); where the people who gave up came from (each group's share of the
lapsed against its share of staff), when lapses rose fastest and which interventions had just
ended then; and which interventions were active when adoption took off (reached 10% active).
Between the best plan and each other plan: the paired success comparison (McNemar) and the
roles and departments where the gap in active share is largest.

Nothing here keys on a plan's name: the facts come from the runs and the plans' schedules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from scenarios import Scenario
from simulation import RunResult

from .outcomes import Paired, Rate, final_group_shares, paired_success, share_series, success_rate

__all__ = [
    "TAKEOFF_LEVEL",
    "Contrast",
    "Explanation",
    "GroupFact",
    "Item",
    "LapseWave",
    "PlanFacts",
    "Takeoff",
    "explain",
]

#: adoption "takes off" when the active share first reaches this level
TAKEOFF_LEVEL = 0.10
#: an organization "fell back" when its active share at the horizon is this far below its peak
FALL_BACK = 0.10
#: lapse waves: the window over which the rise in lapsed people is measured, and how long
#: before the wave an intervention must have ended to be named with it
LAPSE_WINDOW = 4
ENDED_BEFORE = 8


@dataclass(frozen=True)
class Item:
    """One intervention of a plan: its type, label and active weeks (inclusive)."""

    type: str
    label: str | None
    start: int
    last: int


@dataclass(frozen=True)
class GroupFact:
    """A role or department under one plan, over the organizations."""

    kind: str  # "role" or "department"
    group: str
    active: float  # median active share at the horizon
    stalled: int  # organizations where it ended below the plan's success level
    n: int  # organizations that have the group
    lapsed_share: float  # its share of everyone lapsed at the horizon (all organizations)
    staff_share: float  # its share of staff at the horizon (all organizations)


@dataclass(frozen=True)
class Takeoff:
    """When adoption reached ``TAKEOFF_LEVEL`` active, and what was acting then."""

    reached: int  # organizations that got there
    n: int
    median_week: float | None
    active: tuple[tuple[Item, int], ...]  # items acting at take-off, with how many organizations
    later: tuple[tuple[Item, int], ...]  # items that started only after take-off


@dataclass(frozen=True)
class LapseWave:
    """The fastest rise in lapsed people (over ``LAPSE_WINDOW`` weeks) per organization."""

    organizations: int  # organizations where at least 1% of staff lapsed in such a window
    median_week: float | None  # when the rise ended
    median_rise: float  # share of staff that lapsed in the window (median over those)
    ended: tuple[tuple[Item, int], ...]  # items that ended in the weeks before the rise


@dataclass(frozen=True)
class PlanFacts:
    name: str
    success: Rate
    active: float  # median active share at the horizon
    mean_active: float  # mean active share at the horizon (far from the median: split outcomes)
    engaged: float
    peak_active: float  # median of each organization's peak active share
    fell_back: int  # organizations that ended FALL_BACK or more below their peak
    lapsed: float  # median lapsed share of staff at the horizon
    success_level: float  # the plan's success criterion: sustained active share
    roles: tuple[GroupFact, ...]
    departments: tuple[GroupFact, ...]
    takeoff: Takeoff
    lapses: LapseWave

    def stalled(self, kind: str) -> list[GroupFact]:
        """Groups whose median active share ended below the success level, lowest first."""
        groups = self.roles if kind == "role" else self.departments
        return sorted((g for g in groups if g.active < self.success_level), key=lambda g: g.active)

    def lapse_sources(self, ratio: float = 1.25, least: float = 0.05) -> list[GroupFact]:
        """Groups over-represented among the lapsed (by ``ratio`` or more), worst first;
        groups under ``least`` of staff are left out (a handful of people is no pattern)."""
        groups = [
            g
            for g in (*self.roles, *self.departments)
            if g.staff_share >= least and g.lapsed_share >= ratio * g.staff_share
        ]
        return sorted(groups, key=lambda g: g.lapsed_share / g.staff_share, reverse=True)


@dataclass(frozen=True)
class Contrast:
    """The better plan against another on the same organizations."""

    paired: Paired
    role_gaps: tuple[tuple[str, float, float], ...]  # (role, active under a, under b), widest
    department_gaps: tuple[tuple[str, float, float], ...]


@dataclass(frozen=True)
class Explanation:
    plans: tuple[PlanFacts, ...]
    best: str  # the plan with the highest success rate (then the highest median active share)
    contrasts: tuple[Contrast, ...]  # best against each other plan

    def facts(self, name: str) -> PlanFacts:
        return next(p for p in self.plans if p.name == name)


def _items(scenario: Scenario) -> list[Item]:
    return [
        Item(p.type, p.label, p.start, p.last_week(scenario.weeks)) for p in scenario.plan
    ]


def _group_facts(runs: Sequence[RunResult], kind: str, level: float) -> tuple[GroupFact, ...]:
    active = final_group_shares(runs, kind, "active")
    lapsed_n, staff_n = Counter(), Counter()
    for r in runs:
        for g, counts in (r.by_role if kind == "role" else r.by_department).items():
            lapsed_n[g] += counts["lapsed"][-1]
            staff_n[g] += sum(c[-1] for c in counts.values())
    all_lapsed, all_staff = sum(lapsed_n.values()), sum(staff_n.values())
    facts = []
    for g in active.columns:
        col = active[g].dropna()
        facts.append(
            GroupFact(
                kind,
                g,
                float(col.median()) if len(col) else float("nan"),
                int((col < level).sum()),
                int(len(col)),
                lapsed_n[g] / all_lapsed if all_lapsed else 0.0,
                staff_n[g] / all_staff if all_staff else 0.0,
            )
        )
    return tuple(facts)


def _count(items: list[Item]) -> tuple[tuple[Item, int], ...]:
    return tuple(Counter(items).most_common())


def _takeoff(active: np.ndarray, items: list[Item]) -> Takeoff:
    weeks, acting, later = [], [], []
    for row in active:
        hit = np.flatnonzero(row >= TAKEOFF_LEVEL)
        if not hit.size:
            continue
        w = int(hit[0])
        weeks.append(w)
        # the move into week w is made under the interventions active in week w - 1
        acting += [it for it in items if it.start <= w - 1 <= it.last]
        later += [it for it in items if it.start >= w]
    return Takeoff(
        len(weeks),
        active.shape[0],
        float(np.median(weeks)) if weeks else None,
        _count(acting),
        _count(later),
    )


def _lapse_wave(lapsed: np.ndarray, items: list[Item]) -> LapseWave:
    weeks, rises, ended = [], [], []
    k = LAPSE_WINDOW
    for row in lapsed:
        if row.size <= k:
            continue
        rise = row[k:] - row[:-k]
        w = int(np.argmax(rise)) + k
        if rise[w - k] < 0.01:
            continue
        weeks.append(w)
        rises.append(float(rise[w - k]))
        start = w - k
        ended += [it for it in items if start - ENDED_BEFORE <= it.last + 1 <= w]
    return LapseWave(
        len(weeks),
        float(np.median(weeks)) if weeks else None,
        float(np.median(rises)) if rises else 0.0,
        _count(ended),
    )


def plan_facts(scenario: Scenario, runs: Sequence[RunResult]) -> PlanFacts:
    """The facts of one plan over its organizations."""
    active = share_series(runs, "active")
    level = scenario.success.active_share
    items = _items(scenario)
    return PlanFacts(
        name=scenario.name,
        success=success_rate(runs),
        active=float(np.median(active[:, -1])),
        mean_active=float(np.mean(active[:, -1])),
        engaged=float(np.median(share_series(runs, "engaged")[:, -1])),
        peak_active=float(np.median(active.max(axis=1))),
        fell_back=int((active.max(axis=1) - active[:, -1] >= FALL_BACK).sum()),
        lapsed=float(np.median(share_series(runs, "lapsed")[:, -1])),
        success_level=level,
        roles=_group_facts(runs, "role", level),
        departments=_group_facts(runs, "department", level),
        takeoff=_takeoff(active, items),
        lapses=_lapse_wave(share_series(runs, "lapsed"), items),
    )


def _gaps(a: PlanFacts, b: PlanFacts, kind: str) -> tuple[tuple[str, float, float], ...]:
    """Active share at the horizon in each group under a and b, widest gap first; groups of
    fewer than 5% of staff (a few leaders) are left out: their shares swing on a handful."""

    def shares(f: PlanFacts) -> dict[str, float]:
        groups = f.roles if kind == "role" else f.departments
        return {g.group: g.active for g in groups if g.staff_share >= 0.05}

    ga, gb = shares(a), shares(b)
    rows = [(g, ga[g], gb[g]) for g in ga if g in gb and np.isfinite(ga[g] - gb[g])]
    return tuple(sorted(rows, key=lambda r: r[1] - r[2], reverse=True))


def explain(
    scenarios: Sequence[Scenario], runs: Mapping[str, Sequence[RunResult]]
) -> Explanation:
    """Facts for every plan, and the best plan contrasted with each other plan on the same
    organizations. ``runs[name]`` lists a plan's runs in replicate order."""
    plans = tuple(plan_facts(sc, runs[sc.name]) for sc in scenarios)
    best = max(plans, key=lambda p: (p.success.rate, p.active))
    contrasts = tuple(
        Contrast(
            paired_success(best.name, runs[best.name], p.name, runs[p.name]),
            _gaps(best, p, "role"),
            _gaps(best, p, "department"),
        )
        for p in plans
        if p.name != best.name
    )
    return Explanation(plans, best.name, contrasts)
