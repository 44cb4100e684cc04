"""Gamification: points and badges, a push while it lasts and a withdrawal after."""

from __future__ import annotations

from typing import ClassVar, Literal

from ..params import param
from .base import Deployment, InterventionSpec
from .registry import register

__all__ = ["Gamification"]


@register
class Gamification(InterventionSpec):
    """Points and badges: a push while it lasts, a withdrawal when it ends."""

    default_weeks: ClassVar[int | None] = 12
    informs: ClassVar[bool] = False
    type: Literal["gamification"]
    push: float = param(0.8, 0.0, 2.0, "push units", "Extrinsic rewards nudge activity.")
    withdrawal_weeks: int = param(8, 0, 104, "weeks", "Rewards gone, interest drops.")
    withdrawal: float = param(0.8, 0.0, 5.0, "fatigue level", "Lapse pressure after the end.")
    money_fixed: float = param(20_000.0, 0.0, 1e12, "money", "Platform add-on.")
    money_per_person: float = param(20.0, 0.0, 1e9, "money per person", "Prizes.")

    def change_points(self, d: Deployment) -> tuple[int, ...]:
        return (d.last + 1 + self.withdrawal_weeks,)

    def contribute(self, r, d: Deployment, week: int) -> None:
        r.people.push[d.people] += self.push

    def after_end(self, r, d: Deployment, week: int) -> None:
        if week <= d.last + self.withdrawal_weeks:
            r.people.fatigue[d.people] += self.withdrawal
