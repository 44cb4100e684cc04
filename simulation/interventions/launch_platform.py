"""Launch the platform: access for the target, with an announcement (claims 1 and 3)."""

from __future__ import annotations

from typing import ClassVar, Literal

from ..params import param
from .base import Deployment, InterventionSpec
from .registry import register

__all__ = ["LaunchPlatform"]


@register
class LaunchPlatform(InterventionSpec):
    """Make the platform available (to the target; all by default) with an announcement."""

    informs: ClassVar[bool] = False
    launches: ClassVar[bool] = True
    example_notes: ClassVar[tuple[str, ...]] = (
        'target = { departments = ["Sales"] }   # launch to part of the organization',
        "end = 51                               # withdraw access after week 51 (rare)",
    )
    type: Literal["launch_platform"]
    announcement_weeks: int = param(2, 0, 52, "weeks", "A launch announcement runs briefly.")
    announcement_reach: float = param(
        0.5,
        0.0,
        1.0,
        "probability per week",
        "Half the unaware hear of the launch each announcement week.",
    )
    ambient_reach: float = param(
        0.03,
        0.0,
        1.0,
        "probability per week",
        "After the announcement, the intranet link and news keep reaching a few people a week.",
    )
    money_fixed: float = param(50_000.0, 0.0, 1e12, "money", "Set-up and integration.")
    money_per_person: float = param(
        120.0, 0.0, 1e9, "money per employee", "Licences: about 5 per user-month over two years."
    )

    def change_points(self, d: Deployment) -> tuple[int, ...]:
        return (d.first + self.announcement_weeks,)

    def contribute(self, r, d: Deployment, week: int) -> None:
        people = r.people
        people.access[d.people] = True
        announcing = week < d.first + self.announcement_weeks
        people.reach[d.people] += self.announcement_reach if announcing else self.ambient_reach
