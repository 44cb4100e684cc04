"""Center of excellence: a few experts coaching communities and champions."""

from __future__ import annotations

from typing import Literal

import numpy as np

from ..params import param
from .base import Deployment, InterventionSpec
from .effects import sharpen_goals
from .registry import register

__all__ = ["CenterOfExcellence"]


@register
class CenterOfExcellence(InterventionSpec):
    """A small center of experts (typically 2-6) advising communities and the tribe."""

    type: Literal["center_of_excellence"]
    experts: int = param(4, 1, 100, "people", "The sources: typically only 2 to 6 people.")
    capacity: int = param(
        150, 1, 100_000, "people supported per expert", "One expert can coach about 150 people."
    )
    strength: float = param(0.6, 0.0, 1.0, "helper units", "Expert advice at full capacity.")
    goal_fit_gain: float = param(0.05, 0.0, 1.0, "[0,1]", "Best practice from outside.")
    hours_per_person_week: float = param(
        40.0, 0.0, 168.0, "hours per expert-week", "Experts work on it full time."
    )

    def on_start(self, r, d: Deployment) -> None:
        people = r.people
        d.people = r.choose(r.within(self.target, self.experts), people.mastery)
        sharpen_goals(people, self.goal_fit_gain)

    def contribute(self, r, d: Deployment, week: int) -> None:
        self._coach(r, d)

    def between_changes(self, r, d: Deployment, week: int) -> None:
        """Re-spread the coaching when community membership has changed."""
        if "coached" not in d.notes:
            return
        old, amount = d.notes["coached"]
        people = r.people
        now = np.flatnonzero((people.community >= 0) | people.champion)
        if np.array_equal(now, old):
            return
        people.helper[old] -= amount
        self._coach(r, d)

    def _coach(self, r, d: Deployment) -> None:
        """The experts coach community members and champions, spread over them all (full
        strength while they number at most experts x capacity)."""
        people = r.people
        supported = np.flatnonzero((people.community >= 0) | people.champion)
        amount = 0.0
        if supported.size:
            amount = self.strength * min(1.0, self.experts * self.capacity / supported.size)
        people.helper[supported] += amount
        d.notes["coached"] = (supported, amount)
