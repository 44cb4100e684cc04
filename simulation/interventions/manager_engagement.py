"""Middle-manager engagement: their feedback and support (claim 6)."""

from __future__ import annotations

from typing import Literal

from ..params import param
from .base import Deployment, InterventionSpec, Target
from .effects import clip01
from .registry import register

__all__ = ["ManagerEngagement"]


@register
class ManagerEngagement(InterventionSpec):
    """Engage middle managers: their feedback and support (claim 6)."""

    type: Literal["manager_engagement"]
    target: Target = Target(roles=("middle_manager",))
    support: float = param(
        1.5,
        0.0,
        2.0,
        "support units",
        "Engaged managers back their teams: what their teams feel of it is the managers' effect "
        "(claim 6; dynamics.manager_signal switches it off).",
    )
    trust_gain: float = param(
        0.0,
        0.0,
        1.0,
        "trust units",
        "Being heard builds the managers' own trust. Off by default: with 0.2 it carried 40% "
        "of the managers' effect through their own use as contacts, a side channel to claim 6's "
        "named mechanism (docs/KNOCKOUTS.md); set it to study managers' own buy-in.",
    )
    hours_per_person: float = param(4.0, 0.0, 1e5, "hours per manager", "A workshop.")
    hours_per_person_week: float = param(
        0.5, 0.0, 168.0, "hours per manager-week", "Follow-up and feedback loops."
    )

    def on_start(self, r, d: Deployment) -> None:
        super().on_start(r, d)
        r.people.trust[d.people] = clip01(r.people.trust[d.people] + self.trust_gain)

    def contribute(self, r, d: Deployment, week: int) -> None:
        r.people.support_boost[d.people] += self.support
