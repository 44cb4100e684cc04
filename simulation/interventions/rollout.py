"""The rollout: a plan of interventions applied to a model week by week.

Permanent changes (a course raises mastery, a mandate costs autonomy and trust, a tribe is
chosen) happen once, when an intervention starts. Modifiers that last only while an intervention
is active (platform access, broadcast reach, extrinsic push, helper support, a manager's support
boost, mandate compliance and fatigue: the people's modifier arrays) are reset and recomputed
from all started interventions at every change point of the plan, so that ending one is exact.
What each intervention does is its own (:class:`~simulation.interventions.base.InterventionSpec`
hooks); the rollout only calls them, in plan order.
"""

from __future__ import annotations

import numpy as np

from ..people import MODIFIERS
from .base import Deployment, Target
from .targeting import check_target, choose, eligible, within

__all__ = ["Rollout"]


class Rollout:
    """Applies a plan to a model week by week (and validates it against the organization)."""

    def __init__(self, plan, model):
        self.model = model
        horizon = model.config.weeks
        self.items = [Deployment(spec, i, horizon) for i, spec in enumerate(plan)]
        for item in self.items:
            check_target(item.name, item.spec.target, model.people, model.org)
        self.points: set[int] = set()
        for it in self.items:
            self.points |= {it.first, it.last + 1, *it.spec.change_points(it)}
        self.started: set[int] = set()
        self.first_start = min((it.first for it in self.items), default=None)

    # -- what the hooks use ------------------------------------------------------------------
    @property
    def people(self):
        return self.model.people

    @property
    def org(self):
        return self.model.org

    @property
    def env(self):
        return self.model.env

    @property
    def rng(self) -> np.random.Generator:
        return self.model.rng

    def eligible(self, target: Target) -> np.ndarray:
        return eligible(target, self.people, self.org)

    def within(self, target: Target, size: int) -> Target:
        return within(target, size, self.people, self.org)

    def choose(self, target: Target, weight: np.ndarray | None = None) -> np.ndarray:
        return choose(target, self.people, self.org, self.rng, weight)

    def volunteers(self) -> np.ndarray:
        """How likely each person is to volunteer: purpose plus belonging, times how much
        their own work gains from working socially (``fit``): people volunteer for what serves
        their work."""
        p = self.people
        return (p.purpose + p.community_drive) * p.fit

    def new_community(self, members: np.ndarray, goal: float, helper: float,
                      capacity: float = np.inf) -> None:
        """A community of ``members`` with a goal fit, its community managers' strength
        (``helper``) and how many members they support well (``capacity``; beyond it, each
        member's help thins: :func:`simulation.engines.decision_view`)."""
        people = self.people
        people.community[members] = people.n_communities
        people.community_goal = np.append(people.community_goal, goal)
        people.community_helper = np.append(people.community_helper, helper)
        people.community_capacity = np.append(people.community_capacity, capacity)

    # -- weekly application ----------------------------------------------------------------
    def apply(self, week: int) -> None:
        """Start and stop interventions due this week; recompute modifiers if anything changed.
        Between change points, active interventions may follow what they act on."""
        if week not in self.points:
            for item in self.items:
                if item.active(week) and item.index in self.started:
                    item.spec.between_changes(self, item, week)
            return
        for item in self.items:
            if item.first == week and item.index not in self.started:
                self.started.add(item.index)
                item.spec.on_start(self, item)
            if item.last + 1 == week:
                item.spec.on_stop(self, item)
        self._recompute(week)

    def on_hire(self, idx: np.ndarray, week: int) -> None:
        for item in self.items:
            if item.active(week):
                item.spec.on_hire(self, item, idx)

    def initiative_started(self, week: int) -> bool:
        return self.first_start is not None and week >= self.first_start

    def _recompute(self, week: int) -> None:
        people, m = self.people, self.model
        for name, initial in MODIFIERS.items():
            getattr(people, name)[:] = initial
        m.env.visibility = m.config.dynamics.leader_visibility
        m.env.outcomes = 0.0
        for item in self.items:
            if item.index not in self.started:
                continue
            if not item.active(week):
                item.spec.after_end(self, item, week)
                continue
            if item.spec.informs:
                people.reach[item.people] += 1.0
            item.spec.contribute(self, item, week)

    # -- costs -------------------------------------------------------------------------------
    def costs(self, weeks: int, hourly: float) -> list[dict]:
        """Money, hours and total cost per intervention over ``weeks`` weeks run: weeks
        0 .. weeks - 1 act (week t acts on the move to t + 1)."""
        out = []
        for item in self.items:
            s = item.spec
            started = item.index in self.started
            n = int(item.people.size) if started else 0
            if started and item.approached is not None:
                n = item.approached
            active = max(0, min(item.last, weeks - 1) - item.first + 1) if started else 0
            money = (s.money_fixed + s.money_per_person * n) if started else 0.0
            hours = s.hours_per_person * n + s.hours_per_person_week * n * active
            hours += s.extra_hours(item, active)
            out.append(
                {
                    "intervention": item.name,
                    "type": s.type,
                    "label": s.label,
                    "people": n,
                    "weeks": active,
                    "money": money,
                    "hours": hours,
                    "cost": money + hours * hourly,
                }
            )
        return out
