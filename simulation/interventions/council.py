"""Social-media council of practitioners across businesses (claim 3, bootstrap step 2)."""

from __future__ import annotations

from typing import Literal

from ..params import param
from .base import Deployment, InterventionSpec
from .effects import sharpen_goals
from .registry import register

__all__ = ["Council"]


@register
class Council(InterventionSpec):
    """Social-media council of practitioners across businesses (claim 3, bootstrap step 2)."""

    type: Literal["council"]
    members: int = param(12, 1, 10_000, "people", "A practitioner or two per business.")
    goal_fit_gain: float = param(
        0.08, 0.0, 1.0, "[0,1]", "Sharing what works sharpens every community's goal."
    )
    hours_per_person_week: float = param(
        2.0, 0.0, 168.0, "hours per member-week", "Monthly meetings plus shared services."
    )

    def on_start(self, r, d: Deployment) -> None:
        people = r.people
        d.people = r.choose(r.within(self.target, self.members), r.volunteers())
        sharpen_goals(people, self.goal_fit_gain)
