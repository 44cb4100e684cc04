"""Win over critics: pitch to adversaries and take their feedback (claim 9)."""

from __future__ import annotations

from typing import Literal

import numpy as np

from ..params import param
from .base import Deployment, InterventionSpec
from .effects import clip01, sharpen_goals
from .registry import register

__all__ = ["WinOverCritics"]


@register
class WinOverCritics(InterventionSpec):
    """Pitch to adversaries and take their feedback (claim 9)."""

    type: Literal["win_over_critics"]
    conversion: float = param(
        0.6, 0.0, 1.0, "share of targeted critics", "Most critics who are heard stop opposing."
    )
    trust_gain: float = param(0.3, 0.0, 1.0, "trust units", "Converted critics trust the plan.")
    plan_gain: float = param(
        0.05,
        0.0,
        1.0,
        "[0,1]",
        "Battle-tested plan: goal fit and relevance improve by this much when enough critics "
        "were won over to test it (see full_feedback).",
    )
    full_feedback: float = param(
        0.04,
        0.001,
        1.0,
        "share of staff",
        "The plan is battle-tested by the critics won over: its gain is plan_gain times the "
        "share of staff converted over this share (at most 1). No critics won over, no test; "
        "an organization with few critics gains little (claim 9's mechanism).",
    )
    hours_per_person: float = param(6.0, 0.0, 1e5, "hours per critic", "Several conversations.")

    def on_start(self, r, d: Deployment) -> None:
        """Every critic in the target is approached (and costs hours); some convert."""
        people = r.people
        idx = np.flatnonzero(r.eligible(self.target) & people.critic)
        d.approached = int(idx.size)
        k = int(round(self.conversion * idx.size))
        d.people = np.sort(r.rng.permutation(idx)[:k])  # drawn even if k = 0: same stream
        people.critic[d.people] = False
        people.trust[d.people] = clip01(people.trust[d.people] + self.trust_gain)
        gain = self.plan_gain * min(1.0, k / (self.full_feedback * people.n))
        r.env.relevance = min(1.0, r.env.relevance + gain)
        sharpen_goals(people, gain)
