"""Marketing campaign: awareness and hype, no goal (claim 3, shallow engagement)."""

from __future__ import annotations

from typing import ClassVar, Literal

from ..params import param
from .base import Deployment, InterventionSpec
from .registry import register

__all__ = ["MarketingCampaign"]


@register
class MarketingCampaign(InterventionSpec):
    """Posters, videos, events: awareness and hype, no goal (claim 3, shallow engagement)."""

    default_weeks: ClassVar[int | None] = 12
    informs: ClassVar[bool] = False
    type: Literal["marketing_campaign"]
    reach: float = param(0.4, 0.0, 1.0, "probability per week", "Campaigns reach people fast.")
    hype: float = param(0.6, 0.0, 2.0, "push units", "Novelty nudges people to try.")
    money_fixed: float = param(40_000.0, 0.0, 1e12, "money", "Agency, events, swag.")
    hours_per_person: float = param(0.5, 0.0, 1e5, "hours per person", "Time at events.")

    def contribute(self, r, d: Deployment, week: int) -> None:
        r.people.reach[d.people] += self.reach
        r.people.push[d.people] += self.hype
