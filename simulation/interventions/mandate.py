"""Mandate: required sign-up and posting (claim 4: sign-ups, not engagement)."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np

from ..params import param
from .base import Deployment, InterventionSpec
from .effects import clip01
from .registry import register

__all__ = ["Mandate"]


@register
class Mandate(InterventionSpec):
    """Require sign-up and posting (claim 4: sign-ups, not engagement; costs autonomy, trust)."""

    informs: ClassVar[bool] = False
    type: Literal["mandate"]
    reach: float = param(
        0.3,
        0.0,
        1.0,
        "probability per week",
        "The order travels down the management chain: a third hear of it each week.",
    )
    compliance: float = param(
        0.5, 0.0, 1.0, "probability per week", "Mandated people sign up within a few weeks."
    )
    autonomy_cost: float = param(0.25, 0.0, 1.0, "autonomy units", "Being told erodes autonomy.")
    trust_cost: float = param(0.25, 0.0, 1.0, "trust units", "And trust in the initiative.")
    fatigue: float = param(1.0, 0.0, 5.0, "fatigue level", "Compelled posting wears people out.")
    hours_per_person_week: float = param(
        0.5, 0.0, 168.0, "hours per person-week", "Posting on demand takes time."
    )

    def on_start(self, r, d: Deployment) -> None:
        super().on_start(r, d)
        people, idx = r.people, d.people
        people.autonomy[idx] = clip01(people.autonomy[idx] - self.autonomy_cost)
        people.trust[idx] = clip01(people.trust[idx] - self.trust_cost)

    def contribute(self, r, d: Deployment, week: int) -> None:
        people, idx = r.people, d.people
        people.reach[idx] += self.reach
        people.compliance[idx] = np.maximum(people.compliance[idx], self.compliance)
        people.fatigue[idx] += self.fatigue
