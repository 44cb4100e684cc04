"""Tool pilots: try several tools with a small group, keep the best fit (claim 10)."""

from __future__ import annotations

from typing import ClassVar, Literal

from ..params import param
from .base import Deployment, InterventionSpec, Target
from .registry import register

__all__ = ["PilotTools"]


@register
class PilotTools(InterventionSpec):
    """Pilot several tools with a small group, keep the best fit (claim 10)."""

    default_weeks: ClassVar[int | None] = 12
    type: Literal["pilot_tools"]
    target: Target = Target(share=0.05)
    tools: int = param(3, 1, 20, "tools", "Try a few tools and approaches.")
    money_fixed: float = param(15_000.0, 0.0, 1e12, "money", "Trial licences and set-up.")
    hours_per_person_week: float = param(
        1.0, 0.0, 168.0, "hours per pilot-user-week", "Pilot users give feedback."
    )

    def contribute(self, r, d: Deployment, week: int) -> None:
        r.people.access[d.people] = True

    def on_stop(self, r, d: Deployment) -> None:
        """The organization keeps the best of the tools piloted."""
        fits = [r.model.draw_tool_fit() for _ in range(self.tools)]
        r.env.tool_fit = max(r.env.tool_fit, *fits)
