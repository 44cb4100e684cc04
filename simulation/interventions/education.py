"""Education programme: skill and understanding first (claim 10)."""

from __future__ import annotations

from typing import ClassVar, Literal

from ..params import param
from .base import Deployment, InterventionSpec
from .effects import clip01
from .registry import register

__all__ = ["Education"]


@register
class Education(InterventionSpec):
    """Training on social ways of working and their benefits (claim 10: education first)."""

    default_weeks: ClassVar[int | None] = 8
    informs: ClassVar[bool] = False
    type: Literal["education"]
    mastery_gain: float = param(0.2, 0.0, 1.0, "mastery units", "A course raises skill.")
    trust_gain: float = param(0.08, 0.0, 1.0, "trust units", "Understanding the why builds trust.")
    reach: float = param(0.5, 0.0, 1.0, "probability per week", "Participants hear of it.")
    money_per_person: float = param(150.0, 0.0, 1e9, "money per participant", "Course costs.")
    hours_per_person: float = param(4.0, 0.0, 1e5, "hours per participant", "Half a day.")

    def on_start(self, r, d: Deployment) -> None:
        super().on_start(r, d)
        people, idx = r.people, d.people
        people.mastery[idx] = clip01(people.mastery[idx] + self.mastery_gain)
        people.trust[idx] = clip01(people.trust[idx] + self.trust_gain)

    def contribute(self, r, d: Deployment, week: int) -> None:
        r.people.reach[d.people] += self.reach
