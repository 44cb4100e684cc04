"""Publish measured outcomes: fewer and shorter meetings, faster cycles (claim 8)."""

from __future__ import annotations

from typing import ClassVar, Literal

from ..params import param
from .base import Deployment, InterventionSpec
from .registry import register

__all__ = ["PublishOutcomes"]


@register
class PublishOutcomes(InterventionSpec):
    """Measure and publish outcomes: fewer and shorter meetings, faster cycles (claim 8)."""

    informs: ClassVar[bool] = False
    type: Literal["publish_outcomes"]
    strength: float = param(1.0, 0.0, 1.0, "[0,1]", "How visible and credible the figures are.")
    interval: int = param(4, 1, 52, "weeks", "Monthly reports.")
    hours_per_person: float = param(0.0, 0.0, 1e5, "hours per person", "Nothing asked of staff.")
    analyst_hours_week: float = param(
        4.0, 0.0, 168.0, "hours per week", "An analyst measures and writes it up."
    )

    def change_points(self, d: Deployment) -> tuple[int, ...]:
        return (d.first + self.interval,)

    def contribute(self, r, d: Deployment, week: int) -> None:
        """The first figures come out one interval after the start."""
        if week >= d.first + self.interval:
            r.env.outcomes = max(r.env.outcomes, self.strength)

    def extra_hours(self, d: Deployment, active_weeks: int) -> float:
        return self.analyst_hours_week * active_weeks
