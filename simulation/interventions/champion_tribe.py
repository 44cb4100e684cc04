"""Champion tribe: volunteers 10-100x the center, linking grass roots to enterprise goals."""

from __future__ import annotations

from typing import Literal

import numpy as np

from ..params import param
from .base import Deployment, InterventionSpec, Target
from .effects import clip01
from .registry import register

__all__ = ["ChampionTribe"]


@register
class ChampionTribe(InterventionSpec):
    """A volunteer tribe 10-100x the center, linking grass roots to enterprise goals."""

    type: Literal["champion_tribe"]
    target: Target = Target(share=0.04)
    goal_fit: float = param(
        0.7, 0.0, 1.0, "[0,1]", "The tribe's goal: spread the practices, with clear roles."
    )
    influence_gain: float = param(2.0, 1.0, 20.0, "multiplier", "Champions speak up.")
    team_help: float = param(0.4, 0.0, 1.0, "helper units", "A champion helps their team.")
    motivation_gain: float = param(0.2, 0.0, 1.0, "motivation units", "Clear roles, real goals.")
    hours_per_person_week: float = param(
        2.0, 0.0, 168.0, "hours per champion-week", "Volunteers give a couple of hours a week."
    )

    def on_start(self, r, d: Deployment) -> None:
        """Volunteers (and the influential) become champions; those in no community form the
        tribe's own."""
        people = r.people
        before = people.n_communities
        idx = r.choose(self.target, r.volunteers() + people.influence / people.influence.mean())
        people.champion[idx] = True
        people.influence[idx] = np.rint(people.influence[idx] * self.influence_gain)
        for arr in (people.purpose, people.community_drive, people.trust):
            arr[idx] = clip01(arr[idx] + self.motivation_gain)
        people.threshold[idx] *= 0.5
        loose = idx[people.community[idx] < 0]
        if loose.size:
            r.new_community(loose, self.goal_fit, 0.0)
        d.people = idx
        d.groups = np.arange(before, people.n_communities)

    def contribute(self, r, d: Deployment, week: int) -> None:
        """A champion (still one: new hires are not) helps their own team (same manager) and
        their direct reports."""
        people, manager = r.people, r.org.manager
        champions = d.people[people.champion[d.people]]
        teams = np.zeros(people.n + 1, bool)
        teams[manager[champions] + 1] = True  # +1: the top leader's manager is -1
        helped = teams[manager + 1]
        helped[champions] = False
        leads = np.zeros(people.n, bool)
        leads[champions] = True
        helped |= leads[np.maximum(manager, 0)] & (manager >= 0)
        people.helper[helped] += self.team_help
